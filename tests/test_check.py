"""geomap check: verdicts, exit codes and evidence, end to end through the CLI."""

from __future__ import annotations

import json
import os

import pytest

from geomap.cli import main

SEED = "is located dozens of kilometers from the nearest section of the Armenian-Azerbaijani line of contact"


def run(runner, *args):
    return runner.invoke(main, ["check", *args])


def test_seed_case_town_and_district(runner):
    result = run(runner, "--place", "Hadrut", "--place", "Hadrut district", "--theatre", "nagorno-karabakh",
                 "--date", "2020-12-27", "--claim", SEED, "--format", "json")
    assert result.exit_code == 11, result.output
    town, district = json.loads(result.stdout)
    # the town: 19.53 km from NE's 2020 line; +-3 km town radius, +-10 km layer accuracy (measured near Shusha)
    assert 19_500 < town["distance_m"] < 19_560
    lo, hi = town["distance_interval_m"]
    assert lo == pytest.approx(town["distance_m"] - 3000 - 10000, abs=1)
    assert hi == pytest.approx(town["distance_m"] + 3000 + 10000, abs=1)
    assert town["verdict"] == "inconclusive"
    assert town["verdict_without_uncertainty"] == "contradicted"
    assert town["claim"]["rule"] == "dozens"
    ev = town["evidence"]
    assert ev["layer_id"] == "nk-line-2020" and ev["layer_valid_from"] == "2020-12-14"
    assert len(ev["layer_sha256"]) == 64 and ev["geomap_version"]
    assert "GeoNames" in town["incident"]["place"]["attribution"]
    # the district: the line runs through Xocavənd, so its minimum is 0
    assert district["area"]["min_m"] == 0.0
    assert district["area"]["max_m"] > 30_000
    assert "Xocavənd" in district["incident"]["label"]
    assert district["verdict"] == "inconclusive"


@pytest.mark.parametrize(
    "claim, code, verdict",
    [
        ("more than 100 km from the line", 10, "contradicted"),
        ("between 5 and 40 km", 0, "supported"),
        ("within 5 km of the front", 10, "contradicted"),
    ],
)
def test_exit_codes_follow_the_verdict(runner, claim, code, verdict):
    result = run(runner, "--at", "47.0318,39.52002", "--layer", "nk-line-2020", "--claim", claim, "--format", "json")
    assert result.exit_code == code, result.output
    assert json.loads(result.stdout)["verdict"] == verdict


def test_radius_widens_the_interval_and_can_flip_the_verdict(runner):
    args = ["--at", "47.0318,39.52002", "--layer", "nk-line-2020", "--claim", "between 20 and 30 km", "--format", "json"]
    tight = json.loads(run(runner, *args).stdout)
    wide = json.loads(run(runner, *args, "--radius-m", "10000").stdout)
    assert tight["distance_interval_m"][1] - tight["distance_interval_m"][0] == pytest.approx(2 * 10000, abs=1)
    # the wide interval reaches 0 at its low end (19.5 km - 10 km - 10 km), so compare the high ends
    assert wide["distance_interval_m"][1] - tight["distance_interval_m"][1] == pytest.approx(10000, abs=1)
    assert wide["distance_interval_m"][0] == 0.0
    # 9.5-29.5 km straddles 20 km: inconclusive; a range that holds the tight interval is supported,
    # and the same claim flips to inconclusive once the location's radius widens the interval past it
    assert tight["verdict"] == "inconclusive"
    holds = ["--at", "47.0318,39.52002", "--layer", "nk-line-2020", "--claim", "between 5 and 35 km",
             "--format", "json"]
    assert json.loads(run(runner, *holds).stdout)["verdict"] == "supported"
    flipped = run(runner, *holds, "--radius-m", "10000")
    assert json.loads(flipped.stdout)["verdict"] == "inconclusive" and flipped.exit_code == 11


def test_table_ends_with_a_quotable_sentence(runner):
    result = run(runner, "--place", "Hadrut", "--layer", "nk-line-2020", "--claim", "dozens of kilometres")
    last = result.stdout.strip().splitlines()[-1]
    assert last.startswith("The claim 'dozens of kilometres'") and "inconclusive" in last


def test_user_bounds_override(runner):
    result = run(runner, "--at", "47.0318,39.52002", "--layer", "nk-line-2020", "--min-km", "5", "--max-km", "40",
                 "--format", "json")
    assert result.exit_code == 0
    assert json.loads(result.stdout)["claim"]["rule"] == "user-bounds"


@pytest.mark.parametrize(
    "args, words",
    [
        (["--at", "47,39.5", "--layer", "nk-line-2020"], "no claim given"),
        (["--at", "47,39.5", "--layer", "nk-line-2020", "--claim", "far away"], "no distance found"),
        (["--place", "Nowhereville Zzq", "--layer", "nk-line-2020", "--claim", "5 km"], "Nowhereville Zzq"),
        (["--at", "47,39.5", "--place", "Hadrut", "--layer", "nk-line-2020", "--claim", "5 km"], "only one of"),
    ],
)
def test_check_errors_are_one_line(runner, args, words):
    result = run(runner, *args)
    assert result.exit_code == 2, result.output
    err = result.stderr.strip()
    assert len(err.splitlines()) == 1 and err.startswith("Error:") and words in err


def test_check_writes_map_and_report_together(runner, tmp_path):
    html, report = tmp_path / "h.html", tmp_path / "h.md"
    result = run(runner, "--place", "Hadrut", "--theatre", "nagorno-karabakh", "--date", "2020-12-27",
                 "--claim", SEED, "--html", str(html), "--report", str(report))
    assert result.exit_code == 11, result.output
    page = html.read_text(encoding="utf-8")
    assert "<script src=" not in page and "https://cdn" not in page  # nothing to fetch
    assert "h.html" in report.read_text(encoding="utf-8")
    umask = os.umask(0)
    os.umask(umask)
    assert html.stat().st_mode & 0o777 == 0o666 & ~umask  # like any file the user writes, not a private temp file


def test_distance_takes_places_and_html(runner, tmp_path):
    html = tmp_path / "shusha.html"
    result = runner.invoke(main, ["distance", "--place", "Shushi", "--layer", "nk-line-2020", "--format", "json",
                                  "--html", str(html)])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["incident"]["label"] == "Shushi (Shusha)" and html.stat().st_size > 10_000
    bad = runner.invoke(main, ["distance", "--place", "Shushi", "--layer", "nk-line-2020", "--html", "x.png"])
    assert bad.exit_code == 2 and ".html" in bad.stderr
