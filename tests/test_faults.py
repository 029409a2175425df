"""Faults of the machine: a full disk, a closed output, no permission, a damaged part, a held
lock, SIGTERM. Each is one line on stderr naming the file and the cause in words, exit status 1
(2 stays for bad input), and the finished work is kept: --resume gives the very bytes an
uninterrupted batch gives. Faults are injected portably (a writer that raises ENOSPC or EACCES)
except where the system offers a real one (/dev/full, a real SIGTERM)."""

from __future__ import annotations

import errno
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import JERUSALEM, ROOT

from summit import cli
from summit.batch import write_batch
from summit.batch.lock import BatchLock
from summit.batch.store import Parts, TableWriter
from summit.errors import MachineFault, UsageError, cause, write_error

RUNS, SEED, CHUNK = 20, 3, 5  # four chunks of five runs
ENV = {**os.environ, "PYTHONPATH": str(ROOT)}


@pytest.fixture
def scenario(tmp_path):
    path = tmp_path / "jerusalem-2019.toml"
    shutil.copy(JERUSALEM, path)
    return path


@pytest.fixture
def whole(scenario, tmp_path) -> bytes:
    """The bytes of the uninterrupted batch."""
    out = tmp_path / "whole" / "r.parquet"
    out.parent.mkdir()
    write_batch(scenario, RUNS, SEED, out, jobs=1, chunk=CHUNK)
    return out.read_bytes()


def batch(capsys, scenario, out, *more) -> tuple[int, str, str]:
    argv = [
        "batch",
        str(scenario),
        "--runs",
        str(RUNS),
        "--seed",
        str(SEED),
        "--chunk",
        str(CHUNK),
        "--jobs",
        "1",
        "--quiet",
        "--out",
        str(out),
        *map(str, more),
    ]
    capsys.readouterr()
    code = cli.main(argv)
    got = capsys.readouterr()
    return code, got.out, got.err


def one_line(err: str, *words: str) -> None:
    assert err.count("\n") == 1 and err.startswith("summit: ") and "Traceback" not in err, err
    for word in words:
        assert word in err, err


def no_leftovers(out: Path) -> None:
    """After a fault: no half part, no half final file, no lock."""
    parts = Parts(out)
    assert not list(parts.folder.glob("*.tmp")) and not list(parts.folder.glob("assembling*"))
    assert not BatchLock(out).path.exists() and not out.exists()


def enospc() -> OSError:
    return OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


# --------------------------------------------------------------------------- causes in words


@pytest.mark.parametrize(
    "code, words, kind",
    [
        (errno.ENOSPC, "the disk is full", MachineFault),
        (errno.EACCES, "permission denied", MachineFault),
        (errno.EPIPE, "the output was closed", MachineFault),
        (errno.EROFS, "the file system is read-only", MachineFault),
        (errno.ENOENT, "the folder does not exist", UsageError),  # the user's path: bad input
        (errno.EISDIR, "it is a folder", UsageError),
    ],
)
def test_a_failed_write_says_its_cause_in_words(code, words, kind):
    err = write_error("out.csv", OSError(code, os.strerror(code)))
    assert type(err) is kind and str(err) == f"cannot write out.csv: {words}"


def test_a_cause_only_in_the_message_is_still_found():
    """pyarrow raises OSError('... Detail: [errno 28] No space left on device') without errno."""
    pyarrow_error = OSError("Error writing bytes to file. No space left on device")
    assert cause(pyarrow_error) == "the disk is full"
    assert cause(OSError(errno.ELOOP, os.strerror(errno.ELOOP))) == os.strerror(errno.ELOOP).lower()


# --------------------------------------------------------------------------- standard output


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="no /dev/full")
def test_stdout_to_a_full_device():
    with open("/dev/full", "w") as full:
        proc = subprocess.run(
            [sys.executable, "-m", "summit", "run", "jerusalem-2019", "--seed", "1"],
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
            env=ENV,
            timeout=120,
        )
    assert proc.returncode == 1
    one_line(proc.stderr, "cannot write standard output (/dev/full): the disk is full")


class Refusing:
    """A stdout that takes ``room`` characters, then fails with ``code``."""

    def __init__(self, code: int, room: int = 0):
        self.code, self.room = code, room

    def write(self, text: str) -> int:
        if len(text) > self.room:
            raise OSError(self.code, os.strerror(self.code))
        self.room -= len(text)
        return len(text)

    def flush(self) -> None:
        pass


@pytest.mark.parametrize(
    "code, words", [(errno.ENOSPC, "the disk is full"), (errno.EPIPE, "the output was closed")]
)
def test_stdout_that_fails_part_way(capsys, monkeypatch, code, words):
    monkeypatch.setattr(sys, "stdout", Refusing(code, room=200))
    assert cli.main(["run", str(JERUSALEM), "--seed", "1"]) == 1
    one_line(capsys.readouterr().err, "cannot write standard output", words)


