"""The class server over real sockets on 127.0.0.1, with the server in this process."""

from __future__ import annotations

import asyncio
import contextlib
import json
import re

import pytest
from conftest import JERUSALEM
from test_net_room import private_numbers, public_numbers, skip_moves, summit_run_json
from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed

from summit.net import protocol as P
from summit.net.ai_seat import play
from summit.net.export import jsonl
from summit.net.hosting import open_rooms, rebuild
from summit.net.server import ClassServer
from summit.net.store import Store

SEED = 3  # seed 7 now ends by breakdown in round 1; seed 3 plays all 7 rounds
WAIT = 20.0  # no single step of these tests should take this long
RUNS = 200  # AI-only summits in a test debrief (a class uses 10,000)


@contextlib.asynccontextmanager
async def running(tmp_path, rooms: int = 1, seat_timeout: float = 120.0, skip: bool = True):
    store = Store(tmp_path / "class.sqlite")
    opened = open_rooms(store, str(JERUSALEM), SEED, rooms)
    for room in opened if skip else ():
        skip_moves(room)  # the opening statements by the AI: the room waits for an offer
    server = ClassServer(opened, seat_timeout=seat_timeout, debrief_runs=RUNS)
    port = await server.start("127.0.0.1", 0)
    try:
        yield server, f"ws://127.0.0.1:{port}", opened
    finally:
        await server.stop()
        store.close()


class Raw:
    """A bare client: sends dicts or text, keeps every message it receives."""

    def __init__(self):
        self.seen: list[dict] = []
        self.ws = None
        self._ids = 0

    async def open(self, url: str, code: str) -> dict:
        self.ws = await connect(url)
        await self.ws.send(
            json.dumps({"type": "hello", "version": P.PROTOCOL_VERSION, "code": code})
        )
        return await self.next("welcome", "error")

    async def next(self, *types: str) -> dict:
        async with asyncio.timeout(WAIT):
            while True:
                message = json.loads(await self.ws.recv())
                P.parse_server(json.dumps(message))  # every server message is a protocol model
                self.seen.append(message)
                if message["type"] in types:
                    return message

    async def until_view(self, test) -> dict:
        return await self.until("view", test)

    async def until(self, kind: str, test=lambda m: True) -> dict:
        """The first message of a type (already received or next) that passes ``test``."""
        for message in self.seen:
            if message["type"] == kind and test(message):
                return message
        while True:
            message = await self.next(kind)
            if test(message):
                return message

    async def request(self, message: dict | str) -> dict:
        """Send; the ack or error answering it."""
        self._ids += 1
        if isinstance(message, dict):
            message = json.dumps({**message, "id": self._ids})
        await self.ws.send(message)
        while True:
            reply = await self.next("ack", "error", "preview_result")
            if reply.get("id") in (self._ids, None):
                return reply


def mentions(text: str, number: float) -> bool:
    """Does the number appear in the text as a number of its own (not inside a time stamp)?"""
    return re.search(rf"(?<![\d.]){re.escape(str(number))}(?!\d)", text) is not None


def run(coro):
    return asyncio.run(coro)


def test_six_ai_seats_play_a_full_game_identical_to_summit_run(tmp_path, capsys):
    async def main():
        async with running(tmp_path) as (server, url, rooms):
            seats = await asyncio.wait_for(
                asyncio.gather(*(play(url, code) for code in rooms[0].row.seats.values())), 120
            )
            assert all(s.ended is not None for s in seats)
            assert sum(s.decisions for s in seats) > 6
            return jsonl(rooms[0])

    assert run(main()) == summit_run_json(capsys)


def test_a_seat_that_drops_reconnects_to_the_same_seat(tmp_path):
    async def main():
        async with running(tmp_path) as (server, url, rooms):
            room = rooms[0]
            a = Raw()
            welcome = await a.open(url, room.row.seats["israel"])
            assert welcome["role"] == "seat" and welcome["seat"] == "israel"
            await a.request({"type": "say", "text": "we are here", "to": ["us"]})
            await a.ws.close()
            b = Raw()
            code = room.row.seats["israel"].lower().replace("-", "")  # typed loosely
            welcome = await b.open(url, code)
            history = await b.next("history")
            assert welcome["seat"] == "israel"
            assert [m["text"] for m in history["messages"]] == ["we are here"]
            c = Raw()
            await c.open(url, room.row.seats["israel"])  # a newer connection takes the seat
            with pytest.raises(ConnectionClosed):
                async with asyncio.timeout(WAIT):
                    while True:
                        await b.ws.recv()
            assert b.ws.close_code == 4003
            await c.ws.close()

    run(main())


