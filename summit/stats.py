"""Small statistics shared by the batch summary, the report and the analyses."""

from __future__ import annotations

import math

Z95 = 1.959963984540054  # the standard normal's 97.5% quantile: two-sided 95% intervals


def percent(x: float, digits: int = 0) -> str:
    """A share as a percentage for people to read; "n/a" when there is none (NaN).

    >>> percent(0.256), percent(0.256, 1), percent(float("nan"))
    ('26%', '25.6%', 'n/a')
    """
    return f"{100 * x:.{digits}f}%" if math.isfinite(x) else "n/a"


def wilson(k: int, n: int, z: float = Z95) -> tuple[float, float]:
    """The Wilson score interval of a proportion k/n.

    >>> [round(x, 4) for x in wilson(3, 10)]
    [0.1078, 0.6032]
    """
    if n == 0:
        return (0.0, 1.0)
    p, z2 = k / n, z * z
    centre = (p + z2 / (2 * n)) / (1 + z2 / n)
    half = z / (1 + z2 / n) * math.sqrt(p * (1 - p) / n + z2 / (4 * n * n))
    return (max(0.0, centre - half), min(1.0, centre + half))
