"""Guards a vector reader applies to what it reads, each a small function it calls.

* :func:`geometry_from_geojson` / :func:`geometries_from_wkb` - build shapely
  geometries that tolerate the usual export artefacts (an empty or
  one-position member of a MultiLineString), dropping such parts with an
  :class:`geomap.errors.InputNote` instead of a shapely traceback or a silently
  dropped feature.  GeoJSON coordinates go through numpy, not per-position
  Python objects, so a 1,000,000-vertex line is built in well under a second.
* :func:`geojson_declared_crs` - the pre-2016 GeoJSON ``crs`` member (``name``,
  ``EPSG`` and ``link`` kinds), None when absent.
* :func:`crs_is_implied` and :func:`choose_crs` - ``--assume-crs`` overrides a
  CRS that only the format implies (GeoJSON/KML/GPX/GeoParquet without one).
* :func:`lonlat_guard` - the lon/lat range check after conversion: longitudes
  past +-180 that are still on the sphere (a line written with continuous
  longitudes across the antimeridian) are normalised with a note; coordinates
  that are not lon/lat give one line naming the command that works.
* :func:`check_archive` - refuse a KMZ/zip whose stated decompressed size is
  far larger than the file, before anything is expanded.
* :func:`geoarrow_geometries` - GeoParquet 1.1 geoarrow encodings (point,
  linestring, polygon and their multi forms) to shapely geometries.
* :func:`quiet_gdal` - turns the raw warnings GDAL/pyogrio emit while reading
  into notes, so no raw library warning reaches the user.
* :func:`collect_notes` / :func:`summarise_notes` - for the reader's caller:
  record the notes issued while reading (any other warning becomes a note too)
  and put them in one line per kind ("empty part(s) dropped: feature 0 (A)").

Notes are issued as :class:`geomap.errors.InputNote` warnings; the caller
(:func:`geomap.layers.lineset.read_lines`) records them, logs them and keeps
them in the layer's evidence.  Standard library, numpy, shapely and pyproj.
"""

from __future__ import annotations

import contextlib
import re
import struct
import warnings
from pathlib import Path
from typing import Callable

import numpy as np

from geomap.errors import CRSError, FileFormatError, InputNote

#: suffixes whose format fixes or implies WGS84 lon/lat when the file says nothing
IMPLIED_WGS84_SUFFIXES = (".geojson", ".json", ".geojsonl", ".geojsons", ".kml", ".kmz", ".gpx")
#: an archive may state up to this many times its own size, decompressed ...
ARCHIVE_MAX_RATIO = 100
#: ... but any archive may expand to this many bytes
ARCHIVE_FLOOR_BYTES = 256 * 1024 * 1024


def note(message: str, *, kind: str = "note", feature: int | None = None) -> None:
    """Issue an :class:`InputNote` (``kind`` groups notes of one sort; ``feature`` is a row number)."""
    warning = InputNote(message)
    warning.kind = kind
    warning.feature = feature
    warnings.warn(warning, stacklevel=2)


# ------------------------------------------------------------------ geometries
def _positions(coords) -> np.ndarray | None:
    """A GeoJSON position list as an (n, 2) float array (Z/M dropped); None when malformed."""
    try:
        xy = np.asarray(coords, dtype=float)
    except (TypeError, ValueError):  # ragged: positions of mixed dimension
        try:
            xy = np.asarray([p[:2] for p in coords], dtype=float)
        except (TypeError, ValueError, IndexError):
            return None
    if xy.size == 0:
        return np.empty((0, 2))
    if xy.ndim != 2 or xy.shape[1] < 2:
        return None
    return xy[:, :2]


def _line_parts(members, feature, what="MultiLineString"):
    """Usable (n>=2, 2) arrays of a MultiLineString's members; degenerate members dropped with a note."""
    parts, empty, single = [], 0, 0
    for member in members:
        xy = _positions(member)
        if xy is None:
            raise ValueError(f"a {what} member is not a list of positions")
        if xy.shape[0] == 0:
            empty += 1
        elif xy.shape[0] == 1:
            single += 1
        else:
            parts.append(xy)
    if empty:
        note(f"{empty} empty part(s) dropped", kind="empty part", feature=feature)
    if single:
        note(f"{single} one-position part(s) dropped", kind="one-position part", feature=feature)
    return parts


