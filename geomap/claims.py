"""Distance claims in English become numeric ranges in metres.

A claim such as "dozens of kilometers", "within 5 km", "about 30 miles" or a
whole sentence containing one ("the scene ... is located dozens of kilometers
from the nearest section of the line of contact") is turned into a
:class:`Claim` holding **two readings**:

* ``strict`` - the narrow, literal reading ("dozens" = at least two dozen);
* ``lenient`` - the generous, everyday reading ("dozens" used like "tens of").

The strict range always lies inside the lenient one.  :mod:`geomap.verdict`
calls a claim *supported* only when the measured distance interval lies inside
the strict range, and *contradicted* only when it misses the lenient range.

The words, their numbers and the reason for each number live in data, in
``geomap/data/claims_lexicon.json`` (schema ``geomap-claims-lexicon/1``).  A
user may pass their own lexicon file with the same schema.  Numerals (digits
and English number words) are grammar, not lexicon, and are parsed here.

Ranges are **closed**: a range ``[a, b]`` contains both ``a`` and ``b``, so
"less than 5 km" is read as 0-5 km inclusive.  A measured distance never
distinguishes 5.000 km from "just under 5 km", and the distance interval the
verdict uses already carries its uncertainty.

Standard library only (no numpy), so the CLI can import it at start-up.

>>> c = parse_claim("dozens of kilometers")
>>> (c.strict.min_m, c.strict.max_m, c.lenient.min_m, c.lenient.max_m)
(24000.0, 96000.0, 20000.0, 100000.0)
>>> parse_claim("within 5 km").max_m
5000.0
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable

from geomap.errors import ClaimError, FileFormatError

__all__ = [
    "Claim",
    "Range",
    "Lexicon",
    "parse_claim",
    "claim_from_bounds",
    "load_lexicon",
    "default_lexicon_path",
    "format_length",
]

LEXICON_SCHEMA = "geomap-claims-lexicon/1"
_EXAMPLES = "'within 5 km', 'about 30 miles', 'between 10 and 20 km', 'dozens of kilometres'"
_KINDS = {"approx", "below", "above", "upper", "lower", "range"}
_MAX_TEXT_IN_MESSAGE = 80


# --------------------------------------------------------------------------- values


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

    def describe(self, unit: str | None = None) -> str:
        """Human text such as '24-96 km', '>= 20 km' or '<= 5 km' (unit chosen by size)."""
        lo = self.min_m if self.min_m else None  # 0 reads as an open lower end
        hi = self.max_m
        if lo is None and hi is None:
            return "any distance"
        if lo is None:
            return f"≤ {format_length(hi, unit=unit)}"
        if hi is None:
            return f"≥ {format_length(lo, unit=unit)}"
        if lo == hi:
            return format_length(lo, unit=unit)
        return format_range(lo, hi, unit=unit)

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
        found in the same sentence).

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
    def is_vague(self) -> bool:
        """True if the two readings differ."""
        return self.strict != self.lenient

    def describe_readings(self) -> str:
        """'strictly 24-96 km, leniently 20-100 km' (or one range if the readings agree)."""
        unit = self.unit
        if not self.is_vague:
            return self.strict.describe(unit)
        return f"strictly {self.strict.describe(unit)}, leniently {self.lenient.describe(unit)}"

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict (metres; null for open ends)."""
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
            "lexicon": self.lexicon,
            "notes": list(self.notes),
        }


# --------------------------------------------------------------------------- formatting


_UNIT_FORMAT = {"m": 1.0, "km": 1000.0, "mi": 1609.344, "nmi": 1852.0, "ft": 0.3048, "yd": 0.9144}


def _fmt_number(value: float, decimals: int) -> str:
    text = f"{value:,.{decimals}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


def _pick_unit(value_m: float, unit: str | None) -> str:
    if unit in ("km", "m"):
        return "km" if value_m >= 1000 else "m"
    if unit in _UNIT_FORMAT:
        return unit
    return "km" if value_m >= 1000 else "m"


