"""Result columns built fast: text as integer codes into a few values, nullable ints and booleans.

A million-row result holds a few distinct strings per text column (a layer id,
a status, a verdict); kept as codes until the frame is built, arrow makes each
column in milliseconds.  Used by :mod:`geomap.pipeline.measure`.
"""

from __future__ import annotations

import numpy as np

from geomap.pipeline.result import OK


#: rows of the one chunk a column of one repeated value is made of (see :meth:`TextColumn.array`)
SAME_VALUE_CHUNK = 1 << 16


class TextColumn:
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

        ``dtype`` is :func:`text_dtype`.  Where pandas would not make a string
        column (no string dtype: ``dtype`` None; no value present; a value that
        is not a str), the object array of values and None is returned, for
        pandas to convert as it always did.
        """
        present = self.codes >= 0
        if (dtype is not None and present.any()
                and all(isinstance(v, str) for v in self.values)):
            import pyarrow as pa

            values = pa.array(self.values, type=pa.large_string())
            n = self.codes.size
            first = self.codes[np.argmax(present)]
            if n > SAME_VALUE_CHUNK and (self.codes[present] == first).all():
                return dtype.__from_arrow__(self._one_value(values, first, present))
            indices = pa.array(self.codes, mask=None if present.all() else ~present)
            return dtype.__from_arrow__(values.take(indices))
        return np.array([*self.values, None], dtype=object)[self.codes]

    @staticmethod
    def _one_value(values, code, present):
        """One value in every present row (a layer id, a checksum, who holds the area), as repeated chunks.

        Every chunk shares the offsets and bytes of one chunk of the value; a
        chunk with missing rows adds only its validity bitmap (Arrow lets a
        null slot span bytes).  1M copies of a 64-character value cost ~0.15 s
        and 70 MB to build one by one; a run where a few rows are refused (a
        known error) had every chunk built that way.
        """
        import pyarrow as pa

        one = values.take(pa.array(np.full(SAME_VALUE_CHUNK, code, dtype=np.int32)))
        _, offsets, data = one.buffers()
        chunks = []
        for start in range(0, present.size, SAME_VALUE_CHUNK):
            rows = present[start:start + SAME_VALUE_CHUNK]
            if rows.all():
                chunks.append(one if rows.size == SAME_VALUE_CHUNK else one.slice(0, rows.size))
                continue
            validity = pa.py_buffer(np.packbits(rows, bitorder="little").tobytes())
            chunks.append(pa.Array.from_buffers(pa.large_string(), rows.size, [validity, offsets, data],
                                                null_count=int(rows.size - np.count_nonzero(rows))))
        return pa.chunked_array(chunks, type=pa.large_string())

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


class KernelColumns:
    """The kernel's per-row answers (:class:`~geomap.layers.distance.DistanceResult` fields) as full-length columns.

    Rows no call measured keep NaN (floats) or -1 (indices).  When one call
    measured every row, its arrays are the columns as they are: 1M rows need
    no fresh columns filled and copied into (~0.1 s).
    """

    NAMES = ("distance_m", "offset_m", "nearest_lon", "nearest_lat", "azimuth_deg",
             "feature_index", "part_index", "segment_index")

    def __init__(self, n: int):
        self.n = n
        self.columns: dict[str, np.ndarray] = {}

    def put(self, rows: np.ndarray, result) -> None:
        """Enter ``result`` (one kernel call) for ``rows`` (distinct row numbers, ascending)."""
        for name in self.NAMES:
            value = np.asarray(getattr(result, name))
            column = self.columns.get(name)
            if column is None:
                if rows.size == self.n and value.shape == (self.n,) and value.dtype == self._dtype(name):
                    self.columns[name] = value  # every row, in order (ascending and distinct)
                    continue
                column = self.columns[name] = self.column(name)
            column[rows] = value

    def column(self, name: str) -> np.ndarray:
        """The column ``name`` (a new NaN / -1 one if no call has been entered)."""
        found = self.columns.get(name)
        if found is not None:
            return found
        dtype = self._dtype(name)
        return np.full(self.n, np.nan if dtype == np.float64 else -1, dtype=dtype)

    @staticmethod
    def _dtype(name: str):
        return np.dtype(np.int64) if name.endswith("_index") else np.dtype(np.float64)


def text_dtype():
    """The dtype pandas gives a frame column assigned an object array of strings and None."""
    import pandas as pd

    dtype = pd.Series(np.array(["", None], dtype=object)).dtype
    return dtype if isinstance(dtype, pd.StringDtype) else None


def status_column(status: np.ndarray, ok: np.ndarray) -> TextColumn:
    """The status column as codes: ``ok`` rows code 0, the other statuses factorised."""
    import pandas as pd

    codes = np.zeros(status.shape, dtype=np.int32)
    bad, values = pd.factorize(status[~ok], use_na_sentinel=False)
    codes[~ok] = bad + 1
    return TextColumn(status.size, codes, [OK, *values])


def date_column(dates: np.ndarray) -> TextColumn:
    """ISO dates (YYYY-MM-DD) as codes; missing where NaT."""
    from geomap.io.columns import day_codes

    codes, uniq = day_codes(dates)
    return TextColumn(dates.size, codes, np.datetime_as_string(uniq, unit="D").tolist())


def int_col(values, ok):
    """A nullable Int64 column: ``values`` where ``ok``, else missing (its data 0)."""
    import pandas as pd

    return pd.arrays.IntegerArray(np.where(ok, values, 0).astype(np.int64, copy=False), ~ok)


def bool_col(values, known):
    """A nullable boolean column: ``values`` where ``known``, else missing (its data False)."""
    import pandas as pd

    return pd.arrays.BooleanArray(np.where(known, values, False), ~known)


def set_columns(frame, columns: dict) -> None:
    """Add (or replace) ``columns`` of ``frame``, name -> values, in order.

    Numeric numpy arrays and nullable int/boolean arrays go in as a Series,
    which pandas takes without a copy (assigned as they are, each is copied:
    ~4 ms a 1M-row column); so give only arrays nothing else holds or changes.
    Other values (text arrays, object arrays, scalars) are assigned as they are.
    """
    import pandas as pd

    for key, value in columns.items():
        numeric = (value.dtype.kind in "fiub" if isinstance(value, np.ndarray)
                   else isinstance(value, (pd.arrays.IntegerArray, pd.arrays.BooleanArray)))
        frame[key] = pd.Series(value, index=frame.index, copy=False) if numeric else value
