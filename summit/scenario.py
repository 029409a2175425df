"""Scenario files: parse TOML, validate, explain errors, and compile to arrays for the rules.

A scenario names its actors and issues; nothing about the Jerusalem summit is hard-coded in
the engine. ``load_scenario(path)`` returns a validated :class:`Scenario` or raises
:class:`ScenarioError`, whose message is one line naming the file, the field and the problem.
``compile_scenario`` turns a Scenario into a :class:`Spec`: index arrays the rules work on.
"""

from __future__ import annotations

import json
import math
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any, Literal

import numpy as np
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

SEQUENCINGS = ("on_promise", "after_verified")
STYLES = ("boulware", "linear", "conceder", "reciprocating")
# Default concession exponent e of each time-dependent style (Faratin, Sierra & Jennings 1998):
# e < 1 holds firm until late (Boulware), e = 1 concedes evenly, e > 1 concedes early.
STYLE_EXPONENT = {"boulware": 0.2, "linear": 1.0, "conceder": 3.0, "reciprocating": 1.0}


class ScenarioError(Exception):
    """A scenario that cannot be used; ``str(err)`` is one line: file: field: problem."""

    def __init__(self, file: str | Path, where: str, problem: str):
        self.file, self.where, self.problem = str(file), " ".join(where.split()), " ".join(problem.split())
        text = f"{file}: {self.where}: {self.problem}" if self.where else f"{file}: {self.problem}"
        super().__init__(" ".join(text.splitlines()))


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", allow_inf_nan=False, frozen=True)


# --------------------------------------------------------------------------- distributions

class Distribution(_Strict):
    """A parameter drawn per run. Exactly one of the kinds is given, e.g. ``{uniform = [0.3, 0.6]}``."""

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
        kinds = [k for k in ("uniform", "triangular", "normal", "beta", "choice") if getattr(self, k) is not None]
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
                raise ValueError(f"triangular needs low <= mode <= high, low < high (got {[lo, mode, hi]})")
        if kind == "normal":
            if self.normal[1] <= 0:
                raise ValueError(f"normal needs a standard deviation > 0 (got {self.normal[1]})")
            if self.within is None:
                raise ValueError("a normal needs 'within = [low, high]' (it is truncated to the parameter's range)")
            if not self.within[0] < self.within[1]:
                raise ValueError(f"'within' needs low < high (got {list(self.within)})")
        if self.scale is not None and not self.scale[0] < self.scale[1]:
            raise ValueError(f"'scale' needs low < high (got {list(self.scale)})")
        if kind == "choice" and self.weights is not None:
            if len(self.weights) != len(self.choice):
                raise ValueError(f"choice has {len(self.choice)} values but {len(self.weights)} weights")
            if sum(self.weights) <= 0:
                raise ValueError("choice weights must not all be zero")
        return self

    @property
    def kind(self) -> str:
        return next(k for k in ("uniform", "triangular", "normal", "beta", "choice") if getattr(self, k) is not None)

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
            return f"normal(mean {self.normal[0]:g}, sd {self.normal[1]:g}) within [{self.within[0]:g}, {self.within[1]:g}]"
        if kind == "beta":
            lo, hi = self.scale or (0.0, 1.0)
            return f"beta({self.beta[0]:g}, {self.beta[1]:g}) on [{lo:g}, {hi:g}]"
        values = getattr(self, kind)
        return f"{kind}({', '.join(f'{v:g}' for v in values)})"


Param = float | Distribution


def _check_range(value: Param, lo: float, hi: float) -> Param:
    low, high = (value, value) if isinstance(value, float | int) else value.support()
    if low < lo or high > hi:
        shown = value if isinstance(value, float | int) else value.describe()
        bound = f"between {lo:g} and {hi:g}" if hi != math.inf else f"at least {lo:g}"
        raise ValueError(f"must be {bound} (got {shown})")
    return value


def _ranged(lo: float, hi: float):
    def check(value):
        if isinstance(value, dict):
            return value
        return _check_range(value, lo, hi)
    return check


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
    sequencing: list[Literal["on_promise", "after_verified"]] = Field(default=list(SEQUENCINGS), min_length=1)
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
            raise ValueError(f"presence.levels has {len(self.presence.levels)} entries but the issue has {n} levels")
        if self.difficulty is not None and any(b < a for a, b in zip(self.difficulty, self.difficulty[1:], strict=False)):
            raise ValueError(f"difficulty must not decrease from level to level (got {self.difficulty})")
        return self

    def level_difficulty(self) -> list[float]:
        n = len(self.levels)
        return list(self.difficulty) if self.difficulty is not None else [i / (n - 1) for i in range(n)]


