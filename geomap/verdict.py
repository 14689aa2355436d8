"""Verdicts: does a measured distance interval support a distance claim?

The rule, applied to each reading of a :class:`geomap.claims.Claim`:

* **supported** - the distance interval ``[lo, hi]`` lies wholly inside the
  reading's range;
* **contradicted** - the interval and the range do not overlap at all;
* **inconclusive** - they overlap only in part.

Overall, a claim is *supported* if it is supported under the **strict**
reading (and therefore under the lenient one, which contains it), and
*contradicted* if it is contradicted under the **lenient** reading (and
therefore under the strict one).  Everything else is *inconclusive*, and the
verdict says why ("supported only under the lenient reading", ...).

Ranges and the interval are **closed**: an interval that touches a range's
end in a single point overlaps it (so it is not contradicted), and an interval
whose end equals the range's end is inside it.  A claim is therefore
contradicted only when every distance the measurement allows lies strictly
outside the lenient range.

Exit codes used by ``geomap check`` (documented in ``geomap/cli/__init__.py``):
0 supported, 10 contradicted, 11 inconclusive.

The rule is written once, vectorised, in :func:`judge_intervals`; :func:`judge`
applies it to one interval and adds the sentence.  numpy is the only import
beyond the standard library.

>>> from geomap.claims import parse_claim
>>> v = judge(parse_claim("dozens of kilometers"), (19_300.0, 19_700.0))
>>> v.verdict, v.exit_code
('contradicted', 10)
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from geomap._version import __version__
from geomap.claims import Claim, Range, distinct_decimals, format_length, format_range
from geomap.errors import InputError

__all__ = ["Verdict", "judge", "judge_intervals", "combined_exit_code", "EXIT_CODES", "RULE", "VERDICTS"]

#: the verdict names, in the order of their codes in :func:`judge_intervals` (-1: not measured)
VERDICTS = ("supported", "inconclusive", "contradicted")

#: process exit status per verdict (``geomap check``)
EXIT_CODES = {"supported": 0, "contradicted": 10, "inconclusive": 11}

#: the decision rule, stated in every verdict's evidence
RULE = (
    "closed ranges; per reading: supported iff the distance interval lies inside the range, "
    "contradicted iff they do not overlap, else inconclusive; overall: supported iff supported "
    "under the strict reading, contradicted iff contradicted under the lenient reading, else inconclusive"
)


@dataclass(frozen=True, eq=False)
class Verdict:
    """A verdict on a distance claim, with its evidence.

    Attributes
    ----------
    verdict : str
        ``"supported"``, ``"contradicted"`` or ``"inconclusive"``.
    claim : Claim
        The claim judged (its text, readings, rule and rationale).
    distance_interval_m : tuple of float
        ``(lo, hi)`` in metres: every distance the measurement allows
        (location uncertainty and layer accuracy included).
    per_reading : dict
        ``{"strict": outcome, "lenient": outcome}``.
    deciding_reading : str
        ``"strict"`` for a supported claim, ``"lenient"`` for a contradicted
        one, ``"both"`` when the readings leave it inconclusive.
    reason : str
        Why, in words ("supported only under the lenient reading").
    margins : dict
        Per reading, ``lo_minus_min_m`` = lo - range minimum and
        ``max_minus_hi_m`` = range maximum - hi, in metres (``None`` for an
        open end).  Both >= 0 means the interval is inside; a negative value
        is how far the interval sticks out on that side.
    margin_m : float or None
        How far (metres) the interval is from flipping the verdict: for
        *supported*, the smaller strict clearance (the interval may shift or
        widen this much and stay inside); for *contradicted*, the gap between
        the interval and the lenient range; ``None`` for *inconclusive* (see
        ``margins``) or when the range has no finite end to reach.
    sentence : str
        One plain sentence a fact-checker can quote.
    evidence : dict
        Whatever the caller passed (point, layer, provenance...), kept as is.
    """

    verdict: str
    claim: Claim
    distance_interval_m: tuple[float, float]
    per_reading: dict[str, str]
    deciding_reading: str
    reason: str
    margins: dict[str, dict[str, float | None]]
    margin_m: float | None
    sentence: str
    evidence: dict[str, Any] = field(default_factory=dict)

    @property
    def exit_code(self) -> int:
        """0 supported, 10 contradicted, 11 inconclusive."""
        return EXIT_CODES[self.verdict]

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict of the verdict and all its evidence."""
        lo, hi = self.distance_interval_m
        return {
            "verdict": self.verdict,
            "exit_code": self.exit_code,
            "sentence": self.sentence,
            "claim": self.claim.to_dict(),
            "distance_interval_m": [lo, hi],
            "per_reading": dict(self.per_reading),
            "deciding_reading": self.deciding_reading,
            "reason": self.reason,
            "margins": {k: dict(v) for k, v in self.margins.items()},
            "margin_m": self.margin_m,
            "rule": RULE,
            "evidence": self.evidence,
            "geomap_version": __version__,
        }


