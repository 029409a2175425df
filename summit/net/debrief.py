"""What the debrief reveals: every round with every value, every message including the back
channels, the outcome, the deal against the Nash package, and the analysis against simulated
summits (``simulated_comparison``)."""

from __future__ import annotations

from summit.net.room import Room


def debrief_content(room: Room, session: list[Room] | None = None) -> dict:
    """Everything about ``room``; ``session``: every room of the class, for side by side."""
    m = room.model
    outcome = m.outcome.to_dict() if m.outcome is not None else None
    return {
        "room": room.code, "scenario": room.spec.scenario.id, "seed": room.row.seed,
        "header": room.header().to_dict(),
        "rounds": [r.to_dict() for r in m.records],
        "outcome": outcome,
        "deal": None if outcome is None or not outcome["deal"] else
        {"agreed": outcome["agreed"], "sequencing": outcome["sequencing"],
         "delivered": outcome["delivered"]},
        "nash": _nash(room),
        "teams": team_scores(room),
        "messages": list(room.messages),
        "log": list(room.lines),
        "comparison": simulated_comparison(room),
        "session": [room_summary(r) for r in (session or [room])],
    }


def room_summary(room: Room) -> dict:
    """One line of the session table: how the room ended and what each actor got."""
    outcome = room.model.outcome
    if outcome is None:
        return {"room": room.code, "over": False, "round": room.model.round}
    return {"room": room.code, "over": True, "deal": outcome.deal, "end_reason": outcome.end_reason,
            "end_round": outcome.end_round, "agreed": outcome.agreed, "teams": team_scores(room)}


def team_scores(room: Room) -> dict[str, dict]:
    """Each actor's payoff over its no-deal (walk-away) value, and whether a team or the AI
    made its decisions."""
    if room.model.outcome is None:
        return {}
    return {a.actor: {"payoff": a.payoff, "walk_away": a.walk_away, "gain": a.gain,
                      "played_by": "team" if a.actor in room.humans_ever else "ai"}
            for a in room.model.outcome.actors}


def simulated_comparison(room: Room) -> dict | None:
    """The room's deal set against 10,000 simulated summits of the same scenario (deal rate,
    payoff percentiles, each team's percentile against the AI). The computation lives with the
    debrief screen (client branch); the lead joins it here. None until then."""
    return None


def _nash(room: Room) -> dict | None:
    if room.model.outcome is None:
        return None
    from summit.analysis.negotiation import deal_vs_nash

    return deal_vs_nash(room.spec, room.model.seed, room.model.outcome)
