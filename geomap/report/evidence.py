"""A short Markdown evidence record a fact-checker can attach to a published finding."""

from __future__ import annotations

import datetime as _dt
import re
from pathlib import Path
from typing import Any

from geomap.errors import InputError

_MD_SPECIAL = re.compile(r"([\\`*_\[\]|~])")


def md(text: Any) -> str:
    """Untrusted text made inert in Markdown: HTML escaped, Markdown syntax backslash-escaped, one line."""
    s = " ".join(str(text).split())
    s = s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _MD_SPECIAL.sub(r"\\\1", s)


def code(text: Any) -> str:
    r"""Untrusted text as one inline code span: shown literally (a renderer escapes HTML inside it).

    :func:`md`'s escapes would show as typed inside backticks (``\_``, ``&lt;``); a code span needs
    none, only a fence longer than any run of backticks in the text (CommonMark 6.1).
    """
    s = " ".join(str(text).split())
    fence = "`" * (max((len(run) for run in re.findall(r"`+", s)), default=0) + 1)
    pad = " " if s.startswith("`") or s.endswith("`") else ""
    return f"{fence}{pad}{s}{pad}{fence}"


def fenced(text: Any) -> list[str]:
    """Untrusted text as a fenced code block, verbatim (line breaks kept): the block's lines.

    The fence is longer than any run of backticks in the text (at least three), so no line of the
    text can close the block early (CommonMark 4.5); a renderer escapes HTML inside it.
    """
    s = str(text)
    fence = "`" * max(3, max((len(run) for run in re.findall(r"`+", s)), default=0) + 1)
    return [fence, s, fence]


def _km(value_m) -> str:
    return "n/a" if value_m is None else f"{value_m / 1000:.2f} km"


