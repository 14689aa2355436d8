"""Reading line-of-contact layers: any GDAL vector format, any CRS, to WGS84 lon/lat.

The reader goes through pyogrio's raw interface (WKB + attribute arrays), so a
one-point check never imports geopandas.
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from geomap.layers import registry
from geomap.errors import CRSError, FileFormatError, LayerError
from geomap.io.crs import to_lonlat

log = logging.getLogger("geomap.layers.lineset")

#: attribute names tried, in order, to label a feature ("section") in results
LABEL_FIELDS = ("name", "NAME", "title", "label", "section", "id", "ID", "ne_id", "fid")


@dataclass
class LineSet:
    """A line layer in EPSG:4326 (lon/lat degrees), ready for distance queries.

    Attributes
    ----------
    geoms : ndarray of shapely geometries
        One (Multi)LineString per feature, lon/lat.
    attrs : dict of column name -> ndarray
        The layer's attribute columns, one value per feature.
    source : str
        The shipped layer id, or the path as given.
    sha256 : str
        sha256 of the layer's bytes (all sidecar files for a Shapefile).
    layer : registry.Layer or None
        Metadata of a shipped layer.
    crs_in : str
        The CRS the data came in, before conversion.
    """

    geoms: np.ndarray
    attrs: dict[str, np.ndarray]
    source: str
    sha256: str
    layer: Any = None
    crs_in: str = "EPSG:4326"
    rings: bool = False
    path: str | None = None
    _index: Any = field(default=None, repr=False)

    def __len__(self) -> int:
        return int(self.geoms.shape[0])

    @property
    def attribution(self) -> str | None:
        """Attribution to print with every result, map and record that uses this line (e.g. "© OpenStreetMap contributors")."""
        return getattr(self.layer, "attribution", None)

    @property
    def licence(self) -> str | None:
        """Licence of the line's data (shipped layers), else None."""
        return getattr(self.layer, "licence", None)

    # ----------------------------------------------------------------- index
    def segments(self):
        """The layer's geodesic segments (see :class:`geomap.geodesy.Segments`)."""
        import shapely

        from geomap.geodesy import Segments

        parts, feat, part_no = [], [], []
        for i, geom in enumerate(self.geoms):
            for j, line in enumerate(_line_parts(geom, self.rings)):
                parts.append(shapely.get_coordinates(line))
                feat.append(i)
                part_no.append(j)
        return Segments.from_parts(parts, feat, part_no)

    def index(self):
        """The prepared :class:`geomap.geodesy.SegmentIndex` (built once, cached)."""
        if self._index is None:
            from geomap.geodesy import SegmentIndex

            segs = self.segments()
            if len(segs) == 0:
                raise LayerError(f"layer {self.source} has no line segments: give a layer with LineString features")
            self._index = SegmentIndex(segs)
        return self._index

    # -------------------------------------------------------------- evidence
    def label(self, feature_index: int) -> str:
        """A human label for a feature ("section"): its name or id attribute, else its row number."""
        if feature_index < 0:
            return ""
        found = []
        for name in LABEL_FIELDS:
            col = self.attrs.get(name)
            if col is not None:
                value = col[feature_index]
                if value is not None and str(value) not in ("", "nan", "None"):
                    found.append(f"{name}={value}")
            if len(found) == 2:
                break
        return ", ".join(found) if found else f"feature {feature_index}"

    def evidence(self) -> dict[str, Any]:
        """Where the line came from: id/path, version, sha256, validity, accuracy, licence."""
        out: dict[str, Any] = {
            "layer": self.source,
            "layer_sha256": self.sha256,
            "layer_crs_in": self.crs_in,
            "layer_features": len(self),
            "layer_rings_as_lines": self.rings,
        }
        if self.layer is not None:
            meta = self.layer.meta
            out.update(
                layer_id=self.layer.id,
                layer_title=self.layer.title,
                layer_version=self.layer.version,
                layer_valid_from=self.layer.valid_from,
                layer_valid_to=self.layer.valid_to,
                layer_accuracy_m=self.layer.accuracy_m,
                layer_licence=self.layer.licence,
                layer_attribution=self.layer.attribution,
                layer_source=meta.get("source"),
                layer_omits=meta.get("omits"),
                layer_caveats=meta.get("caveats") or [],
                layer_experimental=bool(meta.get("experimental")),
            )
            if meta.get("origin") == "user":  # the user's own layer (geomap.layers.store)
                out["layer_origin"] = "user"
                out.update({k: meta.get(k) for k in ("original_file", "original_sha256", "added", "accuracy_note")})
        else:
            out.update(layer_id=None, layer_version=None, layer_accuracy_m=None)
        return out


