"""What `summit backtest` writes: the scored table (text and Markdown), the JSON record and the
calibration plot, all from one list of CaseResults."""

from __future__ import annotations

import json
import re
import textwrap
from dataclasses import dataclass
from pathlib import Path

from summit.analysis.backtest import CaseResult
from summit.analysis.scoring import (
    HELD_OUT_FROM,
    LOG_FLOOR,
    NEVER,
    OUTCOMES,
    Score,
    Summary,
    base_rate,
    pattern_brier,
    score,
    summarize,
)
from summit.errors import UsageError
from summit.stats import percent

BEGIN = "<!-- summit backtest --markdown: begin (generated, do not edit) -->"
END = "<!-- summit backtest --markdown: end -->"
SETS = ("all", "in-sample", "held-out")
FORECASTERS = ("model", "base rate", "never delivers")
SHORT = {"delivered": "D", "partly delivered": "P", "not delivered": "N"}


@dataclass(frozen=True)
class Scored:
    result: CaseResult
    scores: dict[str, Score]  # forecaster -> score of the coded outcome


@dataclass(frozen=True)
class Report:
    results: list[CaseResult]
    scored: list[Scored]
    base: tuple[float, float, float] | None
    summaries: dict[str, dict[str, Summary | None]]  # set -> forecaster -> summary
    patterns: dict[str, tuple[int, float] | None]  # set -> (patterns scored, model's mean Brier)


def build(results: list[CaseResult]) -> Report:
    coded = [r for r in results if r.case.outcome is not None]
    base = base_rate([r.case.outcome for r in coded]) if coded else None
    scored = [
        Scored(
            r,
            {
                "model": score(r.probabilities, r.case.outcome),
                "base rate": score(base, r.case.outcome),
                "never delivers": score(NEVER, r.case.outcome),
            },
        )
        for r in coded
    ]
    summaries = {}
    for name in SETS:
        members = [s for s in scored if name == "all" or s.result.case.split == name]
        summaries[name] = {f: summarize([s.scores[f] for s in members]) for f in FORECASTERS}
    patterns = {}
    for name in SETS:
        briers = [
            pattern_brier(p.probability, p.pattern.observed)
            for r in results
            if name == "all" or r.case.split == name
            for p in r.patterns
            if p.probability == p.probability
        ]
        patterns[name] = (len(briers), sum(briers) / len(briers)) if briers else None
    return Report(results, scored, base, summaries, patterns)


# --------------------------------------------------------------------------- text


def render_case(r: CaseResult, width: int = 78) -> str:
    c = r.case
    lines = [f"{c.id}  {c.title}  [{c.split}]"]

    def wrap(label: str, text: str) -> list[str]:
        return textwrap.wrap(
            f"{label}{text}", width, initial_indent="  ", subsequent_indent="      "
        )

    lines += wrap("record: ", c.record)
    if c.outcome is not None:
        lines += wrap(
            "coded:  ", f"{c.outcome} ({c.text('kind') or 'commitment'}: {c.text('commitment')})"
        )
        probs = ", ".join(
            f"{o} {percent(p, 1)}" for o, p in zip(OUTCOMES, r.probabilities, strict=True)
        )
        arose = (
            f"in the {r.given_runs:,} of {r.runs:,} runs where the situation arose"
            if r.arose
            else "the situation never arose: uniform forecast"
        )
        lines += wrap("model:  ", f"{probs} ({arose})")
    for p in r.patterns:
        lines += wrap(
            "",
            f"pattern {p.pattern.name}: observed {str(p.pattern.observed).lower()}, "
            f"model {percent(p.probability, 1)}",
        )
    return "\n".join(lines) + "\n"


def render_table(report: Report) -> str:
    w = max([len(s.result.case.id) for s in report.scored] + [4])
    head = (
        f"{'case':<{w}}  {'split':<9}  {'coded':<16}  {'P(model)':>8}  "
        f"{'Brier':>5}  {'base':>5}  {'never':>5}"
    )
    lines = [head]
    for s in report.scored:
        c = s.result.case
        lines.append(
            f"{c.id:<{w}}  {c.split:<9}  {c.outcome:<16}  "
            f"{percent(s.scores['model'].probability, 1):>8}  "
            + "  ".join(f"{s.scores[f].brier:5.3f}" for f in FORECASTERS)
        )
    lines.append("")
    lines.append(
        f"{'mean Brier / log score':<{w + 30}}  {'model':>13}  {'base rate':>13}  {'never':>13}"
    )
    for name in SETS:
        sums = report.summaries[name]
        if sums["model"] is None:
            continue
        label = f"{name} ({sums['model'].cases} cases)"
        lines.append(
            f"{label:<{w + 30}}  "
            + "  ".join(f"{sums[f].brier:5.3f} / {sums[f].log:5.2f}" for f in FORECASTERS)
        )
    lines.append("")
    for name in SETS:
        if report.patterns[name] is not None:
            n, b = report.patterns[name]
            lines.append(
                f"patterns, {name}: {n} scored, model's mean Brier {b:.3f} (a coin flip scores "
                "0.250)"
            )
    return "\n".join(lines) + "\n"


