"""summit backtest: the coded historical cases of scenarios/history/, their scores and baselines."""

from __future__ import annotations

import json
import math
import tomllib
from pathlib import Path

import numpy as np
import pytest

from summit.analysis import backtest_report as report_mod
from summit.analysis import scoring
from summit.analysis.backtest import CaseResult, load_case, measure, verdict
from summit.cli import main

HISTORY = Path(__file__).resolve().parent.parent / "scenarios" / "history"
CASES = sorted(HISTORY.glob("*.toml"))

# The baseline of docs/validation.md: the same values for a recurring actor in every case.
BASELINE_FIELDS = (
    "capability",
    "strength",
    "entrenchment",
    "credibility",
    "style",
    "concession",
    "reciprocity",
)


def _raw(path: Path) -> dict:
    return tomllib.loads(path.read_text())


def _own_cases() -> list[Path]:
    """Case files that state their own actors (the Jerusalem case is the main scenario itself)."""
    return [p for p in CASES if "extends" not in _raw(p)]


# --------------------------------------------------------------------------- the case set


def test_the_case_set_has_both_outcomes_and_the_june_2019_meeting():
    cases = [load_case(p) for p in CASES]
    coded = [c for c in cases if c.outcome is not None]
    assert len(coded) >= 10
    outcomes = [c.outcome for c in coded]
    assert outcomes.count("delivered") >= 3
    assert "partly delivered" in outcomes and "not delivered" in outcomes
    assert "2019-jerusalem-meeting" in [c.id for c in coded]
    assert {c.year for c in cases} >= {2013, 2015, 2016, 2017, 2018, 2019, 2020}
    assert {c.split for c in coded} == {"in-sample", "held-out"}


def test_every_case_states_commitment_coding_what_was_known_and_sources():
    for case in (load_case(p) for p in CASES):
        for key in ("commitment", "kind", "coding", "known_before"):
            assert case.text(key), f"{case.id}: {key}"
        sources = case.table["sources"]
        assert sources and all("http" in s or "search tool" in s for s in sources), case.id


def test_split_rule():
    split = {load_case(p).id: load_case(p).split for p in CASES}
    # training years, and later cases a shared value was set from, are in sample
    for case_id in (
        "2013-chemical-weapons",
        "2015-deconfliction",
        "2017-southwest-deescalation",
        "2018-al-qusayr",
        "2019-s400-refusal",
    ):
        assert split[case_id] == "in-sample"
    for case_id in (
        "2018-southern-golan",
        "2018-sochi-idlib",
        "2019-jerusalem-meeting",
        "2020-idlib-ceasefire",
    ):
        assert split[case_id] == "held-out"


def test_recurring_actors_share_one_baseline():
    seen: dict[str, dict] = {}
    ties: dict[tuple, object] = {}
    rules = set()
    for path in _own_cases():
        data = _raw(path)
        rules.add(tuple(sorted(data.get("rules", {}).items())))
        for actor in data["actors"]:
            base = {k: actor.get(k) for k in BASELINE_FIELDS}
            base["belief.russia"] = actor.get("beliefs", {}).get("russia")
            if actor["id"] in seen:
                assert seen[actor["id"]] == base, (
                    f"{path.name}: {actor['id']} departs from the baseline"
                )
            seen[actor["id"]] = base
        for tie in data.get("ties", []):
            key = tuple(sorted(tie["between"]))
            assert ties.setdefault(key, tie["strength"]) == tie["strength"], (
                f"{path.name}: tie {key}"
            )
        # Russia's willingness to coerce an ally (any action resisted by someone) is the baseline
        # draw
        russia = next(a for a in data["actors"] if a["id"] == "russia")
        for issue in data["issues"]:
            if issue["giver"] == "russia" and issue.get("kind") == "action":
                expected = {"uniform": [0.2, 0.6]} if issue.get("resisted_by") else 0.9
                assert russia["willingness"][issue["id"]] == expected, f"{path.name}: {issue['id']}"
    assert len(rules) == 1
    assert {"russia", "iran", "assad", "us", "israel", "turkey"} <= set(seen)


