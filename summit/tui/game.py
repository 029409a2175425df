"""A game in progress for the TUI: the model, whose turn it is, the autosave.

No Textual here: this is the thin layer between the screens and ``SummitModel``. It drives the
model's phase API, hands human decisions to it unchanged and computes no rule itself. A save is
the game header plus the model's decision log; resuming replays the log.
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import os
import time
from collections.abc import Callable
from pathlib import Path

from summit import overrides
from summit.catalog import resolve
from summit.errors import UsageError, cause
from summit.model import NeedDecision, SummitModel
from summit.records import EventRecord, OfferRecord, OutcomeRecord, RoundRecord
from summit.rules.game import InvalidDecision, proposer_of
from summit.rules.walkout import walkout_offer
from summit.scenario import SEQUENCINGS, ScenarioError, load_spec
from summit.transcript import markdown, transcript
from summit.tui.board import Board
from summit.tui.move_turns import MoveTurns
from summit.tui.session import ActorNow, Decision, Turn, Update, Valuation

SAVE_KIND = "summit-save"


def plural(n: int, word: str) -> str:
    """'1 round', '2 rounds'."""
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def default_save_dir() -> Path:
    return Path(os.environ.get("SUMMIT_SAVE_DIR") or "saves")


def list_saves(folder: Path | None, limit: int = 20) -> list[tuple[Path, str]]:
    """Saved games in a folder, newest first, each with a line saying what it is."""
    if folder is None or not Path(folder).is_dir():
        return []
    files = sorted(Path(folder).glob("*.json"), key=lambda p: p.stat().st_mtime, reverse=True)[
        :limit
    ]
    out = []
    for path in files:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            header = data["game"]
            humans = ", ".join(header["humans"]) or "AIs only"
            out.append(
                (
                    path,
                    f"{header['scenario']} · seed {header['seed']} · {humans} · "
                    f"{plural(len(data['decision_log']), 'round')} played",
                )
            )
        except (OSError, ValueError, KeyError, TypeError):
            out.append((path, "not a readable save"))
    return out


class Game(MoveTurns):
    """The local game session: a SummitModel in this process. Screens use only the members
    of ``summit.tui.session.GameSession`` (a RemoteGame implements them too); the rest
    (``model``, ``spec``, ``state``, ``advance``) is for this module's callers and tests."""

    runs_here = True

    def __init__(self, model: SummitModel, save_path: Path | None = None):
        self.model = model
        self.spec = model.spec
        self.board = Board.of(model.spec)
        self.save_path = save_path
        self._listeners: list[Callable[[Update], None]] = []
        self._seat: str | None = None  # hot-seat: the human at the keyboard (look_as)
        self._answers: dict[str, bool] = {}
        self._walkouts: list[str] = []
        self._reset_moves()
        self.save_fault: str | None = None  # why autosave is off (None: it is on, or no folder)
        self.on_save_fault: Callable[[str], None] | None = None  # told once, from any thread

    # ------------------------------------------------------------------ starting
    @classmethod
    def new(
        cls,
        scenario: str | Path,
        seed: int,
        humans=(),
        save_dir: Path | None = None,
        settings: list[str] | tuple[str, ...] = (),
    ) -> Game:
        """A new game; ``settings`` are `NAME=VALUE` texts (summit.overrides), checked here."""
        spec = load_spec(resolve(str(scenario)).resolve())  # absolute: resumable anywhere
        model = SummitModel(overrides.with_settings(spec, settings), seed, list(humans))
        save_path = None
        if save_dir is not None:
            stamp = time.strftime("%Y%m%d-%H%M%S")
            save_path = Path(save_dir) / f"{model.spec.scenario.id}-seed{seed}-{stamp}.json"
        game = cls(model, save_path)
        game.save()
        return game

    @classmethod
    def load(cls, file: str | Path) -> Game:
        """Resume a save; any problem with it is a UsageError with a one-line reason."""
        file = Path(file)
        try:
            data = json.loads(file.read_text(encoding="utf-8"))
        except OSError as err:
            raise UsageError(f"cannot read save file {file}: {err.strerror or err}") from None
        except (UnicodeDecodeError, json.JSONDecodeError) as err:
            raise UsageError(f"{file} is not a summit save file (not JSON: {err})") from None
        try:
            header, log = data["game"], data["decision_log"]
            seed, humans = int(header["seed"]), [str(h) for h in header["humans"]]
            settings = [str(s) for s in header.get("settings", [])]
            if not isinstance(log, list):
                raise TypeError("decision_log is not a list")
        except (KeyError, TypeError, ValueError) as err:
            raise UsageError(f"{file} is not a summit save file (missing or bad {err})") from None
        path = Path(header.get("path") or "")
        try:
            spec = load_spec(path if path.is_file() else resolve(str(header.get("scenario", ""))))
            spec = overrides.with_settings(spec, settings)
            model = SummitModel(spec, seed, humans)
            model.replay(log)
        except (ScenarioError, UsageError) as err:
            raise UsageError(f"{file}: its scenario cannot be loaded ({err})") from None
        except (
            InvalidDecision,
            NeedDecision,
            RuntimeError,
            KeyError,
            TypeError,
            ValueError,
            IndexError,
            AttributeError,
        ) as err:
            raise UsageError(f"{file} is a corrupt save file: {err}") from None
        return cls(model, file)

    # -------------------------------------------------------- facts (the GameSession interface)
    @property
    def records(self) -> list[RoundRecord]:
        return self.model.records

    @property
    def outcome(self) -> OutcomeRecord | None:
        return self.model.outcome

    @property
    def done(self) -> bool:
        return self.model.done

    @property
    def round(self) -> int:
        return self.model.round

    @property
    def seed(self) -> int:
        return self.model.seed

    @property
    def state(self):
        """The rules' State of the game now (summit.rules.game.State), for records built from it."""
        return self.model.state

    @property
    def phase(self) -> str:
        return self.model.phase

    @property
    def current_offer(self) -> OfferRecord | None:
        return self.model.current_offer if self.model.phase == "answers" else None

    def next_proposer(self) -> str:
        """Who proposes in the next round (the rules' rotation)."""
        return self.spec.actor_ids[proposer_of(self.spec, self.model.round + 1)]

    def preview(self, levels: list[int], sequencing: int) -> dict[str, float]:
        """How every actor would value a package now (the rules' own judgement)."""
        return self.model.preview(levels, sequencing)

    def aspirations(self) -> dict[str, float]:
        return self.model.aspirations()

    def actor_now(self, actor: str) -> ActorNow:
        agent = self.model.actors_by_id[actor]
        return ActorNow(
            agent.capability,
            dict(agent.willingness),
            agent.credibility,
            agent.strength,
            agent.entrenchment,
            agent.walk_away,
        )

    def salience(self, actor: str) -> list[float]:
        return [
            float(x)
            for x in self.model.state.params["salience"][0, self.spec.actor_ids.index(actor)]
        ]

    def belief(self, observer: str, actor: str) -> float | None:
        """How far ``observer`` believes ``actor``'s promises now (None: not the viewer's)."""
        if not self.may_see(observer):
            return None
        ids = self.spec.actor_ids
        return float(self.model.state.params["belief"][0, ids.index(observer), ids.index(actor)])

    @property
    def humans(self) -> list[str]:
        return [self.spec.actor_ids[h] for h in self.model.humans]

    @property
    def hotseat(self) -> bool:
        return len(self.model.humans) > 1

    def name(self, actor: str) -> str:
        return self.spec.scenario.actor(actor).name

    def current_events(self) -> list[EventRecord]:
        """Events of the round being played: a human deciding mid-round should see them."""
        return self.model.current_events

    def last_levels(self) -> list[int]:
        """The last offer on the table (a starting point for a counter-offer), else the status
        quo."""
        if self.model.records:
            levels = self.model.records[-1].offer.levels
            return [int(levels[i]) for i in self.spec.issue_ids]
        return [0] * self.spec.n_issues

    def last_sequencing(self) -> int:
        """The last offer's sequencing (if this scenario allows it), else the first allowed."""
        if self.model.records:
            code = SEQUENCINGS.index(self.model.records[-1].offer.sequencing)
            if code in self.spec.sequencings:
                return code
        return self.spec.sequencings[0]

    def mid_round(self) -> bool:
        """A round has begun and not ended: quitting now loses its decisions (the save is made
        at the end of every round)."""
        return not self.model.done and self.model.phase != "idle"

    def delivery_odds(self, viewer: str, levels: list[int]) -> dict[int, float]:
        """For each promised term (issue index -> its level > 0), how likely ``viewer`` believes
        it is delivered at least that far, by the rules' own believed odds (no rule here)."""
        return self.model.delivery_odds(viewer, levels)

    # ------------------------------------------------- what the viewer may see (GameSession)
    @property
    def viewer(self) -> str | None:
        """Whose private numbers may be shown: the one human; in hot-seat the human at the
        keyboard (``look_as``), else nobody's; watching the AIs: None, and everyone's shown."""
        humans = self.humans
        return humans[0] if len(humans) == 1 else self._seat if humans else None

    def look_as(self, actor: str | None) -> None:
        """Hot-seat: ``actor``'s player has the keyboard now (None: the shared table)."""
        self._seat = actor

    def may_see(self, actor: str) -> bool:
        return not self.humans or actor == self.viewer

    def own(self, actor: str) -> ActorNow | None:
        return self.actor_now(actor) if self.may_see(actor) else None

    def aspiration(self, actor: str) -> float | None:
        return self.aspirations()[actor] if self.may_see(actor) else None

    async def valuation(self, actor: str, levels: list[int], sequencing: int) -> Valuation:
        """How a package looks to ``actor``'s player: every worth the viewer may see, and the
        delivery odds ``actor`` believes in."""
        worth = self.preview(list(levels), int(sequencing))
        odds = self.delivery_odds(actor, list(levels)) if self.may_see(actor) else {}
        return Valuation({a: v for a, v in worth.items() if self.may_see(a)}, odds)

    def brief(self, actor: str):
        """The actor's brief with its drawn values: for its own player (or when watching)."""
        from summit.briefs import seat_brief

        if not self.may_see(actor):
            raise ValueError(f"{actor}'s brief is for its own player")

        return seat_brief(self.spec, actor, self.model.seed, self.model.state)

    def simulated(self, runs: int) -> dict | None:
        """The scenario played ``runs`` times by the AIs alone (summit.batch), or None."""
        try:
            from summit.batch import simulate

            return simulate(self.spec, runs, seed=self.model.seed, jobs=1)
        except Exception:  # noqa: BLE001 - optional: no comparison beats a crash
            return None

    def waiting_text(self) -> str | None:
        return None

    # ------------------------------------------------------------------ turn flow (GameSession)
    def listen(self, callback: Callable[[Update], None]) -> None:
        self._listeners.append(callback)

    def _tell(self, update: Update) -> None:
        for callback in list(self._listeners):
            callback(update)

    def proceed(self, play_on: bool = False, each_round=None) -> Turn | None:
        """Run to the next human decision (the round's end, or with ``play_on`` the summit's)
        and say so to the listeners."""
        turn = self.play_on(each_round) if play_on else self.advance()
        self._tell(Update(turn))
        return turn

    def submit(self, decision: Decision) -> Turn | None:
        """Hand a human's decision to the model, then run to the next one."""
        if decision.move:
            self.move(decision.move, decision.actor, decision.value)
        elif decision.walk_out:
            self.walk_out(decision.actor)
        elif decision.levels is not None:
            self.offer(list(decision.levels), decision.sequencing)
        else:
            self.answer(decision.actor, bool(decision.accept))
        return self.proceed()

    # ------------------------------------------------------------------ playing
    def advance(self) -> Turn | None:
        """Run the model until a human must decide (returns the Turn) or the round ends (None)."""
        m = self.model
        if m.done:
            return None
        if m.phase == "idle":
            move = self._open_moves("idle")
            if move:
                return Turn(*move)
            m.begin_round(self._statements)
        if m.phase == "offer":
            waiting = m.waiting_for()
            if waiting:
                return Turn("offer", waiting[1][0])
            m.make_offer()
        if m.phase == "answers":
            todo = [a for a in m.humans_to_answer() if a not in self._answers]
            if todo:
                return Turn("answer", todo[0])
            move = self._open_moves("answers")
            if move:
                return Turn(*move)
            m.collect_answers(self._answers, self._efforts)
        move = self._open_moves("closing")
        if move:
            return Turn(*move)
        m.end_round(self._walkouts, self._side, self._side_answers)
        self._answers, self._walkouts = {}, []
        self._reset_moves()
        self.save()
        return None

    def play_on(self, each_round=None) -> Turn | None:
        """Advance round after round until a human must decide or the summit ends (or
        ``each_round()``, called after every round, returns False)."""
        while not self.model.done:
            turn = self.advance()
            if turn is not None:
                return turn
            if each_round is not None and each_round() is False:
                break
        return None

    def offer(self, levels: list[int], sequencing: int) -> None:
        self.model.make_offer((list(levels), int(sequencing)))

    def answer(self, actor: str, yes: bool) -> None:
        self._answers[actor] = bool(yes)

    def walk_out(self, actor: str) -> None:
        """A human leaves the summit; it takes effect when the round closes. A proposer who walks
        out leaves the rules' walk-out offer (summit.rules.walkout), which nobody is asked to
        answer."""
        m = self.model
        if m.phase == "offer":
            m.make_offer(walkout_offer(self.spec))
            self._answers.update({a: False for a in m.humans_to_answer()})
        if actor in m.humans_to_answer():  # a proposer is not asked about its own (empty) offer
            self._answers[actor] = False
        self._walkouts.append(actor)

    # ------------------------------------------------------------------ records
    def save(self) -> None:
        """Autosave. A save the machine refuses (no permission, disk full) turns autosave off
        and says so once, through ``on_save_fault``: the game itself plays on."""
        if self.save_path is None or self.save_fault is not None:
            return
        header = {**self.public_header().to_dict(), "settings": list(self.spec.settings)}
        data = {"kind": SAVE_KIND, "game": header, "decision_log": self.model.decision_log}
        tmp = self.save_path.with_suffix(".tmp")
        try:
            self.save_path.parent.mkdir(parents=True, exist_ok=True)
            tmp.write_text(json.dumps(data, indent=1), encoding="utf-8")
            tmp.replace(self.save_path)  # atomic: a crash never leaves half a save
        except OSError as err:
            with contextlib.suppress(OSError):
                tmp.unlink(missing_ok=True)
            self.save_fault = (
                f"Autosave is off: cannot write {self.save_path} ({cause(err)}). "
                "The game plays on; set --save-dir or SUMMIT_SAVE_DIR to save it."
            )
            if self.on_save_fault is not None:
                self.on_save_fault(self.save_fault)

    def nash(self) -> dict | None:
        """The deal against the Nash bargaining solution at the start of round 1 (None before
        the end or without a deal)."""
        if self.model.outcome is None:
            return None
        from summit.analysis.negotiation import deal_vs_nash

        return deal_vs_nash(self.spec, self.model.seed, self.model.outcome)

    def public_header(self):
        """The game header a seat may keep: with human players, no drawn parameters (the seed
        and settings replay them; the save is on a player's disk)."""
        header = self.model.header
        return dataclasses.replace(header, parameters={}) if self.humans else header

    def transcript(self) -> str:
        return transcript(
            self.spec, self.public_header(), self.model.records, self.model.outcome, self.nash()
        )

    def markdown(self) -> str:
        return markdown(
            self.spec, self.public_header(), self.model.records, self.model.outcome, self.nash()
        )

    def export_name(self) -> str:
        stem = (
            self.save_path.stem
            if self.save_path
            else f"{self.spec.scenario.id}-seed{self.model.seed}"
        )
        return f"{stem}.md"

    def export_markdown(self, folder: Path | None = None) -> Path:
        folder = (
            Path(folder) if folder else (self.save_path.parent if self.save_path else Path("."))
        )
        path = folder / self.export_name()
        folder.mkdir(parents=True, exist_ok=True)
        path.write_text(self.markdown(), encoding="utf-8")
        return path
