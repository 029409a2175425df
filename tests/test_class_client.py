"""The class client through Pilot against an in-process class server on 127.0.0.1: a seat on
the game's own screens (briefing, table, offer, answer, outcome, messages), the instructor
console (roster, every value, controls), the projector (nothing private), the debrief, and
`summit join` bad input."""

from __future__ import annotations

import asyncio
import functools
import io
from argparse import Namespace

import pytest
from rich.console import Console
from test_net_room import skip_moves
from textual.widgets import Input, Select, Static

from summit.errors import UsageError
from summit.net import protocol as P
from summit.net.hosting import open_rooms, rebuild
from summit.net.server import ClassServer
from summit.net.store import Store
from summit.tui.class_app import ClassApp
from summit.tui.remote import RemoteGame, join_main
from summit.tui.screens.briefing import BriefingScreen
from summit.tui.screens.class_console import ConsoleScreen, parse_command
from summit.tui.screens.class_projector import DebriefScreen, ProjectorScreen
from summit.tui.screens.class_seat import CodeScreen, MessagesScreen, parse_say
from summit.tui.screens.decide import AnswerScreen, OfferScreen
from summit.tui.screens.moves import MoveScreen
from summit.tui.screens.outcome import OutcomeScreen
from summit.tui.screens.table import TableScreen

SIZE = (120, 40)
ACTORS = ["us", "israel", "russia", "iran", "assad", "hezbollah"]


def sync(test):
    @functools.wraps(test)
    def run(*args, **kwargs):
        asyncio.run(test(*args, **kwargs))

    return run


class Class:
    """One room of jerusalem-2019 (seed 7) served on a free loopback port."""

    def __init__(self, tmp_path, skip: bool = True):
        self.store = Store(tmp_path / "class.sqlite")
        self.room = open_rooms(self.store, "jerusalem-2019", 3, 1)[0]
        if skip:
            skip_moves(self.room)  # the opening statements by the AI: round 1's offer is due
        self.server = ClassServer([self.room], seat_timeout=600, debrief_runs=200)

    async def __aenter__(self):
        port = await self.server.start("127.0.0.1", 0)
        self.url = f"ws://127.0.0.1:{port}"
        return self

    async def __aexit__(self, *exc):
        await self.server.stop()
        self.store.close()

    def code(self, who: str) -> str:
        row = self.room.row
        return {"instructor": row.instructor, "watch": row.watch}.get(who) or row.seats[who]


async def on_screen(pilot, app, kind, selector: str, seconds: float = 15.0) -> None:
    """Wait for a screen of ``kind`` whose ``selector`` is mounted, then let it settle."""
    await until(
        pilot, lambda: isinstance(app.screen, kind) and bool(app.screen.query(selector)), seconds
    )
    await pilot.pause(0.2)


async def until(pilot, condition, seconds: float = 15.0) -> None:
    """Let the app and the server run until ``condition()`` holds (bounded)."""
    for _ in range(int(seconds / 0.05)):
        if condition():
            return
        await pilot.pause(0.05)
    raise AssertionError("timed out waiting for the room")


def text_of(app, selector: str) -> str:
    """What a Static shows, as plain text (Text or a rich Table)."""
    found = app.screen.query(selector)
    if not found:  # the screen is still being composed
        return ""
    content = found.first(Static).content
    console = Console(width=160, record=True, file=io.StringIO())
    console.print(content)
    return console.export_text()


def rendered_all(app, selector: str) -> str:
    """Every Static under ``selector``, as plain text."""
    console = Console(width=160, record=True, file=io.StringIO())
    for found in app.screen.query(selector):
        console.print(found.content)
    return console.export_text()


