"""The grammar of a distance expression: [comparator] quantity [unit] [range] [comparator], per lexicon.

:func:`scan` walks the tokens of a claim and returns every :class:`Match`
(an expression with a unit), each with its strict and lenient range in metres.
Which match is the claim (and whether two disagree) is decided by
:mod:`geomap.claims.parse`.

Refusals that must never become a reading (a number in exponent notation, a
negative distance) raise :class:`Refusal`.

Standard library only.
"""

from __future__ import annotations

import dataclasses

import math
from dataclasses import dataclass
from functools import lru_cache

from geomap.claims.lexicon import Entry, Lexicon
from geomap.claims.numbers import (
    Num,
    Token,
    and_a_half,
    digits_and_scale,
    parse_english_number,
    parse_library_words,
    parse_table_words,
    word_at,
)
from geomap.claims.readings import Range

__all__ = ["Match", "Refusal", "prepare", "scan", "snippet", "phrase_at", "parse_number", "unit_at"]

_EN_ARTICLES = ("the", "a", "an")


class Refusal(ValueError):
    """The text holds something that must not be read as a distance (message says what).

    ``fix`` (optional) is what the user should write instead; without it the
    caller names the general fix (a positive number in plain digits or words
    with a unit).
    """

    def __init__(self, message: str, fix: str | None = None):
        super().__init__(message)
        self.fix = fix


#: largest denominator of a digit fraction read as one number ('7/16 mile'); '10/15 km' is not a fraction
_MAX_DENOMINATOR = 16


def _refuse_unreadable(tokens: list[Token], match: Match, lex: Lexicon, text: str) -> None:
    """Refuse a match whose own tokens say something else than the reading ('5 M', '10/15 km').

    * A unit written as one upper-case letter ('5 M', '500 М'): lexicons match
      in lower case, so 'M' was read as metres, but an upper-case M is also
      written for miles, nautical miles (aviation) and a million ('$5M').
    * A digit fraction that is not a proper fraction in lowest terms with a
      small denominator ('10/15 km', '5/10 km', '3/2 km'): people write
      '10/15 km' for 10 to 15 km, which was read as 0.67 km.
    """
    for tok in tokens[match.start:match.end]:
        raw = text[tok.start:tok.end]
        if tok.kind == "word" and len(raw) == 1 and raw.isupper() and tok.norm in lex.unit_words:
            raise Refusal(
                f"an upper-case {raw!r} as a unit ({snippet(text, tokens, match.start, match.end)!r})",
                fix=f"an upper-case {raw!r} may mean metres, miles, nautical miles or a million: write the unit "
                    f"in full, or {raw.lower()!r} for metres",
            )
        if tok.kind == "num" and "/" in tok.norm:
            numerator, denominator = (int(part) for part in tok.norm.split("/"))
            if not (0 < numerator < denominator <= _MAX_DENOMINATOR and math.gcd(numerator, denominator) == 1):
                raise Refusal(
                    f"{raw!r} is not a plain fraction ({snippet(text, tokens, match.start, match.end)!r})",
                    fix=f"write a range as '{numerator}-{denominator} km' or 'between {numerator} and "
                        f"{denominator} km', and a fraction in lowest terms ('3/4 mile') or as a decimal",
                )


@dataclass(frozen=True)
class Match:
    """One distance expression: token span, strict/lenient ranges (metres), rule, entries used, unit entry."""

    start: int
    end: int
    strict: Range
    lenient: Range
    rule: str
    entries: tuple[Entry, ...]
    unit: Entry
    #: a range written larger end first ('between 12 and 8 km'), read in order
    reversed: bool = False


@dataclass(frozen=True)
class _Quantity:
    strict: tuple[float, float]  # core count range in claim units
    lenient: tuple[float, float]
    half_unit: float  # rounding half-unit in claim units (0 for vague counts)
    vague: str | None
    entries: tuple[Entry, ...]
    end: int


def snippet(text: str, tokens: list[Token], start: int, end: int) -> str:
    """The text covered by tokens ``start`` .. ``end - 1``."""
    return text[tokens[start].start : tokens[end - 1].end]