def _line_parts(geom, rings: bool):
    """Yield the LineStrings of a geometry (polygon rings only when ``rings``)."""
    import shapely

    if geom is None or geom.is_empty:
        return
    kind = geom.geom_type
    if kind == "LineString" or kind == "LinearRing":
        yield geom
    elif kind in ("MultiLineString", "GeometryCollection", "MultiPolygon"):
        for g in shapely.get_parts(geom):
            yield from _line_parts(g, rings)
    elif kind == "Polygon" and rings:
        yield geom.exterior
        yield from geom.interiors


def _is_shipped_id(source: str) -> bool:
    return os.sep not in source and "/" not in source and not Path(source).suffix and not Path(source).exists()


def _sha256_of(path: Path) -> str:
    if path.suffix.lower() == ".shp":
        import hashlib

        digest = hashlib.sha256()
        for ext in (".shp", ".shx", ".dbf", ".prj", ".cpg"):
            side = path.with_suffix(ext)
            if side.exists():
                digest.update(side.read_bytes())
        return digest.hexdigest()
    if path.is_dir():  # e.g. a FileGDB folder
        import hashlib

        digest = hashlib.sha256()
        for f in sorted(p for p in path.rglob("*") if p.is_file()):
            digest.update(f.read_bytes())
        return digest.hexdigest()
    return registry.file_sha256(path)


def read_vector(path: str | Path, *, assume_crs: str | None = None, layer_name: str | None = None):
    """Read every feature of a vector file as lon/lat shapely geometries.

    Parameters
    ----------
    path : str or Path
        Any format GDAL reads (GeoJSON, GeoPackage, Shapefile, KML/KMZ,
        FlatGeobuf, GeoParquet, ...).  ``-`` is not accepted here.
    assume_crs : str, optional
        CRS to use when the file declares none (e.g. ``EPSG:4326``).
    layer_name : str, optional
        The layer inside a multi-layer file; default: all layers.

    Returns
    -------
    (geoms, attrs, crs_in)
    """
    path = Path(path)
    if not path.exists():
        raise FileFormatError(f"{path} does not exist: check the path")
    if path.suffix.lower() in (".geojson", ".json") and layer_name is None:
        fast = _read_geojson(path, assume_crs)
        if fast is not None:
            return fast
    # pyogrio imports geopandas when it is installed (pyogrio._compat): only for non-GeoJSON files.
    import pyogrio
    import shapely
    from pyogrio.errors import DataSourceError
    source = str(path)
    if path.suffix.lower() in PARQUET_SUFFIXES:
        names = [None]
    else:
        try:
            layers = pyogrio.list_layers(source)
        except (DataSourceError, OSError, RuntimeError) as exc:
            raise FileFormatError(
                f"cannot read {path} as a vector file ({_one_line(exc)}): give GeoJSON, GeoPackage, Shapefile, "
                "KML/KMZ, FlatGeobuf or GeoParquet"
            ) from None
        names = [str(row[0]) for row in layers]
        if not names:
            raise FileFormatError(f"{path} holds no layers: check the file")
    if layer_name is not None:
        if layer_name not in names:
            raise FileFormatError(f"{path} has no layer {layer_name!r}: choose one of {', '.join(map(str, names))}")
        names = [layer_name]

    all_geoms, all_attrs, crs_in = [], {}, None
    offset = 0
    for name in names:
        meta, wkb, field_data = read_raw(source, layer=name)
        if wkb is None:
            continue
        crs = meta.get("crs")
        if not crs:
            if assume_crs is None:
                raise CRSError(
                    f"{path} declares no CRS: pass --assume-crs EPSG:4326 (or the CRS it was drawn in)"
                )
            crs = assume_crs
        crs_in = crs if crs_in is None else crs_in
        geoms = shapely.from_wkb(wkb, on_invalid="ignore")
        geoms = to_lonlat(geoms, crs, path)
        n = geoms.shape[0]
        for col, values in zip(meta["fields"], field_data):
            column = all_attrs.setdefault(str(col), np.full(offset, None, dtype=object))
            all_attrs[str(col)] = np.concatenate([column, np.asarray(values, dtype=object)])
        offset += n
        for col in all_attrs:
            if all_attrs[col].shape[0] < offset:
                pad = np.full(offset - all_attrs[col].shape[0], None, dtype=object)
                all_attrs[col] = np.concatenate([all_attrs[col], pad])
        if len(names) > 1:
            layer_col = all_attrs.setdefault("source_layer", np.full(offset - n, None, dtype=object))
            all_attrs["source_layer"] = np.concatenate([layer_col, np.full(n, name, dtype=object)])
        all_geoms.append(geoms)
    if not all_geoms:
        raise FileFormatError(f"{path} holds no geometries: check that it is a vector layer")
    return np.concatenate(all_geoms), all_attrs, str(crs_in)


