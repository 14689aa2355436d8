"""The one reader of vector files: every layer, any CRS, to lon/lat shapely geometries.

:func:`read_vector` dispatches by format (:mod:`geomap.io.formats`):

* GeoJSON (``.geojson``/``.json``, or bytes from standard input) through the
  ``json`` module, without GDAL (so a one-point check never imports geopandas);
* (Geo)Parquet through pyarrow (many GDAL builds lack the Parquet driver):
  GeoParquet 1.0/1.1 with WKB or geoarrow encodings, one row group or all;
* everything else (GeoPackage, KML/KMZ, Shapefile, FlatGeobuf, ...) through
  pyogrio's raw reader, **every layer** of a multi-layer source (a Google My
  Maps KML has one layer per folder), with the layer of each feature.

Warnings the libraries raise while reading become geomap notes on the
``geomap.io`` logger (shown with ``-v``), never raw Python warnings.

Errors are :mod:`geomap.errors` classes whose messages name library
parameters (``assume_crs=``, ``layer_name=``); the CLI turns them into flags.
"""

from __future__ import annotations

import contextlib
import io
import json
import logging
import re
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from geomap.errors import CRSError, FileFormatError, InputNote
from geomap.io import formats, guards, values
from geomap.io.text import safe_text

log = logging.getLogger("geomap.io")

#: CRS names that mean lon/lat WGS84 in GeoJSON (RFC 7946)
CRS84 = ("OGC:CRS84", "urn:ogc:def:crs:OGC:1.3:CRS84", "urn:ogc:def:crs:OGC::CRS84")
#: a coordinate this large cannot be degrees: the file is in a projected CRS (metres, feet)
PROJECTED_MAGNITUDE = 1000.0
#: names of a WKB geometry column in Parquet written without GeoParquet metadata
WKB_COLUMN_NAMES = ("geometry", "geom", "wkb_geometry", "the_geom", "wkb")


@dataclass
class VectorData:
    """Features read from a vector source.

    Attributes
    ----------
    geoms : ndarray of shapely geometries (object)
        One per feature (None where a feature has none), lon/lat degrees unless
        read with ``lonlat=False``.
    attrs : dict of column name -> ndarray
        Attribute columns, one value per feature (None where a layer lacks one).
    crs_in : str or None
        The CRS the data came in (the first layer's), before conversion.
    layer : ndarray of str (object) or None
        The layer each feature came from, for sources with named layers
        (GeoPackage, KML folders, ...); None for GeoJSON and Parquet.
    layers : list of str
        The layers read, in order.
    table : pyarrow.Table or None
        Parquet input: the attribute columns as read (typed), ``attrs`` empty.
    tabular : bool
        No layer has geometries (a spreadsheet GDAL reads: XLSX, ODS): every
        ``geoms`` is None, the rows are in ``attrs``.
    """

    geoms: np.ndarray
    attrs: dict[str, np.ndarray] = field(default_factory=dict)
    crs_in: str | None = None
    layer: np.ndarray | None = None
    layers: list[str] = field(default_factory=list)
    table: Any = None
    tabular: bool = False

    def __len__(self) -> int:
        return int(self.geoms.shape[0])

    def to_frame(self):
        """The attributes as a pandas DataFrame (one row per feature, input column order)."""
        import pandas as pd

        if self.table is not None:
            return values.plain_table(self.table).to_pandas()
        frame = pd.DataFrame(self.attrs)
        if not self.attrs:
            frame = pd.DataFrame(index=range(len(self)))
        return frame


