"""`summit host`, `summit join --ai` and `summit class export` as commands: a server killed with
kill -9 and restarted on its database, and every kind of bad input (one line, exit 2)."""

from __future__ import annotations

import asyncio
import json
import signal
import socket
import sqlite3
import subprocess
import sys
import time

import pytest
from conftest import JERUSALEM, ROOT
from test_net_room import summit_run_json

from summit.cli import main as cli
from summit.net.ai_seat import play
from summit.net.store import Store

SEED = 3  # seed 7 now ends by breakdown in round 1; seed 3 plays all 7 rounds


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_host(tmp_path, port: int) -> subprocess.Popen:
    codes = tmp_path / "codes.json"
    codes.unlink(missing_ok=True)
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "summit",
            "host",
            str(JERUSALEM),
            "--seed",
            str(SEED),
            "--port",
            str(port),
            "--db",
            str(tmp_path / "class.sqlite"),
            "--codes",
            str(codes),
        ],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 60
    while not codes.exists():
        assert proc.poll() is None, proc.stderr.read()
        assert time.monotonic() < deadline, "the server did not start in 60 s"
        time.sleep(0.1)
    return proc


def logged_inputs(db) -> int:
    with sqlite3.connect(db) as con:
        return con.execute("SELECT COUNT(*) FROM log").fetchone()[0]


def test_a_server_killed_mid_game_resumes_from_its_database(tmp_path, capsys):
    port = free_port()
    server = start_host(tmp_path, port)
    codes = json.loads((tmp_path / "codes.json").read_text())
    assert codes["url"] == f"ws://127.0.0.1:{port}" and len(codes["seats"]) == 6
    db = tmp_path / "class.sqlite"

    async def seats_and_a_kill():
        nonlocal server
        tasks = [
            asyncio.create_task(play(codes["url"], code, delay=0.05, give_up=90))
            for code in codes["seats"].values()
        ]
        async with asyncio.timeout(60):
            while logged_inputs(db) < 8:
                await asyncio.sleep(0.05)
        server.send_signal(signal.SIGKILL)
        server.wait()
        killed_at = logged_inputs(db)
        server = await asyncio.to_thread(start_host, tmp_path, port)
        seats = await asyncio.wait_for(asyncio.gather(*tasks), 180)
        return killed_at, seats

    try:
        killed_at, seats = asyncio.run(seats_and_a_kill())
    finally:
        server.kill()
        server.wait()
    assert json.loads((tmp_path / "codes.json").read_text()) == codes  # the same codes again
    assert all(s.ended for s in seats) and killed_at >= 8
    assert logged_inputs(db) > killed_at
    out = tmp_path / "export"
    expected = summit_run_json(capsys)
    assert cli(["class", "export", "--db", str(db), "--out", str(out)]) == 0
    assert (out / "transcript.jsonl").read_text() == expected
    for name in ("transcript.md", "decisions.csv", "messages.csv", "debrief.json"):
        assert (out / name).stat().st_size > 0
    debrief = json.loads((out / "debrief.json").read_text())
    outcome = json.loads(expected.splitlines()[-1])
    assert debrief["nash"] == outcome.pop("nash") and debrief["outcome"] == outcome
    assert debrief["seed"] == SEED and len(debrief["rounds"]) == len(expected.splitlines()) - 2
    comparison = debrief["comparison"]  # the room against 10,000 AI-only summits
    assert comparison["ai"]["runs"] == 10_000 and comparison["rooms"][0]["deal"] == outcome["deal"]