def judge_intervals(claim: Claim | str, low_m, high_m) -> dict[str, Any]:
    """THE verdict rule, over many distance intervals at once.

    Parameters
    ----------
    claim : Claim or str
        A claim's text is read by :func:`geomap.claims.parse_claim`.
    low_m, high_m : array_like of float, shape (n,)
        Each row's distance interval in metres; NaN in either = not measured.
        Otherwise ``0 <= low <= high``, else :class:`~geomap.errors.InputError`.

    Returns
    -------
    dict of ndarray, shape (n,)
        ``verdict``, ``strict``, ``lenient``: int8 codes into :data:`VERDICTS`
        (-1 where not measured); ``margin_m``: float (NaN for inconclusive,
        unmeasured, or a range with no finite end to reach), as
        :attr:`Verdict.margin_m`.
    """
    import numpy as np

    claim = claim_of(claim)
    lo = np.atleast_1d(np.asarray(low_m, dtype=float))
    hi = np.atleast_1d(np.asarray(high_m, dtype=float))
    if lo.shape != hi.shape:
        raise InputError(f"distance intervals need one high end per low end: got {lo.size} lows and {hi.size} highs")
    measured = np.isfinite(lo) & np.isfinite(hi)
    wrong = measured & ((lo < 0) | (lo > hi))
    if wrong.any():  # what judge refuses for one interval, refused here for any
        k = int(np.flatnonzero(wrong)[0])
        raise InputError(f"distance interval {k + 1} must satisfy 0 <= lo_m <= hi_m (finite metres), got "
                         f"({float(lo[k])!r}, {float(hi[k])!r}); NaN marks a row not measured")
    supported, inconclusive, contradicted = range(3)

    def outcome(reading: Range):
        lower, upper = reading.lower_m, reading.upper_m
        inside = (lower <= lo) & (hi <= upper)
        overlap = (lo <= upper) & (hi >= lower)
        res = np.where(inside, supported, np.where(overlap, inconclusive, contradicted)).astype(np.int8)
        res[~measured] = -1
        return res

    strict = outcome(claim.strict)
    lenient = outcome(claim.lenient)
    verdict = np.where(strict == supported, supported,
                       np.where(lenient == contradicted, contradicted, inconclusive)).astype(np.int8)
    verdict[~measured] = -1
    margin = np.full(lo.shape, np.nan)
    s_min, s_max = claim.strict.min_m, claim.strict.max_m
    clear = [c for c in (lo - s_min if s_min is not None else None, s_max - hi if s_max is not None else None)
             if c is not None]
    sup = verdict == supported
    if clear:
        margin[sup] = np.minimum.reduce(clear)[sup] if len(clear) > 1 else clear[0][sup]
    con = verdict == contradicted
    below = hi < claim.lenient.lower_m
    margin[con & below] = (claim.lenient.lower_m - hi)[con & below]
    margin[con & ~below] = (lo - claim.lenient.upper_m)[con & ~below]
    return {"verdict": verdict, "strict": strict, "lenient": lenient, "margin_m": margin}


