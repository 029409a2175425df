"""Compiled loops of credibility by inference (rules/credibility.py): the prior over the
willingness grid, the odds an observer believes, the Bayes update after a summit.

They are the rules themselves, not a second copy: credibility.prior, utility.believed_odds and
credibility.update_beliefs call them for one run (the mesa model) or for thousands (the batch),
one run at a time in the same order, so a run alone and in a batch give the same bits. Each
loop does the arithmetic of the numpy formula it replaced in the same order (tests compare
them), and never builds the (K + 1, R, I, L) odds of every type for every run at once.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from summit.rules.kernels import _level_odds, _opposition, against, contest, pushing

CERTAIN = 1.0 - 1e-9  # a belief this close to 1 is certainty: all weight on theta = 1
CLIP = 1e-6  # the Beta prior's mean is kept inside (CLIP, 1 - CLIP)


@njit(cache=True)
def prior_into(belief, slope, offset, out):  # pragma: no cover - compiled
    """The prior weights pi (K + 1,) of one belief b into out: with log w_k = b * slope_k +
    offset_k (the Beta(b n, (1 - b) n) log density on the grid, linear in b),
    pi_k = exp(log w_k - max_j log w_j) / sum_j (...), pi_K = 0; or (0, ..., 0, 1) when b = 1."""
    K = slope.shape[0]
    if belief >= CERTAIN:
        for k in range(K):
            out[k] = 0.0
        out[K] = 1.0
        return
    b = min(max(belief, CLIP), 1.0 - CLIP)
    top = -np.inf
    for k in range(K):
        out[k] = b * slope[k] + offset[k]
        top = max(top, out[k])
    for k in range(K):
        out[k] = np.exp(out[k] - top)
    total = out[0]
    for k in range(1, K):
        total = total + out[k]
    for k in range(K):
        out[k] = out[k] / total
    out[K] = 0.0


@njit(cache=True)
def priors(belief, slope, offset, out):  # pragma: no cover - compiled
    """prior_into for every belief (N,): out (N, K + 1)."""
    for n in range(belief.shape[0]):
        prior_into(belief[n], slope, offset, out[n])
    return out


@njit(cache=True)
def _mean(weights, support):  # pragma: no cover - compiled
    """sum_k weights_k * support_k, added in the order of k."""
    total = weights[0] * support[0]
    for k in range(1, weights.shape[0]):
        total = total + weights[k] * support[k]
    return total


@njit(cache=True)
def believed_odds(
    capability,
    willingness,
    tie,
    on_ground,
    giver,
    resist,
    difficulty,
    n_levels,
    drag,
    steepness,
    friction,
    thetas,
    belief,
    slope,
    offset,
    observers,
    out,
):  # pragma: no cover - compiled
    """Each observer's odds that each commitment reaches each level: out (R, O, I, L).

    The giver knows its willingness (willingness (R, I)) and uses the contest odds with it
    (kernels.contest_odds); another observer a mixes the odds under each type thetas[k]
    (K + 1) by its prior over the giver g's type, from its belief[r, a, g]:
    sum_k pi_k * P_k(D >= level), added in the order of k.
    """
    R, I = willingness.shape
    A = belief.shape[1]
    K1, L = thetas.shape[0], out.shape[3]
    by_type = np.empty((I, L, K1))
    true = np.empty((I, L))
    push = np.empty(K1)
    pi = np.empty((A, K1))
    is_giver = np.zeros(A, dtype=np.bool_)
    for i in range(I):
        is_giver[giver[i]] = True
    for r in range(R):
        for i in range(I):  # the contest odds of the true willingness and of every type
            g = giver[i]
            alliance, resistance = _opposition(r, i, g, tie, on_ground, resist, drag)
            own = pushing(capability[r, g] * willingness[r, i] * alliance, steepness)
            for k in range(K1):
                push[k] = pushing(capability[r, g] * thetas[k] * alliance, steepness)
            for level in range(1, L):
                if level < n_levels[i]:
                    resisted = against(resistance, difficulty, i, level, steepness, friction)
                    true[i, level] = contest(own, resisted)
                    for k in range(K1):
                        by_type[i, level, k] = contest(push[k], resisted)
                else:
                    true[i, level] = 0.0
                    by_type[i, level, :] = 0.0
        for o in range(observers.shape[0]):
            a = observers[o]
            for g in range(A):
                if is_giver[g] and g != a:
                    prior_into(belief[r, a, g], slope, offset, pi[g])
            for i in range(I):
                g = giver[i]
                out[r, o, i, 0] = 1.0
                for level in range(1, L):
                    if a == g:
                        out[r, o, i, level] = true[i, level]
                    else:
                        total = 0.0
                        for k in range(K1):  # added in the order of k
                            total += pi[g, k] * by_type[i, level, k]
                        out[r, o, i, level] = total
    return out


@njit(cache=True)
def _log_likelihoods(odds, r, levels, delivered, out):  # pragma: no cover - compiled
    """log P_k(observed delivery) of each issue in run r from its type odds (K + 1, I, L):
    out (K + 1, I), each likelihood floored at 1e-12. P_k = P_k(D >= d) - P_k(D >= d + 1)
    when d < L, P_k(D >= L) when d = L."""
    K1, I, Lp = odds.shape
    top = Lp - 1
    for i in range(I):
        d = int(delivered[r, i])
        for k in range(K1):
            at = odds[k, i, d]
            if d < levels[r, i] and d < top:
                at = at - odds[k, i, d + 1]
            out[k, i] = np.log(max(at, 1e-12))


@njit(cache=True)
def _scratch(K1, I):  # pragma: no cover - compiled
    """Work arrays of _update_run: the support of the types, log likelihoods (K + 1, I),
    tempers and shortfalls (I,), prior and posterior (K + 1,)."""
    support = np.empty(K1)
    for k in range(K1 - 1):
        support[k] = (k + 0.5) / (K1 - 1)
    support[K1 - 1] = 1.0
    return support, np.empty((K1, I)), np.empty(I), np.empty(I), np.empty(K1), np.empty(K1)


@njit(cache=True)
def _update_run(
    r, odds, belief, levels, delivered, committed, giver, w, strength, slope, offset, work, out
):  # pragma: no cover - compiled
    """The new beliefs out[r] of run r, its type odds odds (K + 1, I, L) (update_beliefs);
    work is _scratch."""
    A = belief.shape[1]
    K1, I, _ = odds.shape
    support, log_lik, temper, short, pi, post = work
    out[r] = belief[r]
    if not committed[r].any():
        return
    _log_likelihoods(odds, r, levels, delivered, log_lik)
    for i in range(I):
        lv = levels[r, i]
        short[i] = max(lv - delivered[r, i], 0.0) / max(lv, 1) if lv > 0 else 0.0
    for o in range(A):
        most = w[r, o, 0]
        for i in range(1, I):
            most = max(most, w[r, o, i])
        most = max(most, 1e-12)
        for i in range(I):
            temper[i] = w[r, o, i] / most if levels[r, i] > 0 else 0.0
        for g in range(A):
            if not committed[r, g] or g == o:
                continue
            prior_into(belief[r, o, g], slope, offset, pi)
            for k in range(K1):
                post[k] = np.log(max(pi[k], 1e-300))
            broken = 0.0
            for i in range(I):
                if giver[i] == g:
                    for k in range(K1):
                        post[k] = post[k] + temper[i] * log_lik[k, i]
                    broken = broken + temper[i] * short[i]
            top = post[0]
            for k in range(1, K1):
                top = max(top, post[k])
            for k in range(K1):
                post[k] = np.exp(post[k] - top) * (1.0 if pi[k] > 0 else 0.0)
            total = post[0]
            for k in range(1, K1):
                total = total + post[k]
            for k in range(K1):
                post[k] = post[k] / total
            moved = belief[r, o, g] + _mean(post, support) - _mean(pi, support)
            inferred = min(max(moved, 0.0), 1.0)
            out[r, o, g] = inferred * strength / (strength + broken)


@njit(cache=True)
def update_beliefs(
    belief, type_odds, levels, delivered, committed, giver, w, strength, slope, offset, out
):  # pragma: no cover - compiled
    """New beliefs out (R, O, G) after a summit (the formulas of rules/credibility.py): each
    observer o of a giver g that promised something (committed[r, g], o != g) updates its
    prior by the tempered likelihoods of g's issues, then discounts the inferred mean by the
    promises g broke: b' = clip(b + mean(post) - mean(prior), 0, 1) * n / (n + broken).
    type_odds (K + 1, R, I, L): the delivery odds of each type."""
    work = _scratch(type_odds.shape[0], type_odds.shape[2])
    for r in range(belief.shape[0]):
        odds = type_odds[:, r]
        _update_run(
            r,
            odds,
            belief,
            levels,
            delivered,
            committed,
            giver,
            w,
            strength,
            slope,
            offset,
            work,
            out,
        )
    return out


@njit(cache=True)
def update_beliefs_in_contest(
    belief,
    capability,
    thetas,
    tie,
    on_ground,
    giver,
    resist,
    difficulty,
    n_levels,
    drag,
    steepness,
    friction,
    levels,
    delivered,
    committed,
    w,
    strength,
    slope,
    offset,
    out,
):  # pragma: no cover - compiled
    """update_beliefs with each run's type odds played out by the contest run by run
    (kernels.type_contest_odds for one run), never all at once."""
    K1, I, L = thetas.shape[0], giver.shape[0], difficulty.shape[1]
    odds = np.empty((K1, I, L))
    work = _scratch(K1, I)
    for r in range(belief.shape[0]):
        if not committed[r].any():
            out[r] = belief[r]
            continue
        for i in range(I):
            g = giver[i]
            alliance, resistance = _opposition(r, i, g, tie, on_ground, resist, drag)
            for k in range(K1):
                force = capability[r, g] * thetas[k] * alliance
                _level_odds(
                    force, resistance, difficulty, i, n_levels, steepness, friction, odds[k, i]
                )
        _update_run(
            r,
            odds,
            belief,
            levels,
            delivered,
            committed,
            giver,
            w,
            strength,
            slope,
            offset,
            work,
            out,
        )
    return out