def test_join_wrong_code_and_unreachable_server_are_one_line_exit_2(tmp_path, capsys, monkeypatch):
    import summit.tui.class_app as class_app

    opened = []
    monkeypatch.setattr(class_app, "ClassApp", lambda *a, **k: opened.append(a) or 1 / 0)
    port = free_port()
    assert cli(["join", f"ws://127.0.0.1:{port}", "AAAAA-AAAAA"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("summit: cannot reach the class server") and err.count("\n") == 1
    assert cli(["join", f"ws://127.0.0.1:{port}", "AAAAA-AAAAA", "--ai"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("summit: cannot reach the class server") and err.count("\n") == 1
    server = start_host(tmp_path, port)
    try:
        assert cli(["join", f"ws://127.0.0.1:{port}", "AAAAA-AAAAA", "--ai"]) == 2
        err = capsys.readouterr().err
        assert "wrong or expired code" in err and err.count("\n") == 1
        assert cli(["join", f"ws://127.0.0.1:{port}", "AAAAA-AAAAA"]) == 2  # the seat's app
        err = capsys.readouterr().err
        assert "wrong or expired code" in err and err.count("\n") == 1
        assert not opened  # checked before the app: no flash of the TUI
    finally:
        server.send_signal(signal.SIGTERM)  # SIGINT may be ignored in CI
        server.wait(30)


def test_a_database_from_another_version_is_refused(tmp_path, capsys):
    db = tmp_path / "old.sqlite"
    Store(db).close()
    with sqlite3.connect(db) as con:
        con.execute("UPDATE meta SET value='99' WHERE key='schema'")
    assert cli(["host", str(JERUSALEM), "--db", str(db), "--port", "0"]) == 2
    err = capsys.readouterr().err
    assert "written by another version of summit (schema 99" in err and err.count("\n") == 1
    assert cli(["class", "export", "--db", str(db), "--out", str(tmp_path / "x")]) == 2
    assert "another version" in capsys.readouterr().err


@pytest.mark.parametrize(
    "argv, words",
    [
        (["host", str(JERUSALEM), "--rooms", "0"], "--rooms must be 1 to 200"),
        (["host", str(JERUSALEM), "--port", "70000"], "--port must be 0 to 65535"),
        (["host", str(JERUSALEM), "--seat-timeout", "0"], "--seat-timeout must be more than 0"),
        (["host", "no-such-scenario"], "no such scenario"),
        (
            ["join", "ws://127.0.0.1:9", "X", "--ai", "--ai-delay", "-1"],
            "--ai-delay must be 0 or more",
        ),
        (["join", "nonsense", "X", "--ai"], "is not a server address"),
        (["class", "export", "--db", "missing.sqlite", "--out", "x"], "no class database at"),
    ],
)
def test_bad_options_are_one_line_exit_2(argv, words, capsys):
    assert cli(argv) == 2
    err = capsys.readouterr().err
    assert words in err and err.count("\n") == 1


def test_other_files_as_a_database_are_refused(tmp_path, capsys):
    other = tmp_path / "other.sqlite"
    with sqlite3.connect(other) as con:
        con.execute("CREATE TABLE t (x)")
    assert cli(["host", str(JERUSALEM), "--db", str(other), "--port", "0"]) == 2
    assert "not a summit class database" in capsys.readouterr().err
    text = tmp_path / "text.sqlite"
    text.write_text("hello, this is not SQLite at all" * 10)
    assert cli(["host", str(JERUSALEM), "--db", str(text), "--port", "0"]) == 2
    assert "not a summit class database" in capsys.readouterr().err


def test_a_class_of_another_seed_is_refused_and_unknown_rooms_too(tmp_path, capsys):
    db = tmp_path / "c.sqlite"
    from summit.net.hosting import open_rooms

    open_rooms(Store(db), str(JERUSALEM), SEED, 1)
    assert cli(["host", str(JERUSALEM), "--seed", "8", "--db", str(db), "--port", "0"]) == 2
    assert "holds a class of jerusalem-2019 with seed 3" in capsys.readouterr().err
    assert cli(["class", "export", "--db", str(db), "--room", "NOPE", "--out", str(tmp_path)]) == 2
    assert "has no room 'NOPE'" in capsys.readouterr().err


def test_a_port_in_use_is_one_line_exit_2(tmp_path, capsys):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen()
        port = s.getsockname()[1]
        assert (
            cli(["host", str(JERUSALEM), "--db", str(tmp_path / "c.sqlite"), "--port", str(port)])
            == 2
        )
    assert "cannot listen on 127.0.0.1" in capsys.readouterr().err
