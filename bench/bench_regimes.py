"""Distance regimes: geomap vs PostGIS geography ST_Distance for near, far and global points.

One command::

    python bench/bench_regimes.py [--rows 1000000] [--seed 7] [--skip-postgis]
                                  [--lines nk,synthetic[,large]] [--json out.json]

For each line (the shipped ``nk-line-2020``, 241 vertices, a seeded 3,000-vertex
wiggly front, and with ``--lines large`` a seeded 1,000,000-vertex random walk in
a GeoPackage) and each regime it writes ``--rows`` seeded points to a CSV and
times, end to end (read CSV, measure, write CSV), each in its own process:

* **near**: within 0-60 km of a random vertex of the line;
* **far**: 0-4,000 km from a random vertex, in a random direction;
* **globe**: uniform over the globe.

geomap runs ``pipeline.run.run`` + ``write_result`` (the same as ``geomap
distance FILE --layer L -o out.csv``); its peak memory is the sampled summed
RSS of its process.  PostGIS runs ``ST_Distance(geography, geography)`` on a
throwaway cluster started and stopped by ``bench_batch.pg_cluster`` (load with
COPY included in its time).  Printed: seconds, rows/s, time relative to the
near regime of the same line, the time spent reading the line and building its
index within the run ("index s") and the rows/s after it ("after"), peak
memory, the throughput ratio against PostGIS, and PostGIS's largest
difference from geomap.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import bench_batch  # noqa: E402

REGIMES = {"near": (0.0, 60_000.0), "far": (0.0, 4_000_000.0), "globe": None}
COLUMNS = ["event_id_cnty", "latitude", "longitude", "notes"]


def line_coords(name: str, work: Path):
    """(layer argument, list of (n, 2) lon/lat parts) for a line name."""
    import numpy as np
    import shapely

    if name == "nk":
        from geomap.layers.lineset import read_lines

        lines = read_lines("nk-line-2020")
        return "nk-line-2020", [shapely.get_coordinates(p) for g in lines.geoms for p in shapely.get_parts(g)]
    if name == "large":
        # the 1,000,000-vertex random walk of the large-line benchmark (about 850 km, vertices ~1 m apart)
        import bench_large_layer

        path = bench_large_layer.write_layer(work, 1_000_000, 1, "gpkg")
        return str(path), [np.column_stack(bench_large_layer.walk(1_000_000))]
    from bench_distance import make_line

    xy = make_line(3000, 11)
    path = work / "synthetic-3000.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [{
        "type": "Feature", "properties": {"name": "synthetic front"},
        "geometry": {"type": "LineString", "coordinates": np.asarray(xy).tolist()}}]}))
    return str(path), [np.asarray(xy)]


def make_points(path: Path, parts, regime: str, rows: int, seed: int) -> None:
    import numpy as np
    import pandas as pd
    from pyproj import Geod

    rng = np.random.default_rng(seed)
    if REGIMES[regime] is None:
        lon = rng.uniform(-180, 180, rows)
        lat = np.degrees(np.arcsin(rng.uniform(-1, 1, rows)))
    else:
        xy = np.concatenate(parts)
        pick = rng.integers(0, xy.shape[0], rows)
        lo, hi = REGIMES[regime]
        lon, lat, _ = Geod(ellps="WGS84").fwd(xy[pick, 0], xy[pick, 1], rng.uniform(0, 360, rows),
                                              rng.uniform(lo, hi, rows))
    pd.DataFrame({"event_id_cnty": np.char.add("EV", np.arange(rows).astype(str)),
                  "latitude": np.round(lat, 5), "longitude": np.round(lon, 5),
                  "notes": "shelling reported"}, columns=COLUMNS).to_csv(path, index=False)


def child(layer: str, src: str, out: str) -> None:
    from geomap.io.tables import write_result
    from geomap.pipeline.request import IncidentSource, LineChoice, Request
    from geomap.pipeline.run import run

    from geomap.layers import lineset

    # time spent reading the line and building its index, inside the run (the rest is the measuring;
    # read_lines is imported where it is called, so the wrapper is what the run calls)
    ready = [0.0]

    def timed(fn):
        def wrapper(*a, **kw):
            t0 = time.perf_counter()
            try:
                return fn(*a, **kw)
            finally:
                ready[0] += time.perf_counter() - t0
        return wrapper

    lineset.LineSet.index = timed(lineset.LineSet.index)
    lineset.read_lines = timed(lineset.read_lines)
    tree = bench_batch.TreePeak()
    t = time.perf_counter()
    request = Request(IncidentSource(path=src), LineChoice(layer=layer))
    result = run(request)
    write_result(result, Path(out))
    seconds = time.perf_counter() - t
    print(json.dumps({"seconds": seconds, "rows": len(result.frame), "peak_rss_mb": tree.stop_mb(),
                      "index_s": ready[0]}))


def run_geomap(layer: str, src: Path, out: Path) -> dict:
    proc = subprocess.run([sys.executable, __file__, "--child", layer, str(src), str(out)], capture_output=True,
                          text=True, env=dict(os.environ, PYTHONPATH=str(ROOT)))
    if proc.returncode:
        raise RuntimeError(proc.stderr[-2000:])
    return json.loads(proc.stdout.strip().splitlines()[-1])


def run_postgis(psql, parts, src: Path, out: Path) -> dict:
    import shapely

    wkt = shapely.MultiLineString([p.tolist() for p in parts]).wkt
    run = lambda sql: subprocess.run(psql + ["-c", sql], check=True, capture_output=True, text=True)  # noqa: E731
    run("DROP TABLE IF EXISTS line; DROP TABLE IF EXISTS line_wkt; DROP TABLE IF EXISTS events")
    # the line's WKT through COPY (a 1,000,000-vertex line is too long for a command-line argument)
    subprocess.run(psql + ["-c", "CREATE TABLE line_wkt (w text); COPY line_wkt FROM STDIN"],
                   input=wkt.encode(), check=True, capture_output=True)
    run("CREATE TABLE line AS SELECT ST_GeogFromText('SRID=4326;' || w) AS g FROM line_wkt")
    os.chmod(src.parent, 0o755)
    os.chmod(src, 0o644)
    t = time.perf_counter()
    cols = ", ".join(f'"{c}" text' for c in COLUMNS)
    with open(src, "rb") as fh:
        subprocess.run(psql + ["-c", f"CREATE TABLE events ({cols}); COPY events FROM STDIN WITH (FORMAT csv, HEADER true)"],
                       stdin=fh, check=True, capture_output=True)
    sql = ("COPY (SELECT e.*, ST_Distance(ST_SetSRID(ST_MakePoint(e.longitude::float8, e.latitude::float8), 4326)"
           "::geography, l.g) AS distance_m FROM events e CROSS JOIN line l) TO STDOUT WITH (FORMAT csv, HEADER true)")
    with open(out, "wb") as fh:
        subprocess.run(psql + ["-A", "-t", "-c", sql], stdout=fh, check=True)
    return {"seconds": time.perf_counter() - t}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--lines", default="nk,synthetic")
    ap.add_argument("--regimes", default="near,far,globe")
    ap.add_argument("--skip-postgis", action="store_true")
    ap.add_argument("--json", default=None)
    ap.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        child(*args.child)
        return 0
    import numpy as np
    import pandas as pd

    work = Path(tempfile.mkdtemp(prefix="geomap-regimes-"))
    results = []
    try:
        cluster = None if args.skip_postgis else bench_batch.pg_cluster()
        psql = None
        if cluster is not None:
            psql, _data = cluster.__enter__()
            subprocess.run(psql + ["-c", "CREATE EXTENSION postgis"], check=True, capture_output=True)
        try:
            for name in args.lines.split(","):
                layer, parts = line_coords(name, work)
                for regime in args.regimes.split(","):
                    src = work / f"{name}-{regime}.csv"
                    make_points(src, parts, regime, args.rows, args.seed)
                    print(f"{name} {regime}: geomap ...", file=sys.stderr)
                    g = run_geomap(layer, src, work / "geomap.csv")
                    row = {"line": name, "vertices": int(sum(len(p) for p in parts)), "regime": regime,
                           "geomap_s": g["seconds"], "geomap_peak_mb": g["peak_rss_mb"], "index_s": g["index_s"]}
                    if psql is not None:
                        print(f"{name} {regime}: postgis ...", file=sys.stderr)
                        p = run_postgis(psql, parts, src, work / "postgis.csv")
                        row["postgis_s"] = p["seconds"]
                        a = pd.read_csv(work / "geomap.csv", usecols=["event_id_cnty", "distance_m"])
                        b = pd.read_csv(work / "postgis.csv", usecols=["event_id_cnty", "distance_m"])
                        m = a.merge(b, on="event_id_cnty")
                        row["postgis_max_diff_m"] = float(np.max(np.abs(m["distance_m_x"] - m["distance_m_y"])))
                    results.append(row)
                    src.unlink()
        finally:
            if cluster is not None:
                cluster.__exit__(None, None, None)
        print(f"\n{args.rows} points per run, end to end (read CSV, measure, write CSV); {os.cpu_count()} CPUs\n")
        head = (f"{'line':<11}{'regime':<7}{'geomap s':>9}{'rows/s':>9}{'index s':>8}{'after':>9}{'vs near':>8}"
                f"{'peak MB':>8}{'PostGIS s':>10}{'geomap/PostGIS':>15}{'PostGIS max diff m':>19}")
        print(head)
        print("-" * len(head))
        for r in results:
            near = next(x["geomap_s"] for x in results if x["line"] == r["line"] and x["regime"] == "near") \
                if any(x["line"] == r["line"] and x["regime"] == "near" for x in results) else float("nan")
            pg = r.get("postgis_s")
            print(f"{r['line']:<11}{r['regime']:<7}{r['geomap_s']:>9.1f}{args.rows / r['geomap_s']:>9.0f}"
                  f"{r['index_s']:>8.1f}{args.rows / (r['geomap_s'] - r['index_s']):>9.0f}"
                  f"{r['geomap_s'] / near:>7.2f}x{r['geomap_peak_mb']:>8.0f}"
                  + (f"{pg:>10.1f}{pg / r['geomap_s']:>14.2f}x{r['postgis_max_diff_m']:>19.3f}" if pg else ""))
        if args.json:
            Path(args.json).write_text(json.dumps(results, indent=2))
        return 0
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    raise SystemExit(main())
