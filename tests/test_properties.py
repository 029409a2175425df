"""Properties that hold for every seed and every valid scenario (hypothesis).

Settings are modest (tens of examples, no deadline) so the file runs in well under a minute.
"""

from __future__ import annotations

import numpy as np
import pytest
from conftest import JERUSALEM, THREE_POWERS
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from summit import rng
from summit.model import SummitModel
from summit.rules import game
from summit.rules.responses import COMMITS
from summit.scenario import compile_scenario, load_spec, parse_scenario
from summit.transcript import transcript

SPECS = {"jerusalem": load_spec(JERUSALEM), "three-powers": load_spec(THREE_POWERS)}
SOME = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
FEW = settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])

seeds = st.integers(min_value=0, max_value=rng.SEED_MASK)
seed_lists = st.lists(seeds, min_size=1, max_size=12, unique=True)
scenario_names = st.sampled_from(sorted(SPECS))
EPS = 1e-9


def play_checked(spec, run_seeds):
    """Play the runs phase by phase, checking every round; returns the final state and result."""
    state = game.start(spec, np.asarray(run_seeds))
    while state.live.any():
        live = state.live
        state, _ = game.open_round(spec, state)
        offer = game.propose(spec, state)
        answers = game.respond(spec, state, offer)
        # Utilities and aspirations stay in [0, 1]; a giver's expected price for promises it
        # may break can take its own utility below 0, never below -1.
        for name, values, low in (
            ("utility", answers.utility, -1.0),
            ("face", answers.face, 0.0),
            ("threshold", offer.valuation.threshold, 0.0),
        ):
            v = values[live]
            assert np.all((v >= low - EPS) & (v <= 1 + EPS)), name
        cu = offer.candidate_utility[live]
        assert np.all((cu >= -1 - EPS) & (cu <= 1 + EPS))
        # No AI actor accepts a deal worth less to it at signing, in expectation, than its
        # no-deal value (the proposer counts as accepting its own offer).
        signs = answers.deal[:, None] & answers.accept & (answers.role <= COMMITS)
        assert np.all(~signs | (answers.utility >= state.params["no_deal"] - EPS))
        # A deal only when every committing actor accepted (and somebody commits).
        commits = answers.role == COMMITS
        deal = answers.deal
        assert not np.any(deal & ~live)
        assert np.all(~deal | (answers.accept | ~commits).all(axis=1))
        assert np.all(~deal | commits.any(axis=1))
        state, _ = game.close_round(spec, state, offer, answers)
        assert state.round <= spec.deadline
    return game.finish(spec, state)


def check_outcome(spec, state, result):
    deal = result.deal
    assert np.array_equal(deal, state.end_reason == game.DEAL)
    assert set(np.unique(state.end_reason)) <= {
        game.DEAL,
        game.DEADLINE,
        game.WALKOUT,
        game.BREAKDOWN,
    }
    assert np.all((state.end_round >= 1) & (state.end_round <= spec.deadline))
    # Delivered never above agreed; without a deal nothing is agreed.
    assert np.all(result.attained <= result.levels)
    assert np.all(result.position <= result.levels + EPS)
    assert np.all(result.position >= 0)
    assert np.all(result.levels[~deal] == 0)
    for name in (
        "payoff",
        "utility",
        "presence",
        "influence",
        "overpaid",
        "delivered_share",
        "belief",
    ):
        v = getattr(result, name)
        assert np.all(np.isfinite(v)), name
        low = -1.0 if name == "payoff" else 0.0  # a broken promise's price may take it below 0
        assert np.all((v >= low - EPS) & (v <= 1 + EPS)), name
    assert np.all(result.influence >= result.presence - EPS)
    # Without a deal every actor gets its no-deal value (status quo + declared consequences).
    assert np.allclose(result.payoff[~deal], state.params["no_deal"][~deal])


@SOME
@given(name=scenario_names, run_seeds=seed_lists)
def test_every_round_keeps_utilities_in_range_and_deals_need_every_committer(name, run_seeds):
    spec = SPECS[name]
    state, result = play_checked(spec, run_seeds)
    check_outcome(spec, state, result)


@FEW
@given(name=scenario_names, seed=seeds)
def test_same_seed_same_game(name, seed):
    first, second = SummitModel(SPECS[name], seed), SummitModel(SPECS[name], seed)
    first.run()
    second.run()
    assert first.header.to_dict() == second.header.to_dict()
    assert [r.to_dict() for r in first.records] == [r.to_dict() for r in second.records]
    assert first.outcome.to_dict() == second.outcome.to_dict()


def assert_same_runs(alone: tuple, batch: tuple, row: int):
    state_a, result_a = alone
    state_b, result_b = batch
    for key, value in vars(result_a).items():
        assert np.array_equal(value[0], getattr(result_b, key)[row], equal_nan=True), key
    for key in (
        "end_reason",
        "end_round",
        "walked_out",
        "levels",
        "sequencing",
        "accepted",
        "fired",
        "side_made",
    ):
        assert np.array_equal(getattr(state_a, key)[0], getattr(state_b, key)[row]), key
    for key, value in state_a.params.items():
        assert np.array_equal(value[0], state_b.params[key][row]), key


