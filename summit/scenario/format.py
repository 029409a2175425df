"""The scenario file format: pydantic models of every section, each field with its range.

Ranges of the run parameters come from the one table in :mod:`summit.scenario.parameters`;
names used across sections are checked by :mod:`summit.scenario.references`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationInfo,
    field_validator,
    model_validator,
)

from summit.scenario.parameters import ACTOR_FIELDS, BY_NAME, check_range, ranged
from summit.scenario.references import check_references

SEQUENCINGS = ("on_promise", "after_verified")
STYLES = ("boulware", "linear", "conceder", "reciprocating")
# Default concession exponent e of each time-dependent style (Faratin, Sierra & Jennings 1998):
# e < 1 holds firm until late (Boulware), e = 1 concedes evenly, e > 1 concedes early.
STYLE_EXPONENT = {"boulware": 0.2, "linear": 1.0, "conceder": 3.0, "reciprocating": 1.0}


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", allow_inf_nan=False, frozen=True)


# --------------------------------------------------------------------------- distributions


class Distribution(_Strict):
    """A parameter drawn per run. Exactly one of the kinds is given, e.g.
    ``{uniform = [0.3, 0.6]}``."""

    uniform: tuple[float, float] | None = None
    triangular: tuple[float, float, float] | None = None
    normal: tuple[float, float] | None = None
    beta: tuple[Annotated[float, Field(gt=0)], Annotated[float, Field(gt=0)]] | None = None
    choice: list[float] | None = Field(default=None, min_length=1)
    within: tuple[float, float] | None = None  # truncation bounds of a normal
    scale: tuple[float, float] | None = None  # beta is drawn on [0, 1] and scaled to this
    weights: list[Annotated[float, Field(ge=0)]] | None = None  # of a choice

    @model_validator(mode="after")
    def _one_kind(self) -> Distribution:
        kinds = [
            k
            for k in ("uniform", "triangular", "normal", "beta", "choice")
            if getattr(self, k) is not None
        ]
        if len(kinds) != 1:
            raise ValueError("give exactly one of uniform, triangular, normal, beta, choice")
        kind = kinds[0]
        if self.within is not None and kind != "normal":
            raise ValueError("'within' goes with a normal distribution")
        if self.scale is not None and kind != "beta":
            raise ValueError("'scale' goes with a beta distribution")
        if self.weights is not None and kind != "choice":
            raise ValueError("'weights' goes with a choice")
        if kind == "uniform" and not self.uniform[0] <= self.uniform[1]:
            raise ValueError(f"uniform needs low <= high (got {list(self.uniform)})")
        if kind == "triangular":
            lo, mode, hi = self.triangular
            if not lo <= mode <= hi or lo == hi:
                raise ValueError(
                    f"triangular needs low <= mode <= high, low < high (got {[lo, mode, hi]})"
                )
        if kind == "normal":
            if self.normal[1] <= 0:
                raise ValueError(f"normal needs a standard deviation > 0 (got {self.normal[1]})")
            if self.within is None:
                raise ValueError(
                    "a normal needs 'within = [low, high]' (it is truncated to the parameter's "
                    "range)"
                )
            if not self.within[0] < self.within[1]:
                raise ValueError(f"'within' needs low < high (got {list(self.within)})")
        if self.scale is not None and not self.scale[0] < self.scale[1]:
            raise ValueError(f"'scale' needs low < high (got {list(self.scale)})")
        if kind == "choice" and self.weights is not None:
            if len(self.weights) != len(self.choice):
                raise ValueError(
                    f"choice has {len(self.choice)} values but {len(self.weights)} weights"
                )
            if sum(self.weights) <= 0:
                raise ValueError("choice weights must not all be zero")
        return self

    @property
    def kind(self) -> str:
        return next(
            k
            for k in ("uniform", "triangular", "normal", "beta", "choice")
            if getattr(self, k) is not None
        )

    def support(self) -> tuple[float, float]:
        """The smallest interval holding every value this distribution can give."""
        kind = self.kind
        if kind == "uniform":
            return self.uniform
        if kind == "triangular":
            return self.triangular[0], self.triangular[2]
        if kind == "normal":
            return self.within
        if kind == "beta":
            return self.scale or (0.0, 1.0)
        return min(self.choice), max(self.choice)

    def mean(self) -> float:
        kind = self.kind
        if kind == "uniform":
            return sum(self.uniform) / 2
        if kind == "triangular":
            return sum(self.triangular) / 3
        if kind == "beta":
            a, b = self.beta
            lo, hi = self.scale or (0.0, 1.0)
            return lo + (hi - lo) * a / (a + b)
        if kind == "choice":
            w = self.weights or [1.0] * len(self.choice)
            return sum(x * p for x, p in zip(self.choice, w, strict=True)) / sum(w)
        from scipy.stats import truncnorm

        mu, sd = self.normal
        lo, hi = self.within
        return float(truncnorm.mean((lo - mu) / sd, (hi - mu) / sd, loc=mu, scale=sd))

    def describe(self) -> str:
        kind = self.kind
        if kind == "normal":
            mean, sd = self.normal
            low, high = self.within
            return f"normal(mean {mean:g}, sd {sd:g}) within [{low:g}, {high:g}]"
        if kind == "beta":
            lo, hi = self.scale or (0.0, 1.0)
            return f"beta({self.beta[0]:g}, {self.beta[1]:g}) on [{lo:g}, {hi:g}]"
        values = getattr(self, kind)
        return f"{kind}({', '.join(f'{v:g}' for v in values)})"


Param = float | Distribution

# --------------------------------------------------------------------------- file sections


class Effect(_Strict):
    """A change to one parameter: ``{target = "iran.strength", add = -0.1}``."""

    target: str
    add: float | None = None
    mul: float | None = None
    set: float | None = None

    @model_validator(mode="after")
    def _one_op(self) -> Effect:
        ops = [op for op in ("add", "mul", "set") if getattr(self, op) is not None]
        if len(ops) != 1:
            raise ValueError("give exactly one of add, mul, set")
        return self

    @property
    def op(self) -> str:
        return next(op for op in ("add", "mul", "set") if getattr(self, op) is not None)

    @property
    def value(self) -> float:
        return getattr(self, self.op)


class Summit(_Strict):
    title: str
    description: str = Field(max_length=200)
    deadline: int = Field(ge=1, le=100)
    table: list[str] = Field(min_length=1)
    sequencing: list[Literal["on_promise", "after_verified"]] = Field(
        default=list(SEQUENCINGS), min_length=1
    )
    briefing: str = ""
    source: str = ""


class Rules(_Strict):
    delivery_steepness: float = Field(default=8.0, gt=0, le=100)
    alliance_drag: float = Field(default=0.5, ge=0, le=1)
    compliance: float = Field(default=0.4, ge=0, le=1)
    record_weight: float = Field(default=4.0, gt=0, le=1000)
    walkout_patience: int = Field(default=2, ge=1, le=100)
    # Cost of delay (docs/model.md, "Time costs something"): the chance talks break down after
    # a round without a deal, and the per-round discount of a deal's surplus. The defaults keep
    # older scenarios as they were: no breakdown, no discounting.
    breakdown_risk: float = Field(default=0.0, ge=0, lt=1)
    discount: float = Field(default=1.0, gt=0, le=1)
    # How beliefs about a giver's willingness are held: a grid of types (docs/model.md).
    willingness_types: int = Field(default=5, ge=2, le=21)
    # Who drafts the offer: each negotiator in turn, or a mediator's single text (docs/model.md).
    protocol: Literal["alternating", "single_text"] = "alternating"


class NoDeal(_Strict):
    """A declared consequence of no deal: utility added to actors' status-quo value."""

    text: str
    utility: dict[str, Annotated[float, Field(ge=-1, le=1)]] = Field(min_length=1)
    note: str = ""


