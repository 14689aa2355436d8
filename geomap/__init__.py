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

__all__ = [
    "__version__",
    "distance_to_line",
    "read_lines",
    "LineSet",
    "DistanceResult",
    "LonLat",
]

_LAZY = {
    "distance_to_line": "geomap.distance",
    "polygon_distance_range": "geomap.distance",
    "DistanceResult": "geomap.distance",
    "read_lines": "geomap.lines",
    "LineSet": "geomap.lines",
    "LonLat": "geomap.types",
}


def __getattr__(name: str):
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'geomap' has no attribute {name!r}")
    value = getattr(import_module(module), name)
    globals()[name] = value
    return value


def __dir__():  # pragma: no cover - cosmetic
    return sorted(set(globals()) | set(_LAZY))
