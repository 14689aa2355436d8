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
