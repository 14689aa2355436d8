"""Input values as every output format can hold them, read the same by every reader.

Property values of JSON inputs (arrays, objects, a property of several kinds),
Parquet columns of nested or unusual types, GeoJSON positions that are no
numbers, and GDAL date-time fields with their time zone.  numpy, json and re at
import; pyarrow and pandas inside the functions.
"""

from __future__ import annotations

import json
import re

import numpy as np


def plain_table(table):
    """``table`` (pyarrow) with the columns no output format holds as they are written as text.

    Lists, structs and maps (GeoParquet from Overture, DuckDB, BigQuery) as
    JSON text; durations, decimals, times and binary values as text (binary as
    hex).  A duration column made GeoPackage and GeoJSON output fail, a list
    column CSV (a traceback after the whole run, no output).  Other columns
    (numbers, text, dates, timestamps) are unchanged.
    """
    import pyarrow as pa
    import pyarrow.types as pt

    def as_text(column):
        typ = column.type
        if pt.is_dictionary(typ):
            column = column.dictionary_decode() if hasattr(column, "dictionary_decode") else pa.chunked_array(
                [c.dictionary_decode() for c in column.chunks], typ.value_type)
            return as_text(column)
        if pt.is_nested(typ):
            return pa.array([None if v is None else json.dumps(v, ensure_ascii=False, default=str)
                             for v in column.to_pylist()], pa.string())
        if pt.is_binary(typ) or pt.is_large_binary(typ) or pt.is_fixed_size_binary(typ):
            return pa.array([None if v is None else v.hex() for v in column.to_pylist()], pa.string())
        if pt.is_duration(typ) or pt.is_time(typ) or pt.is_decimal(typ) or pt.is_interval(typ):
            return pa.array([None if v is None else str(v) for v in column.to_pylist()], pa.string())
        return None

    for i, name in enumerate(table.column_names):
        text = as_text(table.column(i))
        if text is not None:
            table = table.set_column(i, pa.field(name, pa.string()), text)
    return table


def json_text(value):
    """A property value as a table cell: a JSON array or object as its JSON text, anything else as it is.

    Every output format can hold the text; lists and dicts in a column made
    pyarrow fail (``-o out.parquet``: a traceback, no output) and reached CSV
    and GeoPackage as Python reprs (``{'k': 1}``).
    """
    if isinstance(value, (list, dict)):
        return json.dumps(value, ensure_ascii=False)
    return value


def one_kind(values: list) -> list:
    """A column's values as they are when all are of one kind (numbers, booleans or text), else all as text.

    A property that is ``1`` in one feature and ``"x"`` in another (GDAL makes
    such a field a string) made pyarrow fail (``-o out.parquet``: a traceback,
    no output).  Missing values stay missing; ``true``/``false`` are written as JSON writes them.
    """
    def kind(v):
        if isinstance(v, bool):
            return "bool"
        if isinstance(v, (int, float)):
            return "number"
        return "text"

    kinds = {kind(v) for v in values if v is not None}
    if len(kinds) <= 1:
        return values
    return [None if v is None else json.dumps(v) if isinstance(v, bool) else str(v) for v in values]


def numbers_or_inf(geometry: dict) -> dict:
    """A GeoJSON geometry whose coordinates that are not numbers (``true``, ``"north"``, an object) are infinite.

    shapely reads ``true`` as 1 (Python's ``True``): ``[true, 39.8]`` became
    lon 1.  An infinite position is ``invalid_coordinates`` (a value that is
    there and no usable number, as ``1e400``); NaN stays NaN, which Python's
    ``json`` writes for a missing float (``missing_coordinates``).  Numbers
    written as text (``"46.75"``) stay numbers; ``null`` stays (an empty position).
    """
    def clean(value):
        if isinstance(value, list):
            return [clean(v) for v in value]
        if value is None or (isinstance(value, (int, float)) and not isinstance(value, bool)):
            return value
        if isinstance(value, str):
            try:
                number = float(value)
            except ValueError:
                return float("inf")
            return number if number == number else float("inf")  # the text "nan" is not a blank
        return float("inf")

    if not isinstance(geometry, dict) or "coordinates" not in geometry:
        return geometry
    return dict(geometry, coordinates=clean(geometry["coordinates"]))


#: the time zone at the end of an ISO date-time as GDAL writes it: Z or +hh:mm / -hh:mm
_ZONED = re.compile(r"(?:Z|[+-]\d{2}:?\d{2})$")


def datetime_fields(meta, field_data) -> list:
    """Date-time fields read as text (``datetime_as_string``) back as datetime64, unless they carry a time zone.

    pyogrio's datetime64 drops a field's zone and keeps the wall time: a
    GeoPackage's ``2020-09-26T21:00:00Z`` (its DATETIME is UTC) became a naive
    21:00 on 26 Sep, whose local day may be 27 Sep.  Zoned fields stay ISO
    text, which :func:`geomap.io.columns.parse_dates` reads (and
    :func:`geomap.io.days.utc_day_ranges` sees the UTC ones); fields
    without a zone are the datetime64 values they always were.
    """
    out = list(field_data)
    for k, dtype in enumerate(meta.get("dtypes", ())):
        if not str(dtype).startswith("datetime64"):
            continue
        values = out[k]
        if any(isinstance(v, str) and _ZONED.search(v) for v in values):
            continue
        out[k] = np.array(["NaT" if v is None or v == "" else v for v in values], dtype=dtype)
    return out


def records_frame(records: list):
    """JSON records (an event API's response) as a frame; nested values as JSON text (see :func:`json_text`)."""
    import pandas as pd

    frame = pd.DataFrame.from_records([{k: json_text(v) for k, v in r.items()} for r in records])
    for col in frame.columns[frame.dtypes == object]:
        values = [None if v is None or (isinstance(v, float) and v != v) else v for v in frame[col].tolist()]
        fixed = one_kind(values)
        if fixed is not values:
            frame[col] = pd.Series(fixed, index=frame.index, dtype=object)
    return frame
