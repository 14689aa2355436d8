"""What the map page draws, as data: measured columns in, one JSON-ready dict (plus a compact incident block) out.

:func:`map_data_from_columns` is the entry point: it takes the measured rows
as COLUMNS (numpy arrays or a pandas frame; one value per input row) and the
lines they were measured against, keyed by layer id.  It measures nothing:
every distance, nearest point, interval and verdict shown on the map is the
one handed in.  :func:`map_data` is a thin adapter for a list of
:class:`geomap.pipeline.result.IncidentResult` (``Result.rows()``).

Columns (all optional except ``lon``/``lat``; metres and degrees, (lon, lat))
------------------------------------------------------------------------------
``label``, ``row`` (1-based input row; default: position + 1), ``date``,
``lon``, ``lat``, ``radius_m``, ``distance_m``, ``nearest_lon``,
``nearest_lat``, ``interval_low_m``, ``interval_high_m``, ``verdict``
(``supported``/``contradicted``/``inconclusive``/empty), ``sentence``,
``layer_id`` (which key of ``lines_by_layer`` the row was measured against),
``status`` (rows whose status is not ``ok``, or without coordinates, are not
drawn; they are counted by status), ``note``, ``kind``, ``section``,
``inside_area`` (1/0/NaN), ``area_layer``, ``signed_distance_m``; for area
incidents ``area_geometry`` (shapely, lon/lat), ``area_min_m``, ``area_max_m``,
``area_min_lon``, ``area_min_lat``, ``area_max_lon``, ``area_max_lat`` and,
for the connectors, ``area_min_nearest_lon``/``_lat``,
``area_max_nearest_lon``/``_lat`` (without them the area's nearest and
farthest points are drawn without a connector).
"""

from __future__ import annotations

import math
from typing import Any, Mapping

from geomap._version import __version__
from geomap.errors import InputError
from geomap.maps import encode
from geomap.maps.bands import bands_data
from geomap.maps.geo import area_data, base_data, geodesic_path, geojson, line_data, view_bounds

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
#: at most this many incidents in one period get permanent distance labels
LABEL_LIMIT = 50
#: at most this many incidents get geodesic (curved) connectors and uncertainty shapes drawn one by one
DETAIL_LIMIT = 2000
#: above this many incidents the per-row verdict sentence is left out of the page (the output table has it)
SENTENCE_LIMIT = 20000
#: text columns, dictionary-coded
TEXT_COLUMNS = ("label", "date", "note", "kind", "section", "sentence", "area_layer", "side_text")
#: numeric columns -> (page name, scale to integers); degrees to 1e-6 (0.1 m), metres to 0.1 m
NUMBER_COLUMNS = {
    "lon": ("lon", 1e6), "lat": ("lat", 1e6), "nearest_lon": ("nlon", 1e6), "nearest_lat": ("nlat", 1e6),
    "distance_m": ("d", 10.0), "interval_low_m": ("lo", 10.0), "interval_high_m": ("hi", 10.0),
    "radius_m": ("r", 10.0), "signed_distance_m": ("sd", 10.0),
}


def _latlon(lon: float, lat: float) -> list[float]:
    """The one place in Python where (lon, lat) becomes Leaflet's [lat, lon]."""
    return [float(lat), float(lon)]


def map_centre(view) -> list[float]:
    """Leaflet's [lat, lon] centre of a (min_lon, min_lat, max_lon, max_lat) view."""
    minx, miny, maxx, maxy = view
    return _latlon((minx + maxx) / 2, (miny + maxy) / 2)


def _r(value, digits):
    if value is None:
        return None
    value = float(value)
    return round(value, digits) if math.isfinite(value) else None


def _range_pair(rng) -> list | None:
    if rng is None:
        return None
    return [_r(getattr(rng, "min_m", None), 3), _r(getattr(rng, "max_m", None), 3)]