def geometry_from_geojson(obj, *, feature: int | None = None):
    """A shapely geometry from a GeoJSON geometry object, tolerant of degenerate line parts.

    Parameters
    ----------
    obj : dict or None
        A GeoJSON geometry (``type`` and ``coordinates`` / ``geometries``).
    feature : int, optional
        The feature's row number, carried in the notes.

    Returns
    -------
    shapely geometry or None
        None for a null geometry.  Empty and one-position members of a
        MultiLineString are dropped (note kinds ``empty part`` /
        ``one-position part``); a LineString of one position gives None with
        a note of kind ``one-vertex line``.  Z and M values are dropped.

    Raises
    ------
    ValueError
        The object is not a GeoJSON geometry.
    """
    import shapely

    if obj is None:
        return None
    if not isinstance(obj, dict):
        raise ValueError("a geometry is not a JSON object")
    kind = obj.get("type")
    if kind == "GeometryCollection":
        members = [geometry_from_geojson(g, feature=feature) for g in obj.get("geometries") or []]
        return shapely.geometrycollections([g for g in members if g is not None])
    coords = obj.get("coordinates")
    if coords is None:
        raise ValueError(f"a {kind} geometry has no coordinates")
    if kind == "LineString":
        xy = _positions(coords)
        if xy is None:
            raise ValueError("a LineString's coordinates are not a list of positions")
        if xy.shape[0] == 1:
            note("a line with one position", kind="one-vertex line", feature=feature)
            return None
        return shapely.linestrings(xy) if xy.shape[0] else shapely.from_wkt("LINESTRING EMPTY")
    if kind == "MultiLineString":
        parts = _line_parts(coords, feature)
        return shapely.multilinestrings([shapely.linestrings(p) for p in parts]) if parts else (
            shapely.from_wkt("MULTILINESTRING EMPTY"))
    if kind in ("Point", "MultiPoint", "Polygon", "MultiPolygon"):
        from shapely.errors import ShapelyError
        from shapely.geometry import shape

        try:
            return shape(obj)
        except ShapelyError as exc:
            raise ValueError(f"a {kind} that GEOS refuses ({exc})") from None
    raise ValueError(f"geometry type {kind!r} is not a GeoJSON geometry type")


_WKB_BASE = {1: "Point", 2: "LineString", 3: "Polygon", 4: "MultiPoint", 5: "MultiLineString",
             6: "MultiPolygon", 7: "GeometryCollection"}


def _wkb_to_geojson(buf: bytes, pos: int = 0):
    """Decode one WKB (ISO or EWKB, any dimension) into a GeoJSON-like dict; returns (dict, next_pos)."""
    order = "<" if buf[pos] == 1 else ">"
    (code,) = struct.unpack_from(order + "I", buf, pos + 1)
    pos += 5
    has_z = bool(code & 0x80000000)
    has_m = bool(code & 0x40000000)
    if code & 0x20000000:  # EWKB SRID
        pos += 4
    code &= 0x0FFFFFFF
    base, iso = code % 1000, code // 1000
    has_z = has_z or iso in (1, 3)
    has_m = has_m or iso in (2, 3)
    dims = 2 + has_z + has_m
    kind = _WKB_BASE.get(base)
    if kind is None:
        raise ValueError(f"WKB geometry type {code} is not supported")

    def points(at):
        (n,) = struct.unpack_from(order + "I", buf, at)
        xy = np.frombuffer(buf, dtype=order + "f8", count=n * dims, offset=at + 4).reshape(n, dims)[:, :2]
        return xy.tolist(), at + 4 + 8 * n * dims

    if kind == "Point":
        xy = np.frombuffer(buf, dtype=order + "f8", count=dims, offset=pos)[:2]
        return {"type": "Point", "coordinates": xy.tolist()}, pos + 8 * dims
    if kind == "LineString":
        coords, pos = points(pos)
        return {"type": kind, "coordinates": coords}, pos
    if kind == "Polygon":
        (n,) = struct.unpack_from(order + "I", buf, pos)
        pos += 4
        rings = []
        for _ in range(n):
            ring, pos = points(pos)
            rings.append(ring)
        return {"type": kind, "coordinates": rings}, pos
    (n,) = struct.unpack_from(order + "I", buf, pos)
    pos += 4
    members = []
    for _ in range(n):
        member, pos = _wkb_to_geojson(buf, pos)
        members.append(member)
    if kind == "GeometryCollection":
        return {"type": kind, "geometries": members}, pos
    return {"type": kind, "coordinates": [m["coordinates"] for m in members]}, pos


