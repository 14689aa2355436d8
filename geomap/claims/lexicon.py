"""Claims lexicons: one validated JSON file per language, shipped in ``geomap/claims/data/``.

Schema ``geomap-claims-lexicon/2`` (``/1``, the English-only schema of
geomap 0.1, is still read).  Every entry carries an ``id``, a ``rationale``
and a ``citation`` (or null).  A lexicon holds:

* ``units`` (``names``, ``metres``), ``comparators`` (``phrases``, ``kind``,
  ``strict``/``lenient`` tolerances), ``vague`` quantities (``strict``/
  ``lenient`` ``{"min", "max"}`` in multiples of the unit), ``multipliers``;
* (v2) ``language``, ``numbers`` (digit separators, number-word table,
  optional library), ``suffixes`` (case endings written after a number or unit:
  Turkish ``km'den``), ``signs`` ("minus"), ``range_separators`` ("to", "до"),
  ``range_joiners`` ("and" after "between"), ``restatement_joiners`` ("or"),
  ``fillers`` (words skipped before a trailing comparator: "away"),
  ``range_closers`` (words that end a range: Turkish "arasında"),
  ``partitives`` ("of", "de" after a multiplier: "a few hundred of"),
  ``not_distance`` (words that make a length a height, depth or size),
  ``negations`` ("not", "не": right before an expression, they reverse it),
  ``comparisons`` ("than", "ближе": a comparison the lexicon has no entry for),
  ``conjunctions`` ("and", "but": "more than 5 and less than 10 km" gives the
  5 no unit), ``negations_after`` (Azerbaijani "deyil", Turkish "değil",
  written after the expression), ``amendments`` ("maybe", "voire": a second
  figure after the distance, '5 km, maybe 6'), ``degree_words`` ("well",
  "barely": right before an expression, they change its range by an
  amount no entry gives), ``movement_words`` ("advanced", "продвинулись на":
  right before an expression, it is how far something moved, not how far
  from the line it lies).  These seven make :func:`geomap.claims.parse.parse_claim`
  refuse, never read, the expression they stand by.  ``half_after`` ("et
  demi", "y medio") adds a half to the number before the unit it follows;
  ``prepositions`` (Russian "в", Ukrainian "за") may stand between a
  comparator and its number ("более чем в 5 км"); ``zone_words`` ("radius",
  "zone") after a bare number make it refused ("a 5 km radius" is a bound).

A user's file with the same schema replaces the shipped one of its language
(``--lexicon``).  A bad file gives one :class:`~geomap.errors.FileFormatError`
line naming the file and the first problem.

Standard library only.
"""

from __future__ import annotations

import dataclasses
import json
import math
import re
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any

from geomap.claims.numbers import NumberFormat, NumberWords, normalize_word, tokenize
from geomap.claims.readings import Range
from geomap.errors import FileFormatError

__all__ = [
    "LEXICON_SCHEMA",
    "LIBRARIES",
    "Entry",
    "Lexicon",
    "available_languages",
    "default_lexicon_path",
    "load_lexicon",
]

LEXICON_SCHEMA = "geomap-claims-lexicon/2"
_SCHEMAS = ("geomap-claims-lexicon/1", LEXICON_SCHEMA)
_KINDS = {"approx", "below", "above", "upper", "lower", "range", "odd"}
#: libraries a lexicon may name to read number words
LIBRARIES = ("text2num", "number-parser")
_DATA = Path(__file__).resolve().parent / "data"


@dataclass(frozen=True, eq=False)
class Entry:
    """One lexicon entry: ``id``, its phrases as token tuples, rationale, citation and the raw JSON object."""

    id: str
    phrases: tuple[tuple[str, ...], ...]
    rationale: str
    citation: str | None
    data: dict[str, Any]


