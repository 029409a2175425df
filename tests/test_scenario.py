"""Scenario files: every kind of bad input is one ScenarioError whose one-line message names the
file, the field and the problem; good files compile to the arrays the rules use."""

from __future__ import annotations

import json
import math
import re

import numpy as np
import pytest
from conftest import JERUSALEM, ROOT, SCENARIOS, THREE_POWERS, tiny_data

from summit.scenario import (
    ScenarioError,
    compile_scenario,
    json_schema,
    load_scenario,
    parse_scenario,
    resolve_target,
)

EFFECT = {"target": "a.capability", "add": 0.1}


def set_at(path, value):
    """A mutation of the tiny scenario's data: set the value at path (keys and list indices)."""

    def mutate(data):
        node = data
        for key in path[:-1]:
            node = node[key]
        node[path[-1]] = value

    return mutate


def delete_at(path):
    def mutate(data):
        node = data
        for key in path[:-1]:
            node = node[key]
        del node[path[-1]]

    return mutate


def event(**fields):
    return set_at(["events"], [{"id": "e", "text": "An event.", "effects": [EFFECT], **fields}])


def side_offer(**fields):
    base = {
        "id": "s",
        "by": "c",
        "to": "a",
        "text": "An offer.",
        "when": {"issue": "x"},
        "effects": [EFFECT],
    }
    return set_at(["side_offers"], [{**base, **fields}])


def cap(value):
    return set_at(["actors", 0, "capability"], value)


def expect_error(path, *parts: str) -> ScenarioError:
    """Load path; it must fail with one line 'path: where: problem' containing every part."""
    with pytest.raises(ScenarioError) as info:
        load_scenario(path)
    err = info.value
    text = str(err)
    assert "\n" not in text, text
    assert text.startswith(f"{path}: "), text
    for part in parts:
        assert part in text, f"{part!r} not in {text!r}"
    return err


# --------------------------------------------------------------------------- files


def test_good_scenarios_load():
    for path in (JERUSALEM, THREE_POWERS):
        sc = load_scenario(path)
        assert sc.path == str(path)
        assert sc.id == path.stem


def test_missing_file(tmp_path):
    err = expect_error(tmp_path / "nowhere.toml", "no such file")
    assert err.file == str(tmp_path / "nowhere.toml")


def test_a_folder(tmp_path):
    expect_error(tmp_path, "is a folder, not a scenario file")


def test_not_utf8(write_scenario):
    path = write_scenario("")
    path.write_bytes(b"\xff\xfe title")
    expect_error(path, "cannot read", "utf-8")


@pytest.mark.parametrize(
    ("text", "line", "column"),
    [
        ("[summit\ntitle = 'x'\n", 1, 8),
        ("[summit]\ntitle = 'x'\ndeadline = \n", 3, 12),
        ("[summit]\ntitle = 'x'\ntitle = 'y'\n", 3, 12),
    ],
)
def test_toml_syntax_error_gives_line_and_column(write_scenario, text, line, column):
    path = write_scenario(text)
    expect_error(path, "TOML syntax error", f"line {line}, column {column}")


def test_empty_file_lacks_the_summit(write_scenario):
    expect_error(write_scenario(""), "summit: missing (required)")


# --------------------------------------------------------------------------- field errors

