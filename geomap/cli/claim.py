"""``geomap claim``: show how a distance claim is read (and claim options for ``check``).

Thin: parse the options, call :func:`geomap.claims.parse_claim` (or
:func:`geomap.claims.claim_from_bounds`), format the result.

``claim_options`` and ``claim_from_options`` are shared with ``geomap check``::

    @click.command()
    @claim_options
    def check(claim, min_km, max_km, lexicon, ...):
        parsed = claim_from_options(claim, min_km, max_km, lexicon)
"""

from __future__ import annotations

import functools
import json
import logging
import textwrap
from pathlib import Path

import click

from geomap.claims import LANGUAGE_NAMES, Claim, claim_from_bounds, parse_claim
from geomap.claims.parse import LINE_NAMES
from geomap.cli.options import FiniteFloat, verbosity_options

__all__ = ["claim", "claim_options", "claim_from_options"]

_KM = FiniteFloat(min=0, min_open=False)


_LINE_CALLED_OPTION = click.option(
    "--line-called",
    "line_called",
    type=click.Choice(LINE_NAMES),
    multiple=True,
    help="What the line is also called, so a claim's '2 km from the border' is read as from the line "
    "[default: what the --layer or --theatre layers declare: border for Korea, Israel-Lebanon, Kashmir].",
)


def claim_options(func):
    """Add ``--claim TEXT``, ``--min-km``, ``--max-km``, ``--lexicon PATH`` and ``--lang CODE`` to a command.

    The command receives ``claim``, the :class:`~geomap.claims.Claim` they
    describe (read by :func:`claim_from_options`, or None), and ``lexicon``
    (the path, so outputs can be guarded against overwriting it).
    """
    options = [
        click.option(
            "--claim",
            "claim",
            metavar="TEXT",
            default=None,
            help="The distance claim to test, e.g. 'dozens of kilometres', 'within 5 km' "
            "(a whole sentence containing it also works).",
        ),
        click.option(
            "--min-km",
            type=_KM,
            default=None,
            help="Explicit minimum of the claimed distance in km (overrides the parsed reading).",
        ),
        click.option(
            "--max-km",
            type=_KM,
            default=None,
            help="Explicit maximum of the claimed distance in km (overrides the parsed reading).",
        ),
        click.option(
            "--lexicon",
            type=click.Path(exists=True, dir_okay=False, path_type=Path),
            default=None,
            help="Your own claims lexicon (JSON, same schema as geomap/claims/data/en.json).",
        ),
        click.option(
            "--lang",
            metavar="CODE",
            default=None,
            help="Language of the claim (ISO 639-1: ar az de en es fa fr he hy ru tr uk); default: detected.",
        ),
        _LINE_CALLED_OPTION,
    ]

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        text, min_km, max_km = kwargs.pop("claim"), kwargs.pop("min_km"), kwargs.pop("max_km")
        lang = kwargs.pop("lang")
        line = kwargs.get("line")  # a LineChoice (check, map): what its layers say the line is called
        called = tuple(kwargs.pop("line_called") or ()) or (line.line_called if line is not None else ())
        kwargs["claim"] = claim_from_options(text, min_km, max_km, kwargs["lexicon"], lang=lang, line_called=called)
        # how the claim was read ("the first was used", "larger end first") goes to stderr, as other notes
        for note in getattr(kwargs["claim"], "notes", ()) or ():
            logging.getLogger("geomap").warning("note: claim: %s", note)
        return func(*args, **kwargs)

    for option in reversed(options):
        wrapper = option(wrapper)
    return wrapper


def claim_from_options(
    claim: str | None,
    min_km: float | None,
    max_km: float | None,
    lexicon: Path | str | None,
    *,
    lang: str | None = None,
    line_called: tuple[str, ...] = (),
) -> Claim | None:
    """Build the claim the options describe, or None if none was given.

    Explicit ``min_km``/``max_km`` win over parsing (rule ``user-bounds``;
    ``claim`` is kept as its wording).  Otherwise ``claim`` is parsed with
    ``lexicon`` (default: the shipped one of the language ``lang``, detected when None).

    Raises
    ------
    click.BadParameter
        If ``min_km > max_km``.
    click.UsageError
        If ``--lexicon`` is combined with explicit bounds, or given without a claim.
    geomap.errors.ClaimError
        If the claim text cannot be read (the CLI prints one line, exit 2).
    """
    if min_km is not None or max_km is not None:
        if min_km is not None and max_km is not None and min_km > max_km:
            raise click.BadParameter(
                f"the minimum {min_km:g} km is larger than the maximum {max_km:g} km: swap them",
                param_hint="'--min-km'/'--max-km'",
            )
        if lexicon is not None:
            raise click.UsageError(
                "--lexicon has no effect with --min-km/--max-km: give explicit bounds or a lexicon, not both"
            )
        return claim_from_bounds(claim, min_km=min_km, max_km=max_km)
    if claim is None:
        if lexicon is not None:
            raise click.UsageError("--lexicon needs a claim to read: add --claim TEXT")
        return None
    return parse_claim(claim, lexicon=lexicon, lang=lang, line_called=line_called)