@dataclass(frozen=True)
class Reference:
    """Words that say what a distance is measured from ('5 km from the front', '5 km from Stepanakert').

    ``prepositions`` ('from', 'of', 'от') introduce the object; ``line`` and
    ``other`` are word patterns (a trailing ``*`` matches any ending:
    'позици*') for a line of contact or front, and for other objects (a
    village, a border); ``skip`` are words allowed between the distance and
    the preposition ('north', 'away').
    """

    prepositions: frozenset[str]
    line: tuple[str, ...]
    other: tuple[str, ...]
    skip: frozenset[str]
    #: words that, right after a bare distance, make it a length of something ('20 km of the front line')
    length_words: frozenset[str] = frozenset()
    #: a line or other object word right after the unit is what the length is of ('20 км линии фронта')
    object_after_unit: bool = False
    #: case endings of the word right before a distance that name what it is measured from (Armenian
    #: 'Ստեփանակերտից 5 կմ', Azerbaijani 'Xankəndidən 5 km', Turkish "Hankendi'den 5 km")
    before_suffixes: tuple[str, ...] = ()
    #: prepositions written joined to the object's first word, longest first (Hebrew 'מ' in 'מסטפנקרט',
    #: 'מה' in 'מהעיר', 'ל' in 'מצפון לעיר')
    attached: tuple[str, ...] = ()
    #: unit forms whose object follows with no preposition (Persian 'کیلومتری' in 'در ۵ کیلومتری مرز')
    object_after_units: frozenset[str] = frozenset()
    #: words right before a distance that make a following ``length_words`` word 'from', not 'of' (French 'à')
    distance_before: frozenset[str] = frozenset()
    #: endings on the unit that make it an adjective of length before an object (Turkish "20 km'lik cephe")
    length_suffixes: frozenset[str] = frozenset()
    #: words for a border ('border', 'граница', 'גבול'): the line when the layer's line is called a border
    border: tuple[str, ...] = ()
    #: words for a distance after a ``length_suffixes`` ending ('mesafe*'): anything else there makes a length
    distance_nouns: tuple[str, ...] = ()
    #: words in the clause after 'from' that make the distance a length taken or held (Persian 'را')
    object_markers: frozenset[str] = frozenset()

    #: the ``border`` words name the line (the layer's line is a border: --line-called border)
    border_is_line: bool = False

    def calling(self, names: tuple[str, ...]) -> "Reference":
        """This reference with the words in ``names`` (only ``"border"``) naming the line."""
        return dataclasses.replace(self, border_is_line=True) if "border" in names else self

    def is_border(self, word: str) -> bool:
        return self._matches(word, self.border)

    def attached_prefix(self, word: str | None) -> str | None:
        """The joined preposition ``word`` starts with (leaving at least two letters of the object), else None."""
        if not word:
            return None
        return next((p for p in self.attached if word.startswith(p) and len(word) >= len(p) + 2), None)

    @staticmethod
    def _matches(word: str, patterns: tuple[str, ...]) -> bool:
        return any(word.startswith(p[:-1]) if p.endswith("*") else word == p for p in patterns)

    def is_line(self, word: str) -> bool:
        return self._matches(word, self.line)

    def is_other(self, word: str) -> bool:
        return self._matches(word, self.other)


@dataclass(frozen=True, eq=False)
class Lexicon:
    """A validated claims lexicon for one language."""

    source: str
    name: str
    version: str
    language: str
    units: tuple[Entry, ...]
    comparators: tuple[Entry, ...]
    vague: tuple[Entry, ...]
    multipliers: tuple[Entry, ...]
    number_format: NumberFormat
    number_words: NumberWords
    suffixes: frozenset[str] = frozenset()
    signs: tuple[tuple[str, ...], ...] = ()
    range_separators: tuple[tuple[str, ...], ...] = ()
    range_joiners: tuple[tuple[str, ...], ...] = ()
    restatement_joiners: frozenset[str] = frozenset()
    fillers: frozenset[str] = frozenset()
    range_closers: tuple[tuple[str, ...], ...] = ()
    partitives: frozenset[str] = frozenset()
    not_distance: Entry | None = None
    negations: tuple[tuple[str, ...], ...] = ()
    comparisons: tuple[tuple[str, ...], ...] = ()
    conjunctions: frozenset[str] = frozenset()
    negations_after: tuple[tuple[str, ...], ...] = ()
    amendments: tuple[tuple[str, ...], ...] = ()
    degree_words: tuple[tuple[str, ...], ...] = ()
    movement_words: tuple[tuple[str, ...], ...] = ()
    half_after: tuple[tuple[str, ...], ...] = ()
    prepositions: frozenset[str] = frozenset()
    zone_words: frozenset[str] = frozenset()
    detect_words: frozenset[str] = frozenset()
    reference: Reference | None = None
    rounding_cap: bool = True

    @cached_property
    def prefix(self) -> tuple[Entry, ...]:
        """Comparators written before the number ('about', 'within')."""
        return tuple(c for c in self.comparators if c.data.get("position", "prefix") == "prefix")

    @cached_property
    def postfix(self) -> tuple[Entry, ...]:
        """Comparators written after the unit ('or so', 'or more', Turkish "'den az")."""
        return tuple(c for c in self.comparators if c.data.get("position") == "postfix")

    @cached_property
    def after_number(self) -> tuple[Entry, ...]:
        """Comparators written right after the number, before the unit ('20-odd km')."""
        return tuple(c for c in self.comparators if c.data.get("position") == "after-number")

    @cached_property
    def unit_words(self) -> frozenset[str]:
        """Unit names that are one token ('km', 'kilometre'), for splitting fused case endings."""
        return frozenset(p[0] for u in self.units for p in u.phrases if len(p) == 1)

    @cached_property
    def vocabulary(self) -> frozenset[str]:
        """Every word of every phrase and number word: what language detection counts."""
        words: set[str] = set(self.detect_words) | set(self.number_words.words)
        for phrases in (self.range_separators, self.range_joiners, self.range_closers, self.signs, self.amendments,
                        self.degree_words, self.movement_words):
            for phrase in phrases:
                words.update(phrase)
        for group in (self.units, self.comparators, self.vague, self.multipliers):
            for entry in group:
                for phrase in entry.phrases:
                    words.update(phrase)
        if self.not_distance is not None:
            for phrase in self.not_distance.phrases:
                words.update(phrase)
        # one-letter words ('a', 'y', 'и') and digits are shared by too many languages to count
        words = {w for w in words if len(w) > 1 and not w.isdigit()}
        return frozenset(words)

    def comparator(self, entry_id: str) -> Entry:
        """The comparator with this id (KeyError if absent; 'bare-number' and 'range' always exist)."""
        for entry in self.comparators:
            if entry.id == entry_id:
                return entry
        raise KeyError(entry_id)


