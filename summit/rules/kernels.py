"""Compiled inner loops of the two hottest rules: building candidate packages and valuing them.

They are the rules themselves, not a second copy: offers.candidates and
utility.package_utility call them for one run (the mesa model) or for thousands (the batch).
Each run is computed by the same loop in the same order whatever the number of runs, so a run
alone and the same run in a batch give bit-identical numbers. Compiled with numba (cached on
disk after the first call); the loops read like the formulas in the modules' docstrings.
Outputs are allocated by the caller with numpy: numba's own allocator is several times slower
for arrays of this size.
"""

from __future__ import annotations

import numpy as np
from numba import njit

ON_PROMISE, AFTER_VERIFIED = 0, 1


@njit(cache=True)
def add_last(x, out):  # pragma: no cover - compiled
    """out (N,) = x[:, 0] + x[:, 1] + ..., added in that order (util.sum_last)."""
    for n in range(x.shape[0]):
        total = x[n, 0]
        for k in range(1, x.shape[1]):
            total = total + x[n, k]
        out[n] = total
    return out


@njit(cache=True)
def values_at(values, position, out):  # pragma: no cover - compiled
    """out (R, A, I): every actor's value of each issue at a delivered, possibly fractional,
    level position (R, I), interpolated between the levels around it (util.interp_level):
    v[low] * (1 - f) + v[high] * f, low = floor(position), f = position - low."""
    A, I, L = values.shape
    top = L - 1
    for r in range(position.shape[0]):
        for i in range(I):
            low = min(int(np.floor(position[r, i])), top)
            high = min(low + 1, top)
            f = position[r, i] - low
            for a in range(A):
                out[r, a, i] = values[a, i, low] * (1.0 - f) + values[a, i, high] * f
    return out


@njit(cache=True)
def weighted_sum(w, v, out):  # pragma: no cover - compiled
    """out (R, A) = w[:, :, 0] * v[:, 0] + w[:, :, 1] * v[:, 1] + ..., added in that order:
    util.sum_last(w * v) for weights w (R, A, I) and values v (A, I)."""
    R, A, I = w.shape
    for r in range(R):
        for a in range(A):
            total = w[r, a, 0] * v[a, 0]
            for i in range(1, I):
                total = total + w[r, a, i] * v[a, i]
            out[r, a] = total
    return out


@njit(cache=True)
def escrow_share(frac, is_action, levels):  # pragma: no cover - compiled
    """The expected delivered share of a package's actions, counted per level: frac (I, L) one
    actor's expected delivered fractions, levels (I,) the package. share = sum_i L_i E[D_i]/L_i
    / sum_i L_i over actions with L_i > 0 (1 when there is none). Escrow (after_verified) pays
    each concession by this share: the one home of the after-verified value, with escrow_value."""
    total = 0.0
    n_on = 0
    for i in range(levels.shape[0]):
        if is_action[i] and levels[i] > 0:
            total += levels[i] * frac[i, levels[i]]
            n_on += levels[i]
    return total / n_on if n_on > 0 else 1.0


@njit(cache=True)
def escrow_value(base, full, share):  # pragma: no cover - compiled
    """A concession paid after verified action: its status-quo value plus the share of its
    promised gain that the delivered actions release."""
    return base + share * (full - base)


