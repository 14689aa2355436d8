"""The one pipeline: a request in, one typed result out, the same for --at, --place and a file's rows.

These tests guard the move to one engine (they were written against the two-engine code first):

* the golden JSON of the README's Hadrut check (every number and word of the record);
* the same point through ``--at`` and through a one-row CSV gives identical values in every shared column;
* exit codes follow one rule for both ways in.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest
from click.testing import CliRunner

from geomap.cli import main

DATA = Path(__file__).resolve().parent / "data"
CLAIM = "is located dozens of kilometers from the nearest section of the line of contact"
HADRUT = ["--place", "Hadrut", "--place", "Hadrut district", "--theatre", "nagorno-karabakh",
          "--date", "2020-12-27", "--claim", CLAIM]


@pytest.fixture
def runner():
    return CliRunner()


def _close(got, want, path="", tol=1e-6):
    """Every key and value of ``want`` in ``got``; floats to ``tol`` (relative), the version key ignored."""
    if isinstance(want, dict):
        assert isinstance(got, dict), path
        assert sorted(got) == sorted(want), f"{path}: keys {sorted(set(got) ^ set(want))}"
        for k in want:
            if k != "geomap_version":
                _close(got[k], want[k], f"{path}/{k}", tol)
    elif isinstance(want, list):
        assert isinstance(got, list) and len(got) == len(want), path
        for i, (g, w) in enumerate(zip(got, want)):
            _close(g, w, f"{path}[{i}]", tol)
    elif isinstance(want, float):
        assert isinstance(got, (int, float)) and math.isclose(got, want, rel_tol=tol, abs_tol=1e-9), \
            f"{path}: {got} != {want}"
    else:
        assert got == want, f"{path}: {got!r} != {want!r}"


def test_hadrut_check_json_is_the_golden_record(runner):
    result = runner.invoke(main, ["check", *HADRUT, "--format", "json"])
    assert result.exit_code == 11, result.stderr
    got = json.loads(result.stdout)
    want = json.loads((DATA / "golden" / "hadrut_check.json").read_text(encoding="utf-8"))
    _close(got, want)
    town, district = got
    assert town["distance_m"] == pytest.approx(19529.392, abs=1e-3)
    assert town["distance_interval_m"] == [6529.392, 32529.392]  # 19.53 km, town +-3 km, nk-line-2020 +-10 km
    assert district["area"]["min_m"] == 0.0 and district["area"]["max_m"] == pytest.approx(35504.155, abs=1e-3)
    assert [r["verdict"] for r in got] == ["inconclusive", "inconclusive"]


def _csv_row_values(runner, tmp_path, extra):
    src = tmp_path / "one.csv"
    src.write_text("name,lon,lat\nFuzuli road,47.0318,39.52\n", encoding="utf-8")
    out = tmp_path / "one_out.csv"
    result = runner.invoke(main, [*extra[:1], str(src), *extra[1:], "-o", str(out)])
    import csv

    (row,) = list(csv.DictReader(out.open(encoding="utf-8")))
    return result, row


@pytest.mark.parametrize("line", [["--layer", "nk-line-2020"],
                                  ["--theatre", "nagorno-karabakh", "--date", "2020-12-27"]])
@pytest.mark.parametrize("radius", ["0", "2500"])
def test_at_and_a_one_row_file_give_the_same_numbers(runner, tmp_path, line, radius):
    at = runner.invoke(main, ["check", "--at", "47.0318,39.52", *line, "--radius-m", radius,
                              "--claim", "dozens of km", "--format", "json"])
    rec = json.loads(at.stdout)
    result, row = _csv_row_values(runner, tmp_path, ["check", *line, "--radius-m", radius,
                                                     "--claim", "dozens of km"])
    assert row["status"] == "ok"
    for key in ("distance_m", "nearest_lon", "nearest_lat", "azimuth_deg", "signed_distance_m"):
        assert float(row[key]) == pytest.approx(rec[key], abs=1e-9), key
    for key in ("feature_index", "part_index", "segment_index"):
        assert int(row[key]) == rec[key], key
    assert row["section"] == rec["section"]
    assert [float(row["distance_low_m"]), float(row["distance_high_m"])] == rec["distance_interval_m"]
    assert float(row["location_uncertainty_m"]) == float(radius) == rec["uncertainty"]["location"]["radius_m"]
    assert float(row["layer_accuracy_m"]) == rec["uncertainty"]["layer_accuracy_m"] == 10000.0
    assert row["layer"] == rec["evidence"]["layer"] and row["layer_sha256"] == rec["evidence"]["layer_sha256"]
    assert row["verdict"] == rec["verdict"]
    assert float(row["verdict_margin_m"] or "nan") == pytest.approx(rec["judgement"]["margin_m"] or math.nan,
                                                                    nan_ok=True)
    assert row["inside_area"].lower() == str(rec["inside_area"]).lower()
    # one exit rule for both ways in
    assert result.exit_code == at.exit_code


@pytest.mark.parametrize("claim, code", [("less than 100 km", 0), ("more than 200 km", 10), ("dozens of km", 11)])
def test_exit_codes_are_the_same_for_at_and_for_a_file(runner, tmp_path, claim, code):
    points = [("47.0318", "39.52"), ("46.95", "39.45")]
    at = runner.invoke(main, ["check", *sum((["--at", f"{x},{y}"] for x, y in points), []),
                              "--layer", "nk-line-2020", "--claim", claim, "--format", "json"])
    src = tmp_path / "two.csv"
    src.write_text("lon,lat\n" + "".join(f"{x},{y}\n" for x, y in points), encoding="utf-8")
    file = runner.invoke(main, ["check", str(src), "--layer", "nk-line-2020", "--claim", claim,
                                "-o", str(tmp_path / "out.csv")])
    assert at.exit_code == file.exit_code == code, (at.stderr, file.stderr)


def test_a_row_that_cannot_be_measured_exits_1_before_any_verdict(runner, tmp_path):
    src = tmp_path / "bad.csv"
    src.write_text("lon,lat\n47.0318,39.52\n,\n", encoding="utf-8")
    result = runner.invoke(main, ["check", str(src), "--layer", "nk-line-2020", "--claim", "more than 10 km",
                                  "-o", str(tmp_path / "out.csv")])
    assert result.exit_code == 1
    assert "2 rows: missing_coordinates 1, ok 1" in result.stderr


def test_html_of_a_file_draws_the_batch_result_without_measuring_again(runner, tmp_path, monkeypatch):
    """--html reads the run's result: the incidents reach the kernel once (the map's claim band may
    check its own drawing against the kernel, but never re-measures an incident)."""
    import numpy as np

    from geomap.layers import distance as distance_module

    calls = []
    real = distance_module.distance_to_line

    def counting(*args, **kwargs):
        lon = np.atleast_1d(np.asarray(kwargs.get("lon", args[0] if args else []), dtype=float))
        if np.any(lon == 47.0318) or np.any(lon == 46.9):
            calls.append(lon.size)
        return real(*args, **kwargs)

    monkeypatch.setattr(distance_module, "distance_to_line", counting)
    src = tmp_path / "pts.csv"
    src.write_text("name,lon,lat\na,47.0318,39.52\nb,46.9,39.6\n", encoding="utf-8")
    result = runner.invoke(main, ["check", str(src), "--layer", "nk-line-2020", "--claim", "dozens of km",
                                  "-o", str(tmp_path / "o.csv"), "--html", str(tmp_path / "m.html")])
    assert result.exit_code == 11, result.stderr
    assert calls == [2]
    from geomap.maps.data import decode_incidents
    from geomap.maps.page import read_page

    inc = decode_incidents(read_page((tmp_path / "m.html").read_text(encoding="utf-8")))
    assert inc["label"] == ["a", "b"] and inc["row"] == [1, 2]  # the rows' own labels, from the name column


def test_request_is_validated_once_when_built():
    from geomap.errors import InputError, LayerNotFound
    from geomap.pipeline.request import IncidentSource, LineChoice, Request

    with pytest.raises(InputError, match="were both given"):
        IncidentSource(path="x.csv", at=[(47.0, 39.5)])
    with pytest.raises(InputError, match="no incident given"):
        IncidentSource()
    with pytest.raises(InputError, match="were both given"):
        LineChoice(layer="nk-line-2020", theatre="nagorno-karabakh")
    with pytest.raises(LayerNotFound, match="unknown theatre"):
        LineChoice(theatre="atlantis")
    with pytest.raises(InputError, match="needs --date"):
        Request(IncidentSource(at=[(47.0, 39.5)]), LineChoice(theatre="nagorno-karabakh"))
    with pytest.raises(InputError, match="finite"):
        IncidentSource(at=[(47.0, 39.5)], radius_m=float("nan"))


@pytest.mark.parametrize("command", [["distance"], ["check", "--claim", "dozens of km"]])
def test_tables_for_people_say_what_they_round(runner, command):
    result = runner.invoke(main, [*command, "--at", "47.0318,39.52", "--layer", "nk-line-2020"])
    assert "km rounded to 10 m" in result.stdout and "--format json or csv give mm" in result.stdout
    exact = json.loads(runner.invoke(main, [*command, "--at", "47.0318,39.52", "--layer", "nk-line-2020",
                                            "--format", "json"]).stdout)
    assert exact["distance_m"] == pytest.approx(19531.611, abs=1e-3)  # the machine formats keep the mm


def test_label_col_names_the_rows_in_the_table_and_the_map(runner, tmp_path):
    """--label-col: the user's own labels (1-based rows) in the table and in the map; other columns by default."""
    from geomap.maps.data import decode_incidents
    from geomap.maps.page import read_page

    src = tmp_path / "mine.csv"
    src.write_text("Place,code,lon,lat,date\nFuzuli road,F1,47.0318,39.52,2021-01-05\nbad,B2,999,1,2021-01-05\n"
                   "Shusha,S3,46.75,39.76,2021-02-01\n", encoding="utf-8")
    page = tmp_path / "m.html"
    result = runner.invoke(main, ["distance", str(src), "--layer", "nk-line-2020", "--label-col", "code",
                                  "--html", str(page)])
    assert result.exit_code == 1  # one row could not be measured
    table = result.stdout.splitlines()
    assert table[0].split()[:3] == ["label", "date", "status"]
    assert table[1].split()[:3] == ["1", "F1", "2021-01-05"] and table[2].split()[:2] == ["2", "B2"]
    inc = decode_incidents(read_page(page.read_text(encoding="utf-8")))
    assert inc["label"] == ["F1", "S3"] and inc["row"] == [1, 3]
    # without --label-col, a name-like column ('Place') names the rows
    default = runner.invoke(main, ["distance", str(src), "--layer", "nk-line-2020"])
    assert default.stdout.splitlines()[1].split()[1:3] == ["Fuzuli", "road"]
    missing = runner.invoke(main, ["distance", str(src), "--layer", "nk-line-2020", "--label-col", "nope"])
    assert missing.exit_code == 2 and "no column 'nope'" in missing.stderr