# --------------------------------------------------------------------------- a full disk in a batch


def test_disk_full_while_writing_a_part_keeps_the_finished_ones(
    scenario, tmp_path, capsys, monkeypatch, whole
):
    out = tmp_path / "r.parquet"
    atomic, written = Parts._atomic, []

    def third_part_fails(path, save):
        def then_full(tmp):
            save(tmp)  # the part is (nearly) on disk, then there is no room
            raise enospc()

        if path.name.startswith("part-"):
            written.append(path)
        atomic(path, then_full if len(written) == 3 and path.name.startswith("part-") else save)

    monkeypatch.setattr(Parts, "_atomic", staticmethod(third_part_fails))
    code, _, err = batch(capsys, scenario, out)
    assert code == 1
    one_line(
        err,
        "cannot write",
        "part-000002.arrow: the disk is full",
        f"10 of 20 runs are kept in {Parts(out).folder}",
        "--resume",
        "once there is room",
    )
    no_leftovers(out)
    assert Parts(out).done() == {0, 1}
    monkeypatch.undo()
    code, _, err = batch(capsys, scenario, out, "--resume")
    assert code == 0 and err == ""
    assert out.read_bytes() == whole and not Parts(out).folder.exists()


def test_disk_full_while_writing_the_final_file(scenario, tmp_path, capsys, monkeypatch, whole):
    out = tmp_path / "r.parquet"
    write = TableWriter._write

    def second_chunk_fails(self, table):
        if self.fmt == "parquet" and getattr(self, "calls", 0) == 1:
            raise OSError("Error writing bytes to file. Detail: [errno 28] No space left on device")
        self.calls = getattr(self, "calls", 0) + 1
        write(self, table)

    monkeypatch.setattr(TableWriter, "_write", second_chunk_fails)
    code, _, err = batch(capsys, scenario, out)
    assert code == 1
    one_line(err, "assembling.parquet: the disk is full", "10 of 20 runs are kept", "--resume")
    no_leftovers(out)
    monkeypatch.undo()
    assert batch(capsys, scenario, out, "--resume")[0] == 0
    assert out.read_bytes() == whole


def test_permission_denied_is_a_fault_not_bad_input(scenario, tmp_path, capsys, monkeypatch):
    """Portable (root ignores chmod): the folder refuses the manifest."""
    out = tmp_path / "r.parquet"

    def refuse(path, save):
        raise OSError(errno.EACCES, os.strerror(errno.EACCES))

    monkeypatch.setattr(Parts, "_atomic", staticmethod(refuse))
    code, _, err = batch(capsys, scenario, out)
    assert code == 1
    one_line(err, f"cannot write {Parts(out).manifest_path}: permission denied")
    assert not BatchLock(out).path.exists()


def test_a_missing_output_folder_stays_bad_input(scenario, tmp_path, capsys):
    code, _, err = batch(capsys, scenario, tmp_path / "no" / "r.parquet")
    assert code == 2
    one_line(err, "r.parquet: the folder does not exist")


# --------------------------------------------------------------------------- damaged parts


def unfinished(scenario, out, chunks_done: int) -> None:
    def stop(done, total):
        if done >= chunks_done * CHUNK:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        write_batch(scenario, RUNS, SEED, out, jobs=1, chunk=CHUNK, on_chunk=stop)
    assert Parts(out).done() == set(range(chunks_done))


def test_manifest_holds_each_parts_checksum(scenario, tmp_path):
    out = tmp_path / "r.parquet"
    unfinished(scenario, out, 2)
    parts = Parts(out)
    sums = json.loads(parts.manifest_path.read_text())["parts"]
    assert set(sums) == {"0", "1"}
    import hashlib

    assert sums["1"] == hashlib.sha256(parts.part(1).read_bytes()).hexdigest()


