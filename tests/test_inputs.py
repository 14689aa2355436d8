"""Input columns to numbers, precision radii and dates: the edge cases of each parser."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from geomap.io import columns
from geomap.io import points as inputs
from geomap.io.points import parse_dates


@pytest.mark.parametrize("dtype", ["str", object])
def test_days_outside_the_nanosecond_range_are_invalid_dates(dtype):
    values = ["0001-01-01", "9999-12-31", "1677-09-21", "1677-09-22", "2262-04-11", "2262-04-12",
              "15 October 0001", "1 January 2263", "2020-10-15"]
    dates, status = parse_dates(pd.Series(values, dtype=dtype))
    expected = [None, None, None, "1677-09-22", "2262-04-11", None, None, None, "2020-10-15"]
    assert [None if np.isnat(d) else str(d) for d in dates] == expected
    assert list(status) == ["ok" if e else "invalid_date" for e in expected]


@pytest.mark.parametrize("unit", ["s", "ms", "us", "ns"])
def test_datetime_columns_floor_to_days_in_any_unit(unit):
    stamps = pd.Series(np.array(["1677-09-22T00:00", "1969-12-31T23:59:59", "2262-04-11T23:00", "NaT"],
                                dtype=f"datetime64[{unit}]"))
    dates, status = parse_dates(stamps)
    assert [str(d) for d in dates] == ["1677-09-22", "1969-12-31", "2262-04-11", "NaT"]
    assert list(status) == ["ok", "ok", "ok", "missing_date"]


def test_datetimes_pandas_cannot_hold_in_ns_are_invalid_dates():
    stamps = pd.Series(np.array(["0001-01-01", "9999-12-31T12:00", "2020-10-15T10:00"], dtype="datetime64[us]"))
    dates, status = parse_dates(stamps)
    assert [str(d) for d in dates] == ["NaT", "NaT", "2020-10-15"]
    assert list(status) == ["invalid_date", "invalid_date", "ok"]


# --- arrow fast paths: the same answers as the pandas code, row by row -------------------------------------------

COORDINATES = ["40.3102", " 46.4878 ", "", "   ", "\t", "nan", "NaN", "inf", "-inf", "Infinity", "1e3", "1E-3", "1e400",
               "+40.1", "-40.1", "40,1", "40.1.2", "1_0", "0x10", ".5", "5.", "-.5", "+.5", ".", "+", "-", "-0", "0",
               "-0.0", "+0", "00040.25", "181", "-90.0000001", "40.310200000000002", "46.48780000000000123",
               "123456789012345", "1234567890123456", "0.123456789012345", "0.1234567890123456", "x", "٤٠.٣",
               "\xa040.5\u3000", "40.5 N", "99999999999999999999", "18446744073709551615", "1d3", None]
PRECISIONS = ["1", "2", "3", "4", "5", "6", "7", "8", "0", "", " ", "2.0", " 2 ", "2.00", "02", "2.", "2.0.0", "+2",
              "2e0", "٢", "٢.0", "1.5", "nan", "3.0 ", "\t1\n", None]
DATES = ["2020-10-15", " 2020-10-15 ", "", "  ", "2020-02-30", "2020-02-29", "2019-02-29", "2020-13-01", "2020-00-10",
         "2020-01-00", "2020-01-32", "2020-10-15 00:00:00.000", "2020-10-15T10:00Z", "2020-10-15T10:00:00+02:00",
         "2020-10-15T10:00-0330", "2020-10-15T", "2020-10-15x", "2020-10-15 10:00 UTC", "15 October 2020",
         "5 October 2020", "15 OCTOBER 2020", "15 Oct 2020", "31 February 2020", "October 15, 2020", "0001-01-01",
         "9999-12-31", "0000-01-01", "1677-09-21", "1677-09-22", "2262-04-11", "2262-04-12", "15 October 0001",
         "2020/10/15", "20201015", "nan", "NaT", "٢٠٢٠-١٠-١٥", "2020-10-15\u00a0", "1 January 1677", "31 December 2262",
         None]
#: Arrow-backed text dtypes, which take the fast path.
ARROW_TEXT = ["str", "string[pyarrow]", pd.ArrowDtype(pa.large_string()), pd.ArrowDtype(pa.string())]


def _same(a: np.ndarray, b: np.ndarray) -> bool:
    """Equal dtype and values, NaN/NaT in the same places, and the same sign of zero."""
    if a.dtype != b.dtype or a.shape != b.shape:
        return False
    if a.dtype.kind == "f":
        return (np.array_equal(a, b, equal_nan=True) and np.array_equal(np.isnan(a), np.isnan(b))
                and np.array_equal(np.signbit(a), np.signbit(b)))
    if a.dtype.kind == "M":
        return np.array_equal(a, b, equal_nan=True)
    return bool((a == b).all())


def _references(values):
    """The same values as pandas-path inputs: object dtype, and arrow text with the fast path switched off."""
    return [pd.Series(values, dtype=object), pd.Series(values, dtype="str")]


def _without_fast_path(monkeypatch, func, series, *args):
    with monkeypatch.context() as m:
        m.setattr(columns, "arrow_text", lambda _series: None)
        return func(series, *args)


def _check(monkeypatch, func, values, *args, dtypes=("str",)):
    """``func`` answers the same for ``values`` through the fast path (``dtypes``) as through the pandas code."""
    slow = [_without_fast_path(monkeypatch, func, reference, *args) for reference in _references(values)]
    for dtype in dtypes:
        series = pd.Series(values, dtype=dtype)
        assert columns.arrow_text(series) is not None
        fast = func(series, *args)
        for reference, answer in zip(_references(values), slow):
            for got, want in zip(fast, answer):
                mismatch = [(v, g, w) for v, g, w in zip(values, got, want)
                            if not _same(np.array([g]), np.array([w]))]
                assert not mismatch and _same(got, want), (str(dtype), str(reference.dtype), mismatch[:5])


def _columns(values, rng, count=300, size=6):
    """Small columns drawn from ``values``: what pandas makes of a value can depend on the rest of its column."""
    return [list(rng.choice(values, size=rng.integers(0, size + 1))) for _ in range(count)]


def test_fast_numbers_equal_pandas(monkeypatch):
    _check(monkeypatch, columns.numbers, COORDINATES, dtypes=ARROW_TEXT)
    rng = np.random.default_rng(7)
    # pandas reads a column of integers alone as int64 (``-0`` is then 0.0, long ones round another way)
    integers = [["-0", "5"], ["-0", "-00", "+0"], ["7", "1234567890123456"], ["7", "+7890605534838013667"]]
    mixed = [["-0", ""], ["-0", " ", "x"], ["-0", "1e3"], ["-0", "x"], ["-0", "99999999999999999999"],
             ["-1", "18446744073709551615"], ["1.5", "+7890605534838013667"], ["", "+7890605534838013667"],
             ["", ""], []]
    for column in _columns(COORDINATES, rng) + integers + mixed:
        _check(monkeypatch, columns.numbers, column)


def test_fast_numbers_equal_pandas_on_random_decimals(monkeypatch):
    rng = np.random.default_rng(11)
    digits = np.array(list("0123456789"))
    values = []
    for _ in range(20000):
        text = "".join(rng.choice(digits, size=rng.integers(1, 19)))
        cut = rng.integers(0, len(text) + 1)
        values.append(rng.choice(["", "-", "+"]) + (text[:cut] + "." + text[cut:] if rng.random() < 0.8 else text))
    _check(monkeypatch, columns.numbers, values)
    _check(monkeypatch, columns.numbers, ["".join(rng.choice(list("0123456789.+-eE nai,"), size=rng.integers(0, 8)))
                                          for _ in range(20000)])


@pytest.mark.parametrize("schema", ["acled", "ucdp"])
def test_fast_precision_radii_equal_pandas(monkeypatch, schema):
    _check(monkeypatch, inputs.precision_radii, PRECISIONS, inputs.Schema(schema), dtypes=ARROW_TEXT)
    for column in _columns(PRECISIONS, np.random.default_rng(3)) + [[]]:
        _check(monkeypatch, inputs.precision_radii, column, inputs.Schema(schema))


def test_fast_dates_equal_pandas(monkeypatch):
    _check(monkeypatch, inputs.parse_dates, DATES, dtypes=ARROW_TEXT)
    for column in _columns(DATES, np.random.default_rng(5)) + [[], ["", " "]]:
        _check(monkeypatch, inputs.parse_dates, column)


def test_fast_iso_calendar_equals_pandas(monkeypatch):
    years = ["1677", "1678", "1700", "1800", "1900", "1970", "2000", "2020", "2021", "2100", "2261", "2262", "2400"]
    values = [f"{y}-{m:02d}-{d:02d}" for y in years for m in range(15) for d in range(33)]
    _check(monkeypatch, inputs.parse_dates, values)


def test_plain_iso_column_shortcut_equals_the_general_paths(monkeypatch):
    # columns of valid YYYY-MM-DD days (and blanks) skip the regular expression: the same days and statuses
    days = np.arange(np.datetime64("1600-01-01"), np.datetime64("2300-01-01"), 97)
    valid = [str(d) for d in days] + ["1677-09-21", "1677-09-22", "2262-04-11", "2262-04-12", "0001-01-01", "9999-12-31"]
    rng = np.random.default_rng(13)
    for column in [valid, valid + ["", " ", None], ["", None], [" 2020-10-15 ", "2020-10-16\t"]] + [
            list(rng.choice(valid + ["", " "], size=rng.integers(1, 12))) for _ in range(200)]:
        _check(monkeypatch, inputs.parse_dates, column)
        with monkeypatch.context() as m:
            m.setattr(columns, "_plain_iso_days", lambda _text, _blank: None)
            general = inputs.parse_dates(pd.Series(column, dtype="str"))
        for got, want in zip(inputs.parse_dates(pd.Series(column, dtype="str")), general):
            assert _same(got, want), column[:5]
    text = columns.arrow_text(pd.Series(valid, dtype="str"))
    assert columns._plain_iso_days(text, np.zeros(len(valid), dtype=bool)) is not None  # the shortcut is taken


@settings(max_examples=500, deadline=None)
@given(st.dates(), st.lists(st.tuples(st.integers(0, 9), st.sampled_from(list("0123456789-+ /T:.xZ\u0660\u00a0"))),
                            max_size=3))
def test_arrow_reads_ten_byte_dates_only_in_iso_form(day, edits):
    # what the shortcut of columns._plain_iso_days relies on: a 10-byte text arrow reads as a date matches _ISO_DATE
    import re

    import pyarrow.compute as pc

    chars = list(day.isoformat().rjust(10, "0"))
    for pos, char in edits:
        chars[pos] = char
    for value in ("".join(chars), "".join(chars[1:]) + "0", "".join(chars)[:9]):
        if len(value.encode()) != 10:
            continue
        try:
            pc.cast(pa.array([value], type=pa.large_string()), pa.date32())
        except pa.ArrowInvalid:
            continue
        assert re.match(columns._ISO_DATE, value, re.ASCII), value


@pytest.mark.parametrize(("rows", "pool"), [(0, None), (1, None), (300, None), (5, ["", " ", None])],
                         ids=["empty", "one", "mixed", "all-blank"])
def test_fast_table_from_frame_equals_pandas(monkeypatch, rows, pool):
    rng = np.random.default_rng(rows)
    data = {
        "event_id_cnty": [f"E{i}" for i in range(rows)],
        "event_date": list(rng.choice(pool or DATES, size=rows)),
        "latitude": list(rng.choice(pool or COORDINATES, size=rows)),
        "longitude": list(rng.choice(pool or COORDINATES, size=rows)),
        "geo_precision": list(rng.choice(pool or PRECISIONS, size=rows)),
    }
    fast = inputs.table_from_frame(pd.DataFrame(data, dtype="str"), "mem")
    for dtype in (object, "str"):
        with monkeypatch.context() as m:
            m.setattr(columns, "arrow_text", lambda _series: None)
            slow = inputs.table_from_frame(pd.DataFrame(data, dtype=dtype), "mem")
        for name in ("lon", "lat", "status", "radius_m", "date", "date_status"):
            assert _same(getattr(fast, name), getattr(slow, name)), (name, str(dtype))


def test_csv_frame_is_text_as_written(tmp_path):
    path = tmp_path / "events.csv"
    path.write_text('id,lon,lat,notes\n007,40.10, 46.5 ,"a ""b""\nc"\n008,,nan,\n', encoding="utf-8")
    frame = inputs.read_csv_frame(path)
    expected = pd.read_csv(path, dtype=str, keep_default_na=False)
    assert frame.equals(expected)
    assert list(frame.dtypes) == list(expected.dtypes) == [pd.StringDtype(na_value=np.nan)] * 4
    assert frame["id"].tolist() == ["007", "008"] and frame["lat"].tolist() == [" 46.5 ", "nan"]


def test_table_from_frame_reads_other_dtypes_as_before():
    frame = pd.DataFrame({
        "event_id_cnty": ["A", "B", "C"],
        "event_date": pd.Series(pd.to_datetime(["2020-10-15", None, "2021-01-02"])).astype(pd.ArrowDtype(pa.date32())),
        "latitude": [40.1, 40.2, np.nan],
        "longitude": [46.1, 46.2, 46.3],
        "geo_precision": pd.Series([1, pd.NA, 3], dtype="Int64"),
    })
    table = inputs.table_from_frame(frame, "mem")
    assert [str(d) for d in table.date] == ["2020-10-15", "NaT", "2021-01-02"]
    assert list(table.date_status) == ["ok", "missing_date", "ok"]
    assert list(table.status) == ["ok", "invalid_precision", "missing_coordinates"]
    assert _same(table.radius_m, np.array([2_000.0, np.nan, 100_000.0]))


@pytest.mark.parametrize("span", [1, 1000, (1 << 20) - 1, 1 << 20, 3_000_000])
def test_parsed_date_column_and_day_codes(span):
    from geomap.pipeline.columns import date_column

    rng = np.random.default_rng(span)
    for n, nat in ((0, 0.0), (1, 0.0), (1, 1.0), (500, 0.0), (500, 0.3), (50, 1.0)):
        days = np.datetime64("0500-01-01") + rng.integers(0, span, n).astype("timedelta64[D]")
        if n > 1:
            days[0], days[-1] = np.datetime64("0500-01-01"), np.datetime64("0500-01-01") + span - 1
        days[rng.random(n) < nat] = np.datetime64("NaT")
        want = [None if np.isnat(d) else str(d) for d in days]
        assert [None if v is pd.NA else v for v in columns.iso_dates(days)] == want
        assert list(date_column(days).array(None)) == want
        codes, uniq = columns.day_codes(days)
        assert codes.dtype == np.int32 and len(set(uniq.tolist())) == uniq.size
        assert [None if c < 0 else uniq[c] for c in codes] == [None if np.isnat(d) else d for d in days]
