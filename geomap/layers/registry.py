"""The shipped layers: where they live, what their metadata says, which one is valid when.

Each layer is a folder ``<id>/`` holding ``layer.json`` (metadata) and its
geometry (GeoJSON, EPSG:4326).  In a source checkout the folders sit in the
top-level ``layers/`` directory; an installed wheel carries them as
``geomap/_layers``.  The metadata schema is documented in ``layers/README.md``
and checked by :func:`validate_metadata`.

Layers are dated: a ``line`` or ``area`` layer of a *theatre* (a conflict, e.g.
``nagorno-karabakh``) is valid from ``valid_from`` to ``valid_to`` inclusive
(``null`` = open).  :func:`select_layer` returns the layer valid on an incident
date and refuses dates no layer covers (for example the 2020 war, when the
line moved daily) instead of silently measuring to the wrong line.

Standard library only: listing layers must not import geopandas.

>>> from geomap.layers.registry import select_layer
>>> select_layer("nagorno-karabakh", "2015-06-01").id
'nk-line-1994'
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import json
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from geomap.errors import InputError, LayerError, LayerNotFound
from geomap.layers.roots import layer_folders, user_store_key

#: the kinds a layer can have (``layers/README.md`` says what each means)
KINDS = ("line", "area", "zone", "reference", "base", "districts")
#: kinds :func:`select_layer` picks by date
DATED_KINDS = ("line", "area")
#: kinds that describe a situation at a date and must carry ``theatre``, ``valid_from`` and point checks
#: (``zone``: the limits of a demilitarised or buffer zone, dated but never selected by date)
SITUATION_KINDS = ("line", "area", "zone")

_REQUIRED = {
    "id": str,
    "title": str,
    "kind": str,
    "version": str,
    "geometry_file": str,
    "crs": str,
    "sha256": str,
    "source": dict,
    "licence": str,
    "attribution": str,
    "accuracy_m": (int, float),
    "accuracy_note": str,
    "counts": dict,
    "bbox": list,
    "omits": list,
    "notes": str,
}
_NULLABLE = ("theatre", "valid_from", "valid_to")
_SOURCE_KEYS = ("name", "url", "edition", "commit", "file", "rerun")
_ID_RE = re.compile(r"^[a-z0-9][a-z0-9-]*$")
_SHA_RE = re.compile(r"^[0-9a-f]{64}$")


def layers_dir() -> Path:
    """Return the folder that holds the shipped layers."""
    package = Path(__file__).resolve().parents[1]  # geomap/
    for candidate in (package / "_layers", package.parent / "layers"):
        if candidate.is_dir():
            return candidate
    raise LayerError(
        "the shipped layers are missing from this installation: reinstall geomap with 'pip install .'"
    )


@dataclass(frozen=True)
class Layer:
    """A shipped layer's metadata (see ``layers/README.md`` for the schema).

    ``path`` is the geometry file; ``meta`` the whole parsed ``layer.json``.
    Dates are ISO strings (``YYYY-MM-DD``) or None for an open end.
    """

    id: str
    title: str
    kind: str
    path: Path
    theatre: str | None = None
    valid_from: str | None = None
    valid_to: str | None = None
    version: str | None = None
    sha256: str | None = None
    accuracy_m: float | None = None
    licence: str | None = None
    attribution: str | None = None
    area_layer: str | None = None
    held_by: str | None = None
    bbox: tuple[float, float, float, float] | None = None
    meta: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)

    @classmethod
    def from_folder(cls, folder: str | Path) -> "Layer":
        """Read ``folder/layer.json``; raise LayerError if it is unreadable."""
        folder = Path(folder)
        meta_path = folder / "layer.json"
        try:
            meta = json.loads(meta_path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise LayerError(f"layer metadata {meta_path} is unreadable ({exc}): rebuild the layer") from None
        if not isinstance(meta, dict):
            raise LayerError(f"layer metadata {meta_path} is not a JSON object: rebuild the layer")
        geometry = folder / str(meta.get("geometry_file", "data.geojson"))
        bbox = meta.get("bbox")
        return cls(
            id=meta.get("id", folder.name),
            title=meta.get("title", folder.name),
            kind=meta.get("kind", "line"),
            path=geometry,
            theatre=meta.get("theatre"),
            valid_from=meta.get("valid_from"),
            valid_to=meta.get("valid_to"),
            version=meta.get("version"),
            sha256=meta.get("sha256"),
            accuracy_m=meta.get("accuracy_m"),
            licence=meta.get("licence"),
            attribution=meta.get("attribution"),
            area_layer=meta.get("area_layer"),
            held_by=meta.get("held_by"),
            bbox=tuple(bbox) if isinstance(bbox, list) and len(bbox) == 4 else None,
            meta=meta,
        )

    @property
    def provider(self) -> str:
        """Source family: ``"ne"`` (Natural Earth, public domain), ``"osm"`` (OpenStreetMap, ODbL), or ``"user"``
        for the user's own layers, whatever their data (never counted as public-domain Natural Earth)."""
        return "user" if self.user else str(self.meta.get("provider") or "ne")

    @property
    def preference(self) -> int:
        """Rank among layers valid on the same date (lower wins; see ``layers/README.md``)."""
        value = self.meta.get("preference")
        return int(value) if isinstance(value, int) and not isinstance(value, bool) else 9

    @property
    def user(self) -> bool:
        """True for a layer of the user's own store (``geomap layers add``), False for a shipped one."""
        return self.meta.get("origin") == "user"

    @property
    def shown_path(self) -> str:
        """Where the layer's file is, as outputs show it: ``user store/ID/FILE`` or ``geomap layers/ID/FILE``.

        Never the absolute path, which names the user's folders (``geomap layers list`` output gets pasted
        into reports); the user store's location is documented (``$GEOMAP_LAYERS_DIR``, else the per-user
        data folder).
        """
        root = "user store" if self.user else "geomap layers"
        return f"{root}/{self.path.parent.name}/{self.path.name}"

    @property
    def experimental(self) -> bool:
        """True for layers shipped as an experimental bound, not as a published line or area."""
        return bool(self.meta.get("experimental"))

    @property
    def caveats(self) -> list[str]:
        """What the layer leaves out or gets wrong (``omits``), then its other ``caveats``."""
        return [str(c) for c in (self.meta.get("omits") or [])] + [str(c) for c in (self.meta.get("caveats") or [])]

    @property
    def known_errors(self) -> list[dict]:
        """Places the layer is known to put on the wrong side or misplace (``known_errors`` in layer.json)."""
        return [dict(e) for e in (self.meta.get("known_errors") or []) if isinstance(e, dict)]

    @property
    def point_checks(self) -> list[dict]:
        """Well-known places with the side the layer puts them on, measured at build time."""
        return [dict(c) for c in (self.meta.get("point_checks") or []) if isinstance(c, dict)]

    @property
    def validity(self) -> str:
        """The validity range as text: ``'1994-05-12..2020-09-26'``, ``'2020-11-10..'`` or ``'undated'``."""
        if self.valid_from is None and self.valid_to is None:
            return "undated"
        return f"{self.valid_from or ''}..{self.valid_to or ''}"

    def is_valid_on(self, date: str | _dt.date) -> bool:
        """True if ``date`` lies in [valid_from, valid_to] (inclusive; None = open end).

        Undated layers (reference, base) are valid on no date.
        """
        day = parse_date(date)
        if self.valid_from is None and self.valid_to is None:
            return False
        first, last = self.day_range
        return first <= day.toordinal() <= last

    @property
    def day_range(self) -> tuple[int, int]:
        """First and last valid day as ``date.toordinal()`` numbers (0 and 10**9 for an open end)."""
        first = _dt.date.fromisoformat(self.valid_from).toordinal() if self.valid_from else 0
        last = _dt.date.fromisoformat(self.valid_to).toordinal() if self.valid_to else 10**9
        return first, last

    def verify(self) -> "Layer":
        """Check the geometry file exists and its sha256 matches ``layer.json``; return self.

        Raises
        ------
        LayerError
            The file is missing or was changed after the layer was built.
        """
        try:
            stat = self.path.stat()
        except OSError:
            fix = "remove it and add it again (geomap layers add)" if self.user else "reinstall geomap or rebuild the layers"
            raise LayerError(f"layer {self.id}: geometry file {self.path} is missing: {fix}") from None
        key = (str(self.path), stat.st_size, stat.st_mtime_ns)
        if _VERIFIED.get(key) == self.sha256:
            return self
        actual = file_sha256(self.path)
        if actual != self.sha256:
            fix = "remove it and add it again (geomap layers add)" if self.user else "rebuild with scripts/build_layers.py"
            raise LayerError(
                f"layer {self.id}: {self.path} was changed (sha256 {actual[:12]}... but layer.json says "
                f"{str(self.sha256)[:12]}...): restore the file or {fix}"
            )
        _VERIFIED[key] = actual
        return self


