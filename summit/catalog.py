"""Finding scenarios: by path, or by name in the scenarios folder."""

from __future__ import annotations

import os
from pathlib import Path

from summit.scenario import Scenario, ScenarioError, load_scenario

PACKAGE = Path(__file__).resolve().parent


def scenarios_dir() -> Path:
    """$SUMMIT_SCENARIOS, else ./scenarios, else the scenarios folder beside the package (a
    checkout), else the copy shipped inside an installed package (summit/_scenarios)."""
    env = os.environ.get("SUMMIT_SCENARIOS")
    if env:
        return Path(env)
    for folder in (Path("scenarios"), PACKAGE.parent / "scenarios"):
        if folder.is_dir():
            return folder
    return PACKAGE / "_scenarios"


def resolve(name_or_path: str) -> Path:
    """A scenario argument as a path: an existing file, or a name in the scenarios folder."""
    path = Path(name_or_path)
    if path.exists() or path.suffix == ".toml" or "/" in name_or_path:
        return path
    for candidate in (
        scenarios_dir() / f"{name_or_path}.toml",
        scenarios_dir() / "history" / f"{name_or_path}.toml",
    ):
        if candidate.exists():
            return candidate
    known = ", ".join(p.stem for p in list_paths())
    raise ScenarioError(name_or_path, "", f"no such scenario file or name (known: {known})")


def list_paths(include_history: bool = False) -> list[Path]:
    root = scenarios_dir()
    paths = sorted(root.glob("*.toml"))
    if include_history:
        paths += sorted((root / "history").glob("*.toml"))
    return paths


def list_scenarios(include_history: bool = False) -> list[tuple[Path, Scenario | ScenarioError]]:
    """Every scenario file with its parsed scenario, or the error that stops it loading."""
    out = []
    for path in list_paths(include_history):
        try:
            out.append((path, load_scenario(path)))
        except ScenarioError as err:
            out.append((path, err))
    return out
