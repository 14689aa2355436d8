"""Batch measurement of many incident rows: every input row comes out, with a status.

The in-memory engine.  :func:`measure_table` measures a
:class:`geomap.io.points.PointTable` against one line, or (``theatre=``) against
the line valid on each row's own date; :func:`measure_file` and
:func:`check_file` are the jobs behind ``geomap distance FILE`` and
``geomap check FILE``.  ``geomap.pipeline.dask`` runs the same computation over
partitions.

Exit codes: a batch run exits 1 when any row could not be measured (the output
is still written), 0 otherwise.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

import numpy as np

from geomap._version import __version__
from geomap.errors import InputError, LayerNotFound
from geomap.io.tables import (  # noqa: F401 - the writers live in geomap.io; re-exported for scripts
    CSV_SLICE_ROWS,
    CSV_THREADS,
    OUTPUT_SUFFIXES,
    output_kind,
    to_geoframe,
    write_csv,
    write_csv_table,
    write_frame,
    write_result,
)
from geomap.io.write import COORD_DECIMALS, atomic_path  # noqa: F401

#: columns geomap adds to each row (a public contract: scripts rely on these names)
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

#: statuses that mean "measured"
OK = "ok"

#: the values of the verdict columns, in the order of their codes in :func:`_verdict_columns`
_VERDICTS = ("supported", "inconclusive", "contradicted")

#: rows per call of the kernel (it splits them over its threads and bounds its own memory;
#: large calls let it share candidate lists between nearby points: 1M rows in 5.4 s vs 7.2 s
#: in calls of 200,000); also the progress bar's step
CHUNK_ROWS = 1_000_000

@dataclass
class BatchResult:
    """The measured rows of a batch run, with the status counts and evidence.

    Attributes
    ----------
    frame : pandas.DataFrame
        Every input row, input columns first, then :data:`RESULT_COLUMNS`,
        :data:`UNCERTAINTY_COLUMNS`, :data:`SIDE_COLUMNS` (and :data:`AS_OF_COLUMNS`,
        :data:`VERDICT_COLUMNS` when used).
    summary : dict
        status -> number of rows; adds up to ``len(frame)``.
    lon, lat : ndarray
        The rows' input points (degrees; NaN where the coordinates are unusable),
        used as the geometry of vector outputs.
    layers : dict
        layer id -> evidence (source, sha256, validity, accuracy) for each layer used.
    verdicts : dict or None
        verdict -> number of rows (for :func:`check_file`).
    """

    frame: Any
    summary: dict[str, int]
    lon: np.ndarray
    lat: np.ndarray
    source: str = ""
    id_col: str | None = None
    layers: dict[str, dict[str, Any]] = field(default_factory=dict)
    verdicts: dict[str, int] | None = None
    failure_examples: list | None = None

    @property
    def exit_code(self) -> int:
        """1 if any row could not be measured, else 0."""
        return 0 if set(self.summary) <= {OK} else 1

    def failures(self, limit: int = 5) -> list[tuple[str, str]]:
        """The first ``limit`` rows that failed, as (row id or 'row N', status)."""
        if self.frame is None:
            return list(self.failure_examples or [])[:limit]
        status = self.frame["status"].to_numpy()
        bad = np.flatnonzero(status != OK)[:limit]
        out = []
        for i in bad:
            ident = self.frame[self.id_col].iloc[i] if self.id_col else None
            out.append((f"{self.id_col}={ident}" if ident is not None else f"row {i + 1}", str(status[i])))
        return out


# --------------------------------------------------------------------- as-of selection
def select_layers_by_date(theatre: str, dates: np.ndarray, kind: str = "line") -> tuple[np.ndarray, dict]:
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
    codes, layers = _layer_codes(theatre, dates, kind)
    return np.array([*layers, None], dtype=object)[codes], layers


def _layer_codes(theatre: str, dates: np.ndarray, kind: str = "line") -> tuple[np.ndarray, dict]:
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
            layer = select_layer(theatre, _dt.date.fromisoformat(str(day)), kind=kind)
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
    radius_m: float = 0.0,
    claim=None,
    lines_by_id: dict | None = None,
    progress: Callable[[int], None] | None = None,
    chunk_rows: int = CHUNK_ROWS,
    workers: int | None = None,
) -> BatchResult:
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

    Returns
    -------
    BatchResult
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
        layer_codes, layer_meta = _layer_codes(theatre, np.where(ok, dates, np.datetime64("NaT")))
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

    from geomap.pipeline.distance import distance_to_line

    d = np.full(n, np.nan)
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
        ev = dict(lineset.evidence(), rows=int(idx.size))
        evidence[str(ev.get("layer") or lid)] = ev
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
    if as_of is not None:
        added += list(AS_OF_COLUMNS)
    if claim is not None:
        added += list(VERDICT_COLUMNS)
    clash = [c for c in added if c in frame.columns]
    if clash:
        frame = frame.rename(columns={c: f"input_{c}" for c in clash})
    radius_out = np.where(ok, row_radius, np.nan)
    low = np.maximum(d - row_radius - np.nan_to_num(acc), 0.0)
    high = d + row_radius + np.nan_to_num(acc)
    from geomap.layers.sides import signed_distance

    text_dtype = _text_dtype()
    status_col = _status_column(status, ok)
    method = _TextColumn(n)
    method.fill(ok, "geodesic-exact-WGS84")
    out: dict[str, Any] = {
        "status": status_col.array(text_dtype),
        "distance_m": np.round(d, 3),
        "nearest_lon": np.round(nlon, COORD_DECIMALS),
        "nearest_lat": np.round(nlat, COORD_DECIMALS),
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
    if as_of is not None:
        out["as_of_date"] = _date_column(as_of).array(text_dtype)
        out["layer_valid_from"] = valid_from.array(text_dtype)
        out["layer_valid_to"] = valid_to.array(text_dtype)
    verdict_counts = None
    if claim is not None:
        text, verdicts, margin = _verdict_columns(claim, out["distance_low_m"], out["distance_high_m"])
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
    return BatchResult(
        frame=frame,
        summary=summary,
        lon=np.asarray(table.lon, dtype=float),
        lat=np.asarray(table.lat, dtype=float),
        source=table.source,
        id_col=table.schema.id_col,
        layers=evidence,
        verdicts=verdict_counts,
    )


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


def measure_points(table, lines, *, radius_m: float = 0.0):
    """Measure every row of ``table`` against one line: returns ``(frame, summary)``.

    The older two-value form of :func:`measure_table` (kept for scripts).
    """
    result = measure_table(table, lines=lines, radius_m=radius_m)
    return result.frame, result.summary


# --------------------------------------------------------------------- verdicts
def judge_intervals(claim, low_m, high_m) -> dict[str, np.ndarray]:
    """Vectorised :func:`geomap.verdict.judge` over many distance intervals.

    Applies the same closed-range rule to every ``[low_m[i], high_m[i]]`` (NaN
    = not measured, giving None).  Returns the :data:`VERDICT_COLUMNS`:
    ``verdict``, ``verdict_strict``, ``verdict_lenient`` (each ``supported`` /
    ``contradicted`` / ``inconclusive``) and ``verdict_margin_m`` (the
    ``margin_m`` of :class:`geomap.verdict.Verdict`), plus ``claim`` (its text).
    """
    text, verdicts, margin = _verdict_columns(claim, low_m, high_m)
    cols = {"claim": text.array(None)}
    cols.update({name: col.array(None) for name, col in verdicts.items()})
    cols["verdict_margin_m"] = margin
    return cols


def _verdict_columns(claim, low_m, high_m) -> tuple[_TextColumn, dict[str, _TextColumn], np.ndarray]:
    """:func:`judge_intervals` with the text columns as codes: ``(claim, verdicts, verdict_margin_m)``."""
    lo = np.asarray(low_m, dtype=float)
    hi = np.asarray(high_m, dtype=float)
    measured = np.isfinite(lo) & np.isfinite(hi)
    supported, inconclusive, contradicted = range(3)

    def outcome(reading):
        lower, upper = reading.lower_m, reading.upper_m
        inside = (lower <= lo) & (hi <= upper)
        overlap = (lo <= upper) & (hi >= lower)
        res = np.where(inside, supported, np.where(overlap, inconclusive, contradicted)).astype(np.int32)
        res[~measured] = -1
        return res

    strict = outcome(claim.strict)
    lenient = outcome(claim.lenient)
    verdict = np.where(strict == supported, supported,
                       np.where(lenient == contradicted, contradicted, inconclusive)).astype(np.int32)
    verdict[~measured] = -1
    margin = np.full(lo.shape, np.nan)
    s_min, s_max = claim.strict.min_m, claim.strict.max_m
    clear = [lo - s_min if s_min is not None else None, s_max - hi if s_max is not None else None]
    clear = [c for c in clear if c is not None]
    sup = verdict == supported
    if clear:
        margin[sup] = np.minimum.reduce(clear)[sup] if len(clear) > 1 else clear[0][sup]
    con = verdict == contradicted
    below = hi < claim.lenient.lower_m
    margin[con & below] = (claim.lenient.lower_m - hi)[con & below]
    margin[con & ~below] = (lo - claim.lenient.upper_m)[con & ~below]
    text = _TextColumn(lo.size)
    text.fill(measured, getattr(claim, "matched_text", None) or getattr(claim, "text", ""))
    verdicts = {name: _TextColumn(lo.size, codes, list(_VERDICTS))
                for name, codes in (("verdict", verdict), ("verdict_strict", strict), ("verdict_lenient", lenient))}
    return text, verdicts, np.round(margin, 3)


# --------------------------------------------------------------------- jobs
def read_table(inputs):
    """Read the points file named by a :class:`geomap.pipeline.request.Inputs`."""
    from geomap.io.points import read_points

    return read_points(inputs.points, lon_col=inputs.lon_col, lat_col=inputs.lat_col, date_col=inputs.date_col,
                       id_col=inputs.id_col, assume_crs=inputs.assume_crs)


def _line_args(spec) -> dict[str, Any]:
    """``lines=`` or ``theatre=``/``date=`` for :func:`measure_table` from a :class:`geomap.pipeline.request.LineSpec`."""
    if spec.layer is not None and spec.theatre is not None:
        raise InputError("--layer and --theatre were both given: pass one (--theatre picks each row's line by date)")
    if spec.theatre is not None:
        return {"theatre": spec.theatre, "date": spec.date}
    if spec.layer is None:
        raise InputError("no line of contact given: pass --layer ID|PATH, or --theatre NAME "
                         "(each row measured as of its own date)")
    return {"lines": spec.load()}


def measure_file(inputs, spec, *, claim=None, progress_factory=None, output=None) -> BatchResult:
    """Read a points file and measure every row (``geomap distance FILE``).

    Parameters
    ----------
    inputs : geomap.pipeline.request.Inputs
        ``points`` (path), column names, ``radius_m``, ``engine``/``scheduler``.
    spec : geomap.pipeline.request.LineSpec
        ``layer`` (one line for all rows) or ``theatre`` (each row's own date).
    claim : geomap.claims.Claim, optional
        Add verdict columns.
    progress_factory : callable, optional
        ``progress_factory(total_rows)`` returns a context manager whose value
        has ``update(n)`` (e.g. ``click.progressbar``); None for no progress.
    output : str, optional
        With ``engine="dask"``, the output path (required: results are
        written part by part and never held in memory).

    Returns
    -------
    BatchResult
        With the Dask engine, ``frame`` is None (the rows are in ``output``).
    """
    if getattr(inputs, "engine", "local") == "dask":
        from geomap.pipeline.dask import measure_dask

        return measure_dask(inputs, spec, claim=claim, output=output, progress_factory=progress_factory)
    table = read_table(inputs)
    args = _line_args(spec)
    if progress_factory is None:
        return measure_table(table, radius_m=inputs.radius_m, claim=claim, **args)
    with progress_factory(len(table)) as bar:
        return measure_table(table, radius_m=inputs.radius_m, claim=claim, progress=bar.update, **args)


def check_file(inputs, spec, claim, *, progress_factory=None, output=None) -> BatchResult:
    """Judge a distance claim for every row of a points file (``geomap check FILE --claim TEXT``).

    ``claim`` is a :class:`geomap.claims.Claim` or its text (parsed with
    :func:`geomap.claims.parse_claim`).  The result's frame carries
    :data:`VERDICT_COLUMNS` and ``verdicts`` counts them; rows that could
    not be measured have no verdict.  See :func:`measure_file`.
    """
    if isinstance(claim, str):
        from geomap.claims import parse_claim

        claim = parse_claim(claim)
    return measure_file(inputs, spec, claim=claim, progress_factory=progress_factory, output=output)
