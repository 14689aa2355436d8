"""Claim text -> :class:`~geomap.claims.readings.Claim`: language, expressions, the one distance claimed.

:func:`parse_claim` detects the language (or takes ``lang``), reads every
distance expression with that language's lexicon, drops heights, depths and
sizes, treats a restatement in another unit ("5 km (3 miles)") as the same
distance (with a warning note when the two disagree by more than rounding),
and refuses a sentence holding two different distances.

Standard library only.
"""

from __future__ import annotations

import dataclasses
import re

import math
import unicodedata
from pathlib import Path

from geomap.claims.context import length_of, misread_context, not_distance_marker, other_reference
from geomap.claims.grammar import Match, Refusal, prepare, scan, snippet
from geomap.claims.languages import LANGUAGE_NAMES, detect_language, marker_score, script_candidates, understood
from geomap.claims.lexicon import Lexicon, available_languages, load_lexicon
from geomap.claims.numbers import tokenize
from geomap.claims.readings import Claim, Range
from geomap.errors import ClaimError

__all__ = ["MAX_CLAIM_CHARS", "parse_claim", "claim_from_bounds"]

_EXAMPLES = "'within 5 km', 'about 30 miles', 'between 10 and 20 km', 'dozens of kilometres'"
_MAX_TEXT_IN_MESSAGE = 80
#: longest text parse_claim reads (a claim is a sentence or a paragraph, not a document)
MAX_CLAIM_CHARS = 20_000


def _quote(text: str) -> str:
    one_line = " ".join(text.split())
    if len(one_line) > _MAX_TEXT_IN_MESSAGE:
        one_line = one_line[: _MAX_TEXT_IN_MESSAGE - 1] + "…"
    return f"'{one_line}'"


def _vocabulary(code: str) -> frozenset[str]:
    return load_lexicon(language=code).vocabulary


def _choose_lexicon(text: str, lexicon: str | Path | None, lang: str | None) -> tuple[Lexicon, str]:
    """The lexicon to read ``text`` with, and how its language was chosen (for messages)."""
    if lang is not None and lang not in available_languages():
        raise ClaimError(f"unknown language {lang!r}: geomap reads claims in {understood()}")
    if lexicon is not None:
        lex = load_lexicon(lexicon)
        if lang is not None and lang != lex.language:
            raise ClaimError(
                f"--lang {lang} does not match the language of the lexicon file ({lex.language}): drop one of them"
            )
        return lex, "given by the lexicon file"
    if lang is not None:
        return load_lexicon(language=lang), "given"
    words = (tok.norm for tok in tokenize(text) if tok.kind == "word")
    found = detect_language(text, words, _vocabulary, available_languages())
    if found.language is None:
        raise ClaimError(
            f"cannot read {_quote(text)}: it is {found.reason}, and geomap reads claims in {understood()}; "
            "pass --lang CODE if the text is in one of them"
        )
    lex = load_lexicon(language=found.language)
    if found.margin is not None and found.hits > 0 and not marker_score(text, lex.language):  # words alone decided
        _refuse_language_from_unit_alone(text, lex, script_candidates(found.script, available_languages()))
    if found.margin is not None and (found.hits == 0 or found.margin == 0):
        _refuse_ambiguous_digits(text, _AMBIGUOUS_DIGITS)
    elif "." not in lex.number_format.thousands:
        _refuse_ambiguous_digits(text, _DOT_THOUSANDS)
    if found.margin is not None and found.hits == 0:
        # no word of any shipped language was recognised: the letters alone picked it
        return lex, f"no {LANGUAGE_NAMES[lex.language]} word recognised"
    return lex, "detected"


#: longest unit abbreviation that may stand for different units, or none, in different languages
_SHORT_UNIT = 3


def _unit_metres(lex: Lexicon, word: str) -> float | None:
    """Metres of the one-word unit ``word`` in ``lex``, or None if it is not one of its units."""
    for unit in lex.units:
        if (word,) in unit.phrases:
            return float(unit.data["metres"])
    return None