@pytest.mark.parametrize(
    "text, code",
    [
        ("this is not json", "bad_json"),
        ("[1, 2]", "bad_json"),
        ('{"type": "fly"}', "unknown_type"),
        ('{"type": "answer"}', "invalid"),
        ('{"type": "answer", "accept": true, "extra": 1}', "invalid"),
        ('{"type": "say", "text": "' + "x" * 20_000 + '"}', "too_big"),
        ('{"type": "say", "text": "hi", "to": ["nobody"]}', "invalid"),
        ('{"type": "pause"}', "not_allowed"),
        ('{"type": "hello", "version": 1, "code": "x"}', "invalid"),
        ('{"type": "offer", "levels": {}, "sequencing": "on_promise"}', "not_your_turn"),
    ],
)
def test_a_bad_message_gets_an_error_and_the_connection_stays(tmp_path, text, code):
    async def main():
        async with running(tmp_path) as (server, url, rooms):
            room = rooms[0]
            not_proposer = next(a for a in room.actors if a != room.model.proposer)
            seat = Raw()
            await seat.open(url, room.row.seats[not_proposer])
            reply = await seat.request(text)
            assert reply["type"] == "error" and reply["code"] == code, reply
            assert (await seat.request({"type": "sync"}))["type"] == "ack"
            reply = await seat.request({"type": "say", "text": "still here"})
            assert reply == {"type": "ack", "id": seat._ids, "what": "say"}

    run(main())


def test_a_wrong_code_or_version_is_refused_and_closed(tmp_path):
    async def main():
        async with running(tmp_path) as (server, url, rooms):
            bad = Raw()
            reply = await bad.open(url, "AAAAA-AAAAA")
            assert reply["code"] == "bad_code" and "wrong or expired code" in reply["message"]
            ws = await connect(url)
            await ws.send(json.dumps({"type": "hello", "version": 99, "code": rooms[0].row.watch}))
            assert json.loads(await ws.recv())["code"] == "version"
            with pytest.raises(ConnectionClosed):
                await ws.recv()

    run(main())


def test_a_timer_runs_out_and_the_ai_decides(tmp_path):
    async def main():
        async with running(tmp_path) as (server, url, rooms):
            room = rooms[0]
            proposer = room.model.proposer
            teacher, seat = Raw(), Raw()
            await teacher.open(url, room.row.instructor)
            await seat.open(url, room.row.seats[proposer])
            view = await seat.next("view")
            assert view["your_turn"] == "offer" and view["timer"]["remaining"][proposer] is None
            assert (await teacher.request({"type": "set_timer", "seconds": 0.5}))["type"] == "ack"
            line = await seat.next("event")
            while line["kind"] != "timeout":
                line = await seat.next("event")
            assert line["actor"] == proposer and "the AI made its offer" in line["text"]
            view = await seat.until_view(lambda v: v["phase"] == "answers")
            assert view["your_turn"] is None
            assert room.model.current_offer.by_human is False

    run(main())


def test_an_empty_room_never_stalls(tmp_path):
    async def main():
        async with running(tmp_path, seat_timeout=0.3) as (server, url, rooms):
            watch = Raw()
            await watch.open(url, rooms[0].row.watch)
            await watch.until_view(lambda v: v["round"] >= 2)
            assert any(m["kind"] == "timeout" for m in watch.seen if m["type"] == "event")

    run(main())


