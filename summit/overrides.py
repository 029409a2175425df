"""Parameters set by name before a game: `--set NAME=VALUE`, the start screen's what-if panel.

The one place where a setting is read, checked against the scenario and applied. A name is one of
the scenario's parameters ('russia.capability', 'russia.willingness.iran_withdrawal',
'us.belief.russia', 'tie.russia.iran', ...) or a group of them:

- ``ACTOR.willingness``: every issue ACTOR gives, moved together (the article's "is Russia
  willing" as one number);
- ``ACTOR.credibility``: every other actor's starting belief in ACTOR's promises.

A value is a number or a distribution: ``0.9``, ``uniform:0.6,1``, ``triangular:0,0.5,1``,
``normal:0.5,0.1`` (truncated to the parameter's range), ``beta:2,5``, ``choice:0.2,0.8``. A
distribution set on a group gives all its members one shared draw (one column in a batch table).

Settings change the compiled Spec's parameter slots (``apply``) and are recorded on it
(``spec.settings``), so a run, a batch, a map and a saved game with the same settings replay alike.
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass

from pydantic import ValidationError

from summit.errors import UsageError
from summit.scenario import RANGES, Distribution, ParamSlot, Spec, Target, resolve_target
from summit.scenario.parameters import ACTOR_FIELDS

KINDS = ("uniform", "triangular", "normal", "beta", "choice")
GROUPS = ("willingness", "credibility")


@dataclass(frozen=True)
class Setting:
    """One `NAME=VALUE`: ``text`` is how it was written, ``value`` a number or a Distribution."""

    name: str
    value: float | Distribution
    text: str

    def describe(self) -> str:
        shown = f"{self.value:g}" if isinstance(self.value, float) else self.value.describe()
        return f"{self.name} = {shown}"


def members(spec: Spec, name: str) -> list[str]:
    """The slot names a setting name stands for (itself, or a group's members); [] if none."""
    slot_names = parameter_names(spec)
    if name in slot_names:
        return [name]
    parts = name.split(".")
    if parts[0] == "tie" and len(parts) == 3 and f"tie.{parts[2]}.{parts[1]}" in slot_names:
        return [f"tie.{parts[2]}.{parts[1]}"]  # a tie either way round
    if len(parts) != 2 or parts[0] not in spec.actor_ids or parts[1] not in GROUPS:
        return []
    actor = parts[0]
    if parts[1] == "willingness":
        return [n for n in slot_names if n.startswith(f"{actor}.willingness.")]
    return [f"{o}.belief.{actor}" for o in spec.actor_ids if o != actor]


def parameter_names(spec: Spec) -> list[str]:
    """Every settable slot name (mirrors merged; an actor's belief in itself, always 1, left
    out)."""
    own_belief = {f"{a}.belief.{a}" for a in spec.actor_ids}
    return list(dict.fromkeys(s.name for s in spec.slots if s.name not in own_belief))


def group_names(spec: Spec) -> list[str]:
    """The group names this scenario accepts (actors that give something have a willingness)."""
    out = []
    for actor in spec.actor_ids:
        out += [f"{actor}.{g}" for g in GROUPS if members(spec, f"{actor}.{g}")]
    return out


def targets(spec: Spec, name: str) -> list[Target]:
    """Where a setting name lives in the run arrays (a tie's two directions, a group's members)."""
    names = members(spec, name)
    if names:
        wanted = set(names)
        return [s.target for s in spec.slots if s.name in wanted]
    try:  # a place in the arrays the scenario sets no value for (an undeclared tie): still settable
        target = resolve_target(spec.scenario, name, "parameter")
    except ValueError:
        raise UsageError(unknown_name(spec, name)) from None
    if target.array == "tie":
        return [target, Target("tie", target.index[::-1])]
    return [target]


def bounds(spec: Spec, name: str) -> tuple[float, float]:
    """The valid range of a setting (capability 0..1, strength 0..10, salience 0..100, ...)."""
    return RANGES[targets(spec, name)[0].array]


def unknown_name(spec: Spec, name: str) -> str:
    actors = ", ".join(spec.actor_ids)
    return (
        f"unknown parameter '{name}' (use <actor>.{'|'.join(ACTOR_FIELDS + GROUPS)}, "
        f"<actor>.willingness.<issue> of an issue "
        f"it gives, <actor>.salience.<issue>, <actor>.belief.<actor>, tie.<actor>.<actor>; "
        f"actors: {actors})"
    )


def parse_value(text: str, within: tuple[float, float] = (0.0, 1.0)) -> float | Distribution:
    """A number, or KIND:a,b,... as a Distribution; ValueError with the reason otherwise.
    A normal without bounds is truncated to ``within`` (the parameter's range).

    >>> parse_value("0.9")
    0.9
    >>> parse_value("uniform:0.6,1").uniform
    (0.6, 1.0)
    """
    kind, sep, rest = text.partition(":")
    kind = kind.strip().lower()
    if not sep:
        try:
            value = float(text)
        except ValueError:
            raise ValueError(
                f"'{text}' is neither a number nor KIND:a,b ({', '.join(KINDS)})"
            ) from None
        if not math.isfinite(value):
            raise ValueError(f"a value must be finite (got {text})")
        return value
    if kind not in KINDS:
        raise ValueError(f"unknown distribution '{kind}' (use {', '.join(KINDS)})")
    try:
        numbers = [float(x) for x in rest.split(",")]
    except ValueError:
        raise ValueError(f"{kind} needs numbers separated by commas (got '{rest}')") from None
    return _distribution(kind, numbers, within)


_ARITY = {"uniform": (2,), "triangular": (3,), "normal": (2, 4), "beta": (2, 4)}


def _distribution(kind: str, numbers: list[float], within: tuple[float, float]) -> Distribution:
    if kind in _ARITY and len(numbers) not in _ARITY[kind]:
        counts = " or ".join(str(n) for n in _ARITY[kind])
        raise ValueError(f"{kind} takes {counts} numbers (got {len(numbers)})")
    fields: dict = {kind: numbers}
    if kind == "normal":
        fields = {"normal": numbers[:2], "within": numbers[2:] or list(within)}
    elif kind == "beta" and len(numbers) == 4:
        fields = {"beta": numbers[:2], "scale": numbers[2:]}
    try:
        return Distribution(**fields)
    except ValidationError as err:
        raise ValueError(err.errors()[0]["msg"].removeprefix("Value error, ")) from None


def parse(spec: Spec, text: str) -> Setting:
    """Read and check one `NAME=VALUE` against the scenario: a UsageError in one line if bad."""
    name, sep, raw = text.partition("=")
    name, raw = name.strip(), raw.strip()
    if not sep or not name or not raw:
        raise UsageError(f"--set {text}: write NAME=VALUE (for example russia.capability=0.9)")
    if not members(spec, name):
        raise UsageError(f"--set {text}: {unknown_name(spec, name)}")
    lo, hi = bounds(spec, name)
    try:
        value = parse_value(raw, (lo, min(hi, 1e9)))
        _check_range(value, lo, hi)
    except ValueError as err:
        raise UsageError(f"--set {text}: {err}") from None
    return Setting(name, value, f"{name}={raw}")


def _check_range(value: float | Distribution, lo: float, hi: float) -> None:
    low, high = (value, value) if isinstance(value, float) else value.support()
    if low < lo or high > hi:
        shown = f"{value:g}" if isinstance(value, float) else value.describe()
        bound = f"between {lo:g} and {hi:g}" if hi != math.inf else f"at least {lo:g}"
        raise ValueError(f"must be {bound} (got {shown})")


def parse_all(spec: Spec, texts: list[str] | tuple[str, ...]) -> list[Setting]:
    """Every `--set`, in order (a later one for the same name wins)."""
    by_name: dict[str, Setting] = {}
    for text in texts:
        setting = parse(spec, text)
        by_name.pop(setting.name, None)
        by_name[setting.name] = setting
    return list(by_name.values())


def apply(spec: Spec, settings: list[Setting]) -> Spec:
    """The Spec with these settings in its parameter slots and recorded in ``spec.settings``."""
    if not settings:
        return spec
    slots = list(spec.slots)
    for setting in settings:
        wanted = set(members(spec, setting.name))
        shared = isinstance(setting.value, Distribution) and len(wanted) > 1
        for k, slot in enumerate(slots):
            if slot.name in wanted:
                name = setting.name if shared else slot.name  # one name: one draw for the group
                slots[k] = ParamSlot(name, slot.target, setting.value)
    texts = tuple(s.text for s in settings)
    return dataclasses.replace(spec, slots=tuple(slots), settings=spec.settings + texts)


def with_settings(spec: Spec, texts: list[str] | tuple[str, ...] | None) -> Spec:
    """Parse, check and apply `--set` texts (the one call every command makes)."""
    return apply(spec, parse_all(spec, list(texts or ())))


def add_argument(parser) -> None:
    """The `--set NAME=VALUE` option, the same on every command."""
    parser.add_argument(
        "--set",
        dest="settings",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="set a parameter before play, e.g. russia.capability=0.9 or "
        "russia.willingness=uniform:0.6,1 (repeatable; ACTOR.willingness sets "
        "all of its issues, ACTOR.credibility others' belief in it)",
    )
