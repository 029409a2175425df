"""Each rule with numbers worked out by hand (the working is in the comments).

Most tests use the tiny scenario of conftest.py: a gives the action x (levels 0..2, default
difficulty [0, 0.5, 1]) resisted by c; b gives the concession y (levels 0..1). Its rules set
delivery_steepness m = 2, so contest odds are easy to check: P = F^2 / (F^2 + (0.05 + R*d)^2).
"""

from __future__ import annotations

import numpy as np
import pytest
from conftest import params_of, tiny_data

from summit import rng
from summit.params import inverse_cdf, override, sample_params
from summit.rules import credibility, events, game, implementation, offers, responses, utility
from summit.rules.responses import AFFECTED, AT_TABLE, COMMITS, PROPOSES, UNINVOLVED
from summit.scenario import STYLE_EXPONENT, Distribution, compile_scenario, parse_scenario

A, B, C = 0, 1, 2  # actor indices of the tiny scenario
X, Y = 0, 1  # issue indices


def spec_of(data):
    return compile_scenario(parse_scenario(data, "tiny.toml"))


def everyone(spec):
    return np.arange(spec.n_actors)


def believed_odds(spec, p, stance):
    """Every actor's belief in every commitment (the valuation of all actors as observers)."""
    return utility.believed_odds(spec, p, stance, everyone(spec))


def expected_values(spec, odds):
    return utility.expected_values(spec, odds, everyone(spec))


def resisting(spec, runs=1):
    """Stance 1 for everybody (every affected actor resists in full)."""
    return np.ones((runs, spec.n_actors))


# --------------------------------------------------------------------------- concession curves


@pytest.mark.parametrize(
    ("style", "expected"),
    [
        # target(t) = wa + (best - wa) * (1 - t ** (1/e)), wa = 0.4, best = 1.0, t = 0.5
        ("boulware", 0.98125),  # e = 0.2: 0.5 ** 5 = 0.03125;   0.4 + 0.6 * 0.96875 = 0.98125
        ("linear", 0.7),  # e = 1:   0.5 ** 1 = 0.5;       0.4 + 0.6 * 0.5     = 0.7
        (
            "conceder",
            0.5237789,
        ),  # e = 3:   0.5 ** (1/3) = 0.7937005; 0.4 + 0.6 * 0.2062995 = 0.5237797
    ],
)
def test_concession_curve_half_way(style, expected):
    value = offers.time_target(0.5, STYLE_EXPONENT[style], 0.4, 1.0)
    assert float(value) == pytest.approx(expected, abs=1e-6)


def test_concession_curve_ends_and_order():
    e = np.array([0.2, 1.0, 3.0])
    # t = 0: everybody asks for the best; t = 1: everybody is down to its walk-away value.
    assert offers.time_target(0.0, e, 0.4, 1.0) == pytest.approx([1.0, 1.0, 1.0])
    assert offers.time_target(1.0, e, 0.4, 1.0) == pytest.approx([0.4, 0.4, 0.4])
    # At every interior time a Boulware actor asks more than a linear one, which asks more
    # than a conceder.
    for t in (0.1, 0.3, 0.5, 0.9):
        boulware, linear, conceder = offers.time_target(t, e, 0.4, 1.0)
        assert boulware > linear > conceder


def test_reciprocating_aspiration_gives_back_what_it_got():
    data = tiny_data()
    data["actors"][A].update(style="reciprocating", reciprocity=0.5)
    spec = spec_of(data)
    p = params_of(spec)
    best = np.array([[1.0, 1.0, 1.0]])
    # t = 0.5, e = 1 (reciprocating uses the linear curve): a's time target is 0.7.
    # a has received offers 0.2 better than the first one: 0.7 - 0.5 * 0.2 = 0.6.
    gain = np.array([[0.2, 0.2, 0.2]])
    asp = offers.aspirations(spec, p, 0.5, best, gain)
    assert asp[0, A] == pytest.approx(0.6)
    # b is linear and not reciprocating: the gain does not move it (0.4 + 0.6 * 0.5).
    assert asp[0, B] == pytest.approx(0.7)
    # A large gain cannot take an aspiration below the walk-away value: 0.7 - 0.5 * 1 = 0.2 -> 0.4.
    asp = offers.aspirations(spec, p, 0.5, best, np.array([[1.0, 1.0, 1.0]]))
    assert asp[0, A] == pytest.approx(0.4)


# --------------------------------------------------------------------------- delivery contest


