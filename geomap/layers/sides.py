"""Which side of a line of contact a point is on, and the signed distance.

A line layer's ``area_layer`` names the polygon held behind the line (for
``nk-line-2020``: ``nk-area-2020``, the Armenian-held remainder per Natural
Earth).  :func:`inside_area` tests points against that polygon and
:func:`signed_distance` combines the test with an unsigned distance.

Sign convention
---------------
``signed_distance_m`` is **negative inside the held area** (the layer's
``held_by`` side) and **positive outside** it; zero on the line.  The magnitude
is always the geodesic distance to the line.

Edges
-----
Polygon edges are taken as geodesics on WGS84, the same interpretation
:mod:`geomap.layers.distance` uses for lines (GeoJSON's RFC 7946 would take them as
straight in lon/lat).  Before the point-in-polygon test every edge longer than
``max_edge_m`` (default 1 km) is split at geodesic intermediate points
(``pyproj.Geod.npts``), so the straight lon/lat sub-edges depart from the
geodesic by far less than a millimetre at mid-latitudes (measured on
``nk-area-2020``: 0.08 mm; 6 mm with its raw edges; see
``tests/test_layers_sides.py``).  Polygons crossing the
antimeridian or containing a pole are not supported.

Accuracy
--------
The arithmetic is exact to centimetres, the data is not: the shipped areas are
Natural Earth 1:10m (stated accuracy about 5 km).

The side rule
-------------
:func:`side_of` applies it, and every output (batch columns, single incidents,
maps, evidence) goes through it: the signed distance ``s`` carries the interval
``[s - r - a, s + r + a]`` (``r`` the location uncertainty, ``a`` the layer's
``accuracy_m``).  When that interval contains 0 - that is ``|s| <= r + a`` - the
side is **uncertain**: ``inside_area`` is null, ``side`` is ``"uncertain"`` and
the text says "side uncertain within the map's ±N km".  Otherwise ``side`` is
``"inside"`` or ``"outside"`` and is named from the area layer's ``held_by``
metadata (:func:`held_by`; "the layer's area" when the layer names no holder).
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

#: longest polygon edge kept before geodesic densification, metres
MAX_EDGE_M = 1000.0


def _densify_ring(coords, max_edge_m: float):
    import numpy as np
    from pyproj import Geod

    geod = Geod(ellps="WGS84")
    xy = np.asarray(coords, dtype=float)[:, :2]
    _, _, dist_m = geod.inv(xy[:-1, 0], xy[:-1, 1], xy[1:, 0], xy[1:, 1])
    out = [xy[:1]]
    for i, d in enumerate(np.atleast_1d(dist_m)):
        extra = int(np.ceil(d / max_edge_m)) - 1
        if extra > 0:
            pts = geod.npts(xy[i, 0], xy[i, 1], xy[i + 1, 0], xy[i + 1, 1], extra)
            out.append(np.asarray(pts, dtype=float))
        out.append(xy[i + 1 : i + 2])
    return np.vstack(out)


def geodesic_polygon(geom, max_edge_m: float = MAX_EDGE_M):
    """Return ``geom`` (Polygon/MultiPolygon, lon/lat) with edges split so each is <= ``max_edge_m``.

    The new vertices lie on the geodesic between the original ones, so a planar
    test on the result follows geodesic edges to within centimetres.
    """
    import shapely

    parts = list(getattr(geom, "geoms", [geom]))
    polys = []
    for part in parts:
        if part.geom_type != "Polygon":
            continue
        shell = _densify_ring(part.exterior.coords, max_edge_m)
        holes = [_densify_ring(r.coords, max_edge_m) for r in part.interiors]
        polys.append(shapely.Polygon(shell, holes))
    if not polys:
        from geomap.errors import LayerError

        raise LayerError("the area has no polygons: give a Polygon or MultiPolygon layer as the held area")
    return shapely.make_valid(shapely.MultiPolygon(polys)) if len(polys) > 1 else polys[0]


@lru_cache(maxsize=8)
def _prepared_area(path: str, size: int, mtime_ns: int, max_edge_m: float):
    import shapely

    from geomap.layers.lineset import read_vector

    geoms, _attrs, _crs = read_vector(Path(path))  # pyogrio raw reader: no geopandas on this path
    polygons = [g for g in geoms if g is not None and g.geom_type in ("Polygon", "MultiPolygon")]
    if not polygons:
        from geomap.errors import LayerError

        raise LayerError(f"{path} has no polygons: give the held-area layer (kind 'area'), not a line layer")
    geom = geodesic_polygon(shapely.union_all(polygons), max_edge_m)
    shapely.prepare(geom)
    return geom


def area_geometry(area: str | Path, max_edge_m: float = MAX_EDGE_M):
    """Return the densified, prepared union of the polygons of ``area`` (layer id or path), lon/lat."""
    from geomap.layers.resolve import resolve
    from geomap.errors import LayerError

    path, layer = resolve(area)
    if layer is not None and layer.kind == "line":
        hint = f"use its held area {layer.area_layer}" if layer.area_layer else "give an area layer or polygon file"
        raise LayerError(f"{layer.id} is a line layer, not a held area: {hint}")
    stat = path.stat()
    return _prepared_area(str(path.resolve()), stat.st_size, stat.st_mtime_ns, float(max_edge_m))


def inside_area(lon, lat, area: str | Path, *, max_edge_m: float = MAX_EDGE_M):
    """Test whether points lie inside a held-area polygon.

    Parameters
    ----------
    lon, lat : float or array-like
        Point longitudes and latitudes in degrees (WGS84), same shape.
    area : str or Path
        A shipped area layer id (e.g. ``"nk-area-2020"``) or a polygon file in any
        GDAL format with a CRS.
    max_edge_m : float
        Polygon edges are split geodesically into pieces of at most this length
        in metres before the test (see the module notes).

    Returns
    -------
    numpy.ndarray of bool
        True inside or on the boundary, same shape as ``lon``.

    Raises
    ------
    CoordinateError
        A longitude is outside [-180, 180] or a latitude outside [-90, 90], or not a number.

    Examples
    --------
    >>> inside_area([46.75, 47.5], [39.82, 39.82], "nk-area-2020").tolist()  # Stepanakert; east of the line
    [True, False]
    """
    import numpy as np
    import shapely

    from geomap.errors import CoordinateError

    lon_arr = np.asarray(lon, dtype=float)
    lat_arr = np.asarray(lat, dtype=float)
    if lon_arr.shape != lat_arr.shape:
        raise CoordinateError(f"lon has shape {lon_arr.shape} but lat {lat_arr.shape}: give one lat per lon")
    bad = ~np.isfinite(lon_arr) | ~np.isfinite(lat_arr) | (np.abs(lon_arr) > 180) | (np.abs(lat_arr) > 90)
    if bad.any():
        i = int(np.flatnonzero(bad.ravel())[0])
        raise CoordinateError(
            f"point {i} ({lon_arr.ravel()[i]}, {lat_arr.ravel()[i]}) is not a lon/lat position: "
            "longitude must be in [-180, 180] and latitude in [-90, 90] (did you swap them?)"
        )
    geom = area_geometry(area, max_edge_m)
    return np.asarray(shapely.intersects_xy(geom, lon_arr, lat_arr), dtype=bool)


def other_side(lon, lat, area: str | Path, *, max_edge_m: float = MAX_EDGE_M):
    """Which points lie in the other side's polygons of a two-sided control map; None if the map has none.

    A user area derived from a map of both sides (``geomap layers add --derive-line --side F=V``)
    keeps the other side's polygons (``other_side_file`` in its ``layer.json``).  A point in neither
    the held area nor these is beyond the map: the map says nothing of who holds it, so its side is
    uncertain, not "outside"; a point in both (the sides overlap) has no side either.  For other areas
    (shipped, one-sided) the map's extent is not known: None.  The caller has the held-area test
    (:func:`inside_area`) already; a side is given only where exactly one holds: ``inside ^ other``.

    Returns
    -------
    numpy.ndarray of bool, or None

    Raises
    ------
    LayerError
        The layer records the other side's file but it is gone from its folder.
    """
    import numpy as np
    import shapely

    key = _companion_file(area, "other_side_file", "the other side's polygons")
    if key is None:
        return None
    other_geom = _prepared_area(*key, float(max_edge_m))
    lon_arr, lat_arr = np.asarray(lon, dtype=float), np.asarray(lat, dtype=float)
    return np.asarray(shapely.intersects_xy(other_geom, lon_arr, lat_arr), dtype=bool)


def _companion_file(area, field: str, what: str, verb: str = "are") -> tuple[str, int, int] | None:
    """``(path, size, mtime_ns)`` of the file a registered area layer records under ``field``; None if none.

    A file path (not a registered area) or a layer without that field gives None.  Raises LayerError
    naming ``what`` when the layer records the file but it is gone from its folder.
    """
    from geomap.errors import LayerError
    from geomap.layers.registry import get_layer

    try:
        layer = get_layer(str(area), verify=False)
    except LayerError:  # a file path, not a registered area: nothing recorded
        return None
    name = layer.meta.get(field)
    if not name:
        return None
    path = layer.path.parent / str(name)
    try:
        stat = path.stat()
    except OSError:
        raise LayerError(f"{layer.id}: {what} ({name}) {verb} missing from its folder: remove the layer "
                         f"(geomap layers remove) and add the control map again") from None
    return str(path.resolve()), stat.st_size, stat.st_mtime_ns


def unassigned_distance(lon, lat, area: str | Path, *, max_edge_m: float = MAX_EDGE_M):
    """Geodesic distance (m) from each point to the area a two-sided map leaves to neither side; None if none.

    A user area derived from a map of both sides keeps the holes neither side's polygons fill (a lake,
    an unmapped pocket) and the polygons whose side names no holder ("contested"), as ``unassigned_file``
    (see :func:`geomap.layers.derive.unassigned_area`).  The map does not say where the front runs
    through them, so it may pass as near a point as they are: 0 inside them.  None for other areas.

    Raises
    ------
    LayerError
        The layer records the file but it is gone from its folder.
    """
    import numpy as np
    import shapely

    from geomap.layers.distance import distance_to_line

    key = _companion_file(area, "unassigned_file", "the area neither side holds", "is")
    if key is None:
        return None
    geom = _prepared_area(*key, float(max_edge_m))
    lon_arr = np.atleast_1d(np.asarray(lon, dtype=float))
    lat_arr = np.atleast_1d(np.asarray(lat, dtype=float))
    out = np.asarray(distance_to_line(lon_arr, lat_arr, _rings(*key)).distance_m, dtype=float).copy()
    out[np.asarray(shapely.intersects_xy(geom, lon_arr, lat_arr), dtype=bool)] = 0.0
    return out


@lru_cache(maxsize=8)
def _rings(path: str, size: int, mtime_ns: int):
    """The boundary rings of a polygon file as a line to measure to (geodesic edges)."""
    from geomap.layers.lineset import read_lines

    return read_lines(Path(path), rings=True)


def signed_distance(distance_m, inside):
    """Return the distance with a side: negative inside the held area, positive outside.

    Parameters
    ----------
    distance_m : float or array-like
        Unsigned geodesic distance to the line, metres (NaN passes through).
    inside : bool or array-like of bool
        From :func:`inside_area`, broadcastable to ``distance_m``.

    Returns
    -------
    numpy.ndarray of float
        ``-|distance_m|`` where ``inside``, ``+|distance_m|`` elsewhere, metres.

    >>> signed_distance([1200.0, 300.0], [True, False]).tolist()
    [-1200.0, 300.0]
    """
    import numpy as np

    d = np.abs(np.asarray(distance_m, dtype=float))
    return np.where(np.asarray(inside, dtype=bool), -d, d)


#: values of the ``side`` column
INSIDE, OUTSIDE, UNCERTAIN = "inside", "outside", "uncertain"
#: the sides in the order of the codes of :func:`side_rule`
SIDES = (INSIDE, OUTSIDE, UNCERTAIN)


def side_interval(signed_distance_m, accuracy_m, radius_m=0.0):
    """Return ``(low, high)``: the signed distance widened by the location radius and the layer accuracy (m).

    ``low = s - r - a`` and ``high = s + r + a``; NaN passes through.

    >>> [v.tolist() for v in side_interval([-4560.0, 9000.0], 5100.0)]
    [[-9660.0, 3900.0], [540.0, 14100.0]]
    """
    import numpy as np

    s = np.asarray(signed_distance_m, dtype=float)
    w = np.abs(np.asarray(radius_m, dtype=float)) + np.abs(np.nan_to_num(np.asarray(
        0.0 if accuracy_m is None else accuracy_m, dtype=float)))
    return s - w, s + w


def side_of(signed_distance_m, accuracy_m, radius_m=0.0):
    """Apply the side rule: ``"inside"``, ``"outside"`` or ``"uncertain"`` per point ('' where NaN).

    Parameters
    ----------
    signed_distance_m : float or array-like
        From :func:`signed_distance` (negative inside), metres.
    accuracy_m : float or array-like
        The layer's stated accuracy, metres (0, NaN or None: none stated).
    radius_m : float or array-like
        The location uncertainty of each point, metres.

    Returns
    -------
    numpy.ndarray of str
        ``"uncertain"`` where ``|s| <= radius_m + accuracy_m`` (the interval of
        :func:`side_interval` contains 0).

    >>> side_of([-4560.0, -9000.0, 7000.0], 5100.0).tolist()
    ['uncertain', 'inside', 'outside']
    """
    import numpy as np

    codes = side_rule(signed_distance_m, accuracy_m, radius_m)[0]
    return np.array([*SIDES, ""], dtype=object)[codes.reshape(-1)].reshape(codes.shape)


def side_rule(signed_distance_m, accuracy_m, radius_m=0.0):
    """The side rule of :func:`side_of` as codes, with the interval of :func:`side_interval`, in one pass.

    Returns
    -------
    (codes, low, high)
        ``codes`` (int32): the position in :data:`SIDES` of each point's side
        (0 inside, 1 outside, 2 uncertain), -1 where the signed distance is NaN;
        ``low``/``high`` as :func:`side_interval` gives them (m).

    >>> side_rule([-4560.0, -9000.0, 7000.0, float("nan")], 5100.0)[0].tolist()
    [2, 0, 1, -1]
    """
    import numpy as np

    s = np.asarray(signed_distance_m, dtype=float)
    low, high = side_interval(s, accuracy_m, radius_m)
    codes = np.where(high < 0, np.int32(0), np.where(low > 0, np.int32(1), np.int32(2))).astype(np.int32)
    codes[np.isnan(s)] = -1
    return codes, low, high


def held_by(area: str | Path | None) -> str:
    """Who holds the area, from the shipped area layer's ``held_by`` metadata; else "the layer's area"."""
    if area is None:
        return "the layer's area"
    try:
        from geomap.layers.registry import get_layer

        text = get_layer(str(area), verify=False).held_by
    except Exception:  # a file path, or a layer without metadata: no holder to name
        text = None
    return text or "the layer's area"


