"""Positions pasted as map links, geo: URIs, Plus Codes and MGRS references (``--at``, ``--latlon``).

They were refused as "not two numbers"; a user who then copied the numbers out of a Google Maps link
(latitude first) into --at risked the swap.  Links are latitude first whatever the option says: a place's
pin (!3d..!4d) wins over the view's centre (@lat,lon), OpenStreetMap's marker (mlat/mlon) over #map=.
Plus Codes and MGRS references name squares: their centre is taken when the square is ~15 m or less,
else refused in one line; a short Plus Code (no area) and a shortened link (no coordinates) too.
"""

from __future__ import annotations

import json

import pytest
from geographiclib.geodesic import Geodesic
from pyproj import Transformer

from geomap.cli import main
from geomap.io.coords import parse_position

SHUSHA = (46.7528, 39.8177)  # lon, lat
PIN = (46.7509, 39.7613)

LINKS = [  # (text, (lon, lat) expected)
    ("https://www.google.com/maps/@39.8177,46.7528,14z", SHUSHA),
    ("https://www.google.com/maps/place/Shusha/@39.81,46.70,17z/data=!3m1!4b1!4m5!3m4!1s0x0:0x0!8m2!3d39.7613"
     "!4d46.7509", PIN),                                    # the pin, not the view
    ("https://www.google.com/maps?q=39.8177,46.7528", SHUSHA),
    ("https://www.google.com/maps/search/?api=1&query=39.8177%2C46.7528", SHUSHA),
    ("https://www.openstreetmap.org/#map=14/39.8177/46.7528", SHUSHA),
    ("https://www.openstreetmap.org/?mlat=39.7613&mlon=46.7509#map=12/39.8177/46.7528", PIN),
    ("geo:39.8177,46.7528", SHUSHA),
    ("geo:39.8177,46.7528;u=35", SHUSHA),
    ("geo:0,0?q=39.8177,46.7528(Shusha)", SHUSHA),
]


def _metres(a, b):
    return Geodesic.WGS84.Inverse(a[1], a[0], b[1], b[0])["s12"]


@pytest.mark.parametrize("order", ["lonlat", "latlon"])
@pytest.mark.parametrize("text,want", LINKS)
def test_links_are_read_latitude_first(text, want, order):
    assert _metres(parse_position(text, order), want) < 0.01


def test_plus_code_centre():
    # 8HF8RQ93+34: the ~14 m square around Shusha's centre (Open Location Code spec)
    assert _metres(parse_position("8HF8RQ93+34"), SHUSHA) < 15
    assert _metres(parse_position("8hf8rq93+34"), SHUSHA) < 15


@pytest.mark.parametrize("text,size", [("38SPK5001908993", 1), ("38S PK 50019 08993", 1), ("38SPK50010899", 10)])
def test_mgrs_centre_against_utm(text, size):
    # MGRS 38S PK = UTM zone 38N, 100 km square at E 600 km, N 4400 km
    east, north = (650019, 4408993) if size == 1 else (650010, 4408990)
    utm = Transformer.from_crs("EPSG:32638", "EPSG:4326", always_xy=True).transform(east + size / 2, north + size / 2)
    assert _metres(parse_position(text), utm) < 1


@pytest.mark.parametrize("text,words", [
    ("8HF8RQ93+", "277 m"),                    # an 8-digit Plus Code: a ~280 m square
    ("RQ93+34 Shusha", "short Plus Code"),
    ("38SPK5008", "1,000 m"),                  # an MGRS kilometre square
    ("38SPK", "100 km"),
    ("https://maps.app.goo.gl/AbCdEf", "shortened link"),
    ("https://www.google.com/maps/place/Shusha", "without coordinates"),
    ("geo:39.8,46.7;crs=epsg:32638", "not WGS84"),
    # directions between two places: the view's centre (@) is neither
    ("https://www.google.com/maps/dir/39.8177,46.7528/39.7613,46.7509/@39.79,46.75,13z", "directions link"),
    ("https://www.openstreetmap.org/directions?engine=fossgis_osrm_car&route=39.8177%2C46.7528%3B39.7613%2C46.7509"
     "#map=13/39.79/46.75", "directions link"),
])
def test_links_without_a_point_are_refused_in_one_line(runner, text, words):
    result = runner.invoke(main, ["distance", "--at", text, "--layer", "nk-line-2020"])
    assert result.exit_code == 2, result.output
    assert words in result.stderr and len(result.stderr.strip().splitlines()) == 1, result.stderr


def test_cli_measures_a_google_link_as_the_numbers_in_the_right_order(runner):
    link = runner.invoke(main, ["distance", "--at", LINKS[1][0], "--layer", "nk-line-2020", "--format", "json"])
    plain = runner.invoke(main, ["distance", "--at", "46.7509,39.7613", "--layer", "nk-line-2020", "--format", "json"])
    assert link.exit_code == plain.exit_code == 0, link.output
    got, want = json.loads(link.stdout), json.loads(plain.stdout)
    assert got["distance_m"] == want["distance_m"] and got["incident"] == want["incident"]