def format_length(value_m: float, *, unit: str | None = None, decimals: int | None = None) -> str:
    """Format a length in metres for people: '19.3 km', '850 m', '30 mi'.

    Metric claims (and ``unit=None``) use km from 1000 m up, metres below; other
    units are kept as stated.  ``decimals`` defaults to 2 (trailing zeros dropped).
    """
    chosen = _pick_unit(value_m, unit)
    shown = value_m / _UNIT_FORMAT[chosen]
    if decimals is None:
        decimals = 2
    return f"{_fmt_number(shown, decimals)} {chosen}"


def format_range(lo_m: float, hi_m: float, *, unit: str | None = None) -> str:
    """Format '19.3–19.7 km' with enough decimals that distinct ends stay distinct."""
    chosen = _pick_unit(hi_m, unit)
    scale = _UNIT_FORMAT[chosen]
    for decimals in range(2, 7):
        a = _fmt_number(lo_m / scale, decimals)
        b = _fmt_number(hi_m / scale, decimals)
        if a != b or lo_m == hi_m:
            break
    return f"{a}–{b} {chosen}"


# --------------------------------------------------------------------------- lexicon


@dataclass(frozen=True)
class _Entry:
    id: str
    phrases: tuple[tuple[str, ...], ...]
    rationale: str
    citation: str | None
    data: dict[str, Any]


@dataclass(frozen=True)
class Lexicon:
    """A validated claims lexicon (see ``geomap/data/claims_lexicon.json``)."""

    source: str
    name: str
    version: str
    units: tuple[_Entry, ...]
    comparators: tuple[_Entry, ...]
    vague: tuple[_Entry, ...]
    multipliers: tuple[_Entry, ...]

    def comparator(self, entry_id: str) -> _Entry:
        for entry in self.comparators:
            if entry.id == entry_id:
                return entry
        raise KeyError(entry_id)  # pragma: no cover - validated at load


def default_lexicon_path() -> Path:
    """Path of the lexicon shipped with geomap."""
    return Path(__file__).resolve().parent / "data" / "claims_lexicon.json"


def _bad(source: str, problem: str) -> FileFormatError:
    return FileFormatError(
        f"claims lexicon {source}: {problem}; follow the schema of {default_lexicon_path().name} "
        f"('{LEXICON_SCHEMA}')"
    )


def _phrase_tokens(source: str, where: str, phrase: Any) -> tuple[str, ...]:
    if not isinstance(phrase, str) or not phrase.strip():
        raise _bad(source, f"{where} has a phrase that is not a non-empty string: {phrase!r}")
    tokens = tuple(tok.norm for tok in _tokenize(phrase))
    if not tokens:
        raise _bad(source, f"{where} phrase {phrase!r} has no words")
    return tokens


def _number(source: str, where: str, value: Any, *, positive: bool = False) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise _bad(source, f"{where} must be a finite number, got {value!r}")
    if value < 0 or (positive and value == 0):
        raise _bad(source, f"{where} must be {'> 0' if positive else '>= 0'}, got {value!r}")
    return float(value)


def _entries(source: str, data: dict, key: str, *, phrases_key: str, allow_empty_phrases: bool = False):
    items = data.get(key)
    if not isinstance(items, list) or not items:
        raise _bad(source, f"'{key}' must be a non-empty list")
    seen: set[str] = set()
    out = []
    for index, item in enumerate(items):
        where = f"{key}[{index}]"
        if not isinstance(item, dict):
            raise _bad(source, f"{where} must be an object")
        entry_id = item.get("id")
        if not isinstance(entry_id, str) or not re.fullmatch(r"[a-z0-9][a-z0-9-]*", entry_id):
            raise _bad(source, f"{where} needs an 'id' of lower-case letters, digits and '-', got {entry_id!r}")
        if entry_id in seen:
            raise _bad(source, f"{where} repeats id {entry_id!r}")
        seen.add(entry_id)
        where = f"{key} entry {entry_id!r}"
        rationale = item.get("rationale")
        if not isinstance(rationale, str) or not rationale.strip():
            raise _bad(source, f"{where} needs a non-empty 'rationale'")
        citation = item.get("citation")
        if citation is not None and not isinstance(citation, str):
            raise _bad(source, f"{where} 'citation' must be a string or null")
        raw = item.get(phrases_key)
        if not isinstance(raw, list) or (not raw and not allow_empty_phrases):
            raise _bad(source, f"{where} needs a list '{phrases_key}'")
        phrases = tuple(_phrase_tokens(source, where, p) for p in raw)
        out.append(_Entry(entry_id, phrases, rationale.strip(), citation, item))
    return tuple(out)


