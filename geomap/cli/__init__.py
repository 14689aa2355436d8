"""geomap's command-line interface: a thin layer over the library.

Only click, the standard library and geomap's light modules are imported here.
Each subcommand lives in its own module, imported only when it is invoked, and
imports its heavy dependencies inside the command body.

Exit codes (documented in the README):

* 0 - success (for ``check``: the claim is *supported*)
* 1 - a geomap error (or, for batch runs, some rows could not be measured)
* 2 - usage or input error (bad option, bad coordinates, unreadable file)
* 3 - a required program or package is missing (chromium, dask)
* 4 - internal numerical failure
* 2 also when an output cannot be written ("cannot write PATH: reason")
* 129 / 130 / 143 - stopped by SIGHUP / Ctrl-C / SIGTERM (temporary files removed)
* 141 - standard output was closed by its reader (``geomap ... | head``): a quiet stop
* ``check`` adds 10 = contradicted, 11 = inconclusive
"""

from __future__ import annotations

import errno
import importlib
import logging
import os
import signal
import sys

import click

from geomap._version import __version__
from geomap.cli.options import configure_logging, flag_language, verbosity_options  # noqa: F401 (public)
from geomap import stop
from geomap.errors import GeomapError, OutputError
from geomap.io.text import safe_text
from geomap.stop import Terminated  # noqa: F401 (public: the stop signals' exception)

#: command name -> "module:attribute"; a module is imported only when its command runs
COMMANDS = {
    "distance": "geomap.cli.distance:distance",
    "check": "geomap.cli.check:check",
    "claim": "geomap.cli.claim:claim",
    "geocode": "geomap.cli.geocode:geocode",
    "layers": "geomap.cli.layers:layers",
    "map": "geomap.cli.map:map_command",
}


class LazyGroup(click.Group):
    """A click group whose subcommands are imported on first use."""

    def list_commands(self, ctx):
        return sorted(COMMANDS)

    def get_command(self, ctx, name):
        target = COMMANDS.get(name)
        if target is None:
            return None
        module_name, attr = target.split(":")
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as exc:  # command not built yet / optional
            if exc.name and exc.name.startswith("geomap"):
                return None
            raise
        return getattr(module, attr)

    def invoke(self, ctx):
        previous = _catch_signals()
        try:
            result = super().invoke(ctx)
            stop.check()  # a stop whose first raise was dropped (in a weakref callback, a __del__ ...)
            _flush_stdout()
            return result
        except GeomapError as exc:
            if stop.received() is not None:  # the signal's unwinding surfaced as this error (a closed browser)
                _stopped(stop.received())
            _fail(exc)
        except click.UsageError as exc:
            # One line, naming the problem and where the fix is documented.
            where = f"'{exc.ctx.command_path} --help'" if exc.ctx is not None else "'geomap --help'"
            message = " ".join(exc.format_message().split())
            click.echo(f"Error: {message} (see {where})", err=True)
            sys.exit(exc.exit_code)
        except SystemExit:
            _flush_stdout()
            raise
        except BrokenPipeError:
            _quiet_broken_pipe()
        except OSError as exc:
            if exc.errno not in _WRITE_ERRNOS:
                raise
            # a write that no output path reported (click.echo to a full or failing standard output)
            _fail(OutputError(f"cannot write {exc.filename or 'standard output'}: {exc.strerror or exc}"))
        except Terminated as exc:
            _stopped(exc.signum)
        except KeyboardInterrupt:  # raised by a library (``_thread.interrupt_main``), not by a signal
            _stopped(signal.SIGINT)
        finally:
            _restore_signals(previous)
            stop.clear()  # a library call after this command (in the same process) is not stopped by it


#: errno values only a write can give (reported as "cannot write ...", exit 2, not as a traceback); outputs
#: geomap writes itself go through geomap.io.write, which names the file; this catches click.echo's writes
_WRITE_ERRNOS = {errno.ENOSPC, errno.EDQUOT, errno.EFBIG}

