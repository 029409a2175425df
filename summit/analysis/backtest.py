"""Backtests: play the historical cases of scenarios/history/ and count how often the model
reproduces what history recorded.

A case is a full scenario file plus a ``[backtest]`` table (format: docs/validation.md)::

    [backtest]
    date = "2017-07"
    record = "Two years on, Iran-backed militias were still near the border."
    given = "deal and agreed.keep_militias_back >= 1"      # optional: the situation history was in
    expect = "delivered.keep_militias_back < 1"             # what happened next
    source = "..."                                          # optional

``given`` and ``expect`` are conditions on outcome columns (``summit.analysis.conditions``).
A run reproduces the record when both hold; the reproduction rate is that share of all runs,
with a 95% Wilson interval. When ``given`` is there, the share of the runs meeting it in which
``expect`` then held is reported too (how the model continues history from the same start).
"""

from __future__ import annotations

import textwrap
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from summit.analysis import conditions
from summit.analysis.runner import outcome_list
from summit.batch import simulate
from summit.catalog import scenarios_dir
from summit.scenario import Scenario, ScenarioError, Spec, compile_scenario, load_scenario
from summit.stats import wilson

KEYS = {"date", "record", "given", "expect", "source", "note"}
REQUIRED = ("record", "expect")


@dataclass(frozen=True)
class Case:
    path: Path
    scenario: Scenario
    spec: Spec
    date: str
    record: str
    given_text: str | None
    expect_text: str
    given: conditions.Node | None
    expect: conditions.Node

    @property
    def id(self) -> str:
        return self.path.stem

    @property
    def title(self) -> str:
        return self.scenario.summit.title


@dataclass(frozen=True)
class CaseResult:
    case: Case
    runs: int
    seed: int
    hits: int  # runs where given (if any) and expect hold
    given_runs: int  # runs where given holds (all runs without a given)
    seconds: float

    @property
    def rate(self) -> float:
        return self.hits / self.runs if self.runs else float("nan")

    @property
    def interval(self) -> tuple[float, float]:
        return wilson(self.hits, self.runs)

    @property
    def conditional(self) -> float:
        return self.hits / self.given_runs if self.given_runs else float("nan")


def load_case(path: str | Path) -> Case:
    """A history scenario with its [backtest] table, checked; ScenarioError otherwise."""
    path = Path(path)
    sc = load_scenario(path)
    bt = sc.backtest
    if bt is None:
        raise ScenarioError(
            path,
            "backtest",
            "missing: a history case needs a [backtest] table (see docs/validation.md)",
        )
    for key in bt:
        if key not in KEYS:
            raise ScenarioError(
                path, f"backtest.{key}", f"unknown key (keys: {', '.join(sorted(KEYS))})"
            )
    for key in REQUIRED:
        if not isinstance(bt.get(key), str) or not bt[key].strip():
            raise ScenarioError(path, f"backtest.{key}", "missing (required, a string)")
    spec = compile_scenario(sc)
    valid = outcome_list(spec)
    parsed = {}
    for key in ("given", "expect"):
        text = bt.get(key)
        if text is None:
            parsed[key] = None
            continue
        try:
            node = conditions.parse(text)
            conditions.check(node, valid)
        except conditions.ConditionError as err:
            raise ScenarioError(path, f"backtest.{key}", str(err)) from None
        parsed[key] = node
    return Case(
        path=path,
        scenario=sc,
        spec=spec,
        date=str(bt.get("date", "")),
        record=bt["record"].strip(),
        given_text=bt.get("given"),
        expect_text=bt["expect"],
        given=parsed["given"],
        expect=parsed["expect"],
    )


def history_cases(folder: str | Path | None = None) -> list[Path]:
    """The case files of scenarios/history/ (sorted by name, so by date)."""
    if folder is None:
        folder = scenarios_dir() / "history"
    return sorted(Path(folder).glob("*.toml"))


def score(case: Case, cols: dict[str, np.ndarray]) -> tuple[int, int]:
    """(hits, runs meeting ``given``) of a batch of the case."""
    n = len(next(iter(cols.values())))
    given = (
        conditions.evaluate(case.given, cols, n)
        if case.given is not None
        else np.ones(n, dtype=bool)
    )
    hit = given & conditions.evaluate(case.expect, cols, n)
    return int(hit.sum()), int(given.sum())


def run_case(case: Case, runs: int = 2000, seed: int = 1, jobs: int | None = 1) -> CaseResult:
    start = time.perf_counter()
    cols = simulate(case.spec, runs, seed, jobs=jobs)
    seconds = time.perf_counter() - start
    hits, given = score(case, cols)
    return CaseResult(case, runs, seed, hits, given, seconds)


def render_result(r: CaseResult, width: int = 78) -> str:
    c = r.case
    lo, hi = r.interval
    lines = [f"{c.id}  {c.title}"]

    def wrap(label: str, text: str) -> list[str]:
        return textwrap.wrap(
            f"{label}{text}", width, initial_indent="  ", subsequent_indent="      "
        )

    lines += wrap("record: ", c.record)
    if c.given_text:
        lines += wrap("given:  ", c.given_text)
    lines += wrap("expect: ", c.expect_text)
    line = (
        f"reproduced in {r.hits:,} of {r.runs:,} runs: {100 * r.rate:.1f}% "
        f"(95% CI {100 * lo:.1f}-{100 * hi:.1f}%)"
    )
    lines += wrap("", line)
    if c.given_text:
        cond = "n/a" if not r.given_runs else f"{100 * r.conditional:.1f}%"
        lines += wrap(
            "",
            f"the given situation arose in {r.given_runs:,} runs "
            f"({100 * r.given_runs / r.runs:.1f}%); of those, the record followed in {cond}",
        )
    return "\n".join(lines) + "\n"


def render_table(results: list[CaseResult]) -> str:
    """One line per case: the reproduction rate and its interval."""
    w = max([len(r.case.id) for r in results] + [4])
    lines = [f"{'case':<{w}}  {'reproduced':>10}  {'95% CI':>13}  {'given -> record':>15}"]
    for r in results:
        lo, hi = r.interval
        cond = (
            ""
            if not r.case.given_text
            else ("n/a" if not r.given_runs else f"{100 * r.conditional:.1f}%")
        )
        lines.append(
            f"{r.case.id:<{w}}  {100 * r.rate:>9.1f}%  {100 * lo:>5.1f}-{100 * hi:>5.1f}%  "
            f"{cond:>15}"
        )
    return "\n".join(lines) + "\n"
