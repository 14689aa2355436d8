"""Which line of a theatre each row's date selects, and the rows whose dates straddle a change of line.

Used by :func:`geomap.pipeline.measure.measure_table` for ``--theatre``: rows are
grouped by the layer their date selects (:func:`layer_codes_by_date`), and a row
dated by a range (UCDP ``date_start``..``date_end``, a UTC time whose local day is
one of three) over which the selection changes is not measured
(:func:`rows_across_changes`).
"""

from __future__ import annotations

import datetime as _dt
from typing import Any

import numpy as np

from geomap.errors import LayerNotFound


def layer_codes_by_date(theatre: str, dates: np.ndarray, kind: str = "line",
                        source: str | None = None) -> tuple[np.ndarray, dict]:
    """``select_layers_by_date`` as codes: the position in ``layers`` of each date's layer, -1 for none.

    ``layers`` is in the order of the earliest date each layer is chosen for.  The
    dates are factorised by hashing (1M dates: ~20 ms, sorting them took ~0.1 s).
    """
    import pandas as pd

    from geomap.layers.registry import check_source, select_layer, theatres

    known = theatres()
    if theatre not in known:
        raise LayerNotFound(f"unknown theatre {theatre!r}: choose one of {', '.join(known) or 'none'} "
                            "(see 'geomap layers list')")
    check_source(theatre, kind, source)  # no such line on any date: refused, not each row no_layer_for_date
    codes = np.full(dates.shape, -1, dtype=np.int64)
    layers: dict[str, Any] = {}
    valid = ~np.isnat(dates)
    if not valid.any():
        return codes, layers
    inverse, uniq = pd.factorize(dates[valid].view(np.int64), sort=True)
    chosen = np.full(uniq.shape, -1, dtype=np.int64)
    for k, day in enumerate(np.asarray(uniq, dtype=np.int64).view(dates.dtype)):
        try:
            layer = select_layer(theatre, _dt.date.fromisoformat(str(day)), kind=kind, source=source)
        except LayerNotFound:
            continue
        layers[layer.id] = layer
        chosen[k] = list(layers).index(layer.id)
    codes[valid] = chosen[inverse]
    return codes, layers


def rows_across_changes(theatre: str, first: np.ndarray, last: np.ndarray | None, source: str | None) -> np.ndarray:
    """Rows dated by a range ``first..last`` over which the line of ``theatre`` changes (or stops).

    Such a row's line depends on the day within the range it happened, which
    the data do not say: it is not measured (status ``date_spans_layers``).
    """
    spans = np.zeros(first.shape, dtype=bool)
    if last is None:
        return spans
    changes = np.array([np.datetime64(d.isoformat(), "D") for d in selection_changes(theatre, source=source)],
                       dtype="datetime64[D]")
    known = ~(np.isnat(first) | np.isnat(last))
    # a change on day d matters when first < d <= last
    spans[known] = (np.searchsorted(changes, last[known], side="right")
                    > np.searchsorted(changes, first[known], side="right"))
    return spans


def selection_changes(theatre: str, kind: str = "line", source: str | None = None) -> list[_dt.date]:
    """The days on which :func:`geomap.layers.registry.select_layer`'s answer for ``theatre`` may change (sorted).

    Each dated layer's first day and the day after its last: between two
    consecutive such days the same layers are valid, so the same one is
    chosen.  An event dated by a range ``first..last`` gets one line exactly
    when no such day ``d`` has ``first < d <= last``.
    """
    from geomap.layers.registry import list_layers

    days = set()
    for layer in list_layers(theatre=theatre, kind=kind):
        if not (layer.valid_from or layer.valid_to) or (source is not None and layer.provider != source):
            continue
        first, last = layer.day_range
        for ordinal in (first, last + 1):
            if 0 < ordinal <= _dt.date.max.toordinal():
                days.add(_dt.date.fromordinal(ordinal))
    return sorted(days)