def test_delivery_odds_by_hand(tiny_spec):
    spec = tiny_spec
    p = params_of(spec)
    odds = utility.delivery_odds(spec, p, utility.giver_willingness(spec, p), resisting(spec))
    assert odds.shape == (1, 2, 3)
    # x: F = capability 0.7 * willingness 1 * no ally = 0.7; R = weight 1 * stance 1 * strength
    # 0.5 * (1 + entrenchment 0) = 0.5.
    #   level 1 (difficulty 0.5): 0.49 / (0.49 + (0.05 + 0.25)^2) = 0.49 / 0.58   = 0.8448276
    #   level 2 (difficulty 1.0): 0.49 / (0.49 + (0.05 + 0.50)^2) = 0.49 / 0.7925 = 0.6182965
    assert odds[0, X] == pytest.approx([1.0, 0.8448276, 0.6182965], abs=1e-7)
    # y: F = 0.8, nobody resists: 0.64 / (0.64 + 0.05^2) = 0.9961089; level 2 does not exist.
    assert odds[0, Y] == pytest.approx([1.0, 0.9961089, 0.0], abs=1e-7)


def test_delivery_odds_entrenchment_alliance_and_compliance(tiny_spec):
    spec = tiny_spec
    p = params_of(spec)
    willing = utility.giver_willingness(spec, p)

    # Entrenchment 0.4: R = 0.5 * 1.4 = 0.7.  L1: 0.49 / (0.49 + 0.40^2) = 0.7538462;
    # L2: 0.49 / (0.49 + 0.75^2) = 0.4655582.
    q = {**p, "entrenchment": p["entrenchment"].copy()}
    q["entrenchment"][0, C] = 0.4
    odds = utility.delivery_odds(spec, q, willing, resisting(spec))
    assert odds[0, X, 1:] == pytest.approx([0.7538462, 0.4655582], abs=1e-7)

    # An a-c tie of 0.6 with alliance_drag 0.5: F = 0.7 * (1 - 0.5 * 0.6) = 0.49.
    # L1: 0.2401 / (0.2401 + 0.09) = 0.7273554.
    q = override(spec, p, {"tie.a.c": 0.6})
    odds = utility.delivery_odds(spec, q, willing, resisting(spec))
    assert odds[0, X, 1] == pytest.approx(0.7273554, abs=1e-7)

    # c complies (stance = rules.compliance = 0.4): R = 0.2. L1: 0.49 / (0.49 + 0.15^2) = 0.9560976.
    stance = implementation.stances(spec, np.array([[True, True, True]]))
    assert stance[0] == pytest.approx([0.4, 0.4, 0.4])
    odds = utility.delivery_odds(spec, p, willing, stance)
    assert odds[0, X, 1] == pytest.approx(0.9560976, abs=1e-7)

    # An unwilling deliverer delivers nothing, however strong.
    odds = utility.delivery_odds(spec, p, np.zeros_like(willing), resisting(spec))
    assert odds[0, X].tolist() == [1.0, 0.0, 0.0]


def test_delivery_odds_fall_with_level_and_rise_with_capability(jerusalem_spec):
    spec = jerusalem_spec
    p = sample_params(spec, np.arange(20))
    odds = utility.delivery_odds(
        spec, p, utility.giver_willingness(spec, p), np.ones((20, spec.n_actors))
    )
    real = spec.level_ok[None]
    assert np.all(
        np.diff(np.where(real, odds, 0.0), axis=-1) <= 1e-15
    )  # never easier at a higher level
    stronger = override(spec, p, {"russia.capability": 0.95})
    more = utility.delivery_odds(
        spec, stronger, utility.giver_willingness(spec, stronger), np.ones((20, spec.n_actors))
    )
    i = spec.issue_ids.index("iran_withdrawal")
    assert np.all(more[:, i, 1:4] > odds[:, i, 1:4])


# --------------------------------------------------------------------------- values and credibility


def test_believed_odds_discount_promises_by_credibility(tiny_spec):
    spec = tiny_spec
    p = params_of(spec)
    p["willingness"][0, A, X] = 0.5
    odds = believed_odds(spec, p, resisting(spec))
    # a knows its own willingness: F = 0.35, 0.1225 / (0.1225 + 0.09) = 0.5764706.
    assert odds[0, A, X, 1] == pytest.approx(0.5764706, abs=1e-7)
    # b cannot see it: it mixes the odds of each willingness type theta_k by its Beta(0.3 * 4,
    # 0.7 * 4) prior on the grid (rules/credibility.py).
    theta = credibility.types(5)
    pi = theta**0.2 * (1 - theta) ** 1.8
    pi = pi / pi.sum()
    force = 0.7 * theta
    against = np.array([0.05 + 0.5 * 0.5, 0.05 + 0.5 * 1.0])  # friction + R * difficulty
    by_type = force[:, None] ** 2 / (force[:, None] ** 2 + against[None] ** 2)
    assert odds[0, B, X, 1:] == pytest.approx(pi @ by_type, abs=1e-12)
    assert odds[0, :, :, 0].tolist() == [[1.0, 1.0]] * 3  # the status quo is always there