class Presence(_Strict):
    actor: str
    levels: list[Annotated[float, Field(ge=0, le=1)]]


class Issue(_Strict):
    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    name: str
    levels: list[str] = Field(min_length=2, max_length=12)
    kind: Literal["action", "concession"]
    giver: str
    resisted_by: dict[str, Annotated[float, Field(ge=0, le=10)]] = {}
    difficulty: list[Annotated[float, Field(ge=0, le=10)]] | None = None
    presence: Presence | None = None
    phrases: list[str] | None = None  # how each level reads in a sentence: "push Iran 40 km back"
    note: str = ""

    @model_validator(mode="after")
    def _lengths(self) -> Issue:
        n = len(self.levels)
        for name in ("difficulty", "phrases"):
            seq = getattr(self, name)
            if seq is not None and len(seq) != n:
                raise ValueError(f"{name} has {len(seq)} entries but the issue has {n} levels")
        if self.presence is not None and len(self.presence.levels) != n:
            raise ValueError(
                f"presence.levels has {len(self.presence.levels)} entries but the issue has "
                f"{n} levels"
            )
        if self.difficulty is not None and any(
            b < a for a, b in zip(self.difficulty, self.difficulty[1:], strict=False)
        ):
            raise ValueError(
                f"difficulty must not decrease from level to level (got {self.difficulty})"
            )
        return self

    def level_difficulty(self) -> list[float]:
        n = len(self.levels)
        return (
            list(self.difficulty)
            if self.difficulty is not None
            else [i / (n - 1) for i in range(n)]
        )


