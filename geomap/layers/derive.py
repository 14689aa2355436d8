"""Derive a line of contact from a control polygon.

Maps such as DeepStateMap publish the held (or occupied) territory as polygons,
not as a front line.  The line of contact is the polygon's boundary **minus**
the parts that run along an international border or a coast:

1. The area's boundary rings are taken from the union of its polygons.
2. *Border* parts: boundary within ``tolerance_m`` of the border lines
   (default: the finest shipped border layer whose bbox covers the area; for
   the South Caucasus ``ne-borders-caucasus-10m``).
3. *Coast* parts: boundary within ``tolerance_m`` of the coastline, or at sea: not inside the land
   (``ne-countries-50m`` near the area, gaps closed by a 50 m buffer) shrunk by ``tolerance_m``.  A 1:50m
   land mask can be 500 m off a finer polygon's coast: pass a finer ``land`` or a larger tolerance.
4. What is left, merged into lines, is the derived line of contact.

Control maps often hold *both* sides' polygons in one file.  Merging them would
erase the edge they share, which is the front.  So polygons that share an edge
are refused unless ``side="FIELD=VALUE"`` picks one side's polygons (or
``side="all"`` says they are all one side).  When a side is picked and the
other polygons touch it, the line is the **shared edge**: the picked side's
boundary within :data:`SHARED_EDGE_M` of the other side's polygons; borders and
coasts are not involved then; sides that face each other across a gap, or overlap, wider than the
tolerance are refused.  The picked side's polygons are ``DerivedLine.area`` (the held area: the side).

Metric and error bound
----------------------
Closeness is measured in an azimuthal equidistant projection (WGS84) centred
on the area's centroid, never in degrees.  Distances through the centre are
exact; elsewhere the projection's scale lies between 1 and
``k = (rho/R) / sin(rho/R)`` where ``rho`` is the largest distance of any
vertex used from the centre, so a tolerance of ``tolerance_m`` is applied with
an error of at most ``tolerance_m * (k - 1)`` (reported as
``tolerance_error_m``; 0.008 m for 500 m over nk-area-2020, 0.034 m over
nk-area-1994).  Kept vertices are the input vertices (projected and back);
each new end point lies where the boundary leaves the tolerance band and is
moved onto the geodesic of the edge it cuts, so every output vertex lies on
the input boundary (measured: within 0.01 mm, tests/test_layers_derive.py).
"""

from __future__ import annotations

import json
import logging
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from geomap.errors import FileFormatError, InputError, LayerError, LayerNotFound
from geomap.layers.control import (GAP_SEARCH_M, SHARED_EDGE_M, linear_parts, pick_side,  # noqa: F401 - public here too
                                   refuse_grey_zone, refuse_overlap)

DEFAULT_TOLERANCE_M = 500.0  #: default tolerance, metres
DEFAULT_LAND = "ne-countries-50m"  #: land-mask layer used for coastline detection
_R_M = 6_371_008.8


@dataclass
class DerivedLine:
    """A line of contact derived from a control polygon.

    ``geometry`` is a shapely (Multi)LineString in lon/lat EPSG:4326.  Lengths are
    geodesic on WGS84, kilometres.
    """

    geometry: Any
    area_source: str
    border_source: str | None
    land_source: str | None
    tolerance_m: float
    tolerance_error_m: float
    boundary_km: float
    line_km: float
    removed_border_km: float
    removed_coast_km: float
    pieces: int
    evidence: dict[str, Any] = field(default_factory=dict)
    #: the held area (union of the picked side's polygons), lon/lat; not part of the summary
    area: Any = field(default=None, compare=False, repr=False)
    #: inside a two-sided map, the area neither side holds (:func:`unassigned_area`), lon/lat; None: one-sided
    unassigned: Any = field(default=None, compare=False, repr=False)

    def to_geojson(self) -> dict:
        """Return a GeoJSON FeatureCollection (one feature per piece, lon/lat)."""
        import shapely

        parts = list(getattr(self.geometry, "geoms", [self.geometry])) if not self.geometry.is_empty else []
        features = []
        for index, part in enumerate(parts):
            features.append(
                {
                    "type": "Feature",
                    "properties": {"piece": index, "length_km": round(_length_km(part), 3)},
                    "geometry": json.loads(shapely.to_geojson(part)),
                }
            )
        return {
            "type": "FeatureCollection",
            "name": "derived-line",
            "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:OGC:1.3:CRS84"}},
            "derived": self.summary(),
            "features": features,
        }

    def summary(self) -> dict:
        """The numbers and evidence of the derivation (JSON-ready)."""
        return {
            "area_source": self.area_source,
            "border_source": self.border_source,
            "land_source": self.land_source,
            "tolerance_m": self.tolerance_m,
            "tolerance_error_m": self.tolerance_error_m,
            "boundary_km": round(self.boundary_km, 3),
            "line_km": round(self.line_km, 3),
            "removed_border_km": round(self.removed_border_km, 3),
            "removed_coast_km": round(self.removed_coast_km, 3),
            "pieces": self.pieces,
            **self.evidence,
        }