def test_expected_values_by_hand(tiny_spec):
    spec = tiny_spec
    odds = np.zeros((1, 3, 2, 3))
    odds[..., X, :] = [1.0, 0.8, 0.5]
    odds[..., Y, :] = [1.0, 0.9, 0.0]
    ev, frac = expected_values(spec, odds)
    # ev = v0 + sum_l P(D >= l) * (v_l - v_{l-1})
    # a on x, values [1, .6, .2]:  [1, 1 - 0.8*0.4 = 0.68, 0.68 - 0.5*0.4 = 0.48]
    assert ev[0, A, X] == pytest.approx([1.0, 0.68, 0.48])
    # b on x, values [0, .6, 1]:   [0, 0.8*0.6 = 0.48, 0.48 + 0.5*0.4 = 0.68]
    assert ev[0, B, X] == pytest.approx([0.0, 0.48, 0.68])
    # b on y, values [1, 0]:       [1, 1 - 0.9 = 0.1]
    assert ev[0, B, Y, :2] == pytest.approx([1.0, 0.1])
    # frac = E[delivered level] / level: x [1, 0.8 / 1, (0.8 + 0.5) / 2 = 0.65]
    assert frac[0, B, X] == pytest.approx([1.0, 0.8, 0.65])


def test_after_verified_values_concessions_at_expected_delivered_share(tiny_spec):
    spec = tiny_spec
    odds = np.zeros((1, 3, 2, 3))
    odds[..., X, :] = [1.0, 0.8, 0.5]
    odds[..., Y, :] = [1.0, 0.9, 0.0]
    ev, frac = expected_values(spec, odds)
    w = utility.weights(params_of(spec))
    # weights are saliences normalised per actor: a [1/3, 2/3], b [2/3, 1/3], c [1, 0]
    assert w[0] == pytest.approx(np.array([[1 / 3, 2 / 3], [2 / 3, 1 / 3], [1.0, 0.0]]))
    levels = np.array([[[2, 1], [2, 1]]])  # the same package ...
    seq = np.array([[0, 1]])  # ... on promise, then after verified action
    u = utility.package_utility(spec, ev, frac, w, levels, seq)
    # On promise: b gets x at 0.68 and pays y (ev 0.1): 2/3*0.68 + 1/3*0.1 = 0.4866667
    #             a gets y (ev 0.9) and pays x (0.48):  1/3*0.48 + 2/3*0.9 = 0.76
    assert u[0, 0, B] == pytest.approx(0.4866667, abs=1e-7)
    assert u[0, 0, A] == pytest.approx(0.76, abs=1e-7)
    # After verified: y is paid for the expected delivered share of the actions, frac x = 0.65.
    #   b: y = 1 + 0.65 * (0.1 - 1) = 0.415;  2/3*0.68 + 1/3*0.415 = 0.5916667
    #   a: y = 0 + 0.65 * 0.9       = 0.585;  1/3*0.48 + 2/3*0.585 = 0.55
    assert u[0, 1, B] == pytest.approx(0.5916667, abs=1e-7)
    assert u[0, 1, A] == pytest.approx(0.55, abs=1e-7)
    # The fast path equals the reference: salience-weighted issue values summed over issues.
    ref = (w[:, None] * utility.issue_values(spec, ev, frac, levels, seq)).sum(axis=-1)
    assert u == pytest.approx(ref, abs=1e-12)


def test_package_utility_matches_issue_values_on_jerusalem(jerusalem_spec):
    spec = jerusalem_spec
    st = game.start(spec, np.arange(4))
    st, _ = game.open_round(spec, st)
    val = game.valuation(spec, st)
    levels, seqs = offers.candidates(spec, val.ev, val.frac, val.w, spec.table_order[0], val.actors)
    fast = utility.package_utility(spec, val.ev, val.frac, val.w, levels, seqs)
    ref = (val.w[:, None] * utility.issue_values(spec, val.ev, val.frac, levels, seqs)).sum(axis=-1)
    assert fast == pytest.approx(ref, abs=1e-12)
    assert np.all((fast >= 0) & (fast <= 1))


