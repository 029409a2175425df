"""Reference points of a negotiation (summit.analysis.reference), checked by hand."""

import doctest

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from summit.analysis import reference
from summit.analysis.reference import (
    condorcet_level,
    distance_to,
    egalitarian,
    individually_rational,
    kalai_smorodinsky,
    nash_bargaining,
    pairwise_vote_matrix,
    pareto_efficient,
    utilitarian,
    weighted_mean_level,
)


def brute_force_efficient(U: np.ndarray) -> np.ndarray:
    """O(P^2) definition of Pareto efficiency, straight from the text."""
    U = np.asarray(U, dtype=float)
    at_least = (U[None, :, :] >= U[:, None, :]).all(axis=2)  # [p, q]: q >= p everywhere
    better = (U[None, :, :] > U[:, None, :]).any(axis=2)  # [p, q]: q > p somewhere
    return ~(at_least & better).any(axis=1)


def test_docstring_examples():
    failures, _ = doctest.testmod(reference, extraglobs={"np": np})
    assert failures == 0


# --------------------------------------------------------------------------- Pareto


def test_pareto_small_hand_case():
    U = np.array(
        [
            [3.0, 1.0],  # efficient
            [1.0, 3.0],  # efficient
            [2.0, 2.0],  # efficient
            [1.0, 1.0],  # dominated by (2, 2)
            [2.0, 2.0],  # duplicate of an efficient package: still efficient
            [3.0, 0.0],  # dominated by (3, 1): equal for actor 0, worse for actor 1
            [0.0, 3.5],  # efficient: nobody else gives actor 1 as much
        ]
    )
    assert pareto_efficient(U).tolist() == [True, True, True, False, True, False, True]


def test_pareto_edge_shapes():
    assert pareto_efficient(np.empty((0, 3))).shape == (0,)
    assert pareto_efficient([[1.0, 2.0]]).tolist() == [True]
    # One actor: only the packages with the top utility survive.
    assert pareto_efficient([[1.0], [3.0], [2.0], [3.0]]).tolist() == [False, True, False, True]


@pytest.mark.parametrize(
    ("packages", "actors", "integer"),
    [(500, 2, False), (800, 3, False), (600, 6, False), (700, 4, True), (400, 6, True)],
)
def test_pareto_matches_brute_force_on_random_tables(packages, actors, integer):
    rng = np.random.default_rng(packages * 10 + actors)
    if integer:  # few distinct values: many ties, duplicates and equal sums
        U = rng.integers(0, 4, size=(packages, actors)).astype(float)
    else:
        U = rng.normal(size=(packages, actors))
    np.testing.assert_array_equal(pareto_efficient(U), brute_force_efficient(U))


def test_pareto_matches_brute_force_on_an_additive_package_table():
    # Packages as every combination of levels of 4 issues, utilities additive
    # over issues: the shape of the game's own tables.
    rng = np.random.default_rng(7)
    levels = [rng.normal(size=(6, 5)) for _ in range(4)]
    grid = np.stack(np.meshgrid(*[np.arange(6)] * 4, indexing="ij"), axis=-1).reshape(-1, 4)
    U = sum(levels[i][grid[:, i]] for i in range(4))
    assert U.shape == (1296, 5)
    np.testing.assert_array_equal(pareto_efficient(U), brute_force_efficient(U))


def test_pareto_large_table_agrees_with_a_dominance_check():
    # Too large for the O(P^2) check: verify efficient rows are not dominated
    # by anything, and inefficient rows are dominated by some efficient row.
    rng = np.random.default_rng(3)
    U = rng.random((20_000, 5))
    mask = pareto_efficient(U)
    front = U[mask]
    assert 100 < len(front) < 3_000
    for block in np.array_split(np.arange(len(U)), 20):
        rows = U[block][:, None, :]
        dominated = ((front >= rows).all(axis=2) & (front > rows).any(axis=2)).any(axis=1)
        np.testing.assert_array_equal(dominated, ~mask[block])


# --------------------------------------------------------------------------- bargaining

# Two actors bargaining over six packages.
TWO_ACTORS = np.array(
    [
        [1.0, 9.0],
        [4.0, 7.0],
        [6.0, 5.0],
        [8.0, 2.0],
        [9.0, 0.5],
        [3.0, 3.0],
    ]
)


