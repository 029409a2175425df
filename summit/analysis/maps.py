"""Maps: the mean of an outcome over a grid of two parameters (capability x willingness, ...).

Every cell of a ``steps x steps`` grid plays the same ``runs`` run seeds (common random
numbers) with the two parameters set to the cell's values by ``params.override``; everything
else (the other parameters' draws, events, delivery draws) is what those seeds give. The
differences between cells therefore come from the two parameters, not from sampling noise, and
each cell's mean is a Monte Carlo estimate with the standard error given beside it.

The whole grid is one design of ``steps**2 * runs`` runs played in chunks by the batch engine
(one process pool, per-run override arrays), see ``summit.analysis.runner``.

    m = run_map(spec, "russia.capability", "russia.willingness.iran_withdrawal", "iran_presence")
    print(render_text(m))
    save_png(m, "map.png"); save_csv(m, "map.csv")
"""

from __future__ import annotations

import csv
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from summit.analysis.runner import (
    DEFAULT_CHUNK,
    cell_means,
    check_outcome,
    check_parameter,
    outcome_kinds,
    play_design,
)
from summit.errors import UsageError, write_error
from summit.rng import run_seeds
from summit.scenario import ScenarioError, Spec, _RefError, resolve_target

SHADES = (" ", "░", "▒", "▓", "█")


@dataclass(frozen=True)
class MapResult:
    scenario: str
    x: str
    y: str
    outcome: str
    xs: np.ndarray          # (nx,) values of x, left to right
    ys: np.ndarray          # (ny,) values of y, bottom to top
    mean: np.ndarray        # (ny, nx) mean outcome per cell
    se: np.ndarray          # (ny, nx) standard error of the mean
    runs: int               # runs per cell
    seed: int
    boolean: bool           # the outcome is true/false: means are frequencies
    seconds: float = 0.0

    @property
    def summits(self) -> int:
        return self.runs * self.mean.size

    def rows(self) -> list[tuple[float, float, float, float]]:
        """(x, y, mean, se) for every cell, x varying fastest."""
        return [(float(self.xs[i]), float(self.ys[j]), float(self.mean[j, i]), float(self.se[j, i]))
                for j in range(len(self.ys)) for i in range(len(self.xs))]


def parameter_range(spec: Spec, name: str) -> tuple[float, float]:
    """The valid range of a parameter (capability 0..1, strength 0..10, salience 0..100, ...)."""
    try:
        return resolve_target(spec.scenario, name, "parameter").bounds
    except _RefError as err:
        raise ScenarioError(spec.scenario.path, "parameter", str(err)) from None


def check_range(spec: Spec, name: str, given: tuple[float, float] | None, option: str) -> tuple[float, float]:
    lo_ok, hi_ok = parameter_range(spec, name)
    if given is None:
        return lo_ok, hi_ok
    lo, hi = (float(v) for v in given)
    if not np.isfinite(lo) or not np.isfinite(hi) or not lo < hi:
        raise UsageError(f"{option} needs two numbers LOW < HIGH (got {lo:g} {hi:g})")
    if lo < lo_ok or hi > hi_ok:
        raise UsageError(f"{option} {lo:g} {hi:g} leaves the valid range of {name} ({lo_ok:g} to {hi_ok:g})")
    return lo, hi


def grid_values(lo: float, hi: float, steps: int) -> np.ndarray:
    return np.linspace(lo, hi, steps)


def run_map(spec: Spec, x: str, y: str, outcome: str, *, steps: int = 20, runs: int = 2000, seed: int = 1,
            x_range: tuple[float, float] | None = None, y_range: tuple[float, float] | None = None,
            y_steps: int | None = None, jobs: int | None = 1, chunk: int | None = None,
            on_chunk: Callable[[int, int], None] | None = None) -> MapResult:
    """Play the grid and return the mean outcome of every cell."""
    check_parameter(spec, x, "parameter (--x)")
    check_parameter(spec, y, "parameter (--y)")
    if x == y:
        raise UsageError(f"--x and --y are both {x}: a map needs two different parameters")
    check_outcome(spec, outcome)
    ny = steps if y_steps is None else y_steps
    if steps < 2 or ny < 2:
        raise UsageError(f"--steps must be at least 2 (got {min(steps, ny)}): a grid needs two values per axis")
    if runs < 1:
        raise UsageError(f"--runs must be at least 1 (got {runs})")
    xs = grid_values(*check_range(spec, x, x_range, "--x-range"), steps)
    ys = grid_values(*check_range(spec, y, y_range, "--y-range"), ny)
    cells = steps * ny
    base = run_seeds(seed, 0, runs)
    seeds = np.tile(base, cells)                                   # the same seeds in every cell
    cell_x = np.tile(xs, ny)                                       # cell c = row j * nx + column i
    cell_y = np.repeat(ys, steps)
    overrides = {x: np.repeat(cell_x, runs), y: np.repeat(cell_y, runs)}
    start = time.perf_counter()
    values = play_design(spec, seeds, overrides, [outcome], jobs=jobs, chunk=chunk or DEFAULT_CHUNK,
                         on_chunk=on_chunk)[outcome]
    seconds = time.perf_counter() - start
    mean, se = cell_means(values, cells)
    return MapResult(scenario=spec.scenario.id, x=x, y=y, outcome=outcome, xs=xs, ys=ys,
                     mean=mean.reshape(ny, steps), se=se.reshape(ny, steps), runs=runs, seed=seed,
                     boolean=outcome_kinds(spec)[outcome] == "b", seconds=seconds)


# --------------------------------------------------------------------------- terminal