def test_resume_replays_a_truncated_and_a_missing_part(scenario, tmp_path, capsys, whole):
    out = tmp_path / "r.parquet"
    unfinished(scenario, out, 3)
    parts = Parts(out)
    data = parts.part(0).read_bytes()
    parts.part(0).write_bytes(data[: len(data) // 2])  # truncated, as by a crash or a copy
    parts.part(2).unlink()  # missing
    code, out_text, err = batch(capsys, scenario, out, "--resume")
    assert code == 0, err
    lines = err.splitlines()
    assert lines == [
        "summit: part-000000.arrow is damaged (its checksum differs): played its runs 0-4 again",
        "summit: part-000002.arrow is missing: played its runs 10-14 again",
    ]
    assert "played 15 runs" in out_text  # chunk 1 was kept, three played
    assert out.read_bytes() == whole


def test_resume_replays_a_part_without_a_checksum(scenario, tmp_path, capsys, whole):
    """A stop between a part's rename and the manifest's update leaves a part nobody vouches for."""
    out = tmp_path / "r.parquet"
    unfinished(scenario, out, 2)
    parts = Parts(out)
    manifest = json.loads(parts.manifest_path.read_text())
    del manifest["parts"]["1"]
    parts.manifest_path.write_text(json.dumps(manifest))
    code, _, err = batch(capsys, scenario, out, "--resume")
    assert code == 0
    one_line(err, "part-000001.arrow has no checksum in the manifest: played its runs 5-9 again")
    assert out.read_bytes() == whole


# --------------------------------------------------------------------------- the lock on --out


def test_a_second_batch_on_the_same_file_refuses(scenario, tmp_path, capsys):
    out = tmp_path / "r.parquet"
    with BatchLock(out):
        code, _, err = batch(capsys, scenario, out)
        assert code == 1
        one_line(err, f"{out} is being written by another batch (process {os.getpid()})")
        assert not Parts(out).folder.exists()
    assert not BatchLock(out).path.exists()  # released
    assert batch(capsys, scenario, out)[0] == 0


@pytest.mark.skipif(sys.platform == "win32", reason="flock")
def test_a_lock_whose_process_is_gone_is_taken_over(scenario, tmp_path, capsys):
    out = tmp_path / "r.parquet"
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time; from summit.batch.lock import BatchLock; "
            "BatchLock(sys.argv[1]).acquire(); print('held', flush=True); time.sleep(600)",
            str(out),
        ],
        stdout=subprocess.PIPE,
        text=True,
        env=ENV,
    )
    try:
        assert holder.stdout.readline().strip() == "held"
        code, _, err = batch(capsys, scenario, out)
        assert code == 1
        one_line(err, f"being written by another batch (process {holder.pid})", "wait for it")
    finally:
        holder.kill()
        holder.wait(timeout=30)
    assert BatchLock(out).path.exists()  # killed: its lock file stays behind
    code, _, err = batch(capsys, scenario, out)
    assert code == 0, err
    assert not BatchLock(out).path.exists()


# --------------------------------------------------------------------------- SIGTERM and SIGHUP


def test_sighup_stops_a_batch_as_ctrl_c_does(scenario, tmp_path, capsys, monkeypatch, whole):
    from summit.commands import batch as batch_command

    def hang_up(self, done, total):
        if done >= 2 * CHUNK:
            os.kill(os.getpid(), signal.SIGHUP)

    if not hasattr(signal, "SIGHUP"):
        pytest.skip("no SIGHUP")
    monkeypatch.setattr(batch_command.Progress, "__call__", hang_up)
    out = tmp_path / "r.parquet"
    argv = [
        "batch",
        str(scenario),
        "--runs",
        str(RUNS),
        "--seed",
        str(SEED),
        "--chunk",
        str(CHUNK),
        "--jobs",
        "1",
        "--out",
        str(out),
    ]
    assert cli.main(argv) == 128 + signal.SIGHUP
    one_line(capsys.readouterr().err, "stopped by SIGHUP", "finished chunks are kept", "--resume")
    assert Parts(out).done() == {0, 1}
    assert signal.getsignal(signal.SIGHUP) is signal.SIG_DFL  # handlers restored
    monkeypatch.undo()
    assert batch(capsys, scenario, out, "--resume")[0] == 0
    assert out.read_bytes() == whole


def _children(pid: int) -> set[int]:
    try:
        return {int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()}
    except OSError:
        return set()


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.mark.slow
@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads worker ids from /proc")
def test_sigterm_to_a_real_batch_leaves_no_worker_and_resumes(scenario, tmp_path):
    out = tmp_path / "r.parquet"
    runs, seed, chunk = 1000, 9, 50
    argv = [
        sys.executable,
        "-m",
        "summit",
        "batch",
        str(scenario),
        "--runs",
        str(runs),
        "--seed",
        str(seed),
        "--chunk",
        str(chunk),
        "--jobs",
        "2",
        "--out",
        str(out),
        "--quiet",
    ]
    proc = subprocess.Popen(
        argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=ENV
    )
    parts, workers = Parts(out), set()
    deadline = time.monotonic() + 90
    while len(parts.done()) < 2 and proc.poll() is None and time.monotonic() < deadline:
        workers |= _children(proc.pid)
        time.sleep(0.02)
    workers |= _children(proc.pid)
    proc.send_signal(signal.SIGTERM)
    _, err = proc.communicate(timeout=90)
    if proc.returncode == 0:
        pytest.skip("the batch finished before SIGTERM arrived")
    assert proc.returncode == 128 + signal.SIGTERM, err
    one_line(err, "stopped by SIGTERM", "finished chunks are kept", "--resume")
    assert workers, "the batch had no worker processes"
    time.sleep(0.5)
    assert not [pid for pid in workers if _alive(pid)], "worker processes left behind"
    assert not out.exists() and len(parts.done()) >= 2 and not BatchLock(out).path.exists()
    code = subprocess.run([*argv, "--resume"], capture_output=True, text=True, env=ENV, timeout=300)
    assert code.returncode == 0, code.stderr
    reference = tmp_path / "whole.parquet"
    write_batch(scenario, runs, seed, reference, jobs=1, chunk=chunk)
    assert out.read_bytes() == reference.read_bytes()