def _validate(source: str, data: Any) -> Lexicon:
    if not isinstance(data, dict):
        raise _bad(source, "the top level must be a JSON object")
    if data.get("schema") != LEXICON_SCHEMA:
        raise _bad(source, f"'schema' must be {LEXICON_SCHEMA!r}, got {data.get('schema')!r}")
    units = _entries(source, data, "units", phrases_key="names")
    for entry in units:
        _number(source, f"units entry {entry.id!r} 'metres'", entry.data.get("metres"), positive=True)
    comparators = _entries(source, data, "comparators", phrases_key="phrases", allow_empty_phrases=True)
    ids = {c.id for c in comparators}
    for required in ("bare-number", "range"):
        if required not in ids:
            raise _bad(source, f"'comparators' needs an entry with id {required!r}")
    for entry in comparators:
        where = f"comparators entry {entry.id!r}"
        kind = entry.data.get("kind")
        if kind not in _KINDS:
            raise _bad(source, f"{where} 'kind' must be one of {sorted(_KINDS)}, got {kind!r}")
        if entry.data.get("position", "prefix") not in ("prefix", "postfix"):
            raise _bad(source, f"{where} 'position' must be 'prefix' or 'postfix'")
        readings = {}
        for reading in ("strict", "lenient"):
            params = entry.data.get(reading)
            if not isinstance(params, dict):
                raise _bad(source, f"{where} needs a '{reading}' object with 'rel' and 'rounding'")
            rel = _number(source, f"{where} {reading}.rel", params.get("rel"))
            if rel >= 1:
                raise _bad(source, f"{where} {reading}.rel must be < 1 (a fraction), got {rel}")
            rounding = params.get("rounding", False)
            if not isinstance(rounding, bool):
                raise _bad(source, f"{where} {reading}.rounding must be true or false")
            readings[reading] = (rel, rounding)
        if readings["strict"][0] > readings["lenient"][0] or (
            readings["strict"][1] and not readings["lenient"][1]
        ):
            raise _bad(source, f"{where}: the strict tolerance must not exceed the lenient one")
    if any(e.data.get("kind") == "range" and e.id != "range" for e in comparators):
        raise _bad(source, "only the comparator with id 'range' may have kind 'range'")
    if comparators[[c.id for c in comparators].index("range")].data.get("kind") != "range":
        raise _bad(source, "the comparator 'range' must have kind 'range'")
    vague = _entries(source, data, "vague", phrases_key="phrases")
    for entry in vague:
        where = f"vague entry {entry.id!r}"
        bounds = {}
        for reading in ("strict", "lenient"):
            params = entry.data.get(reading)
            if not isinstance(params, dict):
                raise _bad(source, f"{where} needs a '{reading}' object with 'min' and 'max'")
            lo = _number(source, f"{where} {reading}.min", params.get("min"))
            hi = params.get("max")
            hi = None if hi is None else _number(source, f"{where} {reading}.max", hi)
            if hi is not None and lo > hi:
                raise _bad(source, f"{where} {reading}.min {lo} > max {hi}")
            bounds[reading] = Range(lo, hi)
        if not bounds["strict"].issubset(bounds["lenient"]):
            raise _bad(source, f"{where}: the strict range must lie inside the lenient range")
    multipliers: tuple[_Entry, ...] = ()
    if "multipliers" in data:
        multipliers = _entries(source, data, "multipliers", phrases_key="names")
        for entry in multipliers:
            _number(source, f"multipliers entry {entry.id!r} 'value'", entry.data.get("value"), positive=True)
    return Lexicon(
        source=source,
        name=str(data.get("name", "lexicon")),
        version=str(data.get("version", "")),
        units=units,
        comparators=comparators,
        vague=vague,
        multipliers=multipliers,
    )


