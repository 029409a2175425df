"""A headless seat the AI plays over the network (`summit join URL CODE --ai`).

It reads its views like any seat and, when one says it is its turn, waits ``delay`` seconds
and sends ``ai_decide``: the server's rules make the decision, as the AI's own. It returns
when the summit ends. It imports no game code, so hundreds can run in one process.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable

from summit.net import protocol as P
from summit.net.link import Link


class AISeat:
    def __init__(self, delay: float = 0.0, on_view: Callable[[P.View, float], None] | None = None):
        self.delay = delay
        self.on_view = on_view
        self.decided: set[tuple[int, str, str]] = set()
        self.decisions = 0
        self.ended: P.Ended | None = None

    async def __call__(self, link: Link, message) -> bool:
        if isinstance(message, P.Welcome):
            self.decided.clear()  # after a reconnect, a decision in flight may have been lost
        elif isinstance(message, P.View):
            if self.on_view is not None:
                self.on_view(message, time.time())
            await self._maybe_decide(link, message)
        elif isinstance(message, P.Ended):
            self.ended = message
            return True
        return False

    async def _maybe_decide(self, link: Link, view: P.View) -> None:
        key = (view.round, view.phase, view.your_turn)
        if view.your_turn is None or view.paused or key in self.decided:
            return
        self.decided.add(key)
        if self.delay > 0:
            await asyncio.sleep(self.delay)
        await link.send(P.AIDecide(round=view.round, phase=view.phase))
        self.decisions += 1


async def play(
    url: str,
    code: str,
    delay: float = 0.0,
    give_up: float = 60.0,
    on_view: Callable[[P.View, float], None] | None = None,
) -> AISeat:
    seat = AISeat(delay, on_view)
    await Link(url, code, client="ai", give_up=give_up).run(seat)
    return seat
