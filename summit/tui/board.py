"""The public face of a scenario: what every seat at the table may know about it.

A ``Board`` holds the actors' names, the issues and their levels, the deadline, the sequencings,
the settings played with, and the range the scenario draws each private parameter from (a
stated value gives no range: it stays its actor's). It has no drawn value, no actor's private
brief and no utility. The screens read it where they once read the compiled ``Spec``, so the
same screens draw a game in this process (``Board.of(spec)``) and a seat of a class server (the
server sends ``Board.of(spec).to_dict()`` in its welcome). It answers the members of ``Spec``
the transcript's words use (``scenario.issue``, ``actor_ids``, ``giver``, ...), so those words
are shared too. No Textual here, and no rule.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

from summit.scenario import Distribution, Spec


@dataclass(frozen=True)
class Presence:
    actor: str  # whose military presence the issue moves


@dataclass(frozen=True)
class BoardActor:
    id: str
    name: str


@dataclass(frozen=True)
class BoardIssue:
    id: str
    name: str
    giver: str
    kind: str
    levels: list[str]
    phrases: list[str] | None = None
    presence: Presence | None = None


@dataclass(frozen=True)
class BoardSummit:
    title: str
    description: str
    briefing: str
    table: list[str]
    deadline: int


@dataclass(frozen=True)
class BoardScenario:
    id: str
    summit: BoardSummit
    actors: list[BoardActor]
    issues: list[BoardIssue]

    def actor(self, actor_id: str) -> BoardActor:
        return next(a for a in self.actors if a.id == actor_id)

    def issue(self, issue_id: str) -> BoardIssue:
        return next(i for i in self.issues if i.id == issue_id)


@dataclass(frozen=True)
class BoardRules:
    protocol: str = "alternating"  # how offers are tabled: public, like the deadline


@dataclass(frozen=True)
class Board:
    scenario: BoardScenario
    sequencings: list[int]  # codes into summit.scenario.SEQUENCINGS
    settings: list[str] = field(default_factory=list)
    priors: dict[str, list[float]] = field(default_factory=dict)  # "array:i,j" -> [low, high]
    rules: BoardRules = field(default_factory=BoardRules)

    # ------------------------------------------------------------------ as Spec names them
    @property
    def actor_ids(self) -> tuple[str, ...]:
        return tuple(a.id for a in self.scenario.actors)

    @property
    def issue_ids(self) -> tuple[str, ...]:
        return tuple(i.id for i in self.scenario.issues)

    @property
    def n_issues(self) -> int:
        return len(self.scenario.issues)

    @property
    def giver(self) -> tuple[int, ...]:
        return tuple(self.actor_ids.index(i.giver) for i in self.scenario.issues)

    @property
    def deadline(self) -> int:
        return self.scenario.summit.deadline

    def at_table(self, actor: str) -> bool:
        return actor in self.scenario.summit.table

    def prior(self, array: str, *index: int) -> tuple[float, float] | None:
        """The range the scenario draws ``array[index]`` from; None for a stated value."""
        got = self.priors.get(f"{array}:{','.join(map(str, index))}")
        return None if got is None else (got[0], got[1])

    # ------------------------------------------------------------------ making and sending
    @classmethod
    def of(cls, spec: Spec) -> Board:
        sc = spec.scenario
        priors = {
            f"{s.target.array}:{','.join(map(str, s.target.index))}": list(s.value.support())
            for s in spec.slots
            if isinstance(s.value, Distribution)
        }
        return cls(
            BoardScenario(
                sc.id,
                BoardSummit(
                    sc.summit.title,
                    sc.summit.description,
                    sc.summit.briefing,
                    list(sc.summit.table),
                    int(spec.deadline),
                ),
                [BoardActor(a.id, a.name) for a in sc.actors],
                [
                    BoardIssue(
                        i.id,
                        i.name,
                        i.giver,
                        i.kind,
                        list(i.levels),
                        list(i.phrases) if i.phrases else None,
                        Presence(i.presence.actor) if i.presence else None,
                    )
                    for i in sc.issues
                ],
            ),
            [int(k) for k in spec.sequencings],
            list(spec.settings),
            priors,
            BoardRules(spec.rules.protocol),
        )

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> Board:
        sc = data["scenario"]
        issues = [
            BoardIssue(
                **{**i, "presence": Presence(**i["presence"]) if i.get("presence") else None}
            )
            for i in sc["issues"]
        ]
        return cls(
            BoardScenario(
                sc["id"],
                BoardSummit(**sc["summit"]),
                [BoardActor(**a) for a in sc["actors"]],
                issues,
            ),
            list(data["sequencings"]),
            list(data.get("settings", [])),
            {k: list(v) for k, v in data.get("priors", {}).items()},
            BoardRules(**data.get("rules", {})),
        )
