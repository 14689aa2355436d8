"""What the commands print beside their result: the stderr summary, progress bars, written files.

The result itself is formatted by :mod:`geomap.report.text`; this module holds
only what needs click (echoing to stderr, progress bars).
"""

from __future__ import annotations

import sys

import click

from geomap.io import write as out


def emit_result(result, fmt: str, output) -> None:
    """Write a :class:`~geomap.pipeline.result.Result`: a file's rows by -o suffix, else as ``fmt`` text."""
    from geomap.io.tables import output_kind, write_result
    from geomap.report.text import result_text

    if result.frame is None:  # the Dask engine wrote -o itself
        return
    if result.incidents is None and output_kind(output) is not None:
        write_result(result, output)
        return
    out.emit(result_text(result, fmt), output)


def check_output_suffix(output, allowed, what: str) -> None:
    """Refuse -o PATH whose suffix names a format (:mod:`geomap.io.formats`) not in ``allowed``, before any work.

    Otherwise a known suffix the command does not write (.html, .png, .shp, .kml, .gpkg for text ...)
    would get the command's text under a name that promises another format.  Unknown suffixes, no
    suffix, ``-`` and devices keep the command's own output.
    """
    from pathlib import Path

    from geomap.io import formats

    if output is None or str(output) == "-":
        return
    kind = formats.format_of(output)
    if kind is None or kind in allowed:
        return
    name = Path(str(output)).name
    ends = ", ".join(formats.suffixes_of(*allowed)[:-1]) + " or " + formats.suffixes_of(*allowed)[-1]
    hint = {"html": "; for a map use --html PATH", "png": "; for a screenshot use --png PATH"}.get(kind, "")
    raise click.UsageError(f"-o {name}: geomap does not write {what} as {Path(name).suffix.lower()}: "
                           f"end -o with {ends}{hint}")


def text_files() -> tuple:
    """The formats -o of a text output may name: those --format writes (json, csv, geojson, a table in .txt/.md)."""
    from geomap.io.formats import TEXT_OUTPUT

    return tuple(TEXT_OUTPUT)


def batch_summary(result) -> str:
    """The stderr summary of a file's run: rows per status (adding up to the total), verdicts, first failures."""
    total = sum(result.summary.values())
    lines = [summary_line(result.summary, total)]
    if result.verdicts is not None:
        lines.append("verdicts: " + (", ".join(f"{k} {v}" for k, v in sorted(result.verdicts.items())) or "none"))
    for lid, ev in sorted(result.layers.items()):
        user = ev.get("layer_origin") == "user"
        acc = ev.get("layer_accuracy_m")
        start, end = ev.get("layer_valid_from"), ev.get("layer_valid_to")
        validity = f"valid {start or '-'}..{end or ''}, " if (start or end) else "no stated validity, "
        lines.append(f"layer {lid}: {ev.get('rows')} rows ({validity}"
                     + (f"accuracy {acc} m" if acc is not None else "no stated accuracy: intervals leave map error out")
                     + (f"; your own layer from {ev.get('original_file')}, sha256 {str(ev.get('layer_sha256'))[:12]}…"
                        if user else "") + ")")
    fails = result.failures(5)
    if fails:
        lines.append("first failures: " + "; ".join(f"{ident}: {status}" for ident, status in fails))
    return "\n".join(lines)


def progress_factory(quiet: bool):
    """A ``progress_factory(total)`` for file runs: a click progress bar on stderr, or None.

    None (no bar) with -q or when stderr is not a terminal.
    """
    if quiet or not sys.stderr.isatty():
        return None

    def make(total: int):
        return click.progressbar(length=total, label="measuring", file=sys.stderr, show_pos=True,
                                 show_eta=True)

    return make


def input_paths(source, line) -> list:
    """Files an output must not overwrite: the points FILE (every file of a glob), the layer and place files."""
    import glob

    paths = [line.layer, source.place_options.gazetteer, source.place_options.within]
    points = source.path
    if points and any(ch in str(points) for ch in "*?["):
        paths += glob.glob(str(points))
    else:
        paths.append(points)
    return paths


def summary_line(summary: dict, total: int) -> str:
    parts = ", ".join(f"{k} {v}" for k, v in sorted(summary.items()))
    return f"{total} rows: {parts}"


def echo_err(text: str, quiet: bool = False) -> None:
    if not quiet:
        click.echo(text, err=True)


def write_maps(result, *, html=None, png=None, quiet=False, title=None, online_tiles=False) -> None:
    """``--html``/``--png`` of any command: draw the map from ``result`` (folium loads only when asked)."""
    if not html and not png:
        return
    from geomap.maps.result import add_result_map

    written = add_result_map(result, html=html, png=png, title=title, online_tiles=online_tiles)
    for kind in ("html", "png"):
        if written.get(kind) is not None:
            echo_err(f"wrote {written[kind]}", quiet)
