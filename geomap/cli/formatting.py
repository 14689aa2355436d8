"""Turning results into table / JSON / CSV / GeoJSON text for the commands."""

from __future__ import annotations

import sys

import click

from geomap.io import write as out


def measurements_text(measurements, fmt: str, *, lines=None) -> str:
    """Format a list of :class:`geomap.pipeline.incidents.Measurement`."""
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


def frame_text(frame, fmt: str, *, lon=None, lat=None) -> str:
    """A batch result frame as text (table, json, csv, geojson); ``lon``/``lat`` are the rows' points."""
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
    shown = frame[[c for c in ("status", "distance_m", "distance_low_m", "distance_high_m", "section", "layer",
                               "verdict") if c in frame.columns]]
    return shown.to_string(max_rows=200)


def emit_batch(result, fmt: str, output) -> None:
    """Write a :class:`geomap.pipeline.run.BatchResult`: by -o suffix (.csv/.geojson/.gpkg/.parquet), else as text."""
    from geomap.io.tables import output_kind, write_result

    if result.frame is None:  # the Dask engine wrote -o itself
        return
    if output_kind(output) is not None:
        write_result(result, output)
        return
    emit(frame_text(result.frame, fmt, lon=result.lon, lat=result.lat), output)


def batch_summary(result) -> str:
    """The stderr summary of a batch run: rows per status (adding up to the total), verdicts, first failures."""
    total = sum(result.summary.values())
    lines = [summary_line(result.summary, total)]
    if result.verdicts is not None:
        lines.append("verdicts: " + (", ".join(f"{k} {v}" for k, v in sorted(result.verdicts.items())) or "none"))
    for lid, ev in sorted(result.layers.items()):
        lines.append(f"layer {lid}: {ev.get('rows')} rows (valid {ev.get('layer_valid_from') or '-'}.."
                     f"{ev.get('layer_valid_to') or ''}, accuracy {ev.get('layer_accuracy_m')} m)")
    fails = result.failures(5)
    if fails:
        lines.append("first failures: " + "; ".join(f"{ident}: {status}" for ident, status in fails))
    return "\n".join(lines)


def progress_factory(quiet: bool):
    """A ``progress_factory(total)`` for the batch jobs: a click progress bar on stderr, or None.

    None (no bar) with -q or when stderr is not a terminal.
    """
    if quiet or not sys.stderr.isatty():
        return None

    def make(total: int):
        return click.progressbar(length=total, label="measuring", file=sys.stderr, show_pos=True,
                                 show_eta=True)

    return make


def input_paths(points, layer, *others) -> list:
    """Files an output must not overwrite: the points FILE (every file of a glob), a layer path and ``others``.

    ``others`` are further paths the command reads (--gazetteer, --within,
    --lexicon); None and names that are not files (layer ids) are harmless.
    """
    import glob

    paths = [layer, *others]
    if points and any(ch in str(points) for ch in "*?["):
        paths += glob.glob(str(points))
    else:
        paths.append(points)
    return paths


def summary_line(summary: dict, total: int) -> str:
    parts = ", ".join(f"{k} {v}" for k, v in sorted(summary.items()))
    return f"{total} rows: {parts}"


def echo_err(text: str, quiet: bool = False) -> None:
    if not quiet:
        click.echo(text, err=True)


def emit(text: str, output) -> None:
    out.emit(text, output)


def check_text(result, fmt: str) -> str:
    """Format a :class:`geomap.pipeline.checks.CheckResult`."""
    records = result.records()
    if fmt == "json":
        return out.dumps(records[0] if len(records) == 1 else records)
    if fmt in ("csv", "geojson"):
        base = measurements_text(result.measurements, fmt)
        if fmt == "csv":
            import csv
            import io

            rows = list(csv.DictReader(io.StringIO(base)))
            for row, rec in zip(rows, records):
                row.update(verdict=rec["verdict"], claim_text=rec["claim"]["text"],
                           claim_rule=rec["claim"]["rule"], sentence=rec["sentence"])
            return out.to_csv(rows)
        import json

        fc = json.loads(base)
        for feat, rec in zip(fc["features"], records):
            feat["properties"].update(verdict=rec["verdict"], claim_text=rec["claim"]["text"],
                                      claim_rule=rec["claim"]["rule"], sentence=rec["sentence"])
        return out.dumps(fc)
    rows = []
    for m, v in zip(result.measurements, result.verdicts):
        rows.append([
            m.incident.label,
            "area" if m.area is not None else f"±{out.km(m.incident.radius_m, 1)} km",
            out.km(m.distance["distance_m"]) if m.area is None else
            f"{out.km(m.area['min_m'])}–{out.km(m.area['max_m'])}",
            f"{out.km(m.interval_m[0])}–{out.km(m.interval_m[1])}",
            v.verdict,
        ])
    text = out.table(rows, ["incident", "location", "distance_km", "interval_km", "verdict"])
    claim = result.claim
    ev = result.measurements[0].evidence if result.measurements else {}
    lines = [
        "",
        f"claim: {claim.text!r} -> {claim.describe_readings()} (rule {claim.rule})",
        f"line: {ev.get('layer')} valid {ev.get('layer_valid_from') or '?'}..{ev.get('layer_valid_to') or ''}, "
        f"stated accuracy ±{out.km(ev.get('layer_accuracy_m') or 0, 1)} km, sha256 {str(ev.get('layer_sha256'))[:12]}…",
    ]
    for m in result.measurements:
        if m.incident.note:
            lines.append(f"{m.incident.label}: {m.incident.note}")
    for m, pv in zip(result.measurements, result.point_verdicts):
        if pv is not None:
            lines.append(f"{m.incident.label}: at the measured {out.km(m.distance['distance_m'])} km alone "
                         f"(no location or line uncertainty) the claim would be {pv}")
    lines.append("")
    lines += [v.sentence for v in result.verdicts]
    return text + "\n" + "\n".join(lines)


def write_maps(measurements, lines, *, html=None, png=None, verdicts=None, claim=None, quiet=False) -> None:
    """``--html``/``--png`` of any command: write the map (folium loads only when asked)."""
    if not html and not png:
        return
    from geomap.maps.page import add_map_outputs

    written = add_map_outputs(measurements, lines, html=html, png=png, verdicts=verdicts, claim=claim)
    for kind in ("html", "png"):
        if written.get(kind) is not None:
            echo_err(f"wrote {written[kind]}", quiet)
