"""The one table of file suffixes and the formats geomap reads or writes them as.

Standard library only.  Every module that decides a format from a file name
asks here (:func:`format_of`), so reading and writing agree on what ``.txt``
or ``.json`` means.
"""

from __future__ import annotations

from pathlib import Path

#: suffix (lower case, with the dot) -> format name
SUFFIX_FORMATS: dict[str, str] = {
    ".csv": "csv",
    ".tsv": "tsv",
    ".tab": "tsv",
    ".txt": "text",  # delimited text when read (Excel "Unicode Text"), a plain table when written
    ".json": "json",  # GeoJSON, or an ACLED/UCDP API response, when read
    ".geojson": "geojson",
    ".parquet": "parquet",
    ".geoparquet": "parquet",
    ".pq": "parquet",
    ".gpkg": "gpkg",
    ".kml": "kml",
    ".kmz": "kml",
    ".shp": "shapefile",
    ".fgb": "flatgeobuf",
    ".gml": "gml",
    ".gdb": "filegdb",
    ".md": "markdown",
    ".html": "html",
    ".png": "png",
    # formats geomap writes to no output: named so that -o refuses them rather than filling them with text
    ".xlsx": "xlsx",
    ".xls": "xls",
    ".ods": "ods",
    ".gz": "gzip",
    ".zip": "zip",
    ".bz2": "bzip2",
    ".xz": "xz",
    ".zst": "zstd",
    ".7z": "7z",
}

#: formats read as delimited text (one table of rows)
TABULAR = frozenset({"csv", "tsv", "text"})
#: formats read with pyarrow as (Geo)Parquet
PARQUET = frozenset({"parquet"})
#: formats that may be GeoJSON (read by the GeoJSON fast path first)
JSON = frozenset({"json", "geojson"})
#: file formats a batch result can be written as (``-o PATH``)
RESULT_FILES = ("csv", "geojson", "gpkg", "parquet")
#: formats of text output (``--format``) a suffix implies
TEXT_OUTPUT = {"json": "json", "csv": "csv", "geojson": "geojson", "text": "table", "markdown": "table"}


def format_of(path) -> str | None:
    """The format a file name's suffix says (see :data:`SUFFIX_FORMATS`), or None."""
    return SUFFIX_FORMATS.get(Path(str(path)).suffix.lower())


def suffixes_of(*formats: str) -> tuple[str, ...]:
    """The suffixes of the given formats, in table order (e.g. ``suffixes_of("parquet")``)."""
    return tuple(s for s, f in SUFFIX_FORMATS.items() if f in formats)


def is_tabular(path) -> bool:
    """Whether ``path`` is read as delimited text (CSV, TSV, .txt)."""
    return format_of(path) in TABULAR


def is_parquet(path) -> bool:
    """Whether ``path`` is read as (Geo)Parquet."""
    return format_of(path) in PARQUET
