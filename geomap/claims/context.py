"""The words around a distance expression that change what it says, or say it is not the distance to the line.

:func:`misread_context` names words right before or after an expression that
would change its range (a negation, a number it leaves out, a comparator with
words inside it, a separator the language does not write between digits);
:func:`not_distance_marker` a height, size, speed, weapon's range or change of
distance; :func:`other_reference` the object a distance is measured from when
it is not a line of contact or front.  Each finding is refused by
:mod:`geomap.claims.parse`, never read.

Standard library only.
"""

from __future__ import annotations

from geomap.claims.grammar import Match, parse_number, phrase_at, snippet, unit_at
from geomap.claims.lexicon import Lexicon, Reference
from geomap.claims.numbers import Token, is_fraction_word, word_at

__all__ = ["not_distance_marker", "misread_context", "other_reference", "length_of"]


def not_distance_marker(tokens: list[Token], match: Match, lex: Lexicon) -> str | None:
    """The word that makes ``match`` a height, depth, size or speed ('altitude', 'deep', 'in diameter'), else None."""
    entry = lex.not_distance
    if entry is None:
        return None
    for phrase in entry.data["before_tokens"]:
        for at in range(max(0, match.start - 5), match.start - len(phrase) + 1):
            if phrase_at(tokens, at, phrase):
                return " ".join(phrase)
    k = match.end
    if k < len(tokens) and tokens[k].norm == "-":
        k += 1
    for phrase in entry.data["after_tokens"]:
        if phrase_at(tokens, k, phrase):
            return " ".join(phrase)
    return None


def misread_context(tokens: list[Token], match: Match, lex: Lexicon, text: str) -> str | None:
    """Why the words right before or after ``match`` change what it says (so it must not be read alone), else None.

    A negation ending at the expression or one word before it ('not within
    10 km', 'not even 5 km'), or, in languages that negate after it
    (``negations_after``), starting at its end or one word after it
    (Azerbaijani '5 km-dən çox deyil', 'not more than 5 km'), a comparison the lexicon has no comparator for
    ('closer than 10 km', 'ближе 10 км'), a number without a unit joined to
    it ('more than 5 and less than 10 km'), another comparator ('within about
    5 km': two comparators are not combined) or, in English, a fraction the
    grammar does not read ('three sixteenths of a mile', '3/4 of a mile').  Comparators that
    hold a negation ('not more than', 'не ближе') are part of the match and
    never seen here.
    """
    start = match.start
    for phrase in lex.comparisons:
        if phrase_at(tokens, start - len(phrase), phrase):
            return f"follows a comparison geomap does not read ('{' '.join(phrase)}')"
    for phrase in lex.negations:
        if phrase_at(tokens, start - len(phrase), phrase) or phrase_at(tokens, start - 1 - len(phrase), phrase):
            return f"is negated ('{' '.join(phrase)}')"
    between = lex.prepositions | (lex.reference.prepositions if lex.reference is not None else frozenset())
    for phrase in lex.degree_words:
        at = start - len(phrase)
        if word_at(tokens, start - 1) in between and not phrase_at(tokens, at, phrase):
            at -= 1  # Russian 'далеко за 10 км' (well beyond 10 km): a preposition between
        if phrase_at(tokens, at, phrase) and not set(text[tokens[at].end:tokens[start].start]) & _CLAUSE_END:
            return (f"is modified by {snippet(text, tokens, at, start)!r}, a degree word that moves its range by an "
                    "amount geomap does not read")
    for phrase in lex.movement_words:
        if phrase_at(tokens, start - len(phrase), phrase):
            return (f"follows {' '.join(phrase)!r}: it says how far something moved, not how far from the line "
                    "it lies")
    for entry in lex.prefix:
        for phrase in entry.phrases:
            if phrase_at(tokens, start - len(phrase), phrase):
                return f"follows another comparator ('{' '.join(phrase)}'), and geomap does not combine comparators"
    negating = {phrase[0] for phrase in lex.negations if len(phrase) == 1}
    for entry in lex.prefix:
        for phrase in entry.phrases:
            if phrase[0] in negating and (phrase_at(tokens, match.end, phrase)
                                          or phrase_at(tokens, match.end + 1, phrase)):
                return f"is followed by a comparator ('{' '.join(phrase)}') that geomap does not read after a distance"
    bound_after = _bound_after(tokens, match, lex, text)
    if bound_after is not None:
        return f"is followed by a bound ({bound_after!r}) that geomap does not read after a distance"
    if match.rule == "bare-number":
        k = match.end + 1 if match.end < len(tokens) and tokens[match.end].norm == "-" else match.end
        if word_at(tokens, k) in lex.zone_words:  # 'in a 5 km radius': an upper bound, not 5 km
            return (f"names a zone or radius ('{tokens[k].norm}'), which bounds a distance rather than giving it: "
                    "write 'within 5 km' if that is meant")
    trailing = _trailing_comparative(tokens, match, lex, text)
    if trailing is not None:
        return (f"is followed by {trailing!r}, a comparator with other words inside it that geomap does not read")
    for phrase in lex.negations_after:
        if phrase_at(tokens, match.end, phrase) or phrase_at(tokens, match.end + 1, phrase):
            return f"is negated ('{' '.join(phrase)}' after it)"
    if any(entry in lex.vague for entry in match.entries):
        before = start - 1 if word_at(tokens, start - 1) in lex.partitives else start
        for entry in lex.vague:  # 'tens of thousands of metres' read as 'thousands of metres'
            for phrase in entry.phrases:
                if phrase_at(tokens, before - len(phrase), phrase) or phrase_at(tokens, start - len(phrase), phrase):
                    return f"follows another vague quantity ('{' '.join(phrase)}') that it would multiply"
        for k in range(max(0, start - 3), start):
            num = parse_number(tokens, k, lex, text)
            if num is not None and num.end == start:  # Russian 'в 5 тысячах км': 5 thousand, not 'thousands'
                return f"follows a number ({snippet(text, tokens, k, start)!r}) that it would multiply"
    if start >= 1 and tokens[start].kind == "num" and tokens[start - 1].kind == "num" \
            and tokens[start].start == tokens[start - 1].end + 1 and text[tokens[start - 1].end] in _DIGIT_SEPARATORS:
        written = text[tokens[start - 1].start:tokens[start].end]
        return (f"is the end of {written!r}, whose {text[tokens[start - 1].end]!r} this language does not write "
                f"between digits (its decimal mark: {' or '.join(repr(c) for c in lex.number_format.decimal)})")
    dropped = _dropped_number(tokens, match, lex, text)
    if dropped is not None:
        return f"follows a number with no unit ({dropped!r})"
    amended = _amended_figure(tokens, match, lex, text)
    if amended is not None:
        return (f"is followed by a second figure or amendment ({amended!r}) that reading it alone would drop "
                "(write the range, e.g. '5-6 km')")
    if lex.language == "en" and word_at(tokens, start) in ("a", "an") and word_at(tokens, start - 1) == "of" \
            and start >= 2 and (is_fraction_word(word_at(tokens, start - 2)) or tokens[start - 2].kind == "num"):
        return f"follows a fraction geomap does not read ({snippet(text, tokens, max(0, start - 3), start)!r})"
    return None


