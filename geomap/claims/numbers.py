"""Tokens and numerals: claim text -> :class:`Token` list; digits and number words -> :class:`Num`.

The tokenizer is shared by every language.  Numbers in digits follow the
language's separators (``NumberFormat``: ``2.200`` is 2200 in Spanish and
German, 2.2 in English).  Number words are read by, in this order:

1. the language lexicon's own ``numbers.words`` table (every inflected form
   listed, e.g. Russian ``пяти``/``пятью``, Armenian ``հինգ``), composed by
   :func:`parse_table_words`;
2. a maintained library where one reads that language: ``text2num`` (French,
   Spanish, German) and ``number-parser`` (Russian), imported on first use;
3. for English, the grammar in :func:`parse_english_words` ("twenty-five",
   "one hundred and twenty", "two and a half").

Exponents (``2.5e1``) are kept as one ``exp`` token so the grammar can refuse
them instead of reading "1 km" out of ``2.5e1 km``.

Standard library only (the two optional libraries are small and pure).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Callable

__all__ = [
    "DASHES",
    "Token",
    "Num",
    "NumberFormat",
    "NumberWords",
    "tokenize",
    "normalize_word",
    "digits_value",
    "parse_english_number",
    "is_fraction_word",
    "and_a_half",
    "parse_table_words",
    "parse_library_words",
    "word_at",
]

DASHES = "-‐‑‒–—―−־"
_FRACTIONS = {"½": 0.5, "¼": 0.25, "¾": 0.75, "⅓": 1 / 3, "⅔": 2 / 3, "⅛": 0.125, "⅜": 0.375, "⅝": 0.625, "⅞": 0.875}
# letters plus the combining marks of Hebrew (niqqud), Arabic (harakat, tatweel) and the Turkish dotted I
_L = r"(?:[^\W\d_]|[\u0591-\u05bd\u05bf\u05c1\u05c2\u05c4\u05c5\u05c7\u0610-\u061a\u064b-\u065f\u0670\u0640\u0300-\u036f])"
_WORD = (
    r"[\u05d0-\u05ea]+[\"״][\u05d0-\u05ea]+"  # Hebrew abbreviation with gershayim: ק"מ
    r"|[\u05d0-\u05ea]+[׳'](?![\u05d0-\u05ea])"  # Hebrew abbreviation with geresh: מ'
    rf"|{_L}+(?:(?:\u200c|(?<=[\u0400-\u04ff])['’](?=[\u0400-\u04ff])){_L}+)*"  # ZWNJ (Persian), uk apostrophe
)
_STRIP = re.compile(r"[\u0591-\u05bd\u05bf\u05c1\u05c2\u05c4\u05c5\u05c7\u0610-\u061a\u064b-\u065f\u0670\u0640\u0307\u200c]")
_FOLD = str.maketrans({
    "ı": "i", "’": "'", "ʼ": "'", "״": '"', "׳": "'",
    "ي": "ی", "ى": "ی", "ك": "ک", "أ": "ا", "إ": "ا", "آ": "ا", "ۀ": "ه",
})


def normalize_word(word: str) -> str:
    """Matching form of a word: lower case, Turkish dotless i folded, Arabic/Persian letter variants and marks unified.

    The same folding is applied to lexicon phrases and to the text, so it only
    has to be consistent, not linguistically complete.
    """
    return _STRIP.sub("", word.lower()).translate(_FOLD)


@dataclass(frozen=True)
class NumberFormat:
    """Digit separators of one language: ``decimal`` and ``thousands`` are strings of characters."""

    decimal: str = ".,"
    thousands: str = ","


@dataclass(frozen=True)
class Token:
    """One token: ``norm`` (matching form), ``kind`` (num, word, sym, exp), character offsets."""

    norm: str
    kind: str
    start: int
    end: int


@dataclass(frozen=True)
class Num:
    """A numeral: value in the claim's unit, half a unit of its last stated digit, index after it."""

    value: float
    half_unit: float
    end: int


