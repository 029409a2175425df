"""What a seat may see: its own actor's numbers in full; for every other actor only what its
actor believes. No Textual here, and no rule: beliefs come from the game session (the viewer's
own), estimates from the scenario's stated prior (``Board.prior``: the range a parameter is
drawn from, after any `--set`).

- ``Sight(game, None)`` with no human player: the watch mode, everything shown (and said so).
- ``Sight(game, actor)``: a seat. Another actor's capability, willingness and walk-away are
  shown as the scenario's range for them (or "?" if the scenario states it), never the drawn
  value; its aspiration and its worth of
  a package are not shown; its reasons lose their numbers. Credibility is the seat's own belief
  in that actor's promises, which the seat does hold.
- ``Sight(game, None)`` in hot-seat between turns: the public view, every actor treated as other.
"""

from __future__ import annotations

from dataclasses import dataclass

HIDDEN = "?"


@dataclass(frozen=True)
class Estimate:
    """A belief about a number: the range the scenario draws it from (low == high: stated)."""

    low: float
    high: float

    def text(self) -> str:
        if self.high - self.low < 0.005:
            return f"≈{self.low:.2f}"
        return f"{self.low:.2f}–{self.high:.2f}"


class Sight:
    def __init__(self, game, viewer: str | None):
        self.game, self.viewer = game, viewer
        self.all = not game.humans  # an all-AI game: watching, everything is shown

    @classmethod
    def of_table(cls, game) -> Sight:
        """The shared table: one human's own view, the public view in hot-seat, all when
        watching."""
        return cls(game, game.humans[0] if len(game.humans) == 1 else None)

    def open(self, actor: str) -> bool:
        """Are ``actor``'s drawn numbers shown to this viewer?"""
        return self.all or actor == self.viewer

    def notice(self) -> str:
        if self.all:
            return "Watching: every actor's private numbers are shown."
        if self.viewer is None:
            return "Public view: each actor's private numbers are shown only to its own player."
        return (
            f"You see {self.game.name(self.viewer)}'s numbers; for the others, the range the "
            "scenario gives and your belief in their promises."
        )

    # ------------------------------------------------------------------ estimates
    def prior(self, array: str, *index: int) -> Estimate | None:
        """The scenario's range for a parameter it draws (after settings); None for a stated
        value, which stays private to its actor (the scenario gives others no range for it)."""
        support = self.game.board.prior(array, *index)
        return None if support is None else Estimate(*support)

    def estimate(self, actor: str, what: str) -> Estimate | None:
        """A scalar parameter of another actor ('capability', 'walk_away') as a range."""
        return self.prior(what, self.game.board.actor_ids.index(actor))

    def willingness(self, actor: str) -> Estimate | None:
        """The mean willingness over the issues ``actor`` gives, as a range."""
        board = self.game.board
        a = board.actor_ids.index(actor)
        ests = [
            self.prior("willingness", a, i) for i in range(board.n_issues) if board.giver[i] == a
        ]
        ests = [e for e in ests if e is not None]
        if not ests:
            return None
        return Estimate(sum(e.low for e in ests) / len(ests), sum(e.high for e in ests) / len(ests))

    def belief_in(self, actor: str) -> float | None:
        """How far the viewer believes ``actor``'s promises now (None for itself or no viewer)."""
        if self.viewer is None or actor == self.viewer:
            return None
        return self.game.belief(self.viewer, actor)

    def reason(self, actor: str, text: str) -> str:
        """An answer's reason: another actor's loses its private numbers in brackets."""
        if self.open(actor) or not text.endswith(")") or " (" not in text:
            return text
        return text.rsplit(" (", 1)[0]
