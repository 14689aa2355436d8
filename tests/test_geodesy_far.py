"""Far, global and antipodal points, and the gradient lower bound that prunes for them.

The bounds are checked from both sides: never above the true distance (a
bound tightened past validity fails) and within a stated slack of it (a
loosened bound fails).  "True" distances come from the exact interception,
itself checked against the independent reference in ``tests/reference.py``.
"""

from __future__ import annotations

import numpy as np
import pytest

from geomap.geodesy import GEOD, Segments, SegmentIndex, _gradient_lower_bound
from geomap.layers.lineset import lines_from_geometries

from .reference import destination, point_line_distance

TOL_M = 1e-3


def antipode(lon, lat):
    """The point diametrically opposite (lon, lat): longitude + 180 degrees (wrapped), latitude negated."""
    return (lon + 360.0) % 360.0 - 180.0, -lat


def random_walk(rng, n, step_lon, step_lat, lon0=44.0, lat0=39.5):
    """A seeded random-walk line of ``n`` vertices: eastward steps uniform in [0, step_lon), northward N(0, step_lat).

    Draws from ``rng`` in that order, so a test's later draws are unchanged.
    """
    lon = lon0 + np.cumsum(rng.uniform(0.0, step_lon, n))
    lat = lat0 + np.cumsum(rng.normal(0.0, step_lat, n))
    return lon, lat


def piece_minimum(index, lon, lat, pieces):
    """True distance from each point to its piece: the exact solve from three starts and a dense scan."""
    best = np.full(pieces.size, np.inf)
    for frac in (0.0, 0.5, 1.0):
        d, _, _, _ = index.exact(lon, lat, pieces, frac * index.length_m[pieces])
        best = np.minimum(best, d)
    for frac in np.linspace(0, 1, 41):
        x, y, _ = GEOD.fwd(index.lon_a[pieces], index.lat_a[pieces], index.az_a[pieces], frac * index.length_m[pieces])
        best = np.minimum(best, GEOD.inv(x, y, lon, lat)[2])
    return best


def piece_bounds(index, lon, lat, pieces):
    """The gradient lower bound of each (point, piece) pair, exactly as the descent computes it."""
    upper = np.full(pieces.size, np.inf)
    lb = index._gradient_lb(pieces, np.zeros((pieces.size, 3)), lon, lat, np.arange(pieces.size), upper)
    return lb, upper


def oblique_cases(seed, n, dist_lo, dist_hi, length_m):
    """Pieces of ``length_m`` and points ``dist_lo..dist_hi`` m away, 45-90 degrees off the piece at its middle.

    Nearly square to the piece, so the distance along it is curved (convex
    short of pi*b/2, concave beyond): the curvature terms of the bound matter.
    """
    rng = np.random.default_rng(seed)
    lon0, lat0 = rng.uniform(-180, 180, n), rng.uniform(-70, 70, n)
    az = rng.uniform(0, 360, n)
    segs, plon, plat = [], [], []
    for x, y, a in zip(lon0, lat0, az):
        a_end = destination(x, y, a + 180.0, length_m / 2)
        b_end = destination(x, y, a, length_m / 2)
        p = destination(x, y, a + rng.choice([1.0, -1.0]) * rng.uniform(45.0, 90.0), rng.uniform(dist_lo, dist_hi))
        segs.append((a_end, b_end))
        plon.append(p[0])
        plat.append(p[1])
    parts = [np.array(s) for s in segs]
    seg = Segments.from_parts(parts, range(n), [0] * n)
    index = SegmentIndex(seg, piece_m=length_m * 1.01)
    assert index.n_pieces == n
    return index, np.array(plon), np.array(plat)