def _refuse_language_from_unit_alone(text: str, lex: Lexicon, candidates: tuple[str, ...]) -> None:
    """Refuse a claim whose language was detected only from a short unit abbreviation others read differently.

    ``3 sm`` was read as German (``sm`` = Seemeile, a nautical mile), though
    English aviation writes ``10 SM`` for statute miles; ``5 mil`` as Turkish
    (a mile), though ``mil`` is a Scandinavian 10 km and a Spanish thousand.
    When every word recognised is such an abbreviation and another language of
    the same script reads it as another unit or not at all, the language (and
    so the unit) is a guess.  ``км`` (Russian and Ukrainian alike) is not.
    """
    if lex.language == "en":
        return  # the documented default of Latin script: 'mi', 'nm', 'yd' are English
    words = [tok.norm for tok in tokenize(text) if tok.kind == "word"]
    known = [w for w in words if w in lex.vocabulary or w in lex.unit_words]
    if not known or any(w not in lex.unit_words or len(w) > _SHORT_UNIT for w in known):
        return
    for word in dict.fromkeys(known):
        metres = _unit_metres(lex, word)
        others = [code for code in candidates if code != lex.language
                  and _unit_metres(load_lexicon(language=code), word) != metres]
        if others:
            raise ClaimError(
                f"the only word that makes {_quote(text)} {_name(lex)} is the unit {word!r}, which "
                f"{LANGUAGE_NAMES[others[0]]} reads as another unit or not at all (e.g. 'sm' is a German nautical "
                f"mile and an English statute mile): pass --lang CODE, or write the unit in full"
            )


#: a number whose separator is a decimal mark in some languages and a thousands separator in others
#: ('2.200', '1,500'), or that mixes both separators ('1.500,5', '1,500.5')
_AMBIGUOUS_DIGITS = re.compile(r"(?<![\d.,])[1-9]\d{0,2}(?:[.,]\d{3}(?![\d.,])|(?:[.,]\d{3})*[.,]\d{3}[.,]\d+)")
#: '2.200': read as 2.2 by a language whose thousands separator is not a dot, though many writers of
#: that language (and of German, Spanish, Turkish...) write thousands so
_DOT_THOUSANDS = re.compile(r"(?<![\d.,])[1-9]\d{0,2}(?:\.\d{3})+(?![\d.,])")


def _refuse_ambiguous_digits(text: str, pattern) -> None:
    """Refuse a claim whose language was only guessed when one of its numbers reads differently by language.

    ``2.200`` is 2.2 in English and 2,200 in German or Spanish; ``1,500`` the
    other way round.  When no word settles the language (no word of it, or as
    many words of another language of the same script, e.g. only ``km`` or
    ``Meter``), reading it either way could be a confident wrong answer.
    """
    m = pattern.search(text)
    if m is None:
        return
    raise ClaimError(
        f"the number {m.group(0)!r} in {_quote(text)} means a different amount in different languages "
        f"(a decimal mark or a thousands separator), and no word settles the language: pass --lang CODE "
        f"(e.g. --lang de, --lang en), or write the number without separators"
    )


def _refuse_split_digit_groups(text: str, tokens: list, lex: Lexicon) -> None:
    """Refuse digit groups that the language's number format does not join ('1 000 km' in English).

    The tokenizer joins only the language's own thousands separators, so
    ``1 000 km`` in English (or ``1\u2009000 км``, ``1'000 км`` in Russian)
    became two numbers and the grammar read ``000 km`` (0 km); ``12 500 m``
    read 500 m.  A number of exactly three digits right after a number
    ending in one to three digits, with one space-like character, apostrophe
    or underscore between them, is such a group.
    """
    for a, b in zip(tokens, tokens[1:]):
        if a.kind != "num" or b.kind != "num" and not (b.kind == "sym" and b.norm in "'’"):
            continue
        gap_end = a.end + 1
        if gap_end >= len(text) or text[a.end] not in _GROUP_SEPARATORS:
            continue
        if re.search(r"(?<!\d)\d{1,3}$", text[a.start:a.end]) and re.match(r"\d{3}(?!\d)", text[gap_end:]):
            written = re.match(r"[\d" + re.escape(_GROUP_SEPARATORS) + r"]*\d", text[a.start:]).group(0)
            raise ClaimError(
                f"the number {written!r} in {_quote(text)} has its digit groups separated by "
                f"{text[a.end]!r} (U+{ord(text[a.end]):04X}), which {_name(lex)} numbers are not read with: "
                f"write it without separators ({re.sub(r'[^0-9]', '', written)}), or pass --lang CODE of a "
                "language that groups digits so"
            )