# --------------------------------------------------------------------------- other writes


def test_map_csv_on_a_full_disk(tmp_path, capsys, monkeypatch):
    import builtins

    real_open = builtins.open

    def full(path, mode="r", *args, **kwargs):
        if str(path).endswith("cells.csv") and "w" in mode:
            raise enospc()
        return real_open(path, mode, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", full)
    code = cli.main(
        [
            "map",
            str(JERUSALEM),
            "--x",
            "russia.capability",
            "--y",
            "us.capability",
            "--outcome",
            "deal",
            "--steps",
            "2",
            "--runs",
            "4",
            "--jobs",
            "1",
            "--csv",
            str(tmp_path / "cells.csv"),
        ]
    )
    assert code == 1
    err = capsys.readouterr().err
    one_line(err, f"cannot write {tmp_path / 'cells.csv'}: the disk is full")


def test_report_into_a_folder_without_permission(tmp_path, capsys, monkeypatch, scenario):
    results = tmp_path / "r.csv"
    write_batch(scenario, 10, 1, results, jobs=1)
    real = Path.write_text

    def refuse(self, *args, **kwargs):
        if self.suffix == ".html":
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES))
        return real(self, *args, **kwargs)

    monkeypatch.setattr(Path, "write_text", refuse)
    assert cli.main(["report", str(results)]) == 1
    html = results.with_suffix(".html")
    one_line(capsys.readouterr().err, f"cannot write {html}: permission denied")


@pytest.mark.slow
@pytest.mark.skipif(
    not sys.platform.startswith("linux") or os.geteuid() != 0, reason="mounts a tmpfs"
)
def test_a_real_full_disk_then_room_again(scenario, tmp_path, capsys):
    """A 400 KiB tmpfs fills up part way through; made larger, --resume finishes the very file."""
    small = tmp_path / "small"
    small.mkdir()
    if (
        subprocess.run(
            ["mount", "-t", "tmpfs", "-o", "size=400k", "tmpfs", str(small)], capture_output=True
        ).returncode
        != 0
    ):
        pytest.skip("cannot mount a tmpfs here")
    try:
        out, args = small / "r.parquet", ("--runs", 6000, "--chunk", 500)
        code, _, err = batch(capsys, scenario, out, *args)
        assert code == 1
        one_line(err, "the disk is full", "runs are kept in", "once there is room")
        kept = len(Parts(out).done())
        assert 0 < kept < 12 and f"{kept * 500:,} of 6,000 runs are kept" in err
        subprocess.run(["mount", "-o", "remount,size=8m", str(small)], check=True)
        assert batch(capsys, scenario, out, *args, "--resume")[0] == 0
        reference = tmp_path / "whole.parquet"
        assert batch(capsys, scenario, reference, *args)[0] == 0
        assert out.read_bytes() == reference.read_bytes()
    finally:
        subprocess.run(["umount", str(small)], capture_output=True)


@pytest.fixture
def locked_folder(tmp_path):
    """A real folder nobody may write to: chmod for a user, chattr +i for root (where it works)."""
    folder = tmp_path / "locked"
    folder.mkdir()
    folder.chmod(0o500)
    undo = ["chmod"]
    try:
        (folder / "probe").touch()
    except PermissionError:
        pass
    else:
        (folder / "probe").unlink()
        if (
            shutil.which("chattr") is None
            or subprocess.run(["chattr", "+i", str(folder)], capture_output=True).returncode != 0
        ):
            folder.chmod(0o700)
            pytest.skip("cannot make a folder unwritable here")
        undo.append("chattr")
    yield folder
    if "chattr" in undo:
        subprocess.run(["chattr", "-i", str(folder)], capture_output=True)
    folder.chmod(0o700)


def test_a_real_unwritable_folder(scenario, locked_folder, capsys):
    code, _, err = batch(capsys, scenario, locked_folder / "r.parquet")
    assert code == 1
    one_line(err, f"cannot write {locked_folder / 'r.parquet'}: permission denied")
    assert list(locked_folder.iterdir()) == []
    results = locked_folder.parent / "r.csv"
    write_batch(scenario, 10, 1, results, jobs=1)
    capsys.readouterr()
    assert cli.main(["report", str(results), "--out", str(locked_folder / "r.html")]) == 1
    one_line(capsys.readouterr().err, f"cannot write {locked_folder / 'r.html'}: permission denied")
