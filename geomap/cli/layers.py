"""``geomap layers``: list, show and validate layers; derive a line from a control polygon."""

from __future__ import annotations

import json
from pathlib import Path

import click

from geomap.cli.options import FiniteFloat, verbosity_options

FORMATS = click.Choice(["table", "json"])



def _json(data) -> str:
    return json.dumps(data, sort_keys=True, indent=2, ensure_ascii=False)


def _size(counts: dict) -> str:
    if "length_km" in counts:
        return f"{counts['length_km']:,.1f} km"
    if "area_km2" in counts:
        return f"{counts['area_km2']:,.1f} km2"
    return "-"


def _table(rows: list[list[str]], header: list[str]) -> str:
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
    lines = ["  ".join(str(c).ljust(w) for c, w in zip(header, widths)).rstrip()]
    lines.append("  ".join("-" * w for w in widths))
    lines += ["  ".join(str(c).ljust(w) for c, w in zip(r, widths)).rstrip() for r in rows]
    return "\n".join(lines)


@click.group()
def layers():
    """List, show and check line-of-contact layers; derive a line from a polygon.

    Shipped layers are dated: a line or area layer of a theatre is valid from
    valid_from to valid_to, and measurements pick the one valid on the
    incident date.
    """


@layers.command("list")
@click.option("--format", "fmt", type=FORMATS, default="table", show_default=True, help="Output format.")
@click.option("--theatre", help="Only this theatre (e.g. nagorno-karabakh).")
@click.option(
    "--kind", type=click.Choice(["line", "area", "reference", "base", "districts"]), help="Only this kind of layer."
)
@verbosity_options
def list_command(fmt, theatre, kind):
    """List the shipped layers and your own (marked "user") with their validity dates and sizes."""
    from geomap.errors import LayerNotFound
    from geomap.layers.registry import list_layers, theatres

    if theatre is not None and theatre not in theatres():
        raise LayerNotFound(f"unknown theatre {theatre!r}: choose one of {', '.join(theatres())}")
    found = list_layers(theatre=theatre, kind=kind)
    if fmt == "json":
        click.echo(_json([dict(layer.meta, path=layer.shown_path, origin="user" if layer.user else "shipped")
                          for layer in found]))
        return
    click.echo(_grouped_table(found))


def _more_detailed(layer, found) -> str:
    """'yes' when another layer of the same theatre and kind overlaps in time and is less detailed."""
    if layer.kind not in ("line", "area") or not layer.valid_from:
        return ""
    rivals = [o for o in found if o.id != layer.id and o.theatre == layer.theatre and o.kind == layer.kind
              and o.valid_from and (o.valid_to or "9999") >= layer.valid_from
              and (layer.valid_to or "9999") >= o.valid_from]
    if not rivals:
        return ""
    return "more detailed" if all(layer.preference < o.preference for o in rivals) else "less detailed"


def _grouped_table(found) -> str:
    """The layers grouped by theatre (undated base/reference layers last), one table per theatre."""
    groups: dict[str, list] = {}
    for layer in found:
        groups.setdefault(layer.theatre or "-", []).append(layer)
    header = ["id", "kind", "source", "valid", "size", "accuracy", "detail", "checks", ""]
    out = []
    for theatre in sorted(groups, key=lambda t: (t == "-", t)):
        rows = []
        for layer in groups[theatre]:
            checks = layer.point_checks
            rows.append([
                layer.id + (" (experimental)" if layer.experimental else "") + (" (user)" if layer.user else ""),
                layer.kind,
                "user" if layer.user else (layer.meta.get("provider") or "-"),
                layer.validity,
                _size(layer.meta.get("counts", {})),
                f"{layer.accuracy_m / 1000:g} km" if layer.accuracy_m else "-",
                layer.meta.get("detail", "-"),
                f"{sum(1 for c in checks if c.get('agrees'))}/{len(checks)} right side" if checks else "-",
                _more_detailed(layer, found),
            ])
        out.append(f"{theatre if theatre != '-' else 'no theatre (base maps, reference lines)'}:")
        out.append(_table(rows, header))
        out.append("")
    return "\n".join(out).rstrip()


