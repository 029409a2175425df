"""One summit as a mesa model: one ``step()`` is one negotiation round.

The model owns one run's arrays (run axis of length 1) and calls the rules phase by phase.
A human's decision replaces the AI's for that actor and is checked by the rules. The TUI drives
the phases one at a time (``begin_round``, ``make_offer``, ``collect_answers``, ``end_round``);
``step()`` runs them all, asking ``decide`` for any human decision.

Every human decision is logged (``decision_log``): replaying the log with the same scenario and
seed gives the same game, which is how saves resume.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import mesa
import numpy as np

from summit.agents import ActorAgent
from summit.moves import MovesMixin
from summit.params import sampled_columns
from summit.records import (
    EventRecord,
    GameHeader,
    OutcomeRecord,
    RoundRecord,
    event_records,
    offer_record,
    outcome_record,
    response_records,
    side_offer_records,
    snapshots,
)
from summit.rules import game
from summit.rules import responses as R
from summit.rules.utility import believed_odds, issue_values
from summit.scenario import Spec, compile_scenario, load_scenario


@dataclass
class Decisions:
    """Human decisions for one round: an offer (if a human proposes), answers, walk-outs, and
    the moves of rules.moves: public statements (actor -> statement id or None), resistance
    efforts (actor -> effort), side offers made (actor -> ids) and answered
    (actor -> {id: take})."""

    offer: tuple[list[int], int] | None = None
    answers: dict[str, bool] = field(default_factory=dict)
    walkouts: list[str] = field(default_factory=list)
    statements: dict[str, str | None] = field(default_factory=dict)
    efforts: dict[str, float] = field(default_factory=dict)
    side_offers: dict[str, list[str]] = field(default_factory=dict)
    side_answers: dict[str, dict[str, bool]] = field(default_factory=dict)

    def to_dict(self) -> dict:
        moves = {
            "statements": dict(self.statements),
            "efforts": dict(self.efforts),
            "side_offers": {a: list(v) for a, v in self.side_offers.items()},
            "side_answers": {a: dict(v) for a, v in self.side_answers.items()},
        }
        return {
            "offer": None
            if self.offer is None
            else [list(map(int, self.offer[0])), int(self.offer[1])],
            "answers": dict(self.answers),
            "walkouts": list(self.walkouts),
            **{kind: made for kind, made in moves.items() if made},
        }  # only the kinds used

    @classmethod
    def from_dict(cls, data: dict) -> Decisions:
        """Older logs have no moves: they load with none."""
        offer = data.get("offer")
        return cls(
            None if offer is None else (list(offer[0]), int(offer[1])),
            dict(data.get("answers", {})),
            list(data.get("walkouts", [])),
            dict(data.get("statements", {})),
            dict(data.get("efforts", {})),
            {a: list(v) for a, v in data.get("side_offers", {}).items()},
            {a: dict(v) for a, v in data.get("side_answers", {}).items()},
        )


class NeedDecision(Exception):
    """step() met a human's turn and no decision for it."""


