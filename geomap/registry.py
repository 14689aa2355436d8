"""The shipped layers: where they live and what their metadata says.

Each layer is a folder ``<id>/`` holding ``layer.json`` (metadata) and its
geometry (GeoJSON, EPSG:4326).  In a source checkout the folders sit in the
top-level ``layers/`` directory; an installed wheel carries them as
``geomap/_layers``.

Standard library only: listing layers must not import geopandas.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from geomap.errors import LayerError, LayerNotFound


def layers_dir() -> Path:
    """Return the folder that holds the shipped layers."""
    here = Path(__file__).resolve().parent
    for candidate in (here / "_layers", here.parent / "layers"):
        if candidate.is_dir():
            return candidate
    raise LayerError(
        "the shipped layers are missing from this installation: reinstall geomap with 'pip install .'"
    )


@dataclass(frozen=True)
class Layer:
    """A shipped layer's metadata (see ``layers/README.md`` for the schema)."""

    id: str
    title: str
    kind: str
    path: Path
    theatre: str | None = None
    valid_from: str | None = None
    valid_to: str | None = None
    version: str | None = None
    sha256: str | None = None
    accuracy_m: float | None = None
    licence: str | None = None
    attribution: str | None = None
    area_layer: str | None = None
    meta: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)

    @classmethod
    def from_folder(cls, folder: Path) -> "Layer":
        meta_path = folder / "layer.json"
        try:
            meta = json.loads(meta_path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise LayerError(f"layer metadata {meta_path} is unreadable ({exc}): rebuild the layer") from None
        geometry = folder / meta.get("geometry_file", "data.geojson")
        return cls(
            id=meta.get("id", folder.name),
            title=meta.get("title", folder.name),
            kind=meta.get("kind", "line"),
            path=geometry,
            theatre=meta.get("theatre"),
            valid_from=meta.get("valid_from"),
            valid_to=meta.get("valid_to"),
            version=meta.get("version"),
            sha256=meta.get("sha256"),
            accuracy_m=meta.get("accuracy_m"),
            licence=meta.get("licence"),
            attribution=meta.get("attribution"),
            area_layer=meta.get("area_layer"),
            meta=meta,
        )


@lru_cache(maxsize=1)
def _all_layers() -> tuple[Layer, ...]:
    root = layers_dir()
    found = []
    for folder in sorted(p for p in root.iterdir() if p.is_dir()):
        if (folder / "layer.json").is_file():
            found.append(Layer.from_folder(folder))
    return tuple(found)


def list_layers() -> list[Layer]:
    """Return every shipped layer, sorted by id."""
    return list(_all_layers())


def get_layer(layer_id: str) -> Layer:
    """Return the shipped layer ``layer_id``; the error lists the ids that exist."""
    for layer in _all_layers():
        if layer.id == layer_id:
            return layer
    known = ", ".join(layer.id for layer in _all_layers()) or "none"
    raise LayerNotFound(f"no shipped layer is called {layer_id!r}: choose one of {known} (see 'geomap layers list')")


def file_sha256(path: str | Path) -> str:
    """Return the hex sha256 of a file's bytes."""
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
