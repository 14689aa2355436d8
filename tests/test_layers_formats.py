"""The user's layers: the same line in any format or CRS gives the same distances.

Each case writes one geometry (a shipped line with every vertex moved by up to
1e-4 degrees, so the coordinates use full double precision) in a format,
reads it back with :func:`geomap.layers.lineset.read_lines` and compares
:func:`geomap.layers.distance.distance_to_line` with the in-memory original at 300
points.

Measured (this suite, GDAL 3.12, PROJ 9): 0 m for GeoJSON, GeoPackage,
Shapefile, FlatGeobuf; 6e-9 m for KML (15 significant digits); 3e-9 m for the
EPSG:32638 and EPSG:3857 round trips.  The contract asserted is 1 mm; the
tighter bound ``MEASURED_M`` = 1 micrometre guards the measurement.
"""

from __future__ import annotations

import zipfile

import numpy as np
import pytest
import shapely

from geomap.layers.distance import distance_to_line
from geomap.errors import CRSError
from geomap.layers.lineset import lines_from_geometries, read_lines

pytestmark = pytest.mark.filterwarnings("ignore:.crs. was not provided:UserWarning")

CONTRACT_M = 0.001
MEASURED_M = 1e-6


@pytest.fixture(scope="module", params=["nk-line-2020", "kashmir-loc"])
def case(request):
    from geomap.layers.resolve import read_frame

    frame = read_frame(request.param)[["geometry"]].copy()
    frame["name"] = [f"{request.param} {i}" for i in range(len(frame))]
    rng = np.random.default_rng(20201110)
    frame["geometry"] = shapely.transform(frame.geometry.values, lambda xy: xy + rng.uniform(-1e-4, 1e-4, xy.shape))
    minx, miny, maxx, maxy = frame.total_bounds
    lon = rng.uniform(minx - 0.5, maxx + 0.5, 300)
    lat = rng.uniform(miny - 0.5, maxy + 0.5, 300)
    reference = distance_to_line(lon, lat, lines_from_geometries(list(frame.geometry))).distance_m
    return frame, lon, lat, reference


def _write(frame, path, driver=None, epsg=None):
    if epsg is not None:
        frame = frame.to_crs(epsg)
    frame.to_file(path, driver=driver)
    return path


def _write_kmz(frame, path):
    import pyogrio

    if "LIBKML" in pyogrio.list_drivers(write=True):
        frame.to_file(path, driver="LIBKML")  # LIBKML writes a zipped KMZ for a .kmz name
    else:  # pragma: no cover - depends on the GDAL build
        kml = path.with_suffix(".kml")
        frame.to_file(kml, driver="KML")
        with zipfile.ZipFile(path, "w") as zf:
            zf.write(kml, "doc.kml")
    assert zipfile.is_zipfile(path)
    return path


WRITERS = {
    "geojson": lambda f, d: _write(f, d / "line.geojson", "GeoJSON"),
    "gpkg": lambda f, d: _write(f, d / "line.gpkg", "GPKG"),
    "shapefile": lambda f, d: _write(f, d / "line.shp", "ESRI Shapefile"),
    "kml": lambda f, d: _write(f, d / "line.kml", "KML"),
    "kmz": lambda f, d: _write_kmz(f, d / "line.kmz"),
    "flatgeobuf": lambda f, d: _write(f, d / "line.fgb", "FlatGeobuf"),
    "geoparquet": lambda f, d: (f.to_parquet(d / "line.parquet"), d / "line.parquet")[1],
    "gpkg-utm38n": lambda f, d: _write(f, d / "utm.gpkg", "GPKG", 32638),
    "gpkg-webmercator": lambda f, d: _write(f, d / "merc.gpkg", "GPKG", 3857),
    "flatgeobuf-utm38n": lambda f, d: _write(f, d / "utm.fgb", "FlatGeobuf", 32638),
    "shapefile-webmercator": lambda f, d: _write(f, d / "merc.shp", "ESRI Shapefile", 3857),
}

@pytest.mark.parametrize("fmt", sorted(WRITERS))
def test_same_distances_in_every_format(fmt, case, tmp_path, request):
    frame, lon, lat, reference = case
    path = WRITERS[fmt](frame, tmp_path)
    lines = read_lines(path)
    assert len(lines) == len(frame)
    got = distance_to_line(lon, lat, lines).distance_m
    diff = np.abs(got - reference)
    assert np.isfinite(got).all()
    assert diff.max() <= CONTRACT_M
    assert diff.max() <= MEASURED_M, f"{fmt}: {diff.max():.3g} m"


def test_file_without_crs_needs_assume_crs(case, tmp_path):
    frame, lon, lat, reference = case
    path = tmp_path / "nocrs.shp"
    frame.set_crs(None, allow_override=True).to_file(path)
    assert not path.with_suffix(".prj").exists()
    with pytest.raises(CRSError, match="no CRS") as info:
        read_lines(path)
    assert "\n" not in str(info.value)
    got = distance_to_line(lon, lat, read_lines(path, assume_crs="EPSG:4326")).distance_m
    assert np.abs(got - reference).max() <= MEASURED_M


def test_projected_file_without_crs_with_the_right_assumption(case, tmp_path):
    frame, lon, lat, reference = case
    path = tmp_path / "utm_nocrs.shp"
    frame.to_crs(32638).set_crs(None, allow_override=True).to_file(path)
    with pytest.raises(CRSError):
        read_lines(path)
    got = distance_to_line(lon, lat, read_lines(path, assume_crs="EPSG:32638")).distance_m
    assert np.abs(got - reference).max() <= MEASURED_M


