"""The hinge (comparison-triangle) bounds that prune far and global points with one solve per frame.

Each bound is checked from both sides, as the gradient bound is in
``test_geodesy_far.py``: never past the true distance (and the same samples
*do* catch a model radius tightened by 1e-4, so the check has teeth), and
within a stated slack of it (a loosened bound fails).  True distances are
GeographicLib's inverse solves, or the exact interception checked against the
independent reference in ``tests/reference.py``.
"""

from __future__ import annotations

import numpy as np
import pytest

from geomap import geodesy as G
from geomap.geodesy import GEOD, Segments, SegmentIndex
from geomap.layers.lineset import lines_from_geometries

from .reference import point_line_distance
from .test_geodesy_far import antipode, piece_minimum, random_walk, wiggly_line

PI_B = np.pi * G.WGS84_B


def hinges(seed, n, lat_lo, lat_hi, ell_max, s_max):
    """Random hinges at C: a line point X (``ell`` <= ell_max) and a point P, with s(C,P) + ell < 0.999 pi b."""
    rng = np.random.default_rng(seed)
    clon, clat = rng.uniform(-180, 180, n), rng.uniform(lat_lo, lat_hi, n)
    ell = rng.uniform(0, ell_max, n)
    s = np.minimum(rng.uniform(0, s_max, n), 0.999 * PI_B - ell - 1.0)
    xlon, xlat, _ = GEOD.fwd(clon, clat, rng.uniform(0, 360, n), ell)
    plon, plat, _ = GEOD.fwd(clon, clat, rng.uniform(0, 360, n), s)
    az_x, _, ell = GEOD.inv(clon, clat, xlon, xlat)
    az_p, _, s = GEOD.inv(clon, clat, plon, plat)
    true = GEOD.inv(xlon, xlat, plon, plat)[2]
    return [np.asarray(v, dtype=float) for v in (ell, az_x, s, az_p, true)]


def model_chord(ell, az_x, s, az_p, radius):
    return np.linalg.norm(G._hinge_image(ell, az_x, radius) - G._hinge_image(s, az_p, radius), axis=1)


REGIONS = {
    # WGS84's curvature is largest (1/b**2) at the equator: the lower bound's worst case
    "equator": (-3.0, 3.0, 1.5e6, 1.99e7),
    # and smallest (b**2/a**4) at the poles: the upper bound's worst case
    "poles": (80.0, 90.0, 1.5e6, 1.99e7),
    "globe": (-90.0, 90.0, 1.5e6, 1.99e7),
    "thin": (-90.0, 90.0, 2e5, 5e6),
}


@pytest.mark.parametrize("region", sorted(REGIONS))
def test_hinge_bounds_hold_at_any_range_and_are_sharp(region):
    ell, az_x, s, az_p, true = hinges(sorted(REGIONS).index(region), 100_000, *REGIONS[region])
    lower = G._hinge_lower_bound(model_chord(ell, az_x, s, az_p, G._R_HINGE_LOWER))
    upper = G._hinge_upper_bound(model_chord(ell, az_x, s, az_p, G._R_HINGE_UPPER))
    assert np.all(lower <= true), np.max(lower - true)
    assert np.all(true <= upper), np.max(true - upper)
    # the samples catch a model sphere 1e-4 too large (lower) or too small (upper)
    tight_lower = 2 * G._R_HINGE_LOWER * 1.0001 * np.arcsin(
        model_chord(ell, az_x, s, az_p, G._R_HINGE_LOWER * 1.0001) / (2 * G._R_HINGE_LOWER * 1.0001))
    tight_upper = 2 * G._R_HINGE_UPPER / 1.0001 * np.arcsin(np.minimum(
        model_chord(ell, az_x, s, az_p, G._R_HINGE_UPPER / 1.0001) / (2 * G._R_HINGE_UPPER / 1.0001), 1.0))
    if region in ("equator", "globe", "thin"):
        assert np.any(tight_lower > true + 1e-3)
    if region in ("poles", "globe", "thin"):
        assert np.any(tight_upper < true - 1e-3)


