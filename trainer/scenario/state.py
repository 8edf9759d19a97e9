"""A run's state: the models that serialise to JSON (`RunState`, `TurnRecord`), what the learner sees
(`Prompt`, `OptionView`, `EndingReached`), the engine's errors, and reading a saved state back
(`parse_state`, and the checks that a saved state fits its scenario).

Split from the engine so the engine keeps to playing turns; the engine re-exports every public name.
Imports pydantic and trainer.scenario only.
"""

from __future__ import annotations

import json
import math
import uuid
import warnings
from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from trainer.scenario.schema import (
    BUILTIN_VARIABLES,
    SIGNALS,
    VARIABLE_MAX,
    VARIABLE_MIN,
    Ending,
    InputMode,
    Scenario,
)

Clock = Callable[[], datetime]
RUN_ID_PATTERN = r"^[A-Za-z0-9_-]{1,64}$"


class EngineError(ValueError):
    """A call the current state does not allow (reply after the end, unknown option, ...).

    Nothing has changed when it is raised.
    """


class StateError(ValueError):
    """Saved state that does not fit the scenario (unknown node, wrong scenario, corrupt JSON)."""


class ScenarioError(EngineError):
    """A scenario the engine cannot play safely (a goto to a missing node, an unknown variable, ...).

    The loader reports all of these with line numbers; the engine checks again so that a scenario built
    some other way can never take a run into a state that does not exist.
    """


class TurnRecord(BaseModel):
    """One line of the transcript."""

    model_config = ConfigDict(extra="forbid")

    speaker: Literal["service_user", "learner"]
    node: str
    """The node this line belongs to."""
    text: str
    name: str | None = Field(default=None, exclude_if=lambda name: name is None)
    """For a service-user line said by someone else (the node's or variant's `speaker`): who said it, e.g.
    "Minh (Lan's son)". None for the service user's own lines and for the learner's; left out of the JSON
    then, so a run without other speakers saves as it did before the field existed."""
    time: datetime
    """When it was said (UTC, timezone-aware)."""
    option: int | None = None
    """For a learner line picked from options: the option's 1-based number."""
    assessment: dict[str, Any] | None = None
    """For a learner line: the assessment submitted with it, as given."""
    rule: str | None = None
    """For a learner line: which rule moved the scenario on ("option 2", "response 1", "default")."""


class RunState(BaseModel):
    """Everything about one run. JSON round trip is exact."""

    model_config = ConfigDict(extra="forbid")

    format: Literal[1] = 1
    run_id: str = Field(default_factory=lambda: uuid.uuid4().hex, pattern=RUN_ID_PATTERN)
    """Names the run (and its save file); letters, digits, - and _ only."""
    scenario_id: str
    """The scenario file's stem, e.g. "first-home-visit"."""
    scenario_title: str
    node: str
    """The node now current (the one whose line the learner is answering, or the ending)."""
    variables: dict[str, int]
    transcript: list[TurnRecord] = Field(default_factory=list)
    finished: bool = False
    started_at: datetime
    updated_at: datetime
    mode: str | None = Field(default=None, max_length=32)
    """UI metadata, not used by the engine: how the learner chose to play ("coach" or "practice"), so a
    resumed run goes on the same way. None in saves written before it was kept (the UI then asks)."""
    draft: str = ""
    """UI metadata, not used by the engine: the reply the learner was typing when the run was saved, put
    back in the reply box on resume. Empty in saves written before it was kept, and once the run ends."""


class OptionView(BaseModel):
    """An authored option as the UI shows it: destination and availability, so a debrief can show the
    roads not taken."""

    number: int
    """1-based, as the learner picks it."""
    text: str
    available: bool
    goto: str | None


class Prompt(BaseModel):
    """The service user has spoken; the learner must answer."""

    kind: Literal["prompt"] = "prompt"
    node: str
    line: str
    """What the service user says, with variants applied."""
    name: str | None = None
    """Who says `line` when it is not the service user (the node's or variant's `speaker`), else None."""
    input_mode: InputMode
    options: list[OptionView]
    variables: dict[str, int]
    tip: str | None
    model_answers: list[str]
    expect: list[str]