def test_baseline_is_the_jerusalem_scenarios():
    """docs/validation.md: the baseline is jerusalem-2019's values for the recurring actors."""
    jerusalem = _raw(HISTORY.parent / "jerusalem-2019.toml")
    main_actors = {a["id"]: a for a in jerusalem["actors"]}
    main_ties = {tuple(sorted(t["between"])): t["strength"] for t in jerusalem["ties"]}
    for path in _own_cases():
        data = _raw(path)
        # breakdown_risk describes the two-day Jerusalem meeting, not the earlier cases
        meeting = {k: v for k, v in jerusalem["rules"].items() if k != "breakdown_risk"}
        assert data["rules"] == meeting, path.name
        for actor in data["actors"]:
            if actor["id"] in main_actors:
                for key in (
                    "capability",
                    "strength",
                    "entrenchment",
                    "credibility",
                    "style",
                    "concession",
                ):
                    assert actor.get(key) == main_actors[actor["id"]].get(key), (
                        f"{path.name}: {actor['id']}.{key}"
                    )
        for tie in data.get("ties", []):
            key = tuple(sorted(tie["between"]))
            assert tie["strength"] == main_ties[key], f"{path.name}: tie {key}"


def test_the_june_2019_case_is_the_main_scenario_unchanged():
    data = _raw(HISTORY / "2019-jerusalem-meeting.toml")
    assert set(data) == {"extends", "backtest"}


# --------------------------------------------------------------------------- scores


def test_brier_and_log_scores_by_hand():
    assert scoring.brier((0.2, 0.3, 0.5), "partly delivered") == pytest.approx(0.04 + 0.49 + 0.25)
    assert scoring.log_score((0.2, 0.3, 0.5), "partly delivered") == pytest.approx(-math.log(0.3))
    assert scoring.brier(scoring.NEVER, "not delivered") == 0.0
    assert scoring.brier(scoring.NEVER, "delivered") == 2.0
    assert scoring.log_score(scoring.NEVER, "delivered") == pytest.approx(
        -math.log(0.01)
    )  # floored
    assert scoring.brier((1 / 3, 1 / 3, 1 / 3), "delivered") == pytest.approx(2 / 3)
    assert scoring.base_rate(
        ["delivered", "not delivered", "not delivered", "partly delivered"]
    ) == (0.25, 0.25, 0.5)
    assert scoring.pattern_brier(0.7, False) == pytest.approx(0.49)
    with pytest.raises(ValueError):
        scoring.base_rate([])


def _cols(**kw) -> dict[str, np.ndarray]:
    return {k.replace("__", "."): np.asarray(v, dtype=float) for k, v in kw.items()}


def test_probabilities_are_shares_of_the_runs_in_the_given_situation():
    case = load_case(HISTORY / "2013-chemical-weapons.toml")  # given: deal, whole arsenal agreed
    cols = _cols(
        deal=[1, 1, 1, 1, 0],
        agreed__chemical_arsenal=[2, 2, 2, 1, 0],
        delivered__chemical_arsenal=[2, 1, 0, 1, 0],
        us__paid_for_unkept=[0, 1, 1, 1, 0],
    )
    r = measure(case, cols, runs=5, seed=1)
    assert r.given_runs == 3
    assert r.probabilities == pytest.approx((1 / 3, 1 / 3, 1 / 3))
    deal, paid = r.patterns
    assert deal.probability == pytest.approx(3 / 5) and deal.runs == 5
    assert paid.probability == pytest.approx(3 / 4) and paid.runs == 4  # given: deal
    assert verdict(case, cols).tolist() == [0, 1, 0, 0, 0]  # coded: partly


def test_a_situation_that_never_arises_gives_the_uniform_forecast():
    case = load_case(HISTORY / "2013-chemical-weapons.toml")
    cols = _cols(
        deal=[0, 0],
        agreed__chemical_arsenal=[0, 0],
        delivered__chemical_arsenal=[0, 0],
        us__paid_for_unkept=[0, 0],
    )
    r = measure(case, cols, runs=2, seed=1)
    assert not r.arose and r.probabilities == pytest.approx((1 / 3, 1 / 3, 1 / 3))
    assert math.isnan(r.patterns[1].probability)


def _two_results() -> list[CaseResult]:
    a = load_case(HISTORY / "2013-chemical-weapons.toml")  # in sample, partly delivered
    b = load_case(HISTORY / "2019-jerusalem-meeting.toml")  # held out, not delivered
    return [
        CaseResult(a, 10, 1, 10, (0.2, 0.5, 0.3), (), 0.0),
        CaseResult(b, 10, 1, 10, (0.1, 0.1, 0.8), (), 0.0),
    ]