def evidence_markdown(result, *, command: str | None = None, map_file: str | None = None,
                      generated: _dt.datetime | None = None) -> str:
    """The evidence record of a :class:`geomap.pipeline.result.Result` with a claim, as Markdown text.

    Raises TypeError for anything but a Result (``result.rows()``, a row, a
    frame: the record needs the claim and every row) and InputError for a
    Result measured without a claim.
    """
    from geomap.report.versions import software_versions

    if not (callable(getattr(result, "rows", None)) and hasattr(result, "claim")):
        raise TypeError(f"evidence_markdown() takes the Result that geomap.measure(..., claim=...) returns; got a "
                        f"{type(result).__name__}: pass the result itself (not result.rows() or result.frame)")
    if result.claim is None:
        raise InputError("evidence_markdown() needs a result with a claim: measure with claim=\"...\" "
                         "(the record states the claim, its readings and the verdict)")

    generated = generated or _dt.datetime.now(_dt.timezone.utc).replace(microsecond=0)
    claim = result.claim
    rows = result.rows()
    first = next((r for r in rows if r.measured), None)
    ev = dict(first.evidence) if first else {}
    lines = [
        "# Distance claim: evidence record",
        "",
        f"Generated {generated.isoformat()} by geomap {md(ev.get('geomap_version', ''))}.",
        "",
        "## Verdict",
        "",
    ]
    for m in rows:
        if m.verdict is not None:
            lines.append(f"- **{md(m.label)}: {m.verdict.verdict}.** {md(m.verdict.sentence)}")
        else:
            lines.append(f"- **{md(m.label)}: not measured ({md(m.status)}).**")
    lines += ["", "## Inputs", ""]
    if command:
        lines += ["Command:", "", *fenced(command), ""]
    lines += [
        f"- Claim: “{md(claim.text)}”" if getattr(claim, "label", claim.text) else "- Claim: bounds given, no text",
        f"- Matched words: “{md(getattr(claim, 'matched_text', '') or '')}”; rule {code(claim.rule)}",
        f"- Readings: {md(claim.describe_readings())}",
        f"- Rationale: {md(getattr(claim, 'rationale', '') or '')}",
    ]
    for m in rows:
        inc = m.incident
        where = "polygon (whole area)" if inc.area is not None else f"±{inc.radius_m:.0f} m around the point"
        lines.append(f"- Incident {md(inc.label)}: {inc.lon:.6f}E {inc.lat:.6f}N, {md(inc.kind)}, location {where}")
        if inc.note:
            lines.append(f"  - {md(inc.note)}")
        place = inc.place
        if place is not None:
            lines.append(f"  - Source: {md(place.source)}; attribution: {md(place.attribution)}")
    lines += ["", "## Numbers", ""]
    lines.append("| incident | distance | interval | nearest point | section |")
    lines.append("|---|---|---|---|---|")
    for m in rows:
        d = m.nearest
        if d is None:
            lines.append(f"| {md(m.label)} | not measured ({md(m.status)}) | n/a | n/a | n/a |")
            continue
        dist = _km(d.distance_m)
        if m.area is not None:
            dist = f"{_km(m.area.min_m)} to {_km(m.area.max_m)} over the area (max within {m.area.max_tolerance_m:.0f} m)"
        near = f"{d.lon:.8f}E {d.lat:.8f}N"
        lines.append(
            f"| {md(m.label)} | {dist} | {_km(m.interval_m[0])} to {_km(m.interval_m[1])} | {near} "
            f"| {md(d.section)}, segment {d.segment_index} |"
        )
    lines += ["", "## Method", ""]
    lines += [
        f"- {md(ev.get('method', ''))}.",
        "- Distances on the WGS84 ellipsoid; every line segment is the geodesic between its vertices.",
        f"- Interval: {md(first.uncertainty.rule) if first else ''}.",
        "- Verdict: supported if the whole interval lies in the strict reading; contradicted if it misses even "
        "the lenient reading; otherwise inconclusive.",
    ]
    lines += ["", "## Line of contact", ""]
    src = ev.get("layer_source") or {}
    lines += [
        f"- Layer: {code(ev.get('layer'))} {md(ev.get('layer_title') or '')}",
        f"- Valid: {md(ev.get('layer_valid_from') or 'n/a')} to {md(ev.get('layer_valid_to') or 'open')}",
        (f"- Stated accuracy: ±{ev['layer_accuracy_m']:.0f} m ({md(ev.get('layer_accuracy_source') or '')})"
         if ev.get("layer_accuracy_m") is not None else
         "- Stated accuracy: none: the layer states no accuracy, so the interval leaves map error out"),
        f"- sha256: {code(ev.get('layer_sha256'))}",
    ]
    if ev.get("layer_origin") == "user":
        lines += [
            f"- The user's own layer (not shipped with geomap), added {md(ev.get('added') or 'n/a')} from the file "
            f"{code(ev.get('original_file') or 'n/a')} (sha256 {code(ev.get('original_sha256') or 'n/a')})",
            f"- Source, as the user gave it: {md(src.get('name') or 'not stated')}",
            f"- Licence, as the user gave it: {md(ev.get('layer_licence') or 'not stated')}",
        ]
    else:
        lines += [
            f"- Source: {md(src.get('name', ''))}, {md(src.get('edition', ''))}, commit {md(src.get('commit') or 'n/a')}",
            f"- Licence: {md(ev.get('layer_licence') or 'n/a')}; {md(ev.get('layer_attribution') or '')}",
        ]
    for item in ev.get("layer_omits") or []:
        lines.append(f"- Omits: {md(item)}")
    for item in ev.get("layer_caveats") or []:
        lines.append(f"- Caveat: {md(item)}")

    if ev.get("layer_attribution"):
        lines += ["", f"Line data: {md(ev['layer_attribution'])}"]
    lines += ["", "## Software", ""]
    for name, version in software_versions().items():
        lines.append(f"- {name} {md(version)}")
    if map_file:
        lines += ["", "## Map", "", f"Offline HTML map: {code(Path(map_file).name)}"]
    return "\n".join(lines) + "\n"


def write_report(path: str | Path, result, **kwargs) -> None:
    """Write :func:`evidence_markdown` atomically to ``path``."""
    from geomap.io.write import write_atomic

    write_atomic(path, evidence_markdown(result, **kwargs))
