"""The two errors of a scenario: ScenarioError (file: field: problem) and RefError (a problem
found inside a validator, before the file is known)."""

from __future__ import annotations

from pathlib import Path


class ScenarioError(Exception):
    """A scenario that cannot be used; ``str(err)`` is one line: file: field: problem."""

    def __init__(self, file: str | Path, where: str, problem: str):
        self.file, self.where, self.problem = (
            str(file),
            " ".join(where.split()),
            " ".join(problem.split()),
        )
        text = f"{file}: {self.where}: {self.problem}" if self.where else f"{file}: {self.problem}"
        super().__init__(" ".join(text.splitlines()))


class RefError(ValueError):
    """A name or value that does not fit the rest of the scenario; ``where`` is the field.
    Loading turns it into a ScenarioError naming the file."""

    def __init__(self, where: str, problem: str):
        self.where = where
        super().__init__(problem)

    def in_file(self, file: str | Path) -> ScenarioError:
        return ScenarioError(file, self.where, str(self))
