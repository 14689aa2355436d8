"""The day each input row happened on: its date column, a UCDP date range, a UTC time, a second date column.

:func:`row_days` is the one place a table's dates are read (both engines, every
input format): the as-of day of each row, the first and last day it may have
happened on (UCDP ``date_start``..``date_end``; a UTC time, whose local day is
one of three), and whether another column named like a date disagrees.
"""

from __future__ import annotations

import numpy as np

from geomap.errors import InputError
from geomap.io.columns import arrow_text, column_values, floor_days, parse_dates, text_column


def row_days(frame, schema, names, date_format, source: str, orders: list, *, checked: bool = False):
    """``(dates, date_status, ends, firsts, conflict)`` of a frame's rows (all None without a date column).

    ``dates`` is each row's as-of day (``datetime64[D]``) and ``date_status``
    its status (:func:`geomap.io.columns.parse_dates`); ``ends`` the last day
    it may have happened on (``dates`` where it is one day); ``firsts`` the
    first where that is earlier (a UTC time), else None; ``conflict`` a message
    when ``checked`` and another column named like a date (one of ``names``)
    disagrees.
    """
    if schema.date_col is None:
        return None, None, None, None, None
    dates, date_status = parse_dates(column_values(frame, schema.date_col), date_format, source, orders)
    ends, firsts, conflict = dates, None, None
    if schema.date_end_col is not None:
        ends, date_status = _date_ranges(dates, date_status, column_values(frame, schema.date_end_col),
                                         date_format, source, orders)
    if checked:
        conflict = _other_date_columns(frame, schema.date_col, names, dates, date_format, source)
    if getattr(schema, "date_prec_col", None) is not None:
        firsts, ends, date_status = precision_windows(schema.name, column_values(frame, schema.date_prec_col),
                                                      dates, ends, date_status)
    instants = utc_day_ranges(column_values(frame, schema.date_col))
    if instants is not None:  # a UTC time: its local day is one of up to three
        timed = ~np.isnat(instants[0]) & (date_status == "ok")
        base = dates if firsts is None else firsts
        firsts = np.where(timed, np.minimum(base, instants[0]), base)
        ends = np.where(timed, np.maximum(ends, instants[1]), ends)
    return dates, date_status, ends, firsts, conflict


#: ACLED ``time_precision``: 1 the day; 2 a week (or weekend) and 3 a month, coded to a day within it (which
#: day depends on the codebook's version): a week's event happened within 6 days either side of the coded day,
#: a month's within the calendar month of the coded day
ACLED_DAYS_EITHER_SIDE = {1: 0, 2: 6}
ACLED_MONTH = 3
#: UCDP GED ``date_prec``: 1 the day; 2 2-6 days; 3 a week; 4 a month (8-30 days); 5 more than a month, less
#: than a year, all from ``date_start``, the earliest possible day: the days after it the event may have been on
UCDP_DAYS_AFTER = {1: 0, 2: 5, 3: 6, 4: 30, 5: 364}


def precision_windows(name: str, codes, dates, ends, date_status):
    """``(firsts, ends, date_status)`` widened to the days each row's date-precision code allows.

    ``name`` is the schema (``acled``: ``time_precision``; ``ucdp``: ``date_prec``,
    applied only where ``date_end`` does not already give a later day).  A blank
    code leaves the day as written (as a file without the column does); a code
    the dataset does not define makes the row ``invalid_date`` (its day is not
    known).  ``firsts`` is ``dates`` where the window starts on the day itself.
    """
    import pandas as pd

    series = pd.Series(codes)
    if not pd.api.types.is_numeric_dtype(series.dtype):
        text = text_column(series.astype(object)).str.replace(",", ".", regex=False)
        series = pd.to_numeric(text.where(text != "", None), errors="coerce").where(text != "", np.nan)
        blank = (text == "").to_numpy()
    else:
        blank = series.isna().to_numpy()
    code = series.to_numpy(dtype=float)
    known = ~np.isnat(dates) & (np.asarray(date_status, dtype=object) == "ok")
    firsts, ends = dates.copy(), np.array(ends, dtype="datetime64[D]").copy()
    status = np.asarray(date_status, dtype=object).copy()
    table = ACLED_DAYS_EITHER_SIDE if name == "acled" else UCDP_DAYS_AFTER
    defined = np.isin(code, list(table) + ([ACLED_MONTH] if name == "acled" else []))
    status[known & ~blank & ~defined] = "invalid_date"
    one_day = ends == dates  # UCDP: a date_end after date_start gives the window itself
    for value, days in table.items():
        hit = known & (code == value) & (one_day if name == "ucdp" else True)
        span = np.timedelta64(days, "D")
        if name == "acled":
            firsts[hit] = dates[hit] - span
        ends[hit] = np.maximum(ends[hit], dates[hit] + span)
    if name == "acled":
        month = known & (code == ACLED_MONTH)
        start = dates[month].astype("datetime64[M]")
        firsts[month] = start.astype("datetime64[D]")
        ends[month] = np.maximum(ends[month], ((start + 1).astype("datetime64[D]") - np.timedelta64(1, "D")))
    return firsts, ends, status


