"""A projected CRS declared for coordinates that are lon/lat degrees is refused, for incidents and lines alike.

A .prj of UTM 38N copied beside a lon/lat shapefile, or a GeoJSON crs member naming EPSG:3857 over degrees, put
every point within metres of the projection's origin: rows were measured 4,400-6,500 km from the line, status ok.
Found by the breaker4b review.
"""

from __future__ import annotations

import json

import pytest

from geomap.cli import main

DEGREES = [(46.75, 39.8), (46.8, 39.85)]


def _points(path, crs):
    import geopandas as gpd
    from shapely.geometry import Point

    gpd.GeoDataFrame({"id": [1, 2]}, geometry=[Point(*p) for p in DEGREES], crs=crs).to_file(path)
    return path


def _geojson(path, crs, kind="Point"):
    coords = DEGREES if kind == "LineString" else DEGREES[0]
    path.write_text(json.dumps({"type": "FeatureCollection", "crs": {"type": "name", "properties": {"name": crs}},
                                "features": [{"type": "Feature", "properties": {"id": 1},
                                              "geometry": {"type": kind, "coordinates": coords}}]}))
    return path


def _line_shp(path, crs):
    import geopandas as gpd
    from shapely.geometry import LineString

    gpd.GeoDataFrame({"n": [1]}, geometry=[LineString(DEGREES)], crs=crs).to_file(path)
    return path


def _geoparquet(path, crs):
    import geopandas as gpd
    from shapely.geometry import Point

    gpd.GeoDataFrame({"id": [1, 2]}, geometry=[Point(*p) for p in DEGREES], crs=crs).to_parquet(path)
    return path


@pytest.mark.parametrize(("make", "name", "crs"), [
    (_points, "pts.shp", "EPSG:32638"),
    (_points, "pts.gpkg", "EPSG:3857"),
    (_geojson, "pts.geojson", "urn:ogc:def:crs:EPSG::3857"),
    (_geoparquet, "pts.parquet", "EPSG:32638"),
])
def test_incidents_in_degrees_under_a_projected_crs_are_refused(tmp_path, runner, make, name, crs):
    src = make(tmp_path / name, crs)
    result = runner.invoke(main, ["distance", str(src), "--layer", "nk-line-2020", "--format", "csv"])
    assert result.exit_code == 2, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "degrees" in lines[0] and "CRS" in lines[0], result.stderr


@pytest.mark.parametrize(("make", "name", "crs"), [
    (_line_shp, "line.shp", "EPSG:32638"),
    (lambda p, c: _geojson(p, c, "LineString"), "line.geojson", "EPSG:3857"),
])
def test_a_line_in_degrees_under_a_projected_crs_is_refused(tmp_path, runner, make, name, crs):
    layer = make(tmp_path / name, crs)
    result = runner.invoke(main, ["distance", "--at", "46.75,39.8", "--layer", str(layer), "--format", "csv"])
    assert result.exit_code == 2, result.output
    assert "degrees" in result.stderr and len(result.stderr.strip().splitlines()) == 1, result.stderr


def test_assume_crs_projected_over_lonlat_points_is_refused(tmp_path, runner):
    src = tmp_path / "pts.geojson"
    src.write_text(json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"id": 1}, "geometry": {"type": "Point", "coordinates": [46.75, 39.8]}}]}))
    result = runner.invoke(main, ["distance", str(src), "--layer", "nk-line-2020", "--assume-crs", "EPSG:32638",
                                  "--format", "csv"])
    assert result.exit_code == 2 and "degrees" in result.stderr, result.output


def test_real_projected_coordinates_are_still_converted(tmp_path, runner):
    import geopandas as gpd
    from shapely.geometry import Point

    src = tmp_path / "utm.gpkg"
    gpd.GeoDataFrame({"id": [1]}, geometry=[Point(*DEGREES[0])], crs=4326).to_crs(32638).to_file(src)
    result = runner.invoke(main, ["distance", str(src), "--layer", "nk-line-2020", "--format", "json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)[0]["distance_m"] == pytest.approx(8863.122, abs=0.01)
