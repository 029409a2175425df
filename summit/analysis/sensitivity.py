"""Global sensitivity analysis of an outcome over a scenario's sampled parameters (SALib).

The factors are the parameters the scenario draws per run (``spec.sampled_slots()``), each over
the support of its distribution (a choice is snapped to its nearest allowed value; a
distribution with a single value is left out). SALib draws the design (Saltelli/Sobol' or
Morris trajectories); every design point is played ``replications`` times with the factors set
to the point's values (``params.override``) and the mean outcome is the model output at that
point. Every point plays the same replication seeds (common random numbers), so the output is
a fixed function of the factors and the indices are not blurred by sampling noise; the other
randomness of a summit (events, delivery draws) is averaged over those seeds.

Sobol' gives first-order (S1) and total (ST) indices with bootstrap confidence intervals;
Morris gives mu* (mean absolute elementary effect, with its interval), mu and sigma.
"""

from __future__ import annotations

import csv
import math
import time
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from summit.analysis.runner import DEFAULT_CHUNK, check_outcome, play_design
from summit.errors import UsageError, write_error
from summit.rng import run_seeds
from summit.scenario import Spec

METHODS = ("sobol", "morris")
MORRIS_LEVELS = 4


@dataclass(frozen=True)
class Factor:
    name: str
    low: float
    high: float
    choices: tuple[float, ...] | None = None   # a choice distribution's values


@dataclass
class SensitivityResult:
    scenario: str
    outcome: str
    method: str
    n: int
    replications: int
    seed: int
    factors: list[Factor]
    points: int
    constant: bool                         # the outcome did not vary over the design
    indices: dict[str, np.ndarray] = field(default_factory=dict)   # column -> (D,)
    seconds: float = 0.0

    @property
    def runs(self) -> int:
        return self.points * self.replications

    @property
    def columns(self) -> tuple[str, ...]:
        return ("S1", "S1_conf", "ST", "ST_conf") if self.method == "sobol" else ("mu_star", "mu_star_conf", "mu", "sigma")

    @property
    def rank_by(self) -> str:
        return "ST" if self.method == "sobol" else "mu_star"

    def ranked(self) -> list[int]:
        """Factor indices, most influential first (nan last)."""
        key = np.nan_to_num(self.indices[self.rank_by], nan=-np.inf)
        return [int(i) for i in np.argsort(-key, kind="stable")]


def factors(spec: Spec) -> list[Factor]:
    """The scenario's sampled parameters with the bounds of their distributions."""
    out = []
    for slot in spec.sampled_slots():
        low, high = (float(v) for v in slot.value.support())
        if not high > low:
            continue
        choices = tuple(sorted(set(slot.value.choice))) if slot.value.kind == "choice" else None
        out.append(Factor(slot.name, low, high, choices))
    return out


def check_sample_size(method: str, n: int, replications: int) -> None:
    if method not in METHODS:
        raise UsageError(f"unknown method '{method}' (methods: {', '.join(METHODS)})")
    if method == "sobol" and (n < 2 or n & (n - 1)):
        raise UsageError(f"--n {n}: Sobol' sampling needs a power of 2 of at least 2 (e.g. 64, 128, 256, 512)")
    if method == "morris" and n < 2:
        raise UsageError(f"--n {n}: Morris needs at least 2 trajectories (e.g. 20 to 100)")
    if replications < 1:
        raise UsageError(f"--replications must be at least 1 (got {replications})")


def _problem(fs: list[Factor]) -> dict:
    return {"num_vars": len(fs), "names": [f.name for f in fs], "bounds": [[f.low, f.high] for f in fs]}


def _snap(fs: list[Factor], X: np.ndarray) -> np.ndarray:
    X = X.copy()
    for j, f in enumerate(fs):
        if f.choices:
            c = np.asarray(f.choices)
            X[:, j] = c[np.abs(X[:, j][:, None] - c[None]).argmin(axis=1)]
    return X


