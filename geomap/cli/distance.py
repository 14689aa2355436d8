"""``geomap distance``: exact geodesic distance from incidents to a line of contact."""

from __future__ import annotations

import click

from geomap.cli import configure_logging
from geomap.cli.geocode import places_from_options, places_options
from geomap.cli.options import (
    at_option,
    layer_options,
    map_file_options,
    output_options,
    points_file_options,
    radius_option,
    resolve_format,
)


@click.command(context_settings={"help_option_names": ["-h", "--help"]})
@click.argument("points", required=False, metavar="[FILE|-]")
@at_option
@places_options
@radius_option
@layer_options
@points_file_options
@map_file_options
@output_options()
def distance(points, at, places, country, near, within, gazetteer, online, radius_m, layer, theatre, date, assume_crs,
             rings, lon_col, lat_col, html, png, fmt, output, verbose, quiet):
    """Distance from incidents to the nearest point of a line of contact.

    Incidents come from --at LON,LAT (repeatable), or FILE: a CSV with lon/lat
    columns, GeoJSON, GeoPackage, GeoParquet or any GDAL vector format, or -
    for GeoJSON on standard input.  The line is --layer ID|PATH, or the
    --theatre line valid on --date.

    Distances are geodesic on the WGS84 ellipsoid, each line segment being the
    geodesic between its vertices, exact to well under a millimetre.

    \b
    Examples:
      geomap distance --at 47.0318,39.5200 --layer nk-line-2020
      geomap distance --place Shusha --layer nk-line-2020 --html shusha.html
      geomap distance events.csv --layer nk-line-2020 -o out.csv
    """
    configure_logging(verbose, quiet)
    from geomap import jobs
    from geomap.cli import formatting
    from geomap.output import guard_output

    resolved = places_from_options(places, country, near, within, gazetteer, online) if places else []
    inputs = jobs.Inputs(points=points, at=at, radius_m=radius_m, lon_col=lon_col, lat_col=lat_col,
                         assume_crs=assume_crs, places=resolved)
    spec = jobs.LineSpec(layer=layer, theatre=theatre, date=date, assume_crs=assume_crs, rings=rings)
    kind = inputs.kind()
    fmt = resolve_format(fmt, output)
    for target in (output, html, png):
        guard_output(target, [points, layer])
    if kind == "FILE":
        if html or png:
            _lines, measurements, _summary = jobs.measure_for_map(inputs, spec)
            formatting.write_maps(measurements, _lines, html=html, png=png, quiet=quiet)
        _lines, frame, summary = jobs.measure_file(inputs, spec)
        formatting.emit(formatting.frame_text(frame, fmt), output)
        formatting.echo_err(formatting.summary_line(summary, len(frame)), quiet)
        raise SystemExit(0 if set(summary) <= {"ok"} else 1)
    lines, measurements = jobs.measure_incidents(inputs, spec)
    formatting.emit(formatting.measurements_text(measurements, fmt, lines=lines), output)
    formatting.write_maps(measurements, lines, html=html, png=png, quiet=quiet)
