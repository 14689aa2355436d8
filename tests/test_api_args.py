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
