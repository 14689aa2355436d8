"""The recorded known errors of a layer that concern a point (``known_errors`` in its layer.json).

A shipped layer may list places where it is known to be wrong (for example
``nk-line-2020`` near Shusha and Lachin): each entry has a place, a position,
a radius and optionally the dates it applies to.  The pipeline turns matches
into notes beside the measurement.
"""

from __future__ import annotations

import datetime as _dt

from geomap.layers.registry import Layer, get_layer, parse_date

#: the result column of the known errors near each row (``geomap.pipeline.measure``; present when the line, or
#: a version of the theatre, records any): "LAYER is known to be wrong near PLACE: ...", else empty.  Such a
#: row's side is uncertain; where the layer's error there exceeds its stated accuracy the row is refused
#: (status :data:`KNOWN_WRONG`): see :func:`rows_near`
KNOWN_ERROR_COLUMN = "known_error"

#: the status of a row refused by a known error larger than the layer's stated accuracy
KNOWN_WRONG = "layer_known_wrong"


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
    import numpy as np

    if isinstance(layer, str):
        layer = get_layer(layer, verify=False)
    day = parse_date(date) if date is not None else None
    dates = np.array([np.datetime64(day.isoformat(), "D") if day is not None else np.datetime64("NaT")])
    out = []
    for entry, hit, dist in matches(layer, [lon], [lat], [radius_m], dates):
        if hit[0]:
            out.append(dict(entry, distance_m=round(float(dist[0]), 1)))
    return sorted(out, key=lambda e: e["distance_m"])


def matches(layer: Layer, lon, lat, radius_m, dates=None):
    """Yield ``(entry, hit, distance_m)`` for each known error of ``layer``, over arrays of points.

    The one rule for when a recorded error concerns a point: the point's circle (``radius_m``)
    meets the entry's circle, on the entry's dates.  ``dates`` (datetime64[D], NaT for unknown;
    None: all unknown): an entry with ``valid_from``/``valid_to`` applies on those dates; where the
    date is unknown it cannot be ruled out, and applies when its dates overlap the layer's own validity.  ``distance_m``: great-circle distance
    from each point to the entry's place (spherical, 6371 km radius), metres; inf where it is out of reach.
    """
    import numpy as np

    lon = np.asarray(lon, dtype=float)
    lat = np.asarray(lat, dtype=float)
    radius = np.broadcast_to(np.nan_to_num(np.asarray(radius_m, dtype=float)), lon.shape)
    for entry in layer.known_errors:
        try:
            elon, elat = float(entry["lon"]), float(entry["lat"])
        except (KeyError, TypeError, ValueError):
            continue
        start, end = entry.get("valid_from"), entry.get("valid_to")
        # an undated point is taken as of the layer's own validity: the entry applies if the two overlap
        undated = not ((start and layer.valid_to and str(start) > str(layer.valid_to))
                       or (end and layer.valid_from and str(end) < str(layer.valid_from)))
        when = np.full(lon.shape, undated, dtype=bool)
        if dates is not None:
            known = ~np.isnat(dates)
            when[known] = True
            if start:
                when &= ~known | (dates >= np.datetime64(str(start), "D"))
            if end:
                when &= ~known | (dates <= np.datetime64(str(end), "D"))
        reach_m = float(entry.get("radius_m", 0.0)) + radius
        # only points within the reach in latitude can be within it at all (1M points: ~10x faster)
        near = np.flatnonzero(when & (np.abs(lat - elat) <= np.degrees(reach_m / 6_371_000.0) + 1e-9))
        dist = np.full(lon.shape, np.inf)
        p1, p2 = np.radians(lat[near]), np.radians(elat)
        dphi, dlam = p2 - p1, np.radians(elon - lon[near])
        h = np.sin(dphi / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dlam / 2) ** 2
        dist[near] = 2 * 6_371_000.0 * np.arcsin(np.minimum(1.0, np.sqrt(h)))
        yield entry, when & (dist <= reach_m), dist


