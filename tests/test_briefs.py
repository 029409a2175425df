"""`summit brief` and the brief record the briefing screen shows."""

from __future__ import annotations

import numpy as np
import pytest

from summit.briefs import Brief, markdown, seat_brief
from summit.catalog import resolve
from summit.cli import main
from summit.rules import game
from summit.scenario import load_spec


@pytest.fixture(scope="module")
def spec():
    return load_spec(resolve("jerusalem-2019"))


def test_brief_reads_the_runs_own_parameters(spec):
    brief = seat_brief(spec, "russia", seed=7)
    state = game.start(spec, np.array([7]))
    k = spec.actor_ids.index("russia")
    assert brief.walk_away == round(float(state.params["walk_away"][0, k]), 4)
    assert brief.capability == round(float(state.params["capability"][0, k]), 4)
    weights = [row.weight for row in brief.issues]
    assert weights == sorted(weights, reverse=True) and all(w > 0 for w in weights)
    gives = {row.issue for row in brief.issues if row.gives}
    assert gives == {
        spec.issue_ids[i]
        for i in range(spec.n_issues)
        if spec.giver[i] == k and state.params["salience"][0, k, i] > 0
    }
    # the first level of Iranian withdrawal is worth 1.0 to Russia (nothing asked of it)
    withdrawal = next(row for row in brief.issues if row.issue == spec.issue_ids[0])
    assert withdrawal.levels[0][1] == round(float(spec.values[k, 0, 0]), 4)


def test_brief_round_trips_as_a_dict(spec):
    brief = seat_brief(spec, "iran")
    assert Brief.from_dict(brief.to_dict()) == brief
    assert brief.seed is None and "typical values" in markdown(brief)


def test_markdown_has_every_section_and_only_its_own_private_text(spec):
    text = markdown(seat_brief(spec, "us", seed=1))
    for heading in (
        "## Goals",
        "## Red lines",
        "## What you can give",
        "## Only you know",
        "## Where you stand",
        "## What each issue is worth to you",
    ):
        assert heading in text
    assert spec.scenario.actor("us").private in text
    assert spec.scenario.actor("russia").private not in text


def test_brief_command_writes_markdown_and_pdf(tmp_path, capsys):
    out = tmp_path / "russia.md"
    assert (
        main(["brief", "jerusalem-2019", "--as", "Russia", "--seed", "7", "--out", str(out)]) == 0
    )
    assert out.read_text().startswith("# Brief: Russia")
    assert (tmp_path / "russia.pdf").read_bytes().startswith(b"%PDF")


@pytest.mark.parametrize(
    "argv, message",
    [
        (["--as", "hamas"], "unknown actor 'hamas' in --as (actors in jerusalem-2019: us, israel"),
        (["--as", "us", "--out", "x.txt"], "--out x.txt: the file must end in .md or .pdf"),
        (["--as", "us", "--out", "no/such/dir/x.md"], "--out no/such/dir/x.md: cannot write"),
        (["--as", "us", "--seed", "-1"], "--seed"),
    ],
)
def test_brief_command_bad_input(argv, message, capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    code = None
    try:
        code = main(["brief", "jerusalem-2019", *argv])
    except SystemExit as exit_:
        code = exit_.code
    assert code == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err and len(err.strip().splitlines()) == 1
