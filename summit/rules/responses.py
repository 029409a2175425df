"""Responses to an offer: who must answer, and how.

Roles: the proposer; actors that commit to something in the package (their acceptance is
required for a deal); other actors at the table (their support or opposition is on record);
actors away from the table whom the package would push (they comply or resist, which matters
when the deal is implemented). Everyone else is not involved.
"""

from __future__ import annotations

import numpy as np

from summit.rules.offers import committing

PROPOSES, COMMITS, AT_TABLE, AFFECTED, UNINVOLVED = 0, 1, 2, 3, 4
ROLE_NAMES = ("proposes", "commits", "at the table", "affected", "not involved")


def roles(spec, levels: np.ndarray, proposer: int) -> np.ndarray:
    """Each actor's role in an offer: (R, A) ints."""
    commits = committing(spec, levels)                                       # (R, A)
    pushed = ((levels > 0)[:, :, None] & (spec.resist[None] > 0)).any(axis=1)  # (R, A)
    role = np.full(commits.shape, UNINVOLVED)
    role = np.where(pushed, AFFECTED, role)
    role = np.where(spec.at_table[None], AT_TABLE, role)
    role = np.where(commits, COMMITS, role)
    role[:, proposer] = PROPOSES
    return role


def face_value(spec, w: np.ndarray, levels: np.ndarray) -> np.ndarray:
    """Utility of a package (R, I) to every actor if it were carried out in full: (R, A)."""
    total = np.zeros((len(levels), spec.n_actors))
    for i in range(spec.n_issues):          # issue by issue: a fixed order of addition
        total = total + w[:, :, i] * spec.values[:, i, :][:, levels[:, i]].T
    return total


def answer(role: np.ndarray, utility: np.ndarray, face: np.ndarray, threshold: np.ndarray,
           walk_away: np.ndarray) -> np.ndarray:
    """True = accept (or support, or comply). Negotiators weigh the offer's expected value against
    their current aspiration. An actor the deal would push judges it at face value, as if it were
    carried out: it complies only if that leaves it no worse than its walk-away value. An AI
    proposer stands by its offer only if it is worth its walk-away value to it (it may have
    offered its favourite without meeting its aspiration)."""
    at_the_table = utility >= threshold - 1e-12
    off_table = face >= walk_away - 1e-12
    yes = np.where(role == AFFECTED, off_table, at_the_table)
    return np.where(role == PROPOSES, utility >= walk_away - 1e-12, yes)


def deal_formed(role: np.ndarray, accept: np.ndarray) -> np.ndarray:
    """A deal forms when an actor other than the proposer commits to something and every
    committing actor accepts. A package in which only the proposer gives is a unilateral
    gesture, not a deal."""
    required = (role == COMMITS) | (role == PROPOSES)
    anyone_commits = (role == COMMITS).any(axis=1)
    return anyone_commits & (accept | ~required).all(axis=1)