# --------------------------------------------------------------------------- JSON


def _score_dict(s: Score) -> dict:
    return {
        "probability": round(s.probability, 6),
        "brier": round(s.brier, 6),
        "log": round(s.log, 6),
    }


def _summary_dict(s: Summary | None) -> dict | None:
    return (
        None
        if s is None
        else {"cases": s.cases, "brier": round(s.brier, 6), "log": round(s.log, 6)}
    )


def _case_dict(r: CaseResult, scores: dict[str, Score] | None) -> dict:
    c = r.case
    out = {
        "id": c.id,
        "title": c.title,
        "date": c.date,
        "split": c.split,
        "in_sample_reason": c.text("in_sample"),
        "kind": c.text("kind"),
        "commitment": c.text("commitment"),
        "record": c.record,
        "outcome": c.outcome,
        "coding": c.text("coding"),
        "known_before": c.text("known_before"),
        "sources": list(c.table.get("sources", [])),
        "runs": r.runs,
        "situation_runs": r.given_runs,
    }
    if scores is not None:
        out["probabilities"] = {
            o: round(p, 6) for o, p in zip(OUTCOMES, r.probabilities, strict=True)
        }
        out["scores"] = {f: _score_dict(s) for f, s in scores.items()}
    out["patterns"] = [
        {
            "name": p.pattern.name,
            "condition": p.pattern.condition_text,
            "observed": p.pattern.observed,
            "runs": p.runs,
            "probability": None if p.probability != p.probability else round(p.probability, 6),
            "brier": None
            if p.probability != p.probability
            else round(pattern_brier(p.probability, p.pattern.observed), 6),
        }
        for p in r.patterns
    ]
    return out


def to_json(report: Report, runs: int, seed: int) -> dict:
    by_id = {s.result.case.id: s.scores for s in report.scored}
    return {
        "command": f"summit backtest --runs {runs} --seed {seed}",
        "runs": runs,
        "seed": seed,
        "split": {
            "rule": f"held-out: cases dated {HELD_OUT_FROM} or later that no shared value was "
            "set from; "
            "in-sample: earlier cases and cases marked in_sample",
            "in-sample": [r.case.id for r in report.results if r.case.split == "in-sample"],
            "held-out": [r.case.id for r in report.results if r.case.split == "held-out"],
        },
        "outcomes": list(OUTCOMES),
        "log_floor": LOG_FLOOR,
        "baselines": {
            "base rate": None
            if report.base is None
            else {o: round(p, 6) for o, p in zip(OUTCOMES, report.base, strict=True)},
            "never delivers": {o: p for o, p in zip(OUTCOMES, NEVER, strict=True)},
        },
        "summary": {
            name: {f: _summary_dict(s) for f, s in sums.items()}
            for name, sums in report.summaries.items()
        },
        "patterns_summary": {
            name: None if v is None else {"patterns": v[0], "model_brier": round(v[1], 6)}
            for name, v in report.patterns.items()
        },
        "cases": [_case_dict(r, by_id.get(r.case.id)) for r in report.results],
    }


def write_json(report: Report, runs: int, seed: int, path: str | Path) -> None:
    _write(path, json.dumps(to_json(report, runs, seed), indent=1) + "\n")


# --------------------------------------------------------------------------- Markdown


