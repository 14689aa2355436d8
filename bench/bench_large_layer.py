"""Large user layers: time and peak memory until the first point is measured, and for ``layers validate``.

    python bench/bench_large_layer.py [--vertices 1000000] [--features 1,10000] [--formats geojson,gpkg]

Writes a seeded random-walk line of ``--vertices`` vertices split into each
``--features`` count, in each format, to a temporary folder; then, each in a
fresh subprocess (so peak RSS is that step's own):

* ``geomap read``: :func:`geomap.layers.lineset.read_lines` (read, checks, notes);
* ``geomap ready``: read + the segment index + one point measured (what
  ``geomap distance --at ... --layer FILE`` does before its first answer);
* ``geomap validate``: ``geomap layers validate FILE`` as a subprocess;
* peer ``geopandas read_file``: ``geopandas.read_file(FILE, engine="pyogrio")``
  (GDAL reading the same file into shapely objects, nothing measured).

Prints one table row per (format, features, step) with seconds, peak MB and the
time ratio against the peer read.  Target (issue 14): ready in <= 5 s with
<= 1 GB peak for 1,000,000 vertices on the project's 2-core machine.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]

CHILD = r"""
import json, resource, sys, time
step, path = sys.argv[1], sys.argv[2]
t0 = time.perf_counter()
out = {}
if step == "read":
    from geomap.layers.lineset import read_lines
    lines = read_lines(path)
elif step == "ready":
    import numpy as np
    from geomap.layers.lineset import read_lines
    from geomap.layers.distance import distance_to_line
    lines = read_lines(path)
    t1 = time.perf_counter()
    lines.index()
    t2 = time.perf_counter()
    distance_to_line(np.array([44.5]), np.array([39.0]), lines)
    out.update(read_s=t1 - t0, index_s=t2 - t1, query_s=time.perf_counter() - t2)
elif step == "peer":
    import geopandas as gpd
    frame = gpd.read_file(path, engine="pyogrio")
out["seconds"] = time.perf_counter() - t0
out["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps(out))
"""


def walk(vertices: int):
    """The seeded random-walk front (lon, lat arrays, degrees): ~0.85 m steps east from 44E 39.5N."""
    import numpy as np

    rng = np.random.default_rng(14)
    lon = 44.0 + np.cumsum(rng.uniform(0.0, 2e-5, vertices))
    lat = 39.5 + np.cumsum(rng.normal(0.0, 1e-5, vertices))
    return lon, lat


def write_layer(folder: Path, vertices: int, features: int, fmt: str) -> Path:
    import numpy as np

    lon, lat = walk(vertices)
    chunks = np.array_split(np.arange(vertices), features)
    path = folder / f"line-{features}.{fmt}"
    if fmt == "geojson":
        feats = [{"type": "Feature", "properties": {"name": f"sector {k}"},
                  "geometry": {"type": "LineString", "coordinates": np.column_stack([lon[c], lat[c]]).round(7).tolist()}}
                 for k, c in enumerate(chunks)]
        path.write_text(json.dumps({"type": "FeatureCollection", "features": feats}))
    else:
        import shapely
        from pyogrio.raw import write

        geoms = [shapely.linestrings(np.column_stack([lon[c], lat[c]])) for c in chunks]
        write(str(path), shapely.to_wkb(np.array(geoms, dtype=object)),
              [np.array([f"sector {k}" for k in range(features)], dtype=object)], ["name"],
              driver="GPKG", geometry_type="LineString", crs="EPSG:4326")
    return path


def run_step(step: str, path: Path) -> dict:
    env_path = str(REPO)
    if step == "validate":
        code = ("import resource, subprocess, sys, time, json\n"
                "t0 = time.perf_counter()\n"
                "r = subprocess.run([sys.executable, '-m', 'geomap', 'layers', 'validate', sys.argv[1]],"
                " capture_output=True, text=True)\n"
                "print(json.dumps({'seconds': time.perf_counter() - t0, 'rc': r.returncode,"
                " 'peak_mb': resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024}))\n")
        args = [sys.executable, "-c", code, str(path)]
    else:
        args = [sys.executable, "-c", CHILD, step, str(path)]
    done = subprocess.run(args, capture_output=True, text=True, env={"PYTHONPATH": env_path, "PATH": "/usr/bin:/bin"})
    if done.returncode != 0:
        raise SystemExit(f"{step} on {path.name} failed: {done.stderr.strip().splitlines()[-1:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--vertices", type=int, default=1_000_000)
    parser.add_argument("--features", default="1,10000")
    parser.add_argument("--formats", default="geojson,gpkg")
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for fmt in args.formats.split(","):
            for features in (int(f) for f in args.features.split(",")):
                path = write_layer(Path(tmp), args.vertices, features, fmt)
                peer = run_step("peer", path)
                for step in ("read", "ready", "validate"):
                    got = run_step(step, path)
                    detail = ""
                    if step == "ready":
                        detail = f"read {got['read_s']:.2f} s, index {got['index_s']:.2f} s, query {got['query_s']:.2f} s"
                    rows.append((fmt, features, f"geomap {step}", got["seconds"], got["peak_mb"],
                                 got["seconds"] / peer["seconds"], detail))
                rows.append((fmt, features, "peer geopandas read_file", peer["seconds"], peer["peak_mb"], 1.0, ""))
    print(f"{args.vertices:,} vertices; seconds include Python start-up and imports")
    print("| format | features | step | seconds | peak MB | time vs peer read | detail |")
    print("|---|---:|---|---:|---:|---:|---|")
    for fmt, features, step, sec, peak, ratio, detail in rows:
        print(f"| {fmt} | {features:,} | {step} | {sec:.2f} | {peak:,.0f} | {ratio:.2f}x | {detail} |")


if __name__ == "__main__":
    main()
