"""``<out>.lock``: one batch at a time writes an output file."""

from __future__ import annotations

import os
import socket
from pathlib import Path

from summit.errors import MachineFault, write_error


class BatchLock:
    """``<out>.lock``: one batch at a time writes an output file. The lock is an flock on the
    file, so the system releases it when its process ends, however it ends; the file names the
    holder for the message. Without flock (Windows) there is no lock."""

    def __init__(self, out: str | Path):
        self.out = Path(out)
        self.path = self.out.with_name(self.out.name + ".lock")
        self._fd: int | None = None

    def __enter__(self) -> BatchLock:
        self.acquire()
        return self

    def __exit__(self, *exc) -> None:
        self.release()

    def acquire(self) -> None:
        try:
            import fcntl
        except ImportError:
            return
        while True:
            try:
                fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
            except OSError as err:
                raise write_error(self.out, err) from None
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                holder = os.read(fd, 200).decode(errors="replace").split()
                os.close(fd)
                who = _who(holder)
                raise MachineFault(
                    f"{self.out} is being written by another batch ({who}): "
                    "wait for it to end, or stop it"
                ) from None
            if self._same_file(fd):  # not a lock file its holder removed meanwhile
                break
            os.close(fd)
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()} {socket.gethostname()}\n".encode())
        self._fd = fd

    def _same_file(self, fd: int) -> bool:
        try:
            return os.fstat(fd).st_ino == os.stat(self.path).st_ino
        except FileNotFoundError:
            return False

    def release(self) -> None:
        if self._fd is not None:
            self.path.unlink(missing_ok=True)
            os.close(self._fd)
            self._fd = None


def _who(holder: list[str]) -> str:
    if len(holder) == 2 and holder[1] != socket.gethostname():
        return f"process {holder[0]} on {holder[1]}"
    return f"process {holder[0]}" if holder else "a process"