def test_hinge_bounds_are_tight_for_thin_triangles():
    """Line points within 200 km of C, points up to 5,000 km: within 20 m.

    (A chord bound loses about 130 km at 5,000 km.)
    """
    ell, az_x, s, az_p, true = hinges(41, 100_000, -90.0, 90.0, 2e5, 5e6)
    lower = G._hinge_lower_bound(model_chord(ell, az_x, s, az_p, G._R_HINGE_LOWER))
    upper = G._hinge_upper_bound(model_chord(ell, az_x, s, az_p, G._R_HINGE_UPPER))
    assert np.max(true - lower) <= 20.0, np.max(true - lower)
    assert np.max(upper - true) <= 20.0, np.max(upper - true)
    assert np.median(true - lower) <= 0.5


def frame_images(index, lon, lat, pieces):
    """Images on the radius-b sphere of arc points of ``pieces``, solved directly from their frame's vertex."""
    fr = index._frames()
    c = index.node_ref[fr.piece_frame[pieces]]
    az, _, ell = GEOD.inv(index.lon_a[c], index.lat_a[c], lon, lat)
    return G._hinge_image(np.asarray(ell), np.asarray(az), G._R_HINGE_LOWER)


@pytest.mark.parametrize("exact_pieces", [1024, 16])
def test_frame_capsules_hold_every_arc_image(exact_pieces, monkeypatch):
    """Every arc point's image lies in its piece's image capsule and in every node capsule above it, within frames.

    ``exact_pieces=16`` makes most nodes take their radius from the base nodes
    below them (what frames of over 1,024 pieces do); dropping the base radius
    from it fails this test.
    """
    monkeypatch.setattr(G, "_FRAME_EXACT_PIECES", exact_pieces)
    index = wiggly_line(5, 900).index()
    fr = index._frames()
    fr.ensure(np.flatnonzero(index.node_is_frame))
    per = 11
    pieces = np.repeat(np.arange(index.n_pieces), per)
    frac = np.tile(np.linspace(0, 1, per), index.n_pieces)
    lon, lat, _ = GEOD.fwd(index.lon_a[pieces], index.lat_a[pieces], index.az_a[pieces], frac * index.length_m[pieces])
    img = frame_images(index, np.asarray(lon), np.asarray(lat), pieces)
    d = G._point_segment_distance(img, fr.img_a[pieces], fr.img_b[pieces])
    assert np.all(d <= fr.img_h[pieces]), np.max(d - fr.img_h[pieces])
    nodes = np.flatnonzero(fr.frame_of >= 0)
    for k in nodes:
        sel = (pieces >= index.node_start[k]) & (pieces < index.node_stop[k])
        a = np.array([v[k] for v in fr.columns[0:3]])
        b = a + np.array([v[k] for v in fr.columns[3:6]])
        dist = G._point_segment_distance(img[sel], a, b)
        assert np.all(dist <= fr.radius[k]), (k, np.max(dist - fr.radius[k]))


