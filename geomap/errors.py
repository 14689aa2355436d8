"""geomap's exceptions.

Standard library only, so that every module (and the CLI at start-up) can import
it without pulling in numpy, pyproj or geopandas.

Every message is one line that names the problem and the fix.  The CLI turns a
:class:`GeomapError` into that line on stderr and exits with ``exit_code``; it
never prints a traceback for one.
"""

from __future__ import annotations

import re


class GeomapError(Exception):
    """Base class of every error geomap raises on purpose."""

    #: process exit status the CLI uses for this error
    exit_code = 1


class InputError(GeomapError, ValueError):
    """The user's input is malformed: coordinates, columns, files, options."""

    exit_code = 2


class CoordinateError(InputError):
    """A longitude/latitude pair is outside its range or not a number."""


class FileFormatError(InputError):
    """A file cannot be read, or has no usable rows or geometries."""


class CRSError(InputError):
    """A layer or input file has no CRS, or one that cannot be converted."""


class OutputError(GeomapError):
    """An output cannot be written: "cannot write PATH: reason" (a full disk, a read-only folder ...)."""

    exit_code = 2


class LayerError(GeomapError, ValueError):
    """A line-of-contact layer is unusable (no lines, bad metadata)."""

    exit_code = 2


class LayerNotFound(LayerError, LookupError):
    """No shipped layer has that id, or none is valid on the requested date."""


class ClaimError(GeomapError, ValueError):
    """A distance claim could not be turned into a numeric range."""

    exit_code = 2


class PlaceNotFound(GeomapError, LookupError):
    """The gazetteer has no place by that name."""

    exit_code = 2


class AmbiguousPlace(GeomapError, LookupError):
    """Several places match and none clearly dominates."""

    exit_code = 2


class MissingDependency(GeomapError, RuntimeError):
    """An optional program or package (chromium, dask, ...) is not installed."""

    exit_code = 3


class GeodesicError(GeomapError, ArithmeticError):
    """The geodesic computation did not converge (should never happen)."""

    exit_code = 4


class InputNote(UserWarning):
    """Something geomap changed or skipped while reading an input (a dropped empty part, wrapped longitudes).

    Not an error: readers issue it with :func:`warnings.warn` and the caller
    records it (in a layer's ``notes`` and evidence) and logs it as one line;
    it never reaches the user as a raw warning.  ``kind`` groups notes of one
    sort, ``feature`` is the row it is about (or None).
    """

    kind = "note"
    feature = None


#: CLI flags whose Python keyword is not the flag's own name with ``_`` (geomap.measure's keywords)
_API_KEYWORDS = {"source-layer": "layer_name", "layer-accuracy-m": "accuracy_m", "place": "places"}
#: --country, --near, --within, --gazetteer: fields of geomap.PlaceOptions, given as place_options=
_PLACE_OPTIONS = ("country", "near", "within", "gazetteer")
_FLAG = re.compile(r"(?<![\w-])--([a-z][a-z0-9]*(?:-[a-z0-9]+)*)(?: ([A-Za-z0-9][^\s;()']*))?")


def api_language(message: str) -> str:
    """A message written for the CLI (``--lon-col NAME``) in the Python API's words (``lon_col="NAME"``).

    Library messages name the CLI's flags (the CLI is how most users meet them);
    the public functions of :mod:`geomap` raise them in keyword words instead.
    A flag's value is kept when it looks like one (``NAME``, ``EPSG:32638``,
    ``nagorno-karabakh``, ``46.75,39.8``), not a word of the sentence.
    """
    def word(m: re.Match) -> str:
        flag, value = m.group(1), m.group(2)
        key = _API_KEYWORDS.get(flag, flag.replace("-", "_"))
        tail = ""
        if value is not None:  # the sentence's punctuation after the value stays after it
            tail = value[len(value.rstrip(".,:")):]
            value = value.rstrip(".,:")
        return _keyword(flag, key, value) + tail

    return _FLAG.sub(word, message)


def _keyword(flag: str, key: str, value: str | None) -> str:
    """``--flag value`` of :func:`api_language` as ``key=value``."""
    if flag == "line-called":  # no keyword of measure(): the claim is parsed with it
        return f'claim=geomap.parse_claim(TEXT, line_called=("{value or "border"}",))'
    is_value = value and (not re.search(r"[a-z]", value) or re.search(r"[-.:/]", value))
    if not is_value:  # a word of the sentence ("pass --layer or --theatre"), or nothing
        return f"{key}=" + (f" {value}" if value else "")
    if flag in ("at", "latlon") and "," in value:
        return f"{key}=[({', '.join(value.split(','))})]"
    if flag in _PLACE_OPTIONS:
        return f'place_options=PlaceOptions({key}="{value}")'
    try:
        float(value)
        return f"{key}={value}"
    except ValueError:
        return f'{key}="{value}"'


def api_errors(function):
    """``function`` raising its :class:`GeomapError` messages in the API's words (:func:`api_language`)."""
    import functools

    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        try:
            return function(*args, **kwargs)
        except GeomapError as exc:
            if exc.args and isinstance(exc.args[0], str):
                exc.args = (api_language(exc.args[0]), *exc.args[1:])
            raise

    return wrapper
