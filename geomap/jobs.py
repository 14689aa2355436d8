"""The jobs behind the commands, callable from a notebook: gather incidents, choose the line, measure."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from geomap.errors import InputError


@dataclass
class Inputs:
    """Where the incidents come from: a file, coordinates, or places (exactly one kind)."""

    points: str | None = None
    at: tuple = ()
    radius_m: float = 0.0
    lon_col: str | None = None
    lat_col: str | None = None
    assume_crs: str | None = None
    places: list = field(default_factory=list)
    date_col: str | None = None
    id_col: str | None = None
    engine: str = "local"
    scheduler: str | None = None

    def kind(self) -> str:
        given = [name for name, on in (("FILE", self.points is not None), ("--at", bool(self.at)),
                                       ("--place", bool(self.places))) if on]
        if not given:
            raise InputError("no incident given: pass --at LON,LAT, --place NAME, or a FILE (- for stdin)")
        if len(given) > 1:
            raise InputError(f"{' and '.join(given)} were both given: pass only one of FILE, --at and --place")
        return given[0]


@dataclass
class LineSpec:
    """Which line to measure against: a layer id/path, or a theatre and date."""

    layer: str | None = None
    theatre: str | None = None
    date: str | None = None
    assume_crs: str | None = None
    rings: bool = False

    def load(self):
        from geomap.measure import choose_lines

        if self.layer is not None and self.theatre is not None:
            raise InputError("--layer and --theatre were both given: pass one (--theatre picks a layer by --date)")
        return choose_lines(self.layer, theatre=self.theatre, date=self.date, assume_crs=self.assume_crs,
                            rings=self.rings)


def incidents(inputs: Inputs, *, date: str | None = None) -> list:
    """The :class:`geomap.measure.Incident` list for --at or --place inputs."""
    from geomap.measure import Incident

    out: list[Any] = []
    for i, p in enumerate(inputs.at):
        out.append(Incident(lon=p.lon, lat=p.lat, radius_m=inputs.radius_m, label=f"point {i + 1}", date=date))
    for item in inputs.places:
        place, note = item if isinstance(item, tuple) else (item, "")
        incident = Incident.from_place(place, date=date)
        if incident.note and incident.note in (note or ""):
            incident.note = note
        else:
            incident.note = "; ".join(n for n in (note, incident.note) if n)
        out.append(incident)
    return out


def measure_incidents(inputs: Inputs, lines_spec: LineSpec):
    """Measure --at/--place incidents: returns ``(lines, measurements)``."""
    from geomap.measure import measure

    found = incidents(inputs, date=lines_spec.date)
    lines = lines_spec.load()
    return lines, measure(found, lines)


def check_incidents(inputs: Inputs, lines_spec: LineSpec, claim):
    """Measure --at/--place incidents and judge ``claim``: a :class:`geomap.checks.CheckResult`."""
    from geomap.checks import check_claim

    found = incidents(inputs, date=lines_spec.date)
    return check_claim(claim, found, lines_spec.load())


def measure_file(inputs: Inputs, lines_spec: LineSpec, **kwargs):
    """Measure every row of a points file: a :class:`geomap.batch.BatchResult` (see :func:`geomap.batch.measure_file`)."""
    from geomap.batch import measure_file as run

    return run(inputs, lines_spec, **kwargs)


def check_file(inputs: Inputs, lines_spec: LineSpec, claim, **kwargs):
    """Judge ``claim`` for every row of a points file (see :func:`geomap.batch.check_file`)."""
    from geomap.batch import check_file as run

    return run(inputs, lines_spec, claim, **kwargs)


#: columns tried, in order, for an incident's label / note / date when a points file is mapped
LABEL_COLUMNS = ("label", "name", "title", "event_id", "id")
NOTE_COLUMNS = ("note", "notes", "description")
DATE_COLUMNS = ("date", "event_date")


def file_incidents(inputs: Inputs, *, date: str | None = None):
    """The measurable rows of a points file as :class:`geomap.measure.Incident` objects.

    Returns ``(incidents, summary)``: one incident per row whose status is
    ``ok`` (label, note and date taken from the first matching column of
    :data:`LABEL_COLUMNS`, :data:`NOTE_COLUMNS`, :data:`DATE_COLUMNS`, as
    text), and status -> row count over every input row.
    """
    from collections import Counter

    from geomap.inputs import read_points
    from geomap.measure import Incident

    table = read_points(inputs.points, lon_col=inputs.lon_col, lat_col=inputs.lat_col, date_col=inputs.date_col,
                        id_col=inputs.id_col, assume_crs=inputs.assume_crs)
    frame = table.frame
    lower = {str(c).lower(): c for c in getattr(frame, "columns", [])}

    def column(names):
        for name in names:
            if name in lower:
                return [None if v is None else str(v) for v in frame[lower[name]].tolist()]
        return None

    labels, notes, dates = column(LABEL_COLUMNS), column(NOTE_COLUMNS), column(DATE_COLUMNS)
    found = []
    for i in range(len(table)):
        if str(table.status[i]) != "ok":
            continue
        found.append(Incident(
            lon=float(table.lon[i]), lat=float(table.lat[i]),
            radius_m=max(inputs.radius_m, float(table.radius_m[i]) if table.radius_m is not None else 0.0),
            label=(labels[i] if labels and labels[i] not in (None, "", "nan") else f"row {i + 1}"),
            kind="file row", note=(notes[i] or "") if notes else "",
            date=(dates[i] or None) if dates else date,
        ))
    return found, dict(Counter(str(s) for s in table.status))


def measure_for_map(inputs: Inputs, lines_spec: LineSpec):
    """Measure any input kind (--at, --place or FILE) as incidents: ``(lines, measurements, summary)``.

    ``summary`` (status -> rows) is None for --at/--place inputs.
    """
    from geomap.measure import measure

    if inputs.kind() == "FILE":
        found, summary = file_incidents(inputs, date=lines_spec.date)
    else:
        found, summary = incidents(inputs, date=lines_spec.date), None
    lines = lines_spec.load()
    return lines, measure(found, lines), summary
