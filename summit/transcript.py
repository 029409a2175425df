"""A game's records in words: the transcript `summit run` prints and the TUI exports.

Plain text (and Markdown, for export), built only from records: no rule is computed here.
"""

from __future__ import annotations

from summit.records import GameHeader, OutcomeRecord, RoundRecord, term_text
from summit.scenario import Spec
from summit.stats import percent

VERBS = {
    "accept": "accepts",
    "reject": "rejects",
    "support": "supports",
    "oppose": "opposes",
    "comply": "complies",
    "resist": "resists",
    "proposes": "proposes",
}
SEQUENCING_WORDS = {
    "on_promise": "on promise: concessions are paid when the deal is signed",
    "after_verified": "after verified action: concessions are paid only for what is delivered",
}


def name_of(spec: Spec, actor_id: str) -> str:
    return spec.scenario.actor(actor_id).name


def proposes(spec: Spec, proposer: str) -> str:
    """Who puts the round's text on the table: a proposer's own offer, or under the single
    negotiating text the mediator's draft that the actor in turn tables."""
    if spec.rules.protocol == "single_text":
        return f"{name_of(spec, proposer)} tables the mediator's text"
    return f"{name_of(spec, proposer)} proposes"


def offer_heading(spec: Spec, proposer: str) -> str:
    if spec.rules.protocol == "single_text":
        return f"The mediator's text, tabled by {name_of(spec, proposer)}"
    return f"Offer by {name_of(spec, proposer)}"


def header_lines(spec: Spec, header: GameHeader) -> list[str]:
    sc = spec.scenario
    table = [a.name for a in sc.actors if a.id in sc.summit.table]
    away = [a.name for a in sc.actors if a.id not in sc.summit.table]
    lines = [
        f"{sc.summit.title}  (seed {header.seed})",
        sc.summit.description,
        f"At the table: {', '.join(table)}."
        + (f"  Away from it: {', '.join(away)}." if away else "")
        + f"  Deadline: {sc.summit.deadline} rounds.",
    ]
    if header.humans:
        lines.append(
            "Played by humans: " + ", ".join(name_of(spec, h) for h in header.humans) + "."
        )
    if spec.settings:
        lines.append(f"Set before play: {', '.join(spec.settings)}.")
    if header.parameters:
        drawn = ", ".join(f"{k} {v:.2f}" for k, v in header.parameters.items())
        lines.append(f"Drawn for this run: {drawn}.")
    return lines


def offer_lines(spec: Spec, offer) -> list[str]:
    return [
        f"{offer_heading(spec, offer.proposer)} ({SEQUENCING_WORDS[offer.sequencing]}):",
        *giver_lines(spec, [(t.giver, t.text) for t in offer.terms]),
    ]


def package_terms(spec: Spec, levels) -> list[tuple[str, str]]:
    """A package's terms (issues above the status quo) as (giver, words)."""
    return [
        (spec.actor_ids[spec.giver[i]], term_text(spec, i, int(lv)))
        for i, lv in enumerate(levels)
        if int(lv) > 0
    ]


def giver_lines(spec: Spec, terms: list[tuple[str, str]]) -> list[str]:
    """One line per giver: what it would give in this package."""
    lines: list[str] = []
    givers: dict[str, list[str]] = {}
    for giver, text in terms:
        givers.setdefault(giver, []).append(text)
    if not givers:
        lines.append("  nothing: every issue stays as it is")
    for giver, texts in givers.items():
        lines.append(f"  {name_of(spec, giver)} would {'; '.join(texts)}")
    return lines


def round_lines(spec: Spec, rec: RoundRecord) -> list[str]:
    lines = [f"--- Round {rec.round} of {spec.deadline}: {proposes(spec, rec.proposer)} ---"]
    for ev in rec.events:
        lines.append(f"{event_label(ev)}: {ev.text}")
    lines += offer_lines(spec, rec.offer)
    for resp in rec.responses:
        if resp.decision == "proposes":
            continue
        who = name_of(spec, resp.actor) + (" (human)" if resp.by_human else "")
        if resp.role == "proposes":  # the actor tabling a mediator's text answers it too
            who += ", tabling it,"
        lines.append(f"  {who} {VERBS[resp.decision]}: {resp.reason}")
    for so in rec.side_offers:
        refused = "" if so.taken else f" ({name_of(spec, so.to)} refuses it)"
        lines.append(
            f"Side offer, {name_of(spec, so.by)} to {name_of(spec, so.to)}: {so.text}{refused}"
        )
    for actor in rec.walkouts:
        lines.append(f"{name_of(spec, actor)} walks out: it sees no deal worth more than leaving.")
    if rec.deal:
        lines.append("DEAL: every committing actor accepts.")
    elif rec.ended == "deadline":
        lines.append("No deal, and the deadline has come: the summit ends without agreement.")
    elif rec.ended == "walkout":
        lines.append("The summit ends without agreement.")
    elif rec.ended == "breakdown":
        lines.append("No deal, and the talks break down: the summit ends without agreement.")
    else:
        lines.append("No deal yet.")
    return lines