class Limit(_Strict):
    """A red line as a checkable condition: the issue's level may not exceed ``at_most``
    (unless the package is paid after verified action and ``unless_after_verified`` is set)."""

    text: str
    issue: str
    at_most: int = Field(ge=0)
    unless_after_verified: bool = False


class Actor(_Strict):
    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    name: str
    capability: Param
    strength: Param = 0.0
    entrenchment: Param = 0.0
    walk_away: Param | None = None   # a named outside option; default: the no-deal value
    credibility: Param = 0.5
    promise_cost: Param = 0.0        # price of a broken promise per unit of weighted shortfall
    counts_influence: bool = False   # values a presence issue by the influence it removes
    style: Literal["boulware", "linear", "conceder", "reciprocating"] = "linear"
    concession: Param | None = None
    reciprocity: Param = 0.5
    salience: dict[str, Param] = {}
    values: dict[str, list[Annotated[float, Field(ge=0, le=1)]]] = {}
    willingness: dict[str, Param] = {}
    beliefs: dict[str, Param] = {}
    goals: str = ""
    red_lines: list[str] = []
    limits: list[Limit] = []          # red lines an AI never crosses (docs/scenarios.md)
    can_give: str = ""
    private: str = ""

    _unit = field_validator("capability", "entrenchment", "credibility", "reciprocity",
                            "promise_cost")(classmethod(lambda cls, v: _ranged(0, 1)(v)))

    @field_validator("walk_away")
    @classmethod
    def _walk_away(cls, v):
        return v if v is None else _ranged(0, 1)(v)
    _strength = field_validator("strength")(classmethod(lambda cls, v: _ranged(0, 10)(v)))

    @field_validator("concession")
    @classmethod
    def _positive(cls, v):
        return v if v is None else _ranged(0.01, 100)(v)

    @field_validator("willingness", "beliefs")
    @classmethod
    def _unit_maps(cls, v):
        for key, value in v.items():
            try:
                _check_range(value, 0, 1)
            except ValueError as err:
                raise ValueError(f"{key}: {err}") from None
        return v

    @field_validator("salience")
    @classmethod
    def _salience(cls, v):
        for key, value in v.items():
            try:
                _check_range(value, 0, 100)
            except ValueError as err:
                raise ValueError(f"{key}: {err}") from None
        return v


class Tie(_Strict):
    between: tuple[str, str]
    strength: Param
    note: str = ""

    _unit = field_validator("strength")(classmethod(lambda cls, v: _ranged(0, 1)(v)))


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
            raise ValueError("give one of round (scheduled), probability (random) or chosen_by (an actor's choice)")
        if self.rounds is not None and (self.round is not None or not 1 <= self.rounds[0] <= self.rounds[1]):
            raise ValueError("rounds = [first, last] goes with probability or chosen_by, first >= 1 and first <= last")
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
    note: str = ""


class Scenario(_Strict):
    summit: Summit
    rules: Rules = Rules()
    actors: list[Actor] = Field(min_length=2)
    issues: list[Issue] = Field(min_length=1)
    ties: list[Tie] = []
    events: list[Event] = []
    side_offers: list[SideOffer] = []
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


class _RefError(ValueError):
    def __init__(self, where: str, problem: str):
        self.where = where
        super().__init__(problem)


def _unique(ids: list[str], what: str) -> None:
    seen = set()
    for i, x in enumerate(ids):
        if x in seen:
            raise _RefError(f"{what}[{i}].id", f"duplicate id '{x}'")
        seen.add(x)


