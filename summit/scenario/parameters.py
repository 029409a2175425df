"""The one table of run parameters: name, range and shape, and the grammar of their names.

Validators, ranges, ``compile_scenario``, ``Spec.shapes``, ``params`` and the batch report's
column classifier all read it, so a new parameter is added here once.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

from summit.scenario.errors import RefError

if TYPE_CHECKING:
    from summit.scenario.format import Param, Scenario


def check_range(value: Param, lo: float, hi: float) -> Param:
    """A number, or every value a distribution can give, must lie in [lo, hi]."""
    low, high = (value, value) if isinstance(value, float | int) else value.support()
    if low < lo or high > hi:
        shown = value if isinstance(value, float | int) else value.describe()
        bound = f"between {lo:g} and {hi:g}" if hi != math.inf else f"at least {lo:g}"
        raise ValueError(f"must be {bound} (got {shown})")
    return value


def ranged(lo: float, hi: float):
    """A field validator: numbers and distributions must lie in [lo, hi]."""

    def check(value):
        if isinstance(value, dict):
            return value
        return check_range(value, lo, hi)

    return check


# --------------------------------------------------------------------------- the table


@dataclass(frozen=True)
class Parameter:
    """One kind of run parameter: an array ``params[name]`` of shape (R, *axes)."""

    name: str
    low: float
    high: float
    form: str  # how its names read: "actor" russia.capability, "actor.issue"
    # russia.willingness.iran_withdrawal, "actor.actor" us.belief.russia, "pair" tie.russia.iran
    meaning: str

    @property
    def axes(self) -> tuple[str, ...]:
        return {"actor": ("actor",), "actor.issue": ("actor", "issue")}.get(
            self.form, ("actor", "actor")
        )

    @property
    def pattern(self) -> str:
        return {
            "actor": f"<actor>.{self.name}",
            "actor.issue": f"<actor>.{self.name}.<issue>",
            "actor.actor": f"<actor>.{self.name}.<actor>",
            "pair": f"{self.name}.<actor>.<actor>",
        }[self.form]


PARAMETERS: tuple[Parameter, ...] = (
    Parameter("capability", 0.0, 1.0, "actor", "means to deliver actions it promises"),
    Parameter("strength", 0.0, 10.0, "actor", "weight when it resists an action"),
    Parameter("entrenchment", 0.0, 1.0, "actor", "how hard its presence is to remove"),
    Parameter("walk_away", 0.0, 1.0, "actor", "utility of its named outside option"),
    Parameter(
        "promise_cost", 0.0, 1.0, "actor", "price of a broken promise per weighted shortfall"
    ),
    Parameter(
        "no_deal_shift", -1.0, 1.0, "actor", "utility no-deal consequences add to the status quo"
    ),
    Parameter("reciprocity", 0.0, 1.0, "actor", "how far it mirrors others' concessions"),
    Parameter("concession", 0.01, 100.0, "actor", "concession exponent e of its style"),
    Parameter("willingness", 0.0, 1.0, "actor.issue", "will to deliver what it gives"),
    Parameter("salience", 0.0, 100.0, "actor.issue", "how much it cares about an issue"),
    Parameter("belief", 0.0, 1.0, "actor.actor", "belief that the other keeps promises"),
    Parameter("tie", 0.0, 1.0, "pair", "alliance between two actors (symmetric)"),
)
BY_NAME = {p.name: p for p in PARAMETERS}
RANGES = {p.name: (p.low, p.high) for p in PARAMETERS}
# Kept for callers that ask by form (events may change any of these).
ACTOR_SCALARS = {p.name: (p.low, p.high) for p in PARAMETERS if p.form == "actor"}
# Derived from the scenario's [[no_deal]] section, not a field of an actor.
ACTOR_FIELDS = tuple(name for name in ACTOR_SCALARS if name != "no_deal_shift")
ACTOR_PER_ISSUE = {p.name: (p.low, p.high) for p in PARAMETERS if p.form == "actor.issue"}


def array_shapes(n_actors: int, n_issues: int) -> dict[str, tuple[int, ...]]:
    """The shape of each parameter array after the run axis."""
    size = {"actor": n_actors, "issue": n_issues}
    return {p.name: tuple(size[axis] for axis in p.axes) for p in PARAMETERS}


def split_name(text: str) -> tuple[Parameter, tuple[str, ...]] | None:
    """Read a parameter name by its form alone: ('russia.willingness.x') -> (willingness,
    ('russia', 'x')); None when it is not a parameter name. Ids are not checked here.

    >>> kind, ids = split_name("tie.russia.iran"); kind.name, ids
    ('tie', ('russia', 'iran'))
    >>> split_name("delivered.iran_withdrawal") is None
    True
    """
    parts = text.split(".")
    if len(parts) == 3 and parts[0] in BY_NAME and BY_NAME[parts[0]].form == "pair":
        return BY_NAME[parts[0]], (parts[1], parts[2])
    kind = BY_NAME.get(parts[1]) if len(parts) in (2, 3) else None
    if kind is None or kind.form == "pair" or len(parts) != len(kind.axes) + 1:
        return None
    return kind, (parts[0], *parts[2:])


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
    'tie.russia.iran' to a Target, or explain what is wrong (a RefError)."""
    pools = {"actor": [a.id for a in sc.actors], "issue": [i.id for i in sc.issues]}
    found = split_name(text)
    if found is None:
        scalars = "<actor>." + "|".join(ACTOR_SCALARS)
        valid = ", ".join([scalars] + [p.pattern for p in PARAMETERS if p.form != "actor"])
        raise RefError(where, f"cannot read parameter '{text}' (use {valid})")
    kind, ids = found

    def index(name: str, what: str) -> int:
        if name not in pools[what]:
            known = ", ".join(pools[what])
            raise RefError(where, f"unknown {what} '{name}' in '{text}' ({what}s: {known})")
        return pools[what].index(name)

    at = tuple(index(name, axis) for name, axis in zip(ids, kind.axes, strict=True))
    if kind.form == "pair" and at[0] == at[1]:
        raise RefError(where, f"a tie needs two different actors (got '{text}')")
    return Target(kind.name, at)
