"""`summit sensitivity SCENARIO --outcome NAME --method sobol|morris`: which parameters matter."""

from __future__ import annotations

import sys

from summit import options, overrides
from summit.catalog import resolve
from summit.commands.progress import on_terminal
from summit.scenario import load_spec


def register(sub) -> None:
    p = sub.add_parser(
        "sensitivity",
        help="global sensitivity analysis (Sobol' or Morris, with SALib) of an outcome",
        description="Vary every parameter the scenario draws from a distribution over its "
        "distribution's "
        "support, play each design point --replications times (the same seeds at every point) "
        "and rank the parameters by their influence on the mean outcome.",
    )
    p.add_argument("scenario", help="a scenario file, or a scenario name from scenarios/")
    p.add_argument(
        "--outcome",
        required=True,
        metavar="NAME",
        help="outcome column, e.g. iran_presence or deal; for a history case also verdict "
        "(the coded outcome reproduced, docs/validation.md)",
    )
    p.add_argument("--method", choices=("sobol", "morris"), default="sobol", help="default sobol")
    p.add_argument(
        "--n",
        type=options.count,
        default=None,
        help="base sample: Sobol' N, a power of 2 (default 128; N*(D+2) points), or Morris "
        "trajectories (default 40; N*(D+1) points)",
    )
    p.add_argument(
        "--replications", type=options.count, default=10, help="runs per design point (default 10)"
    )
    p.add_argument(
        "--seed",
        type=options.seed,
        default=1,
        help="seed of the design and of the replications (default 1)",
    )
    p.add_argument("--csv", metavar="FILE", help="also write the table of indices as CSV")
    p.add_argument("--png", metavar="FILE", help="also draw the indices as a bar chart (PNG)")
    overrides.add_argument(p)
    p.add_argument(
        "--jobs", type=options.count, default=None, help="worker processes (default: every core)"
    )
    p.set_defaults(handler=main)


def main(args) -> int:
    from summit.analysis.sensitivity import render_text, run_sensitivity, save_csv, save_png

    spec = overrides.with_settings(load_spec(resolve(args.scenario)), args.settings)
    n = args.n if args.n is not None else (128 if args.method == "sobol" else 40)
    with on_terminal("summits") as progress:
        r = run_sensitivity(
            spec,
            args.outcome,
            args.method,
            n,
            args.replications,
            args.seed,
            jobs=args.jobs,
            on_chunk=progress,
        )
    sys.stdout.write(render_text(r))
    sys.stdout.write(f"{r.runs:,} summits in {r.seconds:.1f} s\n")
    if args.csv:  # files only when asked for
        save_csv(r, args.csv)
        sys.stdout.write(f"table: {args.csv}\n")
    if args.png:
        save_png(r, args.png)
        sys.stdout.write(f"chart: {args.png}\n")
    return 0