def _length_km(geom) -> float:
    from pyproj import Geod

    if geom.is_empty:
        return 0.0
    return Geod(ellps="WGS84").geometry_length(geom) / 1000.0


def default_border_layer(bbox: tuple[float, float, float, float]) -> str:
    """Return the id of the finest shipped border layer whose bbox covers ``bbox`` (lon/lat).

    Border layers are shipped layers with ``"role": "borders"`` in ``layer.json``.
    """
    from geomap.layers.registry import list_layers

    min_lon, min_lat, max_lon, max_lat = bbox
    candidates = []
    for layer in list_layers():
        if layer.meta.get("role") != "borders" or layer.bbox is None:
            continue
        b = layer.bbox
        if b[0] <= min_lon and b[1] <= min_lat and b[2] >= max_lon and b[3] >= max_lat:
            candidates.append(layer)
    if not candidates:
        raise LayerNotFound(
            f"no shipped border layer covers lon {min_lon:.3f}..{max_lon:.3f}, lat {min_lat:.3f}..{max_lat:.3f}: "
            "pass --border with a file of international boundary lines, or --border none"
        )
    return min(candidates, key=lambda layer: (layer.accuracy_m or math.inf, layer.id)).id


def derive_line(
    area: str | Path,
    *,
    border: str | Path | None = "auto",
    land: str | Path | None = DEFAULT_LAND,
    tolerance_m: float = DEFAULT_TOLERANCE_M,
    out: str | Path | None = None,
    side: str | None = None,
) -> DerivedLine:
    """Derive the line of contact from a control polygon (see the module notes).

    Parameters
    ----------
    area : str or Path
        Held-area polygons: a shipped area layer id or any GDAL vector file with a CRS.
    border : str, Path or None
        International boundary lines to drop: ``"auto"`` (finest shipped border
        layer covering the area), a layer id, a file, or None to keep them.
    land : str, Path or None
        Land polygons for the coastline test (default ``ne-countries-50m``), or None to skip it.
    tolerance_m : float
        Boundary parts within this many metres of a border or coast are removed.
    out : str or Path, optional
        Write the result as GeoJSON here (atomically; never over the input).
    side : str, optional
        ``"FIELD=VALUE"``: the polygons whose attribute FIELD equals VALUE are
        the held area; when the other polygons touch them, the line is the
        shared edge.  ``"all"``: every polygon is one side (the default for a
        registered area layer, whose metadata names who holds it).  Required
        for a file whose polygons share an edge.

    Returns
    -------
    DerivedLine

    Raises
    ------
    InputError
        Bad tolerance, ``out`` would overwrite an input, polygons share an edge
        and no ``side`` was given, or ``side`` names no field or no polygon.
    LayerError
        The area has no polygons, or nothing is left after removing borders and coasts.
    """
    import numpy as np
    import shapely
    from pyproj import CRS, Transformer

    from geomap.layers.resolve import resolve

    if not (isinstance(tolerance_m, (int, float)) and math.isfinite(tolerance_m) and tolerance_m >= 0):
        raise InputError(f"tolerance {tolerance_m!r} m is not a non-negative number of metres: give e.g. 500")
    area_path, area_layer = resolve(area)
    polygons, others, neither = pick_side(area, side)
    if neither and not others:
        raise LayerError(_neither_message(area, side, "and no polygon is the other side's"))
    area_geom = shapely.union_all(polygons)
    boundary = area_geom.boundary
    min_lon, min_lat, max_lon, max_lat = area_geom.bounds
    if max_lon - min_lon > 180:
        raise InputError(f"{area} spans more than 180 degrees of longitude: split it at the antimeridian first")

    centroid = area_geom.centroid
    aeqd = CRS.from_proj4(f"+proj=aeqd +lat_0={centroid.y:.9f} +lon_0={centroid.x:.9f} +ellps=WGS84 +units=m")
    fwd = Transformer.from_crs("EPSG:4326", aeqd, always_xy=True)
    inv = Transformer.from_crs(aeqd, "EPSG:4326", always_xy=True)

    def to_m(geom):
        return shapely.transform(geom, lambda xy: np.column_stack(fwd.transform(xy[:, 0], xy[:, 1])))

    def to_deg(geom):
        return shapely.transform(geom, lambda xy: np.column_stack(inv.transform(xy[:, 0], xy[:, 1])))

    if others:
        other_geom = shapely.union_all(others)
        # exact first (edges with the same vertices: the common part, end points included, exactly)
        exact = linear_parts(shapely.intersection(boundary, other_geom))
        if exact.length > 0:
            shared = shapely.line_merge(exact)
        else:  # edges digitised apart: the held boundary within SHARED_EDGE_M of the other side
            near = linear_parts(to_m(boundary).intersection(to_m(other_geom).buffer(SHARED_EDGE_M, quad_segs=16)))
            shared = _snap_cut_points(to_deg(shapely.line_merge(near)), boundary) if near.length > 0 else None
        def land_near():  # the land within reach of the gaps (metres), read only when a gap is found
            reach = GAP_SEARCH_M / 111_000.0 / max(math.cos(math.radians(max(abs(min_lat), abs(max_lat)))), 0.05)
            box = shapely.box(min_lon - reach, min_lat - reach, max_lon + reach, max_lat + reach)
            countries = [g for g in _geometries(land) if g.intersects(box)]
            return shapely.union_all([to_m(shapely.intersection(g, box)) for g in countries]) if countries \
                else shapely.Polygon()

        def dense_m(geom):  # edges as the map draws them (straight in lon/lat), every 0.01 degree, in metres:
            # two sides sharing a long edge with different vertices would otherwise part or overlap by its sag
            return to_m(shapely.segmentize(geom, 0.01))

        other_m = dense_m(other_geom)
        refuse_overlap(area, side, dense_m(area_geom), other_m, tolerance_m)
        try:
            refuse_grey_zone(area, side, dense_m(boundary), other_m, dense_m(shared) if shared is not None else None,
                             tolerance_m, land_near if land is not None else None)
        except LayerError as error:
            if not neither:
                raise
            raise LayerError(_neither_message(area, side, "and lie between the two sides")) from error
        if shared is not None:
            if out is not None:
                out = _check_output(Path(out), [area])
            result = _shared_edge_result(area, area_layer, area_path, side, boundary, area_geom, shared, aeqd, None)
            result.unassigned = unassigned_area([*polygons, *others], neither)
            result.evidence["unassigned_km2"] = round(_area_km2(result.unassigned), 3)
            if out is not None:
                from geomap.io.write import write_json

                write_json(out, result.to_geojson())
            return result

    border_id = None
    if border is not None:
        border_id = default_border_layer(area_geom.bounds) if border == "auto" else str(border)
    if out is not None:
        out = _check_output(Path(out), [area, border_id, land])

    # a search box around the area, wide enough to hold everything within the tolerance
    margin_deg = tolerance_m / 111_000.0 / max(math.cos(math.radians(max(abs(min_lat), abs(max_lat)))), 0.05) + 0.05
    box = shapely.box(min_lon - margin_deg, min_lat - margin_deg, max_lon + margin_deg, max_lat + margin_deg)

    boundary_m = to_m(boundary)
    remove = []
    border_m = None
    if border_id is not None:
        every = _geometries(border_id)
        lines = [g for g in every if g.intersects(box)]
        b_min_lon, b_min_lat, b_max_lon, b_max_lat = shapely.union_all(every).bounds
        if not lines and not (b_min_lon <= min_lon and b_min_lat <= min_lat and b_max_lon >= max_lon
                              and b_max_lat >= max_lat):
            # border lines of another region (as 'auto' refuses): every border of the area would be kept as front
            raise LayerError(
                f"the border lines {Path(str(border_id)).name} (lon {b_min_lon:.3f}..{b_max_lon:.3f}, lat "
                f"{b_min_lat:.3f}..{b_max_lat:.3f}) do not reach the area (lon {min_lon:.3f}..{max_lon:.3f}, lat "
                f"{min_lat:.3f}..{max_lat:.3f}), so no border would be removed: give border lines of this region, "
                "or --border none to keep every boundary part"
            )
        lines = [shapely.intersection(g, box) for g in lines]
        lines = [g for g in lines if not g.is_empty]
        if lines:
            border_m = to_m(shapely.union_all(lines))
            remove.append(border_m.buffer(tolerance_m, quad_segs=16))
    land_id = None
    inland = None
    if land is not None:
        land_id = str(land)
        countries = [g for g in _geometries(land) if g.intersects(box)]
        if countries:
            # 50 m out and back closes slivers between neighbouring countries; the box edge
            # (an artificial outline) is more than tolerance_m + 5 km from the area, so harmless
            land_m = shapely.union_all([to_m(shapely.intersection(g, box)).buffer(50.0) for g in countries])
            inland = land_m.buffer(-50.0 - tolerance_m, quad_segs=16)
        else:
            inland = shapely.Polygon()  # no land near the area: all of it is sea

    kept_m = boundary_m
    removed_border_m = removed_coast_m = None
    if remove:
        removed_border_m = boundary_m.intersection(remove[0])
        kept_m = kept_m.difference(remove[0])
    if inland is not None:
        removed_coast_m = boundary_m.difference(inland)
        kept_m = kept_m.intersection(inland)
    kept_m = shapely.line_merge(kept_m) if not kept_m.is_empty else kept_m
    if kept_m.is_empty:
        raise LayerError(
            f"nothing of {area}'s boundary is farther than {tolerance_m:g} m from a border or coast: "
            "check the inputs or lower --tolerance-m"
        )

    # the projection's worst scale factor over everything used
    coords = shapely.get_coordinates(boundary_m)
    if border_m is not None:
        coords = np.vstack([coords, shapely.get_coordinates(border_m)])
    rho = float(np.max(np.hypot(coords[:, 0], coords[:, 1]))) + tolerance_m
    ratio = rho / _R_M
    k_max = ratio / math.sin(ratio) if ratio > 0 else 1.0
    tolerance_error_m = round(tolerance_m * (k_max - 1.0), 4)

    line = _snap_cut_points(to_deg(kept_m), boundary)
    boundary_km = _length_km(boundary)
    return _finish(
        line, area_layer=area_layer, area_path=area_path, area_geom=area_geom, aeqd=aeqd, side=side, out=out,
        mode="boundary-minus-borders-and-coasts",
        method=(
            "area boundary minus parts within tolerance_m of the border lines, of the land outline, "
            "or outside land; closeness measured in an azimuthal equidistant projection (WGS84) centred "
            "on the area centroid"
        ),
        border_source=Path(border_id).name if border_id else None,  # names (a layer id is one), never folders
        land_source=Path(land_id).name if land_id else None,
        tolerance_m=float(tolerance_m),
        tolerance_error_m=tolerance_error_m,
        boundary_km=boundary_km,
        removed_border_km=_length_km(to_deg(removed_border_m)) if removed_border_m is not None else 0.0,
        removed_coast_km=_length_km(to_deg(removed_coast_m)) if removed_coast_m is not None else 0.0,
    )