def test_nash_two_actors_by_hand():
    # d = (1, 1). Package 0 gives actor 0 exactly 1: no strict gain, excluded;
    # package 4 leaves actor 1 below 1, excluded. Products of gains:
    #   p1: (4-1)(7-1) = 3*6 = 18
    #   p2: (6-1)(5-1) = 5*4 = 20   <- largest
    #   p3: (8-1)(2-1) = 7*1 = 7
    #   p5: (3-1)(3-1) = 2*2 = 4
    assert nash_bargaining(TWO_ACTORS, np.array([1.0, 1.0])) == 2
    # d = (0, 4): only p0, p1, p2 leave actor 1 above 4.
    #   p0: 1*5 = 5,  p1: 4*3 = 12  <- largest,  p2: 6*1 = 6
    assert nash_bargaining(TWO_ACTORS, np.array([0.0, 4.0])) == 1
    assert individually_rational(TWO_ACTORS, [0.0, 4.0]).tolist() == [
        True,
        True,
        True,
        False,
        False,
        False,
    ]


def test_nash_none_and_ties():
    # Nobody beats a walk-away of 10 for actor 0.
    assert nash_bargaining(TWO_ACTORS, np.array([10.0, 0.0])) is None
    # (2, 3) and (3, 2) both give 6: the lower index wins.
    assert nash_bargaining(np.array([[2.0, 3.0], [3.0, 2.0]]), np.zeros(2)) == 0


def test_nash_is_scale_free_and_survives_huge_utilities():
    # Products of gains near 1e600 overflow float64; the result must not care.
    U = TWO_ACTORS * 1e300
    assert nash_bargaining(U, np.array([1e300, 1e300])) == 2


# Frontier where the relative (Kalai-Smorodinsky) and absolute (egalitarian)
# compromises differ, with d = (0, 0):
#
#   pkg   U         KS: min(U0/10, U1/5)   egalitarian: min(U0, U1)   Nash: U0*U1
#   p0  (10, 1)     min(1.0, 0.2) = 0.2    1                          10
#   p1  ( 8, 2)     min(0.8, 0.4) = 0.4    2                          16
#   p2  ( 6, 3)     min(0.6, 0.6) = 0.6 *  3                          18 *
#   p3  ( 4, 4)     min(0.4, 0.8) = 0.4    4 *                        16
#   p4  ( 2, 5)     min(0.2, 1.0) = 0.2    2                          10
#   p5  ( 5, 2.5)   dominated by p2
#   p6  (20, 0)     not individually rational (actor 1 gains nothing), so the
#                   ideal point is (10, 5), not (20, 5)
FRONTIER = np.array(
    [
        [10.0, 1.0],
        [8.0, 2.0],
        [6.0, 3.0],
        [4.0, 4.0],
        [2.0, 5.0],
        [5.0, 2.5],
        [20.0, 0.0],
    ]
)


def test_kalai_smorodinsky_and_egalitarian_differ():
    d = np.zeros(2)
    assert kalai_smorodinsky(FRONTIER, d) == 2
    assert egalitarian(FRONTIER, d) == 3
    assert nash_bargaining(FRONTIER, d) == 2
    assert pareto_efficient(FRONTIER).tolist() == [True] * 5 + [False, True]


def test_kalai_smorodinsky_follows_the_ideal_point():
    # Raising actor 1's walk-away to 1 drops p0 (gain 0) and shifts the ideal
    # gains to (8-0, 5-1) = (8, 4). Relative gains:
    #   p1: min(8/8, 1/4) = 0.25   p2: min(6/8, 2/4) = 0.5
    #   p3: min(4/8, 3/4) = 0.5    p4: min(2/8, 4/4) = 0.25
    #   p5: (5, 1.5) is dominated by p2, so it is not a candidate.
    # p2 and p3 tie at 0.5; sums of gains are 6+2 = 8 and 4+3 = 7, so p2.
    assert kalai_smorodinsky(FRONTIER, np.array([0.0, 1.0])) == 2
    # Egalitarian: smallest gains p1 1, p2 2, p3 3, p4 2, p5 1.5 -> p3.
    assert egalitarian(FRONTIER, np.array([0.0, 1.0])) == 3


def test_egalitarian_tie_goes_to_larger_sum_then_lower_index():
    U = np.array([[3.0, 2.0], [2.0, 2.0], [2.0, 3.0], [5.0, 1.0]])
    # Smallest gains 2, 2, 2, 1; sums 5, 4, 5 -> p0 and p2 tie, p0 is lower.
    assert egalitarian(U, np.zeros(2)) == 0
    assert egalitarian(U, np.array([5.0, 0.0])) is None
    assert kalai_smorodinsky(U, np.array([5.0, 0.0])) is None


