"""A column of place names to coordinates, each row with a status (``--place-col``).

Each distinct name is looked up once with :func:`geomap.places.gazetteer.geocode`
in the context of the line, so a file of 10,000 rows naming 40 villages costs
40 lookups.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from geomap.errors import InputError, PlaceNotFound
from geomap.places.context import PlaceContext

#: row statuses (besides ``ok``) a place column can give
PLACE_STATUSES = ("ambiguous", "place_not_found", "missing_place")


@dataclass
class PlaceColumn:
    """The result of :func:`geocode_column`, one entry per input row.

    Attributes
    ----------
    lon, lat : numpy.ndarray of float
        Degrees; NaN where the row is not ``ok``.
    radius_m : numpy.ndarray of float
        The place's uncertainty radius (m; a district: 0, measured at its label point).
    status : numpy.ndarray of object
        ``ok``, ``ambiguous``, ``place_not_found`` or ``missing_place`` (empty cell).
    place : numpy.ndarray of object
        The name as written beside the gazetteer's ("Stepanakert (Khankendi)"), '' if none.
    candidates : numpy.ndarray of object
        For ``ambiguous`` rows the candidates ("Name [CC] lon,lat; ..."); for
        ``place_not_found`` the reason; '' for ``ok`` rows.
    """

    lon: Any
    lat: Any
    radius_m: Any
    status: Any
    place: Any
    candidates: Any

    def counts(self) -> dict[str, int]:
        """status -> rows; adds up to the number of rows."""
        out: dict[str, int] = {}
        for s in self.status.tolist():
            out[s] = out.get(s, 0) + 1
        return out


def geocode_column(names, context: PlaceContext | None = None, *, country: str | None = None,
                   near: tuple[float, float] | None = None, within: str | None = None,
                   gazetteer=None) -> PlaceColumn:
    """Look up every name of a column, in the context of the line.

    Parameters
    ----------
    names : sequence of str (None/NaN/'' allowed)
        One place name per row.
    context : PlaceContext, optional
        The line the rows will be measured against (see
        :class:`~geomap.places.context.PlaceContext`): candidates more than
        300 km from it are never chosen.
    country, near, within, gazetteer
        As for :func:`geomap.places.gazetteer.geocode`, for every row.

    Returns
    -------
    PlaceColumn
        Arrays of ``len(names)``; the statuses add up to the rows.

    Raises
    ------
    InputError, FileFormatError
        Bad options (a bad gazetteer file, an unknown ``within`` layer): these
        concern every row, so they are raised, not put in a row.
    """
    import numpy as np

    from geomap.places.gazetteer import ambiguity_message, geocode

    values = list(names)
    n = len(values)
    lon = np.full(n, np.nan)
    lat = np.full(n, np.nan)
    radius = np.full(n, np.nan)
    status = np.empty(n, dtype=object)
    place = np.full(n, "", dtype=object)
    cands = np.full(n, "", dtype=object)
    cache: dict[str, tuple] = {}
    for i, value in enumerate(values):
        text = "" if value is None or (isinstance(value, float) and value != value) else " ".join(str(value).split())
        if not text or text.lower() == "nan":
            status[i] = "missing_place"
            continue
        if text not in cache:
            try:
                result = geocode(text, context=context, country=country, near=near, within=within,
                                 gazetteer=gazetteer)
            except PlaceNotFound as exc:
                cache[text] = ("place_not_found", None, str(exc))
            except InputError as exc:
                if "has no letters or digits" in str(exc):
                    cache[text] = ("place_not_found", None, str(exc))
                else:
                    raise
            else:
                if result.best is None:
                    listed = "; ".join(f"{c.display_name} [{c.country or '?'}] {c.lon:.4f},{c.lat:.4f}"
                                       for c in result.candidates)
                    cache[text] = ("ambiguous", None, listed or ambiguity_message(result))
                else:
                    cache[text] = ("ok", result.best, "")
        st, best, text_out = cache[text]
        status[i] = st
        cands[i] = text_out
        if best is not None:
            lon[i], lat[i] = best.lon, best.lat
            radius[i] = best.uncertainty_m
            place[i] = best.display_name
    return PlaceColumn(lon=lon, lat=lat, radius_m=radius, status=status, place=place, candidates=cands)


__all__ = ["PlaceColumn", "geocode_column", "PLACE_STATUSES"]
