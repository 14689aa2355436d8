"""The one measuring engine: every row of a table, measured against its line, with a status.

:func:`measure_table` measures a :class:`geomap.io.points.PointTable` (a file's
rows, or the one-row-per-incident table of ``--at``/``--place`` inputs built by
:func:`incident_table`) against one line, or (``theatre=``) against the line
valid on each row's own date.  Points get the exact geodesic distance and the
interval of :func:`geomap.layers.distance.distance_interval`; area incidents
(districts, polygons in a file) the min-max over the whole area and
:func:`geomap.layers.distance.area_interval`; a claim is judged by
:func:`geomap.verdict.judge_intervals`.  It returns one
:class:`~geomap.pipeline.result.Result`.  ``geomap.pipeline.dask`` runs the same
function over partitions.
"""

from __future__ import annotations

import datetime as _dt
from typing import Any, Callable

import numpy as np

from geomap import stop
from geomap._version import __version__
from geomap.errors import InputError
from geomap.io.write import COORD_DECIMALS
from geomap.layers import known_errors
from geomap.pipeline.columns import (KernelColumns, TextColumn, bool_col, date_column, int_col, set_columns,
                                     status_column, text_dtype)
from geomap.pipeline.dates import layer_codes_by_date, rows_across_changes
from geomap.pipeline.result import OK, AreaRange, Result
from geomap.pipeline.suspects import refuse_suspect_file, row_suspects

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

