"""Rows whose coordinates look swapped or whose sign looks wrong, judged against the line they were measured to.

The swap and sign rules themselves are :mod:`geomap.places.context`'s; this
module applies them to a measured table's rows (status ``suspect_swapped`` /
``suspect_sign``) and refuses a file in which most rows are suspects (the
columns, not the rows, are then wrong).
"""

from __future__ import annotations

import numpy as np

from geomap.errors import InputError


def row_suspects(table, idx, distance_m, lineset) -> tuple[np.ndarray, np.ndarray]:
    """Masks of the rows ``idx`` whose lon/lat look exchanged, and whose sign looks wrong, judged against ``lineset``.

    See the swap and sign rules of :mod:`geomap.places.context`.
    """
    from geomap.places.context import CONTEXT_RADIUS_M, PlaceContext, sign_suspects, swap_suspects

    out = np.zeros(idx.shape, dtype=bool)
    signed = np.zeros(idx.shape, dtype=bool)
    # rows within the context radius of the line are never suspects: skip building the context for them
    far = ~(distance_m[idx] <= CONTEXT_RADIUS_M)
    if far.any():
        context = PlaceContext.from_lines(lineset)
        lon, lat, d = table.lon[idx[far]], table.lat[idx[far]], distance_m[idx[far]]
        out[far] = swap_suspects(lon, lat, context, distance_m=d)
        signed[far] = sign_suspects(lon, lat, context, distance_m=d)
    return out, signed


def refuse_suspect_file(table, swapped: np.ndarray, sign: np.ndarray, ok: np.ndarray, user_lines=()) -> None:
    """Raise InputError when most measured rows are swap (or sign) suspects: the columns, not the rows, are wrong.

    ``user_lines``: sources of the user's own line files measured against; when the rows fit them only
    swapped, the message also names the line file, whose coordinates may be the swapped ones.
    """
    from pathlib import Path

    n_ok = int(np.count_nonzero(ok))
    cols = f" ({table.lon_col} as longitude, {table.lat_col} as latitude)" if table.lon_col else ""
    line_too = (f"; if the columns are right, the line file {', '.join(sorted({Path(str(u)).name for u in user_lines}))}"
                " may list its coordinates as lat,lon: check it") if len(user_lines) else ""
    for mask, how, fix in (
        (swapped, "longitude and latitude exchanged", f"the coordinate columns look swapped{cols}; name them with "
                                                      f"--lon-col NAME --lat-col NAME{line_too}"),
        (sign, "the sign of their longitude or latitude changed", "a coordinate column looks like it has the wrong "
         "sign (west and south are negative); fix the column, or pass the --layer/--theatre of the points' region"),
    ):
        n_sus = int(np.count_nonzero(mask))
        if n_sus * 2 > n_ok:
            raise InputError(f"{n_sus} of {n_ok} measured rows of {Path(str(table.source)).name} lie far from the "
                             f"line but near it with {how}: {fix}")
