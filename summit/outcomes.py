"""Named outcomes of finished runs: the columns of a batch table and the axes of analyses.

``outcome_columns(spec, state, result)`` turns the rules' final arrays for R runs into flat
columns. Names are built from the scenario's own actor and issue ids, so any scenario works:

    deal, end_reason, end_round, walked_out, sequencing,
    agreed.<issue>, delivered.<issue>,                       (levels; delivered may be fractional)
    <actor>.payoff, <actor>.gain, <actor>.paid, <actor>.got, <actor>.overpaid, <actor>.paid_for_unkept,
    <actor>.credibility_before, <actor>.credibility_after, <actor>.broken_promises,
    <actor>_presence, <actor>_influence                      (for actors whose presence an issue moves)
"""

from __future__ import annotations

import numpy as np

from summit.rules.credibility import standing
from summit.scenario import Spec


def outcome_columns(spec: Spec, state, result: dict) -> dict[str, np.ndarray]:
    """``result["belief_before"]`` holds the beliefs as the talks ended, ``result["belief"]``
    those after the deal was carried out (or not)."""
    cols: dict[str, np.ndarray] = {
        "deal": result["deal"].astype(bool),
        "end_reason": state.end_reason.astype(np.int8),
        "end_round": state.end_round.astype(np.int16),
        "walked_out": state.walked_out.astype(np.int16),
        "sequencing": np.where(result["deal"], state.sequencing, -1).astype(np.int8),
    }
    for i, issue in enumerate(spec.issue_ids):
        cols[f"agreed.{issue}"] = result["levels"][:, i].astype(np.int8)
    for i, issue in enumerate(spec.issue_ids):
        cols[f"delivered.{issue}"] = result["position"][:, i]
    cred = standing(result["belief"])
    before = standing(result["belief_before"])
    for a, actor in enumerate(spec.actor_ids):
        cols[f"{actor}.payoff"] = result["payoff"][:, a]
        cols[f"{actor}.gain"] = result["payoff"][:, a] - state.params["no_deal"][:, a]
        cols[f"{actor}.paid"] = result["paid"][:, a]
        cols[f"{actor}.got"] = result["got"][:, a]
        cols[f"{actor}.overpaid"] = result["overpaid"][:, a]
        cols[f"{actor}.paid_for_unkept"] = result["overpaid"][:, a] > 0.005
        cols[f"{actor}.credibility_before"] = before[:, a]
        cols[f"{actor}.credibility_after"] = cred[:, a]
        cols[f"{actor}.broken_promises"] = result["price"][:, a]
    for a in sorted(set(int(k) for k in spec.presence_of if k >= 0)):
        actor = spec.actor_ids[a]
        cols[f"{actor}_presence"] = result["presence"][:, a]
        cols[f"{actor}_influence"] = result["influence"][:, a]
    return cols