def test_utilitarian():
    # Sums 11, 10, 9, 8, 7, 7.5, 20: p6 wins even though actor 1 gets nothing.
    assert utilitarian(FRONTIER) == 6
    # Weights (1, 3): p4 gives 2 + 15 = 17, p6 gives 20 + 0 = 20, p0 13.
    assert utilitarian(FRONTIER, weights=[1.0, 3.0]) == 6
    # Weights (0, 1): p4 is the best for actor 1.
    assert utilitarian(FRONTIER, weights=[0.0, 1.0]) == 4
    with pytest.raises(ValueError):
        utilitarian(FRONTIER, weights=[1.0, -1.0])


def test_rounding_ties_never_return_a_dominated_package():
    # 1e17 + 1 + 1 and 1e17 + 1 + 2 both round to 1e17, so the sums tie, and so
    # do the smallest gains (1 and 1); yet p1 dominates p0.
    U = np.array([[1.0, 1e17, 1.0], [1.0, 1e17, 2.0]])
    assert U[0].sum() == U[1].sum()
    assert utilitarian(U) == 1
    assert egalitarian(U, np.zeros(3)) == 1


def test_distance_to():
    # Egalitarian p3 (4, 4) against Nash p2 (6, 3): sqrt(2^2 + 1^2).
    assert distance_to(FRONTIER, 3, 2) == pytest.approx(np.sqrt(5.0))
    assert distance_to(FRONTIER, 2, 2) == 0.0


def test_bad_inputs_are_rejected():
    with pytest.raises(ValueError):
        nash_bargaining(FRONTIER, np.zeros(3))
    with pytest.raises(ValueError):
        pareto_efficient(np.array([1.0, 2.0]))
    with pytest.raises(ValueError):
        egalitarian(np.array([[np.nan, 1.0]]), np.zeros(2))


# --------------------------------------------------------------------------- voting

# One issue with five levels and five actors whose utility falls with the
# distance from their preferred level (single-peaked):
#
#   actor  peak  capability  salience  weight
#   a0     0     0.8         1.0       0.8
#   a1     2     0.6         0.5       0.3
#   a2     3     0.4         0.5       0.2
#   a3     3     0.5         0.6       0.3
#   a4     4     0.4         0.5       0.2      total 1.8
PEAKS = np.array([0, 2, 3, 3, 4])
CAPABILITY = np.array([0.8, 0.6, 0.4, 0.5, 0.4])
SALIENCE = np.array([1.0, 0.5, 0.5, 0.6, 0.5])
LEVEL_VALUES = -np.abs(np.arange(5)[None, :] - PEAKS[:, None]).astype(float)


def test_weighted_mean_level_five_actors():
    # (0*0.8 + 2*0.3 + 3*0.2 + 3*0.3 + 4*0.2) / 1.8 = 2.9 / 1.8 = 1.6111...
    assert weighted_mean_level(PEAKS, CAPABILITY, SALIENCE) == pytest.approx(2.9 / 1.8)
    assert weighted_mean_level([1, 3], [1.0, 1.0], [1.0, 1.0]) == pytest.approx(2.0)
    with pytest.raises(ValueError):
        weighted_mean_level([1, 3], [1.0, 1.0], [0.0, 0.0])


def test_vote_matrix_and_condorcet_level_five_actors():
    # An actor prefers x to y when its peak lies on x's side of (x + y) / 2 and
    # abstains when the peak sits exactly on it. For example:
    #   2 vs 0: peaks above 1 (a1..a4: 1.0) against a0 (0.8)        -> +0.2
    #   2 vs 3: peaks below 2.5 (a0, a1: 1.1) against a2, a3, a4 (0.7) -> +0.4
    #   2 vs 4: a0, a1 (1.1) against a4 (0.2); a2, a3 abstain       -> +0.9
    #   0 vs 4: a0 (0.8) against a2, a3, a4 (0.7); a1 abstains      -> +0.1
    expected = np.array(
        [
            [0.0, -0.2, -0.2, -0.2, 0.1],
            [0.2, 0.0, -0.2, 0.1, 0.4],
            [0.2, 0.2, 0.0, 0.4, 0.9],
            [0.2, -0.1, -0.4, 0.0, 1.4],
            [-0.1, -0.4, -0.9, -1.4, 0.0],
        ]
    )
    margins = pairwise_vote_matrix(LEVEL_VALUES, CAPABILITY, SALIENCE)
    np.testing.assert_allclose(margins, expected, atol=1e-12)
    # Level 2 beats every other level: the weighted median (cumulative weight
    # from the left reaches 1.1 > 0.9 = half at level 2).
    assert condorcet_level(LEVEL_VALUES, CAPABILITY, SALIENCE) == 2


