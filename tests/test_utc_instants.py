"""Event times written as UTC instants: the local day they fall on is not known, so neither is the line.

ACLED and UCDP date events by their local day.  A timestamp in UTC (``...Z``, ``+00:00``, a GeoParquet or
GeoPackage column in UTC) may fall on the day before or after it locally (UTC offsets run from -12 to +14 h):
2020-09-26T21:00Z is 27 Sep, 01:00 in Baku, the first day of the war, and was measured against the 1994 line
as of 26 Sep.  A row whose possible local days straddle a change of line is not measured (date_spans_layers);
a time of exactly midnight is a date stored as a timestamp.  Found by the breaker4b review.
"""

from __future__ import annotations

import pandas as pd
import pytest

from geomap.pipeline.request import IncidentSource, LineChoice, Request
from geomap.pipeline.run import run

CASES = [  # (text, expected status)
    ("2020-09-26T21:00:00Z", "date_spans_layers"),          # 27 Sep locally east of UTC+3
    ("2020-09-26T21:00:00+00:00", "date_spans_layers"),
    ("2020-09-27 02:30:00Z", "no_layer_for_date"),          # its UTC day has no line (26 Sep west of UTC-2:30)
    ("2023-09-18T22:15:00.000Z", "date_spans_layers"),      # the 2020 line's last day, or the offensive's first
    ("2021-06-01T12:00:00Z", "ok"),                         # every possible local day has the same line
    ("2020-09-26T00:00:00Z", "ok"),                         # midnight: a date stored as a timestamp
    ("2020-09-26T21:00:00+04:00", "date_spans_layers"),     # an offset names the writer's clock, not the place:
    ("2020-09-26T23:30-05:00", "date_spans_layers"),        # 27 Sep 08:30 in Baku, written 26 Sep in New York
    ("2020-09-26T12:00+14:00", "ok"),                       # 25 or 26 Sep anywhere: the 1994 line
    ("2020-09-26T21:00:00", "ok"),                          # no zone: a local time, its day is the one written
]


def _measure(path):
    return run(Request(IncidentSource(path=str(path)), LineChoice(theatre="nagorno-karabakh")))


def test_utc_text_timestamps(tmp_path):
    path = tmp_path / "ev.csv"
    path.write_text("id,lon,lat,date\n" + "".join(f"{i},46.75,39.8,{t}\n" for i, (t, _) in enumerate(CASES)))
    assert list(_measure(path).frame["status"]) == [s for _, s in CASES]


def test_utc_timestamps_in_geojson_properties(tmp_path):
    import json

    path = tmp_path / "ev.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"id": i, "date": t}, "geometry": {"type": "Point", "coordinates": [46.75, 39.8]}}
        for i, (t, _) in enumerate(CASES)]}))
    assert list(_measure(path).frame["status"]) == [s for _, s in CASES]


@pytest.mark.parametrize("suffix", [".parquet", ".gpkg"])
def test_utc_datetime_columns(tmp_path, suffix):
    import geopandas as gpd
    from shapely.geometry import Point

    utc = [(t, s) for t, s in CASES if t.endswith(("Z", "+00:00"))]
    stamps = pd.to_datetime([t for t, _ in utc], utc=True, format="ISO8601")
    frame = gpd.GeoDataFrame({"id": range(len(utc)), "date": stamps}, geometry=[Point(46.75, 39.8)] * len(utc),
                             crs=4326)
    path = tmp_path / f"ev{suffix}"
    frame.to_parquet(path) if suffix == ".parquet" else frame.to_file(path)
    assert list(_measure(path).frame["status"]) == [s for _, s in utc]


def test_local_datetime_column_keeps_its_day(tmp_path):
    import geopandas as gpd
    from shapely.geometry import Point

    stamps = pd.to_datetime(["2020-09-26T23:30:00", "2020-09-27T00:30:00"]).tz_localize("Asia/Baku")
    path = tmp_path / "ev.parquet"
    gpd.GeoDataFrame({"id": [1, 2], "date": stamps}, geometry=[Point(46.75, 39.8)] * 2, crs=4326).to_parquet(path)
    assert list(_measure(path).frame["status"]) == ["ok", "no_layer_for_date"]


def test_fixed_offset_datetime_column_is_an_instant(tmp_path):
    import geopandas as gpd
    from shapely.geometry import Point

    # a column at a fixed offset (not a named place's zone) says when, not where: 27 Sep in Baku
    stamps = pd.to_datetime(["2020-09-26T23:30:00-05:00", "2021-06-01T12:00:00-05:00"])
    path = tmp_path / "ev.parquet"
    gpd.GeoDataFrame({"id": [1, 2], "date": stamps}, geometry=[Point(46.75, 39.8)] * 2, crs=4326).to_parquet(path)
    assert list(_measure(path).frame["status"]) == ["date_spans_layers", "ok"]


@pytest.mark.parametrize("date", ["2020-09-26T21:00:00Z", "2020-09-27T02:30Z", "2023-09-18T22:15:00+00:00",
                                  "2020-09-26T23:30-05:00"])
def test_date_option_with_a_utc_time_across_a_change_of_line_is_refused(runner, tmp_path, date):
    from geomap.cli import main

    result = runner.invoke(main, ["distance", "--at", "46.75,39.8", "--theatre", "nagorno-karabakh", "--date", date,
                                  "--format", "json"])
    assert result.exit_code == 2, result.output
    assert "local date" in result.stderr and len(result.stderr.strip().splitlines()) == 1, result.stderr
    src = tmp_path / "ev.csv"
    src.write_text("id,lon,lat\n1,46.75,39.8\n")
    result = runner.invoke(main, ["distance", str(src), "--theatre", "nagorno-karabakh", "--date", date,
                                  "--format", "csv"])
    assert result.exit_code == 2 and "local date" in result.stderr, result.output


@pytest.mark.parametrize("date", ["2021-06-01T12:00:00Z", "2020-09-26T00:00:00Z", "2020-09-26T12:00:00+04:00"])
def test_date_option_with_a_time_that_settles_the_line_is_read(runner, date):
    from geomap.cli import main

    result = runner.invoke(main, ["distance", "--at", "46.75,39.8", "--theatre", "nagorno-karabakh", "--date", date,
                                  "--format", "json"])
    assert result.exit_code == 0, result.output
