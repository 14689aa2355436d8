"""Writing a result table to a file: CSV (threaded, byte-identical across engines), GeoJSON, GeoPackage, GeoParquet.

Every write goes to a temporary file in the destination's folder and is then
renamed over it (:class:`atomic_path`), so readers never see a half-written file.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import numpy as np

from geomap.errors import InputError

#: rows per slice of a CSV file formatted on a thread by :func:`write_csv_table`
#: (1M rows x 51 ACLED/result columns: ~44 MB of text a slice)
CSV_SLICE_ROWS = 65_536

#: the most threads :func:`write_csv_table` formats slices on (slices in memory: one more)
CSV_THREADS = 4

#: output suffixes :func:`write_result` knows
OUTPUT_SUFFIXES = {".csv": "csv", ".geojson": "geojson", ".gpkg": "gpkg", ".parquet": "parquet"}


def output_kind(path: str | Path | None, fmt: str | None = None) -> str | None:
    """The file kind :func:`write_result` writes for ``path`` (by suffix), or None for text output."""
    if path is None or str(path) == "-":
        return None
    return OUTPUT_SUFFIXES.get(Path(path).suffix.lower())


def write_result(result, path: str | Path) -> None:
    """Write a batch result to ``path`` atomically, the format chosen by its suffix.

    ``.csv`` (every column, points as the input's columns), ``.geojson``,
    ``.gpkg`` and ``.parquet`` (GeoParquet), the last three with the input
    point as geometry (EPSG:4326; none where the coordinates were unusable).
    The file is written under a temporary name in the same folder and then
    renamed over ``path``, so readers never see a half-written file.
    """
    kind = output_kind(path)
    if kind is None:
        raise InputError(f"cannot tell the output format of {path}: end it with .csv, .geojson, .gpkg or .parquet")
    with atomic_path(path) as tmp:
        write_frame(result.frame, result.lon, result.lat, tmp, kind)


class atomic_path:
    """Context manager: a temporary path in ``path``'s folder, renamed onto ``path`` on success."""

    def __init__(self, path: str | Path):
        self.path = Path(path)

    def __enter__(self) -> Path:
        folder = self.path.parent if str(self.path.parent) else Path(".")
        if not folder.is_dir():
            raise InputError(f"folder {folder} does not exist: create it or choose another -o path")
        fd, tmp = tempfile.mkstemp(prefix=f".{self.path.stem}.", suffix=f".tmp{self.path.suffix}", dir=folder)
        os.close(fd)
        os.unlink(tmp)  # writers (GDAL) want to create the file themselves
        self.tmp = Path(tmp)
        return self.tmp

    def __exit__(self, exc_type, exc, tb) -> None:
        if exc_type is None:
            os.replace(self.tmp, self.path)
        else:
            for extra in (self.tmp, Path(str(self.tmp) + "-journal"), Path(str(self.tmp) + "-wal")):
                if extra.exists():
                    extra.unlink()


def write_frame(frame, lon, lat, path: Path, kind: str, *, append: bool = False, header: bool = True) -> None:
    """Write ``frame`` (with points ``lon``/``lat``) to ``path`` as ``kind`` (csv/geojson/gpkg/parquet)."""
    if kind == "csv":
        write_csv(frame, path, header=header, append=append)
        return
    gdf = to_geoframe(frame, lon, lat)
    if kind == "parquet":
        gdf.to_parquet(path, index=False)
    elif kind == "gpkg":
        gdf.to_file(path, driver="GPKG", layer="geomap_distances", engine="pyogrio", append=append)
    elif kind == "geojson":
        gdf.to_file(path, driver="GeoJSON", engine="pyogrio")
    else:  # pragma: no cover - output_kind only returns the kinds above
        raise InputError(f"unknown output kind {kind!r}")


def write_csv(frame, path, *, header: bool = True, append: bool = False) -> None:
    """Write ``frame`` as CSV (UTF-8, quoted where needed, blanks for missing values).

    pyarrow writes it (an order of magnitude faster than pandas), in slices on
    several threads (see :func:`write_csv_table`); columns pyarrow cannot
    convert fall back to pandas.  Both engines write through here, so their
    files are byte-identical.
    """
    import pyarrow as pa

    try:
        table = pa.Table.from_pandas(frame, preserve_index=False)
    except (pa.ArrowInvalid, pa.ArrowTypeError, pa.ArrowNotImplementedError):
        frame.to_csv(path, index=False, mode="a" if append else "w", header=header)
        return
    with open(path, "ab" if append else "wb") as fh:
        write_csv_table(table, fh, header=header)


def write_csv_table(table, fh, *, header: bool = True, slice_rows: int = CSV_SLICE_ROWS,
                    threads: int | None = None) -> None:
    """Write an arrow table as CSV to the binary file ``fh``, formatting slices of it on threads.

    The bytes are those of one ``pyarrow.csv.write_csv`` call (quoting style
    "needed"): pyarrow formats every value on its own, so slices written one
    after the other, the header with the first only, add up to the same file.
    pyarrow releases the GIL while it formats, so slices format in parallel
    (1M rows x 51 columns: 2.1 s in one call, 1.2 s on 2 threads); they are
    written in order and at most ``threads + 1`` are held in memory at once.
    A slice also starts at its first row, not at an empty chunk: without a
    header, pyarrow writes stale buffer bytes for a table whose first chunk is
    empty (apache/arrow#36889).

    Parameters
    ----------
    table : pyarrow.Table
    fh : binary file
        Written at its current position (append mode appends).
    header : bool
        Begin with the column names.
    slice_rows : int
        Rows per slice.
    threads : int, optional
        Formatting threads; default: the CPUs, at most :data:`CSV_THREADS`.
    """
    from collections import deque
    from concurrent.futures import ThreadPoolExecutor

    import pyarrow.csv as pacsv

    def text(start: int) -> _Parts:
        parts = _Parts()
        opts = pacsv.WriteOptions(include_header=header and start == 0, quoting_style="needed")
        pacsv.write_csv(table.slice(start, slice_rows), parts, write_options=opts)
        return parts

    starts = range(0, max(table.num_rows, 1), slice_rows)  # a table without rows: its header
    threads = min(threads or min(os.cpu_count() or 1, CSV_THREADS), len(starts))
    if threads <= 1:
        for start in starts:
            fh.writelines(text(start))
        return
    with ThreadPoolExecutor(threads) as pool:
        pending: deque = deque()
        for start in starts:
            pending.append(pool.submit(text, start))
            if len(pending) > threads:
                fh.writelines(pending.popleft().result())
        while pending:
            fh.writelines(pending.popleft().result())


class _Parts(list):
    """A write-only binary sink for pyarrow that keeps what each write gives as its own bytes.

    pyarrow's writers hand over one block per batch of rows; kept as a list, no
    buffer is regrown and copied as with ``pyarrow.BufferOutputStream`` (whose
    growth cost a sixth of the CPU time of writing a CSV file).
    """

    closed = False

    def write(self, data) -> int:
        """Keep a copy of ``data`` (pyarrow reuses its buffer)."""
        self.append(bytes(data))
        return len(data)


def to_geoframe(frame, lon, lat):
    """``frame`` as a GeoDataFrame with the input points as geometry (EPSG:4326)."""
    import geopandas as gpd
    import shapely

    lon = np.asarray(lon, dtype=float)
    lat = np.asarray(lat, dtype=float)
    have = np.isfinite(lon) & np.isfinite(lat)
    geoms = np.full(lon.shape, None, dtype=object)
    if have.any():
        geoms[have] = shapely.points(lon[have], lat[have])
    frame = frame.rename(columns={"geometry": "input_geometry"}) if "geometry" in frame.columns else frame
    return gpd.GeoDataFrame(frame, geometry=gpd.GeoSeries(geoms, crs="EPSG:4326", index=frame.index), crs="EPSG:4326")
