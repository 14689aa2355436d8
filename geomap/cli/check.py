"""``geomap check``: does a distance claim hold for an incident? A verdict with its bounds and evidence."""

from __future__ import annotations

import click

from geomap.cli import configure_logging
from geomap.cli.claim import claim_from_options, claim_options
from geomap.cli.options import (
    engine_options,
    incident_job,
    incident_options,
    map_file_options,
    output_options,
    resolve_format,
)


@click.command(context_settings={"help_option_names": ["-h", "--help"]})
@incident_options
@engine_options
@claim_options
@click.option("--report", "report", metavar="PATH", default=None,
              help="Also write a Markdown evidence record (inputs, method, layer provenance, versions, numbers).")
@map_file_options
@output_options()
def check(points, at, places, country, near, within, gazetteer, online, radius_m, layer, theatre, date, assume_crs,
          rings, lon_col, lat_col, date_col, id_col, engine, scheduler, claim, min_km, max_km, lexicon, report, html, png,
          fmt, output, verbose, quiet):
    """Test a distance claim ("dozens of kilometres from the line") against the measured distance.

    Takes everything 'geomap distance' takes, plus --claim TEXT (or
    --min-km/--max-km).  The claim becomes a numeric range (a strict and a
    lenient reading, see 'geomap claim'); the distance becomes an interval
    widened by the location's uncertainty (--radius-m, the place's radius or
    the district's whole area) and the layer's stated accuracy.

    \b
    Exit codes: 0 supported, 10 contradicted, 11 inconclusive (several
    incidents: 0 or 10 only if all agree), 1 some file rows could not be
    measured, 2 bad input, 3 missing program.

    \b
    Example:
      geomap check --place Hadrut --theatre nagorno-karabakh --date 2020-12-27 \\
          --claim "dozens of kilometers from the nearest section of the line of contact"
    """
    configure_logging(verbose, quiet)
    from geomap.pipeline import request as jobs
    from geomap.cli import formatting
    from geomap.errors import InputError
    from geomap.io.write import guard_output

    parsed = claim_from_options(claim, min_km, max_km, lexicon)
    if parsed is None:
        raise InputError("no claim given: pass --claim TEXT (e.g. 'dozens of kilometres') or --min-km/--max-km")
    inputs, spec, kind = incident_job(**click.get_current_context().params)
    fmt = resolve_format(fmt, output)
    for target in (output, report, html, png):
        guard_output(target, formatting.input_paths(points, layer, gazetteer, within, lexicon))
    if kind == "FILE":
        if report:
            raise click.UsageError("--report is for --at/--place incidents; for a FILE the output rows carry "
                                   "the evidence (layer, sha256, method, interval, verdict)")
        if (html or png) and engine != "local":
            raise click.UsageError("--html/--png need every row in memory: drop --engine dask for the map")
        # every row: verdict columns, a status, counts on stderr; exit 1 if any row could not be measured
        result = jobs.check_file(inputs, spec, parsed, progress_factory=formatting.progress_factory(quiet),
                                 output=output)
        formatting.emit_batch(result, fmt, output)
        formatting.echo_err(formatting.batch_summary(result), quiet)
        if html or png:
            lines, measurements, verdicts = jobs.map_for_file(inputs, spec, result, claim=parsed)
            formatting.write_maps(measurements, lines, html=html, png=png, verdicts=verdicts, claim=parsed,
                                  quiet=quiet)
        raise SystemExit(result.exit_code)
    if engine != "local":
        raise click.UsageError("--engine dask is for FILE inputs: give a CSV glob or a GeoParquet folder")
    result = jobs.check_incidents(inputs, spec, parsed)
    formatting.emit(formatting.check_text(result, fmt), output)
    formatting.write_maps(result.measurements, result.lines, html=html, png=png, verdicts=result.verdicts,
                          claim=parsed, quiet=quiet)
    if report:
        import shlex
        import sys

        from geomap.report.evidence import write_report

        from geomap.io.write import public_command

        write_report(report, result, command="geomap " + shlex.join(public_command(sys.argv[1:])), map_file=html)
        formatting.echo_err(f"wrote evidence record {report}", quiet)
    raise SystemExit(result.exit_code)