@njit(cache=True)
def candidate_levels(
    wev, frac, order, giver_at, n_levels, is_action, lambdas, sequencings, out
):  # pragma: no cover - compiled
    """Candidate packages of a proposer: (R, len(sequencings) * K, I) levels.

    wev, frac: (R, P, I, L) weighted expected values and expected delivered shares of the
    negotiators; order (S,) lists the proposer first, then the others; giver_at (I,) is each
    issue's giver's place among the negotiators. For each lambda, every issue gets the level
    that maximises own + lambda * mean(others). Under after_verified (escrow) the actions are
    asked as picked, without a cap, and the concessions are re-picked with their worth scaled
    by the expected delivered share of those actions, counted per level,
    share = sum_i E[D_i] / sum_i L_i:
    share * (value - base) for the proposer + lambda * mean over others of the same.
    """
    R, _, I, L = wev.shape
    S = order.shape[0]
    K = lambdas.shape[0]
    theirs = np.zeros((I, L))
    gain = np.zeros((S, I, L))
    mine_av = np.zeros((I, L))  # share * gain of the proposer, under the current shares
    theirs_av = np.zeros((I, L))  # the others' mean of the same
    pick = np.zeros(I, dtype=np.int64)
    asked = np.zeros(I, dtype=np.int64)
    last = np.full(I, -1, dtype=np.int64)
    share = np.ones(S)
    n_others = max(S - 1, 1)
    for r in range(R):
        for i in range(I):
            for level in range(n_levels[i]):
                total = 0.0
                for s in range(S):
                    p = order[s]
                    gain[s, i, level] = wev[r, p, i, level] - wev[r, p, i, 0]
                    if s > 0:
                        total += wev[r, p, i, level]
                theirs[i, level] = total / n_others
        last[:] = -1
        for k in range(K):
            lam = lambdas[k]
            for i in range(I):
                best, arg = -np.inf, 0
                for level in range(n_levels[i]):
                    score = wev[r, order[0], i, level] + lam * theirs[i, level]
                    if score > best:
                        best, arg = score, level
                pick[i] = arg
            for q in range(sequencings.shape[0]):
                c = q * K + k
                for i in range(I):
                    out[r, c, i] = pick[i]
                if sequencings[q] != AFTER_VERIFIED:
                    continue
                same = True
                for i in range(I):
                    asked[i] = pick[i]
                    out[r, c, i] = asked[i]
                    if is_action[i] and asked[i] != last[i]:
                        same = False
                if not same:  # the shares depend only on the chosen actions, not on lambda
                    for i in range(I):
                        last[i] = asked[i]
                    for s in range(S):
                        share[s] = escrow_share(frac[r, order[s]], is_action, asked)
                    for i in range(I):
                        for level in range(n_levels[i]):
                            others = 0.0
                            for s in range(1, S):
                                others += share[s] * gain[s, i, level]
                            mine_av[i, level] = share[0] * gain[0, i, level]
                            theirs_av[i, level] = others / n_others
                for i in range(I):
                    if is_action[i]:
                        continue
                    best, arg = -np.inf, 0
                    for level in range(n_levels[i]):
                        score = mine_av[i, level] + lam * theirs_av[i, level]
                        if score > best:
                            best, arg = score, level
                    out[r, c, i] = arg
    return out


@njit(cache=True)
def package_values(wev, frac, is_action, levels, sequencing, out):  # pragma: no cover - compiled
    """Expected utility of packages (R, C, I) with sequencing (R, C) to P actors: (R, C, P).

    U = sum of actions' values + concessions' values, where under after_verified the concessions
    count as base + share * (full - base), share being the expected delivered share of the
    package's actions counted per level, sum_i E[D_i] / sum_i L_i (1 when it has none): escrow
    pays each concession per delivered level.
    """
    R, P, I, L = wev.shape
    C = levels.shape[1]
    conc_base = np.zeros(P)  # the concessions at the status quo: the same for every package
    for r in range(R):
        for p in range(P):
            conc_base[p] = 0.0
            for i in range(I):
                if not is_action[i]:
                    conc_base[p] += wev[r, p, i, 0]
        for c in range(C):
            deferred = sequencing[r, c] == AFTER_VERIFIED
            for p in range(P):
                actions = 0.0
                conc = 0.0
                for i in range(I):
                    level = levels[r, c, i]
                    if is_action[i]:
                        actions += wev[r, p, i, level]
                    else:
                        conc += wev[r, p, i, level]
                if deferred:
                    share = escrow_share(frac[r, p], is_action, levels[r, c])
                    conc = escrow_value(conc_base[p], conc, share)
                out[r, c, p] = actions + conc
    return out


@njit(cache=True)
def issue_values(ev, frac, is_action, levels, sequencing, out):  # pragma: no cover - compiled
    """Expected value of each issue of packages (R, C, I) to every actor before salience
    weights: (R, C, A, I); the per-issue form of package_values, by the same escrow rule."""
    R, A, I, L = ev.shape
    C = levels.shape[1]
    for r in range(R):
        for c in range(C):
            deferred = sequencing[r, c] == AFTER_VERIFIED
            for a in range(A):
                share = escrow_share(frac[r, a], is_action, levels[r, c]) if deferred else 1.0
                for i in range(I):
                    full = ev[r, a, i, levels[r, c, i]]
                    if deferred and not is_action[i]:
                        full = escrow_value(ev[r, a, i, 0], full, share)
                    out[r, c, a, i] = full
    return out


