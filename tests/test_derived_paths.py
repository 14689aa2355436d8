"""A derived line's file, its summary and the stored layer name their inputs by file name, never by folder.

Before, ``derive-line /abs/control.geojson -o front.geojson`` wrote ``"area_source": "/abs/control.geojson"``
into front.geojson (a file made to be shared) and its JSON summary, and a --border/--land file's path
went into the file and into the user store's layer.json.
"""

from __future__ import annotations

import json

from geomap.cli import main

UA = [[37.0, 47.0], [38.0, 47.0], [38.0, 48.0], [37.0, 48.0], [37.0, 47.0]]


def _inputs(folder):
    folder.mkdir()
    area = folder / "control_2024-01-01.geojson"
    area.write_text(json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"side": "UA"}, "geometry": {"type": "Polygon", "coordinates": [UA]}},
        {"type": "Feature", "properties": {"side": "RU"}, "geometry": {"type": "Polygon", "coordinates": [
            [[38.0, 47.0], [39.0, 47.0], [39.0, 48.0], [38.0, 48.0], [38.0, 47.0]]]}}]}), encoding="utf-8")
    border = folder / "border.geojson"  # the held side's western edge is a border
    border.write_text(json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {}, "geometry": {"type": "LineString",
                                                           "coordinates": [[37.0, 46.5], [37.0, 48.5]]}}]}))
    land = folder / "land.geojson"
    land.write_text(json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {}, "geometry": {"type": "Polygon", "coordinates": [
            [[36.0, 46.0], [40.0, 46.0], [40.0, 49.0], [36.0, 49.0], [36.0, 46.0]]]}}]}))
    return area, border, land


def test_derive_line_outputs_name_no_folder(tmp_path, runner):
    area, border, land = _inputs(tmp_path / "private folder")
    out = tmp_path / "front.geojson"
    for side in ("side=UA", "all"):
        res = runner.invoke(main, ["layers", "derive-line", str(area), "-o", str(out), "--side", side,
                                   "--border", str(border), "--land", str(land), "--format", "json"])
        assert res.exit_code == 0, res.output
        written = out.read_text(encoding="utf-8")
        assert str(tmp_path) not in written and str(tmp_path) not in res.stdout, (side, res.stdout)
        assert "control_2024-01-01.geojson" in written
    assert json.loads(written)["derived"]["border_source"] == "border.geojson"


def test_layers_add_derive_line_stores_no_folder(tmp_path, runner, user_layer_store):
    area, border, land = _inputs(tmp_path / "private folder")
    res = runner.invoke(main, ["layers", "add", str(area), "--theatre", "paths", "--derive-line", "--side", "all",
                               "--held-by", "UA",
                               "--border", str(border), "--land", str(land)])
    assert res.exit_code == 0, res.output
    for meta in user_layer_store.glob("*/layer.json"):
        assert str(tmp_path) not in meta.read_text(encoding="utf-8"), meta
