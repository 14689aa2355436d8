"""Reading delimited text (CSV, TSV, Excel "Unicode Text") as text columns, once.

The encoding and the separator are decided from the first
:data:`HEAD_BYTES` of the input; pyarrow then parses the whole input once
(multi-threaded).  Nothing is guessed silently:

* encodings: UTF-8 with or without BOM and UTF-16/UTF-32 with a BOM are read
  as they are; any other encoding must be named (``encoding=``, e.g.
  ``cp1251``, ``cp1252``, ``latin-1``), and a file that is not valid in the
  encoding used is refused in one line that names the most likely encoding
  (charset-normalizer's guess);
* separators: the one of ``,`` ``;`` tab ``|`` that splits the first lines
  into the same number of fields (tab for ``.tsv``); only ``\\r`` and ``\\n``
  end a line (U+2028 in a header is text);
* an unterminated quote, which would swallow every following row, is refused
  with its line number; fields of any size are read.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from pathlib import Path

from geomap.errors import FileFormatError
from geomap.io import formats

#: bytes read to decide the encoding and the separator (not read again for that)
HEAD_BYTES = 1 << 16
#: pyarrow block size when a row is larger than its default block (1 MB): a long "notes" field
LARGE_BLOCK = 1 << 28
#: byte order marks, longest first
BOMS = ((codecs.BOM_UTF32_LE, "utf-32-le"), (codecs.BOM_UTF32_BE, "utf-32-be"), (codecs.BOM_UTF8, "utf-8"),
        (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"))
SEPARATORS = (",", ";", "\t", "|")


class Source:
    """A delimited-text input: a path (read by pyarrow from disk) or bytes (stdin, a named pipe)."""

    def __init__(self, source, label: str | None = None):
        if isinstance(source, (bytes, bytearray)):
            self.path, self.data = None, bytes(source)
            self.label = label or "<stdin>"
        else:
            self.path = Path(source)
            self.label = label or str(source)
            # a named pipe or other stream can be read only once: keep its bytes
            self.data = None if self.path.is_file() else self.path.read_bytes()
        self._head = None

    @property
    def head(self) -> bytes:
        if self._head is None:
            if self.data is not None:
                self._head = self.data[:HEAD_BYTES]
            else:
                with open(self.path, "rb") as fh:
                    self._head = fh.read(HEAD_BYTES)
        return self._head

    def stream(self):
        """What pyarrow reads: the path, or the bytes as a file object."""
        return io.BytesIO(self.data) if self.data is not None else str(self.path)

    def size(self) -> int:
        return len(self.data) if self.data is not None else self.path.stat().st_size

    def read_bytes(self) -> bytes:
        return self.data if self.data is not None else self.path.read_bytes()


def detect_encoding(head: bytes, label: str, encoding: str | None = None) -> tuple[str, int]:
    """The encoding of a text input and the length of its BOM, from its first bytes.

    ``encoding`` given: that one (checked on ``head``).  Else a BOM decides,
    else the text must be UTF-8.  Raises :class:`FileFormatError` naming
    ``encoding=`` and the most likely encoding when ``head`` is not valid text.
    """
    for bom, name in BOMS:
        if head.startswith(bom) and (encoding is None or codecs.lookup(encoding).name.startswith(name[:6])):
            return name, len(bom)
    name = encoding or "utf-8"
    try:
        codecs.lookup(name)
    except LookupError:
        raise FileFormatError(f"unknown encoding {name!r}: give a Python codec name such as cp1251, cp1252, "
                              "latin-1 or utf-16") from None
    try:
        codecs.getincrementaldecoder(name)().decode(head, final=False)
    except UnicodeDecodeError as exc:
        raise FileFormatError(not_in_encoding(head, label, name, exc)) from None
    return name, 0


def not_in_encoding(data: bytes, label: str, name: str, exc: UnicodeDecodeError | None = None) -> str:
    """The one-line message for text that is not valid ``name``: where, and the most likely encoding."""
    where = ""
    if exc is not None and isinstance(exc.object, (bytes, bytearray)) and exc.start < len(exc.object):
        line = exc.object.count(b"\n", 0, exc.start) + 1
        where = f" (byte 0x{exc.object[exc.start]:02x} on line {line})" if exc.object == data[:len(exc.object)] else ""
    return (f"{label} is not valid {name} text{where}: pass encoding= its encoding "
            f"(most likely {guess_encoding(data)})")


#: code pages that decode the same bytes alike are named as the one spreadsheets write most
COMMON_CODE_PAGES = ("cp1252", "cp1251", "cp1250", "cp1256", "cp1253", "cp1254", "latin-1")


def guess_encoding(data: bytes) -> str:
    """The most likely encoding of ``data`` (charset-normalizer), or 'unknown'.

    On the few hundred bytes of a small export several code pages fit equally
    well: the least chaotic one whose text is in a recognised language wins,
    named as the common code page (:data:`COMMON_CODE_PAGES`) that gives the
    same text, if one does.
    """
    try:
        from charset_normalizer import from_bytes
    except ImportError:  # pragma: no cover - a dependency
        return "unknown"
    lines = [ln for ln in data.split(b"\n") if max(ln, default=0) >= 0x80]
    if lines:  # the lines that differ between encodings: ASCII around them only dilutes the evidence
        data = b"\n".join(lines)
    matches = list(from_bytes(data))
    if not matches:
        return "unknown"
    best = min(matches, key=lambda m: (round(m.chaos, 2), m.language == "Unknown", -m.coherence))
    text = str(best)
    for name in COMMON_CODE_PAGES:
        try:
            if data.decode(name) == text:
                return name
        except UnicodeDecodeError:
            continue
    # the best fit is an uncommon code page (mac_cyrillic for a short cp1251 export, say): name the common
    # ones that read the bytes as plain words of one script each, those in the best fit's script first
    plain = []
    for name in COMMON_CODE_PAGES:
        try:
            decoded = data.decode(name)
        except UnicodeDecodeError:
            continue
        if _plain_words(decoded):
            plain.append((_scripts(decoded) != _scripts(text), name))
    if plain:
        return " or ".join(name for _, name in sorted(plain)[:2])
    return str(best.encoding)


def _scripts(text: str) -> set[str]:
    """The scripts (LATIN, CYRILLIC, GREEK, ...) of the non-ASCII letters of ``text``."""
    import unicodedata

    return {unicodedata.name(c, "?").split(" ")[0] for c in text if ord(c) > 127 and c.isalpha()}


def _plain_words(text: str) -> bool:
    """True when every non-ASCII character is a letter and no word mixes two scripts ('Mьnchen' does)."""
    import re
    import unicodedata

    for ch in text:
        if ord(ch) > 127 and not ch.isalpha():
            return False
    for word in re.findall(r"[^\W\d_]+", text):
        if len({unicodedata.name(c, "?").split(" ")[0] for c in word}) > 1:
            return False
    return True


def first_lines(text: str, n: int = 6) -> list[str]:
    """The first ``n`` lines of ``text``, split only at CR/LF (not at U+2028, U+0085 ...); quotes are ignored."""
    return re.split(r"\r\n|\r|\n", text, maxsplit=n)[:n]


def sniff_separator(text: str, fmt: str | None = None) -> str:
    """The field separator of delimited text: tab for TSV, else the one of , ; tab | that fits the first lines best.

    A separator fits when it splits the header into more than one field and
    every complete line after it into as many (quoted fields respected); among
    those, the one giving the most fields wins.
    """
    hint = re.match(r"sep=(.)(?:\r\n|\r|\n)", text)
    if hint:  # Excel's "sep=;" first line
        return hint.group(1)
    if fmt == "tsv":
        return "\t"
    lines = [ln for ln in first_lines(text) if ln.strip()]
    if len(lines) > 2:
        lines = lines[:-1]  # the last line read may be cut off by the head's end
    best, best_n = ",", 1
    for sep in SEPARATORS:
        try:
            counts = [len(row) for row in csv.reader(lines, delimiter=sep)]
        except csv.Error:
            continue
        if not counts or counts[0] <= 1:
            continue
        consistent = all(c == counts[0] for c in counts[1:])
        score = counts[0] if consistent else 1 + counts[0] / 1000
        if score > best_n:
            best, best_n = sep, score
    return best


def unique_names(header: list[str]) -> list[str]:
    """Column names made unique as pandas makes them: a blank is ``Unnamed: i``, a repeat ``name.1``."""
    out: list[str] = []
    seen: dict[str, int] = {}
    for i, name in enumerate(header):
        name = name if name.strip() else f"Unnamed: {i}"
        base = name
        while name in seen:
            seen[base] += 1
            name = f"{base}.{seen[base]}"
        seen.setdefault(name, 0)
        out.append(name)
    return out


def read_csv_frame(source, *, encoding: str | None = None, label: str | None = None, separator: str | None = None):
    """Read delimited text as a DataFrame of text columns (no NA guessing, blanks stay "").

    Parameters
    ----------
    source : str, Path or bytes
        A file (a named pipe is read once, into memory) or the bytes of one.
    encoding : str, optional
        A Python codec name for text that is neither UTF-8 nor has a BOM.
    label : str, optional
        How to name the input in messages.

    Raises
    ------
    FileFormatError
        Not valid text in the encoding, no header, a header without data rows,
        an unterminated quote, or text pyarrow cannot parse.
    """
    import pyarrow as pa
    import pyarrow.csv as pacsv

    src = source if isinstance(source, Source) else Source(source, label)
    head = src.head
    name, bom = detect_encoding(head, src.label, encoding)
    text = codecs.getincrementaldecoder(name)(errors="replace").decode(head[bom:], final=False)
    fmt = formats.format_of(src.path) if src.path is not None else None
    skip = 1
    hint = re.match(r"sep=(.)(?:\r\n|\r|\n)", text)
    if hint:  # Excel's "sep=;" first line names the separator
        separator, text, skip = separator or hint.group(1), text[hint.end():], 2
    sep = separator or sniff_separator(text, fmt)
    lines = first_lines(text, 1)
    header_text = lines[0] if lines else ""
    if not header_text.strip():
        raise FileFormatError(f"{src.label} has no header row: give CSV whose first line names the columns")
    try:
        header = next(csv.reader(io.StringIO(text, newline=""), delimiter=sep), [])  # CR, LF or CRLF line ends
    except csv.Error as exc:
        raise FileFormatError(f"cannot read the header of {src.label} ({exc}): check the file") from None
    names = unique_names(header)
    arrow_encoding = "utf8" if name == "utf-8" else name

    def parse(block_size=None):
        read = pacsv.ReadOptions(encoding=arrow_encoding, column_names=names, skip_rows=skip,
                                 **({"block_size": block_size} if block_size else {}))
        return pacsv.read_csv(
            src.stream(), read_options=read,
            parse_options=pacsv.ParseOptions(delimiter=sep, newlines_in_values=True),
            # large_string is what pandas' str dtype holds: to_pandas then takes the columns without a copy
            convert_options=pacsv.ConvertOptions(column_types={h: pa.large_string() for h in names},
                                                 strings_can_be_null=False, quoted_strings_can_be_null=False))

    try:
        try:
            table = parse()
        except pa.ArrowInvalid as exc:
            if "straddl" not in str(exc):
                raise
            table = parse(max(LARGE_BLOCK, src.size() + 1))  # a row longer than a block
    except UnicodeDecodeError:
        raise FileFormatError(_invalid_text(src, name)) from None
    except (pa.ArrowInvalid, pa.ArrowKeyError) as exc:
        msg = " ".join(str(exc).split())[:160]
        if "UTF8" in msg or "utf8" in msg or "utf-8" in msg:
            raise FileFormatError(_invalid_text(src, name)) from None
        if "file is too short" in msg or "Empty CSV file" in msg:
            raise FileFormatError(f"{src.label} has a header row but no data rows: give a file with rows") from None
        found = re.search(r"Expected (\d+) columns, got (\d+): (.*)", str(exc), re.S)
        if found:
            raise FileFormatError(_bad_row(src, name, int(found.group(1)), int(found.group(2)),
                                           found.group(3))) from None
        raise FileFormatError(f"cannot read {src.label} as delimited text ({msg}): check the row it names") from None
    if table.num_rows == 0:
        raise FileFormatError(f"{src.label} has a header row but no data rows: give a file with rows")
    _check_last_quote(table, src, name, sep)
    return table.to_pandas()


def _bad_row(src: Source, encoding: str, expected: int, got: int, row: str) -> str:
    """The one-line message for a row with the wrong number of fields: its line (an unterminated quote if that is why)."""
    data = src.read_bytes()
    at = data.find(row[:200].encode(encoding, "replace")) if row else -1
    line = "line %d" % (data.count(b"\n", 0, at) + 1) if at >= 0 else "a row"
    if row.count('"') % 2:
        return (f"{src.label} has an unterminated quote on {line}: every row after it would be read as one "
                'field; close the quote (write a quote inside a field as "")')
    return (f"{src.label}: {line} has {got} fields where the header has {expected}: quote fields that hold "
            "the separator, or fix that row")


def _invalid_text(src: Source, name: str) -> str:
    """:func:`not_in_encoding` for the first bytes that are not valid ``name`` (the file is read again on this error)."""
    decoder = codecs.getincrementaldecoder(name)()
    offset, newlines = 0, 0
    stream = io.BytesIO(src.data) if src.data is not None else open(src.path, "rb")
    with stream:
        while True:
            block = stream.read(1 << 20)
            if not block:
                break
            try:
                decoder.decode(block, final=False)
            except UnicodeDecodeError as exc:
                bad = max(exc.start, 0)
                line = newlines + block.count(b"\n", 0, bad) + 1
                window = block[max(bad - 4000, 0):bad + 4000]
                return (f"{src.label} is not valid {name} text (byte 0x{block[bad]:02x} on line {line}): "
                        f"pass encoding= its encoding (most likely {guess_encoding(window)})")
            newlines += block.count(b"\n")
            offset += len(block)
    return not_in_encoding(src.head, src.label, name)


def _check_last_quote(table, src: Source, encoding: str, sep: str) -> None:
    """Refuse text whose last row holds an unterminated quote (which swallowed every row after it).

    Such a field runs to the end of the input, so the input ends with the
    field's own text; a closed field would end with its quote.
    """
    last = [table.column(i)[table.num_rows - 1].as_py() for i in range(table.num_columns)]
    suspects = [v for v in last if isinstance(v, str) and ("\n" in v or "\r" in v)]
    if not suspects:
        return
    size = src.size()
    tail_len = min(size, max(len(v.encode(encoding, "replace")) for v in suspects) + 8)
    if src.data is not None:
        tail = src.data[size - tail_len:]
    else:
        with open(src.path, "rb") as fh:
            fh.seek(size - tail_len)
            tail = fh.read()
    for v in suspects:
        raw = v.encode(encoding, "replace")
        if raw and tail.endswith(raw):
            start = size - len(raw)
            data = src.read_bytes()
            line = data.count(b"\n", 0, start) + 1
            raise FileFormatError(f"{src.label} has an unterminated quote on line {line}: every row after it "
                                  "would be read as one field; close the quote (write a quote inside a field as "
                                  '"")')


def row_blocks(path, blocksize: int, *, chunk: int = 1 << 24, encoding: str | None = None
               ) -> tuple[int, list[tuple[int, int]]]:
    """Split a CSV file into byte ranges of whole rows, about ``blocksize`` bytes each.

    For text whose encoding writes quotes and newlines as the ASCII bytes
    (UTF-8, the code pages); a UTF-16/UTF-32 file (BOM, or ``encoding``) is
    one block.

    A row ends at a newline outside quotes (an even number of ``"`` before
    it; a quote written inside a field as ``""`` keeps the count even), so a
    quoted field with line breaks is never cut.  One pass over the file,
    counting quotes.

    Returns
    -------
    (header_end, blocks)
        The header is bytes ``[0, header_end)``; ``blocks`` are ``(start, end)``
        ranges covering the rest in order.
    """
    size = Path(path).stat().st_size
    with open(path, "rb") as fh:
        head = fh.read(HEAD_BYTES)
        name, _bom = detect_encoding(head, str(path), encoding)
    if '"\n'.encode(name) != b'"\n':
        return 0, [(0, size)]
    # a row ends at LF (and CRLF); a file with CR and no LF (Excel's "CSV (Macintosh)") ends its rows at CR
    newline = b"\r" if b"\r" in head and b"\n" not in head else b"\n"
    cuts: list[int] = []
    target = 0  # the next cut: the first row end at or after this offset (0: the header's end)
    parity = 0
    with open(path, "rb") as fh:
        offset = 0
        while offset < size:
            data = fh.read(chunk)
            if not data:
                break
            pos = max(target - offset, 0)
            while pos < len(data):
                nl = data.find(newline, pos)
                if nl < 0:
                    break
                if (parity + data.count(b'"', 0, nl)) % 2 == 0:
                    cuts.append(offset + nl + 1)
                    target = cuts[0] + blocksize * len(cuts)
                    pos = max(target - offset, nl + 1)
                else:
                    pos = nl + 1
            parity = (parity + data.count(b'"')) % 2
            offset += len(data)
    header_end = cuts[0] if cuts else size
    ends = [c for c in cuts[1:] if c < size] + [size]
    if re.match(rb"(\xef\xbb\xbf)?sep=.(\r\n|\r|\n)", head) and newline in head[header_end:]:
        # Excel's "sep=;" line: the header is the next line too (every block is read with both)
        header_end = head.index(newline, header_end) + 1
        ends = [e for e in ends if e > header_end] or [size]
    starts = [header_end] + ends[:-1]
    # no rows at all: one empty block, which the reader refuses as the local engine does (never "0 rows")
    return header_end, [(a, b) for a, b in zip(starts, ends) if b > a] or [(header_end, size)]


def read_csv_block(path, header_end: int, start: int, end: int, *, separator: str | None = None,
                   encoding: str | None = None):
    """Rows ``[start, end)`` of a CSV file (see :func:`row_blocks`) with its header, read by :func:`read_csv_frame`."""
    with open(path, "rb") as fh:
        header = fh.read(header_end)
        fh.seek(start)
        body = fh.read(end - start)
    return read_csv_frame(header + body, label=str(path), separator=separator, encoding=encoding)