@pytest.mark.parametrize("dist_lo, dist_hi, slack_m", [
    (2e6, 9e6, 10.0),  # convex along the piece: first order, tight to metres
    (1.1e7, 1.7e7, 4.0),  # beyond pi*b/2 the distance is concave along the piece: the K term is needed
    (1.7e7, 1.99e7, 200.0),  # near the antipode K is large (and the bound is dropped past 0.999 pi*b)
])
def test_gradient_bound_is_valid_and_tight_for_oblique_pieces(dist_lo, dist_hi, slack_m):
    """5 km pieces nearly square to the direction of a far point: the worst case for the curvature terms."""
    index, lon, lat = oblique_cases(int(dist_lo) % 1000, 400, dist_lo, dist_hi, 5_000.0)
    pieces = np.arange(index.n_pieces)
    lb, _ = piece_bounds(index, lon, lat, pieces)
    true = piece_minimum(index, lon, lat, pieces)
    usable = np.isfinite(lb)
    assert usable.mean() > 0.9
    assert np.all(lb[usable] <= true[usable] + 1e-6), np.max(lb - true)
    assert np.max(true[usable] - lb[usable]) <= slack_m, np.max(true[usable] - lb[usable])


def test_gradient_bound_on_random_pieces_and_points():
    """Random pieces of 10 m - 200 km (cut from longer segments) and points 0 - 19,900 km away."""
    rng = np.random.default_rng(31)
    n = 600
    lon0, lat0 = rng.uniform(-180, 180, n), np.degrees(np.arcsin(rng.uniform(-0.99, 0.99, n)))
    length = 10 ** rng.uniform(1, 5.3, n)
    ends = [destination(x, y, a, s) for x, y, a, s in zip(lon0, lat0, rng.uniform(0, 360, n), length)]
    parts = [np.array([[x, y], list(e)]) for x, y, e in zip(lon0, lat0, ends)]
    index = SegmentIndex(Segments.from_parts(parts, range(n), [0] * n), piece_m=250_000.0)
    pieces = np.arange(index.n_pieces)
    far = [destination(x, y, a, s) for x, y, a, s in zip(
        index.lon_a, index.lat_a, rng.uniform(0, 360, pieces.size), rng.uniform(0, 1.99e7, pieces.size))]
    lon, lat = np.array(far).T
    lb, upper = piece_bounds(index, lon, lat, pieces)
    true = piece_minimum(index, lon, lat, pieces)
    assert np.all(lb <= true + 1e-6), np.max(lb - true)
    assert np.all(true <= upper + 1e-6)


def wiggly_line(seed, n=600):
    rng = np.random.default_rng(seed)
    t = np.linspace(0, 1, n)
    lon = 44 + 6 * t + 0.4 * np.sin(50 * t) + 0.02 * rng.standard_normal(n)
    lat = 39 + 2.0 * np.sin(7 * t) + 0.3 * np.cos(31 * t)
    return lines_from_geometries([{"type": "LineString", "coordinates": np.c_[lon, lat].tolist()}])


def test_node_bounds_hold_every_piece_below_the_node():
    """Every node of a wiggly line's hierarchy, against global and antipodal points: node bound <= min over its pieces."""
    index = wiggly_line(3).index()
    rng = np.random.default_rng(4)
    plon = np.concatenate([rng.uniform(-180, 180, 25), [antipode(47.0, 40.0)[0], antipode(44.5, 39.2)[0]]])
    plat = np.concatenate([np.degrees(np.arcsin(rng.uniform(-1, 1, 25))), [-40.0, -39.2]])
    m = index.n_pieces
    rows = np.repeat(np.arange(plon.size), m)
    pieces = np.tile(np.arange(m), plon.size)
    per_piece = piece_minimum(index, plon[rows], plat[rows], pieces).reshape(plon.size, m)
    nodes = np.arange(index.node_start.size)
    pr, nd = np.repeat(np.arange(plon.size), nodes.size), np.tile(nodes, plon.size)
    ref = index.node_ref[nd]
    az, _, s = GEOD.inv(index.lon_a[ref], index.lat_a[ref], plon[pr], plat[pr])
    lb = _gradient_lower_bound(np.asarray(s), np.asarray(az), index.node_xyz[nd], index.node_east[nd],
                               index.node_north[nd], index.cap_a[nd], index.cap_b[nd], index.cap_r[nd],
                               index.node_reach[nd])
    true = np.array([per_piece[p, index.node_start[k]:index.node_stop[k]].min() for p, k in zip(pr, nd)])
    usable = np.isfinite(lb)
    assert usable.mean() > 0.5
    assert np.all(lb[usable] <= true[usable] + 1e-6), np.max(lb - true)
    leaves = usable & (index.node_left[nd] < 0)
    # leaves (8 pieces, ~40 km) are bounded within a few km at any range (the capsule radius dominates)
    assert np.median(true[leaves] - lb[leaves]) <= 2_000.0