PARQUET_SUFFIXES = (".parquet", ".geoparquet")


def _read_geojson(path: Path, assume_crs):
    """Read a plain GeoJSON file with the json module (no GDAL, so no geopandas import).

    Returns None when the file is not a plain FeatureCollection/Feature/geometry
    (GDAL then reads it and reports what is wrong).
    """
    import json

    from shapely.geometry import shape

    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (ValueError, UnicodeDecodeError):
        return None
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
    crs = "OGC:CRS84"  # RFC 7946: lon/lat WGS84
    legacy = data.get("crs")
    if isinstance(legacy, dict):
        name = (legacy.get("properties") or {}).get("name")
        if not name:
            return None
        crs = name
    try:
        geoms = np.array([shape(f["geometry"]) if f.get("geometry") else None for f in features], dtype=object)
    except (KeyError, TypeError, ValueError, AttributeError):
        return None
    keys: list[str] = []
    for f in features:
        for key in (f.get("properties") or {}):
            if key not in keys:
                keys.append(key)
    attrs = {k: np.array([(f.get("properties") or {}).get(k) for f in features], dtype=object) for k in keys}
    geoms = to_lonlat(geoms, crs, path)
    return geoms, attrs, "EPSG:4326" if crs in ("OGC:CRS84", "urn:ogc:def:crs:OGC:1.3:CRS84") else crs


def read_raw(source, *, layer=None):
    """Read one layer as ``(meta, wkb, field_arrays)`` without geopandas.

    ``meta`` has ``crs`` (or None) and ``fields``.  GeoParquet is read with
    pyarrow (many GDAL builds lack the Parquet driver), using the ``geo``
    metadata for the geometry column and CRS; everything else goes through
    pyogrio's raw reader.
    """
    import pyogrio
    from pyogrio.errors import DataSourceError

    if isinstance(source, (str, Path)) and Path(source).suffix.lower() in PARQUET_SUFFIXES:
        return _read_geoparquet(Path(source))
    try:
        meta, _fids, wkb, field_data = pyogrio.raw.read(source, layer=layer)
    except (DataSourceError, OSError, RuntimeError, ValueError) as exc:
        label = source if isinstance(source, (str, Path)) else "the input"
        raise FileFormatError(f"cannot read {label} ({_one_line(exc)}): check the file and its format") from None
    return {"crs": meta.get("crs"), "fields": list(meta["fields"])}, wkb, list(field_data)


