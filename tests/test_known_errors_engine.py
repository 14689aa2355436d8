"""A layer's recorded known errors act on the measurement itself, for every kind of input.

Near a place a layer is known to put on the wrong side (``known_errors`` in its layer.json), the map
cannot support a side: ``side`` is ``uncertain`` whatever the distance.  Where the layer's error there
is larger than its stated accuracy (the place lies farther from the line than the accuracy, on the
wrong side), the distance interval is not a bound either: the row is refused (``layer_known_wrong``),
never given a distance, a side or a verdict.  File rows carry the note in a ``known_error`` column, as
``--at``/``--place`` incidents carry it in their note.
"""

from __future__ import annotations

import json

import pytest

from geomap.cli import main

DEBALTSEVE = "38.40261,48.33592"


def _csv(tmp_path, rows):
    path = tmp_path / "events.csv"
    path.write_text("id,lon,lat,date\n" + "".join(f"{i},{lon},{lat},{d}\n" for i, lon, lat, d in rows),
                    encoding="utf-8")
    return path


@pytest.mark.parametrize("at, date", [
    (DEBALTSEVE, "2015-02-16"),       # the town, held by Ukraine until 18 Feb 2015; the layer: 15 km on the DPR side
    ("38.45,48.37", "2015-02-17"),    # 4.8 km east of it, 14 km from the line
    ("38.36,48.30", "2015-02-15"),    # south-west of it, the line's first valid day
])
def test_an_incident_where_the_layer_is_known_wrong_beyond_its_accuracy_is_refused(runner, at, date):
    res = runner.invoke(main, ["check", "--at", at, "--theatre", "donbas", "--date", date,
                               "--claim", "within 3 km of the front line"])
    assert res.exit_code == 2, res.output
    err = res.stderr.strip()
    assert len(err.splitlines()) == 1 and "Debaltseve" in err and "donbas-line-2015" in err
    assert "contradicted" not in res.stdout


def test_the_same_place_on_a_date_the_error_does_not_cover_is_measured(runner):
    res = runner.invoke(main, ["distance", "--at", DEBALTSEVE, "--theatre", "donbas", "--date", "2016-06-01",
                               "--format", "json"])
    assert res.exit_code == 0, res.output
    rec = json.loads(res.stdout)
    assert rec["side"] == "inside" and rec["distance_m"] > 14000


@pytest.mark.parametrize("at, theatre, date, place", [
    ("46.70,39.82", "nagorno-karabakh", "2021-03-01", "Shusha"),   # 11.5 km inside nk-line-2020, 8 km from Shusha
    ("38.45,48.62", "donbas", "2019-06-01", "Popasna"),            # 7.9 km on the DPR side, 6 km from Popasna
])
def test_no_side_is_stated_within_a_known_error(runner, at, theatre, date, place):
    res = runner.invoke(main, ["distance", "--at", at, "--theatre", theatre, "--date", date, "--format", "json"])
    assert res.exit_code == 0, res.output
    rec = json.loads(res.stdout)
    low, high = rec["signed_distance_interval_m"]
    assert low * high > 0  # beyond the stated accuracy: the accuracy alone would have given a side
    assert rec["side"] == "uncertain" and rec["inside_area"] is None
    assert place in rec["side_text"] and "beyond its extent" not in rec["side_text"]


def test_file_rows_get_the_known_error_the_side_rule_and_the_refusal(runner, tmp_path):
    path = _csv(tmp_path, [
        ("A", 38.40261, 48.33592, "2015-02-16"),   # Debaltseve during the battle: refused
        ("B", 38.40261, 48.33592, "2016-06-01"),   # Debaltseve later: measured, no known error
        ("C", 38.45, 48.62, "2019-06-01"),         # near Popasna, beyond the accuracy: side uncertain
        ("D", 37.0, 47.8, "2019-06-01"),           # far from every recorded error
    ])
    out = tmp_path / "out.csv"
    res = runner.invoke(main, ["check", str(path), "--theatre", "donbas", "--claim", "within 3 km of the front line",
                               "-o", str(out)])
    assert res.exit_code == 1, res.output  # one row could not be measured
    import pandas as pd

    f = pd.read_csv(out, dtype=str, keep_default_na=False).set_index("id")
    assert f.loc["A", "status"] == "layer_known_wrong"
    assert f.loc["A", "distance_m"] == "" and f.loc["A", "verdict"] == "" and f.loc["A", "side"] == ""
    assert "Debaltseve" in f.loc["A", "known_error"]
    assert f.loc["B", "status"] == "ok" and f.loc["B", "known_error"] == "" and f.loc["B", "side"] == "inside"
    assert f.loc["C", "status"] == "ok" and "Popasna" in f.loc["C", "known_error"]
    assert f.loc["C", "side"] == "uncertain" and f.loc["C", "inside_area"] == ""
    assert f.loc["D", "known_error"] == "" and f.loc["D", "side"] in ("inside", "outside")


