"""``geomap distance``: exact geodesic distance from incidents to a line of contact."""

from __future__ import annotations

import click

from geomap.cli.options import engine_options, incident_options, map_file_options, output_options


@click.command(context_settings={"help_option_names": ["-h", "--help"]})
@incident_options
@engine_options
@map_file_options
@output_options()
def distance(source, line, engine, scheduler, html, png, fmt, output):
    """Distance from incidents to the nearest point of a line of contact.

    Incidents come from --at LON,LAT (repeatable), --place NAME, or FILE: an
    ACLED or UCDP GED export (recognised by its columns), a CSV/TSV with
    lon/lat columns, GeoJSON, GeoPackage, GeoParquet or any GDAL vector
    format, or - for CSV or GeoJSON on
    standard input.  The line is --layer ID|PATH, or the
    --theatre line valid on --date; for a FILE with dates, --theatre measures
    each row against the line valid on that row's own date.

    Every row of a FILE comes out with a status column (ok, or why it could
    not be measured); the counts go to stderr.  -o PATH picks the format by
    suffix: .csv, .geojson, .gpkg, .parquet.

    Distances are geodesic on the WGS84 ellipsoid, each line segment being the
    geodesic between its vertices, exact to well under a millimetre.

    \b
    Exit codes: 0 every incident measured, 1 some rows could not be measured
    (the output is still written), 2 bad input, 3 missing program.

    \b
    Examples:
      geomap distance --at 47.0318,39.5200 --layer nk-line-2020
      geomap distance --place Shusha --layer nk-line-2020 --html shusha.html
      geomap distance events.csv --layer nk-line-2020 -o out.csv
      geomap distance acled.csv --theatre nagorno-karabakh -o out.parquet
      geomap distance 'parts/*.csv' --engine dask --theatre nagorno-karabakh -o out.parquet
    """
    from geomap.cli.commands import run_command

    run_command(source, line, None, engine=engine, scheduler=scheduler, html=html, png=png, fmt=fmt, output=output)
