"""The start screen's what-if panel: the scenario's capability, willingness and credibility
parameters with their defaults; a value typed in becomes a `NAME=VALUE` setting, checked by
summit.overrides exactly as `--set` is."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Input, Label

from summit import overrides
from summit.scenario import Distribution, Spec


def default_text(spec: Spec, name: str) -> str:
    """A setting's value in the scenario: a number, a distribution, or a range over a group."""
    values = [s.value for s in spec.slots if s.name in set(overrides.members(spec, name))]
    shown = {v.describe() if isinstance(v, Distribution) else f"{float(v):g}" for v in values}
    if len(shown) == 1:
        return shown.pop()
    return "varies by issue" if name.endswith(".willingness") else "varies by observer"


def what_if_names(spec: Spec) -> list[str]:
    """Per actor: capability, willingness (if it gives anything), credibility."""
    names = []
    for actor in spec.actor_ids:
        for what in ("capability", "willingness", "credibility"):
            name = f"{actor}.{what}"
            if overrides.members(spec, name):
                names.append(name)
    return names


class WhatIfPanel(VerticalScroll):
    """One row per parameter: its name, the scenario's value, and a box to change it."""

    DEFAULT_CSS = """
    WhatIfPanel { height: 1fr; min-height: 4; padding: 0 1; }
    WhatIfPanel .what-if-row { height: 1; }
    WhatIfPanel .what-if-name { width: 1fr; color: $text-muted; }
    WhatIfPanel .what-if-row:focus-within .what-if-name { color: $text; text-style: bold; }
    WhatIfPanel Input { width: 14; }
    """

    def __init__(self, spec: Spec, **kwargs):
        super().__init__(**kwargs)
        self.spec = spec
        self.border_title = "4 What if (blank: the scenario's value)"

    def compose(self) -> ComposeResult:
        for k, name in enumerate(what_if_names(self.spec)):
            with Horizontal(classes="what-if-row"):
                yield Label(
                    Text.assemble(name, (f"  {default_text(self.spec, name)}", "dim")),
                    classes="what-if-name",
                )
                yield Input(placeholder="e.g. 0.9", compact=True, id=f"what-if-{k}", name=name)

    def settings(self) -> list[str]:
        """The values typed in, as `NAME=VALUE` texts, each checked; UsageError for a bad one."""
        out = []
        for box in self.query(Input):
            if box.value.strip():
                text = f"{box.name}={box.value.strip()}"
                overrides.parse(self.spec, text)  # raises UsageError with the reason
                out.append(text)
        return out
