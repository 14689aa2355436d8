"""Tests for geomap.verdict: supported / contradicted / inconclusive, at the boundaries."""

from __future__ import annotations

import json
import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from geomap.claims import Claim, Range, claim_from_bounds, parse_claim
from geomap.errors import InputError
from geomap.verdict import EXIT_CODES, judge

KARABAKH = (
    "is located dozens of kilometers from the nearest section of the Armenian-Azerbaijani line of contact"
)


def _vague(strict, lenient, unit="km"):
    return Claim("test claim", "test claim", "test", "why", None, Range(*strict), Range(*lenient), unit)


def test_seed_case_is_contradicted():
    verdict = judge(parse_claim(KARABAKH), (19_300.0, 19_700.0), evidence={"layer": "test"})
    assert verdict.verdict == "contradicted"
    assert verdict.exit_code == 10
    assert verdict.deciding_reading == "lenient"
    assert verdict.per_reading == {"strict": "contradicted", "lenient": "contradicted"}
    assert verdict.margin_m == pytest.approx(300.0)
    assert verdict.sentence == (
        "The claim 'dozens of kilometers' (strictly 24–96 km, leniently 20–100 km) is contradicted: "
        "the distance is 19.3–19.7 km, below even the lenient reading's minimum of 20 km."
    )
    assert verdict.evidence == {"layer": "test"}


def test_exit_codes_are_the_documented_ones():
    assert EXIT_CODES == {"supported": 0, "contradicted": 10, "inconclusive": 11}


# user bounds: one reading, closed range [20 km, 30 km]
BOUNDS = claim_from_bounds(None, min_km=20, max_km=30)


@pytest.mark.parametrize(
    ("interval", "expected"),
    [
        ((20_000.0, 30_000.0), "supported"),  # exactly the range: closed ends are inside
        ((20_000.0, 20_000.0), "supported"),  # a point on the lower end
        ((30_000.0, 30_000.0), "supported"),  # a point on the upper end
        ((25_000.0, 25_000.0), "supported"),
        ((19_999.999, 30_000.0), "inconclusive"),  # sticks out by 1 mm
        ((20_000.0, 30_000.001), "inconclusive"),
        ((15_000.0, 20_000.0), "inconclusive"),  # touches the lower end in one point
        ((30_000.0, 31_000.0), "inconclusive"),  # touches the upper end in one point
        ((15_000.0, 19_999.999), "contradicted"),
        ((30_000.001, 31_000.0), "contradicted"),
        ((0.0, 0.0), "contradicted"),
        ((10_000.0, 40_000.0), "inconclusive"),  # covers the whole range and more
    ],
)
def test_boundaries_single_reading(interval, expected):
    verdict = judge(BOUNDS, interval)
    assert verdict.verdict == expected
    assert verdict.exit_code == EXIT_CODES[expected]


# dozens: strict [24, 96] km, lenient [20, 100] km
DOZENS = parse_claim("dozens of kilometres")


@pytest.mark.parametrize(
    ("interval", "verdict", "strict", "lenient"),
    [
        ((24_000.0, 96_000.0), "supported", "supported", "supported"),
        ((24_000.0, 24_000.0), "supported", "supported", "supported"),
        ((96_000.0, 96_000.0), "supported", "supported", "supported"),
        ((23_999.0, 24_000.0), "inconclusive", "inconclusive", "supported"),
        ((20_000.0, 23_000.0), "inconclusive", "contradicted", "supported"),
        ((20_000.0, 20_000.0), "inconclusive", "contradicted", "supported"),
        ((19_999.0, 20_000.0), "inconclusive", "contradicted", "inconclusive"),
        ((19_000.0, 25_000.0), "inconclusive", "inconclusive", "inconclusive"),
        ((19_300.0, 19_700.0), "contradicted", "contradicted", "contradicted"),
        ((19_999.999, 19_999.999), "contradicted", "contradicted", "contradicted"),
        ((96_000.0, 100_000.0), "inconclusive", "inconclusive", "supported"),
        ((97_000.0, 100_000.0), "inconclusive", "contradicted", "supported"),
        ((100_000.0, 100_000.0), "inconclusive", "contradicted", "supported"),
        ((100_000.001, 120_000.0), "contradicted", "contradicted", "contradicted"),
    ],
)
def test_boundaries_two_readings(interval, verdict, strict, lenient):
    result = judge(DOZENS, interval)
    assert result.verdict == verdict
    assert result.per_reading == {"strict": strict, "lenient": lenient}


def test_reasons_name_the_deciding_reading():
    only_lenient = judge(DOZENS, (21_000.0, 22_000.0))
    assert only_lenient.reason.startswith("supported only under the lenient reading")
    assert only_lenient.deciding_reading == "both"
    assert "supported only under the lenient reading" in only_lenient.sentence
    assert judge(DOZENS, (30_000.0, 31_000.0)).deciding_reading == "strict"
    assert judge(DOZENS, (10_000.0, 11_000.0)).deciding_reading == "lenient"
    straddle = judge(DOZENS, (19_000.0, 25_000.0))
    assert "both readings" in straddle.reason
    strict_only = judge(DOZENS, (19_999.0, 20_500.0))
    assert strict_only.reason.startswith("contradicted only under the strict reading")


