"""Two shipped sources of one line (Natural Earth and OpenStreetMap) that disagree by more than a layer's
stated accuracy: a result against either cannot be more accurate than their disagreement there.

Before, a point in the Han estuary got 33.5 km +/- 5.1 km against korea-mdl-1953 and 8.4 km +/- 1.0 km
against korea-mdl-osm: two confident intervals 20 km apart.  known_errors now records each stretch of
disagreement (scripts/layer_disagreements.py, with error_m) and the interval there carries it.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from geomap.cli import main
from tests.conftest import no_crash

ROOT = Path(__file__).resolve().parents[1]
PAIRS = [("korea-mdl-1953", "korea-mdl-osm"), ("kashmir-loc", "kashmir-loc-osm"), ("cyprus-line-1974", "cyprus-line-osm"),
         ("golan-line-1974", "golan-line-osm"), ("israel-lebanon-line", "israel-lebanon-osm")]


def _measure(runner, lon, lat, layer):
    got = runner.invoke(main, ["distance", "--at", f"{lon},{lat}", "--layer", layer, "--format", "json"])
    assert no_crash(got) and got.exit_code == 0, got.output
    return json.loads(got.stdout)


@pytest.mark.parametrize(("lon", "lat", "pair"), [
    (126.30, 37.75, 0),  # Han estuary: the OSM line runs through it, Natural Earth omits it
    (126.55, 37.83, 0),  # by the west end of the Natural Earth line
    (74.40, 32.85, 1),   # the south end of the Line of Control, where the two lie 11-15 km apart
    (76.85, 35.40, 1),   # the Siachen segment, which only OpenStreetMap draws
    (32.56, 35.28, 2),   # off the north-west coast, where the OSM line has maritime pieces
])
def test_each_sources_interval_holds_the_others_distance(runner, lon, lat, pair):
    a, b = PAIRS[pair]
    got_a, got_b = _measure(runner, lon, lat, a), _measure(runner, lon, lat, b)
    assert abs(got_a["distance_m"] - got_b["distance_m"]) > 3000  # they do disagree here
    for mine, other in ((got_a, got_b), (got_b, got_a)):
        low, high = mine["distance_interval_m"]
        assert low <= other["distance_m"] <= high, (mine["evidence"]["layer"], mine["distance_interval_m"],
                                                    other["distance_m"])
        assert "disagrees with" in mine["incident"]["note"], mine["incident"]
        assert mine["uncertainty"]["layer_accuracy_m"] > mine["evidence"]["layer_accuracy_m"]
        assert "another source" in mine["uncertainty"]["layer_accuracy_source"]


def test_far_from_any_disagreement_the_stated_accuracy_holds(runner):
    got = _measure(runner, 127.5, 38.0, "korea-mdl-osm")  # mid-line, where the two agree within 1 km
    low, high = got["distance_interval_m"]
    assert high - low == pytest.approx(2 * 1000.0, abs=0.01)


@pytest.mark.parametrize("pair", PAIRS)
def test_the_recorded_disagreements_are_those_measured_on_the_shipped_files(pair):
    sys.path.insert(0, str(ROOT / "scripts"))
    import layer_disagreements

    for mine, other in (pair, pair[::-1]):
        recorded = [e for e in json.loads((ROOT / "layers" / mine / "layer.json").read_text(encoding="utf-8"))
                    ["known_errors"] if "error_m" in e]
        assert recorded == layer_disagreements.disagreements(ROOT / "layers", mine, other)
