"""Negotiation styles and how a proposer builds its package.

Styles (Faratin, Sierra & Jennings 1998, "Negotiation decision functions for autonomous
agents"): an actor's aspiration falls from the best it can hope for to its walk-away value as
the deadline nears,

    target(t) = walk_away + (best - walk_away) * (1 - t ** (1 / e)),   t = 0 first round, 1 last

with e < 1 Boulware (firm until late), e = 1 linear, e > 1 conceder. A reciprocating actor
(relative tit-for-tat) lowers that aspiration further by ``reciprocity`` times the concessions
others have made to it: the better the offers it receives, the more it gives.

A proposer cannot search every package (the Jerusalem scenario has ~10^6), so it traces the
trade-off between its own value and the others' by Lagrangian relaxation: for each weight
lambda on the others' mean value, the best level of every issue is chosen separately (utility
is additive over issues). Of those candidates it offers the one that leaves the committing
actors best off relative to their walk-away values while still meeting its own target.
"""

from __future__ import annotations

import numpy as np

from summit.rules import kernels, package_kernels
from summit.rules.utility import AFTER_VERIFIED, ON_PROMISE, package_utility

LAMBDAS = (0.0, 0.2, 0.5, 1.0, 2.0, 5.0, 20.0)


def time_target(t, exponent, walk_away, best):
    """Aspiration at time t in [0, 1].

    >>> round(float(time_target(0.5, 1.0, 0.4, 1.0)), 3)   # linear, half-way
    0.7
    >>> round(float(time_target(0.5, 0.2, 0.4, 1.0)), 3)   # Boulware barely moved
    0.981
    """
    return walk_away + (best - walk_away) * (1.0 - np.power(t, 1.0 / exponent))


def aspirations(
    spec, p, t: float, best: np.ndarray, reciprocal_gain: np.ndarray, delay: float = 1.0
) -> np.ndarray:
    """Every actor's acceptance threshold this round: (R, A). The hoped-for gain above the
    floor (walk-away value, never below the no-deal value) shrinks with the deadline clock and
    by ``delay`` = rho ** (round - 1), the cost of holding out (bargaining.delay_factor)."""
    floor = np.maximum(p["walk_away"], p["no_deal"])
    target = floor + (time_target(t, p["concession"], floor, best) - floor) * delay
    tit_for_tat = target - p["reciprocity"] * reciprocal_gain
    target = np.where(spec.reciprocating[None], tit_for_tat, target)
    return np.maximum(target, floor)


def pool(spec) -> np.ndarray:
    """Actors whose acceptance can matter: those at the table and every giver of an issue."""
    mask = spec.at_table.copy()
    mask[spec.giver] = True
    return mask


def _others(spec, proposer: int) -> list[int]:
    """The other negotiators whose view a proposer weighs (may be none: a lone negotiator)."""
    others = pool(spec)
    others[proposer] = False
    return [int(k) for k in np.flatnonzero(others)]


def candidates(
    spec,
    ev: np.ndarray,
    frac: np.ndarray,
    w: np.ndarray,
    proposer: int,
    actors: np.ndarray,
    wev: np.ndarray | None = None,
):
    """The proposer's candidate packages: levels (R, C, I) and sequencing (R, C). ev, frac and
    w hold the valuations of ``actors`` (which include the proposer and the pool).

    For each lambda the best level of every issue for own + lambda * others' mean. The
    after_verified candidates ask each action only up to what its giver expects to deliver at
    least half of, and re-pick the concessions, whose worth then depends on the share of those
    actions expected delivered (the loop is kernels.candidate_levels).
    """
    R = ev.shape[0]
    position = {int(a): k for k, a in enumerate(actors)}
    order = np.array([position[a] for a in (proposer, *_others(spec, proposer))], dtype=np.int64)
    wev = w[..., None] * ev if wev is None else wev  # (R, P, I, L)
    seq_order = np.asarray(spec.sequencings, dtype=np.int64)
    levels = np.empty((R, len(seq_order) * len(LAMBDAS), spec.n_issues), dtype=np.int64)
    giver_at = np.array([position[int(g)] for g in spec.giver], dtype=np.int64)
    kernels.candidate_levels(
        np.ascontiguousarray(wev),
        np.ascontiguousarray(frac),
        order,
        giver_at,
        spec.n_levels.astype(np.int64),
        spec.is_action,
        np.asarray(LAMBDAS),
        seq_order,
        levels,
    )
    seqs = np.repeat(np.asarray(spec.sequencings), len(LAMBDAS))
    return levels, np.broadcast_to(seqs, (R, len(seqs))).copy()


