"""Measure incidents (coordinates, places, areas) against a line, with honest intervals.

This is the layer between the CLI (and notebooks) and the distance kernel: it
chooses the line for a date, measures points and areas, widens each distance
into an interval by the location's and the layer's uncertainty, and records
the evidence.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from geomap._version import __version__
from geomap.errors import InputError


@dataclass
class Incident:
    """Something whose distance to the line is asked for.

    Either a point (``lon``, ``lat``) with a location uncertainty radius, or an
    area (a lon/lat shapely polygon, e.g. a district) measured over its whole
    surface.
    """

    lon: float
    lat: float
    radius_m: float = 0.0
    area: Any = None
    label: str = ""
    kind: str = "coordinates"
    date: str | None = None
    place: Any = None
    note: str = ""
    attrs: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def from_place(cls, place, *, date: str | None = None) -> "Incident":
        """An incident at a gazetteer :class:`geomap.places.gazetteer.Place` (point + radius, or polygon)."""
        area = None
        if getattr(place, "geometry", None):
            from shapely.geometry import shape

            area = shape(place.geometry)
        return cls(
            lon=float(place.lon),
            lat=float(place.lat),
            radius_m=float(place.uncertainty_m or 0.0),
            area=area,
            label=place.name,
            kind=place.kind,
            date=date,
            place=place,
            note=getattr(place, "geometry_note", "") or "",
        )

    def location_evidence(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "label": self.label,
            "kind": self.kind,
            "lon": round(self.lon, 9),  # geomap.io.write.COORD_DECIMALS
            "lat": round(self.lat, 9),
            "location_uncertainty_m": self.radius_m,
            "geometry": "polygon" if self.area is not None else ("point" if self.radius_m == 0 else "circle"),
        }
        if self.note:
            out["note"] = self.note
        if self.place is not None:
            out["place"] = self.place.to_dict() if hasattr(self.place, "to_dict") else str(self.place)
        return out


@dataclass
class Measurement:
    """One incident measured against one line: distance, interval and evidence."""

    incident: Incident
    distance: dict[str, Any]
    interval_m: tuple[float, float]
    uncertainty: dict[str, Any]
    evidence: dict[str, Any]
    area: dict[str, Any] | None = None
    side: dict[str, Any] | None = None

    def to_dict(self) -> dict[str, Any]:
        out = {
            "incident": self.incident.location_evidence(),
            **self.distance,
            "distance_interval_m": [round(self.interval_m[0], 3), round(self.interval_m[1], 3)],
            "uncertainty": self.uncertainty,
        }
        if self.area is not None:
            out["area"] = self.area
        if self.side is not None:
            out.update(self.side)
        out["evidence"] = self.evidence
        return out


def parse_date(value: str | _dt.date | None) -> _dt.date | None:
    """An ISO date (YYYY-MM-DD) or None; a clear error otherwise."""
    if value is None or isinstance(value, _dt.date):
        return value
    try:
        return _dt.date.fromisoformat(str(value).strip()[:10])
    except ValueError:
        raise InputError(f"date {value!r} is not an ISO date: write it as YYYY-MM-DD, e.g. 2020-12-27") from None


def choose_lines(
    layer: str | None = None,
    *,
    theatre: str | None = None,
    date: str | _dt.date | None = None,
    assume_crs: str | None = None,
    rings: bool = False,
):
    """Return the :class:`~geomap.layers.lineset.LineSet` to measure against.

    ``layer`` (a shipped id or a path) wins; otherwise ``theatre`` and ``date``
    pick the shipped line valid on that date.
    """
    from geomap.layers.lineset import read_lines

    if layer is not None:
        return read_lines(layer, assume_crs=assume_crs, rings=rings)
    if theatre is None:
        raise InputError(
            "no line of contact given: pass --layer ID|PATH, or --theatre NAME --date YYYY-MM-DD "
            "(see 'geomap layers list')"
        )
    if date is None:
        raise InputError(f"--theatre {theatre} needs --date YYYY-MM-DD to choose the line valid on that date")
    from geomap.layers.registry import select_layer

    chosen = select_layer(theatre, parse_date(date), kind="line")
    return read_lines(chosen.id, rings=rings)


def _sides(lines, lon, lat, distance_m):
    """Per incident: inside_area / area_layer / signed distance, or None when the layer names no held area."""
    layer = getattr(lines, "layer", None)
    area_id = getattr(layer, "area_layer", None) if layer is not None else None
    if not area_id:
        return [None] * len(lon)
    from geomap.layers.sides import inside_area, signed_distance

    inside = inside_area(lon, lat, area_id)
    signed = signed_distance(distance_m, inside)
    return [
        {
            "inside_area": bool(i),
            "area_layer": area_id,
            "signed_distance_m": round(float(s), 3) if np.isfinite(s) else None,
        }
        for i, s in zip(inside, signed)
    ]


#: a gazetteer match farther than this from the line gets a warning in its note (likely the wrong place)
FAR_FROM_LINE_M = 1_000_000.0


def measure(incidents, lines, *, tolerance_m: float = 50.0) -> list[Measurement]:
    """Measure each incident against ``lines``.

    Points: exact distance ``d`` and interval ``[d - r - a, d + r + a]`` where
    ``r`` is the location uncertainty and ``a`` the layer's stated accuracy.
    Areas: the minimum and maximum over the whole area and ``[min - a, max + a]``.
    """
    from geomap.pipeline.distance import INTERVAL_RULE, area_distance_range, distance_to_line

    incidents = list(incidents)
    if not incidents:
        return []
    accuracy_m = float(getattr(getattr(lines, "layer", None), "accuracy_m", None) or 0.0)
    lon = np.array([i.lon for i in incidents], dtype=float)
    lat = np.array([i.lat for i in incidents], dtype=float)
    res = distance_to_line(lon=lon, lat=lat, lines=lines)
    sides = _sides(lines, lon, lat, res.distance_m)
    evidence = res.evidence()
    out = []
    for k, incident in enumerate(incidents):
        record = res.record(k)
        record.pop("lon"), record.pop("lat")
        d = float(res.distance_m[k])
        if incident.place is not None and d > FAR_FROM_LINE_M:
            warning = (f"{d / 1000:,.0f} km from the line: check that this is the place meant "
                       "(narrow it with --country CC or --near LON,LAT)")
            incident.note = "; ".join(n for n in (incident.note, warning) if n)
        area = None
        if incident.area is not None:
            rng = area_distance_range(incident.area, lines, tolerance_m=tolerance_m)
            area = rng.to_dict()
            lo = max(rng.min_m - accuracy_m, 0.0)
            hi = rng.max_m + rng.max_tolerance_m + accuracy_m
            location = {"kind": "area", "min_m": area["min_m"], "max_m": area["max_m"],
                        "max_tolerance_m": rng.max_tolerance_m}
        else:
            lo = max(d - incident.radius_m - accuracy_m, 0.0)
            hi = d + incident.radius_m + accuracy_m
            location = {"kind": "radius", "radius_m": incident.radius_m}
        uncertainty = {
            "location": location,
            "layer_accuracy_m": accuracy_m,
            "layer_accuracy_source": "layer metadata accuracy_m" if accuracy_m else "none stated by the layer",
            "rule": INTERVAL_RULE,
        }
        out.append(
            Measurement(
                incident=incident,
                distance=record,
                interval_m=(lo, hi),
                uncertainty=uncertainty,
                evidence=dict(evidence, geomap_version=__version__),
                area=area,
                side=sides[k],
            )
        )
    return out