#: (path, size, mtime_ns) -> sha256 of files already checked in this process
_VERIFIED: dict[tuple[str, int, int], str] = {}


def parse_date(value: str | _dt.date | _dt.datetime) -> _dt.date:
    """Turn an ISO date (``'2020-10-15'``, a ``date`` or a ``datetime``) into a ``date``.

    Raises
    ------
    InputError
        The text is not an ISO 8601 date.
    """
    if isinstance(value, _dt.datetime):
        return value.date()
    if isinstance(value, _dt.date):
        return value
    text = str(value).strip()
    try:
        return _dt.date.fromisoformat(text)
    except ValueError:
        pass
    try:
        return _dt.datetime.fromisoformat(text.replace("Z", "+00:00")).date()
    except ValueError:
        raise InputError(f"bad date {text!r}: give an ISO date YYYY-MM-DD, such as 2020-12-27") from None


def _all_layers() -> tuple[Layer, ...]:
    """The shipped layers and the user's (``geomap.layers.roots``: one registry, two roots), sorted by id."""
    return _layers_of(*user_store_key())


@lru_cache(maxsize=2)
def _layers_of(user_root: str, _stamp: int) -> tuple[Layer, ...]:
    found = [Layer.from_folder(folder) for folder in layer_folders(layers_dir())]
    for folder in layer_folders(user_root):
        try:
            found.append(Layer.from_folder(folder))
        except LayerError as exc:  # the user's own folder: say how to get out ('layers remove' cannot read it)
            raise LayerError(f"{str(exc).rsplit(': rebuild the layer', 1)[0]}: it is one of your own layers: restore "
                             f"its layer.json, or delete the folder {folder} and add the file again") from None
    return tuple(sorted(found, key=lambda layer: layer.id))


