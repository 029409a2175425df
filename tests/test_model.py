"""The mesa model: one run, round by round, with AI or human decisions."""

from __future__ import annotations

import json

import mesa
import numpy as np
import pytest
from conftest import JERUSALEM

from summit.model import Decisions, NeedDecision, SummitModel
from summit.rules import game
from summit.rules.credibility import standing

ISSUES = (
    "iran_withdrawal",
    "hezbollah_pullback",
    "air_defence_denial",
    "strike_tolerance",
    "assad_legitimacy",
    "sanctions_relief",
    "crimea",
    "investment",
    "diplomatic_standing",
    "strike_restraint",
    "israel_acquiescence",
)
# Russia's own package: push Iran 40 km back, refuse the S-400, tolerate strikes; the US pays
# with tacit acceptance of Assad, partial sanctions relief, selected deals and a seat; Israel
# acquiesces in Assad's rule. Paid after verified action.
RUSSIAN_OFFER = ([1, 0, 1, 1, 1, 1, 0, 1, 1, 0, 1], 1)


@pytest.fixture(scope="module")
def jerusalem_spec():
    """Jerusalem without the risk of breakdown: these tests drive the phases over several
    rounds (breakdown has tests of its own in test_bargaining.py)."""
    from summit.scenario import compile_scenario, load_scenario

    sc = load_scenario(JERUSALEM)
    rules = sc.rules.model_copy(update={"breakdown_risk": 0.0})
    return compile_scenario(sc.model_copy(update={"rules": rules}))


def test_the_model_is_a_mesa_model_with_one_agent_per_actor(jerusalem_spec):
    model = SummitModel(jerusalem_spec, seed=7)
    assert isinstance(model, mesa.Model)
    assert len(model.agents) == 6
    assert list(model.actors_by_id) == list(jerusalem_spec.actor_ids)
    russia = model.actors_by_id["russia"]
    assert isinstance(russia, mesa.Agent)
    assert russia.at_table and not model.actors_by_id["iran"].at_table
    assert not russia.human
    # Agents are views of the run's arrays: one source of truth.
    params = model.state.params
    assert russia.capability == params["capability"][0, 2]
    assert model.actors_by_id["iran"].entrenchment == params["entrenchment"][0, 3]
    assert set(russia.willingness) == {
        "iran_withdrawal",
        "hezbollah_pullback",
        "air_defence_denial",
        "strike_tolerance",
    }
    assert russia.willingness["air_defence_denial"] == 0.9
    assert russia.credibility == pytest.approx(float(standing(params["belief"])[0, 2]))
    assert np.isnan(russia.offer_utility)  # no offer yet


def test_datacollector_has_one_row_per_round_per_agent(jerusalem_spec):
    model = SummitModel(jerusalem_spec, seed=7)
    model.run()
    rounds = len(model.records)
    assert rounds == model.outcome.end_round == model.steps
    agents = model.datacollector.get_agent_vars_dataframe()
    assert len(agents) == rounds * 6
    assert agents.groupby(level=0).size().tolist() == [6] * rounds
    assert {"capability", "credibility", "offer_utility", "walk_away", "strength"} <= set(
        agents.columns
    )
    assert agents["offer_utility"].notna().all()
    per_round = model.datacollector.get_model_vars_dataframe()
    assert per_round["round"].tolist() == list(range(1, rounds + 1))
    assert per_round["deal"].tolist() == [False] * (rounds - 1) + [model.outcome.deal]


def test_datacollector_rows_when_driven_by_phases(jerusalem_spec):
    model = SummitModel(jerusalem_spec, seed=7)
    while not model.done:
        model.begin_round()
        model.make_offer()
        model.collect_answers()
        model.end_round()
    assert len(model.datacollector.get_agent_vars_dataframe()) == len(model.records) * 6


def play_as_russia(model: SummitModel, accept_from: int = 5) -> None:
    """Russia (human) makes RUSSIAN_OFFER when it proposes and accepts from round accept_from."""
    while not model.done:
        model.begin_round()
        assert model.phase == "offer"
        if model.waiting_for() == ("offer", ["russia"]):
            with pytest.raises(NeedDecision):
                model.make_offer()
            model.make_offer(RUSSIAN_OFFER)
        else:
            model.make_offer()
        asked = model.waiting_for()
        assert asked[0] == "answers"
        model.collect_answers({who: model.round >= accept_from for who in asked[1]})
        model.end_round()