@SOME
@given(name=scenario_names, seed=seeds, before=seed_lists, after=seed_lists)
def test_a_run_alone_equals_the_same_run_in_a_batch(name, seed, before, after):
    spec = SPECS[name]
    others = [s for s in before + after if s != seed]
    cut = len([s for s in before if s != seed])
    batch_seeds = others[:cut] + [seed] + others[cut:]
    alone = game.play(spec, [seed])
    batch = game.play(spec, batch_seeds)
    assert_same_runs(alone, batch, cut)


@FEW
@given(seed=seeds)
def test_the_mesa_model_plays_the_batch_rules(seed):
    spec = SPECS["jerusalem"]
    model = SummitModel(spec, seed)
    model.run()
    _, result = game.play(spec, [seed + 1 if seed < rng.SEED_MASK else 0, seed])
    for key, value in vars(model.result).items():
        assert np.array_equal(value[0], getattr(result, key)[1], equal_nan=True), key


@SOME
@given(
    batch_seed=st.integers(0, 2**63 - 1),
    start=st.integers(0, 50),
    size=st.integers(1, 50),
    cut=st.integers(0, 50),
)
def test_run_seeds_do_not_depend_on_chunking(batch_seed, start, size, cut):
    whole = rng.run_seeds(batch_seed, start, start + size)
    cut = min(cut, size)
    parts = np.concatenate(
        [
            rng.run_seeds(batch_seed, start, start + cut),
            rng.run_seeds(batch_seed, start + cut, start + size),
        ]
    )
    assert np.array_equal(whole, parts)
    assert np.all(whole >= 0)
    assert len(np.unique(whole)) == size


@SOME
@given(seed_list=seed_lists, keys=st.lists(st.integers(0, 2**32), min_size=1, max_size=3))
def test_uniforms_are_in_range_and_per_run(seed_list, keys):
    u = rng.uniform(np.asarray(seed_list, dtype=np.uint64), *keys)
    assert np.all((u >= 0) & (u < 1))
    for k, s in enumerate(seed_list):
        assert u[k] == rng.uniform(s, *keys)


# --------------------------------------------------------------------------- random scenarios


def unit(lo=0.0, hi=1.0):
    return st.floats(lo, hi, allow_nan=False, allow_infinity=False)


@st.composite
def params(draw, lo, hi):
    """A value in [lo, hi] or a distribution whose support lies in it."""
    kind = draw(
        st.sampled_from(["value", "value", "uniform", "triangular", "normal", "beta", "choice"])
    )
    if kind == "value":
        return draw(unit(lo, hi))
    a, b = sorted(draw(st.tuples(unit(lo, hi), unit(lo, hi))))
    if a == b:
        a, b = lo, hi
    if kind == "uniform":
        return {"uniform": [a, b]}
    if kind == "triangular":
        return {"triangular": [a, draw(unit(a, b)), b]}
    if kind == "normal":
        return {"normal": [draw(unit(lo, hi)), draw(unit(0.01, 1.0))], "within": [a, b]}
    if kind == "beta":
        return {"beta": [draw(unit(0.5, 5.0)), draw(unit(0.5, 5.0))], "scale": [a, b]}
    values = draw(st.lists(unit(lo, hi), min_size=1, max_size=3))
    out = {"choice": values}
    if draw(st.booleans()):
        out["weights"] = [draw(unit(0.1, 3.0)) for _ in values]
    return out