def test_report_scores_model_and_baselines_overall_and_by_split():
    rep = report_mod.build(_two_results())
    assert rep.base == (0.0, 0.5, 0.5)
    overall = rep.summaries["all"]
    assert overall["model"].brier == pytest.approx((0.38 + 0.06) / 2)
    assert overall["base rate"].brier == pytest.approx(0.5)
    assert overall["never delivers"].brier == pytest.approx(1.0)
    assert overall["model"].log == pytest.approx((-math.log(0.5) - math.log(0.8)) / 2)
    assert rep.summaries["held-out"]["model"].cases == 1
    assert rep.summaries["held-out"]["model"].brier == pytest.approx(0.06)
    assert rep.summaries["in-sample"]["never delivers"].brier == pytest.approx(2.0)
    data = report_mod.to_json(rep, 10, 1)
    assert data["split"]["held-out"] == ["2019-jerusalem-meeting"]
    assert data["cases"][0]["scores"]["model"]["brier"] == pytest.approx(0.38)
    assert data["summary"]["held-out"]["base rate"]["brier"] == pytest.approx(0.5)
    # bins of width 0.2 over the six forecasts 0.2 0.5 0.3 | 0.1 0.1 0.8 (coded: the 0.5 and the
    # 0.8)
    pts = report_mod.calibration_points(rep)
    assert [(round(p, 3), y, n) for p, y, n in pts] == [
        (0.1, 0.0, 2),
        (0.25, 0.0, 2),
        (0.5, 1.0, 1),
        (0.8, 1.0, 1),
    ]


def test_markdown_replaces_only_the_generated_block(tmp_path):
    doc = tmp_path / "validation.md"
    doc.write_text(
        f"# Title\n\nprotocol\n\n{report_mod.BEGIN}\nold table\n{report_mod.END}\n\n## "
        "Later\ntext\n"
    )
    report_mod.write_markdown(report_mod.build(_two_results()), 10, 1, doc)
    text = doc.read_text()
    assert text.startswith("# Title\n\nprotocol\n\n") and text.endswith("\n\n## Later\ntext\n")
    assert "old table" not in text and "| `2019-jerusalem-meeting` | held-out |" in text
    fresh = tmp_path / "fresh.md"
    report_mod.write_markdown(report_mod.build(_two_results()), 10, 1, fresh)
    assert fresh.read_text().startswith(report_mod.BEGIN)


# --------------------------------------------------------------------------- the command


def test_backtest_writes_json_markdown_and_png(tmp_path, capsys):
    js, md, png = tmp_path / "b.json", tmp_path / "b.md", tmp_path / "b.png"
    assert (
        main(
            [
                "backtest",
                "2017-southwest-deescalation",
                "2019-s400-refusal",
                "2019-aleppo-frictions",
                "--runs",
                "40",
                "--seed",
                "2",
                "--json",
                str(js),
                "--markdown",
                str(md),
                "--png",
                str(png),
            ]
        )
        == 0
    )
    out = capsys.readouterr().out
    assert "record:" in out and "pattern no break" in out and "mean Brier / log score" in out
    data = json.loads(js.read_text())
    assert [c["id"] for c in data["cases"]] == [
        "2017-southwest-deescalation",
        "2019-s400-refusal",
        "2019-aleppo-frictions",
    ]
    assert data["cases"][2]["outcome"] is None and "scores" not in data["cases"][2]
    assert data["baselines"]["base rate"] == {
        "delivered": 0.5,
        "partly delivered": 0.0,
        "not delivered": 0.5,
    }
    assert set(data["cases"][0]["scores"]) == {"model", "base rate", "never delivers"}
    assert png.read_bytes()[:4] == b"\x89PNG"
    assert "| all | 2 |" in md.read_text()
    # 2 + 1 + 2 patterns; the S-400 case's "deal" is never made in the model and was not in history
    assert data["patterns_summary"]["all"]["patterns"] == 5
    s400 = data["cases"][1]["patterns"][0]
    assert (s400["name"], s400["observed"], s400["probability"], s400["brier"]) == (
        "deal",
        False,
        0.0,
        0.0,
    )


def test_full_case_set_json_shows_what_issue_9_asks(tmp_path):
    js = tmp_path / "all.json"
    assert main(["backtest", "--runs", "30", "--brief", "--json", str(js)]) == 0
    data = json.loads(js.read_text())
    scored = [c for c in data["cases"] if c["outcome"] is not None]
    assert len(scored) >= 10 and sum(c["outcome"] == "delivered" for c in scored) >= 3
    assert any(c["id"] == "2019-jerusalem-meeting" for c in scored)
    for c in scored:
        assert c["split"] in ("in-sample", "held-out")
        assert (
            0 <= c["scores"]["model"]["probability"] <= 1
            and 0 <= c["scores"]["model"]["brier"] <= 2
        )
    for name in ("all", "held-out"):
        assert set(data["summary"][name]) == {"model", "base rate", "never delivers"}


