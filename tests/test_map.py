"""summit map: a grid of Monte Carlo batches over two parameters, checked against the contest
formula of summit/rules/utility.py on a scenario where delivery has no resisters."""

from __future__ import annotations

import numpy as np
import pytest

from summit.cli import main
from summit.rules.utility import FRICTION


def contest_odds(cap, will, m=2.0):
    force = np.asarray(cap) * np.asarray(will)
    return force**m / (force**m + FRICTION**m)


def test_map_cells_follow_the_contest_formula(contest_spec):
    from summit.analysis.maps import run_map

    runs = 500
    m = run_map(
        contest_spec,
        "a.capability",
        "a.willingness.x",
        "delivered.x",
        steps=4,
        runs=runs,
        x_range=(0.02, 0.2),
        y_range=(0.2, 1.0),
        seed=3,
    )
    assert m.mean.shape == (4, 4)
    np.testing.assert_allclose(m.xs, [0.02, 0.08, 0.14, 0.2])
    np.testing.assert_allclose(m.ys, [0.2, 0.4667, 0.7333, 1.0], atol=1e-3)
    expected = contest_odds(m.xs[None, :], m.ys[:, None], contest_spec.rules.delivery_steepness)
    se = np.sqrt(expected * (1 - expected) / runs)
    assert np.all(np.abs(m.mean - expected) <= 4 * se + 0.005), (m.mean, expected)
    # the formula spans most of [0, 1] over this grid, so the check has teeth
    assert expected.min() < 0.01 and expected.max() > 0.93
    assert not m.boolean


def test_map_of_a_boolean_outcome_gives_frequencies(contest_spec):
    from summit.analysis.maps import render_text, run_map

    m = run_map(
        contest_spec,
        "a.capability",
        "a.willingness.x",
        "deal",
        steps=2,
        runs=50,
        x_range=(0.02, 0.2),
        y_range=(0.2, 1.0),
    )
    assert m.boolean
    np.testing.assert_array_equal(
        m.mean, np.ones((2, 2))
    )  # every run of the contest makes the deal
    assert "every cell 1.00" in render_text(m)


def test_map_command_writes_terminal_map_png_and_csv(write_scenario, contest, tmp_path, capsys):
    path = write_scenario(contest, "contest.toml")
    png, csv = tmp_path / "m.png", tmp_path / "m.csv"
    rc = main(
        [
            "map",
            str(path),
            "--x",
            "a.capability",
            "--y",
            "a.willingness.x",
            "--outcome",
            "delivered.x",
            "--steps",
            "5",
            "--runs",
            "40",
            "--x-range",
            "0.02",
            "0.2",
            "--jobs",
            "1",
            "--png",
            str(png),
            "--csv",
            str(csv),
        ]
    )
    out = capsys.readouterr().out
    assert rc == 0
    lines = out.splitlines()
    shown = [line for line in lines if str(tmp_path) not in line]  # file paths may be any length
    assert all(len(line) <= 80 for line in shown), [line for line in shown if len(line) > 80]
    assert "legend:" in out and "a.capability (right)" in out and "a.willingness.x (up)" in out
    assert sum("│" in line for line in lines) == 5  # one row per y value
    assert any(ch in out for ch in "░▒▓█")
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    rows = csv.read_text().splitlines()
    assert rows[0] == "a.capability,a.willingness.x,mean delivered.x,se,runs"
    assert len(rows) == 1 + 25
    x, y, mean, se, runs = rows[-1].split(",")
    assert (float(x), float(y), int(runs)) == (0.2, 1.0, 40)
    assert 0.7 <= float(mean) <= 1.0


def test_default_range_is_the_parameters_valid_range(contest_spec):
    from summit.analysis.maps import check_range

    assert check_range(contest_spec, "a.capability", None, "--x-range") == (0.0, 1.0)
    assert check_range(contest_spec, "a.strength", None, "--x-range") == (0.0, 10.0)
    assert check_range(contest_spec, "a.salience.x", None, "--x-range") == (0.0, 100.0)


@pytest.mark.parametrize(
    "args, message",
    [
        (
            ["--x", "a.capabilty", "--y", "a.willingness.x", "--outcome", "deal"],
            "unknown parameter (x) 'a.capabilty'",
        ),
        (
            ["--x", "a.capability", "--y", "nobody.capability", "--outcome", "deal"],
            "unknown parameter (y)",
        ),
        (
            ["--x", "a.capability", "--y", "a.willingness.x", "--outcome", "iran_presence"],
            "unknown outcome 'iran_presence'",
        ),
        (
            ["--x", "a.capability", "--y", "a.capability", "--outcome", "deal"],
            "two different parameters",
        ),
        (
            [
                "--x",
                "a.capability",
                "--y",
                "a.willingness.x",
                "--outcome",
                "deal",
                "--x-range",
                "0.5",
                "2",
            ],
            "leaves the valid range",
        ),
    ],
)
def test_map_bad_input_is_one_line_and_exit_2(write_scenario, contest, capsys, args, message):
    path = write_scenario(contest, "contest.toml")
    rc = main(["map", str(path), *args, "--jobs", "1"])
    err = capsys.readouterr().err
    assert rc == 2
    assert err.count("\n") == 1 and err.startswith("summit: ")
    assert message in err


@pytest.mark.parametrize(
    "option, value, message",
    [
        ("--steps", "1", "argument --steps: must be at least 2 (got 1)"),
        ("--runs", "0", "argument --runs: must be at least 1 (got 0)"),
        ("--seed", "-1", "argument --seed: a seed is a whole number from 0 to 2**63 - 1 (got -1)"),
        ("--chunk", "0", "argument --chunk: must be at least 1 (got 0)"),
    ],
)
def test_map_bad_option_values_are_refused_by_the_parser(
    write_scenario, contest, capsys, option, value, message
):
    path = write_scenario(contest, "contest.toml")
    with pytest.raises(SystemExit) as stop:
        main(
            [
                "map",
                str(path),
                "--x",
                "a.capability",
                "--y",
                "a.willingness.x",
                "--outcome",
                "deal",
                option,
                value,
            ]
        )
    err = capsys.readouterr().err
    assert stop.value.code == 2 and err.count("\n") == 1 and message in err


def test_run_map_names_its_parameters_not_options(contest_spec):
    from summit.analysis.maps import run_map
    from summit.errors import UsageError

    with pytest.raises(UsageError, match=r"^steps must be at least 2 \(got 1\)"):
        run_map(contest_spec, "a.capability", "a.willingness.x", "deal", steps=1, runs=4)
    with pytest.raises(UsageError, match=r"^runs must be at least 1 \(got 0\)"):
        run_map(contest_spec, "a.capability", "a.willingness.x", "deal", steps=2, runs=0)


def test_unknown_names_list_the_valid_ones(write_scenario, contest, capsys):
    path = write_scenario(contest, "contest.toml")
    main(["map", str(path), "--x", "a.capabilty", "--y", "a.willingness.x", "--outcome", "deal"])
    err = capsys.readouterr().err
    assert "did you mean a.capability" in err
    assert "valid: a.capability, a.strength" in err and "b.belief.a" in err
    main(["map", str(path), "--x", "a.capability", "--y", "a.willingness.x", "--outcome", "dela"])
    err = capsys.readouterr().err
    assert "did you mean deal" in err and "delivered.x" in err and "a.paid_for_unkept" in err
