"""Claims in the twelve languages: a table of phrasings per language, each with its strict and lenient range.

Expected ranges are worked out from the rules each lexicon documents (the same tolerances as the English
entries), by the helpers below, not printed by the code:

* bare number x (half unit h of its last digit): strict x ± max(5 %, min(h, 7.5 %)), lenient x ± max(10 %, min(h, 25 %))
* about x: strict ± max(10 %, min(h, 20 %)), lenient ± max(25 %, min(h, 50 %))
* at most x: [0, x] / [0, 1.05 x]; at least x: [x, open) / [0.95 x, open); nearly x: [0.9 x, x] / [0.75 x, x]
* range a-b: [a, b] / [0.95 a, 1.05 b]; vague counts from the lexicon times the unit (and multiplier)
"""

from __future__ import annotations

import math

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from geomap.claims import available_languages, load_lexicon, parse_claim
from geomap.errors import ClaimError

KM = 1000.0
M = 1.0
REFUSED = "refused"


def bare(x, unit=KM, h=0.5):
    s = max(0.05 * x, min(h, 0.075 * x))
    l_ = max(0.1 * x, min(h, 0.25 * x))
    return ((x - s) * unit, (x + s) * unit), ((x - l_) * unit, (x + l_) * unit)


def about(x, unit=KM, h=0.5):
    s = max(0.1 * x, min(h, 0.2 * x))
    l_ = max(0.25 * x, min(h, 0.5 * x))
    return ((x - s) * unit, (x + s) * unit), ((x - l_) * unit, (x + l_) * unit)


def upper(x, unit=KM):
    return (0.0, x * unit), (0.0, 1.05 * x * unit)


def lower(x, unit=KM):
    return (x * unit, None), (0.95 * x * unit, None)


def nearly(x, unit=KM):
    return (0.9 * x * unit, x * unit), (0.75 * x * unit, x * unit)


def rng(a, b, unit=KM):
    return (a * unit, b * unit), (0.95 * a * unit, 1.05 * b * unit)


def vague(strict, lenient, unit=KM):
    return (strict[0] * unit, strict[1] * unit), (lenient[0] * unit, lenient[1] * unit)


TENS = vague((24, 96), (20, 100))
SEVERAL = vague((3, 7), (2, 9))
SEVERAL_HUNDRED_M = vague((300, 700), (200, 900), M)
COUPLE = vague((2, 3), (2, 4))