def committing(spec, levels: np.ndarray) -> np.ndarray:
    """Which actors commit to something in each package: (..., A) from levels (..., I)."""
    flat = np.ascontiguousarray(levels, dtype=np.int64).reshape(-1, levels.shape[-1])
    out = np.zeros((len(flat), spec.n_actors), dtype=bool)
    package_kernels.committing(flat, spec.giver, out)
    return out.reshape((*levels.shape[:-1], spec.n_actors))


def must_agree(spec, levels: np.ndarray, proposer: int) -> np.ndarray:
    """Who must agree for a package (..., I) to become a deal: every actor that commits to
    something, and the proposer (..., A). The one home of this rule: choosing an offer, the
    zone of agreement, the mediator and responses.deal_formed all ask it."""
    out = committing(spec, levels)
    out[..., proposer] = True
    return out


def hope(
    spec, utilities: np.ndarray, levels: np.ndarray, walk_away: np.ndarray, proposer: int
) -> np.ndarray:
    """(R, A): whether some candidate (utilities (R, C, A), levels (R, C, I)) leaves the actor
    and every party that must agree to it at or above their walk-away values (the loop is
    kernels.zone_of_agreement)."""
    needed = np.ascontiguousarray(must_agree(spec, levels, proposer))
    out = np.zeros((utilities.shape[0], spec.n_actors), dtype=bool)
    return kernels.zone_of_agreement(
        np.ascontiguousarray(utilities), needed, np.ascontiguousarray(walk_away), out
    )


def choose(spec, p, utilities: np.ndarray, levels: np.ndarray, proposer: int, target: np.ndarray):
    """Pick the proposer's offer among candidates.

    utilities (R, C, A); target (R,) the proposer's aspiration. Among candidates that meet the
    target, the one whose worst-off committing actor is best off against its walk-away value;
    if none meets it, the proposer's own favourite. Returns the chosen candidate index (R,)
    (the loop is kernels.choose_candidates).
    """
    pick = np.empty(len(target), dtype=np.int64)
    needed = np.ascontiguousarray(must_agree(spec, levels, proposer))
    return kernels.choose_candidates(
        np.ascontiguousarray(utilities),
        needed,
        np.ascontiguousarray(p["walk_away"]),
        int(proposer),
        np.ascontiguousarray(target, dtype=float),
        pick,
    )


def mediate(
    spec,
    utilities: np.ndarray,
    levels: np.ndarray,
    threshold: np.ndarray,
    barred: np.ndarray,
    proposer: int,
) -> np.ndarray:
    """A mediator's single negotiating text (Raiffa 1982; Camp David, Dayton): among the
    drafts (R, C) of every negotiator's candidates, the one whose most reluctant party, of
    those at the table and those who must commit, is least short of its aspiration,

        pick = argmax_c  min_{a needed} (U_a(c) - threshold_a)

    Each round the text is revised as aspirations fall and objections move. Drafts crossing a
    red line (``barred``) are never tabled while another exists. Returns (R,) indices."""
    needed = must_agree(spec, levels, proposer) | spec.at_table[None, None, :]
    margin = np.where(needed, utilities - threshold[:, None, :], np.inf).min(axis=-1)
    margin = np.where(barred, -np.inf, margin)
    return margin.argmax(axis=1)


def evaluate(spec, ev, frac, w, levels, seqs, actors, wev=None):
    """Expected utilities of packages to ``actors`` (whose valuations ev, frac, w hold), spread
    over all actors (the others read 0): (R, C, A). See utility.package_utility."""
    out = np.zeros((*levels.shape[:2], spec.n_actors))
    out[..., actors] = package_utility(spec, ev, frac, w, levels, seqs, wev)
    return out


__all__ = [
    "LAMBDAS",
    "ON_PROMISE",
    "AFTER_VERIFIED",
    "time_target",
    "aspirations",
    "candidates",
    "committing",
    "choose",
    "evaluate",
    "hope",
    "mediate",
    "must_agree",
    "pool",
]
