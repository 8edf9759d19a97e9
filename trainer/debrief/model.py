"""The debrief as data: what `compute_debrief` returns and every export renders.

Pydantic models, so a debrief serialises to JSON (the JSON export) and back. Nothing here computes; see
`trainer.debrief.compute` for how each field is worked out.
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from trainer.debrief.selfassess import SelfAssessment
from trainer.scenario.engine import RunState


class _Model(BaseModel):
    # The attribute docstrings become the descriptions in docs/export.schema.json.
    model_config = ConfigDict(extra="forbid", use_attribute_docstrings=True)


class Mark(_Model):
    """One evidence span in a learner reply: the words that earned (or cost) a score."""

    signal: str
    start: int
    """Character offset into the reply (checked against the reply's text)."""
    end: int
    text: str
    reason: str
    source: str
    against: bool
    """True for sympathy and overstep: shown as such, counted against the skill."""


class FlagView(_Model):
    """An "I disagree" flag the student raised on one scored reply."""

    turn: int
    """Index into the run's transcript of the learner line flagged."""
    wrong: list[str] = Field(default_factory=list)
    """Signals the scorer found that the student thinks are not there."""
    missing: list[str] = Field(default_factory=list)
    """Signals the scorer missed, in the student's view."""
    reason: str
    created_at: datetime | None = None


class Line(_Model):
    """One line of the transcript, with the scorer's verdict for learner lines."""

    index: int
    """Index into the run's transcript."""
    speaker: Literal["service_user", "learner"]
    node: str
    text: str
    name: str | None = Field(default=None, exclude_if=lambda name: name is None)
    """For a service-user line said by someone else (the scenario's `speaker`): who said it, e.g. "Minh
    (Lan's son)", shown instead of the service user's name. Absent for the service user's own lines."""
    reply: int | None = None
    """For a learner line: its 1-based number among the learner's replies ("reply 3")."""
    option: int | None = None
    scores: dict[str, float] = Field(default_factory=dict)
    present: list[str] = Field(default_factory=list)
    """Signals at or above the scorer's threshold, in SIGNALS order."""
    cues: list[str] = Field(default_factory=list)
    acts: list[str] = Field(default_factory=list)
    """The scorer's dialogue act per sentence (trainer.scoring.api.ACTS), in order; empty when not known."""
    marks: list[Mark] = Field(default_factory=list)
    note: str | None = None
    """The scorer's note (input truncated, ...)."""
    flags: list[FlagView] = Field(default_factory=list)


class Point(_Model):
    """One learner reply's scores for one skill, for the per-turn series."""

    reply: int
    index: int
    score: float
    """The skill's own signal, 0-1."""
    counter: float | None = None
    """The signal counted against it (sympathy for empathy, overstep for boundaries), 0-1."""


class Counted(_Model):
    """One moment a session score counted: a reply at a moment that called for the skill, and how it did."""

    reply: int
    """The reply's 1-based number."""
    index: int
    """Index into the transcript."""
    why: str
    """Why this moment counted, in plain words: "Jade said she was scared (scared)"."""
    value: float
    """What the moment earned, 0-1 (see the skill's definition)."""
    verdict: str
    """What the reply did there, in plain words: "reflected it", "offered sympathy instead"."""


class SkillResult(_Model):
    """One skill's result for the session, with the student's own rating beside it."""

    skill: str
    name: str
    signal: str
    counter: str | None
    definition: str
    """How the session score is worked out, in one sentence for the student."""
    replies: int
    shown: int
    """Replies showing the skill's signal."""
    against: int
    """Replies showing the counter-signal (sympathy, overstep)."""
    score: float
    """The session score, 0-1 (see `definition`)."""
    level: int | None
    """The score on the 1-5 rating scale (1 + round(4 x score)); None when there were no replies."""
    rating: int | None
    """The student's own rating, 1-5, or None when skipped."""
    series: list[Point] = Field(default_factory=list)
    facts: str
    """What the replies show, in plain words: "two of six replies reflected feeling or meaning"."""
    gap: str
    """The rating beside the facts: "You rated your boundaries 5; two replies overstepped. ..."."""
    moments: list[Counted] = Field(default_factory=list)
    """The moments the score counted (empty for purpose, which counts parts: see `parts`)."""
    parts: dict[str, int | None] = Field(default_factory=dict)
    """Purpose only: each of Moss's parts (trainer.debrief.moments.PURPOSE_PARTS) -> the first reply that
    covered it, or None."""
    noted: list[str] = Field(default_factory=list)
    """Things shown but not counted in the score: "reply 4 offered sympathy (not at a moment of
    disclosure)"."""


class MitiMeasure(_Model):
    """One MITI-style summary measure beside the MITI 4.2.1 reference thresholds."""

    id: str
    name: str
    value: float | None
    """None when it cannot be worked out (no questions asked, no reflections)."""
    shown: str
    """The value as the student reads it: "2 reflections to 1 question (2:1)", "60%"."""
    fair: str
    good: str
    band: str | None
    """"below fair", "fair" or "good"; None when there is no value or no threshold."""


class MitiSummary(_Model):
    """Reflection-to-question ratio, percent complex reflections and advice given without asking."""

    source: Literal["acts", "signals"]
    """"acts" when the scorer's dialogue acts were known for every reply, else estimated from signals."""
    reflections: int
    complex_reflections: int
    questions: int
    advice_without_permission: int
    measures: list[MitiMeasure]
    citation: str
    note: str


class MissedMoment(_Model):
    """A moment the debrief points to, found by one of the rules in `trainer.debrief.rules`."""

    rule: str
    """The rule's stable id, e.g. "expected-signal"."""
    message: str
    signals: list[str] = Field(default_factory=list)
    """The signals concerned: lacking (empathy, purpose, boundaries) or shown wrongly (overstep)."""
    quoted: bool = False
    """True when the message already quotes what the service user said (exports then do not repeat it)."""
    index: int | None = None
    """Transcript index of the learner reply concerned, if any."""
    reply: int | None = None
    node: str | None = None
    said: str | None = None
    """What the service user said just before."""
    said_by: str | None = Field(default=None, exclude_if=lambda name: name is None)
    """Who said `said` when it was not the service user (the line's `name`); absent for the service user."""
    reply_text: str | None = None
    model_answers: list[str] = Field(default_factory=list)
    """The author's model answers for this moment, shown beside the reply."""
    tip: str | None = None
    references: list[str] = Field(default_factory=list)
    """The author's short citations for this moment (law, guidance, Moss), e.g. "Care Act 2014 s42"."""


class Suggestion(_Model):
    """One concrete thing to try next time."""

    id: str
    title: str
    text: str
    source: str
    """Where the advice comes from (Moss 2015, Wilson et al. 2011, ...)."""


NEAR_SUCCESS: tuple[str, ...] = ("built", "partial")
"""The outcomes a risk not acted on replaces, rather than adds to (see `with_risk`)."""


def with_risk(label: str, outcome: str | None, said: str) -> str:
    """How an ending reads when its run left a disclosure of risk not acted on: `said` ("risk not acted on")
    in place of a near success (NEAR_SUCCESS), else added to the outcome's `label` ("broke down; risk not
    acted on")."""
    return said if outcome in NEAR_SUCCESS else f"{label}; {said[:1].lower()}{said[1:]}"


class OutcomeView(_Model):
    """How the session ended."""

    finished: bool
    node: str
    title: str | None = None
    outcome: str | None = None
    """built, partial, broke_down or boundary_crossed; None when the session stopped early."""
    note: str | None = None
    """The author's note on this ending, or a line saying the session stopped early."""
    references: list[str] = Field(default_factory=list)
    """The sources behind the ending and the scenario: the ending's `references`, then the scenario's."""
    risk_not_acted: list[str] = Field(default_factory=list, exclude_if=lambda risks: not risks)
    """The disclosures of risk (the scenario's `risk.disclosure`) that no reply, or run of replies at the
    risk moments, acted on in full by the end of a finished run (trainer.scenario.risk.RiskProgress).
    Absent when there are none."""
    risk_sources: list[str] = Field(default_factory=list, exclude_if=lambda sources: not sources)
    """The guidance behind acting on those risks: the risk moments' `references`, then, when the scenario
    names one, its jurisdiction ("law and guidance as in England"). Absent when there are none."""


class MeetingInfo(_Model):
    """What the scenario says about the meeting, for the process recording's first sections."""

    setting: str
    summary: str
    referral: str | None = None
    objectives: list[str] = Field(default_factory=list)
    age: int | None = None
    pronouns: str | None = None


class Debrief(_Model):
    """Everything the debrief screen and the exports show for one session."""

    format: Literal[1] = 1
    session_id: int | None = None
    scenario_id: str
    scenario_title: str
    service_user: str | None = None
    """The service user's name from the scenario profile."""
    learner_name: str | None = None
    people: list[str] = Field(default_factory=list, exclude_if=lambda people: not people)
    """The other people the scenario names (its `service_user.people`), for redaction; empty in a redacted
    copy, and absent from exports made before scenarios listed them."""
    meeting: MeetingInfo | None = None
    """From the scenario (None when it is not available)."""
    started_at: datetime
    updated_at: datetime
    outcome: OutcomeView
    self_assessment: SelfAssessment
    skipped: list[str] = Field(default_factory=list)
    """What the student skipped in the self-assessment, in plain words."""
    reflections: dict[str, str | None] = Field(default_factory=dict)
    """The use-of-self answers, keyed as in USE_OF_SELF_PROMPTS."""
    skills: list[SkillResult]
    transcript: list[Line]
    missed: list[MissedMoment]
    suggestions: list[Suggestion]
    flags: list[FlagView] = Field(default_factory=list)
    miti: MitiSummary | None = None
    """The MITI-style summary of the replies (trainer.debrief.miti)."""
    turn_notes: dict[int, str] = Field(default_factory=dict)
    """The student's "what was happening for you?" notes, by transcript index of the reply."""
    notes: list[str] = Field(default_factory=list)
    """Anything the student should know about this debrief (scenario not available, ...)."""
    run_state: RunState
    """The raw run, for the JSON export."""

    def session_scores(self) -> dict[str, float]:
        """Skill -> session score (0-1), the summary the history keeps for the progress chart; beside them,
        when known, the MITI-style measures as "miti_rq" (reflections per question), "miti_complex" (share
        of complex reflections, 0-1) and "miti_advice" (advice given without asking, a count)."""
        scores = {s.skill: s.score for s in self.skills}
        if self.miti is not None:
            for measure in self.miti.measures:
                if measure.value is not None:
                    scores[f"miti_{measure.id}"] = measure.value
        return scores

    def skill(self, skill: str) -> SkillResult:
        """The result for one skill ("empathy", "purpose", "boundaries")."""
        for result in self.skills:
            if result.skill == skill:
                return result
        raise KeyError(skill)
