"""One room: a summit driven by a log of inputs from its seats, its instructor and its clock.

Every input (a decision, a time-out, an inject, a hand-over, a timer, a message) is checked,
written to the store and applied in one transaction; replaying the log through ``_apply``
rebuilds the room exactly. The AI makes every decision no team makes: seats handed to the AI,
seats that asked for it (``ai_decide``, what `summit join --ai` sends) and seats whose time ran
out. An AI decision goes to the model as the AI's own (the seat is not a human for that
decision), so a room where every seat lets the AI decide plays exactly `summit run`.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from summit.model import SummitModel
from summit.net import injects
from summit.net.protocol import INSTRUCTOR_REQUESTS as INSTRUCTOR
from summit.net.room_moves import BadMove, Moves
from summit.net.store import LogRow, RoomRow, Store
from summit.records import GameHeader, RoundRecord
from summit.rules import game
from summit.scenario import Spec

TEAM, AI = "team", "ai"
DECISIONS = ("offer", "answer", "walk_out", "ai_decide", "timeout", "move")
MOVES = ("statement", "effort", "side", "side_answer")  # tui.move_turns.MOVE_KINDS


class Refused(Exception):
    """An input the room does not take: ``code`` as in protocol.Error, a one-line message."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code


class Room:
    def __init__(
        self,
        row: RoomRow,
        spec: Spec,
        store: Store | None = None,
        clock: Callable[[], float] = time.time,
    ):
        self.row, self.spec, self.store, self.clock = row, spec, store, clock
        self._applying = True  # inputs are being applied: due() is not kept
        self._due_memo: tuple[int, dict[str, str]] = (-1, {})
        self.code = row.code
        self.model = SummitModel(spec, row.seed)
        self.actors: tuple[str, ...] = spec.actor_ids
        self.seq = 0
        self.stamp = 0.0
        self.controllers = {a: TEAM for a in self.actors}
        self.paused = False
        self.per_decision: float | None = None
        self.debrief_open = False
        self.lines: list[
            dict
        ] = []  # the log shown to readers: {seq, stamp, kind, round, actor, text}
        self.messages: list[dict] = []  # chat: {seq, stamp, round, sender, to, text}
        self.humans_ever: set[str] = set()
        self.table: list[dict] = []  # the rounds' records as dicts (made once, read by views)
        self._asked: tuple[tuple, list[str]] = ((), [])
        self.notes: list[dict] = []  # what changed in the last input (for the server to send)
        self._news = 0
        self._ended_noted = False
        self._queued: list[tuple[int | None, tuple, str | None]] = []
        self._round_news: list = []
        self._timeouts: list[tuple[int, str, str]] = []  # (round, actor, what)
        self._new_round_state()
        self._line("room_open", None, f"Room {self.code} opened: {spec.scenario.summit.title}")
        self.advance()
        self._applying = False

    def _new_round_state(self) -> None:
        self.answers: dict[str, bool] = {}
        self.walkouts: list[str] = []
        self.ai_decided: set[tuple[str, str]] = set()  # (actor, what) the AI decides this round
        self.moves = Moves()
        self.team_offer = False
        self.null_offer = False

    # ------------------------------------------------------------------ facts
    @property
    def done(self) -> bool:
        return self.model.done

    def name(self, actor: str) -> str:
        return self.spec.scenario.actor(actor).name

    def asked(self) -> list[str]:
        """Every actor asked to answer the offer on the table (the model's own list, as if all
        six were human)."""
        m = self.model
        key = (m.round, m.phase)
        if self._asked[0] != key:
            self._asked = (key, m.asked_to_answer())
        return list(self._asked[1])

    def due(self) -> dict[str, str]:
        """The decisions due now; between inputs the same for every reader (the server asks for
        it several times per change), so kept until the next input."""
        if self._applying:  # the model is moving: ask it afresh
            return self._due_now()
        if self._due_memo[0] != self.seq:
            self._due_memo = (self.seq, self._due_now())
        return dict(self._due_memo[1])

    def _due_now(self) -> dict[str, str]:
        """Team decisions the room waits for: actor -> "offer", "answer" or a move (a public
        statement before the round, the effort to resist an offer with after answering it,
        side offers and the answers to them as the round closes), in the order a local game
        asks them (tui.game.Game.advance)."""
        m = self.model
        if m.done:
            return {}
        if m.phase == "idle":
            return self._due_moves("statement", self.actors, self.moves.statements)
        if m.phase == "offer":
            return {m.proposer: "offer"} if self._team_decides(m.proposer, "offer") else {}
        if m.phase == "answers" and not self.null_offer:
            answers = {
                a: "answer"
                for a in self.asked()
                if a not in self.answers and self._team_decides(a, "answer")
            }
            return answers or self._due_moves("effort", list(self.answers), self.moves.efforts)
        if m.phase == "closing":
            staying = [a for a in self.actors if a not in self.walkouts]
            makers = self._due_moves("side", staying, self.moves.side)
            return makers or self._due_moves("side_answer", staying, {})
        return {}

    def _due_moves(self, kind: str, actors, made: dict) -> dict[str, str]:
        return {
            a: kind
            for a in actors
            if a not in made and self._team_decides(a, kind) and self.moves.open(self, kind, a)
        }

    def _team_decides(self, actor: str, what: str) -> bool:
        return self.controllers[actor] == TEAM and (actor, what) not in self.ai_decided

    def header(self) -> GameHeader:
        """The game header, naming every actor a team decided for at least once."""
        header = self.model.header
        header.humans = [a for a in self.actors if a in self.humans_ever]
        return header

    # ------------------------------------------------------------------ inputs
    def submit(self, kind: str, actor: str | None, payload: dict) -> LogRow:
        """Check an input, then log and apply it in one transaction (committed on return)."""
        payload = self.check(kind, actor, dict(payload))
        row = LogRow(self.seq + 1, self.clock(), kind, actor, payload)
        if self.store is None:
            self._apply(row)
        else:
            with self.store.transaction():
                self.store.append(self.code, row)
                self._apply(row)
        return row

    def replay(self, rows: list[LogRow]) -> None:
        for row in rows:
            self._apply(row)
        self.notes = []

    def check(self, kind: str, actor: str | None, payload: dict) -> dict:
        """Refuse what the room cannot take now; return the payload to log (normalised)."""
        if kind in DECISIONS:
            return self._check_decision(kind, actor, payload)
        if kind == "say":
            return payload
        if kind not in INSTRUCTOR:
            raise Refused("unknown_type", f"unknown input '{kind}'")
        if self.done and kind not in ("open_debrief",):
            raise Refused("ended", "the summit is over")
        if kind == "inject":
            try:
                injects.check_inject(self.spec, payload)
            except injects.BadInject as err:
                raise Refused("invalid", str(err)) from None
        if (
            kind in ("hand_over", "extend_timer")
            and payload.get("actor") is not None
            and payload["actor"] not in self.actors
        ):
            raise Refused(
                "invalid", f"no actor '{payload['actor']}' (actors: {', '.join(self.actors)})"
            )
        if kind == "pause" and self.paused or kind == "resume" and not self.paused:
            raise Refused(
                "invalid", "the room is already " + ("paused" if self.paused else "running")
            )
        return payload

    def _check_decision(self, kind: str, actor: str | None, payload: dict) -> dict:
        m = self.model
        if m.done:
            raise Refused("ended", "the summit is over")
        if self.paused and kind != "timeout":
            raise Refused("paused", "the instructor has paused the summit")
        if payload.get("round") not in (None, m.round) or payload.get("phase") not in (
            None,
            m.phase,
        ):
            raise Refused(
                "stale",
                f"that decision was for round {payload.get('round')} "
                f"({payload.get('phase')}); now it is round {m.round} ({m.phase})",
            )
        due = self.due()
        if kind == "walk_out":
            if due.get(actor) not in ("offer", "answer"):
                raise Refused("not_your_turn", f"{actor} can walk out only when it must decide")
            if not self.spec.at_table[self.actors.index(actor)]:
                raise Refused("rules", f"{actor} is not at the table, so it cannot walk out")
            return {}
        want = {"offer": "offer", "answer": "answer", "move": payload.get("kind")}.get(kind)
        if actor not in due or (want and due[actor] != want):
            now = due.get(actor)
            raise Refused(
                "not_your_turn",
                f"{actor} has no decision to make now"
                if now is None
                else f"{actor} must make its {now} now, not '{kind}'",
            )
        if kind == "offer":
            return self.check_offer_payload(payload)
        if kind == "answer":
            return {"accept": bool(payload["accept"])}
        if kind == "move":
            try:
                return self.moves.check(self, actor, due[actor], payload)
            except BadMove as err:
                raise Refused("rules", str(err)) from None
        return {}

    def check_offer_payload(self, payload: dict) -> dict:
        levels = payload.get("levels")
        if isinstance(levels, dict):
            unknown = [k for k in levels if k not in self.spec.issue_ids]
            if unknown:
                raise Refused("rules", f"no issue '{unknown[0]}' in this scenario")
            levels = [levels.get(i, 0) for i in self.spec.issue_ids]
        seq = payload.get("sequencing")
        try:
            checked = game.check_offer(self.spec, levels, seq)
            seq = game.check_sequencing(self.spec, seq)
        except (game.InvalidDecision, TypeError, ValueError) as err:
            raise Refused("rules", str(err)) from None
        return {"levels": [int(x) for x in checked], "sequencing": int(seq)}

    # ------------------------------------------------------------------ applying
    def _apply(self, row: LogRow) -> None:
        self._applying = True
        try:
            self._apply_row(row)
        finally:
            self._applying = False

    def _apply_row(self, row: LogRow) -> None:
        self.seq, self.stamp, self.notes = row.seq, row.stamp, []
        kind, actor, p = row.kind, row.actor, row.payload
        if kind == "say":
            self.messages.append(
                {
                    "seq": row.seq,
                    "stamp": row.stamp,
                    "round": self.model.round,
                    "sender": actor,
                    "to": list(p.get("to", [])),
                    "text": p["text"],
                }
            )
            self.notes.append({"message": self.messages[-1]})
            return
        handler = getattr(self, f"_on_{kind}")
        handler(actor, p)
        self.advance()

    def _on_offer(self, actor, p) -> None:
        self._play_as([actor])
        self.model.make_offer((p["levels"], p["sequencing"]))
        self.team_offer = True
        self.humans_ever.add(actor)
        self._line("offer", actor, f"{self.name(actor)} put an offer on the table")

    def _on_answer(self, actor, p) -> None:
        self.answers[actor] = p["accept"]
        self.humans_ever.add(actor)
        self._line("answer", actor, f"{self.name(actor)} has answered")

    def _on_walk_out(self, actor, p) -> None:
        m = self.model
        if m.phase == "offer":  # a proposer who walks out puts nothing on the table
            self._play_as([actor])
            m.make_offer(([0] * self.spec.n_issues, self.spec.sequencings[0]))
            self.team_offer = self.null_offer = True
        else:
            self.answers[actor] = False
        self.walkouts.append(actor)
        self.humans_ever.add(actor)
        self._line("walk_out", actor, f"{self.name(actor)} walks out of the summit")

    def _on_ai_decide(self, actor, p) -> None:
        self.ai_decided.add((actor, self.due().get(actor, "")))

    def _on_move(self, actor, p) -> None:
        self.moves.take(actor, p["kind"], p["value"])
        self.humans_ever.add(actor)
        self._line("move", actor, self.moves.line(self, actor, p["kind"], p["value"]))

    def _on_timeout(self, actor, p) -> None:
        what = self.due().get(actor, "decision")
        self.ai_decided.add((actor, what))
        self._timeouts.append((self.model.round, actor, what))
        text = f"Time ran out for {self.name(actor)}: the AI made its {what}"
        self._line("timeout", actor, text)
        self._system(text)

    def _on_pause(self, actor, p) -> None:
        self.paused = True
        self._line("paused", None, "The instructor paused the summit")

    def _on_resume(self, actor, p) -> None:
        self.paused = False
        self._line("resumed", None, "The summit goes on")

    def _on_set_timer(self, actor, p) -> None:
        self.per_decision = p.get("seconds")
        self._line(
            "timer",
            None,
            "No time limit per decision"
            if self.per_decision is None
            else f"Each decision now has {self.per_decision:g} s",
        )

    def _on_extend_timer(self, actor, p) -> None:
        who = self.name(p["actor"]) if p.get("actor") else "every seat deciding"
        self._line("timer", p.get("actor"), f"{p['seconds']:g} s more for {who}")

    def _on_inject(self, actor, p) -> None:
        index, effects = injects.check_inject(self.spec, p)
        if index is None:
            self._news += 1
            text = p["news"]["text"]
            record = injects.news_record(self._news, text, effects)
        else:
            text = self.spec.events[index].text
            record = None
        self._queued.append((index, effects, record))
        self._line("inject", None, f"News: {text}")
        self._system(f"News: {text}")
        if self.model.phase == "offer" and not self.team_offer:
            self._apply_queued()

    def _on_hand_over(self, actor, p) -> None:
        who = p["actor"]
        self.controllers[who] = AI if p.get("ai", True) else TEAM
        self._line(
            "hand_over",
            who,
            f"The AI plays {self.name(who)} now"
            if p.get("ai", True)
            else f"{self.name(who)}'s team plays again",
        )

    def _on_end_summit(self, actor, p) -> None:
        injects.end_now(self.model)
        self._line(
            "ended_by_instructor",
            None,
            f"The instructor ended the summit in round {self.model.round}",
        )

    def _on_open_debrief(self, actor, p) -> None:
        self.debrief_open = True
        self._line("debrief", None, "The debrief is open")
        self.notes.append({"debrief": True})

    # ------------------------------------------------------------------ driving the model
    def advance(self) -> None:
        """Run the model until a team must decide, the room is paused or the summit is over."""
        m = self.model
        while not m.done and not self.paused:
            if m.phase == "idle":
                if self.due():
                    return
                self._play_as(list(self.moves.statements))
                m.begin_round(dict(self.moves.statements))
                self._line(
                    "round_begun", m.proposer, f"Round {m.round}: {self.name(m.proposer)} proposes"
                )
                for ev in m.current_events:
                    self._line("event", None, ev.text)
                self._apply_queued()
            if m.phase == "offer":
                if self.due():
                    return
                self._play_as([])
                m.make_offer()
                self._line(
                    "offer", m.proposer, f"{self.name(m.proposer)} put an offer on the table"
                )
            if m.phase == "answers":
                if self.due():
                    return
                self._play_as(self._team_this_round())
                m.collect_answers(dict(self.answers), dict(self.moves.efforts))
            if m.phase == "closing":
                if self.due():
                    return
                side = self.moves
                self._play_closing()
                record = m.end_round(list(self.walkouts), dict(side.side), dict(side.answers))
                self._after_round(record)
        if m.done and not self._ended_noted:
            self._ended_noted = True
            reason = m.outcome.end_reason
            self._line("ended", None, f"The summit is over ({reason})")
            self.notes.append({"ended": True})

    def _team_this_round(self) -> list[str]:
        team = list(self.answers)
        if self.team_offer:
            team.append(self.model.proposer)
        return team

    def _play_closing(self) -> None:
        """The teams that decide as the round closes: who answered or proposed, walked out,
        made or answered side offers (the model checks their side offers as humans')."""
        side = self.moves
        self._play_as(
            self._team_this_round() + self.walkouts + list(side.side) + list(side.answers)
        )

    def _play_as(self, team: list[str]) -> None:
        """Tell the model which actors a team decides for in the next phase call."""
        self.model.set_humans(sorted(set(team)))

    def _apply_queued(self) -> None:
        if self.model.phase != "offer":
            return
        for index, effects, record in self._queued:
            injects.apply_inject(self.model, index, effects)
            if record is not None:
                self._round_news.append(record)
        self._queued = []

    def _after_round(self, record: RoundRecord) -> None:
        record.events.extend(self._round_news)
        for response in record.responses:
            if (record.round, response.actor, "answer") in self._timeouts:
                response.reason = "time ran out, so the AI answered: " + response.reason
        self._round_news = []
        self.table.append(record.to_dict())
        verdict = "a deal" if record.deal else "no deal"
        self._line(
            "round_ended",
            None,
            f"Round {record.round} ends with {verdict}"
            + (f"; {', '.join(record.walkouts)} walked out" if record.walkouts else ""),
        )
        self._new_round_state()
        self.notes.append({"round": record.round})

    # ------------------------------------------------------------------ log lines
    def _line(self, kind: str, actor: str | None, text: str) -> None:
        line = {
            "seq": self.seq,
            "stamp": self.stamp,
            "kind": kind,
            "round": self.model.round,
            "actor": actor,
            "text": text,
        }
        self.lines.append(line)
        self.notes.append({"line": line})

    def _system(self, text: str) -> None:
        msg = {
            "seq": self.seq,
            "stamp": self.stamp,
            "round": self.model.round,
            "sender": "system",
            "to": [],
            "text": text,
        }
        self.messages.append(msg)
        self.notes.append({"message": msg})
