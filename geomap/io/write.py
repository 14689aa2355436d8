"""Writing outputs: every file and every byte of standard output geomap writes goes through here.

Standard library only (the CLI imports it at start-up).  The guarantees
(``docs/guarantees.md``):

* **Atomic files.**  A regular file is written to an unnamed file in its own
  folder (``O_TMPFILE``) that gets a name only when it is complete: it is then
  linked as a hidden ``.NAME.geomap-PID-XXXX.tmp`` and renamed over ``NAME``
  in one step.  Readers see the old file or the new one, never a part; a
  process killed at any moment (even ``kill -9``) leaves no temporary file,
  and a full disk leaves the old file as it was.  (Where the file system has
  no ``O_TMPFILE``, the hidden name exists from the start and is removed on
  every error, Ctrl-C, SIGTERM and SIGHUP, but not on ``kill -9``.)
  The data are not fsync'ed: atomic against the process dying, not against
  the machine losing power.
* **Devices are written through.**  A target that exists and is not a
  regular file -- ``/dev/null``, ``/dev/full``, a FIFO, a terminal,
  ``/dev/stdout`` -- is opened and written, never renamed over or replaced.
  A name for the process's own standard output or error (``/dev/stdout``,
  ``/proc/self/fd/1``) writes to that stream, keeping its append mode.
* **Standard output is checked.**  Every write is flushed and a failure
  (ENOSPC, EIO) raises :class:`~geomap.errors.OutputError`; a closed pipe
  raises ``BrokenPipeError``, which the CLI ends quietly.
* **Inputs are guarded.**  :func:`guard_output` refuses an output that is the
  same file as any input (by device and inode: hard links and symlinks too).
* **One kind of failure.**  Every failure to write is an
  :class:`~geomap.errors.OutputError` ``"cannot write PATH: reason"`` (exit 2).

Table formats (CSV, GeoJSON, GeoPackage, GeoParquet of a batch result) are in
:mod:`geomap.io.tables`, text formats (JSON, CSV text, aligned tables) in
:mod:`geomap.io.text` (re-exported here); both are written through
:func:`open_output`.
"""

from __future__ import annotations

import errno
import io
import os
import secrets
import stat
import sys
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Any, BinaryIO, Iterable, Iterator

from geomap.errors import InputError, OutputError
from geomap.stop import check as stop_check
from geomap.io.text import dumps

#: decimals of degrees in machine-readable outputs (1e-9 degree: 0.1 mm on the ground)
COORD_DECIMALS = 9

#: decimals of metres in machine-readable outputs (1 mm)
DISTANCE_DECIMALS = 3

#: the tag in the names of geomap's temporary files (``.NAME.geomap-PID-XXXX.tmp``)
TMP_TAG = ".geomap-"

#: characters of the target's name kept in a temporary file's name (so that it stays under NAME_MAX)
_TMP_NAME_CHARS = 80


# --------------------------------------------------------------------- failures
def failed(path: str | Path, exc: BaseException | str, *, atomic: bool = False) -> OutputError:
    """The :class:`OutputError` "cannot write PATH: reason" for an ``OSError`` (or a reason).

    ``atomic``: the target was being replaced atomically (the message says it is unchanged).
    """
    if isinstance(exc, OSError):
        reason = exc.strerror or str(exc)
        if atomic and exc.errno in (errno.ENOSPC, errno.EDQUOT, errno.EIO):
            reason += " (the file was not written; a previous file of that name is unchanged)"
    else:
        reason = str(exc)
    return OutputError(f"cannot write {path}: {reason}")


def _label(path) -> str:
    return "standard output" if path is None or str(path) == "-" else str(path)


# --------------------------------------------------------------------- targets
def _std_stream(st: os.stat_result) -> int | None:
    """1 or 2 when ``st`` is this process's standard output or error, else None."""
    for fd in (1, 2):
        try:
            other = os.fstat(fd)
        except OSError:
            continue
        if (other.st_dev, other.st_ino) == (st.st_dev, st.st_ino) and not stat.S_ISDIR(st.st_mode):
            if stat.S_ISREG(st.st_mode) or stat.S_ISFIFO(st.st_mode) or stat.S_ISCHR(st.st_mode) \
                    or stat.S_ISSOCK(st.st_mode):
                return fd
    return None


