"""Compiled or rewritten loops against the plain numpy formulas they replaced: hand-worked
numbers first, then the same bits as the numpy formula."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis.extra import numpy as hnp

from summit.params import sample_params
from summit.rules import bargaining, game, offers, responses, utility
from summit.rules.util import interp_level, max_last, sum_last


def weights_numpy(p, spec=None):
    """Salience normalised per actor, influence counted (utility.weights), in numpy."""
    s = p["salience"]
    if spec is not None and spec.counts_influence.any():
        s = s.copy()
        for i in np.flatnonzero(spec.presence_of >= 0):
            removable = 1.0 - p["entrenchment"][:, spec.presence_of[i]]
            s[:, spec.counts_influence, i] = s[:, spec.counts_influence, i] * removable[:, None]
    total = sum_last(s)[..., None]
    return np.where(total > 0, s / np.where(total > 0, total, 1.0), 1.0 / s.shape[-1])


def same_bits(a, b):
    return a.shape == b.shape and np.array_equal(a.view(np.int64), b.view(np.int64))


def test_weights_by_hand(jerusalem_spec):
    spec = jerusalem_spec
    p = sample_params(spec, np.arange(2))
    us, iran = spec.actor_ids.index("us"), spec.actor_ids.index("iran")
    i = spec.issue_ids.index("iran_withdrawal")
    assert spec.counts_influence[us] and spec.presence_of[i] == iran
    salience = np.zeros_like(p["salience"])
    salience[:, us, i] = 0.6
    salience[:, us, np.flatnonzero(spec.presence_of < 0)[0]] = 0.2  # moves nobody's presence
    entrenchment = p["entrenchment"].copy()
    entrenchment[:, iran] = 0.5
    q = dict(p, salience=salience, entrenchment=entrenchment)
    w = utility.weights(q, spec)
    # The US counts influence: Iran's withdrawal removes at most 1 - 0.5 of it, so its
    # salience 0.6 counts as 0.3; normalised with the other issue's 0.2: 0.3 / 0.5 = 0.6.
    assert w[0, us, i] == pytest.approx(0.6)
    assert w[0, us].sum() == pytest.approx(1.0)
    # An actor with all saliences 0 weighs the issues equally.
    assert w[0, iran].tolist() == [1.0 / spec.n_issues] * spec.n_issues
    # Without the scenario nobody counts influence: 0.6 / 0.8.
    assert utility.weights(q)[0, us, i] == pytest.approx(0.75)


def test_weights_are_the_numpy_formula(jerusalem_spec):
    spec = jerusalem_spec
    p = sample_params(spec, np.arange(200))
    p = dict(p, salience=p["salience"].copy())
    p["salience"][:7] = 0.0  # runs where actors care about nothing
    assert same_bits(utility.weights(p, spec), weights_numpy(p, spec))
    assert same_bits(utility.weights(p), weights_numpy(p))


def test_max_last_by_hand():
    x = np.array([[0.1, 0.7, 0.3], [-2.0, -1.0, -3.0]])
    assert max_last(x).tolist() == [0.7, -1.0]


@settings(max_examples=50, deadline=None)
@given(hnp.arrays(np.float64, hnp.array_shapes(min_dims=1, max_dims=4, max_side=5)))
def test_max_last_is_the_numpy_max(x):
    assert np.array_equal(max_last(x), x.max(axis=-1), equal_nan=True)


# --------------------------------------------------------------------------- packages


def committing_numpy(spec, levels):
    gives = levels > 0
    out = np.zeros((*levels.shape[:-1], spec.n_actors), dtype=bool)
    for actor in np.unique(spec.giver):
        out[..., actor] = gives[..., spec.giver == actor].any(axis=-1)
    return out


def crossed_numpy(spec, levels, sequencing):
    out = np.zeros((*levels.shape[:-1], spec.n_actors), dtype=bool)
    for actor, issue, at_most, unless_after_verified, _ in spec.limits:
        over = levels[..., issue] > at_most
        if unless_after_verified:
            over &= sequencing != 1
        out[..., actor] |= over
    return out


def face_value_numpy(spec, w, levels):
    total = np.zeros((len(levels), spec.n_actors))
    for i in range(spec.n_issues):
        total = total + w[:, :, i] * spec.values[:, i, :][:, levels[:, i]].T
    return total


def observer_salience_numpy(spec, w_all):
    A = spec.n_actors
    others = spec.at_table[None, :] & (np.arange(A)[None, :] != spec.giver[:, None])
    others = np.where(
        others.any(axis=1, keepdims=True), others, np.arange(A)[None, :] != spec.giver[:, None]
    )
    total = np.zeros(w_all.shape[0::2])
    for a in range(A):
        total = total + np.where(others[None, :, a], w_all[:, a, :], 0.0)
    return total / others.sum(axis=1)[None]


def expected_price_numpy(spec, p, w_all, frac, actors):
    price = np.zeros(frac.shape)
    sigma = observer_salience_numpy(spec, w_all)
    levels = np.arange(frac.shape[-1])
    for k, a in enumerate(actors):
        for i in np.flatnonzero(spec.is_action & (spec.giver == a)):
            top = max(spec.n_levels[i] - 1, 1)
            shortfall = levels[None] * (1.0 - frac[:, k, i, :]) / top
            price[:, k, i, :] = (p["promise_cost"][:, a] * sigma[:, i])[:, None] * shortfall
    return price


@pytest.fixture(scope="module")
def round_one(jerusalem_spec):
    """Valuations and candidate packages of round 1 of 300 Jerusalem runs."""
    spec = jerusalem_spec
    st = game.open_round(spec, game.start(spec, np.arange(300)))[0]
    val = game.valuation(spec, st)
    levels, seqs = offers.candidates(
        spec, val.ev, val.frac, val.w, spec.table_order[0], val.actors, val.wev
    )
    return st, val, levels, seqs


def test_packages_by_hand(jerusalem_spec):
    spec = jerusalem_spec
    i = spec.issue_ids.index("iran_withdrawal")
    levels = np.zeros((2, spec.n_issues), dtype=np.int64)
    levels[1, i] = 2
    russia = spec.actor_ids.index("russia")
    committed = offers.committing(spec, levels)
    assert not committed[0].any() and committed[1].tolist() == [
        a == russia for a in range(spec.n_actors)
    ]
    # Face value: weight 0.5 on Iran's withdrawal at level 2, 0.5 on issue j at level 0.
    w = np.zeros((2, spec.n_actors, spec.n_issues))
    j = 0 if i else 1
    w[:, :, i] = w[:, :, j] = 0.5
    want = 0.5 * spec.values[:, i, 2] + 0.5 * spec.values[:, j, 0]
    assert responses.face_value(spec, w, levels)[1] == pytest.approx(want)


def test_package_loops_are_the_numpy_formulas(jerusalem_spec, round_one):
    spec = jerusalem_spec
    st, val, levels, seqs = round_one
    assert np.array_equal(offers.committing(spec, levels), committing_numpy(spec, levels))
    assert spec.limits
    assert np.array_equal(responses.crossed(spec, levels, seqs), crossed_numpy(spec, levels, seqs))
    one, seq = levels[:, 3], seqs[:, 3]
    assert np.array_equal(responses.crossed(spec, one, seq), crossed_numpy(spec, one, seq))
    w_all = val.w_all
    assert same_bits(responses.face_value(spec, w_all, one), face_value_numpy(spec, w_all, one))
    assert same_bits(
        bargaining.observer_salience(spec, w_all), observer_salience_numpy(spec, w_all)
    )
    args = (spec, st.params, w_all, val.frac, val.actors)
    assert same_bits(bargaining.expected_price(*args), expected_price_numpy(*args))


def test_expected_price_by_hand(jerusalem_spec, round_one):
    # price = promise_cost * sigma * L * (1 - frac) / (n_levels - 1): Russia promising level L
    # of Iran's withdrawal (4 levels) it expects to deliver 60% of, at cost 0.5, pays
    # 0.5 * sigma * L * 0.4 / 3 (sigma: the other negotiators' mean weight on the issue).
    spec = jerusalem_spec
    st, val, _, _ = round_one
    russia, i = spec.actor_ids.index("russia"), spec.issue_ids.index("iran_withdrawal")
    assert spec.n_levels[i] == 4
    frac = np.full((1, 1, spec.n_issues, 4), 0.6)
    p = {"promise_cost": np.full((1, spec.n_actors), 0.5)}
    w_all = val.w_all[:1]
    sigma = bargaining.observer_salience(spec, w_all)[0, i]
    price = bargaining.expected_price(spec, p, w_all, frac, np.array([russia]))
    assert price[0, 0, i] == pytest.approx(
        [0.0, 0.5 * sigma * 1 * 0.4 / 3, 0.5 * sigma * 2 * 0.4 / 3, 0.5 * sigma * 3 * 0.4 / 3]
    )
    assert (price[0, 0, spec.is_action == 0] == 0).all()


def sum_last_numpy(x):
    total = x[..., 0]
    for k in range(1, x.shape[-1]):
        total = total + x[..., k]
    return total


def test_sum_last_by_hand():
    # 0.1 + 0.2 + 0.3 in that order is 0.6000000000000001, not the 0.6 of 0.3 + 0.2 + 0.1.
    x = np.array([[0.1, 0.2, 0.3], [0.3, 0.2, 0.1]])
    assert sum_last(x).tolist() == [0.1 + 0.2 + 0.3, 0.6]


@settings(max_examples=50, deadline=None)
@given(hnp.arrays(np.float64, hnp.array_shapes(min_dims=1, max_dims=4, max_side=5)))
def test_sum_last_adds_in_order(x):
    with np.errstate(over="ignore", invalid="ignore"):
        assert same_bits(np.asarray(sum_last(x)), np.asarray(sum_last_numpy(x)))
        assert same_bits(np.asarray(sum_last(x.T)), np.asarray(sum_last_numpy(x.T)))


def test_position_values_by_hand_and_as_interp_level(jerusalem_spec):
    spec = jerusalem_spec
    i = spec.issue_ids.index("iran_withdrawal")
    position = np.zeros((3, spec.n_issues))
    position[:, i] = [0.0, 1.5, 3.0]
    got = utility.position_values(spec, position)
    v = spec.values[:, i]
    # Half-way between levels 1 and 2 is the mean of their values; the top level is itself.
    assert got[1, :, i] == pytest.approx((v[:, 1] + v[:, 2]) / 2)
    assert got[2, :, i].tolist() == v[:, 3].tolist() and got[0, :, i].tolist() == v[:, 0].tolist()
    position = np.random.default_rng(3).random((50, spec.n_issues)) * (spec.n_levels - 1)
    table = np.broadcast_to(spec.values[None], (50, *spec.values.shape))
    where = np.broadcast_to(position[:, None, :], table.shape[:3])
    assert same_bits(utility.position_values(spec, position), interp_level(table, where))


def test_no_deal_value_by_hand_and_as_numpy(jerusalem_spec):
    spec = jerusalem_spec
    w = utility.weights(sample_params(spec, np.arange(40)), spec)
    shift = np.linspace(-0.1, 0.1, 40)[:, None]
    want = sum_last(w * spec.values[None, :, :, 0]) + shift
    assert same_bits(bargaining.no_deal_value(spec, w, shift), want)
    # All weight on one issue: the no-deal value is that issue's status-quo value plus the shift.
    one = np.zeros((1, spec.n_actors, spec.n_issues))
    one[:, :, 2] = 1.0
    got = bargaining.no_deal_value(spec, one, np.full((1, spec.n_actors), 0.05))
    assert got[0] == pytest.approx(spec.values[:, 2, 0] + 0.05)