def _z(x: float) -> float:
    """Rounded to two places without a negative zero ("-0.00" reads as a loss)."""
    return round(float(x), 2) + 0.0


def implementation_lines(spec: Spec, out: OutcomeRecord) -> list[str]:
    if not out.deal:
        return []
    lines = [f"--- Implementation ({out.sequencing.replace('_', ' ')}) ---"]
    for c in sorted(out.commitments, key=lambda c: c.kind != "action"):
        issue = spec.scenario.issue(c.issue)
        verb = "tries to" if c.kind == "action" else "is to"
        odds = f"odds {percent(c.odds_full)} in full, {percent(c.odds_some)} at least in part"
        got = c.status + (
            ""
            if c.status.endswith("fully") or c.status.endswith("full") or c.delivered == 0
            else f" ({c.delivered_name})"
        )
        what = issue.phrases[c.agreed] if issue.phrases else issue.levels[c.agreed]
        lines.append(f"  {name_of(spec, c.giver)} {verb} {what}: {odds} -> {got}")
    return lines


def nash_lines(spec: Spec, nash: dict | None) -> list[str]:
    """How far the deal lies from the Nash bargaining solution (``nash``: distance, package)."""
    if not nash:
        return []
    if nash.get("package") is None:
        return [
            "Nash bargaining solution: none (no package leaves every negotiator better off "
            "than walking away)."
        ]
    where = (
        "the deal is that package"
        if nash["distance"] < 1e-9
        else f"the deal lies {nash['distance']:.2f} from it (distance between the actors' worths)"
    )
    if "levels" not in nash:
        return [f"Nash bargaining solution ({nash['package']}): {where}."]
    words = SEQUENCING_WORDS[nash["sequencing"]].split(":")[0]
    return (
        [
            f"Nash bargaining solution (the package that best serves every negotiator together), "
            f"{words}:"
        ]
        + [f"  {line.strip()}" for line in giver_lines(spec, package_terms(spec, nash["levels"]))]
        + [f"  {where}."]
    )


def outcome_lines(spec: Spec, out: OutcomeRecord, nash: dict | None = None) -> list[str]:
    lines = ["--- Outcome ---"]
    if out.deal:
        lines.append(
            f"A deal in round {out.end_round}, sequenced {out.sequencing.replace('_', ' ')}."
        )
    elif out.end_reason == "walkout":
        lines.append(
            f"No deal: {name_of(spec, out.walked_out)} walked out in round {out.end_round}."
        )
    elif out.end_reason == "breakdown":
        lines.append(f"No deal: the talks broke down after round {out.end_round}.")
    else:
        lines.append(f"No deal by the deadline (round {out.end_round}).")
    if out.deal:
        for c in out.commitments:  # whole words, never cut to a column
            part = "" if c.delivered == int(c.delivered) else f" ({c.delivered:.2f})"
            lines.append(
                f"{spec.scenario.issue(c.issue).name}: agreed '{c.agreed_name}', "
                f"delivered '{c.delivered_name}'{part}"
            )
    lines.append("")
    lines.append(
        f"{'actor':16} {'payoff':>7} {'walk-away':>9} {'gain':>6} {'paid':>6} {'got':>6} "
        f"{'presence':>8} {'influence':>9} {'credibility':>14}"
    )
    for a in out.actors:
        cred = f"{a.credibility_before:.2f}->{a.credibility_after:.2f}"
        lines.append(
            f"{name_of(spec, a.actor)[:16]:16} {_z(a.payoff):7.2f} {_z(a.walk_away):9.2f} "
            f"{_z(a.gain):+6.2f} {_z(a.paid):6.2f} {_z(a.got):6.2f} {_z(a.presence):8.2f} "
            f"{_z(a.influence):9.2f} {cred:>14}"
        )
    presence = [
        a
        for a in out.actors
        if any(i.presence and i.presence.actor == a.actor for i in spec.scenario.issues)
    ]
    for a in presence if out.deal else ():  # without a deal nothing was withdrawn
        lines.append(
            f"{name_of(spec, a.actor)}: military presence {percent(a.presence)} of before; "
            f"influence {percent(a.influence)} (entrenched roots survive withdrawal)."
        )
    if out.paid_for_unkept:
        for actor in out.paid_for_unkept:
            a = next(x for x in out.actors if x.actor == actor)
            lines.append(
                f"{name_of(spec, actor)} paid for promises not kept: {percent(a.overpaid)} "
                "of its payment bought nothing that was delivered."
            )
    elif out.deal:
        lines.append("Nobody paid for a promise that was not kept.")
    if out.deal:
        lines += nash_lines(spec, nash)
    return lines


