"""Deadlines for the decisions a room waits for (wall-clock time; not part of the room's log).

Each decision now due may have a deadline: the instructor's per-decision timer when one is
set, else, for a seat with nobody connected, the server's seat time-out, so an empty or
dropped seat never stalls the room. When a deadline passes the server logs a ``timeout`` and
the AI decides. Pausing freezes what is left; resuming starts it again. After a restart every
decision due gets a fresh deadline.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Deadline:
    key: tuple  # (round, phase, actor, what): a new decision gets a new deadline
    at: float | None  # unix time; None while paused (then ``left`` holds the rest)
    source: str  # "timer" or "absent"
    left: float | None = None


@dataclass
class RoomClock:
    seat_timeout: float
    deadlines: dict[str, Deadline] = field(default_factory=dict)

    def refresh(
        self,
        due: dict[str, str],
        round_no: int,
        phase: str,
        per_decision: float | None,
        connected: set[str],
        paused: bool,
        now: float,
    ) -> None:
        """Bring the deadlines in line with the decisions due now."""
        for actor in list(self.deadlines):
            key = (round_no, phase, actor, due.get(actor))
            if actor not in due or self.deadlines[actor].key != key:
                del self.deadlines[actor]
        for actor in due:
            have = self.deadlines.get(actor)
            if have is None:
                if per_decision is not None:
                    self.deadlines[actor] = Deadline(
                        (round_no, phase, actor, due[actor]), now + per_decision, "timer"
                    )
                elif actor not in connected:
                    self.deadlines[actor] = Deadline(
                        (round_no, phase, actor, due[actor]), now + self.seat_timeout, "absent"
                    )
                else:
                    continue
                if paused:
                    self._freeze(self.deadlines[actor], now)
            elif have.source == "absent" and actor in connected:
                del self.deadlines[actor]  # the team is back: no time-out unless a timer is set

    def set_all(
        self,
        due: dict[str, str],
        round_no: int,
        phase: str,
        seconds: float | None,
        now: float,
        paused: bool,
    ) -> None:
        """The instructor set the per-decision timer: it applies to the decisions due now."""
        self.deadlines = {}
        if seconds is None:
            return
        for actor in due:
            d = Deadline((round_no, phase, actor, due[actor]), now + seconds, "timer")
            if paused:
                self._freeze(d, now)
            self.deadlines[actor] = d

    def extend(
        self,
        due: dict[str, str],
        round_no: int,
        phase: str,
        seconds: float,
        actor: str | None,
        now: float,
    ) -> None:
        for who in due if actor is None else [actor] if actor in due else []:
            d = self.deadlines.get(who)
            if d is None:
                self.deadlines[who] = Deadline(
                    (round_no, phase, who, due[who]), now + seconds, "timer"
                )
            elif d.at is None:
                d.left = (d.left or 0.0) + seconds
            else:
                d.at += seconds
                d.source = "timer"

    def pause(self, now: float) -> None:
        for d in self.deadlines.values():
            self._freeze(d, now)

    def resume(self, now: float) -> None:
        for d in self.deadlines.values():
            if d.at is None:
                d.at, d.left = now + (d.left or 0.0), None

    @staticmethod
    def _freeze(d: Deadline, now: float) -> None:
        if d.at is not None:
            d.left, d.at = max(d.at - now, 0.0), None

    def expired(self, now: float) -> list[str]:
        return [a for a, d in self.deadlines.items() if d.at is not None and d.at <= now]

    def remaining(self, due: dict[str, str], now: float) -> dict[str, float | None]:
        out: dict[str, float | None] = {}
        for actor in due:
            d = self.deadlines.get(actor)
            out[actor] = (
                None if d is None else round(d.left if d.at is None else max(d.at - now, 0.0), 1)
            )
        return out
