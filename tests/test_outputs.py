"""Outputs (issue 15): devices written through, stdout checked, inputs guarded, one-line write errors,
precision, finite numbers.  The slow ones (mounts, signals, fault injection) are in test_outputs_faults.py.
"""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from geomap.cli import main

ROOT = Path(__file__).resolve().parents[1]
AT = "47.0318,39.5200"  # Fuzuli, near the 2020 line
LINE = {"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {"name": "test line"},
        "geometry": {"type": "LineString", "coordinates": [[46.5, 39.5], [47.0, 39.8], [47.5, 39.6]]}}]}
AREA = {"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {"name": "box"},
        "geometry": {"type": "Polygon", "coordinates": [[[46, 39], [48, 39], [48, 40.5], [46, 40.5], [46, 39]]]}}]}


def geomap(*args, cwd, stdout=subprocess.PIPE, env=None, **kw):
    """Run the real CLI (``python -m geomap``) in a subprocess."""
    full_env = dict(os.environ, PYTHONPATH=str(ROOT), **(env or {}))
    return subprocess.run([sys.executable, "-m", "geomap", *map(str, args)], cwd=cwd, stdout=stdout,
                          stderr=subprocess.PIPE, env=full_env, **kw)


def points_csv(path: Path, n: int, seed: int = 3) -> Path:
    """``n`` seeded points around the test line (lon, lat with 6 decimals)."""
    import numpy as np

    rng = np.random.default_rng(seed)
    lon = rng.uniform(46.5, 47.5, n)
    lat = rng.uniform(39.3, 40.0, n)
    with open(path, "w", encoding="utf-8") as fh:
        fh.write("id,lon,lat,note\n")
        for i in range(n):
            fh.write(f"{i},{lon[i]:.6f},{lat[i]:.6f},\"row {i}, text\"\n")
    return path


@pytest.fixture
def work(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "line.geojson").write_text(json.dumps(LINE))
    points_csv(tmp_path / "p.csv", 50)
    return tmp_path


def one_error_line(stderr: str | bytes) -> str:
    text = stderr.decode() if isinstance(stderr, bytes) else stderr
    lines = [line for line in text.splitlines() if line.strip()]
    assert len(lines) == 1, text
    assert "Traceback" not in text
    return lines[0]


# ----------------------------------------------------------------- 1. targets that are not regular files
needs_root = pytest.mark.skipif(os.geteuid() != 0, reason="mknod needs root")


@needs_root
@pytest.mark.parametrize("name, args", [
    ("dev", ["distance", "--at", AT, "--layer", "line.geojson", "--format", "json"]),
    ("dev.csv", ["distance", "p.csv", "--layer", "line.geojson"]),
    ("dev.gpkg", ["distance", "p.csv", "--layer", "line.geojson"]),
    ("dev.html", ["map", "--at", AT, "--layer", "line.geojson"]),
    ("dev.json", ["claim", "within 5 km", "--format", "json"]),
])
def test_a_character_device_is_written_through_never_replaced(work, name, args):
    node = work / name
    os.mknod(node, 0o666 | stat.S_IFCHR, os.makedev(1, 3))  # our own /dev/null
    proc = geomap(*args, "-o", node, "-q", cwd=work)
    assert proc.returncode == 0, proc.stderr
    st = os.stat(node)
    assert stat.S_ISCHR(st.st_mode) and st.st_rdev == os.makedev(1, 3)
    assert sorted(p.name for p in work.iterdir()) == sorted(["line.geojson", "p.csv", name])


@pytest.mark.parametrize("name, args", [
    ("fifo.csv", ["distance", "p.csv", "--layer", "line.geojson"]),
    ("fifo.parquet", ["distance", "p.csv", "--layer", "line.geojson"]),
    ("fifo", ["distance", "--at", AT, "--layer", "line.geojson", "--format", "csv"]),
])
def test_a_fifo_receives_the_output_and_stays_a_fifo(work, name, args):
    fifo = work / name
    os.mkfifo(fifo)
    got = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_bytes()), daemon=True)
    reader.start()
    proc = geomap(*args, "-o", fifo, "-q", cwd=work, timeout=300)
    reader.join(60)
    assert proc.returncode == 0, proc.stderr
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)
    data = got[0]
    if name.endswith(".parquet"):
        assert data[:4] == b"PAR1" and data[-4:] == b"PAR1"
    else:
        import csv
        import io

        rows = list(csv.DictReader(io.StringIO(data.decode())))
        assert len(rows) == (50 if name == "fifo.csv" else 1)
        assert all(float(row["distance_m"]) >= 0 for row in rows)


