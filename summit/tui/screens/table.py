"""The table: each round's events, offer and answers; the actors; an offer history to scroll."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import DataTable, Footer, Header, OptionList, Static
from textual.widgets.option_list import Option

from summit.transcript import VERBS
from summit.tui.sight import Sight
from summit.tui.widgets import BAD, DIM, GOOD, ActorTable, intro_text, round_view
from summit.tui.widgets.actor_table import snapshot


def closed_actor_text(sight: Sight, actor: str) -> Text:
    """Another actor as a seat sees it: the scenario's ranges and the seat's belief in it."""
    t = Text(sight.notice() + "\n\n", DIM)
    rows = {
        "capability": sight.estimate(actor, "capability"),
        "strength": sight.estimate(actor, "strength"),
        "walk-away": sight.estimate(actor, "walk_away"),
        "willingness": sight.willingness(actor),
    }
    for k, est in rows.items():
        if est is not None:
            t.append(f"{k:>13}  ", DIM)
            t.append(f"{est.text()}\n")
    belief = sight.belief_in(actor)
    if belief is not None:
        t.append(f"\nYou believe {belief:.0%} of its promises will be kept.\n")
    return t


def open_numbers(game, actor: str, rec) -> tuple[dict[str, float], dict[str, float]]:
    """An actor's own numbers (now, or as of a round) and its willingness per issue."""
    if rec is None:
        agent = game.own(actor)
        return (
            {
                "capability": agent.capability,
                "credibility": agent.credibility,
                "strength": agent.strength,
                "entrenchment": agent.entrenchment,
                "walk-away": agent.walk_away,
            },
            agent.willingness,
        )
    s = snapshot(rec, actor)
    return (
        {
            "capability": s.capability,
            "credibility": s.credibility,
            "strength": s.strength,
            "entrenchment": s.entrenchment,
            "offer worth": s.offer_utility,
            "aspiration": s.aspiration,
            "walk-away": s.walk_away,
        },
        s.willingness,
    )


def actor_text(game, actor: str, rec) -> Text:
    """One actor in a round: its numbers (in full if this seat may see them) and its answer."""
    sight = Sight.of_table(game)
    if not sight.open(actor) or (snapshot(rec, actor) if rec else game.own(actor)) is None:
        t = closed_actor_text(sight, actor)
    else:
        t = Text()
        snap, willing = open_numbers(game, actor, rec)
        for k, v in snap.items():
            t.append(f"{k:>13}  ", DIM)
            t.append(f"{v:.2f}\n")
        if willing:
            t.append("\nwillingness to deliver\n", "bold")
            for issue, w in willing.items():
                t.append(f"  {game.board.scenario.issue(issue).name}: {w:.2f}\n")
    answer = next((r for r in rec.responses if r.actor == actor), None) if rec else None
    if answer is not None:
        t.append(f"\nIn round {rec.round} it {VERBS[answer.decision]}", "bold")
        t.append(f" ({answer.role}): {sight.reason(actor, answer.reason)}\n")
    return t


class RoundPane(VerticalScroll):
    ALLOW_MAXIMIZE = True  # z shows the round alone


class ActorScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape,enter", "dismiss", "Close")]

    def __init__(self, game, actor: str, rec):
        super().__init__()
        self.game, self.actor, self.rec = game, actor, rec

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="actor", classes="dialog") as box:
            box.border_title = self.game.name(self.actor) + (
                f" in round {self.rec.round}" if self.rec else ""
            )
            yield Static(actor_text(self.game, self.actor, self.rec))


class TableScreen(Screen[None]):
    BINDINGS = [
        Binding("n,space", "next", "Continue"),
        Binding("p", "play_on", "Play on"),
        Binding("o", "outcome", "Outcome"),
        Binding("b", "briefing", "Briefing"),
        Binding("x", "export", "Export .md"),
        Binding("z", "zoom", "Zoom round"),
    ]

    def __init__(self, game):
        super().__init__()
        self.game = game

    def compose(self) -> ComposeResult:
        yield Header(icon="⚖")
        with Horizontal(id="table-body"):
            history = OptionList(id="history", classes="panel")
            history.border_title = "Rounds"
            yield history
            with Vertical(id="main"):
                with RoundPane(id="round", classes="panel"):
                    yield Static(id="round-text")
                actors = ActorTable(id="actors", classes="panel")
                actors.border_title = "Actors  (underlined: human)"
                actors.border_subtitle = "cap·will·cred: capability·willingness·credibility"
                actors.tooltip = Sight.of_table(self.game).notice()
                yield actors
        yield Static(id="status")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.refresh_game()

    def refresh_game(self) -> None:
        """Show the latest state: new rounds in the history (the newest selected), the status
        line."""
        game, records = self.game, self.game.records
        history = self.query_one("#history", OptionList)
        if history.option_count != len(records) + 1:
            history.clear_options()
            history.add_option(Option("Opening", id="r0"))
            for rec in records:
                mark = ("✓", GOOD) if rec.deal else (("⇥", BAD) if rec.walkouts else ("·", DIM))
                history.add_option(
                    Option(
                        Text.assemble(f"{rec.round:>2} ", mark, " ", game.name(rec.proposer)[:13]),
                        id=f"r{rec.round}",
                    )
                )
            history.highlighted = len(records)  # shows that round (OptionHighlighted)
        self.query_one("#status", Static).update(self.app.status_text())
        self.refresh_bindings()

    def show_round(self, index: int) -> None:
        """Index 0 is the opening; k is round k."""
        game = self.game
        box = self.query_one("#round", RoundPane)
        if index == 0:
            box.border_title = "Opening"
            text = intro_text(game)
        else:
            rec = game.records[index - 1]
            box.border_title = (
                f"Round {rec.round} of {game.board.deadline} · {game.name(rec.proposer)} proposes"
            )
            text = round_view(game, rec)
        self.query_one("#round-text", Static).update(text)
        box.scroll_home(animate=False)
        self.query_one(ActorTable).show(game, index - 1 if index else None)

    @on(OptionList.OptionHighlighted, "#history")
    def _highlighted(self, event: OptionList.OptionHighlighted) -> None:
        self.show_round(event.option_index)

    @on(DataTable.RowSelected, "#actors")
    def _actor(self, event: DataTable.RowSelected) -> None:
        index = self.query_one("#history", OptionList).highlighted or 0
        rec = self.game.records[index - 1] if index else None
        self.app.push_screen(ActorScreen(self.game, str(event.row_key.value), rec))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        game = self.game
        if action == "next":
            return not game.done
        if action == "play_on":  # a class seat's room moves on by itself, at the server
            return not game.done and game.runs_here
        if action == "outcome":
            return game.done
        if action == "briefing":
            return len(game.humans) == 1  # in hot-seat a briefing opens only on its owner's turn
        return True

    def action_next(self) -> None:
        self.app.next_step()

    def action_play_on(self) -> None:
        self.app.next_step(play_on=True)

    def action_outcome(self) -> None:
        self.app.show_outcome()

    def action_briefing(self) -> None:
        self.app.show_briefing()

    def action_export(self) -> None:
        self.app.export()

    def action_zoom(self) -> None:
        """The round alone on screen, for small terminals; z again to come back."""
        if self.maximized is not None:
            self.minimize()
            self.query_one("#history").focus()
        else:
            pane = self.query_one("#round")
            self.maximize(pane, container=False)
            pane.focus()
