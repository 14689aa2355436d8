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
* ``check`` adds 10 = contradicted, 11 = inconclusive
"""

from __future__ import annotations

import importlib
import logging
import sys

import click

from geomap._version import __version__
from geomap.cli.options import configure_logging, flag_language, verbosity_options  # noqa: F401 (configure_logging: public)
from geomap.errors import GeomapError

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
        try:
            return super().invoke(ctx)
        except GeomapError as exc:
            _fail(exc)
        except click.UsageError as exc:
            # One line, naming the problem and where the fix is documented.
            where = f"'{exc.ctx.command_path} --help'" if exc.ctx is not None else "'geomap --help'"
            message = " ".join(exc.format_message().split())
            click.echo(f"Error: {message} (see {where})", err=True)
            sys.exit(exc.exit_code)
        except KeyboardInterrupt:  # pragma: no cover - interactive
            click.echo("geomap: interrupted", err=True)
            sys.exit(130)


def _fail(exc: GeomapError) -> None:
    message = flag_language(" ".join(str(exc).split())) or type(exc).__name__
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