#: the side of the line, where the line's layer names the area held behind it (else empty), by the
#: side rule of :mod:`geomap.layers.sides`: ``inside_area`` (True inside the held area, empty where the
#: side is uncertain), ``area_layer``, ``signed_distance_m`` (negative inside, positive outside) and its
#: interval ``signed_distance_low_m``/``signed_distance_high_m``, ``side`` (inside/outside/uncertain)
#: and ``held_by`` (from the area layer's metadata)
SIDE_COLUMNS = ("inside_area", "area_layer", "signed_distance_m", "signed_distance_low_m", "signed_distance_high_m",
                "side", "held_by")

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
    codes, layers = layer_codes_by_date(theatre, dates, kind, source)
    return np.array([*layers, None], dtype=object)[codes], layers


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
    check_swaps: bool = True,
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
        ``invalid_date``, rows whose date no layer covers ``no_layer_for_date``,
        rows dated by a range (UCDP ``date_end``, or a UTC time whose local day
        is one of three) over which the line changes ``date_spans_layers``.
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
    check_swaps : bool
        Apply the swap rule of :func:`geomap.places.context.swap_suspects`: a row far
        from the line that lies near it with lon and lat exchanged gets the status
        ``suspect_swapped`` (its distance is still given, it gets no verdict); when
        most measured rows look swapped the table is refused (InputError naming
        the column options).  The sign rule of :func:`geomap.places.context.sign_suspects`
        likewise gives ``suspect_sign`` (a lost or added minus sign).  Off for
        coordinates that came from the gazetteer.

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
            if getattr(table, "date_conflict", None):
                raise InputError(table.date_conflict)
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
        layer_codes, layer_meta = layer_codes_by_date(theatre, np.where(ok, dates, np.datetime64("NaT")), source=source)
        no_layer = ok & (layer_codes < 0)
        status[no_layer] = "no_layer_for_date"
        ok &= ~no_layer
        first = getattr(table, "date_first", None)
        spans = ok & rows_across_changes(theatre, dates if first is None else first, getattr(table, "date_end", None),
                                   source)
        status[spans] = "date_spans_layers"
        ok &= ~spans
        layer_codes[spans] = -1  # not measured against the line of its first day
        groups = _rows_by_code(layer_codes, list(layer_meta))
        as_of = dates
    else:
        if lines is None:
            raise InputError("no line of contact given: pass --layer ID|PATH, or --theatre NAME "
                             "(each row measured as of its own date)")
        key = getattr(lines, "source", "line")
        lines_by_id[key] = lines
        groups = {key: np.flatnonzero(ok)}
        layer_meta = {key: lines.layer} if getattr(lines, "layer", None) is not None else {}
        dates = _row_dates(table, ok, date)
        _note_rows_outside_validity(lines, dates)

    known = None  # the known_error column (geomap.layers.known_errors.KNOWN_ERROR_COLUMN), where one is recorded
    if known_errors.recorded(theatre, lines):
        areas = getattr(table, "area", None)
        codes, labels, known_side, refused, known_error_m = known_errors.rows_near(
            groups, layer_meta, lines_by_id, table.lon, table.lat,
            known_errors.covering_radius_m(table.lon, table.lat, row_radius, areas), dates, areas)
        known = TextColumn(n, codes, labels)
        status[refused] = known_errors.KNOWN_WRONG
        ok &= ~refused
        groups = {lid: idx[~refused[idx]] for lid, idx in groups.items()}

    from geomap.layers.distance import area_distance_range, area_interval, distance_interval

    area_geoms = getattr(table, "area", None)
    areas: dict[int, AreaRange] = {}
    kernel = KernelColumns(n)  # the kernel's answers for every row: NaN / -1 where not measured
    section = TextColumn(n)
    layer_col = TextColumn(n)
    sha_col = TextColumn(n)
    acc = np.full(n, np.nan)
    valid_from = TextColumn(n)
    valid_to = TextColumn(n)
    inside = np.zeros(n, dtype=bool)
    has_side = np.zeros(n, dtype=bool)
    no_side = np.zeros(n, dtype=bool)  # on neither or both sides' polygons of a two-sided map (sides.other_side)
    unassigned_m = np.full(n, np.inf)  # to the area a two-sided map leaves to neither side (sides.unassigned_distance)
    suspect = np.zeros(n, dtype=bool)  # swap and sign suspects, see check_swaps
    sign = np.zeros(n, dtype=bool)  # sign suspects (a lost or added minus sign)
    area_col = TextColumn(n)
    held_col = TextColumn(n)
    evidence: dict[str, dict[str, Any]] = {}
    used_lines: dict[str, Any] = {}
    user_lines: list = []
    for lid, idx, lineset, measured in _group_distances(groups, table, lines_by_id, chunk_rows, workers):
        # the section codes by feature index, the last (index -1: no feature) for no section
        labels = np.append(section.add([lineset.label(f) for f in range(len(lineset))]), -1)
        stated = getattr(lineset, "accuracy_m", None)
        accuracy_m = np.nan if stated is None else float(stated)  # NaN: none stated (the interval adds 0)
        for rows, res in measured:
            # The kernel reports a nearest point on a shared vertex on the earlier segment
            # (ties go to the lower piece), whatever the batch a point is queried in.
            kernel.put(rows, res)
            section.codes[rows] = labels[res.feature_index]
            if progress is not None:
                progress(int(rows.size))
        if check_swaps:
            if getattr(lineset, "layer", None) is None:  # the user's own line file: it may be the swapped one
                user_lines.append(lineset.source)
            swapped, signed = row_suspects(table, idx, kernel.column("distance_m"), lineset)
            suspect[idx] = swapped | signed
            sign[idx] = signed & ~swapped
        if area_geoms is not None:
            areas.update(_measure_areas(idx, area_geoms, lineset, tolerance_m))
        ev = dict(res.evidence(), rows=int(idx.size))
        evidence[str(ev.get("layer") or lid)] = ev
        # for maps: the geometry without its index, so many versions do not pin many indexes
        used_lines[str(ev.get("layer") or lid)] = lineset if len(groups) == 1 else _without_index(lineset)
        layer_col.fill(idx, ev["layer"])
        sha_col.fill(idx, ev["layer_sha256"])
        acc[idx] = accuracy_m
        if known is not None:  # another source of the line lies farther off here than the stated accuracy
            acc[idx] = np.where(known_error_m[idx] > np.nan_to_num(acc[idx]), known_error_m[idx], acc[idx])
        meta = getattr(lineset, "layer", None)
        if meta is not None:
            valid_from.fill(idx, meta.valid_from)
            valid_to.fill(idx, meta.valid_to)
            if getattr(meta, "area_layer", None):
                from geomap.layers.sides import held_by, inside_area, other_side, unassigned_distance

                inside[idx] = inside_area(table.lon[idx], table.lat[idx], meta.area_layer)
                has_side[idx] = True
                other = other_side(table.lon[idx], table.lat[idx], meta.area_layer)
                if other is not None:  # a side only where exactly one side's polygons hold the point
                    no_side[idx] = ~(inside[idx] ^ other)
                    unassigned = unassigned_distance(table.lon[idx], table.lat[idx], meta.area_layer)
                    if unassigned is not None:
                        unassigned_m[idx] = unassigned
                area_col.fill(idx, meta.area_layer)
                held_col.fill(idx, held_by(meta.area_layer))
    if progress is not None:
        rest = int(np.count_nonzero(~ok))
        if rest:
            progress(rest)

    d, offset, nlon, nlat, az, feat, part, seg = (kernel.column(name) for name in KernelColumns.NAMES)
    # a shallow copy: the added columns go to the copy only, the input's data are not duplicated
    frame = table.frame.copy(deep=False) if hasattr(table.frame, "copy") else pd.DataFrame(table.frame)
    frame = frame.reset_index(drop=True)
    added = list(RESULT_COLUMNS) + list(UNCERTAINTY_COLUMNS) + list(SIDE_COLUMNS)
    if areas:
        added += list(AREA_COLUMNS)
    if known is not None:
        added.append(known_errors.KNOWN_ERROR_COLUMN)
    if as_of is not None:
        added += list(AS_OF_COLUMNS)
    if claim is not None:
        added += list(VERDICT_COLUMNS)
    clash = [c for c in added if c in frame.columns]
    if clash:  # geomap's own output measured again: input_status, input2_status, ... never a duplicate
        taken = set(frame.columns) | set(added)
        names = {}
        for c in clash:
            k, name = 1, f"input_{c}"
            while name in taken:
                k += 1
                name = f"input{k}_{c}"
            names[c] = name
            taken.add(name)
        frame = frame.rename(columns=names)
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
    # beyond a two-sided map (or in a hole neither side fills, or where the sides overlap) the map does not say
    # where the front runs: it may pass by the point, so only the upper end of the interval holds
    low[no_side & has_side] = 0.0
    from geomap.layers.sides import SIDES, UNCERTAIN, side_rule, signed_distance

    signed = np.where(has_side, signed_distance(d, inside), np.nan)
    side, side_low, side_high = side_rule(signed, acc, row_radius)  # codes into SIDES, -1: no side
    near = np.isfinite(unassigned_m)
    if near.any():  # the front may run anywhere through an area the map leaves to neither side: as near as it
        closest = np.minimum(np.abs(signed[near]), unassigned_m[near])
        width = np.abs(row_radius[near] if np.ndim(row_radius) else row_radius) + np.nan_to_num(acc[near])
        low[near] = np.minimum(low[near], np.maximum(closest - width, 0.0))
        held = signed[near] < 0
        side_low[near] = np.where(held, side_low[near], closest - width)
        side_high[near] = np.where(held, width - closest, side_high[near])
        flip = (side[near] >= 0) & (side_low[near] <= 0) & (side_high[near] >= 0)
        side[np.flatnonzero(near)[flip]] = SIDES.index(UNCERTAIN)
    for i, rng in areas.items():  # an area the line crosses lies on both sides: its point says nothing
        if rng.intersects_line and has_side[i]:
            side[i] = SIDES.index(UNCERTAIN)
    side[no_side & has_side] = SIDES.index(UNCERTAIN)  # a two-sided map gives neither side, or both
    if known is not None:  # near a place the layer puts on the wrong side, the map supports no side
        side[known_side & has_side & (side >= 0)] = SIDES.index(UNCERTAIN)
    side_col = TextColumn(n, side, list(SIDES))

    string_dtype = text_dtype()
    if suspect.any():
        refuse_suspect_file(table, suspect & ~sign, sign, ok, user_lines)
        status[suspect] = "suspect_swapped"
        status[sign] = "suspect_sign"
    status_col = status_column(status, ok & ~suspect)
    method = TextColumn(n)
    method.fill(ok, "geodesic-exact-WGS84")
    low, high = np.where(ok, low, np.nan), np.where(ok, high, np.nan)
    # columns below used for nothing else are rounded in place (a new 1M-row array costs ~10 ms of page faults)
    out: dict[str, Any] = {
        "status": status_col.array(string_dtype),
        "distance_m": np.round(d, 3),
        "nearest_lon": np.round(nlon, COORD_DECIMALS, out=nlon),
        "nearest_lat": np.round(nlat, COORD_DECIMALS, out=nlat),
        "feature_index": int_col(feat, ok),
        "section": section.array(string_dtype),
        "part_index": int_col(part, ok),
        "segment_index": int_col(seg, ok),
        "azimuth_deg": np.round(az, 4, out=az),
        "distance_low_m": np.round(low, 3, out=low),
        "distance_high_m": np.round(high, 3, out=high),
        "layer": layer_col.array(string_dtype),
        "layer_sha256": sha_col.array(string_dtype),
        "method": method.array(string_dtype),
        "geomap_version": __version__,
        "location_uncertainty_m": radius_out,
        "layer_accuracy_m": np.where(ok, acc, np.nan),
        "inside_area": bool_col(inside, has_side & (side >= 0) & (side != SIDES.index(UNCERTAIN))),
        "area_layer": area_col.array(string_dtype),
        "signed_distance_m": np.round(signed, 3, out=signed),
        "signed_distance_low_m": np.round(side_low, 3, out=side_low),
        "signed_distance_high_m": np.round(side_high, 3, out=side_high),
        "side": side_col.array(string_dtype),
        "held_by": held_col.array(string_dtype),
    }
    if known is not None:
        out[known_errors.KNOWN_ERROR_COLUMN] = known.array(string_dtype)
    if areas:
        out["area_min_m"] = np.round(area_min, 3)
        out["area_max_m"] = np.round(area_max, 3)
    if as_of is not None:
        out["as_of_date"] = date_column(as_of).array(string_dtype)
        out["layer_valid_from"] = valid_from.array(string_dtype)
        out["layer_valid_to"] = valid_to.array(string_dtype)
    verdict_counts = codes = None
    if claim is not None:
        text, verdicts, margin, codes = verdict_columns(claim, np.where(suspect, np.nan, out["distance_low_m"]),
                                                        np.where(suspect, np.nan, out["distance_high_m"]))
        out["claim"] = text.array(string_dtype)
        for name, col in verdicts.items():
            out[name] = col.array(string_dtype)
        out["verdict_margin_m"] = margin
        verdict_counts = verdicts["verdict"].counts(order="first")
    set_columns(frame, out)  # the arrays are new and nothing else holds them: taken without a copy
    if getattr(table, "index", None) is not None:  # a caller's frame: its rows keep their labels (after the
        frame.index = table.index                  # columns, which were built and set by position)
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
        verdict_codes=codes[ok & ~suspect] if codes is not None else None,
        area_geoms=area_geoms,
    )


