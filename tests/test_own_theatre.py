"""Your own theatre: dated snapshots added to the user store, and every row measured as of its date (issue 18)."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
import shapely

from geomap.cli import main
from tests.conftest import no_crash
from tests.reference import point_line_distance

#: three versions of a synthetic front: each a bent line near lon 31.0, 31.3, 31.6
VERSIONS = {
    "2024-01-01": [(31.0, 48.0), (31.15, 48.4), (31.05, 48.7), (31.0, 49.0)],
    "2024-02-01": [(31.3, 48.0), (31.45, 48.5), (31.3, 49.0)],
    "2024-03-01": [(31.6, 48.0), (31.5, 48.3), (31.7, 48.6), (31.6, 49.0)],
}
THEATRE = "synth-front"


def _kml(path, coords):
    text = " ".join(f"{x},{y},0" for x, y in coords)
    path.write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n<kml xmlns="http://www.opengis.net/kml/2.2"><Document>'
        f"<Placemark><name>front</name><LineString><coordinates>{text}</coordinates></LineString></Placemark>"
        "</Document></kml>\n", encoding="utf-8")


def _geojson(path, coords):
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"name": "front"},
         "geometry": {"type": "LineString", "coordinates": [list(c) for c in coords]}}]}), encoding="utf-8")


def _gpkg(path, coords):
    import geopandas as gpd

    gpd.GeoDataFrame({"name": ["front"]}, geometry=[shapely.LineString(coords)], crs="EPSG:4326").to_file(
        path, driver="GPKG", engine="pyogrio")


@pytest.fixture
def snapshots(tmp_path):
    folder = tmp_path / "fronts"
    folder.mkdir()
    _kml(folder / "front_2024-01-01.kml", VERSIONS["2024-01-01"])
    _geojson(folder / "front_20240201.geojson", VERSIONS["2024-02-01"])
    _gpkg(folder / "snapshot 2024-03-01 front.gpkg", VERSIONS["2024-03-01"])
    (folder / "README.txt").write_text("not a layer", encoding="utf-8")
    return folder


def _events(tmp_path):
    rng = np.random.default_rng(18)
    rows = []
    days = {"2024-01-01": ["2024-01-01", "2024-01-17", "2024-01-31"],
            "2024-02-01": ["2024-02-01", "2024-02-29"],
            "2024-03-01": ["2024-03-01", "2024-03-20", "2024-03-31"]}
    for version, dates in days.items():
        for day in dates:
            lon, lat = rng.uniform(30.4, 32.2), rng.uniform(48.05, 48.95)
            rows.append({"id": f"e{len(rows)}", "lon": round(lon, 5), "lat": round(lat, 5), "date": day,
                         "want": version})
    rows.append({"id": "before", "lon": 31.0, "lat": 48.5, "date": "2023-12-31", "want": None})
    rows.append({"id": "after", "lon": 31.0, "lat": 48.5, "date": "2024-04-01", "want": None})
    frame = pd.DataFrame(rows)
    path = tmp_path / "events.csv"
    frame.drop(columns="want").to_csv(path, index=False)
    return path, frame


def _add(runner, folder, *extra):
    result = runner.invoke(main, ["layers", "add", str(folder), "--theatre", THEATRE, "--valid-to", "2024-03-31",
                                  "--accuracy-m", "250", "--source", "newsroom desk", *extra])
    assert no_crash(result) and result.exit_code == 0, result.output
    return result


def test_folder_of_snapshots_measures_each_row_as_of_its_date(tmp_path, runner, snapshots, user_layer_store):
    added = _add(runner, snapshots)
    for day in VERSIONS:
        assert f"{THEATRE}-line-{day}" in added.output
    events, frame = _events(tmp_path)
    out = tmp_path / "out.csv"
    result = runner.invoke(main, ["distance", str(events), "--theatre", THEATRE, "-o", str(out)])
    assert no_crash(result) and result.exit_code == 1, result.output  # two rows outside every version
    got = pd.read_csv(out, dtype={"layer": str})
    assert len(got) == len(frame)
    for (_, want), (_, row) in zip(frame.iterrows(), got.iterrows()):
        if pd.isna(want["want"]):
            assert row["status"] == "no_layer_for_date"
            assert pd.isna(row["distance_m"])
            continue
        assert row["status"] == "ok"
        assert row["layer"] == f"{THEATRE}-line-{want['want']}"
        ref = point_line_distance(want["lon"], want["lat"], VERSIONS[want["want"]])
        assert row["distance_m"] == pytest.approx(ref, abs=0.01)
        assert row["layer_accuracy_m"] == 250
    # consecutive validity: each version until the day before the next, the last until --valid-to
    by_layer = got.dropna(subset=["layer"]).groupby("layer")[["layer_valid_from", "layer_valid_to"]].first()
    assert by_layer.loc[f"{THEATRE}-line-2024-01-01"].tolist() == ["2024-01-01", "2024-01-31"]
    assert by_layer.loc[f"{THEATRE}-line-2024-02-01"].tolist() == ["2024-02-01", "2024-02-29"]
    assert by_layer.loc[f"{THEATRE}-line-2024-03-01"].tolist() == ["2024-03-01", "2024-03-31"]
    # the stored copies are byte-identical to the originals
    from geomap.layers.registry import file_sha256, get_layer

    kml = get_layer(f"{THEATRE}-line-2024-01-01")
    assert kml.user and kml.meta["original_file"] == "front_2024-01-01.kml"
    assert kml.sha256 == file_sha256(snapshots / "front_2024-01-01.kml")
    assert kml.path.parent.parent == user_layer_store
    from geomap.layers.check import validate_path

    for day in VERSIONS:  # each stored folder passes 'geomap layers validate', metadata included
        report = validate_path(get_layer(f"{THEATRE}-line-{day}").path.parent)
        assert report.ok and report.metadata, report.problems


def test_dask_engine_gives_identical_output(tmp_path, runner, snapshots):
    pytest.importorskip("distributed")
    _add(runner, snapshots)
    events, _frame = _events(tmp_path)
    local, dask = tmp_path / "local.csv", tmp_path / "dask.csv"
    first = runner.invoke(main, ["distance", str(events), "--theatre", THEATRE, "-o", str(local)])
    second = runner.invoke(main, ["distance", str(events), "--theatre", THEATRE, "-o", str(dask),
                                  "--engine", "dask"])
    assert no_crash(first) and no_crash(second) and first.exit_code == second.exit_code == 1
    assert local.read_bytes() == dask.read_bytes()


def test_single_date_refused_outside_the_versions(runner, snapshots):
    _add(runner, snapshots)
    before = runner.invoke(main, ["distance", "--at", "31.0,48.5", "--theatre", THEATRE, "--date", "2023-12-31"])
    assert no_crash(before) and before.exit_code == 2
    assert "2024-01-01..2024-01-31" in before.output and "\n" not in before.output.strip()
    inside = runner.invoke(main, ["distance", "--at", "31.0,48.5", "--theatre", THEATRE, "--date", "2024-02-10",
                                  "--format", "json"])
    assert no_crash(inside) and inside.exit_code == 0, inside.output
    data = json.loads(inside.output)
    assert data["evidence"]["layer"] == f"{THEATRE}-line-2024-02-01"
    assert data["distance_m"] == pytest.approx(point_line_distance(31.0, 48.5, VERSIONS["2024-02-01"]), abs=0.01)


def test_evidence_names_the_users_layer(tmp_path, runner, snapshots):
    _add(runner, snapshots, "--licence", "CC BY 4.0")
    out = runner.invoke(main, ["distance", "--at", "31.0,48.5", "--theatre", THEATRE, "--date", "2024-01-05",
                               "--format", "json"])
    ev = json.loads(out.output)["evidence"]
    assert ev["layer_origin"] == "user"
    assert ev["original_file"] == "front_2024-01-01.kml"
    assert ev["layer_valid_from"] == "2024-01-01" and ev["layer_valid_to"] == "2024-01-31"
    assert ev["layer_accuracy_m"] == 250 and len(ev["layer_sha256"]) == 64
    assert ev["layer_source"]["name"] == "newsroom desk" and ev["layer_licence"] == "CC BY 4.0"
    report = tmp_path / "evidence.md"
    checked = runner.invoke(main, ["check", "--at", "31.0,48.5", "--theatre", THEATRE, "--date", "2024-01-05",
                                   "--claim", "about 10 km from the front", "--report", str(report)])
    assert no_crash(checked), checked.output
    text = report.read_text(encoding="utf-8")
    assert "The user's own layer" in text and "`front_2024-01-01.kml`" in text  # a code span: shown as typed
    assert "Source, as the user gave it: newsroom desk" in text
    assert "Licence, as the user gave it: CC BY 4.0" in text


def test_unstated_source_and_licence_say_so(tmp_path, runner):
    path = tmp_path / "front.geojson"
    _geojson(path, VERSIONS["2024-01-01"])
    added = runner.invoke(main, ["layers", "add", str(path), "--theatre", "mine", "--valid-from", "2024-01-01"])
    assert no_crash(added) and added.exit_code == 0, added.output
    out = runner.invoke(main, ["distance", "--at", "31.0,48.5", "--theatre", "mine", "--date", "2025-06-01",
                               "--format", "json"])
    ev = json.loads(out.output)["evidence"]
    assert ev["layer_source"]["name"] == "not stated" and ev["layer_licence"] == "not stated"
    assert ev["layer_source"]["file"] == "front.geojson"
    assert ev["layer_accuracy_m"] is None and ev["accuracy_note"].startswith("not stated")


def test_list_and_remove(runner, snapshots):
    _add(runner, snapshots)
    listed = runner.invoke(main, ["layers", "list", "--theatre", THEATRE])
    assert no_crash(listed) and listed.exit_code == 0
    assert f"{THEATRE}-line-2024-02-01 (user)" in listed.output
    everything = runner.invoke(main, ["layers", "list", "--format", "json"])
    origins = {item["id"]: item["origin"] for item in json.loads(everything.output)}
    assert origins[f"{THEATRE}-line-2024-02-01"] == "user" and origins["nk-line-2020"] == "shipped"
    # measured once before the removal, so the selection's per-store cache has seen the version
    before = runner.invoke(main, ["distance", "--at", "31.0,48.5", "--theatre", THEATRE, "--date", "2024-02-10"])
    assert no_crash(before) and before.exit_code == 0, before.output
    gone = runner.invoke(main, ["layers", "remove", f"{THEATRE}-line-2024-02-01"])
    assert no_crash(gone) and gone.exit_code == 0
    # the gap it leaves is refused, not filled by the neighbour
    after = runner.invoke(main, ["distance", "--at", "31.0,48.5", "--theatre", THEATRE, "--date", "2024-02-10"])
    assert no_crash(after) and after.exit_code == 2
    shipped = runner.invoke(main, ["layers", "remove", "nk-line-2020"])
    assert no_crash(shipped) and shipped.exit_code == 2 and "shipped" in shipped.output


def test_layer_listings_show_no_local_folders(runner, snapshots, user_layer_store):
    """layers list/show (table and JSON) name a layer's file inside the store or the package, never the folders."""
    _add(runner, snapshots)
    user_id = f"{THEATRE}-line-2024-02-01"
    outputs = [runner.invoke(main, args) for args in (
        ["layers", "list", "--format", "json"], ["layers", "show", user_id, "--format", "json"],
        ["layers", "show", user_id], ["layers", "show", "nk-line-2020"], ["layers", "show", "nk-line-2020", "--format",
                                                                          "json"])]
    for out in outputs:
        assert no_crash(out) and out.exit_code == 0, out.output
        assert str(user_layer_store) not in out.output and str(snapshots) not in out.output
        assert "/layers/nk-line-2020/" not in out.output.replace("geomap layers/nk-line-2020/", "")
    shown = json.loads(outputs[1].output)
    assert shown["path"] == f"user store/{user_id}/{shown['geometry_file']}"
    assert json.loads(outputs[4].output)["path"] == "geomap layers/nk-line-2020/data.geojson"


