"""The user's own layer store: ``geomap layers add`` / ``remove``.

Analysts hold dated lines and control maps geomap cannot ship.  :func:`add_layers`
checks a file (the checks of ``geomap layers validate``), copies it into the
store (:func:`geomap.layers.roots.user_layers_dir`) with a ``layer.json`` that
records its sha256, the original file name, the date it was added, its validity,
the accuracy, source and licence the user stated (or ``"not stated"``) and, for
an area, who holds it.  The registry then lists these layers beside the shipped
ones, and ``--theatre``/``--date`` and the per-row as-of of a batch select them
by date exactly like shipped layers (:func:`geomap.layers.registry.select_layer`).

A folder of snapshots, or one file with a date column, becomes one version per
date with consecutive validity (:mod:`geomap.layers.dated`).  With
``derive=True`` each control-map version becomes a line (its polygons' front,
:func:`geomap.layers.derive.derive_line`) plus the held area the line's side
comes from.
"""

from __future__ import annotations

import datetime as _dt
import json
import os
import re
import shutil
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from geomap.errors import InputError, LayerError, LayerNotFound, OutputError
from geomap.layers import dated
from geomap.layers.registry import file_sha256, get_layer, list_layers, parse_date
from geomap.layers.roots import user_layers_dir

#: what the store records for a source, licence or accuracy the user did not give
NOT_STATED = "not stated"
_ID_RE = re.compile(r"^[a-z0-9][a-z0-9-]*$")
#: formats copied byte for byte; others (Shapefile's several files) are stored as GeoJSON
_COPIED = (".geojson", ".json", ".kml", ".kmz", ".gpkg", ".fgb", ".gml", ".parquet", ".geoparquet")


@dataclass
class _Version:
    """One dated version to add: the whole of ``original``, or (a date column) the features ``rows`` of it."""

    valid_from: _dt.date
    valid_to: _dt.date | None
    original: Path
    rows: np.ndarray | None = None


