"""Issue 16: places and sides in context (context ranking, swaps, honest sides, names, place columns, --within).

Instances differ from the ones quoted in the issue; each test fails on the code before the fix.
"""

from __future__ import annotations

import csv
import json
import math
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from geomap.errors import CoordinateError, InputError, PlaceNotFound
from geomap.places.context import CONTEXT_RADIUS_M, PlaceContext, check_not_swapped, swap_suspects
from geomap.places.gazetteer import geocode, resolve_place

ROOT = Path(__file__).resolve().parent.parent
NK = "nagorno-karabakh"


def cli(*args):
    import os

    return subprocess.run([sys.executable, "-m", "geomap", *args], capture_output=True, text=True, cwd=ROOT,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})


@pytest.fixture(scope="module")
def nk():
    return PlaceContext.from_theatre(NK)


# ----------------------------------------------------------------- 1. context-aware resolution

def test_context_resolves_an_ambiguous_name_to_the_place_near_the_line(nk):
    assert geocode("Barda").best is None  # two places, none dominates
    best = resolve_place("Barda", context=nk)
    assert best.country == "AZ" and best.distance_to_context_m < CONTEXT_RADIUS_M


@pytest.mark.parametrize("name", ["Berlin", "Toronto", "Samsun"])
def test_context_never_chooses_a_far_place(nk, name):
    assert geocode(name).best is not None  # without the line it resolves
    with pytest.raises(PlaceNotFound) as exc:
        geocode(name, context=nk)
    msg = str(exc.value)
    assert "300 km" in msg and " km" in msg.split("nearest:")[1]
    for way in ("--gazetteer", "--at", "--country"):
        assert way in msg
    assert "\n" not in msg


def test_context_from_lines_and_layer_agree_with_theatre(nk):
    from geomap.layers.lineset import read_lines

    by_lines = PlaceContext.from_lines(read_lines("kashmir-loc"))
    by_layer = PlaceContext.from_layer("kashmir-loc")
    # Srinagar is about 50-100 km from the LoC; a far name is refused, Kashmir's own places are kept
    assert by_lines.distance_m(74.8, 34.08) == pytest.approx(by_layer.distance_m(74.8, 34.08), rel=1e-9)
    assert 20_000 < by_layer.distance_m(74.8, 34.08) < 150_000
    with pytest.raises(PlaceNotFound):
        geocode("Barda", context=by_layer)


def test_context_distance_never_understates_and_overstates_by_at_most_5_km():
    from geomap.layers.lineset import read_lines
    from geomap.layers.distance import distance_to_line

    lines = read_lines("nk-line-2020")
    ctx = PlaceContext.from_lines(lines)
    rng = np.random.default_rng(16)
    lon = rng.uniform(45.5, 48.0, 200)
    lat = rng.uniform(39.0, 41.0, 200)
    exact = distance_to_line(lon=lon, lat=lat, lines=lines).distance_m
    sampled = ctx.distances_m(lon, lat)
    assert np.all(sampled >= exact - 0.01 * exact - 50)  # sphere vs ellipsoid: well under 1 %
    assert np.all(sampled <= exact * 1.01 + 5_000)
    assert [ctx.distance_m(a, b) for a, b in zip(lon[:5], lat[:5])] == pytest.approx(sampled[:5].tolist())


def test_users_own_places_are_never_excluded_by_the_context(nk, tmp_path):
    gaz = tmp_path / "mine.csv"
    gaz.write_text("name,lon,lat\nFarplace,10.0,50.0\n", encoding="utf-8")
    best = resolve_place("Farplace", gazetteer=gaz, context=nk)
    assert best.source.startswith("user:") and best.distance_to_context_m > 2_000_000


def test_own_name_beats_an_alternate_name():
    # Alashkert (AM) is its own name; Eleşkirt (TR, 5x larger) only has it as an alternate name
    r = geocode("Alashkert")
    assert r.best is not None and r.best.country == "AM"
    assert "alternate name" in r.note


def test_exact_match_beats_transliteration_within_the_context(nk):
    r = geocode("Askeran", context=nk)
    assert r.best is not None and r.best.match in ("exact", "alternate", "alias")


