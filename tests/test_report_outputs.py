"""Two outputs of one command never go to one target: the second would overwrite or corrupt the first."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
AT = ["--at", "47.0318,39.52", "--layer", "nk-line-2020", "--claim", "dozens of km"]


def _run(args, cwd):
    return subprocess.run([sys.executable, "-m", "geomap", "check", *AT, *args], cwd=cwd, capture_output=True,
                          text=True, env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"})


@pytest.mark.parametrize("args", [
    ["--format", "json", "--report", "-"],              # JSON on stdout, then the Markdown: jq fails on it
    ["--format", "json", "--report", "/dev/stdout"],
    ["-o", "same.md", "--report", "same.md"],           # the table was overwritten by the record without a word
    ["-o", "same.md", "--report", "./sub/../same.md"],
])
def test_report_and_result_to_one_target_are_refused(tmp_path, args):
    (tmp_path / "sub").mkdir()
    proc = _run(args, tmp_path)
    assert proc.returncode == 2, proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and ("-o and --report both go to standard output" in lines[0]
                                or ("are the same file" in lines[0] and "-o " in lines[0] and "--report " in lines[0])), \
        proc.stderr
    assert proc.stdout == ""
    assert sorted(p.name for p in tmp_path.iterdir()) == ["sub"]


def test_report_to_stdout_alone_and_the_result_to_a_file_are_both_written(tmp_path):
    proc = _run(["--format", "json", "-o", "out.json", "--report", "-"], tmp_path)
    assert proc.returncode == 11, proc.stderr
    assert proc.stdout.startswith("# Distance claim: evidence record")
    assert json.loads((tmp_path / "out.json").read_text())["verdict"] == "inconclusive"
