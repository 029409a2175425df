"""A human's turn: compose an offer, or answer one; the hand-over screen for hot-seat play."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Center, Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Button, Footer, Label, Select, Static

from summit.scenario import SEQUENCINGS
from summit.transcript import SEQUENCING_WORDS
from summit.tui.screens.briefing import BriefingScreen
from summit.tui.session import Decision
from summit.tui.widgets import DIM, LEGEND_WORDS, PreviewTable, events_text, offer_view, versus

LEGEND = Text.assemble(
    ("worth", "bold"),
    f" {LEGEND_WORDS} · ",
    ("•", "bold"),
    " gives something: its yes is needed · ?: private to that actor",
    style=DIM,
)
SEQUENCING_LABELS = {"on_promise": "on promise", "after_verified": "after verified action"}


def heading(game, actor: str, what: str, before_round: bool = False) -> Text:
    """The decision's round and whose it is; ``before_round``: a move made before the next
    round opens (a statement), so it names that round and no events yet."""
    t = Text()
    round_no = game.round + 1 if before_round else game.round
    when = ", before the round opens" if before_round else ""
    t.append(f"Round {round_no} of {game.board.deadline}", "bold")
    t.append(f" · {game.name(actor)}: {what}{when}\n")
    if not before_round:
        t.append_text(events_text(game, game.current_events()))
    return t


class ConfirmScreen(ModalScreen[bool]):
    BINDINGS = [Binding("y", "dismiss(True)", "Yes"), Binding("n,escape", "dismiss(False)", "No")]

    def __init__(self, question: str):
        super().__init__()
        self.question = question

    def compose(self) -> ComposeResult:
        with Vertical(id="confirm", classes="dialog"):
            yield Static(self.question)
            with Horizontal(classes="buttons"):
                yield Button("Yes  y", id="yes", variant="error", compact=True)
                yield Button("No  n", id="no", compact=True)

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")


class HandOverScreen(Screen[None]):
    """Hides the table between two humans' turns, so neither sees the other's private side."""

    BINDINGS = [Binding("enter", "dismiss", "I am ready")]

    def __init__(self, name: str, why: str = "it is your turn"):
        super().__init__()
        self.who, self.why = name, why

    def compose(self) -> ComposeResult:
        with Center(id="handover"):
            yield Static(
                Text.assemble(
                    ("Pass the keyboard to ", ""),
                    (self.who, "bold"),
                    "\n\n",
                    (f"{self.who}: {self.why}. Press Enter when the others are not looking.", DIM),
                ),
                id="handover-text",
            )
        yield Footer(compact=True)


def walk_out_question(game, actor: str) -> str:
    """What walking out does, in this round's words: a giver's yes is needed, so no deal can form
    without it; otherwise the others could still agree without it."""
    offer = game.current_offer
    needed = offer is not None and any(t.giver == actor for t in offer.terms)
    then = (
        "the offer on the table needs your yes, so it fails, and the summit ends without a deal"
        if needed or offer is None
        else "the summit ends without a deal unless the others agree this round without you"
    )
    return f"{game.name(actor)} walks out: {then}. There is no coming back. Sure?"


class _Turn(Screen[Decision | None]):
    """Shared by both kinds of turn: walk out, look at the briefing, decide later (escape)."""

    def __init__(self, game, actor: str):
        super().__init__()
        self.game, self.actor = game, actor
        self.can_walk = game.board.at_table(actor)

    def on_screen_resume(self) -> None:
        """The width class now: Textual sets breakpoint classes only on a resize."""
        self.set_class(self.app.size.width < 100, "-narrow")
        self.set_class(self.app.size.width >= 100, "-wide")

    def action_walk_out(self) -> None:
        if not self.can_walk:
            self.notify("Only an actor at the table can walk out.", severity="warning")
            return

        def confirmed(yes: bool | None) -> None:
            if yes:
                self.dismiss(Decision(self.actor, walk_out=True))

        self.app.push_screen(ConfirmScreen(walk_out_question(self.game, self.actor)), confirmed)

    def action_briefing(self) -> None:
        self.app.push_screen(BriefingScreen(self.game, self.actor))

    def action_later(self) -> None:
        self.dismiss(None)

    def walk_button(self) -> Button:
        return Button(
            "Walk out", id="walk", variant="error", compact=True, disabled=not self.can_walk
        )

    def ai_buttons(self) -> list[Button]:
        """A class seat may let the AI make this decision (its server's rules do)."""
        if self.game.runs_here:
            return []
        return [Button("Let the AI decide", id="ai", compact=True)]

    @on(Button.Pressed, "#ai")
    def _ai(self) -> None:
        self.dismiss(Decision(self.actor, ai=True))

    @on(Button.Pressed, "#walk")
    def _walk(self) -> None:
        self.action_walk_out()

    @on(Button.Pressed, "#later")
    def _later(self) -> None:
        self.action_later()


class OfferScreen(_Turn):
    BINDINGS = [
        Binding("ctrl+s", "propose", "Propose", priority=True),
        Binding("ctrl+b", "briefing", "Briefing"),
        Binding("escape", "later", "Back to table"),
    ]

    def compose(self) -> ComposeResult:
        spec, start = self.game.board, self.game.last_levels()
        yield Static(heading(self.game, self.actor, "make your offer"), id="decide-head")
        with Horizontal(id="decide-body"):
            with VerticalScroll(id="issues", classes="panel") as issues:
                issues.border_title = "Your package"
                issues.border_subtitle = "starts from the last offer"
                with Horizontal(classes="issue-row"):
                    yield Label("Concessions are paid", classes="issue-name")
                    yield Select(
                        [(SEQUENCING_LABELS[SEQUENCINGS[k]], k) for k in spec.sequencings],
                        value=self.game.last_sequencing(),
                        allow_blank=False,
                        compact=True,
                        id="sequencing",
                    )
                for giver in dict.fromkeys(spec.actor_ids[g] for g in spec.giver):
                    yield Label(f"{self.game.name(giver)} gives", classes="group")
                    for i, issue in enumerate(spec.scenario.issues):
                        if spec.actor_ids[spec.giver[i]] != giver:
                            continue
                        with Horizontal(classes="issue-row"):
                            yield Label(issue.name, classes="issue-name")
                            yield Select(
                                [(name, lv) for lv, name in enumerate(issue.levels)],
                                value=start[i],
                                allow_blank=False,
                                compact=True,
                                id=f"issue-{i}",
                            )
            with Vertical(id="side"):
                preview = PreviewTable(id="preview", classes="panel")
                preview.border_title = "How it looks now"
                yield preview
                yield Static("", id="hint")
        with Horizontal(classes="buttons"):
            yield Button("Propose  ctrl+s", id="propose", variant="primary", compact=True)
            yield Button("Status quo", id="clear", compact=True)
            yield self.walk_button()
            yield from self.ai_buttons()
            yield Button("Back  esc", id="later", compact=True)
        yield Footer(compact=True)

    async def on_mount(self) -> None:
        self.worth: float | None = None  # the package's worth to you before the last change
        self.levels: list[int] | None = None
        self.query_one(Select).focus()
        await self.refresh_preview()

    def package(self) -> tuple[list[int], int]:
        levels = [
            int(self.query_one(f"#issue-{i}", Select).value)
            for i in range(self.game.board.n_issues)
        ]
        return levels, int(self.query_one("#sequencing", Select).value)

    def odds_text(self, odds: dict[int, float]) -> Text:
        """Each promised term at the odds you believe it is delivered: promises count at those."""
        terms = [
            f"{self.game.board.scenario.issues[i].name} {p:.0%}"
            for i, p in odds.items()
            if p < 0.995
        ]
        if not terms:
            return Text("")
        return Text.assemble(
            ("Delivery odds as you believe them: ", "bold"),
            " · ".join(terms),
            ("\nA promise is worth its value times these odds.\n", DIM),
        )

    def why_text(
        self, changed: str | None, levels: list[int], worth: float, odds: dict[int, float]
    ) -> Text:
        """One line on why your worth moved with the last change."""
        if changed is None or self.levels is None or not changed.startswith("issue-"):
            return Text("")
        i = int(changed.removeprefix("issue-"))
        if self.levels[i] == levels[i]:
            return Text("")
        issue = self.game.board.scenario.issues[i]
        p = odds.get(i)
        at = f", counted at {p:.0%} delivery odds" if p is not None and p < 0.995 else ""
        return Text(
            f"Why it moved: {issue.name} at '{issue.levels[levels[i]]}'{at}: your worth "
            f"{self.worth:.2f} → {worth:.2f}.\n",
            "italic",
        )

    @on(Select.Changed)
    async def refresh_preview(self, event: Select.Changed | None = None) -> None:
        levels, seq = self.package()
        spec = self.game.board
        givers = {spec.actor_ids[spec.giver[i]] for i, lv in enumerate(levels) if lv > 0}
        valued = await self.game.valuation(self.actor, levels, seq)  # about 0.1 s
        if not self.is_attached:  # closed while a remote seat's valuation was on its way
            return
        values, odds = valued.worth, valued.odds
        self.query_one(PreviewTable).show(self.game, values, givers, self.actor)
        worth = values.get(self.actor)
        why = Text("")
        if worth is not None and self.worth is not None:
            why = self.why_text(event.select.id if event else None, levels, worth, odds)
        self.worth, self.levels = worth, levels
        needed = (
            ", ".join(self.game.name(a) for a in spec.actor_ids if a in givers | {self.actor})
            if givers
            else "nothing is offered"
        )
        self.query_one("#hint", Static).update(
            Text.assemble(
                why,
                "Needed for a deal: ",
                (needed, "bold"),
                ".\n",
                self.odds_text(odds),
                LEGEND,
                "\n",
                (SEQUENCING_WORDS[SEQUENCINGS[seq]] + ".", DIM),
            )
        )

    @on(Button.Pressed, "#clear")
    def _clear(self) -> None:
        for i in range(self.game.board.n_issues):
            self.query_one(f"#issue-{i}", Select).value = 0

    @on(Button.Pressed, "#propose")
    def action_propose(self) -> None:
        levels, seq = self.package()
        if any(levels):
            self.dismiss(Decision(self.actor, tuple(levels), seq))
            return

        def confirmed(yes: bool | None) -> None:  # the rules accept it; only make sure it is meant
            if yes:
                self.dismiss(Decision(self.actor, tuple(levels), seq))

        self.app.push_screen(
            ConfirmScreen("Your package moves no issue: propose the status quo?"), confirmed
        )


class AnswerScreen(_Turn):
    BINDINGS = [
        Binding("a", "answer(True)", "Accept"),
        Binding("r", "answer(False)", "Reject"),
        Binding("w", "walk_out", "Walk out"),
        Binding("b", "briefing", "Briefing"),
        Binding("escape", "later", "Back to table"),
    ]

    def __init__(self, game, actor: str):
        super().__init__(game, actor)
        self.offer = offer = game.current_offer
        self.values: dict[str, float] = {}  # valued on mount
        gives = any(term.giver == actor for term in offer.terms)
        if gives:
            self.words = ("accept", "reject", "you give something in it: the deal needs your yes")
        elif self.can_walk:
            self.words = (
                "support",
                "oppose",
                "you give nothing in it; your support or opposition is on record",
            )
        else:
            self.words = (
                "comply",
                "resist",
                "the deal would push you; resisting makes it harder to carry out",
            )
        # the keys stay a and r; the footer says what they mean for this actor's part in the offer
        for key, word, yes in (("a", self.words[0], True), ("r", self.words[1], False)):
            self._bindings.key_to_bindings[key] = [
                Binding(key, f"answer({yes})", word.capitalize())
            ]

    def stance_text(self) -> Text:
        """How the offer looks to the one answering, then what its answer means."""
        yes, no, why = self.words
        own, worth = self.game.own(self.actor), self.values.get(self.actor)
        if own is None or worth is None:
            return Text(f"You {yes} or {no}: {why}.\n", DIM)
        walk = own.walk_away
        if yes == "comply":  # judged at face value: what the deal, carried out in full, is worth
            text = Text("The deal would push you. Carried out in full it is worth ")
            text.append_text(versus(worth, walk, walk))
            text.append(f" to you (see the table beside); you walk away at {walk:.2f}.\n")
        else:
            aim = self.game.aspiration(self.actor)
            aim = walk if aim is None else aim
            text = Text("To you it is worth ")
            text.append_text(versus(worth, walk, aim))
            text.append(f"; you would hold out for {aim:.2f} now and walk away at {walk:.2f}.\n")
        text.append(f"You {yes} or {no}: {why}.\n", DIM)
        return text

    def compose(self) -> ComposeResult:
        game, offer = self.game, self.offer
        yes, no, _ = self.words
        yield Static(
            heading(game, self.actor, f"answer the offer by {game.name(offer.proposer)}"),
            id="decide-head",
        )
        with Horizontal(id="decide-body"):
            with VerticalScroll(id="answer", classes="panel") as box:
                box.border_title = "The offer"
                yield Static(self.stance_text(), id="stance")
                yield Static(offer_view(game, offer))
            with Vertical(id="side"):
                preview = PreviewTable(id="preview", classes="panel")
                preview.border_title = "How it looks to each"
                yield preview
                yield Static(LEGEND, id="hint")
        with Horizontal(classes="buttons"):
            yield Button(f"{yes.capitalize()}  a", id="yes", variant="success", compact=True)
            yield Button(f"{no.capitalize()}  r", id="no", variant="warning", compact=True)
            yield self.walk_button()
            yield from self.ai_buttons()
            yield Button("Back  esc", id="later", compact=True)
        yield Footer(compact=True)

    async def on_mount(self) -> None:
        self.query_one("#yes").focus()
        offer = self.offer
        levels = [offer.levels[i] for i in self.game.board.issue_ids]
        valued = await self.game.valuation(self.actor, levels, SEQUENCINGS.index(offer.sequencing))
        if not self.is_attached:
            return
        self.values = valued.worth
        self.query_one("#stance", Static).update(self.stance_text())
        self.query_one(PreviewTable).show(
            self.game, self.values, {t.giver for t in offer.terms}, self.actor
        )

    @on(Button.Pressed, "#yes")
    def _yes(self) -> None:
        self.action_answer(True)

    @on(Button.Pressed, "#no")
    def _no(self) -> None:
        self.action_answer(False)

    def action_answer(self, yes: bool) -> None:
        self.dismiss(Decision(self.actor, accept=yes))