def combined_exit_code(verdict_codes) -> int:
    """The exit code for several verdicts (codes of :data:`VERDICTS`, -1 ignored).

    0 when every verdict is supported, 10 when every one is contradicted,
    11 otherwise (including none at all).
    """
    present = {int(c) for c in verdict_codes if int(c) >= 0}
    if len(present) == 1:
        return EXIT_CODES[VERDICTS[present.pop()]]
    return EXIT_CODES["inconclusive"]


def _clearances(reading: Range, lo: float, hi: float) -> dict[str, float | None]:
    return {
        "lo_minus_min_m": None if reading.min_m is None else lo - reading.min_m,
        "max_minus_hi_m": None if reading.max_m is None else reading.max_m - hi,
    }


def claim_of(claim: Any, *, line_called: tuple[str, ...] = ()) -> Claim:
    """``claim`` itself, or its text read by :func:`geomap.claims.parse_claim` (``line_called``: what the line
    measured to is also called, e.g. ``("border",)``); ClaimError for anything else."""
    if isinstance(claim, str):
        from geomap.claims import parse_claim

        return parse_claim(claim, line_called=line_called)
    if not isinstance(claim, Claim):
        from geomap.errors import ClaimError

        raise ClaimError(f"a claim must be text or a Claim (geomap.parse_claim / geomap.claim_from_bounds), got "
                         f"{type(claim).__name__}; write it like 'within 5 km' or 'dozens of kilometres'")
    return claim


def _check_interval(distance_interval_m: Any) -> tuple[float, float]:
    try:
        lo, hi = distance_interval_m
        lo, hi = float(lo), float(hi)
    except (TypeError, ValueError):
        raise InputError(
            f"distance interval must be two numbers (lo_m, hi_m), got {distance_interval_m!r}"
        ) from None
    if not (math.isfinite(lo) and math.isfinite(hi)) or lo < 0 or lo > hi:
        raise InputError(
            f"distance interval must satisfy 0 <= lo_m <= hi_m (finite metres), got ({lo!r}, {hi!r})"
        )
    return lo, hi


def _distance_text(lo: float, hi: float, unit: str | None, bounds: list[float]) -> str:
    """The interval in the claim's unit (plus km/m for imperial units), distinct from ``bounds``."""
    d = distinct_decimals((lo, hi), unit=unit, avoid_m=bounds)
    shown = format_length(lo, unit=unit, decimals=d) if lo == hi else format_range(lo, hi, unit=unit, decimals=d)
    if unit in ("mi", "nmi", "ft", "yd"):
        dm = distinct_decimals((lo, hi), avoid_m=bounds)
        metric = format_length(lo, decimals=dm) if lo == hi else format_range(lo, hi, decimals=dm)
        shown = f"{shown} ({metric})"
    return shown


