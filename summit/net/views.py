"""What each reader of a room may see, computed by the server.

A seat sees the public table (offers, answers as accept/reject, deals, walk-outs, events) and
only its own private values: its drawn parameters, its snapshot, the reasons and numbers behind
its own answers, side offers it made or received. The watch role (the projector) sees only
public things. The instructor sees everything. Fields are copied by allow-list, so a field a
record gains later stays private until it is listed here.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from pydantic import TypeAdapter

from summit.net import protocol as P
from summit.net.room import MOVES, Room
from summit.rules.credibility import standing

PUBLIC_ROUND = ("kind", "round", "proposer", "events", "offer", "deal", "walkouts", "ended")
PUBLIC_RESPONSE = ("actor", "role", "decision", "by_human")
PUBLIC_OUTCOME = (
    "kind",
    "deal",
    "end_reason",
    "end_round",
    "walked_out",
    "sequencing",
    "agreed",
    "delivered",
    "commitments",
    "paid_for_unkept",
)
OWN_VALUES = ("capability", "strength", "entrenchment", "walk_away")  # and credibility


def owns(name: str, actor: str, actors: tuple[str, ...]) -> bool:
    """Is a drawn parameter (``russia.capability``, ``tie.russia.iran``) the actor's own?"""
    parts = name.split(".")
    if parts[0] == "tie":
        return actor in parts[1:]
    return parts[0] == actor


def round_for(record: dict, me: str | None) -> dict:
    """A round's record as a seat (``me``) or the watch (None) may see it."""
    out = {k: record[k] for k in PUBLIC_ROUND if k in record}
    out["responses"] = [
        r if r["actor"] == me else {k: r[k] for k in PUBLIC_RESPONSE if k in r}
        for r in record.get("responses", [])
    ]
    out["side_offers"] = [s for s in record.get("side_offers", []) if me in (s["by"], s["to"])]
    out["actors"] = [a for a in record.get("actors", []) if a["actor"] == me]
    return out


def outcome_for(outcome: dict, me: str | None) -> dict:
    out = {k: outcome[k] for k in PUBLIC_OUTCOME if k in outcome}
    out["actors"] = [a for a in outcome.get("actors", []) if a["actor"] == me]
    return out


class _Values:
    """Every actor's private numbers at one moment of a room. They follow from the rules'
    state and the phase alone (the model replaces its state on every change to it), so a change
    that leaves both alone (a message, an answer the room holds until the phase ends, a timer)
    reuses them; ``current`` (who has answered) is made again for every change."""

    def __init__(self, room: Room):
        m = room.model
        self.seq = room.seq
        self.state, self.phase = m.state, m.phase
        if "_params" not in room.__dict__:  # drawn once, at the start: never change
            room._params = room.model.header.parameters
        self.params = room._params
        belief = m.state.params["belief"][0]
        credibility = standing(m.state.params["belief"])[0]  # once for all, not once an actor
        self.agents = {
            a: {k: getattr(m.actors_by_id[a], k) for k in OWN_VALUES}
            | {"credibility": float(credibility[i])}
            | {"willingness": m.actors_by_id[a].willingness}
            | {"beliefs": {b: float(belief[i, j]) for j, b in enumerate(room.actors) if b != a}}
            for i, a in enumerate(room.actors)
        }
        self.aspiration = m.aspirations() if m.phase in ("offer", "answers") else {}
        self.offer_value = m.offer_worth()
        self.current = current(room)  # the same for every reader

    def of(self, room: Room, actor: str) -> dict:
        return {
            "actor": actor,
            "parameters": {k: v for k, v in self.params.items() if owns(k, actor, room.actors)},
            **self.agents[actor],
            "aspiration": self.aspiration.get(actor),
            "offer_value": self.offer_value.get(actor),
        }


def values(room: Room) -> _Values:
    cached = getattr(room, "_values_cache", None)
    if cached is None or cached.state is not room.model.state or cached.phase != room.model.phase:
        cached = _Values(room)
        room._values_cache = cached
    elif cached.seq != room.seq:
        cached.seq, cached.current = room.seq, current(room, cached.current)
    return cached


def current(room: Room, before: dict | None = None) -> dict:
    """The round in progress; ``before``: the same state and phase's, whose events and offer
    still hold (only who has answered moves between changes of the rules' state)."""
    answered = sorted(room.answers) + sorted(
        {a for a, what in room.ai_decided if what == "answer"} - set(room.answers)
    )
    if before is not None:
        return {**before, "answered": answered}
    m = room.model
    offer = m.current_offer if m.phase in ("answers", "closing") else None
    return {
        "events": [e.__dict__ for e in m.current_events],
        "offer": None if offer is None else _asdict(offer),
        "answered": answered,
    }


