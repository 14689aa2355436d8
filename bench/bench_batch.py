"""Batch benchmark: geomap (exact) vs geopandas sjoin_nearest (UTM) vs PostGIS geography ST_Distance.

One command::

    python bench/bench_batch.py [--rows 1000000] [--seed 7] [--skip-postgis] [--json out.json]

It builds ``--rows`` seeded ACLED-shaped rows (CSV, every ACLED export column)
scattered within 0-60 km of the Nagorno-Karabakh 2020 line (shipped layer
``nk-line-2020``), then times each method end to end - read the CSV, measure
every row, write a CSV with every input column plus the distance - each in its
own process so that peak memory (summed RSS of the process and its Dask workers, sampled) is its own:

* **geomap**: ``geomap.pipeline.run.run`` + ``write_result`` (exact geodesic);
* **geopandas**: ``sjoin_nearest`` with both sides in UTM 38N (EPSG:32638);
* **PostGIS**: ``ST_Distance(geography, geography)`` (spheroid) on a throwaway
  cluster: Debian ``postgresql`` + ``postgis`` are installed with apt-get if
  missing (as root), ``initdb`` runs in a temporary folder, the server listens
  on 127.0.0.1 on a free port, the rows are loaded with ``COPY``, the query
  writes its result with ``COPY ... TO``; the cluster is stopped and removed
  afterwards, also on error.  Its peak memory is the largest ``VmHWM`` of the
  server's processes (the backend that ran the query) plus psql's.

Reported: rows/s, time and throughput ratio against geomap, peak memory, and
each peer's maximum and median absolute difference from geomap's exact
distances.
"""

from __future__ import annotations

import argparse
import contextlib
import glob
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

LAYER = "nk-line-2020"
UTM = "EPSG:32638"
ACLED_COLUMNS = [
    "event_id_cnty", "event_date", "year", "time_precision", "disorder_type", "event_type", "sub_event_type",
    "actor1", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2", "inter2", "interaction", "civilian_targeting",
    "iso", "region", "country", "admin1", "admin2", "admin3", "location", "latitude", "longitude", "geo_precision",
    "source", "source_scale", "notes", "fatalities", "tags", "timestamp",
]


# ------------------------------------------------------------------ data
def make_rows(path: Path, rows: int, seed: int) -> None:
    """Write ``rows`` ACLED-shaped events within 0-60 km of the NK 2020 line (seeded)."""
    import numpy as np
    import pandas as pd
    import shapely
    from pyproj import Geod

    from geomap.layers.lineset import read_lines

    rng = np.random.default_rng(seed)
    lines = read_lines(LAYER)
    xy = np.concatenate([shapely.get_coordinates(g) for g in lines.geoms])
    pick = rng.integers(0, xy.shape[0], rows)
    az = rng.uniform(0, 360, rows)
    dist = rng.uniform(0, 60_000, rows)
    lon, lat, _ = Geod(ellps="WGS84").fwd(xy[pick, 0], xy[pick, 1], az, dist)
    day = np.datetime64("2020-11-10") + rng.integers(0, 1000, rows).astype("timedelta64[D]")
    country = np.where(rng.random(rows) < 0.5, "Azerbaijan", "Armenia")
    iso = np.where(country == "Azerbaijan", "31", "51")
    prefix = np.where(country == "Azerbaijan", "AZE", "ARM")
    events = ["Battles", "Explosions/Remote violence", "Strategic developments", "Violence against civilians"]
    notes = np.array([
        'On 12 November 2020, shelling near the village; "heavy" fire reported, no casualties.',
        "Armed clash, positions exchanged fire, 1 soldier wounded",
        "Drone strike on a vehicle, details unclear",
        "Mine explosion, civilian injured; reported by local media",
    ])
    frame = pd.DataFrame({
        "event_id_cnty": np.char.add(prefix.astype(str), np.arange(1, rows + 1).astype(str)),
        "event_date": np.datetime_as_string(day, unit="D"),
        "year": day.astype("datetime64[Y]").astype(int) + 1970,
        "time_precision": rng.integers(1, 4, rows),
        "disorder_type": "Political violence",
        "event_type": rng.choice(events, rows),
        "sub_event_type": "Armed clash",
        "actor1": "Military Forces of Azerbaijan (2003-)",
        "assoc_actor_1": "",
        "inter1": 1,
        "actor2": "Military Forces of Armenia (2018-)",
        "assoc_actor_2": "",
        "inter2": 1,
        "interaction": 11,
        "civilian_targeting": "",
        "iso": iso,
        "region": "Caucasus and Central Asia",
        "country": country,
        "admin1": "Tartar",
        "admin2": "",
        "admin3": "",
        "location": "Village",
        "latitude": np.round(lat, 4),
        "longitude": np.round(lon, 4),
        "geo_precision": rng.choice([1, 1, 1, 2, 3], rows),
        "source": "Source; Other Source",
        "source_scale": "National",
        "notes": rng.choice(notes, rows),
        "fatalities": rng.integers(0, 3, rows),
        "tags": "",
        "timestamp": 1700000000,
    }, columns=ACLED_COLUMNS)
    frame.to_csv(path, index=False)


