"""Positions people paste that are not two numbers: map links, ``geo:`` URIs, Plus Codes, MGRS references.

Standard library only at import (the CLI parses ``--at`` with it at start-up);
Plus Codes and MGRS are decoded by their libraries (``openlocationcode``,
``mgrs``), imported when one is given.

Links write latitude first, whatever ``--at``/``--latlon`` say:

* Google Maps: a place's pin ``!3d<lat>!4d<lon>``, else ``q=``/``query=``/``ll=``
  ``<lat>,<lon>``, else the view's centre ``/@<lat>,<lon>,<zoom>z``;
* OpenStreetMap: the marker ``mlat=``/``mlon=``, else the view ``#map=<zoom>/<lat>/<lon>``;
* ``geo:<lat>,<lon>`` (RFC 5870; Android's ``geo:0,0?q=<lat>,<lon>``).

A Plus Code or MGRS reference names a square: its centre is taken, and a
square wider than about 15 m (a Plus Code of fewer than 10 digits, an MGRS
reference of fewer than 4+4) is refused: its centre may be hundreds of
metres from the point meant.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qs, unquote, urlsplit

_NUM = r"[-+]?\d{1,3}(?:\.\d+)?"
_PAIR = re.compile(rf"^\s*({_NUM})\s*,\s*({_NUM})\s*$")
_PIN = re.compile(rf"!3d({_NUM})!4d({_NUM})")
_VIEW = re.compile(rf"/@({_NUM}),({_NUM})(?:,|$|/|\?)")
_OSM_VIEW = re.compile(rf"map=\d+(?:\.\d+)?/({_NUM})/({_NUM})")
_GEO = re.compile(rf"^geo:({_NUM}),({_NUM})(?:,{_NUM})?((?:;[^?]*)?)(?:\?(.*))?$", re.IGNORECASE)
_OLC_DIGITS = "23456789CFGHJMPQRVWX"
_PLUS_CODE = re.compile(rf"^[{_OLC_DIGITS}0]{{2,8}}\+[{_OLC_DIGITS}]*(?:\s+\S.*)?$", re.IGNORECASE)
_MGRS = re.compile(r"^(\d{1,2})\s*([C-HJ-NP-X])\s*([A-HJ-NP-Z]{2})\s*(\d*)\s*(\d*)$", re.IGNORECASE)
ACCEPTED = ("LON,LAT, degrees-minutes-seconds with N/S/E/W, a Google Maps or OpenStreetMap link, geo:LAT,LON, "
            "a full Plus Code (8HGGQQ9X+2X) or an MGRS reference of 8 or 10 digits (38TNL1234567890)")


class LinkError(ValueError):
    """A link, Plus Code or MGRS reference that gives no point; its message names the fix."""


def is_link(text: str) -> bool:
    """Whether ``text`` looks like a link, ``geo:`` URI, Plus Code or MGRS reference (not two numbers)."""
    t = str(text).strip()
    return bool(re.match(r"^(https?://|www\.|geo:|[a-z0-9.-]+\.[a-z]{2,}/)", t, re.IGNORECASE)
                or _PLUS_CODE.match(t) or _MGRS.match(t.upper()) and not _PAIR.match(t))


def parse_link(text: str) -> tuple[float, float]:
    """``(lon, lat)`` of a map link, ``geo:`` URI, Plus Code or MGRS reference; :class:`LinkError` (one line) when none."""
    t = str(text).strip()
    if t.lower().startswith("geo:"):
        return _geo(t)
    if _PLUS_CODE.match(t):
        return _plus_code(t)
    mgrs = _MGRS.match(t.upper())
    if mgrs:
        return _mgrs(t, mgrs)
    return _map_link(t)


def _lonlat(lat: str, lon: str) -> tuple[float, float]:
    return float(lon), float(lat)


def _map_link(t: str) -> tuple[float, float]:
    url = urlsplit(t if "://" in t else f"https://{t}")
    host, whole = url.netloc.lower(), unquote(t)
    if host.endswith(("goo.gl", "maps.app.goo.gl", "g.co")):
        raise LinkError(f"{t!r} is a shortened link, which holds no coordinates: open it and copy the link "
                         "from the address bar (or the coordinates)")
    query = {k.lower(): v[-1] for k, v in parse_qs(url.query).items()}
    if "/dir/" in url.path or "route=" in url.query or "route=" in url.fragment:  # directions: several places
        raise LinkError(f"{t!r} is a directions link, which holds several places: copy the link of one place")
    pins = {m for m in _PIN.findall(whole)}
    if len(pins) > 1:
        raise LinkError(f"{t!r} holds {len(pins)} different places: copy the link of one")
    if pins:
        return _lonlat(*pins.pop())
    if "mlat" in query and "mlon" in query:  # OpenStreetMap's marker
        return _lonlat(query["mlat"], query["mlon"])
    for key in ("q", "query", "ll", "sll", "center", "destination", "daddr"):
        pair = _PAIR.match(query.get(key, ""))
        if pair:
            return _lonlat(*pair.groups())
    for found in (_VIEW.search(url.path), _OSM_VIEW.search(url.fragment), _OSM_VIEW.search(url.query)):
        if found:
            return _lonlat(*found.groups())
    if "lat" in query and ("lon" in query or "lng" in query):
        return _lonlat(query["lat"], query.get("lon", query.get("lng")))
    raise LinkError(f"{t!r} is a link without coordinates in it: give {ACCEPTED}")


def _geo(t: str) -> tuple[float, float]:
    m = _GEO.match(t)
    if not m:
        raise LinkError(f"{t!r} is not a geo: URI of a point (geo:LAT,LON)")
    lat, lon, params, query = m.groups()
    crs = re.search(r";crs=([^;]+)", params or "", re.IGNORECASE)
    if crs and crs.group(1).lower() != "wgs84":
        raise LinkError(f"{t!r} is in {crs.group(1)}, not WGS84: give the position in WGS84 (geo:LAT,LON)")
    if float(lat) == 0 and float(lon) == 0 and query:  # Android: geo:0,0?q=lat,lon(label)
        pair = _PAIR.match(re.sub(r"\(.*\)$", "", unquote(parse_qs(query).get("q", [""])[-1])))
        if not pair:
            raise LinkError(f"{t!r} names no position (geo:0,0 with a search): give geo:LAT,LON")
        return _lonlat(*pair.groups())
    return _lonlat(lat, lon)


def _plus_code(t: str) -> tuple[float, float]:
    code = t.split()[0].upper()
    try:
        from openlocationcode import openlocationcode as olc
    except ImportError:  # pragma: no cover - a dependency of geomap
        raise LinkError(f"{t!r} is a Plus Code, and reading one needs the openlocationcode package "
                         "(pip install openlocationcode)") from None
    if not olc.isValid(code):
        raise LinkError(f"{t!r} is not a valid Plus Code: give {ACCEPTED}")
    if not olc.isFull(code) or len(t.split()) > 1:
        raise LinkError(f"{t!r} is a short Plus Code, which needs its town: give the full code "
                         "(8 characters before the +, e.g. 8HGGQQ9X+2X)")
    area = olc.decode(code)
    if area.codeLength < 10:
        raise LinkError(f"{t!r} is a Plus Code of an area about {_size(area)} wide, not a point: give its 10 or "
                         "more digits (about 14 m)")
    return area.longitudeCenter, area.latitudeCenter


def _size(area) -> str:
    metres = (area.latitudeHi - area.latitudeLo) * 111_000
    return f"{metres / 1000:.3g} km" if metres >= 1000 else f"{metres:.0f} m"


def _mgrs(t: str, m) -> tuple[float, float]:
    zone, band, square, east, north = m.groups()
    digits = east + north
    if not east and not north and len(digits) == 0:
        raise LinkError(f"{t!r} is an MGRS 100 km square, not a point: give 8 or 10 digits (10 m or 1 m)")
    if north == "" and len(east) % 2 == 0:  # written without a space: split in half
        east, north = east[: len(east) // 2], east[len(east) // 2:]
    if len(east) != len(north) or len(east) > 5:
        raise LinkError(f"{t!r} is not an MGRS reference: as many easting as northing digits (up to 5 each)")
    if len(east) < 4:
        raise LinkError(f"{t!r} is an MGRS square {10 ** (5 - len(east)):,} m wide, not a point: give 8 or 10 "
                         "digits (10 m or 1 m)")
    try:
        import mgrs
    except ImportError:  # pragma: no cover - a dependency of geomap
        raise LinkError(f"{t!r} is an MGRS reference, and reading one needs the mgrs package "
                         "(pip install mgrs)") from None
    centre = f"{zone}{band}{square}{(east + '5').ljust(5, '0')[:5]}{(north + '5').ljust(5, '0')[:5]}"
    if len(east) == 5:
        centre = f"{zone}{band}{square}{east}{north}"  # a 1 m square: its corner is within a metre
    try:
        lat, lon = mgrs.MGRS().toLatLon(centre.upper())
    except Exception:  # the library raises its own MGRSError and ctypes errors for unknown squares
        raise LinkError(f"{t!r} is not an MGRS reference that exists (zone, band and square)") from None
    return float(lon), float(lat)
