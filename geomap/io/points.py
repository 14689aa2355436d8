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
"""

from __future__ import annotations

import logging

import csv
import io
import sys
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from geomap.errors import FileFormatError, InputError

LON_NAMES = ("lon", "lng", "long", "longitude", "x", "lon_dd", "longitude_dd", "decimallongitude")
LAT_NAMES = ("lat", "latitude", "y", "lat_dd", "latitude_dd", "decimallatitude")
DATE_NAMES = ("date", "event_date", "date_start", "day", "incident_date")
TABULAR = {".csv", ".tsv", ".txt"}
PARQUET = {".parquet", ".geoparquet", ".pq"}

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
    "not_a_point",
    "invalid_precision",
    "imprecise_location",
    "missing_date",
    "invalid_date",
    "no_layer_for_date",
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
    #: per row, a lon/lat shapely polygon for an area incident (measured over its whole surface), else None;
    #: None when no row is an area
    area: np.ndarray | None = None

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
    prec = lower.get(dflt["prec"])
    if prec is None:
        raise InputError(
            f"{source} looks like a {name.upper()} export but has no {dflt['prec']} column: "
            "export it with that column (it sets each event's location uncertainty)"
        )
    return Schema(name, pick["lon"], pick["lat"], pick["date"], pick["id"], prec)


def _filled(shape, value: str) -> np.ndarray:
    """An object array of ``value`` (``np.full`` makes a new string per element, 15 times slower)."""
    out = np.empty(shape, dtype=object)
    out.fill(value)
    return out


def coordinate_status(lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
    """``ok``, ``missing_coordinates`` or ``coordinates_out_of_range`` per row."""
    status = _filled(lon.shape, "ok")
    missing = ~(np.isfinite(lon) & np.isfinite(lat))
    out = ~missing & ((np.abs(lon) > 180) | (np.abs(lat) > 90))
    status[missing] = "missing_coordinates"
    status[out] = "coordinates_out_of_range"
    return status


def parse_dates(values) -> tuple[np.ndarray, np.ndarray]:
    """Parse a column of dates into ``datetime64[D]`` and a per-row status.

    Accepts ISO dates (``2020-10-15``, optionally followed by a time, as in
    UCDP's ``2020-10-15 00:00:00.000``), ACLED's older ``15 October 2020``
    and real date/datetime values.  Returns ``(dates, status)`` where status
    is ``ok``, ``missing_date`` (blank) or ``invalid_date`` (not a date, or a
    day outside what pandas' nanosecond timestamps hold: before 1677-09-22 or
    after 2262-04-11).
    """
    import pandas as pd

    series = pd.Series(values)
    n = len(series)
    status = _filled(n, "ok")
    if pd.api.types.is_datetime64_any_dtype(series.dtype):
        stamps = series.dt.tz_localize(None) if getattr(series.dt, "tz", None) is not None else series
        stamps = stamps.to_numpy()
        dates = _days(stamps)
        status[np.isnat(dates)] = "invalid_date"
        status[np.isnat(stamps)] = "missing_date"
        return dates, status
    text = _arrow_text(series)
    if text is None:
        text = _text(series)
        blank = (text == "").to_numpy()
        dates = _text_days(text)
    else:
        blank, dates = _arrow_days(text)
    status[np.isnat(dates)] = "invalid_date"
    status[blank] = "missing_date"
    return dates, status


#: An ISO date, optionally followed by a time and a UTC offset (only the date is used).
_ISO_DATE = r"^\d{4}-\d{2}-\d{2}(?:[T ][0-9:.]*(?:Z|[+-]\d{2}:?\d{2})?)?$"
#: The days pandas' nanosecond timestamps hold (midnight of the first and last day).
_FIRST_DAY = np.datetime64("1677-09-22", "D")
_LAST_DAY = np.datetime64("2262-04-11", "D")


def _text_days(text) -> np.ndarray:
    """Days of stripped date texts (a pandas Series, no missing values) as ``datetime64[D]``.

    ISO dates (the first ten characters) and ``15 October 2020``; NaT for
    blanks, anything else and days outside :data:`_FIRST_DAY`..:data:`_LAST_DAY`.
    """
    import pandas as pd

    iso_like = text.str.match(_ISO_DATE).to_numpy(dtype=bool)
    rest = ~iso_like & (text != "").to_numpy()
    days = np.full(len(text), np.datetime64("NaT"), dtype="datetime64[D]")
    if iso_like.any():
        parsed = pd.to_datetime(text[iso_like].str.slice(0, 10), format="%Y-%m-%d", errors="coerce")
        days[iso_like] = _days(parsed.to_numpy())
    if rest.any():
        days[rest] = _days(pd.to_datetime(text[rest], format="%d %B %Y", errors="coerce").to_numpy())
    return days


def _arrow_days(text) -> tuple[np.ndarray, np.ndarray]:
    """:func:`_text_days` on stripped arrow text, and the mask of blanks.

    ISO dates (nearly every row of ACLED and UCDP) are read by arrow, or
    checked and counted in numpy when arrow refuses some (2020-02-30).
    arrow's ``\\d`` is ASCII only, so the other rows (``15 October 2020``,
    junk, digits of other scripts, which Python's ``re`` would call ISO) go
    through :func:`_text_days` as they are.
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    blank = pc.equal(text, "").to_numpy(zero_copy_only=False)
    iso = pc.match_substring_regex(text, _ISO_DATE).to_numpy(zero_copy_only=False)
    days = np.full(len(text), np.datetime64("NaT"), dtype="datetime64[D]")
    if iso.any():
        head = pc.utf8_slice_codeunits(text.filter(pa.array(iso)), 0, 10)
        try:
            found = pc.cast(head, pa.date32()).to_numpy(zero_copy_only=False).astype("datetime64[D]")
            found[(found < _FIRST_DAY) | (found > _LAST_DAY)] = np.datetime64("NaT")
        except pa.ArrowInvalid:
            y, m, d = (pc.cast(pc.utf8_slice_codeunits(head, a, b), pa.int64()).to_numpy(zero_copy_only=False)
                       for a, b in ((0, 4), (5, 7), (8, 10)))
            found = _calendar_days(y, m, d)
        days[iso] = found
    rest = ~iso & ~blank
    if rest.any():
        days[rest] = _text_days(text.filter(pa.array(rest)).to_pandas())
    return blank, days


def _calendar_days(year: np.ndarray, month: np.ndarray, day: np.ndarray) -> np.ndarray:
    """Year, month and day numbers as ``datetime64[D]``; NaT for impossible days (2020-02-30) and as :func:`_days`."""
    months = ((year - 1970) * 12 + (month - 1)).astype("datetime64[M]")
    first = months.astype("datetime64[D]")
    length = ((months + 1).astype("datetime64[D]") - first).astype(np.int64)
    days = first + (day - 1)
    valid = (month >= 1) & (month <= 12) & (day >= 1) & (day <= length) & (days >= _FIRST_DAY) & (days <= _LAST_DAY)
    days[~valid] = np.datetime64("NaT")
    return days


def _days(stamps: np.ndarray) -> np.ndarray:
    """``datetime64`` values of any unit floored to ``datetime64[D]``; NaT outside ``_FIRST_DAY``..``_LAST_DAY``.

    Works on the integer ticks: numpy's own ``astype`` overflows near the
    ends of the nanosecond range (1677-09-22 in ns comes out as 2262-04-11).
    """
    unit, count = np.datetime_data(stamps.dtype)
    per_day = np.timedelta64(1, "D") // np.timedelta64(count, unit)
    days = np.floor_divide(stamps.view("i8"), per_day).view("datetime64[D]")
    days[np.isnat(stamps) | (days < _FIRST_DAY) | (days > _LAST_DAY)] = np.datetime64("NaT")
    return days


def precision_radii(values, schema: Schema) -> tuple[np.ndarray, np.ndarray]:
    """Location-uncertainty radius (m) and status per row from the schema's precision codes.

    Status is ``ok``, ``imprecise_location`` (a code too coarse to measure from)
    or ``invalid_precision`` (blank or unknown code).
    """
    import pandas as pd

    table = schema.precision_radii_m or {}
    series = pd.Series(values)
    if pd.api.types.is_numeric_dtype(series.dtype):
        codes = series.map(_code_text)
    else:
        text = _arrow_text(series)
        if text is not None:
            return _arrow_precision_radii(text, table)
        codes = _text(series).str.replace(r"^(\d+)\.0$", r"\1", regex=True)
    n = len(codes)
    radius = np.full(n, np.nan)
    status = _filled(n, "invalid_precision")
    for code, r in table.items():
        hit = (codes == code).to_numpy()
        if r is None:
            status[hit] = "imprecise_location"
        else:
            status[hit] = "ok"
            radius[hit] = r
    return radius, status


def _arrow_precision_radii(text, table: dict[str, float | None]) -> tuple[np.ndarray, np.ndarray]:
    """:func:`precision_radii` on stripped arrow text: a code (digits) or the code written as a float (``2.0``)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    names = list(table) + [code + ".0" for code in table]
    radii = [np.nan if r is None else r for r in table.values()] * 2 + [np.nan]
    statuses = ["imprecise_location" if r is None else "ok" for r in table.values()] * 2 + ["invalid_precision"]
    which = pc.fill_null(pc.index_in(text, value_set=pa.array(names, type=text.type)), len(names))
    which = which.to_numpy(zero_copy_only=False)
    return np.array(radii)[which], np.array(statuses, dtype=object)[which]


def _is_arrow_text(dtype) -> bool:
    """Whether a column of this dtype holds arrow text: pandas' ``str``/``string[pyarrow]``, arrow string dtypes."""
    import pandas as pd
    import pyarrow as pa

    if isinstance(dtype, pd.StringDtype):
        return dtype.storage == "pyarrow"
    return isinstance(dtype, pd.ArrowDtype) and (pa.types.is_string(dtype.pyarrow_dtype)
                                                 or pa.types.is_large_string(dtype.pyarrow_dtype))


def _arrow_text(series):
    """An arrow-backed text column as a pyarrow array (read without a copy), stripped, blanks for missing values.

    None for columns of other dtypes.  The same text as :func:`_text`, which
    strips arrow text with the same kernel.
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    if not _is_arrow_text(series.dtype):
        return None
    return pc.utf8_trim_whitespace(pc.fill_null(pa.array(series.array), ""))


def _text(series):
    """A column as stripped text, blanks for missing values (vectorised)."""
    import pandas as pd

    if pd.api.types.is_string_dtype(series.dtype) or series.dtype == object:
        return series.fillna("").astype(str).str.strip()
    return series.map(lambda v: "" if v is None or (isinstance(v, float) and v != v) else str(v)).str.strip()


def _code_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return "" if value != value else (str(int(value)) if value.is_integer() else str(value))
    text = str(value).strip()
    if text.endswith(".0") and text[:-2].isdigit():
        text = text[:-2]
    return text


def read_points(
    source: str | Path,
    *,
    lon_col: str | None = None,
    lat_col: str | None = None,
    date_col: str | None = None,
    id_col: str | None = None,
    assume_crs: str | None = None,
) -> PointTable:
    """Read incident points from a file (or ``-`` for GeoJSON on standard input).

    Parameters
    ----------
    source : str or Path
        An ACLED or UCDP GED export (CSV), any CSV/TSV with longitude and
        latitude columns (found by common names such as lon/lng/longitude/x and
        lat/latitude/y, or named), a (Geo)Parquet file, or any vector format
        GDAL reads (GeoJSON, GeoPackage, KML, ...), in any CRS (converted to
        lon/lat).
    lon_col, lat_col, date_col, id_col : str, optional
        Column names, overriding what the schema or the common names give.
    assume_crs : str, optional
        CRS of a vector file that declares none.

    Returns
    -------
    PointTable
    """
    if str(source) == "-":
        data = sys.stdin.buffer.read()
        if not data.strip():
            raise FileFormatError("standard input is empty: pipe a GeoJSON FeatureCollection into 'geomap ... -'")
        return _read_vector_points(io.BytesIO(data), "<stdin>", assume_crs, date_col, id_col)
    path = Path(source)
    if not path.exists():
        raise FileFormatError(f"{path} does not exist: check the path")
    if path.is_dir() and not path.suffix:
        raise FileFormatError(f"{path} is a folder: give a file (or use --engine dask for a partitioned dataset)")
    if path.is_file() and path.stat().st_size == 0:
        raise FileFormatError(f"{path} is empty: give a file with a header row and data rows")
    suffix = path.suffix.lower()
    cols = dict(lon_col=lon_col, lat_col=lat_col, date_col=date_col, id_col=id_col)
    if suffix in TABULAR:
        frame = read_csv_frame(path)
        return table_from_frame(frame, str(path), **cols)
    if suffix in PARQUET:
        return _read_parquet_points(path, assume_crs, **cols)
    return _read_vector_points(path, str(path), assume_crs, date_col, id_col)


def csv_separator(path: Path) -> str:
    """The field separator of a CSV/TSV file (tab for .tsv; sniffed among , ; | tab otherwise)."""
    if path.suffix.lower() == ".tsv":
        return "\t"
    with open(path, "rb") as fh:
        head = fh.read(1 << 16).decode("utf-8", errors="replace")
    first = head.splitlines()[0] if head else ""
    try:
        return csv.Sniffer().sniff(first, delimiters=",;\t|").delimiter
    except csv.Error:
        return ","


def read_csv_frame(path: Path):
    """Read a CSV/TSV as text columns (no NA guessing, blanks stay ""), with a one-line error if it cannot be read.

    Parsed by pyarrow (multi-threaded), falling back to pandas for headers
    pyarrow cannot take as they are (duplicate or blank names).
    """
    import pandas as pd

    path = Path(path)
    sep = csv_separator(path)
    try:
        with open(path, encoding="utf-8-sig", newline="") as fh:
            header = next(csv.reader(fh, delimiter=sep), [])
    except (UnicodeDecodeError, OSError) as exc:
        msg = " ".join(str(exc).split())[:160]
        raise FileFormatError(f"cannot read {path} as CSV ({msg}): check that it is UTF-8 CSV with a header row") from None
    if header and len(set(header)) == len(header) and all(h.strip() for h in header):
        import pyarrow as pa
        import pyarrow.csv as pacsv

        try:
            # large_string is what pandas' str dtype holds: to_pandas then takes the columns without a copy
            table = pacsv.read_csv(
                path,
                parse_options=pacsv.ParseOptions(delimiter=sep, newlines_in_values=True),
                convert_options=pacsv.ConvertOptions(column_types={h: pa.large_string() for h in header},
                                                     strings_can_be_null=False, quoted_strings_can_be_null=False),
            )
            return table.to_pandas()
        except (pa.ArrowInvalid, pa.ArrowKeyError, UnicodeDecodeError) as exc:
            msg = " ".join(str(exc).split())[:160]
            raise FileFormatError(
                f"cannot read {path} as CSV ({msg}): check that it is UTF-8 CSV with a header row") from None
    try:
        return pd.read_csv(path, dtype=str, keep_default_na=False, sep=sep)
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError, ValueError) as exc:
        msg = " ".join(str(exc).split())[:160]
        raise FileFormatError(f"cannot read {path} as CSV ({msg}): check that it is UTF-8 CSV with a header row") from None


def _numbers(values) -> tuple[np.ndarray, np.ndarray]:
    """Column values as floats, and a mask of non-blank values that are not numbers."""
    import pandas as pd

    series = pd.Series(values)
    if pd.api.types.is_numeric_dtype(series.dtype):
        out = series.to_numpy(dtype=float, na_value=np.nan)
        return out, np.zeros(out.shape, dtype=bool)
    text = _arrow_text(series)
    if text is not None:
        found = _arrow_numbers(text)
        if found is not None:
            return found
    text = _text(series)
    out = pd.to_numeric(text, errors="coerce").to_numpy(dtype=float)
    bad = np.isnan(out) & (text != "").to_numpy()
    return out, bad


#: A plain decimal (no exponent); with at most 15 digits pandas and arrow parse it to the same float.
_PLAIN_DECIMAL = r"^[+-]?(?:\d+\.?\d*|\.\d+)$"


def _arrow_numbers(text) -> tuple[np.ndarray, np.ndarray] | None:
    """:func:`_numbers` on stripped arrow text; None when only pandas can tell for the whole column.

    Plain decimals of at most 15 digits are an exact integer divided once by
    a power of ten, so arrow's cast gives the float pandas' own parser gives;
    with more digits the two can differ in the last bit.  Every other
    non-blank value (longer decimals, exponents, ``inf``, ``nan``, junk) goes
    through pandas row by row.  pandas reads a column of integers alone (no
    blank, no decimal point) as int64, which turns ``-0`` into 0.0; such a
    column with other values in it is left to pandas whole.
    """
    import pandas as pd
    import pyarrow as pa
    import pyarrow.compute as pc

    blank = pc.equal(text, "")
    try:
        # arrow reads plain decimals, exponents, inf and nan, and fails on anything else:
        # when it reads them all, the plain ones are those made of digits, point and sign alone
        values = pc.cast(pc.if_else(blank, None, text), pa.float64())
        plain = pc.equal(pc.utf8_trim(text, "0123456789.+-"), "")
    except pa.ArrowInvalid:
        plain = pc.match_substring_regex(text, _PLAIN_DECIMAL)
        values = pc.cast(pc.if_else(plain, text, None), pa.float64())
    blank, plain, values, dotted, signed, length = (a.to_numpy(zero_copy_only=False) for a in (
        blank, plain, values, pc.match_substring(text, "."),
        pc.or_(pc.starts_with(text, "-"), pc.starts_with(text, "+")), pc.binary_length(text)))
    plain = plain & ~blank & (length - dotted - signed <= 15)
    out = np.where(plain, values, np.nan)
    floats = blank.any() or (plain & dotted).any()
    other = ~(plain | blank)
    if other.any():
        if not floats:
            return None
        rows = np.flatnonzero(other)
        # a decimal after them keeps pandas in the float mode the whole column is in
        odd = np.array(text.take(pa.array(rows)).to_pylist() + ["0.5"], dtype=object)
        out[rows] = pd.to_numeric(odd, errors="coerce")[:-1]
    elif not floats:
        out[out == 0] = 0.0
    return out, np.isnan(out) & ~blank


def table_from_frame(frame, source: str, *, lon_col=None, lat_col=None, date_col=None, id_col=None,
                     schema: Schema | None = None, lon=None, lat=None, status=None) -> PointTable:
    """Turn a frame of input rows into a :class:`PointTable` (statuses for every row).

    Used for CSV and Parquet inputs and for each partition of the Dask engine,
    so both engines classify rows identically.  ``lon``/``lat``/``status``
    given (from geometries) take the place of the coordinate columns.
    """
    if schema is None:
        schema = detect_schema(frame.columns, lon_col=lon_col, lat_col=lat_col, date_col=date_col, id_col=id_col,
                               source=source, geometry=lon is not None)
    if lon is None:
        lon, bad_lon = _numbers(frame[schema.lon_col])
        lat, bad_lat = _numbers(frame[schema.lat_col])
        status = coordinate_status(lon, lat)
        missing = ~(np.isfinite(lon) & np.isfinite(lat))  # where coordinate_status says missing_coordinates
        status[missing & (bad_lon | bad_lat)] = "invalid_coordinates"
    else:
        status = np.asarray(status, dtype=object).copy()
    ok = status == "ok"
    radius = np.zeros(len(frame))
    if schema.precision_col is not None:
        radius, prec_status = precision_radii(_column(frame, schema.precision_col), schema)
        take = ok & (prec_status != "ok")
        status[take] = prec_status[take]
    dates = date_status = None
    if schema.date_col is not None:
        dates, date_status = parse_dates(_column(frame, schema.date_col))
    # lon/lat stay where the coordinates themselves are usable (the output keeps the point):
    # status ok, invalid_precision or imprecise_location, which rows ok before the precision
    # step are; only rows whose status is ok are measured.
    usable = ok.copy()
    usable[~ok] = np.isin(status[~ok], ("invalid_precision", "imprecise_location"))
    lon = np.where(usable, lon, np.nan)
    lat = np.where(usable, lat, np.nan)
    return PointTable(frame, lon, lat, status, source, schema.lon_col, schema.lat_col, schema, dates, date_status,
                      radius)


def _column(frame, name: str):
    """A frame column for :func:`precision_radii` and :func:`parse_dates`.

    Arrow-backed text stays a Series (read without a copy, where ``to_numpy``
    would build an object array); any other column becomes a numpy array, as
    these functions have always been given.
    """
    column = frame[name]
    return column if _is_arrow_text(column.dtype) else column.to_numpy()


def _read_parquet_points(path: Path, assume_crs, **cols) -> PointTable:
    import pyarrow.parquet as pq

    try:
        meta = pq.read_schema(path).metadata or {}
    except Exception as exc:  # pyarrow raises several types for a bad file
        msg = " ".join(str(exc).split())[:160]
        raise FileFormatError(f"cannot read {path} as Parquet ({msg}): check the file") from None
    if b"geo" in meta:
        import geopandas as gpd

        gdf = gpd.read_parquet(path)
        return table_from_geoframe(gdf, str(path), assume_crs, **cols)
    import pandas as pd

    frame = pd.read_parquet(path)
    return table_from_frame(frame, str(path), **cols)


def table_from_geoframe(gdf, source: str, assume_crs=None, **cols) -> PointTable:
    """A :class:`PointTable` from a GeoDataFrame (GeoParquet input or a Dask partition)."""
    import pandas as pd

    from geomap.io.crs import to_lonlat

    crs = gdf.crs or assume_crs
    if crs is None:
        raise InputError(f"{source} declares no CRS: pass --assume-crs EPSG:4326 (or its CRS)")
    geoms = to_lonlat(np.asarray(gdf.geometry.values, dtype=object), crs, source)
    frame = pd.DataFrame(gdf.drop(columns=[gdf.geometry.name]).reset_index(drop=True))
    lon, lat, status = _point_status(geoms, frame)
    return table_from_frame(frame, source, lon=lon, lat=lat, status=status, **cols)


def _point_status(geoms, frame):
    import shapely

    n = geoms.shape[0]
    kinds = shapely.get_type_id(geoms)
    is_point = kinds == 0
    lon = np.full(n, np.nan)
    lat = np.full(n, np.nan)
    if is_point.any():
        lon[is_point] = shapely.get_x(geoms[is_point])
        lat[is_point] = shapely.get_y(geoms[is_point])
    status = coordinate_status(lon, lat)
    status[(~is_point) & (kinds >= 0)] = "not_a_point"
    if not is_point.all():
        frame["input_geometry_type"] = [None if g is None else g.geom_type for g in geoms]
    return lon, lat, status


def _read_vector_points(source, label: str, assume_crs, date_col=None, id_col=None) -> PointTable:
    import pandas as pd
    import pyogrio
    import shapely
    from pyogrio.errors import DataSourceError

    from geomap.io.crs import to_lonlat

    try:
        meta, _fids, wkb, fields = pyogrio.raw.read(source)
    except (DataSourceError, OSError, RuntimeError, ValueError) as exc:
        msg = " ".join(str(exc).split())[:160]
        raise FileFormatError(
            f"cannot read {label} ({msg}): give CSV with lon/lat columns, GeoJSON, GeoPackage or GeoParquet"
        ) from None
    frame = pd.DataFrame({str(name): values for name, values in zip(meta["fields"], fields)})
    n = len(frame) if len(meta["fields"]) else (0 if wkb is None else len(wkb))
    if wkb is None:
        raise FileFormatError(f"{label} has no geometries: give point features, or a CSV with lon/lat columns")
    from geomap.io import guards

    notes: list = []
    with guards.collect_notes(notes):  # lines-in: --assume-crs overrides a CRS only the format implies
        geoms = shapely.from_wkb(wkb, on_invalid="ignore")
        implied = guards.crs_is_implied(label, None)
        crs = guards.choose_crs(label, meta.get("crs") or None, implied=implied, assume_crs=assume_crs,
                                xy=shapely.get_coordinates(geoms))
        if crs is None:
            raise InputError(f"{label} declares no CRS: pass --assume-crs EPSG:4326 (or its CRS)")
        geoms = to_lonlat(geoms, crs, label, implied=implied and crs == meta.get("crs"))
    for line in guards.summarise_notes(notes):
        logging.getLogger("geomap.io.points").warning("%s: %s", label, line)
    if frame.empty and n:
        frame = pd.DataFrame(index=range(n))
    lon, lat, status = _point_status(geoms, frame)
    return table_from_frame(frame, label, lon=lon, lat=lat, status=status, date_col=date_col, id_col=id_col)
