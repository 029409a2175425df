"""Records of a game: one per round (like a Diplomacy phase), then the outcome.

Records are plain dataclasses of str, int, float, bool, lists and dicts, so they serialise to
JSON as they are. The transcript, the JSON Lines, the TUI table and the autosave are all views
of them. The builders here read the rules' arrays for one run (run index 0) and add the words:
they compute no rule.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

import numpy as np

from summit.outcomes import (
    LEVEL_TOLERANCE,
    delivered_in_full,
    delivered_level,
    outcome_columns,
)
from summit.rules import responses as R
from summit.rules.credibility import standing
from summit.rules.game import END_REASONS
from summit.rules.phases import Answers, Offer, Result
from summit.rules.utility import giver_willingness
from summit.scenario import SEQUENCINGS, Spec


@dataclass
class EventRecord:
    id: str
    text: str
    effects: list[str]


@dataclass
class SideOfferRecord:
    id: str
    by: str
    to: str
    text: str
    taken: bool = True  # False: the recipient refused it and nothing changed


@dataclass
class Term:
    """One commitment in a package: who gives what, at which level."""

    issue: str
    giver: str
    level: int
    level_name: str
    text: str


@dataclass
class OfferRecord:
    proposer: str
    sequencing: str
    levels: dict[str, int]
    terms: list[Term]
    by_human: bool = False


@dataclass
class ResponseRecord:
    actor: str
    role: str
    decision: (
        str  # accept / reject (committing), support / oppose (table), comply / resist (affected)
    )
    utility: float
    aspiration: float
    walk_away: float
    reason: str
    by_human: bool = False


@dataclass
class ActorSnapshot:
    actor: str
    capability: float
    willingness: dict[str, float]
    credibility: float  # mean belief of the others in its promises
    strength: float
    entrenchment: float
    offer_utility: float
    aspiration: float
    walk_away: float


@dataclass
class RoundRecord:
    round: int
    proposer: str
    events: list[EventRecord]
    offer: OfferRecord
    responses: list[ResponseRecord]
    deal: bool
    side_offers: list[SideOfferRecord]
    walkouts: list[str]
    ended: str | None  # None while the summit goes on; else deal / deadline / walkout
    actors: list[ActorSnapshot]
    kind: str = "round"

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class CommitmentRecord:
    issue: str
    giver: str
    kind: str  # action or concession
    agreed: int
    agreed_name: str
    odds_full: float  # chance of delivering everything agreed
    odds_some: float  # chance of delivering at least the first level
    draw: float
    attained: int  # level the attempt reached
    delivered: float  # level delivered (fractional when a deferred payment is paid in part)
    delivered_name: str
    status: str  # delivered fully / delivered partly / not delivered / paid in part ...


@dataclass
class ActorOutcome:
    actor: str
    payoff: float
    walk_away: float
    gain: float  # payoff minus no-deal value
    paid: float  # value given up on its own commitments
    got: float  # value gained from others' commitments
    presence: float  # military presence left (1 = as before)
    influence: float  # presence plus entrenched non-military influence
    overpaid: float  # share of its payment not matched by delivered actions
    credibility_before: float
    credibility_after: float
    no_deal: float = 0.0  # value of the status quo plus the declared no-deal consequences
    broken_promises: float = 0.0  # price paid for promises not kept (reputation, declared costs)


@dataclass
class OutcomeRecord:
    deal: bool
    end_reason: str
    end_round: int
    walked_out: str | None
    sequencing: str | None
    agreed: dict[str, int]
    delivered: dict[str, float]
    commitments: list[CommitmentRecord]
    actors: list[ActorOutcome]
    paid_for_unkept: list[str]
    kind: str = "outcome"

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class GameHeader:
    """The first line of a JSON Lines game and of a save: what was played."""

    scenario: str
    path: str
    seed: int
    humans: list[str]
    parameters: dict[str, float] = field(default_factory=dict)
    kind: str = "game"
    settings: list[str] = field(default_factory=list)  # the --set NAME=VALUE texts played with

    def to_dict(self) -> dict:
        return asdict(self)


# --------------------------------------------------------------------------- words


def _f(x) -> float:
    return round(float(x), 4)


def term_text(spec: Spec, issue: int, level: int) -> str:
    sc_issue = spec.scenario.issues[issue]
    if sc_issue.phrases:
        return sc_issue.phrases[level]
    return f"{sc_issue.name}: {sc_issue.levels[level]}"


def offer_record(
    spec: Spec, proposer: int, levels: np.ndarray, sequencing: int, by_human: bool
) -> OfferRecord:
    terms = [
        Term(
            spec.issue_ids[i],
            spec.actor_ids[spec.giver[i]],
            int(levels[i]),
            spec.scenario.issues[i].levels[int(levels[i])],
            term_text(spec, i, int(levels[i])),
        )
        for i in range(spec.n_issues)
        if levels[i] > 0
    ]
    return OfferRecord(
        spec.actor_ids[proposer],
        SEQUENCINGS[int(sequencing)],
        {spec.issue_ids[i]: int(levels[i]) for i in range(spec.n_issues)},
        terms,
        by_human,
    )


def _reason(
    spec: Spec,
    role: int,
    yes: bool,
    utility: float,
    face: float,
    aspiration: float,
    walk_away: float,
    contrib: np.ndarray,
    regret: np.ndarray,
    levels: np.ndarray,
    gives: np.ndarray | None = None,
) -> str:
    """Words for an answer from the numbers behind it: which issues weigh most for and against."""
    issues = spec.scenario.issues

    def named(i: int, how: str) -> str:
        return f"{issues[i].name} {how}'{issues[i].levels[int(levels[i])]}'"

    if role == R.PROPOSES:
        return "its own proposal"
    gains = [i for i in np.argsort(-contrib, kind="stable") if contrib[i] > 0.005][:2]
    losses = [i for i in np.argsort(contrib, kind="stable") if contrib[i] < -0.005][:2]
    misses = [i for i in np.argsort(-regret, kind="stable") if regret[i] > 0.005][:2]
    if role == R.AFFECTED:
        numbers = f"worth {face:.2f} to it if carried out; it walks away at {walk_away:.2f}"
        if yes:
            return f"the deal costs it little ({numbers})"
        costly = " and ".join(named(i, "at ") for i in losses) or "the deal"
        return f"{costly} would cost it too much ({numbers})"
    numbers = f"worth {utility:.2f} to it; it holds out for {aspiration:.2f}"
    if yes:
        carrying = " and ".join(named(i, "at ") for i in gains) or "it gives up little"
        return f"{carrying} carry it ({numbers})"
    gives = np.zeros(len(issues), bool) if gives is None else gives
    # which way each miss goes: what it gives is too much, what it gets too little
    missed = [named(i, "as much as " if gives[i] else "only ") for i in misses]
    return f"{', '.join(missed) or 'too little on offer'} ({numbers})"


DECISIONS = {
    R.PROPOSES: ("proposes", "proposes"),
    R.COMMITS: ("accept", "reject"),
    R.AT_TABLE: ("support", "oppose"),
    R.AFFECTED: ("comply", "resist"),
}


def response_records(
    spec: Spec,
    offer: Offer,
    answers: Answers,
    walk_away: np.ndarray,
    contrib: np.ndarray,
    regret: np.ndarray,
    humans: tuple[int, ...],
) -> list[ResponseRecord]:
    out = []
    levels = offer.levels[0]
    tabler_answers = R.tabler_answers(spec, offer.by_human)
    for a in range(spec.n_actors):
        role = int(answers.role[0, a])
        if role == R.UNINVOLVED:
            continue
        yes = bool(answers.accept[0, a])
        # the actor tabling a mediator's text answers it like any committing negotiator
        words_role = R.COMMITS if role == R.PROPOSES and tabler_answers else role
        u, asp, wa = (
            float(answers.utility[0, a]),
            float(offer.valuation.threshold[0, a]),
            float(walk_away[0, a]),
        )
        reason = _reason(
            spec,
            words_role,
            yes,
            u,
            float(answers.face[0, a]),
            asp,
            wa,
            contrib[a],
            regret[a],
            levels,
            spec.giver == a,
        )
        if (
            a in humans and role != R.PROPOSES
        ):  # a player's reasons are their own; show the numbers only
            reason = "the player's decision (" + reason.rsplit("(", 1)[-1]
        line = R.crossed_text(spec, levels, int(offer.sequencing[0]), a)
        if line is not None:
            reason = (
                f"crossing its own red line '{line}'; "
                if yes
                else f"it crosses its red line '{line}'; "
            ) + reason
        out.append(
            ResponseRecord(
                spec.actor_ids[a],
                R.ROLE_NAMES[role],
                DECISIONS[words_role][0 if yes else 1],
                _f(u),
                _f(asp),
                _f(wa),
                reason,
                a in humans,
            )
        )
    return out


def snapshots(spec: Spec, params: dict, offer: Offer, utility: np.ndarray) -> list[ActorSnapshot]:
    cred = standing(params["belief"])[0]
    willing = giver_willingness(spec, params)[0]
    out = []
    for a in range(spec.n_actors):
        gives = {
            spec.issue_ids[i]: _f(willing[i]) for i in range(spec.n_issues) if spec.giver[i] == a
        }
        out.append(
            ActorSnapshot(
                spec.actor_ids[a],
                _f(params["capability"][0, a]),
                gives,
                _f(cred[a]),
                _f(params["strength"][0, a]),
                _f(params["entrenchment"][0, a]),
                _f(utility[0, a]),
                _f(offer.valuation.threshold[0, a]),
                _f(params["walk_away"][0, a]),
            )
        )
    return out


def event_records(spec: Spec, happened: np.ndarray) -> list[EventRecord]:
    return [
        EventRecord(ev.id, ev.text, [f"{e.text} {e.op} {e.value:g}" for e in ev.effects])
        for ev in spec.events
        if happened[0, ev.index]
    ]


def side_offer_records(spec: Spec, made: np.ndarray, taken: np.ndarray) -> list[SideOfferRecord]:
    """The side offers made in run 0 this round, each taken or refused by its recipient."""
    return [
        SideOfferRecord(
            so.id, spec.actor_ids[so.by], spec.actor_ids[so.to], so.text, bool(taken[0, so.index])
        )
        for so in spec.side_offers
        if made[0, so.index]
    ]


def status_of(kind_action: bool, agreed: int, delivered: float) -> str:
    if delivered_in_full(delivered, agreed):
        return "delivered fully" if kind_action else "paid in full"
    if delivered > LEVEL_TOLERANCE:
        return "delivered partly" if kind_action else "paid in part"
    return "not delivered" if kind_action else "not paid"


def commitment_records(spec: Spec, result: Result) -> list[CommitmentRecord]:
    """What each giver agreed to in run 0, the odds it had and what it delivered."""
    levels = result.levels[0]
    issues = spec.scenario.issues
    out = []
    for i in np.flatnonzero(levels > 0):
        pos, agreed = float(result.position[0, i]), int(levels[i])
        out.append(
            CommitmentRecord(
                spec.issue_ids[i],
                spec.actor_ids[spec.giver[i]],
                issues[i].kind,
                agreed,
                issues[i].levels[agreed],
                _f(result.odds_full[0, i]),
                _f(result.odds_some[0, i]),
                _f(result.draw[0, i]),
                int(result.attained[0, i]),
                _f(pos),
                issues[i].levels[int(delivered_level(pos))],
                status_of(bool(spec.is_action[i]), agreed, pos),
            )
        )
    return out


def outcome_record(spec: Spec, st, result: Result) -> OutcomeRecord:
    """The outcome of run 0, read from the same declared columns as a batch table's row."""
    row = {name: col[0].item() for name, col in outcome_columns(spec, st, result).items()}
    actors = []
    for a, actor in enumerate(spec.actor_ids):
        actors.append(
            ActorOutcome(
                actor,
                _f(row[f"{actor}.payoff"]),
                _f(st.params["walk_away"][0, a]),
                _f(row[f"{actor}.gain"]),
                _f(row[f"{actor}.paid"]),
                _f(row[f"{actor}.got"]),
                _f(result.presence[0, a]),
                _f(result.influence[0, a]),
                _f(row[f"{actor}.overpaid"]),
                _f(row[f"{actor}.credibility_before"]),
                _f(row[f"{actor}.credibility_after"]),
                _f(st.params["no_deal"][0, a]),
                _f(row[f"{actor}.broken_promises"]),
            )
        )
    walked, sequencing = row["walked_out"], row["sequencing"]
    return OutcomeRecord(
        deal=bool(row["deal"]),
        end_reason=END_REASONS[row["end_reason"]],
        end_round=row["end_round"],
        walked_out=spec.actor_ids[walked] if walked >= 0 else None,
        sequencing=SEQUENCINGS[sequencing] if sequencing >= 0 else None,
        agreed={issue: row[f"agreed.{issue}"] for issue in spec.issue_ids},
        delivered={issue: _f(row[f"delivered.{issue}"]) for issue in spec.issue_ids},
        commitments=commitment_records(spec, result),
        actors=actors,
        paid_for_unkept=[a for a in spec.actor_ids if row[f"{a}.paid_for_unkept"]],
    )
