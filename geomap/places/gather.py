"""Gather: every candidate a name can mean, from the offline index, the user's file, or Nominatim.

The first stage of :func:`geomap.places.gazetteer.geocode` (gather -> narrow ->
rank -> decide).  Reads the sqlite index built by ``scripts/build_gazetteer.py``,
the user gazetteer (``--gazetteer FILE``) and, only when asked, Nominatim; also
the "did you mean" search.  The user gazetteer is read by the one point reader
(:func:`geomap.io.points.read_points`); geopy only for ``online=True``.
"""

from __future__ import annotations

import difflib
import json
import math
import sqlite3
import threading
import unicodedata
from functools import lru_cache
from pathlib import Path

from geomap._version import __version__
from geomap.errors import CoordinateError, FileFormatError, MissingDependency, PlaceNotFound
from geomap.places.model import (
    GEONAMES_ATTRIBUTION,
    INDEX_PATH,
    OSM_ATTRIBUTION,
    RADIUS_M,
    Place,
    plausible_population,
    uncertainty_radius_m,
)
from geomap.places.names import KEY_VERSION, fold, name_key, strip_feature_words

# --------------------------------------------------------------------------- index access

_local = threading.local()


def connect() -> sqlite3.Connection:
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
    return dict(connect().execute("SELECT key, value FROM meta").fetchall())


@lru_cache(maxsize=8)
def layer_features(layer_id: str) -> dict[str, dict]:
    """The features of a shipped polygon layer by their ``id`` property, as GeoJSON-like mappings.

    Read by the one vector reader (:func:`geomap.io.vector.read_vector`), like every layer.
    """
    from shapely.geometry import mapping

    from geomap.io.vector import read_vector
    from geomap.layers.registry import get_layer

    found = read_vector(get_layer(layer_id).path)
    names = list(found.attrs)
    out = {}
    for i, geom in enumerate(found.geoms):
        props = {k: found.attrs[k][i] for k in names}
        out[str(props["id"])] = {"type": "Feature", "properties": props,
                                 "geometry": mapping(geom) if geom is not None else None}
    return out


def sources_attribution(sources: list[dict]) -> tuple[str, str]:
    licences, attributions = [], []
    for s in sources:
        if s.get("licence") and s["licence"] not in licences:
            licences.append(s["licence"])
        if s.get("attribution") and s["attribution"] not in attributions:
            attributions.append(s["attribution"])
    return "; ".join(licences), "; ".join(attributions)


def _exact(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).casefold().split())


#: match tiers, best first (see docs/gazetteer.md "Matching tiers"): the place's own name (or a source's
#: own name, or a district alias), then an alternate name, then the same letters without diacritics and
#: punctuation, then the transliteration key only
TIERS = {"exact": 0, "alias": 0, "alternate": 1, "folded": 2, "transliteration": 3}


def place_from_row(row, forms: list[tuple[str, int]], query: str, key: str) -> Place:
    pid, name, lon, lat, kind, country, region, population, geonameid, extra = row
    extra = json.loads(extra) if extra else {}
    sources = extra.get("sources") or [{
        "source": "geonames-cities500", "source_id": str(geonameid), "name": name, "lon": lon, "lat": lat,
        "licence": "CC BY 4.0", "attribution": GEONAMES_ATTRIBUTION,
    }]
    licence, attribution = sources_attribution(sources)
    # the form that matched best, and how
    q_exact, q_fold = _exact(query), fold(query)
    best = None
    for form, main in forms:
        if _exact(form) == q_exact:
            tier = "alias" if main == -1 else ("exact" if main >= 1 else "alternate")
        elif fold(form) == q_fold:
            tier = "folded"
        else:
            tier = "transliteration"
        rank = (TIERS[tier], -main if main >= 0 else 0)
        if best is None or rank < best[0]:
            best = (rank, form, main, tier)
    _, matched, main, match = best
    geometry = None
    geometry_note = None
    unit_type = None
    population_note = None
    if kind == "district":
        layer_id, _, fid = extra["geometry_ref"].partition("#")
        feature = layer_features(layer_id)[fid]
        geometry = feature["geometry"]
        unit_type = feature["properties"].get("type")
        if main == -1:
            geometry_note = (extra.get("alias_notes") or {}).get(key)
            match = "alias"
        if not geometry_note:
            geometry_note = f"polygon of {name} from layer {layer_id} (feature {fid})"
        unc, rule = 0.0, "district polygon (uncertainty_m 0: use the geometry)"
    else:
        population, population_note = plausible_population(kind, population, extra.get("kind_rule", "population"))
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
        uncertainty_rule=rule, sources=tuple(sources), unit_type=unit_type, population_note=population_note,
    )


def lookup_index(key: str, query: str) -> list[Place]:
    con = connect()
    rows = con.execute(
        "SELECT n.name, n.main, p.pid, p.name, p.lon, p.lat, p.kind, p.country, p.region, p.population, "
        "p.geonameid, p.extra FROM names n JOIN places p ON p.pid = n.pid WHERE n.key = ? ORDER BY p.pid",
        (key,),
    ).fetchall()
    by_pid: dict[int, tuple[tuple, list]] = {}
    for r in rows:
        entry = by_pid.setdefault(r[2], (r[2:], []))
        entry[1].append((r[0] or r[3], r[1]))
    return [place_from_row(prow, forms, query, key) for prow, forms in by_pid.values()]


# --------------------------------------------------------------------------- user gazetteer

def user_places(path: str | Path) -> list[tuple[str, Place]]:
    p = Path(path)
    if not p.is_file():
        raise FileFormatError(f"gazetteer file {str(p)!r} does not exist: give a CSV or a vector file of places")
    stat = p.stat()
    return user_places_cached(str(p.resolve()), stat.st_mtime_ns, stat.st_size)