BAD = {
    # id: (mutation of the tiny scenario, where, problem)
    "unknown top-level key": (set_at(["colour"], "red"), "colour", "unknown key"),
    "unknown summit key": (set_at(["summit", "colour"], 1), "summit.colour", "unknown key"),
    "unknown actor key": (set_at(["actors", 1, "colour"], 1), "actors[b].colour", "unknown key"),
    "unknown rules key": (set_at(["rules", "speed"], 2.0), "rules.speed", "unknown key"),
    "unknown issue key": (set_at(["issues", 0, "owner"], "a"), "issues[x].owner", "unknown key"),
    "missing title": (delete_at(["summit", "title"]), "summit.title", "missing (required)"),
    "missing issue giver": (
        delete_at(["issues", 1, "giver"]),
        "issues[y].giver",
        "missing (required)",
    ),
    "missing effect target": (
        event(round=1, effects=[{"add": 0.1}]),
        "events[e].effects[0].target",
        "missing (required)",
    ),
    "deadline a string": (
        set_at(["summit", "deadline"], "eight"),
        "summit.deadline",
        "valid integer",
        "'eight'",
    ),
    "deadline a fraction": (
        set_at(["summit", "deadline"], 8.5),
        "summit.deadline",
        "valid integer",
    ),
    "table a string": (set_at(["summit", "table"], "a"), "summit.table", "valid list", "'a'"),
    "capability a string": (cap("high"), "actors[a].capability", "valid number", "'high'"),
    "salience not a table": (
        set_at(["actors", 0, "salience"], 5),
        "actors[a].salience",
        "valid dictionary",
    ),
    "levels a string": (set_at(["issues", 0, "levels"], "abc"), "issues[x].levels", "valid list"),
    "style unknown": (
        set_at(["actors", 0, "style"], "tough"),
        "actors[a].style",
        "'boulware'",
        "'tough'",
    ),
    "kind unknown": (
        set_at(["issues", 0, "kind"], "gift"),
        "issues[x].kind",
        "'action' or 'concession'",
    ),
    "sequencing unknown": (
        set_at(["summit", "sequencing"], ["later"]),
        "summit.sequencing[0]",
        "'later'",
    ),
    "issue id pattern": (set_at(["issues", 0, "id"], "X-1"), "issues[X-1].id", "pattern", "'X-1'"),
    "one level": (set_at(["issues", 0, "levels"], ["only"]), "issues[x].levels", "at least 2"),
    "one actor": (lambda d: d.update(actors=d["actors"][:1]), "actors", "at least 2"),
    "no issues": (set_at(["issues"], []), "issues", "at least 1"),
    "long description": (
        set_at(["summit", "description"], "x" * 201),
        "summit.description",
        "at most 200",
    ),
    # ranges, with the value given
    "deadline 0": (
        set_at(["summit", "deadline"], 0),
        "summit.deadline",
        "greater than or equal to 1",
        "got 0",
    ),
    "deadline 101": (
        set_at(["summit", "deadline"], 101),
        "summit.deadline",
        "less than or equal to 100",
        "got 101",
    ),
    "capability 1.5": (cap(1.5), "actors[a].capability", "between 0 and 1", "got 1.5"),
    "capability -0.1": (cap(-0.1), "actors[a].capability", "between 0 and 1", "got -0.1"),
    "strength 11": (
        set_at(["actors", 2, "strength"], 11.0),
        "actors[c].strength",
        "between 0 and 10",
        "got 11",
    ),
    "walk_away 2": (
        set_at(["actors", 1, "walk_away"], 2.0),
        "actors[b].walk_away",
        "between 0 and 1",
        "got 2",
    ),
    "concession 0": (
        set_at(["actors", 0, "concession"], 0.0),
        "actors[a].concession",
        "between 0.01 and 100",
    ),
    "salience 101": (
        set_at(["actors", 0, "salience", "x"], 101.0),
        "actors[a].salience",
        "x: must be between 0 and 100",
        "got 101",
    ),
    "belief 1.5": (
        set_at(["actors", 0, "beliefs"], {"b": 1.5}),
        "actors[a].beliefs",
        "b: must be between 0 and 1",
        "got 1.5",
    ),
    "value 1.2": (
        set_at(["actors", 0, "values", "x"], [1.0, 1.2, 0.0]),
        "actors[a].values.x[1]",
        "less than or equal to 1",
        "got 1.2",
    ),
    "compliance 2": (
        set_at(["rules", "compliance"], 2.0),
        "rules.compliance",
        "less than or equal to 1",
        "got 2",
    ),
    "steepness 0": (
        set_at(["rules", "delivery_steepness"], 0.0),
        "rules.delivery_steepness",
        "greater than 0",
    ),
    "tie strength 2": (
        set_at(["ties"], [{"between": ["a", "c"], "strength": 2.0}]),
        "ties[0].strength",
        "between 0 and 1",
        "got 2",
    ),
    "resistance 11": (
        set_at(["issues", 0, "resisted_by"], {"c": 11.0}),
        "issues[x].resisted_by.c",
        "less than or equal to 10",
        "got 11",
    ),
    "presence 1.5": (
        set_at(["issues", 0, "presence"], {"actor": "c", "levels": [1.5, 0.5, 0.0]}),
        "issues[x].presence.levels[0]",
        "less than or equal to 1",
        "got 1.5",
    ),
    # not a number
    "capability nan": (cap(math.nan), "actors[a].capability", "finite number", "got nan"),
    "capability inf": (cap(math.inf), "actors[a].capability", "finite number", "got inf"),
    "salience nan": (
        set_at(["actors", 0, "salience", "x"], math.nan),
        "actors[a].salience.x",
        "finite number",
    ),
    "value nan": (
        set_at(["actors", 0, "values", "x"], [1.0, math.nan, 0.0]),
        "actors[a].values.x[1]",
        "finite number",
    ),
    "steepness inf": (
        set_at(["rules", "delivery_steepness"], math.inf),
        "rules.delivery_steepness",
        "finite number",
        "got inf",
    ),
    "effect set nan": (
        event(round=1, effects=[{"target": "a.capability", "set": math.nan}]),
        "events[e].effects[0].set",
        "finite number",
    ),
    "probability nan": (event(probability=math.nan), "events[e].probability", "finite number"),
    # unknown names
    "table: unknown actor": (
        set_at(["summit", "table"], ["a", "zz"]),
        "summit.table[1]",
        "unknown actor 'zz'",
        "(actors: a, b, c)",
    ),
    "table: twice": (
        set_at(["summit", "table"], ["a", "a"]),
        "summit.table",
        "sits at the table twice",
    ),
    "giver: unknown actor": (
        set_at(["issues", 0, "giver"], "zz"),
        "issues[x].giver",
        "unknown actor 'zz'",
    ),
    "resisted_by: unknown actor": (
        set_at(["issues", 0, "resisted_by"], {"zz": 1.0}),
        "issues[x].resisted_by",
        "unknown actor 'zz'",
    ),
    "resisted_by: the giver": (
        set_at(["issues", 0, "resisted_by"], {"a": 1.0}),
        "issues[x].resisted_by",
        "cannot resist its own commitment",
    ),
    "presence: unknown actor": (
        set_at(["issues", 0, "presence"], {"actor": "zz", "levels": [1, 0.5, 0]}),
        "issues[x].presence.actor",
        "unknown actor 'zz'",
    ),
    "beliefs: unknown actor": (
        set_at(["actors", 0, "beliefs"], {"zz": 0.5}),
        "actors[a].beliefs.zz",
        "unknown actor 'zz'",
    ),
    "tie: unknown actor": (
        set_at(["ties"], [{"between": ["a", "zz"], "strength": 0.5}]),
        "ties[0].between",
        "unknown actor 'zz'",
    ),
    "tie: one actor twice": (
        set_at(["ties"], [{"between": ["a", "a"], "strength": 0.5}]),
        "ties[0].between",
        "two different actors",
    ),
    "salience: unknown issue": (
        set_at(["actors", 0, "salience", "zz"], 1.0),
        "actors[a].salience.zz",
        "unknown issue 'zz'",
        "(issues: x, y)",
    ),
    "values: unknown issue": (
        set_at(["actors", 0, "values", "zz"], [0, 1]),
        "actors[a].values.zz",
        "unknown issue 'zz'",
    ),
    "willingness: unknown issue": (
        set_at(["actors", 0, "willingness"], {"zz": 0.5}),
        "actors[a].willingness.zz",
        "unknown issue 'zz'",
    ),
    "values: wrong length": (
        set_at(["actors", 0, "values", "x"], [1.0, 0.0]),
        "actors[a].values.x",
        "2 values given but issue 'x' has 3 levels",
    ),
    "difficulty: wrong length": (
        set_at(["issues", 0, "difficulty"], [0.0, 1.0]),
        "issues[x]",
        "difficulty has 2 entries but the issue has 3 levels",
    ),
    "difficulty: decreasing": (
        set_at(["issues", 0, "difficulty"], [0.0, 0.8, 0.3]),
        "issues[x]",
        "must not decrease",
    ),
    "phrases: wrong length": (
        set_at(["issues", 0, "phrases"], ["p"]),
        "issues[x]",
        "phrases has 1 entries",
    ),
    "presence: wrong length": (
        set_at(["issues", 0, "presence"], {"actor": "c", "levels": [1.0, 0.5]}),
        "issues[x]",
        "presence.levels has 2 entries but the issue has 3 levels",
    ),
    "nobody cares": (
        set_at(["actors", 2, "salience"], {"x": 0.0}),
        "actors[c].salience",
        "at least one issue",
    ),
    "duplicate actor": (
        lambda d: d["actors"].append(dict(d["actors"][2])),
        "actors[3].id",
        "duplicate id 'c'",
    ),
    "duplicate event": (
        set_at(["events"], [{"id": "e", "text": "t", "round": 1, "effects": [EFFECT]}] * 2),
        "events[1].id",
        "duplicate id 'e'",
    ),
    # distributions
    "distribution: two kinds": (
        cap({"uniform": [0.1, 0.5], "triangular": [0.1, 0.2, 0.5]}),
        "actors[a].capability",
        "exactly one of uniform, triangular, normal, beta, choice",
    ),
    "distribution: no kind": (cap({}), "actors[a].capability", "exactly one of"),
    "uniform: low > high": (
        cap({"uniform": [0.6, 0.3]}),
        "actors[a].capability",
        "uniform needs low <= high",
        "[0.6, 0.3]",
    ),
    "triangular: mode outside": (
        cap({"triangular": [0.1, 0.8, 0.5]}),
        "actors[a].capability",
        "triangular needs low <= mode <= high",
    ),
    "triangular: no width": (
        cap({"triangular": [0.5, 0.5, 0.5]}),
        "actors[a].capability",
        "low < high",
    ),
    "normal without within": (
        cap({"normal": [0.5, 0.1]}),
        "actors[a].capability",
        "a normal needs 'within = [low, high]'",
    ),
    "normal: sd 0": (
        cap({"normal": [0.5, 0.0], "within": [0.0, 1.0]}),
        "actors[a].capability",
        "standard deviation > 0",
    ),
    "normal: within reversed": (
        cap({"normal": [0.5, 0.1], "within": [0.8, 0.2]}),
        "actors[a].capability",
        "'within' needs low < high",
    ),
    "within on a uniform": (
        cap({"uniform": [0.1, 0.5], "within": [0.0, 1.0]}),
        "actors[a].capability",
        "'within' goes with a normal",
    ),
    "scale on a uniform": (
        cap({"uniform": [0.1, 0.5], "scale": [0.0, 1.0]}),
        "actors[a].capability",
        "'scale' goes with a beta",
    ),
    "weights on a uniform": (
        cap({"uniform": [0.1, 0.5], "weights": [1.0]}),
        "actors[a].capability",
        "'weights' goes with a choice",
    ),
    "choice: weights length": (
        cap({"choice": [0.1, 0.5], "weights": [1.0]}),
        "actors[a].capability",
        "2 values but 1 weights",
    ),
    "choice: zero weights": (
        cap({"choice": [0.1, 0.5], "weights": [0.0, 0.0]}),
        "actors[a].capability",
        "must not all be zero",
    ),
    "support outside: uniform": (
        cap({"uniform": [0.5, 1.5]}),
        "actors[a].capability",
        "between 0 and 1",
        "uniform(0.5, 1.5)",
    ),
    "support outside: normal": (
        cap({"normal": [0.5, 0.1], "within": [0.0, 2.0]}),
        "actors[a].capability",
        "between 0 and 1",
        "within [0, 2]",
    ),
    "support outside: beta": (
        cap({"beta": [2.0, 2.0], "scale": [0.0, 2.0]}),
        "actors[a].capability",
        "between 0 and 1",
        "beta(2, 2) on [0, 2]",
    ),
    "support outside: choice": (
        cap({"choice": [0.1, 1.5]}),
        "actors[a].capability",
        "choice(0.1, 1.5)",
    ),
    "support outside: salience": (
        set_at(["actors", 0, "salience", "x"], {"uniform": [1.0, 200.0]}),
        "actors[a].salience",
        "x: must be between 0 and 100",
    ),
    "support outside: willingness": (
        set_at(["actors", 0, "willingness"], {"x": {"uniform": [0.5, 1.5]}}),
        "actors[a].willingness",
        "x: must be between 0 and 1",
    ),
    # events
    "event: round and probability": (
        event(round=1, probability=0.5),
        "events[e]",
        "one of round (scheduled), probability (random) or chosen_by",
    ),
    "event: neither": (
        event(),
        "events[e]",
        "one of round (scheduled), probability (random) or chosen_by",
    ),
    "event: round 0": (event(round=0), "events[e].round", "greater than or equal to 1", "got 0"),
    "event: probability 1.5": (
        event(probability=1.5),
        "events[e].probability",
        "less than or equal to 1",
        "got 1.5",
    ),
    "event: window with a round": (
        event(round=2, rounds=[1, 2]),
        "events[e]",
        "goes with probability",
    ),
    "event: window reversed": (event(probability=0.5, rounds=[3, 1]), "events[e]", "first <= last"),
    "event: no effects": (event(round=1, effects=[]), "events[e].effects", "at least 1"),
    "event: bad id": (
        set_at(["events"], [{"id": "E 1", "text": "t", "round": 1, "effects": [EFFECT]}]),
        "events[E 1].id",
        "pattern",
    ),
    "effect: two operations": (
        event(round=1, effects=[{"target": "a.capability", "add": 0.1, "mul": 2.0}]),
        "events[e].effects[0]",
        "exactly one of add, mul, set",
    ),
    "effect: unknown actor": (
        event(round=1, effects=[{"target": "zz.capability", "add": 0.1}]),
        "events[e].effects[0].target",
        "unknown actor 'zz' in 'zz.capability'",
    ),
    "effect: unknown parameter": (
        event(round=1, effects=[{"target": "a.credibility", "add": 0.1}]),
        "events[e].effects[0].target",
        "cannot read parameter 'a.credibility'",
        "<actor>.belief.<actor>",
    ),
    "effect: unknown issue": (
        event(round=1, effects=[{"target": "a.willingness.zz", "add": 0.1}]),
        "events[e].effects[0].target",
        "unknown issue 'zz' in 'a.willingness.zz'",
    ),
    "effect: belief in unknown actor": (
        event(round=1, effects=[{"target": "a.belief.zz", "add": 0.1}]),
        "events[e].effects[0].target",
        "unknown actor 'zz' in 'a.belief.zz'",
    ),
    "effect: tie with unknown actor": (
        event(round=1, effects=[{"target": "tie.a.zz", "add": 0.1}]),
        "events[e].effects[0].target",
        "unknown actor 'zz' in 'tie.a.zz'",
    ),
    # side offers
    "side offer: level too high": (
        side_offer(when={"issue": "x", "at_least": 3}),
        "side_offers[s].when.at_least",
        "issue 'x' has levels 0..2 (got 3)",
    ),
    "side offer: level 0": (
        side_offer(when={"issue": "x", "at_least": 0}),
        "side_offers[s].when.at_least",
        "greater than or equal to 1",
        "got 0",
    ),
    "side offer: unknown issue": (
        side_offer(when={"issue": "zz"}),
        "side_offers[s].when.issue",
        "unknown issue 'zz'",
    ),
    "side offer: unknown giver": (side_offer(by="zz"), "side_offers[s].by", "unknown actor 'zz'"),
    "side offer: unknown receiver": (
        side_offer(to="zz"),
        "side_offers[s].to",
        "unknown actor 'zz'",
    ),
    "side offer: no trigger": (
        lambda d: side_offer()(d) or d["side_offers"][0].pop("when"),
        "side_offers[s].when",
        "missing (required)",
    ),
    "side offer: bad effect": (
        side_offer(effects=[{"target": "q", "add": 0.1}]),
        "side_offers[s].effects[0].target",
        "cannot read parameter 'q'",
    ),
}


