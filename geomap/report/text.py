"""A :class:`~geomap.pipeline.result.Result` as text: a table for people, JSON, CSV or GeoJSON.

Two shapes, one result type:

* the rows of a file (``geomap distance FILE``): every input column plus the
  result columns, as CSV/JSON/GeoJSON, or a short table;
* ``--at``/``--place`` incidents: one JSON record per incident
  (:meth:`~geomap.pipeline.result.IncidentResult.to_dict`), or the table with
  the claim, the line and every note under it.

Tables for people round to 10 m (``distance_km`` with two decimals) and say
so; the machine formats carry millimetres and 1e-9 degrees.
"""

from __future__ import annotations

from geomap.io import text as out
from geomap.io.text import safe_text

#: said under every table for people: what was rounded, and where the exact values are
ROUNDING_NOTE = "(km rounded to 10 m and coordinates to 1e-5 degree in this table; --format json or csv give mm and 1e-9 degree)"

#: result columns the people's table of a file shows, after the label, date and status
_FILE_TABLE_COLUMNS = ("distance_m", "distance_low_m", "distance_high_m", "section", "layer", "verdict")


def result_text(result, fmt: str) -> str:
    """``result`` formatted as ``fmt`` (``table``, ``json``, ``csv`` or ``geojson``)."""
    if result.incidents is None:
        return frame_text(result.frame, fmt, lon=result.lon, lat=result.lat, id_col=result.id_col,
                          label_col=result.label_col)
    rows = result.rows()
    if fmt == "json":
        records = [r.to_dict() for r in rows]
        return out.dumps(records[0] if len(records) == 1 else records)
    if fmt == "csv":
        return out.to_csv([_flat(r) for r in rows])
    if fmt == "geojson":
        feats = []
        for r in rows:
            rec = r.to_dict()
            props = _split_intervals(out.flatten({k: v for k, v in rec.items()
                                                  if k not in ("evidence", "judgement", "claim")}))
            props.update({f"evidence_{k}": v for k, v in rec["evidence"].items() if not isinstance(v, (dict, list))})
            props["layer_accuracy_m"] = rec["evidence"].get("layer_accuracy_m")  # as a file's rows name it
            if r.verdict is not None:
                props.update(verdict=r.verdict.verdict, claim_text=result.claim.text, claim_rule=result.claim.rule,
                             sentence=r.verdict.sentence)
            feats.append({"type": "Feature", "geometry": {"type": "Point", "coordinates": [r.incident.lon,
                                                                                         r.incident.lat]},
                          "properties": props})
        return out.to_geojson(feats)
    return check_table(result, rows) if result.claim is not None else distance_table(result, rows)


def _split_intervals(flat: dict) -> dict:
    """``x_interval_m: [low, high]`` as the two columns a file's rows have, ``x_low_m`` and ``x_high_m``.

    So ``--at``/``--place`` CSV and GeoJSON name the interval as ``geomap distance FILE`` does,
    and a spreadsheet gets two numbers, not the text of a list.
    """
    out_: dict = {}
    for key, value in flat.items():
        if key.endswith("_interval_m"):
            low, high = value if isinstance(value, (list, tuple)) and len(value) == 2 else (None, None)
            base = key[: -len("_interval_m")]
            out_[f"{base}_low_m"], out_[f"{base}_high_m"] = low, high
        else:
            out_[key] = value
    return out_


def _flat(r) -> dict:
    rec = r.to_dict()
    flat = _split_intervals(out.flatten({k: v for k, v in rec.items()
                                         if k not in ("evidence", "uncertainty", "judgement", "claim")}))
    flat.update({k: rec["evidence"].get(k) for k in ("layer", "layer_sha256", "layer_version", "layer_accuracy_m",
                                                     "method", "geomap_version")})
    if r.verdict is not None:
        flat.update(verdict=r.verdict.verdict, claim_text=r.verdict.claim.text, claim_rule=r.verdict.claim.rule,
                    sentence=r.verdict.sentence)
    return flat


def _section(r) -> str:
    return f"{r.nearest.section} seg {r.nearest.segment_index}" if r.nearest is not None else "n/a"


def distance_table(result, rows) -> str:
    """The people's table of ``geomap distance --at/--place``, with the evidence under it."""
    body = []
    for r in rows:
        inc = r.incident
        n = r.nearest
        body.append([
            r.label,
            f"{inc.lon:.5f},{inc.lat:.5f}",
            out.km(n.distance_m) if n else r.status,
            f"{out.km(r.interval_m[0])}–{out.km(r.interval_m[1])}" if r.interval_m else "n/a",
            f"{n.lon:.5f},{n.lat:.5f}" if n else "n/a",
            _section(r),
        ])
    text = out.table(body, ["incident", "lon,lat", "distance_km", "interval_km", "nearest lon,lat", "section"])
    ev = rows[0].evidence if rows else {}
    foot = [
        "",
        f"layer: {ev.get('layer')}  sha256: {str(ev.get('layer_sha256'))[:16]}…",
        (f"layer accuracy: ±{ev['layer_accuracy_m']:g} m ({ev.get('layer_accuracy_source')})"
         if ev.get("layer_accuracy_m") is not None else
         "layer accuracy: none stated: the interval leaves map error out (give it with --layer-accuracy-m M)"),
        f"method: {ev.get('method')}",
        f"geomap {ev.get('geomap_version')}",
    ]
    for r in rows:
        if r.area is not None:
            a = r.area
            foot.insert(1, f"{r.label}: area distances {out.km(a.min_m)}–{out.km(a.max_m)} km "
                           f"(max within {a.max_tolerance_m:.0f} m)")
        if r.incident.note:
            foot.insert(1, f"{r.label}: {r.incident.note}")
    foot.append(ROUNDING_NOTE)
    return text + "\n".join(safe_text(line) for line in foot)