def test_dev_stdout_writes_to_the_stream_in_its_mode(work):
    """``-o /dev/stdout`` with stdout appended to a file: the file is kept and extended, /dev/stdout untouched."""
    before = os.lstat("/dev/stdout")
    log = work / "log.txt"
    log.write_text("kept line\n")
    with open(log, "ab") as fh:
        proc = geomap("distance", "p.csv", "--layer", "line.geojson", "-o", "/dev/stdout", "--format", "csv", "-q",
                      cwd=work, stdout=fh)
    assert proc.returncode == 0, proc.stderr
    lines = log.read_text().splitlines()
    assert lines[0] == "kept line" and lines[1].startswith("id,lon,lat") and len(lines) == 52
    after = os.lstat("/dev/stdout")
    assert (after.st_mode, after.st_ino) == (before.st_mode, before.st_ino)


# ----------------------------------------------------------------- 2. standard output is checked
@pytest.mark.parametrize("args", [
    ["distance", "p.csv", "--layer", "line.geojson", "--format", "csv"],
    ["distance", "p.csv", "--layer", "line.geojson", "--format", "geojson"],
    ["distance", "--at", AT, "--layer", "line.geojson", "--format", "json"],
    ["claim", "dozens of kilometres", "--format", "json"],
    ["layers", "list"],
])
def test_a_full_stdout_is_one_line_and_exit_2_and_no_summary(work, args):
    with open("/dev/full", "wb") as full:
        proc = geomap(*args, cwd=work, stdout=full)
    line = one_error_line(proc.stderr)
    assert proc.returncode == 2
    assert line.startswith("Error: cannot write standard output: No space left on device"), line
    assert "rows:" not in proc.stderr.decode()  # the summary never claims rows it did not deliver


@pytest.mark.parametrize("unbuffered", ["", "1"])
def test_a_closed_pipe_ends_quietly(work, unbuffered):
    points_csv(work / "many.csv", 4000)
    env = {"PYTHONUNBUFFERED": unbuffered} if unbuffered else {}
    env_full = dict(os.environ, PYTHONPATH=str(ROOT), **env)
    if not unbuffered:
        env_full.pop("PYTHONUNBUFFERED", None)
    proc = subprocess.Popen([sys.executable, "-m", "geomap", "distance", "many.csv", "--layer", "line.geojson",
                             "--format", "csv", "-q"], cwd=work, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            env=env_full)
    first = proc.stdout.read(100)
    proc.stdout.close()  # what `| head` does
    err = proc.stderr.read()
    assert proc.wait(300) == 141
    assert first.startswith(b"id,lon,lat")
    assert err == b""


def test_unbuffered_stdout_delivers_every_byte(work):
    """A raw stdout (PYTHONUNBUFFERED) takes part of a large write; the rest must follow."""
    points_csv(work / "many.csv", 4000)
    a = geomap("distance", "many.csv", "--layer", "line.geojson", "--format", "csv", "-q", cwd=work,
               env={"PYTHONUNBUFFERED": "1"})
    assert a.returncode == 0
    assert len(a.stdout.decode().splitlines()) == 4001


# ----------------------------------------------------------------- 3. every input is guarded
def _gazetteer(path: Path) -> Path:
    path.write_text("name,lon,lat,uncertainty_m\nObservation Post 7,46.81,39.72,100\n", encoding="utf-8")
    return path


@pytest.mark.parametrize("case", ["gazetteer-distance", "gazetteer-geocode", "gazetteer-check", "lexicon-claim",
                                  "lexicon-check", "within-geocode", "within-distance", "layer-hardlink",
                                  "points-symlink", "layer-html", "lexicon-report"])
