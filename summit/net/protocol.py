"""The class server's messages: one JSON object per websocket text frame, each a pydantic model.

Flow
----
1. The client connects to ``ws://HOST:PORT`` and sends ``hello`` with its code (a seat's, the
   instructor's or the watch code) and ``version`` = PROTOCOL_VERSION.
2. The server answers ``welcome`` (role, seat, room, the scenario's public facts and, for a
   seat, its brief), then ``history`` (every message this client may read so far), then a
   ``view``. A wrong code or version gets ``error`` and the socket is closed (code 4001/4002).
3. From then on the server sends a fresh ``view`` after every change to the room (a decision,
   a round, an inject, a timer, pause), ``event`` lines for the log, ``message`` for chat,
   ``ended`` when the summit is over and ``debrief`` when the instructor opens it.
   A view is computed by the server for its reader: a seat sees the public table and only its
   own private values; the watch role (projector) sees only public things; the instructor sees
   everything.
4. A seat decides when its view says ``your_turn``: ``offer`` (the proposer), ``answer`` (an
   actor asked about the offer), ``walk_out`` (a negotiator leaving), ``move`` (a public
   statement before a round, the effort it resists an offer with, side offers and answers to
   them as a round closes: one of the view's ``choices``), or ``ai_decide`` (let the rules'
   AI take this seat's current decision: what ``summit join --ai`` sends). ``preview``
   asks how the seat itself would value a package. ``say`` is a public statement (no ``to``)
   or a private message to one or more actors (or ``instructor``).
5. The instructor sends ``pause``/``resume``, ``set_timer``/``extend_timer``, ``inject``,
   ``hand_over``, ``end_summit`` and ``open_debrief``.
6. Every request may carry an ``id``; the server answers ``ack`` (same id) once the request is
   committed to the database, or ``error`` (same id) saying why not. An error never closes the
   connection after the hello: malformed, unknown, oversized and out-of-turn messages are
   refused one by one.
7. Reconnecting is sending ``hello`` again with the same code: the seat is the same, and the
   server sends welcome, history and view afresh. A newer connection replaces an older one.

Decisions may carry ``round`` and ``phase`` (from the view they answer); a decision meant for
another round or phase is refused as stale, so a client that re-sends after a reconnect cannot
decide twice.

Records inside views (rounds, offers, outcome) are the dicts of summit.records (``to_dict``),
filtered for the reader; they keep that module's field names.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter

PROTOCOL_VERSION = 1
MAX_MESSAGE_CHARS = 16_000  # a message longer than this is refused (error "too_big")
MAX_TEXT_CHARS = 2_000  # one chat message or news item

Role = Literal["seat", "instructor", "watch"]
Phase = Literal["idle", "offer", "answers", "closing", "done"]


class _Msg(BaseModel):
    """A client's message: the server refuses fields it does not know."""

    model_config = ConfigDict(extra="forbid")


class _Out(BaseModel):
    """A server's message: a client ignores fields it does not know (fields are only ever
    added within a protocol version)."""

    model_config = ConfigDict(extra="ignore")


class _Request(_Msg):
    id: int | None = None  # echoed in the ack or error


class _Decision(_Request):
    round: int | None = None  # the round the decision is for (stale ones are refused)
    phase: Phase | None = None


# ------------------------------------------------------------------ client -> server: everyone


class Hello(_Request):
    type: Literal["hello"] = "hello"
    version: int
    code: str = Field(max_length=64)
    client: str = Field(default="", max_length=64)  # "ai", "tui", "browser" (for the roster)


class Say(_Request):
    """A public statement (``to`` empty) or a private message to actors and/or "instructor"."""

    type: Literal["say"] = "say"
    text: str = Field(min_length=1, max_length=MAX_TEXT_CHARS)
    to: list[str] = Field(default_factory=list, max_length=16)


class Sync(_Request):
    """Ask for the welcome, history and view again."""

    type: Literal["sync"] = "sync"


# ------------------------------------------------------------------ client -> server: a seat


class Offer(_Decision):
    """The proposer's package: a level per issue (issue id -> level) and a sequencing name."""

    type: Literal["offer"] = "offer"
    levels: dict[str, int]
    sequencing: str


class Answer(_Decision):
    type: Literal["answer"] = "answer"
    accept: bool


class WalkOut(_Decision):
    type: Literal["walk_out"] = "walk_out"


