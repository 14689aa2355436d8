"""Options shared by several commands, and their validating callbacks."""

from __future__ import annotations

import click

from geomap.types import LonLat


def parse_lonlat(text: str, order: str = "lonlat") -> LonLat:
    """Parse ``LON,LAT`` (degrees) into a :class:`LonLat`; raise ``click.BadParameter`` with a hint.

    Also degrees-minutes-seconds and hemisphere letters (``39°31′12″N 47°01′54″E``,
    ``39.52N 47.03E``; the letters fix the order), see :mod:`geomap.io.coords`;
    ``order="latlon"`` for ``--latlon``.
    """
    parts = [p.strip() for p in str(text).replace(";", ",").split(",")]
    try:
        if order != "lonlat" or len(parts) != 2:
            raise ValueError
        lon, lat = float(parts[0]), float(parts[1])
    except ValueError:
        from geomap.io.coords import parse_position

        try:
            lon, lat = parse_position(text, order)
        except (ValueError, IndexError) as exc:
            example = "LAT,LON like 39.5200,47.0318" if order == "latlon" else "LON,LAT like 47.0318,39.5200"
            raise click.BadParameter(f"{exc}: write {example}, or 39°31′12″N 47°01′54″E") from None
    if not (lon == lon and lat == lat) or abs(lon) > 180 or abs(lat) > 90:
        if abs(lat) > 90 and abs(lon) <= 90:
            raise click.BadParameter(
                f"{text!r} is outside lon/lat range: did you swap them? geomap takes LON,LAT (e.g. 47.0318,39.5200)"
            )
        raise click.BadParameter(f"{text!r} is outside lon/lat range: longitude is -180..180, latitude -90..90")
    return LonLat(lon, lat)


def _lonlat_callback(ctx, param, value):
    if value is None:
        return None
    if isinstance(value, tuple):
        return tuple(parse_lonlat(v) for v in value)
    return parse_lonlat(value)


def _read_option(name, convert=None):
    """A callback keeping a reading option in ``ctx.meta`` (commands pass ``ctx.params`` on; these need no argument)."""
    def keep(ctx, param, value):
        if value:
            ctx.meta.setdefault("geomap_read", {})[name] = convert(value) if convert else value
        return value

    return keep


def at_option(f):
    f = click.option(
        "--latlon", "latlon", multiple=True, metavar="LAT,LON", expose_value=False,
        callback=_read_option("latlon", lambda v: tuple(parse_lonlat(t, "latlon") for t in v)),
        help="An incident's coordinates latitude first, as Google Maps copies them (repeatable).",
    )(f)
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
        type=click.FloatRange(min=0),
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
    """--lon-col/--lat-col/--date-col/--id-col, --encoding, --date-format, --source-layer for FILE inputs."""
    f = click.option("--source-layer", metavar="NAME", default=None, expose_value=False,
                     callback=_read_option("layer_name"),
                     help="Read only this layer of a multi-layer FILE (GeoPackage, KML folder); default: every "
                          "layer, each row naming its own in source_layer.")(f)
    f = click.option("--date-format", metavar="FORMAT", default=None, expose_value=False,
                     callback=_read_option("date_format"),
                     help="strftime format of a FILE's non-ISO dates, e.g. %d/%m/%Y (default: ISO, '27 December "
                          "2020', and 27/12/2020 or 12/27/2020 when the file settles the order).")(f)
    f = click.option("--encoding", metavar="NAME", default=None, expose_value=False, callback=_read_option("encoding"),
                     help="Text encoding of a CSV FILE that is not UTF-8 and has no BOM (cp1251, cp1252, latin-1).")(f)
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


def _text_formats():
    """suffix -> --format, from the one suffix table (geomap.io.formats; standard library only)."""
    from geomap.io import formats

    return {s: formats.TEXT_OUTPUT[f] for s, f in formats.SUFFIX_FORMATS.items() if f in formats.TEXT_OUTPUT}


SUFFIX_FORMATS = _text_formats()


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

    ctx = click.get_current_context(silent=True)
    read = dict(ctx.meta.get("geomap_read", {})) if ctx is not None else {}
    at = tuple(at or ()) + tuple(read.pop("latlon", ()))
    inputs = jobs.Inputs(points=points, at=at, radius_m=radius_m, lon_col=lon_col, lat_col=lat_col,
                         assume_crs=assume_crs, places=list(places), date_col=date_col, id_col=id_col,
                         engine=engine, scheduler=scheduler, **read)
    kind = inputs.kind()
    if places:
        inputs.places = places_from_options(places, country, near, within, gazetteer, online)
    spec = jobs.LineSpec(layer=layer, theatre=theatre, date=date, assume_crs=assume_crs, rings=rings)
    return inputs, spec, kind
