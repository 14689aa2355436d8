"""A table whose coordinate columns are projected (UTM metres): converted with --assume-crs, else one refusal.

A CSV of UTM eastings and northings in x/y gave coordinates_out_of_range on every row (exit 1, a table of
nothing), and easting/northing columns a "cannot find a longitude column" that named --lon-col, which
leads to the same.  --assume-crs applied to vector files only.  Now every table (CSV, JSON records,
Parquet without geometry, a DataFrame, the Dask engine's partitions) reads its columns in --assume-crs,
and a table whose every row is beyond any degree is refused once, naming --assume-crs.
"""

from __future__ import annotations

import pandas as pd
import pytest
from pyproj import Transformer

import geomap
from geomap.cli import main

# (crs, x, y): points near the Nagorno-Karabakh line in three projected CRSs
POINTS = [("EPSG:32638", 563456.2, 4405123.9), ("EPSG:3857", 5204000.0, 4837000.0),
          ("EPSG:32639", 48000.0, 4420000.0)]


def _degrees(crs, x, y):
    return Transformer.from_crs(crs, "EPSG:4326", always_xy=True).transform(x, y)


@pytest.mark.parametrize("header", ["x,y", "easting,northing", "X,Y"])
def test_projected_columns_without_a_crs_are_refused_once(runner, tmp_path, header):
    path = tmp_path / "utm.csv"
    path.write_text(f"id,{header}\n1,563456.2,4405123.9\n2,570000,4410000\n")
    result = runner.invoke(main, ["distance", str(path), "--layer", "nk-line-2020", "--format", "csv"])
    assert result.exit_code == 2, result.output
    assert "--assume-crs EPSG:" in result.stderr and len(result.stderr.strip().splitlines()) == 1, result.stderr


@pytest.mark.parametrize("crs,x,y", POINTS)
def test_assume_crs_converts_a_csvs_columns(runner, tmp_path, crs, x, y):
    lon, lat = _degrees(crs, x, y)
    path = tmp_path / "utm.csv"
    path.write_text(f"id,easting,northing\n1,{x},{y}\n")
    projected = geomap.measure(str(path), layer="nk-line-2020", assume_crs=crs).frame
    degrees = geomap.measure(at=[(lon, lat)], layer="nk-line-2020").frame
    assert projected["status"].tolist() == ["ok"]
    assert projected["distance_m"].iloc[0] == pytest.approx(degrees["distance_m"].iloc[0], abs=0.01)
    cli = runner.invoke(main, ["distance", str(path), "--layer", "nk-line-2020", "--assume-crs", crs, "--format", "csv"])
    assert cli.exit_code == 0, cli.output


def test_assume_crs_converts_a_dataframes_columns():
    crs, x, y = POINTS[0]
    lon, lat = _degrees(crs, x, y)
    frame = pd.DataFrame({"x": [x], "y": [y]})
    got = geomap.measure(frame, layer="nk-line-2020", assume_crs=crs).frame
    want = geomap.measure(at=[(lon, lat)], layer="nk-line-2020").frame
    assert got["distance_m"].iloc[0] == pytest.approx(want["distance_m"].iloc[0], abs=0.01)
    with pytest.raises(geomap.errors.InputError, match="projected"):
        geomap.measure(frame, layer="nk-line-2020")


def test_one_row_out_of_degrees_keeps_its_status(tmp_path):
    # a typo in one row is that row's status, not a refusal of the file
    path = tmp_path / "ev.csv"
    path.write_text("id,lon,lat\n1,46.75,39.8\n2,467.5,39.8\n")
    assert geomap.measure(str(path), layer="nk-line-2020").frame["status"].tolist() == ["ok", "coordinates_out_of_range"]


def test_assume_crs_converts_the_columns_of_features_without_geometry(tmp_path):
    import json

    crs, x, y = POINTS[0]
    lon, lat = _degrees(crs, x, y)
    path = tmp_path / "ev.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"id": 1, "x": x, "y": y}, "geometry": None}]}))
    got = geomap.measure(str(path), layer="nk-line-2020", assume_crs=crs).frame
    want = geomap.measure(at=[(lon, lat)], layer="nk-line-2020").frame
    assert got["distance_m"].iloc[0] == pytest.approx(want["distance_m"].iloc[0], abs=0.01)
    with pytest.raises(geomap.errors.InputError, match="assume_crs="):
        geomap.measure(str(path), layer="nk-line-2020")
