"""Point checks: which side of a layer well-known places fall on, measured.

Every shipped ``line`` and ``area`` layer lists a few well-known places
(``point_checks`` in ``layer.json``) with the side they were really on during
the layer's validity (``expected``) and the side the layer puts them on
(``measured``), computed by ``scripts/build_layers.py`` with the functions
here and recomputed by the test suite.

How a side is measured
----------------------
- An ``area`` layer, or a ``line`` layer naming an ``area_layer``: inside or
  outside the held area (:func:`geomap.layers.sides.inside_area`, geodesic
  edges).  ``sides`` in ``layer.json`` names both (``{"inside": ..., "outside": ...}``).
- A ``line`` layer without an area: left or right of the line, looking along
  the direction its vertices are stored in (:func:`line_side`).  ``sides``
  names both (``{"left": ..., "right": ...}``).

The distance reported is the exact geodesic distance to the line (to the area's
boundary for area layers), metres.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

#: a nearest point closer than this to a vertex is treated as that vertex (metres)
VERTEX_SNAP_M = 0.5


def _parts(geom):
    import shapely

    return [p for p in shapely.get_parts(geom) if p.geom_type in ("LineString", "LinearRing")]


def _turn_side(d_deg: float) -> int:
    """+1 if a direction ``d_deg`` clockwise of the reference lies to the right, -1 left, 0 straight on."""
    d = (d_deg + 540.0) % 360.0 - 180.0
    if d > 0 and d < 180:
        return 1
    if d < 0:
        return -1
    return 0


def _continuation(lines, v, geod, *, before: bool):
    """The vertex next to ``v`` in another part that continues the line through ``v`` in the same direction.

    ``before``: a part ending at ``v`` (its second-last vertex); else a part
    starting at ``v`` (its second vertex).  None if no part continues there.
    """
    import shapely

    for geom in lines.geoms:
        for part in _parts(geom):
            xy = shapely.get_coordinates(part)
            if len(xy) < 2:
                continue
            end = xy[-1] if before else xy[0]
            if geod.inv(end[0], end[1], v[0], v[1])[2] <= VERTEX_SNAP_M:
                return xy[-2] if before else xy[1]
    return None


def line_side(lines, lon, lat) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Left or right of a line, looking along the order of its vertices.

    Parameters
    ----------
    lines : LineSet or str or Path
        A line layer (shipped id, path, or :class:`geomap.layers.lineset.LineSet`).
    lon, lat : array-like of float
        Points, degrees WGS84.

    Returns
    -------
    (side, distance_m, feature) : (ndarray of int, ndarray of float, ndarray of int)
        ``feature`` is the index of the feature holding the nearest point.
        ``side`` is +1 right, -1 left, 0 undetermined (the nearest point is an
        end of a line part, so the point lies beyond the line's end).  The side
        is taken at the nearest point: against the segment there, or, when the
        nearest point is a vertex, against both segments meeting there (a point
        in the wedge between them is on the outer side of the turn).
    """
    import shapely
    from pyproj import Geod

    from geomap.layers.lineset import LineSet, read_lines
    from geomap.layers.distance import distance_to_line

    if not isinstance(lines, LineSet):
        lines = read_lines(lines)
    res = distance_to_line(lon, lat, lines)
    geod = Geod(ellps="WGS84")
    sides = np.zeros(len(res), dtype=int)
    for i in range(len(res)):
        f, p, s = int(res.feature_index[i]), int(res.part_index[i]), int(res.segment_index[i])
        if f < 0:
            continue
        coords = shapely.get_coordinates(_parts(lines.geoms[f])[p])
        nlon, nlat = float(res.nearest_lon[i]), float(res.nearest_lat[i])
        plon, plat = float(res.lon[i]), float(res.lat[i])
        a, b = coords[s], coords[s + 1]
        to_a = geod.inv(nlon, nlat, a[0], a[1])[2]
        to_b = geod.inv(nlon, nlat, b[0], b[1])[2]
        az_p = geod.inv(nlon, nlat, plon, plat)[0]
        if to_a > VERTEX_SNAP_M and to_b > VERTEX_SNAP_M:
            az_dir = geod.inv(nlon, nlat, b[0], b[1])[0]
            sides[i] = _turn_side(az_p - az_dir)
            continue
        # the nearest point is a vertex v: the segments before (u -> v) and after (v -> w) it
        k = s if to_a <= VERTEX_SNAP_M else s + 1
        v = coords[k]
        u = coords[k - 1] if k > 0 else _continuation(lines, v, geod, before=True)
        w = coords[k + 1] if k < len(coords) - 1 else _continuation(lines, v, geod, before=False)
        if u is None or w is None:
            continue  # an end of the line: the point lies beyond it, no side
        az_in = (geod.inv(u[0], u[1], v[0], v[1])[1] + 180.0) % 360.0  # direction of travel arriving at v
        az_out = geod.inv(v[0], v[1], w[0], w[1])[0]
        az_pv = geod.inv(v[0], v[1], plon, plat)[0]
        s_in, s_out = _turn_side(az_pv - az_in), _turn_side(az_pv - az_out)
        if s_in == s_out:
            sides[i] = s_in
        else:
            turn = _turn_side(az_out - az_in)  # +1: the line turns right at v
            sides[i] = -1 if turn > 0 else 1
    return sides, np.asarray(res.distance_m, dtype=float), np.asarray(res.feature_index, dtype=int)