# ------------------------------------------------------------------ methods (each in its own process)
def run_geomap(src: Path, out: Path) -> dict:
    from geomap.io.tables import write_result
    from geomap.pipeline.request import IncidentSource, LineChoice, Request
    from geomap.pipeline.run import run

    t = time.perf_counter()
    result = run(Request(IncidentSource(path=str(src)), LineChoice(layer=LAYER)))
    write_result(result, out)
    return {"seconds": time.perf_counter() - t, "rows": len(result.frame), "summary": result.summary}


def run_geomap_dask(src: Path, out: Path) -> dict:
    from geomap.pipeline.dask import measure_dask
    from geomap.pipeline.request import Execution, IncidentSource, LineChoice, Request

    t = time.perf_counter()
    result = measure_dask(Request(IncidentSource(path=str(src)), LineChoice(layer=LAYER),
                                  execution=Execution(engine="dask", output=str(out))))
    return {"seconds": time.perf_counter() - t, "rows": sum(result.summary.values()), "summary": result.summary}


def run_geopandas(src: Path, out: Path) -> dict:
    import geopandas as gpd
    import pandas as pd

    from geomap.layers.registry import get_layer

    t = time.perf_counter()
    frame = pd.read_csv(src, dtype=str, keep_default_na=False)
    pts = gpd.GeoDataFrame(frame, geometry=gpd.points_from_xy(pd.to_numeric(frame["longitude"]),
                                                               pd.to_numeric(frame["latitude"])), crs="EPSG:4326")
    line = gpd.read_file(get_layer(LAYER).path)[["geometry"]].to_crs(UTM)
    joined = gpd.sjoin_nearest(pts.to_crs(UTM), line, distance_col="distance_m")
    joined = joined[~joined.index.duplicated(keep="first")]
    joined.drop(columns=["geometry", "index_right"]).to_csv(out, index=False)
    return {"seconds": time.perf_counter() - t, "rows": len(joined)}


class TreePeak:
    """Peak of the summed RSS of this process and all its descendants (Dask workers), sampled every 0.1 s.

    ``ru_maxrss`` is not used: Linux carries the parent's high-water mark across fork+exec.
    """

    def __init__(self):
        import threading

        import psutil

        self.peak = 0
        self._stop = threading.Event()
        self._me = psutil.Process()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self):
        import psutil

        while not self._stop.is_set():
            total = 0
            for p in [self._me] + self._me.children(recursive=True):
                try:
                    total += p.memory_info().rss
                except psutil.Error:
                    pass
            self.peak = max(self.peak, total)
            self._stop.wait(0.1)

    def stop_mb(self) -> float:
        self._stop.set()
        self._thread.join()
        return self.peak / 2**20


