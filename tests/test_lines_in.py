"""Lines in (issue 14): any line-of-contact file a user brings is read right, named, and carries its own accuracy.

Each kind of file is written by the test itself, in GeoJSON and at least one of
KML, GeoPackage or Shapefile; distances are checked against the independent
geographiclib reference (``tests/reference.py``) to 1 mm.  The field cases
under ``tests/data/cases`` (see its README) are asserted with their right values.
"""

from __future__ import annotations

import json
import os
import sqlite3
import struct
import subprocess
import sys
import warnings
import zipfile
from pathlib import Path

import numpy as np
import pytest
import shapely

from geomap.errors import CRSError, FileFormatError, LayerError
from geomap.layers.lineset import lines_from_geometries, read_lines
from geomap.layers.distance import distance_to_line
from tests.reference import point_line_distance

CASES = Path(__file__).parent / "data" / "cases"
REPO = Path(__file__).resolve().parents[1]
MM = 0.001

# the field cases' line, and where it is measured from (expected.txt of cases 01 and 06)
CASE_LINE = [(46.90, 39.60), (47.00, 39.70), (47.10, 39.75)]
CASE_AT = (47.03, 39.52)
CASE_DISTANCE_M = 14272.627


def _cli(*args, cwd=None):
    """Run the real CLI in a subprocess (a traceback or a raw warning would show on stderr)."""
    env = dict(os.environ, PYTHONPATH=str(REPO), PYTHONWARNINGS="default")
    return subprocess.run([sys.executable, "-m", "geomap", *map(str, args)], capture_output=True, text=True,
                          cwd=cwd, env=env)


def _record(result):
    """The first record of a --format json output (an object for one incident, a list for several)."""
    data = json.loads(result.stdout)
    return data[0] if isinstance(data, list) else data


def _no_raw_output(result):
    assert "Traceback" not in result.stderr, result.stderr
    assert "Warning" not in result.stderr, result.stderr


def _distance(lines, lon, lat):
    res = distance_to_line(np.atleast_1d(lon), np.atleast_1d(lat), lines)
    return res


def _geojson(path, features, **extra):
    data = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": props, "geometry": geom} for props, geom in features], **extra}
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def _gpkg(path, wkbs, names, crs="EPSG:4326", geometry_type="Unknown"):
    from pyogrio.raw import write

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # GDAL's notes on writing odd geometry types: not what is tested
        write(str(path), np.array(wkbs, dtype=object), [np.array(names, dtype=object)], ["name"], driver="GPKG",
              geometry_type=geometry_type, crs=crs)
    return path


def _kml(path, placemarks):
    """A Google-Earth-shaped KML: each placemark a (name, description, [(lon, lat), ...] or list of such)."""
    def line(coords):
        return "<LineString><coordinates>" + " ".join(f"{x},{y},0" for x, y in coords) + "</coordinates></LineString>"

    marks = []
    for name, description, geom in placemarks:
        body = (f"<MultiGeometry>{''.join(line(c) for c in geom)}</MultiGeometry>" if geom and
                isinstance(geom[0][0], (list, tuple)) else line(geom))
        marks.append(f"<Placemark><name>{name}</name><description>{description}</description>{body}</Placemark>")
    path.write_text('<?xml version="1.0" encoding="UTF-8"?>\n<kml xmlns="http://www.opengis.net/kml/2.2">'
                    f"<Document><name>My front</name>{''.join(marks)}</Document></kml>", encoding="utf-8")
    return path


def _wkb_linestring(coords):
    return struct.pack("<BII", 1, 2, len(coords)) + b"".join(struct.pack("<2d", *c) for c in coords)


def _wkb_multilinestring(parts):
    return struct.pack("<BII", 1, 5, len(parts)) + b"".join(_wkb_linestring(p) for p in parts)


# ----------------------------------------------------------------------------------------- field cases


@pytest.mark.parametrize("name", ["line_empty_part.geojson", "line_one_point_part.geojson"])
def test_case_01_degenerate_member_is_dropped_with_a_note(name):
    lines = read_lines(CASES / "01-mls-empty-part-crash" / name)
    res = _distance(lines, *CASE_AT)
    assert abs(res.distance_m[0] - CASE_DISTANCE_M) < MM
    assert abs(res.distance_m[0] - point_line_distance(*CASE_AT, CASE_LINE)) < MM
    assert (round(res.nearest_lon[0], 6), round(res.nearest_lat[0], 6)) == (46.9, 39.6)
    assert any("part(s) dropped" in n and "feature 0 (A)" in n for n in lines.notes), lines.notes


@pytest.mark.parametrize("name", ["line_empty_part.geojson", "line_one_point_part.geojson"])
def test_case_01_cli_measures_and_validate_reports_the_part(name):
    folder = CASES / "01-mls-empty-part-crash"
    result = _cli("distance", "--at", "47.03,39.52", "--layer", name, "--format", "json", cwd=folder)
    _no_raw_output(result)
    assert result.returncode == 0, result.stderr
    assert _record(result)["distance_m"] == pytest.approx(CASE_DISTANCE_M, abs=MM)
    assert "part(s) dropped" in result.stderr
    checked = _cli("layers", "validate", name, cwd=folder)
    assert checked.returncode == 0, checked.stdout
    assert "note:" in checked.stdout and "part(s) dropped" in checked.stdout


