"""Playing a run: the session, its scorer and its save file, without any user interface.

Shared by every front end (the Textual app, the plain-text player `trainer.plain`), so it imports neither
textual nor spaCy at import time: the scorer is loaded on first use (`ScorerHolder.get()`), in a worker
thread by the app, so that the first screen paints before spaCy is imported.
"""

from __future__ import annotations

import dataclasses
import threading
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, Protocol

from trainer.practice.replies import ReplyGate, ReplyProblem, unscorable
from trainer.scoring.api import Assessment

if TYPE_CHECKING:  # the engine and the scenario models are imported when a run starts: start-up time
    from trainer.debrief.model import Debrief
    from trainer.history.store import HistoryStore
    from trainer.scenario.engine import RunState, Step
    from trainer.scenario.schema import Scenario

Mode = Literal["coach", "practice"]
MODES: tuple[Mode, ...] = ("coach", "practice")

MAX_DRAFT = 100_000
"""The longest draft kept with a run, in characters (a reply is scored on its first 5,000)."""

#: How each ending outcome is named to the learner: the app's end screen and the plain player.
OUTCOME_LABELS: dict[str, str] = {
    "built": "The relationship was built",
    "partial": "Partly there",
    "broke_down": "The conversation broke down",
    "boundary_crossed": "A professional boundary was crossed",
}


def outcome_label(outcome: str, risk_pending: bool = False) -> str:
    """The ending's outcome as the learner reads it (OUTCOME_LABELS). A run that leaves a disclosure of risk
    not acted on never reads as a near success ("Partly there"): "A risk was not acted on" instead of a
    built or partial outcome, added to the others."""
    from trainer.debrief.model import with_risk  # not at start-up: this is read once, at an ending

    label = OUTCOME_LABELS.get(outcome, outcome)
    return with_risk(label, outcome, "A risk was not acted on") if risk_pending else label


class ScorerLike(Protocol):
    """What the player needs from `trainer.scoring.scorer.Scorer` (a fake in snapshot tests)."""

    def assess(self, text: str, context: str | None = None, cues: Any = None) -> Assessment: ...

    def compile_cues(self, cues: Mapping[str, Any]) -> Any: ...


class ScorerUnavailable(RuntimeError):
    """The scorer could not be loaded; the message says why and what to do."""


def _load_real_scorer() -> ScorerLike:
    # Imported here, not at the top: spaCy takes a second or two to import.
    from trainer.scoring.scorer import Scorer

    return Scorer.load()


class ScorerHolder:
    """Loads the scorer once, on first use, from whichever thread asks first; others wait for it.

    Also keeps each scenario's compiled cues, so they are compiled once per scenario.
    """

    def __init__(self, factory: Callable[[], ScorerLike] | None = None) -> None:
        self._factory = factory or _load_real_scorer
        self._lock = threading.Lock()
        self._scorer: ScorerLike | None = None
        self._error: str | None = None
        self._cues: dict[str, Any] = {}

    @property
    def ready(self) -> bool:
        """True once the scorer has loaded."""
        return self._scorer is not None

    @property
    def error(self) -> str | None:
        """Why loading failed, if it did."""
        return self._error

    def get(self) -> ScorerLike:
        """The scorer, loading it if needed (blocks while another thread loads it).

        Raises: ScorerUnavailable with a learner-readable message when it cannot be loaded.
        """
        with self._lock:
            if self._scorer is not None:
                return self._scorer
            if self._error is not None:
                raise ScorerUnavailable(self._error)
            try:
                self._scorer = self._factory()
            except Exception as error:  # any failure to load is reported, never a crash
                self._error = (
                    f"The scorer could not be loaded ({type(error).__name__}: {error}). Replies can't be "
                    "scored until it is fixed: run `make model`, or reinstall with `make run`."
                )
                raise ScorerUnavailable(self._error) from error
            return self._scorer

    def assess(self, text: str, context: str | None, scenario_id: str, scenario: Scenario) -> Assessment:
        """Score one reply with the scenario's cues (compiled on first use; a cue that does not compile
        is skipped rather than stopping the conversation - `trainer validate` reports it), less the cues
        the reply names only to refuse (`trainer.scenario.negation`)."""
        scorer = self.get()
        if scenario_id not in self._cues:
            try:
                self._cues[scenario_id] = scorer.compile_cues(scenario.cues) if scenario.cues else None
            except Exception:
                self._cues[scenario_id] = None
        assessment = scorer.assess(text, context=context, cues=self._cues[scenario_id])
        # A cue said only to be refused ("I won't hug you") is not heard, as the engine will judge it too:
        # the coach note must not read the reply as the act it refused.
        from trainer.scenario.negation import heard

        kept = heard(scenario.cues, text, assessment.cues)
        return assessment if kept == assessment.cues else dataclasses.replace(assessment, cues=kept)