def unassigned_area(sides: list, neither: list):
    """The area inside a two-sided map that neither side holds (lon/lat): the holes of the union of both
    sides' polygons (a lake, an unmapped pocket) and the polygons whose side field names no holder.

    The map does not say where the front runs there: it may run anywhere through it
    (:func:`geomap.layers.sides.unassigned_distance` widens the intervals of points near it).
    """
    import shapely

    union = shapely.union_all(sides)
    holes = [shapely.Polygon(ring) for part in shapely.get_parts(union) if part.geom_type == "Polygon"
             for ring in part.interiors]
    return shapely.union_all([*holes, *neither]) if holes or neither else shapely.Polygon()


def _area_km2(geom) -> float:
    from pyproj import Geod

    return 0.0 if geom.is_empty else abs(Geod(ellps="WGS84").geometry_area_perimeter(geom)[0]) / 1e6


def _neither_message(area, side, where: str) -> str:
    from geomap.layers.control import neither_values

    field = (side or "").partition("=")[0]
    values = ", ".join(f"{field}={v}" if v else f"{field} blank" for v in neither_values(area, side))
    return (f"{Path(str(area)).name}: the polygons with {values} name no side {where}: the map does not say where "
            f"the front runs through them, so --side {side} cannot count them as either side's; give them a side in "
            "the file (or pick it with --side FIELD=VALUE), or measure to a line you draw yourself (--layer FILE)")