def judge(
    claim: Claim | str,
    distance_interval_m: tuple[float, float],
    *,
    evidence: dict | None = None,
) -> Verdict:
    """Judge a claim against a measured distance interval.

    Parameters
    ----------
    claim : Claim or str
        From :func:`geomap.claims.parse_claim` or
        :func:`geomap.claims.claim_from_bounds`, or a claim's text (read by
        :func:`geomap.claims.parse_claim`).
    distance_interval_m : (float, float)
        ``(lo, hi)`` in metres, ``0 <= lo <= hi``: the smallest and largest
        distance the measurement allows (uncertainty already included).
    evidence : dict, optional
        Provenance to carry along (location, layer id and version, method...).

    Returns
    -------
    Verdict

    Raises
    ------
    geomap.errors.InputError
        If the interval is not two finite numbers with ``0 <= lo <= hi``.

    Examples
    --------
    >>> from geomap.claims import parse_claim
    >>> judge(parse_claim("within 5 km"), (4_000.0, 5_000.0)).verdict
    'supported'
    """
    claim = claim_of(claim)
    lo, hi = _check_interval(distance_interval_m)
    strict, lenient = claim.strict, claim.lenient
    ruled = judge_intervals(claim, [lo], [hi])
    per_reading = {"strict": VERDICTS[int(ruled["strict"][0])], "lenient": VERDICTS[int(ruled["lenient"][0])]}
    ruled_verdict = VERDICTS[int(ruled["verdict"][0])]
    margins = {"strict": _clearances(strict, lo, hi), "lenient": _clearances(lenient, lo, hi)}
    unit = claim.unit
    bounds = [b for r in (strict, lenient) for b in (r.min_m, r.max_m) if b is not None]
    distance = _distance_text(lo, hi, unit, bounds)
    # the claim's ends with as many decimals as keep them apart from the interval's ('≥ 2.0001 km' beside
    # '2–2.5 km', not '≥ 2 km' beside an interval said to straddle it)
    shown = distinct_decimals((lo, hi), unit=unit, avoid_m=bounds)
    label = claim.label
    subject = f"The claim '{label}'" if label else "The claimed range"
    readings = claim.describe_readings(decimals=shown)
    margin_m: float | None
    ruled_margin = float(ruled["margin_m"][0])
    if ruled_verdict == "supported":
        verdict, deciding = "supported", "strict"
        margin_m = ruled_margin if math.isfinite(ruled_margin) else None
        reason = "inside the strict reading" if claim.is_vague else "inside the claimed range"
        where = "even the strict reading's range" if claim.is_vague else "the claimed range"
        sentence = f"{subject} ({readings}) is supported: the distance is {distance}, within {where}"
        if margin_m is not None:
            sentence += f", {format_length(margin_m, unit=unit)} from its nearest end"
        sentence += "."
    elif ruled_verdict == "contradicted":
        verdict, deciding = "contradicted", "lenient"
        even = "even the lenient reading's" if claim.is_vague else "the claimed"
        margin_m = ruled_margin
        if hi < lenient.lower_m:
            side = f"below {even} minimum of {format_length(lenient.lower_m, unit=unit, decimals=shown)}"
        else:
            side = f"above {even} maximum of {format_length(lenient.upper_m, unit=unit, decimals=shown)}"
        reason = f"contradicted under {'even the lenient reading' if claim.is_vague else 'the claimed range'}"
        sentence = f"{subject} ({readings}) is contradicted: the distance is {distance}, {side}."
    else:
        verdict, deciding, margin_m = "inconclusive", "both", None
        s, l_ = per_reading["strict"], per_reading["lenient"]
        if not claim.is_vague:
            reason = "the distance interval straddles an end of the claimed range"
        elif l_ == "supported" and s == "contradicted":
            reason = "supported only under the lenient reading; the strict reading contradicts it"
        elif l_ == "supported":
            reason = "supported under the lenient reading; the interval straddles an end of the strict reading"
        elif s == "contradicted":
            reason = "contradicted only under the strict reading; the interval straddles an end of the lenient reading"
        else:
            reason = "the distance interval straddles an end of both readings"
        sentence = f"{subject} ({readings}) is inconclusive: the distance is {distance}; {reason}."
    if ((evidence or {}).get("uncertainty") or {}).get("layer_accuracy_stated") is False:
        sentence += " The line's layer states no accuracy, so this interval leaves map error out."
    return Verdict(
        verdict=verdict,
        claim=claim,
        distance_interval_m=(lo, hi),
        per_reading=per_reading,
        deciding_reading=deciding,
        reason=reason,
        margins=margins,
        margin_m=margin_m,
        sentence=sentence,
        evidence=dict(evidence or {}),
    )
