"""The CLI's contract: help everywhere, fast start, output fields, one-line errors."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from geomap.cli import COMMANDS, main
from tests.conftest import no_crash

HEAVY = ("geopandas", "folium", "pyproj", "shapely", "numpy", "pandas", "pyogrio", "scipy")


def test_importing_the_cli_loads_no_heavy_library():
    code = "import sys, geomap.cli; print(','.join(m for m in %r if m in sys.modules))" % (HEAVY,)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    assert out == ""


def test_one_point_distance_imports_neither_folium_nor_geopandas():
    code = (
        "import sys\n"
        "from geomap.cli import main\n"
        "try:\n"
        "    main(['distance', '--at', '47.0318,39.5200', '--layer', 'nk-line-2020', '--format', 'json'])\n"
        "except SystemExit:\n"
        "    pass\n"
        "print('LOADED', [m for m in ('geopandas', 'folium') if m in sys.modules], file=sys.stderr)\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert "LOADED []" in proc.stderr, proc.stderr
    assert json.loads(proc.stdout)["distance_m"] > 0


def _all_commands():
    out = []
    for name in sorted(COMMANDS):
        cmd = main.get_command(None, name)
        out.append([name])
        for sub in getattr(cmd, "commands", {}) or {}:
            out.append([name, sub])
    return out


@pytest.mark.parametrize("args", _all_commands(), ids=lambda a: " ".join(a))
def test_every_command_has_help(runner, args):
    result = runner.invoke(main, [*args, "--help"])
    assert result.exit_code == 0, result.output
    name = args[-1] if args else "geomap"
    assert result.stdout.startswith("Usage: ") and f" {name} " in result.stdout.splitlines()[0] + " "
    assert "Options:" in result.stdout and "--help" in result.stdout


def test_version_and_show_versions(runner):
    assert runner.invoke(main, ["--version"]).exit_code == 0
    result = runner.invoke(main, ["--show-versions"])
    assert result.exit_code == 0
    for name in ("GEOS", "PROJ", "GDAL", "folium", "numpy"):
        assert name in result.output


def test_single_point_json_is_one_object_with_the_contract_fields(runner):
    result = runner.invoke(main, ["distance", "--at", "47.0318,39.52002", "--layer", "nk-line-2020", "--format", "json"])
    assert result.exit_code == 0, result.output
    obj = json.loads(result.stdout)
    for key in ("distance_m", "nearest_lon", "nearest_lat", "segment_index", "distance_interval_m"):
        assert key in obj
    ev = obj["evidence"]
    assert ev["layer"] == "nk-line-2020" and len(ev["layer_sha256"]) == 64
    assert ev["method"].startswith("exact") and ev["geomap_version"]
    assert 19_400 < obj["distance_m"] < 19_600


def test_table_shows_kilometres(runner):
    result = runner.invoke(main, ["distance", "--at", "47.0318,39.52002", "--layer", "nk-line-2020"])
    assert result.exit_code == 0
    assert "19.53" in result.stdout and "nk-line-2020" in result.stdout


def test_points_file_carries_input_columns(runner, tmp_path):
    src = tmp_path / "events.csv"
    src.write_text("event,Longitude,Latitude,notes\nA,47.0318,39.52002,x\nB,46.75,39.82,y\n", encoding="utf-8")
    result = runner.invoke(main, ["distance", str(src), "--layer", "nk-line-2020", "--format", "csv"])
    assert result.exit_code == 0, result.output
    lines = result.stdout.strip().splitlines()
    header = lines[0].split(",")
    for col in ("event", "Longitude", "Latitude", "notes", "distance_m", "nearest_lon", "segment_index",
                "layer_sha256", "method", "geomap_version", "status"):
        assert col in header
    assert len(lines) == 3


def test_geojson_on_stdin(runner):
    fc = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"id": "a"}, "geometry": {"type": "Point", "coordinates": [47.0318, 39.52002]}}
    ]}
    result = runner.invoke(main, ["distance", "-", "--layer", "nk-line-2020", "--format", "geojson"],
                           input=json.dumps(fc))
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    assert out["features"][0]["properties"]["id"] == "a"
    assert 19_400 < out["features"][0]["properties"]["distance_m"] < 19_600


def test_output_file_is_written_and_input_never_overwritten(runner, tmp_path):
    src = tmp_path / "events.csv"
    src.write_text("lon,lat\n47.0318,39.52002\n", encoding="utf-8")
    before = src.read_bytes()
    result = runner.invoke(main, ["distance", str(src), "--layer", "nk-line-2020", "-o", str(src)])
    assert result.exit_code == 2 and "refusing to write over the input" in result.stderr
    assert src.read_bytes() == before
    out = tmp_path / "out.json"
    result = runner.invoke(main, ["distance", str(src), "--layer", "nk-line-2020", "-o", str(out)])
    assert result.exit_code == 0
    assert json.loads(out.read_text())[0]["distance_m"] > 0  # format taken from the suffix
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


@pytest.mark.parametrize(
    "args, words",
    [
        (["--at", "39.52,147.03", "--layer", "nk-line-2020"], "did you swap them"),
        (["--at", "47,39", "--layer", "no/such/file.geojson"], "does not exist"),
        (["--at", "47,39"], "no line of contact given"),
        (["--at", "47,39", "--layer", "nk-area-2020x"], "no shipped layer"),
        (["--at", "forty,two", "--layer", "nk-line-2020"], "not two numbers"),
        (["--at", "47,39", "--theatre", "nagorno-karabakh", "--date", "2020-10-15"], "no nagorno-karabakh line"),
        (["--at", "47,39", "--theatre", "nagorno-karabakh", "--date", "27/12/2020"], "YYYY-MM-DD"),
    ],
)
def test_bad_input_is_one_line_without_traceback(runner, args, words):
    result = runner.invoke(main, ["distance", *args])
    assert result.exit_code == 2, result.output
    err = result.stderr.strip()
    assert len(err.splitlines()) == 1 and err.startswith("Error:")
    assert words in err
    assert no_crash(result)


def test_layer_problems_are_one_line(runner, tmp_path):
    poly = tmp_path / "area.geojson"
    poly.write_text(json.dumps({"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {},
                    "geometry": {"type": "Polygon", "coordinates": [[[46, 39], [47, 39], [47, 40], [46, 39]]]}}]}))
    result = runner.invoke(main, ["distance", "--at", "46.2,39.8", "--layer", str(poly)])
    assert result.exit_code == 2 and "--rings" in result.stderr
    result = runner.invoke(main, ["distance", "--at", "46.2,39.8", "--layer", str(poly), "--rings", "--format", "json"])
    assert result.exit_code == 0 and json.loads(result.stdout)["distance_m"] > 0
    empty = tmp_path / "empty.csv"
    empty.write_text("")
    result = runner.invoke(main, ["distance", str(empty), "--layer", "nk-line-2020"])
    assert result.exit_code == 2 and "empty" in result.stderr and len(result.stderr.strip().splitlines()) == 1
    junk = tmp_path / "junk.geojson"
    junk.write_text("{not json")
    result = runner.invoke(main, ["distance", "--at", "47,39", "--layer", str(junk)])
    assert result.exit_code == 2 and len(result.stderr.strip().splitlines()) == 1


def test_python_dash_m_geomap_works():
    proc = subprocess.run([sys.executable, "-m", "geomap", "--version"], capture_output=True, text=True)
    assert proc.returncode == 0 and "geomap" in proc.stdout


def test_public_api_names_resolve_to_functions_not_modules():
    import inspect

    import geomap

    for name in geomap.__all__:
        value = getattr(geomap, name)
        assert not inspect.ismodule(value), name