def test_cli_place_with_theatre_refuses_far_place():
    res = cli("distance", "--place", "Toronto", "--theatre", NK, "--date", "2021-01-01")
    assert res.returncode == 2
    assert res.stderr.count("\n") == 1 and "--gazetteer" in res.stderr and "Traceback" not in res.stderr


def test_cli_geocode_takes_the_theatre():
    res = cli("geocode", "Barda", "--theatre", NK, "--format", "json")
    assert res.returncode == 0, res.stderr
    doc = json.loads(res.stdout)
    assert doc["country"] == "AZ"


# ----------------------------------------------------------------- 2. swapped coordinates

@pytest.mark.parametrize("layer,lon,lat", [
    ("nk-line-2020", 47.11, 39.79),  # Martuni
    ("kashmir-loc", 74.8, 34.08),  # Srinagar
])
def test_swapped_point_is_refused_and_the_right_one_passes(layer, lon, lat):
    ctx = PlaceContext.from_layer(layer)
    check_not_swapped(lon, lat, ctx)  # the right order passes
    with pytest.raises(CoordinateError) as exc:
        check_not_swapped(lat, lon, ctx)
    msg = str(exc.value)
    assert f"--at {lon:g},{lat:g}" in msg and f"--latlon {lat:g},{lon:g}" in msg and "\n" not in msg


def test_far_point_whose_swap_is_also_far_is_not_a_suspect(nk):
    check_not_swapped(2.35, 48.85, nk)  # Paris, far either way: measured, not refused
    assert not swap_suspects([2.35, 13.4], [48.85, 52.5], nk).any()


def test_cli_at_swapped_exits_2_and_latlon_is_accepted():
    bad = cli("distance", "--at", "39.79, 47.11", "--layer", "nk-line-2020")
    assert bad.returncode == 2 and "--latlon 39.79,47.11" in bad.stderr and bad.stderr.count("\n") == 1
    good = cli("distance", "--latlon", "39.79, 47.11", "--layer", "nk-line-2020", "--format", "json")
    assert good.returncode == 0, good.stderr
    assert json.loads(good.stdout)["distance_m"] < 10_000