def test_far_global_and_antipodal_points_match_the_reference():
    """Points 5,000 - 19,900 km from a short line, and antipodes of vertices and of a segment's middle."""
    coords = [(46.5, 39.4), (46.9, 39.7), (47.3, 39.65), (47.6, 40.1)]
    lines = lines_from_geometries([{"type": "LineString", "coordinates": [list(c) for c in coords]}])
    rng = np.random.default_rng(17)
    pts = [destination(46.9, 39.7, float(rng.uniform(0, 360)), float(rng.uniform(5e6, 1.99e7))) for _ in range(14)]
    pts += [antipode(*coords[0]), antipode(*coords[1]), antipode(47.1, 39.68), antipode(47.6, 40.1)]
    pts += [(antipode(47.1, 39.68)[0] + 0.3, antipode(47.1, 39.68)[1] - 0.2)]
    lon, lat = np.array(pts).T
    got = lines.index().nearest(lon, lat)["distance_m"]
    for i, (x, y) in enumerate(pts):
        ref = point_line_distance(x, y, coords)
        assert abs(got[i] - ref) <= TOL_M, (i, x, y, got[i], ref)


def test_global_points_pruned_equal_brute_force():
    """Uniform points over the globe (the cell path and the descent) against every piece solved exactly."""
    from .test_geodesy import brute_force

    index = wiggly_line(9, 300).index()
    rng = np.random.default_rng(12)
    n = 3_000
    lon = np.concatenate([rng.uniform(-180, 180, n), rng.uniform(43, 51, n)])
    lat = np.concatenate([np.degrees(np.arcsin(rng.uniform(-1, 1, n))), rng.uniform(36, 42, n)])
    got = index.nearest(lon, lat)
    pick = np.concatenate([np.arange(0, n, 10), np.arange(n, 2 * n, 30)])
    expected = brute_force(index, lon[pick], lat[pick])
    assert np.max(np.abs(got["distance_m"][pick] - expected)) <= 1e-6
    # far points need few exact solves: the bound is tight
    assert got["n_exact"][:n].mean() < 4


def test_gradient_bound_is_not_used_near_the_antipode():
    """Within 0.1 % of pi*b the Hessian comparison ends: the bound must give way (-inf), never a wrong value."""
    index, lon, lat = oblique_cases(5, 300, 1.993e7, 2.0e7, 5_000.0)
    pieces = np.arange(index.n_pieces)
    lb, _ = piece_bounds(index, lon, lat, pieces)
    true = piece_minimum(index, lon, lat, pieces)
    assert np.all(lb <= true + 1e-6), np.max(lb - true)
    assert np.isinf(lb).mean() > 0.5


def _arc_samples(index, per_piece=9):
    """Points along every piece's geodesic arc (ends included): (piece, lon, lat, xyz)."""
    from geomap.geodesy import ecef

    pieces = np.repeat(np.arange(index.n_pieces), per_piece)
    frac = np.tile(np.linspace(0.0, 1.0, per_piece), index.n_pieces)
    lon, lat, _ = GEOD.fwd(index.lon_a[pieces], index.lat_a[pieces], index.az_a[pieces], frac * index.length_m[pieces])
    return pieces, np.asarray(lon), np.asarray(lat), ecef(lon, lat)