@pytest.mark.parametrize("args, message", [
    (["--theatre", "nagorno-karabakh"], "shipped theatre"),
    (["--theatre", "Bad Name"], "lower-case"),
    (["--theatre", "x", "--valid-from", "2024-01-01"], "folder"),
    (["--theatre", "x", "--kind", "area"], "--held-by"),
    (["--theatre", "x", "--accuracy-m", "-5"], "positive"),
    # control-map options without --derive-line were silently ignored: the user believed a front was derived
    (["--theatre", "x", "--side", "Name=UA"], "--derive-line"),
    (["--theatre", "x", "--border", "none"], "--derive-line"),
    (["--theatre", "x", "--land", "none"], "--derive-line"),
    (["--theatre", "x", "--tolerance-m", "50"], "--derive-line"),
    (["--theatre", "x", "--held-by", "UA"], "--held-by"),
])
def test_bad_options_are_refused(runner, snapshots, args, message):
    result = runner.invoke(main, ["layers", "add", str(snapshots), *args])
    assert no_crash(result) and result.exit_code == 2 and message in result.output, result.output


def test_files_without_dates_or_twice_the_same_date_are_refused(tmp_path, runner, snapshots, user_layer_store):
    _geojson(snapshots / "front-latest.geojson", VERSIONS["2024-01-01"])
    result = runner.invoke(main, ["layers", "add", str(snapshots), "--theatre", "x"])
    assert no_crash(result) and result.exit_code == 2 and "front-latest.geojson" in result.output
    (snapshots / "front-latest.geojson").rename(snapshots / "copy_20240101.geojson")
    result = runner.invoke(main, ["layers", "add", str(snapshots), "--theatre", "x"])
    assert no_crash(result) and result.exit_code == 2 and "2024-01-01" in result.output
    assert not any(user_layer_store.iterdir())  # nothing half-added
    again = runner.invoke(main, ["layers", "add", str(snapshots / "front_20240201.geojson"), "--theatre", "x"])
    assert again.exit_code == 0
    twice = runner.invoke(main, ["layers", "add", str(snapshots / "front_20240201.geojson"), "--theatre", "x"])
    assert no_crash(twice) and twice.exit_code == 2 and "exists already" in twice.output


