"""A notebook's DataFrame through ``geomap.measure``: the result lines up with the caller's rows and every
column is read as the same rows written to a CSV file and measured with ``geomap distance FILE``."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import geomap

DATES = ["2021-01-06", "2020-12-27", "2021-01-05", "2021-02-01"]
LATS = [39.30, 39.52, 39.90, 39.60]
LONS = [46.70, 47.0318, 46.50, 46.90]


def _from_csv(frame, tmp_path, **kw):
    src = tmp_path / "rows.csv"
    frame.to_csv(src, index=False)
    return geomap.measure(path=str(src), **kw).frame


@pytest.mark.parametrize("index", [
    pd.Index([2, 0, 1, 3]),                                              # a frame sorted by a column
    pd.Index(["e7", "e1", "e1", "e3"], name="event"),                    # duplicate labels
    pd.MultiIndex.from_tuples([("a", 1), ("a", 2), ("b", 1), ("b", 2)]),  # a MultiIndex
])
def test_the_result_keeps_the_callers_index_so_columns_assigned_back_land_on_their_rows(index):
    """`df["distance_m"] = geomap.measure(df, ...).frame["distance_m"]` aligns on the index: the result's
    frame had a fresh 0..n-1 index, so a sorted frame got other rows' distances (a 288 m row was given
    30 km) and a frame indexed by event id got NaN or a reindexing error."""
    frame = pd.DataFrame({"date": DATES, "lat": LATS, "lon": LONS}, index=index)
    result = geomap.measure(frame, theatre="nagorno-karabakh")
    assert result.frame.index.equals(frame.index)
    assert frame.index.equals(index)  # the caller's frame is not changed
    expected = [geomap.distance_to_line(lon, lat, "nk-line-2020").distance_m[0] for lon, lat in zip(LONS, LATS)]
    if index.is_unique:
        assigned = frame.assign(distance_m=result.frame["distance_m"])["distance_m"].tolist()
        assert assigned == pytest.approx(expected, abs=1e-3)
    assert result.frame["distance_m"].tolist() == pytest.approx(expected, abs=1e-3)
    assert [r.nearest.distance_m for r in result.rows()] == pytest.approx(expected, abs=1e-3)


@pytest.mark.parametrize("lat, lon, statuses", [
    # True/False are not degrees: read as 1.0/0.0 they were measured 4,268 km from the line
    (pd.array([True, False, None, True], dtype="boolean"), LONS, ["invalid_coordinates", "invalid_coordinates",
                                                                   "missing_coordinates", "invalid_coordinates"]),
    (LATS, np.array([True, False, True, True]), ["invalid_coordinates"] * 4),
    # float32 holds 39.52 as 39.5200004577...: measured 0.05-0.1 m off the same row of a CSV ('39.52')
    (np.array(LATS, dtype="float32"), np.array(LONS, dtype="float32"), ["ok"] * 4),
    (pd.array(LATS, dtype="Float32"), LONS, ["ok"] * 4),
])
def test_typed_coordinate_columns_are_read_as_their_csv_is(tmp_path, lat, lon, statuses):
    frame = pd.DataFrame({"date": DATES, "lat": lat, "lon": lon})
    in_memory = geomap.measure(frame, theatre="nagorno-karabakh").frame
    from_file = _from_csv(frame, tmp_path, theatre="nagorno-karabakh")
    assert in_memory["status"].tolist() == from_file["status"].tolist() == statuses
    for column in ("distance_m", "nearest_lon", "nearest_lat", "distance_low_m", "distance_high_m"):
        assert in_memory[column].astype(str).tolist() == from_file[column].astype(str).tolist(), column


@pytest.mark.parametrize("columns, values", [
    (["lat", "lon", "lat", "date"], [39.52, 47.0318, 39.0, "2020-12-27"]),      # a second lat joined in
    (["latitude", "longitude", "longitude", "date"], [39.52, 47.0318, 46.2, "2020-12-27"]),
])
def test_two_columns_of_one_name_that_disagree_are_refused_in_a_frame_and_a_csv(tmp_path, columns, values):
    """A frame with two 'lat' columns failed with a raw ValueError ('Cannot construct a Series from a
    DataFrame'); its CSV ('lat', 'lat.1') was measured at the first one without a word."""
    from geomap.errors import InputError

    frame = pd.DataFrame([values, values], columns=columns)
    with pytest.raises(InputError, match="disagree"):
        geomap.measure(frame, theatre="nagorno-karabakh")
    with pytest.raises(InputError, match="disagree"):
        _from_csv(frame, tmp_path, theatre="nagorno-karabakh")
    agree = pd.DataFrame([[39.52, 47.0318, 39.52, "2020-12-27", "x"]], columns=["lat", "lon", "lat", "date", "x"])
    in_memory = geomap.measure(agree, theatre="nagorno-karabakh").frame
    assert in_memory["status"].tolist() == ["ok"] and list(in_memory.columns[:4]) == ["lat", "lon", "lat.1", "date"]
    assert list(agree.columns) == ["lat", "lon", "lat", "date", "x"]  # the caller's frame is not changed


@pytest.mark.parametrize("geometry", ["point", "polygon"])
def test_named_coordinate_columns_are_measured_even_beside_geometries(tmp_path, geometry):
    """lon_col='ex', lat_col='ey' (--lon-col/--lat-col) on features that have geometries were ignored without
    a word: the geometry (19.5 km from the line) was measured, not the named columns (0.29 km)."""
    import geopandas as gpd
    import shapely

    shape = shapely.Point(47.0318, 39.52) if geometry == "point" else shapely.box(47.0, 39.5, 47.05, 39.55)
    features = gpd.GeoDataFrame({"ex": [46.5, 46.7], "ey": [39.9, 39.3], "date": DATES[:2]},
                                geometry=[shape, shape], crs=4326)
    want = [geomap.distance_to_line(lon, lat, "nk-line-2020").distance_m[0] for lon, lat in ((46.5, 39.9), (46.7, 39.3))]
    in_memory = geomap.measure(features, layer="nk-line-2020", lon_col="ex", lat_col="ey").frame
    assert in_memory["distance_m"].tolist() == pytest.approx(want, abs=1e-3)
    src = tmp_path / "events.geojson"
    features.to_file(src)
    from_file = geomap.measure(path=str(src), layer="nk-line-2020", lon_col="ex", lat_col="ey").frame
    assert from_file["distance_m"].tolist() == pytest.approx(want, abs=1e-3)
    unnamed = geomap.measure(features, layer="nk-line-2020").frame  # without names the geometry is measured
    assert unnamed["distance_m"].tolist()[0] != pytest.approx(want[0], abs=1e-3)
