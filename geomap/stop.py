"""A stop signal's state, shared by the CLI (which receives it) and the code that commits work.

Standard library only.  The CLI turns SIGINT, SIGTERM and SIGHUP into
:class:`Terminated` (see :mod:`geomap.cli`).  Python runs a signal handler in
the main thread at the next bytecode, wherever that is, and an exception
raised inside a weak-reference callback, a ``__del__`` or an import lock's
cleanup is printed as "Exception ignored in ..." and dropped: the run went on
and wrote its output with status 0 after a SIGHUP (seen in CI, about one run
in a hundred).  So the signal is also recorded here, and :func:`check` raises
it again at the points that commit work -- before an output is renamed into
place or streamed out, and between chunks of a batch.

A library caller whose process has no geomap handlers installed never has a
recorded signal, so :func:`check` costs one dict lookup and does nothing.
"""

from __future__ import annotations

import sys

#: the stop signal received by this run, if any ("signum": int)
_RECEIVED: dict = {}


class Terminated(BaseException):
    """SIGINT, SIGTERM or SIGHUP arrived: unwinds like KeyboardInterrupt (every ``finally`` and cleanup runs)."""

    def __init__(self, signum: int):
        super().__init__(signum)
        self.signum = signum


def record(signum: int) -> None:
    """Remember that ``signum`` stopped this run (the first signal wins)."""
    _RECEIVED.setdefault("signum", int(signum))


def received() -> int | None:
    """The stop signal's number, or None when no stop signal arrived."""
    return _RECEIVED.get("signum")


def clear() -> None:
    """Forget a recorded signal (a new run in the same process starts clean)."""
    _RECEIVED.clear()


def check() -> None:
    """Raise :class:`Terminated` again if a stop signal arrived (its first raise may have been dropped)."""
    signum = _RECEIVED.get("signum")
    if signum is not None:
        raise Terminated(signum)


def _unraisable(hook):
    """An ``sys.unraisablehook`` that stays quiet about a dropped :class:`Terminated` (:func:`check` raises it)."""

    def quiet(unraisable):
        if isinstance(unraisable.exc_value, Terminated):
            return
        hook(unraisable)

    quiet.geomap_stop = True
    return quiet


def quiet_dropped_stops() -> None:
    """Install :func:`_unraisable` once, so a dropped stop prints no "Exception ignored" traceback."""
    if not getattr(sys.unraisablehook, "geomap_stop", False):
        sys.unraisablehook = _unraisable(sys.unraisablehook)
