"""Batch results as files: CSV (formatted on threads), GeoJSON, GeoPackage and GeoParquet.

Every file goes through :func:`geomap.io.write.open_output` (atomic for
regular files, written through for devices and FIFOs, checked on standard
output).  Numbers keep the precision the result frame carries: geomap's
frames give coordinates to 1e-9 degree and distances to the millimetre
(:data:`geomap.io.write.COORD_DECIMALS`, :data:`geomap.io.write.DISTANCE_DECIMALS`);
CSV writes each float's shortest exact form, GeoJSON 15 significant digits,
GeoPackage and GeoParquet binary doubles.
"""

from __future__ import annotations

import io
import os
from pathlib import Path
from typing import Any, BinaryIO

import numpy as np

from geomap.errors import InputError
from geomap.io.write import failed, open_output

#: rows per slice of a CSV file formatted on a thread by :func:`write_csv_table`
#: (1M rows x 51 ACLED/result columns: ~44 MB of text a slice)
CSV_SLICE_ROWS = 65_536

#: the most threads :func:`write_csv_table` formats slices on (slices in memory: one more)
CSV_THREADS = 4

#: output suffixes :func:`write_result` knows
OUTPUT_SUFFIXES = {".csv": "csv", ".geojson": "geojson", ".gpkg": "gpkg", ".parquet": "parquet"}

#: the layer name in GeoPackage and GeoJSON outputs
LAYER_NAME = "geomap_distances"


def output_kind(path: str | Path | None, fmt: str | None = None) -> str | None:
    """The file kind :func:`write_result` writes for ``path`` (by suffix), or None for text output."""
    if path is None or str(path) == "-":
        return None
    return OUTPUT_SUFFIXES.get(Path(path).suffix.lower())


def write_result(result, path: str | Path) -> None:
    """Write a batch result (``frame``, ``lon``, ``lat``) to ``path``, the format chosen by its suffix.

    ``.csv`` (every column, points as the input's columns), ``.geojson``,
    ``.gpkg`` and ``.parquet`` (GeoParquet), the last three with the input
    point as geometry (EPSG:4326; none where the coordinates were unusable).
    Written with :func:`geomap.io.write.open_output`: readers never see a
    half-written file, and a failure leaves the previous file as it was.

    Raises
    ------
    InputError
        The suffix names no known format.
    OutputError
        The file cannot be written ("cannot write PATH: reason").
    """
    kind = output_kind(path)
    if kind is None:
        raise InputError(f"cannot tell the output format of {path}: end it with .csv, .geojson, .gpkg or .parquet")
    with open_output(path) as fh:
        write_frame(result.frame, result.lon, result.lat, fh, kind)


def write_frame(frame, lon, lat, target, kind: str, *, append: bool = False, header: bool = True) -> None:
    """Write ``frame`` (with points ``lon``/``lat``) as ``kind`` (csv/geojson/gpkg/parquet).

    ``target`` is a binary file object (as :func:`geomap.io.write.open_output`
    gives) or a path, written directly (for intermediate files in a private
    folder, such as the Dask engine's parts; ``append`` works for csv and
    gpkg paths only).
    """
    if not hasattr(target, "write"):  # a path
        try:
            _write_frame_path(frame, lon, lat, target, kind, append=append, header=header)
        except OSError as exc:
            raise failed(target, exc) from None
        return
    if kind == "csv":
        write_csv(frame, target, header=header, append=append)
        return
    gdf = to_geoframe(frame, lon, lat)
    if kind == "parquet":
        seekable = getattr(target, "seekable", lambda: False)()
        buf = target if seekable else io.BytesIO()
        gdf.to_parquet(buf, index=False)
        if buf is not target:
            target.write(buf.getbuffer())
    elif kind in ("gpkg", "geojson"):
        # GDAL writes these by name: it writes into memory (/vsimem) and the bytes are copied out
        buf = io.BytesIO()
        if kind == "gpkg":
            write_gpkg(gdf, buf)
        else:
            gdf.to_file(buf, driver="GeoJSON", layer=LAYER_NAME, engine="pyogrio")
        target.write(buf.getbuffer())
    else:  # pragma: no cover - output_kind only returns the kinds above
        raise InputError(f"unknown output kind {kind!r}")


def _write_frame_path(frame, lon, lat, path, kind: str, *, append: bool, header: bool) -> None:
    """:func:`write_frame` to a path, written directly (no temporary file)."""
    if kind == "csv":
        write_csv(frame, path, header=header, append=append)
        return
    gdf = to_geoframe(frame, lon, lat)
    if kind == "parquet":
        gdf.to_parquet(path, index=False)
    elif kind == "gpkg":
        write_gpkg(gdf, path, append=append)
    elif kind == "geojson":
        gdf.to_file(path, driver="GeoJSON", layer=LAYER_NAME, engine="pyogrio", append=append)
    else:  # pragma: no cover - output_kind only returns the kinds above
        raise InputError(f"unknown output kind {kind!r}")


