"""``geomap geocode``: place name -> location with its uncertainty, offline by default.

Also provides :func:`place_options` / :func:`place_from_options`, the shared
``--place`` option set for commands that accept a place name instead of
coordinates (``distance``, ``check``, ``map``).
"""

from __future__ import annotations

import json
from pathlib import Path

import click

from geomap.cli import configure_logging

#: the GeoJSON-free keys printed by --format json besides the candidates
_FIELDS = ("name", "matched_name", "lon", "lat", "kind", "country", "region", "population", "uncertainty_m",
           "uncertainty_rule", "source", "source_id", "licence", "attribution", "geometry_note", "match")


def parse_near(ctx, param, value):
    """click callback: ``"LON,LAT"`` -> ``(lon, lat)`` floats, or None (same checks as ``--at``)."""
    if value is None:
        return None
    from geomap.cli.options import parse_lonlat

    point = parse_lonlat(value)
    return (point.lon, point.lat)


def _narrowing_options(func):
    options = [
        click.option("--country", metavar="CC", default=None,
                     help="Only places in this country (ISO 3166 two-letter code, e.g. AZ)."),
        click.option("--near", metavar="LON,LAT", default=None, callback=parse_near,
                     help="Only places within 100 km of this point (degrees, longitude first), nearest first."),
        click.option("--within", metavar="LAYER", default=None,
                     help="Only places inside this polygon layer (a shipped layer id or a GeoJSON path)."),
        click.option("--gazetteer", type=click.Path(exists=True, dir_okay=False, path_type=Path), default=None,
                     help="Your own places: CSV with name,lon,lat[,kind,country,uncertainty_m] or GeoJSON."),
        click.option("--online", is_flag=True, default=False,
                     help="Also ask Nominatim (OpenStreetMap) online; needs geopy and the network."),
    ]
    for option in reversed(options):
        func = option(func)
    return func


def place_options(func):
    """Decorator adding ``--place NAME`` and the narrowing options to a click command.

    The command receives ``place``, ``country``, ``near``, ``within``,
    ``gazetteer`` and ``online`` keyword arguments; pass them to
    :func:`place_from_options`.
    """
    func = _narrowing_options(func)
    return click.option("--place", metavar="NAME", default=None,
                        help="A place name instead of coordinates (offline gazetteer; see 'geomap geocode').")(func)


def places_options(func):
    """Like :func:`place_options`, but ``--place`` may be repeated (the command gets a tuple)."""
    func = _narrowing_options(func)
    return click.option("--place", "places", metavar="NAME", multiple=True,
                        help="A place name instead of coordinates, repeatable (offline gazetteer; "
                             "see 'geomap geocode').")(func)


def places_from_options(places=(), country=None, near=None, within=None, gazetteer=None, online=False):
    """Resolve each ``--place``: a list of ``(Place, note)``; the note says how the match was chosen."""
    from geomap.places.gazetteer import geocode, resolve_place

    out = []
    for name in places:
        result = geocode(name, country=country, near=near, within=within, gazetteer=gazetteer, online=online)
        if result.best is None:  # raises AmbiguousPlace / PlaceNotFound with the candidates
            resolve_place(name, country=country, near=near, within=within, gazetteer=gazetteer, online=online)
        out.append((result.best, result.note))
    return out


def place_from_options(place=None, country=None, near=None, within=None, gazetteer=None, online=False):
    """Resolve ``--place`` to a :class:`geomap.places.gazetteer.Place`, or None when it was not given.

    Raises AmbiguousPlace / PlaceNotFound (GeomapErrors: the CLI group prints
    one line and exits 2).
    """
    if place is None:
        return None
    from geomap.places.gazetteer import resolve_place

    return resolve_place(place, country=country, near=near, within=within, gazetteer=gazetteer, online=online)


def _summary(place) -> dict:
    return {k: getattr(place, k) for k in _FIELDS}


def _table(result) -> str:
    lines = []
    header = f"{'#':>2}  {'name':<28} {'kind':<9} {'cc':<3} {'region':<22} {'population':>11}  " \
             f"{'lon':>10} {'lat':>9}  {'uncertainty':<12} source"
    lines.append(header)
    for i, c in enumerate(result.candidates, 1):
        unc = "polygon" if c.geometry else f"±{c.uncertainty_m / 1000:.1f} km"
        pop = f"{c.population:,}" if c.population else "-"
        mark = "*" if result.best is not None and c is result.best else " "
        lines.append(f"{i:>2}{mark} {c.name[:28]:<28} {c.kind:<9} {(c.country or '-'):<3} "
                     f"{(c.region or '-')[:22]:<22} {pop:>11}  {c.lon:>10.5f} {c.lat:>9.5f}  {unc:<12} {c.source}")
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
@_narrowing_options
@click.option("--limit", type=click.IntRange(1, 100), default=10, show_default=True,
              help="Most candidates to list.")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True,
              help="Output format (json: sorted keys, UTF-8).")
@click.option("-o", "--output", metavar="PATH", default="-",
              help="Write to this file (atomically) instead of standard output.")
@click.option("-v", "--verbose", count=True, help="More diagnostics on stderr (-vv for debug).")
@click.option("-q", "--quiet", is_flag=True, help="Only errors on stderr.")
def geocode(name, country, near, within, gazetteer, online, limit, fmt, output, verbose, quiet):
    """Find NAME in the offline gazetteer and print its location and uncertainty.

    NAME may be in Latin, Cyrillic or Armenian script and may carry feature
    words ("Hadrut district", "the village of Togh").  When several places match
    and none dominates, the candidates are printed and the command exits 2 with
    the narrowing options on stderr.
    """
    configure_logging(verbose, quiet)
    from geomap.errors import AmbiguousPlace
    from geomap.io.write import emit, guard_output
    from geomap.places.gazetteer import geocode as run_geocode

    guard_output(output, [gazetteer, within])
    result = run_geocode(name, country=country, near=near, within=within, gazetteer=gazetteer,
                         online=online, limit=limit)
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
            doc["candidates"] = [dict(_summary(c), distance_to_near_m=c.distance_to_near_m)
                                 for c in result.candidates]
        text = json.dumps(doc, sort_keys=True, indent=2, ensure_ascii=False) + "\n"
    else:
        text = _table(result)
    emit(text, output)  # standard output, or -o atomically
    if result.best is None:
        raise AmbiguousPlace(f"{result.query!r} is ambiguous ({result.total} candidates, "
                             f"{len(result.candidates)} listed): "
                             "narrow it with --country CC, --near LON,LAT or --within LAYER")


__all__ = ["geocode", "place_options", "place_from_options", "places_options", "places_from_options", "parse_near"]
