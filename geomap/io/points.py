"""Reading incident points from files: event datasets (ACLED, UCDP GED), CSV/TSV, GeoJSON, GeoPackage, GeoParquet.

Every input row is kept: rows whose coordinates, date or location precision
are unusable get a ``status`` saying why, instead of disappearing.

Event datasets are recognised by their columns, without flags:

* **ACLED** exports: ``event_id_cnty``, ``event_date``, ``latitude``,
  ``longitude`` (and ``geo_precision``);
* **UCDP GED**: ``id``, ``date_start``, ``latitude``, ``longitude``,
  ``where_prec``.

Their precision codes become location-uncertainty radii (see
:data:`PRECISION_RADII_M` and ``docs/batch.md`` for the sources).  Any other
table names its columns with ``lon_col``/``lat_col``/``date_col``/``id_col``
(found by common names when not given).

Files are opened only by the io package: delimited text by
:mod:`geomap.io.tabular`, vector files (every layer) and GeoParquet by
:mod:`geomap.io.vector`; column values are parsed by :mod:`geomap.io.columns`.
Points are measured as points, polygons as areas (:attr:`PointTable.area`).
"""

from __future__ import annotations

import logging
import sys
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from geomap.errors import CRSError, FileFormatError, InputError
from geomap.io import formats, values
from geomap.io.columns import (  # noqa: F401 - parse_dates and precision_radii: public here too
    column_values,
    filled,
    iso_dates,
    numbers,
    parse_dates,
    precision_radii,
)
from geomap.io.days import row_days
from geomap.io.projected import projected_columns, to_lonlat
from geomap.io.text import safe_text
from geomap.io.tabular import read_csv_frame, sniff_separator  # noqa: F401 - read_csv_frame: public here too

log = logging.getLogger("geomap.io")

LON_NAMES = ("lon", "lng", "long", "longitude", "x", "lon_dd", "longitude_dd", "decimallongitude")
LAT_NAMES = ("lat", "latitude", "y", "lat_dd", "latitude_dd", "decimallatitude")
DATE_NAMES = ("date", "event_date", "date_start", "day", "incident_date")
#: the list of records in an event API's JSON response: ACLED ``{"status": 200, "data": [...]}``,
#: UCDP GED ``{"Result": [...]}``
API_RECORDS = ("data", "Result")

#: Location-uncertainty radius (m) per precision code; ``None`` = too imprecise to measure
#: (status ``imprecise_location``).  Sources and reasoning: docs/batch.md.
PRECISION_RADII_M: dict[str, dict[str, float | None]] = {
    # ACLED codebook: 1 = the town/village itself; 2 = a small part of a region or "near" a town,
    # coded to the nearest town; 3 = a larger region, coded to its provincial capital/centroid.
    "acled": {"1": 2_000.0, "2": 25_000.0, "3": 100_000.0},
    # UCDP GED codebook where_prec: 1 exact; 2 within ~25 km of a named place; 3 second-order
    # administrative unit (ADM2); 4 first-order unit (ADM1); 5 a part of a country larger than ADM1 /
    # along a linear feature; 6 the country; 7 international waters or airspace.
    "ucdp": {"1": 1_000.0, "2": 25_000.0, "3": 50_000.0, "4": 150_000.0, "5": None, "6": None, "7": None},
}

#: Every status a row can get, in the order they are checked (the first that applies wins).
STATUSES = (
    "ok",
    "missing_coordinates",
    "invalid_coordinates",
    "coordinates_out_of_range",
    "empty_geometry",
    "invalid_geometry",
    "not_a_point",
    "invalid_precision",
    "imprecise_location",
    "missing_date",
    "invalid_date",
    "no_layer_for_date",
    "date_spans_layers",
    "layer_known_wrong",  # geomap.layers.known_errors.KNOWN_WRONG
    "suspect_swapped", "suspect_sign",  # measured, then flagged (pipeline.suspects): distance, no verdict
)


