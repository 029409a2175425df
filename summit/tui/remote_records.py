"""A class server's records (the dicts of summit.records, filtered for one reader) as the
record dataclasses the game screens draw. A field the server left out for this reader stays
out: a number becomes NaN and a reason empty, and the screens show neither (summit.tui.sight
closes every actor but the seat's own). No Textual here.
"""

from __future__ import annotations

import math

from summit.records import (
    ActorOutcome,
    ActorSnapshot,
    CommitmentRecord,
    EventRecord,
    OfferRecord,
    OutcomeRecord,
    ResponseRecord,
    RoundRecord,
    SideOfferRecord,
    Term,
)

NAN = math.nan


def event(d: dict) -> EventRecord:
    return EventRecord(d["id"], d["text"], list(d.get("effects", [])))


def offer(d: dict) -> OfferRecord:
    return OfferRecord(
        d["proposer"],
        d["sequencing"],
        dict(d["levels"]),
        [Term(**t) for t in d.get("terms", [])],
        bool(d.get("by_human", False)),
    )


def response(d: dict) -> ResponseRecord:
    return ResponseRecord(
        d["actor"],
        d["role"],
        d["decision"],
        d.get("utility", NAN),
        d.get("aspiration", NAN),
        d.get("walk_away", NAN),
        d.get("reason", ""),
        bool(d.get("by_human", False)),
    )


def round_record(d: dict) -> RoundRecord:
    return RoundRecord(
        round=d["round"],
        proposer=d["proposer"],
        events=[event(e) for e in d.get("events", [])],
        offer=offer(d["offer"]),
        responses=[response(r) for r in d.get("responses", [])],
        deal=bool(d.get("deal")),
        side_offers=[SideOfferRecord(**s) for s in d.get("side_offers", [])],
        walkouts=list(d.get("walkouts", [])),
        ended=d.get("ended"),
        actors=[ActorSnapshot(**a) for a in d.get("actors", [])],
    )


def outcome_record(d: dict) -> OutcomeRecord:
    return OutcomeRecord(
        deal=bool(d["deal"]),
        end_reason=d["end_reason"],
        end_round=d["end_round"],
        walked_out=d.get("walked_out"),
        sequencing=d.get("sequencing"),
        agreed=dict(d.get("agreed", {})),
        delivered=dict(d.get("delivered", {})),
        commitments=[CommitmentRecord(**c) for c in d.get("commitments", [])],
        actors=[ActorOutcome(**a) for a in d.get("actors", [])],
        paid_for_unkept=list(d.get("paid_for_unkept", [])),
    )
