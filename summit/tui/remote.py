"""A room on the class server, seen by one client: a seat's game, the console, the projector.

``RemoteGame`` keeps what the server sent (welcome, the latest view, the log, the messages, the
outcome, the debrief) and sends decisions and instructor requests. For a seat it is a
``tui.session.GameSession``: the same game screens as a local game draw it, from the server's
view for this seat (its own values, the public table, its turn), and its decisions go to the
server, whose rules check them. The client filters nothing: what the server did not send is
not here.

The link (``summit.net.link``) reconnects with the websockets library's own backoff; after a
reconnect the server sends welcome, history and view afresh, which replace what was held.
No Textual here: ``ClassApp`` (summit.tui.class_app) drives it.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable

from summit.net import protocol as P
from summit.net.link import Link
from summit.tui.remote_session import SeatSession


class RemoteGame(SeatSession):
    def __init__(self, url: str, code: str, client: str = "tui", give_up: float = 60.0):
        self._init_session()
        self.url = url
        self.link = Link(url, code, client=client, give_up=give_up)
        self.welcome: P.Welcome | None = None
        self.view: P.View | None = None
        self.events: list[P.Event] = []
        self.messages: list[P.ChatMessage] = []
        self.ended: P.Ended | None = None
        self.debrief: dict | None = None
        self.last_error: P.Error | None = None
        self.view_at = 0.0  # when the latest view arrived (monotonic): timers count down from it
        self.listeners: list[Callable[[object], None]] = []
        self._waiting: dict[int, asyncio.Future] = {}
        self._early: dict[int, object] = {}

    # ------------------------------------------------------------------ the link
    async def run(self) -> None:
        """Follow the room until the link ends (a UsageError says why when it fails)."""
        await self.link.run(self._receive)

    async def _receive(self, link: Link, message) -> bool:
        self.take(message)
        for listener in list(self.listeners):
            listener(message)
        self.told(message)
        return False

    def take(self, message) -> None:
        """Keep one server message (the whole state of this client is built here)."""
        if isinstance(message, P.Welcome):
            self.welcome = message
        elif isinstance(message, P.History):
            self.events, self.messages = list(message.events), list(message.messages)
        elif isinstance(message, P.View):
            self.view, self.view_at = message, time.monotonic()
        elif isinstance(message, P.Event):
            self.events.append(message)
        elif isinstance(message, P.ChatMessage):
            if all(m.seq != message.seq for m in self.messages[-50:]):
                self.messages.append(message)
        elif isinstance(message, P.Ended):
            self.ended = message
        elif isinstance(message, P.Debrief):
            self.debrief = message.content
        elif isinstance(message, P.Error):
            self.last_error = message
        if isinstance(message, (P.Ack, P.Error, P.PreviewResult)) and message.id is not None:
            future = self._waiting.pop(message.id, None)
            if future is not None and not future.done():
                future.set_result(message)
            elif future is None:
                self._early[message.id] = message

    async def request(self, request: P._Request, timeout: float = 10.0):
        """Send a request and wait for its ack, error or preview result (None on timeout)."""
        rid = await self.link.send(request)
        if rid in self._early:
            return self._early.pop(rid)
        future = asyncio.get_running_loop().create_future()
        self._waiting[rid] = future
        try:
            return await asyncio.wait_for(future, timeout)
        except TimeoutError:
            return None
        finally:
            self._waiting.pop(rid, None)

    # ------------------------------------------------------------------ the room's raw facts
    @property
    def connected(self) -> bool:
        return self.link.ws is not None

    @property
    def role(self) -> str | None:
        return self.welcome.role if self.welcome else None

    @property
    def seat(self) -> str | None:
        return self.welcome.seat if self.welcome else None

    @property
    def info(self) -> P.ScenarioInfo | None:
        return self.welcome.scenario if self.welcome else None

    def issue(self, issue_id: str) -> dict:
        return next(i for i in self.info.issues if i["id"] == issue_id)

    def time_left(self, actor: str) -> float | None:
        """Seconds left for an actor's decision now, counted down since the view arrived."""
        if self.view is None:
            return None
        left = self.view.timer.remaining.get(actor)
        if left is None or self.view.paused:
            return left
        return max(0.0, left - (time.monotonic() - self.view_at))

    def your_turn(self) -> str | None:
        return self.view.your_turn if self.view else None

    # ------------------------------------------------------------------ requests
    async def preview(self, levels: dict[str, int], sequencing: str):
        return await self.request(P.Preview(levels=dict(levels), sequencing=sequencing))

    async def say(self, text: str, to: list[str] | None = None):
        return await self.request(P.Say(text=text, to=list(to or [])))

    async def instruct(self, request: P._Request):
        return await self.request(request)

    async def decide(self, request: P._Decision):
        """Send a seat's decision stamped with the round and phase it answers."""
        if self.view is not None:
            request.round, request.phase = self.view.round, self.view.phase
        return await self.request(request)

    async def ai_decide(self):
        return await self.decide(P.AIDecide())

    async def offer(self, levels: dict[str, int], sequencing: str):
        """A script's offer (issue id -> level); the screens send Decisions through submit."""
        return await self.decide(P.Offer(levels=dict(levels), sequencing=sequencing))

    async def answer(self, yes: bool):
        return await self.decide(P.Answer(accept=bool(yes)))


def readable(messages: list[P.ChatMessage], public_only: bool = False) -> list[P.ChatMessage]:
    return [m for m in messages if not (public_only and m.to)]


def join_main(args) -> int:
    """`summit join URL CODE`: the seat's game, the instructor console or the projector."""
    import asyncio

    from summit.errors import UsageError
    from summit.net.link import probe

    asyncio.run(probe(args.url, args.code))  # a bad code or no server: one line, no screen
    from summit.tui.class_app import ClassApp

    app = ClassApp(RemoteGame(args.url, args.code, client=getattr(args, "client", "tui")))
    app.run()
    if app.failure:
        raise UsageError(app.failure)
    return 0