def transcript(
    spec: Spec,
    header: GameHeader,
    rounds: list[RoundRecord],
    outcome: OutcomeRecord | None,
    nash: dict | None = None,
) -> str:
    lines = header_lines(spec, header) + [""]
    for rec in rounds:
        lines += round_lines(spec, rec) + [""]
    if outcome is not None:
        lines += implementation_lines(spec, outcome)
        lines += [""] + outcome_lines(spec, outcome, nash)
    return "\n".join(lines) + "\n"


def markdown(
    spec: Spec,
    header: GameHeader,
    rounds: list[RoundRecord],
    outcome: OutcomeRecord | None,
    nash: dict | None = None,
) -> str:
    """The transcript as Markdown, for handing in or sharing after class: the seed in the header,
    an offer's terms nested under it, the outcome as tables whose cells are never cut."""
    out = [
        f"# {spec.scenario.summit.title}",
        "",
        f"Seed {header.seed}.",
        "",
        *header_lines(spec, header)[1:],
        "",
    ]
    for rec in rounds:
        out += [f"## Round {rec.round}: {proposes(spec, rec.proposer)}", ""]
        offer = offer_lines(spec, rec.offer)
        for line in round_lines(spec, rec)[1:]:  # an offer's terms nest under it; answers do not
            out.append(
                _bullet(line if line.strip() in offer[1:] or line == offer[0] else line.strip())
            )
        out.append("")
    if outcome is not None:
        impl = implementation_lines(spec, outcome)
        if impl:
            out += ["## Implementation", ""] + [_bullet(line) for line in impl[1:]] + [""]
        out += ["## Outcome", "", *outcome_markdown(spec, outcome, nash)]
    return "\n".join(out)


def _bullet(line: str) -> str:
    """A transcript line as a Markdown bullet, nested as deep as the line is indented."""
    depth = (len(line) - len(line.lstrip())) // 2
    return "  " * depth + "- " + line.strip()


def outcome_markdown(spec: Spec, out: OutcomeRecord, nash: dict | None) -> list[str]:
    lines = outcome_lines(spec, out, nash)
    md = [lines[1], ""]
    if out.deal:
        md += ["| issue | agreed | delivered |", "|---|---|---|"]
        md += [
            f"| {spec.scenario.issue(c.issue).name} | {c.agreed_name} | {c.delivered_name} |"
            for c in out.commitments
        ] + [""]
    md += [
        "| actor | payoff | walk-away | gain | paid | got | presence | influence | credibility |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for a in out.actors:
        md.append(
            f"| {name_of(spec, a.actor)} | {_z(a.payoff):.2f} | {_z(a.walk_away):.2f} | "
            f"{_z(a.gain):+.2f} | {_z(a.paid):.2f} | {_z(a.got):.2f} | {_z(a.presence):.2f} | "
            f"{_z(a.influence):.2f} | {a.credibility_before:.2f} → {a.credibility_after:.2f} |"
        )
    notes = lines[lines.index("") + 2 + len(out.actors) :]
    return md + [""] + [_bullet(line) for line in notes] + [""]


def event_label(ev) -> str:
    """'Statement' for a public statement (rules.moves), 'Event' for the others."""
    return "Statement" if ev.id.startswith("statement:") else "Event"
