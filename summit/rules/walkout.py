"""Walking out, as a rule: what a proposer who leaves puts on the table.

A proposer who walks out puts nothing on the table: the status quo (level 0 of every issue)
under the first sequencing the scenario allows, which nobody needs to accept. Front ends
(the TUI, a class server) call this rather than building the empty offer themselves.
"""

from __future__ import annotations

from summit.scenario import Spec


def walkout_offer(spec: Spec) -> tuple[list[int], int]:
    """The offer a proposer who walks out leaves: (levels, sequencing).

    >>> from summit.scenario import load_spec
    >>> walkout_offer(load_spec("scenarios/three-powers.toml"))[0]
    [0, 0]
    """
    return [0] * spec.n_issues, spec.sequencings[0]