@sync
async def test_seat_sees_its_brief_then_makes_an_offer(tmp_path):
    async with Class(tmp_path) as c:
        app = ClassApp(RemoteGame(c.url, c.code("us")))
        async with app.run_test(size=SIZE) as pilot:
            await on_screen(pilot, app, BriefingScreen, "#briefing")
            brief = text_of(app, "#briefing Static")
            assert "You play United States" in brief and "Only you know" in brief
            assert "seed" not in brief  # the seat is not told the seed
            assert c.room.spec.scenario.actor("us").private.split()[0] in brief
            assert c.room.spec.scenario.actor("russia").private not in brief
            await pilot.press("enter")  # the US proposes round 1: the game's offer screen opens
            await on_screen(pilot, app, OfferScreen, "#sequencing")
            ids = c.room.spec.issue_ids
            app.screen.query_one(f"#issue-{ids.index('assad_legitimacy')}", Select).value = 1
            await until(pilot, lambda: "Why it moved" in text_of(app, "#hint"))  # server valued it
            app.screen.query_one(f"#issue-{ids.index('iran_withdrawal')}", Select).value = 1
            await until(pilot, lambda: "Iranian withdrawal" in text_of(app, "#hint"))
            await pilot.press("ctrl+s")
            await until(pilot, lambda: c.room.model.phase != "offer")
            offer = c.room.model.current_offer
            assert offer.proposer == "us" and offer.by_human
            assert offer.levels["assad_legitimacy"] == 1 and offer.levels["iran_withdrawal"] == 1
            await until(pilot, lambda: isinstance(app.screen, TableScreen))
            await until(pilot, lambda: "waiting for answers" in text_of(app, "#status"))


@sync
async def test_a_seat_makes_its_statement_on_the_games_move_screen(tmp_path):
    async with Class(tmp_path, skip=False) as c:
        app = ClassApp(RemoteGame(c.url, c.code("iran")))
        async with app.run_test(size=SIZE) as pilot:
            await on_screen(pilot, app, BriefingScreen, "#briefing")
            await pilot.press("enter")  # a statement is due before round 1: the move screen
            await on_screen(pilot, app, MoveScreen, "#move-options")
            options = app.screen.query_one("#move-options")
            first = c.room.moves.choices(c.room, "statement", "iran")[0]
            assert str(options.get_option_at_index(0).prompt) == first.label
            await pilot.press("enter")
            await until(pilot, lambda: "iran" in c.room.moves.statements)
            assert c.room.moves.statements["iran"] == first.value
            assert [r.kind for r in c.store.log(c.room.code)][-1] == "move"
            await until(pilot, lambda: isinstance(app.screen, TableScreen))


@sync
async def test_a_decision_screen_closes_when_the_time_runs_out(tmp_path):
    async with Class(tmp_path) as c:
        app = ClassApp(RemoteGame(c.url, c.code("us")))
        instructor = RemoteGame(c.url, c.code("instructor"))
        async with app.run_test(size=SIZE) as pilot:
            await on_screen(pilot, app, BriefingScreen, "#briefing")
            await pilot.press("enter")
            await on_screen(pilot, app, OfferScreen, "#sequencing")
            runner = asyncio.create_task(instructor.run())
            await until(pilot, lambda: instructor.view is not None)
            assert (await instructor.instruct(P.SetTimer(seconds=0.5))).type == "ack"
            await until(pilot, lambda: c.room.model.phase != "offer")  # the AI made the offer
            assert not c.room.model.current_offer.by_human
            await until(pilot, lambda: isinstance(app.screen, TableScreen))
            assert app.turn is None
            runner.cancel()


@sync
async def test_seat_answers_the_offer_on_the_table(tmp_path):
    async with Class(tmp_path) as c:
        app = ClassApp(RemoteGame(c.url, c.code("russia")))
        proposer = RemoteGame(c.url, c.code("us"))
        async with app.run_test(size=SIZE) as pilot:
            await on_screen(pilot, app, BriefingScreen, "#briefing")
            await pilot.press("enter")
            runner = asyncio.create_task(proposer.run())
            await until(pilot, lambda: proposer.your_turn() == "offer")
            levels = {i: 0 for i in c.room.spec.issue_ids} | {"air_defence_denial": 1}
            assert (await proposer.offer(levels, "on_promise")).type == "ack"
            await on_screen(pilot, app, AnswerScreen, "#later")  # Russia gives it
            await until(pilot, lambda: "To you it is worth" in text_of(app, "#stance"))
            offer = rendered_all(app, "#answer Static")
            assert "Offer by United States" in offer
            assert "advanced air defence" not in offer  # level 1 only
            mine = c.room.model.actors_by_id["russia"].walk_away
            assert f"walk away at {mine:.2f}" in text_of(app, "#stance")
            await pilot.press("a")
            await until(
                pilot,
                lambda: (
                    c.room.answers.get("russia") is True
                    or any(
                        r.actor == "russia" and r.by_human
                        for rec in c.room.model.records
                        for r in rec.responses
                    )
                ),
            )
            runner.cancel()


