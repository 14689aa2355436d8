"""Place-name normalisation shared by the gazetteer and its build script.

Standard library only.  Two functions define what "the same name" means:

* :func:`fold` - case-folded, diacritics removed, punctuation and apostrophes
  dropped, original script kept ("Şuşa" -> "susa", "Шуша" -> "шуша").
* :func:`name_key` - the matching key: :func:`fold` plus a transliteration of
  Cyrillic and Armenian to Latin and a few loose spelling rules that absorb
  the usual transliteration variants (Azerbaijani x/ş/ç/ğ/ə and c = j, kh/h,
  gh/g, zh/j, y/i, initial ye/e, doubled letters).  "Şuşa", "Shusha", "Шуша" all give ``"susa"``;
  "Xankəndi", "Khankendi", "Ханкенди" all give ``"hankendi"``;
  "Հադրութ" and "Hadrut" give ``"hadrut"``.

A key is a *matching* device, not a spelling: results always show the stored
name.  Changing these rules changes the index: rebuild it with
``python scripts/build_gazetteer.py`` (the index records :data:`KEY_VERSION`).

>>> name_key("Şuşa") == name_key("Shusha") == name_key("Шуша")
True
>>> name_key("Xankəndi") == name_key("Khankendi") == name_key("Ханкенди")
True
>>> name_key("Հադրութ") == name_key("Hadrut")
True
>>> strip_feature_words("the village of Togh")
('Togh', 'village')
"""

from __future__ import annotations

import re
import unicodedata

#: bump when fold/name_key change; the index stores it and refuses a mismatch
KEY_VERSION = "2"

# Letters NFKD does not decompose into base + mark.
_SPECIAL = {
    "ə": "e", "ǝ": "e", "ı": "i", "ø": "o", "æ": "ae", "œ": "oe", "ß": "ss", "ł": "l",
    "đ": "d", "ð": "d", "þ": "th", "ħ": "h", "ŀ": "l", "ĸ": "k",
}
# Azerbaijani/Turkish letters whose plain Latin form is a digraph (applied before
# diacritics are stripped, only by name_key).
_AZ = {"ş": "sh", "ç": "ch", "ğ": "gh", "x": "kh"}

_CYRILLIC = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "e", "ж": "zh",
    "з": "z", "и": "i", "й": "i", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o",
    "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts",
    "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "yu",
    "я": "ya", "і": "i", "ї": "yi", "є": "ye", "ґ": "g", "ў": "u", "ә": "e", "ҹ": "j",
    "ғ": "gh", "ҝ": "g", "һ": "h", "ө": "o", "ү": "u", "ј": "y", "ђ": "dj", "ћ": "c",
    "љ": "lj", "њ": "nj", "џ": "dzh", "ѓ": "gj", "ќ": "kj", "ѕ": "dz", "қ": "k",
    "ң": "n", "ұ": "u", "ҳ": "h",
}
_ARMENIAN = {
    "ա": "a", "բ": "b", "գ": "g", "դ": "d", "ե": "e", "զ": "z", "է": "e", "ը": "e",
    "թ": "t", "ժ": "zh", "ի": "i", "լ": "l", "խ": "kh", "ծ": "ts", "կ": "k", "հ": "h",
    "ձ": "dz", "ղ": "gh", "ճ": "ch", "մ": "m", "յ": "y", "ն": "n", "շ": "sh", "ո": "o",
    "չ": "ch", "պ": "p", "ջ": "j", "ռ": "r", "ս": "s", "վ": "v", "տ": "t", "ր": "r",
    "ց": "ts", "ւ": "v", "փ": "p", "ք": "k", "օ": "o", "ֆ": "f", "և": "ev",
}
_APOSTROPHES = "'’‘ʼʻʹʿʾ`´ʺ\"“”«»"
_PUNCT = re.compile(r"[\s\-_.,;:/\\()\[\]{}!?&+*#@|~^=<>]+")

# Loose spelling rules, applied in order to a transliterated, diacritic-free key.
_LOOSE = [
    ("dzh", "j"), ("dj", "j"), ("zh", "j"), ("kh", "h"), ("gh", "g"), ("sh", "s"),
    ("tch", "c"), ("ch", "c"), ("ts", "c"), ("tz", "c"), ("ph", "f"), ("w", "v"),
    ("y", "i"), ("ou", "u"), ("j", "c"),
]
_INITIAL_YE = re.compile(r"\bie")
_DOUBLES = re.compile(r"(.)\1+")


