"""`summit class export`: a room's transcript, decisions, messages and debrief as files."""

from __future__ import annotations

import csv
import json
from datetime import UTC, datetime
from pathlib import Path

from summit.net.debrief import debrief_content
from summit.net.room import Room
from summit.net.store import Store
from summit.transcript import markdown


def _when(stamp: float) -> str:
    return datetime.fromtimestamp(stamp, UTC).isoformat(timespec="milliseconds")


def jsonl(room: Room) -> str:
    """The same lines as `summit run --json`: header, one per round, then outcome with nash."""
    m = room.model
    lines = [json.dumps(r.to_dict()) for r in [room.header(), *m.records]]
    if m.outcome is not None:
        from summit.analysis.negotiation import deal_vs_nash

        nash = deal_vs_nash(room.spec, m.seed, m.outcome)
        lines.append(json.dumps({**m.outcome.to_dict(), "nash": nash}))
    return "".join(line + "\n" for line in lines)


def transcript_md(room: Room, nash: dict | None) -> str:
    m = room.model
    text = markdown(room.spec, room.header(), m.records, m.outcome, nash)
    log = [
        f"- {_when(line['stamp'])} · round {line['round']} · {line['text']}"
        for line in room.lines
        if line["kind"] != "room_open"
    ]
    talk = [
        f"- {_when(msg['stamp'])} · round {msg['round']} · **{msg['sender']}** → "
        f"{', '.join(msg['to']) or 'everyone'}: {msg['text']}"
        for msg in room.messages
    ]
    return (
        text.rstrip("\n")
        + f"\n\n## Room {room.code}: what happened in the room\n\n"
        + ("\n".join(log) or "(nothing)")
        + "\n\n## Messages (all channels)\n\n"
        + ("\n".join(talk) or "(none)")
        + "\n"
    )


def write_room(
    store: Store,
    room: Room,
    out: Path,
    session: list[Room] | None = None,
    comparison: dict | None = None,
) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    debrief = debrief_content(room, session, comparison)
    files = {
        "transcript.jsonl": jsonl(room),
        "transcript.md": transcript_md(room, debrief["nash"]),
        "debrief.json": json.dumps(debrief, indent=1) + "\n",
    }
    for name, text in files.items():
        (out / name).write_text(text, encoding="utf-8")
    with open(out / "decisions.csv", "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["seq", "time", "kind", "actor", "details"])
        for row in store.log(room.code):
            if row.kind != "say":
                w.writerow(
                    [
                        row.seq,
                        _when(row.stamp),
                        row.kind,
                        row.actor or "",
                        json.dumps(row.payload, sort_keys=True),
                    ]
                )
    with open(out / "messages.csv", "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["seq", "time", "round", "sender", "to", "channel", "text"])
        for msg in room.messages:
            channel = (
                "system" if msg["sender"] == "system" else "private" if msg["to"] else "public"
            )
            w.writerow(
                [
                    msg["seq"],
                    _when(msg["stamp"]),
                    msg["round"],
                    msg["sender"],
                    " ".join(msg["to"]),
                    channel,
                    msg["text"],
                ]
            )
    return [out / n for n in (*files, "decisions.csv", "messages.csv")]