def _fmt(v: float) -> str:
    return f"{v:.2f}" if abs(v) < 100 else f"{v:.0f}"


def shade_edges(lo: float, hi: float) -> np.ndarray:
    """Bin edges of the shades: equal slices of the map's own range."""
    if not hi > lo:
        hi = lo + 1e-9
    return np.linspace(lo, hi, len(SHADES) + 1)


def render_text(m: MapResult, width: int = 80) -> str:
    """The map as shaded unicode blocks with axis labels and a legend, ``width`` columns wide."""
    ny, nx = m.mean.shape
    ylabels = [_fmt(v) for v in m.ys]
    lw = max(len(s) for s in ylabels)
    cw = max(1, min(4, (width - lw - 2) // nx))
    finite = m.mean[np.isfinite(m.mean)]
    lo, hi = (float(finite.min()), float(finite.max())) if finite.size else (0.0, 1.0)
    flat = not hi - lo > 1e-12
    edges = shade_edges(lo, hi)
    what = f"share of runs with {m.outcome}" if m.boolean else f"mean {m.outcome}"
    lines = [f"{what}: {m.scenario}, {m.runs:,} runs per cell (seed {m.seed})", f"{m.y} (up)"]
    for j in range(ny - 1, -1, -1):
        row = []
        for i in range(nx):
            v = m.mean[j, i]
            if not np.isfinite(v):
                k = 0
            elif flat:
                k = 2
            else:
                k = int(np.clip(np.searchsorted(edges, v, side="right") - 1, 0, len(SHADES) - 1))
            row.append(SHADES[k] * cw)
        lines.append(f"{ylabels[j]:>{lw}} │{''.join(row)}│")
    lines.append(" " * lw + " └" + "─" * (nx * cw) + "┘")
    # x tick labels: the first value at the left, the last at the right, the middle if it fits
    span = nx * cw
    axis = [" "] * (span + 8)
    left, right = _fmt(m.xs[0]), _fmt(m.xs[-1])
    axis[0:len(left)] = list(left)
    rpos = max(len(left) + 1, span - len(right))
    axis[rpos:rpos + len(right)] = list(right)
    mid = nx // 2
    text = _fmt(m.xs[mid])
    pos = mid * cw + cw // 2 - len(text) // 2
    if nx > 2 and pos > len(left) + 1 and pos + len(text) < rpos - 1:
        axis[pos:pos + len(text)] = list(text)
    lines.append(" " * (lw + 2) + "".join(axis).rstrip())
    lines.append(" " * (lw + 2) + f"{m.x} (right)")
    legend = "  ".join(f"{SHADES[k] * 2 if SHADES[k] != ' ' else '  '}={_fmt(edges[k])}–{_fmt(edges[k + 1])}"
                       for k in range(len(SHADES)))
    lines.append(f"legend: {SHADES[2] * 2}=every cell {_fmt(lo)} (the outcome does not change over this grid)"
                 if flat else "legend: " + legend.replace("  =", "'  '="))
    jmin, imin = np.unravel_index(np.nanargmin(m.mean), m.mean.shape) if finite.size else (0, 0)
    jmax, imax = np.unravel_index(np.nanargmax(m.mean), m.mean.shape) if finite.size else (0, 0)
    se = float(np.nanmax(m.se)) if np.isfinite(m.se).any() else float("nan")
    lines.append(f"lowest  {_fmt(m.mean[jmin, imin])} at x = {_fmt(m.xs[imin])}, y = {_fmt(m.ys[jmin])}")
    lines.append(f"highest {_fmt(m.mean[jmax, imax])} at x = {_fmt(m.xs[imax])}, y = {_fmt(m.ys[jmax])}")
    lines.append(f"largest standard error of a cell: {se:.3f}")
    return "\n".join(_wrap(line, width) for line in lines) + "\n"


def _wrap(line: str, width: int) -> str:
    if len(line) <= width or "│" in line or "─" in line:
        return line
    import textwrap

    return "\n".join(textwrap.wrap(line, width, subsequent_indent="  "))


# --------------------------------------------------------------------------- files

def save_csv(m: MapResult, path: str | Path) -> None:
    """One row per cell: x value, y value, mean outcome, standard error, runs."""
    try:
        with open(path, "w", newline="", encoding="utf-8") as f:
            w = csv.writer(f)
            w.writerow([m.x, m.y, f"mean {m.outcome}", "se", "runs"])
            for xv, yv, mean, se in m.rows():
                w.writerow([f"{xv:.6g}", f"{yv:.6g}", f"{mean:.6g}", f"{se:.6g}", m.runs])
    except OSError as err:
        raise write_error(path, err) from None


def save_png(m: MapResult, path: str | Path) -> None:
    """The map as a colour heat map (matplotlib, Agg backend)."""
    from summit.report.plots import figure, save

    fig, ax = figure(6.4, 5.0)
    dx = (m.xs[1] - m.xs[0]) / 2
    dy = (m.ys[1] - m.ys[0]) / 2
    mesh = ax.imshow(m.mean, origin="lower", aspect="auto", cmap="viridis", interpolation="nearest",
                     extent=(m.xs[0] - dx, m.xs[-1] + dx, m.ys[0] - dy, m.ys[-1] + dy))
    bar = fig.colorbar(mesh, ax=ax)
    bar.set_label(f"share of runs with {m.outcome}" if m.boolean else f"mean {m.outcome}")
    ax.set_xlabel(m.x)
    ax.set_ylabel(m.y)
    ax.set_title(f"{m.scenario}: {m.outcome} ({m.runs:,} runs per cell)", fontsize=10)
    save(fig, path)