def test_no_output_overwrites_an_input(work, runner, case):
    gaz = _gazetteer(work / "g.csv")
    lex = work / "lex.json"
    lex.write_bytes((ROOT / "geomap" / "claims" / "data" / "en.json").read_bytes())
    within = work / "w.geojson"
    within.write_text(json.dumps(AREA))
    place = ["--place", "Observation Post 7", "--gazetteer", str(gaz)]
    layer = ["--layer", str(work / "line.geojson")]
    claim = ["--claim", "within 50 km"]
    os.link(work / "line.geojson", work / "line-link.geojson")
    os.symlink(work / "p.csv", work / "p-link.csv")
    cases = {
        "gazetteer-distance": (gaz, ["distance", *place, *layer, "-o", str(gaz)]),
        "gazetteer-geocode": (gaz, ["geocode", "Observation Post 7", "--gazetteer", str(gaz), "-o", str(gaz)]),
        "gazetteer-check": (gaz, ["check", *place, *layer, *claim, "-o", str(gaz)]),
        "lexicon-claim": (lex, ["claim", "within 5 km", "--lexicon", str(lex), "-o", str(lex)]),
        "lexicon-check": (lex, ["check", "--at", AT, *layer, *claim, "--lexicon", str(lex), "-o", str(lex)]),
        "lexicon-report": (lex, ["check", "--at", AT, *layer, *claim, "--lexicon", str(lex), "--report", str(lex)]),
        "within-geocode": (within, ["geocode", "Observation Post 7", "--gazetteer", str(gaz), "--within",
                                    str(within), "-o", str(within)]),
        "within-distance": (within, ["distance", *place, "--within", str(within), *layer, "-o", str(within)]),
        "layer-hardlink": (work / "line.geojson", ["distance", "--at", AT, *layer, "-o",
                                                   str(work / "line-link.geojson")]),
        "points-symlink": (work / "p.csv", ["distance", str(work / "p.csv"), *layer, "-o", str(work / "p-link.csv")]),
        "layer-html": (work / "line.geojson", ["distance", "--at", AT, *layer, "--html",
                                               str(work / "line-link.geojson")]),
    }
    victim, args = cases[case]
    if case == "layer-html":
        args[-1] = str(work / "line.html")
        os.symlink(work / "line.geojson", work / "line.html")
    before = victim.read_bytes()
    result = runner.invoke(main, args)
    assert result.exit_code == 2, result.output
    assert isinstance(result.exception, SystemExit)
    assert "refusing to write over the input" in one_error_line(result.stderr)
    assert victim.read_bytes() == before


# ----------------------------------------------------------------- 4. write failures: one line, exit 2
OUTPUT_KINDS = {
    "distance -o": lambda target: ["distance", "--at", AT, "--layer", "line.geojson", "-o", target],
    "batch -o": lambda target: ["distance", "p.csv", "--layer", "line.geojson", "-o", target + ".parquet"],
    "--html": lambda target: ["distance", "--at", AT, "--layer", "line.geojson", "--html", target + ".html"],
    "--png": lambda target: ["distance", "--at", AT, "--layer", "line.geojson", "--png", target + ".png"],
    "--report": lambda target: ["check", "--at", AT, "--layer", "line.geojson", "--claim", "within 50 km",
                                "--report", target],
    "map -o": lambda target: ["map", "--at", AT, "--layer", "line.geojson", "-o", target + ".html"],
    "claim -o": lambda target: ["claim", "within 5 km", "-o", target],
    "geocode -o": lambda target: ["geocode", "Shusha", "-o", target],
    "derive-line -o": lambda target: ["layers", "derive-line", "box.geojson", "--border", "none", "--land", "none",
                                      "-o", target],
}


def _bad_target(work: Path, why: str) -> str:
    if why == "a folder":
        (work / "folder.html").mkdir()
        (work / "folder.png").mkdir()
        (work / "folder.parquet").mkdir()
        (work / "folder").mkdir()
        return str(work / "folder")
    if why == "missing folder":
        return str(work / "no" / "such" / "out")
    if why == "name too long":
        return str(work / ("n" * 300))
    if why == "parent is a file":
        return str(work / "p.csv" / "out")
    raise AssertionError(why)


