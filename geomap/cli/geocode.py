"""``geomap geocode``: place name -> location with its uncertainty, offline by default."""

from __future__ import annotations

import json
from pathlib import Path

import click

from geomap.cli.options import narrowing_options, verbosity_options

#: the GeoJSON-free keys printed by --format json besides the candidates
_FIELDS = ("name", "display_name", "matched_name", "lon", "lat", "kind", "country", "region", "population",
           "uncertainty_m", "uncertainty_rule", "source", "source_id", "licence", "attribution", "geometry_note",
           "match", "population_note", "distance_to_context_m")


def _summary(place) -> dict:
    return {k: getattr(place, k) for k in _FIELDS}


def _table(result, context_label: str = "context") -> str:
    lines = []
    header = f"{'#':>2}  {'name':<28} {'kind':<9} {'cc':<3} {'region':<22} {'population':>11}  " \
             f"{'lon':>10} {'lat':>9}  {'uncertainty':<12} source"
    lines.append(header)
    for i, c in enumerate(result.candidates, 1):
        unc = "polygon" if c.geometry else f"±{c.uncertainty_m / 1000:.1f} km"
        pop = f"{c.population:,}" if c.population else "-"
        mark = "*" if result.best is not None and c is result.best else " "
        lines.append(f"{i:>2}{mark} {c.display_name[:28]:<28} {c.kind:<9} {(c.country or '-'):<3} "
                     f"{(c.region or '-')[:22]:<22} {pop:>11}  {c.lon:>10.5f} {c.lat:>9.5f}  {unc:<12} {c.source}"
                     + (f"  {c.distance_to_context_m / 1000:,.0f} km from the {context_label}"
                        if c.distance_to_context_m is not None else ""))
    lines.append("")
    lines.append(f"note: {result.note}")
    if result.best is not None:
        if result.best.geometry_note:
            lines.append(f"geometry: {result.best.geometry_note}")
        lines.append(f"uncertainty: {result.best.uncertainty_rule}")
    attributions = list(dict.fromkeys(a for c in result.candidates for a in c.attribution.split("; ") if a))
    lines.append("attribution: " + "; ".join(attributions))
    return "\n".join(lines) + "\n"


@click.command("geocode")
@click.argument("name")
@narrowing_options
@click.option("--theatre", metavar="NAME", default=None,
              help="Look the name up near this theatre's lines (candidates over 300 km away are not chosen).")
@click.option("--layer", metavar="ID|PATH", default=None,
              help="Look the name up near this line layer (candidates over 300 km away are not chosen).")
@click.option("--limit", type=click.IntRange(1, 100), default=10, show_default=True,
              help="Most candidates to list.")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True,
              help="Output format (json: sorted keys, UTF-8).")
@click.option("-o", "--output", metavar="PATH", default="-",
              help="Write to this file (atomically) instead of standard output.")
@verbosity_options
def geocode(name, country, near, within, gazetteer, online, theatre, layer, limit, fmt, output):
    """Find NAME in the offline gazetteer and print its location and uncertainty.

    NAME may be in Latin, Cyrillic or Armenian script and may carry feature
    words ("Hadrut district", "the village of Togh").  When several places match
    and none dominates, the candidates are printed and the command exits 2 with
    the narrowing options on stderr.
    """
    from geomap.errors import AmbiguousPlace
    from geomap.places.gazetteer import geocode as run_geocode

    from geomap.pipeline.request import LineChoice, place_context

    from geomap.cli.formatting import check_output_suffix, text_files
    from geomap.io.write import guard_output

    guard_output(output, [gazetteer, within, layer])
    check_output_suffix(output, text_files(), "geocode results")
    context = place_context(LineChoice(layer=layer, theatre=theatre)) if (layer or theatre) else None
    result = run_geocode(name, country=country, near=near, within=within, gazetteer=gazetteer,
                         online=online, limit=limit, context=context)
    if fmt == "json":
        best = result.best
        doc = {"query": result.query, "dominant": result.dominant, "note": result.note, "rule": result.rule,
               "total": result.total,
               "geomap_version": result.geomap_version}
        doc.update(_summary(best) if best else {k: None for k in _FIELDS})
        if best is not None and best.geometry is not None:
            doc["geometry"] = best.geometry
        doc["sources"] = [dict(s) for s in best.sources] if best else []
        if len(result.candidates) > 1 or best is None:
            doc["candidates"] = [dict(_summary(c), distance_to_near_m=c.distance_to_near_m,
                                      distance_to_context_m=c.distance_to_context_m)
                                 for c in result.candidates]
        text = json.dumps(doc, sort_keys=True, indent=2, ensure_ascii=False) + "\n"
    else:
        # the context is a theatre's lines *and areas* (coasts, borders) or one layer: never "the line" of contact
        text = _table(result, context.label if context is not None else "context")
    from geomap.io.write import emit

    emit(text, output)  # standard output, or -o atomically
    if result.best is None:
        raise AmbiguousPlace(f"{result.query!r} is ambiguous ({result.total} candidates, "
                             f"{len(result.candidates)} listed): "
                             "narrow it with --country CC, --near LON,LAT or --within LAYER")


__all__ = ["geocode"]
