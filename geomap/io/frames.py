"""Incidents from a pandas DataFrame or geopandas GeoDataFrame in memory (the Python API), by a file's rules.

:func:`geomap.pipeline.run.read_table` hands a frame here (a file goes to
:func:`geomap.io.points.read_points`); its rows go through the same :func:`~geomap.io.points.table_from_frame` as a CSV's,
and a GeoDataFrame's geometries through the same
:func:`~geomap.io.points.table_from_geometries` as a vector file's features.
"""

from __future__ import annotations

import sys

import numpy as np

from geomap.errors import CRSError, FileFormatError
from geomap.io.points import PointTable, finish_table, table_from_frame, table_from_geometries


def is_frame(source) -> bool:
    """Whether ``source`` is a pandas DataFrame (a GeoDataFrame is one), not a path."""
    pandas = sys.modules.get("pandas")  # a frame exists only if pandas was imported
    return pandas is not None and isinstance(source, pandas.DataFrame)


def read_frame(frame, *, label: str | None = None, assume_crs: str | None = None, **cols) -> PointTable:
    """Incidents from a pandas DataFrame or geopandas GeoDataFrame in memory, by a file's rules.

    A DataFrame is read as a CSV's rows are (the ACLED/UCDP schema or common
    column names, or ``lon_col``/``lat_col``; dates and precision codes per
    row); a GeoDataFrame as a vector file's features, in its CRS (converted
    to lon/lat; ``assume_crs`` when it has none, else its coordinates must be
    lon/lat).  The caller's frame is not changed.

    Parameters
    ----------
    frame : pandas.DataFrame or geopandas.GeoDataFrame
    label : str, optional
        How to name the input in messages and results (default: ``DataFrame`` or ``GeoDataFrame``).
    assume_crs : str, optional
        CRS of a GeoDataFrame whose ``crs`` is None, or of a DataFrame's coordinate columns (default: degrees).
    **cols
        ``lon_col``, ``lat_col``, ``date_col``, ``id_col``, ``date_format`` as for :func:`geomap.io.points.read_points`.

    Raises
    ------
    FileFormatError
        No rows.
    InputError, CRSError
        As for a file: no coordinate columns, ambiguous dates; a GeoDataFrame
        without a CRS whose coordinates are not lon/lat.
    """
    geometry = getattr(frame, "geometry", None) if hasattr(frame, "crs") else None
    label = label or ("GeoDataFrame" if geometry is not None else "DataFrame")
    if len(frame) == 0:
        raise FileFormatError(f"the {label} has no rows: give one with a row per incident")
    if not frame.columns.is_unique:  # repeated names as a CSV's header gets them: lat, lat.1 (then compared)
        from geomap.io.tabular import unique_names

        frame = frame.set_axis(unique_names([str(c) for c in frame.columns]), axis=1)
    if geometry is None:
        return _indexed(finish_table(table_from_frame(frame.reset_index(drop=True), label, crs=assume_crs, **cols)),
                        frame)
    import shapely

    from geomap.io.guards import assumed_crs

    crs = frame.crs
    if crs is None and assume_crs is not None:
        crs = assumed_crs(assume_crs)
    geoms = np.asarray(geometry.values, dtype=object)
    if crs is None:
        xy = shapely.get_coordinates(geoms[~shapely.is_missing(geoms)])
        if xy.size and not (np.abs(xy[:, 0]).max() <= 180 and np.abs(xy[:, 1]).max() <= 90):
            raise CRSError(f"the {label} has no crs and its coordinates are not lon/lat: set it (gdf.set_crs(...)) "
                           "or pass assume_crs='EPSG:NNNN'")
    elif not crs.equals("EPSG:4326", ignore_axis_order=True):
        geoms = np.asarray(geometry.set_crs(crs, allow_override=True).to_crs(4326).values, dtype=object)
    rows = frame.drop(columns=[geometry.name]).reset_index(drop=True)
    return _indexed(finish_table(table_from_geometries(geoms, rows, label, **cols)), frame)


def _indexed(table: PointTable, frame) -> PointTable:
    """``table`` with the index of the caller's ``frame`` (see :attr:`PointTable.index`)."""
    table.index = frame.index.copy()
    return table
