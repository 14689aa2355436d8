"""Coordinates pasted by hand (``--at``, ``--latlon``, text columns): read right, or refused when they read two ways.

Found by the breaker4b review; every kind has several instances of its own.
"""

from __future__ import annotations

import numpy as np
import pytest

from geomap.cli import main
from geomap.io.coords import parse_angle, parse_position
from geomap.io.points import read_points


def run(runner, *args):
    result = runner.invoke(main, [str(a) for a in args])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result


# ------------------------------------------------------------------ a stray space inside a number
@pytest.mark.parametrize(("text", "axis"), [
    ("4 7.03", "lon"),    # 47.03 or 4°7.03′ (was read as 4.117°, 3,500 km away)
    ("47 .03", "lon"),    # 47.03 or 47°0.03′ (was 47.0005°, 2.5 km off)
    ("47 ,03", "lon"),    # the same with a decimal comma
    ("3 9.52", "lat"),
    ("1 30", "lon"),      # 130 or 1°30′
    ("4 7.03N", None),    # a hemisphere letter does not settle it
    ("E 4 6 45", None),   # 46°45′ or 4°6′45″
])
def test_numbers_parted_by_a_bare_space_that_also_read_as_one_number_are_refused(text, axis):
    with pytest.raises(ValueError, match="ambiguous"):
        parse_angle(text, axis)


@pytest.mark.parametrize(("text", "axis", "degrees"), [
    ("39 31 12", "lat", 39.52),       # 393112 is no angle
    ("47 01 54", "lon", 47.031667),
    ("39 31.2 N", None, 39.52),
    ("1 30", "lat", 1.5),              # 130 is no latitude
    ("0 30", "lon", 0.5),              # nobody writes 030
    ("4°7.03′", "lon", 4.117167),      # marked: degrees and minutes, whatever the spaces
    ("4° 7.03′", "lon", 4.117167),
    ("47°.03′", "lon", 47.0005),
    ("47.03", "lon", 47.03),
])
def test_marked_or_unambiguous_degrees_minutes_seconds_still_read(text, axis, degrees):
    assert parse_angle(text, axis)[0] == pytest.approx(degrees, abs=1e-6)


@pytest.mark.parametrize("at", ["4 7.03, 39.8", "47 .03,39.8", "39.8N 4 7.03E", "46.75, 3 9.8"])
def test_at_with_a_stray_space_exits_2_in_one_line(runner, at):
    result = run(runner, "distance", "--at", at, "--layer", "nk-line-2020", "--format", "json")
    assert result.exit_code == 2, result.output
    assert "ambiguous" in result.stderr and len(result.stderr.strip().splitlines()) == 1, result.stderr


def test_file_column_with_a_stray_space_is_invalid_not_measured(tmp_path):
    path = tmp_path / "x.csv"
    path.write_text('id,lon,lat\n1,4 7.03,39.8\n2,47 .03,39.8\n3,46.75,3 9.8\n4,47 01 54,39 31 12\n5,46.75,39.8\n')
    table = read_points(path)
    assert list(table.status) == ["invalid_coordinates"] * 3 + ["ok", "ok"]
    assert np.allclose(table.lon[3:], [47.031667, 46.75]) and np.allclose(table.lat[3:], [39.52, 39.8])


# ------------------------------------------------------------------ a comma that may be a decimal comma
@pytest.mark.parametrize(("text", "order"), [
    ("47,5 39", "lonlat"),        # 47 and 5°39′, or 47.5 and 39 (was (47, 5.65): 3,750 km away)
    ("46,75 39", "lonlat"),
    ("39,8 46", "latlon"),
])
def test_a_comma_and_spaces_that_read_two_ways_are_refused(text, order):
    with pytest.raises(ValueError, match="ambiguous"):
        parse_position(text, order)


@pytest.mark.parametrize(("text", "order", "lonlat"), [
    ("46,75;39,8", "lonlat", (46.75, 39.8)),     # a semicolon parts them: the commas are decimal commas
    ("46,75; 39,8", "lonlat", (46.75, 39.8)),
    ("47,5 39,8", "lonlat", (47.5, 39.8)),       # only one reading gives two numbers
    ("39,8 46,75", "latlon", (46.75, 39.8)),
    ("47, 39", "lonlat", (47.0, 39.0)),
    ("39 31 12, 47 01 54", "latlon", (47.031667, 39.52)),
])
def test_decimal_commas_that_read_one_way_are_read(text, order, lonlat):
    assert parse_position(text, order) == pytest.approx(lonlat, abs=1e-6)


def test_at_and_latlon_with_decimal_commas(runner):
    import json

    for flag, text in (("--at", "46,75;39,8"), ("--latlon", "39,8; 46,75")):
        result = run(runner, "distance", flag, text, "--layer", "nk-line-2020", "--format", "json")
        assert result.exit_code == 0, result.stderr
        got = json.loads(result.stdout)["incident"]
        assert (got["lon"], got["lat"]) == pytest.approx((46.75, 39.8))
    result = run(runner, "distance", "--at", "47,5 39", "--layer", "nk-line-2020", "--format", "json")
    assert result.exit_code == 2 and "ambiguous" in result.stderr, result.output
