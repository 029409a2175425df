"""Snapshots of the game's main screens at seed 7, 100x32 (regenerate with
`pytest tests/test_tui_snapshots.py --snapshot-update` after a deliberate change, then look at
the SVGs). The start screen reads a folder holding only the Jerusalem scenario, so scenarios
added later do not change it."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from summit.tui.app import SummitApp

ROOT = Path(__file__).resolve().parent.parent
JERUSALEM = ROOT / "scenarios" / "jerusalem-2019.toml"
SIZE = (100, 32)


@pytest.fixture
def app_for(tmp_path):
    def make(**kwargs) -> SummitApp:
        app = SummitApp(save_dir=tmp_path / "saves", seed=7, **kwargs)
        app.autoplay_delay = 0
        app.compare_runs = 0
        return app
    return make


async def settle(pilot) -> None:
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    pilot.app.clear_notifications()  # the autosave toast names a file with the time in it
    await pilot.pause()


def test_start_screen(snap_compare, app_for, tmp_path, monkeypatch):
    folder = tmp_path / "scenarios"
    folder.mkdir()
    shutil.copy(JERUSALEM, folder)
    monkeypatch.setenv("SUMMIT_SCENARIOS", str(folder))
    assert snap_compare(app_for(), terminal_size=SIZE)


def test_briefing_screen(snap_compare, app_for):
    assert snap_compare(app_for(scenario=JERUSALEM, humans=["russia"]), terminal_size=SIZE, run_before=settle)


def test_table_screen(snap_compare, app_for):
    async def three_rounds(pilot):
        await pilot.press("ctrl+s")          # watch the AIs
        for _ in range(3):
            await pilot.press("n")
            await settle(pilot)
    assert snap_compare(app_for(scenario=JERUSALEM), terminal_size=SIZE, run_before=three_rounds)


def test_offer_screen(snap_compare, app_for):
    async def to_the_offer(pilot):
        await settle(pilot)
        await pilot.press("enter")           # past the briefing: the US proposes in round 1
        await settle(pilot)
    assert snap_compare(app_for(scenario=JERUSALEM, humans=["us"]), terminal_size=SIZE, run_before=to_the_offer)


def test_outcome_screen(snap_compare, app_for):
    async def to_the_end(pilot):
        await pilot.press("ctrl+s")
        await pilot.press("p")
        await settle(pilot)
    assert snap_compare(app_for(scenario=JERUSALEM), terminal_size=SIZE, run_before=to_the_end)


def test_table_at_80x24(snap_compare, app_for):
    async def two_rounds(pilot):
        await pilot.press("ctrl+s")
        for _ in range(2):
            await pilot.press("n")
            await settle(pilot)
    assert snap_compare(app_for(scenario=JERUSALEM), terminal_size=(80, 24), run_before=two_rounds)
