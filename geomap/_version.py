"""The installed version, from package metadata (falls back when run from a source tree)."""

from __future__ import annotations

try:
    from importlib.metadata import PackageNotFoundError, version

    try:
        __version__ = version("geomap")
    except PackageNotFoundError:  # running from a checkout without installing
        __version__ = "0.1.0+source"
except ImportError:  # pragma: no cover
    __version__ = "0.1.0+source"
