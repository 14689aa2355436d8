"""Options shared by several commands, and their validating callbacks."""

from __future__ import annotations

import click

from geomap.types import LonLat


def parse_lonlat(text: str) -> LonLat:
    """Parse ``LON,LAT`` (degrees) into a :class:`LonLat`; raise ``click.BadParameter`` with a hint."""
    parts = [p.strip() for p in str(text).replace(";", ",").split(",")]
    if len(parts) != 2:
        raise click.BadParameter(f"{text!r} is not LON,LAT: write it like 47.0318,39.5200 (longitude first)")
    try:
        lon, lat = float(parts[0]), float(parts[1])
    except ValueError:
        raise click.BadParameter(f"{text!r} is not two numbers LON,LAT: write it like 47.0318,39.5200") from None
    if not (lon == lon and lat == lat) or abs(lon) > 180 or abs(lat) > 90:
        if abs(lat) > 90 and abs(lon) <= 90:
            raise click.BadParameter(
                f"{text!r} is outside lon/lat range: did you swap them? geomap takes LON,LAT (e.g. 47.0318,39.5200)"
            )
        raise click.BadParameter(f"{text!r} is outside lon/lat range: longitude is -180..180, latitude -90..90")
    return LonLat(lon, lat)


class FiniteFloat(click.FloatRange):
    """A float option that refuses ``nan`` and ``inf`` at parse time (and values outside ``min``..``max``).

    Python's ``float()`` reads "nan", "inf" and "1e999" as numbers; as a
    radius or a tolerance they silently give empty or endless intervals.
    """

    name = "finite float"

    def convert(self, value, param, ctx):
        import math

        number = click.FLOAT.convert(value, param, ctx)
        if not math.isfinite(number):
            self.fail(f"{value!r} is not a finite number: give metres like 250", param, ctx)
        return super().convert(number, param, ctx)


def _lonlat_callback(ctx, param, value):
    if value is None:
        return None
    if isinstance(value, tuple):
        return tuple(parse_lonlat(v) for v in value)
    return parse_lonlat(value)


def at_option(f):
    return click.option(
        "--at",
        "at",
        multiple=True,
        metavar="LON,LAT",
        callback=_lonlat_callback,
        help="An incident's coordinates, longitude first (repeatable).",
    )(f)


def radius_option(f):
    return click.option(
        "--radius-m",
        type=FiniteFloat(min=0),
        default=0.0,
        show_default=True,
        help="Location uncertainty of --at points (m); widens the distance interval.",
    )(f)


def layer_options(f):
    f = click.option(
        "--rings",
        is_flag=True,
        help="Measure to polygon boundaries of the layer as lines (off: a polygon-only layer is an error).",
    )(f)
    f = click.option(
        "--assume-crs", metavar="CRS", default=None, help="CRS of a layer or points file that declares none (e.g. EPSG:4326)."
    )(f)
    f = click.option(
        "--date", "date", metavar="YYYY-MM-DD", default=None, help="Incident date: picks the --theatre line valid then."
    )(f)
    f = click.option(
        "--theatre", metavar="NAME", default=None, help="Conflict theatre (e.g. nagorno-karabakh): use with --date."
    )(f)
    f = click.option(
        "--layer",
        "layer",
        metavar="ID|PATH",
        default=None,
        help="Line of contact: a shipped layer id (geomap layers list) or any vector file in any CRS.",
    )(f)
    return f


def points_file_options(f):
    """--lon-col/--lat-col/--date-col/--id-col for FILE inputs (ACLED and UCDP GED need none of them)."""
    f = click.option("--id-col", default=None,
                     help="Row identifier column, used in diagnostics (ACLED/UCDP: found by the schema).")(f)
    f = click.option("--date-col", default=None,
                     help="Date column of a FILE: with --theatre each row is measured against the line valid "
                          "on its own date (default: found by name; ACLED event_date, UCDP date_start).")(f)
    f = click.option("--lat-col", default=None, help="Latitude column of a FILE (default: found by name).")(f)
    f = click.option("--lon-col", default=None, help="Longitude column of a FILE (default: found by name).")(f)
    return f


