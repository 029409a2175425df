"""Batch Monte Carlo: many whole summits, every one replayable by its run seed.

Run i of a batch with seed S plays with run seed ``rng.run_seeds(S, i, i+1)``, derived before
any chunk is dispatched, so the table is the same whatever the number of jobs, the chunk size,
the executor (local processes or Dask) or the engine (``array``: ``game.play`` over a whole
chunk; ``mesa``: one ``SummitModel`` a run, the reference path). ``summit run SCENARIO --seed
<run_seed>`` replays any row.

    cols = simulate(spec, 10_000, seed=1)            # dict of columns in memory
    s = summarize(cols, spec)
    s.frequency("deal")                              # (share, low, high), 95% Wilson
    write_batch("scenarios/jerusalem-2019.toml", 1_000_000, seed=1, out="results.parquet")

Modules: ``engine`` (a chunk as columns), ``execute`` (executors, dispatch), ``store``
(parts, manifest, resume, final file), ``summary`` (streaming counts and quantiles),
``runner`` (``simulate``, ``write_batch``).
"""

import sys
import types

from summit.batch.engine import ENGINES, chunk_bounds, play_chunk
from summit.batch.runner import DEFAULT_CHUNK, BatchReport, columns, simulate, write_batch
from summit.batch.summary import Summary, summarize, wilson

__all__ = [
    "ENGINES",
    "DEFAULT_CHUNK",
    "BatchReport",
    "Summary",
    "chunk_bounds",
    "columns",
    "play_chunk",
    "simulate",
    "summarize",
    "wilson",
    "write_batch",
]


class _CallableModule(types.ModuleType):
    """``summit.batch(spec, runs, seed)`` is the notebook API (``summit.api.batch``: a
    pandas.DataFrame) while ``summit.batch`` stays this package."""

    def __call__(self, *args, **kwargs):
        from summit.api import batch  # summit.api imports this package: imported on call

        return batch(*args, **kwargs)


sys.modules[__name__].__class__ = _CallableModule
