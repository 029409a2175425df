"""A class's debrief: each room's summit set against many summits the AIs played alone.

The AI sample is a batch of the same scenario (``summit.batch.simulate``: run i has run seed
``rng.run_seeds(seed, i, i+1)``, every range drawn afresh), so a room is compared with the
spread of what the rules' actors reach on their own. Per room:

- the deal, what was promised and what was delivered, who paid for promises not kept;
- per team: its payoff, its no-deal value (the walk-away value, what it gets without a deal),
  its **score** = payoff minus no-deal value, and the percentile of its payoff and of its score
  among the AI runs (mid-rank: ties count half, so a score equal to every AI run's is the 50th);
- the AIs alone with the room's very seed (the same draws, no humans): one reference game;
- the Nash and Kalai-Smorodinsky packages at the start of the room's round 1
  (``summit.analysis.negotiation``), with each actor's expected utility of them.

The rooms of a session sit side by side (``session`` and ``render``). Nothing here is a rule:
outcomes are the rooms' records and the batch's columns.

    sample = ai_sample(spec, 10_000, seed=7)
    report = session(spec, [Room("A", 7, outcome_dict), Room("B", 7, other)], sample)
    print(render(report))
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from summit.scenario import SEQUENCINGS, Spec

AI_RUNS = 10_000
PACKAGES = ("Nash bargaining", "Kalai-Smorodinsky")


@dataclass
class Room:
    """One room's finished summit: its name, its seed and its outcome record (as a dict)."""

    name: str
    seed: int
    outcome: dict
    ai_seats: list[str] = field(default_factory=list)  # seats the AI played (timeouts, empty)


def ai_sample(
    spec: Spec, runs: int = AI_RUNS, seed: int = 0, jobs: int | None = 1
) -> dict[str, np.ndarray]:
    """The columns of ``runs`` AI-only summits the debrief needs (deal, payoffs, scores, who
    paid for unkept promises)."""
    from summit.batch import simulate

    cols = simulate(spec, runs, seed=seed, jobs=jobs)
    keep = ["deal"] + [
        f"{a}.{what}" for a in spec.actor_ids for what in ("payoff", "gain", "paid_for_unkept")
    ]
    return {name: np.asarray(cols[name]) for name in keep}


def percentile(sample: np.ndarray, value: float, tol: float = 1e-9) -> float:
    """Where ``value`` stands in ``sample``, 0 to 100: the share below it plus half the share
    equal to it (within ``tol``)."""
    sample = np.asarray(sample, dtype=np.float64)
    if len(sample) == 0:
        return float("nan")
    below = np.count_nonzero(sample < value - tol)
    equal = np.count_nonzero(np.abs(sample - value) <= tol)
    return round(100.0 * (below + 0.5 * equal) / len(sample), 2)


def wilson(hits: int, n: int, z: float = 1.96) -> tuple[float, float]:
    """95% Wilson interval of a share."""
    if n == 0:
        return float("nan"), float("nan")
    p = hits / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * np.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return round(float(centre - half), 4), round(float(centre + half), 4)


# --------------------------------------------------------------------------- one room


def teams(spec: Spec, outcome: dict, sample: dict[str, np.ndarray]) -> dict[str, dict]:
    """Per actor: payoff, no-deal value, score and their percentiles among the AI runs."""
    out = {}
    for row in outcome["actors"]:
        actor = row["actor"]
        payoff, no_deal = float(row["payoff"]), float(row["walk_away"])
        score = payoff - no_deal
        ai_payoff, ai_score = sample[f"{actor}.payoff"], sample[f"{actor}.gain"]
        out[actor] = {
            "payoff": round(payoff, 4),
            "no_deal": round(no_deal, 4),
            "score": round(score, 4),
            "payoff_percentile": percentile(ai_payoff, payoff),
            "score_percentile": percentile(ai_score, score),
            "ai_mean_score": round(float(np.mean(ai_score)), 4),
        }
    return out


