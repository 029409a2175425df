"""summit sensitivity: Sobol' and Morris indices over a scenario's sampled parameters."""

from __future__ import annotations

import csv

import pytest

from summit.cli import main


# The contest of test_map (delivery with no resisters: odds (cap*will)^2 / ((cap*will)^2 + 0.05^2)),
# with capability drawn over a wide range, willingness over a narrow one, and a parameter that
# plays no part at all (b resists nothing, so its entrenchment never matters).
@pytest.fixture
def dominant(contest) -> dict:
    data = contest
    data["summit"].update(title="Dominant", description="Capability decides delivery.")
    a, b = data["actors"]
    a["capability"] = {"uniform": [0.01, 0.2]}
    a["willingness"] = {"x": {"uniform": [0.9, 1.0]}}
    b["entrenchment"] = {"uniform": [0.0, 1.0]}
    return data


@pytest.fixture
def dominant_spec(dominant):
    from summit.scenario import compile_scenario, parse_scenario

    return compile_scenario(parse_scenario(dominant, "dominant.toml"))


def test_factors_come_from_the_distributions(dominant_spec):
    from summit.analysis.sensitivity import factors

    fs = {f.name: (f.low, f.high) for f in factors(dominant_spec)}
    assert fs == {
        "a.capability": (0.01, 0.2),
        "a.willingness.x": (0.9, 1.0),
        "b.entrenchment": (0.0, 1.0),
    }


def test_sobol_ranks_the_dominant_parameter_first(dominant_spec):
    from summit.analysis.sensitivity import run_sensitivity

    r = run_sensitivity(dominant_spec, "delivered.x", "sobol", n=64, replications=16, seed=4)
    names = [r.factors[j].name for j in r.ranked()]
    assert names[0] == "a.capability"
    ix = {f.name: j for j, f in enumerate(r.factors)}
    assert r.indices["ST"][ix["a.capability"]] > 0.6
    assert r.indices["S1"][ix["a.capability"]] > 0.5
    assert abs(r.indices["ST"][ix["b.entrenchment"]]) < 0.05  # plays no part
    assert r.points == 64 * (3 + 2) and r.runs == r.points * 16


def test_morris_ranks_the_dominant_parameter_first(dominant_spec):
    from summit.analysis.sensitivity import run_sensitivity

    r = run_sensitivity(dominant_spec, "delivered.x", "morris", n=20, replications=16, seed=4)
    assert r.factors[r.ranked()[0]].name == "a.capability"
    ix = {f.name: j for j, f in enumerate(r.factors)}
    assert (
        r.indices["mu_star"][ix["a.capability"]] > 3 * r.indices["mu_star"][ix["a.willingness.x"]]
    )
    assert r.points == 20 * (3 + 1)


def test_sensitivity_command_prints_and_saves(write_scenario, dominant, tmp_path, capsys):
    path = write_scenario(dominant, "dominant.toml")
    out_csv, out_png = tmp_path / "s.csv", tmp_path / "s.png"
    rc = main(
        [
            "sensitivity",
            str(path),
            "--outcome",
            "delivered.x",
            "--method",
            "sobol",
            "--n",
            "32",
            "--replications",
            "8",
            "--jobs",
            "1",
            "--csv",
            str(out_csv),
            "--png",
            str(out_png),
        ]
    )
    out = capsys.readouterr().out
    assert rc == 0
    lines = out.splitlines()
    assert all(len(line) <= 80 for line in lines if not line.startswith(("table:", "chart:")))
    first = next(line for line in lines if line.strip().startswith("1 "))
    assert "a.capability" in first and "±" in first
    rows = list(csv.DictReader(out_csv.open()))
    assert [r["parameter"] for r in rows][0] == "a.capability"
    assert set(rows[0]) == {"rank", "parameter", "low", "high", "S1", "S1_conf", "ST", "ST_conf"}
    assert out_png.read_bytes()[:4] == b"\x89PNG"


def test_files_only_when_asked(write_scenario, dominant, tmp_path, capsys, monkeypatch):
    folder = tmp_path / "here"
    folder.mkdir()
    path = write_scenario(dominant, "dominant.toml")
    monkeypatch.chdir(folder)
    assert (
        main(
            [
                "sensitivity",
                str(path),
                "--outcome",
                "deal",
                "--method",
                "morris",
                "--n",
                "4",
                "--replications",
                "2",
                "--jobs",
                "1",
            ]
        )
        == 0
    )
    out = capsys.readouterr().out
    assert list(folder.iterdir()) == []  # no --csv, no --png: no files
    assert "table:" not in out and "chart:" not in out
    assert "the same value at every design point" in out  # every run is a deal


@pytest.mark.parametrize(
    "args, message",
    [
        (["--method", "sobol", "--n", "100"], "Sobol' sampling needs a power of 2"),
        (["--method", "sobol", "--n", "1"], "power of 2 of at least 2"),
        (["--method", "morris", "--n", "1"], "Morris needs at least 2 trajectories"),
    ],
)
def test_sample_sizes_salib_cannot_use(write_scenario, dominant, capsys, args, message):
    path = write_scenario(dominant, "dominant.toml")
    assert main(["sensitivity", str(path), "--outcome", "deal", *args, "--jobs", "1"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and message in err


def test_unknown_outcome_and_nothing_to_vary(write_scenario, dominant, capsys):
    path = write_scenario(dominant, "dominant.toml")
    assert main(["sensitivity", str(path), "--outcome", "iran_presence", "--n", "8"]) == 2
    err = capsys.readouterr().err
    assert "unknown outcome 'iran_presence'" in err and "delivered.x" in err
    fixed = dominant
    fixed["actors"][0]["capability"] = 0.1
    fixed["actors"][0]["willingness"] = {"x": 1.0}
    del fixed["actors"][1]["entrenchment"]
    path = write_scenario(fixed, "fixed.toml")
    assert main(["sensitivity", str(path), "--outcome", "deal", "--n", "8"]) == 2
    assert "draws no parameter from a distribution" in capsys.readouterr().err
