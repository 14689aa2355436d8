"""Turning results into table / JSON / CSV / GeoJSON text for the commands."""

from __future__ import annotations

import sys

import click

from geomap import output as out


def measurements_text(measurements, fmt: str, *, lines=None) -> str:
    """Format a list of :class:`geomap.measure.Measurement`."""
    records = [m.to_dict() for m in measurements]
    if fmt == "json":
        return out.dumps(records[0] if len(records) == 1 else records)
    if fmt == "csv":
        rows = []
        for r in records:
            flat = out.flatten({k: v for k, v in r.items() if k not in ("evidence", "uncertainty")})
            flat.update(
                {k: r["evidence"].get(k) for k in ("layer", "layer_sha256", "layer_version", "method", "geomap_version")}
            )
            rows.append(flat)
        return out.to_csv(rows)
    if fmt == "geojson":
        feats = []
        for m, r in zip(measurements, records):
            props = out.flatten({k: v for k, v in r.items() if k != "evidence"})
            props.update({f"evidence_{k}": v for k, v in r["evidence"].items() if not isinstance(v, (dict, list))})
            feats.append({"type": "Feature", "geometry": {"type": "Point", "coordinates": [m.incident.lon,
                                                                                         m.incident.lat]},
                          "properties": props})
        return out.to_geojson(feats)
    return measurements_table(measurements)


def measurements_table(measurements) -> str:
    rows = []
    for m in measurements:
        d = m.distance
        rows.append([
            m.incident.label,
            f"{m.incident.lon:.5f},{m.incident.lat:.5f}",
            out.km(d["distance_m"]),
            f"{out.km(m.interval_m[0])}–{out.km(m.interval_m[1])}",
            "n/a" if d["nearest_lon"] is None else f"{d['nearest_lon']:.5f},{d['nearest_lat']:.5f}",
            f"{d['section']} seg {d['segment_index']}",
        ])
    text = out.table(rows, ["incident", "lon,lat", "distance_km", "interval_km", "nearest lon,lat", "section"])
    ev = measurements[0].evidence if measurements else {}
    foot = [
        "",
        f"layer: {ev.get('layer')}  sha256: {str(ev.get('layer_sha256'))[:16]}…",
        f"method: {ev.get('method')}",
        f"geomap {ev.get('geomap_version')}",
    ]
    for m in measurements:
        if m.area is not None:
            a = m.area
            foot.insert(1, f"{m.incident.label}: area distances {out.km(a['min_m'])}–{out.km(a['max_m'])} km "
                           f"(max within {a['max_tolerance_m']:.0f} m)")
        if m.incident.note:
            foot.insert(1, f"{m.incident.label}: {m.incident.note}")
    return text + "\n".join(foot)


def frame_text(frame, fmt: str) -> str:
    """A batch result frame as text (table, json, csv, geojson)."""
    import json

    import numpy as np

    if fmt == "csv":
        return frame.to_csv(index=False)
    records = json.loads(frame.to_json(orient="records", force_ascii=False, double_precision=10))
    if fmt == "json":
        return out.dumps(records)
    if fmt == "geojson":
        feats = []
        lon_col = next((c for c in ("lon", "longitude", "lng", "x") if c in frame.columns), None)
        for rec in records:
            geom = None
            lon = rec.get(lon_col) if lon_col else None
            lat_col = {"lon": "lat", "longitude": "latitude", "lng": "lat", "x": "y"}.get(lon_col or "", "lat")
            try:
                geom = {"type": "Point", "coordinates": [float(lon), float(rec.get(lat_col))]}
                if not all(np.isfinite(geom["coordinates"])):
                    geom = None
            except (TypeError, ValueError):
                geom = None
            feats.append({"type": "Feature", "geometry": geom, "properties": rec})
        return out.to_geojson(feats)
    shown = frame[[c for c in ("status", "distance_m", "nearest_lon", "nearest_lat", "section", "segment_index")
                   if c in frame.columns]]
    return shown.to_string(max_rows=200)


def summary_line(summary: dict, total: int) -> str:
    parts = ", ".join(f"{k} {v}" for k, v in sorted(summary.items()))
    return f"{total} rows: {parts}"


def echo_err(text: str, quiet: bool = False) -> None:
    if not quiet:
        click.echo(text, err=True)


def emit(text: str, output) -> None:
    out.emit(text, output)


def stdout_is_tty() -> bool:
    return sys.stdout.isatty()