def prepare(tokens: list[Token], lex: Lexicon) -> list[Token]:
    """Split case endings off numbers and units (Turkish ``km'den``, Armenian ``կմ-ից``, ``kilometrdən``).

    An ending written after a hyphen or apostrophe right after a number or unit
    becomes its own token (the joiner is dropped); a unit name fused with an
    ending ('kilometreden') is split in two.  Languages without ``suffixes``
    are returned unchanged.
    """
    if not lex.suffixes:
        return tokens
    out: list[Token] = []
    n = len(tokens)
    for idx, tok in enumerate(tokens):
        if tok.kind == "sym" and tok.norm in ("-", "'") and out and idx + 1 < n:
            prev, nxt = out[-1], tokens[idx + 1]
            if (
                prev.kind in ("num", "word")
                and prev.end == tok.start
                and nxt.start == tok.end
                and nxt.kind == "word"
                and nxt.norm in lex.suffixes
            ):
                continue
        if tok.kind == "word" and tok.norm not in lex.unit_words and tok.norm not in lex.vocabulary:
            for cut in range(len(tok.norm) - 1, 0, -1):
                stem, ending = tok.norm[:cut], tok.norm[cut:]
                if stem in lex.unit_words and ending in lex.suffixes:
                    split = min(tok.start + cut, tok.end)
                    out.append(Token(stem, "word", tok.start, split))
                    out.append(Token(ending, "word", split, tok.end))
                    break
            else:
                out.append(tok)
            continue
        out.append(tok)
    return out


def phrase_at(tokens: list[Token], i: int, phrase: tuple[str, ...]) -> bool:
    if i < 0 or i + len(phrase) > len(tokens):
        return False
    return all(tokens[i + k].norm == phrase[k] for k in range(len(phrase)))


@lru_cache(maxsize=512)
def _index(entries: tuple[Entry, ...]) -> dict[str, tuple[tuple[Entry, tuple[str, ...]], ...]]:
    """Phrases by first word, longest first, so matching is a dict lookup per token."""
    grouped: dict[str, list[tuple[Entry, tuple[str, ...]]]] = {}
    for entry in entries:
        for phrase in entry.phrases:
            grouped.setdefault(phrase[0], []).append((entry, phrase))
    return {k: tuple(sorted(v, key=lambda item: -len(item[1]))) for k, v in grouped.items()}


def _longest(tokens: list[Token], i: int, entries: tuple[Entry, ...]) -> tuple[Entry, int] | None:
    if i >= len(tokens) or not entries:
        return None
    for entry, phrase in _index(entries).get(tokens[i].norm, ()):
        if phrase_at(tokens, i, phrase):
            return entry, i + len(phrase)
    return None


def _longest_phrase(tokens: list[Token], i: int, phrases: tuple[tuple[str, ...], ...]) -> tuple[str, ...] | None:
    best = None
    for phrase in phrases:
        if phrase_at(tokens, i, phrase) and (best is None or len(phrase) > len(best)):
            best = phrase
    return best


def _unit_at(tokens: list[Token], i: int, lex: Lexicon) -> tuple[Entry, int] | None:
    j = i
    if j < len(tokens) and tokens[j].norm == "-":  # hyphenated "5-km zone"
        j += 1
    found = _longest(tokens, j, lex.units)
    if found is None:
        return None
    entry, end = found
    # areas ("5 km²", "km2") and speeds ("50 km/h", "50 km per hour") are not distances
    if end < len(tokens) and tokens[end].start == tokens[end - 1].end and tokens[end].norm in ("2", "²"):
        return None
    if end < len(tokens) and tokens[end].norm in ("/", "²", "per"):
        return None
    return entry, end


def unit_at(tokens: list[Token], i: int, lex: Lexicon) -> Entry | None:
    """The unit entry written at ``i`` ('km', '-km'), else None (areas and speeds are not units of distance)."""
    found = _unit_at(tokens, i, lex)
    return None if found is None else found[0]


def parse_number(tokens: list[Token], i: int, lex: Lexicon, text: str) -> Num | None:
    if i >= len(tokens):
        return None
    tok = tokens[i]
    if lex.language == "en":
        return parse_english_number(tokens, i, lex.number_format, lambda k: _unit_at(tokens, k, lex) is not None)
    if tok.kind == "num":
        return digits_and_scale(tokens, i, lex.number_format, lex.number_words.scales)
    table = parse_table_words(tokens, i, lex.number_words)
    library = parse_library_words(tokens, i, lex.number_words, text)
    if library is not None and (table is None or library.end > table.end):
        return library
    return table


