"""The one measuring engine: every row of a table, measured against its line, with a status.

:func:`measure_table` measures a :class:`geomap.io.points.PointTable` (a file's
rows, or the one-row-per-incident table of ``--at``/``--place`` inputs built by
:func:`incident_table`) against one line, or (``theatre=``) against the line
valid on each row's own date.  Points get the exact geodesic distance and the
interval of :func:`geomap.pipeline.distance.distance_interval`; area incidents
(districts, polygons in a file) the min-max over the whole area and
:func:`geomap.pipeline.distance.area_interval`; a claim is judged by
:func:`geomap.verdict.judge_intervals`.  It returns one
:class:`~geomap.pipeline.result.Result`.  ``geomap.pipeline.dask`` runs the same
function over partitions.
"""

from __future__ import annotations

import datetime as _dt
from typing import Any, Callable

import numpy as np

from geomap._version import __version__
from geomap.errors import InputError, LayerNotFound
from geomap.pipeline.result import OK, AreaRange, Result

RESULT_COLUMNS = (
    "status",
    "distance_m",
    "nearest_lon",
    "nearest_lat",
    "feature_index",
    "section",
    "part_index",
    "segment_index",
    "azimuth_deg",
    "distance_low_m",
    "distance_high_m",
    "layer",
    "layer_sha256",
    "method",
    "geomap_version",
)

#: further columns, after RESULT_COLUMNS: the uncertainties behind distance_low_m/high_m
UNCERTAINTY_COLUMNS = ("location_uncertainty_m", "layer_accuracy_m")

#: the side of the line, where the line's layer names the area held behind it (else empty):
#: ``inside_area`` (True inside the held area), ``area_layer`` and ``signed_distance_m``
#: (negative inside, positive outside; see :mod:`geomap.layers.sides`)
SIDE_COLUMNS = ("inside_area", "area_layer", "signed_distance_m")

#: added with ``theatre=``: the date each row was measured as of, and the chosen layer's validity
AS_OF_COLUMNS = ("as_of_date", "layer_valid_from", "layer_valid_to")

#: added by :func:`check_file`
VERDICT_COLUMNS = ("claim", "verdict", "verdict_strict", "verdict_lenient", "verdict_margin_m")

#: added when some rows are areas (polygons): the least and greatest distance over the area
AREA_COLUMNS = ("area_min_m", "area_max_m")

#: rows per call of the kernel (it splits them over its threads and bounds its own memory;
#: large calls let it share candidate lists between nearby points: 1M rows in 5.4 s vs 7.2 s
#: in calls of 200,000); also the progress bar's step
CHUNK_ROWS = 1_000_000


# --------------------------------------------------------------------- as-of selection
def select_layers_by_date(theatre: str, dates: np.ndarray, kind: str = "line",
                          source: str | None = None) -> tuple[np.ndarray, dict]:
    """The id of the ``theatre`` layer valid on each date (None where none is).

    Parameters
    ----------
    theatre : str
        A theatre name (see ``geomap layers list``); an unknown one raises
        :class:`~geomap.errors.LayerNotFound` listing the theatres.
    dates : ndarray of datetime64[D]
        NaT gives None.

    Returns
    -------
    (ids, layers)
        ``ids``: object array of layer ids; ``layers``: id -> :class:`geomap.layers.registry.Layer`.
    """
    codes, layers = _layer_codes(theatre, dates, kind, source)
    return np.array([*layers, None], dtype=object)[codes], layers


