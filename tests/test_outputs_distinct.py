"""Two outputs of one command naming the same file: refused before any work, never one silently over the other.

``check --at ... -o r.md --report r.md`` wrote the result table, then the evidence record over it (exit 11, one
output lost).  Found by the breaker4b review.
"""

from __future__ import annotations

import os

import pytest

from geomap.cli import main

AT = ["--at", "46.75,39.8", "--layer", "nk-line-2020"]


def _invoke(runner, tmp_path, *args):
    cwd = os.getcwd()
    os.chdir(tmp_path)
    try:
        return runner.invoke(main, list(args))
    finally:
        os.chdir(cwd)


@pytest.mark.parametrize("args", [
    ["check", *AT, "--claim", "about 10 km", "-o", "r.md", "--report", "r.md"],
    ["check", *AT, "--claim", "about 10 km", "-o", "r.md", "--report", "./sub/../r.md"],
    ["check", *AT, "--claim", "about 10 km", "-o", "out.json", "--report", "out.json"],
])
def test_the_same_path_twice_is_refused(tmp_path, runner, args):
    (tmp_path / "sub").mkdir()
    (tmp_path / "r.md").write_text("before")
    result = _invoke(runner, tmp_path, *args)
    assert result.exit_code == 2, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "same file" in lines[0], result.stderr
    assert (tmp_path / "r.md").read_text() == "before"
    assert not (tmp_path / "out.json").exists()


def test_a_link_to_another_output_is_refused(tmp_path, runner):
    (tmp_path / "out.csv").write_text("before")
    os.symlink("out.csv", tmp_path / "map.html")
    src = tmp_path / "ev.csv"
    src.write_text("id,lon,lat\n1,46.75,39.8\n")
    result = _invoke(runner, tmp_path, "distance", "ev.csv", "--layer", "nk-line-2020", "-o", "out.csv",
                     "--html", "map.html")
    assert result.exit_code == 2 and "same file" in result.stderr, result.output
    assert (tmp_path / "out.csv").read_text() == "before"


def test_devices_may_take_several_outputs(tmp_path, runner):
    result = _invoke(runner, tmp_path, "check", *AT, "--claim", "about 10 km", "-o", "/dev/null",
                     "--report", "/dev/null")
    assert result.exit_code == 11, result.output
