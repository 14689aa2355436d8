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

from geomap.io import guards
from geomap.layers import registry
from geomap.errors import CRSError, FileFormatError, LayerError
from geomap.io.crs import to_lonlat

log = logging.getLogger("geomap.layers.lineset")

#: attribute names tried, in order and in any letter case, to name a feature ("section") in results;
#: description (often long, or HTML in a KML) only as a last resort
LABEL_FIELDS = ("name", "title", "label", "section", "description")
#: longest section name shown (longer values are cut with an ellipsis)
LABEL_MAX_CHARS = 80


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
    accuracy_m : float or None
        The layer's stated accuracy (m): the ``a`` of the distance interval
        ``[d - r - a, d + r + a]``.  None when nothing states it (the interval
        then leaves map error out, and outputs say so).
    accuracy_source : str
        Where ``accuracy_m`` came from (``--layer-accuracy-m``, the layer's
        metadata, a field) or ``"none stated"``.
    notes : list of str
        What reading changed or skipped (dropped empty parts, wrapped
        longitudes, ...), one line each; also in :meth:`evidence`.
    section_field : str or None
        The attribute that names features (``--section-field``); default:
        the first of :data:`LABEL_FIELDS` present, in any letter case.
    """

    geoms: np.ndarray
    attrs: dict[str, np.ndarray]
    source: str
    sha256: str
    layer: Any = None
    crs_in: str = "EPSG:4326"
    rings: bool = False
    path: str | None = None
    accuracy_m: float | None = None
    accuracy_source: str = "none stated"
    notes: list = field(default_factory=list)
    section_field: str | None = None
    _index: Any = field(default=None, repr=False)
    _labels: Any = field(default=None, repr=False)

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
        from geomap.layers import tidy

        return tidy.segments_of(*tidy.line_parts(self.geoms, self.rings))

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
        """A readable name for a feature ("section"), from the layer's own fields.

        The ``section_field`` value, else the first non-empty of
        :data:`LABEL_FIELDS` (any letter case: a KML's ``Name`` too); a name
        several features share gets ", feature N" ("Ceasefire Line 2020,
        feature 5"); no name gives "feature N".  ``-1`` (no feature) gives "".
        """
        if feature_index < 0:
            return ""
        if self._labels is None:
            self._labels = self._section_names()
        return self._labels[feature_index]

    def _section_names(self) -> list[str]:
        n = len(self)
        lower = {str(k).lower(): k for k in reversed(list(self.attrs))}
        fields = [self.section_field] if self.section_field else [lower[f] for f in LABEL_FIELDS if f in lower]
        names: list[str | None] = [None] * n
        for name in fields:
            column = self.attrs.get(name)
            if column is None:
                continue
            for i in range(n):
                if names[i] is None:
                    names[i] = _clean_label(column[i], markup=str(name).lower() == "description")
        counts: dict[str, int] = {}
        for value in names:
            if value is not None:
                counts[value] = counts.get(value, 0) + 1
        return [f"feature {i}" if v is None else (f"{v}, feature {i}" if counts[v] > 1 else v)
                for i, v in enumerate(names)]

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
                layer_licence=self.layer.licence,
                layer_attribution=self.layer.attribution,
                layer_source=meta.get("source"),
                layer_omits=meta.get("omits"),
                layer_caveats=meta.get("caveats") or [],
                layer_experimental=bool(meta.get("experimental")),
            )
        else:
            out.update(layer_id=None, layer_version=None)
        out.update(layer_accuracy_m=self.accuracy_m, layer_accuracy_source=self.accuracy_source,
                   layer_notes=list(self.notes))
        if self.section_field:
            out["layer_section_field"] = self.section_field
        return out


def _clean_label(value, markup: bool = False) -> str | None:
    """A field value as a one-line section name (spaces collapsed; tags dropped when ``markup``), None when empty.

    Names are kept verbatim otherwise: they are data, escaped wherever they are shown.
    """
    if value is None:
        return None
    text = str(value)
    if markup and "<" in text:
        import re

        text = re.sub(r"<[^>]*>", " ", text)
    text = " ".join(text.split())
    if text in ("", "nan", "None", "NaN"):
        return None
    return text if len(text) <= LABEL_MAX_CHARS else text[: LABEL_MAX_CHARS - 1] + "…"


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
    guards.check_archive(path)
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
            with guards.quiet_gdal():
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
        with guards.quiet_gdal():
            meta, wkb, field_data = read_raw(source, layer=name)
        if wkb is None:
            continue
        geoms = meta["geoms"] if "geoms" in meta else guards.geometries_from_wkb(wkb, first_feature=offset)
        implied = path.suffix.lower() in guards.IMPLIED_WGS84_SUFFIXES or bool(meta.get("crs_implied"))
        crs = guards.choose_crs(path, meta.get("crs") or None, implied=implied, assume_crs=assume_crs,
                                xy=shapely.get_coordinates(geoms))
        if not crs:
            raise CRSError(
                f"{path} declares no CRS: pass --assume-crs EPSG:4326 (or the CRS it was drawn in)"
            )
        crs_in = crs if crs_in is None else crs_in
        geoms = to_lonlat(geoms, crs, path, implied=implied and crs == meta.get("crs"))
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
    import shapely

    declared = guards.geojson_declared_crs(data, path=path.name)
    implied = declared is None
    try:
        geoms = np.empty(len(features), dtype=object)
        geoms[:] = [guards.geometry_from_geojson(f.get("geometry"), feature=i) for i, f in enumerate(features)]
    except (KeyError, TypeError, ValueError, AttributeError):
        return None
    crs = guards.choose_crs(path, declared or "OGC:CRS84", implied=implied, assume_crs=assume_crs,
                            xy=shapely.get_coordinates(geoms))  # RFC 7946: lon/lat WGS84
    keys: list[str] = []
    for f in features:
        for key in (f.get("properties") or {}):
            if key not in keys:
                keys.append(key)
    attrs = {k: np.array([(f.get("properties") or {}).get(k) for f in features], dtype=object) for k in keys}
    geoms = to_lonlat(geoms, crs, path, implied=implied and crs == "OGC:CRS84")
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
    encoding = str(info.get("encoding", "WKB"))
    crs = info.get("crs", "OGC:CRS84")  # GeoParquet: a missing crs means OGC:CRS84
    if isinstance(crs, dict):
        crs = json.dumps(crs)
    names = [n for n in table.column_names if n != column]
    fields = [np.asarray(table.column(n).to_pylist(), dtype=object) for n in names]
    out = {"crs": crs, "fields": names, "crs_implied": "crs" not in info}
    if encoding.upper() == "WKB":
        wkb = np.asarray(table.column(column).to_pylist(), dtype=object)
    else:
        out["geoms"] = guards.geoarrow_geometries(table.column(column), encoding)
        wkb = np.zeros(len(out["geoms"]), dtype=object)
    return out, wkb, fields


def _one_line(exc: BaseException) -> str:
    return " ".join(str(exc).split())[:200]


def read_lines(
    source: str | Path,
    *,
    assume_crs: str | None = None,
    rings: bool = False,
    layer_name: str | None = None,
    accuracy_m: float | None = None,
    section_field: str | None = None,
) -> LineSet:
    """Read a line-of-contact layer: a shipped layer id or any vector file.

    Parameters
    ----------
    source : str or Path
        A shipped layer id (see ``geomap layers list``) or a path to any vector
        format GDAL reads.  Its CRS is honoured and converted to EPSG:4326.
    assume_crs : str, optional
        The CRS of a file that declares none, or whose format only implies
        WGS84 (a GeoJSON without ``crs`` member holding projected coordinates).
    rings : bool
        Measure to polygon boundaries (rings) as lines.  Off by default: a
        polygon layer without lines is an error, because its boundary usually
        includes international borders and coasts that are not a front.
    layer_name : str, optional
        One layer of a multi-layer file.
    accuracy_m : float, optional
        The layer's accuracy in metres (``--layer-accuracy-m``); overrides
        what the layer's metadata states (see :func:`geomap.layers.tidy.layer_accuracy`).
    section_field : str, optional
        The attribute that names features (``--section-field``).

    Returns
    -------
    LineSet
        ``notes`` lists what reading changed or skipped: dropped empty or
        one-position parts, longitudes normalised across the antimeridian,
        point features skipped, GDAL's warnings.

    Raises
    ------
    LayerError
        No usable line segment, a one-vertex line, a geometry geomap cannot
        read, an unknown ``section_field``, a negative ``accuracy_m``.
    CRSError, FileFormatError
        The file cannot be read or converted to lon/lat.
    """
    from geomap.layers import tidy

    if accuracy_m is not None and not (accuracy_m >= 0 and np.isfinite(accuracy_m)):
        raise LayerError(f"layer accuracy {accuracy_m!r} m is not a distance: give --layer-accuracy-m 0 or more")
    layer_meta = None
    if isinstance(source, str) and _is_shipped_id(source):
        layer_meta = registry.get_layer(source)
        path = Path(layer_meta.path)
        label = layer_meta.id
        if layer_meta.kind == "area":
            rings = True
    else:
        path = Path(source)
        label = Path(str(source)).name
    notes: list = []
    with tidy.collect_notes(notes):
        geoms, attrs, crs_in = read_vector(path, assume_crs=assume_crs, layer_name=layer_name)
    if section_field is not None and section_field not in attrs:
        fields = ", ".join(map(str, attrs)) or "none"
        raise LayerError(f"{label} has no field {section_field!r} for --section-field: choose one of {fields}")
    lines = LineSet(geoms=geoms, attrs=attrs, source=label if layer_meta is not None else str(source), sha256="",
                    layer=layer_meta, crs_in=crs_in, rings=rings, path=str(path), section_field=section_field)
    tidy.check_features(geoms, notes, source=label, rings=rings, label=lambda f: _feature_name(lines, f))
    parts, feature, _part = tidy.line_parts(geoms, rings)
    if parts.shape[0] == 0 or not (_num_coords(parts) >= 2).any():
        kinds = set(_geom_types(geoms))
        if kinds & {"Polygon", "MultiPolygon"} and not rings:
            raise LayerError(
                f"{label} has polygons but no lines: pass --rings to measure to polygon boundaries, "
                "or derive a front with 'geomap layers derive-line'"
            )
        found = ", ".join(sorted(kinds)) or "no geometries"
        raise LayerError(f"{label} has no line to measure to ({found}): give a layer with LineString or "
                         "MultiLineString features")
    sha = _sha256_of(path)
    if layer_meta is not None and layer_meta.sha256 and layer_meta.sha256 != sha:
        raise LayerError(
            f"shipped layer {layer_meta.id} does not match its recorded sha256: reinstall geomap or rebuild the layer"
        )
    lines.sha256 = sha
    lines.accuracy_m, lines.accuracy_source = tidy.layer_accuracy(
        given_m=accuracy_m, registry_layer=layer_meta, path=None if layer_meta is not None else path,
        attrs=attrs, notes=notes)
    lines.notes = tidy.summarise_notes(notes, label=lambda f: _feature_name(lines, f))
    for line in lines.notes:
        log.warning("%s: %s", label, line)
    if lines.accuracy_m is None and layer_meta is None:
        log.warning("%s states no accuracy: distance intervals leave map error out "
                    "(give it with --layer-accuracy-m M)", label)
    return lines


def _feature_name(lines: LineSet, feature: int | None) -> str:
    if feature is None or feature < 0 or feature >= len(lines):
        return f"feature {feature}"
    name = lines.label(feature)
    return name if name.startswith("feature ") else f"feature {feature} ({name})"


def _num_coords(geoms):
    import shapely

    return shapely.get_num_coordinates(geoms)


def _geom_types(geoms) -> set:
    import shapely

    ids = np.unique(shapely.get_type_id(geoms))
    return {str(_TYPE_NAMES[i]) for i in ids if 0 <= i < len(_TYPE_NAMES)}


_TYPE_NAMES = np.array(["Point", "LineString", "LinearRing", "Polygon", "MultiPoint", "MultiLineString",
                        "MultiPolygon", "GeometryCollection"], dtype=object)


def lines_from_geometries(geoms, *, source: str = "<memory>", rings: bool = False, attrs=None,
                          accuracy_m: float | None = None, section_field: str | None = None) -> LineSet:
    """Wrap lon/lat shapely geometries (or GeoJSON-like dicts) as a :class:`LineSet` (for the Python API).

    GeoJSON-like dicts are built like a file's (empty and one-position parts
    dropped, see :func:`geomap.io.guards.geometry_from_geojson`); the notes
    land in ``notes``.  ``accuracy_m`` is the layer's accuracy in metres
    (None: not stated).
    """
    import hashlib

    import shapely

    from geomap.layers import tidy

    notes: list = []
    with tidy.collect_notes(notes):
        built = [guards.geometry_from_geojson(g, feature=i) if isinstance(g, dict) else g
                 for i, g in enumerate(geoms)]
    out = np.empty(len(built), dtype=object)
    out[:] = built
    wkb = shapely.to_wkb(out)
    digest = hashlib.sha256(b"".join(w for w in wkb if w is not None)).hexdigest()
    lines = LineSet(geoms=out, attrs=dict(attrs or {}), source=source, sha256=digest, rings=rings,
                    accuracy_m=None if accuracy_m is None else float(accuracy_m),
                    accuracy_source="given" if accuracy_m is not None else "none stated",
                    section_field=section_field)
    tidy.check_features(out, notes, source=source, rings=rings, label=lambda f: _feature_name(lines, f))
    lines.notes = tidy.summarise_notes(notes, label=lambda f: _feature_name(lines, f))
    return lines
