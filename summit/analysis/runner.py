"""Play a design of runs (seeds plus per-run parameter overrides) and keep a few columns.

Maps and sensitivity analyses play one long list of runs, each with its own seed and its own
values of the parameters being varied. This module plays that list through the batch engine's
executor (``summit.batch.execute``: one process pool for the whole design, chunks dispatched
with their seeds and override slices) and keeps only the columns asked for, placed by run
index as chunks arrive, so memory stays at a few columns whatever the number of runs.
Nothing here is a rule: every run is ``game.play`` via ``summit.batch.engine``.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable

import numpy as np

from summit import outcomes, overrides
from summit.batch import execute
from summit.batch.engine import chunk_bounds
from summit.errors import UsageError
from summit.params import parameter_names
from summit.scenario import Spec

DEFAULT_CHUNK = 2048


def check_parameter(spec: Spec, name: str, option: str = "parameter") -> str:
    """``name`` if it is a parameter of the scenario, else a UsageError listing the valid ones."""
    names = parameter_names(spec) + overrides.group_names(spec)  # groups: russia.willingness, ...
    if name in names:
        return name
    raise UsageError(_unknown(option, name, names))


def check_outcome(spec: Spec, name: str, option: str = "outcome") -> str:
    """``name`` if it is an outcome column of the scenario, else a UsageError listing them."""
    names = outcome_list(spec)
    if name in names:
        return name
    raise UsageError(_unknown(option, name, names))


def _unknown(what: str, name: str, valid: list[str]) -> str:
    close = difflib.get_close_matches(name, valid, n=3, cutoff=0.6)
    hint = f"; did you mean {' or '.join(close)}?" if close else ""
    return f"unknown {what} '{name}'{hint} (valid: {', '.join(valid)})"


def outcome_kinds(spec: Spec) -> dict[str, str]:
    """Every outcome column of the scenario with its numpy dtype kind ('b' for true/false,
    'i' for levels and counts, 'f' for amounts), as ``outcomes.schema`` declares them."""
    return {name: dtype.kind for name, dtype in outcomes.schema(spec).items()}


def outcome_list(spec: Spec) -> list[str]:
    """The scenario's outcome column names."""
    return list(outcome_kinds(spec))


def play_design(
    spec: Spec,
    seeds: np.ndarray,
    overrides: dict[str, np.ndarray] | None,
    keep: list[str],
    *,
    jobs: int | None = 1,
    chunk: int = DEFAULT_CHUNK,
    on_chunk: Callable[[int, int], None] | None = None,
) -> dict[str, np.ndarray]:
    """Play run k with seed ``seeds[k]`` and parameters ``overrides[name][k]``; return the
    columns named in ``keep`` (float64, one value per run, in run order).

    ``jobs``: worker processes (None: every core, 1: this process).
    """
    seeds = np.asarray(seeds, dtype=np.int64)
    total = len(seeds)
    if total == 0:
        return {name: np.zeros(0) for name in keep}
    out = {name: np.full(total, np.nan) for name in keep}
    bounds = [(k, a, b) for k, (a, b) in enumerate(chunk_bounds(total, max(1, chunk)))]
    done = 0
    with execute.executor(jobs) as (pool, width):
        for _, cols in execute.played(
            spec, 0, bounds, overrides=overrides, pool=pool, width=width, seeds=seeds
        ):
            where = np.asarray(cols["run"], dtype=np.int64)
            for name in keep:
                out[name][where] = np.asarray(cols[name], dtype=np.float64)
            done += len(where)
            if on_chunk:
                on_chunk(done, total)
    return out


def cell_means(values: np.ndarray, cells: int) -> tuple[np.ndarray, np.ndarray]:
    """Mean and standard error of each cell of ``values`` laid out cell by cell (equal runs
    each)."""
    v = np.asarray(values, dtype=np.float64).reshape(cells, -1)
    n = v.shape[1]
    mean = v.mean(axis=1)
    se = v.std(axis=1, ddof=1) / np.sqrt(n) if n > 1 else np.full(cells, np.nan)
    return mean, se
