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
            f"{name}: ok ({len(sc.actors)} actors, {len(sc.issues)} issues, {len(sc.events)} "
            "events, "
            f"{len(sc.side_offers)} side offers)"
        )
    return 0


__all__ = ["register", "ScenarioError"]