def test_case_06_projected_geojson_without_crs():
    folder = CASES / "06-geojson-projected-no-crs"
    with pytest.raises(CRSError, match="--assume-crs"):
        read_lines(folder / "line_utm38n_no_crs.geojson")
    lines = read_lines(folder / "line_utm38n_no_crs.geojson", assume_crs="EPSG:32638")
    assert abs(_distance(lines, *CASE_AT).distance_m[0] - CASE_DISTANCE_M) < MM
    linked = read_lines(folder / "line_3857_link_crs.geojson")  # the link crs names EPSG:3857
    assert abs(_distance(linked, *CASE_AT).distance_m[0] - CASE_DISTANCE_M) < MM
    assert linked.crs_in == "EPSG:3857"


def test_case_06_cli_advice_is_the_command_that_works():
    folder = CASES / "06-geojson-projected-no-crs"
    refused = _cli("distance", "--at", "47.03,39.52", "--layer", "line_utm38n_no_crs.geojson", cwd=folder)
    assert refused.returncode == 2
    assert len(refused.stderr.strip().splitlines()) == 1 and "--assume-crs EPSG:" in refused.stderr
    ok = _cli("distance", "--at", "47.03,39.52", "--layer", "line_utm38n_no_crs.geojson", "--assume-crs",
              "EPSG:32638", "--format", "json", cwd=folder)
    _no_raw_output(ok)
    assert ok.returncode == 0, ok.stderr
    assert _record(ok)["distance_m"] == pytest.approx(CASE_DISTANCE_M, abs=MM)


def test_case_06_points_file_with_assume_crs(tmp_path):
    src = CASES / "06-geojson-projected-no-crs" / "points_utm38n_no_crs.geojson"
    result = _cli("distance", src, "--layer", "nk-line-2020", "--assume-crs", "EPSG:32638",
                  "--format", "json")
    _no_raw_output(result)
    assert result.returncode == 0, result.stderr
    row = _record(result)
    direct = _cli("distance", "--at", "47.03,39.52", "--layer", "nk-line-2020", "--format", "json")
    # the UTM point is 47.03,39.52 to well under a millimetre: the same distance, 19.53 km
    assert round(row["distance_m"] / 1000, 2) == 19.53
    assert row["distance_m"] == pytest.approx(_record(direct)["distance_m"], abs=MM)


# ------------------------------------------------------------------------------------ 1. degenerate parts


def _own_line():
    return [(44.50, 40.10), (44.62, 40.18), (44.71, 40.16), (44.80, 40.25)]


AT = [(44.66, 40.05), (44.55, 40.30), (44.85, 40.10)]


def _assert_matches_reference(lines, coords, points=AT):
    res = _distance(lines, [p[0] for p in points], [p[1] for p in points])
    for k, (lon, lat) in enumerate(points):
        assert abs(res.distance_m[k] - point_line_distance(lon, lat, coords)) < MM


def test_degenerate_members_geojson(tmp_path):
    line = _own_line()
    path = _geojson(tmp_path / "mls.geojson", [
        ({"name": "north"}, {"type": "MultiLineString", "coordinates": [[], line, [[44.9, 40.3]], []]}),
    ])
    lines = read_lines(path)
    _assert_matches_reference(lines, line)
    assert any("2 empty part(s) dropped" in n for n in lines.notes), lines.notes
    assert any("1 one-position part(s) dropped: feature 0 (north)" in n for n in lines.notes), lines.notes


def test_degenerate_members_geopackage(tmp_path):
    line = _own_line()
    wkb = [_wkb_multilinestring([line, [(44.9, 40.3)]]),
           shapely.to_wkb(shapely.from_wkt("MULTILINESTRING ((44.0 40.0, 44.1 40.05), EMPTY)"))]
    lines = read_lines(_gpkg(tmp_path / "mls.gpkg", wkb, ["north", "south"]))
    assert len(lines) == 2  # the feature with a one-position member is kept, not silently dropped
    _assert_matches_reference(lines, line, points=[(44.66, 40.25)])
    notes = " | ".join(lines.notes)
    assert "one-position part(s) dropped: feature 0 (north)" in notes
    assert "empty part(s) dropped: feature 1 (south)" in notes


def test_validate_reports_degenerate_parts_in_geopackage(tmp_path):
    path = _gpkg(tmp_path / "mls.gpkg", [_wkb_multilinestring([_own_line(), [(44.9, 40.3)]])], ["north"])
    result = _cli("layers", "validate", path)
    _no_raw_output(result)
    assert result.returncode == 0
    assert "note: 1 one-position part(s) dropped: feature 0 (north)" in result.stdout