class Limit(_Strict):
    """A red line as a checkable condition: the issue's level may not exceed ``at_most``
    (unless the package is paid after verified action and ``unless_after_verified`` is set)."""

    text: str
    issue: str
    at_most: int = Field(ge=0)
    unless_after_verified: bool = False


class Resistance(_Strict):
    """The efforts an affected actor may put into resisting an action, each a stance in [0, 1]
    the delivery contest uses, and what a unit of effort costs it when a deal is carried out."""

    efforts: list[Annotated[float, Field(ge=0, le=1)]] = Field(min_length=2)
    cost: float = Field(default=0.0, ge=0, le=1)
    note: str = ""

    @model_validator(mode="after")
    def _rising(self) -> Resistance:
        if sorted(set(self.efforts)) != self.efforts:
            raise ValueError("efforts rise strictly, e.g. [0.0, 0.4, 1.0]")
        return self


class Actor(_Strict):
    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    name: str
    capability: Param
    strength: Param = 0.0
    entrenchment: Param = 0.0
    walk_away: Param | None = None  # a named outside option; default: the no-deal value
    credibility: Param = 0.5
    promise_cost: Param = 0.0  # price of a broken promise per unit of weighted shortfall
    counts_influence: bool = False  # values a presence issue by the influence it removes
    style: Literal["boulware", "linear", "conceder", "reciprocating"] = "linear"
    concession: Param | None = None
    reciprocity: Param = 0.5
    salience: dict[str, Param] = {}
    values: dict[str, list[Annotated[float, Field(ge=0, le=1)]]] = {}
    willingness: dict[str, Param] = {}
    beliefs: dict[str, Param] = {}
    goals: str = ""
    red_lines: list[str] = []
    limits: list[Limit] = []  # red lines an AI never crosses (docs/scenarios.md)
    resistance: Resistance | None = None  # how hard it may resist actions (moves, optional)
    can_give: str = ""
    private: str = ""

    # Ranges come from the parameter table; credibility is the starting belief of the others.
    @field_validator(*ACTOR_FIELDS, "credibility")
    @classmethod
    def _in_range(cls, v, info: ValidationInfo):
        kind = BY_NAME["belief" if info.field_name == "credibility" else info.field_name]
        return v if v is None else ranged(kind.low, kind.high)(v)

    @field_validator("willingness", "beliefs", "salience")
    @classmethod
    def _per_key(cls, v, info: ValidationInfo):
        kind = BY_NAME[{"beliefs": "belief"}.get(info.field_name, info.field_name)]
        for key, value in v.items():
            try:
                check_range(value, kind.low, kind.high)
            except ValueError as err:
                raise ValueError(f"{key}: {err}") from None
        return v


