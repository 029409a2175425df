"""Every actor has decisions: Pilot plays each of the six actors of jerusalem-2019 to the end,
making at least one decision of each kind open to it (offers, answers, and the moves of
summit.rules.moves: statements, resistance efforts, side offers and the answers to them)."""

from __future__ import annotations

import pytest
from test_tui import JERUSALEM, SIZE, make_app, settle, sync
from textual.widgets import Static

from summit.tui.screens.briefing import BriefingScreen
from summit.tui.screens.decide import AnswerScreen, ConfirmScreen, HandOverScreen, OfferScreen
from summit.tui.screens.moves import MoveScreen
from summit.tui.screens.outcome import OutcomeScreen
from summit.tui.screens.start import StartScreen
from summit.tui.screens.table import TableScreen

# The kinds of decision each actor has in jerusalem-2019 (docs/scenarios.md, "Moves").
KINDS = {
    "us": {"offer", "answer"},
    "israel": {"offer", "answer"},
    "russia": {"offer", "answer", "side_answer"},
    "iran": {"answer", "statement", "effort", "side"},  # + side_answer when Assad offers land
    "assad": {"statement", "side"},
    "hezbollah": {"answer", "statement", "effort"},
}


async def play_seat(pilot, max_steps: int = 120) -> set[str]:
    """Play the human's turns to the outcome with `p` (play on); returns the kinds decided."""
    app, kinds = pilot.app, set()
    for _ in range(max_steps):
        screen = app.screen
        if isinstance(screen, OutcomeScreen):
            return kinds
        if isinstance(screen, HandOverScreen | BriefingScreen):
            await pilot.press("enter")
        elif isinstance(screen, ConfirmScreen):
            await pilot.press("y")  # yes, propose the status quo
        elif isinstance(screen, MoveScreen):
            kinds.add(screen.kind)
            await pilot.press("enter")  # the first choice: say, resist, offer, take
        elif isinstance(screen, OfferScreen):
            kinds.add("offer")
            await pilot.press("ctrl+s")
        elif isinstance(screen, AnswerScreen):
            kinds.add("answer")
            await pilot.press("r")
        elif isinstance(screen, TableScreen):
            await pilot.press("p")
        await settle(pilot)
    raise AssertionError(f"no outcome after {max_steps} steps")


@pytest.mark.parametrize("actor", list(KINDS))
@sync
async def test_each_actor_plays_to_the_end_with_every_kind_of_decision(tmp_path, actor):
    app = make_app(tmp_path, scenario=JERUSALEM, seed=3, humans=[actor])
    async with app.run_test(size=SIZE) as pilot:
        if isinstance(app.screen, StartScreen):
            await pilot.press("ctrl+s")
        await settle(pilot)
        kinds = await play_seat(pilot)
        log = app.game.model.decision_log
    assert kinds >= KINDS[actor], sorted(KINDS[actor] - kinds)
    logged = {kind for entry in log for kind, made in entry.items() if made and kind != "walkouts"}
    moves = KINDS[actor] & {"statement", "effort", "side", "side_answer"}
    names = {
        "statement": "statements",
        "effort": "efforts",
        "side": "side_offers",
        "side_answer": "side_answers",
    }
    assert {names[k] for k in moves} <= logged


@sync
async def test_p_stops_at_hezbollah_s_first_decision(tmp_path):
    app = make_app(tmp_path, scenario=JERUSALEM, seed=3, humans=["hezbollah"])
    async with app.run_test(size=SIZE) as pilot:
        if isinstance(app.screen, StartScreen):
            await pilot.press("ctrl+s")
        await settle(pilot)
        while isinstance(app.screen, HandOverScreen | BriefingScreen):
            await pilot.press("enter")
            await settle(pilot)
        if isinstance(app.screen, TableScreen):
            await pilot.press("p")
            await settle(pilot)
        assert isinstance(app.screen, MoveScreen) and app.screen.kind == "statement"
        assert not app.game.done and app.game.round == 0
        head = str(app.screen.query_one("#decide-head", Static).render())
        assert head.startswith("Round 1 of 8 · Hezbollah: a public statement, before the round")
