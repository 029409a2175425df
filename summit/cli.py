"""The `summit` command line: one sub-command per module in summit/commands/.

Bad input (a missing or invalid scenario, a bad option value) is one line on stderr and exit
status 2, never a traceback.
"""

from __future__ import annotations

import argparse
import importlib
import sys

from summit import __version__
from summit.errors import UsageError
from summit.scenario import ScenarioError

# Each module defines register(subparsers) and sets a handler with set_defaults(handler=...).
COMMAND_MODULES = ("run", "scenarios", "play", "serve", "batch", "analyze", "map", "backtest",
                   "sensitivity", "report", "host", "join", "classroom", "brief")


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # argparse's own errors: one line, exit 2
        self.exit(2, f"{self.prog}: error: {message}\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="summit", description="A negotiation simulation of the June 2019 US-Israel-Russia "
                     "summit in Jerusalem: can Russia push Iran out of Syria?")
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
    try:
        return int(args.handler(args) or 0)
    except (ScenarioError, UsageError) as err:
        print(f"summit: {err}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("summit: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    sys.exit(main())
