"""Issue 8's mechanics, each with a number worked out by hand: the no-deal value, the cost of
delay, the price of a broken promise, escrow paid per delivered level, breakdown."""

from __future__ import annotations

import numpy as np
import pytest
from conftest import params_of, tiny_data

from summit.params import sample_params
from summit.rules import bargaining, game, kernels, offers, series, utility
from summit.scenario import ScenarioError, compile_scenario, parse_scenario

A, B, C = 0, 1, 2
X, Y = 0, 1


def spec_of(data):
    return compile_scenario(parse_scenario(data, "tiny.toml"))


def test_no_deal_value_is_the_status_quo_plus_declared_consequences():
    data = tiny_data()
    del data["actors"][A]["walk_away"]  # a names no outside option
    data["no_deal"] = [{"text": "c entrenches", "utility": {"a": -0.1, "c": 0.05}}]
    spec = spec_of(data)
    p = params_of(spec)
    # Level 0: a 1/3 * 1.0 + 2/3 * 0.0 = 1/3, less 0.1; b 2/3 * 0 + 1/3 * 1 = 1/3; c 1.0 + 0.05.
    assert p["no_deal"][0] == pytest.approx([1 / 3 - 0.1, 1 / 3, 1.05])
    # a walks away at its no-deal value; b keeps the outside option it names (0.4).
    assert p["walk_away"][0, :2] == pytest.approx([1 / 3 - 0.1, 0.4])


def test_an_unknown_actor_in_a_no_deal_consequence_is_a_one_line_error():
    data = tiny_data()
    data["no_deal"] = [{"text": "?", "utility": {"zed": 0.1}}]
    with pytest.raises(ScenarioError) as info:
        spec_of(data)
    assert "no_deal[0].utility" in str(info.value) and "zed" in str(info.value)


def test_discounted_concession_by_hand():
    data = tiny_data()
    data["rules"].update(breakdown_risk=0.1, discount=0.9)
    spec = spec_of(data)
    # rho = 0.9 * (1 - 0.1) = 0.81; in round 3 an actor counts on rho ** 2 = 0.6561 of its gain.
    assert bargaining.delay_factor(spec, 3) == pytest.approx(0.6561)
    p = params_of(spec)
    p["concession"][:] = 1.0  # linear
    p["walk_away"][:] = 0.4
    p["no_deal"][:] = 0.3
    best = np.array([[1.0, 1.0, 1.0]])
    # floor 0.4 (walk-away above no deal); half-way t = 0.5: 0.4 + 0.6 * 0.5 = 0.7 without
    # delay; with it 0.4 + 0.3 * 0.6561 = 0.59683.
    asp = offers.aspirations(spec, p, 0.5, best, np.zeros((1, 3)), bargaining.delay_factor(spec, 3))
    assert asp[0, 0] == pytest.approx(0.59683)


def test_the_clock_runs_to_the_expected_end_of_the_talks_by_hand():
    data = tiny_data()
    data["summit"]["deadline"] = 8
    data["rules"]["breakdown_risk"] = 0.1
    spec = spec_of(data)
    # Expected rounds: sum_{r<8} 0.9 ** r = (1 - 0.9 ** 8) / 0.1 = 5.6953279.
    assert bargaining.horizon(spec) == pytest.approx(5.6953279)
    # Round 3 is 2 / 4.6953279 = 0.425955 of the way there; round 7 is past it: 1.
    assert game.clock(spec, 3) == pytest.approx(0.4259553, abs=1e-7)
    assert game.clock(spec, 7) == 1.0
    # Without breakdown risk the horizon is the deadline.
    data["rules"]["breakdown_risk"] = 0.0
    assert bargaining.horizon(spec_of(data)) == 8.0


def test_talks_break_down_at_the_stated_rate():
    data = tiny_data()
    data["rules"]["breakdown_risk"] = 0.25
    spec = spec_of(data)
    broke = bargaining.breaks_down(spec, np.arange(40000), 1)
    assert broke.mean() == pytest.approx(0.25, abs=0.01)
    assert not bargaining.breaks_down(spec_of(tiny_data()), np.arange(100), 1).any()  # default 0


def test_breakdown_ends_the_summit_without_a_deal():
    data = tiny_data()
    data["rules"]["breakdown_risk"] = 0.999
    data["actors"][A]["walk_away"] = 0.99  # nobody agrees: only breakdown can end it early
    spec = spec_of(data)
    st, result = game.play(spec, np.arange(50))
    ended_early = st.end_reason == game.BREAKDOWN
    assert ended_early.mean() > 0.9
    assert np.all(st.end_round[ended_early] == 1)
    assert np.allclose(result.payoff[ended_early], st.params["no_deal"][ended_early])