def check_references(sc: Scenario) -> None:
    """Every name used in the scenario must be an actor, issue or parameter it defines."""
    actors = [a.id for a in sc.actors]
    _unique(actors, "actors")
    _unique([i.id for i in sc.issues], "issues")
    _unique([e.id for e in sc.events], "events")
    _unique([so.id for so in sc.side_offers], "side_offers")
    issues = {i.id: i for i in sc.issues}

    def need_actor(name: str, where: str) -> None:
        if name not in actors:
            raise _RefError(where, f"unknown actor '{name}' (actors: {', '.join(actors)})")

    def need_issue(name: str, where: str) -> None:
        if name not in issues:
            raise _RefError(where, f"unknown issue '{name}' (issues: {', '.join(issues)})")

    for i, name in enumerate(sc.summit.table):
        need_actor(name, f"summit.table[{i}]")
    if len(set(sc.summit.table)) != len(sc.summit.table):
        raise _RefError("summit.table", "an actor sits at the table twice")
    for issue in sc.issues:
        where = f"issues[{issue.id}]"
        need_actor(issue.giver, f"{where}.giver")
        for name in issue.resisted_by:
            need_actor(name, f"{where}.resisted_by")
        if issue.giver in issue.resisted_by:
            raise _RefError(f"{where}.resisted_by", f"the giver '{issue.giver}' cannot resist its own commitment")
        if issue.presence is not None:
            need_actor(issue.presence.actor, f"{where}.presence.actor")
    for actor in sc.actors:
        where = f"actors[{actor.id}]"
        for section in ("salience", "values", "willingness"):
            for name in getattr(actor, section):
                need_issue(name, f"{where}.{section}.{name}")
        for name, vals in actor.values.items():
            if len(vals) != len(issues[name].levels):
                raise _RefError(f"{where}.values.{name}",
                                f"{len(vals)} values given but issue '{name}' has {len(issues[name].levels)} levels")
        for name in actor.willingness:
            if issues[name].giver != actor.id:
                raise _RefError(f"{where}.willingness.{name}", f"only the giver of '{name}' ('{issues[name].giver}') has a willingness on it; "
                                f"'{actor.id}' gives nothing there")
        for k, limit in enumerate(actor.limits):
            need_issue(limit.issue, f"{where}.limits[{k}].issue")
            if limit.at_most >= len(issues[limit.issue].levels):
                raise _RefError(f"{where}.limits[{k}].at_most", f"issue '{limit.issue}' has levels "
                                f"0..{len(issues[limit.issue].levels) - 1} (got {limit.at_most})")
        for name in actor.beliefs:
            need_actor(name, f"{where}.beliefs.{name}")
            if name == actor.id:
                raise _RefError(f"{where}.beliefs.{name}", "an actor's belief in its own promises is always 1")
        if not any(actor.salience.get(i, 0) for i in issues):
            raise _RefError(f"{where}.salience", "an actor must care about at least one issue (all saliences are 0)")
    for k, tie in enumerate(sc.ties):
        for name in tie.between:
            need_actor(name, f"ties[{k}].between")
        if tie.between[0] == tie.between[1]:
            raise _RefError(f"ties[{k}].between", "a tie needs two different actors")
    deadline = sc.summit.deadline
    for event in sc.events:
        if event.chosen_by is not None:
            need_actor(event.chosen_by, f"events[{event.id}].chosen_by")
        if event.round is not None and event.round > deadline:
            raise _RefError(f"events[{event.id}].round", f"round {event.round} is after the deadline ({deadline} rounds)")
        if event.rounds is not None and event.rounds[1] > deadline:
            raise _RefError(f"events[{event.id}]", f"rounds {list(event.rounds)} end after the deadline ({deadline} rounds)")
        for k, effect in enumerate(event.effects):
            resolve_target(sc, effect.target, f"events[{event.id}].effects[{k}].target")
    for k, consequence in enumerate(sc.no_deal):
        for name in consequence.utility:
            need_actor(name, f"no_deal[{k}].utility")
    for so in sc.side_offers:
        where = f"side_offers[{so.id}]"
        need_actor(so.by, f"{where}.by")
        need_actor(so.to, f"{where}.to")
        if so.by == so.to:
            raise _RefError(f"{where}.to", "an actor cannot make a side offer to itself")
        need_issue(so.when.issue, f"{where}.when.issue")
        if so.when.at_least >= len(issues[so.when.issue].levels):
            raise _RefError(f"{where}.when.at_least",
                            f"issue '{so.when.issue}' has levels 0..{len(issues[so.when.issue].levels) - 1} (got {so.when.at_least})")
        for k, effect in enumerate(so.effects):
            resolve_target(sc, effect.target, f"{where}.effects[{k}].target")


# --------------------------------------------------------------------------- parameter targets

