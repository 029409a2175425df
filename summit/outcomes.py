"""Named outcomes of finished runs: the columns of a batch table and the axes of analyses.

``schema(spec)`` declares every outcome column with its dtype; ``outcome_columns(spec, state,
result)`` fills them from the rules' final arrays for R runs. Names are built from the
scenario's own actor and issue ids, so any scenario works:

    deal, end_reason, end_round, walked_out, sequencing,
    agreed.<issue>, delivered.<issue>,               (levels; delivered may be fractional)
    <actor>.payoff, <actor>.gain, <actor>.paid, <actor>.got, <actor>.overpaid,
    <actor>.paid_for_unkept, <actor>.credibility_before, <actor>.credibility_after,
    <actor>.broken_promises,
    <actor>_presence, <actor>_influence              (for actors whose presence an issue moves)

The outcomes derived from those numbers (did an actor pay for promises not kept, which level a
delivery reached, was a commitment delivered in full) are defined here once, for the table,
the outcome record, the summary and the reports alike.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from summit.rules.credibility import standing
from summit.rules.phases import Result
from summit.scenario import Spec

if TYPE_CHECKING:  # the state's module loads the compiled rules; the names need only types
    from summit.rules.state import State

UNKEPT_SHARE = 0.005  # an overpaid share above half a percent counts as paying for promises unkept
LEVEL_TOLERANCE = 1e-9  # delivered positions are sums of floats: 2 - 1e-12 has reached level 2

_HEAD = {
    "deal": np.bool_,
    "end_reason": np.int8,  # code into rules.game.END_REASONS
    "end_round": np.int16,
    "walked_out": np.int16,  # actor index, -1 for nobody
    "sequencing": np.int8,  # code into scenario.SEQUENCINGS, -1 without a deal
}
_PER_ACTOR = {
    "payoff": np.float64,
    "gain": np.float64,
    "paid": np.float64,
    "got": np.float64,
    "overpaid": np.float64,
    "paid_for_unkept": np.bool_,
    "credibility_before": np.float64,
    "credibility_after": np.float64,
    "broken_promises": np.float64,
}


def schema(spec: Spec) -> dict[str, np.dtype]:
    """Every outcome column of the scenario, in table order, with its dtype."""
    out = {name: np.dtype(t) for name, t in _HEAD.items()}
    out |= {f"agreed.{issue}": np.dtype(np.int8) for issue in spec.issue_ids}
    out |= {f"delivered.{issue}": np.dtype(np.float64) for issue in spec.issue_ids}
    for actor in spec.actor_ids:
        out |= {f"{actor}.{name}": np.dtype(t) for name, t in _PER_ACTOR.items()}
    for actor in presence_actors(spec):
        out |= {f"{actor}_{what}": np.dtype(np.float64) for what in ("presence", "influence")}
    return out


def presence_actors(spec: Spec) -> list[str]:
    """Actors whose military presence some issue moves (they get presence/influence columns)."""
    return [spec.actor_ids[a] for a in sorted({int(k) for k in spec.presence_of if k >= 0})]


def paid_for_unkept(overpaid: np.ndarray) -> np.ndarray:
    """Whether each share of payment not matched by delivered actions counts as paying for
    promises not kept."""
    return np.asarray(overpaid) > UNKEPT_SHARE


def delivered_level(x: np.ndarray) -> np.ndarray:
    """The level a fractional delivered position reached."""
    return np.floor(np.asarray(x) + LEVEL_TOLERANCE).astype(np.int64)


def delivered_in_full(delivered: np.ndarray, agreed: np.ndarray) -> np.ndarray:
    """Whether what was delivered reaches the level agreed."""
    return np.asarray(delivered) >= np.asarray(agreed) - LEVEL_TOLERANCE


def outcome_columns(spec: Spec, state: State, result: Result) -> dict[str, np.ndarray]:
    """The columns of ``schema(spec)`` for R runs. ``result.belief_before`` holds the
    beliefs as the talks ended, ``result.belief`` those after the deal was carried out (or
    not)."""
    values = _values(spec, state, result)
    return {
        name: np.asarray(values[name]).astype(dtype, copy=False)
        for name, dtype in schema(spec).items()
    }


def _values(spec: Spec, state: State, result: Result) -> dict[str, np.ndarray]:
    cols: dict[str, np.ndarray] = {
        "deal": result.deal,
        "end_reason": state.end_reason,
        "end_round": state.end_round,
        "walked_out": state.walked_out,
        "sequencing": np.where(result.deal, state.sequencing, -1),
    }
    for i, issue in enumerate(spec.issue_ids):
        cols[f"agreed.{issue}"] = result.levels[:, i]
        cols[f"delivered.{issue}"] = result.position[:, i]
    after, before = standing(result.belief), standing(result.belief_before)
    for a, actor in enumerate(spec.actor_ids):
        cols[f"{actor}.payoff"] = result.payoff[:, a]
        cols[f"{actor}.gain"] = result.payoff[:, a] - state.params["no_deal"][:, a]
        cols[f"{actor}.paid"] = result.paid[:, a]
        cols[f"{actor}.got"] = result.got[:, a]
        cols[f"{actor}.overpaid"] = result.overpaid[:, a]
        cols[f"{actor}.paid_for_unkept"] = paid_for_unkept(result.overpaid[:, a])
        cols[f"{actor}.credibility_before"] = before[:, a]
        cols[f"{actor}.credibility_after"] = after[:, a]
        cols[f"{actor}.broken_promises"] = result.price[:, a]
    for actor in presence_actors(spec):
        a = spec.actor_ids.index(actor)
        cols[f"{actor}_presence"] = result.presence[:, a]
        cols[f"{actor}_influence"] = result.influence[:, a]
    return cols
