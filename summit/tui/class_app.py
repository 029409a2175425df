"""The class client: one Textual app for a seat, the instructor console or the projector.

The role comes from the server's welcome. The link runs as an async worker on the app's own
loop; every server message refreshes the screen showing the room. Decisions and requests are
sent from workers too, and a refusal from the server is a notification.
"""

from __future__ import annotations

import contextlib

from textual.app import App
from textual.css.query import NoMatches

from summit.errors import UsageError
from summit.net import protocol as P
from summit.tui.remote import RemoteGame
from summit.tui.screens.class_console import ConsoleScreen
from summit.tui.screens.class_projector import DebriefScreen, ProjectorScreen
from summit.tui.screens.class_seat import (
    AnswerForm,
    BriefScreen,
    CodeScreen,
    OfferForm,
    RoomScreen,
    SeatScreen,
)

AI_RUNS = 10_000


class ClassApp(App[None]):
    CSS_PATH = "summit.tcss"
    TITLE = "summit class"
    debrief_runs = AI_RUNS  # AI-only summits the debrief compares the room with

    def __init__(self, game: RemoteGame | None, auto_open: bool = True, url: str | None = None):
        super().__init__()
        self.game = game
        self.url = url  # without a game: ask for a code, then join this server
        self.auto_open = auto_open  # open the decision form when the seat's turn comes
        self.failure: str | None = None
        self.main: RoomScreen | None = None
        self._prompted: set[tuple[int, str]] = set()
        self._debrief_text: str | None = None

    def on_mount(self) -> None:
        self.set_interval(1.0, self.tick)  # timers count down, a lost link shows, between views
        if self.game is None:
            self.ask_code()
        else:
            self.start_link()

    def ask_code(self, problem: str | None = None) -> None:
        self.push_screen(CodeScreen(self.url, problem), self.join_with)

    def join_with(self, code: str | None) -> None:
        if not code:
            self.exit()
            return
        self.game = RemoteGame(self.url, code, client="browser")
        self.start_link()

    def start_link(self) -> None:
        self.game.listeners.append(self.on_server)
        self.run_worker(self.follow(), group="link", name="link")

    def tick(self) -> None:
        if self.game is not None and self.main is not None and self.main.is_mounted:
            with contextlib.suppress(NoMatches):
                RoomScreen.refresh_game(self.main)

    async def follow(self) -> None:
        try:
            await self.game.run()
        except UsageError as err:
            if self.url is not None and self.main is None:  # the join page: try another code
                self.game = None
                self.ask_code(str(err))
                return
            self.failure = str(err)
            self.exit(return_code=2)

    # ------------------------------------------------------------------ from the server
    def on_server(self, message) -> None:
        if isinstance(message, P.Welcome) and self.main is None:
            self.open_main(message)
        elif isinstance(message, P.Error) and message.id is not None:
            self.notify(message.message, title="Not done", severity="error")
        elif isinstance(message, P.Debrief):
            self.show_debrief()
        if self.main is not None and self.main.is_mounted:
            with contextlib.suppress(NoMatches):  # still composing: on_mount draws it
                self.main.refresh_game()
        if isinstance(message, P.View):
            self.maybe_prompt(message)

    def open_main(self, welcome: P.Welcome) -> None:
        screen = {"seat": SeatScreen, "instructor": ConsoleScreen}.get(
            welcome.role, ProjectorScreen
        )
        self.main = screen(self.game)
        who = self.game.name(welcome.seat) if welcome.seat else welcome.role
        self.sub_title = f"room {welcome.room} · {who}"
        self.push_screen(self.main)
        if welcome.role == "seat":
            self.show_brief()

    def maybe_prompt(self, view: P.View) -> None:
        key = (view.round, view.phase)
        if (
            self.auto_open
            and view.your_turn
            and not view.paused
            and key not in self._prompted
            and self.screen is self.main
        ):
            self._prompted.add(key)
            self.open_decision()

    # ------------------------------------------------------------------ a seat's decisions
    def open_decision(self) -> None:
        turn = self.game.your_turn()
        if turn is None:
            self.notify("Nothing for you to decide now.")
            return
        form = OfferForm(self.game) if turn == "offer" else AnswerForm(self.game)
        self.push_screen(form, self.decided)

    def decided(self, choice: dict | None) -> None:
        if choice is None:
            return
        game = self.game
        kind = choice["kind"]
        if kind == "offer":
            job = game.offer(choice["levels"], choice["sequencing"])
        elif kind == "answer":
            job = game.answer(game.seat, choice["accept"])
        elif kind == "walk_out":
            job = game.walk_out(game.seat)
        else:
            job = game.ai_decide()
        self.run_worker(self._sent(job), group="send")

    def let_ai_decide(self) -> None:
        if self.game.your_turn():
            self.run_worker(self._sent(self.game.ai_decide()), group="send")

    def send_say(self, text: str, to: list[str]) -> None:
        self.run_worker(self._sent(self.game.say(text, to)), group="send")

    def send_request(self, request: P._Request) -> None:
        self.run_worker(self._sent(self.game.instruct(request)), group="send")

    async def _sent(self, job) -> None:
        reply = await job
        if reply is None:
            self.notify(
                "No answer from the server yet; it will catch up after reconnecting.",
                severity="warning",
            )

    # ------------------------------------------------------------------ other screens
    def show_brief(self) -> None:
        game = self.game
        if game.seat is None:
            return
        self.push_screen(
            BriefScreen(f"Brief: {game.name(game.seat)}", brief_markdown(game)),
            lambda _: self.maybe_prompt(game.view) if game.view else None,
        )

    def show_debrief(self) -> None:
        if self.game.debrief is None:
            self.notify("The instructor has not opened the debrief yet.")
            return
        if isinstance(self.screen, DebriefScreen):
            return
        screen = DebriefScreen(self.game, self._debrief_text)
        self.push_screen(screen)
        if self._debrief_text is None:
            self.run_worker(
                lambda: self._analyse(screen), thread=True, group="debrief", exclusive=True
            )

    def _analyse(self, screen: DebriefScreen) -> None:
        text = debrief_markdown(self.game, self.debrief_runs)
        self._debrief_text = text
        self.call_from_thread(screen.show_analysis, text)


def brief_markdown(game: RemoteGame) -> str:
    """The seat's brief: the full brief when this client has the scenario (its values follow
    from the seed the server sent), else the scenario's words for the actor."""
    from summit.briefs import Brief, markdown, seat_brief

    info, seat = game.info, game.seat
    sent = game.welcome.brief or {}
    if "issues" in sent and "walk_away" in sent:  # the server sent the whole brief record
        return markdown(Brief.from_dict(sent))
    try:
        from summit.catalog import resolve
        from summit.scenario import load_spec

        spec = load_spec(resolve(info.id))
        return markdown(seat_brief(spec, seat, game.welcome.seed))
    except Exception:  # noqa: BLE001 - a scenario this client does not have: the words only
        entry = game.welcome.brief or {}
        lines = [
            f"# Brief: {game.name(seat)}",
            "",
            f"## Goals\n\n{entry.get('goals') or '–'}",
            "## Red lines",
            *[f"- {x}" for x in entry.get("red_lines") or ["–"]],
            f"## What you can give\n\n{entry.get('can_give') or '–'}",
            f"## Only you know\n\n{entry.get('private') or '–'}",
        ]
        return "\n\n".join(lines) + "\n"


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
