"""Lengths in metres formatted for people: '19.3 km', '850 m', '27–33 mi'.

Standard library only.
"""

from __future__ import annotations

import math
from typing import Iterable

__all__ = ["UNIT_METRES", "pick_unit", "format_length", "format_range", "distinct_decimals"]

#: metres per unit id, for display
UNIT_METRES = {"m": 1.0, "km": 1000.0, "mi": 1609.344, "nmi": 1852.0, "ft": 0.3048, "yd": 0.9144}


def _format_number(value: float, decimals: int) -> str:
    text = f"{value:,.{decimals}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


def pick_unit(value_m: float, unit: str | None) -> str:
    """Unit id to show ``value_m`` (metres) in: km/m by size for metric or unknown units, else ``unit``."""
    if unit in ("km", "m"):
        return "km" if value_m >= 1000 else "m"
    if unit in UNIT_METRES:
        return unit
    return "km" if value_m >= 1000 else "m"


def format_length(value_m: float, *, unit: str | None = None, decimals: int | None = None) -> str:
    """Format a length in metres for people: '19.3 km', '850 m', '30 mi'.

    Metric claims (and ``unit=None``) use km from 1000 m up, metres below; other
    units are kept as stated.  ``decimals`` defaults to 2 (trailing zeros dropped).
    """
    chosen = pick_unit(value_m, unit)
    shown = value_m / UNIT_METRES[chosen]
    if decimals is None:
        decimals = 2
    return f"{_format_number(shown, decimals)} {chosen}"


def distinct_decimals(values_m: Iterable[float], *, unit: str | None = None, avoid_m: Iterable[float] = ()) -> int:
    """Fewest decimals (2-6) that keep different values different once formatted.

    Every pair of unequal numbers among ``values_m`` and ``avoid_m`` (metres)
    must print differently in the unit :func:`format_length` would choose, so
    a sentence never says "19.999–20 km, below the minimum of 20 km".
    """
    values = [v for v in values_m if math.isfinite(v)]
    others = [v for v in avoid_m if v is not None and math.isfinite(v)]
    if not values:
        return 2
    chosen = pick_unit(max(values), unit)
    scale = UNIT_METRES[chosen]
    pool = values + others
    for decimals in range(2, 7):
        shown = {}
        clash = False
        for v in pool:
            key = _format_number(v / scale, decimals)
            if key in shown and shown[key] != v:
                clash = True
                break
            shown[key] = v
        if not clash:
            return decimals
    return 6


def format_range(lo_m: float, hi_m: float, *, unit: str | None = None, decimals: int | None = None) -> str:
    """Format '19.3–19.7 km' with enough decimals that distinct ends stay distinct."""
    chosen = pick_unit(hi_m, unit)
    scale = UNIT_METRES[chosen]
    if decimals is None:
        decimals = distinct_decimals((lo_m, hi_m), unit=unit)
    return f"{_format_number(lo_m / scale, decimals)}–{_format_number(hi_m / scale, decimals)} {chosen}"
