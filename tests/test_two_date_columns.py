"""Two date columns that disagree (a report date and an incident date): refused with --theatre, naming --date-col.

A file with ``date`` and ``incident_date`` was measured as of ``date`` (the first of the default names) without
a word: the line of the wrong day.  Found by the breaker4b review.
"""

from __future__ import annotations

import pytest

from geomap.cli import main


@pytest.mark.parametrize("header", ["date,incident_date", "day,event_date", "date_start,date", "Date,Day"])
@pytest.mark.parametrize("engine", ["local", "dask"])
def test_disagreeing_date_columns_are_refused(tmp_path, runner, header, engine):
    if engine == "dask":
        pytest.importorskip("distributed")
    src = tmp_path / "ev.csv"
    src.write_text(f"id,lon,lat,{header}\n1,46.75,39.8,2020-12-28,2020-12-28\n2,46.75,39.8,2020-12-28,2020-10-20\n")
    result = runner.invoke(main, ["distance", str(src), "--theatre", "nagorno-karabakh", "--engine", engine,
                                  "-o", str(tmp_path / "out.csv")])
    assert result.exit_code == 2, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "--date-col" in lines[0] and "disagree" in lines[0], result.stderr
    first, second = header.split(",")
    result = runner.invoke(main, ["distance", str(src), "--theatre", "nagorno-karabakh", "--engine", engine,
                                  "--date-col", second, "-o", str(tmp_path / "out.csv")])
    assert result.exit_code == 1 and "no_layer_for_date 1" in result.stderr, result.output


def test_agreeing_date_columns_and_one_layer_are_read(tmp_path, runner):
    src = tmp_path / "ev.csv"
    src.write_text("id,lon,lat,date,incident_date\n1,46.75,39.8,2020-12-28,2020-12-28\n2,46.75,39.8,,2020-12-29\n")
    result = runner.invoke(main, ["distance", str(src), "--theatre", "nagorno-karabakh", "--format", "csv"])
    assert result.exit_code == 1 and "missing_date 1, ok 1" in result.stderr, result.output
    src.write_text("id,lon,lat,date,incident_date\n1,46.75,39.8,2020-12-28,2020-09-20\n")
    result = runner.invoke(main, ["distance", str(src), "--layer", "nk-line-2020", "--format", "csv"])
    assert result.exit_code == 0, result.output  # --layer measures every row against one line: dates unused
