"""The projector view (the watch code) and the debrief screen (every seat, projector, console).

The projector shows the public table, the timer and the public statements: the server sends
the watch role nothing private. The debrief shows the room against 10,000 AI-only summits
(``summit.analysis.debrief``) and then every message, the back channels included.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Markdown, Static

from summit.tui.screens import class_views as cv
from summit.tui.screens.class_seat import RoomScreen


class ProjectorScreen(RoomScreen):
    BINDINGS = [Binding("r", "debrief", "Debrief")]

    def compose(self) -> ComposeResult:
        yield Static(id="status")
        with Horizontal():
            with VerticalScroll(id="rounds", classes="panel") as box:
                box.border_title = "The table"
                yield Static(id="table")
            with VerticalScroll(id="chat", classes="panel") as box:
                box.border_title = "Public statements"
                yield Static(id="messages")
        yield Footer()

    def on_mount(self) -> None:
        self.refresh_game()

    def refresh_game(self) -> None:
        super().refresh_game()
        self.query_one("#table", Static).update(cv.table_text(self.game))
        self.query_one("#messages", Static).update(cv.messages_text(self.game, public_only=True))

    def action_debrief(self) -> None:
        self.app.show_debrief()


def messages_markdown(game, content: dict) -> str:
    lines = ["## Every message, back channels included", ""]
    for m in content.get("messages", []):
        to = "everyone" if not m["to"] else ", ".join(game.name(a) for a in m["to"])
        lines.append(f"- round {m['round']}, {game.name(m['sender'])} to {to}: {m['text']}")
    if len(lines) == 2:
        lines.append("No messages were sent.")
    return "\n".join(lines) + "\n"


class DebriefScreen(Screen[None]):
    """The analysis arrives from the server's debrief, or is computed here in a worker."""

    BINDINGS = [Binding("escape", "dismiss", "Back")]

    def __init__(self, game, analysis: str | None = None):
        super().__init__()
        self.game, self.analysis = game, analysis

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="panel") as box:
            box.border_title = "Debrief"
            yield Markdown(self.text(), id="debrief")
        yield Footer()

    def text(self) -> str:
        content = self.game.debrief or {}
        head = self.analysis or "Comparing the room with 10,000 summits the AIs played alone…\n"
        return head + "\n" + messages_markdown(self.game, content)

    def show_analysis(self, analysis: str) -> None:
        self.analysis = analysis
        self.query_one("#debrief", Markdown).update(self.text())
