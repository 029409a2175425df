"""Counter-based random numbers: every draw is a pure function of (run seed, keys).

A run never carries a random state. The draw for "round 3, event 2" of run ``s`` is
``uniform(s, EVENTS, 3, 2)`` whether that run is played alone by the mesa model or among a
million others by the batch engine, so both engines see the very same numbers and no result
depends on chunking or the number of processes.

The mixer is SplitMix64's finaliser (Steele, Lea & Flood 2014), applied along the key chain.
"""

from __future__ import annotations

import zlib

import numpy as np

_GOLDEN = np.uint64(0x9E3779B97F4A7C15)
_M1 = np.uint64(0xBF58476D1CE4E5B9)
_M2 = np.uint64(0x94D049BB133111EB)
_S30, _S27, _S31, _S11 = (np.uint64(n) for n in (30, 27, 31, 11))
SEED_MASK = (1 << 63) - 1  # run seeds fit in a signed 64-bit column

# Stream names keep draws for different purposes apart.
SAMPLE, EVENTS, DELIVERY, BATCH, BREAKDOWN, MOVES = 1, 2, 3, 4, 5, 6


def _mix(z: np.ndarray) -> np.ndarray:
    z = z + _GOLDEN
    z = (z ^ (z >> _S30)) * _M1
    z = (z ^ (z >> _S27)) * _M2
    return z ^ (z >> _S31)


def hash64(seeds, *keys) -> np.ndarray:
    """Mix run seeds with integer keys (broadcast together) into uint64 hashes."""
    with np.errstate(over="ignore"):
        h = _mix(np.asarray(seeds, dtype=np.uint64))
        for key in keys:
            h = _mix(h ^ _mix(np.asarray(key, dtype=np.uint64)))
    return h


def uniform(seeds, *keys) -> np.ndarray:
    """Uniform floats in [0, 1), one per broadcast element of (seeds, *keys).

    >>> float(uniform(7, 1, 2)[()]) == float(uniform([7, 8], 1, 2)[0])
    True
    """
    return (hash64(seeds, *keys) >> _S11).astype(np.float64) * (1.0 / (1 << 53))


def name_key(name: str) -> int:
    """A stable key for a parameter name, so adding a parameter never shifts another's draws."""
    return zlib.crc32(name.encode())


def run_seeds(batch_seed: int, start: int, stop: int) -> np.ndarray:
    """Seeds of runs start..stop-1 of a batch: derived before dispatch, independent of chunking.
    The batch seed is a whole number from 0 to 2**63 - 1, as a run seed is."""
    if not 0 <= int(batch_seed) < 1 << 63:
        raise ValueError(f"seed must be a whole number from 0 to 2**63 - 1 (got {batch_seed})")
    index = np.arange(start, stop, dtype=np.uint64)
    return (hash64(np.uint64(batch_seed % (1 << 64)), BATCH, index) & np.uint64(SEED_MASK)).astype(
        np.int64
    )
