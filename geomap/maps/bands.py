"""The claim band: where on the map a distance claim would be true (drawing geometry with a measured error).

The zone where a claim would be true -- points whose geodesic distance to the
line lies in the claim's strict (and, lighter, lenient) range -- is built by
buffering the line in a local azimuthal-equidistant projection centred on the
view, clipped to the view.  Its error is *measured*, not assumed: boundary
points of the band are sampled and their exact geodesic distance to the line
is computed with geomap's kernel; the largest departure from the range's end
is shown in the legend and popups (``display_error_m``).  The band is drawing
geometry only: no incident's distance comes from here.
"""

from __future__ import annotations

import math
from typing import Any

from geomap.maps.geo import geojson

#: the band's buffer: segments per quarter circle (chord error r * (1 - cos(pi / (4 * QUAD_SEGS))))
BAND_QUAD_SEGS = 64
#: how many band boundary points are checked against the exact kernel
BAND_CHECK_POINTS = 4000


def claim_band(lines, view, lo_m: float | None, hi_m: float | None):
    """The part of the view whose distance to the line lies in ``[lo_m, hi_m]`` (metres).

    Built as ``buffer(hi) - buffer(lo)`` of the line in an azimuthal-equidistant
    projection centred on the view, intersected with the view box.

    Parameters
    ----------
    lines : LineSet
    view : (min_lon, min_lat, max_lon, max_lat)
    lo_m, hi_m : float or None
        The range in metres; ``None`` (or 0 for ``lo_m``) is an open end.

    Returns
    -------
    (geometry, display_error_m)
        A lon/lat shapely geometry (None if empty or the range covers
        everything) and the largest departure, in metres, of a sampled band
        boundary point's exact geodesic distance from the range end it
        represents (None when nothing could be sampled).
    """
    import numpy as np
    import shapely
    from pyproj import Transformer

    lo_m = None if not lo_m else float(lo_m)
    hi_m = None if hi_m is None or not math.isfinite(hi_m) else float(hi_m)
    if lo_m is None and hi_m is None:
        return None, None
    minx, miny, maxx, maxy = view
    lon0, lat0 = (minx + maxx) / 2, (miny + maxy) / 2
    fwd = Transformer.from_crs("EPSG:4326", f"+proj=aeqd +lat_0={lat0} +lon_0={lon0} +datum=WGS84 +units=m",
                               always_xy=True)

    def project(geom, transformer, direction="FORWARD"):
        def fn(xy):
            x, y = transformer.transform(xy[:, 0], xy[:, 1], direction=direction)
            return np.column_stack([x, y])

        return shapely.transform(geom, fn)

    box_ll = shapely.segmentize(shapely.box(minx, miny, maxx, maxy), max(maxx - minx, maxy - miny) / 200)
    box_xy = project(box_ll, fwd)
    line_ll = shapely.segmentize(shapely.union_all([g for g in lines.geoms if g is not None]), 0.005)
    line_xy = project(line_ll, fwd)
    outer = box_xy if hi_m is None else line_xy.buffer(hi_m, quad_segs=BAND_QUAD_SEGS).intersection(box_xy)
    band = outer if lo_m is None else outer.difference(line_xy.buffer(lo_m, quad_segs=BAND_QUAD_SEGS))
    if band.is_empty:
        return None, None
    span = max(box_xy.bounds[2] - box_xy.bounds[0], box_xy.bounds[3] - box_xy.bounds[1])
    band = band.simplify(span / 20000.0)
    band_ll = project(band, fwd, "INVERSE")
    return band_ll, band_error(band_ll, lines, view, lo_m, hi_m)


def band_error(band_ll, lines, view, lo_m, hi_m) -> float | None:
    """Largest |exact distance - range end| over sampled band boundary points away from the view edge."""
    import numpy as np
    import shapely

    from geomap.layers.distance import distance_to_line

    minx, miny, maxx, maxy = view
    # Sample along the drawn edges too (not only vertices), ring by ring.
    xy = shapely.get_coordinates(shapely.segmentize(band_ll.boundary, max(maxx - minx, maxy - miny) / 4000))
    minx, miny, maxx, maxy = view
    margin = 0.01 * max(maxx - minx, maxy - miny)
    keep = (xy[:, 0] > minx + margin) & (xy[:, 0] < maxx - margin) & (xy[:, 1] > miny + margin) & (
        xy[:, 1] < maxy - margin)
    xy = xy[keep]
    if xy.shape[0] == 0:
        return None
    if xy.shape[0] > BAND_CHECK_POINTS:
        xy = xy[np.linspace(0, xy.shape[0] - 1, BAND_CHECK_POINTS).astype(int)]
    d = distance_to_line(lon=xy[:, 0], lat=xy[:, 1], lines=lines).distance_m
    ends = [v for v in (lo_m, hi_m) if v is not None]
    err = np.min(np.abs(d[:, None] - np.asarray(ends)[None, :]), axis=1)
    return round(float(np.max(err)), 1)


def bands_data(claim, lines, view) -> dict | None:
    if claim is None:
        return None
    out: dict[str, Any] = {"method": (
        "buffer of the line in an azimuthal-equidistant projection centred on the view, clipped to the view; "
        "display_error_m = largest difference between the exact WGS84 geodesic distance of sampled band "
        "boundary points and the range end they stand for")}
    errors = []
    minx, miny, maxx, maxy = view
    pad = 1.5 * max(maxx - minx, maxy - miny)
    box = (max(minx - pad, -180.0), max(miny - pad, -85.0), min(maxx + pad, 180.0), min(maxy + pad, 85.0))
    out["box"] = [round(v, 5) for v in box]
    for reading in ("lenient", "strict"):
        rng = getattr(claim, reading, None)
        if rng is None:
            continue
        geom, err = claim_band(lines, box, getattr(rng, "min_m", None), getattr(rng, "max_m", None))
        out[reading] = geojson(geom, 5) if geom is not None else None
        if err is not None:
            errors.append(err)
    out["display_error_m"] = max(errors) if errors else None
    return out
