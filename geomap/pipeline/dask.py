"""The Dask engine: the one measuring engine (:func:`geomap.pipeline.measure.measure_table`), partition by partition.

Inputs larger than memory: a CSV file or glob (split into blocks of
``BLOCKSIZE`` bytes) or a (Geo)Parquet file or folder (one partition per row
group).  Each partition is classified and measured by exactly the code of the
in-memory engine (:func:`geomap.io.points.table_from_frame`,
:func:`geomap.pipeline.measure.measure_table`), against line indexes built once and
broadcast to the workers, and written to a part file; only status counts come
back.  The parts are then assembled in input order into ``-o`` under a
temporary name and renamed into place.

Dask is optional: ``pip install 'geomap[dask]'``.
"""

from __future__ import annotations

import contextlib
import glob
import json
import os
import shutil
import tempfile
from collections import Counter
from pathlib import Path
from typing import Any

import numpy as np

from geomap.errors import FileFormatError, InputError, MissingDependency
from geomap.io import formats

#: bytes per CSV partition
BLOCKSIZE = 64_000_000
#: local cluster: worker processes (this machine has 2 cores)
LOCAL_WORKERS = 2


def _require_dask():
    try:
        import dask  # noqa: F401
        import dask.dataframe  # noqa: F401
        import distributed  # noqa: F401
    except ImportError:
        raise MissingDependency(
            "--engine dask needs dask and distributed: pip install 'geomap[dask]' (or use --engine local)"
        ) from None


def partitions(source: str, *, blocksize: int = BLOCKSIZE, encoding: str | None = None) -> tuple[str, list]:
    """Split ``source`` into partitions: ``("csv", delayed frames)`` or ``("parquet", [(file, row_group), ...])``.

    ``source`` is a CSV/TSV file or glob, or a Parquet file, folder of Parquet
    files, or glob.
    """
    path = Path(source)
    if path.is_dir():
        files = sorted(str(p) for p in path.rglob("*") if formats.is_parquet(p))
        if not files:
            csvs = sorted(str(p) for p in path.rglob("*") if formats.format_of(p) in ("csv", "tsv"))
            if not csvs:
                raise FileFormatError(f"{source} holds no .parquet or .csv files: give a CSV glob or a GeoParquet folder")
            files = csvs
    else:
        files = sorted(glob.glob(str(source))) if any(ch in str(source) for ch in "*?[") else [str(source)]
    if not files or not all(os.path.isfile(f) for f in files):
        raise FileFormatError(f"{source} matches no file: give a CSV file or glob, or a GeoParquet file or folder")
    suffixes = {Path(f).suffix.lower() for f in files}
    if all(formats.is_tabular(f) for f in files):
        import dask

        from geomap.io.points import csv_separator  # the io reader's separator and encoding rules
        from geomap.io.tabular import read_csv_block, row_blocks

        seps = {csv_separator(Path(f), encoding) for f in files}
        if len(seps) > 1:
            raise FileFormatError(f"{source}: the files use different separators; make them all the same")
        sep = seps.pop()
        parts = []
        for f in files:  # blocks of whole rows: a quoted field with line breaks is never cut (issue 13)
            header_end, blocks = row_blocks(f, blocksize, encoding=encoding)
            parts += [dask.delayed(read_csv_block)(f, header_end, a, b, separator=sep, encoding=encoding)
                      for a, b in blocks]
        return "csv", parts
    if all(formats.is_parquet(f) for f in files):
        import pyarrow.parquet as pq

        parts = []
        for f in files:
            parts += [(f, i) for i in range(pq.ParquetFile(f).num_row_groups)]
        return "parquet", parts
    raise FileFormatError(f"{source}: --engine dask reads CSV or (Geo)Parquet, not {', '.join(sorted(suffixes))}")


def read_parquet_part(path: str, row_group: int, source: str, *, assume_crs=None, **cols):
    """One row group of a (Geo)Parquet file as a :class:`geomap.io.points.PointTable`."""
    from geomap.io.points import read_parquet_points

    return read_parquet_points(path, source, assume_crs=assume_crs, row_group=row_group, **cols)


#: distributed's loggers, in geomap's process and its own workers
_LIBRARY_LOGGERS = ("distributed", "distributed.scheduler", "distributed.nanny", "distributed.worker",
                    "distributed.core", "distributed.http.proxy", "distributed.comm", "tornado")