@lru_cache(maxsize=32)
def _token_re(fmt: NumberFormat) -> re.Pattern:
    dec = re.escape(fmt.decimal)
    group = re.escape(fmt.thousands.replace(" ", "")) + (r" \u00a0\u202f" if " " in fmt.thousands else "")
    fractions = "".join(_FRACTIONS)
    num = (
        rf"\d*[{fractions}]"
        r"|\d+/\d+(?![\d/])"
        + (rf"|\d{{1,3}}(?:[{group}]\d{{3}})+(?:[{dec}]\d+)?(?!\d)" if group else "")
        + rf"|\d+(?:[{dec}]\d+)?|\.\d+"
    )
    return re.compile(
        r"(?P<exp>\d+(?:[.,٫]\d+)?[eE][+\-−]?\d+)"
        rf"|(?P<num>{num})"
        rf"|(?P<word>{_WORD})"
        r"|(?P<sym><=|>=|[" + DASHES + r"<>≤≥~≈+/²'’])"
    )


def tokenize(text: str, fmt: NumberFormat = NumberFormat()) -> list[Token]:
    """Split ``text`` into tokens; digits are grouped with the separators of ``fmt``."""
    tokens = []
    for match in _token_re(fmt).finditer(text):
        kind = match.lastgroup
        raw = match.group()
        if kind == "sym":
            norm = "-" if raw in DASHES else ("'" if raw == "’" else raw)
        elif kind == "word":
            norm = normalize_word(raw)
        else:
            norm = "".join(str(unicodedata.digit(ch)) if ch.isdigit() else ch for ch in raw)
        tokens.append(Token(norm, kind, match.start(), match.end()))
    return tokens


def digits_value(token: str, fmt: NumberFormat = NumberFormat()) -> tuple[float, float]:
    """Value and half-unit of the last stated digit of a digit token, under the language's separators.

    '1,500' (en) -> (1500, 0.5); '2.200' (es, de) -> (2200, 0.5); '1,5' -> (1.5, 0.05);
    '1/2' -> (0.5, 0.05); '½' -> (0.5, 0.05); '1½' -> (1.5, 0.05).

    Raises ValueError for a zero denominator.
    """
    if token and token[-1] in _FRACTIONS:
        whole = int(token[:-1]) if token[:-1] else 0
        fraction = _FRACTIONS[token[-1]]
        return whole + fraction, 0.05 if fraction >= 0.25 else 0.025
    if "/" in token:
        numerator, denominator = (int(part) for part in token.split("/"))
        if denominator == 0:
            raise ValueError("zero denominator")
        return numerator / denominator, 0.05
    groups = fmt.thousands + (" \u00a0\u202f" if " " in fmt.thousands else "")
    seps = [k for k, ch in enumerate(token) if not ch.isdigit()]
    if not seps:
        return float(token), 0.5
    last = seps[-1]
    tail = token[last + 1 :]
    if token[last] in groups and len(tail) == 3:  # a thousands group: '2.200' (es, de), '1,500' (en)
        body, decimals = token.translate({ord(c): None for c in groups}), 0
    else:  # a decimal separator: '1,5', '2.5', '2,500' (de)
        head = token[:last].translate({ord(c): None for c in groups})
        body, decimals = f"{head or '0'}.{tail}", len(tail)
    return float(body), 0.5 * 10.0 ** (-decimals)


def word_at(tokens: list[Token], i: int) -> str | None:
    """The word at index ``i`` (None if out of range or not a word)."""
    return tokens[i].norm if i < len(tokens) and tokens[i].kind == "word" else None


# --------------------------------------------------------------------------- English numerals

_SMALL = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
}
_TENS = {
    "twenty": 20, "thirty": 30, "forty": 40, "fourty": 40, "fifty": 50, "sixty": 60,
    "seventy": 70, "eighty": 80, "ninety": 90,
}
_SCALES = {"hundred": 100, "thousand": 1000, "dozen": 12}  # after digits: "1.5 thousand", "2 dozen"
_ARTICLES = ("a", "an")
_NUMBER_WORDS = set(_SMALL) | set(_TENS) | {"hundred", "thousand", "dozen", "and"}
_PARTS = {"half": 2, "third": 3, "thirds": 3, "quarter": 4, "quarters": 4, "fifth": 5, "fifths": 5, "sixth": 6,
          "sixths": 6, "eighth": 8, "eighths": 8, "tenth": 10, "tenths": 10}


