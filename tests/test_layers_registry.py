"""The layer registry: dated selection, metadata schema, sha256 check; one test over every shipped layer."""

from __future__ import annotations

import copy
import datetime as dt
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from geomap.layers import registry
from geomap.errors import InputError, LayerError, LayerNotFound
from geomap.layers.registry import Layer, get_layer, list_layers, select_layer, theatres, validate_metadata

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "data"

#: the ids other parts of geomap refer to
REQUIRED_IDS = {
    "nk-line-1994",
    "nk-area-1994",
    "nk-line-2020",
    "nk-area-2020",
    "nk-nkao-1991",
    "kashmir-loc",
    "korea-mdl-1953",
    "ne-countries-50m",
    "ne-borders-caucasus-10m",
}

ALL_IDS = [layer.id for layer in list_layers()]


def test_required_layers_are_shipped():
    assert REQUIRED_IDS <= set(ALL_IDS)


def test_every_layer_folder_is_registered():
    folders = {p.name for p in registry.layers_dir().iterdir() if (p / "layer.json").is_file()}
    assert folders == set(ALL_IDS)


@pytest.mark.parametrize("layer_id", ALL_IDS)
def test_shipped_layer(layer_id):
    """Schema valid, sha256 matches, geometry valid and non-empty, inside its stated bbox, counts right."""
    from geomap.layers.check import validate_path

    layer = get_layer(layer_id)  # verifies the sha256
    assert layer.id == layer.path.parent.name
    assert validate_metadata(layer.meta) == []
    assert registry.file_sha256(layer.path) == layer.sha256
    report = validate_path(layer.path.parent)
    assert report.problems == []
    assert {"metadata schema", "sha256", "crs", "geometry validity", "bbox"} <= set(report.checks)
    assert report.crs == "EPSG:4326"
    assert report.features == layer.meta["counts"]["features"] > 0


@pytest.mark.parametrize("layer_id", sorted(REQUIRED_IDS))
def test_counts_match_the_geometry(layer_id):
    """counts.length_km / area_km2 in layer.json are the geodesic values of the shipped file."""
    import shapely
    from pyproj import Geod

    from geomap.layers.resolve import read_frame

    layer = get_layer(layer_id)
    frame = read_frame(layer_id)
    geod = Geod(ellps="WGS84")
    counts = layer.meta["counts"]
    assert int(shapely.get_num_coordinates(frame.geometry.values).sum()) == counts["vertices"]
    if "length_km" in counts:
        total = sum(geod.geometry_length(g) for g in frame.geometry) / 1000
        assert total == pytest.approx(counts["length_km"], abs=0.05)
    else:
        total = sum(abs(geod.geometry_area_perimeter(g)[0]) for g in frame.geometry) / 1e6
        assert total == pytest.approx(counts["area_km2"], abs=0.05)


def test_published_counts():
    """The counts PROVENANCE.md reports for the source files survive the build."""
    assert get_layer("nk-line-1994").meta["counts"] == {"features": 3, "vertices": 87, "length_km": 202.6}
    assert get_layer("nk-line-2020").meta["counts"] == {"features": 12, "vertices": 241, "length_km": 393.2}
    # kashmir-loc v2 is the first of the two NE features (171 + 56 = 227); the second is the Working Boundary
    assert get_layer("kashmir-loc").meta["counts"]["vertices"] == 171
    assert get_layer("kashmir-working-boundary").meta["counts"]["vertices"] == 56
    assert get_layer("korea-mdl-1953").meta["counts"]["length_km"] == 203.9
    assert get_layer("nk-area-2020").meta["counts"]["vertices"] == 237
    assert get_layer("ne-countries-50m").meta["counts"]["features"] == 241


def test_line_layers_name_existing_area_layers():
    ids = set(ALL_IDS)
    for layer in list_layers(kind="line"):
        if layer.area_layer:
            area = get_layer(layer.area_layer)
            assert area.kind == "area" and area.theatre == layer.theatre
            assert (area.valid_from, area.valid_to) == (layer.valid_from, layer.valid_to)
    assert {"nk-area-1994", "nk-area-2020"} <= ids


