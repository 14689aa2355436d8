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

#: characters that separate degrees, minutes and seconds
_MARKS = re.compile(r"[°º˚′'’″\"”:]")
_HEMI = "NSEW"


def parse_angle(text: str) -> tuple[float, str | None]:
    """One angle in degrees and its hemisphere letter (N/S/E/W or None).

    Raises ValueError for text that is not an angle (minutes or seconds of
    60 or more, more than three numbers, a minus sign and any hemisphere
    letter together: ``-39.52N`` is a contradiction, not a southern latitude).
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
    parts = [p for p in _MARKS.sub(" ", t).split() if p]
    if not 1 <= len(parts) <= 3 or not all(re.fullmatch(r"\d+(?:[.,]\d+)?|\d*[.,]\d+", p) for p in parts):
        raise ValueError(f"{text!r} is not an angle")
    nums = [float(p.replace(",", ".")) for p in parts]
    if len(nums) > 1 and (any(n != int(n) for n in nums[:-1]) or any(n >= 60 for n in nums[1:])):
        raise ValueError(f"{text!r}: minutes and seconds must be under 60 (only the last part may have decimals)")
    value = nums[0] + sum(n / 60 ** (k + 1) for k, n in enumerate(nums[1:]))
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

    Raises ValueError with a one-line reason.
    """
    t = str(text).strip()
    if re.search(r"[^\W\dNSEWnsew_]", t):  # letters other than hemispheres: words, not coordinates
        raise ValueError(f"{text!r} is not two numbers")
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
            value, hemi = parse_angle(piece)
            if hemi is None:
                raise ValueError(f"{text!r}: give a hemisphere letter to both coordinates, or neither")
            found["lat" if hemi in "NS" else "lon"] = value
        if len(found) != 2:
            raise ValueError(f"{text!r} gives two {'latitudes' if 'lat' in found else 'longitudes'}: "
                             "one needs N/S, the other E/W")
        lon, lat = found["lon"], found["lat"]
    else:
        pieces = [p for p in re.split(r"\s*[,;]\s*", t) if p] if re.search(r"[,;]", t) else t.split()
        if len(pieces) != 2:
            raise ValueError(f"{text!r} is not two coordinates")
        a, _ = parse_angle(pieces[0])
        b, _ = parse_angle(pieces[1])
        lon, lat = (a, b) if order == "lonlat" else (b, a)
    if not (abs(lon) <= 180 and abs(lat) <= 90):
        raise ValueError(f"{text!r} is outside lon/lat range: longitude is -180..180, latitude -90..90")
    return lon, lat


def parse_column_angle(text: str, axis: str) -> float:
    """One coordinate of a file column (``axis`` ``"lon"`` or ``"lat"``) written in any form of :func:`parse_angle`.

    NaN when the text is not an angle, or its letter belongs to the other axis.
    """
    try:
        value, hemi = parse_angle(text)
    except (ValueError, IndexError):
        return float("nan")
    if hemi is not None and (hemi in "NS") != (axis == "lat"):
        return float("nan")
    return value