def markdown(report: Report, runs: int, seed: int) -> str:
    lines = [
        f"`summit backtest --runs {runs} --seed {seed}`; probabilities are the model's in the runs "
        "where the case's situation arose. D / P / N: delivered / partly / not delivered. "
        "Brier and log score: lower is better.",
        "",
        "| case | split | kind | coded | model P(D / P / N) | P(coded) | Brier model | Brier "
        "base rate "
        "| Brier never | log model | log base rate | log never |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for s in report.scored:
        r, c = s.result, s.result.case
        probs = " / ".join(f"{p:.2f}" for p in r.probabilities) + (
            "" if r.arose else " (never arose)"
        )
        lines.append(
            f"| `{c.id}` | {c.split} | {c.text('kind')} | {SHORT[c.outcome]} | {probs} | "
            f"{s.scores['model'].probability:.2f} | "
            + " | ".join(f"{s.scores[f].brier:.3f}" for f in FORECASTERS)
            + " | "
            + " | ".join(f"{s.scores[f].log:.2f}" for f in FORECASTERS)
            + " |"
        )
    if report.base is not None:
        lines += [
            "",
            "Base rate (all scored cases): "
            + ", ".join(f"{o} {p:.2f}" for o, p in zip(OUTCOMES, report.base, strict=True))
            + ".",
        ]
    lines += [
        "",
        "| cases | n | mean Brier: model | base rate | never delivers | mean log: model | base "
        "rate "
        "| never delivers |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for name in SETS:
        sums = report.summaries[name]
        if sums["model"] is None:
            continue
        lines.append(
            f"| {name} | {sums['model'].cases} | "
            + " | ".join(f"{sums[f].brier:.3f}" for f in FORECASTERS)
            + " | "
            + " | ".join(f"{sums[f].log:.2f}" for f in FORECASTERS)
            + " |"
        )
    lines += ["", "| patterns | n | model's mean Brier (a coin flip: 0.250) |", "|---|---|---|"]
    lines += [
        f"| {name} | {report.patterns[name][0]} | {report.patterns[name][1]:.3f} |"
        for name in SETS
        if report.patterns[name] is not None
    ]
    lines += ["", "| case | pattern | observed | model P | Brier |", "|---|---|---|---|---|"]
    for r in report.results:
        for p in r.patterns:
            pb = (
                "n/a"
                if p.probability != p.probability
                else f"{pattern_brier(p.probability, p.pattern.observed):.3f}"
            )
            lines.append(
                f"| `{r.case.id}` | {p.pattern.name} | {str(p.pattern.observed).lower()} | "
                f"{percent(p.probability, 1)} | {pb} |"
            )
    return "\n".join(lines) + "\n"


def write_markdown(report: Report, runs: int, seed: int, path: str | Path) -> None:
    """Write the tables to ``path``; a file that holds the BEGIN/END markers keeps everything
    outside them (this is how docs/validation.md carries the generated table)."""
    table = markdown(report, runs, seed)
    path = Path(path)
    old = path.read_text(encoding="utf-8") if path.exists() else ""
    if BEGIN in old and END in old:
        pattern = re.compile(re.escape(BEGIN) + ".*?" + re.escape(END), re.S)
        text = pattern.sub(lambda _: f"{BEGIN}\n{table}{END}", old, count=1)
    else:
        text = f"{BEGIN}\n{table}{END}\n"
    _write(path, text)


def _write(path: str | Path, text: str) -> None:
    try:
        Path(path).write_text(text, encoding="utf-8")
    except OSError as err:
        raise UsageError(f"cannot write {path}: {err.strerror or err}") from None


# --------------------------------------------------------------------------- calibration plot


def calibration_points(report: Report, bins: int = 5) -> list[tuple[float, float, int]]:
    """(mean forecast, observed frequency, count) per probability bin, over every scored case's
    three outcome probabilities."""
    pairs = [
        (p, 1.0 if o == s.result.case.outcome else 0.0)
        for s in report.scored
        for o, p in zip(OUTCOMES, s.result.probabilities, strict=True)
    ]
    out = []
    for b in range(bins):
        lo, hi = b / bins, (b + 1) / bins
        inside = [(p, y) for p, y in pairs if lo <= p < hi or (b == bins - 1 and p == 1.0)]
        if inside:
            out.append(
                (
                    sum(p for p, _ in inside) / len(inside),
                    sum(y for _, y in inside) / len(inside),
                    len(inside),
                )
            )
    return out


def save_png(report: Report, path: str | Path) -> None:
    from summit.report import plots

    fig, ax = plots.figure(6.4, 4.6)
    ax.plot([0, 1], [0, 1], color="0.6", linestyle="--", linewidth=1, label="perfect calibration")
    pts = calibration_points(report)
    if pts:
        ax.plot(
            [p for p, _, _ in pts],
            [y for _, y, _ in pts],
            marker="o",
            color="C0",
            label="model (binned)",
        )
        for p, y, n in pts:
            ax.annotate(str(n), (p, y), textcoords="offset points", xytext=(5, -10), fontsize=8)
    for split, colour in (("in-sample", "C1"), ("held-out", "C2")):
        xs = [s.scores["model"].probability for s in report.scored if s.result.case.split == split]
        if xs:
            ax.scatter(
                xs,
                [1.02] * len(xs),
                marker="|",
                s=120,
                color=colour,
                label=f"P(coded outcome), {split}",
            )
    ax.set_xlim(-0.02, 1.02)
    ax.set_ylim(-0.02, 1.06)
    ax.set_xlabel("model probability of an outcome")
    ax.set_ylabel("share of those outcomes that happened")
    ax.set_title(
        f"summit backtest: calibration over {len(report.scored)} coded cases (3 outcomes each)"
    )
    ax.legend(loc="center right", fontsize=8)
    plots.save(fig, path)
