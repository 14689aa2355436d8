"""The one typed result of a measurement: every row, its distance, interval, side, evidence and verdict.

:func:`geomap.pipeline.run.run` returns a :class:`Result` for every kind of
input: a file of a million events, or one ``--at`` point (a one-row table).
The columns live in :attr:`Result.frame` (the public column contract of
``geomap distance FILE``); :meth:`Result.rows` gives typed per-row records
(:class:`IncidentResult`) for the people-facing outputs: the text table, the
JSON record, the map and the evidence record read their fields, not dict keys.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from geomap._version import __version__

#: statuses that mean "measured"
OK = "ok"

#: columns tried, in order and in any case, for a file row's label (then the id column, then "row N")
LABEL_COLUMNS = ("label", "name", "title", "place")
#: tried after the id column
PLACE_COLUMNS = ("location", "where_coordinates")
#: columns tried for a file row's note
NOTE_COLUMNS = ("note", "notes", "description", "comment")
#: columns tried for a file row's date, after the as-of date
DATE_COLUMNS = ("date", "event_date", "date_start")


def pick_column(columns, names) -> str | None:
    lower = {str(c).lower(): c for c in columns}
    return next((lower[n] for n in names if n in lower), None)


def row_labels(frame, id_col: str | None = None, label_col: str | None = None) -> list[str]:
    """Each file row's label: ``label_col``, else a name-like column, else ``id_col``, else a place column,
    else ``row N`` (1-based, as on stderr and the map)."""
    n = len(frame)
    cols = [c for c in (label_col, pick_column(frame.columns, LABEL_COLUMNS), id_col, pick_column(frame.columns, PLACE_COLUMNS))
            if c is not None and c in frame.columns]
    out = [f"row {i + 1}" for i in range(n)]
    filled = [False] * n
    for c in cols:
        values = frame[c].to_numpy(dtype=object)
        for i, v in enumerate(values):
            if not filled[i] and v is not None and str(v).strip() not in ("", "nan", "None", "<NA>"):
                out[i] = str(v)
                filled[i] = True
    return out


def _accuracy_source(evidence: dict, stated: float | None) -> str:
    """Where a row's layer accuracy comes from: the layer's, or a recorded disagreement with another source."""
    own = evidence.get("layer_accuracy_m")
    if stated is not None and own is not None and stated > float(own):  # known_errors' error_m (measure.py)
        return (f"another source of this line lies up to ±{stated / 1000:.1f} km off near here (see the note); "
                f"the layer states ±{float(own) / 1000:.1f} km")
    return evidence.get("layer_accuracy_source") or ("layer metadata accuracy_m" if stated is not None
                                                     else "none stated by the layer")


def _num(value, digits: int | None = None) -> float | None:
    """A finite float (rounded to ``digits``) or None."""
    if value is None:
        return None
    try:
        value = float(value)
    except (TypeError, ValueError):
        return None
    if not math.isfinite(value):
        return None
    return round(value, digits) if digits is not None else value


@dataclass(frozen=True)
class Nearest:
    """Where the line is nearest to an incident's point.

    ``distance_m`` is the exact geodesic distance (WGS84, metres) from the
    incident's point to (``lon``, ``lat``) on the line, which lies on segment
    ``segment_index`` of part ``part_index`` of feature ``feature_index``
    (named ``section``), ``offset_m`` metres from that segment's first vertex.
    ``azimuth_deg`` is the direction from the point to it (None on the line).
    """

    distance_m: float
    lon: float
    lat: float
    section: str
    feature_index: int
    part_index: int
    segment_index: int
    azimuth_deg: float | None
    offset_m: float | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "distance_m": _num(self.distance_m, 3),
            "nearest_lon": _num(self.lon, 9),
            "nearest_lat": _num(self.lat, 9),
            "section": self.section,
            "feature_index": self.feature_index,
            "part_index": self.part_index,
            "segment_index": self.segment_index,
            "azimuth_deg": _num(self.azimuth_deg, 4),
            "offset_m": _num(self.offset_m, 3),
        }


@dataclass(frozen=True)
class AreaRange:
    """Least and greatest distance (m) from any point of an area incident, interior included, to the line.

    ``min_lon/min_lat`` and ``max_lon/max_lat`` are the area's points where they
    are attained, ``min_nearest``/``max_nearest`` their nearest points on the
    line (lon, lat); the true maximum is at most ``max_tolerance_m`` above
    ``max_m``.  See :func:`geomap.layers.distance.area_distance_range`.
    """

    min_m: float
    max_m: float
    max_tolerance_m: float
    min_lon: float
    min_lat: float
    max_lon: float
    max_lat: float
    min_nearest: tuple[float, float] | None
    max_nearest: tuple[float, float] | None
    intersects_line: bool
    points_evaluated: int

    def to_dict(self) -> dict[str, Any]:
        return {
            "min_m": _num(self.min_m, 3),
            "min_lon": _num(self.min_lon, 9),
            "min_lat": _num(self.min_lat, 9),
            "max_m": _num(self.max_m, 3),
            "max_lon": _num(self.max_lon, 9),
            "max_lat": _num(self.max_lat, 9),
            "max_tolerance_m": self.max_tolerance_m,
            "intersects_line": self.intersects_line,
            "points_evaluated": self.points_evaluated,
        }


@dataclass(frozen=True)
class Uncertainty:
    """What widens the distance into its interval (see :data:`geomap.layers.distance.INTERVAL_RULE`).

    ``location_kind`` is ``"radius"`` (a point known to within ``radius_m``)
    or ``"area"`` (the whole area, see :class:`AreaRange`);
    ``layer_accuracy_m`` is the line's stated accuracy and
    ``layer_accuracy_source`` where it comes from.
    """

    location_kind: str
    radius_m: float
    layer_accuracy_m: float | None
    layer_accuracy_source: str
    rule: str

    def to_dict(self, area: AreaRange | None = None) -> dict[str, Any]:
        if self.location_kind == "area" and area is not None:
            location = {"kind": "area", "min_m": _num(area.min_m, 3), "max_m": _num(area.max_m, 3),
                        "max_tolerance_m": area.max_tolerance_m}
        else:
            location = {"kind": "radius", "radius_m": self.radius_m}
        return {"location": location, "layer_accuracy_m": self.layer_accuracy_m,
                "layer_accuracy_source": self.layer_accuracy_source,
                "layer_accuracy_stated": self.layer_accuracy_m is not None, "rule": self.rule}


@dataclass(frozen=True)
class Side:
    """Which side of the line an incident's point is on, where the layer names the held area behind it.

    By the side rule of :mod:`geomap.layers.sides`: ``side`` is ``inside`` or
    ``outside`` the area ``area_layer`` held by ``held_by``, or ``uncertain``
    when the point lies within the layer's accuracy (plus its own radius) of
    the line, and then ``inside_area`` is None.  ``signed_distance_m`` is
    negative inside, positive outside, and ``signed_interval_m`` where it can
    truly lie; ``text`` says it in words ("side uncertain within the map's ±10.0 km").
    """

    inside_area: bool | None
    area_layer: str
    signed_distance_m: float | None
    side: str | None = None
    held_by: str = ""
    signed_interval_m: tuple[float, float] | None = None
    text: str = ""

    def to_dict(self) -> dict[str, Any]:
        interval = None
        if self.signed_interval_m is not None:
            interval = [_num(self.signed_interval_m[0], 3), _num(self.signed_interval_m[1], 3)]
        return {"inside_area": self.inside_area, "area_layer": self.area_layer,
                "signed_distance_m": _num(self.signed_distance_m, 3), "signed_distance_interval_m": interval,
                "side": self.side, "held_by": self.held_by, "side_text": self.text}


@dataclass(frozen=True)
class IncidentResult:
    """One row of a :class:`Result`, typed.

    Attributes
    ----------
    row : int
        1-based position of the row in the input (as on stderr and the map).
    label : str
        The row's label (the incident's name, or ``row N``).
    status : str
        ``ok`` or why the row could not be measured.
    incident : Incident or None
        The incident (point, circle or area), with its place and note.
    nearest : Nearest or None
        The distance from the incident's point and where the line is nearest.
    interval_m : (float, float) or None
        Every distance the measurement allows (location and layer uncertainty included).
    uncertainty : Uncertainty or None
    area : AreaRange or None
        For an area incident.
    side : Side or None
        Where the layer names a held area.
    evidence : dict
        The line's evidence: layer id, version, sha256, validity, accuracy,
        source, licence, method, geomap version.
    verdict : geomap.verdict.Verdict or None
        With a claim.
    verdict_without_uncertainty : str or None
        For a point, the verdict at the measured distance alone (context, not the verdict).
    """

    row: int
    label: str
    status: str
    incident: Any = None
    nearest: Nearest | None = None
    interval_m: tuple[float, float] | None = None
    uncertainty: Uncertainty | None = None
    area: AreaRange | None = None
    side: Side | None = None
    evidence: dict[str, Any] = field(default_factory=dict)
    verdict: Any = None
    verdict_without_uncertainty: str | None = None

    @property
    def measured(self) -> bool:
        return self.status == OK

    def to_dict(self) -> dict[str, Any]:
        """The JSON record of this row (``geomap distance/check --format json``)."""
        out: dict[str, Any] = {"status": self.status}
        if self.incident is not None:
            out["incident"] = self.incident.location_evidence()
        else:
            out["incident"] = {"label": self.label}
        if self.nearest is not None:
            out.update(self.nearest.to_dict())
        if self.interval_m is not None:
            out["distance_interval_m"] = [_num(self.interval_m[0], 3), _num(self.interval_m[1], 3)]
        if self.uncertainty is not None:
            out["uncertainty"] = self.uncertainty.to_dict(self.area)
        if self.area is not None:
            out["area"] = self.area.to_dict()
        if self.side is not None:
            out.update(self.side.to_dict())
        out["evidence"] = dict(self.evidence)
        if self.verdict is not None:
            verdict = self.verdict.to_dict()
            out["claim"] = verdict.pop("claim")
            out.update(
                verdict_without_uncertainty=self.verdict_without_uncertainty,
                verdict=self.verdict.verdict,
                sentence=self.verdict.sentence,
                exit_code=self.verdict.exit_code,
                judgement=verdict,
            )
        return out


@dataclass
class Result:
    """Every row of a run, measured or with a status, and the evidence of each line used.

    Attributes
    ----------
    frame : pandas.DataFrame or None
        Every input row, input columns first, then the result columns
        (:data:`geomap.pipeline.run.RESULT_COLUMNS` and the others); None with
        the Dask engine, which writes the rows to its output part by part.
    summary : dict
        status -> number of rows; adds up to the number of input rows.
    lon, lat : ndarray
        The rows' input points (degrees; NaN where unusable).
    layers : dict
        layer id -> evidence (source, sha256, validity, accuracy, rows) for each line used.
    verdicts : dict or None
        verdict -> number of rows, with a claim.
    claim : geomap.claims.Claim or None
    lines : dict
        layer id -> the :class:`~geomap.layers.lineset.LineSet` used (for maps).
    incidents : list or None
        For ``--at``/``--place`` inputs, the :class:`~geomap.pipeline.incidents.Incident` of each row.
    """

    frame: Any
    summary: dict[str, int]
    lon: np.ndarray
    lat: np.ndarray
    source: str = ""
    id_col: str | None = None
    #: the column holding each file row's label (``--label-col``); default: see :func:`row_labels`
    label_col: str | None = None
    layers: dict[str, dict[str, Any]] = field(default_factory=dict)
    verdicts: dict[str, int] | None = None
    failure_examples: list | None = None
    claim: Any = None
    lines: dict[str, Any] = field(default_factory=dict)
    incidents: list | None = None
    areas: dict[int, AreaRange] = field(default_factory=dict)
    offset_m: np.ndarray | None = None
    verdict_codes: np.ndarray | None = None
    area_geoms: Any = None

    def __len__(self) -> int:
        return int(sum(self.summary.values()))

    @property
    def exit_code(self) -> int:
        """The one exit rule of ``distance`` and ``check``, for files and ``--at``/``--place`` alike.

        1 when any row could not be measured (it takes precedence); else, with
        a claim, 0 when every row's verdict is *supported*, 10 when every one is
        *contradicted*, 11 otherwise; else 0.
        """
        if not set(self.summary) <= {OK}:
            return 1
        if self.claim is None:
            return 0
        from geomap.verdict import combined_exit_code

        if self.verdict_codes is not None:
            return combined_exit_code(np.unique(self.verdict_codes))
        from geomap.verdict import EXIT_CODES, VERDICTS

        names = [v for v, n in (self.verdicts or {}).items() if n and v in VERDICTS]
        return EXIT_CODES[names[0]] if len(names) == 1 else EXIT_CODES["inconclusive"]

    def failures(self, limit: int = 5) -> list[tuple[str, str]]:
        """The first ``limit`` rows that failed, as (row id or 'row N', status); rows count from 1."""
        if self.frame is None:
            return list(self.failure_examples or [])[:limit]
        status = self.frame["status"].to_numpy()
        bad = np.flatnonzero(status != OK)[:limit]
        out = []
        for i in bad:
            ident = self.frame[self.id_col].iloc[i] if self.id_col else None
            out.append((f"{self.id_col}={ident}" if ident is not None else f"row {i + 1}", str(status[i])))
        return out

    def line(self):
        """The one LineSet every measured row used (for a single-line map); None if there were several."""
        return next(iter(self.lines.values())) if len(self.lines) == 1 else None

    def _file_incidents(self) -> list:
        """An :class:`~geomap.pipeline.incidents.Incident` for each row of a file (label, note, date from its columns)."""
        from geomap.pipeline.incidents import Incident

        f = self.frame
        labels = row_labels(f, self.id_col, self.label_col)
        note_col = pick_column(f.columns, NOTE_COLUMNS)
        date_col = "as_of_date" if "as_of_date" in f.columns else pick_column(f.columns, DATE_COLUMNS)
        notes = f[note_col].to_numpy(dtype=object) if note_col else [None] * len(f)
        dates = f[date_col].to_numpy(dtype=object) if date_col else [None] * len(f)
        known = f["known_error"].to_numpy(dtype=object, na_value=None) if "known_error" in f.columns else None
        radius = f["location_uncertainty_m"].to_numpy(dtype=float, na_value=np.nan)
        out = []
        for i in range(len(f)):
            note = notes[i]
            note = "" if note is None or str(note) in ("nan", "None", "<NA>") else str(note)
            if known is not None and known[i]:  # the layer is known to be wrong here: maps and records say so
                note = "; ".join(n for n in (note, str(known[i])) if n)
            date = dates[i]
            out.append(Incident(
                lon=float(self.lon[i]), lat=float(self.lat[i]),
                radius_m=float(radius[i]) if np.isfinite(radius[i]) else 0.0,
                area=self.area_geoms[i] if self.area_geoms is not None else None,
                label=labels[i], kind="file row",
                note=note,
                date=None if date is None or str(date) in ("", "nan", "None", "<NA>", "NaT") else str(date),
            ))
        return out

    def rows(self) -> list[IncidentResult]:
        """Every row as a typed :class:`IncidentResult` (for people-sized outputs: tables, maps, records).

        Raises
        ------
        ValueError
            With the Dask engine (no rows in memory).
        """
        if self.frame is None:
            raise ValueError("the rows were written part by part (Dask engine) and are not in memory")
        from geomap.layers.distance import INTERVAL_RULE
        from geomap.verdict import judge

        f = self.frame
        n = len(f)
        col = {name: f[name].to_numpy(dtype=object, na_value=None) if name in f.columns else [None] * n
               for name in ("status", "distance_m", "nearest_lon", "nearest_lat", "section", "feature_index",
                            "part_index", "segment_index", "azimuth_deg", "distance_low_m", "distance_high_m",
                            "layer", "location_uncertainty_m", "layer_accuracy_m", "inside_area", "area_layer",
                            "signed_distance_m", "signed_distance_low_m", "signed_distance_high_m", "side",
                            "held_by", "known_error")}
        out = []
        incidents = self.incidents if self.incidents is not None else self._file_incidents()
        for i in range(n):
            incident = incidents[i]
            status = str(col["status"][i])
            label = incident.label
            evidence = dict(self.layers.get(col["layer"][i] or "", {}))
            evidence.pop("rows", None)
            if evidence:
                evidence["geomap_version"] = __version__
            if status != OK:
                out.append(IncidentResult(row=i + 1, label=str(label), status=status, incident=incident,
                                          evidence=evidence))
                continue
            d = float(col["distance_m"][i])
            nearest = Nearest(
                distance_m=d, lon=float(col["nearest_lon"][i]), lat=float(col["nearest_lat"][i]),
                section=str(col["section"][i] or ""), feature_index=int(col["feature_index"][i]),
                part_index=int(col["part_index"][i]), segment_index=int(col["segment_index"][i]),
                azimuth_deg=_num(col["azimuth_deg"][i]),
                offset_m=_num(self.offset_m[i]) if self.offset_m is not None else None,
            )
            area = self.areas.get(i)
            stated = _num(col["layer_accuracy_m"][i])  # None: the layer states no accuracy
            accuracy = stated or 0.0
            uncertainty = Uncertainty(
                location_kind="area" if area is not None else "radius",
                radius_m=float(col["location_uncertainty_m"][i] or 0.0),
                layer_accuracy_m=stated,
                layer_accuracy_source=_accuracy_source(evidence, stated),
                rule=INTERVAL_RULE,
            )
            side = None
            if col["area_layer"][i]:
                from geomap.layers.sides import BOTH_SIDES, NEAR_UNASSIGNED, OFF_THE_MAP, UNCERTAIN, side_text

                inside = col["inside_area"][i]
                low, high = _num(col["signed_distance_low_m"][i]), _num(col["signed_distance_high_m"][i])
                which = col["side"][i] or None
                holder = str(col["held_by"][i] or "")
                known = str(col["known_error"][i] or "")
                signed = _num(col["signed_distance_m"][i])
                # uncertain although the interval keeps off the line (the accuracy alone gives a side), unless the
                # incident's area crosses the line: the layer is known to be wrong there, or the point is on
                # neither side's polygons of a two-sided map (beyond it) or on both (measure.py's no_side)
                beyond = (which == UNCERTAIN and low is not None and high is not None and (low > 0 or high < 0)
                          and not (area is not None and area.intersects_line))
                if beyond and known:
                    text = "side unknown: " + "; ".join(k.split(": ", 1)[0] for k in known.split("; ")
                                                        if " is known to be wrong near " in k.split(": ", 1)[0])
                elif beyond:
                    text = BOTH_SIDES if signed is not None and signed < 0 else OFF_THE_MAP
                elif (which == UNCERTAIN and area is None and signed is not None and low is not None
                      and abs(signed) > float(col["location_uncertainty_m"][i] or 0.0) + (accuracy or 0.0)):
                    text = NEAR_UNASSIGNED  # uncertain although the line is farther than r + a: measure.py's rule
                else:
                    text = side_text(which or "", holder, accuracy)
                side = Side(inside_area=None if inside is None else bool(inside), area_layer=str(col["area_layer"][i]),
                            signed_distance_m=_num(col["signed_distance_m"][i]), side=which, held_by=holder,
                            signed_interval_m=None if low is None or high is None else (low, high), text=text)
            interval = (float(col["distance_low_m"][i]), float(col["distance_high_m"][i]))
            verdict = point_verdict = None
            if self.claim is not None:
                record = dict(evidence, uncertainty=uncertainty.to_dict(area))
                if incident is not None:
                    record["incident"] = incident.location_evidence()
                verdict = judge(self.claim, interval, evidence=record)
                if area is None:
                    point_verdict = judge(self.claim, (d, d)).verdict
            out.append(IncidentResult(row=i + 1, label=str(label), status=status, incident=incident, nearest=nearest,
                                      interval_m=interval, uncertainty=uncertainty, area=area, side=side,
                                      evidence=evidence, verdict=verdict, verdict_without_uncertainty=point_verdict))
        return out
