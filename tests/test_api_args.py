"""The public API given wrong-typed or mis-shaped arguments: a clear refusal (a geomap error naming the fix),
never a raw TypeError/IndexError and never a confident answer to a question that was not asked."""

from __future__ import annotations

import numpy as np
import pytest

import geomap
from geomap.errors import GeomapError, InputError


@pytest.mark.parametrize("low, high", [
    ([70_000.0], [5_000.0]),            # ends exchanged: was 'contradicted' with a 46 km margin
    ([-5_000.0, 30_000.0], [40_000.0, 40_000.0]),  # a negative distance
    ([5_000.0, 30_000.0], [40_000.0]),  # one high for two lows: was broadcast
])
def test_judge_intervals_refuses_intervals_judge_refuses(low, high):
    claim = geomap.parse_claim("dozens of km")
    with pytest.raises(InputError, match="interval"):
        geomap.judge_intervals(claim, low, high)
    ok = geomap.judge_intervals(claim, [30_000.0, np.nan], [40_000.0, np.nan])  # NaN: not measured, as before
    assert ok["verdict"].tolist() == [0, -1]


@pytest.mark.parametrize("claim", ["dozens of km", 20, None])
def test_judge_takes_a_claims_text_or_refuses_what_is_not_one(claim):
    """judge('dozens of km', ...) failed with AttributeError ('str' object has no attribute 'strict'),
    as measure(..., claim=20) did; the text is read as measure reads it, anything else is refused."""
    if isinstance(claim, str):
        assert geomap.judge(claim, (30_000.0, 40_000.0)).verdict == "supported"
        assert geomap.judge_intervals(claim, [30_000.0], [40_000.0])["verdict"].tolist() == [0]
        return
    with pytest.raises(GeomapError, match="claim"):
        geomap.judge(claim, (30_000.0, 40_000.0))
    if claim is not None:  # None: measure only
        with pytest.raises(GeomapError, match="claim"):
            geomap.measure(at=[(47.0318, 39.52)], layer="nk-line-2020", claim=claim)


@pytest.mark.parametrize("at", [
    (47.0318, 39.52),          # one pair, not a list of pairs: raw TypeError
    "47.0318,39.52",           # the CLI's text: raw IndexError
    [(47.0318,)],              # half a pair: raw IndexError
    [(47.0318, 39.52, 5000)],  # a third number (a radius? a height?) was dropped without a word
])
def test_at_takes_a_list_of_lon_lat_pairs_and_refuses_anything_else(at):
    with pytest.raises(InputError, match=r"at=\[\(lon, lat\)"):
        geomap.measure(at=at, layer="nk-line-2020")
    with pytest.raises(InputError, match=r"latlon=\[\(lon, lat\)"):
        geomap.IncidentSource(latlon=at)


def test_places_given_as_one_name_is_one_place_not_its_letters():
    """places='Hadrut' was taken letter by letter and refused with "no place called 'H'"."""
    one = geomap.measure(places="Hadrut", theatre="nagorno-karabakh", date="2020-12-27")
    listed = geomap.measure(places=["Hadrut"], theatre="nagorno-karabakh", date="2020-12-27")
    assert len(one) == 1
    assert one.frame["distance_m"].tolist() == listed.frame["distance_m"].tolist()


@pytest.mark.parametrize("layer", [5, 3.5, ["nk-line-2020"]])
def test_a_layer_that_is_not_a_name_or_path_is_refused(layer):
    """measure(layer=5), read_lines(None), distance_to_line(..., 5) failed with a raw TypeError."""
    with pytest.raises(InputError, match="layer"):
        geomap.measure(at=[(47.0318, 39.52)], layer=layer)
    with pytest.raises(InputError, match="layer"):
        geomap.distance_to_line(47.0318, 39.52, layer)


