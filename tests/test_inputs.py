"""Input columns to numbers, precision radii and dates: the edge cases of each parser."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from geomap.inputs import parse_dates


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
