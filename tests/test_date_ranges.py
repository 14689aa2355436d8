"""Events dated by a range (UCDP GED date_start..date_end): measured only against a line valid over the whole range.

UCDP codes an event whose day is not known with the first and last day it may have happened on.  Measuring
it against the line valid on date_start alone gave a confident distance to a line that may not have been
the line on the day it happened (an event of 20-30 Sep 2020 against the 1994 line, across the start of the
war on 27 Sep).  Found by the breaker4b review.
"""

from __future__ import annotations

import json

import pandas as pd
import pytest

from geomap.cli import main
from geomap.io.points import read_points
from geomap.pipeline.request import IncidentSource, LineChoice, Request
from geomap.pipeline.run import run

HEADER = "id,year,date_start,date_end,latitude,longitude,where_prec,date_prec\n"
ROWS = [  # (id, date_start, date_end, expected status)
    ("1", "2020-09-20 00:00:00.000", "2020-09-30 00:00:00.000", "date_spans_layers"),   # 1994 line, then war
    ("2", "2020-09-26", "2020-09-27", "date_spans_layers"),   # the last day of the 1994 line, or the first of the war
    ("3", "2023-09-10", "2023-09-25", "date_spans_layers"),   # the 2020 line ends on 18 Sep 2023
    ("4", "2021-01-01 00:00:00.000", "2021-01-31 00:00:00.000", "ok"),   # one line all month
    ("5", "2020-12-27", "", "ok"),                            # no end: the one day
    ("6", "2020-12-27", "2020-12-27", "ok"),
    ("7", "2020-12-27", "2020-12-20", "invalid_date"),        # ends before it starts
    ("8", "2020-12-27", "2021-02-30", "invalid_date"),        # no such day
    ("9", "1994-05-01", "1994-05-20", "no_layer_for_date"),   # starts before any line
    ("10", "1995-01-01", "2020-09-26", "ok"),                 # the whole life of the 1994 line
    ("11", "2020-12-10", "2020-12-20", "no_layer_for_date"),  # starts with no line (then the 2020 line)
]


def ucdp_csv(path):
    # date_prec 1 where the row is one day (a wider code there widens its day: see test_date_precision)
    path.write_text(HEADER + "".join(f"{i},2020,{s},{e},39.8,46.75,1,{1 if e in ('', s) else 4}\n"
                                     for i, s, e, _ in ROWS))
    return path


def test_rows_whose_date_range_spans_lines_are_not_measured(tmp_path):
    res = run(Request(IncidentSource(path=str(ucdp_csv(tmp_path / "ged.csv"))),
                      LineChoice(theatre="nagorno-karabakh")))
    frame = res.frame
    assert list(frame["status"]) == [want for *_, want in ROWS]
    spans = frame["status"] == "date_spans_layers"
    assert frame.loc[spans, "distance_m"].isna().all()
    assert sum(res.summary.values()) == len(ROWS) and res.summary["date_spans_layers"] == 3


def test_ucdp_api_json_with_ranges(tmp_path):
    records = [{"id": i, "date_start": s, "date_end": e or None, "latitude": 39.8, "longitude": 46.75,
                "where_prec": 1} for i, s, e, _ in ROWS]
    path = tmp_path / "ged.json"
    path.write_text(json.dumps({"TotalCount": len(records), "Result": records}))
    res = run(Request(IncidentSource(path=str(path)), LineChoice(theatre="nagorno-karabakh")))
    assert list(res.frame["status"]) == [want for *_, want in ROWS]


def test_cli_counts_the_spanning_rows(tmp_path, runner):
    out = tmp_path / "out.csv"
    result = runner.invoke(main, ["distance", str(ucdp_csv(tmp_path / "ged.csv")), "--theatre", "nagorno-karabakh",
                                  "-o", str(out)])
    assert result.exit_code == 1, result.output
    assert "date_spans_layers 3" in result.stderr and "11 rows" in result.stderr, result.stderr
    assert len(pd.read_csv(out, dtype=str)) == len(ROWS)


def test_one_layer_for_every_row_ignores_the_range(tmp_path):
    # --layer measures every row against the layer named, whatever the dates (a note counts rows outside it)
    res = run(Request(IncidentSource(path=str(ucdp_csv(tmp_path / "ged.csv"))), LineChoice(layer="nk-line-2020")))
    assert (res.frame["status"] == "ok").all()


def test_the_reader_keeps_each_rows_last_day(tmp_path):
    table = read_points(ucdp_csv(tmp_path / "ged.csv"))
    assert table.schema.date_end_col == "date_end"
    assert str(table.date_end[0]) == "2020-09-30" and str(table.date_end[4]) == "2020-12-27"


@pytest.mark.parametrize("engine", ["dask"])
def test_dask_engine_gives_the_same_statuses(tmp_path, runner, engine):
    pytest.importorskip("distributed")
    src = ucdp_csv(tmp_path / "ged.csv")
    local, dask = tmp_path / "local.csv", tmp_path / "dask.csv"
    assert runner.invoke(main, ["distance", str(src), "--theatre", "nagorno-karabakh", "-o", str(local)]).exit_code == 1
    result = runner.invoke(main, ["distance", str(src), "--theatre", "nagorno-karabakh", "--engine", engine,
                                  "-o", str(dask)])
    assert result.exit_code == 1, result.output
    assert dask.read_bytes() == local.read_bytes()
