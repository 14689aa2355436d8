"""Distances from incidents (points or areas) to a line of contact.

The library API a notebook calls; the CLI is a thin layer over it.

>>> from geomap.layers.lineset import lines_from_geometries
>>> line = lines_from_geometries([{"type": "LineString", "coordinates": [[0, 0], [0, 1]]}])
>>> r = distance_to_line(lon=[0.01], lat=[0.5], lines=line)
>>> round(float(r.distance_m[0]), 1)
1113.2
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from geomap._version import __version__
from geomap.errors import CoordinateError

#: How uncertainties combine into the distance interval (recorded in results).
INTERVAL_RULE = (
    "distance to a set is 1-Lipschitz: a location known to within r metres and a line drawn to within a metres "
    "give a true distance within [d - r - a, d + r + a] (floored at 0); for an area, [min - a, max + a]"
)


def check_lonlat(lon, lat) -> None:
    """Raise :class:`CoordinateError` unless every lon is in [-180, 180] and lat in [-90, 90]."""
    lon = np.asarray(lon, dtype=float)
    lat = np.asarray(lat, dtype=float)
    bad = ~(np.isfinite(lon) & np.isfinite(lat)) | (np.abs(lon) > 180) | (np.abs(lat) > 90)
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        swapped = abs(lat[i]) > 90 and abs(lon[i]) <= 90
        hint = "did you swap them? geomap takes LON,LAT" if swapped else "longitude is -180..180, latitude -90..90"
        raise CoordinateError(f"coordinates ({lon[i]}, {lat[i]}) are outside lon/lat range: {hint}")


@dataclass
class DistanceResult:
    """Distances from points to a line, one entry per point (arrays).

    ``distance_m`` is the geodesic distance on WGS84 to the nearest point of the
    line (``nearest_lon``, ``nearest_lat``), which lies on segment
    ``segment_index`` (counted from 0 within part ``part_index`` of feature
    ``feature_index``), ``offset_m`` metres from that segment's first vertex.
    ``azimuth_deg`` is the direction from the point to its nearest point
    (degrees clockwise from north; NaN on the line).
    """

    lon: np.ndarray
    lat: np.ndarray
    distance_m: np.ndarray
    nearest_lon: np.ndarray
    nearest_lat: np.ndarray
    feature_index: np.ndarray
    part_index: np.ndarray
    segment_index: np.ndarray
    offset_m: np.ndarray
    azimuth_deg: np.ndarray
    lines: Any = field(repr=False)

    def __len__(self) -> int:
        return int(self.distance_m.shape[0])

    def evidence(self) -> dict[str, Any]:
        """Provenance common to every row: layer, method, software."""
        from geomap.geodesy import METHOD

        out = {"method": METHOD, "ellipsoid": "WGS84", "geomap_version": __version__}
        out.update(self.lines.evidence())
        return out

    def section(self, i: int) -> str:
        """Label of the feature holding point ``i``'s nearest point."""
        return self.lines.label(int(self.feature_index[i]))

    def columns(self) -> dict[str, np.ndarray]:
        """The per-point output columns (the public contract), in order (computed once, then cached)."""
        cached = self.__dict__.get("_columns_cache")
        if cached is not None:
            return cached
        labels = np.array([self.lines.label(f) for f in range(len(self.lines))] + [""], dtype=object)
        sections = labels[np.where(self.feature_index >= 0, self.feature_index, len(self.lines))]
        self.__dict__["_columns_cache"] = cols = {
            "distance_m": self.distance_m,
            "nearest_lon": self.nearest_lon,
            "nearest_lat": self.nearest_lat,
            "feature_index": self.feature_index,
            "section": sections,
            "part_index": self.part_index,
            "segment_index": self.segment_index,
            "offset_m": self.offset_m,
            "azimuth_deg": self.azimuth_deg,
        }
        return cols

    def record(self, i: int) -> dict[str, Any]:
        """Row ``i`` as a JSON-ready dict (floats rounded to the millimetre / 1e-9 degree)."""
        from geomap.io.write import COORD_DECIMALS

        row: dict[str, Any] = {"lon": _f(self.lon[i], COORD_DECIMALS), "lat": _f(self.lat[i], COORD_DECIMALS)}
        for key, col in self.columns().items():
            value = col[i]
            if key in ("nearest_lon", "nearest_lat"):
                row[key] = _f(value, COORD_DECIMALS)
            elif key.endswith("_m"):
                row[key] = _f(value, 3)
            elif key == "azimuth_deg":
                row[key] = _f(value, 4)
            elif isinstance(value, (np.integer, int)):
                row[key] = int(value)
            else:
                row[key] = value
        return row