def available_languages() -> tuple[str, ...]:
    """Language codes with a shipped lexicon, sorted ('ar', 'az', 'de', 'en', ...)."""
    return tuple(sorted(p.stem for p in _DATA.glob("*.json")))


def default_lexicon_path(language: str = "en") -> Path:
    """Path of the lexicon shipped with geomap for ``language`` (ISO 639-1 code)."""
    return _DATA / f"{language}.json"


def _bad(source: str, problem: str) -> FileFormatError:
    return FileFormatError(
        f"claims lexicon {source}: {problem}; follow the schema of the shipped "
        f"geomap/claims/data/en.json ('{LEXICON_SCHEMA}')"
    )


def _phrase(source: str, where: str, phrase: Any, fmt: NumberFormat) -> tuple[str, ...]:
    if not isinstance(phrase, str) or not phrase.strip():
        raise _bad(source, f"{where} has a phrase that is not a non-empty string: {phrase!r}")
    tokens = tuple(tok.norm for tok in tokenize(phrase, fmt))
    if not tokens:
        raise _bad(source, f"{where} phrase {phrase!r} has no words")
    return tokens


def _phrases(source: str, where: str, raw: Any, fmt: NumberFormat) -> tuple[tuple[str, ...], ...]:
    if raw is None:
        return ()
    if not isinstance(raw, list):
        raise _bad(source, f"'{where}' must be a list of phrases")
    return tuple(_phrase(source, where, p, fmt) for p in raw)


def _words(source: str, where: str, raw: Any) -> frozenset[str]:
    if raw is None:
        return frozenset()
    if not isinstance(raw, list) or not all(isinstance(w, str) and w.strip() for w in raw):
        raise _bad(source, f"'{where}' must be a list of non-empty strings")
    return frozenset(normalize_word(w.strip()) for w in raw)


def _number(source: str, where: str, value: Any, *, positive: bool = False) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise _bad(source, f"{where} must be a finite number, got {value!r}")
    if value < 0 or (positive and value == 0):
        raise _bad(source, f"{where} must be {'> 0' if positive else '>= 0'}, got {value!r}")
    return float(value)


def _entry(source: str, where: str, item: Any, phrases_key: str, fmt: NumberFormat, allow_empty: bool) -> Entry:
    if not isinstance(item, dict):
        raise _bad(source, f"{where} must be an object")
    entry_id = item.get("id")
    if not isinstance(entry_id, str) or not re.fullmatch(r"[a-z0-9][a-z0-9-]*", entry_id):
        raise _bad(source, f"{where} needs an 'id' of lower-case letters, digits and '-', got {entry_id!r}")
    rationale = item.get("rationale")
    if not isinstance(rationale, str) or not rationale.strip():
        raise _bad(source, f"{where} ({entry_id!r}) needs a non-empty 'rationale'")
    citation = item.get("citation")
    if citation is not None and not isinstance(citation, str):
        raise _bad(source, f"{where} ({entry_id!r}) 'citation' must be a string or null")
    raw = item.get(phrases_key)
    if not isinstance(raw, list) or (not raw and not allow_empty):
        raise _bad(source, f"{where} ({entry_id!r}) needs a list '{phrases_key}'")
    phrases = tuple(_phrase(source, f"{where} ({entry_id!r})", p, fmt) for p in raw)
    return Entry(entry_id, phrases, rationale.strip(), citation, item)