def _bound_after(tokens: list[Token], match: Match, lex: Lexicon, text: str) -> str | None:
    """A bound written before numbers ('at least', 'не более') standing alone after ``match``, else None.

    '5 km from the front, at least', '5 km, up to' (a bound the lexicon has no
    trailing entry for) was read as a bare 5 km: the bound was dropped.  Only
    a phrase right after the distance or opening a clause, and ending its
    clause, counts ('5 km under the hill' is not a bound).
    """
    if any(entry.data.get("position") == "postfix" for entry in match.entries):
        return None
    n = len(tokens)
    for k in range(match.end, min(n, match.end + _AMENDMENT_WINDOW)):
        gap = set(text[tokens[k - 1].end:tokens[k].start])
        if gap & _SENTENCE_END:
            break
        # right after the distance, or opening a clause of its own ('5 km from the front, at least')
        if k > match.end and not gap & _CLAUSE_END and not (k == match.end + 1 and tokens[match.end].kind == "sym"):
            continue
        for entry in lex.prefix:
            if entry.data.get("kind") not in ("lower", "upper"):
                continue
            for phrase in entry.phrases:
                end = k + len(phrase)
                if phrase_at(tokens, k, phrase) and (
                        end >= n or set(text[tokens[end - 1].end:tokens[end].start]) & _CLAUSE_END):
                    return snippet(text, tokens, k, end)
    return None


#: what ends a sentence: a second figure after it is not an amendment of the distance
_SENTENCE_END = set(".!?;")
#: most tokens after an expression a hedged second figure is looked for ('5 km from the front, maybe 6')
_AMENDMENT_WINDOW = 12