def target_kind(path: str | Path | None) -> str:
    """How :func:`open_output` writes ``path``.

    Returns
    -------
    str
        ``"stdout"`` (None, ``-``, or a name for this process's standard
        output), ``"stderr"`` (a name for its standard error), ``"through"``
        (exists and is not a regular file: a device, FIFO, terminal or socket,
        or a regular file reached through ``/proc`` or ``/dev/fd``: written in
        place) or ``"file"`` (a regular file, new or replaced atomically).

    Raises
    ------
    OutputError
        ``path`` is a folder, or cannot be examined.
    """
    if path is None or str(path) == "-":
        return "stdout"
    try:
        st = os.stat(path)
    except FileNotFoundError:
        return "file"
    except OSError as exc:
        if exc.errno == errno.ENOTDIR:
            raise failed(path, f"{Path(path).parent} is not a folder") from None
        raise failed(path, exc) from None
    if stat.S_ISDIR(st.st_mode):
        raise failed(path, "it is a folder: give a file name")
    std = _std_stream(st)
    if std is not None and (not stat.S_ISREG(st.st_mode) or _through_proc(path)):
        return "stdout" if std == 1 else "stderr"
    if not stat.S_ISREG(st.st_mode) or _through_proc(path):
        return "through"
    return "file"


def _through_proc(path) -> bool:
    """Whether ``path`` reaches its file through /proc or /dev (``/dev/stdout``, ``/dev/fd/3``)."""
    try:
        real = os.path.realpath(path)
    except OSError:
        return False
    return real.startswith(("/proc/", "/dev/")) or str(path).startswith(("/proc/", "/dev/"))


def check_output(path: str | Path | None) -> None:
    """Refuse early (before any work) an output that cannot be written.

    Checks the folder exists and is writable, ``path`` is not a folder and
    its name is not too long.  Devices, FIFOs and standard output pass.

    Raises
    ------
    OutputError
        "cannot write PATH: reason".
    """
    kind = target_kind(path)
    if kind != "file":
        return
    path = Path(path)
    real = Path(os.path.realpath(path)) if path.is_symlink() else path
    folder = real.parent if str(real.parent) else Path(".")
    if not folder.exists():
        raise failed(path, f"folder {folder} does not exist: create it or choose another path")
    if not folder.is_dir():
        raise failed(path, f"{folder} is not a folder")
    try:
        name_max = os.pathconf(folder, "PC_NAME_MAX")
    except (OSError, ValueError):
        name_max = 255
    if len(os.fsencode(real.name)) > name_max:
        raise failed(path, f"{os.strerror(errno.ENAMETOOLONG)} (the file name has more than {name_max} bytes)")
    if not os.access(folder, os.W_OK):
        try:
            read_only = bool(os.statvfs(folder).f_flag & os.ST_RDONLY)
        except OSError:
            read_only = False
        raise failed(path, f"{os.strerror(errno.EROFS) if read_only else os.strerror(errno.EACCES)} "
                           f"(folder {folder})")
    if real.exists() and not os.access(real, os.W_OK):
        raise failed(path, os.strerror(errno.EACCES))


def guard_output(path: str | Path | None, inputs: Iterable[str | Path | None] = ()) -> None:
    """Refuse to write over an input file, or where nothing can be written (see :func:`check_output`).

    ``inputs`` are paths the command reads (None, ``-`` and names that are
    not files, such as shipped layer ids, are skipped).  An input is the
    output when both name the same file (same device and inode: symlinks and
    hard links included) or the same path.

    Raises
    ------
    InputError
        ``path`` is one of the inputs.
    OutputError
        ``path`` cannot be written.
    """
    if path is None or str(path) == "-":
        return
    check_output(path)
    try:
        target_st = os.stat(path)
    except OSError:
        target_st = None
    if target_st is not None and not stat.S_ISREG(target_st.st_mode):
        return  # a device or FIFO is written through: reading and writing it are not a conflict
    target = Path(path).resolve()
    for item in inputs:
        if item is None:
            continue
        if str(item) == "-":  # standard input redirected from a file (< in.csv) reads that file
            try:
                st = os.fstat(sys.stdin.fileno())
            except (OSError, ValueError, AttributeError):
                continue
            if target_st is not None and stat.S_ISREG(st.st_mode) and (st.st_dev, st.st_ino) == (
                    target_st.st_dev, target_st.st_ino):
                raise InputError(f"refusing to write over the input {path} (standard input reads it): "
                                 "choose another output path")
            continue
        same = False
        try:
            same = Path(item).resolve() == target
            if not same and target_st is not None:
                st = os.stat(item)
                same = (st.st_dev, st.st_ino) == (target_st.st_dev, target_st.st_ino)
        except (OSError, ValueError):
            pass
        if same:
            raise InputError(f"refusing to write over the input {item}: choose another output path")


