"""A client's link to the class server: hello with a code, typed messages, reconnects.

Reconnecting is the websockets library's own (``connect`` used as an async iterator, with its
backoff); this module only decides which failures end the link: the first connection failing
(the server is unreachable), a refused code or version, or the server staying away longer than
``give_up`` seconds. Those raise ``UsageError`` with one line.
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Awaitable, Callable

from pydantic import ValidationError
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed, InvalidHandshake, InvalidURI

from summit.errors import UsageError
from summit.net import protocol as P

FATAL = ("bad_code", "version")

Handler = Callable[["Link", object], Awaitable[bool | None]]


class Link:
    def __init__(self, url: str, code: str, client: str = "", give_up: float = 60.0):
        self.url, self.code, self.client, self.give_up = url, code, client, give_up
        self.ws: ClientConnection | None = None
        self.welcome: P.Welcome | None = None
        self.reconnects = 0
        self._ids = itertools.count(1)
        self._connected_once = False
        self._lost_at: float | None = None

    async def send(self, request: P._Request) -> int:
        """Send a request with a fresh id (returned); a lost connection is retried by run()."""
        request.id = next(self._ids)
        if self.ws is not None:
            try:
                await self.ws.send(P.dump(request))
            except ConnectionClosed:
                pass
        return request.id

    async def run(self, handle: Handler) -> None:
        """Connect, say hello, pass every server message to ``handle`` until it returns True."""
        try:
            async for ws in connect(
                self.url,
                open_timeout=10,
                max_size=1 << 24,
                compression=None,
                process_exception=self._retry_or_raise,
            ):
                self.ws, self._connected_once, self._lost_at = ws, True, None
                try:
                    await ws.send(
                        P.dump(
                            P.Hello(version=P.PROTOCOL_VERSION, code=self.code, client=self.client)
                        )
                    )
                    async for text in ws:
                        message = P.parse_server(text)
                        self._check_fatal(message)
                        if isinstance(message, P.Welcome):
                            self.welcome = message
                        if await handle(self, message):
                            await ws.close()
                            return
                except ConnectionClosed:
                    pass
                self.ws = None
                self.reconnects += 1
                self._lost_at = self._lost_at or time.monotonic()
        except InvalidURI:
            raise UsageError(f"'{self.url}' is not a server address (try ws://HOST:8765)") from None
        except (OSError, TimeoutError, InvalidHandshake) as err:
            what = "cannot reach" if not self._connected_once else "lost"
            raise UsageError(
                f"{what} the class server at {self.url} ({err or type(err).__name__})"
            ) from None
        except ValidationError as err:
            raise UsageError(
                f"the server at {self.url} sent a message this client does not "
                f"understand ({err.errors()[0]['msg']}): use the same summit version"
            ) from None

    def _check_fatal(self, message) -> None:
        if isinstance(message, P.Error) and message.code in FATAL:
            raise UsageError(message.message)

    def _retry_or_raise(self, exc: Exception) -> Exception | None:
        """The library asks whether to retry after a failed connection: never before the first
        success, and not after ``give_up`` seconds without the server."""
        if not self._connected_once:
            return exc
        self._lost_at = self._lost_at or time.monotonic()
        if time.monotonic() - self._lost_at > self.give_up:
            return exc
        if isinstance(exc, (OSError, TimeoutError, EOFError, InvalidHandshake)):
            return None
        return exc


async def probe(url: str, code: str, client: str = "probe") -> P.Welcome:
    """Say hello once and return the welcome: a bad code, a wrong address or a server that is
    not there raises UsageError (one line) before a client opens its screens."""
    link = Link(url, code, client)

    async def until_welcome(_link: Link, message: object) -> bool:
        return isinstance(message, P.Welcome)

    await link.run(until_welcome)
    assert link.welcome is not None  # run() returns only after the welcome
    return link.welcome