def outcome_dict(room: Room) -> dict | None:
    """The outcome's record as a dict, made once (it never changes once the summit is over)."""
    if room.model.outcome is None:
        return None
    if "_outcome" not in room.__dict__:
        room._outcome = room.model.outcome.to_dict()
    return room._outcome


def _asdict(record) -> dict:
    from dataclasses import asdict

    return asdict(record)


def table_for(room: Room, actor: str | None) -> list[dict]:
    """The rounds as a seat (or the watch, None) sees them, filtered once per round."""
    cache = room.__dict__.setdefault("_tables", {})
    rows = cache.setdefault(actor, [])
    rows.extend(round_for(r, actor) for r in room.table[len(rows) :])
    return rows


_TABLE = TypeAdapter(list[dict[str, Any]])


def view_json(
    room: Room,
    role: str,
    actor: str | None,
    timer: P.Timer,
    roster: list[P.SeatStatus],
    due: dict[str, str],
) -> str:
    """``view`` as JSON text, with the table serialised once per round and reader (it is
    most of a view's size, and every change sends a view to every reader)."""
    everything = role == "instructor" or room.debrief_open
    key = "*" if everything else actor
    cache = room.__dict__.setdefault("_table_json", {})
    rows = room.table if everything else table_for(room, actor)
    if cache.get(key, (-1, ""))[0] != len(rows):
        cache[key] = (len(rows), _TABLE.dump_json(rows).decode())
    text = P.dump(view(room, role, actor, timer, roster, due, with_table=False))
    return text.replace('"table":[]', '"table":' + cache[key][1], 1)


def view(
    room: Room,
    role: str,
    actor: str | None,
    timer: P.Timer,
    roster: list[P.SeatStatus],
    due: dict[str, str] | None = None,
    with_table: bool = True,
) -> P.View:
    m = room.model
    due = room.due() if due is None else due
    everything = role == "instructor" or room.debrief_open
    table = [] if not with_table else room.table if everything else table_for(room, actor)
    private: dict = {}
    if role == "instructor":
        v = values(room)
        private = {a: v.of(room, a) for a in room.actors}
    elif actor is not None:
        private = values(room).of(room, actor)
    outcome = outcome_dict(room)
    if outcome is not None and not everything:
        outcome = outcome_for(outcome, actor)
    mine = due.get(actor) if actor is not None and not room.paused else None
    choices = []
    if mine in MOVES:
        choices = [
            P.Choice(label=c.label, value=list(c.value) if isinstance(c.value, tuple) else c.value)
            for c in room.moves.choices(room, mine, actor)
        ]
    return P.View(
        seq=room.seq,
        stamp=room.stamp,
        round=m.round,
        phase=m.phase,
        proposer=None if m.done else m.proposer,
        waiting=due,
        your_turn=mine,
        choices=choices,
        can_walk_out=mine in ("offer", "answer")
        and bool(room.spec.at_table[room.actors.index(actor)]),
        paused=room.paused,
        done=m.done,
        table=table,
        current=values(room).current,
        private=private,
        outcome=outcome,
        timer=timer,
        roster=roster,
    )


def may_read(message: dict, role: str, actor: str | None, debrief_open: bool) -> bool:
    """Public messages for everyone; a private one for its sender, its addressees and the
    instructor; every message once the debrief is open."""
    if role == "instructor" or debrief_open or not message["to"]:
        return True
    if role == "watch":
        return False
    return actor == message["sender"] or actor in message["to"]


def scenario_info(room: Room) -> P.ScenarioInfo:
    sc = room.spec.scenario
    from summit.scenario import SEQUENCINGS

    return P.ScenarioInfo(
        id=sc.id,
        title=sc.summit.title,
        deadline=room.spec.deadline,
        actors=[
            {"id": a.id, "name": a.name, "at_table": bool(room.spec.at_table[k])}
            for k, a in enumerate(sc.actors)
        ],
        issues=[
            {"id": i.id, "name": i.name, "giver": i.giver, "kind": i.kind, "levels": list(i.levels)}
            for i in sc.issues
        ],
        sequencings=[SEQUENCINGS[k] for k in room.spec.sequencings],
        events=[{"id": e.id, "text": e.text} for e in sc.events],
    )


def board(room: Room) -> dict:
    """The scenario's public face for every reader (made once per room)."""
    if "_board" not in room.__dict__:
        from summit.tui.board import Board

        room._board = Board.of(room.spec).to_dict()
    return room._board


def brief(room: Room, actor: str) -> dict:
    """The seat's brief with its own values as this room drew them, without the seed (the seed
    and the scenario would give away every other actor's private values)."""
    from summit.briefs import seat_brief

    drawn = seat_brief(room.spec, actor, room.row.seed)
    return dataclasses.replace(drawn, seed=None, drawn=True).to_dict()
