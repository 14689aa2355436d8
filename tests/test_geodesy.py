"""The distance kernel against an independent reference, edge cases and properties."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from geomap.layers.distance import distance_to_line
from geomap.geodesy import SegmentIndex
from geomap.layers.lineset import lines_from_geometries

from .reference import WGS84, destination, point_line_distance, point_segment_distance

TOL_M = 1e-3  # the bound: 1 mm


def line(*coords):
    return lines_from_geometries([{"type": "LineString", "coordinates": [list(c) for c in coords]}])


def geomap_distance(plon, plat, coords):
    r = distance_to_line(lon=[plon], lat=[plat], lines=line(*coords))
    return float(r.distance_m[0]), float(r.nearest_lon[0]), float(r.nearest_lat[0])


def random_cases(seed, n):
    """Segments 1 m - 1000 km long, points 0 m - 1000 km away, latitudes to +-89."""
    rng = np.random.default_rng(seed)
    for _ in range(n):
        lat = float(rng.uniform(-89, 89))
        lon = float(rng.uniform(-180, 180))
        length = float(10 ** rng.uniform(0, 6))
        az = float(rng.uniform(0, 360))
        b = destination(lon, lat, az, length)
        # a point reached from a random place on the segment, in a random direction
        frac = float(rng.uniform(-0.3, 1.3))
        base = destination(lon, lat, az, frac * length)
        off = 0.0 if rng.random() < 0.05 else float(10 ** rng.uniform(0, 6))
        p = destination(*base, float(rng.uniform(0, 360)), off)
        yield (lon, lat), b, p


@pytest.mark.parametrize("case", list(random_cases(20261128, 60)), ids=lambda c: f"{c[0][1]:.0f}N")
def test_matches_independent_reference(case):
    a, b, p = case
    ref, rlon, rlat = point_segment_distance(*p, *a, *b)
    got, glon, glat = geomap_distance(*p, [a, b])
    assert abs(got - ref) <= TOL_M, (got, ref)
    # the nearest points agree too (they can differ only where the distance is flat)
    if ref > 1:
        gap = WGS84.Inverse(rlat, rlon, glat, glon)["s12"]
        assert gap < max(1.0, 1e-3 * ref)


@pytest.mark.parametrize(
    "a, b, p",
    [
        # across the antimeridian, the shortest geodesic between the vertices
        ((179.5, 10.0), (-179.5, 10.5), (180.0, 10.6)),
        ((179.5, 10.0), (-179.5, 10.5), (-179.9, 9.5)),
        ((179.9, -40.0), (-179.8, -40.1), (179.99, -40.3)),
        # high latitudes and over the pole
        ((0.0, 89.5), (180.0, 89.5), (90.0, 89.9)),
        ((10.0, 85.0), (40.0, 86.0), (25.0, 84.0)),
        ((-170.0, -88.0), (10.0, -88.5), (100.0, -89.99)),
        # a 1,000 km segment and a point 1,000 km away
        ((30.0, 40.0), (41.0, 43.0), (37.0, 33.0)),
        # a 1 m segment
        ((46.7, 39.8), (46.700011, 39.8), (46.7000055, 39.80001)),
        # equator, meridian
        ((0.0, 0.0), (1.0, 0.0), (0.5, 0.3)),
        ((5.0, -10.0), (5.0, 10.0), (7.0, 3.0)),
    ],
)
def test_edge_geometries(a, b, p):
    ref = point_segment_distance(*p, *a, *b)[0]
    got = geomap_distance(*p, [a, b])[0]
    assert abs(got - ref) <= TOL_M


def test_points_on_vertices_and_segments_are_zero():
    a, b = (46.5, 39.5), (47.4, 40.1)
    g = WGS84.InverseLine(a[1], a[0], b[1], b[0])
    pts = [a, b] + [(g.Position(s)["lon2"], g.Position(s)["lat2"]) for s in np.linspace(0, g.s13, 7)]
    lon, lat = np.array(pts).T
    r = distance_to_line(lon=lon, lat=lat, lines=line(a, b))
    assert np.all(r.distance_m <= TOL_M)


def test_hadrut_town_to_ne_2020_line(shared_data):
    """The README's figure: Hadrut town (39.5200N 47.0318E) is about 19.5 km from NE's 2020 line."""
    import shapely

    from geomap.layers.lineset import read_lines

    lines = read_lines(shared_data / "nk_ceasefire_line_2020_ne5.geojson")
    r = distance_to_line(lon=[47.0318], lat=[39.52002], lines=lines)
    ref = min(point_line_distance(47.0318, 39.52002, shapely.get_coordinates(g).tolist()) for g in lines.geoms)
    assert abs(r.distance_m[0] - ref) <= TOL_M
    assert 19_400 < r.distance_m[0] < 19_600


def brute_force(index: SegmentIndex, lon, lat):
    """Exact distance to every piece, no pruning."""
    n, m = len(lon), index.n_pieces
    rows = np.repeat(np.arange(n), m)
    pieces = np.tile(np.arange(m), n)
    d, _, _, _ = index.exact(np.asarray(lon)[rows], np.asarray(lat)[rows], pieces, np.zeros(rows.size))
    return d.reshape(n, m).min(axis=1)


def test_pruning_never_misses_the_nearest_segment():
    """Against a wiggly 400-vertex line, pruned and unpruned answers agree for near and far points."""
    rng = np.random.default_rng(7)
    t = np.linspace(0, 1, 400)
    lon = 44 + 4 * t + 0.2 * np.sin(40 * t)
    lat = 39 + 1.5 * np.sin(6 * t) + 0.05 * rng.standard_normal(t.size)
    lines = line(*zip(lon, lat))
    plon = rng.uniform(40, 52, 300)
    plat = rng.uniform(34, 45, 300)
    r = distance_to_line(lon=plon, lat=plat, lines=lines)
    expected = brute_force(lines.index(), plon, plat)
    assert np.max(np.abs(r.distance_m - expected)) <= 1e-6


def test_ring_shaped_line_centre_point():
    """A point at the centre of a circle of vertices: every segment is nearly equidistant."""
    centre = (46.75, 39.8)
    ring = [destination(*centre, az, 20_000) for az in np.linspace(0, 360, 121)]
    lines = line(*ring)
    r = distance_to_line(lon=[centre[0]], lat=[centre[1]], lines=lines)
    assert abs(r.distance_m[0] - brute_force(lines.index(), [centre[0]], [centre[1]])[0]) <= 1e-6


def test_nan_points_give_nan_and_others_are_measured():
    r = distance_to_line(lon=[np.nan, 0.5], lat=[np.nan, 0.2], lines=line((0, 0), (1, 0)))
    assert math.isnan(r.distance_m[0]) and r.segment_index[0] == -1
    assert r.distance_m[1] > 0


def test_swapped_coordinates_are_refused():
    from geomap.errors import CoordinateError

    with pytest.raises(CoordinateError, match="swap"):
        distance_to_line(lon=[39.5], lat=[147.0], lines=line((0, 0), (1, 0)))


def test_segment_index_and_feature_are_reported():
    lines = lines_from_geometries(
        [
            {"type": "LineString", "coordinates": [[0, 0], [1, 0], [2, 0]]},
            {"type": "MultiLineString", "coordinates": [[[0, 2], [1, 2]], [[5, 5], [6, 5], [7, 5]]]},
        ]
    )
    r = distance_to_line(lon=[1.5, 6.5, 0.5], lat=[-0.1, 5.2, 1.9], lines=lines)
    assert list(r.feature_index) == [0, 1, 1]
    assert list(r.part_index) == [0, 1, 0]
    assert list(r.segment_index) == [1, 1, 0]
    # azimuth from the point to its nearest point: north, south, north
    def gap(a, b):
        return min(abs(a - b) % 360, 360 - abs(a - b) % 360)

    assert gap(r.azimuth_deg[0], 0) < 1 and gap(r.azimuth_deg[1], 180) < 1 and gap(r.azimuth_deg[2], 0) < 1
    # the azimuth is that of the geodesic from each point to its nearest point
    from geomap.geodesy import azimuth_deg

    direct = azimuth_deg(r.lon, r.lat, r.nearest_lon, r.nearest_lat)
    assert all(gap(a, b) < 1e-6 for a, b in zip(r.azimuth_deg, direct))


# ------------------------------------------------------------------ properties
lons = st.floats(min_value=40, max_value=50, allow_nan=False)
lats = st.floats(min_value=35, max_value=45, allow_nan=False)
vertex = st.tuples(lons, lats)
polyline = st.lists(vertex, min_size=2, max_size=8, unique=True)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(polyline, vertex)
def test_never_above_any_vertex_distance(coords, p):
    d = geomap_distance(*p, coords)[0]
    vertex_d = min(WGS84.Inverse(p[1], p[0], v[1], v[0])["s12"] for v in coords)
    assert d <= vertex_d + 1e-6


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(polyline, vertex)
def test_reversal_and_splitting_do_not_change_the_distance(coords, p):
    d = geomap_distance(*p, coords)[0]
    assert abs(geomap_distance(*p, coords[::-1])[0] - d) <= 1e-6
    if len(coords) >= 3:
        k = len(coords) // 2
        split = lines_from_geometries(
            [
                {"type": "LineString", "coordinates": [list(c) for c in coords[: k + 1]]},
                {"type": "LineString", "coordinates": [list(c) for c in coords[k:]]},
            ]
        )
        r = distance_to_line(lon=[p[0]], lat=[p[1]], lines=split)
        assert abs(float(r.distance_m[0]) - d) <= 1e-6


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(polyline, st.floats(min_value=0, max_value=1), st.integers(min_value=0, max_value=6))
def test_zero_on_the_line(coords, frac, k):
    k = k % (len(coords) - 1)
    (alon, alat), (blon, blat) = coords[k], coords[k + 1]
    g = WGS84.InverseLine(alat, alon, blat, blon)
    pos = g.Position(frac * g.s13)
    assert geomap_distance(pos["lon2"], pos["lat2"], coords)[0] <= TOL_M


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(polyline, vertex, st.floats(min_value=0, max_value=360), st.floats(min_value=0.01, max_value=5000))
def test_continuous_one_lipschitz(coords, p, az, step):
    """Moving the point by s metres changes its distance by at most s."""
    q = destination(*p, az, step)
    assume(abs(q[1]) < 89)
    d1 = geomap_distance(*p, coords)[0]
    d2 = geomap_distance(*q, coords)[0]
    assert abs(d1 - d2) <= step + 1e-6


def test_pruning_solves_every_pair_its_bound_admits():
    """A long segment whose loose chord bound ranks it first, and a shorter, nearer one.

    P is 1,000 m from the middle of a 3.98 km segment (one piece) and 999.8 m from a 1 m
    segment.  The long piece has the lower chord bound, so it is solved
    first; the nearer short one must still be solved.
    """
    p = (46.0, 40.0)
    mid = destination(*p, 0.0, 1000.0)
    long_seg = [destination(*mid, 270.0, 1990.0), destination(*mid, 90.0, 1990.0)]
    near = destination(*p, 180.0, 999.8)
    short_seg = [destination(*near, 270.0, 0.5), destination(*near, 90.0, 0.5)]
    lines = lines_from_geometries(
        [{"type": "LineString", "coordinates": [list(c) for c in seg]} for seg in (long_seg, short_seg)]
    )
    r = distance_to_line(lon=[p[0]], lat=[p[1]], lines=lines)
    assert abs(r.distance_m[0] - 999.8) <= TOL_M
    assert r.feature_index[0] == 1


def test_pruning_looks_beyond_the_nearest_midpoints():
    """Twenty tiny segments 2 km away crowd the k-d tree's first answers; a 100 km segment is 1 km away."""
    p = (46.0, 40.0)
    mid = destination(*p, 0.0, 1000.0)
    long_seg = [destination(*mid, 270.0, 50_000.0), destination(*mid, 90.0, 50_000.0)]
    geoms = [{"type": "LineString", "coordinates": [list(c) for c in long_seg]}]
    for i in range(20):
        c = destination(*p, 180.0 + i, 2000.0)
        geoms.append({"type": "LineString", "coordinates": [list(c), list(destination(*c, 90.0, 1.0))]})
    r = distance_to_line(lon=[p[0]], lat=[p[1]], lines=lines_from_geometries(geoms))
    assert abs(r.distance_m[0] - 1000.0) <= TOL_M
    assert r.feature_index[0] == 0