@st.composite
def small_scenarios(draw):
    n_actors = draw(st.integers(2, 4))
    ids = [f"p{k}" for k in range(n_actors)]
    n_issues = draw(st.integers(1, 3))
    issue_ids = [f"i{k}" for k in range(n_issues)]
    deadline = draw(st.integers(1, 5))
    table = draw(st.permutations(ids))[: draw(st.integers(1, n_actors))]
    issues, n_levels = [], []
    for k, iid in enumerate(issue_ids):
        n = draw(st.integers(2, 4))
        n_levels.append(n)
        giver = draw(st.sampled_from(ids))
        others = [a for a in ids if a != giver]
        issue = {
            "id": iid,
            "name": f"Issue {k}",
            "levels": [f"level {j}" for j in range(n)],
            "kind": draw(st.sampled_from(["action", "concession"])),
            "giver": giver,
            "resisted_by": {a: draw(unit(0.1, 3.0)) for a in others if draw(st.booleans())},
        }
        if draw(st.booleans()):
            issue["difficulty"] = sorted(draw(unit()) for _ in range(n))
        if draw(st.booleans()):
            issue["presence"] = {
                "actor": draw(st.sampled_from(others)),
                "levels": sorted((draw(unit()) for _ in range(n)), reverse=True),
            }
        issues.append(issue)
    # At least two negotiators (table plus givers): a lone negotiator can never make a deal
    # (test_rules.test_a_lone_negotiator_runs_to_the_deadline_without_a_deal), which would
    # leave the deal invariants below nothing to check.
    if len(set(table) | {i["giver"] for i in issues}) < 2:
        table = list(table) + [next(a for a in ids if a not in table)]
    actors = []
    for aid in ids:
        actor = {
            "id": aid,
            "name": aid.upper(),
            "capability": draw(params(0.0, 1.0)),
            "strength": draw(params(0.0, 3.0)),
            "entrenchment": draw(params(0.0, 1.0)),
            "walk_away": draw(params(0.0, 1.0)),
            "credibility": draw(params(0.0, 1.0)),
            "style": draw(st.sampled_from(["boulware", "linear", "conceder", "reciprocating"])),
            "reciprocity": draw(params(0.0, 1.0)),
            # the first issue always matters a little, so no actor's saliences can all be 0
            "salience": {
                iid: draw(unit(0.5, 5.0)) if j == 0 else draw(params(0.0, 5.0))
                for j, iid in enumerate(issue_ids)
            },
            "values": {
                iid: [draw(unit()) for _ in range(n)]
                for iid, n in zip(issue_ids, n_levels, strict=True)
                if draw(st.booleans())
            },
            "willingness": {i["id"]: draw(params(0.0, 1.0)) for i in issues if i["giver"] == aid},
            "beliefs": {o: draw(params(0.0, 1.0)) for o in ids if o != aid and draw(st.booleans())},
        }
        if draw(st.booleans()):
            actor["concession"] = draw(params(0.05, 5.0))
        actors.append(actor)
    pairs = [(a, b) for k, a in enumerate(ids) for b in ids[k + 1 :]]
    ties = [
        {"between": list(p), "strength": draw(params(0.0, 1.0))}
        for p in pairs
        if draw(st.booleans())
    ]
    targets = (
        [
            f"{a}.{name}"
            for a in ids
            for name in ("capability", "strength", "entrenchment", "walk_away")
        ]
        + [f"{a}.belief.{b}" for a in ids for b in ids if a != b]
        + [f"tie.{a}.{b}" for a, b in pairs]
        + [f"{i['giver']}.willingness.{i['id']}" for i in issues]
    )

    def effects():
        return [
            {
                "target": draw(st.sampled_from(targets)),
                draw(st.sampled_from(["add", "mul", "set"])): draw(unit(-1.0, 2.0)),
            }
            for _ in range(draw(st.integers(1, 2)))
        ]

    events = []
    for k in range(draw(st.integers(0, 2))):
        ev = {
            "id": f"e{k}",
            "text": f"Event {k}.",
            "effects": effects(),
            "repeat": draw(st.booleans()),
        }
        if draw(st.booleans()):
            ev["round"] = draw(st.integers(1, deadline))
        else:
            ev["probability"] = draw(unit())
        events.append(ev)
    side_offers = []
    for k in range(draw(st.integers(0, 2))):
        i = draw(st.integers(0, n_issues - 1))
        by, to = draw(st.sampled_from([(a, b) for a in ids for b in ids if a != b]))
        side_offers.append(
            {
                "id": f"s{k}",
                "by": by,
                "to": to,
                "text": f"Side offer {k}.",
                "when": {"issue": issue_ids[i], "at_least": draw(st.integers(1, n_levels[i] - 1))},
                "effects": effects(),
            }
        )
    return {
        "summit": {
            "title": "Random",
            "description": "A generated scenario.",
            "deadline": deadline,
            "table": list(table),
            "sequencing": draw(
                st.sampled_from(
                    [["on_promise"], ["after_verified"], ["on_promise", "after_verified"]]
                )
            ),
        },
        "rules": {
            "delivery_steepness": draw(unit(0.5, 20.0)),
            "alliance_drag": draw(unit()),
            "compliance": draw(unit()),
            "record_weight": draw(unit(0.5, 10.0)),
            "walkout_patience": draw(st.integers(1, 3)),
        },
        "actors": actors,
        "issues": issues,
        "ties": ties,
        "events": events,
        "side_offers": side_offers,
    }


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(data=small_scenarios(), run_seeds=st.lists(seeds, min_size=1, max_size=4, unique=True))
def test_random_valid_scenarios_never_crash_the_engine(data, run_seeds):
    sc = parse_scenario(data, "random.toml")
    spec = compile_scenario(sc)
    state, result = play_checked(spec, run_seeds)
    check_outcome(spec, state, result)
    model = SummitModel(spec, run_seeds[0])
    model.run()
    assert len(model.records) == model.outcome.end_round
    text = transcript(spec, model.header, model.records, model.outcome)
    assert "--- Outcome ---" in text


@pytest.mark.parametrize("name", sorted(SPECS))
def test_many_runs_end_in_range(name):
    spec = SPECS[name]
    state, result = game.play(spec, rng.run_seeds(2019, 0, 300))
    check_outcome(spec, state, result)
    assert 0 < result.deal.mean() < 1  # both deals and failures happen