def _read_geoparquet(path: Path):
    import json

    import pyarrow.parquet as pq

    try:
        table = pq.read_table(path)
    except (OSError, ValueError) as exc:
        raise FileFormatError(f"cannot read {path} as GeoParquet ({_one_line(exc)}): check the file") from None
    raw_geo = (table.schema.metadata or {}).get(b"geo")
    if raw_geo is None:
        raise FileFormatError(f"{path} is Parquet without GeoParquet 'geo' metadata: write it with geopandas.to_parquet")
    geo = json.loads(raw_geo)
    column = geo.get("primary_column", "geometry")
    info = geo.get("columns", {}).get(column, {})
    if info.get("encoding", "WKB").upper() != "WKB":
        raise FileFormatError(f"{path}: geometry encoding {info.get('encoding')!r} is not supported: write WKB")
    crs = info.get("crs", "OGC:CRS84")  # GeoParquet: a missing crs means OGC:CRS84
    if isinstance(crs, dict):
        crs = json.dumps(crs)
    wkb = np.asarray(table.column(column).to_pylist(), dtype=object)
    names = [n for n in table.column_names if n != column]
    fields = [np.asarray(table.column(n).to_pylist(), dtype=object) for n in names]
    return {"crs": crs, "fields": names}, wkb, fields


def _one_line(exc: BaseException) -> str:
    return " ".join(str(exc).split())[:200]


def read_lines(
    source: str | Path,
    *,
    assume_crs: str | None = None,
    rings: bool = False,
    layer_name: str | None = None,
) -> LineSet:
    """Read a line-of-contact layer: a shipped layer id or any vector file.

    Parameters
    ----------
    source : str or Path
        A shipped layer id (see ``geomap layers list``) or a path to any vector
        format GDAL reads.  Its CRS is honoured and converted to EPSG:4326.
    assume_crs : str, optional
        The CRS of a file that declares none.
    rings : bool
        Measure to polygon boundaries (rings) as lines.  Off by default: a
        polygon layer without lines is an error, because its boundary usually
        includes international borders and coasts that are not a front.
    layer_name : str, optional
        One layer of a multi-layer file.

    Returns
    -------
    LineSet
    """
    import shapely

    layer_meta = None
    if isinstance(source, str) and _is_shipped_id(source):
        layer_meta = registry.get_layer(source)
        path = Path(layer_meta.path)
        label = layer_meta.id
        if layer_meta.kind == "area":
            rings = True
    else:
        path = Path(source)
        label = str(source)
    geoms, attrs, crs_in = read_vector(path, assume_crs=assume_crs, layer_name=layer_name)
    kinds = shapely.get_type_id(geoms)
    has_line = np.isin(kinds, [1, 2, 5])  # LineString, LinearRing, MultiLineString
    has_poly = np.isin(kinds, [3, 6])
    collection = kinds == 7
    if collection.any():
        has_line |= np.array([
            g is not None and any(p.geom_type in ("LineString", "LinearRing") for p in shapely.get_parts(g))
            for g in geoms
        ]) & collection
    if not has_line.any() and not (rings and has_poly.any()):
        if has_poly.any():
            raise LayerError(
                f"{label} has polygons but no lines: pass --rings to measure to polygon boundaries, "
                "or derive a front with 'geomap layers derive-line'"
            )
        raise LayerError(f"{label} has no line features: give a layer with LineString or MultiLineString features")
    sha = _sha256_of(path)
    if layer_meta is not None and layer_meta.sha256 and layer_meta.sha256 != sha:
        raise LayerError(
            f"shipped layer {layer_meta.id} does not match its recorded sha256: reinstall geomap or rebuild the layer"
        )
    return LineSet(
        geoms=geoms,
        attrs=attrs,
        source=label,
        sha256=sha,
        layer=layer_meta,
        crs_in=crs_in,
        rings=rings,
        path=str(path),
    )


def lines_from_geometries(geoms, *, source: str = "<memory>", rings: bool = False, attrs=None) -> LineSet:
    """Wrap lon/lat shapely geometries (or GeoJSON-like dicts) as a :class:`LineSet` (for the Python API)."""
    import hashlib

    import shapely

    geoms = np.asarray([shapely.geometry.shape(g) if isinstance(g, dict) else g for g in geoms], dtype=object)
    wkb = shapely.to_wkb(geoms)
    digest = hashlib.sha256(b"".join(wkb)).hexdigest()
    return LineSet(geoms=geoms, attrs=dict(attrs or {}), source=source, sha256=digest, rings=rings)
