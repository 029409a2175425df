"""Backtests: play the coded historical cases of scenarios/history/ and score the model's
probability of what history recorded.

A case is a full scenario file (or a variant: ``extends``) plus a ``[backtest]`` table (format:
docs/validation.md)::

    [backtest]
    date = "2017-07"
    record = "Two years on, Iran-backed militias were still near the border."
    commitment = "keep Iran-backed militias 40 km from the borders"
    kind = "coerce an ally"                       # kind of commitment
    given = "deal and agreed.militias_back >= 1"  # optional: the situation history was in
    delivered = "delivered.militias_back >= 1"    # the model's "delivered"
    partly = "..."                                # optional: the model's "partly delivered"
    outcome = "not delivered"                     # the coded outcome
    coding = "delivered: ...; not delivered: ..." # the coding rule, in words
    known_before = "..."                          # what the values rest on, known before
    in_sample = "..."                             # optional: why the case is in sample
    sources = ["Publisher, 'Title', date, URL"]
    [[backtest.patterns]]                         # further patterns, each true or false
    name = "deal"
    condition = "deal"
    observed = true

Conditions are read by ``summit.analysis.conditions``. The model's probability of each outcome
is the share of the runs meeting ``given`` (all runs without one) in which it holds; scores and
baselines are in ``summit.analysis.scoring``.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from summit.analysis import conditions
from summit.analysis.runner import outcome_list
from summit.analysis.scoring import HELD_OUT_FROM, OUTCOMES
from summit.batch import simulate
from summit.catalog import scenarios_dir
from summit.scenario import Scenario, ScenarioError, Spec, compile_scenario, load_scenario

KEYS = {
    "date",
    "record",
    "commitment",
    "kind",
    "given",
    "delivered",
    "partly",
    "outcome",
    "coding",
    "known_before",
    "in_sample",
    "sources",
    "patterns",
    "note",
}
TEXT_KEYS = ("date", "record", "commitment", "kind", "coding", "known_before", "in_sample", "note")
PATTERN_KEYS = {"name", "condition", "given", "observed", "note"}


@dataclass(frozen=True)
class Pattern:
    name: str
    condition_text: str
    condition: conditions.Node
    given: conditions.Node | None
    observed: bool
    note: str = ""


@dataclass(frozen=True)
class Case:
    path: Path
    scenario: Scenario
    spec: Spec
    date: str
    record: str
    table: dict  # the [backtest] table as written
    given: conditions.Node | None
    delivered: conditions.Node | None
    partly: conditions.Node | None
    outcome: str | None  # one of OUTCOMES, or None: patterns only, not scored
    patterns: tuple[Pattern, ...] = field(default=())

    @property
    def id(self) -> str:
        return self.path.stem

    @property
    def title(self) -> str:
        return self.scenario.summit.title

    @property
    def year(self) -> int:
        return int(self.date[:4])

    @property
    def split(self) -> str:
        """'held-out' for a case of 2018 or later whose outcome no shared value was set from."""
        if self.year >= HELD_OUT_FROM and not self.table.get("in_sample"):
            return "held-out"
        return "in-sample"

    def text(self, key: str) -> str:
        return str(self.table.get(key, "")).strip()


def _condition(path: Path, key: str, text, valid: list[str]) -> conditions.Node:
    try:
        node = conditions.parse(text)
        conditions.check(node, valid)
    except conditions.ConditionError as err:
        raise ScenarioError(path, key, str(err)) from None
    return node


def _patterns(path: Path, raw, valid: list[str]) -> tuple[Pattern, ...]:
    if not isinstance(raw, list):
        raise ScenarioError(
            path, "backtest.patterns", "must be a list of tables ([[backtest.patterns]])"
        )
    out = []
    for k, p in enumerate(raw):
        where = f"backtest.patterns[{k}]"
        if not isinstance(p, dict):
            raise ScenarioError(path, where, "must be a table")
        for key in p:
            if key not in PATTERN_KEYS:
                raise ScenarioError(
                    path, f"{where}.{key}", f"unknown key (keys: {', '.join(sorted(PATTERN_KEYS))})"
                )
        if not isinstance(p.get("name"), str) or not isinstance(p.get("condition"), str):
            raise ScenarioError(path, where, "needs a name and a condition (strings)")
        if not isinstance(p.get("observed"), bool):
            raise ScenarioError(path, f"{where}.observed", "missing (required, true or false)")
        given = _condition(path, f"{where}.given", p["given"], valid) if "given" in p else None
        out.append(
            Pattern(
                p["name"],
                p["condition"],
                _condition(path, f"{where}.condition", p["condition"], valid),
                given,
                p["observed"],
                str(p.get("note", "")),
            )
        )
    return tuple(out)


def _check_table(path: Path, bt: dict) -> None:
    for key in bt:
        if key not in KEYS:
            raise ScenarioError(
                path, f"backtest.{key}", f"unknown key (keys: {', '.join(sorted(KEYS))})"
            )
    for key in TEXT_KEYS:
        if key in bt and not isinstance(bt[key], str):
            raise ScenarioError(path, f"backtest.{key}", "must be a string")
    for key in ("date", "record"):
        if not isinstance(bt.get(key), str) or not bt[key].strip():
            raise ScenarioError(path, f"backtest.{key}", "missing (required, a string)")
    if not bt["date"][:4].isdigit():
        raise ScenarioError(
            path, "backtest.date", f'must start with a year, e.g. "2017-07" (got {bt["date"]!r})'
        )
    outcome = bt.get("outcome")
    if outcome is not None and outcome not in OUTCOMES:
        raise ScenarioError(
            path, "backtest.outcome", f"must be one of {', '.join(OUTCOMES)} (got {outcome!r})"
        )
    if outcome is not None and "delivered" not in bt:
        raise ScenarioError(path, "backtest.delivered", "missing (required with an outcome)")
    if outcome is None and not bt.get("patterns"):
        raise ScenarioError(
            path, "backtest.outcome", "missing (a case needs an outcome or patterns)"
        )
    sources = bt.get("sources", [])
    if not isinstance(sources, list) or not all(isinstance(s, str) for s in sources):
        raise ScenarioError(path, "backtest.sources", "must be a list of strings")


def case_from(path: Path, sc: Scenario, spec: Spec) -> Case:
    """The case of a loaded scenario; ScenarioError when its [backtest] table is wrong."""
    bt = sc.backtest
    if bt is None:
        raise ScenarioError(
            path,
            "backtest",
            "missing: a history case needs a [backtest] table (see docs/validation.md)",
        )
    _check_table(path, bt)
    valid = outcome_list(spec)
    cond = {
        k: _condition(path, f"backtest.{k}", bt[k], valid) if k in bt else None
        for k in ("given", "delivered", "partly")
    }
    return Case(
        path=path,
        scenario=sc,
        spec=spec,
        date=bt["date"],
        record=bt["record"].strip(),
        table=bt,
        given=cond["given"],
        delivered=cond["delivered"],
        partly=cond["partly"],
        outcome=bt.get("outcome"),
        patterns=_patterns(path, bt.get("patterns", []), valid),
    )


def load_case(path: str | Path) -> Case:
    """A history scenario with its [backtest] table, checked; ScenarioError otherwise."""
    path = Path(path)
    sc = load_scenario(path)
    return case_from(path, sc, compile_scenario(sc))


def history_cases(folder: str | Path | None = None) -> list[Path]:
    """The case files of scenarios/history/ (sorted by name, so by date)."""
    if folder is None:
        folder = scenarios_dir() / "history"
    return sorted(Path(folder).glob("*.toml"))


# --------------------------------------------------------------------------- measuring


def _mask(node: conditions.Node | None, cols: dict[str, np.ndarray], n: int) -> np.ndarray:
    return np.ones(n, dtype=bool) if node is None else conditions.evaluate(node, cols, n)


def categories(case: Case, cols: dict[str, np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """Per run: whether it meets ``given`` and the index of its outcome in OUTCOMES."""
    n = len(next(iter(cols.values())))
    delivered = (
        _mask(case.delivered, cols, n) if case.delivered is not None else np.zeros(n, dtype=bool)
    )
    partly = _mask(case.partly, cols, n) if case.partly is not None else np.zeros(n, dtype=bool)
    cat = np.where(delivered, 0, np.where(partly, 1, 2))
    return _mask(case.given, cols, n), cat


def verdict(case: Case, cols: dict[str, np.ndarray]) -> np.ndarray:
    """Per run: 1.0 when the run reproduces the coded outcome (in the given situation), else 0."""
    given, cat = categories(case, cols)
    return (given & (cat == OUTCOMES.index(case.outcome))).astype(np.float64)


def verdict_columns(case: Case) -> list[str]:
    nodes = [n for n in (case.given, case.delivered, case.partly) if n is not None]
    return sorted({c for node in nodes for c in conditions.columns(node)})


@dataclass(frozen=True)
class PatternResult:
    pattern: Pattern
    runs: int  # runs meeting the pattern's given
    probability: float  # share of them where the condition holds (nan without runs)


@dataclass(frozen=True)
class CaseResult:
    case: Case
    runs: int
    seed: int
    given_runs: int
    probabilities: tuple[
        float, float, float
    ]  # P(delivered), P(partly), P(not) in the given situation
    patterns: tuple[PatternResult, ...]
    seconds: float

    @property
    def arose(self) -> bool:
        return self.given_runs > 0


def measure(
    case: Case, cols: dict[str, np.ndarray], runs: int, seed: int, seconds: float = 0.0
) -> CaseResult:
    """The model's probabilities for a played batch of the case."""
    given, cat = categories(case, cols)
    k = int(given.sum())
    probs = (
        tuple(float((cat[given] == j).sum() / k) for j in range(3)) if k else (1 / 3, 1 / 3, 1 / 3)
    )
    n = len(cat)
    pats = []
    for p in case.patterns:
        g = _mask(p.given, cols, n)
        m = int(g.sum())
        hit = int((g & conditions.evaluate(p.condition, cols, n)).sum())
        pats.append(PatternResult(p, m, hit / m if m else float("nan")))
    return CaseResult(case, runs, seed, k, probs, tuple(pats), seconds)


def run_case(case: Case, runs: int = 2000, seed: int = 1, jobs: int | None = 1) -> CaseResult:
    start = time.perf_counter()
    cols = simulate(case.spec, runs, seed, jobs=jobs)
    return measure(case, cols, runs, seed, time.perf_counter() - start)
