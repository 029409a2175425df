"""The actors of a summit as mesa agents.

An agent is a view of one actor's row in the run's arrays plus who decides for it: the AI
(the rules' own decision) or a human, whose decisions arrive through the model and are checked
by the rules. Agents hold no parameters of their own, so there is one source of truth.
"""

from __future__ import annotations

import mesa

from summit.rules.credibility import standing
from summit.rules.utility import giver_willingness


class ActorAgent(mesa.Agent):
    """One actor: the US, Israel, Russia, Iran, the Assad regime, Hezbollah, or a scenario's own."""

    def __init__(self, model, index: int, human: bool = False):
        super().__init__(model)
        self.index = index
        self.human = human
        self.actor = model.spec.scenario.actors[index]

    @property
    def actor_id(self) -> str:
        return self.actor.id

    @property
    def name(self) -> str:
        return self.actor.name

    @property
    def at_table(self) -> bool:
        return bool(self.model.spec.at_table[self.index])

    def _param(self, name: str) -> float:
        return float(self.model.state.params[name][0, self.index])

    @property
    def capability(self) -> float:
        return self._param("capability")

    @property
    def strength(self) -> float:
        return self._param("strength")

    @property
    def entrenchment(self) -> float:
        return self._param("entrenchment")

    @property
    def walk_away(self) -> float:
        return self._param("walk_away")

    @property
    def credibility(self) -> float:
        """How far the other actors believe its promises (mean of their beliefs)."""
        return float(standing(self.model.state.params["belief"])[0, self.index])

    @property
    def willingness(self) -> dict[str, float]:
        spec = self.model.spec
        willing = giver_willingness(spec, self.model.state.params)[0]
        return {
            spec.issue_ids[i]: float(willing[i])
            for i in range(spec.n_issues)
            if spec.giver[i] == self.index
        }

    @property
    def offer_utility(self) -> float:
        """What the latest offer is worth to it (nan before the first offer)."""
        last = self.model.last_utility
        return float("nan") if last is None else float(last[0, self.index])

    def step(self) -> None:
        """Actors act through the round's phases (the model calls the rules for all at once)."""
