"""Small array helpers shared by the rule modules."""

from __future__ import annotations

import numpy as np

from summit.rules import kernels


def sum_last(x: np.ndarray) -> np.ndarray:
    """Sum over the last axis, always in the same order, whatever the run count or memory
    layout, so one run alone and the same run in a batch give bit-identical numbers:
    x[..., 0] + x[..., 1] + ... (floats by the loop kernels.add_last)."""
    x = np.asarray(x)
    if x.dtype == np.float64 and x.ndim > 1 and x.shape[-1] > 0:
        rows = np.ascontiguousarray(x).reshape(-1, x.shape[-1])
        return kernels.add_last(rows, np.empty(len(rows))).reshape(x.shape[:-1])
    total = x[..., 0]
    for k in range(1, x.shape[-1]):
        total = total + x[..., k]
    return total


def max_last(x: np.ndarray) -> np.ndarray:
    """Largest entry over the last axis, taken level by level: numpy reduces a short last axis
    (a handful of levels) many times slower than it compares whole arrays."""
    top = x[..., 0]
    for k in range(1, x.shape[-1]):
        top = np.maximum(top, x[..., k])
    return top


def take_level(table: np.ndarray, level: np.ndarray) -> np.ndarray:
    """table[..., L] indexed by an integer level array broadcastable to table[..., 0]."""
    return np.take_along_axis(table, level[..., None], axis=-1)[..., 0]


def interp_level(table: np.ndarray, position: np.ndarray) -> np.ndarray:
    """Linear interpolation of table[..., L] at a fractional level position (>= 0)."""
    top = table.shape[-1] - 1
    low = np.minimum(np.floor(position).astype(np.int64), top)
    high = np.minimum(low + 1, top)
    frac = position - low
    return take_level(table, low) * (1 - frac) + take_level(table, high) * frac
