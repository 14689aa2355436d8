"""Maps that read well (issue 21): the user's labels, every period on one map, labels off the markers, compact data.

The data tests need no browser; the browser tests open real cases in headless
chromium with the network blocked (Hadrut town and district, a 200-row
ACLED-shaped file, a file whose rows span two line versions).
"""

from __future__ import annotations

import numpy as np
import pytest

from geomap.layers.lineset import read_lines
from geomap.maps import data as mapdata
from geomap.maps import page as render
from tests.conftest import IN_CI, chromium_path

#: real places near the Nagorno-Karabakh lines (lon, lat), the ACLED-shaped file's locations
TOWNS = [("Fuzuli", 47.1453, 39.6003), ("Shusha", 46.7508, 39.7608), ("Hadrut", 46.9984, 39.5199),
         ("Martakert", 46.8158, 40.2097), ("Tartar", 46.9283, 40.3414), ("Agdam", 46.9269, 39.9900),
         ("Jabrayil", 47.0264, 39.3989), ("Askeran", 46.8192, 39.9369)]


@pytest.fixture(scope="module")
def lines_1994():
    return read_lines("nk-line-1994")


@pytest.fixture(scope="module")
def lines_2020():
    return read_lines("nk-line-2020")


def measured_columns(lon, lat, lines, **extra):
    """Columns as the engine's Result would give them (measured here by the pipeline, not by the map)."""
    from geomap.layers.distance import distance_to_line

    res = distance_to_line(lon=lon, lat=lat, lines=lines)
    cols = {"lon": np.asarray(lon, float), "lat": np.asarray(lat, float), "distance_m": res.distance_m,
            "nearest_lon": res.nearest_lon, "nearest_lat": res.nearest_lat,
            "interval_low_m": res.distance_m, "interval_high_m": res.distance_m}
    cols.update(extra)
    return cols


def two_period_columns(lines_1994, lines_2020, n_each=6):
    rng = np.random.default_rng(21)
    lon = rng.uniform(46.5, 47.3, 2 * n_each)
    lat = rng.uniform(39.4, 40.2, 2 * n_each)
    a = measured_columns(lon[:n_each], lat[:n_each], lines_1994)
    b = measured_columns(lon[n_each:], lat[n_each:], lines_2020)
    cols = {k: np.concatenate([a[k], b[k]]) for k in a}
    cols["layer_id"] = np.array(["nk-line-1994"] * n_each + ["nk-line-2020"] * n_each, dtype=object)
    cols["label"] = np.array([f"early {i}" for i in range(n_each)] + [f"late {i}" for i in range(n_each)],
                             dtype=object)
    cols["date"] = np.array(["2001-05-01"] * n_each + ["2022-05-01"] * n_each, dtype=object)
    return cols


# --------------------------------------------------------------------------- data, no browser


def test_columns_are_drawn_as_given_and_the_map_measures_nothing(monkeypatch, lines_2020):
    """Distances come from the columns: the map calls no kernel (patched to fail) and shows what it was given."""
    import geomap.geodesy
    import geomap.layers.distance

    def boom(*_a, **_k):
        raise AssertionError("the map measured something")

    cols = {"lon": [47.0, 46.9], "lat": [39.5, 39.6], "distance_m": [12345.6, 7.0], "nearest_lon": [47.1, 46.95],
            "nearest_lat": [39.7, 39.65], "interval_low_m": [10000.0, 0.0], "interval_high_m": [15000.0, 20.0],
            "label": ["A", None], "row": [3, 9]}
    monkeypatch.setattr(geomap.layers.distance, "distance_to_line", boom)
    monkeypatch.setattr(geomap.geodesy, "nearest", boom, raising=False)
    data = mapdata.map_data_from_columns(cols, {"nk-line-2020": lines_2020}, base=None)
    inc = mapdata.decode_incidents(data)
    assert inc["d"] == [12345.6, 7.0] and inc["lo"] == [10000.0, 0.0] and inc["nlat"] == [39.7, 39.65]
    assert inc["label"] == ["A", ""] and inc["row"] == [3, 9]  # the page names the second "row 9"