#: a plus-minus tolerance ('5 ± 1 km', '5 km +/- 1'): read as '1 km' or 'at least 5 km' before it was refused
_PLUS_MINUS = re.compile(r"[±∓]|\+\s*/?\s*[-−–]")

#: a size, one length by another ('5 by 10 km', '5x10 km', '5 × 10 км'): read as its last length before it was refused
_DIMENSIONS = re.compile(r"\d\s*[x×*хХ]\s*\d|\d\s+by\s+\d", re.IGNORECASE)

#: characters some writers put between groups of three digits (spaces, apostrophes, underscore)
_GROUP_SEPARATORS = " \u00a0\u2007\u2009\u202f'’_\u066c\u00b7"


def _restates(text: str, tokens, first: Match, second: Match, lex: Lexicon) -> bool:
    """True if ``second`` repeats ``first`` in another unit right after it ('5 km (3 miles)', '5 km or 3 mi').

    Two quantities with only white space between them ('1 km 500 m') are a
    compound distance or two distances, never a restatement.
    """
    if second.unit.id == first.unit.id:
        return False
    if not text[tokens[first.end - 1].end : tokens[second.start].start].strip():
        return False
    gap = tokens[first.end : second.start]
    return len(gap) <= 2 and all(t.kind == "word" and t.norm in lex.restatement_joiners for t in gap)


#: a number with a unit of speed ('20 km/h', '60 mph', '5 m/s', '90 км/ч'): named as such when no distance is found
_SPEED = re.compile(r"\d[\d.,]*\s*(?:(?:km|kms|mi|m|nm|км|м)\s*/\s*(?:h|hr|s|sec|ч|с)\b|(?:kmh|kph|mph|knots?)\b)",
                    re.IGNORECASE)


def _name(lex: Lexicon) -> str:
    return LANGUAGE_NAMES.get(lex.language, lex.language)


#: what a layer's line may be called besides a line or front (``line_called`` in layer.json, --line-called)
LINE_NAMES = ("border",)