def test_rows_dated_outside_a_chosen_layers_validity_get_a_note(tmp_path):
    """--layer picks one line for every row: rows its validity does not cover are counted in one note."""
    import subprocess
    import sys

    src = tmp_path / "dated.csv"
    src.write_text("lon,lat,date\n47.03,39.52,2020-10-01\n47.03,39.52,2021-01-05\n47.0,39.6,1999-05-01\n",
                   encoding="utf-8")
    root = Path(__file__).resolve().parent.parent

    def cli(*args):
        return subprocess.run([sys.executable, "-m", "geomap", *args], capture_output=True, text=True, cwd=tmp_path,
                              env={"PYTHONPATH": str(root), "PATH": "/usr/bin:/bin"})

    out = cli("distance", str(src), "--layer", "nk-line-2020", "-o", str(tmp_path / "o.csv"))
    assert out.returncode == 0
    assert "note: 2 rows dated outside nk-line-2020's validity (2020-12-14..2023-09-18)" in out.stderr
    assert "--theatre nagorno-karabakh" in out.stderr
    at = cli("distance", "--at", "46.8,39.8", "--layer", "nk-line-2020", "--date", "2020-10-10")
    assert at.returncode == 0 and "note: 1 row dated outside nk-line-2020's validity" in at.stderr
    inside = cli("distance", "--at", "46.8,39.8", "--layer", "nk-line-2020", "--date", "2021-10-10")
    assert inside.returncode == 0 and "validity" not in inside.stderr


