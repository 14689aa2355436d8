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
