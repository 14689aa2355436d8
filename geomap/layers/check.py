"""Check a layer file (or a layer folder) before measuring anything with it.

:func:`validate_path` reads any GDAL vector file and reports, as a list of
one-line problems: no CRS, unreadable file, no features, empty or null
geometries, invalid geometries (with GEOS's reason), coordinates outside the
lon/lat range.  If the path is a layer folder, a ``layer.json``, or a file with
a ``layer.json`` beside it, the metadata schema (:func:`geomap.layers.registry.validate_metadata`),
the sha256, the feature count and the bbox are checked too.
"""

from __future__ import annotations

import json
import logging
import os
import warnings
from dataclasses import dataclass, field
from pathlib import Path

from geomap.errors import FileFormatError
from geomap.io.text import safe_text
from geomap.layers.registry import file_sha256, validate_metadata

#: how far (degrees) geometry may stick out of a stated bbox before it is a problem
BBOX_SLACK_DEG = 1e-9


@dataclass
class ValidationReport:
    """What was checked and what is wrong (``ok`` when ``problems`` is empty)."""

    path: str
    metadata: str | None
    features: int = 0
    crs: str | None = None
    checks: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    #: what measuring with this file would change or skip (dropped empty parts, wrapped longitudes ...)
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def to_dict(self) -> dict:
        return {
            "path": self.path,
            "metadata": self.metadata,
            "features": self.features,
            "crs": self.crs,
            "checks": self.checks,
            "problems": self.problems,
            "notes": self.notes,
            "ok": self.ok,
        }


def _locate(path: Path) -> tuple[Path | None, Path | None, dict | None]:
    """Return (geometry file, layer.json, parsed metadata) for a folder, a layer.json or a geometry file."""
    meta_path = None
    if path.is_dir():
        meta_path = path / "layer.json"
        if not meta_path.is_file():
            raise FileFormatError(f"{path} is a folder without layer.json: give a layer folder or a vector file")
    elif path.name == "layer.json":
        meta_path = path
    elif (path.parent / "layer.json").is_file():
        meta_path = path.parent / "layer.json"
    if meta_path is None:
        return path, None, None
    try:
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise FileFormatError(f"{meta_path} is not readable JSON ({exc}): fix or rebuild it") from None
    geometry = meta_path.parent / str(meta.get("geometry_file", "data.geojson")) if isinstance(meta, dict) else None
    if not path.is_dir() and path.name != "layer.json" and geometry is not None and geometry.name != path.name:
        # a layer.json beside the file that describes another file: check the file alone
        return path, None, None
    return geometry, meta_path, meta


def _check_as_line(path: Path, report: ValidationReport) -> None:
    """Read ``path`` as geomap measures it (:func:`geomap.layers.lineset.read_lines`, rings as lines).

    What reading refuses (a one-vertex line, an unreadable geometry, no line
    at all, coordinates that are not lon/lat) is a problem; what it changes or
    skips (empty or one-position parts, longitudes past 180, point features)
    is a note.
    """
    from geomap.errors import GeomapError
    from geomap.layers.lineset import read_lines

    report.checks.append("line parts")
    logger = logging.getLogger("geomap.layers.lineset")
    was, logger.disabled = logger.disabled, True  # the notes are reported here, not logged too
    try:
        lines = read_lines(path, rings=True)
    except GeomapError as exc:
        report.problems.append(" ".join(str(exc).split()))
        return None
    finally:
        logger.disabled = was
    report.notes.extend(lines.notes)
    return lines


def validate_path(path: str | Path) -> ValidationReport:
    """Validate a vector file or a layer folder; see the module notes.

    The report names files without the folders they sit in (its text gets
    pasted into reports: an absolute path names the user's folders), with
    control characters escaped (a newline in a name: ``li\\nne.geojson``).

    Parameters
    ----------
    path : str or Path
        A layer folder, its ``layer.json``, or any vector file GDAL can read.

    Returns
    -------
    ValidationReport
        ``problems`` lists one line per problem (empty when the file is fine).

    Raises
    ------
    FileFormatError
        ``path`` does not exist, or is a folder without ``layer.json``.
    """
    path = Path(path)
    try:
        return _public(_validate(path), path)
    except FileFormatError as exc:
        exc.args = (_public_text(str(exc), path),)
        raise


def _public_text(text: str, path: Path) -> str:
    """``text`` without the folders of ``path`` (as given, absolute, resolved) and with control characters escaped."""
    folders = {str(path.parent), str(path.absolute().parent), str(path.resolve().parent)} - {"", "."}
    for folder in sorted(folders, key=len, reverse=True):
        text = text.replace(folder.rstrip(os.sep) + os.sep, "")
    return safe_text(text)


def _public(report: ValidationReport, path: Path) -> ValidationReport:
    report.path = _public_text(report.path, path)
    report.metadata = None if report.metadata is None else _public_text(report.metadata, path)
    report.problems[:] = [_public_text(p, path) for p in report.problems]
    report.notes[:] = [_public_text(n, path) for n in report.notes]
    return report