def list_layers(*, theatre: str | None = None, kind: str | None = None) -> list[Layer]:
    """Return the shipped and user layers sorted by id, optionally only one theatre and/or kind."""
    return [layer for layer in _all_layers()
            if (theatre is None or layer.theatre == theatre) and (kind is None or layer.kind == kind)]


def theatres() -> list[str]:
    """Return the sorted names of the theatres that have at least one layer."""
    return list(_theatres_of(user_store_key()))


def get_layer(layer_id: str, *, verify: bool = True) -> Layer:
    """Return the shipped layer ``layer_id``; the error lists the ids that exist.

    With ``verify`` (the default) the geometry file's sha256 is checked against
    ``layer.json`` and a changed file raises :class:`LayerError`.
    """
    for layer in _all_layers():
        if layer.id == layer_id:
            return layer.verify() if verify else layer
    known = ", ".join(layer.id for layer in _all_layers()) or "none"
    raise LayerNotFound(f"no shipped layer is called {layer_id!r}: choose one of {known} (see 'geomap layers list')")


PROVIDERS = ("ne", "osm")  #: source families ``--source`` accepts


@lru_cache(maxsize=1)
def theatre_notes() -> dict[str, dict]:
    """``layers/theatres.json``: per theatre a ``title`` and the ``gaps`` no layer covers, with why.

    Each gap is ``{"kind": "line"|"area"|"any", "from": ISO, "to": ISO, "why": text}``.
    Returns an empty mapping when the file is absent.
    """
    path = layers_dir() / "theatres.json"
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, ValueError) as exc:
        raise LayerError(f"{path} is unreadable ({exc}): rebuild the layers with scripts/build_layers.py") from None
    return data if isinstance(data, dict) else {}


def gap_reason(theatre: str, date: str | _dt.date, kind: str = "line") -> str | None:
    """Why no ``kind`` layer of ``theatre`` covers ``date``, if ``layers/theatres.json`` records it."""
    day = parse_date(date)
    for gap in theatre_notes().get(theatre, {}).get("gaps", []):
        if gap.get("kind", "any") not in ("any", kind):
            continue
        if _dt.date.fromisoformat(gap["from"]) <= day <= _dt.date.fromisoformat(gap["to"]):
            return str(gap["why"])
    return None


