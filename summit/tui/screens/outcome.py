"""Implementation (each commitment with its odds and result) and the outcome of the summit."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Static

from summit.stats import percent
from summit.transcript import nash_lines, outcome_lines
from summit.tui.compare import RUNS, available, comparison
from summit.tui.messages import Compared
from summit.tui.widgets import BAD, DIM, GOOD, MID, hanging


def headline(game) -> Text:
    """The outcome in one line, then how it went for each human player."""
    t = Text(outcome_lines(game.board, game.outcome)[1], "bold")
    for a in game.outcome.actors:
        if a.actor in game.humans:
            better = round(a.gain, 2) > 0  # a gain of 0.00 (no deal, a walk-out) is no better
            t.append(
                f"\n{game.name(a.actor)} (human): payoff {num(a.payoff)} against a walk-away "
                f"value of {num(a.walk_away)}: "
            )
            even = round(a.gain, 2) == 0
            t.append(
                "no better than leaving"
                if even
                else ("better than leaving" if better else "worse than leaving"),
                MID if even else (GOOD if better else BAD),
            )
    return t


def implementation_view(game):
    """Each commitment, actions first, with its odds and what came of it."""
    spec, out = game.board, game.outcome
    if not out.deal:
        return Text("Nothing was agreed, so nothing is carried out.", DIM)
    rows = []
    for c in sorted(out.commitments, key=lambda c: c.kind != "action"):
        issue = spec.scenario.issue(c.issue)
        kept = c.status in ("delivered fully", "paid in full")
        none = c.status in ("not delivered", "not paid")
        style = GOOD if kept else (BAD if none else MID)
        verb = "tries to" if c.kind == "action" else "is to"
        what = issue.phrases[c.agreed] if issue.phrases else f"{issue.name}: {c.agreed_name}"
        rows.append(
            (
                Text("✓" if kept else ("✗" if none else "½"), style),
                Text.assemble(
                    (f"{game.name(c.giver)} {verb} {what}\n", "bold"),
                    (
                        f"odds {percent(c.odds_full)} in full, "
                        f"{percent(c.odds_some)} at least in part → ",
                        DIM,
                    ),
                    (c.status + ("" if kept or none else f" ({c.delivered_name})"), style),
                ),
            )
        )
    return hanging(rows, indent=2)


def num(x: float) -> str:
    return f"{round(x, 2) + 0.0:.2f}"  # + 0.0: no "-0.00"


def notes_text(game) -> Text:
    """Presence and influence left, and who paid for promises not kept."""
    out, spec = game.outcome, game.board
    moved = {i.presence.actor for i in spec.scenario.issues if i.presence}
    t = Text()
    for a in out.actors if out.deal else ():  # without a deal nothing was withdrawn
        if a.actor in moved:
            t.append(
                f"{game.name(a.actor)}: military presence {percent(a.presence)} of before; "
                f"influence {percent(a.influence)} (entrenched roots survive a withdrawal).\n"
            )
    for a in out.actors:
        if a.actor in out.paid_for_unkept:
            t.append(
                f"{game.name(a.actor)} paid for promises not kept: {percent(a.overpaid)} of its "
                "payment bought nothing that was delivered.\n",
                BAD,
            )
    if out.deal and not out.paid_for_unkept:
        t.append("Nobody paid for a promise that was not kept.\n", GOOD)
    for line in nash_lines(spec, game.nash()):
        t.append(line + "\n")
    t.rstrip()
    return t


class OutcomeScreen(Screen[None]):
    BINDINGS = [
        Binding("t,escape", "table", "Back to table"),
        Binding("x", "app.export", "Export .md"),
        Binding("g", "app.new_game", "New game"),
    ]

    def __init__(self, game):
        super().__init__()
        self.game = game

    def compose(self) -> ComposeResult:
        yield Header(icon="⚖")
        with VerticalScroll(id="outcome"):
            yield Static(headline(self.game), id="headline")
            impl = Static(implementation_view(self.game), id="implementation", classes="panel")
            impl.border_title = (
                f"Implementation ({(self.game.outcome.sequencing or 'no deal').replace('_', ' ')})"
            )
            yield impl
            table = DataTable(id="results", cursor_type="none", zebra_stripes=True, classes="panel")
            table.border_title = "What each side paid and got"
            table.border_subtitle = "pres., infl.: presence and influence left (1 = all)"
            yield table
            yield Static(notes_text(self.game), id="notes")
            box = Static(
                Text("Playing the same scenario thousands of times…", DIM),
                id="comparison",
                classes="panel",
            )
            box.border_title = "Against thousands of simulated runs"
            box.display = False
            yield box
        yield Footer(compact=True)

    def on_mount(self) -> None:
        table = self.query_one("#results", DataTable)
        table.add_columns(
            "Actor", "payoff", "walk", "gain", "paid", "got", "pres.", "infl.", "cred."
        )
        for a in self.game.outcome.actors:
            gain = Text(f"{round(a.gain, 2) + 0.0:+.2f}", GOOD if a.gain >= 0 else BAD)
            name = Text(
                self.game.name(a.actor)[:14],
                "bold underline" if a.actor in self.game.humans else "",
            )
            table.add_row(
                name,
                num(a.payoff),
                num(a.walk_away),
                gain,
                num(a.paid),
                num(a.got),
                num(a.presence),
                num(a.influence),
                f"{num(a.credibility_before)}→{num(a.credibility_after)}",
            )
        runs = getattr(self.app, "compare_runs", RUNS)
        if runs and available():
            self.query_one("#comparison").display = True
            self.run_worker(
                lambda: self.post_message(Compared(comparison(self.game, runs))),
                thread=True,
                group="compare",
            )

    def on_compared(self, message: Compared) -> None:
        """The batch engine's answer; without one the section goes."""
        box = self.query_one("#comparison", Static)
        if message.text is None:
            box.remove()
        else:
            box.update(message.text)

    def action_table(self) -> None:
        self.dismiss(None)
