"""summit analyze: reference points of the negotiation, checked by hand on a small scenario
and run on jerusalem-2019."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from summit.cli import main
from summit.rules.utility import FRICTION

JERUSALEM = Path(__file__).resolve().parent.parent / "scenarios" / "jerusalem-2019.toml"

# Two actors trade three concessions. Everyone is fully capable, willing and believed, so each
# concession is delivered with p = 1 / (1 + FRICTION^2) (the contest with m = 2, force 1).
#   a gives x (costs it), b gives y and z (a wants both; b dislikes both).
#   weights: a: x 1/4, y 1/2, z 1/4 (z worth 0.8 to a);  b: x 1/2, y 1/4, z 1/4.
#   U_a(x, y, z) = 1/4 (1 - p x) + 1/2 p y + 1/4 0.8 p z
#   U_b(x, y, z) = 1/2 p x + 1/4 (1 - p y) + 1/4 (1 - p z)
# Walk-away values: a 0.3, b 0.1.
HAND = {
    "summit": {
        "title": "Hand",
        "description": "Three concessions, two actors.",
        "deadline": 4,
        "table": ["a", "b"],
        "sequencing": ["on_promise"],
    },
    "rules": {"delivery_steepness": 2.0},
    "issues": [
        {
            "id": "x",
            "name": "X",
            "levels": ["no", "yes"],
            "kind": "concession",
            "giver": "a",
            "phrases": ["keep x", "give x"],
        },
        {
            "id": "y",
            "name": "Y",
            "levels": ["no", "yes"],
            "kind": "concession",
            "giver": "b",
            "phrases": ["keep y", "give y"],
        },
        {
            "id": "z",
            "name": "Z",
            "levels": ["no", "yes"],
            "kind": "concession",
            "giver": "b",
            "phrases": ["keep z", "give z"],
        },
    ],
    "actors": [
        {
            "id": "a",
            "name": "A",
            "capability": 1.0,
            "walk_away": 0.3,
            "credibility": 1.0,
            "salience": {"x": 1.0, "y": 2.0, "z": 1.0},
            "values": {"x": [1.0, 0.0], "y": [0.0, 1.0], "z": [0.0, 0.8]},
        },
        {
            "id": "b",
            "name": "B",
            "capability": 1.0,
            "walk_away": 0.1,
            "credibility": 1.0,
            "salience": {"x": 2.0, "y": 1.0, "z": 1.0},
            "values": {"x": [0.0, 1.0], "y": [1.0, 0.0], "z": [1.0, 0.0]},
        },
    ],
}
P = 1.0 / (1.0 + FRICTION**2)


def hand_utility(x, y, z, p=P):
    return (
        0.25 * (1 - p * x) + 0.5 * p * y + 0.25 * 0.8 * p * z,
        0.5 * p * x + 0.25 * (1 - p * y) + 0.25 * (1 - p * z),
    )


@pytest.fixture
def hand_spec():
    import copy

    from summit.scenario import compile_scenario, parse_scenario

    return compile_scenario(parse_scenario(copy.deepcopy(HAND), "hand.toml"))


def levels_of(spec, index):
    from summit.analysis.packages import decode

    levels, seq = decode(spec, np.array([index]))
    return tuple(int(v) for v in levels[0]), int(seq[0])


def test_utility_table_matches_the_hand_formula(hand_spec):
    from summit.analysis.negotiation import opening_state, utility_table
    from summit.analysis.packages import decode

    state, events = opening_state(hand_spec)
    assert events == []
    U = utility_table(hand_spec, state)
    assert U.shape == (8, 2)
    levels, seq = decode(hand_spec, np.arange(8))
    assert (seq == 0).all()
    for k, (x, y, z) in enumerate(levels):
        np.testing.assert_allclose(U[k], hand_utility(x, y, z), atol=1e-12)


def test_reference_points_of_the_hand_scenario(hand_spec):
    from summit.analysis.negotiation import reference_points

    ref = reference_points(hand_spec)
    assert ref.parties.tolist() == [True, True]
    # efficient: 100, 011, 010, 110, 111 (000 is dominated by 110, 001 by 010, 101 by 110)
    efficient = {levels_of(hand_spec, int(k))[0] for k in np.flatnonzero(ref.efficient)}
    assert efficient == {(1, 0, 0), (0, 1, 1), (0, 1, 0), (1, 1, 0), (1, 1, 1)}
    # individually rational (a > 0.3, b > 0.1): 010, 001, 110, 111
    rational = {levels_of(hand_spec, int(k))[0] for k in np.flatnonzero(ref.rational)}
    assert rational == {(0, 1, 0), (0, 0, 1), (1, 1, 0), (1, 1, 1)}
    # Nash: gains 110 = (p/4 - .05)(p/4 + .4) = 0.129 < 111 = (.45p - .05)(.4) = 0.160
    assert levels_of(hand_spec, ref.solutions["Nash bargaining"].index) == ((1, 1, 1), 0)
    # Kalai-Smorodinsky: ideal (a .749 at 010, b .749 at 110); worst relative gain 110 .44, 111 .62
    assert levels_of(hand_spec, ref.solutions["Kalai-Smorodinsky"].index) == ((1, 1, 1), 0)
    # egalitarian: smallest gain 110 0.199, 111 0.399
    assert levels_of(hand_spec, ref.solutions["egalitarian"].index) == ((1, 1, 1), 0)
    # utilitarian: sums 110 = .75 + p/2 > 111 = .75 + .45p
    assert levels_of(hand_spec, ref.solutions["utilitarian"].index) == ((1, 1, 0), 0)
    np.testing.assert_allclose(
        ref.solutions["Nash bargaining"].utility, hand_utility(1, 1, 1), atol=1e-12
    )
    # votes: x: a prefers 0 (weight 1/4), b 1 (1/2); y: a 1 (1/2), b 0 (1/4); z: 1/4 against 1/4
    x, y, z = ref.votes
    assert (x.condorcet, y.condorcet, z.condorcet) == (1, 1, None)
    assert x.mean_level == pytest.approx(2 / 3) and y.mean_level == pytest.approx(2 / 3)
    assert z.mean_level == pytest.approx(0.5)
    assert x.preferred.tolist() == [0, 1] and z.preferred.tolist() == [1, 0]
    # Salience as given (Bueno de Mesquita): x margin for level 0 over 1 = a's 1 - b's 2 = -1.
    assert x.margins[0, 1] == pytest.approx(-1.0) and x.margins[1, 0] == pytest.approx(1.0)


def test_bueno_de_mesquita_weighs_salience_as_given():
    import copy

    from summit.analysis.negotiation import reference_points
    from summit.scenario import compile_scenario, parse_scenario

    hand_data = copy.deepcopy(HAND)
    hand_data["actors"][0]["salience"]["y"] = 8.0  # a: x 1 of 10 in all; b: x 2 of 4
    spec = compile_scenario(parse_scenario(hand_data, "hand.toml"))
    x = reference_points(spec).votes[0]
    # x: a prefers 0, b prefers 1. As given: (1 * 0 + 2 * 1) / (1 + 2) = 2/3; normalised per
    # actor: (0.1 * 0 + 0.5 * 1) / (0.1 + 0.5) = 5/6.
    assert x.mean_level == pytest.approx(2 / 3)
    assert x.mean_level_normalised == pytest.approx(5 / 6)
    assert x.condorcet == 1 and x.margins[1, 0] == pytest.approx(1.0)


def test_distance_from_nash(hand_spec):
    from summit.analysis.negotiation import distance_from_nash, opening_state
    from summit.params import sample_params

    state, _ = opening_state(hand_spec)
    assert distance_from_nash(hand_spec, state, [1, 1, 1], 0) == 0.0
    a0, b0 = hand_utility(1, 1, 0)
    a1, b1 = hand_utility(1, 1, 1)
    assert distance_from_nash(hand_spec, state, [1, 1, 0], 0) == pytest.approx(
        np.hypot(a0 - a1, b0 - b1)
    )
    params = sample_params(hand_spec, np.array([0]))
    assert distance_from_nash(hand_spec, params, [0, 0, 0], 0) == pytest.approx(
        np.hypot(*(np.subtract(hand_utility(0, 0, 0), hand_utility(1, 1, 1))))
    )
    # no package leaves both above walk-away: no Nash solution
    params["walk_away"] = params["walk_away"] + 0.9
    assert np.isnan(distance_from_nash(hand_spec, params, [0, 0, 0], 0))


def test_efficient_mask_equals_pareto_efficient():
    from summit.analysis import reference
    from summit.analysis.negotiation import efficient_mask

    rng = np.random.default_rng(5)
    U = np.round(rng.random((3000, 3)), 2)  # rounded: ties and duplicates too
    np.testing.assert_array_equal(
        efficient_mask(U, elite=100, chunk=500), reference.pareto_efficient(U)
    )


def test_analyze_prints_the_hand_scenario(write_scenario, capsys):
    path = write_scenario(HAND, "hand.toml")
    assert main(["analyze", str(path)]) == 0
    out = capsys.readouterr().out
    assert "packages: 8 (1 sequencing(s)); Pareto-efficient for the parties: 5" in out
    assert "Nash bargaining:" in out and "Kalai-Smorodinsky (same package as Nash):" in out
    assert "utilitarian (distance from Nash" in out
    assert "A: give x" in out and "B: give y; give z" in out
    assert "Condorcet none: no level beats all others" in out
    assert "Condorcet 1 (yes)" in out
    assert f"a* {hand_utility(1, 1, 1)[0]:.3f}" in out


def test_analyze_jerusalem(capsys):
    assert main(["analyze", str(JERUSALEM)]) == 0
    out = capsys.readouterr().out
    assert all(len(line) <= 80 for line in out.splitlines())
    assert "packages: 209,952 (2 sequencing(s))" in out
    assert "events before round 1: s400-refusal" in out
    for word in (
        "Nash bargaining",
        "Kalai-Smorodinsky",
        "egalitarian",
        "utilitarian",
        "Condorcet",
        "weighted mean",
        "iran_withdrawal",
        "Russia: push Iran's forces",
    ):
        assert word in out
    assert "parties (bargain, marked *): us, israel, russia" in out


def test_analyze_with_a_seed_uses_that_runs_parameters(write_scenario, capsys):
    import copy

    from summit.params import sample_params
    from summit.scenario import load_spec

    data = copy.deepcopy(HAND)
    data["actors"][0]["walk_away"] = {"uniform": [0.1, 0.5]}  # mean 0.3, a draw per run
    path = write_scenario(data, "hand.toml")
    drawn = float(sample_params(load_spec(path), np.array([7]))["walk_away"][0, 0])
    assert round(drawn, 3) != 0.3  # run 7 is not the mean
    assert main(["analyze", str(path), "--seed", "7", "--best", "1"]) == 0
    seeded = capsys.readouterr().out
    assert "run seed 7" in seeded and f"walk-away values: a {drawn:.3f}, b 0.100" in seeded
    assert main(["analyze", str(path), "--best", "1"]) == 0
    assert "walk-away values: a 0.300, b 0.100" in capsys.readouterr().out


def test_analyze_unknown_scenario_is_exit_2(capsys):
    assert main(["analyze", "no-such-scenario.toml"]) == 2
    assert capsys.readouterr().err.count("\n") == 1


def test_analyze_refuses_too_many_packages(write_scenario, capsys, monkeypatch):
    from summit.analysis import negotiation

    monkeypatch.setattr(negotiation, "MAX_PACKAGES", 4)
    path = write_scenario(HAND, "hand.toml")
    assert main(["analyze", str(path)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "allows 8 packages, more than the 4" in err