def test_validity_ranges_do_not_overlap():
    """Within one theatre, kind and source family, at most one layer is valid on any date."""
    for theatre in theatres():
        for kind, provider in [(k, p) for k in ("line", "area") for p in registry.PROVIDERS]:
            dated = sorted(
                (layer for layer in list_layers(theatre=theatre, kind=kind)
                 if layer.valid_from and layer.provider == provider),
                key=lambda layer: layer.valid_from,
            )
            for before, after in zip(dated, dated[1:]):
                assert before.valid_to is not None and before.valid_to < after.valid_from, (before.id, after.id)


def test_theatres():
    assert theatres() == sorted(theatres())
    assert {"nagorno-karabakh", "kashmir", "korea", "donbas", "golan", "cyprus", "western-sahara",
            "israel-lebanon", "crimea", "georgia"} <= set(theatres())


@pytest.mark.parametrize(
    ("theatre", "date", "kind", "expected"),
    [
        ("nagorno-karabakh", "1994-05-12", "line", "nk-line-1994"),  # first day
        ("nagorno-karabakh", "2016-04-02", "line", "nk-line-1994"),  # April war: line barely moved
        ("nagorno-karabakh", "2020-09-26", "line", "nk-line-1994"),  # last day before the war
        ("nagorno-karabakh", "2020-12-14", "line", "nk-line-2020"),  # first day what it shows was true
        ("nagorno-karabakh", "2020-11-10", "area", "nk-area-2020-interim"),  # experimental upper bound
        ("nagorno-karabakh", "2020-11-19", "area", "nk-area-2020-interim"),
        ("nagorno-karabakh", dt.date(2021, 5, 1), "line", "nk-line-2020"),
        ("nagorno-karabakh", dt.datetime(2021, 5, 1, 23, 59), "area", "nk-area-2020"),
        ("nagorno-karabakh", "2000-01-01", "area", "nk-area-1994"),
        ("kashmir", "1980-05-03", "line", "kashmir-loc"),  # before the AGPL: only Natural Earth
        ("kashmir", "1999-05-03", "line", "kashmir-loc-osm"),  # both valid: the more detailed wins
        ("korea", "1953-07-27", "line", "korea-mdl-osm"),
        ("donbas", "2019-06-01", "line", "donbas-line-2015"),
        ("donbas", "2015-02-15", "area", "donbas-area-2015"),
        ("golan", "2024-12-07", "line", "golan-line-osm"),
        ("crimea", "2016-01-01", "area", "crimea-area-osm"),
        ("georgia", "2012-01-01", "line", "georgia-abl-2008"),
    ],
)
def test_select_layer(theatre, date, kind, expected):
    assert select_layer(theatre, date, kind).id == expected


@pytest.mark.parametrize(
    ("date", "why"),
    [("2020-09-27", "war: the line moved daily"), ("2020-10-15", "war: the line moved daily"),
     ("2020-11-09", "war: the line moved daily"), ("2020-11-10", "Aghdam (20 Nov), Kalbajar (25 Nov)"),
     ("2020-12-01", "Hin Tagher"), ("2020-12-13", "Hin Tagher")],
)
def test_select_layer_refuses_the_2020_war_and_handovers(date, why):
    """One line that says why: the war, then the handovers and the Hin Tagher pocket."""
    with pytest.raises(LayerNotFound) as info:
        select_layer("nagorno-karabakh", date)
    message = str(info.value)
    assert "\n" not in message
    assert message.startswith(f"no nagorno-karabakh line is valid on {date}: ")
    assert why in message
    assert "nk-line-1994 covers 1994-05-12..2020-09-26" in message
    assert "nk-line-2020 covers 2020-12-14..2023-09-18" in message


@pytest.mark.parametrize(
    ("theatre", "date", "source", "expected"),
    [
        ("kashmir", "2000-01-01", "ne", "kashmir-loc"),
        ("kashmir", "2000-01-01", "osm", "kashmir-loc-osm"),
        ("korea", "2000-01-01", "ne", "korea-mdl-1953"),
        ("israel-lebanon", "2006-07-12", "ne", "israel-lebanon-line"),
        ("israel-lebanon", "2006-07-12", "osm", "israel-lebanon-osm"),
        ("cyprus", "1990-01-01", "osm", "cyprus-line-osm"),
    ],
)
def test_select_layer_by_source(theatre, date, source, expected):
    layer = select_layer(theatre, date, source=source)
    assert layer.id == expected and layer.provider == source


