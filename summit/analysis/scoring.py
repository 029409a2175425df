"""Scores of probabilistic forecasts of the coded case outcomes, and the two baselines.

Each scored case has one coded outcome among OUTCOMES. A forecast is a probability for each of
the three. Scores (lower is better for both):

- Brier score: sum over the three outcomes of (p - o)^2, o = 1 for the coded outcome, else 0;
  0 is a sure correct forecast, 2 a sure wrong one, 2/3 the uniform forecast.
- log score: -ln p(coded outcome), with p floored at LOG_FLOOR so that a forecaster sure of the
  wrong outcome scores -ln 0.01 = 4.61 rather than infinity.

Baselines: the base rate (the frequency of each coded outcome over all scored cases, in
hindsight, which favours it) and "Russia never delivers" (probability 1 on "not delivered").
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

OUTCOMES = ("delivered", "partly delivered", "not delivered")
LOG_FLOOR = 0.01
HELD_OUT_FROM = 2018  # shared values are fixed on cases before this year (docs/validation.md)
NEVER = (0.0, 0.0, 1.0)


def brier(probs: Sequence[float], outcome: str) -> float:
    k = OUTCOMES.index(outcome)
    return float(sum((p - (1.0 if j == k else 0.0)) ** 2 for j, p in enumerate(probs)))


def log_score(probs: Sequence[float], outcome: str) -> float:
    return float(
        0.0 - math.log(max(probs[OUTCOMES.index(outcome)], LOG_FLOOR))
    )  # 0.0 - : no "-0.00"


def base_rate(outcomes: Sequence[str]) -> tuple[float, float, float]:
    """The share of each outcome among the coded outcomes."""
    n = len(outcomes)
    if not n:
        raise ValueError("no coded outcomes")
    return tuple(outcomes.count(o) / n for o in OUTCOMES)


@dataclass(frozen=True)
class Score:
    probability: float  # of the coded outcome
    brier: float
    log: float


def score(probs: Sequence[float], outcome: str) -> Score:
    return Score(
        float(probs[OUTCOMES.index(outcome)]), brier(probs, outcome), log_score(probs, outcome)
    )


@dataclass(frozen=True)
class Summary:
    cases: int
    brier: float  # mean over the cases
    log: float


def summarize(scores: Sequence[Score]) -> Summary | None:
    if not scores:
        return None
    n = len(scores)
    return Summary(n, sum(s.brier for s in scores) / n, sum(s.log for s in scores) / n)


def pattern_brier(probability: float, observed: bool) -> float:
    """Brier score of a true/false pattern: (p - o)^2."""
    return float((probability - (1.0 if observed else 0.0)) ** 2)