def _group_distances(groups: dict, table, lines_by_id: dict, chunk_rows: int, workers: int | None):
    """Yield ``(layer id, rows, LineSet, [(chunk rows, DistanceResult), ...])`` for each non-empty group, in order.

    One group (one line) is measured in chunks with the kernel's own threads.  Many
    groups (dated versions) are loaded and measured ``workers`` at a time, each
    group on one thread, at most ``2 * workers`` ahead of the caller, so only a
    few versions' indexes are alive at once (the rest wait in the bounded cache
    of :mod:`geomap.layers.cache` or are rebuilt).
    """
    from concurrent.futures import ThreadPoolExecutor

    from geomap.layers.distance import distance_to_line

    todo = [(lid, idx) for lid, idx in groups.items() if idx.size]
    threads = max(1, int(workers or 2)) if len(todo) > 1 else 1

    def one(lid, idx, kernel_workers):
        lineset = lines_by_id.get(lid)
        if lineset is None:  # built once per process, kept in a bounded LRU cache (many dated versions)
            from geomap.layers.cache import cached_lines

            lineset = cached_lines(lid)
        measured = []
        for start in range(0, idx.size, chunk_rows):
            stop.check()  # a stop signal whose first raise was dropped (in a library's callback)
            rows = idx[start:start + chunk_rows]
            measured.append((rows, distance_to_line(lon=table.lon[rows], lat=table.lat[rows], lines=lineset,
                                                    workers=kernel_workers)))
        return lid, idx, lineset, measured

    if threads == 1:
        for lid, idx in todo:
            yield one(lid, idx, workers)
        return
    with ThreadPoolExecutor(max_workers=threads) as pool:
        window = []
        for lid, idx in todo:
            window.append(pool.submit(one, lid, idx, 1))
            if len(window) > 2 * threads:
                yield window.pop(0).result()
        for future in window:
            yield future.result()


