"""Faults around the game: an unwritable save folder, an autosave that fails mid-game, no
terminal. The game plays on with one clear notice; `summit play` without a terminal is one line."""

from __future__ import annotations

import asyncio
import errno
import io
import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import JERUSALEM

from summit.cli import main as cli_main
from summit.commands.play import check_terminal
from summit.errors import UsageError
from summit.tui.app import SummitApp
from summit.tui.game import Game
from summit.tui.screens.outcome import OutcomeScreen

SIZE = (100, 32)


def unwritable(tmp_path) -> Path:
    """A save folder that cannot be created, even by root: its parent is a file."""
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    return blocker / "saves"


def refuse_saves_after(monkeypatch, good: int) -> list[Path]:
    """Let ``good`` saves through, then fail every write of a save with ENOSPC."""
    real, tried = Path.write_text, []

    def write_text(self, *args, **kwargs):
        if self.suffix == ".tmp":
            tried.append(self)
            if len(tried) > good:
                raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return real(self, *args, **kwargs)

    monkeypatch.setattr(Path, "write_text", write_text)
    return tried


def test_a_save_folder_that_cannot_be_made_turns_autosave_off(tmp_path):
    folder = unwritable(tmp_path)
    game = Game.new(JERUSALEM, 7, [], folder)
    text = game.save_fault
    assert text.startswith(f"Autosave is off: cannot write {folder}/jerusalem-2019-seed7-")
    assert "(a part of the path is not a folder)" in text and "plays on" in text
    game.play_on()
    assert game.model.done  # the whole summit played without a save


def test_an_autosave_that_fails_mid_game_says_so_once(tmp_path, monkeypatch):
    game = Game.new(JERUSALEM, 1, [], tmp_path)  # seed 1 plays all eight rounds
    told: list[str] = []
    game.on_save_fault = told.append
    tried = refuse_saves_after(monkeypatch, good=1)
    game.play_on()
    assert game.model.done and len(game.model.records) > 2
    assert len(told) == 1 and "the disk is full" in told[0] and str(game.save_path) in told[0]
    assert len(tried) == 2  # no retry after the first failure
    assert not list(tmp_path.glob("*.tmp"))  # no half save left behind
    saved = game.save_path.read_text()  # the last good save is still whole
    assert '"decision_log"' in saved


def test_the_app_plays_on_with_an_unwritable_save_folder(tmp_path):
    async def play() -> None:
        app = SummitApp(scenario=JERUSALEM, seed=7, save_dir=unwritable(tmp_path))
        app.autoplay_delay, app.compare_runs = 0, 0
        async with app.run_test(size=SIZE) as pilot:
            await pilot.press("ctrl+s")  # watch the AIs
            await pilot.pause()
            assert app.game is not None, [n.message for n in app._notifications]
            notes = [n for n in app._notifications if n.title == "Autosave off"]
            assert len(notes) == 1 and "Autosave is off: cannot write" in notes[0].message
            assert not [n for n in app._notifications if "Cannot start" in n.title]
            await pilot.press("p")
            await pilot.pause()
            await app.workers.wait_for_complete()
            await pilot.pause()
            assert app.game.model.done and isinstance(app.screen, OutcomeScreen)
            assert len([n for n in app._notifications if n.title == "Autosave off"]) == 1

    asyncio.run(play())


def test_the_app_says_once_when_autosave_fails_mid_game(tmp_path, monkeypatch):
    async def play() -> None:
        app = SummitApp(scenario=JERUSALEM, seed=7, save_dir=tmp_path)
        app.autoplay_delay, app.compare_runs = 0, 0
        async with app.run_test(size=SIZE) as pilot:
            await pilot.press("ctrl+s")
            await pilot.pause()
            refuse_saves_after(monkeypatch, good=0)
            await pilot.press("p")
            await pilot.pause()
            await app.workers.wait_for_complete()
            await pilot.pause()
            assert app.game.model.done and isinstance(app.screen, OutcomeScreen)
            notes = [n.message for n in app._notifications if n.title == "Autosave off"]
            assert len(notes) == 1 and "the disk is full" in notes[0]

    asyncio.run(play())


def test_play_without_a_terminal_is_one_line(capsys, monkeypatch):
    """Input from a file or /dev/null, as from a script or cron."""
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    assert cli_main(["play", str(JERUSALEM), "--as", "russia"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "needs a terminal" in err and "summit run" in err


def test_bad_input_is_said_before_the_missing_terminal(capsys):
    assert cli_main(["play", str(JERUSALEM), "--as", "putin"]) == 2
    assert "unknown actor 'putin'" in capsys.readouterr().err


def test_the_web_driver_needs_no_terminal(monkeypatch):
    """`summit serve` runs `summit play` with TEXTUAL_DRIVER set and pipes for stdin/stdout."""
    monkeypatch.delenv("TEXTUAL_DRIVER", raising=False)
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    with pytest.raises(UsageError):
        check_terminal()
    monkeypatch.setenv("TEXTUAL_DRIVER", "textual.drivers.web_driver:WebDriver")
    check_terminal()  # no error


@pytest.mark.slow
def test_serve_still_plays_without_a_terminal(tmp_path):
    """textual-serve starts `summit play` with pipes, not a terminal: a browser still gets the
    game."""
    aiohttp = pytest.importorskip("aiohttp")
    with socket.socket() as s:
        s.bind(("localhost", 0))
        port = s.getsockname()[1]
    argv = [
        sys.executable,
        "-m",
        "summit",
        "serve",
        str(JERUSALEM),
        "--as",
        "russia",
        "--port",
        str(port),
        "--save-dir",
        str(tmp_path),
    ]
    proc = subprocess.Popen(
        argv, cwd=tmp_path, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )

    async def screen_text() -> str:
        async with aiohttp.ClientSession() as session:
            for _ in range(120):
                try:
                    async with session.get(f"http://localhost:{port}/") as reply:
                        await reply.text()
                        break
                except aiohttp.ClientError:
                    await asyncio.sleep(0.5)
            async with session.ws_connect(f"http://localhost:{port}/ws") as ws:
                await ws.send_str(json.dumps(["resize", {"width": 100, "height": 30}]))
                got, deadline = "", time.monotonic() + 60
                while time.monotonic() < deadline and not ("Briefing" in got or "terminal" in got):
                    try:
                        msg = await asyncio.wait_for(ws.receive(), 5)
                    except TimeoutError:
                        continue
                    if msg.type in (aiohttp.WSMsgType.CLOSED, aiohttp.WSMsgType.ERROR):
                        break
                    if isinstance(msg.data, bytes):  # the app's output comes as binary frames
                        got += msg.data.decode(errors="replace")
                    elif isinstance(msg.data, str):
                        got += msg.data
                return got

    try:
        text = asyncio.run(screen_text())
    finally:
        proc.kill()
        proc.wait(timeout=10)
    assert "Briefing" in text and "needs a terminal" not in text
