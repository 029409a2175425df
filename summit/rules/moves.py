"""Moves besides offers and answers: public statements, side offers and resistance efforts.

Any actor the scenario gives these moves to decides them every round:

- a public statement before the round (one of its ``statements``, or none): its effects move
  the others' beliefs as the scenario says. AI rule: send each available statement with the
  scenario's ``probability``, one draw per (round, statement) from the run's stream;
- side offers, by an actor away from the table (which, to whom, or none). AI rule: make one
  when the offer on the table threatens the maker (events.side_offers_made); a human may make
  any not yet made. The recipient answers: the AI takes it with the offer's ``acceptance``,
  one draw per (round, side offer); only a side offer taken changes parameters;
- the effort an affected actor puts into resisting the offer's actions should it become the
  deal, one of its ``resistance.efforts``: the stance the delivery contest uses, at a cost of
  ``resistance.cost`` per unit when the deal is carried out. AI rule: full effort if it
  rejected the offer, else the effort nearest ``rules.compliance``.

A human's choice replaces the AI's and is checked here (``check_*``: one-line InvalidDecision).
Actors without these moves in the scenario play exactly as before.
"""

from __future__ import annotations

import numpy as np

from summit import rng

STATEMENT, SIDE_ANSWER = 1, 2  # keys within the MOVES stream


class InvalidMove(ValueError):
    """A human's move the rules do not allow (one line)."""


# ----------------------------------------------------------------------------- statements
def statements_open(spec, round_no: int, stated: np.ndarray, live: np.ndarray) -> np.ndarray:
    """(R, M): statements that may be sent this round (in window, not yet sent unless repeated)."""
    out = np.zeros(stated.shape, dtype=bool)
    for st in spec.statements:
        now = (st.first <= round_no <= st.last) & live
        out[:, st.index] = now if st.repeat else now & ~stated[:, st.index]
    return out


def statements_sent(
    spec,
    seeds: np.ndarray,
    round_no: int,
    stated: np.ndarray,
    live: np.ndarray,
    human: dict[int, int | None] | None = None,
) -> np.ndarray:
    """(R, M): statements sent this round. ``human`` maps an actor to the statement index it
    sends (None: none); every statement of a human actor is its own choice."""
    can = statements_open(spec, round_no, stated, live)
    if not spec.statements:
        return can
    u = rng.uniform(
        seeds.astype(np.uint64)[:, None],
        rng.MOVES,
        STATEMENT,
        round_no,
        np.arange(len(spec.statements))[None, :],
    )
    chance = np.array([st.probability for st in spec.statements])
    sent = can & (u < chance[None])
    by = np.array([st.by for st in spec.statements])
    for actor, choice in (human or {}).items():
        sent[:, by == actor] = False
        if choice is not None:
            sent[:, choice] = can[:, choice]
    return sent


def check_statement(
    spec, actor: int, statement: str | None, round_no: int, stated: np.ndarray
) -> int | None:
    """A human's statement by id (or None): its index, if the actor may send it now."""
    if statement is None:
        return None
    ids = [st.id for st in spec.statements if st.by == actor]
    if statement not in ids:
        raise InvalidMove(
            f"{spec.actor_ids[actor]} has no statement '{statement}' "
            f"(its statements: {', '.join(ids) or 'none'})"
        )
    index = next(st.index for st in spec.statements if st.id == statement)
    if not statements_open(spec, round_no, stated, np.ones(len(stated), dtype=bool))[0, index]:
        raise InvalidMove(f"statement '{statement}' cannot be made in round {round_no}")
    return index


# ----------------------------------------------------------------------------- side offers
def side_offers_chosen(
    spec,
    threatened: np.ndarray,
    made: np.ndarray,
    live: np.ndarray,
    human: dict[int, list[int]] | None = None,
) -> np.ndarray:
    """(R, S): side offers made this round. The AI makes those ``threatened`` (its rule); a
    human maker (``human``: actor -> side offer indices) makes exactly the ones it chose."""
    now = threatened.copy()
    by = np.array([so.by for so in spec.side_offers], dtype=np.int64)
    for actor, chosen in (human or {}).items():
        now[:, by == actor] = False
        for s in chosen:
            now[:, s] = ~made[:, s] & live
    return now