class PlayRun:
    """One run being played: the engine session plus saving after every turn."""

    def __init__(
        self,
        scenario: Scenario,
        scenario_id: str,
        *,
        state: RunState | None = None,
        mode: Mode = "coach",
        save_dir: Path | None = None,
    ) -> None:
        """Start a run, or continue `state` (StateError from the engine when it does not fit). The mode is
        kept in the run's state, so a resumed run goes on in the same mode (`saved_mode`)."""
        from trainer.scenario.engine import Session

        self.scenario = scenario
        self.scenario_id = scenario_id
        self.mode: Mode = mode
        self.save_dir = save_dir
        self.session = Session(scenario, scenario_id, state, mode=mode)
        self.save_error: str | None = None
        """Why the last save failed, if it did (the run goes on; the next turn tries again)."""
        self.draft: str = getattr(self.session.state, "draft", "") or ""
        """The reply being typed, kept with the run when it is saved (`RunState.draft`)."""
        self._gate = ReplyGate()

    @property
    def state(self) -> RunState:
        """The run's state (a copy), with the draft being typed; a finished run keeps no draft."""
        state = self.session.state
        state.draft = "" if state.finished else self.draft[:MAX_DRAFT]
        return state

    @property
    def run_id(self) -> str:
        return str(getattr(self.session.state, "run_id", ""))

    @property
    def finished(self) -> bool:
        return self.session.finished

    @property
    def risk_pending(self) -> bool:
        """Whether a disclosure of risk met in this run has not been acted on in full (RiskProgress)."""
        return bool(self.session.risk_progress().pending)

    @property
    def learner_turns(self) -> int:
        """How many replies the learner has made so far."""
        return sum(1 for t in self.session.state.transcript if t.speaker == "learner")

    def current(self) -> Step:
        return self.session.current()

    def context(self) -> str | None:
        """The service user's line the learner is answering: the scorer's context."""
        from trainer.scenario.engine import Prompt

        step = self.session.current()
        return step.line if isinstance(step, Prompt) else None

    def reply_problem(self, text: str) -> ReplyProblem | None:
        """Why this typed reply cannot be sent now (empty, no words, or longer than the scorer reads and
        not yet sent twice: `trainer.practice.replies`), else None. Every front end asks before scoring
        a typed reply, tells the student the message and keeps the text; the run is unchanged."""
        return self._gate.check(text)

    def submit(
        self, text: str, assessment: Assessment | Mapping[str, Any], option: int | None = None
    ) -> Step:
        """Record the reply, move on and save. EngineError (nothing changed) when the engine refuses, or
        when a typed reply has no words (`reply_problem` says so before scoring; this is the backstop)."""
        problem = unscorable(text) if option is None and isinstance(text, str) else None
        if problem is not None:
            from trainer.scenario.engine import EngineError

            raise EngineError(problem.message)
        mapping = assessment.as_mapping() if isinstance(assessment, Assessment) else dict(assessment)
        step = self.session.submit(text, mapping, option)
        self.save()
        return step

    def save(self) -> Path | None:
        """Save the run atomically; on failure remember why (shown to the learner) and return None."""
        from trainer.scenario.saves import save_run

        try:
            path = save_run(self.state, self.save_dir)
        except OSError as error:
            self.save_error = f"Could not save this session ({error}). Check the disk and permissions."
            return None
        self.save_error = None
        return path


def saved_mode(state: RunState | None) -> Mode | None:
    """The mode a saved run was played in, or None when it was saved without one (or with one this
    version does not know): the learner then chooses again."""
    mode = getattr(state, "mode", None)
    return mode if mode in MODES else None


def discard_stored_run(state: RunState, save_dir: Path | None, stored_on_disk: bool) -> str | None:
    """Remove a finished run's save file once the history has stored it on disk (`stored_on_disk`);
    otherwise (or for a run not finished) keep it, so a run is never lost. Returns a message when the
    file could not be removed (it is then only clutter: finished runs are not offered for resuming)."""
    if not stored_on_disk or not state.finished:
        return None
    from trainer.scenario.saves import RunNotFound, discard_run

    try:
        discard_run(state.run_id, save_dir)
    except RunNotFound:
        return None
    except OSError as error:
        return str(error)
    return None


def store_finished_run(
    store: HistoryStore, run: PlayRun, learner_name: str | None = None
) -> tuple[int | None, str | None, str | None]:
    """Save a run that has reached its ending to the history, as soon as it ends (so nothing is lost if
    the learner stops at the self-assessment), then remove its save file if the history is on disk.
    `learner_name` (from the learner's settings) is kept on the session, so that redacted exports remove
    it and `trainer cohort --names` can name the student; None keeps what the session has.

    Returns (the session id or None, why it was not saved to the history, why its save file was kept);
    the two messages are None when all went well. Shared by the app and the plain player.
    """
    from trainer.history.store import HistoryError

    try:
        session_id = store.save_session(run.state, scenario=run.scenario, learner_name=learner_name)
    except HistoryError as error:
        return None, str(error), None
    # In the history file now: the save file has done its job (kept if the history is in memory).
    # (getattr: the app's tests stand a bare namespace with a scenario and a state in for the run.)
    return session_id, None, discard_stored_run(run.state, getattr(run, "save_dir", None), store.persistent)


