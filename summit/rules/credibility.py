"""Credibility: what each actor believes about another's willingness to keep its promises.

An observer holds a belief over a grid of willingness types theta_k = (k + 1/2) / K (K =
``rules.willingness_types``). Its prior is a Beta distribution with mean b (the giver's record,
the scenario's ``credibility`` or the observer's own ``beliefs``) and weight n
(``rules.record_weight``, a record's worth in observations), taken on the grid (an observer
certain of the giver, b = 1, puts all its weight on a last type theta = 1):

    pi_k  proportional to  theta_k ** (b n - 1) * (1 - theta_k) ** ((1 - b) n - 1)

It values a promise at the odds of delivery under each type, P_k(D >= L), weighted by pi_k.
After a summit it sees how far each commitment got and updates by Bayes' rule, weighting each
issue by its salience to the observer (a tempered likelihood, exponent e = w_i / max_j w_j):

    pi'_k  proportional to  pi_k * prod_i P_k(observed D_i) ** e_i
    P_k(observed D) = P_k(D >= d) - P_k(D >= d + 1) when d < L,  P_k(D >= L) when d = L

The odds P_k carry the giver's capability and the resistance it met, so a failure where even a
willing giver would likely fail ("could not") moves the belief less than a failure where a
willing giver would have succeeded ("would not"). The credibility moves by what the evidence
moved the mean, b + sum_k (pi'_k - pi_k) theta_k (so no evidence leaves it exactly as it was).

That is the inference about willingness. Keeping promises is a reputation of its own (Kreps &
Wilson 1982; Milgrom & Roberts 1982; the Beta reputation of Josang & Ismail 2002): the record b
is the mean of a Beta(b n, (1 - b) n) belief that the giver keeps its next promise; each
promise is one trial, failed by the share of its promised levels not delivered and weighted by
the issue's salience to the observer,

    broken = sum_i e_i * (L_i - D_i) / L_i          (over the promises i of the giver)
    b'     = (b + sum_k (pi'_k - pi_k) theta_k) * n / (n + broken)

A kept promise raises b only through the willingness inference (so it is not counted twice); a
broken one lowers it whether the giver could not or would not deliver: an observer discounts
the next promise of a giver that promises what it then fails to deliver. b' is the credibility
observers use to discount promises (the prior mean above) and the record of the next summit.
"""

from __future__ import annotations

import numpy as np

from summit.rules import belief_kernels
from summit.rules.util import sum_last


def types(k: int) -> np.ndarray:
    """The willingness grid theta_k, (K,).

    >>> types(4).tolist()
    [0.125, 0.375, 0.625, 0.875]
    """
    return (np.arange(k) + 0.5) / k


def support(k: int) -> np.ndarray:
    """The grid and, last, theta = 1: the type of an observer certain of the giver (b = 1),
    (K + 1,)."""
    return np.append(types(k), 1.0)


def log_density(strength: float, k: int) -> tuple[np.ndarray, np.ndarray]:
    """The Beta(b n, (1 - b) n) log density on the grid is linear in b:
    log w_k = (b n - 1) log theta_k + ((1 - b) n - 1) log(1 - theta_k) = b * slope_k + offset_k.
    Returns (slope, offset), (K,) each."""
    theta = types(k)
    slope = strength * (np.log(theta) - np.log1p(-theta))
    offset = (strength - 1.0) * np.log1p(-theta) - np.log(theta)
    return slope, offset


def prior(belief: np.ndarray, strength: float, k: int) -> np.ndarray:
    """Weights pi (..., K + 1) of the Beta(b n, (1 - b) n) prior on the grid, for beliefs b
    (...); an observer with b = 1 puts all its weight on the last type, theta = 1 (the loop is
    belief_kernels.prior_into)."""
    belief = np.asarray(belief, dtype=float)
    out = np.empty((belief.size, k + 1))
    belief_kernels.priors(np.ascontiguousarray(belief.ravel()), *log_density(strength, k), out)
    return out.reshape((*belief.shape, k + 1))


def mean(weights: np.ndarray) -> np.ndarray:
    """Mean willingness of weights (..., K + 1)."""
    return sum_last(weights * support(weights.shape[-1] - 1))


def update_beliefs(
    belief: np.ndarray,
    type_odds: np.ndarray,
    levels: np.ndarray,
    delivered: np.ndarray,
    committed: np.ndarray,
    giver: np.ndarray,
    w: np.ndarray,
    strength: float,
) -> np.ndarray:
    """New beliefs (R, A_obs, A_giver) after a summit. type_odds (K + 1, R, I, L): delivery
    odds of each type with the stances met; levels, delivered (R, I); committed (R, A) givers
    that promised something; giver (I,); w (R, A, I) the observers' salience weights. The
    loop, the formulas above, is belief_kernels.update_beliefs."""
    out = np.empty(np.shape(belief))
    return belief_kernels.update_beliefs(
        np.ascontiguousarray(belief, dtype=float),
        np.ascontiguousarray(type_odds, dtype=float),
        np.ascontiguousarray(levels, dtype=np.int64),
        np.ascontiguousarray(delivered, dtype=float),
        np.ascontiguousarray(committed, dtype=np.bool_),
        np.ascontiguousarray(giver, dtype=np.int64),
        np.ascontiguousarray(w, dtype=float),
        float(strength),
        *log_density(strength, type_odds.shape[0] - 1),
        out,
    )


def standing(belief: np.ndarray) -> np.ndarray:
    """Credibility of each actor in the others' eyes: mean belief of the other actors, (R, A)."""
    A = belief.shape[1]
    others = ~np.eye(A, dtype=bool)
    total = np.where(others[None], belief, 0.0)
    return sum_last(np.swapaxes(total, 1, 2)) / max(A - 1, 1)
