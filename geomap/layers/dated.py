"""Dates of layer versions: from file names, from a column per feature, and consecutive validity.

A folder of snapshots (``front_2024-03-01.kml``, ``front_20240308.geojson``,
``FrontLine_24_03_15.kml`` with ``--date-pattern 'FrontLine_%y_%m_%d'``) or one
file with a date column per feature becomes a list of versions.  Consecutive
versions get consecutive validity: each is valid until the day before the next
one starts, the last until ``valid_to`` (or open).  Standard library only.
"""

from __future__ import annotations

import datetime as _dt
import re
from pathlib import Path

from geomap.errors import InputError

#: file suffixes a folder's vector files may have (a Shapefile counts by its .shp)
VECTOR_SUFFIXES = (".geojson", ".json", ".kml", ".kmz", ".gpkg", ".shp", ".fgb", ".gml", ".parquet", ".geoparquet")

_ISO = re.compile(r"(?<!\d)(\d{4})-(\d{2})-(\d{2})(?!\d)")
_COMPACT = re.compile(r"(?<!\d)(\d{4})(\d{2})(\d{2})(?!\d)")
_DIRECTIVE = re.compile(r"%.")
_PARTS = {"%Y": r"\d{4}", "%y": r"\d{2}", "%m": r"\d{1,2}", "%d": r"\d{1,2}", "%j": r"\d{1,3}",
          "%b": r"[A-Za-z]{3}", "%B": r"[A-Za-z]+", "%%": "%"}


def vector_files(folder: str | Path) -> list[Path]:
    """The vector files directly in ``folder`` (by suffix, see :data:`VECTOR_SUFFIXES`), sorted by name."""
    folder = Path(folder)
    return sorted(p for p in folder.iterdir()
                  if p.is_file() and not p.name.startswith(".") and p.suffix.lower() in VECTOR_SUFFIXES)


def _pattern_regex(pattern: str) -> re.Pattern:
    out, pos = [], 0
    for m in _DIRECTIVE.finditer(pattern):
        out.append(re.escape(pattern[pos:m.start()]))
        if m.group() not in _PARTS:
            raise InputError(f"--date-pattern {pattern!r}: {m.group()} is not supported: use "
                             f"{', '.join(k for k in _PARTS if k != '%%')} (strptime codes)")
        out.append(_PARTS[m.group()])
        pos = m.end()
    out.append(re.escape(pattern[pos:]))
    if pos == 0:
        raise InputError(f"--date-pattern {pattern!r} has no date codes: give e.g. 'FrontLine_%y_%m_%d'")
    return re.compile("".join(out))


def date_from_name(name: str, pattern: str | None = None) -> _dt.date | None:
    """The date in a file name: ``YYYY-MM-DD`` or ``YYYYMMDD`` anywhere, or ``pattern`` (strptime codes).

    Returns None when the name holds no date.

    Raises
    ------
    InputError
        The name holds two different dates, or the text found is no real date.
    """
    stem = Path(name).name
    if pattern is not None:
        found = set(_pattern_regex(pattern).findall(stem))
        days = set()
        for text in found:
            try:
                days.add(_dt.datetime.strptime(text, pattern).date())
            except ValueError:
                raise InputError(f"{name}: {text!r} does not read as a date with --date-pattern {pattern!r}") from None
    else:
        days = set()
        for regex in (_ISO, _COMPACT):
            for y, m, d in regex.findall(stem):
                try:
                    days.add(_dt.date(int(y), int(m), int(d)))
                except ValueError:
                    continue  # e.g. 12345678 is no date
    if len(days) > 1:
        raise InputError(f"{name} holds {len(days)} dates ({', '.join(sorted(map(str, days)))}): rename it, or "
                         "give --date-pattern to say which one is the snapshot date")
    return days.pop() if days else None


def consecutive(starts: list[_dt.date], valid_to: _dt.date | None = None,
                what: str = "version") -> list[tuple[_dt.date, _dt.date | None]]:
    """Validity of consecutive versions: each until the day before the next starts, the last until ``valid_to``.

    ``starts`` must be sorted and distinct (InputError otherwise, naming the repeated date).
    """
    for a, b in zip(starts, starts[1:]):
        if b <= a:
            raise InputError(f"two {what}s start on {b.isoformat()}: keep one snapshot per date")
    if valid_to is not None and starts and valid_to < starts[-1]:
        raise InputError(f"--valid-to {valid_to.isoformat()} is before the last {what} "
                         f"({starts[-1].isoformat()}): give a later --valid-to or leave it open")
    ends: list[_dt.date | None] = [b - _dt.timedelta(days=1) for b in starts[1:]]
    return list(zip(starts, ends + [valid_to]))


def column_dates(values, column: str, source: str) -> list[_dt.date | None]:
    """Each feature's date from an attribute column (ISO text, datetimes); None for a blank value.

    Raises
    ------
    InputError
        A value is not a date (names the feature and the column).
    """
    import math

    out: list[_dt.date | None] = []
    for i, value in enumerate(values):
        if value is None or (isinstance(value, float) and math.isnan(value)) or str(value).strip() in ("", "NaT"):
            out.append(None)
            continue
        if isinstance(value, _dt.datetime):
            out.append(value.date())
            continue
        if isinstance(value, _dt.date):
            out.append(value)
            continue
        text = str(value).strip()
        try:
            out.append(_dt.date.fromisoformat(text[:10]))
        except ValueError:
            raise InputError(f"{source}: feature {i + 1} has {column}={text!r}, not a date: "
                             "give ISO dates (YYYY-MM-DD) in that column") from None
    return out
