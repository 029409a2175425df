"""Scenario files: parse TOML, validate, explain errors, and compile to arrays for the rules.

A scenario names its actors and issues; nothing about the Jerusalem summit is hard-coded in
the engine. ``load_scenario(path)`` returns a validated :class:`Scenario` or raises
:class:`ScenarioError`, whose message is one line naming the file, the field and the problem.
``compile_scenario`` turns a Scenario into a :class:`Spec`: index arrays the rules work on.

The package, one job per module:

- ``format``: the file format (pydantic models);
- ``parameters``: the one table of run parameters (ranges, shapes, the grammar of names);
- ``references``: cross-reference checks (every name used is defined);
- ``load``: TOML, ``extends`` and one-line error messages;
- ``spec``: the compiled :class:`Spec`.
"""

from summit.scenario.errors import RefError, ScenarioError
from summit.scenario.format import (
    SEQUENCINGS,
    STYLE_EXPONENT,
    STYLES,
    Actor,
    Distribution,
    Effect,
    Event,
    Issue,
    Param,
    Presence,
    Rules,
    Scenario,
    SideOffer,
    Summit,
    Tie,
    Trigger,
)
from summit.scenario.load import json_schema, load_scenario, merge_scenarios, parse_scenario
from summit.scenario.parameters import (
    ACTOR_PER_ISSUE,
    ACTOR_SCALARS,
    BY_NAME,
    PARAMETERS,
    RANGES,
    Parameter,
    Target,
    array_shapes,
    check_range,
    resolve_target,
    split_name,
)
from summit.scenario.references import check_references
from summit.scenario.spec import (
    CompiledEffect,
    CompiledEvent,
    CompiledSideOffer,
    CompiledStatement,
    ParamSlot,
    Spec,
    compile_scenario,
    load_spec,
)

_RefError = RefError  # the old private name, for code written before the split

__all__ = [
    "ACTOR_PER_ISSUE",
    "ACTOR_SCALARS",
    "BY_NAME",
    "PARAMETERS",
    "RANGES",
    "SEQUENCINGS",
    "STYLES",
    "STYLE_EXPONENT",
    "Actor",
    "CompiledEffect",
    "CompiledEvent",
    "CompiledSideOffer",
    "CompiledStatement",
    "Distribution",
    "Effect",
    "Event",
    "Issue",
    "Param",
    "ParamSlot",
    "Parameter",
    "Presence",
    "RefError",
    "Rules",
    "Scenario",
    "ScenarioError",
    "SideOffer",
    "Spec",
    "Summit",
    "Target",
    "Tie",
    "Trigger",
    "array_shapes",
    "check_range",
    "check_references",
    "compile_scenario",
    "json_schema",
    "load_scenario",
    "load_spec",
    "merge_scenarios",
    "parse_scenario",
    "resolve_target",
    "split_name",
]
