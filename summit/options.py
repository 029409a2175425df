"""Command-line values: one argparse type per kind of value, so each check is written once.

The library below the front ends checks its own arguments and names them as parameters
("runs must be at least 1"); these types refuse bad option values before anything runs, with
argparse's one-line message and exit status 2. This module imports nothing heavy: every
``summit ... --help`` loads it.
"""

from __future__ import annotations

import argparse
import re

SEED_LIMIT = 1 << 63  # run seeds are whole numbers in [0, 2**63): the engine's int64 seeds


def _whole(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None


def seed(text: str) -> int:
    """A run or batch seed: a whole number from 0 to 2**63 - 1."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"a seed is a whole number (got {text!r})") from None
    if not 0 <= value < SEED_LIMIT:
        raise argparse.ArgumentTypeError(
            f"a seed is a whole number from 0 to 2**63 - 1 (got {text})"
        )
    return value


def at_least(low: int):
    """A whole number >= low: ``type=at_least(2)`` for a grid's steps."""

    def check(text: str) -> int:
        value = _whole(text)
        if value < low:
            raise argparse.ArgumentTypeError(f"must be at least {low} (got {value})")
        return value

    check.__name__ = f"whole number >= {low}"
    return check


count = at_least(1)  # runs, jobs, chunk, replications: at least one
count.__name__ = "count"


def positive_seconds(text: str) -> float:
    """A time in seconds, more than 0."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number of seconds: {text!r}") from None
    if not value > 0 or value == float("inf"):
        raise argparse.ArgumentTypeError(f"must be more than 0 seconds (got {text})")
    return value


_UNITS = {"": 1 << 20, "k": 1 << 10, "m": 1 << 20, "g": 1 << 30, "t": 1 << 40}
MEMORY_FLOOR = 16 << 20  # below this not even one run's arrays and the interpreter fit


def memory(text: str) -> int:
    """A memory budget in bytes from '1G', '512M', '1.5GB' or '800' (megabytes)."""
    found = re.fullmatch(r"\s*([0-9]*\.?[0-9]+)\s*([kmgt]?)i?b?\s*", text.lower())
    if not found:
        raise argparse.ArgumentTypeError(
            f"a memory size is a number with K, M, G or T, e.g. 1G or 512M (got {text!r})"
        )
    value = int(float(found[1]) * _UNITS[found[2]])
    if value < MEMORY_FLOOR:
        raise argparse.ArgumentTypeError(f"must be at least 16M (got {text})")
    return value
