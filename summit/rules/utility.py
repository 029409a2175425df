"""How actors value packages, given who would deliver what and how likely.

A package sets a level on every issue (level 0 is the status quo) and a sequencing:
``on_promise`` (concessions are paid when the deal is signed) or ``after_verified``
(concessions are paid only for the share of the promised actions that was delivered).

Delivery odds are a contest (a Tullock contest success function): the deliverer's force
against the resistance of the affected actors,

    P(delivered >= level) = F^m / (F^m + (friction + R * difficulty[level])^m)
    F = capability * willingness * prod over resisting allies k of (1 - drag * tie[giver, k])
    R = sum over resisters k of weight * stance * strength * (1 + entrenchment)

so an unwilling deliverer delivers nothing, entrenched resisters make every level harder, and
coercing an ally costs the deliverer part of its own strength (MODEL.md: "the Russia-Iran
alliance makes each weaker without the other").

Observers value another actor's promise at the odds of a willing deliverer times their belief
in its promises (credibility); the deliverer itself knows its true willingness. That gap is why
the article says to pay for actions, not promises.
"""

from __future__ import annotations

import numpy as np

from summit.rules.util import interp_level, prod_last, sum_last, take_level
from summit.scenario import Spec

ON_PROMISE, AFTER_VERIFIED = 0, 1
FRICTION = 0.05  # even an unopposed commitment meets some friction (bureaucracy, Congress, logistics)


def delivery_odds(spec: Spec, p: dict, willingness: np.ndarray, stance: np.ndarray) -> np.ndarray:
    """P(delivered >= level) for every issue and level: (R, I, L); level 0 is always 1.

    ``willingness`` is (R, I): the deliverer's effort on each issue; ``stance`` is (R, A):
    1 for an actor that resists, ``rules.compliance`` for one that complies.
    """
    rules = spec.rules
    giver = spec.giver
    cap = p["capability"][:, giver]                                   # (R, I)
    tie = p["tie"][:, giver, :]                                       # (R, I, A)
    resisting = spec.resist[None, :, :] > 0                           # (1, I, A)
    drag = np.where(resisting, 1.0 - rules.alliance_drag * tie, 1.0)
    alliance = prod_last(drag)
    force = cap * willingness * alliance                              # (R, I)
    push = spec.resist[None] * stance[:, None, :] * p["strength"][:, None, :] * (1.0 + p["entrenchment"][:, None, :])
    resistance = sum_last(push)                                       # (R, I)
    m = rules.delivery_steepness
    against = (FRICTION + resistance[..., None] * spec.difficulty[None]) ** m   # (R, I, L)
    pushing = force[..., None] ** m
    with np.errstate(invalid="ignore", divide="ignore"):
        odds = np.where(pushing > 0, pushing / (pushing + against), 0.0)
    odds[..., 0] = 1.0
    return np.where(spec.level_ok[None], odds, 0.0)


def giver_willingness(spec: Spec, p: dict) -> np.ndarray:
    """Each issue's deliverer's willingness on it: (R, I)."""
    return p["willingness"][:, spec.giver, np.arange(spec.n_issues)]


def believed_odds(spec: Spec, p: dict, stance: np.ndarray, observers: np.ndarray) -> np.ndarray:
    """Each observer's belief that each commitment reaches each level: (R, observers, I, L)."""
    willing = giver_willingness(spec, p)
    true = delivery_odds(spec, p, willing, stance)
    claimed = delivery_odds(spec, p, np.ones_like(willing), stance)
    belief = p["belief"][:, observers][:, :, spec.giver]              # (R, O, I): observer's trust in giver
    is_giver = observers[:, None] == spec.giver[None, :]              # (O, I)
    others = claimed[:, None] * belief[..., None]
    others[..., 0] = 1.0
    return np.where(is_giver[None, :, :, None], true[:, None], others)