def side_offers_taken(
    spec,
    seeds: np.ndarray,
    round_no: int,
    offered: np.ndarray,
    human: dict[int, dict[int, bool]] | None = None,
) -> np.ndarray:
    """(R, S): side offers made and taken. ``human`` maps a recipient to its answers by index;
    a side offer it did not answer gets the AI's answer."""
    S = len(spec.side_offers)
    if not S:
        return offered
    u = rng.uniform(
        seeds.astype(np.uint64)[:, None], rng.MOVES, SIDE_ANSWER, round_no, np.arange(S)[None, :]
    )
    acceptance = np.array([so.acceptance for so in spec.side_offers])
    take = u < acceptance[None]
    for answers in (human or {}).values():
        for s, yes in answers.items():
            take[:, s] = bool(yes)
    return offered & take


def check_side_offers(spec, actor: int, ids: list[str], made: np.ndarray) -> list[int]:
    """A human maker's side offers by id: their indices, if it may make them now."""
    mine = {so.id: so for so in spec.side_offers if so.by == actor}
    out = []
    for sid in ids:
        if sid not in mine:
            raise InvalidMove(
                f"{spec.actor_ids[actor]} has no side offer '{sid}' "
                f"(its side offers: {', '.join(mine) or 'none'})"
            )
        if made[0, mine[sid].index]:
            raise InvalidMove(f"side offer '{sid}' was made already")
        out.append(mine[sid].index)
    return out


def check_side_answers(spec, actor: int, answers: dict[str, bool]) -> dict[int, bool]:
    """A human recipient's answers by side offer id: {index: take}."""
    mine = {so.id: so.index for so in spec.side_offers if so.to == actor}
    bad = [sid for sid in answers if sid not in mine]
    if bad:
        raise InvalidMove(
            f"side offer '{bad[0]}' is not made to {spec.actor_ids[actor]} "
            f"(to it: {', '.join(mine) or 'none'})"
        )
    return {mine[sid]: bool(yes) for sid, yes in answers.items()}


# ----------------------------------------------------------------------------- resistance
def resisting(spec, levels: np.ndarray) -> np.ndarray:
    """(R, A): actors resisting at least one action of the package ``levels`` (R, I)."""
    return ((spec.resist[None] > 0) & (levels > 0)[..., None]).any(axis=1)


def ai_stances(spec, accept: np.ndarray) -> np.ndarray:
    """(R, A) stances: rules.compliance if it went along, 1 if it resisted; an actor with
    efforts picks its highest if it resisted, else the one nearest rules.compliance."""
    stance = np.where(accept, spec.rules.compliance, 1.0)
    for actor, efforts in enumerate(spec.efforts):
        if efforts:
            near = min(efforts, key=lambda e: (abs(e - spec.rules.compliance), e))
            stance[:, actor] = np.where(accept[:, actor], near, max(efforts))
    return stance


def check_effort(spec, actor: int, effort) -> float:
    """A human's effort: one of the actor's efforts (by value)."""
    allowed = spec.efforts[actor] if spec.efforts else ()
    if not allowed:
        raise InvalidMove(f"{spec.actor_ids[actor]} has no resistance move in this scenario")
    try:
        value = float(effort)
    except (TypeError, ValueError):
        value = None
    if value is None or not any(abs(value - e) < 1e-9 for e in allowed):
        raise InvalidMove(
            f"{spec.actor_ids[actor]}: effort {effort!r} is not one of "
            f"{', '.join(f'{e:g}' for e in allowed)}"
        )
    return next(e for e in allowed if abs(value - e) < 1e-9)


def effort_costs(spec, deal: np.ndarray, levels: np.ndarray, stance: np.ndarray) -> np.ndarray:
    """(R, A): what resisting cost each actor with efforts when its deal was carried out."""
    if spec.effort_cost is None:
        return np.zeros_like(stance)
    charged = deal[:, None] & resisting(spec, levels)
    return np.where(charged, spec.effort_cost[None] * stance, 0.0)
