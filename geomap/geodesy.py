"""Exact distances from points to geodesic polylines on the WGS84 ellipsoid.

This is geomap's numerical core.  A line of contact is a set of segments, each
the *geodesic* between two consecutive vertices.  For every point we find the
nearest point on the whole line and its geodesic distance, exactly (to well
under a millimetre), in three stages:

1. **Candidates.**  Long segments are cut into pieces of at most
   ``piece_m`` metres *along the same geodesic* (the cut points are computed
   with ``Geod.fwd``, so each piece is an exact sub-arc of its segment).  The
   pieces' chord midpoints go into a k-d tree in Earth-centred (ECEF)
   Cartesian coordinates.
2. **Provable pruning.**  A straight line in space is never longer than a
   path on the ellipsoid, so the chord (3-D Euclidean) distance from a point to
   any point of a piece is a lower bound of the geodesic distance.  Two
   rigorous bounds follow from ``|X - A| <= s`` and ``|X - B| <= L - s`` for a
   point ``X`` at arc length ``s`` along a piece ``AB`` of geodesic length
   ``L`` and chord ``c``:

   * every point of the arc lies within ``r = sqrt(L**2/2 - c**2/4)`` of the
     chord midpoint (a ball used with the k-d tree), and
   * within ``h = sqrt(L**2 - c**2) / 2`` of the chord segment itself
     (valid while ``L <= 5c/3``, always true for pieces shorter than a few
     thousand kilometres).

   A piece is computed exactly only if its lower bound
   ``chord_distance(P, AB) - h`` does not exceed the best exact distance found
   so far; pieces outside the k nearest balls are excluded by
   ``|P - M_k| - r_max > best`` (k grows until that holds).  No piece that could
   hold the nearest point is ever skipped.
3. **Exact interception.**  For each surviving (point, piece) pair the foot of
   the geodesic perpendicular is found by the iteration of Baselga &
   Martínez-Llario (2018), refined as in Karney (2024): from the current foot
   ``X`` at offset ``t`` along the piece, with ``s = |XP|`` and ``alpha`` the
   angle at ``X`` between the piece and the geodesic to ``P``, move by
   ``R * atan2(sin(s/R) cos(alpha), cos(s/R))`` and clamp to the piece.  It
   starts at the foot of the chord perpendicular (already within millimetres
   for short pieces) and converges to below ``tol_m`` in two to four steps.
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
    "candidates pruned by provable chord bounds)"
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


def gaussian_radius(lat):
    """Gaussian mean radius of curvature sqrt(M N) of WGS84 at ``lat`` degrees (m)."""
    s = np.sin(np.radians(lat))
    w = 1.0 - WGS84_E2 * s * s
    return WGS84_A * np.sqrt(1.0 - WGS84_E2) / w


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


class SegmentIndex:
    """A prepared line: geodesic pieces, their bounds and a k-d tree.

    Build once per line layer; query many times with :meth:`nearest`.

    Parameters
    ----------
    segments : Segments
        The line's geodesic segments (lon/lat degrees).
    piece_m : float
        Longest piece (m) a segment is cut into for indexing.  Only affects
        speed, never the result.
    """

    def __init__(self, segments: Segments, piece_m: float = 5_000.0):
        from scipy.spatial import cKDTree

        if len(segments) == 0:
            raise ValueError("a line needs at least one segment")
        self.segments = segments
        az, _, length = GEOD.inv(segments.lon0, segments.lat0, segments.lon1, segments.lat1)
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
        # Piece end points on the parent geodesic (exact sub-arcs).
        lon_a, lat_a, back_a = GEOD.fwd(segments.lon0[owner], segments.lat0[owner], az[owner], t0)
        lon_b, lat_b, _ = GEOD.fwd(segments.lon0[owner], segments.lat0[owner], az[owner], t1)
        # Pin the exact stored vertices where the pieces meet them.
        lon_a = np.where(k == 0, segments.lon0[owner], lon_a)
        lat_a = np.where(k == 0, segments.lat0[owner], lat_a)
        last = k == n_pieces[owner] - 1
        lon_b = np.where(last, segments.lon1[owner], lon_b)
        lat_b = np.where(last, segments.lat1[owner], lat_b)
        az_a = np.where(k == 0, az[owner], _wrap180(np.asarray(back_a) + 180.0))
        self.owner = owner
        self.t0_m = t0
        self.lon_a = np.asarray(lon_a, dtype=float)
        self.lat_a = np.asarray(lat_a, dtype=float)
        self.lon_b = np.asarray(lon_b, dtype=float)
        self.lat_b = np.asarray(lat_b, dtype=float)
        self.az_a = np.asarray(az_a, dtype=float)
        self.length_m = t1 - t0
        # Zero-length (repeated-vertex) segments have an arbitrary azimuth; harmless.
        self.xyz_a = ecef(self.lon_a, self.lat_a)
        self.xyz_b = ecef(self.lon_b, self.lat_b)
        chord = np.linalg.norm(self.xyz_b - self.xyz_a, axis=1)
        self.chord_m = chord
        L2 = self.length_m**2
        c2 = chord**2
        #: arc-to-chord-segment bound h (m)
        self.h_m = 0.5 * np.sqrt(np.maximum(L2 - c2, 0.0)) + _BOUND_MARGIN_M
        #: arc-to-chord-midpoint ball radius r (m)
        self.r_m = np.sqrt(np.maximum(0.5 * L2 - 0.25 * c2, 0.25 * c2)) + _BOUND_MARGIN_M
        if np.any(self.length_m > (5.0 / 3.0) * chord + 1e-6):
            # The chord-segment bound h needs L <= 5c/3; only pieces of thousands of km break it.
            raise GeodesicError("a line segment is too long for the chord bound: lower piece_m")
        self.r_max_m = float(self.r_m.max())
        self.mid = 0.5 * (self.xyz_a + self.xyz_b)
        self.tree = cKDTree(self.mid)
        self.n_pieces = int(owner.shape[0])

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
            "segment_row": np.full(n, -1, dtype=np.int64),
            "offset_m": np.full(n, np.nan),
            "n_exact": np.zeros(n, dtype=np.int64),
            "piece": np.full(n, -1, dtype=np.int64),
        }
        valid = np.flatnonzero(np.isfinite(lon) & np.isfinite(lat))
        bounds = [valid[i : i + chunk] for i in range(0, valid.shape[0], chunk)]

        def run(idx):
            res = self._nearest_chunk(lon[idx], lat[idx], tol_m)
            for key, val in res.items():
                out[key][idx] = val

        if workers > 1 and len(bounds) > 1:
            with ThreadPoolExecutor(max_workers=workers) as pool:
                list(pool.map(run, bounds))
        else:
            for idx in bounds:
                run(idx)
        return out

    def _nearest_chunk(self, lon, lat, tol_m):
        n = lon.shape[0]
        p = ecef(lon, lat)
        best_d = np.full(n, np.inf)
        best_piece = np.full(n, -1, dtype=np.int64)
        best_t = np.zeros(n)
        best_lon = np.full(n, np.nan)
        best_lat = np.full(n, np.nan)
        n_exact = np.zeros(n, dtype=np.int64)

        k = min(8, self.n_pieces)
        todo = np.arange(n)
        while todo.size:
            dist_k, cand = self.tree.query(p[todo], k=k)
            dist_k = dist_k.reshape(todo.size, -1)
            cand = cand.reshape(todo.size, -1)
            rows = np.repeat(todo, cand.shape[1])
            pieces = cand.ravel()
            self._solve_pairs(rows, pieces, p, lon, lat, tol_m, best_d, best_piece, best_t,
                              best_lon, best_lat, n_exact)
            if k >= self.n_pieces:
                break
            # Pieces not among the k nearest have |P - M| >= dist_k[:, -1].
            unproven = dist_k[:, -1] - self.r_max_m <= best_d[todo]
            todo = todo[unproven]
            k = min(k * 4, self.n_pieces)
        return {
            "distance_m": best_d,
            "nearest_lon": best_lon,
            "nearest_lat": best_lat,
            "segment_row": np.where(best_piece >= 0, self.owner[np.maximum(best_piece, 0)], -1),
            "offset_m": best_t + self.t0_m[np.maximum(best_piece, 0)],
            "n_exact": n_exact,
            "piece": best_piece,
        }

    def _chord_lower_bound(self, p, pieces):
        """Lower bound (m) of the geodesic distance from points ``p`` to pieces, and the chord foot fraction."""
        a = self.xyz_a[pieces]
        ab = self.xyz_b[pieces] - a
        ap = p - a
        ab2 = np.einsum("ij,ij->i", ab, ab)
        with np.errstate(invalid="ignore", divide="ignore"):
            u = np.where(ab2 > 0, np.einsum("ij,ij->i", ap, ab) / ab2, 0.0)
        u = np.clip(u, 0.0, 1.0)
        foot = a + u[:, None] * ab
        chord_d = np.linalg.norm(p - foot, axis=1)
        return chord_d - self.h_m[pieces], u

    def _solve_pairs(self, rows, pieces, p, lon, lat, tol_m, best_d, best_piece, best_t,
                     best_lon, best_lat, n_exact):
        lb, u = self._chord_lower_bound(p[rows], pieces)
        # Skip pairs already solved for this point (earlier, smaller k).
        keep = pieces != best_piece[rows]
        rows, pieces, lb, u = rows[keep], pieces[keep], lb[keep], u[keep]
        if rows.size == 0:
            return
        # Visit pairs in order of increasing lower bound: the first solved pair
        # of each point sets a tight upper bound that prunes the rest.
        order = np.lexsort((lb, rows))
        rows, pieces, lb, u = rows[order], pieces[order], lb[order], u[order]
        first = np.ones(rows.size, dtype=bool)
        first[1:] = rows[1:] != rows[:-1]
        # Round 1: each point's most promising pair (if it can beat the best so far).
        sel = first & (lb <= best_d[rows])
        self._exact_update(rows[sel], pieces[sel], u[sel], lon, lat, tol_m, best_d, best_piece,
                           best_t, best_lon, best_lat, n_exact)
        # Round 2: every other pair whose bound does not exclude it.
        rest = ~first
        sel = rest & (lb <= best_d[rows])
        if np.any(sel):
            self._exact_update(rows[sel], pieces[sel], u[sel], lon, lat, tol_m, best_d, best_piece,
                               best_t, best_lon, best_lat, n_exact)

    def _exact_update(self, rows, pieces, u, lon, lat, tol_m, best_d, best_piece, best_t,
                      best_lon, best_lat, n_exact):
        if rows.size == 0:
            return
        d, t, xlon, xlat = self.exact(lon[rows], lat[rows], pieces, u * self.length_m[pieces], tol_m)
        np.add.at(n_exact, rows, 1)
        # Several pairs may update the same point: keep the smallest per point.
        order = np.lexsort((d, rows))
        rows, pieces, d, t, xlon, xlat = (a[order] for a in (rows, pieces, d, t, xlon, xlat))
        first = np.ones(rows.size, dtype=bool)
        first[1:] = rows[1:] != rows[:-1]
        rows, pieces, d, t, xlon, xlat = (a[first] for a in (rows, pieces, d, t, xlon, xlat))
        better = d < best_d[rows]
        r = rows[better]
        best_d[r] = d[better]
        best_piece[r] = pieces[better]
        best_t[r] = t[better]
        best_lon[r] = xlon[better]
        best_lat[r] = xlat[better]

    def exact(self, plon, plat, pieces, t_start, tol_m=1e-5, max_iter=30):
        """Exact distance from points to pieces (pairwise), by interception.

        Returns ``(distance_m, offset_m, foot_lon, foot_lat)`` where the offset is
        along the piece from its start.
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
        active = np.arange(n)
        for _ in range(max_iter):
            if active.size == 0:
                break
            ta = t[active]
            fx, fy, back = GEOD.fwd(lon_a[active], lat_a[active], az_a[active], ta)
            fx = np.asarray(fx, dtype=float)
            fy = np.asarray(fy, dtype=float)
            # The direction of the piece at X is opposite the back azimuth.
            dir_x = np.asarray(back, dtype=float) + 180.0
            az_xp, _, s = GEOD.inv(fx, fy, plon[active], plat[active])
            s = np.asarray(s, dtype=float)
            alpha = np.radians(np.asarray(az_xp, dtype=float) - dir_x)
            radius = gaussian_radius(fy)
            step = radius * np.arctan2(np.sin(s / radius) * np.cos(alpha), np.cos(s / radius))
            step = np.where(s > 0, step, 0.0)
            t_new = np.clip(ta + step, 0.0, length[active])
            d[active] = s
            t_at[active] = ta
            xlon[active] = fx
            xlat[active] = fy
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
        # Guard: never report more than the distance to either end of the piece.
        _, _, da = GEOD.inv(plon, plat, lon_a, lat_a)
        _, _, db = GEOD.inv(plon, plat, self.lon_b[pieces], self.lat_b[pieces])
        da = np.asarray(da, dtype=float)
        db = np.asarray(db, dtype=float)
        use_a = da < d
        d = np.where(use_a, da, d)
        t = np.where(use_a, 0.0, t)
        xlon = np.where(use_a, lon_a, xlon)
        xlat = np.where(use_a, lat_a, xlat)
        use_b = db < d
        d = np.where(use_b, db, d)
        t = np.where(use_b, length, t)
        xlon = np.where(use_b, self.lon_b[pieces], xlon)
        xlat = np.where(use_b, self.lat_b[pieces], xlat)
        return d, t, _wrap180(xlon), xlat


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
