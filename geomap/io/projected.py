"""Coordinate columns written in a projected CRS (UTM metres, Web Mercator): converted with ``--assume-crs``, else refused.

A table's coordinate columns are longitude and latitude in degrees unless the
caller names their CRS (``--assume-crs EPSG:32638``, ``assume_crs=`` in the
API).  A table whose every row is far outside degrees (563456, 4405123) holds
projected coordinates: it is refused once, naming the fix, instead of giving
``coordinates_out_of_range`` on every row.
"""

from __future__ import annotations

import numpy as np

from geomap.errors import InputError

#: column names of projected coordinates (x, y are also geomap's lon/lat names: their values decide)
EASTING_NAMES = ("easting", "eastings", "utm_x", "utm_e", "x_m", "east")
NORTHING_NAMES = ("northing", "northings", "utm_y", "utm_n", "y_m", "north")
#: beyond any degree: a column whose every value exceeds this is in metres (or feet)
_NOT_DEGREES = 1000.0
_FIX = "give their CRS with {flag} EPSG:NNNN (e.g. EPSG:32638 for UTM zone 38N)"


def projected_columns(columns, crs, flag: str = "--assume-crs") -> tuple[str, str] | None:
    """The (easting, northing) column names of a table with such columns and no lon/lat ones.

    With ``crs`` given they are the coordinate columns; without, InputError naming
    the columns and ``flag``.  None when the table has no such pair.
    """
    lower = {str(c).lower(): str(c) for c in columns}
    east = next((lower[n] for n in EASTING_NAMES if n in lower), None)
    north = next((lower[n] for n in NORTHING_NAMES if n in lower), None)
    if east is None or north is None:
        return None
    if crs is None:
        raise InputError(f"the columns {east}, {north} hold projected coordinates, not longitude and latitude: "
                         + _FIX.format(flag=flag))
    return east, north


def to_lonlat(lon: np.ndarray, lat: np.ndarray, crs, source: str, columns: tuple, flag: str = "--assume-crs"):
    """``(lon, lat)`` degrees of coordinate columns written in ``crs`` (None: already degrees).

    Without ``crs``, a table whose every row with coordinates is beyond any
    degree (more than 1000 on either axis) is refused in one line naming
    ``flag``; other rows out of range keep their per-row status.
    """
    finite = np.isfinite(lon) & np.isfinite(lat) & ~((lon == 0) & (lat == 0))
    if crs is None:
        if finite.any() and (np.maximum(np.abs(lon[finite]), np.abs(lat[finite])) > _NOT_DEGREES).all():
            k = int(np.flatnonzero(finite)[0])
            raise InputError(f"{source}: {columns[0]}, {columns[1]} are not longitude and latitude on any row "
                             f"(first: {lon[k]:.10g}, {lat[k]:.10g}): they look projected (metres); "
                             + _FIX.format(flag=flag))
        return lon, lat
    from pyproj import Transformer

    from geomap.io.guards import assumed_crs

    transformer = Transformer.from_crs(assumed_crs(crs), "EPSG:4326", always_xy=True)
    out_lon, out_lat = np.full(lon.shape, np.nan), np.full(lat.shape, np.nan)
    if finite.any():
        out_lon[finite], out_lat[finite] = transformer.transform(lon[finite], lat[finite], errcheck=False)
    bad = finite & ~(np.isfinite(out_lon) & np.isfinite(out_lat))
    out_lon[bad], out_lat[bad] = 1e9, 1e9  # no position in lon/lat: coordinates_out_of_range
    keep = ~finite  # blanks and (0, 0) stay as they were (missing_coordinates)
    out_lon[keep], out_lat[keep] = lon[keep], lat[keep]
    return out_lon, out_lat