def test_hinge_descent_bounds_every_piece_from_below_and_the_line_from_above():
    """For far, global and antipodal points: each kept piece's bound <= its true minimum; no nearest piece dropped."""
    index = wiggly_line(3).index()
    rng = np.random.default_rng(8)
    plon = np.concatenate([rng.uniform(-180, 180, 30), [antipode(47.0, 40.0)[0], antipode(44.5, 39.2)[0]]])
    plat = np.concatenate([np.degrees(np.arcsin(rng.uniform(-1, 1, 30))), [-40.0, -39.2]])
    fr = index._frames()
    root_frame = fr.frame_of[0]
    assert root_frame == 0  # a 600 km line is one frame
    c = index.node_ref[0]
    az, _, s = GEOD.inv(np.full(plon.size, index.lon_a[c]), np.full(plon.size, index.lat_a[c]), plon, plat)
    s, az = np.asarray(s), np.asarray(az)
    ok = s + index.node_reach[0] < G._GRADIENT_MAX_M
    assert ok.sum() >= 30
    pts = np.flatnonzero(ok)
    upper = np.full(plon.size, np.inf)
    got_pts, got_pieces, lb, _ = index._hinge_descend(pts, np.zeros(pts.size, dtype=np.int64), s[pts], az[pts], upper)
    true = piece_minimum(index, plon[got_pts], plat[got_pts], got_pieces)
    assert np.all(lb <= true), np.max(lb - true)
    brute = {}
    for p in pts:
        every = np.arange(index.n_pieces)
        per_piece = piece_minimum(index, np.full(every.size, plon[p]), np.full(every.size, plat[p]), every)
        brute[p] = per_piece.min()
        kept = got_pieces[got_pts == p]
        assert kept.size and per_piece[kept].min() == brute[p]  # the nearest piece survives
        assert upper[p] >= brute[p]  # the Toponogov bound never undercuts the line
    # tight: within metres of each kept piece's true minimum (chord bounds lose km at these ranges)
    usable = s[got_pts] < 1.5e7
    assert np.max(true[usable] - lb[usable]) <= 50.0, np.max(true[usable] - lb[usable])
    assert got_pieces.size <= 30 * pts.size, got_pieces.size / pts.size


def test_long_line_far_and_antipodal_points_use_frames_below_the_root_and_match_the_reference():
    """A 9,000 km line: several frames; global and antipodal points (where the hinge bound gives way) are exact."""
    coords = [(-10.0 + 2.0 * k, 10.0 + 25.0 * np.sin(k / 6.0)) for k in range(46)]
    lines = lines_from_geometries([{"type": "LineString", "coordinates": [list(c) for c in coords]}])
    index = lines.index()
    fr = index._frames()
    assert fr.frame_of[0] == -1 and np.unique(fr.frame_of[fr.frame_of >= 0]).size >= 4
    assert not fr.built.any()  # frames are built when a point first enters them
    rng = np.random.default_rng(21)
    lon = np.concatenate([rng.uniform(-180, 180, 40), [antipode(*coords[5])[0], antipode(*coords[30])[0]]])
    lat = np.concatenate([np.degrees(np.arcsin(rng.uniform(-1, 1, 40))), [antipode(*coords[5])[1],
                                                                             antipode(*coords[30])[1]]])
    got = index.nearest(lon, lat)["distance_m"]
    from .test_geodesy import brute_force

    assert np.max(np.abs(got - brute_force(index, lon, lat))) <= 1e-6
    for i in (0, 1, 2, lon.size - 2, lon.size - 1):  # the independent reference is slow on a long line
        ref = point_line_distance(lon[i], lat[i], coords)
        assert abs(got[i] - ref) <= 1e-3, (i, lon[i], lat[i], got[i], ref)


def test_far_points_need_about_two_inverse_solves_each(monkeypatch):
    """The frame path's cost, counted in inverse solves (not timed): 4,000 points 100-4,000 km from a wiggly line."""
    index = wiggly_line(7).index()
    rng = np.random.default_rng(2)
    k = rng.integers(0, index.n_pieces, 4_000)
    lon, lat, _ = GEOD.fwd(index.lon_a[k], index.lat_a[k], rng.uniform(0, 360, k.size), rng.uniform(1e5, 4e6, k.size))
    pairs = []
    real = G.GEOD

    class Counting:
        def inv(self, *a, **kw):
            pairs.append(np.size(a[0]))
            return real.inv(*a, **kw)

        def fwd(self, *a, **kw):
            return real.fwd(*a, **kw)

    index._frames().ensure(np.flatnonzero(index.node_is_frame))  # built once per line, not per query
    monkeypatch.setattr(G, "GEOD", Counting())
    got = index.nearest(np.asarray(lon), np.asarray(lat))
    monkeypatch.setattr(G, "GEOD", real)
    assert sum(pairs) / k.size <= 6.0, sum(pairs) / k.size
    from .test_geodesy import brute_force

    pick = np.arange(0, k.size, 40)
    assert np.max(np.abs(got["distance_m"][pick] - brute_force(index, np.asarray(lon)[pick],
                                                               np.asarray(lat)[pick]))) <= 1e-6


