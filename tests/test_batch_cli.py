"""`summit batch` on the command line: the table and summary, a real Ctrl-C, and bad input
(one line on stderr, exit status 2, finished results kept)."""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys

import pyarrow.parquet as pq
import pytest
from conftest import JERUSALEM, ROOT

from summit import cli
from summit.batch import simulate, write_batch
from summit.batch.names import vocabularies
from summit.batch.store import Parts, from_table
from summit.scenario import load_spec


@pytest.fixture
def scenario(tmp_path):
    path = tmp_path / "jerusalem-2019.toml"
    shutil.copy(JERUSALEM, path)
    return path


def batch(capsys, *args) -> tuple[int, str, str]:
    try:
        code = cli.main(["batch", *map(str, args)])
    except SystemExit as stop:  # argparse refused an option value
        code = stop.code
    out, err = capsys.readouterr()
    return code, out, err


def one_line_error(code: int, err: str, *words: str) -> None:
    assert code == 2
    assert err.count("\n") == 1 and err.startswith(("summit: ", "summit batch: error: ")), err
    for word in words:
        assert word in err, err


def test_batch_writes_the_table_and_prints_a_summary(scenario, tmp_path, capsys):
    out = tmp_path / "r.parquet"
    code, stdout, stderr = batch(
        capsys, scenario, "--runs", 30, "--seed", 4, "--out", out, "--jobs", 1, "--chunk", 8
    )
    assert code == 0
    table = pq.read_table(out)
    assert table.num_rows == 30
    assert table.column("run_seed").to_pylist() == list(simulate(scenario, 30, seed=4)["run_seed"])
    assert "deal" in stdout and "95% Wilson" in stdout and "us.payoff" in stdout
    assert "Nash bargaining solution (mean parameters, start of round 1" in stdout
    assert "30/30 runs" in stderr and "runs/s" in stderr and "left" in stderr and "\r" in stderr


