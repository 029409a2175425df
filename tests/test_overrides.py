"""`--set NAME=VALUE`: parameters set before play, checked in one place, recorded everywhere."""

from __future__ import annotations

import json
import shutil

import numpy as np
import pyarrow.parquet as pq
import pytest
from conftest import JERUSALEM, THREE_POWERS

from summit import overrides
from summit.cli import main
from summit.errors import UsageError
from summit.params import override, sample_params
from summit.scenario import Distribution


@pytest.fixture(autouse=True)
def scenarios_folder(tmp_path, monkeypatch):
    folder = tmp_path / "scenarios"
    folder.mkdir()
    shutil.copy(JERUSALEM, folder)
    shutil.copy(THREE_POWERS, folder)
    monkeypatch.setenv("SUMMIT_SCENARIOS", str(folder))
    return folder


def cli(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


RUSSIA, US = 2, 0  # indices in jerusalem-2019
RUSSIA_GIVES = [
    0,
    1,
    2,
    3,
]  # iran_withdrawal, hezbollah_pullback, air_defence_denial, strike_tolerance


def test_fixed_values_land_in_every_run(tiny_spec):
    spec = overrides.with_settings(tiny_spec, ["a.capability=0.25", "c.walk_away=0.1"])
    p = sample_params(spec, np.array([1, 2, 3]))
    assert p["capability"][:, 0].tolist() == [0.25, 0.25, 0.25]
    assert p["walk_away"][:, 2].tolist() == [0.1, 0.1, 0.1]
    assert spec.settings == ("a.capability=0.25", "c.walk_away=0.1")


def test_a_tie_either_way_round_sets_both_directions(jerusalem_spec):
    spec = overrides.with_settings(jerusalem_spec, ["tie.iran.russia=0.3"])
    tie = sample_params(spec, np.array([4]))["tie"][0]
    assert tie[RUSSIA, 3] == tie[3, RUSSIA] == 0.3


def test_actor_willingness_sets_every_issue_it_gives(jerusalem_spec):
    spec = overrides.with_settings(jerusalem_spec, ["russia.willingness=1"])
    w = sample_params(spec, np.array([5]))["willingness"][0, RUSSIA]
    assert w[RUSSIA_GIVES].tolist() == [1.0, 1.0, 1.0, 1.0]
    assert w[4:].tolist() == [0.0] * (len(w) - 4)  # issues Russia does not give keep no willingness


def test_a_distribution_on_a_group_is_one_shared_draw(jerusalem_spec):
    spec = overrides.with_settings(jerusalem_spec, ["russia.willingness=uniform:0.6,1"])
    w = sample_params(spec, np.arange(50))["willingness"][:, RUSSIA][:, RUSSIA_GIVES]
    assert np.all(w == w[:, :1])  # the four issues move together
    assert 0.6 <= w.min() and w.max() <= 1.0 and w.std() > 0.05
    assert "russia.willingness" in [s.name for s in spec.sampled_slots()]


def test_credibility_is_the_others_belief_in_the_actor(jerusalem_spec):
    spec = overrides.with_settings(jerusalem_spec, ["russia.credibility=0.9"])
    belief = sample_params(spec, np.array([0]))["belief"][0]
    assert belief[:, RUSSIA].tolist() == [0.9, 0.9, 1.0, 0.9, 0.9, 0.9]  # Russia's own stays 1


def test_later_setting_of_a_name_wins(tiny_spec):
    spec = overrides.with_settings(tiny_spec, ["a.capability=0.2", "a.capability=0.3"])
    assert spec.settings == ("a.capability=0.3",)


@pytest.mark.parametrize(
    "text, value",
    [
        ("0.9", 0.9),
        ("uniform:0.6,1", Distribution(uniform=(0.6, 1.0))),
        ("triangular:0,0.5,1", Distribution(triangular=(0.0, 0.5, 1.0))),
        ("normal:0.5,0.1", Distribution(normal=(0.5, 0.1), within=(0.0, 1.0))),
        ("beta:2,5", Distribution(beta=(2.0, 5.0))),
        ("choice:0.2,0.8", Distribution(choice=[0.2, 0.8])),
    ],
)
def test_value_syntax(text, value):
    assert overrides.parse_value(text) == value


@pytest.mark.parametrize(
    "text, problem",
    [
        ("russia.capability=2", "--set russia.capability=2: must be between 0 and 1 (got 2)"),
        ("russia.capability", "write NAME=VALUE"),
        ("putin.capability=1", "unknown parameter 'putin.capability'"),
        ("us.willingness.iran_withdrawal=1", "unknown parameter"),  # the US does not give it
        ("russia.capability=high", "'high' is neither a number nor KIND:a,b"),
        ("russia.capability=nan", "must be finite"),
        ("russia.capability=poisson:1", "unknown distribution 'poisson'"),
        ("russia.capability=uniform:0.2", "uniform takes 2 numbers (got 1)"),
        ("russia.capability=uniform:0.8,0.2", "uniform needs low <= high"),
        ("russia.willingness=uniform:0.5,1.5", "must be between 0 and 1 (got uniform(0.5, 1.5))"),
        ("russia.strength=11", "must be between 0 and 10 (got 11)"),
    ],
)
def test_bad_settings_are_one_line_errors(capsys, text, problem):
    code, out, err = cli(capsys, "run", "jerusalem-2019", "--seed", "7", "--set", text)
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and err.startswith("summit: --set ") and problem in err, err


def test_run_names_the_settings_in_its_header(capsys):
    code, out, _ = cli(
        capsys,
        "run",
        "jerusalem-2019",
        "--seed",
        "7",
        "--set",
        "russia.willingness=1",
        "--set",
        "russia.capability=1",
    )
    assert code == 0
    header = out.split("--- Round 1")[0]
    assert "Set before play: russia.willingness=1, russia.capability=1." in header
    assert "russia.capability" not in header.split("Drawn for this run")[1]  # no longer drawn


def test_run_json_names_the_settings(capsys):
    code, out, _ = cli(
        capsys, "run", "jerusalem-2019", "--seed", "7", "--json", "--set", "russia.capability=1"
    )
    header = json.loads(out.splitlines()[0])
    assert code == 0 and header["settings"] == ["russia.capability=1"]


def test_settings_change_the_game(capsys):
    # seed 1 plays several rounds (seed 7 breaks down after round 1 whatever is set)
    _, plain, _ = cli(capsys, "run", "jerusalem-2019", "--seed", "1", "--json")
    _, willing, _ = cli(
        capsys,
        "run",
        "jerusalem-2019",
        "--seed",
        "1",
        "--json",
        "--set",
        "russia.willingness=1",
        "--set",
        "russia.capability=1",
    )
    rounds = [json.loads(line) for line in plain.splitlines()[1:]]
    assert len(rounds) > 2
    assert rounds != [json.loads(line) for line in willing.splitlines()[1:]]


def test_batch_rows_replay_with_the_same_settings(capsys, tmp_path):
    out = tmp_path / "b.parquet"
    sets = ["--set", "russia.willingness=uniform:0.6,1", "--set", "russia.capability=0.9"]
    code, text, _ = cli(
        capsys,
        "batch",
        "jerusalem-2019",
        "--runs",
        "40",
        "--jobs",
        "1",
        "--quiet",
        "--out",
        str(out),
        *sets,
    )
    assert code == 0 and "settings: russia.willingness=uniform:0.6,1, russia.capability=0.9" in text
    table = pq.read_table(out)
    assert json.loads(table.schema.metadata[b"summit.settings"]) == [
        "russia.willingness=uniform:0.6,1",
        "russia.capability=0.9",
    ]
    row = table.slice(3, 1).to_pylist()[0]
    assert 0.6 <= row["russia.willingness"] <= 1.0
    _, replay, _ = cli(
        capsys, "run", "jerusalem-2019", "--seed", str(row["run_seed"]), "--json", *sets
    )
    header, outcome = json.loads(replay.splitlines()[0]), json.loads(replay.splitlines()[-1])
    assert header["parameters"]["russia.willingness"] == pytest.approx(row["russia.willingness"])
    assert outcome["deal"] == row["deal"]


def test_override_accepts_the_actor_level_name(jerusalem_spec):
    params = sample_params(jerusalem_spec, np.array([0, 1]))
    moved = override(jerusalem_spec, params, {"russia.willingness": np.array([0.1, 0.7])})
    assert moved["willingness"][:, RUSSIA][:, RUSSIA_GIVES].tolist() == [[0.1] * 4, [0.7] * 4]
    with pytest.raises(UsageError, match="unknown parameter 'russia.willing'"):
        override(jerusalem_spec, params, {"russia.willing": 1.0})


def test_unknown_name_lists_every_settable_actor_field(jerusalem_spec):
    params = sample_params(jerusalem_spec, np.array([0]))
    with pytest.raises(UsageError) as err:
        override(jerusalem_spec, params, {"russia.nerve": 1.0})
    listed = str(err.value).split("<actor>.")[1].split(",")[0].split("|")
    assert listed == [
        "capability", "strength", "entrenchment", "walk_away", "promise_cost",
        "reciprocity", "concession", "willingness", "credibility",
    ]  # fmt: skip


def test_map_accepts_actor_willingness(capsys):
    code, out, err = cli(
        capsys,
        "map",
        "jerusalem-2019",
        "--x",
        "russia.capability",
        "--y",
        "russia.willingness",
        "--outcome",
        "deal",
        "--steps",
        "2",
        "--runs",
        "20",
        "--jobs",
        "1",
    )
    assert code == 0, err
    assert "russia.willingness" in out


def test_sensitivity_takes_a_group_distribution_as_one_factor(capsys, tmp_path):
    code, out, err = cli(
        capsys,
        "sensitivity",
        "jerusalem-2019",
        "--outcome",
        "deal",
        "--method",
        "morris",
        "--n",
        "2",
        "--replications",
        "1",
        "--jobs",
        "1",
        "--csv",
        str(tmp_path / "s.csv"),
        "--png",
        str(tmp_path / "s.png"),
        "--set",
        "russia.willingness=uniform:0.2,1",
    )
    assert code == 0, err
    assert "russia.willingness " in out and "russia.willingness.iran_withdrawal" not in out


def test_analyze_takes_settings(capsys):
    code, _, err = cli(capsys, "analyze", "jerusalem-2019", "--set", "russia.capability=3")
    assert code == 2 and "must be between 0 and 1" in err


def test_a_save_keeps_the_settings_and_resumes_the_same_game(tmp_path):
    from summit.tui.game import Game

    game = Game.new(JERUSALEM, 7, ["israel"], tmp_path, ["russia.willingness=1"])
    game.play_on()
    saved = json.loads(game.save_path.read_text())
    assert saved["game"]["settings"] == ["russia.willingness=1"]
    again = Game.load(game.save_path)
    assert again.spec.settings == ("russia.willingness=1",)
    assert again.model.state.params["willingness"][0, RUSSIA, 0] == 1.0
    saved["game"]["settings"] = ["russia.willingness=7"]
    game.save_path.write_text(json.dumps(saved))
    with pytest.raises(UsageError, match="must be between 0 and 1"):
        Game.load(game.save_path)
