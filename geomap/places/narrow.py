"""Narrow: keep the candidates the options allow (country, near, within, the line's context).

The second stage of :func:`geomap.places.gazetteer.geocode` (gather -> narrow ->
rank -> decide).  Each function takes and returns a list of
:class:`~geomap.places.model.Place` and raises
:class:`~geomap.errors.PlaceNotFound` with one line when nothing is left.
"""

from __future__ import annotations

from dataclasses import replace
from functools import lru_cache
from pathlib import Path

from geomap.errors import FileFormatError, LayerError, LayerNotFound, PlaceNotFound
from geomap.places.context import PlaceContext, describe_far
from geomap.places.gather import TIERS
from geomap.places.model import NEAR_RADIUS_M, Place

#: how to get out when the context excludes every candidate
WAYS_OUT = ("add the place with --gazetteer FILE, give its coordinates with --at LON,LAT, "
            "or name its country with --country CC")


def geod():
    """A WGS84 :class:`pyproj.Geod`."""
    from pyproj import Geod

    return Geod(ellps="WGS84")


def by_country(cands: list[Place], country: str, query: str) -> list[Place]:
    """Keep candidates in ``country`` (ISO alpha-2, upper case)."""
    kept = [c for c in cands if (c.country or "").upper() == country]
    if not kept:
        found = ", ".join(sorted({c.country or "?" for c in cands}))
        raise PlaceNotFound(f"no place called {query!r} in country {country}; it exists in {found}")
    return kept


def by_near(cands: list[Place], near: tuple[float, float], query: str) -> list[Place]:
    """Keep candidates within ``NEAR_RADIUS_M`` (100 km, geodesic) of ``near``; set ``distance_to_near_m``."""
    g = geod()
    measured = []
    for c in cands:
        if c.geometry is not None:
            from shapely.geometry import Point, shape

            poly = shape(c.geometry)
            if poly.contains(Point(near)):
                d = 0.0
            else:
                from shapely.ops import nearest_points

                q = nearest_points(poly.boundary, Point(near))[0]
                d = g.inv(near[0], near[1], q.x, q.y)[2]
        else:
            d = g.inv(near[0], near[1], c.lon, c.lat)[2]
        measured.append(replace(c, distance_to_near_m=round(d, 1)))
    kept = [c for c in measured if c.distance_to_near_m <= NEAR_RADIUS_M]
    if not kept:
        nearest = min(measured, key=lambda c: c.distance_to_near_m)
        raise PlaceNotFound(
            f"no place called {query!r} within {NEAR_RADIUS_M / 1000:.0f} km of {near[0]},{near[1]}; "
            f"the nearest is {nearest.describe()}, {nearest.distance_to_near_m / 1000:.0f} km away"
        )
    return kept


def by_context(cands: list[Place], context: PlaceContext, query: str,
               always=lambda place: False) -> tuple[list[Place], list[Place]]:
    """Measure each candidate to ``context``; keep those within ``context.radius_m`` (and those ``always`` keeps).

    Returns ``(kept, far)``; raises PlaceNotFound naming the nearest candidates,
    their distances and the ways out when every candidate is far.
    """
    # the exact sample distance only where the cheap lower bound does not already rule a candidate out,
    # and for the three nearest far ones (named in the message); the others keep the bound
    bounds = [context.lower_bound_m(c.lon, c.lat) for c in cands]
    far_order = sorted(range(len(cands)), key=lambda i: bounds[i])
    exact = {i for i in range(len(cands)) if bounds[i] <= context.radius_m or always(cands[i])}
    exact.update(i for i in far_order[:3])
    measured = [replace(c, distance_to_context_m=round(context.distance_m(c.lon, c.lat) if i in exact else b, 1))
                for i, (c, b) in enumerate(zip(cands, bounds))]
    near = [always(c) or c.distance_to_context_m <= context.radius_m for c in measured]
    kept = [c for c, k in zip(measured, near) if k]
    far = [c for c, k in zip(measured, near) if not k]
    if not kept:
        raise PlaceNotFound(
            f"no place called {query!r} lies within {context.radius_m / 1000:,.0f} km of the {context.label}; "
            f"the nearest: {describe_far(far, context)}: {WAYS_OUT}"
        )
    _refuse_lone_transliteration(kept, far, context, query, always)
    return kept, far