def _rows_by_code(codes: np.ndarray, ids: list) -> dict:
    """``{ids[k]: rows whose code is k}`` (ascending row numbers; codes < 0 left out), in one sort.

    One comparison over every row per id cost 0.2 s for 1,000,000 rows over 700 versions.
    """
    order = np.argsort(codes, kind="stable")  # stable: each group's rows stay ascending
    bounds = np.searchsorted(codes[order], np.arange(len(ids) + 1), side="left")
    return {lid: order[bounds[k]:bounds[k + 1]] for k, lid in enumerate(ids)}


def _without_index(lineset):
    """A shallow copy of a LineSet sharing its geometry but not its (large) segment index."""
    import dataclasses

    return dataclasses.replace(lineset, _index=None) if dataclasses.is_dataclass(lineset) else lineset


def _measure_areas(idx, area_geoms, lineset, tolerance_m) -> dict[int, AreaRange]:
    """:class:`AreaRange` of every area row among ``idx`` (rows whose ``area_geoms`` entry is a geometry)."""
    from geomap.layers.distance import area_distance_range, distance_to_line

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


def verdict_columns(claim, low_m, high_m) -> tuple[TextColumn, dict[str, TextColumn], np.ndarray, np.ndarray]:
    """:func:`geomap.verdict.judge_intervals` as result columns: ``(claim, verdicts, verdict_margin_m, codes)``."""
    from geomap.verdict import VERDICTS, judge_intervals

    lo = np.asarray(low_m, dtype=float)
    ruled = judge_intervals(claim, lo, high_m)
    text = TextColumn(lo.size)
    text.fill(ruled["verdict"] >= 0, getattr(claim, "label", None) or getattr(claim, "text", ""))
    verdicts = {name: TextColumn(lo.size, ruled[key].astype(np.int32), list(VERDICTS))
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


def _row_dates(table, ok, date) -> np.ndarray | None:
    """The date of each row (datetime64[D], NaT where unknown), from its date column or ``date``; None if neither."""
    if table.has_dates:
        return np.where(ok & (table.date_status == OK), table.date, np.datetime64("NaT"))
    if date is not None:
        from geomap.layers.registry import parse_date

        return np.full(len(table), np.datetime64(parse_date(date).isoformat(), "D"))
    return None


def _note_rows_outside_validity(lines, dates) -> None:
    """One stderr note when a single dated layer (``--layer``) is used for rows dated outside its validity.

    They are measured against it all the same (the user chose the layer); the
    note counts them and names ``--theatre``, which measures each row as of its date.
    """
    import logging

    layer = getattr(lines, "layer", None)
    start, end = getattr(layer, "valid_from", None), getattr(layer, "valid_to", None)
    if layer is None or not (start or end) or dates is None:
        return
    known = ~np.isnat(dates)
    outside = np.zeros(dates.shape, dtype=bool)
    if start:
        outside |= known & (dates < np.datetime64(str(start), "D"))
    if end:
        outside |= known & (dates > np.datetime64(str(end), "D"))
    n = int(np.count_nonzero(outside))
    if n:
        logging.getLogger("geomap").warning(
            "note: %d row%s dated outside %s's validity (%s..%s) %s measured against it all the same; "
            "--theatre %s measures each row against the line valid on its date",
            n, "" if n == 1 else "s", layer.id, start or "", end or "", "was" if n == 1 else "were",
            layer.theatre or "NAME")
