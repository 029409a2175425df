"""Sample each run's parameters from its own seed: arrays with a leading run axis.

``sample_params(spec, seeds)`` gives ``{"capability": (R, A), "willingness": (R, A, I), ...}``.
Run r's draw for a parameter is a function of (seeds[r], the parameter's name) only, so a run
sampled alone or among a million others gets the same values.
"""

from __future__ import annotations

import numpy as np
from scipy import special

from summit import overrides, rng
from summit.scenario import Distribution, Spec


def inverse_cdf(dist: Distribution, u: np.ndarray) -> np.ndarray:
    """Map uniforms u in [0, 1) to draws of ``dist`` by its inverse CDF (one uniform per draw).

    >>> d = Distribution(uniform=(0.2, 0.6))
    >>> inverse_cdf(d, np.array([0.0, 0.5])).tolist()
    [0.2, 0.4]
    """
    kind = dist.kind
    if kind == "uniform":
        lo, hi = dist.uniform
        return lo + (hi - lo) * u
    if kind == "triangular":
        lo, mode, hi = dist.triangular
        cut = (mode - lo) / (hi - lo)
        left = lo + np.sqrt(u * (hi - lo) * (mode - lo))
        right = hi - np.sqrt((1 - u) * (hi - lo) * (hi - mode))
        return np.where(u < cut, left, right)
    if kind == "normal":
        mu, sd = dist.normal
        lo, hi = dist.within
        a, b = special.ndtr((lo - mu) / sd), special.ndtr((hi - mu) / sd)
        x = mu + sd * special.ndtri(a + u * (b - a))
        return np.clip(x, lo, hi)
    if kind == "beta":
        lo, hi = dist.scale or (0.0, 1.0)
        return lo + (hi - lo) * special.betaincinv(dist.beta[0], dist.beta[1], u)
    weights = np.asarray(dist.weights or [1.0] * len(dist.choice), dtype=float)
    edges = np.cumsum(weights / weights.sum())
    pick = np.minimum(np.searchsorted(edges, u, side="right"), len(dist.choice) - 1)
    return np.asarray(dist.choice, dtype=float)[pick]


def sample_params(spec: Spec, seeds: np.ndarray) -> dict[str, np.ndarray]:
    """Every parameter of every run: fixed values broadcast, distributions drawn per run."""
    seeds = np.asarray(seeds, dtype=np.int64)
    R = len(seeds)
    out = {name: np.zeros((R, *shape)) for name, shape in spec.shapes.items()}
    for slot in spec.slots:
        column = out[slot.target.array]
        if isinstance(slot.value, Distribution):
            u = rng.uniform(seeds.astype(np.uint64), rng.SAMPLE, rng.name_key(slot.name))
            column[(slice(None), *slot.target.index)] = inverse_cdf(slot.value, u)
        else:
            column[(slice(None), *slot.target.index)] = float(slot.value)
    return out


def sampled_schema(spec: Spec) -> dict[str, np.dtype]:
    """The columns of ``sampled_columns`` with their dtype (every parameter is a float)."""
    return {slot.name: np.dtype(np.float64) for slot in spec.sampled_slots()}


def sampled_columns(spec: Spec, params: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """The drawn (not fixed) parameters as named columns, for batch tables and replays."""
    return {
        slot.name: params[slot.target.array][(slice(None), *slot.target.index)]
        for slot in spec.sampled_slots()
    }


def override(
    spec: Spec, params: dict[str, np.ndarray], values: dict[str, float | np.ndarray]
) -> dict[str, np.ndarray]:
    """Parameters with some set by name ('russia.capability', 'tie.russia.iran', the group
    'russia.willingness', ...; see summit.overrides) for every run (a float) or per run (an (R,)
    array). Used by maps and sensitivity analyses. Unknown names raise UsageError listing what is
    valid."""
    out = dict(params)
    for name, value in values.items():
        for target in overrides.targets(spec, name):  # a tie's two directions, a group's members
            lo, hi = target.bounds
            arr = out[target.array].copy()
            arr[(slice(None), *target.index)] = np.clip(value, lo, hi)
            out[target.array] = arr
    return out


def parameter_names(spec: Spec) -> list[str]:
    """Every parameter a map or sensitivity analysis can set (one name per slot, mirrors merged;
    an actor's belief in its own promises is always 1 and is left out)."""
    own_belief = {f"{a}.belief.{a}" for a in spec.actor_ids}
    return list(dict.fromkeys(slot.name for slot in spec.slots if slot.name not in own_belief))
