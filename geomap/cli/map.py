"""``geomap map``: an offline HTML evidence map (and optionally a PNG) of incidents, the line and a claim."""

from __future__ import annotations

import click

from geomap.cli import configure_logging
from geomap.cli.claim import claim_from_options, claim_options
from geomap.cli.options import (
    _suffix,
    incident_job,
    incident_options,
)


def add_map_outputs(measurements, lines, *, html=None, png=None, verdicts=None, claim=None, title=None,
                    online_tiles=False):
    """``--html``/``--png`` for any command holding measurements: see :func:`geomap.maps.page.add_map_outputs`."""
    from geomap.maps.page import add_map_outputs as _add

    return _add(measurements, lines, html=html, png=png, verdicts=verdicts, claim=claim, title=title,
                online_tiles=online_tiles)


@click.command("map", context_settings={"help_option_names": ["-h", "--help"]})
@incident_options
@claim_options
@click.option("-o", "--output", "output", metavar="PATH", required=True, callback=_suffix(".html"),
              help="Write the HTML map here (required; .html).")
@click.option("--png", "png", metavar="PATH", default=None, callback=_suffix(".png"),
              help="Also write a PNG screenshot (needs chromium).")
@click.option("--title", default=None, metavar="TEXT", help="Title shown on the map (plain text).")
@click.option("--online-tiles", is_flag=True,
              help="Also show OpenStreetMap tiles (needs the network when viewed; the offline base map stays).")
@click.option("-v", "--verbose", count=True, help="More diagnostics on stderr (-vv for debug).")
@click.option("-q", "--quiet", is_flag=True, help="Only errors on stderr.")
def map_command(points, at, places, country, near, within, gazetteer, online, radius_m, layer, theatre, date, assume_crs, rings, lon_col, lat_col, date_col, id_col, claim, min_km,
                max_km, lexicon, output, png, title, online_tiles, verbose, quiet):
    """Draw incidents, their distance to the line and a claim on an offline HTML map.

    Takes the same incidents and line as 'geomap distance'.  The page needs no
    network: Leaflet and a Natural Earth base map are embedded.  It shows the
    line (and the held area where the layer names one), each incident
    coloured by verdict with its uncertainty, a connector to its nearest point
    labelled in km, the band where --claim would be true (strict darker,
    lenient lighter), a legend, a scale bar and popups with the evidence.

    \b
    Examples:
      geomap map --at 47.0318,39.5200 --layer nk-line-2020 --claim "dozens of km" -o fuzuli.html
      geomap map events.csv --layer nk-line-2020 -o events.html --png events.png
    """
    configure_logging(verbose, quiet)
    from geomap.pipeline import request as jobs
    from geomap.cli.formatting import input_paths, summary_line
    from geomap.io.write import guard_output
    from geomap.maps.page import add_map_outputs as write_outputs

    parsed = claim_from_options(claim, min_km, max_km, lexicon)
    inputs, spec, _kind = incident_job(**click.get_current_context().params)
    for target in (output, png):
        guard_output(target, input_paths(points, layer, gazetteer, within, lexicon))
    lines, measurements, summary = jobs.measure_for_map(inputs, spec)
    if not measurements:
        from geomap.errors import InputError

        raise InputError(f"no measurable incident in {points}: check its coordinates columns (see --lon-col/--lat-col)")
    written = write_outputs(measurements, lines, html=output, png=png, claim=parsed, title=title,
                            online_tiles=online_tiles)
    if not quiet:
        if summary is not None:
            click.echo(summary_line(summary, sum(summary.values())), err=True)
        for kind in ("html", "png"):
            if written[kind] is not None:
                click.echo(f"wrote {written[kind]}", err=True)
