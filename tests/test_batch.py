"""Batch Monte Carlo: replayable rows, one table whatever the jobs, chunks, engine or executor,
interrupt and resume, and the streaming summary checked by hand."""

from __future__ import annotations

import json
import shutil

import numpy as np
import pyarrow.csv as pacsv
import pyarrow.parquet as pq
import pytest
from conftest import JERUSALEM, SCENARIOS

from summit import cli, rng
from summit.batch import Summary, simulate, summarize, wilson, write_batch
from summit.batch.engine import play_chunk, table_schema
from summit.batch.names import codes_from_words, vocabularies
from summit.batch.store import Parts
from summit.model import SummitModel
from summit.outcomes import outcome_columns
from summit.params import sampled_columns
from summit.scenario import load_spec


@pytest.fixture(scope="module")
def scenario(tmp_path_factory):
    """A private copy of the Jerusalem scenario (others may edit the original meanwhile)."""
    path = tmp_path_factory.mktemp("scenario") / "jerusalem-2019.toml"
    shutil.copy(JERUSALEM, path)
    return path


@pytest.fixture(scope="module")
def spec(scenario):
    return load_spec(scenario)


@pytest.fixture(scope="module")
def table(spec):
    """60 runs of batch seed 11 in one chunk, in this process."""
    return simulate(spec, 60, seed=11, chunk=60)


def same_columns(a: dict, b: dict) -> None:
    assert list(a) == list(b)
    for name in a:
        np.testing.assert_array_equal(np.asarray(a[name]), np.asarray(b[name]), err_msg=name)


def read(path) -> dict:
    """A stored table as columns, its named columns turned back into the engine's codes."""
    t = pq.read_table(path) if str(path).endswith(".parquet") else pacsv.read_csv(path)
    words = vocabularies(load_spec(JERUSALEM))
    return {
        name: codes_from_words(t.column(name).to_pylist(), words[name])
        if name in words
        else t.column(name).to_numpy()
        for name in t.column_names
    }


def test_end_reason_walked_out_and_sequencing_are_stored_as_the_json_words(
    scenario, tmp_path, capsys
):
    out = tmp_path / "t.parquet"
    write_batch(scenario, 40, 3, out, jobs=1, chunk=40)
    table = pq.read_table(out)
    for name in ("end_reason", "walked_out", "sequencing"):
        assert (
            str(table.schema.field(name).type)
            == "dictionary<values=string, indices=int8, ordered=0>"
        )
    seeds = table.column("run_seed").to_pylist()
    stored = {
        name: table.column(name).to_pylist() for name in ("end_reason", "walked_out", "sequencing")
    }
    assert set(stored["end_reason"]) <= {"deal", "deadline", "walkout"}
    assert None in stored["walked_out"] and None in stored["sequencing"]  # both kinds occur
    for row in (0, stored["end_reason"].index("walkout"), stored["end_reason"].index("deal")):
        assert cli.main(["run", str(scenario), "--seed", str(seeds[row]), "--json"]) == 0
        shown = json.loads(capsys.readouterr().out.splitlines()[-1])  # the outcome line
        for name in ("end_reason", "walked_out", "sequencing"):
            assert stored[name][row] == shown[name], (row, name)
    csv_out = tmp_path / "t.csv"
    write_batch(scenario, 40, 3, csv_out, jobs=1, chunk=40)
    assert pacsv.read_csv(csv_out).column("end_reason").to_pylist() == stored["end_reason"]


def test_columns_are_run_seed_params_outcomes(spec, table):
    sampled = [s.name for s in spec.sampled_slots()]
    names = list(table)
    assert names[:2] == ["run", "run_seed"]
    assert names[2 : 2 + len(sampled)] == sampled
    assert {"deal", "end_reason", "agreed.iran_withdrawal", "russia.paid_for_unkept"} <= set(names)
    np.testing.assert_array_equal(table["run"], np.arange(60))
    np.testing.assert_array_equal(table["run_seed"], rng.run_seeds(11, 0, 60))


def test_every_row_replays_with_summit_model(spec, table):
    for i in range(0, 60, 2):
        model = SummitModel(spec, int(table["run_seed"][i]))
        model.run()
        row = {
            **sampled_columns(spec, model.state.initial),
            **outcome_columns(spec, model.state, model.result),
        }
        for name, value in row.items():
            assert value[0] == table[name][i], (i, name)