def _quiet_library_logs() -> None:
    """Only critical records from distributed (not ``-v``).

    A worker whose heartbeat meets the scheduler closing at the end of a run
    logged "Failed to communicate with scheduler during heartbeat" with a
    traceback onto the user's stderr (its process inherits it): the run had
    succeeded, and the output was complete.
    """
    import logging

    for name in _LIBRARY_LOGGERS:
        logging.getLogger(name).setLevel(logging.CRITICAL)


def _run_part(part, number: int, kind: str, job: dict, lines_by_id: dict, workdir: str) -> dict:
    """Measure one partition and write it to ``workdir``; return its counts (runs on a worker)."""
    from geomap.io.tables import write_frame
    from geomap.pipeline.measure import measure_table
    from geomap.io.points import table_from_frame

    cols = job["cols"]
    if kind == "csv":
        table = table_from_frame(part, job["source"], crs=job["assume_crs"], **cols)
    else:
        table = read_parquet_part(part[0], part[1], job["source"], assume_crs=job["assume_crs"], **cols)
    # one kernel thread per worker process: the processes are the parallelism (and the kernel's
    # working memory per thread is several hundred MB per 100,000 points)
    result = measure_table(table, lines_by_id=lines_by_id, radius_m=job["radius_m"], claim=job["claim"], workers=1,
                           **job["line_args"])
    header = b""
    if job["out_kind"] == "csv":
        target = Path(workdir) / f"part-{number:08d}.csv"
        write_frame(result.frame, None, None, target, "csv", header=False)
        head = Path(workdir) / f"part-{number:08d}.header"
        write_frame(result.frame.iloc[:0], None, None, head, "csv")
        header = head.read_bytes()
        head.unlink()
    else:
        target = Path(workdir) / f"part-{number:08d}.parquet"
        write_frame(result.frame, result.lon, result.lat, target, "parquet")
    return {
        "number": number,
        "path": str(target),
        "rows": len(result.frame),
        "columns": list(result.frame.columns),
        "header": header,
        "summary": result.summary,
        "verdicts": result.verdicts,
        "layers": {k: {kk: vv for kk, vv in v.items() if kk != "rows"} | {"rows": v.get("rows", 0)}
                   for k, v in result.layers.items()},
        "failures": result.failures(5),
        "date_order": getattr(table, "date_order", None),
    }


def _load_lines(choice) -> tuple[dict, dict]:
    """LineSets (indexes built) for every layer the job may use, and the measure_table line arguments."""
    from geomap.pipeline.measure import line_args

    args = line_args(choice)
    if "lines" in args:
        lines = args["lines"]
        lines.index()
        return {lines.source: lines}, {"fixed": True}
    from geomap.layers.cache import MAX_LINES
    from geomap.layers.lineset import read_lines
    from geomap.layers.registry import list_layers, theatres

    theatre = args["theatre"]
    if theatre not in theatres():
        from geomap.errors import LayerNotFound

        raise LayerNotFound(f"unknown theatre {theatre!r}: choose one of {', '.join(theatres())} "
                            "(see 'geomap layers list')")
    dated = [layer for layer in list_layers(theatre=theatre, kind="line") if layer.valid_from or layer.valid_to]
    if len(dated) > MAX_LINES:
        # many versions (daily snapshots): each worker builds the ones its rows need, in its bounded cache
        return {}, args
    out = {}
    for layer in dated:
        lines = read_lines(layer.id)
        lines.index()
        out[layer.id] = lines
    return out, args


