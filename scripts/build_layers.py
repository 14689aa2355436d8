"""Build geomap's shipped layers from the shared open geodata, reproducibly.

Reads the source files in ``/work/shared/data`` (or ``../shared/data`` relative
to the repository, or ``--data DIR``) and writes one folder per layer under
``layers/``: ``data.geojson`` (EPSG:4326, the source geometry and attributes
unchanged; a spec may select some of a file's features) and ``layer.json``
(metadata, schema in ``layers/README.md``), plus ``layers/theatres.json`` (why
some dates have no layer).  What is shipped is declared in
``scripts/layer_specs.py``; the point-check places in ``scripts/layer_places.py``.

Computed here, with geomap's own library:
- counts: vertices with ``shapely.get_num_coordinates``, lengths and areas on
  the WGS84 ellipsoid with ``pyproj.Geod``; the sha256 of ``data.geojson``;
- point checks: the side each listed place falls on
  (:mod:`geomap.layers.pointcheck`) and its exact geodesic distance;
- offsets against OpenStreetMap (``compare_osm``): the geodesic distance from
  points every 250 m along the Natural Earth line to the OSM line;
- measured accuracies (``accuracy_from_errors``, ``compare_osm``).

The output is deterministic: running the script twice on the same input gives
byte-identical files (no timestamps; JSON keys in a fixed order; floats written
with Python's shortest round-trip repr, so source coordinates are unchanged).
The district layers (``az-districts``, ``am-districts``) are built elsewhere.

Usage::

    python scripts/build_layers.py [--data DIR] [--out DIR] [--check]

``--check`` rebuilds into a temporary folder and exits 1 if anything differs
from ``--out`` (use it in CI to prove the shipped files are reproducible).
"""

from __future__ import annotations

import argparse
import filecmp
import hashlib
import json
import math
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from layer_places import PLACES  # noqa: E402
from layer_specs import OSM_ATTRIBUTION, OSM_LICENCE, SPECS, THEATRES  # noqa: E402

NE_LICENCE = "Public domain (Natural Earth terms of use); the NE4 GeoJSON conversion repository adds CC0-1.0"
NE_ATTRIBUTION = "Made with Natural Earth. Free vector and raster map data @ naturalearthdata.com."

#: US National Map Accuracy Standards: 90 % of well-defined points within 1/50 inch
#: (0.508 mm) at publication scale, for scales smaller than 1:20,000.
NMAS_MM = 0.508
#: spacing of the points sampled along a Natural Earth line for the OSM comparison, metres
COMPARE_STEP_M = 250.0


def nmas_m(scale_denominator: float) -> float:
    """Return the NMAS horizontal tolerance in metres for a map at 1:``scale_denominator``."""
    return round(NMAS_MM / 1000.0 * scale_denominator, -2)


def _accuracy_note(scale: str, denominator: float, spacing_km: float | None) -> str:
    text = (
        f"Natural Earth {scale} is a generalised cartographic product, not a survey: by the US National "
        f"Map Accuracy Standard (90% of well-defined points within 0.508 mm at map scale) 1:{denominator:,.0f} "
        f"allows about {nmas_m(denominator) / 1000:.1f} km, so accuracy_m is {nmas_m(denominator):.0f} m. "
    )
    if spacing_km is not None:
        text += f"Mean vertex spacing is {spacing_km:.2f} km. "
    return text


KEY_ORDER = [
    "id", "title", "kind", "theatre", "valid_from", "valid_to", "validity_note", "version", "provider",
    "preference", "experimental", "geometry_file", "crs", "sha256", "bbox", "counts", "detail", "accuracy_m",
    "accuracy_note", "offsets_vs_osm", "area_layer", "held_by", "sides", "role", "line_called", "source", "licence",
    "attribution", "omits", "caveats", "known_errors", "point_checks", "notes",
]


def find_data_dir(explicit: str | None) -> Path:
    candidates = [Path(explicit)] if explicit else [Path("/work/shared/data"), REPO.parent / "shared" / "data"]
    for candidate in candidates:
        if candidate.is_dir():
            return candidate
    sys.exit(f"build_layers: no source data folder found (tried {', '.join(map(str, candidates))}): pass --data DIR")


