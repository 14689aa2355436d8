"""The map of a :class:`~geomap.pipeline.result.Result`: every measured row, against its own line version.

``--html``/``--png`` of ``distance``, ``check`` and ``map`` call
:func:`add_result_map` with the run's result.  Nothing is measured again: the
columns handed to :func:`geomap.maps.data.map_data_from_columns` are the run's
own.  A file whose rows' dates chose several versions of a theatre's line
gets one map with each version as its own layer and a period control.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from geomap.errors import InputError

#: up to this many rows, the map is built from the typed rows (with each verdict's sentence);
#: above it, straight from the result's columns
TYPED_ROWS_LIMIT = 20_000


def _frame_columns(result) -> dict[str, Any]:
    """Map columns straight from a (large) result's frame: no per-row objects, no sentences."""
    from geomap.pipeline.result import DATE_COLUMNS, NOTE_COLUMNS, pick_column, row_labels

    f = result.frame
    n = len(f)

    def col(name, dtype=float):
        if name not in f.columns:
            return np.full(n, np.nan) if dtype is float else np.full(n, "", dtype=object)
        if dtype is float:
            return f[name].to_numpy(dtype=float, na_value=np.nan)
        return f[name].astype(object).where(f[name].notna(), "").to_numpy(dtype=object)

    date_col = "as_of_date" if "as_of_date" in f.columns else pick_column(f.columns, DATE_COLUMNS)
    note_col = pick_column(f.columns, NOTE_COLUMNS)
    inside = f["inside_area"].astype("float64").to_numpy(na_value=np.nan) if "inside_area" in f.columns \
        else np.full(n, np.nan)
    cols: dict[str, Any] = {
        "row": np.arange(1, n + 1), "status": col("status", object), "label": np.asarray(row_labels(f, result.id_col, result.label_col),
                                                                                         dtype=object),
        "date": col(date_col, object) if date_col else np.full(n, "", dtype=object),
        "lon": np.asarray(result.lon, dtype=float), "lat": np.asarray(result.lat, dtype=float),
        "radius_m": np.nan_to_num(col("location_uncertainty_m")), "distance_m": col("distance_m"),
        "nearest_lon": col("nearest_lon"), "nearest_lat": col("nearest_lat"),
        "interval_low_m": col("distance_low_m"), "interval_high_m": col("distance_high_m"),
        "verdict": col("verdict", object), "note": col(note_col, object) if note_col else np.full(n, "", dtype=object),
        "section": col("section", object), "inside_area": inside, "area_layer": col("area_layer", object),
        "signed_distance_m": col("signed_distance_m"), "layer_id": col("layer", object),
    }
    return cols


def result_columns(result) -> dict[str, Any]:
    """The columns :func:`~geomap.maps.data.map_data_from_columns` draws, from ``result``."""
    from geomap.maps.data import row_columns

    if len(result.frame) <= TYPED_ROWS_LIMIT:
        return row_columns(result.rows())
    return _frame_columns(result)


def add_result_map(result, *, html=None, png=None, title=None, online_tiles=False) -> dict:
    """Write the HTML map and/or PNG of ``result`` (see :func:`geomap.maps.page.write_outputs`).

    Each line version the rows were measured against is its own layer, with
    its validity for the period control.

    Raises
    ------
    InputError
        No row could be measured (nothing to map), or the rows are not in
        memory (the Dask engine).
    """
    from geomap.maps.page import add_column_map_outputs

    if html is None and png is None:
        return {"html": None, "png": None}
    if result.frame is None:
        raise InputError("--html/--png need every row in memory: drop --engine dask for the map")
    if not result.lines:
        raise InputError(f"no row of {result.source} could be measured, so there is nothing to map: "
                         "see the status column")
    validity = {lid: (ev.get("layer_valid_from"), ev.get("layer_valid_to")) for lid, ev in result.layers.items()}
    return add_column_map_outputs(result_columns(result), dict(result.lines), html=html, png=png,
                                  validity=validity, claim=result.claim, title=title, online_tiles=online_tiles)