class Tie(_Strict):
    between: tuple[str, str]
    strength: Param
    note: str = ""

    _in_range = field_validator("strength")(
        classmethod(lambda cls, v: ranged(BY_NAME["tie"].low, BY_NAME["tie"].high)(v))
    )


class Event(_Strict):
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9_-]*$")
    text: str
    round: int | None = Field(default=None, ge=1)
    probability: float | None = Field(default=None, ge=0, le=1)
    rounds: tuple[int, int] | None = None  # window for a random event, inclusive
    repeat: bool = False
    # An actor's choice rather than chance: it acts before a round while the talks have offered
    # it nothing worth its no-deal value (its outside option), e.g. Israel striking.
    chosen_by: str | None = None
    effects: list[Effect] = Field(min_length=1)
    note: str = ""

    @model_validator(mode="after")
    def _when(self) -> Event:
        if sum(x is not None for x in (self.round, self.probability, self.chosen_by)) != 1:
            raise ValueError(
                "give one of round (scheduled), probability (random) or chosen_by (an actor's "
                "choice)"
            )
        if self.rounds is not None and (
            self.round is not None or not 1 <= self.rounds[0] <= self.rounds[1]
        ):
            raise ValueError(
                "rounds = [first, last] goes with probability or chosen_by, "
                "first >= 1 and first <= last"
            )
        return self


class Trigger(_Strict):
    issue: str
    at_least: int = Field(default=1, ge=1)


class SideOffer(_Strict):
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9_-]*$")
    by: str
    to: str
    text: str
    when: Trigger
    effects: list[Effect] = Field(min_length=1)
    # The AI recipient's chance of taking the offer (a human recipient answers it); 1 keeps
    # the older rule where a side offer made is a side offer taken.
    acceptance: float = Field(default=1.0, ge=0, le=1)
    note: str = ""


class Statement(_Strict):
    """A public signal an actor may send before a round; its effects move the others' beliefs
    (or any parameter) as the scenario says. The AI sends it with ``probability`` a round."""

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9_-]*$")
    by: str
    text: str
    probability: float = Field(ge=0, le=1)
    rounds: tuple[int, int] | None = None  # window, inclusive; default: every round
    repeat: bool = False
    effects: list[Effect] = Field(min_length=1)
    note: str = ""

    @model_validator(mode="after")
    def _window(self) -> Statement:
        if self.rounds is not None and not 1 <= self.rounds[0] <= self.rounds[1]:
            raise ValueError("rounds = [first, last] with first >= 1 and first <= last")
        return self


class Scenario(_Strict):
    summit: Summit
    rules: Rules = Rules()
    actors: list[Actor] = Field(min_length=2)
    issues: list[Issue] = Field(min_length=1)
    ties: list[Tie] = []
    events: list[Event] = []
    side_offers: list[SideOffer] = []
    statements: list[Statement] = []
    no_deal: list[NoDeal] = []
    backtest: dict[str, Any] | None = None  # what history recorded (scenarios/history/)

    # Where the scenario came from; set by load_scenario, not part of the file.
    path: str = ""

    @model_validator(mode="after")
    def _references(self) -> Scenario:
        check_references(self)
        return self

    @property
    def id(self) -> str:
        return Path(self.path).stem if self.path else "scenario"

    def actor(self, actor_id: str) -> Actor:
        return next(a for a in self.actors if a.id == actor_id)

    def issue(self, issue_id: str) -> Issue:
        return next(i for i in self.issues if i.id == issue_id)