def _shared_edge_result(area, area_layer, area_path, side, boundary, area_geom, line, aeqd, out):
    """The DerivedLine of a picked side whose boundary the other side's polygons touch: their shared edge."""
    return _finish(
        line, area_layer=area_layer, area_path=area_path, area_geom=area_geom, aeqd=aeqd, side=side, out=out,
        mode="shared-edge",
        method=(
            f"the edge the picked side ({side}) shares with the other side's polygons: its boundary within "
            f"{SHARED_EDGE_M:g} m of them, measured in an azimuthal equidistant projection (WGS84) centred on "
            "the area centroid; borders and coasts play no part"
        ),
        border_source=None,
        land_source=None,
        tolerance_m=SHARED_EDGE_M,
        tolerance_error_m=0.0,
        boundary_km=_length_km(boundary),
        removed_border_km=0.0,
        removed_coast_km=0.0,
    )


def _finish(line, *, area_layer, area_path, area_geom, aeqd, side, out, mode: str, method: str,
            **fields) -> "DerivedLine":
    """The :class:`DerivedLine` of ``line`` with its evidence (both ways of deriving), written to ``out`` if given."""
    from geomap._version import __version__

    result = DerivedLine(
        geometry=line,
        area_source=str(area_layer.id if area_layer else Path(str(area_path)).name),
        line_km=_length_km(line),
        pieces=len(getattr(line, "geoms", [line])),
        evidence={
            "method": method,
            "projection": aeqd.srs,
            "geomap_version": __version__,
            "area_licence": area_layer.licence if area_layer else None,
            "area_attribution": area_layer.attribution if area_layer else None,
            "side": side,
            "mode": mode,
        },
        area=area_geom,
        **fields,
    )
    if out is not None:
        from geomap.io.write import write_json

        write_json(out, result.to_geojson())
    return result