def test_invalid_file_is_refused_with_the_validate_checks(tmp_path, runner):
    bad = tmp_path / "front_2024-01-01.geojson"
    bad.write_text(json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {}, "geometry": {"type": "LineString",
                                                           "coordinates": [[48.5, 131.0], [49.0, 131.2]]}}]}))
    result = runner.invoke(main, ["layers", "add", str(bad), "--theatre", "x"])
    assert no_crash(result) and result.exit_code == 2
    assert "layers validate" in result.output


def test_date_pattern_names(tmp_path, runner):
    folder = tmp_path / "mymaps"
    folder.mkdir()
    _geojson(folder / "FrontLine_24_01_01.geojson", VERSIONS["2024-01-01"])
    _geojson(folder / "FrontLine_24_02_01.geojson", VERSIONS["2024-02-01"])
    plain = runner.invoke(main, ["layers", "add", str(folder), "--theatre", "pat"])
    assert no_crash(plain) and plain.exit_code == 2 and "--date-pattern" in plain.output
    added = runner.invoke(main, ["layers", "add", str(folder), "--theatre", "pat", "--date-pattern",
                                 "FrontLine_%y_%m_%d", "--format", "json"])
    assert no_crash(added) and added.exit_code == 0, added.output
    got = [(m["id"], m["valid_from"], m["valid_to"]) for m in json.loads(added.output)]
    assert got == [("pat-line-2024-01-01", "2024-01-01", "2024-01-31"), ("pat-line-2024-02-01", "2024-02-01", None)]