@dataclass(frozen=True)
class Schema:
    """Which columns of an input hold what, and how precision codes become radii.

    ``name`` is ``"acled"``, ``"ucdp"`` or ``"generic"``.
    """

    name: str
    lon_col: str | None = None
    lat_col: str | None = None
    date_col: str | None = None
    id_col: str | None = None
    precision_col: str | None = None
    #: the last day of an event dated by a range (UCDP ``date_end``); None: each row's date is one day
    date_end_col: str | None = None
    #: how well each row's date is known (ACLED ``time_precision``, UCDP ``date_prec``): see geomap.io.days
    date_prec_col: str | None = None

    @property
    def precision_radii_m(self) -> dict[str, float | None] | None:
        return PRECISION_RADII_M.get(self.name)


@dataclass
class PointTable:
    """Input rows with their coordinates and a per-row status.

    ``frame`` is a pandas DataFrame of the input columns, unchanged (as text
    for CSV, so identifiers keep their leading zeros).  ``lon``/``lat`` are
    float arrays (NaN where unusable) and ``status`` says ``ok`` or why not.
    ``date`` is a ``datetime64[D]`` array (NaT where absent or unparseable;
    ``date_status`` says which), ``radius_m`` the location uncertainty from
    the row's precision code (0 where the schema has none).
    """

    frame: object
    lon: np.ndarray
    lat: np.ndarray
    status: np.ndarray
    source: str
    lon_col: str | None = None
    lat_col: str | None = None
    schema: Schema = field(default_factory=lambda: Schema("generic"))
    date: np.ndarray | None = None
    date_status: np.ndarray | None = None
    radius_m: np.ndarray | None = None
    #: object array: the lon/lat (Multi)Polygon of each row that is an area (measured min-max), None for points
    area: np.ndarray | None = None
    #: object array: the layer of a multi-layer source each row came from (also the frame's ``source_layer``)
    layer: np.ndarray | None = None
    #: what the reader noticed and the user should know (also logged)
    notes: list = field(default_factory=list)
    #: the order of day and month the slashed dates settled ("day first", "month first"), if any
    date_order: str | None = None
    #: the first and last day each row may have happened on, and why the date column found by name is not
    #: safe (another disagrees; raised with --theatre): see :func:`geomap.io.days.row_days`
    date_end: np.ndarray | None = None
    date_first: np.ndarray | None = None
    date_conflict: str | None = None
    #: the index of a frame read in memory (:func:`geomap.io.frames.read_frame`): the result's rows keep it, so that its
    #: columns assigned back to the caller's frame align with their rows (None for files: 0..n-1)
    index: object = None

    def __len__(self) -> int:
        return int(self.lon.shape[0])

    @property
    def has_dates(self) -> bool:
        return self.date is not None


def find_column(columns, wanted: str | None, names: tuple[str, ...], what: str, source: str,
                flag: str | None = None, required: bool = True) -> str | None:
    """The column holding ``what``: ``wanted`` if given, else the first of ``names`` (any case)."""
    cols = [str(c) for c in columns]
    if wanted is not None:
        if wanted in cols:
            return wanted
        raise InputError(f"{source} has no column {wanted!r}: choose one of {', '.join(cols[:20])}")
    lower = {c.lower(): c for c in cols}
    for name in names:
        if name in lower:
            return lower[name]
    if not required:
        return None
    flag = flag or ("--lon-col" if what == "longitude" else "--lat-col")
    raise InputError(
        f"cannot find a {what} column in {source} (looked for {', '.join(names[:4])}, ...): name it with {flag}"
    )