def test_summit_run_prints_the_row(scenario, table, capsys):
    for i in (3, 17):
        assert cli.main(["run", str(scenario), "--seed", str(table["run_seed"][i]), "--json"]) == 0
        lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
        header, outcome = lines[0], lines[-1]
        for name, value in header["parameters"].items():
            assert value == table[name][i], name
        assert outcome["deal"] == table["deal"][i]
        for issue, level in outcome["agreed"].items():
            assert level == table[f"agreed.{issue}"][i]


def test_engines_give_the_same_table(spec, table):
    mesa = simulate(spec, 24, seed=11, chunk=10, engine="mesa")
    same_columns(mesa, {k: v[:24] for k, v in table.items()})


def test_chunks_and_jobs_do_not_change_the_table(spec, table):
    same_columns(simulate(spec, 60, seed=11, chunk=7), table)
    same_columns(simulate(spec, 60, seed=11, chunk=13, jobs=2), table)


def test_files_are_identical_for_jobs_and_chunks(scenario, table, tmp_path):
    one = write_batch(scenario, 60, 11, tmp_path / "one.parquet", jobs=1, chunk=60)
    two = write_batch(scenario, 60, 11, tmp_path / "two.parquet", jobs=2, chunk=9)
    assert (tmp_path / "one.parquet").read_bytes() == (tmp_path / "two.parquet").read_bytes()
    same_columns(read(tmp_path / "one.parquet"), table)
    assert not (tmp_path / "one.parquet.parts").exists()
    assert one.summary.counts == two.summary.counts
    assert one.summary.quantiles("us.payoff") == two.summary.quantiles("us.payoff")


def test_csv_holds_the_same_table(scenario, table, tmp_path):
    write_batch(scenario, 60, 11, tmp_path / "t.csv", jobs=1, chunk=25)
    same_columns({k: v.astype(table[k].dtype) for k, v in read(tmp_path / "t.csv").items()}, table)


def test_dask_cluster_gives_the_same_table(scenario, table, tmp_path):
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(
        n_workers=1, threads_per_worker=2, processes=False, dashboard_address=None
    ) as cluster:
        write_batch(
            scenario, 60, 11, tmp_path / "d.parquet", chunk=20, dask=cluster.scheduler_address
        )
        cols = simulate(scenario, 60, seed=11, chunk=25, dask=cluster.scheduler_address)
    same_columns(read(tmp_path / "d.parquet"), table)
    same_columns(cols, table)


def interrupt_after(chunks: int):
    """An on_chunk hook that presses Ctrl-C once ``chunks`` chunks are done."""
    calls = []

    def hook(done, total):
        calls.append(done)
        if len(calls) > chunks:
            raise KeyboardInterrupt

    return hook


def test_interrupt_keeps_finished_chunks_and_resume_finishes(scenario, table, tmp_path):
    out, runs = tmp_path / "r.parquet", 40
    with pytest.raises(KeyboardInterrupt):
        write_batch(scenario, runs, 11, out, jobs=1, chunk=10, on_chunk=interrupt_after(1))
    parts = Parts(out)
    assert not out.exists() and parts.done() == {0}
    manifest = parts.read_manifest()
    assert (manifest["seed"], manifest["runs"], manifest["chunk"]) == (11, runs, 10)
    assert list(manifest["columns"]) == list(table)
    with pytest.raises(KeyboardInterrupt):  # a second interruption, now with two processes
        write_batch(scenario, runs, 11, out, jobs=2, resume=True, on_chunk=interrupt_after(1))
    assert {0} < parts.done() < {0, 1, 2, 3}
    report = write_batch(scenario, runs, 11, out, jobs=1, resume=True)
    assert report.played < runs and report.runs == runs
    same_columns(read(out), {k: v[:runs] for k, v in table.items()})
    write_batch(scenario, runs, 11, tmp_path / "whole.parquet", jobs=1, chunk=10)
    assert out.read_bytes() == (tmp_path / "whole.parquet").read_bytes()
    assert (
        report.summary.counts
        == summarize(
            {k: v[:runs] for k, v in table.items()}, names=list(report.summary.counts)
        ).counts
    )


def test_overrides_set_parameters(spec):
    cols = simulate(
        spec,
        8,
        seed=2,
        chunk=3,
        overrides={"russia.capability": 0.9, "iran.strength": np.linspace(0.1, 0.8, 8)},
    )
    np.testing.assert_array_equal(cols["russia.capability"], np.full(8, 0.9))
    np.testing.assert_allclose(cols["iran.strength"], np.linspace(0.1, 0.8, 8))
    same_columns(
        simulate(
            spec,
            8,
            seed=2,
            chunk=8,
            engine="mesa",
            overrides={"russia.capability": 0.9, "iran.strength": np.linspace(0.1, 0.8, 8)},
        ),
        cols,
    )


