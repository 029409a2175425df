"""The class debrief: rooms against the AI-only summits, with numbers checked by hand."""

from __future__ import annotations

import json

import numpy as np
import pytest

from summit.analysis.debrief import (
    Room,
    ai_summary,
    debrief,
    display_names,
    percentile,
    promises,
    render,
    teams,
    wilson,
)
from summit.analysis.negotiation import reference_points
from summit.batch import simulate
from summit.catalog import resolve
from summit.model import SummitModel
from summit.scenario import load_spec


@pytest.fixture(scope="module")
def spec():
    return load_spec(resolve("jerusalem-2019"))


def test_percentile_counts_ties_half():
    sample = np.array([0.0, 0.0, 0.1, 0.2])
    assert percentile(sample, 0.0) == 25.0  # (0 below + 2 ties / 2) / 4
    assert percentile(sample, 0.1) == 62.5  # (2 + 0.5) / 4
    assert percentile(sample, 0.15) == 75.0
    assert percentile(sample, -1) == 0.0 and percentile(sample, 1) == 100.0


def test_wilson_interval_by_hand():
    low, high = wilson(50, 100)  # p = 0.5, n = 100: 0.5 -/+ 0.0962
    assert low == pytest.approx(0.4038, abs=1e-4) and high == pytest.approx(0.5962, abs=1e-4)


def outcome(payoffs: dict, walk: dict, overpaid: dict | None = None) -> dict:
    overpaid = overpaid or {}
    return {
        "deal": True,
        "end_reason": "deal",
        "end_round": 3,
        "sequencing": "on_promise",
        "agreed": {},
        "commitments": [],
        "paid_for_unkept": [a for a, v in overpaid.items() if v > 0.005],
        "actors": [
            {"actor": a, "payoff": p, "walk_away": walk[a], "overpaid": overpaid.get(a, 0.0)}
            for a, p in payoffs.items()
        ],
    }


def test_team_score_is_payoff_over_no_deal_value_and_its_percentile(spec):
    sample = {
        "us.payoff": np.array([0.42, 0.42, 0.52, 0.62]),
        "us.gain": np.array([0.0, 0.0, 0.1, 0.2]),
    }
    row = teams(spec, outcome({"us": 0.5}, {"us": 0.42}), sample)["us"]
    assert row["score"] == 0.08 and row["no_deal"] == 0.42
    assert row["payoff_percentile"] == 50.0 and row["score_percentile"] == 50.0
    assert row["ai_mean_score"] == 0.075


def test_who_paid_for_promises_not_kept(spec):
    out = outcome({"us": 0.5, "russia": 0.6}, {"us": 0.42, "russia": 0.45}, {"us": 0.6667})
    out["commitments"] = [
        {
            "issue": "iran_withdrawal",
            "giver": "russia",
            "kind": "action",
            "agreed": 3,
            "agreed_name": "all of Syria",
            "delivered": 0.0,
            "delivered_name": "none",
            "status": "not delivered",
        }
    ]
    got = promises(spec, out)
    assert got["paid_for_unkept"] == [{"actor": "us", "overpaid": 0.6667}]
    assert got["commitments"][0]["promised"] == "all of Syria"
    assert got["commitments"][0]["delivered"] == "none"


def test_ai_summary_deal_rate_and_unkept_share(spec):
    sample = {"deal": np.array([True, True, False, True])}
    for a in spec.actor_ids:
        sample[f"{a}.paid_for_unkept"] = np.array([a == "us", False, True, False])
    s = ai_summary(spec, sample, seed=1)
    assert s["deal_rate"] == 0.75 and s["runs"] == 4
    assert s["paid_for_unkept_share"]["us"] == round(1 / 3, 4)  # 1 of the 3 deals
    assert s["paid_for_unkept_share"]["iran"] == 0.0  # the no-deal run does not count


def test_an_all_ai_room_against_a_real_sample(spec):
    model = SummitModel(spec, 7)
    room = Room("A", 7, model.run().to_dict())
    nodeal = SummitModel(spec, 8)
    other = Room("B", 8, nodeal.run().to_dict())
    report = debrief(spec, [room, other], runs=300, seed=5)
    json.dumps(report)  # JSON-ready for the server
    cols = simulate(spec, 300, seed=5)
    assert report["ai"]["deal_rate"] == round(float(cols["deal"].mean()), 4)
    a = report["rooms"][0]
    for row in model.outcome.actors:  # the room is the AI with its seed
        assert a["teams"][row.actor]["score"] == round(row.gain, 4)
        assert a["same_seed_ai"]["score"][row.actor] == round(row.gain, 4)
        assert a["teams"][row.actor]["score_percentile"] == percentile(
            cols[f"{row.actor}.gain"], row.gain
        )
    ref = reference_points(spec, 7)
    nash = ref.solutions["Nash bargaining"]
    assert a["packages"]["Nash bargaining"]["utility"]["us"] == round(float(nash.utility[0]), 4)
    assert report["side_by_side"]["us"]["B"] == report["rooms"][1]["teams"]["us"]
    text = render(report, display_names(spec))
    assert "| United States |" in text and "## Room B (seed 8)" in text