def geometries_from_wkb(wkb, *, first_feature: int = 0) -> np.ndarray:
    """Shapely geometries from WKB values, tolerant of degenerate line parts.

    ``shapely.from_wkb(..., on_invalid="ignore")`` turns a MultiLineString
    with a one-position member into None, i.e. silently drops the whole
    feature; such values are decoded here instead, their degenerate parts
    dropped with a note (see :func:`geometry_from_geojson`).  A value that
    cannot be decoded at all gives None and a note of kind ``unreadable
    geometry``.  ``first_feature`` is added to row numbers in the notes.
    """
    import shapely

    wkb = np.asarray(wkb, dtype=object)
    geoms = shapely.from_wkb(wkb, on_invalid="ignore")
    bad = np.flatnonzero(np.equal(geoms, None) & ~np.equal(wkb, None))
    for i in bad:
        try:
            obj, _ = _wkb_to_geojson(bytes(wkb[i]))
            geoms[i] = geometry_from_geojson(obj, feature=first_feature + int(i))
        except (ValueError, struct.error, IndexError):
            note("a geometry that cannot be decoded", kind="unreadable geometry", feature=first_feature + int(i))
    return geoms


# ------------------------------------------------------------------------ CRS
_EPSG_IN = re.compile(r"(?:EPSG(?:::|:|/|/ref/epsg/|\s)|/ref/epsg/|epsg\.io/)(\d{4,6})", re.IGNORECASE)


def geojson_declared_crs(data: dict, *, path="the file") -> str | None:
    """The CRS a GeoJSON's pre-2016 ``crs`` member declares, or None when it has none.

    ``{"type": "name", "properties": {"name": "EPSG:32638"}}`` (also
    ``urn:ogc:def:crs:EPSG::32638``), ``{"type": "EPSG", "properties":
    {"code": 32638}}`` and ``{"type": "link", "properties": {"href":
    ".../ref/epsg/3857/..."}}`` (an EPSG code in the address).

    Raises
    ------
    CRSError
        A ``crs`` member geomap cannot turn into a CRS.
    """
    member = data.get("crs") if isinstance(data, dict) else None
    if member is None:
        return None
    props = member.get("properties") if isinstance(member, dict) else None
    props = props if isinstance(props, dict) else {}
    kind = str(member.get("type", "")).lower() if isinstance(member, dict) else ""
    if kind == "name" and isinstance(props.get("name"), str) and props["name"].strip():
        return props["name"].strip()
    if kind == "epsg" and str(props.get("code", "")).isdigit():
        return f"EPSG:{props['code']}"
    if kind == "link" and isinstance(props.get("href"), str):
        found = _EPSG_IN.search(props["href"])
        if found:
            return f"EPSG:{found.group(1)}"
    raise CRSError(
        f"{path} has a GeoJSON crs member geomap cannot read ({str(member)[:120]}): "
        "pass --assume-crs EPSG:NNNN with the CRS its coordinates are in"
    )


def crs_is_implied(path, declared: str | None) -> bool:
    """True when a file's CRS comes only from its format (GeoJSON/KML/GPX), not from the file itself."""
    return declared is None and Path(str(path)).suffix.lower() in IMPLIED_WGS84_SUFFIXES


def _looks_lonlat(xy: np.ndarray) -> bool:
    finite = xy[np.isfinite(xy).all(axis=1)] if xy.size else xy
    return not finite.size or (np.abs(finite[:, 1]).max() <= 90 and np.abs(finite[:, 0]).max() <= 540)


