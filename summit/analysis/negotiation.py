"""The negotiation's reference points at the start of a summit, from the rules' own valuations.

At the start of round 1 each actor values every package by its expected utility (the rules'
``game.valuation``: delivery odds, beliefs in the givers' promises, sequencing). This module
enumerates every package a scenario allows (every level of every issue, times each allowed
sequencing; about 210,000 for jerusalem-2019) in vectorised chunks, asks the rules for each
actor's expected utility of each (``offers.evaluate``), and hands the table to the pure
reference-point math of ``summit.analysis.reference``: the Pareto-efficient packages, the Nash
bargaining solution, Kalai-Smorodinsky, egalitarian and utilitarian packages, and per issue
the capability x salience weighted mean of the preferred levels and the Condorcet level.

The bargaining solutions are computed over the *parties*: actors at the table and every actor
who would have to give something (``offers.pool``), with their walk-away values as the
disagreement point. Actors away from the table are shown but do not bargain.

    ref = reference_points(spec)                  # mean parameters
    print(reference_text.render(ref))
    distance_from_nash(spec, state_or_params, levels, sequencing)
"""

from __future__ import annotations

import hashlib
from collections import OrderedDict
from dataclasses import dataclass

import numpy as np

from summit.analysis import reference as refmath
from summit.analysis.packages import decode, encode, encode_many, package_count
from summit.analysis.reference_text import short_package
from summit.params import override, sample_params
from summit.rules import events as ev_rules
from summit.rules import game, offers
from summit.scenario import SEQUENCINGS, Distribution, Spec

CHUNK = 16_384
MAX_PACKAGES = (
    5_000_000  # a utility table of (P, A) floats; beyond this, enumerating is not the tool
)


# --------------------------------------------------------------------------- starting valuations


def mean_params(spec: Spec) -> dict[str, np.ndarray]:
    """Parameters of one run with every distribution at its mean, shaped (1, ...)."""
    params = sample_params(spec, np.zeros(1, dtype=np.int64))
    means = {
        slot.name: slot.value.mean()
        for slot in spec.sampled_slots()
        if isinstance(slot.value, Distribution)
    }
    return override(spec, params, means) if means else params


def opening_state(spec: Spec, seed: int | None = None) -> tuple[game.State, list[str]]:
    """The state at the start of round 1 and the events that opened it.

    With a seed: that run's sampled parameters and round-1 events (``game.open_round``).
    Without: mean parameters and only the events scheduled for round 1 (random events are
    left out of a "typical" start).
    """
    if seed is not None:
        state = game.start(spec, np.array([seed], dtype=np.int64))
        state, happened = game.open_round(spec, state)
    else:
        state = game.start(spec, np.zeros(1, dtype=np.int64), mean_params(spec))
        state, happened = game.open_round(spec, state, events=ev_rules.scheduled_events(spec, 1, 1))
    fired = [ev.id for ev in spec.events if happened[0, ev.index]]
    return state, fired


def _as_state(spec: Spec, state_or_params) -> game.State:
    if isinstance(state_or_params, game.State):
        state = state_or_params
    else:
        params = {k: np.asarray(v) for k, v in state_or_params.items()}
        runs = len(next(iter(params.values())))
        state = game.start(spec, np.zeros(runs, dtype=np.int64), params)
    if state.runs != 1:
        raise ValueError(f"reference points are for one run at a time (got {state.runs} runs)")
    return state


def all_valuations(spec: Spec, state: game.State) -> game.Valuation:
    """The rules' round valuation (``game.valuation``) for every actor, at the table or not."""
    return game.valuation(spec, state, np.arange(spec.n_actors))


# --------------------------------------------------------------------------- the table


def utility_table(spec: Spec, state: game.State, chunk: int = CHUNK) -> np.ndarray:
    """Every actor's expected utility of every package at this state: (P, A)."""
    val = all_valuations(spec, state)
    total = package_count(spec)
    out = np.empty((total, spec.n_actors))
    for start in range(0, total, chunk):
        index = np.arange(start, min(start + chunk, total))
        levels, seq = decode(spec, index)
        out[start : start + len(index)] = offers.evaluate(
            spec, val.ev, val.frac, val.w, levels[None], seq[None], val.actors
        )[0]
    return out