def test_rows_not_measured_are_counted_not_drawn(lines_2020):
    cols = {"lon": [47.0, np.nan, 46.9, 46.8], "lat": [39.5, np.nan, 39.6, 39.7],
            "status": ["ok", "no coordinates", "ok", "outside layer validity"], "distance_m": [1.0, np.nan, 2.0, 3.0]}
    data = mapdata.map_data_from_columns(cols, {"nk-line-2020": lines_2020}, base=None)
    inc = mapdata.decode_incidents(data)
    assert data["inc"]["n"] == 2 and inc["row"] == [1, 3]  # 1-based input rows kept
    assert data["skipped"] == {"no coordinates": 1, "outside layer validity": 1} and data["rows_total"] == 4


def test_every_period_gets_its_own_line_and_rows(lines_1994, lines_2020):
    cols = two_period_columns(lines_1994, lines_2020)
    data = mapdata.map_data_from_columns(cols, {"nk-line-2020": lines_2020, "nk-line-1994": lines_1994}, base=None)
    assert [ly["id"] for ly in data["layers"]] == ["nk-line-1994", "nk-line-2020"]  # ordered by validity
    assert [ly["rows"] for ly in data["layers"]] == [6, 6]
    assert data["layers"][0]["valid_from"] == "1994-05-12" and data["layers"][0]["area"]["id"] == "nk-area-1994"
    inc = mapdata.decode_incidents(data)
    assert inc["layer"] == list(cols["layer_id"])
    # each row is connected to its own version's nearest point (as measured)
    assert inc["nlon"] == pytest.approx(list(cols["nearest_lon"]), abs=1e-6)


def test_a_row_of_an_unknown_layer_is_refused(lines_2020):
    from geomap.errors import InputError

    cols = {"lon": [47.0], "lat": [39.5], "layer_id": ["nk-line-1994"]}
    with pytest.raises(InputError, match="nk-line-1994"):
        mapdata.map_data_from_columns(cols, {"nk-line-2020": lines_2020}, base=None)
    with pytest.raises(InputError, match="one per row"):
        mapdata.map_data_from_columns({"lon": [47.0, 46.0], "lat": [39.5]}, {"nk-line-2020": lines_2020})


def test_legend_says_who_holds_the_area(lines_2020):
    data = mapdata.map_data_from_columns({"lon": [47.0], "lat": [39.5]}, {"nk-line-2020": lines_2020}, base=None)
    area = data["layers"][0]["area"]
    from geomap.layers.registry import get_layer

    assert area["held_by"] == get_layer("nk-area-2020").meta.get("held_by")
    js, _css = render.page_assets()
    assert 'A.held_by ? "area held by " + A.held_by : "held area: " + (A.title || A.id)' in js


@pytest.mark.parametrize("n", [1, 5000])
def test_compact_block_round_trips(n, lines_2020):
    rng = np.random.default_rng(n)
    lon, lat = rng.uniform(46.0, 47.5, n), rng.uniform(39.0, 40.5, n)
    labels = np.array([f"ev {i % 97} \u202e<b>" for i in range(n)], dtype=object)
    cols = measured_columns(lon, lat, lines_2020, label=labels, verdict=np.array(["supported"] * n, dtype=object))
    data = mapdata.map_data_from_columns(cols, {"nk-line-2020": lines_2020}, base=None)
    inc = mapdata.decode_incidents(data)
    assert inc["label"] == list(labels)
    assert np.allclose(inc["lon"], lon, atol=5e-7) and np.allclose(inc["d"], cols["distance_m"], atol=0.05)
    assert set(inc["v"]) == {mapdata.VERDICT_STYLE["supported"][0]}


# --------------------------------------------------------------------------- browser


@pytest.fixture(scope="module")
def browser_ok():
    if chromium_path() is None:
        if IN_CI:
            pytest.fail("chromium is required in CI (CI=true) for the browser tests: install Debian 'chromium'")
        pytest.skip("chromium is not installed")
    pytest.importorskip("playwright.sync_api")
    return True


