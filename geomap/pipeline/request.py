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
    #: reading a FILE (geomap.io.points.read_points): text encoding, strftime date format, one layer
    encoding: str | None = None
    date_format: str | None = None
    layer_name: str | None = None

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
        from geomap.pipeline.incidents import choose_lines

        if self.layer is not None and self.theatre is not None:
            raise InputError("--layer and --theatre were both given: pass one (--theatre picks a layer by --date)")
        return choose_lines(self.layer, theatre=self.theatre, date=self.date, assume_crs=self.assume_crs,
                            rings=self.rings)


def incidents(inputs: Inputs, *, date: str | None = None) -> list:
    """The :class:`geomap.pipeline.incidents.Incident` list for --at or --place inputs."""
    from geomap.pipeline.incidents import Incident

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
    from geomap.pipeline.incidents import measure

    found = incidents(inputs, date=lines_spec.date)
    lines = lines_spec.load()
    return lines, measure(found, lines)


def check_incidents(inputs: Inputs, lines_spec: LineSpec, claim):
    """Measure --at/--place incidents and judge ``claim``: a :class:`geomap.pipeline.checks.CheckResult`."""
    from geomap.pipeline.checks import check_claim

    found = incidents(inputs, date=lines_spec.date)
    return check_claim(claim, found, lines_spec.load())


def measure_file(inputs: Inputs, lines_spec: LineSpec, **kwargs):
    """Measure every row of a points file: a :class:`geomap.pipeline.run.BatchResult` (see :func:`geomap.pipeline.run.measure_file`)."""
    from geomap.pipeline.run import measure_file as run

    return run(inputs, lines_spec, **kwargs)


def check_file(inputs: Inputs, lines_spec: LineSpec, claim, **kwargs):
    """Judge ``claim`` for every row of a points file (see :func:`geomap.pipeline.run.check_file`)."""
    from geomap.pipeline.run import check_file as run

    return run(inputs, lines_spec, claim, **kwargs)


#: columns tried, in order, for an incident's label / note / date when a points file is mapped
LABEL_COLUMNS = ("label", "name", "title", "event_id", "event_id_cnty", "id")
NOTE_COLUMNS = ("note", "notes", "description")
DATE_COLUMNS = ("date", "event_date")


def _row_incidents(frame, lon, lat, radius_m, keep, date):
    """One :class:`geomap.pipeline.incidents.Incident` per row where ``keep`` (label, note, date from the frame's columns)."""
    from geomap.pipeline.incidents import Incident

    lower = {str(c).lower(): c for c in getattr(frame, "columns", [])}

    def column(names):
        for name in names:
            if name in lower:
                return [None if v is None else str(v) for v in frame[lower[name]].tolist()]
        return None

    labels, notes, dates = column(LABEL_COLUMNS), column(NOTE_COLUMNS), column(DATE_COLUMNS)
    found = []
    for i in range(len(keep)):
        if not keep[i]:
            continue
        found.append(Incident(
            lon=float(lon[i]), lat=float(lat[i]), radius_m=float(radius_m[i]),
            label=(labels[i] if labels and labels[i] not in (None, "", "nan") else f"row {i + 1}"),
            kind="file row", note=(notes[i] or "") if notes and notes[i] != "nan" else "",
            date=(dates[i] if dates[i] not in ("", "nan") else None) if dates else date,
        ))
    return found


def map_for_file(inputs: Inputs, lines_spec: LineSpec, result, claim=None):
    """What ``--html``/``--png`` draw for a measured points file: ``(lines, measurements, verdicts)``.

    ``result`` is the file's :class:`geomap.pipeline.run.BatchResult` (local engine);
    its measured rows become the map's incidents, so the file is read once
    (standard input included).  A map shows one line: with ``--theatre`` and
    each row's own date it is the line the rows' dates chose, and a file whose
    dates chose several lines is refused with the way out.  ``verdicts`` is
    None without ``claim``.
    """
    import dataclasses

    import numpy as np

    from geomap.pipeline.incidents import measure

    if result.frame is None:
        raise InputError("--html/--png need every row in memory: drop --engine dask for the map "
                         "(or map a sample of the rows)")
    spec = lines_spec
    if spec.theatre is not None and spec.date is None:
        used = list(result.layers)
        if not used:
            raise InputError(f"no row of {inputs.points} could be measured, so there is nothing to map: "
                             "see the status column")
        if len(used) > 1:
            raise InputError(f"the rows of {inputs.points} were measured against {len(used)} lines by their dates "
                             f"({', '.join(used)}); a map shows one: pass --layer ID (or --date YYYY-MM-DD) for "
                             "the map, or split the file by date")
        spec = dataclasses.replace(lines_spec, layer=used[0], theatre=None)
    frame = result.frame
    keep = (frame["status"].to_numpy(dtype=object) == "ok").tolist()
    radius = np.nan_to_num(frame["location_uncertainty_m"].to_numpy(dtype=float)).tolist()
    found = _row_incidents(frame, result.lon, result.lat, radius, keep, spec.date)
    lines = spec.load()
    if claim is None:
        return lines, measure(found, lines), None
    from geomap.pipeline.checks import check_claim

    checked = check_claim(claim, found, lines)
    return checked.lines, checked.measurements, checked.verdicts


def measure_for_map(inputs: Inputs, lines_spec: LineSpec):
    """Measure any input kind (--at, --place or FILE) as incidents: ``(lines, measurements, summary)``.

    A FILE is measured as a batch first (every row gets a status, as in
    ``geomap distance FILE``) and its measured rows are drawn (see
    :func:`map_for_file`).  ``summary`` (status -> rows) is None for
    --at/--place inputs.
    """
    from geomap.pipeline.incidents import measure

    if inputs.kind() == "FILE":
        result = measure_file(inputs, lines_spec)
        lines, measurements, _verdicts = map_for_file(inputs, lines_spec, result)
        return lines, measurements, result.summary
    found = incidents(inputs, date=lines_spec.date)
    lines = lines_spec.load()
    return lines, measure(found, lines), None