def test_date_column_gives_one_version_per_date(tmp_path, runner):
    import geopandas as gpd

    days = list(VERSIONS)
    frame = gpd.GeoDataFrame({"snapshot": [days[0], days[0], days[1], days[2]]},
                             geometry=[shapely.LineString(VERSIONS[days[0]][:2]),
                                       shapely.LineString(VERSIONS[days[0]][1:]),
                                       shapely.LineString(VERSIONS[days[1]]),
                                       shapely.LineString(VERSIONS[days[2]])], crs="EPSG:4326")
    path = tmp_path / "all.gpkg"
    frame.to_file(path, driver="GPKG", engine="pyogrio")
    added = runner.invoke(main, ["layers", "add", str(path), "--theatre", "col", "--date-col", "snapshot",
                                 "--valid-to", "2024-03-31"])
    assert no_crash(added) and added.exit_code == 0, added.output
    from geomap.layers.registry import select_layer

    first = select_layer("col", "2024-01-20")
    assert first.id == "col-line-2024-01-01" and first.meta["counts"]["features"] == 2
    assert first.meta["original_file"] == "all.gpkg" and first.valid_to == "2024-01-31"
    assert select_layer("col", "2024-03-31").id == "col-line-2024-03-01"
    out = runner.invoke(main, ["distance", "--at", "30.9,48.6", "--theatre", "col", "--date", "2024-01-20",
                               "--format", "json"])
    assert json.loads(out.output)["distance_m"] == pytest.approx(
        point_line_distance(30.9, 48.6, VERSIONS[days[0]]), abs=0.01)


