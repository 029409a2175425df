"""`summit backtest [CASE ...]`: play the coded historical cases and score the model's
probability of what history recorded against two baselines."""

from __future__ import annotations

import sys

from summit import options


def register(sub) -> None:
    p = sub.add_parser(
        "backtest",
        help="score the model on the coded historical cases in scenarios/history/",
        description="Play every historical case (a scenario with a [backtest] table coding what "
        "Russia delivered), give the model's probability of each outcome, and score it (Brier, "
        "log) against the base rate and 'Russia never delivers', in sample and held out. "
        "Protocol and format: docs/validation.md.",
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
    p.add_argument(
        "--json", metavar="FILE", help="write cases, split, probabilities, scores and baselines"
    )
    p.add_argument(
        "--markdown",
        metavar="FILE",
        help="write the Markdown tables; in a file holding the generated-block markers "
        "(docs/validation.md) only the block between them is replaced",
    )
    p.add_argument("--png", metavar="FILE", help="write the calibration plot")
    p.set_defaults(handler=main)


def main(args) -> int:
    from summit.analysis import backtest_report as out
    from summit.analysis.backtest import history_cases, load_case, run_case
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
            sys.stdout.write(out.render_case(r) + "\n")
            sys.stdout.flush()
    report = out.build(results)
    sys.stdout.write(out.render_table(report))
    if args.json:
        out.write_json(report, args.runs, args.seed, args.json)
        sys.stdout.write(f"json: {args.json}\n")
    if args.markdown:
        out.write_markdown(report, args.runs, args.seed, args.markdown)
        sys.stdout.write(f"markdown: {args.markdown}\n")
    if args.png:
        out.save_png(report, args.png)
        sys.stdout.write(f"calibration plot: {args.png}\n")
    return 0