def geometry_stats(features: list[dict]) -> dict:
    """Counts, bbox and mean vertex spacing, geodesic on WGS84."""
    import numpy as np
    import shapely
    from pyproj import Geod

    geod = Geod(ellps="WGS84")
    geoms = [shapely.geometry.shape(f["geometry"]) for f in features]
    vertices = int(sum(shapely.get_num_coordinates(g) for g in geoms))
    bounds = np.array([g.bounds for g in geoms])
    bbox = [float(bounds[:, 0].min()), float(bounds[:, 1].min()), float(bounds[:, 2].max()), float(bounds[:, 3].max())]
    counts: dict = {"features": len(features), "vertices": vertices}
    polygonal = all(g.geom_type in ("Polygon", "MultiPolygon") for g in geoms)
    length_m = 0.0
    segments = 0
    for g in geoms:
        if polygonal:
            parts = list(getattr(g, "geoms", [g]))
            rings = [r for p in parts for r in (p.exterior, *p.interiors)]
        else:
            rings = list(getattr(g, "geoms", [g]))
        for ring in rings:
            length_m += geod.geometry_length(ring)
            segments += len(ring.coords) - 1
    if polygonal:
        area_m2 = sum(abs(geod.geometry_area_perimeter(g)[0]) for g in geoms)
        counts["area_km2"] = round(area_m2 / 1e6, 1)
        counts["perimeter_km"] = round(length_m / 1000, 1)
    else:
        counts["length_km"] = round(length_m / 1000, 1)
    spacing_km = length_m / 1000 / segments if segments else None
    return {"counts": counts, "bbox": bbox, "spacing_km": spacing_km}


def dumps(obj) -> str:
    return json.dumps(obj, ensure_ascii=False, indent=None, separators=(",", ":")) + "\n"


def _matches(props: dict, rule) -> bool:
    key, want = rule
    value = props.get(key)
    return value in want if isinstance(want, list) else value == want


def select_features(spec: dict, data_dir: Path) -> list[dict]:
    """The spec's source features: all of its file(s), or those ``select`` names (by index or attributes)."""
    files = spec["file"] if isinstance(spec["file"], list) else [spec["file"]]
    features = []
    for name in files:
        src = json.loads((data_dir / name).read_text(encoding="utf-8"))
        features += [
            {"type": "Feature", "properties": f.get("properties") or {}, "geometry": f["geometry"]}
            for f in src["features"]
        ]
    select = spec.get("select")
    if select:
        if "index" in select:
            features = [features[i] for i in select["index"]]
        for key in ("prop", "prop2", "prop3"):
            if key in select:
                features = [f for f in features if _matches(f["properties"], select[key])]
    if not features:
        raise SystemExit(f"build_layers: spec {spec['id']} selects no features from {files}")
    return features


def write_geometry(spec: dict, features: list[dict], out_dir: Path) -> Path:
    folder = out_dir / spec["id"]
    folder.mkdir(parents=True, exist_ok=True)
    geometry_file = folder / "data.geojson"
    crs = {"type": "name", "properties": {"name": "urn:ogc:def:crs:OGC:1.3:CRS84"}}
    # one feature per line keeps diffs of the shipped files readable
    lines = ['{"type":"FeatureCollection","name":' + json.dumps(spec["id"]) + ',"crs":' + dumps(crs).strip()
             + ',"features":[']
    lines.append(",\n".join(dumps(f).strip() for f in features))
    lines.append("]}\n")
    geometry_file.write_text("\n".join(lines), encoding="utf-8")
    return geometry_file


def _place(name: str) -> tuple[float, float, str]:
    if name not in PLACES:
        raise SystemExit(f"build_layers: point-check place {name!r} is not in scripts/layer_places.py")
    return PLACES[name]


def _paths(spec: dict, out_dir: Path) -> tuple[Path | None, Path | None]:
    own = out_dir / spec["id"] / "data.geojson"
    if spec["kind"] in ("area",) or "inside" in (spec.get("sides") or {}) and spec.get("area_layer") is None:
        return None, own
    area = out_dir / spec["area_layer"] / "data.geojson" if spec.get("area_layer") else None
    return own, area


def resolve_sides(spec: dict, out_dir: Path) -> dict:
    """The layer's ``sides``: a reference place fixes which of left/right is which."""
    from geomap.layers.pointcheck import line_side
    from geomap.layers.lineset import read_lines

    sides = dict(spec.get("sides") or {})
    if "reference" not in sides:
        return sides
    lon, lat, source = _place(sides["reference"])
    side, _dist, _feat = line_side(read_lines(out_dir / spec["id"] / "data.geojson"), [lon], [lat])
    if side[0] == 0:
        raise SystemExit(f"build_layers: {spec['id']}: reference {sides['reference']} is beyond the line's end")
    named, other = sides["reference_side"], sides["other_side"]
    return {"left": named if side[0] < 0 else other, "right": named if side[0] > 0 else other,
            "oriented_by": f"{sides['reference']} ({lon}, {lat}; {source}) is on the {named} side"}