def claim_data(claim) -> dict | None:
    """The claim's text, readings and rule for the page (None without a claim)."""
    if claim is None:
        return None
    readings = claim.describe_readings() if hasattr(claim, "describe_readings") else ""
    text = str(getattr(claim, "text", "") or "")
    if not text.strip():  # bounds given with --min-km/--max-km and no (or a blank) --claim
        text = f"(no text: bounds {readings})"
    return {
        "text": text,
        "matched": str(getattr(claim, "matched_text", "") or ""),
        "rule": str(getattr(claim, "rule", "") or ""),
        "readings": str(readings),
        "strict": _range_pair(getattr(claim, "strict", None)),
        "lenient": _range_pair(getattr(claim, "lenient", None)),
    }


def layer_data(lines, layer_id: str | None = None, validity=None) -> dict:
    """Provenance of one line layer for popups and the legend (id, source, validity, sha256, ...)."""
    from pathlib import Path

    ev = lines.evidence() if hasattr(lines, "evidence") else {}
    layer = getattr(lines, "layer", None)
    valid_from = getattr(layer, "valid_from", None) if layer is not None else None
    valid_to = getattr(layer, "valid_to", None) if layer is not None else None
    if validity is not None:
        valid_from, valid_to = validity
    valid_from = None if valid_from in (None, "") else str(valid_from)
    valid_to = None if valid_to in (None, "") else str(valid_to)
    source = str(ev.get("layer", getattr(lines, "source", "")) or "")
    if "/" in source or "\\" in source:  # never a user's local path in the page
        source = Path(source).name
    lid = layer_id or ev.get("layer_id") or source
    return {
        "id": str(lid),
        "source": source,
        "title": ev.get("layer_title"),
        "version": ev.get("layer_version"),
        "valid": None if valid_from is None and valid_to is None else f"{valid_from or '?'} to {valid_to or 'open'}",
        "valid_from": valid_from,
        "valid_to": valid_to,
        "sha256": str(ev.get("layer_sha256") or getattr(lines, "sha256", "") or "")[:12],
        "accuracy_m": ev.get("layer_accuracy_m"),
        "accuracy_note": None if ev.get("layer_accuracy_m") is not None else "not stated: intervals leave map error out",
        "licence": ev.get("layer_licence"),
        "attribution": ev.get("layer_attribution"),
    }


def default_title(lines_by_layer: Mapping[str, Any], claim=None) -> str:
    """``Distance to LAYER[, LAYER...]`` and the claim's text."""
    text = "Distance to " + ", ".join(str(k) for k in lines_by_layer)
    if claim is not None:
        label = getattr(claim, "label", getattr(claim, "text", ""))
        text += f" - claim: {label}" if label else f" - claim: {claim.describe_readings()}"
    return text


def _as_columns(columns) -> dict[str, Any]:
    import numpy as np

    if hasattr(columns, "columns") and hasattr(columns, "__getitem__") and not isinstance(columns, Mapping):
        out = {str(c): columns[c].to_numpy() for c in columns.columns}
    else:
        out = {str(k): (v if hasattr(v, "dtype") else np.asarray(list(v), dtype=object)) for k, v in columns.items()}
    for need in ("lon", "lat"):
        if need not in out:
            raise InputError(f"map columns lack {need!r}: pass lon and lat (degrees) for every row")
    n = len(out["lon"])
    for name, values in out.items():
        if len(values) != n:
            raise InputError(f"map column {name!r} has {len(values)} values for {n} rows: pass one per row")
    return out


def _floats(cols, name, idx):
    import numpy as np

    if name not in cols:
        return np.full(idx.size, np.nan)
    values = cols[name]
    try:
        return np.asarray(values, dtype=float)[idx]
    except (TypeError, ValueError):
        return np.asarray([np.nan if v is None else float(v) for v in np.asarray(values, dtype=object)[idx]])


def _texts(cols, name, idx):
    """Selected values of a text column as a pandas Series of str ('' for missing); for small columns."""
    import numpy as np
    import pandas as pd

    if name not in cols:
        return None
    s = pd.Series(np.asarray(cols[name], dtype=object)[idx], dtype=object)
    bad = s.isna()
    s = s.astype(str)
    s[bad] = ""
    return s