def add_layers(
    path: str | Path,
    *,
    theatre: str,
    kind: str = "line",
    valid_from: str | _dt.date | None = None,
    valid_to: str | _dt.date | None = None,
    accuracy_m: float | None = None,
    title: str | None = None,
    source: str | None = None,
    licence: str | None = None,
    layer_id: str | None = None,
    held_by: str | None = None,
    date_pattern: str | None = None,
    date_col: str | None = None,
    valid_from_col: str | None = None,
    valid_to_col: str | None = None,
    derive: bool = False,
    side: str | None = None,
    border: str | None = "auto",
    land: str | None = "ne-countries-50m",
    tolerance_m: float = 500.0,
) -> list:
    """Add a file, a folder of dated files, or a file with a date column to the user store.

    Parameters
    ----------
    path : str or Path
        A vector file (validity from ``valid_from``, else the date in its name),
        a folder (every vector file, each dated by its name, or ``date_pattern``),
        or a file with ``date_col`` / ``valid_from_col`` (+ ``valid_to_col``) per feature.
    theatre : str
        The theatre name (lower-case letters, digits, hyphens); not a shipped theatre's.
    kind : str
        ``"line"`` or ``"area"`` (an area needs ``held_by``).
    valid_to : str or date, optional
        The last day the (last) version is valid; default open.
    accuracy_m : float, optional
        The stated accuracy of the geometry, metres (recorded as not stated when absent).
    derive : bool
        Each version is a control map: store its derived line (``side``,
        ``border``, ``land``, ``tolerance_m`` as in derive_line) and its held area.

    Returns
    -------
    list of geomap.layers.registry.Layer
        The layers added, by date.

    Raises
    ------
    InputError
        Bad options, a file that fails validation, no date for a file, two
        versions on one date, an id or start date that already exists.
    """
    _check_options(theatre, kind, accuracy_m, layer_id, derive, held_by, side)
    if not derive:  # control-map options on a plain line or area would be ignored without a word
        given = [name for name, value, default in (("--side", side, None), ("--border", border, "auto"),
                                                   ("--land", land, "ne-countries-50m"),
                                                   ("--tolerance-m", tolerance_m, 500.0)) if value != default]
        if given:
            raise InputError(f"{', '.join(given)} {'goes' if len(given) == 1 else 'go'} with --derive-line "
                             "(control maps to lines): add --derive-line, or drop " + ", ".join(given))
        if held_by and kind == "line":
            raise InputError("--held-by names who holds an area: it goes with --kind area or --derive-line; "
                             "drop it for a line")
    path = Path(path)
    if not path.exists():
        raise InputError(f"{path} does not exist: give a vector file or a folder of dated vector files")
    end = parse_date(valid_to) if valid_to is not None else None
    versions = _versions(path, valid_from, end, date_pattern, date_col, valid_from_col, valid_to_col, layer_id)
    if layer_id is not None and len(versions) > 1:
        raise InputError(f"--id names one layer but {path.name} gives {len(versions)} versions: drop --id")
    holder = held_by or (side.partition("=")[2] if derive and side and side != "all" else None)
    out_kind = "line" if derive else kind
    existing = {layer.id: layer for layer in list_layers()}
    taken = {(layer.theatre, layer.kind, layer.valid_from) for layer in existing.values()}
    planned: list[tuple[dict, Any]] = []
    checked: dict[Path, str] = {}
    for version in versions:
        if version.original not in checked:
            checked[version.original] = _validated(version.original)
        lid = layer_id or f"{theatre}-{out_kind}-{version.valid_from.isoformat()}"
        common = _common_meta(theatre, version, *checked[version.original], accuracy_m, source, licence)
        if derive:
            planned.extend(_derived(version, lid, common, title, holder, side, border, land, tolerance_m))
        else:
            planned.append(_plain(version, lid, common, kind, title, holder))
    _refuse_taken(planned, existing, taken, theatre)  # at once, before waiting for another run's lock
    root = user_layers_dir()
    written: list[Path] = []
    try:
        root.mkdir(parents=True, exist_ok=True)
        with _store_lock(root):  # another geomap run adding or removing meanwhile: checked again, in turn
            existing = {layer.id: layer for layer in list_layers()}
            _refuse_taken(planned, existing, {(layer.theatre, layer.kind, layer.valid_from)
                                              for layer in existing.values()}, theatre)
            for meta, payload in planned:
                written.append(_write(root, meta, payload))
    except BaseException as exc:
        for folder in written:
            shutil.rmtree(folder, ignore_errors=True)
        if isinstance(exc, OSError):  # the store is a file, read-only, full...: one line, not a traceback
            raise OutputError(f"cannot write the layer store {root}: {exc.strerror or exc}: set GEOMAP_LAYERS_DIR "
                              "to a folder you can write") from None
        raise
    return [get_layer(meta["id"]) for meta, _payload in planned]


def _refuse_taken(planned, existing: dict, taken: set, theatre: str) -> None:
    """InputError when a planned layer's id, or its theatre, kind and start date, is in the store already."""
    for meta, _payload in planned:
        if meta["id"] in existing:
            raise InputError(f"a layer {meta['id']} exists already: remove it first (geomap layers remove "
                             f"{meta['id']}) or give another --id")
        if (theatre, meta["kind"], meta["valid_from"]) in taken:
            raise InputError(f"a {theatre} {meta['kind']} layer starting {meta['valid_from']} exists already: "
                             "remove it first (geomap layers list --theatre " + theatre + ")")


def _store_lock(root: Path):
    """An exclusive lock on the user store (``root/.lock``, py-filelock), held while layers are added or removed.

    Two runs adding at once each passed the "exists already" checks before either wrote, and left two
    versions with one start date, of which measuring then picked one by id without a word.
    """
    from filelock import FileLock

    return FileLock(str(root / ".lock"))


