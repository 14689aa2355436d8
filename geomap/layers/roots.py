"""Where layers live: the shipped folder, and the user's own layer store.

The user store is a per-user data folder (``platformdirs.user_data_path("geomap")/layers``),
or ``$GEOMAP_LAYERS_DIR`` when that is set.  It holds one folder per layer, laid
out like a shipped layer (``layer.json`` beside the geometry file); ``geomap layers add``
writes it (:mod:`geomap.layers.store`).  Standard library and platformdirs only.
"""

from __future__ import annotations

import os
from pathlib import Path

#: the environment variable that moves the user layer store (tests always set it)
ENV_VAR = "GEOMAP_LAYERS_DIR"


def user_layers_dir() -> Path:
    """The user layer store: ``$GEOMAP_LAYERS_DIR``, else the per-user data folder (may not exist yet).

    Raises
    ------
    InputError
        ``$GEOMAP_LAYERS_DIR`` is a relative path (after ``~`` is expanded):
        the store, and with it which layers ``--theatre``/``--layer ID`` find,
        would change with the working folder.
    """
    value = os.environ.get(ENV_VAR, "").strip()
    if value:
        path = Path(value).expanduser()
        if not path.is_absolute():
            from geomap.errors import InputError

            raise InputError(f"{ENV_VAR}={value!r} is a relative path: the layer store would move with the working "
                             f"folder; set it to an absolute path (e.g. {ENV_VAR}=\"$HOME/geomap-layers\")")
        return path
    import platformdirs

    return platformdirs.user_data_path("geomap", appauthor=False) / "layers"


def user_store_key() -> tuple[str, int]:
    """(store path, its folder's mtime in ns; -1 when absent): changes whenever a layer is added or removed."""
    root = user_layers_dir()
    try:
        return str(root), root.stat().st_mtime_ns
    except OSError:
        return str(root), -1


def layer_folders(root: str | Path) -> list[Path]:
    """The folders under ``root`` holding a ``layer.json`` (sorted; hidden work folders skipped)."""
    root = Path(root)
    if not root.is_dir():
        return []
    return sorted(p for p in root.iterdir()
                  if p.is_dir() and not p.name.startswith(".") and (p / "layer.json").is_file())