def test_pause_inject_and_hand_over_from_the_instructor(tmp_path):
    async def main():
        async with running(tmp_path) as (server, url, rooms):
            room = rooms[0]
            proposer = room.model.proposer
            teacher, seat = Raw(), Raw()
            welcome = await teacher.open(url, room.row.instructor)
            assert welcome["codes"]["seats"] == room.row.seats
            await seat.open(url, room.row.seats[proposer])
            assert (await teacher.request({"type": "pause"}))["type"] == "ack"
            reply = await seat.request({"type": "ai_decide"})
            assert reply["code"] == "paused"
            assert (await seat.until_view(lambda v: v["paused"]))["your_turn"] is None
            reply = await seat.request({"type": "pause"})
            assert reply["code"] == "not_allowed"
            await teacher.request({"type": "resume"})
            news = {
                "text": "Oil prices double",
                "effects": [{"target": "russia.walk_away", "add": 0.05}],
            }
            assert (await teacher.request({"type": "inject", "news": news}))["type"] == "ack"
            reply = await teacher.request({"type": "inject", "event": "nothing-like-it"})
            assert reply["code"] == "invalid" and "no event" in reply["message"]
            message = await seat.next("message")
            assert message["sender"] == "system" and "Oil prices double" in message["text"]
            assert (await teacher.request({"type": "hand_over", "actor": proposer}))[
                "type"
            ] == "ack"
            view = await seat.until_view(lambda v: v["phase"] == "answers")
            assert [s for s in view["roster"] if s["actor"] == proposer][0]["controller"] == "ai"
            await teacher.request({"type": "end_summit"})
            ended = await seat.until("ended")
            assert ended["reason"] == "deadline"
            await teacher.request({"type": "open_debrief"})
            debrief = await seat.until("debrief")
            assert (
                debrief["content"]["rounds"] == []
                and debrief["content"]["outcome"]["deal"] is False
            )
            comparison = debrief["content"]["comparison"]  # against AI-only summits
            assert comparison["ai"]["runs"] == RUNS and comparison["ai"]["seed"] == room.row.seed
            assert [r["room"] for r in comparison["rooms"]] == [room.code]
            assert comparison["rooms"][0]["deal"] is False
            assert set(comparison["side_by_side"]) == set(room.actors)

    run(main())


def test_a_seat_receives_only_its_own_private_values(tmp_path):
    """Every message a seat receives in a whole game, checked for any other actor's values."""

    async def main():
        async with running(tmp_path) as (server, url, rooms):
            room = rooms[0]
            me = "iran"
            seat, teacher, watch = Raw(), Raw(), Raw()
            await seat.open(url, room.row.seats[me])
            await teacher.open(url, room.row.instructor)
            await watch.open(url, room.row.watch)
            us = Raw()
            await us.open(url, room.row.seats["us"])
            await us.request({"type": "say", "text": "secret to Israel", "to": ["israel"]})
            await us.request({"type": "say", "text": "hello everyone"})
            await us.ws.close()
            others = [
                asyncio.create_task(play(url, code))
                for a, code in room.row.seats.items()
                if a != me
            ]
            while not room.done:
                view = await seat.next("view")
                if view["your_turn"]:
                    await seat.request(
                        {"type": "ai_decide", "round": view["round"], "phase": view["phase"]}
                    )
            await seat.until("ended")
            await asyncio.wait_for(asyncio.gather(*others), WAIT)
            await teacher.until("ended")
            await watch.until("ended")
            for reader, actor in ((seat, me), (watch, None)):
                text = json.dumps(reader.seen)
                assert "secret to Israel" not in text and "hello everyone" in text
                for other in room.actors:
                    if other == actor:
                        continue
                    mine = private_numbers(room, actor) if actor else set()
                    public = public_numbers(room)
                    leaked = [
                        x for x in private_numbers(room, other) - mine - public if mentions(text, x)
                    ]
                    assert not leaked, (actor, other, leaked)
            assert "secret to Israel" in json.dumps(teacher.seen)
            welcome = {
                r: next(m for m in r.seen if m["type"] == "welcome") for r in (seat, watch, teacher)
            }
            assert welcome[seat]["seed"] is None and welcome[watch]["seed"] is None
            assert welcome[teacher]["seed"] == room.row.seed
            brief = welcome[seat]["brief"]  # the seat's own drawn values, the seed left out
            k = room.actors.index(me)
            assert brief["actor"] == me and brief["seed"] is None and brief["drawn"]
            assert brief["walk_away"] == pytest.approx(
                float(room.model.state.initial["walk_away"][0, k]), abs=1e-4
            )

    run(main())


