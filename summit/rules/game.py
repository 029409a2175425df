"""One summit, phase by phase, for any number of runs at once.

    state = start(spec, seeds)                      # sample parameters from each run's seed
    while state.live.any():
        state, events = open_round(spec, state)      # events before the round
        offer = propose(spec, state)                 # the proposer's package (or a human's)
        answers = respond(spec, state, offer)        # everyone involved answers, with reasons
        state, closing = close_round(spec, state, offer, answers)   # deal? side offers, walk-outs
    state, result = finish(spec, state)              # implementation and outcome

The mesa model runs these with one run and a human's decision in place of an AI's; the batch
engine runs ``play`` over thousands. Phases return new arrays and never mutate their inputs.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from summit.params import sample_params
from summit.rules import bargaining, implementation, moves, offers, responses
from summit.rules import events as ev_rules
from summit.rules.util import max_last, sum_last
from summit.rules.utility import believed_odds, expected_values, weights
from summit.scenario import Spec

ONGOING, DEAL, DEADLINE, WALKOUT, BREAKDOWN = 0, 1, 2, 3, 4
END_REASONS = ("ongoing", "deal", "deadline", "walkout", "breakdown")


class InvalidDecision(ValueError):
    """A human's decision the rules do not allow (one line, shown to the player)."""


@dataclass(frozen=True)
class State:
    """Everything that carries from one round to the next, for R runs."""

    seeds: np.ndarray  # (R,) int64
    params: dict  # name -> (R, ...) current parameter values
    initial: dict  # name -> (R, ...) parameters as sampled, before any event
    round: int  # rounds opened so far
    live: np.ndarray  # (R,) still negotiating
    end_reason: np.ndarray  # (R,) one of ONGOING, DEAL, DEADLINE, WALKOUT
    end_round: np.ndarray  # (R,) round the summit ended in (0 while ongoing)
    walked_out: np.ndarray  # (R,) actor index or -1
    levels: np.ndarray  # (R, I) agreed levels (0 without a deal)
    sequencing: np.ndarray  # (R,)
    accepted: np.ndarray  # (R, A) answers to the deal (for implementation stances)
    fired: np.ndarray  # (R, E) events that have happened
    side_made: np.ndarray  # (R, S) side offers made
    no_hope: np.ndarray  # (R, A) consecutive rounds without a zone of agreement
    first_received: np.ndarray  # (R, A) utility of the first offer received (nan before)
    best_received: np.ndarray  # (R, A) best utility received so far
    stated: np.ndarray | None = None  # (R, M) statements sent so far (rules.moves)
    said: np.ndarray | None = None  # (R, M) statements sent this round
    stance: np.ndarray | None = None  # (R, A) efforts the deal will meet (rules.moves)

    @property
    def runs(self) -> int:
        return len(self.seeds)


SEED_LIMIT = 1 << 63


def check_seed(seed) -> int:
    """A run seed: a whole number in [0, 2**63)."""
    whole = _whole(seed) if not isinstance(seed, int) else seed
    if whole is None or not 0 <= whole < SEED_LIMIT:
        raise ValueError(f"a seed is a whole number from 0 to 2**63 - 1 (got {seed!r})")
    return whole


def start(spec: Spec, seeds, params: dict | None = None) -> State:
    seeds = np.asarray(seeds)
    if seeds.size and (
        seeds.dtype.kind not in "iu" or seeds.min() < 0 or int(seeds.max()) >= SEED_LIMIT
    ):
        raise ValueError("run seeds are whole numbers from 0 to 2**63 - 1")
    seeds = seeds.astype(np.int64)
    R, A, I = len(seeds), spec.n_actors, spec.n_issues
    params = sample_params(spec, seeds) if params is None else params
    params = bargaining.refresh(spec, params, weights(params, spec))
    return State(
        seeds=seeds,
        params=params,
        initial=params,
        round=0,
        live=np.ones(R, dtype=bool),
        end_reason=np.zeros(R, dtype=np.int8),
        end_round=np.zeros(R, dtype=np.int16),
        walked_out=np.full(R, -1, dtype=np.int16),
        levels=np.zeros((R, I), dtype=np.int64),
        sequencing=np.zeros(R, dtype=np.int64),
        accepted=np.zeros((R, A), dtype=bool),
        fired=np.zeros((R, len(spec.events)), dtype=bool),
        side_made=np.zeros((R, len(spec.side_offers)), dtype=bool),
        no_hope=np.zeros((R, A), dtype=np.int16),
        first_received=np.full((R, A), np.nan),
        best_received=np.full((R, A), -np.inf),
        stated=np.zeros((R, len(spec.statements)), dtype=bool),
        said=np.zeros((R, len(spec.statements)), dtype=bool),
        stance=np.ones((R, A)),
    )


