"""GeoJSON coordinates that are not numbers: the row is invalid_coordinates, never measured somewhere else.

``[true, 39.8]`` was read as lon 1 (Python's True is 1) and measured 3,825 km from the line, status ok;
``1e400`` (infinite) was missing_coordinates, which the docs give to blanks only.  Found by the breaker4b review.
"""

from __future__ import annotations

import json

import pytest

from geomap.io.points import read_points

GOOD = {"type": "Point", "coordinates": [46.75, 39.8]}


@pytest.mark.parametrize("geometry", [
    {"type": "Point", "coordinates": [True, 39.8]},
    {"type": "Point", "coordinates": [46.75, False]},
    {"type": "Point", "coordinates": [46.75, "north"]},
    {"type": "Point", "coordinates": [46.75, {"deg": 39.8}]},
    {"type": "Point", "coordinates": [1e400, 39.8]},
    {"type": "Point", "coordinates": [46.75, -1e999]},
    {"type": "MultiPoint", "coordinates": [[True, 39.8]]},
    {"type": "Polygon", "coordinates": [[[46.7, 39.7], [True, 39.7], [46.8, 39.8], [46.7, 39.7]]]},
    {"type": "Polygon", "coordinates": [[[46.7, 39.7], [1e400, 39.7], [46.8, 39.8], [46.7, 39.7]]]},
])
def test_non_numbers_in_coordinates_are_invalid(tmp_path, geometry):
    path = tmp_path / "x.geojson"
    text = json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"id": 1}, "geometry": geometry},
        {"type": "Feature", "properties": {"id": 2}, "geometry": GOOD}]})
    path.write_text(text.replace("Infinity", "1e400"))
    table = read_points(path)
    assert list(table.status) == ["invalid_coordinates", "ok"]


def test_numbers_written_as_text_are_still_numbers(tmp_path):
    path = tmp_path / "x.geojson"
    path.write_text(json.dumps({"type": "Feature", "properties": {},
                                "geometry": {"type": "Point", "coordinates": ["46.75", "39.8"]}}))
    table = read_points(path)
    assert list(table.status) == ["ok"] and (table.lon[0], table.lat[0]) == (46.75, 39.8)


def test_nan_and_null_positions_stay_missing(tmp_path):
    # Python's json writes a missing float as NaN: a blank, not a wrong value
    path = tmp_path / "x.geojson"
    path.write_text('{"type": "FeatureCollection", "features": ['
                    '{"type": "Feature", "properties": {}, "geometry": {"type": "Point", "coordinates": [NaN, NaN]}},'
                    '{"type": "Feature", "properties": {}, "geometry": null},'
                    '{"type": "Feature", "properties": {}, "geometry": {"type": "Point", "coordinates": ["nan", 39.8]}}]}')
    assert list(read_points(path).status) == ["missing_coordinates", "missing_coordinates", "invalid_coordinates"]