def test_margins():
    v = judge(DOZENS, (30_000.0, 31_000.0))
    assert v.margin_m == pytest.approx(6_000.0)
    assert v.margins["strict"] == {"lo_minus_min_m": 6_000.0, "max_minus_hi_m": 65_000.0}
    assert v.margins["lenient"] == {"lo_minus_min_m": 10_000.0, "max_minus_hi_m": 69_000.0}
    above = judge(DOZENS, (100_500.0, 101_000.0))
    assert above.margin_m == pytest.approx(500.0)
    assert "above even the lenient reading's maximum of 100 km" in above.sentence
    assert judge(DOZENS, (21_000.0, 22_000.0)).margin_m is None
    open_ended = judge(parse_claim("more than 80 km"), (90_000.0, 95_000.0))
    assert open_ended.verdict == "supported"
    assert open_ended.margin_m == pytest.approx(10_000.0)
    assert open_ended.margins["strict"]["max_minus_hi_m"] is None


def test_supported_sentence_and_units():
    v = judge(parse_claim("about 30 miles"), (45_000.0, 46_000.0))
    assert v.verdict == "supported"
    assert v.sentence.startswith("The claim 'about 30 miles' (strictly 27–33 mi, leniently 22.5–37.5 mi) is supported")
    assert "(45–46 km)" in v.sentence


def test_user_bounds_sentence():
    v = judge(claim_from_bounds(None, min_km=20, max_km=None), (19_300.0, 19_700.0))
    assert v.sentence == (
        "The claimed range (≥ 20 km) is contradicted: the distance is 19.3–19.7 km, below the claimed minimum of 20 km."
    )


def test_sentence_keeps_close_values_distinct():
    v = judge(BOUNDS, (19_999.0, 19_999.6))
    assert v.verdict == "contradicted"
    assert "19.999–19.9996 km" in v.sentence


def test_to_dict_is_json_ready():
    v = judge(parse_claim(KARABAKH), (19_300.0, 19_700.0), evidence={"layer_id": "x", "point": [46.7, 39.8]})
    data = json.loads(json.dumps(v.to_dict(), sort_keys=True, ensure_ascii=False))
    assert data["verdict"] == "contradicted"
    assert data["exit_code"] == 10
    assert data["distance_interval_m"] == [19_300.0, 19_700.0]
    assert data["claim"]["rule"] == "dozens"
    assert data["claim"]["lenient"] == {"min_m": 20_000.0, "max_m": 100_000.0}
    assert data["evidence"]["layer_id"] == "x"
    assert data["geomap_version"]
    assert "closed ranges" in data["rule"]


@pytest.mark.parametrize(
    "interval",
    [(5.0, 3.0), (-1.0, 2.0), (float("nan"), 1.0), (1.0, float("inf")), ("a", "b"), (1.0,), None],
)
def test_bad_interval_raises_input_error(interval):
    with pytest.raises(InputError) as info:
        judge(DOZENS, interval)
    assert "\n" not in str(info.value)


# ----------------------------------------------------------------- properties

_M = st.floats(min_value=0, max_value=1e7, allow_nan=False)


@st.composite
def claims_and_intervals(draw):
    points = sorted(draw(st.lists(_M, min_size=4, max_size=4)))
    l_lo, s_lo, s_hi, l_hi = points
    open_hi = draw(st.booleans())
    strict = Range(s_lo, None if open_hi else s_hi)
    lenient = Range(l_lo, None if open_hi else l_hi)
    lo, hi = sorted(draw(st.lists(_M, min_size=2, max_size=2)))
    return _vague((strict.min_m, strict.max_m), (lenient.min_m, lenient.max_m)), (lo, hi)


@settings(max_examples=500)
@given(claims_and_intervals())
def test_verdict_matches_its_definition(case):
    claim, (lo, hi) = case
    v = judge(claim, (lo, hi))
    s_hi = math.inf if claim.strict.max_m is None else claim.strict.max_m
    l_hi = math.inf if claim.lenient.max_m is None else claim.lenient.max_m
    inside_strict = claim.strict.min_m <= lo and hi <= s_hi
    disjoint_lenient = hi < claim.lenient.min_m or lo > l_hi
    expected = "supported" if inside_strict else "contradicted" if disjoint_lenient else "inconclusive"
    assert v.verdict == expected
    if v.margin_m is not None:
        assert v.margin_m >= 0


@settings(max_examples=300)
@given(claims_and_intervals(), st.floats(0, 1), st.floats(0, 1))
def test_narrowing_the_interval_keeps_a_decided_verdict(case, a, b):
    claim, (lo, hi) = case
    v = judge(claim, (lo, hi))
    x, y = sorted((lo + a * (hi - lo), lo + b * (hi - lo)))
    x, y = max(lo, min(x, hi)), max(lo, min(y, hi))
    narrower = judge(claim, (x, y))
    if v.verdict in ("supported", "contradicted"):
        assert narrower.verdict == v.verdict


# ----------------------------------------------------------------- number formatting in sentences

from geomap.claims import distinct_decimals, format_length, format_range  # noqa: E402


def test_format_length_and_range():
    assert format_length(19_300.0) == "19.3 km"
    assert format_length(850.0) == "850 m"
    assert format_length(1_609.344, unit="mi") == "1 mi"
    assert format_length(2_500_000.0) == "2,500 km"
    assert format_range(19_300.0, 19_700.0) == "19.3–19.7 km"
    assert format_range(19_999.0, 19_999.6) == "19.999–20 km"  # alone: ordinary rounding


def test_distinct_decimals_never_merges_different_values():
    assert distinct_decimals((19_999.0, 19_999.6), avoid_m=(20_000.0,)) == 4
    assert distinct_decimals((19_300.0, 19_700.0), avoid_m=(20_000.0, 24_000.0)) == 2


def test_imperial_claim_sentence_gives_metric_too():
    v = judge(parse_claim("within 10 nautical miles"), (18_000.0, 19_000.0))
    assert v.verdict == "inconclusive"
    assert "nmi (18–19 km)" in v.sentence
