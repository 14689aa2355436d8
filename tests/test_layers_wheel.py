"""The built wheel carries the layers, and the installed registry finds them from any directory."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

pytest.importorskip("build")
pytest.importorskip("hatchling")


@pytest.fixture(scope="module")
def wheel(tmp_path_factory):
    """Build the wheel from a copy of the source tree (the checkout is left untouched)."""
    src = tmp_path_factory.mktemp("src")
    for name in ("geomap", "layers"):
        shutil.copytree(ROOT / name, src / name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    for name in ("pyproject.toml", "LICENSE", "README.md"):
        if (ROOT / name).exists():
            shutil.copy2(ROOT / name, src / name)
    if not (src / "README.md").exists():  # pyproject names it; the lead writes the real one
        (src / "README.md").write_text("# geomap\n", encoding="utf-8")
    dist = tmp_path_factory.mktemp("dist")
    subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(dist), str(src)],
        check=True, capture_output=True, text=True,
    )
    (path,) = dist.glob("geomap-*.whl")
    return path


def test_wheel_contains_every_layer(wheel):
    with zipfile.ZipFile(wheel) as zf:
        names = set(zf.namelist())
        shipped = sorted(p for p in (ROOT / "layers").iterdir() if (p / "layer.json").is_file())
        assert len(shipped) >= 9
        for folder in shipped:
            meta = json.loads((folder / "layer.json").read_text(encoding="utf-8"))
            for name in ("layer.json", meta["geometry_file"]):
                member = f"geomap/_layers/{folder.name}/{name}"
                assert member in names
                assert zf.read(member) == (folder / name).read_bytes()
        assert "geomap/_layers/README.md" in names and "geomap/_layers/PROVENANCE.md" in names


def test_installed_registry_finds_the_layers_from_any_directory(wheel, tmp_path):
    site = tmp_path / "site"
    with zipfile.ZipFile(wheel) as zf:
        zf.extractall(site)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    code = (
        "import json, geomap, geomap.layers.registry as r\n"
        "assert geomap.__file__.startswith(%r), geomap.__file__\n"
        "ids = [l.id for l in r.list_layers()]\n"
        "ok = [r.get_layer(i).id for i in ids]\n"  # get_layer checks each sha256
        "print(json.dumps({'dir': str(r.layers_dir()), 'ids': ids,\n"
        "  'pick': r.select_layer('nagorno-karabakh', '2021-01-01').id}))\n"
    ) % str(site)
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    env["PYTHONPATH"] = str(site)
    out = subprocess.run([sys.executable, "-c", code], cwd=elsewhere, env=env, capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert data["dir"] == str(site / "geomap" / "_layers")
    expected = sorted(p.name for p in (ROOT / "layers").iterdir() if (p / "layer.json").is_file())
    assert sorted(data["ids"]) == expected
    assert data["pick"] == "nk-line-2020"
    cli = subprocess.run(
        [sys.executable, "-m", "geomap", "layers", "validate", str(site / "geomap" / "_layers" / "nk-area-2020")],
        cwd=elsewhere, env=env, capture_output=True, text=True,
    )
    assert cli.returncode == 0, cli.stdout + cli.stderr
    assert cli.stdout.startswith("ok: ")


def test_wheel_contains_the_map_page_assets(wheel):
    """The map page's script and style are package data (geomap/maps/static), read with importlib.resources."""
    with zipfile.ZipFile(wheel) as zf:
        for name in ("page.js", "page.css"):
            member = f"geomap/maps/static/{name}"
            assert member in zf.namelist()
            assert zf.read(member) == (ROOT / "geomap" / "maps" / "static" / name).read_bytes()