def _parse_quantity(tokens: list[Token], i: int, lex: Lexicon, text: str) -> _Quantity | None:
    vague = _longest(tokens, i, lex.vague)
    if vague is not None:
        entry, j = vague
        scale = 1.0
        rule = entry.id
        entries: tuple[Entry, ...] = (entry,)
        mult = _longest(tokens, j, lex.multipliers)
        if mult is not None:
            scale = float(mult[0].data["value"])
            rule = f"{entry.id}*{mult[0].id}"
            entries = (entry, mult[0])
            j = mult[1]
            if word_at(tokens, j) in lex.partitives:
                j += 1  # "a few hundred of", "quelques centaines de mètres"
        s, l_ = entry.data["strict"], entry.data["lenient"]
        strict = (s["min"] * scale, math.inf if s.get("max") is None else s["max"] * scale)
        lenient = (l_["min"] * scale, math.inf if l_.get("max") is None else l_["max"] * scale)
        return _Quantity(strict, lenient, 0.0, rule, entries, j)
    num = parse_number(tokens, i, lex, text)
    if num is None or not math.isfinite(num.value):
        return None
    point = (num.value, num.value)
    return _Quantity(point, point, num.half_unit, None, (), num.end)


def _signed(tokens: list[Token], j: int, lex: Lexicon) -> str | None:
    """The sign written before the number at ``j`` ('-5', '−5', 'minus 5'), else None."""
    if j >= 1 and tokens[j - 1].norm == "-" and tokens[j - 1].end == tokens[j].start:
        if j == 1 or tokens[j - 2].end < tokens[j - 1].start or tokens[j - 2].kind == "sym":
            return "-"
    for phrase in lex.signs:
        if phrase_at(tokens, j - len(phrase), phrase):
            return " ".join(phrase)
    return None


def _as_written(text, tokens: list[Token], j: int, sign: str) -> str:
    """The sign as the claim wrote it ('−' or '–', not the '-' it is matched as)."""
    if sign == "-" and isinstance(text, str) and j >= 1:
        return text[tokens[j - 1].start:tokens[j - 1].end]
    return sign


def _apply(kind: str, core: tuple[float, float], half_unit_m: float, params: tuple[float, bool, float]):
    """Turn a core range [a, b] (metres) into a reading's range under a comparator kind."""
    rel, rounding, cap = params
    a, b = core

    def pad(x: float) -> float:
        slack = min(half_unit_m, x * cap) if rounding else 0.0
        return max(x * rel, slack)

    if kind == "approx":
        lo, hi = a - pad(a), (b + pad(b) if math.isfinite(b) else b)
    elif kind == "below":
        lo, hi = a * (1 - rel), b
    elif kind == "above":
        lo, hi = a, b * (1 + rel)
    elif kind == "upper":
        lo, hi = 0.0, (b + pad(b) if math.isfinite(b) else b)
    elif kind == "lower":
        lo, hi = a - pad(a), math.inf
    elif kind == "range":
        lo, hi = a - a * rel, b + b * rel
    elif kind == "odd":  # "20-odd": from N up to N plus a fraction of its last round step
        step = _lowest_place(a)
        lo, hi = a, b + step * rel
    else:  # "identity": a bare vague quantity
        lo, hi = a, b
    return max(0.0, lo), hi


def _lowest_place(value_m: float) -> float:
    """Place value of the last non-zero digit of a whole number (20 -> 10, 150 -> 10, 100 -> 100)."""
    if value_m <= 0 or value_m != int(value_m):
        return 1.0
    place = 1.0
    while value_m % (place * 10) == 0:
        place *= 10
    return place


def _to_range(bounds: tuple[float, float]) -> Range:
    lo, hi = bounds
    if not (math.isfinite(lo) and (math.isfinite(hi) or hi == math.inf)):
        raise OverflowError
    return Range(lo, None if hi == math.inf else hi)


def _params(comparator: Entry, reading: str, lex: Lexicon) -> tuple[float, bool, float]:
    data = comparator.data[reading]
    cap = data.get("rounding_max_rel") if lex.rounding_cap else None
    return float(data["rel"]), bool(data.get("rounding", False)), math.inf if cap is None else float(cap)


def _range_reading(comparator: Entry, tokens: list[Token], start: int, end: int) -> bool:
    """True if this comparator reads a following explicit range as a range ('within 340-500 m')."""
    if comparator.id == "range":
        return True
    used = tuple(tok.norm for tok in tokens[start:end])
    return any(tuple(p.split()) == used or p == " ".join(used) for p in comparator.data.get("range_phrases", []))