def test_chord_bounds_bracket_the_geodesic():
    """chord <= geodesic <= the great-ellipse/Schur upper bound, for pairs up to 4,000 km in any direction."""
    from geomap.geodesy import _geodesic_upper_bound, ecef, geodesic_distance_m

    rng = np.random.default_rng(3)
    n = 20_000
    lon0, lat0 = rng.uniform(-180, 180, n), rng.uniform(-90, 90, n)
    az, dist = rng.uniform(0, 360, n), 10 ** rng.uniform(0, np.log10(4e6), n)
    lon1, lat1 = [], []
    for x, y, a, s in zip(lon0, lat0, az, dist):
        lo, la = destination(x, y, a, s)
        lon1.append(lo)
        lat1.append(la)
    geo = geodesic_distance_m(lon0, lat0, np.array(lon1), np.array(lat1))
    chord = np.linalg.norm(ecef(lon0, lat0) - ecef(np.array(lon1), np.array(lat1)), axis=1)
    assert np.all(chord <= geo + 1e-6)
    assert np.all(geo <= _geodesic_upper_bound(chord))


def test_gap_between_features_is_not_taken_for_line():
    """Regression: two features at the ends of a capsule axis, the point in the gap between them.

    The axis-plus-radius upper bound holds only for a continuous run of
    pieces; across a feature boundary it once pruned every piece.
    """
    lines = lines_from_geometries(
        [
            {"type": "LineString", "coordinates": [[0.0, 0.0], [0.1, 0.0]]},
            {"type": "LineString", "coordinates": [[1.9, 0.0], [2.0, 0.0]]},
        ]
    )
    r = distance_to_line(lon=[1.0], lat=[0.01], lines=lines)
    ref = min(point_segment_distance(1.0, 0.01, 0.0, 0.0, 0.1, 0.0)[0],
              point_segment_distance(1.0, 0.01, 1.9, 0.0, 2.0, 0.0)[0])
    assert abs(r.distance_m[0] - ref) <= TOL_M


