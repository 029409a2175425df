"""Compiled or rewritten loops against the plain numpy formulas they replaced: hand-worked
numbers first, then the same bits as the numpy formula."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis.extra import numpy as hnp

from summit.params import sample_params
from summit.rules import utility
from summit.rules.util import max_last, sum_last


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