def measure_dask(request, *, blocksize: int = BLOCKSIZE, n_workers: int = LOCAL_WORKERS):
    """Measure every row of a partitioned points file with Dask; write ``output``.

    Parameters
    ----------
    request : geomap.pipeline.request.Request
        ``incidents.path``: a CSV file or glob, or a (Geo)Parquet file or
        folder; ``execution.scheduler``: address of an existing Dask scheduler
        (default: a local cluster of ``n_workers`` processes, closed
        afterwards); ``execution.output`` (required: ``.csv``, ``.geojson``,
        ``.gpkg`` or ``.parquet``); ``execution.progress_factory`` is called
        with the number of partitions and its bar advances per partition.

    Returns
    -------
    geomap.pipeline.result.Result
        ``frame`` is None: the rows are in ``output``.
    """
    _require_dask()
    import logging

    import dask

    quiet = not logging.getLogger("geomap").isEnabledFor(logging.DEBUG)
    if quiet:
        _quiet_library_logs()
    from distributed import Client, LocalCluster, as_completed

    from geomap.io.tables import output_kind
    from geomap.pipeline.result import Result

    inputs, claim = request.incidents, request.claim
    output, progress_factory = request.execution.output, request.execution.progress_factory

    out_kind = output_kind(output)
    if out_kind is None:
        raise InputError("--engine dask writes its rows to a file: pass -o PATH ending in .csv, .geojson, .gpkg "
                         "or .parquet")
    src_dir = Path(str(inputs.path))
    if src_dir.is_dir() and src_dir.resolve() in Path(output).resolve().parents:
        raise InputError(f"-o {output} is inside the input folder {src_dir}: write it somewhere else")
    lines_by_id, line_args = _load_lines(request.line)
    fixed = bool(line_args.pop("fixed", False))
    with dask.config.set({"dataframe.convert-string": False}):
        kind, parts = partitions(str(inputs.path), blocksize=blocksize, encoding=inputs.encoding)
    job = {
        "source": str(inputs.path),
        "cols": dict(lon_col=inputs.lon_col, lat_col=inputs.lat_col, date_col=inputs.date_col, id_col=inputs.id_col),
        "assume_crs": inputs.assume_crs,
        "radius_m": inputs.radius_m,
        "claim": claim,
        "line_args": line_args,
        "out_kind": out_kind,
    }
    final = Path(output)
    if not (final.parent if str(final.parent) else Path(".")).is_dir():
        raise InputError(f"folder {final.parent} does not exist: create it or choose another -o path")
    workdir = tempfile.mkdtemp(prefix=f".{final.name}.parts.", dir=final.parent if str(final.parent) else ".")
    cluster = None
    try:
        if request.execution.scheduler:
            client = Client(request.execution.scheduler)
        else:
            # no dashboard; the scheduler's HTTP server (health, metrics) still starts, so it is put on a free
            # loopback port: with distributed's default it took port 8787 on every interface, and warned
            # ("Port 8787 is already in use") when a notebook's cluster held it
            with _quiet_workers(quiet):
                cluster = LocalCluster(n_workers=n_workers, threads_per_worker=1, processes=True, host="127.0.0.1",
                                       dashboard_address=None,
                                       scheduler_kwargs={"dashboard": False, "dashboard_address": "127.0.0.1:0"})
            client = Client(cluster)
            if quiet:  # geomap's own workers (never a --scheduler's): their logs too
                client.run(_quiet_library_logs)
        try:
            (lines_future,) = client.scatter([lines_by_id], broadcast=True)
            futures = []
            for number, part in enumerate(parts):
                if kind == "csv":
                    part = client.compute(part)
                futures.append(client.submit(_run_part_fixed if fixed else _run_part, part, number,
                                             kind, job, lines_future, workdir, pure=False))
            done = []
            bar_ctx = progress_factory(len(futures)) if progress_factory is not None else None
            bar = bar_ctx.__enter__() if bar_ctx is not None else None
            try:
                for fut in as_completed(futures):
                    done.append(fut.result())
                    if bar is not None:
                        bar.update(1)
            finally:
                if bar_ctx is not None:
                    bar_ctx.__exit__(None, None, None)
        finally:
            client.close()
        done.sort(key=lambda d: d["number"])
        _check_date_orders(done, str(inputs.path))
        _assemble(done, final, out_kind)
    finally:
        if cluster is not None:
            cluster.close()
        shutil.rmtree(workdir, ignore_errors=True)
    summary: Counter = Counter()
    verdicts: Counter | None = Counter() if claim is not None else None
    layers: dict[str, dict[str, Any]] = {}
    failures: list = []
    for d in done:
        summary.update(d["summary"])
        if verdicts is not None and d["verdicts"]:
            verdicts.update(d["verdicts"])
        for lid, ev in d["layers"].items():
            rows = layers.get(lid, {}).get("rows", 0) + ev["rows"]
            layers[lid] = dict(ev, rows=rows)
        failures += d["failures"]
    result = Result(frame=None, summary=dict(summary), lon=np.empty(0), lat=np.empty(0),
                    source=str(inputs.path), layers=layers,
                    verdicts=None if verdicts is None else dict(verdicts), failure_examples=failures[:5],
                    claim=claim)
    return result