def _open(path):
    from geomap.maps.screenshot import load_map, offline_page

    ctx = offline_page()
    page, record = ctx.__enter__()
    load_map(page, record, path)
    assert record.ready, record.error
    assert record.blocked_requests == [] and record.console_errors == [] and record.page_errors == []
    return ctx, page


def _click_row(page, k):
    page.evaluate("() => { window.geomapMap.closePopup(); }")
    page.wait_for_timeout(400)  # two clicks within the double-click interval would be one double click
    x, y = page.evaluate("""(k) => { const p = window.geomap.rowPoint(k);
        const r = window.geomapMap.getContainer().getBoundingClientRect(); return [r.left + p[0], r.top + p[1]]; }""", k)
    page.mouse.click(x, y)
    page.wait_for_selector(".geomap-popup", timeout=5000)
    return page.inner_text(".geomap-popup h4"), page.inner_text(".geomap-popup")


def _label_overlaps(page):
    """Visible distance labels that cover a drawn marker (incident dots, area end points) or another label."""
    return page.evaluate("""() => {
        const G = window.geomap, R = G.radius, rect0 = G.map.getContainer().getBoundingClientRect();
        const marks = G.visibleRows().map(k => { const p = G.rowPoint(k);
            return [p[0] - R, p[1] - R, p[0] + R, p[1] + R, 'row ' + k]; });
        G.endpoints().forEach(p => marks.push([p[0] - 3, p[1] - 3, p[0] + 3, p[1] + 3, 'area end point']));
        const labels = [...document.querySelectorAll('.geomap-dist')].filter(e => e.style.display !== 'none')
            .map(e => { const r = e.getBoundingClientRect();
                        return [r.left - rect0.left, r.top - rect0.top, r.right - rect0.left, r.bottom - rect0.top, e.textContent]; });
        const hit = (a, b) => a[0] < b[2] && b[0] < a[2] && a[1] < b[3] && b[1] < a[3];
        const bad = [];
        labels.forEach((l, i) => {
            marks.forEach(m => { if (hit(l, m)) { bad.push(l[4] + ' covers ' + m[4]); } });
            labels.forEach((o, j) => { if (j > i && hit(l, o)) { bad.push(l[4] + ' covers label ' + o[4]); } });
        });
        return {bad: bad, shown: labels.length};
    }""")


@pytest.fixture(scope="module")
def hadrut_page(tmp_path_factory):
    from click.testing import CliRunner

    from geomap.cli import main

    out = tmp_path_factory.mktemp("hadrut") / "hadrut.html"
    result = CliRunner().invoke(main, ["map", "--place", "Hadrut", "--place", "Hadrut district", "--theatre",
                                       "nagorno-karabakh", "--date", "2020-12-27", "--claim",
                                       "dozens of kilometers from the nearest section of the line of contact",
                                       "-o", str(out)])
    assert result.exit_code == 0, result.output
    return out


def test_hadrut_labels_cover_no_marker(browser_ok, hadrut_page):
    ctx, page = _open(hadrut_page)
    try:
        for zoom in (None, 9, 10, 8):
            if zoom is not None:
                page.evaluate("(z) => { window.geomapMap.setView(L.latLng(39.52, 46.95), z, {animate: false}); }", zoom)
                page.wait_for_timeout(300)
            found = _label_overlaps(page)
            assert found["bad"] == [], (zoom, found)
            stats = page.evaluate("window.geomapStats")
            assert stats["labels"] + stats["hidden_labels"] == 3  # town distance, district min and max
            assert found["shown"] == stats["labels"]
        names = [_click_row(page, k)[0] for k in range(2)]
        assert any(n.startswith("Hadrut") for n in names) and any("Xocav" in n for n in names)
        legend = page.inner_text(".geomap-legend")
        assert "held by" in legend
    finally:
        ctx.__exit__(None, None, None)


