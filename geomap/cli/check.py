"""``geomap check``: does a distance claim hold for an incident? A verdict with its bounds and evidence."""

from __future__ import annotations

import click

from geomap.cli.claim import claim_options
from geomap.cli.options import engine_options, incident_options, map_file_options, output_options


@click.command(context_settings={"help_option_names": ["-h", "--help"]})
@incident_options
@engine_options
@claim_options
@click.option("--report", "report", metavar="PATH", default=None,
              help="Also write a Markdown evidence record (inputs, method, layer provenance, versions, numbers).")
@map_file_options
@output_options()
def check(source, line, engine, scheduler, claim, lexicon, report, html, png, fmt, output):
    """Test a distance claim ("dozens of kilometres from the line") against the measured distance.

    Takes everything 'geomap distance' takes, plus --claim TEXT (or
    --min-km/--max-km; --lang for its language, detected by default).  The claim becomes a numeric range (a strict and a
    lenient reading, see 'geomap claim'); the distance becomes an interval
    widened by the location's uncertainty (--radius-m, the place's radius or
    the district's whole area) and the layer's stated accuracy.

    \b
    Exit codes, the same for --at/--place and for a FILE's rows:
    0 every verdict supported, 10 every verdict contradicted, 11 otherwise
    (inconclusive, or mixed), 1 some rows could not be measured (takes
    precedence), 2 bad input, 3 missing program.

    \b
    Example:
      geomap check --place Hadrut --theatre nagorno-karabakh --date 2020-12-27 \\
          --claim "dozens of kilometers from the nearest section of the line of contact"
    """
    from geomap.cli.commands import run_command
    from geomap.errors import InputError

    if claim is None:
        raise InputError("no claim given: pass --claim TEXT (e.g. 'dozens of kilometres') or --min-km/--max-km")
    run_command(source, line, claim, engine=engine, scheduler=scheduler, html=html, png=png, fmt=fmt,
                output=output, report=report, extra_inputs=(lexicon,))
