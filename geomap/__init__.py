"""geomap: exact geodesic distances from incidents to lines of contact.

The public API is imported lazily so that ``import geomap`` (and the CLI) start
fast; numpy, pyproj and geopandas load only when a function that needs them is
called.

>>> import geomap
>>> geomap.__version__ != ""
True
"""

from __future__ import annotations

from importlib import import_module

from geomap._version import __version__

_LAZY = {
    # distances
    "distance_to_line": "geomap.distance",
    "area_distance_range": "geomap.distance",
    "distance_interval": "geomap.distance",
    "DistanceResult": "geomap.distance",
    # lines and layers
    "read_lines": "geomap.lines",
    "lines_from_geometries": "geomap.lines",
    "LineSet": "geomap.lines",
    "get_layer": "geomap.registry",
    "list_layers": "geomap.registry",
    "select_layer": "geomap.registry",
    "inside_area": "geomap.sides",
    # incidents, claims, verdicts
    "Incident": "geomap.measure",
    "measure_incidents": "geomap.measure:measure",
    "choose_lines": "geomap.measure",
    "parse_claim": "geomap.claims",
    "claim_from_bounds": "geomap.claims",
    "judge": "geomap.verdict",
    "check_claim": "geomap.checks",
    "evidence_markdown": "geomap.report",
    # places
    "geocode": "geomap.gazetteer",
    "resolve_place": "geomap.gazetteer",
    "LonLat": "geomap.types",
}

__all__ = ["__version__", *sorted(_LAZY)]


def __getattr__(name: str):
    target = _LAZY.get(name)
    if target is None:
        raise AttributeError(f"module 'geomap' has no attribute {name!r}")
    module, _, attr = target.partition(":")
    value = getattr(import_module(module), attr or name)
    globals()[name] = value
    return value


def __dir__():  # pragma: no cover - cosmetic
    return sorted(set(globals()) | set(_LAZY))
