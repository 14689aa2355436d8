"""Side of the line: point in the held area (geodesic edges) and the signed distance."""

from __future__ import annotations

import numpy as np
import pytest
import shapely
from hypothesis import given, settings
from hypothesis import strategies as st
from pyproj import Geod, Transformer

from geomap.errors import CoordinateError, CRSError, LayerError
from geomap.layers.registry import get_layer
from geomap.layers.sides import MAX_EDGE_M, area_geometry, geodesic_polygon, inside_area, signed_distance

# (lon, lat) of OSM place nodes (tests/../shared/data/gazetteer_osm_karabakh_places.csv) and towns outside
STEPANAKERT = (46.751063, 39.8182184)
HADRUT = (47.0313751, 39.5190107)  # inside the 1994 area, taken in Oct 2020
AGHDAM = (46.9300, 39.9900)  # Aghdam town, inside the 1994 area, handed back 20 Nov 2020
BARDA = (47.1200, 40.3740)  # Azerbaijan, never held
GORIS = (46.3400, 39.5100)  # Armenia


@pytest.mark.parametrize(
    ("place", "area", "expected"),
    [
        (STEPANAKERT, "nk-area-1994", True),
        (STEPANAKERT, "nk-area-2020", True),
        (HADRUT, "nk-area-1994", True),
        (HADRUT, "nk-area-2020", False),
        (AGHDAM, "nk-area-1994", True),
        (AGHDAM, "nk-area-2020", False),
        (BARDA, "nk-area-1994", False),
        (BARDA, "nk-area-2020", False),
        (GORIS, "nk-area-1994", False),
        (GORIS, "nk-area-2020", False),
    ],
)
def test_known_places(place, area, expected):
    assert inside_area(lon=place[0], lat=place[1], area=area).item() is expected


def test_vectorised_shape():
    lon = np.array([[STEPANAKERT[0], BARDA[0]], [HADRUT[0], GORIS[0]]])
    lat = np.array([[STEPANAKERT[1], BARDA[1]], [HADRUT[1], GORIS[1]]])
    out = inside_area(lon, lat, "nk-area-1994")
    assert out.dtype == bool and out.shape == (2, 2)
    assert out.tolist() == [[True, False], [True, False]]


def test_densified_edges_follow_the_geodesic():
    """Every sub-edge of the densified ring is within 1 mm of the true geodesic edge.

    Measured on nk-area-2020: 0.08 mm densified, 6 mm with the raw straight lon/lat edges.
    """
    raw = shapely.union_all(list(shapely.get_parts(area_geometry("nk-area-2020", max_edge_m=1e9))))
    dense = area_geometry("nk-area-2020")
    geod = Geod(ellps="WGS84")
    c = raw.centroid
    to_m = Transformer.from_crs("EPSG:4326", f"+proj=aeqd +lat_0={c.y} +lon_0={c.x} +ellps=WGS84", always_xy=True)
    ring = np.asarray(raw.exterior.coords)
    samples = []
    for (lon1, lat1), (lon2, lat2) in zip(ring[:-1], ring[1:]):
        samples.extend(geod.npts(lon1, lat1, lon2, lat2, 20))
    samples = np.asarray(samples)
    x, y = to_m.transform(samples[:, 0], samples[:, 1])
    dense_m = shapely.transform(dense.exterior, lambda xy: np.column_stack(to_m.transform(xy[:, 0], xy[:, 1])))
    raw_m = shapely.transform(raw.exterior, lambda xy: np.column_stack(to_m.transform(xy[:, 0], xy[:, 1])))
    off_dense = shapely.distance(shapely.points(x, y), dense_m)
    off_raw = shapely.distance(shapely.points(x, y), raw_m)
    assert off_dense.max() < 0.001
    assert off_raw.max() > 10 * off_dense.max()
    _, _, edge_m = geod.inv(*np.asarray(dense.exterior.coords)[:-1].T, *np.asarray(dense.exterior.coords)[1:].T)
    assert edge_m.max() <= MAX_EDGE_M + 1e-6


@settings(max_examples=200, deadline=None)
@given(
    st.floats(min_value=46.2, max_value=47.3),
    st.floats(min_value=39.45, max_value=40.45),
)
def test_agrees_with_planar_test_away_from_the_boundary(lon, lat):
    """More than 2 m (in degrees, ~1e-4) from the boundary, geodesic and planar edges give the same side."""
    raw = shapely.union_all(list(shapely.get_parts(area_geometry("nk-area-2020", max_edge_m=1e9))))
    point = shapely.Point(lon, lat)
    if raw.boundary.distance(point) < 1e-4:
        return
    assert inside_area(lon, lat, "nk-area-2020").item() == raw.contains(point)


def test_boundary_vertex_counts_as_inside():
    lon, lat = shapely.get_coordinates(area_geometry("nk-area-2020"))[5]
    assert inside_area(lon, lat, "nk-area-2020").item()


