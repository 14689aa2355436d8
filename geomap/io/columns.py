"""Column values of input rows as numbers, dates, precision codes and text (vectorised).

Arrow-backed text columns (what the CSV reader gives) take fast paths through
pyarrow compute that give, row by row, the answers of the pandas code they
replace (checked in tests/test_inputs.py).
"""

from __future__ import annotations

import numpy as np

from geomap.errors import InputError


def filled(shape, value: str) -> np.ndarray:
    """An object array of ``value`` (``np.full`` makes a new string per element, 15 times slower)."""
    out = np.empty(shape, dtype=object)
    out.fill(value)
    return out


def parse_dates(values, date_format: str | None = None, source: str = "input",
                orders: list | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Parse a column of dates into ``datetime64[D]`` and a per-row status.

    Accepts ISO dates (``2020-10-15``, optionally followed by a time, as in
    UCDP's ``2020-10-15 00:00:00.000``), ACLED's ``15 October 2020`` (or
    ``15 Oct 2020``), spreadsheet dates ``27/12/2020`` or ``12/27/2020`` (also
    with ``.`` or ``-``) when the column itself settles the order (some
    number over 12 in the day's place, and none in the month's), and real
    date/datetime values.  ``date_format`` (strftime, e.g. ``%d/%m/%Y``)
    reads every non-ISO value with that format instead.  Returns ``(dates,
    status)`` where status is ``ok``, ``missing_date`` (blank) or
    ``invalid_date`` (not a date, or a day outside what pandas' nanosecond
    timestamps hold: before 1677-09-22 or after 2262-04-11).

    ``orders``, a list, gets the order the values settled (``"day first"`` or
    ``"month first"``), so that parts of one file read apart can be checked
    to agree.

    Raises
    ------
    InputError
        Slashed dates whose order no value settles (all numbers 12 or less),
        or that contradict each other, without ``date_format``.
    """
    import pandas as pd

    series = pd.Series(values)
    n = len(series)
    status = filled(n, "ok")
    if pd.api.types.is_datetime64_any_dtype(series.dtype):
        stamps = series.dt.tz_localize(None) if getattr(series.dt, "tz", None) is not None else series
        stamps = stamps.to_numpy()
        dates = floor_days(stamps)
        status[np.isnat(dates)] = "invalid_date"
        status[np.isnat(stamps)] = "missing_date"
        return dates, status
    text = arrow_text(series)
    if text is None:
        text = text_column(series)
        blank = (text == "").to_numpy()
        dates = _text_days(text, date_format, source, orders)
    else:
        blank, dates = _arrow_days(text, date_format, source, orders)
    status[np.isnat(dates)] = "invalid_date"
    status[blank] = "missing_date"
    return dates, status


#: An ISO date, optionally followed by a time and a UTC offset (only the date is used).
_ISO_DATE = r"^\d{4}-\d{2}-\d{2}(?:[T ][0-9:.]*(?:Z|[+-]\d{2}:?\d{2})?)?$"
#: The days pandas' nanosecond timestamps hold (midnight of the first and last day).
_FIRST_DAY = np.datetime64("1677-09-22", "D")
_LAST_DAY = np.datetime64("2262-04-11", "D")


def _text_days(text, date_format: str | None = None, source: str = "input", orders: list | None = None) -> np.ndarray:
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
        days[iso_like] = floor_days(parsed.to_numpy())
    if rest.any():
        days[rest] = _other_days(text[rest], date_format, source, orders)
    return days


#: a spreadsheet date: day and month in either order, then a four-digit year
_SLASHED = r"^(\d{1,2})([/.-])(\d{1,2})[/.-](\d{4})$"


def _other_days(text, date_format: str | None, source: str, orders: list | None = None) -> np.ndarray:
    """Days of non-ISO date texts (a pandas Series): ``date_format``, or ``15 October 2020`` and spreadsheet dates."""
    import pandas as pd

    if date_format:
        return floor_days(pd.to_datetime(text, format=date_format, errors="coerce").to_numpy())
    days = floor_days(pd.to_datetime(text, format="%d %B %Y", errors="coerce").to_numpy())
    left = np.isnat(days)
    if left.any():
        days[left] = floor_days(pd.to_datetime(text[left], format="%d %b %Y", errors="coerce").to_numpy())
    parts = text.str.extract(_SLASHED)
    slashed = parts[0].notna().to_numpy()
    if not slashed.any():
        return days
    first = parts[0][slashed].astype(int).to_numpy()
    second = parts[2][slashed].astype(int).to_numpy()
    year = parts[3][slashed].astype(int).to_numpy()
    day_first, month_first = bool((first > 12).any()), bool((second > 12).any())
    example = text[slashed].iloc[0]
    if day_first and month_first:
        raise InputError(f"{source} has dates in both orders ({text[slashed][first > 12].iloc[0]} and "
                         f"{text[slashed][second > 12].iloc[0]}): pass date_format= the one it uses "
                         "(strftime, e.g. %d/%m/%Y)")
    if not day_first and not month_first:
        if not (parts[1][slashed] == ".").all():  # 27.12.2020: day first wherever dots are written
            raise InputError(f"{source} has dates such as {example} that could be day/month or month/day, and no "
                             "date in it settles which: pass date_format= (strftime, e.g. %d/%m/%Y or %m/%d/%Y)")
        day_first = True
    day, month = (first, second) if day_first else (second, first)
    if orders is not None:
        orders.append("day first" if day_first else "month first")
    days[slashed] = _calendar_days(year, month, day)
    return days


def _arrow_days(text, date_format: str | None = None, source: str = "input",
                orders: list | None = None) -> tuple[np.ndarray, np.ndarray]:
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
    plain = _plain_iso_days(text, blank)
    if plain is not None:
        return blank, plain
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
        days[rest] = _text_days(text.filter(pa.array(rest)).to_pandas(), date_format, source, orders)
    return blank, days


def _plain_iso_days(text, blank: np.ndarray) -> np.ndarray | None:
    """The days of a column whose every non-blank value is a valid ``YYYY-MM-DD`` date (else None).

    What :func:`_arrow_days` gives such a column, without its regular
    expression: arrow reads a 10-byte text as a date only if it is four ASCII
    digits, '-', two, '-', two and a real day (checked in tests/test_inputs.py),
    and all of those match :data:`_ISO_DATE`.  Any other column (times after
    the date, 2020-02-30, other forms) returns None, for the general path.
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    if not pc.all(pc.or_(pc.equal(pc.binary_length(text), 10), pa.array(blank))).as_py():
        return None
    try:
        found = pc.cast(pc.if_else(pa.array(blank), None, text) if blank.any() else text, pa.date32())
    except pa.ArrowInvalid:
        return None
    days = found.to_numpy(zero_copy_only=False).astype("datetime64[D]")  # null (blank) as NaT
    days[(days < _FIRST_DAY) | (days > _LAST_DAY)] = np.datetime64("NaT")
    return days


def _calendar_days(year: np.ndarray, month: np.ndarray, day: np.ndarray) -> np.ndarray:
    """Year, month and day numbers as ``datetime64[D]``; NaT for impossible days (2020-02-30) and as :func:`_days`."""
    months = ((year - 1970) * 12 + (month - 1)).astype("datetime64[M]")
    first = months.astype("datetime64[D]")
    length = ((months + 1).astype("datetime64[D]") - first).astype(np.int64)
    days = first + (day - 1)
    valid = (month >= 1) & (month <= 12) & (day >= 1) & (day <= length) & (days >= _FIRST_DAY) & (days <= _LAST_DAY)
    days[~valid] = np.datetime64("NaT")
    return days


def floor_days(stamps: np.ndarray) -> np.ndarray:
    """``datetime64`` values of any unit floored to ``datetime64[D]``; NaT outside ``_FIRST_DAY``..``_LAST_DAY``.

    Works on the integer ticks: numpy's own ``astype`` overflows near the
    ends of the nanosecond range (1677-09-22 in ns comes out as 2262-04-11).
    """
    unit, count = np.datetime_data(stamps.dtype)
    per_day = np.timedelta64(1, "D") // np.timedelta64(count, unit)
    days = np.floor_divide(stamps.view("i8"), per_day).view("datetime64[D]")
    days[np.isnat(stamps) | (days < _FIRST_DAY) | (days > _LAST_DAY)] = np.datetime64("NaT")
    return days


def precision_radii(values, schema) -> tuple[np.ndarray, np.ndarray]:
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
        text = arrow_text(series)
        if text is not None:
            return _arrow_precision_radii(text, table)
        codes = text_column(series).str.replace(_WHOLE_CODE, r"\1", regex=True)
    n = len(codes)
    radius = np.full(n, np.nan)
    status = filled(n, "invalid_precision")
    for code, r in table.items():
        hit = (codes == code).to_numpy()
        if r is None:
            status[hit] = "imprecise_location"
        else:
            status[hit] = "ok"
            radius[hit] = r
    return radius, status


#: a precision code written as a whole number with decimals: ``2.0`` (pandas), ``2,0`` (a decimal-comma spreadsheet)
_WHOLE_CODE = r"^(\d+)[.,]0+$"


def _arrow_precision_radii(text, table: dict[str, float | None]) -> tuple[np.ndarray, np.ndarray]:
    """:func:`precision_radii` on stripped arrow text: a code (digits) or the code written with decimals (``2.0``, ``2,0``)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    if pc.any(pc.match_substring_regex(text, _WHOLE_CODE)).as_py():
        text = pc.replace_substring_regex(text, _WHOLE_CODE, r"\1")
    names = list(table)
    radii = [np.nan if r is None else r for r in table.values()] + [np.nan]
    statuses = ["imprecise_location" if r is None else "ok" for r in table.values()] + ["invalid_precision"]
    which = pc.fill_null(pc.index_in(text, value_set=pa.array(names, type=text.type)), len(names))
    which = which.to_numpy(zero_copy_only=False)
    return np.array(radii)[which], np.array(statuses, dtype=object)[which]


def is_arrow_text(dtype) -> bool:
    """Whether a column of this dtype holds arrow text: pandas' ``str``/``string[pyarrow]``, arrow string dtypes."""
    import pandas as pd
    import pyarrow as pa

    if isinstance(dtype, pd.StringDtype):
        return dtype.storage == "pyarrow"
    return isinstance(dtype, pd.ArrowDtype) and (pa.types.is_string(dtype.pyarrow_dtype)
                                                 or pa.types.is_large_string(dtype.pyarrow_dtype))


def arrow_text(series):
    """An arrow-backed text column as a pyarrow array (read without a copy), stripped, blanks for missing values.

    None for columns of other dtypes.  The same text as :func:`_text`, which
    strips arrow text with the same kernel.
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    if not is_arrow_text(series.dtype):
        return None
    return pc.utf8_trim_whitespace(pc.fill_null(pa.array(series.array), ""))


def text_column(series):
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


def numbers(values, axis: str | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Column values as floats, and a mask of non-blank values that are not usable numbers.

    Infinite values (``inf``, ``-Infinity``, ``1e400``) are not usable.  With
    ``axis`` (``"lon"``/``"lat"``), text that is not a plain number is read as
    people write coordinates: a decimal comma (``39,5200``), degrees-minutes-
    seconds and hemisphere letters (see :mod:`geomap.io.coords`).
    """
    out, bad = _plain_numbers(values)
    inf = np.isinf(out)
    if inf.any():
        out = np.where(inf, np.nan, out)
        bad = bad | inf
    if axis is not None and bad.any():
        out, bad = _written_numbers(values, out, bad, axis)
    return out, bad


def _written_numbers(values, out, bad, axis: str):
    """:func:`_numbers` for the rows ``bad``: decimal commas (vectorised), then coordinates as written."""
    import pandas as pd

    from geomap.io.coords import parse_column_angle

    out, bad = np.array(out, dtype=float), np.array(bad)
    rows = np.flatnonzero(bad)
    text = pd.Series(values).iloc[rows].astype(str).str.strip()
    comma = text.str.fullmatch(r"[+-]?\d+,\d+").to_numpy(dtype=bool)
    if comma.any():
        out[rows[comma]] = pd.to_numeric(text[comma].str.replace(",", ".", regex=False), errors="coerce")
    rest = np.flatnonzero(~comma)
    if rest.size:
        out[rows[rest]] = [parse_column_angle(t, axis) for t in text.iloc[rest]]
    fixed = np.isfinite(out[rows]) & (np.abs(out[rows]) <= (180 if axis == "lon" else 90))
    out[rows[~fixed]] = np.nan
    bad[rows[fixed]] = False
    return out, bad


def _plain_numbers(values) -> tuple[np.ndarray, np.ndarray]:
    """Column values as floats, and a mask of non-blank values that are not numbers."""
    import pandas as pd

    series = pd.Series(values)
    if pd.api.types.is_bool_dtype(series.dtype):  # True/False are not numbers (pandas calls them numeric)
        return np.full(len(series), np.nan), series.notna().to_numpy(dtype=bool)
    if pd.api.types.is_numeric_dtype(series.dtype):
        held = np.dtype(getattr(series.dtype, "numpy_dtype", series.dtype))  # Float32 holds float32
        if held.kind == "f" and held.itemsize < 8:
            # a float32 holds 39.52 as 39.5200004577: the number meant is the shortest decimal that
            # reads back as it, which is what a CSV of the column says ('39.52')
            small = series.to_numpy(dtype=held, na_value=np.nan)
            return small.astype(str).astype(float), np.zeros(small.shape, dtype=bool)
        out = series.to_numpy(dtype=float, na_value=np.nan)
        return out, np.zeros(out.shape, dtype=bool)
    text = arrow_text(series)
    if text is not None:
        found = _arrow_numbers(text)
        if found is not None:
            return found
    text = text_column(series)
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
        values = pc.cast(pc.if_else(blank, None, text) if pc.any(blank).as_py() else text, pa.float64())
        # ascii_trim of ASCII characters trims valid UTF-8 text as utf8_trim does (and faster)
        plain = pc.equal(pc.ascii_trim(text, "0123456789.+-"), "")
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


def iso_dates(dates: np.ndarray):
    """``datetime64[D]`` days as an arrow-backed text column (ISO; missing where NaT), built from the distinct days."""
    import pandas as pd
    import pyarrow as pa

    codes, uniq = day_codes(dates)
    text = np.datetime_as_string(uniq, unit="D")
    missing = codes < 0
    indices = pa.array(np.maximum(codes, 0), mask=missing if missing.any() else None)
    return pd.arrays.ArrowExtensionArray(pa.array(text.tolist(), type=pa.large_string()).take(indices))


#: :func:`day_codes` counts days in a table this long (a million days: 2,700 years) instead of hashing them
_DAY_SPAN = 1 << 20


def day_codes(dates: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The distinct days of a ``datetime64`` array and each value's position among them (int32, -1 for NaT).

    Days within :data:`_DAY_SPAN` of each other are counted in a table (1M
    rows: a few ms, hashing them took ~30 ms); the distinct days are then in
    order.  Other arrays are factorised by hashing.
    """
    import pandas as pd

    known = ~np.isnat(dates)
    every = bool(known.all())
    ticks = dates.view(np.int64) if every else dates[known].view(np.int64)
    if ticks.size == 0:
        return np.full(dates.shape, -1, dtype=np.int32), dates[:0]
    lo, hi = int(ticks.min()), int(ticks.max())
    if hi - lo < _DAY_SPAN:
        offset = ticks - lo
        present = np.zeros(hi - lo + 1, dtype=bool)
        present[offset] = True
        found = (np.cumsum(present, dtype=np.int32) - 1)[offset]
        uniq = (np.flatnonzero(present) + lo).view(dates.dtype)
    else:
        found, uniq = pd.factorize(ticks)
        found = found.astype(np.int32)
        uniq = np.asarray(uniq, dtype=np.int64).view(dates.dtype)
    if every:
        return found, uniq
    codes = np.full(dates.shape, -1, dtype=np.int32)
    codes[known] = found
    return codes, uniq


def column_values(frame, name: str):
    """A frame column for :func:`precision_radii` and :func:`parse_dates`.

    Arrow-backed text stays a Series (read without a copy, where ``to_numpy``
    would build an object array); any other column becomes a numpy array, as
    these functions have always been given.
    """
    column = frame[name]
    return column if is_arrow_text(column.dtype) else column.to_numpy()
