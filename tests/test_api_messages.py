"""Messages: file names as they are printed, and errors of the Python API in the API's own words.

Found by testers: a file name with a newline split the one-line outputs (and an escape sequence could
rewrite the terminal); 'geomap layers validate /abs/path' printed the user's folders; geomap.measure's
errors told Python users to pass --lon-col; evidence_markdown(result.rows()) raised AttributeError and
measure(radius_km=...) a TypeError naming the internal IncidentSource.
"""

from __future__ import annotations

import json

import pytest

import geomap
from geomap.cli import main
from geomap.errors import InputError

LINE = {"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {"name": "l"},
        "geometry": {"type": "LineString", "coordinates": [[46.7, 39.7], [46.9, 39.9]]}}]}


@pytest.mark.parametrize("name,escaped", [("li\nne.geojson", "li\\nne.geojson"), ("a\rb.geojson", "a\\rb.geojson"),
                                          ("x\x1b[31mred.geojson", "x\\x1b[31mred.geojson")])
def test_layer_file_names_are_escaped_in_text_output(runner, tmp_path, name, escaped):
    path = tmp_path / name
    path.write_text(json.dumps(LINE))
    result = runner.invoke(main, ["distance", "--at", "46.75,39.8", "--layer", str(path)])
    assert result.exit_code == 0, result.output
    assert f"layer: {escaped}" in result.stdout and name not in result.output
    result = runner.invoke(main, ["layers", "validate", str(path)])
    assert result.exit_code == 0 and result.stdout.startswith(f"ok: {escaped} ("), result.stdout


@pytest.mark.parametrize("name,escaped", [("e\nv.csv", "e\\nv.csv"), ("x\x1b[2Jy.csv", "x\\x1b[2Jy.csv")])
def test_input_file_names_are_escaped_in_errors(runner, tmp_path, name, escaped):
    path = tmp_path / name
    path.write_text("id,foo\n1,2\n")
    result = runner.invoke(main, ["distance", str(path), "--layer", "nk-line-2020"])
    assert result.exit_code == 2
    assert escaped in result.stderr and "\x1b" not in result.stderr, result.stderr


@pytest.mark.parametrize("content", ["", json.dumps(LINE), '{"type": "FeatureCollection", "features": []}'])
def test_validate_never_prints_the_folders(runner, tmp_path, content):
    path = tmp_path / "mine" / "line.geojson"
    path.parent.mkdir()
    path.write_text(content)
    for fmt in ("table", "json"):
        result = runner.invoke(main, ["layers", "validate", str(path.resolve()), "--format", fmt])
        assert "line.geojson" in result.stdout and str(tmp_path) not in result.output, result.output
        assert "mine" not in result.output, result.output


@pytest.mark.parametrize("call,words,flag", [
    (lambda p: geomap.measure(str(p("id,foo\n1,2\n")), layer="nk-line-2020"), "lon_col=", "--lon-col"),
    (lambda p: geomap.measure(str(p("id,x,y\n1,563456,4405123\n")), layer="nk-line-2020"), 'assume_crs="EPSG:',
     "--assume-crs"),
    (lambda p: geomap.measure(at=[(46.75, 39.8)], theatre="nagorno-karabakh"), 'date="YYYY-MM-DD"', "--date"),
    (lambda p: geomap.measure(at=[(39.8, 46.75)], layer="nk-line-2020"), "at=[(46.75, 39.8)]", "--at"),
])
def test_api_errors_name_keywords_not_flags(tmp_path, call, words, flag):
    def write(text):
        path = tmp_path / "ev.csv"
        path.write_text(text)
        return path

    with pytest.raises(InputError) as info:
        call(write)
    assert words in str(info.value) and flag not in str(info.value), str(info.value)


def test_cli_still_names_flags(runner, tmp_path):
    path = tmp_path / "ev.csv"
    path.write_text("id,foo\n1,2\n")
    result = runner.invoke(main, ["distance", str(path), "--layer", "nk-line-2020"])
    assert result.exit_code == 2 and "--lon-col" in result.stderr and "lon_col=" not in result.stderr


