"""``geomap map``: an offline HTML evidence map (and optionally a PNG) of incidents, the line and a claim."""

from __future__ import annotations

import click

from geomap.cli.claim import claim_options
from geomap.cli.options import incident_options, suffix_callback, verbosity_options


@click.command("map", context_settings={"help_option_names": ["-h", "--help"]})
@incident_options
@claim_options
@click.option("-o", "--output", "output", metavar="PATH", required=True, callback=suffix_callback(".html"),
              help="Write the HTML map here (required; .html).")
@click.option("--png", "png", metavar="PATH", default=None, callback=suffix_callback(".png"),
              help="Also write a PNG screenshot (needs chromium).")
@click.option("--title", default=None, metavar="TEXT", help="Title shown on the map (plain text).")
@click.option("--online-tiles", is_flag=True,
              help="Also show OpenStreetMap tiles (needs the network when viewed; the offline base map stays).")
@verbosity_options
def map_command(source, line, claim, lexicon, output, png, title, online_tiles):
    """Draw incidents, their distance to the line and a claim on an offline HTML map.

    Takes the same incidents and line as 'geomap distance'.  The page needs no
    network: Leaflet and a Natural Earth base map are embedded.  It shows the
    line (and the held area where the layer names one), each incident
    coloured by verdict with its uncertainty, a connector to its nearest point
    labelled in km, the band where --claim would be true (strict darker,
    lenient lighter), a legend, a scale bar and popups with the evidence.

    \b
    Exit codes: 0 the map was written and every incident measured, 1 some
    rows of a FILE could not be measured (the map shows the others; the
    counts are on stderr), 2 bad input, 3 missing program.  Verdicts are
    drawn, not turned into exit codes (use 'geomap check' for that).

    \b
    Examples:
      geomap map --at 47.0318,39.5200 --layer nk-line-2020 --claim "dozens of km" -o fuzuli.html
      geomap map events.csv --layer nk-line-2020 -o events.html --png events.png
    """
    from geomap.cli.commands import run_command

    run_command(source, line, claim, html=output, png=png, title=title, online_tiles=online_tiles,
                extra_inputs=(lexicon,), table_output=False, verdict_exit=False)