def _match_at(tokens: list[Token], i: int, lex: Lexicon, text: str) -> Match | None:
    prefix = _longest(tokens, i, lex.prefix)
    if prefix is not None:
        vague_here = _longest(tokens, i, lex.vague)
        if vague_here is not None and vague_here[1] >= prefix[1]:
            prefix = None  # Spanish 'unos pocos' is a vague quantity, not 'unos' (about) + 'pocos'
    comparator: Entry | None = None
    j = i
    if prefix is not None:
        comparator, j = prefix
    first = _parse_quantity(tokens, j, lex, text)
    if first is None and comparator is not None and (
            (lex.language == "en" and word_at(tokens, j) in _EN_ARTICLES) or word_at(tokens, j) in lex.prepositions):
        j += 1
        # "within the 15-km zone", "within a 5 km radius", Russian "более чем в 5 км", Ukrainian "менше ніж за 5 км"
        first = _parse_quantity(tokens, j, lex, text)
    if first is None:
        return None
    k = first.end
    odd = None
    if first.vague is None:
        m = k + 1 if k < len(tokens) and tokens[k].norm == "-" else k
        odd = _longest(tokens, m, lex.after_number)
        if odd is not None:
            k = odd[1]
    plus = False
    if comparator is None and first.vague is None and odd is None and k < len(tokens) and tokens[k].norm == "+":
        plus = True  # "30+ km": a lower bound
        k += 1
    unit1 = _unit_at(tokens, k, lex)
    # a sign inside the comparator just read ('au moins 15 km') is not a sign
    sign = _signed(tokens, j, lex) if first.vague is None and prefix is None else None
    if unit1 is not None:
        k = unit1[1]
    if first.vague is None and not plus and odd is None and k < len(tokens):
        found = _range_at(tokens, i, j, k, first, unit1, comparator, lex, text)
        if found is not None:
            if sign is not None:
                raise Refusal(f"a negative distance ('{_as_written(text, tokens, j, sign)}' before {snippet(text, tokens, j, found.end)!r})")
            return found
    if unit1 is None:
        return None
    if sign is not None:
        raise Refusal(f"a negative distance ('{_as_written(text, tokens, j, sign)}' before {snippet(text, tokens, j, unit1[1])!r})")
    if comparator is not None and comparator.id == "range":
        return None  # "between 5 km" without a second number is not a range
    unit = unit1[0]
    metres = float(unit.data["metres"])
    end = unit1[1]
    half_unit = first.half_unit
    if first.vague is None and odd is None:
        half_end = and_a_half(tokens, end) if lex.language == "en" else None
        half = _longest_phrase(tokens, end, lex.half_after) if half_end is None else None
        if half is not None:
            half_end = end + len(half)  # French 'deux kilomètres et demi', Spanish '2 km y medio'
        if half_end is not None and first.strict[0] == int(first.strict[0]):
            value = first.strict[0] + 0.5  # "a mile and a half"
            first = _Quantity((value, value), (value, value), 0.05, None, (), first.end)
            half_unit = 0.05
            end = half_end
    if odd is not None:
        comparator = odd[0]
    if plus:
        comparator = next(
            (c for c in lex.comparators if c.data.get("kind") == "lower" and c.data.get("position") == "postfix"),
            None,
        ) or next(c for c in lex.comparators if c.data.get("kind") == "lower")
    core_s = (first.strict[0] * metres, first.strict[1] * metres)
    core_l = (first.lenient[0] * metres, first.lenient[1] * metres)
    return _finish(tokens, i, end, core_s, core_l, half_unit * metres, comparator, first.vague, first.entries, unit, lex)


