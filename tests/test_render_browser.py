"""HTML maps in a real browser (headless Debian chromium), with every network request blocked.

Locally these skip when chromium is missing; with CI=true they fail instead.
"""

from __future__ import annotations

import time

import pytest

from geomap.maps import page as render
from geomap.maps.data import VERDICT_STYLE
from geomap.layers.lineset import read_lines
from geomap.pipeline.incidents import Incident
from tests.conftest import IN_CI, chromium_path
from tests.test_render import HOSTILE, StubClaim, StubRange, StubVerdict, measure, with_verdicts

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def browser_ok():
    if chromium_path() is None:
        if IN_CI:
            pytest.fail("chromium is required in CI (CI=true) for the browser tests: install Debian 'chromium'")
        pytest.skip("chromium is not installed: browser tests need Debian 'chromium' (apt-get install chromium)")
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        if IN_CI:
            pytest.fail("playwright is required in CI for the browser tests: pip install playwright")
        pytest.skip("playwright is not installed (pip install playwright; no 'playwright install' needed)")
    return True


@pytest.fixture(scope="module")
def nk_line():
    return read_lines("nk-line-2020")


def hostile_incidents():
    return [
        Incident(lon=47.0318, lat=39.52, radius_m=3000, label=HOSTILE[0], note=HOSTILE[1]),
        Incident(lon=46.75, lat=39.82, label=HOSTILE[2], note=HOSTILE[3], date=HOSTILE[6]),
        Incident(lon=46.2, lat=40.3, label=HOSTILE[7], note=HOSTILE[4] + HOSTILE[5]),
        Incident(lon=46.55, lat=39.3, label=HOSTILE[8], note=HOSTILE[11]),
    ]


@pytest.fixture(scope="module")
def hostile_page(tmp_path_factory, nk_line):
    ms = measure(hostile_incidents(), nk_line)
    claim = StubClaim(text=HOSTILE[5] + HOSTILE[2] + HOSTILE[9], strict=StubRange(24000, 96000),
                      lenient=StubRange(20000, 100000), rule=HOSTILE[1], matched_text=HOSTILE[3])
    verdicts = [StubVerdict("supported", HOSTILE[6]), StubVerdict("contradicted", HOSTILE[1]),
                StubVerdict("inconclusive", HOSTILE[10]), StubVerdict("contradicted", HOSTILE[2])]
    path = tmp_path_factory.mktemp("maps") / "hostile.html"
    render.write_map(path, with_verdicts(ms, verdicts), nk_line, claim=claim, title=HOSTILE[0] + HOSTILE[2])
    return path, ms


def _open(path, **kw):
    from geomap.maps.screenshot import load_map, offline_page

    ctx = offline_page(**kw)
    page, record = ctx.__enter__()
    load_map(page, record, path)
    return ctx, page, record


def _container_point(page, lon, lat):
    return page.evaluate(
        "([lon, lat]) => { const p = window.geomapMap.latLngToContainerPoint(L.latLng(lat, lon));"
        " const r = window.geomapMap.getContainer().getBoundingClientRect(); return [r.left + p.x, r.top + p.y]; }",
        [lon, lat])


def _clean_load(record):
    assert record.ready, record.error
    assert record.blocked_requests == []
    assert record.console_errors == []
    assert record.page_errors == []
    assert record.dialogs == []


def test_hostile_page_loads_offline_and_runs_nothing(browser_ok, hostile_page):
    path, ms = hostile_page
    ctx, page, record = _open(path)
    try:
        _clean_load(record)
        assert page.evaluate("window.__pwned") is None
        stats = page.evaluate("window.geomapStats")
        assert stats["incidents"] == len(ms) and stats["connectors"] == len(ms)
        assert stats["labels"] + stats["hidden_labels"] == len(ms) and stats["uncertainty"] == 1
        # the title shows the text literally
        assert page.inner_text(".geomap-title") == HOSTILE[0] + HOSTILE[2]
        # the legend shows the claim literally and the counts
        legend = page.inner_text(".geomap-legend")
        assert HOSTILE[5] in legend and "claim contradicted (2)" in legend
        # only our own elements: no <img> or extra <script> injected into the document
        assert page.evaluate("document.querySelectorAll('img').length") == 0
        # folium's L_NO_TOUCH settings, Leaflet, the JSON block, the incident block, the map script (folium's + ours)
        assert page.evaluate("document.scripts.length") == 5
        # four canvases: the base map, every vector layer (one canvas, so every layer can be clicked), the
        # incident dots (hit-tested by the page), the line on top
        assert page.evaluate("document.querySelectorAll('canvas').length") == 4
    finally:
        ctx.__exit__(None, None, None)