class Move(_Decision):
    """A move of summit.rules.moves, when the view's ``your_turn`` names its kind: ``value`` is
    one of the view's ``choices`` (a statement id or null: say nothing; an effort; a side
    offer id or null: none; a side offer's answer as [id, take])."""

    type: Literal["move"] = "move"
    kind: Literal["statement", "effort", "side", "side_answer"]
    value: str | float | list[str | bool] | None = None


class AIDecide(_Decision):
    """Let the rules' AI make this seat's current decision."""

    type: Literal["ai_decide"] = "ai_decide"


class Preview(_Request):
    """How the seat itself would value a package now (answered with ``preview_result``)."""

    type: Literal["preview"] = "preview"
    levels: dict[str, int]
    sequencing: str


# ------------------------------------------------------------------ client -> server: instructor


class Pause(_Request):
    type: Literal["pause"] = "pause"


class Resume(_Request):
    type: Literal["resume"] = "resume"


class SetTimer(_Request):
    """Seconds each decision gets from now on (None: no timer; an unconnected seat still gets
    the AI after the server's seat timeout). Applies to the decisions now due as well."""

    type: Literal["set_timer"] = "set_timer"
    seconds: float | None = Field(default=None, gt=0, le=24 * 3600)


class ExtendTimer(_Request):
    """Give the decisions now due ``seconds`` more (all of them, or one actor's)."""

    type: Literal["extend_timer"] = "extend_timer"
    seconds: float = Field(gt=0, le=24 * 3600)
    actor: str | None = None


class NewsEffect(_Msg):
    """One effect of a news item, checked like a scenario event's (``summit.scenario.Effect``)."""

    target: str = Field(max_length=100)
    add: float | None = None
    mul: float | None = None
    set: float | None = None


class News(_Msg):
    text: str = Field(min_length=1, max_length=MAX_TEXT_CHARS)
    effects: list[NewsEffect] = Field(default_factory=list, max_length=20)


class Inject(_Request):
    """A scenario event by id, or a news item. It takes effect before the next offer: at once
    while an offer is awaited, else at the start of the next round."""

    type: Literal["inject"] = "inject"
    event: str | None = Field(default=None, max_length=100)
    news: News | None = None


class HandOver(_Request):
    """``ai`` true: the AI plays ``actor`` from now on; false: the seat's team takes it back."""

    type: Literal["hand_over"] = "hand_over"
    actor: str
    ai: bool = True


class EndSummit(_Request):
    """End the negotiation now (as if the deadline had come: no deal unless one was made)."""

    type: Literal["end_summit"] = "end_summit"


class OpenDebrief(_Request):
    type: Literal["open_debrief"] = "open_debrief"


ClientMessage = Annotated[
    Hello
    | Say
    | Sync
    | Offer
    | Answer
    | WalkOut
    | Move
    | AIDecide
    | Preview
    | Pause
    | Resume
    | SetTimer
    | ExtendTimer
    | Inject
    | HandOver
    | EndSummit
    | OpenDebrief,
    Field(discriminator="type"),
]
SEAT_REQUESTS = ("offer", "answer", "walk_out", "move", "ai_decide", "preview")
INSTRUCTOR_REQUESTS = (
    "pause",
    "resume",
    "set_timer",
    "extend_timer",
    "inject",
    "hand_over",
    "end_summit",
    "open_debrief",
)


# ------------------------------------------------------------------ server -> client


class ScenarioInfo(_Out):
    """Public facts of the scenario: who, what is negotiated, how many rounds."""

    id: str
    title: str
    deadline: int
    actors: list[dict[str, Any]]  # {"id", "name", "at_table"}
    issues: list[dict[str, Any]]  # {"id", "name", "giver", "kind", "levels"}
    sequencings: list[str]
    events: list[dict[str, Any]]  # {"id", "text"}: what the instructor may inject


class Welcome(_Out):
    type: Literal["welcome"] = "welcome"
    version: int = PROTOCOL_VERSION
    role: Role
    seat: str | None = None  # the actor id for a seat
    room: str
    seed: int | None = None  # instructor only: with the scenario it reveals every value
    scenario: ScenarioInfo
    brief: dict[str, Any] | None = None  # a seat's brief (summit.briefs.Brief), without the seed
    board: dict[str, Any] | None = None  # the scenario's public face (summit.tui.board.Board)
    codes: dict[str, Any] | None = None  # instructor only: the room's codes


class Timer(_Out):
    """Seconds left for each actor's decision now due (None: no limit)."""

    type: Literal["timer"] = "timer"
    remaining: dict[str, float | None] = Field(default_factory=dict)
    per_decision: float | None = None
    paused: bool = False