def next_summit_params(spec: Spec, seeds, belief: np.ndarray) -> dict:
    """Parameters of the next summit of a series: drawn from its own seeds, with the beliefs
    the previous summit ended with (the posterior of one is the prior of the next)."""
    params = sample_params(spec, np.asarray(seeds, dtype=np.int64))
    return dict(params, belief=np.array(belief, dtype=float))


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


def valuation(spec: Spec, st: State, actors=None) -> dict:
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
    return {
        "actors": actors,
        "ev": ev,
        "frac": frac,
        "w": w,
        "wev": wev,
        "w_all": w_all,
        "best": best,
        "threshold": threshold,
    }


def _whole(value) -> int | None:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return int(number) if number.is_integer() else None


def check_sequencing(spec: Spec, sequencing) -> int:
    """A sequencing by index or name ('on_promise', 'after_verified') that the scenario allows."""
    from summit.scenario import SEQUENCINGS

    index = SEQUENCINGS.index(sequencing) if sequencing in SEQUENCINGS else _whole(sequencing)
    if index not in spec.sequencings:
        allowed = ", ".join(SEQUENCINGS[k] for k in spec.sequencings)
        raise InvalidDecision(f"sequencing {sequencing!r} is not allowed here (allowed: {allowed})")
    return index


def check_offer(spec: Spec, levels, sequencing) -> np.ndarray:
    """Validate a human's package; returns levels as an (I,) int array."""
    levels = list(levels) if not isinstance(levels, np.ndarray) else levels.tolist()
    if len(levels) != spec.n_issues:
        raise InvalidDecision(f"an offer sets a level on each of the {spec.n_issues} issues")
    out = []
    for i, level in enumerate(levels):
        whole = _whole(level)
        if whole is None or not 0 <= whole < spec.n_levels[i]:
            raise InvalidDecision(
                f"{spec.issue_ids[i]}: level {level!r} does not exist (0..{spec.n_levels[i] - 1})"
            )
        out.append(whole)
    check_sequencing(spec, sequencing)
    return np.array(out, dtype=np.int64)


def propose(spec: Spec, st: State, human_offer: tuple | None = None) -> dict:
    """The round's offer. ``human_offer`` = (levels (I,), sequencing) replaces the AI's."""
    proposer = proposer_of(spec, st.round)
    val = valuation(spec, st)
    single_text = spec.rules.protocol == "single_text"
    drafters = spec.table_order if single_text else (proposer,)
    drafts = [
        offers.candidates(spec, val["ev"], val["frac"], val["w"], d, val["actors"], val["wev"])
        for d in drafters
    ]
    levels = np.concatenate([lv for lv, _ in drafts], axis=1)
    seqs = np.concatenate([sq for _, sq in drafts], axis=1)
    utils = offers.evaluate(
        spec, val["ev"], val["frac"], val["w"], levels, seqs, val["actors"], val["wev"]
    )
    # Red lines are public: an AI never offers a package crossing its own or another's.
    any_line = responses.crossed(spec, levels, seqs).any(axis=-1)
    if single_text:
        pick = offers.mediate(spec, utils, levels, val["threshold"], any_line, proposer)
    else:
        allowed = utils.copy()
        allowed[..., proposer] = np.where(any_line, -1.0e9, utils[..., proposer])
        pick = offers.choose(
            spec, st.params, allowed, levels, proposer, val["threshold"][:, proposer]
        )
    rows = np.arange(st.runs)
    offer_levels, offer_seq = levels[rows, pick], seqs[rows, pick]
    if human_offer is None:  # the chosen candidate was valued with the others: no second pass
        face = responses.face_value(spec, val["w_all"], offer_levels)
        utility = _judge(val, utils[rows, pick], face)
    else:
        lv = check_offer(spec, *human_offer)
        offer_levels = np.broadcast_to(lv, offer_levels.shape).copy()
        offer_seq = np.full(st.runs, check_sequencing(spec, human_offer[1]))
        utility, face = _judged_utility(spec, val, offer_levels, offer_seq)
    return {
        "proposer": proposer,
        "by_human": human_offer is not None,
        "levels": offer_levels,
        "sequencing": offer_seq,
        "utility": utility,
        "face": face,
        "candidate_levels": levels,
        "candidate_seq": seqs,
        "candidate_utility": utils,
        **val,
    }


