"""What each phase of a round returns (``summit.rules.game``), for R runs at once.

Shapes as in ``State``: R runs, A actors, I issues, L levels (the most any issue has; levels an
issue lacks are never chosen), C candidate packages, S side offers. V is the number of valued
actors (``Valuation.actors``: the negotiators). All are frozen: a phase returns new arrays and
never changes what it was given.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Valuation:
    """What the negotiators believe each level of each issue is worth this round
    (``game.valuation``), and the aspirations that follow."""

    actors: np.ndarray  # (V,) the valued actors' indices
    ev: np.ndarray  # (R, V, I, L) expected value of agreeing each level (delivery odds, beliefs)
    frac: np.ndarray  # (R, V, I, L) expected delivered fraction of each level (1 at level 0)
    w: np.ndarray  # (R, V, I) the valued actors' salience weights
    wev: np.ndarray  # (R, V, I, L) w * ev, a giver's net of the price of its promises
    w_all: np.ndarray  # (R, A, I) every actor's salience weights
    best: np.ndarray  # (R, A) the most each actor can hope for (walk-away value if not valued)
    threshold: np.ndarray  # (R, A) acceptance thresholds (offers.aspirations)


@dataclass(frozen=True)
class Offer:
    """The round's offer (``game.propose``): the package on the table, how each actor judges
    it, and the candidates the proposer chose among (walk-outs weigh them)."""

    proposer: int  # actor index
    by_human: bool  # a human's offer, not the AI's
    levels: np.ndarray  # (R, I) the package
    sequencing: np.ndarray  # (R,) kernels.ON_PROMISE or kernels.AFTER_VERIFIED
    utility: np.ndarray  # (R, A) as each actor judges it (negotiators: expected; others: face)
    face: np.ndarray  # (R, A) utility if it were carried out in full
    candidate_levels: np.ndarray  # (R, C, I)
    candidate_seq: np.ndarray  # (R, C)
    candidate_utility: np.ndarray  # (R, C, A) expected utility of each candidate
    valuation: Valuation  # the round's valuation the offer was made and is judged with


@dataclass(frozen=True)
class Answers:
    """Every involved actor's answer to the offer (``game.respond``)."""

    utility: np.ndarray  # (R, A) the offer's utility to each actor (Offer.utility)
    face: np.ndarray  # (R, A) its face value (Offer.face)
    role: np.ndarray  # (R, A) responses.PROPOSES, COMMITS, AT_TABLE, AFFECTED or UNINVOLVED
    accept: np.ndarray  # (R, A) bool
    deal: np.ndarray  # (R,) bool: everyone who must agree did (live runs only)
    crossing: np.ndarray  # (R, A) bool: the offer crosses the actor's red line
    stance: np.ndarray  # (R, A) the effort each actor would meet the deal with (rules.moves)


@dataclass(frozen=True)
class Closing:
    """How the round closed (``game.close_round``); the new ``State`` holds the rest."""

    side_offers: np.ndarray  # (R, S) bool: side offers taken by their recipients
    side_made: np.ndarray  # (R, S) bool: side offers made this round
    walks: np.ndarray  # (R, A) bool: who walked out
    hope: np.ndarray  # (R, A) bool: some candidate package leaves the actor above walk-away
    deal: np.ndarray  # (R,) bool
    ended: np.ndarray  # (R,) bool: the summit ended this round


@dataclass(frozen=True)
class Result:
    """The outcome of every run (``game.finish``): the deal carried out, what each side paid
    and got, and what everyone believes afterwards. Runs without a deal have levels and
    positions of 0 and each actor's no-deal value as payoff."""

    deal: np.ndarray  # (R,) bool
    levels: np.ndarray  # (R, I) agreed levels
    position: np.ndarray  # (R, I) where each issue ended (fractional: escrow scaling)
    attained: np.ndarray  # (R, I) delivered levels before escrow scaling
    action_share: np.ndarray  # (R,) share of promised actions delivered (1 without any)
    odds: np.ndarray  # (R, I, L) odds each level is delivered
    draw: np.ndarray  # (R, I) the uniform draw of each commitment's delivery
    odds_full: np.ndarray  # (R, I) odds of full delivery of each commitment
    odds_some: np.ndarray  # (R, I) odds of at least partial delivery
    stance: np.ndarray  # (R, A) the effort each actor met the deal with
    utility: np.ndarray  # (R, A) realised utility of the positions
    payoff: np.ndarray  # (R, A) utility less the price of broken promises and efforts
    price: np.ndarray  # (R, A) price paid for promises broken (bargaining.realised_price)
    effort_cost: np.ndarray  # (R, A) cost of the efforts spent (moves.effort_costs)
    paid: np.ndarray  # (R, A) utility given up on own issues
    got: np.ndarray  # (R, A) utility gained on others' issues
    paid_share: np.ndarray  # (R, A) share of own concessions paid
    overpaid: np.ndarray  # (R, A) concessions paid beyond the actions delivered to it
    delivered_share: np.ndarray  # (R, A) share of own commitments delivered
    committed: np.ndarray  # (R, A) bool: the actor promised something
    presence: np.ndarray  # (R, A) presence left in Syria (1: all of it)
    influence: np.ndarray  # (R, A) influence kept: presence, plus the entrenched share of the rest
    belief_before: np.ndarray  # (R, A, A) beliefs (observer, giver) as the talks ended
    belief: np.ndarray  # (R, A, A) beliefs after the deal was carried out
