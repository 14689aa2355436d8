"""Compact incident columns for the map page: typed arrays and a string dictionary in one gzip block.

The page carries its incidents as one base64 text of concatenated zlib
streams, one per segment (the browser's own ``DecompressionStream`` inflates
them, in parallel; nothing is fetched).  The segments:

* ``strings``: the UTF-8 JSON list of every distinct text (labels, dates,
  notes, sections, sentences).  The page parses it with ``JSON.parse``; no text
  is ever interpreted as HTML, and base64 cannot contain markup, so the block
  cannot end its ``<script>`` element;
* one segment per column: ``i32`` (scaled integers: degrees x 1e6, metres x
  10; ``NULL_I32`` is null), ``u32`` (indexes into ``strings``), ``u16``,
  ``u8`` or ``i8``.  Four-byte columns are stored byte-plane by byte-plane
  (all first bytes, then all second bytes, ...), which gzip packs far better.

:func:`decode_block` reverses it (tests, and anyone reading a saved map).
"""

from __future__ import annotations

import base64
import json
import os
import zlib
from typing import Any

#: the i32 sentinel for "no value"
NULL_I32 = -2147483648
#: numpy dtype per code
DTYPES = {"i32": "<i4", "u32": "<u4", "u16": "<u2", "u8": "u1", "i8": "i1"}
#: zlib level: 6 is zlib's default; the maps are written once and opened often
GZIP_LEVEL = 6


def scaled_i32(values, scale: float):
    """Floats (NaN/None = null) as rounded ``int32`` of ``value * scale``; out-of-range values raise ValueError."""
    import numpy as np

    x = np.asarray(values, dtype=float) * scale
    ok = np.isfinite(x)
    if ok.any() and np.abs(x[ok]).max() >= 2**31 - 1:
        raise ValueError(f"value too large for the map's integer encoding (scale {scale})")
    out = np.full(x.shape, NULL_I32, dtype="<i4")
    out[ok] = np.rint(x[ok]).astype("<i4")
    return out


def _shuffle(raw: bytes, itemsize: int) -> bytes:
    import numpy as np

    if itemsize == 1 or not raw:
        return raw
    return np.frombuffer(raw, dtype="u1").reshape(-1, itemsize).T.tobytes()


def _unshuffle(raw: bytes, itemsize: int) -> bytes:
    import numpy as np

    if itemsize == 1 or not raw:
        return raw
    return np.frombuffer(raw, dtype="u1").reshape(itemsize, -1).T.tobytes()


def _deflate(raw: bytes) -> bytes:
    return zlib.compress(raw, GZIP_LEVEL)


def encode_block(columns: dict[str, Any], strings: list[str], scales: dict[str, float]) -> tuple[dict, str]:
    """Pack ``columns`` (name -> numpy array of a :data:`DTYPES` kind) and ``strings``.

    Each segment is compressed on its own (zlib format, in threads), so the
    page can inflate them in parallel.  Returns ``(header, text)``: ``header``
    (JSON-ready) lists each segment's name, type, item count, scale and its
    byte range in the compressed stream; ``text`` is the stream's base64.
    """
    from concurrent.futures import ThreadPoolExecutor

    import numpy as np

    raws: list[bytes] = []
    segments = []
    text = json.dumps(strings, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    raws.append(text)
    segments.append({"name": "strings", "type": "json", "count": len(text), "scale": None})
    for name, arr in columns.items():
        kind = next(k for k, dt in DTYPES.items() if np.dtype(dt) == np.asarray(arr).dtype)
        a = np.ascontiguousarray(arr, dtype=DTYPES[kind])
        raws.append(_shuffle(a.tobytes(), a.dtype.itemsize))
        segments.append({"name": name, "type": kind, "count": int(a.size), "scale": scales.get(name)})
    with ThreadPoolExecutor(max_workers=min(4, os.cpu_count() or 1)) as pool:  # zlib releases the GIL
        packed = list(pool.map(_deflate, raws))
    offset = 0
    for seg, comp in zip(segments, packed):
        seg["offset"], seg["bytes"] = offset, len(comp)
        offset += len(comp)
    return {"segments": segments, "bytes": offset, "shuffled": True, "format": "deflate"}, \
        base64.b64encode(b"".join(packed)).decode("ascii")


def decode_block(header: dict, text: str) -> dict[str, Any]:
    """The inverse of :func:`encode_block`: ``{"strings": [...], name: numpy array (raw integers), ...}``."""
    import numpy as np

    stream = base64.b64decode(text)
    out: dict[str, Any] = {}
    for seg in header["segments"]:
        raw = zlib.decompress(stream[seg["offset"]:seg["offset"] + seg["bytes"]])
        if seg["type"] == "json":
            out[seg["name"]] = json.loads(raw.decode("utf-8"))
            continue
        dt = np.dtype(DTYPES[seg["type"]])
        if header.get("shuffled"):
            raw = _unshuffle(raw, dt.itemsize)
        out[seg["name"]] = np.frombuffer(raw, dtype=dt)
    return out