TABLES = {
    "ru": [
        ("находится в десятках километров от ближайшего участка линии соприкосновения", TENS),
        ("десятки километров", TENS),
        ("около 30 км", about(30)),
        ("примерно 12 км", about(12)),
        ("порядка 40 км", about(40)),
        ("в двадцати пяти километрах от линии фронта", bare(25)),
        ("в 8 км от линии фронта", bare(8)),
        ("в пяти километрах", bare(5)),
        ("полтора километра", bare(1.5, h=0.05)),
        ("2,5 км", bare(2.5, h=0.05)),
        ("12 000 м", bare(12_000, M)),
        ("менее 5 км от линии", upper(5)),
        ("не более 2,5 км", upper(2.5)),
        ("до 40 километров", upper(40)),
        ("более 12 000 м", lower(12_000, M)),
        ("свыше 80 км", lower(80)),
        ("не менее 15 км", lower(15)),
        ("почти 20 км", nearly(20)),
        ("от 5 до 10 км", rng(5, 10)),
        ("между 5 и 10 километрами", rng(5, 10)),
        ("5-10 км", rng(5, 10)),
        ("несколько километров", SEVERAL),
        ("несколько сотен метров", SEVERAL_HUNDRED_M),
        ("пару километров", COUPLE),
        ("сотни метров", vague((200, 900), (200, 1000), M)),
        ("в пяти километрах и в пятидесяти километрах", REFUSED),
        ("на высоте 20 км", REFUSED),
        ("глубиной 5 м", REFUSED),
        ("минус 5 км", REFUSED),
        ("скорость 50 км/ч", REFUSED),
    ],
    "uk": [
        ("знаходиться за десятки кілометрів від лінії фронту", TENS),
        ("за десятки кілометрів", TENS),
        ("близько п'яти кілометрів", about(5)),
        ("близько п’яти кілометрів", about(5)),
        ("приблизно 30 км", about(30)),
        ("за двадцять п’ять кілометрів", bare(25)),
        ("за сорок кілометрів", bare(40)),
        ("за п'ятнадцять кілометрів", bare(15)),
        ("за дев'ятсот метрів", bare(900, M)),
        ("півтора кілометра", bare(1.5, h=0.05)),
        ("2,5 км", bare(2.5, h=0.05)),
        ("менше 5 км", upper(5)),
        ("не більше ніж 3 км", upper(3)),
        ("до 40 км", upper(40)),
        ("понад 40 км", lower(40)),
        ("щонайменше 15 км", lower(15)),
        ("майже 20 км", nearly(20)),
        ("від 5 до 10 км", rng(5, 10)),
        ("між 5 і 10 км", rng(5, 10)),
        ("кілька кілометрів", SEVERAL),
        ("кілька сотень метрів", SEVERAL_HUNDRED_M),
        ("сотні метрів", vague((200, 900), (200, 1000), M)),
        ("тисячі кілометрів", vague((2000, 9000), (2000, 10000))),
        ("5 км і більше", lower(5)),
        ("5 км або менше", upper(5)),
        ("за 5 км і за 50 км", REFUSED),
        ("на висоті 20 км", REFUSED),
        ("мінус 5 км", REFUSED),
    ],
    "hy": [
        ("գտնվում է շփման գծի մոտակա հատվածից տասնյակ կիլոմետրեր հեռավորության վրա", TENS),
        ("տասնյակ կիլոմետրեր", TENS),
        ("մոտ 30 կմ", about(30)),
        ("մոտավորապես 12 կմ", about(12)),
        ("շուրջ 40 կմ", about(40)),
        ("քսանհինգ կիլոմետր", bare(25)),
        ("տասնհինգ կիլոմետր", bare(15)),
        ("հինգ կիլոմետր", bare(5)),
        ("երկու հարյուր մետր", bare(200, M)),
        ("8 կմ", bare(8)),
        ("2,5 կմ", bare(2.5, h=0.05)),
        ("5 կմ-ից պակաս", upper(5)),
        ("մինչև 40 կմ", upper(40)),
        ("5 կմ-ից ավելի", lower(5)),
        ("ավելի քան 80 կմ", lower(80)),
        ("առնվազն 15 կմ", lower(15)),
        ("գրեթե 20 կմ", nearly(20)),
        ("5-ից 10 կմ", rng(5, 10)),
        ("5-10 կմ", rng(5, 10)),
        ("մի քանի կիլոմետր", SEVERAL),
        ("մի քանի հարյուր մետր", SEVERAL_HUNDRED_M),
        ("հարյուրավոր մետրեր", vague((200, 900), (200, 1000), M)),
        ("5 կիլոմետրից պակաս", upper(5)),
        ("5 կմ և 50 կմ", REFUSED),
        ("20 կմ բարձրության վրա", REFUSED),
        ("մինուս 5 կմ", REFUSED),
    ],
    "az": [
        ("təmas xəttinin ən yaxın hissəsindən onlarla kilometr məsafədə yerləşir", TENS),
        ("onlarla kilometr", TENS),
        ("təxminən 30 km", about(30)),
        ("təqribən 12 km", about(12)),
        ("5 km ətrafında", about(5)),
        ("iyirmi beş kilometr", bare(25)),
        ("on beş kilometr", bare(15)),
        ("beş kilometr məsafədə", bare(5)),
        ("iki yüz metr", bare(200, M)),
        ("2,5 km", bare(2.5, h=0.05)),
        ("2.200 metr", bare(2200, M)),
        ("5 km-dən az", upper(5)),
        ("beş kilometrdən az", upper(5)),
        ("15 km-ə qədər", upper(15)),
        ("5 km-dən çox", lower(5)),
        ("ən azı 15 km", lower(15)),
        ("az qala 20 km", nearly(20)),
        ("5 ilə 10 km arasında", rng(5, 10)),
        ("5-dən 10 km-ə qədər", rng(5, 10)),
        ("5-10 km", rng(5, 10)),
        ("bir neçə kilometr", SEVERAL),
        ("bir neçə yüz metr", SEVERAL_HUNDRED_M),
        ("yüzlərlə metr", vague((200, 900), (200, 1000), M)),
        ("5 km və 50 km", REFUSED),
        ("20 km hündürlükdə", REFUSED),
        ("mənfi 5 km", REFUSED),
    ],
    "tr": [
        ("temas hattının en yakın kısmından onlarca kilometre uzaklıkta", TENS),
        ("onlarca kilometre", TENS),
        ("yaklaşık 30 km", about(30)),
        ("takriben 12 km", about(12)),
        ("5 km civarında", about(5)),
        ("yirmi beş kilometre", bare(25)),
        ("on beş kilometre", bare(15)),
        ("beş kilometre", bare(5)),
        ("2,5 km", bare(2.5, h=0.05)),
        ("2.200 metre", bare(2200, M)),
        ("5 km'den az", upper(5)),
        ("beş kilometreden az", upper(5)),
        ("15 km'ye kadar", upper(15)),
        ("en fazla 10 km", upper(10)),
        ("5 km'den fazla", lower(5)),
        ("en az 15 km", lower(15)),
        ("neredeyse 20 km", nearly(20)),
        ("5 ila 10 km", rng(5, 10)),
        ("5 ile 10 km arasında", rng(5, 10)),
        ("5-10 km", rng(5, 10)),
        ("birkaç kilometre", SEVERAL),
        ("birkaç yüz metre", SEVERAL_HUNDRED_M),
        ("yüzlerce metre", vague((200, 900), (200, 1000), M)),
        ("5 km ve 50 km", REFUSED),
        ("20 km yükseklikte", REFUSED),
        ("eksi 5 km", REFUSED),
    ],
    "ar": [
        ("يقع على بعد عشرات الكيلومترات من أقرب جزء من خط التماس", TENS),
        ("عشرات الكيلومترات", TENS),
        ("حوالي 30 كم", about(30)),
        ("نحو ١٢ كم", about(12)),
        ("على بعد ٢٥ كيلومترا", bare(25)),
        ("خمسة وعشرون كيلومترا", bare(25)),
        ("خمسة عشر كيلومترا", bare(15)),
        ("٢٫٥ كم", bare(2.5, h=0.05)),
        ("١٬٢٠٠ متر", bare(1200, M)),
        ("8 كلم", bare(8)),
        ("أقل من 5 كم", upper(5)),
        ("لا يزيد عن 3 كم", upper(3)),
        ("أكثر من ١٢٬٠٠٠ متر", lower(12_000, M)),
        ("ما لا يقل عن 15 كم", lower(15)),
        ("بين 5 و10 كم", rng(5, 10)),
        ("من 5 إلى 10 كم", rng(5, 10)),
        ("5-10 كم", rng(5, 10)),
        ("بضعة كيلومترات", vague((3, 9), (2, 10))),
        ("بضع مئات من الأمتار", vague((300, 900), (200, 1000), M)),
        ("عدة كيلومترات", SEVERAL),
        ("مئات الأمتار", vague((200, 900), (200, 1000), M)),
        ("5 كم أو أكثر", lower(5)),
        ("حدث ذلك في 2020م على بعد 5 كم", bare(5)),
        ("على بعد 5 كم و50 كم", REFUSED),
        ("على ارتفاع 20 كم", REFUSED),
        ("سالب 5 كم", REFUSED),
    ],
    "he": [
        ('נמצא במרחק של עשרות קילומטרים מקו המגע', TENS),
        ("עשרות קילומטרים", TENS),
        ('כ-30 ק"מ', about(30)),
        ("כ־30 ק״מ", about(30)),
        ('בערך 12 ק"מ', about(12)),
        ("עשרים וחמישה קילומטרים", bare(25)),
        ("חמישה עשר קילומטרים", bare(15)),
        ("חמישה קילומטרים", bare(5)),
        ("500 מ'", bare(500, M)),
        ('2.5 ק"מ', bare(2.5, h=0.05)),
        ('1,200 מטרים', bare(1200, M)),
        ('פחות מ-5 ק"מ', upper(5)),
        ('עד 40 ק"מ', upper(40)),
        ('יותר מ-12 ק"מ', lower(12)),
        ('לפחות 15 ק"מ', lower(15)),
        ('כמעט 20 ק"מ', nearly(20)),
        ('בין 5 ל-10 ק"מ', rng(5, 10)),
        ('5-10 ק"מ', rng(5, 10)),
        ("כמה קילומטרים", SEVERAL),
        ("מספר קילומטרים", SEVERAL),
        ("כמה מאות מטרים", SEVERAL_HUNDRED_M),
        ("מאות מטרים", vague((200, 900), (200, 1000), M)),
        ('5 ק"מ או יותר', lower(5)),
        ('5 ק"מ ו-50 ק"מ', REFUSED),
        ('בגובה 20 ק"מ', REFUSED),
        ('מינוס 5 ק"מ', REFUSED),
    ],
    "fa": [
        ("در فاصله ده‌ها کیلومتری از نزدیکترین بخش خط تماس قرار دارد", TENS),
        ("ده‌ها کیلومتر", TENS),
        ("حدود ۳۰ کیلومتر", about(30)),
        ("تقریباً ۱۲ کیلومتر", about(12)),
        ("بیست و پنج کیلومتر", bare(25)),
        ("پانزده کیلومتر", bare(15)),
        ("در ۵ کیلومتری", bare(5)),
        ("۲٫۵ کیلومتر", bare(2.5, h=0.05)),
        ("۱٬۲۰۰ متر", bare(1200, M)),
        ("8 کیلومتر", bare(8)),
        ("کمتر از ۵ کیلومتر", upper(5)),
        ("کم‌تر از ۵ کیلومتر", upper(5)),
        ("حداکثر ۴۰ کیلومتر", upper(40)),
        ("بیش از ۱۲ کیلومتر", lower(12)),
        ("حداقل ۱۵ کیلومتر", lower(15)),
        ("نزدیک به ۲۰ کیلومتر", nearly(20)),
        ("بین ۵ تا ۱۰ کیلومتر", rng(5, 10)),
        ("از ۵ تا ۱۰ کیلومتر", rng(5, 10)),
        ("۵ تا ۱۰ کیلومتر", rng(5, 10)),
        ("چند کیلومتر", SEVERAL),
        ("چند صد متر", SEVERAL_HUNDRED_M),
        ("صدها متر", vague((200, 900), (200, 1000), M)),
        ("۵ کیلومتر یا بیشتر", lower(5)),
        ("۵ کیلومتر و ۵۰ کیلومتر", REFUSED),
        ("در ارتفاع ۲۰ کیلومتری", REFUSED),
        ("منفی ۵ کیلومتر", REFUSED),
    ],
    "fr": [
        ("se trouve à des dizaines de kilomètres de la ligne de contact", TENS),
        ("dizaines de kilomètres", TENS),
        ("à environ 30 km", about(30)),
        ("une vingtaine de kilomètres", vague((18, 22), (15, 25))),
        ("à vingt-cinq kilomètres du front", bare(25)),
        ("à quatre-vingt-dix kilomètres", bare(90)),
        ("à cinq kilomètres", bare(5)),
        ("2,5 km", bare(2.5, h=0.05)),
        ("12 000 mètres", bare(12_000, M)),
        ("un demi-kilomètre", bare(0.5, h=0.05)),
        ("moins de 5 km", upper(5)),
        ("jusqu'à 40 km", upper(40)),
        ("plus de 12 000 mètres", lower(12_000, M)),
        ("au moins 15 km", lower(15)),
        ("près de 20 km", nearly(20)),
        ("entre 5 et 10 km", rng(5, 10)),
        ("de 5 à 10 km", rng(5, 10)),
        ("5-10 km", rng(5, 10)),
        ("quelques kilomètres", vague((3, 5), (2, 6))),
        ("quelques centaines de mètres", vague((300, 500), (200, 600), M)),
        ("plusieurs kilomètres", vague((3, 7), (3, 9))),
        ("des centaines de mètres", vague((200, 900), (200, 1000), M)),
        ("5 km ou plus", lower(5)),
        ("à 5 km et à 50 km", REFUSED),
        ("à une altitude de 20 km", REFUSED),
        ("moins 5 km", REFUSED),
    ],
    "es": [
        ("se encuentra a decenas de kilómetros de la línea de contacto", TENS),
        ("decenas de kilómetros", TENS),
        ("a unos 30 km", about(30)),
        ("alrededor de 12 km", about(12)),
        ("una veintena de kilómetros", vague((18, 22), (15, 25))),
        ("a veinticinco kilómetros del frente", bare(25)),
        ("a cinco kilómetros", bare(5)),
        ("2.200 metros", bare(2200, M)),
        ("2,5 km", bare(2.5, h=0.05)),
        ("a 5 km de la línea", bare(5)),
        ("menos de 5 km del frente", upper(5)),
        ("hasta 40 km", upper(40)),
        ("más de 12 km", lower(12)),
        ("al menos 15 km", lower(15)),
        ("casi 20 km", nearly(20)),
        ("entre 5 y 10 km", rng(5, 10)),
        ("de 5 a 10 km", rng(5, 10)),
        ("5-10 km", rng(5, 10)),
        ("unos pocos kilómetros", vague((3, 5), (2, 6))),
        ("varios kilómetros", vague((3, 7), (3, 9))),
        ("cientos de metros", vague((200, 900), (200, 1000), M)),
        ("5 km o más", lower(5)),
        ("5 km o menos", upper(5)),
        ("a 5 km y a 50 km", REFUSED),
        ("a una altitud de 20 km", REFUSED),
        ("menos 5 km", REFUSED),
    ],
    "de": [
        ("liegt Dutzende Kilometer von der Frontlinie entfernt", TENS),
        ("Dutzende Kilometer", TENS),
        ("etwa 30 km", about(30)),
        ("rund 12 km", about(12)),
        ("fünfundzwanzig Kilometer entfernt", bare(25)),
        ("fünf Kilometer", bare(5)),
        ("einen Kilometer", bare(1)),
        ("2.200 Meter", bare(2200, M)),
        ("2,5 km", bare(2.5, h=0.05)),
        ("anderthalb Kilometer", bare(1.5, h=0.05)),
        ("weniger als 5 km", upper(5)),
        ("bis zu 40 km", upper(40)),
        ("mehr als 12 km", lower(12)),
        ("mindestens 15 km", lower(15)),
        ("fast 20 km", nearly(20)),
        ("zwischen 5 und 10 km", rng(5, 10)),
        ("5 bis 10 km", rng(5, 10)),
        ("von 5 bis 10 km", rng(5, 10)),
        ("ein paar Kilometer", vague((3, 5), (2, 6))),
        ("mehrere Kilometer", vague((3, 7), (3, 9))),
        ("Hunderte Meter", vague((200, 900), (200, 1000), M)),
        ("5 km oder mehr", lower(5)),
        ("5 km und 50 km", REFUSED),
        ("in 20 km Höhe", REFUSED),
        ("5 m tief", REFUSED),
        ("minus 5 km", REFUSED),
    ],
}

