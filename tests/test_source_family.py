"""--source ne|osm picks Natural Earth or OpenStreetMap layers: never the user's own layers, never silently nothing.

Before, a user layer counted as Natural Earth ("ne", public domain): ``--source ne`` on the user's own
theatre measured against their layer (whatever its licence), and messages listed it as "(line, ne)".
A FILE measured with a --source the theatre has no line from got every row ``no_layer_for_date``
instead of the one-line refusal a --at point gets.
"""

from __future__ import annotations

import json

import pytest

from geomap.cli import main


def _add_user_line(tmp_path, runner, theatre="desk"):
    path = tmp_path / "front.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"name": "front"},
         "geometry": {"type": "LineString", "coordinates": [[37.0, 47.0], [37.2, 48.0]]}}]}), encoding="utf-8")
    res = runner.invoke(main, ["layers", "add", str(path), "--theatre", theatre, "--valid-from", "2024-01-01",
                               "--licence", "internal use"])
    assert res.exit_code == 0, res.output


@pytest.mark.parametrize("source", ["ne", "osm"])
def test_source_on_the_users_own_theatre_is_refused(tmp_path, runner, source):
    _add_user_line(tmp_path, runner)
    res = runner.invoke(main, ["distance", "--at", "37.5,47.5", "--theatre", "desk", "--date", "2024-02-01",
                               "--source", source])
    assert res.exit_code == 2, res.output
    err = res.stderr.strip()
    assert len(err.splitlines()) == 1 and "drop --source" in err and "(line, ne)" not in err
    events = tmp_path / "ev.csv"
    events.write_text("id,lon,lat,date\nA,37.5,47.5,2024-02-01\n", encoding="utf-8")
    batch = runner.invoke(main, ["distance", str(events), "--theatre", "desk", "--source", source])
    assert batch.exit_code == 2 and "drop --source" in batch.stderr, batch.output


def test_a_user_layer_is_not_natural_earth(tmp_path, runner):
    _add_user_line(tmp_path, runner)
    from geomap.layers.registry import get_layer

    assert get_layer("desk-line-2024-01-01").provider == "user"
    res = runner.invoke(main, ["distance", "--at", "37.5,47.5", "--theatre", "desk", "--date", "2024-02-01"])
    assert res.exit_code == 0, res.output


def test_a_file_with_a_source_the_theatre_has_no_line_from_is_refused(tmp_path, runner):
    events = tmp_path / "ev.csv"
    events.write_text("id,lon,lat,date\nA,33.9,46.0,2016-01-01\nB,33.8,46.1,2017-01-01\n", encoding="utf-8")
    res = runner.invoke(main, ["distance", str(events), "--theatre", "crimea", "--source", "osm"])
    assert res.exit_code == 2, res.output
    assert "source osm" in res.stderr and len(res.stderr.strip().splitlines()) == 1