@pytest.mark.parametrize("fmt", ["geojson", "gpkg"])
def test_one_vertex_line_is_refused_naming_the_feature(tmp_path, fmt):
    if fmt == "geojson":
        path = _geojson(tmp_path / "one.geojson", [
            ({"name": "ok"}, {"type": "LineString", "coordinates": _own_line()}),
            ({"name": "stub"}, {"type": "LineString", "coordinates": [[44.9, 40.3]]}),
        ])
    else:
        path = _gpkg(tmp_path / "one.gpkg", [_wkb_linestring(_own_line()), _wkb_linestring([(44.9, 40.3)])],
                     ["ok", "stub"])
    with pytest.raises(LayerError, match=r"feature 1 \(stub\) is a line with a single vertex"):
        read_lines(path)
    for command in (["distance", "--at", "44.6,40.0"], ["check", "--at", "44.6,40.0", "--claim", "5 km"],
                    ["map", "--at", "44.6,40.0", "-o", tmp_path / "m.html"]):
        result = _cli(*command, "--layer", path)
        _no_raw_output(result)
        assert result.returncode == 2, (command, result.stderr)
        assert result.stderr.strip().count("\n") == 0 and "feature 1 (stub)" in result.stderr
    checked = _cli("layers", "validate", path)
    assert checked.returncode == 1 and "single vertex" in checked.stdout


def test_unknown_geometry_type_is_refused(tmp_path):
    ring = struct.pack("<BII", 1, 3, 1) + struct.pack("<I", 4) + struct.pack(
        "<8d", 44.0, 40.0, 44.1, 40.1, 44.2, 40.0, 44.0, 40.0)
    surface = struct.pack("<BII", 1, 15, 1) + ring  # a PolyhedralSurface: GEOS has no such type
    path = _gpkg(tmp_path / "surface.gpkg", [_wkb_linestring(_own_line()), surface], ["ok", "solid"])
    result = _cli("distance", "--at", "44.6,40.0", "--layer", path)
    _no_raw_output(result)
    assert result.returncode == 2 and result.stderr.count("\n") == 1, result.stderr
    assert "feature 1 (solid)" in result.stderr
    bad = _geojson(tmp_path / "curve.geojson", [({"name": "arc"}, {"type": "Curve", "coordinates": [[0, 0]]})])
    result = _cli("distance", "--at", "44.6,40.0", "--layer", bad)
    _no_raw_output(result)
    assert result.returncode == 2 and result.stderr.count("\n") == 1, result.stderr


@pytest.mark.parametrize("fmt", ["geojson", "kml"])
def test_layer_without_a_segment_is_refused(tmp_path, fmt):
    if fmt == "geojson":
        path = _geojson(tmp_path / "pins.geojson", [({"name": "pin"}, {"type": "Point", "coordinates": [44, 40]})])
    else:
        path = tmp_path / "pins.kml"
        path.write_text('<kml xmlns="http://www.opengis.net/kml/2.2"><Document><Placemark><name>pin</name>'
                        "<Point><coordinates>44,40,0</coordinates></Point></Placemark></Document></kml>")
    with pytest.raises(LayerError, match="has no line to measure to"):
        read_lines(path)
    result = _cli("distance", "--at", "44.6,40.0", "--layer", path)
    _no_raw_output(result)
    assert result.returncode == 2 and "no line to measure to" in result.stderr


def test_points_beside_a_line_are_skipped_with_a_note(tmp_path):
    path = _kml(tmp_path / "mixed.kml", [("Front", "", _own_line())])
    text = path.read_text().replace("</Document>", "<Placemark><name>HQ</name><Point><coordinates>44.7,40.0,0"
                                    "</coordinates></Point></Placemark></Document>")
    path.write_text(text)
    lines = read_lines(path)
    _assert_matches_reference(lines, _own_line())
    assert any("point feature(s) skipped" in n and "HQ" in n for n in lines.notes), lines.notes


def test_python_api_drops_degenerate_parts_too():
    lines = lines_from_geometries([{"type": "MultiLineString", "coordinates": [[], _own_line(), [[1, 1]]]}])
    _assert_matches_reference(lines, _own_line())
    assert len(lines.notes) == 2


# ------------------------------------------------------------------------------------ 2. antimeridian

FIJI = [(178.2, -17.2), (179.6, -16.9), (181.0, -16.6), (182.4, -16.4)]  # continuous longitudes
FIJI_AT = [(179.9, -17.5), (-178.5, -16.0), (178.0, -16.0)]


def _wrapped(coords):
    return [(((x + 180) % 360) - 180, y) for x, y in coords]


