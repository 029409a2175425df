"""One summit, phase by phase, for any number of runs at once.

    state = start(spec, seeds)                  # State: parameters sampled from each run's seed
    while state.live.any():
        state, events = open_round(spec, state)  # events (R, E) before the round, statements
        offer = propose(spec, state)             # Offer: the proposer's package (or a human's)
        answers = respond(spec, state, offer)    # Answers: everyone involved, with reasons
        state, closing = close_round(spec, state, offer, answers)  # Closing: deal? walk-outs
    state, result = finish(spec, state)          # Result: implementation and outcome

The mesa model runs these with one run and a human's decision in place of an AI's; the batch
engine runs ``play`` over thousands. Phases return new arrays and never mutate their inputs.
Their results are the frozen dataclasses of ``rules.phases`` (``Valuation``, ``Offer``,
``Answers``, ``Closing``, ``Result``), with the shapes of their arrays.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from summit.rules import bargaining, implementation, moves, offers, responses
from summit.rules import events as ev_rules
from summit.rules.checks import InvalidDecision, check_offer, check_sequencing
from summit.rules.phases import Answers, Closing, Offer, Result, Valuation
from summit.rules.state import (
    BREAKDOWN,
    DEADLINE,
    DEAL,
    END_REASONS,
    ONGOING,
    SEED_LIMIT,
    WALKOUT,
    State,
    check_seed,
    merge_runs,
    select_runs,
    start,
)
from summit.rules.util import max_last, sum_last
from summit.rules.utility import believed_odds, expected_values, weights
from summit.scenario import Spec

# The state, its start, the phases' results and the checks of a decision have homes of their
# own (rules.state, rules.phases, rules.checks); the front ends reach them here, with the
# phases, as ``game.start``, ``game.Offer`` ...
__all__ = [
    "BREAKDOWN",
    "DEADLINE",
    "DEAL",
    "END_REASONS",
    "ONGOING",
    "SEED_LIMIT",
    "WALKOUT",
    "Answers",
    "Closing",
    "InvalidDecision",
    "Offer",
    "Result",
    "State",
    "Valuation",
    "check_offer",
    "check_seed",
    "check_sequencing",
    "clock",
    "close_round",
    "finish",
    "merge_runs",
    "open_round",
    "outside_option_taken",
    "play",
    "preview",
    "propose",
    "proposer_of",
    "respond",
    "select_runs",
    "side_offers_due",
    "start",
    "valuation",
]


def proposer_of(spec: Spec, round_no: int) -> int:
    """Actors at the table propose in turn, in the order the scenario lists them."""
    return spec.table_order[(round_no - 1) % len(spec.table_order)]


def clock(spec: Spec, round_no: int) -> float:
    """Negotiation time in [0, 1]: 0 in the first round, 1 in the last round the talks can be
    expected to reach (bargaining.horizon: the deadline, or sooner under breakdown risk)."""
    last = bargaining.horizon(spec)
    return 0.0 if last <= 1 else min(max(round_no - 1, 0) / (last - 1), 1.0)


def outside_option_taken(st: State) -> np.ndarray:
    """(R, A): actors for whom no offer so far was worth their no-deal value; they keep to
    their outside option (Israel keeps striking) while they wait."""
    return st.best_received < st.params["no_deal"] - 1e-12


def open_round(
    spec: Spec,
    st: State,
    human_statements: dict[int, int | None] | None = None,
    events: np.ndarray | None = None,
) -> tuple[State, np.ndarray]:
    """Start the next round: events happen (R, E) and change parameters; then public
    statements (rules.moves; ``human_statements``: actor -> statement index or None).
    ``events`` (R, E), when given, are the events that happen instead of the draw (an
    analysis's typical round)."""
    round_no = st.round + 1
    happen = (
        events
        if events is not None
        else ev_rules.roll_events(
            spec, st.seeds, round_no, st.fired, st.live, outside_option_taken(st)
        )
    )
    params = ev_rules.apply_events(spec, st.params, happen)
    said = moves.statements_sent(spec, st.seeds, round_no, st.stated, st.live, human_statements)
    for statement in spec.statements:
        if said[:, statement.index].any():
            params = ev_rules.apply_effects(params, statement.effects, said[:, statement.index])
    if happen.any() or said.any():
        params = bargaining.refresh(spec, params, weights(params, spec))
    return replace(
        st,
        round=round_no,
        params=params,
        fired=st.fired | happen,
        stated=st.stated | said,
        said=said,
    ), happen


def valuation(spec: Spec, st: State, actors=None) -> Valuation:
    """What the negotiators (``actors``; default: those at the table and every giver) believe
    each level of each issue is worth this round. Before stances are known, resisters are
    assumed to resist. Actors away from the table judge offers at face value instead, so their
    aspiration is their walk-away value."""
    p = st.params
    actors = np.flatnonzero(offers.pool(spec)) if actors is None else np.asarray(actors)
    odds = believed_odds(spec, p, np.ones((st.runs, spec.n_actors)), actors)
    w_all = weights(p, spec)
    w = w_all[:, actors]
    ev, frac, wev, _ = expected_values(spec, odds, actors, w)
    wev = wev - bargaining.expected_price(spec, p, w_all, frac, actors)  # givers net of the price
    best = p["walk_away"].copy()
    best[:, actors] = sum_last(max_last(wev))
    gain = np.where(
        np.isnan(st.first_received), 0.0, np.maximum(st.best_received - st.first_received, 0.0)
    )
    threshold = offers.aspirations(
        spec, p, clock(spec, st.round), best, gain, bargaining.delay_factor(spec, st.round)
    )
    return Valuation(actors, ev, frac, w, wev, w_all, best, threshold)


def propose(spec: Spec, st: State, human_offer: tuple | None = None) -> Offer:
    """The round's offer. ``human_offer`` = (levels (I,), sequencing) replaces the AI's."""
    proposer = proposer_of(spec, st.round)
    val = valuation(spec, st)
    single_text = spec.rules.protocol == "single_text"
    drafters = spec.table_order if single_text else (proposer,)
    drafts = [
        offers.candidates(spec, val.ev, val.frac, val.w, d, val.actors, val.wev) for d in drafters
    ]
    levels = np.concatenate([lv for lv, _ in drafts], axis=1)
    seqs = np.concatenate([sq for _, sq in drafts], axis=1)
    utils = offers.evaluate(spec, val.ev, val.frac, val.w, levels, seqs, val.actors, val.wev)
    # Red lines are public: an AI never offers a package crossing its own or another's.
    any_line = responses.crossed(spec, levels, seqs).any(axis=-1)
    if single_text:
        pick = offers.mediate(spec, utils, levels, val.threshold, any_line, proposer)
    else:
        allowed = utils.copy()
        allowed[..., proposer] = np.where(any_line, -1.0e9, utils[..., proposer])
        pick = offers.choose(spec, st.params, allowed, levels, proposer, val.threshold[:, proposer])
    rows = np.arange(st.runs)
    offer_levels, offer_seq = levels[rows, pick], seqs[rows, pick]
    if human_offer is None:  # the chosen candidate was valued with the others: no second pass
        face = responses.face_value(spec, val.w_all, offer_levels)
        utility = _judge(val, utils[rows, pick], face)
    else:
        lv = check_offer(spec, *human_offer)
        offer_levels = np.broadcast_to(lv, offer_levels.shape).copy()
        offer_seq = np.full(st.runs, check_sequencing(spec, human_offer[1]))
        utility, face = _judged_utility(spec, val, offer_levels, offer_seq)
    return Offer(
        proposer=proposer,
        by_human=human_offer is not None,
        levels=offer_levels,
        sequencing=offer_seq,
        utility=utility,
        face=face,
        candidate_levels=levels,
        candidate_seq=seqs,
        candidate_utility=utils,
        valuation=val,
    )


def preview(spec: Spec, st: State, levels, sequencing) -> np.ndarray:
    """How each actor would judge a package now, exactly as ``respond`` will: (R, A).
    For a human composing an offer."""
    lv = np.broadcast_to(check_offer(spec, levels, sequencing), (st.runs, spec.n_issues))
    seq = np.full(st.runs, check_sequencing(spec, sequencing))
    return _judged_utility(spec, valuation(spec, st), lv, seq)[0]


def _judged_utility(
    spec: Spec, val: Valuation, levels: np.ndarray, sequencing: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """How every actor judges offers (R, I), and their face values: (R, A) each. Negotiators
    judge an offer by its expected value; actors away from the table by its face value, as if
    it were carried out."""
    expected = offers.evaluate(
        spec, val.ev, val.frac, val.w, levels[:, None, :], sequencing[:, None], val.actors, val.wev
    )[:, 0]
    face = responses.face_value(spec, val.w_all, levels)
    return _judge(val, expected, face), face


def _judge(val: Valuation, expected: np.ndarray, face: np.ndarray) -> np.ndarray:
    """The valued actors (negotiators) take the expected value; the others the face value."""
    negotiator = np.zeros(face.shape[1], dtype=bool)
    negotiator[val.actors] = True
    return np.where(negotiator, expected, face)


def respond(
    spec: Spec,
    st: State,
    offer: Offer,
    human_answers: dict[int, bool] | None = None,
    human_efforts: dict[int, float] | None = None,
) -> Answers:
    """Every involved actor's answer. ``human_answers`` maps actor index -> accept;
    ``human_efforts`` actor index -> the effort it would resist this offer with (rules.moves)."""
    utility, face, proposer = offer.utility, offer.face, offer.proposer
    threshold = offer.valuation.threshold
    role = responses.roles(spec, offer.levels, proposer)
    floor = np.maximum(st.params["walk_away"], st.params["no_deal"])
    crossing = responses.crossed(spec, offer.levels, offer.sequencing)
    accept = responses.answer(role, utility, face, threshold, floor, crossing)
    if responses.tabler_answers(spec, offer.by_human):
        accept[:, proposer] &= utility[:, proposer] >= threshold[:, proposer] - 1e-12
    if offer.by_human:  # a human stands by its own offer, whatever it is worth
        accept[:, proposer] = True
    for actor, yes in (human_answers or {}).items():
        accept = accept.copy()
        accept[:, actor] = np.where(role[:, actor] == responses.PROPOSES, True, bool(yes))
    deal = responses.deal_formed(role, accept) & st.live
    stance = moves.ai_stances(spec, accept)
    for actor, effort in (human_efforts or {}).items():
        stance[:, actor] = effort
    return Answers(utility, face, role, accept, deal, crossing, stance)


def close_round(
    spec: Spec,
    st: State,
    offer: Offer,
    answers: Answers,
    human_walkout: dict[int, bool] | None = None,
    humans: tuple[int, ...] = (),
    human_side: dict[int, list[int]] | None = None,
    human_side_answers: dict[int, dict[int, bool]] | None = None,
) -> tuple[State, Closing]:
    """Settle the round: a deal, side offers (``human_side``: a human maker's side offers,
    ``human_side_answers``: a human recipient's answers; rules.moves), walk-outs, the deadline."""
    A = spec.n_actors
    deal = answers.deal
    live = st.live & ~deal
    p = st.params
    # Side offers by actors away from the table, threatened by what is on it.
    side = side_offers_due(spec, st, offer, answers, human_side)
    taken = moves.side_offers_taken(spec, st.seeds, st.round, side, human_side_answers)
    params = ev_rules.apply_side_offers(spec, p, taken)
    if taken.any():
        params = bargaining.refresh(spec, params, weights(params, spec))

    # Walk-outs: no package in sight leaves me and every committing actor above walk-away.
    hope = offers.hope(
        spec, offer.candidate_utility, offer.candidate_levels, p["walk_away"], int(offer.proposer)
    )
    hope |= answers.utility >= p["walk_away"] - 1e-12
    no_hope = np.where(live[:, None] & ~hope, st.no_hope + 1, 0).astype(np.int16)
    walks = spec.at_table[None] & (no_hope >= spec.rules.walkout_patience)
    for actor in humans:
        walks[:, actor] = False
    for actor, yes in (human_walkout or {}).items():
        walks[:, actor] = bool(yes)
    walks &= live[:, None] & spec.at_table[None]  # only a negotiator at the table can walk out
    walked = walks.any(axis=1)
    walker = np.where(walked, walks.argmax(axis=1), st.walked_out).astype(np.int16)

    # Reciprocity remembers offers made by others.
    received = np.arange(A)[None] != offer.proposer
    first = np.where(
        np.isnan(st.first_received) & received & st.live[:, None],
        answers.utility,
        st.first_received,
    )
    best = np.where(
        received & st.live[:, None],
        np.maximum(st.best_received, answers.utility),
        st.best_received,
    )

    out_of_time = live & ~walked & (st.round >= spec.deadline)
    broke = live & ~walked & ~out_of_time & bargaining.breaks_down(spec, st.seeds, st.round)
    ended = deal | (live & walked) | out_of_time | broke
    reason = np.where(
        deal,
        DEAL,
        np.where(
            live & walked,
            WALKOUT,
            np.where(out_of_time, DEADLINE, np.where(broke, BREAKDOWN, st.end_reason)),
        ),
    )
    new = replace(
        st,
        params=params,
        live=live & ~walked & ~out_of_time & ~broke,
        end_reason=reason.astype(np.int8),
        end_round=np.where(ended, st.round, st.end_round).astype(np.int16),
        walked_out=walker,
        levels=np.where(deal[:, None], offer.levels, st.levels),
        sequencing=np.where(deal, offer.sequencing, st.sequencing),
        accepted=np.where(deal[:, None], answers.accept, st.accepted),
        stance=np.where(deal[:, None], answers.stance, st.stance),
        side_made=st.side_made | side,
        no_hope=no_hope,
        first_received=first,
        best_received=best,
    )
    return new, Closing(
        side_offers=taken, side_made=side, walks=walks, hope=hope, deal=deal, ended=ended
    )


def side_offers_due(
    spec: Spec,
    st: State,
    offer: Offer,
    answers: Answers,
    human_side: dict[int, list[int]] | None = None,
) -> np.ndarray:
    """(R, S): the side offers made as this round closes, by the AI's rule (threatened by the
    offer on the table) or a human maker's choice; the recipients answer them."""
    live = st.live & ~answers.deal
    threatened = ev_rules.side_offers_made(
        spec, offer.levels, answers.utility, st.params["walk_away"], st.side_made, live
    )
    return moves.side_offers_chosen(spec, threatened, st.side_made, live, human_side)


def finish(spec: Spec, st: State) -> tuple[State, Result]:
    """Implementation of the deals, then the outcome of every run."""
    deal = st.end_reason == DEAL
    levels = np.where(deal[:, None], st.levels, 0)
    stance = st.stance
    done = implementation.attempt(spec, st.params, st.seeds, levels, st.sequencing, stance)
    position = np.where(deal[:, None], done["position"], 0.0)
    attained = np.where(deal[:, None], done["attained"], 0.0)
    share = np.where(deal, done["action_share"], 0.0)
    outcome = implementation.outcome(spec, st.params, deal, levels, position, attained, stance)
    effort_cost = moves.effort_costs(spec, deal, levels, stance)
    full, some = implementation.delivery_summary(done["odds"], levels)
    result = Result(
        **dict(outcome, payoff=outcome["payoff"] - effort_cost),
        deal=deal,
        levels=levels,
        position=position,
        attained=attained,
        action_share=share,
        odds=done["odds"],
        draw=done["draw"],
        odds_full=full,
        odds_some=some,
        stance=stance,
        belief_before=st.params["belief"],
        effort_cost=effort_cost,
    )
    params = dict(st.params, belief=result.belief)
    return replace(st, params=params), result


def play(spec: Spec, seeds, params: dict | None = None) -> tuple[State, Result]:
    """Play whole summits for every seed with AI decisions only (the batch engine's loop).

    Runs that have ended leave the working set, so later rounds cost only what is still being
    negotiated; every run's numbers are the same as if it were played alone. The working set
    leaves the parameters as sampled (``initial``, read only at the end) behind, and the ended
    runs join the whole state once, at the end.
    """
    full = start(spec, seeds, params)
    st, rows = replace(full, initial={}), np.arange(full.runs)
    ended_parts = []
    while len(rows):
        st, _ = open_round(spec, st)
        offer = propose(spec, st)
        answers = respond(spec, st, offer)
        st, _ = close_round(spec, st, offer, answers)
        ended = ~st.live
        if ended.any():
            ended_parts.append((rows[ended], select_runs(st, np.flatnonzero(ended))))
            going = np.flatnonzero(~ended)
            st, rows = select_runs(st, going), rows[going]
    return finish(spec, merge_runs(full, ended_parts))