def test_cell_candidate_lists_never_miss_the_nearest_segment(monkeypatch):
    """Large queries use per-cell candidate lists; they must agree with the hierarchy and with brute force."""
    from geomap import geodesy

    rng = np.random.default_rng(11)
    t = np.linspace(0, 1, 300)
    lon = 46 + 1.5 * t + 0.05 * np.sin(60 * t)
    lat = 39.5 + 0.8 * np.sin(5 * t) + 0.01 * rng.standard_normal(t.size)
    lines = line(*zip(lon, lat))
    index = lines.index()
    plon = rng.uniform(45.8, 47.7, 40_000)
    plat = rng.uniform(39.2, 40.5, 40_000)
    cells = index._cells(plon, plat, 1e-5)
    assert (cells.lookup(plon, plat) >= 0).mean() > 0.5  # the cell path is really taken
    got = index.nearest(plon, plat)["distance_m"]
    assert np.max(np.abs(got[:1500] - brute_force(index, plon[:1500], plat[:1500]))) <= 1e-6
    monkeypatch.setattr(geodesy, "_CELLS_MIN_POINTS", 10**12)
    assert np.max(np.abs(got - index.nearest(plon, plat)["distance_m"])) <= 1e-6


def test_ties_on_a_shared_vertex_break_the_same_way_for_any_query_size():
    """A point nearest to a corner is reported on the earlier segment, alone or among 5,000 points."""
    lines = line((46.0, 39.0), (46.0, 40.0), (47.0, 40.0))
    rng = np.random.default_rng(5)
    lon = np.concatenate([[45.5, 45.9], rng.uniform(45.5, 47.5, 5000)])
    lat = np.concatenate([[40.5, 40.05], rng.uniform(38.8, 40.6, 5000)])
    many = distance_to_line(lon=lon, lat=lat, lines=lines)
    for i in range(2):
        alone = distance_to_line(lon=[lon[i]], lat=[lat[i]], lines=lines)
        assert alone.segment_index[0] == many.segment_index[i] == 0
        assert abs(alone.distance_m[0] - many.distance_m[i]) <= 1e-6
    corner = (np.abs(many.nearest_lon - 46.0) < 1e-9) & (np.abs(many.nearest_lat - 40.0) < 1e-9)
    assert corner.sum() > 10 and np.all(many.segment_index[corner] == 0)


