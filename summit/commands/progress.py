"""A progress line on stderr for the commands that play many summits (batch, map, sensitivity)."""

from __future__ import annotations

import sys
import time
from contextlib import nullcontext


class Progress:
    """A carriage-return progress line: runs done, runs per second, time left."""

    def __init__(self, unit: str = "runs", stream=None, every: float = 0.2):
        self.unit, self.stream, self.every = unit, stream or sys.stderr, every
        self.t0 = self.base = None
        self.last = 0.0
        self.shown = False

    def __call__(self, done: int, total: int) -> None:
        now = time.perf_counter()
        if self.t0 is None:
            self.t0, self.base = now, done
        if now - self.last < self.every and done < total:
            return
        self.last, self.shown = now, True
        rate = (done - self.base) / (now - self.t0) if now > self.t0 else 0.0
        left = f"{_clock((total - done) / rate)} left" if rate > 0 else "--:-- left"
        bar = "#" * int(24 * done / total)
        self._show(
            f"\r[{bar:<24}] {done:,}/{total:,} {self.unit} {done / total:4.0%}  "
            f"{rate:,.0f} {self.unit}/s  {left}  "
        )

    def __enter__(self) -> Progress:
        return self

    def __exit__(self, *_) -> None:
        self.close()

    def close(self) -> None:
        if self.shown:
            self._show("\n")
            self.shown = False

    def _show(self, text: str) -> None:
        """A progress line is not worth the work: if stderr cannot be written, go without."""
        try:
            self.stream.write(text)
            self.stream.flush()
        except (OSError, ValueError):
            self.every = float("inf")


def _clock(seconds: float) -> str:
    m, s = divmod(int(seconds), 60)
    return f"{m // 60}:{m % 60:02d}:{s:02d}" if m >= 60 else f"{m}:{s:02d}"


def on_terminal(unit: str):
    """A progress line (a context manager that ends it) when stderr is a terminal; otherwise
    a context giving None, so that a piped or captured stderr stays clean."""
    return Progress(unit) if sys.stderr.isatty() else nullcontext()