def detect_schema(columns, *, lon_col=None, lat_col=None, date_col=None, id_col=None, source: str = "input",
                  geometry: bool = False) -> Schema:
    """Recognise ACLED and UCDP GED by their columns; otherwise a generic table.

    Explicit column names win over what the schema would pick.  ``geometry``:
    the input carries point geometries (lon/lat columns are then not needed).
    """
    lower = {str(c).lower(): str(c) for c in columns}
    if {"event_id_cnty", "event_date", "latitude", "longitude"} <= set(lower):
        name, dflt = "acled", dict(lon="longitude", lat="latitude", date="event_date", id="event_id_cnty",
                                   prec="geo_precision")
    elif {"id", "date_start", "latitude", "longitude", "where_prec"} <= set(lower):
        name, dflt = "ucdp", dict(lon="longitude", lat="latitude", date="date_start", id="id", prec="where_prec")
    else:
        name, dflt = "generic", {}
    if name == "generic":
        lon = None if geometry and lon_col is None else find_column(columns, lon_col, LON_NAMES, "longitude", source)
        lat = None if geometry and lat_col is None else find_column(columns, lat_col, LAT_NAMES, "latitude", source)
        date = find_column(columns, date_col, DATE_NAMES, "date", source, required=False)
        ident = find_column(columns, id_col, (), "id", source, required=False)
        return Schema("generic", lon, lat, date, ident, None)
    pick = {}
    for key, wanted in (("lon", lon_col), ("lat", lat_col), ("date", date_col), ("id", id_col)):
        pick[key] = find_column(columns, wanted, (), key, source) if wanted is not None else lower.get(dflt[key])
    if geometry and lon_col is None and lat_col is None:
        pick["lon"] = pick["lat"] = None
    # without its precision column the rows are measured as points (radius_m given, else 0): see schema_notes
    prec = lower.get(dflt["prec"])
    own_date = pick["date"] == lower.get(dflt["date"])  # the schema's date column: its range and precision apply
    end = lower.get("date_end") if name == "ucdp" and own_date else None  # a range
    date_prec = lower.get("time_precision" if name == "acled" else "date_prec") if own_date else None
    return Schema(name, pick["lon"], pick["lat"], pick["date"], pick["id"], prec, end, date_prec)


def schema_notes(schema: Schema, source: str) -> list[str]:
    """What the user must know about how ``schema`` reads ``source`` (a missing precision column)."""
    if schema.name in PRECISION_RADII_M and schema.precision_col is None:
        col = "geo_precision" if schema.name == "acled" else "where_prec"
        return [f"{source} looks like a {schema.name.upper()} export without its {col} column: each row is "
                "measured with the location uncertainty given (radius_m, default 0), not its own"]
    return []


