"""Opening a class: rooms created or resumed from the database, codes printed and written."""

from __future__ import annotations

import asyncio
import contextlib
import json
import signal
import socket
import sys
import time
from pathlib import Path

from summit import overrides
from summit.catalog import resolve
from summit.errors import UsageError
from summit.net import codes
from summit.net.room import Room
from summit.net.server import ClassServer
from summit.net.store import RoomRow, Store
from summit.scenario import Spec, load_spec


def open_rooms(
    store: Store,
    scenario: str | None,
    seed: int | None,
    wanted: int,
    settings: list[str] | None = None,
) -> list[Room]:
    """Resume every room in the database, adding new ones up to ``wanted``. ``settings`` are the
    `--set` texts every room plays with; a class keeps the ones it was made with."""
    rows = store.rooms()
    kept = store.settings()
    if rows and settings and kept is not None and list(settings) != kept:
        raise UsageError(
            f"{store.path} holds a class played with --set {kept or 'nothing'}; "
            "start it with those, or use another --db"
        )
    texts = kept if rows and kept is not None else list(settings or [])
    path = spec = None
    if scenario is not None:
        path = resolve(scenario)
        spec = overrides.with_settings(load_spec(path), texts)
    if rows and spec is not None and (rows[0].scenario != spec.scenario.id or rows[0].seed != seed):
        raise UsageError(
            f"{store.path} holds a class of {rows[0].scenario} with seed {rows[0].seed}; "
            "start it with those, or use another --db"
        )
    if len(rows) < wanted:
        if spec is None:
            raise UsageError(f"{store.path} holds no rooms")
        if not rows:
            store.set_settings(texts)
        taken = store.codes_in_use()
        for ordinal in range(len(rows), wanted):
            row = RoomRow(
                codes.new_room(taken),
                ordinal,
                spec.scenario.id,
                str(path),
                int(seed),
                codes.new_key(taken),
                codes.new_key(taken),
                {a: codes.new_key(taken) for a in spec.actor_ids},
            )
            store.add_room(row, time.time())
            rows.append(row)
    specs: dict[str, Spec] = {}
    rooms = []
    for row in rows:
        if row.scenario_path not in specs:
            specs[row.scenario_path] = (
                spec
                if spec is not None and str(path) == row.scenario_path
                else overrides.with_settings(load_spec(row.scenario_path), texts)
            )
        rooms.append(rebuild(store, row, specs[row.scenario_path]))
    return rooms


def rebuild(store: Store, row: RoomRow, spec: Spec) -> Room:
    room = Room(row, spec, store)
    try:
        room.replay(store.log(row.code))
    except Exception as err:  # any failure to replay means the log does not fit the scenario
        raise UsageError(
            f"{store.path}: room {row.code} cannot be rebuilt from its log ({err})"
        ) from None
    return room


def public_url(bind: str, port: int) -> str:
    host = socket.gethostname() if bind in ("0.0.0.0", "::", "") else bind
    return f"ws://{host}:{port}"


def codes_json(url: str, rooms: list[Room]) -> dict:
    listed = [
        {
            "room": r.code,
            "instructor": r.row.instructor,
            "watch": r.row.watch,
            "seats": dict(r.row.seats),
        }
        for r in rooms
    ]
    return {"url": url, **listed[0], "rooms": listed}


def announce(url: str, rooms: list[Room], db: Path, out=sys.stdout) -> None:
    out.write(
        f"summit class server at {url}  (database: {db}; Ctrl-C stops it, starting it again "
        "on the same --db resumes)\n"
    )
    for room in rooms:
        state = "over" if room.done else f"round {room.model.round}"
        out.write(f"\nRoom {room.code}: {room.spec.scenario.id}, seed {room.row.seed} ({state})\n")
        out.write(f"  instructor console   summit join {url} {room.row.instructor}\n")
        out.write(f"  projector (watch)    summit join {url} {room.row.watch}\n")
        for actor, code in room.row.seats.items():
            name = room.spec.scenario.actor(actor).name
            out.write(f"  {name:<20} summit join {url} {code}\n")
    out.flush()


async def serve_class(
    rooms: list[Room], bind: str, port: int, seat_timeout: float, db: Path, codes_file: Path | None
) -> None:
    server = ClassServer(rooms, seat_timeout=seat_timeout)
    try:
        port = await server.start(bind, port)
    except OSError as err:
        raise UsageError(f"cannot listen on {bind}:{port}: {err.strerror or err}") from None
    url = public_url(bind, port)
    if codes_file is not None:
        try:
            tmp = codes_file.with_name(codes_file.name + ".tmp")
            tmp.write_text(json.dumps(codes_json(url, rooms), indent=1) + "\n", encoding="utf-8")
            tmp.replace(codes_file)  # whole or absent: scripts may be waiting for it
        except OSError as err:
            await server.stop()
            raise UsageError(f"cannot write --codes {codes_file}: {err.strerror or err}") from None
    announce(url, rooms, db)
    stop = asyncio.Event()
    with contextlib.suppress(NotImplementedError):  # no signal handlers on Windows
        asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, stop.set)
    try:
        await stop.wait()  # until SIGTERM, or Ctrl-C (which cancels this)
        print("summit: class server stopped (SIGTERM)", flush=True)
    finally:
        await server.stop()