def _layer_codes(theatre: str, dates: np.ndarray, kind: str = "line",
                 source: str | None = None) -> tuple[np.ndarray, dict]:
    """:func:`select_layers_by_date` as codes: the position in ``layers`` of each date's layer, -1 for none.

    ``layers`` is in the order of the earliest date each layer is chosen for.  The
    dates are factorised by hashing (1M dates: ~20 ms, sorting them took ~0.1 s).
    """
    import pandas as pd

    from geomap.layers.registry import select_layer, theatres

    known = theatres()
    if theatre not in known:
        raise LayerNotFound(f"unknown theatre {theatre!r}: choose one of {', '.join(known) or 'none'} "
                            "(see 'geomap layers list')")
    codes = np.full(dates.shape, -1, dtype=np.int64)
    layers: dict[str, Any] = {}
    valid = ~np.isnat(dates)
    if not valid.any():
        return codes, layers
    inverse, uniq = pd.factorize(dates[valid].view(np.int64), sort=True)
    chosen = np.full(uniq.shape, -1, dtype=np.int64)
    for k, day in enumerate(np.asarray(uniq, dtype=np.int64).view(dates.dtype)):
        try:
            layer = select_layer(theatre, _dt.date.fromisoformat(str(day)), kind=kind, source=source)
        except LayerNotFound:
            continue
        layers[layer.id] = layer
        chosen[k] = list(layers).index(layer.id)
    codes[valid] = chosen[inverse]
    return codes, layers