@lru_cache(maxsize=16)
def _load_cached(path: str, mtime_ns: int, builtin: bool) -> Lexicon:
    source = "builtin" if builtin else path
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise FileFormatError(
            f"cannot read claims lexicon {path}: {exc.__class__.__name__}: {exc}; pass a readable UTF-8 JSON file"
        ) from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise _bad(source, f"not valid JSON ({exc.msg} at line {exc.lineno} column {exc.colno})") from None
    lexicon = _validate(source, data)
    if builtin:
        lexicon = Lexicon(
            source=f"builtin:{lexicon.name} v{lexicon.version}",
            name=lexicon.name,
            version=lexicon.version,
            units=lexicon.units,
            comparators=lexicon.comparators,
            vague=lexicon.vague,
            multipliers=lexicon.multipliers,
        )
    return lexicon


def load_lexicon(path: str | Path | None = None) -> Lexicon:
    """Load and validate a claims lexicon (the shipped one when ``path`` is None).

    Raises
    ------
    geomap.errors.FileFormatError
        One line naming the file and the first problem found.
    """
    builtin = path is None
    target = default_lexicon_path() if builtin else Path(path)
    try:
        mtime_ns = target.stat().st_mtime_ns
    except OSError:
        raise FileFormatError(f"claims lexicon {target} does not exist; pass the path of a JSON lexicon file") from None
    return _load_cached(str(target), mtime_ns, builtin)


# --------------------------------------------------------------------------- tokens

_DASHES = "-‐‑‒–—―−"
_TOKEN_RE = re.compile(
    r"(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?(?![\d])|\d+,\d{1,2}(?![\d,])|\d+(?:\.\d+)?|\.\d+)"
    r"|(?P<word>[^\W\d_]+(?:['’][^\W\d_]+)*)"
    r"|(?P<sym><=|>=|[" + _DASHES + r"<>≤≥~≈+/²])"
)


@dataclass(frozen=True)
class _Token:
    norm: str
    kind: str  # "num", "word", "sym"
    start: int
    end: int


def _tokenize(text: str) -> list[_Token]:
    tokens = []
    for match in _TOKEN_RE.finditer(text):
        kind = match.lastgroup
        raw = match.group()
        if kind == "sym":
            norm = "-" if raw in _DASHES else raw
        elif kind == "word":
            norm = raw.lower().replace("’", "'")
        else:
            norm = raw
        tokens.append(_Token(norm, kind, match.start(), match.end()))
    return tokens


# --------------------------------------------------------------------------- numerals

_SMALL = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
}
_TENS = {
    "twenty": 20, "thirty": 30, "forty": 40, "fourty": 40, "fifty": 50, "sixty": 60,
    "seventy": 70, "eighty": 80, "ninety": 90,
}
_SCALES = {"hundred": 100, "thousand": 1000}
_ARTICLES = ("a", "an")


@dataclass(frozen=True)
class _Num:
    value: float
    half_unit: float  # half the place value of the last stated digit, in claim units
    end: int  # index after the last token used


def _digits_value(token: str) -> tuple[float, float]:
    """Value and half-unit of a digit token ('1,500' -> 1500, 0.5; '1.5' -> 1.5, 0.05)."""
    if re.fullmatch(r"\d+,\d{1,2}", token):  # decimal comma, e.g. "1,5 km"
        token = token.replace(",", ".")
    else:
        token = token.replace(",", "")
    decimals = len(token.split(".")[1]) if "." in token else 0
    return float(token), 0.5 * 10.0 ** (-decimals)


def _word_at(tokens: list[_Token], i: int) -> str | None:
    return tokens[i].norm if i < len(tokens) and tokens[i].kind == "word" else None


