"""Record where two shipped versions of the same line disagree by more than a layer's stated accuracy.

Natural Earth and OpenStreetMap draw some lines of the same theatre (korea-mdl-1953 / korea-mdl-osm,
kashmir-loc / kashmir-loc-osm).  Where they lie farther apart than a layer's ``accuracy_m``, a result
against that layer cannot be more accurate than their disagreement there: we do not know which one is
right.  This script measures it with the shipped files and writes, into each layer's ``known_errors``,
one entry per stretch of disagreement with ``error_m`` (the largest offset there, rounded up to 100 m).
geomap.layers.known_errors widens the interval of rows within such an entry's circle to ``error_m``
(instead of refusing them, as for a place on the wrong side).

Method: points every 250 m along both lines (vertices and geodesic intermediate points); each point's
exact geodesic distance to the other line (geomap's engine).  Both ways count: where one line draws a
stretch the other does not (the Han estuary, which the OSM line includes as a neutral-zone boundary
and Natural Earth omits; the Siachen segment), the two do not agree on where the line runs either.  Points whose offset exceeds
the layer's accuracy are grouped greedily, largest offset first: a group takes every such point within
``GROUP_KM`` of its largest.  Its circle is centred on that point and reaches the farthest point of the
group plus ``error_m`` (a point that far from the stretch may be measured to it).

    .venv/bin/python scripts/layer_disagreements.py          # rewrites the entries in layers/*/layer.json

``scripts/build_layers.py`` runs :func:`record` on what it builds, so the shipped files stay reproducible.
"""

from __future__ import annotations

import json
import math
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PAIRS = (("korea-mdl-1953", "korea-mdl-osm"), ("kashmir-loc", "kashmir-loc-osm"), ("cyprus-line-1974", "cyprus-line-osm"),
         ("golan-line-1974", "golan-line-osm"), ("israel-lebanon-line", "israel-lebanon-osm"))
STEP_M = 250.0
GROUP_KM = 25.0
CAVEAT = "Disagrees with"


def densified_points(lines, step_m: float = STEP_M) -> tuple[list, list]:
    """lon, lat lists of every vertex of ``lines`` (a LineSet) and geodesic points at most ``step_m`` apart between."""
    import shapely
    from pyproj import Geod

    geod = Geod(ellps="WGS84")
    lon, lat = [], []
    for geom in lines.geoms:
        for part in shapely.get_parts(geom):
            xy = shapely.get_coordinates(part)
            for (x0, y0), (x1, y1) in zip(xy[:-1], xy[1:]):
                n = max(int(math.ceil(geod.inv(x0, y0, x1, y1)[2] / step_m)) - 1, 0)
                lon.append(x0)
                lat.append(y0)
                for x, y in (geod.npts(x0, y0, x1, y1, n) if n else []):
                    lon.append(x)
                    lat.append(y)
            lon.append(xy[-1][0])
            lat.append(xy[-1][1])
    return lon, lat


def disagreements(layers_dir: Path, layer_id: str, other_id: str) -> list[dict]:
    """The known-error entries (with ``error_m``) of ``layer_id`` where ``other_id`` lies beyond its accuracy.

    Both layers are read from ``layers_dir`` (the shipped folder, or a fresh build of it).
    """
    import numpy as np
    from pyproj import Geod

    from geomap.layers.distance import distance_to_line
    from geomap.layers.lineset import read_lines

    geod = Geod(ellps="WGS84")
    mine, other = (read_lines(layers_dir / i / "data.geojson") for i in (layer_id, other_id))
    meta = json.loads((layers_dir / layer_id / "layer.json").read_text(encoding="utf-8"))
    accuracy_m = float(meta.get("accuracy_m") or 0.0)
    lon, lat, off = [], [], []
    for a, b in ((mine, other), (other, mine)):  # both ways: a stretch only one of them draws counts too
        x, y = densified_points(a)
        lon += x
        lat += y
        off += list(distance_to_line(x, y, b).distance_m)
    lon, lat, off = np.array(lon), np.array(lat), np.array(off)
    left = np.flatnonzero(off > accuracy_m)
    out = []
    while left.size:
        top = left[np.argmax(off[left])]
        to_top = geod.inv(np.full(left.size, lon[top]), np.full(left.size, lat[top]), lon[left], lat[left])[2]
        group = left[to_top <= GROUP_KM * 1000.0]
        error_m = math.ceil(off[top] / 100.0) * 100.0
        reach_m = float(to_top[to_top <= GROUP_KM * 1000.0].max())
        out.append({
            "place": f"{lat[top]:.3f}N {lon[top]:.3f}E",
            "lon": round(float(lon[top]), 5), "lat": round(float(lat[top]), 5),
            "radius_m": math.ceil((reach_m + error_m) / 100.0) * 100.0,
            "error_m": error_m,
            "with": other_id,
            "what": (f"{other_id} lies up to {off[top] / 1000:.1f} km from this line here ({group.size} points "
                     f"every {STEP_M:.0f} m along the two lines, {float(np.median(off[group])) / 1000:.1f} km at "
                     f"the median), beyond its stated accuracy of ±{accuracy_m / 1000:.1f} km; which one is right "
                     f"is not known, so within {(reach_m + error_m) / 1000:.0f} km of here results against it "
                     f"carry ±{error_m / 1000:.1f} km."),
            "source": ("measured by scripts/layer_disagreements.py on the shipped files: exact geodesic distances "
                       f"from points every {STEP_M:.0f} m along each line to the other"),
            "place_source": "the point of the largest offset between the two lines",
        })
        left = np.setdiff1d(left, group)
    return out


def record(layers_dir: Path, quiet: bool = False) -> None:
    """Rewrite the disagreement entries and caveats of every pair's ``layer.json`` in ``layers_dir``.

    Run by ``scripts/build_layers.py`` after it writes the layers, so a build reproduces the shipped files.
    """
    for pair in PAIRS:
        for layer_id, other_id in (pair, pair[::-1]):
            path = layers_dir / layer_id / "layer.json"
            meta = json.loads(path.read_text(encoding="utf-8"))
            kept = [e for e in meta.get("known_errors") or [] if "error_m" not in e]
            found = disagreements(layers_dir, layer_id, other_id)
            meta["known_errors"] = kept + found
            top = max(found, key=lambda e: e["error_m"], default=None)
            caveats = [c for c in meta.get("caveats") or [] if not c.startswith(CAVEAT)]
            if top is not None:
                caveats.append(f"{CAVEAT} {other_id} by more than this layer's ±{meta['accuracy_m'] / 1000:.1f} km "
                               f"in {len(found)} stretch(es), up to {top['error_m'] / 1000:.1f} km near "
                               f"{top['place']} (measured both ways, points every {STEP_M:.0f} m): known_errors "
                               "records each with error_m, and results within its circle carry that accuracy.")
            meta["caveats"] = caveats
            path.write_text(json.dumps(meta, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
            if quiet:
                continue
            print(f"{layer_id}: {len(found)} stretch(es) beyond ±{meta['accuracy_m'] / 1000:.1f} km of {other_id}: "
                  + ", ".join(f"{e['error_m'] / 1000:.1f} km within {e['radius_m'] / 1000:.0f} km of "
                              f"{e['lon']:.3f},{e['lat']:.3f}" for e in found))


def main() -> int:
    sys.path.insert(0, str(ROOT))
    record(ROOT / "layers")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
