"""Loaded layers kept for reuse, in bounded memory: the most recently used line indexes.

A batch over a year of daily versions measures each row against its own
version.  Each version's :class:`~geomap.layers.lineset.LineSet` (and its
segment index) is built once, on first use, and kept in a small
least-recently-used cache, so a process never holds more than
:data:`MAX_LINES` indexes however many versions a theatre has (a Dask worker
has its own cache).  Entries are keyed by layer id and sha256, so a layer
re-added with other bytes is read again.
"""

from __future__ import annotations

import threading
from collections import OrderedDict

#: how many built line indexes one process keeps (the most recently used)
MAX_LINES = 16

_CACHE: "OrderedDict[tuple[str, str | None], object]" = OrderedDict()
_LOCK = threading.Lock()


def cached_lines(layer_id: str):
    """The :class:`~geomap.layers.lineset.LineSet` of a registered layer, its index built (cached, LRU).

    Raises whatever :func:`geomap.layers.lineset.read_lines` raises (unknown id, changed file).
    """
    from geomap.layers.lineset import read_lines
    from geomap.layers.registry import get_layer

    key = (layer_id, get_layer(layer_id, verify=False).sha256)
    with _LOCK:
        found = _CACHE.get(key)
        if found is not None:
            _CACHE.move_to_end(key)
            return found
    lines = read_lines(layer_id)
    lines.index()
    with _LOCK:
        _CACHE[key] = lines
        while len(_CACHE) > MAX_LINES:
            _CACHE.popitem(last=False)
    return lines


def clear() -> None:
    """Forget every cached line (tests; after layers change on disk)."""
    with _LOCK:
        _CACHE.clear()