# Actor parameters an event may change, the array they live in and their valid range.
ACTOR_SCALARS = {
    "capability": (0.0, 1.0), "strength": (0.0, 10.0), "entrenchment": (0.0, 1.0),
    "walk_away": (0.0, 1.0), "concession": (0.01, 100.0), "reciprocity": (0.0, 1.0),
    "promise_cost": (0.0, 1.0), "no_deal_shift": (-1.0, 1.0),
}
ACTOR_PER_ISSUE = {"willingness": (0.0, 1.0), "salience": (0.0, 100.0)}
RANGES = {**ACTOR_SCALARS, **ACTOR_PER_ISSUE, "belief": (0.0, 1.0), "tie": (0.0, 1.0)}


@dataclass(frozen=True)
class Target:
    """Where a parameter lives in the run arrays: ``array[run, *index]``."""

    array: str
    index: tuple[int, ...]

    @property
    def bounds(self) -> tuple[float, float]:
        return RANGES[self.array]


def resolve_target(sc: Scenario, text: str, where: str = "target") -> Target:
    """Map 'russia.capability', 'russia.willingness.iran_withdrawal', 'us.belief.russia',
    'tie.russia.iran' to a Target, or explain what is wrong."""
    actors = [a.id for a in sc.actors]
    issues = [i.id for i in sc.issues]
    parts = text.split(".")
    valid = ("<actor>." + "|".join(ACTOR_SCALARS) + ", <actor>.willingness.<issue>, <actor>.salience.<issue>, "
             "<actor>.belief.<actor>, tie.<actor>.<actor>")

    def idx(name: str, pool: list[str], what: str) -> int:
        if name not in pool:
            raise _RefError(where, f"unknown {what} '{name}' in '{text}' ({what}s: {', '.join(pool)})")
        return pool.index(name)

    if parts[0] == "tie" and len(parts) == 3:
        a, b = idx(parts[1], actors, "actor"), idx(parts[2], actors, "actor")
        if a == b:
            raise _RefError(where, f"a tie needs two different actors (got '{text}')")
        return Target("tie", (a, b))
    if len(parts) == 2 and parts[1] in ACTOR_SCALARS:
        return Target(parts[1], (idx(parts[0], actors, "actor"),))
    if len(parts) == 3 and parts[1] in ACTOR_PER_ISSUE:
        return Target(parts[1], (idx(parts[0], actors, "actor"), idx(parts[2], issues, "issue")))
    if len(parts) == 3 and parts[1] == "belief":
        return Target("belief", (idx(parts[0], actors, "actor"), idx(parts[2], actors, "actor")))
    raise _RefError(where, f"cannot read parameter '{text}' (use {valid})")


# --------------------------------------------------------------------------- loading

def _loc_text(data: Any, loc: tuple) -> str:
    """Turn pydantic's location into 'actors[russia].capability' using ids where items have them."""
    out, node = [], data
    for part in loc:
        if isinstance(part, int):
            label = str(part)
            if isinstance(node, list) and part < len(node) and isinstance(node[part], dict) and "id" in node[part]:
                label = str(node[part]["id"])
            out.append(f"[{label}]")
            node = node[part] if isinstance(node, list) and part < len(node) else None
        else:
            if part in ("function-after[_one_kind(), Distribution]", "float", "Distribution") or "function-" in str(part):
                continue
            out.append(("." if out else "") + str(part))
            node = node.get(part) if isinstance(node, dict) else None
    return "".join(out)


def _union_branch(loc: tuple) -> tuple[str | None, tuple]:
    """For an error inside a number-or-distribution field: which branch ('number' or
    'distribution') and the location of the field itself."""
    for k, part in enumerate(loc):
        text = str(part)
        if text == "float":
            return "number", loc[:k]
        if "Distribution" in text:
            return "distribution", loc[:k]
    return None, loc


def _first_error(data: Any, err: ValidationError) -> tuple[str, str]:
    # A Param is float | Distribution: when both branches fail, report the one the user meant,
    # judged by whether the field itself holds a table.
    errors = err.errors()
    chosen = errors[0]
    for e in errors:
        branch, field_loc = _union_branch(e["loc"])
        if branch is not None:
            is_table = isinstance(_walk(data, [p for p in field_loc if not _is_union_tag(p)]), dict)
            if (branch == "number") == is_table:
                continue
        chosen = e
        break
    loc = tuple(p for p in chosen["loc"] if not _is_union_tag(p))
    msg = chosen["msg"].removeprefix("Value error, ")
    given = _walk(data, list(loc))
    if chosen["type"] == "extra_forbidden":
        msg = "unknown key (not part of the scenario format; see docs/scenarios.md)"
    elif chosen["type"] == "missing":
        msg = "missing (required)"
    elif given is not None and "(got " not in msg and not isinstance(given, dict | list):
        msg = f"{msg} (got {given!r})"
    return _loc_text(data, loc), msg