def check_lonlat(lon, lat, where: str) -> tuple[float, float]:
    try:
        lon, lat = float(lon), float(lat)
    except (TypeError, ValueError):
        raise CoordinateError(f"{where}: lon/lat {lon!r},{lat!r} are not numbers: fix the file") from None
    if not (math.isfinite(lon) and math.isfinite(lat)) or not (-180 <= lon <= 180 and -90 <= lat <= 90):
        raise CoordinateError(f"{where}: lon/lat {lon},{lat} outside -180..180/-90..90{_swap_hint(lon, lat)}: "
                              "fix the file")
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


#: row statuses of the one point reader (:func:`geomap.io.points.read_points`) that mean "fix this row"
_BAD_COORDINATES = {
    "invalid_coordinates": "lon/lat are not numbers",
    "missing_coordinates": "lon/lat are missing",
    "coordinates_out_of_range": "lon/lat are outside -180..180/-90..90",
}


@lru_cache(maxsize=4)
def user_places_cached(path: str, mtime_ns: int, size: int) -> list[tuple[str, Place]]:
    """The places of a user gazetteer, read by the one point reader (:func:`geomap.io.points.read_points`).

    Any input that reader takes: CSV/TSV in any encoding and separator Excel
    writes, GeoJSON, GeoPackage, KML, GeoParquet, ... in any CRS (converted to
    lon/lat).  Each row or feature needs a ``name``; a point (or lon/lat
    columns) is a place, a polygon a district-like area (its geometry is
    used).  Optional ``kind``, ``country`` and ``uncertainty_m`` columns.
    A row geomap cannot use is an error naming the row: a gazetteer is the
    user's own reference, so nothing in it is skipped silently.
    """
    from shapely.geometry import mapping

    from geomap.errors import InputError
    from geomap.io.points import read_points

    p = Path(path)
    fname = p.name
    needs = "it needs name, lon, lat [, kind, country, uncertainty_m] columns, or point/polygon features with a name"
    try:
        table = read_points(p)
    except FileFormatError as exc:  # the reader's own line names the file and the fix ...
        message = str(exc)
        if "pass encoding=" in message:  # ... but a gazetteer has no encoding option: UTF-8 it is
            message = message.split(": pass encoding=")[0] + ': save it as UTF-8 ("CSV UTF-8" in Excel)'
        raise FileFormatError(f"gazetteer {message}") from None
    except InputError as exc:  # no coordinate column: the reader's hint names --lon-col, which --gazetteer lacks
        raise FileFormatError(f"gazetteer {fname}: {str(exc).split(': name it with')[0]}: {needs}") from None
    frame = table.frame
    cols = {str(c).strip().lower(): c for c in frame.columns}
    missing = [c for c in ("name",) if c not in cols]
    if missing:
        raise FileFormatError(f"gazetteer {fname} lacks column(s) {', '.join(missing)}: {needs}")
    vector = table.lon_col is None  # features with geometries, not coordinate columns
    area = table.area if table.area is not None else [None] * len(table)

    def text(column: str, i: int) -> str:
        if column not in cols:
            return ""
        value = frame[cols[column]].iloc[i]
        return "" if value is None or (isinstance(value, float) and math.isnan(value)) else str(value).strip()

    out: list[tuple[str, Place]] = []
    for i in range(len(table)):
        where = f"gazetteer {fname} " + (f"feature {i + 1}" if vector else f"line {i + 2}")
        name = text("name", i)
        if not name:
            raise FileFormatError(f"{where} has an empty name: fill it in")
        status = str(table.status[i])
        if status in _BAD_COORDINATES:
            hint = ""
            if status == "coordinates_out_of_range" and not vector:
                hint = _swap_hint(text("lon", i), text("lat", i))
            raise CoordinateError(f"{where}: {_BAD_COORDINATES[status]}{hint}: fix the file")
        if status != "ok":
            kind = str(frame["input_geometry_type"].iloc[i]) if "input_geometry_type" in frame.columns else status
            raise FileFormatError(f"{where} has geometry {kind!r} ({status}): use Point, Polygon or MultiPolygon")
        geometry = mapping(area[i]) if area[i] is not None else None
        place = _user_place(name, float(table.lon[i]), float(table.lat[i]), text("kind", i),
                            text("country", i).upper(), text("uncertainty_m", i), fname,
                            where.split(f"{fname} ", 1)[1], geometry=geometry)
        out.append((name_key(name), place))
    if not out:
        raise FileFormatError(f"gazetteer {fname} has no places: add rows with name, lon, lat")
    return out


def _swap_hint(lon, lat) -> str:
    """' (did you swap lon and lat?)' where lon and lat (numbers or their text) would be in range exchanged, else ''."""
    try:
        swapped = -90 <= float(lon) <= 90 and -180 <= float(lat) <= 180
    except (TypeError, ValueError):
        return ""
    return " (did you swap lon and lat?)" if swapped else ""



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
    con = connect()
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
        for k, p in user_places(gazetteer):
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

def validate_near(near) -> tuple[float, float] | None:
    if near is None:
        return None
    try:
        lon, lat = (float(v) for v in near)
    except (TypeError, ValueError):
        raise CoordinateError(f"near={near!r} is not a (lon, lat) pair of numbers: give near=(lon, lat)") from None
    return check_lonlat(lon, lat, "near")


def online_candidates(query: str, country: str | None, limit: int) -> list[Place]:
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



def clear_caches() -> None:
    """Forget the cached user gazetteers, district features and this thread's index connection (tests)."""
    user_places_cached.cache_clear()
    layer_features.cache_clear()
    con = getattr(_local, "con", None)
    if con is not None:
        con.close()
        _local.con = None