def test_preview_values_a_package_for_the_seat_alone_and_private_messages_stay_private(tmp_path):
    async def main():
        async with running(tmp_path) as (server, url, rooms):
            room = rooms[0]
            proposer = room.model.proposer
            seat, other, teacher = Raw(), Raw(), Raw()
            await seat.open(url, room.row.seats[proposer])
            await teacher.open(url, room.row.instructor)
            bystander = next(a for a in room.actors if a != proposer)
            await other.open(url, room.row.seats[bystander])
            levels = {room.spec.issue_ids[0]: 1}
            result = await seat.request(
                {"type": "preview", "levels": levels, "sequencing": "on_promise"}
            )
            assert result["type"] == "preview_result", result
            full = [1] + [0] * (room.spec.n_issues - 1)
            assert result["utility"] == pytest.approx(
                room.model.preview(full, "on_promise")[proposer]
            )
            assert set(result) == {"type", "id", "utility", "aspiration", "walk_away", "odds"}
            assert result["odds"] == {  # the issue promised, at the odds the seat believes
                "0": pytest.approx(room.model.delivery_odds(proposer, full)[0])
            }
            reply = await teacher.request(
                {"type": "say", "text": "a word, privately", "to": [proposer]}
            )
            assert reply["type"] == "ack"
            got = await seat.until("message", lambda m: m["sender"] == "instructor")
            assert got["to"] == [proposer]
            await other.request({"type": "sync"})
            assert "a word, privately" not in json.dumps(other.seen)

    run(main())


def test_a_seat_makes_every_kind_of_move_over_the_socket_and_the_log_replays_it(tmp_path):
    """Iran states, resists and answers side offers itself; the rules check each move, the
    room logs it in SQLite, and a room rebuilt from the file is the same room."""

    async def main():
        async with running(tmp_path, skip=False) as (server, url, rooms):
            room = rooms[0]
            me = "iran"
            seat = Raw()
            await seat.open(url, room.row.seats[me])
            view = await seat.until_view(lambda v: v["your_turn"] == "statement")
            labels = [c["label"] for c in view["choices"]]
            assert labels[-1] == "Say nothing this round" and labels[0].startswith("Say: ")
            bad = await seat.request(
                {"type": "move", "kind": "statement", "value": "no-such-statement"}
            )
            assert bad["type"] == "error" and bad["code"] == "rules"
            wrong = await seat.request({"type": "move", "kind": "side", "value": None})
            assert wrong["code"] == "not_your_turn"
            said = view["choices"][0]["value"]
            ok = await seat.request({"type": "move", "kind": "statement", "value": said})
            assert ok["type"] == "ack" and room.moves.statements[me] == said
            others = [
                asyncio.create_task(play(url, code))
                for a, code in room.row.seats.items()
                if a != me
            ]
            made: set[str] = {"statement"}
            pending = None  # a view that came in while a request waited for its ack
            while not room.done:
                view, pending = pending or await seat.next("view"), None
                kind = view["your_turn"]
                if kind is None or view["paused"]:
                    continue
                stamp = {"round": view["round"], "phase": view["phase"]}
                mark = len(seat.seen)
                if kind == "offer":
                    reply = await seat.request({"type": "ai_decide", **stamp})
                elif kind == "answer":  # its own answer: then the effort it resists with
                    reply = await seat.request({"type": "answer", "accept": False, **stamp})
                else:  # the first option: the AI's own choice where it has one
                    value = view["choices"][0]["value"]
                    reply = await seat.request(
                        {"type": "move", "kind": kind, "value": value, **stamp}
                    )
                    made.add(kind)
                assert reply["type"] == "ack", reply
                later = [m for m in seat.seen[mark:] if m["type"] == "view"]
                pending = later[-1] if later else None
            await asyncio.wait_for(asyncio.gather(*others), WAIT)
            assert {"statement", "effort"} <= made, made
            first = room.model.records[0]
            assert f"statement:{said}" in [e.id for e in first.events]
            assert me in room.header().humans
            log = [r for r in room.store.log(room.code) if r.kind == "move"]
            assert {r.payload["kind"] for r in log} == made and all(r.actor == me for r in log)
            again = rebuild(room.store, room.row, room.spec)
            assert [r.to_dict() for r in again.model.records] == [
                r.to_dict() for r in room.model.records
            ]
            assert again.model.outcome.to_dict() == room.model.outcome.to_dict()

    run(main())