def _parse_words(tokens: list[_Token], i: int) -> _Num | None:
    """English cardinal words: 'twenty-five', 'one hundred and twenty', 'a dozen', 'two and a half'."""
    n = len(tokens)
    total = 0.0
    current = 0.0
    seen = False
    j = i
    half_unit = 0.5
    # leading article: "a hundred", "a thousand", "a dozen"
    if _word_at(tokens, j) in _ARTICLES and _word_at(tokens, j + 1) in ("hundred", "thousand", "dozen"):
        current = 1.0
        seen = True
        j += 1
    while j < n:
        word = _word_at(tokens, j)
        if word is None:
            break
        below_hundred = current % 100
        if word in _SMALL:
            # a new small number only where the tens/units are still empty, or after a bare ten ("twenty five")
            if below_hundred and not (below_hundred % 10 == 0 and below_hundred >= 20 and 0 < _SMALL[word] < 10):
                break
            current += _SMALL[word]
        elif word in _TENS:
            if below_hundred:
                break
            current += _TENS[word]
            nxt = _word_at(tokens, j + 2)
            if j + 2 < n and tokens[j + 1].norm == "-" and nxt in _SMALL and 0 < _SMALL[nxt] < 10:
                current += _SMALL[nxt]  # "twenty-five"
                j += 2
        elif word == "hundred" and seen and 0 < current < 100:
            current *= 100
        elif word == "thousand" and seen and 0 < current < 1000 and total == 0:
            total, current = current * 1000, 0.0
        elif word == "dozen" and seen and 0 < current < 100 and total == 0 and current == int(current):
            current *= 12
            j += 1
            break
        elif word == "and" and seen:
            nxt = _word_at(tokens, j + 1)
            if nxt in _ARTICLES and _word_at(tokens, j + 2) == "half":
                current += 0.5  # "two and a half"
                half_unit = 0.05
                j += 3
                break
            if (total or current >= 100) and not current % 100 and (nxt in _SMALL or nxt in _TENS):
                j += 1  # "one hundred and twenty"
                continue
            break
        else:
            break
        seen = True
        j += 1
    if not seen:
        return None
    return _Num(total + current, half_unit, j)


def _parse_number(tokens: list[_Token], i: int, lexicon: Lexicon) -> _Num | None:
    """A numeral at token ``i``: digits, words, 'half a', 'a quarter', or 'a'/'one' before a unit."""
    if i >= len(tokens):
        return None
    tok = tokens[i]
    if tok.kind == "num":
        value, half_unit = _digits_value(tok.norm)
        j = i + 1
        scale = _word_at(tokens, j)
        if scale in _SCALES:
            value *= _SCALES[scale]
            half_unit *= _SCALES[scale]
            j += 1
        return _Num(value, half_unit, j)
    word = tok.norm if tok.kind == "word" else None
    if word is None:
        return None
    nxt = _word_at(tokens, i + 1)
    if word == "half" and nxt in _ARTICLES:
        if _word_at(tokens, i + 2) == "dozen":
            return _Num(6.0, 0.5, i + 3)
        return _Num(0.5, 0.05, i + 2)
    if word in _ARTICLES and nxt == "half":  # "a half kilometre", "a half-mile"
        return _Num(0.5, 0.05, i + 2)
    if word in _ARTICLES and nxt == "quarter":
        j = i + 2
        if _word_at(tokens, j) == "of" and _word_at(tokens, j + 1) in _ARTICLES:
            j += 2
        return _Num(0.25, 0.025, j)
    if word in ("three",) and nxt in ("quarters", "quarter"):
        j = i + 2
        if _word_at(tokens, j) == "of" and _word_at(tokens, j + 1) in _ARTICLES:
            j += 2
        return _Num(0.75, 0.025, j)
    parsed = _parse_words(tokens, i)
    if parsed is not None:
        return parsed
    if word in _ARTICLES and _unit_at(tokens, i + 1, lexicon) is not None:
        return _Num(1.0, 0.5, i + 1)  # "about a mile", "within a kilometre"
    return None


# --------------------------------------------------------------------------- grammar


def _phrase_at(tokens: list[_Token], i: int, phrase: tuple[str, ...]) -> bool:
    if i + len(phrase) > len(tokens):
        return False
    return all(tokens[i + k].norm == phrase[k] for k in range(len(phrase)))


def _longest(tokens: list[_Token], i: int, entries: Iterable[_Entry]) -> tuple[_Entry, int] | None:
    best: tuple[_Entry, int] | None = None
    for entry in entries:
        for phrase in entry.phrases:
            if _phrase_at(tokens, i, phrase) and (best is None or i + len(phrase) > best[1]):
                best = (entry, i + len(phrase))
    return best


def _unit_at(tokens: list[_Token], i: int, lexicon: Lexicon) -> tuple[_Entry, int] | None:
    j = i
    if j < len(tokens) and tokens[j].norm == "-":  # hyphenated "5-km zone"
        j += 1
    found = _longest(tokens, j, lexicon.units)
    if found is None:
        return None
    entry, end = found
    # areas ("5 km²", "km2") and speeds ("50 km/h", "50 km per hour") are not distances
    if end < len(tokens) and tokens[end].start == tokens[end - 1].end and tokens[end].norm in ("2", "²"):
        return None
    if end < len(tokens) and tokens[end].norm in ("/", "²", "per"):
        return None
    if i > 0 and tokens[i - 1].norm in ("square", "sq", "cubic"):
        return None
    return entry, end