def remove_layer(layer_id: str) -> list[str]:
    """Remove a user layer (and the held area stored with a derived line); return the ids removed.

    Raises
    ------
    LayerNotFound
        No layer has that id.
    LayerError
        The layer is shipped, not the user's.
    """
    try:
        layer = get_layer(layer_id, verify=False)
    except LayerNotFound:
        yours = [other.id for other in list_layers() if other.user]
        raise LayerNotFound(f"you have no layer called {layer_id!r}: "
                            + (f"choose one of {', '.join(yours)}" if yours else "your layer store is empty")
                            + " (see 'geomap layers list')") from None
    if not layer.user:
        raise LayerError(f"{layer_id} is a shipped layer: only layers added with 'geomap layers add' can be removed")
    lines = [other.id for other in list_layers(kind="line") if other.area_layer == layer.id]
    if lines:  # a derived line's held area: removing it alone would leave the line naming nothing
        raise LayerError(f"{layer_id} is the held area of {', '.join(lines)}: remove the line instead "
                         f"(geomap layers remove {lines[0]}), which removes its area too")
    removed = [layer]
    if layer.area_layer:
        area = get_layer(layer.area_layer, verify=False)
        if area.user and area.meta.get("line_layer") == layer.id:
            removed.append(area)
    root = user_layers_dir().resolve()
    for item in removed:
        if item.path.parent.resolve().parent != root:
            raise LayerError(f"{item.id} is not in the user layer store {root}: remove it by hand")
    try:
        with _store_lock(root):
            for item in removed:
                folder = item.path.parent.resolve()
                if folder.is_dir():  # another run may have removed it meanwhile
                    shutil.rmtree(folder)
    except OSError as exc:
        raise OutputError(f"cannot remove {item.id} from the layer store: {exc.strerror or exc}: check the "
                          "permissions of the layer store (GEOMAP_LAYERS_DIR)") from None
    return [item.id for item in removed]


# ----------------------------------------------------------------------------- versions
def _check_options(theatre, kind, accuracy_m, layer_id, derive, held_by, side) -> None:
    if not isinstance(theatre, str) or not _ID_RE.match(theatre):
        raise InputError(f"--theatre {theatre!r}: use lower-case letters, digits and hyphens, e.g. ukraine-mine")
    shipped = {layer.theatre for layer in list_layers() if not layer.user and layer.theatre}
    if theatre in shipped:
        raise InputError(f"{theatre} is a shipped theatre: give your layers a theatre of their own "
                         f"(e.g. {theatre}-mine) so shipped results never change under you")
    if kind not in ("line", "area"):
        raise InputError(f"--kind {kind!r}: choose line or area")
    if derive and kind != "line":
        raise InputError("--derive-line makes line layers (with their held areas): drop --kind area")
    if kind == "area" and not derive and not held_by:
        raise InputError("an area layer needs --held-by WHO (who holds the area)")
    if derive and not held_by and not (side and "=" in side):
        raise InputError("--derive-line needs --held-by WHO, or --side FIELD=VALUE (VALUE then holds the area)")
    if accuracy_m is not None and not (isinstance(accuracy_m, (int, float)) and np.isfinite(accuracy_m)
                                       and accuracy_m > 0):
        raise InputError(f"--accuracy-m {accuracy_m!r} is not a positive number of metres")
    if layer_id is not None and not _ID_RE.match(layer_id):
        raise InputError(f"--id {layer_id!r}: use lower-case letters, digits and hyphens")