def design(method: str, fs: list[Factor], n: int, seed: int) -> np.ndarray:
    """SALib's sample of the factors: (points, D)."""
    problem = _problem(fs)
    if method == "sobol":
        from SALib.sample import sobol

        X = sobol.sample(problem, n, calc_second_order=False, seed=seed)
    else:
        from SALib.sample import morris

        X = morris.sample(problem, n, num_levels=MORRIS_LEVELS, seed=seed)
    return _snap(fs, X)


VERDICT = "verdict"


def outcome_measure(spec: Spec, outcome: str) -> tuple[list[str], Callable[[dict], np.ndarray]]:
    """The columns to keep and how to read the outcome from them: an outcome column, or, for a
    history case (scenarios/history/), ``verdict``: 1 when a run reproduces the case's coded
    outcome in the situation history was in, else 0 (docs/validation.md)."""
    from summit.analysis.runner import outcome_list

    if outcome == VERDICT and outcome not in outcome_list(spec) and spec.scenario.backtest is not None:
        from summit.analysis.backtest import case_from, verdict, verdict_columns

        case = case_from(Path(spec.scenario.path or spec.scenario.id), spec.scenario, spec)
        if case.outcome is None:
            raise UsageError(f"{spec.scenario.id} codes no outcome (only patterns): no verdict to analyse")
        return verdict_columns(case), lambda cols: verdict(case, cols)
    check_outcome(spec, outcome)
    return [outcome], lambda cols: cols[outcome]


def run_sensitivity(spec: Spec, outcome: str, method: str = "sobol", n: int = 256, replications: int = 10,
                    seed: int = 1, *, jobs: int | None = 1, chunk: int | None = None,
                    on_chunk: Callable[[int, int], None] | None = None) -> SensitivityResult:
    """Play the design and compute the indices."""
    keep, measure = outcome_measure(spec, outcome)
    check_sample_size(method, n, replications)
    fs = factors(spec)
    if not fs:
        raise UsageError(f"{spec.scenario.id} draws no parameter from a distribution: nothing to vary "
                         "(give some parameters a distribution, e.g. capability = {uniform = [0.3, 0.7]})")
    X = design(method, fs, n, seed)
    points = len(X)
    seeds = np.tile(run_seeds(seed, 0, replications), points)
    overrides = {f.name: np.repeat(X[:, j], replications) for j, f in enumerate(fs)}
    start = time.perf_counter()
    values = measure(play_design(spec, seeds, overrides, keep, jobs=jobs, chunk=chunk or DEFAULT_CHUNK,
                                 on_chunk=on_chunk))
    seconds = time.perf_counter() - start
    Y = values.reshape(points, replications).mean(axis=1)
    result = SensitivityResult(spec.scenario.id, outcome, method, n, replications, seed, fs, points,
                               constant=bool(np.ptp(Y) == 0), seconds=seconds)
    result.indices = _analyze(method, fs, X, Y, seed) if not result.constant else \
        {c: np.zeros(len(fs)) for c in result.columns}
    return result


def _analyze(method: str, fs: list[Factor], X: np.ndarray, Y: np.ndarray, seed: int) -> dict[str, np.ndarray]:
    problem = _problem(fs)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        if method == "sobol":
            from SALib.analyze import sobol

            s = sobol.analyze(problem, Y, calc_second_order=False, conf_level=0.95, seed=seed)
            return {k: np.asarray(s[k], dtype=float) for k in ("S1", "S1_conf", "ST", "ST_conf")}
        from SALib.analyze import morris

        s = morris.analyze(problem, X, Y, conf_level=0.95, num_levels=MORRIS_LEVELS, seed=seed)
        return {k: np.asarray(s[k], dtype=float) for k in ("mu_star", "mu_star_conf", "mu", "sigma")}


# --------------------------------------------------------------------------- output

def _num(v: float) -> str:
    return "nan" if not math.isfinite(v) else f"{v:.3f}"


