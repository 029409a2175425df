"""Credibility: how far each actor believes another's promises.

Beliefs start from the giver's record (the scenario's ``credibility``, or an observer's own
``beliefs``) and are updated by what the giver delivers, as the mean of a Beta distribution
whose prior is worth ``record_weight`` observations and each summit adds one:

    belief' = (belief * n + delivered_share) / (n + 1)
"""

from __future__ import annotations

import numpy as np

from summit.rules.util import sum_last


def update_beliefs(belief: np.ndarray, delivered_share: np.ndarray, committed: np.ndarray,
                   record_weight: float) -> np.ndarray:
    """belief (R, A_obs, A_giver); delivered_share, committed (R, A_giver).

    >>> b = np.array([[[1.0, 0.5], [0.5, 1.0]]])
    >>> update_beliefs(b, np.array([[0.0, 1.0]]), np.array([[False, True]]), 4.0)[0].tolist()
    [[1.0, 0.6], [0.5, 1.0]]
    """
    updated = (belief * record_weight + delivered_share[:, None, :]) / (record_weight + 1.0)
    observer_is_giver = np.eye(belief.shape[1], dtype=bool)[None]
    changed = committed[:, None, :] & ~observer_is_giver
    return np.where(changed, updated, belief)


def standing(belief: np.ndarray) -> np.ndarray:
    """Credibility of each actor in the others' eyes: mean belief of the other actors, (R, A)."""
    A = belief.shape[1]
    others = ~np.eye(A, dtype=bool)
    total = np.where(others[None], belief, 0.0)
    return sum_last(np.swapaxes(total, 1, 2)) / max(A - 1, 1)
