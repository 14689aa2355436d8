"""Run a :class:`~geomap.pipeline.request.Request`: the one path from a request to a result.

``run(request)`` reads the incidents (a file's rows, or the one-row-per-incident
table of ``--at`` points and resolved places), measures them with the one
engine (:func:`geomap.pipeline.measure.measure_table`, or the same function
over partitions with the Dask engine), judges the claim if there is one, and
returns one :class:`~geomap.pipeline.result.Result`.  The CLI only builds the
request and formats the result, so a notebook makes the same call.

>>> from geomap.pipeline.request import IncidentSource, LineChoice, Request
>>> result = run(Request(IncidentSource(at=[(47.0318, 39.52)]), LineChoice(layer="nk-line-2020")))
>>> round(result.rows()[0].nearest.distance_m / 1000, 2)
19.53
"""

from __future__ import annotations

from geomap.errors import InputError
from geomap.pipeline.measure import incident_table, line_args, measure_table
from geomap.pipeline.request import IncidentSource, LineChoice, Request, incidents_of, parse_date, place_context
from geomap.pipeline.result import Result

#: a place resolved farther than this from the line gets a warning in its note (likely the wrong place)
FAR_FROM_LINE_M = 1_000_000.0


def read_table(source: IncidentSource, context=None):
    """Read the points file (or the DataFrame) of an :class:`~geomap.pipeline.request.IncidentSource` into a PointTable.

    A file goes to :func:`geomap.io.points.read_points`, a pandas DataFrame or
    GeoDataFrame to :func:`geomap.io.frames.read_frame` (by the same rules).
    With ``source.place_col``, see :func:`read_place_table`.
    """
    from geomap.io.frames import is_frame, read_frame
    from geomap.io.points import read_points

    if source.place_col is not None:
        return read_place_table(source, context)
    cols = dict(lon_col=source.lon_col, lat_col=source.lat_col, date_col=source.date_col, id_col=source.id_col,
                date_format=source.date_format)
    if is_frame(source.path):
        return read_frame(source.path, assume_crs=source.assume_crs, **cols)
    return read_points(source.path, assume_crs=source.assume_crs, encoding=source.encoding,
                       layer_name=source.layer_name, **cols)


def read_place_table(source: IncidentSource, context=None):
    """Read a CSV/TSV whose rows name places (``place_col``) and look each one up near ``context``.

    Rows get ``ok``, ``ambiguous``, ``place_not_found`` or ``missing_place``; the
    columns ``place_matched`` and ``place_candidates`` are added to the input's
    (see :func:`geomap.places.column.geocode_column`).
    """
    from pathlib import Path

    import numpy as np

    from geomap.io import formats
    from geomap.io.frames import is_frame
    from geomap.io.points import table_from_frame
    from geomap.io.tabular import read_csv_frame
    from geomap.places.column import geocode_column

    if is_frame(source.path):
        raise InputError("place_col looks names up in a CSV/TSV file: for a DataFrame, save it as CSV "
                         "(df.to_csv(...)) or look the names up with geomap.geocode")
    path = Path(str(source.path))
    if not formats.is_tabular(path) or not path.is_file():
        raise InputError(f"--place-col reads a CSV/TSV file; {path.name} is not one: save the table as CSV")
    frame = read_csv_frame(path, encoding=source.encoding)
    if source.place_col not in frame.columns:
        raise InputError(f"{path.name} has no column {source.place_col!r}: choose one of "
                         f"{', '.join(map(str, list(frame.columns)[:20]))}")
    opts = source.place_options
    col = geocode_column(frame[source.place_col].tolist(), context, country=opts.country, near=opts.near,
                         within=opts.within, gazetteer=opts.gazetteer)
    frame = frame.copy()
    frame["place_matched"] = col.place
    frame["place_candidates"] = col.candidates
    table = table_from_frame(frame, str(path), lon=col.lon, lat=col.lat, status=col.status,
                             date_col=source.date_col, id_col=source.id_col)
    table.radius_m = np.maximum(np.nan_to_num(np.asarray(table.radius_m, dtype=float)), np.nan_to_num(col.radius_m))
    return table


