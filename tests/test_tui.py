"""The Textual game: whole games through Pilot, saves and resume, `summit play` bad input,
`summit serve` on localhost. Snapshots are in test_tui_snapshots.py."""

from __future__ import annotations

import asyncio
import functools
import json
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from textual.widgets import Select

from summit.cli import main as cli_main
from summit.tui.app import SummitApp
from summit.tui.game import Game
from summit.tui.screens.briefing import BriefingScreen
from summit.tui.screens.decide import AnswerScreen, ConfirmScreen, HandOverScreen, OfferScreen
from summit.tui.screens.moves import MoveScreen
from summit.tui.screens.outcome import OutcomeScreen
from summit.tui.screens.start import StartScreen
from summit.tui.screens.table import TableScreen

ROOT = Path(__file__).resolve().parent.parent
JERUSALEM = ROOT / "scenarios" / "jerusalem-2019.toml"
SIZE = (100, 32)


def sync(test):
    """Run an async Pilot test with asyncio (no pytest async plugin needed)."""

    @functools.wraps(test)
    def run(*args, **kwargs):
        asyncio.run(test(*args, **kwargs))

    return run


def make_app(tmp_path, **kwargs) -> SummitApp:
    app = SummitApp(save_dir=tmp_path / "saves", **kwargs)
    app.autoplay_delay = 0
    app.compare_runs = 0
    return app


async def settle(pilot) -> None:
    """Let the engine worker finish and the screens it opens compose."""
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def cli_transcript(capsys, seed: int) -> str:
    capsys.readouterr()
    assert cli_main(["run", str(JERUSALEM), "--seed", str(seed)]) == 0
    return capsys.readouterr().out


async def play_out(
    pilot,
    offer_levels: dict[int, int] | None = None,
    accept_after_offer: bool = True,
    max_steps: int = 60,
) -> list[str]:
    """Play the humans' turns until the outcome: reject offers until a human has proposed (setting
    ``offer_levels`` {issue index: level} on top of the last offer), then accept them."""
    app, seen, offered = pilot.app, [], False
    for _ in range(max_steps):
        screen = app.screen
        seen.append(type(screen).__name__)
        if isinstance(screen, OutcomeScreen):
            return seen
        if isinstance(screen, HandOverScreen | BriefingScreen | MoveScreen):
            await pilot.press("enter")  # a move: the first choice
        elif isinstance(screen, OfferScreen):
            for i, level in (offer_levels or {}).items():
                screen.query_one(f"#issue-{i}", Select).value = level
            await pilot.pause()
            await pilot.press("ctrl+s")
            offered = True
        elif isinstance(screen, AnswerScreen):
            await pilot.press("a" if offered and accept_after_offer else "r")
        elif isinstance(screen, TableScreen):
            await pilot.press("n")
        await settle(pilot)
    raise AssertionError(f"no outcome after {max_steps} steps: {seen[-10:]}")


# --------------------------------------------------------------------------- whole games


@sync
async def test_all_ai_game_gives_the_cli_transcript(tmp_path, capsys):
    app = make_app(tmp_path, scenario=JERUSALEM, seed=1)
    async with app.run_test(size=SIZE) as pilot:
        assert isinstance(app.screen, StartScreen)
        await pilot.press("ctrl+s")  # nobody ticked: watch the AIs
        await settle(pilot)
        assert isinstance(app.screen, TableScreen)
        await pilot.press("n")  # one round
        await settle(pilot)
        assert app.game.model.round == 1 and isinstance(app.screen, TableScreen)
        await pilot.press("p")  # play on to the end
        await settle(pilot)
        assert isinstance(app.screen, OutcomeScreen)
        assert app.game.model.done
        game = app.game
    assert game.transcript() == cli_transcript(capsys, 1)
    saved = json.loads(game.save_path.read_text())
    assert saved["game"]["seed"] == 1 and saved["game"]["humans"] == []
    assert len(saved["decision_log"]) == len(game.model.records)


