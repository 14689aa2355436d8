"""Exact distances from points to geodesic polylines on the WGS84 ellipsoid.

This is geomap's numerical core.  A line of contact is a set of segments, each
the *geodesic* between two consecutive vertices.  For every point we find the
nearest point on the whole line and its geodesic distance, exactly (to well
under a millimetre), in three stages:

1. **Pieces.**  Long segments are cut into pieces of at most ``piece_m``
   metres *along the same geodesic* (the cut points come from ``Geod.fwd``,
   so each piece is an exact sub-arc of its segment).  Points and pieces are
   placed in Earth-centred (ECEF) Cartesian coordinates.
2. **Provable pruning.**  A straight line in space is never longer than a
   path on the ellipsoid, so chord (3-D Euclidean) distances give lower
   bounds of geodesic ones.  For a piece ``AB`` of geodesic length ``L`` and
   chord ``c``, ``|X - A| <= s`` and ``|X - B| <= L - s`` for the arc point
   ``X`` at arc length ``s``, so every arc point lies within
   ``h = sqrt(L**2 - c**2) / 2`` of the chord segment (valid while
   ``L <= 5c/3``, true for any piece shorter than thousands of km).  Runs of
   consecutive pieces are bounded by capsules (a segment and a radius) in a
   binary hierarchy.  Descending it level by level, a (point, node) pair is
   dropped only when its lower bound (chord distance to the capsule minus the
   radius) exceeds an *upper* bound of the point's distance: some arc point
   lies within axis distance + radius, and a geodesic is no longer than the
   great-ellipse arc on the same chord, itself no longer than a circular arc
   of radius b²/a (Schur's comparison; see :func:`_geodesic_upper_bound`).  A
   surviving piece is solved exactly unless its chord bound ``dist - h``
   exceeds the best exact distance already found.  For large queries the
   points are first binned into lon/lat cells; each cell gets the list of
   pieces whose bound from the cell centre ``C`` is at most ``d(C) + 2 rho``
   (``rho`` the cell's covering radius), which provably holds every point's
   nearest piece, and a point in a cell with a short list needs no descent.
   Only cells whose centre is within 200 km of the line get a list.
   No piece that could hold the nearest point is ever skipped.

   **The gradient bound** (what keeps far points cheap).  The chord bound is
   loose by about d³/(24R²) (16 km at 2,500 km), so the descent also solves
   one inverse geodesic per (point, node) from the node's reference vertex C
   (a vertex of the line, so ``s(P, C)`` is also an upper bound) and uses::

       s(P, X) >= s(P, C) + <g, X - C> - k**2 r**3 / 6 - K r**2 / 2

   for every arc point X below the node, where g is the unit gradient of
   ``s(P, .)`` at C (the tangent pointing away from P, from the azimuth at C),
   r bounds ``s(C, X)`` and ``<g, X - C>`` is bounded below over the node's
   capsule.  Proof: let γ be a shortest geodesic from C to X, of length
   ℓ <= r, and F(τ) = s(P, γ(τ)).  (i) F(ℓ) >= F(0) + ℓ F'(0) - K ℓ²/2 with
   F'(0) = <g, γ'(0)> (first variation), because F'' = κ sin²θ where κ is the
   geodesic curvature of the circle about P through γ(τ), and with Gaussian
   curvature K_G <= 1/b² the Riccati/Hessian comparison gives κ >= cot(F/b)/b
   as long as F < π b (no conjugate point before π/sqrt(max K_G) = π b, and
   by Klingenberg's lemma the injectivity radius is at least min(π b, half the
   shortest closed geodesic, a meridian) = π b, so ``s(P, .)`` is smooth
   there except at P, where it has a convex kink).  F <= s(P, C) + r along γ,
   so K = max(0, -cot((s(P, C) + r)/b)/b) serves; the bound is used only
   while s(P, C) + r < 0.999 π b.  (ii) ℓ <g, γ'(0)> >= <g, X - C> - k² ℓ³/6:
   γ'' = κ_n N with |κ_n| <= k = a/b² (the largest normal curvature), and
   |<g, N(γ(τ))>| = |<g, N(γ(τ)) - N(C)>| <= k τ since g is tangent at C and
   the Gauss map is k-Lipschitz; integrate twice.  For far points this bound
   is within metres of the truth for 5 km pieces (tests/test_geodesy_far.py
   checks it from both sides), so a far point needs about 1.7 exact solves.
   The same bound is applied to each far piece under a surviving leaf (C = its
   start vertex, r = its length, capsule = its chord and ``h``).

   **The hinge bounds** (what makes far points cost one solve per frame).
   The gradient bound needs an inverse solve per (point, node), about 40 per
   far point.  Instead, the hierarchy is cut into *frames* (the highest nodes
   reaching at most :data:`_FRAME_REACH_M` from their reference vertex C, less
   over short pieces), and every vertex of a frame is solved once from its C
   when a far point first enters it.  A geodesic triangle P, C, X on WGS84 is compared with
   the triangle on a sphere with the same two sides s(C, P), s(C, X) and the
   same angle at C: on the sphere of radius b (curvature 1/b**2, WGS84's
   largest) its third side is a lower bound of s(P, X), on the sphere of
   radius a**2/b (curvature b**2/a**4, the smallest) an upper bound
   (CAT(1/b**2) and Toponogov comparison; :func:`_hinge_image` gives the
   proof and references).  So the one solve C -> P places P's image on both
   spheres, and the chord capsules of the vertices' images bound every piece
   of the frame, within metres at thousands of km
   (tests/test_geodesy_hinge.py checks both bounds from both sides).  Used
   while s(C, P) + reach < 0.999 pi b; nearer the antipode, the gradient bound.
3. **Exact interception.**  For each surviving (point, piece) pair the foot of
   the geodesic perpendicular is found by the iteration of Baselga &
   Martínez-Llario (2018), refined as in Karney (2024): from the current foot
   ``X`` at offset ``t`` along the piece, with ``s = |XP|`` and ``alpha`` the
   angle at ``X`` between the piece and the geodesic to ``P``, move by
   ``R * atan2(sin(s/R) cos(alpha), cos(s/R))`` and clamp to the piece.  It
   starts at the foot of the chord perpendicular (already within millimetres
   for short pieces) and converges to below ``tol_m`` in two to four steps.
   A step that would leave the bracket of offsets already visited (the
   slope's sign there is exact) is replaced by bisection, as is every step
   after the twelfth: near a quarter circle the sphere's curvature can be
   several times off and the plain iteration would bounce for ever.
   Past a quarter meridian the sphere's step can point the wrong way, so
   there the step follows the exact sign of the slope (``cos alpha``) to the
   piece's end, and wherever ``d + L`` reaches 0.999 π b / 2 both ends are
   solved too and the smallest value kept: beyond (π/2) a²/b ≈ 10,053 km the
   distance is concave along a geodesic (Hessian comparison with K_G >= b²/a⁴),
   so its minimum over a piece is at an end.  (Between 9,975 km and 10,053 km
   neither convexity nor concavity is proved; there the answer is the
   smallest of the iteration's stationary point and both ends.)
   At a piece's end vertex no direct problem is solved (the vertex and the
   piece's direction there are stored), and a pair starting at the vertex a
   point's best foot is already on reuses that inverse solve (the same two
   points, bit for bit) unless its first step leaves the vertex.
   Every geodesic (direct and inverse) is solved by PROJ's port of
   GeographicLib through :class:`pyproj.Geod`, accurate to round-off.

References
----------
* C. F. F. Karney, "Algorithms for geodesics", J. Geodesy 87 (2013) 43-55, §8.
* S. Baselga, J. C. Martínez-Llario, "Intersection and point-to-line solutions
  for geodesics on the ellipsoid", Stud. Geophys. Geod. 62 (2018) 353-363.
* C. F. F. Karney, "Geodesic intersections", J. Surv. Eng. 150(3) (2024).
"""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np
from pyproj import Geod

from geomap.errors import GeodesicError

#: WGS84 semi-major axis (m) and flattening, as used by pyproj's ``Geod(ellps="WGS84")``
WGS84_A = 6378137.0
WGS84_F = 1 / 298.257223563
WGS84_E2 = WGS84_F * (2 - WGS84_F)

GEOD = Geod(ellps="WGS84")

#: Name of the method, recorded in every result.
METHOD = (
    "exact point-to-geodesic-segment distance on WGS84 "
    "(Baselga & Martinez-Llario 2018 interception iteration on GeographicLib geodesics via PROJ; "
    "candidates pruned by provable chord, gradient and comparison-triangle bounds)"
)

# Safety margin (m) added to every lower bound, covering floating-point error
# in the ECEF coordinates (~1e-9 m) and in L and c, by a wide factor.
_BOUND_MARGIN_M = 1e-3


def ecef(lon, lat):
    """Earth-centred Cartesian coordinates (m) of points on the WGS84 surface.

    Parameters
    ----------
    lon, lat : array_like
        Degrees, longitude first.

    Returns
    -------
    ndarray of shape (n, 3)
    """
    lon = np.radians(np.asarray(lon, dtype=float))
    lat = np.radians(np.asarray(lat, dtype=float))
    sin_lat = np.sin(lat)
    cos_lat = np.cos(lat)
    n = WGS84_A / np.sqrt(1.0 - WGS84_E2 * sin_lat * sin_lat)
    out = np.empty(lon.shape + (3,), dtype=float)
    out[..., 0] = n * cos_lat * np.cos(lon)
    out[..., 1] = n * cos_lat * np.sin(lon)
    out[..., 2] = n * (1.0 - WGS84_E2) * sin_lat
    return out


def _point_segment_distance(p, a, b):
    """3-D Euclidean distance from points ``p`` to segments ``a``-``b`` (row-wise, broadcasting)."""
    ab = b - a
    ap = p - a
    ab2 = np.einsum("...k,...k->...", ab, ab)
    with np.errstate(invalid="ignore", divide="ignore"):
        u = np.where(ab2 > 0, np.einsum("...k,...k->...", ap, ab) / ab2, 0.0)
    u = np.clip(u, 0.0, 1.0)
    gap = ap - u[..., None] * ab
    return np.sqrt(np.einsum("...k,...k->...", gap, gap))


def _column_distances(x, y, z, a, ab, inv_ab2, c):
    """Per row: 3-D distance from point (x, y, z) to the segment from ``a`` along ``ab``, and to point ``c``.

    All arguments are (n,) contiguous columns (m): ``x``, ``y``, ``z`` the
    points, ``a`` and ``ab`` tuples of three columns, ``inv_ab2`` = 1/|ab|**2
    (0 for a point segment), ``c`` a tuple of three.  The values of
    :func:`_point_segment_distance` and a norm, in column passes (several
    times faster on a million rows).
    """
    d, _ = _segment_foot(x, y, z, a, ab, inv_ab2)
    c2 = (x - c[0]) ** 2
    c2 += (y - c[1]) ** 2
    c2 += (z - c[2]) ** 2
    return d, np.sqrt(c2)


def _segment_foot(x, y, z, a, ab, inv_ab2):
    """Per row: 3-D distance from point (x, y, z) to the segment from ``a`` along ``ab``, and the foot's fraction.

    Columns as in :func:`_column_distances`; the fraction is clipped to [0, 1].
    """
    px, py, pz = x - a[0], y - a[1], z - a[2]
    u = px * ab[0]
    u += py * ab[1]
    u += pz * ab[2]
    u *= inv_ab2
    np.clip(u, 0.0, 1.0, out=u)
    d2 = np.zeros_like(u)
    for p, k in ((px, 0), (py, 1), (pz, 2)):
        p -= u * ab[k]
        p *= p
        d2 += p
    return np.sqrt(d2), u


