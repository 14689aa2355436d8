"""Every shipped layer: metadata complete, sha256 matching, dates ordered, point checks true and honest."""

from __future__ import annotations

import copy
import dataclasses
import datetime as dt

import pytest

from geomap.layers import registry
from geomap.layers.pointcheck import line_side, point_check_problems
from geomap.layers.known_errors import known_errors_near
from geomap.layers.registry import get_layer, list_layers, validate_metadata

ALL = [layer.id for layer in list_layers()]
SITUATION = [layer.id for layer in list_layers() if layer.kind in registry.SITUATION_KINDS]


@pytest.mark.parametrize("layer_id", ALL)
def test_metadata_complete_and_sha256(layer_id):
    layer = get_layer(layer_id, verify=False)
    assert validate_metadata(layer.meta) == []
    assert registry.file_sha256(layer.path) == layer.sha256
    layer.verify()


@pytest.mark.parametrize("layer_id", SITUATION)
def test_situation_layers_carry_everything_a_reader_needs(layer_id):
    layer = get_layer(layer_id)
    meta = layer.meta
    assert layer.theatre in registry.theatres()
    start = dt.date.fromisoformat(layer.valid_from)
    if layer.valid_to:
        assert start <= dt.date.fromisoformat(layer.valid_to)
    assert len(meta["validity_note"]) > 40  # cites the historical record
    assert meta["accuracy_m"] > 0 and meta["accuracy_note"]
    assert meta["licence"] and meta["attribution"] and meta["omits"]
    assert meta["detail"]
    assert len(layer.point_checks) >= 2
    if layer.kind == "area":
        assert layer.held_by
    if layer.area_layer:
        area = get_layer(layer.area_layer)
        assert area.provider == layer.provider  # ODbL data never paired with public-domain data
        assert (area.valid_from, area.valid_to) == (layer.valid_from, layer.valid_to)


@pytest.mark.parametrize("layer_id", ALL)
def test_licences(layer_id):
    layer = get_layer(layer_id, verify=False)
    if layer.provider == "osm":
        assert layer.attribution == "© OpenStreetMap contributors"
        assert layer.licence.startswith("ODbL 1.0")
        assert "ne" not in layer.id.split("-")
    else:
        assert "OpenStreetMap" not in layer.attribution
        assert "ODbL" not in layer.licence


@pytest.mark.parametrize("layer_id", [i for i in ALL if get_layer(i, verify=False).point_checks])
def test_point_checks_are_true(layer_id):
    """Recomputed sides and distances equal the recorded ones; every wrong side is named in known_errors."""
    assert point_check_problems(get_layer(layer_id)) == []


def _without_known_errors(layer_id):
    layer = get_layer(layer_id)
    meta = copy.deepcopy(layer.meta)
    meta["known_errors"] = []
    return dataclasses.replace(layer, meta=meta)


@pytest.mark.parametrize(("layer_id", "place"), [("nk-line-2020", "Shusha"), ("donbas-line-2015", "Popasna"),
                                                 ("israel-lebanon-line", "Metula")])
def test_a_wrong_side_not_said_fails(layer_id, place):
    problems = point_check_problems(_without_known_errors(layer_id))
    assert any(f"puts {place} on the" in p and "do not say so" in p for p in problems), problems


def test_a_tampered_check_fails():
    layer = get_layer("korea-mdl-1953")
    meta = copy.deepcopy(layer.meta)
    meta["point_checks"][0]["measured"] = "North Korea"
    meta["point_checks"][1]["distance_m"] += 50.0
    problems = point_check_problems(dataclasses.replace(layer, meta=meta))
    assert any("is now measured on the South Korea side" in p for p in problems)
    assert any("m from the line, layer.json says" in p for p in problems)