def promises(spec: Spec, outcome: dict) -> dict:
    """What was promised and what was delivered, and who paid for promises not kept."""
    kept = [
        {
            "issue": c["issue"],
            "giver": c["giver"],
            "kind": c["kind"],
            "promised": c["agreed_name"],
            "delivered": c["delivered_name"],
            "delivered_level": c["delivered"],
            "agreed_level": c["agreed"],
            "status": c["status"],
        }
        for c in outcome.get("commitments", [])
    ]
    overpaid = {row["actor"]: round(float(row["overpaid"]), 4) for row in outcome["actors"]}
    paid = [
        {"actor": a, "overpaid": overpaid.get(a, 0.0)} for a in outcome.get("paid_for_unkept", [])
    ]
    return {"commitments": kept, "paid_for_unkept": paid}


def same_seed_ai(spec: Spec, seed: int) -> dict:
    """The AIs alone with the room's seed: the same draws, the same rules, no humans."""
    from summit.model import SummitModel

    model = SummitModel(spec, seed)
    outcome = model.run()
    return {
        "deal": outcome.deal,
        "end_reason": outcome.end_reason,
        "payoff": {row.actor: round(row.payoff, 4) for row in outcome.actors},
        "score": {row.actor: round(row.gain, 4) for row in outcome.actors},
    }


def reference_packages(spec: Spec, seed: int) -> dict[str, dict]:
    """The Nash and Kalai-Smorodinsky packages at the start of the seed's round 1."""
    from summit.analysis.negotiation import reference_points
    from summit.analysis.reference_text import short_package

    ref = reference_points(spec, seed)
    out: dict[str, dict] = {}
    for name in PACKAGES:
        sol = ref.solutions[name]
        if sol.index is None:
            out[name] = {"package": None}
            continue
        out[name] = {
            "package": short_package(spec, sol.levels, sol.sequencing),
            "levels": {
                spec.issue_ids[i]: spec.scenario.issues[i].levels[int(lv)]
                for i, lv in enumerate(sol.levels)
                if lv
            },
            "sequencing": SEQUENCINGS[int(sol.sequencing)],
            "utility": {a: round(float(sol.utility[k]), 4) for k, a in enumerate(spec.actor_ids)},
        }
    return out


def room_debrief(
    spec: Spec, room: Room, sample: dict[str, np.ndarray], *, references: bool = True
) -> dict:
    """Everything the debrief says about one room (JSON-ready)."""
    outcome = room.outcome
    agreed = {
        spec.issue_ids[i]: spec.scenario.issues[i].levels[int(outcome["agreed"][issue])]
        for i, issue in enumerate(spec.issue_ids)
        if outcome["agreed"].get(issue)
    }
    out = {
        "room": room.name,
        "seed": room.seed,
        "deal": bool(outcome["deal"]),
        "end_reason": outcome["end_reason"],
        "end_round": outcome["end_round"],
        "sequencing": outcome.get("sequencing"),
        "agreed": agreed,
        "ai_seats": list(room.ai_seats),
        "teams": teams(spec, outcome, sample),
        **promises(spec, outcome),
        "same_seed_ai": same_seed_ai(spec, room.seed),
    }
    if references:
        out["packages"] = reference_packages(spec, room.seed)
    return out


# --------------------------------------------------------------------------- a session


def ai_summary(spec: Spec, sample: dict[str, np.ndarray], seed: int) -> dict:
    deals = np.asarray(sample["deal"], dtype=bool)
    n = len(deals)
    unkept = {
        a: round(float(np.mean(sample[f"{a}.paid_for_unkept"][deals])), 4) if deals.any() else 0.0
        for a in spec.actor_ids
    }
    return {
        "runs": n,
        "seed": seed,
        "deal_rate": round(float(deals.mean()), 4),
        "deal_rate_95": wilson(int(deals.sum()), n),
        "paid_for_unkept_share": unkept,
    }


def session(spec: Spec, rooms: list[Room], sample: dict[str, np.ndarray], seed: int = 0) -> dict:
    """The debrief of a session's rooms, side by side, against one AI sample."""
    rows = [room_debrief(spec, room, sample) for room in rooms]
    side = {a: {r["room"]: r["teams"][a] for r in rows if a in r["teams"]} for a in spec.actor_ids}
    deals = sum(r["deal"] for r in rows)
    return {
        "scenario": spec.scenario.id,
        "ai": ai_summary(spec, sample, seed),
        "rooms": rows,
        "room_deal_rate": round(deals / len(rows), 4) if rows else None,
        "side_by_side": side,
    }


