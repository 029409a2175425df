"""The class server: one websockets server, many rooms, one asyncio loop.

A client's first message is ``hello`` with its code; the code says which room and which role
(a seat, the instructor, the watch). Every later message is checked (size, JSON, type, the
role's rights, the rules through the room) and answered with ``ack`` or ``error``; the
connection stays open after an error. Each change to a room is committed to SQLite before the
ack, then every reader of the room gets the view computed for it.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import time
import traceback
from dataclasses import dataclass, field

from pydantic import ValidationError
from websockets.asyncio.server import Server, ServerConnection, serve
from websockets.exceptions import ConnectionClosed

from summit.net import protocol as P
from summit.net import views
from summit.net.clock import RoomClock
from summit.net.codes import normalise
from summit.net.room import INSTRUCTOR, Refused, Room

HELLO_TIMEOUT = 30.0
TICK = 0.2  # how often deadlines are checked (s)
FRAME_LIMIT = 1 << 20  # the library closes a connection on frames over 1 MiB
OUTBOX_LIMIT = 2000  # a client this far behind is disconnected
CLIENT_TYPES = {"hello", "say", "sync", *P.SEAT_REQUESTS, *P.INSTRUCTOR_REQUESTS}


@dataclass(eq=False)
class Client:
    ws: ServerConnection
    room: Room
    role: str
    actor: str | None
    kind: str = ""
    outbox: asyncio.Queue = field(default_factory=asyncio.Queue)

    def send(self, message: P._Out | str) -> None:
        if self.outbox.qsize() > OUTBOX_LIMIT:  # not reading: drop it (it may reconnect)
            asyncio.ensure_future(self.ws.close(4008, "too far behind"))
            return
        self.outbox.put_nowait(message if isinstance(message, str) else P.dump(message))


class ClassServer:
    def __init__(
        self, rooms: list[Room], seat_timeout: float = 120.0, debrief_runs: int | None = None
    ):
        self.rooms = {r.code: r for r in rooms}
        self.codes: dict[str, tuple[Room, str, str | None]] = {}
        for room in rooms:
            self.codes[room.row.instructor] = (room, "instructor", None)
            self.codes[room.row.watch] = (room, "watch", None)
            for actor, code in room.row.seats.items():
                self.codes[code] = (room, "seat", actor)
        self.clients: dict[str, set[Client]] = {code: set() for code in self.rooms}
        self.seats: dict[tuple[str, str], Client] = {}
        self.last_seen: dict[tuple[str, str], float] = {}
        self.clocks = {code: RoomClock(seat_timeout) for code in self.rooms}
        self.server: Server | None = None
        self._debriefs: dict[str, tuple[tuple, P.Debrief]] = {}
        self.debrief_runs = debrief_runs  # AI-only summits the debrief compares with
        self._sample: dict | None = None  # made once per class, in a thread
        self._comparison: tuple[tuple, dict | None] | None = None
        self._comparing: asyncio.Task | None = None
        self._ticker: asyncio.Task | None = None
        for room in rooms:
            self._refresh_clock(room)

    # ------------------------------------------------------------------ life
    async def start(self, host: str, port: int) -> int:
        """Listen; returns the port (useful with port 0)."""
        self.server = await serve(
            self.handle,
            host,
            port,
            max_size=FRAME_LIMIT,
            compression=None,
            ping_interval=20,
            ping_timeout=20,
        )
        self._ticker = asyncio.create_task(self._tick())
        return self.server.sockets[0].getsockname()[1]

    async def stop(self) -> None:
        if self._ticker:
            self._ticker.cancel()
        if self.server:
            self.server.close()
            await self.server.wait_closed()

    # ------------------------------------------------------------------ connections
    async def handle(self, ws: ServerConnection) -> None:
        client = await self._greet(ws)
        if client is None:
            return
        writer = asyncio.create_task(self._write(client))
        try:
            async for text in ws:
                self._receive(client, text)
        except ConnectionClosed:
            pass
        finally:
            writer.cancel()
            self._leave(client)

    async def _greet(self, ws: ServerConnection) -> Client | None:
        try:
            text = await asyncio.wait_for(ws.recv(), HELLO_TIMEOUT)
        except (TimeoutError, ConnectionClosed):
            return None
        try:
            hello = P.parse_client(text)
            if not isinstance(hello, P.Hello):
                raise ValueError("the first message must be hello")
        except (ValidationError, ValueError) as err:
            await self._refuse(ws, "invalid", f"bad hello: {_first_error(err)}", 4000)
            return None
        if hello.version != P.PROTOCOL_VERSION:
            await self._refuse(
                ws,
                "version",
                f"this server speaks protocol {P.PROTOCOL_VERSION}, "
                f"the client {hello.version}: use the same summit version",
                4002,
            )
            return None
        found = self.codes.get(normalise(hello.code))
        if found is None:
            await self._refuse(
                ws,
                "bad_code",
                f"no seat, instructor or watch code '{hello.code}' "
                "on this server (wrong or expired code)",
                4001,
            )
            return None
        room, role, actor = found
        client = Client(ws, room, role, actor, hello.client)
        if actor is not None:
            old = self.seats.get((room.code, actor))
            if old is not None:  # a reconnect: the newer connection takes the seat
                asyncio.ensure_future(
                    old.ws.close(4003, "the seat was taken by a newer connection")
                )
            self.seats[(room.code, actor)] = client
            self.last_seen[(room.code, actor)] = time.time()
        self.clients[room.code].add(client)
        self._refresh_clock(room)
        client.send(P.Ack(id=hello.id, what="hello"))
        self._sync(client)
        self._broadcast(room, [], skip=client)
        return client

    async def _refuse(self, ws: ServerConnection, code: str, message: str, close: int) -> None:
        with contextlib.suppress(ConnectionClosed):
            await ws.send(P.dump(P.Error(code=code, message=message)))
            await ws.close(close, code)

    async def _write(self, client: Client) -> None:
        with contextlib.suppress(ConnectionClosed):
            while True:
                await client.ws.send(await client.outbox.get())

    def _leave(self, client: Client) -> None:
        room = client.room
        self.clients[room.code].discard(client)
        if client.actor is not None:
            key = (room.code, client.actor)
            self.last_seen[key] = time.time()
            if self.seats.get(key) is client:
                del self.seats[key]
                self._refresh_clock(room)
                self._broadcast(room, [])

    # ------------------------------------------------------------------ requests
    def _receive(self, client: Client, text: str | bytes) -> None:
        if client.actor is not None:
            self.last_seen[(client.room.code, client.actor)] = time.time()
        request_id = None
        try:
            if len(text) > P.MAX_MESSAGE_CHARS:
                raise Refused(
                    "too_big", f"a message may have at most {P.MAX_MESSAGE_CHARS} characters"
                )
            try:
                raw = json.loads(text)
            except (ValueError, UnicodeDecodeError):
                raise Refused("bad_json", "a message is one JSON object") from None
            if not isinstance(raw, dict):
                raise Refused("bad_json", "a message is one JSON object")
            request_id = raw.get("id") if isinstance(raw.get("id"), int) else None
            if raw.get("type") not in CLIENT_TYPES:
                raise Refused("unknown_type", f"unknown message type {raw.get('type')!r}")
            try:
                request = P.parse_client(text)
            except ValidationError as err:
                raise Refused("invalid", f"{raw['type']}: {_first_error(err)}") from None
            self._dispatch(client, request)
        except Refused as err:
            client.send(P.Error(id=request_id, code=err.code, message=str(err)))
        except Exception as err:  # a server bug: say so, keep the connection and the room
            traceback.print_exc()
            client.send(P.Error(id=request_id, code="server", message=f"server error: {err}"))

    def _dispatch(self, client: Client, request) -> None:
        kind = request.type
        if kind == "hello":
            raise Refused("invalid", "this connection has already said hello")
        if kind == "sync":
            client.send(P.Ack(id=request.id, what="sync"))
            return self._sync(client)
        if kind == "preview":
            return self._preview(client, request)
        if kind in P.SEAT_REQUESTS and client.role != "seat":
            raise Refused("not_allowed", f"only a seat can send '{kind}'")
        if kind in INSTRUCTOR and client.role != "instructor":
            raise Refused("not_allowed", f"only the instructor can send '{kind}'")
        payload = request.model_dump(exclude={"id", "type"}, exclude_none=True)
        if kind == "say":
            self._check_say(client, request)
            payload = {"text": request.text, "to": sorted(set(request.to))}
        actor = client.actor if client.role == "seat" else client.role
        self._submit(client.room, kind, actor, payload)
        client.send(P.Ack(id=request.id, what=kind))

    def _check_say(self, client: Client, request: P.Say) -> None:
        if client.role == "watch":
            raise Refused("not_allowed", "the watch screen cannot send messages")
        allowed = set(client.room.actors) | {"instructor"}
        bad = [t for t in request.to if t not in allowed]
        if bad:
            raise Refused(
                "invalid",
                f"no one called '{bad[0]}' to write to (actors: "
                f"{', '.join(client.room.actors)}, or instructor)",
            )

    def _submit(self, room: Room, kind: str, actor: str | None, payload: dict) -> None:
        """Apply one input (committed before this returns), move the clock, tell everyone."""
        if kind in ("offer", "answer", "walk_out", "move", "ai_decide", "timeout"):
            payload = {k: v for k, v in payload.items() if k != "id"}
        room.submit(kind, actor, payload)
        now = time.time()
        clock = self.clocks[room.code]
        if kind == "set_timer":
            clock.set_all(
                room.due(), room.model.round, room.model.phase, room.per_decision, now, room.paused
            )
        elif kind == "extend_timer":
            clock.extend(
                room.due(),
                room.model.round,
                room.model.phase,
                payload["seconds"],
                payload.get("actor"),
                now,
            )
        elif kind == "pause":
            clock.pause(now)
        elif kind == "resume":
            clock.resume(now)
        self._refresh_clock(room)
        self._broadcast(room, room.notes)

    def _preview(self, client: Client, request: P.Preview) -> None:
        room, actor = client.room, client.actor
        if actor is None:
            raise Refused("not_allowed", "only a seat can preview an offer")
        if room.model.phase not in ("offer", "answers"):
            raise Refused("not_your_turn", "no offer can be valued now")
        checked = room.check_offer_payload(request.model_dump())
        value = room.model.preview(checked["levels"], checked["sequencing"])[actor]
        odds = room.model.delivery_odds(actor, checked["levels"])
        own = views.values(room).of(room, actor)
        client.send(
            P.PreviewResult(
                id=request.id,
                utility=value,
                aspiration=own["aspiration"],
                walk_away=own["walk_away"],
                odds={str(i): p for i, p in odds.items()},
            )
        )

    # ------------------------------------------------------------------ telling
    def _sync(self, client: Client) -> None:
        room = client.room
        instructor = client.role == "instructor"
        welcome = P.Welcome(
            role=client.role,
            seat=client.actor,
            room=room.code,
            seed=room.row.seed if instructor else None,
            scenario=views.scenario_info(room),
            brief=views.brief(room, client.actor) if client.actor else None,
            board=views.board(room),
            codes=_codes(room) if instructor else None,
        )
        client.send(welcome)
        readable = [
            m
            for m in room.messages
            if views.may_read(m, client.role, client.actor, room.debrief_open)
        ]
        client.send(
            P.History(
                messages=[P.ChatMessage(**m) for m in readable],
                events=[P.Event(**line) for line in room.lines],
            )
        )
        client.send(
            views.view_json(
                room, client.role, client.actor, self._timer(room), self._roster(room), room.due()
            )
        )
        if room.done:
            client.send(self._ended(client))
        debrief = self._debrief(room) if room.debrief_open else None
        if debrief is not None:
            client.send(debrief)

    def _timer(self, room: Room) -> P.Timer:
        remaining = self.clocks[room.code].remaining(room.due(), time.time())
        return P.Timer(remaining=remaining, per_decision=room.per_decision, paused=room.paused)

    def _roster(self, room: Room) -> list[P.SeatStatus]:
        return [
            P.SeatStatus(
                actor=a,
                connected=(room.code, a) in self.seats,
                controller=room.controllers[a],
                last_seen=self.last_seen.get((room.code, a)),
            )
            for a in room.actors
        ]

    def _broadcast(self, room: Room, notes: list[dict], skip: Client | None = None) -> None:
        lines = [P.Event(**n["line"]) for n in notes if "line" in n]
        messages = [n["message"] for n in notes if "message" in n]
        ended = any("ended" in n for n in notes)
        debrief = self._debrief(room) if any("debrief" in n for n in notes) else None
        timer, roster, due = self._timer(room), self._roster(room), room.due()
        for client in list(self.clients[room.code]):
            if client is skip:
                continue
            for line in lines:
                client.send(line)
            for m in messages:
                if views.may_read(m, client.role, client.actor, room.debrief_open):
                    client.send(P.ChatMessage(**m))
            client.send(views.view_json(room, client.role, client.actor, timer, roster, due))
            if ended:
                client.send(self._ended(client))
            if debrief is not None:
                client.send(debrief)

    def _ended(self, client: Client) -> P.Ended:
        outcome = views.outcome_dict(client.room)
        if client.role != "instructor" and not client.room.debrief_open:
            outcome = views.outcome_for(outcome, client.actor)
        return P.Ended(reason=outcome["end_reason"], outcome=outcome)

    def _debrief(self, room: Room) -> P.Debrief | None:
        """Made once per state of the session, then sent to every reader and late joiner; None
        while the comparison with simulated summits is computed (in a thread: the rooms go on),
        after which ``_compare`` sends it."""
        from summit.net.debrief import debrief_content

        session = self._finished_key()
        if self._comparison is None or self._comparison[0] != session:
            self._start_comparison()
            return None
        key = tuple(r.seq for r in self.rooms.values())
        cached = self._debriefs.get(room.code)
        if cached is None or cached[0] != key:
            content = debrief_content(room, list(self.rooms.values()), self._comparison[1])
            cached = (key, P.Debrief(content=content))
            self._debriefs[room.code] = cached
        return cached[1]

    def _finished_key(self) -> tuple:
        return tuple(code for code, r in self.rooms.items() if r.done)

    def _start_comparison(self) -> None:
        if self._comparing is None or self._comparing.done():
            self._comparing = asyncio.get_running_loop().create_task(self._compare())

    async def _compare(self) -> None:
        """The session's rooms against the class's AI sample, off the event loop."""
        from summit.net.debrief import class_sample, finished, simulated_comparison

        first = next(iter(self.rooms.values()))
        spec, seed = first.spec, first.row.seed
        try:
            while True:
                session, rooms = self._finished_key(), finished(list(self.rooms.values()))
                if self._sample is None:
                    self._sample = await asyncio.to_thread(
                        class_sample, spec, seed, self.debrief_runs
                    )
                comparison = await asyncio.to_thread(
                    simulated_comparison, spec, rooms, self._sample, seed
                )
                if session == self._finished_key():
                    break
        except Exception:  # a server bug: say so; the debrief goes out without the comparison
            traceback.print_exc()
            comparison = None
        self._comparison = (session, comparison)
        for room in self.rooms.values():
            if room.debrief_open:
                debrief = self._debrief(room)
                for client in list(self.clients[room.code]):
                    client.send(debrief)

    # ------------------------------------------------------------------ time
    def _refresh_clock(self, room: Room) -> None:
        connected = {a for (code, a) in self.seats if code == room.code}
        self.clocks[room.code].refresh(
            room.due(),
            room.model.round,
            room.model.phase,
            room.per_decision,
            connected,
            room.paused,
            time.time(),
        )

    async def _tick(self) -> None:
        while True:
            await asyncio.sleep(TICK)
            for room in self.rooms.values():
                if room.paused or room.done:
                    continue
                for actor in self.clocks[room.code].expired(time.time()):
                    if actor in room.due():
                        with contextlib.suppress(Refused):
                            self._submit(room, "timeout", actor, {})


def _codes(room: Room) -> dict:
    return {
        "room": room.code,
        "instructor": room.row.instructor,
        "watch": room.row.watch,
        "seats": dict(room.row.seats),
    }


def _first_error(err: Exception) -> str:
    if isinstance(err, ValidationError):
        first = err.errors()[0]
        where = ".".join(str(x) for x in first["loc"][1:]) or "message"
        return f"{where}: {first['msg']}"
    return str(err)