def _range_at(tokens, i, j, k, first, unit1, comparator, lex, text) -> Match | None:
    """'5-10 km', '5 to 10 km', 'between 5 and 10 km', '30- to 40-km', 'от 5 до 10 км' starting at ``i``."""
    k2 = k
    if unit1 is None and k2 + 1 < len(tokens) and tokens[k2].norm == "-" and tokens[k2 + 1].kind == "word":
        k2 += 1  # suspended hyphen: "30- to 40-kilometre"
    is_range_comparator = comparator is not None and _range_reading(comparator, tokens, i, j)
    separators = lex.range_separators + (lex.range_joiners if is_range_comparator else ())
    sep = _longest_phrase(tokens, k2, separators)
    if sep is None:
        return None
    if unit1 is not None and len(sep) == 1 and sep[0] in lex.restatement_joiners:
        return None  # "5 km or 3 miles" restates; "five or six km" is a range
    second = _parse_quantity(tokens, k2 + len(sep), lex, text)
    if second is None or second.vague is not None:
        return None
    unit2 = _unit_at(tokens, second.end, lex)
    if unit2 is None:
        return None
    if unit1 is not None and unit1[0].id != unit2[0].id:
        return None  # two units: a restatement, read as two expressions
    u1 = unit1[0] if unit1 is not None else unit2[0]
    lo_m = first.strict[0] * float(u1.data["metres"])
    hi_m = second.strict[0] * float(unit2[0].data["metres"])
    reversed_ends = lo_m > hi_m
    if reversed_ends:
        lo_m, hi_m = hi_m, lo_m
    if comparator is not None and not is_range_comparator and comparator.data.get("kind") != "approx":
        bound, unit = snippet(text, tokens, i, j), snippet(text, tokens, second.end, unit2[1])
        ends = (snippet(text, tokens, j, first.end), snippet(text, tokens, k2 + len(sep), second.end))
        raise Refusal(
            f"a bound before a range ({snippet(text, tokens, i, unit2[1])!r}): which end it bounds is not said",
            fix=f"pass the bound meant ('{bound} {ends[0]} {unit}' or '{bound} {ends[1]} {unit}'), or the bounds with "
                "--min-km/--max-km",
        )
    if comparator is None or is_range_comparator:
        comparator = lex.comparator("range")
    found = _finish(tokens, i, unit2[1], (lo_m, hi_m), (lo_m, hi_m), 0.0, comparator, None, (), unit2[0], lex)
    return dataclasses.replace(found, reversed=True) if reversed_ends else found


def _finish(tokens, start, end, core_s, core_l, half_unit_m, comparator, vague_rule, vague_entries, unit, lex) -> Match:
    if comparator is not None and comparator.id == "range":
        closer = _longest_phrase(tokens, end, lex.range_closers)
        if closer is not None:
            return _finish(tokens, start, end + len(closer), core_s, core_l, half_unit_m, comparator, vague_rule,
                           vague_entries, unit, _NoPostfix(lex))
    if comparator is None or comparator.id == "range":
        post = _longest(tokens, end, lex.postfix)
        if post is None and end < len(tokens) and tokens[end].norm in lex.fillers:
            post = _longest(tokens, end + 1, lex.postfix)  # "400-500 meters off, or less"
        if post is not None:
            comparator, end = post
        elif end < len(tokens) and tokens[end].norm in lex.fillers and comparator is not None:
            end += 1  # "5 ile 10 km arasında"
    if comparator is None and vague_rule is not None:
        kind = "identity"
        strict_params = lenient_params = (0.0, False, 0.0)
        rule = vague_rule
        entries = vague_entries
    else:
        if comparator is None:
            comparator = lex.comparator("bare-number")
        kind = comparator.data["kind"]
        strict_params = _params(comparator, "strict", lex)
        lenient_params = _params(comparator, "lenient", lex)
        rule = comparator.id if vague_rule is None else f"{comparator.id}+{vague_rule}"
        entries = (comparator, *vague_entries)
    if vague_rule is not None and kind in ("upper", "lower", "range"):
        # a vague quantity's lexicon ranges already are its readings: no extra rounding slack
        strict_params = lenient_params = (0.0, False, 0.0)
    strict = _to_range(_apply(kind, core_s, half_unit_m, strict_params))
    lenient = _to_range(_apply(kind, core_l, half_unit_m, lenient_params))
    return Match(start, end, strict, lenient, rule, entries, unit)


class _NoPostfix:
    """A view of a lexicon without trailing comparators (after a range closer such as 'arasında')."""

    def __init__(self, lex: Lexicon):
        self._lex = lex
        self.postfix = ()
        self.fillers = frozenset()
        self.range_closers = ()

    def __getattr__(self, name):
        return getattr(self._lex, name)


def scan(tokens: list[Token], lex: Lexicon, text: str) -> list[Match]:
    """Every distance expression in ``tokens``, left to right, non-overlapping.

    Raises
    ------
    Refusal
        A number in exponent notation or with a minus sign stands before a unit.
    """
    matches = []
    i = 0
    while i < len(tokens):
        if tokens[i].kind == "exp" and _unit_at(tokens, i + 1, lex) is not None:
            raise Refusal(f"a number in exponent notation ({text[tokens[i].start : tokens[i].end]!r})")
        try:
            found = _match_at(tokens, i, lex, text)
        except (OverflowError, ZeroDivisionError):
            found = None
        except ValueError as exc:
            if isinstance(exc, Refusal):
                raise
            found = None
        if found is not None:
            _refuse_unreadable(tokens, found, lex, text)
            matches.append(found)
            i = found.end
        else:
            i += 1
    return matches
