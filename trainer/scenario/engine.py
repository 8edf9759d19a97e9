"""The session engine: plays a scenario turn by turn, with no user interface and no scorer.

A pull API in the manner of ink and Yarn Spinner: ask the session what happens now (`current()`: a
`Prompt` for the learner, or an `EndingReached`), answer it (`submit(text, assessment, option=None)`),
ask again. The assessment is a plain mapping produced elsewhere (by `trainer.scoring`):

    {"scores": {"empathy": 0.81, "sympathy": 0.1, ...}, "cues": ["mentions_school"], ...}

Missing signals count as 0; extra keys are kept in the transcript untouched (e.g. "evidence").
Scores above 1 or below 0 count as 1 or 0; a score that is not a number (NaN, text) is refused.

Variants and option availability are decided when a node is reached, on the run's variables and on the
reply that led there (its scores and cues; none at the start), and then stay fixed for that node.
Effects add to variables; trust and distress stay within 0-10, an author's own variables are not
bounded (the author chose their meaning).

All run state lives in one pydantic object, `RunState`, that serialises to JSON and back identically,
so a run can be saved after every turn and resumed (`Session.to_json()` / `Session.from_json()`).
The state can only be changed through `submit()`, which checks everything before it changes anything.

Used by the TUI, the plain-text player, rehearsals and the debrief.
"""

from __future__ import annotations

