"""Moves for every actor (summit.rules.moves): resistance efforts, public statements, side
offers made and answered; each with hand-computed effects, and through the mesa model."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from summit import rng, transcript
from summit.model import SummitModel
from summit.rules import game, moves
from summit.scenario import load_spec

ROOT = Path(__file__).resolve().parents[1]
JERUSALEM = ROOT / "scenarios" / "jerusalem-2019.toml"


@pytest.fixture(scope="module")
def spec():
    return load_spec(JERUSALEM)


def ix(spec, actor: str) -> int:
    return spec.actor_ids.index(actor)


def statement(spec, sid: str):
    return next(s for s in spec.statements if s.id == sid)


def side_offer(spec, sid: str):
    return next(s for s in spec.side_offers if s.id == sid)


# ----------------------------------------------------------------------------- resistance
def test_iran_s_effort_sets_the_delivery_contest(spec):
    """Russia pushes Iran back 40 km (level 1, difficulty 0.35) with capability 0.8 and
    willingness 0.5, no ties and nobody else resisting: F = 0.4. Iran (strength 1, no roots)
    resisting with effort e: against = 0.05 + e * 0.35, and P = F^2 / (F^2 + against^2)
    (delivery_steepness 2). e = 1: against = 0.40 = F, so P = 1/2; e = 0.4: against = 0.19,
    P = 1 / (1 + 0.475^2) = 0.8159; e = 0: P = 1 / (1 + 0.125^2) = 0.9846."""
    russia, iran, hez = ix(spec, "russia"), ix(spec, "iran"), ix(spec, "hezbollah")
    iw = spec.issue_ids.index("iran_withdrawal")
    st = game.start(spec, np.array([7]))
    p = {k: v.copy() for k, v in st.params.items()}
    p["capability"][0, russia] = 0.8
    p["willingness"][0, russia, iw] = 0.5
    p["tie"][:] = 0.0
    p["strength"][0, iran], p["entrenchment"][0, iran] = 1.0, 0.0
    levels = np.zeros((1, spec.n_issues), dtype=np.int64)
    levels[0, iw] = 1
    odds = {}
    for effort in (0.0, 0.4, 1.0):
        stance = np.ones((1, spec.n_actors))
        stance[0, iran], stance[0, hez] = effort, 0.0
        deal = replace(
            st,
            params=p,
            end_reason=np.array([game.DEAL], dtype=np.int8),
            levels=levels,
            stance=stance,
        )
        _, res = game.finish(spec, deal)
        odds[effort] = res.odds[0, iw, 1]
        # resisting costs Iran 0.05 per unit of effort (the scenario's resistance.cost)
        assert res.effort_cost[0, iran] == pytest.approx(0.05 * effort)
        assert res.effort_cost[0, russia] == 0.0
    assert odds[1.0] == pytest.approx(0.5)
    assert odds[0.4] == pytest.approx(1 / 1.225625)
    assert odds[0.0] == pytest.approx(1 / 1.015625)


def test_the_ai_resists_in_full_when_it_rejects_and_complies_when_it_accepts(spec):
    iran, us = ix(spec, "iran"), ix(spec, "us")
    accept = np.zeros((2, spec.n_actors), dtype=bool)
    accept[1] = True
    stance = moves.ai_stances(spec, accept)
    assert stance[0, iran] == 1.0 and stance[1, iran] == 0.4  # efforts [0, 0.4, 1], compliance 0.4
    assert stance[0, us] == 1.0 and stance[1, us] == 0.4  # no efforts: the older rule


# ----------------------------------------------------------------------------- statements
def test_iran_s_statement_lowers_the_us_belief_in_russia_by_a_twentieth(spec):
    iran, us, russia = ix(spec, "iran"), ix(spec, "us"), ix(spec, "russia")
    stays = statement(spec, "iran-stays").index
    st = game.start(spec, np.array([3]))
    quiet, _ = game.open_round(spec, st, {iran: None})
    said, _ = game.open_round(spec, st, {iran: stays})
    assert said.said[0, stays] and not quiet.said[0, stays]
    shift = said.params["belief"][0, us, russia] - quiet.params["belief"][0, us, russia]
    assert shift == pytest.approx(-0.05)
    # a statement is made once: next round it is no longer open
    assert not moves.statements_open(spec, 2, said.stated, np.ones(1, bool))[0, stays]


def test_the_ai_sends_a_statement_when_its_draw_is_below_the_odds(spec):
    seeds = np.arange(200)
    st = game.start(spec, seeds)
    nxt, _ = game.open_round(spec, st)
    for s in spec.statements:
        u = rng.uniform(seeds.astype(np.uint64), rng.MOVES, moves.STATEMENT, 1, s.index)
        assert np.array_equal(nxt.said[:, s.index], u < 0.5)
    assert 60 < nxt.said.sum(axis=0).min() and nxt.said.sum(axis=0).max() < 140


# ----------------------------------------------------------------------------- side offers
def test_russia_taking_iran_s_contracts_lowers_its_willingness_by_a_tenth(spec):
    russia, iran = ix(spec, "russia"), ix(spec, "iran")
    iw = spec.issue_ids.index("iran_withdrawal")
    contracts = side_offer(spec, "iran-contracts").index
    st, _ = game.open_round(spec, game.start(spec, np.array([11])))
    offer = game.propose(spec, st)
    answers = game.respond(spec, st, offer)
    after = {}
    for take in (True, False):
        closed, closing = game.close_round(
            spec,
            st,
            offer,
            answers,
            humans=(iran, russia),
            human_side={iran: [contracts]},
            human_side_answers={russia: {contracts: take}},
        )
        assert closing.side_made[0, contracts] and closed.side_made[0, contracts]
        assert closing.side_offers[0, contracts] == take
        after[take] = closed.params["willingness"][0, russia, iw]
    assert after[True] - after[False] == pytest.approx(-0.1)


def test_the_ai_recipient_takes_a_side_offer_with_its_acceptance(spec):
    so = side_offer(spec, "assad-bases")
    half = replace(spec, side_offers=tuple(replace(s, acceptance=0.3) for s in spec.side_offers))
    seeds = np.arange(300)
    offered = np.zeros((300, len(spec.side_offers)), dtype=bool)
    offered[:, so.index] = True
    taken = moves.side_offers_taken(half, seeds, 2, offered)
    u = rng.uniform(seeds.astype(np.uint64), rng.MOVES, moves.SIDE_ANSWER, 2, so.index)
    assert np.array_equal(taken[:, so.index], u < 0.3)
    assert taken[:, [s.index for s in spec.side_offers if s.index != so.index]].sum() == 0
    # acceptance 1 (the default) keeps the older rule: a side offer made is taken
    assert moves.side_offers_taken(spec, seeds, 2, offered)[:, so.index].all()


# ----------------------------------------------------------------------------- the model
def test_human_moves_go_through_the_model_and_replay(spec):
    model = SummitModel(spec, seed=5, humans=("assad", "iran", "hezbollah"))
    assert [m.id for m in model.statements_open("iran")] == ["iran-stays"]
    assert [m.id for m in model.side_offers_open("assad")] == ["assad-bases", "assad-land"]
    model.begin_round({"iran": "iran-stays", "hezbollah": None, "assad": None})
    assert [m.id for m in model.current_statements] == ["iran-stays"]
    model.make_offer()
    asked = model.humans_to_answer()
    answers = {a: False for a in asked}
    efforts = {a: 0.4 for a in asked if model.efforts_open(a)}
    model.collect_answers(answers, efforts)
    model.end_round(
        side_offers={"assad": ["assad-land"]}, side_answers={"iran": {"assad-land": False}}
    )
    refused = [so for so in model.records[0].side_offers if so.id == "assad-land"]
    assert [(so.by, so.to, so.taken) for so in refused] == [("assad", "iran", False)]
    assert "(Iran refuses it)" in transcript.round_lines(spec, model.records[0])[-2]
    log = model.decision_log[0]
    assert log["statements"] == {"iran": "iran-stays", "hezbollah": None, "assad": None}
    assert log["side_offers"] == {"assad": ["assad-land"]}
    assert model.state.side_made[0, side_offer(spec, "assad-land").index]
    again = SummitModel(spec, seed=5, humans=("assad", "iran", "hezbollah"))
    again.replay(model.decision_log)
    assert again.decision_log == model.decision_log
    for k, v in model.state.params.items():
        assert np.array_equal(v, again.state.params[k]), k


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (
            lambda m: m.begin_round({"iran": "hezbollah-holds"}),
            "iran has no statement 'hezbollah-holds'",
        ),
        (lambda m: m.begin_round({"us": "iran-stays"}), "us is not played by a human here"),
    ],
)
def test_a_statement_the_rules_do_not_allow_is_refused(spec, call, message):
    model = SummitModel(spec, seed=1, humans=("iran",))
    with pytest.raises(game.InvalidDecision, match=message):
        call(model)


def test_a_human_who_names_no_move_gets_the_ai_s_rule(spec):
    """As a class-server team that lets the AI decide: same game as summit run."""
    ai, human = SummitModel(spec, seed=9), SummitModel(spec, seed=9, humans=("iran", "assad"))
    ai.begin_round()
    human.begin_round()
    assert np.array_equal(ai.state.said, human.state.said)
    assert [m.text for m in human.current_statements] == [m.text for m in ai.current_statements]


def test_an_effort_or_side_offer_the_rules_do_not_allow_is_refused(spec):
    model = SummitModel(spec, seed=1, humans=("iran", "assad"))
    model.begin_round()
    model.make_offer()
    answers = {a: True for a in model.humans_to_answer()}
    if model.efforts_open("iran"):
        with pytest.raises(game.InvalidDecision, match="effort 0.7 is not one of 0, 0.4, 1"):
            model.collect_answers(answers, {"iran": 0.7})
    with pytest.raises(game.InvalidDecision, match="assad resists nothing"):
        model.collect_answers(answers, {"assad": 1.0})
    model.collect_answers(answers)
    with pytest.raises(game.InvalidDecision, match="iran has no side offer 'assad-land'"):
        model.end_round(side_offers={"iran": ["assad-land"]})
    with pytest.raises(game.InvalidDecision, match="'iran-contracts' is not made to assad"):
        model.end_round(side_answers={"assad": {"iran-contracts": True}})


# ----------------------------------------------------------------------------- bad input
def _statement(**fields):
    return {
        "id": "s",
        "by": "c",
        "text": "C speaks.",
        "probability": 0.5,
        "effects": [{"target": "a.belief.b", "add": -0.1}],
        **fields,
    }


BAD_MOVES = {
    "statement by an unknown actor": (
        lambda d: d.update(statements=[_statement(by="z")]),
        "statements[s].by",
        "unknown actor 'z'",
    ),
    "statement odds above 1": (
        lambda d: d.update(statements=[_statement(probability=1.5)]),
        "statements[s].probability",
        "less than or equal to 1",
    ),
    "statement after the deadline": (
        lambda d: d.update(statements=[_statement(rounds=[2, 9])]),
        "statements[s]",
        "end after the deadline (4 rounds)",
    ),
    "statement effect on nothing": (
        lambda d: d.update(statements=[_statement(effects=[{"target": "c.nerve", "add": 1}])]),
        "statements[s].effects[0].target",
        "nerve",
    ),
    "efforts that fall": (
        lambda d: d["actors"][2].update(resistance={"efforts": [1.0, 0.5]}),
        "actors[c].resistance",
        "efforts rise strictly",
    ),
    "one effort only": (
        lambda d: d["actors"][2].update(resistance={"efforts": [1.0]}),
        "actors[c].resistance.efforts",
        "at least 2",
    ),
    "resistance by an actor that resists nothing": (
        lambda d: d["actors"][0].update(resistance={"efforts": [0.0, 1.0]}),
        "actors[a].resistance",
        "resists no issue",
    ),
    "side offer acceptance below 0": (
        lambda d: d.update(
            side_offers=[
                {
                    "id": "o",
                    "by": "c",
                    "to": "a",
                    "text": "An offer.",
                    "when": {"issue": "x"},
                    "acceptance": -0.1,
                    "effects": [{"target": "a.capability", "add": 0.1}],
                }
            ]
        ),
        "side_offers[o].acceptance",
        "greater than or equal to 0",
    ),
}


@pytest.mark.parametrize("case", list(BAD_MOVES), ids=list(BAD_MOVES))
def test_bad_moves_in_a_scenario_are_one_line_naming_the_field(write_scenario, case):
    from conftest import tiny_data

    from summit.scenario import ScenarioError, load_scenario

    mutate, where, problem = BAD_MOVES[case]
    data = tiny_data()
    mutate(data)
    path = write_scenario(data)
    with pytest.raises(ScenarioError) as info:
        load_scenario(path)
    text = str(info.value)
    assert "\n" not in text and text.startswith(f"{path}: {where}: "), text
    assert problem in text, text


def test_a_tiny_scenario_with_moves_compiles_and_old_files_have_none(write_scenario):
    from conftest import tiny_data

    from summit.scenario import compile_scenario, load_scenario

    data = tiny_data()
    assert compile_scenario(load_scenario(write_scenario(data))).statements == ()
    data["actors"][2]["resistance"] = {"efforts": [0.0, 1.0], "cost": 0.1}
    data["statements"] = [_statement(rounds=[1, 2])]
    spec = compile_scenario(load_scenario(write_scenario(data)))
    assert spec.efforts == ((), (), (0.0, 1.0)) and spec.effort_cost.tolist() == [0, 0, 0.1]
    assert (spec.statements[0].by, spec.statements[0].first, spec.statements[0].last) == (2, 1, 2)