@pytest.mark.parametrize("exact_size", [1024, 16])
def test_large_line_capsules_and_reaches_hold_every_arc_point(exact_size):
    """Every arc point below a node lies inside its capsule and within its reach of its reference vertex.

    ``exact_size=16`` makes most nodes take their radius and reach from the
    base nodes below them (what a line of over 1,024 pieces does); 1024 takes
    every node's from its pieces.  Dropping the base radius from the larger
    nodes' radius, or the base reach from their reach, fails this test.
    """
    from geomap.geodesy import _point_segment_distance

    index = wiggly_line(5, n=900).index()
    index._build_capsules(exact_size=exact_size)
    assert (index.node_stop - index.node_start > exact_size).sum() >= (3 if exact_size == 16 else 0)
    pieces, lon, lat, xyz = _arc_samples(index)
    for node in range(index.node_start.size):
        sel = (pieces >= index.node_start[node]) & (pieces < index.node_stop[node])
        axis = _point_segment_distance(xyz[sel], index.cap_a[node], index.cap_b[node])
        assert np.all(axis <= index.cap_r[node]), (node, float(np.max(axis - index.cap_r[node])))
        ref = index.node_ref[node]
        s = np.asarray(GEOD.inv(np.full(sel.sum(), index.lon_a[ref]), np.full(sel.sum(), index.lat_a[ref]),
                                lon[sel], lat[sel])[2])
        assert np.all(s <= index.node_reach[node]), (node, float(np.max(s - index.node_reach[node])))


def test_large_line_capsules_stay_within_a_base_radius_of_the_exact_ones():
    """Bounding larger nodes through their base nodes loosens a radius by at most the largest base radius below it."""
    index = wiggly_line(6, n=900).index()
    exact_r, exact_reach = index.cap_r.copy(), index.node_reach.copy()
    index._build_capsules(exact_size=16)
    size = index.node_stop - index.node_start
    big = np.flatnonzero(size > 16)
    assert big.size >= 3
    base_r = index.cap_r[size <= 16].max()
    base_reach = index.node_reach[size <= 16].max()
    assert np.all(index.cap_r >= exact_r - 1e-9)
    assert np.all(index.cap_r[big] <= exact_r[big] + base_r)
    assert np.all(index.node_reach[big] <= exact_reach[big] + 2 * base_reach)


def test_a_large_line_gives_the_same_distances_as_brute_force():
    """A 20,000-vertex wiggly line (base nodes at the top of its hierarchy): near, far and global points."""
    rng = np.random.default_rng(20)
    n = 20_000
    lon, lat = random_walk(rng, n, 2e-4, 1e-4)
    lines = lines_from_geometries([{"type": "LineString", "coordinates": np.c_[lon, lat].tolist()}])
    index = lines.index()
    assert index.n_pieces > 1024
    plon = np.concatenate([44.0 + rng.uniform(-1, 6, 60), rng.uniform(-180, 180, 20)])
    plat = np.concatenate([39.5 + rng.uniform(-2, 2, 60), np.degrees(np.arcsin(rng.uniform(-1, 1, 20)))])
    got = index.nearest(plon, plat)["distance_m"]
    expected = _brute_force_exact(index, plon, plat)
    assert np.max(np.abs(got - expected)) <= TOL_M, np.max(np.abs(got - expected))


