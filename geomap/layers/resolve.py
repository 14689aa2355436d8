"""Read a vector source (shipped layer id or file path) into lon/lat EPSG:4326.

Internal helper: ``resolve`` (layer id or path) for sides and derive-line, and
geopandas readers for layer validation and for tests that want a reader
independent of :func:`geomap.layers.lineset.read_vector`, which reads geometries for
everything else.
Imports geopandas/pyogrio, so only modules loaded lazily may import it.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from geomap.errors import CRSError, FileFormatError, LayerNotFound
from geomap.layers.registry import Layer, get_layer


def resolve(source: str | Path) -> tuple[Path, Layer | None]:
    """Return (geometry path, shipped layer or None) for a layer id or a file path.

    A :class:`~pathlib.Path` or a string naming an existing file is a path; any
    other string must be a shipped layer id (its sha256 is checked).
    """
    if isinstance(source, Path) or Path(str(source)).exists():
        path = Path(source)
        if not path.exists():
            raise FileFormatError(f"{path} does not exist: give an existing file or a shipped layer id")
        return path, None
    text = str(source)
    if any(sep in text for sep in ("/", "\\")) or Path(text).suffix:
        raise FileFormatError(f"{text} does not exist: give an existing file or a shipped layer id")
    try:
        layer = get_layer(text)
    except LayerNotFound as exc:
        raise LayerNotFound(f"{text!r} is neither an existing file nor a shipped layer id: {exc}") from None
    return layer.path, layer


def read_frame(source: str | Path, *, assume_crs: str | None = None):
    """Read every feature of ``source`` as a GeoDataFrame in EPSG:4326.

    Parameters
    ----------
    source : str or Path
        A shipped layer id or a path to any vector file GDAL reads.
    assume_crs : str, optional
        CRS to assume when the file declares none (e.g. ``"EPSG:4326"``).

    Raises
    ------
    FileFormatError
        The file cannot be read or has no features.
    CRSError
        The file has no CRS and ``assume_crs`` was not given, or the CRS cannot be converted.
    """
    path, _layer = resolve(source)
    stat = path.stat()
    return _read_cached(str(path.resolve()), stat.st_size, stat.st_mtime_ns, assume_crs).copy()


PARQUET_SUFFIXES = (".parquet", ".geoparquet")


def read_any(path: str | Path):
    """Read a vector file with geopandas (GeoParquet through pyarrow, everything else through pyogrio).

    Some GDAL builds lack the Parquet driver, so GeoParquet never goes through GDAL.
    """
    import geopandas as gpd

    if Path(path).suffix.lower() in PARQUET_SUFFIXES:
        return gpd.read_parquet(path)
    return gpd.read_file(path, engine="pyogrio")


@lru_cache(maxsize=16)
def _read_cached(path: str, size: int, mtime_ns: int, assume_crs: str | None):
    try:
        frame = read_any(path)
    except Exception as exc:  # pyogrio raises several DataSourceError types
        raise FileFormatError(f"cannot read {path} ({' '.join(str(exc).split())}): give a GDAL vector file") from None
    if frame.crs is None:
        if assume_crs is None:
            raise CRSError(f"{path} has no CRS: add one to the file, or pass assume_crs (e.g. EPSG:4326)")
        frame = frame.set_crs(assume_crs)
    try:
        frame = frame.to_crs("EPSG:4326")
    except Exception as exc:
        raise CRSError(f"cannot convert {path} from {frame.crs} to EPSG:4326 ({exc}): fix the file's CRS") from None
    frame = frame[frame.geometry.notna() & ~frame.geometry.is_empty]
    if frame.empty:
        raise FileFormatError(f"{path} has no non-empty geometries: give a file with features")
    return frame
