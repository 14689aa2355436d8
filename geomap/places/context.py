"""The context of a lookup: the line a command measures against, and the swap rule.

A name such as "Tigranakert" or "Kirs" means different places around the world;
a command that measures against the Nagorno-Karabakh line means the one near
that line.  :class:`PlaceContext` is that line (or a point, or an area) reduced
to sample points, so that candidates and coordinates can be measured against it
quickly.  It is built from the line itself:

* :meth:`PlaceContext.from_lines` - a loaded :class:`geomap.layers.lineset.LineSet`;
* :meth:`PlaceContext.from_layer` - a shipped layer id or any vector file;
* :meth:`PlaceContext.from_theatre` - every line and area layer of a theatre
  (all dates: a place name does not change with the date asked for);
* :meth:`PlaceContext.from_point` - ``near=(lon, lat)``.

Rules (documented in ``docs/gazetteer.md``)
-------------------------------------------
* **Context rule.** A candidate farther than ``radius_m`` (default
  :data:`CONTEXT_RADIUS_M`, 300 km) from the context's lines is never chosen;
  the others are ranked nearest first.  Distances are measured to sample points
  spaced at most :data:`SAMPLE_SPACING_M` (5 km) along the lines, so they
  overstate the true distance by at most 5 km, never understate it.
* **Swap rule.** A point (lon, lat) is a *swap suspect* when it lies outside
  the context's region (farther than ``radius_m``) while the point read the other
  way round (lat, lon) lies inside it, at least :data:`SWAP_RATIO` (10) times
  closer.  :func:`check_not_swapped` refuses such a point with one line naming
  both forms; :func:`swap_suspects` marks rows of a table.
* **Sign rule.** The same with a sign changed: (lon, lat) is a *sign suspect*
  when it lies outside the region while (-lon, lat), (lon, -lat) or
  (-lon, -lat) lies inside it, at least :data:`SWAP_RATIO` times closer (a lost
  or added minus sign, or a wrong hemisphere letter).  :func:`check_not_swapped`
  refuses such a point too; :func:`sign_suspects` marks rows of a table.

Distances here are great-circle distances on a sphere of the WGS84 mean radius:
they decide rules, they are never reported as results.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable

from geomap.errors import CoordinateError, InputError
from geomap.places.model import NEAR_RADIUS_M, haversine_m

__all__ = [
    "PlaceContext",
    "CONTEXT_RADIUS_M",
    "REGION_RADIUS_M",
    "OTHER_NAME_RADIUS_M",
    "SAMPLE_SPACING_M",
    "SWAP_RATIO",
    "swap_suspects",
    "sign_suspects",
    "check_not_swapped",
]

#: a candidate farther than this (m) from the context's lines is never chosen
CONTEXT_RADIUS_M = 300_000.0
#: a candidate farther than this (m) from the context's lines is chosen by its name alone only when the
#: query narrowed the search (--country, --near, --within): the place of that name in the theatre may be
#: missing from the gazetteer (Getashen of Nagorno-Karabakh; the gazetteer's Getashen is in Armavir)
REGION_RADIUS_M = 100_000.0
#: the same for a candidate found by another of its names (an alternate name or a transliteration), which in a
#: conflict is often a former name shared with a place elsewhere: Çaykənd is the Azerbaijani name of the
#: Getashen of Nagorno-Karabakh (missing) and a former name of Dprabak (AM), 86 km from the lines
OTHER_NAME_RADIUS_M = 50_000.0
#: the most arc length (m) between two sample points of a context's lines
SAMPLE_SPACING_M = 5_000.0
#: a swap suspect's swapped point is at least this many times closer to the context
SWAP_RATIO = 10.0
_EARTH_M = 6371008.8


def _sample_line(coords: Iterable, spacing_m: float, out_lon: list, out_lat: list) -> None:
    """Append sample points of one polyline, at most ``spacing_m`` of arc length apart.

    Long segments get points along them (on the lon/lat chord); runs of short
    segments are thinned to one point per ``spacing_m``.  Every point of the line
    is then within ``spacing_m / 2`` of arc length of a sample.
    """
    pts: list[tuple[float, float]] = []
    for c in coords:
        lon, lat = float(c[0]), float(c[1])
        if pts:
            plon, plat = pts[-1]
            n = int(math.ceil(haversine_m(plon, plat, lon, lat) / spacing_m))
            for k in range(1, n):
                pts.append((plon + (lon - plon) * k / n, plat + (lat - plat) * k / n))
        pts.append((lon, lat))
    if not pts:
        return
    kept = [pts[0]]
    acc = 0.0
    for i in range(1, len(pts)):
        step = haversine_m(pts[i - 1][0], pts[i - 1][1], pts[i][0], pts[i][1])
        if acc + step > spacing_m and kept[-1] != pts[i - 1]:
            kept.append(pts[i - 1])
            acc = 0.0
        acc += step
    if kept[-1] != pts[-1]:
        kept.append(pts[-1])
    out_lon.extend(p[0] for p in kept)
    out_lat.extend(p[1] for p in kept)


def _lines_of_shapely(geom) -> list:
    import shapely

    out = []
    for part in getattr(geom, "geoms", [geom]):
        if part is None or part.is_empty:
            continue
        if part.geom_type == "Polygon":
            out.append(list(part.exterior.coords))
            out.extend(list(r.coords) for r in part.interiors)
        elif part.geom_type in ("LineString", "LinearRing", "Point"):
            out.append(list(part.coords))
        else:
            out.extend(_lines_of_shapely(part) if hasattr(part, "geoms") else [shapely.get_coordinates(part).tolist()])
    return out


@dataclass(frozen=True)
class PlaceContext:
    """Where a lookup is about: sample points of a line (or area, or a point) and a radius.

    Attributes
    ----------
    label : str
        What the context is, for messages ("theatre nagorno-karabakh", "layer nk-line-2020").
    lon, lat : tuple of float
        Sample points (degrees), at most :data:`SAMPLE_SPACING_M` apart along the lines.
    radius_m : float
        Candidates farther than this (m) are not chosen (:data:`CONTEXT_RADIUS_M`;
        :data:`geomap.places.model.NEAR_RADIUS_M` for a point).
    flag : str
        The option that set the context, for messages (``--theatre``, ``--layer``, ``--near``).
    user_file : bool
        The context is the user's own line file (not a shipped or stored layer): a point that fits it
        only when swapped may as well mean that the file's coordinates are the swapped ones.
    """

    label: str
    lon: tuple
    lat: tuple
    radius_m: float = CONTEXT_RADIUS_M
    flag: str = "--layer"
    user_file: bool = False

    # ----------------------------------------------------------------- constructors
    @classmethod
    def from_polylines(cls, lines: Iterable, label: str, *, radius_m: float = CONTEXT_RADIUS_M,
                       flag: str = "--layer") -> "PlaceContext":
        """From polylines given as sequences of (lon, lat) pairs (degrees)."""
        lon: list[float] = []
        lat: list[float] = []
        for line in lines:
            _sample_line(line, SAMPLE_SPACING_M, lon, lat)
        if not lon:
            raise InputError(f"{label} has no geometry to look places up around: give a line or area layer")
        return cls(label=label, lon=tuple(lon), lat=tuple(lat), radius_m=float(radius_m), flag=flag)

    @classmethod
    def from_lines(cls, lineset, *, radius_m: float = CONTEXT_RADIUS_M) -> "PlaceContext":
        """From a loaded :class:`geomap.layers.lineset.LineSet` (its lon/lat geometries)."""
        import dataclasses

        user_file = getattr(lineset, "layer", None) is None
        # a user's file is named by its file name only: the label reaches messages and result notes
        name = Path(str(lineset.source)).name if user_file else lineset.source
        lines = [line for g in lineset.geoms if g is not None for line in _lines_of_shapely(g)]
        context = cls.from_polylines(lines, f"layer {name}", radius_m=radius_m, flag="--layer")
        return dataclasses.replace(context, user_file=user_file)

    @classmethod
    def from_layer(cls, layer: str | Path, *, radius_m: float = CONTEXT_RADIUS_M,
                   assume_crs: str | None = None) -> "PlaceContext":
        """From a shipped layer id or any vector file the readers take (lines, areas or points)."""
        return _layer_context(str(layer), float(radius_m), assume_crs)

    @classmethod
    def from_theatre(cls, theatre: str, *, radius_m: float = CONTEXT_RADIUS_M) -> "PlaceContext":
        """From every line and area layer of a shipped theatre, whatever their dates.

        Raises :class:`geomap.errors.LayerNotFound` for an unknown theatre.
        """
        from geomap.layers.roots import user_store_key

        return _theatre_context(str(theatre), float(radius_m), user_store_key())

    @classmethod
    def from_point(cls, lon: float, lat: float, *, radius_m: float = NEAR_RADIUS_M) -> "PlaceContext":
        """A point context (``near=``): candidates within ``radius_m`` (default 100 km)."""
        return cls(label=f"{lon},{lat}", lon=(float(lon),), lat=(float(lat),), radius_m=float(radius_m),
                   flag="--near")

    # ----------------------------------------------------------------- measures
    @property
    def bbox(self) -> tuple[float, float, float, float]:
        """(min lon, min lat, max lon, max lat) of the sample points, degrees."""
        return (min(self.lon), min(self.lat), max(self.lon), max(self.lat))

    @property
    def extent_m(self) -> float:
        """Half the diagonal of :attr:`bbox`, metres: the context's size."""
        b = self.bbox
        return haversine_m(b[0], b[1], b[2], b[3]) / 2

    @property
    def hub(self) -> tuple[float, float, float]:
        """(lon, lat, r): the bbox centre and the farthest sample from it (m), for a cheap lower bound."""
        cached = self.__dict__.get("_hub")
        if cached is None:
            b = self.bbox
            clon, clat = (b[0] + b[2]) / 2, (b[1] + b[3]) / 2
            r = max(haversine_m(clon, clat, lo, la) for lo, la in zip(self.lon, self.lat))
            cached = (clon, clat, r)
            object.__setattr__(self, "_hub", cached)
        return cached

    def lower_bound_m(self, lon: float, lat: float) -> float:
        """A lower bound (m) of :meth:`distance_m` from the centre alone (triangle inequality on the sphere)."""
        clon, clat, r = self.hub
        return max(0.0, haversine_m(clon, clat, float(lon), float(lat)) - r)

    def distance_m(self, lon: float, lat: float) -> float:
        """Distance (m) from one point to the nearest sample point (overstates by at most 5 km)."""
        lon, lat = float(lon), float(lat)
        if not (math.isfinite(lon) and math.isfinite(lat)):
            return math.inf
        p1 = math.radians(lat)
        c1 = math.cos(p1)
        best = 2.0  # haversine 'a' term; the minimum 'a' is the minimum distance
        for lo, la in zip(self.lon, self.lat):
            p2 = math.radians(la)
            a = math.sin((p2 - p1) / 2) ** 2 + c1 * math.cos(p2) * math.sin(math.radians(lo - lon) / 2) ** 2
            if a < best:
                best = a
        return 2 * _EARTH_M * math.asin(min(1.0, math.sqrt(best)))

    def distances_m(self, lon, lat, *, chunk: int = 4096):
        """Vectorised :meth:`distance_m`: numpy arrays of lon/lat (degrees) -> metres (inf where not finite)."""
        import numpy as np

        lon = np.asarray(lon, dtype=float).ravel()
        lat = np.asarray(lat, dtype=float).ravel()
        out = np.full(lon.shape, np.inf)
        ok = np.flatnonzero(np.isfinite(lon) & np.isfinite(lat))
        slon = np.radians(np.asarray(self.lon))[None, :]
        slat = np.radians(np.asarray(self.lat))[None, :]
        cs = np.cos(slat)
        step = max(1, chunk * 256 // max(1, slon.size))
        for start in range(0, ok.size, step):
            rows = ok[start:start + step]
            p = np.radians(lat[rows])[:, None]
            lam = np.radians(lon[rows])[:, None]
            a = np.sin((slat - p) / 2) ** 2 + np.cos(p) * cs * np.sin((slon - lam) / 2) ** 2
            out[rows] = 2 * _EARTH_M * np.arcsin(np.minimum(1.0, np.sqrt(a.min(axis=1))))
        return out


@lru_cache(maxsize=16)
def _theatre_context(theatre: str, radius_m: float, _store: tuple = ()) -> PlaceContext:
    from geomap.errors import LayerNotFound
    from geomap.layers.registry import list_layers, theatres

    known = theatres()
    if theatre not in known:
        raise LayerNotFound(f"unknown theatre {theatre!r}: choose one of {', '.join(known) or 'none'} "
                            "(see 'geomap layers list')")
    lines = []
    for layer in list_layers(theatre=theatre):
        if layer.kind in ("line", "area"):
            # through the one reader, so a user layer's CRS (a GeoJSON crs member, a projected
            # GeoPackage) is honoured here as when it is measured
            lines.extend(_polylines_of_file(layer.path))
    return PlaceContext.from_polylines(lines, f"theatre {theatre}", radius_m=radius_m, flag="--theatre")


def _polylines_of_file(path, assume_crs: str | None = None) -> list:
    """Every polyline (rings included) of a vector file, read by the one reader, in lon/lat."""
    from geomap.layers.lineset import read_vector

    geoms, _attrs, _crs = read_vector(Path(path), assume_crs=assume_crs)
    return [line for g in geoms if g is not None for line in _lines_of_shapely(g)]


def _layer_context(layer: str, radius_m: float, assume_crs: str | None) -> PlaceContext:
    from geomap.layers.resolve import resolve

    path, meta = resolve(layer)
    stat = Path(path).stat()
    label = f"layer {meta.id}" if meta is not None else f"layer {Path(path).name}"
    return _file_context(str(Path(path).resolve()), stat.st_size, stat.st_mtime_ns, label, radius_m, assume_crs)


@lru_cache(maxsize=16)
def _file_context(path: str, size: int, mtime_ns: int, label: str, radius_m: float,
                  assume_crs: str | None) -> PlaceContext:
    return PlaceContext.from_polylines(_polylines_of_file(path, assume_crs), label, radius_m=radius_m)


# --------------------------------------------------------------------------- the swap rule

def swap_suspects(lon, lat, context: PlaceContext, *, distance_m=None):
    """Mark points whose longitude and latitude look exchanged, judged against ``context``.

    Parameters
    ----------
    lon, lat : array-like of float
        Degrees, as read (NaN allowed: never a suspect).
    context : PlaceContext
        The line the points are measured against.
    distance_m : array-like of float, optional
        The points' distances to the line if already measured (m); else the
        context's sample distance is used.

    Returns
    -------
    numpy.ndarray of bool
        True where the point lies farther than ``context.radius_m`` from the
        context while (lat, lon) lies within it and at least :data:`SWAP_RATIO`
        times closer.
    """
    import numpy as np

    lon = np.asarray(lon, dtype=float).ravel()
    lat = np.asarray(lat, dtype=float).ravel()
    d = np.asarray(distance_m, dtype=float).ravel() if distance_m is not None else None
    out = np.zeros(lon.shape, dtype=bool)
    # the swapped point must be a valid position: |lon| <= 90 so that it can be a latitude
    cand = np.isfinite(lon) & np.isfinite(lat) & (np.abs(lon) <= 90)
    if d is not None:
        cand &= ~(d <= context.radius_m)  # NaN distances (unmeasured rows) are judged by the context
    # cheap prefilter: the swapped point within the context's box widened by the radius
    b = context.bbox
    pad_lat = context.radius_m / 111_000.0
    pad_lon = pad_lat / max(0.05, math.cos(math.radians(min(85.0, max(abs(b[1]), abs(b[3]))))))
    cand &= (lat >= b[0] - pad_lon) & (lat <= b[2] + pad_lon) & (lon >= b[1] - pad_lat) & (lon <= b[3] + pad_lat)
    idx = np.flatnonzero(cand)
    if idx.size == 0:
        return out
    swapped = context.distances_m(lat[idx], lon[idx])
    here = d[idx] if d is not None else np.full(idx.shape, np.nan)
    here = np.where(np.isfinite(here), here, context.distances_m(lon[idx], lat[idx]))
    out[idx] = (here > context.radius_m) & (swapped <= context.radius_m) & (here >= SWAP_RATIO * swapped)
    return out


#: the sign changes of the sign rule: factors for (lon, lat), and whether the two are also exchanged
_FLIPS = ((-1.0, 1.0, False), (1.0, -1.0, False), (-1.0, -1.0, False),
          (-1.0, 1.0, True), (1.0, -1.0, True), (-1.0, -1.0, True))


def _flipped(lon, lat, sx: float, sy: float, swap: bool):
    """The point of one sign change: (sx*lon, sy*lat), or with ``swap`` (sx*lat, sy*lon)."""
    return (sx * lat, sy * lon) if swap else (sx * lon, sy * lat)


def sign_suspects(lon, lat, context: PlaceContext, *, distance_m=None):
    """Mark points whose sign looks lost or added, judged against ``context`` (the sign rule).

    Parameters and result as :func:`swap_suspects`: True where the point lies
    farther than ``context.radius_m`` from the context while (-lon, lat),
    (lon, -lat) or (-lon, -lat), or one of these with lon and lat exchanged,
    lies within it and at least :data:`SWAP_RATIO` times closer.
    """
    import numpy as np

    lon = np.asarray(lon, dtype=float).ravel()
    lat = np.asarray(lat, dtype=float).ravel()
    out = np.zeros(lon.shape, dtype=bool)
    cand = np.isfinite(lon) & np.isfinite(lat)
    if distance_m is not None:
        cand &= ~(np.asarray(distance_m, dtype=float).ravel() <= context.radius_m)
    b = context.bbox
    pad_lat = context.radius_m / 111_000.0
    pad_lon = pad_lat / max(0.05, math.cos(math.radians(min(85.0, max(abs(b[1]), abs(b[3]))))))
    best = np.full(lon.shape, np.inf)
    for sx, sy, swap in _FLIPS:
        x, y = _flipped(lon, lat, sx, sy, swap)
        near = cand & (np.abs(y) <= 90) & (x >= b[0] - pad_lon) & (x <= b[2] + pad_lon) & (y >= b[1] - pad_lat) & (y <= b[3] + pad_lat)
        idx = np.flatnonzero(near)
        if idx.size:
            best[idx] = np.minimum(best[idx], context.distances_m(x[idx], y[idx]))
    idx = np.flatnonzero(np.isfinite(best))
    if idx.size == 0:
        return out
    here = np.asarray(distance_m, dtype=float).ravel()[idx] if distance_m is not None else np.full(idx.shape, np.nan)
    here = np.where(np.isfinite(here), here, context.distances_m(lon[idx], lat[idx]))
    out[idx] = (here > context.radius_m) & (best[idx] <= context.radius_m) & (here >= SWAP_RATIO * best[idx])
    return out


def check_not_swapped(lon: float, lat: float, context: PlaceContext, *, option: str = "--at") -> None:
    """Raise :class:`~geomap.errors.CoordinateError` when ``(lon, lat)`` is a swap or sign suspect.

    See :func:`swap_suspects` and :func:`sign_suspects`.

    The one-line message names the swap and both ways to write the point:
    ``--at LON,LAT`` (longitude first) or ``--latlon LAT,LON``.
    """
    lon, lat = float(lon), float(lat)
    here = context.distance_m(lon, lat)
    if here <= context.radius_m:
        return
    swapped = context.distance_m(lat, lon) if abs(lon) <= 90 else math.inf
    if swapped <= context.radius_m and here >= SWAP_RATIO * swapped:
        raise CoordinateError(
            f"{option} {lon:g},{lat:g} lies about {here / 1000:,.0f} km from the {context.label}, but read as "
            f"latitude,longitude it lies about {swapped / 1000:,.0f} km from it: you probably pasted LAT,LON "
            f"(as Google Maps copies it); write --at {lat:g},{lon:g} (LON,LAT) or --latlon {lon:g},{lat:g} (LAT,LON), "
            f"or, if you do mean {lon:g},{lat:g}, give it as --latlon {lat:g},{lon:g} (taken as written)"
            + (f"; if the point is right, the {context.label} may list its coordinates as lat,lon: check the "
               "file (GeoJSON, KML and most formats put longitude first)" if context.user_file else "")
        )
    for sx, sy, swap in _FLIPS:
        x, y = _flipped(lon, lat, sx, sy, swap)
        flipped = context.distance_m(x, y) if abs(y) <= 90 else math.inf
        if flipped <= context.radius_m and here >= SWAP_RATIO * flipped:
            which = "both signs" if sx < 0 and sy < 0 else ("the longitude's sign" if sx < 0 else "the latitude's sign")
            which = f"{which} changed and read as latitude,longitude" if swap else f"{which} changed"
            raise CoordinateError(
                f"{option} {lon:g},{lat:g} lies about {here / 1000:,.0f} km from the {context.label}, but with "
                f"{which} it lies about {flipped / 1000:,.0f} km from it: a minus sign (or a hemisphere "
                f"letter) is probably wrong; write --at {x:g},{y:g} (LON,LAT; west and south negative), or, if "
                f"you do mean {lon:g},{lat:g}, give it as --latlon {lat:g},{lon:g} (taken as written)"
            )


def describe_far(cands: list, context: PlaceContext, limit: int = 3) -> str:
    """'Kirs (RU) 2,140 km, ...': the nearest candidates and their distances to the context."""
    ranked = sorted(cands, key=lambda c: c.distance_to_context_m if c.distance_to_context_m is not None else math.inf)
    parts = []
    for c in ranked[:limit]:
        d = c.distance_to_context_m
        parts.append(f"{c.display_name} ({c.country or '?'}) {d / 1000:,.0f} km" if d is not None else c.display_name)
    more = f" and {len(ranked) - limit} more" if len(ranked) > limit else ""
    return ", ".join(parts) + more


def as_context(value: Any) -> PlaceContext | None:
    """None, a :class:`PlaceContext`, or a LineSet (turned into one)."""
    if value is None or isinstance(value, PlaceContext):
        return value
    if hasattr(value, "geoms") and hasattr(value, "source"):
        return PlaceContext.from_lines(value)
    raise InputError(f"context={value!r} is not a PlaceContext: build one with PlaceContext.from_theatre(...), "
                     ".from_layer(...) or .from_lines(lineset)")