def guard_outputs(targets: dict, inputs: Iterable[str | Path | None] = ()) -> None:
    """:func:`guard_output` for each of a command's outputs, and refuse two that name one target.

    ``targets`` maps each output's name as the user gave it (``-o``,
    ``--report``) to its path (None: not asked for; ``-``: standard output).
    Two outputs are one file when their paths resolve alike or they are one
    file (device and inode: a symlink or hard link): the second would be
    written over the first (``-o r.md --report r.md``).  Two outputs to
    standard output (or to standard error) would follow each other into one
    stream (``--format json --report -``: no longer JSON).  Devices and FIFOs
    may take several outputs (they are written through).

    Raises
    ------
    InputError
        Two outputs are one file or one standard stream, or an output is an input.
    OutputError
        An output cannot be written.
    """
    seen: list[tuple[str, str | Path, Any, tuple | None]] = []
    for name, path in targets.items():
        if path is None:
            continue
        kind = target_kind(path)
        if kind in ("stdout", "stderr"):
            stream = "standard output" if kind == "stdout" else "standard error"
            for other, _other_path, other_where, _ in seen:
                if other_where == kind:
                    raise InputError(f"{other} and {name} both go to {stream}: give each output its own file")
            seen.append((name, path, kind, None))
            continue
        guard_output(path, inputs)
        if kind != "file":
            continue
        try:
            st = os.stat(path)
            ident = (st.st_dev, st.st_ino)
        except OSError:
            ident = None
        where = Path(path).resolve()
        for other, other_path, other_where, other_ident in seen:
            if where == other_where or (ident is not None and ident == other_ident):
                raise InputError(f"{other} {other_path} and {name} {path} are the same file: one would be written "
                                 f"over the other; give each output its own file")
        seen.append((name, path, where, ident))


# --------------------------------------------------------------------- writing
@contextmanager
def open_output(path: str | Path | None) -> Iterator[BinaryIO]:
    """A binary file object for ``path``: the one way geomap writes an output.

    ``None`` or ``-`` is standard output.  A regular file appears complete
    when the ``with`` block ends without an exception, and not at all (the
    previous file unchanged) otherwise; devices and FIFOs are written
    through (see the module docstring).

    Raises
    ------
    OutputError
        "cannot write PATH: reason" for any ``OSError`` while opening,
        writing, flushing or renaming (a full disk, a read-only folder ...).
    BrokenPipeError
        Standard output (or a FIFO) was closed by its reader.
    """
    kind = target_kind(path)
    if kind in ("stdout", "stderr"):
        with _std_output(path, kind) as fh:
            yield fh
    elif kind == "through":
        with _through_output(Path(path)) as fh:
            yield fh
    else:
        with _atomic_output(Path(path)) as fh:
            yield fh


@contextmanager
def _std_output(path, kind: str) -> Iterator[BinaryIO]:
    stream = sys.stdout if kind == "stdout" else sys.stderr
    label = _label(path)
    try:
        stream.flush()
        fh = getattr(stream, "buffer", None)
        # a raw stream (python -u, PYTHONUNBUFFERED) may take part of a write: write the rest too
        fh = _TextSink(stream) if fh is None else _AllBytes(fh)
        yield fh
        fh.flush()
    except BrokenPipeError:
        raise
    except OSError as exc:
        raise failed(label, exc) from None