CASES = [(lang, text, expected) for lang, rows in TABLES.items() for text, expected in rows]


def _close(actual, expected):
    if expected is None:
        return actual is None
    return actual is not None and math.isclose(actual, expected, rel_tol=1e-9, abs_tol=1e-6)


@pytest.mark.parametrize("lang", sorted(TABLES))
def test_every_language_has_a_table_of_25(lang):
    assert len(TABLES[lang]) >= 25
    assert sum(1 for _, e in TABLES[lang] if e == REFUSED) >= 3


def test_every_shipped_language_is_tested():
    assert set(available_languages()) == set(TABLES) | {"en"}


@pytest.mark.parametrize(("lang", "text", "expected"), CASES, ids=[f"{c[0]}:{c[1][:30]}" for c in CASES])
def test_phrasing(lang, text, expected):
    if expected == REFUSED:
        with pytest.raises(ClaimError) as info:
            parse_claim(text, lang=lang)
        assert "\n" not in str(info.value)
        return
    claim = parse_claim(text, lang=lang)
    (s_lo, s_hi), (l_lo, l_hi) = expected
    assert _close(claim.strict.min_m, s_lo) and _close(claim.strict.max_m, s_hi), (claim.rule, claim.strict)
    assert _close(claim.lenient.min_m, l_lo) and _close(claim.lenient.max_m, l_hi), (claim.rule, claim.lenient)
    assert claim.language == lang
    assert claim.strict.issubset(claim.lenient)