def test_weighted_cycle_has_no_condorcet_level():
    # a0: 0 > 1 > 2,  a1: 1 > 2 > 0,  a2: 2 > 0 > 1.
    values = np.array([[3.0, 2.0, 1.0], [1.0, 3.0, 2.0], [2.0, 1.0, 3.0]])
    equal = np.ones(3)
    # Equal weights: each level wins 2 to 1 against one level and loses 1 to 2.
    np.testing.assert_allclose(
        pairwise_vote_matrix(values, equal, equal),
        [[0.0, 1.0, -1.0], [-1.0, 0.0, 1.0], [1.0, -1.0, 0.0]],
    )
    assert condorcet_level(values, equal, equal) is None
    # Unequal weights 0.5, 0.3, 0.4 keep the cycle (no actor outweighs the other two):
    #   0 over 1: 0.5 + 0.4 - 0.3 = 0.6;  1 over 2: 0.5 + 0.3 - 0.4 = 0.4;
    #   2 over 0: 0.3 + 0.4 - 0.5 = 0.2.
    capability = np.array([0.5, 0.3, 0.4])
    margins = pairwise_vote_matrix(values, capability, equal)
    assert margins[0, 1] == pytest.approx(0.6)
    assert margins[1, 2] == pytest.approx(0.4)
    assert margins[2, 0] == pytest.approx(0.2)
    assert condorcet_level(values, capability, equal) is None
    # Give a0 more weight than the other two together and its favourite wins.
    assert condorcet_level(values, np.array([0.8, 0.3, 0.4]), equal) == 0


def test_condorcet_needs_strict_wins():
    # Two equally weighted actors with opposite favourites: a tie, no winner.
    values = np.array([[1.0, 0.0], [0.0, 1.0]])
    assert condorcet_level(values, [1.0, 1.0], [1.0, 1.0]) is None
    # An actor with zero salience does not vote.
    assert condorcet_level(values, [1.0, 1.0], [1.0, 0.0]) == 0
    # A single level wins by default.
    assert condorcet_level([[0.3], [0.1]], [1.0, 1.0], [1.0, 1.0]) == 0


# --------------------------------------------------------------------------- properties


@st.composite
def tables(draw):
    """A utility table U (P, A) and a disagreement point d (A,).

    Values come from a small grid half the time, so ties and duplicates
    (the hard cases for tie-breaking) are common.
    """
    n_packages = draw(st.integers(1, 25))
    n_actors = draw(st.integers(1, 4))
    if draw(st.booleans()):
        values = st.integers(-3, 3).map(float)
    else:
        values = st.floats(-10, 10, allow_nan=False, allow_infinity=False)
    U = draw(hnp.arrays(float, (n_packages, n_actors), elements=values))
    d = draw(hnp.arrays(float, (n_actors,), elements=values))
    return U, d


@settings(max_examples=300, deadline=None)
@given(tables())
def test_pareto_matches_brute_force(table):
    U, _ = table
    np.testing.assert_array_equal(pareto_efficient(U), brute_force_efficient(U))


@settings(max_examples=300, deadline=None)
@given(tables())
def test_solutions_are_efficient_and_rational(table):
    U, d = table
    efficient = brute_force_efficient(U)
    rational = (U > d).all(axis=1)
    for solve in (nash_bargaining, kalai_smorodinsky, egalitarian):
        chosen = solve(U, d)
        assert (chosen is None) == (not rational.any())
        if chosen is not None:
            assert efficient[chosen]
            assert rational[chosen]
    assert efficient[utilitarian(U)]


@settings(max_examples=300, deadline=None)
@given(tables())
def test_nash_gains_are_positive_and_maximal(table):
    U, d = table
    chosen = nash_bargaining(U, d)
    if chosen is None:
        return
    gains = U[chosen] - d
    assert (gains > 0).all()
    rational = (U > d).all(axis=1)
    products = np.prod(U[rational] - d, axis=1)
    assert np.prod(gains) >= products.max() * (1 - 1e-9)


@settings(max_examples=200, deadline=None)
@given(
    hnp.arrays(float, st.tuples(st.integers(1, 5), st.integers(1, 5)), elements=st.integers(0, 4)),
    st.data(),
)
def test_condorcet_level_beats_everyone(values, data):
    n_actors, n_levels = values.shape
    weights = st.floats(0, 2, allow_nan=False)
    capability = data.draw(hnp.arrays(float, (n_actors,), elements=weights))
    salience = data.draw(hnp.arrays(float, (n_actors,), elements=weights))
    margins = pairwise_vote_matrix(values, capability, salience)
    np.testing.assert_allclose(margins, -margins.T)
    winner = condorcet_level(values, capability, salience)
    beats_all = [all(margins[x, y] > 0 for y in range(n_levels) if y != x) for x in range(n_levels)]
    if winner is None:
        assert not any(beats_all)
    else:
        assert beats_all[winner]
