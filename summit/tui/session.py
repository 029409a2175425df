"""The game the screens talk to, as one seat may see it: ``GameSession``.

Two things implement it: ``tui.game.Game`` (a model in this process: a single player's game,
hot-seat, or watching the AIs) and ``tui.remote.RemoteGame`` (a seat of a class server, whose
views the server filters for it). The screens read only these members, so the same table,
decision, move, outcome and briefing screens serve both. Nothing here hands out the rules'
state, the seed's draws or another actor's private numbers: ``own``, ``aspiration``,
``belief`` and ``valuation`` answer only for what the viewer may see (a local game asks
``viewer`` who that is: the one human, the human whose turn it is in hot-seat, or everyone
when only AIs play).

Turn flow is by notification, the same for both: ``listen(callback)`` registers a callable
that gets an ``Update`` whenever the game has moved on (a round was played, a view arrived)
and whenever a decision is due (``Update.turn``) or was refused (``Update.error``).
``proceed`` asks the game to go on to the next decision and ``submit`` hands one over. A
local game does the work in the caller's thread (``runs_here``: the app calls it from a worker
thread); a remote one sends a request and returns at once. No Textual here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol, runtime_checkable

from summit.records import EventRecord, OfferRecord, OutcomeRecord, RoundRecord
from summit.tui.board import Board


@dataclass(frozen=True)
class Turn:
    """A decision the game waits for: ``kind`` is "offer", "answer" or a move
    (tui.move_turns.MOVE_KINDS). ``key`` tells two turns of one actor apart (a remote seat's
    round and phase), so a view that repeats a turn does not open it twice."""

    kind: str
    actor: str
    key: tuple = ()


@dataclass(frozen=True)
class Decision:
    """What a human decided; the screens make it and the game takes it unchanged."""

    actor: str
    levels: tuple[int, ...] | None = None  # an offer
    sequencing: int = 0
    accept: bool | None = None  # an answer
    walk_out: bool = False
    move: str = ""  # a move (tui.move_turns.MOVE_KINDS) ...
    value: object = None  # ... and its choice
    ai: bool = False  # let the AI decide this one (a class seat)


@dataclass(frozen=True)
class Update:
    """The game moved on: ``turn`` is the decision now due from this session's humans (None:
    none), ``error`` a refused decision, ``played`` a round that ended while playing on."""

    turn: Turn | None = None
    error: str | None = None
    played: bool = False


@dataclass(frozen=True)
class ActorNow:
    """An actor's numbers now (private to its player)."""

    capability: float
    willingness: dict[str, float]
    credibility: float
    strength: float
    entrenchment: float
    walk_away: float


@dataclass(frozen=True)
class Valuation:
    """A package as the viewer sees it: worth to each actor it may see, and the odds it believes
    each promised term is delivered (issue index -> probability)."""

    worth: dict[str, float]
    odds: dict[int, float] = field(default_factory=dict)


@runtime_checkable
class GameSession(Protocol):
    board: Board  # the scenario's public face
    save_path: Path | None  # where a local game autosaves (None: nowhere, or remote)
    runs_here: bool  # True: proceed/submit do the work in the caller's thread

    # who plays, and whose eyes
    @property
    def humans(self) -> list[str]: ...
    @property
    def hotseat(self) -> bool: ...
    @property
    def viewer(self) -> str | None: ...  # whose private numbers may be shown now
    @property
    def seed(self) -> int | None: ...  # None where the seed would reveal others' values
    def name(self, actor: str) -> str: ...
    def look_as(self, actor: str | None) -> None: ...  # hot-seat: who has the keyboard now

    # what happened and where the game stands (records as this viewer may see them)
    @property
    def records(self) -> list[RoundRecord]: ...
    @property
    def outcome(self) -> OutcomeRecord | None: ...
    @property
    def done(self) -> bool: ...
    @property
    def round(self) -> int: ...
    @property
    def phase(self) -> str: ...  # idle, offer, answers, closing, done
    @property
    def current_offer(self) -> OfferRecord | None: ...
    def current_events(self) -> list[EventRecord]: ...
    def next_proposer(self) -> str: ...
    def mid_round(self) -> bool: ...
    def waiting_text(self) -> str | None: ...  # a remote room's state in words (None: local)

    # the numbers the viewer may see (None or absent: not for this viewer)
    def own(self, actor: str) -> ActorNow | None: ...
    def aspiration(self, actor: str) -> float | None: ...
    def belief(self, observer: str, actor: str) -> float | None: ...
    async def valuation(self, actor: str, levels: list[int], sequencing: int) -> Valuation: ...
    def last_levels(self) -> list[int]: ...
    def last_sequencing(self) -> int: ...
    def brief(self, actor: str): ...  # -> summit.briefs.Brief
    def move_choices(self, kind: str, actor: str) -> list: ...  # -> [move_turns.Choice]
    def nash(self) -> dict | None: ...
    def simulated(self, runs: int) -> dict | None: ...  # AI-only runs' columns, or None

    # playing
    def listen(self, callback: Callable[[Update], None]) -> None: ...
    def proceed(self, play_on: bool = False, each_round=None) -> Turn | None: ...
    def submit(self, decision: Decision) -> Turn | None: ...

    # records in words
    def transcript(self) -> str: ...
    def markdown(self) -> str: ...
    def export_name(self) -> str: ...
    def export_markdown(self, folder: Path | None = None) -> Path: ...
