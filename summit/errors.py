"""Errors that front ends report as one line with exit status 2."""

from summit.options import seed as seed_arg  # the seed's argparse type, under its old name

__all__ = ["UsageError", "seed_arg"]


class UsageError(ValueError):
    """Bad input other than a scenario file: an argument value, an output path, a save file.
    A ValueError, so code calling the library (notebooks) can catch it as one."""
