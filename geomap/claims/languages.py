"""Which language a claim is written in, from its script and its words.

A claim is a sentence or less, too short for statistical language
identifiers to be reliable (they need dozens of words), so detection is
deterministic: the script of most letters picks the candidates (Armenian ->
hy; Hebrew -> he; Cyrillic -> ru, uk; Arabic script -> ar, fa; Latin -> en,
fr, es, de, tr, az), then letters only one candidate uses (Ukrainian і ї є ґ,
Persian پ چ ژ گ, Azerbaijani ə, German ß, Spanish ñ ...) and the number of the
text's words found in each candidate's lexicon decide.  A tie goes to the
first candidate (English for Latin script: "5 km" reads the same everywhere).
Text in another script is refused by :func:`geomap.claims.parse_claim` with
the list of languages understood.

Standard library only.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from typing import Callable, Iterable

__all__ = ["LANGUAGE_NAMES", "Detection", "detect_language", "script_of", "understood"]

#: the languages geomap reads claims in, with their English names
LANGUAGE_NAMES = {
    "en": "English", "hy": "Armenian", "az": "Azerbaijani", "ru": "Russian", "uk": "Ukrainian",
    "tr": "Turkish", "ar": "Arabic", "he": "Hebrew", "fa": "Persian", "fr": "French",
    "es": "Spanish", "de": "German",
}
_CANDIDATES = {
    "Armenian": ("hy",),
    "Hebrew": ("he",),
    "Cyrillic": ("ru", "uk"),
    "Arabic": ("ar", "fa"),
    "Latin": ("en", "fr", "es", "de", "tr", "az"),
}
# letters (as written, before folding) that only some candidates of a script use, with their weight
_MARKERS = {
    "uk": {"і": 3, "ї": 3, "є": 3, "ґ": 3},
    "ru": {"ы": 3, "э": 3, "ъ": 3, "ё": 3},
    "fa": {"پ": 3, "چ": 3, "ژ": 3, "گ": 3, "ی": 2, "ک": 2, **{chr(c): 2 for c in range(0x06F0, 0x06FA)}},
    "ar": {"ي": 2, "ك": 2, "ى": 2, "ة": 1, **{chr(c): 2 for c in range(0x0660, 0x066A)}},
    "az": {"ə": 5, "ı": 1, "ğ": 1, "ş": 1, "ç": 1, "ö": 1, "ü": 1},
    "tr": {"ı": 2, "ğ": 2, "ş": 2, "ç": 1, "ö": 1, "ü": 1, "â": 1},
    "de": {"ß": 4, "ä": 3, "ö": 1, "ü": 1},
    "fr": {"é": 2, "è": 3, "ê": 3, "à": 2, "ç": 1, "œ": 4, "ù": 3, "î": 2, "ô": 2},
    "es": {"ñ": 4, "á": 2, "í": 2, "ó": 2, "ú": 2, "¿": 4, "¡": 4},
}


@dataclass(frozen=True)
class Detection:
    """Result of :func:`detect_language`: ``language`` code (None if not understood), ``script``, ``reason``."""

    language: str | None
    script: str | None
    reason: str
    #: how many words of the chosen language's lexicon the text holds (0: chosen by default or by letters)
    hits: int = 0
    #: by how much the chosen language's score beat the runner-up's among languages of the same script
    #: (0: a tie, so the choice fell back on the candidates' order; None: the script has one candidate)
    margin: int | None = None


def understood() -> str:
    """'Arabic (ar), Armenian (hy), ...': the languages understood, for messages."""
    return ", ".join(f"{name} ({code})" for code, name in sorted(LANGUAGE_NAMES.items(), key=lambda kv: kv[1]))


def script_of(char: str) -> str | None:
    """Script name of a letter ('Latin', 'Cyrillic', 'Armenian', 'Hebrew', 'Arabic', or the Unicode name's first word)."""
    code = ord(char)
    if 0x0530 <= code <= 0x058F or 0xFB13 <= code <= 0xFB17:
        return "Armenian"
    if 0x0590 <= code <= 0x05FF or 0xFB1D <= code <= 0xFB4F:
        return "Hebrew"
    if 0x0600 <= code <= 0x06FF or 0x0750 <= code <= 0x077F or 0xFB50 <= code <= 0xFDFF or 0xFE70 <= code <= 0xFEFF:
        return "Arabic"
    if 0x0400 <= code <= 0x052F:
        return "Cyrillic"
    if char.isascii() or 0x00C0 <= code <= 0x024F or 0x1E00 <= code <= 0x1EFF:
        return "Latin"
    try:
        return unicodedata.name(char).split()[0].title()
    except ValueError:
        return None


def marker_score(text: str, code: str) -> int:
    """How much the letters only ``code`` uses among its script's languages weigh in ``text`` (0: none)."""
    return sum(_MARKERS.get(code, {}).get(ch, 0) for ch in text.lower())


def script_candidates(script: str | None, available: Iterable[str] = tuple(LANGUAGE_NAMES)) -> tuple[str, ...]:
    """The shipped languages written in ``script`` (e.g. 'Cyrillic' -> ('ru', 'uk'))."""
    shipped = set(available)
    return tuple(c for c in _CANDIDATES.get(script, ()) if c in shipped)


def detect_language(
    text: str,
    words: Iterable[str],
    vocabulary: Callable[[str], frozenset[str]],
    available: Iterable[str] = tuple(LANGUAGE_NAMES),
) -> Detection:
    """Detect the language of ``text`` among :data:`LANGUAGE_NAMES`.

    Parameters
    ----------
    text : str
        The claim as written.
    words : iterable of str
        Its words in matching form (see :func:`geomap.claims.numbers.normalize_word`).
    vocabulary : callable
        ``vocabulary(code)`` -> the set of words of that language's lexicon.
    available : iterable of str
        Codes that have a lexicon; other candidates are skipped.
    """
    counts: dict[str, int] = {}
    for ch in text:
        if ch.isalpha():
            script = script_of(ch)
            if script is not None:
                counts[script] = counts.get(script, 0) + 1
    if not counts:
        return Detection("en", None, "no letters: numbers and units read as English")
    script = max(counts, key=lambda s: (counts[s], s in _CANDIDATES))
    shipped = set(available)
    candidates = tuple(c for c in _CANDIDATES.get(script, ()) if c in shipped) or None
    if candidates is None:
        return Detection(None, script, f"written in {script} script")
    if len(candidates) == 1:
        return Detection(candidates[0], script, f"{script} script")
    word_list = list(words)
    best, best_score, best_hits = candidates[0], -1, 0
    scores = []
    for code in candidates:
        vocab = vocabulary(code)
        hits = sum(1 for w in word_list if w in vocab)
        score = 2 * hits + sum(_MARKERS.get(code, {}).get(ch, 0) for ch in text.lower())
        scores.append(score)
        if score > best_score:
            best, best_score, best_hits = code, score, hits
    runner_up = sorted(scores, reverse=True)[1] if len(scores) > 1 else best_score
    reason = f"{script} script, {best_hits} {LANGUAGE_NAMES[best]} word{'s' if best_hits != 1 else ''}"
    return Detection(best, script, reason, best_hits, best_score - runner_up)
