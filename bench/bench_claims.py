"""Claim parsing speed: milliseconds per claim after import, per language, beside text2num and number-parser alone.

One command: ``python bench/bench_claims.py``.  Prints, for each language, the mean time of
``parse_claim`` (language detected) over its test table, and as peers the time of the
number-word libraries alone (text2num's alpha2digit on a French sentence, number-parser on a
Russian one), so the ratio says how much of the budget the grammar costs.  Target: <= 5 ms per claim.
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from geomap.claims import parse_claim  # noqa: E402
from geomap.errors import ClaimError  # noqa: E402
from tests.test_claims_languages import TABLES  # noqa: E402

TABLES = {**TABLES, "en": [(t, None) for t in (
    "the scene is located dozens of kilometers from the nearest section of the line of contact",
    "about 30 miles", "within 5 km", "between 10 and 20 km", "a few hundred metres", "more than 80 km",
)]}


def _time(func, repeat=5):
    best = []
    for _ in range(repeat):
        start = time.perf_counter()
        func()
        best.append(time.perf_counter() - start)
    return min(best)


def main() -> None:
    rows = []
    for lang, table in sorted(TABLES.items()):
        texts = [t for t, _ in table]

        def run(texts=texts):
            for text in texts:
                try:
                    parse_claim(text)
                except ClaimError:
                    pass

        run()  # warm the lexicon caches
        rows.append((lang, _time(run) / len(texts) * 1000, len(texts)))
    from number_parser import parse as np_parse
    from text_to_num import alpha2digit

    t2n = _time(lambda: [alpha2digit("se trouve à vingt-cinq kilomètres de la ligne de front", "fr") for _ in range(100)]) * 10
    npp = _time(lambda: [np_parse("в двадцати пяти километрах от линии фронта", language="ru") for _ in range(100)]) * 10
    print(f"{'lang':<5} {'claims':>6} {'ms/claim':>9}  vs number-parser alone")
    for lang, ms, n in rows:
        print(f"{lang:<5} {n:>6} {ms:>9.3f}  {ms / npp:>6.2f}x")
    print(f"peers: text2num alpha2digit {t2n:.3f} ms/sentence, number-parser parse {npp:.3f} ms/sentence")
    print(f"worst language mean {max(ms for _, ms, _ in rows):.3f} ms/claim, median {statistics.median(ms for _, ms, _ in rows):.3f} (target <= 5 ms)")


if __name__ == "__main__":
    main()