def _f(value, digits):
    value = float(value)
    return None if not np.isfinite(value) else round(value, digits)


def _default_workers() -> int:
    return max(1, min(4, os.cpu_count() or 1))


def distance_to_line(lon, lat, lines, *, workers: int | None = None) -> DistanceResult:
    """Exact geodesic distance from each point to the nearest point of a line.

    Parameters
    ----------
    lon, lat : array_like of float
        Points, degrees, longitude first (keyword-only order is lon, lat).
    lines : LineSet or str or Path
        The line: a :class:`geomap.layers.lineset.LineSet`, a shipped layer id or a
        path (read with :func:`geomap.layers.lineset.read_lines`).
    workers : int, optional
        Threads (default: up to 4, the CPU count).

    Returns
    -------
    DistanceResult
    """
    from geomap.layers.lineset import LineSet, read_lines

    if not isinstance(lines, LineSet):
        lines = read_lines(lines)
    lon = np.atleast_1d(np.asarray(lon, dtype=float))
    lat = np.atleast_1d(np.asarray(lat, dtype=float))
    if lon.shape != lat.shape:
        raise CoordinateError("lon and lat have different lengths: pass one lon and one lat per point")
    if lon.ndim != 1:
        raise CoordinateError(f"lon and lat must be 1-D, one value per point, not of shape {lon.shape}: "
                              "pass np.ravel(lon), np.ravel(lat)")
    finite = np.isfinite(lon) & np.isfinite(lat)
    check_lonlat(lon[finite], lat[finite])
    index = lines.index()
    res = index.nearest(lon, lat, workers=workers or _default_workers())
    row = res["segment_row"]
    ok = row >= 0
    seg = index.segments
    safe = np.maximum(row, 0)
    feature = np.where(ok, seg.feature[safe], -1)
    part = np.where(ok, seg.part[safe], -1)
    segment = np.where(ok, seg.segment[safe], -1)
    az = res["azimuth_deg"]  # from the last interception step: no extra geodesic solve
    return DistanceResult(
        lon=lon,
        lat=lat,
        distance_m=res["distance_m"],
        nearest_lon=res["nearest_lon"],
        nearest_lat=res["nearest_lat"],
        feature_index=feature,
        part_index=part,
        segment_index=segment,
        offset_m=res["offset_m"],
        azimuth_deg=az,
        lines=lines,
    )


def distance_interval(distance_m, *, radius_m=0.0, accuracy_m=0.0):
    """THE interval rule for points: where the true distance can lie (see :data:`INTERVAL_RULE`).

    Parameters
    ----------
    distance_m : array_like of float, shape (n,)
        Measured distances (m).
    radius_m, accuracy_m : float or array_like, shape (n,)
        The location's uncertainty radius and the layer's stated accuracy (m).

    Returns
    -------
    (low_m, high_m) : ndarray, ndarray
        ``max(d - r - a, 0)`` and ``d + r + a``.
    """
    d = np.asarray(distance_m, dtype=float)
    spread = np.asarray(radius_m, dtype=float) + np.asarray(accuracy_m, dtype=float)
    return np.maximum(d - spread, 0.0), d + spread


