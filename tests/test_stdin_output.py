"""Standard input redirected from a file is an input too: ``geomap distance - -o in.csv < in.csv`` is refused.

It replaced the input with the output (exit 0).  Found by the breaker4b review.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
ROWS = "id,lon,lat\n1,46.75,39.8\n2,46.8,39.85\n"


def _geomap(cwd, stdin_path, *args):
    with open(stdin_path, "rb") as fh:
        return subprocess.run([sys.executable, "-m", "geomap", *args], cwd=cwd, stdin=fh, capture_output=True,
                              text=True, timeout=120, env=dict(os.environ, PYTHONPATH=str(ROOT)))


@pytest.mark.parametrize("output", ["in.csv", "./in.csv", "link.csv", "hard.csv"])
def test_output_over_the_file_standard_input_reads_is_refused(tmp_path, output):
    src = tmp_path / "in.csv"
    src.write_text(ROWS)
    os.symlink("in.csv", tmp_path / "link.csv")
    os.link(src, tmp_path / "hard.csv")
    proc = _geomap(tmp_path, src, "distance", "-", "--layer", "nk-line-2020", "-o", output)
    assert proc.returncode == 2, (proc.stdout, proc.stderr)
    assert "refusing to write over the input" in proc.stderr and len(proc.stderr.strip().splitlines()) == 1
    assert src.read_text() == ROWS


def test_standard_input_from_another_file_still_writes(tmp_path):
    src = tmp_path / "in.csv"
    src.write_text(ROWS)
    proc = _geomap(tmp_path, src, "distance", "-", "--layer", "nk-line-2020", "-o", "out.csv")
    assert proc.returncode == 0, proc.stderr
    assert (tmp_path / "out.csv").read_text().count("\n") == 3 and src.read_text() == ROWS