@dataclass(frozen=True)
class _Quantity:
    strict: tuple[float, float]  # core count range in claim units (strict reading)
    lenient: tuple[float, float]
    half_unit: float  # rounding half-unit in claim units (0 for vague counts)
    vague: str | None  # rule id part for a vague quantity
    entries: tuple[_Entry, ...]
    end: int


def _parse_quantity(tokens: list[_Token], i: int, lexicon: Lexicon) -> _Quantity | None:
    vague = _longest(tokens, i, lexicon.vague)
    if vague is not None:
        entry, j = vague
        scale = 1.0
        rule = entry.id
        entries: tuple[_Entry, ...] = (entry,)
        if lexicon.multipliers:
            mult = _longest(tokens, j, lexicon.multipliers)
            if mult is not None:
                scale = float(mult[0].data["value"])
                rule = f"{entry.id}*{mult[0].id}"
                entries = (entry, mult[0])
                j = mult[1]
                if _word_at(tokens, j) == "of":
                    j += 1
        s, l_ = entry.data["strict"], entry.data["lenient"]
        strict = (s["min"] * scale, math.inf if s.get("max") is None else s["max"] * scale)
        lenient = (l_["min"] * scale, math.inf if l_.get("max") is None else l_["max"] * scale)
        return _Quantity(strict, lenient, 0.0, rule, entries, j)
    num = _parse_number(tokens, i, lexicon)
    if num is None:
        return None
    if not math.isfinite(num.value):
        return None
    point = (num.value, num.value)
    return _Quantity(point, point, num.half_unit, None, (), num.end)


@dataclass(frozen=True)
class _Match:
    start: int  # token indices
    end: int
    strict: Range
    lenient: Range
    rule: str
    entries: tuple[_Entry, ...]
    unit: _Entry


def _apply(kind: str, core: tuple[float, float], half_unit_m: float, rel: float, rounding: bool):
    """Turn a core range [a, b] (metres) into a reading's range under a comparator kind."""
    a, b = core
    pad_a = max(a * rel, half_unit_m if rounding else 0.0)
    pad_b = max(b * rel, half_unit_m if rounding else 0.0) if math.isfinite(b) else 0.0
    if kind == "approx":
        lo, hi = a - pad_a, b + pad_b
    elif kind == "below":
        lo, hi = a * (1 - rel), b
    elif kind == "above":
        lo, hi = a, b * (1 + rel)
    elif kind == "upper":
        lo, hi = 0.0, b + pad_b
    elif kind == "lower":
        lo, hi = a - pad_a, math.inf
    elif kind == "range":
        lo, hi = a - a * rel, b + b * rel
    else:  # "identity": a bare vague quantity
        lo, hi = a, b
    lo = max(0.0, lo)
    return lo, hi


def _to_range(bounds: tuple[float, float]) -> Range:
    lo, hi = bounds
    if not (math.isfinite(lo) and (math.isfinite(hi) or hi == math.inf)):
        raise OverflowError
    return Range(lo, None if hi == math.inf else hi)


def _postfix(tokens: list[_Token], i: int, lexicon: Lexicon) -> tuple[_Entry, int] | None:
    return _longest(tokens, i, (c for c in lexicon.comparators if c.data.get("position") == "postfix"))


