"""`summit analyze SCENARIO`: the negotiation's reference points at the start of the summit."""

from __future__ import annotations

import sys

from summit import options, overrides
from summit.catalog import resolve
from summit.scenario import load_spec


def register(sub) -> None:
    p = sub.add_parser(
        "analyze",
        help="reference points: Pareto set, Nash, Kalai-Smorodinsky, Condorcet levels",
        description="Value every package the scenario allows by the actors' expected utilities "
        "at the start "
        "of round 1 and print the negotiation's reference points: the Pareto-efficient packages, "
        "the Nash bargaining, Kalai-Smorodinsky, egalitarian and utilitarian solutions (over the "
        "actors at the table and those who give something), and per issue the capability x "
        "salience weighted mean of the preferred levels and the Condorcet level.",
    )
    p.add_argument("scenario", help="a scenario file, or a scenario name from scenarios/")
    p.add_argument(
        "--seed",
        type=options.seed,
        default=None,
        help="use this run's sampled parameters and round-1 events (default: mean parameters)",
    )
    p.add_argument(
        "--best", type=options.at_least(0), default=5, help="efficient packages to list (default 5)"
    )
    overrides.add_argument(p)
    p.set_defaults(handler=main)


def main(args) -> int:
    from summit.analysis.negotiation import reference_points
    from summit.analysis.reference_text import render

    spec = overrides.with_settings(load_spec(resolve(args.scenario)), args.settings)
    sys.stdout.write(render(reference_points(spec, args.seed), args.best))
    return 0