def _amended_figure(tokens: list[Token], match: Match, lex: Lexicon, text: str) -> str | None:
    """A second figure after ``match`` that amends it ('5 km, maybe 6', '5 km or 6', '5 км, а то и 6'), else None.

    Within the sentence, an ``amendments`` word ('maybe', 'voire', 'может') or
    an 'or' (``restatement_joiners``) followed by a number that ends its clause,
    takes the distance's unit or a comparator.  Reading the first figure alone
    dropped the second one, a range the claim allows.  A restatement in
    another unit after 'or' alone ('5 km or 3 miles') and a count of something
    else ('maybe 6 people') are not amendments.
    """
    joiners = {w for phrase in lex.restatement_joiners for w in phrase.split()}
    n = len(tokens)
    for at in range(match.end, min(n, match.end + _AMENDMENT_WINDOW)):
        if set(text[tokens[at - 1].end:tokens[at].start]) & _SENTENCE_END:
            return None
        j, hedged = at, False
        while j < n and j - at < 4:
            phrase = next((p for p in sorted(lex.amendments, key=len, reverse=True) if phrase_at(tokens, j, p)), None)
            if phrase is not None:
                j, hedged = j + len(phrase), True
            elif tokens[j].norm in joiners and tokens[j].kind == "word":
                j += 1
            else:
                break
        bare = j == at and at == match.end and tokens[at].kind == "num" \
            and "," in text[tokens[at - 1].end:tokens[at].start]  # '5 km, 6 at most'
        # '5 km give or take 1': a number right after a trailing comparator
        tolerance = j == at and at == match.end and tokens[at].kind == "num" and not _is_year(tokens[at]) \
            and any(entry.data.get("position") == "postfix" for entry in match.entries)
        if (j == at and not (bare or tolerance)) or j >= n \
                or set(text[tokens[j - 1].end:tokens[j].start]) & _SENTENCE_END:
            continue
        if j > at and _comparator_start(tokens, j, lex, text):  # 'some 5 km, or maybe a bit more', ', possibly up to 7 km'
            end = j
            while end < n and end - j < 4 and not set(text[tokens[end - 1].end:tokens[end].start]) & _CLAUSE_END:
                end += 1
            return snippet(text, tokens, at, end)
        num = parse_number(tokens, j, lex, text)
        if num is None or _is_year(tokens[j]):
            continue
        after = num.end
        unit = unit_at(tokens, after, lex)
        if unit is not None and unit.id != match.unit.id and not hedged:
            continue  # '5 km or 3 miles': the same distance in another unit
        ends = after >= n or bool(set(text[tokens[after - 1].end:tokens[after].start]) & (_CLAUSE_END | {"—", "–"}))
        comparator = any(phrase_at(tokens, after, p) for e in lex.comparators for p in e.phrases)
        if comparator or tolerance or not bare and (unit is not None or ends):
            end = after + 1 if unit is not None else after
            return snippet(text, tokens, at, min(end, n))
    return None


def _comparator_start(tokens: list[Token], j: int, lex: Lexicon, text: str) -> bool:
    """True if a comparator begins at ``j``: the first two words of one ('a bit more', 'up to'), or the first word
    of a longer one ending its clause ('maybe less', 'or even more')."""
    n = len(tokens)
    ends = j + 1 >= n or tokens[j + 1].kind != "word" or bool(
        set(text[tokens[j].end:tokens[j + 1].start]) & _CLAUSE_END)
    for entry in lex.comparators:
        if entry.id in ("bare-number", "range") or entry.data.get("kind") == "exact":
            continue
        for phrase in entry.phrases:
            if phrase_at(tokens, j, phrase[:2]) or (ends and len(phrase) > 1 and phrase_at(tokens, j, phrase[:1])):
                return True
    return False


#: characters written between digits as a decimal mark or digit group separator in some language
_DIGIT_SEPARATORS = ",.\u066b\u066c\u00b7"


#: how many tokens after an expression a stray comparative word ('fazla', 'more') is looked for
_TRAILING_WINDOW = 3