def preview(spec: Spec, st: State, levels, sequencing) -> np.ndarray:
    """How each actor would judge a package now, exactly as ``respond`` will: (R, A).
    For a human composing an offer."""
    lv = np.broadcast_to(check_offer(spec, levels, sequencing), (st.runs, spec.n_issues))
    seq = np.full(st.runs, check_sequencing(spec, sequencing))
    return _judged_utility(spec, valuation(spec, st), lv, seq)[0]


def _judged_utility(
    spec: Spec, val: dict, levels: np.ndarray, sequencing: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """How every actor judges offers (R, I), and their face values: (R, A) each. Negotiators
    judge an offer by its expected value; actors away from the table by its face value, as if
    it were carried out."""
    expected = offers.evaluate(
        spec,
        val["ev"],
        val["frac"],
        val["w"],
        levels[:, None, :],
        sequencing[:, None],
        val["actors"],
        val["wev"],
    )[:, 0]
    face = responses.face_value(spec, val["w_all"], levels)
    return _judge(val, expected, face), face


def _judge(val: dict, expected: np.ndarray, face: np.ndarray) -> np.ndarray:
    """The valued actors (negotiators) take the expected value; the others the face value."""
    negotiator = np.zeros(face.shape[1], dtype=bool)
    negotiator[val["actors"]] = True
    return np.where(negotiator, expected, face)


def respond(
    spec: Spec,
    st: State,
    offer: dict,
    human_answers: dict[int, bool] | None = None,
    human_efforts: dict[int, float] | None = None,
) -> dict:
    """Every involved actor's answer. ``human_answers`` maps actor index -> accept;
    ``human_efforts`` actor index -> the effort it would resist this offer with (rules.moves)."""
    utility, face = offer["utility"], offer["face"]
    role = responses.roles(spec, offer["levels"], offer["proposer"])
    floor = np.maximum(st.params["walk_away"], st.params["no_deal"])
    crossing = responses.crossed(spec, offer["levels"], offer["sequencing"])
    accept = responses.answer(role, utility, face, offer["threshold"], floor, crossing)
    if spec.rules.protocol == "single_text" and not offer.get("by_human"):
        # the mediator's text is nobody's own: the actor tabling it judges it like the others
        proposer = offer["proposer"]
        accept[:, proposer] &= utility[:, proposer] >= offer["threshold"][:, proposer] - 1e-12
    if offer.get("by_human"):  # a human stands by its own offer, whatever it is worth
        accept[:, offer["proposer"]] = True
    for actor, yes in (human_answers or {}).items():
        accept = accept.copy()
        accept[:, actor] = np.where(role[:, actor] == responses.PROPOSES, True, bool(yes))
    deal = responses.deal_formed(role, accept) & st.live
    stance = moves.ai_stances(spec, accept)
    for actor, effort in (human_efforts or {}).items():
        stance[:, actor] = effort
    return {
        "utility": utility,
        "face": face,
        "role": role,
        "accept": accept,
        "deal": deal,
        "crossing": crossing,
        "stance": stance,
    }


def close_round(
    spec: Spec,
    st: State,
    offer: dict,
    answers: dict,
    human_walkout: dict[int, bool] | None = None,
    humans: tuple[int, ...] = (),
    human_side: dict[int, list[int]] | None = None,
    human_side_answers: dict[int, dict[int, bool]] | None = None,
) -> tuple[State, dict]:
    """Settle the round: a deal, side offers (``human_side``: a human maker's side offers,
    ``human_side_answers``: a human recipient's answers; rules.moves), walk-outs, the deadline."""
    A = spec.n_actors
    deal = answers["deal"]
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
        spec,
        offer["candidate_utility"],
        offer["candidate_levels"],
        p["walk_away"],
        int(offer["proposer"]),
    )
    hope |= answers["utility"] >= p["walk_away"] - 1e-12
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
    received = np.arange(A)[None] != offer["proposer"]
    first = np.where(
        np.isnan(st.first_received) & received & st.live[:, None],
        answers["utility"],
        st.first_received,
    )
    best = np.where(
        received & st.live[:, None],
        np.maximum(st.best_received, answers["utility"]),
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
        levels=np.where(deal[:, None], offer["levels"], st.levels),
        sequencing=np.where(deal, offer["sequencing"], st.sequencing),
        accepted=np.where(deal[:, None], answers["accept"], st.accepted),
        stance=np.where(deal[:, None], answers["stance"], st.stance),
        side_made=st.side_made | side,
        no_hope=no_hope,
        first_received=first,
        best_received=best,
    )
    return new, {
        "side_offers": taken,
        "side_made": side,
        "walks": walks,
        "hope": hope,
        "deal": deal,
        "ended": ended,
    }