def test_escrow_pays_per_delivered_level_by_hand():
    # One observer, three issues: action 0 promised at level 2 with E[D] = 1 (frac 0.5), action
    # 1 at level 1 with E[D] = 1, and a concession worth 0.1 at level 0 and 0.4 at level 1.
    # share = (2 * 0.5 + 1 * 1.0) / (2 + 1) = 2/3 (a plain mean of shares would give 0.75);
    # value = actions 0.2 + 0.3, concession 0.1 + 2/3 * (0.4 - 0.1) = 0.3: total 0.8.
    wev = np.zeros((1, 1, 3, 3))
    wev[0, 0, 0] = [0.0, 0.1, 0.2]
    wev[0, 0, 1] = [0.0, 0.3, 0.3]
    wev[0, 0, 2] = [0.1, 0.4, 0.4]
    frac = np.ones((1, 1, 3, 3))
    frac[0, 0, 0, 2] = 0.5
    is_action = np.array([True, True, False])
    levels = np.array([[[2, 1, 1]]])
    out = np.empty((1, 1, 1))
    kernels.package_values(wev, frac, is_action, levels, np.array([[1]]), out)
    assert out[0, 0, 0] == pytest.approx(0.8)
    kernels.package_values(wev, frac, is_action, levels, np.array([[0]]), out)
    assert out[0, 0, 0] == pytest.approx(0.9)  # on promise: paid in full


def test_escrow_payment_after_implementation_by_hand(sharp_two_actions):
    spec, p = sharp_two_actions
    # x (levels 0..2) reaches level 1 only, z (0..1) is delivered: 2 of 3 promised levels, so
    # the concession y is paid at 2/3.
    from summit.rules import implementation

    stance = np.ones((1, spec.n_actors))
    done = implementation.attempt(
        spec, p, np.array([5]), np.array([[2, 1, 1]]), np.array([1]), stance
    )
    assert done["attained"][0].tolist() == [1.0, 1.0, 1.0]
    assert done["action_share"][0] == pytest.approx(2 / 3)
    assert done["position"][0, 1] == pytest.approx(2 / 3)


@pytest.fixture
def sharp_two_actions():
    """The tiny scenario made deterministic (steepness 100; level 1 of x certain, level 2
    impossible, as in test_rules.sharp) with a second, unopposed action z given by a."""
    data = tiny_data()
    data["rules"]["delivery_steepness"] = 100.0
    data["actors"][C].update(strength=0.6, entrenchment=0.5)
    data["issues"].insert(
        1, {"id": "z", "name": "Z", "levels": ["no", "yes"], "kind": "action", "giver": "a"}
    )
    data["issues"][1], data["issues"][2] = data["issues"][2], data["issues"][1]  # x, y, z
    spec = spec_of(data)
    return spec, params_of(spec)


def test_price_of_a_broken_promise_by_hand():
    data = tiny_data()
    data["actors"][A]["promise_cost"] = 0.5
    spec = spec_of(data)
    p = params_of(spec)
    w = utility.weights(p)
    # a promised x at level 2 (of 0..2) and delivered 1: shortfall 1/2 of the issue. The other
    # negotiator, b, puts salience weight 2/3 on x: price = 0.5 * 2/3 * 1/2 = 1/6.
    price = bargaining.realised_price(spec, p, w, np.array([[2, 0]]), np.array([[1.0, 0.0]]))
    assert price[0] == pytest.approx([1 / 6, 0.0, 0.0])
    # Expected price a weighs before promising level 2 when it expects E[D] = 0.5 (frac 0.25):
    # 0.5 * 2/3 * 2 * (1 - 0.25) / 2 = 0.25.
    frac = np.ones((1, 1, 2, 3))
    frac[0, 0, X, 2] = 0.25
    expected = bargaining.expected_price(spec, p, w, frac, np.array([A]))
    assert expected[0, 0, X, 2] == pytest.approx(0.25)
    assert expected[0, 0, Y].tolist() == [0.0, 0.0, 0.0]  # y is not a's