@contextlib.contextmanager
def _quiet_workers(quiet: bool):
    """Worker processes started inside this block log nothing below CRITICAL (unless ``-v -v``) and ignore
    Ctrl-C, which the parent handles (it stops the cluster and removes the parts).

    The levels the parent sets do not reach them: on Ctrl-C each worker logged 'Async instruction for
    <Task cancelled ...> ended with CancelledError' before geomap's one line; distributed configures a
    new process's logging from the environment (``DASK_LOGGING__DISTRIBUTED``) when it is imported there.
    A Ctrl-C in a terminal also reaches the workers, and each printed a KeyboardInterrupt traceback:
    a process started while SIGINT is ignored keeps ignoring it (Python installs its Ctrl-C handler only
    where the parent left the default).  A Ctrl-C during the cluster's start-up (a second or two) is
    therefore not seen: press it again.
    """
    import signal
    import threading

    key = "DASK_LOGGING__DISTRIBUTED"
    set_env = quiet and key not in os.environ  # the user's own setting wins
    if set_env:
        os.environ[key] = "critical"
    previous = None
    if threading.current_thread() is threading.main_thread():
        previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        yield
    finally:
        if previous is not None:
            signal.signal(signal.SIGINT, previous)
        if set_env:
            os.environ.pop(key, None)


def _check_date_orders(done: list[dict], source: str) -> None:
    """Refuse a file whose parts settled slashed dates in different orders (the local engine refuses it whole)."""
    orders = {d.get("date_order") for d in done} - {None}
    if len(orders) > 1:
        raise InputError(f"{source} has dates in both orders (parts of it read day first, others month first): "
                         "pass date_format= the one it uses (strftime, e.g. %d/%m/%Y)")


def _run_part_fixed(part, number, kind, job, lines_by_id, workdir):
    """As :func:`_run_part`, for one line given by --layer (the single broadcast LineSet)."""
    (lines,) = lines_by_id.values()
    job = dict(job, line_args={"lines": lines})
    return _run_part(part, number, kind, job, {}, workdir)


def _assemble(done: list[dict], final: Path, out_kind: str) -> None:
    """Concatenate the part files, in order, into ``final`` (atomically)."""
    from geomap.io.write import atomic_path

    with atomic_path(final) as tmp:
        if out_kind == "csv":
            columns = done[0]["columns"] if done else []
            if any(d["columns"] != columns for d in done):
                raise FileFormatError("the partitions produced different columns: give files with the same header")
            with open(tmp, "wb") as out:
                out.write(done[0]["header"] if done else b"")
                for d in done:
                    with open(d["path"], "rb") as part:
                        shutil.copyfileobj(part, out, 1 << 20)
            return
        import pyarrow as pa
        import pyarrow.parquet as pq

        schemas = [pq.read_schema(d["path"]) for d in done]
        unified = pa.unify_schemas([s.remove_metadata() for s in schemas], promote_options="permissive")
        unified = unified.with_metadata(schemas[0].metadata)
        if out_kind == "parquet":
            with pq.ParquetWriter(tmp, unified) as writer:
                for d in done:
                    writer.write_table(pq.read_table(d["path"]).cast(unified))
            return
        import geopandas as gpd

        if out_kind == "gpkg":
            from geomap.io.tables import write_gpkg

            for i, d in enumerate(done):
                write_gpkg(gpd.read_parquet(d["path"]), tmp, append=i > 0)
            return
        # GeoJSON: one FeatureCollection, streamed part by part
        with open(tmp, "w", encoding="utf-8") as out:
            out.write('{"type": "FeatureCollection", "features": [\n')
            first = True
            for d in done:
                gdf = gpd.read_parquet(d["path"])
                for feat in json.loads(gdf.to_json(drop_id=True, na="null"))["features"]:
                    out.write(("" if first else ",\n") + json.dumps(feat, ensure_ascii=False))
                    first = False
            out.write("\n]}\n")
