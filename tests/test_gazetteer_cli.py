"""`geomap geocode` and the reusable --place options, through click's CliRunner."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from geomap.cli import main
from geomap.cli.options import parse_near
from tests.conftest import no_crash

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def runner():
    try:
        return CliRunner(mix_stderr=False)
    except TypeError:  # click >= 8.2 keeps stderr apart already
        return CliRunner()


def test_help(runner):
    result = runner.invoke(main, ["geocode", "--help"])
    assert result.exit_code == 0
    for option in ("--country", "--near", "--within", "--gazetteer", "--online", "--format"):
        assert option in result.stdout


def test_json_output_for_one_place(runner):
    result = runner.invoke(main, ["geocode", "Hadrut", "--format", "json"])
    assert result.exit_code == 0, result.stderr
    doc = json.loads(result.stdout)
    assert round(doc["lat"], 2) == 39.52 and round(doc["lon"], 2) == 47.03
    assert doc["uncertainty_m"] == 3000.0
    assert "GeoNames" in doc["attribution"] and "OpenStreetMap" in doc["attribution"]
    assert {s["source"] for s in doc["sources"]} == {"geonames-cities1000-2016", "openstreetmap"}
    assert "candidates" not in doc
    assert list(doc) == sorted(doc)


def test_json_for_district_has_polygon_and_note(runner):
    result = runner.invoke(main, ["geocode", "Hadrut district", "--format", "json"])
    assert result.exit_code == 0
    doc = json.loads(result.stdout)
    assert doc["name"] == "Xocavənd" and doc["geometry"]["type"] in ("Polygon", "MultiPolygon")
    assert doc["uncertainty_m"] == 0 and "Hadrut" in doc["geometry_note"]


def test_ambiguous_lists_candidates_and_exits_2(runner):
    result = runner.invoke(main, ["geocode", "Martuni", "--format", "json"])
    assert result.exit_code == 2
    doc = json.loads(result.stdout)
    assert doc["lon"] is None and len(doc["candidates"]) == 3
    assert {c["country"] for c in doc["candidates"]} == {"AM", "AZ"}
    assert result.stderr.count("\n") == 1 and "--country" in result.stderr


def test_country_and_near_options(runner):
    result = runner.invoke(main, ["geocode", "Martuni", "--country", "AZ", "--format", "json"])
    assert result.exit_code == 0 and json.loads(result.stdout)["country"] == "AZ"
    result = runner.invoke(main, ["geocode", "Martuni", "--near", "45.3,40.1", "--format", "json"])
    assert result.exit_code == 0
    doc = json.loads(result.stdout)
    assert doc["country"] == "AM"


def test_within_option(runner):
    result = runner.invoke(main, ["geocode", "Martuni", "--within", "az-districts"])
    assert result.exit_code == 0 and "Khojavend" in result.stdout


def test_unknown_place_one_line_exit_2(runner):
    result = runner.invoke(main, ["geocode", "Stepanakrt"])
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.startswith("Error: ") and result.stderr.count("\n") == 1
    assert "did you mean" in result.stderr and "Stepanakert" in result.stderr
    assert no_crash(result)


def test_unknown_layer_in_within(runner):
    result = runner.invoke(main, ["geocode", "Martuni", "--within", "no-such-layer"])
    assert result.exit_code == 2 and "az-districts" in result.stderr and no_crash(result)


@pytest.mark.parametrize("near,needle", [("47", "LON,LAT"), ("a,b", "LON,LAT"), ("2.35,48.85", None),
                                         ("200,40", "outside")])
def test_bad_near(runner, near, needle):
    result = runner.invoke(main, ["geocode", "Martuni", "--near", near])
    if needle is None:  # in range but nowhere near a Martuni: a not-found error, still one line
        assert result.exit_code == 2 and "within 100 km" in result.stderr
    else:
        assert result.exit_code == 2 and needle in result.stderr


def test_parse_near_callback_hint():
    with pytest.raises(click.BadParameter, match="swap"):
        parse_near(None, None, "39.8,146.7")
    assert parse_near(None, None, "46.75, 39.82") == (46.75, 39.82)
    assert parse_near(None, None, None) is None


def test_user_gazetteer_option(runner, tmp_path):
    path = tmp_path / "mine.csv"
    path.write_text("name,lon,lat,uncertainty_m\nObservation Post 7,46.81,39.72,100\n", encoding="utf-8")
    result = runner.invoke(main, ["geocode", "observation post 7", "--gazetteer", str(path), "--format", "json"])
    assert result.exit_code == 0
    doc = json.loads(result.stdout)
    assert (doc["lon"], doc["lat"], doc["uncertainty_m"]) == (46.81, 39.72, 100.0)


def test_bad_user_gazetteer_is_one_line(runner, tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("place,x,y\nA,1,2\n", encoding="utf-8")
    result = runner.invoke(main, ["geocode", "A", "--gazetteer", str(path)])
    assert result.exit_code == 2 and result.stderr.count("\n") == 1 and "name, lon, lat" in result.stderr


def test_output_file(runner, tmp_path):
    out = tmp_path / "r.json"
    result = runner.invoke(main, ["geocode", "Shusha", "--format", "json", "-o", str(out)])
    assert result.exit_code == 0 and result.stdout == ""
    assert json.loads(out.read_text(encoding="utf-8"))["country"] == "AZ"


def test_table_output(runner):
    result = runner.invoke(main, ["geocode", "Шуша"])
    assert result.exit_code == 0
    assert "Shusha" in result.stdout and "attribution: GeoNames" in result.stdout


def test_library_resolves_place_names_without_the_cli():
    """A notebook names places; the library (not the CLI) resolves them, with the narrowing options."""
    import geomap
    from geomap.errors import AmbiguousPlace
    from geomap.pipeline.request import IncidentSource, PlaceOptions, resolve_places

    ((place, note),) = resolve_places(IncidentSource(places=("Hadrut",)))
    assert (place.lon, place.lat, place.uncertainty_m) == (47.0318, 39.52002, 3000.0)
    assert "one match" in note
    ((place, _),) = resolve_places(IncidentSource(places=("Martuni",), place_options=PlaceOptions(country="AM")))
    assert str(place.lon).startswith("45.30232")
    with pytest.raises(AmbiguousPlace):
        resolve_places(IncidentSource(places=("Martuni",)))
    # the whole check, from Python, with names: the same numbers as the README's CLI example
    result = geomap.measure(places=["Hadrut"], theatre="nagorno-karabakh", date="2020-12-27",
                            claim="dozens of kilometers")
    (row,) = result.rows()
    assert row.label == "Hadrut" and round(row.nearest.distance_m / 1000, 2) == 19.53
    assert row.verdict.verdict == "inconclusive" and result.exit_code == 11


def test_cli_import_stays_light():
    code = ("import sys, geomap.cli, geomap.cli.geocode; "
            "print(','.join(m for m in ('numpy','pandas','pyproj','shapely','geopandas','folium') "
            "if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT,
                         env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"}, check=True)
    assert out.stdout.strip() == ""


def test_geocode_does_not_call_a_theatres_coast_the_line(runner):
    """`geocode Yalta --theatre crimea` printed "2 km from the line": the distance is to the theatre's lines
    and areas (the area's coast), approximate, and Yalta is 149 km from the line of contact."""
    out = runner.invoke(main, ["geocode", "Yalta", "--theatre", "crimea"])
    assert no_crash(out) and out.exit_code == 0, out.output
    first = next(line for line in out.stdout.splitlines() if line.startswith(" 1"))
    assert "from the line" not in first and "theatre crimea" in first, first
    # 149 km from that line is outside its region (100 km): the country confirms the place
    line = runner.invoke(main, ["geocode", "Yalta", "--layer", "crimea-line-2014", "--country", "UA"])
    first = next(row for row in line.stdout.splitlines() if row.startswith(" 1"))
    assert "149 km from the layer crimea-line-2014" in first, first