def incident_options(f):
    """The incident and line options of ``distance``, ``check`` and ``map``, all of which :func:`incident_job` takes.

    ``[FILE|-]``, ``--at``, the ``--place`` options, ``--radius-m``, the line
    options (:func:`layer_options`) and the points-file columns
    (:func:`points_file_options`), in that order in ``--help``.
    """
    from geomap.cli.geocode import places_options

    for option in (points_file_options, layer_options, radius_option, places_options, at_option):
        f = option(f)
    return click.argument("points", required=False, metavar="[FILE|-]")(f)


def engine_options(f):
    """--engine local|dask and --scheduler for FILE inputs."""
    f = click.option("--scheduler", metavar="ADDRESS", default=None,
                     help="With --engine dask: an existing Dask scheduler (default: a local cluster, 2 processes).")(f)
    f = click.option("--engine", type=click.Choice(["local", "dask"]), default="local", show_default=True,
                     help="local: in memory; dask: partition by partition (a CSV glob or a GeoParquet folder, "
                          "larger than memory), written to -o part by part.")(f)
    return f


def output_options(formats=("table", "json", "csv", "geojson")):
    def deco(f):
        f = click.option("-q", "--quiet", is_flag=True, help="Only errors on stderr.")(f)
        f = click.option("-v", "--verbose", count=True, help="More diagnostics on stderr (-vv for debug).")(f)
        f = click.option(
            "-o", "--output", "output", metavar="PATH", default=None, help="Write to PATH (atomically) instead of stdout."
        )(f)
        f = click.option(
            "--format",
            "fmt",
            type=click.Choice(formats),
            default=None,
            help=f"Output format [default: from the -o suffix, else {formats[0]}].",
        )(f)
        return f

    return deco


SUFFIX_FORMATS = {".json": "json", ".csv": "csv", ".geojson": "geojson", ".txt": "table", ".md": "table"}


def resolve_format(fmt, output, formats=("table", "json", "csv", "geojson")):
    """The --format given, else the one the -o suffix implies, else the first (table)."""
    if fmt:
        return fmt
    if output and str(output) != "-":
        from pathlib import Path

        implied = SUFFIX_FORMATS.get(Path(output).suffix.lower())
        if implied in formats:
            return implied
    return formats[0]


def _suffix(expected):
    def check(ctx, param, value):
        if value is not None and not str(value).lower().endswith(expected):
            raise click.BadParameter(f"{value!r} does not end in {expected}: name the file like map{expected}")
        return value

    return check


def map_file_options(f):
    """``--html PATH`` and ``--png PATH``: also write the evidence map (and a screenshot of it)."""
    f = click.option("--png", "png", metavar="PATH", default=None, callback=_suffix(".png"),
                     help="Also write a PNG screenshot of the map (needs Debian chromium).")(f)
    f = click.option("--html", "html", metavar="PATH", default=None, callback=_suffix(".html"),
                     help="Also write a standalone offline HTML map of the result.")(f)
    return f


def incident_job(*, points=None, at=(), places=(), country=None, near=None, within=None, gazetteer=None,
                 online=False, radius_m=0.0, layer=None, theatre=None, date=None, assume_crs=None, rings=False,
                 lon_col=None, lat_col=None, date_col=None, id_col=None, engine="local", scheduler=None, **_other):
    """The incidents and the line a command's options describe: ``(jobs.Inputs, jobs.LineSpec, kind)``.

    Commands call it with ``**ctx.params``; options that are not about
    incidents or the line are ignored.  The input kind (FILE, --at, --place)
    is checked before any --place name is looked up.
    """
    from geomap.pipeline import request as jobs
    from geomap.cli.geocode import places_from_options

    inputs = jobs.Inputs(points=points, at=at, radius_m=radius_m, lon_col=lon_col, lat_col=lat_col,
                         assume_crs=assume_crs, places=list(places), date_col=date_col, id_col=id_col,
                         engine=engine, scheduler=scheduler)
    kind = inputs.kind()
    if places:
        inputs.places = places_from_options(places, country, near, within, gazetteer, online)
    spec = jobs.LineSpec(layer=layer, theatre=theatre, date=date, assume_crs=assume_crs, rings=rings)
    return inputs, spec, kind
