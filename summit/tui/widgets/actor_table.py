"""The actor table under the round (one widget, its CSS beside it)."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import DataTable

from summit.tui.sight import HIDDEN, Sight
from summit.tui.widgets.words import DIM, spark, versus


class ActorTable(DataTable):
    """Per actor: capability, willingness (mean over what it can give), credibility, and the
    offer's worth against its walk-away value, with a sparkline of every offer's worth to it so
    far. A seat sees its own numbers; for the others the scenario's ranges, its own belief in
    their promises (cred) and no worth (see summit.tui.sight)."""

    DEFAULT_CSS = """
    ActorTable { height: auto; max-height: 12; }
    """

    def on_mount(self) -> None:
        self.cursor_type = "row"
        self.zebra_stripes = True
        self.add_column("Actor", key="actor")
        for label in ("cap", "will", "cred", "offer", "walk"):
            self.add_column(label, key=label)
        self.add_column("by round", key="spark")

    def show(self, game, upto: int | None, sight: Sight | None = None) -> None:
        """The actors as of round record ``upto`` (an index), or now if there is none."""
        self.clear()
        sight = sight or Sight.of_table(game)
        recs = game.records[: upto + 1] if upto is not None else []
        for aid in game.board.actor_ids:
            name = Text(game.name(aid)[:14], "bold underline" if aid in game.humans else "")
            if not sight.open(aid):
                self.add_row(name, *closed_cells(sight, aid), key=aid)
                continue
            if recs and snapshot(recs[-1], aid):
                snap = snapshot(recs[-1], aid)
                cap, will, cred = snap.capability, snap.willingness, snap.credibility
                offer = versus(snap.offer_utility, snap.walk_away, snap.aspiration)
                walk = f"{snap.walk_away:.2f}"
                hist = [s for s in (snapshot(r, aid) for r in recs[-12:]) if s]
                line = spark(
                    [s.offer_utility for s in hist],
                    [s.walk_away for s in hist],
                    [s.aspiration for s in hist],
                )
            else:
                agent = game.own(aid)
                if agent is None:  # not this viewer's to see (a hot-seat hand-over)
                    self.add_row(name, *closed_cells(sight, aid), key=aid)
                    continue
                cap, will, cred = agent.capability, agent.willingness, agent.credibility
                offer, walk, line = Text("–", DIM), f"{agent.walk_away:.2f}", Text("")
            mean_will = Text(f"{sum(will.values()) / len(will):.2f}") if will else Text("–", DIM)
            self.add_row(name, f"{cap:.2f}", mean_will, f"{cred:.2f}", offer, walk, line, key=aid)


def snapshot(rec, actor: str):
    """The actor's snapshot in a round record (a seat's records hold only its own)."""
    return next((s for s in rec.actors if s.actor == actor), None)


def closed_cells(sight: Sight, aid: str) -> list:
    """Another actor's row as a seat sees it: ranges, its own belief, nothing drawn."""
    cap, will = sight.estimate(aid, "capability"), sight.willingness(aid)
    walk, belief = sight.estimate(aid, "walk_away"), sight.belief_in(aid)
    board = sight.game.board
    gives = any(board.actor_ids[g] == aid for g in board.giver)
    return [
        Text(cap.text() if cap else HIDDEN, DIM),
        Text(will.text() if will else (HIDDEN if gives else "–"), DIM),
        Text(f"{belief:.2f}" if belief is not None else HIDDEN, DIM),
        Text(HIDDEN, DIM),
        Text(walk.text() if walk else HIDDEN, DIM),
        Text(""),
    ]
