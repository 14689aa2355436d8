"""Benchmark HTML maps: build time and memory, file size, offline load time in headless chromium, up to 1,000,000 incidents.

Run from the repository root::

    PYTHONPATH=. python bench/bench_map.py                 # 100, 10000, 100000, 1000000
    PYTHONPATH=. python bench/bench_map.py 100 1000        # chosen sizes

Incidents are random points (fixed seed) around the nk-line-2020 line, each with
a 500 m location uncertainty, measured by geomap's engine (``distance_to_line``)
and judged against "dozens of kilometres" (24-96 km strict, 20-100 km lenient;
the verdict rule is applied column-wise here to make the input columns, as the
engine's Result will hold them).  The map is then built from those columns by
``map_data_from_columns`` + ``write_page`` in a fresh subprocess, so that its
peak memory (``ru_maxrss``) is the map build's alone; ``build_cpu_s`` is that
process's user+system CPU time (a steadier figure than wall time on a shared
machine).  Load time is from navigation to the page's ready signal
(``window.geomapReady``, set after the canvas has painted), with every network
request blocked; best of ``--repeat`` loads.  Each load also zooms to one
incident, clicks it and checks the popup's heading.

Targets (issue 21): 1,000,000 incidents in <= 60 MB, built in <= 15 s with
<= 2 GB, opening in <= 5 s.  The previous map (one JSON array per column, one
Leaflet marker per incident) is the peer: 100,000 incidents took 22.08 MB,
10.81 s to build and 4.14 s to open; 1,000,000: 113 MB, 49 s, 4.4 GB, 14 s.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

#: the previous map's figures (bench/README.md, same machine): incidents -> (MB, build s, open s)
PEER = {100: (0.30, 1.89, 0.63), 10_000: (2.41, 1.28, 0.91), 100_000: (22.08, 10.81, 4.14),
        1_000_000: (113.0, 49.0, 14.0)}

_BUILD = r"""
import json, resource, sys, time
import numpy as np
t0 = time.perf_counter()
from geomap.claims import parse_claim
from geomap.layers.lineset import read_lines
from geomap.maps.data import map_data_from_columns
from geomap.maps.page import write_page
src, out, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
z = np.load(src, allow_pickle=True)
cols = {k: z[k] for k in z.files}
lines = read_lines("nk-line-2020")
t1 = time.perf_counter()
data = map_data_from_columns(cols, {"nk-line-2020": lines}, claim=parse_claim("dozens of kilometres"),
                             title=f"bench: {n} incidents")
write_page(out, data)
t2 = time.perf_counter()
ru = resource.getrusage(resource.RUSAGE_SELF)
print(json.dumps({"build_s": t2 - t1, "cpu_s": ru.ru_utime + ru.ru_stime, "peak_mb": ru.ru_maxrss / 1024}))
"""


def columns(n: int, lines):
    import numpy as np

    from geomap.layers.distance import distance_to_line

    rng = np.random.default_rng(20201110)
    lon = rng.uniform(45.6, 47.8, n)
    lat = rng.uniform(38.9, 40.9, n)
    res = distance_to_line(lon=lon, lat=lat, lines=lines)
    acc = float(lines.layer.accuracy_m or 0.0)
    lo = np.maximum(res.distance_m - 500.0 - acc, 0.0)
    hi = res.distance_m + 500.0 + acc
    verdict = np.full(n, "inconclusive", dtype=object)
    verdict[(lo >= 24000) & (hi <= 96000)] = "supported"
    verdict[(hi < 20000) | (lo > 100000)] = "contradicted"
    return {"label": np.array([f"event {i}" for i in range(n)], dtype=object), "lon": lon, "lat": lat,
            "radius_m": np.full(n, 500.0), "distance_m": res.distance_m, "nearest_lon": res.nearest_lon,
            "nearest_lat": res.nearest_lat, "interval_low_m": lo, "interval_high_m": hi, "verdict": verdict}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sizes", nargs="*", type=int, default=[100, 10_000, 100_000, 1_000_000])
    parser.add_argument("--repeat", type=int, default=2, help="loads per size (best is reported)")
    parser.add_argument("--keep", metavar="DIR", help="keep the HTML files in DIR")
    args = parser.parse_args(argv)

    import numpy as np

    from geomap.layers.lineset import read_lines
    from geomap.maps.screenshot import load_map, offline_page

    lines = read_lines("nk-line-2020")
    out_dir = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="geomap-bench-"))
    out_dir.mkdir(parents=True, exist_ok=True)
    print(f"{'incidents':>10} {'measure_s':>9} {'build_s':>8} {'cpu_s':>6} {'peak_MB':>8} {'size_MB':>8} "
          f"{'load_s':>7} {'size/peer':>9} {'build/peer':>10} {'load/peer':>9}  checks")
    for n in args.sizes:
        t0 = time.perf_counter()
        cols = columns(n, lines)
        measure_s = time.perf_counter() - t0
        src = out_dir / f"cols_{n}.npz"
        np.savez(src, **cols)
        path = out_dir / f"map_{n}.html"
        proc = subprocess.run([sys.executable, "-c", _BUILD, str(src), str(path), str(n)], capture_output=True,
                              text=True)
        src.unlink()
        if proc.returncode:
            print(f"{n:>10} build failed: {proc.stderr.strip().splitlines()[-1:]}", flush=True)
            continue
        build = json.loads(proc.stdout.strip().splitlines()[-1])
        size_mb = path.stat().st_size / 1e6
        best, checks, k = float("inf"), "ok", n // 2
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
                page.evaluate("(ll) => { window.geomapMap.setView(L.latLng(ll[1], ll[0]), 13, {animate: false}); }",
                              [float(cols["lon"][k]), float(cols["lat"][k])])
                page.wait_for_timeout(500)
                x, y = page.evaluate("""(k) => { const p = window.geomap.rowPoint(k);
                    const r = window.geomapMap.getContainer().getBoundingClientRect(); return [r.left + p[0], r.top + p[1]]; }""",
                                     k)
                page.mouse.click(x, y)
                try:
                    page.wait_for_selector(".geomap-popup", timeout=10000)
                    if page.inner_text(".geomap-popup h4") != f"event {k}":
                        checks = "popup shows the wrong incident"
                except Exception as exc:  # noqa: BLE001 - reported in the table
                    checks = f"no popup: {type(exc).__name__}"
        peer = PEER.get(n)
        ratios = (f"{size_mb / peer[0]:>9.2f} {build['build_s'] / peer[1]:>10.2f} {best / peer[2]:>9.2f}" if peer
                  else f"{'':>9} {'':>10} {'':>9}")
        print(f"{n:>10} {measure_s:>9.2f} {build['build_s']:>8.2f} {build['cpu_s']:>6.1f} {build['peak_mb']:>8.0f} "
              f"{size_mb:>8.2f} {best:>7.2f} {ratios}  {checks}", flush=True)
    if args.keep:
        print(f"maps kept in {out_dir}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