def _trailing_comparative(tokens: list[Token], match: Match, lex: Lexicon, text: str) -> str | None:
    """A postfix bound comparator right after ``match`` with words inside it, which the match did not take in.

    '10 km'den biraz fazla' (a bit more than 10 km: 'den … fazla'),
    '10 km-dən bir az çox', '10 կմ-ից մի փոքր ավելի', '5 km or even more'
    were read as a bare 10 km / 5 km: a word stood between the comparator's
    first word (right after the unit) and its last.  Returns those words as
    written, else None.
    """
    if any(entry.data.get("position") == "postfix" for entry in match.entries):
        return None
    k = match.end
    if word_at(tokens, k) in lex.fillers:
        k += 1  # '5 km away, or even more'
    last = None
    for entry in lex.postfix:
        if entry.data.get("kind") not in ("upper", "lower"):
            continue
        for phrase in entry.phrases:
            if len(phrase) < 2 or word_at(tokens, k) != phrase[0]:
                continue
            window = tokens[k + 1 : k + 1 + _TRAILING_WINDOW]
            for at, tok in enumerate(window):
                if tok.kind == "num":
                    break
                if tok.norm == phrase[-1] and at > 0:
                    last = max(last or 0, k + 2 + at)
    return None if last is None else snippet(text, tokens, k, last)


def _dropped_number(tokens: list[Token], match: Match, lex: Lexicon, text: str) -> str | None:
    """The words of a number right before ``match`` that the match leaves out, else None.

    A number joined to the expression by a dash, a range word or a
    conjunction ('10-to-15 km', '5 through to 10 km', 'more than 5 and less
    than 10 km'), or with only white space between them ('two ½ km', 'five 10
    km'), belongs to what is claimed; reading the expression without it gave
    a confident wrong range.  A number set apart by punctuation ('in 2021, 5
    km') is not joined.
    """
    start = match.start
    joiners = {w for p in (*lex.range_separators, *lex.range_joiners) for w in p}
    joiners |= {w for phrase in lex.restatement_joiners for w in phrase.split()}  # 'или', 'və ya'
    joiners |= set(lex.conjunctions)
    hedges = {w for phrase in lex.amendments for w in phrase}  # '5, maybe 6 km', '5 or perhaps 6 km'
    k = start
    while k > 0 and start - k < 4 and tokens[k - 1].norm in joiners | hedges and tokens[k - 1].kind in ("sym", "word"):
        k -= 1
    if k == 0 or (k == start and tokens[start].kind != "num"):
        return None  # a word right before a word ('un demi-kilomètre') is an article or part of the number
    hedged = any(tok.norm in hedges for tok in tokens[k:start])
    if any(text[tokens[m - 1].end:tokens[m].start].strip() for m in range(k, start + 1)) and not (
            hedged and not any(set(text[tokens[m - 1].end:tokens[m].start]) & _SENTENCE_END
                               for m in range(k, start + 1))):
        return None  # punctuation between: 'On 12 May 2021, 5 km from the front'
    for m in range(max(0, k - 4), k):
        num = parse_number(tokens, m, lex, text)
        if num is not None and num.end == k:
            if (k == start or hedged) and m == k - 1 and _is_year(tokens[m]):
                return None  # 'in 2020 500 m from the line': a year, not part of the distance
            return snippet(text, tokens, m, start)
    return None


def _is_year(tok: Token) -> bool:
    """A year written in digits (1900-2099), which often stands right before a distance without a comma."""
    return tok.kind == "num" and tok.norm.isdigit() and len(tok.norm) == 4 and 1900 <= int(tok.norm) <= 2099


#: most words read after 'from' for the object a distance is measured from
_REFERENCE_WINDOW = 10


_CLAUSE_END = set(",;:.!?()[]{}،؛")


def other_reference(tokens: list[Token], match: Match, lex: Lexicon, text: str) -> str | None:
    """The object ``match`` is measured from, as written, when it is not a line of contact or front; else None.

    '5 km from Stepanakert', '10 km from the border', 'в 5 км от села' give a
    distance from something geomap does not measure to; judging them against
    the line gave a confident verdict on another claim.  Read after the
    lexicon's ``reference.prepositions`` (with ``skip`` words such as 'north'
    or 'away' between), up to the end of the clause: a ``line`` word before any
    ``other`` word ('from the nearest section of the line of contact') is the
    line.  A preposition joined to the object (Hebrew 'מהעיר', ``attached``), a
    unit form that takes its object directly (Persian '۵ کیلومتری مرز',
    ``object_after_units``) and an ablative ending on the word after the
    distance (Armenian '5 կմ Ստեփանակերտից', ``before_suffixes``) are read too.
    Languages without a ``reference`` entry are not checked.
    """
    ref = lex.reference
    if ref is None:
        return None
    before = _object_before(tokens, match, ref, text)
    if before is not None:
        return before
    k = match.end
    if tokens[k - 1].norm in ref.object_after_units and word_at(tokens, k) is not None:
        return _object_from(tokens, k, k, None, ref, text)  # Persian '۵ کیلومتری مرز': 5 km from the border
    while k < len(tokens) and tokens[k].kind in ("word", "sym") and tokens[k].norm not in ref.prepositions and (
            tokens[k].norm in ref.skip or tokens[k].norm in lex.fillers or tokens[k].norm == "-"):
        k += 1
    after = _ablative_after(tokens, k, ref, text)
    if after is not None:
        return after
    joined = None if word_at(tokens, k) in ref.prepositions else ref.attached_prefix(word_at(tokens, k))
    if word_at(tokens, k) not in ref.prepositions and joined is None:
        return None
    return _object_from(tokens, k, k + 1 if joined is None else k, joined, ref, text)