def write_csv(frame, target, *, header: bool = True, append: bool = False) -> None:
    """Write ``frame`` as CSV (UTF-8, quoted where needed, blanks for missing values).

    ``target`` is a binary file object or a path (``append`` appends to a
    path).  pyarrow writes it (an order of magnitude faster than pandas), in
    slices on several threads (see :func:`write_csv_table`); columns pyarrow
    cannot convert fall back to pandas.  Both engines write through here, so
    their files are byte-identical.
    """
    import pyarrow as pa

    if not hasattr(target, "write"):
        with open(target, "ab" if append else "wb") as fh:
            write_csv(frame, fh, header=header)
        return
    try:
        table = pa.Table.from_pandas(frame, preserve_index=False)
    except (pa.ArrowInvalid, pa.ArrowTypeError, pa.ArrowNotImplementedError):
        text = frame.to_csv(index=False, header=header)
        target.write(text.encode("utf-8"))
        return
    write_csv_table(table, target, header=header)


def write_csv_table(table, fh: BinaryIO, *, header: bool = True, slice_rows: int | None = None,
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
    slice_rows : int, optional
        Rows per slice; default :data:`CSV_SLICE_ROWS`.
    threads : int, optional
        Formatting threads; default: the CPUs, at most :data:`CSV_THREADS`.
    """
    from collections import deque
    from concurrent.futures import ThreadPoolExecutor

    import pyarrow.csv as pacsv

    slice_rows = slice_rows or CSV_SLICE_ROWS
    table = integral_floats_as_ints(table)

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
        pending: Any = deque()
        try:
            for start in starts:
                pending.append(pool.submit(text, start))
                if len(pending) > threads:
                    fh.writelines(pending.popleft().result())
            while pending:
                fh.writelines(pending.popleft().result())
        except BaseException:
            for fut in pending:  # a failed write (full disk) or a signal: format no further slice
                fut.cancel()
            raise


#: integral floats below this are written as pyarrow writes the integer ("2000"); from it on, "1e+10"
_PLAIN_INTEGRAL_BELOW = 1e10


def integral_floats_as_ints(table):
    """``table`` with each float64 column whose every value is a whole number written plainly as int64.

    pyarrow formats a double in ~0.1 us and an int64 in a fraction of that; a
    whole double below 1e10 in magnitude is written as its integer ("2000",
    "-25000"), so such columns (a location uncertainty, a layer accuracy)
    give the same CSV bytes as int64.  A column holding -0.0 ("-0"),
    infinities ("inf") or larger values is left as it is; NaN is null either way.
    """
    import pyarrow as pa

    for i, field in enumerate(table.schema):
        if field.type != pa.float64() or table.num_rows == 0:
            continue
        column = table.column(i)
        head = column.slice(0, 1024)
        if not _whole_and_plain(head.to_numpy()[~head.is_null().to_numpy(zero_copy_only=False)]):
            continue  # the usual float column: decided on its first rows
        values = column.to_numpy()  # nulls as NaN (a NaN value, written "nan", is not null)
        null = column.is_null().to_numpy(zero_copy_only=False)
        if _whole_and_plain(values[~null]):
            ints = pa.array(np.where(null, 0, values).astype(np.int64), mask=null if null.any() else None)
            table = table.set_column(i, pa.field(field.name, pa.int64(), field.nullable, field.metadata), ints)
    return table


def _whole_and_plain(values: np.ndarray) -> bool:
    """Whether every value is a whole number below 1e10 in magnitude (not NaN, not infinite) and none is -0.0."""
    return bool(np.all(np.abs(values) < _PLAIN_INTEGRAL_BELOW) and np.all(values == np.trunc(values))
                and not np.any(np.signbit(values) & (values == 0)))


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


#: column names a GeoPackage layer reserves (GDAL: the FID column and the geometry column), any case
GPKG_RESERVED = ("fid", "geom")


def _gpkg_columns(gdf):
    """``gdf`` with the columns a GeoPackage cannot hold as they are renamed ``input_<name>``.

    A GeoPackage reserves ``fid`` and ``geom`` (any case), and its column names
    are case-insensitive: an input's ``Status`` beside geomap's ``status``, or
    ``Name`` beside ``name``.  GDAL refused such a field and the whole run
    ended in a traceback with no output.  Of two names that differ only in
    case the earlier is renamed: input columns come before geomap's, so
    geomap's columns keep their names.
    """
    cols = [str(c) for c in gdf.columns]
    geometry = gdf.geometry.name
    lower_later: dict[str, int] = {}
    for i, col in enumerate(cols):
        lower_later[col.lower()] = i  # the last column of each lower-case name
    taken = {c.lower() for c in cols}
    renames = {}
    for i, col in enumerate(cols):
        if col == geometry:
            continue
        if col.lower() in GPKG_RESERVED or lower_later[col.lower()] != i:
            new, k = f"input_{col}", 2
            while new.lower() in taken:
                new, k = f"input{k}_{col}", k + 1
            renames[gdf.columns[i]] = new
            taken.add(new.lower())
    return gdf.rename(columns=renames) if renames else gdf


def write_gpkg(gdf, path, *, append: bool = False) -> None:
    """Write (or append) ``gdf`` to the GeoPackage ``path``, layer :data:`LAYER_NAME` (see :func:`_gpkg_columns`)."""
    _gpkg_columns(gdf).to_file(path, driver="GPKG", layer=LAYER_NAME, engine="pyogrio", append=append)


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