@pytest.mark.parametrize("fmt", ["geojson", "gpkg", "kml"])
def test_longitudes_past_180_are_normalised(tmp_path, fmt):
    if fmt == "geojson":
        path = _geojson(tmp_path / "fiji.geojson", [({"name": "F"}, {"type": "LineString", "coordinates": FIJI})])
    elif fmt == "gpkg":
        path = _gpkg(tmp_path / "fiji.gpkg", [_wkb_linestring(FIJI)], ["F"])
    else:
        path = _kml(tmp_path / "fiji.kml", [("F", "", FIJI)])
    lines = read_lines(path)
    xy = shapely.get_coordinates(lines.geoms)
    assert np.abs(xy[:, 0]).max() <= 180
    assert any("antimeridian" in n for n in lines.notes), lines.notes
    _assert_matches_reference(lines, _wrapped(FIJI), points=FIJI_AT)
    result = _cli("distance", "--at", "-178.5,-16.0", "--layer", path, "--format", "json")
    _no_raw_output(result)
    assert result.returncode == 0, result.stderr
    assert _record(result)["distance_m"] == pytest.approx(
        point_line_distance(-178.5, -16.0, _wrapped(FIJI)), abs=MM)


def test_negative_side_past_180(tmp_path):
    west = [(-178.0, 65.0), (-180.5, 65.5), (-182.0, 66.0)]
    path = _geojson(tmp_path / "chukotka.geojson", [({}, {"type": "LineString", "coordinates": west})])
    _assert_matches_reference(read_lines(path), _wrapped(west), points=[(179.0, 65.2), (-179.0, 66.0)])


# ------------------------------------------------------------------------------------ 3. CRS


def _utm(coords, epsg=32638):
    from pyproj import Transformer

    t = Transformer.from_crs(4326, epsg, always_xy=True)
    return [list(t.transform(x, y)) for x, y in coords]