# --------------------------------------------------------------------- measuring
def measure_table(
    table,
    *,
    lines=None,
    theatre: str | None = None,
    date: str | _dt.date | None = None,
    source: str | None = None,
    radius_m: float = 0.0,
    claim=None,
    lines_by_id: dict | None = None,
    progress: Callable[[int], None] | None = None,
    chunk_rows: int = CHUNK_ROWS,
    workers: int | None = None,
    tolerance_m: float = 50.0,
) -> Result:
    """Measure every row of a :class:`geomap.io.points.PointTable`.

    Parameters
    ----------
    table : PointTable
    lines : LineSet, optional
        One line for every row (``--layer``).
    theatre : str, optional
        Measure each row against the ``theatre`` line valid on the row's own
        date (``--theatre``); rows without a usable date get ``missing_date`` /
        ``invalid_date``, rows whose date no layer covers ``no_layer_for_date``.
    date : str or date, optional
        With ``theatre``: the date of every row, for a file without a date column.
    radius_m : float
        Location uncertainty (m) of every row; a row's precision code
        (ACLED/UCDP) gives its own radius, and the larger of the two is used.
    claim : geomap.claims.Claim, optional
        Judge every measured row's distance interval against it (adds
        :data:`VERDICT_COLUMNS`).
    lines_by_id : dict, optional
        Already loaded LineSets by layer id (the Dask engine passes its broadcast copy).
    progress : callable, optional
        Called with the number of rows just finished (adds up to ``len(table)``).
    tolerance_m : float
        For area rows: the greatest distance over the area is exact to within this (m, at most 50).

    Returns
    -------
    Result
    """
    import pandas as pd

    n = len(table)
    status = np.asarray(table.status, dtype=object).copy()
    ok = status == OK
    row_radius = np.maximum(np.nan_to_num(np.asarray(table.radius_m if table.radius_m is not None
                                                     else np.zeros(n), dtype=float)), float(radius_m))
    lines_by_id = dict(lines_by_id or {})
    as_of = None
    if theatre is not None:
        if lines is not None:
            raise InputError("--layer and --theatre were both given: pass one (--theatre picks each row's line by date)")
        if table.has_dates and date is not None:
            raise InputError(f"{table.source} has a date column ({table.schema.date_col}) and --date was given: "
                             "drop --date (each row is measured as of its own date) or pass --layer")
        if table.has_dates:
            dates = table.date
            bad = ok & (table.date_status != OK)
            status[bad] = table.date_status[bad]
            ok &= ~bad
        elif date is not None:
            from geomap.layers.registry import parse_date

            dates = np.full(n, np.datetime64(parse_date(date).isoformat(), "D"))
        else:
            raise InputError(f"{table.source} has no date column: name it with --date-col, or pass --date "
                             "YYYY-MM-DD for every row, or --layer")
        layer_codes, layer_meta = _layer_codes(theatre, np.where(ok, dates, np.datetime64("NaT")), source=source)
        no_layer = ok & (layer_codes < 0)
        status[no_layer] = "no_layer_for_date"
        ok &= ~no_layer
        groups = {lid: np.flatnonzero(layer_codes == k) for k, lid in enumerate(layer_meta)}
        as_of = dates
    else:
        if lines is None:
            raise InputError("no line of contact given: pass --layer ID|PATH, or --theatre NAME "
                             "(each row measured as of its own date)")
        key = getattr(lines, "source", "line")
        lines_by_id[key] = lines
        groups = {key: np.flatnonzero(ok)}
        layer_meta = {}

    from geomap.pipeline.distance import area_distance_range, area_interval, distance_interval, distance_to_line

    area_geoms = getattr(table, "area", None)
    areas: dict[int, AreaRange] = {}
    d = np.full(n, np.nan)
    offset = np.full(n, np.nan)
    nlon = np.full(n, np.nan)
    nlat = np.full(n, np.nan)
    az = np.full(n, np.nan)
    feat = np.full(n, -1, dtype=np.int64)
    part = np.full(n, -1, dtype=np.int64)
    seg = np.full(n, -1, dtype=np.int64)
    section = _TextColumn(n)
    layer_col = _TextColumn(n)
    sha_col = _TextColumn(n)
    acc = np.full(n, np.nan)
    valid_from = _TextColumn(n)
    valid_to = _TextColumn(n)
    inside = np.zeros(n, dtype=bool)
    has_side = np.zeros(n, dtype=bool)
    area_col = _TextColumn(n)
    evidence: dict[str, dict[str, Any]] = {}
    used_lines: dict[str, Any] = {}
    for lid, idx in groups.items():
        if idx.size == 0:
            continue
        lineset = lines_by_id.get(lid)
        if lineset is None:
            from geomap.layers.lineset import read_lines

            lineset = lines_by_id[lid] = read_lines(lid)
        # the section codes by feature index, the last (index -1: no feature) for no section
        labels = np.append(section.add([lineset.label(f) for f in range(len(lineset))]), -1)
        accuracy_m = float(getattr(getattr(lineset, "layer", None), "accuracy_m", None) or 0.0)
        for start in range(0, idx.size, chunk_rows):
            rows = idx[start:start + chunk_rows]
            res = distance_to_line(lon=table.lon[rows], lat=table.lat[rows], lines=lineset, workers=workers)
            d[rows] = res.distance_m
            offset[rows] = res.offset_m
            nlon[rows] = res.nearest_lon
            nlat[rows] = res.nearest_lat
            az[rows] = res.azimuth_deg
            feat[rows] = res.feature_index
            part[rows] = res.part_index
            # The kernel reports a nearest point on a shared vertex on the earlier segment
            # (ties go to the lower piece), whatever the batch a point is queried in.
            seg[rows] = res.segment_index
            section.codes[rows] = labels[res.feature_index]
            if progress is not None:
                progress(int(rows.size))
        if area_geoms is not None:
            areas.update(_measure_areas(idx, area_geoms, lineset, tolerance_m))
        ev = dict(res.evidence(), rows=int(idx.size))
        evidence[str(ev.get("layer") or lid)] = ev
        used_lines[str(ev.get("layer") or lid)] = lineset
        layer_col.fill(idx, ev["layer"])
        sha_col.fill(idx, ev["layer_sha256"])
        acc[idx] = accuracy_m
        meta = getattr(lineset, "layer", None)
        if meta is not None:
            valid_from.fill(idx, meta.valid_from)
            valid_to.fill(idx, meta.valid_to)
            if getattr(meta, "area_layer", None):
                from geomap.layers.sides import inside_area

                inside[idx] = inside_area(table.lon[idx], table.lat[idx], meta.area_layer)
                has_side[idx] = True
                area_col.fill(idx, meta.area_layer)
    if progress is not None:
        rest = int(np.count_nonzero(~ok))
        if rest:
            progress(rest)

    # a shallow copy: the added columns go to the copy only, the input's data are not duplicated
    frame = table.frame.copy(deep=False) if hasattr(table.frame, "copy") else pd.DataFrame(table.frame)
    frame = frame.reset_index(drop=True)
    added = list(RESULT_COLUMNS) + list(UNCERTAINTY_COLUMNS) + list(SIDE_COLUMNS)
    if areas:
        added += list(AREA_COLUMNS)
    if as_of is not None:
        added += list(AS_OF_COLUMNS)
    if claim is not None:
        added += list(VERDICT_COLUMNS)
    clash = [c for c in added if c in frame.columns]
    if clash:
        frame = frame.rename(columns={c: f"input_{c}" for c in clash})
    radius_out = np.where(ok, row_radius, np.nan)
    low, high = distance_interval(d, radius_m=row_radius, accuracy_m=np.nan_to_num(acc))
    area_min = area_max = None
    if areas:
        rows = np.fromiter(areas, dtype=np.int64)
        area_min, area_max = np.full(n, np.nan), np.full(n, np.nan)
        area_min[rows] = [areas[i].min_m for i in rows]
        area_max[rows] = [areas[i].max_m for i in rows]
        tol = np.array([areas[i].max_tolerance_m for i in rows])
        low[rows], high[rows] = area_interval(area_min[rows], area_max[rows], max_tolerance_m=tol,
                                              accuracy_m=np.nan_to_num(acc[rows]))
        radius_out[rows] = np.nan  # the whole area is the location
    from geomap.layers.sides import signed_distance

    text_dtype = _text_dtype()
    status_col = _status_column(status, ok)
    method = _TextColumn(n)
    method.fill(ok, "geodesic-exact-WGS84")
    out: dict[str, Any] = {
        "status": status_col.array(text_dtype),
        "distance_m": np.round(d, 3),
        "nearest_lon": np.round(nlon, 7),
        "nearest_lat": np.round(nlat, 7),
        "feature_index": _int_col(feat, ok),
        "section": section.array(text_dtype),
        "part_index": _int_col(part, ok),
        "segment_index": _int_col(seg, ok),
        "azimuth_deg": np.round(az, 4),
        "distance_low_m": np.round(np.where(ok, low, np.nan), 3),
        "distance_high_m": np.round(np.where(ok, high, np.nan), 3),
        "layer": layer_col.array(text_dtype),
        "layer_sha256": sha_col.array(text_dtype),
        "method": method.array(text_dtype),
        "geomap_version": __version__,
        "location_uncertainty_m": radius_out,
        "layer_accuracy_m": np.where(ok, acc, np.nan),
        "inside_area": _bool_col(inside, has_side),
        "area_layer": area_col.array(text_dtype),
        "signed_distance_m": np.round(np.where(has_side, signed_distance(d, inside), np.nan), 3),
    }
    if areas:
        out["area_min_m"] = np.round(area_min, 3)
        out["area_max_m"] = np.round(area_max, 3)
    if as_of is not None:
        out["as_of_date"] = _date_column(as_of).array(text_dtype)
        out["layer_valid_from"] = valid_from.array(text_dtype)
        out["layer_valid_to"] = valid_to.array(text_dtype)
    verdict_counts = codes = None
    if claim is not None:
        text, verdicts, margin, codes = verdict_columns(claim, out["distance_low_m"], out["distance_high_m"])
        out["claim"] = text.array(text_dtype)
        for name, col in verdicts.items():
            out[name] = col.array(text_dtype)
        out["verdict_margin_m"] = margin
        verdict_counts = verdicts["verdict"].counts(order="first")
    for key, value in out.items():
        frame[key] = value
    summary = status_col.counts(order="text")
    if sum(summary.values()) != len(frame):  # pragma: no cover - an invariant, checked on every run
        raise AssertionError("status counts do not add up to the input rows")
    return Result(
        frame=frame,
        summary=summary,
        lon=np.asarray(table.lon, dtype=float),
        lat=np.asarray(table.lat, dtype=float),
        source=table.source,
        id_col=table.schema.id_col,
        layers=evidence,
        verdicts=verdict_counts,
        claim=claim,
        lines=used_lines,
        areas=areas,
        offset_m=offset,
        verdict_codes=codes[ok] if codes is not None else None,
        area_geoms=area_geoms,
    )


