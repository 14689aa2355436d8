"""Event dates known only to a week or a month: measured only when one line is valid over the whole window.

ACLED codes an event whose day is not known with ``time_precision`` 2 (a week) or 3 (a month) and a nominal
day within it; UCDP GED with ``date_prec`` 2..5 (a few days .. a year) from ``date_start``.  These codes were
ignored: an event of "September 2020" coded 15 Sep was measured against the 1994 line, though the war began
on 27 Sep.  Such a row now gets ``date_spans_layers`` when its window spans a change of line.
"""

from __future__ import annotations

from geomap.pipeline.request import IncidentSource, LineChoice, Request
from geomap.pipeline.run import run

ACLED = [  # (event_date, time_precision, expected status)
    ("15 September 2020", "3", "date_spans_layers"),   # a month: 1994 line until 26 Sep, then the war
    ("15 September 2020", "1", "ok"),                  # the day itself
    ("22 September 2020", "2", "date_spans_layers"),   # a week: up to 6 days either side reaches 27 Sep
    ("10 September 2020", "2", "ok"),                  # a week well inside the 1994 line
    ("15 March 2021", "3", "ok"),                      # one line all month
    ("01 December 2020", "3", "no_layer_for_date"),    # nominal day has no line
    ("15 August 2023", "2.0", "ok"),                   # a code written with decimals
    ("15 September 2023", "3", "date_spans_layers"),   # the 2020 line ends 18 Sep 2023
    ("15 September 2020", "7", "invalid_date"),        # not an ACLED time precision: the day is not known
]

UCDP = [  # (date_start, date_end, date_prec, expected status)
    ("2020-09-20", "", "4", "date_spans_layers"),     # a month from 20 Sep, no end given
    ("2020-09-20", "", "1", "ok"),
    ("2020-09-24", "", "3", "date_spans_layers"),     # a week from 24 Sep
    ("2023-01-10", "", "5", "date_spans_layers"),     # up to a year: past the 2020 line's end (18 Sep 2023)
    ("2021-01-10", "", "5", "ok"),                    # a year inside the 2020 line
    ("2020-09-22", "2020-09-24", "3", "ok"),          # the range given wins over the code's width (a week: 28 Sep)
    ("2020-09-22", "2020-09-22", "3", "date_spans_layers"),  # an end on the start day: the code's width
]


def _run(path):
    return run(Request(IncidentSource(path=str(path)), LineChoice(theatre="nagorno-karabakh")))


def test_acled_time_precision_widens_the_day(tmp_path):
    path = tmp_path / "acled.csv"
    path.write_text("event_id_cnty,event_date,time_precision,latitude,longitude,geo_precision\n"
                    + "".join(f"AZE{i},{d},{p},39.8,46.75,1\n" for i, (d, p, _) in enumerate(ACLED)))
    frame = _run(path).frame
    assert list(frame["status"]) == [s for *_, s in ACLED]
    assert frame.loc[frame["status"] == "date_spans_layers", "distance_m"].isna().all()


def test_acled_without_time_precision_column_is_measured_by_its_day(tmp_path):
    path = tmp_path / "acled.csv"
    path.write_text("event_id_cnty,event_date,latitude,longitude,geo_precision\nAZE1,15 September 2020,39.8,46.75,1\n")
    assert list(_run(path).frame["status"]) == ["ok"]


def test_ucdp_date_prec_without_an_end(tmp_path):
    path = tmp_path / "ged.csv"
    path.write_text("id,year,date_start,date_end,latitude,longitude,where_prec,date_prec\n"
                    + "".join(f"{i},2020,{s},{e},39.8,46.75,1,{p}\n" for i, (s, e, p, _) in enumerate(UCDP)))
    assert list(_run(path).frame["status"]) == [s for *_, s in UCDP]


def test_ucdp_date_prec_without_an_end_column(tmp_path):
    path = tmp_path / "ged.csv"
    path.write_text("id,year,date_start,latitude,longitude,where_prec,date_prec\n"
                    "1,2020,2020-09-20,39.8,46.75,1,4\n2,2020,2020-09-20,39.8,46.75,1,1\n")
    assert list(_run(path).frame["status"]) == ["date_spans_layers", "ok"]