def _fmt_m(value: float | None) -> str:
    if value is None:
        return "null"
    return f"{value:.3f}".rstrip("0").rstrip(".")


def _table(parsed: Claim, how: str = "detected") -> str:
    width = 96
    lines = [
        f"claim      {parsed.label or '(no text: bounds given with --min-km/--max-km)'}" if parsed.rule == "user-bounds"
        else f"claim      {' '.join(parsed.text.split())}",
        f"language   {parsed.language} ({LANGUAGE_NAMES.get(parsed.language, parsed.language)}, {how})",
        f"matched    {parsed.matched_text}",
        f"rule       {parsed.rule}",
        f"unit       {parsed.unit}",
        f"lexicon    {parsed.lexicon}",
        "",
        f"{'reading':<10} {'min_m':>14} {'max_m':>14}  as text",
    ]
    for name, reading in (("strict", parsed.strict), ("lenient", parsed.lenient)):
        lines.append(
            f"{name:<10} {_fmt_m(reading.min_m):>14} {_fmt_m(reading.max_m):>14}  "
            f"{reading.describe(parsed.unit)}"
        )
    lines.append("")
    lines.append(
        "min_m/max_m are the strict reading: a claim is supported only when the distance lies "
        "inside the strict range, contradicted only when it misses the lenient range."
    )
    lines.append("")
    wrap = functools.partial(textwrap.fill, width=width, initial_indent="", subsequent_indent=" " * 11)
    lines.append(wrap(f"rationale  {parsed.rationale}"))
    if parsed.citation:
        lines.append(wrap(f"citation   {parsed.citation}"))
    for note in parsed.notes:
        lines.append(wrap(f"note       {note}"))
    return "\n".join(lines)


@click.command(name="claim")
@click.argument("text", required=False)
@click.option("--min-km", type=_KM, default=None, help="Explicit minimum in km instead of parsing TEXT.")
@click.option("--max-km", type=_KM, default=None, help="Explicit maximum in km instead of parsing TEXT.")
@click.option(
    "--lexicon",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=None,
    help="Your own claims lexicon (JSON, same schema as geomap/claims/data/en.json).",
)
@click.option(
    "--lang",
    metavar="CODE",
    default=None,
    help="Language of TEXT (ISO 639-1: ar az de en es fa fr he hy ru tr uk); default: detected.",
)
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@click.option(
    "-o", "--output", metavar="PATH", default=None,
    help="Write to this file (atomically) instead of standard output.",
)
@_LINE_CALLED_OPTION
@verbosity_options
def claim(text, min_km, max_km, lexicon, lang, fmt, output, line_called):
    """Show how a distance claim is read: its range in metres under a strict and a lenient reading.

    TEXT is a claim such as 'dozens of kilometres', 'within 5 km', 'about 30
    miles', 'около 30 км', 'տասնյակ կիլոմետրեր', or a sentence that contains
    one, in ar az de en es fa fr he hy ru tr uk (detected, or --lang). The
    output gives min_m/max_m (null = open) for each reading, the lexicon rule
    used, the matched words and the rationale. --min-km/--max-km replace the
    parsed range with your own (TEXT is then only a label).

    \b
    Examples:
      geomap claim "dozens of kilometers"
      geomap claim "the scene is located about 30 miles from the front" --format json
      geomap claim "dozens of kilometres" --min-km 20
    """
    if text is None and min_km is None and max_km is None:
        raise click.UsageError("give a claim TEXT (e.g. 'within 5 km') or --min-km/--max-km")
    parsed = claim_from_options(text, min_km, max_km, lexicon, lang=lang, line_called=tuple(line_called))
    if fmt == "json":
        rendered = json.dumps(parsed.to_dict(), sort_keys=True, indent=2, ensure_ascii=False)
    else:
        how = "user bounds" if parsed.rule == "user-bounds" else ("given with --lang" if lang else "detected")
        if lexicon is not None and parsed.rule != "user-bounds":
            how = "from the lexicon file"
        rendered = _table(parsed, how)
    from geomap.cli.formatting import check_output_suffix, text_files
    from geomap.io.write import emit, guard_output

    guard_output(output, [lexicon])
    check_output_suffix(output, text_files(), "claim readings")
    emit(rendered, output)  # standard output, or -o atomically
