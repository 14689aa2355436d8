"""Benchmark HTML maps: file size and offline load time in headless chromium for 100, 10,000, 100,000 incidents.

Run from the repository root::

    PYTHONPATH=. python bench/bench_map.py            # 100, 10000, 100000
    PYTHONPATH=. python bench/bench_map.py 100 1000   # chosen sizes

Incidents are random points (fixed seed) around the nk-line-2020 line, each with
a 500 m location uncertainty, judged against the claim "dozens of kilometres".
Load time is from navigation to the page's ready signal (``window.geomapReady``,
set after the canvas has painted), with every network request blocked; it is
the best of ``--repeat`` loads in a fresh browser page each.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sizes", nargs="*", type=int, default=[100, 10_000, 100_000])
    parser.add_argument("--repeat", type=int, default=2, help="loads per size (best is reported)")
    parser.add_argument("--keep", metavar="DIR", help="keep the HTML files in DIR")
    args = parser.parse_args(argv)

    import numpy as np

    from geomap.claims import parse_claim
    from geomap.layers.lineset import read_lines
    from geomap.pipeline.incidents import Incident, measure
    from geomap.maps.page import write_map
    from geomap.maps.screenshot import load_map, offline_page

    lines = read_lines("nk-line-2020")
    claim = parse_claim("dozens of kilometres")
    out_dir = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="geomap-bench-"))
    out_dir.mkdir(parents=True, exist_ok=True)
    print(f"{'incidents':>10} {'measure_s':>10} {'render_s':>9} {'size_MB':>8} {'load_s':>7}  checks")
    for n in args.sizes:
        rng = np.random.default_rng(20201110)
        lon = rng.uniform(45.6, 47.8, n)
        lat = rng.uniform(38.9, 40.9, n)
        incs = [Incident(lon=float(x), lat=float(y), radius_m=500.0, label=f"event {i}") for i, (x, y) in
                enumerate(zip(lon, lat))]
        t0 = time.perf_counter()
        ms = measure(incs, lines)
        t1 = time.perf_counter()
        path = write_map(out_dir / f"map_{n}.html", ms, lines, claim=claim, title=f"bench: {n} incidents")
        t2 = time.perf_counter()
        size_mb = path.stat().st_size / 1e6
        best = float("inf")
        checks = "ok"
        for _ in range(max(1, args.repeat)):
            with offline_page() as (page, record):
                load_map(page, record, path, timeout_s=300)
                if not record.ready:
                    checks = f"NOT READY: {record.error}"
                    break
                drawn = page.evaluate("window.geomapStats.incidents")
                problems = record.blocked_requests + record.console_errors + record.page_errors
                if drawn != n or problems:
                    checks = f"drawn {drawn}/{n}, problems {problems[:3]}"
                best = min(best, record.load_s)
        print(f"{n:>10} {t1 - t0:>10.2f} {t2 - t1:>9.2f} {size_mb:>8.2f} {best:>7.2f}  {checks}", flush=True)
    if args.keep:
        print(f"maps kept in {out_dir}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
