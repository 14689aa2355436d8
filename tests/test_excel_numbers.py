"""Numbers as European spreadsheets write them: precision codes with a decimal comma.

A semicolon CSV from Excel in a decimal-comma locale writes a numeric precision column as ``2,0``; it was
``invalid_precision`` while ``2.0`` was read.  Found by the breaker4b review.
"""

from __future__ import annotations

import pytest

from geomap.io.points import read_points


@pytest.mark.parametrize(("header", "code", "radius"), [
    ("event_id_cnty;event_date;latitude;longitude;geo_precision", "2,0", 25_000.0),
    ("event_id_cnty;event_date;latitude;longitude;geo_precision", "1,00", 2_000.0),
    ("id;date_start;latitude;longitude;where_prec", "3,0", 50_000.0),
    ("id;date_start;latitude;longitude;where_prec", "4.00", 150_000.0),
])
def test_precision_codes_with_decimals(tmp_path, header, code, radius):
    path = tmp_path / "x.csv"
    path.write_text(f"{header}\nA1;2020-12-27;39,8;46,75;{code}\nA2;2020-12-27;39,8;46,75;2,5\n")
    table = read_points(path)
    assert list(table.status) == ["ok", "invalid_precision"]  # 2,5 is no code
    assert table.radius_m[0] == radius


def test_precision_codes_with_decimals_outside_arrow(tmp_path):
    import pandas as pd

    from geomap.io.columns import precision_radii
    from geomap.io.points import Schema

    radius, status = precision_radii(pd.Series(["2,0", "1.0", "3,00", "2,5", ""], dtype=object), Schema("acled"))
    assert list(status) == ["ok", "ok", "ok", "invalid_precision", "invalid_precision"]
    assert list(radius[:3]) == [25_000.0, 2_000.0, 100_000.0]