def area_interval(min_m, max_m, *, max_tolerance_m=0.0, accuracy_m=0.0):
    """THE interval rule for areas: ``[max(min - a, 0), max + tolerance + a]`` (see :data:`INTERVAL_RULE`).

    ``min_m``/``max_m`` are the least and greatest distance over the area
    (:func:`area_distance_range`); ``max_tolerance_m`` bounds how far the true
    maximum may exceed the reported one.  All in metres, scalars or arrays.
    """
    acc = np.asarray(accuracy_m, dtype=float)
    low = np.maximum(np.asarray(min_m, dtype=float) - acc, 0.0)
    high = np.asarray(max_m, dtype=float) + np.asarray(max_tolerance_m, dtype=float) + acc
    return low, high


# --------------------------------------------------------------------- areas
@dataclass
class AreaDistance:
    """Minimum and maximum distance from any point of an area (interior included) to a line."""

    min_m: float
    min_lon: float
    min_lat: float
    max_m: float
    max_lon: float
    max_lat: float
    max_tolerance_m: float
    intersects: bool
    n_evaluated: int

    def to_dict(self) -> dict[str, Any]:
        return {
            "min_m": round(self.min_m, 3),
            "min_lon": round(self.min_lon, 9),  # COORD_DECIMALS
            "min_lat": round(self.min_lat, 9),  # COORD_DECIMALS
            "max_m": round(self.max_m, 3),
            "max_lon": round(self.max_lon, 9),  # COORD_DECIMALS
            "max_lat": round(self.max_lat, 9),  # COORD_DECIMALS
            "max_tolerance_m": self.max_tolerance_m,
            "intersects_line": self.intersects,
            "points_evaluated": self.n_evaluated,
        }