def test_dense_line_cells_too_busy_to_list_fall_back_to_the_descent(monkeypatch):
    """A dense line (20 m segments): most cells' candidate lists would be hundreds long.

    They are given up while walking (not built), their points take the
    descent, and every distance matches the descent alone and brute force.
    """
    from geomap import geodesy

    rng = np.random.default_rng(21)
    n = 6_000
    lon, lat = random_walk(rng, n, 4e-4, 1e-4)
    lines = lines_from_geometries([{"type": "LineString", "coordinates": np.c_[lon, lat].tolist()}])
    index = lines.index()
    k = rng.integers(0, n, 3_000)
    plon, plat, _ = GEOD.fwd(lon[k], lat[k], rng.uniform(0, 360, k.size), rng.uniform(0, 20_000, k.size))
    plon, plat = np.asarray(plon), np.asarray(plat)
    walked = []
    real_walk = SegmentIndex._walk

    def spy(self, pts, prune, max_nodes=None):
        rows, pieces = real_walk(self, pts, prune, max_nodes)
        walked.append((pts.shape[0], np.unique(rows).size, max_nodes))
        return rows, pieces

    monkeypatch.setattr(SegmentIndex, "_walk", spy)
    got = index.nearest(plon, plat)["distance_m"]
    cells_walked = sum(w[0] for w in walked if w[2] is not None)
    cells_listed = sum(w[1] for w in walked if w[2] is not None)
    assert cells_walked > 0 and cells_listed < 0.5 * cells_walked  # most cells were too busy to list
    monkeypatch.setattr(geodesy, "_CELLS_MIN_POINTS", 10**9)
    alone = index.nearest(plon, plat)["distance_m"]
    assert np.max(np.abs(got - alone)) <= TOL_M
    pick = rng.choice(k.size, 25, replace=False)
    assert np.max(np.abs(got[pick] - _brute_force_exact(index, plon[pick], plat[pick]))) <= TOL_M


def test_maybe_within_never_rules_out_a_point_that_is_within():
    """The cell filter: a point within the threshold of the line is never ruled out (points 0-600 km away)."""
    from geomap.geodesy import ecef

    index = wiggly_line(8).index()
    rng = np.random.default_rng(9)
    k = rng.integers(0, index.n_pieces, 3_000)
    plon, plat, _ = GEOD.fwd(index.lon_a[k], index.lat_a[k], rng.uniform(0, 360, k.size),
                             rng.uniform(0, 600_000, k.size))
    plon, plat = np.asarray(plon), np.asarray(plat)
    true = index.nearest(plon, plat)["distance_m"]
    for threshold in (50_000.0, 200_000.0):
        maybe = index._maybe_within(ecef(plon, plat), threshold)
        assert maybe[true <= threshold].all()
        assert not maybe[true > threshold + 150_000.0].any()  # and it does rule out what is far


def test_points_a_quarter_circle_square_to_a_line_converge_to_the_reference():
    """Points 9,950 - 10,060 km away, square to a straight line (their nearest point inside a piece).

    There the interception step's spherical model (local Gaussian radius) has
    a curvature several times off or of the wrong sign: the plain iteration
    bounced between a piece's ends and raised "did not converge" (for the
    equator and a point near the pole, and for about a quarter of such points
    off any straight line).  Each must converge to the reference distance.
    """
    cases = [([(-1.0, 0.0), (1.0, 0.0)], (0.3, 89.9)), ([(-1.0, 0.0), (1.0, 0.0)], (0.0, 89.85)),
             ([(-1.0, 0.0), (1.0, 0.0)], (0.001, 89.8))]
    rng = np.random.default_rng(41)
    for _ in range(9):
        x, y, a = rng.uniform(-180, 180), rng.uniform(-75, 75), rng.uniform(0, 360)
        ends = [destination(x, y, a + 180.0, 40e3), destination(x, y, a, 40e3)]
        foot = destination(x, y, a, rng.uniform(-20e3, 20e3))
        heading = GEOD.inv(*ends[0], *foot)[1] + 180.0  # the line's direction at the foot
        cases.append((ends, destination(*foot, heading + rng.choice([90.0, -90.0]), rng.uniform(9.95e6, 1.006e7))))
    for coords, (plon, plat) in cases:
        lines = lines_from_geometries([{"type": "LineString", "coordinates": [list(c) for c in coords]}])
        got = lines.index().nearest([plon], [plat])["distance_m"][0]
        ref = point_line_distance(plon, plat, coords)
        assert abs(got - ref) <= TOL_M, (coords, plon, plat, got, ref)