#: signals that stop geomap: temporary files removed, one line, exit 128 + the signal number.  Ctrl-C
#: (SIGINT) is among them, raised as :class:`Terminated` rather than KeyboardInterrupt: CPython 3.11 marks
#: the process "died of an unhandled ^C" when a KeyboardInterrupt passes through code run by eval/exec of
#: a string (``collections.namedtuple`` and ``dataclasses`` do that while a library is imported), even
#: though geomap catches it, and then kills itself with SIGINT at exit instead of returning 130
#: (CPython gh-128130; seen here as status -2 after "stopped by SIGINT", about 1 run in 20 under load)
STOP_SIGNALS = tuple(getattr(signal, name) for name in ("SIGINT", "SIGTERM", "SIGHUP") if hasattr(signal, name))


def _raise_terminated(signum, frame):
    for sig in STOP_SIGNALS:  # the cleanup that follows is not interrupted by a second signal
        signal.signal(sig, signal.SIG_IGN)
    stop.record(signum)
    # the unwinding may break a helper's pipe (playwright's driver): asyncio would log that, with a traceback
    logging.getLogger("asyncio").setLevel(logging.CRITICAL + 1)
    raise Terminated(signum)


def _catch_signals() -> dict:
    """Turn SIGINT, SIGTERM and SIGHUP into :class:`Terminated`; return the handlers they had."""
    stop.clear()
    stop.quiet_dropped_stops()
    previous = {}
    for sig in STOP_SIGNALS:
        try:
            previous[sig] = signal.signal(sig, _raise_terminated)
        except (ValueError, OSError):  # not the main thread (a library caller): leave signals alone
            pass
    return previous


def _restore_signals(previous: dict) -> None:
    for sig, handler in previous.items():
        try:
            signal.signal(sig, handler)
        except (ValueError, OSError, TypeError):
            pass


def _stopped(signum: int) -> None:
    name = signal.Signals(signum).name
    # the one line below is all: a helper process that got the same signal (playwright's driver on Ctrl-C)
    # leaves asyncio futures whose errors would otherwise be logged at exit
    logging.getLogger("asyncio").setLevel(logging.CRITICAL + 1)
    try:
        click.echo(f"geomap: stopped by {name}", err=True)
    except OSError:
        pass
    sys.exit(128 + int(signum))


def _flush_stdout() -> None:
    """Flush standard output now, so that a failure is reported (not lost at interpreter exit)."""
    try:
        sys.stdout.flush()
    except BrokenPipeError:
        _quiet_broken_pipe()
    except OSError as exc:
        _fail(OutputError(f"cannot write standard output: {exc.strerror or exc}"))


def _quiet_broken_pipe() -> None:
    """The reader of standard output went away (``geomap ... | head``): stop quietly, as Unix tools do.

    Standard output is pointed at /dev/null so that nothing more is written
    (or reported) at exit; the status is 141, what a shell shows for a
    process stopped by SIGPIPE.
    """
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError, AttributeError):
        pass
    sys.exit(128 + getattr(signal, "SIGPIPE", 13))


def _fail(exc: GeomapError) -> None:
    # one line: whitespace collapsed, other control characters (a file name's escape sequence) escaped
    message = flag_language(safe_text(" ".join(str(exc).split()))) or type(exc).__name__
    click.echo(f"Error: {message}", err=True)
    sys.exit(exc.exit_code)


def _show_versions(ctx, param, value):
    if not value or ctx.resilient_parsing:
        return
    from geomap.report.versions import software_versions

    for name, ver in software_versions().items():
        click.echo(f"{name:>10}: {ver}")
    ctx.exit()


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="geomap")
@click.option(
    "--show-versions",
    is_flag=True,
    expose_value=False,
    is_eager=True,
    callback=_show_versions,
    help="Print geomap's and its libraries' versions (GEOS, PROJ, GDAL, ...) for bug reports.",
)
def main():  # -v/-q: see geomap.cli.options.verbosity_options (added below)
    """Exact geodesic distances from incidents to lines of contact.

    Measure how far an incident lies from a line of contact on the WGS84
    ellipsoid, turn a claim such as "dozens of kilometers" into a numeric
    range, and give a verdict with its evidence.
    """


def _add_group_verbosity() -> None:
    verbosity_options(main)


_add_group_verbosity()