@pytest.mark.parametrize("why", ["a folder", "missing folder", "name too long", "parent is a file"])
@pytest.mark.parametrize("kind", sorted(OUTPUT_KINDS))
def test_a_write_failure_is_one_line_and_exit_2(work, kind, why):
    (work / "box.geojson").write_text(json.dumps(AREA))
    target = _bad_target(work, why)
    before = sorted(p.name for p in work.rglob("*"))
    proc = geomap(*OUTPUT_KINDS[kind](target), cwd=work)
    line = one_error_line(proc.stderr)
    assert proc.returncode == 2, proc.stderr
    assert line.startswith("Error: cannot write "), line
    assert sorted(p.name for p in work.rglob("*")) == before


# ----------------------------------------------------------------- 7. precision of machine-readable outputs
def _exact(lon, lat, lines):
    from geomap.layers.distance import distance_to_line
    import numpy as np

    return distance_to_line(lon=np.asarray(lon, float), lat=np.asarray(lat, float), lines=lines)


@pytest.mark.parametrize("suffix", [".csv", ".geojson", ".gpkg", ".parquet", "-stdout.csv", "-stdout.json"])
def test_batch_outputs_give_coordinates_to_1e_8_degree_and_distances_to_1_mm(work, runner, suffix):
    import geopandas as gpd
    import numpy as np
    import pandas as pd

    from geomap.layers.lineset import read_lines

    out = work / f"out{suffix}"
    if suffix.startswith("-stdout"):
        fmt = suffix.rsplit(".", 1)[1]
        proc = geomap("distance", "p.csv", "--layer", "line.geojson", "--format", fmt, "-q", cwd=work)
        assert proc.returncode == 0
        out.write_bytes(proc.stdout)
        frame = pd.read_csv(out) if fmt == "csv" else pd.DataFrame(json.loads(proc.stdout))
    else:
        proc = geomap("distance", "p.csv", "--layer", "line.geojson", "-o", out, "-q", cwd=work)
        assert proc.returncode == 0, proc.stderr
        frame = pd.read_csv(out) if suffix == ".csv" else pd.DataFrame(gpd.read_file(out) if suffix != ".parquet"
                                                                       else gpd.read_parquet(out))
    frame = frame.sort_values("id")
    res = _exact(frame["lon"], frame["lat"], read_lines(str(work / "line.geojson")))
    assert np.abs(frame["nearest_lon"].to_numpy(float) - res.nearest_lon).max() <= 1e-8
    assert np.abs(frame["nearest_lat"].to_numpy(float) - res.nearest_lat).max() <= 1e-8
    assert np.abs(frame["distance_m"].to_numpy(float) - res.distance_m).max() <= 0.0005 + 1e-9


@pytest.mark.parametrize("fmt", ["json", "csv", "geojson"])
def test_point_outputs_give_coordinates_to_1e_8_degree(work, runner, fmt):
    from geomap.layers.lineset import read_lines

    at = "46.987654321,39.612345678"
    result = runner.invoke(main, ["distance", "--at", at, "--layer", "line.geojson", "--format", fmt])
    assert result.exit_code == 0, result.output
    if fmt == "json":
        rec = json.loads(result.stdout)
        got = (rec["nearest_lon"], rec["nearest_lat"], rec["distance_m"], rec["incident"]["lon"])
    elif fmt == "csv":
        import csv
        import io

        rec = next(csv.DictReader(io.StringIO(result.stdout)))
        got = (float(rec["nearest_lon"]), float(rec["nearest_lat"]), float(rec["distance_m"]),
               float(rec["incident_lon"]))
    else:
        props = json.loads(result.stdout)["features"][0]["properties"]
        got = (props["nearest_lon"], props["nearest_lat"], props["distance_m"], props["incident_lon"])
    res = _exact([46.987654321], [39.612345678], read_lines(str(work / "line.geojson")))
    assert abs(got[0] - res.nearest_lon[0]) <= 1e-8 and abs(got[1] - res.nearest_lat[0]) <= 1e-8
    assert abs(got[2] - res.distance_m[0]) <= 0.0005 + 1e-9
    assert abs(got[3] - 46.987654321) <= 1e-8