def is_fraction_word(word: str | None) -> bool:
    """True for an English word naming a part ('quarters', 'eighths', 'sixteenths', 'halves'), read or not."""
    return word is not None and (word in _PARTS or word in ("halves", "thirds") or word.endswith(("th", "ths")))


def and_a_half(tokens: list[Token], j: int) -> int | None:
    """Index after 'and a half' (hyphens allowed) starting at ``j``, else None."""
    words = []
    k = j
    while k < len(tokens) and len(words) < 3:
        if tokens[k].norm == "-" and words:
            k += 1
            continue
        if tokens[k].kind != "word":
            return None
        words.append(tokens[k].norm)
        k += 1
    if len(words) == 3 and words[0] == "and" and words[1] in _ARTICLES and words[2] == "half":
        return k
    return None


def parse_english_words(tokens: list[Token], i: int) -> Num | None:
    """English cardinal words: 'twenty-five', 'one hundred and twenty', 'a dozen', 'two and a half'."""
    n = len(tokens)
    total = 0.0
    current = 0.0
    seen = False
    j = i
    half_unit = 0.5
    if word_at(tokens, j) in _ARTICLES and word_at(tokens, j + 1) in ("hundred", "thousand", "dozen"):
        current = 1.0
        seen = True
        j += 1
    while j < n:
        if seen and tokens[j].norm == "-" and word_at(tokens, j + 1) in _NUMBER_WORDS:
            j += 1  # "one-hundred", "one-and-a-half"
        word = word_at(tokens, j)
        if word is None:
            break
        below_hundred = current % 100
        if word in _SMALL:
            if below_hundred and not (below_hundred % 10 == 0 and below_hundred >= 20 and 0 < _SMALL[word] < 10):
                break
            current += _SMALL[word]
        elif word in _TENS:
            if below_hundred:
                break
            current += _TENS[word]
            nxt = word_at(tokens, j + 2)
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
            half_end = and_a_half(tokens, j)
            if half_end is not None:
                current += 0.5  # "two and a half"
                half_unit = 0.05
                j = half_end
                break
            nxt = word_at(tokens, j + 1)
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
    return Num(total + current, half_unit, j)


def _fraction_of(tokens: list[Token], j: int) -> int:
    """Skip 'of a'/'of an' after a fraction word ('a third of a mile')."""
    if word_at(tokens, j) == "of" and word_at(tokens, j + 1) in _ARTICLES:
        return j + 2
    return j


def parse_english_number(
    tokens: list[Token], i: int, fmt: NumberFormat, unit_follows: Callable[[int], bool]
) -> Num | None:
    """An English numeral at token ``i``: digits, words, fractions, or 'a'/'one' before a unit.

    ``unit_follows(k)`` tells whether a unit starts at token ``k`` ("about a mile").
    """
    tok = tokens[i]
    if tok.kind == "num":
        return digits_and_scale(tokens, i, fmt, _SCALES)
    word = tok.norm if tok.kind == "word" else None
    if word is None:
        return None
    nxt = word_at(tokens, i + 1)
    if word == "half" and nxt in _ARTICLES:
        if word_at(tokens, i + 2) == "dozen":
            return Num(6.0, 0.5, i + 3)
        return Num(0.5, 0.05, i + 2)
    if word in _ARTICLES and nxt == "half":  # "a half kilometre", "a half-mile"
        return Num(0.5, 0.05, i + 2)
    count = 1 if word in _ARTICLES or word == "one" else (_SMALL.get(word) if 2 <= _SMALL.get(word, 0) <= 9 else None)
    part_at = i + 1
    if count is not None and nxt is None and i + 2 < len(tokens) and tokens[i + 1].norm == "-":
        part_at = i + 2  # "three-quarters", "seven-eighths"
        nxt = word_at(tokens, part_at)
    if count is not None and nxt in _PARTS:
        parts = _PARTS[nxt]
        if (count == 1) == nxt.endswith("s") or count >= parts:
            return None  # "a thirds", "three thirds"
        return Num(count / parts, 0.025 if parts >= 4 else 0.05, _fraction_of(tokens, part_at + 1))
    parsed = parse_english_words(tokens, i)
    if parsed is not None:
        return parsed
    if word in _ARTICLES and i + 1 < len(tokens) and len(tokens[i + 1].norm) > 1 and unit_follows(i + 1):
        return Num(1.0, 0.5, i + 1)  # "about a mile", "within a kilometre" (not the "a m" of "a.m.")
    return None