def _versions(path: Path, valid_from, end, date_pattern, date_col, from_col, to_col, layer_id) -> list[_Version]:
    if path.is_dir():
        if valid_from is not None or date_col or from_col or to_col:
            raise InputError(f"{path.name} is a folder: each file's date comes from its name (or --date-pattern); "
                             "drop --valid-from and the column options")
        files = dated.vector_files(path)
        if not files:
            raise InputError(f"{path.name} holds no vector files ({', '.join(dated.VECTOR_SUFFIXES)})")
        starts = []
        for f in files:
            day = dated.date_from_name(f.name, date_pattern)
            if day is None:
                hint = f" with --date-pattern {date_pattern!r}" if date_pattern else ""
                raise InputError(f"{f.name} has no date in its name{hint}: name the files with YYYY-MM-DD or "
                                 "YYYYMMDD, or give --date-pattern (e.g. 'FrontLine_%y_%m_%d')")
            starts.append((day, f))
        starts.sort()
        spans = dated.consecutive([d for d, _f in starts], end, what="file")
        return [_Version(a, b, f) for (a, b), (_d, f) in zip(spans, starts)]
    if date_col or from_col:
        if valid_from is not None:
            raise InputError("--valid-from and a date column were both given: drop one")
        return _column_versions(path, date_col, from_col, to_col, end)
    if to_col:
        raise InputError("--valid-to-col goes with --valid-from-col")
    start = parse_date(valid_from) if valid_from is not None else dated.date_from_name(path.name, date_pattern)
    if start is None:
        raise InputError(f"{path.name} has no date in its name: give --valid-from DATE (the day the file shows)")
    if end is not None and end < start:
        raise InputError(f"--valid-to {end.isoformat()} is before --valid-from {start.isoformat()}")
    return [_Version(start, end, path)]


def _column_versions(path: Path, date_col, from_col, to_col, end) -> list[_Version]:
    from geomap.layers.lineset import read_vector

    _geoms, attrs, _crs = read_vector(path)
    column = date_col or from_col
    if column not in attrs or (to_col and to_col not in attrs):
        missing = column if column not in attrs else to_col
        raise InputError(f"{path.name} has no column {missing!r}: choose one of {', '.join(attrs) or 'none'}")
    starts = dated.column_dates(attrs[column], column, path.name)
    if any(day is None for day in starts):
        first = next(i for i, day in enumerate(starts) if day is None)
        raise InputError(f"{path.name}: feature {first + 1} has no date in {column}: give every feature a date")
    starts_arr = np.array([d.toordinal() for d in starts])
    if to_col:
        ends = dated.column_dates(attrs[to_col], to_col, path.name)
        ends_arr = np.array([d.toordinal() if d else -1 for d in ends])
        keys = sorted(set(zip(starts_arr.tolist(), ends_arr.tolist())))
        for (a, b), (a2, b2) in zip(keys, keys[1:]):  # sorted by start: each may only begin after the last ends
            if b == -1 or a2 <= b:
                until = "open" if b == -1 else _dt.date.fromordinal(b).isoformat()
                raise InputError(
                    f"{path.name}: the features valid {_dt.date.fromordinal(a)}..{until} and those from "
                    f"{_dt.date.fromordinal(a2)} overlap, so two versions would be valid on one day and only one "
                    f"measured: give the features of one version the same {column}/{to_col}, and end each version "
                    "before the next begins")
        out = []
        for a, b in keys:
            if b != -1 and b < a:
                raise InputError(f"{path.name}: {to_col} {_dt.date.fromordinal(b)} is before {column} "
                                 f"{_dt.date.fromordinal(a)}: fix the dates")
            rows = np.flatnonzero((starts_arr == a) & (ends_arr == b))
            out.append(_Version(_dt.date.fromordinal(a), _dt.date.fromordinal(b) if b != -1 else None, path, rows))
        return out
    days = sorted(set(starts_arr.tolist()))
    spans = dated.consecutive([_dt.date.fromordinal(d) for d in days], end, what="date")
    return [_Version(a, b, path, np.flatnonzero(starts_arr == d)) for (a, b), d in zip(spans, days)]


def _validated(path: Path) -> tuple[str, str]:
    """Run the checks of ``geomap layers validate`` on ``path``; return its sha256 and CRS, or raise InputError."""
    from geomap.layers.check import validate_path

    report = validate_path(path)
    if not report.ok:
        more = f" (and {len(report.problems) - 1} more)" if len(report.problems) > 1 else ""
        raise InputError(f"{path.name}: {report.problems[0]}{more}: fix the file "
                         "('geomap layers validate FILE' lists every problem)")
    return file_sha256(path) if path.is_file() else "", report.crs or "EPSG:4326"


