"""Reading incident points from files: CSV/TSV, GeoJSON, GeoPackage, and any GDAL vector format.

Every input row is kept: rows whose coordinates are missing or out of range
get a ``status`` saying why, instead of disappearing.
"""

from __future__ import annotations

import io
import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from geomap.errors import FileFormatError, InputError

LON_NAMES = ("lon", "lng", "long", "longitude", "x", "lon_dd", "longitude_dd", "decimallongitude")
LAT_NAMES = ("lat", "latitude", "y", "lat_dd", "latitude_dd", "decimallatitude")
TABULAR = {".csv", ".tsv", ".txt"}


@dataclass
class PointTable:
    """Input rows with their coordinates and a per-row status.

    ``frame`` is a pandas DataFrame of the input columns, unchanged (as text
    for CSV, so identifiers keep their leading zeros).  ``lon``/``lat`` are
    float arrays (NaN where unusable) and ``status`` says ``ok`` or why not.
    """

    frame: object
    lon: np.ndarray
    lat: np.ndarray
    status: np.ndarray
    source: str
    lon_col: str | None = None
    lat_col: str | None = None

    def __len__(self) -> int:
        return int(self.lon.shape[0])


def find_column(columns, wanted: str | None, names: tuple[str, ...], what: str, source: str) -> str:
    """The column holding ``what``: ``wanted`` if given, else the first of ``names`` (any case)."""
    cols = [str(c) for c in columns]
    if wanted is not None:
        if wanted in cols:
            return wanted
        raise InputError(f"{source} has no column {wanted!r}: choose one of {', '.join(cols[:20])}")
    lower = {c.lower(): c for c in cols}
    for name in names:
        if name in lower:
            return lower[name]
    flag = "--lon-col" if what == "longitude" else "--lat-col"
    raise InputError(
        f"cannot find a {what} column in {source} (looked for {', '.join(names[:4])}, ...): name it with {flag}"
    )


def coordinate_status(lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
    """``ok``, ``missing_coordinates`` or ``coordinates_out_of_range`` per row."""
    status = np.full(lon.shape, "ok", dtype=object)
    missing = ~(np.isfinite(lon) & np.isfinite(lat))
    out = ~missing & ((np.abs(lon) > 180) | (np.abs(lat) > 90))
    status[missing] = "missing_coordinates"
    status[out] = "coordinates_out_of_range"
    return status


def read_points(
    source: str | Path,
    *,
    lon_col: str | None = None,
    lat_col: str | None = None,
    assume_crs: str | None = None,
) -> PointTable:
    """Read incident points from a file (or ``-`` for GeoJSON on standard input).

    Parameters
    ----------
    source : str or Path
        CSV/TSV with longitude and latitude columns (found by common names
        such as lon/lng/longitude/x and lat/latitude/y, or named), or any vector
        format GDAL reads (GeoJSON, GeoPackage, GeoParquet, KML, ...), in any
        CRS (converted to lon/lat).
    """
    if str(source) == "-":
        data = sys.stdin.buffer.read()
        if not data.strip():
            raise FileFormatError("standard input is empty: pipe a GeoJSON FeatureCollection into 'geomap ... -'")
        return _read_vector_points(io.BytesIO(data), "<stdin>", assume_crs)
    path = Path(source)
    if not path.exists():
        raise FileFormatError(f"{path} does not exist: check the path")
    if path.is_dir() and not path.suffix:
        raise FileFormatError(f"{path} is a folder: give a file")
    if path.stat().st_size == 0:
        raise FileFormatError(f"{path} is empty: give a file with a header row and data rows")
    if path.suffix.lower() in TABULAR:
        return _read_csv_points(path, lon_col, lat_col)
    return _read_vector_points(path, str(path), assume_crs)


def _read_csv_points(path: Path, lon_col, lat_col) -> PointTable:
    import pandas as pd

    sep = "\t" if path.suffix.lower() == ".tsv" else None
    try:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, sep=sep, engine="python" if sep is None else "c")
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as exc:
        msg = " ".join(str(exc).split())[:160]
        raise FileFormatError(f"cannot read {path} as CSV ({msg}): check that it is UTF-8 CSV with a header row") from None
    lon_name = find_column(frame.columns, lon_col, LON_NAMES, "longitude", str(path))
    lat_name = find_column(frame.columns, lat_col, LAT_NAMES, "latitude", str(path))
    lon = pd.to_numeric(frame[lon_name].str.strip(), errors="coerce").to_numpy(dtype=float)
    lat = pd.to_numeric(frame[lat_name].str.strip(), errors="coerce").to_numpy(dtype=float)
    status = coordinate_status(lon, lat)
    blank = (frame[lon_name].str.strip() == "") | (frame[lat_name].str.strip() == "")
    bad_text = (status == "missing_coordinates") & ~blank.to_numpy()
    status[bad_text] = "invalid_coordinates"
    lon = np.where(status == "ok", lon, np.nan)
    lat = np.where(status == "ok", lat, np.nan)
    return PointTable(frame, lon, lat, status, str(path), lon_name, lat_name)


def _read_vector_points(source, label: str, assume_crs) -> PointTable:
    import pandas as pd
    import pyogrio
    import shapely
    from pyogrio.errors import DataSourceError

    from geomap.lines import _to_lonlat

    try:
        meta, _fids, wkb, fields = pyogrio.raw.read(source)
    except (DataSourceError, OSError, RuntimeError, ValueError) as exc:
        msg = " ".join(str(exc).split())[:160]
        raise FileFormatError(
            f"cannot read {label} ({msg}): give CSV with lon/lat columns, GeoJSON, GeoPackage or GeoParquet"
        ) from None
    frame = pd.DataFrame({str(name): values for name, values in zip(meta["fields"], fields)})
    n = len(frame) if len(meta["fields"]) else (0 if wkb is None else len(wkb))
    if wkb is None:
        raise FileFormatError(f"{label} has no geometries: give point features, or a CSV with lon/lat columns")
    crs = meta.get("crs") or assume_crs
    if crs is None:
        raise InputError(f"{label} declares no CRS: pass --assume-crs EPSG:4326 (or its CRS)")
    geoms = _to_lonlat(shapely.from_wkb(wkb, on_invalid="ignore"), crs, label)
    if frame.empty and n:
        frame = pd.DataFrame(index=range(n))
    kinds = shapely.get_type_id(geoms)
    is_point = kinds == 0
    lon = np.full(n, np.nan)
    lat = np.full(n, np.nan)
    if is_point.any():
        lon[is_point] = shapely.get_x(geoms[is_point])
        lat[is_point] = shapely.get_y(geoms[is_point])
    status = coordinate_status(lon, lat)
    status[(~is_point) & (kinds >= 0)] = "not_a_point"
    if not is_point.all():
        frame["input_geometry_type"] = [None if g is None else g.geom_type for g in geoms]
    return PointTable(frame, lon, lat, status, label)