def _entries(source: str, data: dict, key: str, *, phrases_key: str, fmt: NumberFormat, allow_empty_phrases=False):
    items = data.get(key)
    if not isinstance(items, list) or not items:
        raise _bad(source, f"'{key}' must be a non-empty list")
    out = []
    seen: set[str] = set()
    for index, item in enumerate(items):
        entry = _entry(source, f"{key}[{index}]", item, phrases_key, fmt, allow_empty_phrases)
        if entry.id in seen:
            raise _bad(source, f"{key}[{index}] repeats id {entry.id!r}")
        seen.add(entry.id)
        out.append(entry)
    return tuple(out)


def _check_comparators(source: str, comparators: tuple[Entry, ...], v2: bool) -> None:
    ids = {c.id for c in comparators}
    for required in ("bare-number", "range"):
        if required not in ids:
            raise _bad(source, f"'comparators' needs an entry with id {required!r}")
    for entry in comparators:
        where = f"comparators entry {entry.id!r}"
        kind = entry.data.get("kind")
        if kind not in _KINDS:
            raise _bad(source, f"{where} 'kind' must be one of {sorted(_KINDS)}, got {kind!r}")
        if entry.data.get("position", "prefix") not in ("prefix", "postfix", "after-number"):
            raise _bad(source, f"{where} 'position' must be 'prefix', 'postfix' or 'after-number'")
        readings = {}
        for reading in ("strict", "lenient"):
            params = entry.data.get(reading)
            if not isinstance(params, dict):
                raise _bad(source, f"{where} needs a '{reading}' object with 'rel' and 'rounding'")
            rel = _number(source, f"{where} {reading}.rel", params.get("rel"))
            if rel >= 1 and not (kind == "odd" and rel == 1):
                raise _bad(source, f"{where} {reading}.rel must be < 1 (a fraction), got {rel}")
            rounding = params.get("rounding", False)
            if not isinstance(rounding, bool):
                raise _bad(source, f"{where} {reading}.rounding must be true or false")
            cap = params.get("rounding_max_rel")
            if v2 and rounding and cap is None:
                raise _bad(source, f"{where} {reading} needs 'rounding_max_rel' (the rounding slack as a fraction of the number)")
            cap = math.inf if cap is None else _number(source, f"{where} {reading}.rounding_max_rel", cap)
            readings[reading] = (rel, rounding, cap)
        (s_rel, s_round, s_cap), (l_rel, l_round, l_cap) = readings["strict"], readings["lenient"]
        if s_rel > l_rel or (s_round and not l_round) or (s_round and s_cap > l_cap):
            raise _bad(source, f"{where}: the strict tolerance must not exceed the lenient one")
        if v2 and kind == "approx" and max(s_rel, s_cap if s_round else 0.0) >= l_rel:
            raise _bad(
                source,
                f"{where}: the lenient reading must be strictly wider: strict rel and rounding_max_rel "
                f"must both be below lenient rel ({l_rel})",
            )
        for phrase in entry.data.get("range_phrases", []) or []:
            if phrase not in entry.data.get("phrases", []):
                raise _bad(source, f"{where} 'range_phrases' entry {phrase!r} is not one of its phrases")
    if any(e.data.get("kind") == "range" and e.id != "range" for e in comparators):
        raise _bad(source, "only the comparator with id 'range' may have kind 'range'")
    if next(c for c in comparators if c.id == "range").data.get("kind") != "range":
        raise _bad(source, "the comparator 'range' must have kind 'range'")


def _check_vague(source: str, vague: tuple[Entry, ...]) -> None:
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