def _measure_areas(idx, area_geoms, lineset, tolerance_m) -> dict[int, AreaRange]:
    """:class:`AreaRange` of every area row among ``idx`` (rows whose ``area_geoms`` entry is a geometry)."""
    from geomap.pipeline.distance import area_distance_range, distance_to_line

    rows = [int(i) for i in idx if area_geoms[i] is not None]
    if not rows:
        return {}
    ranges = {i: area_distance_range(area_geoms[i], lineset, tolerance_m=tolerance_m) for i in rows}
    # the nearest points of the line to each area's min and max points (for maps), in one call
    lon = [v for i in rows for v in (ranges[i].min_lon, ranges[i].max_lon)]
    lat = [v for i in rows for v in (ranges[i].min_lat, ranges[i].max_lat)]
    res = distance_to_line(lon=lon, lat=lat, lines=lineset)
    out = {}
    for k, i in enumerate(rows):
        r = ranges[i]
        out[i] = AreaRange(
            min_m=r.min_m, max_m=r.max_m, max_tolerance_m=r.max_tolerance_m,
            min_lon=r.min_lon, min_lat=r.min_lat, max_lon=r.max_lon, max_lat=r.max_lat,
            min_nearest=(float(res.nearest_lon[2 * k]), float(res.nearest_lat[2 * k])),
            max_nearest=(float(res.nearest_lon[2 * k + 1]), float(res.nearest_lat[2 * k + 1])),
            intersects_line=r.intersects, points_evaluated=r.n_evaluated,
        )
    return out