def test_known_wrong_sides_are_the_documented_ones():
    """The issue's measured faults are what the checks find (Shusha, Lachin; Popasna, Svitlodarsk)."""
    wrong = {lid: sorted(c["place"] for c in get_layer(lid).point_checks if not c["agrees"])
             for lid in ("nk-line-2020", "donbas-line-2015")}
    assert wrong == {"nk-line-2020": ["Lachin", "Shusha"], "donbas-line-2015": ["Popasna", "Svitlodarsk"]}
    shusha = next(c for c in get_layer("nk-line-2020").point_checks if c["place"] == "Shusha")
    assert 4400 < shusha["distance_m"] < 5000 and shusha["measured"] == "Armenian-held"
    popasna = next(c for c in get_layer("donbas-line-2015").point_checks if c["place"] == "Popasna")
    assert 5000 < popasna["distance_m"] < 5800


def test_nk_2020_accuracy_covers_the_measured_error():
    line = get_layer("nk-line-2020")
    shusha = next(c for c in line.point_checks if c["place"] == "Shusha")
    stepanakert = next(c for c in line.point_checks if c["place"] == "Stepanakert")
    assert line.accuracy_m >= shusha["distance_m"]
    assert line.accuracy_m >= stepanakert["distance_m"] - 100  # the bound the note states
    assert line.valid_from == "2020-12-14"
    assert "Measured" in line.meta["accuracy_note"]


def test_known_errors_near():
    near = known_errors_near("nk-line-2020", 46.7511501, 39.7632567, 0, "2021-03-01")  # Shusha, OSM node
    assert [e["place"] for e in near] == ["Shusha"] and near[0]["distance_m"] < 500
    assert known_errors_near("nk-line-2020", 47.5, 40.5) == []  # far from every recorded error
    lachin = (46.5488378, 39.6401825)
    assert [e["place"] for e in known_errors_near("nk-line-2020", *lachin, 0, "2021-06-01")] == ["Lachin"]
    assert known_errors_near("nk-line-2020", *lachin, 0, "2022-09-01") == []  # handed over on 26 Aug 2022
    hin_tagher = (46.8226283, 39.5100217)
    assert [e["place"] for e in known_errors_near("nk-line-2020", *hin_tagher, 0, "2020-12-05")] == ["Hin Tagher"]
    assert known_errors_near("nk-line-2020", *hin_tagher, 0, "2020-12-20") == []
    # the incident's own radius counts: 15 km east of Shusha with a 6 km radius meets the 10 km circle
    assert known_errors_near("nk-line-2020", 46.925, 39.76, 6000.0, "2021-01-01")
    assert not known_errors_near("nk-line-2020", 46.925, 39.76, 0.0, "2021-01-01")


def test_line_side_at_a_vertex_and_beyond_the_end():
    """Sides at a vertex follow the turn; beyond the end of the line there is no side."""
    from geomap.layers.lineset import lines_from_geometries

    # a line going east then turning north at (1, 0): the inside of the turn is the left (north-west)
    lines = lines_from_geometries([{"type": "LineString", "coordinates": [[0, 0], [1, 0], [1, 1]]}])
    side, dist, _feat = line_side(lines, [0.5, 0.5, 1.5, 1.2, 1.5, -0.5, 1.2], [0.1, -0.1, -0.2, -0.2, 0.5, 0.0, 1.5])
    assert side.tolist() == [-1, 1, 1, 1, 1, 0, 0]
    # the same line in two parts joined at the corner gives the same sides
    two = lines_from_geometries([{"type": "MultiLineString", "coordinates": [[[0, 0], [1, 0]], [[1, 0], [1, 1]]]}])
    side2, _d, _f = line_side(two, [1.2, 0.5, 0.9], [-0.2, 0.1, 0.5])
    assert side2.tolist() == [1, -1, -1]


def test_no_two_shipped_layers_tie_on_any_date_they_start_or_end():
    """The as-of rule refuses a tie (same preference and start): no shipped theatre may hold one."""
    from geomap.errors import LayerNotFound
    from geomap.layers.registry import list_layers, select_layer, theatres

    picked = 0
    for theatre in theatres():
        for kind in ("line", "area"):
            days = {d for layer in list_layers(theatre=theatre, kind=kind)
                    for d in (layer.valid_from, layer.valid_to) if d}
            for day in sorted(days):
                for source in (None, "ne", "osm"):
                    try:
                        select_layer(theatre, day, kind=kind, source=source)  # a tie raises LayerError
                    except LayerNotFound:
                        continue
                    picked += 1
    assert picked > 50
