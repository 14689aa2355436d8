"""Ctrl-C during ``geomap distance FILE --engine dask``: one line, status 130, no library log and no parts left."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest

from tests.test_outputs import LINE, ROOT, one_error_line, points_csv

pytest.importorskip("distributed")


@pytest.mark.slow
@pytest.mark.parametrize("group", [True, False])  # Ctrl-C in a terminal signals the workers too
def test_ctrl_c_while_dask_workers_measure_prints_one_line(tmp_path, group):
    """The workers' log ('distributed.worker.state_machine - WARNING - Async instruction for <Task
    cancelled ...> ended with CancelledError', twice) came before 'geomap: stopped by SIGINT': the
    worker processes did not get the quiet logging the parent sets for distributed."""
    import json

    (tmp_path / "line.geojson").write_text(json.dumps(LINE))
    src = points_csv(tmp_path / "many.csv", 1_500_000)
    out = tmp_path / "out.parquet"
    proc = subprocess.Popen([sys.executable, "-m", "geomap", "distance", str(src), "--engine", "dask", "--layer",
                             str(tmp_path / "line.geojson"), "-o", str(out), "-q"], stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, env=dict(os.environ, PYTHONPATH=str(ROOT)),
                            start_new_session=True)
    deadline = time.time() + 120
    parts = []
    while proc.poll() is None and time.time() < deadline and not parts:  # the workers have begun to write
        parts = [p for d in tmp_path.glob(".out.parquet.parts.*") for p in d.iterdir()]
        time.sleep(0.02)
    assert proc.poll() is None, "the run finished before the workers were seen at work"
    if group:
        os.killpg(proc.pid, signal.SIGINT)
    else:
        proc.send_signal(signal.SIGINT)
    err = proc.stderr.read().decode()
    assert proc.wait(120) == 130, err
    assert one_error_line(err) == "geomap: stopped by SIGINT"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["line.geojson", "many.csv"]
