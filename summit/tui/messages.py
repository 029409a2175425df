"""Every message the TUI posts, as dataclasses in one place (the Posting way)."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual.message import Message

from summit.tui.session import Turn


@dataclass
class RoundPlayed(Message):
    """A round ended while playing on (posted from the engine worker)."""


@dataclass
class EngineDone(Message):
    """The engine worker stopped: at a human's turn (``turn``), at the end of a round, or
    refused a decision (``error``)."""

    turn: Turn | None
    error: str | None = None


@dataclass
class Compared(Message):
    """The batch engine's comparison for the outcome screen (None: leave the section out)."""

    text: Text | None
