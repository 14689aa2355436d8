"""HTML maps without a browser: the data handed to the page, escaping, offline assets, the CLI."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from geomap.maps import page as render
from geomap.layers.lineset import lines_from_geometries, read_lines
from geomap.pipeline.incidents import Incident, measure

ROOT = Path(__file__).resolve().parents[1]

#: text that must show literally and run nothing (HTML, JS template literal, Jinja, escapes, bidi, length)
HOSTILE = [
    "<script>window.__pwned=1</script>",
    "<img src=x onerror=\"window.__pwned=1;alert(1)\">",
    "${window.__pwned=1}",
    "`${alert(1)}`",
    "C:\\users\\new \\u0041 \\x41",
    "</script><script>alert(1)</script>",
    "javascript:alert(1)",
    "{{ 7*7 }} {% if true %}jinja{% endif %} {# c #}",
    "\u202eevil\u202c שלום عربي",
    "line\u2028separator\u2029para",
    "<!-- x",
    "A" * 5000,
]


def hostile_text(i: int) -> str:
    return HOSTILE[i % len(HOSTILE)]


def page_data(html: str) -> dict:
    """The JSON block of a rendered page, parsed back."""
    m = re.search(r'<script type="application/json" id="geomap-data">(.*?)</script>', html, re.S)
    assert m, "no data block"
    return json.loads(m.group(1))


@pytest.fixture(scope="module")
def nk_line():
    return read_lines("nk-line-2020")


@pytest.fixture(scope="module")
def hostile_measurements(nk_line):
    incs = [
        Incident(lon=47.0318, lat=39.52, radius_m=3000, label=HOSTILE[0], note=HOSTILE[1]),
        Incident(lon=46.75, lat=39.82, label=HOSTILE[2], note=HOSTILE[3], date="2020-12-01"),
        Incident(lon=46.2, lat=40.3, label=HOSTILE[7], note=HOSTILE[4]),
    ]
    return measure(incs, nk_line)


@dataclass
class StubRange:
    min_m: float | None
    max_m: float | None


@dataclass
class StubClaim:
    text: str
    strict: StubRange
    lenient: StubRange
    rule: str = "stub"
    matched_text: str = ""


@dataclass
class StubVerdict:
    verdict: str
    sentence: str


# --------------------------------------------------------------------------- escaping


@settings(max_examples=300, deadline=None)
@given(st.recursive(st.text() | st.integers() | st.none() | st.booleans(),
                    lambda kids: st.lists(kids, max_size=4) | st.dictionaries(st.text(max_size=5), kids, max_size=4),
                    max_leaves=20))
def test_page_json_round_trips_and_has_no_markup(value):
    text = render.page_json(value)
    assert json.loads(text) == value
    for bad in ("<", ">", "&", "\u2028", "\u2029", "\u202e", "\u2067"):
        assert bad not in text


@pytest.mark.parametrize("payload", HOSTILE)
def test_page_json_neutralises_each_payload(payload):
    text = render.page_json({"label": payload})
    assert "</script" not in text.lower() and "<!--" not in text
    assert json.loads(text)["label"] == payload


def test_hostile_text_reaches_the_page_only_as_data(nk_line, hostile_measurements):
    claim = StubClaim(text=HOSTILE[5] + HOSTILE[2], strict=StubRange(24000, 96000), lenient=StubRange(20000, 100000))
    verdicts = [StubVerdict("supported", HOSTILE[6]), StubVerdict("contradicted", HOSTILE[8]),
                StubVerdict("inconclusive", HOSTILE[9])]
    html = render.render_map(hostile_measurements, nk_line, claim=claim, verdicts=verdicts, title=HOSTILE[1])
    # No payload appears raw anywhere in the document ...
    for payload in HOSTILE[:2] + [HOSTILE[5], "onerror=\"window", "\u202eevil"]:
        assert payload not in html
    # ... Jinja did not evaluate it (branca renders templates with Jinja) ...
    assert HOSTILE[7] in page_data(html)["inc"]["strings"] and "jinja 49" not in html
    # ... and the data block gives back every text exactly.
    data = page_data(html)
    strings = set(data["inc"]["strings"])
    assert {HOSTILE[0], HOSTILE[1], HOSTILE[2], HOSTILE[3], HOSTILE[4], HOSTILE[7]} <= strings
    assert data["title"] == HOSTILE[1]
    assert data["claim"]["text"] == HOSTILE[5] + HOSTILE[2]
    assert [data["inc"]["strings"][h] + rest for h, rest in data["inc"]["sentence"]] == [HOSTILE[6], HOSTILE[8],
                                                                                            HOSTILE[9]]
    # Exactly one script element is not ours/Leaflet's: the JSON block, which is inert.
    assert html.count('type="application/json"') == 1


def test_page_script_uses_no_html_sinks():
    js = render._PAGE_JS
    for sink in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(", "new Function",
                 "bindPopup(", "bindTooltip("):
        assert sink not in js
    # Leaflet treats string content of popups/tooltips as HTML: every setContent gets a DOM node.
    for m in re.finditer(r"setContent\(([^)]*)\)", js):
        assert m.group(1).startswith(("popupBox(", "el(")), m.group(0)


def test_layer_attributes_are_data_too(tmp_path):
    geom = {"type": "LineString", "coordinates": [[46.0, 40.0], [46.5, 40.2]]}
    lines = lines_from_geometries([geom], attrs={"name": __import__("numpy").array([HOSTILE[1]], dtype=object)})
    ms = measure([Incident(lon=46.2, lat=40.0, label="x")], lines)
    html = render.render_map(ms, lines, base=None)
    assert HOSTILE[1] not in html
    feats = page_data(html)["line"]["features"]
    assert feats[0]["properties"]["section"] == HOSTILE[1]


# --------------------------------------------------------------------------- offline


def test_page_references_no_external_resource(nk_line, hostile_measurements):
    html = render.render_map(hostile_measurements, nk_line, online_tiles=False)
    # no external script/style/img elements at all
    assert not re.search(r"<(script|img|iframe)[^>]*\bsrc\s*=", html, re.I)
    assert not re.search(r"<link\b", html, re.I)
    # CSS url() references are data: URIs (Leaflet's images) or Leaflet's old-IE "#default#VML" behaviour
    urls = re.findall(r"url\(\s*['\"]?([^'\")]+)", html)
    assert urls and all(u.startswith(("data:image/", "#default#VML")) for u in urls), set(u[:30] for u in urls)
    for cdn in ("cdn.jsdelivr", "cdnjs", "code.jquery", "bootstrapcdn", "unpkg", "fontawesome", "awesome-markers",
                "tile.openstreetmap"):
        assert cdn not in html
    assert "Leaflet 1.9.3" in html  # the library is inlined


def test_online_tiles_are_optional(nk_line, hostile_measurements):
    html = render.render_map(hostile_measurements, nk_line, online_tiles=True)
    assert page_data(html)["online_tiles"]["url"].startswith("https://tile.openstreetmap.org/")


def test_leaflet_assets_inline_images():
    js, css = render.leaflet_assets()
    assert "images/" not in css and css.count("data:image/png;base64,") >= 3
    assert "</script" not in js.lower()


# --------------------------------------------------------------------------- data handed to the page


def test_map_data_features_and_legend(nk_line, hostile_measurements):
    from geomap.claims import parse_claim
    from geomap.verdict import judge

    claim = parse_claim("dozens of kilometres")
    data = render.map_data(hostile_measurements, nk_line, claim=claim)
    expected = [judge(claim, m.interval_m).verdict for m in hostile_measurements]
    codes = [render.VERDICT_STYLE[v][0] for v in expected]
    assert data["inc"]["v"] == codes
    assert sum(v["count"] for v in data["verdicts"].values()) == len(hostile_measurements)
    for name, (code, colour, _text) in render.VERDICT_STYLE.items():
        assert data["verdicts"][name]["code"] == code and data["verdicts"][name]["colour"] == colour
    assert len(data["line"]["features"]) == len(nk_line)
    assert data["area"]["id"] == "nk-area-2020" and data["area"]["geom"]
    assert data["base"]["id"] == "ne-countries-50m" and data["base"]["geom"]
    assert data["layer"]["sha256"] == nk_line.sha256[:12]
    assert data["claim"]["strict"] == [claim.strict.min_m, claim.strict.max_m]
    # distances handed to the page are the measured ones
    for i, m in enumerate(hostile_measurements):
        assert data["inc"]["d"][i] == pytest.approx(m.distance["distance_m"], abs=0.05)
        assert data["inc"]["lo"][i] == pytest.approx(m.interval_m[0], abs=0.05)
        assert data["inc"]["nlon"][i] == pytest.approx(m.distance["nearest_lon"], abs=1e-6)
        path = data["inc"]["paths"][i]
        assert path[:2] == [data["inc"]["lon"][i], data["inc"]["lat"][i]]
        assert path[-2:] == [data["inc"]["nlon"][i], data["inc"]["nlat"][i]]
    assert data["view"][0] < min(data["inc"]["lon"]) and data["view"][2] > max(data["inc"]["lon"])


def test_verdicts_must_match_measurements(nk_line, hostile_measurements):
    from geomap.errors import InputError

    with pytest.raises(InputError, match="one per incident"):
        render.map_data(hostile_measurements, nk_line, verdicts=[StubVerdict("supported", "")])


def test_no_claim_means_no_band_and_blue_markers(nk_line, hostile_measurements):
    data = render.map_data(hostile_measurements, nk_line)
    assert data["bands"] is None and data["claim"] is None
    assert set(data["inc"]["v"]) == {render.VERDICT_STYLE["none"][0]}


@pytest.mark.parametrize("layer_id, lo_m, hi_m", [("nk-line-2020", 24000, 96000), ("nk-line-2020", 0, 5000),
                                                   ("kashmir-loc", 10000, None), ("korea-mdl-1953", 2000, 30000)])
def test_claim_band_is_where_the_distance_is_in_range(layer_id, lo_m, hi_m):
    """Points sampled in the band are within [lo, hi] of the line; points outside it are not (up to the stated error)."""
    import numpy as np
    import shapely

    from geomap.pipeline.distance import distance_to_line

    lines = read_lines(layer_id)
    xy = shapely.get_coordinates(shapely.union_all(list(lines.geoms)))
    pad = 0.5
    view = (xy[:, 0].min() - pad, xy[:, 1].min() - pad, xy[:, 0].max() + pad, xy[:, 1].max() + pad)
    band, err = render.claim_band(lines, view, lo_m, hi_m)
    assert band is not None and err is not None
    assert err < 100.0, err  # metres; a display error, measured
    rng = np.random.default_rng(7)
    px = rng.uniform(view[0], view[2], 3000)
    py = rng.uniform(view[1], view[3], 3000)
    inside = shapely.contains_xy(band, px, py)
    d = distance_to_line(lon=px, lat=py, lines=lines).distance_m
    hi = np.inf if hi_m is None else hi_m
    tol = err + 5.0
    assert np.all((d[inside] >= lo_m - tol) & (d[inside] <= hi + tol))
    assert not np.any((d[~inside] > lo_m + tol) & (d[~inside] < hi - tol))
    assert inside.any() and (~inside).any()


def test_area_incident_has_polygon_and_two_connectors(nk_line):
    from shapely.geometry import box

    inc = Incident(lon=46.45, lat=39.25, area=box(46.3, 39.15, 46.6, 39.35), label="district", kind="district")
    (m,) = measure([inc], nk_line)
    data = render.map_data([m], nk_line)
    a = data["inc"]["areas"]["0"]
    assert a["geom"]["type"] == "Polygon"
    assert a["min"][4] == pytest.approx(m.area["min_m"], abs=0.05)
    assert a["max"][4] == pytest.approx(m.area["max_m"], abs=0.05)
    assert a["min_path"][:2] == a["min"][:2] and a["max_path"][-2:] == a["max"][2:4]


def test_many_incidents_are_compact(nk_line):
    import numpy as np

    rng = np.random.default_rng(3)
    n = 3000
    incs = [Incident(lon=float(x), lat=float(y), label="same label") for x, y in
            zip(rng.uniform(45.8, 47.6, n), rng.uniform(39.0, 40.8, n))]
    data = render.map_data(measure(incs, nk_line), nk_line)
    assert data["inc"]["paths"] is None  # above DETAIL_LIMIT: straight connectors built in the page
    assert data["inc"]["strings"].count("same label") == 1  # interned
    assert len(render.page_json(data)) < 1_000_000


def test_latlon_is_the_only_flip():
    assert render._latlon(47.0, 39.5) == [39.5, 47.0]
    src = Path(render.__file__).read_text()
    assert src.count("def _latlon(") == 1
    assert render._PAGE_JS.count("function ll(") == 1


def test_write_map_is_atomic_and_refuses_inputs(tmp_path, nk_line, hostile_measurements):
    from geomap.errors import InputError

    target = tmp_path / "m.html"
    render.write_map(target, hostile_measurements, nk_line)
    assert target.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert not list(tmp_path.glob(".m.html.*"))
    with pytest.raises(InputError, match="refusing to write over the input"):
        render.write_map(nk_line.path, hostile_measurements, nk_line)


def test_folium_is_only_imported_by_render():
    offenders = []
    for path in (ROOT / "geomap").rglob("*.py"):
        if path.parent.name == "maps":
            continue
        if re.search(r"^\s*(import folium|from folium)", path.read_text(encoding="utf-8"), re.M):
            offenders.append(str(path))
    assert not offenders


def test_map_cli_module_imports_light():
    code = ("import sys, geomap.cli.map; heavy = [m for m in ('folium', 'numpy', 'pandas', 'pyproj', 'shapely', "
            "'geopandas', 'playwright') if m in sys.modules]; print(heavy)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    assert out.stdout.strip() == "[]"


# --------------------------------------------------------------------------- CLI


def _cli():
    from geomap.cli import main

    return main


def test_map_help(runner):
    result = runner.invoke(_cli(), ["map", "--help"])
    assert result.exit_code == 0
    assert "--claim" in result.stdout and "--png" in result.stdout and "--online-tiles" in result.stdout


def test_map_cli_writes_html(runner, tmp_path):
    out = tmp_path / "fuzuli.html"
    result = runner.invoke(_cli(), ["map", "--at", "47.0318,39.5200", "--layer", "nk-line-2020", "--claim",
                                    "dozens of kilometres", "--title", HOSTILE[0], "-o", str(out)])
    assert result.exit_code == 0, result.output
    data = page_data(out.read_text(encoding="utf-8"))
    assert data["title"] == HOSTILE[0]
    assert data["claim"]["text"] == "dozens of kilometres"
    assert data["inc"]["d"][0] == pytest.approx(19531.6, abs=0.1)
    assert data["inc"]["v"] == [render.VERDICT_STYLE["inconclusive"][0]]
    assert result.stdout == ""


def test_map_cli_reads_a_points_file(runner, tmp_path):
    csv = tmp_path / "events.csv"
    csv.write_text("name,lon,lat,notes\n" + HOSTILE[1].replace('"', "'") + ",47.0318,39.52,x\nbad,999,1,\n"
                   "Shusha,46.75,39.76,\n", encoding="utf-8")
    out = tmp_path / "events.html"
    result = runner.invoke(_cli(), ["map", str(csv), "--layer", "nk-line-2020", "-o", str(out)])
    assert result.exit_code == 0, result.output
    data = page_data(out.read_text(encoding="utf-8"))
    assert data["inc"]["n"] == 2
    labels = [data["inc"]["strings"][k] for k in data["inc"]["label"]]
    assert labels == [HOSTILE[1].replace('"', "'"), "Shusha"]


@pytest.mark.parametrize("args, needle", [
    (["--at", "47,39.5", "--layer", "nk-line-2020", "-o", "out.txt"], "does not end in .html"),
    (["--at", "47,39.5", "--layer", "nk-line-2020"], "Missing option"),
    (["--layer", "nk-line-2020", "-o", "x.html"], "no incident given"),
    (["--at", "47,39.5", "--layer", "nk-line-2020", "-o", "x.html", "--claim", "banana"], ""),
    (["--at", "39.5,147", "--layer", "nk-line-2020", "-o", "x.html"], "swap"),
    (["--at", "47,39.5", "--layer", "no-such-layer", "-o", "x.html"], "no shipped layer"),
])
def test_map_cli_bad_input_is_one_line(runner, tmp_path, monkeypatch, args, needle):
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(_cli(), ["map", *args])
    assert result.exit_code == 2, result.output
    assert needle in result.stderr
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.output
    assert not (tmp_path / "x.html").exists()


def test_map_cli_refuses_to_overwrite_the_layer(runner, tmp_path):
    layer = tmp_path / "line.html"  # an odd but valid name for a GeoJSON file
    layer.write_text(json.dumps({"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {},
                     "geometry": {"type": "LineString", "coordinates": [[46, 40], [46.5, 40.2]]}}]}))
    before = layer.read_bytes()
    result = runner.invoke(_cli(), ["map", "--at", "46.2,40", "--layer", str(layer), "-o", str(layer)])
    assert result.exit_code == 2 and "refusing to write over the input" in result.stderr
    assert layer.read_bytes() == before


def test_png_without_chromium_is_a_clear_error(runner, tmp_path, monkeypatch):
    monkeypatch.setenv("GEOMAP_CHROMIUM", str(tmp_path / "no-chromium"))
    result = runner.invoke(_cli(), ["map", "--at", "47.0318,39.52", "--layer", "nk-line-2020", "-o",
                                    str(tmp_path / "m.html"), "--png", str(tmp_path / "m.png")])
    assert result.exit_code == 3
    assert "GEOMAP_CHROMIUM" in result.stderr and result.stderr.count("\n") == 1
    assert not (tmp_path / "m.png").exists()


def test_area_lines_override_and_none_without_metadata(hostile_measurements, nk_line):
    data = render.map_data(hostile_measurements, nk_line, area_lines="nk-area-1994")
    assert data["area"]["id"] == "nk-area-1994" and data["area"]["geom"]
    plain = lines_from_geometries([{"type": "LineString", "coordinates": [[46.0, 40.0], [46.5, 40.2]]}])
    ms = measure([Incident(lon=46.2, lat=40.0)], plain)
    assert render.map_data(ms, plain, base=None)["area"] is None
    assert render.map_data(ms, plain, base=None)["base"] is None


def test_sentences_and_sides_survive_compaction(nk_line, hostile_measurements):
    from geomap.claims import parse_claim
    from geomap.verdict import judge

    claim = parse_claim("dozens of kilometres")
    data = render.map_data(hostile_measurements, nk_line, claim=claim)
    inc = data["inc"]
    for i, m in enumerate(hostile_measurements):
        head, rest = inc["sentence"][i]
        assert inc["strings"][head] + rest == judge(claim, m.interval_m).sentence
        assert inc["side_in"][i] == int(m.side["inside_area"])
        assert inc["strings"][inc["side_layer"][i]] == "nk-area-2020"
        assert inc["sd"][i] == pytest.approx(m.side["signed_distance_m"], abs=0.05)


def test_map_command_takes_places(tmp_path):
    from click.testing import CliRunner

    from geomap.cli import main

    out = tmp_path / "hadrut.html"
    result = CliRunner().invoke(main, ["map", "--place", "Hadrut", "--place", "Hadrut district", "--theatre",
                                       "nagorno-karabakh", "--date", "2020-12-27", "--claim", "dozens of km",
                                       "-o", str(out)])
    assert result.exit_code == 0, result.output
    page = out.read_text(encoding="utf-8")
    assert "Hadrut" in page and "Xocav" in page


def _events_csv(tmp_path, dates):
    """An ACLED-shaped CSV of three Karabakh events on the given dates."""
    rows = [("ARM1", "47.0318", "39.52"), ("ARM2", "46.75", "39.76"), ("ARM3", "46.9", "39.6")]
    csv = tmp_path / "acled.csv"
    csv.write_text("event_id_cnty,event_date,latitude,longitude,geo_precision,notes\n" + "".join(
        f"{e},{d},{lat},{lon},1,{HOSTILE[0].replace(',', ' ') if e == 'ARM1' else ''}\n"
        for (e, lon, lat), d in zip(rows, dates)), encoding="utf-8")
    return csv


def test_file_map_with_theatre_uses_the_line_the_rows_dates_chose(runner, tmp_path):
    """distance FILE --theatre --html: the rows' own dates pick the line; the table and the map agree."""
    csv = _events_csv(tmp_path, ["2021-10-26", "2022-05-16", "2023-01-02"])
    out, page = tmp_path / "out.csv", tmp_path / "map.html"
    result = runner.invoke(_cli(), ["distance", str(csv), "--theatre", "nagorno-karabakh", "-o", str(out),
                                    "--html", str(page), "-q"])
    assert result.exit_code == 0, result.output
    data = page_data(page.read_text(encoding="utf-8"))
    table = out.read_text(encoding="utf-8")
    assert "nk-line-2020" in table
    assert len(data["inc"]["d"]) == 3
    assert data["inc"]["d"][0] == pytest.approx(19531.6, abs=0.1)
    assert [data["inc"]["strings"][k] for k in data["inc"]["label"]] == ["ARM1", "ARM2", "ARM3"]  # ACLED ids