def _raw(cols, name, idx):
    """Selected values of a column as they are (object array), or None."""
    import numpy as np

    if name not in cols:
        return None
    return np.asarray(cols[name], dtype=object)[idx]


class _Strings:
    """The page's string dictionary: each text column's distinct values, appended in turn ("" first)."""

    def __init__(self):
        self.items: list[str] = [""]

    def codes(self, values):
        """uint32 indexes into the dictionary for ``values`` (None/NaN become "")."""
        import pandas as pd

        if values is None:
            return None
        codes, uniques = pd.factorize(values, sort=False, use_na_sentinel=True)
        offset = len(self.items)
        self.items.extend("" if u is None else str(u) for u in uniques)
        codes = codes.astype("<i8") + offset
        codes[codes < offset] = 0  # the na sentinel (-1) -> ""
        return codes.astype("<u4")


def _order_layers(lines_by_layer, validity):
    def start(item):
        lid, lines = item
        v = (validity or {}).get(lid)
        if v is None:
            layer = getattr(lines, "layer", None)
            v = (getattr(layer, "valid_from", None), None)
        return (str(v[0] or ""), lid)

    return [lid for lid, _ in sorted(lines_by_layer.items(), key=start)]


def map_data_from_columns(columns, lines_by_layer: Mapping[str, Any], *, validity: Mapping[str, tuple] | None = None,
                          claim=None, area_lines=None, title: str | None = None, base: str | None = "ne-countries-50m",
                          online_tiles: bool = False) -> dict:
    """Everything the page shows, from measured columns (see the module docstring for the column names).

    Parameters
    ----------
    columns : pandas.DataFrame or mapping of name -> array
        One value per input row; ``lon``/``lat`` required.  Rows whose
        ``status`` is not ``ok`` or that lack coordinates are counted, not drawn.
    lines_by_layer : mapping of layer id -> LineSet
        Every line a row was measured against (``layer_id`` column); with
        several, the page has a period control.
    validity : mapping of layer id -> (valid_from, valid_to), optional
        ISO dates; default: the shipped layer's metadata.
    claim : geomap.claims.Claim, optional
        Draws the band where the claim would be true, per line.
    area_lines, title, base, online_tiles
        As for :func:`geomap.maps.page.render_map`.

    Returns
    -------
    dict
        JSON-ready (lon/lat order, metres); ``data["inc"]`` holds the
        encoded incident block (``header`` and base64 ``blob``, see
        :mod:`geomap.maps.encode`) and small per-row extras (``paths``,
        ``areas``) keyed by drawn-row index.

    Raises
    ------
    InputError
        No line given, a row names a layer not in ``lines_by_layer``, or a
        column has the wrong length.
    """
    import numpy as np

    from geomap.geodesy import GEOD

    if not lines_by_layer:
        raise InputError("no line given for the map: pass the LineSet(s) the rows were measured against")
    cols = _as_columns(columns)
    n_rows = len(cols["lon"])
    lon_all = _floats(cols, "lon", np.arange(n_rows))
    lat_all = _floats(cols, "lat", np.arange(n_rows))
    status = _texts(cols, "status", np.arange(n_rows))
    ok = np.isfinite(lon_all) & np.isfinite(lat_all)
    if status is not None:
        ok &= (status.to_numpy() == "ok") | (status.to_numpy() == "")
    skipped: dict[str, int] = {}
    if not ok.all():
        why = status.to_numpy().astype(object).copy() if status is not None else np.full(n_rows, "", dtype=object)
        why[(why == "ok") | (why == "")] = "no coordinates"
        names, counts = np.unique(why[~ok].astype(str), return_counts=True)
        skipped = {str(a): int(b) for a, b in zip(names, counts)}
    idx = np.flatnonzero(ok)
    n = int(idx.size)

    order = _order_layers(lines_by_layer, validity)
    layer_pos = {lid: k for k, lid in enumerate(order)}
    if "layer_id" in cols:
        ids = _texts(cols, "layer_id", idx)
        if len(order) == 1:
            ids = ids.where(ids != "", order[0])
        unknown = sorted(set(ids.unique()) - set(layer_pos))
        if unknown:
            raise InputError(f"rows were measured against {', '.join(map(repr, unknown[:3]))}, which the map was not "
                             f"given: pass every line in lines_by_layer (given: {', '.join(order)})")
        layer_codes = ids.map(layer_pos).to_numpy().astype("<u2")
    else:
        if len(order) > 1:
            raise InputError("several lines but no layer_id column: say which line each row was measured against")
        layer_codes = np.zeros(n, dtype="<u2")

    strings = _Strings()
    block: dict[str, Any] = {}
    scales: dict[str, float] = {}
    for name, (page_name, scale) in NUMBER_COLUMNS.items():
        values = _floats(cols, name, idx)
        if name in ("lon", "lat") or np.isfinite(values).any():
            block[page_name] = encode.scaled_i32(values, scale)
            scales[page_name] = scale
    if "r" not in block:
        block["r"] = np.zeros(n, dtype="<i4")
        scales["r"] = 10.0
    verdict = _texts(cols, "verdict", idx)
    codes = np.full(n, VERDICT_STYLE["none"][0], dtype="u1")
    if verdict is not None:
        for name, style in VERDICT_STYLE.items():
            codes[verdict.to_numpy() == name] = style[0]
    block["v"] = codes
    block["layer"] = layer_codes
    rows = _floats(cols, "row", idx) if "row" in cols else (idx + 1).astype(float)
    block["row"] = np.nan_to_num(rows, nan=0.0).astype("<u4")
    inside = _floats(cols, "inside_area", idx)
    block["side_in"] = np.where(np.isfinite(inside), (inside > 0).astype("i1"), np.int8(-1)).astype("i1")
    for name in TEXT_COLUMNS:
        if name == "sentence" and n > SENTENCE_LIMIT:
            continue
        values = _raw(cols, name, idx)
        if values is not None:
            block[name] = strings.codes(values)
    header, blob = encode.encode_block(block, strings.items, scales)

    lon, lat = lon_all[idx], lat_all[idx]
    nlon, nlat = _floats(cols, "nearest_lon", idx), _floats(cols, "nearest_lat", idx)
    areas: dict[str, Any] = {}
    extra_x, extra_y = [lon, nlon], [lat, nlat]
    if "area_geometry" in cols:
        geoms = np.asarray(cols["area_geometry"], dtype=object)[idx]
        amin = {k: _floats(cols, f"area_min_{k}", idx) for k in ("m", "lon", "lat", "nearest_lon", "nearest_lat")}
        amax = {k: _floats(cols, f"area_max_{k}", idx) for k in ("m", "lon", "lat", "nearest_lon", "nearest_lat")}
        for i in np.flatnonzero([g is not None and not getattr(g, "is_empty", True) for g in geoms]):
            a: dict[str, Any] = {"geom": geojson(geoms[i], 5)}
            for which, src in (("min", amin), ("max", amax)):
                if math.isfinite(src["lon"][i]) and math.isfinite(src["m"][i]):
                    a[which] = [_r(src["lon"][i], 6), _r(src["lat"][i], 6), _r(src["nearest_lon"][i], 6),
                                _r(src["nearest_lat"][i], 6), _r(src["m"][i], 1)]
            areas[str(int(i))] = a
            b = geoms[i].bounds
            extra_x.append(np.asarray([b[0], b[2]]))
            extra_y.append(np.asarray([b[1], b[3]]))
    paths = None
    if 0 < n <= DETAIL_LIMIT:
        paths = [None if str(i) in areas else geodesic_path(GEOD, _r(lon[i], 6), _r(lat[i], 6), _r(nlon[i], 6),
                                                             _r(nlat[i], 6)) for i in range(n)]
        for a in areas.values():
            for which in ("min", "max"):
                if which in a:
                    p = a[which]
                    a[which + "_path"] = geodesic_path(GEOD, p[0], p[1], p[2], p[3])
    view = view_bounds(extra_x, extra_y, [lines_by_layer[k] for k in order])
    focus = view_bounds(extra_x, extra_y, []) if n else view  # what the page zooms to: the incidents

    layers = []
    for lid in order:
        lines = lines_by_layer[lid]
        meta = layer_data(lines, lid, (validity or {}).get(lid))
        meta["line"] = line_data(lines)
        meta["area"] = area_data(lines, view, area_lines)
        meta["bands"] = bands_data(claim, lines, view)
        meta["rows"] = int(np.count_nonzero(layer_codes == layer_pos[lid]))
        layers.append(meta)
    counts = {name: int(np.count_nonzero(codes == style[0])) for name, style in VERDICT_STYLE.items()}
    return {
        "title": str(title) if title else default_title({k: None for k in order}, claim),
        "version": __version__,
        "view": [round(v, 5) for v in view],
        "focus": [round(v, 5) for v in focus],
        "layers": layers,
        "base": base_data(base, view),
        "claim": claim_data(claim),
        "inc": {"n": n, "header": header, "blob": blob, "paths": paths, "areas": areas,
                "sentences": n <= SENTENCE_LIMIT},
        "rows_total": n_rows,
        "skipped": skipped,
        "verdicts": {name: {"code": s[0], "colour": s[1], "text": s[2], "count": counts[name]}
                     for name, s in VERDICT_STYLE.items()},
        "limits": {"label": LABEL_LIMIT, "detail": DETAIL_LIMIT, "sentence": SENTENCE_LIMIT},
        "online_tiles": dict(ONLINE_TILES) if online_tiles else None,
    }