SEED = {
    "en": "is located dozens of kilometers from the nearest section of the line of contact",
    "hy": "գտնվում է շփման գծի մոտակա հատվածից տասնյակ կիլոմետրեր հեռավորության վրա",
    "ru": "находится в десятках километров от ближайшего участка линии соприкосновения",
    "az": "təmas xəttinin ən yaxın hissəsindən onlarla kilometr məsafədə yerləşir",
}


@pytest.mark.parametrize("lang", ["hy", "ru", "az"])
def test_seed_translations_read_like_the_english(lang):
    english = parse_claim(SEED["en"])
    translated = parse_claim(SEED[lang])  # detected, not given
    assert translated.language == lang
    assert translated.strict == english.strict and translated.lenient == english.lenient


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("около 30 км от линии фронта", "ru"),
        ("близько 30 кілометрів від лінії фронту", "uk"),
        ("մոտ 30 կմ", "hy"),
        ("təxminən 30 km məsafədə", "az"),
        ("yaklaşık 30 km uzaklıkta", "tr"),
        ("حوالي 30 كم", "ar"),
        ('כ-30 ק"מ', "he"),
        ("حدود ۳۰ کیلومتر", "fa"),
        ("à environ 30 km de la ligne", "fr"),
        ("a unos 30 km de la línea", "es"),
        ("etwa 30 km von der Front entfernt", "de"),
        ("about 30 km from the front", "en"),
    ],
)
def test_language_is_detected(text, lang):
    assert parse_claim(text).language == lang


