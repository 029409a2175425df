"""The summit game in the terminal: the Textual app that ties the screens to one Game.

Flow: start screen -> briefings (with hand-over screens in hot-seat) -> the table, where every
round is played; a human's turn opens an offer or answer screen; the end opens the outcome.
The screens read the game only through ``tui.session.GameSession``, so the same flow serves a
local game (its engine runs in a thread worker) and a seat of a class server (tui.class_app):
the game says when a decision is due (``listen``), the app opens it and hands it back.
"""

from __future__ import annotations

import contextlib
import io
import random
import time
from collections.abc import Callable, Iterable
from pathlib import Path

from rich.text import Text
from textual import events, on
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.css.query import NoMatches
from textual.screen import ModalScreen, Screen
from textual.widgets import Static
from textual.worker import get_current_worker

from summit.errors import UsageError, cause
from summit.model import NeedDecision
from summit.rules.game import InvalidDecision
from summit.scenario import ScenarioError
from summit.tui.compare import RUNS
from summit.tui.game import Game
from summit.tui.messages import EngineDone, RoundPlayed
from summit.tui.move_turns import MOVE_KINDS, WHAT
from summit.tui.screens.briefing import BriefingScreen
from summit.tui.screens.decide import (
    AnswerScreen,
    ConfirmScreen,
    Decision,
    HandOverScreen,
    OfferScreen,
)
from summit.tui.screens.help import HelpScreen
from summit.tui.screens.moves import MoveScreen
from summit.tui.screens.outcome import OutcomeScreen
from summit.tui.screens.start import StartScreen
from summit.tui.screens.table import TableScreen
from summit.tui.session import GameSession, Turn

DECISION_SCREENS = (OfferScreen, AnswerScreen, MoveScreen)


class TooSmallScreen(ModalScreen[None]):
    """Shown while the terminal is smaller than the game can be laid out in."""

    def __init__(self, size: tuple[int, int]):
        super().__init__()
        self.need = size

    def compose(self):
        w, h = self.need
        yield Static(
            f"The terminal is too small for summit.\nMake it at least {w} columns by {h} rows.",
            id="too-small",
        )


