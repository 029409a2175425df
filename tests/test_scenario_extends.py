"""Scenarios that extend another: what merges, what replaces, and bad `extends`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from summit.scenario import ScenarioError, json_schema, load_scenario, merge_scenarios

ROOT = Path(__file__).resolve().parent.parent


def test_tables_merge_by_key_and_items_by_id():
    base = {
        "summit": {"title": "A", "deadline": 8},
        "actors": [{"id": "us", "capability": 0.8}, {"id": "ru", "capability": 0.5}],
        "ties": [{"between": ["us", "ru"], "strength": 0.1}],
    }
    over = {
        "summit": {"deadline": 4},
        "actors": [{"id": "ru", "capability": 0.9}, {"id": "ir", "capability": 0.6}],
        "ties": [{"between": ["ru", "ir"], "strength": 0.7}],
    }
    merged = merge_scenarios(base, over)
    assert merged["summit"] == {"title": "A", "deadline": 4}
    assert merged["actors"] == [
        {"id": "us", "capability": 0.8},
        {"id": "ru", "capability": 0.9},
        {"id": "ir", "capability": 0.6},
    ]
    assert merged["ties"] == [
        {"between": ["ru", "ir"], "strength": 0.7}
    ]  # lists without ids are replaced


def test_actions_first_variant_changes_only_the_sequencing():
    base = load_scenario(ROOT / "scenarios" / "jerusalem-2019.toml")
    variant = load_scenario(ROOT / "scenarios" / "jerusalem-2019-actions-first.toml")
    assert variant.summit.sequencing == ["after_verified"]
    assert base.summit.sequencing == ["on_promise", "after_verified"]
    assert (
        variant.actors == base.actors
        and variant.issues == base.issues
        and variant.events == base.events
    )


def test_a_child_may_change_one_actor(tmp_path):
    child = tmp_path / "child.toml"
    child.write_text(
        f'extends = "{ROOT / "scenarios" / "jerusalem-2019.toml"}"\n'
        '[[actors]]\nid = "russia"\ncapability = 0.9\n'
    )
    sc = load_scenario(child)
    assert sc.actor("russia").capability == 0.9
    assert sc.actor("russia").name == "Russia"  # the rest of the actor comes from the parent


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ('extends = "nowhere.toml"\n', "no such scenario file 'nowhere.toml'"),
        ("extends = 3\n", "must be the path of another scenario file"),
        ('extends = "s.toml"\n', "a cycle"),
    ],
)
def test_bad_extends_is_one_line(tmp_path, text, problem):
    path = tmp_path / "s.toml"
    path.write_text(text)
    with pytest.raises(ScenarioError) as info:
        load_scenario(path)
    message = str(info.value)
    assert (
        "\n" not in message and str(path) in message and "extends" in message and problem in message
    )


def test_a_cycle_of_two_is_reported_against_the_file_that_closes_it(tmp_path):
    a, b = tmp_path / "a.toml", tmp_path / "b.toml"
    a.write_text('extends = "b.toml"\n')
    b.write_text('extends = "a.toml"\n')
    with pytest.raises(ScenarioError) as info:
        load_scenario(a)
    assert str(info.value) == (
        f"{b}: extends: 'a.toml' extends this file again (a cycle: a.toml → b.toml → a.toml)"
    )
    assert info.value.file == str(b) and info.value.where == "extends"


def test_the_schema_knows_extends():
    schema = json.loads(json_schema())
    assert schema["properties"]["extends"]["type"] == "string"
    assert "path" not in schema["properties"]