def test_a_human_russia_plays_a_whole_game(jerusalem_spec):
    model = SummitModel(jerusalem_spec, seed=7, humans=["russia"])
    assert model.actors_by_id["russia"].human
    play_as_russia(model)
    assert model.done and model.phase == "done" and not model.running
    out = model.outcome
    assert out.end_round == len(model.records) == len(model.decision_log)
    for rec in model.records:
        # Russia proposes in rounds 3 and 6 (the table is us, israel, russia).
        assert rec.proposer == (
            "russia" if rec.round % 3 == 0 else ("us" if rec.round % 3 == 1 else "israel")
        )
        answer = next(r for r in rec.responses if r.actor == "russia")
        assert answer.by_human
        if rec.proposer == "russia":
            assert rec.offer.by_human and answer.decision == "proposes"
            assert rec.offer.levels == dict(zip(ISSUES, RUSSIAN_OFFER[0], strict=True))
            assert rec.offer.sequencing == "after_verified"
        else:
            assert not rec.offer.by_human
            assert answer.decision in (
                ("accept", "support") if rec.round >= 5 else ("reject", "oppose")
            )
    # The logged decisions are plain data.
    assert model.decision_log[2] == {"offer": [RUSSIAN_OFFER[0], 1], "answers": {}, "walkouts": []}
    assert model.decision_log[0] == {"offer": None, "answers": {"russia": False}, "walkouts": []}


def test_a_human_rejection_blocks_any_deal_russia_commits_to(jerusalem_spec):
    model = SummitModel(jerusalem_spec, seed=7, humans=["russia"])
    play_as_russia(model, accept_from=99)  # Russia rejects everything
    for rec in model.records:
        russia = next(r for r in rec.responses if r.actor == "russia")
        if russia.role == "commits":
            assert russia.decision == "reject" and not rec.deal
    russian = [i for i in ISSUES if jerusalem_spec.scenario.issue(i).giver == "russia"]
    if model.outcome.deal:
        assert all(model.outcome.agreed[i] == 0 for i in russian)


def test_replaying_the_decision_log_reproduces_the_records(jerusalem_spec):
    model = SummitModel(jerusalem_spec, seed=11, humans=["russia"])
    play_as_russia(model)
    saved = json.loads(json.dumps(model.decision_log))  # a save is plain JSON
    assert [Decisions.from_dict(d).to_dict() for d in saved] == model.decision_log
    again = SummitModel(jerusalem_spec, seed=11, humans=["russia"])
    again.replay(saved)
    assert again.done
    assert [r.to_dict() for r in again.records] == [r.to_dict() for r in model.records]
    assert again.outcome.to_dict() == model.outcome.to_dict()
    assert again.header.to_dict() == model.header.to_dict()


def test_step_with_a_decide_callback_plays_the_same_game(jerusalem_spec):
    phased = SummitModel(jerusalem_spec, seed=3, humans=["russia"])
    play_as_russia(phased)

    def decide(model, what, actors):
        assert actors == ["russia"]
        if what == "offer":
            return Decisions(offer=RUSSIAN_OFFER)
        return Decisions(answers={"russia": model.round >= 5})

    stepped = SummitModel(jerusalem_spec, seed=3, humans=["russia"])
    stepped.decide = decide
    stepped.run()
    assert [r.to_dict() for r in stepped.records] == [r.to_dict() for r in phased.records]
    assert stepped.decision_log == phased.decision_log


def test_step_without_a_decide_callback_asks_for_the_human(jerusalem_spec):
    model = SummitModel(jerusalem_spec, seed=3, humans=["russia"])
    with pytest.raises(NeedDecision, match="russia"):
        model.step()


def test_a_human_can_walk_out(jerusalem_spec):
    model = SummitModel(jerusalem_spec, seed=7, humans=["russia"])
    model.begin_round()
    model.make_offer()
    model.collect_answers({"russia": False})
    record = model.end_round(["russia"])
    assert record.walkouts == ["russia"] and record.ended == "walkout"
    assert model.done
    assert model.outcome.end_reason == "walkout" and model.outcome.walked_out == "russia"
    assert not model.outcome.deal


def test_only_actors_at_the_table_can_walk_out(jerusalem_spec):
    model = SummitModel(jerusalem_spec, seed=7, humans=["iran"])
    model.begin_round()
    model.make_offer()
    model.collect_answers({"iran": False})
    with pytest.raises(game.InvalidDecision):
        model.end_round(["iran"])


def _at_russias_turn(spec) -> SummitModel:
    model = SummitModel(spec, seed=7, humans=["russia"])
    for _ in range(2):
        model.begin_round()
        model.make_offer()
        model.collect_answers({"russia": False})
        model.end_round()
    model.begin_round()
    assert model.waiting_for() == ("offer", ["russia"])
    return model


@pytest.mark.parametrize(
    ("offer", "message"),
    [
        (([1, 0, 1], 1), "an offer sets a level on each of the 11 issues"),
        (([4] + [0] * 10, 1), "iran_withdrawal: level 4 does not exist (0..3)"),
        (([-1] + [0] * 10, 1), "iran_withdrawal: level -1 does not exist (0..3)"),
        (([0] * 10 + [2], 0), "israel_acquiescence: level 2 does not exist (0..1)"),
        (([0] * 11, 2), "sequencing 2 is not allowed here (allowed: on_promise, after_verified)"),
    ],
)
def test_invalid_offers_are_refused(jerusalem_spec, offer, message):
    model = _at_russias_turn(jerusalem_spec)
    with pytest.raises(game.InvalidDecision) as info:
        model.make_offer(offer)
    assert str(info.value) == message
    assert model.phase == "offer"  # the human can try again
    model.make_offer(RUSSIAN_OFFER)
    assert model.current_offer.by_human