def test_credibility_update_by_hand():
    # Two types, theta = 0.25 and 0.75; a prior with mean 0.5 and weight 2 is flat: (1/2, 1/2).
    # The giver (actor 0) promised level 1 of issue 0 and delivered nothing; a willing type
    # would have delivered with odds 0.6, an unwilling one 0.2. Likelihoods of the failure:
    # 0.8 and 0.4, so the posterior is (2/3, 1/3) and its mean 0.25 * 2/3 + 0.75 / 3 = 5/12.
    # Then the promise-keeping reputation: one promise broken in full (weight 1) against a
    # record worth n = 2 promises: 5/12 * 2 / (2 + 1) = 5/18.
    belief = np.array([[[1.0, 0.5, 0.5], [0.5, 1.0, 0.5], [0.5, 0.5, 1.0]]])
    type_odds = np.array([[[[1.0, 0.2]]], [[[1.0, 0.6]]], [[[1.0, 0.9]]]])  # (K + 1, R, I, L)
    levels, delivered = np.array([[1]]), np.array([[0]])
    committed = np.array([[True, False, False]])
    w = np.array([[[1.0], [1.0], [0.5]]])  # actor 2 cares half as much: exponent 1 / 1
    new = credibility.update_beliefs(
        belief, type_odds, levels, delivered, committed, np.array([0]), w, 2.0
    )
    assert new[0, 1, 0] == pytest.approx(5 / 18)
    # Salience tempers the evidence only relative to the observer's own most salient issue:
    # actor 2's only issue is this one, so it counts fully too.
    assert new[0, 2, 0] == pytest.approx(5 / 18)
    assert new[0, 0, 0] == 1.0 and new[0, 0, 1] == 0.5  # the giver itself; others unchanged
    # Kept in full: no reputation loss, only the inference (success odds 0.2 and 0.6:
    # posterior (1/4, 3/4), mean 0.625).
    kept = credibility.update_beliefs(
        belief, type_odds, levels, np.array([[1]]), committed, np.array([0]), w, 2.0
    )
    assert kept[0, 1, 0] == pytest.approx(0.625)
    # A tempered observation (exponent 1/2): (0.8, 0.4) ** 0.5 -> posterior (0.5858, 0.4142),
    # mean 0.25 * 0.5858 + 0.75 * 0.4142 = 0.4571; the broken promise weighs 1/2 too:
    # 0.4571 * 2 / (2 + 0.5) = 0.3657.
    w2 = np.array([[[1.0, 2.0], [1.0, 2.0], [1.0, 2.0]]])
    two = credibility.update_beliefs(
        belief,
        np.concatenate([type_odds, type_odds], axis=2),
        np.array([[1, 0]]),
        np.array([[0, 0]]),
        committed,
        np.array([0, 0]),
        w2,
        2.0,
    )
    assert two[0, 1, 0] == pytest.approx(0.4571068 * 0.8, abs=1e-6)
    new = np.array([[[1.0, 0.44, 0.5], [0.34, 1.0, 0.5], [0.34, 0.84, 1.0]]])
    # standing = mean belief of the others: actor 0 (0.34 + 0.34) / 2, actor 1 (0.44 + 0.84) / 2.
    assert credibility.standing(new)[0] == pytest.approx([0.34, 0.64, 0.5])


# --------------------------------------------------------------------------- implementation


@pytest.fixture
def sharp():
    """The tiny scenario made deterministic: with steepness 100, c's strength 0.6 and
    entrenchment 0.5 (R = 0.6 * 1.5 = 0.9) level 1 of x is certain ((0.05 + 0.9 * 0.5) / 0.7 =
    0.714, 0.714^100 ~ 2e-15) and level 2 impossible ((0.05 + 0.9) / 0.7 = 1.36, odds ~ 6e-14);
    y is unopposed and certain."""
    data = tiny_data()
    data["rules"]["delivery_steepness"] = 100.0
    data["actors"][C].update(strength=0.6, entrenchment=0.5)
    return spec_of(data)


@pytest.mark.parametrize("seed", [0, 1, 7, 12345])
def test_attempt_delivers_level_one_of_two_and_pays_half_after_verification(sharp, seed):
    spec = sharp
    p = params_of(spec, [seed])
    levels = np.array([[2, 1]])
    stance = implementation.stances(spec, np.array([[True, True, False]]))  # c resists
    assert stance[0].tolist() == [0.4, 0.4, 1.0]

    done = implementation.attempt(spec, p, np.array([seed]), levels, np.array([1]), stance)
    assert done["odds"][0, X, 1] > 1 - 1e-12 and done["odds"][0, X, 2] < 1e-12
    assert done["attained"][0].tolist() == [1.0, 1.0]
    # One action, delivered to level 1 of 2: action share 0.5. The concession y is paid
    # after verified action for that share: position 1 * 0.5 = 0.5.
    assert done["action_share"][0] == pytest.approx(0.5)
    assert done["position"][0].tolist() == [1.0, 0.5]
    # The draw is the run's own counter-based uniform for (DELIVERY, issue).
    assert done["draw"][0] == pytest.approx(rng.uniform(seed, rng.DELIVERY, np.arange(2)))

    on_promise = implementation.attempt(spec, p, np.array([seed]), levels, np.array([0]), stance)
    assert on_promise["position"][0].tolist() == [1.0, 1.0]


