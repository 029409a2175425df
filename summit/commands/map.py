"""`summit map SCENARIO --x PARAM --y PARAM --outcome NAME`: an outcome over a grid of two
parameters."""

from __future__ import annotations

import sys

from summit import options, overrides
from summit.catalog import resolve
from summit.commands.progress import on_terminal
from summit.scenario import load_spec


def register(sub) -> None:
    p = sub.add_parser(
        "map",
        help="map an outcome over two parameters (e.g. Russia's capability x willingness)",
        description="Play a grid of Monte Carlo batches over two parameters and show the mean "
        "outcome of "
        "each cell as a heat map (true/false outcomes give the share of runs). Every cell plays "
        "the same run seeds, so differences between cells come from the two parameters.",
    )
    p.add_argument("scenario", help="a scenario file, or a scenario name from scenarios/")
    p.add_argument(
        "--x", required=True, metavar="PARAM", help="parameter across, e.g. russia.capability"
    )
    p.add_argument(
        "--y",
        required=True,
        metavar="PARAM",
        help="parameter up, e.g. russia.willingness (all its issues) or "
        "russia.willingness.iran_withdrawal",
    )
    p.add_argument(
        "--outcome",
        required=True,
        metavar="NAME",
        help="outcome column, e.g. iran_presence or deal",
    )
    p.add_argument(
        "--steps", type=options.at_least(2), default=20, help="grid values per axis (default 20)"
    )
    p.add_argument("--runs", type=options.count, default=2000, help="runs per cell (default 2000)")
    p.add_argument("--seed", type=options.seed, default=1, help="batch seed (default 1)")
    p.add_argument(
        "--x-range",
        type=float,
        nargs=2,
        metavar=("LOW", "HIGH"),
        help="range of --x (default: the parameter's valid range)",
    )
    p.add_argument(
        "--y-range",
        type=float,
        nargs=2,
        metavar=("LOW", "HIGH"),
        help="range of --y (default: the parameter's valid range)",
    )
    overrides.add_argument(p)
    p.add_argument("--png", metavar="FILE", help="write the heat map as a PNG image")
    p.add_argument("--csv", metavar="FILE", help="write the table of cells as CSV")
    p.add_argument(
        "--jobs", type=options.count, default=None, help="worker processes (default: every core)"
    )
    p.add_argument(
        "--chunk", type=options.count, default=None, help="runs per chunk (default 2048)"
    )
    p.add_argument(
        "--width",
        type=options.at_least(20),
        default=80,
        help="terminal columns for the map (default 80)",
    )
    p.set_defaults(handler=main)


def main(args) -> int:
    from summit.analysis.maps import render_text, run_map, save_csv, save_png

    spec = overrides.with_settings(load_spec(resolve(args.scenario)), args.settings)
    with on_terminal("summits") as progress:
        m = run_map(
            spec,
            args.x,
            args.y,
            args.outcome,
            steps=args.steps,
            runs=args.runs,
            seed=args.seed,
            x_range=args.x_range,
            y_range=args.y_range,
            jobs=args.jobs,
            chunk=args.chunk,
            on_chunk=progress,
        )
    sys.stdout.write(render_text(m, args.width))
    rate = m.summits / m.seconds if m.seconds > 0 else float("inf")
    sys.stdout.write(f"{m.summits:,} summits in {m.seconds:.1f} s ({rate:,.0f} a second)\n")
    if args.csv:
        save_csv(m, args.csv)
        sys.stdout.write(f"table: {args.csv}\n")
    if args.png:
        save_png(m, args.png)
        sys.stdout.write(f"image: {args.png}\n")
    return 0