@layers.command("show")
@click.argument("layer_id")
@click.option("--format", "fmt", type=FORMATS, default="table", show_default=True, help="Output format.")
@verbosity_options
def show_command(layer_id, fmt):
    """Show a shipped layer's metadata: source, licence, dates, accuracy, omissions."""
    from geomap.layers.registry import get_layer

    layer = get_layer(layer_id)
    meta = dict(layer.meta, path=layer.shown_path)
    if fmt == "json":
        click.echo(_json(meta))
        return
    for key in ("id", "title", "kind", "theatre", "valid_from", "valid_to", "version", "crs", "sha256", "path"):
        click.echo(f"{key:>13}: {meta.get(key) if meta.get(key) is not None else '-'}")
    click.echo(f"{'bbox':>13}: {meta.get('bbox')}")
    counts = meta.get("counts", {})
    click.echo(f"{'counts':>13}: " + ", ".join(f"{k} {v}" for k, v in counts.items()))
    click.echo(f"{'accuracy_m':>13}: {meta.get('accuracy_m')}  ({meta.get('accuracy_note', '')})")
    for key in ("area_layer", "held_by", "role", "provider", "detail", "licence", "attribution"):
        if meta.get(key):
            click.echo(f"{key:>13}: {meta[key]}")
    for key, value in sorted(meta.get("source", {}).items()):
        click.echo(f"{'source.' + key:>13}: {value}")
    if meta.get("validity_note"):
        click.echo(f"{'validity':>13}: {meta['validity_note']}")
    for item in meta.get("omits", []):
        click.echo(f"{'omits':>13}: {item}")
    for item in meta.get("caveats", []) or []:
        click.echo(f"{'caveat':>13}: {item}")
    for err in layer.known_errors:
        when = f" ({err.get('valid_from', '')}..{err.get('valid_to', '')})" if err.get("valid_from") or err.get("valid_to") else ""
        click.echo(f"{'known error':>13}: {err['place']} ({err['lon']}, {err['lat']}, within {err['radius_m'] / 1000:g} km)"
                   f"{when}: {err['what']} [source: {err['source']}]")
    checks = layer.point_checks
    if checks:
        click.echo(f"{'point checks':>13}: {sum(1 for c in checks if c['agrees'])} of {len(checks)} places on the right side")
        rows = [[c["place"], c["expected"], c["measured"], f"{c['distance_m'] / 1000:.2f}",
                 "ok" if c["agrees"] else "WRONG SIDE", c["source"]] for c in checks]
        click.echo(_table(rows, ["place", "really", "layer puts it", "km from line", "", "coordinates from"]))
    click.echo(f"{'notes':>13}: {meta.get('notes', '')}")


@layers.command("validate")
@click.argument("path", type=click.Path(exists=True, path_type=Path))
@click.option("--format", "fmt", type=FORMATS, default="table", show_default=True, help="Output format.")
@verbosity_options
def validate_command(path, fmt):
    """Check a layer folder, a layer.json or any vector file.

    Checks the CRS, readable non-empty features, geometry validity and the
    lon/lat range; with a layer.json (given, or beside the file) also the
    metadata schema, sha256, counts and bbox.  Exits 1 if there are problems.
    """
    from geomap.layers.check import validate_path

    report = validate_path(path)
    if fmt == "json":
        click.echo(_json(report.to_dict()))
    elif report.ok:
        click.echo(f"ok: {report.path} ({report.features} feature(s), {report.crs}; checked {', '.join(report.checks)})")
        for item in report.notes:
            click.echo(f"note: {item}")
    else:
        click.echo(f"{len(report.problems)} problem(s) in {report.path}:")
        for problem in report.problems:
            click.echo(f"- {problem}")
        for item in report.notes:
            click.echo(f"note: {item}")
    if not report.ok:
        raise SystemExit(1)