@pytest.mark.parametrize("fmt", ["csv", "geojson"])
def test_at_and_a_file_name_the_interval_columns_alike(runner, tmp_path, fmt):
    """--at/--place tables carry the distance and side intervals as x_low_m / x_high_m, as a file's rows do."""
    import csv

    args = ["check", *["--layer", "nk-line-2020"], "--claim", "dozens of km"]
    at_out = tmp_path / f"at.{fmt}"
    at = runner.invoke(main, [args[0], "--at", "47.0318,39.52", *args[1:], "-o", str(at_out)])
    assert at.exception is None or isinstance(at.exception, SystemExit), at.stderr
    src = tmp_path / "one.csv"
    src.write_text("name,lon,lat\nFuzuli road,47.0318,39.52\n", encoding="utf-8")
    file_out = tmp_path / f"file.{fmt}"
    runner.invoke(main, [args[0], str(src), *args[1:], "-o", str(file_out)])
    if fmt == "csv":
        (at_row,) = list(csv.DictReader(at_out.open(encoding="utf-8")))
        (file_row,) = list(csv.DictReader(file_out.open(encoding="utf-8")))
    else:
        (at_row,) = [f["properties"] for f in json.loads(at_out.read_text(encoding="utf-8"))["features"]]
        (file_row,) = [f["properties"] for f in json.loads(file_out.read_text(encoding="utf-8"))["features"]]
    assert not [k for k in at_row if k.endswith("_interval_m")]
    for key in ("distance_low_m", "distance_high_m", "signed_distance_low_m", "signed_distance_high_m",
                "layer_accuracy_m"):
        assert float(at_row[key]) == pytest.approx(float(file_row[key]), abs=1e-3), key
    assert float(at_row["distance_low_m"]) == pytest.approx(9531.611, abs=1e-3)


