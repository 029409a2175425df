"""How a package looks to each actor (the composer's and the answer screen's preview)."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import DataTable

from summit.tui.sight import HIDDEN, Sight
from summit.tui.widgets.words import DIM, versus


class PreviewTable(DataTable):
    """How a package would look to each actor now: worth, aspiration, walk-away; • marks the
    actors that give something in it (their yes is needed). A seat sees only its own worth."""

    DEFAULT_CSS = """
    PreviewTable { height: auto; }
    """

    def on_mount(self) -> None:
        self.cursor_type = "none"
        for label in ("Actor", "worth", "wants", "walk"):
            self.add_column(label, key=label)

    def show(
        self, game, values: dict[str, float], givers: set[str], you: str | None = None
    ) -> None:
        self.clear()
        sight = Sight(game, you)
        table = game.board.scenario.summit.table
        for aid in game.board.actor_ids:
            v, agent, aim = values.get(aid), game.own(aid), game.aspiration(aid)
            name = Text(game.name(aid)[:13], "bold" if aid == you else "")
            name.append(" •" if aid in givers else "  ")
            if not sight.open(aid) or v is None or agent is None:
                est = sight.estimate(aid, "walk_away")
                self.add_row(
                    name,
                    Text(HIDDEN, DIM),
                    Text(HIDDEN, DIM),
                    Text(est.text() if est else HIDDEN, DIM),
                    key=aid,
                )
            elif (aid in givers or aid in table) and aim is not None:
                walk = agent.walk_away
                self.add_row(name, versus(v, walk, aim), f"{aim:.2f}", f"{walk:.2f}", key=aid)
            else:  # away from the table it judges the deal at face value: comply or resist
                name.stylize(DIM)
                walk = agent.walk_away
                self.add_row(name, versus(v, walk, walk), Text("–", DIM), f"{walk:.2f}", key=aid)
