"""Incidents: what a distance is asked for (a point, a circle of uncertainty, or an area).

``--at`` points and resolved ``--place`` names become :class:`Incident` objects,
which :func:`geomap.pipeline.measure.incident_table` turns into a table for the
one measuring engine.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any



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
            label=getattr(place, "display_name", place.name),
            kind=place.kind,
            date=date,
            place=place,
            note=getattr(place, "geometry_note", "") or "",
        )

    def location_evidence(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "label": self.label,
            "kind": self.kind,
            "lon": round(self.lon, 9),
            "lat": round(self.lat, 9),
            "location_uncertainty_m": self.radius_m,
            "geometry": "polygon" if self.area is not None else ("point" if self.radius_m == 0 else "circle"),
        }
        if self.note:
            out["note"] = self.note
        if self.place is not None:
            out["place"] = self.place.to_dict() if hasattr(self.place, "to_dict") else str(self.place)
        return out