def _csv(path, rows, header=("id", "lon", "lat")):
    with open(path, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(header)
        w.writerows(rows)
    return path


def test_file_single_odd_row_is_suspect_swapped_with_its_distance(tmp_path):
    from geomap.layers.lineset import read_lines
    from geomap.io.points import read_points
    from geomap.pipeline.measure import measure_table

    path = _csv(tmp_path / "p.csv", [[1, 46.93, 39.99], [2, 39.9, 46.95], [3, 46.75, 39.82], [4, 47.2, 40.0]])
    res = measure_table(read_points(path), lines=read_lines("nk-line-2020"))
    status = res.frame["status"].tolist()
    assert status == ["ok", "suspect_swapped", "ok", "ok"]
    assert res.frame["distance_m"][1] > 800_000  # still given
    assert sum(res.summary.values()) == 4 and res.summary["suspect_swapped"] == 1 and res.exit_code == 1


def test_file_with_most_rows_swapped_is_refused(tmp_path):
    path = _csv(tmp_path / "p.csv", [[1, 39.99, 46.93], [2, 39.9, 46.95], [3, 46.75, 39.82]])
    res = cli("distance", str(path), "--layer", "nk-line-2020")
    assert res.returncode == 2
    assert "--lon-col" in res.stderr and "--lat-col" in res.stderr and res.stderr.count("\n") == 1
    assert str(tmp_path) not in res.stderr  # no absolute local path


def test_a_swap_against_the_users_own_line_file_names_the_file_too(tmp_path):
    """A point that fits the user's line only when swapped: either may be the swapped one.

    The refusal named only the point ("you probably pasted LAT,LON") when the user's own line file was
    the one written lat,lon; a shipped layer is not suspected.
    """
    import shapely

    from geomap.layers.lineset import read_lines

    nk = read_lines("nk-line-2020")
    longest = max(nk.geoms, key=shapely.get_num_coordinates)
    coords = [[y, x] for x, y in shapely.get_coordinates(longest)]  # the shipped line, written lat,lon
    line = tmp_path / "front_latlon.geojson"
    line.write_text(json.dumps({"type": "Feature", "properties": {},
                                "geometry": {"type": "LineString", "coordinates": coords}}))
    lon, lat = coords[10][1] + 0.05, coords[10][0] + 0.03  # a right (lon, lat) point near the line
    at = cli("distance", "--at", f"{lon},{lat}", "--layer", str(line))
    assert at.returncode == 2 and at.stderr.count("\n") == 1, at.stderr
    assert "front_latlon.geojson may list its coordinates as lat,lon" in at.stderr
    rows = _csv(tmp_path / "p.csv", [[i, lon + 0.01 * i, lat] for i in range(3)])
    batch = cli("distance", str(rows), "--layer", str(line))
    assert batch.returncode == 2 and batch.stderr.count("\n") == 1, batch.stderr
    assert "--lon-col" in batch.stderr and "front_latlon.geojson may list its coordinates as lat,lon" in batch.stderr
    assert str(tmp_path) not in batch.stderr + at.stderr
    shipped = cli("distance", "--at", f"{lat},{lon}", "--layer", "nk-line-2020")
    assert shipped.returncode == 2 and "may list its coordinates" not in shipped.stderr


# ----------------------------------------------------------------- 3. honest sides

def test_side_rule_over_a_grid():
    from geomap.layers.lineset import read_lines
    from geomap.pipeline.incidents import Incident
    from geomap.pipeline.run import measure

    lines = read_lines("nk-line-2020")
    pts = [(lo, la) for lo in np.linspace(46.2, 47.5, 9) for la in np.linspace(39.3, 40.5, 9)]
    ms = measure([Incident(lon=a, lat=b, radius_m=1000.0) for a, b in pts], layer=lines).rows()
    seen = set()
    width = lines.layer.accuracy_m + 1000.0
    for m in ms:
        s = m.side
        seen.add(s.side)
        if abs(s.signed_distance_m) <= width:
            assert s.side == "uncertain" and s.inside_area is None
            assert s.text == f"side uncertain within the map's ±{lines.layer.accuracy_m / 1000:.1f} km"
        else:
            assert s.side == ("inside" if s.signed_distance_m < 0 else "outside")
            assert s.inside_area is (s.side == "inside")
            assert "Armenian forces" in s.text
        lo, hi = s.signed_interval_m
        assert lo == pytest.approx(s.signed_distance_m - width, abs=1e-3)
        assert hi == pytest.approx(s.signed_distance_m + width, abs=1e-3)
    assert seen == {"inside", "outside", "uncertain"}


def test_batch_side_columns_follow_the_rule(tmp_path):
    from geomap.layers.lineset import read_lines
    from geomap.io.points import read_points
    from geomap.pipeline.measure import measure_table

    # near the line (about 0.1 km), inside beyond the 10 km accuracy (11.7 km), well outside (about 25 km)
    path = _csv(tmp_path / "p.csv", [[1, 46.835, 39.938], [2, 46.7, 39.9], [3, 47.5, 39.82]])
    f = measure_table(read_points(path), lines=read_lines("nk-line-2020")).frame
    assert f["side"].tolist() == ["uncertain", "inside", "outside"]
    assert f["inside_area"].isna().tolist() == [True, False, False]
    assert "Armenian forces" in f["held_by"][1]
    assert (f["signed_distance_low_m"] <= f["signed_distance_m"]).all()
    assert (f["signed_distance_high_m"] >= f["signed_distance_m"]).all()


def test_map_popup_says_side_uncertain():
    from geomap.layers.lineset import read_lines
    from geomap.maps import data as page
    from geomap.pipeline.incidents import Incident
    from geomap.pipeline.run import measure

    lines = read_lines("nk-line-2020")
    ms = measure([Incident(lon=46.835, lat=39.938)], layer=lines).rows()
    from geomap.maps.data import decode_incidents

    inc = decode_incidents(page.map_data(ms, lines))
    assert inc["side_in"][0] is None
    assert inc["side_text"][0] == "side uncertain within the map's ±10.0 km"


def test_held_by_falls_back_for_a_file(tmp_path):
    from geomap.layers.sides import held_by

    assert held_by(str(tmp_path / "x.geojson")) == "the layer's area"
    assert "Armenian forces" in held_by("nk-area-1994")


# ----------------------------------------------------------------- 4. names people recognise

@pytest.mark.parametrize("query,stored", [("Berdzor", "Laçın"), ("Karvachar", "Kalbajar"), ("Akna", "Aghdam")])
def test_users_spelling_is_kept_beside_the_gazetteers(query, stored):
    best = resolve_place(query)
    assert best.display_name == f"{query} ({stored})"
    assert best.describe().startswith(f"{query} ({stored})")


def test_population_that_contradicts_the_mapped_kind_is_held_back():
    from geomap.places.model import plausible_population

    assert plausible_population("town", 300, "osm place tag")[0] is None
    assert plausible_population("town", 3000, "osm place tag") == (3000, None)
    assert plausible_population("village", 50, "osm place tag") == (50, None)
    best = resolve_place("Ханкенди")  # the same city, another script
    assert best.population is None and "too few for a place mapped as a city" in best.population_note


# ----------------------------------------------------------------- 5. a column of place names

def test_geocode_column_statuses_add_up(nk):
    from geomap.places.column import geocode_column

    col = geocode_column(["Barda", "Martuni", "Toronto", "", None, "Qqxxzz", "Barda"], nk)
    assert col.status.tolist() == ["ok", "ambiguous", "place_not_found", "missing_place", "missing_place",
                                   "place_not_found", "ok"]
    assert sum(col.counts().values()) == 7
    assert "[AM]" in col.candidates[1] and "[AZ]" in col.candidates[1]
    assert math.isfinite(col.lon[0]) and math.isnan(col.lon[1]) and col.radius_m[0] > 0


def test_cli_place_col(tmp_path):
    path = _csv(tmp_path / "places.csv", [[1, "Barda", "2021-02-01"], [2, "Martuni", "2021-02-01"],
                                          [3, "Toronto", "2021-02-01"]], header=("id", "where", "date"))
    out = tmp_path / "out.csv"
    res = cli("distance", str(path), "--place-col", "where", "--theatre", NK, "-o", str(out))
    assert res.returncode == 1, res.stderr  # some rows failed
    with open(out, encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert [r["status"] for r in rows] == ["ok", "ambiguous", "place_not_found"]
    assert float(rows[0]["distance_m"]) > 0 and rows[1]["place_candidates"]
    assert "3 rows" in res.stderr


# ----------------------------------------------------------------- 6. --within any polygon layer

@pytest.mark.parametrize("layer", ["nk-area-1994", "nk-area-2020", "ne-countries-50m", "az-districts"])
def test_within_takes_any_shipped_polygon_layer(layer):
    r = geocode("Askeran", within=layer)
    assert r.best is not None and r.best.country == "AZ"


def test_within_takes_a_geopackage(tmp_path):
    import geopandas as gpd
    from shapely.geometry import box

    path = tmp_path / "box.gpkg"
    gpd.GeoDataFrame({"n": [1]}, geometry=[box(46.0, 39.0, 47.5, 40.5)], crs="EPSG:4326").to_file(path)
    assert geocode("Martuni", within=str(path)).best.country == "AZ"


def test_within_a_line_layer_says_it_has_no_polygons():
    from geomap.errors import FileFormatError

    with pytest.raises(FileFormatError, match="no polygons"):
        geocode("Askeran", within="nk-line-2020")


def test_a_user_theatre_in_a_projected_geojson_gives_its_context_in_lon_lat(tmp_path, user_layer_store):
    """A store layer kept as GeoJSON with a pre-2016 crs member (EPSG:3857) is read through the one
    reader for the place context too (it was parsed as if its metres were degrees)."""
    from pyproj import Transformer

    from geomap.layers.store import add_layers

    to_merc = Transformer.from_crs(4326, 3857, always_xy=True)
    coords = [(45.80, 40.50), (45.95, 40.58), (46.10, 40.61)]
    path = tmp_path / "east-2024-03-01.geojson"
    path.write_text(json.dumps({
        "type": "FeatureCollection", "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::3857"}},
        "features": [{"type": "Feature", "properties": {"name": "east"},
                      "geometry": {"type": "LineString", "coordinates": [list(to_merc.transform(*c)) for c in coords]}}],
    }))
    add_layers(str(path), theatre="merc-test", valid_from="2024-03-01")
    context = PlaceContext.from_theatre("merc-test")
    # a vertex of the line is on it; a point 0.2 degrees north of the middle vertex is ~22 km away
    assert context.distance_m(45.95, 40.58) <= 5_000.0
    assert 17_000.0 <= context.distance_m(45.95, 40.78) <= 27_000.0