def _is_union_tag(part: Any) -> bool:
    text = str(part)
    return text in ("float", "Distribution", "int", "str", "list[float]") or text.startswith("function-") \
        or text.startswith("tuple[") or text.startswith("list[") or text.startswith("constrained-")


def _walk(data: Any, loc: list) -> Any:
    node = data
    for part in loc:
        try:
            node = node[part]
        except (KeyError, IndexError, TypeError):
            return None
    return node


def parse_scenario(data: dict, path: str | Path = "<scenario>") -> Scenario:
    """Validate already-parsed TOML data."""
    if "path" in data:
        raise ScenarioError(path, "path", "unknown key (not part of the scenario format; see docs/scenarios.md)")
    try:
        return Scenario.model_validate({**data, "path": str(path)})
    except ValidationError as err:
        for e in err.errors():
            ctx = e.get("ctx") or {}
            if isinstance(ctx.get("error"), _RefError):
                raise ScenarioError(path, ctx["error"].where, str(ctx["error"])) from None
        where, msg = _first_error(data, err)
        raise ScenarioError(path, where, msg) from None


def _read_toml(path: Path) -> dict:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ScenarioError(path, "", "no such file") from None
    except IsADirectoryError:
        raise ScenarioError(path, "", "is a folder, not a scenario file") from None
    except (OSError, UnicodeDecodeError) as err:
        raise ScenarioError(path, "", f"cannot read: {err}") from None
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        raise ScenarioError(path, "", f"TOML syntax error: {err}") from None


def merge_scenarios(base: Any, over: Any) -> Any:
    """``over`` laid on ``base``: tables merge key by key; lists of tables that all have an
    ``id`` (actors, issues, events, side offers) merge item by item by id, new ids appended;
    anything else (numbers, strings, other lists such as ties) is replaced.

    >>> merge_scenarios({"a": 1, "t": {"x": 1, "y": 2}}, {"t": {"y": 3}})
    {'a': 1, 't': {'x': 1, 'y': 3}}
    """
    if isinstance(base, dict) and isinstance(over, dict):
        out = dict(base)
        for key, value in over.items():
            out[key] = merge_scenarios(base[key], value) if key in base else value
        return out
    by_id = (isinstance(base, list) and isinstance(over, list) and base and over
             and all(isinstance(x, dict) and "id" in x for x in base + over))
    if by_id:
        out = list(base)
        index = {item["id"]: k for k, item in enumerate(out)}
        for item in over:
            if item["id"] in index:
                out[index[item["id"]]] = merge_scenarios(out[index[item["id"]]], item)
            else:
                out.append(item)
        return out
    return over


def _resolve_extends(path: Path, data: dict, seen: tuple[Path, ...]) -> dict:
    """A scenario may start from another: ``extends = "jerusalem-2019.toml"`` (relative to the
    file) and change only what differs, e.g. ``[summit] sequencing = ["after_verified"]``."""
    parent = data.get("extends")
    if parent is None:
        return data
    if not isinstance(parent, str):
        raise ScenarioError(path, "extends", f"must be the path of another scenario file (got {parent!r})")
    parent_path = (path.parent / parent).resolve()
    if parent_path in seen or len(seen) > 8:
        raise ScenarioError(path, "extends", f"'{parent}' extends this file again (a cycle)")
    if not parent_path.exists():
        raise ScenarioError(path, "extends", f"no such scenario file '{parent}' (relative to this file)")
    base = _resolve_extends(parent_path, _read_toml(parent_path), (*seen, parent_path))
    child = {k: v for k, v in data.items() if k != "extends"}
    return merge_scenarios({k: v for k, v in base.items() if k != "backtest"}, child)


def load_scenario(path: str | Path) -> Scenario:
    """Read and validate a scenario file; every failure is a one-line ScenarioError."""
    path = Path(path)
    data = _resolve_extends(path, _read_toml(path), (path.resolve(),))
    return parse_scenario(data, path)


def json_schema() -> str:
    """The scenario format as JSON Schema, for editors."""
    schema = Scenario.model_json_schema()
    schema["properties"].pop("path", None)
    schema["title"] = "summit scenario"
    return json.dumps(schema, indent=2)


