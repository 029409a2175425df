"""The mesa model's side of the moves in summit.rules.moves: what a human may decide now, and
checking the decisions it gives (the rules decide; this only translates ids to indices)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from summit.rules import game
from summit.rules import moves as rules


@dataclass(frozen=True)
class Move:
    """One move open to an actor: its id, the words, and whom it concerns."""

    id: str
    text: str
    to: str = ""


class MovesMixin:
    """Queries and checks for the moves of humans (needs ``spec``, ``state``, ``humans``,
    ``phase`` and ``_offer`` of SummitModel)."""

    def _index(self, actor: str) -> int:
        return self.spec.actor_ids.index(actor)

    def _human(self, actor: str) -> int:
        if actor not in self.spec.actor_ids or self._index(actor) not in self.humans:
            raise game.InvalidDecision(f"{actor} is not played by a human here")
        return self._index(actor)

    # ------------------------------------------------------------------ what is open
    def statements_open(self, actor: str) -> list[Move]:
        """Statements the actor may make when the next round opens."""
        k = self._index(actor)
        open_ = rules.statements_open(
            self.spec, self.state.round + 1, self.state.stated, np.ones(1, dtype=bool)
        )[0]
        return [Move(s.id, s.text) for s in self.spec.statements if s.by == k and open_[s.index]]

    def side_offers_open(self, actor: str) -> list[Move]:
        """Side offers the actor may still make (one made stays made)."""
        k = self._index(actor)
        return [
            Move(so.id, so.text, self.spec.actor_ids[so.to])
            for so in self.spec.side_offers
            if so.by == k and not self.state.side_made[0, so.index]
        ]

    def side_offers_to(self, actor: str, makers: dict[str, list[str]] | None = None) -> list[Move]:
        """Side offers to the actor made as this round closes (phase closing), given the human
        makers' choices ``makers``: the ones it answers."""
        if self.phase != "closing":
            return []
        chosen, _ = self._check_side_moves(makers or {}, {})
        due = game.side_offers_due(self.spec, self.state, self._offer, self._answers, chosen)[0]
        k = self._index(actor)
        return [
            Move(so.id, so.text, self.spec.actor_ids[so.by])
            for so in self.spec.side_offers
            if so.to == k and due[so.index]
        ]

    def efforts_open(self, actor: str) -> tuple[float, ...]:
        """Efforts the actor may resist the offer on the table with (empty: not affected)."""
        k = self._index(actor)
        efforts = self.spec.efforts[k] if self.spec.efforts else ()
        if not efforts or self._offer is None or self.phase != "answers":
            return ()
        return efforts if rules.resisting(self.spec, self._offer.levels)[0, k] else ()

    def ai_effort(self, actor: str, accept: bool) -> float:
        """The effort the AI's rule would pick after this answer (a default for a human)."""
        stance = rules.ai_stances(self.spec, np.full((1, self.spec.n_actors), bool(accept)))
        return float(stance[0, self._index(actor)])

    def moving_humans(self) -> list[str]:
        """Humans with a statement or a side offer open."""
        ids = [self.spec.actor_ids[h] for h in self.humans]
        return [a for a in ids if self.statements_open(a) or self.side_offers_open(a)]

    @property
    def current_statements(self) -> list[Move]:
        """Statements made when the round in progress opened."""
        said = self.state.said
        if said is None or self.phase in ("idle", "done"):
            return []
        return [
            Move(s.id, s.text, self.spec.actor_ids[s.by])
            for s in self.spec.statements
            if said[0, s.index]
        ]

    # ------------------------------------------------------------------ checks
    def _check_statements(self, statements: dict[str, str | None]) -> dict[int, int | None]:
        chosen: dict[int, int | None] = {}  # a human not named here gets the AI's rule
        for actor, statement in statements.items():
            k = self._human(actor)
            chosen[k] = self._rule(
                rules.check_statement,
                self.spec,
                k,
                statement,
                self.state.round + 1,
                self.state.stated,
            )
        return chosen

    def _check_efforts(self, efforts: dict[str, float]) -> dict[int, float]:
        out = {}
        for actor, effort in efforts.items():
            k = self._human(actor)
            if not self.efforts_open(actor):
                raise game.InvalidDecision(f"{actor} resists nothing in this offer")
            out[k] = self._rule(rules.check_effort, self.spec, k, effort)
        return out

    def _check_side_moves(self, made: dict[str, list[str]], answers: dict[str, dict[str, bool]]):
        chosen: dict[int, list[int]] = {}  # a human maker not named here gets the AI's rule
        for actor, ids in made.items():
            k = self._human(actor)
            chosen[k] = self._rule(
                rules.check_side_offers, self.spec, k, list(ids), self.state.side_made
            )
        taken = {
            self._human(a): self._rule(rules.check_side_answers, self.spec, self._index(a), dict(v))
            for a, v in answers.items()
        }
        return chosen, taken

    @staticmethod
    def _rule(check, *args):
        try:
            return check(*args)
        except rules.InvalidMove as err:
            raise game.InvalidDecision(str(err)) from None
