"""``python -m geomap`` and the ``geomap`` command.

SIGINT (Ctrl-C), SIGTERM and SIGHUP are caught before anything else is imported: a stop that
arrives while Python and geomap start (before the CLI installs its own
handlers, which remove temporary files) exits as the CLI would, with one line
and status 128 + the signal number.  Nothing has been opened or written then.
"""

import os
import signal


def _stopped_while_starting(signum, frame):  # pragma: no cover - depends on timing
    os.write(2, f"geomap: stopped by {signal.Signals(signum).name}\n".encode())
    os._exit(128 + signum)


def _catch_early() -> None:
    for name in ("SIGINT", "SIGTERM", "SIGHUP"):
        if hasattr(signal, name):
            signal.signal(getattr(signal, name), _stopped_while_starting)


def run() -> None:
    """The console entry point: early stop handlers, then the CLI."""
    _catch_early()
    from geomap.cli import main

    main(prog_name="geomap")


if __name__ == "__main__":  # pragma: no cover
    run()