def test_a_layer_without_a_date_applies_every_recorded_error(runner):
    """Without --date the dated error cannot be ruled out: refused, naming --date."""
    res = runner.invoke(main, ["distance", "--at", DEBALTSEVE, "--layer", "donbas-line-2015"])
    assert res.exit_code == 2, res.output
    assert "--date" in res.stderr and "Debaltseve" in res.stderr


def test_a_dated_error_outside_the_layers_validity_needs_a_date_in_it(runner):
    """Hin Tagher (nk-line-2020 leaves out the pocket held until 13 Dec 2020; the line is valid from 14 Dec):
    an undated incident is taken as of the layer's validity, a dated one before it is refused."""
    hin_tagher = "46.8226283,39.5100217"
    res = runner.invoke(main, ["distance", "--at", hin_tagher, "--layer", "nk-line-2020", "--format", "json"])
    assert res.exit_code == 0, res.output
    assert "Hin Tagher" not in json.loads(res.stdout)["incident"].get("note", "")
    res = runner.invoke(main, ["distance", "--at", hin_tagher, "--layer", "nk-line-2020", "--date", "2020-12-05"])
    assert res.exit_code == 2 and "Hin Tagher" in res.stderr and "18." in res.stderr, res.output


def test_the_python_api_with_incident_objects_gets_the_same_notes_and_refusal():
    import geomap
    from geomap.errors import GeomapError
    from geomap.pipeline.incidents import Incident

    near_shusha = geomap.measure(incidents=[Incident(lon=46.70, lat=39.82)], layer="nk-line-2020")
    row = near_shusha.rows()[0]
    assert "Shusha" in row.incident.note and row.side.side == "uncertain"
    with pytest.raises(GeomapError, match="Debaltseve"):
        geomap.measure(incidents=[Incident(lon=38.40261, lat=48.33592, date="2015-02-16")], theatre="donbas",
                       date="2015-02-16")


def test_an_area_incident_that_reaches_a_known_error_gets_it(runner, tmp_path):
    """An area (a district, a polygon row) is concerned by a known error its extent reaches, not only when its
    representative point is within the error's circle: Shusha district holds Shusha (its point is 11 km away)."""
    res = runner.invoke(main, ["distance", "--place", "Shusha district", "--theatre", "nagorno-karabakh",
                               "--date", "2021-03-01", "--format", "json"])
    assert res.exit_code == 0, res.output
    rec = json.loads(res.stdout)
    rec = rec if isinstance(rec, dict) else rec[0]
    assert "known to be wrong near Shusha" in rec["incident"]["note"]
    # a polygon around Debaltseve whose centre lies 12 km east of the town, during the battle: refused
    ring = [[38.33, 48.30], [38.80, 48.30], [38.80, 48.40], [38.33, 48.40], [38.33, 48.30]]
    path = tmp_path / "areas.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"id": "pocket", "date": "2015-02-16"},
         "geometry": {"type": "Polygon", "coordinates": [ring]}}]}), encoding="utf-8")
    out = tmp_path / "out.csv"
    res = runner.invoke(main, ["distance", str(path), "--theatre", "donbas", "-o", str(out)])
    import pandas as pd

    f = pd.read_csv(out, dtype=str, keep_default_na=False)
    assert f.loc[0, "status"] == "layer_known_wrong" and "Debaltseve" in f.loc[0, "known_error"], res.output
