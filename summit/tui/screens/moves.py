"""A move turn: a public statement, a resistance effort, a side offer or the answer to one.
The options come from the game (the rules say what is open); the screen only lists them."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Button, Footer, OptionList, Static
from textual.widgets.option_list import Option

from summit.tui.move_turns import WHAT
from summit.tui.screens.decide import Decision, _Turn, heading
from summit.tui.widgets import DIM, offer_view

WHY = {
    "statement": "Everyone hears it before the offer; it moves their beliefs as the scenario says. "
    "Each statement can be made once.",
    "effort": "If this offer becomes the deal, the push on you meets this much resistance: more "
    "makes the actions less likely to be carried out, and costs you more.",
    "side": "A side offer away from the table: if the other takes it, it changes what the other "
    "wants or can do. Each side offer can be made once.",
    "side_answer": "Made to you away from the table this round: taking it changes what you want "
    "or can do, as the offer says.",
}


class MoveScreen(_Turn):
    BINDINGS = [
        Binding("enter", "choose", "Choose", show=True),
        Binding("b", "briefing", "Briefing"),
        Binding("escape", "later", "Back to table"),
    ]

    def __init__(self, game, actor: str, kind: str):
        super().__init__(game, actor)
        self.kind = kind
        self.choices = game.move_choices(kind, actor)

    def compose(self) -> ComposeResult:
        opening = self.kind == "statement"  # statements come before the round's events
        yield Static(heading(self.game, self.actor, WHAT[self.kind], opening), id="decide-head")
        with VerticalScroll(id="answer", classes="panel") as box:
            box.border_title = "Your move"
            yield Static(Text(WHY[self.kind] + "\n", DIM))
            yield OptionList(
                *[Option(c.label, id=str(k)) for k, c in enumerate(self.choices)], id="move-options"
            )
            offer = self.game.current_offer
            if self.kind == "effort" and offer is not None:
                yield Static(offer_view(self.game, offer))
        with Horizontal(classes="buttons"):
            yield Button("Choose  enter", id="choose", variant="success", compact=True)
            yield from self.ai_buttons()
            yield Button("Back  esc", id="later", compact=True)
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()

    @on(OptionList.OptionSelected)
    def _selected(self, event: OptionList.OptionSelected) -> None:
        self._pick(int(event.option.id))

    @on(Button.Pressed, "#choose")
    def action_choose(self) -> None:
        index = self.query_one(OptionList).highlighted
        self._pick(0 if index is None else index)

    def _pick(self, index: int) -> None:
        self.dismiss(Decision(self.actor, move=self.kind, value=self.choices[index].value))