def test_an_unwilling_giver_values_its_own_promise_less_when_promises_have_a_price():
    data = tiny_data()
    data["actors"][A]["promise_cost"] = 1.0
    spec = spec_of(data)
    st = game.start(spec, np.array([0, 1]))
    p = dict(st.params, willingness=st.params["willingness"].copy())
    p["willingness"][1, A, X] = 0.1  # run 1: a barely willing a
    val = game.valuation(spec, game.replace(st, params=p, round=1))
    a = list(val.actors).index(A)
    cost = [val.wev[r, a, X, 0] - val.wev[r, a, X, 2] for r in (0, 1)]
    assert cost[1] > cost[0]  # promising all of x costs the unwilling a more


def test_influence_discounts_a_presence_issue_by_entrenchment_by_hand():
    data = tiny_data()
    data["actors"][B]["counts_influence"] = True
    data["actors"][C]["entrenchment"] = 0.5  # x moves c's presence
    spec = spec_of(data)
    w = utility.weights(params_of(spec), spec)
    # b's saliences x 2, y 1; x can remove only 1 - 0.5 of c's influence: 1 and 1 -> 1/2, 1/2.
    assert w[0, B] == pytest.approx([0.5, 0.5])
    assert w[0, A] == pytest.approx([1 / 3, 2 / 3])  # a does not count influence


def test_a_series_carries_beliefs_from_one_summit_to_the_next(tiny_spec):
    st, result = game.play(tiny_spec, np.array([3]))
    params = series.next_summit_params(tiny_spec, [4], result.belief)
    assert np.array_equal(params["belief"], result.belief)
    again = game.start(tiny_spec, np.array([4]), params)
    assert np.array_equal(again.params["belief"], result.belief)


def test_run_summits_writes_each_summit(capsys):
    from summit.cli import main

    assert main(["run", "jerusalem-2019", "--seed", "5", "--summits", "2", "--json"]) == 0
    import json

    lines = [json.loads(x) for x in capsys.readouterr().out.splitlines()]
    outcomes = [x for x in lines if "end_reason" in x]
    assert [x["summit"] for x in outcomes] == [1, 2]
    russia = [next(a for a in x["actors"] if a["actor"] == "russia") for x in outcomes]
    assert all("credibility_before" in a and "credibility_after" in a for a in russia)


def test_a_history_carries_the_pairs_both_summits_share():
    from conftest import ROOT

    from summit.scenario import load_spec

    golan = load_spec(ROOT / "scenarios" / "history" / "2018-southern-golan.toml")
    jerusalem = load_spec(ROOT / "scenarios" / "jerusalem-2019.toml")
    _, result = game.play(golan, np.array([7]))
    params = series.next_summit_params(jerusalem, [8], result.belief, before=golan)
    own = sample_params(jerusalem, np.array([8]))["belief"]
    at, was = jerusalem.actor_ids.index, golan.actor_ids.index
    for observer, giver in [("israel", "russia"), ("iran", "russia"), ("russia", "israel")]:
        carried = params["belief"][0, at(observer), at(giver)]
        assert carried == result.belief[0, was(observer), was(giver)]
    # the US was not in the 2018 summit: its belief in Russia is jerusalem-2019's own
    assert params["belief"][0, at("us"), at("russia")] == own[0, at("us"), at("russia")]
    assert (
        params["capability"].tolist()
        == sample_params(jerusalem, np.array([8]))["capability"].tolist()
    )


