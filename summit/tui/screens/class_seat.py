"""What a class adds to the game screens: the join page, a seat's messages, and the status
line the console and the projector share. A seat plays on the game's own screens (table,
decisions, moves, outcome, briefing) through ``RemoteGame``; see tui.class_app.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Input, Label, Static

from summit.tui.screens import class_views as cv


def parse_say(text: str, known: list[str]) -> tuple[str, list[str]]:
    """'@russia,iran text' -> ('text', ['russia', 'iran']); plain text is public."""
    text = text.strip()
    if not text.startswith("@"):
        return text, []
    head, _, rest = text.partition(" ")
    to = [t.strip().lower() for t in head[1:].split(",") if t.strip()]
    bad = [t for t in to if t not in known]
    if bad:
        raise ValueError(f"no one called '{bad[0]}' (write to: {', '.join(known)})")
    return rest.strip(), to


class RoomScreen(Screen[None]):
    """What every class screen shares: a status line, refreshed from the RemoteGame."""

    DEFAULT_CSS = """
    RoomScreen #status { height: auto; max-height: 3; }
    """

    def __init__(self, game):
        super().__init__()
        self.game = game

    def refresh_game(self) -> None:
        self.query_one("#status", Static).update(cv.status_text(self.game))


class MessagesScreen(Screen[None]):
    """A seat's messages: every one it may read, and a line to write one. Plain text is a
    public statement; ``@actor`` (or ``@actor,actor`` or ``@instructor``) makes it private."""

    BINDINGS = [Binding("escape", "dismiss", "To the table")]

    def __init__(self, game):
        super().__init__()
        self.game = game

    def compose(self) -> ComposeResult:
        yield Static(id="status")
        with VerticalScroll(id="chat", classes="panel") as box:
            box.border_title = "Messages"
            yield Static(id="messages")
        yield Input(
            placeholder="A public statement, or @actor text for a private message", id="say"
        )
        yield Footer()

    def on_mount(self) -> None:
        self.refresh_game()
        self.query_one("#say", Input).focus()

    def refresh_game(self) -> None:
        self.query_one("#status", Static).update(cv.status_text(self.game))
        self.query_one("#messages", Static).update(cv.messages_text(self.game))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id != "say" or not event.value.strip():
            return
        known = [a["id"] for a in self.game.info.actors] + ["instructor"]
        try:
            text, to = parse_say(event.value, known)
        except ValueError as err:
            self.notify(str(err), severity="error")
            return
        if text:
            event.input.value = ""
            self.app.send_say(text, to)


class CodeScreen(Screen[str | None]):
    """The join page: the code a team, the instructor or the projector was given."""

    DEFAULT_CSS = """
    CodeScreen { align: center middle; }
    CodeScreen .error { color: $error; }
    """

    BINDINGS = [Binding("escape", "leave", "Leave")]

    def __init__(self, url: str, problem: str | None = None):
        super().__init__()
        self.url, self.problem = url, problem

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(f"Join the class at {self.url}", classes="title")
            yield Static(
                "Type the code your teacher gave you (a seat's, the instructor's or the "
                "projector's) and press enter."
            )
            if self.problem:
                yield Static(self.problem, id="problem", classes="error")
            yield Input(placeholder="XXXXX-XXXXX", id="code", max_length=64)
        yield Footer()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.value.strip():
            self.dismiss(event.value.strip())

    def action_leave(self) -> None:
        self.dismiss(None)