def _brute_force_exact(index, plon, plat):
    """Each point's distance to every piece, solved exactly from both ends and the middle: the smallest."""
    m = index.n_pieces
    out = np.empty(plon.size)
    for i in range(plon.size):
        d = np.full(m, np.inf)
        for frac in (0.0, 0.5, 1.0):
            d = np.minimum(d, index.exact(np.full(m, plon[i]), np.full(m, plat[i]), np.arange(m),
                                          frac * index.length_m)[0])
        out[i] = d.min()
    return out


@pytest.mark.parametrize("shape", ["star", "random walk"])
def test_a_cell_given_up_at_the_deepest_level_keeps_no_partial_list(shape, monkeypatch):
    """Leaves sit at two depths when runs of 8 and 9 pieces meet (1,136 pieces: 16 leaves of 8 at depth 7,
    112 runs of 9 split at depth 8).  A busy cell kept <= 128 nodes at depth 7 and > 128 at depth 8: it
    was given up there, but kept the depth-7 leaves, and that short, incomplete list was used
    (errors of 26 m on the star, 104 m on the random walk).  Every distance must match the
    descent alone and brute force.
    """
    from geomap import geodesy

    rng = np.random.default_rng(43)
    if shape == "star":
        # 1,136 one-piece spokes 2 km long through one point, in order of direction
        x0, y0 = 30.0005, 45.0005
        geoms = [{"type": "LineString", "coordinates": [list(destination(x0, y0, a, 1_000.0)),
                                                        list(destination(x0, y0, a + 180.0, 1_000.0))]}
                 for a in np.linspace(0.0, 180.0, 1_136, endpoint=False)]
        plon, plat, _ = GEOD.fwd(np.full(2_500, x0), np.full(2_500, y0), rng.uniform(0, 360, 2_500),
                                 rng.uniform(0, 300, 2_500))
    else:
        # a 4,500-vertex random walk of ~10 m steps (4,499 pieces: 8 and 9 a run at depth 9)
        walk = np.random.default_rng(2)
        lon = 44.0 + np.cumsum(walk.uniform(-2.5e-5, 1e-4, 4_500))
        lat = 39.5 + np.cumsum(walk.normal(0.0, 1e-4, 4_500))
        geoms = [{"type": "LineString", "coordinates": np.c_[lon, lat].tolist()}]
        k = walk.integers(0, lon.size, 3_000)
        plon, plat, _ = GEOD.fwd(lon[k], lat[k], walk.uniform(0, 360, k.size), walk.uniform(0, 2_000, k.size))
    plon, plat = np.asarray(plon), np.asarray(plat)
    index = lines_from_geometries(geoms).index()
    size = index.node_stop - index.node_start
    assert (size[index.node_left < 0] == 8).any() and (size == 9).any()  # leaves at two depths
    given_up = []
    real_walk = SegmentIndex._walk

    def spy(self, pts, prune, max_nodes=None):
        rows, pieces = real_walk(self, pts, prune, max_nodes)
        given_up.append(pts.shape[0] - np.unique(rows).size if max_nodes is not None else 0)
        return rows, pieces

    monkeypatch.setattr(SegmentIndex, "_walk", spy)
    got = index.nearest(plon, plat)["distance_m"]  # >= 2,000 points: cell lists
    monkeypatch.setattr(geodesy, "_CELLS_MIN_POINTS", 10**9)
    alone = index.nearest(plon, plat)["distance_m"]
    pick = np.concatenate([[np.argmax(np.abs(got - alone))], rng.choice(plon.size, 6, replace=False)])
    expected = _brute_force_exact(index, plon[pick], plat[pick])
    assert np.max(np.abs(got[pick] - expected)) <= TOL_M, np.max(np.abs(got[pick] - expected))
    assert np.max(np.abs(got - alone)) <= TOL_M, np.max(np.abs(got - alone))
    assert sum(given_up) > 0  # busy cells were given up (the case this test is about)