@contextlib.contextmanager
def notes_from_warnings(label: str):
    """Turn Python warnings raised inside the block into geomap notes (INFO log lines naming ``label``)."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        yield
    seen = set()
    for w in caught:
        if isinstance(w.message, InputNote):  # geomap's own notes travel on to the caller's collector
            warnings.warn(w.message, stacklevel=3)
            continue
        text = " ".join(str(w.message).split())[:300]
        if text not in seen:
            seen.add(text)
            log.info("note: reading %s: %s", label, text)


#: GDAL's in-memory file names (pyogrio reads bytes and unseekable files through them): meaningless to a user
_VSIMEM = re.compile(r"'?/vsimem/[^\s']*'?")


def one_line(exc: BaseException, limit: int = 200) -> str:
    """An exception's message on one line, at most ``limit`` characters (cut at a word).

    GDAL's internal ``/vsimem/...`` names become "the input" (the caller's message names the file).
    """
    text = _VSIMEM.sub("the input", " ".join(str(exc).split()))
    if len(text) > limit:
        text = text[:limit].rsplit(" ", 1)[0] + " ..."
    return text


def read_vector(source, *, assume_crs: str | None = None, layer_name: str | None = None, lonlat: bool = True,
                strict: bool = True, label: str | None = None) -> VectorData:
    """Read every feature of every layer of a vector source.

    Parameters
    ----------
    source : str, Path or bytes
        A file in any format GDAL reads (GeoJSON, GeoPackage, KML/KMZ,
        Shapefile, FlatGeobuf, ...) or (Geo)Parquet; bytes are GeoJSON or any
        format GDAL recognises from its content (standard input).
    assume_crs : str, optional
        The CRS of a source that declares none (a GeoJSON without ``crs``
        member is read as lon/lat unless this is given).
    layer_name : str, optional
        Read only this layer of a multi-layer source (default: all layers).
    lonlat : bool
        Convert to lon/lat WGS84 (default); False keeps the source's CRS.
    strict : bool
        Refuse a source with any coordinate that is not a finite lon/lat after
        conversion (line layers).  False (incident points) refuses only a
        source where no coordinate is lon/lat and some are far too large to
        be degrees (a projected CRS), leaving single bad features to the
        caller's row statuses.
    label : str, optional
        How to name the source in messages (default: the path).

    Returns
    -------
    VectorData

    Raises
    ------
    FileFormatError
        Missing, empty or unreadable source; no layer of that name; no features.
    CRSError
        No CRS and no ``assume_crs``; a CRS PROJ cannot read; coordinates that
        are not lon/lat after conversion.
    """
    if assume_crs is not None:
        guards.assumed_crs(assume_crs)  # one line for a CRS no map is drawn in (geocentric, vertical) or PROJ lacks
    data = source if isinstance(source, (bytes, bytearray)) else None
    path = None if data is not None else Path(source)
    label = safe_text(label or ("<stdin>" if path is None else str(path)))
    fmt = "json" if path is None else formats.format_of(path)
    if path is not None:
        check_source_path(path)
        if path.is_file():
            guards.check_archive(path)  # a zip/KMZ that would expand far past its size is refused first
        if not path.is_file() and not path.is_dir():  # a named pipe can be read only once
            data, path = path.read_bytes(), None
    if fmt in formats.JSON and layer_name is None:
        parsed = load_json(data if data is not None else path)
        if parsed is not None:
            found = geojson_features(parsed, label, assume_crs=assume_crs, lonlat=lonlat, strict=strict)
            if found is not None:
                return found
    if fmt in formats.PARQUET:
        found = read_geoparquet(path, assume_crs=assume_crs, lonlat=lonlat, strict=strict, label=label)
        if found is None:
            raise FileFormatError(f"{label} is Parquet without a geometry column: give GeoParquet, "
                                  "or read it as a table of points")
        return found
    return _read_ogr(data if data is not None else path, label, assume_crs, layer_name, lonlat, strict)


def check_source_path(path: Path) -> None:
    """Raise a one-line :class:`FileFormatError` for a path that cannot be a readable input file."""
    if not path.exists():
        raise FileFormatError(f"{path} does not exist: check the path")
    if path.is_dir() and formats.format_of(path) != "filegdb":
        raise FileFormatError(f"{path} is a folder: give a file (a folder of CSV or Parquet parts is read by the "
                              "Dask engine)")
    if path.is_file() and path.stat().st_size == 0:
        raise FileFormatError(f"{path} is empty (0 bytes): give a file with features or rows")


def load_json(source):
    """Parse a JSON file (or bytes): the object, or None when it is not JSON text (UTF-8, BOM allowed).

    orjson first (a 1,000,000-vertex line: 0.9 s instead of 1.4 s); what it
    refuses but the standard library reads (NaN, Infinity) goes to
    :func:`json.loads`, so both accept the same files.  One difference in
    values: an integer past 64 bits becomes a float with orjson (as GDAL
    reads such a field), where the standard library keeps it exact.
    """
    import orjson

    try:
        raw = bytes(source) if isinstance(source, (bytes, bytearray)) else Path(source).read_bytes()
    except OSError:
        return None
    try:
        return orjson.loads(raw[3:] if raw.startswith(b"\xef\xbb\xbf") else raw)
    except orjson.JSONDecodeError:
        pass
    try:
        return json.loads(raw.decode("utf-8-sig"))
    except (ValueError, UnicodeDecodeError):
        return None


def geojson_features(data, label: str, *, assume_crs=None, lonlat=True, strict=True) -> VectorData | None:
    """A parsed GeoJSON object (FeatureCollection, Feature or geometry) as :class:`VectorData`.

    None when ``data`` is not plain GeoJSON (GDAL then reads the file and says
    what is wrong).  A pre-2016 ``crs`` member (a name, an EPSG code, or a
    2008-style ``link`` naming an EPSG code) is the declared CRS; without one
    the file declares none: lon/lat (RFC 7946) unless ``assume_crs`` is given.
    """
    import shapely
    from shapely.geometry import shape

    if not isinstance(data, dict):
        return None
    kind = data.get("type")
    if kind == "FeatureCollection":
        features = data.get("features")
    elif kind == "Feature":
        features = [data]
    elif kind in ("Point", "MultiPoint", "LineString", "MultiLineString", "Polygon", "MultiPolygon",
                  "GeometryCollection"):
        features = [{"type": "Feature", "properties": {}, "geometry": data}]
    else:
        return None
    if not isinstance(features, list) or not all(isinstance(f, dict) for f in features):
        return None
    # the pre-2016 crs member (name, EPSG or a link naming an EPSG code); none: lon/lat unless assume_crs
    declared = guards.geojson_declared_crs(data, path=label)
    geoms = np.empty(len(features), dtype=object)
    for i, f in enumerate(features):
        g = f.get("geometry")
        if not g:
            continue
        try:
            # degenerate line parts (an empty or one-position member) are dropped with a note
            if strict:
                geoms[i] = guards.geometry_from_geojson(g, feature=i)
            else:
                with np.errstate(invalid="ignore"):  # a NaN position: the row's status says so
                    geoms[i] = shape(values.numbers_or_inf(g))
        except (KeyError, TypeError, ValueError, AttributeError, IndexError):
            if strict:
                return None
            geoms[i] = None  # one malformed geometry: that row's status says so
    keys: list[str] = []
    for f in features:
        for key in (f.get("properties") or {}):
            if key not in keys:
                keys.append(key)
    attrs = {k: np.array(values.one_kind([values.json_text((f.get("properties") or {}).get(k)) for f in features]) + [None],
                         dtype=object)[:-1]
             for k in keys}
    crs = declared or assume_crs or "OGC:CRS84"
    if strict and lonlat:  # a line: a projected assume_crs meant for a points file is not applied to lon/lat
        crs = guards.choose_crs(label, declared or "OGC:CRS84", implied=declared is None, assume_crs=assume_crs,
                                xy=shapely.get_coordinates(geoms)) or crs
    if lonlat:
        geoms = to_lonlat(geoms, crs, label, strict=strict, declared=declared is not None or assume_crs is not None)
    crs_in = "EPSG:4326" if crs in CRS84 else crs
    return VectorData(geoms=geoms, attrs=attrs, crs_in=crs_in)


def _read_ogr(source, label: str, assume_crs, layer_name, lonlat: bool, strict: bool) -> VectorData:
    """Every layer (or ``layer_name``) of a GDAL source through pyogrio's raw reader."""
    import pyogrio
    import shapely
    from pyogrio.errors import DataSourceError

    def opened():
        return io.BytesIO(source) if isinstance(source, (bytes, bytearray)) else str(source)

    try:
        with notes_from_warnings(label):
            names = [str(row[0]) for row in pyogrio.list_layers(opened())]
    except (DataSourceError, OSError, RuntimeError, ValueError) as exc:
        raise FileFormatError(
            f"cannot read {label} as a vector file ({one_line(exc, 160)}): give CSV, GeoJSON, GeoPackage, KML, "
            "Shapefile, FlatGeobuf or GeoParquet"
        ) from None
    if layer_name is not None:
        if layer_name not in names:
            raise FileFormatError(f"{label} has no layer {layer_name!r}: choose one of {', '.join(names)}")
        names = [layer_name]
    parts, fields, layer_of, table_only, crs_in = [], [], [], [], None
    for name in names:
        try:
            with notes_from_warnings(label), guards.quiet_gdal():  # GDAL's remarks (Z/M dropped...) as notes
                meta, _fids, wkb, field_data = pyogrio.raw.read(opened(), layer=name, datetime_as_string=True)
            field_data = values.datetime_fields(meta, field_data)
        except (DataSourceError, OSError, RuntimeError, ValueError) as exc:
            raise FileFormatError(f"cannot read layer {name!r} of {label} ({one_line(exc, 160)}): "
                                  "check the file and its format") from None
        rows = len(field_data[0]) if len(field_data) else (0 if wkb is None else len(wkb))
        if rows == 0:
            continue
        if wkb is None:  # a table without geometries (a spreadsheet): its rows, for coordinate columns
            geoms = np.full(rows, None, dtype=object)
        else:
            crs = meta.get("crs") or assume_crs
            if not crs and lonlat:
                raise CRSError(f"{label} declares no CRS: pass assume_crs= the CRS it was written in "
                               "(e.g. EPSG:4326)")
            crs_in = crs if crs_in is None else crs_in
            # from_wkb(on_invalid="ignore") turns a line with a one-position part into None: decode it ourselves
            geoms = guards.geometries_from_wkb(wkb, first_feature=sum(len(g) for g in parts))
            if lonlat:
                geoms = to_lonlat(geoms, crs, label, strict=strict, declared=True)
        parts.append(geoms)
        fields.append({str(col): values for col, values in zip(meta["fields"], field_data)})
        layer_of.append(np.full(geoms.shape[0], name, dtype=object))
        table_only.append(wkb is None)
    if not parts:
        raise FileFormatError(f"{label} holds no features{_networklink_hint(source)}")
    if not all(table_only):  # tables beside spatial layers (QGIS's layer_styles) hold no incidents
        for k in sorted((k for k, t in enumerate(table_only) if t), reverse=True):
            name = str(layer_of[k][0])
            (log.info if name == "layer_styles" else log.warning)(
                "note: %s: layer %r has no geometries (%d rows) and is not read; read it alone with layer_name=",
                label, name, len(parts[k]))
            del parts[k], fields[k], layer_of[k]
    _note_unread_kml(source, label)
    columns: list[str] = []
    for f in fields:
        columns += [c for c in f if c not in columns]
    attrs = {}
    for col in columns:
        chunks = [np.asarray(f[col], dtype=object) if col in f else np.full(len(g), None, dtype=object)
                  for f, g in zip(fields, parts)]
        attrs[col] = chunks[0] if len(chunks) == 1 else np.concatenate(chunks)
    return VectorData(geoms=np.concatenate(parts), attrs=attrs, crs_in=None if crs_in is None else str(crs_in),
                      layer=np.concatenate(layer_of), layers=[str(x[0]) for x in layer_of], tabular=all(table_only))