def side_offers_due(
    spec: Spec,
    st: State,
    offer: dict,
    answers: dict,
    human_side: dict[int, list[int]] | None = None,
) -> np.ndarray:
    """(R, S): the side offers made as this round closes, by the AI's rule (threatened by the
    offer on the table) or a human maker's choice; the recipients answer them."""
    live = st.live & ~answers["deal"]
    threatened = ev_rules.side_offers_made(
        spec, offer["levels"], answers["utility"], st.params["walk_away"], st.side_made, live
    )
    return moves.side_offers_chosen(spec, threatened, st.side_made, live, human_side)


def finish(spec: Spec, st: State) -> tuple[State, dict]:
    """Implementation of the deals, then the outcome of every run."""
    deal = st.end_reason == DEAL
    levels = np.where(deal[:, None], st.levels, 0)
    stance = st.stance
    done = implementation.attempt(spec, st.params, st.seeds, levels, st.sequencing, stance)
    position = np.where(deal[:, None], done["position"], 0.0)
    attained = np.where(deal[:, None], done["attained"], 0.0)
    share = np.where(deal, done["action_share"], 0.0)
    result = implementation.outcome(spec, st.params, deal, levels, position, attained, stance)
    effort_cost = moves.effort_costs(spec, deal, levels, stance)
    result["payoff"] = result["payoff"] - effort_cost
    full, some = implementation.delivery_summary(done["odds"], levels)
    result.update(
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
    params = dict(st.params, belief=result["belief"])
    return replace(st, params=params), result


_PER_RUN = (
    "seeds",
    "live",
    "end_reason",
    "end_round",
    "walked_out",
    "levels",
    "sequencing",
    "accepted",
    "fired",
    "side_made",
    "no_hope",
    "first_received",
    "best_received",
    "stated",
    "said",
    "stance",
)


def select_runs(st: State, rows: np.ndarray) -> State:
    """The state of some runs only (rows: indices or a boolean mask)."""
    rows = np.flatnonzero(rows) if np.asarray(rows).dtype == bool else np.asarray(rows)
    picked = {name: getattr(st, name).take(rows, axis=0) for name in _PER_RUN}
    return replace(
        st,
        params={k: v.take(rows, axis=0) for k, v in st.params.items()},
        initial={k: v.take(rows, axis=0) for k, v in st.initial.items()},
        **picked,
    )


def merge_runs(full: State, parts: list[tuple[np.ndarray, State]]) -> State:
    """``full`` with the runs at each ``rows`` replaced by its ``part``'s: (rows, part) pairs,
    merged at once so every array is copied once."""

    def put(whole: np.ndarray, some: list[np.ndarray]) -> np.ndarray:
        out = whole.copy()
        for (rows, _), values in zip(parts, some, strict=True):
            out[rows] = values
        return out

    merged = {
        name: put(getattr(full, name), [getattr(part, name) for _, part in parts])
        for name in _PER_RUN
    }
    return replace(
        full,
        params={k: put(v, [part.params[k] for _, part in parts]) for k, v in full.params.items()},
        round=max([full.round, *(part.round for _, part in parts)]),
        **merged,
    )


def play(spec: Spec, seeds, params: dict | None = None) -> tuple[State, dict]:
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
