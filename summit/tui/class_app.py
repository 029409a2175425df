"""The class client: one Textual app for a seat, the instructor console or the projector.

The role comes from the server's welcome. A seat plays on the game's own screens (SummitApp's
table, decisions, moves, outcome and briefing) with a RemoteGame as its GameSession: the
server's views say when a decision is due and its replies when one is refused. The instructor
and the projector have their own screens. The link runs as an async worker on the app's own
loop; requests are sent from workers too.
"""

from __future__ import annotations

import contextlib

from textual import events
from textual.binding import Binding
from textual.css.query import NoMatches

from summit.errors import UsageError
from summit.net import protocol as P
from summit.tui.app import SummitApp
from summit.tui.remote import RemoteGame
from summit.tui.screens.briefing import BriefingScreen
from summit.tui.screens.class_console import ConsoleScreen
from summit.tui.screens.class_projector import DebriefScreen, ProjectorScreen
from summit.tui.screens.class_seat import CodeScreen, MessagesScreen, RoomScreen

AI_RUNS = 10_000


class ClassApp(SummitApp):
    """A seat plays on SummitApp's own screens and flow (the RemoteGame is its GameSession);
    the instructor and the projector get their own screens."""

    TITLE = "summit class"
    BINDINGS = [
        *SummitApp.BINDINGS,
        Binding("m", "messages", "Messages"),
        Binding("r", "debrief", "Debrief"),
    ]
    debrief_runs = AI_RUNS  # AI-only summits the debrief compares the room with
    compare_runs = 0  # a seat's outcome screen: the debrief brings the comparison

    def __init__(self, game: RemoteGame | None, auto_open: bool = True, url: str | None = None):
        super().__init__()
        self.remote = game
        self.url = url  # without a game: ask for a code, then join this server
        self.auto_open = auto_open  # open a seat's decision when its turn comes
        self.failure: str | None = None
        self.main: RoomScreen | None = None  # the console's or the projector's screen
        self._debrief_text: str | None = None
        self._opened = False  # the first welcome opened the seat's or the role's screen

    def on_mount(self, event: events.Mount) -> None:
        event.prevent_default()  # not SummitApp's start screen
        self.set_interval(1.0, self.tick)  # timers count down, a lost link shows, between views
        if self.remote is None:
            self.ask_code()
        else:
            self.start_link()

    def ask_code(self, problem: str | None = None) -> None:
        self.push_screen(CodeScreen(self.url, problem), self.join_with)

    def join_with(self, code: str | None) -> None:
        if not code:
            self.exit()
            return
        self.remote = RemoteGame(self.url, code, client="browser")
        self.start_link()

    def start_link(self) -> None:
        self.remote.listeners.append(self.on_server)
        self.attach(self.remote)
        self.run_worker(self.follow(), group="link", name="link")

    def tick(self) -> None:
        if self.main is not None and self.main.is_mounted:
            with contextlib.suppress(NoMatches):
                RoomScreen.refresh_game(self.main)
        if self.remote is not None and self.remote.seat:
            self.refresh_table()  # the status line's clock

    async def follow(self) -> None:
        try:
            await self.remote.run()
        except UsageError as err:
            if self.url is not None and self.remote.welcome is None:  # the join page: retry
                self.remote = self.game = None
                self.ask_code(str(err))
                return
            self.failure = str(err)
            self.exit(return_code=2)

    # ------------------------------------------------------------------ from the server
    def on_server(self, message) -> None:
        """Every server message (a seat's game hears views through its GameSession too)."""
        if isinstance(message, P.Welcome) and not self._opened:  # a reconnect opens nothing
            self.open_main(message)
        elif isinstance(message, P.Error) and message.id is not None and not self.remote.seat:
            self.notify(message.message, title="Not done", severity="error")
        elif isinstance(message, P.Debrief):
            self.show_debrief()
        if self.main is not None and self.main.is_mounted:
            with contextlib.suppress(NoMatches):  # still composing: on_mount draws it
                self.main.refresh_game()
        if isinstance(self.screen, MessagesScreen) and isinstance(message, P.ChatMessage):
            self.screen.refresh_game()

    def open_main(self, welcome: P.Welcome) -> None:
        self._opened = True
        who = self.remote.name(welcome.seat) if welcome.seat else welcome.role
        if welcome.role == "seat":
            self.open_table()
            self.sub_title = f"room {welcome.room} · {who}"
            self.brief([welcome.seat], then=self.next_step if self.auto_open else None)
            return
        screen = ConsoleScreen if welcome.role == "instructor" else ProjectorScreen
        self.main = screen(self.remote)
        self.sub_title = f"room {welcome.room} · {who}"
        self.push_screen(self.main)

    # ------------------------------------------------------------------ requests
    def send_say(self, text: str, to: list[str]) -> None:
        self.run_worker(self._sent(self.remote.say(text, to)), group="send")

    def send_request(self, request: P._Request) -> None:
        self.run_worker(self._sent(self.remote.instruct(request)), group="send")

    async def _sent(self, job) -> None:
        reply = await job
        if reply is None:
            self.notify(
                "No answer from the server yet; it will catch up after reconnecting.",
                severity="warning",
            )

    # ------------------------------------------------------------------ other screens
    def action_messages(self) -> None:
        if (
            self.remote is not None
            and self.remote.seat
            and not isinstance(self.screen, MessagesScreen)
        ):
            self.push_screen(MessagesScreen(self.remote))

    def action_debrief(self) -> None:
        self.show_debrief()

    def show_brief(self) -> None:
        if self.remote is not None and self.remote.seat:
            self.push_screen(BriefingScreen(self.remote, self.remote.seat))

    def action_new_game(self) -> None:
        self.notify("This summit belongs to the class: the instructor starts the next one.")

    def get_system_commands(self, screen):
        yield from super(SummitApp, self).get_system_commands(screen)

    def show_debrief(self) -> None:
        if self.remote.debrief is None:
            self.notify("The instructor has not opened the debrief yet.")
            return
        if isinstance(self.screen, DebriefScreen):
            return
        screen = DebriefScreen(self.remote, self._debrief_text)
        self.push_screen(screen)
        if self._debrief_text is None:
            self.run_worker(
                lambda: self._analyse(screen), thread=True, group="debrief", exclusive=True
            )

    def _analyse(self, screen: DebriefScreen) -> None:
        text = debrief_markdown(self.remote, self.debrief_runs)
        self._debrief_text = text
        self.call_from_thread(screen.show_analysis, text)


