"""`summit brief SCENARIO --as ACTOR [--seed N] [--out FILE]`: a seat's brief to hand out."""

from __future__ import annotations

import sys
from pathlib import Path

from summit.errors import UsageError, seed_arg


def register(sub) -> None:
    p = sub.add_parser(
        "brief",
        help="write one seat's brief (Markdown and PDF) for a class",
        description="A seat's brief for the preparation phase: goals, red lines, what "
        "it can give, what only it knows and its values. With --seed, the "
        "values of that game (as `summit host --seed` plays it); without, "
        "typical values. --out FILE.md also writes FILE.pdf; --out "
        "FILE.pdf writes only the PDF; without --out, Markdown to stdout.",
    )
    p.add_argument("scenario", help="a scenario file, or a scenario name from scenarios/")
    p.add_argument(
        "--as", dest="actor", required=True, metavar="ACTOR", help="the seat's actor (id or name)"
    )
    p.add_argument("--seed", type=seed_arg, help="the game's seed (default: typical values)")
    p.add_argument(
        "--out", type=Path, metavar="FILE", help="write FILE.md and FILE.pdf, or FILE.pdf"
    )
    p.set_defaults(handler=main)


def actor_id(spec, who: str, path) -> str:
    by_key = {a.id.lower(): a.id for a in spec.scenario.actors}
    by_key |= {a.name.lower(): a.id for a in spec.scenario.actors}
    found = by_key.get(who.strip().lower())
    if found is None:
        raise UsageError(
            f"unknown actor '{who}' in --as (actors in {Path(path).stem}: "
            f"{', '.join(spec.actor_ids)})"
        )
    return found


def main(args) -> int:
    from summit.briefs import markdown, seat_brief, write_pdf
    from summit.catalog import resolve
    from summit.scenario import load_spec

    path = resolve(args.scenario)
    spec = load_spec(path)
    text = markdown(seat_brief(spec, actor_id(spec, args.actor, path), args.seed))
    if args.out is None:
        sys.stdout.write(text)
        return 0
    out = args.out
    if out.suffix.lower() not in (".md", ".pdf"):
        raise UsageError(f"--out {out}: the file must end in .md or .pdf")
    try:
        written = []
        if out.suffix.lower() == ".md":
            out.write_text(text, encoding="utf-8")
            written.append(out)
        pdf = out.with_suffix(".pdf")
        write_pdf(text, pdf)
        written.append(pdf)
    except OSError as err:
        raise UsageError(f"--out {out}: cannot write ({err.strerror or err})") from None
    print("wrote " + " and ".join(str(p) for p in written))
    return 0