def test_reusing_the_solve_at_a_shared_vertex_changes_nothing(monkeypatch):
    """A pair starting at the vertex a point's best foot is on reuses that solve: same answers, bit for bit."""
    from geomap.geodesy import SegmentIndex

    rng = np.random.default_rng(23)
    t = np.linspace(0, 1, 400)
    # a zigzag with many corners, so many points are nearest to a vertex
    lines = line(*zip(46 + 1.2 * t, 39.6 + 0.02 * (np.arange(t.size) % 2) + 0.3 * np.sin(7 * t)))
    plon = rng.uniform(45.8, 47.4, 30_000)
    plat = rng.uniform(39.3, 40.2, 30_000)
    calls = []
    original = SegmentIndex._exact_update

    def counting(self, rows, pieces, u, *args, **kw):
        best = args[3]  # (lon, lat, tol_m, best)
        vertex = np.where(u <= 0, self.vid_a[pieces], np.where(u >= 1, self.vid_b[pieces], -1))
        calls.append(int(np.count_nonzero((vertex >= 0) & (vertex == best.vertex[rows]))))
        return original(self, rows, pieces, u, *args, **kw)

    monkeypatch.setattr(SegmentIndex, "_exact_update", counting)
    reused = lines.index().nearest(plon, plat)
    assert sum(calls) > 1000  # the shortcut is really taken
    monkeypatch.setattr(SegmentIndex, "reuse_vertex_solves", False)
    solved = lines.index().nearest(plon, plat)
    for key in ("distance_m", "nearest_lon", "nearest_lat", "azimuth_deg", "piece", "segment_row", "n_exact"):
        np.testing.assert_array_equal(reused[key], solved[key], err_msg=key)


