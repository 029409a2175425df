"""The state of R runs of a summit between rounds, and how it starts.

``State`` carries everything from one round to the next; ``start`` samples each run's parameters
from its seed; ``select_runs`` and ``merge_runs`` let the batch engine play only the runs still
negotiating. The phases that change a state are in ``summit.rules.game``.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from summit.params import sample_params
from summit.rules import bargaining
from summit.rules.checks import whole_number
from summit.rules.utility import weights
from summit.scenario import Spec

ONGOING, DEAL, DEADLINE, WALKOUT, BREAKDOWN = 0, 1, 2, 3, 4
END_REASONS = ("ongoing", "deal", "deadline", "walkout", "breakdown")


@dataclass(frozen=True)
class State:
    """Everything that carries from one round to the next, for R runs."""

    seeds: np.ndarray  # (R,) int64
    params: dict  # name -> (R, ...) current parameter values
    initial: dict  # name -> (R, ...) parameters as sampled, before any event
    round: int  # rounds opened so far
    live: np.ndarray  # (R,) still negotiating
    end_reason: np.ndarray  # (R,) one of ONGOING, DEAL, DEADLINE, WALKOUT, BREAKDOWN
    end_round: np.ndarray  # (R,) round the summit ended in (0 while ongoing)
    walked_out: np.ndarray  # (R,) actor index or -1
    levels: np.ndarray  # (R, I) agreed levels (0 without a deal)
    sequencing: np.ndarray  # (R,)
    accepted: np.ndarray  # (R, A) answers to the deal (for implementation stances)
    fired: np.ndarray  # (R, E) events that have happened
    side_made: np.ndarray  # (R, S) side offers made
    no_hope: np.ndarray  # (R, A) consecutive rounds without a zone of agreement
    first_received: np.ndarray  # (R, A) utility of the first offer received (nan before)
    best_received: np.ndarray  # (R, A) best utility received so far
    stated: np.ndarray | None = None  # (R, M) statements sent so far (rules.moves)
    said: np.ndarray | None = None  # (R, M) statements sent this round
    stance: np.ndarray | None = None  # (R, A) efforts the deal will meet (rules.moves)

    @property
    def runs(self) -> int:
        return len(self.seeds)


SEED_LIMIT = 1 << 63


def check_seed(seed) -> int:
    """A run seed: a whole number in [0, 2**63)."""
    whole = whole_number(seed) if not isinstance(seed, int) else seed
    if whole is None or not 0 <= whole < SEED_LIMIT:
        raise ValueError(f"a seed is a whole number from 0 to 2**63 - 1 (got {seed!r})")
    return whole


def start(spec: Spec, seeds, params: dict | None = None) -> State:
    seeds = np.asarray(seeds)
    if seeds.size and (
        seeds.dtype.kind not in "iu" or seeds.min() < 0 or int(seeds.max()) >= SEED_LIMIT
    ):
        raise ValueError("run seeds are whole numbers from 0 to 2**63 - 1")
    seeds = seeds.astype(np.int64)
    R, A, I = len(seeds), spec.n_actors, spec.n_issues
    params = sample_params(spec, seeds) if params is None else params
    params = bargaining.refresh(spec, params, weights(params, spec))
    return State(
        seeds=seeds,
        params=params,
        initial=params,
        round=0,
        live=np.ones(R, dtype=bool),
        end_reason=np.zeros(R, dtype=np.int8),
        end_round=np.zeros(R, dtype=np.int16),
        walked_out=np.full(R, -1, dtype=np.int16),
        levels=np.zeros((R, I), dtype=np.int64),
        sequencing=np.zeros(R, dtype=np.int64),
        accepted=np.zeros((R, A), dtype=bool),
        fired=np.zeros((R, len(spec.events)), dtype=bool),
        side_made=np.zeros((R, len(spec.side_offers)), dtype=bool),
        no_hope=np.zeros((R, A), dtype=np.int16),
        first_received=np.full((R, A), np.nan),
        best_received=np.full((R, A), -np.inf),
        stated=np.zeros((R, len(spec.statements)), dtype=bool),
        said=np.zeros((R, len(spec.statements)), dtype=bool),
        stance=np.ones((R, A)),
    )


_PER_RUN = (
    "seeds",
    "live",
    "end_reason",
    "end_round",
    "walked_out",
    "levels",
    "sequencing",
    "accepted",
    "fired",
    "side_made",
    "no_hope",
    "first_received",
    "best_received",
    "stated",
    "said",
    "stance",
)


def select_runs(st: State, rows: np.ndarray) -> State:
    """The state of some runs only (rows: indices or a boolean mask)."""
    rows = np.flatnonzero(rows) if np.asarray(rows).dtype == bool else np.asarray(rows)
    picked = {name: getattr(st, name).take(rows, axis=0) for name in _PER_RUN}
    return replace(
        st,
        params={k: v.take(rows, axis=0) for k, v in st.params.items()},
        initial={k: v.take(rows, axis=0) for k, v in st.initial.items()},
        **picked,
    )


def merge_runs(full: State, parts: list[tuple[np.ndarray, State]]) -> State:
    """``full`` with the runs at each ``rows`` replaced by its ``part``'s: (rows, part) pairs,
    merged at once so every array is copied once."""

    def put(whole: np.ndarray, some: list[np.ndarray]) -> np.ndarray:
        out = whole.copy()
        for (rows, _), values in zip(parts, some, strict=True):
            out[rows] = values
        return out

    merged = {
        name: put(getattr(full, name), [getattr(part, name) for _, part in parts])
        for name in _PER_RUN
    }
    return replace(
        full,
        params={k: put(v, [part.params[k] for _, part in parts]) for k, v in full.params.items()},
        round=max([full.round, *(part.round for _, part in parts)]),
        **merged,
    )
