"""`summit scenarios list|check|schema`."""

from __future__ import annotations

from summit.catalog import list_scenarios
from summit.scenario import ScenarioError, json_schema, load_scenario


def register(sub) -> None:
    p = sub.add_parser("scenarios", help="list, check or describe scenario files")
    verbs = p.add_subparsers(dest="verb", metavar="VERB", required=True)
    ls = verbs.add_parser("list", help="every scenario in scenarios/ with its description")
    ls.add_argument(
        "--history", action="store_true", help="include the backtest cases in scenarios/history/"
    )
    ls.set_defaults(handler=list_main)
    check = verbs.add_parser("check", help="validate scenario files")
    check.add_argument("files", nargs="+")
    check.set_defaults(handler=check_main)
    schema = verbs.add_parser("schema", help="print the scenario format as JSON Schema")
    schema.set_defaults(handler=lambda args: print(json_schema()) or 0)


def list_main(args) -> int:
    rows = list_scenarios(args.history)
    width = max((len(p.stem) for p, _ in rows), default=10)
    for path, sc in rows:
        text = f"INVALID: {sc}" if isinstance(sc, ScenarioError) else sc.summit.description
        print(f"{path.stem:{width}}  {text}")
    return 0


def check_main(args) -> int:
    for name in args.files:
        sc = load_scenario(name)  # raises ScenarioError: one line, exit 2
        print(
            f"{name}: ok ({len(sc.actors)} actors, {len(sc.issues)} issues, "
            f"{len(sc.events)} events, {len(sc.side_offers)} side offers)"
        )
        for line in outside_option_notes(sc):
            print(f"  note: {line}")
    return 0


def outside_option_notes(sc, tolerance: float = 0.05) -> list[str]:
    """Actors whose named walk_away differs from their no-deal value (status quo plus the
    declared [[no_deal]] consequences, averaged over 256 runs) by more than ``tolerance``."""
    import numpy as np

    from summit.rules import game
    from summit.scenario import compile_scenario

    spec = compile_scenario(sc)
    params = game.start(spec, np.arange(256)).params
    notes = []
    for a, actor in enumerate(sc.actors):
        if actor.walk_away is None:
            continue
        named, no_deal = (
            float(params["walk_away"][:, a].mean()),
            float(params["no_deal"][:, a].mean()),
        )
        if abs(named - no_deal) > tolerance:
            notes.append(
                f"actors[{actor.id}].walk_away {named:.2f} differs from its no-deal value "
                f"{no_deal:.2f} "
                "(status quo + [[no_deal]]): name the outside option, or drop walk_away"
            )
    return notes


__all__ = ["register", "ScenarioError"]
