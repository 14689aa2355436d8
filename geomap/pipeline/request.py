"""What to measure, validated once: the incidents, the line, the claim and how to run.

A :class:`Request` is what every command builds from its options and what a
notebook builds with keyword arguments; :func:`geomap.pipeline.run.run` takes
it and returns one :class:`~geomap.pipeline.result.Result`.  Place names are
resolved here, by the library, so ``Request(incidents=IncidentSource(places=
("Hadrut",)), ...)`` works without the CLI.

>>> src = IncidentSource(at=((47.0318, 39.52),))
>>> src.kind
'at'
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field
from typing import Any

from geomap.errors import InputError
from geomap.io.guards import assumed_crs
from geomap.types import LonLat


def parse_date(value: str | _dt.date | None) -> _dt.date | None:
    """An ISO date (YYYY-MM-DD) or None; :class:`~geomap.errors.InputError` otherwise."""
    if value is None or isinstance(value, _dt.date):
        return value
    from geomap.layers.registry import parse_date as registry_date

    return registry_date(value)


@dataclass(frozen=True)
class PlaceOptions:
    """How ``places`` are looked up (see :func:`geomap.places.gazetteer.geocode`).

    ``country`` (ISO 3166 alpha-2), ``near`` ((lon, lat) degrees), ``within``
    (a polygon layer id or path), ``gazetteer`` (the user's own places file),
    ``online`` (also ask Nominatim).
    """

    country: str | None = None
    near: tuple[float, float] | None = None
    within: str | None = None
    gazetteer: Any = None
    online: bool = False


def _lonlat_pairs(points, name: str) -> tuple:
    """``points`` as LonLat, each a pair of two numbers; InputError for one bare pair, text, or other lengths."""
    example = f"{name}=[(lon, lat), ...] (degrees, longitude first), e.g. {name}=[(47.0318, 39.52)]"
    if isinstance(points, (str, bytes)):
        raise InputError(f"{name}= takes a list of pairs, not the text {points!r}: give {example}")
    out = []
    for p in points:
        try:
            if isinstance(p, (str, bytes)) or len(p) != 2:
                raise ValueError
            out.append(LonLat(float(p[0]), float(p[1])))
        except (TypeError, ValueError):
            raise InputError(f"{name}= takes a list of (lon, lat) pairs; {p!r} is not one: give {example}") from None
    return tuple(out)


@dataclass(frozen=True)
class IncidentSource:
    """Where the incidents come from: exactly one of a file, coordinates, or place names.

    Attributes
    ----------
    path : str, optional
        A points file (CSV/TSV, ACLED/UCDP export, GeoJSON, GeoPackage,
        GeoParquet, any GDAL vector format), a glob or folder for the Dask
        engine, or ``-`` for standard input; from Python also a pandas
        DataFrame or geopandas GeoDataFrame (read as a file's rows are).
    at : tuple of (lon, lat)
        Coordinates in degrees, longitude first.  A point that lies far from
        the line but near it read the other way round is refused as a likely
        swap (:func:`geomap.places.context.check_not_swapped`).
    latlon : tuple of (lon, lat)
        Coordinates the user gave latitude first (``--latlon``, as Google Maps
        copies them), already put in (lon, lat) order: never a swap suspect.
    places : tuple of str
        Place names, resolved offline by the gazetteer (``place_options``).
    radius_m : float
        Location uncertainty (m) of every incident; a file row's precision
        code (ACLED ``geo_precision``, UCDP ``where_prec``) may widen it.
    lon_col, lat_col, date_col, id_col : str, optional
        Column names of a file (default: found by the schema or common names).
    place_col : str, optional
        A file column of place names, looked up near the line instead of coordinates.
    assume_crs : str, optional
        The CRS of a file that declares none.
    """

    path: str | None = None
    at: tuple = ()
    places: tuple = ()
    latlon: tuple = ()
    radius_m: float = 0.0
    lon_col: str | None = None
    lat_col: str | None = None
    date_col: str | None = None
    id_col: str | None = None
    assume_crs: str | None = None
    place_options: PlaceOptions = field(default_factory=PlaceOptions)
    place_col: str | None = None
    #: reading a FILE (geomap.io.points.read_points): text encoding, strftime date format, one layer
    encoding: str | None = None
    date_format: str | None = None
    layer_name: str | None = None
    #: the column that names each row of a FILE (``--label-col``)
    label_col: str | None = None

    def __post_init__(self):
        object.__setattr__(self, "at", _lonlat_pairs(self.at, "at"))
        object.__setattr__(self, "latlon", _lonlat_pairs(self.latlon, "latlon"))
        # one name is one place, not its letters
        object.__setattr__(self, "places", (self.places,) if isinstance(self.places, str) else tuple(self.places))
        try:
            radius = float(self.radius_m)
        except (TypeError, ValueError):  # '5km': a raw ValueError before
            radius = float("nan")
        if not (radius >= 0.0 and radius < float("inf")):
            raise InputError(f"radius_m must be a finite number of metres >= 0, got {self.radius_m!r}")
        if self.kind == "places" and radius > 0:
            raise InputError(
                "--radius-m is the uncertainty of --at points and FILE rows and does not widen a --place (its "
                "uncertainty comes from the gazetteer: a radius for a town or village, the polygon of a "
                "district): give the point with --at LON,LAT --radius-m N, or add the place with --gazetteer FILE "
                "and its uncertainty_m"
            )
        if self.assume_crs is not None:  # refused when unknown, even where the file's own CRS makes it unused
            assumed_crs(self.assume_crs)

    @property
    def kind(self) -> str:
        """``"file"``, ``"at"`` or ``"places"``; :class:`InputError` unless exactly one was given."""
        given = [name for name, on in (("file", self.path is not None), ("at", bool(self.at) or bool(self.latlon)),
                                       ("places", bool(self.places))) if on]
        if not given:
            raise InputError("no incident given: pass --at LON,LAT, --place NAME, or a FILE (- for stdin)")
        if len(given) > 1:
            flags = {"file": "FILE", "at": "--at", "places": "--place"}
            raise InputError(f"{' and '.join(flags[g] for g in given)} were both given: pass only one of FILE, "
                             "--at and --place")
        return given[0]


@dataclass(frozen=True)
class LineChoice:
    """Which line to measure against: a layer id or path, or a theatre (and a date).

    With ``theatre``, each incident is measured against the theatre's line
    valid on its own date (a file's date column), or on ``date`` when given;
    ``source`` (``"ne"`` or ``"osm"``) keeps only that source family's layers
    (default: the preferred layer valid on the date, see
    :func:`geomap.layers.registry.select_layer`).  ``assume_crs`` is the CRS of
    a layer file that declares none; ``rings`` measures to polygon boundaries
    as lines.  ``accuracy_m`` states the accuracy of a ``layer`` file (m; it
    widens every interval; default: the layer's own metadata, else none
    stated, which the outputs say in words); ``section_field`` names the
    field holding the sections' names.
    """

    layer: str | None = None
    theatre: str | None = None
    date: str | None = None
    assume_crs: str | None = None
    rings: bool = False
    source: str | None = None
    accuracy_m: float | None = None
    section_field: str | None = None

    def __post_init__(self):
        from os import PathLike

        if self.layer is not None and not isinstance(self.layer, (str, PathLike)):
            raise InputError(f"a layer is a shipped layer id or a file path, not {type(self.layer).__name__} "
                             f"{self.layer!r}: see geomap.list_layers()")
        if self.layer is not None and self.theatre is not None:
            raise InputError("--layer and --theatre were both given: pass one (--theatre picks a layer by --date)")
        if self.layer is None and self.theatre is None:
            raise InputError("no line of contact given: pass --layer ID|PATH, or --theatre NAME --date YYYY-MM-DD "
                             "(see 'geomap layers list')")
        if self.theatre is not None and self.accuracy_m is not None:
            raise InputError("--layer-accuracy-m states the accuracy of a --layer file: a theatre's layers state "
                             "their own (see 'geomap layers show ID')")
        if self.accuracy_m is not None and not (0.0 <= float(self.accuracy_m) < float("inf")):
            raise InputError(f"--layer-accuracy-m must be a finite number of metres >= 0, got {self.accuracy_m!r}")
        if self.layer is not None and self.source is not None:
            raise InputError("--source picks among a theatre's layers: drop it when naming --layer")
        if self.date is not None:
            parse_date(self.date)
        if self.assume_crs is not None:
            assumed_crs(self.assume_crs)
        if self.theatre is not None:
            from geomap.layers.registry import theatres

            known = theatres()
            if self.theatre not in known:
                from geomap.errors import LayerNotFound

                raise LayerNotFound(f"unknown theatre {self.theatre!r}: choose one of {', '.join(known) or 'none'} "
                                    "(see 'geomap layers list')")
            if self.date is not None:
                self._refuse_utc_time_across_lines()

    @property
    def line_called(self) -> tuple[str, ...]:
        """What the shipped ``layer``, or every line layer of ``theatre``, says its line is also called.

        ``line_called`` in layer.json (``("border",)`` for the Korean MDL, the
        Blue Line, the Kashmir LoC): a claim's '2 km from the border' is then
        read as from the line.  A file path or a theatre whose line layers
        disagree says nothing (``()``).
        """
        from pathlib import Path

        from geomap.errors import GeomapError
        from geomap.layers.registry import get_layer, list_layers

        def called(lyr) -> tuple[str, ...]:
            value = lyr.meta.get("line_called")
            return tuple(str(v) for v in value) if isinstance(value, list) else ()

        try:
            if self.layer is not None:
                return () if Path(self.layer).exists() else called(get_layer(str(self.layer), verify=False))
            lines = [lyr for lyr in list_layers(theatre=self.theatre, kind="line")
                     if self.source is None or lyr.provider == self.source]
        except GeomapError:
            return ()  # loading the line names a bad --layer or --theatre
        return tuple(n for n in called(lines[0]) if all(n in called(lyr) for lyr in lines)) if lines else ()

    def _refuse_utc_time_across_lines(self) -> None:
        """A ``date`` that is a time with a zone (``2020-09-26T21:00Z``, ``-05:00``) whose local day may have another line: InputError.

        The incident's local day is its UTC day, the day before or the day
        after (:func:`geomap.io.days.utc_day_ranges`); when the theatre's
        line changes within them the line of the incident is not known.
        """
        import datetime as _dt

        from geomap.io.days import utc_day_ranges
        from geomap.pipeline.dates import selection_changes

        if not isinstance(self.date, str):
            return
        ranges = utc_day_ranges([self.date.strip()])
        if ranges is None:
            return
        first, last = (_dt.date.fromisoformat(str(d[0])) for d in ranges)
        changes = [d for d in selection_changes(self.theatre, source=self.source) if first < d <= last]
        if changes:
            raise InputError(f"--date {self.date.strip()} is a time with a zone (an instant): the incident's local "
                             f"day is one of "
                             f"{first.isoformat()}..{last.isoformat()}, and the {self.theatre} line changes on "
                             f"{changes[0].isoformat()}: give the local date as YYYY-MM-DD")

    def load(self):
        """The one :class:`~geomap.layers.lineset.LineSet` this choice names (a layer, or the theatre's line on ``date``)."""
        from geomap.layers.lineset import read_lines

        if self.layer is not None:
            return read_lines(self.layer, assume_crs=self.assume_crs, rings=self.rings, accuracy_m=self.accuracy_m,
                              section_field=self.section_field)
        if self.date is None:
            raise InputError(f"--theatre {self.theatre} needs --date YYYY-MM-DD to choose the line valid on that date")
        from geomap.layers.registry import select_layer

        chosen = select_layer(self.theatre, parse_date(self.date), kind="line", source=self.source)
        return read_lines(chosen.id, rings=self.rings)


@dataclass(frozen=True)
class Execution:
    """How to run: ``engine`` ``"local"`` (in memory) or ``"dask"`` (partition by partition,
    written to ``output``), the Dask ``scheduler`` address, and a ``progress_factory(total)``
    returning a context manager with ``update(n)``."""

    engine: str = "local"
    scheduler: str | None = None
    output: str | None = None
    progress_factory: Any = None

    def __post_init__(self):
        if self.engine not in ("local", "dask"):
            raise InputError(f"unknown engine {self.engine!r}: use 'local' or 'dask'")


@dataclass(frozen=True)
class Request:
    """Everything one measurement needs, validated when it is built.

    ``claim`` is a :class:`geomap.claims.Claim` (or its text, parsed with
    :func:`geomap.claims.parse_claim`), or None to measure only.
    """

    incidents: IncidentSource
    line: LineChoice
    claim: Any = None
    execution: Execution = field(default_factory=Execution)

    def __post_init__(self):
        if self.claim is not None:
            from geomap.verdict import claim_of

            object.__setattr__(self, "claim", claim_of(self.claim, line_called=self.line.line_called))
        kind = self.incidents.kind
        if self.execution.engine == "dask" and kind != "file":
            raise InputError("--engine dask is for FILE inputs: give a CSV glob or a GeoParquet folder")
        if self.incidents.place_col is not None and (kind != "file" or self.execution.engine == "dask"):
            raise InputError("--place-col names a column of a FILE read on the local engine: give the file "
                             "and drop --engine dask")
        if kind != "file" and self.line.theatre is not None and self.line.date is None:
            raise InputError(f"--theatre {self.line.theatre} needs --date YYYY-MM-DD to choose the line valid "
                             "on that date")


# --------------------------------------------------------------------- places and incidents
def place_context(choice: LineChoice, lines=None):
    """The :class:`~geomap.places.context.PlaceContext` of the line a request names (its layer, or every
    line and area of its theatre): place names are looked up near it and coordinates checked against it.

    ``lines``: the layer's LineSet when already read (it is not read again).
    """
    from geomap.places.context import PlaceContext

    if choice.layer is not None:
        return PlaceContext.from_lines(lines if lines is not None else choice.load())
    return PlaceContext.from_theatre(choice.theatre)


def resolve_places(source: IncidentSource, context=None) -> list[tuple[Any, str]]:
    """Each of ``source.places`` resolved by the gazetteer, near ``context`` when given: ``(Place, note)`` pairs.

    A candidate more than 300 km from the context's lines is never chosen (see
    ``docs/gazetteer.md``).  Raises :class:`~geomap.errors.AmbiguousPlace` or
    :class:`~geomap.errors.PlaceNotFound` (exit 2) naming the candidates.
    """
    from geomap.errors import AmbiguousPlace
    from geomap.places.gazetteer import ambiguity_message, geocode

    opts = source.place_options
    kwargs = dict(country=opts.country, near=opts.near, within=opts.within, gazetteer=opts.gazetteer,
                  online=opts.online, context=context)
    out = []
    for name in source.places:
        result = geocode(name, **kwargs)
        if result.best is None:
            raise AmbiguousPlace(ambiguity_message(result))
        out.append((result.best, result.note))
    return out


def incidents_of(source: IncidentSource, *, date: str | None = None, context=None) -> list:
    """The :class:`~geomap.pipeline.incidents.Incident` of each ``--at``/``--latlon`` point or place (not for files).

    With ``context``, each ``--at`` point is checked for swapped coordinates
    (refused with :class:`~geomap.errors.CoordinateError`, exit 2) and places
    are looked up near it.
    """
    from geomap.pipeline.incidents import Incident

    out: list[Any] = []
    if context is not None and source.at:
        from geomap.places.context import check_not_swapped

        for p in source.at:  # --latlon states its order: never a swap suspect
            check_not_swapped(p.lon, p.lat, context)
    for i, p in enumerate(source.at + source.latlon):
        out.append(Incident(lon=p.lon, lat=p.lat, radius_m=source.radius_m, label=f"point {i + 1}", date=date))
    if source.places:
        for place, note in resolve_places(source, context):
            incident = Incident.from_place(place, date=date)
            if incident.note and incident.note in (note or ""):
                incident.note = note
            else:
                incident.note = "; ".join(n for n in (note, incident.note) if n)
            out.append(incident)
    return out