def _refuse_lone_transliteration(kept: list[Place], far: list[Place], context: PlaceContext, query: str,
                                 always) -> None:
    """Refuse when the context left only transliteration-key matches of a name that is spelled so far away.

    'Tallinn' is the own name of Tallinn (EE); near the Nagorno-Karabakh line
    only Talin (AM) has the same loose key ('talin'), and it was taken, as
    'Sos' became Shosh and 'Sousse' Shusha.  A key match is how 'Հադրութ'
    finds Hadrut; it is not evidence when the name, as spelled, belongs to
    another place.
    """
    if not far or any(always(c) for c in kept):
        return
    near_tier = min(TIERS.get(c.match, 0) for c in kept)
    far_best = [c for c in far if TIERS.get(c.match, 0) == TIERS["exact"]]  # a far place's own name
    if near_tier < TIERS["transliteration"] or not far_best:  # 'Tog' (Togiak's code TOG) still finds Togh
        return
    near = ", ".join(f"{c.display_name} ({c.country or '?'}) {c.distance_to_context_m / 1000:,.0f} km"
                     for c in sorted(kept, key=lambda c: c.distance_to_context_m)[:3])
    raise PlaceNotFound(
        f"{query!r} names {describe_far(far_best, context)} from the {context.label}; near the line only "
        f"{near} matches, by a loose transliteration, and is not taken for it: query that place by "
        f"its own name if it is meant, or {WAYS_OUT}"
    )


def by_within(cands: list[Place], within: str, query: str) -> list[Place]:
    """Keep candidates inside the polygons of ``within`` (districts: that intersect them)."""
    from shapely.geometry import Point, shape

    area, label = within_shape(within)
    kept = [c for c in cands if (shape(c.geometry).intersects(area) if c.geometry is not None
                                 else area.covers(Point(c.lon, c.lat)))]
    if not kept:
        raise PlaceNotFound(f"no place called {query!r} lies within {label}; {len(cands)} lie outside it")
    return kept


def within_shape(within: str | Path):
    """Return ``(geometry, label)``: the union of the polygons of a layer id or any polygon file.

    Any shipped layer with polygons (areas, districts, countries) or any file the
    vector readers take (GeoJSON, GeoPackage, Shapefile, KML, ...).

    Raises
    ------
    LayerNotFound
        ``within`` is neither a shipped layer id nor an existing file.
    FileFormatError
        The layer or file has no polygons, or cannot be read.
    """
    from geomap.layers.resolve import resolve

    try:
        path, meta = resolve(str(within))
    except LayerNotFound as exc:
        raise LayerNotFound(f"{exc} (or give a path to a polygon file)") from None
    label = f"layer {meta.id}" if meta is not None else Path(path).name
    stat = Path(path).stat()
    return _within_cached(str(Path(path).resolve()), stat.st_size, stat.st_mtime_ns, label), label


@lru_cache(maxsize=8)
def _within_cached(path: str, size: int, mtime_ns: int, label: str):
    import shapely

    from geomap.layers.lineset import read_vector

    try:
        geoms, _attrs, _crs = read_vector(Path(path))
    except LayerError as exc:
        raise FileFormatError(f"--within {label}: {exc}") from None
    polys = [g for g in geoms if g is not None and g.geom_type in ("Polygon", "MultiPolygon")]
    if not polys:
        raise FileFormatError(f"--within {label} has no polygons: give an area, districts or countries layer, "
                              "or a polygon file")
    area = shapely.union_all([shapely.make_valid(p) for p in polys])
    shapely.prepare(area)
    return area
