"""Snapshots of the game's main screens at seed 3, at 80x24 and 120x40 (regenerate with
`pytest tests/test_tui_snapshots.py --snapshot-update` after a deliberate change, then look at
the SVGs). The start screen reads a folder holding only the Jerusalem scenario, so scenarios
added later do not change it."""

from __future__ import annotations

import asyncio
import shutil
from pathlib import Path

import pytest
from pytest_textual_snapshot import SVGImageExtension

from summit.tui.app import SummitApp
from summit.tui.screens.decide import AnswerScreen
from summit.tui.screens.moves import MoveScreen

ROOT = Path(__file__).resolve().parent.parent
JERUSALEM = ROOT / "scenarios" / "jerusalem-2019.toml"
SIZE = (120, 40)
SIZES = pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])


@pytest.fixture
def app_for(tmp_path):
    def make(**kwargs) -> SummitApp:
        # seed 3 plays six rounds to a deal (seed 7 breaks down after round 1 since the bargaining
        # rework), so the table and outcome screens have a history to show
        app = SummitApp(save_dir=tmp_path / "saves", seed=3, **kwargs)
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


@SIZES
def test_start_screen_with_what_if_panel(snap_compare, app_for, tmp_path, monkeypatch, size):
    folder = tmp_path / "scenarios"
    folder.mkdir()
    shutil.copy(JERUSALEM, folder)
    monkeypatch.setenv("SUMMIT_SCENARIOS", str(folder))
    assert snap_compare(app_for(), terminal_size=size)


def test_briefing_screen(snap_compare, app_for):
    assert snap_compare(
        app_for(scenario=JERUSALEM, humans=["russia"]), terminal_size=SIZE, run_before=settle
    )


def test_table_watching_shows_everything(snap_compare, app_for):
    async def three_rounds(pilot):
        await pilot.press("ctrl+s")  # watch the AIs
        for _ in range(3):
            await pilot.press("n")
            await settle(pilot)

    assert snap_compare(app_for(scenario=JERUSALEM), terminal_size=SIZE, run_before=three_rounds)


@SIZES
def test_table_as_a_seat_hides_the_others(snap_compare, app_for, size):
    """Israel's seat after round 1: the others' numbers are ranges, '?' and Israel's beliefs."""

    async def one_round(pilot):
        await settle(pilot)
        await pilot.press("enter")  # past the briefing
        await pilot.press("n")  # the US proposes; Israel answers
        await settle(pilot)
        await pilot.press("r")
        await settle(pilot)

    assert snap_compare(
        app_for(scenario=JERUSALEM, humans=["israel"]), terminal_size=size, run_before=one_round
    )


@SIZES
def test_offer_screen(snap_compare, app_for, size):
    """One column below 100 columns; every event of the round in the heading."""

    async def to_the_offer(pilot):
        await settle(pilot)
        await pilot.press("enter")  # past the briefing: the US proposes in round 1
        await settle(pilot)

    assert snap_compare(
        app_for(scenario=JERUSALEM, humans=["us"]), terminal_size=size, run_before=to_the_offer
    )


def test_answer_screen_of_an_actor_away_from_the_table(snap_compare, app_for):
    """Iran judges the deal carried out in full, and the screen says so beside its worth."""

    async def to_the_answer(pilot):
        await settle(pilot)
        await pilot.press("enter")
        await pilot.press("n")
        await settle(pilot)
        while isinstance(pilot.app.screen, MoveScreen):  # Iran's statement first: say it
            await pilot.press("enter")
            await settle(pilot)
        assert isinstance(pilot.app.screen, AnswerScreen)

    assert snap_compare(
        app_for(scenario=JERUSALEM, humans=["iran"]), terminal_size=SIZE, run_before=to_the_answer
    )


def test_walk_out_question_when_your_yes_is_needed(snap_compare, app_for):
    async def walk(pilot):
        await settle(pilot)
        await pilot.press("enter")
        await pilot.press("n")  # the US offers; Russia gives in it
        await settle(pilot)
        await pilot.press("w")
        await pilot.pause()

    assert snap_compare(
        app_for(scenario=JERUSALEM, humans=["russia"]), terminal_size=(80, 24), run_before=walk
    )


def test_outcome_screen(snap_compare, app_for):
    async def to_the_end(pilot):
        await pilot.press("ctrl+s")
        await pilot.press("p")
        await settle(pilot)

    assert snap_compare(app_for(scenario=JERUSALEM), terminal_size=SIZE, run_before=to_the_end)


def test_too_small_terminal(snap_compare, app_for):
    assert snap_compare(app_for(scenario=JERUSALEM), terminal_size=(60, 15), run_before=settle)


# --------------------------------------------------------------- named stages (Harlequin's way)


@pytest.fixture
def stage_snapshot(snapshot):
    """``await shot(pilot, "name")``: the screen now, compared with the stored SVG of that name
    (one app run, several named snapshots as the screen changes)."""
    svg = snapshot.use_extension(SVGImageExtension)

    async def shot(pilot, name: str) -> bool:
        await pilot.pause()
        await pilot.wait_for_scheduled_animations()
        await pilot.pause()
        return svg(name=name) == pilot.app.export_screenshot(simplify=True)

    return shot


def test_composer_stages(stage_snapshot, app_for):
    async def play():
        app = app_for(scenario=JERUSALEM, humans=["us"])
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            await pilot.press("enter")  # past the briefing
            await settle(pilot)
            assert await stage_snapshot(pilot, "opened")
            app.screen.query_one("#issue-0").value = 3  # Iran out of all of Syria
            assert await stage_snapshot(pilot, "after-a-change")  # odds and why it moved
            await pilot.press("ctrl+s")
            await settle(pilot)  # the round is played on
            assert await stage_snapshot(pilot, "proposed")

    asyncio.run(play())
