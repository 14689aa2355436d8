"""A control map whose two sides overlap says both hold the places in the overlap: never one side there.

* ``derive-line`` (and ``layers add --derive-line``) refuses a map whose sides overlap by more than the
  tolerance somewhere, naming the overlap (not a gap between them) and the fix;
* a thin overlap it accepts (digitising slivers) leaves points in it on both sides' polygons: their
  side is uncertain, whatever the layer's accuracy.
"""

from __future__ import annotations

import json

import pytest

from geomap.cli import main

UA = [[37.0, 47.0], [38.0, 47.0], [38.0, 48.0], [37.0, 48.0], [37.0, 47.0]]


def _map(path, other):
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"side": side}, "geometry": {"type": "Polygon", "coordinates": [ring]}}
        for side, ring in (("UA", UA), ("RU", other))]}), encoding="utf-8")
    return path


@pytest.mark.parametrize("other", [
    # overlaps the held side by 3.8 km along the southern half, shares the edge x=38 along the northern half
    [[37.95, 47.0], [39.0, 47.0], [39.0, 48.0], [38.0, 48.0], [38.0, 47.5], [37.95, 47.5], [37.95, 47.0]],
    # overlaps it by 15 km along the whole edge
    [[37.8, 47.0], [39.0, 47.0], [39.0, 48.0], [37.8, 48.0], [37.8, 47.0]],
    # a 5 km tongue reaching into it, the rest of the edge shared
    [[38.0, 47.0], [39.0, 47.0], [39.0, 48.0], [38.0, 48.0], [38.0, 47.6], [37.93, 47.55], [38.0, 47.5],
     [38.0, 47.0]],
])
def test_sides_that_overlap_are_refused(tmp_path, runner, other):
    path = _map(tmp_path / "control_2024-01-01.geojson", other)
    res = runner.invoke(main, ["layers", "derive-line", str(path), "-o", str(tmp_path / "front.geojson"),
                               "--side", "side=UA", "--border", "none", "--land", "none"])
    assert res.exit_code == 2, res.output
    err = res.stderr.strip()
    assert len(err.splitlines()) == 1 and "overlap" in err and "apart" not in err and str(tmp_path) not in err
    assert not (tmp_path / "front.geojson").exists()
    added = runner.invoke(main, ["layers", "add", str(path), "--theatre", "ovl", "--derive-line", "--side", "side=UA",
                                 "--border", "none", "--land", "none"])
    assert added.exit_code == 2 and "overlap" in added.output, added.output


@pytest.mark.parametrize("accuracy", [[], ["--accuracy-m", "10"]])
def test_a_point_in_a_thin_overlap_has_no_side(tmp_path, runner, accuracy):
    # the other side reaches 38 m into the held side along the whole edge (a digitising sliver)
    path = _map(tmp_path / "control_2024-01-01.geojson",
                [[37.9995, 47.0], [39.0, 47.0], [39.0, 48.0], [37.9995, 48.0], [37.9995, 47.0]])
    added = runner.invoke(main, ["layers", "add", str(path), "--theatre", "ovl", "--derive-line", "--side", "side=UA",
                                 "--border", "none", "--land", "none", *accuracy])
    assert added.exit_code == 0, added.output
    for lon, want in ((37.99965, "uncertain"), (37.9, "inside"), (38.3, "outside")):
        res = runner.invoke(main, ["distance", "--at", f"{lon},47.5", "--theatre", "ovl", "--date", "2024-02-01",
                                   "--format", "json"])
        assert res.exit_code == 0, res.output
        rec = json.loads(res.stdout)
        assert rec["side"] == want, (lon, rec["side_text"])
        if want == "uncertain":
            assert rec["inside_area"] is None and "both sides" in rec["side_text"], rec["side_text"]


def test_beyond_a_two_sided_map_the_front_can_be_anywhere(tmp_path, runner):
    """A two-sided map says where the front runs inside its extent only: beyond it (or in a hole neither side
    fills, or where the sides overlap) the front may pass by the point, so the interval starts at 0.

    Before, a point 0.5 degree east of the map (the front beyond it unknown: a Kursk-like incursion) got
    112.5-113.5 km and 'about 110 km from the front' was contradicted.
    """
    hole = [[37.2, 47.4], [37.2, 47.6], [37.4, 47.6], [37.4, 47.4], [37.2, 47.4]]
    path = tmp_path / "control_2024-01-01.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"side": "UA"}, "geometry": {"type": "Polygon", "coordinates": [UA, hole]}},
        {"type": "Feature", "properties": {"side": "RU"}, "geometry": {"type": "Polygon", "coordinates": [
            [[38.0, 47.0], [39.0, 47.0], [39.0, 48.0], [38.0, 48.0], [38.0, 47.0]]]}}]}), encoding="utf-8")
    added = runner.invoke(main, ["layers", "add", str(path), "--theatre", "ovl", "--derive-line", "--side", "side=UA",
                                 "--border", "none", "--land", "none", "--accuracy-m", "500"])
    assert added.exit_code == 0, added.output
    for lon, lat, beyond in ((39.5, 47.5, True), (37.3, 47.5, True), (38.5, 48.4, True),
                             (37.6, 47.5, "near the hole"), (38.5, 47.5, False)):
        res = runner.invoke(main, ["check", "--at", f"{lon},{lat}", "--theatre", "ovl", "--date", "2024-02-01",
                                   "--claim", "more than 20 km from the front", "--format", "json"])
        rec = json.loads(res.stdout)
        low, high = rec["distance_interval_m"]
        assert rec["distance_m"] > 20_000 and high == pytest.approx(rec["distance_m"] + 500, abs=1e-3)
        if beyond == "near the hole":  # the front may run through the hole: no nearer than it (minus the accuracy)
            from tests.reference import point_line_distance

            to_hole = point_line_distance(lon, lat, [(37.4, 47.4), (37.4, 47.6)])
            assert low == pytest.approx(to_hole - 500, abs=0.5) and rec["verdict"] == "inconclusive", rec
        elif beyond:
            assert low == 0 and rec["verdict"] == "inconclusive" and res.exit_code == 11, (lon, lat, rec)
        else:
            assert low == pytest.approx(rec["distance_m"] - 500, abs=1e-3) and rec["verdict"] == "supported"