def digits_and_scale(tokens: list[Token], i: int, fmt: NumberFormat, scales: dict[str, float]) -> Num:
    """A digit token, an optional following fraction ('1 1/2') and scale word ('1.5 thousand')."""
    tok = tokens[i]
    value, half_unit = digits_value(tok.norm, fmt)
    j = i + 1
    if (tok.norm.isdigit() and j < len(tokens) and tokens[j].kind == "num" and tokens[j].start - tok.end <= 2
            and ("/" in tokens[j].norm or tokens[j].norm in _FRACTIONS)):
        fraction, half_unit = digits_value(tokens[j].norm, fmt)  # "1 1/2 miles", "2 ½ miles"
        if fraction < 1:
            value += fraction
            j += 1
    scale = word_at(tokens, j)
    if scale in scales:
        value *= scales[scale]
        if not tok.norm.isdigit():  # "1.5 thousand": the last stated digit is the hundreds
            half_unit *= scales[scale]
        j += 1
    return Num(value, half_unit, j)


# --------------------------------------------------------------------------- table-driven numerals


@dataclass(frozen=True, eq=False)
class NumberWords:
    """Number words of one language, from its lexicon's ``numbers`` object.

    ``words`` maps each (normalized) form to its value; ``conjunctions`` may
    stand between number words ('и', 'և', 'و'); ``prefixes`` are conjunctions
    written attached ('وعشرون', 'וחמישה'); ``compound`` lets one word be a
    concatenation of table words (Armenian 'քսանհինգ' = 'քսան' + 'հինգ');
    ``units_first`` accepts units before tens (Arabic and Hebrew teens, Arabic
    'five and twenty'); ``library`` names a maintained reader used after the table.
    """

    language: str
    words: dict[str, float] = field(default_factory=dict)
    conjunctions: frozenset[str] = frozenset()
    prefixes: tuple[str, ...] = ()
    compound: bool = False
    units_first: bool = False
    library: str | None = None
    scales: dict[str, float] = field(default_factory=dict)
    _cache: dict[str, tuple[float, ...] | None] = field(default_factory=dict, repr=False)

    def lookup(self, word: str) -> tuple[float, ...] | None:
        """The values a word stands for (several for a compound), or None."""
        if word in self._cache:
            return self._cache[word]
        found: tuple[float, ...] | None = None
        if word in self.words:
            found = (self.words[word],)
        else:
            for prefix in self.prefixes:
                if word.startswith(prefix) and word[len(prefix) :] in self.words:
                    found = (self.words[word[len(prefix) :]],)
                    break
            if found is None and self.compound:
                found = self._split(word)
        if len(self._cache) < 10_000:
            self._cache[word] = found
        return found

    def _split(self, word: str) -> tuple[float, ...] | None:
        for cut in range(len(word) - 1, 1, -1):
            head = word[:cut]
            if head in self.words:
                tail = word[cut:]
                rest = (self.words[tail],) if tail in self.words else self._split(tail)
                if rest is not None:
                    return (self.words[head], *rest)
        return None


def _lowest_place(value: float) -> float:
    place = 1.0
    while value % (place * 10) == 0 and place < 1e12:
        place *= 10
    return place