def run(request: Request) -> Result:
    """Measure the request's incidents against its line (and judge its claim).

    Parameters
    ----------
    request : Request

    Returns
    -------
    Result
        Every row measured or with a status; with the Dask engine the rows are
        written to ``request.execution.output`` and ``frame`` is None.

    Raises
    ------
    geomap.errors.GeomapError
        Bad input (exit 2), unknown place or layer, missing dependency.
    """
    source, choice, execution = request.incidents, request.line, request.execution
    # names are looked up, and --at points checked for swapped coordinates, near the request's line
    # the line is read once: for --at/--place (one line, refused if none), and for a file's --place-col
    # with --layer (its context and its measuring share it)
    if source.kind != "file" or (source.place_col is not None and choice.layer is not None):
        lines = choice.load()
    else:
        lines = None
    context = place_context(choice, lines) if (source.places or source.at or source.place_col) else None
    if source.kind == "file":
        if execution.engine == "dask":
            from geomap.io.frames import is_frame

            if is_frame(source.path):
                raise InputError("the Dask engine reads files in blocks: measure a DataFrame with the local engine, "
                                 "or save it (df.to_parquet(...)) and pass the file")
            from geomap.pipeline.dask import measure_dask

            return measure_dask(request)
        table = read_table(source, context)
        args = {"lines": lines} if lines is not None else line_args(choice)
        args["check_swaps"] = source.place_col is None  # gazetteer coordinates are never swapped
        radius_m = source.radius_m
        incidents = None
    else:
        incidents = incidents_of(source, date=choice.date, context=context)
        table = incident_table(incidents, source="--at" if source.kind == "at" else "--place")
        # one line: the layer, or the theatre's line on --date (refused if none); --at swaps were refused above
        args = {"lines": lines, "check_swaps": False, "date": choice.date}
        radius_m = 0.0
    factory = execution.progress_factory
    if factory is None or incidents is not None:
        result = measure_table(table, radius_m=radius_m, claim=request.claim, **args)
    else:
        with factory(len(table)) as bar:
            result = measure_table(table, radius_m=radius_m, claim=request.claim, progress=bar.update, **args)
    if incidents is not None:
        result.incidents = incidents
        _incident_notes(result)
    elif source.label_col is not None:
        if result.frame is not None and source.label_col not in result.frame.columns:
            raise InputError(f"{result.source} has no column {source.label_col!r} for the labels: choose one of "
                             f"{', '.join(map(str, list(result.frame.columns)[:20]))}")
        result.label_col = source.label_col
    return result


def _incident_notes(result: Result) -> None:
    """Notes an incident's reader must see: a place resolved far from the line (likely the wrong place),
    and a place where the layer is known to misplace the line (the engine's ``known_error`` column).

    An incident the engine refused because the layer's known error there exceeds its accuracy
    (status ``layer_known_wrong``) is refused here in one line, naming the error."""
    import numpy as np

    from geomap.layers.known_errors import KNOWN_ERROR_COLUMN, KNOWN_WRONG

    frame = result.frame
    d = frame["distance_m"].to_numpy(dtype=float, na_value=np.nan)
    known = (frame[KNOWN_ERROR_COLUMN].to_numpy(dtype=object, na_value=None) if KNOWN_ERROR_COLUMN in frame.columns
             else [None] * len(frame))
    status = frame["status"].to_numpy(dtype=object)
    for incident, dist, error, state in zip(result.incidents, d, known, status):
        if state == KNOWN_WRONG:
            raise InputError(f"{incident.label}: {error}; measure it against another line (--layer FILE)")
        notes = [incident.note]
        if incident.place is not None and np.isfinite(dist) and dist > FAR_FROM_LINE_M:
            notes.append(f"{dist / 1000:,.0f} km from the line: check that this is the place meant "
                         "(narrow it with --country CC or --near LON,LAT)")
        if error and str(error) not in (incident.note or ""):  # the caller's Incident measured again: once
            notes.append(str(error))
        incident.note = "; ".join(n for n in notes if n)


#: measure()'s own keywords (the rest are IncidentSource's and LineChoice's fields)
_MEASURE_KEYWORDS = ("incidents", "at", "places", "path", "layer", "theatre", "date", "claim", "radius_m")


def _refuse_unknown_keywords(options: dict) -> None:
    """TypeError naming ``measure`` and the keywords it takes, for a keyword it does not (``radius_km=``).

    The options go on to IncidentSource, whose own TypeError named that internal class instead.
    """
    from dataclasses import fields
    from difflib import get_close_matches

    internal = {"at", "places", "path", "radius_m", "layer", "theatre", "date"}
    accepted = list(_MEASURE_KEYWORDS) + [f.name for cls in (IncidentSource, LineChoice) for f in fields(cls)
                                          if f.name not in internal]
    accepted = list(dict.fromkeys(accepted))
    unknown = [k for k in options if k not in accepted]
    if unknown:
        near = get_close_matches(unknown[0], accepted, n=1)
        hint = f" (did you mean {near[0]}=?)" if near else ""
        raise TypeError(f"measure() got an unexpected keyword argument {unknown[0]!r}{hint}; it takes "
                        f"{', '.join(accepted)}")


