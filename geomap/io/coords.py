"""Coordinates as people write them: decimal degrees, degrees-minutes-seconds, hemisphere letters.

Standard library only (the CLI parses ``--at`` with it at start-up).

Accepted, for one angle: ``39.52``, ``-39.52``, ``39,52`` (decimal comma),
``39.52N``, ``N39.52``, ``39°31′12″N``, ``39°31'12"N``, ``39 31 12 N``,
``39°31.2′N`` (decimal minutes).  S and W make it negative (a minus
sign with any letter is refused);
N/S mark a latitude and E/W a longitude, so a pair with letters can be
written in either order.
"""

from __future__ import annotations

import re

from geomap.io.links import is_link, parse_link

#: characters that separate degrees, minutes and seconds
_MARKS = re.compile(r"[°º˚′'’″\"”:]")
#: a run of separators between the numbers of an angle (marks or spaces)
_SEPARATORS = re.compile(r"([°º˚′'’″\"”:\s]+)")
_NUMBER = re.compile(r"\d+(?:[.,]\d+)?|\d*[.,]\d+")
_HEMI = "NSEW"
#: the largest angle of each axis (None: either)
_LIMIT = {"lat": 90.0, "lon": 180.0, None: 180.0}


class AmbiguousCoordinate(ValueError):
    """Text that reads as two different coordinates (a stray space, a comma that may be a decimal comma)."""


def _dms_value(parts: list[str]) -> float | None:
    """Degrees of the numbers ``parts`` read as degrees[, minutes[, seconds]]; None when they are not an angle."""
    if not 1 <= len(parts) <= 3 or not all(_NUMBER.fullmatch(p) for p in parts):
        return None
    nums = [float(p.replace(",", ".")) for p in parts]
    if len(nums) > 1 and (any(n != int(n) for n in nums[:-1]) or any(n >= 60 for n in nums[1:])):
        return None
    return nums[0] + sum(n / 60 ** (k + 1) for k, n in enumerate(nums[1:]))


def parse_angle(text: str, axis: str | None = None) -> tuple[float, str | None]:
    """One angle in degrees and its hemisphere letter (N/S/E/W or None).

    ``axis`` (``"lon"``, ``"lat"`` or None) is the axis the angle is read
    for; N/S make it a latitude whatever ``axis`` says.

    Raises ValueError for text that is not an angle (minutes or seconds of
    60 or more, more than three numbers, a minus sign and any hemisphere
    letter together: ``-39.52N`` is a contradiction, not a southern latitude),
    and for numbers parted by bare spaces that also read as one number in
    range: ``4 7.03`` is 4°7.03′ or 47.03 with a stray space, ``47 .03`` is
    47°0.03′ or 47.03; the writer must say which (``47.03`` or ``4°7.03′``).
    Bare spaces that cannot be inside one number (``39 31 12``: 393112° is no
    angle; ``1 30`` as a latitude) stay degrees, minutes and seconds.
    """
    t = str(text).strip().upper()
    hemi = None
    if t[:1] in _HEMI:
        hemi, t = t[0], t[1:].strip()
    elif t[-1:] in _HEMI:
        hemi, t = t[-1], t[:-1].strip()
    sign = 1.0
    if t[:1] in "+-−":
        sign, t = (-1.0 if t[0] in "-−" else 1.0), t[1:].strip()
    if not t:
        raise ValueError(f"{text!r} has no number")
    if "," in t and "." not in t and t.count(",") == 1 and re.fullmatch(r"\d+,\d+", t):
        t = t.replace(",", ".")  # a decimal comma
    tokens = [p for p in _SEPARATORS.split(t)]
    if tokens and tokens[0] == "":
        tokens = tokens[2:]  # separators before the first number
    if tokens and tokens[-1] == "":
        tokens = tokens[:-2]  # marks after the last number (39°31′12″)
    parts, gaps = tokens[0::2], tokens[1::2]
    value = _dms_value(parts)
    if value is None:
        if len(parts) > 1 and all(_NUMBER.fullmatch(p) for p in parts) and 1 <= len(parts) <= 3:
            raise ValueError(f"{text!r}: minutes and seconds must be under 60 (only the last part may have decimals)")
        raise ValueError(f"{text!r} is not an angle")
    limit = _LIMIT["lat" if hemi in ("N", "S") else "lon" if hemi in ("E", "W") else axis]
    bare = [k for k, gap in enumerate(gaps) if not _MARKS.search(gap)]
    for mask in range(1, 2 ** len(bare)):
        joined = {bare[b] for b in range(len(bare)) if mask >> b & 1}
        other = [parts[0]]
        for k, part in enumerate(parts[1:]):
            other[-1:] = [other[-1] + part] if k in joined else [other[-1], part]
        alternative = _dms_value(other) if not re.match(r"0\d", other[0]) else None  # nobody writes 030
        if alternative is not None and alternative <= limit and alternative != value:
            written = " ".join(other) if len(other) > 1 else other[0].replace(",", ".")
            raise AmbiguousCoordinate(f"{text!r} is ambiguous: degrees and minutes ({value:.6g}°), or {written} with a "
                             "stray space? Write the number without spaces, or mark degrees and minutes with ° and ′")
    if hemi is not None and sign < 0:
        # '-39.52N' contradicts itself (and '-39.52S' is ambiguous): never pick a hemisphere for the writer
        raise ValueError(f"{text!r} has both a minus sign and the hemisphere letter {hemi}: give one or the other")
    if hemi in ("S", "W"):
        sign = -1.0
    return sign * value, hemi