def _source_or_none(value: str | None):
    if value is None:
        return None
    return None if value.lower() == "none" else value


@layers.command("derive-line")
@click.argument("area")
@click.option("-o", "--output", "out", required=True, type=click.Path(path_type=Path),
              help="GeoJSON file to write (written atomically; never over an input).")
@click.option("--border", default="auto", show_default=True,
              help="Border lines to drop: a layer id, a file, 'auto' (finest shipped borders covering the area) or 'none'.")
@click.option("--land", default="ne-countries-50m", show_default=True,
              help="Land polygons for the coastline test: a layer id, a file or 'none'.")
@click.option("--tolerance-m", type=FiniteFloat(min=0), default=500.0, show_default=True,
              help="Drop boundary parts within this many metres of a border or coast.")
@click.option("--side", metavar="FIELD=VALUE|all",
              help="Pick the held side's polygons (e.g. side=UA); when the other side's polygons touch them the "
                   "line is the shared edge.  Required when polygons share an edge; 'all' if they are one side.")
@click.option("--format", "fmt", type=FORMATS, default="table", show_default=True, help="Format of the summary on stdout.")
@verbosity_options
def derive_line_command(area, out, border, land, tolerance_m, side, fmt):
    """Derive a line of contact from the control polygon AREA (layer id or file).

    The line is AREA's boundary minus the parts along an international border
    or a coast (within --tolerance-m), measured in a local azimuthal
    equidistant projection with a stated error bound.  When AREA holds both
    sides' polygons, --side FIELD=VALUE picks one side and the line is the
    edge the two sides share.
    """
    from geomap.cli.formatting import check_output_suffix
    from geomap.io.write import guard_output
    from geomap.layers.derive import derive_line

    guard_output(out, [area, border, land])
    check_output_suffix(out, ("geojson", "json"), "a derived line")
    result = derive_line(
        area, border=_source_or_none(border), land=_source_or_none(land), tolerance_m=tolerance_m, out=out,
        side=side,
    )
    summary = dict(result.summary(), output=out.name)  # names, never folders: the summary gets pasted
    if fmt == "json":
        click.echo(_json(summary))
        return
    if summary.get("mode") == "shared-edge":
        click.echo(f"wrote {out}: {summary['pieces']} piece(s), {summary['line_km']:.1f} km of line: the edge "
                   f"{side} shares with the other side's polygons ({summary['boundary_km']:.1f} km of boundary)")
        if summary.get("unassigned_km2"):  # holes and polygons naming no side: the file alone cannot say so
            click.echo(f"note: the map leaves {summary['unassigned_km2']:,.1f} km2 inside it to neither side (holes, "
                       "contested polygons) and the front may run through them; this line file alone does not say "
                       "so: measure with 'geomap layers add --derive-line' and --theatre, which widens the intervals "
                       "near them", err=True)
        return
    click.echo(
        f"wrote {out}: {summary['pieces']} piece(s), {summary['line_km']:.1f} km of line from "
        f"{summary['boundary_km']:.1f} km of boundary ({summary['removed_border_km']:.1f} km along borders, "
        f"{summary['removed_coast_km']:.1f} km along coasts removed; tolerance {tolerance_m:g} m "
        f"+/- {summary['tolerance_error_m']:g} m)"
    )


