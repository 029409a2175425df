"""Cross-reference checks: every name a scenario uses must be an actor, issue or parameter it
defines. Problems are :class:`RefError` (the field and the problem); loading adds the file."""

from __future__ import annotations

from typing import TYPE_CHECKING

from summit.scenario.errors import RefError
from summit.scenario.parameters import resolve_target

if TYPE_CHECKING:
    from summit.scenario.format import Scenario


def _unique(ids: list[str], what: str) -> None:
    seen = set()
    for i, x in enumerate(ids):
        if x in seen:
            raise RefError(f"{what}[{i}].id", f"duplicate id '{x}'")
        seen.add(x)


def check_references(sc: Scenario) -> None:
    """Every name used in the scenario must be an actor, issue or parameter it defines."""
    actors = [a.id for a in sc.actors]
    _unique(actors, "actors")
    _unique([i.id for i in sc.issues], "issues")
    _unique([e.id for e in sc.events], "events")
    _unique([so.id for so in sc.side_offers], "side_offers")
    _unique([st.id for st in sc.statements], "statements")
    issues = {i.id: i for i in sc.issues}

    def need_actor(name: str, where: str) -> None:
        if name not in actors:
            raise RefError(where, f"unknown actor '{name}' (actors: {', '.join(actors)})")

    def need_issue(name: str, where: str) -> None:
        if name not in issues:
            raise RefError(where, f"unknown issue '{name}' (issues: {', '.join(issues)})")

    for i, name in enumerate(sc.summit.table):
        need_actor(name, f"summit.table[{i}]")
    if len(set(sc.summit.table)) != len(sc.summit.table):
        raise RefError("summit.table", "an actor sits at the table twice")
    for issue in sc.issues:
        where = f"issues[{issue.id}]"
        need_actor(issue.giver, f"{where}.giver")
        for name in issue.resisted_by:
            need_actor(name, f"{where}.resisted_by")
        if issue.giver in issue.resisted_by:
            raise RefError(
                f"{where}.resisted_by",
                f"the giver '{issue.giver}' cannot resist its own commitment",
            )
        if issue.presence is not None:
            need_actor(issue.presence.actor, f"{where}.presence.actor")
    for actor in sc.actors:
        where = f"actors[{actor.id}]"
        for section in ("salience", "values", "willingness"):
            for name in getattr(actor, section):
                need_issue(name, f"{where}.{section}.{name}")
        for name, vals in actor.values.items():
            if len(vals) != len(issues[name].levels):
                raise RefError(
                    f"{where}.values.{name}",
                    f"{len(vals)} values given but issue '{name}' has "
                    f"{len(issues[name].levels)} levels",
                )
        for name in actor.willingness:
            if issues[name].giver != actor.id:
                raise RefError(
                    f"{where}.willingness.{name}",
                    f"only the giver of '{name}' ('{issues[name].giver}') has a willingness on it; "
                    f"'{actor.id}' gives nothing there",
                )
        for k, limit in enumerate(actor.limits):
            need_issue(limit.issue, f"{where}.limits[{k}].issue")
            if limit.at_most >= len(issues[limit.issue].levels):
                raise RefError(
                    f"{where}.limits[{k}].at_most",
                    f"issue '{limit.issue}' has levels "
                    f"0..{len(issues[limit.issue].levels) - 1} (got {limit.at_most})",
                )
        for name in actor.beliefs:
            need_actor(name, f"{where}.beliefs.{name}")
            if name == actor.id:
                raise RefError(
                    f"{where}.beliefs.{name}", "an actor's belief in its own promises is always 1"
                )
        if not any(actor.salience.get(i, 0) for i in issues):
            raise RefError(
                f"{where}.salience",
                "an actor must care about at least one issue (all saliences are 0)",
            )
    for k, tie in enumerate(sc.ties):
        for name in tie.between:
            need_actor(name, f"ties[{k}].between")
        if tie.between[0] == tie.between[1]:
            raise RefError(f"ties[{k}].between", "a tie needs two different actors")
    deadline = sc.summit.deadline
    for event in sc.events:
        if event.chosen_by is not None:
            need_actor(event.chosen_by, f"events[{event.id}].chosen_by")
        if event.round is not None and event.round > deadline:
            raise RefError(
                f"events[{event.id}].round",
                f"round {event.round} is after the deadline ({deadline} rounds)",
            )
        if event.rounds is not None and event.rounds[1] > deadline:
            raise RefError(
                f"events[{event.id}]",
                f"rounds {list(event.rounds)} end after the deadline ({deadline} rounds)",
            )
        for k, effect in enumerate(event.effects):
            resolve_target(sc, effect.target, f"events[{event.id}].effects[{k}].target")
    for k, consequence in enumerate(sc.no_deal):
        for name in consequence.utility:
            need_actor(name, f"no_deal[{k}].utility")
    for so in sc.side_offers:
        where = f"side_offers[{so.id}]"
        need_actor(so.by, f"{where}.by")
        need_actor(so.to, f"{where}.to")
        if so.by == so.to:
            raise RefError(f"{where}.to", "an actor cannot make a side offer to itself")
        need_issue(so.when.issue, f"{where}.when.issue")
        if so.when.at_least >= len(issues[so.when.issue].levels):
            raise RefError(
                f"{where}.when.at_least",
                f"issue '{so.when.issue}' has levels "
                f"0..{len(issues[so.when.issue].levels) - 1} (got {so.when.at_least})",
            )
        for k, effect in enumerate(so.effects):
            resolve_target(sc, effect.target, f"{where}.effects[{k}].target")
    resisting = {name for issue in sc.issues for name in issue.resisted_by}
    for actor in sc.actors:
        if actor.resistance is not None and actor.id not in resisting:
            raise RefError(f"actors[{actor.id}].resistance", "the actor resists no issue")
    for st in sc.statements:
        where = f"statements[{st.id}]"
        need_actor(st.by, f"{where}.by")
        if st.rounds is not None and st.rounds[1] > deadline:
            raise RefError(
                where, f"rounds {list(st.rounds)} end after the deadline ({deadline} rounds)"
            )
        for k, effect in enumerate(st.effects):
            resolve_target(sc, effect.target, f"{where}.effects[{k}].target")
