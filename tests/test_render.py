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

from geomap.maps import bands, data as mapdata, page as render
from tests.conftest import no_crash
from geomap.layers.lineset import lines_from_geometries, read_lines
from geomap.pipeline.incidents import Incident


def measure(incidents, lines, claim=None):
    """Measure through the one engine (a table of incidents): the typed rows a map draws."""
    from geomap.pipeline.run import measure as run_measure

    return run_measure(incidents=incidents, layer=lines, claim=claim).rows()


def with_verdicts(rows, verdicts):
    """The rows with the given verdict objects (stubs for the escaping tests)."""
    import dataclasses

    return [dataclasses.replace(r, verdict=v) for r, v in zip(rows, verdicts, strict=True)]


def with_claim(rows, claim):
    """The rows judged against ``claim`` by the one verdict rule."""
    from geomap.verdict import judge

    return with_verdicts(rows, [judge(claim, r.interval_m) for r in rows])

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
    """The data blocks of a rendered page, parsed back, with the incident columns decoded into ``inc``."""
    data = render.read_page(html)
    data["inc"] = dict(data["inc"], **mapdata.decode_incidents(data))
    return data


def decoded(data: dict) -> dict:
    """map_data's result with its incident columns decoded."""
    return dict(data["inc"], **mapdata.decode_incidents(data))


@pytest.fixture(scope="module")
def nk_line():
    return read_lines("nk-line-2020")


