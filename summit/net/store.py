"""The class server's SQLite file: rooms, their codes, and each room's log of inputs.

A room is rebuilt by replaying its log (decisions, time-outs, injects, hand-overs, timers,
pauses, messages) through the same code that applied them live; the log row is written in
the same transaction as the change, and committed before the change is acknowledged. The
file runs in WAL mode with synchronous=NORMAL: a commit survives the server being killed
(kill -9); only a power cut may lose the last commits.
"""

from __future__ import annotations

import json
import os
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

from summit.errors import UsageError

SCHEMA_VERSION = 1
APP_ID = 0x53554D54  # "SUMT": marks the file as a summit class database

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS rooms (
    code TEXT PRIMARY KEY, ordinal INTEGER NOT NULL, scenario TEXT NOT NULL,
    scenario_path TEXT NOT NULL, seed INTEGER NOT NULL, instructor TEXT NOT NULL UNIQUE,
    watch TEXT NOT NULL UNIQUE, created REAL NOT NULL);
CREATE TABLE IF NOT EXISTS seats (
    code TEXT PRIMARY KEY, room TEXT NOT NULL REFERENCES rooms(code), actor TEXT NOT NULL,
    UNIQUE (room, actor));
CREATE TABLE IF NOT EXISTS log (
    room TEXT NOT NULL REFERENCES rooms(code), seq INTEGER NOT NULL, stamp REAL NOT NULL,
    kind TEXT NOT NULL, actor TEXT, payload TEXT NOT NULL, PRIMARY KEY (room, seq));
"""


@dataclass
class RoomRow:
    code: str
    ordinal: int
    scenario: str
    scenario_path: str
    seed: int
    instructor: str
    watch: str
    seats: dict[str, str] = field(default_factory=dict)  # actor -> code


@dataclass
class LogRow:
    seq: int
    stamp: float
    kind: str
    actor: str | None
    payload: dict


def default_db(scenario_id: str, seed: int) -> Path:
    """$XDG_DATA_HOME/summit (or ~/.local/share/summit): one file per scenario and seed, so the
    same `summit host` command resumes the same class."""
    base = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share") / "summit"
    return base / f"class-{scenario_id}-seed{seed}.sqlite"


class Store:
    def __init__(self, path: str | Path):
        self.path = Path(path)
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self.db = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
            self._check_version()
        except sqlite3.DatabaseError as err:
            raise UsageError(f"{self.path} is not a summit class database ({err})") from None
        except OSError as err:
            raise UsageError(
                f"cannot open class database {self.path}: {err.strerror or err}"
            ) from None

    def _check_version(self) -> None:
        db = self.db
        app_id = db.execute("PRAGMA application_id").fetchone()[0]
        tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        if tables and app_id != APP_ID:
            raise UsageError(f"{self.path} is not a summit class database (it holds other tables)")
        if app_id == APP_ID:
            row = db.execute("SELECT value FROM meta WHERE key='schema'").fetchone()
            found = int(row[0]) if row else None
            if found != SCHEMA_VERSION:
                raise UsageError(
                    f"{self.path} was written by another version of summit (schema "
                    f"{found}, this version reads {SCHEMA_VERSION})"
                )
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA synchronous=NORMAL")
        if not tables:
            db.executescript(_SCHEMA)
            with self.transaction():
                db.execute(f"PRAGMA application_id={APP_ID}")
                db.execute("INSERT INTO meta VALUES ('schema', ?)", (str(SCHEMA_VERSION),))

    def transaction(self):
        return _Transaction(self.db)

    # ------------------------------------------------------------------ class settings
    def settings(self) -> list[str] | None:
        """The class's `--set NAME=VALUE` texts (None before its first room is made)."""
        row = self.db.execute("SELECT value FROM meta WHERE key='settings'").fetchone()
        return None if row is None else json.loads(row[0])

    def set_settings(self, texts: list[str]) -> None:
        with self.transaction():
            self.db.execute(
                "INSERT OR REPLACE INTO meta VALUES ('settings', ?)", (json.dumps(list(texts)),)
            )

    # ------------------------------------------------------------------ rooms
    def rooms(self) -> list[RoomRow]:
        out = []
        for row in self.db.execute(
            "SELECT code, ordinal, scenario, scenario_path, seed, instructor,"
            " watch FROM rooms ORDER BY ordinal"
        ):
            room = RoomRow(*row)
            room.seats = dict(
                self.db.execute("SELECT actor, code FROM seats WHERE room=?", (room.code,))
            )
            out.append(room)
        return out

    def add_room(self, room: RoomRow, created: float) -> None:
        with self.transaction():
            self.db.execute(
                "INSERT INTO rooms VALUES (?,?,?,?,?,?,?,?)",
                (
                    room.code,
                    room.ordinal,
                    room.scenario,
                    room.scenario_path,
                    room.seed,
                    room.instructor,
                    room.watch,
                    created,
                ),
            )
            self.db.executemany(
                "INSERT INTO seats VALUES (?,?,?)",
                [(code, room.code, actor) for actor, code in room.seats.items()],
            )

    def codes_in_use(self) -> set[str]:
        rows = self.db.execute(
            "SELECT code FROM rooms UNION SELECT instructor FROM rooms UNION "
            "SELECT watch FROM rooms UNION SELECT code FROM seats"
        )
        return {r[0] for r in rows}

    # ------------------------------------------------------------------ logs
    def log(self, room: str) -> list[LogRow]:
        rows = self.db.execute(
            "SELECT seq, stamp, kind, actor, payload FROM log WHERE room=? ORDER BY seq", (room,)
        )
        return [
            LogRow(seq, stamp, kind, actor, json.loads(payload))
            for seq, stamp, kind, actor, payload in rows
        ]

    def append(self, room: str, row: LogRow) -> None:
        """Add a row (call inside ``transaction()``; it commits when the change has applied)."""
        self.db.execute(
            "INSERT INTO log VALUES (?,?,?,?,?,?)",
            (
                room,
                row.seq,
                row.stamp,
                row.kind,
                row.actor,
                json.dumps(row.payload, sort_keys=True),
            ),
        )

    def close(self) -> None:
        self.db.close()


class _Transaction:
    """BEGIN ... COMMIT, or ROLLBACK when the block raises."""

    def __init__(self, db: sqlite3.Connection):
        self.db = db

    def __enter__(self):
        self.db.execute("BEGIN IMMEDIATE")
        return self.db

    def __exit__(self, kind, value, tb):
        self.db.execute("ROLLBACK" if kind else "COMMIT")
        return False
