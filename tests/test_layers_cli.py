"""``geomap layers``: list, show, validate, derive-line through click's runner."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys

import pytest

from geomap.cli import main
from geomap.layers.registry import get_layer, list_layers
from tests.conftest import no_crash

pytestmark = pytest.mark.filterwarnings("ignore:.crs. was not provided:UserWarning")


def _one_line_error(result, code=2):
    assert result.exit_code == code, (result.exit_code, result.stdout, result.stderr)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: ")
    assert no_crash(result)
    return lines[0]


@pytest.mark.parametrize(
    "args",
    [["layers"], ["layers", "list"], ["layers", "show"], ["layers", "validate"], ["layers", "derive-line"]],
)
def test_help(runner, args):
    result = runner.invoke(main, [*args, "--help"])
    assert result.exit_code == 0
    assert "Usage:" in result.stdout and len(result.stdout) > 200


def test_list_table(runner):
    result = runner.invoke(main, ["layers", "list"])
    assert result.exit_code == 0
    for layer in list_layers():
        assert layer.id in result.stdout
    assert "1994-05-12..2020-09-26" in result.stdout


def test_list_json_and_filters(runner):
    result = runner.invoke(main, ["layers", "list", "--format", "json", "--theatre", "nagorno-karabakh", "--kind", "line"])
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert [d["id"] for d in data] == ["nk-line-1994", "nk-line-2020"]
    assert all(d["sha256"] and d["licence"] and d["source"]["commit"] for d in data)


def test_list_unknown_theatre(runner):
    line = _one_line_error(runner.invoke(main, ["layers", "list", "--theatre", "narnia"]))
    assert "kashmir" in line and "nagorno-karabakh" in line


def test_list_bad_kind_is_a_usage_error(runner):
    result = runner.invoke(main, ["layers", "list", "--kind", "front"])
    assert result.exit_code == 2 and no_crash(result)


def test_show(runner):
    result = runner.invoke(main, ["layers", "show", "nk-line-2020"])
    assert result.exit_code == 0
    assert "TRANSCRIBED" in result.stdout and "Hin Tagher" in result.stdout and "peacekeeping" in result.stdout
    data = json.loads(runner.invoke(main, ["layers", "show", "nk-area-2020", "--format", "json"]).stdout)
    assert data["kind"] == "area" and "DERIVED" in data["notes"] and data["held_by"]


def test_show_unknown(runner):
    line = _one_line_error(runner.invoke(main, ["layers", "show", "nk-line-2099"]))
    assert "nk-line-2020" in line


def test_validate_shipped(runner):
    for target in (get_layer("nk-line-2020").path.parent, get_layer("kashmir-loc").path):
        result = runner.invoke(main, ["layers", "validate", str(target)])
        assert result.exit_code == 0, result.stdout
        assert result.stdout.startswith("ok: ") and "sha256" in result.stdout


def test_validate_changed_layer(runner, tmp_path):
    folder = tmp_path / "korea-mdl-1953"
    shutil.copytree(get_layer("korea-mdl-1953").path.parent, folder)
    meta = json.loads((folder / "layer.json").read_text(encoding="utf-8"))
    meta.pop("licence")
    meta["valid_from"] = "1953-02-30"
    (folder / "layer.json").write_text(json.dumps(meta), encoding="utf-8")
    data = folder / "data.geojson"
    data.write_bytes(data.read_bytes().replace(b"126.", b"136.", 1))
    result = runner.invoke(main, ["layers", "validate", str(data), "--format", "json"])
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    text = " | ".join(report["problems"])
    assert "missing field 'licence'" in text
    assert "valid_from '1953-02-30' is not an ISO date" in text
    assert "sha256 of data.geojson" in text
    assert "outside the stated bbox" in text  # the edited vertex moved ten degrees east


def test_validate_bad_geometries(runner, tmp_path):
    bowtie = {"type": "Polygon", "coordinates": [[[0, 0], [1, 1], [1, 0], [0, 1], [0, 0]]]}
    path = tmp_path / "bad.geojson"
    path.write_text(
        json.dumps({"type": "FeatureCollection", "features": [
            {"type": "Feature", "properties": {}, "geometry": bowtie},
            {"type": "Feature", "properties": {}, "geometry": None},
        ]}),
        encoding="utf-8",
    )
    result = runner.invoke(main, ["layers", "validate", str(path)])
    assert result.exit_code == 1
    assert "1 invalid geometry (first: Self-intersection" in result.stdout
    assert "1 feature(s) have no geometry" in result.stdout


def test_validate_missing_crs_and_empty(runner, tmp_path):
    import geopandas as gpd
    import shapely

    path = tmp_path / "nocrs.shp"
    gpd.GeoDataFrame(geometry=[shapely.LineString([(46, 40), (47, 40)])]).to_file(path)
    result = runner.invoke(main, ["layers", "validate", str(path)])
    assert result.exit_code == 1 and "no CRS" in result.stdout
    empty = tmp_path / "empty.geojson"
    empty.write_text('{"type": "FeatureCollection", "features": []}', encoding="utf-8")
    result = runner.invoke(main, ["layers", "validate", str(empty)])
    assert result.exit_code == 1 and "no features" in result.stdout


def test_validate_missing_path(runner, tmp_path):
    result = runner.invoke(main, ["layers", "validate", str(tmp_path / "nope.geojson")])
    assert result.exit_code == 2 and "does not exist" in result.stderr


def test_derive_line(runner, tmp_path):
    out = tmp_path / "front.geojson"
    result = runner.invoke(main, ["layers", "derive-line", "nk-area-2020", "-o", str(out), "--format", "json"])
    assert result.exit_code == 0, result.stderr
    summary = json.loads(result.stdout)
    assert summary["border_source"] == "ne-borders-caucasus-10m"
    assert 390 < summary["line_km"] < 393.2
    assert json.loads(out.read_text(encoding="utf-8"))["features"]
    table = runner.invoke(main, ["layers", "derive-line", "nk-area-2020", "-o", str(out), "--tolerance-m", "1000"])
    assert table.exit_code == 0 and table.stdout.startswith(f"wrote {out}")


def test_derive_line_errors(runner, tmp_path):
    area = tmp_path / "area.geojson"
    area.write_bytes(get_layer("nk-area-2020").path.read_bytes())
    line = _one_line_error(runner.invoke(main, ["layers", "derive-line", str(area), "-o", str(area)]))
    assert "refusing to write" in line
    _one_line_error(runner.invoke(main, ["layers", "derive-line", "nk-line-2020", "-o", str(tmp_path / "x.geojson")]))
    _one_line_error(runner.invoke(main, ["layers", "derive-line", "no-such-area", "-o", str(tmp_path / "x.geojson")]))
    result = runner.invoke(main, ["layers", "derive-line", "nk-area-2020", "-o", str(tmp_path / "x"), "--tolerance-m", "-5"])
    assert result.exit_code == 2 and no_crash(result)
    assert not (tmp_path / "x.geojson").exists()


def test_layers_cli_imports_stay_light():
    """Importing the CLI and running 'layers list' loads no numpy/pyproj/shapely/geopandas."""
    code = (
        "import sys\n"
        "from click.testing import CliRunner\n"
        "from geomap.cli import main\n"
        "r = CliRunner().invoke(main, ['layers', 'list', '--format', 'json'])\n"
        "assert r.exit_code == 0, r.output\n"
        "heavy = [m for m in ('numpy', 'pandas', 'pyproj', 'shapely', 'geopandas', 'pyogrio') if m in sys.modules]\n"
        "print(heavy)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_list_groups_by_theatre_and_says_which_is_more_detailed(runner):
    result = runner.invoke(main, ["layers", "list"])
    assert result.exception is None or isinstance(result.exception, SystemExit)
    out = result.stdout
    for theatre in ("donbas:", "korea:", "golan:", "cyprus:", "western-sahara:", "israel-lebanon:", "crimea:",
                    "georgia:", "kashmir:", "nagorno-karabakh:"):
        assert f"\n{theatre}\n" in "\n" + out
    korea = out.split("\nkorea:\n")[1].split("\n\n")[0]
    assert [ln.split()[0] for ln in korea.splitlines() if "more detailed" in ln] == ["korea-mdl-osm"]
    assert [ln.split()[0] for ln in korea.splitlines() if "less detailed" in ln] == ["korea-mdl-1953"]
    assert "nk-area-2020-interim (experimental)" in out
    assert out.index("\nnagorno-karabakh:") < out.index("no theatre (base maps")


def test_show_prints_point_checks_caveats_and_known_errors(runner):
    result = runner.invoke(main, ["layers", "show", "nk-line-2020"])
    assert result.exit_code == 0
    out = result.stdout
    assert "point checks: 9 of 11 places on the right side" in out
    shusha = next(ln for ln in out.splitlines() if ln.startswith("Shusha "))
    assert "Azerbaijani-held" in shusha and "Armenian-held" in shusha and "WRONG SIDE" in shusha
    assert "known error: Shusha" in out and "caveat:" in out and "validity: valid_from 2020-12-14" in out


@pytest.mark.parametrize(("source", "layer_id"), [("osm", "korea-mdl-osm"), ("ne", "korea-mdl-1953"),
                                                  (None, "korea-mdl-osm")])
def test_check_source_option(runner, source, layer_id):
    args = ["check", "--at", "127.2175,38.20917", "--theatre", "korea", "--date", "2015-08-04",
            "--claim", "within 50 km", "--format", "json"] + (["--source", source] if source else [])
    result = runner.invoke(main, args)
    assert result.exit_code == 0, result.stderr
    ev = json.loads(result.stdout)["evidence"]
    assert ev["layer_id"] == layer_id
    assert (ev["layer_attribution"] == "© OpenStreetMap contributors") == (layer_id == "korea-mdl-osm")


def test_source_with_layer_is_refused(runner):
    result = runner.invoke(main, ["distance", "--at", "127.2,38.2", "--layer", "korea-mdl-1953", "--source", "osm"])
    assert "--source picks among a theatre's layers" in _one_line_error(result)