def test_outcome_after_verified_by_hand(sharp):
    spec = sharp
    p = params_of(spec)
    deal, levels = np.array([True]), np.array([[2, 1]])
    out = implementation.outcome(spec, p, deal, levels, np.array([[1.0, 0.5]]))
    # values at the delivered position: x at level 1; y half-way between its levels.
    #   a: x 0.6, y 0.5 -> 1/3*0.6 + 2/3*0.5 = 0.5333333
    #   b: x 0.6, y 0.5 -> 2/3*0.6 + 1/3*0.5 = 0.5666667
    #   c: x 0.5        -> 1 * 0.5            = 0.5
    assert out["payoff"][0] == pytest.approx([0.5333333, 0.5666667, 0.5], abs=1e-7)
    # paid: value given up on its own commitments; got: value from the others'.
    #   a pays 1/3 * (1 - 0.6) = 0.1333333, gets 2/3 * 0.5 = 0.3333333
    #   b pays 1/3 * (1 - 0.5) = 0.1666667, gets 2/3 * 0.6 = 0.4
    assert out["paid"][0, :2] == pytest.approx([0.1333333, 0.1666667], abs=1e-7)
    assert out["got"][0] == pytest.approx([0.3333333, 0.4, -0.5], abs=1e-7)
    # b paid half of y for half of the actions: nothing overpaid.
    assert out["overpaid"][0].tolist() == [0.0, 0.0, 0.0]
    # c's presence: [1, .6, .1] at level 1 = 0.6; influence = 0.6 + 0.5 * (1 - 0.6) = 0.8
    assert out["presence"][0, C] == pytest.approx(0.6)
    assert out["influence"][0, C] == pytest.approx(0.8)
    assert out["presence"][0, :2].tolist() == [1.0, 1.0]
    # Beliefs: no stance is given, so c is taken to resist in full: level 1 of x needs
    # F = 0.7 * theta against 0.05 + 0.9 * 0.5 = 0.5 (steepness 100), so only theta = 0.9 is
    # sure to reach it and theta = 0.7 (F = 0.49) has odds 1 / (1 + (0.5 / 0.49) ** 100);
    # level 2 (against 0.95) is beyond every type ("could not"). The posterior is the prior
    # times those odds; inferred = 0.3 + (posterior mean - prior mean). Half of a's promise
    # (level 1 of 2) was broken, on the most salient issue of b and of c (weight 1): against a
    # record worth 4 promises, belief' = inferred * 4 / (4 + 0.5).
    theta = credibility.types(5)
    pi = theta**0.2 * (1 - theta) ** 1.8
    pi = pi / pi.sum()
    reach = 1 / (1 + (0.5 / (0.7 * theta)) ** 100) - 1 / (1 + (0.95 / (0.7 * theta)) ** 100)
    post = pi * reach / (pi * reach).sum()
    expected = (0.3 + post @ theta - pi @ theta) * 4 / 4.5
    assert out["belief"][0, B, A] == pytest.approx(expected, abs=1e-9)
    assert out["belief"][0, C, A] == pytest.approx(expected, abs=1e-9)
    assert out["belief"][0, A, C] == pytest.approx(0.5)  # c committed nothing


def test_outcome_on_promise_overpays(sharp):
    spec = sharp
    p = params_of(spec)
    out = implementation.outcome(
        spec, p, np.array([True]), np.array([[2, 1]]), np.array([[1.0, 1.0]])
    )
    # On promise b pays y in full (share 1) for half the action: overpaid 1 - 0.5 = 0.5.
    assert out["overpaid"][0].tolist() == [0.0, 0.5, 0.0]
    # a: 1/3*0.6 + 2/3*1 = 0.8666667; b: 2/3*0.6 + 1/3*0 = 0.4
    assert out["payoff"][0, :2] == pytest.approx([0.8666667, 0.4], abs=1e-7)
    assert out["belief"][0, A, B] >= p["belief"][0, A, B] - 1e-9  # b paid y in full


def test_overpaid_counts_only_actions_others_promised():
    # a gives both the action x and the concession y: its own undelivered action is not a
    # promise someone else failed to keep, so paying y in full is not "paying for promises not
    # kept".
    data = tiny_data()
    data["issues"][Y]["giver"] = "a"
    spec = spec_of(data)
    out = implementation.outcome(
        spec, params_of(spec), np.array([True]), np.array([[2, 1]]), np.array([[0.0, 1.0]])
    )
    assert out["overpaid"][0].tolist() == [0.0, 0.0, 0.0]


