"""Words and colours shared by the screens and widgets. Everything shown comes from records,
the game session's public facts or the scenario's public face (tui.board): nothing here
decides anything."""

from __future__ import annotations

from rich.console import Group
from rich.table import Table
from rich.text import Text

from summit.records import RoundRecord
from summit.transcript import VERBS, event_label, offer_lines, round_lines
from summit.tui.sight import Sight

GOOD, BAD, MID, DIM, EVENT = "green", "red", "yellow", "dim", "bold yellow"
BLOCKS = "▁▂▃▄▅▆▇█"
YES = {"accept", "support", "comply", "proposes"}


# One colour legend everywhere (table, previews, sparklines): worth against wants and walk-away.
LEGEND_WORDS = "green: at or above what it wants now · yellow: above its walk-away · red: below"


def shade(value: float, floor: float, aim: float) -> str:
    return BAD if value < floor - 1e-9 else (GOOD if value >= aim - 1e-9 else MID)


def spark(values: list[float], floors: list[float], aims: list[float]) -> Text:
    """One block per round, height = value on a 0..1 scale, coloured as ``versus``."""
    out = Text()
    for v, f, a in zip(values, floors, aims, strict=True):
        out.append(BLOCKS[min(len(BLOCKS) - 1, max(0, int(v * len(BLOCKS))))], shade(v, f, a))
    return out


def versus(value: float, floor: float, aim: float | None = None) -> Text:
    """A value coloured against a walk-away floor (red below) and an aspiration (green at/above)."""
    return Text(f"{value:.2f}", shade(value, floor, floor if aim is None else aim))


def intro_text(game) -> Text:
    """What everyone at the table knows before round 1 (no drawn parameters: those are hidden)."""
    sc = game.board.scenario
    t = Text()
    t.append(sc.summit.title + "\n", "bold")
    t.append(sc.summit.description + "\n\n")
    if sc.summit.briefing.strip():
        t.append(" ".join(sc.summit.briefing.split()) + "\n\n")
    table = [a.name for a in sc.actors if a.id in sc.summit.table]
    away = [a.name for a in sc.actors if a.id not in sc.summit.table]
    t.append(f"At the table: {', '.join(table)}. Away from it: {', '.join(away)}.\n")
    t.append(
        f"{sc.summit.deadline} rounds; the actors at the table propose in turn, starting with "
        f"{game.name(sc.summit.table[0])}.\n"
    )
    if game.board.settings:
        t.append("Set before play: " + ", ".join(game.board.settings) + ".\n")
    t.append(
        "Humans play: "
        + (", ".join(game.name(h) for h in game.humans) or "nobody (the AIs play)")
        + ".",
        DIM,
    )
    return t


def events_text(game, events) -> Text:
    t = Text()
    for ev in events:
        t.append(f"{event_label(ev)}: ", EVENT)
        t.append(ev.text + "\n")
    return t


def hanging(rows: list[tuple[Text | str, Text | str]], indent: int = 4) -> Table:
    """Rows of (mark, text) whose text wraps under itself, not under the mark."""
    grid = Table.grid(expand=True)
    grid.add_column(width=indent, no_wrap=True)
    grid.add_column(ratio=1)
    for mark, text in rows:
        grid.add_row(mark, text)
    return grid


def offer_view(game, offer) -> Group:
    """The package in words: the transcript's heading, then one term a line under each giver."""
    parts: list = [Text(offer_lines(game.board, offer)[0], "bold")]
    givers: dict[str, list[str]] = {}
    for term in offer.terms:
        givers.setdefault(term.giver, []).append(term.text)
    if not givers:
        parts.append(Text("  nothing: every issue stays as it is"))
    for giver, texts in givers.items():
        parts.append(Text(f"  {game.name(giver)} would"))
        parts.append(hanging([("    • ", text) for text in texts], indent=6))
    return Group(*parts)


def round_view(game, rec: RoundRecord, sight: Sight | None = None) -> Group:
    """A round in words: the transcript's words, with colour (others' numbers hidden from a
    seat)."""
    spec = game.board
    sight = sight or Sight.of_table(game)
    parts: list = []
    if rec.events:
        parts.append(events_text(game, rec.events))
    parts += [offer_view(game, rec.offer), Text("")]
    answers = []
    for resp in rec.responses:
        if resp.decision == "proposes":
            continue
        yes = resp.decision in YES
        who = game.name(resp.actor) + (" (human)" if resp.by_human else "")
        answers.append(
            (
                Text("✓ " if yes else "✗ ", GOOD if yes else BAD),
                Text.assemble(
                    (f"{who} {VERBS[resp.decision]}", "bold"),
                    f": {sight.reason(resp.actor, resp.reason)}",
                ),
            )
        )
    parts.append(hanging(answers, indent=2))
    t = Text()
    for so in rec.side_offers:
        t.append(f"\nSide offer, {game.name(so.by)} to {game.name(so.to)}: ", "italic")
        t.append(so.text + ("" if so.taken else f" ({game.name(so.to)} refuses it)") + "\n")
    for actor in rec.walkouts:
        t.append(f"\n{game.name(actor)} walks out.\n", "bold " + BAD)
    status = round_lines(spec, rec)[-1]
    t.append("\n" + status, "bold " + (GOOD if rec.deal else (BAD if rec.ended else "")))
    parts.append(t)
    return Group(*parts)