def point_checks(spec: dict, sides: dict, out_dir: Path) -> list[dict]:
    from geomap.layers.pointcheck import measure_sides

    checks = spec.get("checks") or []
    if not checks:
        return []
    coords = [_place(c["place"]) for c in checks]
    line_path, area_path = _paths(spec, out_dir)
    kind = "line" if line_path is not None else "area"
    got = measure_sides(kind=kind, sides=sides, lon=[c[0] for c in coords], lat=[c[1] for c in coords],
                        line_path=line_path, area_path=area_path)
    out = []
    for check, (lon, lat, source), g in zip(checks, coords, got):
        row = {"place": check["place"], "lon": lon, "lat": lat, "source": source, "expected": check["expected"],
               "measured": g["measured"], "distance_m": round(g["distance_m"], 1),
               "agrees": g["measured"] == check["expected"]}
        if check.get("note"):
            row["note"] = check["note"]
        out.append(row)
    return out


def known_errors(spec: dict) -> list[dict]:
    out = []
    for entry in spec.get("known_errors") or []:
        lon, lat, source = _place(entry["place"])
        row = {"place": entry["place"], "lon": lon, "lat": lat, "radius_m": entry["radius_m"],
               "what": entry["what"], "source": entry["source"], "place_source": source}
        for key in ("valid_from", "valid_to"):
            if entry.get(key):
                row[key] = entry[key]
        out.append(row)
    return out


def compare_with_osm(ne_path: Path, osm_path: Path) -> dict:
    """Offsets from Natural Earth to OSM: distances of points every 250 m along the NE line to the OSM line."""
    import numpy as np
    from layer_disagreements import densified_points

    from geomap.layers.lineset import read_lines
    from geomap.layers.distance import distance_to_line

    ne = read_lines(ne_path)
    lon, lat = densified_points(ne, COMPARE_STEP_M)
    dist = distance_to_line(lon, lat, read_lines(osm_path)).distance_m
    return {
        "points": len(dist), "median_m": round(float(np.median(dist)), 0),
        "p90_m": round(float(np.percentile(dist, 90)), 0), "max_m": round(float(dist.max()), 0),
        "method": f"geodesic distance from points every {COMPARE_STEP_M:.0f} m along this line (vertices and "
                  "geodesic intermediate points) to the OSM line, computed by scripts/build_layers.py",
    }


def _ceil100(value_m: float) -> float:
    return float(math.ceil(value_m / 100.0) * 100)


def accuracy(spec: dict, stats: dict, checks: list[dict], offsets: dict | None) -> tuple[float, str]:
    if spec.get("accuracy"):
        return spec["accuracy"]
    scale_name, denominator = spec["scale"]
    nominal = nmas_m(denominator)
    note = _accuracy_note(scale_name, denominator, stats["spacing_km"])
    value = nominal
    if spec.get("accuracy_from_errors"):
        wrong, bound = spec["accuracy_from_errors"]
        by_place = {c["place"]: c for c in checks}
        d_wrong, d_bound = by_place[wrong]["distance_m"], by_place[bound]["distance_m"]
        value = max(nominal, _ceil100(d_bound))
        note += (f"Measured: the layer puts {wrong} {d_wrong / 1000:.1f} km on the wrong side, while {bound}, held by "
                 f"the other side throughout, lies {d_bound / 1000:.1f} km from the line beyond it; the true line ran "
                 f"between them, so the error there is between {d_wrong / 1000:.1f} and {d_bound / 1000:.1f} km. "
                 f"accuracy_m is the larger of the nominal figure and that bound: {value:.0f} m.")
    if offsets is not None and spec.get("compare_only"):
        note += (f"Offset from OpenStreetMap's {offsets['layer']} (for information; it is a different line): median "
                 f"{offsets['median_m'] / 1000:.1f} km, largest {offsets['max_m'] / 1000:.1f} km. ")
    elif offsets is not None:
        measured = _ceil100(offsets["max_m"])
        if measured > value:
            value = measured
        note += (f"Compared with OpenStreetMap ({offsets['layer']}): median offset {offsets['median_m'] / 1000:.2f} "
                 f"km, 90th percentile {offsets['p90_m'] / 1000:.2f} km, largest {offsets['max_m'] / 1000:.2f} km; "
                 f"accuracy_m is the larger of the nominal figure and the largest offset (rounded up to 100 m): "
                 f"{value:.0f} m (the largest offsets can also come from the two lines covering different extents).")
    if not spec.get("accuracy_from_errors") and (offsets is None or spec.get("compare_only")):
        note += "Not checked here against an independent georeferenced source; treat it as an order of magnitude."
    return value, note.strip()


