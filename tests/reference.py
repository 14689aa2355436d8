"""An independent reference for point-to-geodesic-segment distance.

Pure-Python GeographicLib (the ``geographiclib`` package, not PROJ's C port that
geomap uses): a dense scan along the segment's geodesic followed by a
golden-section search around the best sample.  Slow (tens of ms per pair) and
independent of geomap's interception iteration and pruning.
"""

from __future__ import annotations

import math

from geographiclib.geodesic import Geodesic

WGS84 = Geodesic.WGS84
_GOLD = (math.sqrt(5) - 1) / 2


def point_segment_distance(plon, plat, alon, alat, blon, blat, samples=400):
    """Return (distance_m, foot_lon, foot_lat) from P to the geodesic segment AB."""
    line = WGS84.InverseLine(alat, alon, blat, blon)
    length = line.s13

    def f(s):
        pos = line.Position(s)
        return WGS84.Inverse(plat, plon, pos["lat2"], pos["lon2"])["s12"]

    if length == 0:
        return f(0.0), alon, alat
    step = length / samples
    values = [f(i * step) for i in range(samples + 1)]
    i = min(range(samples + 1), key=values.__getitem__)
    lo, hi = max(0.0, (i - 1) * step), min(length, (i + 1) * step)
    x1 = hi - _GOLD * (hi - lo)
    x2 = lo + _GOLD * (hi - lo)
    f1, f2 = f(x1), f(x2)
    while hi - lo > 1e-7:
        if f1 < f2:
            hi, x2, f2 = x2, x1, f1
            x1 = hi - _GOLD * (hi - lo)
            f1 = f(x1)
        else:
            lo, x1, f1 = x1, x2, f2
            x2 = lo + _GOLD * (hi - lo)
            f2 = f(x2)
    best_s = 0.5 * (lo + hi)
    candidates = [(f(best_s), best_s), (values[0], 0.0), (values[-1], length)]
    d, s = min(candidates)
    pos = line.Position(s)
    return d, pos["lon2"], pos["lat2"]


def point_line_distance(plon, plat, coords):
    """Reference distance from P to a polyline (list of (lon, lat)), brute force over segments."""
    return min(
        point_segment_distance(plon, plat, *coords[i], *coords[i + 1])[0] for i in range(len(coords) - 1)
    )


def destination(lon, lat, azimuth_deg, distance_m):
    """(lon, lat) reached from a point along a geodesic (GeographicLib Direct)."""
    r = WGS84.Direct(lat, lon, azimuth_deg, distance_m)
    return r["lon2"], r["lat2"]
