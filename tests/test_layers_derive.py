"""derive-line: a line of contact from a control polygon, checked against the published lines."""

from __future__ import annotations

import json

import numpy as np
import pytest
import shapely

from geomap.layers.derive import default_border_layer, derive_line
from geomap.layers.distance import distance_to_line
from geomap.errors import InputError, LayerError, LayerNotFound
from geomap.layers.lineset import lines_from_geometries, read_lines
from geomap.layers.registry import get_layer

TOL_M = 500.0
#: the Armenia-Azerbaijan border piece that closes nk-area-2020 at the Lachin-corridor mouth (PROVENANCE.md)
LACHIN_MOUTH = ((46.4793, 39.5787), (46.5273, 39.5382))
#: a 35.6 m dangling first edge of nk-line-2020 feature ne_id 1746705781 (not part of the ring)
DANGLE_2020 = ((46.461967, 40.282399), (46.462363, 40.282504))


def _dense_points(geom, step_m=50.0):
    """Points every <= ``step_m`` along the geodesic edges of a lon/lat line (vertices included)."""
    from pyproj import Geod

    geod = Geod(ellps="WGS84")
    out = []
    for part in shapely.get_parts(geom):
        xy = shapely.get_coordinates(part)
        out.append(xy[:1])
        for (lon1, lat1), (lon2, lat2) in zip(xy[:-1], xy[1:]):
            n = int(geod.inv(lon1, lat1, lon2, lat2)[2] // step_m)
            if n:
                out.append(np.asarray(geod.npts(lon1, lat1, lon2, lat2, n)))
            out.append(np.array([[lon2, lat2]]))
    return np.vstack(out)


def _border_lines():
    return read_lines("ne-borders-caucasus-10m")


@pytest.fixture(scope="module", params=[("nk-area-2020", "nk-line-2020"), ("nk-area-1994", "nk-line-1994")])
def derived(request, tmp_path_factory):
    area, line = request.param
    out = tmp_path_factory.mktemp("derive") / f"{area}.geojson"
    result = derive_line(area, tolerance_m=TOL_M, out=out)
    return area, line, result, out


def test_uses_the_finest_shipped_borders(derived):
    _area, _line, result, _out = derived
    assert result.border_source == "ne-borders-caucasus-10m"
    assert result.land_source == "ne-countries-50m"
    assert 0 < result.tolerance_error_m < 0.1  # AEQD scale bound over the area (0.008 m / 0.034 m measured)


def test_derived_vertices_lie_on_the_published_line(derived):
    """Every vertex of the derived line, cut end points included, is on the published line.

    Measured: 3e-6 m (2020) and 9e-6 m (1994); before cut points were snapped to the geodesic
    edge they were off by up to 0.9 mm.
    """
    _area, line, result, out = derived
    pts = shapely.get_coordinates(read_lines(out).geoms)
    dist = distance_to_line(pts[:, 0], pts[:, 1], line).distance_m
    assert dist.max() < 1e-4


def test_matches_the_published_line_away_from_borders(derived):
    """Points of the published line farther than the tolerance from a border are on the derived line."""
    _area, line, result, out = derived
    ref = shapely.union_all(list(read_lines(line).geoms))
    pts = _dense_points(ref)
    to_border = distance_to_line(pts[:, 0], pts[:, 1], _border_lines()).distance_m
    to_derived = distance_to_line(pts[:, 0], pts[:, 1], read_lines(out)).distance_m
    away = to_border > TOL_M + result.tolerance_error_m + 0.01
    near = to_border < TOL_M - result.tolerance_error_m - 0.01
    assert away.sum() > 0.98 * len(pts)
    off = away & (to_derived >= 1e-4)
    if line == "nk-line-2020":
        # Known: feature ne_id 1746705781 starts with a 35.6 m spur (46.461967E 40.282399N to
        # 46.462363E 40.282504N, where feature ...703 starts).  polygonize drops dangles, so the
        # area (and the derived line) lacks it.  Everything else is on the derived line.
        spur = shapely.LineString(DANGLE_2020)
        assert shapely.distance(shapely.points(pts[off]), spur).max() < 1e-9
        assert to_derived[off].max() < 35.7
    else:
        assert not off.any()
    # the parts near the border are cut: none of them is on the derived line
    assert near.any()
    assert to_derived[near].min() > 1.0


def test_lengths_add_up(derived):
    _area, line, result, _out = derived
    assert result.line_km + result.removed_border_km + result.removed_coast_km == pytest.approx(
        result.boundary_km, abs=0.01
    )
    assert result.removed_coast_km == 0  # landlocked
    published_km = get_layer(line).meta["counts"]["length_km"]
    # the published line runs up to the border; the derived one stops TOL_M short of it at both ends
    assert published_km - 3.0 < result.line_km < published_km


def test_excludes_the_lachin_mouth_border():
    result = derive_line("nk-area-2020", tolerance_m=TOL_M)
    mouth = shapely.LineString(LACHIN_MOUTH)
    border = shapely.union_all(list(_border_lines().geoms))
    piece = border.intersection(mouth.buffer(0.01))  # the 10m border between the two mouth points
    pts = _dense_points(piece)
    assert len(pts) > 5
    dist = distance_to_line(pts[:, 0], pts[:, 1], lines_from_geometries([result.geometry])).distance_m
    assert dist.min() >= TOL_M - result.tolerance_error_m - 0.01
    # and the area boundary itself does run along it: without border removal it is kept
    whole = derive_line("nk-area-2020", border=None)
    dist_whole = distance_to_line(pts[:, 0], pts[:, 1], lines_from_geometries([whole.geometry])).distance_m
    assert dist_whole.min() < 1.0
    assert whole.line_km == pytest.approx(whole.boundary_km, abs=1e-6)


def test_1994_area_drops_the_iranian_and_armenian_borders():
    result = derive_line("nk-area-1994", tolerance_m=TOL_M)
    # NE4 'Ceasefire Line 1994' is 202.6 km; the rest of the 577 km boundary is international border
    assert result.removed_border_km > 350
    assert result.pieces == 1


def test_coast_is_removed(tmp_path):
    """A box across the Absheron coast: the parts at sea and along the coast go, the land sides stay."""
    from geomap.layers.resolve import read_frame

    box = shapely.box(49.6, 40.2, 50.2, 40.6)
    area_path = tmp_path / "absheron.geojson"
    area_path.write_text(
        json.dumps({"type": "FeatureCollection", "features": [
            {"type": "Feature", "properties": {}, "geometry": json.loads(shapely.to_geojson(box))}
        ]}),
        encoding="utf-8",
    )
    with pytest.raises(LayerNotFound, match="--border"):
        derive_line(area_path)  # no shipped border layer covers lon 49.6-50.2
    result = derive_line(area_path, border=None, tolerance_m=TOL_M)
    assert result.removed_coast_km > 10
    assert result.line_km + result.removed_coast_km == pytest.approx(result.boundary_km, abs=0.01)
    land = shapely.union_all(list(read_frame("ne-countries-50m").geometry))
    verts = shapely.points(shapely.get_coordinates(result.geometry))
    assert shapely.contains(land, verts).all()
    kept_all = derive_line(area_path, border=None, land=None)
    assert kept_all.line_km == pytest.approx(kept_all.boundary_km, abs=1e-6)


def test_output_file(tmp_path):
    out = tmp_path / "front.geojson"
    out.write_text("old", encoding="utf-8")
    result = derive_line("nk-area-2020", out=out)
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["type"] == "FeatureCollection"
    assert data["derived"]["area_source"] == "nk-area-2020"
    assert data["derived"]["tolerance_m"] == 500.0
    assert data["derived"]["geomap_version"]
    assert len(data["features"]) == result.pieces
    assert [p.name for p in tmp_path.iterdir()] == ["front.geojson"]  # no temporary file left


def test_never_writes_over_an_input(tmp_path):
    layer = get_layer("nk-area-2020")
    before = layer.path.read_bytes()
    with pytest.raises(InputError, match="refusing to write"):
        derive_line("nk-area-2020", out=layer.path)
    assert layer.path.read_bytes() == before
    copy = tmp_path / "area.geojson"
    copy.write_bytes(before)
    with pytest.raises(InputError, match="refusing to write"):
        derive_line(copy, out=copy)
    assert copy.read_bytes() == before
    border = get_layer("ne-borders-caucasus-10m").path  # the automatically chosen border is an input too
    with pytest.raises(InputError, match="refusing to write"):
        derive_line("nk-area-2020", out=border)
    with pytest.raises(InputError, match="shipped layers"):
        derive_line("nk-area-2020", out=border.parent / "new.geojson")
    assert not (border.parent / "new.geojson").exists()


@pytest.mark.parametrize("bad", [-1.0, float("nan"), float("inf")])
def test_bad_tolerance(bad):
    with pytest.raises(InputError, match="tolerance"):
        derive_line("nk-area-2020", tolerance_m=bad)


def test_nothing_left():
    with pytest.raises(LayerError, match="nothing of"):
        derive_line("nk-area-2020", tolerance_m=200_000)


def test_line_layer_is_not_an_area():
    with pytest.raises(LayerError, match="no polygons"):
        derive_line("nk-line-2020")


def test_default_border_layer_needs_coverage():
    assert default_border_layer((46.3, 39.5, 47.2, 40.4)) == "ne-borders-caucasus-10m"
    with pytest.raises(LayerNotFound):
        default_border_layer((126.0, 37.5, 129.0, 38.7))
    assert np.isfinite(get_layer("ne-borders-caucasus-10m").accuracy_m)


def test_border_lines_of_another_region_are_refused(tmp_path):
    """--border FILE whose lines are nowhere near the area removes nothing: every border would become "front".

    Before, South Ossetia's OSM boundary with the Caucasus NE border lines (which stop at 41.5N) came out as a
    475.7 km "line of contact", its whole Russian border included ("0.0 km along borders removed"), exit 0.
    'auto' refuses the same situation; a file given by hand now does too.
    """
    area = tmp_path / "held.geojson"
    area.write_text(json.dumps({"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {},
        "geometry": {"type": "Polygon", "coordinates": [[[37.0, 48.0], [38.0, 48.0], [38.0, 49.0], [37.0, 49.0],
                                                          [37.0, 48.0]]]}}]}))
    elsewhere = tmp_path / "borders_elsewhere.geojson"
    elsewhere.write_text(json.dumps({"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {},
        "geometry": {"type": "LineString", "coordinates": [[44.5, 38.5], [48.5, 41.5]]}}]}))
    with pytest.raises(LayerError, match="--border none"):
        derive_line(area, border=elsewhere, land=None)
    one_side = tmp_path / "border.geojson"  # one border line along the east side: used, not refused
    one_side.write_text(json.dumps({"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {},
        "geometry": {"type": "LineString", "coordinates": [[38.0, 47.5], [38.0, 49.5]]}}]}))
    line = derive_line(area, border=one_side, land=None).geometry
    assert shapely.get_coordinates(line)[:, 0].max() < 38.0 - 1e-6  # the border side is gone entirely
    world = tmp_path / "world_borders.geojson"  # far-away lines whose extent covers the area: nothing to remove
    world.write_text(json.dumps({"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {},
        "geometry": {"type": "LineString", "coordinates": [[-170.0, -80.0], [170.0, 80.0]]}}]}))
    assert derive_line(area, border=world, land=None).geometry.length > 0
    kept = derive_line(area, border=None, land=None).geometry  # asked for: every side kept
    assert shapely.get_coordinates(kept)[:, 0].max() == pytest.approx(38.0)
