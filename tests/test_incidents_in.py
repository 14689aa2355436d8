"""Issue 13, "incidents in": every event file analysts have is read right, or refused in one line.

The field cases (tests/data/cases, see its README) give right values; every
kind also has instances of its own, written by the tests.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from geomap.cli import main
from geomap.errors import CRSError, FileFormatError, InputError
from geomap.io.points import read_points

CASES = Path(__file__).parent / "data" / "cases"
ROOT = Path(__file__).resolve().parents[1]
A, B, C = 19531.611, 10070.456, 31431.124  # geographiclib, against nk-line-2020 (case 02)
AZE2 = 15104.034  # 47.15,39.60 (case 11)
ACLED_HEAD = ["event_id_cnty", "event_date", "latitude", "longitude", "geo_precision", "notes"]


def run(runner, *args, stdin=None):
    result = runner.invoke(main, [str(a) for a in args], input=stdin)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result


def out_frame(runner, *args, stdin=None):
    result = run(runner, *args, "--format", "csv", stdin=stdin)
    return result, pd.read_csv(pd.io.common.StringIO(result.stdout), dtype=str, keep_default_na=False)


def distances(frame):
    return [round(float(v), 3) if v else None for v in frame["distance_m"]]


# ----------------------------------------------------------------------------------- 1. multi-layer sources
def test_case_02_mymaps_kml_every_folder_read_with_its_layer(runner):
    result, got = out_frame(runner, "distance", CASES / "incidents_mymaps.kml", "--theatre", "nagorno-karabakh")
    assert result.exit_code == 0
    assert distances(got) == [A, B, C]
    assert list(got["source_layer"]) == ["Shelling", "Drone strikes", "Drone strikes"]
    assert result.stderr.splitlines()[0] == "3 rows: ok 3"
    assert "Warning" not in result.stderr


def _two_layer_gpkg(path):
    import geopandas as gpd
    import shapely

    gpd.GeoDataFrame({"id": ["a"]}, geometry=[shapely.Point(47.0318, 39.52)], crs=4326).to_file(
        path, layer="shelling", driver="GPKG")
    gpd.GeoDataFrame({"id": ["b", "c"], "extra": ["x", "y"]},
                     geometry=[shapely.Point(46.75, 39.82), shapely.Point(46.90, 39.40)], crs=4326).to_file(
        path, layer="drones", driver="GPKG")
    return path


def test_geopackage_with_two_point_layers_reads_both(tmp_path, runner):
    path = _two_layer_gpkg(tmp_path / "two.gpkg")
    table = read_points(path)
    assert list(table.layer) == ["shelling", "drones", "drones"]
    result, got = out_frame(runner, "distance", path, "--layer", "nk-line-2020")
    assert distances(got) == [A, B, C] and list(got["id"]) == ["a", "b", "c"]
    assert result.stderr.splitlines()[0] == "3 rows: ok 3"


def test_one_layer_chosen_by_name_and_a_wrong_name_lists_the_layers(tmp_path, runner):
    path = _two_layer_gpkg(tmp_path / "two.gpkg")
    result, got = out_frame(runner, "distance", path, "--layer", "nk-line-2020", "--source-layer", "drones")
    assert list(got["id"]) == ["b", "c"]
    result = run(runner, "distance", path, "--layer", "nk-line-2020", "--source-layer", "nope")
    assert result.exit_code == 2 and "shelling, drones" in result.stderr and len(result.stderr.splitlines()) == 1


def test_spreadsheet_read_through_gdal_and_style_tables_left_out(tmp_path):
    import pyogrio

    xlsx = tmp_path / "events.xlsx"
    pyogrio.raw.write(xlsx, geometry=None, field_data=[np.array(["a", "b"], dtype=object), np.array([47.0318, 46.75]),
                                                       np.array(["39.52", "39,82"], dtype=object)],
                      fields=["id", "lon", "lat"], driver="XLSX", geometry_type=None, crs=None)
    table = read_points(xlsx)
    assert list(table.status) == ["ok", "ok"] and list(table.lat) == [39.52, 39.82]
    gpkg = _two_layer_gpkg(tmp_path / "styled.gpkg")
    pyogrio.raw.write(gpkg, geometry=None, field_data=[np.array(["<qml/>"], dtype=object)], fields=["styleQML"],
                      driver="GPKG", layer="layer_styles", geometry_type=None, crs=None, append=True)
    assert list(read_points(gpkg).layer) == ["shelling", "drones", "drones"]


def test_kml_with_three_folders_written_here(tmp_path):
    folders = "".join(
        f"<Folder><name>F{k}</name><Placemark><name>p{k}</name><Point><coordinates>{lon},{lat}</coordinates>"
        "</Point></Placemark></Folder>"
        for k, (lon, lat) in enumerate([(47.0318, 39.52), (46.75, 39.82), (46.9, 39.4)]))
    path = tmp_path / "m.kml"
    path.write_text('<?xml version="1.0"?><kml xmlns="http://www.opengis.net/kml/2.2"><Document>'
                    f"{folders}</Document></kml>", encoding="utf-8")
    table = read_points(path)
    assert len(table) == 3 and list(table.layer) == ["F0", "F1", "F2"] and list(table.status) == ["ok"] * 3


# ----------------------------------------------------------------------------------- 2. geometry kinds
def test_case_10_single_member_multipoints_are_points(runner):
    result, got = out_frame(runner, "distance", CASES / "incidents_multipoint.gpkg", "--layer", "nk-line-2020")
    assert result.exit_code == 0 and distances(got) == [A, B]


def test_polygons_are_areas_measured_min_max_and_bad_geometries_get_statuses(tmp_path, runner):
    from geomap.layers.lineset import read_lines
    from geomap.layers.distance import area_distance_range

    square = [[46.95, 39.45], [47.05, 39.45], [47.05, 39.55], [46.95, 39.55], [46.95, 39.45]]
    bowtie = [[47.0, 39.5], [47.1, 39.6], [47.1, 39.5], [47.0, 39.6], [47.0, 39.5]]
    feats = [
        {"type": "Feature", "properties": {"id": "area"}, "geometry": {"type": "Polygon", "coordinates": [square]}},
        {"type": "Feature", "properties": {"id": "multi"},
         "geometry": {"type": "MultiPolygon", "coordinates": [[square]]}},
        {"type": "Feature", "properties": {"id": "bowtie"}, "geometry": {"type": "Polygon", "coordinates": [bowtie]}},
        {"type": "Feature", "properties": {"id": "empty"}, "geometry": {"type": "Point", "coordinates": []}},
        {"type": "Feature", "properties": {"id": "none"}, "geometry": None},
        {"type": "Feature", "properties": {"id": "line"},
         "geometry": {"type": "LineString", "coordinates": [[47.0, 39.5], [47.1, 39.6]]}},
        {"type": "Feature", "properties": {"id": "pt"}, "geometry": {"type": "Point", "coordinates": [47.0318, 39.52]}},
    ]
    path = tmp_path / "areas.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": feats}))
    result, got = out_frame(runner, "distance", path, "--layer", "nk-line-2020")
    status = dict(zip(got["id"], got["status"]))
    assert status == {"area": "ok", "multi": "ok", "bowtie": "invalid_geometry", "empty": "empty_geometry",
                      "none": "missing_coordinates", "line": "not_a_point", "pt": "ok"}
    lines = read_lines("nk-line-2020")
    rng = area_distance_range(__import__("shapely").Polygon(square), lines)
    row = got[got["id"] == "area"].iloc[0]
    acc = float(row["layer_accuracy_m"])
    assert float(row["distance_low_m"]) == pytest.approx(max(rng.min_m - acc, 0), abs=1e-3)
    assert float(row["distance_high_m"]) == pytest.approx(rng.max_m + rng.max_tolerance_m + acc, abs=1e-3)
    assert rng.max_m - rng.min_m > 5000  # an area, not a point: the interval is wide
    assert result.stderr.splitlines()[0].startswith("7 rows: ")


# ----------------------------------------------------------------------------------- 3. one bad feature
@pytest.mark.parametrize("bad", [[470.0, 39.5], [47.0, -95.0]])
def test_one_bad_feature_gets_a_status_not_a_refusal(tmp_path, bad):
    feats = [{"type": "Feature", "properties": {"id": i}, "geometry": {"type": "Point", "coordinates": xy}}
             for i, xy in enumerate([[47.0318, 39.52], bad, [46.75, 39.82]])]
    path = tmp_path / "p.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": feats}))
    table = read_points(path)
    assert list(table.status) == ["ok", "coordinates_out_of_range", "ok"]


def test_null_geometries_with_coordinate_properties_read_from_the_properties(tmp_path):
    feats = [{"type": "Feature", "geometry": None, "properties": {"id": i, "lon": lon, "lat": 39.52}}
             for i, lon in enumerate([47.0318, "47,0318", None])]
    path = tmp_path / "p.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": feats}))
    assert list(read_points(path).status) == ["ok", "ok", "missing_coordinates"]


def test_nan_point_in_geojson_gets_a_status(tmp_path):
    path = tmp_path / "p.geojson"
    path.write_text('{"type": "FeatureCollection", "features": ['
                    '{"type": "Feature", "properties": {}, "geometry": {"type": "Point", "coordinates": [NaN, 39.5]}},'
                    '{"type": "Feature", "properties": {},'
                    ' "geometry": {"type": "Point", "coordinates": [47.0, 39.5]}}]}')
    table = read_points(path)
    assert list(table.status) == ["missing_coordinates", "ok"]


def test_case_06_projected_geojson_without_crs(runner):
    path = CASES / "points_utm38n_no_crs.geojson"
    with pytest.raises(CRSError, match="declares no CRS.*assume_crs="):
        read_points(path)
    result = run(runner, "distance", path, "--layer", "nk-line-2020")
    assert result.exit_code == 2 and "--assume-crs" in result.stderr and "assume_crs=" not in result.stderr
    table = read_points(path, assume_crs="EPSG:32638")
    assert table.lon[0] == pytest.approx(47.03, abs=1e-6) and table.lat[0] == pytest.approx(39.52, abs=1e-6)


@pytest.mark.parametrize("name,crs", [("line_utm38n_no_crs.geojson", "EPSG:32638"),
                                      ("line_3857_link_crs.geojson", "EPSG:3857")])
def test_case_06_the_same_reader_takes_assume_crs_for_lines(runner, name, crs):
    result = run(runner, "distance", "--at", "47.03,39.52", "--layer", CASES / name, "--format", "json")
    if "link" in name:  # a 2008-style link crs naming EPSG:3857 declares its CRS: read without any option
        assert result.exit_code == 0 and round(json.loads(result.stdout)["distance_m"], 3) == 14272.627
    else:
        assert result.exit_code == 2 and "--assume-crs" in result.stderr
    result = run(runner, "distance", "--at", "47.03,39.52", "--layer", CASES / name, "--assume-crs", crs,
                 "--format", "json")
    assert round(json.loads(result.stdout)["distance_m"], 3) == 14272.627


# ----------------------------------------------------------------------------------- 4. encodings
CSV_TEXT = "id\tname\tlon\tlat\r\n1\tХадрут\t47.0318\t39.5200\r\n2\tFüzuli\t47.15\t39.60\r\n"


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "utf-16-be-bom", "utf-16-le-bom"])
def test_unicode_encodings_with_or_without_bom_are_read(tmp_path, encoding):
    import codecs

    if encoding == "utf-16-be-bom":
        data = codecs.BOM_UTF16_BE + CSV_TEXT.encode("utf-16-be")
    elif encoding == "utf-16-le-bom":
        data = codecs.BOM_UTF16_LE + CSV_TEXT.encode("utf-16-le")
    else:
        data = CSV_TEXT.encode(encoding)
    path = tmp_path / "x.txt"
    path.write_bytes(data)
    table = read_points(path)
    assert list(table.frame["name"]) == ["Хадрут", "Füzuli"] and list(table.status) == ["ok", "ok"]


def test_case_12_encodings(runner):
    result, got = out_frame(runner, "distance", CASES / "excel_unicode_text_utf16.txt", "--layer", "nk-line-2020")
    assert distances(got) == [A, AZE2]
    for name, enc in (("russian_cp1251.csv", "cp1251"), ("acled_excel_cp1252.csv", "cp1252")):
        result = run(runner, "distance", CASES / name, "--layer", "nk-line-2020")
        assert result.exit_code == 2 and len(result.stderr.splitlines()) == 1
        assert "--encoding" in result.stderr and f"most likely {enc}" in result.stderr
        result, got = out_frame(runner, "distance", CASES / name, "--layer", "nk-line-2020", "--encoding", enc)
        assert distances(got) == [A, AZE2]
    table = read_points(CASES / "russian_cp1251.csv", encoding="cp1251")
    assert list(table.frame["name"]) == ["Хадрут", "Физули"]


@pytest.mark.parametrize("enc,text", [("cp1251", "Шуша;Ходжавенд"), ("cp1252", "Café – “naïve”"),
                                      ("latin-1", "Zürich;Genève")])
def test_legacy_code_pages_are_named_then_read(tmp_path, enc, text):
    path = tmp_path / "x.csv"
    rows = "".join(f"{i},{text.replace(';', ' ')} {i},47.0318,39.52\n" for i in range(30))
    path.write_bytes(("id,name,lon,lat\n" + rows).encode(enc))
    with pytest.raises(FileFormatError, match="encoding="):
        read_points(path)
    table = read_points(path, encoding=enc)
    assert table.frame["name"].iloc[0].startswith(text.replace(";", " ")) and set(table.status) == {"ok"}


def test_legacy_bytes_far_past_the_head_named_with_their_line(tmp_path):
    path = tmp_path / "late.csv"
    rows = "".join(f"{i},Place {i},47.0318,39.52\n" for i in range(20_000))
    path.write_bytes(("id,name,lon,lat\n" + rows).encode()
                     + "20000,Шуша Ходжавенд,47.0,39.5\n".encode("cp1251"))
    with pytest.raises(FileFormatError, match=r"line 20002\).*encoding=.*most likely cp1251"):
        read_points(path)
    assert read_points(path, encoding="cp1251").frame["name"].iloc[-1] == "Шуша Ходжавенд"


# ----------------------------------------------------------------------------------- 5. spreadsheet locales
def test_case_11_semicolons_decimal_commas_and_day_first_dates(runner):
    result, got = out_frame(runner, "distance", CASES / "acled_semicolon_decimal_comma.csv", "--layer", "nk-line-2020")
    assert distances(got) == [A, AZE2]
    result, got = out_frame(runner, "distance", CASES / "acled_ddmmyyyy.csv", "--theatre", "nagorno-karabakh")
    assert list(got["parsed_date"]) == ["2020-12-27", "2020-12-28"] and distances(got) == [A, AZE2]


def _dated(tmp_path, dates, sep=","):
    path = tmp_path / "d.csv"
    path.write_text("id,date,lon,lat\n".replace(",", sep)
                    + "".join(f"{i}{sep}{d}{sep}47.0318{sep}39.52\n" for i, d in enumerate(dates)))
    return path


def test_dates_in_either_order_when_the_file_settles_it(tmp_path):
    table = read_points(_dated(tmp_path, ["03/04/2021", "12/31/2020"]))  # 31 in the day's place: month first
    assert [str(d) for d in table.date] == ["2021-03-04", "2020-12-31"]
    table = read_points(_dated(tmp_path, ["03/04/2021", "31/12/2020", "27 December 2020", "2020-12-26", ""]))
    assert [str(d) for d in table.date] == ["2021-04-03", "2020-12-31", "2020-12-27", "2020-12-26", "NaT"]
    assert list(table.frame["parsed_date"].fillna("")) == ["2021-04-03", "2020-12-31", "2020-12-27", "2020-12-26", ""]


def test_ambiguous_slashed_dates_are_refused_naming_date_format(tmp_path, runner):
    path = _dated(tmp_path, ["03/04/2021", "05/06/2021"])
    with pytest.raises(InputError, match="date_format="):
        read_points(path)
    result = run(runner, "distance", path, "--theatre", "nagorno-karabakh")
    assert result.exit_code == 2 and "--date-format" in result.stderr and len(result.stderr.splitlines()) == 1
    table = read_points(path, date_format="%m/%d/%Y")
    assert [str(d) for d in table.date] == ["2021-03-04", "2021-05-06"]


@pytest.mark.parametrize("text", ["inf", "-Infinity", "1e400", "Infinity"])
def test_infinite_coordinates_are_invalid_not_missing(tmp_path, text):
    path = tmp_path / "x.csv"
    path.write_text(f"id,lon,lat\n1,{text},39.5\n2,47.0,39.5\n3,,39.5\n")
    assert list(read_points(path).status) == ["invalid_coordinates", "ok", "missing_coordinates"]


# ----------------------------------------------------------------------------------- 6. coordinates as written
@pytest.mark.parametrize("at", ["39°31′12″N 47°01′54″E", "39 31 12 N, 47 01 54 E", "47 01 54 E 39 31 12 N",
                                "39°31'12\"N 47°01'54\"E", "N39.52 E47.0316667"])
def test_at_accepts_dms_and_hemisphere_letters(runner, at):
    result = run(runner, "distance", "--at", at, "--layer", "nk-line-2020", "--format", "json")
    assert result.exit_code == 0, result.stderr
    got = json.loads(result.stdout)
    assert got["incident"]["lon"] == pytest.approx(47.0316667, abs=1e-6)
    assert got["incident"]["lat"] == pytest.approx(39.52, abs=1e-6)


def test_latlon_takes_google_maps_order(runner):
    got = json.loads(run(runner, "distance", "--latlon", "39.52, 47.0318", "--layer", "nk-line-2020",
                         "--format", "json").stdout)
    assert round(got["distance_m"], 3) == A


def test_text_coordinate_columns_in_written_forms(tmp_path):
    path = tmp_path / "x.csv"
    path.write_text('id,lon,lat\n1,47°01′54.48″E,39°31′12″N\n2,"47,0318","39,52"\n3,47.0318E,39.52N\n'
                    "4,47.0318N,39.52E\n5,47 01 54.48,39 31 12\n")
    table = read_points(path)
    assert list(table.status) == ["ok", "ok", "ok", "invalid_coordinates", "ok"]
    assert np.allclose(table.lon[[0, 1, 2, 4]], 47.0318) and np.allclose(table.lat[[0, 1, 2, 4]], 39.52)


# ----------------------------------------------------------------------------------- 7. schemas
def test_acled_without_precision_measured_with_the_radius_given(tmp_path, runner):
    path = tmp_path / "a.csv"
    path.write_text("event_id_cnty,event_date,latitude,longitude\nX1,2020-12-27,39.52,47.0318\n")
    proc = subprocess.run([sys.executable, "-m", "geomap", "distance", str(path), "--layer", "nk-line-2020",
                           "--radius-m", "1000", "--format", "csv"], capture_output=True, text=True, timeout=120,
                          env=dict(os.environ, PYTHONPATH=str(ROOT)))
    got = pd.read_csv(pd.io.common.StringIO(proc.stdout), dtype=str)
    assert proc.returncode == 0 and got["location_uncertainty_m"].tolist() == ["1000.0"]
    assert "geo_precision" in proc.stderr and "Traceback" not in proc.stderr


def test_acled_and_ucdp_api_json(tmp_path):
    acled = {"status": 200, "success": True, "count": 2, "data": [
        {"event_id_cnty": "AZE1", "event_date": "2020-12-27", "latitude": "39.5200", "longitude": "47.0318",
         "geo_precision": "1"},
        {"event_id_cnty": "AZE2", "event_date": "2020-12-28", "latitude": "39.60", "longitude": "47.15",
         "geo_precision": "2"}]}
    path = tmp_path / "acled.json"
    path.write_text(json.dumps(acled))
    table = read_points(path)
    assert table.schema.name == "acled" and list(table.status) == ["ok", "ok"]
    assert list(table.radius_m) == [2000.0, 25000.0]
    ucdp = {"TotalCount": 1, "Result": [{"id": 7, "date_start": "2020-12-27 00:00:00.000", "latitude": 39.52,
                                         "longitude": 47.0318, "where_prec": 1}]}
    path = tmp_path / "ucdp.json"
    path.write_text(json.dumps(ucdp))
    table = read_points(path)
    assert table.schema.name == "ucdp" and list(table.status) == ["ok"] and str(table.date[0]) == "2020-12-27"


# ----------------------------------------------------------------------------------- 8. streams and odd files
def test_csv_on_stdin(runner):
    result, got = out_frame(runner, "distance", "-", "--layer", "nk-line-2020",
                            stdin="id,lon,lat\n1,47.0318,39.52\n2,46.75,39.82\n")
    assert result.exit_code == 0 and distances(got) == [A, B]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")
def test_named_pipe_is_read_once(tmp_path):
    fifo = tmp_path / "pipe.csv"
    os.mkfifo(fifo)

    def feed():
        with open(fifo, "w") as fh:
            fh.write("id,lon,lat\n1,47.0318,39.52\n")

    writer = threading.Thread(target=feed)
    writer.start()
    proc = subprocess.run([sys.executable, "-m", "geomap", "distance", str(fifo), "--layer", "nk-line-2020",
                           "--format", "csv"], capture_output=True, text=True, timeout=120,
                          env=dict(os.environ, PYTHONPATH=str(ROOT)))
    writer.join(5)
    assert proc.returncode == 0, proc.stderr
    assert "19531.611" in proc.stdout


@pytest.mark.parametrize("name,content,words", [
    ("folder", None, "folder"),
    ("zero.csv", "", "empty"),
    ("header.csv", "id,lon,lat\n", "no data rows"),
    ("fc.geojson", '{"type": "FeatureCollection", "features": []}', "no features"),
])
def test_empty_inputs_refused_in_one_line(tmp_path, runner, name, content, words):
    path = tmp_path / name
    if content is None:
        path.mkdir()
    else:
        path.write_text(content)
    result = run(runner, "distance", path, "--layer", "nk-line-2020")
    assert result.exit_code == 2 and words in result.stderr and len(result.stderr.splitlines()) == 1


def test_case_08_networklink_kml_and_empty_collection(runner):
    result = run(runner, "distance", CASES / "mymaps_networklink.kml", "--layer", "nk-line-2020")
    assert result.exit_code == 2 and "NetworkLink" in result.stderr and len(result.stderr.splitlines()) == 1
    assert "https://www.google.com/maps/d/kml?mid=EXAMPLE_MAP_ID&lid=EXAMPLE" in result.stderr
    result = run(runner, "distance", CASES / "empty.geojson", "--layer", "nk-line-2020")
    assert result.exit_code == 2 and "no features" in result.stderr


# ----------------------------------------------------------------------------------- 9. broken CSV
@pytest.mark.parametrize("row", [3, 5])
@pytest.mark.parametrize("last", [True, False])
def test_unterminated_quote_refused_with_its_line(tmp_path, row, last):
    lines = ["id,lon,lat,notes"] + [f"{i},47.0,39.5,fine" for i in range(1, 7)]
    lines[row - 1] = f'{row - 1},47.0,39.5,"never closed' if last else f'{row - 1},"47.0,39.5,fine'
    path = tmp_path / "q.csv"
    path.write_text("\n".join(lines) + "\n")
    with pytest.raises(FileFormatError, match=f"unterminated quote on line {row}"):
        read_points(path)


def test_row_with_extra_fields_named_by_line(tmp_path):
    path = tmp_path / "x.csv"
    path.write_text("id,lon,lat\n1,47.0,39.5\n2,47.0,39.5\n3,47,0,39.5\n")
    with pytest.raises(FileFormatError, match="line 4 has 4 fields where the header has 3"):
        read_points(path)


def test_quoted_newlines_and_long_fields_are_read(tmp_path):
    notes = "x" * 3_000_000
    path = tmp_path / "long.csv"
    path.write_text(f'id,lon,lat,notes\n1,47.0318,39.52,"{notes}"\n2,46.75,39.82,"two\nlines"\n')
    table = read_points(path)
    assert list(table.status) == ["ok", "ok"] and len(table.frame["notes"][0]) == 3_000_000
    assert table.frame["notes"][1] == "two\nlines"


def test_excel_sep_line_names_the_separator(tmp_path):
    path = tmp_path / "x.csv"
    path.write_bytes(b"sep=;\r\nid;lon;lat\r\n1;47,0318;39,52\r\n")
    table = read_points(path)
    assert list(table.frame.columns) == ["id", "lon", "lat"] and list(table.status) == ["ok"]


def test_u2028_in_header_does_not_change_the_separator(tmp_path):
    path = tmp_path / "h.csv"
    path.write_text("place\u2028name, alt;id;lon;lat\na,b;1;47.0318;39.52\nc,d;2;46.75;39.82\n", encoding="utf-8")
    table = read_points(path)
    assert list(table.frame.columns[:4]) == ["place\u2028name, alt", "id", "lon", "lat"]
    assert list(table.status) == ["ok", "ok"]


# ----------------------------------------------------------------------------------- 10. output as input
def test_geomap_output_measured_again(tmp_path, runner):
    src = tmp_path / "in.csv"
    src.write_text("id,lon,lat,input_status\n1,47.0318,39.52,x\n")
    out1, out2 = tmp_path / "o1.csv", tmp_path / "o2.csv"
    assert run(runner, "distance", src, "--layer", "nk-line-2020", "-o", out1).exit_code == 0
    assert run(runner, "distance", out1, "--layer", "nk-line-2020", "-o", out2).exit_code == 0
    header = out2.read_text().splitlines()[0].split(",")
    assert len(header) == len(set(header))
    got = pd.read_csv(out2, dtype=str)
    # the input's own columns keep their names; geomap's earlier status becomes the next free input name
    assert got["status"].tolist() == ["ok"] and got["input_status"].tolist() == ["x"]
    assert got["input2_status"].tolist() == ["ok"]


# ----------------------------------------------------------------------------------- 11. GeoParquet 1.1
@pytest.mark.parametrize("encoding", ["geoarrow", "WKB"])
def test_geoparquet_points_and_polygons(tmp_path, encoding):
    import geopandas as gpd
    import shapely

    gdf = gpd.GeoDataFrame({"id": ["p", "a", "n"]}, geometry=[
        shapely.Point(47.0318, 39.52), shapely.box(46.95, 39.45, 47.05, 39.55), None], crs=4326)
    path = tmp_path / "x.parquet"
    gdf.iloc[[0, 2]].to_parquet(path, geometry_encoding=encoding.lower())
    table = read_points(path)
    assert list(table.status) == ["ok", "missing_coordinates"] and table.lon[0] == 47.0318
    gdf.iloc[[1]].to_parquet(path, geometry_encoding=encoding.lower())
    table = read_points(path)
    assert list(table.status) == ["ok"] and table.area[0].equals(gdf.geometry.iloc[1])


def test_wkb_parquet_without_geo_metadata(tmp_path, runner):
    import pyarrow as pa
    import pyarrow.parquet as pq
    import shapely

    path = tmp_path / "plain.parquet"
    pq.write_table(pa.table({"id": ["a"], "geometry": [shapely.to_wkb(shapely.Point(47.0318, 39.52))]}), path)
    result = run(runner, "distance", path, "--layer", "nk-line-2020")
    assert result.exit_code == 2 and "no GeoParquet 'geo' metadata" in result.stderr and "--assume-crs" in result.stderr
    table = read_points(path, assume_crs="EPSG:4326")
    assert list(table.status) == ["ok"] and table.lon[0] == 47.0318


# ----------------------------------------------------------------------------------- 13. warnings
def test_no_raw_python_warning_reaches_the_user(tmp_path):
    path = _two_layer_gpkg(tmp_path / "two.gpkg")
    proc = subprocess.run([sys.executable, "-W", "always", "-m", "geomap", "distance", str(path), "--layer",
                           "nk-line-2020", "--format", "csv"], capture_output=True, text=True, timeout=120,
                          env=dict(os.environ, PYTHONPATH=str(ROOT)))
    assert proc.returncode == 0, proc.stderr
    assert "Warning" not in proc.stderr and "Traceback" not in proc.stderr


# ----------------------------------------------------------------------------------- end to end
def dirty_acled(n: int, seed: int = 13):
    """An ACLED export of ``n`` rows mixing the kinds of issue 13, and each row's kind (0 = clean)."""
    rng = np.random.default_rng(seed)
    lat = np.round(rng.uniform(39.3, 40.3, n), 4).astype(object).astype(str)
    lon = np.round(rng.uniform(46.3, 47.4, n), 4).astype(object).astype(str)
    dates = np.datetime_as_string(np.datetime64("2020-11-15") + rng.integers(0, 900, n).astype("timedelta64[D]"))
    dates = dates.astype(object)
    notes = np.full(n, "plain", dtype=object)
    kinds = rng.integers(0, 12, n)
    lat[kinds == 1] = [f"{float(v):.4f}".replace(".", ",") for v in lat[kinds == 1]]  # decimal commas
    lon[kinds == 2] = "inf"
    lat[kinds == 3] = ""
    lon[kinds == 4] = "470"
    lat[kinds == 5] = "39°31′12″N"
    dates[kinds == 6] = ""
    dates[kinds == 7] = "not a date"
    dates[kinds == 8] = "27 December 2020"
    notes[kinds == 9] = 'said "two"\nkilled, then\r\nleft'
    dates[kinds == 10] = "1990-01-01"
    prec = rng.choice(["1", "2", "3"], n).astype(object)
    prec[kinds == 11] = "9"
    frame = pd.DataFrame({"event_id_cnty": [f"AZE{i:06d}" for i in range(n)], "event_date": dates,
                          "latitude": lat, "longitude": lon, "geo_precision": prec, "notes": notes,
                          "status": "from an earlier run"})
    return frame, kinds