def select_layer(theatre: str, date: str | _dt.date, kind: str = "line", source: str | None = None) -> Layer:
    """Return the ``kind`` layer of ``theatre`` valid on ``date`` (sha256 checked).

    Parameters
    ----------
    theatre : str
        A theatre name from :func:`theatres`, e.g. ``"nagorno-karabakh"``.
    date : str or datetime.date
        The incident date, ISO ``YYYY-MM-DD``.
    kind : str
        ``"line"`` (default) or ``"area"``.
    source : str, optional
        ``"ne"`` (Natural Earth) or ``"osm"`` (OpenStreetMap): only layers of that family.  Default: any.

    Returns
    -------
    Layer
        Picked by date first (valid_from <= date <= valid_to, null = open end), then by ``preference``
        (lower wins: the more detailed layer, see ``layers/README.md``), then the one that starts latest.

    Raises
    ------
    LayerNotFound
        Unknown theatre, or no layer of that kind (and source) is valid on that date: the message says why
        when ``layers/theatres.json`` records the gap, and lists each layer and its dates.
    LayerError
        Two or more layers tie (same preference and start date), so only their ids would choose.
    InputError
        ``date`` is not an ISO date, or ``source`` is not ne/osm.

    >>> select_layer("nagorno-karabakh", "2020-10-15")
    Traceback (most recent call last):
    ...
    geomap.errors.LayerNotFound: no nagorno-karabakh line is valid on 2020-10-15: war: the line moved daily and no open dated geometry of it exists; nk-line-1994 covers 1994-05-12..2020-09-26, nk-line-2020 covers 2020-12-14..2023-09-18; pick a date inside one of these ranges or name a layer explicitly
    """
    if kind not in DATED_KINDS:
        raise InputError(f"kind {kind!r} is never selected by date: choose one of {', '.join(DATED_KINDS)}")
    if source is not None and source not in PROVIDERS:
        raise InputError(f"source {source!r} is not known: choose one of {', '.join(PROVIDERS)}")
    day = parse_date(date)
    key = user_store_key()
    known = _theatres_of(key)
    if theatre not in known:
        raise LayerNotFound(
            f"unknown theatre {theatre!r}: choose one of {', '.join(known) or 'none'} (see 'geomap layers list')"
        )
    check_source(theatre, kind, source)
    dated = _dated_layers(key, theatre, kind, source)
    candidates = [layer for layer, _, _ in dated]
    # Layer.is_valid_on's rule, on day numbers worked out once per store state (700 dates x 1,000 versions)
    ordinal = day.toordinal()
    valid = [layer for layer, first, last in dated if first <= ordinal <= last]
    if not valid:
        covers = ", ".join(
            f"{layer.id} covers {layer.validity}"
            for layer in sorted(candidates, key=lambda item: (item.valid_from or "", item.id))
        )
        why = gap_reason(theatre, day, kind)
        what = kind if source is None else f"{kind} from source {source}"
        raise LayerNotFound(
            f"no {theatre} {what} is valid on {day.isoformat()}: " + (f"{why}; " if why else "") + f"{covers}; "
            "pick a date inside one of these ranges or name a layer explicitly"
        )
    ranked = sorted(valid, key=lambda layer: (layer.preference, _neg_date(layer.valid_from), layer.id))
    chosen = ranked[0]
    tied = [layer.id for layer in ranked
            if (layer.preference, layer.valid_from) == (chosen.preference, chosen.valid_from)]
    if len(tied) > 1:  # only the id would choose: a store edited by hand, or two runs that added at once
        raise LayerError(
            f"{len(tied)} {theatre} {kind} layers start on {chosen.valid_from or 'no date'} and are valid on "
            f"{day.isoformat()} ({', '.join(tied)}): nothing says which is meant; remove all but one "
            f"(geomap layers remove ID) or name one with --layer"
        )
    return chosen.verify()


def check_source(theatre: str, kind: str = "line", source: str | None = None) -> None:
    """Raise :class:`LayerNotFound` when ``theatre`` has no dated ``kind`` layer (of ``source``) on any date
    (a batch asks once, so its rows are not each ``no_layer_for_date`` for a reason no date could change)."""
    if _dated_layers(user_store_key(), theatre, kind, source):
        return
    layers = list_layers(theatre=theatre)
    have = ", ".join(f"{layer.id} ({layer.kind}, {layer.provider})" for layer in layers)
    if source is not None and layers and all(layer.user for layer in layers):
        raise LayerNotFound(f"theatre {theatre} holds your own layers only ({have}): --source {source} picks "
                            "Natural Earth (ne) or OpenStreetMap (osm) layers of the shipped theatres; drop --source")
    which = f"{kind}" if source is None else f"{kind} from source {source}"
    raise LayerNotFound(f"theatre {theatre} has no dated {which} layer: it has {have}")