def test_projected_geojson_crs_member_kinds(tmp_path):
    line = _own_line()
    for i, member in enumerate([
        {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::32638"}},
        {"type": "EPSG", "properties": {"code": 32638}},
        {"type": "link", "properties": {"href": "https://epsg.io/32638.proj4", "type": "proj4"}},
    ]):
        path = _geojson(tmp_path / f"l{i}.geojson", [({}, {"type": "LineString", "coordinates": _utm(line)})],
                        crs=member)
        _assert_matches_reference(read_lines(path), line)
    odd = _geojson(tmp_path / "odd.geojson", [({}, {"type": "LineString", "coordinates": _utm(line)})],
                   crs={"type": "link", "properties": {"href": "file:///x.prj"}})
    with pytest.raises(CRSError, match="crs member"):
        read_lines(odd)


def test_assume_crs_overrides_the_implied_crs_only(tmp_path):
    line = _own_line()
    etrs = _geojson(tmp_path / "laea.geojson", [({}, {"type": "LineString", "coordinates": _utm(line, 3035)})])
    with pytest.raises(CRSError, match="--assume-crs"):
        read_lines(etrs)
    _assert_matches_reference(read_lines(etrs, assume_crs="EPSG:3035"), line)
    # lon/lat GeoJSON with a projected --assume-crs meant for the points file: not applied (it would put
    # the line near 0,0), with a note
    lonlat = _geojson(tmp_path / "ll.geojson", [({}, {"type": "LineString", "coordinates": line})])
    kept = read_lines(lonlat, assume_crs="EPSG:32638")
    _assert_matches_reference(kept, line)
    assert any("was not applied" in n for n in kept.notes)
    # a file's own CRS wins over --assume-crs
    gpkg = _gpkg(tmp_path / "utm.gpkg", [_wkb_linestring(_utm(line))], ["u"], crs="EPSG:32638")
    _assert_matches_reference(read_lines(gpkg, assume_crs="EPSG:3035"), line)


def test_shapefile_without_prj_and_wrong_declared_crs(tmp_path):
    import geopandas as gpd

    line = _own_line()
    frame = gpd.GeoDataFrame({"name": ["a"]}, geometry=[shapely.LineString(_utm(line))], crs=None)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        frame.to_file(tmp_path / "utm.shp")
    _assert_matches_reference(read_lines(tmp_path / "utm.shp", assume_crs="EPSG:32638"), line)
    wrong = _gpkg(tmp_path / "wrong.gpkg", [_wkb_linestring(_utm(line))], ["w"], crs="EPSG:4326")
    result = _cli("distance", "--at", "44.6,40.0", "--layer", wrong, "--assume-crs", "EPSG:32638")
    assert result.returncode == 2 and "ogr2ogr -a_srs" in result.stderr, result.stderr


# ------------------------------------------------------------------------------------ 4. names


def test_kml_placemark_names_and_description(tmp_path):
    line = _own_line()
    path = _kml(tmp_path / "front.kml", [("Northern sector", "", line),
                                         ("", "<b>Southern</b> sector<br/>from the 12 May update",
                                          [(44.5, 39.9), (44.7, 39.95)])])
    lines = read_lines(path)
    assert [lines.label(i) for i in range(len(lines))] == ["Northern sector",
                                                         "Southern sector from the 12 May update"]
    result = _cli("distance", "--at", "44.66,40.25", "--layer", path, "--format", "json")
    _no_raw_output(result)
    assert _record(result)["section"] == "Northern sector"


@pytest.mark.parametrize("field", ["NAME", "Name", "title", "Label"])
def test_name_fields_in_any_case(tmp_path, field):
    path = _geojson(tmp_path / "n.geojson", [({field: "Sector 7", "id": 3},
                                              {"type": "LineString", "coordinates": _own_line()})])
    assert read_lines(path).label(0) == "Sector 7"


def test_section_field_and_shared_names(tmp_path):
    path = _geojson(tmp_path / "n.geojson", [
        ({"name": "Front", "brigade": "12th"}, {"type": "LineString", "coordinates": _own_line()}),
        ({"name": "Front", "brigade": None}, {"type": "LineString", "coordinates": [(44, 39), (44.1, 39.1)]}),
    ])
    lines = read_lines(path)
    assert [lines.label(0), lines.label(1)] == ["Front, feature 0", "Front, feature 1"]
    chosen = read_lines(path, section_field="brigade")
    assert [chosen.label(0), chosen.label(1)] == ["12th", "feature 1"]
    with pytest.raises(LayerError, match="no field 'unit'.*brigade"):
        read_lines(path, section_field="unit")
    result = _cli("distance", "--at", "44.66,40.05", "--layer", path, "--section-field", "brigade",
                  "--format", "json")
    assert _record(result)["section"] == "12th", result.stderr


def test_shipped_natural_earth_sections_are_readable():
    lines = read_lines("nk-line-2020")
    assert lines.label(5) == "Ceasefire Line 2020, feature 5"
    assert not any("=" in lines.label(i) for i in range(len(lines)))


# ------------------------------------------------------------------------------------ 5. accuracy


def test_layer_accuracy_reaches_interval_verdict_and_evidence(tmp_path):
    path = _geojson(tmp_path / "mine.geojson", [({"name": "A"}, {"type": "LineString", "coordinates": CASE_LINE})])
    stated = _cli("check", "--at", "47.03,39.52", "--layer", path, "--claim", "about 15 km",
                  "--layer-accuracy-m", "250", "--format", "json")
    assert stated.returncode == 0, stated.stderr
    record = _record(stated)
    text = json.dumps(record)
    assert '"layer_accuracy_m": 250.0' in text and "--layer-accuracy-m" in text
    lo, hi = record["distance_interval_m"]
    assert lo == pytest.approx(CASE_DISTANCE_M - 250, abs=MM) and hi == pytest.approx(CASE_DISTANCE_M + 250, abs=MM)
    assert "states no accuracy" not in text
    unstated = _cli("check", "--at", "47.03,39.52", "--layer", path, "--claim", "about 15 km")
    assert "no stated accuracy" in unstated.stdout
    assert "states no accuracy, so this interval leaves map error out" in unstated.stdout
    assert "states no accuracy" in unstated.stdout  # said in the output itself (stderr: with -v)


def test_accuracy_from_layer_json_beside_the_file_or_a_field(tmp_path):
    path = _geojson(tmp_path / "front.geojson", [({"name": "A"}, {"type": "LineString", "coordinates": CASE_LINE})])
    assert read_lines(path).accuracy_m is None
    (tmp_path / "layer.json").write_text(json.dumps({"geometry_file": "front.geojson", "accuracy_m": 800}))
    lines = read_lines(path)
    assert (lines.accuracy_m, lines.accuracy_source) == (800.0, "layer.json beside the file")
    assert read_lines(path, accuracy_m=100).accuracy_m == 100.0
    kml_path = tmp_path / "sub"
    kml_path.mkdir()
    fielded = _gpkg(kml_path / "f.gpkg", [_wkb_linestring(CASE_LINE)], ["A"])
    import geopandas as gpd

    frame = gpd.read_file(fielded)
    frame["accuracy_m"] = [1500.0]
    frame.to_file(kml_path / "g.gpkg")
    assert read_lines(kml_path / "g.gpkg").accuracy_m == 1500.0
    res = distance_to_line(np.array([CASE_AT[0]]), np.array([CASE_AT[1]]), read_lines(kml_path / "g.gpkg"))
    assert abs(res.distance_m[0] - CASE_DISTANCE_M) < MM


def test_batch_and_map_carry_the_accuracy(tmp_path):
    path = _geojson(tmp_path / "mine.geojson", [({"name": "A"}, {"type": "LineString", "coordinates": CASE_LINE})])
    points = tmp_path / "p.csv"
    points.write_text("lon,lat\n47.03,39.52\n")
    result = _cli("distance", points, "--layer", path, "--layer-accuracy-m", "300", "-o", tmp_path / "o.csv")
    assert result.returncode == 0, result.stderr
    import pandas as pd

    row = pd.read_csv(tmp_path / "o.csv").iloc[0]
    assert row["layer_accuracy_m"] == 300.0
    assert row["distance_low_m"] == pytest.approx(CASE_DISTANCE_M - 300, abs=MM)
    html = tmp_path / "m.html"
    result = _cli("distance", "--at", "47.03,39.52", "--layer", path, "--html", html)
    assert result.returncode == 0, result.stderr
    assert "not stated: intervals leave map error out" in html.read_text()


# ------------------------------------------------------------------------------------ 7. archives


@pytest.mark.parametrize("suffix", [".kmz", ".zip"])
def test_archive_that_would_expand_too_far_is_refused_before_expanding(tmp_path, monkeypatch, suffix):
    from geomap.io import guards

    monkeypatch.setattr(guards, "ARCHIVE_FLOOR_BYTES", 1_000_000)
    path = tmp_path / f"bomb{suffix}"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as z:
        z.writestr("doc.kml", b"<kml>" + b" " * 20_000_000 + b"</kml>")
    assert path.stat().st_size < 200_000
    with pytest.raises(FileFormatError, match="would expand to 20,000,011 bytes"):
        read_lines(path)
    small = tmp_path / f"ok{suffix}"
    with zipfile.ZipFile(small, "w", compression=zipfile.ZIP_DEFLATED) as z:
        z.write(_kml(tmp_path / "doc.kml", [("F", "", _own_line())]), "doc.kml")
    _assert_matches_reference(read_lines(small), _own_line())


# ------------------------------------------------------------------------------------ 8. geoarrow


@pytest.mark.parametrize("interleaved", [False, True])
def test_geoparquet_geoarrow_lines(tmp_path, interleaved):
    import pyarrow as pa
    import pyarrow.parquet as pq

    line = _own_line()
    other = [[(44.0, 39.8), (44.2, 39.9)], [(44.3, 39.7), (44.35, 39.75), (44.4, 39.7)]]
    point = (lambda: pa.list_(pa.float64(), 2)) if interleaved else (
        lambda: pa.struct([("x", pa.float64()), ("y", pa.float64())]))

    def coords(cs):
        return [list(c) for c in cs] if interleaved else [{"x": x, "y": y} for x, y in cs]

    for encoding, values, typ in (
        ("linestring", [coords(line), None, coords(other[0])], pa.list_(point())),
        ("multilinestring", [[coords(line)], [coords(p) for p in other]], pa.list_(pa.list_(point()))),
    ):
        table = pa.table({"name": [f"f{i}" for i in range(len(values))], "geometry": pa.array(values, type=typ)})
        geo = {"version": "1.1.0", "primary_column": "geometry",
               "columns": {"geometry": {"encoding": encoding, "geometry_types": []}}}
        table = table.replace_schema_metadata({b"geo": json.dumps(geo).encode()})
        path = tmp_path / f"{encoding}-{interleaved}.parquet"
        pq.write_table(table, path)
        lines = read_lines(path)
        assert len(lines) == len(values)
        _assert_matches_reference(lines, line, points=[(44.66, 40.25)])
        assert lines.label(0) == "f0"


# ------------------------------------------------------------------------------------ 9. warnings


def _zm_geopackage(path, coords):
    """A GeoPackage holding one LineString ZM (GDAL cannot write M through pyogrio: patched with sqlite)."""
    _gpkg(path, [_wkb_linestring(coords)], ["zm"], geometry_type="LineString")
    con = sqlite3.connect(path)
    for fn in ("ST_IsEmpty", "ST_MinX", "ST_MaxX", "ST_MinY", "ST_MaxY", "ST_GeometryType", "ST_SRID"):
        con.create_function(fn, 1, lambda blob: 0)
    con.create_function("GPKG_IsAssignable", 2, lambda a, b: 1)
    table = con.execute("select table_name from gpkg_geometry_columns").fetchone()[0]
    column = con.execute("select column_name from gpkg_geometry_columns").fetchone()[0]
    wkb = struct.pack("<BII", 1, 3002, len(coords)) + b"".join(
        struct.pack("<4d", x, y, 10.0 * i, float(i)) for i, (x, y) in enumerate(coords))
    con.execute(f'update "{table}" set "{column}" = ?', (b"GP\x00\x01" + struct.pack("<i", 4326) + wkb,))
    con.execute("update gpkg_geometry_columns set z = 1, m = 1")
    con.commit()
    con.close()
    return path


def test_measured_coordinates_give_a_note_not_a_raw_warning(tmp_path):
    path = _zm_geopackage(tmp_path / "zm.gpkg", _own_line())
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        lines = read_lines(path)
    _assert_matches_reference(lines, _own_line())
    assert any("M (measure) values dropped" in n for n in lines.notes), lines.notes
    result = _cli("distance", "--at", "44.66,40.05", "--layer", path)
    _no_raw_output(result)
    assert result.returncode == 0 and "M (measure) values dropped" in result.stderr


def test_z_coordinates_in_geojson_and_kml(tmp_path):
    line3d = [[x, y, 120.0] for x, y in _own_line()]
    path = _geojson(tmp_path / "z.geojson", [({}, {"type": "LineString", "coordinates": line3d})])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        _assert_matches_reference(read_lines(path), _own_line())
        _assert_matches_reference(read_lines(_kml(tmp_path / "z.kml", [("F", "", _own_line())])), _own_line())


# ------------------------------------------------------------------------------------ 6. large layers (structure)


def _reference_segments(geoms, rings):
    """Per-feature, per-part, per-segment reference of what the vectorised LineSet.segments must give."""
    def parts(g):
        if g is None or g.is_empty:
            return
        if g.geom_type in ("LineString", "LinearRing"):
            yield g
        elif g.geom_type in ("MultiLineString", "GeometryCollection", "MultiPolygon"):
            for p in shapely.get_parts(g):
                yield from parts(p)
        elif g.geom_type == "Polygon" and rings:
            yield g.exterior
            yield from g.interiors

    rows = []
    for f, g in enumerate(geoms):
        for p, line in enumerate(parts(g)):
            xy = shapely.get_coordinates(line)
            rows += [(*xy[s], *xy[s + 1], f, p, s) for s in range(len(xy) - 1)]
    return rows


@pytest.mark.parametrize("rings", [False, True])
def test_vectorised_segments_match_a_per_feature_walk(rings):
    geoms = [shapely.from_wkt(w) for w in (
        "LINESTRING (0 0, 1 1, 2 1)",
        "MULTILINESTRING ((2 2, 3 3), EMPTY, (4 4, 5 5, 6 6))",
        "GEOMETRYCOLLECTION (LINESTRING (0 0, 1 1), POINT (3 3), MULTILINESTRING ((2 2, 3 3), (4 4, 5 5)))",
        "POLYGON ((0 0, 1 0, 1 1, 0 0), (0.2 0.1, 0.3 0.1, 0.3 0.2, 0.2 0.1))",
        "POINT (1 2)",
        "MULTIPOLYGON (((10 10, 11 10, 11 11, 10 10)), ((12 12, 13 12, 13 13, 12 12)))",
        "LINESTRING (7 7, 8 8)",
    )] + [None]
    lines = lines_from_geometries(geoms, rings=rings)
    segs = lines.segments()
    got = list(zip(segs.lon0, segs.lat0, segs.lon1, segs.lat1, segs.feature, segs.part, segs.segment))
    assert got == _reference_segments(geoms, rings)


@pytest.mark.parametrize("where", ["incidents", "line"])
def test_an_unknown_assume_crs_is_refused_even_where_a_declared_crs_leaves_it_unused(tmp_path, where):
    """--assume-crs EPSG:99999 used to pass silently whenever the file declared its own CRS (or was a shipped layer)."""
    import subprocess
    import sys

    points = tmp_path / "pts.csv"
    points.write_text("name,lon,lat\nA,47.03,39.52\n", encoding="utf-8")
    args = ([str(points), "--layer", "nk-line-2020"] if where == "incidents"
            else ["--at", "47.03,39.52", "--layer", "nk-line-2020"])
    done = subprocess.run([sys.executable, "-m", "geomap", "distance", *args, "--assume-crs", "EPSG:99999"],
                          capture_output=True, text=True)
    assert done.returncode == 2
    assert "--assume-crs EPSG:99999 is not a CRS PROJ knows" in done.stderr
    assert "Traceback" not in done.stderr and len(done.stderr.strip().splitlines()) == 1


# --- an area layer named as the line: its boundary runs along coasts and borders, not only the front ----------


@pytest.mark.parametrize("layer_id, at", [
    ("crimea-area-2014", (34.16, 44.50)),      # Yalta, on the Black Sea coast, ~150 km from the Perekop line
    ("nk-area-2020", (46.34, 39.51)),          # Goris, Armenia
    ("cyprus-north-1974", (33.90, 35.30)),     # off the north-east coast of Cyprus
])
def test_area_layer_as_line_is_refused_without_rings(layer_id, at):
    """A shipped area layer's id given as the line is refused like a polygon file, not measured to its coast."""
    with pytest.raises(LayerError, match="--rings"):
        read_lines(layer_id)
    result = _cli("check", "--at", f"{at[0]},{at[1]}", "--layer", layer_id, "--claim", "more than 100 km")
    assert result.returncode == 2, (result.returncode, result.stdout)
    assert result.stdout == ""
    lines = [ln for ln in result.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1 and "--rings" in lines[0] and layer_id in lines[0], result.stderr
    # asked for explicitly, the boundary is measured
    ok = _cli("distance", "--at", f"{at[0]},{at[1]}", "--layer", layer_id, "--rings", "--format", "json")
    assert ok.returncode == 0, ok.stderr
    assert _record(ok)["evidence"]["layer_rings_as_lines"] is True


def test_user_area_layer_as_line_is_refused_without_rings(tmp_path):
    """The same for an area the user added to the store: --layer ID of an area is not a front."""
    import geomap

    area = tmp_path / "held_2024-03-01.geojson"
    area.write_text(json.dumps({"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {},
        "geometry": {"type": "Polygon", "coordinates": [[[37.0, 48.0], [38.0, 48.0], [38.0, 49.0], [37.0, 49.0],
                                                          [37.0, 48.0]]]}}]}))
    added = _cli("layers", "add", area, "--theatre", "own-test", "--kind", "area", "--held-by", "Side A")
    assert added.returncode == 0, added.stderr
    result = _cli("distance", "--at", "37.5,48.01", "--layer", "own-test-area-2024-03-01")
    assert result.returncode == 2, (result.returncode, result.stdout)
    assert "--rings" in result.stderr and len(result.stderr.strip().splitlines()) == 1, result.stderr
    with pytest.raises(LayerError, match="rings="):  # the API names its keyword (tests/test_api_messages.py)
        geomap.measure(at=[(37.5, 48.01)], layer="own-test-area-2024-03-01")


