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

Observers value another actor's promise at the odds of delivery under each willingness type
the giver may be, weighted by their belief over those types (rules/credibility.py); the
deliverer itself knows its true willingness. That gap is why the article says to pay for
actions, not promises.
"""

from __future__ import annotations

import numpy as np

from summit.rules import belief_kernels, credibility, kernels
from summit.rules.util import sum_last
from summit.scenario import Spec

ON_PROMISE, AFTER_VERIFIED = kernels.ON_PROMISE, kernels.AFTER_VERIFIED  # codes: one home
FRICTION = (
    0.05  # even an unopposed commitment meets some friction (bureaucracy, Congress, logistics)
)


def _contest(spec: Spec, p: dict, stance: np.ndarray) -> tuple:
    """The contest's arguments after the willingness (kernels.contest_odds): capability, then
    ties, forces on the ground, givers, resisters, difficulty, levels and the rules' numbers."""
    rules = spec.rules
    on_ground = np.ascontiguousarray(stance * p["strength"] * (1.0 + p["entrenchment"]))
    return (
        np.ascontiguousarray(p["tie"]),
        on_ground,
        spec.giver,
        spec.resist,
        spec.difficulty,
        spec.n_levels.astype(np.int64),
        float(rules.alliance_drag),
        float(rules.delivery_steepness),
        FRICTION,
    )


def delivery_odds(spec: Spec, p: dict, willingness: np.ndarray, stance: np.ndarray) -> np.ndarray:
    """P(delivered >= level) for every issue and level: (R, I, L); level 0 is always 1.

    ``willingness`` is (R, I): the deliverer's effort on each issue; ``stance`` is (R, A):
    1 for an actor that resists, ``rules.compliance`` for one that complies.
    """
    odds = np.empty((*willingness.shape, spec.difficulty.shape[1]))
    return kernels.contest_odds(
        np.ascontiguousarray(p["capability"]),
        np.ascontiguousarray(willingness, dtype=float),
        *_contest(spec, p, stance),
        odds,
    )


def giver_willingness(spec: Spec, p: dict) -> np.ndarray:
    """Each issue's deliverer's willingness on it: (R, I)."""
    return p["willingness"][:, spec.giver, np.arange(spec.n_issues)]


def type_odds(spec: Spec, p: dict, stance: np.ndarray) -> np.ndarray:
    """Delivery odds if the giver's willingness were each type theta_k: (K + 1, R, I, L)."""
    thetas = credibility.support(spec.rules.willingness_types)
    odds = np.empty((len(thetas), len(stance), spec.n_issues, spec.difficulty.shape[1]))
    return kernels.type_contest_odds(
        np.ascontiguousarray(p["capability"]), thetas, *_contest(spec, p, stance), odds
    )


def updated_beliefs(
    spec: Spec,
    p: dict,
    stance: np.ndarray,
    levels: np.ndarray,
    delivered: np.ndarray,
    committed: np.ndarray,
    w: np.ndarray,
) -> np.ndarray:
    """credibility.update_beliefs(p["belief"], type_odds(spec, p, stance), levels, delivered,
    committed, spec.giver, w, rules.record_weight), the type odds played run by run inside the
    loop (belief_kernels.update_beliefs_in_contest) instead of all at once."""
    k, strength = spec.rules.willingness_types, spec.rules.record_weight
    belief = np.ascontiguousarray(p["belief"], dtype=float)
    return belief_kernels.update_beliefs_in_contest(
        belief,
        np.ascontiguousarray(p["capability"]),
        credibility.support(k),
        *_contest(spec, p, stance),
        np.ascontiguousarray(levels, dtype=np.int64),
        np.ascontiguousarray(delivered, dtype=float),
        np.ascontiguousarray(committed, dtype=np.bool_),
        np.ascontiguousarray(w, dtype=float),
        float(strength),
        *credibility.log_density(strength, k),
        np.empty(belief.shape),
    )


def believed_odds(spec: Spec, p: dict, stance: np.ndarray, observers: np.ndarray) -> np.ndarray:
    """Each observer's belief that each commitment reaches each level: (R, observers, I, L).
    The giver uses its true willingness; others mix the types by their belief (credibility)
    (the loop is belief_kernels.believed_odds)."""
    observers = np.asarray(observers, dtype=np.int64)
    k = spec.rules.willingness_types
    out = np.empty((len(stance), len(observers), spec.n_issues, spec.difficulty.shape[1]))
    return belief_kernels.believed_odds(
        np.ascontiguousarray(p["capability"]),
        np.ascontiguousarray(giver_willingness(spec, p), dtype=float),
        *_contest(spec, p, stance),
        credibility.support(k),
        np.ascontiguousarray(p["belief"], dtype=float),
        *credibility.log_density(spec.rules.record_weight, k),
        observers,
        out,
    )


