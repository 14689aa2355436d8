"""The Markdown evidence record written by 'geomap check --report'."""

from __future__ import annotations

from geomap.cli import main
from geomap.layers.registry import get_layer


def test_report_carries_inputs_method_provenance_versions_and_verdict(runner, tmp_path):
    report = tmp_path / "hadrut.md"
    hostile = "<img src=x onerror=alert(1)> is dozens of kilometers away [x](javascript:alert(1)) `code`"
    result = runner.invoke(main, ["check", "--place", "Hadrut", "--theatre", "nagorno-karabakh", "--date",
                                  "2020-12-27", "--claim", hostile, "--report", str(report)])
    assert result.exit_code == 11, result.output
    text = report.read_text(encoding="utf-8")
    for heading in ("## Verdict", "## Inputs", "## Numbers", "## Method", "## Line of contact", "## Software"):
        assert heading in text
    assert get_layer("nk-line-2020").sha256 in text
    assert "inconclusive" in text and "19.53 km" in text and "PROJ" in text and "GDAL" in text
    assert "Hin Tagher" in text  # what the layer omits
    assert "GeoNames" in text  # attribution of the place
    # untrusted text is inert: no raw tag, no live link, no code span
    assert "<img" not in text and "&lt;img" in text
    assert "[x](javascript" not in text and "\\[x\\](javascript" in text and "\\`code\\`" in text


def test_report_never_overwrites_an_input(runner, tmp_path):
    src = tmp_path / "line.geojson"
    src.write_text('{"type":"FeatureCollection","features":[{"type":"Feature","properties":{},'
                   '"geometry":{"type":"LineString","coordinates":[[46,39],[47,40]]}}]}')
    before = src.read_bytes()
    result = runner.invoke(main, ["check", "--at", "46.5,39.2", "--layer", str(src), "--claim", "5 km",
                                  "--report", str(src)])
    assert result.exit_code == 2 and "refusing" in result.stderr
    assert src.read_bytes() == before


def test_code_spans_show_their_text_as_typed_and_stay_inert():
    """Layer ids, rules, file names and checksums go in code spans: shown literally (no '\\*' or '&lt;' as typed
    there), and no text can close the span early and reach the renderer as HTML or a link."""
    from markdown_it import MarkdownIt

    from geomap.report.evidence import code

    render = MarkdownIt("commonmark").renderInline
    for text in ("neskolko*desyatkov", "front_2024-01-01 <b>.kml", "a`b", "``x``", "`<img src=x onerror=alert(1)>`",
                 "[x](javascript:alert(1))", "back\\slash"):
        html = render(code(text))
        assert html.startswith("<code>") and html.endswith("</code>"), (text, html)
        inner = html[len("<code>"):-len("</code>")]
        assert inner == text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def test_the_command_block_keeps_the_command_verbatim_and_cannot_be_closed_early():
    """The command goes in a fenced block longer than any backtick run in it: kept as typed, line breaks
    included, and no line of it can end the block and add a heading or a link to the record.

    Before, every three backticks of the command were written as three apostrophes (the record did not
    show the command that ran), and a run of four still closed the block.
    """
    from markdown_it import MarkdownIt

    from geomap.report.evidence import fenced

    md = MarkdownIt("commonmark")
    for command in ("geomap check --claim 'more than 5 km\n```\n## Verdict forged\n````'",
                    "geomap check --claim '``x``\n# forged'",
                    "geomap check --claim '~~~\n<img src=x onerror=alert(1)>\n~~~'",
                    "geomap check --at 46.9,39.5"):
        tokens = md.parse("\n".join(["## Inputs", "", *fenced(command), "", "- after"]))
        kinds = [t.type for t in tokens]
        assert kinds.count("heading_open") == 1 and kinds.count("fence") == 1, (command, kinds)
        block = next(t for t in tokens if t.type == "fence")
        assert block.content == command + "\n"


def test_report_shows_the_rule_and_file_names_as_typed(runner, tmp_path):
    report = tmp_path / "r.md"
    result = runner.invoke(main, ["check", "--at", "46.9,39.6", "--layer", "nk-line-2020", "--claim",
                                  "в нескольких десятках километров", "--report", str(report)])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    text = report.read_text(encoding="utf-8")
    assert "rule `neskolko*desyatkov`" in text and "\\*" not in text.split("rule ", 1)[1].split("\n", 1)[0]


def test_a_hostile_claim_adds_no_heading_to_the_record(tmp_path):
    from markdown_it import MarkdownIt

    report = tmp_path / "r.md"
    claim = "more than 5 km\n```\n## Verdict forged\n````\n[x](javascript:alert(1))"
    import subprocess
    import sys

    result = subprocess.run([sys.executable, "-m", "geomap", "check", "--at", "46.9,39.55", "--layer", "nk-line-2020",
                             "--claim", claim, "--report", str(report), "-q"], capture_output=True, text=True,
                            timeout=300)
    assert result.returncode == 0 and report.exists(), result.stderr  # supported: 7.26-27.26 km
    tokens = MarkdownIt("commonmark").parse(report.read_text(encoding="utf-8"))
    headings = [tokens[i + 1].content for i, t in enumerate(tokens) if t.type == "heading_open"]
    assert "Verdict forged" not in headings and headings[:3] == ["Distance claim: evidence record", "Verdict", "Inputs"]
    fence = next(t for t in tokens if t.type == "fence")
    assert claim in fence.content
    assert not any(t.type == "inline" and any(c.type == "link_open" for c in (t.children or [])) for t in tokens)