def test_a_line_file_with_several_layers_says_it_measured_them_all(tmp_path):
    """Two layers of one GeoPackage (two dated versions, say) are read as one line: the result must say so.

    Before, the union was measured with no word on stderr or in the evidence, so a file holding
    2024-03-01 and 2024-03-15 versions gave the distance to whichever was nearer.
    """
    import pyogrio
    import geopandas as gpd

    path = tmp_path / "fronts.gpkg"
    old = gpd.GeoDataFrame({"name": ["old"]}, geometry=[shapely.LineString([(37.5, 48.0), (37.5, 48.4)])], crs=4326)
    new = gpd.GeoDataFrame({"name": ["new"]}, geometry=[shapely.LineString([(37.7, 48.0), (37.7, 48.4)])], crs=4326)
    pyogrio.write_dataframe(old, path, layer="front_2024_03_01")
    pyogrio.write_dataframe(new, path, layer="front_2024_03_15")
    lines = read_lines(path)
    said = [n for n in lines.evidence()["layer_notes"] if "front_2024_03_01" in n and "front_2024_03_15" in n]
    assert len(said) == 1 and "2 layers" in said[0], lines.evidence()["layer_notes"]
    result = _cli("distance", "--at", "37.72,48.2", "--layer", path, "--format", "json")
    assert result.returncode == 0, result.stderr
    _no_raw_output(result)
    assert any("front_2024_03_01" in ln and "front_2024_03_15" in ln for ln in result.stderr.splitlines()), \
        result.stderr
    assert any("2 layers" in n for n in _record(result)["evidence"]["layer_notes"])
    one = read_lines(path, layer_name="front_2024_03_15")  # one layer asked for: no such note
    assert not any("layers" in n for n in one.evidence()["layer_notes"])
    pins = tmp_path / "front_and_pins.gpkg"  # one line layer beside a layer of points (a GPX's waypoints): no note
    pyogrio.write_dataframe(new, pins, layer="front")
    pyogrio.write_dataframe(gpd.GeoDataFrame({"name": ["cp"]}, geometry=[shapely.Point(37.6, 48.1)], crs=4326),
                            pins, layer="pins")
    assert not any("layers read" in n for n in read_lines(pins).evidence()["layer_notes"])