def _note_unread_kml(source, label: str) -> None:
    """A note (always shown) naming what of a KML/KMZ GDAL does not read: a KMZ's other KML files, <NetworkLink>s.

    GDAL reads one KML of a KMZ (``doc.kml``, else the first) and never follows
    network links, so their placemarks would be missing from a count that
    looks complete.
    """
    import html
    import re
    import zipfile

    try:
        raw = bytes(source) if isinstance(source, (bytes, bytearray)) else None
        if raw is None:
            if Path(source).suffix.lower() not in (".kml", ".kmz"):
                return
            raw = Path(source).read_bytes()
        if raw[:2] == b"PK":
            with zipfile.ZipFile(io.BytesIO(raw)) as z:
                kmls = [n for n in z.namelist() if n.lower().endswith(".kml")]
                main = "doc.kml" if "doc.kml" in kmls else (kmls[0] if kmls else None)
                others = [n for n in kmls if n != main]
                if others:
                    log.warning("note: %s holds %d more KML file(s) that are not read (%s; only %s is): unzip it "
                                "and pass each KML file", label, len(others), ", ".join(others[:3]), main)
                raw = z.read(main) if main else b""
    except (OSError, zipfile.BadZipFile, KeyError, ValueError):
        return
    links = len(re.findall(rb"<NetworkLink[\s>]", raw))  # not <NetworkLinkControl>
    if links:
        hrefs = [html.unescape(h.decode("utf-8", "replace"))
                 for h in re.findall(rb"<NetworkLink\b.*?<href>\s*([^<\s]{1,200})", raw, flags=re.S)]
        log.warning("note: %s has %d <NetworkLink>(s)%s whose placemarks are not read: download the linked KML and "
                    "pass it as a file", label, links, f" ({', '.join(hrefs[:3])})" if hrefs else "")


