"""A seat's brief: what one actor wants, will not accept, can give, knows alone, and values.

The TUI's briefing screen, the class server's seat welcome and ``summit brief`` (a hand-out for
the preparation phase) all show this one record. It reads the run's parameters at the start of
round 1 and computes no rule: weights, level values, credibility and willingness are the rules'
own arrays. Without a seed the brief shows typical values (every range at its mean).

    brief = seat_brief(spec, "russia", seed=7)
    print(markdown(brief))
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np

from summit.rules import game
from summit.rules.credibility import standing
from summit.rules.utility import giver_willingness
from summit.scenario import Spec


@dataclass
class IssueValues:
    issue: str
    name: str
    weight: float  # salience: how much the issue weighs for this actor
    gives: bool  # this actor is the one who would deliver it
    levels: list[tuple[str, float]]  # (level name, value from 0 worst to 1 best)


@dataclass
class Brief:
    actor: str
    name: str
    summit: str
    seed: int | None  # None: typical values (ranges at their means)
    goals: str
    red_lines: list[str]
    can_give: str
    private: str
    capability: float
    credibility: float  # how far the others believe its promises
    walk_away: float  # a deal must be worth more than this
    willingness: dict[str, float]  # issue name -> willingness to deliver (issues it gives)
    issues: list[IssueValues]  # by weight, heaviest first; weightless issues left out
    drawn: bool = False  # values of a run whose seed is kept from the reader

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> Brief:
        issues = [
            IssueValues(**{**row, "levels": [tuple(lv) for lv in row["levels"]]})
            for row in data["issues"]
        ]
        return cls(**{**data, "issues": issues})


def opening_state(spec: Spec, seed: int | None) -> game.State:
    """The run's state before round 1: seed ``seed``'s draws, or every range at its mean."""
    if seed is not None:
        return game.start(spec, np.array([game.check_seed(seed)], dtype=np.int64))
    from summit.analysis.negotiation import mean_params

    return game.start(spec, np.zeros(1, dtype=np.int64), mean_params(spec))


def seat_brief(
    spec: Spec, actor_id: str, seed: int | None = None, state: game.State | None = None
) -> Brief:
    """The brief of ``actor_id`` (a ValueError names the actors when it is not one of them)."""
    if actor_id not in spec.actor_ids:
        raise ValueError(f"unknown actor '{actor_id}' (actors: {', '.join(spec.actor_ids)})")
    state = opening_state(spec, seed) if state is None else state
    params = state.params
    k = spec.actor_ids.index(actor_id)
    actor = spec.scenario.actor(actor_id)
    willing = giver_willingness(spec, params)[0]
    salience = params["salience"][0, k]
    issues = []
    for i in sorted(range(spec.n_issues), key=lambda i: -salience[i]):
        if salience[i] <= 0:
            continue
        issue = spec.scenario.issues[i]
        levels = [
            (name, round(float(spec.values[k, i, lv]), 4)) for lv, name in enumerate(issue.levels)
        ]
        issues.append(
            IssueValues(
                issue.id, issue.name, round(float(salience[i]), 4), int(spec.giver[i]) == k, levels
            )
        )
    return Brief(
        actor=actor_id,
        name=actor.name,
        summit=spec.scenario.summit.title,
        seed=seed,
        goals=actor.goals,
        red_lines=list(actor.red_lines),
        can_give=actor.can_give,
        private=actor.private,
        capability=round(float(params["capability"][0, k]), 4),
        credibility=round(float(standing(params["belief"])[0, k]), 4),
        walk_away=round(float(params["walk_away"][0, k]), 4),
        willingness={
            spec.scenario.issues[i].name: round(float(willing[i]), 4)
            for i in range(spec.n_issues)
            if spec.giver[i] == k
        },
        issues=issues,
    )


def markdown(brief: Brief) -> str:
    """The brief as a Markdown hand-out."""
    where = (
        f"seed {brief.seed}"
        if brief.seed is not None
        else "this room's values"
        if brief.drawn
        else "typical values: every range of the scenario at its mean"
    )
    lines = [
        f"# Brief: {brief.name}",
        "",
        f"You play **{brief.name}** in *{brief.summit}* ({where}).",
        "",
        "Keep this brief to your team: the section *Only you know* and your values are private.",
        "",
        "## Goals",
        "",
        brief.goals or "–",
        "",
        "## Red lines",
        "",
    ]
    lines += [f"- {line}" for line in brief.red_lines or ["–"]]
    lines += [
        "",
        "## What you can give",
        "",
        brief.can_give or "–",
        "",
        "## Only you know",
        "",
        brief.private or "–",
        "",
        "## Where you stand",
        "",
        f"- capability {brief.capability:.2f}",
        f"- credibility in the others' eyes {brief.credibility:.2f}",
        f"- walk-away value {brief.walk_away:.2f}: a deal must be worth more than that to you",
    ]
    lines += [
        f"- willingness to deliver {issue}: {w:.2f}" for issue, w in brief.willingness.items()
    ]
    lines += [
        "",
        "## What each issue is worth to you",
        "",
        "Weight: how much the issue counts; each level's value runs from 0 (worst) to 1 (best).",
        "",
        "| issue | weight | levels |",
        "|---|---:|---|",
    ]
    for row in brief.issues:
        name = f"{row.name} (you give)" if row.gives else row.name
        levels = " · ".join(f"{level} {value:.2f}" for level, value in row.levels)
        lines.append(f"| {name} | {row.weight:.1f} | {levels} |")
    return "\n".join(lines) + "\n"


# --------------------------------------------------------------------------- PDF

PAGE_LINES = 62  # lines of text on an A4 page at 9 pt
LINE_CHARS = 92


def _pdf_lines(text: str) -> list[tuple[str, bool]]:
    """Markdown lines as (plain text, bold) lines wrapped for a page: headings bold, table rows
    as 'issue (weight w): levels'."""
    import textwrap

    out: list[tuple[str, bool]] = []
    for line in text.splitlines():
        if line.startswith("|---") or line.startswith("| issue |"):
            continue
        bold = line.startswith("#")
        if bold:
            line = line.lstrip("#").strip()
        elif line.startswith("|"):
            name, weight, levels = (cell.strip() for cell in line.strip("|").split("|"))
            line = f"- {name} (weight {weight}): {levels}"
        line = line.replace("**", "").replace("*", "")
        wrapped = textwrap.wrap(line, LINE_CHARS, subsequent_indent="  ") or [""]
        out += [(part, bold) for part in wrapped]
    return out


def write_pdf(text: str, path) -> None:
    """The Markdown brief as a plain A4 PDF, drawn with matplotlib (already a dependency)."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot as plt
    from matplotlib.backends.backend_pdf import PdfPages

    lines = _pdf_lines(text)
    with PdfPages(path) as pdf:
        for start in range(0, len(lines), PAGE_LINES):
            fig = plt.figure(figsize=(8.27, 11.69))
            for row, (line, bold) in enumerate(lines[start : start + PAGE_LINES]):
                fig.text(
                    0.07,
                    0.95 - row * 0.0145,
                    line,
                    family="DejaVu Sans",
                    size=9,
                    weight="bold" if bold else "normal",
                    va="top",
                )
            pdf.savefig(fig)
            plt.close(fig)
