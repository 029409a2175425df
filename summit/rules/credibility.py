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


def prior(belief: np.ndarray, strength: float, k: int) -> np.ndarray:
    """Weights pi (..., K + 1) of the Beta(b n, (1 - b) n) prior on the grid, for beliefs b
    (...); an observer with b = 1 puts all its weight on the last type, theta = 1."""
    theta = types(k)
    b = np.clip(belief, 1e-6, 1 - 1e-6)[..., None]
    # log w = (b n - 1) log theta + ((1 - b) n - 1) log(1 - theta), linear in b
    log_w = b * (strength * (np.log(theta) - np.log1p(-theta))) + (
        (strength - 1.0) * np.log1p(-theta) - np.log(theta)
    )
    w = np.exp(log_w - log_w.max(axis=-1, keepdims=True))
    w = np.concatenate([w / sum_last(w)[..., None], np.zeros((*w.shape[:-1], 1))], axis=-1)
    certain = np.zeros(k + 1)
    certain[-1] = 1.0
    return np.where(belief[..., None] >= 1.0 - 1e-9, certain, w)


def mean(weights: np.ndarray) -> np.ndarray:
    """Mean willingness of weights (..., K + 1)."""
    return sum_last(weights * support(weights.shape[-1] - 1))


def likelihood(type_odds: np.ndarray, levels: np.ndarray, delivered: np.ndarray) -> np.ndarray:
    """P_k(observed delivery) of every issue: (K, R, I) from odds (K, R, I, L), agreed and
    delivered levels (R, I)."""
    top = type_odds.shape[-1] - 1
    d = delivered.astype(np.int64)
    at = np.take_along_axis(
        type_odds, np.broadcast_to(d[None, ..., None], (*type_odds.shape[:3], 1)), -1
    )[..., 0]
    nxt = np.take_along_axis(
        type_odds,
        np.broadcast_to(np.minimum(d + 1, top)[None, ..., None], (*type_odds.shape[:3], 1)),
        -1,
    )[..., 0]
    above = np.where((d < levels)[None] & (d < top)[None], nxt, 0.0)
    return at - above


def broken_promises(
    levels: np.ndarray, delivered: np.ndarray, giver: np.ndarray, temper: np.ndarray, n_actors: int
) -> np.ndarray:
    """Promises broken, each promise one trial, partly broken by the share of its promised
    levels not delivered, weighted by the observer's tempered salience temper (R, O, I):
    (R, O, G) for every giver G."""
    short = np.where(levels > 0, np.maximum(levels - delivered, 0.0) / np.maximum(levels, 1), 0.0)
    out = np.zeros((*temper.shape[:2], n_actors))
    for i in range(levels.shape[1]):
        out[:, :, giver[i]] = out[:, :, giver[i]] + temper[:, :, i] * short[:, i, None]
    return out


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
    """New beliefs (R, A_obs, A_giver) after a summit. type_odds (K, R, I, L): delivery odds of
    each type with the stances met; levels, delivered (R, I); committed (R, A) givers that
    promised something; giver (I,); w (R, A, I) the observers' salience weights."""
    K = type_odds.shape[0] - 1
    pi = prior(belief, strength, K)  # (R, O, G, K)
    log_lik = np.log(np.maximum(likelihood(type_odds, levels, delivered), 1e-12))  # (K, R, I)
    top = np.maximum(w.max(axis=-1, keepdims=True), 1e-12)
    temper = np.where((levels > 0)[:, None, :], w / top, 0.0)  # (R, O, I)
    log_post = np.log(np.maximum(pi, 1e-300))
    for i in range(levels.shape[1]):
        g = giver[i]
        step = temper[:, :, i, None] * np.moveaxis(log_lik[:, :, i], 0, -1)[:, None, :]  # (R, O, K)
        log_post[:, :, g, :] = log_post[:, :, g, :] + step
    post = np.exp(log_post - log_post.max(axis=-1, keepdims=True)) * (pi > 0)
    post = post / sum_last(post)[..., None]
    observer_is_giver = np.eye(belief.shape[1], dtype=bool)[None]
    changed = committed[:, None, :] & ~observer_is_giver
    inferred = np.clip(belief + mean(post) - mean(pi), 0.0, 1.0)
    broken = broken_promises(levels, delivered, giver, temper, belief.shape[1])
    return np.where(changed, inferred * strength / (strength + broken), belief)


def standing(belief: np.ndarray) -> np.ndarray:
    """Credibility of each actor in the others' eyes: mean belief of the other actors, (R, A)."""
    A = belief.shape[1]
    others = ~np.eye(A, dtype=bool)
    total = np.where(others[None], belief, 0.0)
    return sum_last(np.swapaxes(total, 1, 2)) / max(A - 1, 1)