@sync
async def test_human_russia_offers_accepts_and_sees_the_outcome(tmp_path):
    app = make_app(tmp_path, scenario=JERUSALEM, humans=["russia"], seed=1)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, BriefingScreen)  # --as skips the start screen
        # Russia asks for full sanctions relief and a major reconstruction role
        seen = await play_out(pilot, offer_levels={5: 2, 7: 2})
        assert "OfferScreen" in seen and "AnswerScreen" in seen
        model = app.game.model
        offers = [d["offer"] for d in model.decision_log if d["offer"] is not None]
        assert offers and offers[0][0][5] == 2 and offers[0][0][7] == 2
        answers = [d["answers"]["russia"] for d in model.decision_log if "russia" in d["answers"]]
        assert True in answers  # it accepted an offer
        assert model.outcome is not None
        screen = app.screen
        assert isinstance(screen, OutcomeScreen)
        await pilot.press("x")  # export the transcript
        await pilot.pause()
        exported = app.game.save_path.with_suffix(".md").read_text()
        assert exported.startswith("# Jerusalem 2019") and "Seed 1." in exported
        assert "Played by humans: Russia." in exported and "Drawn for this run" not in exported
        assert exported.count("## Round ") == len(model.records) and "## Outcome" in exported
        await pilot.press("t")  # back to the table, history intact
        await pilot.pause()
        assert isinstance(app.screen, TableScreen)
        assert len(app.screen.query_one("#history").options) == len(model.records) + 1


@sync
async def test_composer_previews_the_package(tmp_path):
    app = make_app(tmp_path, scenario=JERUSALEM, humans=["us"], seed=7)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("enter")  # past the briefing: US proposes round 1
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, OfferScreen)
        table = screen.query_one("#preview")
        before = str(table.get_cell("us", "worth"))
        screen.query_one("#issue-5", Select).value = 2  # offer Russia full sanctions relief
        await pilot.pause()
        assert float(str(table.get_cell("us", "worth"))) < float(before)  # the US pays for it
        assert str(table.get_cell("russia", "worth")) == "?"  # Russia's is private
        await pilot.press("escape")  # decide later: back to the table
        await pilot.pause()
        assert isinstance(app.screen, TableScreen)
        assert "Waiting for an offer from United States" in str(
            app.screen.query_one("#status").render()
        )
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, OfferScreen)


@sync
async def test_hot_seat_hands_over_between_players_and_walk_out(tmp_path):
    app = make_app(tmp_path, scenario=JERUSALEM, humans=["us", "russia"], seed=3)
    async with app.run_test(size=SIZE) as pilot:
        order = []
        for _ in range(4):  # hand-over, briefing, hand-over, briefing
            order.append((type(app.screen).__name__, getattr(app.screen, "who", None)))
            await pilot.press("enter")
            await pilot.pause()
        assert order == [
            ("HandOverScreen", "United States"),
            ("BriefingScreen", None),
            ("HandOverScreen", "Russia"),
            ("BriefingScreen", None),
        ]
        await settle(pilot)
        assert isinstance(app.screen, HandOverScreen) and app.screen.who == "United States"
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, OfferScreen) and app.screen.actor == "us"
        await pilot.press("ctrl+s")  # the US proposes the last offer (none yet)
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)  # an empty package: asked, not refused
        await pilot.press("n")  # no: back to the composer
        await pilot.pause()
        assert isinstance(app.screen, OfferScreen)
        app.screen.query_one("#issue-4", Select).value = 1
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, HandOverScreen) and app.screen.who == "Russia"
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, AnswerScreen) and app.screen.actor == "russia"
        await pilot.press("w")  # Russia walks out...
        await pilot.pause()
        await pilot.press("y")  # ...and means it
        await settle(pilot)
        assert isinstance(app.screen, OutcomeScreen)
        out = app.game.model.outcome
        assert out.end_reason == "walkout" and out.walked_out == "russia"
        assert app.game.model.decision_log[-1]["walkouts"] == ["russia"]


