"""The `summit` command line: one sub-command per module in summit/commands/.

Every failure is one line on stderr, never a traceback: bad input (a missing or invalid scenario,
a bad option value) exits with status 2, a fault of the machine (a full disk, a closed output,
no permission; see summit/errors.py) with status 1. SIGTERM and SIGHUP stop a command as Ctrl-C
does, so its workers go and its finished work is kept.
"""

from __future__ import annotations

import argparse
import importlib
import os
import signal
import sys
from contextlib import contextmanager

from summit import __version__
from summit.errors import MachineFault, Stopped, UsageError, cause
from summit.scenario import ScenarioError

# Each module defines register(subparsers) and sets a handler with set_defaults(handler=...).
COMMAND_MODULES = (
    "run",
    "scenarios",
    "play",
    "serve",
    "batch",
    "analyze",
    "map",
    "backtest",
    "sensitivity",
    "report",
    "host",
    "join",
    "classroom",
    "brief",
)
# Textual and the class server drive these themselves: a signal must not raise inside their loops.
_OWN_SIGNALS = ("play", "serve", "host", "join")


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # argparse's own errors: one line, exit 2
        self.exit(2, f"{self.prog}: error: {message}\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="summit",
        description="A negotiation simulation of the June 2019 US-Israel-Russia "
        "summit in Jerusalem: can Russia push Iran out of Syria?",
    )
    parser.add_argument("--version", action="version", version=f"summit {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    for name in COMMAND_MODULES:
        try:
            module = importlib.import_module(f"summit.commands.{name}")
        except ModuleNotFoundError as err:
            if err.name != f"summit.commands.{name}":
                raise
            continue  # a command not built yet
        module.register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "handler", None):
        parser.print_help()
        return 0
    stdout = sys.stdout
    sys.stdout = guard = _GuardedOutput(stdout)
    try:
        with _stop_on_signals(args.command not in _OWN_SIGNALS):
            code = int(args.handler(args) or 0)
            sys.stdout.flush()  # a full disk or a closed pipe shows here, not at exit
            return code
    except (ScenarioError, UsageError) as err:
        return _fail(err, 2)
    except MachineFault as err:
        return _fail(err, 1)
    except Stopped as stop:
        return _fail(f"stopped by {stop.name}", 128 + stop.signum)
    except KeyboardInterrupt:
        return _fail("interrupted", 130)
    except OSError as err:  # a fault no writer named: still one line
        where = f"{err.filename}: " if err.filename else ""
        return _fail(f"{where}{cause(err)}", 1)
    finally:
        sys.stdout = stdout
        if guard.faulted:
            _drop_stdout()


def _fail(message: object, code: int) -> int:
    print(f"summit: {message}", file=sys.stderr)
    return code


class _GuardedOutput:
    """Standard output whose failed writes are a MachineFault naming it ('cannot write standard
    output (/dev/full): the disk is full')."""

    def __init__(self, stream):
        self._stream = stream
        self.faulted = False

    def write(self, text: str) -> int:
        try:
            return self._stream.write(text)
        except OSError as err:
            raise self._fault(err) from None

    def flush(self) -> None:
        try:
            self._stream.flush()
        except OSError as err:
            raise self._fault(err) from None

    def __getattr__(self, name: str):
        return getattr(self._stream, name)

    def _fault(self, err: OSError) -> MachineFault:
        self.faulted = True
        return MachineFault(f"cannot write {_stdout_name(self._stream)}: {cause(err)}")


def _stdout_name(stream) -> str:
    """'standard output', with the file it goes to when the system says (Linux)."""
    try:
        target = os.readlink(f"/proc/self/fd/{stream.fileno()}")
    except (OSError, ValueError, AttributeError):
        return "standard output"
    return f"standard output ({target})" if target.startswith("/") else "standard output"


def _drop_stdout() -> None:
    """After a failed write, send what is still buffered for stdout nowhere: the interpreter
    would otherwise try again at exit and print a second error."""
    if sys.stdout is not sys.__stdout__ or sys.stdout is None:
        return
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError):
        pass


@contextmanager
def _stop_on_signals(enabled: bool = True):
    """While the command runs, SIGTERM and SIGHUP raise Stopped (a KeyboardInterrupt) in the
    main thread, so they unwind as Ctrl-C does."""

    def stop(signum, _frame):
        raise Stopped(signum, signal.Signals(signum).name)

    names = [n for n in ("SIGTERM", "SIGHUP") if hasattr(signal, n)] if enabled else []
    previous = {}
    try:
        for name in names:
            signum = getattr(signal, name)
            previous[signum] = signal.signal(signum, stop)
    except ValueError:  # not the main thread: leave signals alone
        pass
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)


if __name__ == "__main__":
    sys.exit(main())
