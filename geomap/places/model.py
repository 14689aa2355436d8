"""What a gazetteer lookup returns: :class:`Place` and :class:`GeocodeResult`, and the radius rule.

Standard library only (imported by every other module of :mod:`geomap.places`).
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from geomap._version import __version__
from geomap.places.names import fold

DATA_DIR = Path(__file__).resolve().parent / "data" / "gazetteer"
INDEX_PATH = DATA_DIR / "gazetteer.sqlite"

#: radius (m) of a point place by kind; see docs/gazetteer.md for the reasons
RADIUS_M: dict[str, float] = {"hamlet": 500.0, "village": 1500.0, "town": 3000.0, "city": 5000.0}
#: persons per km² used to turn a city's population into a plausible built-up radius
CITY_DENSITY_PER_KM2 = 2500.0
#: a candidate dominates when its population is >= ratio x every other's and >= ratio x floor
DOMINANCE_RATIO = 10.0
DOMINANCE_FLOOR = 1000
#: with ``near=``, candidates farther than this (m) are dropped
NEAR_RADIUS_M = 100_000.0
#: regional rows and user places within this distance of a same-named place are one place
MERGE_RADIUS_M = 5000.0

GEONAMES_ATTRIBUTION = "GeoNames, geonames.org (CC BY 4.0)"
OSM_ATTRIBUTION = "© OpenStreetMap contributors (ODbL 1.0)"
KIND_ORDER = {"city": 0, "town": 1, "village": 2, "hamlet": 3, "district": 4, "point": 5}

#: below these populations a place that a mapper tagged as a city or town is implausible: the figure
#: is then held back (not shown, not used for dominance) with a note; see :func:`plausible_population`
MIN_POPULATION = {"city": 10_000, "town": 1_000}


def plausible_population(kind: str, population: int | None, kind_rule: str) -> tuple[int | None, str | None]:
    """Return ``(population to show, note)``: a figure that contradicts the place's mapped kind is held back.

    GeoNames' population field is sometimes stale or belongs to a part of the
    place (Khankendi: 2,100 for a city of about 55,000).  When the kind comes
    from a mapper's tag (``kind_rule`` "osm place tag") and the population is
    below :data:`MIN_POPULATION` for that kind, the figure is not shown and not
    used to choose between places; the note says so.

    >>> plausible_population("city", 2100, "osm place tag")[0] is None
    True
    >>> plausible_population("city", 2100, "population")
    (2100, None)
    """
    floor = MIN_POPULATION.get(kind)
    if population and floor and kind_rule == "osm place tag" and population < floor:
        return None, (f"GeoNames gives a population of {population:,}, too few for a place mapped as a {kind} "
                      f"(at least {floor:,} expected): the figure is not shown or used")
    return population, None


def uncertainty_radius_m(kind: str, population: int | None = None) -> float:
    """Return the uncertainty radius (m) of a point place.

    Parameters
    ----------
    kind : str
        ``"city"``, ``"town"``, ``"village"`` or ``"hamlet"`` (anything else is
        treated as a village).
    population : int, optional
        Inhabitants; for a city the radius is ``max(5 km, sqrt(P / (pi x 2,500 /km²)))``,
        the radius of a disc holding the population at a typical urban density.

    Returns
    -------
    float
        Radius in metres.

    >>> uncertainty_radius_m("village")
    1500.0
    >>> round(uncertainty_radius_m("city", 2_000_000))
    15958
    """
    base = RADIUS_M.get(kind, RADIUS_M["village"])
    if kind == "city" and population:
        base = max(base, 1000.0 * math.sqrt(population / (math.pi * CITY_DENSITY_PER_KM2)))
    return float(base)


@dataclass(frozen=True)
class Place:
    """One gazetteer entry, resolved.

    ``lon``/``lat`` are degrees (WGS84).  For a point place ``uncertainty_m`` is the
    radius in metres within which the place plausibly lies; for a district it is 0
    and ``geometry`` holds the GeoJSON polygon (``lon``/``lat`` is then a point
    inside it, for labels only).
    """

    name: str
    matched_name: str
    lon: float
    lat: float
    kind: str
    country: str | None
    region: str | None
    population: int | None
    source: str
    source_id: str | None
    licence: str
    attribution: str
    uncertainty_m: float
    geometry: dict | None = None
    geometry_note: str | None = None
    match: str = "exact"
    uncertainty_rule: str = ""
    sources: tuple = field(default=(), compare=False)
    distance_to_near_m: float | None = None
    unit_type: str | None = None
    population_note: str | None = None
    distance_to_context_m: float | None = None

    @property
    def display_name(self) -> str:
        """The name as the user wrote it beside the gazetteer's: ``"Stepanakert (Khankendi)"``.

        Just the stored name when the matched form is the same name (case and
        diacritics aside).
        """
        if self.matched_name and fold(self.matched_name) != fold(self.name):
            return f"{self.matched_name} ({self.name})"
        return self.name

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-ready dict (``sources`` as a list of dicts)."""
        out = asdict(self)
        out["sources"] = [dict(s) for s in self.sources]
        out["display_name"] = self.display_name
        return out

    def describe(self) -> str:
        """One line: name, kind, country/region, coordinates and uncertainty."""
        where = ", ".join(x for x in (self.region, self.country) if x)
        unc = "polygon" if self.geometry else f"±{self.uncertainty_m / 1000:.1f} km"
        pop = f", pop. {self.population:,}" if self.population else ""
        if self.distance_to_context_m is not None:
            pop += f", {self.distance_to_context_m / 1000:,.0f} km from the context"
        return f"{self.display_name} ({self.kind}{', ' + where if where else ''}{pop}) at {self.lon:.4f},{self.lat:.4f} {unc}"


@dataclass(frozen=True)
class GeocodeResult:
    """The answer to one :func:`geocode` call."""

    query: str
    candidates: list[Place]
    best: Place | None
    dominant: bool
    note: str
    rule: str = ""
    total: int = 0  # candidates before ``limit`` cut the list
    geomap_version: str = __version__

    def to_dict(self) -> dict[str, Any]:
        return {
            "query": self.query,
            "best": self.best.to_dict() if self.best else None,
            "dominant": self.dominant,
            "note": self.note,
            "rule": self.rule,
            "total": self.total,
            "candidates": [c.to_dict() for c in self.candidates],
            "geomap_version": self.geomap_version,
        }



def haversine_m(lon1: float, lat1: float, lon2: float, lat2: float) -> float:
    """Great-circle distance (m) on a sphere of the WGS84 mean radius: for ranking and rules, not for results."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371008.8 * math.asin(min(1.0, math.sqrt(a)))