def _validate(path: Path) -> ValidationReport:
    import numpy as np
    import shapely

    from geomap.layers.resolve import read_any

    if not path.exists():
        raise FileFormatError(f"{path} does not exist: give a layer folder, a layer.json or a vector file")
    geometry_path, meta_path, meta = _locate(path)
    report = ValidationReport(path=str(geometry_path), metadata=str(meta_path) if meta_path else None)
    problems = report.problems

    if meta is not None:
        report.checks.append("metadata schema")
        problems.extend(f"layer.json: {p}" for p in validate_metadata(meta))
    if geometry_path is None or not geometry_path.is_file():
        problems.append(f"geometry file {geometry_path} is missing")
        return report
    if meta is not None and isinstance(meta, dict):
        report.checks.append("sha256")
        actual = file_sha256(geometry_path)
        if meta.get("sha256") != actual:
            problems.append(f"sha256 of {geometry_path.name} is {actual}, layer.json says {meta.get('sha256')}")

    lines = _check_as_line(geometry_path, report)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # what GDAL warns about is in the notes of _check_as_line
            frame = read_any(geometry_path)
    except Exception as exc:
        if lines is None:
            problems.append(f"cannot read {geometry_path} ({' '.join(str(exc).split())})")
            return report
        import geopandas as gpd  # GEOS refuses a one-position part that geomap drops: check what it measures

        frame = gpd.GeoDataFrame(geometry=list(lines.geoms), crs="EPSG:4326")
    report.features = len(frame)
    report.checks.append("crs")
    if frame.crs is None:
        problems.append("no CRS: the file does not say which coordinate system it uses")
    else:
        report.crs = frame.crs.to_string()
        if meta is not None and isinstance(meta, dict) and isinstance(meta.get("crs"), str):
            try:
                from pyproj import CRS

                if not CRS.from_user_input(meta["crs"]).equals(frame.crs, ignore_axis_order=True):
                    problems.append(f"layer.json says crs {meta['crs']} but the file is {report.crs}")
            except Exception:
                problems.append(f"layer.json crs {meta['crs']!r} is not a CRS")
    report.checks.append("features")
    if frame.empty:
        problems.append("no features")
        return report
    geoms = np.asarray(frame.geometry.values, dtype=object)
    missing = np.array([g is None for g in geoms])
    if missing.any():
        problems.append(f"{int(missing.sum())} feature(s) have no geometry (first: feature {int(np.flatnonzero(missing)[0])})")
    present = geoms[~missing]
    empty = shapely.is_empty(present)
    if empty.any():
        problems.append(f"{int(empty.sum())} feature(s) have an empty geometry")
    report.checks.append("geometry validity")
    invalid = ~shapely.is_valid(present)
    if invalid.any():
        first = int(np.flatnonzero(invalid)[0])
        problems.append(
            f"{int(invalid.sum())} invalid geometr{'y' if invalid.sum() == 1 else 'ies'} "
            f"(first: {shapely.is_valid_reason(present[first])})"
        )
    coords = shapely.get_coordinates(present)
    if coords.size and not np.isfinite(coords).all():
        problems.append("some coordinates are NaN or infinite")
    geographic = frame.crs is not None and frame.crs.is_geographic
    if geographic and coords.size:
        report.checks.append("lon/lat range")
        finite = coords[np.isfinite(coords).all(axis=1)]
        if (np.abs(finite[:, 0]) > 180).any() or (np.abs(finite[:, 1]) > 90).any():
            problems.append("coordinates outside lon [-180, 180] / lat [-90, 90] (swapped axes?)")
    if meta is not None and isinstance(meta, dict):
        counts = meta.get("counts") if isinstance(meta.get("counts"), dict) else {}
        if isinstance(counts.get("features"), int) and counts["features"] != len(frame):
            problems.append(f"layer.json counts {counts['features']} features, the file has {len(frame)}")
        if isinstance(counts.get("vertices"), int):
            vertices = int(shapely.get_num_coordinates(present).sum())
            if counts["vertices"] != vertices:
                problems.append(f"layer.json counts {counts['vertices']} vertices, the file has {vertices}")
        bbox = meta.get("bbox")
        if isinstance(bbox, list) and len(bbox) == 4 and coords.size:
            report.checks.append("bbox")
            lo = coords.min(axis=0)
            hi = coords.max(axis=0)
            if (
                lo[0] < bbox[0] - BBOX_SLACK_DEG
                or lo[1] < bbox[1] - BBOX_SLACK_DEG
                or hi[0] > bbox[2] + BBOX_SLACK_DEG
                or hi[1] > bbox[3] + BBOX_SLACK_DEG
            ):
                problems.append(
                    f"geometry extent [{lo[0]}, {lo[1]}, {hi[0]}, {hi[1]}] is outside the stated bbox {bbox}"
                )
    return report
