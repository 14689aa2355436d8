"""Coordinates to WGS84 lon/lat, whatever CRS a file declares."""

from __future__ import annotations

import numpy as np

from geomap.errors import CRSError


def _one_line(exc: BaseException) -> str:
    return " ".join(str(exc).split())[:200]


def to_lonlat(geoms, crs, path, *, implied=False):
    """``geoms`` (shapely array in ``crs``) converted to EPSG:4326 lon/lat; :class:`CRSError` if that fails.

    ``path`` names the source in messages.  Longitudes past 180 are wrapped
    and coordinates that cannot be lon/lat refused in one line naming the fix
    (:func:`geomap.io.guards.lonlat_guard`; ``implied``: the CRS was only
    implied by the format, so ``assume_crs`` is the fix).
    """
    import shapely
    from pyproj import CRS, Transformer
    from pyproj.exceptions import CRSError as ProjCRSError

    try:
        src = CRS.from_user_input(crs)
    except ProjCRSError as exc:
        raise CRSError(f"{path} has a CRS PROJ cannot read ({_one_line(exc)}): pass --assume-crs") from None
    dst = CRS.from_epsg(4326)
    if not src.equals(dst, ignore_axis_order=True) and src != CRS("OGC:CRS84"):
        transformer = Transformer.from_crs(src, dst, always_xy=True)

        def fn(xy):
            x, y = transformer.transform(xy[:, 0], xy[:, 1], errcheck=False)
            return np.column_stack([x, y])

        geoms = shapely.transform(geoms, fn)
    from geomap.io import guards

    return guards.lonlat_guard(geoms, path=path, crs_label=src.to_string(), implied=implied)
