"""summit from Python: load a scenario, play one summit or a batch, map an outcome.

    import summit
    spec = summit.load("jerusalem-2019")
    outcome = summit.run(spec, seed=1)            # one summit: an OutcomeRecord
    table = summit.batch(spec, runs=1000, seed=1)   # pandas.DataFrame, one row a run
    cells = summit.map(spec, "russia.capability", "russia.willingness.iran_withdrawal",
                       "delivered.iran_withdrawal", steps=5, runs=200)

Every function drives the same rules as the command line; a row of ``batch`` replays with
``run(spec, seed=row.run_seed)``. Examples that run: docs/api.md.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from summit.analysis.maps import run_map
from summit.batch.names import vocabularies
from summit.batch.runner import simulate
from summit.catalog import resolve
from summit.model import SummitModel
from summit.records import OutcomeRecord
from summit.scenario import Spec, load_spec

__all__ = ["batch", "load", "map", "run"]


def load(scenario: str | Path) -> Spec:
    """A scenario by name ("jerusalem-2019", looked up in the scenarios folder) or by path,
    validated and compiled. Bad input raises ``summit.scenario.ScenarioError``."""
    return load_spec(resolve(str(scenario)))


def _spec(spec: Spec | str | Path) -> Spec:
    return spec if isinstance(spec, Spec) else load(spec)


def run(spec: Spec | str | Path, seed: int = 0) -> OutcomeRecord:
    """Play one summit with AI actors; the outcome as ``summit run --json`` prints it."""
    model = SummitModel(_spec(spec), seed)
    model.run()
    return model.outcome


def batch(
    spec: Spec | str | Path,
    runs: int,
    seed: int = 0,
    *,
    jobs: int | None = 1,
    overrides: dict | None = None,
    memory: int | None = None,
) -> pd.DataFrame:
    """Play ``runs`` summits (batch seed ``seed``) into a DataFrame: run, run_seed, the
    sampled parameters, the outcomes. ``end_reason``, ``walked_out`` and ``sequencing`` are
    categories with the words of ``summit run --json`` (missing: nobody walked out, no deal).
    ``overrides`` sets parameters by name, as ``summit.batch.simulate``."""
    spec = _spec(spec)
    cols = simulate(spec, runs, seed, jobs=jobs, overrides=overrides, memory=memory)
    words = vocabularies(spec)
    frame = {
        name: pd.Categorical.from_codes(col.astype(np.int64), categories=list(words[name]))
        if name in words
        else col
        for name, col in cols.items()
    }
    return pd.DataFrame(frame)


def map(
    spec: Spec | str | Path,
    x: str,
    y: str,
    outcome: str,
    *,
    steps: int = 10,  # noqa: A001
    runs: int = 500,
    seed: int = 1,
    jobs: int | None = 1,
    x_range: tuple[float, float] | None = None,
    y_range: tuple[float, float] | None = None,
) -> pd.DataFrame:
    """The mean of ``outcome`` over a grid of two parameters, one row a cell: x, y, mean,
    se (standard error), runs. The same run seeds play every cell (as ``summit map``)."""
    m = run_map(
        _spec(spec),
        x,
        y,
        outcome,
        steps=steps,
        runs=runs,
        seed=seed,
        jobs=jobs,
        x_range=x_range,
        y_range=y_range,
    )
    gx, gy = np.meshgrid(m.xs, m.ys)
    return pd.DataFrame(
        {x: gx.ravel(), y: gy.ravel(), "mean": m.mean.ravel(), "se": m.se.ravel(), "runs": m.runs}
    )
