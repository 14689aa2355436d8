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