def parse_table_words(tokens: list[Token], i: int, words: NumberWords) -> Num | None:
    """Number words from a lexicon table, composed: tens before units, hundreds and thousands as multipliers.

    'двадцать пять' -> 25, 'двух тысяч двухсот' -> 2200, 'خمسة وعشرون' -> 25
    (units before tens after an attached 'و'), 'քսանհինգ' -> 25.  Two words
    that cannot belong to one number ('пять шесть') end the numeral.
    """
    n = len(tokens)
    total = 0.0
    current = 0.0
    j = i
    seen = False
    fractional = False
    while j < n:
        tok = tokens[j]
        if tok.kind == "sym" and tok.norm == "-" and seen and j + 1 < n and tokens[j + 1].kind == "word":
            if words.lookup(tokens[j + 1].norm) is None:
                break
            j += 1
            continue
        if tok.kind != "word":
            break
        if seen and tok.norm in words.conjunctions and j + 1 < n and tokens[j + 1].kind == "word":
            if words.lookup(tokens[j + 1].norm) is None:
                break
            j += 1
            continue
        values = words.lookup(tok.norm)
        if values is None or fractional:
            break
        attached = tok.norm not in words.words and any(tok.norm.startswith(p) for p in words.prefixes)
        ok = True
        new_total, new_current = total, current
        for value in values:
            if value != int(value):
                if seen or len(values) > 1:
                    ok = False
                    break
                new_current = value
                fractional = True
            elif value in (100, 1000, 1_000_000) and 0 < new_current < value and new_current == int(new_current):
                if value == 100:
                    new_current *= 100
                else:
                    new_total, new_current = new_total + new_current * value, 0.0
            elif value >= 1000 and value == int(value) and new_current == 0 and new_total == 0 and value in (1000, 1_000_000):
                new_total = value
            elif new_current == 0 or value < _lowest_place(new_current):
                new_current += value
            elif words.units_first and 0 < new_current < 10 and value == 10:
                new_current += value  # Arabic 'خمسة عشر', Hebrew 'חמישה עשר': five-ten = 15
            elif words.units_first and attached and 0 < new_current < 10 and value % 10 == 0 and 20 <= value <= 90:
                new_current += value  # Arabic 'خمسة وعشرون': five and twenty
            else:
                ok = False
                break
        if not ok:
            break
        total, current = new_total, new_current
        seen = True
        j += 1
    if not seen:
        return None
    return Num(total + current, 0.05 if fractional else 0.5, j)


_LIBRARY_MAX_WORDS = 8


@lru_cache(maxsize=4096)
def _library_value(library: str, language: str, text: str) -> float | None:
    if library == "text2num":
        from text_to_num import text2num

        try:
            return float(text2num(text, language))
        except (ValueError, TypeError, OverflowError):
            return None
    if library == "number-parser":
        from number_parser import parse_number

        try:
            value = parse_number(text, language=language)
        except Exception:  # noqa: BLE001 - a library failure means "not a number", never a crash
            return None
        return None if value is None else float(value)
    return None


def parse_library_words(tokens: list[Token], i: int, words: NumberWords, text: str) -> Num | None:
    """Number words read by the language's library (text2num, number-parser), longest run first."""
    if words.library is None or tokens[i].kind != "word":
        return None
    if _library_value(words.library, words.language, tokens[i].norm) is None:
        return None
    ends = []
    j = i
    while j < len(tokens) and len(ends) < _LIBRARY_MAX_WORDS:
        tok = tokens[j]
        if tok.kind == "word" and _library_value(words.library, words.language, tok.norm) is not None:
            ends.append(j + 1)
        elif not (
            (tok.kind == "word" and tok.norm in words.conjunctions)
            or (tok.kind == "sym" and tok.norm == "-" and ends and tok.start == tokens[j - 1].end)
        ):
            break
        j += 1
    for end in reversed(ends):
        value = _library_value(words.library, words.language, text[tokens[i].start : tokens[end - 1].end].lower())
        if value is not None:
            return Num(value, 0.5, end)
    return None