# ----------------------------------------------------------------------------- metadata
def _common_meta(theatre, version: _Version, sha, crs, accuracy_m, source, licence) -> dict:
    return {
        "theatre": theatre,
        "valid_from": version.valid_from.isoformat(),
        "valid_to": version.valid_to.isoformat() if version.valid_to else None,
        "version": version.valid_from.isoformat(),
        "crs": crs,
        "source": {"name": source or NOT_STATED, "url": None, "edition": None, "commit": None,
                   "file": version.original.name, "rerun": None},
        "licence": licence or NOT_STATED,
        "attribution": source or "",
        "accuracy_m": float(accuracy_m) if accuracy_m is not None else None,
        "accuracy_note": ("stated by the user when adding the layer" if accuracy_m is not None else
                          "not stated: intervals cover only the incidents' own location uncertainty"),
        "omits": [],
        "notes": "",
        "origin": "user",
        "original_file": version.original.name,
        "original_sha256": sha,
        "added": _dt.datetime.now(_dt.timezone.utc).replace(microsecond=0).isoformat(),
    }


def _features(version: _Version):
    from geomap.layers.lineset import read_vector

    geoms, attrs, _crs = read_vector(version.original)
    if version.rows is not None:
        geoms = geoms[version.rows]
        attrs = {k: v[version.rows] for k, v in attrs.items()}
    return geoms, attrs


def _plain(version: _Version, lid, common, kind, title, holder):
    import shapely

    geoms, attrs = _features(version)
    types = shapely.get_type_id(geoms)
    lines = np.isin(types, [1, 2, 5, 7])
    polys = np.isin(types, [3, 6])
    name = version.original.name
    if kind == "line" and not lines.any():
        hint = ("add it with --derive-line (--side FIELD=VALUE if it holds both sides) or as --kind area --held-by WHO"
                if polys.any() else "give a file of LineString features")
        raise InputError(f"{name} has no lines: {hint}")
    if kind == "area" and not polys.any():
        raise InputError(f"{name} has no polygons: add it as --kind line")
    meta = dict(common, id=lid, kind=kind, title=title or f"{common['theatre']} {kind} as of {common['valid_from']}",
                counts=_counts(geoms, kind), bbox=_bbox(geoms))
    if kind == "area":
        meta["held_by"] = holder
    suffix = version.original.suffix.lower()
    if version.rows is None and suffix in _COPIED and version.original.is_file():
        meta["geometry_file"] = "data" + suffix
        meta["sha256"] = common["original_sha256"]
        return meta, version.original
    meta["geometry_file"] = "data.geojson"
    meta["crs"] = "EPSG:4326"
    return meta, (geoms, attrs)