def _networklink_hint(source) -> str:
    """For a KML holding only a <NetworkLink>: where it points and what to do; else ': check the file'."""
    import html
    import re

    try:
        head = source[:1 << 20] if isinstance(source, (bytes, bytearray)) else Path(source).read_bytes()[:1 << 20]
    except OSError:
        head = b""
    if b"<NetworkLink" in head:
        href = re.search(rb"<href>\s*([^<\s]{1,200})", head)
        where = f" to {html.unescape(href.group(1).decode('utf-8', 'replace'))}" if href else ""
        return (f" (only a NetworkLink{where}): export the map as KML without the network-link option, "
                "or download the linked KML")
    return ": give a file with features"


# --------------------------------------------------------------------------- GeoParquet
def read_geoparquet(path, *, assume_crs=None, lonlat=True, strict=True, label=None, row_group: int | None = None):
    """A (Geo)Parquet file (or one row group) as :class:`VectorData` with ``table`` set; None without geometry.

    GeoParquet 1.0/1.1: WKB or geoarrow (``point``, ``polygon``, ...)
    encodings, CRS from the ``geo`` metadata (missing: OGC:CRS84).  A binary
    column named like a geometry column in a file without ``geo`` metadata is
    read as WKB when ``assume_crs`` is given, else refused (its CRS is unknown).
    """
    import pyarrow.parquet as pq

    label = safe_text(label or str(path))
    try:
        pf = pq.ParquetFile(path)
        table = pf.read() if row_group is None else pf.read_row_group(row_group)
    except Exception as exc:  # pyarrow raises several types for a bad file
        raise FileFormatError(f"cannot read {label} as Parquet ({one_line(exc, 160)}): check the file") from None
    raw_geo = (pf.schema_arrow.metadata or {}).get(b"geo")
    if raw_geo is None:
        import pyarrow as pa

        wkb_cols = [n for n in table.column_names if n.lower() in WKB_COLUMN_NAMES
                    and (pa.types.is_binary(table.schema.field(n).type)
                         or pa.types.is_large_binary(table.schema.field(n).type))]
        if not wkb_cols:
            return None
        if assume_crs is None:
            raise CRSError(f"{label} has a WKB column {wkb_cols[0]!r} but no GeoParquet 'geo' metadata, so its CRS "
                           "is unknown: pass assume_crs= its CRS (e.g. EPSG:4326)")
        column, encoding, crs = wkb_cols[0], "WKB", assume_crs
    else:
        geo = json.loads(raw_geo)
        column = geo.get("primary_column", "geometry")
        info = geo.get("columns", {}).get(column, {})
        encoding = str(info.get("encoding", "WKB"))
        crs = info.get("crs", "OGC:CRS84")  # GeoParquet: a missing crs means OGC:CRS84
        if crs is None:
            crs = assume_crs
            if crs is None:
                raise CRSError(f"{label} says its CRS is unknown: pass assume_crs= the CRS it was written in")
        if isinstance(crs, dict):
            crs = json.dumps(crs)
    geoms = _geometries(table.column(column), encoding, label)
    if lonlat:
        geoms = to_lonlat(geoms, crs, label, strict=strict, declared=True)
    return VectorData(geoms=geoms, crs_in=crs if len(str(crs)) < 40 else _crs_name(crs), table=table.drop([column]))