def _add_validity_columns(runner, path, features, theatre):
    """Write ``features`` ((properties with from/to, line coordinates), ...) as GeoJSON and add it by its columns."""
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": p, "geometry": {"type": "LineString", "coordinates": c}}
        for p, c in features]}), encoding="utf-8")
    return runner.invoke(main, ["layers", "add", str(path), "--theatre", theatre, "--valid-from-col", "from",
                                "--valid-to-col", "to"])


def test_validity_columns(tmp_path, runner):
    features = [
        ({"from": "2024-01-01", "to": "2024-01-09"}, VERSIONS["2024-01-01"]),
        ({"from": "2024-02-01", "to": None}, VERSIONS["2024-02-01"]),
    ]
    added = _add_validity_columns(runner, tmp_path / "valid.geojson", features, "vc")
    assert no_crash(added) and added.exit_code == 0, added.output
    gap = runner.invoke(main, ["distance", "--at", "31,48.5", "--theatre", "vc", "--date", "2024-01-20"])
    assert no_crash(gap) and gap.exit_code == 2 and "vc-line-2024-01-01 covers 2024-01-01..2024-01-09" in gap.output


@pytest.mark.parametrize("second", [{"from": "2024-01-15", "to": "2024-02-15"}, {"from": "2024-01-20", "to": None}])
def test_validity_columns_that_overlap_are_refused(tmp_path, runner, user_layer_store, second):
    """Two features whose validities overlap (with different dates) are refused, not resolved silently.

    Before, on 2024-01-20 only the later-starting feature was measured and the other, valid that day
    by the file's own dates, was ignored: a point next to it got the distance to the other line.
    """
    features = [({"from": "2024-01-01", "to": "2024-01-31"}, VERSIONS["2024-01-01"]), (second, VERSIONS["2024-03-01"])]
    added = _add_validity_columns(runner, tmp_path / "overlap.geojson", features, "ov")
    assert no_crash(added) and added.exit_code == 2, added.output
    assert "overlap" in added.output and second["from"] in added.output, added.output
    assert not [p for p in user_layer_store.iterdir() if not p.name.startswith(".")]


def _control(path, edge, extra_east=32.0):
    a = shapely.Polygon([(30.0, 48.0), *edge, (30.0, 49.0)])
    b = shapely.Polygon([*edge, (extra_east, 49.0), (extra_east, 48.0)])
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"side": s}, "geometry": json.loads(shapely.to_geojson(g))}
        for s, g in (("UA", a), ("RU", b))]}), encoding="utf-8")


def test_add_derive_line_from_two_sided_control_maps(tmp_path, runner):
    folder = tmp_path / "control"
    folder.mkdir()
    for day, edge in VERSIONS.items():
        _control(folder / f"control_{day}.geojson", edge)
    refused = runner.invoke(main, ["layers", "add", str(folder), "--theatre", "ctl", "--derive-line",
                                   "--held-by", "UA", "--border", "none", "--land", "none"])
    assert no_crash(refused) and refused.exit_code == 2 and "--side" in refused.output
    added = runner.invoke(main, ["layers", "add", str(folder), "--theatre", "ctl", "--derive-line",
                                 "--side", "side=UA", "--border", "none", "--land", "none", "--accuracy-m", "100"])
    assert no_crash(added) and added.exit_code == 0, added.output
    from geomap.layers.registry import get_layer

    line = get_layer("ctl-line-2024-02-01")
    assert line.area_layer == "ctl-area-2024-02-01" and get_layer(line.area_layer).held_by == "UA"
    events = tmp_path / "ev.csv"
    pd.DataFrame({"lon": [30.8, 31.9, 30.8], "lat": [48.5, 48.5, 48.5],
                  "date": ["2024-01-10", "2024-02-10", "2024-03-10"]}).to_csv(events, index=False)
    out = tmp_path / "out.csv"
    result = runner.invoke(main, ["distance", str(events), "--theatre", "ctl", "-o", str(out)])
    assert no_crash(result) and result.exit_code == 0, result.output
    got = pd.read_csv(out)
    for (_, row), day in zip(got.iterrows(), VERSIONS):
        assert row["layer"] == f"ctl-line-{day}"
        assert row["distance_m"] == pytest.approx(point_line_distance(row["lon"], row["lat"], VERSIONS[day]),
                                                  abs=0.01)
    assert got["side"].tolist() == ["inside", "outside", "inside"]
    assert got["held_by"].tolist() == ["UA", "UA", "UA"]
    from geomap.layers.check import validate_path

    for layer_id in ("ctl-line-2024-01-01", "ctl-area-2024-01-01"):  # the store's folders pass 'layers validate'
        report = validate_path(get_layer(layer_id).path.parent)
        assert report.ok, report.problems
    gone = runner.invoke(main, ["layers", "remove", "ctl-line-2024-01-01"])
    assert "removed ctl-area-2024-01-01" in gone.output