def _numbers(source: str, data: dict, language: str) -> tuple[NumberFormat, NumberWords]:
    raw = data.get("numbers", {})
    if not isinstance(raw, dict):
        raise _bad(source, "'numbers' must be an object")
    decimal = raw.get("decimal", ".,")
    thousands = raw.get("thousands", ",")
    for key, value in (("decimal", decimal), ("thousands", thousands)):
        if not isinstance(value, str) or not value or any(ch.isdigit() or ch.isalpha() for ch in value):
            raise _bad(source, f"numbers.{key} must be a string of separator characters, got {value!r}")
    fmt = NumberFormat(decimal=decimal, thousands=thousands)
    words: dict[str, float] = {}
    table = raw.get("words", {})
    if not isinstance(table, dict):
        raise _bad(source, "numbers.words must be an object mapping each word form to its value")
    for form, value in table.items():
        words[normalize_word(form)] = _number(source, f"numbers.words[{form!r}]", value)
    scales = {}
    for form, value in (raw.get("scales") or {}).items():
        scales[normalize_word(form)] = _number(source, f"numbers.scales[{form!r}]", value, positive=True)
    library = raw.get("library")
    if library is not None and library not in LIBRARIES:
        raise _bad(source, f"numbers.library must be one of {list(LIBRARIES)} or null, got {library!r}")
    prefixes = raw.get("prefixes", [])
    if not isinstance(prefixes, list) or not all(isinstance(p, str) and p for p in prefixes):
        raise _bad(source, "numbers.prefixes must be a list of strings")
    compound = raw.get("compound", False)
    units_first = raw.get("units_first", False)
    if not isinstance(compound, bool) or not isinstance(units_first, bool):
        raise _bad(source, "numbers.compound and numbers.units_first must be true or false")
    number_words = NumberWords(
        language=language,
        words=words,
        conjunctions=_words(source, "numbers.conjunctions", raw.get("conjunctions")),
        prefixes=tuple(normalize_word(p) for p in prefixes),
        compound=compound,
        units_first=units_first,
        library=library,
        scales=scales,
    )
    return fmt, number_words


def _reference(source: str, raw: Any) -> Reference | None:
    """The optional ``reference`` object: what a distance is said to be measured from."""
    if raw is None:
        return None
    if not isinstance(raw, dict) or not isinstance(raw.get("rationale"), str):
        raise _bad(source, "'reference' must be an object with 'prepositions', 'line', 'other', 'skip' and a 'rationale'")
    patterns = {}
    for key in ("line", "other", "border", "distance_nouns"):
        items = raw.get(key, [])
        if not isinstance(items, list) or not all(isinstance(w, str) and w.strip("* ") for w in items):
            raise _bad(source, f"'reference.{key}' must be a list of non-empty words (a trailing * matches any ending)")
        patterns[key] = tuple(normalize_word(w.strip().rstrip("*")) + ("*" if w.strip().endswith("*") else "")
                              for w in items)
    return Reference(
        prepositions=_words(source, "reference.prepositions", raw.get("prepositions")),
        line=patterns["line"],
        other=patterns["other"],
        border=patterns["border"],
        distance_nouns=patterns["distance_nouns"],
        skip=_words(source, "reference.skip", raw.get("skip")),
        length_words=_words(source, "reference.length_words", raw.get("length_words")),
        object_after_unit=_flag(source, "reference.object_after_unit", raw.get("object_after_unit", False)),
        before_suffixes=tuple(sorted(_words(source, "reference.before_suffixes", raw.get("before_suffixes")),
                                     key=len, reverse=True)),
        attached=tuple(sorted(_words(source, "reference.attached", raw.get("attached")), key=len, reverse=True)),
        object_after_units=_words(source, "reference.object_after_units", raw.get("object_after_units")),
        distance_before=_words(source, "reference.distance_before", raw.get("distance_before")),
        length_suffixes=_words(source, "reference.length_suffixes", raw.get("length_suffixes")),
        object_markers=_words(source, "reference.object_markers", raw.get("object_markers")),
    )


def _flag(source: str, where: str, value: Any) -> bool:
    if not isinstance(value, bool):
        raise _bad(source, f"'{where}' must be true or false, got {value!r}")
    return value


