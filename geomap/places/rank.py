"""Rank: merge duplicates across sources, keep the best match tier, order, and the dominance rule.

The third stage of :func:`geomap.places.gazetteer.geocode` (gather -> narrow ->
rank -> decide).  Standard library only.
"""

from __future__ import annotations

from dataclasses import replace

from geomap.places.gather import TIERS, sources_attribution
from geomap.places.model import DOMINANCE_FLOOR, DOMINANCE_RATIO, KIND_ORDER, MERGE_RADIUS_M, Place, haversine_m
from geomap.places.names import name_key

def dominant(cands: list[Place]) -> bool:
    if len(cands) == 1:
        return True
    top = cands[0].population or 0
    rest = max((c.population or 0) for c in cands[1:])
    return top >= DOMINANCE_RATIO * max(rest, DOMINANCE_FLOOR)


RULE = (
    f"dominant = the only candidate, or population >= {DOMINANCE_RATIO:g} x every other candidate's "
    f"and >= {DOMINANCE_RATIO * DOMINANCE_FLOOR:,.0f}"
)


def keys(place: Place) -> set[str]:
    return {name_key(place.name), name_key(place.matched_name)}


def merge_duplicates(cands: list[Place]) -> list[Place]:
    """Merge candidates from different sources that are the same place.

    Two points merge when they share a name key and lie within ``MERGE_RADIUS_M``;
    two polygons merge when they are the same feature.  The first (better
    ranked) keeps its coordinates; the other's source is added to ``sources``.
    """
    out: list[Place] = []
    for c in cands:
        for i, o in enumerate(out):
            if c.source == o.source:
                continue
            if c.geometry is None and o.geometry is None:
                same = (bool(keys(c) & keys(o))
                        and haversine_m(c.lon, c.lat, o.lon, o.lat) <= MERGE_RADIUS_M)
            else:
                same = c.geometry is not None and c.geometry == o.geometry
            if same:
                srcs = o.sources + tuple(s for s in c.sources if s not in o.sources)
                lic, att = sources_attribution(list(srcs))
                out[i] = replace(o, sources=srcs, source="; ".join(dict.fromkeys(s["source"] for s in srcs)),
                                 licence=lic, attribution=att)
                break
        else:
            out.append(c)
    return out



def keep_best_tier(cands: list[Place]) -> tuple[list[Place], list[Place]]:
    """Split candidates into those of the best match tier present and the rest (dropped).

    An exact match on a place's own name beats one on an alternate name, which
    beats a match once diacritics are dropped, which beats a transliteration-key
    match (see :data:`geomap.places.gather.TIERS`).
    """
    if not cands:
        return cands, []
    top = min(TIERS.get(c.match, 0) for c in cands)
    kept = [c for c in cands if TIERS.get(c.match, 0) == top]
    dropped = [c for c in cands if TIERS.get(c.match, 0) > top]
    return kept, dropped


def sort_candidates(cands: list[Place]) -> list[Place]:
    """Best first: nearest to the context (or the ``near`` point) when measured, then population, kind, name."""
    def key(c: Place):
        d = c.distance_to_near_m if c.distance_to_near_m is not None else c.distance_to_context_m
        return (d if d is not None else 0.0, -(c.population or 0), KIND_ORDER.get(c.kind, 9), c.name)

    return sorted(cands, key=key)