@pytest.mark.parametrize("case", list(BAD), ids=list(BAD))
def test_bad_scenario(write_scenario, case):
    mutate, where, *problem = BAD[case]
    data = tiny_data()
    mutate(data)
    path = write_scenario(data)
    err = expect_error(path, *problem)
    assert err.where == where, str(err)
    assert str(err) == f"{path}: {where}: {err.problem}"


def test_parse_scenario_names_the_path_given():
    data = tiny_data()
    data["summit"]["deadline"] = 0
    with pytest.raises(ScenarioError, match=r"^memory\.toml: summit\.deadline: "):
        parse_scenario(data, "memory.toml")


def test_the_tiny_scenario_is_valid(write_scenario):
    sc = load_scenario(write_scenario(tiny_data()))
    assert [a.id for a in sc.actors] == ["a", "b", "c"]


# ------------------------------------------------------------------- checks the engine lacks


@pytest.mark.parametrize(
    ("mutate", "where", "problem"),
    [
        pytest.param(
            lambda d: d["issues"].append(dict(d["issues"][1])),
            "issues[2].id",
            "duplicate id 'y'",
            id="duplicate issue",
        ),
        pytest.param(
            lambda d: (side_offer()(d), d["side_offers"].append(dict(d["side_offers"][0]))),
            "side_offers[1].id",
            "duplicate id 's'",
            id="duplicate side offer",
        ),
        pytest.param(
            set_at(["path"], "elsewhere.toml"), "path", "unknown key", id="top-level path key"
        ),
        pytest.param(
            set_at(["actors", 1, "willingness"], {"x": 0.5}),
            "actors[b].willingness.x",
            "gives",
            id="willingness of a non-giver",
        ),
        pytest.param(event(round=9), "events[e].round", "deadline", id="event after the deadline"),
        pytest.param(
            event(probability=0.5, rounds=[2, 9]),
            "events[e]",
            "deadline",
            id="event window after the deadline",
        ),
        pytest.param(
            cap({"beta": [2.0, 2.0], "scale": [0.9, 0.1]}),
            "actors[a].capability",
            "low < high",
            id="beta scale reversed",
        ),
    ],
)
def test_missing_checks(write_scenario, mutate, where, problem):
    data = tiny_data()
    mutate(data)
    path = write_scenario(data)
    err = expect_error(path, problem)
    assert err.where == where


