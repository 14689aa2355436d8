"""Read a vector source (shipped layer id or file path) into lon/lat EPSG:4326.

Internal helper: ``resolve`` (layer id or path) for sides and derive-line, and
GeoDataFrames for layer validation and tests, built from the one reader
:func:`geomap.io.vector.read_vector`.
Imports geopandas/pyogrio, so only modules loaded lazily may import it.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from geomap.errors import FileFormatError, LayerNotFound
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


def read_any(path: str | Path):
    """Read a vector file as a GeoDataFrame in its own CRS (every layer; see :func:`geomap.io.vector.read_vector`)."""
    import geopandas as gpd

    from geomap.io.vector import read_vector

    found = read_vector(path, lonlat=False)
    frame = found.to_frame()
    return gpd.GeoDataFrame(frame, geometry=gpd.GeoSeries(found.geoms, index=frame.index), crs=found.crs_in)


@lru_cache(maxsize=16)
def _read_cached(path: str, size: int, mtime_ns: int, assume_crs: str | None):
    import geopandas as gpd

    from geomap.io.vector import read_vector

    found = read_vector(path, assume_crs=assume_crs)
    frame = found.to_frame()
    frame = gpd.GeoDataFrame(frame, geometry=gpd.GeoSeries(found.geoms, index=frame.index), crs="EPSG:4326")
    frame = frame[frame.geometry.notna() & ~frame.geometry.is_empty]
    if frame.empty:
        raise FileFormatError(f"{path} has no non-empty geometries: give a file with features")
    return frame