def coordinate_status(lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
    """``ok``, ``missing_coordinates`` or ``coordinates_out_of_range`` per row.

    Exactly (0, 0) ("Null Island") is ``missing_coordinates``: it is what GDAL
    reads for a KML ``<Point>`` with empty ``<coordinates>`` and what
    spreadsheets and exports write for blank cells, never a coded incident.
    """
    status = filled(lon.shape, "ok")
    missing = ~(np.isfinite(lon) & np.isfinite(lat)) | ((lon == 0) & (lat == 0))
    out = ~missing & ((np.abs(lon) > 180) | (np.abs(lat) > 90))
    status[missing] = "missing_coordinates"
    status[out] = "coordinates_out_of_range"
    return status


def read_points(
    source: str | Path,
    *,
    lon_col: str | None = None,
    lat_col: str | None = None,
    date_col: str | None = None,
    id_col: str | None = None,
    assume_crs: str | None = None,
    encoding: str | None = None,
    date_format: str | None = None,
    layer_name: str | None = None,
) -> PointTable:
    """Read incident points from a file, or ``-`` for standard input (CSV or GeoJSON).

    Parameters
    ----------
    source : str or Path
        An ACLED or UCDP GED export (CSV, or the JSON their APIs return), any
        delimited text with longitude and latitude columns (found by common
        names such as lon/lng/longitude/x and lat/latitude/y, or named), a
        (Geo)Parquet file, or any vector format GDAL reads (GeoJSON,
        GeoPackage, KML, ...; every layer), in any CRS (converted to lon/lat).
        A named pipe is read once.
    lon_col, lat_col, date_col, id_col : str, optional
        Column names, overriding what the schema or the common names give.
    assume_crs : str, optional
        CRS of a vector file that declares none.
    encoding : str, optional
        Encoding of delimited text that is neither UTF-8 nor starts with a BOM.
    date_format : str, optional
        strftime format of non-ISO dates (e.g. ``%d/%m/%Y``).
    layer_name : str, optional
        Read only this layer of a multi-layer source (default: every layer).

    Returns
    -------
    PointTable

    Raises
    ------
    FileFormatError
        A missing, empty or unreadable input, or one without rows/features.
    InputError
        No coordinate columns; ambiguous dates (see :func:`parse_dates`).
    CRSError
        A vector source without a CRS whose coordinates are not lon/lat.
    """
    cols = dict(lon_col=lon_col, lat_col=lat_col, date_col=date_col, id_col=id_col, date_format=date_format)
    if str(source) == "-":
        data = sys.stdin.buffer.read()
        if not data.strip():
            raise FileFormatError("standard input is empty: pipe CSV or a GeoJSON FeatureCollection into it")
        label = "<stdin>"
        text_start = data.lstrip()[:1]
        if text_start in (b"{", b"[") or data.startswith(b"\xef\xbb\xbf{"):
            return _read_json_points(data, label, assume_crs, layer_name, **cols)
        if text_start == b"<" or data[:4] in (b"PK\x03\x04", b"PAR1") or data[:16].startswith(b"SQLite format 3"):
            return _from_vector(data, label, assume_crs, layer_name, **cols)
        return finish_table(table_from_frame(read_csv_frame(data, encoding=encoding, label=label), label,
                                             crs=assume_crs, **cols))
    from geomap.io.vector import check_source_path

    path = Path(source)
    check_source_path(path)
    label = safe_text(str(path))
    fmt = formats.format_of(path)
    if fmt in formats.TABULAR or (fmt is None and not path.is_file()):
        return finish_table(table_from_frame(read_csv_frame(path, encoding=encoding), label, crs=assume_crs, **cols))
    if fmt in formats.JSON:
        return _read_json_points(path, label, assume_crs, layer_name, **cols)
    if fmt in formats.PARQUET:
        return finish_table(read_parquet_points(path, label, assume_crs=assume_crs, **cols))
    return _from_vector(path, label, assume_crs, layer_name, **cols)


def finish_table(table: PointTable) -> PointTable:
    """Log the table's notes (once per read) and return it."""
    table.notes = list(table.notes) + schema_notes(table.schema, table.source)
    for note in table.notes:
        log.warning("note: %s", note)
    return table


def _read_json_points(source, label, assume_crs, layer_name, **cols) -> PointTable:
    """A JSON input: an ACLED/UCDP API response (records), else GeoJSON or anything GDAL reads."""
    from geomap.io.vector import geojson_features, load_json

    parsed = load_json(source)
    if isinstance(parsed, dict):
        for key in API_RECORDS:
            records = parsed.get(key)
            if isinstance(records, list) and (not records or isinstance(records[0], dict)):
                import pandas as pd

                if not records:
                    raise FileFormatError(f"{label} holds an API response with no records in {key!r}: "
                                          "query a period or place that has events")
                return finish_table(table_from_frame(values.records_frame(records), label, crs=assume_crs, **cols))
        if layer_name is None:
            found = geojson_features(parsed, label, assume_crs=assume_crs, strict=False)
            if found is not None:
                return finish_table(table_from_vector(found, label, crs=assume_crs, **cols))
    if isinstance(parsed, list) and parsed and all(isinstance(r, dict) for r in parsed[:100]):
        if parsed[0].get("type") not in ("Feature", "FeatureCollection"):
            import pandas as pd

            return finish_table(table_from_frame(values.records_frame(parsed), label, crs=assume_crs, **cols))
    return _from_vector(source, label, assume_crs, layer_name, **cols)


def _from_vector(source, label, assume_crs, layer_name, **cols) -> PointTable:
    from geomap.io.vector import read_vector

    found = read_vector(source, assume_crs=assume_crs, layer_name=layer_name, strict=False, label=label)
    return finish_table(table_from_vector(found, label, crs=assume_crs, **cols))


def read_parquet_points(path, label: str, *, assume_crs=None, row_group: int | None = None, **cols) -> PointTable:
    """A (Geo)Parquet file, or one of its row groups, as a :class:`PointTable` (geometries or coordinate columns)."""
    from geomap.io.vector import read_geoparquet

    found = read_geoparquet(path, assume_crs=assume_crs, strict=False, label=label, row_group=row_group)
    if found is not None:
        return table_from_vector(found, label, crs=assume_crs, **cols)
    import pyarrow.parquet as pq

    pf = pq.ParquetFile(path)
    table = pf.read() if row_group is None else pf.read_row_group(row_group)
    if table.num_rows == 0 and row_group is None:
        raise FileFormatError(f"{label} holds no rows: give a file with rows")
    from geomap.io.values import plain_table

    return table_from_frame(plain_table(table).to_pandas(), label, crs=assume_crs, **cols)


def csv_separator(path: Path, encoding: str | None = None) -> str:
    """The field separator of a CSV/TSV file (see :func:`geomap.io.tabular.sniff_separator`)."""
    from geomap.io.tabular import HEAD_BYTES, detect_encoding

    with open(path, "rb") as fh:
        head = fh.read(HEAD_BYTES)
    name, bom = detect_encoding(head, str(path), encoding)
    import codecs

    return sniff_separator(codecs.getincrementaldecoder(name)(errors="replace").decode(head[bom:]),
                           formats.format_of(path))


def _refuse_other_coordinate_columns(frame, chosen: str | None, values: np.ndarray, axis: str, source: str) -> None:
    """Raise InputError when a second column named like ``axis`` (``lat`` and ``latitude``) disagrees with ``chosen``.

    The first name of :data:`LON_NAMES`/:data:`LAT_NAMES` is chosen; a file that
    also has another (event and reporter positions, original and corrected) would
    otherwise be measured at whichever pair comes first in that list.
    """
    if chosen is None:
        return
    names = LON_NAMES if axis == "lon" else LAT_NAMES
    lower = {str(c).lower(): str(c) for c in frame.columns}
    # the other common names, and the chosen name repeated (a header's second 'lat' is read as 'lat.1')
    repeats = [str(c) for c in frame.columns if str(c).startswith(f"{chosen}.") and str(c)[len(chosen) + 1:].isdigit()]
    for other in [lower[n] for n in names if n in lower and lower[n] != chosen] + repeats:
        theirs, _ = numbers(frame[other], axis)
        both = np.isfinite(values) & np.isfinite(theirs)
        if (np.abs(values[both] - theirs[both]) > 1e-6).any():
            what, flag = ("longitude", "--lon-col") if axis == "lon" else ("latitude", "--lat-col")
            raise InputError(f"{source} has two {what} columns that disagree ({chosen}, {other}): "
                             f"name the one to measure with {flag} NAME")


def table_from_frame(frame, source: str, *, lon_col=None, lat_col=None, date_col=None, id_col=None,
                     schema: Schema | None = None, lon=None, lat=None, status=None, date_format=None,
                     area=None, layer=None, crs=None) -> PointTable:
    """Turn a frame of input rows into a :class:`PointTable` (statuses for every row).

    Used for every input and for each partition of the Dask engine, so both
    engines classify rows identically.  ``lon``/``lat``/``status`` given (from
    geometries) take the place of the coordinate columns; ``area`` and
    ``layer`` are the :class:`PointTable` fields of the same names.  With a
    date column, the frame gains ``parsed_date`` (ISO, empty where none).
    ``crs`` is the CRS the coordinate columns are written in (None: lon/lat
    degrees; see :mod:`geomap.io.projected`).
    """
    if schema is None and lon is None and lon_col is None and lat_col is None and not has_coordinate_columns(frame):
        lon_col, lat_col = projected_columns(frame.columns, crs) or (None, None)  # easting/northing
    if schema is None:
        schema = detect_schema(frame.columns, lon_col=lon_col, lat_col=lat_col, date_col=date_col, id_col=id_col,
                               source=source, geometry=lon is not None)
    if lon is None:
        lon, bad_lon = numbers(frame[schema.lon_col], "lon")
        lat, bad_lat = numbers(frame[schema.lat_col], "lat")
        if schema.name == "generic":
            _refuse_other_coordinate_columns(frame, schema.lon_col if lon_col is None else None, lon, "lon", source)
            _refuse_other_coordinate_columns(frame, schema.lat_col if lat_col is None else None, lat, "lat", source)
        lon, lat = to_lonlat(lon, lat, crs, source, (schema.lon_col, schema.lat_col))
        status = coordinate_status(lon, lat)
        missing = ~(np.isfinite(lon) & np.isfinite(lat))  # where coordinate_status says missing_coordinates
        status[missing & (bad_lon | bad_lat)] = "invalid_coordinates"
    else:
        status = np.asarray(status, dtype=object).copy()
    ok = status == "ok"
    radius = np.zeros(len(frame))
    if schema.precision_col is not None:
        radius, prec_status = precision_radii(column_values(frame, schema.precision_col), schema)
        take = ok & (prec_status != "ok")
        status[take] = prec_status[take]
    orders: list = []
    dates, date_status, ends, firsts, conflict = row_days(frame, schema, DATE_NAMES, date_format, source, orders,
                                                          checked=schema.name == "generic" and date_col is None)
    if dates is not None:
        frame[_free_name(frame, "parsed_date")] = iso_dates(dates)
    if layer is not None:
        frame[_free_name(frame, "source_layer")] = layer
    # lon/lat stay where the coordinates themselves are usable (the output keeps the point):
    # status ok, invalid_precision or imprecise_location, which rows ok before the precision
    # step are; only rows whose status is ok are measured.
    usable = ok.copy()
    usable[~ok] = np.isin(status[~ok], ("invalid_precision", "imprecise_location"))
    lon = np.where(usable, lon, np.nan)
    lat = np.where(usable, lat, np.nan)
    return PointTable(frame, lon, lat, status, source, schema.lon_col, schema.lat_col, schema, dates, date_status,
                      radius, area=area, layer=layer, date_order=orders[0] if orders else None, date_end=ends,
                      date_first=firsts, date_conflict=conflict)


def _free_name(frame, name: str) -> str:
    """``name``, or ``name_2``, ``name_3`` ... if the frame has that column already."""
    k, found = 1, name
    while found in frame.columns:
        k += 1
        found = f"{name}_{k}"
    return found


def table_from_vector(found, source: str, crs=None, **cols) -> PointTable:
    """A :class:`PointTable` from features read by :func:`geomap.io.vector.read_vector` (lon/lat, ``strict=False``).

    Points are measured as points (a MultiPoint whose members are one point
    is that point); Polygons and MultiPolygons as areas (``area``, measured
    min-max); other geometries get ``not_a_point``, empty ones
    ``empty_geometry``, invalid polygons ``invalid_geometry``.  Rows of a
    multi-layer source carry their layer (``source_layer``).  ``crs``: that of a
    spreadsheet's coordinate columns (``--assume-crs``).
    """
    frame = found.to_frame().reset_index(drop=True)
    if len(frame) == 0:
        raise FileFormatError(f"{source} holds no features: give a file with point or area features")
    if found.tabular:  # a spreadsheet (XLSX, ODS; its sheet named only when there are several): as for CSV
        return table_from_frame(frame, source, layer=None if len(found.layers) == 1 else found.layer, crs=crs, **cols)
    return table_from_geometries(found.geoms, frame, source, layer=found.layer, crs=crs, **cols)


def table_from_geometries(geoms, frame, source: str, *, layer=None, crs=None, **cols) -> PointTable:
    """A :class:`PointTable` from lon/lat shapely ``geoms`` and the attribute ``frame`` of the same rows.

    The geometries are measured (see :func:`table_from_vector`), unless the
    caller named coordinate columns or every geometry is null and the
    attributes hold lon/lat: then the columns are, as for CSV (named columns
    were once ignored beside geometries, which were measured instead), in
    ``crs`` when given (``--assume-crs``).
    """
    if named_columns(cols) or (all(g is None for g in geoms) and has_coordinate_columns(frame)):
        return table_from_frame(frame, source, layer=layer, crs=crs, **cols)
    lon, lat, status, area = geometry_status(geoms, frame)
    return table_from_frame(frame, source, lon=lon, lat=lat, status=status, area=area, layer=layer, **cols)


def named_columns(cols: dict) -> bool:
    """Whether the caller named a coordinate column (``lon_col``/``lat_col``): those are measured, not geometries."""
    return cols.get("lon_col") is not None or cols.get("lat_col") is not None


def has_coordinate_columns(frame) -> bool:
    lower = {str(c).lower() for c in frame.columns}
    return any(n in lower for n in LON_NAMES) and any(n in lower for n in LAT_NAMES)


def geometry_status(geoms, frame):
    """Per feature: ``(lon, lat, status, area)`` for lon/lat shapely geometries (see :func:`table_from_vector`).

    ``area`` is None when no feature is an area.  Adds ``input_geometry_type``
    to ``frame`` when some feature is not a Point.
    """
    import shapely

    geoms = np.asarray(geoms, dtype=object)
    n = geoms.shape[0]
    kinds = shapely.get_type_id(geoms)
    lon = np.full(n, np.nan)
    lat = np.full(n, np.nan)
    point = np.array(geoms, dtype=object)
    multi = np.flatnonzero(kinds == 4)  # a MultiPoint of one distinct position is that point
    for i in multi:
        members = np.unique(shapely.get_coordinates(geoms[i]), axis=0)
        point[i] = shapely.points(members[0]) if len(members) == 1 else None
    empty = (kinds >= 0) & shapely.is_empty(geoms)
    is_point = (kinds == 0) & ~empty
    is_point[multi] = [point[i] is not None and not empty[i] for i in multi]
    if is_point.any():
        pts = point[is_point]
        lon[is_point] = shapely.get_x(pts)
        lat[is_point] = shapely.get_y(pts)
    status = coordinate_status(lon, lat)
    # an infinite position (a GeoJSON 1e400, or true: see io.vector._numbers_or_inf) is invalid; NaN
    # (how Python's json writes a missing float) stays missing
    status[is_point & (np.isinf(lon) | np.isinf(lat))] = "invalid_coordinates"
    polygon = np.isin(kinds, (3, 6)) & ~empty
    area = None
    if polygon.any():
        coords = [shapely.get_coordinates(g) for g in geoms[polygon]]
        finite = np.array([bool(np.isfinite(c).all()) for c in coords])
        xy_ok = finite & np.array([bool((np.abs(c[:, 0]) <= 180).all() and (np.abs(c[:, 1]) <= 90).all())
                                   for c in coords])
        with np.errstate(invalid="ignore"):
            valid = shapely.is_valid(geoms[polygon]) & xy_ok
        rows = np.flatnonzero(polygon)
        good = rows[valid]
        status[rows[~xy_ok]] = "coordinates_out_of_range"
        status[rows[~finite]] = "invalid_coordinates"
        status[rows[xy_ok & ~valid]] = "invalid_geometry"
        if good.size:
            area = np.full(n, None, dtype=object)
            area[good] = geoms[good]
            inner = shapely.point_on_surface(geoms[good])
            lon[good], lat[good] = shapely.get_x(inner), shapely.get_y(inner)
            status[good] = "ok"
    other = (kinds >= 0) & ~is_point & ~polygon & ~empty
    status[other] = "not_a_point"
    status[empty] = "empty_geometry"
    if not (kinds == 0).all():
        frame["input_geometry_type"] = [None if g is None else g.geom_type for g in geoms]
    return lon, lat, status, area