def test_run_plays_several_scenarios_as_one_history(capsys):
    import json

    from summit.cli import main

    names = ["2018-southern-golan", "jerusalem-2019"]
    assert main(["run", *names, "--seed", "7", "--json"]) == 0
    lines = [json.loads(x) for x in capsys.readouterr().out.splitlines()]
    assert sorted({x["summit"] for x in lines}) == [1, 2]
    assert main(["run", *names, "--seed", "7"]) == 0
    text = capsys.readouterr().out
    assert (
        "===== Summit 2 of 2: Jerusalem 2019: can Russia push Iran out of Syria? (beliefs" in text
    )
    assert main(["run", *names, "--summits", "3"]) == 2
    assert "--summits repeats one scenario" in capsys.readouterr().err
    assert main(["run", "jerusalem-2019", "nowhere-1999"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "nowhere-1999" in err


def test_a_chosen_event_happens_while_its_actor_takes_its_outside_option():
    data = tiny_data()
    data["events"] = [
        {
            "id": "strike",
            "text": "b strikes",
            "chosen_by": "b",
            "repeat": True,
            "effects": [{"target": "c.strength", "mul": 0.9}],
        }
    ]
    spec = spec_of(data)
    st = game.start(spec, np.array([0, 1]))
    best = st.best_received.copy()
    best[1, B] = 0.99  # run 1: b was offered more than no deal
    st = game.replace(st, best_received=best)
    st, happened = game.open_round(spec, st)
    assert happened[:, 0].tolist() == [True, False]
    assert st.params["strength"][:, C].tolist() == pytest.approx([0.45, 0.5])


def test_chosen_by_an_unknown_actor_is_a_one_line_error():
    data = tiny_data()
    data["events"] = [
        {
            "id": "s",
            "text": "?",
            "chosen_by": "zed",
            "effects": [{"target": "c.strength", "add": 0.1}],
        }
    ]
    with pytest.raises(ScenarioError) as info:
        spec_of(data)
    assert "events[s].chosen_by" in str(info.value)


def test_red_lines_are_constraints():
    from summit.rules import responses

    data = tiny_data()
    data["actors"][B]["limits"] = [
        {"text": "y only after x", "issue": "y", "at_most": 0, "unless_after_verified": True}
    ]
    spec = spec_of(data)
    levels = np.array([[2, 1], [2, 1], [2, 0]])
    cross = responses.crossed(spec, levels, np.array([0, 1, 0]))
    assert cross[:, B].tolist() == [True, False, False]  # on promise it crosses; after verified not
    assert responses.crossed_text(spec, levels[0], 0, B) == "y only after x"
    # An AI never accepts a package crossing its own red line, however much it is worth to it.
    role = np.array([[responses.PROPOSES, responses.COMMITS, responses.UNINVOLVED]] * 3)
    yes = responses.answer(
        role, np.ones((3, 3)), np.ones((3, 3)), np.zeros((3, 3)), np.zeros((3, 3)), cross
    )
    assert yes[:, B].tolist() == [False, True, True]
    # ... and an AI proposer never offers one.
    st, _ = game.play(spec, np.arange(200))
    offered = game.start(spec, np.arange(50))
    offered, _ = game.open_round(spec, game.replace(offered, round=1))
    offer = game.propose(spec, game.replace(offered, round=2))  # b proposes in round 2
    assert not responses.crossed(spec, offer.levels, offer.sequencing)[:, B].any()


def test_an_unknown_issue_in_a_limit_is_a_one_line_error():
    data = tiny_data()
    data["actors"][B]["limits"] = [{"text": "?", "issue": "q", "at_most": 0}]
    with pytest.raises(ScenarioError) as info:
        spec_of(data)
    assert "actors[b].limits[0].issue" in str(info.value)


def test_single_text_tables_the_maximin_draft():
    from summit.rules import responses

    data = tiny_data()
    data["rules"]["protocol"] = "single_text"
    spec = spec_of(data)
    st, _ = game.open_round(spec, game.start(spec, np.arange(20)))
    offer = game.propose(spec, st)
    # Recompute: every negotiator's drafts, the least-short needed party of each, the best.
    needed = offers.committing(spec, offer.candidate_levels) | spec.at_table[None, None, :]
    margin = np.where(
        needed, offer.candidate_utility - offer.valuation.threshold[:, None, :], np.inf
    ).min(-1)
    best = margin.max(axis=1)
    rows = np.arange(20)
    chosen = np.where(
        needed, offer.candidate_utility - offer.valuation.threshold[:, None, :], np.inf
    ).min(-1)
    assert np.allclose(chosen[rows, np.argmax(margin, axis=1)], best)
    assert offer.candidate_levels.shape[1] == 2 * len(offers.LAMBDAS) * len(spec.sequencings)
    # The actor tabling a mediator's text judges it like the others.
    answers = game.respond(spec, st, offer)
    tabled = offer.proposer
    short = offer.utility[:, tabled] < offer.valuation.threshold[:, tabled] - 1e-12
    assert not answers.accept[short, tabled].any()
    assert responses.PROPOSES == answers.role[0, tabled]


def test_a_single_text_summit_is_the_same_in_both_engines():
    from summit.model import SummitModel

    data = tiny_data()
    data["rules"]["protocol"] = "single_text"
    spec = spec_of(data)
    st, result = game.play(spec, np.array([3, 4, 5]))
    for k, seed in enumerate((3, 4, 5)):
        model = SummitModel(spec, seed)
        model.run()
        assert np.array_equal(model.result.levels[0], result.levels[k])
        assert model.result.payoff[0].tolist() == result.payoff[k].tolist()
