"""Offline, self-contained HTML evidence maps (the only module that imports folium).

:func:`render_map` returns one HTML document that opens with no network at
all: Leaflet's JavaScript and CSS are inlined from the ``xstatic-leaflet``
wheel (its images rewritten to ``data:`` URIs), the base map is the shipped
Natural Earth countries layer clipped and simplified to the view, and folium
contributes only the map scaffolding (``L.map`` with a canvas renderer and the
scale bar).  None of folium's CDN assets (jQuery, Bootstrap, Font Awesome,
awesome-markers) is used, so none is referenced.

Safety
------
Every piece of text that may come from a user or a data file (incident labels,
notes, place names, claim text, layer attributes, the title) travels to the
page as JSON in one ``<script type="application/json">`` block, with ``<``,
``>``, ``&`` and U+2028/U+2029 escaped (:func:`page_json`).  The page's own
script builds popups, legend and title with ``document.createElement`` and
``textContent``; no untrusted text goes through folium's ``Popup``/``Tooltip``
(raw HTML inside JS template literals), through Leaflet's HTML-string APIs, or
through a Jinja template: branca renders element templates with an
unsandboxed Jinja, so ``{{ 7*7 }}`` in text handed to ``folium.Element`` or
``folium.Popup`` is evaluated *in Python* when the map is rendered (checked
with folium 0.20.0 / branca 0.8.2: ``Popup("{{ 6*7 }}")`` renders ``42``, and
``{{ this.__class__.__mro__ }}`` reaches Python objects).  Here the JSON is
passed to the template as a *value*, never as template source.

Coordinates
-----------
(lon, lat) everywhere in Python and in the page data (GeoJSON order).  The flip
to Leaflet's (lat, lon) happens in :func:`_latlon` here (for folium's map
centre) and in the page script's single ``ll(lon, lat)`` function.

The claim band
--------------
The zone where a claim would be true -- points whose geodesic distance to the
line lies in the claim's strict (and, lighter, lenient) range -- is built by
buffering the line in a local azimuthal-equidistant projection centred on the
view, clipped to the view.  Its error is *measured*, not assumed: boundary
points of the band are sampled and their exact geodesic distance to the line
is computed with geomap's kernel; the largest departure from the range's end
is shown in the legend and popups (``display_error_m``).
"""

from __future__ import annotations

import base64
import json
import math
import re
from functools import lru_cache
from pathlib import Path
from typing import Any, Sequence

from geomap._version import __version__
from geomap.errors import InputError, MissingDependency

#: verdict -> (code used in the page data, colour, legend text)
VERDICT_STYLE = {
    "supported": (0, "#1a9641", "claim supported"),
    "contradicted": (1, "#d7191c", "claim contradicted"),
    "inconclusive": (2, "#f39c12", "inconclusive"),
    "none": (3, "#2c7bb6", "no claim tested"),
}
#: the optional online layer (only written into a page made with ``online_tiles=True``)
ONLINE_TILES = {
    "url": "https://tile.openstreetmap.org/{z}/{x}/{y}.png",
    "attribution": '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors',
}
#: at most this many incidents get a permanent distance label on their connector
LABEL_LIMIT = 50
#: at most this many incidents get geodesic (curved) connectors and uncertainty shapes drawn one by one
DETAIL_LIMIT = 2000
#: the band's buffer: segments per quarter circle (chord error r * (1 - cos(pi / (4 * QUAD_SEGS))))
BAND_QUAD_SEGS = 64
#: how many band boundary points are checked against the exact kernel
BAND_CHECK_POINTS = 4000

#: escaped inside the page's JSON: markup characters, JS line terminators, and bidi controls (so the page source
#: reads as it runs; the text itself is unchanged after JSON.parse)
_JSON_ESCAPE_RE = re.compile("[<>&\u2028\u2029\u202a-\u202e\u2066-\u2069]")


# --------------------------------------------------------------------------- helpers


def _latlon(lon: float, lat: float) -> list[float]:
    """The one place in Python where (lon, lat) becomes Leaflet's [lat, lon]."""
    return [float(lat), float(lon)]


