"""Implementation: every commitment of a deal is attempted; then the outcome.

Actions come first. Each is one contest (see utility.delivery_odds) with the affected actors'
real stance: an actor that resisted the deal resists in full, one that complied resists at
``rules.compliance``. One uniform draw per commitment decides how far it gets: the delivered
level is the highest level whose odds exceed the draw, so delivery is never above what was
agreed and "partly" happens naturally. Concessions are then paid: in full on promise, or in
proportion to the delivered share of the actions when the deal was sequenced after verified
action. Non-military influence survives military withdrawal:

    influence = presence + entrenchment * (1 - presence)
"""

from __future__ import annotations

import numpy as np

from summit import rng
from summit.rules import bargaining
from summit.rules.util import interp_level, sum_last, take_level
from summit.rules.utility import (
    AFTER_VERIFIED,
    delivery_odds,
    giver_willingness,
    position_values,
    realised_utility,
    updated_beliefs,
    weights,
)


def stances(spec, accept: np.ndarray) -> np.ndarray:
    """1.0 for actors that resist the deal, rules.compliance for those that went along."""
    return np.where(accept, spec.rules.compliance, 1.0)


def attempt(
    spec, p: dict, seeds: np.ndarray, levels: np.ndarray, sequencing: np.ndarray, stance: np.ndarray
) -> dict:
    """Attempt every commitment of the deal (levels (R, I), sequencing (R,)).

    Returns the odds (R, I, L), the draws, delivered levels (R, I) as possibly fractional
    positions, and the share of actions delivered (R,).
    """
    odds = delivery_odds(spec, p, giver_willingness(spec, p), stance)
    draw = rng.uniform(
        seeds.astype(np.uint64)[:, None], rng.DELIVERY, np.arange(spec.n_issues)[None, :]
    )
    reached = (draw[..., None] < odds) & (
        np.arange(odds.shape[-1])[None, None, :] <= levels[..., None]
    )
    reached[..., 0] = True
    delivered = (reached.cumprod(axis=-1).sum(axis=-1) - 1).astype(float)  # highest level reached
    is_action = spec.is_action[None] & (levels > 0)
    promised = sum_last(np.where(is_action, levels, 0).astype(float))
    done = sum_last(np.where(is_action, delivered, 0.0))
    action_share = np.where(promised > 0, done / np.maximum(promised, 1), 1.0)  # escrow: per level
    deferred = ~spec.is_action[None] & (sequencing[:, None] == AFTER_VERIFIED)
    position = np.where(deferred, delivered * action_share[:, None], delivered)
    return {
        "odds": odds,
        "draw": draw,
        "attained": delivered,
        "position": position,
        "action_share": action_share,
    }


def outcome(
    spec,
    p: dict,
    deal: np.ndarray,
    levels: np.ndarray,
    position: np.ndarray,
    attained: np.ndarray | None = None,
    stance: np.ndarray | None = None,
) -> dict:
    """What each side paid and got, presence and influence, payoffs and new beliefs.

    All inputs have the run axis first; runs without a deal have levels and positions of 0.
    ``attained`` (R, I) are the delivered levels before escrow scaling (default: position) and
    ``stance`` (R, A) the stances the commitments met (default: everyone resists). Without a
    deal every actor gets its no-deal value; with one, what happened less the price of the
    promises it broke (bargaining.realised_price).
    """
    A = spec.n_actors
    attained = position if attained is None else attained
    stance = np.ones((len(deal), A)) if stance is None else stance
    w = weights(p, spec)
    now = position_values(spec, position)  # (R, A, I)
    realised = realised_utility(spec, w, position, now)
    price = np.where(deal[:, None], bargaining.realised_price(spec, p, w, levels, attained), 0.0)
    payoff = np.where(deal[:, None], realised - price, p["no_deal"])
    change = w * (now - spec.values[None, ..., 0])  # (R, A, I)
    own = spec.giver[None, :] == np.arange(A)[:, None]  # (A, I)
    paid = -sum_last(np.where(own[None], change, 0.0))
    got = sum_last(np.where(own[None], 0.0, change))

    # Payment for promises not kept: an actor's concessions paid beyond the share of the
    # actions others promised it that were delivered.
    agreed = levels > 0
    share = np.where(agreed, position / np.maximum(levels, 1), 0.0)
    concession = ~spec.is_action[None] & agreed
    mine = concession[:, None, :] & own[None]  # (R, A, I)
    n_mine = sum_last(mine.astype(float))
    paid_share = np.where(
        n_mine > 0, sum_last(np.where(mine, share[:, None, :], 0.0)) / np.maximum(n_mine, 1), 0.0
    )
    owed = (spec.is_action[None] & agreed)[:, None, :] & ~own[None]  # actions others promised
    n_owed = sum_last(np.where(owed, levels[:, None, :], 0).astype(float))  # counted per level
    kept = np.where(
        n_owed > 0, sum_last(np.where(owed, position[:, None, :], 0.0)) / np.maximum(n_owed, 1), 1.0
    )
    overpaid = np.where(
        deal[:, None] & (n_owed > 0) & (n_mine > 0), np.maximum(paid_share - kept, 0.0), 0.0
    )

    presence_left = np.ones((len(deal), A))
    for i in np.flatnonzero(spec.presence_of >= 0):
        k = spec.presence_of[i]
        left = interp_level(
            np.broadcast_to(spec.presence[i], (len(deal), spec.presence.shape[1])), position[:, i]
        )
        presence_left[:, k] = presence_left[:, k] * left
    influence = presence_left + p["entrenchment"] * (1.0 - presence_left)

    gave = agreed[:, None, :] & own[None]  # (R, A, I)
    committed = gave.any(axis=2) & deal[:, None]
    n_gave = sum_last(gave.astype(float))
    delivered_share = np.where(
        n_gave > 0, sum_last(np.where(gave, share[:, None, :], 0.0)) / np.maximum(n_gave, 1), 0.0
    )
    belief = updated_beliefs(spec, p, stance, levels, np.floor(attained + 1e-9), committed, w)
    return {
        "utility": realised,
        "payoff": payoff,
        "price": price,
        "paid": paid,
        "got": got,
        "paid_share": paid_share,
        "overpaid": overpaid,
        "delivered_share": delivered_share,
        "committed": committed,
        "presence": presence_left,
        "influence": influence,
        "belief": belief,
    }


def delivery_summary(odds: np.ndarray, levels: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Odds of full delivery and of at least partial delivery of each commitment: (R, I) each."""
    full = take_level(odds, levels)
    some = np.where(levels > 0, odds[..., 1], 1.0)
    return full, some
