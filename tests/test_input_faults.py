"""Inputs that once came out confidently wrong (found by the breaker3a review): each is now read right or refused.

Every kind has several instances of its own, written by the tests.
"""

from __future__ import annotations

import json

import numpy as np
import pytest

from geomap.claims import parse_claim
from geomap.cli import main
from geomap.errors import ClaimError
from geomap.io.coords import parse_angle, parse_column_angle, parse_position
from geomap.io.points import read_points


def run(runner, *args):
    result = runner.invoke(main, [str(a) for a in args])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result


# ------------------------------------------------------------------ a minus sign and a hemisphere letter together
@pytest.mark.parametrize("text", ["-39.52N", "−39.52 N", "N -39.52", "-47.03E", "E−47.03", "-39°31′12″N", "- 39.52N"])
def test_minus_sign_with_any_hemisphere_letter_is_refused(text):
    # '-39.52N' was read as 39.52 S: a contradiction measured in the other hemisphere, thousands of km away
    with pytest.raises(ValueError, match="minus sign"):
        parse_angle(text)


@pytest.mark.parametrize("at", ["-39.52N 47.0318E", "39.52N, -47.0318E", "−47.0318E 39.52N"])
def test_at_with_minus_sign_and_letter_exits_2(runner, at):
    result = run(runner, "distance", "--at", at, "--layer", "nk-line-2020", "--format", "json")
    assert result.exit_code == 2, result.output
    assert "minus sign" in result.stderr and len(result.stderr.strip().splitlines()) == 1


def test_plus_sign_with_letter_still_accepted():
    assert parse_position("+39.52N +47.0318E") == pytest.approx((47.0318, 39.52))
    assert parse_angle("39.52S") == (-39.52, "S")


def test_file_column_with_minus_sign_and_letter_is_invalid(tmp_path):
    assert np.isnan(parse_column_angle("-39.52N", "lat"))
    path = tmp_path / "x.csv"
    path.write_text("id,lon,lat\n1,47.0318E,-39.52N\n2,-47.0318E,39.52N\n3,47.0318E,39.52N\n")
    table = read_points(path)
    assert list(table.status) == ["invalid_coordinates", "invalid_coordinates", "ok"]
