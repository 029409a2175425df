"""The negotiation's packages and reference points in words, for the terminal (78 columns)."""

from __future__ import annotations

import textwrap
from typing import TYPE_CHECKING

import numpy as np

from summit.analysis import reference as refmath
from summit.analysis.packages import decode
from summit.scenario import SEQUENCINGS, Spec

if TYPE_CHECKING:
    from summit.analysis.negotiation import IssueVote, ReferencePoints

SEQUENCING_WORDS = {
    "on_promise": "paid on promise",
    "after_verified": "paid only after verified action",
}


def describe_package(
    spec: Spec, levels, sequencing: int, width: int = 78, indent: str = "    "
) -> str:
    """A package in words, grouped by who gives what."""
    sc = spec.scenario
    parts: dict[str, list[str]] = {}
    for i, issue in enumerate(sc.issues):
        level = int(levels[i])
        if level == 0:
            continue
        text = issue.phrases[level] if issue.phrases else f"{issue.name}: {issue.levels[level]}"
        parts.setdefault(issue.giver, []).append(text)
    lines = []
    for actor in sc.actors:
        if actor.id in parts:
            lines.append(
                textwrap.fill(
                    f"{actor.name}: " + "; ".join(parts[actor.id]),
                    width,
                    initial_indent=indent,
                    subsequent_indent=indent + "  ",
                )
            )
    if not lines:
        lines.append(indent + "nothing changes (the status quo)")
    lines.append(indent + f"concessions {SEQUENCING_WORDS[SEQUENCINGS[int(sequencing)]]}")
    return "\n".join(lines)


def short_package(spec: Spec, levels, sequencing: int) -> str:
    """issue=level for every issue that moves, and the sequencing."""
    moved = [
        f"{issue}={int(levels[i])}" for i, issue in enumerate(spec.issue_ids) if int(levels[i])
    ]
    seq = "after" if SEQUENCINGS[int(sequencing)] == "after_verified" else "promise"
    return (" ".join(moved) or "status quo") + f" [{seq}]"


def _utilities(spec: Spec, ref: ReferencePoints, u: np.ndarray) -> str:
    cells = []
    for a, actor in enumerate(spec.actor_ids):
        mark = "*" if ref.parties[a] else ""
        cells.append(f"{actor}{mark} {u[a]:.3f} ({u[a] - ref.walk_away[a]:+.3f})")
    return textwrap.fill(
        "utility (vs walk-away): " + ", ".join(cells),
        78,
        initial_indent="    ",
        subsequent_indent="      ",
    )


def _para(text: str, indent: str = "") -> list[str]:
    return textwrap.wrap(text, 78, initial_indent=indent, subsequent_indent=indent + "  ")


def render(ref: ReferencePoints, best: int = 5) -> str:
    """The reference points as text for the terminal (78 columns)."""
    spec, sc = ref.spec, ref.spec.scenario
    names = [a.id for a, p in zip(sc.actors, ref.parties, strict=True) if p]
    start = "mean parameters" if ref.seed is None else f"run seed {ref.seed}"
    out = [sc.summit.title]
    out += _para(
        f"reference points at the start of round 1 ({start}; expected utilities as the actors "
        "see them)"
    )
    out += _para(f"events before round 1: {', '.join(ref.events) if ref.events else 'none'}")
    out += _para(
        f"parties (bargain, marked *): {', '.join(names)}; walk-away values: "
        + ", ".join(
            f"{a} {ref.walk_away[k]:.3f}" for k, a in enumerate(spec.actor_ids) if ref.parties[k]
        )
    )
    out.append("")
    n_eff, n_rat = int(ref.efficient.sum()), int(ref.rational.sum())
    out += _para(
        f"packages: {ref.packages:,} ({len(spec.sequencings)} sequencing(s)); Pareto-efficient for "
        f"the parties: {n_eff:,}; leaving every party above its walk-away value: {n_rat:,}"
    )
    out += _para(
        "best efficient packages (above every party's walk-away value first; by the parties' "
        "total utility):"
    )
    for k in ref.best_efficient(best):
        levels, seq = decode(spec, np.array([k]))
        u = ref.utility[k]
        us = " ".join(f"{a}={u[j]:.3f}" for j, a in enumerate(spec.actor_ids) if ref.parties[j])
        out.append(
            textwrap.fill(
                f"{us}: {short_package(spec, levels[0], seq[0])}",
                78,
                initial_indent="  ",
                subsequent_indent="      ",
            )
        )
    nash = ref.solutions["Nash bargaining"]
    for name, sol in ref.solutions.items():
        out.append("")
        if sol.index is None:
            out.append(f"{name}: none (no package leaves every party above its walk-away value)")
            continue
        extra = ""
        if nash.index is not None and name != "Nash bargaining":
            d = refmath.distance_to(ref.utility[:, ref.parties], sol.index, nash.index)
            extra = (
                " (same package as Nash)"
                if sol.index == nash.index
                else f" (distance from Nash {d:.3f})"
            )
        out.append(f"{name}{extra}:")
        out.append(describe_package(spec, sol.levels, sol.sequencing))
        out.append(_utilities(spec, ref, sol.utility))
    out.append("")
    out += _para(
        "issue by issue, Bueno de Mesquita's forecast (weights: capability x salience as the "
        "scenario gives it; levels count from 0 = status quo):"
    )
    for vote, issue in zip(ref.votes, sc.issues, strict=True):
        mean = (
            "nobody cares"
            if vote.mean_level is None
            else f"{vote.mean_level:.2f} (nearest: {issue.levels[int(round(vote.mean_level))]})"
        )
        if vote.condorcet is None:
            cond = "none: no level beats all others"
        else:
            cond = f"{vote.condorcet} ({issue.levels[vote.condorcet]})"
        prefs = ", ".join(
            f"{a} {int(vote.preferred[k])}"
            for k, a in enumerate(spec.actor_ids)
            if vote.weight[k] > 0
        )
        out.append(f"  {issue.id}")
        out += _para(f"weighted mean {mean}", "    ")
        out += _para(f"Condorcet {cond}", "    ")
        out += _para(_margins_text(vote), "    ")
        if vote.mean_level_normalised is not None:
            alt = "none" if vote.condorcet_normalised is None else str(vote.condorcet_normalised)
            out += _para(
                f"normalised salience (each actor's weights summing to 1): weighted mean "
                f"{vote.mean_level_normalised:.2f}, Condorcet {alt}",
                "    ",
            )
        out.append(
            textwrap.fill(
                f"preferred: {prefs}", 78, initial_indent="    ", subsequent_indent="      "
            )
        )
    return "\n".join(out) + "\n"


def _margins_text(vote: IssueVote) -> str:
    """Pairwise vote margins 'x vs y: +m' for every pair of levels x < y."""
    m = vote.margins
    pairs = [f"{x} vs {y}: {m[x, y]:+.2f}" for x in range(len(m)) for y in range(x + 1, len(m))]
    return (
        "vote margins (capability x salience for the first level minus for the second): "
        + ", ".join(pairs)
    )