def _ablative_after(tokens: list[Token], k: int, ref, text: str) -> str | None:
    """The object right after a distance with an ablative ending ('5 կմ Ստեփանակերտից'), when not the line."""
    word = word_at(tokens, k)
    if not ref.before_suffixes or word is None or set(text[tokens[k - 1].end:tokens[k].start]) & _CLAUSE_END:
        return None
    if word_at(tokens, k + 1) in ref.before_suffixes and tokens[k + 1].start <= tokens[k].end + 1:
        end = k + 2  # Turkish "Hankendi'den", the ending split off
    elif any(word.endswith(sfx) and len(word) > len(sfx) + 1 for sfx in ref.before_suffixes):
        end = k + 1
    else:
        # the ending may close a phrase of up to three words ('5 կմ շփման գծից')
        end = next((e + 1 for e in range(k + 1, min(k + 3, len(tokens)))
                    if tokens[e].kind == "word" and not set(text[tokens[e - 1].end:tokens[e].start]) & _CLAUSE_END
                    and any(tokens[e].norm.endswith(sfx) and len(tokens[e].norm) > len(sfx) + 1
                            for sfx in ref.before_suffixes)), None)
        if end is None:
            return None
    if any(ref.is_line(tok.norm) for tok in tokens[k:end]) or (ref.border_is_line and ref.is_border(tokens[end - 1].norm)):
        return None
    return snippet(text, tokens, k, end)


def _object_from(tokens: list[Token], k: int, start: int, joined: str | None, ref, text: str) -> str | None:
    """The object from ``start`` to the end of the clause, as written from ``k``, unless a line word comes first."""
    end = start
    while end < len(tokens) and end - start < _REFERENCE_WINDOW:
        if set(text[tokens[end - 1].end:tokens[end].start]) & _CLAUSE_END:
            break
        end += 1
    if end == start:
        return None  # nothing after 'from' in this clause
    first = True
    for at, tok in enumerate(tokens[start:end]):
        if tok.kind != "word":
            continue
        word = tok.norm[len(joined):] if joined is not None and at == 0 else tok.norm
        if ref.is_line(word):
            return None
        # a border is the line only unqualified ('the border', not 'the Chinese border' where the line is the MDL)
        if ref.border_is_line and first and (ref.is_border(word) or ref.is_border(word[1:] if word[:1] in "הال" else "")):
            rest = [t.norm for t in tokens[start + at + 1:end] if t.kind == "word"]
            if not rest or rest[0] not in _QUALIFIERS:  # 'the border with China' names which border
                return None
            break
        if ref.is_other(word):
            break
        first = first and word in _ARTICLES
    return snippet(text, tokens, k, end)


#: words after 'border' that say which border it is ('the border with China'): then it is not taken for the line
_QUALIFIERS = frozenset({"with", "between", "of", "с", "со", "между", "з", "із", "між", "avec", "entre", "mit",
                         "zwischen", "con", "עם", "مع", "بين", "با", "ile", "ilə", "հետ"})
#: articles that may stand before 'border' when a border is the line ('from the border', 'de la frontière')
_ARTICLES = frozenset({"the", "a", "this", "that", "its", "la", "le", "l", "el", "der", "die", "dem", "den", "des",
                       "de", "del", "du", "'"})


