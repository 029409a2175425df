"""The instructor's console: roster, every private value, every message, and the controls.

Controls are keys for the common ones (F2 pause/resume, F3 end the summit, F4 open the
debrief) and a command line for the rest (``help`` lists them), each sent as the protocol's
request and checked by the server.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Footer, Input, Static

from summit.net import protocol as P
from summit.tui.screens import class_views as cv
from summit.tui.screens.class_seat import RoomScreen, parse_say

COMMANDS = """\
pause · resume · timer SECONDS (timer off: no limit) · extend SECONDS [ACTOR]
inject EVENT-ID · news TEXT · ai ACTOR (the AI plays it) · team ACTOR (the team takes it back)
end (end the summit) · debrief (open it for everyone) · say TEXT · say @ACTOR[,ACTOR] TEXT"""


def parse_command(text: str, actors: list[str]) -> P._Request:
    """A console command line as the protocol's request (ValueError with a line saying why)."""
    word, _, rest = text.strip().partition(" ")
    word, rest = word.lower(), rest.strip()

    def actor(name: str) -> str:
        if name.lower() not in actors:
            raise ValueError(f"no actor '{name}' (actors: {', '.join(actors)})")
        return name.lower()

    def seconds(value: str) -> float:
        try:
            number = float(value)
        except ValueError:
            raise ValueError(f"'{value}' is not a number of seconds") from None
        if number <= 0:
            raise ValueError("the seconds must be more than 0")
        return number

    if word in ("pause", "resume", "end", "debrief") and not rest:
        return {"pause": P.Pause, "resume": P.Resume, "end": P.EndSummit, "debrief": P.OpenDebrief}[
            word
        ]()
    if word == "timer" and rest:
        return P.SetTimer(seconds=None if rest == "off" else seconds(rest))
    if word == "extend" and rest:
        value, _, who = rest.partition(" ")
        return P.ExtendTimer(seconds=seconds(value), actor=actor(who) if who.strip() else None)
    if word == "inject" and rest:
        return P.Inject(event=rest)
    if word == "news" and rest:
        return P.Inject(news=P.News(text=rest))
    if word in ("ai", "team") and rest:
        return P.HandOver(actor=actor(rest), ai=word == "ai")
    if word == "say" and rest:
        said, to = parse_say(rest, [*actors, "instructor"])
        return P.Say(text=said, to=to)
    raise ValueError(
        f"unknown command '{text.strip()}'; commands: " + COMMANDS.replace("\n", " · ")
    )


class ConsoleScreen(RoomScreen):
    BINDINGS = [
        Binding("f2", "pause", "Pause/resume"),
        Binding("f3", "end", "End summit"),
        Binding("f4", "debrief", "Debrief"),
    ]

    def compose(self) -> ComposeResult:
        yield Static(id="status")
        with Horizontal():
            with Vertical():
                with VerticalScroll(id="roster-box", classes="panel") as box:
                    box.border_title = "Roster"
                    yield Static(id="roster")
                with VerticalScroll(id="values-box", classes="panel") as box:
                    box.border_title = "Every private value now"
                    yield Static(id="values")
                with VerticalScroll(id="table-box", classes="panel") as box:
                    box.border_title = "The table (everything)"
                    yield Static(id="table")
            with Vertical():
                with VerticalScroll(id="chat", classes="panel") as box:
                    box.border_title = "All messages, back channels too"
                    yield Static(id="messages")
                with VerticalScroll(id="log-box", classes="panel") as box:
                    box.border_title = "Log"
                    yield Static(id="log")
        yield Static(COMMANDS, id="commands")
        yield Input(
            placeholder="a command: pause, timer 180, inject EVENT, ai russia, say …", id="command"
        )
        yield Footer()

    def on_mount(self) -> None:
        self.refresh_game()
        self.query_one("#command", Input).focus()

    def refresh_game(self) -> None:
        super().refresh_game()
        game = self.game
        self.query_one("#roster", Static).update(cv.roster_table(game))
        self.query_one("#values", Static).update(cv.all_values_table(game))
        self.query_one("#table", Static).update(cv.table_text(game))
        self.query_one("#messages", Static).update(cv.messages_text(game))
        self.query_one("#log", Static).update(cv.log_text(game))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id != "command" or not event.value.strip():
            return
        actors = [a["id"] for a in self.game.info.actors] if self.game.info else []
        try:
            request = parse_command(event.value, actors)
        except ValueError as err:
            self.notify(str(err), severity="error")
            return
        event.input.value = ""
        self.app.send_request(request)

    def action_pause(self) -> None:
        paused = bool(self.game.view and self.game.view.paused)
        self.app.send_request(P.Resume() if paused else P.Pause())

    def action_end(self) -> None:
        self.app.send_request(P.EndSummit())

    def action_debrief(self) -> None:
        if self.game.debrief is None:
            self.app.send_request(P.OpenDebrief())
        else:
            self.app.show_debrief()