@pytest.mark.parametrize("crs", ["EPSG:4978", "EPSG:5773"])  # geocentric ECEF; a vertical (height) CRS
def test_assume_crs_that_no_map_is_drawn_in_is_refused(tmp_path, crs):
    """--assume-crs of a geocentric or vertical CRS is refused: before, a UTM Shapefile read as ECEF x, y
    came out as a line on the equator (85.5E, 0N) and the point 7,047.65 km from it, exit 0."""
    import geopandas as gpd

    gpd.GeoDataFrame({"name": ["a"]}, geometry=[shapely.LineString([(400000, 5300000), (420000, 5350000)])],
                     crs=32637).to_file(tmp_path / "noprj.shp")
    (tmp_path / "noprj.prj").unlink()
    with pytest.raises(CRSError, match="geographic or projected"):
        read_lines(tmp_path / "noprj.shp", assume_crs=crs)
    result = _cli("distance", "--at", "37.6,48.2", "--layer", tmp_path / "noprj.shp", "--assume-crs", crs)
    assert result.returncode == 2 and result.stdout == "", (result.returncode, result.stdout)
    assert len(result.stderr.strip().splitlines()) == 1 and crs in result.stderr, result.stderr
    assert read_lines(tmp_path / "noprj.shp", assume_crs="EPSG:32637").crs_in  # a projected CRS still works


def test_gdal_in_memory_names_never_reach_the_message(tmp_path):
    """A device or pipe read through GDAL's /vsimem/ must not show that internal name (or anything like a path)."""
    import subprocess
    import sys

    res = subprocess.run([sys.executable, "-m", "geomap", "distance", "--at", "37.7,48.2", "--layer", "/dev/null"],
                         capture_output=True, text=True)
    assert res.returncode == 2 and res.stderr.count("\n") == 1, res.stderr
    assert "/vsimem/" not in res.stderr and "pyogrio_" not in res.stderr and "/dev/null" in res.stderr