class SummitModel(MovesMixin, mesa.Model):
    """One run of a scenario with a seed; humans play the actors named in ``humans``."""

    def __init__(
        self,
        scenario: Spec | str | Path,
        seed: int = 0,
        humans: tuple[str, ...] | list[str] = (),
        params: dict | None = None,
    ):
        seed = game.check_seed(seed)
        super().__init__(
            rng=seed
        )  # mesa's own generator is never drawn from: the rules use counters
        self.spec = (
            scenario if isinstance(scenario, Spec) else compile_scenario(load_scenario(scenario))
        )
        self.seed = seed
        unknown = [h for h in humans if h not in self.spec.actor_ids]
        if unknown:
            raise ValueError(
                f"unknown actor '{unknown[0]}' (actors: {', '.join(self.spec.actor_ids)})"
            )
        self.humans = tuple(self.spec.actor_ids.index(h) for h in humans)
        # params: the run's parameters when they are set rather than drawn (maps, sensitivity).
        self.state = game.start(self.spec, np.array([self.seed]), params)
        self.actors_by_id = {
            aid: ActorAgent(self, k, k in self.humans) for k, aid in enumerate(self.spec.actor_ids)
        }
        self.records: list[RoundRecord] = []
        self.outcome: OutcomeRecord | None = None
        self.result: game.Result | None = None
        self.decision_log: list[dict] = []
        self.last_utility: np.ndarray | None = None
        self.phase = "idle"  # idle -> offer -> answers -> closing -> idle ... -> done
        self._events: np.ndarray | None = None  # (1, E) events before the round in progress
        self._offer: game.Offer | None = None
        self._answers: game.Answers | None = None
        self._words: game.Valuation | None = None  # every actor's valuation, for reasons
        self._round_decisions = Decisions()
        self.decide: Callable[[SummitModel, str, list[str]], Decisions] | None = None
        self.datacollector = mesa.DataCollector(
            model_reporters={
                "round": lambda m: m.state.round,
                "deal": lambda m: bool(m.state.end_reason[0] == game.DEAL),
            },
            agent_reporters={
                "capability": "capability",
                "credibility": "credibility",
                "offer_utility": "offer_utility",
                "walk_away": "walk_away",
                "strength": "strength",
            },
        )

    # ----------------------------------------------------------------- facts for front ends
    @property
    def header(self) -> GameHeader:
        params = {k: float(v[0]) for k, v in sampled_columns(self.spec, self.state.initial).items()}
        return GameHeader(
            self.spec.scenario.id,
            self.spec.scenario.path,
            self.seed,
            [self.spec.actor_ids[h] for h in self.humans],
            params,
            settings=list(self.spec.settings),
        )

    @property
    def round(self) -> int:
        return self.state.round

    @property
    def done(self) -> bool:
        return self.outcome is not None

    @property
    def proposer(self) -> str:
        return self.spec.actor_ids[game.proposer_of(self.spec, max(self.state.round, 1))]

    def waiting_for(self) -> tuple[str, list[str]] | None:
        """The human decision the game waits for: ("offer", [actor]) or ("answers", [actors])."""
        if self.phase == "offer" and self.spec.actor_ids.index(self.proposer) in self.humans:
            return "offer", [self.proposer]
        if self.phase == "answers":
            return "answers", self.humans_to_answer()
        return None

    def humans_to_answer(self) -> list[str]:
        role = game.responses.roles(self.spec, self._offer.levels, self._offer.proposer)[0]
        return [
            self.spec.actor_ids[h] for h in self.humans if role[h] not in (R.PROPOSES, R.UNINVOLVED)
        ]

    def preview(self, levels, sequencing: int) -> dict[str, float]:
        """How every actor would value a package now (for composing an offer)."""
        u = game.preview(self.spec, self.state, levels, sequencing)[0]
        return {aid: float(u[k]) for k, aid in enumerate(self.spec.actor_ids)}

    def delivery_odds(self, viewer: str, levels: list[int]) -> dict[int, float]:
        """For each promised term (issue index -> its level > 0), how likely ``viewer`` believes
        it is delivered at least that far (the rules' believed odds)."""
        if not any(levels):
            return {}
        ids = self.spec.actor_ids
        odds = believed_odds(
            self.spec, self.state.params, np.ones((1, len(ids))), np.array([ids.index(viewer)])
        )[0, 0]
        return {i: float(odds[i, lv]) for i, lv in enumerate(levels) if lv > 0}

    def aspirations(self) -> dict[str, float]:
        """What each actor holds out for now. While an offer awaits its answers the state is
        the one it was valued in, so the offer's own valuation answers without a second one."""
        val = self._offer.valuation if self.phase == "answers" else None
        t = (val or game.valuation(self.spec, self.state)).threshold[0]
        return {aid: float(t[k]) for k, aid in enumerate(self.spec.actor_ids)}

    def offer_worth(self) -> dict[str, float]:
        """How every actor judges the offer awaiting its answers, as ``respond`` will (the
        offer's utility, valued with it): the same numbers ``preview`` gives for it."""
        if self.phase != "answers":
            return {}
        u = self._offer.utility[0]
        return {aid: float(u[k]) for k, aid in enumerate(self.spec.actor_ids)}

    @property
    def current_events(self) -> list:
        """Events that happened before the round in progress (empty between rounds)."""
        if self._events is None or self.phase in ("idle", "done"):
            return []
        return event_records(self.spec, self._events) + self._statement_records()

    def _statement_records(self) -> list[EventRecord]:
        """Public statements read like events: something every actor saw before the offer."""
        return [
            EventRecord(
                f"statement:{s.id}", s.text, [f"{e.text} {e.op} {e.value:g}" for e in s.effects]
            )
            for s in self.spec.statements
            if self.state.said is not None and self.state.said[0, s.index]
        ]

    @property
    def current_offer(self):
        return (
            None
            if self._offer is None
            else offer_record(
                self.spec,
                self._offer.proposer,
                self._offer.levels[0],
                int(self._offer.sequencing[0]),
                self._offer.proposer in self.humans,
            )
        )

    # ----------------------------------------------------------------- phases
    def begin_round(self, statements: dict[str, str | None] | None = None) -> None:
        """Open a round. ``statements``: a human's public statement (id, or None: none); a
        human not named gets the AI's rule, as a seat that lets the AI decide (the class
        server's teams, older saves). moves.MovesMixin lists those open."""
        if self.done or self.phase != "idle":
            raise RuntimeError(f"cannot begin a round now (phase {self.phase})")
        chosen = self._check_statements(statements or {})
        self.state, self._events = game.open_round(self.spec, self.state, chosen)
        self._round_decisions = Decisions(statements={a: v for a, v in (statements or {}).items()})
        self.phase = "offer"

    def make_offer(self, offer: tuple[list[int], int] | None = None) -> None:
        """The proposer's offer: the AI's, or ``offer`` = (levels, sequencing) from a human."""
        if self.phase != "offer":
            raise RuntimeError(f"no offer is due now (phase {self.phase})")
        human = self.spec.actor_ids.index(self.proposer) in self.humans
        if human and offer is None:
            raise NeedDecision(f"{self.proposer} (human) must make an offer")
        if offer is not None and not human:
            raise game.InvalidDecision(
                f"it is {self.proposer}'s turn to propose, and the AI plays it"
            )
        self._offer = game.propose(self.spec, self.state, offer if human else None)
        if human:
            self._round_decisions.offer = (
                game.check_offer(self.spec, *offer).tolist(),
                game.check_sequencing(self.spec, offer[1]),
            )
        self.phase = "answers"

    def collect_answers(
        self, answers: dict[str, bool] | None = None, efforts: dict[str, float] | None = None
    ) -> None:
        """Humans' answers and, for those resisting the offer's actions, the effort they would
        resist it with (a human who gives none gets the AI's rule, moves.ai_stances)."""
        if self.phase != "answers":
            raise RuntimeError(f"no answers are due now (phase {self.phase})")
        answers = dict(answers or {})
        missing = [h for h in self.humans_to_answer() if h not in answers]
        if missing:
            raise NeedDecision(f"{missing[0]} (human) must answer the offer")
        extra = [a for a in answers if a not in self.humans_to_answer()]
        if extra:
            raise game.InvalidDecision(f"{extra[0]} is not asked to answer this offer")
        by_index = {self.spec.actor_ids.index(a): bool(v) for a, v in answers.items()}
        chosen_efforts = self._check_efforts(efforts or {})
        self._answers = game.respond(self.spec, self.state, self._offer, by_index, chosen_efforts)
        self._round_decisions.efforts = {a: float(v) for a, v in (efforts or {}).items()}
        self._words = game.valuation(
            self.spec, self.state, np.arange(self.spec.n_actors)
        )  # for reasons only
        self._round_decisions.answers = {a: bool(v) for a, v in answers.items()}
        self.last_utility = self._answers.utility
        self.phase = "closing"

    def end_round(
        self,
        walkouts: list[str] | tuple[str, ...] = (),
        side_offers: dict[str, list[str]] | None = None,
        side_answers: dict[str, dict[str, bool]] | None = None,
    ) -> RoundRecord:
        """Close the round. ``side_offers``: a human maker's side offers ([]: none);
        ``side_answers``: a human recipient's answers. A human not named, or a side offer not
        answered, gets the AI's rule."""
        if self.phase != "closing":
            raise RuntimeError(f"the round cannot end now (phase {self.phase})")
        bad = [w for w in walkouts if w not in [self.spec.actor_ids[h] for h in self.humans]]
        if bad:
            raise game.InvalidDecision(f"{bad[0]} is not played by a human here")
        away = [w for w in walkouts if not self.spec.at_table[self.spec.actor_ids.index(w)]]
        if away:
            raise game.InvalidDecision(f"{away[0]} is not at the table, so it cannot walk out")
        walk = {self.spec.actor_ids.index(w): True for w in walkouts}
        params_before = self.state.params
        made, taken = self._check_side_moves(side_offers or {}, side_answers or {})
        self.state, closing = game.close_round(
            self.spec, self.state, self._offer, self._answers, walk, self.humans, made, taken
        )
        self._round_decisions.walkouts = list(walkouts)
        self._round_decisions.side_offers = {a: list(v) for a, v in (side_offers or {}).items()}
        self._round_decisions.side_answers = {a: dict(v) for a, v in (side_answers or {}).items()}
        record = self._round_record(params_before, closing)
        self.records.append(record)
        self.decision_log.append(self._round_decisions.to_dict())
        self.phase = "idle"
        if not self.state.live[0]:
            self._finish()
        self.time = float(
            self.state.round
        )  # mesa files rows by time; phases may be driven without step()
        self.datacollector.collect(self)
        return record

    def step(self) -> None:
        """Play one whole round (mesa counts it in ``steps``); humans decide through
        ``self.decide``, a callable ``decide(model, what, actors) -> Decisions``."""
        offer = answers = Decisions()
        opening = (
            self._ask("moves", list(self.moving_humans())) if self.moving_humans() else Decisions()
        )
        self.begin_round(opening.statements)
        if self.waiting_for():
            offer = self._ask(*self.waiting_for())
        self.make_offer(offer.offer)
        if self.waiting_for() and self.waiting_for()[1]:
            answers = self._ask(*self.waiting_for())
        self.collect_answers(answers.answers, answers.efforts or None)
        self.end_round(
            answers.walkouts or offer.walkouts,
            answers.side_offers or opening.side_offers,
            answers.side_answers or opening.side_answers,
        )

    def _ask(self, what: str, who: list[str]) -> Decisions:
        if self.decide is None:
            raise NeedDecision(f"{who[0]} (human) must decide: {what}")
        return self.decide(self, what, who)

    def run(self) -> OutcomeRecord:
        while not self.done:
            self.step()
        return self.outcome

    def replay(self, log: list[dict]) -> None:
        """Play rounds with logged human decisions (resuming a save)."""
        for entry in log:
            d = Decisions.from_dict(entry)
            self.begin_round(d.statements)
            self.make_offer(d.offer)
            self.collect_answers(d.answers, d.efforts)
            self.end_round(d.walkouts, d.side_offers, d.side_answers)
            if self.done:
                break

    # ----------------------------------------------------------------- records
    def _round_record(self, params_before: dict, closing: game.Closing) -> RoundRecord:
        spec, offer, answers, val = self.spec, self._offer, self._answers, self._words
        per_issue = issue_values(
            spec, val.ev, val.frac, offer.levels[:, None], offer.sequencing[:, None]
        )[0, 0]
        status_quo = val.ev[0, :, :, 0]
        w = val.w[0]
        contrib = w * (per_issue - status_quo)
        best = np.where(spec.level_ok[None], val.ev[0], -np.inf).max(axis=-1)
        regret = w * (best - per_issue)
        reason = int(self.state.end_reason[0])
        ended = None if self.state.live[0] else game.END_REASONS[reason]
        return RoundRecord(
            round=self.state.round,
            proposer=spec.actor_ids[offer.proposer],
            events=event_records(spec, self._events) + self._statement_records(),
            offer=offer_record(
                spec,
                offer.proposer,
                offer.levels[0],
                int(offer.sequencing[0]),
                offer.proposer in self.humans,
            ),
            responses=response_records(
                spec, offer, answers, params_before["walk_away"], contrib, regret, self.humans
            ),
            deal=bool(closing.deal[0]),
            side_offers=side_offer_records(spec, closing.side_made, closing.side_offers),
            walkouts=[spec.actor_ids[a] for a in np.flatnonzero(closing.walks[0])],
            ended=ended,
            actors=snapshots(spec, params_before, offer, answers.utility),
        )

    def _finish(self) -> None:
        self.state, self.result = game.finish(self.spec, self.state)
        self.outcome = outcome_record(self.spec, self.state, self.result)
        self.running = False
        self.phase = "done"

    # ----------------------------------------------------------------- for a class server
    # (summit/net drives one model from a log of inputs; these keep it off the internals)
    def set_humans(self, actors: list[str] | tuple[str, ...]) -> None:
        """Which actors a human decides for in the next phase call (the rest: the AI)."""
        self.humans = tuple(sorted(self.spec.actor_ids.index(a) for a in actors))
        for agent in self.actors_by_id.values():
            agent.human = agent.index in self.humans

    def asked_to_answer(self) -> list[str]:
        """Every actor the offer on the table asks to answer, human or not."""
        role = game.responses.roles(self.spec, self._offer.levels, self._offer.proposer)[0]
        return [
            a
            for k, a in enumerate(self.spec.actor_ids)
            if role[k] not in (R.PROPOSES, R.UNINVOLVED)
        ]

    def settle(self) -> None:
        """Settle the summit as it stands (its end already set in ``state``): implementation
        and the outcome record, as at the end of a game."""
        self._finish()

    def mark_event(self, index: int) -> None:
        """List event ``index`` among this round's events (an event fired on demand)."""
        happened = self._events.copy()
        happened[:, index] = True
        self._events = happened


def play(scenario: Spec | str | Path, seed: int) -> SummitModel:
    """Play a whole summit with AI actors only."""
    model = SummitModel(scenario, seed)
    model.run()
    return model