@lru_cache(maxsize=4)
def _theatres_of(store_key: tuple[str, int]) -> tuple[str, ...]:
    return tuple(sorted({layer.theatre for layer in _layers_of(*store_key) if layer.theatre}))


@lru_cache(maxsize=64)
def _dated_layers(_store_key: tuple[str, int], theatre: str, kind: str,
                  source: str | None) -> tuple[tuple[Layer, int, int], ...]:
    """The dated ``kind`` layers of ``theatre`` (of ``source``) with their first and last valid day numbers.

    Keyed by the user store's state, so adding or removing a layer is seen at once.
    """
    out = []
    for layer in list_layers(theatre=theatre, kind=kind):
        if not (layer.valid_from or layer.valid_to) or (source is not None and layer.provider != source):
            continue
        out.append((layer, *layer.day_range))
    return tuple(out)


def _neg_date(value: str | None) -> int:
    return -(_dt.date.fromisoformat(value).toordinal() if value else 0)


def _check_date(name: str, value: Any, problems: list[str]) -> _dt.date | None:
    if value is None:
        return None
    if not isinstance(value, str):
        problems.append(f"{name} must be an ISO date string or null, not {type(value).__name__}")
        return None
    try:
        return _dt.date.fromisoformat(value)
    except ValueError:
        problems.append(f"{name} {value!r} is not an ISO date (YYYY-MM-DD)")
        return None


def validate_metadata(meta: dict) -> list[str]:
    """Return the problems of a ``layer.json`` mapping (an empty list if it follows the schema).

    Checks presence and type of every field of ``layers/README.md``, the kind,
    the CRS (EPSG:4326), ISO dates with valid_from <= valid_to, dated kinds
    having a theatre and valid_from, undated kinds having no dates, the sha256
    format, the source sub-fields, counts, bbox, ``area_layer`` for lines that
    name one and ``held_by`` for areas.  It does not read the geometry file.
    """
    if not isinstance(meta, dict):
        return ["layer metadata must be a JSON object"]
    problems: list[str] = []
    user = meta.get("origin") == "user"  # a layer of the user's store: accuracy may be unstated, no point checks
    for name, typ in _REQUIRED.items():
        if user and name == "accuracy_m" and meta.get(name, 0) is None:
            continue
        if name not in meta:
            problems.append(f"missing field {name!r}")
        elif not isinstance(meta[name], typ) or isinstance(meta[name], bool):
            want = typ.__name__ if isinstance(typ, type) else "number"
            problems.append(f"field {name!r} must be a {want}, not {type(meta[name]).__name__}")
    for name in _NULLABLE:
        if name not in meta:
            problems.append(f"missing field {name!r} (use null if it does not apply)")
    if isinstance(meta.get("id"), str) and not _ID_RE.match(meta["id"]):
        problems.append(f"id {meta['id']!r} must be lower-case letters, digits and hyphens")
    kind = meta.get("kind")
    if isinstance(kind, str) and kind not in KINDS:
        problems.append(f"kind {kind!r} must be one of {', '.join(KINDS)}")
    if isinstance(meta.get("crs"), str) and meta["crs"] != "EPSG:4326":
        problems.append(f"crs {meta['crs']!r} must be 'EPSG:4326' (shipped layers are lon/lat WGS84)")
    if isinstance(meta.get("sha256"), str) and not _SHA_RE.match(meta["sha256"]):
        problems.append("sha256 must be 64 lower-case hex digits")
    start = _check_date("valid_from", meta.get("valid_from"), problems)
    end = _check_date("valid_to", meta.get("valid_to"), problems)
    if start and end and start > end:
        problems.append(f"valid_from {start} is after valid_to {end}")
    theatre = meta.get("theatre")
    if theatre is not None and (not isinstance(theatre, str) or not _ID_RE.match(theatre)):
        problems.append(f"theatre {theatre!r} must be null or lower-case letters, digits and hyphens")
    if kind in SITUATION_KINDS:
        if not theatre:
            problems.append(f"a {kind} layer needs a theatre")
        if meta.get("valid_from") is None:
            problems.append(f"a {kind} layer needs valid_from (the first date it describes)")
    if kind in ("reference", "base") and (meta.get("valid_from") is not None or meta.get("valid_to") is not None):
        problems.append(f"a {kind} layer must have valid_from and valid_to null (it is never selected by date)")
    if kind in ("area",) and not meta.get("held_by"):
        problems.append("an area layer needs held_by (who holds the area)")
    if "area_layer" in meta and meta["area_layer"] is not None:
        if kind != "line":
            problems.append("only line layers may name an area_layer")
        elif not isinstance(meta["area_layer"], str) or not _ID_RE.match(meta["area_layer"]):
            problems.append("area_layer must be a layer id")
    if meta.get("role") is not None and meta["role"] not in ("borders", "land"):
        problems.append(f"role {meta['role']!r} must be 'borders', 'land' or absent")
    acc = meta.get("accuracy_m")
    if isinstance(acc, (int, float)) and not isinstance(acc, bool) and not acc > 0:
        problems.append("accuracy_m must be a positive number of metres")
    if isinstance(meta.get("accuracy_note"), str) and not meta["accuracy_note"].strip():
        problems.append("accuracy_note must justify accuracy_m")
    source = meta.get("source")
    if isinstance(source, dict):
        for key in _SOURCE_KEYS:
            if key not in source:
                problems.append(f"source lacks {key!r}")
    counts = meta.get("counts")
    if isinstance(counts, dict):
        for key in ("features", "vertices"):
            if not isinstance(counts.get(key), int) or counts[key] < 0:
                problems.append(f"counts.{key} must be a non-negative integer")
        if not any(isinstance(counts.get(k), (int, float)) for k in ("length_km", "area_km2")):
            problems.append("counts needs length_km (lines) or area_km2 (polygons)")
    bbox = meta.get("bbox")
    if isinstance(bbox, list):
        ok = (
            isinstance(bbox, list)
            and len(bbox) == 4
            and all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in bbox)
        )
        if not ok:
            problems.append("bbox must be [min_lon, min_lat, max_lon, max_lat]")
        elif not (-180 <= bbox[0] <= bbox[2] <= 180 and -90 <= bbox[1] <= bbox[3] <= 90):
            problems.append(f"bbox {bbox} is not [min_lon, min_lat, max_lon, max_lat] within lon/lat range")
    if isinstance(meta.get("omits"), list) and not all(isinstance(item, str) for item in meta["omits"]):
        problems.append("omits must be a list of strings")
    if not user:
        _check_dated_extras(meta, kind, problems)
    return problems