def test_unknown_script_names_the_languages_understood():
    with pytest.raises(ClaimError, match="Georgian") as info:
        parse_claim("ფრონტის ხაზიდან 5 კმ")
    assert "Armenian (hy)" in str(info.value) and "--lang" in str(info.value)


def test_unknown_language_code_is_refused():
    with pytest.raises(ClaimError, match="unknown language 'xx'"):
        parse_claim("5 km", lang="xx")


def test_no_distance_names_the_language_read():
    with pytest.raises(ClaimError, match="read as Russian") as info:
        parse_claim("где-то у линии фронта")
    assert "--lang" in str(info.value)


@pytest.mark.parametrize("lang", sorted(TABLES) + ["en"])
def test_every_lexicon_is_valid_and_documented(lang):
    import json

    from geomap.claims import default_lexicon_path

    lex = load_lexicon(language=lang)
    assert lex.language == lang
    raw = json.loads(default_lexicon_path(lang).read_text(encoding="utf-8"))
    for group in ("units", "comparators", "vague"):
        for entry in raw[group]:
            assert entry["rationale"].strip() and "citation" in entry, entry["id"]
    assert raw["not_distance"]["rationale"]


_WORDS = {lang: sorted({w for w in load_lexicon(language=lang).vocabulary})[:400] for lang in sorted(TABLES) + ["en"]}
_PIECES = ["5", "10", "2,5", "2.200", "٢٥", "۳۰", "-", "−", "'", "km", "(", ")", "1e3", "½", " "]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_parser_never_crashes_and_readings_are_ordered(data):
    lang = data.draw(st.sampled_from(sorted(_WORDS)))
    parts = data.draw(st.lists(st.sampled_from(_WORDS[lang] + _PIECES), max_size=10))
    text = " ".join(parts)
    for given_lang in (lang, None):
        try:
            claim = parse_claim(text, lang=given_lang)
        except ClaimError:
            continue
        for reading in (claim.strict, claim.lenient):
            assert reading.min_m is None or reading.min_m >= 0
            if reading.min_m is not None and reading.max_m is not None:
                assert reading.min_m <= reading.max_m
        assert claim.strict.issubset(claim.lenient)