@pytest.mark.parametrize("p, first, then", [
    ((46.102, 40.01), "before", "after"),  # beyond the first segment's end, nearest inside the second
    ((46.098, 39.998), "after", "before"),  # before the second segment's start, nearest inside the first
])
def test_a_pair_leaving_the_shared_vertex_is_solved(p, first, then):
    """The reuse shortcut applies only while the step stays on the vertex; otherwise the pair is solved."""
    from geomap.geodesy import _Best

    index = line((46.0, 40.0), (46.1, 40.0), (46.1, 40.1)).index()
    corner = (index.lon_b == 46.1) & (index.lat_b == 40.0)
    before = int(np.flatnonzero(corner)[0])  # the piece ending at the corner
    after = before + 1  # the piece starting there
    assert index.vid_b[before] == index.vid_a[after]
    piece = {"before": (before, 1.0), "after": (after, 0.0)}
    lon, lat = np.array([p[0]]), np.array([p[1]])
    best = _Best(1)
    k, u = piece[first]
    index._exact_update(np.array([0]), np.array([k]), np.array([u]), lon, lat, 1e-5, best)
    at_corner = best.d[0]
    assert best.vertex[0] == index.vid_b[before]  # the foot is on the corner
    k, u = piece[then]
    index._exact_update(np.array([0]), np.array([k]), np.array([u]), lon, lat, 1e-5, best)
    assert best.piece[0] == k and best.d[0] < at_corner - 50.0
    assert abs(best.d[0] - brute_force(index, lon, lat)[0]) <= 1e-6