def measure_sides(*, kind: str, sides: dict, lon, lat, line_path: str | Path | None = None,
                  area_path: str | Path | None = None) -> list[dict]:
    """The side (a name from ``sides``) and distance of each point, for one layer.

    Parameters
    ----------
    kind : str
        ``"line"`` or ``"area"``.
    sides : dict
        ``{"inside": name, "outside": name}`` when an area decides the side;
        ``{"left": name, "right": name}`` for a line; or
        ``{"by_feature": [left_field, right_field]}`` to take the names from
        each feature's attributes (Natural Earth's ``adm0_left``/``adm0_right``).
    lon, lat : array-like of float
        Points, degrees WGS84.
    line_path : str or Path, optional
        The line's geometry file (line layers).
    area_path : str or Path, optional
        The held area's geometry file (area layers, or lines with an area).

    Returns
    -------
    list of dict
        ``{"measured": name | "undetermined", "distance_m": float}`` per point.
    """
    from geomap.layers.lineset import read_lines
    from geomap.layers.sides import inside_area
    from geomap.layers.distance import distance_to_line

    lon = np.atleast_1d(np.asarray(lon, dtype=float))
    lat = np.atleast_1d(np.asarray(lat, dtype=float))
    out = []
    if "inside" in sides:
        if area_path is None:
            raise ValueError("sides name inside/outside but no area was given")
        inside = inside_area(lon, lat, Path(area_path))
        target = line_path if line_path is not None else area_path
        lines = read_lines(Path(target), rings=line_path is None)
        dist = distance_to_line(lon, lat, lines).distance_m
        for ins, d in zip(inside, dist):
            out.append({"measured": sides["inside"] if ins else sides["outside"], "distance_m": float(d)})
        return out
    if kind != "line" or line_path is None:
        raise ValueError("left/right sides need a line layer")
    lines = read_lines(Path(line_path))
    side, dist, feature = line_side(lines, lon, lat)
    for sd, d, f in zip(side, dist, feature):
        if "by_feature" in sides:
            left_field, right_field = sides["by_feature"]
            left, right = str(lines.attrs[left_field][f]), str(lines.attrs[right_field][f])
        else:
            left, right = sides["left"], sides["right"]
        name = right if sd > 0 else left if sd < 0 else "undetermined"
        out.append({"measured": name, "distance_m": float(d)})
    return out


def recheck(layer) -> list[dict]:
    """Recompute a shipped layer's point checks; return them with ``measured_now`` and ``distance_m_now``.

    ``layer`` is a :class:`geomap.layers.registry.Layer`.  Raises ``LayerNotFound``
    if it names an area layer that is not shipped.
    """
    from geomap.layers.registry import get_layer

    checks = layer.point_checks
    if not checks:
        return []
    sides = layer.meta.get("sides") or {}
    area_path = None
    line_path = None
    if layer.kind == "area" or ("inside" in sides and not layer.area_layer):
        area_path = layer.path  # an area, or a zone drawn as a polygon
    else:
        line_path = layer.path
        if layer.area_layer:
            area_path = get_layer(layer.area_layer).path
    got = measure_sides(kind="line" if line_path is not None else "area", sides=sides, lon=[c["lon"] for c in checks],
                        lat=[c["lat"] for c in checks], line_path=line_path, area_path=area_path)
    return [dict(c, measured_now=g["measured"], distance_m_now=g["distance_m"]) for c, g in zip(checks, got)]


def point_check_problems(layer, *, tolerance_m: float = 1.0) -> list[str]:
    """What is wrong with a shipped layer's point checks (an empty list if nothing).

    Recomputes every check (:func:`recheck`) and reports: a measured side or
    distance (beyond ``tolerance_m``) that differs from the one recorded, an
    ``agrees`` flag that does not match expected == measured, and a place the
    layer puts on the wrong side that ``known_errors`` does not name.
    """
    problems = []
    known = {e.get("place") for e in layer.known_errors}
    for check in recheck(layer):
        place = check["place"]
        if check["measured_now"] != check["measured"]:
            problems.append(f"{layer.id}: {place} is now measured on the {check['measured_now']} side, "
                            f"layer.json says {check['measured']}: rebuild the layers")
        if abs(check["distance_m_now"] - check["distance_m"]) > tolerance_m:
            problems.append(f"{layer.id}: {place} is now {check['distance_m_now']:.1f} m from the line, "
                            f"layer.json says {check['distance_m']:.1f} m: rebuild the layers")
        agrees = check["measured_now"] == check["expected"]
        if bool(check["agrees"]) != agrees:
            problems.append(f"{layer.id}: {place} has agrees={check['agrees']} but expected {check['expected']!r} "
                            f"and measured {check['measured_now']!r}")
        if not agrees and place not in known:
            problems.append(f"{layer.id} puts {place} on the {check['measured_now']} side (really "
                            f"{check['expected']}) and its known_errors do not say so")
    return problems