class _AllBytes(io.RawIOBase):
    """Writes every byte to ``raw``, repeating a short write (a raw file's ``write`` may take a part)."""

    def __init__(self, raw):
        self.raw = raw

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:
        view = memoryview(data).cast("B")
        total = len(view)
        while len(view):
            n = self.raw.write(view)
            if not n:
                raise OSError(errno.EIO, "the output took no more bytes")
            view = view[n:]
        return total

    def flush(self) -> None:
        self.raw.flush()


class _TextSink(io.RawIOBase):
    """Bytes written to a text stream (UTF-8)."""

    def __init__(self, stream):
        self.stream = stream

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:
        self.stream.write(bytes(data).decode("utf-8"))
        return len(data)

    def flush(self) -> None:
        self.stream.flush()


@contextmanager
def _through_output(path: Path) -> Iterator[BinaryIO]:
    """Write a device, FIFO or terminal (or a regular file named through /proc) in place."""
    try:
        regular = stat.S_ISREG(os.stat(path).st_mode)
        fd = os.open(path, os.O_WRONLY | getattr(os, "O_NOCTTY", 0) | (os.O_TRUNC if regular else 0))
    except OSError as exc:
        raise failed(path, exc) from None
    fh = os.fdopen(fd, "wb")
    try:
        yield fh
        fh.flush()
    except BrokenPipeError:
        raise
    except OSError as exc:
        raise failed(path, exc) from None
    finally:
        try:
            fh.close()
        except OSError:
            pass  # the error was reported by the flush above


@contextmanager
def _atomic_output(path: Path) -> Iterator[BinaryIO]:
    """Write a regular file via an unnamed (or hidden) file in its folder and an atomic rename."""
    check_output(path)
    real = Path(os.path.realpath(path)) if path.is_symlink() else path  # replace the file, keep the link
    folder = real.parent if str(real.parent) else Path(".")
    named: Path | None = None
    try:
        mode = stat.S_IMODE(os.stat(real).st_mode)
    except OSError:
        mode = None
    try:
        fd, named = _open_temp(folder, real.name)
    except OSError as exc:
        raise failed(path, exc, atomic=True) from None
    fh = os.fdopen(fd, "wb")
    done = False
    try:
        yield fh
        fh.flush()
        if mode is not None and hasattr(os, "fchmod"):
            os.fchmod(fh.fileno(), mode)  # a replaced file keeps its permissions
        if named is None:
            named = _link_temp(fh.fileno(), folder, real.name)
        stop_check()  # a stop signal whose first raise was dropped: keep the previous file
        os.replace(named, real)
        done = True
    except BrokenPipeError:
        raise
    except OSError as exc:
        raise failed(path, exc, atomic=True) from None
    finally:
        try:
            fh.close()
        except OSError:
            pass
        if not done and named is not None:
            try:
                os.unlink(named)
            except OSError:
                pass


def _temp_name(folder: Path, name: str) -> Path:
    return folder / f".{name[:_TMP_NAME_CHARS]}{TMP_TAG}{os.getpid()}-{secrets.token_hex(4)}.tmp"


def _open_temp(folder: Path, name: str) -> tuple[int, Path | None]:
    """An fd to write: an unnamed file in ``folder`` (name None), else a new hidden file (its name)."""
    flag = getattr(os, "O_TMPFILE", 0)
    if flag:
        try:
            return os.open(folder, flag | os.O_RDWR, 0o666), None
        except OSError as exc:
            if exc.errno not in (errno.EOPNOTSUPP, errno.EISDIR, errno.EINVAL, errno.ENOENT):
                raise
    while True:
        tmp = _temp_name(folder, name)
        try:
            fd = os.open(tmp, os.O_RDWR | os.O_CREAT | os.O_EXCL, 0o666)
        except FileExistsError:
            continue
        return fd, tmp