def parse_claim(text: str, *, lexicon: str | Path | None = None, lang: str | None = None,
                line_called: tuple[str, ...] | list[str] = ()) -> Claim:
    """Read a distance claim (a phrase or a sentence containing one) as ranges in metres.

    Parameters
    ----------
    text : str
        A claim in one of the languages of :data:`geomap.claims.languages.LANGUAGE_NAMES`,
        e.g. "within 5 km", "около 30 км", "տասնյակ կիլոմետրեր", or a
        sentence holding one such expression.
    lexicon : str or Path, optional
        A lexicon JSON file (schema of ``geomap/claims/data/en.json``); it
        fixes the language.  Default: the shipped lexicon of the language.
    lang : str, optional
        ISO 639-1 code of the language; default: detected from the text.
    line_called : sequence of str, optional
        What the line measured to is also called (:data:`LINE_NAMES`: ``"border"``
        for the Korean MDL, the Blue Line, the Kashmir LoC, as their layers
        declare): '2 km from the border' is then a distance from the line,
        not refused as a distance from something else.

    Returns
    -------
    Claim
        With a ``strict`` and a ``lenient`` :class:`Range` (metres), the rule
        used, its rationale, citation and ``language``.

    Raises
    ------
    geomap.errors.ClaimError
        One line: no distance found (naming the language read and those
        understood), text in a language not understood, a number in exponent
        notation or with a minus sign, only heights/depths/sizes, or several
        distances that disagree.
    geomap.errors.FileFormatError
        If ``lexicon`` cannot be read or does not follow the schema.

    Examples
    --------
    >>> parse_claim("less than 5 km").strict
    Range(min_m=0.0, max_m=5000.0)
    >>> parse_claim("около 30 км").language
    'ru'
    """
    if not isinstance(text, str):
        raise ClaimError(f"a claim must be text, got {type(text).__name__}; write it like {_EXAMPLES}")
    if len(text) > MAX_CLAIM_CHARS:
        raise ClaimError(
            f"the claim text is {len(text):,} characters long (limit {MAX_CLAIM_CHARS:,}): "
            f"pass the sentence that holds the distance, e.g. {_EXAMPLES}"
        )
    if not text.strip():
        raise ClaimError(f"the claim {_quote(text)} is blank: write a distance claim, e.g. {_EXAMPLES}, or give bounds "
                         "(--min-km/--max-km)")
    unknown = [name for name in line_called if name not in LINE_NAMES]
    if unknown:
        raise ClaimError(f"unknown name of the line {unknown[0]!r}: geomap knows {', '.join(LINE_NAMES)}")
    norm = unicodedata.normalize("NFC", text)
    lex, how = _choose_lexicon(norm, lexicon, lang)
    base_lex = lex
    if line_called and lex.reference is not None:
        lex = dataclasses.replace(lex, reference=lex.reference.calling(tuple(line_called)))
    tolerance = _PLUS_MINUS.search(norm)
    if tolerance is not None:
        raise ClaimError(
            f"{tolerance.group(0)!r} in {_quote(text)} gives a tolerance (±), which geomap does not read: "
            "pass the bounds it means with --min-km/--max-km (e.g. '5 ± 1 km' is --min-km 4 --max-km 6)"
        )
    size = _DIMENSIONS.search(norm)
    if size is not None:
        raise ClaimError(
            f"{size.group(0)!r} in {_quote(text)} is a size (one length by another), not a distance between places: "
            f"pass a distance claim, e.g. {_EXAMPLES}"
        )
    raw_tokens = tokenize(norm, lex.number_format)
    _refuse_split_digit_groups(norm, raw_tokens, lex)
    tokens = prepare(raw_tokens, lex)
    try:
        matches = scan(tokens, lex, norm)
    except Refusal as refusal:
        fix = refusal.fix or f"write the distance as a positive number in plain digits or words with a unit, e.g. {_EXAMPLES}"
        raise ClaimError(f"{refusal} in {_quote(text)} is not a distance geomap reads: {fix}") from None

    def show(match: Match) -> str:
        return snippet(norm, tokens, match.start, match.end)

    for match in matches:
        misread = misread_context(tokens, match, lex, norm)
        if misread is not None:
            raise ClaimError(
                f"{show(match)!r} in {_quote(text)} {misread}, which would change the range it gives: "
                f"pass only a distance expression geomap reads, e.g. {_EXAMPLES}, or the bounds with --min-km/--max-km"
            )

    # a restatement in another unit belongs to the expression before it
    groups: list[list[Match]] = []
    for match in matches:
        if groups and _restates(norm, tokens, groups[-1][-1], match, lex):
            groups[-1].append(match)
        else:
            groups.append([match])
    sizes = []
    kept = []
    for group in groups:
        marker = next((m for m in (not_distance_marker(tokens, x, lex) for x in group) if m), None)
        (sizes if marker else kept).append((group, marker))
    if not kept:
        if sizes:
            group, marker = sizes[0]
            raise ClaimError(
                f"{show(group[0])!r} in {_quote(text)} is a height, depth, size, speed, weapon's range or change of distance ('{marker}'), "
                f"not a distance between places: pass a distance claim, e.g. {_EXAMPLES}"
            )
        speed = _SPEED.search(norm)
        if speed is not None:
            raise ClaimError(
                f"{speed.group(0).strip()!r} in {_quote(text)} is a speed, not a distance between places: "
                f"pass a distance claim, e.g. {_EXAMPLES}"
            )
        raise ClaimError(
            f"no distance found in {_quote(text)} (read as {_name(lex)}, {how}): write a number or vague quantity "
            f"with a unit, e.g. {_EXAMPLES}, or give explicit bounds in km; claims are read in "
            f"{', '.join(available_languages())} (--lang CODE)"
        )
    notes: list[str] = []
    for group, marker in sizes:
        notes.append(f"{show(group[0])!r} is a height, depth or size ('{marker}'), not a distance: not used")
    first_group = kept[0][0]
    chosen = first_group[0]
    for other in first_group[1:]:
        if other.strict.overlaps(chosen.strict.lower_m, chosen.strict.upper_m):
            notes.append(f"{show(other)!r} restates {show(chosen)!r} in another unit, consistently; the first was used")
        else:
            notes.append(
                f"warning: {show(other)!r} restates {show(chosen)!r} in another unit but disagrees by more than "
                f"rounding ({other.strict.describe(other.unit.id)} vs {chosen.strict.describe(chosen.unit.id)}); "
                "the first was used"
            )
    others = [group[0] for group, _ in kept[1:]]
    if others:
        if all(o.lenient.overlaps(chosen.lenient.lower_m, chosen.lenient.upper_m) for o in others):
            for other in others:
                notes.append(
                    f"also found {show(other)!r} ({other.lenient.describe(other.unit.id)} leniently), "
                    "consistent with the first expression; the first was used"
                )
        else:
            listed = ", ".join(repr(show(m)) for m in [chosen, *others][:4])
            raise ClaimError(
                f"{len(others) + 1} different distances found in {_quote(text)} ({listed}): "
                f"pass only the expression to check, e.g. {show(chosen)!r}"
            )
    for match in (chosen, *first_group[1:]):
        length = length_of(tokens, match, lex, norm)
        if length is not None:
            raise ClaimError(
                f"{show(chosen)!r} in {_quote(text)} is a length of something ({length!r}), not a distance from "
                "the line: pass a claim about the distance to the line, e.g. 'within 5 km of the front'"
            )
        reference = other_reference(tokens, match, lex, norm)
        if reference is not None:
            border = not line_called and lex.reference is not None and any(
                lex.reference.is_border(tok.norm)
                for tok in tokenize(reference, lex.number_format) if tok.kind == "word")
            fix = ("if the line you measure to is that border (the Korean MDL, the Blue Line, the Kashmir LoC, whose "
                   "shipped layers say so), pass --line-called border" if border else
                   f"if it is measured from the line, pass only {show(chosen)!r}")
            raise ClaimError(
                f"{show(chosen)!r} in {_quote(text)} is a distance {reference!r}, not from a line of contact or "
                f"front, which is what geomap measures to: {fix}; otherwise the claim cannot be checked against the line"
            )
    if lex is not base_lex:
        named = other_reference(tokens, chosen, base_lex, norm)
        if named is not None:
            notes.append(f"{show(chosen)!r} is a distance {named!r}, read as from the line: the line measured to is "
                         f"called a {' or '.join(line_called)} (its layer says so, or --line-called)")
    if chosen.reversed:
        notes.append(f"{show(chosen)!r} gives the larger end first: read as "
                     f"{chosen.strict.describe(chosen.unit.id)}")
    rationale_parts = [e.rationale for e in chosen.entries]
    unit = chosen.unit
    rationale_parts.append(f"Unit '{unit.id}' = {float(unit.data['metres']):.10g} m: {unit.rationale}")
    citations = [e.citation for e in (*chosen.entries, unit) if e.citation]
    return Claim(
        text=text,
        matched_text=show(chosen),
        rule=chosen.rule,
        rationale=" ".join(rationale_parts),
        citation="; ".join(dict.fromkeys(citations)) or None,
        strict=chosen.strict,
        lenient=chosen.lenient,
        unit=unit.id,
        lexicon=lex.source,
        notes=tuple(notes),
        language=lex.language,
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
    label = text if text and text.strip() else ""  # a blank --claim is no label ('', '   ')
    return Claim(
        text=label,
        matched_text=label,
        rule="user-bounds",
        rationale="Bounds given explicitly by the user; both readings are this range.",
        citation=None,
        strict=bounds,
        lenient=bounds,
        unit="km",
        lexicon="none",
    )