def assumed_crs(assume_crs: str):
    """The pyproj CRS an ``--assume-crs`` value names; :class:`CRSError` (one line) when PROJ does not know it."""
    from pyproj import CRS
    from pyproj.exceptions import CRSError as ProjCRSError

    try:
        crs = CRS.from_user_input(assume_crs)
    except ProjCRSError as exc:
        raise CRSError(f"--assume-crs {assume_crs} is not a CRS PROJ knows ({' '.join(str(exc).split())[:120]}): "
                       "give e.g. EPSG:32638") from None
    if not (crs.is_geographic or crs.is_projected):  # geocentric x/y/z, heights: no map's x, y are written in them
        raise CRSError(f"--assume-crs {assume_crs} is a {crs.type_name}, not one a map's x, y can be written in: "
                       "give a geographic or projected CRS, e.g. EPSG:4326 or EPSG:32638")
    return crs


def choose_crs(path, declared: str | None, *, implied: bool, assume_crs: str | None, xy=None) -> str | None:
    """The CRS to read a file's coordinates in.

    Parameters
    ----------
    declared : str or None
        The CRS the file states (a .prj, a GeoPackage's srs, a GeoJSON crs
        member) or, when ``implied``, the one its format implies.
    implied : bool
        ``declared`` comes from the format only (GeoJSON/KML without a CRS).
    assume_crs : str or None
        ``--assume-crs``.
    xy : ndarray (n, 2), optional
        The file's coordinates as read.

    Returns
    -------
    str or None
        ``assume_crs`` when the file states no CRS, or when the format only
        implies one (but a projected ``assume_crs`` is not applied to
        coordinates that are valid lon/lat: the option may be meant for the
        other file of the command, and that reading would put the line near
        0,0); else ``declared``.  A file's own CRS wins over ``--assume-crs``.
    """
    if assume_crs is None or (declared is not None and not implied):
        return declared
    if declared is None:
        return assume_crs
    from pyproj import CRS

    assumed = assumed_crs(assume_crs)
    if assumed.equals(CRS.from_epsg(4326), ignore_axis_order=True):
        return declared
    if xy is not None and _looks_lonlat(np.asarray(xy)) and not assumed.is_geographic:
        note(f"its coordinates are lon/lat as the format implies, so --assume-crs {assume_crs} was not applied to it",
             kind="assume-crs ignored")
        return declared
    note(f"read in {assume_crs} as --assume-crs says (the format only implies WGS84 lon/lat)", kind="assumed crs")
    return assume_crs


def lonlat_guard(geoms: np.ndarray, *, path, crs_label: str, implied: bool) -> np.ndarray:
    """Check converted lon/lat geometries; normalise longitudes past +-180.

    Longitudes in (180, 540] or [-540, -180) with latitudes within +-90 are a
    line written with continuous longitudes (178, 181, 183 across the
    antimeridian): they are wrapped into [-180, 180] with a note (kind
    ``antimeridian``); the geodesic between two vertices is the same.

    Raises
    ------
    CRSError
        Non-finite coordinates, or coordinates that are not lon/lat; the
        message names the command that works.
    """
    import shapely

    xy = shapely.get_coordinates(geoms)
    if not xy.size:
        return geoms
    name = Path(str(path)).name
    if not np.all(np.isfinite(xy)):
        raise CRSError(f"{name}: some coordinates could not be converted to lon/lat from {crs_label}: "
                       "check the file's CRS (or give it with --assume-crs EPSG:NNNN if it states none)")
    lon_abs, lat_abs = np.abs(xy[:, 0]).max(), np.abs(xy[:, 1]).max()
    if lat_abs > 90 or lon_abs > 540:
        extent = (f"x {xy[:, 0].min():.6g}..{xy[:, 0].max():.6g}, y {xy[:, 1].min():.6g}..{xy[:, 1].max():.6g}")
        if implied:
            raise CRSError(
                f"{name}: its coordinates ({extent}) are not lon/lat, which the format implies without a crs: they "
                "look projected; add --assume-crs with the CRS they are in (e.g. --assume-crs EPSG:32638 for UTM "
                f"zone 38N), or reproject the file: ogr2ogr -s_srs EPSG:NNNN -t_srs EPSG:4326 out.geojson {name}"
            )
        raise CRSError(
            f"{name}: coordinates ({extent}) fall outside lon/lat after conversion from {crs_label}, the CRS the file "
            f"declares, so that declaration is wrong: fix it, e.g. ogr2ogr -a_srs EPSG:NNNN fixed.gpkg {name} "
            "(EPSG:NNNN = the CRS the coordinates are really in)"
        )
    if lon_abs > 180:
        wrapped = int(np.count_nonzero(np.abs(xy[:, 0]) > 180))

        def wrap(coords):
            out = coords.copy()
            out[:, 0] = (out[:, 0] + 180.0) % 360.0 - 180.0
            out[:, 0][(out[:, 0] == -180.0) & (coords[:, 0] > 0)] = 180.0
            return out

        geoms = shapely.transform(geoms, wrap)
        note(f"{wrapped} vertices had longitudes past +-180 (a line written across the antimeridian); "
             "normalised to -180..180, the geodesic between vertices is unchanged", kind="antimeridian")
    return geoms