def test_a_scenario_may_forbid_a_sequencing(tiny):
    from summit.scenario import compile_scenario, parse_scenario

    tiny["summit"]["sequencing"] = ["after_verified"]
    model = SummitModel(compile_scenario(parse_scenario(tiny)), seed=1, humans=["a"])
    model.begin_round()
    with pytest.raises(game.InvalidDecision, match="sequencing"):
        model.make_offer(([1, 1], 0))
    model.make_offer(([1, 1], 1))


@pytest.mark.parametrize(
    "offer",
    [
        pytest.param(([1.5] + [0] * 10, 1), id="fractional level"),
        pytest.param(([0] * 11, 1.7), id="fractional sequencing"),
        pytest.param(([0] * 11, "later"), id="unknown sequencing name"),
    ],
)
def test_malformed_offers_are_invalid_decisions(jerusalem_spec, offer):
    model = _at_russias_turn(jerusalem_spec)
    with pytest.raises(game.InvalidDecision):
        model.make_offer(offer)


def test_sequencing_may_be_given_by_name(jerusalem_spec):
    model = _at_russias_turn(jerusalem_spec)
    model.make_offer(([1] + [0] * 10, "after_verified"))
    assert model.current_offer.sequencing == "after_verified"


def test_invalid_answers_and_walkouts(jerusalem_spec):
    model = SummitModel(jerusalem_spec, seed=7, humans=["russia"])
    model.begin_round()
    model.make_offer()
    with pytest.raises(NeedDecision, match="russia"):
        model.collect_answers({})
    with pytest.raises(game.InvalidDecision, match="iran is not asked"):
        model.collect_answers({"russia": True, "iran": False})
    with pytest.raises(game.InvalidDecision, match="nobody is not asked"):
        model.collect_answers({"russia": True, "nobody": False})
    model.collect_answers({"russia": False})
    with pytest.raises(game.InvalidDecision, match="us is not played by a human"):
        model.end_round(["us"])
    assert model.phase == "closing"
    model.end_round()
    assert model.phase == "idle"


def test_phases_must_come_in_order(jerusalem_spec):
    model = SummitModel(jerusalem_spec, seed=7)
    with pytest.raises(RuntimeError, match="no offer is due"):
        model.make_offer()
    model.begin_round()
    with pytest.raises(RuntimeError, match="cannot begin a round"):
        model.begin_round()
    with pytest.raises(RuntimeError, match="no answers are due"):
        model.collect_answers()
    model.make_offer()
    with pytest.raises(RuntimeError, match="the round cannot end"):
        SummitModel(jerusalem_spec, seed=7).end_round()


def test_unknown_human_actor(jerusalem_spec):
    with pytest.raises(ValueError, match="unknown actor 'putin'"):
        SummitModel(jerusalem_spec, seed=7, humans=["putin"])


def test_preview_and_aspirations_for_a_human_composing_an_offer(jerusalem_spec):
    model = _at_russias_turn(jerusalem_spec)
    preview = model.preview(*RUSSIAN_OFFER)
    aspirations = model.aspirations()
    assert set(preview) == set(aspirations) == set(jerusalem_spec.actor_ids)
    assert all(0 <= v <= 1 for v in preview.values())
    walk_away = {a.actor_id: a.walk_away for a in model.agents}
    assert all(aspirations[a] >= walk_away[a] - 1e-12 for a in walk_away)
    with pytest.raises(game.InvalidDecision):
        model.preview([9] * 11, 0)


@pytest.mark.parametrize("seed", [3, 5, 11])
def test_an_offer_awaiting_answers_is_valued_once(jerusalem_spec, seed):
    """While answers are due, aspirations and the offer's worth come from the offer's own
    valuation: the same numbers a fresh valuation and a preview give."""
    model = SummitModel(jerusalem_spec, seed=seed)
    model.begin_round()
    assert model.offer_worth() == {}
    model.make_offer()
    fresh = game.valuation(jerusalem_spec, model.state).threshold[0]
    assert model.aspirations() == dict(zip(jerusalem_spec.actor_ids, fresh.tolist(), strict=True))
    offer = model.current_offer
    levels = [offer.levels[i] for i in jerusalem_spec.issue_ids]
    assert model.offer_worth() == model.preview(levels, offer.sequencing)


def test_the_model_can_be_built_from_a_path():
    model = SummitModel(JERUSALEM, seed=7)
    assert model.spec.scenario.id == "jerusalem-2019"
    assert model.header.seed == 7 and model.header.scenario == "jerusalem-2019"
    assert set(model.header.parameters) >= {
        "russia.capability",
        "iran.entrenchment",
        "tie.russia.iran",
    }
