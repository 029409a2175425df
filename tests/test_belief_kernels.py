"""The compiled loops of credibility (rules/belief_kernels.py) against the plain numpy formulas
of rules/credibility.py: hand-worked numbers first, then the same bits as the numpy formula."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from summit.params import sample_params
from summit.rules import credibility, utility
from summit.rules.util import sum_last

# --------------------------------------------------------------------------- numpy references


def prior_numpy(belief, strength, k):
    """pi_k proportional to theta_k ** (b n - 1) * (1 - theta_k) ** ((1 - b) n - 1), in numpy."""
    theta = credibility.types(k)
    b = np.clip(belief, 1e-6, 1 - 1e-6)[..., None]
    log_w = b * (strength * (np.log(theta) - np.log1p(-theta))) + (
        (strength - 1.0) * np.log1p(-theta) - np.log(theta)
    )
    w = np.exp(log_w - log_w.max(axis=-1, keepdims=True))
    w = np.concatenate([w / sum_last(w)[..., None], np.zeros((*w.shape[:-1], 1))], axis=-1)
    certain = np.zeros(k + 1)
    certain[-1] = 1.0
    return np.where(belief[..., None] >= 1.0 - 1e-9, certain, w)


def update_numpy(belief, type_odds, levels, delivered, committed, giver, w, strength):
    """The Bayes update and the promise-keeping discount of rules/credibility.py, in numpy."""
    K = type_odds.shape[0] - 1
    top_level = type_odds.shape[-1] - 1
    d = delivered.astype(np.int64)
    at = np.take_along_axis(
        type_odds, np.broadcast_to(d[None, ..., None], (*type_odds.shape[:3], 1)), -1
    )
    nxt_index = np.minimum(d + 1, top_level)[None, ..., None]
    nxt = np.take_along_axis(type_odds, np.broadcast_to(nxt_index, (*type_odds.shape[:3], 1)), -1)
    above = np.where((d < levels)[None] & (d < top_level)[None], nxt[..., 0], 0.0)
    log_lik = np.log(np.maximum(at[..., 0] - above, 1e-12))  # (K + 1, R, I)
    pi = prior_numpy(belief, strength, K)  # (R, O, G, K + 1)
    top = np.maximum(w.max(axis=-1, keepdims=True), 1e-12)
    temper = np.where((levels > 0)[:, None, :], w / top, 0.0)  # (R, O, I)
    log_post = np.log(np.maximum(pi, 1e-300))
    short = np.where(levels > 0, np.maximum(levels - delivered, 0.0) / np.maximum(levels, 1), 0.0)
    broken = np.zeros(belief.shape)
    for i in range(levels.shape[1]):
        g = giver[i]
        step = temper[:, :, i, None] * np.moveaxis(log_lik[:, :, i], 0, -1)[:, None, :]
        log_post[:, :, g, :] = log_post[:, :, g, :] + step
        broken[:, :, g] = broken[:, :, g] + temper[:, :, i] * short[:, i, None]
    post = np.exp(log_post - log_post.max(axis=-1, keepdims=True)) * (pi > 0)
    post = post / sum_last(post)[..., None]
    changed = committed[:, None, :] & ~np.eye(belief.shape[1], dtype=bool)[None]
    inferred = np.clip(belief + credibility.mean(post) - credibility.mean(pi), 0.0, 1.0)
    return np.where(changed, inferred * strength / (strength + broken), belief)


def same_bits(a, b):
    return a.shape == b.shape and np.array_equal(a.view(np.int64), b.view(np.int64))


# --------------------------------------------------------------------------- the prior


def test_prior_by_hand():
    # Two types, theta = 0.25 and 0.75. b = 0.5, n = 2: both exponents are 0, a flat prior.
    assert credibility.prior(np.array(0.5), 2.0, 2).tolist() == [0.5, 0.5, 0.0]
    # b = 0.75, n = 4: w_k = theta_k ** 2 * (1 - theta_k) ** 0 = (0.0625, 0.5625) -> (0.1, 0.9).
    assert credibility.prior(np.array([0.75]), 4.0, 2)[0] == pytest.approx([0.1, 0.9, 0.0])
    # Certainty puts all the weight on theta = 1, the last type.
    assert credibility.prior(np.array([[1.0]]), 4.0, 2).tolist() == [[[0.0, 0.0, 1.0]]]


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.one_of(st.floats(0.0, 1.0), st.sampled_from([0.0, 1e-7, 1 - 1e-10, 1.0])),
        min_size=1,
        max_size=30,
    ),
    st.floats(0.5, 20.0),
    st.integers(1, 9),
)
def test_prior_is_the_numpy_formula(beliefs, strength, k):
    belief = np.array(beliefs).reshape(-1, 1)
    assert same_bits(credibility.prior(belief, strength, k), prior_numpy(belief, strength, k))


# --------------------------------------------------------------------------- believed odds


@pytest.fixture(scope="module")
def jerusalem_params(jerusalem_spec):
    return sample_params(jerusalem_spec, np.arange(64))


def test_type_odds_are_the_contest_at_each_type(jerusalem_spec, jerusalem_params):
    spec, p = jerusalem_spec, jerusalem_params
    stance = np.where(np.arange(spec.n_actors) % 2 == 0, 1.0, spec.rules.compliance)
    stance = np.broadcast_to(stance, (64, spec.n_actors))
    by_type = utility.type_odds(spec, p, stance)
    thetas = credibility.support(spec.rules.willingness_types)
    for k, theta in enumerate(thetas):
        one = utility.delivery_odds(spec, p, np.full((64, spec.n_issues), theta), stance)
        assert same_bits(by_type[k], one)


def test_believed_odds_are_the_prior_mix_of_type_odds(jerusalem_spec, jerusalem_params):
    spec, p = jerusalem_spec, jerusalem_params
    p = dict(p, belief=p["belief"].copy())
    p["belief"][:5, 0, 2] = 1.0  # some observers certain of Russia
    stance = np.ones((64, spec.n_actors))
    observers = np.arange(spec.n_actors)
    got = utility.believed_odds(spec, p, stance, observers)
    true = utility.delivery_odds(spec, p, utility.giver_willingness(spec, p), stance)
    by_type = utility.type_odds(spec, p, stance)
    pi = prior_numpy(p["belief"], spec.rules.record_weight, spec.rules.willingness_types)
    for o in observers:
        for i, g in enumerate(spec.giver):
            if o == g:
                want = true[:, i]
            else:
                want = np.zeros_like(true[:, i])
                for k in range(by_type.shape[0]):  # added in the order of k, as the loop does
                    want = want + pi[:, o, g, k, None] * by_type[k, :, i]
                want[:, 0] = 1.0
            assert same_bits(got[:, o, i], want)


# --------------------------------------------------------------------------- the Bayes update


def test_update_by_hand_with_a_certain_and_an_uncommitted_observer():
    # As test_rules.test_credibility_update_by_hand: a broken promise of actor 0 seen by actor 1
    # gives 5/18. Actor 2 is certain of actor 0 (b = 1): the evidence cannot move a point mass,
    # and the broken promise still costs its reputation, 1 * 2 / (2 + 1) = 2/3. Actor 1 made no
    # promise: beliefs about it stay as they were.
    belief = np.array([[[1.0, 0.5, 0.5], [0.5, 1.0, 0.5], [1.0, 0.3, 1.0]]])
    type_odds = np.array([[[[1.0, 0.2]]], [[[1.0, 0.6]]], [[[1.0, 0.9]]]])
    args = (np.array([[1]]), np.array([[0.0]]), np.array([[True, False, False]]), np.array([0]))
    w = np.ones((1, 3, 1))
    new = credibility.update_beliefs(belief, type_odds, *args, w, 2.0)
    assert new[0, 1, 0] == pytest.approx(5 / 18)
    assert new[0, 2, 0] == pytest.approx(2 / 3)
    assert new[0, :, 1].tolist() == [0.5, 1.0, 0.3]
    assert same_bits(new, update_numpy(belief, type_odds, *args, w, 2.0))


@settings(max_examples=40, deadline=None)
@given(st.data())
def test_update_is_the_numpy_formula(data):
    R = data.draw(st.integers(1, 4))
    A = data.draw(st.integers(2, 4))
    I = data.draw(st.integers(1, 4))
    L = data.draw(st.integers(2, 4))
    K = data.draw(st.integers(1, 6))
    seed = data.draw(st.integers(0, 2**32 - 1))
    gen = np.random.default_rng(seed)
    belief = gen.choice([0.0, 0.3, 0.5, 0.9, 1.0, gen.random()], size=(R, A, A))
    odds = np.sort(gen.random((K + 1, R, I, L)), axis=-1)[..., ::-1].copy()
    odds[..., 0] = 1.0
    odds[:, :, :, -1] *= gen.random() < 0.5  # sometimes a top level that cannot be reached
    levels = gen.integers(0, L, size=(R, I))
    delivered = np.floor(gen.random((R, I)) * (levels + 1))
    committed = gen.random((R, A)) < 0.6
    giver = gen.integers(0, A, size=I)
    w = gen.random((R, A, I)) * (gen.random((R, A, I)) < 0.8)
    strength = float(gen.choice([1.0, 2.0, 4.0, 7.5]))
    args = (belief, odds, levels, delivered, committed, giver, w, strength)
    assert same_bits(credibility.update_beliefs(*args), update_numpy(*args))


def test_update_on_the_jerusalem_scenario_is_the_numpy_formula(jerusalem_spec, jerusalem_params):
    spec, p = jerusalem_spec, jerusalem_params
    gen = np.random.default_rng(5)
    levels = gen.integers(0, spec.n_levels[None], size=(64, spec.n_issues))
    delivered = np.floor(gen.random(levels.shape) * (levels + 1))
    stance = np.where(gen.random((64, spec.n_actors)) < 0.5, 1.0, spec.rules.compliance)
    w = utility.weights(p, spec)
    committed = gen.random((64, spec.n_actors)) < 0.7
    args = (
        p["belief"],
        utility.type_odds(spec, p, stance),
        levels,
        delivered,
        committed,
        spec.giver,
        w,
        spec.rules.record_weight,
    )
    assert same_bits(credibility.update_beliefs(*args), update_numpy(*args))


def test_update_played_run_by_run_is_the_update_with_all_type_odds(
    jerusalem_spec, jerusalem_params
):
    spec, p = jerusalem_spec, jerusalem_params
    gen = np.random.default_rng(8)
    levels = gen.integers(0, spec.n_levels[None], size=(64, spec.n_issues))
    delivered = np.floor(gen.random(levels.shape) * (levels + 1))
    stance = np.where(gen.random((64, spec.n_actors)) < 0.5, 1.0, spec.rules.compliance)
    w = utility.weights(p, spec)
    committed = gen.random((64, spec.n_actors)) < 0.7
    committed[:3] = False  # runs without a deal keep their beliefs
    by_type = utility.type_odds(spec, p, stance)
    args = (levels, delivered, committed, spec.giver, w, spec.rules.record_weight)
    want = credibility.update_beliefs(p["belief"], by_type, *args)
    got = utility.updated_beliefs(spec, p, stance, levels, delivered, committed, w)
    assert same_bits(got, want)
    assert same_bits(got[:3], p["belief"][:3])
