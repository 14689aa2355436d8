"""Options shared by several commands, and their validating callbacks."""

from __future__ import annotations

import logging

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
            from geomap.io.links import LinkError

            if isinstance(exc, LinkError):  # its message names the fix
                raise click.BadParameter(str(exc)) from None
            example = "LAT,LON like 39.5200,47.0318" if order == "latlon" else "LON,LAT like 47.0318,39.5200"
            raise click.BadParameter(f"{exc}: write {example}, or 39°31′12″N 47°01′54″E (also a Google Maps or "
                                     "OpenStreetMap link, geo:LAT,LON, a full Plus Code, an MGRS reference)") from None
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


def _latlon_callback(ctx, param, value):
    """``LAT,LON`` (latitude first, as Google Maps copies a point; DMS forms too) -> :class:`LonLat` values."""
    return tuple(parse_lonlat(text, "latlon") for text in value or ())


def at_option(f):
    f = click.option(
        "--latlon",
        "latlon",
        multiple=True,
        metavar="LAT,LON",
        callback=_latlon_callback,
        help="An incident's coordinates, latitude first as Google Maps copies them (repeatable).",
    )(f)
    return click.option(
        "--at",
        "at",
        multiple=True,
        metavar="LON,LAT",
        callback=_lonlat_callback,
        help="An incident's coordinates, longitude first (repeatable); also a Google Maps or OpenStreetMap link, "
             "geo:LAT,LON, a full Plus Code or an 8/10-digit MGRS reference.",
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
        "--section-field", metavar="FIELD", default=None,
        help="The layer's field that names its sections (default: name, title, label, in any case; "
             "description last).",
    )(f)
    f = click.option(
        "--layer-accuracy-m", "accuracy_m", type=click.FloatRange(min=0), default=None, metavar="M",
        help="Accuracy of the --layer line (m): widens every distance interval by M each side "
             "[default: the layer's own metadata; a file without any: none stated, said in the output].",
    )(f)
    f = click.option(
        "--rings",
        is_flag=True,
        help="Measure to polygon boundaries of the layer as lines (off: a polygon-only layer is an error).",
    )(f)
    f = click.option(
        "--assume-crs", metavar="CRS", default=None,
        help="CRS of a layer or points file that declares none, or whose format only implies WGS84 "
             "(a GeoJSON without crs holding projected coordinates), or of a table's coordinate columns "
             "(x/y, easting/northing in metres), e.g. EPSG:32638."
    )(f)
    f = click.option(
        "--date", "date", metavar="YYYY-MM-DD", default=None, help="Incident date: picks the --theatre line valid then."
    )(f)
    f = click.option(
        "--source", "line_source", type=click.Choice(["ne", "osm"]), default=None,
        help="With --theatre: only Natural Earth (ne, public domain) or OpenStreetMap (osm, ODbL) layers "
             "[default: the more detailed layer valid on --date; see geomap layers list].",
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
    """--lon-col/--lat-col/--date-col/--id-col/--place-col for FILE inputs (ACLED and UCDP GED need none of them)."""
    f = click.option("--label-col", default=None, metavar="NAME",
                     help="The column that names each row of a FILE in tables, maps and messages (default: "
                          "name/title/place, then the id column, then location; else 'row N', counted from 1).")(f)
    f = click.option("--place-col", default=None, metavar="NAME",
                     help="A column of place names instead of coordinates: each row is looked up in the "
                          "offline gazetteer near the line (--theatre/--layer) and gets a status "
                          "(ok, ambiguous, place_not_found).")(f)
    f = click.option("--source-layer", "layer_name", metavar="NAME", default=None,
                     help="Read only this layer of a multi-layer FILE (GeoPackage, KML folder); default: every "
                          "layer, each row naming its own in source_layer.")(f)
    f = click.option("--date-format", metavar="FORMAT", default=None,
                     help="strftime format of a FILE's non-ISO dates, e.g. %d/%m/%Y (default: ISO, '27 December "
                          "2020', and 27/12/2020 or 12/27/2020 when the file settles the order).")(f)
    f = click.option("--encoding", metavar="NAME", default=None,
                     help="Text encoding of a CSV FILE that is not UTF-8 and has no BOM (cp1251, cp1252, latin-1).")(f)
    f = click.option("--id-col", default=None,
                     help="Row identifier column, used in diagnostics (ACLED/UCDP: found by the schema).")(f)
    f = click.option("--date-col", default=None,
                     help="Date column of a FILE: with --theatre each row is measured against the line valid "
                          "on its own date (default: found by name; ACLED event_date, UCDP date_start).")(f)
    f = click.option("--lat-col", default=None, help="Latitude column of a FILE (default: found by name).")(f)
    f = click.option("--lon-col", default=None, help="Longitude column of a FILE (default: found by name).")(f)
    return f


def parse_near(ctx, param, value):
    """click callback: ``"LON,LAT"`` -> ``(lon, lat)`` floats, or None (same checks as ``--at``)."""
    if value is None:
        return None
    point = parse_lonlat(value)
    return (point.lon, point.lat)


def narrowing_options(func):
    """``--country``, ``--near``, ``--within``, ``--gazetteer``, ``--online``: how place names are looked up."""
    from pathlib import Path

    options = [
        click.option("--country", metavar="CC", default=None,
                     help="Only places in this country (ISO 3166 two-letter code, e.g. AZ)."),
        click.option("--near", metavar="LON,LAT", default=None, callback=parse_near,
                     help="Only places within 100 km of this point (degrees, longitude first), nearest first."),
        click.option("--within", metavar="LAYER", default=None,
                     help="Only places inside this polygon layer: any shipped layer with polygons (area, "
                          "districts, countries) or a polygon file in any format the readers take."),
        click.option("--gazetteer", type=click.Path(exists=True, dir_okay=False, path_type=Path), default=None,
                     help="Your own places: a CSV with name,lon,lat[,kind,country,uncertainty_m] columns, or "
                          "named points/polygons in any format the readers take (GeoJSON, KML, GeoPackage, ...)."),
        click.option("--online", is_flag=True, default=False,
                     help="Also ask Nominatim (OpenStreetMap) online; needs geopy and the network."),
    ]
    for option in reversed(options):
        func = option(func)
    return func


def places_options(func):
    """``--place NAME`` (repeatable; the command gets a tuple ``places``) and the narrowing options."""
    func = narrowing_options(func)
    return click.option("--place", "places", metavar="NAME", multiple=True,
                        help="A place name instead of coordinates, repeatable (offline gazetteer; "
                             "see 'geomap geocode').")(func)


#: the options :func:`incident_options` folds into ``source`` and ``line``
_SOURCE_KEYS = ("points", "at", "latlon", "places", "country", "near", "within", "gazetteer", "online", "radius_m",
                "lon_col", "lat_col", "date_col", "id_col", "place_col", "encoding", "date_format", "layer_name",
                "label_col")
_LINE_KEYS = ("layer", "theatre", "date", "assume_crs", "rings", "line_source", "accuracy_m", "section_field")


def incident_options(f):
    """The incident and line options of ``distance``, ``check`` and ``map``, folded into two objects.

    Adds ``[FILE|-]``, ``--at``, the ``--place`` options, ``--radius-m``, the
    line options (:func:`layer_options`) and the points-file columns
    (:func:`points_file_options`), in that order in ``--help``.  The command
    receives ``source`` (a :class:`geomap.pipeline.request.IncidentSource`)
    and ``line`` (a :class:`geomap.pipeline.request.LineChoice`), validated,
    instead of eighteen separate values.  The input kind (FILE, --at,
    --place) is checked before any --place name is looked up.
    """
    import functools

    @functools.wraps(f)
    def wrapper(*args, **kwargs):
        from geomap.pipeline.request import IncidentSource, LineChoice, PlaceOptions

        given = {k: kwargs.pop(k) for k in _SOURCE_KEYS}
        line = {k: kwargs.pop(k) for k in _LINE_KEYS}
        source = IncidentSource(
            path=given["points"], at=given["at"] or (), latlon=given["latlon"] or (), places=given["places"] or (),
            radius_m=given["radius_m"], lon_col=given["lon_col"], lat_col=given["lat_col"],
            date_col=given["date_col"], id_col=given["id_col"], place_col=given["place_col"],
            encoding=given["encoding"], date_format=given["date_format"], layer_name=given["layer_name"],
            label_col=given["label_col"],
            assume_crs=line["assume_crs"],
            place_options=PlaceOptions(country=given["country"], near=given["near"], within=given["within"],
                                       gazetteer=given["gazetteer"], online=given["online"]),
        )
        line["source"] = line.pop("line_source")
        return f(*args, source=source, line=LineChoice(**line), **kwargs)

    for option in (points_file_options, layer_options, radius_option, places_options, at_option):
        wrapper = option(wrapper)
    return click.argument("points", required=False, metavar="[FILE|-]")(wrapper)


def engine_options(f):
    """--engine local|dask and --scheduler for FILE inputs."""
    f = click.option("--scheduler", metavar="ADDRESS", default=None,
                     help="With --engine dask: an existing Dask scheduler (default: a local cluster, 2 processes).")(f)
    f = click.option("--engine", type=click.Choice(["local", "dask"]), default="local", show_default=True,
                     help="local: in memory; dask: partition by partition (a CSV glob or a GeoParquet folder, "
                          "larger than memory), written to -o part by part.")(f)
    return f


def _verbosity_callback(ctx, param, value):
    """Record -v/-q on the root context and set geomap's log level (once per invocation)."""
    root = ctx.find_root()
    state = root.meta.setdefault("geomap.verbosity", {"verbose": 0, "quiet": False})
    if param.name == "verbose":
        state["verbose"] = max(state["verbose"], value or 0)
    elif value:
        state["quiet"] = True
    configure_logging(state["verbose"], state["quiet"])
    return value


def configure_logging(verbose: int, quiet: bool) -> None:
    """Set geomap's log level from -v/-q (diagnostics go to stderr)."""
    import sys

    level = logging.WARNING
    if quiet:
        level = logging.ERROR
    elif verbose >= 2:
        level = logging.DEBUG
    elif verbose == 1:
        level = logging.INFO
    logging.basicConfig(level=level, format="geomap: %(message)s", stream=sys.stderr)
    logging.getLogger("geomap").setLevel(level)
    for handler in logging.getLogger().handlers:  # notes speak the CLI's flags, as its errors do
        if type(handler) is logging.StreamHandler:  # basicConfig's; not a host's own (pytest's capture, a notebook)
            handler.setFormatter(_FlagFormatter("geomap: %(message)s"))
    import warnings

    # a Python warning (geomap's InputNote, or pyogrio's, pandas', shapely's ...) is a geomap note, never raw
    warnings.showwarning = _warning_as_note


class _FlagFormatter(logging.Formatter):
    """Log lines with library parameter names (``layer_name=``) written as the CLI's flags (:func:`flag_language`)."""

    def format(self, record) -> str:
        return flag_language(super().format(record))


def _warning_as_note(message, category, filename, lineno, file=None, line=None) -> None:
    """A Python warning, from geomap's readers or a library (pyogrio, pandas, shapely), as one note on stderr.

    geomap's own :class:`~geomap.errors.InputNote` (something changed or skipped
    while reading) is shown always; a library's warning is informational and
    shown with -v.  Never a raw warning with a file name and source line.
    """
    from geomap.errors import InputNote

    text = " ".join(str(message).split())
    log = logging.getLogger("geomap")
    if issubclass(category, InputNote):
        log.warning("note: %s", text)
    else:
        log.info("note: %s: %s", category.__name__, text)


#: library parameter names in error messages -> the flags that set them (the library speaks library language)
FLAG_NAMES = {"assume_crs": "--assume-crs", "encoding": "--encoding", "date_format": "--date-format",
              "layer_name": "--source-layer", "lon_col": "--lon-col", "lat_col": "--lat-col",
              "date_col": "--date-col", "radius_m": "--radius-m"}


def flag_language(message: str) -> str:
    """A library message with ``assume_crs=`` etc. written as the CLI flags (``--assume-crs``)."""
    import re

    return re.sub(r"\b(" + "|".join(FLAG_NAMES) + r")=(?=\s|$|[),;:])", lambda m: FLAG_NAMES[m.group(1)], message)


def verbosity_options(f):
    """``-v/--verbose`` (repeatable) and ``-q/--quiet``: geomap's log level, on the group and every command.

    The one place they are declared; the value lives in the root context
    (see :func:`is_quiet`) and commands do not receive it.
    """
    f = click.option("-q", "--quiet", is_flag=True, expose_value=False, callback=_verbosity_callback,
                     help="Only errors on stderr.")(f)
    f = click.option("-v", "--verbose", count=True, expose_value=False, callback=_verbosity_callback,
                     help="More diagnostics on stderr (-vv for debug).")(f)
    return f


def is_quiet() -> bool:
    """True when -q was given to the group or the command."""
    ctx = click.get_current_context(silent=True)
    if ctx is None:
        return False
    return bool(ctx.find_root().meta.get("geomap.verbosity", {}).get("quiet"))


def output_options(formats=("table", "json", "csv", "geojson")):
    """``--format`` and ``-o/--output`` (and -v/-q): the command receives ``fmt`` (resolved) and ``output``."""
    def deco(f):
        import functools

        @functools.wraps(f)
        def wrapper(*args, **kwargs):
            kwargs["fmt"] = resolve_format(kwargs.get("fmt"), kwargs.get("output"), formats)
            return f(*args, **kwargs)

        wrapper = verbosity_options(wrapper)
        wrapper = click.option(
            "-o", "--output", "output", metavar="PATH", default=None, help="Write to PATH (atomically) instead of stdout."
        )(wrapper)
        wrapper = click.option(
            "--format",
            "fmt",
            type=click.Choice(formats),
            default=None,
            help=f"Output format [default: from the -o suffix, else {formats[0]}].",
        )(wrapper)
        return wrapper

    return deco


def _text_formats():
    """suffix -> --format, from the one suffix table (geomap.io.formats; standard library only)."""
    from geomap.io import formats

    return {s: formats.TEXT_OUTPUT[f] for s, f in formats.SUFFIX_FORMATS.items() if f in formats.TEXT_OUTPUT}


SUFFIX_FORMATS = _text_formats()


def resolve_format(fmt, output, formats=("table", "json", "csv", "geojson")):
    """The --format given, else the one the -o suffix implies, else the first (table).

    A --format that contradicts the -o suffix (``--format json -o out.csv``, or any --format with a
    ``.gpkg``/``.parquet`` file of rows) is refused: one of the two would be ignored without a word.
    """
    if fmt:
        if output and str(output) != "-":
            from pathlib import Path

            from geomap.io import formats

            kind = formats.format_of(output)
            implied = SUFFIX_FORMATS.get(Path(output).suffix.lower())
            if (implied is not None and implied != fmt) or kind in formats.RESULT_FILES and implied is None:
                raise click.UsageError(f"--format {fmt} contradicts -o {Path(str(output)).name} (written as "
                                       f"{implied or kind}): drop --format, or give -o a matching suffix")
        return fmt
    if output and str(output) != "-":
        from pathlib import Path

        implied = SUFFIX_FORMATS.get(Path(output).suffix.lower())
        if implied in formats:
            return implied
    return formats[0]


def suffix_callback(expected):
    def check(ctx, param, value):
        if value is not None and not str(value).lower().endswith(expected):
            raise click.BadParameter(f"{value!r} does not end in {expected}: name the file like map{expected}")
        return value

    return check


def map_file_options(f):
    """``--html PATH`` and ``--png PATH``: also write the evidence map (and a screenshot of it)."""
    f = click.option("--png", "png", metavar="PATH", default=None, callback=suffix_callback(".png"),
                     help="Also write a PNG screenshot of the map (needs Debian chromium).")(f)
    f = click.option("--html", "html", metavar="PATH", default=None, callback=suffix_callback(".html"),
                     help="Also write a standalone offline HTML map of the result.")(f)
    return f
