"""``RemoteGame`` as a ``tui.session.GameSession``: a class seat seen through the game screens.

Everything here reads the server's messages for this seat (welcome, view, ended) and sends
its decisions; it computes no rule and hides nothing itself, since the server sent only what
the seat may see. Mixed into tui.remote.RemoteGame (needs ``welcome``, ``view``, ``ended``,
``decide``, ``preview``, ``listeners``). No Textual here.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path

from summit.net import protocol as P
from summit.scenario import SEQUENCINGS
from summit.transcript import offer_lines, outcome_lines, round_lines
from summit.tui import remote_records as rr
from summit.tui.board import Board
from summit.tui.session import ActorNow, Decision, Turn, Update, Valuation


class SeatSession:
    runs_here = False  # the server runs the room: proceed and submit only send
    save_path: Path | None = None

    def _init_session(self) -> None:
        self._updates: list[Callable[[Update], None]] = []
        self._board: Board | None = None
        self._records: tuple[list | None, list] = (None, [])
        self._tasks: set[asyncio.Task] = set()

    # ------------------------------------------------------------------ who, and whose eyes
    @property
    def board(self) -> Board:
        if self._board is None and self.welcome is not None and self.welcome.board:
            self._board = Board.from_dict(self.welcome.board)
        return self._board

    @property
    def humans(self) -> list[str]:
        return [self.seat] if self.seat else []

    @property
    def hotseat(self) -> bool:
        return False

    @property
    def viewer(self) -> str | None:
        return self.seat

    @property
    def seed(self) -> int | None:
        return self.welcome.seed if self.welcome else None  # the instructor's only

    def look_as(self, actor: str | None) -> None:
        """One seat, one screen: nothing to hand over."""

    def name(self, actor: str) -> str:
        if actor in ("instructor", "system"):
            return actor
        for a in self.info.actors if self.info else []:
            if a["id"] == actor:
                return a["name"]
        return actor

    # ------------------------------------------------------------------ where the room stands
    @property
    def records(self) -> list:
        table = self.view.table if self.view else []
        if self._records[0] is not table:  # made again for each view (a few rounds of dicts)
            self._records = (table, [rr.round_record(d) for d in table])
        return self._records[1]

    @property
    def outcome(self):
        got = self.view.outcome if self.view and self.view.outcome else None
        got = got or (self.ended.outcome if self.ended else None)
        if not got:
            return None
        record = rr.outcome_record(got)
        shown = {a.actor for a in record.actors}  # a seat's outcome holds its own payoff only
        record.paid_for_unkept = [a for a in record.paid_for_unkept if a in shown]
        return record

    @property
    def done(self) -> bool:
        return bool(self.view and self.view.done)

    @property
    def round(self) -> int:
        return self.view.round if self.view else 0

    @property
    def phase(self) -> str:
        return self.view.phase if self.view else "idle"

    @property
    def current_offer(self):
        got = self.view.current.get("offer") if self.view else None
        return rr.offer(got) if got else None

    def current_events(self) -> list:
        return [rr.event(e) for e in (self.view.current.get("events", []) if self.view else [])]

    def next_proposer(self) -> str:
        return (self.view.proposer if self.view else None) or ""

    def mid_round(self) -> bool:
        return False  # the server keeps every decision: leaving loses nothing

    def waiting_text(self) -> str | None:
        from summit.tui.screens.class_views import status_text

        return status_text(self).plain

    # ------------------------------------------------------------------ the seat's numbers
    def _private(self, actor: str) -> dict:
        return self.view.private if self.view and actor == self.seat else {}

    def own(self, actor: str) -> ActorNow | None:
        p = self._private(actor)
        if "walk_away" not in p:
            return None
        return ActorNow(
            p["capability"],
            dict(p.get("willingness") or {}),
            p["credibility"],
            p["strength"],
            p["entrenchment"],
            p["walk_away"],
        )

    def aspiration(self, actor: str) -> float | None:
        return self._private(actor).get("aspiration")

    def belief(self, observer: str, actor: str) -> float | None:
        return (self._private(observer).get("beliefs") or {}).get(actor)

    async def valuation(self, actor: str, levels: list[int], sequencing: int) -> Valuation:
        """The server values the package for this seat alone (its worth, its believed odds)."""
        named = dict(zip(self.board.issue_ids, map(int, levels), strict=True))
        got = await self.preview(named, SEQUENCINGS[sequencing])
        if not isinstance(got, P.PreviewResult):
            return Valuation({})
        return Valuation({self.seat: got.utility}, {int(k): p for k, p in got.odds.items()})

    def last_levels(self) -> list[int]:
        records = self.records
        if records:
            return [int(records[-1].offer.levels[i]) for i in self.board.issue_ids]
        return [0] * self.board.n_issues

    def last_sequencing(self) -> int:
        records = self.records
        if records:
            code = SEQUENCINGS.index(records[-1].offer.sequencing)
            if code in self.board.sequencings:
                return code
        return self.board.sequencings[0]

    def brief(self, actor: str):
        from summit.briefs import Brief

        return Brief.from_dict(self.welcome.brief)

    def move_choices(self, kind: str, actor: str) -> list:
        """The options the server lists for this seat's move now (the rules open them)."""
        from summit.tui.move_turns import Choice

        view = self.view
        if view is None or view.your_turn != kind or actor != self.seat:
            return []
        return [Choice(c.label, c.value) for c in view.choices]

    def nash(self) -> dict | None:
        return None  # the debrief brings the bargaining solutions

    def simulated(self, runs: int) -> dict | None:
        return None  # the debrief compares the room with the AI-only summits

    # ------------------------------------------------------------------ turn flow
    def listen(self, callback: Callable[[Update], None]) -> None:
        self._updates.append(callback)

    def _tell(self, update: Update) -> None:
        for callback in list(self._updates):
            callback(update)

    def turn_now(self) -> Turn | None:
        view = self.view
        if view is None or view.your_turn is None or view.paused or self.seat is None:
            return None
        return Turn(view.your_turn, self.seat, (view.round, view.phase))

    def told(self, message) -> None:
        """After each server message: a view is news for the listeners."""
        if isinstance(message, P.View):
            self._tell(Update(self.turn_now()))

    def proceed(self, play_on: bool = False, each_round=None) -> Turn | None:
        turn = self.turn_now()
        self._tell(Update(turn))
        return turn

    def submit(self, decision: Decision) -> None:
        """Send the decision; a refusal comes back to the listeners as an error."""
        task = asyncio.get_running_loop().create_task(self._send(decision))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _send(self, d: Decision) -> None:
        if d.ai:
            request = P.AIDecide()
        elif d.walk_out:
            request = P.WalkOut()
        elif d.move:
            value = list(d.value) if isinstance(d.value, tuple) else d.value
            request = P.Move(kind=d.move, value=value)
        elif d.levels is not None:
            named = dict(zip(self.board.issue_ids, map(int, d.levels), strict=True))
            request = P.Offer(levels=named, sequencing=SEQUENCINGS[d.sequencing])
        else:
            request = P.Answer(accept=bool(d.accept))
        reply = await self.decide(request)
        if isinstance(reply, P.Error):
            self._tell(Update(self.turn_now(), error=reply.message))
        elif reply is None:
            self._tell(Update(self.turn_now(), error="no answer from the server yet"))

    # ------------------------------------------------------------------ records in words
    def transcript(self) -> str:
        lines = [self.board.scenario.summit.title, ""]
        for rec in self.records:
            lines += round_lines(self.board, rec) + [""]
        offer = self.current_offer
        if offer is not None and not self.done:
            lines += [f"--- Round {self.round}, on the table now ---"]
            lines += offer_lines(self.board, offer) + [""]
        if self.outcome is not None:
            lines += outcome_lines(self.board, self.outcome)
        return "\n".join(lines) + "\n"

    def markdown(self) -> str:
        return f"# {self.board.scenario.summit.title}\n\n```\n{self.transcript()}```\n"

    def export_name(self) -> str:
        room = self.welcome.room if self.welcome else "room"
        return f"{self.board.scenario.id}-{room}-{self.seat or 'class'}.md"

    def export_markdown(self, folder: Path | None = None) -> Path:
        folder = Path(folder) if folder else Path(".")
        path = folder / self.export_name()
        folder.mkdir(parents=True, exist_ok=True)
        path.write_text(self.markdown(), encoding="utf-8")
        return path
