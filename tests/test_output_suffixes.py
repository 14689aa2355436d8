"""-o names a format geomap does not write (a spreadsheet, a compressed file): refused, not filled with a text table.

``-o out.xlsx``, ``out.csv.gz`` and ``out.zip`` got the plain text table under a name that promises a spreadsheet
or an archive (exit 0).  Found by the breaker4b review.
"""

from __future__ import annotations

import pytest

from geomap.cli import main


@pytest.mark.parametrize("name", ["out.xlsx", "out.csv.gz", "out.json.zip", "out.XLS", "out.ods", "out.csv.bz2",
                                  "out.csv.xz", "out.csv.zst"])
def test_formats_geomap_does_not_write_are_refused(tmp_path, runner, name):
    src = tmp_path / "ev.csv"
    src.write_text("id,lon,lat\n1,46.75,39.8\n")
    for args in (["distance", str(src), "--layer", "nk-line-2020"], ["distance", "--at", "46.75,39.8", "--layer",
                                                                     "nk-line-2020"],
                 ["claim", "about 10 km"]):
        result = runner.invoke(main, [*args, "-o", str(tmp_path / name)])
        assert result.exit_code == 2, (args, result.output)
        assert "does not write" in result.stderr and len(result.stderr.strip().splitlines()) == 1, result.stderr
        assert not (tmp_path / name).exists()


def test_unknown_suffixes_still_get_the_text(tmp_path, runner):
    out = tmp_path / "out.result"
    result = runner.invoke(main, ["distance", "--at", "46.75,39.8", "--layer", "nk-line-2020", "-o", str(out)])
    assert result.exit_code == 0 and out.read_text().strip(), result.output