def _derived(version: _Version, lid, common, title, holder, side, border, land, tolerance_m):
    import shapely

    from geomap.layers.derive import derive_line

    result = derive_line(version.original, border=border, land=land, tolerance_m=tolerance_m, side=side)
    theatre, day = common["theatre"], common["valid_from"]
    area_id = f"{theatre}-area-{day}" if lid == f"{theatre}-line-{day}" else f"{lid}-area"
    line_geoms = np.array([result.geometry], dtype=object)
    area_geoms = np.array([result.area], dtype=object)
    common = dict(common, crs="EPSG:4326")
    line_meta = dict(common, id=lid, kind="line", title=title or f"{theatre} line as of {day} (derived)",
                     geometry_file="data.geojson", counts=_counts(line_geoms, "line"), bbox=_bbox(line_geoms),
                     area_layer=area_id, derived={k: v for k, v in result.summary().items()
                                                  if k not in ("area_source", "projection")})
    area_meta = dict(common, id=area_id, kind="area", title=f"{theatre} area held by {holder} as of {day}",
                     geometry_file="data.geojson", counts=_counts(area_geoms, "area"), bbox=_bbox(area_geoms),
                     held_by=holder, line_layer=lid)
    if shapely.is_empty(result.geometry):
        raise InputError(f"{version.original.name}: the derived line is empty: check --side and --border/--land")
    area_payload = (area_geoms, {})
    if result.summary().get("mode") == "shared-edge":
        # both sides mapped: keep the other side's polygons, so that a point on neither side (beyond the map)
        # is not called "outside" the held area as if it were across the front
        from geomap.layers.control import pick_side

        others = pick_side(version.original, side)[1]
        area_meta["other_side_file"] = "other_side.geojson"
        extra = {"other_side.geojson": np.array([shapely.union_all(others)], dtype=object)}
        if result.unassigned is not None and not result.unassigned.is_empty:
            # the holes neither side fills (and polygons naming no side): the front may run through them
            area_meta["unassigned_file"] = "unassigned.geojson"
            extra["unassigned.geojson"] = np.array([result.unassigned], dtype=object)
        area_payload = (area_geoms, {}, extra)
    return [(area_meta, area_payload), (line_meta, (line_geoms, {}))]


def _counts(geoms, kind) -> dict:
    import shapely
    from pyproj import Geod

    geod = Geod(ellps="WGS84")
    present = [g for g in geoms if g is not None and not g.is_empty]
    counts: dict[str, Any] = {"features": len(geoms),
                              "vertices": int(shapely.get_num_coordinates(np.asarray(present, dtype=object)).sum())
                              if present else 0}
    if kind == "area":
        counts["area_km2"] = round(sum(abs(geod.geometry_area_perimeter(g)[0]) for g in present) / 1e6, 3)
    else:
        counts["length_km"] = round(sum(geod.geometry_length(g) for g in present) / 1000.0, 3)
    return counts


def _bbox(geoms) -> list[float] | None:
    import shapely

    xy = shapely.get_coordinates(np.asarray([g for g in geoms if g is not None], dtype=object))
    if not xy.size:
        return None
    return [float(xy[:, 0].min()), float(xy[:, 1].min()), float(xy[:, 0].max()), float(xy[:, 1].max())]


# ----------------------------------------------------------------------------- writing
def _json_value(value):
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, float) and not np.isfinite(value):
        return None
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    return str(value)


def _geojson(geoms, attrs) -> str:
    import shapely

    features = []
    for i, geom in enumerate(geoms):
        props = {k: _json_value(v[i]) for k, v in attrs.items()}
        features.append({"type": "Feature", "properties": props,  # lon/lat only: heights play no part
                         "geometry": json.loads(shapely.to_geojson(shapely.force_2d(geom))) if geom is not None
                         else None})
    return json.dumps({"type": "FeatureCollection", "features": features}, ensure_ascii=False)


def _write(root: Path, meta: dict, payload) -> Path:
    """Write one layer folder atomically (a hidden work folder renamed into place)."""
    work = root / f".adding-{meta['id']}-{uuid.uuid4().hex[:8]}"
    work.mkdir()
    try:
        target = work / meta["geometry_file"]
        if isinstance(payload, Path):
            shutil.copyfile(payload, target)
        else:
            target.write_text(_geojson(*payload[:2]), encoding="utf-8")
            meta["sha256"] = file_sha256(target)
            for name, geoms in (payload[2] if len(payload) > 2 else {}).items():  # e.g. a map's other side
                (work / name).write_text(_geojson(geoms, {}), encoding="utf-8")
                meta[f"{Path(name).stem}_sha256"] = file_sha256(work / name)
        (work / "layer.json").write_text(json.dumps(meta, ensure_ascii=False, sort_keys=True, indent=2) + "\n",
                                         encoding="utf-8")
        final = root / meta["id"]
        os.rename(work, final)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    return final