#: b**2 / a: the smallest radius of curvature of any plane section of WGS84 through
#: its centre (a great ellipse's largest curvature is a / b**2)
_R_SECTION = WGS84_A * (1 - WGS84_F) ** 2


def _geodesic_upper_bound(chord_m):
    """An upper bound (m) of the geodesic distance between two surface points ``chord_m`` apart.

    The geodesic is no longer than the great-ellipse arc through both points
    (the section by the plane through them and the centre).  That plane convex
    arc has curvature at most ``1/_R_SECTION``, so by Schur's comparison it is
    no longer than a circular arc of radius ``_R_SECTION`` on the same chord.
    Returns inf where the chord is too long for the bound (half the globe).
    """
    x = np.asarray(chord_m, dtype=float) / (2 * _R_SECTION)
    with np.errstate(invalid="ignore"):
        out = 2 * _R_SECTION * np.arcsin(np.minimum(x, 1.0)) * (1 + 1e-12) + _BOUND_MARGIN_M
    return np.where(x < 0.7, out, np.inf)


#: WGS84 semi-minor axis (m)
WGS84_B = WGS84_A * (1 - WGS84_F)
#: the largest normal curvature of WGS84 (1/m): a/b**2, along the meridian at the equator
_K_NORMAL = WGS84_A / WGS84_B**2
#: distances (m) below which the distance from a point is provably convex along a
#: geodesic (Hessian comparison with K <= 1/b**2); farther pieces get both ends solved too
_CONVEX_BELOW_M = 0.999 * 0.5 * np.pi * WGS84_B
#: distances (m) below which the gradient bound is used: short of pi*b, where the
#: Hessian comparison (K <= 1/b**2) and the injectivity radius end
_GRADIENT_MAX_M = 0.999 * np.pi * WGS84_B
#: distances (m) beyond which the distance from a point is provably concave along a geodesic
#: ((pi/2) a**2/b, Hessian comparison with K >= b**2/a**4): a piece wholly that far has its
#: minimum at an end, so only its ends are solved
_CONCAVE_ABOVE_M = 1.001 * 0.5 * np.pi * WGS84_A**2 / WGS84_B


def tangent_basis(lon, lat):
    """Unit east and north vectors (n, 3) of the WGS84 tangent plane at geodetic lon/lat (degrees)."""
    lon = np.radians(np.asarray(lon, dtype=float))
    lat = np.radians(np.asarray(lat, dtype=float))
    sl, cl, sp, cp = np.sin(lon), np.cos(lon), np.sin(lat), np.cos(lat)
    east = np.stack([-sl, cl, np.zeros_like(sl)], axis=-1)
    north = np.stack([-sp * cl, -sp * sl, cp], axis=-1)
    return east, north


def _gradient_lower_bound(s_c, az_c, c_xyz, east, north, cap_a, cap_b, cap_r, radius):
    """A lower bound (m) of the geodesic distance from P to every arc point of a run of pieces.

    ``s_c``, ``az_c``: the exact distance from the run's reference vertex C to
    P and the azimuth at C towards P (one inverse solve).  ``c_xyz``, ``east``,
    ``north``: C and its tangent plane; ``cap_a``, ``cap_b``, ``cap_r``: a
    capsule holding every arc point; ``radius``: an upper bound of the geodesic
    distance from C to any arc point.  All (n,) or (n, 3).

    With g the unit gradient of the distance from P at C (pointing away from
    P) and X any arc point, ``s(P, X) >= s_c + <g, X - C> - k**2 r**3 / 6 -
    K r**2 / 2`` (proof in the module docstring), and ``<g, X - C>`` is at least
    its minimum over the capsule.  Returns -inf where ``s_c + radius`` reaches
    :data:`_GRADIENT_MAX_M` (the proof needs the whole run short of pi*b).
    """
    az = np.radians(az_c)
    ca, sa = np.cos(az), np.sin(az)
    gx = -(ca * north[:, 0] + sa * east[:, 0])
    gy = -(ca * north[:, 1] + sa * east[:, 1])
    gz = -(ca * north[:, 2])
    da = gx * (cap_a[:, 0] - c_xyz[:, 0]) + gy * (cap_a[:, 1] - c_xyz[:, 1]) + gz * (cap_a[:, 2] - c_xyz[:, 2])
    db = gx * (cap_b[:, 0] - c_xyz[:, 0]) + gy * (cap_b[:, 1] - c_xyz[:, 1]) + gz * (cap_b[:, 2] - c_xyz[:, 2])
    f_max = s_c + radius
    ok = f_max < _GRADIENT_MAX_M
    with np.errstate(divide="ignore", invalid="ignore"):
        concave = np.maximum(0.0, -1.0 / (np.tan(np.where(ok, f_max, 1.0) / WGS84_B) * WGS84_B))
        lb = (s_c + np.minimum(da, db) - cap_r - _K_NORMAL**2 * radius**3 / 6.0
              - concave * radius**2 / 2.0 - _BOUND_MARGIN_M)
    return np.where(ok, lb, -np.inf)


#: radius (m) of the sphere of WGS84's largest Gaussian curvature 1/b**2 (at the equator): geodesics
#: spread on WGS84 at least as fast as on it, so its hinges give lower bounds (see _hinge_image)
_R_HINGE_LOWER = WGS84_B
#: radius (m) of the sphere of WGS84's smallest Gaussian curvature b**2/a**4 (at the poles): its
#: hinges give upper bounds (Toponogov)
_R_HINGE_UPPER = WGS84_A**2 / WGS84_B
#: largest reach (m) of a comparison frame: the hinge bounds loosen with the size of the
#: triangles (by the curvature WGS84 lacks against the model sphere, at most 1.3 %)
_FRAME_REACH_M = 1_500_000.0
#: the hinge lower bound's slack grows as about this times reach**2 (1/m; 95th percentile for
#: points within 4,000 km, tests/test_geodesy_hinge.py): frames over short pieces are kept
#: small enough that the slack stays below a piece's length, or every piece within it is solved
_HINGE_SLACK_PER_M2 = 5e-11
#: a frame of more pieces than this is built only when a point at least _HINGE_BUILD_M away enters it
_HINGE_BUILD_PIECES = 4096
_HINGE_BUILD_M = 500_000.0
#: frame nodes of at most this many pieces get their image capsule from their pieces, larger
#: ones from the nodes of at most this many below them (one pass per level over those, not the pieces)
_FRAME_EXACT_PIECES = 1024


def _hinge_image(ell_m, az_deg, radius):
    """Comparison images (n, 3): the point ``ell_m`` from the pole, at azimuth ``az_deg``, on a sphere of ``radius``.

    A frame's reference vertex C is the pole; a point X at geodesic distance
    ``ell`` from C, in direction ``az`` at C, maps to the point at the same
    distance and direction from the pole of the model sphere.  For two points
    P and X so mapped (a *hinge* at C with sides s(C, P), s(C, X) and the angle
    between them), the model distance is the spherical law of cosines.

    * On the sphere of radius b (:data:`_R_HINGE_LOWER`) it is a **lower
      bound** of s(P, X) while s(C, P) + s(C, X) < pi b: WGS84's Gaussian
      curvature is at most 1/b**2 and its injectivity radius at least pi b
      (Klingenberg's lemma: pi / sqrt(K_max) = pi b is below half the
      meridian, the shortest closed geodesic), so it is a CAT(1/b**2) space
      and every triangle of perimeter below 2 pi b is thinner than its model
      (Bridson & Haefliger, *Metric spaces of non-positive curvature*, 1999,
      II.1.7 and II.1A.6; Alexander, Kapovitch & Petrunin, *Alexandrov
      geometry: foundations*, 2024): the hinge opens at least as wide.
    * On the sphere of radius a**2/b (:data:`_R_HINGE_UPPER`) it is an
      **upper bound** (Toponogov's hinge theorem, curvature at least b**2/a**4).
    * The map X -> image is 1-Lipschitz (radially an isometry; across, the
      reduced length m12 >= b sin(ell/b) by Rauch's comparison), so the image
      of a piece of length L is a curve no longer than L between the images
      of its ends, and lies within ``h = sqrt(L**2 - c**2) / 2`` of their chord c.

    Unlike a chord, the model distance keeps the sphere's curvature, so the
    bound stays within metres of the truth for thin triangles at any range
    (tests/test_geodesy_hinge.py).
    """
    t = np.asarray(ell_m, dtype=float) / radius
    a = np.radians(np.asarray(az_deg, dtype=float))
    st = np.sin(t)
    out = np.empty(t.shape + (3,))
    out[..., 0] = radius * st * np.cos(a)
    out[..., 1] = radius * st * np.sin(a)
    out[..., 2] = radius * np.cos(t)
    return out


def _hinge_lower_bound(chord_minus_r_m):
    """The lower bound (m) of the geodesic distance from a 3-D distance on the radius-b model sphere.

    ``chord_minus_r_m`` bounds the chord between P's image and every image of
    a run from below (distance to a capsule minus its radius); the arc on the
    model sphere over that chord, ``2 b asin(c / 2b)``, bounds the geodesic.
    """
    x = np.clip(np.asarray(chord_minus_r_m, dtype=float) / (2 * _R_HINGE_LOWER), 0.0, 1.0)
    return 2 * _R_HINGE_LOWER * np.arcsin(x) - _BOUND_MARGIN_M


def _hinge_upper_bound(chord_m):
    """The upper bound (m) of the geodesic distance from a chord between images on the radius a**2/b sphere."""
    x = np.minimum(np.asarray(chord_m, dtype=float) / (2 * _R_HINGE_UPPER), 1.0)
    return 2 * _R_HINGE_UPPER * np.arcsin(x) * (1 + 1e-12) + _BOUND_MARGIN_M


def gaussian_radius(lat):
    """Gaussian mean radius of curvature sqrt(M N) of WGS84 at ``lat`` degrees (m)."""
    s = np.sin(np.radians(lat))
    w = 1.0 - WGS84_E2 * s * s
    return WGS84_A * np.sqrt(1.0 - WGS84_E2) / w


def _interception_step(s, az_xp, dir_x, lat_x):
    """The interception step (m along the piece) from foot ``X`` (latitude ``lat_x``).

    ``s``: distance X-P (m); ``az_xp``: azimuth at X towards P; ``dir_x``: the
    piece's direction at X (degrees).  Zero where X is P.
    """
    alpha = np.radians(az_xp - dir_x)
    radius = gaussian_radius(lat_x)
    step = radius * np.arctan2(np.sin(s / radius) * np.cos(alpha), np.cos(s / radius))
    # Beyond a quarter circle the sphere's formula may point the wrong way (past
    # pi*R it flips): step towards the piece's end down the slope, whose sign
    # cos(alpha) is exact (first variation); the ends are then compared (see exact).
    step = np.where(s < 0.5 * np.pi * radius, step, np.sign(np.cos(alpha)) * s)
    return np.where(s > 0, step, 0.0)


def _wrap180(deg):
    return (np.asarray(deg) + 180.0) % 360.0 - 180.0


