"""`summit class export --db FILE [--room CODE] --out DIR`: a class's records as files."""

from __future__ import annotations

from pathlib import Path

from summit.errors import UsageError


def register(sub) -> None:
    p = sub.add_parser(
        "class",
        help="a class run with `summit host`: export its records",
        description="Work with a class database written by `summit host`.",
    )
    inner = p.add_subparsers(dest="class_command", metavar="ACTION", parser_class=type(p))
    e = inner.add_parser(
        "export",
        help="write transcript.md, transcript.jsonl, decisions.csv, "
        "messages.csv and debrief.json for each room",
    )
    e.add_argument("--db", type=Path, required=True, help="the class database")
    e.add_argument("--room", help="only this room (default: every room, one folder each)")
    e.add_argument("--out", type=Path, required=True, help="output folder")
    e.set_defaults(handler=export)
    p.set_defaults(handler=lambda args: p.print_help() or 0)


def export(args) -> int:
    from summit.net.export import write_room
    from summit.net.hosting import open_rooms
    from summit.net.store import Store

    if not args.db.is_file():
        raise UsageError(f"no class database at {args.db}")
    store = Store(args.db)
    rooms = session = open_rooms(store, None, None, 0)
    if args.room:
        rooms = [r for r in rooms if r.code == args.room.strip().upper()]
        if not rooms:
            raise UsageError(f"{args.db} has no room '{args.room}'")
    if not rooms:
        raise UsageError(f"{args.db} holds no rooms")
    comparison = _comparison(session)
    for room in rooms:
        folder = args.out if len(rooms) == 1 else args.out / room.code
        try:
            written = write_room(store, room, folder, session, comparison)
        except OSError as err:
            raise UsageError(f"cannot write to {folder}: {err.strerror or err}") from None
        state = "finished" if room.done else f"in round {room.model.round}"
        print(f"room {room.code} ({state}): {len(written)} files in {folder}")
    store.close()
    return 0


def _comparison(session) -> dict | None:
    """The session's finished rooms against 10,000 AI-only summits (as the server's debrief)."""
    from summit.net.debrief import class_sample, finished, simulated_comparison

    done = finished(session)
    if not done:
        return None
    spec, seed = session[0].spec, session[0].row.seed
    return simulated_comparison(spec, done, class_sample(spec, seed), seed)
