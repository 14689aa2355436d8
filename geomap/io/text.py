"""Text formats of results: JSON, CSV and GeoJSON text, aligned text tables, kilometre strings.

Standard library only (the CLI imports it at start-up).  Writing the text
anywhere goes through :func:`geomap.io.write.open_output`.
"""

from __future__ import annotations

import csv
import io
import json
import math
from pathlib import Path
from typing import Any


def dumps(obj: Any) -> str:
    """JSON with sorted keys, two-space indent, UTF-8 text, NaN as null."""
    return json.dumps(clean_json(obj), sort_keys=True, indent=2, ensure_ascii=False, allow_nan=False)


def clean_json(obj, *, path_names: bool = False):
    """``obj`` made JSON-ready: NaN/inf as None, numpy scalars as Python numbers, paths as text, keys as text.

    ``path_names``: a path becomes its file name only (for pages people publish: no local folders).
    """
    if isinstance(obj, float):
        return obj if math.isfinite(obj) else None
    if isinstance(obj, dict):
        return {str(k): clean_json(v, path_names=path_names) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [clean_json(v, path_names=path_names) for v in obj]
    if hasattr(obj, "item") and callable(obj.item):  # numpy scalars
        try:
            return clean_json(obj.item(), path_names=path_names)
        except (TypeError, ValueError):
            return str(obj)
    if isinstance(obj, Path):
        return obj.name if path_names else str(obj)
    return obj


def to_csv(rows: list[dict[str, Any]], columns: list[str] | None = None) -> str:
    """Rows of flat dicts as CSV text (nested values as JSON)."""
    if columns is None:
        columns = []
        for row in rows:
            for key in row:
                if key not in columns:
                    columns.append(key)
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        out = []
        for col in columns:
            value = clean_json(row.get(col))
            if isinstance(value, (dict, list)):
                value = json.dumps(value, sort_keys=True, ensure_ascii=False)
            out.append("" if value is None else value)
        writer.writerow(out)
    return buf.getvalue()


def flatten(record: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    """Flatten nested dicts with ``_`` (lists stay as values)."""
    out: dict[str, Any] = {}
    for key, value in record.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            out.update(flatten(value, f"{name}_"))
        else:
            out[name] = value
    return out


def to_geojson(features: list[dict[str, Any]], extra: dict[str, Any] | None = None) -> str:
    """A FeatureCollection (lon/lat, RFC 7946) as text."""
    fc: dict[str, Any] = {"type": "FeatureCollection", "features": features}
    if extra:
        fc.update(extra)
    return dumps(fc)


def table(rows: list[list[str]], headers: list[str]) -> str:
    """A plain aligned text table (numbers right-aligned); cells' control characters escaped (:func:`safe_text`)."""
    rows = [[safe_text(cell) for cell in row] for row in rows]
    widths = [len(h) for h in headers]
    for row in rows:
        for i, cell in enumerate(row):
            widths[i] = max(widths[i], len(cell))

    def fmt(cells):
        parts = []
        for i, cell in enumerate(cells):
            numeric = cell.replace(".", "", 1).replace("-", "", 1).replace("–", "").strip().isdigit()
            parts.append(cell.rjust(widths[i]) if numeric else cell.ljust(widths[i]))
        return "  ".join(parts).rstrip()

    lines = [fmt(headers), fmt(["-" * w for w in widths])]
    lines += [fmt(r) for r in rows]
    return "\n".join(lines)


def km(value_m: float | None, digits: int = 2) -> str:
    """Metres as a kilometre string with ``digits`` decimals (10 m resolution by default)."""
    if value_m is None or (isinstance(value_m, float) and not math.isfinite(value_m)):
        return "n/a"
    return f"{value_m / 1000:.{digits}f}"


def safe_text(text) -> str:
    """``text`` with its control and format characters escaped (``a\\nb.csv`` for a newline): one line, no terminal codes.

    For names that come from outside (file names, layer ids, labels) on their way
    into messages and text output: a newline in a file name broke the one-line
    error and the text table, an escape sequence could rewrite the terminal.
    """
    text = str(text)
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() else c.encode("unicode_escape").decode("ascii") for c in text)
