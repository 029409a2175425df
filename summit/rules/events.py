"""Events before a round and side offers by actors away from the table.

Both change parameters in ways the scenario states (``effects``). An event is scheduled for a
round or happens with a probability each round of a window; each draw comes from the run's own
stream, keyed by (round, event). A side offer is made by an actor away from the table when the
offer on the table threatens it (reaches a level of an issue and leaves it below its walk-away
value): Iran offering Russia a bigger share of Syria's economy, Assad offering bases.
"""

from __future__ import annotations

import numpy as np

from summit import rng
from summit.scenario import CompiledEffect, Spec


def apply_effects(params: dict, effects: tuple[CompiledEffect, ...], happened: np.ndarray) -> dict:
    """New parameter arrays with each effect applied in the runs where ``happened`` (R,) holds.
    Values are kept inside the parameter's valid range. Each array an effect changes is copied
    once, then changed in place: the input arrays are never written."""
    out = dict(params)
    copied = set()
    for effect in effects:
        name, index = effect.target.array, effect.target.index
        if name not in copied:
            out[name] = out[name].copy()
            copied.add(name)
        new = out[name]
        column = new[(slice(None), *index)]
        if effect.op == "add":
            changed = column + effect.value
        elif effect.op == "mul":
            changed = column * effect.value
        else:
            changed = np.full_like(column, effect.value)
        lo, hi = effect.target.bounds
        new[(slice(None), *index)] = np.where(happened, np.clip(changed, lo, hi), column)
        if name == "tie":  # ties are symmetric: keep the mirror in step
            new[(slice(None), *index[::-1])] = new[(slice(None), *index)]
    return out


def roll_events(
    spec: Spec,
    seeds: np.ndarray,
    round_no: int,
    fired: np.ndarray,
    active: np.ndarray,
    outside: np.ndarray | None = None,
) -> np.ndarray:
    """Which events happen before this round: (R, E) bool. ``outside`` (R, A): actors taking
    their outside option this round (nothing offered yet worth their no-deal value); an event
    ``chosen_by`` an actor happens when that actor takes it."""
    R, E = len(seeds), len(spec.events)
    happen = np.zeros((R, E), dtype=bool)
    if not E:
        return happen
    u = rng.uniform(seeds.astype(np.uint64)[:, None], rng.EVENTS, round_no, np.arange(E)[None, :])
    for ev in spec.events:
        if ev.chosen_by >= 0:
            chooses = np.zeros(R, dtype=bool) if outside is None else outside[:, ev.chosen_by]
            now = chooses & (ev.first <= round_no <= ev.last)
            if not ev.repeat:
                now &= ~fired[:, ev.index]
        elif ev.round is not None:
            now = np.full(R, ev.round == round_no)
        else:
            in_window = ev.first <= round_no <= ev.last
            now = (u[:, ev.index] < ev.probability) & in_window
            if not ev.repeat:
                now &= ~fired[:, ev.index]
        happen[:, ev.index] = now & active
    return happen


def scheduled_events(spec: Spec, round_no: int, runs: int) -> np.ndarray:
    """The events fixed to this round (no chance, no choice): (R, E) bool."""
    return np.array([[ev.round == round_no for ev in spec.events]] * runs, dtype=bool).reshape(
        runs, len(spec.events)
    )


def apply_events(spec: Spec, params: dict, happen: np.ndarray) -> dict:
    for ev in spec.events:
        if happen[:, ev.index].any():
            params = apply_effects(params, ev.effects, happen[:, ev.index])
    return params


def side_offers_made(
    spec: Spec,
    levels: np.ndarray,
    utility: np.ndarray,
    walk_away: np.ndarray,
    made: np.ndarray,
    live: np.ndarray,
) -> np.ndarray:
    """Side offers made this round: (R, S). ``levels`` (R, I) of the offer on the table, its
    ``utility`` (R, A) to every actor; ``made`` (R, S) those already made; ``live`` (R,) runs
    still negotiating."""
    R, S = levels.shape[0], len(spec.side_offers)
    now = np.zeros((R, S), dtype=bool)
    for so in spec.side_offers:
        threatened = (levels[:, so.issue] >= so.at_least) & (
            utility[:, so.by] < walk_away[:, so.by]
        )
        now[:, so.index] = threatened & ~made[:, so.index] & live
    return now


def apply_side_offers(spec: Spec, params: dict, now: np.ndarray) -> dict:
    for so in spec.side_offers:
        if now[:, so.index].any():
            params = apply_effects(params, so.effects, now[:, so.index])
    return params