# --------------------------------------------------------------------------- compiled form

@dataclass(frozen=True)
class ParamSlot:
    """One parameter of the run arrays: its name, where it lives and its value or distribution."""

    name: str
    target: Target
    value: Param


@dataclass(frozen=True)
class CompiledEffect:
    target: Target
    op: str
    value: float
    text: str


@dataclass(frozen=True)
class CompiledEvent:
    index: int
    id: str
    text: str
    round: int | None
    probability: float | None
    first: int
    last: int
    repeat: bool
    effects: tuple[CompiledEffect, ...]
    chosen_by: int = -1         # actor index, or -1 for chance or schedule


@dataclass(frozen=True)
class CompiledSideOffer:
    index: int
    id: str
    by: int
    to: int
    text: str
    issue: int
    at_least: int
    effects: tuple[CompiledEffect, ...]


@dataclass(frozen=True)
class Spec:
    """A scenario as arrays: A actors, I issues, at most L levels per issue."""

    scenario: Scenario
    actor_ids: tuple[str, ...]
    issue_ids: tuple[str, ...]
    n_levels: np.ndarray        # (I,)
    level_ok: np.ndarray        # (I, L) bool: level exists
    giver: np.ndarray           # (I,) actor index
    is_action: np.ndarray       # (I,) bool
    resist: np.ndarray          # (I, A) resistance weight of each actor
    difficulty: np.ndarray      # (I, L)
    presence_of: np.ndarray     # (I,) actor index or -1
    presence: np.ndarray        # (I, L) presence left at each level
    values: np.ndarray          # (A, I, L) utility of each level, padded with the top level's
    at_table: np.ndarray        # (A,) bool
    table_order: tuple[int, ...]
    reciprocating: np.ndarray   # (A,) bool
    outside_option: np.ndarray  # (A,) bool: the actor names a walk_away of its own
    counts_influence: np.ndarray  # (A,) bool: weighs presence issues by the influence removed
    limits: tuple[tuple[int, int, int, bool, str], ...]   # (actor, issue, at_most, unless_av, text)
    sequencings: tuple[int, ...]  # allowed: 0 on_promise, 1 after_verified
    slots: tuple[ParamSlot, ...]
    events: tuple[CompiledEvent, ...]
    side_offers: tuple[CompiledSideOffer, ...]
    rules: Rules
    shapes: dict[str, tuple[int, ...]] = field(default_factory=dict)

    @property
    def n_actors(self) -> int:
        return len(self.actor_ids)

    @property
    def n_issues(self) -> int:
        return len(self.issue_ids)

    @property
    def deadline(self) -> int:
        return self.scenario.summit.deadline

    def sampled_slots(self) -> list[ParamSlot]:
        """Parameters drawn per run, one per name (a tie's mirror shares its name and draw)."""
        seen: dict[str, ParamSlot] = {}
        for s in self.slots:
            if isinstance(s.value, Distribution):
                seen.setdefault(s.name, s)
        return list(seen.values())


