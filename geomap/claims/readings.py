"""The values a claim is read into: :class:`Range` (metres, closed) and :class:`Claim` (two readings).

Standard library only.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from geomap._version import __version__
from geomap.claims.units import format_length, format_range

__all__ = ["Range", "Claim"]


@dataclass(frozen=True)
class Range:
    """A closed range of distances in metres; ``None`` is an open end.

    Parameters
    ----------
    min_m, max_m : float or None
        Lower and upper bound in metres (inclusive).  ``None`` means unbounded
        on that side.  ``min_m <= max_m`` and both are finite and >= 0.
    """

    min_m: float | None
    max_m: float | None

    def __post_init__(self) -> None:
        for name in ("min_m", "max_m"):
            value = getattr(self, name)
            if value is None:
                continue
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                raise TypeError(f"Range.{name} must be a number or None, got {value!r}")
            if not math.isfinite(value) or value < 0:
                raise ValueError(f"Range.{name} must be finite and >= 0, got {value!r}")
            object.__setattr__(self, name, float(value))
        if self.min_m is not None and self.max_m is not None and self.min_m > self.max_m:
            raise ValueError(f"Range min_m {self.min_m} > max_m {self.max_m}")

    @property
    def lower_m(self) -> float:
        """Lower bound with an open end read as 0 m (distances are never negative)."""
        return 0.0 if self.min_m is None else self.min_m

    @property
    def upper_m(self) -> float:
        """Upper bound with an open end read as +inf."""
        return math.inf if self.max_m is None else self.max_m

    def contains(self, distance_m: float) -> bool:
        """True if ``distance_m`` (metres) lies in the closed range."""
        return self.lower_m <= distance_m <= self.upper_m

    def contains_interval(self, lo_m: float, hi_m: float) -> bool:
        """True if the whole interval ``[lo_m, hi_m]`` lies inside the range."""
        return self.lower_m <= lo_m and hi_m <= self.upper_m

    def overlaps(self, lo_m: float, hi_m: float) -> bool:
        """True if ``[lo_m, hi_m]`` shares at least one point with the range (closed ends)."""
        return lo_m <= self.upper_m and hi_m >= self.lower_m

    def issubset(self, other: Range) -> bool:
        """True if this range lies inside ``other``."""
        return other.lower_m <= self.lower_m and self.upper_m <= other.upper_m

    def describe(self, unit: str | None = None, decimals: int | None = None) -> str:
        """Human text such as '24-96 km', '>= 20 km' or '<= 5 km' (unit chosen by size).

        ``decimals`` (default 2, trailing zeros dropped) lets a sentence print
        the range with as many decimals as the distances it is compared with.
        """
        lo = self.min_m if self.min_m else None  # 0 reads as an open lower end
        hi = self.max_m
        if lo is None and hi is None:
            return "any distance"
        if lo is None:
            return f"≤ {format_length(hi, unit=unit, decimals=decimals)}"
        if hi is None:
            return f"≥ {format_length(lo, unit=unit, decimals=decimals)}"
        if lo == hi:
            return format_length(lo, unit=unit, decimals=decimals)
        return format_range(lo, hi, unit=unit, decimals=decimals)

    def to_dict(self) -> dict[str, float | None]:
        """``{"min_m": ..., "max_m": ...}`` with ``None`` (JSON null) for an open end."""
        return {"min_m": self.min_m, "max_m": self.max_m}


@dataclass(frozen=True)
class Claim:
    """A distance claim read as two numeric ranges.

    Attributes
    ----------
    text : str
        The text the user gave (a phrase or a whole sentence), unchanged.
    matched_text : str
        The words of ``text`` that were read as the distance ("dozens of
        kilometers"); for user bounds, the text or "".
    rule : str
        The lexicon entries / grammar rules used, joined by ``+``: a comparator
        id (``at-most``, ``approx``, ``bare-number``, ``range`` ...), a vague
        quantity id (``dozens``, ``a-few`` ...) optionally with a multiplier
        (``a-few*hundred``), or ``user-bounds``.
    rationale : str
        Why the words mean these numbers (from the lexicon).
    citation : str or None
        Sources for the rationale, if any.
    strict, lenient : Range
        The narrow and the generous reading, metres.  ``strict`` lies inside
        ``lenient``.
    unit : str or None
        Unit id the claim was stated in (``m``, ``km``, ``mi``, ``nmi``,
        ``ft``, ``yd``); ``km`` for user bounds.
    lexicon : str
        Which lexicon was used (``builtin:<name> v<version>`` or the file path).
    notes : tuple of str
        Anything a reader should know (e.g. a second, consistent expression
        found in the same sentence, or a restatement that disagrees).
    language : str
        ISO 639-1 code of the language the claim was read in (``en``, ``ru``,
        ``hy`` ...), detected or given; ``en`` for user bounds.

    ``min_m``/``max_m`` are the bounds of the **strict** reading (the one a
    claim must meet to be called supported); read ``lenient`` for the other.
    """

    text: str
    matched_text: str
    rule: str
    rationale: str
    citation: str | None
    strict: Range
    lenient: Range
    unit: str | None
    lexicon: str = "builtin"
    notes: tuple[str, ...] = field(default=())
    language: str = "en"

    def __post_init__(self) -> None:
        if not self.strict.issubset(self.lenient):
            raise ValueError(f"strict reading {self.strict} is not inside lenient reading {self.lenient}")

    @property
    def min_m(self) -> float | None:
        """Lower bound of the strict reading, metres (None = open)."""
        return self.strict.min_m

    @property
    def max_m(self) -> float | None:
        """Upper bound of the strict reading, metres (None = open)."""
        return self.strict.max_m

    @property
    def label(self) -> str:
        """The claim's words to quote ('dozens of kilometers'), white space collapsed; '' when it has none.

        Bounds given with --min-km/--max-km and a blank --claim ('', '   ') have
        no words: outputs then name the range alone, never quote an empty label.
        """
        return " ".join((self.matched_text or self.text or "").split())

    @property
    def is_vague(self) -> bool:
        """True if the two readings differ."""
        return self.strict != self.lenient

    def describe_readings(self, decimals: int | None = None) -> str:
        """'strictly 24-96 km, leniently 20-100 km' (or one range if the readings agree)."""
        unit = self.unit
        if not self.is_vague:
            return self.strict.describe(unit, decimals)
        return f"strictly {self.strict.describe(unit, decimals)}, leniently {self.lenient.describe(unit, decimals)}"

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict (metres; null for open ends).

        ``deciding_readings`` records the verdict rule: a claim is supported
        only under the strict reading, contradicted only under the lenient one.
        """
        return {
            "text": self.text,
            "matched_text": self.matched_text,
            "rule": self.rule,
            "rationale": self.rationale,
            "citation": self.citation,
            "unit": self.unit,
            "strict": self.strict.to_dict(),
            "lenient": self.lenient.to_dict(),
            "min_m": self.min_m,
            "max_m": self.max_m,
            "readings": self.describe_readings(),
            "min_max_reading": "strict",
            "deciding_readings": {"supported": "strict", "contradicted": "lenient"},
            "lexicon": self.lexicon,
            "notes": list(self.notes),
            "language": self.language,
            "geomap_version": __version__,
        }