# ----------------------------------------------------------------- 9. numbers that cannot be misread
@pytest.mark.parametrize("value", ["nan", "NaN", "inf", "-inf", "Infinity", "1e999"])
@pytest.mark.parametrize("args", [
    ["distance", "--at", AT, "--layer", "line.geojson", "--radius-m"],
    ["check", "--at", AT, "--layer", "line.geojson", "--claim", "within 5 km", "--radius-m"],
    ["map", "--at", AT, "--layer", "line.geojson", "-o", "m.html", "--radius-m"],
    ["layers", "derive-line", "box.geojson", "-o", "d.geojson", "--tolerance-m"],
    ["claim", "--min-km"],
])
def test_non_finite_numbers_are_refused_at_parse_time(work, runner, args, value):
    result = runner.invoke(main, [*args, value])
    assert result.exit_code == 2, result.output
    assert isinstance(result.exception, SystemExit)
    assert "is not a finite number" in one_error_line(result.stderr)
    assert not (work / "m.html").exists()


# ----------------------------------------------------------------- 6. nothing private in what users publish
@pytest.mark.parametrize("what", ["json", "csv", "geojson", "--html", "--report", "batch.csv", "batch.geojson",
                                  "batch-json"])
def test_published_outputs_carry_no_absolute_local_path(work, what):
    """A user's layer is named by its file name and sha256, never by the folder it sits in."""
    layer = str(work / "line.geojson")
    base = ["check", "--at", AT, "--layer", layer, "--claim", "within 50 km"]
    batch = ["distance", str(work / "p.csv"), "--layer", layer, "-q"]
    out = work / "out"
    if what in ("json", "csv", "geojson"):
        proc = geomap(*base, "--format", what, cwd=work)
        text = proc.stdout.decode()
    elif what == "batch-json":
        proc = geomap(*batch, "--format", "json", cwd=work)
        text = proc.stdout.decode()
    elif what.startswith("batch."):
        target = out.with_suffix("." + what.split(".")[1])
        proc = geomap(*batch, "-o", target, cwd=work)
        text = target.read_text()
    else:
        target = out.with_suffix(".html" if what == "--html" else ".md")
        proc = geomap(*base, what, target, "-q", cwd=work)
        text = target.read_text()
    assert proc.returncode == 0, proc.stderr
    assert "line.geojson" in text
    assert str(work) not in text and str(work.parent) not in text


# ----------------------------------------------------------------- the writer itself (library level)
def test_open_output_replaces_a_symlinks_target_keeps_the_link_and_the_mode(tmp_path):
    from geomap.io.write import write_atomic

    real = tmp_path / "real.txt"
    real.write_text("old\n")
    os.chmod(real, 0o640)
    link = tmp_path / "link.txt"
    link.symlink_to(real)
    write_atomic(link, "new\n")
    assert link.is_symlink() and real.read_text() == "new\n"
    assert stat.S_IMODE(os.stat(real).st_mode) == 0o640
    assert sorted(p.name for p in tmp_path.iterdir()) == ["link.txt", "real.txt"]


@pytest.mark.parametrize("fallback", ["no O_TMPFILE", "no linkat", "no link at all"])
def test_every_way_of_naming_the_temporary_file_gives_the_same_file(tmp_path, monkeypatch, fallback):
    from geomap.errors import OutputError
    from geomap.io import write

    if fallback == "no O_TMPFILE":
        monkeypatch.delattr(os, "O_TMPFILE", raising=False)
    else:
        def refuse(*args, **kwargs):
            raise OSError(1, "refused by the test")

        monkeypatch.setattr(write, "_linkat_empty_path", refuse)
        if fallback == "no link at all":
            monkeypatch.setattr(os, "link", refuse)
    out = tmp_path / "o.bin"
    out.write_bytes(b"previous")
    data = os.urandom(3_000_000)
    write.write_atomic(out, data)
    assert out.read_bytes() == data
    with pytest.raises(OutputError, match=r"cannot write .*o.bin: boom"):
        with write.open_output(out) as fh:
            fh.write(b"partial")
            raise OSError(5, "boom")
    assert out.read_bytes() == data
    assert [p.name for p in tmp_path.iterdir()] == ["o.bin"]


def test_atomic_path_removes_its_temporary_file_and_journal_on_failure(tmp_path):
    from geomap.io.write import atomic_path

    out = tmp_path / "o.gpkg"
    with pytest.raises(RuntimeError):
        with atomic_path(out) as tmp:
            tmp.write_bytes(b"x")
            Path(str(tmp) + "-journal").write_bytes(b"j")
            raise RuntimeError("stop")
    assert list(tmp_path.iterdir()) == []
    with atomic_path(out) as tmp:
        tmp.write_bytes(b"done")
    assert out.read_bytes() == b"done" and [p.name for p in tmp_path.iterdir()] == ["o.gpkg"]