def test_a_segment_too_long_for_one_frame_is_still_exact():
    """Pieces of 500 km (piece_m raised): leaves reach past a frame's limit, so those pairs keep the gradient path."""
    coords = np.array([[0.0, 0.0], [60.0, 5.0], [120.0, -3.0]])
    seg = Segments.from_parts([coords], [0], [0])
    index = SegmentIndex(seg, piece_m=500_000.0)
    rng = np.random.default_rng(3)
    lon, lat = rng.uniform(-180, 180, 60), np.degrees(np.arcsin(rng.uniform(-1, 1, 60)))
    got = index.nearest(lon, lat)["distance_m"]
    for i in range(lon.size):
        assert abs(got[i] - point_line_distance(lon[i], lat[i], coords.tolist())) <= 1e-3


def test_frames_are_built_when_entered_and_sized_to_their_pieces():
    """A dense line: frames over short pieces are small; near points build none, far points only those they enter."""
    rng = np.random.default_rng(6)
    n = 500_000
    lon, lat = random_walk(rng, n, 2e-5, 1e-5)
    index = SegmentIndex(Segments.from_parts([np.column_stack([lon, lat])], [0], [0]))
    frames = np.flatnonzero(index.node_is_frame)
    # ~1.4 m pieces over 425 km: the frames reach well under _FRAME_REACH_M (the hinge slack is kept below a piece)
    assert frames.size >= 2 and index.node_reach[frames].max() < 0.5 * G._FRAME_REACH_M
    k = rng.integers(0, n, 300)
    near_lon, near_lat, _ = GEOD.fwd(lon[k], lat[k], rng.uniform(0, 360, k.size), rng.uniform(0, 5e4, k.size))
    index.nearest(np.asarray(near_lon), np.asarray(near_lat))
    fr = index._frames()
    assert not fr.built.any()
    far_lon, far_lat, _ = GEOD.fwd(lon[:1], lat[:1], [200.0], [3e6])
    got = index.nearest(np.asarray(far_lon), np.asarray(far_lat))
    assert fr.built.sum() >= 1
    from .test_geodesy import brute_force

    assert abs(got["distance_m"][0] - brute_force(index, np.asarray(far_lon), np.asarray(far_lat))[0]) <= 1e-6


@pytest.mark.parametrize("factor, must_match", [(1.0, True), (0.97, False)])
def test_concave_shortcut_only_past_its_limit(factor, must_match, monkeypatch):
    """Points 9,700-10,400 km square to a 1,000 km meridian segment: ends only is right past (pi/2) a**2/b only.

    With the limit as shipped every distance matches brute force; moved 3 % nearer (into the convex
    range, where the nearest point is inside the piece) some distances come out too large, so this
    test fails when the limit is moved past validity.
    """
    from .test_geodesy import brute_force

    monkeypatch.setattr(G, "_CONCAVE_ABOVE_M", G._CONCAVE_ABOVE_M * factor)
    coords = np.array([[0.0, -4.5], [0.0, 4.5]])  # along a meridian: the distance varies along it
    index = SegmentIndex(Segments.from_parts([coords], [0], [0]), piece_m=2e6)  # one piece: its middle is inside
    rng = np.random.default_rng(9)
    n = 400
    az = rng.choice([90.0, 270.0], n)  # on the equator, square to it: the nearest point is its middle
    lon, lat, _ = GEOD.fwd(np.zeros(n), np.zeros(n), az, rng.uniform(9.7e6, 1.04e7, n))
    lon, lat = np.asarray(lon), np.asarray(lat)
    got = index.nearest(lon, lat)["distance_m"]
    diff = np.abs(got - brute_force(index, lon, lat))
    if must_match:
        assert diff.max() <= 1e-6, diff.max()
    else:
        assert diff.max() > 1.0
