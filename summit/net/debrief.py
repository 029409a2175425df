"""What the debrief reveals: every round with every value, every message including the back
channels, the outcome, the deal against the Nash package, and the analysis against simulated
summits (``simulated_comparison``)."""

from __future__ import annotations

from summit.net.room import Room
from summit.scenario import Spec


def debrief_content(
    room: Room, session: list[Room] | None = None, comparison: dict | None = None
) -> dict:
    """Everything about ``room``; ``session``: every room of the class, for side by side;
    ``comparison``: what ``simulated_comparison`` made of the session."""
    m = room.model
    outcome = m.outcome.to_dict() if m.outcome is not None else None
    return {
        "room": room.code,
        "scenario": room.spec.scenario.id,
        "seed": room.row.seed,
        "header": room.header().to_dict(),
        "rounds": [r.to_dict() for r in m.records],
        "outcome": outcome,
        "deal": None
        if outcome is None or not outcome["deal"]
        else {
            "agreed": outcome["agreed"],
            "sequencing": outcome["sequencing"],
            "delivered": outcome["delivered"],
        },
        "nash": _nash(room),
        "teams": team_scores(room),
        "messages": list(room.messages),
        "log": list(room.lines),
        "comparison": comparison,
        "session": [room_summary(r) for r in (session or [room])],
    }


def room_summary(room: Room) -> dict:
    """One line of the session table: how the room ended and what each actor got."""
    outcome = room.model.outcome
    if outcome is None:
        return {"room": room.code, "over": False, "round": room.model.round}
    return {
        "room": room.code,
        "over": True,
        "deal": outcome.deal,
        "end_reason": outcome.end_reason,
        "end_round": outcome.end_round,
        "agreed": outcome.agreed,
        "teams": team_scores(room),
    }


def team_scores(room: Room) -> dict[str, dict]:
    """Each actor's payoff over its no-deal (walk-away) value, and whether a team or the AI
    made its decisions."""
    if room.model.outcome is None:
        return {}
    return {
        a.actor: {
            "payoff": a.payoff,
            "walk_away": a.walk_away,
            "gain": a.gain,
            "played_by": "team" if a.actor in room.humans_ever else "ai",
        }
        for a in room.model.outcome.actors
    }


def finished(rooms: list[Room]) -> list:
    """The session's finished rooms as the analysis takes them (copied: safe for a thread)."""
    from summit.analysis import debrief as D

    return [
        D.Room(
            r.code,
            r.row.seed,
            r.model.outcome.to_dict(),
            [a for a in r.actors if a not in r.humans_ever],
        )
        for r in rooms
        if r.model.outcome is not None
    ]


def class_sample(spec: Spec, seed: int, runs: int | None = None) -> dict:
    """The AI-only summits every room of a class is compared with (made once per class)."""
    from summit.analysis import debrief as D

    return D.ai_sample(spec, D.AI_RUNS if runs is None else runs, seed)


def simulated_comparison(spec: Spec, rooms: list, sample: dict, seed: int) -> dict | None:
    """The finished rooms (``finished``) side by side, each against the AI sample: deal rate,
    payoff percentiles, promises kept, Nash and Kalai-Smorodinsky packages, each team's score.
    None while no room has finished."""
    from summit.analysis import debrief as D

    return D.session(spec, rooms, sample, seed) if rooms else None


def _nash(room: Room) -> dict | None:
    if room.model.outcome is None:
        return None
    from summit.analysis.negotiation import deal_vs_nash

    return deal_vs_nash(room.spec, room.model.seed, room.model.outcome)