class SeatStatus(_Out):
    actor: str
    connected: bool
    controller: Literal["team", "ai"]
    last_seen: float | None = None  # unix time


class Choice(_Out):
    label: str
    value: str | float | list[str | bool] | None = None


class View(_Out):
    """The room as one reader may see it.

    ``table``: the rounds played, public fields only for a seat or the watch (offer, answers
    as accept/reject, deal, walk-outs, events), plus the reader's own private fields.
    ``current``: the round in progress: events, the offer on the table, who has answered.
    ``private``: a seat's own values (its parameters, aspiration, walk-away, snapshot, and
    ``beliefs``: how far it believes each other actor's promises); the instructor's holds every
    actor's. ``your_turn``: "offer" or "answer" when this seat
    must decide now (None otherwise)."""

    type: Literal["view"] = "view"
    seq: int  # the room's event count: grows with every change
    stamp: float  # server time (unix) of the change this view shows
    round: int
    phase: Phase
    proposer: str | None = None
    waiting: dict[str, str] = Field(default_factory=dict)  # actor -> "offer" / "answer"
    your_turn: Literal["offer", "answer", "statement", "effort", "side", "side_answer"] | None = (
        None
    )
    choices: list[Choice] = Field(default_factory=list)  # a move's options (your_turn a move)
    can_walk_out: bool = False
    paused: bool = False
    done: bool = False
    table: list[dict[str, Any]] = Field(default_factory=list)
    current: dict[str, Any] = Field(default_factory=dict)
    private: dict[str, Any] = Field(default_factory=dict)
    outcome: dict[str, Any] | None = None
    timer: Timer = Field(default_factory=Timer)
    roster: list[SeatStatus] = Field(default_factory=list)


class Event(_Out):
    """A line for the room's log: round_begun, offer, answer, round_ended, timeout, ai_decided,
    inject, hand_over, paused, resumed, timer, ended."""

    type: Literal["event"] = "event"
    seq: int
    stamp: float
    kind: str
    round: int
    actor: str | None = None
    text: str


class ChatMessage(_Out):
    type: Literal["message"] = "message"
    seq: int
    stamp: float
    round: int
    sender: str  # an actor id, "instructor" or "system"
    to: list[str] = Field(default_factory=list)  # empty: public
    text: str


class History(_Out):
    type: Literal["history"] = "history"
    messages: list[ChatMessage] = Field(default_factory=list)
    events: list[Event] = Field(default_factory=list)


class Ack(_Out):
    type: Literal["ack"] = "ack"
    id: int | None = None
    what: str


class Error(_Out):
    """``code``: bad_json, too_big, unknown_type, invalid, not_allowed, not_your_turn, stale,
    paused, ended, bad_code, version, rules (the rules refused the decision)."""

    type: Literal["error"] = "error"
    id: int | None = None
    code: str
    message: str


class PreviewResult(_Out):
    type: Literal["preview_result"] = "preview_result"
    id: int | None = None
    utility: float  # the seat's own value of the package
    aspiration: float  # what it holds out for now
    walk_away: float
    odds: dict[str, float] = Field(default_factory=dict)  # issue index -> believed delivery


class Ended(_Out):
    """The summit is over: the outcome as this reader may see it (a seat: the deal, delivery
    and its own payoff; everything opens with the debrief)."""

    type: Literal["ended"] = "ended"
    reason: str
    outcome: dict[str, Any]


class Debrief(_Out):
    """Everything revealed: every round with all values, every message including back
    channels, the outcome, and the debrief analysis (summit.net.debrief)."""

    type: Literal["debrief"] = "debrief"
    content: dict[str, Any]


ServerMessage = Annotated[
    Welcome
    | View
    | Event
    | ChatMessage
    | History
    | Ack
    | Error
    | PreviewResult
    | Timer
    | Ended
    | Debrief,
    Field(discriminator="type"),
]

client_adapter: TypeAdapter = TypeAdapter(ClientMessage)
server_adapter: TypeAdapter = TypeAdapter(ServerMessage)


def parse_client(text: str | bytes):
    """A client's message as its model (pydantic.ValidationError or ValueError if bad)."""
    return client_adapter.validate_json(text)


def parse_server(text: str | bytes):
    return server_adapter.validate_json(text)


def dump(message: BaseModel) -> str:
    return message.model_dump_json(exclude_none=False)