def recorded(theatre, lines) -> bool:
    """Whether the results get the ``known_error`` column: the line, or some version of the theatre, records any.

    Decided by the request, not by the rows, so every partition of a Dask run has the same columns.
    """
    if theatre is not None:
        from geomap.layers.registry import list_layers

        return any(layer.known_errors for layer in list_layers(theatre=theatre))
    layer = getattr(lines, "layer", None)
    return bool(layer is not None and layer.known_errors)


def covering_radius_m(lon, lat, radius_m, areas=None):
    """Each row's radius (m) for :func:`matches`: its location radius, or for an area row (``areas[i]`` a
    geometry) the distance from its point to the area's farthest vertex, so the circle covers the area."""
    import numpy as np
    import shapely

    out = np.array(np.nan_to_num(np.asarray(radius_m, dtype=float)), dtype=float, copy=True)
    if areas is None:
        return out
    for i in np.flatnonzero([a is not None for a in areas]):
        xy = shapely.get_coordinates(areas[i])
        p1, p2 = np.radians(lat[i]), np.radians(xy[:, 1])
        h = np.sin((p2 - p1) / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(np.radians(xy[:, 0] - lon[i]) / 2) ** 2
        out[i] = max(out[i], float(2 * 6_371_000.0 * np.arcsin(np.minimum(1.0, np.sqrt(h))).max(initial=0.0)))
    return out


def _area_reaches(area, entry: dict) -> bool:
    """Whether ``area`` (lon/lat polygon) comes within the entry's radius of its place.

    Measured in a local equirectangular plane about the place (within 1 % of the geodesic distance out to
    a few tens of km), with 1 % to spare, so a near miss counts.
    """
    import math

    import numpy as np
    import shapely

    elon, elat = float(entry["lon"]), float(entry["lat"])
    scale = 6_371_000.0 * math.pi / 180.0
    local = shapely.transform(area, lambda xy: np.column_stack((((xy[:, 0] - elon + 180.0) % 360.0 - 180.0)
                                                                * scale * math.cos(math.radians(elat)),
                                                                (xy[:, 1] - elat) * scale)))
    return bool(shapely.distance(local, shapely.Point(0.0, 0.0)) <= 1.01 * float(entry.get("radius_m", 0.0)))


def rows_near(groups: dict, layer_meta: dict, lines_by_id: dict, lon, lat, row_radius, dates, areas=None):
    """The rows each group's layer is known to be wrong near: ``(codes, labels, near, refused, error_m)``.

    ``groups``: layer key -> row numbers measured against it; ``layer_meta``: key -> :class:`Layer`
    (groups without one have no recorded errors); ``lines_by_id``: key -> LineSet already loaded.
    ``codes`` (int32, -1: none) index ``labels``, the ``known_error`` text of each row; ``near``: rows
    within a known error (their side is uncertain); ``refused``: rows it refuses (below).  ``areas``: the
    area of each row (None for a point), whose ``row_radius`` is :func:`covering_radius_m`'s; an area
    matches an error it reaches.

    A recorded known error names a place the layer puts on the wrong side (see
    :mod:`geomap.layers.known_errors`), so within its circle the map supports no
    side.  The place's own distance to the line is then a lower bound of the
    layer's error there: when it exceeds the layer's stated accuracy (or the layer
    states none), the interval ``d ± a`` is no bound either, and the rows within
    the circle are refused rather than given a distance, a side or a verdict.
    A row without a date cannot rule out a dated error whose dates overlap the layer's validity: it applies.

    An entry with ``error_m`` records instead where another source of the same line lies that far from it
    (scripts/layer_disagreements.py): which one is right is not known, so within its circle the layer is no
    more accurate than that.  ``error_m`` (float, 0: none) is the largest such figure at each row: the
    caller takes it as the row's accuracy where it exceeds the stated one (the side then follows the
    widened interval, one rule); such rows are neither refused nor counted in ``near``.
    """
    import numpy as np

    n = len(lon)
    codes_out = np.full(n, -1, dtype=np.int32)
    labels_out: list[str] = []
    near = np.zeros(n, dtype=bool)
    refused = np.zeros(n, dtype=bool)
    error_m = np.zeros(n)
    for lid, idx in groups.items():
        layer = layer_meta.get(lid)
        if layer is None or not idx.size or not layer.known_errors:
            continue
        row_dates = None if dates is None else dates[idx]
        undated = np.ones(idx.size, dtype=bool) if row_dates is None else np.isnat(row_dates)
        bits = np.zeros(idx.size, dtype=np.int64)
        side_bits = np.zeros(idx.size, dtype=bool)  # rows within an entry that makes the side unknown
        texts: list[str] = []
        for k, (entry, hit, _dist) in enumerate(matches(layer, lon[idx], lat[idx], row_radius[idx], row_dates)):
            if areas is not None:  # the covering circle meets the error's: does the area itself?
                for j in np.flatnonzero(hit):
                    if areas[idx[j]] is not None and not _area_reaches(areas[idx[j]], entry):
                        hit[j] = False
            text = undated_text = f"{layer.id} is known to be wrong near {entry['place']}: {entry['what']}"
            if entry.get("error_m") is not None:
                text = undated_text = (f"{layer.id} disagrees with {entry.get('with')} near {entry['place']}: "
                                       f"{entry['what']}")
            if hit.any() and entry.get("error_m") is not None:  # another source's line that far: a wider interval
                bits[hit] |= 1 << (2 * k)
                error_m[idx[hit]] = np.maximum(error_m[idx[hit]], float(entry["error_m"]))
            elif hit.any():
                bits[hit] |= 1 << (2 * k)
                side_bits |= hit
                refusal = _beyond_accuracy(entry, lid, lines_by_id)
                if refusal:
                    text = undated_text = f"{text} {refusal}"
                    refused[idx[hit]] = True
                    if entry.get("valid_from") or entry.get("valid_to"):  # an undated row cannot rule the dates out
                        bits[hit & undated] |= 1 << (2 * k + 1)
                        undated_text = (f"{text}; the incident has no date: give its date (--date, or a date "
                                        "column) to measure it on another day")
            texts += [text, undated_text]
        hit_rows = np.flatnonzero(bits)
        if not hit_rows.size:
            continue
        near[idx[np.flatnonzero(side_bits)]] = True
        combos, inverse = np.unique(bits[hit_rows], return_inverse=True)
        labels = []
        for combo in combos.tolist():
            chosen = []
            for k in range(len(texts) // 2):
                if combo >> (2 * k + 1) & 1:
                    chosen.append(texts[2 * k + 1])
                elif combo >> (2 * k) & 1:
                    chosen.append(texts[2 * k])
            labels.append("; ".join(chosen))
        codes_out[idx[hit_rows]] = len(labels_out) + inverse.reshape(-1)
        labels_out.extend(labels)
    return codes_out, labels_out, near, refused, error_m


def _beyond_accuracy(entry: dict, lid: str, lines_by_id: dict) -> str:
    """Why a known error refuses the rows near it, or '' when the layer's stated accuracy covers it.

    The entry's place lies on the wrong side of the line, so the layer's error there is at least the
    place's distance to the line: beyond the stated accuracy, ``d ± a`` bounds nothing near it.
    """
    from geomap.layers.distance import distance_to_line

    lineset = lines_by_id.get(lid)
    if lineset is None:
        from geomap.layers.cache import cached_lines

        lineset = cached_lines(lid)
    stated = getattr(lineset, "accuracy_m", None)
    accuracy_m = 0.0 if stated is None else float(stated)
    off_m = float(distance_to_line(lon=[float(entry["lon"])], lat=[float(entry["lat"])],
                                   lines=lineset).distance_m[0])
    if not off_m > accuracy_m:
        return ""
    stated_text = f"its stated accuracy of ±{accuracy_m / 1000:.1f} km" if stated is not None else \
        "any accuracy (it states none)"
    when = (f" on {entry.get('valid_from') or '..'}..{entry.get('valid_to') or '..'}"
            if entry.get("valid_from") or entry.get("valid_to") else "")
    return (f"{entry['place']} lies {off_m / 1000:.2f} km from this line on the wrong side, beyond {stated_text}: "
            f"no distance, side or verdict can be given within {float(entry.get('radius_m', 0.0)) / 1000:g} km "
            f"of it{when}")