def test_dirty_acled_file_every_row_once_and_counts_add_up(tmp_path):
    """≥ 20,000 ACLED rows mixing the kinds above: each row comes out once, with its status; counts add up."""
    n = 24_000
    frame, kinds = dirty_acled(n)
    notes = frame["notes"].to_numpy()
    path = tmp_path / "dirty.csv"
    frame.to_csv(path, index=False, sep=";", encoding="utf-8-sig")
    out = tmp_path / "out.csv"
    proc = subprocess.run([sys.executable, "-m", "geomap", "distance", str(path), "--theatre", "nagorno-karabakh",
                           "-o", str(out)], capture_output=True, text=True, timeout=600,
                          env=dict(os.environ, PYTHONPATH=str(ROOT)))
    assert proc.returncode == 1 and "Traceback" not in proc.stderr and "Warning" not in proc.stderr
    got = pd.read_csv(out, dtype=str, keep_default_na=False)
    assert got["event_id_cnty"].tolist() == frame["event_id_cnty"].tolist()  # every row once, in order
    assert (got["input_status"] == "from an earlier run").all() and got["notes"].tolist() == notes.tolist()
    first = proc.stderr.splitlines()[0]
    counts = {k: int(v) for k, v in (part.rsplit(" ", 1) for part in first.split(": ", 1)[1].split(", "))}
    assert first.startswith(f"{n} rows: ") and sum(counts.values()) == n
    assert counts == got["status"].value_counts().to_dict()
    status = got["status"].to_numpy()
    assert set(status[kinds == 2]) == {"invalid_coordinates"} and set(status[kinds == 3]) == {"missing_coordinates"}
    assert set(status[kinds == 4]) == {"coordinates_out_of_range"} and set(status[kinds == 6]) == {"missing_date"}
    assert set(status[kinds == 7]) == {"invalid_date"} and set(status[kinds == 10]) == {"no_layer_for_date"}
    assert set(status[kinds == 11]) == {"invalid_precision"}
    assert set(status[np.isin(kinds, (1, 5, 8, 9))]) <= {"ok", "imprecise_location", "no_layer_for_date"}
    assert (got["parsed_date"].to_numpy()[kinds == 8] == "2020-12-27").all()