def _snap_cut_points(line, boundary):
    """Move each new end point (a cut) onto the geodesic of the boundary edge it was cut from.

    The cut is computed on a straight edge of the projection, which departs
    from the geodesic edge by millimetres; this puts it back on the geodesic at
    the same distance from the edge's first vertex.  Original vertices are
    returned unchanged (to within the projection round trip, < 1e-6 m).
    """
    import numpy as np
    import shapely
    from pyproj import Geod

    geod = Geod(ellps="WGS84")
    original = shapely.get_coordinates(boundary)
    edges = []
    for ring in shapely.get_parts(boundary):
        xy = shapely.get_coordinates(ring)
        edges.extend(zip(xy[:-1], xy[1:]))
    edge_geoms = shapely.linestrings([[a, b] for a, b in edges])
    tree = shapely.STRtree(edge_geoms)
    parts = []
    for part in shapely.get_parts(line):
        xy = shapely.get_coordinates(part).copy()
        for i in (0, len(xy) - 1):
            if np.min(np.hypot(*(original - xy[i]).T)) < 1e-9:
                continue  # an original vertex
            k = int(tree.nearest(shapely.Point(xy[i])))
            (lon1, lat1), (lon2, lat2) = edges[k]
            az12, _, _ = geod.inv(lon1, lat1, lon2, lat2)
            _, _, s_m = geod.inv(lon1, lat1, xy[i, 0], xy[i, 1])
            lon, lat, _ = geod.fwd(lon1, lat1, az12, s_m)
            xy[i] = (lon, lat)
        parts.append(shapely.LineString(xy))
    return parts[0] if len(parts) == 1 else shapely.MultiLineString(parts)


def _check_output(out: Path, sources: list) -> Path:
    """Refuse an output path that is an input or lies inside the shipped layers."""
    from geomap.layers.resolve import resolve
    from geomap.layers.registry import layers_dir

    target = out.resolve()
    for source in sources:
        if source is None:
            continue
        path, _layer = resolve(source)
        if path.exists() and target == path.resolve():
            raise InputError(f"refusing to write the derived line over an input ({out}): choose another -o path")
    try:
        shipped = layers_dir().resolve()
    except LayerError:
        return out
    if target.is_relative_to(shipped):
        raise InputError(f"refusing to write into the shipped layers ({out}): choose a path outside {shipped}")
    return out


def _geometries(source) -> list:
    """The non-empty lon/lat geometries of a shipped layer id or a vector file (geomap.layers.lineset' reader)."""
    from geomap.layers.resolve import resolve
    from geomap.layers.lineset import read_vector

    from geomap.layers.tidy import collect_notes, summarise_notes

    path, _layer = resolve(source)
    notes: list = []
    with collect_notes(notes):  # dropped degenerate parts, wrapped longitudes, GDAL's warnings: logged, not raw
        geoms, _attrs, _crs = read_vector(path)
    for line in summarise_notes(notes):
        logging.getLogger("geomap.layers.derive").warning("%s: %s", Path(path).name, line)
    found = [g for g in geoms if g is not None and not g.is_empty]
    if not found:
        raise FileFormatError(f"{path} has no non-empty geometries: give a file with features")
    return found