def test_hidden_label_shows_on_hover(browser_ok, tmp_path, lines_2020):
    """Twelve incidents within a kilometre: labels that would cover a marker or a label wait for a hover."""
    rng = np.random.default_rng(12)
    lon, lat = 47.02 + rng.uniform(-0.004, 0.004, 12), 39.69 + rng.uniform(-0.004, 0.004, 12)
    cols = measured_columns(lon, lat, lines_2020, label=np.array([f"e{i}" for i in range(12)], dtype=object))
    data = mapdata.map_data_from_columns(cols, {"nk-line-2020": lines_2020}, base=None)
    path = render.write_page(tmp_path / "close.html", data)
    ctx, page = _open(path)
    try:
        page.evaluate("() => { window.geomapMap.setView(L.latLng(39.69, 47.02), 10, {animate: false}); }")
        page.wait_for_timeout(300)
        assert _label_overlaps(page)["bad"] == []
        stats = page.evaluate("window.geomapStats")
        assert stats["labels"] + stats["hidden_labels"] == 12
        assert stats["labels"] >= 1 and stats["hidden_labels"] >= 1  # twelve labels cannot all fit around the cluster
        hidden = page.evaluate("[...document.querySelectorAll('.geomap-dist')].filter(e => e.style.display === 'none')"
                               ".map(e => +e.getAttribute('data-row'))")
        assert len(hidden) == stats["hidden_labels"]
        # the hidden row farthest from any other dot (the hover picks the dot nearest the pointer)
        k = page.evaluate("""(rows) => { const G = window.geomap, pts = G.visibleRows().map(j => [j, G.rowPoint(j)]);
            const gap = (k) => Math.min(...pts.filter(q => q[0] !== k).map(q =>
                Math.hypot(q[1][0] - G.rowPoint(k)[0], q[1][1] - G.rowPoint(k)[1])));
            return rows.reduce((a, b) => gap(b) > gap(a) ? b : a); }""", hidden)
        pt = page.evaluate("""(k) => { const G = window.geomap, r = G.map.getContainer().getBoundingClientRect();
            return [r.left + G.rowPoint(k)[0], r.top + G.rowPoint(k)[1]]; }""", k)
        page.mouse.move(pt[0], pt[1])
        page.wait_for_timeout(200)
        shown = page.evaluate("[...document.querySelectorAll('.geomap-dist.hover')].filter(e => e.style.display !== 'none')"
                              ".map(e => +e.getAttribute('data-row'))")
        assert k in shown
        page.mouse.move(5, 400)
        page.wait_for_timeout(200)
        assert page.evaluate("[...document.querySelectorAll('.geomap-dist.hover')]"
                             ".filter(e => e.style.display !== 'none').length") == 0
    finally:
        ctx.__exit__(None, None, None)


def acled_csv(tmp_path, n=200):
    """An ACLED-shaped CSV: n events around real towns, event_id_cnty ARM<n>, location the town."""
    rng = np.random.default_rng(200)
    rows = ["event_id_cnty,event_date,location,latitude,longitude,geo_precision,notes"]
    for i in range(n):
        name, lon, lat = TOWNS[i % len(TOWNS)]
        rows.append(f"ARM{1000 + i},2022-0{1 + i % 9}-1{i % 9},{name},{lat + rng.normal(0, 0.02):.5f},"
                    f"{lon + rng.normal(0, 0.02):.5f},{1 + i % 3},shelling near {name}")
    path = tmp_path / "acled.csv"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


def test_acled_200_rows_popups_use_the_files_labels(browser_ok, tmp_path):
    from click.testing import CliRunner

    from geomap.cli import main

    csv, html = acled_csv(tmp_path), tmp_path / "acled.html"
    result = CliRunner().invoke(main, ["distance", str(csv), "--layer", "nk-line-2020", "--html", str(html), "-q",
                                       "-o", str(tmp_path / "out.csv")])
    assert result.exit_code == 0, result.output
    ctx, page = _open(html)
    try:
        assert page.evaluate("window.geomapStats.incidents") == 200
        for k in (0, 57, 199):
            heading, text = _click_row(page, k)
            assert heading == page.evaluate("(k) => window.geomap.rowName(k)", k)
            assert heading.startswith("ARM") and heading != f"row {k + 1}"
            assert f"input row\t{k + 1}" in text or f"input row {k + 1}" in text
        assert _label_overlaps(page)["bad"] == []
    finally:
        ctx.__exit__(None, None, None)