def efficient_mask(U: np.ndarray, elite: int = 4096, chunk: int = 8192) -> np.ndarray:
    """``reference.pareto_efficient(U)``, faster on large tables: packages dominated by one of a
    few strong packages are set aside first, and the rest go to ``pareto_efficient``.

    Exact: the elite are the efficient packages among the ``elite`` largest sums; a package
    one of them dominates is not efficient, and every package that is dominated at all is
    dominated by an efficient package (dominance is transitive), which survives the filter,
    so the efficient set of the survivors is the efficient set of the whole table.
    """
    U = np.asarray(U, dtype=float)
    if len(U) <= 2 * elite:
        return refmath.pareto_efficient(U)
    top = np.argsort(-U.sum(axis=1), kind="stable")[:elite]
    strong = U[top[refmath.pareto_efficient(U[top])]][None]  # (1, E, A)
    keep = np.ones(len(U), dtype=bool)
    for start in range(0, len(U), chunk):
        u = U[start : start + chunk][:, None, :]
        keep[start : start + chunk] = ~((strong >= u).all(axis=2) & (strong > u).any(axis=2)).any(
            axis=1
        )
    survivors = np.flatnonzero(keep)
    out = np.zeros(len(U), dtype=bool)
    out[survivors[refmath.pareto_efficient(U[survivors])]] = True
    return out


def parties(spec: Spec) -> np.ndarray:
    """Actors who bargain: at the table, or giving something (``offers.pool``); (A,) bool."""
    return offers.pool(spec)


# --------------------------------------------------------------------------- reference points


@dataclass(frozen=True)
class Solution:
    name: str
    index: int | None  # package number, None when no package is individually rational
    levels: np.ndarray | None
    sequencing: int | None
    utility: np.ndarray | None  # (A,) every actor's expected utility


@dataclass(frozen=True)
class IssueVote:
    """Bueno de Mesquita's forecast of one issue: weights are capability x salience as the
    scenario gives it (not normalised per actor). The ``_normalised`` variants weigh by each
    actor's share of its own salience instead (what this tool printed before issue 8)."""

    issue: str
    preferred: np.ndarray  # (A,) each actor's preferred level
    weight: np.ndarray  # (A,) capability x salience
    mean_level: float | None
    condorcet: int | None
    margins: np.ndarray  # (L, L) pairwise vote margins
    mean_level_normalised: float | None = None
    condorcet_normalised: int | None = None


@dataclass(frozen=True)
class ReferencePoints:
    spec: Spec
    seed: int | None
    events: list[str]
    parties: np.ndarray  # (A,) bool
    walk_away: np.ndarray  # (A,)
    status_quo: np.ndarray  # (A,) utility of the package that changes nothing (on promise)
    utility: np.ndarray  # (P, A)
    efficient: np.ndarray  # (P,) bool, Pareto-efficient among the parties
    rational: np.ndarray  # (P,) bool, every party above its walk-away value
    solutions: dict[str, Solution]
    votes: list[IssueVote]

    @property
    def packages(self) -> int:
        return len(self.utility)

    def best_efficient(self, n: int = 5) -> list[int]:
        """Efficient packages, those leaving every party above its walk-away value first, by the
        parties' total utility."""
        idx = np.flatnonzero(self.efficient)
        total = self.utility[idx][:, self.parties].sum(axis=1)
        order = np.lexsort((-total, ~self.rational[idx]))
        return [int(i) for i in idx[order[:n]]]


def _solution(spec: Spec, name: str, index: int | None, U: np.ndarray) -> Solution:
    if index is None:
        return Solution(name, None, None, None, None)
    levels, seq = decode(spec, np.array([index]))
    return Solution(name, int(index), levels[0], int(seq[0]), U[index])


def issue_votes(spec: Spec, state: game.State) -> list[IssueVote]:
    """Per issue: preferred levels, capability x salience weighted mean, Condorcet level and
    pairwise vote margins (Bueno de Mesquita: salience as given), and the normalised variant."""
    val = all_valuations(spec, state)
    ev, w = val.ev[0], val.w[0]  # (A, I, L), (A, I)
    raw = state.params["salience"][0]  # (A, I) as the scenario gives it
    cap = state.params["capability"][0]
    votes = []
    for i, issue in enumerate(spec.issue_ids):
        n = int(spec.n_levels[i])
        table = ev[:, i, :n]  # (A, n)
        preferred = table.argmax(axis=1)
        mean, mean_normalised = (_mean_level(preferred, cap, sal) for sal in (raw[:, i], w[:, i]))
        margins = refmath.pairwise_vote_matrix(table, cap, raw[:, i])
        votes.append(
            IssueVote(
                issue,
                preferred,
                cap * raw[:, i],
                mean,
                refmath.condorcet_level(table, cap, raw[:, i]),
                margins,
                mean_normalised,
                refmath.condorcet_level(table, cap, w[:, i]),
            )
        )
    return votes


def _mean_level(preferred, cap, salience) -> float | None:
    try:
        return refmath.weighted_mean_level(preferred, cap, salience)
    except ValueError:
        return None


