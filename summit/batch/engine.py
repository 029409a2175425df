"""One chunk of runs as table columns, by either engine.

A chunk is a slice ``start..stop`` of a batch's run indices with the run seeds already derived
from (batch seed, run index) by ``summit.rng.run_seeds``: the seeds are fixed before dispatch,
so a row never depends on the chunk it fell in, the process that played it or the engine.

The columns of a chunk, in order: ``run`` (index in the batch), ``run_seed``, every sampled
parameter (``params.sampled_columns``), every outcome (``outcomes.outcome_columns``).
"""

from __future__ import annotations

import numpy as np

from summit import outcomes
from summit.outcomes import outcome_columns
from summit.params import override, sample_params, sampled_columns, sampled_schema
from summit.rules import game
from summit.scenario import Spec

ENGINES = ("array", "mesa")  # array: game.play over the whole chunk; mesa: one SummitModel a run


def chunk_bounds(runs: int, chunk: int, start: int = 0) -> list[tuple[int, int]]:
    """The (start, stop) run ranges of a batch cut into chunks of ``chunk`` runs."""
    return [(a, min(a + chunk, start + runs)) for a in range(start, start + runs, chunk)]


def slice_overrides(overrides: dict | None, lo: int, hi: int) -> dict | None:
    """Overrides for runs lo..hi-1: a float stays, a per-run array of the batch is cut."""
    if not overrides:
        return None
    return {k: v if np.ndim(v) == 0 else np.asarray(v)[lo:hi] for k, v in overrides.items()}


def table_schema(spec: Spec) -> dict[str, np.dtype]:
    """The columns ``play_chunk`` returns, in order, with their dtypes: declared, not played."""
    runs = {"run": np.dtype(np.int64), "run_seed": np.dtype(np.int64)}
    return {**runs, **sampled_schema(spec), **outcomes.schema(spec)}


def play_chunk(
    spec: Spec, start: int, seeds: np.ndarray, engine: str = "array", overrides: dict | None = None
) -> dict[str, np.ndarray]:
    """Play runs ``start, start+1, ...`` with the given run seeds; return the table columns.

    ``overrides`` maps parameter names to a float or to one value per run of this chunk (see
    ``params.override``); rows made with overrides replay only with the same overrides.
    """
    seeds = np.asarray(seeds, dtype=np.int64)
    if engine == "array":
        cols = _array_columns(spec, seeds, overrides)
    elif engine == "mesa":
        rows = [
            _mesa_columns(spec, int(s), slice_overrides(overrides, k, k + 1))
            for k, s in enumerate(seeds)
        ]
        cols = {name: np.concatenate([r[name] for r in rows]) for name in rows[0]}
    else:
        raise ValueError(f"unknown engine '{engine}' (engines: {', '.join(ENGINES)})")
    run = np.arange(start, start + len(seeds), dtype=np.int64)
    return {"run": run, "run_seed": seeds, **cols}


def _array_columns(spec: Spec, seeds: np.ndarray, overrides: dict | None) -> dict[str, np.ndarray]:
    params = sample_params(spec, seeds)
    if overrides:
        params = override(spec, params, overrides)
    state, result = game.play(spec, seeds, params)
    return {**sampled_columns(spec, state.initial), **outcome_columns(spec, state, result)}


def _mesa_columns(spec: Spec, seed: int, overrides: dict | None) -> dict[str, np.ndarray]:
    from summit.model import SummitModel  # mesa is imported only by the reference engine

    seeds = np.array([seed])
    params = override(spec, sample_params(spec, seeds), overrides) if overrides else None
    model = SummitModel(spec, seed, params=params)
    model.run()
    return {
        **sampled_columns(spec, model.state.initial),
        **outcome_columns(spec, model.state, model.result),
    }


def work(
    spec: Spec, index: int, start: int, seeds: np.ndarray, engine: str, overrides: dict | None
) -> tuple[int, dict[str, np.ndarray]]:
    """The task an executor runs: chunk ``index`` of a batch."""
    return index, play_chunk(spec, start, seeds, engine, overrides)
