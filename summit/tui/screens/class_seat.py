"""A team's seat in a class: the table, its own values, messages, and its decisions.

Decisions open a form (offer or answer); the form returns what the team chose and the app sends
it to the server, whose rules check it. Messages: plain text is a public statement; start with
``@actor`` (or ``@actor,actor`` or ``@instructor``) for a private one.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Button, Footer, Input, Label, Markdown, Select, Static

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


class SeatScreen(RoomScreen):
    BINDINGS = [
        Binding("d", "decide", "Decide"),
        Binding("b", "brief", "Brief"),
        Binding("a", "ai", "Let the AI decide"),
        Binding("r", "debrief", "Debrief"),
    ]

    def compose(self) -> ComposeResult:
        yield Static(id="status")
        with Horizontal():
            with VerticalScroll(id="rounds", classes="panel") as box:
                box.border_title = "The table"
                yield Static(id="table")
            with Vertical():
                with VerticalScroll(id="mine", classes="panel") as box:
                    box.border_title = "Yours"
                    yield Static(id="values")
                with VerticalScroll(id="chat", classes="panel") as box:
                    box.border_title = "Messages"
                    yield Static(id="messages")
        yield Input(
            placeholder="A public statement, or @actor text for a private message", id="say"
        )
        yield Footer()

    def on_mount(self) -> None:
        self.refresh_game()

    def refresh_game(self) -> None:
        super().refresh_game()
        game = self.game
        self.query_one("#table", Static).update(cv.table_text(game))
        private = game.view.private if game.view else {}
        self.query_one("#values", Static).update(cv.own_values_text(game, private))
        self.query_one("#messages", Static).update(cv.messages_text(game))
        title = f"Yours: {game.name(game.seat)}" if game.seat else "Yours"
        self.query_one("#mine").border_title = title

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

    def action_decide(self) -> None:
        self.app.open_decision()

    def action_brief(self) -> None:
        self.app.show_brief()

    def action_ai(self) -> None:
        self.app.let_ai_decide()

    def action_debrief(self) -> None:
        self.app.show_debrief()


class BriefScreen(Screen[None]):
    BINDINGS = [Binding("escape,enter", "dismiss", "To the table")]

    def __init__(self, title: str, text: str):
        super().__init__()
        self.title_text, self.text = title, text

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="panel") as box:
            box.border_title = self.title_text
            yield Markdown(self.text, id="brief")
        yield Footer()


class OfferForm(ModalScreen[dict | None]):
    """The proposer's package: a level per issue and a sequencing."""

    BINDINGS = [Binding("escape", "later", "Later")]

    def __init__(self, game):
        super().__init__()
        self.game = game

    DEFAULT_CSS = """
    OfferForm .issue-row { height: 3; }
    OfferForm .issue-row > Label { width: 45%; padding: 1 1 0 0; }
    OfferForm .issue-row > Select { width: 1fr; }
    OfferForm #offer-buttons { dock: bottom; height: 3; }
    OfferForm #preview { height: auto; }
    """

    def compose(self) -> ComposeResult:
        game, start = self.game, self.game.last_levels()
        with Horizontal(id="offer-buttons"):
            yield Button("Value it", id="preview-btn")
            yield Button("Send the offer", id="send", variant="primary")
            if game.view.can_walk_out:
                yield Button("Walk out", id="walk", variant="error")
            yield Button("Let the AI decide", id="ai")
            yield Button("Later", id="later")
        with VerticalScroll(id="offer-form", classes="panel") as box:
            box.border_title = f"{game.name(game.seat)}: your offer (round {game.view.round})"
            yield Static(id="preview")
            for issue in game.info.issues:
                with Horizontal(classes="issue-row"):
                    yield Label(f"{issue['name']} ({game.name(issue['giver'])} gives)")
                    options = [(name, k) for k, name in enumerate(issue["levels"])]
                    yield Select(
                        options,
                        value=int(start.get(issue["id"], 0)),
                        allow_blank=False,
                        id=f"issue-{issue['id']}",
                    )
            with Horizontal(classes="issue-row"):
                yield Label("Sequencing")
                yield Select(
                    [(s.replace("_", " "), s) for s in game.info.sequencings],
                    value=game.info.sequencings[0],
                    allow_blank=False,
                    id="sequencing",
                )

    def chosen(self) -> tuple[dict[str, int], str]:
        levels = {
            i["id"]: int(self.query_one(f"#issue-{i['id']}", Select).value)
            for i in self.game.info.issues
        }
        return levels, str(self.query_one("#sequencing", Select).value)

    async def on_button_pressed(self, event: Button.Pressed) -> None:
        which = event.button.id
        if which == "preview-btn":
            await self.show_preview()
        elif which == "send":
            levels, seq = self.chosen()
            self.dismiss({"kind": "offer", "levels": levels, "sequencing": seq})
        elif which in ("walk", "ai"):
            self.dismiss({"kind": {"walk": "walk_out", "ai": "ai_decide"}[which]})
        else:
            self.dismiss(None)

    async def show_preview(self) -> None:
        levels, seq = self.chosen()
        got = await self.game.preview(levels, seq)
        box = self.query_one("#preview", Static)
        if got is None or getattr(got, "type", "") != "preview_result":
            box.update(f"Cannot value it now: {getattr(got, 'message', 'no answer')}")
            return
        aim = "–" if got.aspiration is None else f"{got.aspiration:.2f}"
        box.update(
            f"Worth {got.utility:.2f} to you; you hold out for {aim}; "
            f"you walk away at {got.walk_away:.2f}."
        )

    def action_later(self) -> None:
        self.dismiss(None)


class AnswerForm(ModalScreen[dict | None]):
    """Accept or reject the offer on the table."""

    BINDINGS = [Binding("escape", "later", "Later")]

    def __init__(self, game):
        super().__init__()
        self.game = game

    def compose(self) -> ComposeResult:
        game = self.game
        private = game.view.private or {}
        with Vertical(id="answer-form", classes="dialog"):
            yield Label(
                f"{game.name(game.seat)}: your answer (round {game.view.round})", classes="title"
            )
            yield Static(cv.offer_text(game, game.current_offer()), id="offer")
            value, aim, walk = (private.get(k) for k in ("offer_value", "aspiration", "walk_away"))
            if value is not None:
                yield Static(
                    f"Worth {value:.2f} to you; you hold out for "
                    f"{'–' if aim is None else f'{aim:.2f}'}; you walk away at {walk:.2f}."
                )
            with Horizontal(classes="buttons"):
                yield Button("Accept", id="accept", variant="success")
                yield Button("Reject", id="reject", variant="error")
                if game.view.can_walk_out:
                    yield Button("Walk out", id="walk")
                yield Button("Let the AI decide", id="ai")
                yield Button("Later", id="later")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        which = event.button.id
        if which in ("accept", "reject"):
            self.dismiss({"kind": "answer", "accept": which == "accept"})
        elif which in ("walk", "ai"):
            self.dismiss({"kind": {"walk": "walk_out", "ai": "ai_decide"}[which]})
        else:
            self.dismiss(None)

    def action_later(self) -> None:
        self.dismiss(None)


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
