"""Join codes: random, from ``secrets``, in an alphabet without look-alike characters.

A seat, instructor or watch code has 10 characters of 32 symbols: 50 bits, shown as
``ABCDE-FGHJK``. A room code (a label, not a key) has 6.
"""

from __future__ import annotations

import secrets

ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no I, O, 0, 1
KEY_LENGTH = 10  # 10 * 5 = 50 bits
ROOM_LENGTH = 6


def _draw(length: int) -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(length))


def normalise(code: str) -> str:
    """What a person typed, as the stored form: upper case, a dash after five characters."""
    plain = "".join(ch for ch in code.upper() if ch.isalnum())
    return f"{plain[:5]}-{plain[5:]}" if len(plain) == KEY_LENGTH else plain


def new_key(taken: set[str]) -> str:
    while True:
        code = normalise(_draw(KEY_LENGTH))
        if code not in taken:
            taken.add(code)
            return code


def new_room(taken: set[str]) -> str:
    while True:
        code = _draw(ROOM_LENGTH)
        if code not in taken:
            taken.add(code)
            return code