@sync
async def test_a_seat_screen_draws_no_other_actors_private_values(tmp_path):
    async with Class(tmp_path) as c:
        app = ClassApp(RemoteGame(c.url, c.code("iran")), auto_open=False)
        proposer = RemoteGame(c.url, c.code("us"))
        async with app.run_test(size=SIZE) as pilot:
            await on_screen(pilot, app, BriefingScreen, "#briefing")
            await pilot.press("enter")
            runner = asyncio.create_task(proposer.run())
            await until(pilot, lambda: proposer.your_turn() == "offer")
            levels = {i: 0 for i in c.room.spec.issue_ids} | {"iran_withdrawal": 2}
            assert (await proposer.offer(levels, "on_promise")).type == "ack"
            await until(
                pilot, lambda: app.game.view is not None and app.game.view.phase == "answers"
            )
            await on_screen(pilot, app, TableScreen, "#actors")
            assert app.game.view.private["actor"] == "iran"
            table = app.screen.query_one("#actors")
            rows = {a: " ".join(map(str, table.get_row(a))) for a in ACTORS}
            mine = c.room.model.actors_by_id["iran"].walk_away
            assert f"{mine:.2f}" in rows["iran"]
            for other in ("us", "israel", "russia", "assad", "hezbollah"):
                walk = c.room.model.actors_by_id[other].walk_away
                assert f"{walk:.2f}" not in rows[other]  # the range, never the drawn value
                belief = app.game.view.private["beliefs"][other]
                assert f"{belief:.2f}" in rows[other]  # what Iran believes of it is Iran's own
            # the room moves on at the server: a seat's table offers no "play on"
            assert app.screen.check_action("play_on", ()) is False
            assert app.screen.check_action("next", ()) is True
            runner.cancel()


@sync
async def test_seat_messages_public_and_private(tmp_path):
    async with Class(tmp_path) as c:
        app = ClassApp(RemoteGame(c.url, c.code("russia")), auto_open=False)
        async with app.run_test(size=SIZE) as pilot:
            await on_screen(pilot, app, BriefingScreen, "#briefing")
            await pilot.press("enter")
            await on_screen(pilot, app, TableScreen, "#actors")
            await pilot.press("m")
            await on_screen(pilot, app, MessagesScreen, "#say")
            say = app.screen.query_one("#say", Input)
            say.value = "@iran Hold the line in Aleppo."
            await say.action_submit()
            say.value = "Russia will be constructive."
            await say.action_submit()
            await until(pilot, lambda: len(c.room.messages) == 2)
            assert c.room.messages[0]["to"] == ["iran"] and c.room.messages[1]["to"] == []
            await until(pilot, lambda: "constructive" in text_of(app, "#messages"))
            assert "Iran: Hold the line" in text_of(app, "#messages")


@sync
async def test_console_sees_everything_and_controls_the_room(tmp_path):
    async with Class(tmp_path) as c:
        app = ClassApp(RemoteGame(c.url, c.code("instructor")))
        async with app.run_test(size=SIZE) as pilot:
            await on_screen(pilot, app, ConsoleScreen, "#command")
            await until(pilot, lambda: "Hezbollah" in text_of(app, "#values"))
            values = text_of(app, "#values")
            for name in ("United States", "Israel", "Russia", "Iran", "Assad regime", "Hezbollah"):
                assert name in values and name in text_of(app, "#roster")
            line = app.screen.query_one("#command", Input)
            for command, done in [
                ("pause", lambda: c.room.paused),
                ("resume", lambda: not c.room.paused),
                ("timer 90", lambda: c.room.per_decision == 90),
                ("ai russia", lambda: c.room.controllers["russia"] == "ai"),
                ("team russia", lambda: c.room.controllers["russia"] == "team"),
                (
                    "say @us A word in private.",
                    lambda: any(m["to"] == ["us"] for m in c.room.messages),
                ),
            ]:
                line.value = command
                await line.action_submit()
                await until(pilot, done)
            await until(pilot, lambda: "A word in private" in text_of(app, "#messages"))
            line.value = "inject no-such-event"  # refused by the server: a notification
            await line.action_submit()
            await until(pilot, lambda: app.game.last_error is not None)
            assert "no-such-event" in app.game.last_error.message