@pytest.mark.parametrize("cli_args, api_kwargs", [
    (["--layer", "LINE", "--layer-accuracy-m", "750"], {"layer": "LINE", "accuracy_m": 750.0}),
    (["--layer", "LINE", "--section-field", "brigade"], {"layer": "LINE", "section_field": "brigade"}),
    (["--theatre", "cyprus", "--date", "2000-01-01", "--source", "ne"],
     {"theatre": "cyprus", "date": "2000-01-01", "source": "ne"}),
    (["--layer", "cyprus-north-osm", "--rings"], {"layer": "cyprus-north-osm", "rings": True}),
])
def test_measure_takes_every_line_option_the_cli_has_and_answers_the_same(runner, tmp_path, cli_args, api_kwargs):
    """geomap.measure(..., accuracy_m/source/rings/section_field) = the CLI's --layer-accuracy-m/--source/--rings/...

    These went to IncidentSource and raised TypeError, so a notebook could not ask what the CLI asks.
    """
    import geomap

    line = tmp_path / "own.geojson"
    line.write_text(json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"name": "north", "brigade": "12th"},
         "geometry": {"type": "LineString", "coordinates": [[33.0, 35.25], [33.6, 35.3]]}}]}))
    cli_args = [str(line) if a == "LINE" else a for a in cli_args]
    api_kwargs = {k: str(line) if v == "LINE" else v for k, v in api_kwargs.items()}
    at = (33.3, 35.2)
    out = runner.invoke(main, ["distance", "--at", f"{at[0]},{at[1]}", *cli_args, "--format", "json"])
    assert out.exit_code == 0, out.output
    cli = json.loads(out.stdout)
    row = geomap.measure(at=[at], **api_kwargs).rows()[0]
    assert row.nearest.distance_m == pytest.approx(cli["distance_m"], abs=1e-3)
    assert list(row.interval_m) == pytest.approx(cli["distance_interval_m"], abs=1e-3)
    assert row.evidence["layer"] == cli["evidence"]["layer"]
    assert row.evidence["layer_accuracy_m"] == cli["evidence"]["layer_accuracy_m"]
    assert row.nearest.section == cli["section"]


