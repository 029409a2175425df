"""`summit serve [--port N]`: the same game in a web browser, through textual-serve.

Each browser tab runs its own `summit play` process with the options given here; with
``--join URL CODE`` each tab runs `summit join URL CODE` instead (a class seat, the instructor
console or the projector, connected to `summit host`'s server; a closed tab reconnects to the
same seat when it is opened again).
"""

from __future__ import annotations

import shlex
import sys

from summit.commands.play import add_game_arguments, check_game_arguments
from summit.errors import UsageError


def register(sub) -> None:
    p = sub.add_parser(
        "serve",
        help="serve the game in a web browser on localhost",
        description="Serve `summit play` in a web browser (textual-serve). Open the printed "
        "address; every tab is a new game.",
    )
    add_game_arguments(p)
    p.add_argument("--port", type=int, default=8000, help="port to listen on (default 8000)")
    p.add_argument("--host", default="localhost", help="address to listen on (default localhost)")
    p.add_argument(
        "--join",
        nargs="+",
        metavar="URL [CODE]",
        help="serve a class seat (or the console, or the projector) instead: every tab "
        "runs `summit join URL CODE`; without CODE, every tab asks for its code "
        "(one link for the whole class)",
    )
    p.set_defaults(handler=main)


def play_command(args) -> str:
    path, humans = check_game_arguments(args)
    argv = [sys.executable, "-m", "summit", "play"]
    if path is not None:
        argv.append(str(path.resolve()))
    for actor in humans:
        argv += ["--as", actor]
    if args.seed is not None:
        argv += ["--seed", str(args.seed)]
    for setting in args.settings:
        argv += ["--set", setting]
    if args.save_dir is not None:
        argv += ["--save-dir", str(args.save_dir.resolve())]
    return shlex.join(argv)


def join_command(args) -> str:
    if args.scenario or args.humans or args.seed is not None or args.save_dir is not None:
        raise UsageError(
            "--join takes no SCENARIO, --as, --seed or --save-dir: the class server "
            "says what is played"
        )
    if len(args.join) > 2:
        raise UsageError(f"--join takes URL and at most one CODE (got {len(args.join)} values)")
    url, code = args.join[0], args.join[1:]
    if not url.startswith(("ws://", "wss://")):
        raise UsageError(
            f"--join {url}: the server's address starts with ws:// (try ws://HOST:8765)"
        )
    if not code:
        return shlex.join([sys.executable, "-m", "summit.tui.class_app", url])
    return shlex.join([sys.executable, "-m", "summit", "join", url, code[0]])


def main(args) -> int:
    if not 0 < args.port < 65536:
        raise UsageError(f"--port must be between 1 and 65535 (got {args.port})")
    command = join_command(args) if args.join else play_command(args)
    from textual_serve.server import Server

    Server(command, host=args.host, port=args.port, title="summit").serve()
    return 0