def test_area_from_a_projected_file(tmp_path):
    """A polygon file in UTM 38N gives the same answers as the shipped layer."""
    from geomap.layers.resolve import read_frame

    path = tmp_path / "held.gpkg"
    read_frame("nk-area-2020").to_crs("EPSG:32638").to_file(path, driver="GPKG")
    lon = np.array([STEPANAKERT[0], HADRUT[0], AGHDAM[0], BARDA[0]])
    lat = np.array([STEPANAKERT[1], HADRUT[1], AGHDAM[1], BARDA[1]])
    assert inside_area(lon, lat, path).tolist() == inside_area(lon, lat, "nk-area-2020").tolist()


@pytest.mark.filterwarnings("ignore:.crs. was not provided:UserWarning")
def test_area_file_without_crs(tmp_path):
    import geopandas as gpd

    from geomap.layers.resolve import read_frame

    path = tmp_path / "nocrs.shp"
    frame = read_frame("nk-area-2020")
    gpd.GeoDataFrame(geometry=list(frame.geometry)).to_file(path)
    assert not path.with_suffix(".prj").exists()
    with pytest.raises(CRSError, match="no CRS"):
        inside_area(46.75, 39.8, path)


def test_line_layer_is_not_an_area():
    with pytest.raises(LayerError, match="use its held area nk-area-2020"):
        inside_area(46.75, 39.8, "nk-line-2020")
    with pytest.raises(LayerError, match="no polygons"):
        inside_area(46.75, 39.8, get_layer("nk-line-2020").path)
    with pytest.raises(LayerError):
        geodesic_polygon(shapely.LineString([(0, 0), (1, 1)]))


@pytest.mark.parametrize(("lon", "lat"), [(200.0, 40.0), (46.0, -95.0), (float("nan"), 40.0)])
def test_bad_coordinates(lon, lat):
    with pytest.raises(CoordinateError, match="not a lon/lat position"):
        inside_area(lon, lat, "nk-area-2020")


def test_swapped_axes_hint():
    with pytest.raises(CoordinateError, match="did you swap them"):
        inside_area(39.8, 146.75, "nk-area-2020")
    with pytest.raises(CoordinateError, match="shape"):
        inside_area([1.0, 2.0], [1.0], "nk-area-2020")


def test_signed_distance_convention():
    out = signed_distance([1200.0, 300.0, 0.0, float("nan")], [True, False, True, False])
    assert out[:3].tolist() == [-1200.0, 300.0, -0.0]
    assert np.isnan(out[3])
    assert signed_distance(-5.0, False).item() == 5.0  # the magnitude is the distance, the sign is the side


def test_signed_distance_to_the_2020_line():
    """Stepanakert is inside the held area (negative), Hadrut and Barda outside (positive)."""
    from geomap.layers.distance import distance_to_line

    lon = np.array([STEPANAKERT[0], HADRUT[0], BARDA[0]])
    lat = np.array([STEPANAKERT[1], HADRUT[1], BARDA[1]])
    res = distance_to_line(lon, lat, "nk-line-2020")
    signed = signed_distance(res.distance_m, inside_area(lon, lat, "nk-area-2020"))
    assert signed[0] < 0 < signed[1] and signed[2] > 0
    assert np.allclose(np.abs(signed), res.distance_m)


# the side rule as strings, as side_of computed it before it was computed as codes (side_rule)
def _side_strings(s, accuracy_m, radius_m):
    w = np.abs(np.asarray(radius_m, dtype=float)) + np.abs(np.nan_to_num(np.asarray(
        0.0 if accuracy_m is None else accuracy_m, dtype=float)))
    out = np.where(s + w < 0, "inside", np.where(s - w > 0, "outside", "uncertain")).astype(object)
    out[np.isnan(s)] = ""
    return out


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.one_of(st.floats(-1e6, 1e6), st.just(float("nan")), st.sampled_from([0.0, -0.0, 5100.0])),
                          st.one_of(st.floats(0, 1e5), st.just(float("nan")), st.just(0.0)),
                          st.one_of(st.floats(0, 1e5), st.just(float("nan")), st.just(5100.0))),
                min_size=1, max_size=30))
def test_side_rule_codes_are_the_side_of_strings(rows):
    from geomap.layers.sides import SIDES, side_interval, side_of, side_rule

    s, acc, radius = (np.array(c, dtype=float) for c in zip(*rows))
    expected = _side_strings(s, acc, radius)
    codes, low, high = side_rule(s, acc, radius)
    assert codes.dtype == np.int32
    assert [("", *SIDES)[c + 1] for c in codes] == expected.tolist()
    assert side_of(s, acc, radius).tolist() == expected.tolist()
    for got, want in zip((low, high), side_interval(s, acc, radius)):
        np.testing.assert_array_equal(got, want)
    # one point: a scalar in, a 0-d array out, as before
    assert side_of(float(s[0]), float(acc[0]), float(radius[0])).shape == ()
    assert side_of(float(s[0]), None).tolist() == _side_strings(np.array(s[0]), None, 0.0).tolist()