def length_of(tokens: list[Token], match: Match, lex: Lexicon, text: str) -> str | None:
    """The words that make ``match`` a length of something rather than a distance from it, else None.

    'captured 20 km of the front line', 'a 20 km stretch of the front', French
    'ils ont pris 20 km de front', Russian '20 км линии фронта' (a genitive
    object right after the unit), Turkish "20 km'lik cephe" (a 20-km front)
    give how long something is; they were read as 20 km from the line.  A
    ``reference.length_words`` word right after the unit ('of', 'de', 'של')
    counts after a bare or approximate number with no direction word between
    ('within 5 km of the front', '5 km north of the line' are distances), and
    not when a ``distance_before`` word stands right before the expression
    (French 'à 20 km du front', Arabic 'على بعد 20 كم من'); an object right
    after the unit only in lexicons that set ``reference.object_after_unit``,
    and not when the object ends in an ablative ('5 km cephe hattından': from
    the front line); a ``length_suffixes`` ending on the unit only before a
    line or other object ("20 km'lik mesafede" is a distance).
    """
    ref = lex.reference
    if ref is None:
        return None
    if any(entry.data.get("kind") in ("upper", "lower", "range") for entry in match.entries):
        return None
    k = match.end
    word = word_at(tokens, k)
    if word is None and k + 1 < len(tokens) and tokens[k].norm in "-'’" and tokens[k].start == tokens[k - 1].end:
        k += 1  # Armenian '20 կմ-անոց'
        word = word_at(tokens, k)
    if word is None or set(text[tokens[k - 1].end:tokens[k].start]) & _CLAUSE_END:
        return None  # '20 km, of which ...'
    found = False
    if word in ref.length_suffixes:
        after = _clause_words(tokens, k + 1, 2, text)
        if ref.distance_nouns:  # "20 km'lik kısmı" (a 20-km part) is a length, "5 km'lik mesafede" a distance
            found = bool(after) and not Reference._matches(after[0], ref.distance_nouns)
        else:
            found = any(ref.is_line(w) or ref.is_other(w) for w in after)
    elif word in ref.prepositions and ref.object_markers and any(
            w in ref.object_markers for w in _clause_words(tokens, k + 1, _REFERENCE_WINDOW, text)):
        found = True  # Persian '۲۰ کیلومتر از خط مقدم را تصرف کردند': 'را' marks what was taken (20 km of the front)
    elif word in ref.length_words:
        # the distance word may open the comparator itself ('à environ 20 km du front', 'a unos 20 km')
        found = not {word_at(tokens, match.start - 1), word_at(tokens, match.start)} & ref.distance_before
    elif ref.object_after_unit and (ref.is_line(word) or ref.is_other(word)) \
            and tokens[match.end - 1].norm not in ref.object_after_units:
        found = not any(w.endswith(sfx) and len(w) > len(sfx) + 1 or w in ref.before_suffixes
                        for w in _clause_words(tokens, k, 3, text) for sfx in ref.before_suffixes)
    if not found:
        return None
    end = k + 1
    while end < len(tokens) and end - k < 4 and not set(text[tokens[end - 1].end:tokens[end].start]) & _CLAUSE_END:
        end += 1
    return snippet(text, tokens, match.start, end)


def _clause_words(tokens: list[Token], k: int, most: int, text: str) -> list[str]:
    """Up to ``most`` words from ``k`` on, stopping at the end of the clause."""
    words = []
    for at in range(k, min(len(tokens), k + most)):
        if at > 0 and set(text[tokens[at - 1].end:tokens[at].start]) & _CLAUSE_END:
            break
        if tokens[at].kind == "word":
            words.append(tokens[at].norm)
    return words


def _object_before(tokens: list[Token], match: Match, ref, text: str) -> str | None:
    """The object named before ``match`` by a case ending (``ref.before_suffixes``) when it is not the line."""
    if not ref.before_suffixes or match.start == 0:
        return None
    k = match.start - 1
    if tokens[k].kind != "word" or set(text[tokens[k].end:tokens[match.start].start]) & _CLAUSE_END:
        return None
    word = tokens[k].norm
    if word in ref.before_suffixes and k >= 1 and tokens[k - 1].kind == "word":
        first = k - 1  # Turkish "Hankendi'den": the ending split off after an apostrophe
    elif any(word.endswith(sfx) and len(word) > len(sfx) + 1 for sfx in ref.before_suffixes):
        first = k
    else:
        return None
    lo = first
    while lo > 0 and first - lo < 3 and tokens[lo - 1].kind == "word" \
            and not set(text[tokens[lo - 1].end:tokens[lo].start]) & _CLAUSE_END:
        lo -= 1
    if any(ref.is_line(tok.norm) for tok in tokens[lo:k + 1]) or (ref.border_is_line and ref.is_border(tokens[first].norm)):
        return None
    return snippet(text, tokens, first, k + 1)
