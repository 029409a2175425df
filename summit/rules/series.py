"""A history of summits: what one summit's observers learnt becomes the next summit's prior.

Beliefs are kept per pair of actors, ``belief[run, observer, giver]`` (rules.credibility). A
series may change scenario from one summit to the next (2013 → 2017 → 2018 → 2019): actors are
matched by id, and every (observer, giver) pair present in both summits carries its posterior
over; a pair the earlier summit did not have keeps the later scenario's own prior (which its
author set from the record known then). Scenarios are otherwise independent: parameters other
than beliefs are drawn from the later summit's own seed.
"""

from __future__ import annotations

import numpy as np

from summit.params import sample_params
from summit.scenario import Spec


def carried_beliefs(before: Spec, belief: np.ndarray, after: Spec, prior: np.ndarray) -> np.ndarray:
    """``prior`` (R, A', A') of the later summit with every pair both summits share replaced by
    ``belief`` (R, A, A), the earlier summit's posterior.

    >>> class S:  # two scenarios' actor lists are all this needs
    ...     def __init__(self, ids): self.actor_ids = ids
    >>> belief = np.array([[[1.0, 0.3], [0.6, 1.0]]])        # us, russia
    >>> prior = np.full((1, 3, 3), 0.5)                       # russia, iran, us
    >>> carried_beliefs(S(["us", "russia"]), belief, S(["russia", "iran", "us"]), prior)[0]
    array([[1. , 0.5, 0.6],
           [0.5, 0.5, 0.5],
           [0.3, 0.5, 1. ]])
    """
    out = np.array(prior, dtype=float, copy=True)
    shared = [a for a in after.actor_ids if a in before.actor_ids]
    at_after = [after.actor_ids.index(a) for a in shared]
    at_before = [before.actor_ids.index(a) for a in shared]
    for o_after, o_before in zip(at_after, at_before, strict=True):
        out[:, o_after, at_after] = belief[:, o_before, at_before]
    return out


def next_summit_params(spec: Spec, seeds, belief: np.ndarray, before: Spec | None = None) -> dict:
    """Parameters of the next summit of a series (scenario ``spec``): drawn from its own seeds,
    with the beliefs the previous summit (scenario ``before``, default the same) ended with:
    the posterior of one is the prior of the next."""
    params = sample_params(spec, np.asarray(seeds, dtype=np.int64))
    return dict(params, belief=carried_beliefs(before or spec, belief, spec, params["belief"]))
