"""What happens to a line layer's geometries after they are read, before anything is measured.

* :func:`collect_notes` / :func:`summarise_notes` (from :mod:`geomap.io.guards`) -
  record a reader's notes and put them in one line per kind.
* :func:`line_parts` - every LineString part of a layer with its feature and
  part number, without a Python loop over features.
* :func:`segments_of` - the geodesic segments of those parts as one
  :class:`geomap.geodesy.Segments` (numpy only).
* :func:`check_features` - refuse a layer with a one-vertex line, an unreadable
  geometry or no usable segment (one line naming the feature); note empty
  parts, point features and polygons that are skipped.
* :func:`check_segments` - refuse a segment past a quarter meridian; note long
  segments whose geodesic departs from the straight line in lon/lat.
* :func:`layer_accuracy` - a layer's accuracy and where it came from.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Callable

import numpy as np

from geomap.errors import LayerError
from geomap.io.guards import collect_notes, summarise_notes  # noqa: F401  (re-exported for the layer modules)

#: attribute fields read as a layer's stated accuracy (metres)
ACCURACY_FIELDS = ("accuracy_m",)

#: the longest segment measured to (m): a quarter meridian.  Past it the geodesic between two vertices moves
#: farther than they do (on a sphere its middle moves 1/cos(L/2R) times as far as both ends: 1.41 at a quarter
#: circle, without bound towards the antipode, where there are several geodesics), so no accuracy bounds it
MAX_SEGMENT_M = 10_001_965.7

#: segments spanning less than this in lon and lat (degrees) are not looked at for their departure (it is
#: under a metre: about L² tan(lat) / 8R for L the segment's length)
_SHORT_DEG = 0.05

_LINE_IDS = (1, 2)  # LineString, LinearRing
_POLY_IDS = (3,)
_NESTED_IDS = (5, 6, 7)  # MultiLineString, MultiPolygon, GeometryCollection


def line_parts(geoms: np.ndarray, rings: bool):
    """The non-empty LineStrings of ``geoms`` in order: ``(parts, feature_of_part, part_in_feature)``.

    Multi-geometries and collections are flattened level by level (parts of a
    collection that nests lines at several depths: shallower first); polygon rings
    (exterior first) are lines only when ``rings``; points are not lines.
    """
    import shapely

    geoms = np.asarray(geoms, dtype=object)
    idx = np.arange(geoms.shape[0])
    keep = ~np.equal(geoms, None)
    geoms, idx = geoms[keep], idx[keep]
    lines, owners = [], []
    while geoms.size:
        kinds = shapely.get_type_id(geoms)
        is_line = np.isin(kinds, _LINE_IDS)
        is_poly = np.isin(kinds, _POLY_IDS)
        nested = np.isin(kinds, _NESTED_IDS)
        # the order of the output must be the features' order, with each feature's parts depth first:
        # collect by position, then sort by (owner, order of discovery)
        lines.append((geoms[is_line], idx[is_line]))
        if rings and is_poly.any():
            ring_geoms, ring_idx = shapely.get_rings(geoms[is_poly], return_index=True)
            lines.append((ring_geoms, idx[is_poly][ring_idx]))
        if not nested.any():
            break
        sub, sub_idx = shapely.get_parts(geoms[nested], return_index=True)
        geoms, idx = sub, idx[nested][sub_idx]
    if not lines:
        return np.empty(0, dtype=object), np.empty(0, dtype=np.int64), np.empty(0, dtype=np.int64)
    parts = np.concatenate([p for p, _ in lines])
    owner = np.concatenate([o for _, o in lines]).astype(np.int64)
    # parts found at one nesting level keep their order; a stable sort by feature keeps it within each
    # feature (a collection holding lines at several depths: shallower parts first)
    order = np.argsort(owner, kind="stable")
    parts, owner = parts[order], owner[order]
    nonempty = ~shapely.is_empty(parts)
    parts, owner = parts[nonempty], owner[nonempty]
    first = np.searchsorted(owner, owner, side="left")
    return parts, owner, np.arange(owner.shape[0]) - first


def segments_of(parts: np.ndarray, feature: np.ndarray, part: np.ndarray):
    """The geodesic segments of ``parts`` (numpy only): a :class:`geomap.geodesy.Segments`."""
    import shapely

    from geomap.geodesy import Segments

    xy, which = shapely.get_coordinates(parts, return_index=True)
    if xy.shape[0] < 2:
        empty, iempty = np.empty(0), np.empty(0, dtype=np.int64)
        return Segments(empty, empty, empty, empty, iempty, iempty, iempty)
    same = which[:-1] == which[1:]
    start = np.flatnonzero(same)
    owner = which[start]
    first_vertex = np.searchsorted(which, owner, side="left")
    return Segments(
        np.ascontiguousarray(xy[start, 0]),
        np.ascontiguousarray(xy[start, 1]),
        np.ascontiguousarray(xy[start + 1, 0]),
        np.ascontiguousarray(xy[start + 1, 1]),
        np.asarray(feature, dtype=np.int64)[owner],
        np.asarray(part, dtype=np.int64)[owner],
        (start - first_vertex).astype(np.int64),
    )


def check_features(geoms: np.ndarray, notes: list, *, source: str, rings: bool, label: Callable[[int], str]):
    """Refuse unusable features; add notes for skipped ones.  Returns nothing; raises :class:`LayerError`.

    One-vertex lines and unreadable geometries (notes of those kinds from the
    reader) are refused naming the feature; empty parts inside
    MultiLineStrings read by GDAL, point features and (without ``rings``)
    polygons next to lines are noted and skipped.
    """
    import shapely

    for kind, feature, text in notes:
        if kind == "one-vertex line":
            raise LayerError(f"{source}: {label(feature)} is a line with a single vertex: "
                             "fix or delete that feature (a line needs two vertices)")
        if kind == "unreadable geometry":
            raise LayerError(f"{source}: {label(feature)} has a geometry geomap cannot read (an unknown or curved "
                             "type): convert it to LineString, e.g. ogr2ogr -nlt MULTILINESTRING out.gpkg in.gpkg")
    kinds = shapely.get_type_id(geoms)  # -1 for None
    if (kinds == 5).any():  # MultiLineStrings with EMPTY members (GDAL's reading of [] parts)
        multi = np.flatnonzero(kinds == 5)
        parts, owner = shapely.get_parts(geoms[multi], return_index=True)
        for f in np.unique(multi[owner[shapely.is_empty(parts)]]):
            notes.append(("empty part", int(f), "empty part(s) dropped"))
    for ids, what in (((0, 4), "point feature(s) skipped (not lines)"),
                      ((-1,), "feature(s) without geometry skipped")):
        for f in np.flatnonzero(np.isin(kinds, ids)):
            notes.append(("skipped", int(f), what))
    present = np.flatnonzero(kinds >= 0)
    for f in present[shapely.is_empty(geoms[present])]:
        notes.append(("skipped", int(f), "feature(s) with an empty geometry skipped"))
    if not rings and np.isin(kinds, (3, 6)).any() and np.isin(kinds, (1, 2, 5, 7)).any():
        for f in np.flatnonzero(np.isin(kinds, (3, 6))):
            notes.append(("skipped", int(f), "polygon feature(s) skipped (pass --rings to measure to their boundaries)"))


def check_segments(geoms: np.ndarray, *, source: str, rings: bool, label: Callable[[int], str]) -> float:
    """Refuse a segment longer than :data:`MAX_SEGMENT_M`; return the largest departure (m) of a segment's
    geodesic from the straight line in lon/lat between its vertices (0 for short segments).

    GeoJSON (RFC 7946) and web maps draw a segment straight in lon/lat (or in Web Mercator); geomap
    measures to the geodesic between the vertices.  The departure is taken at the middle of each long
    segment (where it is largest for a segment along a parallel): an estimate for a note, not a bound.
    """
    from geomap.geodesy import GEOD

    segs = segments_of(*line_parts(geoms, rings))
    if len(segs) == 0:
        return 0.0
    dlon = (segs.lon1 - segs.lon0 + 180.0) % 360.0 - 180.0
    long_ = np.flatnonzero((np.abs(dlon) > _SHORT_DEG) | (np.abs(segs.lat1 - segs.lat0) > _SHORT_DEG))
    if not long_.size:
        return 0.0
    lon0, lat0, lat1 = segs.lon0[long_], segs.lat0[long_], segs.lat1[long_]
    az, _back, length = GEOD.inv(lon0, lat0, segs.lon1[long_], lat1)
    length = np.asarray(length, dtype=float)
    too_long = np.flatnonzero(length > MAX_SEGMENT_M)
    if too_long.size:
        k = long_[too_long[np.argmax(length[too_long])]]
        raise LayerError(
            f"{source}: {label(int(segs.feature[k]))} has a segment {float(length.max()) / 1000:,.0f} km long "
            f"(vertices {int(segs.segment[k])} and {int(segs.segment[k]) + 1}): past a quarter meridian "
            f"({MAX_SEGMENT_M / 1000:,.0f} km) the geodesic between two vertices moves farther than they do, and "
            "between antipodes there are several, so no accuracy bounds it: add vertices along the line you mean "
            "(e.g. ogr2ogr -segmentize 0.1 out.gpkg FILE)")
    mid_lon, mid_lat, _ = GEOD.fwd(lon0, lat0, az, length / 2)
    straight_lon = lon0 + dlon[long_] / 2
    straight_lon = (straight_lon + 180.0) % 360.0 - 180.0
    _a, _b, departure = GEOD.inv(np.asarray(mid_lon, dtype=float), np.asarray(mid_lat, dtype=float),
                                 straight_lon, (lat0 + lat1) / 2)
    return float(np.max(departure))


def departure_note(departure_m: float, accuracy_m: float | None) -> str | None:
    """The note on a line whose segments' geodesics depart from the straight lon/lat line, if that matters.

    It matters above 100 m, and above a tenth of the line's stated accuracy when it states one.
    """
    if departure_m <= max(100.0, 0.1 * (accuracy_m or 0.0)):
        return None
    return (f"long segments: geomap measures to the geodesic between vertices, which departs up to "
            f"{departure_m / 1000:,.2f} km from the straight line in lon/lat that GeoJSON (RFC 7946) and web maps "
            "draw; if the line was drawn on such a map, add vertices (e.g. ogr2ogr -segmentize 0.01) so the two agree")


def layer_accuracy(*, given_m: float | None, registry_layer, path: Path | None, attrs: dict, notes: list):
    """``(accuracy_m, source)`` for a layer: the first of

    1. ``given_m`` (``--layer-accuracy-m``),
    2. a shipped layer's ``layer.json`` ``accuracy_m``,
    3. a ``layer.json`` beside a user's file that describes that file,
    4. an ``accuracy_m`` attribute (the largest value, if features differ),

    else ``(None, "none stated")``.
    """
    if given_m is not None:
        return float(given_m), "--layer-accuracy-m"
    if registry_layer is not None:
        if registry_layer.accuracy_m is not None:
            return float(registry_layer.accuracy_m), f"{registry_layer.id} layer.json accuracy_m"
        return None, "none stated"
    if path is not None:
        beside = path.parent / "layer.json"
        if beside.is_file():
            try:
                meta = json.loads(beside.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                meta = None
            if (isinstance(meta, dict) and str(meta.get("geometry_file", "data.geojson")) == path.name
                    and isinstance(meta.get("accuracy_m"), (int, float)) and meta["accuracy_m"] >= 0):
                return float(meta["accuracy_m"]), "layer.json beside the file"
    for name in ACCURACY_FIELDS:
        column = next((attrs[k] for k in attrs if str(k).lower() == name), None)
        if column is None:
            continue
        values = np.array([_number(v) for v in column], dtype=float)
        values = values[np.isfinite(values) & (values >= 0)]
        if values.size:
            if values.min() != values.max():
                notes.append(("accuracy", None, f"features state accuracy_m from {values.min():g} to "
                                                f"{values.max():g} m; the largest is used for every feature"))
            return float(values.max()), f"the layer's {name} field"
    return None, "none stated"


def _number(value) -> float:
    try:
        return float(value)
    except (TypeError, ValueError):
        return float("nan")
