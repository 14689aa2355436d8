"""Control maps with both sides' polygons: picking the held side, and refusing maps that do not give the front.

:func:`pick_side` splits a control map's polygons into the held side's and the
other side's (``--side FIELD=VALUE``).  Where the two sides touch, their shared
edge is the front (:func:`geomap.layers.derive.derive_line`); where they
overlap wider than the tolerance (:func:`refuse_overlap`) or face each other
across a gap over land (:func:`refuse_grey_zone`), the map does not say where
the front runs, and the map is refused.  Distances here are in the local
azimuthal equidistant metres of ``derive_line``.
"""

from __future__ import annotations

import re
from pathlib import Path

from geomap.errors import InputError, LayerError

#: two polygons whose boundaries run within this many metres of each other share an edge (metres)
SHARED_EDGE_M = 1.0
#: the other side's polygons within this many metres of the held side's boundary face it across a gap (metres)
GAP_SEARCH_M = 25_000.0
#: spacing of the points along a facing stretch at which the gap is judged (metres)
_GAP_STEP_M = 50.0


def refuse_overlap(area, side, area_m, other_m, tolerance_m: float) -> None:
    """Refuse a two-sided map whose sides overlap wider than ``max(tolerance_m, 100)`` m (in the local metres).

    There the map puts places on both sides, and the held side's edge inside the overlap would be a guess
    at the front.  Thinner overlaps (digitising slivers) pass; points in them get no side when measured.
    """
    import shapely

    overlap = shapely.union_all([g for g in shapely.get_parts(shapely.intersection(area_m, other_m))
                                 if g.geom_type == "Polygon"])
    width_m = max(float(tolerance_m), 100.0)
    if overlap.is_empty or overlap.buffer(-width_m / 2).is_empty:
        return
    widest_m = 2 * shapely.maximum_inscribed_circle(overlap, 1.0).length
    raise LayerError(f"{Path(str(area)).name}: the held polygons ({side}) and the other side's overlap over "
                     f"{overlap.area / 1e6:,.1f} km2 (up to {widest_m:,.0f} m across, more than the {width_m:g} m "
                     "tolerance): the map puts those places on both sides and does not say where the front runs there; "
                     "remove the overlap (e.g. QGIS 'Snap geometries to layer', or cut one side by the other) and "
                     "derive again")


def refuse_grey_zone(area, side, boundary_m, other_m, shared_m, tolerance_m: float, land_near=None) -> None:
    """Refuse a two-sided map whose sides face each other across a gap: there the map does not give the front.

    A point of the held side's boundary is in a gap when the other side's polygons lie within
    ``GAP_SEARCH_M`` of it, more than ``SHARED_EDGE_M`` away, and less than half as far as the nearest
    shared edge (a map edge that runs off from a shared edge's end, past the other side's corner, is as
    near the shared edge as the other side, so it is not a gap).  The stretches are judged every
    ``_GAP_STEP_M`` metres; more than ``4 * max(tolerance_m, 100) + 1000`` metres of them in all (a few
    digitising slivers pass) is refused, over land or across water alike: coasts that face the other
    side's across a bay or river are a water front, and the map does not say along which shore it runs
    (``land_near()``, the land mask in the same metres, when given, only lets the message say how much
    of the gap is water).
    Inputs are in the local azimuthal equidistant metres.

    Raises
    ------
    LayerError
        Naming the length of the gapped stretches and their nearest approach, and the fix (snap the sides).
    """
    import numpy as np
    import shapely

    near = linear_parts(boundary_m.intersection(other_m.buffer(GAP_SEARCH_M, quad_segs=8)))
    facing = linear_parts(near.difference(other_m.buffer(SHARED_EDGE_M, quad_segs=16)))
    if facing.length == 0:
        return
    parts = shapely.get_parts(facing)
    points, weights = [], []
    for part in parts:
        n = max(1, int(np.ceil(part.length / _GAP_STEP_M)))
        points.append(shapely.line_interpolate_point(part, (np.arange(n) + 0.5) / n, normalized=True))
        weights.append(np.full(n, part.length / n))
    points, weights = np.concatenate(points), np.concatenate(weights)
    to_other = shapely.distance(points, other_m)
    to_shared = shapely.distance(points, shared_m) if shared_m is not None and not shared_m.is_empty \
        else np.full(points.size, np.inf)
    gapped = (to_other > SHARED_EDGE_M) & (to_other <= GAP_SEARCH_M) & (to_other < 0.5 * to_shared)
    apart_km = float(weights[gapped].sum()) / 1000.0
    if apart_km <= (4 * max(tolerance_m, 100.0) + 1000.0) / 1000.0:
        return
    water = ""
    if land_near is not None:  # only to say so: a gap across water is refused as well (a water front)
        land_m = land_near()
        rows = np.flatnonzero(gapped)
        middle = shapely.line_interpolate_point(shapely.shortest_line(points[rows], other_m), 0.5, normalized=True)
        wet = ~shapely.contains_xy(land_m, shapely.get_x(middle), shapely.get_y(middle))
        if wet.any():
            water = (f"; {float(weights[rows[wet]].sum()) / 1000.0:,.1f} km of it face each other across water, "
                     "where the front may run along either shore")
    nearest = float(to_other[gapped].min())
    raise LayerError(
        f"{Path(str(area)).name}: the held polygons ({side}) and the other side's lie apart along "
        f"{apart_km:,.1f} km of their facing edges ({nearest:,.0f} m apart at the nearest{water}): the map does not "
        "say where the front runs there; snap the two sides together (e.g. QGIS 'Snap geometries to layer') "
        "or close the gap, and derive again; or measure to a line you draw yourself (--layer FILE)"
    )


