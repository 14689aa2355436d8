"""Distance claims in twelve languages become numeric ranges in metres.

A claim such as "dozens of kilometers", "within 5 km", "около 30 км",
"տասնյակ կիլոմետրեր" or a whole sentence containing one is turned into a
:class:`Claim` holding **two readings**:

* ``strict`` - the narrow, literal reading ("dozens" = at least two dozen);
* ``lenient`` - the generous, everyday reading ("dozens" used like "tens of").

The strict range always lies inside the lenient one.  :mod:`geomap.verdict`
calls a claim *supported* only when the measured distance interval lies inside
the strict range, and *contradicted* only when it misses the lenient range.

The words, their numbers and the reason for each number live in data, one
file per language in ``geomap/claims/data/`` (schema
``geomap-claims-lexicon/2``); a user may pass their own file.  Ranges are
**closed**.  Standard library only (plus the small number-word libraries
text2num and number-parser, imported on first use), so the CLI can import it
at start-up.

Modules: :mod:`~geomap.claims.readings` (Range, Claim),
:mod:`~geomap.claims.units` (formatting), :mod:`~geomap.claims.lexicon`,
:mod:`~geomap.claims.numbers` (tokens, numerals),
:mod:`~geomap.claims.languages` (detection), :mod:`~geomap.claims.grammar`,
:mod:`~geomap.claims.parse` (parse_claim, claim_from_bounds).

>>> c = parse_claim("dozens of kilometers")
>>> (c.strict.min_m, c.strict.max_m, c.lenient.min_m, c.lenient.max_m)
(24000.0, 96000.0, 20000.0, 100000.0)
>>> parse_claim("within 5 km").max_m
5000.0
"""

from geomap.claims.languages import LANGUAGE_NAMES
from geomap.claims.lexicon import LEXICON_SCHEMA, Lexicon, available_languages, default_lexicon_path, load_lexicon
from geomap.claims.parse import MAX_CLAIM_CHARS, claim_from_bounds, parse_claim
from geomap.claims.readings import Claim, Range
from geomap.claims.units import distinct_decimals, format_length, format_range

__all__ = [
    "Claim",
    "Range",
    "Lexicon",
    "LANGUAGE_NAMES",
    "LEXICON_SCHEMA",
    "MAX_CLAIM_CHARS",
    "parse_claim",
    "claim_from_bounds",
    "load_lexicon",
    "available_languages",
    "default_lexicon_path",
    "format_length",
    "format_range",
    "distinct_decimals",
]