def compile_scenario(sc: Scenario) -> Spec:
    A, I = len(sc.actors), len(sc.issues)
    L = max(len(i.levels) for i in sc.issues)
    actor_ix = {a.id: k for k, a in enumerate(sc.actors)}
    n_levels = np.array([len(i.levels) for i in sc.issues])
    level_ok = np.arange(L)[None, :] < n_levels[:, None]
    resist = np.zeros((I, A))
    difficulty = np.ones((I, L))
    presence_of = np.full(I, -1)
    presence = np.ones((I, L))
    for i, issue in enumerate(sc.issues):
        for name, w in issue.resisted_by.items():
            resist[i, actor_ix[name]] = w
        d = issue.level_difficulty()
        difficulty[i] = d + [d[-1]] * (L - len(d))
        if issue.presence is not None:
            presence_of[i] = actor_ix[issue.presence.actor]
            p = list(issue.presence.levels)
            presence[i] = p + [p[-1]] * (L - len(p))
    values = np.full((A, I, L), 0.5)
    for a, actor in enumerate(sc.actors):
        for i, issue in enumerate(sc.issues):
            v = actor.values.get(issue.id)
            if v is not None:
                values[a, i] = list(v) + [v[-1]] * (L - len(v))

    slots: list[ParamSlot] = []
    for a, actor in enumerate(sc.actors):
        for name in ("capability", "strength", "entrenchment", "walk_away", "reciprocity", "promise_cost"):
            value = getattr(actor, name)
            if value is not None:   # an actor without a walk_away takes its no-deal value
                slots.append(ParamSlot(f"{actor.id}.{name}", Target(name, (a,)), value))
        shift = sum(c.utility.get(actor.id, 0.0) for c in sc.no_deal)
        slots.append(ParamSlot(f"{actor.id}.no_deal_shift", Target("no_deal_shift", (a,)), shift))
        e = actor.concession if actor.concession is not None else STYLE_EXPONENT[actor.style]
        slots.append(ParamSlot(f"{actor.id}.concession", Target("concession", (a,)), e))
        for i, issue in enumerate(sc.issues):
            slots.append(ParamSlot(f"{actor.id}.salience.{issue.id}", Target("salience", (a, i)),
                                   actor.salience.get(issue.id, 0.0)))
            if issue.giver == actor.id:
                slots.append(ParamSlot(f"{actor.id}.willingness.{issue.id}", Target("willingness", (a, i)),
                                       actor.willingness.get(issue.id, 1.0)))
    # belief[observer, giver] starts at the giver's record unless the observer says otherwise.
    for g, giver in enumerate(sc.actors):
        for o, observer in enumerate(sc.actors):
            value = observer.beliefs.get(giver.id, giver.credibility) if o != g else 1.0
            slots.append(ParamSlot(f"{observer.id}.belief.{giver.id}", Target("belief", (o, g)), value))
    for tie in sc.ties:
        a, b = actor_ix[tie.between[0]], actor_ix[tie.between[1]]
        name = f"tie.{tie.between[0]}.{tie.between[1]}"
        slots.append(ParamSlot(name, Target("tie", (a, b)), tie.strength))
        slots.append(ParamSlot(name, Target("tie", (b, a)), tie.strength))  # same name: the same draw

    def effects(items: list[Effect]) -> tuple[CompiledEffect, ...]:
        return tuple(CompiledEffect(resolve_target(sc, e.target), e.op, float(e.value), e.target) for e in items)

    events = tuple(
        CompiledEvent(k, ev.id, ev.text, ev.round, ev.probability,
                      (ev.rounds or (1, sc.summit.deadline))[0], (ev.rounds or (1, sc.summit.deadline))[1],
                      ev.repeat, effects(ev.effects), actor_ix[ev.chosen_by] if ev.chosen_by else -1)
        for k, ev in enumerate(sc.events))
    issue_ix = {i.id: k for k, i in enumerate(sc.issues)}
    side = tuple(
        CompiledSideOffer(k, so.id, actor_ix[so.by], actor_ix[so.to], so.text, issue_ix[so.when.issue],
                          so.when.at_least, effects(so.effects))
        for k, so in enumerate(sc.side_offers))
    return Spec(
        scenario=sc,
        actor_ids=tuple(actor_ix),
        issue_ids=tuple(issue_ix),
        n_levels=n_levels,
        level_ok=level_ok,
        giver=np.array([actor_ix[i.giver] for i in sc.issues]),
        is_action=np.array([i.kind == "action" for i in sc.issues]),
        resist=resist,
        difficulty=difficulty,
        presence_of=presence_of,
        presence=presence,
        values=values,
        at_table=np.array([a.id in sc.summit.table for a in sc.actors]),
        table_order=tuple(actor_ix[x] for x in sc.summit.table),
        reciprocating=np.array([a.style == "reciprocating" for a in sc.actors]),
        outside_option=np.array([a.walk_away is not None for a in sc.actors]),
        counts_influence=np.array([a.counts_influence for a in sc.actors]),
        limits=tuple((k, issue_ix[lim.issue], lim.at_most, lim.unless_after_verified, lim.text)
                     for k, a in enumerate(sc.actors) for lim in a.limits),
        sequencings=tuple(SEQUENCINGS.index(s) for s in sc.summit.sequencing),
        slots=tuple(slots),
        events=events,
        side_offers=side,
        rules=sc.rules,
        shapes={"capability": (A,), "strength": (A,), "entrenchment": (A,), "walk_away": (A,),
                "concession": (A,), "reciprocity": (A,), "promise_cost": (A,), "no_deal_shift": (A,),
                "no_deal": (A,), "salience": (A, I), "willingness": (A, I),
                "belief": (A, A), "tie": (A, A)},
    )


def load_spec(path: str | Path) -> Spec:
    return compile_scenario(load_scenario(path))
