"""Responses to an offer: who must answer, and how.

Roles: the proposer; actors that commit to something in the package (their acceptance is
required for a deal); other actors at the table (their support or opposition is on record);
actors away from the table whom the package would push (they comply or resist, which matters
when the deal is implemented). Everyone else is not involved.
"""

from __future__ import annotations

import numpy as np

from summit.rules import package_kernels
from summit.rules.kernels import AFTER_VERIFIED
from summit.rules.offers import must_agree

PROPOSES, COMMITS, AT_TABLE, AFFECTED, UNINVOLVED = 0, 1, 2, 3, 4
ROLE_NAMES = ("proposes", "commits", "at the table", "affected", "not involved")


def roles(spec, levels: np.ndarray, proposer: int) -> np.ndarray:
    """Each actor's role in an offer: (R, A) ints."""
    commits = must_agree(spec, levels, proposer)  # (R, A)
    # (R, A): resisters of some issue the package moves (a count of such issues, above 0)
    pushed = (levels > 0).astype(float) @ (spec.resist > 0).astype(float) > 0
    role = np.full(commits.shape, UNINVOLVED)
    role = np.where(pushed, AFFECTED, role)
    role = np.where(spec.at_table[None], AT_TABLE, role)
    role = np.where(commits, COMMITS, role)
    role[:, proposer] = PROPOSES
    return role


def face_value(spec, w: np.ndarray, levels: np.ndarray) -> np.ndarray:
    """Utility of a package (R, I) to every actor if it were carried out in full: (R, A)."""
    out = np.empty((len(levels), spec.n_actors))
    return package_kernels.face_value(  # issue by issue: a fixed order of addition
        np.ascontiguousarray(w, dtype=float),
        spec.values,
        np.ascontiguousarray(levels, dtype=np.int64),
        out,
    )


def crossed(spec, levels: np.ndarray, sequencing: np.ndarray) -> np.ndarray:
    """Which actors' red lines (``limits``) packages cross: (..., A) from levels (..., I) and
    sequencing (...)."""
    shape = levels.shape[:-1]
    out = np.zeros((int(np.prod(shape)), spec.n_actors), dtype=bool)
    if spec.limits:
        actor, issue, at_most, unless, _ = zip(*spec.limits, strict=True)
        package_kernels.crossed(
            np.ascontiguousarray(levels, dtype=np.int64).reshape(-1, levels.shape[-1]),
            np.ascontiguousarray(np.broadcast_to(sequencing, shape), dtype=np.int64).ravel(),
            np.array(actor, dtype=np.int64),
            np.array(issue, dtype=np.int64),
            np.array(at_most, dtype=np.int64),
            np.array(unless, dtype=np.bool_),
            AFTER_VERIFIED,
            out,
        )
    return out.reshape((*shape, spec.n_actors))


def crossed_text(spec, levels: np.ndarray, sequencing: int, actor: int) -> str | None:
    """The first of an actor's red lines one package (I,) crosses, or None."""
    for who, issue, at_most, unless_after_verified, text in spec.limits:
        if (
            who == actor
            and levels[issue] > at_most
            and not (unless_after_verified and sequencing == AFTER_VERIFIED)
        ):
            return text
    return None


def answer(
    role: np.ndarray,
    utility: np.ndarray,
    face: np.ndarray,
    threshold: np.ndarray,
    walk_away: np.ndarray,
    crossing: np.ndarray | None = None,
) -> np.ndarray:
    """True = accept (or support, or comply). Negotiators weigh the offer's expected value against
    their current aspiration. An actor the deal would push judges it at face value, as if it were
    carried out: it complies only if that leaves it no worse than its walk-away value. An AI
    proposer stands by its offer only if it is worth its walk-away value to it (it may have
    offered its favourite without meeting its aspiration). Nobody goes along with a package
    that crosses one of its own red lines (``crossing`` (R, A))."""
    at_the_table = utility >= threshold - 1e-12
    off_table = face >= walk_away - 1e-12
    yes = np.where(role == AFFECTED, off_table, at_the_table)
    yes = np.where(role == PROPOSES, utility >= walk_away - 1e-12, yes)
    return yes if crossing is None else yes & ~crossing


def tabler_answers(spec, by_human: bool) -> bool:
    """Whether the actor tabling an offer answers it like the others: under the single
    negotiating text the mediator's draft is nobody's own (a human's own offer still stands)."""
    return spec.rules.protocol == "single_text" and not by_human


def deal_formed(role: np.ndarray, accept: np.ndarray) -> np.ndarray:
    """A deal forms when an actor other than the proposer commits to something and every
    actor that must agree (offers.must_agree: the committing actors and the proposer, whose
    roles say so) accepts. A package in which only the proposer gives is a unilateral
    gesture, not a deal."""
    required = (role == COMMITS) | (role == PROPOSES)
    anyone_commits = (role == COMMITS).any(axis=1)
    return anyone_commits & (accept | ~required).all(axis=1)