@pytest.mark.parametrize(
    ("dist", "problem"),
    [
        ({"uniform": [math.nan, 0.5]}, "finite"),
        ({"uniform": [0.1, 0.3, 0.5]}, "uniform"),
        ({"beta": [0.0, 2.0]}, "greater than 0"),
        ({"choice": [0.1, 0.5], "weights": [-1.0, 2.0]}, "greater than or equal to 0"),
        ({"choice": []}, "at least 1"),
        ({"gauss": [0.1, 0.5]}, "gauss"),
    ],
)
def test_errors_inside_a_distribution_are_explained(write_scenario, dist, problem):
    data = tiny_data()
    data["actors"][0]["capability"] = dist
    path = write_scenario(data)
    err = expect_error(path, "actors[a].capability")
    assert problem in str(err)


def test_message_is_one_line_even_for_odd_keys(write_scenario):
    data = tiny_data()
    data["col\nour"] = 1
    expect_error(write_scenario(data), "unknown key")


# --------------------------------------------------------------------------- compiled form


def test_compile_tiny(tiny_spec):
    spec = tiny_spec
    assert spec.actor_ids == ("a", "b", "c") and spec.issue_ids == ("x", "y")
    assert spec.n_levels.tolist() == [3, 2]
    assert spec.level_ok.tolist() == [[True, True, True], [True, True, False]]
    assert spec.giver.tolist() == [0, 1]
    assert spec.is_action.tolist() == [True, False]
    assert spec.resist.tolist() == [[0.0, 0.0, 1.0], [0.0, 0.0, 0.0]]
    assert spec.difficulty.tolist() == [
        [0.0, 0.5, 1.0],
        [0.0, 1.0, 1.0],
    ]  # default i / (n - 1), padded
    assert spec.presence_of.tolist() == [2, -1]
    assert spec.at_table.tolist() == [True, True, False]
    assert spec.table_order == (0, 1)
    assert spec.sequencings == (0, 1)
    # values padded with the top level's; an actor without values for an issue is indifferent (0.5)
    assert spec.values[1, 1].tolist() == [1.0, 0.0, 0.0]
    assert spec.values[2, 1].tolist() == [0.5, 0.5, 0.5]


