"""The session engine: plays a scenario turn by turn, with no user interface and no scorer.

A pull API in the manner of ink and Yarn Spinner: ask the session what happens now (`current()`: a
`Prompt` for the learner, or an `EndingReached`), answer it (`submit(text, assessment, option=None)`),
ask again. The assessment is a plain mapping produced elsewhere (by `trainer.scoring`):

    {"scores": {"empathy": 0.81, "sympathy": 0.1, ...}, "cues": ["mentions_school"], ...}

Missing signals count as 0; extra keys are kept in the transcript untouched (e.g. "evidence").

All run state lives in one pydantic object, `RunState`, that serialises to JSON and back identically,
so a run can be saved after every turn and resumed (`Session.to_json()` / `Session.from_json()`).
The state can only be changed through `submit()`, which checks everything before it changes anything.

Used by the TUI, the plain-text player, rehearsals and the debrief.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from trainer.scenario.schema import Ending, InputMode, Scenario


class EngineError(ValueError):
    """A call the current state does not allow (reply after the end, unknown option, ...).

    Nothing has changed when it is raised.
    """


class StateError(ValueError):
    """Saved state that does not fit the scenario (unknown node, wrong scenario, corrupt JSON)."""


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
    """One learner playing one scenario."""

    def __init__(self, scenario: Scenario, scenario_id: str, state: RunState | None = None) -> None:
        """Start a new run (state=None) or continue a saved one (checked against the scenario:
        StateError if it does not fit)."""
        raise NotImplementedError

    @property
    def state(self) -> RunState:
        """A deep copy of the run state: changing it does not change the session."""
        raise NotImplementedError

    @property
    def finished(self) -> bool:
        raise NotImplementedError

    def current(self) -> Step:
        """What happens now: the learner's prompt, or the ending."""
        raise NotImplementedError

    def submit(self, text: str, assessment: Mapping[str, Any], option: int | None = None) -> Step:
        """Record the learner's reply with its assessment and move on.

        Args:
            text: what the learner said (for an option, its text).
            assessment: {"scores": {signal: 0-1}, "cues": [ids], ...any extra keys kept}.
            option: the 1-based number of the option picked, or None for free text.
        Returns: the next step.
        Raises: EngineError (nothing changed) when the run is finished, the reply is empty, the option
            does not exist or is unavailable, or the input mode does not allow it.
        """
        raise NotImplementedError

    def to_json(self) -> str:
        raise NotImplementedError

    @classmethod
    def from_json(cls, scenario: Scenario, scenario_id: str, data: str | bytes) -> Session:
        """Load a saved run; StateError when it is corrupt or does not fit the scenario."""
        raise NotImplementedError