def store_ended_run(
    store: HistoryStore, run: PlayRun, learner_name: str | None = None
) -> tuple[int | None, str | None, str | None]:
    """`store_finished_run`, then the run's scores with no self-assessment yet: what the history holds
    for a session whose self-rating is still to come (quit at the self-assessment, or left at the
    ending), so `trainer history` shows its scores and opening it asks for the self-rating first.
    Returns what `store_finished_run` returns."""
    session_id, not_saved, kept = store_finished_run(store, run, learner_name)
    if session_id is not None:
        store_unrated(store, run, session_id)
    return session_id, not_saved, kept


def store_unrated(
    store: HistoryStore, run: PlayRun, session_id: int, learner_name: str | None = None
) -> str | None:
    """Save the stored run's scores with no self-assessment yet (`store_self_assessment` with none), for a
    session whose self-rating is still to come. Returns why it failed, if it did."""
    from trainer.debrief.compute import compute_debrief

    scored = compute_debrief(run.scenario, run.state, None, session_id=session_id)
    return store_self_assessment(store, run, session_id, None, scored, learner_name)


def store_ended_saves(
    store: HistoryStore, scenarios: Mapping[str, Scenario], ended: Sequence[Any],
    save_dir: Path | None = None, learner_name: str | None = None,
) -> tuple[list[tuple[int, str, str]], list[str]]:
    """Store the finished runs whose save file never reached the history (the student left at the ending
    in a version that did not store them, or the app stopped between the ending and the history), as
    `store_ended_run` does. `ended`: those runs as `list_saved` found them (the saves folder is not read
    again). `scenarios` maps scenario ids to the scenarios they were played in; a run of a scenario not
    there is left as it is (nothing is lost, and it is tried again next time).

    Returns ((session id, run id, scenario title) for each run stored, messages about runs not stored)."""
    from types import SimpleNamespace

    from trainer.scenario import saves

    stored: list[tuple[int, str, str]] = []
    problems: list[str] = []
    for saved in ended:
        scenario = scenarios.get(saved.scenario_id)
        if scenario is None:
            continue
        try:
            state = saves.load_run(saved.run_id, save_dir)
        except (LookupError, ValueError, OSError) as error:
            problems.append(str(error))
            continue
        run = SimpleNamespace(scenario=scenario, state=state, save_dir=save_dir)
        session_id, not_saved, _kept = store_ended_run(store, run, learner_name)  # type: ignore[arg-type]
        if session_id is None:
            problems.append(not_saved or "Could not save a finished session to your history.")
        else:
            stored.append((session_id, state.run_id, state.scenario_title))
    return stored, problems


def store_self_assessment(
    store: HistoryStore, run: PlayRun, session_id: int | None, self_assessment: Any, debrief: Debrief,
    learner_name: str | None = None,
) -> str | None:
    """Save the run again, under the same run id, with its self-assessment, the debrief's scores and the
    learner's name (None keeps the stored one); nothing to do when the run itself was not saved
    (`session_id` None). Returns why it failed, if it did."""
    if session_id is None:
        return None
    from trainer.history.store import HistoryError

    try:
        store.save_session(
            run.state,
            scenario=run.scenario,
            self_assessment=self_assessment,
            scores=debrief.session_scores(),
            learner_name=learner_name,
        )
    except HistoryError as error:
        return str(error)
    return None


def list_sessions(save_dir: Path | None = None) -> tuple[list[Any], list[str]]:
    """Unfinished runs (newest first) and learner-readable messages about any corrupt save that
    `trainer.scenario.saves` set aside. Never raises for a bad save file."""
    runs, _ended, problems = list_saved(save_dir)
    return runs, problems


def list_saved(save_dir: Path | None = None) -> tuple[list[Any], list[Any], list[str]]:
    """`list_sessions`, and the finished runs still in a save file (not in the history yet: see
    `store_ended_saves`), from one reading of the saves folder."""
    from trainer.scenario import saves

    try:
        result = saves.list_runs(save_dir)
    except OSError as error:
        return [], [], [f"Could not read your saved sessions: {error}"]
    runs = list(getattr(result, "runs", result))
    problems = [_describe(p) for p in getattr(result, "problems", [])]
    return [r for r in runs if not r.finished], [r for r in runs if r.finished], problems


def _describe(item: Any) -> str:
    fmt = getattr(item, "format", None)
    return str(fmt()) if callable(fmt) else str(item)