class EndingReached(BaseModel):
    """The scenario is over."""

    kind: Literal["ending"] = "ending"
    node: str
    line: str
    name: str | None = None
    """Who says `line` when it is not the service user (the node's or variant's `speaker`), else None."""
    ending: Ending
    variables: dict[str, int]


Step = Prompt | EndingReached


def _json_copy(assessment: object) -> dict[str, Any]:
    """A deep, JSON-native copy of an assessment, so that what is stored is what a save reads back."""
    if not isinstance(assessment, Mapping):
        kind = type(assessment).__name__
        raise ValueError(f"it must be a mapping such as {{'scores': {{...}}, 'cues': [...]}}, not {kind}")
    try:
        encoded = json.dumps(dict(assessment), allow_nan=False, ensure_ascii=False)
        encoded.encode("utf-8")
    except (TypeError, ValueError, RecursionError) as exc:
        raise ValueError(f"it must be plain JSON data (numbers, text, lists, mappings): {exc}") from None
    result: dict[str, Any] = json.loads(encoded)
    return result


def _read_assessment(assessment: Mapping[str, Any]) -> tuple[dict[str, float], list[str]]:
    """The scores (clamped to 0-1) and cues the conditions test, from a JSON-native assessment."""
    raw_scores = assessment.get("scores", {})
    if raw_scores is None:
        raw_scores = {}
    if not isinstance(raw_scores, Mapping):
        raise ValueError(f"'scores' must be a mapping of signal to score, not {type(raw_scores).__name__}")
    scores: dict[str, float] = {}
    for name, value in raw_scores.items():
        if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
            if name in SIGNAL_NAMES:
                raise ValueError(f"the score for {name} must be a number from 0 to 1, not {value!r}")
            continue  # an extra entry the engine does not test; kept in the transcript as given
        scores[str(name)] = min(1.0, max(0.0, float(value)))
    raw_cues = assessment.get("cues", [])
    if raw_cues is None:
        raw_cues = []
    if not isinstance(raw_cues, list) or not all(isinstance(c, str) for c in raw_cues):
        raise ValueError(f"'cues' must be a list of cue ids, not {raw_cues!r:.80}")
    return scores, list(raw_cues)


def parse_state(data: str | bytes) -> RunState:
    """Read a saved run's JSON into a RunState (not yet checked against a scenario).

    Raises: StateError saying what is wrong when it is not valid JSON or not a run."""
    if not isinstance(data, str | bytes):
        raise StateError(f"A saved run must be JSON text, not {type(data).__name__}.")
    try:
        return RunState.model_validate_json(data)
    except ValidationError as exc:
        if any(e["loc"] == ("format",) for e in exc.errors()):
            raise StateError(
                "The saved run was written by another version of trainer (this version reads format 1); "
                "update trainer to resume it."
            ) from None
        raise StateError(f"The saved run is damaged or is not a run file: {_first_error(exc)}.") from None


def _first_error(exc: ValidationError) -> str:
    errors = exc.errors(include_url=False)
    first = errors[0]
    where = " > ".join(str(p) for p in first["loc"])
    more = f" (and {len(errors) - 1} more problems)" if len(errors) > 1 else ""
    return (f"{where}: " if where else "") + first["msg"] + more