def test_no_deal_pays_the_status_quo(sharp):
    spec = sharp
    p = params_of(spec)
    out = implementation.outcome(
        spec, p, np.array([False]), np.zeros((1, 2), dtype=int), np.zeros((1, 2))
    )
    # Level 0 of every issue: a 1/3 * 1 + 2/3 * 0 = 1/3; b 2/3 * 0 + 1/3 * 1 = 1/3; c 1 * 1.
    assert out["payoff"][0] == pytest.approx([1 / 3, 1 / 3, 1.0])
    assert out["overpaid"][0].tolist() == [0.0, 0.0, 0.0]
    assert np.array_equal(out["belief"], p["belief"])


@pytest.mark.parametrize(
    ("position", "presence", "influence"),
    [
        # influence = presence + entrenchment * (1 - presence), entrenchment 0.5, presence [1,
        # .6, .1]
        (0.0, 1.0, 1.0),
        (1.0, 0.6, 0.8),
        (1.5, 0.35, 0.675),  # half-way from 0.6 to 0.1: 0.35; 0.35 + 0.5 * 0.65
        (2.0, 0.1, 0.55),  # 0.1 + 0.5 * 0.9
    ],
)
def test_presence_and_influence(sharp, position, presence, influence):
    spec = sharp
    out = implementation.outcome(
        spec, params_of(spec), np.array([True]), np.array([[2, 0]]), np.array([[position, 0.0]])
    )
    assert out["presence"][0, C] == pytest.approx(presence)
    assert out["influence"][0, C] == pytest.approx(influence)


def test_delivered_never_above_agreed(jerusalem_spec):
    spec = jerusalem_spec
    R = 200
    p = sample_params(spec, np.arange(R))
    levels = np.tile(spec.n_levels - 1, (R, 1))
    levels[::2] = 1
    done = implementation.attempt(
        spec, p, np.arange(R), levels, np.arange(R) % 2, np.ones((R, spec.n_actors))
    )
    assert np.all(done["attained"] <= levels)
    assert np.all(done["position"] <= done["attained"] + 1e-12)
    assert np.all((done["action_share"] >= 0) & (done["action_share"] <= 1))


# --------------------------------------------------------------------------- events and side offers


@pytest.fixture
def eventful():
    data = tiny_data()
    data["events"] = [
        {
            "id": "shock",
            "text": "A shock.",
            "round": 2,
            "effects": [
                {"target": "a.capability", "add": 0.5},  # 0.7 + 0.5 = 1.2 -> clipped to 1
                {"target": "c.strength", "mul": 3.0},  # 0.5 * 3   = 1.5 (range 0..10)
                {"target": "b.belief.a", "set": 0.9},  # 0.3 -> 0.9
                {"target": "tie.a.c", "add": 0.25},  # 0 -> 0.25, both directions
                {"target": "a.willingness.x", "add": -2.0},  # 1 - 2 = -1 -> clipped to 0
                {"target": "b.salience.y", "mul": 2.0},  # 1 -> 2
            ],
        },
        {
            "id": "always",
            "text": "Every round.",
            "probability": 1.0,
            "repeat": True,
            "effects": [{"target": "c.entrenchment", "add": 0.1}],
        },
        {
            "id": "once",
            "text": "Once, in rounds 2-3.",
            "probability": 1.0,
            "rounds": [2, 3],
            "effects": [{"target": "c.walk_away", "add": -0.1}],
        },
        {
            "id": "never",
            "text": "Never.",
            "probability": 0.0,
            "effects": [{"target": "c.walk_away", "set": 0.0}],
        },
    ]
    data["side_offers"] = [
        {
            "id": "deal-with-c",
            "by": "c",
            "to": "a",
            "text": "c offers a money.",
            "when": {"issue": "x", "at_least": 2},
            "effects": [{"target": "a.willingness.x", "add": -0.3}],
        },
    ]
    return spec_of(data)


def test_event_effects_with_clipping_and_tie_symmetry(eventful):
    spec = eventful
    p = params_of(spec, [0, 1])
    shock = spec.events[0]
    new = events.apply_effects(p, shock.effects, np.array([True, False]))
    assert new["capability"][:, A].tolist() == [1.0, 0.7]
    assert new["strength"][:, C].tolist() == [1.5, 0.5]
    assert new["belief"][:, B, A].tolist() == [0.9, 0.3]
    assert new["tie"][:, A, C].tolist() == [0.25, 0.0]
    assert new["tie"][:, C, A].tolist() == [0.25, 0.0]
    assert new["willingness"][:, A, X].tolist() == [0.0, 1.0]
    assert new["salience"][:, B, Y].tolist() == [2.0, 1.0]
    # Effects return new arrays: the parameters given are untouched.
    assert p["capability"][:, A].tolist() == [0.7, 0.7]
    assert p["tie"][:, A, C].tolist() == [0.0, 0.0]


