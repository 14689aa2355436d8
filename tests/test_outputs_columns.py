"""Input columns that a GeoPackage reserves (its FID ``fid``, its geometry ``geom``) reach a .gpkg output renamed.

A CSV exported from QGIS keeps the GeoPackage's ``fid``; ``-o out.gpkg`` then failed after the whole run with a
pyogrio FieldError traceback (exit 1, no output).  Found by the breaker4b review.
"""

from __future__ import annotations

import pytest

from geomap.cli import main


@pytest.mark.parametrize(("header", "renamed"), [
    ("fid", "input_fid"), ("FID", "input_FID"), ("geom", "input_geom"), ("Fid", "input_Fid"),
])
@pytest.mark.parametrize("engine", ["local", "dask"])
def test_reserved_gpkg_columns_are_renamed(tmp_path, runner, header, renamed, engine):
    if engine == "dask":
        pytest.importorskip("distributed")
    import pyogrio

    src = tmp_path / "ev.csv"
    src.write_text(f"{header},lon,lat\nabc,46.75,39.8\n7,46.8,39.85\n")
    out = tmp_path / "out.gpkg"
    result = runner.invoke(main, ["distance", str(src), "--layer", "nk-line-2020", "--engine", engine, "-o", str(out)])
    assert result.exit_code == 0, result.output
    got = pyogrio.read_dataframe(out)
    assert got[renamed].tolist() == ["abc", "7"] and got["status"].tolist() == ["ok", "ok"]


@pytest.mark.parametrize(("header", "renamed"), [("Status", "input_Status"), ("Name,name", "input_Name"),
                                                 ("DISTANCE_M", "input_DISTANCE_M")])
def test_names_that_differ_only_in_case_are_renamed_in_gpkg(tmp_path, runner, header, renamed):
    import pyogrio

    values = ",".join(["v"] * (header.count(",") + 1))
    src = tmp_path / "ev.csv"
    src.write_text(f"{header},lon,lat\n{values},46.75,39.8\n")
    out = tmp_path / "out.gpkg"
    result = runner.invoke(main, ["distance", str(src), "--layer", "nk-line-2020", "-o", str(out)])
    assert result.exit_code == 0, result.output
    got = pyogrio.read_dataframe(out)
    assert got[renamed].tolist() == ["v"] and got["status"].tolist() == ["ok"]
    assert got["distance_m"].notna().all()


NESTED = [({"tags": ["a", "b"], "meta": {"k": 1}, "mixed": 1, "flag": True},
           {"tags": None, "meta": {"k": [1, "é"]}, "mixed": "x", "flag": 3})]


@pytest.mark.parametrize("suffix", [".parquet", ".gpkg", ".geojson", ".csv"])
@pytest.mark.parametrize("shape", ["geojson", "acled_api"])
def test_nested_and_mixed_values_reach_every_output(tmp_path, runner, suffix, shape):
    # lists/objects and a property that is 1 in one feature and "x" in another made -o .parquet end in an
    # ArrowInvalid traceback with no output, and reached CSV/GPKG as Python reprs ({'k': 1})
    import json

    import pandas as pd
    import pyogrio

    first, second = NESTED[0]
    if shape == "geojson":
        data = {"type": "FeatureCollection", "features": [
            {"type": "Feature", "properties": dict(p, id=i),
             "geometry": {"type": "Point", "coordinates": [46.75, 39.8]}} for i, p in enumerate((first, second))]}
    else:
        data = {"status": 200, "success": True, "data": [
            dict(p, event_id_cnty=f"A{i}", event_date="2020-12-27", latitude="39.8", longitude="46.75",
                 geo_precision="1") for i, p in enumerate((first, second))]}
    src = tmp_path / "in.json"
    src.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    out = tmp_path / f"out{suffix}"
    result = runner.invoke(main, ["distance", str(src), "--layer", "nk-line-2020", "-o", str(out)])
    assert result.exit_code == 0, result.output
    if suffix == ".parquet":
        got = pd.read_parquet(out)
    elif suffix == ".csv":
        got = pd.read_csv(out, dtype=str, keep_default_na=False)
    else:
        got = pyogrio.read_dataframe(out)
    def value(v):  # GDAL's GeoJSON writer turns JSON text back into arrays and objects
        return v if isinstance(v, dict) else v.tolist() if hasattr(v, "tolist") else json.loads(v)

    assert value(got["meta"].iloc[0]) == {"k": 1} and value(got["meta"].iloc[1]) == {"k": [1, "é"]}
    assert value(got["tags"].iloc[0]) == ["a", "b"]
    assert [str(v) for v in got["mixed"]] == ["1", "x"] and list(got["status"]) == ["ok", "ok"]


def _typed_parquet(path, geo: bool):
    import datetime
    import decimal

    import pyarrow as pa
    import pyarrow.parquet as pq

    table = pa.table({
        "lon": [46.75, 46.8], "lat": [39.8, 39.85],
        "tags": pa.array([["a", "b"], None]), "names": pa.array([{"primary": "Şuşa"}, {"primary": None}]),
        "price": pa.array([decimal.Decimal("1.50"), None], pa.decimal128(5, 2)),
        "wait": pa.array([1, 2], pa.duration("s")), "raw": pa.array([b"\x00\x01", b"x"]),
        "kind": pa.array(["x", "y"]).dictionary_encode(), "day": pa.array([datetime.date(2020, 12, 27), None]),
    })
    if geo:
        import geopandas as gpd
        from shapely.geometry import Point

        frame = table.drop(["lon", "lat"]).to_pandas()
        gpd.GeoDataFrame(frame, geometry=[Point(46.75, 39.8), Point(46.8, 39.85)], crs=4326).to_parquet(path)
    else:
        pq.write_table(table, path)
    return path


@pytest.mark.parametrize("suffix", [".csv", ".gpkg", ".geojson", ".parquet"])
@pytest.mark.parametrize("geo", [False, True])
def test_parquet_columns_of_any_type_reach_every_output(tmp_path, runner, suffix, geo):
    # a duration column made -o .gpkg/.geojson fail, a list column -o .csv (NotImplementedError / ArrowInvalid
    # traceback after the whole run, no output)
    import json

    import pandas as pd
    import pyogrio

    src = _typed_parquet(tmp_path / "in.parquet", geo)
    out = tmp_path / f"out{suffix}"
    result = runner.invoke(main, ["distance", str(src), "--layer", "nk-line-2020", "-o", str(out)])
    assert result.exit_code == 0, result.output
    got = (pd.read_parquet(out) if suffix == ".parquet" else pd.read_csv(out, dtype=str, keep_default_na=False)
           if suffix == ".csv" else pyogrio.read_dataframe(out))
    names = got["names"].iloc[0]
    assert (names if isinstance(names, dict) else json.loads(names)) == {"primary": "Şuşa"}
    assert str(got["price"].iloc[0]) == "1.50" and str(got["raw"].iloc[0]) == "0001"
    assert list(got["kind"]) == ["x", "y"] and list(got["status"]) == ["ok", "ok"]


def test_dask_reads_typed_parquet_like_local(tmp_path, runner):
    pytest.importorskip("distributed")
    src = _typed_parquet(tmp_path / "in.parquet", geo=False)
    outs = []
    for engine in ("local", "dask"):
        out = tmp_path / f"{engine}.csv"
        result = runner.invoke(main, ["distance", str(src), "--layer", "nk-line-2020", "--engine", engine,
                                      "-o", str(out)])
        assert result.exit_code == 0, result.output
        outs.append(out.read_bytes())
    assert outs[0] == outs[1]