@sync
async def test_a_seats_decision_shows_on_the_console(tmp_path):
    async with Class(tmp_path) as c:
        console = ClassApp(RemoteGame(c.url, c.code("instructor")))
        seat = RemoteGame(c.url, c.code("us"))
        async with console.run_test(size=SIZE) as pilot:
            await until(pilot, lambda: isinstance(console.screen, ConsoleScreen))
            runner = asyncio.create_task(seat.run())
            await until(pilot, lambda: seat.your_turn() == "offer")
            levels = {i: 0 for i in c.room.spec.issue_ids} | {"sanctions_relief": 1}
            reply = await seat.offer(levels, "on_promise")
            assert reply.type == "ack"
            await until(pilot, lambda: "United States offers" in text_of(console, "#table"))
            runner.cancel()


@sync
async def test_projector_shows_nothing_private(tmp_path):
    async with Class(tmp_path) as c:
        app = ClassApp(RemoteGame(c.url, c.code("watch")))
        async with app.run_test(size=SIZE) as pilot:
            await until(pilot, lambda: isinstance(app.screen, ProjectorScreen))
            c.room.submit("say", "us", {"text": "Secret to Israel.", "to": ["israel"]})
            c.room.submit("say", "us", {"text": "Iran must leave Syria.", "to": []})
            c.server._broadcast(c.room, [{"message": m} for m in c.room.messages])
            await until(pilot, lambda: "Iran must leave" in text_of(app, "#messages"))
            assert "Secret" not in text_of(app, "#messages")
            assert app.game.view.private == {}
            assert all(not m.to for m in app.game.messages)


@sync
async def test_debrief_opens_for_a_seat_with_the_comparison(tmp_path):
    async with Class(tmp_path) as c:
        ClassApp.debrief_runs = 200
        app = ClassApp(RemoteGame(c.url, c.code("iran")), auto_open=False)
        instructor = RemoteGame(c.url, c.code("instructor"))
        try:
            async with app.run_test(size=SIZE) as pilot:
                await on_screen(pilot, app, BriefingScreen, "#briefing")
                await pilot.press("enter")
                runner = asyncio.create_task(instructor.run())
                await until(pilot, lambda: instructor.view is not None)
                c.room.submit(
                    "say", "us", {"text": "Between us: no money first.", "to": ["israel"]}
                )
                assert "Between us" not in text_of(app, "#round-text")
                assert (await instructor.instruct(P.EndSummit())).type == "ack"
                await until(pilot, lambda: isinstance(app.screen, OutcomeScreen))
                await until(pilot, lambda: "No deal" in text_of(app, "#headline"))
                assert (await instructor.instruct(P.OpenDebrief())).type == "ack"
                await until(pilot, lambda: isinstance(app.screen, DebriefScreen))
                await until(pilot, lambda: "Scores side by side" in app.screen.text(), 60)
                assert "The AIs alone, 200 summits" in app.screen.text()
                assert "United States to Israel: Between us: no money first." in app.screen.text()
                runner.cancel()
        finally:
            ClassApp.debrief_runs = 10_000


@sync
async def test_seat_reconnects_by_itself_when_the_server_restarts(tmp_path):
    async with Class(tmp_path) as c:
        port = int(c.url.rsplit(":", 1)[1])
        app = ClassApp(RemoteGame(c.url, c.code("us")), auto_open=False)
        async with app.run_test(size=SIZE) as pilot:
            await on_screen(pilot, app, BriefingScreen, "#briefing")
            await pilot.press("enter")
            await until(pilot, lambda: app.game.your_turn() == "offer")
            await c.server.stop()  # the server goes away mid-round
            await until(pilot, lambda: "reconnecting" in text_of(app, "#status"))
            assert not app.game.connected
            room = rebuild(c.store, c.room.row, c.room.spec)  # started again on the same file
            c.server = ClassServer([room], seat_timeout=600, debrief_runs=200)
            await c.server.start("127.0.0.1", port)
            await until(pilot, lambda: app.game.connected and app.game.link.reconnects >= 1, 20)
            await until(pilot, lambda: app.game.your_turn() == "offer")
            levels = {i: 0 for i in room.spec.issue_ids} | {"crimea": 1}
            reply = await app.game.offer(levels, "on_promise")
            assert reply.type == "ack" and room.model.current_offer.levels["crimea"] == 1