def _crs_name(crs) -> str:
    from pyproj import CRS

    try:
        found = CRS.from_user_input(crs)
        return found.to_string()
    except Exception:  # noqa: BLE001 - any PROJ failure: keep the text
        return str(crs)


_GEOARROW = {"point": 0, "linestring": 1, "polygon": 3, "multipoint": 4, "multilinestring": 5, "multipolygon": 6}


def _geometries(column, encoding: str, label: str) -> np.ndarray:
    """A GeoParquet geometry column (WKB or geoarrow) as an object array of shapely geometries."""
    import pyarrow as pa
    import shapely

    arr = column.combine_chunks() if isinstance(column, pa.ChunkedArray) else column
    if encoding.upper() == "WKB":
        return shapely.from_wkb(np.asarray(arr.to_numpy(zero_copy_only=False), dtype=object), on_invalid="ignore")
    if encoding.lower() in ("linestring", "multilinestring", "polygon", "multipolygon", "multipoint"):
        return guards.geoarrow_geometries(column, encoding)
    kind = _GEOARROW.get(encoding.lower())
    if kind is None:
        raise FileFormatError(f"{label}: geometry encoding {encoding!r} is not one GeoParquet defines "
                              "(WKB, point, linestring, polygon, multipoint, multilinestring, multipolygon)")
    valid = arr.is_valid().to_numpy(zero_copy_only=False)
    offsets, inner = [], arr
    while pa.types.is_list(inner.type) or pa.types.is_large_list(inner.type):
        found = np.asarray(inner.offsets.to_numpy(zero_copy_only=False), dtype=np.int64)
        offsets.append(found - found[0])  # flatten() starts at the first offset (sliced arrays)
        inner = inner.flatten()
    if pa.types.is_struct(inner.type):
        coords = np.column_stack([inner.field(i).to_numpy(zero_copy_only=False)
                                  for i in range(inner.type.num_fields)])
    else:  # interleaved: fixed-size list of x, y[, z]
        size = inner.type.list_size
        coords = np.asarray(inner.flatten().to_numpy(zero_copy_only=False), dtype=float).reshape(-1, size)
    geoms = shapely.from_ragged_array(shapely.GeometryType(kind), np.asarray(coords, dtype=float),
                                      tuple(offsets[::-1]) if offsets else None)  # innermost first
    geoms = np.asarray(geoms, dtype=object)
    geoms[~valid] = None
    return geoms


