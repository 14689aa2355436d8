"""Your own theatre at scale: adding 1,000 daily snapshots, and a batch over 700 versions.

One command::

    python bench/bench_own_theatre.py [--snapshots 1000] [--vertices 2000] [--rows 1000000]
                                      [--versions 700] [--skip-dask] [--json out.json]

1. **Add**: writes ``--snapshots`` daily GeoJSON snapshots of a seeded wiggly
   front (``--vertices`` each, moving east ~40 m a day, the date in each file
   name) into a folder and times ``geomap layers add FOLDER --theatre bench-front``
   (validation, copy, layer.json per file) into a fresh store ($GEOMAP_LAYERS_DIR).
2. **Many versions**: ``--rows`` seeded events within ~50 km of the front, dated
   uniformly over the first ``--versions`` days, measured end to end (read CSV,
   measure, write CSV) each against the version valid on its own date
   (``--theatre``), and the same events against one version (``--layer``).
   Reported: both times, their ratio (target <= 2) and the peak memory of each
   run (summed RSS of the process and its Dask workers, sampled every 0.1 s;
   target <= 3 GB).
3. **Dask**: the many-versions run with ``--engine dask`` (2 local worker
   processes): time, peak memory, and whether its output is byte-identical.

Each run is its own process, so each peak is its own.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
THEATRE = "bench-front"
START = dt.date(2023, 1, 1)


def front(day: int, vertices: int, seed: int = 18):
    import numpy as np

    rng = np.random.default_rng(seed)
    lat = np.linspace(46.5, 50.5, vertices)
    wiggle = np.cumsum(rng.normal(0, 0.004, vertices))
    return np.column_stack([37.5 + wiggle - wiggle.mean() + day * 0.0005, lat])


def make_snapshots(folder: Path, n: int, vertices: int) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for day in range(n):
        coords = front(day, vertices)
        name = folder / f"front_{(START + dt.timedelta(days=day)).isoformat()}.geojson"
        name.write_text(json.dumps({"type": "FeatureCollection", "features": [{
            "type": "Feature", "properties": {"name": "front"},
            "geometry": {"type": "LineString", "coordinates": coords.round(6).tolist()}}]}), encoding="utf-8")


def make_events(path: Path, rows: int, versions: int, seed: int = 7) -> None:
    import numpy as np
    import pandas as pd

    rng = np.random.default_rng(seed)
    days = rng.integers(0, versions, rows)
    lat = rng.uniform(46.6, 50.4, rows)
    lon = 37.5 + rng.uniform(-0.7, 0.7, rows) + days * 0.0005
    dates = (np.datetime64(START.isoformat()) + days.astype("timedelta64[D]")).astype(str)
    pd.DataFrame({"id": np.arange(rows), "lon": lon.round(5), "lat": lat.round(5), "date": dates}).to_csv(
        path, index=False)


# ------------------------------------------------------------------ children (one process each)
def run_add(folder: str, _out: str) -> dict:
    from geomap.layers.store import add_layers

    t = time.perf_counter()
    added = add_layers(folder, theatre=THEATRE, accuracy_m=500)
    return {"seconds": time.perf_counter() - t, "layers": len(added)}


def run_versions(src: str, out: str) -> dict:
    return _run(src, out, dict(theatre=THEATRE))


def run_one(src: str, out: str) -> dict:
    return _run(src, out, dict(layer=f"{THEATRE}-line-{START.isoformat()}"))


def _run(src: str, out: str, line: dict) -> dict:
    from geomap.io.tables import write_result
    from geomap.pipeline.request import IncidentSource, LineChoice, Request
    from geomap.pipeline.run import run

    t = time.perf_counter()
    result = run(Request(IncidentSource(path=src), LineChoice(**line)))
    write_result(result, out)
    return {"seconds": time.perf_counter() - t, "summary": result.summary, "layers": len(result.layers)}


def run_dask(src: str, out: str) -> dict:
    from geomap.pipeline.dask import measure_dask
    from geomap.pipeline.request import Execution, IncidentSource, LineChoice, Request

    t = time.perf_counter()
    result = measure_dask(Request(IncidentSource(path=src), LineChoice(theatre=THEATRE),
                                  execution=Execution(engine="dask", output=out)))
    return {"seconds": time.perf_counter() - t, "summary": result.summary, "layers": len(result.layers)}


def child(method: str, src: str, out: str) -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from bench_batch import TreePeak

    tree = TreePeak()
    res = {"add": run_add, "versions": run_versions, "one": run_one, "dask": run_dask}[method](src, out)
    res["peak_rss_mb"] = tree.stop_mb()
    print(json.dumps(res))


def in_child(method: str, src: Path, out: Path, env: dict) -> dict:
    proc = subprocess.run([sys.executable, __file__, "--child", method, str(src), str(out)],
                          capture_output=True, text=True, env=env)
    if proc.returncode != 0:
        raise RuntimeError(f"{method} failed: {proc.stderr.strip()[-2000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    parser.add_argument("--snapshots", type=int, default=1000)
    parser.add_argument("--vertices", type=int, default=2000)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--versions", type=int, default=700)
    parser.add_argument("--skip-dask", action="store_true")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    if args.child:
        child(*args.child)
        return 0
    if args.versions > args.snapshots:
        parser.error("--versions must not exceed --snapshots")
    report: dict = {"snapshots": args.snapshots, "vertices": args.vertices, "rows": args.rows,
                    "versions": args.versions}
    with tempfile.TemporaryDirectory(prefix="bench-own-theatre.") as tmp:
        tmp = Path(tmp)
        env = dict(os.environ, PYTHONPATH=str(ROOT), GEOMAP_LAYERS_DIR=str(tmp / "store"))
        folder = tmp / "snapshots"
        make_snapshots(folder, args.snapshots, args.vertices)
        report["add"] = add = in_child("add", folder, tmp / "-", env)
        print(f"add {add['layers']:,} snapshots of {args.vertices:,} vertices: {add['seconds']:.1f} s "
              f"({add['seconds'] / add['layers'] * 1000:.1f} ms each), peak {add['peak_rss_mb']:,.0f} MB", flush=True)
        events = tmp / "events.csv"
        make_events(events, args.rows, args.versions)
        one = report["one"] = in_child("one", events, tmp / "one.csv", env)
        many = report["versions_run"] = in_child("versions", events, tmp / "many.csv", env)
        ratio = many["seconds"] / one["seconds"]
        report["ratio"] = ratio
        print(f"{args.rows:,} events, one version:          {one['seconds']:.1f} s, peak {one['peak_rss_mb']:,.0f} MB")
        print(f"{args.rows:,} events, {many['layers']} versions (as of each date): {many['seconds']:.1f} s, "
              f"peak {many['peak_rss_mb']:,.0f} MB")
        print(f"time ratio many/one: {ratio:.2f} (target <= 2: {'met' if ratio <= 2 else 'NOT met'}); "
              f"peak {many['peak_rss_mb'] / 1024:.2f} GB (target <= 3: "
              f"{'met' if many['peak_rss_mb'] <= 3072 else 'NOT met'})")
        if not args.skip_dask:
            dask = report["dask"] = in_child("dask", events, tmp / "dask.csv", env)
            same = (tmp / "dask.csv").read_bytes() == (tmp / "many.csv").read_bytes()
            dask["identical"] = same
            print(f"--engine dask, {dask['layers']} versions: {dask['seconds']:.1f} s, peak "
                  f"{dask['peak_rss_mb']:,.0f} MB (process + workers); output identical: {same}")
    if args.json:
        args.json.write_text(json.dumps(report, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