class _TextColumn:
    """A text result column kept as integer codes into a short list of values until it is built.

    Most result columns hold a few distinct strings (a layer id, a status, a
    verdict).  Filled into a million-row object array, pandas turns them into its
    string dtype at ~0.1 s a column; from codes, arrow builds the same column in ~15 ms.

    Attributes
    ----------
    codes : ndarray of int32
        Position in ``values`` of each row's value; -1 for a missing value.
    values : list
        The values (usually str; repeats allowed) the codes point into.
    """

    def __init__(self, n: int, codes: np.ndarray | None = None, values: list | None = None):
        self.codes = np.full(n, -1, dtype=np.int32) if codes is None else codes
        self.values = [] if values is None else values

    def add(self, values: list) -> np.ndarray:
        """Append ``values`` and return their codes (-1 for None)."""
        start = len(self.values)
        self.values.extend(values)
        codes = np.arange(start, start + len(values), dtype=np.int32)
        codes[[v is None for v in values]] = -1
        return codes

    def fill(self, rows, value) -> None:
        """Give the rows ``rows`` (indices or a mask) the value ``value`` (None: missing)."""
        self.codes[rows] = self.add([value])[0]

    def array(self, dtype):
        """The column for a frame: a string array of ``dtype``, equal to what pandas makes of the values.

        ``dtype`` is :func:`_text_dtype`.  Where pandas would not make a string
        column (no string dtype: ``dtype`` None; no value present; a value that
        is not a str), the object array of values and None is returned, for
        pandas to convert as it always did.
        """
        present = self.codes >= 0
        if (dtype is not None and present.any()
                and all(isinstance(v, str) for v in self.values)):
            import pyarrow as pa

            indices = pa.array(self.codes, mask=None if present.all() else ~present)
            return dtype.__from_arrow__(pa.array(self.values, type=pa.large_string()).take(indices))
        return np.array([*self.values, None], dtype=object)[self.codes]

    def counts(self, order: str) -> dict[str, int]:
        """Rows per value (str of the value; missing rows left out).

        ``order="text"`` sorts them by their text (as ``np.unique`` would);
        ``order="first"`` by their first row (as a ``Counter`` would).
        """
        present = self.codes[self.codes >= 0]
        per_code = np.bincount(present, minlength=len(self.values))
        counts: dict[str, int] = {}
        for code in np.flatnonzero(per_code):
            counts[str(self.values[code])] = counts.get(str(self.values[code]), 0) + int(per_code[code])
        if order == "text":
            return dict(sorted(counts.items()))
        first = {str(self.values[code]): int(np.argmax(self.codes == code)) for code in np.flatnonzero(per_code)}
        return dict(sorted(counts.items(), key=lambda item: first[item[0]]))