def _case(text_backtest: str) -> str:
    src = (HISTORY / "2019-s400-refusal.toml").read_text()
    start = src.index("[backtest]")
    end = src.index("[[issues]]")
    return src[:start] + text_backtest + "\n" + src[end:]


GOOD = 'date = "2019-05"\nrecord = "r"\n'


@pytest.mark.parametrize(
    "backtest, message",
    [
        (
            f'[backtest]\n{GOOD}outcome = "delivered"\ndelivered = "agreed.s400 == 0"',
            "backtest.delivered: unknown outcome 'agreed.s400'",
        ),
        (
            f'[backtest]\n{GOOD}outcome = "delivered"\ndelivered = "agreed.s400_sale =="',
            "backtest.delivered: condition",
        ),
        (
            f'[backtest]\n{GOOD}outcome = "kept"\ndelivered = "deal"',
            "backtest.outcome: must be one of",
        ),
        (f'[backtest]\n{GOOD}outcome = "delivered"', "backtest.delivered: missing"),
        (f"[backtest]\n{GOOD}", "backtest.outcome: missing"),
        (
            '[backtest]\nrecord = "r"\noutcome = "delivered"\ndelivered = "deal"',
            "backtest.date: missing",
        ),
        (
            '[backtest]\ndate = "May 2019"\nrecord = "r"\noutcome = "delivered"\ndelivered = '
            '"deal"',
            "backtest.date: must start with a year",
        ),
        (
            f'[backtest]\n{GOOD}outcome = "delivered"\ndelivered = "deal"\nwhen = "x"',
            "backtest.when: unknown key",
        ),
        (
            f'[backtest]\n{GOOD}sources = "one"\noutcome = "delivered"\ndelivered = "deal"',
            "backtest.sources: must be a list of strings",
        ),
        (
            f'[backtest]\n{GOOD}[[backtest.patterns]]\nname = "p"\ncondition = "deal"',
            "backtest.patterns[0].observed: missing",
        ),
        (
            f'[backtest]\n{GOOD}[[backtest.patterns]]\nname = "p"\ncondition = "dael"\nobserved '
            "= true",
            "backtest.patterns[0].condition: unknown outcome 'dael'",
        ),
        ("", "backtest: missing"),
    ],
)
def test_bad_cases_are_one_line_and_exit_2(tmp_path, capsys, backtest, message):
    path = tmp_path / "case.toml"
    path.write_text(_case(backtest))
    assert main(["backtest", str(path), "--runs", "10"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and message in err and "case.toml" in err


def test_backtest_runs_must_be_positive(capsys):
    with pytest.raises(SystemExit) as stop:
        main(["backtest", "--runs", "0"])
    assert stop.value.code == 2
    assert "argument --runs: must be at least 1 (got 0)" in capsys.readouterr().err


# --------------------------------------------------------------------- sensitivity of a verdict


def test_sensitivity_of_a_case_verdict(tmp_path, capsys):
    csv = tmp_path / "s.csv"
    assert (
        main(
            [
                "sensitivity",
                "2017-southwest-deescalation",
                "--outcome",
                "verdict",
                "--n",
                "8",
                "--replications",
                "2",
                "--jobs",
                "1",
                "--csv",
                str(csv),
                "--png",
                str(tmp_path / "s.png"),
            ]
        )
        == 0
    )
    out = capsys.readouterr().out
    assert "Sobol sensitivity of verdict (2017-southwest-deescalation)" in out
    assert "russia.willingness.militias_back" in out and csv.exists()


def test_a_case_without_a_coded_outcome_has_no_verdict(tmp_path, capsys):
    assert (
        main(
            [
                "sensitivity",
                "2019-aleppo-frictions",
                "--outcome",
                "verdict",
                "--n",
                "8",
                "--replications",
                "2",
                "--jobs",
                "1",
                "--csv",
                str(tmp_path / "s.csv"),
                "--png",
                str(tmp_path / "s.png"),
            ]
        )
        == 2
    )
    assert "codes no outcome" in capsys.readouterr().err


@pytest.mark.slow
def test_docs_validation_carries_the_table_the_command_generates(tmp_path):
    """docs/validation.md's results block is generated, never hand-edited: regenerate it with
    summit backtest --runs 2000 --seed 1 --json docs/backtest.json
        --png docs/backtest-calibration.png --markdown docs/validation.md"""
    doc = HISTORY.parent.parent / "docs" / "validation.md"
    copy = tmp_path / "validation.md"
    copy.write_text(doc.read_text())
    assert (
        main(["backtest", "--runs", "2000", "--seed", "1", "--brief", "--markdown", str(copy)]) == 0
    )
    assert copy.read_text() == doc.read_text()