@layers.command("add")
@click.argument("path", type=click.Path(exists=True, path_type=Path))
@click.option("--theatre", required=True, help="Theatre name for your layers (lower-case, e.g. ukraine-mine).")
@click.option("--valid-from", help="First day the file describes (YYYY-MM-DD); default: the date in its name.")
@click.option("--valid-to", help="Last day the (last) version is valid; default: open.")
@click.option("--kind", type=click.Choice(["line", "area"]), default="line", show_default=True)
@click.option("--accuracy-m", type=float, help="Stated accuracy of the geometry, metres.")
@click.option("--title", help="A title for the layer.")
@click.option("--source", "source_text", help="Where the data come from (recorded, shown in evidence).")
@click.option("--licence", help="The data's licence or terms (recorded, shown in evidence).")
@click.option("--id", "layer_id", help="Layer id (one file only); default THEATRE-KIND-DATE.")
@click.option("--held-by", help="Who holds an area (area layers, --derive-line).")
@click.option("--date-pattern", help="How dates are written in file names, strptime codes: e.g. 'FrontLine_%y_%m_%d'.")
@click.option("--date-col", help="One file, one date per feature: each date a version.")
@click.option("--valid-from-col", help="One file, validity per feature: its first day...")
@click.option("--valid-to-col", help="...and its last day (blank: open).")
@click.option("--derive-line", "derive", is_flag=True,
              help="The files are control maps: store each version's derived line and its held area.")
@click.option("--side", metavar="FIELD=VALUE|all", help="With --derive-line: the held side's polygons.")
@click.option("--border", default="auto", show_default=True, help="With --derive-line: as for derive-line.")
@click.option("--land", default="ne-countries-50m", show_default=True, help="With --derive-line: as for derive-line.")
@click.option("--tolerance-m", type=click.FloatRange(min=0), default=500.0, show_default=True,
              help="With --derive-line: as for derive-line.")
@click.option("--format", "fmt", type=FORMATS, default="table", show_default=True, help="Output format.")
@verbosity_options
def add_command(path, theatre, valid_from, valid_to, kind, accuracy_m, title, source_text, licence, layer_id,
                held_by, date_pattern, date_col, valid_from_col, valid_to_col, derive, side, border, land,
                tolerance_m, fmt):
    """Add your own dated line or control map (a file, or a folder of dated files) to your layer store.

    The file is checked as by 'layers validate' and copied into the store
    ($GEOMAP_LAYERS_DIR, else a per-user data folder) with its sha256, original
    name, validity, and the accuracy, source and licence you state.  Then
    --theatre THEATRE measures each incident against the version valid on its
    date, exactly as for shipped layers.  A folder adds every vector file, each
    dated by its name (YYYY-MM-DD or YYYYMMDD, or --date-pattern); each version
    is valid until the day before the next.
    """
    from geomap.layers.store import add_layers

    added = add_layers(
        path, theatre=theatre, kind=kind, valid_from=valid_from, valid_to=valid_to, accuracy_m=accuracy_m,
        title=title, source=source_text, licence=licence, layer_id=layer_id, held_by=held_by,
        date_pattern=date_pattern, date_col=date_col, valid_from_col=valid_from_col, valid_to_col=valid_to_col,
        derive=derive, side=side, border=_source_or_none(border), land=_source_or_none(land), tolerance_m=tolerance_m,
    )
    if fmt == "json":
        click.echo(_json([dict(layer.meta) for layer in added]))
        return
    rows = [[layer.id, layer.kind, layer.validity, layer.meta.get("original_file", ""),
             _size(layer.meta.get("counts", {}))] for layer in added]
    click.echo(_table(rows, ["id", "kind", "valid", "from file", "size"]))
    click.echo(f"added {len(added)} layer(s) to theatre {theatre}; measure with --theatre {theatre}")
    if accuracy_m is None:
        click.echo("note: no --accuracy-m given: intervals will cover only the incidents' own location uncertainty",
                   err=True)


@layers.command("remove")
@click.argument("layer_id")
@verbosity_options
def remove_command(layer_id):
    """Remove one of your own layers (added with 'layers add') from your layer store."""
    from geomap.layers.store import remove_layer

    for removed in remove_layer(layer_id):
        click.echo(f"removed {removed}")
