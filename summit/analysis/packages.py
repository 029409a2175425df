"""Package numbers: every package a scenario allows (a level on each issue, times each allowed
sequencing) has a number, so that a table of utilities can hold one row per package."""

from __future__ import annotations

import numpy as np

from summit.scenario import Spec


def package_count(spec: Spec) -> int:
    return int(np.prod(spec.n_levels.astype(np.int64))) * len(spec.sequencings)


def decode(spec: Spec, index: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Package numbers to (levels (P, I), sequencing (P,)). The first issue varies fastest;
    sequencings are the outermost loop."""
    index = np.asarray(index, dtype=np.int64)
    per_seq = int(np.prod(spec.n_levels.astype(np.int64)))
    seq = np.asarray(spec.sequencings, dtype=np.int64)[index // per_seq]
    rest = index % per_seq
    levels = np.empty((len(index), spec.n_issues), dtype=np.int64)
    for i, n in enumerate(spec.n_levels):
        levels[:, i] = rest % n
        rest = rest // n
    return levels, seq


def encode(spec: Spec, levels, sequencing: int) -> int:
    """The package number of (levels, sequencing) (inverse of ``decode``)."""
    levels = np.asarray(levels, dtype=np.int64)
    index, stride = 0, 1
    for i, n in enumerate(spec.n_levels):
        index += int(levels[i]) * stride
        stride *= int(n)
    return spec.sequencings.index(int(sequencing)) * stride + index


def encode_many(spec: Spec, levels: np.ndarray, sequencing: np.ndarray) -> np.ndarray:
    """Package numbers of many (levels (R, I), sequencing (R,)) at once (see ``encode``)."""
    levels = np.asarray(levels, dtype=np.int64)
    index, stride = np.zeros(len(levels), dtype=np.int64), 1
    for i, n in enumerate(spec.n_levels):
        index += levels[:, i] * stride
        stride *= int(n)
    seat = np.searchsorted(np.asarray(spec.sequencings), np.asarray(sequencing, dtype=np.int64))
    return seat * stride + index