def measure(incidents=None, *, at=(), places=(), path=None, layer=None, theatre=None, date=None, claim=None,
            radius_m: float = 0.0, **options) -> Result:
    """The Python API of ``geomap distance`` / ``geomap check``: one call, one :class:`Result`.

    Give the incidents as ``at`` ((lon, lat) pairs), ``places`` (names,
    resolved by the offline gazetteer), ``path`` (a points file) or
    ``incidents``: a points file's path (as ``path``), a pandas DataFrame or geopandas GeoDataFrame (read by a
    file's rules, :func:`geomap.io.frames.read_frame`: each row measured as
    of its own date with ``theatre``) or
    :class:`~geomap.pipeline.incidents.Incident` objects;
    the line as ``layer`` (a shipped id, a path, or a LineSet) or ``theatre``
    and ``date``; optionally a ``claim`` (text or Claim).  ``options`` named
    like a :class:`~geomap.pipeline.request.LineChoice` field (``accuracy_m``,
    ``source``, ``rings``, ``section_field``: the CLI's --layer-accuracy-m,
    --source, --rings, --section-field) choose the line; ``assume_crs`` goes to
    both, as on the CLI; the others go to
    :class:`~geomap.pipeline.request.IncidentSource` (columns, ``place_options``).

    >>> r = measure(at=[(47.0318, 39.52)], theatre="nagorno-karabakh", date="2020-12-27", claim="dozens of km")
    >>> r.rows()[0].verdict.verdict
    'inconclusive'
    """
    from dataclasses import fields
    from os import PathLike

    from geomap.io.frames import is_frame
    from geomap.layers.lineset import LineSet
    from geomap.pipeline.incidents import Incident

    _refuse_unknown_keywords(options)
    line_options = {f.name: options.pop(f.name) for f in fields(LineChoice)
                    if f.name in options and f.name not in ("layer", "theatre", "date", "assume_crs")}
    if "assume_crs" in options:  # the CLI's --assume-crs applies to the points file and the layer alike
        line_options["assume_crs"] = options["assume_crs"]
    if is_frame(incidents) or isinstance(incidents, (str, PathLike)):  # a table in memory or a file: a file's rows
        if path is not None:
            raise InputError("give the incidents once: a DataFrame, a file or path=, not two of them")
        incidents, path = None, incidents if is_frame(incidents) else str(incidents)
    if incidents is not None:
        incidents = list(incidents)
        odd = next((i for i in incidents if not isinstance(i, Incident)), None)
        if odd is not None:
            raise InputError(f"incidents= takes Incident objects or a (Geo)DataFrame, not {type(odd).__name__}: "
                             "give (lon, lat) pairs as at=[(lon, lat), ...]")
        lines = layer if isinstance(layer, LineSet) else LineChoice(layer=layer, theatre=theatre, date=date,
                                                                    **line_options).load()
        given = [i for i in incidents if i.place is None and i.area is None]  # a gazetteer's are never swapped
        if given:  # the check at=[(lon, lat)] gets: Incident(lat, lon) by position is the same slip
            from geomap.places.context import PlaceContext, check_not_swapped

            context = PlaceContext.from_lines(lines)
            for i in given:
                check_not_swapped(i.lon, i.lat, context, option="Incident")
        if claim is not None:
            from geomap.verdict import claim_of

            called = () if isinstance(layer, LineSet) else LineChoice(
                layer=layer, theatre=theatre, source=line_options.get("source")).line_called
            claim = claim_of(claim, line_called=called)
        result = measure_table(incident_table(incidents), lines=lines, claim=claim, check_swaps=False, date=date)
        result.incidents = incidents
        _incident_notes(result)  # as for --at/--place: the layer's known errors near each, or a refusal
        return result
    if isinstance(layer, LineSet):
        raise InputError("a LineSet layer goes with incidents=[Incident(...)]: pass a layer id or path otherwise")
    source = IncidentSource(path=path, at=at, places=places, radius_m=radius_m, **options)
    return run(Request(source, LineChoice(layer=layer, theatre=theatre, date=date, **line_options), claim=claim))