@njit(cache=True)
def level_values(
    odds, observers, values, n_levels, w, ev, frac, wev, best
):  # pragma: no cover - compiled
    """Each observer's expected value of agreeing each level of each issue.

    odds (R, O, I, L): the observer's belief that the commitment reaches each level; values
    (A, I, L); w (R, O, I) the observers' normalised salience. Returns
    ev (R, O, I, L) = v[0] + sum_{l <= L} P(D >= l) * (v[l] - v[l-1]);
    frac (R, O, I, L) = E[delivered] / L (1 at L = 0); wev = w * ev;
    best (R, O) = sum_i w * max_L ev.
    """
    R, O, I, L = odds.shape
    for r in range(R):
        for o in range(O):
            a = observers[o]
            for i in range(I):
                value = values[a, i, 0]
                frac[r, o, i, 0] = 1.0
                gained = 0.0
                delivered = 0.0
                top = value
                ev[r, o, i, 0] = value
                wev[r, o, i, 0] = w[r, o, i] * value
                last = n_levels[i] - 1
                for level in range(1, L):
                    if level <= last:
                        q = odds[r, o, i, level]
                        gained += q * (values[a, i, level] - values[a, i, level - 1])
                        delivered += q
                        ev[r, o, i, level] = value + gained
                        frac[r, o, i, level] = delivered / level
                        top = max(top, value + gained)
                    else:  # padding beyond the issue's levels repeats its top level
                        ev[r, o, i, level] = ev[r, o, i, last]
                        frac[r, o, i, level] = frac[r, o, i, last]
                    wev[r, o, i, level] = w[r, o, i] * ev[r, o, i, level]
                best[r, o] += w[r, o, i] * top
    return ev, frac, wev, best


@njit(cache=True)
def salience_weights(
    salience, entrenchment, counts_influence, presence_of, out
):  # pragma: no cover - compiled
    """Each actor's salience (R, A, I) normalised to sum to 1 (1 / I each when all are 0),
    an actor that counts influence weighing an issue that moves actor k's presence by
    1 - entrenchment[k] (utility.weights)."""
    R, A, I = salience.shape
    row = np.empty(I)
    for r in range(R):
        for a in range(A):
            for i in range(I):
                row[i] = salience[r, a, i]
                if counts_influence[a] and presence_of[i] >= 0:
                    row[i] = row[i] * (1.0 - entrenchment[r, presence_of[i]])
            total = row[0]
            for i in range(1, I):
                total = total + row[i]
            for i in range(I):
                out[r, a, i] = row[i] / total if total > 0 else 1.0 / I
    return out


@njit(cache=True)
def _power(x, m):  # pragma: no cover - compiled
    """x ** m, by multiplication when m is a small whole number (the usual decisiveness)."""
    if m == 1.0:
        return x
    if m == 2.0:
        return x * x
    if m == 3.0:
        return x * x * x
    return x**m


@njit(cache=True)
def _opposition(r, i, g, tie, on_ground, resist, drag):  # pragma: no cover - compiled
    """The alliance factor prod_k (1 - drag * tie[g, k]) and the resistance sum_k resist[i, k]
    * on_ground[k] over the resisters k of issue i (run r, giver g)."""
    alliance = 1.0
    resistance = 0.0
    for k in range(on_ground.shape[1]):
        if resist[i, k] > 0:
            alliance *= 1.0 - drag * tie[r, g, k]
            resistance += resist[i, k] * on_ground[r, k]
    return alliance, resistance


@njit(cache=True)
def pushing(force, steepness):  # pragma: no cover - compiled
    """F^m, the deliverer's side of the contest (0 when F = 0)."""
    return _power(force, steepness) if force > 0 else 0.0


@njit(cache=True)
def against(resistance, difficulty, i, level, steepness, friction):  # pragma: no cover - compiled
    """(friction + R * difficulty[i, level])^m, the resisters' side at one level."""
    return _power(friction + resistance * difficulty[i, level], steepness)


