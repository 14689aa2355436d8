"""The one body of ``distance``, ``check`` and ``map``: build the request, run it, format the result."""

from __future__ import annotations

import click


def run_command(source, line, claim, *, engine="local", scheduler=None, html=None, png=None, fmt="table",
                output=None, report=None, title=None, online_tiles=False, extra_inputs=(), table_output=True, verdict_exit=True):
    """Run one request and write what the options ask for, then exit with the result's code.

    Outputs are guarded against overwriting any input first; a file's rows get
    the stderr summary; ``--html``/``--png`` draw the same result (nothing is
    measured twice); ``--report`` writes the evidence record.  The exit code is
    the result's (:attr:`~geomap.pipeline.result.Result.exit_code`); with
    ``verdict_exit=False`` (``map``) verdicts do not change it.
    """
    from geomap.cli import formatting
    from geomap.cli.options import is_quiet
    from geomap.io.write import guard_outputs
    from geomap.pipeline.request import Execution, Request
    from geomap.pipeline.run import run

    quiet = is_quiet()
    is_file = source.kind == "file"
    inputs = formatting.input_paths(source, line) + list(extra_inputs)
    # the table goes to standard output when no -o is given (None there: no table is written)
    guard_outputs({"-o": output if output is not None else ("-" if table_output else None), "--report": report,
                   "--html": html, "--png": png}, inputs)
    if table_output:
        from geomap.io.formats import RESULT_FILES

        formatting.check_output_suffix(output, formatting.text_files() + (RESULT_FILES if is_file else ()),
                                       "a FILE's rows" if is_file else "--at/--place results")
    if is_file and report:
        raise click.UsageError("--report is for --at/--place incidents; for a FILE the output rows carry "
                               "the evidence (layer, sha256, method, interval, verdict)")
    if (html or png) and engine != "local":
        raise click.UsageError("--html/--png need every row in memory: drop --engine dask for the map")
    request = Request(source, line, claim=claim,
                      execution=Execution(engine=engine, scheduler=scheduler, output=output,
                                          progress_factory=formatting.progress_factory(quiet) if is_file else None))
    result = run(request)
    if table_output:
        formatting.emit_result(result, fmt, output)
    if is_file:
        formatting.echo_err(formatting.batch_summary(result), quiet)
    formatting.write_maps(result, html=html, png=png, quiet=quiet, title=title, online_tiles=online_tiles)
    if report:
        import shlex
        import sys

        from geomap.report.evidence import write_report

        from geomap.io.privacy import public_command

        # file names only: the record is published, the user's local folders are not
        write_report(report, result, command="geomap " + shlex.join(public_command(sys.argv[1:])), map_file=html)
        formatting.echo_err(f"wrote evidence record {report}", quiet)
    code = result.exit_code
    if not verdict_exit and code in (0, 10, 11):
        code = 0  # `map` draws verdicts; its exit says only whether every row was measured
    raise SystemExit(code)
