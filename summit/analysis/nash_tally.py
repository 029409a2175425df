"""How far a batch's deals lie from the Nash bargaining solution, tallied chunk by chunk.

The batch knows nothing of bargaining theory; ``summit batch`` (commands/batch.py) feeds each
chunk's columns to a :class:`NashTally` beside the batch summary and prints its lines after it.

    tally = NashTally(spec)
    for cols in chunks: tally.add(cols)
    print("\\n".join(tally.lines()))
"""

from __future__ import annotations

import numpy as np

from summit.analysis.negotiation import nash_distances, nash_package, opening_state
from summit.analysis.reference_text import short_package
from summit.scenario import Spec


class NashTally:
    """Deals equal to the Nash solution (mean parameters, start of round 1, as `summit analyze`)
    and their mean distance from it in utility space."""

    def __init__(self, spec: Spec):
        self.spec = spec
        self.params: object | None = None
        self.package: str | None = None
        self.deals = self.equal = 0
        self.distance_sum = 0.0
        self._solved = False

    def _solve(self) -> None:
        # Solved on the first chunk, not on construction: a batch refused for bad options
        # should not pay for it.
        state, _ = opening_state(self.spec)
        found = nash_package(self.spec, state)
        self.params = state
        self.package = None if found is None else short_package(self.spec, *found)
        self._solved = True

    def add(self, columns: dict[str, np.ndarray]) -> None:
        if "deal" not in columns or "sequencing" not in columns:
            return
        if not self._solved:
            self._solve()
        deal = np.asarray(columns["deal"], dtype=bool)
        if self.package is None or not deal.any():
            return
        agreed = [np.asarray(columns[f"agreed.{i}"])[deal] for i in self.spec.issue_ids]
        sequencing = np.asarray(columns["sequencing"])[deal]
        d = nash_distances(self.spec, self.params, np.stack(agreed, axis=1), sequencing)
        self.deals += int(deal.sum())
        self.equal += int((d < 1e-9).sum())
        self.distance_sum += float(d.sum())

    def lines(self) -> list[str]:
        """The summary's Nash lines (none before any chunk)."""
        if not self._solved:
            return []
        head = "Nash bargaining solution (mean parameters, start of round 1"
        if self.package is None:
            return [
                f"{head}): none (no package leaves every negotiator better off than walking away)"
            ]
        lines = [f"{head}, as `summit analyze`): {self.package}"]
        if self.deals:
            lines.append(
                f"  deals equal to it: {self.equal / self.deals:.2%}; mean distance of "
                f"the deals from it in utility space: "
                f"{self.distance_sum / self.deals:.4f}"
            )
        return lines
