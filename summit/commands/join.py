"""`summit join URL CODE [--ai [--ai-delay S]]`: take a seat (or the instructor console, or the
projector view) in a class run by `summit host`."""

from __future__ import annotations

from summit.errors import UsageError


def register(sub) -> None:
    p = sub.add_parser(
        "join",
        help="join a class: a seat, the instructor console or the projector",
        description="Join a class server with the code `summit host` printed.",
    )
    p.add_argument("url", help="the server's address, as `summit host` printed it (ws://HOST:PORT)")
    p.add_argument("code", help="a seat, instructor or watch code")
    p.add_argument(
        "--ai",
        action="store_true",
        help="let the AI play this seat, headless; exits when the summit ends",
    )
    p.add_argument(
        "--ai-delay",
        type=float,
        default=0.0,
        metavar="SECONDS",
        help="with --ai: wait this long before each decision (default 0)",
    )
    p.set_defaults(handler=main)


def main(args) -> int:
    if args.ai_delay < 0:
        raise UsageError(f"--ai-delay must be 0 or more seconds (got {args.ai_delay:g})")
    if args.ai:
        return _ai(args)
    interactive = _interactive_client()
    if interactive is None:
        raise UsageError(
            "the interactive seat client is not installed in this build; "
            "use --ai for a headless AI seat"
        )
    return interactive(args)


def _ai(args) -> int:
    import asyncio

    from summit.net.ai_seat import play

    seat = asyncio.run(play(args.url, args.code, args.ai_delay))
    outcome = seat.ended.outcome if seat.ended else {}
    print(
        f"summit: the summit is over ({outcome.get('end_reason', 'ended')}); "
        f"this seat let the AI make {seat.decisions} decisions"
    )
    return 0


def _interactive_client():
    """The Textual seat client's entry point, main(args) -> int (client branch), or None."""
    try:
        from summit.tui.remote import join_main
    except ImportError:
        return None
    return join_main