@sync
async def test_resume_from_an_autosave(tmp_path):
    app = make_app(tmp_path, scenario=JERUSALEM, humans=["russia"], seed=11)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter")
        await settle(pilot)
        for _ in range(2):  # two rounds, then the "crash"
            assert isinstance(app.screen, AnswerScreen | OfferScreen)
            await pilot.press("r" if isinstance(app.screen, AnswerScreen) else "ctrl+s")
            await settle(pilot)
            while isinstance(app.screen, MoveScreen):  # side offers to Russia: the first choice
                await pilot.press("enter")
                await settle(pilot)
            await pilot.press("n")
            await settle(pilot)
        save, records = app.game.save_path, list(app.game.model.records)
    assert len(records) == 2
    resumed = make_app(tmp_path, game=Game.load(save))
    async with resumed.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(resumed.screen, TableScreen)
        assert resumed.game.model.records == records
        assert resumed.game.save_path == save  # it goes on saving to the same file
        assert len(resumed.screen.query_one("#history").options) == 3
        await pilot.press("n")  # round 3: Russia proposes
        await settle(pilot)
        assert isinstance(resumed.screen, OfferScreen)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert resumed.game.model.round == 3
    log = json.loads(save.read_text())["decision_log"]
    assert len(log) == 3 and log[2]["offer"] is not None


@sync
async def test_start_screen_starts_a_hot_seat_game(tmp_path):
    app = make_app(tmp_path, seed=5)
    async with app.run_test(size=SIZE) as pilot:
        assert isinstance(app.screen, StartScreen)
        humans = app.screen.query_one("#humans")
        humans.select("israel")
        humans.select("iran")
        seed = app.screen.query_one("#seed")
        seed.value = "42"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.game.humans == ["israel", "iran"] and app.game.model.seed == 42
        assert isinstance(app.screen, HandOverScreen)


@sync
async def test_start_screen_continues_a_save_or_says_why_not(tmp_path):
    good = Game.new(JERUSALEM, 9, ["israel"], tmp_path / "saves")
    good.advance()  # round 1 opens; nothing saved beyond the start
    (tmp_path / "saves" / "broken.json").write_text("{ not json")
    app = make_app(tmp_path, seed=5)
    said: list[str] = []
    notify = app.notify
    app.notify = lambda message, **kw: (said.append(str(message)), notify(message, **kw))[1]
    async with app.run_test(size=SIZE) as pilot:
        saves = app.screen.query_one("#saves")
        ids = [saves.get_option_at_index(k).id for k in range(saves.option_count)]
        saves.focus()
        saves.highlighted = ids.index(str(tmp_path / "saves" / "broken.json"))
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, StartScreen)  # still here, with a message
        assert any("not a summit save file" in m for m in said), said
        saves = app.screen.query_one("#saves")
        saves.focus()
        saves.highlighted = ids.index(str(good.save_path))
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, TableScreen) and app.game.humans == ["israel"]


@sync
async def test_help_and_command_palette(tmp_path):
    app = make_app(tmp_path, scenario=JERUSALEM, humans=["russia"], seed=7)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("question_mark")
        await pilot.pause()
        assert type(app.screen).__name__ == "HelpScreen"
        await pilot.press("escape")
        await pilot.pause()
        titles = [c.title for c in app.get_system_commands(app.screen)]
        assert {"Continue", "Export transcript", "Help", "New game"} <= set(titles)


# --------------------------------------------------------------------------- saves


def test_game_save_and_load_round_trip(tmp_path):
    game = Game.new(JERUSALEM, 7, ["israel"], tmp_path)
    while not game.model.done:
        turn = game.advance()
        if turn and turn.kind == "offer":
            game.offer(game.last_levels() if any(game.last_levels()) else [1] + [0] * 10, 1)
        elif turn:
            game.answer(turn.actor, game.model.round % 2 == 0)
    loaded = Game.load(game.save_path)
    assert loaded.transcript() == game.transcript()


