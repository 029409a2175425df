"""Errors that front ends report as one line: bad input (exit status 2) and faults of the
machine (exit status 1), with the helpers every writer uses to turn an OSError into one.

Bad input is the user's to fix (a missing folder, an option value); a fault of the machine is not
(a full disk, a closed pipe, no permission). ``write_error`` sorts an OSError into one or the other
and says its cause in words; ``writing(path)`` does it for a block of code. The command line
catches both once, at the top (summit/cli.py).
"""

from __future__ import annotations

import errno
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


class UsageError(Exception):
    """Bad input other than a scenario file: an option value, an output path, a save file."""


class MachineFault(Exception):
    """A write the machine refused (disk full, permission denied, output closed): exit status 1.
    ``errno`` is the cause's error number, when there is one."""

    def __init__(self, message: str, errno: int | None = None):
        super().__init__(message)
        self.errno = errno


class Stopped(KeyboardInterrupt):
    """SIGTERM or SIGHUP: stop as Ctrl-C does (workers gone, finished work kept)."""

    def __init__(self, signum: int, name: str):
        super().__init__(name)
        self.signum, self.name = signum, name


# Causes in words; any other errno falls back to the system's own text.
_CAUSES = {
    errno.ENOSPC: "the disk is full",
    errno.EDQUOT: "the disk quota is used up",
    errno.EACCES: "permission denied",
    errno.EPERM: "permission denied",
    errno.EROFS: "the file system is read-only",
    errno.EPIPE: "the output was closed",
    errno.EIO: "an input/output error (the disk or its connection may be failing)",
    errno.EFBIG: "the file is too large for the file system",
    errno.EMFILE: "too many open files",
    errno.ENFILE: "too many open files",
    errno.ENOMEM: "out of memory",
    errno.ENOENT: "the folder does not exist",
    errno.ENOTDIR: "a part of the path is not a folder",
    errno.EISDIR: "it is a folder",
    errno.ENAMETOOLONG: "the name is too long",
}
# Errors in the path the user gave: bad input (exit 2), not a fault of the machine.
_PATH_ERRORS = {errno.ENOENT, errno.ENOTDIR, errno.EISDIR, errno.ENAMETOOLONG}


def _errno(err: OSError) -> int | None:
    """The errno of an OSError, also when a library (pyarrow) only put its text in the message."""
    if err.errno:
        return err.errno
    text = str(err)
    return next((code for code in _CAUSES if os.strerror(code) in text), None)


def cause(err: OSError) -> str:
    """Why a write failed, in words: 'the disk is full', 'permission denied', ..."""
    code = _errno(err)
    if code in _CAUSES:
        return _CAUSES[code]
    text = err.strerror or str(err) or type(err).__name__
    return text[:1].lower() + text[1:]


def write_error(path: str | Path, err: OSError, then: str = "") -> UsageError | MachineFault:
    """The one-line error for a failed write of ``path``; ``then`` is added after the cause
    (what was kept, what to do)."""
    message = f"cannot write {path}: {cause(err)}{then}"
    code = _errno(err)
    return UsageError(message) if code in _PATH_ERRORS else MachineFault(message, code)


def out_of_room(fault: MachineFault) -> bool:
    return fault.errno in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG)


@contextmanager
def writing(path: str | Path, then: str = "") -> Iterator[None]:
    """Turn an OSError raised in the block into ``write_error(path, err, then)``."""
    try:
        yield
    except OSError as err:
        raise write_error(path, err, then) from None


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