def _checked_state(scenario: Scenario, scenario_id: str, state: RunState) -> RunState:
    """A private, validated copy of `state`, or StateError saying why it does not fit the scenario."""
    if not isinstance(state, RunState):
        raise StateError(f"A run state must be a RunState, not {type(state).__name__}.")
    try:
        # Re-validate from scratch: a RunState is mutable, so it may have been changed since it was built.
        # (Serialising a field set to the wrong type warns before validation refuses it: quiet that.)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            st = RunState.model_validate_json(state.model_dump_json())
    except (ValidationError, ValueError) as exc:
        detail = _first_error(exc) if isinstance(exc, ValidationError) else str(exc)
        raise StateError(f"The run state is not valid: {detail}.") from None
    nodes = scenario.nodes
    edited = " (the scenario may have been edited since this run was saved)"
    if st.scenario_id != scenario_id:
        raise StateError(f"This run belongs to the scenario '{st.scenario_id}', not '{scenario_id}'.")
    if st.node not in nodes:
        raise StateError(f"The run is at the node '{st.node}', which '{scenario_id}' does not have{edited}.")
    known = scenario.initial_variables()
    unknown = sorted(set(st.variables) - set(known))
    if unknown:
        names = ", ".join(unknown)
        raise StateError(f"The run has variables '{scenario_id}' does not have: {names}{edited}.")
    # A variable the scenario gained since the save starts at its initial value.
    variables = {**known, **st.variables}
    for name in BUILTIN_VARIABLES:
        if not VARIABLE_MIN <= variables[name] <= VARIABLE_MAX:
            value = variables[name]
            raise StateError(f"The run has {name} = {value}, outside {VARIABLE_MIN}-{VARIABLE_MAX}.")
    is_ending = nodes[st.node].ending is not None
    if st.finished != is_ending:
        raise StateError(
            f"The run is marked {'finished' if st.finished else 'unfinished'} but the node '{st.node}' "
            f"{'is not' if st.finished else 'is'} an ending."
        )
    for label, when in (("started_at", st.started_at), ("updated_at", st.updated_at)):
        if when.tzinfo is None:
            raise StateError(f"The run's {label} has no time zone.")
    _check_transcript(scenario, st)
    if variables != st.variables:
        st = st.model_copy(update={"variables": variables})
    return st


def _check_transcript(scenario: Scenario, st: RunState) -> None:
    transcript = st.transcript
    if not transcript:
        raise StateError("The run's transcript is empty: it must start with the service user's first line.")
    for i, rec in enumerate(transcript):
        where = f"Transcript line {i + 1}"
        expected = "service_user" if i % 2 == 0 else "learner"
        if rec.speaker != expected:
            speaker = rec.speaker.replace("_", " ")
            raise StateError(
                f"{where} is by the {speaker}; the speakers must alternate, starting with the service user."
            )
        if rec.node not in scenario.nodes:
            raise StateError(f"{where} is at the node '{rec.node}', which the scenario does not have.")
        if rec.time.tzinfo is None:
            raise StateError(f"{where} has a time with no time zone.")
        if rec.speaker == "service_user":
            if rec.option is not None or rec.assessment is not None or rec.rule is not None:
                raise StateError(f"{where} is the service user's but carries an option, assessment or rule.")
            if i + 1 < len(transcript) and scenario.nodes[rec.node].ending is not None:
                raise StateError(f"{where} is at the ending '{rec.node}', but the transcript goes on.")
            continue
        if rec.node != transcript[i - 1].node:
            before = transcript[i - 1].node
            raise StateError(f"{where} answers the node '{rec.node}' but follows a line at '{before}'.")
        if rec.assessment is None or not rec.rule:
            raise StateError(f"{where} is the learner's but has no assessment or rule.")
        if rec.name is not None:
            raise StateError(f"{where} is the learner's but names another speaker ('{rec.name}').")
        try:
            _read_assessment(_json_copy(rec.assessment))
        except ValueError as exc:
            raise StateError(f"{where} has an unusable assessment: {exc}.") from None
        if rec.option is not None and not 1 <= rec.option <= len(scenario.nodes[rec.node].options):
            raise StateError(f"{where} picked option {rec.option}, which the node '{rec.node}' lacks.")
    if transcript[-1].speaker != "service_user" or transcript[-1].node != st.node:
        raise StateError(f"The transcript must end with the service user's line at the node '{st.node}'.")


SIGNAL_NAMES = frozenset(SIGNALS)
