from __future__ import annotations

import atexit
import os
import shutil
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

# Test modules list layers when they are collected (module-level list_layers()), before any fixture runs: point
# the user layer store at an empty folder for the whole session, so that no test ever sees the real per-user store
# (a layer another run left in ~/.local/share/geomap/layers failed the shipped-layer tests)
os.environ["GEOMAP_LAYERS_DIR"] = tempfile.mkdtemp(prefix="geomap-test-layers-")
atexit.register(shutil.rmtree, os.environ["GEOMAP_LAYERS_DIR"], True)
SHARED = ROOT.parent / "shared" / "data"


@pytest.fixture(autouse=True)
def user_layer_store(tmp_path_factory, monkeypatch):
    """Every test gets its own empty user layer store (never the real per-user folder)."""
    store = tmp_path_factory.mktemp("user-layers")
    monkeypatch.setenv("GEOMAP_LAYERS_DIR", str(store))
    return store


@pytest.fixture
def runner():
    from click.testing import CliRunner

    return CliRunner()


@pytest.fixture
def shared_data():
    if not SHARED.is_dir():
        pytest.skip("../shared/data is not beside this checkout")
    return SHARED


def chromium_path():
    return shutil.which("chromium") or shutil.which("chromium-browser")


IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


def no_crash(result) -> bool:
    """True when a CliRunner result ended normally or by SystemExit (a one-line error), not by an exception.

    click's runner never prints a traceback into ``result.output``; it keeps the
    exception in ``result.exception``, so this is what a "no traceback" check must look at.
    """
    exc = result.exception
    if exc is None or isinstance(exc, SystemExit):
        return True
    raise AssertionError(f"the command raised {type(exc).__name__}: {exc}") from exc