def parse_position(text: str, order: str = "lonlat") -> tuple[float, float]:
    """``(lon, lat)`` degrees from a written pair.

    With hemisphere letters the letters say which number is which
    (``39°31′12″N 47°01′54″E``, ``39.52N 47.03E``); without, the numbers are
    in ``order`` (``"lonlat"``, geomap's ``LON,LAT``, or ``"latlon"``, what
    Google Maps copies), separated by a comma, semicolon or space.

    A map link (Google Maps, OpenStreetMap), ``geo:`` URI, Plus Code or MGRS
    reference is read by :mod:`geomap.io.links` (links are latitude first,
    whatever ``order`` says).

    Raises ValueError with a one-line reason.
    """
    t = str(text).strip()
    if is_link(t):  # a map link, geo: URI, Plus Code or MGRS reference: its own order, whatever ``order`` says
        lon, lat = parse_link(t)
    elif re.search(r"[^\W\dNSEWnsew_]", t):  # letters other than hemispheres: words, not coordinates
        raise ValueError(f"{text!r} is not two numbers")
    else:
        lon, lat = _lettered_or_not(text, t, order)
    if not (abs(lon) <= 180 and abs(lat) <= 90):
        raise ValueError(f"{text!r} is outside lon/lat range: longitude is -180..180, latitude -90..90")
    return lon, lat


def _lettered_or_not(text: str, t: str, order: str) -> tuple[float, float]:
    """``(lon, lat)`` of two numbers, with hemisphere letters or in ``order``."""
    letters = re.search(r"[NSEWnsew]", t) is not None
    if letters:
        up = t.upper()
        if up[:1] in _HEMI:
            pieces = re.split(r"\s*[,;]?\s*(?=[NSEW])", up)
        else:
            pieces = re.split(r"(?<=[NSEW])\s*[,;]?\s*", up)
        pieces = [p for p in pieces if p.strip()]
        if len(pieces) != 2:
            raise ValueError(f"{text!r} is not two coordinates with hemisphere letters (e.g. 39.52N 47.03E)")
        found = {}
        for piece in pieces:
            value, hemi = parse_angle(piece)  # the letter gives the axis
            if hemi is None:
                raise ValueError(f"{text!r}: give a hemisphere letter to both coordinates, or neither")
            found["lat" if hemi in "NS" else "lon"] = value
        if len(found) != 2:
            raise ValueError(f"{text!r} gives two {'latitudes' if 'lat' in found else 'longitudes'}: "
                             "one needs N/S, the other E/W")
        lon, lat = found["lon"], found["lat"]
    else:
        lon, lat = _unlettered_position(text, t, order)
    return lon, lat


def _unlettered_position(text: str, t: str, order: str) -> tuple[float, float]:
    """``(lon, lat)`` of two numbers without hemisphere letters, in ``order``.

    A semicolon parts the two (then a comma is a decimal comma: ``46,75;39,8``);
    else a comma; else spaces.  Text with both a comma and spaces has two
    readings (``47,5 39``: 47 and 5°39′, or 47.5 and 39): it is refused when
    both give a position and they differ, and read when only one does
    (``47,5 39,8``).
    """
    axes = ("lon", "lat") if order == "lonlat" else ("lat", "lon")
    if ";" in t:
        splits = [re.split(r"\s*;\s*", t)]
    elif "," in t:
        splits = [re.split(r"\s*,\s*", t)]
        if re.search(r"\S\s+\S", t):
            splits.append(t.split())
    else:
        splits = [t.split()]
    readings, first_error = [], None
    for pieces in splits:
        pieces = [p for p in pieces if p]
        try:
            if len(pieces) != 2:
                raise ValueError(f"{text!r} is not two coordinates")
            values = dict(zip(axes, (parse_angle(piece, axis)[0] for piece, axis in zip(pieces, axes))))
            readings.append((values["lon"], values["lat"]))
        except AmbiguousCoordinate:
            raise  # one reading that is itself two: never settled by another reading
        except ValueError as exc:
            first_error = first_error or exc
    if not readings:
        raise first_error
    if len(set(readings)) > 1:
        (a, b), (c, d) = readings[:2]
        shown = ((b, a), (d, c)) if order == "latlon" else ((a, b), (c, d))
        raise AmbiguousCoordinate(f"{text!r} is ambiguous: {shown[0][0]:.6g} and {shown[0][1]:.6g}, or "
                         f"{shown[1][0]:.6g} and {shown[1][1]:.6g} (a comma between the numbers, or a decimal "
                         "comma)? Write decimal points, or part the numbers with ';'")
    return readings[0]


def parse_column_angle(text: str, axis: str) -> float:
    """One coordinate of a file column (``axis`` ``"lon"`` or ``"lat"``) written in any form of :func:`parse_angle`.

    NaN when the text is not an angle, or its letter belongs to the other axis.
    """
    try:
        value, hemi = parse_angle(text, axis)
    except (ValueError, IndexError):
        return float("nan")
    if hemi is not None and (hemi in "NS") != (axis == "lat"):
        return float("nan")
    return value
