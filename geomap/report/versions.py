"""Versions of geomap and the libraries its numbers depend on."""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

from geomap._version import __version__


def _pkg(name: str) -> str:
    try:
        return version(name)
    except PackageNotFoundError:
        return "not installed"


def software_versions() -> dict[str, str]:
    """Return a name -> version mapping (imports pyproj, shapely and pyogrio)."""
    import sys

    out = {"geomap": __version__, "python": sys.version.split()[0]}
    try:
        import shapely

        out["shapely"] = shapely.__version__
        out["GEOS"] = shapely.geos_version_string
    except ImportError:  # pragma: no cover
        out["shapely"] = out["GEOS"] = "not installed"
    try:
        import pyproj

        out["pyproj"] = pyproj.__version__
        out["PROJ"] = pyproj.proj_version_str
    except ImportError:  # pragma: no cover
        out["pyproj"] = out["PROJ"] = "not installed"
    try:
        import pyogrio

        out["pyogrio"] = pyogrio.__version__
        out["GDAL"] = ".".join(str(p) for p in pyogrio.__gdal_version__)
    except ImportError:  # pragma: no cover
        out["pyogrio"] = out["GDAL"] = "not installed"
    for name in ("numpy", "pandas", "geopandas", "folium", "click"):
        out[name] = _pkg(name)
    return out
