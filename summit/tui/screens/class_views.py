"""Text for the class screens, drawn from what the server sent one reader (a RemoteGame).

A seat's view holds only its own private values and the projector's only public things: these
functions draw what is there and never look for more.
"""

from __future__ import annotations

import time

from rich.table import Table
from rich.text import Text

GOOD, BAD = "green", "red"


def clock(seconds: float | None) -> str:
    if seconds is None:
        return "no limit"
    seconds = max(0, int(seconds))
    return f"{seconds // 60}:{seconds % 60:02d}"


def status_text(game) -> Text:
    """One line: room, round, phase, who is awaited, the timer."""
    v, w = game.view, game.welcome
    if v is None or w is None:
        return Text("Connecting…" if not game.connected else "Waiting for the room…", "italic")
    t = Text()
    if v.your_turn and not v.paused:
        t.append(f"YOUR TURN: {v.your_turn} (n) ", "bold reverse")
    t.append(f"Room {w.room}", "bold")
    t.append(f" · round {v.round} of {w.scenario.deadline}")
    if not game.connected:
        t.append(" · reconnecting…", "bold " + BAD)
    if v.paused:
        t.append(" · PAUSED", "bold yellow")
    if v.done:
        t.append(" · the summit is over", "bold")
        return t
    if v.proposer:
        t.append(f" · {game.name(v.proposer)} proposes")
    for what in dict.fromkeys(v.waiting.values()):  # offer, answer, or a move (a statement...)
        who = [a for a, w in v.waiting.items() if w == what]
        what = what.replace("side_answer", "side-offer answer").replace("side", "side offer")
        if not who:
            continue
        t.append(
            f" · waiting for {what}s from " if len(who) > 1 else f" · waiting for {what} from "
        )
        for k, actor in enumerate(who):
            left = game.time_left(actor)
            t.append(("" if k == 0 else ", ") + game.name(actor))
            if left is not None:
                t.append(f" {clock(left)}", "bold" if left > 30 else "bold " + BAD)
    return t


def offer_text(game, offer: dict | None) -> Text:
    if not offer:
        return Text("  no offer on the table\n", "dim")
    t = Text()
    t.append(f"{game.name(offer['proposer'])} offers", "bold")
    t.append(f" ({offer['sequencing'].replace('_', ' ')}):\n")
    for term in offer.get("terms", []) or []:
        t.append(f"  {game.name(term['giver'])}: {term['text']}\n")
    if not offer.get("terms"):
        t.append("  nothing changes\n")
    return t


def round_text(game, record: dict) -> Text:
    t = Text()
    t.append(f"Round {record['round']}", "bold")
    t.append(f" · {game.name(record['proposer'])} proposes\n")
    for event in record.get("events", []):
        t.append(f"  News: {event['text']}\n", "italic")
    t.append_text(offer_text(game, record.get("offer")))
    answers = [r for r in record.get("responses", []) if r.get("role") != "proposes"]
    plain = [f"{game.name(r['actor'])} {r['decision']}" for r in answers if not r.get("reason")]
    if plain:
        t.append("  " + ", ".join(plain) + "\n", "dim")
    for r in answers:  # reasons come only with the reader's own answers (all, for the console)
        if r.get("reason"):
            t.append(f"  {game.name(r['actor'])} {r['decision']}: {r['reason']}\n", "dim")
    for actor in record.get("walkouts", []):
        t.append(f"  {game.name(actor)} walks out\n", "bold " + BAD)
    if record.get("deal"):
        t.append("  A deal.\n", "bold " + GOOD)
    return t


def table_text(game) -> Text:
    """Every round played, then the offer on the table now."""
    t = Text()
    view = game.view
    if view is None:
        return t
    for record in view.table:
        t.append_text(round_text(game, record))
        t.append("\n")
    if not view.done and view.current.get("offer") and view.phase == "answers":
        t.append(f"Round {view.round}, on the table now\n", "bold")
        t.append_text(offer_text(game, view.current["offer"]))
    for event in view.current.get("events", []) if not view.done else []:
        t.append(f"News this round: {event['text']}\n", "italic")
    if not view.table and view.round == 0:
        t.append("The summit has not begun.\n", "dim")
    return t


def own_values_text(game, private: dict) -> Text:
    """A seat's own numbers now (from the server's view for it)."""
    t = Text()
    if not private:
        return t
    t.append("Your values now\n", "bold magenta")
    for key in ("capability", "credibility", "walk_away", "aspiration", "offer_value"):
        value = private.get(key)
        if value is not None:
            t.append(f"  {key.replace('_', ' ')} {value:.2f}\n")
    for issue, w in (private.get("willingness") or {}).items():
        t.append(f"  willingness to deliver {game.issue(issue)['name']}: {w:.2f}\n")
    return t


def all_values_table(game) -> Table:
    """The instructor's table: every actor's private numbers now."""
    table = Table(
        box=None,
        padding=(0, 1),
        expand=True,
        caption="capability, credibility, "
        "walk-away value, aspiration, value of the offer on the table",
        caption_justify="left",
    )
    table.add_column("actor", no_wrap=True, min_width=13)
    for column in ("cap.", "cred.", "walk", "aim", "offer"):
        table.add_column(column, justify="right")
    private = game.view.private if game.view else {}
    for actor, row in private.items():
        cells = [
            row.get(k)
            for k in ("capability", "credibility", "walk_away", "aspiration", "offer_value")
        ]
        table.add_row(game.name(actor), *("–" if c is None else f"{c:.2f}" for c in cells))
    return table


def roster_table(game) -> Table:
    table = Table(box=None, padding=(0, 1), expand=True)
    for column in ("seat", "played by", "connected", "last seen", "due"):
        table.add_column(column)
    view = game.view
    if view is None:
        return table
    now = time.time()
    for seat in view.roster:
        seen = "–" if seat.last_seen is None else f"{int(now - seat.last_seen)} s ago"
        table.add_row(
            game.name(seat.actor),
            seat.controller,
            Text("yes", GOOD) if seat.connected else Text("no", BAD),
            seen,
            view.waiting.get(seat.actor, ""),
        )
    return table


def messages_text(game, public_only: bool = False, limit: int = 200) -> Text:
    """The messages this reader may read, oldest first (public statements only on the projector)."""
    t = Text()
    shown = [m for m in game.messages if not (public_only and m.to)][-limit:]
    for m in shown:
        to = "everyone" if not m.to else ", ".join(game.name(a) for a in m.to)
        t.append(
            f"[r{m.round}] {game.name(m.sender)} → {to}: ", "bold" if not m.to else "bold magenta"
        )
        t.append(m.text + "\n")
    if not shown:
        t.append("No messages yet.\n", "dim")
    return t


def log_text(game, limit: int = 200) -> Text:
    t = Text()
    for e in game.events[-limit:]:
        t.append(f"[r{e.round}] ", "dim")
        t.append(e.text + "\n", "italic" if e.kind in ("timeout", "ai_decided") else "")
    return t
