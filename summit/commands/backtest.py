"""`summit backtest [CASE ...]`: play the historical cases and count how often the model
reproduces the record."""

from __future__ import annotations

import sys

from summit import options


def register(sub) -> None:
    p = sub.add_parser(
        "backtest",
        help="play the historical cases in scenarios/history/ against what really happened",
        description="Play every historical case (a scenario with a [backtest] table recording "
        "what really "
        "happened as a condition on outcome columns) and print how often the model reproduces "
        "the record. Baseline parameters and the format: docs/validation.md.",
    )
    p.add_argument(
        "cases",
        nargs="*",
        metavar="CASE",
        help="case files or names (default: every file in scenarios/history/)",
    )
    p.add_argument("--runs", type=options.count, default=2000, help="runs per case (default 2000)")
    p.add_argument("--seed", type=options.seed, default=1, help="batch seed (default 1)")
    p.add_argument("--jobs", type=options.count, default=1, help="worker processes (default 1)")
    p.add_argument("--brief", action="store_true", help="only the table, not each case's record")
    p.set_defaults(handler=main)


def main(args) -> int:
    from summit.analysis.backtest import (
        history_cases,
        load_case,
        render_result,
        render_table,
        run_case,
    )
    from summit.catalog import resolve
    from summit.errors import UsageError

    paths = [resolve(c) for c in args.cases] if args.cases else history_cases()
    if not paths:
        raise UsageError("no history cases found (scenarios/history/*.toml)")
    cases = [load_case(p) for p in paths]  # every case is checked before any is played
    results = []
    for case in cases:
        r = run_case(case, args.runs, args.seed, args.jobs)
        results.append(r)
        if not args.brief:
            sys.stdout.write(render_result(r) + "\n")
            sys.stdout.flush()
    sys.stdout.write(render_table(results))
    return 0