def page_json(data: Any) -> str:
    """JSON safe to place inside ``<script type="application/json">``.

    ``<``, ``>`` and ``&`` become ``\\u003c``/``\\u003e``/``\\u0026`` (so no
    ``</script>`` or ``<!--`` can end or alter the block) and U+2028/U+2029
    are escaped; JSON.parse restores the exact text.  NaN/inf become null.
    """
    from geomap.io.write import _clean

    text = json.dumps(_clean(data), ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return _JSON_ESCAPE_RE.sub(lambda m: f"\\u{ord(m.group(0)):04x}", text)


def _r(value, digits):
    if value is None:
        return None
    value = float(value)
    return round(value, digits) if math.isfinite(value) else None


@lru_cache(maxsize=1)
def leaflet_assets() -> tuple[str, str]:
    """Leaflet 1.9.3's JS and CSS from the ``xstatic-leaflet`` wheel, CSS images as ``data:`` URIs."""
    try:
        import xstatic.pkg.leaflet as xleaflet
    except ImportError:  # pragma: no cover - a declared dependency
        raise MissingDependency("xstatic-leaflet is not installed: pip install 'xstatic-leaflet==1.9.3.0'") from None
    base = Path(xleaflet.BASE_DIR)
    js = (base / "leaflet.js").read_text(encoding="utf-8")
    css = (base / "leaflet.css").read_text(encoding="utf-8")

    def data_uri(match):
        name = match.group(2)
        target = base / name
        if not target.is_file():  # pragma: no cover - wheel layout changed
            raise MissingDependency(f"xstatic-leaflet lacks {name}: reinstall xstatic-leaflet==1.9.3.0")
        payload = base64.b64encode(target.read_bytes()).decode("ascii")
        return f"url(data:image/png;base64,{payload})"

    css = re.sub(r"url\((['\"]?)(images/[A-Za-z0-9_.-]+\.png)\1\)", data_uri, css)
    # Inline <script>/<style> content must not contain their own end tags.
    js = js.replace("</script", "<\\/script")
    css = css.replace("</style", "<\\/style")
    return js, css


# --------------------------------------------------------------------------- data assembly


def _verdict_name(verdict) -> str:
    if verdict is None:
        return "none"
    name = getattr(verdict, "verdict", verdict)
    return name if name in VERDICT_STYLE else "none"


def _range_pair(rng) -> list | None:
    if rng is None:
        return None
    return [_r(getattr(rng, "min_m", None), 3), _r(getattr(rng, "max_m", None), 3)]


def _claim_data(claim) -> dict | None:
    if claim is None:
        return None
    readings = claim.describe_readings() if hasattr(claim, "describe_readings") else ""
    return {
        "text": str(getattr(claim, "text", "") or ""),
        "matched": str(getattr(claim, "matched_text", "") or ""),
        "rule": str(getattr(claim, "rule", "") or ""),
        "readings": str(readings),
        "strict": _range_pair(getattr(claim, "strict", None)),
        "lenient": _range_pair(getattr(claim, "lenient", None)),
    }


def _layer_data(lines) -> dict:
    ev = lines.evidence() if hasattr(lines, "evidence") else {}
    layer = getattr(lines, "layer", None)
    valid = None
    if layer is not None:
        valid = f"{layer.valid_from or '?'} to {layer.valid_to or 'open'}"
    return {
        "id": ev.get("layer_id") or ev.get("layer") or str(getattr(lines, "source", "")),
        "source": str(ev.get("layer", getattr(lines, "source", ""))),
        "title": ev.get("layer_title"),
        "version": ev.get("layer_version"),
        "valid": valid,
        "sha256": str(ev.get("layer_sha256") or getattr(lines, "sha256", ""))[:12],
        "accuracy_m": ev.get("layer_accuracy_m"),
        "accuracy_note": None if ev.get("layer_accuracy_m") is not None else "not stated: intervals leave map error out",
        "licence": ev.get("layer_licence"),
        "attribution": ev.get("layer_attribution"),
    }


def _geojson(geom, digits: int = 5):
    """A shapely geometry as a GeoJSON geometry dict with rounded coordinates (or None)."""
    import shapely

    if geom is None or geom.is_empty:
        return None
    mapping = shapely.geometry.mapping(geom)
    return _round_coords(mapping, digits)


def _round_coords(obj, digits):
    if isinstance(obj, dict):
        return {k: (_round_coords(v, digits) if k in ("coordinates", "geometries") else v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        if obj and isinstance(obj[0], (int, float)):
            return [round(float(v), digits) for v in obj]
        return [_round_coords(v, digits) for v in obj]
    return obj


def _view_bounds(lon, lat, extra_xy, lines) -> tuple[float, float, float, float]:
    """lon/lat box around incidents, their nearest points and the line, padded by 8 %."""
    import numpy as np
    import shapely

    xs = [np.asarray(lon, float), np.asarray([p[0] for p in extra_xy], float)]
    ys = [np.asarray(lat, float), np.asarray([p[1] for p in extra_xy], float)]
    line_xy = shapely.get_coordinates([g for g in lines.geoms if g is not None])
    if line_xy.size:
        xs.append(line_xy[:, 0])
        ys.append(line_xy[:, 1])
    x = np.concatenate(xs)
    y = np.concatenate(ys)
    ok = np.isfinite(x) & np.isfinite(y)
    x, y = x[ok], y[ok]
    minx, maxx, miny, maxy = float(x.min()), float(x.max()), float(y.min()), float(y.max())
    padx = max((maxx - minx) * 0.08, 0.05)
    pady = max((maxy - miny) * 0.08, 0.05)
    return (max(minx - padx, -180.0), max(miny - pady, -85.0), min(maxx + padx, 180.0), min(maxy + pady, 85.0))


def _incident_data(measurements, verdicts, lines):
    """Columnar incident arrays for the page, plus area shapes and connector paths."""
    import numpy as np

    from geomap.pipeline.distance import distance_to_line
    from geomap.geodesy import GEOD

    n = len(measurements)
    strings: list[str] = []
    index: dict[str, int] = {}

    def intern(text) -> int:
        text = "" if text is None else str(text)
        if text not in index:
            index[text] = len(strings)
            strings.append(text)
        return index[text]

    cols: dict[str, list] = {k: [] for k in ("lon", "lat", "nlon", "nlat", "d", "lo", "hi", "r", "v", "label",
                                               "note", "kind", "sec", "date", "side_in", "side_layer", "sd")}
    sentences: list[list | None] = []
    areas: dict[str, Any] = {}
    area_pts = []  # (i, which, lon, lat, distance_m)
    for i, m in enumerate(measurements):
        inc = m.incident
        d = m.distance
        verdict = verdicts[i] if verdicts is not None else None
        cols["lon"].append(_r(inc.lon, 6))
        cols["lat"].append(_r(inc.lat, 6))
        cols["nlon"].append(_r(d.get("nearest_lon"), 6))
        cols["nlat"].append(_r(d.get("nearest_lat"), 6))
        cols["d"].append(_r(d.get("distance_m"), 1))
        cols["lo"].append(_r(m.interval_m[0], 1))
        cols["hi"].append(_r(m.interval_m[1], 1))
        cols["r"].append(_r(getattr(inc, "radius_m", 0.0) or 0.0, 1))
        cols["v"].append(VERDICT_STYLE[_verdict_name(verdict)][0])
        cols["label"].append(intern(getattr(inc, "label", "")))
        cols["note"].append(intern(getattr(inc, "note", "")))
        cols["kind"].append(intern(getattr(inc, "kind", "")))
        cols["sec"].append(intern(d.get("section", "")))
        cols["date"].append(intern(getattr(inc, "date", "") or ""))
        side = getattr(m, "side", None) or {}
        inside = side.get("inside_area")
        cols["side_in"].append(None if inside is None else int(bool(inside)))
        cols["side_layer"].append(intern(side.get("area_layer") or ""))
        cols["sd"].append(_r(side.get("signed_distance_m"), 1))
        if verdict is None:
            sentences.append(None)
        else:
            # Lossless and compact: the part before the first ": " (claim and outcome) repeats across
            # incidents, so it is interned; the page joins the two parts back.
            text = str(getattr(verdict, "sentence", "") or "")
            head, sep, rest = text.partition(": ")
            sentences.append([intern(head + sep), rest])
        if getattr(inc, "area", None) is not None:
            areas[str(i)] = {"geom": _geojson(inc.area, 5)}
            a = m.area or {}
            for which in ("min", "max"):
                if a.get(f"{which}_lon") is not None:
                    area_pts.append((i, which, float(a[f"{which}_lon"]), float(a[f"{which}_lat"]),
                                     float(a[f"{which}_m"])))
    if area_pts:
        res = distance_to_line(lon=[p[2] for p in area_pts], lat=[p[3] for p in area_pts], lines=lines)
        for k, (i, which, lon, lat, dist) in enumerate(area_pts):
            areas[str(i)][which] = [_r(lon, 6), _r(lat, 6), _r(res.nearest_lon[k], 6), _r(res.nearest_lat[k], 6),
                                    _r(dist, 1)]
    paths = None
    if 0 < n <= DETAIL_LIMIT:
        paths = []
        for i in range(n):
            paths.append(_geodesic_path(GEOD, cols["lon"][i], cols["lat"][i], cols["nlon"][i], cols["nlat"][i]))
        for a in areas.values():
            for which in ("min", "max"):
                if which in a:
                    p = a[which]
                    a[which + "_path"] = _geodesic_path(GEOD, p[0], p[1], p[2], p[3])
    extra = [(x, y) for x, y in zip(cols["nlon"], cols["nlat"]) if x is not None]
    for a in areas.values():
        if a["geom"] is not None:
            import shapely

            xy = shapely.get_coordinates(shapely.geometry.shape(a["geom"]))
            extra.extend([tuple(xy.min(axis=0)), tuple(xy.max(axis=0))])
    data = {"n": n, "strings": strings, "sentence": sentences, "areas": areas, "paths": paths, **cols}
    _ = np
    return data, extra


def _geodesic_path(geod, lon1, lat1, lon2, lat2) -> list | None:
    """Flat [lon, lat, lon, lat, ...] along the geodesic (about one vertex per 2 km, at most 32)."""
    if None in (lon1, lat1, lon2, lat2):
        return None
    _, _, dist_m = geod.inv(lon1, lat1, lon2, lat2)
    k = int(min(32, max(0, dist_m // 2000)))
    pts = [(lon1, lat1)]
    if k:
        pts.extend(geod.npts(lon1, lat1, lon2, lat2, k))
    pts.append((lon2, lat2))
    return [round(float(c), 6) for p in pts for c in p]


def _read_geoms(path, box):
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


def _base_data(base: str | None, view) -> dict | None:
    """The offline base map: shipped countries clipped to the view (padded) and simplified."""
    if not base:
        return None
    import shapely

    from geomap.layers.registry import get_layer

    layer = get_layer(base)
    minx, miny, maxx, maxy = view
    pad = 2.5 * max(maxx - minx, maxy - miny)
    box = shapely.box(max(minx - pad, -180), max(miny - pad, -90), min(maxx + pad, 180), min(maxy + pad, 90))
    geoms = _read_geoms(layer.path, box)
    w, h = maxx - minx, maxy - miny
    tolerance = max(w, h) / 2500.0
    simplified = [g.simplify(tolerance, preserve_topology=True) for g in geoms]
    union = shapely.GeometryCollection([g for g in simplified if not g.is_empty])
    return {
        "geom": _geojson(union, 4),
        "id": layer.id,
        "title": layer.title,
        "attribution": layer.attribution,
        "licence": layer.licence,
        "simplify_deg": round(tolerance, 6),
    }


def _area_data(lines, view, area_lines=None) -> dict | None:
    """The held area: ``area_lines`` if given (a shipped layer id, a path, or an object with lon/lat ``geoms``),
    else the ``area_layer`` named by the line's shipped layer; clipped to the view (padded)."""
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
        return {"geom": _geojson(shapely.GeometryCollection(geoms), 5), "id": label, "title": None, "held_by": None}
    if area_lines is not None:
        from geomap.layers.lineset import _is_shipped_id

        if not _is_shipped_id(str(area_lines)):
            geoms = _read_geoms(area_lines, box)
            return {"geom": _geojson(shapely.GeometryCollection(list(geoms)), 5), "id": str(area_lines),
                    "title": None, "held_by": None}
        area_id = str(area_lines)
    else:
        layer = getattr(lines, "layer", None)
        area_id = getattr(layer, "area_layer", None) if layer is not None else None
    if not area_id:
        return None
    area = get_layer(area_id)
    geoms = _read_geoms(area.path, box)
    union = shapely.GeometryCollection(list(geoms))
    return {"geom": _geojson(union, 5), "id": area.id, "title": area.title,
            "held_by": area.meta.get("held_by")}


def _line_data(lines) -> dict:
    feats = []
    for i, geom in enumerate(lines.geoms):
        g = _geojson(geom, 6)
        if g is not None:
            feats.append({"type": "Feature", "geometry": g, "properties": {"section": lines.label(i)}})
    return {"type": "FeatureCollection", "features": feats}


# --------------------------------------------------------------------------- the claim band


def claim_band(lines, view, lo_m: float | None, hi_m: float | None):
    """The part of the view whose distance to the line lies in ``[lo_m, hi_m]`` (metres).

    Built as ``buffer(hi) - buffer(lo)`` of the line in an azimuthal-equidistant
    projection centred on the view, intersected with the view box.

    Parameters
    ----------
    lines : LineSet
    view : (min_lon, min_lat, max_lon, max_lat)
    lo_m, hi_m : float or None
        The range in metres; ``None`` (or 0 for ``lo_m``) is an open end.

    Returns
    -------
    (geometry, display_error_m)
        A lon/lat shapely geometry (None if empty or the range covers
        everything) and the largest departure, in metres, of a sampled band
        boundary point's exact geodesic distance from the range end it
        represents (None when nothing could be sampled).
    """
    import numpy as np
    import shapely
    from pyproj import Transformer

    lo_m = None if not lo_m else float(lo_m)
    hi_m = None if hi_m is None or not math.isfinite(hi_m) else float(hi_m)
    if lo_m is None and hi_m is None:
        return None, None
    minx, miny, maxx, maxy = view
    lon0, lat0 = (minx + maxx) / 2, (miny + maxy) / 2
    fwd = Transformer.from_crs("EPSG:4326", f"+proj=aeqd +lat_0={lat0} +lon_0={lon0} +datum=WGS84 +units=m",
                               always_xy=True)

    def project(geom, transformer, direction="FORWARD"):
        def fn(xy):
            x, y = transformer.transform(xy[:, 0], xy[:, 1], direction=direction)
            return np.column_stack([x, y])

        return shapely.transform(geom, fn)

    box_ll = shapely.segmentize(shapely.box(minx, miny, maxx, maxy), max(maxx - minx, maxy - miny) / 200)
    box_xy = project(box_ll, fwd)
    line_ll = shapely.segmentize(shapely.union_all([g for g in lines.geoms if g is not None]), 0.005)
    line_xy = project(line_ll, fwd)
    outer = box_xy if hi_m is None else line_xy.buffer(hi_m, quad_segs=BAND_QUAD_SEGS).intersection(box_xy)
    band = outer if lo_m is None else outer.difference(line_xy.buffer(lo_m, quad_segs=BAND_QUAD_SEGS))
    if band.is_empty:
        return None, None
    span = max(box_xy.bounds[2] - box_xy.bounds[0], box_xy.bounds[3] - box_xy.bounds[1])
    band = band.simplify(span / 20000.0)
    band_ll = project(band, fwd, "INVERSE")
    return band_ll, _band_error(band_ll, lines, view, lo_m, hi_m)


def _band_error(band_ll, lines, view, lo_m, hi_m) -> float | None:
    """Largest |exact distance - range end| over sampled band boundary points away from the view edge."""
    import numpy as np
    import shapely

    from geomap.pipeline.distance import distance_to_line

    minx, miny, maxx, maxy = view
    # Sample along the drawn edges too (not only vertices), ring by ring.
    xy = shapely.get_coordinates(shapely.segmentize(band_ll.boundary, max(maxx - minx, maxy - miny) / 4000))
    minx, miny, maxx, maxy = view
    margin = 0.01 * max(maxx - minx, maxy - miny)
    keep = (xy[:, 0] > minx + margin) & (xy[:, 0] < maxx - margin) & (xy[:, 1] > miny + margin) & (
        xy[:, 1] < maxy - margin)
    xy = xy[keep]
    if xy.shape[0] == 0:
        return None
    if xy.shape[0] > BAND_CHECK_POINTS:
        xy = xy[np.linspace(0, xy.shape[0] - 1, BAND_CHECK_POINTS).astype(int)]
    d = distance_to_line(lon=xy[:, 0], lat=xy[:, 1], lines=lines).distance_m
    ends = [v for v in (lo_m, hi_m) if v is not None]
    err = np.min(np.abs(d[:, None] - np.asarray(ends)[None, :]), axis=1)
    return round(float(np.max(err)), 1)


def _bands_data(claim, lines, view) -> dict | None:
    if claim is None:
        return None
    out: dict[str, Any] = {"method": (
        "buffer of the line in an azimuthal-equidistant projection centred on the view, clipped to the view; "
        "display_error_m = largest difference between the exact WGS84 geodesic distance of sampled band "
        "boundary points and the range end they stand for")}
    errors = []
    minx, miny, maxx, maxy = view
    pad = 1.5 * max(maxx - minx, maxy - miny)
    box = (max(minx - pad, -180.0), max(miny - pad, -85.0), min(maxx + pad, 180.0), min(maxy + pad, 85.0))
    out["box"] = [round(v, 5) for v in box]
    for reading in ("lenient", "strict"):
        rng = getattr(claim, reading, None)
        if rng is None:
            continue
        geom, err = claim_band(lines, box, getattr(rng, "min_m", None), getattr(rng, "max_m", None))
        out[reading] = _geojson(geom, 5) if geom is not None else None
        if err is not None:
            errors.append(err)
    out["display_error_m"] = max(errors) if errors else None
    return out


# --------------------------------------------------------------------------- the page


def map_data(measurements, lines, *, verdicts=None, claim=None, area_lines=None, title=None,
             base="ne-countries-50m", online_tiles=False) -> dict:
    """Everything the page shows, as one JSON-ready dict (lon/lat order; metres).

    This is what :func:`render_map` embeds; tests inspect it directly.
    """
    measurements = list(measurements)
    if verdicts is not None:
        verdicts = list(verdicts)
        if len(verdicts) != len(measurements):
            raise InputError(f"{len(verdicts)} verdicts for {len(measurements)} measurements: pass one per incident")
    elif claim is not None and measurements:
        from geomap.verdict import judge

        verdicts = [judge(claim, m.interval_m) for m in measurements]
    inc, extra = _incident_data(measurements, verdicts, lines)
    view = _view_bounds(inc["lon"], inc["lat"], extra, lines) if measurements else _view_bounds([], [], [], lines)
    counts = {name: 0 for name in VERDICT_STYLE}
    code_to_name = {v[0]: k for k, v in VERDICT_STYLE.items()}
    for code in inc["v"]:
        counts[code_to_name[code]] += 1
    return {
        "title": str(title) if title else default_title(lines, claim),
        "version": __version__,
        "view": [round(v, 5) for v in view],
        "layer": _layer_data(lines),
        "line": _line_data(lines),
        "area": _area_data(lines, view, area_lines),
        "base": _base_data(base, view),
        "claim": _claim_data(claim),
        "bands": _bands_data(claim, lines, view),
        "inc": inc,
        "verdicts": {name: {"code": s[0], "colour": s[1], "text": s[2], "count": counts[name]}
                     for name, s in VERDICT_STYLE.items()},
        "limits": {"label": LABEL_LIMIT, "detail": DETAIL_LIMIT},
        "online_tiles": dict(ONLINE_TILES) if online_tiles else None,
    }


def default_title(lines, claim=None) -> str:
    layer = _layer_data(lines)
    text = f"Distance to {layer['id']}"
    if claim is not None:
        text += f" - claim: {getattr(claim, 'text', '')}"
    return text


def render_map(measurements: Sequence, lines, *, verdicts=None, claim=None, area_lines=None, title: str | None = None,
               base: str | None = "ne-countries-50m", online_tiles: bool = False) -> str:
    """One self-contained HTML document showing incidents, the line, and the claim.

    Parameters
    ----------
    measurements : sequence of geomap.pipeline.incidents.Measurement
        The incidents measured against ``lines`` (points, circles or areas).
    lines : geomap.layers.lineset.LineSet
        The line of contact.  When its shipped layer names an ``area_layer``
        the held area is drawn too.
    verdicts : sequence, optional
        One verdict per measurement (objects with ``.verdict`` and
        ``.sentence``, e.g. :class:`geomap.verdict.Verdict`); computed from
        ``claim`` when omitted.
    claim : geomap.claims.Claim, optional
        Draws the band where the claim would be true (strict and lenient).
    area_lines : str, Path or object with ``geoms``, optional
        The held area to draw (a shipped layer id, a vector file, or lon/lat
        geometries); default: the ``area_layer`` the line's layer names.
    title : str, optional
        Shown as plain text at the top (default: the layer and claim).
    base : str or None
        Shipped polygon layer drawn as the offline base map; None for none.
    online_tiles : bool
        Also offer OpenStreetMap tiles (needs the network; the page says so
        when they fail and keeps the embedded base map).

    Returns
    -------
    str
        The HTML document (UTF-8 text), referencing no external resource.
    """
    try:
        import folium
        from branca.element import Element, MacroElement
        from jinja2 import Template
    except ImportError:  # pragma: no cover - a declared dependency
        raise MissingDependency("folium is not installed: pip install 'folium>=0.20,<0.21'") from None

    data = map_data(measurements, lines, verdicts=verdicts, claim=claim, area_lines=area_lines, title=title,
                    base=base, online_tiles=online_tiles)
    js, css = leaflet_assets()

    class OfflineMap(folium.Map):
        # No CDN assets: Leaflet is inlined below; jQuery/Bootstrap/Font Awesome are not used.
        default_js: list = []
        default_css: list = []

    minx, miny, maxx, maxy = data["view"]
    fmap = OfflineMap(location=_latlon((minx + maxx) / 2, (miny + maxy) / 2), zoom_start=7, tiles=None,
                      prefer_canvas=True, control_scale=True)
    root = fmap.get_root()

    class Static(Element):
        """Fixed markup for the page header/body; variable parts are Jinja *values*, never template source."""

        def __init__(self, template: str, **values):
            super().__init__()
            self._template = Template(template)
            self.values = values

    class PageScript(MacroElement):
        """The page script, run after folium has created the map (receives the map object)."""

        _template = Template("{% macro script(this, kwargs) %}(" + _PAGE_JS + ")({{ this._parent.get_name() }});"
                             "{% endmacro %}")

    root.header.add_child(Static("<style>{{ this.values.css }}</style><script>{{ this.values.js }}</script>"
                                 "<style>{{ this.values.own_css }}</style>", css=css, js=js, own_css=_PAGE_CSS),
                          name="geomap_assets")
    root.html.add_child(Static('<script type="application/json" id="geomap-data">{{ this.values.payload }}</script>',
                               payload=page_json(data)), name="geomap_data")
    script = PageScript()
    fmap.add_child(script, name="geomap_script")
    html = root.render()
    # branca/folium add these two lines to every map; keep the document plain.
    return html.replace('<div class="folium-map"', '<div class="folium-map" role="application" aria-label="map"', 1)


def write_map(path: str | Path, measurements, lines, **kwargs) -> Path:
    """Render a map (see :func:`render_map`) and write it atomically to ``path`` (never over an input)."""
    from geomap.io.write import guard_output, write_atomic

    path = Path(path)
    guard_output(path, [getattr(lines, "path", None)])
    html = render_map(measurements, lines, **kwargs)
    write_atomic(path, html)
    return path



def add_map_outputs(measurements, lines, *, html=None, png=None, verdicts=None, claim=None, title=None,
                    online_tiles=False) -> dict:
    """Write an HTML map and/or a PNG of it for results a command already has (one call for ``--html``/``--png``).

    Parameters
    ----------
    measurements, lines, verdicts, claim, title, online_tiles
        As for :func:`render_map`.
    html : str or Path, optional
        Where to write the HTML map.
    png : str or Path, optional
        Where to write a screenshot (headless chromium; the HTML goes to a
        temporary file when ``html`` is not given).

    Returns
    -------
    dict
        ``{"html": Path or None, "png": Path or None}``.

    Raises
    ------
    MissingDependency
        ``png`` was asked for and chromium or Playwright is missing.
    """
    import tempfile

    written: dict[str, Path | None] = {"html": None, "png": None}
    if html is None and png is None:
        return written
    kwargs = dict(verdicts=verdicts, claim=claim, title=title, online_tiles=online_tiles)
    if png is not None:
        from geomap.io.write import guard_output
        from geomap.maps.screenshot import chromium_path

        guard_output(png, [getattr(lines, "path", None)])
        chromium_path()  # fail early, before rendering, when chromium is missing
    if html is not None:
        written["html"] = write_map(html, measurements, lines, **kwargs)
    if png is not None:
        from geomap.maps.screenshot import screenshot_map

        if written["html"] is not None:
            written["png"] = screenshot_map(written["html"], png)
        else:
            with tempfile.TemporaryDirectory(prefix="geomap-map-") as tmp:
                page = write_map(Path(tmp) / "map.html", measurements, lines, **kwargs)
                written["png"] = screenshot_map(page, png)
    return written


_PAGE_CSS = """
.folium-map { background: #dbe9f3; }
.geomap-title { position: absolute; top: 8px; left: 50%; transform: translateX(-50%); z-index: 1000;
  background: rgba(255,255,255,0.92); padding: 4px 12px; border-radius: 4px; font: 600 16px/1.3 sans-serif;
  max-width: 60%; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; unicode-bidi: isolate;
  box-shadow: 0 1px 4px rgba(0,0,0,0.3); }
.geomap-legend, .geomap-notice { background: rgba(255,255,255,0.94); padding: 6px 9px; border-radius: 4px;
  font: 12px/1.35 sans-serif; box-shadow: 0 1px 4px rgba(0,0,0,0.3); max-width: 300px; }
.geomap-legend h4 { margin: 0 0 4px; font-size: 13px; }
.geomap-legend .row { display: flex; align-items: center; gap: 6px; margin: 2px 0; }
.geomap-legend .sw { width: 14px; height: 14px; flex: none; border: 1px solid #555; box-sizing: border-box; }
.geomap-legend .dot { border-radius: 50%; }
.geomap-legend .ln { height: 4px; border: none; }
.geomap-legend .txt, .geomap-legend .note { overflow-wrap: anywhere; unicode-bidi: isolate; }
.geomap-legend .note { color: #444; margin-top: 4px; font-size: 11px; }
.geomap-popup { font: 12px/1.35 sans-serif; max-height: 320px; overflow: auto; }
.geomap-popup h4 { margin: 0 0 4px; font-size: 13px; overflow-wrap: anywhere; unicode-bidi: isolate; }
.geomap-popup table { border-collapse: collapse; }
.geomap-popup th { text-align: left; vertical-align: top; padding: 1px 6px 1px 0; color: #444; white-space: nowrap; }
.geomap-popup td { vertical-align: top; padding: 1px 0; overflow-wrap: anywhere; word-break: break-word;
  unicode-bidi: isolate; max-width: 280px; }
.geomap-dist { background: rgba(255,255,255,0.9); border: 1px solid #333; padding: 0 3px; font: 600 11px sans-serif; }
.geomap-notice { color: #7a0000; }
"""

# The page script: a function of the Leaflet map object.  It reads the JSON data block and builds everything
# with DOM APIs (createElement/textContent); no string from the data is ever parsed as HTML or code.
_PAGE_JS = r"""
function (MAP) {
  "use strict";
  var root = document.documentElement;
  try {
    var D = JSON.parse(document.getElementById("geomap-data").textContent);
    var S = D.inc.strings;
    var VCODE = [];
    Object.keys(D.verdicts).forEach(function (k) { VCODE[D.verdicts[k].code] = k; });
    function ll(lon, lat) { return L.latLng(lat, lon); }  // the page's one (lon, lat) -> (lat, lon) flip
    function el(tag, cls, text) {
      var e = document.createElement(tag);
      if (cls) { e.className = cls; }
      if (text !== undefined && text !== null) { e.textContent = String(text); }
      return e;
    }
    function km(m) { return (m === null || m === undefined) ? "n/a" : (m / 1000).toFixed(2) + " km"; }
    function metres(m) { return (m === null || m === undefined) ? "n/a" : m.toFixed(1) + " m (" + km(m) + ")"; }
    function rng(r) {
      if (!r) { return "n/a"; }
      var lo = r[0] ? km(r[0]) : null, hi = (r[1] === null) ? null : km(r[1]);
      if (lo === null && hi === null) { return "any distance"; }
      if (lo === null) { return "\u2264 " + hi; }
      if (hi === null) { return "\u2265 " + lo; }
      return lo + " \u2013 " + hi;
    }
    function table(rows) {
      var t = el("table");
      rows.forEach(function (r) {
        if (r[1] === null || r[1] === undefined || r[1] === "") { return; }
        var tr = el("tr"); tr.appendChild(el("th", null, r[0]));
        var td = el("td", null, r[1]); td.setAttribute("dir", "auto"); tr.appendChild(td); t.appendChild(tr);
      });
      return t;
    }
    function layerRows() {
      var Ly = D.layer;
      return [["layer", Ly.id], ["layer source", Ly.source], ["layer title", Ly.title], ["valid", Ly.valid],
              ["layer version", Ly.version], ["layer sha256", Ly.sha256 ? Ly.sha256 + "\u2026" : null],
              ["layer accuracy", Ly.accuracy_m === null || Ly.accuracy_m === undefined ? Ly.accuracy_note : "\u00b1" + Ly.accuracy_m + " m"],
              ["licence", Ly.licence], ["geomap", D.version]];
    }
    function claimRows(sentence) {
      if (!D.claim) { return []; }
      return [["claim", D.claim.text], ["read as", D.claim.matched], ["strict reading", rng(D.claim.strict)],
              ["lenient reading", rng(D.claim.lenient)], ["rule", D.claim.rule], ["verdict", sentence]];
    }
    function popupBox(heading, rows) {
      var box = el("div", "geomap-popup");
      var h = el("h4", null, heading); h.setAttribute("dir", "auto"); box.appendChild(h);
      box.appendChild(table(rows));
      return box;
    }
    function incidentPopup(i, latlng) {
      var I = D.inc, v = VCODE[I.v[i]], a = D.inc.areas[String(i)];
      var rows = [["verdict", D.verdicts[v].text], ["kind", S[I.kind[i]]], ["date", S[I.date[i]]],
                  ["note", S[I.note[i]]], ["lon, lat", I.lon[i].toFixed(6) + ", " + I.lat[i].toFixed(6)],
                  ["location uncertainty", I.r[i] ? I.r[i] + " m" : null],
                  ["distance", metres(I.d[i])], ["interval", km(I.lo[i]) + " \u2013 " + km(I.hi[i])]];
      if (a && a.min) { rows.push(["area nearest", metres(a.min[4])]); }
      if (a && a.max) { rows.push(["area farthest", metres(a.max[4])]); }
      rows.push(["nearest point", I.nlon[i] === null ? null : I.nlon[i].toFixed(6) + ", " + I.nlat[i].toFixed(6)]);
      rows.push(["section", S[I.sec[i]]]);
      if (I.side_in[i] !== null) {
        rows.push(["side", (I.side_in[i] ? "inside" : "outside") + " the held area " + S[I.side_layer[i]] +
                   " (signed distance " + (I.sd[i] === null ? "n/a" : I.sd[i].toFixed(1) + " m") + ")"]);
      }
      var sent = I.sentence[i];
      rows = rows.concat(claimRows(sent ? S[sent[0]] + sent[1] : null)).concat(layerRows());
      L.popup({maxWidth: 440}).setLatLng(latlng).setContent(popupBox(S[I.label[i]] || ("incident " + (i + 1)), rows))
        .openOn(MAP);
    }
    // One canvas for every data layer: a canvas only hit-tests its own layers and the topmost canvas receives
    // all pointer events, so separate canvases would make the lower layers unclickable.  Draw order is the
    // order of addition (area, bands, line, uncertainty, connectors, incidents).  The base map sits below in
    // its own pane and takes no events.
    MAP.createPane("geomapBase").style.zIndex = 150;
    MAP.getPane("geomapBase").style.pointerEvents = "none";
    var VEC = L.canvas({padding: 0.3});
    function canvasIn(pane) { return pane === "geomapBase" ? L.canvas({pane: pane, padding: 0.3}) : VEC; }
    var overlays = {}, stats = {incidents: 0, connectors: 0, labels: 0, uncertainty: 0};
    var b = D.view;
    MAP.fitBounds([ll(b[0], b[1]), ll(b[2], b[3])], {animate: false});
    MAP.attributionControl.setPrefix(false);

    var baseLayer = null;
    if (D.base && D.base.geom) {
      baseLayer = L.geoJSON(D.base.geom, {pane: "geomapBase", interactive: false, renderer: canvasIn("geomapBase"),
        style: {color: "#8c8c8c", weight: 0.8, fillColor: "#f4f1ea", fillOpacity: 1}}).addTo(MAP);
      overlays["Base map (Natural Earth, offline)"] = baseLayer;
    }
    if (D.online_tiles) {
      var notified = false;
      // URL and attribution are geomap's constants (ONLINE_TILES), not data from users.
      var tiles = L.tileLayer(D.online_tiles.url, {maxZoom: 18, opacity: 0.85, attribution: D.online_tiles.attribution});
      tiles.on("tileerror", function () {
        if (notified) { return; }
        notified = true;
        var note = L.control({position: "bottomleft"});
        note.onAdd = function () {
          return el("div", "geomap-notice", "Online tiles could not be loaded (offline?): the embedded base map is shown.");
        };
        note.addTo(MAP);
      });
      tiles.addTo(MAP);
      overlays["OpenStreetMap tiles (online)"] = tiles;
    }
    if (D.area && D.area.geom) {
      var area = L.geoJSON(D.area.geom, {renderer: canvasIn("geomapArea"),
        style: {color: "#555", weight: 1, dashArray: "4 3", fillColor: "#888", fillOpacity: 0.18}}).addTo(MAP);
      area.on("click", function (e) {
        L.popup({maxWidth: 440}).setLatLng(e.latlng).setContent(popupBox("Held area",
          [["layer", D.area.id], ["title", D.area.title], ["held by", D.area.held_by]].concat(layerRows()))).openOn(MAP);
      });
      overlays["Held area"] = area;
    }
    if (D.bands) {
      var bandGroup = L.layerGroup();
      [["lenient", 0.13], ["strict", 0.28]].forEach(function (p) {
        if (!D.bands[p[0]]) { return; }
        var layer = L.geoJSON(D.bands[p[0]], {renderer: canvasIn("geomapBand"),
          style: {color: "#6a3d9a", weight: p[0] === "strict" ? 1.2 : 0.6, dashArray: p[0] === "strict" ? null : "5 4",
                  fillColor: "#6a3d9a", fillOpacity: p[1]}});
        layer.on("click", function (e) {
          L.popup({maxWidth: 440}).setLatLng(e.latlng).setContent(popupBox("Where the claim would be true (" + p[0] + " reading)",
            [["claim", D.claim.text], [p[0] + " reading", rng(D.claim[p[0]])],
             ["display error", D.bands.display_error_m === null ? null : "\u2264 " + D.bands.display_error_m + " m (sampled)"],
             ["method", D.bands.method]].concat(layerRows()))).openOn(MAP);
        });
        bandGroup.addLayer(layer);
      });
      bandGroup.addTo(MAP);
      overlays["Claim band (strict dark, lenient light)"] = bandGroup;
    }
    var line = L.geoJSON(D.line, {renderer: canvasIn("geomapLine"),
      style: {color: "#111", weight: 3, opacity: 0.9}}).addTo(MAP);
    line.on("click", function (e) {
      var sec = e.layer && e.layer.feature ? e.layer.feature.properties.section : null;
      L.popup({maxWidth: 440}).setLatLng(e.latlng).setContent(popupBox("Line of contact",
        [["section", sec]].concat(layerRows()))).openOn(MAP);
    });

    var I = D.inc, n = I.n, detail = n <= D.limits.detail, labels = n <= D.limits.label;
    var incRenderer = VEC;
    var connGroup = L.layerGroup(), uncGroup = L.layerGroup(), incGroup = L.featureGroup();
    function distLabel(path, text) {
      var mid = path[Math.floor(path.length / 2)];
      var t = L.tooltip({permanent: true, direction: "center", className: "geomap-dist", interactive: false})
        .setLatLng(mid).setContent(el("span", null, text));
      connGroup.addLayer(t); stats.labels += 1;
    }
    function pathOf(flat) { var out = []; for (var k = 0; k + 1 < flat.length; k += 2) { out.push(ll(flat[k], flat[k + 1])); } return out; }
    var straight = [], markerRadius = n <= 200 ? 6 : (n <= D.limits.detail ? 4.5 : (n <= 20000 ? 3 : 2));
    for (var i = 0; i < n; i++) {
      var colour = D.verdicts[VCODE[I.v[i]]].colour, a = I.areas[String(i)];
      if (a) {
        if (a.geom) {
          var poly = L.geoJSON(a.geom, {renderer: canvasIn("geomapUnc"),
            style: {color: colour, weight: 1.5, fillColor: colour, fillOpacity: 0.15}});
          poly.on("click", (function (j) { return function (e) { incidentPopup(j, e.latlng); }; })(i));
          uncGroup.addLayer(poly); stats.uncertainty += 1;
        }
        ["min", "max"].forEach(function (w) {
          if (!a[w]) { return; }
          var p = a[w + "_path"] ? pathOf(a[w + "_path"]) : [ll(a[w][0], a[w][1]), ll(a[w][2], a[w][3])];
          connGroup.addLayer(L.polyline(p, {renderer: canvasIn("geomapConn"), color: colour,
            weight: 2, dashArray: w === "max" ? "6 4" : null, interactive: false}));
          stats.connectors += 1;
          if (labels) { distLabel(p, w + " " + km(a[w][4])); }
        });
      } else if (detail && I.r[i] > 0) {
        uncGroup.addLayer(L.circle(ll(I.lon[i], I.lat[i]), {radius: I.r[i], renderer: canvasIn("geomapUnc"),
          color: colour, weight: 1, fillColor: colour, fillOpacity: 0.12, interactive: false}));
        stats.uncertainty += 1;
      }
      if (I.nlon[i] !== null && !a) {
        if (detail) {
          var p = I.paths && I.paths[i] ? pathOf(I.paths[i]) : [ll(I.lon[i], I.lat[i]), ll(I.nlon[i], I.nlat[i])];
          connGroup.addLayer(L.polyline(p, {renderer: canvasIn("geomapConn"), color: colour,
            weight: 1.5, interactive: false}));
          if (labels) { distLabel(p, km(I.d[i])); }
        } else {
          straight.push([ll(I.lon[i], I.lat[i]), ll(I.nlon[i], I.nlat[i])]);
        }
        stats.connectors += 1;
      }
      var mk = L.circleMarker(ll(I.lon[i], I.lat[i]), {renderer: incRenderer, radius: markerRadius,
        color: "#fff", weight: n > D.limits.detail ? 0.4 : 1.2, fillColor: colour, fillOpacity: 0.95});
      mk._geomapIndex = i;
      incGroup.addLayer(mk);
      stats.incidents += 1;
    }
    if (straight.length) {
      connGroup.addLayer(L.polyline(straight, {renderer: canvasIn("geomapConn"), color: "#444",
        weight: 0.6, opacity: 0.6, interactive: false}));
    }
    // The line again on top, not clickable (the canvas hit-tests interactive layers only), so that dense
    // incidents cannot hide it; clicks still reach the incidents and the line below.
    var lineTop = L.geoJSON(D.line, {renderer: VEC, interactive: false, style: {color: "#111", weight: 2.2, opacity: 0.95}});
    incGroup.on("click", function (e) { incidentPopup(e.layer._geomapIndex, e.layer.getLatLng()); });
    uncGroup.addTo(MAP); connGroup.addTo(MAP); incGroup.addTo(MAP); lineTop.addTo(MAP);
    var lineGroup = L.layerGroup([line, lineTop]);
    overlays["Line of contact"] = lineGroup;
    // Re-adding a layer from the layer control would draw it on top: keep the stacking order.
    MAP.on("overlayadd", function () {
      [line, area, bandGroup].forEach(function (g) { if (g && MAP.hasLayer(g)) { g.eachLayer(function (x) {
        if (x.bringToBack) { x.bringToBack(); } }); } });
      [uncGroup, connGroup, incGroup, lineTop].forEach(function (g) { if (MAP.hasLayer(g)) { g.eachLayer(function (x) {
        if (x.bringToFront) { x.bringToFront(); } }); } });
    });
    overlays["Uncertainty (circle or area)"] = uncGroup;
    overlays["Connectors to the nearest point"] = connGroup;
    overlays["Incidents"] = incGroup;
    // Layer names are fixed strings above (Leaflet inserts them as HTML); no data text is used.
    L.control.layers(null, overlays, {collapsed: true, position: "topright"}).addTo(MAP);

    var legend = L.control({position: "bottomright"});
    legend.onAdd = function () {
      var box = el("div", "geomap-legend");
      box.appendChild(el("h4", null, "Legend"));
      function item(kind, colour, text, extra) {
        var r = el("div", "row"), sw = el("span", "sw " + kind);
        sw.style.background = colour; if (extra) { extra(sw); }
        r.appendChild(sw); var t = el("span", "txt", text); t.setAttribute("dir", "auto"); r.appendChild(t); box.appendChild(r);
      }
      Object.keys(D.verdicts).forEach(function (k) {
        var V = D.verdicts[k];
        if (V.count > 0) { item("dot", V.colour, V.text + " (" + V.count + ")"); }
      });
      item("ln", "#111", "line of contact: " + D.layer.id + (D.layer.accuracy_m === null || D.layer.accuracy_m === undefined
        ? " (accuracy " + D.layer.accuracy_note + ")" : " (accuracy \u00b1" + D.layer.accuracy_m + " m)"));
      if (D.area && D.area.geom) { item("", "rgba(136,136,136,0.35)", "held area: " + D.area.id); }
      if (D.bands) {
        if (D.bands.strict) { item("", "rgba(106,61,154,0.45)", "claim true (strict): " + rng(D.claim.strict)); }
        if (D.bands.lenient) { item("", "rgba(106,61,154,0.18)", "claim true (lenient): " + rng(D.claim.lenient)); }
      }
      if (D.claim) { var c = el("div", "note", "Claim: \u201c" + D.claim.text + "\u201d"); c.setAttribute("dir", "auto"); box.appendChild(c); }
      if (D.bands && D.bands.display_error_m !== null) {
        box.appendChild(el("div", "note", "Band edges within " + D.bands.display_error_m + " m of the exact geodesic distance (sampled)."));
      }
      box.appendChild(el("div", "note", "Circles/areas: location uncertainty. Lines: to the nearest point (geodesic)." +
        (labels ? "" : " Click an incident for its distance.")));
      var src = "Base: " + (D.base ? D.base.attribution || D.base.id : "none") + " \u00b7 layer sha256 " + D.layer.sha256 +
        "\u2026 \u00b7 geomap " + D.version;
      box.appendChild(el("div", "note", src));
      L.DomEvent.disableClickPropagation(box); L.DomEvent.disableScrollPropagation(box);
      return box;
    };
    legend.addTo(MAP);
    var title = el("div", "geomap-title", D.title); title.setAttribute("dir", "auto"); title.title = D.title;
    MAP.getContainer().appendChild(title);
    window.geomapStats = stats;
    window.geomapMap = MAP;
    // Canvas layers paint on the next animation frame: signal "ready" once that has happened.
    requestAnimationFrame(function () { requestAnimationFrame(function () {
      window.geomapReady = true;
      root.setAttribute("data-geomap-ready", "1");
    }); });
  } catch (err) {
    root.setAttribute("data-geomap-error", String(err && err.message || err));
    console.error("geomap map failed: " + (err && err.stack || err));
  }
}
"""