def reference_points(
    spec: Spec,
    seed: int | None = None,
    state: game.State | None = None,
    party_mask: np.ndarray | None = None,
) -> ReferencePoints:
    """Every reference point of the negotiation at the start of round 1 (mean parameters, or
    run ``seed``'s), or at a given state."""
    total = package_count(spec)
    if total > MAX_PACKAGES:
        from summit.errors import UsageError

        raise UsageError(
            f"{spec.scenario.id} allows {total:,} packages, more than the {MAX_PACKAGES:,} "
            "analyze enumerates (fewer issues or levels, or one sequencing, bring it down)"
        )
    fired: list[str] = []
    if state is None:
        state, fired = opening_state(spec, seed)
    state = _as_state(spec, state)
    U = utility_table(spec, state)
    who = parties(spec) if party_mask is None else np.asarray(party_mask, dtype=bool)
    d = state.params["walk_away"][0]
    Up, dp = U[:, who], d[who]
    efficient = efficient_mask(Up)
    rational = refmath.individually_rational(Up, dp)
    sols = {
        "Nash bargaining": refmath.nash_bargaining(Up, dp),
        "Kalai-Smorodinsky": refmath.kalai_smorodinsky(Up, dp),
        "egalitarian": refmath.egalitarian(Up, dp),
        "utilitarian": refmath.utilitarian(Up),
    }
    status_quo = U[encode(spec, np.zeros(spec.n_issues), spec.sequencings[0])]
    return ReferencePoints(
        spec=spec,
        seed=seed,
        events=fired,
        parties=who,
        walk_away=d,
        status_quo=status_quo,
        utility=U,
        efficient=efficient,
        rational=rational,
        solutions={k: _solution(spec, k, v, U) for k, v in sols.items()},
        votes=issue_votes(spec, state),
    )


def distance_from_nash(spec: Spec, state_or_params, levels, sequencing: int) -> float:
    """Utility-space distance of a package from the Nash bargaining solution.

    ``state_or_params``: a ``game.State`` of one run (valued as it stands, e.g. at round 1), or
    a parameter dict with a leading run axis of length 1 (valued as given, no events). The
    distance is Euclidean over the parties' expected utilities (``parties``). Returns nan when
    no package leaves every party above its walk-away value (there is no Nash solution).
    The utility table of the last few states is cached, so asking about several packages of
    one state enumerates the packages once.
    """
    state = _as_state(spec, state_or_params)
    Up, nash = _nash_table(spec, state)
    if nash is None:
        return float("nan")
    return refmath.distance_to(Up, encode(spec, levels, sequencing), nash)


def nash_package(spec: Spec, state_or_params) -> tuple[np.ndarray, int] | None:
    """The Nash bargaining solution as (levels (I,), sequencing), or None when there is none."""
    _, nash = _nash_table(spec, _as_state(spec, state_or_params))
    if nash is None:
        return None
    levels, seq = decode(spec, np.array([nash]))
    return levels[0], int(seq[0])


def nash_distances(spec: Spec, state_or_params, levels, sequencing) -> np.ndarray:
    """Utility-space distances of many packages (levels (R, I), sequencing (R,)) from the Nash
    solution of one state (nan when there is none): for a batch's deals at mean parameters."""
    Up, nash = _nash_table(spec, _as_state(spec, state_or_params))
    index = encode_many(spec, levels, sequencing)
    if nash is None:
        return np.full(len(index), np.nan)
    return np.sqrt(((Up[index] - Up[nash]) ** 2).sum(axis=1))


def deal_vs_nash(spec: Spec, seed: int, outcome) -> dict | None:
    """For a finished game's outcome record: its deal's distance from the Nash solution at the
    start of the run's round 1 (its sampled parameters and round-1 events, as `summit analyze
    --seed` values them), and that solution in short form. None without a deal."""
    if not outcome.deal:
        return None
    state, _ = opening_state(spec, seed)
    found = nash_package(spec, state)
    if found is None:
        return {"distance": None, "package": None}
    levels = [outcome.agreed[i] for i in spec.issue_ids]
    distance = distance_from_nash(spec, state, levels, SEQUENCINGS.index(outcome.sequencing))
    return {
        "distance": round(float(distance), 4),
        "package": short_package(spec, *found),
        "levels": [int(x) for x in found[0]],
        "sequencing": SEQUENCINGS[int(found[1])],
    }


_NASH_CACHE: OrderedDict[tuple, tuple[np.ndarray, int | None]] = OrderedDict()


def _nash_table(spec: Spec, state: game.State) -> tuple[np.ndarray, int | None]:
    digest = hashlib.sha1()
    for name in sorted(state.params):
        digest.update(name.encode())
        digest.update(np.ascontiguousarray(state.params[name]).tobytes())
    key = (id(spec), spec.actor_ids, spec.issue_ids, state.round, digest.hexdigest())
    if key in _NASH_CACHE:
        _NASH_CACHE.move_to_end(key)
        return _NASH_CACHE[key]
    who = parties(spec)
    Up = utility_table(spec, state)[:, who]
    value = (Up, refmath.nash_bargaining(Up, state.params["walk_away"][0][who]))
    _NASH_CACHE[key] = value
    while len(_NASH_CACHE) > 4:
        _NASH_CACHE.popitem(last=False)
    return value
