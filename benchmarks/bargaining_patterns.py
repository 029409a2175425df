"""Measure the bargaining patterns issue 8 asks about, on the Jerusalem 2019 scenario.

    python benchmarks/bargaining_patterns.py --runs 20000 --json after.json
    python benchmarks/bargaining_patterns.py --table before.json after.json --write
    docs/validation.md

The first form plays ``--runs`` summits of jerusalem-2019 (and the same scenario with deadlines
of 6 to 10 rounds, and the actions-first variant) with the array engine and writes the figures
as JSON. It uses only the rules' public phases (game.play, game.start ... close_round), so the
same script measures the code before and after a change (run it with PYTHONPATH pointing at a
checkout of the older commit). The second form renders a before/after table and puts it between
the markers ``<!-- bargaining-patterns:begin -->`` and ``<!-- bargaining-patterns:end -->``.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np

from summit import rng
from summit.rules import game
from summit.rules.credibility import standing
from summit.scenario import compile_scenario, load_scenario

ROOT = Path(__file__).resolve().parent.parent
BASE = ROOT / "scenarios" / "jerusalem-2019.toml"
ACTIONS_FIRST = ROOT / "scenarios" / "jerusalem-2019-actions-first.toml"
DEADLINES = (6, 7, 8, 9, 10)
CHUNK = 4096


def spec_with_deadline(path: Path, deadline: int):
    sc = load_scenario(path)
    summit = sc.summit.model_copy(update={"deadline": deadline})
    return compile_scenario(sc.model_copy(update={"summit": summit}))


def play_all(spec, seeds: np.ndarray) -> dict:
    """Outcome arrays of all runs, chunk by chunk."""
    parts = []
    for start in range(0, len(seeds), CHUNK):
        st, res = game.play(spec, seeds[start : start + CHUNK])
        parts.append(
            {
                "deal": res.deal,
                "end_round": st.end_round,
                "end_reason": st.end_reason,
                "walked_out": st.walked_out,
                "levels": res.levels,
                "sequencing": st.sequencing,
                "attained": res.attained,
                "cred_before": standing(res.belief_before),
                "cred_after": standing(res.belief),
                "overpaid": res.overpaid,
                "willing": st.initial["willingness"],
            }
        )
    return {k: np.concatenate([p[k] for p in parts]) for k in parts[0]}


def offers_change(spec, seeds: np.ndarray) -> float:
    """Of the turns in which a proposer proposes again, in runs lasting 4 rounds or more, the
    share where its offer differs from its previous one."""
    st = game.start(spec, seeds)
    seen: dict[int, np.ndarray] = {}
    changed = np.zeros(len(seeds))
    repeats = np.zeros(len(seeds))
    for _ in range(spec.deadline):
        if not st.live.any():
            break
        was_live = st.live.copy()
        st, _ = game.open_round(spec, st)
        offer = game.propose(spec, st)
        key = np.column_stack([offer.levels, offer.sequencing])
        who = int(offer.proposer)
        if who in seen:
            changed += was_live & (key != seen[who]).any(axis=1)
            repeats += was_live
        seen[who] = key
        answers = game.respond(spec, st, offer)
        st, _ = game.close_round(spec, st, offer, answers)
    long = st.end_round >= 4
    return float(changed[long].sum() / repeats[long].sum()) if long.any() else float("nan")


def figures(runs: int, seed: int) -> dict:
    seeds = (
        rng.hash64(np.uint64(seed), 9, np.arange(runs, dtype=np.uint64)) >> np.uint64(1)
    ).astype(np.int64)
    base = compile_scenario(load_scenario(BASE))
    r = play_all(base, seeds)
    ids = list(base.actor_ids)
    issues = list(base.issue_ids)
    russia, us, israel = ids.index("russia"), ids.index("us"), ids.index("israel")
    wd = issues.index("iran_withdrawal")
    deal = r["deal"].astype(bool)
    out: dict = {"runs": runs, "deal_rate": float(deal.mean())}
    out["deals_in_final_round"] = (
        float((r["end_round"][deal] == base.deadline).mean()) if deal.any() else 0.0
    )
    if deal.any():
        rounds, counts = np.unique(r["end_round"][deal], return_counts=True)
        out["deals_in_busiest_round"] = float(counts.max() / deal.sum())
        out["busiest_deal_round"] = int(rounds[counts.argmax()])
    packages = {
        tuple(row) for row in np.column_stack([r["levels"], r["sequencing"]])[deal].tolist()
    }
    out["distinct_packages"] = len(packages)
    walk = r["end_reason"] == game.WALKOUT
    if walk.any():
        pairs = np.column_stack([r["walked_out"][walk], r["end_round"][walk]])
        _, counts = np.unique(pairs, axis=0, return_counts=True)
        out["top_walkout_share"] = float(counts.max() / walk.sum())
    else:
        out["top_walkout_share"] = 0.0
    out["walkout_rate"] = float(walk.mean())
    agreed_wd = np.where(deal, r["levels"][:, wd], 0)
    willing = r["willing"][:, russia, wd]
    lo, hi = np.quantile(willing, [0.25, 0.75])
    out["withdrawal_top_quartile"] = float(agreed_wd[willing >= hi].mean())
    out["withdrawal_bottom_quartile"] = float(agreed_wd[willing <= lo].mean())
    failed = deal & (r["levels"][:, wd] > 0) & (r["attained"][:, wd] < r["levels"][:, wd])
    fell = r["cred_after"][:, russia] < r["cred_before"][:, russia] - 1e-12
    out["failed_withdrawal_deals"] = int(failed.sum())
    out["credibility_falls_after_failure"] = (
        float(fell[failed].mean()) if failed.any() else float("nan")
    )
    out["us_paid_for_unkept"] = (
        float((r["overpaid"][deal, us] > 0.005).mean()) if deal.any() else 0.0
    )
    out["israel_paid_for_unkept"] = (
        float((r["overpaid"][deal, israel] > 0.005).mean()) if deal.any() else 0.0
    )
    out["deal_rate_by_deadline"] = {}
    for d in DEADLINES:
        rd = r if d == base.deadline else play_all(spec_with_deadline(BASE, d), seeds)
        out["deal_rate_by_deadline"][str(d)] = float(rd["deal"].mean())
    rates = list(out["deal_rate_by_deadline"].values())
    out["deadline_spread"] = max(rates) - min(rates)
    out["offers_change_share"] = offers_change(base, seeds[:2000])
    af = play_all(compile_scenario(load_scenario(ACTIONS_FIRST)), seeds)
    af_deal = af["deal"].astype(bool)
    out["actions_first_deal_rate"] = float(af_deal.mean())
    out["actions_first_us_paid_for_unkept"] = (
        float((af["overpaid"][af_deal, us] > 0.005).mean()) if af_deal.any() else 0.0
    )
    return out


ROWS = [
    ("deal rate", "deal_rate", "{:.1%}", "-"),
    ("deals struck in the final round", "deals_in_final_round", "{:.1%}", "<= 50%"),
    ("deals struck in the round most deals come in", "busiest", "{}", "-"),
    ("deal rate, deadlines 6..10 rounds", "deadline_rates", "{}", "-"),
    ("spread of the deal rate across deadlines", "deadline_spread", "{:.1%}", "<= 10 points"),
    ("distinct agreed packages", "distinct_packages", "{}", ">= 20"),
    ("walk-outs", "walkout_rate", "{:.1%}", "-"),
    ("largest share of walk-outs by one (actor, round)", "top_walkout_share", "{:.1%}", "< 80%"),
    (
        "runs of 4+ rounds: a proposer's turns that change its offer",
        "offers_change_share",
        "{:.1%}",
        "> 0",
    ),
    (
        "agreed withdrawal, top quartile of Russia's willingness",
        "withdrawal_top_quartile",
        "{:.2f}",
        "-",
    ),
    ("agreed withdrawal, bottom quartile", "withdrawal_bottom_quartile", "{:.2f}", "-"),
    ("difference top - bottom", "withdrawal_gap", "{:+.2f}", ">= +0.30"),
    ("deals where Russia fails the withdrawal it promised", "failed_withdrawal_deals", "{}", "-"),
    (
        "... of which Russia's credibility falls",
        "credibility_falls_after_failure",
        "{:.1%}",
        ">= 95%",
    ),
    ("US pays for promises not kept (share of deals)", "us_paid_for_unkept", "{:.1%}", "-"),
    ("actions-first: deal rate", "actions_first_deal_rate", "{:.1%}", ">= 20%"),
    (
        "actions-first: US pays for promises not kept",
        "actions_first_us_paid_for_unkept",
        "{:.1%}",
        "<= 5%",
    ),
]


def cell(fig: dict, key: str, fmt: str) -> str:
    if key == "deadline_rates":
        return " / ".join(f"{v:.0%}" for v in fig["deal_rate_by_deadline"].values())
    if key == "busiest":
        if "deals_in_busiest_round" not in fig:
            return "n/a"
        return f"{fig['deals_in_busiest_round']:.1%} (round {fig['busiest_deal_round']})"
    if key == "withdrawal_gap":
        value = fig["withdrawal_top_quartile"] - fig["withdrawal_bottom_quartile"]
    else:
        value = fig.get(key)
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return "n/a"
    return fmt.format(value)


def table(before: dict, after: dict) -> str:
    lines = [
        f"Generated by `python benchmarks/bargaining_patterns.py` ({after['runs']:,} runs of "
        "jerusalem-2019 per variant, the same run seeds before and after).",
        "",
        "| pattern | before | after | asked |",
        "|---|---|---|---|",
    ]
    for label, key, fmt, goal in ROWS:
        lines.append(f"| {label} | {cell(before, key, fmt)} | {cell(after, key, fmt)} | {goal} |")
    return "\n".join(lines)


BEGIN, END = "<!-- bargaining-patterns:begin -->", "<!-- bargaining-patterns:end -->"


def write_between_markers(path: Path, text: str) -> None:
    doc = path.read_text()
    head, rest = doc.split(BEGIN, 1)
    _, tail = rest.split(END, 1)
    path.write_text(f"{head}{BEGIN}\n{text}\n{END}{tail}")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--runs", type=int, default=20000)
    ap.add_argument("--seed", type=int, default=11)
    ap.add_argument("--json", help="write the figures here")
    ap.add_argument(
        "--table", nargs=2, metavar=("BEFORE", "AFTER"), help="render a before/after table"
    )
    ap.add_argument("--write", help="put the table between the markers in this file")
    args = ap.parse_args(argv)
    if args.table:
        before, after = (json.loads(Path(p).read_text()) for p in args.table)
        text = table(before, after)
        if args.write:
            write_between_markers(Path(args.write), text)
        print(text)
        return 0
    fig = figures(args.runs, args.seed)
    text = json.dumps(fig, indent=2)
    if args.json:
        Path(args.json).write_text(text + "\n")
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
