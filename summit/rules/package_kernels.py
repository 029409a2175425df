"""Compiled loops over packages: who commits, which red lines they cross, what they are worth
at face value, and what a giver expects to pay for broken promises.

They are the rules of offers.committing, responses.crossed, responses.face_value and
bargaining.observer_salience / expected_price, looped run by run in the order the numpy
formulas add (tests compare them), so one run alone and in a batch give the same bits. numpy
spent most of their time on small axes (issues, actors) and on temporaries.
"""

from __future__ import annotations

import numpy as np
from numba import njit


@njit(cache=True)
def committing(levels, giver, out):  # pragma: no cover - compiled
    """out (N, A): whether each actor gives something (a level above 0) in packages (N, I)."""
    for n in range(levels.shape[0]):
        for i in range(levels.shape[1]):
            if levels[n, i] > 0:
                out[n, giver[i]] = True
    return out


@njit(cache=True)
def crossed(
    levels, sequencing, actor, issue, at_most, unless_after_verified, after_verified, out
):  # pragma: no cover - compiled
    """out (N, A): whether packages (N, I) with sequencing (N,) cross each actor's red lines,
    limit j being actor[j]'s "no more than at_most[j] on issue[j]" (waived when
    unless_after_verified[j] and the package is after_verified)."""
    for n in range(levels.shape[0]):
        for j in range(actor.shape[0]):
            over = levels[n, issue[j]] > at_most[j]
            if unless_after_verified[j] and sequencing[n] == after_verified:
                over = False
            if over:
                out[n, actor[j]] = True
    return out


@njit(cache=True)
def face_value(w, values, levels, out):  # pragma: no cover - compiled
    """out (R, A): sum_i w[r, a, i] * values[a, i, levels[r, i]], added issue by issue from 0."""
    R, A, I = w.shape
    for r in range(R):
        for a in range(A):
            total = 0.0
            for i in range(I):
                total = total + w[r, a, i] * values[a, i, levels[r, i]]
            out[r, a] = total
    return out


@njit(cache=True)
def observer_salience(w_all, others, out):  # pragma: no cover - compiled
    """out (R, I): the mean over the observers others[i] (I, A) of their weight w_all (R, A, I)
    on issue i, added actor by actor from 0."""
    R, A, I = w_all.shape
    count = np.zeros(I, dtype=np.int64)
    for i in range(I):
        for a in range(A):
            count[i] += others[i, a]
    for r in range(R):
        for i in range(I):
            out[r, i] = 0.0
        for a in range(A):
            for i in range(I):
                out[r, i] = out[r, i] + (w_all[r, a, i] if others[i, a] else 0.0)
        for i in range(I):
            out[r, i] = out[r, i] / count[i]
    return out


@njit(cache=True)
def expected_price(frac, cost, sigma, givers_at, issues, tops, out):  # pragma: no cover - compiled
    """out (R, P, I, L), zero but for each (valued actor givers_at[j], action issues[j]):
    cost[r, j] * sigma[r, i] * L * (1 - frac[r, p, i, L]) / tops[j], the price of breaking
    a promise of level L the giver expects to deliver the share frac of."""
    R, P, I, L = frac.shape
    out[:] = 0.0
    for r in range(R):
        for j in range(issues.shape[0]):
            p, i = givers_at[j], issues[j]
            scale = cost[r, j] * sigma[r, i]
            for level in range(L):
                out[r, p, i, level] = scale * (level * (1.0 - frac[r, p, i, level]) / tops[j])
    return out