@pytest.mark.parametrize("verbose", [0, 1])
def test_python_warnings_become_notes_shown_with_v(verbose):
    code = ("import warnings; from geomap.cli import configure_logging; "
            f"configure_logging({verbose}, False); warnings.warn('More than one layer found')")
    proc = subprocess.run([sys.executable, "-W", "always", "-c", code], capture_output=True, text=True, timeout=60,
                          env=dict(os.environ, PYTHONPATH=str(ROOT)))
    assert "UserWarning: More than one" not in proc.stderr.replace("note: UserWarning: More than one", "")
    assert ("geomap: note: UserWarning: More than one layer found" in proc.stderr) == bool(verbose)


def test_io_sits_at_the_bottom():
    """geomap.io imports nothing of geomap but itself, errors, types and stop (the rest read through it)."""
    import ast

    allowed = ("geomap.io", "geomap.errors", "geomap.types", "geomap.stop")
    for path in (ROOT / "geomap" / "io").glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = ([node.module or ""] if isinstance(node, ast.ImportFrom)
                     else [a.name for a in node.names] if isinstance(node, ast.Import) else [])
            for name in names:
                assert not name.startswith("geomap") or name.startswith(allowed), (path.name, name)


@pytest.mark.parametrize("names, code_page", [
    ("Шуша,Степанакерт", "cp1251"),       # a short Russian export: charset-normalizer's best fit is mac_cyrillic
    ("Київ,Львів", "cp1251"),
    ("Łódź,Kraków", "cp1250"),
    ("München,Straße", "cp1252"),
])
def test_the_encoding_hint_of_a_short_legacy_file_names_its_code_page_first(tmp_path, names, code_page):
    from geomap.errors import FileFormatError
    from geomap.io.points import read_points

    path = tmp_path / "short.csv"
    rows = "".join(f"{n},46.75,39.{76 + i}\n" for i, n in enumerate(names.split(",")))
    path.write_bytes(("name,lon,lat\n" + rows).encode(code_page))
    with pytest.raises(FileFormatError, match=r"most likely " + code_page + r"\b"):
        read_points(path)