def debrief(
    spec: Spec,
    rooms: list[Room],
    runs: int = AI_RUNS,
    seed: int | None = None,
    jobs: int | None = 1,
) -> dict:
    """Simulate the AI sample (batch seed: ``seed``, else the first room's) and debrief."""
    seed = (rooms[0].seed if rooms else 0) if seed is None else seed
    return session(spec, rooms, ai_sample(spec, runs, seed, jobs), seed)


# --------------------------------------------------------------------------- words


def display_names(spec: Spec) -> dict[str, str]:
    """Actor and issue ids to their names, for ``render``."""
    return {
        **{a.id: a.name for a in spec.scenario.actors},
        **{i.id: i.name for i in spec.scenario.issues},
    }


def render(report: dict, names: dict[str, str] | None = None) -> str:
    """The debrief as Markdown: the AI baseline, the rooms side by side, then each room
    (``names``: actor and issue ids to names, see ``display_names``)."""
    names = names or {}
    ai = report["ai"]
    low, high = ai["deal_rate_95"]
    lines = [
        f"# Debrief: {report['scenario']}",
        "",
        f"The AIs alone, {ai['runs']:,} summits: a deal in {ai['deal_rate']:.1%} "
        f"(95% {low:.1%} to {high:.1%}).",
        "",
    ]
    rooms = report["rooms"]
    if rooms:
        lines += [
            "## Scores side by side",
            "",
            "Score: payoff minus the no-deal value; in brackets, its percentile among the "
            "AI summits.",
            "",
            "| team | " + " | ".join(r["room"] for r in rooms) + " |",
            "|---|" + "---:|" * len(rooms),
        ]
        for actor, by_room in report["side_by_side"].items():
            cells = [
                f"{by_room[r['room']]['score']:+.3f} ({by_room[r['room']]['score_percentile']:.0f})"
                if r["room"] in by_room
                else "–"
                for r in rooms
            ]
            lines.append(f"| {names.get(actor, actor)} | " + " | ".join(cells) + " |")
        lines.append("| deal | " + " | ".join("yes" if r["deal"] else "no" for r in rooms) + " |")
    for r in rooms:
        lines += ["", *room_lines(r, names)]
    return "\n".join(lines) + "\n"


def room_lines(r: dict, names: dict[str, str]) -> list[str]:
    def who(a: str) -> str:
        return names.get(a, a)

    ended = "a deal" if r["deal"] else f"no deal ({r['end_reason']})"
    lines = [f"## Room {r['room']} (seed {r['seed']}): {ended} in round {r['end_round']}", ""]
    if r["agreed"]:
        lines += [
            "Agreed: "
            + "; ".join(f"{who(k)}: {v}" for k, v in r["agreed"].items())
            + f" ({r['sequencing']}).",
            "",
        ]
    lines += [
        "| team | payoff | no deal | score | payoff pct | score pct | AIs, same seed |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    alone = r["same_seed_ai"]["score"]
    for actor, t in r["teams"].items():
        mark = " (AI)" if actor in r["ai_seats"] else ""
        lines.append(
            f"| {who(actor)}{mark} | {t['payoff']:.3f} | {t['no_deal']:.3f} | "
            f"{t['score']:+.3f} | {t['payoff_percentile']:.0f} | {t['score_percentile']:.0f} | "
            f"{alone.get(actor, float('nan')):+.3f} |"
        )
    if r["commitments"]:
        lines += ["", "Promised and delivered:"]
        lines += [
            f"- {who(c['giver'])}, {who(c['issue'])}: promised '{c['promised']}', delivered "
            f"'{c['delivered']}' ({c['status']})"
            for c in r["commitments"]
        ]
    if r["paid_for_unkept"]:
        lines += [
            "",
            "Paid for promises not kept: "
            + ", ".join(
                f"{who(p['actor'])} ({p['overpaid']:.0%} of its payment)"
                for p in r["paid_for_unkept"]
            ),
        ]
    for name, pkg in r.get("packages", {}).items():
        lines += [
            "",
            f"{name} package: "
            f"{pkg['package'] or 'none (no package leaves every party above its walk-away value)'}",
        ]
    return lines
