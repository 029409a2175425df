"""`summit host SCENARIO --seed N --codes FILE`: run a class server (rooms of six seats)."""

from __future__ import annotations

from pathlib import Path

from summit import overrides
from summit.errors import UsageError, seed_arg


def register(sub) -> None:
    p = sub.add_parser(
        "host",
        help="run a class: a game server with a seat per team",
        description="Run a class server. It prints a room code, a join code per seat, "
        "an instructor code and a watch (projector) code, and the command "
        "each team types. Started again on the same --db it resumes its "
        "rooms with the same codes.",
    )
    p.add_argument("scenario", help="a scenario file, or a scenario name from scenarios/")
    p.add_argument("--seed", type=seed_arg, default=0, help="run seed of every room (default 0)")
    p.add_argument(
        "--port",
        type=int,
        default=8765,
        help="port to listen on (default 8765; 0 picks a free one)",
    )
    p.add_argument(
        "--bind",
        default="127.0.0.1",
        help="address to listen on (default 127.0.0.1: "
        "this machine only; 0.0.0.0 for the classroom network)",
    )
    p.add_argument(
        "--db",
        type=Path,
        help="the class database (default: one file per scenario and "
        "seed in the user's data folder)",
    )
    p.add_argument("--codes", type=Path, help="also write the codes as JSON to this file")
    overrides.add_argument(p)
    p.add_argument("--rooms", type=int, default=1, help="rooms of six seats (default 1)")
    p.add_argument(
        "--seat-timeout",
        type=float,
        default=120.0,
        metavar="SECONDS",
        help="an unconnected seat's decision goes to the AI after this long when no "
        "timer is set (default 120)",
    )
    p.set_defaults(handler=main)


def main(args) -> int:
    import asyncio

    from summit.catalog import resolve
    from summit.net.hosting import open_rooms, serve_class
    from summit.net.store import Store, default_db
    from summit.scenario import load_scenario, load_spec

    if not 0 <= args.port < 65536:
        raise UsageError(f"--port must be 0 to 65535 (got {args.port})")
    if not 1 <= args.rooms <= 200:
        raise UsageError(f"--rooms must be 1 to 200 (got {args.rooms})")
    if not args.seat_timeout > 0:
        raise UsageError(f"--seat-timeout must be more than 0 seconds (got {args.seat_timeout:g})")
    db = args.db or default_db(load_scenario(resolve(args.scenario)).id, args.seed)
    # a bad --set is refused before the database is made
    overrides.with_settings(load_spec(resolve(args.scenario)), args.settings)
    store = Store(db)
    rooms = open_rooms(store, args.scenario, args.seed, args.rooms, args.settings)
    try:
        asyncio.run(serve_class(rooms, args.bind, args.port, args.seat_timeout, db, args.codes))
    except KeyboardInterrupt:
        print("summit: class server stopped", flush=True)
    finally:
        store.close()
    return 0