def expected_values(
    spec: Spec, odds: np.ndarray, observers: np.ndarray, w: np.ndarray | None = None
):
    """Expected value of agreeing each level, and expected delivered fraction.

    ev[r, o, i, L]  = v[o, i, 0] + sum_{l=1..L} P(D >= l) * (v[o, i, l] - v[o, i, l-1])
    frac[r, o, i, L] = E[delivered level] / L  (1 for L = 0)

    With the observers' weights w (R, O, I) it also returns w * ev and the best each observer
    could hope for, sum_i w * max_L ev (the loop is kernels.level_values).
    """
    weights_ = np.ones(odds.shape[:3]) if w is None else np.ascontiguousarray(w, dtype=float)
    ev, frac, wev = np.empty(odds.shape), np.empty(odds.shape), np.empty(odds.shape)
    best = np.zeros(odds.shape[:2])
    kernels.level_values(
        np.ascontiguousarray(odds, dtype=float),
        np.asarray(observers, dtype=np.int64),
        spec.values,
        spec.n_levels.astype(np.int64),
        weights_,
        ev,
        frac,
        wev,
        best,
    )
    return (ev, frac) if w is None else (ev, frac, wev, best)


def weights(p: dict, spec: Spec | None = None) -> np.ndarray:
    """Salience normalised per actor: (R, A, I), each actor's weights sum to 1.

    With the scenario given, an actor that counts influence (``counts_influence``) weighs an
    issue that moves another actor's presence by the share of that actor's influence a
    withdrawal can remove, 1 - entrenchment: influence = presence + e * (1 - presence), so
    taking presence from 1 to q removes (1 - e) * (1 - q) of it.
    """
    s = np.ascontiguousarray(p["salience"], dtype=float)
    R, A, I = s.shape
    if spec is None:  # nobody counts influence
        counts, presence_of, entrenchment = np.zeros(A, bool), np.full(I, -1), np.zeros((R, A))
    else:
        counts, presence_of = spec.counts_influence, spec.presence_of
        entrenchment = p["entrenchment"]
    return kernels.salience_weights(
        s,
        np.ascontiguousarray(entrenchment, dtype=float),
        np.asarray(counts, dtype=np.bool_),
        np.asarray(presence_of, dtype=np.int64),
        np.empty(s.shape),
    )


def issue_values(
    spec: Spec, ev: np.ndarray, frac: np.ndarray, levels: np.ndarray, sequencing: np.ndarray
) -> np.ndarray:
    """Expected value of each issue of packages to every actor, before salience weights.

    ev, frac: (R, A, I, L); levels: (R, C, I) ints; sequencing: (R, C). Returns (R, C, A, I).
    Under after_verified (escrow) a concession is worth its promised value times the share of
    the package's promised action levels the observer expects to see delivered (the loop is
    kernels.issue_values, by the same escrow rule as kernels.package_values).
    """
    out = np.empty((*levels.shape[:2], *ev.shape[1:3]))
    return kernels.issue_values(
        np.ascontiguousarray(ev, dtype=float),
        np.ascontiguousarray(frac, dtype=float),
        spec.is_action,
        np.ascontiguousarray(levels, dtype=np.int64),
        np.ascontiguousarray(sequencing, dtype=np.int64),
        out,
    )


def package_utility(
    spec: Spec,
    ev: np.ndarray,
    frac: np.ndarray,
    w: np.ndarray,
    levels: np.ndarray,
    sequencing: np.ndarray,
    wev: np.ndarray | None = None,
) -> np.ndarray:
    """Expected utility of packages (R, C, I) to the actors whose valuations ev, frac (R, P, I, L)
    and weights w (R, P, I) hold: (R, C, P). ``wev`` = w * ev may be given when already known.

    The same quantity as summing ``w * issue_values``, accumulated issue by issue without ever
    building an (R, C, P, I) array (the loop is kernels.package_values).
    """
    wev = np.ascontiguousarray(w[..., None] * ev) if wev is None else wev
    out = np.empty((*levels.shape[:2], wev.shape[1]))
    return kernels.package_values(
        wev,
        np.ascontiguousarray(frac),
        spec.is_action,
        np.ascontiguousarray(levels, dtype=np.int64),
        np.ascontiguousarray(sequencing, dtype=np.int64),
        out,
    )


def position_values(spec: Spec, position: np.ndarray) -> np.ndarray:
    """Every actor's value of each issue at the delivered (possibly fractional) level
    position (R, I): (R, A, I), interpolated between levels (the loop is kernels.values_at)."""
    out = np.empty((position.shape[0], spec.n_actors, spec.n_issues))
    return kernels.values_at(spec.values, np.ascontiguousarray(position, dtype=float), out)


def realised_utility(
    spec: Spec, w: np.ndarray, position: np.ndarray, values: np.ndarray | None = None
) -> np.ndarray:
    """Utility of what actually happened: position (R, I) is the delivered (possibly fractional)
    level of each issue; ``values`` its position_values when already known. Returns (R, A)."""
    values = position_values(spec, position) if values is None else values
    return sum_last(w * values)
