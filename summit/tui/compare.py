"""This game against thousands of simulated runs of the same scenario (the batch engine).

The batch engine (summit.batch, built separately) plays the scenario many times with AIs on
every side. When it is missing or cannot run, ``comparison`` returns None and the outcome
screen leaves the section out.
"""

from __future__ import annotations

import importlib.util

import numpy as np
from rich.text import Text

from summit.outcomes import delivered_in_full
from summit.stats import percent

RUNS = 10_000


def available() -> bool:
    return importlib.util.find_spec("summit.batch") is not None


def comparison(game, runs: int = RUNS) -> Text | None:
    """The game session's own AI-only runs (``simulated``) in words; None without them."""
    cols = game.simulated(runs)
    if cols is None:
        return None
    try:
        return words(game, cols, runs)
    except Exception:  # noqa: BLE001 - optional and still growing: no comparison beats a crash
        return None


def words(game, cols: dict[str, np.ndarray], runs: int) -> Text:
    spec, out = game.board, game.outcome
    t = Text()
    t.append(
        f"{runs:,} summits of this scenario played by the AIs alone (batch seed {game.seed}): ",
        "dim",
    )
    here = "a deal" if out.deal else "no deal"
    t.append(f"a deal in {percent(float(np.mean(cols['deal'])))} of them; here {here}.\n")
    who = game.humans or list(spec.scenario.summit.table)
    for a in out.actors:
        if a.actor not in who:
            continue
        sim = cols[f"{a.actor}.payoff"]
        t.append(f"{game.name(a.actor)}", "bold")
        beaten = percent(float(np.mean(sim < a.payoff - 1e-9)))
        t.append(
            f": payoff {a.payoff:.2f} here, better than {beaten} of the simulated runs "
            f"(their median {float(np.median(sim)):.2f}).\n"
        )
    for c in out.commitments:
        if c.kind != "action":
            continue
        agreed = cols[f"agreed.{c.issue}"] >= c.agreed
        if agreed.any():
            kept = float(np.mean(delivered_in_full(cols[f"delivered.{c.issue}"][agreed], c.agreed)))
            issue = spec.scenario.issue(c.issue)
            t.append(
                f"{issue.name} at '{c.agreed_name}': {c.status} here; delivered in full in "
                f"{percent(kept)} of the {int(agreed.sum()):,} simulated deals that agreed it.\n"
            )
    for a in out.actors:
        if f"{a.actor}_presence" in cols:
            t.append(
                f"{game.name(a.actor)}'s military presence left: {percent(a.presence)} here, "
                f"median {percent(float(np.median(cols[f'{a.actor}_presence'])))} "
                "in the simulations.\n"
            )
    t.rstrip()
    return t
