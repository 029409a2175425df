"""`summit play [SCENARIO] [--as ACTOR ...] [--seed N] [--resume FILE]`: the game in the
terminal."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from summit import options, overrides
from summit.catalog import resolve
from summit.errors import UsageError
from summit.scenario import compile_scenario, load_scenario


def add_game_arguments(p) -> None:
    """The options that choose a game (shared with `summit serve`)."""
    p.add_argument(
        "scenario", nargs="?", help="a scenario file or name; without it a start screen lists them"
    )
    p.add_argument(
        "--as",
        dest="humans",
        action="append",
        default=[],
        metavar="ACTOR",
        help="an actor played by a human (id or name; repeat for hot-seat play); "
        "with SCENARIO this skips the start screen",
    )
    p.add_argument(
        "--seed",
        type=options.seed,
        help="run seed (the same seed and decisions give the same game)",
    )
    overrides.add_argument(p)
    p.add_argument(
        "--save-dir", type=Path, help="folder for autosaves (default: $SUMMIT_SAVE_DIR or ./saves)"
    )


def register(sub) -> None:
    p = sub.add_parser(
        "play",
        help="play the summit in the terminal (Textual)",
        description="Play the summit as one or more actors, or watch the AIs play it. "
        "Every round is saved; --resume continues a saved game.",
    )
    add_game_arguments(p)
    p.add_argument("--resume", metavar="FILE", help="continue a saved game")
    p.set_defaults(handler=main)


def check_game_arguments(args) -> tuple[Path | None, list[str]]:
    """The scenario path and the human actor ids, or a UsageError/ScenarioError in one line."""
    if args.scenario is None:
        if args.humans:
            raise UsageError(
                "--as needs a SCENARIO (for example: summit play jerusalem-2019 --as russia)"
            )
        if args.settings:
            raise UsageError(
                "--set needs a SCENARIO (for example: summit play jerusalem-2019 "
                "--set russia.willingness=1); on the start screen use the what-if panel"
            )
        return None, []
    path = resolve(args.scenario)
    sc = load_scenario(path)
    overrides.with_settings(
        compile_scenario(sc), args.settings
    )  # bad --set: one line, before the TUI
    by_key = {a.id.lower(): a.id for a in sc.actors} | {a.name.lower(): a.id for a in sc.actors}
    humans: list[str] = []
    for who in args.humans:
        actor = by_key.get(who.strip().lower())
        if actor is None:
            known = ", ".join(a.id for a in sc.actors)
            raise UsageError(f"unknown actor '{who}' in --as (actors in {path.stem}: {known})")
        if actor not in humans:
            humans.append(actor)
    return path, humans


def main(args) -> int:
    from summit.tui.app import SummitApp  # Textual loads only for the game itself
    from summit.tui.game import Game, default_save_dir

    save_dir = args.save_dir or default_save_dir()
    if args.resume:
        if args.scenario or args.humans or args.seed is not None or args.settings:
            raise UsageError(
                "--resume takes no SCENARIO, --as, --seed or --set: the save file says what was "
                "played"
            )
        app = SummitApp(game=Game.load(args.resume), save_dir=save_dir)
    else:
        path, humans = check_game_arguments(args)
        app = SummitApp(
            scenario=path, humans=humans, seed=args.seed, save_dir=save_dir, settings=args.settings
        )
    check_terminal()
    app.run()
    return 0


def check_terminal() -> None:
    """The game draws on a terminal: without one (a script, cron, a pipe) it would draw into the
    void and spin, so say so. `summit serve` runs it under Textual's web driver instead."""
    if os.environ.get("TEXTUAL_DRIVER"):
        return
    if not (sys.stdin.isatty() and sys.__stdout__ is not None and sys.__stdout__.isatty()):
        raise UsageError(
            "play needs a terminal, and its input or output is not one (without a "
            "terminal, `summit run SCENARIO --seed N` plays a summit with AI actors)"
        )
