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
from inspect import isfunction

from geomap._version import __version__

_LAZY = {
    # the one path: a request in, a typed result out
    "measure": "geomap.pipeline.run",
    "run": "geomap.pipeline.run",
    "Request": "geomap.pipeline.request",
    "IncidentSource": "geomap.pipeline.request",
    "LineChoice": "geomap.pipeline.request",
    "PlaceOptions": "geomap.pipeline.request",
    "Result": "geomap.pipeline.result",
    "IncidentResult": "geomap.pipeline.result",
    "Incident": "geomap.pipeline.incidents",
    # distances
    "distance_to_line": "geomap.layers.distance",
    "area_distance_range": "geomap.layers.distance",
    "distance_interval": "geomap.layers.distance",
    "area_interval": "geomap.layers.distance",
    "DistanceResult": "geomap.layers.distance",
    # lines and layers
    "read_lines": "geomap.layers.lineset",
    "lines_from_geometries": "geomap.layers.lineset",
    "LineSet": "geomap.layers.lineset",
    "get_layer": "geomap.layers.registry",
    "list_layers": "geomap.layers.registry",
    "select_layer": "geomap.layers.registry",
    "inside_area": "geomap.layers.sides",
    # claims and verdicts
    "parse_claim": "geomap.claims",
    "claim_from_bounds": "geomap.claims",
    "judge": "geomap.verdict",
    "judge_intervals": "geomap.verdict",
    # outputs
    "evidence_markdown": "geomap.report.evidence",
    # maps
    "render_map": "geomap.maps.page",
    "write_map": "geomap.maps.page",
    "map_data_from_columns": "geomap.maps.data",
    "screenshot_map": "geomap.maps.screenshot",
    "MissingDependency": "geomap.errors",
    "add_result_map": "geomap.maps.result",
    # places
    "geocode": "geomap.places.gazetteer",
    "resolve_place": "geomap.places.gazetteer",
    "LonLat": "geomap.types",
}

__all__ = ["__version__", *sorted(_LAZY)]

#: the request types, whose checks on construction name the CLI's flags inside geomap
_CHECKED_CLASSES = ("Request", "IncidentSource", "LineChoice", "PlaceOptions", "Incident")


def _api_class(cls):
    """``cls`` as the API hands it out: a subclass whose construction errors name keywords (see geomap.errors)."""
    from geomap.errors import api_errors

    return type(cls.__name__, (cls,), {"__init__": api_errors(cls.__init__), "__module__": __name__,
                                       "__qualname__": cls.__qualname__, "__doc__": cls.__doc__})


def __getattr__(name: str):
    target = _LAZY.get(name)
    if target is None:
        raise AttributeError(f"module 'geomap' has no attribute {name!r}")
    module, _, attr = target.partition(":")
    value = getattr(import_module(module), attr or name)
    if isfunction(value) or name in _CHECKED_CLASSES:  # its errors name keywords (lon_col=), not flags (--lon-col)
        from geomap.errors import api_errors

        value = api_errors(value) if isfunction(value) else _api_class(value)
    globals()[name] = value
    return value


def __dir__():  # pragma: no cover - cosmetic
    return sorted(set(globals()) | set(_LAZY))