def test_beliefs_start_from_the_record(tiny_spec):
    from conftest import params_of

    belief = params_of(tiny_spec)["belief"][0]
    # belief[observer, giver]: the giver's credibility (a 0.3, b 0.8, c default 0.5); 1 for oneself.
    assert belief.tolist() == [[1.0, 0.8, 0.5], [0.3, 1.0, 0.5], [0.3, 0.8, 1.0]]


def test_style_sets_the_concession_exponent():
    data = tiny_data()
    data["actors"][0]["style"] = "boulware"
    data["actors"][1]["style"] = "conceder"
    data["actors"][2].update(style="boulware", concession=0.5)  # an explicit exponent wins
    from conftest import params_of

    spec = compile_scenario(parse_scenario(data))
    assert params_of(spec)["concession"][0].tolist() == [0.2, 3.0, 0.5]


@pytest.mark.parametrize(
    ("text", "array", "index"),
    [
        ("a.capability", "capability", (0,)),
        ("c.strength", "strength", (2,)),
        ("c.entrenchment", "entrenchment", (2,)),
        ("b.walk_away", "walk_away", (1,)),
        ("a.concession", "concession", (0,)),
        ("a.reciprocity", "reciprocity", (0,)),
        ("a.willingness.x", "willingness", (0, 0)),
        ("b.salience.y", "salience", (1, 1)),
        ("b.belief.a", "belief", (1, 0)),
        ("tie.a.c", "tie", (0, 2)),
    ],
)
def test_effect_targets(text, array, index):
    sc = parse_scenario(tiny_data())
    target = resolve_target(sc, text)
    assert (target.array, target.index) == (array, index)