def test_batch_without_out_prints_only_the_summary(scenario, tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    code, stdout, _ = batch(capsys, scenario, "--runs", 12, "--jobs", 1, "--chunk", 5, "--quiet")
    assert code == 0 and "frequencies over 12 runs" in stdout
    assert sorted(p.name for p in tmp_path.iterdir()) == ["jerusalem-2019.toml"]


@pytest.mark.parametrize(
    "option, value, words",
    [
        ("--runs", 0, ("argument --runs: must be at least 1 (got 0)",)),
        ("--runs", -3, ("argument --runs: must be at least 1 (got -3)",)),
        ("--chunk", 0, ("argument --chunk: must be at least 1 (got 0)",)),
        ("--jobs", 0, ("argument --jobs: must be at least 1 (got 0)",)),
        ("--seed", -1, ("argument --seed: a seed is a whole number from 0 to 2**63 - 1 (got -1)",)),
        ("--seed", 2**63, ("argument --seed", "from 0 to 2**63 - 1")),
        ("--memory", "lots", ("argument --memory", "e.g. 1G or 512M")),
        ("--memory", "1M", ("argument --memory: must be at least 16M (got 1M)",)),
        ("--dask-timeout", 0, ("argument --dask-timeout: must be more than 0 seconds",)),
    ],
)
def test_bad_option_values(scenario, tmp_path, capsys, option, value, words):
    code, _, err = batch(capsys, scenario, option, value, "--out", tmp_path / "r.parquet")
    one_line_error(code, err, *words)
    assert not (tmp_path / "r.parquet.parts").exists()


def test_a_budget_too_small_for_one_run_is_refused(scenario, tmp_path, capsys):
    code, _, err = batch(
        capsys,
        scenario,
        "--runs",
        5,
        "--memory",
        "16M",
        "--jobs",
        1,
        "--out",
        tmp_path / "r.parquet",
    )
    one_line_error(code, err, "memory 16 MB is too small for this scenario with 1 job(s)")
    assert not (tmp_path / "r.parquet.parts").exists()


def test_output_that_cannot_be_written(scenario, tmp_path, capsys):
    code, _, err = batch(
        capsys, scenario, "--runs", 5, "--jobs", 1, "--out", tmp_path / "no" / "such" / "r.parquet"
    )
    one_line_error(code, err, "cannot write")
    (tmp_path / "folder.csv").mkdir()
    code, _, err = batch(
        capsys, scenario, "--runs", 5, "--jobs", 1, "--out", tmp_path / "folder.csv"
    )
    one_line_error(code, err, "cannot write")


def test_unknown_extension(scenario, tmp_path, capsys):
    code, _, err = batch(capsys, scenario, "--runs", 5, "--out", tmp_path / "r.xlsx")
    one_line_error(code, err, ".xlsx", ".parquet", ".csv")


def test_dask_address_that_does_not_answer(scenario, tmp_path, capsys):
    pytest.importorskip("distributed")
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    code, _, err = batch(
        capsys,
        scenario,
        "--runs",
        5,
        "--out",
        tmp_path / "r.parquet",
        "--dask",
        f"tcp://127.0.0.1:{port}",
        "--dask-timeout",
        1,
    )
    one_line_error(code, err, "Dask", f"127.0.0.1:{port}")
    assert not (tmp_path / "r.parquet.parts").exists()


def unfinished(scenario, out, runs=20, seed=1):
    """A batch interrupted after its first chunk."""

    def stop(done, total):
        if done:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        write_batch(scenario, runs, seed, out, jobs=1, chunk=5, on_chunk=stop)
    assert Parts(out).done() == {0}
    return Parts(out).part(0).read_bytes()


def test_resume_from_another_scenario_or_seed_keeps_the_parts(scenario, tmp_path, capsys):
    out = tmp_path / "r.parquet"
    kept = unfinished(scenario, out)
    other = tmp_path / "other.toml"
    other.write_text(scenario.read_text() + "\n# edited\n")
    checks = [
        ((other, "--seed", 1, "--runs", 20), ("another scenario", "other.toml")),
        ((scenario, "--seed", 2, "--runs", 20), ("seed", "1")),
        ((scenario, "--seed", 1, "--runs", 30), ("runs", "20")),
    ]
    for args, words in checks:
        code, _, err = batch(capsys, *args, "--out", out, "--resume", "--jobs", 1)
        one_line_error(code, err, "cannot resume", *words)
        assert Parts(out).part(0).read_bytes() == kept
    original = scenario.read_text()
    scenario.write_text(original + "\n# edited in place\n")
    code, _, err = batch(
        capsys, scenario, "--seed", 1, "--runs", 20, "--out", out, "--resume", "--jobs", 1
    )
    one_line_error(code, err, "cannot resume", "has changed")
    scenario.write_text(original)
    # starting afresh over an unfinished batch is refused too
    code, _, err = batch(capsys, scenario, "--seed", 1, "--runs", 20, "--out", out, "--jobs", 1)
    one_line_error(code, err, "--resume")
    assert Parts(out).part(0).read_bytes() == kept
    # and nothing to resume is said plainly
    code, _, err = batch(
        capsys, scenario, "--runs", 20, "--out", tmp_path / "none.parquet", "--resume"
    )
    one_line_error(code, err, "nothing to resume")
    # the right command finishes it
    code, _, _ = batch(
        capsys, scenario, "--seed", 1, "--runs", 20, "--out", out, "--resume", "--jobs", 1
    )
    assert code == 0 and pq.read_table(out).num_rows == 20


@pytest.mark.slow
@pytest.mark.skipif(sys.platform == "win32", reason="SIGINT to a child process")
def test_real_ctrl_c_then_resume(scenario, tmp_path):
    out = tmp_path / "r.parquet"
    runs, seed = 1000, 9
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
        "10",
        "--jobs",
        "2",
        "--out",
        str(out),
    ]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen(
        argv,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )  # even if ignored here
    # Read the progress line as it is written (no polling): Ctrl-C once 20 runs (two chunks of
    # 10) are on disk, long before the other 98 chunks can be played.
    seen = ""
    while (char := proc.stderr.read(1)) and not re.search(r" ([2-9]\d|\d{3})/1,000 runs", seen):
        seen += char
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=90)  # a loaded CI machine may be slow to stop two workers
    assert proc.returncode == 130, seen + err
    assert "interrupted" in err and "--resume" in err and "Traceback" not in err
    parts = Parts(out)
    assert not out.exists() and len(parts.done()) >= 2
    write_batch(scenario, runs, seed, out, jobs=2, resume=True)
    table = from_table(pq.read_table(out), vocabularies(load_spec(scenario)))
    whole = simulate(scenario, runs, seed=seed, chunk=runs)
    for name in table:
        assert (table[name] == whole[name]).all(), name
