"""The TUI's widgets, one a file with its CSS beside it, and the words they share."""

from summit.tui.widgets.actor_table import ActorTable
from summit.tui.widgets.preview_table import PreviewTable
from summit.tui.widgets.what_if import WhatIfPanel
from summit.tui.widgets.words import (
    BAD,
    DIM,
    EVENT,
    GOOD,
    LEGEND_WORDS,
    MID,
    events_text,
    hanging,
    intro_text,
    offer_view,
    round_view,
    spark,
    versus,
)

__all__ = [
    "BAD",
    "DIM",
    "EVENT",
    "GOOD",
    "LEGEND_WORDS",
    "MID",
    "ActorTable",
    "PreviewTable",
    "WhatIfPanel",
    "events_text",
    "hanging",
    "intro_text",
    "offer_view",
    "round_view",
    "spark",
    "versus",
]