def test_jerusalem_compiles_to_six_actors_and_eleven_issues(jerusalem_spec):
    spec = jerusalem_spec
    assert spec.actor_ids == ("us", "israel", "russia", "iran", "assad", "hezbollah")
    assert len(spec.issue_ids) == 11
    assert [spec.actor_ids[a] for a in spec.table_order] == ["us", "israel", "russia"]
    drawn = [s.name for s in spec.sampled_slots()]
    assert "russia.capability" in drawn and "tie.russia.iran" in drawn
    assert drawn.count("tie.russia.iran") == 1  # one draw for both directions


def test_json_schema_describes_the_format():
    schema = json.loads(json_schema())
    assert schema["title"] == "summit scenario"
    assert {"summit", "actors", "issues", "rules", "events", "side_offers", "ties"} <= set(
        schema["properties"]
    )
    assert "path" not in schema["properties"]
    assert set(schema["required"]) == {"summit", "actors", "issues"}


def test_the_worked_example_in_the_docs_is_valid(tmp_path):
    """docs/scenarios.md ends with a complete scenario; it must pass as it is printed."""
    doc = (ROOT / "docs" / "scenarios.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```toml\n(.*?)```", doc, flags=re.S)
    complete = [b for b in blocks if "[summit]" in b and "[[actors]]" in b]
    assert complete, "no complete scenario in docs/scenarios.md"
    path = tmp_path / "example.toml"
    path.write_text(complete[-1], encoding="utf-8")
    sc = load_scenario(path)
    spec = compile_scenario(sc)
    from summit.rules import game

    st, res = game.play(spec, np.arange(8))
    assert np.all((res.payoff >= 0) & (res.payoff <= 1))


def test_every_scenario_in_the_folder_is_valid():
    # Each file loads, and every parameter slot it compiles to reads back, through the one
    # grammar of parameter names, to the array cell it fills (a mistake in either would show).
    found = {}
    for path in sorted([*SCENARIOS.glob("*.toml"), *SCENARIOS.glob("history/*.toml")]):
        sc = load_scenario(path)
        spec = compile_scenario(sc)
        for slot in spec.slots:
            target = resolve_target(sc, slot.name)
            assert target.array == slot.target.array, slot.name
            if slot.target.array != "tie":  # a tie's mirror shares its name
                assert target.index == slot.target.index, slot.name
        found[path.stem] = (spec.n_actors, spec.n_issues)
    assert found["jerusalem-2019"] == (6, 11)
    assert found["jerusalem-2019-actions-first"] == (6, 11)
    assert len(found) >= 3 + 1  # the three scenarios and at least one history case