def _validate(source: str, data: Any) -> Lexicon:
    if not isinstance(data, dict):
        raise _bad(source, "the top level must be a JSON object")
    if data.get("schema") not in _SCHEMAS:
        raise _bad(source, f"'schema' must be {LEXICON_SCHEMA!r}, got {data.get('schema')!r}")
    v2 = data["schema"] == LEXICON_SCHEMA
    language = data.get("language", "en")
    if not isinstance(language, str) or not re.fullmatch(r"[a-z]{2}", language):
        raise _bad(source, f"'language' must be a two-letter ISO 639-1 code, got {language!r}")
    fmt, number_words = _numbers(source, data, language)
    units = _entries(source, data, "units", phrases_key="names", fmt=fmt)
    for entry in units:
        _number(source, f"units entry {entry.id!r} 'metres'", entry.data.get("metres"), positive=True)
    comparators = _entries(source, data, "comparators", phrases_key="phrases", fmt=fmt, allow_empty_phrases=True)
    _check_comparators(source, comparators, v2)
    vague = _entries(source, data, "vague", phrases_key="phrases", fmt=fmt)
    _check_vague(source, vague)
    multipliers: tuple[Entry, ...] = ()
    if "multipliers" in data:
        multipliers = _entries(source, data, "multipliers", phrases_key="names", fmt=fmt)
        for entry in multipliers:
            _number(source, f"multipliers entry {entry.id!r} 'value'", entry.data.get("value"), positive=True)
    not_distance = None
    if data.get("not_distance") is not None:
        raw = data["not_distance"]
        item = {**raw, "id": "not-distance", "phrases": [*raw.get("before", []), *raw.get("after", [])]} if isinstance(raw, dict) else raw
        not_distance = _entry(source, "not_distance", item, "phrases", fmt, allow_empty=False)
        not_distance.data["before_tokens"] = _phrases(source, "not_distance.before", raw.get("before"), fmt)
        not_distance.data["after_tokens"] = _phrases(source, "not_distance.after", raw.get("after"), fmt)
    english_defaults = language == "en" and not v2
    return Lexicon(
        source=source,
        name=str(data.get("name", "lexicon")),
        version=str(data.get("version", "")),
        language=language,
        units=units,
        comparators=comparators,
        vague=vague,
        multipliers=multipliers,
        number_format=fmt,
        number_words=number_words,
        suffixes=_words(source, "suffixes", data.get("suffixes")),
        signs=_phrases(source, "signs", data.get("signs", ["minus", "negative"] if english_defaults else None), fmt),
        range_separators=_phrases(
            source, "range_separators", data.get("range_separators", ["-", "to", "or"] if english_defaults else None), fmt
        ),
        range_joiners=_phrases(source, "range_joiners", data.get("range_joiners", ["and"] if english_defaults else None), fmt),
        restatement_joiners=_words(source, "restatement_joiners", data.get("restatement_joiners")),
        fillers=_words(source, "fillers", data.get("fillers")),
        range_closers=_phrases(source, "range_closers", data.get("range_closers"), fmt),
        partitives=_words(source, "partitives", data.get("partitives", ["of"] if english_defaults else None)),
        not_distance=not_distance,
        negations=_phrases(source, "negations", data.get("negations"), fmt),
        comparisons=_phrases(source, "comparisons", data.get("comparisons"), fmt),
        conjunctions=_words(source, "conjunctions", data.get("conjunctions")),
        negations_after=_phrases(source, "negations_after", data.get("negations_after"), fmt),
        amendments=_phrases(source, "amendments", data.get("amendments"), fmt),
        degree_words=_phrases(source, "degree_words", data.get("degree_words"), fmt),
        movement_words=_phrases(source, "movement_words", data.get("movement_words"), fmt),
        half_after=_phrases(source, "half_after", data.get("half_after"), fmt),
        prepositions=_words(source, "prepositions", data.get("prepositions")),
        zone_words=_words(source, "zone_words", data.get("zone_words")),
        detect_words=_words(source, "detect_words", data.get("detect_words")),
        reference=_reference(source, data.get("reference")),
        rounding_cap=v2,
    )


@lru_cache(maxsize=64)
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
        object.__setattr__(lexicon, "source", f"builtin:{lexicon.name} v{lexicon.version}")
    return lexicon


def load_lexicon(path: str | Path | None = None, *, language: str = "en") -> Lexicon:
    """Load and validate a claims lexicon: ``path``, or the shipped one for ``language``.

    Raises
    ------
    geomap.errors.FileFormatError
        One line naming the file and the first problem found (also for a
        language without a shipped lexicon).
    """
    builtin = path is None
    target = default_lexicon_path(language) if builtin else Path(path)
    try:
        mtime_ns = target.stat().st_mtime_ns
    except OSError:
        if builtin:
            raise FileFormatError(
                f"no claims lexicon for language {language!r}; shipped: {', '.join(available_languages())}"
            ) from None
        raise FileFormatError(f"claims lexicon {target} does not exist; pass the path of a JSON lexicon file") from None
    return _load_cached(str(target), mtime_ns, builtin)