def _add_control_maps(runner, tmp_path, versions: dict, *extra):
    """Write one two-sided control map per day of ``versions`` and add them as theatre 'ctl' with --derive-line."""
    folder = tmp_path / "control"
    folder.mkdir()
    for day, edge in versions.items():
        _control(folder / f"control_{day}.geojson", edge)
    added = runner.invoke(main, ["layers", "add", str(folder), "--theatre", "ctl", "--derive-line",
                                 "--side", "side=UA", "--border", "none", "--land", "none", *extra])
    assert no_crash(added) and added.exit_code == 0, added.output


def test_a_point_on_neither_side_of_a_two_sided_control_map_has_no_side(tmp_path, runner):
    """A two-sided control map says who holds what inside its extent, nothing beyond it.

    Before, a point 45 km north of both sides' polygons, or east of the other side's, came out
    "outside the area held by UA" (side outside), as confidently as a point inside the other side's polygon.
    """
    _add_control_maps(runner, tmp_path, VERSIONS, "--accuracy-m", "100")
    points = {"held": (30.5, 48.5, "inside"), "other side": (31.8, 48.5, "outside"),
              "north of the map": (30.5, 49.4, "uncertain"), "east of the map": (32.5, 48.5, "uncertain")}
    events = tmp_path / "ev.csv"
    pd.DataFrame({"id": list(points), "lon": [p[0] for p in points.values()],
                  "lat": [p[1] for p in points.values()], "date": "2024-02-10"}).to_csv(events, index=False)
    out = tmp_path / "out.csv"
    batch = runner.invoke(main, ["distance", str(events), "--theatre", "ctl", "-o", str(out)])
    assert no_crash(batch) and batch.exit_code == 0, batch.output
    got = pd.read_csv(out)
    assert got["side"].tolist() == [p[2] for p in points.values()]
    for name, (lon, lat, want) in points.items():
        one = runner.invoke(main, ["distance", "--at", f"{lon},{lat}", "--theatre", "ctl", "--date", "2024-02-10",
                                   "--format", "json"])
        assert no_crash(one) and one.exit_code == 0, one.output
        record = json.loads(one.stdout)
        assert record["side"] == want, (name, record["side_text"])
        if want == "uncertain":
            assert record["inside_area"] is None and "neither side" in record["side_text"], record["side_text"]


def test_a_two_sided_map_missing_its_other_side_is_one_line(tmp_path, runner, user_layer_store):
    """The other side's polygons deleted from the store by hand: one line naming the way out, never a traceback."""
    _add_control_maps(runner, tmp_path, {"2024-01-01": VERSIONS["2024-01-01"]})
    (gone,) = list(user_layer_store.glob("*/other_side*"))
    gone.unlink()
    one = runner.invoke(main, ["distance", "--at", "30.5,48.5", "--theatre", "ctl", "--date", "2024-01-05"])
    assert no_crash(one) and one.exit_code == 2, one.output
    assert "other side" in one.output and "layers remove" in one.output and len(one.output.strip().splitlines()) == 1