def debrief_markdown(game: RemoteGame, runs: int = AI_RUNS) -> str:
    """The debrief analysis: the server's comparison when it sends one, else computed here from
    the room's outcome (the debrief reveals it whole) against ``runs`` AI-only summits."""
    from summit.analysis import debrief as D

    content = game.debrief or {}
    comparison = content.get("comparison")
    names = {a["id"]: a["name"] for a in game.info.actors} | {
        i["id"]: i["name"] for i in game.info.issues
    }
    if isinstance(comparison, dict) and "rooms" in comparison:
        return D.render(comparison, names)
    outcome = content.get("outcome")
    if not outcome:
        return "The summit has not ended: there is nothing to compare yet.\n"
    from summit.catalog import resolve
    from summit.scenario import load_spec

    try:
        spec = load_spec(resolve(game.info.id))
    except Exception as err:  # noqa: BLE001 - say why, keep the messages below
        return f"The comparison needs the scenario {game.info.id} on this machine ({err}).\n"
    teams = content.get("teams") or {}
    ai_seats = [a for a, t in teams.items() if t.get("played_by") == "ai"]
    room = D.Room(
        content.get("room", game.welcome.room),
        int(content.get("seed", game.welcome.seed or 0)),
        outcome,
        ai_seats,
    )
    return D.render(D.debrief(spec, [room], runs=runs), names)


def main(argv: list[str] | None = None) -> int:
    """``python -m summit.tui.class_app URL``: the join page (`summit serve --join URL`): asks
    for a seat, instructor or watch code, then opens what it gives."""
    import sys

    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1:
        print("usage: python -m summit.tui.class_app ws://HOST:PORT", file=sys.stderr)
        return 2
    ClassApp(None, url=args[0]).run()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