def _verdict_name(verdict) -> str:
    if verdict is None:
        return "none"
    name = getattr(verdict, "verdict", verdict)
    return name if name in VERDICT_STYLE else "none"


def row_columns(rows) -> dict[str, list]:
    """Columns (see the module docstring) from the typed rows of a :class:`~geomap.pipeline.result.Result`.

    Only measured rows carry distances; the others keep their status and are
    counted, not drawn.
    """
    cols: dict[str, list] = {k: [] for k in (
        "row", "status", "label", "date", "lon", "lat", "radius_m", "distance_m", "nearest_lon", "nearest_lat",
        "interval_low_m", "interval_high_m", "verdict", "sentence", "note", "kind", "section", "inside_area",
        "area_layer", "signed_distance_m", "side_text", "layer_id", "area_geometry", "area_min_m", "area_max_m",
        "area_min_lon", "area_min_lat", "area_max_lon", "area_max_lat", "area_min_nearest_lon",
        "area_min_nearest_lat", "area_max_nearest_lon", "area_max_nearest_lat")}
    nan = float("nan")
    for r in rows:
        inc, d, side, area, v = r.incident, r.nearest, r.side, r.area, r.verdict
        inside = side.inside_area if side is not None else None
        row = {
            "row": r.row, "status": r.status, "label": r.label, "date": inc.date or "" if inc else "",
            "lon": inc.lon if inc else nan, "lat": inc.lat if inc else nan, "radius_m": inc.radius_m if inc else 0.0,
            "distance_m": d.distance_m if d else None, "nearest_lon": d.lon if d else None,
            "nearest_lat": d.lat if d else None,
            "interval_low_m": r.interval_m[0] if r.interval_m else None,
            "interval_high_m": r.interval_m[1] if r.interval_m else None,
            "verdict": _verdict_name(v), "sentence": "" if v is None else str(v.sentence or ""),
            "note": inc.note if inc else "", "kind": inc.kind if inc else "", "section": d.section if d else "",
            "inside_area": nan if inside is None else float(bool(inside)),
            "area_layer": side.area_layer if side is not None else "",
            "signed_distance_m": side.signed_distance_m if side is not None else None,
            "side_text": side.text if side is not None else "",
            "layer_id": r.evidence.get("layer") or "",
            "area_geometry": inc.area if inc else None,
        }
        for which in ("min", "max"):
            if area is None:
                values = (None,) * 5
            else:
                near = area.min_nearest if which == "min" else area.max_nearest
                values = (getattr(area, f"{which}_m"), getattr(area, f"{which}_lon"), getattr(area, f"{which}_lat"),
                          near[0] if near else None, near[1] if near else None)
            for k, value in zip(("m", "lon", "lat", "nearest_lon", "nearest_lat"), values):
                row[f"area_{which}_{k}"] = value
        for k, value in row.items():
            cols[k].append(nan if value is None and k != "area_geometry" else value)
    return cols