def expected_values(spec: Spec, odds: np.ndarray, observers: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Expected value of agreeing each level, and expected delivered fraction.

    ev[r, o, i, L]  = v[o, i, 0] + sum_{l=1..L} P(D >= l) * (v[o, i, l] - v[o, i, l-1])
    frac[r, a, i, L] = E[delivered level] / L  (1 for L = 0)
    """
    values = spec.values[observers][None]                              # (1, O, I, L)
    steps = np.diff(values, axis=-1)                                  # (1, A, I, L-1)
    gains = odds[..., 1:] * steps
    ev = np.concatenate([np.broadcast_to(values[..., :1], odds[..., :1].shape),
                         values[..., :1] + np.cumsum(gains, axis=-1)], axis=-1)
    delivered = np.cumsum(odds[..., 1:], axis=-1)
    levels = np.arange(1, odds.shape[-1])
    frac = np.concatenate([np.ones_like(odds[..., :1]), delivered / levels], axis=-1)
    return ev, frac


def weights(p: dict) -> np.ndarray:
    """Salience normalised per actor: (R, A, I), each actor's weights sum to 1."""
    s = p["salience"]
    total = sum_last(s)[..., None]
    # An actor that cares about nothing (all saliences drawn or set to 0) weighs issues equally.
    return np.where(total > 0, s / np.where(total > 0, total, 1.0), 1.0 / s.shape[-1])


def issue_values(spec: Spec, ev: np.ndarray, frac: np.ndarray, levels: np.ndarray,
                 sequencing: np.ndarray) -> np.ndarray:
    """Expected value of each issue of packages to every actor, before salience weights.

    ev, frac: (R, A, I, L); levels: (R, C, I) ints; sequencing: (R, C). Returns (R, C, A, I).
    Under after_verified a concession is worth its promised value times the share of the
    package's actions the observer expects to see delivered.
    """
    lv = levels[:, :, None, :]                                        # (R, C, 1, I)
    ev_c = take_level(ev[:, None], lv)                                # (R, C, A, I)
    frac_c = take_level(frac[:, None], lv)
    base = ev[:, None, :, :, 0]                                       # (R, 1, A, I)
    action_on = (spec.is_action[None, None, None, :]) & (lv > 0)      # (R, C, 1, I)
    n_actions = sum_last(action_on.astype(float))                     # (R, C, 1)
    expected_share = np.where(n_actions > 0, sum_last(np.where(action_on, frac_c, 0.0)) / np.maximum(n_actions, 1), 1.0)
    deferred = (~spec.is_action[None, None, None, :]) & (sequencing[:, :, None, None] == AFTER_VERIFIED)
    return np.where(deferred, base + expected_share[..., None] * (ev_c - base), ev_c)


def _pick(table: np.ndarray, level: np.ndarray) -> np.ndarray:
    """table (R, A, L) at level (R, C) -> (R, C, A), by one flat gather."""
    R, A, L = table.shape
    rows = (np.arange(R)[:, None, None] * A + np.arange(A)[None, None, :]) * L
    return table.reshape(-1)[rows + level[:, :, None]]


def package_utility(spec: Spec, ev: np.ndarray, frac: np.ndarray, w: np.ndarray,
                    levels: np.ndarray, sequencing: np.ndarray, actors=None) -> np.ndarray:
    """Expected utility of packages (R, C, I) to actors (all, or the indices given): (R, C, A').

    The same quantity as summing ``w * issue_values``, accumulated issue by issue so that no
    (R, C, A, I, L) array is ever built: actions, concessions at full value, and the deferred
    form of concessions, base + share * (full - base), where share is the expected delivered
    share of the package's actions.
    """
    if actors is not None:
        ev, frac, w = ev[:, actors], frac[:, actors], w[:, actors]
    R, C = levels.shape[:2]
    A = ev.shape[1]
    # Issue-major copies, so each issue's table is one contiguous block.
    wev = np.ascontiguousarray((w[..., None] * ev).transpose(2, 0, 1, 3))   # (I, R, A, L)
    frac = np.ascontiguousarray(frac.transpose(2, 0, 1, 3))
    actions = np.zeros((R, C, A))
    conc = np.zeros((R, C, A))
    conc_base = np.zeros((R, 1, A))
    share_sum = np.zeros((R, C, A))
    n_actions = np.zeros((R, C, 1))
    for i in range(spec.n_issues):
        level = levels[:, :, i]
        value = _pick(wev[i], level)
        if spec.is_action[i]:
            actions = actions + value
            on = (level > 0)[..., None]
            share_sum = share_sum + np.where(on, _pick(frac[i], level), 0.0)
            n_actions = n_actions + on
        else:
            conc = conc + value
            conc_base = conc_base + wev[i, :, None, :, 0]
    share = np.where(n_actions > 0, share_sum / np.maximum(n_actions, 1), 1.0)
    deferred = (sequencing == AFTER_VERIFIED)[..., None]
    return actions + np.where(deferred, conc_base + share * (conc - conc_base), conc)


def realised_utility(spec: Spec, w: np.ndarray, position: np.ndarray) -> np.ndarray:
    """Utility of what actually happened: position (R, I) is the delivered (possibly fractional)
    level of each issue. Returns (R, A)."""
    vals = interp_level(np.broadcast_to(spec.values[None], (position.shape[0], *spec.values.shape)),
                        np.broadcast_to(position[:, None, :], (position.shape[0], spec.n_actors, spec.n_issues)))
    return sum_last(w * vals)
