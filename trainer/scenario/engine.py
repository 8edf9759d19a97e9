"""The session engine: plays a scenario turn by turn, with no user interface and no scorer.

A pull API in the manner of ink and Yarn Spinner: ask the session what happens now (`current()`: a
`Prompt` for the learner, or an `EndingReached`), answer it (`submit(text, assessment, option=None)`),
ask again. The assessment is a plain mapping produced elsewhere (by `trainer.scoring`):

    {"scores": {"empathy": 0.81, "sympathy": 0.1, ...}, "cues": ["mentions_school"], ...}

Missing signals count as 0; extra keys are kept in the transcript untouched (e.g. "evidence").
Scores above 1 or below 0 count as 1 or 0; a score that is not a number (NaN, text) is refused.

A cue the scenario marks `negated: ignore` is dropped from a reply's cues when the reply names it only to
refuse it ("I won't hug you"; `trainer.scenario.negation`), before anything is decided on them.

Variants and option availability are decided when a node is reached, on the run's variables and on the
reply that led there (its scores and cues; none at the start), and then stay fixed for that node. So does
who says the line: the service user, or the node's or variant's `speaker` (kept as `TurnRecord.name`).
Effects add to variables; trust and distress stay within 0-10, an author's own variables are not
bounded (the author chose their meaning).

All run state lives in one pydantic object, `RunState`, that serialises to JSON and back identically,
so a run can be saved after every turn and resumed (`Session.to_json()` / `Session.from_json()`).
The state can only be changed through `submit()`, which checks everything before it changes anything.

Used by the TUI, the plain-text player, rehearsals and the debrief.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator, Mapping
from datetime import UTC, datetime
from typing import Any

from trainer.scenario.conditions import ConditionError, describe, evaluate, subconditions
from trainer.scenario.negation import heard
from trainer.scenario.risk import RiskProgress, risk_progress
from trainer.scenario.schema import (
    BUILTIN_VARIABLES,
    VARIABLE_MAX,
    VARIABLE_MIN,
    Condition,
    InputMode,
    Node,
    Scenario,
)
from trainer.scenario.state import (  # re-exported: the engine's public names stay where they were
    RUN_ID_PATTERN,
    Clock,
    EndingReached,
    EngineError,
    OptionView,
    Prompt,
    RunState,
    ScenarioError,
    StateError,
    Step,
    TurnRecord,
    _checked_state,
    _json_copy,
    _read_assessment,
    parse_state,
)

__all__ = [
    "RUN_ID_PATTERN",
    "Clock",
    "EndingReached",
    "EngineError",
    "OptionView",
    "Prompt",
    "RunState",
    "ScenarioError",
    "Session",
    "StateError",
    "Step",
    "TurnRecord",
    "parse_state",
    "playability_problems",
    "rule_in_words",
]


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
            first_line, first_name = self._line(start, variables, {}, ())
            self._state = RunState(
                scenario_id=scenario_id,
                scenario_title=scenario.title,
                node=start,
                variables=variables,
                transcript=[
                    TurnRecord(speaker="service_user", node=start, text=first_line, name=first_name, time=now)
                ],
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
        line, name = st.transcript[-1].text, st.transcript[-1].name
        variables = dict(st.variables)
        if st.finished:
            assert node.ending is not None  # _checked_state and submit() keep finished == (ending node)
            return EndingReached(node=st.node, line=line, name=name, ending=node.ending, variables=variables)
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
            name=name,
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
        # A cue marked `negated: ignore` that the reply names only to refuse ("I won't hug you") is not heard:
        # not by the rules, not by the next line's variants, not by the debrief reading the stored reply.
        kept = heard(self._scenario.cues, text, cues)
        if kept != cues:
            cues = kept
            stored["cues"] = list(kept)

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
            # At a disclosure of risk, the parts of the safe reply said in the learner's replies just before
            # this one, at this moment's risk moments, count with this reply's (see RiskProgress).
            rule_cues = self._with_risk_run(node, cues)
            for i, response in enumerate(node.responses, 1):
                if self._holds(response.if_, scores, rule_cues, st.variables):
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
        said, name = self._line(target, variables, scores, cues)
        reply = TurnRecord(speaker="service_user", node=target, text=said, name=name, time=now)
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
    ) -> tuple[str, str | None]:
        """The line said on arriving at a node (the first variant that holds, or `say`), and who says it
        when it is not the service user: the variant's `speaker`, else the node's. A speaker written as the
        service user's own name is the service user (None), so a variant can give the line back to them."""
        node = self._scenario.nodes[node_id]
        said, name = node.say, node.speaker
        for variant in node.variants:
            if self._holds(variant.if_, scores, cues, variables):
                said, name = variant.say, variant.speaker or node.speaker
                break
        if name is not None and name.strip() == self._scenario.service_user.name.strip():
            name = None
        return said, name

    def risk_progress(self) -> RiskProgress:
        """Where the run stands with the disclosures of risk it has met (`trainer.scenario.risk`)."""
        replies = []
        for record in self._state.transcript:
            if record.speaker == "learner" and record.assessment is not None:
                replies.append((record.node, _read_assessment(record.assessment)[1]))
        return risk_progress(self._scenario, replies)

    def _with_risk_run(self, node: Node, cues: list[str]) -> list[str]:
        # Only the cues of this moment's own safe reply are carried over, and only from the unbroken run
        # of replies at risk moments that ends with the previous reply.
        if node.risk is None:
            return cues
        carried = self.risk_progress().run & set(node.risk.safe_reply)
        return [*cues, *sorted(carried - set(cues))]

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