def _strip_marks(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def fold(text: str) -> str:
    """Return ``text`` case-folded, without diacritics or punctuation, in its own script.

    >>> fold("  Xankəndi-Şəhəri ")
    'xankendi seheri'
    >>> fold("Ստեփանակերտ")
    'ստեփանակերտ'
    """
    text = unicodedata.normalize("NFKC", str(text)).casefold()
    text = "".join(_SPECIAL.get(ch, ch) for ch in text)
    text = "".join(ch for ch in text if ch not in _APOSTROPHES)
    text = _strip_marks(text)
    return _PUNCT.sub(" ", text).strip()


def transliterate(text: str) -> str:
    """Return ``text`` (already folded) with Cyrillic and Armenian letters in Latin.

    Armenian "ու" is read as "u".  Other scripts are left as they are.

    >>> transliterate("степанакерт")
    'stepanakert'
    >>> transliterate("շուշի")
    'shushi'
    """
    text = text.replace("ու", "u")
    out = []
    for ch in text:
        out.append(_CYRILLIC.get(ch) or _ARMENIAN.get(ch) or ch)
    return "".join(out)


def name_key(text: str) -> str:
    """Return the matching key of a place name (see the module docstring).

    >>> name_key("Stepanakert") == name_key("Степанакерт") == name_key("Ստեփանակերտ")
    True
    """
    text = unicodedata.normalize("NFKC", str(text)).casefold()
    text = "".join(_AZ.get(ch, ch) for ch in text)
    text = fold(text)
    text = transliterate(text)
    text = _strip_marks(text)
    previous = None
    while text != previous:  # to a fixed point, so that name_key(name_key(x)) == name_key(x)
        previous = text
        for old, new in _LOOSE:
            text = text.replace(old, new)
        text = _DOUBLES.sub(r"\1", text)
        text = _INITIAL_YE.sub("e", text)
    return text.strip()


#: feature words -> the kind they hint at (matched on folded text, as whole words)
FEATURE_WORDS: dict[str, str] = {
    # districts and other areas
    "district": "district", "rayon": "district", "raion": "district", "rayonu": "district",
    "region": "district", "province": "district", "marz": "district", "oblast": "district",
    "municipality": "district", "район": "district", "раион": "district", "շրջան": "district",
    "մարզ": "district",
    # settlements
    "city": "city", "seheri": "city", "sheheri": "city", "город": "city", "քաղաք": "city",
    "town": "town", "ponk": "town", "поселок": "town", "посёлок": "town", "пгт": "town",
    "village": "village", "kendi": "village", "kend": "village", "село": "village",
    "деревня": "village", "գյուղ": "village", "hamlet": "hamlet", "settlement": "village",
}
_FILLER = {"the", "of", "in", "a", "an"}

#: words that put the scene somewhere near a place, not at it ('near Hadrut', 'под Гадрутом', 'Hadrut
#: yaxınlığında'): the place's own radius would understate how far the scene may be from it
VICINITY_WORDS = frozenset(fold(w) for w in {
    "near", "nearby", "outside", "around", "outskirts", "vicinity", "close", "environs", "surroundings",
    "около", "возле", "близ", "рядом", "под", "окрестности", "окраина", "окраине", "окрестностях",
    "біля", "поблизу", "під", "околиці", "околицях", "неподалік",
    "մոտ", "մոտակայքում", "շրջակայքում", "yaxınlığında", "yaxınlığı", "ətrafında", "civarında", "yakınında",
    "près", "proche", "environs", "cerca", "alrededores", "bei", "nahe", "nähe", "umgebung",
})


def vicinity_word(text: str) -> str | None:
    """The word of ``text`` that puts a scene near a place rather than at it ('near', 'под'), else None."""
    for word in unicodedata.normalize("NFC", str(text)).split():
        if fold(word) in VICINITY_WORDS:
            return word
    return None


def strip_feature_words(text: str) -> tuple[str, str | None]:
    """Split a query into the bare name and the kind its feature words hint at.

    Feature words (``district``, ``rayon``, ``village``, ``town of`` ... and their
    Russian and Armenian forms) are removed only when something is left, so a
    place really called "Village" can still be found.  Words are compared after
    :func:`fold`; the name keeps its own spelling.

    Returns
    -------
    (name, hint)
        ``name`` as typed (NFC, single spaces, punctuation around words kept);
        ``hint`` one of ``"district"``, ``"city"``, ``"town"``, ``"village"``,
        ``"hamlet"`` or None.

    >>> strip_feature_words("Hadrut district")
    ('Hadrut', 'district')
    >>> strip_feature_words("the village of Togh")
    ('Togh', 'village')
    >>> strip_feature_words("Şuşa şəhəri")
    ('Şuşa', 'city')
    """
    words = unicodedata.normalize("NFC", str(text)).split()
    hint = None
    kept = []
    for word in words:
        kind = FEATURE_WORDS.get(fold(word))
        if kind is not None:
            hint = hint or kind
            continue
        kept.append(word)
    while kept and fold(kept[0]) in _FILLER:
        kept.pop(0)
    while kept and fold(kept[-1]) in _FILLER:
        kept.pop()
    if not kept:  # the whole query was feature words: treat it as a name
        return " ".join(words), None
    return " ".join(kept), hint
