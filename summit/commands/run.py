"""`summit run SCENARIO --seed N [--json]`: play one summit with AI actors and print it."""

from __future__ import annotations

import json
import sys

from summit import overrides
from summit.errors import seed_arg


def register(sub) -> None:
    p = sub.add_parser("run", help="play one summit with AI actors and print it round by round",
                       description="Play one summit with AI actors. The same scenario and seed always give "
                                   "the same game.")
    p.add_argument("scenario", help="a scenario file, or a scenario name from scenarios/")
    p.add_argument("--seed", type=seed_arg, default=0, help="run seed, 0 to 2**63-1 (a batch table's run_seed "
                   "replays that row)")
    overrides.add_argument(p)
    p.add_argument("--json", action="store_true", help="write JSON Lines: the game header, one object per "
                   "round, then the outcome")
    p.set_defaults(handler=main)


def main(args) -> int:
    from summit.catalog import resolve
    from summit.model import SummitModel  # imported here so other commands start fast
    from summit.scenario import load_spec
    from summit.transcript import transcript

    spec = overrides.with_settings(load_spec(resolve(args.scenario)), args.settings)
    from summit.analysis.negotiation import deal_vs_nash

    model = SummitModel(spec, args.seed)
    model.run()
    nash = deal_vs_nash(spec, model.seed, model.outcome)
    out = sys.stdout
    if args.json:
        header = {**model.header.to_dict(), "settings": list(spec.settings)}
        for record in [header, *(r.to_dict() for r in model.records)]:
            out.write(json.dumps(record) + "\n")
        out.write(json.dumps({**model.outcome.to_dict(), "nash": nash}) + "\n")
    else:
        out.write(transcript(spec, model.header, model.records, model.outcome, nash))
    return 0
