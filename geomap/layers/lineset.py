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
from geomap.errors import LayerError

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
            )
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
        ``attrs`` has a ``source_layer`` column when several layers were read.
    """
    from geomap.io.vector import read_vector as read_any_vector

    found = read_any_vector(path, assume_crs=assume_crs, layer_name=layer_name)
    attrs = dict(found.attrs)
    if found.layer is not None and len(found.layers) > 1:
        attrs["source_layer"] = found.layer
    return found.geoms, attrs, str(found.crs_in)


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