@pytest.mark.parametrize(
    "content, message",
    [
        ("not json", "not a summit save file"),
        ('{"game": {"seed": 1}}', "not a summit save file"),
        (
            '{"game": {"scenario": "jerusalem-2019", "path": "", "seed": 1, "humans": ["russia"]},'
            ' "decision_log": [{"offer": null, "answers": {"us": true}, "walkouts": []}]}',
            "corrupt save file",
        ),
        (
            '{"game": {"scenario": "jerusalem-2019", "path": "", "seed": 1, "humans": ["nobody"]},'
            ' "decision_log": []}',
            "corrupt save file",
        ),
        (
            '{"game": {"scenario": "jerusalem-2019", "path": "", "seed": 1, "humans": []},'
            ' "decision_log": [1, 2]}',
            "corrupt save file",
        ),
        ("[1, 2]", "not a summit save file"),
    ],
)
def test_bad_save_files_are_one_line_errors(tmp_path, capsys, content, message):
    bad = tmp_path / "bad.json"
    bad.write_text(content)
    assert cli_main(["play", "--resume", str(bad)]) == 2
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1 and "Traceback" not in err


# --------------------------------------------------------------------------- comparison hook


def test_comparison_in_words_and_without_a_batch_engine(monkeypatch):
    import numpy as np

    from summit.tui import compare

    game = Game.new(JERUSALEM, 7, ["russia"])
    game.walk_out(game.advance().actor)  # Russia leaves in round 1
    assert game.advance() is None and game.model.done
    payoff = next(a.payoff for a in game.model.outcome.actors if a.actor == "russia")
    cols = {
        "deal": np.array([True, False, False, False]),
        "russia.payoff": np.array([payoff - 0.1, payoff - 0.1, payoff + 0.1, payoff + 0.2]),
        "iran_presence": np.array([1.0, 1.0, 0.8, 0.6]),
    }
    words = compare.words(game, cols, 4).plain
    assert "4 summits" in words and "a deal in 25% of them" in words
    assert "Russia: payoff" in words and "better than 50%" in words
    assert "Iran's military presence left" in words
    monkeypatch.setitem(sys.modules, "summit.batch", None)  # no batch engine: no section
    assert compare.comparison(game, 10) is None


# ---------------------------------------------------------------------- `summit play` bad input


@pytest.mark.parametrize(
    "argv, message",
    [
        (["play", "no-such-scenario"], "no such scenario"),
        (["play", str(JERUSALEM), "--as", "putin"], "unknown actor 'putin'"),
        (["play", "--as", "russia"], "--as needs a SCENARIO"),
        (["play", "--resume", "/no/such/save.json"], "cannot read save file"),
        (["play", str(JERUSALEM), "--resume", "x.json"], "--resume takes no SCENARIO"),
        (["serve", "--port", "0"], "--port must be between"),
    ],
)
def test_play_bad_input(capsys, argv, message):
    assert cli_main(argv) == 2
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1 and "Traceback" not in err


def test_play_accepts_actor_names(tmp_path, monkeypatch):
    from summit.cli import build_parser
    from summit.commands.play import check_game_arguments

    args = build_parser().parse_args(
        ["play", str(JERUSALEM), "--as", "Russia", "--as", "united states", "--as", "russia"]
    )
    assert check_game_arguments(args)[1] == ["russia", "us"]


# --------------------------------------------------------------------------- `summit serve`


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("localhost", 0))
        return s.getsockname()[1]


def _fetch_when_listening(url: str, attempts: int = 100) -> str:
    """The page at ``url``. textual-serve prints its "Serving" line just before its socket
    listens, so on a loaded machine the first connection may be refused: try again briefly."""
    for _ in range(attempts - 1):
        try:
            with urllib.request.urlopen(url, timeout=10) as reply:
                return reply.read().decode()
        except urllib.error.URLError as error:
            if not isinstance(error.reason, ConnectionRefusedError):
                raise
            time.sleep(0.1)
    with urllib.request.urlopen(url, timeout=10) as reply:
        return reply.read().decode()


def test_serve_answers_on_localhost(tmp_path):
    port = _free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "summit", "serve", "--port", str(port)],
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        # the server says when it listens: wait for that line (a blocking read, no polling)
        serving = next((line for line in proc.stdout if line.startswith("Serving")), None)
        assert serving is not None, "the server stopped before listening"
        assert "-m summit play" in serving
        page = _fetch_when_listening(f"http://localhost:{port}/")
        assert f"ws://localhost:{port}/ws" in page  # where the browser drives `summit play`
    finally:
        proc.kill()
        proc.wait(timeout=10)