def detail(spec: dict, stats: dict) -> str:
    spacing = stats["spacing_km"]
    if spec.get("provider") == "osm":
        return f"OpenStreetMap, mean vertex spacing {spacing * 1000:.0f} m"
    scale_name = spec["scale"][0]
    return f"Natural Earth {scale_name}, mean vertex spacing {spacing * 1000:.0f} m"


def build_all(data_dir: Path, out_dir: Path) -> list[dict]:
    geometry = {}
    for spec in SPECS:
        features = select_features(spec, data_dir)
        path = write_geometry(spec, features, out_dir)
        geometry[spec["id"]] = (path, geometry_stats(features))
    metas = []
    for spec in SPECS:
        path, stats = geometry[spec["id"]]
        sides = resolve_sides(spec, out_dir)
        checks = point_checks(spec, sides, out_dir)
        offsets = None
        if spec.get("compare_osm"):
            offsets = dict(layer=spec["compare_osm"], **compare_with_osm(path, geometry[spec["compare_osm"]][0]))
        acc, acc_note = accuracy(spec, stats, checks, offsets)
        osm = spec.get("provider") == "osm"
        meta = {
            "id": spec["id"], "title": spec["title"], "kind": spec["kind"], "theatre": spec["theatre"],
            "valid_from": spec["valid_from"], "valid_to": spec["valid_to"],
            "validity_note": spec.get("validity_note"), "version": spec.get("version", "1"),
            "provider": spec.get("provider"), "preference": spec.get("preference"),
            "experimental": True if spec.get("experimental") else None,
            "geometry_file": "data.geojson", "crs": "EPSG:4326",
            "sha256": hashlib.sha256(path.read_bytes()).hexdigest(),
            "bbox": stats["bbox"], "counts": stats["counts"],
            "detail": detail(spec, stats) if spec.get("provider") else None,
            "accuracy_m": acc, "accuracy_note": acc_note, "offsets_vs_osm": offsets,
            "area_layer": spec.get("area_layer"), "held_by": spec.get("held_by"),
            "sides": sides or None, "role": spec.get("role"), "line_called": spec.get("line_called"),
            "source": spec["source"],
            "licence": OSM_LICENCE if osm else NE_LICENCE, "attribution": OSM_ATTRIBUTION if osm else NE_ATTRIBUTION,
            "omits": spec["omits"], "caveats": spec.get("caveats", []) if spec.get("provider") else None,
            "known_errors": known_errors(spec) or None, "point_checks": checks or None, "notes": spec["notes"],
        }
        ordered = {k: meta[k] for k in KEY_ORDER if meta.get(k) is not None or k in ("theatre", "valid_from", "valid_to")}
        (out_dir / spec["id"] / "layer.json").write_text(
            json.dumps(ordered, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
        )
        metas.append(ordered)
    (out_dir / "theatres.json").write_text(json.dumps(THEATRES, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    # where two sources of one line disagree beyond a layer's accuracy (known_errors with error_m)
    from layer_disagreements import record

    record(out_dir, quiet=True)
    return metas


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", help="folder holding the source files (default /work/shared/data or ../shared/data)")
    parser.add_argument("--out", default=str(REPO / "layers"), help="layers folder to write (default: <repo>/layers)")
    parser.add_argument("--check", action="store_true", help="rebuild into a temp folder and compare with --out")
    args = parser.parse_args(argv)
    data_dir = find_data_dir(args.data)
    out_dir = Path(args.out)
    if args.check:
        with tempfile.TemporaryDirectory() as tmp:
            build_all(data_dir, Path(tmp))
            differ = []
            names = [Path(spec["id"]) / n for spec in SPECS for n in ("layer.json", "data.geojson")]
            for name in names + [Path("theatres.json")]:
                a, b = Path(tmp) / name, out_dir / name
                if not b.is_file() or not filecmp.cmp(a, b, shallow=False):
                    differ.append(str(b))
            if differ:
                print("build_layers: these files differ from a fresh build: " + ", ".join(differ), file=sys.stderr)
                return 1
            print(f"build_layers: {len(SPECS)} layers and theatres.json reproduce byte for byte")
            return 0
    for meta in build_all(data_dir, out_dir):
        c = meta["counts"]
        size = f"{c['length_km']} km" if "length_km" in c else f"{c['area_km2']} km2"
        checks = meta.get("point_checks") or []
        wrong = [c["place"] for c in checks if not c["agrees"]]
        print(f"{meta['id']:<26} {meta['kind']:<9} {c['features']:>4} features {c['vertices']:>6} vertices  "
              f"{size:>12}  acc {meta['accuracy_m']:>7.0f} m  checks {len(checks) - len(wrong)}/{len(checks)}"
              + (f"  wrong side: {', '.join(wrong)}" if wrong else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
