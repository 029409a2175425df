"""A room's moves for one round (summit.rules.moves): the public statements, resistance efforts,
side offers and side-offer answers its teams made. The rules say what is open (summit.moves,
through the room's model) and check each move when its phase runs; this keeps the teams'
choices until then, refuses a choice the rules do not offer, and lists the options a seat
sees (tui.move_turns.choices, the words a local game uses).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from summit.tui.move_turns import Choice, choices


class BadMove(ValueError):
    """A move the rules do not offer this seat now."""


@dataclass
class Moves:
    statements: dict[str, str | None] = field(default_factory=dict)
    efforts: dict[str, float] = field(default_factory=dict)
    side: dict[str, list[str]] = field(default_factory=dict)  # maker -> ids ([]: none)
    answers: dict[str, dict[str, bool]] = field(default_factory=dict)  # recipient -> id -> take

    def open(self, room, kind: str, actor: str) -> bool:
        """Has ``actor`` a move of this kind to make now?"""
        m = room.model
        if kind == "statement":
            return bool(m.statements_open(actor))
        if kind == "effort":
            return bool(m.efforts_open(actor))
        if kind == "side":
            return bool(m.side_offers_open(actor))
        room._play_closing()  # the makers so far are checked as the teams' choices
        made = self.answers.get(actor, {})
        return any(so.id not in made for so in m.side_offers_to(actor, self.side))

    def choices(self, room, kind: str, actor: str) -> list[Choice]:
        if kind == "side_answer":
            room._play_closing()
        return choices(room.model, kind, actor, self.side, self.answers, room.name)

    def check(self, room, actor: str, kind: str, payload: dict) -> dict:
        """The move as logged, if the rules offer it (else BadMove's reason as a refusal)."""
        value = payload.get("value")
        if isinstance(value, list):
            value = tuple(value)  # a side offer's answer: [id, take]
        offered = [c.value for c in self.choices(room, kind, actor)]
        if value not in offered:
            shown = ", ".join(repr(v) for v in offered)
            raise BadMove(f"{kind} {value!r} is not open to {actor} now (open: {shown})")
        return {"kind": kind, "value": list(value) if isinstance(value, tuple) else value}

    def take(self, actor: str, kind: str, value) -> None:
        if kind == "statement":
            self.statements[actor] = value
        elif kind == "effort":
            self.efforts[actor] = float(value)
        elif kind == "side":
            self.side[actor] = [] if value is None else [value]
        else:
            sid, took = value
            self.answers.setdefault(actor, {})[sid] = bool(took)

    def line(self, room, actor: str, kind: str, value) -> str:
        """The room's log line: public that a move was made, never which (the records say
        what became public when the round ends)."""
        what = {
            "statement": "has chosen what to say",
            "effort": "has chosen how hard to resist",
            "side": "has decided on side offers",
            "side_answer": "has answered a side offer",
        }[kind]
        return f"{room.name(actor)} {what}"