def test_markers_are_drawn_in_their_verdict_colour(browser_ok, hostile_page):
    path, ms = hostile_page
    ctx, page, record = _open(path)
    try:
        _clean_load(record)
        colours = {name: style[1] for name, style in VERDICT_STYLE.items()}
        for i, expected in enumerate(("supported", "contradicted", "inconclusive", "contradicted")):
            rgb = page.evaluate(
                """([lon, lat]) => {
                     const m = window.geomapMap, p = m.latLngToLayerPoint(L.latLng(lat, lon));
                     for (const c of [...m.getPane('mapPane').querySelectorAll('canvas')].reverse()) {
                       const origin = L.DomUtil.getPosition(c), ctx = c.getContext('2d');
                       const s = c.width / parseFloat(c.style.width);
                       const d = ctx.getImageData((p.x - origin.x) * s, (p.y - origin.y) * s, 1, 1).data;
                       if (d[3] > 200) { return [d[0], d[1], d[2]]; }
                     }
                     return null; }""",
                [ms[i].incident.lon, ms[i].incident.lat])
            want = colours[expected]
            want_rgb = [int(want[k:k + 2], 16) for k in (1, 3, 5)]
            assert rgb is not None and max(abs(a - b) for a, b in zip(rgb, want_rgb)) < 12, (i, rgb, want_rgb)
    finally:
        ctx.__exit__(None, None, None)


def test_popup_shows_the_evidence_literally(browser_ok, hostile_page, nk_line):
    path, ms = hostile_page
    ctx, page, record = _open(path)
    try:
        _clean_load(record)
        for i in range(len(ms)):
            # reset the view (popups pan the map) and click the marker's centre
            page.evaluate("window.geomapMap.closePopup(); window.geomapMap.setView(L.latLng(%r, %r), 9, "
                          "{animate: false})" % (ms[i].incident.lat, ms[i].incident.lon))
            # the canvas redraws on the next animation frame; and two clicks on the same spot within the
            # double-click interval would be one double click
            page.wait_for_timeout(700)
            x, y = _container_point(page, ms[i].incident.lon, ms[i].incident.lat)
            page.mouse.click(x, y)
            page.wait_for_selector(".geomap-popup", timeout=5000)
            text = page.inner_text(".geomap-popup")
            heading = page.inner_text(".geomap-popup h4")
            assert heading == ms[i].incident.label
            note = page.evaluate("[...document.querySelectorAll('.geomap-popup td')].map(td => td.textContent)")
            assert ms[i].incident.note in note
            assert f"{ms[i].nearest.distance_m:.1f} m" in text
            assert nk_line.sha256[:12] in text and "nk-line-2020" in text
            assert "0.1.0" in text or "geomap" in text
            assert HOSTILE[5] + HOSTILE[2] + HOSTILE[9] in note  # the claim, exactly
            assert [HOSTILE[6], HOSTILE[1], HOSTILE[10], HOSTILE[2]][i] in note  # the verdict sentence, exactly
            # the side in the side rule's own words (inside/outside the area held by ..., or uncertain)
            assert ms[i].side.text and ms[i].side.text in text
            assert "24.00 km \u2013 96.00 km" in text
        assert page.evaluate("window.__pwned") is None
        assert record.dialogs == [] and record.page_errors == [] and record.console_errors == []
    finally:
        ctx.__exit__(None, None, None)