# --------------------------------------------------------------------------- the summary by hand


def test_wilson_interval_by_hand():
    # k = 3, n = 10, z = 1.96: p = 0.3, centre = (0.3 + 0.19208) / 1.38415 = 0.35551,
    # half = 1.95996 / 1.38415 * sqrt(0.021 + 0.0096) = 0.24770 -> [0.1078, 0.6032]
    lo, hi = wilson(3, 10)
    assert (round(lo, 4), round(hi, 4)) == (0.1078, 0.6032)
    assert wilson(0, 5)[0] == 0.0 and wilson(5, 5)[1] == 1.0


def test_summary_frequencies_means_and_quantiles_by_hand():
    cols = {
        "run": np.arange(10),
        "deal": np.array([1, 1, 0, 1, 0, 0, 0, 1, 0, 0], dtype=bool),  # 4 of 10
        "end_reason": np.array([1, 1, 3, 1, 2, 2, 3, 1, 2, 2], dtype=np.int8),
        "delivered.x": np.array([0, 0.5, 1, 1.9999999999, 2, 0, 0, 0, 0, 0]),
        "payoff": np.arange(10, dtype=float),  # 0..9
    }
    s = Summary()
    s.add({k: v[:4] for k, v in cols.items()})  # in two chunks, as a batch would
    s.add({k: v[4:] for k, v in cols.items()})
    share, lo, hi = s.frequency("deal")
    assert share == 0.4 and (round(lo, 4), round(hi, 4)) == (0.1682, 0.6873)
    assert s.counts["end_reason"] == {1: 4, 2: 4, 3: 2}
    assert s.frequency("end_reason", 3)[0] == 0.2
    assert s.counts["delivered.x"] == {0: 7, 1: 1, 2: 2}  # level reached: floor(x + 1e-9)
    assert s.mean("payoff") == 4.5
    # linear quantiles of 0..9: 5% at 0.45, 50% at 4.5, 95% at 8.55
    assert s.quantiles("payoff") == pytest.approx((0.45, 4.5, 8.55))
    text = s.render()
    assert "end_reason = walkout" in text and "40.00%" in text


def test_summary_sample_is_bounded_and_chunking_free():
    rng_ = np.random.default_rng(0)
    x = rng_.normal(size=5000)
    a, b = Summary(sample=500), Summary(sample=500)
    a.add({"run": np.arange(5000), "x": x})
    for lo in range(0, 5000, 333):
        b.add({"run": np.arange(lo, min(lo + 333, 5000)), "x": x[lo : lo + 333]})
    assert len(a.sample("x")) == 500
    assert (a.sample("x") == b.sample("x")).all()
    assert a.quantiles("x") == b.quantiles("x")
    assert a.mean("x") == pytest.approx(b.mean("x"))
    assert a.quantiles("x")[1] == pytest.approx(0.0, abs=0.15)


@pytest.mark.parametrize("seed", [-1, 2**63])
def test_the_library_refuses_seeds_outside_the_run_seed_range(spec, seed):
    from summit.errors import UsageError

    with pytest.raises(UsageError, match=r"^seed must be a whole number from 0 to 2\*\*63 - 1"):
        simulate(spec, 2, seed=seed)
    with pytest.raises(ValueError, match=r"^seed must be a whole number"):
        rng.run_seeds(seed, 0, 2)


@pytest.mark.parametrize(
    "command",
    [
        ["run", "jerusalem-2019"],
        ["play", "jerusalem-2019"],
        ["analyze", "jerusalem-2019"],
        ["batch", "jerusalem-2019"],
        ["backtest"],
        ["sensitivity", "jerusalem-2019", "--outcome", "deal"],
    ],
)
def test_every_command_refuses_seed_minus_one(command, capsys):
    with pytest.raises(SystemExit) as stop:
        cli.main([*command, "--seed", "-1"])
    assert stop.value.code == 2
    assert "argument --seed: a seed is a whole number from 0 to 2**63 - 1 (got -1)" in (
        capsys.readouterr().err
    )


@pytest.mark.parametrize(
    "path",
    sorted([*SCENARIOS.glob("*.toml"), *SCENARIOS.glob("history/*.toml")]),
    ids=lambda p: p.stem,
)
def test_declared_schema_is_what_a_game_gives(path):
    """The table's columns are declared, not learnt by playing: the declaration must match a
    played chunk name for name, in order, dtype for dtype, on every shipped scenario."""
    spec = load_spec(path)
    played = play_chunk(spec, 0, rng.run_seeds(0, 0, 3))
    assert [(k, v.dtype) for k, v in played.items()] == list(table_schema(spec).items())
