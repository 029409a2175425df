"""Errors that front ends report as one line with exit status 2."""


class UsageError(Exception):
    """Bad input other than a scenario file: an option value, an output path, a save file."""