@njit(cache=True)
def contest(push, resisted):  # pragma: no cover - compiled
    """P = F^m / (F^m + resistance^m), and 0 when F = 0."""
    return push / (push + resisted) if push > 0 else 0.0


@njit(cache=True)
def _level_odds(
    force, resistance, difficulty, i, n_levels, steepness, friction, odds
):  # pragma: no cover - compiled
    """odds (L,) of one commitment pushed with ``force``: P = F^m / (F^m + (friction + R *
    difficulty[i, level])^m), 1 at level 0, 0 beyond the issue's levels or when F = 0."""
    push = pushing(force, steepness)
    odds[0] = 1.0
    for level in range(1, odds.shape[0]):
        if level < n_levels[i]:
            odds[level] = contest(
                push, against(resistance, difficulty, i, level, steepness, friction)
            )
        else:
            odds[level] = 0.0


@njit(cache=True)
def contest_odds(
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
    odds,
):  # pragma: no cover - compiled
    """P(delivered >= level) of every issue's commitment: (R, I, L), level 0 always 1.

    F = capability[giver] * willingness * prod over resisters k of (1 - drag * tie[giver, k]);
    R = sum over resisters k of resist[i, k] * on_ground[k]
        (on_ground = stance * strength * (1 + entrenchment));
    P = F^m / (F^m + (friction + R * difficulty[level])^m), and 0 when F = 0.
    """
    R, I = willingness.shape
    for r in range(R):
        for i in range(I):
            g = giver[i]
            alliance, resistance = _opposition(r, i, g, tie, on_ground, resist, drag)
            force = capability[r, g] * willingness[r, i] * alliance
            _level_odds(force, resistance, difficulty, i, n_levels, steepness, friction, odds[r, i])
    return odds


@njit(cache=True)
def type_contest_odds(
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
    odds,
):  # pragma: no cover - compiled
    """contest_odds as if every giver's willingness were each type thetas[k]: (K + 1, R, I, L)."""
    R = capability.shape[0]
    I = giver.shape[0]
    for r in range(R):
        for i in range(I):
            g = giver[i]
            alliance, resistance = _opposition(r, i, g, tie, on_ground, resist, drag)
            for k in range(thetas.shape[0]):
                force = capability[r, g] * thetas[k] * alliance
                _level_odds(
                    force, resistance, difficulty, i, n_levels, steepness, friction, odds[k, r, i]
                )
    return odds


@njit(cache=True)
def choose_candidates(
    utility, needed, walk_away, proposer, target, pick
):  # pragma: no cover - compiled
    """The proposer's pick among candidates (R, C): of those worth at least its target to it,
    the one whose worst-off other party that must agree (needed (R, C, A), offers.must_agree)
    is best off against its walk-away value (its own margin when nobody else must agree); if
    none meets the target, its own favourite. First wins ties."""
    R, C, A = utility.shape
    for r in range(R):
        best_score, best_c = -np.inf, -1
        best_own, own_c = -np.inf, 0
        for c in range(C):
            own = utility[r, c, proposer]
            if own > best_own:
                best_own, own_c = own, c
            if own < target[r] - 1e-12:
                continue
            worst = np.inf
            for a in range(A):
                if needed[r, c, a] and a != proposer:
                    worst = min(worst, utility[r, c, a] - walk_away[r, a])
            if worst == np.inf:
                worst = own - walk_away[r, proposer]
            if worst > best_score or best_c < 0:
                best_score, best_c = worst, c
        pick[r] = best_c if best_c >= 0 else own_c
    return pick


@njit(cache=True)
def zone_of_agreement(utility, needed, walk_away, hope):  # pragma: no cover - compiled
    """hope (R, A): whether some candidate leaves the actor and every party that must agree to
    it (needed (R, C, A), offers.must_agree) at or above their walk-away values."""
    R, C, A = utility.shape
    for r in range(R):
        for c in range(C):
            zone = True
            for a in range(A):
                if needed[r, c, a] and utility[r, c, a] < walk_away[r, a] - 1e-12:
                    zone = False
                    break
            if zone:
                for a in range(A):
                    if utility[r, c, a] >= walk_away[r, a] - 1e-12:
                        hope[r, a] = True
    return hope