def test_evidence_markdown_of_rows_is_a_clear_type_error():
    result = geomap.measure(at=[(46.75, 39.8)], layer="nk-line-2020", claim="about 9 km")
    for wrong in (result.rows(), result.rows()[0], result.frame):
        with pytest.raises(TypeError, match="pass the result itself"):
            geomap.evidence_markdown(wrong)
    assert geomap.evidence_markdown(result).startswith("# Distance claim")
    with pytest.raises(InputError, match="claim="):
        geomap.evidence_markdown(geomap.measure(at=[(46.75, 39.8)], layer="nk-line-2020"))


@pytest.mark.parametrize("keyword,near", [("radius_km", "radius_m"), ("lon_column", "lon_col"), ("crs", None)])
def test_measure_names_itself_for_an_unknown_keyword(keyword, near):
    with pytest.raises(TypeError) as info:
        geomap.measure(at=[(46.75, 39.8)], layer="nk-line-2020", **{keyword: 3})
    text = str(info.value)
    assert text.startswith(f"measure() got an unexpected keyword argument {keyword!r}") and "IncidentSource" not in text
    assert "radius_m" in text and "lon_col" in text  # the keywords it takes
    if near:
        assert f"did you mean {near}=?" in text


@pytest.mark.parametrize("label,escaped", [("x\x1b[2Jy", "x\\x1b[2Jy"), ("a\x07b", "a\\x07b"),
                                           ("r\u202eev", "r\\u202eev")])
def test_labels_from_the_data_are_escaped_in_text_tables(runner, tmp_path, label, escaped):
    # a file's name column, and a place of the user's gazetteer: the text tables and the notes under them
    path = tmp_path / "ev.csv"
    path.write_text(f'name,lon,lat\n"{label}",46.75,39.8\n', encoding="utf-8")
    result = runner.invoke(main, ["distance", str(path), "--layer", "nk-line-2020"])
    assert result.exit_code == 0 and escaped in result.stdout and label not in result.stdout, result.stdout
    gazetteer = tmp_path / "gaz.csv"
    gazetteer.write_text(f'name,lon,lat,kind,country\n"{label}",46.75,39.8,town,AZ\n', encoding="utf-8")
    for command, code in ((["distance"], 0), (["check", "--claim", "about 9 km"], 11)):  # 11: inconclusive
        result = runner.invoke(main, [*command, "--place", label, "--gazetteer", str(gazetteer), "--layer",
                                      "nk-line-2020"])
        assert result.exit_code == code, result.output
        assert escaped in result.stdout and label not in result.stdout, result.stdout


@pytest.mark.parametrize("build,words,flags", [
    (lambda: geomap.IncidentSource(), "at=[(LON, LAT)], places=", ("--at", "--place")),
    (lambda: geomap.LineChoice(layer="nk-line-2020", theatre="nagorno-karabakh"), "layer= and theatre=",
     ("--layer", "--theatre")),
    (lambda: geomap.run(geomap.Request(geomap.IncidentSource(at=[(46.75, 39.8)]),
                                       geomap.LineChoice(theatre="nagorno-karabakh"))), 'date="YYYY-MM-DD"', ("--date",)),
])
def test_the_request_types_speak_keywords_too(build, words, flags):
    with pytest.raises(InputError) as info:
        build()
    assert words in str(info.value) and not any(f in str(info.value) for f in flags), str(info.value)


def test_the_request_types_still_work_as_the_pipelines():
    import dataclasses
    import pickle

    from geomap.pipeline.request import IncidentSource

    source = geomap.IncidentSource(at=[(46.75, 39.8)])
    assert isinstance(source, IncidentSource) and repr(source).startswith("IncidentSource(")
    assert pickle.loads(pickle.dumps(source)).at == source.at  # the Dask engine ships requests
    assert dataclasses.replace(source, radius_m=5.0).radius_m == 5.0
    result = geomap.run(geomap.Request(source, geomap.LineChoice(layer="nk-line-2020")))
    assert result.frame["status"].tolist() == ["ok"]