def area_distance_range(area, lines, *, tolerance_m: float = 50.0) -> AreaDistance:
    """Minimum and maximum geodesic distance from an area to a line.

    Parameters
    ----------
    area : shapely Polygon/MultiPolygon or GeoJSON-like dict, lon/lat
        The incident's area (e.g. a district).  Its edges are taken as drawn;
        district polygons have vertices every few hundred metres.
    lines : LineSet
    tolerance_m : float
        The maximum is exact to within this many metres (at most 50).

    Notes
    -----
    *Minimum*: zero if the line enters the area; otherwise attained on the area's
    boundary, so it is the least of (a) the exact distances from the boundary's
    vertices to the line and (b) the exact distances from the line's vertices to
    the boundary (edges taken as geodesics).

    *Maximum*: the distance to a line is 1-Lipschitz, so over a cell of covering
    radius rho around a point c it is at most d(c) + rho.  A branch-and-bound over
    lon/lat cells keeps every cell whose bound could beat the best value found at
    a point inside the area (vertices and inside cell centres) by more than
    ``tolerance_m``; the reported maximum is at a real point of the area and the
    true maximum is at most ``max_tolerance_m`` above it.
    """
    import shapely
    from shapely import geometry as sgeom

    from geomap.geodesy import GEOD
    from geomap.layers.lineset import LineSet, lines_from_geometries

    if isinstance(area, dict):
        area = sgeom.shape(area)
    if not isinstance(lines, LineSet):
        from geomap.layers.lineset import read_lines

        lines = read_lines(lines)
    tolerance_m = float(min(tolerance_m, 50.0))
    index = lines.index()
    boundary = shapely.get_coordinates(area.boundary)
    check_lonlat(boundary[:, 0], boundary[:, 1])

    # ---- minimum
    line_union = shapely.union_all([g for g in lines.geoms if g is not None])
    intersects = bool(area.intersects(line_union))
    vres = index.nearest(boundary[:, 0], boundary[:, 1])
    i = int(np.nanargmin(vres["distance_m"]))
    min_m, min_lon, min_lat = float(vres["distance_m"][i]), boundary[i, 0], boundary[i, 1]
    ring_index = lines_from_geometries([area], rings=True).index()
    line_xy = np.concatenate([shapely.get_coordinates(g) for g in lines.geoms if g is not None])
    rres = ring_index.nearest(line_xy[:, 0], line_xy[:, 1])
    j = int(np.nanargmin(rres["distance_m"]))
    if rres["distance_m"][j] < min_m:
        min_m = float(rres["distance_m"][j])
        min_lon, min_lat = float(rres["nearest_lon"][j]), float(rres["nearest_lat"][j])
    if intersects:
        hit = area.intersection(line_union).representative_point()
        min_m, min_lon, min_lat = 0.0, hit.x, hit.y

    # ---- maximum: branch and bound over lon/lat cells
    prepared = area
    shapely.prepare(prepared)
    best = float(np.nanmax(vres["distance_m"]))
    k = int(np.nanargmax(vres["distance_m"]))
    best_lon, best_lat = float(boundary[k, 0]), float(boundary[k, 1])
    minx, miny, maxx, maxy = area.bounds
    n0 = 16
    xs = np.linspace(minx, maxx, n0 + 1)
    ys = np.linspace(miny, maxy, n0 + 1)
    cx, cy = np.meshgrid(0.5 * (xs[:-1] + xs[1:]), 0.5 * (ys[:-1] + ys[1:]))
    cx, cy = cx.ravel(), cy.ravel()
    hx = np.full(cx.shape, (maxx - minx) / (2 * n0))
    hy = np.full(cy.shape, (maxy - miny) / (2 * n0))
    evaluated = boundary.shape[0]
    bound = best
    for _ in range(40):
        if cx.size == 0:
            break
        boxes = shapely.box(cx - hx, cy - hy, cx + hx, cy + hy)
        touch = shapely.intersects(prepared, boxes)
        cx, cy, hx, hy = cx[touch], cy[touch], hx[touch], hy[touch]
        if cx.size == 0:
            break
        res = index.nearest(cx, cy)
        d = res["distance_m"]
        evaluated += cx.size
        # Covering radius: farthest cell corner from the centre (cells are small,
        # so corners are the farthest points; 1 % margin covers the curvature).
        corners = [GEOD.inv(cx, cy, cx + sx * hx, cy + sy * hy)[2] for sx in (-1, 1) for sy in (-1, 1)]
        rho = np.max(np.vstack(corners), axis=0) * 1.01
        inside = shapely.contains_xy(prepared, cx, cy)
        if inside.any():
            j = int(np.argmax(np.where(inside, d, -np.inf)))
            if d[j] > best:
                best, best_lon, best_lat = float(d[j]), float(cx[j]), float(cy[j])
        upper = d + rho
        keep = upper > best + tolerance_m
        bound = max(best, float(np.max(np.where(keep, best, upper), initial=best)))
        if not keep.any():
            cx = cx[:0]
            break
        cx, cy, hx, hy = cx[keep], cy[keep], hx[keep] / 2, hy[keep] / 2
        cx, cy = (
            np.concatenate([cx - hx, cx + hx, cx - hx, cx + hx]),
            np.concatenate([cy - hy, cy - hy, cy + hy, cy + hy]),
        )
        hx, hy = np.tile(hx, 4), np.tile(hy, 4)
    if cx.size:
        # Iteration cap reached (cannot happen for districts): report the honest bound.
        res = index.nearest(cx, cy)
        rho = np.max(np.vstack([GEOD.inv(cx, cy, cx + sx * hx, cy + sy * hy)[2]
                                for sx in (-1, 1) for sy in (-1, 1)]), axis=0) * 1.01
        bound = max(bound, float(np.max(res["distance_m"] + rho)))
    max_tol = max(tolerance_m if bound <= best + tolerance_m else bound - best, 0.0)
    return AreaDistance(
        min_m=float(min_m),
        min_lon=float(min_lon),
        min_lat=float(min_lat),
        max_m=best,
        max_lon=best_lon,
        max_lat=best_lat,
        max_tolerance_m=float(max_tol),
        intersects=intersects,
        n_evaluated=int(evaluated),
    )
