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
from geomap.io.privacy import public_name
from geomap.io.text import safe_text

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
            # a user's file by its name (with its sha256), never its local path: evidence gets published
            "layer": self.source if self.layer is not None else public_name(self.source),
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
            if meta.get("origin") == "user":  # the user's own layer (geomap.layers.store)
                out["layer_origin"] = "user"
                out.update({k: meta.get(k) for k in ("original_file", "original_sha256", "added", "accuracy_note")})
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
        ``attrs`` has a ``source_layer`` column when several layers were read.
    """
    from geomap.io.vector import read_vector as read_any_vector

    found = read_any_vector(path, assume_crs=assume_crs, layer_name=layer_name)
    attrs = dict(found.attrs)
    if found.table is not None:  # Parquet: the attribute columns (section names) come typed in a table
        attrs.update({name: np.asarray(found.table.column(name).to_pylist(), dtype=object)
                      for name in found.table.column_names})
    if found.layer is not None and len(found.layers) > 1:
        attrs["source_layer"] = found.layer
    return found.geoms, attrs, str(found.crs_in)


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

    if not isinstance(source, (str, os.PathLike)):
        from geomap.errors import InputError

        raise InputError(f"a layer is a shipped layer id or a file path, not {type(source).__name__} {source!r}: "
                         "see geomap.list_layers()")
    if accuracy_m is not None and not (accuracy_m >= 0 and np.isfinite(accuracy_m)):
        raise LayerError(f"layer accuracy {accuracy_m!r} m is not a distance: give --layer-accuracy-m 0 or more")
    layer_meta = None
    if isinstance(source, str) and _is_shipped_id(source):
        layer_meta = registry.get_layer(source)
        path = Path(layer_meta.path)
        label = layer_meta.id
    else:
        path = Path(source)
        label = safe_text(Path(str(source)).name)
    notes: list = []
    with tidy.collect_notes(notes):
        geoms, attrs, crs_in = read_vector(path, assume_crs=assume_crs, layer_name=layer_name)
    if "source_layer" in attrs:  # several layers (KML folders, GeoPackage tables) measured as one line: say so
        import shapely

        measured = [1, 5, 7] + ([3, 6] if rings else [])  # shapely type ids: lines, collections, (polygons)
        lined = np.isin(shapely.get_type_id(geoms), measured)
        names = list(dict.fromkeys(str(n) for n in np.asarray(attrs["source_layer"], dtype=object)[lined]))
        if len(names) > 1:
            shown = ", ".join(names[:5]) + (f" and {len(names) - 5} more" if len(names) > 5 else "")
            notes.append(("layers", None, f"{len(names)} layers read as one line, each in its own CRS: {shown}; if "
                                          f"they are different maps or dates, extract one: ogr2ogr one.gpkg {label} "
                                          "LAYER"))
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
            # an area's boundary runs along coasts and borders too: never measured as the front unasked
            fronts = [ln.id for ln in registry.list_layers(kind="line")
                      if layer_meta is not None and ln.area_layer == layer_meta.id]
            held = f"{label} is a held area, not a line: measure to {' or '.join(fronts)}, " if fronts else ""
            raise LayerError(
                f"{held or label + ' has polygons but no lines: '}pass --rings to measure to polygon boundaries "
                "(coasts and borders included), or derive a front with 'geomap layers derive-line'"
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
    departure = tidy.check_segments(lines.geoms, source=label, rings=rings, label=lambda f: _feature_name(lines, f))
    lines.notes = tidy.summarise_notes(notes, label=lambda f: _feature_name(lines, f))
    if (layer_meta is None or layer_meta.user) and tidy.departure_note(departure, lines.accuracy_m):
        lines.notes.append(tidy.departure_note(departure, lines.accuracy_m))
    for line in lines.notes:
        log.warning("%s: %s", label, line)
    if lines.accuracy_m is None and layer_meta is None:
        log.info("%s states no accuracy: distance intervals leave map error out "
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
    departure = tidy.check_segments(out, source=source, rings=rings, label=lambda f: _feature_name(lines, f))
    lines.notes = tidy.summarise_notes(notes, label=lambda f: _feature_name(lines, f))
    if tidy.departure_note(departure, lines.accuracy_m):
        lines.notes.append(tidy.departure_note(departure, lines.accuracy_m))
    return lines