def _match_at(tokens: list[_Token], i: int, lexicon: Lexicon) -> _Match | None:
    prefix = _longest(tokens, i, (c for c in lexicon.comparators if c.data.get("position", "prefix") == "prefix"))
    comparator: _Entry | None = None
    j = i
    if prefix is not None:
        comparator, j = prefix
    first = _parse_quantity(tokens, j, lexicon)
    if first is None:
        return None
    k = first.end
    plus = False
    if comparator is None and first.vague is None and k < len(tokens) and tokens[k].norm == "+":
        plus = True  # "30+ km": a lower bound
        k += 1
    unit1 = _unit_at(tokens, k, lexicon)
    if unit1 is not None:
        k = unit1[1]
    # range: "5-10 km", "5 to 10 km", "between 5 and 10 km", "5 km to 10 km", "five or six km"
    if first.vague is None and not plus and k < len(tokens):
        sep = tokens[k].norm
        allowed = {"-", "to", "or"} | ({"and"} if comparator is not None and comparator.id == "range" else set())
        if sep in allowed:
            second = _parse_quantity(tokens, k + 1, lexicon)
            if second is not None and second.vague is None:
                unit2 = _unit_at(tokens, second.end, lexicon)
                if unit2 is not None:
                    u1 = unit1[0] if unit1 is not None else unit2[0]
                    m1, m2 = float(u1.data["metres"]), float(unit2[0].data["metres"])
                    lo_m = first.strict[0] * m1
                    hi_m = second.strict[0] * m2
                    if lo_m > hi_m:
                        lo_m, hi_m = hi_m, lo_m
                    if comparator is None or comparator.id == "range":
                        comparator = lexicon.comparator("range")
                    return _finish(tokens, i, unit2[1], (lo_m, hi_m), (lo_m, hi_m), 0.0, comparator, None, (), unit2[0], lexicon)
    if unit1 is None:
        return None
    if comparator is not None and comparator.id == "range":
        return None  # "between 5 km" without a second number is not a range
    unit = unit1[0]
    metres = float(unit.data["metres"])
    end = unit1[1]
    if plus:
        comparator = next(
            (c for c in lexicon.comparators if c.data.get("kind") == "lower" and c.data.get("position") == "postfix"),
            None,
        ) or next(c for c in lexicon.comparators if c.data.get("kind") == "lower")
    core_s = (first.strict[0] * metres, first.strict[1] * metres)
    core_l = (first.lenient[0] * metres, first.lenient[1] * metres)
    return _finish(tokens, i, end, core_s, core_l, first.half_unit * metres, comparator, first.vague, first.entries, unit, lexicon)


def _finish(tokens, start, end, core_s, core_l, half_unit_m, comparator, vague_rule, vague_entries, unit, lexicon):
    if comparator is None:
        post = _postfix(tokens, end, lexicon)
        if post is not None:
            comparator, end = post
    if comparator is None and vague_rule is not None:
        kind = "identity"
        strict_params = lenient_params = (0.0, False)
        rule = vague_rule
        entries = vague_entries
    else:
        if comparator is None:
            comparator = lexicon.comparator("bare-number")
        kind = comparator.data["kind"]
        strict_params = (comparator.data["strict"]["rel"], comparator.data["strict"].get("rounding", False))
        lenient_params = (comparator.data["lenient"]["rel"], comparator.data["lenient"].get("rounding", False))
        rule = comparator.id if vague_rule is None else f"{comparator.id}+{vague_rule}"
        entries = (comparator, *vague_entries)
    strict = _to_range(_apply(kind, core_s, half_unit_m, *strict_params))
    lenient = _to_range(_apply(kind, core_l, half_unit_m, *lenient_params))
    return _Match(start, end, strict, lenient, rule, entries, unit)


def _quote(text: str) -> str:
    one_line = " ".join(text.split())
    if len(one_line) > _MAX_TEXT_IN_MESSAGE:
        one_line = one_line[: _MAX_TEXT_IN_MESSAGE - 1] + "…"
    return f"'{one_line}'"


def _scan(tokens: list[_Token], lexicon: Lexicon) -> list[_Match]:
    matches = []
    i = 0
    while i < len(tokens):
        try:
            found = _match_at(tokens, i, lexicon)
        except (OverflowError, ValueError):
            found = None
        if found is not None:
            matches.append(found)
            i = found.end
        else:
            i += 1
    return matches