def test_select_layer_source_errors():
    with pytest.raises(LayerNotFound, match="no kashmir line from source osm is valid on 1980-01-01"):
        select_layer("kashmir", "1980-01-01", source="osm")
    with pytest.raises(LayerNotFound, match="has no dated line from source osm layer"):
        select_layer("donbas", "2019-06-01", source="osm")
    with pytest.raises(InputError, match="source 'google' is not known"):
        select_layer("korea", "2000-01-01", source="google")


def test_select_layer_prefers_the_more_detailed_layer():
    """Where NE and OSM both cover a date, the documented preference (lower wins) picks OSM, the finer one."""
    for theatre in theatres():
        for layer in list_layers(theatre=theatre, kind="line"):
            if not layer.valid_from:
                continue
            chosen = select_layer(theatre, layer.valid_from)
            assert chosen.preference <= layer.preference
            if chosen.id != layer.id and chosen.preference < layer.preference:
                assert chosen.accuracy_m < layer.accuracy_m


def test_zone_layers_are_never_selected():
    with pytest.raises(InputError, match="never selected by date"):
        select_layer("korea", "2000-01-01", kind="zone")
    assert get_layer("korea-dmz-north").kind == "zone"


def test_select_layer_before_any_line():
    with pytest.raises(LayerNotFound, match="korea-mdl-1953 covers 1953-07-27.., korea-mdl-osm covers 1953-07-27.."):
        select_layer("korea", "1950-06-25")
    with pytest.raises(LayerNotFound, match="nk-line-1994 covers"):
        select_layer("nagorno-karabakh", "1993-01-01")


def test_select_layer_unknown_theatre_lists_theatres():
    with pytest.raises(LayerNotFound) as info:
        select_layer("transnistria", "2022-03-01")
    assert "unknown theatre 'transnistria'" in str(info.value)
    for theatre in theatres():
        assert theatre in str(info.value)


def test_select_layer_kind_without_layers():
    with pytest.raises(LayerNotFound, match="has no dated area layer: it has kashmir-loc \\(line, ne\\)"):
        select_layer("kashmir", "2000-01-01", kind="area")


def test_select_layer_undated_kind_is_an_input_error():
    with pytest.raises(InputError, match="never selected by date"):
        select_layer("nagorno-karabakh", "2000-01-01", kind="reference")


def test_reference_layers_are_never_selected():
    assert not get_layer("nk-nkao-1991").is_valid_on("1991-06-01")
    assert get_layer("nk-nkao-1991").validity == "undated"


@pytest.mark.parametrize("bad", ["2020-13-01", "15/10/2020", "yesterday", "", "2020-02-30"])
def test_bad_date_is_an_input_error(bad):
    with pytest.raises(InputError, match="bad date") as info:
        select_layer("nagorno-karabakh", bad)
    assert "\n" not in str(info.value)


@given(st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2100, 12, 31)))
def test_select_layer_agrees_with_validity(day):
    """Any date: either exactly the covering layer is returned, or an error that lists the ranges."""
    covering = [
        layer for layer in list_layers(theatre="nagorno-karabakh", kind="line") if layer.is_valid_on(day)
    ]
    if covering:
        assert len(covering) == 1
        assert select_layer("nagorno-karabakh", day).id == covering[0].id
    else:
        with pytest.raises(LayerNotFound, match=day.isoformat()):
            select_layer("nagorno-karabakh", day)


def test_get_layer_unknown_lists_ids():
    with pytest.raises(LayerNotFound) as info:
        get_layer("nk-line-2099")
    for layer_id in REQUIRED_IDS:
        assert layer_id in str(info.value)


