"""Shared fixtures: a tiny hand-checkable scenario, the Jerusalem scenario, and a TOML writer.

The tiny scenario has three actors and two issues, small enough to compute every rule by hand:

    a  at the table, gives the action x (none / some / all), resisted by c
    b  at the table, gives the concession y (no / yes)
    c  away from the table, resists x; its military presence falls as x is delivered
"""

from __future__ import annotations

import copy
import json
import math
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parent.parent
SCENARIOS = ROOT / "scenarios"
JERUSALEM = SCENARIOS / "jerusalem-2019.toml"
THREE_POWERS = SCENARIOS / "three-powers.toml"

TINY = {
    "summit": {
        "title": "Tiny",
        "description": "Two at the table, one away.",
        "deadline": 4,
        "table": ["a", "b"],
    },
    "rules": {"delivery_steepness": 2.0},
    "issues": [
        {
            "id": "x",
            "name": "X",
            "levels": ["none", "some", "all"],
            "kind": "action",
            "giver": "a",
            "resisted_by": {"c": 1.0},
            "presence": {"actor": "c", "levels": [1.0, 0.6, 0.1]},
        },
        {"id": "y", "name": "Y", "levels": ["no", "yes"], "kind": "concession", "giver": "b"},
    ],
    "actors": [
        {
            "id": "a",
            "name": "A",
            "capability": 0.7,
            "walk_away": 0.4,
            "credibility": 0.3,
            "salience": {"x": 1.0, "y": 2.0},
            "values": {"x": [1.0, 0.6, 0.2], "y": [0.0, 1.0]},
        },
        {
            "id": "b",
            "name": "B",
            "capability": 0.8,
            "walk_away": 0.4,
            "credibility": 0.8,
            "salience": {"x": 2.0, "y": 1.0},
            "values": {"x": [0.0, 0.6, 1.0], "y": [1.0, 0.0]},
        },
        {
            "id": "c",
            "name": "C",
            "capability": 0.5,
            "strength": 0.5,
            "walk_away": 0.5,
            "salience": {"x": 1.0},
            "values": {"x": [1.0, 0.5, 0.0]},
        },
    ],
}


def tiny_data() -> dict:
    """A fresh, mutable copy of the tiny scenario as parsed TOML data."""
    return copy.deepcopy(TINY)


def _toml_value(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if math.isnan(value):
            return "nan"
        if math.isinf(value):
            return "inf" if value > 0 else "-inf"
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value)
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{_toml_key(k)} = {_toml_value(v)}" for k, v in value.items()) + "}"
    raise TypeError(f"cannot write {value!r} as TOML")


def _toml_key(key: str) -> str:
    return key if key.replace("_", "").replace("-", "").isalnum() else json.dumps(key)


def to_toml(data: dict) -> str:
    """Parsed TOML data back to TOML text (every top-level key on one line, inline tables)."""
    return "".join(f"{_toml_key(k)} = {_toml_value(v)}\n" for k, v in data.items())


@pytest.fixture
def tiny() -> dict:
    return tiny_data()


@pytest.fixture
def tiny_spec():
    from summit.scenario import compile_scenario, parse_scenario

    return compile_scenario(parse_scenario(tiny_data(), "tiny.toml"))


@pytest.fixture(scope="session")
def jerusalem_spec():
    from summit.scenario import load_spec

    return load_spec(JERUSALEM)


@pytest.fixture
def write_scenario(tmp_path):
    """write_scenario(data or text, name="s.toml") -> path of a scenario file in tmp_path."""

    def write(content: dict | str, name: str = "s.toml") -> Path:
        path = tmp_path / name
        path.write_text(content if isinstance(content, str) else to_toml(content), encoding="utf-8")
        return path

    return write


def params_of(spec, seeds=(0,)) -> dict:
    """The parameters of runs as a summit starts (fixed values for the tiny scenario, no-deal
    values worked out), as a mutable copy."""
    from summit.rules import game

    return {k: v.copy() for k, v in game.start(spec, np.asarray(seeds)).params.items()}


# b proposes first and wants a's action x; a gives x for b's concession y, which costs b nothing.
# The first offer is accepted, so every run has a deal with x agreed, and with nobody resisting
# x is delivered with probability F^m / (F^m + FRICTION^m), F = capability * willingness.
CONTEST = {
    "summit": {
        "title": "Contest",
        "description": "Delivery with no resisters.",
        "deadline": 3,
        "table": ["b", "a"],
        "sequencing": ["on_promise"],
    },
    "rules": {"delivery_steepness": 2.0},
    "issues": [
        {"id": "x", "name": "X", "levels": ["none", "done"], "kind": "action", "giver": "a"},
        {"id": "y", "name": "Y", "levels": ["no", "yes"], "kind": "concession", "giver": "b"},
    ],
    "actors": [
        {
            "id": "a",
            "name": "A",
            "capability": 0.5,
            "walk_away": 0.1,
            "credibility": 0.5,
            "salience": {"x": 1.0, "y": 1.0},
            "values": {"x": [1.0, 1.0], "y": [0.0, 1.0]},
            "willingness": {"x": {"uniform": [0.2, 1.0]}},
        },
        {
            "id": "b",
            "name": "B",
            "capability": 0.5,
            "walk_away": 0.1,
            "credibility": 0.9,
            "salience": {"x": 1.0, "y": 1.0},
            "values": {"x": [0.0, 1.0], "y": [1.0, 1.0]},
        },
    ],
}


def contest_data() -> dict:
    """A fresh copy of the contest scenario (tests/test_map.py, test_sensitivity.py)."""
    return copy.deepcopy(CONTEST)


@pytest.fixture
def contest():
    """The contest scenario's data, a fresh copy for each test."""
    return contest_data()


@pytest.fixture
def contest_spec():
    from summit.scenario import compile_scenario, parse_scenario

    return compile_scenario(parse_scenario(contest_data(), "contest.toml"))