def check_table(result, rows) -> str:
    """The people's table of ``geomap check --at/--place``: verdicts, claim, line, notes and sentences."""
    body = []
    for r in rows:
        inc = r.incident
        if r.area is not None:
            dist = f"{out.km(r.area.min_m)}–{out.km(r.area.max_m)}"
        else:
            dist = out.km(r.nearest.distance_m) if r.nearest else r.status
        body.append([
            r.label,
            "area" if r.area is not None else f"±{out.km(inc.radius_m, 1)} km",
            dist,
            f"{out.km(r.interval_m[0])}–{out.km(r.interval_m[1])}" if r.interval_m else "n/a",
            r.verdict.verdict if r.verdict is not None else r.status,
        ])
    text = out.table(body, ["incident", "location", "distance_km", "interval_km", "verdict"])
    claim = result.claim
    ev = rows[0].evidence if rows else {}
    lines = [
        "",
        (f"claim: {claim.text!r} -> " if claim.label else "claim (bounds given, no text): ")
        + f"{claim.describe_readings()} (rule {claim.rule})",
        f"line: {ev.get('layer')} valid {ev.get('layer_valid_from') or '?'}..{ev.get('layer_valid_to') or ''}, "
        + (f"stated accuracy ±{out.km(ev['layer_accuracy_m'], 1)} km" if ev.get("layer_accuracy_m") is not None
           else "no stated accuracy (the interval leaves map error out)")
        + f", sha256 {str(ev.get('layer_sha256'))[:12]}…"
        + (f"; {ev['layer_attribution']}" if "OpenStreetMap" in str(ev.get("layer_attribution") or "") else "")
        + (f"; your own layer, from {ev.get('original_file')}" if ev.get("layer_origin") == "user" else ""),
    ]
    for r in rows:
        if r.incident.note:
            lines.append(f"{r.label}: {r.incident.note}")
    for r in rows:
        if r.verdict_without_uncertainty is not None:
            lines.append(f"{r.label}: at the measured {out.km(r.nearest.distance_m)} km alone "
                         f"(no location or line uncertainty) the claim would be {r.verdict_without_uncertainty}")
    lines.append(ROUNDING_NOTE)
    lines.append("")
    lines += [r.verdict.sentence for r in rows if r.verdict is not None]
    return text + "\n" + "\n".join(safe_text(line) for line in lines)


def frame_text(frame, fmt: str, *, lon=None, lat=None, id_col=None, label_col=None) -> str:
    """A file's result rows as text (table, json, csv, geojson); ``lon``/``lat`` are the rows' points."""
    import json

    import numpy as np

    if fmt == "csv":
        return frame.to_csv(index=False)
    records = json.loads(frame.to_json(orient="records", force_ascii=False, double_precision=10))
    if fmt == "json":
        return out.dumps(records)
    if fmt == "geojson":
        feats = []
        for i, rec in enumerate(records):
            geom = None
            if lon is not None and np.isfinite(lon[i]) and np.isfinite(lat[i]):
                geom = {"type": "Point", "coordinates": [float(lon[i]), float(lat[i])]}
            feats.append({"type": "Feature", "geometry": geom, "properties": rec})
        return out.to_geojson(feats)
    from geomap.pipeline.result import DATE_COLUMNS, pick_column, row_labels

    shown = frame[[c for c in ("status",) + _FILE_TABLE_COLUMNS if c in frame.columns]].copy()
    # the user's own label and date first; rows count from 1, as on stderr and the map
    date_col = "as_of_date" if "as_of_date" in frame.columns else pick_column(frame.columns, DATE_COLUMNS)
    if date_col is not None:
        shown.insert(0, "date", frame[date_col].to_numpy())
    shown.insert(0, "label", row_labels(frame, id_col, label_col))
    shown = shown.set_axis(range(1, len(shown) + 1))
    import pandas as pd

    for col in shown.columns:  # the file's labels and the layer's sections: never a terminal's escape sequence
        if shown[col].dtype == object or pd.api.types.is_string_dtype(shown[col].dtype):
            shown[col] = shown[col].map(lambda v: safe_text(v) if isinstance(v, str) else v)
    return shown.to_string(max_rows=200)