# ----------------------------------------------------------------- metadata schema
GOOD = get_layer("nk-line-2020").meta


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        (lambda m: m.pop("sha256"), "missing field 'sha256'"),
        (lambda m: m.pop("valid_to"), "missing field 'valid_to'"),
        (lambda m: m.update(kind="front"), "kind 'front' must be one of"),
        (lambda m: m.update(crs="EPSG:3857"), "must be 'EPSG:4326'"),
        (lambda m: m.update(valid_from="2020-11-31"), "is not an ISO date"),
        (lambda m: m.update(valid_to="2019-01-01"), "is after valid_to"),
        (lambda m: m.update(theatre=None), "a line layer needs a theatre"),
        (lambda m: m.update(valid_from=None), "needs valid_from"),
        (lambda m: m.update(sha256="abc"), "64 lower-case hex"),
        (lambda m: m.update(accuracy_m=0), "positive number of metres"),
        (lambda m: m.update(accuracy_m="5 km"), "'accuracy_m' must be a number"),
        (lambda m: m["source"].pop("rerun"), "source lacks 'rerun'"),
        (lambda m: m["counts"].pop("length_km"), "counts needs length_km"),
        (lambda m: m.update(bbox=[47, 40, 46, 39]), "bbox"),
        (lambda m: m.update(id="NK Line"), "lower-case letters"),
        (lambda m: m.update(omits="nothing"), "'omits' must be a list"),
        (lambda m: m.update(role="front"), "role 'front'"),
    ],
)
def test_validate_metadata_finds(change, problem):
    meta = copy.deepcopy(GOOD)
    change(meta)
    problems = validate_metadata(meta)
    assert any(problem in p for p in problems), problems


def test_validate_metadata_kind_rules():
    area = copy.deepcopy(get_layer("nk-area-2020").meta)
    area.pop("held_by")
    assert any("held_by" in p for p in validate_metadata(area))
    ref = copy.deepcopy(get_layer("nk-nkao-1991").meta)
    ref["valid_from"] = "1991-01-01"
    assert any("never selected by date" in p for p in validate_metadata(ref))
    area = copy.deepcopy(get_layer("nk-area-2020").meta)
    area["area_layer"] = "nk-area-1994"
    assert any("only line layers" in p for p in validate_metadata(area))
    assert validate_metadata([]) == ["layer metadata must be a JSON object"]


# ----------------------------------------------------------------- sha256 on load
def test_changed_geometry_file_is_refused(tmp_path):
    source = get_layer("korea-mdl-1953").path.parent
    folder = tmp_path / "korea-mdl-1953"
    shutil.copytree(source, folder)
    layer = Layer.from_folder(folder)
    assert layer.verify() is layer
    data = folder / "data.geojson"
    data.write_bytes(data.read_bytes().replace(b"126.", b"127.", 1))
    with pytest.raises(LayerError, match="was changed") as info:
        Layer.from_folder(folder).verify()
    assert "\n" not in str(info.value)
    data.unlink()
    with pytest.raises(LayerError, match="is missing"):
        Layer.from_folder(folder).verify()


def test_unreadable_metadata(tmp_path):
    (tmp_path / "layer.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(LayerError, match="unreadable"):
        Layer.from_folder(tmp_path)


# ----------------------------------------------------------------- reproducible build
@pytest.mark.skipif(not SHARED.is_dir(), reason="../shared/data is not beside this checkout")
def test_build_script_reproduces_the_shipped_layers(tmp_path):
    script = ROOT / "scripts" / "build_layers.py"
    out = subprocess.run(
        [sys.executable, str(script), "--data", str(SHARED), "--out", str(tmp_path)],
        capture_output=True, text=True, check=True,
    )
    assert "nk-line-2020" in out.stdout
    built = sorted(tmp_path.iterdir())
    assert {p.name for p in built if p.is_dir()} >= {"nk-line-2020", "kashmir-loc", "donbas-line-2015"}
    for item in (p for p in built if p.is_file()):  # theatres.json
        assert item.read_bytes() == (ROOT / "layers" / item.name).read_bytes(), item.name
    for spec_dir in (p for p in built if p.is_dir()):
        shipped = ROOT / "layers" / spec_dir.name
        for name in ("layer.json", "data.geojson"):
            assert (spec_dir / name).read_bytes() == (shipped / name).read_bytes(), f"{spec_dir.name}/{name}"
    meta = json.loads((tmp_path / "nk-line-2020" / "layer.json").read_text(encoding="utf-8"))
    assert meta["sha256"] == registry.file_sha256(tmp_path / "nk-line-2020" / "data.geojson")
