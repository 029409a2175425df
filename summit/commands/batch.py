"""`summit batch SCENARIO --runs N --seed S --out results.parquet`: many summits, one row each.

Every row replays with `summit run SCENARIO --seed <run_seed>`. A progress line on stderr while
it works, a summary on stdout at the end. Ctrl-C, SIGTERM, SIGHUP or a full disk keep finished
chunks; --resume finishes (see docs/batch.md).
"""

from __future__ import annotations

import sys

from summit import options, overrides
from summit.catalog import resolve
from summit.commands.progress import Progress
from summit.errors import Stopped

# The batch engine (numba, scipy, pyarrow) loads in main(), so `summit --help` starts fast;
# tests/test_cli.py checks these names against summit.batch.ENGINES.
ENGINE_NAMES = ("array", "mesa")


def register(sub) -> None:
    p = sub.add_parser(
        "batch",
        help="play many summits (Monte Carlo) into a Parquet or CSV table",
        description="Play many summits, each sampling the scenario's distributions from "
        "its own run seed, into one table row each (run, run_seed, sampled "
        "parameters, outcomes) and print a summary. `summit run SCENARIO "
        "--seed <run_seed>` replays any row.",
    )
    p.add_argument("scenario", help="a scenario file, or a scenario name from scenarios/")
    p.add_argument(
        "--runs", type=options.count, default=10_000, help="number of summits (default 10000)"
    )
    p.add_argument(
        "--seed",
        type=options.seed,
        default=0,
        help="batch seed, 0 to 2**63-1: run i plays with a seed derived from it",
    )
    p.add_argument(
        "--out", help="the table to write: .parquet or .csv (without it only the summary)"
    )
    p.add_argument(
        "--jobs", type=options.count, default=None, help="local processes (default: all cores)"
    )
    p.add_argument(
        "--chunk",
        type=options.count,
        default=None,
        help="runs per chunk (default: as many as --memory allows, at most 8192)",
    )
    p.add_argument(
        "--memory",
        type=options.memory,
        default=None,
        metavar="SIZE",
        help="memory budget of the whole batch, e.g. 1G or 512M (default 1G): "
        "chunks are sized to stay under it",
    )
    p.add_argument(
        "--engine",
        choices=ENGINE_NAMES,
        default="array",
        help="array: many runs at once (default); mesa: one SummitModel a run (the reference)",
    )
    p.add_argument(
        "--dask", metavar="ADDRESS", help="run on an existing Dask cluster (e.g. tcp://host:8786)"
    )
    p.add_argument(
        "--dask-timeout",
        type=options.positive_seconds,
        default=5.0,
        help="seconds to wait for the Dask scheduler",
    )
    p.add_argument(
        "--resume",
        action="store_true",
        help="finish an interrupted batch (same scenario, seed, runs)",
    )
    overrides.add_argument(p)
    p.add_argument("--quiet", action="store_true", help="no progress line")
    p.set_defaults(handler=main)


SHOWN = 5  # damaged or missing parts named one by one after a resume


def main(args) -> int:
    from summit.analysis.nash_tally import NashTally
    from summit.batch import write_batch
    from summit.scenario import load_spec

    scenario = resolve(args.scenario)
    nash = NashTally(load_spec(scenario))  # the batch summary, then the deals against Nash
    progress = None if args.quiet else Progress()
    try:
        report = write_batch(
            scenario,
            args.runs,
            args.seed,
            args.out,
            jobs=args.jobs,
            chunk=args.chunk,
            memory=args.memory,
            engine=args.engine,
            dask=args.dask,
            dask_timeout=args.dask_timeout,
            resume=args.resume,
            on_chunk=progress,
            on_rows=nash.add,
            settings=args.settings,
        )
    except KeyboardInterrupt as stop:
        if progress:
            progress.close()
        kept = (
            f"; finished chunks are kept in {args.out}.parts (add --resume to finish)"
            if args.out
            else ""
        )
        why = f"stopped by {stop.name}" if isinstance(stop, Stopped) else "interrupted"
        print(f"summit: {why}{kept}", file=sys.stderr)
        return 128 + stop.signum if isinstance(stop, Stopped) else 130
    finally:
        if progress:
            progress.close()
    for note in report.replayed[:SHOWN]:
        print(f"summit: {note}", file=sys.stderr)
    if len(report.replayed) > SHOWN:
        more = len(report.replayed) - SHOWN
        print(f"summit: and {more:,} more parts played again", file=sys.stderr)
    rate = report.played / report.seconds if report.seconds else 0.0
    where = f" -> {report.out}" if report.out else ""
    print(f"summit batch: {scenario} seed {args.seed}: {report.runs:,} runs{where}")
    if args.settings:
        print("settings: " + ", ".join(args.settings))
    print(
        f"played {report.played:,} runs in {report.seconds:.1f} s ({rate:,.0f} runs/s, "
        f"{rate * 60:,.0f} runs/min)\n"
    )
    sys.stdout.write(report.summary.render())
    if nash.lines():
        sys.stdout.write("\n" + "\n".join(nash.lines()) + "\n")
    return 0
