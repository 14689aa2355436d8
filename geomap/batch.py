"""Batch measurement of many incident rows: every input row comes out, with a status."""

from __future__ import annotations

from collections import Counter
from typing import Any

import numpy as np

from geomap._version import __version__

#: columns geomap adds to each row (a public contract: scripts rely on these names)
RESULT_COLUMNS = (
    "status",
    "distance_m",
    "nearest_lon",
    "nearest_lat",
    "feature_index",
    "section",
    "part_index",
    "segment_index",
    "azimuth_deg",
    "distance_low_m",
    "distance_high_m",
    "layer",
    "layer_sha256",
    "method",
    "geomap_version",
)


def measure_points(table, lines, *, radius_m: float = 0.0):
    """Measure every row of a :class:`geomap.inputs.PointTable` against ``lines``.

    Returns
    -------
    (frame, summary)
        ``frame``: the input columns plus :data:`RESULT_COLUMNS` (rows that
        could not be measured keep their input values, a ``status`` saying why
        and empty results).  ``summary``: status -> count, adding up to the
        number of input rows.
    """
    import pandas as pd

    from geomap.distance import distance_to_line

    ok = table.status == "ok"
    lon = np.where(ok, table.lon, np.nan)
    lat = np.where(ok, table.lat, np.nan)
    res = distance_to_line(lon=lon, lat=lat, lines=lines)
    frame = table.frame.copy() if hasattr(table.frame, "copy") else pd.DataFrame(table.frame)
    clash = [c for c in RESULT_COLUMNS if c in frame.columns]
    if clash:
        frame = frame.rename(columns={c: f"input_{c}" for c in clash})
    cols = res.columns()
    accuracy_m = float(getattr(getattr(lines, "layer", None), "accuracy_m", None) or 0.0)
    d = res.distance_m
    evidence = res.evidence()
    out: dict[str, Any] = {
        "status": table.status,
        "distance_m": np.round(d, 3),
        "nearest_lon": np.round(res.nearest_lon, 7),
        "nearest_lat": np.round(res.nearest_lat, 7),
        "feature_index": pd.array(np.where(ok, res.feature_index, -1), dtype="Int64"),
        "section": np.where(ok, cols["section"], None),
        "part_index": pd.array(res.part_index, dtype="Int64"),
        "segment_index": pd.array(res.segment_index, dtype="Int64"),
        "azimuth_deg": np.round(res.azimuth_deg, 4),
        "distance_low_m": np.round(np.maximum(d - radius_m - accuracy_m, 0.0), 3),
        "distance_high_m": np.round(d + radius_m + accuracy_m, 3),
        "layer": evidence["layer"],
        "layer_sha256": evidence["layer_sha256"],
        "method": "geodesic-exact-WGS84",
        "geomap_version": __version__,
    }
    for key in ("feature_index", "part_index", "segment_index"):
        out[key][~ok] = pd.NA
    for key, value in out.items():
        frame[key] = value
    summary = dict(Counter(str(s) for s in table.status))
    assert sum(summary.values()) == len(frame)
    return frame, summary
