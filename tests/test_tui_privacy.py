"""A seat sees its own actor's numbers and, of the others, only what its actor believes: never
another actor's drawn or stated private value, on any screen or in its save."""

from __future__ import annotations

import io
import json
import re

from rich.console import Console
from test_tui import JERUSALEM, SIZE, make_app, settle, sync
from textual.widgets import DataTable, Static

from summit.tui.screens.decide import AnswerScreen, OfferScreen
from summit.tui.screens.table import ActorScreen, TableScreen
from summit.tui.sight import HIDDEN, Sight
from summit.tui.widgets import ActorTable, PreviewTable

SEAT = "russia"


def private_values(game, seat: str) -> dict[str, float]:
    """Every other actor's drawn parameters (ties with the seat excepted) and walk-away."""
    out = {}
    for name, value in game.model.header.parameters.items():
        parts = name.split(".")
        owner = parts[1:] if parts[0] == "tie" else parts[:1]
        if seat not in owner:
            out[name] = value
    for aid, agent in game.model.actors_by_id.items():
        if aid != seat:
            out[f"{aid}.walk_away"] = agent.walk_away
    return out


def row_texts(table: DataTable, key: str) -> list[str]:
    return [str(cell) for cell in table.get_row(key)]


def rendered(widget: Static) -> str:
    console = Console(width=200, record=True, file=io.StringIO())
    console.print(widget.content)
    return console.export_text()


RANGE = re.compile(r"^\d\.\d\d–\d\.\d\d$")


def assert_closed(cells: list[str], allowed: set[str]) -> None:
    """Another actor's numbers: '?', '–', a scenario range, or the seat's own belief."""
    for cell in cells:
        assert cell in {HIDDEN, "–", ""} | allowed or RANGE.match(cell), cells


@sync
async def test_a_seat_sees_no_other_actors_private_values(tmp_path):
    app = make_app(tmp_path, scenario=JERUSALEM, humans=[SEAT], seed=3)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter")  # past the briefing
        await settle(pilot)
        game = app.game
        secret = private_values(game, SEAT)
        others = [a for a in game.spec.actor_ids if a != SEAT]
        screens = set()
        for _ in range(16):
            screen = app.screen
            screens.add(type(screen).__name__)
            if isinstance(screen, TableScreen):
                sight = Sight.of_table(game)
                actors = screen.query_one(ActorTable)
                for aid in others:
                    assert_closed(row_texts(actors, aid)[1:], {f"{sight.belief_in(aid):.2f}"})
                for rec in game.model.records:
                    for resp in rec.responses:
                        if resp.actor != SEAT:
                            assert not re.search(r"\d\.\d", sight.reason(resp.actor, resp.reason))
                if game.model.done:
                    break
                await pilot.press("n")
            elif isinstance(screen, OfferScreen | AnswerScreen):
                preview = screen.query_one(PreviewTable)
                for aid in others:
                    assert_closed(row_texts(preview, aid)[1:], set())
                await pilot.press("escape" if isinstance(screen, OfferScreen) else "r")
                if isinstance(screen, OfferScreen):
                    await settle(pilot)
                    await pilot.press("n")
                    await settle(pilot)
                    await pilot.press("ctrl+s")
            else:
                await pilot.press("enter")
            await settle(pilot)
        assert {"TableScreen", "OfferScreen", "AnswerScreen"} <= screens
        app.push_screen(ActorScreen(game, "iran", game.model.records[-1]))
        await pilot.pause()
        text = rendered(app.screen.query_one(Static))
        assert "0.60–1.00" in text  # Iran's strength: the range only
        assert not re.search(r"\d\.\d\d", re.sub(r"\d\.\d\d–\d\.\d\d", "", text))
        round_text = rendered(app.screen_stack[1].query_one("#round-text", Static))
        answers = [line for line in round_text.splitlines() if line[:1] in "✓✗"]
        assert answers and all(
            not re.search(r"\d\.\d\d", line)
            for line in answers
            if not line[2:].startswith("Russia")
        ), answers
    saved = game.save_path.read_text()
    assert json.loads(saved)["game"]["parameters"] == {}
    for name, value in secret.items():
        assert repr(value) not in saved, name


@sync
async def test_watching_the_ais_shows_everything_and_says_so(tmp_path):
    app = make_app(tmp_path, scenario=JERUSALEM, seed=3)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+s")
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        game = app.game
        sight = Sight.of_table(game)
        assert sight.all and "every actor's private numbers are shown" in sight.notice()
        iran = game.model.records[-1].actors[game.spec.actor_ids.index("iran")]
        cells = row_texts(app.screen.query_one(ActorTable), "iran")
        assert cells[5] == f"{iran.walk_away:.2f}"


def test_estimates_come_from_the_scenario_range(tmp_path):
    from summit.tui.game import Game

    game = Game.new(JERUSALEM, 7, ["us"], None)
    sight = Sight(game, "us")
    est = sight.estimate("iran", "strength")  # iran.strength is drawn: its range, not the draw
    drawn = game.model.header.parameters["iran.strength"]
    assert est.low <= drawn <= est.high and est.high > est.low
    assert sight.estimate("iran", "walk_away") is None  # stated in the scenario: private
    us, russia = game.spec.actor_ids.index("us"), game.spec.actor_ids.index("russia")
    assert sight.belief_in("russia") == game.model.state.params["belief"][0, us, russia]
    assert (
        sight.reason("israel", "X carry it (worth 0.61 to it; it holds out for 0.55)")
        == "X carry it"
    )
    assert Sight(game, "israel").open("israel") and not sight.open("israel")


def test_the_board_carries_the_protocol_and_the_words_of_the_game():
    from conftest import ROOT

    from summit import transcript
    from summit.model import SummitModel
    from summit.scenario import load_spec
    from summit.tui.board import Board

    spec = load_spec(ROOT / "scenarios" / "jerusalem-2019-single-text.toml")
    board = Board.of(spec)
    assert board.rules.protocol == "single_text"
    assert Board.from_dict(json.loads(json.dumps(board.to_dict()))) == board
    model = SummitModel(spec, 3)
    model.run()
    record = model.records[0]  # a seat draws the round from the board with the same words
    assert transcript.round_lines(board, record) == transcript.round_lines(spec, record)
    assert "tables the mediator's text" in transcript.round_lines(board, record)[0]
