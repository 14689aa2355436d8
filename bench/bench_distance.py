"""Benchmark: geomap distance vs geopandas sjoin_nearest (UTM) vs a plain pyproj loop.

One command (from the repository root, with geomap installed):

    python bench/bench_distance.py            # 1,000,000 points
    python bench/bench_distance.py --points 100000

It makes a seeded front line of a few thousand vertices and seeded points
around it, writes them to CSV/GeoJSON in a temporary folder, then runs, in
this same process tree and on the same files, end to end (read CSV, measure,
write CSV):

* geomap: ``geomap distance points.csv --layer line.geojson -o out.csv``, as a
  subprocess (the real CLI, start-up included);
* geopandas: read CSV, points_from_xy, to_crs(UTM zone), ``sjoin_nearest`` to
  the line in UTM, write CSV (planar in UTM: tens of metres wrong);
* pyproj loop: for a sample of points, the nearest vertex by ``Geod.inv`` to
  every vertex (the "simple" approach; wrong between vertices), extrapolated.

It prints throughput, ratios against geomap, and each peer's error against
geomap's exact distances (max and median).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np


def make_line(n_vertices: int, seed: int):
    """A wiggly front from (36.0E, 47.0N) heading north-east, vertices ~300 m apart."""
    from pyproj import Geod

    geod = Geod(ellps="WGS84")
    rng = np.random.default_rng(seed)
    az = 40.0 + np.cumsum(rng.normal(0, 8, n_vertices - 1)).clip(-60, 60)
    step = rng.uniform(150, 450, n_vertices - 1)
    lon, lat = [36.0], [47.0]
    for a, s in zip(az, step):
        x, y, _ = geod.fwd(lon[-1], lat[-1], a, s)
        lon.append(float(x))
        lat.append(float(y))
    return np.column_stack([lon, lat])


def write_inputs(folder: Path, n_points: int, n_vertices: int, seed: int):
    import json

    import pandas as pd

    line = make_line(n_vertices, seed)
    line_path = folder / "line.geojson"
    line_path.write_text(json.dumps({
        "type": "FeatureCollection",
        "features": [{"type": "Feature", "properties": {"name": "bench front"},
                      "geometry": {"type": "LineString", "coordinates": line.tolist()}}],
    }))
    rng = np.random.default_rng(seed + 1)
    minx, miny = line.min(axis=0) - 0.5
    maxx, maxy = line.max(axis=0) + 0.5
    pts = pd.DataFrame({
        "event_id": [f"EV{i:07d}" for i in range(n_points)],
        "lon": np.round(rng.uniform(minx, maxx, n_points), 6),
        "lat": np.round(rng.uniform(miny, maxy, n_points), 6),
        "note": "shelling reported near the front",
    })
    csv_path = folder / "points.csv"
    pts.to_csv(csv_path, index=False)
    return line_path, csv_path, line


def peak_rss_children_mb() -> float:
    import resource

    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def run_geomap(csv_path: Path, line_path: Path, out: Path):
    cmd = [sys.executable, "-m", "geomap", "distance", str(csv_path), "--layer", str(line_path), "-o", str(out), "-q"]
    t = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True)
    elapsed = time.perf_counter() - t
    if proc.returncode != 0:
        raise SystemExit(f"geomap failed: {proc.stderr.strip()}")
    return elapsed


def run_geopandas(csv_path: Path, line_path: Path, out: Path, explode: bool = False):
    """The usual geopandas pipeline, run in a child process so its memory is measured too.

    ``explode`` first splits the line into one feature per segment, which lets
    the STRtree index segments (a tuned variant most users do not write).
    """
    code = f"""
import time, numpy as np, pandas as pd, geopandas as gpd, shapely
t = time.perf_counter()
df = pd.read_csv({str(csv_path)!r}, engine="pyarrow")
pts = gpd.GeoDataFrame(df, geometry=gpd.points_from_xy(df.lon, df.lat), crs=4326)
line = gpd.read_file({str(line_path)!r})
if {explode!r}:
    xy = shapely.get_coordinates(line.geometry.iloc[0])
    segs = shapely.linestrings(np.stack([xy[:-1], xy[1:]], axis=1))
    line = gpd.GeoDataFrame(geometry=segs, crs=line.crs)
