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
    p.add_argument(
        "scenario",
        nargs="+",
        help="a scenario file, or a scenario name from scenarios/; several play as one history "
        "(2013 → 2019): each summit starts from the beliefs the one before ended with",
    )
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
        help="play the scenario K times in a row, each carrying the "
        "beliefs the one before ended with (summit k plays with seed SEED + k - 1)",
    )
    p.set_defaults(handler=main)


def main(args) -> int:
    from summit.analysis.negotiation import deal_vs_nash
    from summit.model import SummitModel  # imported here so other commands start fast
    from summit.rules.series import next_summit_params
    from summit.transcript import transcript

    specs = summit_specs(args)
    out, params = sys.stdout, None
    for k, spec in enumerate(specs):
        seed = args.seed + k
        model = SummitModel(spec, seed, params=params)
        model.run()
        nash = deal_vs_nash(spec, model.seed, model.outcome) if params is None else None
        series = {} if len(specs) == 1 else {"summit": k + 1}
        if args.json:
            for record in [model.header.to_dict(), *(r.to_dict() for r in model.records)]:
                out.write(json.dumps({**series, **record}) + "\n")
            out.write(json.dumps({**series, **model.outcome.to_dict(), "nash": nash}) + "\n")
        else:
            if series:
                out.write(series_heading(specs, k))
            out.write(transcript(spec, model.header, model.records, model.outcome, nash))
        if k + 1 < len(specs):
            after = specs[k + 1]
            params = next_summit_params(after, [seed + 1], model.result.belief, before=spec)
    return 0


def summit_specs(args) -> list:
    """The summits to play in order: the scenarios named, or one scenario ``--summits`` times
    (each with the ``--set`` settings applied)."""
    from summit.catalog import resolve
    from summit.errors import UsageError
    from summit.rules.game import SEED_LIMIT
    from summit.scenario import load_spec

    if len(args.scenario) > 1 and args.summits != 1:
        raise UsageError("--summits repeats one scenario; with several scenarios leave it out")
    count = len(args.scenario) if len(args.scenario) > 1 else args.summits
    if not 1 <= count <= 100 or args.seed + count > SEED_LIMIT:
        raise UsageError(f"--summits: give 1 to 100 summits, seeds below 2**63 (got {count})")
    loaded = [
        overrides.with_settings(load_spec(resolve(name)), args.settings) for name in args.scenario
    ]
    return loaded if len(loaded) > 1 else loaded * count


def series_heading(specs: list, k: int) -> str:
    carried = " (beliefs carried over)" if k else ""
    title = specs[k].scenario.summit.title
    return f"===== Summit {k + 1} of {len(specs)}: {title}{carried} =====\n"
