"""Loading: TOML, ``extends``, and pydantic's errors turned into one-line ScenarioErrors."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from summit.scenario.errors import RefError, ScenarioError
from summit.scenario.format import Scenario


def _loc_text(data: Any, loc: tuple) -> str:
    """Turn pydantic's location into 'actors[russia].capability' using ids where items have them."""
    out, node = [], data
    for part in loc:
        if isinstance(part, int):
            label = str(part)
            if (
                isinstance(node, list)
                and part < len(node)
                and isinstance(node[part], dict)
                and "id" in node[part]
            ):
                label = str(node[part]["id"])
            out.append(f"[{label}]")
            node = node[part] if isinstance(node, list) and part < len(node) else None
        else:
            if part in (
                "function-after[_one_kind(), Distribution]",
                "float",
                "Distribution",
            ) or "function-" in str(part):
                continue
            out.append(("." if out else "") + str(part))
            node = node.get(part) if isinstance(node, dict) else None
    return "".join(out)


def _union_branch(loc: tuple) -> tuple[str | None, tuple]:
    """For an error inside a number-or-distribution field: which branch ('number' or
    'distribution') and the location of the field itself."""
    for k, part in enumerate(loc):
        text = str(part)
        if text == "float":
            return "number", loc[:k]
        if "Distribution" in text:
            return "distribution", loc[:k]
    return None, loc


def _first_error(data: Any, err: ValidationError) -> tuple[str, str]:
    # A Param is float | Distribution: when both branches fail, report the one the user meant,
    # judged by whether the field itself holds a table.
    errors = err.errors()
    chosen = errors[0]
    for e in errors:
        branch, field_loc = _union_branch(e["loc"])
        if branch is not None:
            is_table = isinstance(_walk(data, [p for p in field_loc if not _is_union_tag(p)]), dict)
            if (branch == "number") == is_table:
                continue
        chosen = e
        break
    loc = tuple(p for p in chosen["loc"] if not _is_union_tag(p))
    msg = chosen["msg"].removeprefix("Value error, ")
    given = _walk(data, list(loc))
    if chosen["type"] == "extra_forbidden":
        msg = "unknown key (not part of the scenario format; see docs/scenarios.md)"
    elif chosen["type"] == "missing":
        msg = "missing (required)"
    elif given is not None and "(got " not in msg and not isinstance(given, dict | list):
        msg = f"{msg} (got {given!r})"
    return _loc_text(data, loc), msg


def _is_union_tag(part: Any) -> bool:
    text = str(part)
    return (
        text in ("float", "Distribution", "int", "str", "list[float]")
        or text.startswith("function-")
        or text.startswith("tuple[")
        or text.startswith("list[")
        or text.startswith("constrained-")
    )


def _walk(data: Any, loc: list) -> Any:
    node = data
    for part in loc:
        try:
            node = node[part]
        except (KeyError, IndexError, TypeError):
            return None
    return node


def parse_scenario(data: dict, path: str | Path = "<scenario>") -> Scenario:
    """Validate already-parsed TOML data."""
    if "path" in data:
        raise ScenarioError(
            path, "path", "unknown key (not part of the scenario format; see docs/scenarios.md)"
        )
    try:
        return Scenario.model_validate({**data, "path": str(path)})
    except ValidationError as err:
        for e in err.errors():
            ctx = e.get("ctx") or {}
            if isinstance(ctx.get("error"), RefError):
                raise ctx["error"].in_file(path) from None
        where, msg = _first_error(data, err)
        raise ScenarioError(path, where, msg) from None


def _read_toml(path: Path) -> dict:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ScenarioError(path, "", "no such file") from None
    except IsADirectoryError:
        raise ScenarioError(path, "", "is a folder, not a scenario file") from None
    except (OSError, UnicodeDecodeError) as err:
        raise ScenarioError(path, "", f"cannot read: {err}") from None
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        raise ScenarioError(path, "", f"TOML syntax error: {err}") from None


def merge_scenarios(base: Any, over: Any) -> Any:
    """``over`` laid on ``base``: tables merge key by key; lists of tables that all have an
    ``id`` (actors, issues, events, side offers) merge item by item by id, new ids appended;
    anything else (numbers, strings, other lists such as ties) is replaced.

    >>> merge_scenarios({"a": 1, "t": {"x": 1, "y": 2}}, {"t": {"y": 3}})
    {'a': 1, 't': {'x': 1, 'y': 3}}
    """
    if isinstance(base, dict) and isinstance(over, dict):
        out = dict(base)
        for key, value in over.items():
            out[key] = merge_scenarios(base[key], value) if key in base else value
        return out
    by_id = (
        isinstance(base, list)
        and isinstance(over, list)
        and base
        and over
        and all(isinstance(x, dict) and "id" in x for x in base + over)
    )
    if by_id:
        out = list(base)
        index = {item["id"]: k for k, item in enumerate(out)}
        for item in over:
            if item["id"] in index:
                out[index[item["id"]]] = merge_scenarios(out[index[item["id"]]], item)
            else:
                out.append(item)
        return out
    return over


def _resolve_extends(path: Path, data: dict, seen: tuple[Path, ...]) -> dict:
    """A scenario may start from another: ``extends = "jerusalem-2019.toml"`` (relative to the
    file) and change only what differs, e.g. ``[summit] sequencing = ["after_verified"]``."""
    parent = data.get("extends")
    if parent is None:
        return data
    if not isinstance(parent, str):
        raise ScenarioError(
            path, "extends", f"must be the path of another scenario file (got {parent!r})"
        )
    parent_path = (path.parent / parent).resolve()
    if parent_path in seen:  # this file's extends closes the cycle: the error names it
        chain = " → ".join(p.name for p in (*seen[seen.index(parent_path) :], parent_path))
        raise ScenarioError(
            path, "extends", f"'{parent}' extends this file again (a cycle: {chain})"
        )
    if len(seen) > 8:
        raise ScenarioError(path, "extends", "more than 8 files extend one another")
    if not parent_path.exists():
        raise ScenarioError(
            path, "extends", f"no such scenario file '{parent}' (relative to this file)"
        )
    base = _resolve_extends(parent_path, _read_toml(parent_path), (*seen, parent_path))
    child = {k: v for k, v in data.items() if k != "extends"}
    return merge_scenarios({k: v for k, v in base.items() if k != "backtest"}, child)


def load_scenario(path: str | Path) -> Scenario:
    """Read and validate a scenario file; every failure is a one-line ScenarioError."""
    path = Path(path)
    data = _resolve_extends(path, _read_toml(path), (path.resolve(),))
    return parse_scenario(data, path)


def json_schema() -> str:
    """The scenario format as JSON Schema, for editors."""
    schema = Scenario.model_json_schema()
    schema["properties"].pop("path", None)
    schema["properties"]["extends"] = {
        "type": "string",
        "title": "Extends",
        "description": "another scenario file (relative to this one) that this file changes; "
        "see docs/scenarios.md",
    }
    schema["title"] = "summit scenario"
    return json.dumps(schema, indent=2)
