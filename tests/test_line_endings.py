"""CSV with classic Mac line ends (CR only, Excel's "CSV (Macintosh)"): read by both engines, every row counted.

The local engine refused it with Python's csv message ("new-line character seen in unquoted field - do you need
to open the file in universal-newline mode?"); the Dask engine took the whole file for its header and wrote an
empty output, "0 rows", exit 0.  Found by the breaker4b review.
"""

from __future__ import annotations

import pandas as pd
import pytest

from geomap.cli import main

FILES = {
    "cr.csv": "id,lon,lat\r1,46.75,39.8\r2,46.8,39.85\r3,,\r",
    "cr_no_last.csv": "id,lon,lat\r1,46.75,39.8\r2,46.8,39.85\r3,,",
    "mac_excel.csv": ('event_id_cnty;event_date;latitude;longitude;geo_precision;notes\r'
                      'A1;27.12.2020;39,8;46,75;1;"two\rlines"\rA2;28.12.2020;39,85;46,8;2;x\rA3;29.12.2020;;;1;\r'),
    "crlf.csv": "id,lon,lat\r\n1,46.75,39.8\r\n2,46.8,39.85\r\n3,,\r\n",
    "mac_sep.csv": "sep=;\rid;lon;lat\r1;46,75;39,8\r2;46,8;39,85\r3;;\r",
    "bom_sep_crlf.csv": "\ufeffsep=;\r\nid;lon;lat\r\n1;46,75;39,8\r\n2;46,8;39,85\r\n3;;\r\n",
}


@pytest.mark.parametrize("name", sorted(FILES))
def test_every_line_end_is_read_by_both_engines(tmp_path, runner, name):
    pytest.importorskip("distributed")
    src = tmp_path / name
    src.write_bytes(FILES[name].encode())
    outs = {}
    for engine in ("local", "dask"):
        out = tmp_path / f"{engine}.csv"
        result = runner.invoke(main, ["distance", str(src), "--layer", "nk-line-2020", "--engine", engine,
                                      "-o", str(out)])
        assert result.exit_code == 1, (engine, result.output)
        assert "3 rows: missing_coordinates 1, ok 2" in result.stderr, (engine, result.stderr)
        outs[engine] = out.read_bytes()
    assert outs["local"] == outs["dask"]
    got = pd.read_csv(tmp_path / "local.csv", dtype=str, keep_default_na=False)
    assert list(got["status"]) == ["ok", "ok", "missing_coordinates"]


@pytest.mark.parametrize("text", ["id,lon,lat\r", "id,lon,lat", "id,lon,lat\n"])
def test_a_header_without_rows_is_refused_by_both_engines(tmp_path, runner, text):
    pytest.importorskip("distributed")
    src = tmp_path / "h.csv"
    src.write_bytes(text.encode())
    for engine in ("local", "dask"):
        result = runner.invoke(main, ["distance", str(src), "--layer", "nk-line-2020", "--engine", engine,
                                      "-o", str(tmp_path / "o.csv")])
        assert result.exit_code == 2 and "no data rows" in result.stderr, (engine, result.output)