@pytest.fixture(scope="module")
def hostile_measurements(nk_line):
    incs = [
        Incident(lon=47.0318, lat=39.52, radius_m=3000, label=HOSTILE[0], note=HOSTILE[1]),
        # north of Stepanakert: beyond nk-line-2020's known error around Shusha, whose note would join this one
        Incident(lon=46.80, lat=40.10, label=HOSTILE[2], note=HOSTILE[3], date="2020-12-01"),
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
    html = render.render_map(with_verdicts(hostile_measurements, verdicts), nk_line, claim=claim, title=HOSTILE[1])
    # No payload appears raw anywhere in the document ...
    for payload in HOSTILE[:2] + [HOSTILE[5], "onerror=\"window", "\u202eevil"]:
        assert payload not in html
    # ... Jinja did not evaluate it (branca renders templates with Jinja) ...
    assert HOSTILE[7] in page_data(html)["inc"]["strings"] and "49 jinja" not in html
    # ... and the data block gives back every text exactly.
    data = page_data(html)
    strings = set(data["inc"]["strings"])
    assert {HOSTILE[0], HOSTILE[1], HOSTILE[2], HOSTILE[3], HOSTILE[4], HOSTILE[7]} <= strings
    assert data["title"] == HOSTILE[1]
    assert data["claim"]["text"] == HOSTILE[5] + HOSTILE[2]
    assert data["inc"]["sentence"] == [HOSTILE[6], HOSTILE[8], HOSTILE[9]]
    # Exactly two script elements are not ours/Leaflet's: the JSON block and the base64 incident block, both inert.
    assert html.count('type="application/json"') == 1 and html.count('type="application/octet-stream"') == 1
    block = re.search(r'id="geomap-inc">(.*?)</script>', html, re.S).group(1)
    assert re.fullmatch(r"[A-Za-z0-9+/=]+", block)


def test_page_script_uses_no_html_sinks():
    js, _css = render.page_assets()
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
    feats = page_data(html)["layers"][0]["line"]["features"]
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
    data = render.map_data(with_claim(hostile_measurements, claim), nk_line, claim=claim)
    inc = decoded(data)
    expected = [judge(claim, m.interval_m).verdict for m in hostile_measurements]
    codes = [mapdata.VERDICT_STYLE[v][0] for v in expected]
    assert inc["v"] == codes
    assert sum(v["count"] for v in data["verdicts"].values()) == len(hostile_measurements)
    for name, (code, colour, _text) in mapdata.VERDICT_STYLE.items():
        assert data["verdicts"][name]["code"] == code and data["verdicts"][name]["colour"] == colour
    (layer,) = data["layers"]
    assert len(layer["line"]["features"]) == len(nk_line)
    assert layer["area"]["id"] == "nk-area-2020" and layer["area"]["geom"]
    assert data["base"]["id"] == "ne-countries-50m" and data["base"]["geom"]
    assert layer["sha256"] == nk_line.sha256[:12]
    assert data["claim"]["strict"] == [claim.strict.min_m, claim.strict.max_m]
    # distances handed to the page are the measured ones
    for i, m in enumerate(hostile_measurements):
        assert inc["d"][i] == pytest.approx(m.nearest.distance_m, abs=0.05)
        assert inc["lo"][i] == pytest.approx(m.interval_m[0], abs=0.05)
        assert inc["nlon"][i] == pytest.approx(m.nearest.lon, abs=1e-6)
        path = inc["paths"][i]
        assert path[:2] == pytest.approx([inc["lon"][i], inc["lat"][i]], abs=1e-6)
        assert path[-2:] == pytest.approx([inc["nlon"][i], inc["nlat"][i]], abs=1e-6)
    assert data["view"][0] < min(inc["lon"]) and data["view"][2] > max(inc["lon"])


def test_no_claim_means_no_band_and_blue_markers(nk_line, hostile_measurements):
    data = render.map_data(hostile_measurements, nk_line)
    assert data["layers"][0]["bands"] is None and data["claim"] is None
    assert set(decoded(data)["v"]) == {mapdata.VERDICT_STYLE["none"][0]}


@pytest.mark.parametrize("layer_id, lo_m, hi_m", [("nk-line-2020", 24000, 96000), ("nk-line-2020", 0, 5000),
                                                   ("kashmir-loc", 10000, None), ("korea-mdl-1953", 2000, 30000)])
def test_claim_band_is_where_the_distance_is_in_range(layer_id, lo_m, hi_m):
    """Points sampled in the band are within [lo, hi] of the line; points outside it are not (up to the stated error)."""
    import numpy as np
    import shapely

    from geomap.layers.distance import distance_to_line

    lines = read_lines(layer_id)
    xy = shapely.get_coordinates(shapely.union_all(list(lines.geoms)))
    pad = 0.5
    view = (xy[:, 0].min() - pad, xy[:, 1].min() - pad, xy[:, 0].max() + pad, xy[:, 1].max() + pad)
    band, err = bands.claim_band(lines, view, lo_m, hi_m)
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
    assert a["min"][4] == pytest.approx(m.area.min_m, abs=0.05)
    assert a["max"][4] == pytest.approx(m.area.max_m, abs=0.05)
    assert a["min_path"][:2] == a["min"][:2] and a["max_path"][-2:] == a["max"][2:4]
    assert a["max"][2:4] == [pytest.approx(m.area.max_nearest[0], abs=1e-6),
                             pytest.approx(m.area.max_nearest[1], abs=1e-6)]


def test_many_incidents_are_compact(nk_line):
    import numpy as np

    rng = np.random.default_rng(3)
    n = 3000
    incs = [Incident(lon=float(x), lat=float(y), label="same label") for x, y in
            zip(rng.uniform(45.8, 47.6, n), rng.uniform(39.0, 40.8, n))]
    data = render.map_data(measure(incs, nk_line), nk_line)
    assert data["inc"]["paths"] is None  # above DETAIL_LIMIT: straight connectors drawn by the page
    inc = decoded(data)
    assert inc["strings"].count("same label") == 1  # interned
    assert inc["label"] == ["same label"] * n
    assert len(data["inc"]["blob"]) < 100_000  # 3,000 rows: typed arrays, gzip'ed


def test_latlon_is_the_only_flip():
    assert mapdata.map_centre((46.0, 39.0, 48.0, 40.0)) == [39.5, 47.0]
    sources = "".join(p.read_text() for p in Path(render.__file__).parent.glob("*.py"))
    assert sources.count("def _latlon(") == 1 and sources.count("_latlon(") == 2
    js, _css = render.page_assets()
    assert js.count("function ll(") == 1 and "L.latLng(" not in js.replace("return L.latLng(lat, lon)", "")


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
    assert data["inc"]["v"] == [mapdata.VERDICT_STYLE["inconclusive"][0]]
    assert result.stdout == ""


def test_map_cli_reads_a_points_file(runner, tmp_path):
    csv = tmp_path / "events.csv"
    csv.write_text("name,lon,lat,notes\n" + HOSTILE[1].replace('"', "'") + ",47.0318,39.52,x\nbad,999,1,\n"
                   "Shusha,46.75,39.76,\n", encoding="utf-8")
    out = tmp_path / "events.html"
    result = runner.invoke(_cli(), ["map", str(csv), "--layer", "nk-line-2020", "-o", str(out)])
    # one row could not be measured: the map of the others is written, and the exit says so (as `distance`)
    assert result.exit_code == 1, result.output
    assert "3 rows: coordinates_out_of_range 1, ok 2" in result.stderr
    data = page_data(out.read_text(encoding="utf-8"))
    assert data["inc"]["n"] == 2
    assert data["inc"]["label"] == [HOSTILE[1].replace('"', "'"), "Shusha"]


@pytest.mark.parametrize("args, needle", [
    (["--at", "47,39.5", "--layer", "nk-line-2020", "-o", "out.txt"], "does not end in .html"),
    (["--at", "47,39.5", "--layer", "nk-line-2020"], "Missing option"),
    (["--layer", "nk-line-2020", "-o", "x.html"], "no incident given"),
    (["--at", "47,39.5", "--layer", "nk-line-2020", "-o", "x.html", "--claim", "banana"], "banana"),
    (["--at", "39.5,147", "--layer", "nk-line-2020", "-o", "x.html"], "swap"),
    (["--at", "47,39.5", "--layer", "no-such-layer", "-o", "x.html"], "no shipped layer"),
])
def test_map_cli_bad_input_is_one_line(runner, tmp_path, monkeypatch, args, needle):
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(_cli(), ["map", *args])
    assert result.exit_code == 2, result.output
    assert needle in result.stderr
    assert result.stderr.count("\n") == 1 and no_crash(result)
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
    assert data["layers"][0]["area"]["id"] == "nk-area-1994" and data["layers"][0]["area"]["geom"]
    plain = lines_from_geometries([{"type": "LineString", "coordinates": [[46.0, 40.0], [46.5, 40.2]]}])
    ms = measure([Incident(lon=46.2, lat=40.0)], plain)
    assert render.map_data(ms, plain, base=None)["layers"][0]["area"] is None
    assert render.map_data(ms, plain, base=None)["base"] is None


def test_sentences_and_sides_survive_compaction(nk_line, hostile_measurements):
    from geomap.claims import parse_claim
    from geomap.verdict import judge

    claim = parse_claim("dozens of kilometres")
    data = render.map_data(with_claim(hostile_measurements, claim), nk_line, claim=claim)
    inc = decoded(data)
    for i, m in enumerate(hostile_measurements):
        assert inc["sentence"][i] == judge(claim, m.interval_m).sentence
        assert inc["side_in"][i] == (None if m.side.inside_area is None else int(m.side.inside_area))
        assert inc["area_layer"][i] == "nk-area-2020"
        assert inc["sd"][i] == pytest.approx(m.side.signed_distance_m, abs=0.05)


def test_map_command_takes_places(tmp_path):
    from click.testing import CliRunner

    from geomap.cli import main

    out = tmp_path / "hadrut.html"
    result = CliRunner().invoke(main, ["map", "--place", "Hadrut", "--place", "Hadrut district", "--theatre",
                                       "nagorno-karabakh", "--date", "2020-12-27", "--claim", "dozens of km",
                                       "-o", str(out)])
    assert result.exit_code == 0, result.output
    labels = page_data(out.read_text(encoding="utf-8"))["inc"]["label"]
    assert any("Hadrut" in x for x in labels) and any("Xocav" in x for x in labels), labels


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
    assert data["inc"]["label"] == ["ARM1", "ARM2", "ARM3"]  # ACLED ids


def test_file_map_draws_every_period_with_its_own_line(runner, tmp_path):
    """Rows whose dates chose different line versions: one map, each version a layer, each row on its own line."""
    import pandas as pd

    csv = _events_csv(tmp_path, ["1995-06-01", "2022-05-16", "2022-06-01"])
    out, page = tmp_path / "out.csv", tmp_path / "map.html"
    result = runner.invoke(_cli(), ["distance", str(csv), "--theatre", "nagorno-karabakh", "-o", str(out),
                                    "--html", str(page)])
    assert result.exit_code == 0, result.output
    table = pd.read_csv(out)
    assert list(table["layer"]) == ["nk-line-1994", "nk-line-2020", "nk-line-2020"]
    data = page_data(page.read_text(encoding="utf-8"))
    assert [layer["id"] for layer in data["layers"]] == ["nk-line-1994", "nk-line-2020"]
    inc = mapdata.decode_incidents(data)
    assert inc["layer"] == list(table["layer"])
    # the nearest points drawn are the ones the table measured against each row's own version
    assert inc["nlon"] == pytest.approx(list(table["nearest_lon"]), abs=1e-6)
    assert inc["d"] == pytest.approx(list(table["distance_m"]), abs=0.05)


def test_check_file_html_draws_the_verdicts(runner, tmp_path):
    """check FILE --html writes a map whose incidents carry the rows' verdicts (it used to be ignored)."""
    csv = _events_csv(tmp_path, ["2021-10-26", "2022-05-16", "2023-01-02"])
    page = tmp_path / "check.html"
    result = runner.invoke(_cli(), ["check", str(csv), "--layer", "nk-line-2020", "--claim", "within 5 km",
                                    "--html", str(page), "-o", str(tmp_path / "out.csv")])
    import pandas as pd

    verdicts = list(pd.read_csv(tmp_path / "out.csv")["verdict"])
    expected_exit = {frozenset({"supported"}): 0, frozenset({"contradicted"}): 10}.get(frozenset(verdicts), 11)
    assert result.exit_code == expected_exit, result.output
    data = page_data(page.read_text(encoding="utf-8"))
    assert data["claim"]["text"] == "within 5 km"
    assert data["inc"]["v"] == [mapdata.VERDICT_STYLE[v][0] for v in verdicts]
    assert data["inc"]["v"][0] == mapdata.VERDICT_STYLE["contradicted"][0]  # 19.5 km from the line


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


def test_maps_modules_are_small_and_import_no_private_names():
    import ast

    for path in sorted((ROOT / "geomap" / "maps").glob("*.py")):
        src = path.read_text(encoding="utf-8")
        assert src.count("\n") <= 600, f"{path.name} has {src.count(chr(10))} lines"
        for node in ast.walk(ast.parse(src)):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("geomap"):
                private = [a.name for a in node.names if a.name.startswith("_") and a.name != "__version__"]
                assert not private, f"{path.name} imports {private} from {node.module}"
    # the page's script and style are package files, not Python strings
    assert not re.search(r"_PAGE_(JS|CSS)\s*=", (ROOT / "geomap" / "maps" / "page.py").read_text(encoding="utf-8"))
