"""Coordinates to WGS84 lon/lat, whatever CRS a file declares."""

from __future__ import annotations

import numpy as np

from geomap.errors import CRSError


def _one_line(exc: BaseException) -> str:
    return " ".join(str(exc).split())[:200]


def to_lonlat(geoms, crs, path):
    """``geoms`` (shapely array in ``crs``) converted to EPSG:4326 lon/lat; :class:`CRSError` if that fails.

    ``path`` names the source in messages.  Coordinates outside lon/lat range
    after conversion mean the declared CRS is wrong.
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
    xy = shapely.get_coordinates(geoms)
    if xy.size:
        if not np.all(np.isfinite(xy)):
            raise CRSError(f"{path}: some coordinates could not be converted to lon/lat: check its CRS or pass --assume-crs")
        if np.abs(xy[:, 0]).max() > 180 or np.abs(xy[:, 1]).max() > 90:
            raise CRSError(
                f"{path}: coordinates fall outside lon/lat range after conversion from {src.to_string()}: "
                "the declared CRS is probably wrong; pass --assume-crs with the right one"
            )
    return geoms