def render_text(r: SensitivityResult) -> str:
    head = (f"{'Sobol' if r.method == 'sobol' else 'Morris'} sensitivity of {r.outcome} ({r.scenario}): "
            f"N={r.n}, {r.points:,} design points x {r.replications} replications = {r.runs:,} summits")
    lines = [head]
    if r.constant:
        lines.append(f"{r.outcome} took the same value at every design point: no parameter moves it "
                     "(indices set to 0).")
    width = max(len(f.name) for f in r.factors)
    width = min(max(width, 9), 40)
    if r.method == "sobol":
        lines.append(f"{'rank':>4}  {'parameter':<{width}}  {'first-order S1':>15}  {'total ST':>15}")
        for rank, j in enumerate(r.ranked(), 1):
            s1 = f"{_num(r.indices['S1'][j])} ± {_num(r.indices['S1_conf'][j])}"
            st = f"{_num(r.indices['ST'][j])} ± {_num(r.indices['ST_conf'][j])}"
            lines.append(f"{rank:>4}  {r.factors[j].name:<{width}}  {s1:>15}  {st:>15}")
        lines.append("S1: share of the outcome's variance due to the parameter alone; ST: including its "
                     "interactions. ± is the 95% bootstrap interval.")
    else:
        lines.append(f"{'rank':>4}  {'parameter':<{width}}  {'mu* (first)':>15}  {'sigma (inter.)':>14}")
        for rank, j in enumerate(r.ranked(), 1):
            mu = f"{_num(r.indices['mu_star'][j])} ± {_num(r.indices['mu_star_conf'][j])}"
            lines.append(f"{rank:>4}  {r.factors[j].name:<{width}}  {mu:>15}  {_num(r.indices['sigma'][j]):>14}")
        lines.append("mu*: mean absolute effect of moving the parameter (outcome units over its range); sigma: "
                     "spread of that effect (interactions, non-linearity). ± is the 95% interval.")
    import textwrap

    out = []
    for line in lines:
        out.extend(textwrap.wrap(line, 78, subsequent_indent="  ") if len(line) > 78 else [line])
    return "\n".join(out) + "\n"


def save_csv(r: SensitivityResult, path: str | Path) -> None:
    try:
        with open(path, "w", newline="", encoding="utf-8") as f:
            w = csv.writer(f)
            w.writerow(["rank", "parameter", "low", "high", *r.columns])
            for rank, j in enumerate(r.ranked(), 1):
                fct = r.factors[j]
                w.writerow([rank, fct.name, f"{fct.low:.6g}", f"{fct.high:.6g}",
                            *(f"{r.indices[c][j]:.6g}" for c in r.columns)])
    except OSError as err:
        raise write_error(path, err) from None


def save_png(r: SensitivityResult, path: str | Path) -> None:
    """Bar chart of the indices, most influential on top, with confidence intervals."""
    from summit.report.plots import figure, save

    order = r.ranked()[::-1]
    names = [r.factors[j].name for j in order]
    y = np.arange(len(order))
    fig, ax = figure(7.0, 1.2 + 0.45 * len(order))
    if r.method == "sobol":
        h = 0.38
        ax.barh(y + h / 2, r.indices["ST"][order], h, xerr=r.indices["ST_conf"][order], label="total (ST)",
                color="#3b6ea5", capsize=2)
        ax.barh(y - h / 2, r.indices["S1"][order], h, xerr=r.indices["S1_conf"][order], label="first-order (S1)",
                color="#e3a33b", capsize=2)
        ax.set_xlabel("Sobol' index (share of variance)")
        ax.legend(loc="lower right", fontsize=8)
    else:
        ax.barh(y, r.indices["mu_star"][order], 0.6, xerr=r.indices["mu_star_conf"][order], color="#3b6ea5",
                capsize=2, label="mu*")
        ax.plot(r.indices["sigma"][order], y, "o", color="#e3a33b", label="sigma")
        ax.set_xlabel(f"Morris mu* ({r.outcome} units)")
        ax.legend(loc="lower right", fontsize=8)
    ax.set_yticks(y)
    ax.set_yticklabels(names, fontsize=8)
    ax.set_title(f"{r.scenario}: sensitivity of {r.outcome} ({r.runs:,} summits)", fontsize=10)
    save(fig, path)