def test_line_popup_and_layer_control(browser_ok, hostile_page, nk_line):
    path, _ms = hostile_page
    ctx, page, record = _open(path)
    try:
        _clean_load(record)
        import shapely

        xy = shapely.get_coordinates(nk_line.geoms[0])
        mid = xy[len(xy) // 2]
        x, y = _container_point(page, float(mid[0]), float(mid[1]))
        page.mouse.click(x, y)
        page.wait_for_selector(".geomap-popup", timeout=5000)
        text = page.inner_text(".geomap-popup")
        assert "Line of contact" in text and nk_line.sha256[:12] in text and "2020-12-14" in text
        names = page.evaluate("[...document.querySelectorAll('.leaflet-control-layers-overlays label')]"
                              ".map(l => l.textContent.trim())")
        assert "Line of contact" in names and "Incidents" in names and any("Claim band" in n for n in names)
        assert page.evaluate("document.querySelectorAll('.leaflet-control-scale-line').length") >= 1
    finally:
        ctx.__exit__(None, None, None)


def test_online_tiles_fail_gracefully_offline(browser_ok, tmp_path, nk_line):
    ms = measure([Incident(lon=47.0318, lat=39.52)], nk_line)
    path = render.write_map(tmp_path / "tiles.html", ms, nk_line, online_tiles=True)
    ctx, page, record = _open(path)
    try:
        assert record.ready, record.error
        assert record.page_errors == [] and record.dialogs == []
        page.wait_for_selector(".geomap-notice", timeout=10000)
        assert "Online tiles could not be loaded" in page.inner_text(".geomap-notice")
        assert record.blocked_requests and all(u.startswith("https://tile.openstreetmap.org/")
                                               for u in record.blocked_requests)
        # the embedded base map is still there
        assert page.evaluate("window.geomapStats.incidents") == 1
    finally:
        ctx.__exit__(None, None, None)


@pytest.mark.slow
def test_ten_thousand_incidents_open_in_seconds(browser_ok, tmp_path, nk_line):
    import numpy as np

    rng = np.random.default_rng(11)
    n = 10_000
    incs = [Incident(lon=float(x), lat=float(y), label=f"event {i}") for i, (x, y) in
            enumerate(zip(rng.uniform(45.8, 47.6, n), rng.uniform(39.0, 40.8, n)))]
    from geomap.claims import parse_claim

    claim = parse_claim("within 10 km")
    ms = measure(incs, nk_line, claim=claim)
    path = render.write_map(tmp_path / "big.html", ms, nk_line, claim=claim)
    ctx, page, record = _open(path)
    try:
        _clean_load(record)
        assert page.evaluate("window.geomapStats.incidents") == n
        # how fast it opens is measured by bench/bench_map.py; here: it opens, completely, with every incident
        assert record.load_s is not None
    finally:
        ctx.__exit__(None, None, None)


def test_png_screenshot(browser_ok, tmp_path, runner):
    from geomap.cli import main

    html, png = tmp_path / "m.html", tmp_path / "m.png"
    result = runner.invoke(main, ["map", "--at", "47.0318,39.52", "--at", "46.2,40.3", "--layer", "nk-line-2020",
                                  "--claim", "dozens of kilometres", "-o", str(html), "--png", str(png)])
    assert result.exit_code == 0, result.output
    data = png.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 20_000
    width = int.from_bytes(data[16:20], "big")
    height = int.from_bytes(data[20:24], "big")
    assert (width, height) == (1400, 900)


def test_png_without_playwright_uses_chromium_directly(browser_ok, tmp_path, monkeypatch, nk_line):
    import builtins

    from geomap.maps.screenshot import screenshot_map

    real_import = builtins.__import__

    def no_playwright(name, *args, **kwargs):
        if name.startswith("playwright"):
            raise ImportError("no playwright")
        return real_import(name, *args, **kwargs)

    html = render.write_map(tmp_path / "m.html", measure([Incident(lon=47.0318, lat=39.52)], nk_line), nk_line)
    monkeypatch.setattr(builtins, "__import__", no_playwright)
    png = screenshot_map(html, tmp_path / "m.png", width=800, height=600)
    data = png.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 10_000
    assert int.from_bytes(data[16:20], "big") == 800


def test_area_incident_is_drawn_and_clickable(browser_ok, tmp_path, nk_line):
    from shapely.geometry import box

    inc = Incident(lon=46.45, lat=39.25, area=box(46.3, 39.15, 46.6, 39.35), label=HOSTILE[1], kind="district")
    ms = measure([inc], nk_line)
    path = render.write_map(tmp_path / "area.html", ms, nk_line)
    ctx, page, record = _open(path)
    try:
        _clean_load(record)
        stats = page.evaluate("window.geomapStats")
        assert stats["uncertainty"] == 1 and stats["connectors"] == 2 and stats["labels"] == 2
        labels = page.evaluate("[...document.querySelectorAll('.geomap-dist')].map(e => e.textContent)")
        assert sorted(labels) == sorted([f"max {ms[0].area.max_m / 1000:.2f} km",
                                         f"min {ms[0].area.min_m / 1000:.2f} km"])
        # click inside the polygon, away from the centre marker
        x, y = _container_point(page, 46.33, 39.33)
        page.mouse.click(x, y)
        page.wait_for_selector(".geomap-popup", timeout=5000)
        assert page.inner_text(".geomap-popup h4") == HOSTILE[1]
        assert "area farthest" in page.inner_text(".geomap-popup")
        assert page.evaluate("window.__pwned") is None and record.dialogs == []
    finally:
        ctx.__exit__(None, None, None)