def _text_dtype():
    """The dtype pandas gives a frame column assigned an object array of strings and None."""
    import pandas as pd

    dtype = pd.Series(np.array(["", None], dtype=object)).dtype
    return dtype if isinstance(dtype, pd.StringDtype) else None


def _status_column(status: np.ndarray, ok: np.ndarray) -> _TextColumn:
    """The status column as codes: ``ok`` rows code 0, the other statuses factorised."""
    import pandas as pd

    codes = np.zeros(status.shape, dtype=np.int32)
    bad, values = pd.factorize(status[~ok], use_na_sentinel=False)
    codes[~ok] = bad + 1
    return _TextColumn(status.size, codes, [OK, *values])


def _date_column(dates: np.ndarray) -> _TextColumn:
    """ISO dates (YYYY-MM-DD) as codes; missing where NaT."""
    import pandas as pd

    codes, uniq = pd.factorize(dates.view(np.int64))
    codes = codes.astype(np.int32)
    codes[np.isnat(dates)] = -1
    text = np.datetime_as_string(np.asarray(uniq, dtype=np.int64).view(dates.dtype), unit="D")
    return _TextColumn(dates.size, codes, text.tolist())


def _int_col(values, ok):
    """A nullable Int64 column: ``values`` where ``ok``, else missing (its data 0)."""
    import pandas as pd

    return pd.arrays.IntegerArray(np.where(ok, values, 0).astype(np.int64, copy=False), ~ok)


def _bool_col(values, known):
    """A nullable boolean column: ``values`` where ``known``, else missing (its data False)."""
    import pandas as pd

    return pd.arrays.BooleanArray(np.where(known, values, False), ~known)




def verdict_columns(claim, low_m, high_m) -> tuple[_TextColumn, dict[str, _TextColumn], np.ndarray, np.ndarray]:
    """:func:`geomap.verdict.judge_intervals` as result columns: ``(claim, verdicts, verdict_margin_m, codes)``."""
    from geomap.verdict import VERDICTS, judge_intervals

    lo = np.asarray(low_m, dtype=float)
    ruled = judge_intervals(claim, lo, high_m)
    text = _TextColumn(lo.size)
    text.fill(ruled["verdict"] >= 0, getattr(claim, "matched_text", None) or getattr(claim, "text", ""))
    verdicts = {name: _TextColumn(lo.size, ruled[key].astype(np.int32), list(VERDICTS))
                for name, key in (("verdict", "verdict"), ("verdict_strict", "strict"), ("verdict_lenient", "lenient"))}
    return text, verdicts, np.round(ruled["margin_m"], 3), ruled["verdict"]


def incident_table(incidents, *, source: str = "incidents"):
    """A :class:`~geomap.io.points.PointTable` with one row per :class:`~geomap.pipeline.incidents.Incident`.

    ``--at`` points and resolved places go through :func:`measure_table` as
    such a table, so they get exactly the columns, interval rule, verdict rule
    and evidence of a file's rows.  An incident with an ``area`` is measured
    over the whole area.
    """
    import pandas as pd

    from geomap.io.points import PointTable, Schema

    incidents = list(incidents)
    n = len(incidents)
    lon = np.array([i.lon for i in incidents], dtype=float)
    lat = np.array([i.lat for i in incidents], dtype=float)
    frame = pd.DataFrame({"incident": [i.label for i in incidents], "kind": [i.kind for i in incidents],
                          "lon": lon, "lat": lat})
    areas = np.empty(n, dtype=object)
    areas[:] = [i.area for i in incidents]
    return PointTable(frame, lon, lat, np.full(n, OK, dtype=object), source, "lon", "lat",
                      Schema("incidents", "lon", "lat"), radius_m=np.array([i.radius_m for i in incidents], dtype=float),
                      area=areas if any(a is not None for a in areas) else None)


def line_args(choice) -> dict[str, Any]:
    """``lines=`` or ``theatre=``/``date=`` for :func:`measure_table` from a :class:`~geomap.pipeline.request.LineChoice`."""
    if choice.theatre is not None:
        return {"theatre": choice.theatre, "date": choice.date, "source": choice.source}
    return {"lines": choice.load()}