def test_file_map_refuses_rows_measured_against_several_lines(runner, tmp_path):
    csv = _events_csv(tmp_path, ["1995-06-01", "2022-05-16", "2022-06-01"])
    out, page = tmp_path / "out.csv", tmp_path / "map.html"
    result = runner.invoke(_cli(), ["distance", str(csv), "--theatre", "nagorno-karabakh", "-o", str(out),
                                    "--html", str(page)])
    assert result.exit_code == 2
    assert "measured against 2 lines" in result.output and "--layer" in result.output
    assert out.exists() and not page.exists()  # the table is written; only the map is refused


def test_check_file_html_draws_the_verdicts(runner, tmp_path):
    """check FILE --html writes a map whose incidents carry the rows' verdicts (it used to be ignored)."""
    csv = _events_csv(tmp_path, ["2021-10-26", "2022-05-16", "2023-01-02"])
    page = tmp_path / "check.html"
    result = runner.invoke(_cli(), ["check", str(csv), "--layer", "nk-line-2020", "--claim", "within 5 km",
                                    "--html", str(page), "-o", str(tmp_path / "out.csv")])
    assert result.exit_code in (0, 10, 11), result.output
    data = page_data(page.read_text(encoding="utf-8"))
    assert data["claim"]["text"] == "within 5 km"
    assert len(data["inc"]["v"]) == 3
    assert data["inc"]["v"][0] == render.VERDICT_STYLE["contradicted"][0]  # 19.5 km from the line


def test_file_map_reads_standard_input_once(runner, tmp_path):
    geojson = json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"name": "Fuzuli"},
         "geometry": {"type": "Point", "coordinates": [47.0318, 39.52]}}]})
    page = tmp_path / "m.html"
    result = runner.invoke(_cli(), ["distance", "-", "--layer", "nk-line-2020", "--html", str(page), "-q"],
                           input=geojson)
    assert result.exit_code == 0, result.output
    assert page_data(page.read_text(encoding="utf-8"))["inc"]["d"][0] == pytest.approx(19531.6, abs=0.1)


@pytest.mark.parametrize("command", [["distance"], ["check", "--claim", "dozens of km"]])
def test_file_map_needs_the_local_engine(runner, tmp_path, command):
    csv = _events_csv(tmp_path, ["2021-10-26", "2022-05-16", "2023-01-02"])
    result = runner.invoke(_cli(), [*command, str(csv), "--layer", "nk-line-2020", "--engine", "dask",
                                    "--html", str(tmp_path / "m.html"), "-o", str(tmp_path / "o.csv")])
    assert result.exit_code == 2 and "drop --engine dask" in result.output