def test_several_periods_on_one_map(browser_ok, tmp_path, lines_1994, lines_2020):
    cols = two_period_columns(lines_1994, lines_2020)
    data = mapdata.map_data_from_columns(cols, {"nk-line-1994": lines_1994, "nk-line-2020": lines_2020},
                                         title="Two periods")
    path = render.write_page(tmp_path / "periods.html", data)
    ctx, page = _open(path)
    try:
        options = page.evaluate("[...document.querySelectorAll('.geomap-periods label')].map(l => l.textContent)")
        assert len(options) == 3 and options[0].startswith("All periods (12)")
        assert "nk-line-1994 (6)" in options[1] and "nk-line-2020 (6)" in options[2]
        assert page.evaluate("window.geomapStats.incidents") == 12
        for k, (layer, prefix) in enumerate([("nk-line-1994", "early"), ("nk-line-2020", "late")]):
            page.click(f".geomap-periods input[value='{k}']")
            page.wait_for_timeout(200)
            assert page.evaluate("window.geomapStats.incidents") == 6
            rows = page.evaluate("window.geomap.visibleRows()")
            assert rows == list(range(6 * k, 6 * k + 6))
            legend = page.inner_text(".geomap-legend")
            assert f"line of contact: {layer}" in legend
            other = "nk-line-2020" if k == 0 else "nk-line-1994"
            assert f"line of contact: {other}" not in legend
            heading, text = _click_row(page, rows[0])
            assert heading.startswith(prefix) and layer in text
            assert _label_overlaps(page)["bad"] == []
    finally:
        ctx.__exit__(None, None, None)


@pytest.mark.slow
def test_many_incidents_are_cells_and_popups_still_work(browser_ok, tmp_path, lines_2020):
    n = 60_000
    rng = np.random.default_rng(5)
    lon, lat = rng.uniform(45.8, 47.6, n), rng.uniform(39.0, 40.8, n)
    cols = measured_columns(lon, lat, lines_2020, label=np.array([f"event {i}" for i in range(n)], dtype=object))
    path = render.write_page(tmp_path / "many.html", mapdata.map_data_from_columns(cols, {"nk-line-2020": lines_2020}))
    ctx, page = _open(path)
    try:
        stats = page.evaluate("window.geomapStats")
        assert stats["incidents"] == n and stats["mode"] == "cells"
        page.evaluate("(p) => { window.geomapMap.setView(L.latLng(p[1], p[0]), 12, {animate: false}); }",
                      [float(lon[7]), float(lat[7])])
        page.wait_for_timeout(300)
        assert page.evaluate("window.geomapStats.mode") == "dots"
        heading, text = _click_row(page, 7)
        assert heading == "event 7" and f"{cols['distance_m'][7]:.1f} m" in text
    finally:
        ctx.__exit__(None, None, None)


def test_input_rows_stay_the_files_rows_when_some_are_not_drawn(tmp_path):
    """A row that cannot be measured is not drawn, and the rows after it keep their own 1-based numbers."""
    from click.testing import CliRunner

    from geomap.cli import main

    csv, html = tmp_path / "ev.csv", tmp_path / "ev.html"
    csv.write_text("lon,lat\n47.0318,39.52\n999,1\n46.75,39.76\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["distance", str(csv), "--layer", "nk-line-2020", "--html", str(html), "-q",
                                       "-o", str(tmp_path / "out.csv")])
    assert result.exit_code == 1, result.output  # one row could not be measured
    data = render.read_page(html.read_text(encoding="utf-8"))
    inc = mapdata.decode_incidents(data)
    assert inc["row"] == [1, 3] and inc["label"] == ["row 1", "row 3"]