# -------------------------------------------------------------------- archives
def check_archive(path, *, max_ratio: float | None = None, floor_bytes: int | None = None) -> None:
    """Refuse a zip/KMZ whose stated decompressed size is far larger than the file.

    Reads only the archive's central directory.  A file that is not a zip
    archive passes.  The limit is ``max(max_ratio * file size, floor_bytes)``.

    Raises
    ------
    FileFormatError
        The archive would expand beyond the limit (a "zip bomb" or a mistake).
    """
    import zipfile

    path = Path(path)
    if not path.is_file() or not zipfile.is_zipfile(path):
        return
    size = path.stat().st_size
    try:
        with zipfile.ZipFile(path) as archive:
            expanded = sum(max(info.file_size, 0) for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise FileFormatError(f"{path.name} is a damaged zip/KMZ archive ({exc}): export it again") from None
    limit = max((ARCHIVE_MAX_RATIO if max_ratio is None else max_ratio) * size,
                ARCHIVE_FLOOR_BYTES if floor_bytes is None else floor_bytes)
    if expanded > limit:
        raise FileFormatError(
            f"{path.name} ({size:,} bytes) would expand to {expanded:,} bytes, more than geomap reads from an "
            f"archive ({limit:,}): unpack it yourself and give the file inside, if you trust it"
        )


# -------------------------------------------------------------------- geoarrow
_GEOARROW_TYPES = {"point": 0, "linestring": 1, "polygon": 3, "multipoint": 4, "multilinestring": 5,
                   "multipolygon": 6}


def geoarrow_geometries(column, encoding: str) -> np.ndarray:
    """Shapely geometries from a GeoParquet 1.1 geoarrow column (pyarrow Array or ChunkedArray).

    ``encoding`` is the column's ``encoding`` in the ``geo`` metadata
    (``point``, ``linestring``, ``polygon``, ``multipoint``,
    ``multilinestring``, ``multipolygon``); coordinates may be separated
    (struct of x, y[, z, m]) or interleaved (fixed-size list).  Null rows give
    None.  Z/M are dropped.

    Raises
    ------
    FileFormatError
        An encoding or coordinate layout that is not geoarrow.
    """
    import pyarrow as pa
    import shapely

    kind = _GEOARROW_TYPES.get(str(encoding).lower())
    if kind is None:
        raise FileFormatError(f"geometry encoding {encoding!r} is not WKB or a geoarrow encoding")
    if isinstance(column, pa.ChunkedArray):
        column = column.combine_chunks() if column.num_chunks != 1 else column.chunk(0)
    valid = ~np.asarray(column.is_null().to_numpy(zero_copy_only=False), dtype=bool)
    nesting = {0: 0, 1: 1, 4: 1, 3: 2, 5: 2, 6: 3}[kind]
    offsets, arr = [], column
    for _ in range(nesting):  # outermost list first
        bounds = np.asarray(arr.offsets.to_numpy(), dtype=np.int64)
        offsets.append(bounds - bounds[0])
        arr = arr.values.slice(int(bounds[0]), int(bounds[-1] - bounds[0]))
    if pa.types.is_struct(arr.type):
        xy = np.column_stack([np.asarray(arr.field(i).to_numpy(zero_copy_only=False), dtype=float) for i in (0, 1)])
    elif pa.types.is_fixed_size_list(arr.type):
        width = arr.type.list_size
        xy = np.asarray(arr.flatten().to_numpy(zero_copy_only=False), dtype=float).reshape(-1, width)[:, :2]
    else:
        raise FileFormatError(f"geoarrow {encoding} column has coordinates of type {arr.type}: not geoarrow")
    xy = np.ascontiguousarray(xy)
    if kind == 0:
        geoms = shapely.points(xy)
    else:
        geoms = shapely.from_ragged_array(shapely.GeometryType(kind), xy, tuple(reversed(offsets)))
    geoms = np.asarray(geoms, dtype=object)
    geoms[~valid] = None
    return geoms


# -------------------------------------------------------------------- warnings
#: the most feature numbers a note lists
NOTE_FEATURES_SHOWN = 5


@contextlib.contextmanager
def collect_notes(into: list):
    """Record the notes (warnings) issued inside the block as ``(kind, feature, text)`` in ``into``."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        yield into
    for w in caught:
        message = w.message
        if isinstance(message, InputNote):
            into.append((message.kind, message.feature, str(message)))
        else:
            into.append(("library warning", None, " ".join(str(message).split())[:300]))


def summarise_notes(notes, label: Callable[[int], str] | None = None) -> list[str]:
    """One line per distinct note text, naming the features it is about (the first few)."""
    grouped: dict[str, list] = {}
    for kind, feature, text in notes:
        grouped.setdefault(text, []).append(feature)
    out = []
    for text, features in grouped.items():
        rows = sorted({f for f in features if f is not None})
        if not rows:
            out.append(text)
            continue
        shown = ", ".join(label(f) if label else f"feature {f}" for f in rows[:NOTE_FEATURES_SHOWN])
        more = f" and {len(rows) - NOTE_FEATURES_SHOWN} more" if len(rows) > NOTE_FEATURES_SHOWN else ""
        out.append(f"{text}: {shown}{more}")
    return out


@contextlib.contextmanager
def quiet_gdal():
    """Turn warnings raised inside the block by GDAL/pyogrio into notes (kind ``gdal``).

    Use around ``pyogrio.raw.read`` / ``list_layers`` calls.  Warnings that are
    already :class:`InputNote` pass through unchanged.
    """
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        yield
    for w in caught:
        if isinstance(w.message, InputNote):
            warnings.warn(w.message, stacklevel=3)
        else:
            text = " ".join(str(w.message).split())
            if "Measured (M) geometry types are not supported" in text:
                note("M (measure) values dropped: only longitude and latitude are used", kind="gdal")
            else:
                note(f"GDAL: {text[:300]}", kind="gdal")


def refuse_degrees_as_metres(geoms, src, label) -> None:
    """Raise CRSError when every coordinate of geometries said to be in the projected ``src`` looks like lon/lat.

    Projected coordinates are metres (or feet) from a false origin; all of them
    within +-180/+-90 means a point within 180 m of that origin, which no real
    set of incidents or line is: a lon/lat file under a wrong .prj or crs
    member (or a projected assume_crs). Read as declared, every point lands
    near the projection's origin, thousands of km away.
    """
    import shapely

    xy = shapely.get_coordinates(geoms)
    xy = xy[np.isfinite(xy).all(axis=1)] if xy.size else xy
    if not xy.size or not (xy != 0).any():
        return
    if (np.abs(xy[:, 0]) <= 180).all() and (np.abs(xy[:, 1]) <= 90).all():
        x, y = xy[(xy != 0).any(axis=1)][0]
        name = src.to_string()
        raise CRSError(f"{label} is in {name}, a projected CRS, but all its coordinates lie within +-180/+-90 as "
                       f"lon/lat degrees do (e.g. {x:g}, {y:g}): the CRS is probably wrong: drop a projected assume_crs=, "
                       f"or declare lon/lat (ogr2ogr -a_srs EPSG:4326 fixed.gpkg {Path(str(label)).name})")
