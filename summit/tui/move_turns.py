"""The moves of summit.rules.moves as turns of a human seat: a statement before the round, the
effort it would resist the offer with, the side offers it makes and its answers to those made
to it. The rules decide what is open (summit.moves); this only asks and hands answers over.
No Textual here."""

from __future__ import annotations

from dataclasses import dataclass

MOVE_KINDS = ("statement", "effort", "side", "side_answer")
WHAT = {
    "statement": "a public statement",
    "effort": "how hard to resist",
    "side": "a side offer",
    "side_answer": "an answer to a side offer",
}


@dataclass(frozen=True)
class Choice:
    """One option of a move turn: what it says and the value handed to the rules."""

    label: str
    value: object


class MoveTurns:
    """Mixed into tui.game.Game (needs ``model`` and ``name``)."""

    def _reset_moves(self) -> None:
        self._statements: dict[str, str | None] = {}
        self._efforts: dict[str, float] = {}
        self._side: dict[str, list[str]] = {}
        self._side_answers: dict[str, dict[str, bool]] = {}

    def _open_moves(self, stage: str):
        """The next move a human must make at this stage ("idle", "answers", "closing"), as
        (kind, actor), or None."""
        m = self.model
        humans = [m.spec.actor_ids[h] for h in m.humans]
        if stage == "idle":
            return next(
                (
                    ("statement", a)
                    for a in humans
                    if a not in self._statements and m.statements_open(a)
                ),
                None,
            )
        if stage == "answers":
            return next(
                (
                    ("effort", a)
                    for a in m.humans_to_answer()
                    if a not in self._efforts and m.efforts_open(a)
                ),
                None,
            )
        for gone in self._walkouts:  # who has left makes and takes no side offer
            self._side.setdefault(gone, [])
            self._side_answers.setdefault(gone, {}).update(
                {so.id: False for so in m.side_offers_to(gone, self._side)}
            )
        humans = [a for a in humans if a not in self._walkouts]
        maker = next((a for a in humans if a not in self._side and m.side_offers_open(a)), None)
        if maker:  # makers first: recipients answer what is made
            return "side", maker
        return next(
            (
                ("side_answer", a)
                for a in humans
                if any(
                    so.id not in self._side_answers.get(a, {})
                    for so in m.side_offers_to(a, self._side)
                )
            ),
            None,
        )

    def move_choices(self, kind: str, actor: str) -> list[Choice]:
        """What the actor may choose in a move turn, the AI's own choice first where it has one."""
        return choices(self.model, kind, actor, self._side, self._side_answers, self.name)

    def move(self, kind: str, actor: str, value) -> None:
        """Record a human's move; the rules check it when the phase it belongs to runs."""
        if kind == "statement":
            self._statements[actor] = value
        elif kind == "effort":
            self._efforts[actor] = float(value)
        elif kind == "side":
            self._side[actor] = [] if value is None else [value]
        else:
            sid, take = value
            self._side_answers.setdefault(actor, {})[sid] = bool(take)


def choices(model, kind: str, actor: str, side: dict, side_answers: dict, name) -> list[Choice]:
    """The options of a move turn as the rules open them (``model``: a SummitModel; ``side``
    and ``side_answers``: the human makers' and recipients' choices so far this round;
    ``name``: actor id -> name). A class server lists the same options to a seat."""
    m = model
    if kind == "statement":
        return [Choice(f"Say: “{s.text}”", s.id) for s in m.statements_open(actor)] + [
            Choice("Say nothing this round", None)
        ]
    if kind == "effort":
        cost = float(m.spec.effort_cost[m.spec.actor_ids.index(actor)])
        return [
            Choice(
                f"Resist with effort {e:g}: the deal's actions meet "
                f"{e:.0%} of your strength; costs you {cost * e:.2f} if carried out",
                e,
            )
            for e in m.efforts_open(actor)
        ]
    if kind == "side":
        return [
            Choice(f"Offer {name(so.to)}: {so.text}", so.id) for so in m.side_offers_open(actor)
        ] + [Choice("Make no side offer this round", None)]
    so = next(
        so for so in m.side_offers_to(actor, side) if so.id not in side_answers.get(actor, {})
    )
    return [
        Choice(f"Take it: {so.text}", (so.id, True)),
        Choice(f"Refuse {name(so.to)}'s offer", (so.id, False)),
    ]
