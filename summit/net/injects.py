"""An instructor's inject: a scenario event on demand, or a news item with its own effects.

A news item's effects are checked exactly as a scenario event's are (``summit.scenario.Effect``
and ``resolve_target``), and both kinds change the run's parameters through the rules'
``apply_effects``. An inject applies before an offer is made, so the round's offers and answers
are all judged with it; the room's log keeps it, so a replay applies it at the same point.

This module also holds the two steps the phase API has no call for: changing parameters
between ``begin_round`` and ``make_offer``, and ending a summit early (``end_now``).
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
from pydantic import ValidationError

from summit.model import SummitModel
from summit.records import EventRecord
from summit.rules import events as ev_rules
from summit.rules import game
from summit.scenario import CompiledEffect, Effect, Spec, resolve_target


class BadInject(ValueError):
    """An inject the scenario cannot apply (one line)."""


def check_inject(spec: Spec, payload: dict) -> tuple[int | None, tuple[CompiledEffect, ...]]:
    """The scenario event's index (or None for news) and the compiled effects."""
    event_id, news = payload.get("event"), payload.get("news")
    if (event_id is None) == (news is None):
        raise BadInject("an inject names a scenario event or gives a news item, not both")
    if event_id is not None:
        for ev in spec.events:
            if ev.id == event_id:
                return ev.index, ev.effects
        known = ", ".join(ev.id for ev in spec.events) or "none"
        raise BadInject(f"no event '{event_id}' in this scenario (events: {known})")
    out = []
    for k, item in enumerate(news.get("effects", [])):
        fields = {key: v for key, v in item.items() if v is not None}
        try:
            effect = Effect(**fields)
            target = resolve_target(spec.scenario, effect.target, f"news.effects[{k}].target")
        except ValidationError as err:
            raise BadInject(f"news.effects[{k}]: {err.errors()[0]['msg']}") from None
        except ValueError as err:
            raise BadInject(f"news.effects[{k}]: {err}") from None
        out.append(CompiledEffect(target, effect.op, float(effect.value), effect.target))
    return None, tuple(out)


def news_record(number: int, text: str, effects: tuple[CompiledEffect, ...]) -> EventRecord:
    return EventRecord(f"news-{number}", text, [f"{e.text} {e.op} {e.value:g}" for e in effects])


def apply_inject(
    model: SummitModel, event_index: int | None, effects: tuple[CompiledEffect, ...]
) -> None:
    """Apply before the round's offer (phase "offer"); a scenario event is also marked as
    happened this round, so the round's record lists it."""
    if model.phase != "offer":
        raise RuntimeError(f"an inject applies before the offer (phase {model.phase})")
    state = model.state
    params = ev_rules.apply_effects(state.params, effects, np.ones(state.runs, dtype=bool))
    fired = state.fired
    if event_index is not None:
        fired = fired.copy()
        fired[:, event_index] = True
        model.mark_event(event_index)
    model.state = replace(state, params=params, fired=fired)


def end_now(model: SummitModel) -> None:
    """End the negotiation in the round under way, as the deadline would: the offer on the
    table lapses, and the summit is settled (no deal unless one was made)."""
    if model.done:
        return
    state = model.state
    one = np.ones(state.runs, dtype=bool)
    model.state = replace(
        state,
        live=~one,
        end_reason=np.full(state.runs, game.DEADLINE, np.int8),
        end_round=np.full(state.runs, max(state.round, 1), np.int16),
    )
    model.settle()  # the model's own settlement: implementation and outcome
