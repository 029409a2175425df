"""Errors that front ends report as one line with exit status 2."""


class UsageError(Exception):
    """Bad input other than a scenario file: an option value, an output path, a save file."""


def seed_arg(text: str) -> int:
    """argparse type for a run seed: a whole number in [0, 2**63)."""
    import argparse

    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"a seed is a whole number (got {text!r})") from None
    if not 0 <= value < 1 << 63:
        raise argparse.ArgumentTypeError(f"a seed is a whole number from 0 to 2**63 - 1 (got {text})")
    return value
