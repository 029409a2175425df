"""`summit report RESULTS [--out report.html]`: a batch result as a self-contained HTML report."""

from __future__ import annotations

from summit import options


def register(sub) -> None:
    p = sub.add_parser(
        "report",
        help="turn a batch result (Parquet or CSV) into a self-contained HTML report",
        description="Read a batch table (columns run, run_seed, sampled parameters, outcomes) "
        "and write one "
        "HTML file with embedded plots: deal rate, outcome distributions, delivery and deal rate "
        "by parameter, payment for unkept promises, and a summary table.",
    )
    p.add_argument("results", help="a batch table: .parquet or .csv (from summit batch --out)")
    p.add_argument("--out", metavar="FILE", help="the HTML file (default: RESULTS with .html)")
    p.add_argument("--title", help="page title")
    p.add_argument(
        "--bins",
        type=options.at_least(2),
        default=10,
        help="bins (quantiles) of each parameter (default 10)",
    )
    p.set_defaults(handler=main)


def main(args) -> int:
    from summit.report.batch_report import write_report

    out = write_report(args.results, args.out, args.title, args.bins)
    print(f"report: {out}")
    return 0