@dataclass
class Segments:
    """Geodesic segments of a line layer, with their owner indices.

    All arrays have one entry per segment.  ``segment`` is the index of the
    segment's first vertex within its part (LineString), ``part`` the part
    within its feature, ``feature`` the feature's row in the layer.
    """

    lon0: np.ndarray
    lat0: np.ndarray
    lon1: np.ndarray
    lat1: np.ndarray
    feature: np.ndarray
    part: np.ndarray
    segment: np.ndarray

    def __len__(self) -> int:
        return int(self.lon0.shape[0])

    @classmethod
    def from_parts(cls, parts, feature_of_part, part_in_feature):
        """Build from a list of (n_i, 2) lon/lat vertex arrays."""
        lon0, lat0, lon1, lat1, feat, prt, seg = [], [], [], [], [], [], []
        for coords, f, p in zip(parts, feature_of_part, part_in_feature):
            coords = np.asarray(coords, dtype=float)
            if coords.ndim != 2 or coords.shape[0] < 2:
                continue
            m = coords.shape[0] - 1
            lon0.append(coords[:-1, 0])
            lat0.append(coords[:-1, 1])
            lon1.append(coords[1:, 0])
            lat1.append(coords[1:, 1])
            feat.append(np.full(m, f, dtype=np.int64))
            prt.append(np.full(m, p, dtype=np.int64))
            seg.append(np.arange(m, dtype=np.int64))
        if not lon0:
            empty = np.empty(0)
            iempty = np.empty(0, dtype=np.int64)
            return cls(empty, empty, empty, empty, iempty, iempty, iempty)
        return cls(
            np.concatenate(lon0),
            np.concatenate(lat0),
            np.concatenate(lon1),
            np.concatenate(lat1),
            np.concatenate(feat),
            np.concatenate(prt),
            np.concatenate(seg),
        )


#: distances closer than this (m) are a tie, broken towards the lower piece index
_TIE_M = 1e-6
#: interception steps taken as they come; later ones bisect the bracket (see SegmentIndex.exact)
_NEWTON_STEPS = 12
#: below this many points, candidate cells cost more than they save
_CELLS_MIN_POINTS = 2_000
#: longest candidate list a cell may have; points in busier cells use the hierarchy
_CELL_MAX_CANDIDATES = 128
#: list lengths solved together (each group's lists are padded to its longest)
_CELL_LIST_BUCKETS = ((0, 4), (4, 8), (8, 16), (16, 32), (32, 64), (64, _CELL_MAX_CANDIDATES))
#: most padded (point, candidate) pairs solved in one step
_LIST_PAIRS = 1_000_000
#: cells whose centre is farther than this (m) from the line get no candidate list
_CELL_NEAR_M = 200_000.0
#: most cells built for one query
_CELL_MAX_COUNT = 20_000
#: (point, node) pairs whose chord lower bound is below this (m) are pruned by chord bounds
#: alone (within d**3 / 24 R**2 = 0.3 m of the truth at 70 km), without an inverse solve
_CHORD_NEAR_M = 70_000.0
#: most (node, piece) rows the capsule build works on at once
_CAPSULE_ROWS = 250_000
#: points per block of the hierarchy descent (bounds its memory)
_DESCENT_POINTS = 8_192
#: most (point, node) or (point, piece) pairs a descent block holds at once, and most pairs solved
#: exactly in one call (a few hundred bytes each): a block that would hold more is halved.  Near a
#: line's antipode only the chord bound holds, so every point keeps most of a dense line's pieces;
#: without this a block of 8,192 such points held 8,192 times the line.
_DESCENT_PAIRS = 1_000_000
#: (point, piece) pairs per block of the chord bounds (temporaries of 8 * this bytes each)
_BLOCK_PAIRS = 16_384


def _ranges(start, count):
    """The runs ``start[i], ..., start[i] + count[i] - 1`` concatenated in order (int64 indices)."""
    first = np.cumsum(count) - count
    return np.repeat(np.asarray(start) - first, count) + np.arange(int(np.sum(count)))


def _row_batches(ids, rows):
    """``ids`` split in order into batches of about :data:`_CAPSULE_ROWS` rows (``rows[i]`` rows for ``ids[i]``)."""
    if not ids.size:
        return []
    rows_upto = np.cumsum(rows)
    cuts = np.searchsorted(rows_upto, np.arange(_CAPSULE_ROWS, rows_upto[-1], _CAPSULE_ROWS), side="right")
    return [b for b in np.split(ids, np.unique(cuts)) if b.size]


def _base_runs(start, stop, base, big):
    """The (large node, base node) pairs of a hierarchy: each node of ``big`` with the base nodes tiling its run.

    ``start``/``stop`` give each node's run of pieces (indexed by the ids in
    ``base`` and ``big``); base nodes tile the pieces, so a large node's base
    nodes are a contiguous run of them in order of start.  Returns
    ``(node_of, base_of, first)``: the pairs, grouped by large node, and the
    index of each group's first pair (for ``reduceat``).
    """
    base = base[np.argsort(start[base], kind="stable")]
    b0 = np.searchsorted(start[base], start[big])
    b1 = np.searchsorted(start[base], stop[big])
    n = b1 - b0
    first = np.cumsum(n) - n
    return np.repeat(big, n), base[_ranges(b0, n)], first


class _CellLists:
    """Provable candidate-piece lists for a grid of lon/lat cells (CSR arrays)."""

    def __init__(self, h: float, w: float):
        self.h, self.w = h, w

    def keys(self, lon, lat):
        ix = np.floor(np.asarray(lon) / self.w).astype(np.int64)
        iy = np.floor(np.asarray(lat) / self.h).astype(np.int64)
        return ix * 4_000_000 + (iy + 2_000_000)

    def split(self, keys):
        iy = keys % 4_000_000 - 2_000_000
        ix = (keys - (iy + 2_000_000)) // 4_000_000
        return ix, iy

    def build(self, keys, rows, pieces):
        order = np.argsort(rows, kind="stable")
        self.cell_keys = keys
        self.pieces = pieces[order]
        self.count = np.bincount(rows, minlength=keys.size)
        self.start = np.cumsum(self.count) - self.count

    def lookup(self, lon, lat):
        """Cell index of each point, or -1 where no short provable list exists (busy cell, near a pole)."""
        keys = self.keys(lon, lat)
        pos = np.searchsorted(self.cell_keys, keys)
        pos = np.minimum(pos, self.cell_keys.size - 1)
        found = (self.cell_keys[pos] == keys) & (np.abs(lat) <= 85.0)
        ok = found & (self.count[pos] <= _CELL_MAX_CANDIDATES) & (self.count[pos] > 0)
        return np.where(ok, pos, -1)

    def candidates(self, cells):
        """Padded (n, k) piece indices and their validity mask for the given cells."""
        k = int(self.count[cells].max())
        offs = np.arange(k)[None, :]
        mask = offs < self.count[cells][:, None]
        idx = self.start[cells][:, None] + np.minimum(offs, np.maximum(self.count[cells][:, None] - 1, 0))
        return self.pieces[idx], mask


class _Best:
    """Per-point best answer so far (arrays)."""

    def __init__(self, n: int):
        self.d = np.full(n, np.inf)
        self.piece = np.full(n, -1, dtype=np.int64)
        self.t = np.zeros(n)
        self.lon = np.full(n, np.nan)
        self.lat = np.full(n, np.nan)
        self.az = np.full(n, np.nan)
        self.n_exact = np.zeros(n, dtype=np.int64)
        #: the vertex the best foot is on (-1: inside a piece) and the azimuth there towards the point
        self.vertex = np.full(n, -1, dtype=np.int64)
        self.az_xp = np.full(n, np.nan)