#: values of a control map's side field that name no holder: places the map says neither side holds for sure
NEITHER_SIDE = re.compile(r"^\s*$|\b(contested|disputed|grey|gray|greyzone|grayzone|unknown|unclear|uncertain|neutral"
                          r"|unassigned|uncontrolled|unoccupied|none|null|n/?a|no[ -]?man'?s[ -]?land|nomansland)\b",
                          re.IGNORECASE)


def names_no_side(value: str) -> bool:
    """Whether a side field's value says the map does not know who holds the polygon ("contested", "grey zone")."""
    return bool(NEITHER_SIDE.search(value.replace("_", " ")))


def pick_side(area, side: str | None) -> tuple[list, list, list]:
    """The held polygons, the other side's and neither side's of ``area`` (see :func:`derive_line`'s ``side``).

    A polygon whose ``FIELD`` value names no holder (:func:`names_no_side`: "contested", "grey zone",
    "disputed", "unknown", blank, ...) is on neither side: it is not the other side's, and the front may
    run anywhere through it, so it is left out of both (derive_line then refuses it between the sides as a
    grey zone, or keeps it as an area neither side holds).

    Returns
    -------
    (held, others, neither) : lists of shapely (Multi)Polygons, lon/lat

    Raises
    ------
    LayerError
        ``area`` has no polygons.
    InputError
        Polygons share an edge and ``side`` is None; ``side`` is malformed, names
        no field, or no polygon has that value.
    """
    from geomap.layers.resolve import resolve
    from geomap.layers.lineset import read_vector

    path, layer = resolve(area)
    if side is None and layer is not None and layer.kind == "area":
        side = "all"  # a registered area layer is, by its metadata, the area one side (held_by) holds
    geoms, attrs, _crs = read_vector(path)
    keep = [i for i, g in enumerate(geoms)
            if g is not None and not g.is_empty and g.geom_type in ("Polygon", "MultiPolygon")]
    if not keep:
        raise LayerError(f"{area} has no polygons: derive-line needs the held-area polygons, not lines")
    polygons = [geoms[i] for i in keep]
    fields = [name for name in attrs if name not in ("geometry",)]
    if side is None or side == "all":
        if side is None:
            pair = _touching_pair(polygons)
            if pair is not None:
                raise InputError(
                    f"{area}: polygons {keep[pair[0]] + 1} and {keep[pair[1]] + 1} share an edge (both sides of a "
                    "front in one file?); merging them would erase the front: pass --side FIELD=VALUE to pick the "
                    f"held side (fields: {', '.join(fields) or 'none'}), or --side all if they are all one side"
                )
        return polygons, [], []
    name, eq, value = side.partition("=")
    if not eq or not name:
        raise InputError(f"--side {side!r} is not FIELD=VALUE: give e.g. --side side=UA, or --side all")
    if name not in attrs:
        raise InputError(f"{area} has no field {name!r} for --side: choose one of {', '.join(fields) or 'none'}")
    values = [_text(attrs[name][i]) for i in keep]
    held = [g for g, v in zip(polygons, values) if v == value]
    if not held:
        present = sorted(set(values))
        raise InputError(f"in {area} no polygon has {name}={value}: its {name} values are "
                         f"{', '.join(present[:10])}{' ...' if len(present) > 10 else ''}")
    if names_no_side(value):
        raise InputError(f"--side {side}: {value!r} names no side (the map does not say who holds those places): "
                         f"pick the side that holds its polygons, e.g. --side {name}="
                         f"{next((v for v in values if not names_no_side(v)), 'VALUE')}")
    neither = [g for g, v in zip(polygons, values) if v != value and names_no_side(v)]
    return held, [g for g, v in zip(polygons, values) if v != value and not names_no_side(v)], neither


def neither_values(area, side: str | None) -> list[str]:
    """The values of ``side``'s field in ``area`` that name no holder (for messages)."""
    from geomap.layers.lineset import read_vector
    from geomap.layers.resolve import resolve

    name, eq, _value = (side or "").partition("=")
    if not eq:
        return []
    _geoms, attrs, _crs = read_vector(resolve(area)[0])
    return sorted({_text(v) for v in attrs.get(name, []) if names_no_side(_text(v))})


def _touching_pair(polygons) -> tuple[int, int] | None:
    """The first two polygons whose boundaries share a stretch (not just a point), or that overlap."""
    import shapely

    if len(polygons) < 2:
        return None
    tree = shapely.STRtree(polygons)
    left, right = tree.query(polygons, predicate="intersects")
    for i, j in zip(left.tolist(), right.tolist()):
        if i >= j:
            continue
        common = shapely.intersection(polygons[i], polygons[j])
        if shapely.area(common) > 0 or shapely.length(common) > 0:
            return i, j
    return None


def _text(value) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return "" if value is None else str(value)


def linear_parts(geom):
    """The line parts of a geometry (points of a mere corner contact dropped), as one geometry."""
    import shapely

    parts = [p for p in shapely.get_parts(geom) if p.geom_type in ("LineString", "LinearRing") and p.length > 0]
    return shapely.MultiLineString(parts) if parts else shapely.MultiLineString()