@pytest.mark.parametrize("lon, lat, spec", [
    (39.52, 47.0318, dict(layer="nk-line-2020")),                         # Incident(lat, lon) by position
    (39.6, 46.9, dict(theatre="nagorno-karabakh", date="2021-01-05")),
])
def test_an_incident_given_lat_first_is_refused_as_at_is(lon, lat, spec):
    """measure([Incident(39.52, 47.0318)], ...) was measured 931 km from the line and 'over 100 km' came out
    supported (exit 0), where at=[(39.52, 47.0318)] is refused as a likely LAT,LON paste."""
    from geomap.errors import CoordinateError

    with pytest.raises(CoordinateError, match="latitude,longitude"):
        geomap.measure(at=[(lon, lat)], **spec)
    with pytest.raises(CoordinateError, match="latitude,longitude"):
        geomap.measure([geomap.Incident(lon, lat)], claim="over 100 km", **spec)
    right = geomap.measure([geomap.Incident(lat, lon)], claim="over 100 km", **spec)
    assert right.rows()[0].nearest.distance_m < 50_000


@pytest.mark.parametrize("lon, lat", [
    ([[47.0318, 46.5]], [[39.52, 39.9]]),   # a 1x2 table of points: raw IndexError
    ([[47.0318], [46.5]], [[39.52], [39.9]]),
])
def test_distance_to_line_takes_one_lon_and_one_lat_per_point_in_1d(lon, lat):
    from geomap.errors import CoordinateError

    with pytest.raises(CoordinateError, match="1-D"):
        geomap.distance_to_line(lon, lat, "nk-line-2020")
    flat = geomap.distance_to_line(np.ravel(lon), np.ravel(lat), "nk-line-2020")
    assert flat.distance_m.shape == (2,)


def test_a_file_given_as_the_incidents_is_read_as_path_is(tmp_path):
    """measure(Path('events.csv')) failed with a raw TypeError ('PosixPath' object is not iterable), and
    measure('events.csv') was refused as if it were a list of (lon, lat) pairs."""
    src = tmp_path / "events.csv"
    src.write_text("lon,lat\n47.0318,39.52\n46.5,39.9\n", encoding="utf-8")
    want = geomap.measure(path=str(src), layer="nk-line-2020").frame["distance_m"].tolist()
    for given in (src, str(src)):
        assert geomap.measure(given, layer="nk-line-2020").frame["distance_m"].tolist() == want
    with pytest.raises(InputError, match="once"):
        geomap.measure(src, path=str(src), layer="nk-line-2020")


@pytest.mark.parametrize("name", [["Hadrut"], ("Hadrut", "Shusha"), 5])
def test_geocode_names_what_it_was_given_when_it_is_not_one_name(name):
    """geocode(['Hadrut']) said 'the place name is empty'."""
    with pytest.raises(InputError, match="one name") as info:
        geomap.geocode(name)
    assert "empty" not in str(info.value)


@pytest.mark.parametrize("radius", ["5km", None, [5000]])
def test_a_radius_that_is_not_a_number_of_metres_is_refused(radius):
    with pytest.raises(InputError, match="radius_m must be a finite number of metres"):
        geomap.measure(at=[(47.0318, 39.52)], layer="nk-line-2020", radius_m=radius)


def test_write_map_takes_a_result_or_its_rows_and_refuses_what_it_cannot_draw(tmp_path):
    """write_map(path, result, ...) failed with TypeError ('Result' object is not iterable), a layer id or None
    as the line with AttributeError ('str' object has no attribute 'geoms'), and 'map.png' got an HTML page."""
    result = geomap.measure(at=[(47.0318, 39.52)], layer="nk-line-2020", claim="dozens of km")
    whole = geomap.write_map(tmp_path / "a.html", result, None)
    by_rows = geomap.write_map(tmp_path / "b.html", result.rows(), "nk-line-2020")
    for page in (whole, by_rows):
        assert page.read_text(encoding="utf-8").lstrip().lower().startswith("<!doctype html")
    with pytest.raises(InputError, match="line"):
        geomap.write_map(tmp_path / "c.html", result.rows(), None)
    with pytest.raises(InputError, match=r"\.html"):
        geomap.write_map(tmp_path / "d.png", result, None)
    with pytest.raises(InputError, match=r"\.html"):
        geomap.add_result_map(result, html=tmp_path / "d.txt")
    with pytest.raises(InputError, match="rows"):
        geomap.write_map(tmp_path / "e.html", [(47.0318, 39.52)], "nk-line-2020")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.html", "b.html"]