def child(method: str, src: str, out: str) -> None:
    if method == "make":
        make_rows(Path(src), int(out), int(os.environ.get("BENCH_SEED", "7")))
        return
    tree = TreePeak()
    res = {"geomap": run_geomap, "geomap-dask": run_geomap_dask, "geopandas": run_geopandas}[method](
        Path(src), Path(out))
    res["peak_rss_mb"] = tree.stop_mb()
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            res["vmhwm_self_mb"] = int(line.split()[1]) / 1024
    print(json.dumps(res))


def in_child(method: str, src: Path, out: Path) -> dict:
    proc = subprocess.run([sys.executable, __file__, "--child", method, str(src), str(out)],
                          capture_output=True, text=True, env=dict(os.environ, PYTHONPATH=str(ROOT)))
    if proc.returncode != 0:
        raise RuntimeError(f"{method} failed: {proc.stderr.strip()[-2000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


# ------------------------------------------------------------------ PostGIS
def pg_bin() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    return Path(found[-1]).parent if found else None


def postgis_installed() -> bool:
    return bool(glob.glob("/usr/share/postgresql/*/extension/postgis.control"))


def ensure_postgis() -> Path:
    """Install Debian postgresql + postgis if missing (root only); return the server bin folder."""
    if pg_bin() is None or not postgis_installed():
        if os.geteuid() != 0:
            raise RuntimeError("PostgreSQL/PostGIS are missing and this is not root: "
                               "apt-get install postgresql postgis, or pass --skip-postgis")
        env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
        subprocess.run(["apt-get", "update", "-qq"], check=True, env=env)
        subprocess.run(["apt-get", "install", "-y", "-qq", "postgresql", "postgis"], check=True, env=env)
    found = pg_bin()
    if found is None or not postgis_installed():
        raise RuntimeError("PostGIS is still missing after apt-get install postgresql postgis")
    return found


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _as_pg_user(cmd: list[str]) -> list[str]:
    """PostgreSQL refuses to run as root: run the server tools as the 'postgres' user then."""
    return ["runuser", "-u", "postgres", "--", *cmd] if os.geteuid() == 0 else cmd


@contextlib.contextmanager
def pg_cluster():
    """A throwaway PostgreSQL cluster on 127.0.0.1:<free port>; yields (psql command prefix, data dir)."""
    bindir = ensure_postgis()
    base = Path(tempfile.mkdtemp(prefix="geomap-pg-"))
    data = base / "data"
    port = free_port()
    if os.geteuid() == 0:
        shutil.chown(base, "postgres", "postgres")
    os.chmod(base, 0o755)
    started = False
    try:
        subprocess.run(_as_pg_user([str(bindir / "initdb"), "-D", str(data), "-U", "postgres", "--auth=trust",
                                    "-E", "UTF8", "--locale=C.UTF-8"]), check=True, capture_output=True)
        subprocess.run(_as_pg_user([str(bindir / "pg_ctl"), "-D", str(data), "-w", "-l", str(base / "log"), "-o",
                                    f"-c listen_addresses=127.0.0.1 -p {port} -k {base} "
                                    "-c shared_buffers=512MB -c work_mem=256MB",
                                    "start"]), check=True, capture_output=True)
        started = True
        psql = [str(bindir / "psql"), "-X", "-q", "-v", "ON_ERROR_STOP=1", "-h", "127.0.0.1", "-p", str(port),
                "-U", "postgres", "-d", "postgres"]
        yield psql, data
    finally:
        if started:
            subprocess.run(_as_pg_user([str(bindir / "pg_ctl"), "-D", str(data), "-m", "fast", "-w", "stop"]),
                           capture_output=True)
        shutil.rmtree(base, ignore_errors=True)


def server_peak_mb(data: Path) -> float:
    """Largest VmHWM (peak RSS) among the cluster's server processes, MB."""
    import psutil

    pid_file = data / "postmaster.pid"
    pid = int(pid_file.read_text().split()[0])
    procs = [psutil.Process(pid)] + psutil.Process(pid).children(recursive=True)
    peak = 0.0
    for p in procs:
        try:
            for line in Path(f"/proc/{p.pid}/status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    peak = max(peak, int(line.split()[1]) / 1024)
        except OSError:
            continue
    return peak


def run_postgis(src: Path, out: Path) -> dict:
    import shapely

    from geomap.layers.lineset import read_lines

    line_wkt = shapely.MultiLineString([ls for g in read_lines(LAYER).geoms for ls in shapely.get_parts(g)]).wkt
    cols = ", ".join(f'"{c}" text' for c in ACLED_COLUMNS)
    with pg_cluster() as (psql, data):
        os.chmod(src.parent, 0o755)
        os.chmod(src, 0o644)
        run = lambda sql: subprocess.run(psql + ["-c", sql], check=True, capture_output=True, text=True)  # noqa: E731
        run("CREATE EXTENSION postgis")
        psql = psql + ["-A", "-t"]
        version = run("SELECT postgis_full_version()").stdout.strip()
        run(f"CREATE TABLE line AS SELECT ST_GeogFromText('SRID=4326;{line_wkt}') AS g")
        t = time.perf_counter()
        load = subprocess.Popen(psql + ["-c", f"CREATE TABLE events ({cols}); "
                                              "COPY events FROM STDIN WITH (FORMAT csv, HEADER true)"],
                                stdin=open(src, "rb"), stderr=subprocess.PIPE)
        _, err = load.communicate()
        if load.returncode:
            raise RuntimeError(f"COPY failed: {err.decode()[-500:]}")
        t_load = time.perf_counter() - t
        sql = ("COPY (SELECT e.*, ST_Distance(ST_SetSRID(ST_MakePoint(e.longitude::float8, e.latitude::float8), 4326)"
               "::geography, l.g) AS distance_m FROM events e CROSS JOIN line l) TO STDOUT WITH (FORMAT csv, HEADER true)")
        with open(out, "wb") as fh:
            query = subprocess.run(psql + ["-c", sql], stdout=fh, stderr=subprocess.PIPE)
        if query.returncode:
            raise RuntimeError(f"query failed: {query.stderr.decode()[-500:]}")
        seconds = time.perf_counter() - t
        peak = server_peak_mb(data)
    return {"seconds": seconds, "load_seconds": t_load, "peak_rss_mb": peak,
            "version": version.splitlines()[0][:120] if version else "", "peak_note": "largest server process VmHWM"}


# ------------------------------------------------------------------ comparison
def errors_against(reference, path: Path) -> dict:
    import numpy as np
    import pandas as pd

    peer = pd.read_csv(path, usecols=["event_id_cnty", "distance_m"], dtype={"event_id_cnty": str})
    merged = reference.merge(peer, on="event_id_cnty", suffixes=("_exact", "_peer"))
    # rows geomap does not measure (a status such as layer_known_wrong: no distance) are not compared
    merged = merged[merged["distance_m_exact"].notna()].reset_index(drop=True)
    diff = np.abs(merged["distance_m_peer"] - merged["distance_m_exact"])
    rel = diff / np.maximum(merged["distance_m_exact"], 1.0)
    k = int(np.argmax(diff.to_numpy()))
    worst = merged.iloc[k]
    return {"worst_row": {"event_id_cnty": worst["event_id_cnty"], "exact_m": float(worst["distance_m_exact"]),
                          "peer_m": float(worst["distance_m_peer"])},
            "rows_compared": int(len(merged)), "max_abs_err_m": float(diff.max()),
            "median_abs_err_m": float(diff.median()), "max_rel_err": float(rel[merged["distance_m_exact"] > 1000].max())}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--skip-postgis", action="store_true")
    ap.add_argument("--methods", default="geomap,geomap-dask,geopandas",
                    help="Comma-separated subset of geomap,geomap-dask,geopandas to run (geomap is always run).")
    ap.add_argument("--json", default=None, help="Also write the results as JSON here.")
    ap.add_argument("--child", nargs=3, metavar=("METHOD", "SRC", "OUT"), help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        child(*args.child)
        return 0
    import pandas as pd

    work = Path(tempfile.mkdtemp(prefix="geomap-bench-"))
    try:
        src = work / "events.csv"
        t = time.perf_counter()
        subprocess.run([sys.executable, __file__, "--child", "make", str(src), str(args.rows)], check=True,
                       env=dict(os.environ, PYTHONPATH=str(ROOT), BENCH_SEED=str(args.seed)))
        print(f"built {args.rows} rows ({src.stat().st_size / 1e6:.0f} MB) in {time.perf_counter() - t:.1f} s",
              file=sys.stderr)
        results = {}
        wanted = {m.strip() for m in args.methods.split(",")} | {"geomap"}
        for method in [m for m in ("geomap", "geomap-dask", "geopandas") if m in wanted]:
            print(f"running {method} ...", file=sys.stderr)
            results[method] = in_child(method, src, work / f"{method}.csv")
        if not args.skip_postgis:
            print("running postgis ...", file=sys.stderr)
            results["postgis"] = run_postgis(src, work / "postgis.csv")
        exact = pd.read_csv(work / "geomap.csv", usecols=["event_id_cnty", "distance_m"], dtype={"event_id_cnty": str})
        for method in results:
            results[method]["rows_per_s"] = args.rows / results[method]["seconds"]
            if method not in ("geomap", "geomap-dask"):
                results[method].update(errors_against(exact, work / f"{method}.csv"))
        if "geomap-dask" in results:
            same = (work / "geomap.csv").read_bytes() == (work / "geomap-dask.csv").read_bytes()
            results["geomap-dask"]["identical_to_local"] = same
            print(f"geomap --engine dask output identical to local: {same}", file=sys.stderr)
        base = results["geomap"]["rows_per_s"]
        print(f"\n{args.rows} ACLED-shaped rows around {LAYER}, end to end (read CSV, measure, write CSV); "
              f"{os.cpu_count()} CPUs\n")
        head = f"{'method':<34}{'seconds':>9}{'rows/s':>10}{'vs geomap':>11}{'peak MB':>9}{'max err m':>11}{'median err m':>14}"
        print(head)
        print("-" * len(head))
        names = {"geomap": "geomap exact (WGS84 geodesic)", "geomap-dask": "geomap exact, --engine dask (2 proc)",
                 "geopandas": "geopandas sjoin_nearest UTM 38N",
                 "postgis": "PostGIS geography ST_Distance"}
        for method, r in results.items():
            err = ("exact", "-") if method == "geomap" else ("same", "-") if method == "geomap-dask" else (f"{r['max_abs_err_m']:.3f}", f"{r['median_abs_err_m']:.3f}")
            print(f"{names[method]:<34}{r['seconds']:>9.1f}{r['rows_per_s']:>10.0f}{r['rows_per_s'] / base:>10.2f}x"
                  f"{r['peak_rss_mb']:>9.0f}{err[0]:>11}{err[1]:>14}")
        if "postgis" in results:
            p = results["postgis"]
            print(f"\nPostGIS: {p.get('version')[:60]}; COPY load {p['load_seconds']:.1f} s of the total; "
                  "peak = largest server process (VmHWM).")
            for method in [m for m in ("geomap", "geomap-dask") if m in results]:
                ratio = results[method]["rows_per_s"] / p["rows_per_s"]
                print(f"{method} / PostGIS throughput: {ratio:.2f} (target >= 2): {'met' if ratio >= 2 else 'MISSED'}")
        for method, r in results.items():
            if "worst_row" in r:
                print(f"{method} worst row: {r['worst_row']}")
        if args.json:
            Path(args.json).write_text(json.dumps(results, indent=2, sort_keys=True, default=str))
        return 0
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    raise SystemExit(main())