def test_a_dataframe_in_a_notebook_is_read_as_its_csv_would_be(tmp_path):
    """`geomap.measure(df, ...)` reads a DataFrame's rows by a file's rules (schema, precision codes, dates as
    of each row), and a GeoDataFrame's features in their CRS. Before, a DataFrame was taken as a list of
    incidents and failed with AttributeError ("'str' object has no attribute 'lon'")."""
    import geopandas as gpd
    import pandas as pd

    import geomap
    from geomap.errors import CRSError, InputError

    frame = pd.DataFrame({
        "event_id_cnty": ["X1", "X2", "X3", "X4"],
        "event_date": ["10 January 2021", "01 February 2021", "01 February 2021", "15 October 2020"],
        "latitude": [39.52, 39.55, None, 39.6],
        "longitude": [47.03, 46.9, 46.95, 46.8],
        "geo_precision": [1, 2, 1, 1],
    })
    before = frame.copy()
    src = tmp_path / "acled.csv"
    frame.to_csv(src, index=False)
    from_file = geomap.measure(path=str(src), theatre="nagorno-karabakh")
    in_memory = geomap.measure(frame, theatre="nagorno-karabakh")
    pd.testing.assert_frame_equal(frame, before)  # the caller's frame is not changed
    assert in_memory.source == "DataFrame" and in_memory.summary == from_file.summary
    assert in_memory.summary == {"ok": 2, "missing_coordinates": 1, "no_layer_for_date": 1}
    for column in ("status", "distance_m", "distance_low_m", "distance_high_m", "location_uncertainty_m",
                   "as_of_date", "side"):
        assert in_memory.frame[column].astype(str).tolist() == from_file.frame[column].astype(str).tolist(), column
    typed = frame.assign(event_date=pd.to_datetime(frame["event_date"], format="%d %B %Y"))  # real dates work too
    assert geomap.measure(typed, theatre="nagorno-karabakh").frame["as_of_date"].tolist() == \
        in_memory.frame["as_of_date"].tolist()

    points = gpd.GeoDataFrame({"name": ["a", "b"]}, geometry=gpd.points_from_xy([47.03, 46.9], [39.52, 39.55]),
                              crs=4326)
    lonlat = geomap.measure(points, layer="nk-line-2020")
    utm = geomap.measure(points.to_crs(32638), layer="nk-line-2020")
    assert lonlat.source == "GeoDataFrame"
    assert utm.frame["distance_m"].tolist() == pytest.approx(lonlat.frame["distance_m"].tolist(), abs=1e-3)
    assert lonlat.frame["distance_m"].tolist() == pytest.approx(in_memory.frame["distance_m"][:2].tolist(),
                                                                abs=1e-6)
    with pytest.raises(CRSError, match="no crs"):
        geomap.measure(points.to_crs(32638).set_crs(None, allow_override=True), layer="nk-line-2020")
    assert geomap.measure(points.to_crs(32638).set_crs(None, allow_override=True), layer="nk-line-2020",
                          assume_crs="EPSG:32638").frame["distance_m"].tolist() == \
        pytest.approx(lonlat.frame["distance_m"].tolist(), abs=1e-3)
    with pytest.raises(InputError, match="at=\\[\\(lon, lat\\)"):
        geomap.measure([(47.03, 39.52)], layer="nk-line-2020")
    with pytest.raises(InputError, match="no rows"):
        geomap.measure(frame.iloc[:0], layer="nk-line-2020")
