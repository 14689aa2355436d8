"""Build geomap's shipped layers from the shared open geodata, reproducibly.

Reads the candidate files in ``/work/shared/data`` (or ``../shared/data``
relative to the repository, or ``--data DIR``) and writes one folder per layer
under ``layers/``: ``data.geojson`` (EPSG:4326, the source geometry and
attributes unchanged) and ``layer.json`` (metadata, schema in
``layers/README.md``).  Counts are computed here: vertices with
``shapely.get_num_coordinates``, lengths and areas on the WGS84 ellipsoid with
``pyproj.Geod``.  The sha256 in ``layer.json`` is that of ``data.geojson``.

The output is deterministic: running the script twice on the same input gives
byte-identical files (no timestamps; JSON keys in a fixed order; floats written
with Python's shortest round-trip repr, so source coordinates are unchanged).

The district layers (``az-districts``, ``am-districts``) are built elsewhere and
are not touched.

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
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

NE4 = {
    "name": "Natural Earth v4.0.0 via martynafford/natural-earth-geojson (ogr2ogr GeoJSON conversion)",
    "url": "https://github.com/martynafford/natural-earth-geojson",
    "edition": "Natural Earth 4.0.0 (release 2017-10-15)",
    "commit": "90266457d82d3717e47313e72a921e31a087d2c4",
}
NE5 = {
    "name": "Natural Earth vector (nvkelso/natural-earth-vector)",
    "url": "https://github.com/nvkelso/natural-earth-vector",
    "edition": "Natural Earth 5.1.x schema (2021-2022)",
    "commit": "6a9da465f6f05b9936e34340d6a81a00f79ac1a2",
}
NE_LICENCE = "Public domain (Natural Earth terms of use); the NE4 GeoJSON conversion repository adds CC0-1.0"
NE_ATTRIBUTION = "Made with Natural Earth. Free vector and raster map data @ naturalearthdata.com."

#: US National Map Accuracy Standards: 90 % of well-defined points within 1/50 inch
#: (0.508 mm) at publication scale, for scales smaller than 1:20,000.
NMAS_MM = 0.508


def nmas_m(scale_denominator: float) -> float:
    """Return the NMAS horizontal tolerance in metres for a map at 1:``scale_denominator``."""
    return round(NMAS_MM / 1000.0 * scale_denominator, -2)


def _accuracy_note(scale: str, denominator: float, spacing_km: float | None, extra: str = "") -> str:
    text = (
        f"Natural Earth {scale} is a generalised cartographic product, not a survey: by the US National "
        f"Map Accuracy Standard (90% of well-defined points within 0.508 mm at map scale) 1:{denominator:,.0f} "
        f"allows about {nmas_m(denominator) / 1000:.1f} km, so accuracy_m is {nmas_m(denominator):.0f} m. "
    )
    if spacing_km is not None:
        text += f"Mean vertex spacing is {spacing_km:.2f} km. "
    text += "Not checked here against an independent georeferenced source; treat it as an order of magnitude."
    if extra:
        text += " " + extra
    return text


# Each spec: id, source file, metadata.  Counts, sha256, bbox and accuracy notes are computed.
SPECS: list[dict] = [
    {
        "id": "nk-line-1994",
        "file": "nk_ceasefire_line_1994_ne4.geojson",
        "title": "Nagorno-Karabakh line of contact 1994-2020 (Natural Earth 'Ceasefire Line 1994')",
        "kind": "line",
        "theatre": "nagorno-karabakh",
        "valid_from": "1994-05-12",
        "valid_to": "2020-09-26",
        "area_layer": "nk-area-1994",
        "scale": ("1:10m", 10_000_000),
        "source": dict(
            NE4,
            file="10m/cultural/ne_10m_admin_0_boundary_lines_disputed_areas.json",
            rerun="ogr2ogr -f GeoJSON -where \"name = 'Ceasefire Line 1994'\" nk_ceasefire_line_1994_ne4.geojson "
            "10m/cultural/ne_10m_admin_0_boundary_lines_disputed_areas.json",
        ),
        "omits": [
            "Changes of the line between 1994 and 2020 (Natural Earth draws one static line).",
            "The eastern (Aghdam-Fuzuli) section was not compared with any independent source; do not quote distances under about 10 km from it without checking.",
        ],
        "notes": "The line of contact from the Bishkek ceasefire (in force 12 May 1994) until the war began on 27 Sep 2020, as Natural Earth 4.0.0 draws it. In the north-east it partly coincides with the NKAO boundary. Geometry and attributes are unchanged from the source.",
    },
    {
        "id": "nk-area-1994",
        "file": "nk_breakaway_area_1994_ne4.geojson",
        "title": "Area inside the 1994 Nagorno-Karabakh ceasefire line (Natural Earth breakaway area B38)",
        "kind": "area",
        "theatre": "nagorno-karabakh",
        "valid_from": "1994-05-12",
        "valid_to": "2020-09-26",
        "held_by": "Armenian forces (self-declared Nagorno-Karabakh Republic), per Natural Earth",
        "scale": ("1:10m", 10_000_000),
        "source": dict(
            NE4,
            file="10m/cultural/ne_10m_admin_0_disputed_areas.json",
            rerun="ogr2ogr -f GeoJSON -where \"BRK_A3 = 'B38'\" nk_breakaway_area_1994_ne4.geojson "
            "10m/cultural/ne_10m_admin_0_disputed_areas.json",
        ),
        "omits": [
            "Changes of control between 1994 and 2020.",
        ],
        "notes": "Former NKAO plus the surrounding districts held from 1994 to 2020, bounded by the 1994 ceasefire line and the Armenian and Iranian borders (Natural Earth 'Self admin.; Claimed by Azer.'). Geometry and attributes unchanged from the source.",
    },
    {
        "id": "nk-line-2020",
        "file": "nk_ceasefire_line_2020_ne5.geojson",
        "title": "Nagorno-Karabakh line of contact after the 10 Nov 2020 ceasefire (Natural Earth 'Ceasefire Line 2020')",
        "kind": "line",
        "theatre": "nagorno-karabakh",
        "valid_from": "2020-11-10",
        "valid_to": "2023-09-18",
        "area_layer": "nk-area-2020",
        "scale": ("1:10m", 10_000_000),
        "source": dict(
            NE5,
            file="geojson/ne_10m_admin_0_boundary_lines_disputed_areas.geojson",
            rerun="ogr2ogr -f GeoJSON -where \"NAME = 'Ceasefire Line 2020'\" nk_ceasefire_line_2020_ne5.geojson "
            "geojson/ne_10m_admin_0_boundary_lines_disputed_areas.geojson",
        ),
        "omits": [
            "The Hin Tagher / Khtsaberd pocket west of Hadrut, held by Armenian forces until about 11-13 Dec 2020 (press reports only, not checked against a primary source).",
            "Azerbaijani gains north of Martakert.",
            "The Russian peacekeeping zone: this is NOT its boundary.",
            "Changes after 10 Nov 2020 (Lachin corridor handover in Aug 2022, local advances). valid_to is 2023-09-18, the day before the 19-20 Sep 2023 Azerbaijani offensive that ended Armenian control; no line of contact exists after it.",
        ],
        "notes": "TRANSCRIBED, NOT EXTRACTED: the coordinates of the 12 features with NAME = 'Ceasefire Line 2020' were transcribed from the text of the upstream file at the stated commit, because the repository is about 745 MB. Checks run: per-feature bbox equals upstream bbox; features join end to end into one ring open only at the Armenian border at the Lachin-corridor mouth; the 7 features re-using older geometry match the NE4 NKAO and 1994 lines within 0-4 m; every vertex of features ...489, ...669, ...677, ...687, ...695, ...703 was compared number by number with the upstream text. The 4 new 2020 segments could only be checked by the bbox and ring checks. Replace with a direct extract (see source.rerun) when the upstream file is available. Feature ne_id 1746705781 begins with a 35.6 m spur (46.461967E 40.282399N to 46.462363E 40.282504N, where feature ...703 starts) that is not part of the ring. The line is the perimeter of the Armenian-held remainder including the Lachin-corridor edges; the new southern segment has 11 vertices over about 50 km. Only a property subset was kept.",
    },
    {
        "id": "nk-area-2020",
        "file": "nk_ceasefire_area_2020_derived.geojson",
        "title": "Area inside the 2020 Nagorno-Karabakh ceasefire line (DERIVED from Natural Earth)",
        "kind": "area",
        "theatre": "nagorno-karabakh",
        "valid_from": "2020-11-10",
        "valid_to": "2023-09-18",
        "held_by": "Armenian forces (self-declared Nagorno-Karabakh Republic), per Natural Earth's 2020 line",
        "scale": ("1:10m", 10_000_000),
        "source": dict(
            NE5,
            file="derived: nk-line-2020 + NE4 10m/cultural/ne_10m_admin_0_boundary_lines_land.json",
            rerun="shapely.ops.polygonize(the 12 nk-line-2020 features + shapely.ops.substring of the NE4 10m "
            "ARM-AZE land boundary between 46.4793E 39.5787N and 46.5273E 39.5382N, 7 vertices)",
        ),
        "omits": [
            "The Hin Tagher / Khtsaberd pocket west of Hadrut (held until about 11-13 Dec 2020, press reports only).",
            "Azerbaijani gains north of Martakert.",
            "The Russian peacekeeping zone: this polygon is NOT that zone; no open geometry for it was found.",
        ],
        "notes": "DERIVED, not a published layer: polygonize over the transcribed NE5 'Ceasefire Line 2020' features closed at the Lachin-corridor mouth by a 7-vertex piece of the NE4 10m Armenia-Azerbaijan land boundary. It inherits every caveat of nk-line-2020. polygonize drops the 35.6 m spur at the start of feature ne_id 1746705781 (46.461967E 40.282399N), so the area's boundary lacks it; everywhere else the boundary is nk-line-2020 plus the 7-vertex border piece.",
    },
    {
        "id": "nk-nkao-1991",
        "file": "nk_nkao_boundary_1991_ne4.geojson",
        "title": "Boundary of the Soviet Nagorno-Karabakh Autonomous Oblast, circa 1991 (reference, NOT a line of contact)",
        "kind": "reference",
        "theatre": "nagorno-karabakh",
        "valid_from": None,
        "valid_to": None,
        "scale": ("1:10m", 10_000_000),
        "source": dict(
            NE4,
            file="10m/cultural/ne_10m_admin_0_boundary_lines_disputed_areas.json",
            rerun="ogr2ogr -f GeoJSON -where \"comment LIKE 'Nagorno-Karabakh Autonomous Oblast%'\" "
            "nk_nkao_boundary_1991_ne4.geojson 10m/cultural/ne_10m_admin_0_boundary_lines_disputed_areas.json",
        ),
        "omits": [
            "It is not a line of contact at any date, so it has no validity for incident dates and is never selected by date.",
            "Some segments are stored twice (Natural Earth keeps left and right copies), so length_km double-counts them.",
        ],
        "notes": "Natural Earth reference line 'Former USSR oblast in 1991'. Shown for context only.",
    },
    {
        "id": "kashmir-loc",
        "file": "kashmir_line_of_control_ne4.geojson",
        "title": "Kashmir Line of Control (India-Pakistan), Natural Earth",
        "kind": "line",
        "theatre": "kashmir",
        "valid_from": "1972-12-11",
        "valid_to": None,
        "scale": ("1:10m", 10_000_000),
        "source": dict(
            NE4,
            file="10m/cultural/ne_10m_admin_0_boundary_lines_land.json",
            rerun="ogr2ogr -f GeoJSON -where \"featurecla = 'Line of control (please verify)' AND adm0_a3_l IN "
            "('IND','PAK') AND adm0_a3_r IN ('IND','PAK')\" kashmir_line_of_control_ne4.geojson "
            "10m/cultural/ne_10m_admin_0_boundary_lines_land.json",
        ),
        "omits": [
            "The Siachen glacier area north of point NJ9842, where the line is not delineated.",
            "Natural Earth marks the feature class 'please verify'.",
        ],
        "notes": "The two India-Pakistan 'Line of control' features of Natural Earth 4.0.0, unchanged. valid_from is the date the line was delineated after the Simla Agreement.",
    },
    {
        "id": "korea-mdl-1953",
        "file": "korea_mdl_1953_ne4.geojson",
        "title": "Korean Military Demarcation Line 1953, Natural Earth",
        "kind": "line",
        "theatre": "korea",
        "valid_from": "1953-07-27",
        "valid_to": None,
        "scale": ("1:10m", 10_000_000),
        "source": dict(
            NE4,
            file="10m/cultural/ne_10m_admin_0_boundary_lines_land.json",
            rerun="ogr2ogr -f GeoJSON -where \"name = 'Military Demarcation Line 1953'\" korea_mdl_1953_ne4.geojson "
            "10m/cultural/ne_10m_admin_0_boundary_lines_land.json",
        ),
        "omits": [
            "The 2 km-wide Demilitarized Zone on either side of the line.",
            "The maritime Northern Limit Line.",
        ],
        "notes": "The land Military Demarcation Line of the 27 Jul 1953 Armistice Agreement as Natural Earth 4.0.0 draws it, unchanged.",
    },
    {
        "id": "ne-countries-50m",
        "file": "ne4_50m_admin_0_countries.geojson",
        "title": "Countries of the world, Natural Earth 1:50m (offline base map)",
        "kind": "base",
        "theatre": None,
        "valid_from": None,
        "valid_to": None,
        "scale": ("1:50m", 50_000_000),
        "source": dict(
            NE4,
            file="50m/cultural/ne_50m_admin_0_countries.7z",
            rerun="7z x ne_50m_admin_0_countries.7z && ogr2ogr -f GeoJSON -select featurecla,scalerank,SOVEREIGNT,"
            "SOV_A3,ADMIN,ADM0_A3,NAME,NAME_LONG,BRK_A3,ISO_A2,ISO_A3,CONTINENT -lco COORDINATE_PRECISION=6 "
            "ne4_50m_admin_0_countries.geojson ne_50m_admin_0_countries.json",
        ),
        "omits": [
            "Most attributes (reduced to 12 fields); coordinates rounded to 6 decimals (about 0.1 m).",
            "Disputed areas are drawn as Natural Earth's de facto 2017 view.",
        ],
        "role": "land",
        "notes": "The base map drawn under every offline map, and the land mask derive-line uses to recognise coastline.",
    },
    {
        "id": "ne-borders-caucasus-10m",
        "file": "ne4_10m_admin_0_boundary_lines_land_caucasus.geojson",
        "title": "International land boundaries of the South Caucasus, Natural Earth 1:10m",
        "kind": "reference",
        "theatre": None,
        "valid_from": None,
        "valid_to": None,
        "scale": ("1:10m", 10_000_000),
        "source": dict(
            NE4,
            file="10m/cultural/ne_10m_admin_0_boundary_lines_land.json",
            rerun="ogr2ogr -f GeoJSON -clipsrc 44.5 38.5 48.5 41.5 -lco COORDINATE_PRECISION=6 "
            "ne4_10m_admin_0_boundary_lines_land_caucasus.geojson 10m/cultural/ne_10m_admin_0_boundary_lines_land.json",
        ),
        "omits": [
            "Everything outside lon 44.5-48.5, lat 38.5-41.5 (clipped).",
            "Maritime boundaries and coastlines.",
        ],
        "role": "borders",
        "notes": "ARM/AZE/GEO/IRN/TUR/RUS land boundaries. derive-line removes the parts of a control polygon that run along these borders. It is not a line of contact.",
    },
]

KEY_ORDER = [
    "id", "title", "kind", "theatre", "valid_from", "valid_to", "version", "geometry_file", "crs",
    "sha256", "bbox", "counts", "accuracy_m", "accuracy_note", "area_layer", "held_by", "role", "source",
    "licence", "attribution", "omits", "notes",
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


def build_one(spec: dict, data_dir: Path, out_dir: Path) -> dict:
    src = json.loads((data_dir / spec["file"]).read_text(encoding="utf-8"))
    features = [
        {"type": "Feature", "properties": f.get("properties") or {}, "geometry": f["geometry"]}
        for f in src["features"]
    ]
    collection = {
        "type": "FeatureCollection",
        "name": spec["id"],
        "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:OGC:1.3:CRS84"}},
        "features": features,
    }
    folder = out_dir / spec["id"]
    folder.mkdir(parents=True, exist_ok=True)
    geometry_file = folder / "data.geojson"
    # one feature per line keeps diffs of the shipped files readable
    lines = ['{"type":"FeatureCollection","name":' + json.dumps(spec["id"]) + ',"crs":'
             + dumps(collection["crs"]).strip() + ',"features":[']
    lines.append(",\n".join(dumps(f).strip() for f in features))
    lines.append("]}\n")
    geometry_file.write_text("\n".join(lines), encoding="utf-8")
    sha = hashlib.sha256(geometry_file.read_bytes()).hexdigest()

    stats = geometry_stats(features)
    scale_name, denominator = spec["scale"]
    meta = {
        "id": spec["id"],
        "title": spec["title"],
        "kind": spec["kind"],
        "theatre": spec["theatre"],
        "valid_from": spec["valid_from"],
        "valid_to": spec["valid_to"],
        "version": "1",
        "geometry_file": "data.geojson",
        "crs": "EPSG:4326",
        "sha256": sha,
        "bbox": stats["bbox"],
        "counts": stats["counts"],
        "accuracy_m": nmas_m(denominator),
        "accuracy_note": _accuracy_note(scale_name, denominator, stats["spacing_km"]),
        "source": spec["source"],
        "licence": NE_LICENCE,
        "attribution": NE_ATTRIBUTION,
        "omits": spec["omits"],
        "notes": spec["notes"],
    }
    if "area_layer" in spec:
        meta["area_layer"] = spec["area_layer"]
    if "held_by" in spec:
        meta["held_by"] = spec["held_by"]
    if "role" in spec:
        meta["role"] = spec["role"]
    ordered = {k: meta[k] for k in KEY_ORDER if k in meta}
    (folder / "layer.json").write_text(
        json.dumps(ordered, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )
    return ordered


def build_all(data_dir: Path, out_dir: Path) -> list[dict]:
    return [build_one(spec, data_dir, out_dir) for spec in SPECS]


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
            for spec in SPECS:
                for name in ("layer.json", "data.geojson"):
                    a, b = Path(tmp) / spec["id"] / name, out_dir / spec["id"] / name
                    if not b.is_file() or not filecmp.cmp(a, b, shallow=False):
                        differ.append(str(b))
            if differ:
                print("build_layers: these files differ from a fresh build: " + ", ".join(differ), file=sys.stderr)
                return 1
            print(f"build_layers: {len(SPECS)} layers reproduce byte for byte")
            return 0
    for meta in build_all(data_dir, out_dir):
        c = meta["counts"]
        size = f"{c['length_km']} km" if "length_km" in c else f"{c['area_km2']} km2"
        print(f"{meta['id']:<26} {meta['kind']:<9} {c['features']:>4} features {c['vertices']:>6} vertices  {size}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
