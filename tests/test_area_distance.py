"""Minimum and maximum distance over a whole area (interior included)."""

from __future__ import annotations

import numpy as np
import shapely
from shapely.geometry import Polygon

from geomap.layers.distance import area_distance_range, distance_to_line
from geomap.layers.lineset import lines_from_geometries, read_lines


def dense_grid(poly, n=160):
    minx, miny, maxx, maxy = poly.bounds
    x, y = np.meshgrid(np.linspace(minx, maxx, n), np.linspace(miny, maxy, n))
    x, y = x.ravel(), y.ravel()
    inside = shapely.contains_xy(poly, x, y)
    return x[inside], y[inside]


def test_max_is_within_its_tolerance_of_a_dense_search():
    """Between two lines the farthest point is inside the area, not on its boundary."""
    lines = lines_from_geometries([
        {"type": "LineString", "coordinates": [[46.0, 39.0], [47.0, 39.0]]},
        {"type": "LineString", "coordinates": [[46.0, 39.5], [47.0, 39.5]]},
    ])
    area = Polygon([(46.2, 39.05), (46.8, 39.05), (46.8, 39.45), (46.2, 39.45)])
    got = area_distance_range(area, lines, tolerance_m=50)
    x, y = dense_grid(area)
    dense = distance_to_line(lon=x, lat=y, lines=lines).distance_m
    # no point of the area is farther than the reported maximum plus its tolerance ...
    assert dense.max() <= got.max_m + got.max_tolerance_m
    # ... and the reported maximum is attained at a real point of the area
    at = distance_to_line(lon=[got.max_lon], lat=[got.max_lat], lines=lines).distance_m[0]
    assert abs(at - got.max_m) < 1e-6
    assert 27_000 < got.max_m < 28_000  # about a quarter degree of latitude
    assert shapely.contains_xy(area, got.max_lon, got.max_lat)
    assert got.min_m > 0 and not got.intersects


def test_min_of_an_area_touching_nothing_matches_its_boundary_vertices():
    lines = read_lines("nk-line-2020")
    area = Polygon([(45.5, 40.6), (45.8, 40.6), (45.8, 40.8), (45.5, 40.8)])
    got = area_distance_range(area, lines)
    xy = shapely.get_coordinates(shapely.segmentize(area.exterior, 0.001))
    ref = distance_to_line(lon=xy[:, 0], lat=xy[:, 1], lines=lines).distance_m.min()
    assert got.min_m <= ref + 1e-6
    assert ref - got.min_m < 5  # densified boundary approaches the exact minimum


def test_area_crossed_by_the_line_has_minimum_zero():
    lines = read_lines("nk-line-2020")
    area = Polygon([(46.6, 39.6), (46.9, 39.6), (46.9, 39.9), (46.6, 39.9)])
    got = area_distance_range(area, lines)
    assert got.intersects and got.min_m == 0.0