def test_events_scheduled_random_once_and_repeating(eventful):
    spec = eventful
    seeds = np.array([3, 4])
    fired = np.zeros((2, 4), dtype=bool)
    seen = []
    for round_no in range(1, 5):
        happen = events.roll_events(spec, seeds, round_no, fired, np.array([True, True]))
        fired |= happen
        seen.append(happen[0].tolist())
    #                shock  always once   never
    assert seen == [
        [False, True, False, False],  # round 1: 'once' waits for its window
        [True, True, True, False],  # round 2: scheduled shock; 'once' fires
        [False, True, False, False],  # round 3: 'once' has fired already
        [False, True, False, False],
    ]
    # A run no longer negotiating has no events.
    assert not events.roll_events(spec, seeds, 2, fired, np.array([False, True]))[0].any()


def test_open_round_applies_events(eventful):
    spec = eventful
    st = game.start(spec, np.array([5]))
    st, happen = game.open_round(spec, st)
    assert happen[0].tolist() == [False, True, False, False]
    assert st.params["entrenchment"][0, C] == pytest.approx(0.1)
    st, happen = game.open_round(spec, st)
    assert st.params["entrenchment"][0, C] == pytest.approx(0.2)
    assert st.params["capability"][0, A] == 1.0
    assert st.params["walk_away"][0, C] == pytest.approx(0.4)
    assert st.initial["capability"][0, A] == 0.7  # the sampled values are kept


def test_side_offers_when_threatened(eventful):
    spec = eventful
    levels = np.array([[2, 1], [1, 1], [2, 0], [2, 0]])
    util = np.array([[0.5, 0.5, 0.2], [0.5, 0.5, 0.2], [0.5, 0.5, 0.6], [0.5, 0.5, 0.2]])
    wa = np.full((4, 3), 0.5)
    made = np.array([[False], [False], [False], [True]])
    now = events.side_offers_made(spec, levels, util, wa, made, np.ones(4, dtype=bool))
    # Run 0: x at 2 >= 2 and c below its walk-away: made. Run 1: x only at 1. Run 2: c is
    # content (0.6 >= 0.5). Run 3: made before.
    assert now[:, 0].tolist() == [True, False, False, False]
    p = params_of(spec, [0, 1, 2, 3])
    after = events.apply_side_offers(spec, p, now)
    assert after["willingness"][:, A, X] == pytest.approx([0.7, 1.0, 1.0, 1.0])


# --------------------------------------------------------------------------- responses and deals


def test_roles(tiny_spec):
    spec = tiny_spec
    levels = np.array([[2, 1], [0, 1], [1, 0], [0, 0]])
    role = responses.roles(spec, levels, A)
    assert role.tolist() == [
        [PROPOSES, COMMITS, AFFECTED],  # b commits to y; c is pushed by x
        [PROPOSES, COMMITS, UNINVOLVED],  # x stays: c is not involved
        [PROPOSES, AT_TABLE, AFFECTED],  # only the proposer commits
        [PROPOSES, AT_TABLE, UNINVOLVED],
    ]


def test_answers_at_and_away_from_the_table():
    role = np.array([[PROPOSES, COMMITS, AFFECTED, AT_TABLE]])
    utility_ = np.array([[0.1, 0.6, 0.9, 0.3]])
    face = np.array([[0.0, 0.0, 0.45, 0.0]])
    threshold = np.array([[0.9, 0.6, 0.0, 0.4]])
    walk_away = np.array([[0.5, 0.5, 0.5, 0.2]])
    yes = responses.answer(role, utility_, face, threshold, walk_away)
    # proposer: 0.1 below its walk-away 0.5, so it does not stand by a favourite it offered
    # without meeting its aim; committer: 0.6 >= 0.6; affected: face 0.45 < walk-away 0.5
    # whatever its expected utility; at the table: 0.3 < 0.4.
    assert yes[0].tolist() == [False, True, False, False]
    utility_[0, 0] = 0.5
    assert responses.answer(role, utility_, face, threshold, walk_away)[0, 0]


def test_face_value(tiny_spec):
    w = utility.weights(params_of(tiny_spec))
    face = responses.face_value(tiny_spec, w, np.array([[2, 1]]))
    # a: 1/3*0.2 + 2/3*1 = 0.7333333; b: 2/3*1 + 1/3*0 = 0.6666667; c: 1*0 = 0
    assert face[0] == pytest.approx([0.7333333, 0.6666667, 0.0], abs=1e-7)


@pytest.mark.parametrize(
    ("role", "accept", "deal"),
    [
        ([PROPOSES, COMMITS, AFFECTED], [True, True, False], True),  # resisters cannot veto
        ([PROPOSES, COMMITS, AT_TABLE], [True, True, False], True),  # nor can the table
        ([PROPOSES, COMMITS, COMMITS], [True, True, False], False),  # every committer must accept
        ([PROPOSES, COMMITS, UNINVOLVED], [True, False, True], False),
        ([PROPOSES, AT_TABLE, AFFECTED], [True, True, True], False),  # nobody else commits
    ],
)
def test_deal_formed(role, accept, deal):
    assert responses.deal_formed(np.array([role]), np.array([accept])).tolist() == [deal]


