"""Segments so long that the geodesic between their vertices is not the line a user drew.

* Between antipodal vertices there is more than one geodesic, and past a quarter meridian a
  geodesic moves farther than its vertices do: the stated accuracy bounds nothing.  Such a
  segment is refused, naming the feature and the fix (add vertices).
* A long segment's geodesic departs from the straight line in lon/lat that GeoJSON (RFC 7946)
  and web maps draw: geomap measures to the geodesic, says so in a note with the departure, and
  its map draws the geodesic, so the map shows the line the numbers are about.
"""

from __future__ import annotations

import json

import pytest

from geomap.cli import main
from geomap.errors import LayerError
from geomap.layers.lineset import lines_from_geometries, read_lines


def _line_file(path, coords):
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"name": "drawn"},
         "geometry": {"type": "LineString", "coordinates": coords}}]}), encoding="utf-8")
    return path


@pytest.mark.parametrize("coords", [
    [[0, 0], [180, 0]],                 # equatorial antipodes: a geodesic over either pole
    [[10, 30], [-170, -30]],            # antipodes off the equator
    [[46.9, 39.6], [0, 0], [135, 0]],   # a 15,000 km second segment
    [[20, 10], [-150, -5]],             # nearly antipodal
])
def test_a_segment_past_a_quarter_meridian_is_refused(tmp_path, runner, coords):
    path = _line_file(tmp_path / "huge.geojson", coords)
    with pytest.raises(LayerError, match="km long"):
        read_lines(path)
    res = runner.invoke(main, ["distance", "--at", "0,-45", "--layer", str(path)])
    assert res.exit_code == 2, res.output
    err = res.stderr.strip()
    assert len(err.splitlines()) == 1 and "drawn" in err and "add vertices" in err and str(tmp_path) not in err
    res = runner.invoke(main, ["layers", "validate", str(path)])
    assert res.exit_code != 0 and "km long" in res.output


def test_lines_from_geometries_refuses_them_too():
    with pytest.raises(LayerError, match="km long"):
        lines_from_geometries([{"type": "LineString", "coordinates": [[0, 0], [180, 0]]}]).index()


@pytest.mark.parametrize("coords, lat_mid, departure_km", [
    ([[30, 50], [60, 50]], 50.98, 108.7),     # along a parallel: the geodesic bulges 109 km north
    ([[-120, -40], [-80, -40]], -41.77, 196.6),  # southern hemisphere: it bulges south
])
def test_a_long_segment_is_noted_and_drawn_as_measured(tmp_path, runner, coords, lat_mid, departure_km):
    path = _line_file(tmp_path / "drawn.geojson", coords)
    lines = read_lines(path)
    note = next((n for n in lines.notes if "RFC 7946" in n), None)
    assert note is not None, lines.notes
    km = float(note.split("up to ")[1].split(" km")[0].replace(",", ""))
    assert km == pytest.approx(departure_km, rel=0.05)

    from geomap.maps.geo import line_data

    drawn = [c for f in line_data(lines)["features"] for c in f["geometry"]["coordinates"]]
    mid_lon = (coords[0][0] + coords[1][0]) / 2
    nearest = min(drawn, key=lambda c: abs(c[0] - mid_lon))
    assert nearest[1] == pytest.approx(lat_mid, abs=0.05)  # the drawn vertex near the middle is on the geodesic
    res = runner.invoke(main, ["distance", "--at", f"{mid_lon},{coords[0][1]}", "--layer", str(path),
                               "--format", "json"])
    assert res.exit_code == 0, res.output
    assert any("RFC 7946" in n for n in json.loads(res.stdout)["evidence"]["layer_notes"])


def test_short_segments_get_no_note_and_are_drawn_as_they_are():
    lines = lines_from_geometries([{"type": "LineString", "coordinates": [[46.9, 39.6], [47.0, 39.7], [47.1, 39.75]]}])
    assert not [n for n in lines.notes if "RFC 7946" in n]
    from geomap.maps.geo import line_data

    assert line_data(lines)["features"][0]["geometry"]["coordinates"] == [[46.9, 39.6], [47.0, 39.7], [47.1, 39.75]]