def _other_date_columns(frame, chosen: str, names, dates, date_format, source: str) -> str | None:
    """A message when another column named like a date (one of ``names``) disagrees with ``chosen`` on a row.

    A report date beside an incident date: measuring as of the first name
    found would take the line of the wrong day.  Rows where either is blank
    or unreadable are not compared; a column whose slashed dates cannot be
    ordered counts as disagreeing (it cannot be compared).
    """
    lower = {str(c).lower(): str(c) for c in frame.columns}
    for other in (lower[n] for n in names if n in lower and lower[n] != chosen):
        try:
            theirs, _ = parse_dates(column_values(frame, other), date_format, source)
        except InputError:
            theirs = None
        both = None if theirs is None else ~(np.isnat(dates) | np.isnat(theirs))
        if theirs is None or (dates[both] != theirs[both]).any():
            return (f"{source} has two date columns that disagree ({chosen}, {other}): name the one each row "
                    "happened on with --date-col NAME")
    return None


def _date_ranges(dates, date_status, end_values, date_format, source, orders):
    """The last day of each row's range, and the date status of the range.

    A blank end is the start's day; an end that is not a date, or before the
    start, makes the row's date ``invalid_date`` (its day is not known).
    """
    ends, end_status = parse_dates(end_values, date_format, f"{source} (its end dates)", orders)
    blank = end_status == "missing_date"
    ends = np.where(blank, dates, ends)
    status = np.asarray(date_status, dtype=object).copy()
    bad = (status == "ok") & ~blank & ((end_status != "ok") | (ends < dates))
    status[bad] = "invalid_date"
    return ends, status


#: an ISO date and time with a zone ('Z' or any offset): an instant, not a local day.  An offset names the
#: clock the writer read, not the place of the event: 2020-09-26T23:30-05:00 (a newsroom in New York) is
#: 27 Sep in Baku, so the day written is not the event's local day unless the clock was the theatre's
_UTC_INSTANT = r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}(?::?\d{2})?)$"
#: the local time of a UTC instant lies between these offsets from it (UTC-12 to UTC+14)
_WEST, _EAST = np.timedelta64(-12, "h"), np.timedelta64(14, "h")


def utc_day_ranges(values) -> tuple[np.ndarray, np.ndarray] | None:
    """The first and last local day a UTC instant may fall on, per value (NaT for other values).

    Event datasets date an event by its local day.  A time written with a zone
    (``2020-09-26T21:00:00Z``, ``+00:00``, ``-05:00``, a datetime column whose
    zone is UTC or a fixed offset) is an instant: the event's local day is its
    UTC day, the day before or the day after (between 12 h before and 14 h
    after it).  A time of exactly midnight UTC is a date stored as a timestamp,
    a time without a zone (or a column in a named zone, ``Asia/Baku``) is a
    local time whose day is the one written: both get NaT.  None when no value
    is an instant.
    """
    import datetime as dt

    import pandas as pd

    series = pd.Series(values)
    if pd.api.types.is_datetime64_any_dtype(series.dtype):
        tz = getattr(series.dt, "tz", None)
        if tz is None or "/" in str(tz) and not str(tz).startswith("Etc/"):
            return None  # no zone, or a named place's zone: the day written is the local day
        stamps = series.dt.tz_convert("UTC").dt.tz_localize(None).to_numpy()
    else:
        arrow = arrow_text(series)
        if arrow is not None:  # ACLED/UCDP-sized columns: arrow's regex, and nothing more for plain dates
            import pyarrow.compute as pc

            instant = pc.match_substring_regex(arrow, _UTC_INSTANT).to_numpy(zero_copy_only=False)
            if not instant.any():
                return None
            text = pd.Series(arrow.to_pandas(), dtype=object)
        else:
            text = text_column(series)
            instant = text.str.match(_UTC_INSTANT).to_numpy(dtype=bool)
        if not instant.any():
            return None
        stamps = np.full(len(text), np.datetime64("NaT"), dtype="datetime64[ns]")
        stamps[instant] = pd.to_datetime(text[instant], utc=True, format="ISO8601", errors="coerce"
                                          ).dt.tz_localize(None).to_numpy()
    stamps = stamps.astype("datetime64[ns]")
    timed = ~np.isnat(stamps) & (stamps != stamps.astype("datetime64[D]"))
    if not timed.any():
        return None
    first = np.full(stamps.shape, np.datetime64("NaT"), dtype="datetime64[D]")
    last = first.copy()
    first[timed] = floor_days(stamps[timed] + _WEST)
    last[timed] = floor_days(stamps[timed] + _EAST)
    return first, last
