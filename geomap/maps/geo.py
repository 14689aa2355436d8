"""Geometry the map page draws: GeoJSON of lines, areas and the offline base map, clipped to the view.

Drawing geometry only: nothing here measures a distance.  (lon, lat) order
throughout, as in GeoJSON.
"""

from __future__ import annotations

from typing import Any


def geojson(geom, digits: int = 5):
    """A shapely geometry as a GeoJSON geometry dict with coordinates rounded to ``digits`` (None if empty)."""
    import shapely

    if geom is None or geom.is_empty:
        return None
    return round_coords(shapely.geometry.mapping(geom), digits)


def round_coords(obj, digits: int):
    """A GeoJSON mapping with every coordinate rounded to ``digits`` decimals (lists, not tuples)."""
    if isinstance(obj, dict):
        return {k: (round_coords(v, digits) if k in ("coordinates", "geometries") else v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        if obj and isinstance(obj[0], (int, float)):
            return [round(float(v), digits) for v in obj]
        return [round_coords(v, digits) for v in obj]
    return obj


def view_bounds(xs, ys, lines_list) -> tuple[float, float, float, float]:
    """lon/lat box around the given coordinates and every line in ``lines_list``, padded by 8 %.

    ``xs``/``ys`` are sequences of array-likes (NaN ignored).
    """
    import numpy as np
    import shapely

    xs = [np.asarray(x, float).ravel() for x in xs]
    ys = [np.asarray(y, float).ravel() for y in ys]
    for lines in lines_list:
        line_xy = shapely.get_coordinates([g for g in lines.geoms if g is not None])
        if line_xy.size:
            xs.append(line_xy[:, 0])
            ys.append(line_xy[:, 1])
    x = np.concatenate(xs) if xs else np.zeros(0)
    y = np.concatenate(ys) if ys else np.zeros(0)
    ok = np.isfinite(x) & np.isfinite(y)
    x, y = x[ok], y[ok]
    if x.size == 0:
        return (-10.0, -10.0, 10.0, 10.0)
    minx, maxx, miny, maxy = float(x.min()), float(x.max()), float(y.min()), float(y.max())
    padx = max((maxx - minx) * 0.08, 0.05)
    pady = max((maxy - miny) * 0.08, 0.05)
    return (max(minx - padx, -180.0), max(miny - pady, -85.0), min(maxx + padx, 180.0), min(maxy + pady, 85.0))


def geodesic_path(geod, lon1, lat1, lon2, lat2) -> list | None:
    """Flat [lon, lat, lon, lat, ...] along the geodesic (about one vertex per 2 km, at most 32); drawing only."""
    if None in (lon1, lat1, lon2, lat2):
        return None
    _, _, dist_m = geod.inv(lon1, lat1, lon2, lat2)
    k = int(min(32, max(0, dist_m // 2000)))
    pts = [(lon1, lat1)]
    if k:
        pts.extend(geod.npts(lon1, lat1, lon2, lat2, k))
    pts.append((lon2, lat2))
    return [round(float(c), 6) for p in pts for c in p]


def read_geoms(path, box):
    """Geometries of a vector file clipped to a lon/lat box (shapely array)."""
    import numpy as np
    import shapely

    from geomap.layers.lineset import read_vector

    geoms, _attrs, _crs = read_vector(path)
    geoms = np.asarray([g for g in geoms if g is not None], dtype=object)
    if geoms.size == 0:
        return geoms
    clipped = shapely.intersection(geoms, box)
    return np.asarray([g for g in clipped if not g.is_empty], dtype=object)


def base_data(base: str | None, view) -> dict | None:
    """The offline base map: a shipped polygon layer clipped to the view (padded) and simplified."""
    if not base:
        return None
    import shapely

    from geomap.layers.registry import get_layer

    layer = get_layer(base)
    minx, miny, maxx, maxy = view
    pad = 2.5 * max(maxx - minx, maxy - miny)
    box = shapely.box(max(minx - pad, -180), max(miny - pad, -90), min(maxx + pad, 180), min(maxy + pad, 90))
    geoms = read_geoms(layer.path, box)
    tolerance = max(maxx - minx, maxy - miny) / 2500.0
    simplified = [g.simplify(tolerance, preserve_topology=True) for g in geoms]
    union = shapely.GeometryCollection([g for g in simplified if not g.is_empty])
    return {
        "geom": geojson(union, 4),
        "id": layer.id,
        "title": layer.title,
        "attribution": layer.attribution,
        "licence": layer.licence,
        "simplify_deg": round(tolerance, 6),
    }


def _looks_like_layer_id(source: str) -> bool:
    from pathlib import Path

    return "/" not in source and "\\" not in source and not Path(source).suffix and not Path(source).exists()


def area_data(lines, view, area_lines=None) -> dict | None:
    """The held area drawn with ``lines``, clipped to the view (padded).

    ``area_lines`` if given (a shipped layer id, a vector file path, or an
    object with lon/lat ``geoms``), else the ``area_layer`` that the line's
    shipped layer names; None when there is none.  ``held_by`` comes from the
    area layer's metadata (None when it states none; the legend then falls
    back to the layer's title).
    """
    import numpy as np
    import shapely

    from geomap.layers.registry import get_layer

    minx, miny, maxx, maxy = view
    w, h = maxx - minx, maxy - miny
    box = shapely.box(minx - w, miny - h, maxx + w, maxy + h)
    if area_lines is not None and hasattr(area_lines, "geoms"):
        geoms = np.asarray([g for g in area_lines.geoms if g is not None], dtype=object)
        geoms = [g for g in shapely.intersection(geoms, box) if not g.is_empty]
        label = str(getattr(area_lines, "source", "area"))
        return {"geom": geojson(shapely.GeometryCollection(geoms), 5), "id": label, "title": None, "held_by": None}
    if area_lines is not None:
        if not _looks_like_layer_id(str(area_lines)):
            geoms = read_geoms(area_lines, box)
            from pathlib import Path

            return {"geom": geojson(shapely.GeometryCollection(list(geoms)), 5), "id": Path(str(area_lines)).name,
                    "title": None, "held_by": None}
        area_id = str(area_lines)
    else:
        layer = getattr(lines, "layer", None)
        area_id = getattr(layer, "area_layer", None) if layer is not None else None
    if not area_id:
        return None
    area = get_layer(area_id)
    geoms = read_geoms(area.path, box)
    union = shapely.GeometryCollection(list(geoms))
    held_by = area.meta.get("held_by") if isinstance(area.meta, dict) else None
    return {"geom": geojson(union, 5), "id": area.id, "title": area.title,
            "held_by": None if held_by in (None, "") else str(held_by)}


#: a segment whose geodesic departs from the straight lon/lat line by more than this at its middle (m) is drawn
#: along its geodesic, in pieces of at most :data:`_DRAW_PIECE_M` (Leaflet draws straight in Web Mercator; over
#: such a piece the two agree within a metre); segments spanning under _DRAW_DEG in lon and lat depart far less
_DRAW_DEPARTURE_M = 10.0
_DRAW_DEG = 0.05
_DRAW_PIECE_M = 5_000.0
_DRAW_MAX_PIECES = 512


def _along_geodesics(positions: list) -> list:
    """A list of [lon, lat] positions with long segments filled in along their geodesics (what is measured)."""
    from pyproj import Geod

    out = positions[:1]
    geod = None
    for (x0, y0), (x1, y1) in zip(positions[:-1], positions[1:]):
        if abs((x1 - x0 + 180.0) % 360.0 - 180.0) > _DRAW_DEG or abs(y1 - y0) > _DRAW_DEG:
            geod = geod or Geod(ellps="WGS84")
            az, _back, length = geod.inv(x0, y0, x1, y1)
            mid_lon, mid_lat, _ = geod.fwd(x0, y0, az, length / 2)
            straight = ((x0 + ((x1 - x0 + 180.0) % 360.0 - 180.0) / 2 + 180.0) % 360.0 - 180.0, (y0 + y1) / 2)
            k = min(_DRAW_MAX_PIECES, int(length // _DRAW_PIECE_M))
            if k > 0 and geod.inv(mid_lon, mid_lat, *straight)[2] > _DRAW_DEPARTURE_M:
                out.extend([round(lon, 6), round(lat, 6)] for lon, lat in geod.npts(x0, y0, x1, y1, k))
        out.append([x1, y1])
    return out


def _geodesic_drawing(coords):
    """GeoJSON ``coordinates`` (any nesting) with every run of positions drawn along its geodesics."""
    if coords and isinstance(coords[0], (int, float)):
        return coords
    if coords and isinstance(coords[0], list) and coords[0] and isinstance(coords[0][0], (int, float)):
        return _along_geodesics(coords)
    return [_geodesic_drawing(c) for c in coords]


def line_data(lines) -> dict[str, Any]:
    """The line as a GeoJSON FeatureCollection, each feature with its ``section`` label.

    Each segment is drawn along the geodesic between its vertices (the line every distance is measured
    to), not straight in lon/lat as a web map would draw two vertices: a long segment's geodesic departs
    from that by kilometres (:func:`geomap.layers.tidy.departure_note`).
    """
    feats = []
    for i, geom in enumerate(lines.geoms):
        g = geojson(geom, 6)
        if g is not None:
            g["coordinates"] = _geodesic_drawing(g["coordinates"])
            feats.append({"type": "Feature", "geometry": g, "properties": {"section": lines.label(i)}})
    return {"type": "FeatureCollection", "features": feats}
