"""Paths as published outputs may show them: file names only, never a user's local folders.

Evidence records, derived layers and result files are made to be shared; the
folders a user's files sit in are theirs (a home directory, a client's name).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Iterable

from geomap.io.text import safe_text


def public_name(value: Any) -> Any:
    """A path as published outputs may show it: the file name only (no user's local folders).

    Text that does not name a path (a layer id, ``-``, ``<memory>``) comes back
    unchanged but for control characters (:func:`safe_text`); anything that is
    not a str or Path comes back unchanged.
    """
    if isinstance(value, Path):
        value = str(value)
    if not isinstance(value, str) or value in ("", "-") or value.startswith("<"):
        return value
    if os.sep in value or (os.altsep and os.altsep in value) or value.startswith("~"):
        return safe_text(os.path.basename(value.rstrip(os.sep)) or value)
    return safe_text(value)


def public_command(argv: Iterable[str]) -> list[str]:
    """Command-line words with every path reduced to its file name (``--opt=PATH`` too), for evidence records."""
    out = []
    for word in argv:
        word = str(word)
        if word.startswith("-") and "=" in word:
            option, _, value = word.partition("=")
            out.append(f"{option}={public_name(value)}")
        elif not word.startswith("-"):
            out.append(public_name(word) if os.path.exists(word) or os.path.isabs(word) else word)
        else:
            out.append(word)
    return out
