"""Pick a scenario, the actors humans play (none = watch the AIs) and a seed."""

from __future__ import annotations

from pathlib import Path

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Button, Footer, Input, Label, OptionList, SelectionList, Static
from textual.widgets.option_list import Option

from summit.catalog import list_scenarios
from summit.errors import UsageError
from summit.scenario import ScenarioError, compile_scenario
from summit.tui.game import list_saves
from summit.tui.widgets.what_if import WhatIfPanel

DEFAULT_SCENARIO = "jerusalem-2019"  # the README's scenario, highlighted first


class StartScreen(Screen[tuple[Path, list[str], int, list[str]] | Path]):
    """Dismisses with (scenario path, human actor ids, seed, settings) for a new game, or the
    path of a saved game to continue."""

    BINDINGS = [Binding("ctrl+s", "start", "Start", priority=True)]

    def __init__(self, seed: int, scenario: Path | None = None, save_dir: Path | None = None):
        super().__init__()
        self.seed = seed
        self.wanted = scenario
        self.saves = list_saves(save_dir)
        found = list_scenarios()
        self.scenarios = [(p, sc) for p, sc in found if not isinstance(sc, ScenarioError)]
        self.broken = [(p, err) for p, err in found if isinstance(err, ScenarioError)]

    def compose(self) -> ComposeResult:
        yield Static(
            Text.assemble(
                ("summit", "bold"),
                "  a negotiation game: ",
                ("can Russia push Iran out of Syria?", "italic"),
            ),
            id="banner",
        )
        with Horizontal(id="start-body"):
            options = [
                Option(
                    Text.assemble((p.stem, "bold"), "\n", (sc.summit.description, "dim")), id=str(p)
                )
                for p, sc in self.scenarios
            ]
            options += [
                Option(
                    Text.assemble((p.stem, "bold"), "\n", (f"cannot load: {err}", "red")),
                    id=str(p),
                    disabled=True,
                )
                for p, err in self.broken
            ]
            with Vertical(id="choose"):
                scenarios = OptionList(*options, id="scenarios", classes="panel")
                scenarios.border_title = "1 Scenario"
                yield scenarios
                if self.saves:
                    saves = OptionList(
                        *[
                            Option(Text.assemble((p.name, "bold"), "\n", (what, "dim")), id=str(p))
                            for p, what in self.saves
                        ],
                        id="saves",
                        classes="panel",
                    )
                    saves.border_title = "Or continue a saved game (enter)"
                    yield saves
            with Vertical(id="setup"):
                actors = SelectionList[str](id="humans", classes="panel")
                actors.border_title = "2 Humans play (none: watch the AIs)"
                yield actors
                yield Vertical(id="what-if-slot")
                with Horizontal(id="seed-row"):
                    yield Label("3 Seed ", id="seed-label")
                    yield Input(str(self.seed), type="integer", id="seed", compact=True)
                yield Button("Start  ctrl+s", id="start", variant="primary")
                yield Static(
                    "Tab moves between the boxes; space ticks an actor. Tick one actor to play "
                    "alone, several to take turns at this keyboard (hot-seat), none to watch the "
                    "AIs negotiate. The same seed gives the same game.",
                    id="start-hint",
                )
        yield Footer(compact=True)

    def on_mount(self) -> None:
        scenarios = self.query_one("#scenarios", OptionList)
        paths = [p for p, _ in self.scenarios]
        index = next(
            (
                k
                for k, p in enumerate(paths)
                if self.wanted and p.resolve() == self.wanted.resolve()
            ),
            next((k for k, p in enumerate(paths) if p.stem == DEFAULT_SCENARIO), 0),
        )
        if paths:
            scenarios.highlighted = index
            self.show_actors(index)
        if self.wanted is not None:
            self.query_one("#humans").focus()
        else:
            scenarios.focus()

    def show_actors(self, index: int) -> None:
        _, sc = self.scenarios[index]
        slot = self.query_one("#what-if-slot", Vertical)
        slot.remove_children()
        slot.mount(WhatIfPanel(compile_scenario(sc), classes="panel"))
        actors = self.query_one("#humans", SelectionList)
        actors.clear_options()
        for a in sorted(sc.actors, key=lambda a: a.id not in sc.summit.table):
            where = "at the table" if a.id in sc.summit.table else "away from it"
            actors.add_option((Text.assemble(a.name, (f"  {where}", "dim")), a.id))

    @on(OptionList.OptionHighlighted, "#scenarios")
    def _scenario(self, event: OptionList.OptionHighlighted) -> None:
        if event.option_index < len(self.scenarios):
            self.show_actors(event.option_index)

    @on(OptionList.OptionSelected, "#scenarios")
    def _chosen(self) -> None:
        self.query_one("#humans").focus()

    @on(OptionList.OptionSelected, "#saves")
    def _resume(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(Path(event.option.id))

    @on(Input.Submitted, "#seed")
    @on(Button.Pressed, "#start")
    def action_start(self) -> None:
        index = self.query_one("#scenarios", OptionList).highlighted
        if index is None or index >= len(self.scenarios):
            self.notify("Pick a scenario first.", severity="error")
            return
        try:
            seed = int(self.query_one("#seed", Input).value)
            if seed < 0:
                raise ValueError
        except ValueError:
            self.notify("The seed must be a whole number, 0 or more.", severity="error")
            return
        try:
            settings = self.query_one(WhatIfPanel).settings()
        except UsageError as err:
            self.notify(str(err).removeprefix("--set "), title="What if", severity="error")
            return
        self.dismiss(
            (
                self.scenarios[index][0],
                list(self.query_one("#humans", SelectionList).selected),
                seed,
                settings,
            )
        )
