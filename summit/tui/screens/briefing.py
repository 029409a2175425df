"""A human actor's briefing: goals, red lines, what it can give, what only it knows, its values."""

from __future__ import annotations

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Static


def briefing_text(game, actor_id: str) -> Group:
    brief = game.brief(actor_id)  # summit.briefs.Brief: the seat's own values, drawn
    t = Text()
    t.append(f"You play {brief.name}", "bold")
    seed = "" if brief.seed is None else f" (seed {brief.seed})"
    t.append(f"  in {brief.summit}{seed}\n\n", "dim")
    if game.board.settings:  # what the teacher or the command line changed: the same for every seat
        t.append("Set before play  ", "bold")
        t.append(", ".join(game.board.settings) + "\n\n")
    t.append("Goals  ", "bold")
    t.append(f"{brief.goals or '–'}\n")
    t.append("Red lines\n", "bold")
    for line in brief.red_lines or ["–"]:
        t.append(f"  • {line}\n")
    t.append("You can give  ", "bold")
    t.append(f"{brief.can_give or '–'}\n\n")
    t.append("Only you know  ", "bold magenta")
    t.append(f"{brief.private or '–'}\n\n", "magenta")
    t.append("Where you stand  ", "bold")
    t.append(
        f"capability {brief.capability:.2f}, credibility in others' eyes {brief.credibility:.2f}, "
        f"walk-away value {brief.walk_away:.2f}: a deal must be worth more than that to you.\n"
    )
    if brief.willingness:
        t.append("Your willingness to deliver  ", "bold")
        t.append(", ".join(f"{name} {w:.2f}" for name, w in brief.willingness.items()) + "\n")
    t.append("\nWhat each issue is worth to you", "bold")
    t.append("  (how much it weighs; each level's value from 0 worst to 1 best)", "dim")
    table = Table(box=None, padding=(0, 1), show_edge=False, expand=True)
    table.add_column("issue", ratio=2)
    table.add_column("weight", justify="right", width=6)
    table.add_column("levels", ratio=5)
    for row in brief.issues:
        name = Text(row.name, "bold")
        if row.gives:
            name.append(" (you give)", "dim")
        levels = Text(" · ").join(
            Text.assemble(f"{lv_name} ", (f"{value:.2f}", "cyan")) for lv_name, value in row.levels
        )
        table.add_row(name, f"{row.weight:.1f}", levels)
    return Group(t, table)


class BriefingScreen(Screen[None]):
    BINDINGS = [Binding("enter,escape", "dismiss", "To the table")]

    def __init__(self, game, actor_id: str):
        super().__init__()
        self.game, self.actor_id = game, actor_id

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="briefing", classes="panel") as box:
            box.border_title = f"Briefing: {self.game.name(self.actor_id)}"
            box.border_subtitle = "enter: to the table"
            yield Static(briefing_text(self.game, self.actor_id))
        yield Footer(compact=True)