_CHECK_KEYS = ("place", "lon", "lat", "source", "expected", "measured", "distance_m", "agrees")
_ERROR_KEYS = ("place", "lon", "lat", "radius_m", "what", "source")


def _check_dated_extras(meta: dict, kind: Any, problems: list[str]) -> None:
    """provider, preference, caveats, point_checks and known_errors: required for line and area layers."""
    dated = kind in SITUATION_KINDS
    provider = meta.get("provider")
    if provider is not None and provider not in PROVIDERS:
        problems.append(f"provider {provider!r} must be one of {', '.join(PROVIDERS)}")
    if provider == "osm":
        if "OpenStreetMap contributors" not in str(meta.get("attribution", "")):
            problems.append("an OpenStreetMap layer's attribution must say '© OpenStreetMap contributors'")
        if "ODbL" not in str(meta.get("licence", "")):
            problems.append("an OpenStreetMap layer's licence must be the ODbL")
    pref = meta.get("preference")
    if pref is not None and (not isinstance(pref, int) or isinstance(pref, bool) or pref < 0):
        problems.append("preference must be a non-negative integer")
    for name in ("caveats",):
        value = meta.get(name)
        if value is not None and not (isinstance(value, list) and all(isinstance(v, str) for v in value)):
            problems.append(f"{name} must be a list of strings")
    for name, keys in (("point_checks", _CHECK_KEYS), ("known_errors", _ERROR_KEYS)):
        value = meta.get(name)
        if value is None:
            continue
        if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
            problems.append(f"{name} must be a list of objects")
            continue
        for i, item in enumerate(value):
            missing = [k for k in keys if k not in item]
            if missing:
                problems.append(f"{name}[{i}] lacks {', '.join(missing)}")
    if dated:
        for name in ("provider", "caveats", "point_checks") + (("preference",) if kind in DATED_KINDS else ()):
            if meta.get(name) is None:
                problems.append(f"a {kind} layer needs {name}")
        if isinstance(meta.get("point_checks"), list) and not meta["point_checks"]:
            problems.append(f"a {kind} layer needs at least one point check")


def file_sha256(path: str | Path) -> str:
    """Return the hex sha256 of a file's bytes."""
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
