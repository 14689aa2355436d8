"""A verdict's quotable sentence prints the claim's range and the distance interval so that different
numbers never look equal: '(≥ 2 km) is inconclusive: the distance is 2–2.5 km; the interval straddles
an end' read as a self-contradiction. Expected strings worked out by hand."""

from __future__ import annotations

import pytest

from geomap.claims import claim_from_bounds, parse_claim
from geomap.verdict import judge


@pytest.mark.parametrize("claim, interval, claim_text, verdict", [
    (claim_from_bounds(None, min_km=2.0001, max_km=None), (2000.0, 2500.0), "≥ 2.0001 km", "inconclusive"),
    (claim_from_bounds(None, min_km=1.9945, max_km=3.994477), (1994.477, 3994.477), "1.9945–3.99448 km",
     "inconclusive"),
    (parse_claim("less than 4.9996 km"), (4999.5, 6000.0), "strictly ≤ 4.9996 km", "inconclusive"),
    (claim_from_bounds(None, min_km=None, max_km=7.9999), (7999.95, 9000.0), "≤ 7.9999 km", "contradicted"),
])
def test_the_claims_range_is_printed_apart_from_the_interval(claim, interval, claim_text, verdict):
    v = judge(claim, interval)
    assert v.verdict == verdict
    assert f"({claim_text}" in v.sentence, v.sentence


def test_plain_numbers_keep_two_decimals():
    v = judge(parse_claim("dozens of km"), (19_300.0, 19_700.0))
    assert "(strictly 24–96 km, leniently 20–100 km)" in v.sentence
    assert "minimum of 20 km" in v.sentence
