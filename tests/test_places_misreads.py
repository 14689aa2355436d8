"""Place names that resolved, with confidence, to a different place near the line.

A name that is some place's own name far away and, near the theatre's line, only the
transliteration key of another place ('Tallinn' -> Talin, AM; 'Sos' -> Shosh, AZ;
'Sousse' -> Shusha) must be refused with the ways out, never read as that other place.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from geomap.errors import PlaceNotFound
from geomap.places.context import PlaceContext
from geomap.places.gazetteer import geocode

ROOT = Path(__file__).resolve().parent.parent
NK = "nagorno-karabakh"


@pytest.fixture(scope="module")
def nk():
    return PlaceContext.from_theatre(NK)


@pytest.mark.parametrize("name, wrong", [
    ("Sos", "Shosh"),
    ("Tallinn", "Talin"),
    ("Sousse", "Shusha"),
    ("Luxembourg", "Bolnisi"),
    ("Gapan", "Kapan"),
])
def test_a_far_own_name_is_not_taken_for_a_near_transliteration(nk, name, wrong):
    assert geocode(name).best is None or geocode(name).best.name != wrong  # without the line: not that place
    with pytest.raises(PlaceNotFound) as exc:
        geocode(name, context=nk)
    msg = str(exc.value)
    assert wrong in msg and "--gazetteer" in msg and "--at" in msg and "\n" not in msg


@pytest.mark.parametrize("name, stored", [
    ("Шуша", "Shusha"),
    ("Հադրութ", "Hadrut"),
    ("Stepanakert", "Khankendi"),
    ("Shushi", "Shusha"),
    ("Tog", "Togh"),   # TOG is only an alternate name (a code) of Togiak, US: not a far place's own name
])
def test_names_of_places_near_the_line_in_other_scripts_still_resolve(nk, name, stored):
    best = geocode(name, context=nk).best
    assert best is not None
    assert stored in best.describe()


def test_cli_refuses_a_far_own_name_in_one_line():
    res = subprocess.run([sys.executable, "-m", "geomap", "distance", "--place", "Tallinn", "--theatre", NK,
                          "--date", "2021-01-01"], capture_output=True, text=True, cwd=ROOT,
                         env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert res.returncode == 2
    assert res.stderr.count("\n") == 1 and "Talin" in res.stderr and "Traceback" not in res.stderr


# --- a name found only outside the theatre's region: the place meant may be missing --------------

@pytest.mark.parametrize("name, country", [
    ("Getashen", "AM"),   # the Getashen of Nagorno-Karabakh (Çaykənd, Goranboy) is not in the gazetteer
    ("Gyumri", "AM"),
    ("Геташен", "AM"),
])
def test_a_place_outside_the_theatres_region_needs_confirming(nk, name, country):
    assert geocode(name).best is not None  # without the line it resolves
    with pytest.raises(PlaceNotFound) as exc:
        geocode(name, context=nk)
    msg = str(exc.value)
    assert f"--country {country}" in msg and "--gazetteer" in msg and "\n" not in msg
    confirmed = geocode(name, context=nk, country=country).best
    assert confirmed is not None and confirmed.country == country


@pytest.mark.parametrize("name", ["Yerevan", "Ganja", "Goris", "Hadrut"])
def test_places_in_the_theatres_region_resolve_by_name(nk, name):
    assert geocode(name, context=nk).best is not None


def test_a_front_line_village_missing_from_the_gazetteer_is_not_replaced_by_a_far_namesake():
    # Vodiane on the Donbas line (by Avdiivka, by Mariupol) is not in the gazetteer; the only Vodiane found is
    # 227 km from the line, and was measured as if it were the one meant
    with pytest.raises(PlaceNotFound, match="--country UA"):
        geocode("Vodiane", context=PlaceContext.from_theatre("donbas"))


def test_cli_getashen_with_the_theatre_is_refused_and_country_confirms():
    base = [sys.executable, "-m", "geomap", "distance", "--place", "Getashen", "--theatre", NK, "--date", "2021-01-01"]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    res = subprocess.run(base, capture_output=True, text=True, cwd=ROOT, env=env)
    assert res.returncode == 2 and res.stderr.count("\n") == 1 and "Armavir" in res.stderr
    res = subprocess.run(base + ["--country", "AM"], capture_output=True, text=True, cwd=ROOT, env=env)
    assert res.returncode == 0 and "Getashen" in res.stdout


# --- 'near X' is not X: the place's own radius would understate how far the scene may be ----------

@pytest.mark.parametrize("query", ["near Hadrut", "outskirts of Hadrut", "под Гадрутом", "Hadrut yaxınlığında",
                                   "біля Гадрута"])
def test_a_place_near_a_named_place_is_refused(nk, query):
    from geomap.errors import InputError

    with pytest.raises(InputError, match="--at LON,LAT"):
        geocode(query, context=nk)


def test_radius_with_a_place_is_refused_not_ignored():
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    res = subprocess.run([sys.executable, "-m", "geomap", "distance", "--place", "Hadrut", "--radius-m", "10000",
                          "--theatre", NK, "--date", "2021-01-01"], capture_output=True, text=True, cwd=ROOT, env=env)
    assert res.returncode == 2 and res.stderr.count("\n") == 1 and "--radius-m" in res.stderr


# --- a former or alternate name of a place outside the line's immediate area ----------------------

@pytest.mark.parametrize("name, found", [
    ("Çaykənd", "Dprabak"),     # the Getashen of Nagorno-Karabakh in Azerbaijani; a former name of Dprabak (AM)
    ("Yenikend", "Goravan"),    # a common Azerbaijani village name; a former name of Goravan (AM), 73 km away
    ("Shirazlu", "Vosketap"),
])
def test_another_name_of_a_place_beyond_50_km_is_refused(nk, name, found):
    assert geocode(name).best.name == found  # without the line it resolves
    with pytest.raises(PlaceNotFound, match="not its own") as exc:
        geocode(name, context=nk)
    assert "--country AM" in str(exc.value)


@pytest.mark.parametrize("name", ["Stepanakert", "Berdzor", "Karvachar", "Kubatly", "Yerevan"])
def test_other_names_near_the_line_and_own_names_in_the_region_resolve(nk, name):
    assert geocode(name, context=nk).best is not None
