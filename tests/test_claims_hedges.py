"""Claim wordings testers found read wrong with confidence (a hedge, a second figure, an object, a blank
label): each must be read by a documented rule of docs/claims.md or refused in one line naming the fix.

Expected values are worked out by hand from docs/claims.md's rules, not printed by the code.
"""

from __future__ import annotations

import json

import pytest

from geomap.cli import main

AT = ("--at", "46.75,39.6", "--theatre", "nagorno-karabakh", "--date", "2020-12-27")


# --- a blank claim label beside --min-km/--max-km: no label to quote, never "The claim '   '" ---------------

@pytest.mark.parametrize("label", ["", "   ", "\t"])
def test_a_blank_label_with_bounds_is_no_label(runner, label):
    result = runner.invoke(main, ["check", *AT, "--claim", label, "--min-km", "3"])
    assert result.exit_code == 11, result.output
    out = result.stdout
    assert "The claimed range (≥ 3 km) is inconclusive" in out
    assert "The claim '" not in out and "claim: '" not in out
    assert "claim (bounds given, no text): ≥ 3 km (rule user-bounds)" in out
    data = json.loads(runner.invoke(main, ["check", *AT, "--claim", label, "--max-km", "30",
                                           "--format", "json"]).stdout)
    assert data["claim"]["text"] == "" and data["claim"]["matched_text"] == ""
    assert data["sentence"].startswith("The claimed range (≤ 30 km) is supported")


def test_a_label_with_bounds_is_still_quoted(runner):
    result = runner.invoke(main, ["check", *AT, "--claim", "dozens of km", "--min-km", "3"])
    assert "The claim 'dozens of km' (≥ 3 km) is inconclusive" in result.stdout
