"""``geomap distance``: exact geodesic distance from incidents to a line of contact."""

from __future__ import annotations

import click

from geomap.cli import configure_logging
from geomap.cli.options import (
    engine_options,
    incident_job,
    incident_options,
    map_file_options,
    output_options,
    resolve_format,
)


@click.command(context_settings={"help_option_names": ["-h", "--help"]})
@incident_options
@engine_options
@map_file_options
@output_options()
def distance(points, at, places, country, near, within, gazetteer, online, radius_m, layer, theatre, date, assume_crs,
             rings, lon_col, lat_col, date_col, id_col, engine, scheduler, html, png, fmt, output, verbose, quiet):
    """Distance from incidents to the nearest point of a line of contact.

    Incidents come from --at LON,LAT (repeatable), or FILE: an ACLED or UCDP
    GED export (recognised by its columns), a CSV/TSV with lon/lat columns,
    GeoJSON, GeoPackage, GeoParquet or any GDAL vector format, or - for
    GeoJSON on standard input.  The line is --layer ID|PATH, or the --theatre
    line valid on --date; for a FILE with dates, --theatre measures each row
    against the line valid on that row's own date.

    Every row of a FILE comes out with a status column (ok, or why it could
    not be measured); the counts go to stderr, and the exit code is 1 when any
    row failed.  -o PATH picks the format by suffix: .csv, .geojson, .gpkg,
    .parquet.

    Distances are geodesic on the WGS84 ellipsoid, each line segment being the
    geodesic between its vertices, exact to well under a millimetre.

    \b
    Examples:
      geomap distance --at 47.0318,39.5200 --layer nk-line-2020
      geomap distance --place Shusha --layer nk-line-2020 --html shusha.html
      geomap distance events.csv --layer nk-line-2020 -o out.csv
      geomap distance acled.csv --theatre nagorno-karabakh -o out.parquet
      geomap distance 'parts/*.csv' --engine dask --theatre nagorno-karabakh -o out.parquet
    """
    configure_logging(verbose, quiet)
    from geomap.pipeline import request as jobs
    from geomap.cli import formatting
    from geomap.io.write import guard_output

    inputs, spec, kind = incident_job(**click.get_current_context().params)
    fmt = resolve_format(fmt, output)
    for target in (output, html, png):
        guard_output(target, formatting.input_paths(points, layer, gazetteer, within))
    if kind == "FILE":
        if (html or png) and engine != "local":
            raise click.UsageError("--html/--png need every row in memory: drop --engine dask for the map")
        result = jobs.measure_file(inputs, spec, progress_factory=formatting.progress_factory(quiet), output=output)
        formatting.emit_batch(result, fmt, output)
        formatting.echo_err(formatting.batch_summary(result), quiet)
        if html or png:
            lines, measurements, _verdicts = jobs.map_for_file(inputs, spec, result)
            formatting.write_maps(measurements, lines, html=html, png=png, quiet=quiet)
        raise SystemExit(result.exit_code)
    if engine != "local":
        raise click.UsageError("--engine dask is for FILE inputs: give a CSV glob or a GeoParquet folder")
    lines, measurements = jobs.measure_incidents(inputs, spec)
    formatting.emit(formatting.measurements_text(measurements, fmt, lines=lines), output)
    formatting.write_maps(measurements, lines, html=html, png=png, quiet=quiet)