def test_the_held_area_of_a_derived_line_is_removed_only_with_its_line(tmp_path, runner):
    """'layers remove AREA' of a derived line's held area is refused: it left the line pointing at nothing,
    and every later --theatre run failed (exit 2, every row of every date) naming a layer that was gone."""
    _add_control_maps(runner, tmp_path, VERSIONS, "--accuracy-m", "100")
    refused = runner.invoke(main, ["layers", "remove", "ctl-area-2024-02-01"])
    assert no_crash(refused) and refused.exit_code == 2
    assert "ctl-line-2024-02-01" in refused.output and "layers remove" in refused.output, refused.output
    still = runner.invoke(main, ["distance", "--at", "31.9,48.5", "--theatre", "ctl", "--date", "2024-02-10",
                                 "--format", "json"])
    assert no_crash(still) and still.exit_code == 0, still.output
    assert json.loads(still.stdout)["side"] == "outside"
    gone = runner.invoke(main, ["layers", "remove", "ctl-line-2024-02-01"])
    assert gone.exit_code == 0 and "ctl-area-2024-02-01" in gone.output
    unknown = runner.invoke(main, ["layers", "remove", "ctl-line-2099-01-01"])  # the choices are the user's own
    assert no_crash(unknown) and unknown.exit_code == 2
    assert "ctl-line-2024-01-01" in unknown.output and "nk-line-2020" not in unknown.output, unknown.output


def test_many_versions_are_cached_in_bounded_memory(tmp_path, runner, snapshots, monkeypatch):
    """With room for one index, every row still uses its own version, and only one index stays built."""
    from geomap.layers import cache

    _add(runner, snapshots)
    cache.clear()
    monkeypatch.setattr(cache, "MAX_LINES", 1)
    events, frame = _events(tmp_path)
    out = tmp_path / "out.csv"
    result = runner.invoke(main, ["distance", str(events), "--theatre", THEATRE, "-o", str(out)])
    assert no_crash(result) and result.exit_code == 1
    assert len(cache._CACHE) == 1
    got = pd.read_csv(out)
    measured = frame[frame["want"].notna()]
    for (_, want), (_, row) in zip(measured.iterrows(), got[got["status"] == "ok"].iterrows()):
        assert row["layer"] == f"{THEATRE}-line-{want['want']}"
        assert row["distance_m"] == pytest.approx(point_line_distance(want["lon"], want["lat"],
                                                                      VERSIONS[want["want"]]), abs=0.01)


def test_dask_without_broadcast_builds_versions_on_the_workers(tmp_path, runner, snapshots, monkeypatch):
    """More versions than the cache holds: nothing is broadcast, each worker builds what its rows need."""
    pytest.importorskip("distributed")
    from geomap.layers import cache
    from geomap.pipeline.dask import _load_lines
    from geomap.pipeline.request import LineChoice

    _add(runner, snapshots)
    monkeypatch.setattr(cache, "MAX_LINES", 2)
    assert _load_lines(LineChoice(theatre=THEATRE))[0] == {}
    events, _frame = _events(tmp_path)
    local, dask = tmp_path / "local.csv", tmp_path / "dask.csv"
    runner.invoke(main, ["distance", str(events), "--theatre", THEATRE, "-o", str(local)])
    second = runner.invoke(main, ["distance", str(events), "--theatre", THEATRE, "-o", str(dask), "--engine", "dask"])
    assert no_crash(second) and second.exit_code == 1
    assert local.read_bytes() == dask.read_bytes()


def test_text_outputs_name_the_users_layer(tmp_path, runner):
    path = tmp_path / "front.geojson"
    _geojson(path, VERSIONS["2024-01-01"])
    runner.invoke(main, ["layers", "add", str(path), "--theatre", "mine", "--valid-from", "2024-01-01"])
    checked = runner.invoke(main, ["check", "--at", "31.0,48.5", "--theatre", "mine", "--date", "2024-02-01",
                                   "--claim", "10 km from the front"])
    assert no_crash(checked)
    assert "no stated accuracy" in checked.output and "your own layer, from front.geojson" in checked.output
    events = tmp_path / "ev.csv"
    pd.DataFrame({"lon": [31.0], "lat": [48.5], "date": ["2024-02-01"]}).to_csv(events, index=False)
    batch = runner.invoke(main, ["distance", str(events), "--theatre", "mine", "-o", str(tmp_path / "o.csv")])
    assert no_crash(batch) and batch.exit_code == 0
    assert "no stated accuracy: intervals leave map error out; your own layer from front.geojson, sha256" in batch.output


def test_a_layer_store_that_cannot_be_written_is_one_line(tmp_path, runner, monkeypatch):
    """GEOMAP_LAYERS_DIR naming a file (or a folder that cannot be written) gave a FileExistsError traceback."""
    line = tmp_path / "front_2024-01-01.geojson"
    _geojson(line, VERSIONS["2024-01-01"])
    blocker = tmp_path / "store-is-a-file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("GEOMAP_LAYERS_DIR", str(blocker))
    result = runner.invoke(main, ["layers", "add", str(line), "--theatre", "w"])
    assert no_crash(result) and result.exit_code == 2, result.output
    assert "GEOMAP_LAYERS_DIR" in result.output and len(result.output.strip().splitlines()) == 1, result.output
    assert blocker.read_text() == "not a folder"