def test_no_deal_when_only_the_proposer_commits(tiny_spec):
    levels = np.array([[1, 0]])  # a proposes to do x itself; nobody else gives
    role = responses.roles(tiny_spec, levels, A)
    # A unilateral gesture is not a deal (see responses.deal_formed).
    assert responses.deal_formed(role, np.array([[True, True, True]])).tolist() == [False]


def test_clock_and_proposers(tiny_spec):
    # deadline 4: t = (round - 1) / 3; the table [a, b] proposes in turn.
    assert [game.clock(tiny_spec, r) for r in (1, 2, 3, 4)] == pytest.approx([0, 1 / 3, 2 / 3, 1])
    assert [game.proposer_of(tiny_spec, r) for r in (1, 2, 3, 4)] == [A, B, A, B]


@pytest.mark.filterwarnings("ignore:invalid value encountered")
def test_zero_salience_draw_does_not_give_nan():
    data = tiny_data()
    data["actors"][C]["salience"] = {"x": {"choice": [0.0, 1.0]}}
    spec = spec_of(data)
    p = sample_params(spec, np.arange(20))
    assert (p["salience"][:, C, X] == 0).any()  # some runs draw 0
    assert np.isfinite(utility.weights(p)).all()


def test_a_lone_negotiator_runs_to_the_deadline_without_a_deal():
    # a sits alone at the table and gives both issues: every package it proposes commits only
    # itself, a unilateral gesture rather than a deal (responses.deal_formed needs an actor
    # other than the proposer to commit). So no run can make a deal; each plays all 4 rounds.
    data = tiny_data()
    data["summit"]["table"] = ["a"]
    data["issues"][Y]["giver"] = "a"
    spec = spec_of(data)
    state, result = game.play(spec, np.arange(6))
    assert state.end_reason.tolist() == [game.DEADLINE] * 6
    assert state.end_round.tolist() == [4] * 6
    assert not result.deal.any() and (result.levels == 0).all()
    assert state.walked_out.tolist() == [-1] * 6


# --------------------------------------------------------------------------- parameters


def test_inverse_cdf_of_each_distribution():
    u = np.array([0.0, 0.5, 0.999999])
    assert inverse_cdf(Distribution(uniform=(0.2, 0.6)), u) == pytest.approx(
        [0.2, 0.4, 0.6], abs=1e-6
    )
    # triangular(0, 0.5, 1) is symmetric: the median is the mode.
    assert inverse_cdf(Distribution(triangular=(0.0, 0.5, 1.0)), u)[1] == pytest.approx(0.5)
    # normal(0.5, 0.1) within [0.4, 0.6]: symmetric, median 0.5, never outside.
    d = inverse_cdf(Distribution(normal=(0.5, 0.1), within=(0.4, 0.6)), np.linspace(0, 0.999, 50))
    assert d[0] == pytest.approx(0.4) and d.max() <= 0.6 and np.all(np.diff(d) >= 0)
    # beta(1, 1) is uniform; scaled to [2, 4].
    assert inverse_cdf(Distribution(beta=(1.0, 1.0), scale=(2.0, 4.0)), u) == pytest.approx(
        [2.0, 3.0, 4.0], abs=1e-5
    )
    # choice with weights [1, 3]: u < 0.25 gives the first value.
    ch = Distribution(choice=[0.1, 0.9], weights=[1.0, 3.0])
    assert inverse_cdf(ch, np.array([0.0, 0.24, 0.26, 0.99])).tolist() == [0.1, 0.1, 0.9, 0.9]


def test_sampling_is_per_run_and_per_name(jerusalem_spec):
    spec = jerusalem_spec
    alone = sample_params(spec, np.array([42]))
    many = sample_params(spec, np.array([1, 42, 3]))
    for name in alone:
        assert np.array_equal(alone[name][0], many[name][1]), name
    # A tie's two directions share one draw.
    i, r = spec.actor_ids.index("iran"), spec.actor_ids.index("russia")
    assert np.array_equal(many["tie"][:, i, r], many["tie"][:, r, i])
    # Fixed values are broadcast; drawn ones differ between runs and stay in their support.
    assert many["capability"][:, spec.actor_ids.index("us")].tolist() == [0.85] * 3
    cap = sample_params(spec, np.arange(500))["capability"][:, r]
    assert cap.min() >= 0.35 and cap.max() <= 0.75 and len(np.unique(cap)) == 500
    assert cap.mean() == pytest.approx(0.55, abs=0.02)  # triangular(0.35, 0.55, 0.75) has mean 0.55
