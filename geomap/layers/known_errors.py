"""The recorded known errors of a layer that concern a point (``known_errors`` in its layer.json).

A shipped layer may list places where it is known to be wrong (for example
``nk-line-2020`` near Shusha and Lachin): each entry has a place, a position,
a radius and optionally the dates it applies to.  The pipeline turns matches
into notes beside the measurement.
"""

from __future__ import annotations

import datetime as _dt

from geomap.layers.registry import Layer, get_layer, parse_date


def known_errors_near(layer: Layer | str, lon: float, lat: float, radius_m: float = 0.0,
                      date: str | _dt.date | None = None) -> list[dict]:
    """The layer's recorded known errors that concern a point (``known_errors`` in layer.json).

    Parameters
    ----------
    layer : Layer or str
        A shipped layer or its id.
    lon, lat : float
        The point, degrees WGS84.
    radius_m : float
        The point's own uncertainty radius, metres; an error concerns the point
        when the point's circle meets the error's circle (``radius_m`` in the entry).
    date : str or datetime.date, optional
        The incident date: entries with ``valid_from``/``valid_to`` only apply then.

    Returns
    -------
    list of dict
        The matching entries, each with ``distance_m`` (great-circle distance
        from the point to the entry's place, metres, spherical, 6371 km radius)
        added; nearest first.
    """
    import math

    if isinstance(layer, str):
        layer = get_layer(layer, verify=False)
    day = parse_date(date) if date is not None else None
    out = []
    for entry in layer.known_errors:
        try:
            elon, elat = float(entry["lon"]), float(entry["lat"])
        except (KeyError, TypeError, ValueError):
            continue
        if day is not None:
            if entry.get("valid_from") and day < _dt.date.fromisoformat(entry["valid_from"]):
                continue
            if entry.get("valid_to") and day > _dt.date.fromisoformat(entry["valid_to"]):
                continue
        p1, p2 = math.radians(lat), math.radians(elat)
        dphi, dlam = p2 - p1, math.radians(elon - lon)
        h = math.sin(dphi / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dlam / 2) ** 2
        dist = 2 * 6_371_000.0 * math.asin(min(1.0, math.sqrt(h)))
        if dist <= float(entry.get("radius_m", 0.0)) + float(radius_m):
            out.append(dict(entry, distance_m=round(dist, 1)))
    return sorted(out, key=lambda e: e["distance_m"])
