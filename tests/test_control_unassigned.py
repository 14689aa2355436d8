"""Control maps that leave places to neither side: polygons whose side names no holder ("contested",
"grey zone", ...) and holes neither side's polygons fill (a lake, an unmapped pocket).

Before, a "contested" polygon was counted as the other side's: a point inside it came out "outside the
area held by UA" with a 200 m wide interval.  And a point 300 m from a lake in a two-sided map kept an
interval as narrow as if the front were known there, though the map does not say who holds the lake.
"""

from __future__ import annotations

import json

import pytest
import shapely

from geomap.cli import main
from geomap.errors import LayerError
from geomap.layers.derive import derive_line
from tests.conftest import no_crash
from tests.reference import point_line_distance

FRONT = [(37.6, 47.8), (37.6, 48.2)]


def _write(path, field, features):
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {field: value}, "geometry": json.loads(shapely.to_geojson(geom))}
        for value, geom in features]}), encoding="utf-8")
    return path


def _three_valued(tmp_path, middle):
    """RU west of lon 37.5, UA east of 37.6, and between them a strip whose control value names no side."""
    return _write(tmp_path / "three.geojson", "control", [
        ("RU", shapely.box(37.0, 47.8, 37.5, 48.2)), (middle, shapely.box(37.5, 47.8, 37.6, 48.2)),
        ("UA", shapely.box(37.6, 47.8, 38.1, 48.2))])


@pytest.mark.parametrize("middle", ["contested", "grey zone", "Disputed", "unknown"])
@pytest.mark.parametrize("held", ["UA", "RU"])
def test_a_strip_naming_no_side_is_not_the_other_sides(tmp_path, runner, middle, held):
    path = _three_valued(tmp_path, middle)
    with pytest.raises(LayerError, match="--side") as info:
        derive_line(path, border=None, land=None, side=f"control={held}")
    assert f"control={middle}" in str(info.value) and "\n" not in str(info.value)
    for args in (["layers", "derive-line", str(path), "-o", str(tmp_path / "line.geojson")],
                 ["layers", "add", str(path), "--theatre", "tri", "--valid-from", "2024-01-01", "--derive-line"]):
        refused = runner.invoke(main, [*args, "--side", f"control={held}", "--border", "none", "--land", "none"])
        assert no_crash(refused) and refused.exit_code == 2, refused.output
        assert "--side" in refused.output and len(refused.output.strip().splitlines()) == 1, refused.output
    assert not (tmp_path / "line.geojson").exists()
    picked = runner.invoke(main, ["layers", "derive-line", str(path), "-o", str(tmp_path / "line.geojson"),
                                  "--side", f"control={middle}", "--border", "none", "--land", "none"])
    assert no_crash(picked) and picked.exit_code == 2 and "names no side" in picked.output, picked.output


def test_a_map_of_one_side_and_places_of_neither_is_refused(tmp_path):
    """Only UA and 'contested' polygons: UA's edge facing the contested strip is no known front."""
    path = _write(tmp_path / "two.geojson", "control", [
        ("contested", shapely.box(37.5, 47.8, 37.6, 48.2)), ("UA", shapely.box(37.6, 47.8, 38.1, 48.2))])
    with pytest.raises(LayerError, match="no polygon is the other side's") as info:
        derive_line(path, border=None, land=None, side="control=UA")
    assert "control=contested" in str(info.value) and "--side" in str(info.value)


def _measure(runner, lon, lat, theatre="ctl"):
    got = runner.invoke(main, ["distance", "--at", f"{lon},{lat}", "--theatre", theatre, "--date", "2024-02-01",
                               "--format", "json"])
    assert no_crash(got) and got.exit_code == 0, got.output
    return json.loads(got.stdout)


def _geodesic_to_box(lon, lat, box):
    return min(point_line_distance(lon, lat, [a, b]) for a, b in zip(box.exterior.coords[:-1],
                                                                    box.exterior.coords[1:]))


# a lake in UA's side near the front; an unmapped pocket in RU's side; a contested pocket inside UA's side
HOLE_IN_UA = shapely.box(37.62, 47.95, 37.70, 48.05)
HOLE_IN_RU = shapely.box(37.40, 48.10, 37.55, 48.15)
CONTESTED_IN_UA = shapely.box(37.80, 47.90, 37.85, 47.95)


@pytest.mark.parametrize("case", ["lake", "pocket", "contested"])
def test_near_a_place_the_map_leaves_to_neither_side_the_front_may_be_as_near(tmp_path, runner, case):
    ru, ua = shapely.box(37.0, 47.8, 37.6, 48.2), shapely.box(37.6, 47.8, 38.1, 48.2)
    features = {"lake": [("RU", ru), ("UA", ua.difference(HOLE_IN_UA))],
                "pocket": [("RU", ru.difference(HOLE_IN_RU)), ("UA", ua)],
                "contested": [("RU", ru), ("UA", ua.difference(CONTESTED_IN_UA)), ("contested", CONTESTED_IN_UA)]}
    hole = {"lake": HOLE_IN_UA, "pocket": HOLE_IN_RU, "contested": CONTESTED_IN_UA}[case]
    path = _write(tmp_path / f"{case}.geojson", "control", features[case])
    added = runner.invoke(main, ["layers", "add", str(path), "--theatre", "ctl", "--valid-from", "2024-01-01",
                                 "--derive-line", "--side", "control=UA", "--held-by", "UA", "--border", "none",
                                 "--land", "none", "--accuracy-m", "100"])
    assert no_crash(added) and added.exit_code == 0, added.output
    from geomap.layers.check import validate_path
    from geomap.layers.registry import get_layer

    report = validate_path(get_layer("ctl-area-2024-01-01").path.parent)  # the store's folder, holes and all
    assert report.ok, report.problems
    derived = runner.invoke(main, ["layers", "derive-line", str(path), "-o", str(tmp_path / "line.geojson"),
                                   "--side", "control=UA", "--border", "none", "--land", "none"])
    assert no_crash(derived) and derived.exit_code == 0 and "to neither side" in derived.output, derived.output
    inside_hole = hole.centroid
    got = _measure(runner, inside_hole.x, inside_hole.y)
    assert got["side"] == "uncertain" and got["inside_area"] is None, got["side_text"]
    assert got["distance_interval_m"][0] == 0.0
    low, high = got["signed_distance_interval_m"]
    assert low <= 0 <= high and "neither side" in got["side_text"]
    # 0.004 degrees (about 300 m) off the hole's edge, kilometres from the derived front
    near = (hole.bounds[2] + 0.004, inside_hole.y)
    got = _measure(runner, *near)
    to_front = point_line_distance(*near, FRONT)
    to_hole = _geodesic_to_box(*near, hole)
    assert got["distance_m"] == pytest.approx(to_front, abs=0.01) and to_front > to_hole + 1000
    assert got["distance_interval_m"][0] == pytest.approx(to_hole - 100, abs=0.5)
    assert got["distance_interval_m"][1] == pytest.approx(to_front + 100, abs=0.01)
    if got["side"] != "uncertain":  # the side is still known (the point is held), but no nearer the front than that
        assert min(abs(v) for v in got["signed_distance_interval_m"]) == pytest.approx(to_hole - 100, abs=0.5)
    # far from the hole: the interval as before
    far = (37.64, 47.82)
    got = _measure(runner, *far)
    assert got["distance_interval_m"][0] == pytest.approx(point_line_distance(*far, FRONT) - 100, abs=0.01)
    assert got["side"] == "inside"