def _link_temp(fd: int, folder: Path, name: str) -> Path:
    """Give the unnamed file ``fd`` a hidden name in ``folder`` (to be renamed at once); return it."""
    tmp = _temp_name(folder, name)
    try:
        _linkat_empty_path(fd, tmp)
        return tmp
    except OSError:
        pass
    try:
        os.link(f"/proc/self/fd/{fd}", tmp, follow_symlinks=True)
        return tmp
    except OSError:
        pass
    # neither way to name an unnamed file works here: copy it into a named one
    out = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    try:
        os.fchmod(out, stat.S_IMODE(os.fstat(fd).st_mode))
        size = os.fstat(fd).st_size
        offset = 0
        while offset < size:
            sent = os.sendfile(out, fd, offset, size - offset)
            if sent == 0:
                raise OSError(errno.EIO, "short copy of the temporary file")
            offset += sent
    except BaseException:
        os.close(out)
        os.unlink(tmp)
        raise
    os.close(out)
    return tmp


_LIBC = None


def _linkat_empty_path(fd: int, target: Path) -> None:
    """``linkat(fd, "", AT_FDCWD, target, AT_EMPTY_PATH)``: name the unnamed file ``fd``."""
    global _LIBC
    import ctypes

    if _LIBC is None:
        _LIBC = ctypes.CDLL(None, use_errno=True)
    at_fdcwd, at_empty_path = -100, 0x1000
    if _LIBC.linkat(fd, b"", at_fdcwd, os.fsencode(target), at_empty_path) != 0:
        err = ctypes.get_errno()
        raise OSError(err, os.strerror(err), str(target))


class atomic_path:
    """Context manager for writers that need a file *name* (GDAL, SQLite, Parquet writers).

    Yields a hidden temporary path in ``path``'s folder, renamed onto ``path``
    when the block succeeds and removed (with any SQLite journal) when it
    fails.  For a device or FIFO the temporary file is in the system's
    temporary folder and its bytes are copied through.  Unlike
    :func:`open_output`, the temporary file has a name while it is written:
    ``kill -9`` can leave it behind.

    Raises
    ------
    OutputError
        "cannot write PATH: reason".
    """

    def __init__(self, path: str | Path):
        self.path = Path(path)

    def __enter__(self) -> Path:
        self.kind = target_kind(self.path)
        if self.kind == "file":
            check_output(self.path)
            folder = self.path.parent if str(self.path.parent) else Path(".")
            self.dir = None
        else:
            folder = Path(tempfile.mkdtemp(prefix="geomap-out-"))
            self.dir = folder
        self.tmp = _temp_name(folder, self.path.name).with_suffix(f".tmp{self.path.suffix}")
        return self.tmp

    def __exit__(self, exc_type, exc, tb) -> None:
        try:
            if exc_type is None:
                try:
                    stop_check()  # a stop signal whose first raise was dropped: keep the previous file
                    if self.kind == "file":
                        os.replace(self.tmp, self.path)
                    else:
                        with open(self.tmp, "rb") as src, open_output(self.path) as out:
                            import shutil

                            shutil.copyfileobj(src, out, 1 << 20)
                except OSError as err:
                    if isinstance(err, BrokenPipeError):
                        raise
                    raise failed(self.path, err) from None
        finally:
            for extra in (self.tmp, Path(str(self.tmp) + "-journal"), Path(str(self.tmp) + "-wal")):
                try:
                    extra.unlink()
                except OSError:
                    pass
            if self.dir is not None:
                import shutil

                shutil.rmtree(self.dir, ignore_errors=True)
        if exc_type is not None and issubclass(exc_type, OSError) and not issubclass(exc_type, BrokenPipeError):
            raise failed(self.path, exc) from None


def write_atomic(path: str | Path | None, data: str | bytes) -> None:
    """Write ``data`` (text as UTF-8) to ``path`` with :func:`open_output` (None or ``-``: standard output)."""
    with open_output(path) as fh:
        fh.write(data.encode("utf-8") if isinstance(data, str) else data)


def write_json(path: str | Path | None, data: Any) -> None:
    """Write ``data`` as :func:`dumps` JSON (and a newline) to ``path`` with :func:`open_output`."""
    write_atomic(path, dumps(data) + "\n")


def emit(text: str, path: str | Path | None) -> None:
    """Write ``text`` (a newline added when missing) to standard output (None, ``-``) or ``path``.

    Checked like every output: a failed write raises :class:`OutputError`.
    """
    write_atomic(path, text if text.endswith("\n") else text + "\n")