utm = pts.estimate_utm_crs()
joined = gpd.sjoin_nearest(pts.to_crs(utm), line.to_crs(utm)[["geometry"]], distance_col="distance_m")
joined = joined[~joined.index.duplicated()]
joined.drop(columns="geometry").to_csv({str(out)!r}, index=False)
print(utm.to_epsg())
"""
    t = time.perf_counter()
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    elapsed = time.perf_counter() - t
    if proc.returncode != 0:
        raise SystemExit(f"geopandas failed: {proc.stderr.strip()[-2000:]}")
    return elapsed, proc.stdout.strip()


def run_pyproj_loop(csv_path: Path, line: np.ndarray, sample: int):
    """Nearest *vertex* by a loop of Geod.inv calls (the naive approach), on a sample."""
    import pandas as pd
    from pyproj import Geod

    geod = Geod(ellps="WGS84")
    df = pd.read_csv(csv_path, nrows=sample)
    t = time.perf_counter()
    out = np.empty(len(df))
    for i, (x, y) in enumerate(zip(df.lon.to_numpy(), df.lat.to_numpy())):
        _, _, d = geod.inv(np.full(len(line), x), np.full(len(line), y), line[:, 0], line[:, 1])
        out[i] = d.min()
    return time.perf_counter() - t, out


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--points", type=int, default=1_000_000)
    parser.add_argument("--vertices", type=int, default=3000)
    parser.add_argument("--loop-sample", type=int, default=2000, help="points for the pyproj loop (extrapolated)")
    parser.add_argument("--seed", type=int, default=20201227)
    args = parser.parse_args(argv)

    import pandas as pd

    with tempfile.TemporaryDirectory(prefix="geomap-bench-") as tmp:
        folder = Path(tmp)
        line_path, csv_path, line = write_inputs(folder, args.points, args.vertices, args.seed)
        print(f"{args.points:,} points, line of {args.vertices:,} vertices; CSV {csv_path.stat().st_size / 1e6:.1f} MB")
        print(f"cpus: {os.cpu_count()}; python {sys.version.split()[0]}")

        g_out = folder / "geomap.csv"
        t_geomap = run_geomap(csv_path, line_path, g_out)
        rss_geomap = peak_rss_children_mb()
        p_out = folder / "gpd.csv"
        t_gpd, utm = run_geopandas(csv_path, line_path, p_out)
        x_out = folder / "gpd_exploded.csv"
        t_gpx, _ = run_geopandas(csv_path, line_path, x_out, explode=True)
        rss_after = peak_rss_children_mb()
        t_loop, loop_d = run_pyproj_loop(csv_path, line, args.loop_sample)
        t_loop_full = t_loop / args.loop_sample * args.points

        exact = pd.read_csv(g_out, usecols=["event_id", "distance_m"], engine="pyarrow").set_index("event_id")
        planar = pd.read_csv(p_out, usecols=["event_id", "distance_m"], engine="pyarrow").set_index("event_id")
        err_gpd = (planar["distance_m"] - exact.loc[planar.index, "distance_m"]).abs()
        planar_x = pd.read_csv(x_out, usecols=["event_id", "distance_m"], engine="pyarrow").set_index("event_id")
        err_gpx = (planar_x["distance_m"] - exact.loc[planar_x.index, "distance_m"]).abs()
        err_loop = np.abs(loop_d - exact["distance_m"].to_numpy()[: args.loop_sample])

        rows = [
            ("geomap (exact geodesic)", t_geomap, 1.0, 0.0, 0.0),
            (f"geopandas sjoin_nearest, UTM EPSG:{utm}", t_gpd, t_gpd / t_geomap, err_gpd.max(), err_gpd.median()),
            ("  same, line exploded into segments (tuned)", t_gpx, t_gpx / t_geomap, err_gpx.max(), err_gpx.median()),
            ("pyproj loop, nearest vertex (extrapolated)", t_loop_full, t_loop_full / t_geomap, err_loop.max(),
             np.median(err_loop)),
        ]
        print()
        print(f"{'pipeline (read CSV, measure, write CSV)':<46} {'seconds':>9} {'points/s':>11} "
              f"{'time vs geomap':>15} {'max err m':>10} {'median err m':>13}")
        for name, secs, ratio, emax, emed in rows:
            print(f"{name:<46} {secs:9.2f} {args.points / secs:11,.0f} {ratio:14.2f}x {emax:10.1f} {emed:13.2f}")
        print()
        print(f"peak RSS of child processes so far: after geomap {rss_geomap:.0f} MB, after geopandas {rss_after:.0f} MB")
        print(f"geomap is {t_gpd / t_geomap:.2f}x the geopandas pipeline's throughput "
              f"({'meets' if t_geomap <= t_gpd else 'misses'} the target of >= 1x); "
              f"{t_gpx / t_geomap:.2f}x the tuned (exploded) one")


if __name__ == "__main__":
    main()