# --------------------------------------------------------------------------- CRS
def to_lonlat(geoms, crs, label, *, strict: bool = True, declared: bool = True):
    """Geometries converted from ``crs`` to lon/lat WGS84 (EPSG:4326, lon first).

    Parameters
    ----------
    geoms : ndarray of shapely geometries (object)
    crs : str or pyproj.CRS
        Their CRS (anything ``pyproj.CRS.from_user_input`` reads).
    label : str or Path
        The source, for messages.
    strict : bool
        Refuse when any coordinate is not a finite lon/lat afterwards (see
        :func:`read_vector`); False refuses only when none is and some are
        too large for degrees (> :data:`PROJECTED_MAGNITUDE`).
    declared : bool
        Whether the source itself (or the caller) gave ``crs``; False for a
        GeoJSON read as lon/lat by default, whose refusal then says the file
        declares no CRS.

    Raises
    ------
    CRSError
    """
    import shapely
    from pyproj import CRS, Transformer
    from pyproj.exceptions import CRSError as ProjCRSError

    try:
        src = CRS.from_user_input(crs)
    except ProjCRSError as exc:
        raise CRSError(f"{label} has a CRS PROJ cannot read ({one_line(exc)}): "
                       "pass assume_crs= the CRS it was written in") from None
    dst = CRS.from_epsg(4326)
    if src.is_projected:
        guards.refuse_degrees_as_metres(geoms, src, label)
    converted = not src.equals(dst, ignore_axis_order=True) and src != CRS("OGC:CRS84")
    if converted:
        transformer = Transformer.from_crs(src, dst, always_xy=True)

        def fn(xy):
            x, y = transformer.transform(xy[:, 0], xy[:, 1], errcheck=False)
            return np.column_stack([x, y])

        with notes_from_warnings(str(label)):
            geoms = shapely.transform(geoms, fn)
    if strict:  # a line layer: longitudes past 180 (continuous across the antimeridian) wrapped with a note
        return guards.lonlat_guard(geoms, path=label, crs_label=src.to_string(), implied=not declared)
    xy = shapely.get_coordinates(geoms)
    if not xy.size:
        return geoms
    finite = np.isfinite(xy).all(axis=1)
    inside = finite & (np.abs(xy[:, 0]) <= 180) & (np.abs(xy[:, 1]) <= 90)
    if inside.all():
        return geoms
    # no finite position at all: a failed conversion, or (lon/lat read as written) rows whose statuses say so
    projected = bool(np.abs(np.where(np.isfinite(xy), xy, 0.0)).max() > PROJECTED_MAGNITUDE) or (
        not finite.any() and converted)
    if not strict and (inside.any() or not projected):
        return geoms
    example = xy[~inside][0]
    if not declared:
        raise CRSError(f"{label} declares no CRS and its coordinates are not lon/lat (e.g. {example[0]:.1f}, "
                       f"{example[1]:.1f}): pass assume_crs= the CRS it was written in (e.g. EPSG:32638), or "
                       "reproject it to EPSG:4326")
    if not finite.all():
        raise CRSError(f"{label}: some coordinates could not be converted to lon/lat from {src.to_string()}: "
                       "check its CRS")
    raise CRSError(f"{label}: coordinates fall outside lon/lat range after conversion from {src.to_string()} "
                   f"(e.g. {example[0]:.1f}, {example[1]:.1f}): the declared CRS is probably wrong; "
                   "reproject the file to the CRS it was written in")