def parse_claim(text: str, *, lexicon: str | Path | None = None) -> Claim:
    """Read a distance claim (a phrase or a sentence containing one) as ranges in metres.

    Parameters
    ----------
    text : str
        English text such as "within 5 km", "about 30 miles", "a 5-km zone",
        "between 10 and 20 km", "dozens of kilometers" or a sentence holding
        one such expression.
    lexicon : str or Path, optional
        A lexicon JSON file with the schema of the shipped one
        (``geomap/data/claims_lexicon.json``); default: the shipped lexicon.

    Returns
    -------
    Claim
        With a ``strict`` and a ``lenient`` :class:`Range` (metres), the rule
        used, its rationale and citation.  ``min_m``/``max_m`` are the strict
        reading.

    Raises
    ------
    geomap.errors.ClaimError
        If no distance expression (number or vague quantity followed by a
        unit) is found, or the sentence holds several that disagree.
    geomap.errors.FileFormatError
        If ``lexicon`` cannot be read or does not follow the schema.

    Examples
    --------
    >>> parse_claim("less than 5 km").strict
    Range(min_m=0.0, max_m=5000.0)
    >>> parse_claim("about 30 miles").rule
    'approx'
    """
    if not isinstance(text, str):
        raise ClaimError(f"a claim must be text, got {type(text).__name__}; write it like {_EXAMPLES}")
    lex = load_lexicon(lexicon)
    matches = _scan(_tokenize(text), lex) if text.strip() else []
    tokens = _tokenize(text) if matches else []
    if not matches:
        raise ClaimError(
            f"no distance found in {_quote(text)}: write a number or vague quantity with a unit, "
            f"e.g. {_EXAMPLES}, or give explicit bounds in km"
        )
    chosen = matches[0]

    def snippet(match: _Match) -> str:
        return text[tokens[match.start].start : tokens[match.end - 1].end]

    notes: list[str] = []
    if len(matches) > 1:
        others = matches[1:]
        if all(o.lenient.overlaps(chosen.lenient.lower_m, chosen.lenient.upper_m) for o in others):
            for other in others:
                notes.append(
                    f"also found {snippet(other)!r} ({other.lenient.describe(other.unit.id)} leniently), "
                    "consistent with the first expression; the first was used"
                )
        else:
            listed = ", ".join(repr(snippet(m)) for m in matches[:4])
            raise ClaimError(
                f"{len(matches)} different distances found in {_quote(text)} ({listed}): "
                f"pass only the expression to check, e.g. {snippet(chosen)!r}"
            )
    rationale_parts = [e.rationale for e in chosen.entries]
    unit = chosen.unit
    rationale_parts.append(f"Unit '{unit.id}' = {float(unit.data['metres']):.10g} m: {unit.rationale}")
    citations = [e.citation for e in (*chosen.entries, unit) if e.citation]
    return Claim(
        text=text,
        matched_text=snippet(chosen),
        rule=chosen.rule,
        rationale=" ".join(rationale_parts),
        citation="; ".join(dict.fromkeys(citations)) or None,
        strict=chosen.strict,
        lenient=chosen.lenient,
        unit=unit.id,
        lexicon=lex.source,
        notes=tuple(notes),
    )


def claim_from_bounds(text: str | None, *, min_km: float | None, max_km: float | None) -> Claim:
    """A claim from explicit bounds in kilometres (rule ``user-bounds``).

    Both readings equal ``[min_km, max_km]`` converted to metres; a ``None``
    bound is open.  ``text`` is kept as the claim's wording (may be None).

    Raises
    ------
    geomap.errors.ClaimError
        If both bounds are missing, one is negative or not finite, or
        ``min_km > max_km``.

    >>> claim_from_bounds("dozens of km", min_km=20, max_km=None).strict
    Range(min_m=20000.0, max_m=None)
    """
    if min_km is None and max_km is None:
        raise ClaimError("give at least one bound: a minimum and/or a maximum distance in km")
    for name, value in (("min_km", min_km), ("max_km", max_km)):
        if value is None:
            continue
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value) or value < 0:
            raise ClaimError(f"{name} must be a finite number of kilometres >= 0, got {value!r}")
    if min_km is not None and max_km is not None and min_km > max_km:
        raise ClaimError(f"the minimum {min_km:g} km is larger than the maximum {max_km:g} km: swap them")
    bounds = Range(None if min_km is None else min_km * 1000.0, None if max_km is None else max_km * 1000.0)
    return Claim(
        text=text or "",
        matched_text=text or "",
        rule="user-bounds",
        rationale="Bounds given explicitly by the user; both readings are this range.",
        citation=None,
        strict=bounds,
        lenient=bounds,
        unit="km",
        lexicon="none",
    )
