"""Tests for `geomap claim` and the claim options shared with `geomap check`."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from geomap.cli import main
from geomap.cli.claim import claim_from_options, claim_options
from geomap.claims import default_lexicon_path
from tests.conftest import no_crash

SEED = "the scene of the alleged incident is located dozens of kilometers from the nearest section of the line of contact"


@pytest.fixture
def runner():
    return CliRunner()


def test_help(runner):
    result = runner.invoke(main, ["claim", "--help"])
    assert result.exit_code == 0
    assert "strict" in result.stdout and "--min-km" in result.stdout and "--lexicon" in result.stdout


def test_listed_in_group_help(runner):
    result = runner.invoke(main, ["--help"])
    assert result.exit_code == 0
    assert "claim" in result.stdout


def test_json_output(runner):
    result = runner.invoke(main, ["claim", SEED, "--format", "json"])
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["rule"] == "dozens"
    assert data["matched_text"] == "dozens of kilometers"
    assert data["strict"] == {"min_m": 24000.0, "max_m": 96000.0}
    assert data["lenient"] == {"min_m": 20000.0, "max_m": 100000.0}
    assert data["min_m"] == 24000.0 and data["min_max_reading"] == "strict"
    assert data["rationale"] and data["geomap_version"]
    assert list(data) == sorted(data)


def test_json_open_end_is_null(runner):
    result = runner.invoke(main, ["claim", "more than 80 km", "--format", "json"])
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert data["strict"]["max_m"] is None and data["lenient"]["max_m"] is None
    assert '"max_m": null' in result.stdout


def test_json_is_utf8_not_escaped(runner):
    result = runner.invoke(main, ["claim", "10–20 km", "--format", "json"])
    assert result.exit_code == 0
    assert "10–20 km" in result.stdout


def test_table_output(runner):
    result = runner.invoke(main, ["claim", "about 30 miles"])
    assert result.exit_code == 0
    out = result.stdout
    assert "rule       approx" in out
    assert "strict" in out and "lenient" in out
    assert "43452.288" in out and "60350.4" in out
    assert "rationale" in out and "27–33 mi" in out


def test_user_bounds(runner):
    result = runner.invoke(main, ["claim", "dozens of km", "--min-km", "20", "--format", "json"])
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert data["rule"] == "user-bounds"
    assert data["strict"] == data["lenient"] == {"min_m": 20000.0, "max_m": None}


def test_bounds_without_text(runner):
    result = runner.invoke(main, ["claim", "--max-km", "5", "--format", "json"])
    assert result.exit_code == 0
    assert json.loads(result.stdout)["strict"] == {"min_m": None, "max_m": 5000.0}


def test_output_file(runner, tmp_path):
    target = tmp_path / "claim.json"
    result = runner.invoke(main, ["claim", "within 5 km", "--format", "json", "-o", str(target)])
    assert result.exit_code == 0
    assert result.stdout == ""
    assert json.loads(target.read_text(encoding="utf-8"))["max_m"] == 5000.0


def _assert_one_line_error(result, code=2):
    assert result.exit_code == code
    assert no_crash(result)
    assert result.exception is None or isinstance(result.exception, SystemExit)
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    return lines


def test_unparseable_claim_is_one_line_exit_2(runner):
    result = runner.invoke(main, ["claim", "somewhere near the front"])
    lines = _assert_one_line_error(result)
    assert len(lines) == 1
    assert lines[0].startswith("Error: no distance found in 'somewhere near the front'")
    assert "within 5 km" in lines[0]
    assert result.stdout == ""


def test_min_greater_than_max_is_usage_error(runner):
    result = runner.invoke(main, ["claim", "x", "--min-km", "5", "--max-km", "3"])
    _assert_one_line_error(result)
    assert "larger than the maximum" in result.stderr


def test_negative_km_rejected(runner):
    result = runner.invoke(main, ["claim", "x", "--min-km", "-5"])
    _assert_one_line_error(result)


def test_nothing_given_is_usage_error(runner):
    result = runner.invoke(main, ["claim"])
    _assert_one_line_error(result)
    assert "give a claim TEXT" in result.stderr


def test_lexicon_with_bounds_is_usage_error(runner):
    result = runner.invoke(
        main, ["claim", "x", "--min-km", "1", "--lexicon", str(default_lexicon_path())]
    )
    _assert_one_line_error(result)
    assert "--lexicon" in result.stderr


def test_custom_lexicon(runner, tmp_path):
    data = json.loads(default_lexicon_path().read_text(encoding="utf-8"))
    for entry in data["vague"]:
        if entry["id"] == "dozens":
            entry["lenient"]["min"] = 18
    path = tmp_path / "lex.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    result = runner.invoke(main, ["claim", "dozens of km", "--lexicon", str(path), "--format", "json"])
    assert result.exit_code == 0
    out = json.loads(result.stdout)
    assert out["lenient"]["min_m"] == 18000.0
    assert out["lexicon"] == str(path)


def test_bad_lexicon_is_one_line_exit_2(runner, tmp_path):
    path = tmp_path / "lex.json"
    path.write_text('{"schema": "nope"}', encoding="utf-8")
    result = runner.invoke(main, ["claim", "dozens of km", "--lexicon", str(path)])
    lines = _assert_one_line_error(result)
    assert len(lines) == 1 and "schema" in lines[0] and str(path) in lines[0]


def test_missing_lexicon_file(runner, tmp_path):
    result = runner.invoke(main, ["claim", "5 km", "--lexicon", str(tmp_path / "none.json")])
    _assert_one_line_error(result)


# ----------------------------------------------------------------- shared options for `check`


@click.command()
@claim_options
def _probe(claim, lexicon):
    # the options arrive folded into one Claim (or None)
    click.echo("none" if claim is None else json.dumps(claim.to_dict(), sort_keys=True))


def test_claim_options_parse(runner):
    result = runner.invoke(_probe, ["--claim", "within 5 km"])
    assert result.exit_code == 0
    assert json.loads(result.stdout)["max_m"] == 5000.0


def test_claim_options_none(runner):
    result = runner.invoke(_probe, [])
    assert result.exit_code == 0 and result.stdout.strip() == "none"


def test_claim_options_bounds_override_text(runner):
    result = runner.invoke(_probe, ["--claim", "dozens of km", "--min-km", "20", "--max-km", "100"])
    data = json.loads(result.stdout)
    assert data["rule"] == "user-bounds" and data["text"] == "dozens of km"
    assert data["strict"] == {"min_m": 20000.0, "max_m": 100000.0}


def test_claim_options_help_lists_options(runner):
    result = runner.invoke(_probe, ["--help"])
    for option in ("--claim", "--min-km", "--max-km", "--lexicon", "--lang"):
        assert option in result.stdout


def test_check_takes_lang(runner):
    """check reads a claim in the language named by --lang, as `geomap claim` does."""
    from geomap.cli import main

    result = runner.invoke(main, ["check", "--at", "47.0318,39.52", "--layer", "nk-line-2020",
                                  "--claim", "десятки километров", "--lang", "ru", "--format", "json"])
    assert result.exit_code == 11, result.stderr
    data = json.loads(result.stdout)
    assert data["claim"]["language"] == "ru" and data["claim"]["strict"]["min_m"] == 24000.0


def test_claim_from_options_validation():
    with pytest.raises(click.BadParameter):
        claim_from_options(None, 5.0, 3.0, None)
    with pytest.raises(click.UsageError):
        claim_from_options(None, None, None, default_lexicon_path())
    with pytest.raises(click.UsageError):
        claim_from_options("x", 1.0, None, default_lexicon_path())
    assert claim_from_options(None, None, None, None) is None


def test_cli_import_stays_light():
    code = (
        "import sys, geomap.cli, geomap.cli.claim, geomap.claims, geomap.verdict;"
        "heavy = [m for m in ('numpy', 'pandas', 'pyproj', 'shapely', 'geopandas', 'folium') if m in sys.modules];"
        "print(','.join(heavy))"
    )
    root = str(Path(__file__).resolve().parents[1])
    env = {**os.environ, "PYTHONPATH": root + os.pathsep + os.environ.get("PYTHONPATH", "")}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env, cwd=root)
    assert out.stdout.strip() == ""


def test_detected_language_is_printed(runner):
    result = runner.invoke(main, ["claim", "находится в десятках километров от линии соприкосновения"])
    assert result.exit_code == 0, result.stderr
    assert "language   ru (Russian, detected)" in result.stdout
    assert "desyatki" in result.stdout


def test_lang_option(runner):
    result = runner.invoke(main, ["claim", "5 ila 10 km", "--lang", "tr", "--format", "json"])
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["language"] == "tr" and data["strict"] == {"min_m": 5000.0, "max_m": 10000.0}


def test_exponent_is_one_line_exit_2(runner):
    result = runner.invoke(main, ["claim", "2.5e1 km"])
    lines = _assert_one_line_error(result)
    assert len(lines) == 1 and "exponent" in lines[0]


@pytest.mark.parametrize("text, speed", [
    ("20 km/h", "20 km/h"), ("driving at 60 mph", "60 mph"), ("90 км/ч", "90 км/ч"), ("5 m/s", "5 m/s"),
])
def test_a_speed_is_named_as_a_speed(runner, text, speed):
    result = runner.invoke(main, ["claim", text])
    assert result.exit_code == 2
    assert f"'{speed}' in '{text}' is a speed, not a distance" in result.output


def test_a_language_guessed_from_letters_alone_says_no_word_was_recognised(runner):
    # Hungarian (not shipped): its accents point to a shipped language, whose words it does not contain
    result = runner.invoke(main, ["claim", "néhány tucat kilométerre"])
    assert result.exit_code == 2
    assert "(read as French, no French word recognised)" in result.output
    # a claim whose words are recognised is not said to have none
    assert "recognised" not in runner.invoke(main, ["claim", "a few kilometres away"]).output


@pytest.mark.parametrize("sign", ["\u2212", "-", "\u2013"])
def test_a_negative_sign_is_quoted_as_written(runner, sign):
    result = runner.invoke(main, ["claim", f"about {sign}7 km"])
    assert result.exit_code == 2
    assert f"a negative distance ('{sign}' before '7 km')" in result.output


def test_a_range_written_larger_end_first_is_read_in_order_with_a_note():
    done = subprocess.run([sys.executable, "-m", "geomap", "check", "--at", "47.0318,39.52", "--layer", "nk-line-2020",
                           "--claim", "between 30 and 15 km", "--format", "json"], capture_output=True, text=True)
    # 19.53 km with the line's +-10 km: 9.53-29.53 km straddles 15 km: inconclusive (exit 11)
    assert done.returncode == 11, done.stderr
    assert "note: claim: 'between 30 and 15 km' gives the larger end first: read as 15–30 km" in done.stderr
    claim = json.loads(done.stdout)["claim"]
    assert (claim["min_m"], claim["max_m"]) == (15_000.0, 30_000.0)
    assert claim["notes"] == ["'between 30 and 15 km' gives the larger end first: read as 15–30 km"]
