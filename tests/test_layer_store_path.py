"""The user layer store's place: a relative GEOMAP_LAYERS_DIR would move the store with the working folder."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _line(path):
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"name": "front"},
         "geometry": {"type": "LineString", "coordinates": [[31.0, 48.0], [31.1, 48.5], [31.0, 49.0]]}}]}))


def _geomap(cwd, store, *args):
    env = dict(os.environ, PYTHONPATH=str(ROOT), GEOMAP_LAYERS_DIR=store)
    return subprocess.run([sys.executable, "-m", "geomap", *args], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=120)


@pytest.mark.parametrize("store", ["store", "./layers", "sub/dir", "$HOME/layers"])
def test_a_relative_store_is_refused_in_one_line(tmp_path, store):
    # it was accepted: 'layers add' in one folder, then the same --theatre in another folder found no layer
    # (or a different one) -- results that depend on where the command was typed
    _line(tmp_path / "front_2024-01-01.geojson")
    for args in (["layers", "add", "front_2024-01-01.geojson", "--theatre", "mine"], ["layers", "list"],
                 ["distance", "--at", "31.2,48.5", "--layer", "nk-line-2020", "--format", "json"]):
        proc = _geomap(tmp_path, store, *args)
        assert proc.returncode == 2, (args, proc.stdout, proc.stderr)
        lines = proc.stderr.strip().splitlines()
        assert len(lines) == 1 and "GEOMAP_LAYERS_DIR" in lines[0] and "absolute" in lines[0], proc.stderr
    assert not any(p.is_dir() for p in tmp_path.iterdir()), "nothing may be created under the working folder"


def test_an_absolute_or_home_store_is_used_from_any_folder(tmp_path):
    _line(tmp_path / "front_2024-01-01.geojson")
    store = tmp_path / "store"
    assert _geomap(tmp_path, str(store), "layers", "add", "front_2024-01-01.geojson", "--theatre", "mine").returncode == 0
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    proc = _geomap(elsewhere, str(store), "layers", "list")
    assert proc.returncode == 0 and "mine" in proc.stdout, proc.stderr
    home = dict(os.environ, HOME=str(tmp_path))
    proc = subprocess.run([sys.executable, "-m", "geomap", "layers", "list"], cwd=elsewhere, capture_output=True,
                          text=True, timeout=120, env=dict(home, PYTHONPATH=str(ROOT), GEOMAP_LAYERS_DIR="~/store"))
    assert proc.returncode == 0 and "mine" in proc.stdout, proc.stderr