import json
import math
import uuid
import warnings
from collections.abc import Callable, Collection, Iterator, Mapping
from datetime import UTC, datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from trainer.scenario.conditions import ConditionError, describe, evaluate, subconditions
from trainer.scenario.schema import (
    BUILTIN_VARIABLES,
    SIGNALS,
    VARIABLE_MAX,
    VARIABLE_MIN,
    Condition,
    Ending,
    InputMode,
    Node,
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
    ending: Ending
    variables: dict[str, int]


Step = Prompt | EndingReached


class Session:
    """One learner playing one scenario.

    Pass `clock` (a function returning the current time) to control timestamps in tests; the default is
    the system clock in UTC. Whatever the clock returns is stored in UTC.
    """

    def __init__(
        self,
        scenario: Scenario,
        scenario_id: str,
        state: RunState | None = None,
        *,
        clock: Clock | None = None,
        mode: str | None = None,
    ) -> None:
        """Start a new run (state=None) or continue a saved one (checked against the scenario:
        StateError if it does not fit). ScenarioError when the scenario itself cannot be played.

        `mode`, when given, is recorded in the state (`RunState.mode`, UI metadata the engine ignores);
        when None a resumed run keeps the mode it was saved with."""
        if mode is not None and not (isinstance(mode, str) and 0 < len(mode) <= 32):
            raise EngineError(f"A run's mode must be a short name such as 'coach', not {mode!r}.")
        problems = playability_problems(scenario)
        if problems:
            raise ScenarioError("This scenario cannot be played: " + "; ".join(problems) + ".")
        self._scenario = scenario
        self._scenario_id = scenario_id
        self._clock: Clock = clock or _system_clock
        if state is None:
            now = self._now()
            variables = scenario.initial_variables()
            start = scenario.start
            first_line = self._line(start, variables, {}, ())
            self._state = RunState(
                scenario_id=scenario_id,
                scenario_title=scenario.title,
                node=start,
                variables=variables,
                transcript=[TurnRecord(speaker="service_user", node=start, text=first_line, time=now)],
                finished=scenario.nodes[start].ending is not None,
                started_at=now,
                updated_at=now,
                mode=mode,
            )
        else:
            self._state = _checked_state(scenario, scenario_id, state)
            if mode is not None:
                self._state = self._state.model_copy(update={"mode": mode})

    # --- reading the run -----------------------------------------------------------------------------

    @property
    def state(self) -> RunState:
        """A deep copy of the run state: changing it does not change the session."""
        return self._state.model_copy(deep=True)

    @property
    def finished(self) -> bool:
        """True once an ending has been reached; `submit()` then refuses further replies."""
        return self._state.finished

    @property
    def run_id(self) -> str:
        """The run's id, which also names its save file."""
        return self._state.run_id

    @property
    def scenario(self) -> Scenario:
        """The scenario being played (immutable)."""
        return self._scenario

    @property
    def scenario_id(self) -> str:
        return self._scenario_id

    def current(self) -> Step:
        """What happens now: the learner's prompt, or the ending."""
        st = self._state
        node = self._scenario.nodes[st.node]
        # The line was resolved (variants applied) when the node was reached and recorded then; repeat
        # it rather than resolve again, so what is shown always matches the transcript.
        line = st.transcript[-1].text
        variables = dict(st.variables)
        if st.finished:
            assert node.ending is not None  # _checked_state and submit() keep finished == (ending node)
            return EndingReached(node=st.node, line=line, ending=node.ending, variables=variables)
        scores, cues = self._arrival_context()
        options: list[OptionView] = []
        if node.input_mode is not InputMode.free:
            options = [
                OptionView(
                    number=i,
                    text=opt.say,
                    available=self._holds(opt.if_, scores, cues, st.variables),
                    goto=opt.goto,
                )
                for i, opt in enumerate(node.options, 1)
            ]
        return Prompt(
            node=st.node,
            line=line,
            input_mode=_effective_mode(node, options),
            options=options,
            variables=variables,
            tip=node.tip,
            model_answers=list(node.model_answers),
            expect=list(node.expect),
        )

    # --- moving on -----------------------------------------------------------------------------------

    def submit(self, text: str, assessment: Mapping[str, Any], option: int | None = None) -> Step:
        """Record the learner's reply with its assessment and move on.

        Args:
            text: what the learner said (for an option, its text). Stored as given: evidence offsets in
                the assessment point into it.
            assessment: {"scores": {signal: 0-1}, "cues": [ids], ...any extra keys kept}. It must be
                plain JSON data (it is saved); it is stored as a copy.
            option: the 1-based number of the option picked, or None for free text.
        Returns: the next step.
        Raises: EngineError (nothing changed) when the run is finished, the reply is empty, the option
            does not exist or is unavailable, the input mode does not allow it, or the assessment is
            unusable (not a mapping, a score that is not a number, not JSON data).

        An option with a `goto` goes there, applying its effects. An option without one, and a typed
        reply, go through the node's `responses` in order (the first whose condition holds on this reply
        and the variables as they were before it), else `default`; an option's own effects are added to
        the rule's. Trust and distress stay within 0-10.
        """
        st = self._state
        if st.finished:
            raise EngineError("The conversation has ended: there is nothing left to reply to.")
        if not isinstance(text, str):
            raise EngineError(f"The reply must be text, not {type(text).__name__}.")
        if not text.strip():
            raise EngineError("The reply is empty: type what you would say, or pick an option.")
        try:
            text.encode("utf-8")
        except UnicodeEncodeError:
            raise EngineError(
                "The reply contains characters that cannot be saved (invalid Unicode); retype it."
            ) from None
        try:
            stored = _json_copy(assessment)
            scores, cues = _read_assessment(stored)
        except ValueError as exc:
            raise EngineError(f"The reply's assessment cannot be used: {exc}") from None

        node = self._scenario.nodes[st.node]
        here = self.current()
        assert isinstance(here, Prompt)
        chosen = None
        if option is None:
            if here.input_mode is InputMode.options:
                raise EngineError("This moment takes one of the options: pick one by its number.")
        else:
            if isinstance(option, bool) or not isinstance(option, int):
                raise EngineError(f"The option must be a whole number, not {option!r}.")
            if here.input_mode is InputMode.free:
                raise EngineError("This moment takes a typed reply, not an option.")
            if not 1 <= option <= len(node.options):
                count = len(node.options)
                raise EngineError(f"There is no option {option}: pick a number from 1 to {count}.")
            if not here.options[option - 1].available:
                raise EngineError(f"Option {option} is not available at this moment.")
            chosen = node.options[option - 1]

        effects: list[Mapping[str, int]] = []
        if chosen is not None:
            effects.append(chosen.effects)
        target, rule = None, ""
        if chosen is not None and chosen.goto is not None:
            target, rule = chosen.goto, f"option {option}"
        else:
            for i, response in enumerate(node.responses, 1):
                if self._holds(response.if_, scores, cues, st.variables):
                    target, rule = response.goto, f"response {i}"
                    effects.append(response.effects)
                    break
            else:
                assert node.default is not None  # playability_problems() requires it
                target, rule = node.default.goto, "default"
                effects.append(node.default.effects)
        variables = _apply(st.variables, effects)
        now = self._now()
        learner = TurnRecord(
            speaker="learner", node=st.node, text=text, time=now, option=option, assessment=stored, rule=rule
        )
        reply = TurnRecord(
            speaker="service_user", node=target, text=self._line(target, variables, scores, cues), time=now
        )
        # Everything is computed; only now does the run change, in one assignment.
        self._state = st.model_copy(
            update={
                "node": target,
                "variables": variables,
                "transcript": [*st.transcript, learner, reply],
                "finished": self._scenario.nodes[target].ending is not None,
                "updated_at": now,
            }
        )
        return self.current()

    # --- saving --------------------------------------------------------------------------------------

    def to_json(self) -> str:
        """The run state as JSON; `from_json` reads it back exactly."""
        return self._state.model_dump_json()

    @classmethod
    def from_json(
        cls, scenario: Scenario, scenario_id: str, data: str | bytes, *, clock: Clock | None = None
    ) -> Session:
        """Load a saved run; StateError when it is corrupt or does not fit the scenario."""
        return cls(scenario, scenario_id, parse_state(data), clock=clock)

    # --- helpers -------------------------------------------------------------------------------------

    def _now(self) -> datetime:
        now = self._clock()
        if not isinstance(now, datetime):
            raise TypeError(f"the session clock returned {type(now).__name__}, not a datetime")
        # A naive time from a test clock is taken to be UTC already.
        return now.replace(tzinfo=UTC) if now.tzinfo is None else now.astimezone(UTC)

    def _line(
        self, node_id: str, variables: Mapping[str, int], scores: Mapping[str, float], cues: Collection[str]
    ) -> str:
        node = self._scenario.nodes[node_id]
        for variant in node.variants:
            if self._holds(variant.if_, scores, cues, variables):
                return variant.say
        return node.say

    def _arrival_context(self) -> tuple[dict[str, float], list[str]]:
        # The reply that led to the current node (none at the start): options are offered on it.
        transcript = self._state.transcript
        if len(transcript) < 2 or transcript[-2].assessment is None:
            return {}, []
        return _read_assessment(transcript[-2].assessment)

    @staticmethod
    def _holds(
        cond: Condition | None,
        scores: Mapping[str, float],
        cues: Collection[str],
        variables: Mapping[str, int],
    ) -> bool:
        if cond is None:
            return True
        try:
            return evaluate(cond, scores, cues, variables)
        except ConditionError as exc:  # unreachable after playability_problems(); keep the promise anyway
            raise EngineError(f"This scenario cannot be played here: {exc}.") from None


def _system_clock() -> datetime:
    return datetime.now(UTC)


def _effective_mode(node: Node, options: list[OptionView]) -> InputMode:
    # An options-only moment whose options are all unavailable would leave the learner stuck: let them
    # type instead (the node's default always gives such a reply somewhere to go).
    mode = node.input_mode
    if mode is InputMode.options and not any(o.available for o in options):
        return InputMode.free
    return mode


def _apply(variables: Mapping[str, int], effects: list[Mapping[str, int]]) -> dict[str, int]:
    result = dict(variables)
    for change in effects:
        for name, delta in change.items():
            result[name] += delta
    for name in BUILTIN_VARIABLES:
        if name in result:
            result[name] = min(VARIABLE_MAX, max(VARIABLE_MIN, result[name]))
    return result


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


def playability_problems(scenario: Scenario) -> list[str]:
    """What stops the engine playing a scenario safely, in words (empty when it can be played).

    Checked: the start node and every goto exist; every node that is not an ending has a default;
    conditions and effects name only known variables; trust and distress start within 0-10.
    """
    problems: list[str] = []
    nodes = scenario.nodes
    known = scenario.initial_variables()
    if scenario.start not in nodes:
        problems.append(f"the start node '{scenario.start}' does not exist")
    for name in BUILTIN_VARIABLES:
        if not VARIABLE_MIN <= known[name] <= VARIABLE_MAX:
            problems.append(f"{name} starts at {known[name]}, outside {VARIABLE_MIN}-{VARIABLE_MAX}")

    def check_cond(cond: Condition | None, where: str) -> None:
        for var in _condition_vars(cond):
            if var not in known:
                problems.append(f"{where} tests the unknown variable '{var}'")

    def check_move(goto: str | None, effects: Mapping[str, int], where: str) -> None:
        if goto is not None and goto not in nodes:
            problems.append(f"{where} goes to '{goto}', which does not exist")
        for var in effects:
            if var not in known:
                problems.append(f"{where} changes the unknown variable '{var}'")

    for node_id, node in nodes.items():
        where = f"node '{node_id}'"
        for i, variant in enumerate(node.variants, 1):
            check_cond(variant.if_, f"{where} > variant {i}")
        if node.ending is not None:
            continue  # an ending's options and rules are never used
        for i, opt in enumerate(node.options, 1):
            check_cond(opt.if_, f"{where} > option {i}")
            check_move(opt.goto, opt.effects, f"{where} > option {i}")
        for i, response in enumerate(node.responses, 1):
            check_cond(response.if_, f"{where} > response {i}")
            check_move(response.goto, response.effects, f"{where} > response {i}")
        if node.default is None:
            problems.append(f"{where} is not an ending and has no default")
        else:
            check_move(node.default.goto, node.default.effects, f"{where} > default")
    return problems


def rule_in_words(scenario: Scenario, node_id: str, rule: str) -> str:
    """Why a learner reply moved the scenario on, in plain words, from a TurnRecord's `node` and `rule`:
    "option 2", "empathy and trust at least 4" (for "response 1"), "otherwise" (for "default").
    Unknown nodes or rules (an edited scenario) are returned as recorded."""
    node = scenario.nodes.get(node_id)
    kind, _, number = rule.partition(" ")
    if node is None:
        return rule
    if rule == "default":
        return "otherwise"
    if kind == "response" and number.isdigit() and 1 <= int(number) <= len(node.responses):
        return describe(node.responses[int(number) - 1].if_)
    return rule


def _condition_vars(cond: Condition | None) -> Iterator[str]:
    if cond is None:
        return
    if cond.var is not None:
        yield cond.var
    for sub in subconditions(cond):
        yield from _condition_vars(sub)


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
        try:
            _read_assessment(_json_copy(rec.assessment))
        except ValueError as exc:
            raise StateError(f"{where} has an unusable assessment: {exc}.") from None
        if rec.option is not None and not 1 <= rec.option <= len(scenario.nodes[rec.node].options):
            raise StateError(f"{where} picked option {rec.option}, which the node '{rec.node}' lacks.")
    if transcript[-1].speaker != "service_user" or transcript[-1].node != st.node:
        raise StateError(f"The transcript must end with the service user's line at the node '{st.node}'.")


SIGNAL_NAMES = frozenset(SIGNALS)