def map_data(rows, lines, *, claim=None, area_lines=None, title=None, base="ne-countries-50m",
             online_tiles=False) -> dict:
    """:func:`map_data_from_columns` for typed rows measured against one line (a thin adapter).

    ``rows`` are :class:`~geomap.pipeline.result.IncidentResult` (``Result.rows()``),
    carrying their own verdicts when the run judged a claim.
    """
    rows, lines, claim = _drawable(rows, lines, claim)
    cols = row_columns(rows)
    lid = layer_data(lines)["id"]
    cols["layer_id"] = [lid] * len(cols["row"])
    return map_data_from_columns(cols, {lid: lines}, claim=claim, area_lines=area_lines, title=title, base=base,
                                 online_tiles=online_tiles)


def _drawable(rows, lines, claim):
    """``(rows, lines, claim)`` for a map: a Result stands for its rows (and its line and claim when not given),
    a layer id or path for its LineSet; InputError for anything a map cannot draw (not a raw TypeError)."""
    import os

    from geomap.errors import InputError
    from geomap.pipeline.result import IncidentResult, Result

    if isinstance(rows, Result):
        if lines is None:
            lines = rows.line()  # None when the rows were measured against several lines
        claim = rows.claim if claim is None else claim
        rows = rows.rows()
    if isinstance(lines, (str, os.PathLike)):
        from geomap.layers.lineset import read_lines

        lines = read_lines(lines)
    if lines is None or not hasattr(lines, "geoms"):
        raise InputError(f"a map needs one line to draw, not {type(lines).__name__}: give result.line(), a layer id "
                         "or path, or geomap.read_lines(...) (rows measured against several lines: "
                         "geomap.add_result_map(result, html=...))")
    try:
        rows = list(rows)
    except TypeError:
        rows = [rows]
    odd = next((r for r in rows if not isinstance(r, IncidentResult)), None)
    if odd is not None:
        raise InputError(f"a map draws measured rows (result.rows()), not {type(odd).__name__}: measure first "
                         "with geomap.measure(...)")
    return rows, lines, claim


def decode_incidents(data: dict) -> dict[str, Any]:
    """The incident columns of :func:`map_data_from_columns`'s result, decoded (tests, readers of saved maps).

    Returns lists: numbers in degrees/metres (None for null), texts as str,
    ``v`` as verdict codes, ``layer`` as layer ids, ``row`` 1-based.
    """
    raw = encode.decode_block(data["inc"]["header"], data["inc"]["blob"])
    strings = raw.pop("strings")
    scales = {s["name"]: s["scale"] for s in data["inc"]["header"]["segments"]}
    out: dict[str, Any] = {"n": data["inc"]["n"], "strings": strings}
    for name, arr in raw.items():
        if name in TEXT_COLUMNS:
            out[name] = [strings[k] for k in arr.tolist()]
        elif scales.get(name):
            out[name] = [None if x == encode.NULL_I32 else x / scales[name] for x in arr.tolist()]
        elif name == "layer":
            out[name] = [data["layers"][k]["id"] for k in arr.tolist()]
        elif name == "side_in":
            out[name] = [None if x < 0 else x for x in arr.tolist()]
        else:
            out[name] = arr.tolist()
    return out