#: the side text of a point beyond a two-sided map (see :func:`other_side`)
OFF_THE_MAP = "side unknown: on neither side's area of the control map (beyond its extent)"
#: the side text of a point a two-sided map leaves to neither side, or near such a place (a hole, a contested area)
NEAR_UNASSIGNED = ("side unknown: the control map leaves a place within the interval to neither side (a hole or a "
                   "contested area), and the front may run through it")
#: the side text of a point a two-sided map puts on both sides (their polygons overlap there)
BOTH_SIDES = "side unknown: on both sides' areas of the control map (they overlap here)"


def side_text(side: str, holder: str, accuracy_m: float | None) -> str:
    """One phrase for a side: "inside the area held by X", "outside ...", or "side uncertain within the map's ±N km"."""
    if side == UNCERTAIN:
        return f"side uncertain within the map's ±{(accuracy_m or 0.0) / 1000:.1f} km"
    if side in (INSIDE, OUTSIDE):
        area = holder if holder == "the layer's area" else f"the area held by {holder}"
        return f"{side} {area}"
    return ""


def describe_sides(lines, lon, lat, distance_m, radius_m=0.0):
    """The side of each point of a line that names its held area, by the side rule; None per point otherwise.

    Returns a list with, per point, None (the layer names no held area) or a dict:
    ``inside_area`` (bool, or None when uncertain), ``area_layer``,
    ``signed_distance_m``, ``signed_distance_interval_m`` ([low, high]), ``side``,
    ``held_by`` and ``side_text``.
    """
    import numpy as np

    layer = getattr(lines, "layer", None)
    area_id = getattr(layer, "area_layer", None) if layer is not None else None
    if not area_id:
        return [None] * len(lon)
    accuracy_m = float(getattr(layer, "accuracy_m", None) or 0.0)
    inside = inside_area(lon, lat, area_id)
    signed = signed_distance(distance_m, inside)
    radius = np.broadcast_to(np.asarray(radius_m, dtype=float), signed.shape)
    side = side_of(signed, accuracy_m, radius)
    other = other_side(lon, lat, area_id)
    off = np.zeros(signed.shape, dtype=bool) if other is None else ~(inside ^ other) & (side != "")
    side[off] = UNCERTAIN
    low, high = side_interval(signed, accuracy_m, radius)
    holder = held_by(area_id)
    out = []
    for i in range(len(signed)):
        finite = bool(np.isfinite(signed[i]))
        out.append({
            "inside_area": None if side[i] in (UNCERTAIN, "") else bool(inside[i]),
            "area_layer": area_id,
            "signed_distance_m": round(float(signed[i]), 3) if finite else None,
            "signed_distance_interval_m": [round(float(low[i]), 3), round(float(high[i]), 3)] if finite else None,
            "side": side[i] or None,
            "held_by": holder,
            "side_text": (BOTH_SIDES if inside[i] else OFF_THE_MAP) if off[i] else side_text(side[i], holder, accuracy_m),
        })
    return out
