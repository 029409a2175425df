"""Checks of a human's decision against the rules: a one-line refusal the player can read."""

from __future__ import annotations

import numpy as np

from summit.scenario import SEQUENCINGS, Spec


class InvalidDecision(ValueError):
    """A human's decision the rules do not allow (one line, shown to the player)."""


def whole_number(value) -> int | None:
    """``value`` as an int when it is a whole number (3, 3.0, "3"); None otherwise."""
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return int(number) if number.is_integer() else None


def check_sequencing(spec: Spec, sequencing) -> int:
    """A sequencing by index or name ('on_promise', 'after_verified') that the scenario allows."""
    index = SEQUENCINGS.index(sequencing) if sequencing in SEQUENCINGS else whole_number(sequencing)
    if index not in spec.sequencings:
        allowed = ", ".join(SEQUENCINGS[k] for k in spec.sequencings)
        raise InvalidDecision(f"sequencing {sequencing!r} is not allowed here (allowed: {allowed})")
    return index


def check_offer(spec: Spec, levels, sequencing) -> np.ndarray:
    """Validate a human's package; returns levels as an (I,) int array."""
    levels = list(levels) if not isinstance(levels, np.ndarray) else levels.tolist()
    if len(levels) != spec.n_issues:
        raise InvalidDecision(f"an offer sets a level on each of the {spec.n_issues} issues")
    out = []
    for i, level in enumerate(levels):
        whole = whole_number(level)
        if whole is None or not 0 <= whole < spec.n_levels[i]:
            raise InvalidDecision(
                f"{spec.issue_ids[i]}: level {level!r} does not exist (0..{spec.n_levels[i] - 1})"
            )
        out.append(whole)
    check_sequencing(spec, sequencing)
    return np.array(out, dtype=np.int64)
