"""What no deal is worth, what delay costs and what a broken promise costs (docs/model.md).

No deal is the status quo: every issue stays at level 0, plus the consequences the scenario
declares for a failed summit (``[[no_deal]]``),

    d_a = sum_i w[a, i] * v[a, i, 0] + shift_a

An actor that names an outside option of its own (``walk_away``) keeps it as its walk-away
value; any other actor walks away at d_a. Nobody settles below d_a.

Time costs something (Rubinstein 1982; Binmore, Rubinstein & Wolinsky 1986): after a round
without a deal the talks break down with probability ``breakdown_risk`` = p, and a deal's
surplus is discounted by ``discount`` = delta a round. An actor who holds out one more round
keeps only rho = delta * (1 - p) of what it hopes to gain, so its aspiration falls by rho each
round on top of its concession curve (offers.aspirations).

A promise has a price (Kreps & Wilson 1982; Sobel 1985: reputation for keeping promises): a
giver who promises level L of an action it then delivers only D of pays

    price = promise_cost[g] * sigma_i * (L - D) / (n_levels_i - 1)

where sigma_i is the mean salience weight the other negotiators put on issue i. A giver values
its promises net of the price it expects to pay, E[L - D] from its own (true) delivery odds.
"""

from __future__ import annotations

import numpy as np

from summit import rng
from summit.rules import kernels, package_kernels


def no_deal_value(spec, w: np.ndarray, shift: np.ndarray) -> np.ndarray:
    """Every actor's value of the status quo plus the declared no-deal consequences: (R, A)."""
    out = np.empty(w.shape[:2])
    status_quo = kernels.weighted_sum(  # sum_last(w * values at level 0)
        np.ascontiguousarray(w, dtype=float), np.ascontiguousarray(spec.values[..., 0]), out
    )
    return status_quo + shift


def refresh(spec, p: dict, w: np.ndarray) -> dict:
    """Parameters with the no-deal value and the walk-away values of actors that name none
    brought up to date (they move when an event changes a salience)."""
    d = no_deal_value(spec, w, p["no_deal_shift"])
    walk = np.where(spec.outside_option[None], p["walk_away"], d)
    return dict(p, no_deal=d, walk_away=walk)


def delay_factor(spec, round_no: int) -> float:
    """rho ** (round - 1): the share of its hoped-for gain an actor still counts on."""
    rules = spec.rules
    rho = rules.discount * (1.0 - rules.breakdown_risk)
    return rho ** max(round_no - 1, 0)


def horizon(spec) -> float:
    """The number of rounds the talks are expected to last, E[min(deadline, breakdown)] =
    sum_{r=0..D-1} (1 - p) ** r = (1 - (1 - p) ** D) / p (the deadline D when p = 0): the end
    an actor concedes against, not the calendar deadline alone."""
    p, deadline = spec.rules.breakdown_risk, spec.deadline
    return float(deadline) if p <= 0 else (1.0 - (1.0 - p) ** deadline) / p


def breaks_down(spec, seeds: np.ndarray, round_no: int) -> np.ndarray:
    """Which runs' talks break down after this round without a deal: (R,) bool."""
    risk = spec.rules.breakdown_risk
    if risk <= 0:
        return np.zeros(len(seeds), dtype=bool)
    return rng.uniform(seeds.astype(np.uint64), rng.BREAKDOWN, round_no) < risk


def observer_salience(spec, w_all: np.ndarray) -> np.ndarray:
    """sigma (R, I): the mean salience weight the negotiators other than each issue's giver put
    on it (every other actor when the giver negotiates alone)."""
    A = spec.n_actors
    others = spec.at_table[None, :] & (np.arange(A)[None, :] != spec.giver[:, None])  # (I, A)
    others = np.where(
        others.any(axis=1, keepdims=True), others, np.arange(A)[None, :] != spec.giver[:, None]
    )
    out = np.empty(w_all.shape[0::2])
    return package_kernels.observer_salience(np.ascontiguousarray(w_all, dtype=float), others, out)


def expected_price(
    spec, p: dict, w_all: np.ndarray, frac: np.ndarray, actors: np.ndarray
) -> np.ndarray:
    """What each valued actor expects to pay for breaking each promise it might make:
    (R, P, I, L), zero except for givers of actions. frac is the actor's own expected
    delivered share E[D] / L at each level L."""
    pairs = [
        (k, a, i)
        for k, a in enumerate(actors)
        for i in np.flatnonzero(spec.is_action & (spec.giver == a))
    ]
    if not pairs:  # no valued actor gives an action
        return np.zeros(frac.shape)
    at, givers, issues = (np.array(column, dtype=np.int64) for column in zip(*pairs, strict=True))
    # price = promise_cost * sigma * L * (1 - frac) / (n_levels - 1), L the level promised
    return package_kernels.expected_price(
        np.ascontiguousarray(frac, dtype=float),
        np.ascontiguousarray(p["promise_cost"][:, givers]),
        observer_salience(spec, w_all),
        at,
        issues,
        np.maximum(spec.n_levels[issues] - 1, 1).astype(np.int64),
        np.empty(frac.shape),
    )


def realised_price(
    spec, p: dict, w_all: np.ndarray, levels: np.ndarray, delivered: np.ndarray
) -> np.ndarray:
    """What each giver pays for the promises it broke: (R, A)."""
    sigma = observer_salience(spec, w_all)
    top = np.maximum(spec.n_levels - 1, 1)[None]
    short = np.where(spec.is_action[None], np.maximum(levels - delivered, 0.0) / top * sigma, 0.0)
    out = np.zeros((len(levels), spec.n_actors))
    for i in range(spec.n_issues):
        g = spec.giver[i]
        out[:, g] = out[:, g] + p["promise_cost"][:, g] * short[:, i]
    return out