def test_the_interception_safeguard_raises_no_raw_warning():
    """Points on a line's segments (between vertices: the first step may leave a piece whose bracket is
    still open on one side) and points a quarter circle off are measured without any numpy
    RuntimeWarning reaching the caller (a notebook would show it raw)."""
    import warnings

    from geomap.layers.lineset import read_lines

    lines = read_lines("nk-line-2020")  # its segment midpoints made numpy warn before the fix
    seg = lines.segments()
    lon = np.concatenate([0.5 * (seg.lon0 + seg.lon1), [0.3, -0.4]])
    lat = np.concatenate([0.5 * (seg.lat0 + seg.lat1), [89.9, 89.7]])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        got = lines.index().nearest(lon, lat)["distance_m"]
    assert np.all(np.isfinite(got))
    assert np.all(got[:-2] < 5.0)  # lon/lat midpoints lie within metres of the geodesic segments


def test_points_near_a_dense_lines_antipode_keep_memory_linear_in_the_line(monkeypatch):
    """Near the antipode of a line no lower bound but the chord bound holds (frames and gradients give way
    at 0.999 pi b), so nearly every piece survives for every point.  The descent held all (point, piece)
    pairs of a block of 8,192 points at once: about 370 bytes a pair, 37 MB a point on a 100,000-piece
    line, so a few hundred incidents in Fiji or Tahiti against a dense Sahel or Sudan line ran the machine
    out of memory.  A block whose pairs pass the budget is halved (a single point keeps its pairs: memory
    linear in the line) and exact solves go in runs of at most the budget; distances are unchanged."""
    from geomap import geodesy as G

    from .test_geodesy import brute_force

    rng = np.random.default_rng(31)
    n = 6_000
    lon, lat = random_walk(rng, n, 1e-3, 5e-4, lon0=30.0, lat0=15.0)
    index = SegmentIndex(Segments.from_parts([np.column_stack([lon, lat])], [0], [0]))
    k = rng.integers(0, n, 24)
    alon, alat = antipode(lon[k], lat[k])
    plon, plat, _ = GEOD.fwd(alon, alat, rng.uniform(0, 360, k.size), rng.uniform(0, 3e4, k.size))
    plon, plat = np.asarray(plon), np.asarray(plat)
    budget = 4 * index.n_pieces
    monkeypatch.setattr(G, "_DESCENT_PAIRS", budget, raising=False)
    sizes = []
    real_exact, real_leaves = SegmentIndex.exact, SegmentIndex._leaf_pieces

    def exact(self, plon_, *a, **kw):
        sizes.append(np.size(plon_))
        return real_exact(self, plon_, *a, **kw)

    def leaves(self, rows, nodes):
        out = real_leaves(self, rows, nodes)
        sizes.append(out[0].size)
        return out

    monkeypatch.setattr(SegmentIndex, "exact", exact)
    monkeypatch.setattr(SegmentIndex, "_leaf_pieces", leaves)
    got = index.nearest(plon, plat)
    monkeypatch.setattr(SegmentIndex, "exact", real_exact)
    monkeypatch.setattr(SegmentIndex, "_leaf_pieces", real_leaves)
    assert got["n_exact"].mean() > 0.2 * index.n_pieces  # the regime: thousands of pieces solved per point
    assert max(sizes) <= budget, (max(sizes), budget)
    pick = np.arange(0, k.size, 6)
    assert np.max(np.abs(got["distance_m"][pick] - brute_force(index, plon[pick], plat[pick]))) <= 1e-6
