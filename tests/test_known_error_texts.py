"""The shipped known-error texts say what the shipped data and code do now.

Before, nk-area-2020-interim said Lachin town "lies about 1.4 km outside this area" (it lies 1.10 km
outside), "Armenian-held until 1 Dec 2020" (the town stayed in the corridor until 26 Aug 2022; the
district was handed over on 1 Dec 2020), and that the Hin Tagher pocket lies "about 18 km beyond the
2020 line" (that is nk-line-2020's figure: it lies 11.5 km outside this area).
"""

from __future__ import annotations

import re

import pytest

from geomap.layers.distance import distance_to_line
from geomap.layers.lineset import read_lines
from geomap.layers.registry import list_layers
from geomap.layers.sides import inside_area

#: "about 4.6-4.9 km on the ... side", "about 1.4 km outside this area", "about 60 m outside", "about 18 km beyond"
FIGURE = re.compile(r"about (\d+(?:\.\d+)?)(?:-(\d+(?:\.\d+)?))? (km|m) (outside|inside|on the|away|beyond)")

ENTRIES = [(layer.id, entry) for layer in list_layers() for entry in layer.known_errors
           if "error_m" not in entry and FIGURE.search(entry["what"])]


def test_the_texts_with_figures_are_all_found():
    assert {"nk-area-2020-interim", "nk-line-2020", "donbas-area-2015", "golan-area-1974",
            "israel-lebanon-line"} <= {lid for lid, _ in ENTRIES}


@pytest.mark.parametrize(("layer_id", "entry"), ENTRIES, ids=[f"{lid}-{e['place']}" for lid, e in ENTRIES])
def test_each_known_error_figure_is_the_measured_one(layer_id, entry):
    from geomap.layers.registry import get_layer

    layer = get_layer(layer_id)
    lines = read_lines(layer_id, rings=layer.kind != "line")
    measured_km = float(distance_to_line([entry["lon"]], [entry["lat"]], lines).distance_m[0]) / 1000.0
    for low, high, unit, where in FIGURE.findall(entry["what"]):
        scale = 1.0 if unit == "km" else 0.001
        low_km, high_km = float(low) * scale, float(high or low) * scale
        assert 0.9 * low_km - 0.05 <= measured_km <= 1.1 * high_km + 0.05, (entry["what"], measured_km)
        if layer.kind != "line" and where in ("inside", "outside") and "this area" in entry["what"]:
            inside = bool(inside_area([entry["lon"]], [entry["lat"]], layer_id)[0])
            assert inside == (where == "inside"), (entry["what"], inside)