@sync
async def test_join_page_asks_for_a_code_until_one_fits(tmp_path):
    async with Class(tmp_path) as c:
        app = ClassApp(None, url=c.url)
        async with app.run_test(size=SIZE) as pilot:
            await on_screen(pilot, app, CodeScreen, "#code")
            box = app.screen.query_one("#code", Input)
            box.value = "WRONG-CODE1"
            await box.action_submit()
            await on_screen(pilot, app, CodeScreen, "#problem")
            assert "wrong or expired code" in text_of(app, "#problem")
            box = app.screen.query_one("#code", Input)
            box.value = c.code("watch")
            await box.action_submit()
            await until(pilot, lambda: isinstance(app.screen, ProjectorScreen))


def test_parse_say_and_commands():
    assert parse_say("@russia,iran hello there", ACTORS) == ("hello there", ["russia", "iran"])
    assert parse_say("hello", ACTORS) == ("hello", [])
    with pytest.raises(ValueError, match="no one called 'hamas'"):
        parse_say("@hamas hi", ACTORS)
    assert parse_command("timer 180", ACTORS) == P.SetTimer(seconds=180)
    assert parse_command("timer off", ACTORS) == P.SetTimer(seconds=None)
    assert parse_command("extend 60 russia", ACTORS) == P.ExtendTimer(seconds=60, actor="russia")
    assert parse_command("ai Iran", ACTORS) == P.HandOver(actor="iran", ai=True)
    assert parse_command("news Iran moves air defence to T-4", ACTORS).news.text.startswith("Iran")
    for bad, message in [
        ("timer -5", "more than 0"),
        ("timer soon", "not a number"),
        ("ai hamas", "no actor 'hamas'"),
        ("dance", "unknown command"),
    ]:
        with pytest.raises(ValueError, match=message):
            parse_command(bad, ACTORS)


def test_join_an_unreachable_server_is_one_line(unused_port):
    with pytest.raises(UsageError, match="cannot reach the class server"):
        join_main(Namespace(url=f"ws://127.0.0.1:{unused_port}", code="AAAAA-BBBBB"))


@pytest.fixture
def unused_port():
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_serve_join_runs_the_class_client_in_each_tab():
    from summit.commands.serve import join_command

    args = Namespace(
        scenario=None,
        humans=[],
        seed=None,
        save_dir=None,
        join=["ws://127.0.0.1:8765", "AB12C-DE34F"],
    )
    assert join_command(args).endswith("-m summit join ws://127.0.0.1:8765 AB12C-DE34F")
    args.join = ["ws://127.0.0.1:8765"]
    assert join_command(args).endswith("-m summit.tui.class_app ws://127.0.0.1:8765")


@pytest.mark.parametrize(
    "argv, message",
    [
        (
            ["--join", "http://127.0.0.1:8765", "CODE"],
            "--join http://127.0.0.1:8765: the server's address",
        ),
        (["--join", "ws://h:1", "A", "B"], "--join takes URL and at most one CODE (got 3 values)"),
        (["jerusalem-2019", "--join", "ws://h:1", "A"], "--join takes no SCENARIO, --as, --seed"),
    ],
)
def test_serve_join_bad_input(argv, message, capsys):
    from summit.cli import main

    assert main(["serve", *argv]) == 2
    err = capsys.readouterr().err
    assert message in err and len(err.strip().splitlines()) == 1


def test_round_text_shows_reasons_only_where_the_view_has_them():
    from summit.tui.screens.class_views import round_text

    class Names:
        def name(self, actor):
            return actor.title()

    record = {
        "round": 2,
        "proposer": "us",
        "events": [{"text": "Strikes near T-4."}],
        "deal": False,
        "offer": {
            "proposer": "us",
            "sequencing": "on_promise",
            "terms": [{"giver": "russia", "text": "refuse Iran the S-400"}],
        },
        "responses": [
            {"actor": "us", "role": "proposes", "decision": "accept"},
            {"actor": "iran", "role": "affected", "decision": "resist"},
            {
                "actor": "russia",
                "role": "commits",
                "decision": "accept",
                "reason": "worth 0.61 to it; it walks away at 0.45",
            },
        ],
        "walkouts": ["israel"],
    }
    assert round_text(Names(), record).plain.splitlines() == [
        "Round 2 · Us proposes",
        "  News: Strikes near T-4.",
        "Us offers (on promise):",
        "  Russia: refuse Iran the S-400",
        "  Iran resist",
        "  Russia accept: worth 0.61 to it; it walks away at 0.45",
        "  Israel walks out",
    ]
