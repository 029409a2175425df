"""`summit run SCENARIO --seed N [--json]`: play one summit with AI actors and print it."""

from __future__ import annotations

import json
import sys

from summit import options, overrides


def register(sub) -> None:
    p = sub.add_parser(
        "run",
        help="play one summit with AI actors and print it round by round",
        description="Play one summit with AI actors. The same scenario and seed always give "
        "the same game.",
    )
    p.add_argument("scenario", help="a scenario file, or a scenario name from scenarios/")
    p.add_argument(
        "--seed",
        type=options.seed,
        default=0,
        help="run seed, 0 to 2**63-1 (a batch table's run_seed replays that row)",
    )
    overrides.add_argument(p)
    p.add_argument(
        "--json",
        action="store_true",
        help="write JSON Lines: the game header, one object per round, then the outcome",
    )
    p.add_argument(
        "--summits",
        type=int,
        default=1,
        help="play K summits in a row, each carrying the "
        "beliefs the one before ended with (summit k plays with seed SEED + k)",
    )
    p.set_defaults(handler=main)


def main(args) -> int:
    from summit.analysis.negotiation import deal_vs_nash
    from summit.catalog import resolve
    from summit.errors import UsageError
    from summit.model import SummitModel  # imported here so other commands start fast
    from summit.rules.game import SEED_LIMIT, next_summit_params
    from summit.scenario import load_spec
    from summit.transcript import transcript

    spec = overrides.with_settings(load_spec(resolve(args.scenario)), args.settings)
    if not 1 <= args.summits <= 100 or args.seed + args.summits > SEED_LIMIT:
        raise UsageError(
            f"--summits: give 1 to 100 summits, seeds below 2**63 (got {args.summits})"
        )
    out, params = sys.stdout, None
    for k in range(args.summits):
        seed = args.seed + k
        model = SummitModel(spec, seed, params=params)
        model.run()
        nash = deal_vs_nash(spec, model.seed, model.outcome) if params is None else None
        series = {} if args.summits == 1 else {"summit": k + 1}
        if args.json:
            for record in [model.header.to_dict(), *(r.to_dict() for r in model.records)]:
                out.write(json.dumps({**series, **record}) + "\n")
            out.write(json.dumps({**series, **model.outcome.to_dict(), "nash": nash}) + "\n")
        else:
            if series:
                out.write(f"===== Summit {k + 1} of {args.summits} (beliefs carried over) =====\n")
            out.write(transcript(spec, model.header, model.records, model.outcome, nash))
        params = (
            next_summit_params(spec, [seed + 1], model.result.belief)
            if k + 1 < args.summits
            else None
        )
    return 0
