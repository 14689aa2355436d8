"""Small value types shared across geomap (standard library only)."""

from __future__ import annotations

from typing import NamedTuple


class LonLat(NamedTuple):
    """A position in degrees, longitude first (EPSG:4326 axis order as GeoJSON uses it)."""

    lon: float
    lat: float

    def __str__(self) -> str:  # pragma: no cover - cosmetic
        return f"{self.lon:.6f},{self.lat:.6f}"