def test_a_broken_layer_json_in_the_store_names_the_way_out(tmp_path, runner, snapshots, user_layer_store):
    """A user layer.json that does not parse stops every command; the message said 'rebuild the layer', which no
    command does ('layers remove' cannot read it either): it must name the folder to restore or delete."""
    _add(runner, snapshots)
    folder = next(p for p in user_layer_store.iterdir() if p.name.endswith("2024-02-01"))
    (folder / "layer.json").write_text("{bad", encoding="utf-8")
    import os

    os.utime(user_layer_store, ns=(1, 1))  # the store's state key (its mtime) changes, as in a new process
    result = runner.invoke(main, ["layers", "list"])
    assert no_crash(result) and result.exit_code == 2
    assert str(folder) in result.output and "delete the folder" in result.output, result.output


def test_two_runs_adding_at_once_cannot_both_land_a_version_on_one_date(tmp_path):
    """A second add that starts while the first is writing waits for it, then sees its layer and is refused.

    Before, two `geomap layers add` runs started together each passed the "exists already" checks before
    either wrote: the theatre then had two versions starting on one date, and measuring picked one by id.
    """
    import threading

    from geomap.errors import InputError
    from geomap.layers import store
    from geomap.layers.registry import list_layers

    first, second = tmp_path / "a.geojson", tmp_path / "b.geojson"
    _geojson(first, VERSIONS["2024-01-01"])
    _geojson(second, VERSIONS["2024-02-01"])
    outcome = {}

    def add_second():
        try:
            store.add_layers(second, theatre=THEATRE, valid_from="2024-01-01", layer_id="second")
            outcome["second"] = "added"
        except InputError as exc:
            outcome["second"] = str(exc)

    real_write = store._write
    thread = threading.Thread(target=add_second)

    def write_slowly(root, meta, payload):  # the second run starts while the first is about to write
        thread.start()
        thread.join(1.0)
        outcome["waited"] = thread.is_alive()
        return real_write(root, meta, payload)

    store._write = write_slowly
    try:
        store.add_layers(first, theatre=THEATRE, valid_from="2024-01-01", layer_id="first")
    finally:
        store._write = real_write
    thread.join(30)
    assert outcome["waited"] is True  # blocked on the store's lock, not writing beside the first
    assert "starting 2024-01-01 exists already" in outcome["second"]
    assert [layer.id for layer in list_layers(theatre=THEATRE)] == ["first"]


def test_two_versions_starting_on_one_date_are_refused_not_picked_by_id(tmp_path, runner, user_layer_store):
    """A store holding two versions with one start date (a folder copied in by hand): measuring refuses."""
    import shutil

    src = tmp_path / "a.geojson"
    _geojson(src, VERSIONS["2024-01-01"])
    added = runner.invoke(main, ["layers", "add", str(src), "--theatre", THEATRE, "--valid-from", "2024-01-01",
                                 "--id", "front-a", "-q"])
    assert no_crash(added) and added.exit_code == 0, added.output
    copy = user_layer_store / "front-b"
    shutil.copytree(user_layer_store / "front-a", copy)
    meta = json.loads((copy / "layer.json").read_text(encoding="utf-8"))
    meta["id"] = "front-b"
    (copy / "layer.json").write_text(json.dumps(meta), encoding="utf-8")
    at = runner.invoke(main, ["distance", "--at", "31.2,48.5", "--theatre", THEATRE, "--date", "2024-05-01"])
    assert no_crash(at) and at.exit_code == 2, at.output
    assert "front-a, front-b" in at.output and "remove all but one" in at.output
    events = tmp_path / "ev.csv"
    events.write_text("id,lon,lat,date\n1,31.2,48.5,2024-05-01\n2,31.1,48.2,2023-12-01\n", encoding="utf-8")
    batch = runner.invoke(main, ["distance", str(events), "--theatre", THEATRE, "-o", str(tmp_path / "o.csv")])
    assert no_crash(batch) and batch.exit_code == 2 and "front-a, front-b" in batch.output, batch.output
    assert not (tmp_path / "o.csv").exists()