class SummitApp(App[None]):
    CSS_PATH = "summit.tcss"
    TITLE = "summit"
    BINDINGS = [Binding("question_mark", "help", "Help", key_display="?")]
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (100, "-wide")]  # one-column composer below 100
    MIN_SIZE = (70, 20)  # below this a message asks for a bigger terminal
    autoplay_delay = 0.35  # seconds between rounds when playing on, so they can be followed
    compare_runs = RUNS  # simulated runs the outcome is compared with (0: no comparison)

    def __init__(
        self,
        scenario: Path | None = None,
        humans: Iterable[str] = (),
        seed: int | None = None,
        save_dir: Path | None = None,
        game: GameSession | None = None,
        settings: Iterable[str] = (),
    ):
        super().__init__()
        self.settings = list(settings)  # `--set NAME=VALUE` for a new game (summit.overrides)
        self.scenario, self.humans, self.seed = scenario, list(humans), seed
        self.save_dir = save_dir
        self.game: GameSession | None = None
        self._given = game
        self.turn: Turn | None = None  # the human decision the game waits for
        self.seat: str | None = None  # who had the keyboard last (hot-seat)
        self.busy = False  # the engine worker is running

    # ------------------------------------------------------------------ starting
    def on_resize(self, event: events.Resize) -> None:
        small = event.size.width < self.MIN_SIZE[0] or event.size.height < self.MIN_SIZE[1]
        if small and not isinstance(self.screen, TooSmallScreen):
            self.push_screen(TooSmallScreen(self.MIN_SIZE))
        elif not small and isinstance(self.screen, TooSmallScreen):
            self.pop_screen()

    def attach(self, game: GameSession) -> None:
        """Play ``game``: its updates come to the app as EngineDone messages (from any
        thread: post_message is thread-safe)."""
        self.game = game
        game.listen(lambda update: self.post_message(EngineDone(update.turn, update.error)))

    def on_mount(self) -> None:
        if self._given is not None:
            self.continue_game(self._given)
        elif self.scenario is not None and self.humans:
            self.start_game((self.scenario, self.humans, self.pick_seed()))
        else:
            self.push_screen(
                StartScreen(self.pick_seed(), self.scenario, self.save_dir), self.start_game
            )

    def pick_seed(self) -> int:
        return self.seed if self.seed is not None else random.randrange(10_000)

    def start_game(self, choice: tuple[Path, list[str], int] | Path | None) -> None:
        if choice is None:
            return
        if isinstance(choice, Path):
            self.resume(choice)
            return
        scenario, humans, seed, *chosen = choice
        settings = chosen[0] if chosen else self.settings
        try:
            self.attach(Game.new(scenario, seed, humans, self.save_dir, settings))
        except (ScenarioError, UsageError, ValueError, OSError) as err:
            self.notify(str(err), title="Cannot start this game", severity="error")
            self.push_screen(StartScreen(seed, Path(scenario), self.save_dir), self.start_game)
            return
        self.turn, self.seat = None, None
        self.open_table()
        self.announce_autosave(f"Saved after every round to {self.game.save_path}")
        self.brief(list(self.game.humans), then=self.next_step if humans else None)

    def resume(self, file: Path) -> None:
        """Continue a saved game picked on the start screen; a bad file is a notification."""
        try:
            game = Game.load(file)
        except UsageError as err:
            self.notify(str(err), title="Cannot continue this game", severity="error")
            self.push_screen(StartScreen(self.pick_seed(), None, self.save_dir), self.start_game)
            return
        self.continue_game(game)

    def continue_game(self, game: Game) -> None:
        self.attach(game)
        self.turn, self.seat = None, None
        self.open_table()
        self.notify(
            f"Resumed after round {game.round}; autosaving to {game.save_path}.",
            title="Save loaded",
        )
        self.announce_autosave()
        if game.done:
            self.show_outcome()

    def announce_autosave(self, saved: str | None = None) -> None:
        """Say where the game is saved, or that autosave is off and why; a save that fails
        later says so once (from the engine thread: notify is thread-safe) and play goes on."""

        def autosave_off(text: str) -> None:
            self.notify(text, title="Autosave off", severity="warning", timeout=20, markup=False)

        self.game.on_save_fault = autosave_off
        if self.game.save_fault:
            autosave_off(self.game.save_fault)
        elif saved and self.game.save_path is not None:
            self.notify(saved, title="Autosave", markup=False)

    def open_table(self) -> None:
        while len(self.screen_stack) > 1:
            self.pop_screen()
        game = self.game
        you = ", ".join(game.name(h) for h in game.humans) or "watching the AIs"
        seed = "" if game.seed is None else f" · seed {game.seed}"
        self.sub_title = f"{game.board.scenario.id}{seed} · {you}"
        self.push_screen(TableScreen(game))

    def brief(self, actors: list[str], then: Callable[[], None] | None = None) -> None:
        """Each human's briefing in turn (behind a hand-over screen in hot-seat), then ``then``."""
        if not actors:
            if self.game.hotseat:
                self.game.look_as(None)
            if then is not None:
                then()
            return

        def show(_=None) -> None:
            self.seat = actors[0]
            self.game.look_as(actors[0])
            self.push_screen(
                BriefingScreen(self.game, actors[0]), lambda _: self.brief(actors[1:], then)
            )

        if self.game.hotseat:
            self.push_screen(HandOverScreen(self.game.name(actors[0]), "your briefing"), show)
        else:
            show()

    # ------------------------------------------------------------------ playing
    def next_step(self, play_on: bool = False) -> None:
        """Continue: open the pending decision, or run the engine to the next one."""
        game = self.game
        if self.busy or game is None or not isinstance(self.screen, TableScreen):
            return
        if game.done:
            self.show_outcome()
        elif self.turn is not None:
            self.open_turn(self.turn)
        else:
            self.drive(lambda: game.proceed(play_on, each_round=self._between_rounds))

    def _between_rounds(self) -> bool:
        """Called in the worker after each round while playing on; False stops (the app is
        closing)."""
        if get_current_worker().is_cancelled:
            return False
        self.post_message(RoundPlayed())
        time.sleep(self.autoplay_delay)
        return not get_current_worker().is_cancelled

    def drive(self, job: Callable[[], Turn | None]) -> None:
        """A local game works in a thread so the screen never waits on it; a remote one only
        sends a request. Either way its listener says how it went."""
        if self.game.runs_here:
            self.run_engine(job)
        else:
            job()
            self.refresh_table()

    def run_engine(self, job: Callable[[], Turn | None]) -> None:
        """Run the model in a thread; the game's own update (or EngineDone with the error)
        says how it went."""
        self.busy = True
        self.refresh_table()

        def work() -> None:
            try:
                job()
            except (InvalidDecision, NeedDecision, RuntimeError) as err:
                self.post_message(EngineDone(None, str(err)))
            except OSError as err:  # the autosave failed; the round itself was played
                self.post_message(EngineDone(None, f"could not save the game: {err}"))

        self.run_worker(work, thread=True, group="engine", name="engine")

    def on_round_played(self) -> None:
        self.refresh_table()

    def on_engine_done(self, message: EngineDone) -> None:
        if message.error:
            self.notify(message.error, title="Not allowed", severity="error")
        if not self.game.runs_here:
            self.remote_update(message)
            return
        self.busy = False
        self.turn = message.turn
        self.refresh_table()
        if message.turn is not None:
            self.open_turn(message.turn)
        elif self.game.done:
            self.show_outcome()

    def remote_update(self, message: EngineDone) -> None:
        """A view from the class server: a new turn opens once, and only over the table (a
        seat reading its briefing finds it there: n opens it); a turn the room has gone past
        (time ran out, the instructor handed the seat over) closes its form."""
        if not self.screen_stack:  # starting or closing
            return
        fresh = message.turn != self.turn
        if fresh and self.turn is not None and isinstance(self.screen, DECISION_SCREENS):
            self.screen.dismiss(None)
            self.notify("That decision is no longer yours to make.", severity="warning")
        self.turn = message.turn
        self.refresh_table()
        on_table = isinstance(self.screen, TableScreen)
        wanted = getattr(self, "auto_open", True) or message.error
        if message.turn is not None and (fresh or message.error) and on_table and wanted:
            self.open_turn(message.turn)
        elif self.game.done and on_table:
            self.show_outcome()

    def open_turn(self, turn: Turn) -> None:
        if turn.kind in MOVE_KINDS:
            screen = MoveScreen(self.game, turn.actor, turn.kind)
        elif turn.kind == "offer":
            screen = OfferScreen(self.game, turn.actor)
        else:
            screen = AnswerScreen(self.game, turn.actor)

        def show(_=None) -> None:
            self.seat = turn.actor
            self.game.look_as(turn.actor)
            self.push_screen(screen, self.decided)

        if self.game.hotseat and self.seat != turn.actor:
            self.push_screen(HandOverScreen(self.game.name(turn.actor)), show)
        else:
            show()

    def decided(self, decision: Decision | None) -> None:
        if self.game.hotseat:
            self.game.look_as(None)  # the table again: nobody's private numbers
        if decision is None:  # "later": back at the table, the turn stays pending
            self.refresh_table()
            return
        game = self.game
        if game.runs_here:  # a remote turn stays until the server's next view ends it
            self.turn = None
        self.drive(lambda: game.submit(decision))

    # ------------------------------------------------------------------ views
    def status_text(self) -> Text:
        game = m = self.game
        if not game.runs_here:  # a class seat: the room's state as the server tells it
            return Text(game.waiting_text() or "")
        if self.busy:
            return Text("The actors are negotiating…", "italic")
        if m.done:
            return Text(
                "The summit is over. o: implementation and outcome · x: export the transcript"
            )
        if self.turn is not None:
            what = {"offer": "an offer", "answer": "an answer", **WHAT}[self.turn.kind]
            return Text.assemble(
                f"Waiting for {what} from ", (game.name(self.turn.actor), "bold"), ": press n."
            )
        upcoming = game.name(game.next_proposer())
        done = f"Round {m.round} is over. " if m.round else ""
        return Text(f"{done}n: round {m.round + 1} ({upcoming} proposes) · p: play on · ?: help")

    def refresh_table(self) -> None:
        for screen in self.screen_stack:
            if isinstance(screen, TableScreen) and screen.is_mounted:
                with contextlib.suppress(NoMatches):  # still composing: its on_mount draws it
                    screen.refresh_game()

    def show_outcome(self) -> None:
        if self.game and self.game.done and not isinstance(self.screen, OutcomeScreen):
            self.push_screen(OutcomeScreen(self.game))

    def show_briefing(self) -> None:
        if self.game and len(self.game.humans) == 1:
            self.push_screen(BriefingScreen(self.game, self.game.humans[0]))

    def action_export(self) -> None:
        self.export()

    def export(self) -> None:
        if self.game is None:
            return
        if self.is_web:  # in a browser: a download for the player, not a file on the server
            self.deliver_text(
                io.StringIO(self.game.markdown()),
                save_filename=self.game.export_name(),
                mime_type="text/markdown",
                name="transcript",
            )
            return
        try:
            path = self.game.export_markdown()
        except OSError as err:
            where = f" {err.filename}" if err.filename else ""
            self.notify(
                f"Cannot write the transcript{where}: {cause(err)}", severity="error", markup=False
            )
            return
        self.notify(f"Transcript written to {path}", title="Exported")

    def deliver_screenshot(
        self, filename: str | None = None, path: str | None = None, time_format: str | None = None
    ) -> str | None:
        """Screenshots go to the save folder (made if missing), not to a Downloads folder that may
        not exist."""
        if path is None and not self.is_web:
            folder = Path(self.save_dir or ".")
            try:
                folder.mkdir(parents=True, exist_ok=True)
            except OSError as err:
                self.notify(
                    f"Cannot save a screenshot in {folder}: {err.strerror or err}",
                    title="Screenshot",
                    severity="error",
                )
                return None
            path = str(folder)
        return super().deliver_screenshot(filename, path, time_format)

    @on(events.DeliveryFailed)
    def _delivery_failed(self, event: events.DeliveryFailed) -> None:
        """Say why a file could not be delivered (Textual's own message gives no reason)."""
        event.prevent_default()
        self.notify(
            f"Could not save the {event.name or 'file'}: {event.exception}", severity="error"
        )

    async def action_quit(self) -> None:
        """ctrl+q: mid-round, ask first, since the save is made at the end of every round."""
        game = self.game
        if game is None or not game.mid_round() or isinstance(self.screen, ConfirmScreen):
            self.exit()
            return

        def confirmed(yes: bool | None) -> None:
            if yes:
                self.exit()

        self.push_screen(
            ConfirmScreen(
                f"Quit in the middle of round {game.round}? The save resumes at the start of this "
                "round: the decisions made in it are lost."
            ),
            confirmed,
        )

    def action_new_game(self) -> None:
        while len(self.screen_stack) > 1:
            self.pop_screen()
        self.game, self.turn, self.seat = None, None, None
        self.sub_title = ""
        self.push_screen(
            StartScreen(random.randrange(10_000), None, self.save_dir), self.start_game
        )

    def action_help(self) -> None:
        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        yield SystemCommand("Help", "How to play, and the keys", self.action_help)
        yield SystemCommand("New game", "Back to the start screen", self.action_new_game)
        if self.game is None:
            return
        if not self.game.done:
            yield SystemCommand(
                "Continue", "The next round, or the decision waiting for you", self.next_step
            )
            yield SystemCommand(
                "Play on",
                "Rounds until a human must decide or the summit ends",
                lambda: self.next_step(play_on=True),
            )
        else:
            yield SystemCommand("Outcome", "The implementation and outcome", self.show_outcome)
        if len(self.game.humans) == 1:
            yield SystemCommand("Briefing", "Your actor's briefing", self.show_briefing)
        yield SystemCommand("Export transcript", "Write the game as Markdown", self.export)