class SegmentIndex:
    """A prepared line: geodesic pieces, their bounds and a capsule hierarchy.

    Build once per line layer; query many times with :meth:`nearest`.

    Parameters
    ----------
    segments : Segments
        The line's geodesic segments (lon/lat degrees).
    piece_m : float
        Longest piece (m) a segment is cut into for indexing.  Only affects
        speed, never the result.
    """

    #: take a pair's first interception step from the stored solve at a shared vertex (off only in tests)
    reuse_vertex_solves = True

    def __init__(self, segments: Segments, piece_m: float = 5_000.0):
        if len(segments) == 0:
            raise ValueError("a line needs at least one segment")
        self.segments = segments
        az, back, length = GEOD.inv(segments.lon0, segments.lat0, segments.lon1, segments.lat1)
        az = np.asarray(az, dtype=float)
        length = np.asarray(length, dtype=float)
        self.seg_length_m = length
        n_pieces = np.maximum(1, np.ceil(length / piece_m)).astype(np.int64)
        owner = np.repeat(np.arange(len(segments)), n_pieces)
        first = np.repeat(np.cumsum(n_pieces) - n_pieces, n_pieces)
        k = np.arange(owner.shape[0]) - first
        frac0 = k / n_pieces[owner]
        frac1 = (k + 1) / n_pieces[owner]
        t0 = frac0 * length[owner]
        t1 = frac1 * length[owner]
        # Piece end points on the parent geodesic (exact sub-arcs).  A segment's
        # own vertices are kept exactly as stored, with its inverse solve's
        # azimuths there; only the points where a segment is cut need a direct
        # solve, and each such point ends one piece and starts the next.
        lon_a, lat_a = segments.lon0[owner].copy(), segments.lat0[owner].copy()
        az_a = az[owner].copy()
        lon_b, lat_b = segments.lon1[owner].copy(), segments.lat1[owner].copy()
        back_b = np.asarray(back, dtype=float)[owner].copy()
        cut = np.flatnonzero(k > 0)
        if cut.size:
            o = owner[cut]
            cut_lon, cut_lat, cut_back = GEOD.fwd(segments.lon0[o], segments.lat0[o], az[o], t0[cut])
            lon_a[cut], lat_a[cut] = cut_lon, cut_lat
            az_a[cut] = _wrap180(np.asarray(cut_back) + 180.0)
            lon_b[cut - 1], lat_b[cut - 1] = cut_lon, cut_lat
            back_b[cut - 1] = cut_back
        self.owner = owner
        self.t0_m = t0
        self.lon_a = np.asarray(lon_a, dtype=float)
        self.lat_a = np.asarray(lat_a, dtype=float)
        self.lon_b = np.asarray(lon_b, dtype=float)
        self.lat_b = np.asarray(lat_b, dtype=float)
        self.az_a = np.asarray(az_a, dtype=float)
        #: direction of each piece at its end vertex (degrees, not wrapped)
        self.az_b = np.asarray(back_b, dtype=float) + 180.0
        self.length_m = t1 - t0
        # Zero-length (repeated-vertex) segments have an arbitrary azimuth; harmless.
        self.xyz_a = ecef(self.lon_a, self.lat_a)
        self.xyz_b = ecef(self.lon_b, self.lat_b)
        # Vertex ids: piece ends with bitwise-identical coordinates share an id.
        # (A sort of the bit patterns by two keys: np.unique(axis=0) took 5 s for 1,000,000 pieces.)
        end_lon = np.concatenate([self.lon_a, self.lon_b]).view(np.int64)
        end_lat = np.concatenate([self.lat_a, self.lat_b]).view(np.int64)
        order = np.lexsort((end_lat, end_lon))
        new_vertex = np.ones(order.size, dtype=bool)
        new_vertex[1:] = (np.diff(end_lon[order]) != 0) | (np.diff(end_lat[order]) != 0)
        vid = np.empty(order.size, dtype=np.int64)
        vid[order] = np.cumsum(new_vertex) - 1
        self.vid_a, self.vid_b = vid[: self.lon_a.size], vid[self.lon_a.size :]
        # The same, column by column, for the blocked chord bounds.
        ab = self.xyz_b - self.xyz_a
        ab2 = np.einsum("ij,ij->i", ab, ab)
        self._ax, self._ay, self._az = (np.ascontiguousarray(self.xyz_a[:, j]) for j in range(3))
        self._abx, self._aby, self._abz = (np.ascontiguousarray(ab[:, j]) for j in range(3))
        with np.errstate(divide="ignore"):
            self._inv_ab2 = np.where(ab2 > 0, 1.0 / np.where(ab2 > 0, ab2, 1.0), 0.0)
        chord = np.linalg.norm(self.xyz_b - self.xyz_a, axis=1)
        L2 = self.length_m**2
        c2 = chord**2
        #: arc-to-chord-segment bound h (m)
        self.h_m = 0.5 * np.sqrt(np.maximum(L2 - c2, 0.0)) + _BOUND_MARGIN_M
        if np.any(self.length_m > (5.0 / 3.0) * chord + 1e-6):
            # The chord-segment bound h needs L <= 5c/3; only pieces of thousands of km break it.
            raise GeodesicError("a line segment is too long for the chord bound: lower piece_m")
        self.n_pieces = int(owner.shape[0])
        # the build's temporaries go before the hierarchy's (a 1,000,000-piece line: ~100 MB less at peak)
        del az, back, length, n_pieces, first, k, frac0, frac1, t1, lon_a, lat_a, lon_b, lat_b, az_a, back_b
        del end_lon, end_lat, order, new_vertex, vid, ab, ab2, chord, L2, c2
        self._build_capsules()

    def _build_capsules(self, leaf_size: int = 8, exact_size: int = 1024):
        """A bounding-capsule hierarchy over runs of consecutive pieces.

        Node ``[start, stop)`` is bounded by the capsule around the segment ``S``
        from its first piece's start to its last piece's end.  Every arc point of
        a piece lies within ``h`` of its chord, and a chord lies within the larger
        of its end points' distances to ``S`` (distance to a convex set is
        convex), so the radius ``max(dist(A_i, S), dist(B_i, S)) + h_i`` over the
        node's pieces holds every arc point below the node.  Children halve the
        run until it has at most ``leaf_size`` pieces.

        Nodes of at most ``exact_size`` pieces get that radius from their pieces.
        A larger node gets it from the *base* nodes below it (the largest nodes
        of at most ``exact_size`` pieces, which tile its run): every arc point
        below base node ``g`` is within ``r_g`` of ``g``'s axis, whose points are
        within the larger of its end points' distances to ``S``, so
        ``max_g(max(dist(a_g, S), dist(b_g, S)) + r_g)`` holds them all.  It is
        looser than the piece-by-piece radius by at most a base radius, and costs
        one pass over the base nodes per larger level instead of one over the
        pieces (a 1,000,000-piece line builds in about a second, in runs of
        :data:`_CAPSULE_ROWS` rows, so in memory linear in the pieces).  The
        reference reach is bounded the same way, by the triangle inequality
        through each base node's reference vertex.
        """
        m = self.n_pieces
        # Node runs level by level, numbered breadth first (left child before right).
        lo, hi = np.array([0], dtype=np.int64), np.array([m], dtype=np.int64)
        starts, stops, lefts, rights = [], [], [], []
        first_id = 0
        while lo.size:
            split = hi - lo > leaf_size
            k = np.cumsum(split) - 1
            child = first_id + lo.size + 2 * k
            lefts.append(np.where(split, child, -1))
            rights.append(np.where(split, child + 1, -1))
            starts.append(lo)
            stops.append(hi)
            first_id += lo.size
            mid = (lo + hi) // 2
            lo, hi = (np.column_stack([lo[split], mid[split]]).ravel(),
                      np.column_stack([mid[split], hi[split]]).ravel())
        start, stop = np.concatenate(starts), np.concatenate(stops)
        self.node_start, self.node_stop = start, stop
        self.node_left, self.node_right = np.concatenate(lefts), np.concatenate(rights)
        s0 = self.xyz_a[start]
        s1 = self.xyz_b[stop - 1]
        ref = (start + stop) // 2
        self.node_ref = ref
        self.node_xyz = self.xyz_a[ref]
        radius = np.zeros(start.size)
        reach = np.zeros(start.size)
        counts = stop - start
        small = counts <= exact_size
        # Exact radii and reaches of the small nodes, from their pieces (each piece
        # is in one node of a level).  A piece's end B is the next piece's start A where the
        # line is continuous, so only a node's last piece and pieces before a
        # break need their B measured.
        joined = np.zeros(m, dtype=bool)
        joined[:-1] = np.all(self.xyz_b[:-1] == self.xyz_a[1:], axis=1)
        # Nodes are taken in runs of about _CAPSULE_ROWS (node, piece) rows, across
        # levels: a small line in one pass, a large one in bounded working memory.
        small_ids = np.flatnonzero(small)
        for ids in _row_batches(small_ids, counts[small_ids]):
            n = counts[ids]
            first = np.cumsum(n) - n
            total = int(n.sum())
            whole = total == m
            piece_of = np.arange(m) if whole else _ranges(start[ids], n)
            # the node's axis and reference vertex, as columns repeated over its pieces
            node_ab = s1[ids] - s0[ids]
            ab2 = np.einsum("ij,ij->i", node_ab, node_ab)
            with np.errstate(divide="ignore"):
                node_inv = np.where(ab2 > 0, 1.0 / np.where(ab2 > 0, ab2, 1.0), 0.0)
            a = tuple(np.repeat(s0[ids, j], n) for j in range(3))
            ab = tuple(np.repeat(node_ab[:, j], n) for j in range(3))
            inv = np.repeat(node_inv, n)
            cref = tuple(np.repeat(self.node_xyz[ids, j], n) for j in range(3))
            if whole:
                xa, ya, za = self._ax, self._ay, self._az
            else:
                xa, ya, za = self._ax[piece_of], self._ay[piece_of], self._az[piece_of]
            d_a, c_a = _column_distances(xa, ya, za, a, ab, inv, cref)
            last = np.zeros(total, dtype=bool)
            last[first + n - 1] = True
            own_b = np.flatnonzero(last | ~joined[piece_of])
            po = piece_of[own_b]
            d_own, c_own = _column_distances(self.xyz_b[po, 0], self.xyz_b[po, 1], self.xyz_b[po, 2],
                                             tuple(v[own_b] for v in a),
                                             tuple(v[own_b] for v in ab), inv[own_b], tuple(v[own_b] for v in cref))
            d_b, c_b = np.empty(total), np.empty(total)
            d_b[:-1], c_b[:-1] = d_a[1:], c_a[1:]
            d_b[own_b], c_b[own_b] = d_own, c_own
            radius[ids] = np.maximum.reduceat(np.maximum(d_a, d_b) + self.h_m[piece_of], first)
            u = _geodesic_upper_bound(np.maximum(c_a, c_b))
            reach[ids] = np.maximum.reduceat(u + 0.5 * self.length_m[piece_of], first)
        reach[small] += _BOUND_MARGIN_M
        # Larger nodes from the base nodes below them.
        parent = np.full(start.size, -1, dtype=np.int64)
        inner = self.node_left >= 0
        parent[self.node_left[inner]] = np.flatnonzero(inner)
        parent[self.node_right[inner]] = np.flatnonzero(inner)
        base = np.flatnonzero(small & ((parent < 0) | ~small[np.maximum(parent, 0)]))
        big = np.flatnonzero(~small)
        if big.size:
            node_of, base_of, first = _base_runs(start, stop, base, big)
            da = _point_segment_distance(s0[base_of], s0[node_of], s1[node_of])
            db = _point_segment_distance(s1[base_of], s0[node_of], s1[node_of])
            radius[big] = np.maximum.reduceat(np.maximum(da, db) + radius[base_of], first)
            hop = _geodesic_upper_bound(np.linalg.norm(self.node_xyz[base_of] - self.node_xyz[node_of], axis=1))
            reach[big] = np.maximum.reduceat(hop + reach[base_of], first) + _BOUND_MARGIN_M
        # A node's pieces form one continuous curve from its axis start to its
        # axis end only if each piece starts where the previous one ends (no
        # part or feature boundary inside); only then does the curve's
        # projection cover the axis, which the axis-based upper bound needs.
        breaks = np.concatenate([[0], np.cumsum(~joined[:-1])])
        self.node_connected = breaks[stop - 1] - breaks[start] == 0
        self.cap_a = s0
        self.cap_b = s1
        self.cap_r = radius + _BOUND_MARGIN_M
        # The same as columns for the descent: axis start, axis vector, 1/|axis|**2, reference vertex.
        axis = s1 - s0
        axis2 = np.einsum("ij,ij->i", axis, axis)
        with np.errstate(divide="ignore"):
            inv_axis2 = np.where(axis2 > 0, 1.0 / np.where(axis2 > 0, axis2, 1.0), 0.0)
        self._node_columns = (*(np.ascontiguousarray(s0[:, j]) for j in range(3)),
                              *(np.ascontiguousarray(axis[:, j]) for j in range(3)), inv_axis2,
                              *(np.ascontiguousarray(self.node_xyz[:, j]) for j in range(3)))
        # Reference vertex C of each node (the start of its middle piece, a
        # vertex of the line) and an upper bound of the geodesic distance from C
        # to any arc point below the node: an arc point at offset t on piece i
        # is within min(s(C, A_i) + t, s(C, B_i) + L_i - t) <= max(s(C, A_i), s(C, B_i)) + L_i / 2.
        self.node_reach = reach
        self.node_east, self.node_north = tangent_basis(self.lon_a[ref], self.lat_a[ref])
        self.piece_east, self.piece_north = tangent_basis(self.lon_a, self.lat_a)
        self._node_parent = parent
        self._piece_joined = joined
        # Comparison frames: the highest nodes reaching at most _FRAME_REACH_M, and
        # not much farther than the hinge bound's slack allows for their pieces'
        # mean length (a speed rule: the bounds hold in any frame; their images are built on demand).
        cum_length = np.concatenate([[0.0], np.cumsum(self.length_m)])
        mean_piece = (cum_length[stop] - cum_length[start]) / counts
        frame_reach = np.minimum(_FRAME_REACH_M, np.sqrt(np.maximum(mean_piece, 1.0) / _HINGE_SLACK_PER_M2))
        frame_of = np.full(start.size, -1, dtype=np.int64)
        level = np.array([0], dtype=np.int64)
        while level.size:
            par = parent[level]
            inherited = np.where(par >= 0, frame_of[np.maximum(par, 0)], -1)
            frame_of[level] = np.where(inherited >= 0, inherited,
                                       np.where(reach[level] <= frame_reach[level], level, -1))
            inner = level[self.node_left[level] >= 0]
            level = np.concatenate([self.node_left[inner], self.node_right[inner]])
        self.node_frame = frame_of
        self.node_is_frame = frame_of == np.arange(start.size)
        self._frame_data = None
        self._frame_lock = threading.Lock()

    def __getstate__(self):
        # A lock does not pickle (the Dask engine ships indexes to workers); frames are rebuilt there on demand.
        state = self.__dict__.copy()
        state["_frame_lock"] = None
        state["_frame_data"] = None
        return state

    def __setstate__(self, state):
        self.__dict__.update(state)
        self._frame_lock = threading.Lock()

    def _frames(self):
        """The comparison frames, built on first use (only far points need them); see :class:`_Frames`."""
        if self._frame_data is None:
            with self._frame_lock:
                if self._frame_data is None:
                    self._frame_data = _Frames(self)
        return self._frame_data

    # ------------------------------------------------------------------ query
    def nearest(self, lon, lat, *, tol_m: float = 1e-5, workers: int = 1, chunk: int = 100_000):
        """Nearest point of the line for each query point.

        Parameters
        ----------
        lon, lat : array_like
            Query points, degrees, longitude first.  NaN gives NaN results.
        tol_m : float
            Stop the interception once the foot moves less than this (m).  The
            distance error is then far below ``tol_m`` (it is second order in
            the foot's error away from vertices).
        workers : int
            Threads; pyproj releases the GIL, so 2 uses both cores here.
        chunk : int
            Points per batch (bounds memory).

        Returns
        -------
        dict of ndarrays
            ``distance_m``, ``nearest_lon``, ``nearest_lat``, ``piece``,
            ``segment_row`` (row in :attr:`segments`), ``offset_m`` (along the
            segment from its first vertex), ``n_exact`` (pairs solved exactly).
        """
        lon = np.atleast_1d(np.asarray(lon, dtype=float))
        lat = np.atleast_1d(np.asarray(lat, dtype=float))
        n = lon.shape[0]
        out = {
            "distance_m": np.full(n, np.nan),
            "nearest_lon": np.full(n, np.nan),
            "nearest_lat": np.full(n, np.nan),
            "azimuth_deg": np.full(n, np.nan),
            "segment_row": np.full(n, -1, dtype=np.int64),
            "offset_m": np.full(n, np.nan),
            "n_exact": np.zeros(n, dtype=np.int64),
            "piece": np.full(n, -1, dtype=np.int64),
        }
        valid = np.flatnonzero(np.isfinite(lon) & np.isfinite(lat))
        cells = (self._cells(lon[valid], lat[valid], tol_m, workers) if valid.size >= _CELLS_MIN_POINTS
                 else None)
        bounds = [valid[i : i + chunk] for i in range(0, valid.shape[0], chunk)]

        def run(idx):
            res = self._nearest_chunk(lon[idx], lat[idx], tol_m, cells)
            for key, val in res.items():
                out[key][idx] = val

        if workers > 1 and len(bounds) > 1:
            with ThreadPoolExecutor(max_workers=workers) as pool:
                list(pool.map(run, bounds))
        else:
            for idx in bounds:
                run(idx)
        return out

    def _nearest_chunk(self, lon, lat, tol_m, cells=None):
        n = lon.shape[0]
        p = ecef(lon, lat)
        best = _Best(n)
        rest = np.arange(n)
        if cells is not None:
            listed = cells.lookup(lon, lat)
            use = listed >= 0
            rows = np.flatnonzero(use)
            # Lists of similar length together, so little of the padded work is wasted.
            length = cells.count[listed[rows]]
            for lo, hi in _CELL_LIST_BUCKETS:
                group = rows[(length > lo) & (length <= hi)]
                # at most _LIST_PAIRS padded pairs at once (bounds the working memory)
                for sub in np.array_split(group, -(-group.size * hi // _LIST_PAIRS)) if group.size else ():
                    cand, mask = cells.candidates(listed[sub])
                    self._solve_candidates(sub, cand, mask, p, lon, lat, tol_m, best)
            rest = np.flatnonzero(~use)
        if rest.size:
            self._descend(rest, p, lon, lat, tol_m, best)
        safe = np.maximum(best.piece, 0)
        return {
            "distance_m": best.d,
            "nearest_lon": best.lon,
            "nearest_lat": best.lat,
            "azimuth_deg": np.where(best.d > 0, best.az % 360.0, np.nan),
            "segment_row": np.where(best.piece >= 0, self.owner[safe], -1),
            "offset_m": best.t + self.t0_m[safe],
            "n_exact": best.n_exact,
            "piece": best.piece,
        }

    def _chord_lower_bound(self, p, pieces, with_chord=False):
        """Lower bound (m) of the geodesic distance from points ``p`` (n, 3) to ``pieces`` (n, k).

        Also returns the chord-foot fraction along each piece, the start of the
        exact iteration (and, with ``with_chord``, the chord distance itself).
        Worked in blocks of rows so the temporaries stay in the CPU cache.
        """
        n, k = pieces.shape
        lb = np.empty((n, k))
        u = np.empty((n, k))
        chord = np.empty((n, k)) if with_chord else None
        step = max(1, _BLOCK_PAIRS // max(k, 1))
        for i in range(0, n, step):
            sl = slice(i, i + step)
            pc = pieces[sl]
            ax, ay, az = self._ax[pc], self._ay[pc], self._az[pc]
            bx, by, bz = self._abx[pc], self._aby[pc], self._abz[pc]
            px = p[sl, 0:1] - ax
            py = p[sl, 1:2] - ay
            pz = p[sl, 2:3] - az
            f = px * bx
            f += py * by
            f += pz * bz
            f *= self._inv_ab2[pc]
            np.clip(f, 0.0, 1.0, out=f)
            px -= f * bx
            py -= f * by
            pz -= f * bz
            px *= px
            py *= py
            pz *= pz
            px += py
            px += pz
            np.sqrt(px, out=px)
            if chord is not None:
                chord[sl] = px
            np.subtract(px, self.h_m[pc], out=lb[sl])
            u[sl] = f
        if with_chord:
            return lb, u, chord
        return lb, u

    def _descend(self, rows, p, lon, lat, tol_m, best, block=_DESCENT_POINTS):
        """Find every piece that may hold each point's nearest point, then solve those exactly.

        Branch and bound over the capsule hierarchy, level by level from the
        root, in blocks of ``block`` points (bounded memory).  Each (point,
        node) pair gets the chord bound (chord distance to the capsule minus its
        radius) and an upper bound of the point's distance from the node's
        reference vertex C (C is on the line): the great-ellipse bound of their
        chord.  Where the chord bound exceeds :data:`_CHORD_NEAR_M` (it loosens
        as d**3 / 24 R**2), the pair also gets one inverse solve from C: the
        exact distance as upper bound and, with the azimuth, the gradient lower
        bound (:func:`_gradient_lower_bound`), which stays within metres of the
        truth at any range; the larger lower bound is kept.  At a frame node
        that solve is the frame's: the pair leaves this descent for
        :meth:`_hinge_descend`, which bounds the frame's nodes and pieces from
        it with no further solve.  A pair is dropped
        when its lower bound exceeds the point's best upper bound.  The pieces
        under the surviving leaves are filtered by their chord bound, the rest
        get the gradient bound from their start vertex, and the survivors are
        solved exactly, most promising first.
        """
        pending = [rows[i : i + block] for i in range(0, rows.size, block)][::-1]  # popped first to last
        while pending:
            part = pending.pop()
            # A block whose pairs would pass _DESCENT_PAIRS gives up before solving anything and is
            # halved; a single point always goes through (its pairs are at most the line's pieces).
            if not self._descend_block(part, p, lon, lat, tol_m, best,
                                       max_pairs=_DESCENT_PAIRS if part.size > 1 else None):
                half = part.size // 2
                pending += [part[half:], part[:half]]

    def _descend_block(self, rows, p, lon, lat, tol_m, best, max_pairs=None):
        """One block of :meth:`_descend`; False (nothing solved, ``best`` untouched) if it would hold more than
        ``max_pairs`` pairs at once."""
        pp, plon, plat = p[rows], lon[rows], lat[rows]
        px, py, pz = (np.ascontiguousarray(pp[:, j]) for j in range(3))
        upper = np.full(rows.size, np.inf)
        pr = np.arange(rows.size)
        node = np.zeros(pr.size, dtype=np.int64)
        leaf_rows, leaf_nodes = [np.empty(0, dtype=np.int64)], [np.empty(0, dtype=np.int64)]
        hinge_pairs = []
        while pr.size:
            if max_pairs is not None and pr.size > max_pairs:
                return False
            cols = self._node_columns
            lb, c = _column_distances(px[pr], py[pr], pz[pr], tuple(v[node] for v in cols[0:3]),
                                      tuple(v[node] for v in cols[3:6]), cols[6][node],
                                      tuple(v[node] for v in cols[7:10]))
            lb -= self.cap_r[node]
            np.minimum.at(upper, pr, _geodesic_upper_bound(c))
            # Beyond _CHORD_NEAR_M the chord bound loosens (by d**3 / 24 R**2): an
            # inverse solve from C gives the exact upper bound and the gradient bound
            # (only where the chord bound alone does not already drop the pair).
            far = np.flatnonzero((lb > _CHORD_NEAR_M) & (lb <= upper[pr]))
            hinged = np.zeros(pr.size, dtype=bool)
            if far.size:
                ref = self.node_ref[node[far]]
                az, _, s_far = GEOD.inv(self.lon_a[ref], self.lat_a[ref], plon[pr[far]], plat[pr[far]])
                s_far, az = np.asarray(s_far, dtype=float), np.asarray(az, dtype=float)
                np.minimum.at(upper, pr[far], s_far)
                nf = node[far]
                # At a frame, that solve is the frame's: the pair leaves the descent for the
                # frame's hinge bounds (no more solves below); elsewhere, the gradient bound.
                frame = self.node_is_frame[nf] & (s_far + self.node_reach[nf] < _GRADIENT_MAX_M)
                if frame.any():
                    # (a large frame not built yet is built for points past _HINGE_BUILD_M only:
                    # a near point's few far pairs are cheaper with the gradient bound)
                    fr = self._frames()
                    small = self.node_stop[nf] - self.node_start[nf] <= _HINGE_BUILD_PIECES
                    frame &= fr.built[nf] | small | (s_far >= _HINGE_BUILD_M)
                if frame.any():
                    hinged[far[frame]] = True
                    hinge_pairs.append((pr[far[frame]], nf[frame], s_far[frame], az[frame]))
                    far, nf, s_far, az = far[~frame], nf[~frame], s_far[~frame], az[~frame]
                grad = _gradient_lower_bound(s_far, az, self.node_xyz[nf], self.node_east[nf], self.node_north[nf],
                                             self.cap_a[nf], self.cap_b[nf], self.cap_r[nf], self.node_reach[nf])
                lb[far] = np.maximum(lb[far], grad)
            keep = (lb <= upper[pr]) & ~hinged
            pr, node = self._next_level(pr[keep], node[keep], leaf_rows, leaf_nodes)
        leaf_pairs = self._leaf_pairs(leaf_rows, leaf_nodes, max_pairs)
        if leaf_pairs is None:
            return False
        pts, pieces = leaf_pairs
        plb, u = self._chord_lower_bound(pp[pts], pieces[:, None])
        plb, u = plb[:, 0], u[:, 0]
        # The chord bound first (no inverse solve); far survivors get the gradient bound
        # (near ones need not: there the chord bound is within a metre of the truth).
        sel = plb <= upper[pts]
        pts, pieces, u, plb = pts[sel], pieces[sel], u[sel], plb[sel]
        far = np.flatnonzero(plb > _CHORD_NEAR_M)
        if far.size:
            glb = self._gradient_lb(pieces[far], pp[pts[far]], plon[pts[far]], plat[pts[far]], pts[far], upper)
            plb[far] = np.maximum(plb[far], glb)
        if hinge_pairs:
            hinged = self._hinge_descend(*(np.concatenate(c) for c in zip(*hinge_pairs)), upper, max_pairs=max_pairs)
            if hinged is None:
                return False
            hpts, hpieces, hlb, hu = hinged
            pts, pieces = np.concatenate([pts, hpts]), np.concatenate([pieces, hpieces])
            u, plb = np.concatenate([u, hu]), np.concatenate([plb, hlb])
        sel = plb <= upper[pts]
        pts, pieces, u, plb = pts[sel], pieces[sel], u[sel], plb[sel]
        # Most promising pair of each point first, so its exact value prunes the rest.
        order = np.lexsort((plb, pts))
        pts, pieces, u, plb = pts[order], pieces[order], u[order], plb[order]
        first = np.ones(pts.size, dtype=bool)
        first[1:] = pts[1:] != pts[:-1]
        self._exact_update(rows[pts[first]], pieces[first], u[first], lon, lat, tol_m, best, unique_rows=True,
                           lower_m=plb[first])
        rest = np.flatnonzero(~first & (plb <= best.d[rows[pts]]))
        # in runs of at most _DESCENT_PAIRS pairs (each run re-checked against the answers of the runs before)
        for i in range(0, rest.size, _DESCENT_PAIRS):
            run = rest[i : i + _DESCENT_PAIRS]
            run = run[plb[run] <= best.d[rows[pts[run]]]]
            self._exact_update(rows[pts[run]], pieces[run], u[run], lon, lat, tol_m, best, lower_m=plb[run])
        unsolved = ~np.isfinite(best.d[rows])
        if unsolved.any():  # would mean an upper bound was wrong: fail loudly, never report a wrong distance
            raise GeodesicError(
                f"no segment survived pruning for {int(unsolved.sum())} point(s); please report this with the input"
            )
        return True

    def _hinge_descend(self, pts, frames, s_c, az_c, upper, max_pairs=None):
        """The (point, piece) pairs below frames that the hinge bounds keep, with their lower bounds.

        ``pts`` (n,) point rows, ``frames`` (n,) frame nodes, ``s_c`` and
        ``az_c`` the exact distance (m) and azimuth (degrees) from each frame's
        reference vertex to its point (one inverse solve each).  Descends each
        frame's subtree with the hinge bounds (:func:`_hinge_image`): a node is
        dropped when the radius-b bound of its capsule exceeds the point's best
        upper bound, which each node's reference vertex lowers through the
        radius a**2/b bound.  Lowers ``upper`` in place; returns
        ``(pts, pieces, lower_bound_m, u)``, ``u`` the fraction along each piece
        of the foot on its image chord (where the exact iteration starts); None
        if it would hold more than ``max_pairs`` pairs at once.
        """
        fr = self._frames()
        fr.ensure(frames)
        pb = _hinge_image(s_c, az_c, _R_HINGE_LOWER)
        pu = _hinge_image(s_c, az_c, _R_HINGE_UPPER)
        bx, by, bz = (np.ascontiguousarray(pb[:, j]) for j in range(3))
        ux, uy, uz = (np.ascontiguousarray(pu[:, j]) for j in range(3))
        k = np.arange(pts.size)
        node = frames
        leaf_k, leaf_nodes = [np.empty(0, dtype=np.int64)], [np.empty(0, dtype=np.int64)]
        cols = fr.columns
        while k.size:
            if max_pairs is not None and k.size > max_pairs:
                return None
            d, _ = _segment_foot(bx[k], by[k], bz[k], tuple(v[node] for v in cols[0:3]),
                                 tuple(v[node] for v in cols[3:6]), cols[6][node])
            d -= fr.radius[node]
            lb = _hinge_lower_bound(d)
            ru = cols[7:10]
            up = (ux[k] - ru[0][node]) ** 2
            up += (uy[k] - ru[1][node]) ** 2
            up += (uz[k] - ru[2][node]) ** 2
            pk = pts[k]
            np.minimum.at(upper, pk, _hinge_upper_bound(np.sqrt(up)))
            keep = lb <= upper[pk]
            k, node = self._next_level(k[keep], node[keep], leaf_k, leaf_nodes)
        leaf_pairs = self._leaf_pairs(leaf_k, leaf_nodes, max_pairs)
        if leaf_pairs is None:
            return None
        k, pieces = leaf_pairs
        pc = fr.piece_columns
        d, u = _segment_foot(bx[k], by[k], bz[k], tuple(v[pieces] for v in pc[0:3]),
                             tuple(v[pieces] for v in pc[3:6]), pc[6][pieces])
        d -= fr.img_h[pieces]
        return pts[k], pieces, _hinge_lower_bound(d), u

    def _gradient_lb(self, pieces, pp, plon, plat, pts, upper):
        """Gradient lower bound of each (point, piece) pair from the piece's start vertex A.

        The piece is its own run: C = A, capsule = its chord with radius h, reach = its length.
        Also lowers ``upper`` to the exact distance to A.
        """
        az, _, s = GEOD.inv(self.lon_a[pieces], self.lat_a[pieces], plon, plat)
        s = np.asarray(s, dtype=float)
        np.minimum.at(upper, pts, s)
        return _gradient_lower_bound(s, np.asarray(az, dtype=float), self.xyz_a[pieces], self.piece_east[pieces],
                                     self.piece_north[pieces], self.xyz_a[pieces], self.xyz_b[pieces],
                                     self.h_m[pieces], self.length_m[pieces])

    def _walk(self, pts, prune, max_nodes=None):
        """Descend the capsule hierarchy for points ``pts`` (n, 3) level by level.

        ``prune(pr, node, axis, lb)`` gets each (point, node) pair's chord
        distance to the capsule axis and its lower bound, and returns the pairs
        to keep.  Returns the (point, piece) pairs under the surviving leaves.
        With ``max_nodes``, a point keeping more nodes than that at one level is
        dropped (it gets no pairs): the caller treats it as too busy to list.
        """
        pr = np.arange(pts.shape[0])
        node = np.zeros(pr.size, dtype=np.int64)
        leaf_rows, leaf_nodes = [np.empty(0, dtype=np.int64)], [np.empty(0, dtype=np.int64)]
        given_up = np.zeros(pts.shape[0], dtype=bool)
        while pr.size:
            axis = _point_segment_distance(pts[pr], self.cap_a[node], self.cap_b[node])
            keep = prune(pr, node, axis, axis - self.cap_r[node])
            pr, node = pr[keep], node[keep]
            if max_nodes is not None and pr.size:
                crowded = np.bincount(pr, minlength=pts.shape[0]) > max_nodes
                if crowded.any():
                    given_up |= crowded
                    ok = ~crowded[pr]
                    pr, node = pr[ok], node[ok]
            pr, node = self._next_level(pr, node, leaf_rows, leaf_nodes)
        ii = np.concatenate(leaf_rows)
        gg = np.concatenate(leaf_nodes)
        # Leaves sit at two depths (runs of 8 and 9 pieces split unevenly), so a
        # point given up at the deepest level may already hold leaves from the
        # level above: without them dropped too its list would be short and
        # *incomplete*, and would be used.
        kept = ~given_up[ii]
        return self._leaf_pieces(ii[kept], gg[kept])

    def _next_level(self, pr, node, leaf_rows, leaf_nodes):
        """One step of a level-by-level descent over the kept (row, node) pairs.

        Appends the pairs at leaves to ``leaf_rows`` / ``leaf_nodes`` and returns
        the pairs at the two children of every other node.
        """
        leaf = self.node_left[node] < 0
        leaf_rows.append(pr[leaf])
        leaf_nodes.append(node[leaf])
        inner = ~leaf
        return (np.concatenate([pr[inner], pr[inner]]),
                np.concatenate([self.node_left[node[inner]], self.node_right[node[inner]]]))

    def _leaf_pairs(self, rows, leaves, max_pairs=None):
        """The (row, piece) pairs under the (row, leaf) pairs a descent collected (lists of arrays).

        None if they would be more than ``max_pairs`` (the caller halves its block).
        """
        rows, leaves = np.concatenate(rows), np.concatenate(leaves)
        if max_pairs is not None and np.sum(self.node_stop[leaves] - self.node_start[leaves]) > max_pairs:
            return None
        return self._leaf_pieces(rows, leaves)

    def _leaf_pieces(self, rows, leaves):
        """Every (row, piece) pair under the given (row, leaf node) pairs."""
        counts = self.node_stop[leaves] - self.node_start[leaves]
        return np.repeat(rows, counts), _ranges(self.node_start[leaves], counts)

    def _collect(self, p, threshold, max_nodes=None):
        """Every (row, piece) pair whose chord lower bound is at most ``threshold[row]`` (m).

        With ``max_nodes``, rows that keep more nodes than that at a level get no pairs.
        """
        rows, pieces = self._walk(p, lambda pr, node, axis, lb: lb <= threshold[pr], max_nodes)
        plb, _ = self._chord_lower_bound(p[rows], pieces[:, None])
        keep = plb[:, 0] <= threshold[rows]
        return rows[keep], pieces[keep]

    def _cells(self, lon, lat, tol_m, workers=1):
        """Candidate lists for lon/lat cells holding the query points (see :class:`_CellLists`).

        For a point P in a cell with centre C and covering radius rho (geodesic,
        so also chord), the piece p* holding P's nearest point satisfies
        ``lb(C, p*) <= lb(P, p*) + rho <= d(P) + rho <= d(C) + 2 rho``: listing
        every piece with ``lb(C, p) <= d(C) + 2 rho`` cannot miss it.
        """
        near_pole = np.abs(lat) > 85.0
        if near_pole.all():
            return None
        lo, la = lon[~near_pole], lat[~near_pole]
        lat0 = float(np.median(la))
        stretch = 1.0 / max(np.cos(np.radians(lat0)), 0.1)
        span = max((np.ptp(lo) / stretch) * np.ptp(la), 1e-8)
        # about 16 points a cell, at most _CELL_MAX_COUNT cells (each costs a descent to build)
        side = float(np.clip(np.sqrt(span / min(max(lo.size / 16.0, 1.0), _CELL_MAX_COUNT)), 0.002, 0.1))
        cells = _CellLists(side, side * stretch)
        keys = np.unique(cells.keys(lo, la))
        ix, iy = cells.split(keys)
        clon, clat = (ix + 0.5) * cells.w, (iy + 0.5) * cells.h
        pc = ecef(clon, clat)
        # Cells whose centre is provably farther than _CELL_NEAR_M get no list, so
        # they are not built at all (a global file has a cell for nearly every point).
        near_cells = self._maybe_within(pc, _CELL_NEAR_M)
        if not near_cells.any():
            return None
        keys, clon, clat, pc = keys[near_cells], clon[near_cells], clat[near_cells], pc[near_cells]
        corners = [GEOD.inv(clon, clat, clon + sx * cells.w / 2, clat + sy * cells.h / 2)[2]
                   for sx in (-1, 1) for sy in (-1, 1)]
        rho = np.max(np.vstack(corners), axis=0) * 1.01 + _BOUND_MARGIN_M
        centre = _Best(keys.size)

        def lists(block):
            # Each block of cells writes only its own rows of ``centre``.
            self._descend(block, pc, clon, clat, tol_m, centre)
            # Far cells get no list (their points use the descent): a chord list
            # would grow with the distance, as the chord bound loosens.
            near = block[centre.d[block] <= _CELL_NEAR_M]
            # A cell whose list would be too long (a dense line: the band of
            # width 2 rho holds many pieces) is given up early, not built and dropped.
            rows, pieces = self._collect(pc[near], centre.d[near] + 2.0 * rho[near] + _BOUND_MARGIN_M,
                                         max_nodes=_CELL_MAX_CANDIDATES)
            return near[rows], pieces

        blocks = [b for b in np.array_split(np.arange(keys.size), max(workers, -(-keys.size // 2000))) if b.size]
        if len(blocks) > 1 and workers > 1:
            with ThreadPoolExecutor(max_workers=workers) as pool:
                found = list(pool.map(lists, blocks))
        else:
            found = [lists(b) for b in blocks]
        cells.build(keys, np.concatenate([f[0] for f in found]), np.concatenate([f[1] for f in found]))
        return cells

    def _maybe_within(self, p, threshold_m, depth=6):
        """Per point (n, 3): False where chord bounds prove every piece farther than ``threshold_m`` (m).

        Walks the top ``depth`` levels of the hierarchy only (a cheap filter: True
        is not a promise that the line is that near).
        """
        pr = np.arange(p.shape[0])
        node = np.zeros(pr.size, dtype=np.int64)
        maybe = np.zeros(p.shape[0], dtype=bool)
        for _ in range(depth):
            if not pr.size:
                break
            lb = _point_segment_distance(p[pr], self.cap_a[node], self.cap_b[node]) - self.cap_r[node]
            pr, node = pr[lb <= threshold_m], node[lb <= threshold_m]
            leaf = self.node_left[node] < 0
            maybe[pr[leaf]] = True
            inner = ~leaf & ~maybe[pr]
            pr = np.concatenate([pr[inner], pr[inner]])
            node = np.concatenate([self.node_left[node[inner]], self.node_right[node[inner]]])
        maybe[pr] = True
        return maybe

    def _solve_candidates(self, rows, cand, mask, p, lon, lat, tol_m, best):
        """Solve exactly every candidate whose lower bound does not exclude it.

        ``rows`` (n,) are point indices, ``cand`` (n, k) piece indices and
        ``mask`` (n, k) which of them are real (lists are padded).
        """
        lb, u = self._chord_lower_bound(p[rows], cand)
        lb = np.where(mask, lb, np.inf)
        # Round 1: each point's most promising piece gives an exact upper bound ...
        j = np.argmin(lb, axis=1)
        r = np.arange(rows.size)
        self._exact_update(rows, cand[r, j], u[r, j], lon, lat, tol_m, best, unique_rows=True)
        lb[r, j] = np.inf
        # ... round 2: every other piece whose bound does not exceed it.
        ii, jj = np.nonzero(lb <= best.d[rows][:, None])
        if ii.size:
            self._exact_update(rows[ii], cand[ii, jj], u[ii, jj], lon, lat, tol_m, best)

    def _exact_update(self, rows, pieces, u, lon, lat, tol_m, best, unique_rows=False, lower_m=None):
        """Solve (point, piece) pairs exactly and keep each point's nearest.

        ``u`` is each pair's start (fraction along the piece).  A pair that
        starts at the vertex a point's best foot is already on would begin with
        the very inverse geodesic solved for that foot (same two points, bit
        for bit); its first step is taken from the stored solve, and it is
        solved only if that step moves it off the vertex.  ``unique_rows``:
        no point appears twice.  ``lower_m``: each pair's lower bound (m), if
        known (see :meth:`exact`).
        """
        if rows.size == 0:
            return
        length = self.length_m[pieces]
        t0 = u * length
        vertex = np.where(u <= 0.0, self.vid_a[pieces], np.where(u >= 1.0, self.vid_b[pieces], -1))
        held = best.vertex[rows]
        # (not where the distance may be non-convex along the piece: there the other end is solved too)
        reuse = ((vertex >= 0) & (vertex == held) & self.reuse_vertex_solves
                 & (best.d[rows] + length < _CONVEX_BELOW_M))
        if reuse.any():
            r = rows[reuse]
            s = best.d[r]
            dir_x = np.where(u[reuse] <= 0.0, self.az_a[pieces[reuse]], self.az_b[pieces[reuse]])
            step = _interception_step(s, best.az_xp[r], dir_x, best.lat[r])
            ta = t0[reuse]
            stays = np.abs(np.clip(ta + step, 0.0, length[reuse]) - ta) <= tol_m
            reuse[np.flatnonzero(reuse)[~stays]] = False
        solve = np.flatnonzero(~reuse)
        d, t, xlon, xlat, az, az_xp = self.exact(lon[rows[solve]], lat[rows[solve]], pieces[solve], t0[solve],
                                                 tol_m, with_azimuth=True,
                                                 lower_m=None if lower_m is None else lower_m[solve])
        if solve.size < rows.size:
            kept = np.flatnonzero(reuse)
            r = rows[kept]
            order = np.argsort(np.concatenate([solve, kept]), kind="stable")
            d, t, xlon, xlat, az, az_xp = (np.concatenate(pair)[order] for pair in (
                (d, best.d[r]), (t, t0[kept]), (xlon, best.lon[r]), (xlat, best.lat[r]), (az, best.az[r]),
                (az_xp, best.az_xp[r])))
        if unique_rows:
            best.n_exact[rows] += 1
        else:
            np.add.at(best.n_exact, rows, 1)
            # Several pairs may update the same point: keep the smallest per point.
            # Distances within _TIE_M of each other are a tie (a vertex shared by two
            # pieces), broken towards the lower piece index, so the reported segment
            # does not depend on which pieces a query happened to solve first.
            uniq, inv = np.unique(rows, return_inverse=True)
            row_min = np.full(uniq.size, np.inf)
            np.minimum.at(row_min, inv, d)
            contender = d <= row_min[inv] + _TIE_M
            order = np.lexsort((pieces, ~contender, rows))
            rows, pieces, d, t, xlon, xlat, az, az_xp = (
                a[order] for a in (rows, pieces, d, t, xlon, xlat, az, az_xp))
            first = np.ones(rows.size, dtype=bool)
            first[1:] = rows[1:] != rows[:-1]
            rows, pieces, d, t, xlon, xlat, az, az_xp = (
                a[first] for a in (rows, pieces, d, t, xlon, xlat, az, az_xp))
        held = best.d[rows]
        better = (d < held - _TIE_M) | ((d <= held + _TIE_M) & (pieces < best.piece[rows]))
        r = rows[better]
        pc = pieces[better]
        tb = t[better]
        best.d[r] = d[better]
        best.piece[r] = pc
        best.t[r] = tb
        best.lon[r] = xlon[better]
        best.lat[r] = xlat[better]
        best.az[r] = az[better]
        best.az_xp[r] = az_xp[better]
        best.vertex[r] = np.where(tb <= 0.0, self.vid_a[pc], np.where(tb >= self.length_m[pc], self.vid_b[pc], -1))

    def _along(self, pieces, lon_a, lat_a, az_a, t, length):
        """The point at offset ``t`` along each piece and the piece's direction there.

        A piece's end vertices and directions are stored, so only points strictly
        inside a piece need a direct geodesic solve.
        """
        at_a = t <= 0.0
        at_b = ~at_a & (t >= length)
        inner = ~(at_a | at_b)
        fx = np.where(at_a, lon_a, self.lon_b[pieces])
        fy = np.where(at_a, lat_a, self.lat_b[pieces])
        dir_x = np.where(at_a, az_a, self.az_b[pieces])
        if inner.any():
            ix, iy, back = GEOD.fwd(lon_a[inner], lat_a[inner], az_a[inner], t[inner])
            fx[inner] = ix
            fy[inner] = iy
            # The direction of the piece at X is opposite the back azimuth.
            dir_x[inner] = np.asarray(back, dtype=float) + 180.0
        return fx, fy, dir_x

    def exact(self, plon, plat, pieces, t_start, tol_m=1e-5, max_iter=100, with_azimuth=False, lower_m=None):
        """Exact distance from points to pieces (pairwise), by interception.

        Returns ``(distance_m, offset_m, foot_lon, foot_lat)`` where the offset is
        along the piece from its start.

        The interception step models the distance on a sphere of the local
        Gaussian radius.  Near a quarter circle (9,950-10,060 km, the point
        nearly square to the piece) that model's curvature ``cot(s/R)/R`` can be
        several times off or of the wrong sign, and the plain iteration
        overshoots back and forth for ever.  So each pair keeps the bracket of
        offsets already visited: below ``lo`` the distance falls forward, above
        ``hi`` it falls backward (the sign of the slope, ``cos alpha``, is exact
        by the first variation), so a minimum lies between.  A step that would
        leave the bracket, and every step after :data:`_NEWTON_STEPS`, is
        replaced by bisection (an unvisited piece end first); the bracket then
        halves each step, so the iteration ends in about log2(L / tol_m) more.
        A step that stays inside is taken as before, so pairs that converge in
        a few steps (all but these far, square ones) are unchanged bit for bit.

        ``lower_m`` (optional, per pair): a lower bound of the distance (m).
        Where it is at least :data:`_CONCAVE_ABOVE_M` the distance is concave
        along the whole piece, so its minimum is at an end: no iteration, only
        the two ends are solved.
        """
        lon_a = self.lon_a[pieces]
        lat_a = self.lat_a[pieces]
        az_a = self.az_a[pieces]
        length = self.length_m[pieces]
        t = np.clip(np.asarray(t_start, dtype=float), 0.0, length)
        n = t.shape[0]
        d = np.empty(n)
        t_at = np.empty(n)
        xlon = np.empty(n)
        xlat = np.empty(n)
        az_px = np.empty(n)
        az_x = np.empty(n)
        active = np.arange(n)
        if lower_m is not None:
            # wholly in the concave range: the ends below decide (d = inf until then)
            concave = np.asarray(lower_m) >= _CONCAVE_ABOVE_M
            d[concave] = np.inf
            t_at[concave] = 0.0
            active = active[~concave]
        # offsets visited where the distance falls forward (lo) and backward (hi)
        lo = np.full(n, -np.inf)
        hi = np.full(n, np.inf)
        for it in range(max_iter):
            if active.size == 0:
                break
            ta = t[active]
            fx, fy, dir_x = self._along(pieces[active], lon_a[active], lat_a[active], az_a[active], ta,
                                        length[active])
            az_xp, back_px, s = GEOD.inv(fx, fy, plon[active], plat[active])
            s = np.asarray(s, dtype=float)
            az_xp = np.asarray(az_xp, dtype=float)
            step = _interception_step(s, az_xp, dir_x, fy)
            forward, backward = step > 0, step < 0
            lo_a = np.where(forward, ta, lo[active])
            hi_a = np.where(backward, ta, hi[active])
            lo[active], hi[active] = lo_a, hi_a
            t_new = ta + step
            bisect = (t_new >= hi_a) | (t_new <= lo_a) | ((it >= _NEWTON_STEPS) & (np.abs(step) > tol_m))
            if bisect.any():
                both = np.isfinite(lo_a) & np.isfinite(hi_a)
                with np.errstate(invalid="ignore"):  # -inf + inf where a side is still open: not used
                    mid = 0.5 * (lo_a + hi_a)
                t_new = np.where(bisect, np.where(both, mid, np.where(forward, np.inf, -np.inf)), t_new)
            t_new = np.clip(t_new, 0.0, length[active])
            d[active] = s
            t_at[active] = ta
            xlon[active] = fx
            xlat[active] = fy
            az_px[active] = back_px  # from the point towards X
            az_x[active] = az_xp  # from X towards the point
            moved = np.abs(t_new - ta)
            t[active] = t_new
            active = active[moved > tol_m]
        else:
            if active.size:
                raise GeodesicError(
                    f"interception did not converge for {active.size} point(s) within {max_iter} steps; "
                    "please report this with the input"
                )
        t = t_at
        # Where the distance may not be convex along the piece (the point is
        # nearly a quarter meridian away or more), the iteration may stop at an
        # end or a stationary point that is not the minimum: both ends are
        # solved too and the smallest of the three is kept.  Beyond about
        # 10,053 km the distance is concave along the piece, so its minimum is at an end.
        far = np.flatnonzero(d + length >= _CONVEX_BELOW_M)
        if far.size:
            pc = pieces[far]
            for end_lon, end_lat, end_t in ((lon_a[far], lat_a[far], np.zeros(far.size)),
                                            (self.lon_b[pc], self.lat_b[pc], length[far])):
                e_az, e_back, e_d = GEOD.inv(end_lon, end_lat, plon[far], plat[far])
                e_d = np.asarray(e_d, dtype=float)
                lower = e_d < d[far]
                k = far[lower]
                d[k], t[k], xlon[k], xlat[k] = e_d[lower], end_t[lower], end_lon[lower], end_lat[lower]
                az_px[k], az_x[k] = np.asarray(e_back)[lower], np.asarray(e_az)[lower]
        if with_azimuth:
            return d, t, _wrap180(xlon), xlat, az_px, az_x
        return d, t, _wrap180(xlon), xlat


class _Frames:
    """Comparison frames of a :class:`SegmentIndex`: hinge images of its pieces, capsules of its nodes.

    A *frame* is a highest node of the hierarchy whose reach (the bound of the
    geodesic distance from its reference vertex C to any arc point below it)
    is within its limit (:data:`_FRAME_REACH_M`, less over short pieces, see
    :data:`_HINGE_SLACK_PER_M2`); the frames tile the pieces (a short line is
    one frame, its root).  When a point first enters a frame, every piece end
    below it is solved once from its C (one inverse geodesic per vertex) and
    mapped to its hinge images (:func:`_hinge_image`); frames no point enters
    are never built.  A point then needs one inverse solve from C per frame it
    enters: its own images, with the capsules below, bound every piece of the
    frame from below (radius-b sphere) and every node's reference vertex from
    above (radius a**2/b), without further solves.

    Arrays (NaN until their frame is built): ``frame_of`` (per node: its
    frame, -1 above the frames; the index's ``node_frame``); ``piece_frame``
    (per piece: its frame, -1 if none); ``img_a``, ``img_b`` (per piece,
    (m, 3): its ends' images on the radius-b sphere in its frame's
    coordinates); ``img_h`` (per piece: the capsule radius of its image
    curve); ``columns`` (per node: the axis start, axis vector and
    1/|axis|**2 of the capsule holding the images below it, then the image of
    its reference vertex on the radius a**2/b sphere, as columns) and
    ``radius``; ``piece_columns`` (per piece: its image chord's start, vector
    and 1/|chord|**2).  Build cost per frame: one inverse solve per vertex and
    one pass over its pieces per level, in runs of :data:`_CAPSULE_ROWS` rows.
    """

    def __init__(self, index):
        self.index = index
        n_nodes, m = index.node_start.size, index.n_pieces
        self.frame_of = index.node_frame
        frames = np.flatnonzero(index.node_is_frame)
        counts = index.node_stop[frames] - index.node_start[frames]
        covered = _ranges(index.node_start[frames], counts)
        self.piece_frame = np.full(m, -1, dtype=np.int64)
        self.piece_frame[covered] = np.repeat(frames, counts)
        # the nodes of each frame's subtree, as runs of one sorted order
        below = np.flatnonzero(self.frame_of >= 0)
        self._nodes_by_frame = below[np.argsort(self.frame_of[below], kind="stable")]
        self._frame_keys = self.frame_of[self._nodes_by_frame]
        self.built = np.zeros(n_nodes, dtype=bool)
        self._lock = threading.Lock()
        self.img_a, self.img_b = np.full((m, 3), np.nan), np.full((m, 3), np.nan)
        self.img_h = np.full(m, np.nan)
        self._ell_a, self._az_a = np.full(m, np.nan), np.full(m, np.nan)
        self.radius = np.full(n_nodes, np.nan)
        self.columns = tuple(np.full(n_nodes, np.nan) for _ in range(10))
        self.piece_columns = tuple(np.full(m, np.nan) for _ in range(7))

    def ensure(self, frames):
        """Build the frames among ``frames`` (node ids) not built yet (thread-safe)."""
        need = np.unique(frames[~self.built[frames]])
        if need.size:
            with self._lock:
                need = need[~self.built[need]]
                if need.size:
                    self._build(need)
                    self.built[need] = True

    def _build(self, frames):
        index = self.index
        counts = index.node_stop[frames] - index.node_start[frames]
        covered = _ranges(index.node_start[frames], counts)
        pf = self.piece_frame
        # Each piece end solved once from its frame's reference vertex; a piece's
        # end B is the next piece's start A where the line is continuous within a frame.
        c = index.node_ref[pf[covered]]
        az, _, ell = GEOD.inv(index.lon_a[c], index.lat_a[c], index.lon_a[covered], index.lat_a[covered])
        self._ell_a[covered], self._az_a[covered] = ell, az
        img_a = _hinge_image(np.asarray(ell, dtype=float), np.asarray(az, dtype=float), _R_HINGE_LOWER)
        self.img_a[covered] = img_a
        same_next = np.zeros(covered.size, dtype=bool)
        nxt = np.minimum(covered + 1, index.n_pieces - 1)
        same_next[:] = (covered + 1 < index.n_pieces) & index._piece_joined[covered] & (pf[nxt] == pf[covered])
        shared = covered[same_next]
        self.img_b[shared] = self.img_a[shared + 1]
        own = covered[~same_next]
        c = index.node_ref[pf[own]]
        az, _, ell = GEOD.inv(index.lon_a[c], index.lat_a[c], index.lon_b[own], index.lat_b[own])
        self.img_b[own] = _hinge_image(np.asarray(ell, dtype=float), np.asarray(az, dtype=float), _R_HINGE_LOWER)
        img_a, img_b = self.img_a[covered], self.img_b[covered]
        chord = np.linalg.norm(img_b - img_a, axis=1)
        length = index.length_m[covered]
        with np.errstate(invalid="ignore"):
            # within h of the chord while L <= 5c/3 (module docstring); always within L/2 of an end
            h = np.where(length <= (5.0 / 3.0) * chord, 0.5 * np.sqrt(np.maximum(length**2 - chord**2, 0.0)),
                         0.5 * length)
        self.img_h[covered] = h + _BOUND_MARGIN_M
        ab = img_b - img_a
        ab2 = np.einsum("ij,ij->i", ab, ab)
        with np.errstate(divide="ignore", invalid="ignore"):
            inv_ab2 = np.where(ab2 > 0, 1.0 / np.where(ab2 > 0, ab2, 1.0), 0.0)
        for j in range(3):
            self.piece_columns[j][covered] = img_a[:, j]
            self.piece_columns[3 + j][covered] = ab[:, j]
        self.piece_columns[6][covered] = inv_ab2
        # Node capsules, from their pieces, for the nodes below these frames.
        lo = np.searchsorted(self._frame_keys, frames, side="left")
        hi = np.searchsorted(self._frame_keys, frames, side="right")
        ids = self._nodes_by_frame[np.concatenate([np.arange(a, b) for a, b in zip(lo, hi)])]
        start, stop = index.node_start[ids], index.node_stop[ids]
        s0, s1 = self.img_a[start], self.img_b[stop - 1]
        # Nodes of at most _FRAME_EXACT_PIECES pieces get their radius from their
        # pieces; larger ones from the base nodes below them (the largest of at most
        # that many pieces, which tile their run), as in SegmentIndex._build_capsules:
        # every image below base node g is within r_g of g's axis, whose points are
        # within the larger of its ends' distances to the node's axis.
        n = stop - start
        small = n <= _FRAME_EXACT_PIECES
        sm = np.flatnonzero(small)
        for sel in _row_batches(sm, n[sm]):
            nb = n[sel]
            first = np.cumsum(nb) - nb
            piece_of = _ranges(start[sel], nb)
            a0, a1 = np.repeat(s0[sel], nb, axis=0), np.repeat(s1[sel], nb, axis=0)
            d = np.maximum(_point_segment_distance(self.img_a[piece_of], a0, a1),
                           _point_segment_distance(self.img_b[piece_of], a0, a1)) + self.img_h[piece_of]
            self.radius[ids[sel]] = np.maximum.reduceat(d, first) + _BOUND_MARGIN_M
        big = np.flatnonzero(~small)
        if big.size:
            parent = index._node_parent[ids[sm]]
            base = sm[(parent < 0) | (index.node_stop[np.maximum(parent, 0)] - index.node_start[np.maximum(parent, 0)]
                                      > _FRAME_EXACT_PIECES) | (self.frame_of[np.maximum(parent, 0)] < 0)]
            node_of, base_of, first = _base_runs(start, stop, base, big)
            d = np.maximum(_point_segment_distance(s0[base_of], s0[node_of], s1[node_of]),
                           _point_segment_distance(s1[base_of], s0[node_of], s1[node_of]))
            self.radius[ids[big]] = np.maximum.reduceat(d + self.radius[ids[base_of]], first) + _BOUND_MARGIN_M
        axis = s1 - s0
        axis2 = np.einsum("ij,ij->i", axis, axis)
        with np.errstate(divide="ignore", invalid="ignore"):
            inv_axis2 = np.where(axis2 > 0, 1.0 / np.where(axis2 > 0, axis2, 1.0), 0.0)
        r = index.node_ref[ids]
        ref_up = _hinge_image(self._ell_a[r], self._az_a[r], _R_HINGE_UPPER)
        for j in range(3):
            self.columns[j][ids] = s0[:, j]
            self.columns[3 + j][ids] = axis[:, j]
            self.columns[7 + j][ids] = ref_up[:, j]
        self.columns[6][ids] = inv_axis2


def azimuth_deg(lon0, lat0, lon1, lat1):
    """Forward azimuth (degrees clockwise from north) of the geodesic from point 0 to point 1.

    NaN where the two points coincide.
    """
    az, _, dist = GEOD.inv(lon0, lat0, lon1, lat1)
    az = np.asarray(az, dtype=float)
    return np.where(np.asarray(dist) > 0, az % 360.0, np.nan)


def geodesic_distance_m(lon0, lat0, lon1, lat1):
    """Geodesic distance (m) on WGS84 between point pairs (lon/lat degrees)."""
    _, _, dist = GEOD.inv(lon0, lat0, lon1, lat1)
    return np.asarray(dist, dtype=float)


__all__ = [
    "METHOD",
    "GEOD",
    "Segments",
    "SegmentIndex",
    "ecef",
    "azimuth_deg",
    "geodesic_distance_m",
]
