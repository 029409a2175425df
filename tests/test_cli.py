"""The `summit` command line: run, scenarios list|check|schema, and one-line errors (exit 2)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

import pytest
from conftest import JERUSALEM, ROOT, THREE_POWERS, tiny_data, to_toml

from summit import cli
from summit.cli import main
from summit.scenario import load_scenario


@pytest.fixture(autouse=True)
def scenarios_folder(tmp_path, monkeypatch):
    """A scenarios folder holding the two shipped scenarios, whatever else is being added to the
    repository's folder meanwhile; names resolve against it."""
    folder = tmp_path / "scenarios"
    (folder / "history").mkdir(parents=True)
    shutil.copy(JERUSALEM, folder)
    shutil.copy(THREE_POWERS, folder)
    monkeypatch.setenv("SUMMIT_SCENARIOS", str(folder))
    return folder


def run_cli(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def assert_one_line_error(code, out, err, *parts):
    assert code == 2
    assert out == ""
    assert err.endswith("\n") and err.count("\n") == 1, err
    assert err.startswith("summit: ")
    assert "Traceback" not in err
    for part in parts:
        assert part in err, err


# --------------------------------------------------------------------------- summit run


def test_run_prints_the_game(capsys):
    code, out, err = run_cli(capsys, "run", "jerusalem-2019", "--seed", "1")  # a deal in round 8
    assert code == 0 and err == ""
    lines = out.splitlines()
    assert lines[0] == "Jerusalem 2019: can Russia push Iran out of Syria?  (seed 1)"
    assert lines[2].startswith(
        "At the table: United States, Israel, Russia.  Away from it: Iran, Assad regime, Hezbollah."
    )
    assert lines[3].startswith("Drawn for this run: russia.capability ")
    assert "--- Round 1 of 8: United States proposes ---" in lines
    assert "--- Outcome ---" in lines
    assert any(line.startswith("Iran: military presence") for line in lines)


def test_a_single_text_transcript_names_the_mediators_draft(capsys):
    code, out, err = run_cli(
        capsys, "run", str(ROOT / "scenarios" / "jerusalem-2019-single-text.toml"), "--seed", "3"
    )
    assert err == ""
    lines = out.splitlines()
    assert code == 0
    assert "--- Round 1 of 8: United States tables the mediator's text ---" in lines
    assert any(line.startswith("The mediator's text, tabled by United States (") for line in lines)
    assert not any(line.startswith("Offer by") or "proposes ---" in line for line in lines)
    assert any(line.startswith("  United States, tabling it, rejects: ") for line in lines)


def test_run_is_the_same_for_the_same_seed_and_differs_for_another(capsys):
    first = run_cli(capsys, "run", "jerusalem-2019", "--seed", "7")
    again = run_cli(capsys, "run", str(JERUSALEM), "--seed", "7")  # by path: the same game
    other = run_cli(capsys, "run", "jerusalem-2019", "--seed", "8")
    assert first[1] == again[1].replace(str(JERUSALEM), "scenarios/jerusalem-2019.toml")
    assert first[1] != other[1]
    assert "(seed 8)" in other[1]


def test_run_json_lines(capsys):
    code, out, err = run_cli(capsys, "run", "jerusalem-2019", "--seed", "7", "--json")
    assert code == 0 and err == ""
    records = [json.loads(line) for line in out.splitlines()]
    header, *rounds, outcome = records
    assert header["kind"] == "game"
    assert header["scenario"] == "jerusalem-2019" and header["seed"] == 7 and header["humans"] == []
    assert 0.35 <= header["parameters"]["russia.capability"] <= 0.75
    assert [r["kind"] for r in rounds] == ["round"] * len(rounds)
    assert [r["round"] for r in rounds] == list(range(1, len(rounds) + 1))
    assert outcome["kind"] == "outcome"
    assert outcome["end_round"] == len(rounds)
    assert outcome["end_reason"] in ("deal", "deadline", "walkout", "breakdown")
    assert rounds[-1]["ended"] == outcome["end_reason"]
    assert all(r["ended"] is None for r in rounds[:-1])
    assert set(outcome["agreed"]) == set(rounds[0]["offer"]["levels"])
    assert {a["actor"] for a in outcome["actors"]} == {
        "us",
        "israel",
        "russia",
        "iran",
        "assad",
        "hezbollah",
    }
    # The same seed, the same lines.
    assert run_cli(capsys, "run", "jerusalem-2019", "--seed", "7", "--json")[1] == out


def test_the_three_powers_scenario_runs(capsys):
    code, out, err = run_cli(capsys, "run", "three-powers", "--seed", "3")
    assert code == 0 and err == ""
    assert out.startswith("The Tessel river compact  (seed 3)\n")
    assert "At the table: Lowmarsh, Upland, Midvale." in out
    assert "--- Round 1 of 6: Lowmarsh proposes ---" in out
    code, out, _ = run_cli(capsys, "run", "three-powers", "--seed", "3", "--json")
    assert code == 0
    assert json.loads(out.splitlines()[-1])["kind"] == "outcome"


def test_run_as_a_subprocess_matches_the_in_process_run(capsys, scenarios_folder):
    _, expected, _ = run_cli(capsys, "run", "jerusalem-2019", "--seed", "7")
    env = {**os.environ, "SUMMIT_SCENARIOS": str(scenarios_folder)}
    proc = subprocess.run(
        [sys.executable, "-m", "summit", "run", "jerusalem-2019", "--seed", "7"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == ""
    assert proc.stdout == expected


def test_bad_input_as_a_subprocess_is_one_line_without_traceback(tmp_path):
    proc = subprocess.run(
        [sys.executable, "-m", "summit", "run", str(tmp_path / "missing.toml")],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )
    assert proc.returncode == 2
    assert proc.stdout == ""
    assert proc.stderr == f"summit: {tmp_path / 'missing.toml'}: no such file\n"


# --------------------------------------------------------------------------- bad input


def test_missing_file(capsys, tmp_path):
    code, out, err = run_cli(capsys, "run", str(tmp_path / "nowhere.toml"))
    assert_one_line_error(code, out, err, "nowhere.toml: no such file")


def test_unknown_scenario_name(capsys):
    code, out, err = run_cli(capsys, "run", "vienna-2015")
    assert_one_line_error(
        code,
        out,
        err,
        "vienna-2015: no such scenario file or name",
        "known: jerusalem-2019, three-powers",
    )


def test_invalid_scenario(capsys, tmp_path):
    data = tiny_data()
    data["actors"][0]["capability"] = 1.5
    path = tmp_path / "bad.toml"
    path.write_text(to_toml(data))
    code, out, err = run_cli(capsys, "run", str(path))
    assert_one_line_error(
        code, out, err, f"{path}: actors[a].capability: must be between 0 and 1 (got 1.5)"
    )
    code, out, err = run_cli(capsys, "scenarios", "check", str(path))
    assert_one_line_error(code, out, err, "actors[a].capability")


def test_toml_syntax_error(capsys, tmp_path):
    path = tmp_path / "broken.toml"
    path.write_text("[summit\n")
    code, out, err = run_cli(capsys, "run", str(path))
    assert_one_line_error(code, out, err, "TOML syntax error", "line 1, column 8")


def test_a_folder_is_not_a_scenario(capsys, tmp_path):
    code, out, err = run_cli(capsys, "run", str(tmp_path) + "/")
    assert_one_line_error(code, out, err, "is a folder")


@pytest.mark.parametrize(
    "argv",
    [
        ["run"],  # no scenario
        ["run", "jerusalem-2019", "--seed", "seven"],  # not a number
        ["run", "jerusalem-2019", "--colour"],  # unknown option
        ["scenarios"],  # no verb
        ["scenarios", "check"],  # no file
        ["nonsense"],  # unknown command
    ],
)
def test_usage_errors_are_one_line_with_status_2(capsys, argv):
    with pytest.raises(SystemExit) as info:
        main(argv)
    out, err = capsys.readouterr()
    assert info.value.code == 2
    assert out == ""
    assert err.count("\n") == 1 and "error:" in err and "Traceback" not in err


@pytest.mark.parametrize(
    "seed",
    [
        pytest.param("-1", id="negative"),
        pytest.param(str(2**64), id="beyond 64 bits"),
    ],
)
def test_out_of_range_seeds_are_usage_errors(capsys, seed):
    try:
        code = main(["run", "jerusalem-2019", "--seed", seed])
    except SystemExit as stop:
        code = stop.code
    out, err = capsys.readouterr()
    assert code == 2
    assert err.count("\n") == 1 and "seed" in err


# --------------------------------------------------------------------------- summit scenarios


def test_scenarios_list(capsys, scenarios_folder):
    code, out, err = run_cli(capsys, "scenarios", "list")
    assert code == 0 and err == ""
    lines = out.splitlines()
    assert [line.split()[0] for line in lines] == ["jerusalem-2019", "three-powers"]
    assert "Bolton, Ben-Shabbat and Patrushev meet in Jerusalem" in lines[0]
    assert "Upland, Midvale and Lowmarsh" in lines[1]


def test_scenarios_list_marks_invalid_files_and_includes_history(capsys, scenarios_folder):
    (scenarios_folder / "broken.toml").write_text("[summit\n")
    data = tiny_data()
    data["summit"]["description"] = "A backtest case."
    (scenarios_folder / "history" / "case.toml").write_text(to_toml(data))
    code, out, _ = run_cli(capsys, "scenarios", "list")
    assert code == 0
    broken = next(line for line in out.splitlines() if line.startswith("broken"))
    assert "INVALID:" in broken and "TOML syntax error" in broken
    assert "case" not in out
    code, out, _ = run_cli(capsys, "scenarios", "list", "--history")
    assert any(line.startswith("case") and "A backtest case." in line for line in out.splitlines())


def test_scenarios_check(capsys):
    code, out, err = run_cli(capsys, "scenarios", "check", str(JERUSALEM), str(THREE_POWERS))
    assert code == 0 and err == ""
    jerusalem = load_scenario(JERUSALEM)
    assert out.splitlines() == [
        f"{JERUSALEM}: ok (6 actors, 11 issues, {len(jerusalem.events)} events, "
        f"{len(jerusalem.side_offers)} side offers)",
        f"{THREE_POWERS}: ok (3 actors, 2 issues, 3 events, 1 side offers)",
    ]


def test_scenarios_check_stops_at_the_first_bad_file(capsys, tmp_path):
    code, out, err = run_cli(
        capsys, "scenarios", "check", str(JERUSALEM), str(tmp_path / "gone.toml")
    )
    assert code == 2
    assert out.startswith(f"{JERUSALEM}: ok")
    assert err == f"summit: {tmp_path / 'gone.toml'}: no such file\n"


def test_scenarios_schema(capsys):
    code, out, err = run_cli(capsys, "scenarios", "schema")
    assert code == 0 and err == ""
    schema = json.loads(out)
    assert schema["title"] == "summit scenario"
    assert "Actor" in schema["$defs"] and "Distribution" in schema["$defs"]
    assert "capability" in schema["$defs"]["Actor"]["properties"]


# --------------------------------------------------------------------------- start-up

HEAVY = ("numba", "scipy", "pandas", "pyarrow")
QUICK_COMMANDS = (
    [["--help"], ["scenarios", "list"]]
    + [[{"classroom": "class"}.get(name, name), "--help"] for name in cli.COMMAND_MODULES]
    + [["scenarios", "check", "--help"]]
)


def imported_modules(argv: list[str]) -> set[str]:
    """Top-level packages `summit ARGV` imports, read from ``python -X importtime``."""
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "summit", *argv],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-400:]
    rows = [
        line.split("|")[-1] for line in done.stderr.splitlines() if line.startswith("import time:")
    ]
    return {row.strip().split(".")[0] for row in rows[1:]}


@pytest.mark.parametrize("argv", QUICK_COMMANDS, ids=" ".join)
def test_help_and_listing_import_nothing_heavy(argv):
    loaded = imported_modules(argv)
    assert "summit" in loaded  # the measurement sees summit's own imports
    assert not loaded & set(HEAVY), sorted(loaded & set(HEAVY))


def test_batch_engine_names_match_the_engine():
    from summit.batch import ENGINES
    from summit.commands.batch import ENGINE_NAMES

    assert ENGINE_NAMES == ENGINES
