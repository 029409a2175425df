"""The compiled form of a scenario: index arrays the rules work on (:class:`Spec`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from summit.scenario.format import (
    SEQUENCINGS,
    STYLE_EXPONENT,
    Actor,
    Distribution,
    Effect,
    Param,
    Rules,
    Scenario,
)
from summit.scenario.load import load_scenario
from summit.scenario.parameters import ACTOR_SCALARS, Target, array_shapes, resolve_target

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
    chosen_by: int = -1  # actor index, or -1 for chance or schedule


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
    acceptance: float = 1.0  # the AI recipient's chance of taking it


@dataclass(frozen=True)
class CompiledStatement:
    index: int
    id: str
    by: int
    text: str
    probability: float  # the AI's chance of sending it in a round of its window
    first: int
    last: int
    repeat: bool
    effects: tuple[CompiledEffect, ...]


@dataclass(frozen=True)
class Spec:
    """A scenario as arrays: A actors, I issues, at most L levels per issue."""

    scenario: Scenario
    actor_ids: tuple[str, ...]
    issue_ids: tuple[str, ...]
    n_levels: np.ndarray  # (I,)
    level_ok: np.ndarray  # (I, L) bool: level exists
    giver: np.ndarray  # (I,) actor index
    is_action: np.ndarray  # (I,) bool
    resist: np.ndarray  # (I, A) resistance weight of each actor
    difficulty: np.ndarray  # (I, L)
    presence_of: np.ndarray  # (I,) actor index or -1
    presence: np.ndarray  # (I, L) presence left at each level
    values: np.ndarray  # (A, I, L) utility of each level, padded with the top level's
    at_table: np.ndarray  # (A,) bool
    table_order: tuple[int, ...]
    reciprocating: np.ndarray  # (A,) bool
    outside_option: np.ndarray  # (A,) bool: the actor names a walk_away of its own
    counts_influence: np.ndarray  # (A,) bool: weighs presence issues by the influence removed
    limits: tuple[tuple[int, int, int, bool, str], ...]  # (actor, issue, at_most, unless_av, text)
    sequencings: tuple[int, ...]  # allowed: 0 on_promise, 1 after_verified
    slots: tuple[ParamSlot, ...]
    events: tuple[CompiledEvent, ...]
    side_offers: tuple[CompiledSideOffer, ...]
    rules: Rules
    shapes: dict[str, tuple[int, ...]] = field(default_factory=dict)
    settings: tuple[str, ...] = ()  # `--set NAME=VALUE` applied to the slots (summit.overrides)
    statements: tuple[CompiledStatement, ...] = ()
    efforts: tuple[tuple[float, ...], ...] = ()  # per actor: stances it may choose (empty: none)
    effort_cost: np.ndarray | None = None  # (A,) utility cost per unit of effort

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


def _scalar(sc: Scenario, actor: Actor, name: str) -> Param | None:
    """An actor's value of a one-per-actor parameter; concession defaults to its style's, the
    no-deal shift is the sum of the declared no-deal consequences, and an actor without a
    walk_away has none (it takes its no-deal value)."""
    if name == "concession" and actor.concession is None:
        return STYLE_EXPONENT[actor.style]
    if name == "no_deal_shift":
        return sum(c.utility.get(actor.id, 0.0) for c in sc.no_deal)
    return getattr(actor, name)


def compile_scenario(sc: Scenario) -> Spec:
    """The scenario as index arrays and parameter slots (names from the parameter table)."""
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
        for name in ACTOR_SCALARS:
            value = _scalar(sc, actor, name)
            if value is not None:
                slots.append(ParamSlot(f"{actor.id}.{name}", Target(name, (a,)), value))
        for i, issue in enumerate(sc.issues):
            slots.append(
                ParamSlot(
                    f"{actor.id}.salience.{issue.id}",
                    Target("salience", (a, i)),
                    actor.salience.get(issue.id, 0.0),
                )
            )
            if issue.giver == actor.id:
                slots.append(
                    ParamSlot(
                        f"{actor.id}.willingness.{issue.id}",
                        Target("willingness", (a, i)),
                        actor.willingness.get(issue.id, 1.0),
                    )
                )
    # belief[observer, giver] starts at the giver's record unless the observer says otherwise.
    for g, giver in enumerate(sc.actors):
        for o, observer in enumerate(sc.actors):
            value = observer.beliefs.get(giver.id, giver.credibility) if o != g else 1.0
            slots.append(
                ParamSlot(f"{observer.id}.belief.{giver.id}", Target("belief", (o, g)), value)
            )
    for tie in sc.ties:
        a, b = actor_ix[tie.between[0]], actor_ix[tie.between[1]]
        name = f"tie.{tie.between[0]}.{tie.between[1]}"
        slots.append(ParamSlot(name, Target("tie", (a, b)), tie.strength))
        slots.append(
            ParamSlot(name, Target("tie", (b, a)), tie.strength)
        )  # same name: the same draw

    def effects(items: list[Effect]) -> tuple[CompiledEffect, ...]:
        return tuple(
            CompiledEffect(resolve_target(sc, e.target), e.op, float(e.value), e.target)
            for e in items
        )

    events = tuple(
        CompiledEvent(
            k,
            ev.id,
            ev.text,
            ev.round,
            ev.probability,
            (ev.rounds or (1, sc.summit.deadline))[0],
            (ev.rounds or (1, sc.summit.deadline))[1],
            ev.repeat,
            effects(ev.effects),
            actor_ix[ev.chosen_by] if ev.chosen_by else -1,
        )
        for k, ev in enumerate(sc.events)
    )
    issue_ix = {i.id: k for k, i in enumerate(sc.issues)}
    side = tuple(
        CompiledSideOffer(
            k,
            so.id,
            actor_ix[so.by],
            actor_ix[so.to],
            so.text,
            issue_ix[so.when.issue],
            so.when.at_least,
            effects(so.effects),
            so.acceptance,
        )
        for k, so in enumerate(sc.side_offers)
    )
    statements = tuple(
        CompiledStatement(
            k,
            st.id,
            actor_ix[st.by],
            st.text,
            st.probability,
            *(st.rounds or (1, sc.summit.deadline)),
            st.repeat,
            effects(st.effects),
        )
        for k, st in enumerate(sc.statements)
    )
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
        limits=tuple(
            (k, issue_ix[lim.issue], lim.at_most, lim.unless_after_verified, lim.text)
            for k, a in enumerate(sc.actors)
            for lim in a.limits
        ),
        sequencings=tuple(SEQUENCINGS.index(s) for s in sc.summit.sequencing),
        slots=tuple(slots),
        events=events,
        side_offers=side,
        rules=sc.rules,
        shapes=array_shapes(A, I),
        statements=statements,
        efforts=tuple(tuple(a.resistance.efforts) if a.resistance else () for a in sc.actors),
        effort_cost=np.array([a.resistance.cost if a.resistance else 0.0 for a in sc.actors]),
    )


def load_spec(path: str | Path) -> Spec:
    """Load and compile a scenario file."""
    return compile_scenario(load_scenario(path))