def test_the_writer_imports_nothing_above_it():
    """geomap.io.write and geomap.io.tables import only the standard library, errors, stop and each other."""
    import ast

    for name in ("write.py", "tables.py", "text.py"):
        tree = ast.parse((ROOT / "geomap" / "io" / name).read_text())
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("geomap"):
                allowed = ("geomap.errors", "geomap.stop", "geomap.io.write", "geomap.io.text")
                assert node.module in allowed, (name, node.module)
            if isinstance(node, ast.Import):
                assert not any(a.name.startswith("geomap") for a in node.names), name


@pytest.mark.parametrize("args, name", [
    (["distance", "--at", AT], "out.gpkg"),          # a point's text table is not a GeoPackage
    (["distance", "--at", AT], "out.parquet"),
    (["check", "--at", AT, "--claim", "about 10 km"], "out.html"),   # nor a map
    (["distance", "p.csv"], "out.shp"),              # a FILE's rows: no Shapefile writer
    (["distance", "p.csv"], "out.kml"),
    (["distance", "p.csv"], "out.html"),
    (["distance", "p.csv"], "out.png"),
    (["check", "p.csv", "--claim", "about 10 km"], "out.fgb"),
])
def test_an_output_suffix_geomap_cannot_write_is_refused_not_filled_with_a_text_table(work, args, name):
    """-o NAME whose suffix names a format geomap does not write that way is one line and exit 2, before any work."""
    r = geomap(*args, "--layer", "line.geojson", "-o", name, cwd=work)
    assert r.returncode == 2, (r.returncode, r.stderr)
    line = one_error_line(r.stderr)
    assert name in line and ".csv" in line, line
    assert not (work / name).exists()


@pytest.mark.parametrize("args, name, fix", [
    (["geocode", "Shusha"], "places.shp", ".json"),
    (["claim", "about 5 km"], "readings.gpkg", ".json"),
    (["claim", "about 5 km"], "readings.html", ".json"),
    (["layers", "derive-line", "area.geojson", "--border", "none", "--land", "none"], "front.csv", ".geojson"),
    (["layers", "derive-line", "area.geojson", "--border", "none", "--land", "none"], "front.kml", ".geojson"),
])
def test_every_command_refuses_an_output_suffix_it_does_not_write(work, args, name, fix):
    """The same rule for geocode, claim and derive-line (which wrote GeoJSON into front.csv)."""
    (work / "area.geojson").write_text(json.dumps(AREA))
    r = geomap(*args, "-o", name, cwd=work)
    assert r.returncode == 2, (r.returncode, r.stderr)
    line = one_error_line(r.stderr)
    assert name in line and fix in line, line
    assert not (work / name).exists()


@pytest.mark.parametrize("args, fmt, name", [
    (["distance", "--at", AT], "geojson", "out.csv"),   # GeoJSON text was written into out.csv
    (["distance", "--at", AT], "csv", "out.json"),
    (["distance", "p.csv"], "json", "out.csv"),          # a FILE's rows: the suffix silently won
    (["distance", "p.csv"], "csv", "out.geojson"),
    (["check", "p.csv", "--claim", "about 10 km"], "table", "out.parquet"),
])
def test_a_format_that_contradicts_the_output_suffix_is_refused(work, args, fmt, name):
    """--format X -o NAME.Y: one of the two was ignored without a word (a different one for --at and FILE)."""
    r = geomap(*args, "--layer", "line.geojson", "--format", fmt, "-o", name, cwd=work)
    assert r.returncode == 2, (r.returncode, r.stderr)
    line = one_error_line(r.stderr)
    assert "--format" in line and name in line, line
    assert not (work / name).exists()
    same = geomap("distance", "--at", AT, "--layer", "line.geojson", "--format", "json", "-o", "agrees.json", cwd=work)
    assert same.returncode == 0 and json.loads((work / "agrees.json").read_text())["distance_m"] > 0, same.stderr
