"""Computing the debrief: a pure function of the scenario, the run state and the self-assessment.

    debrief = compute_debrief(scenario, state, self_assessment, flags=[...])

How the session scores are defined, each skill judged at the moments that called for it, is in
`trainer.debrief.sessionscores` (shown to the student beside each score); the moments are found by
`trainer.debrief.moments`, the MITI-style summary by `trainer.debrief.miti`.

Works without the scenario (`scenario=None`, e.g. an old history entry whose scenario file is gone): the
outcome, the expected signals, model answers and cue notes are then left out, with a note saying so.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace
from typing import Any, Protocol

from trainer.debrief.credits import frame_tested, skill_credits
from trainer.debrief.miti import miti_summary
from trainer.debrief.model import Debrief, FlagView, Line, Mark, MeetingInfo, OutcomeView
from trainer.debrief.redact import scenario_people
from trainer.debrief.rules import Context, missed_moments
from trainer.debrief.selfassess import SelfAssessment
from trainer.debrief.sessionscores import COUNTERS, DEFINITIONS, number, skill_results
from trainer.debrief.suggestions import Facts, pick
from trainer.scenario.engine import RunState, TurnRecord
from trainer.scenario.placeholders import fill
from trainer.scenario.risk import risk_progress
from trainer.scenario.schema import Scenario
from trainer.scoring.api import ACTS, AGAINST, SIGNALS, THRESHOLD

__all__ = ["COUNTERS", "DEFINITIONS", "StoredSession", "bundled_scenario", "compute_debrief",
           "debrief_from_record", "number"]

def _present(scores: Mapping[str, float]) -> list[str]:
    return [s for s in SIGNALS if _score(scores, s) >= THRESHOLD]


def _score(scores: Mapping[str, Any], signal: str) -> float:
    value = scores.get(signal, 0.0)
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else 0.0


def _marks(text: str, evidence: Any) -> list[Mark]:
    """The assessment's evidence as marks, checked against the reply: offsets that do not fit the text are
    repaired from the quoted words when they can be found, else the mark is dropped."""
    marks: list[Mark] = []
    if not isinstance(evidence, list):
        return marks
    for item in evidence:
        if not isinstance(item, Mapping) or not isinstance(item.get("signal"), str):
            continue
        start, end, quoted = item.get("start"), item.get("end"), item.get("text")
        if not (isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= len(text)):
            start = end = -1
        if isinstance(quoted, str) and quoted and (start < 0 or text[start:end] != quoted):
            found = text.find(quoted)
            if found < 0:
                found = text.lower().find(quoted.lower())
            start, end = (found, found + len(quoted)) if found >= 0 else (-1, -1)
        if start < 0:
            continue
        signal = item["signal"]
        marks.append(
            Mark(
                signal=signal,
                start=start,
                end=end,
                text=text[start:end],
                reason=str(item.get("reason") or ""),
                source=str(item.get("source") or ""),
                against=signal in AGAINST,
            )
        )
    return sorted(marks, key=lambda m: (m.start, m.end))


def _acts(acts: Any) -> list[str]:
    """The act labels of the assessment's "acts" list (mappings with "act"), unknown labels dropped."""
    if not isinstance(acts, list):
        return []
    labels = [a.get("act") for a in acts if isinstance(a, Mapping)]
    return [a for a in labels if isinstance(a, str) and a in ACTS]


def _lines(transcript: Iterable[TurnRecord], flags: list[FlagView], learner_name: str | None) -> list[Line]:
    lines: list[Line] = []
    reply = 0
    for index, turn in enumerate(transcript):
        if turn.speaker != "learner":
            # The run keeps the line as written; `{learner}` is filled here, once, for every front end.
            text = fill(turn.text, learner_name)
            lines.append(Line(index=index, speaker=turn.speaker, node=turn.node, text=text, name=turn.name))
            continue
        reply += 1
        assessment = turn.assessment if isinstance(turn.assessment, Mapping) else {}
        raw_scores = assessment.get("scores")
        scores = {s: _score(raw_scores, s) for s in SIGNALS} if isinstance(raw_scores, Mapping) else {}
        cues = assessment.get("cues")
        note = assessment.get("note")
        acts = assessment.get("acts")
        lines.append(
            Line(
                index=index,
                speaker="learner",
                node=turn.node,
                text=turn.text,
                reply=reply,
                option=turn.option,
                scores=scores,
                present=_present(scores),
                cues=[c for c in cues if isinstance(c, str)] if isinstance(cues, list) else [],
                acts=_acts(acts),
                marks=_marks(turn.text, assessment.get("evidence")),
                note=note if isinstance(note, str) else None,
                flags=[f for f in flags if f.turn == index],
            )
        )
    return lines


def _pending(scenario: Scenario | None, state: RunState, lines: Sequence[Line]) -> frozenset[str]:
    """The risk moments not acted on by the end of a finished run (Context.risks_pending)."""
    if scenario is None or not state.finished:
        return frozenset()
    replies = [(line.node, line.cues) for line in lines if line.speaker == "learner"]
    return frozenset(risk_progress(scenario, replies).pending)


def _risks(scenario: Scenario, pending: frozenset[str]) -> tuple[list[str], list[str]]:
    """The disclosures of risk at the `pending` moments, and the guidance behind acting on them (see
    OutcomeView.risk_not_acted)."""
    nodes = [node for n, node in scenario.nodes.items() if n in pending and node.risk is not None]
    risks = list(dict.fromkeys(node.risk.disclosure for node in nodes if node.risk is not None))
    refs = list(dict.fromkeys(ref.strip() for node in nodes for ref in node.references))
    # a citation that a longer one starts with ("... ch. 3", "... ch. 3 (a concern ...)") is said once
    sources = [r for r in refs if not any(o != r and o.startswith(r) for o in refs)]
    if sources and scenario.jurisdiction:
        sources.append(f"law and guidance as in {scenario.jurisdiction.strip()}")
    return risks, sources


def _outcome(
    scenario: Scenario | None, state: RunState, pending: frozenset[str] = frozenset()
) -> OutcomeView:
    if not state.finished:
        note = "The session stopped before the conversation reached an ending."
        return OutcomeView(finished=False, node=state.node, note=note)
    node = scenario.nodes.get(state.node) if scenario is not None else None
    if node is None or node.ending is None:
        return OutcomeView(finished=True, node=state.node, note="The scenario's ending is not available.")
    risks, sources = _risks(scenario, pending) if scenario is not None else ([], [])
    return OutcomeView(
        finished=True,
        node=state.node,
        risk_not_acted=risks,
        risk_sources=sources,
        title=node.ending.title,
        outcome=node.ending.outcome.value,
        note=node.ending.note,
        references=list(dict.fromkeys([*node.references, *(scenario.references if scenario else [])])),
    )


def _meeting(scenario: Scenario | None) -> MeetingInfo | None:
    if scenario is None:
        return None
    profile = scenario.service_user
    return MeetingInfo(setting=scenario.setting, summary=scenario.summary, referral=scenario.referral,
                       objectives=list(scenario.objectives), age=profile.age, pronouns=profile.pronouns)


def compute_debrief(
    scenario: Scenario | None,
    state: RunState,
    self_assessment: SelfAssessment | None = None,
    *,
    flags: Iterable[FlagView | Mapping[str, Any]] = (),
    learner_name: str | None = None,
    session_id: int | None = None,
    turn_notes: Mapping[int, str] | None = None,
) -> Debrief:
    """The debrief of one run.

    Args:
        scenario: the scenario played (None when it is no longer available: see the module docstring).
        state: the run state (finished or not).
        self_assessment: what the student said before seeing any score; None counts as skipped.
        flags: the student's "I disagree" flags (FlagView or mappings with turn, wrong, missing, reason).
        learner_name: the student's name if recorded (for exports and redaction); it fills `{learner}` in
            the service user's lines and the model answers (trainer.scenario.placeholders.fill), or the name
            in the student's
            settings (trainer.settings) when none is recorded.
        session_id: the history id, when the session has been saved.
        turn_notes: the student's "what was happening for you?" notes, by transcript index of the reply.
    Returns: the Debrief. Never raises on odd assessments: malformed scores and evidence are ignored.
    """
    sa = self_assessment if self_assessment is not None else SelfAssessment.skip()
    flag_views = [f if isinstance(f, FlagView) else FlagView.model_validate(f) for f in flags]
    from trainer.debrief.recording import settings_learner_name  # here: recording imports the exports

    who = learner_name or settings_learner_name()
    lines = _lines(state.transcript, flag_views, who)
    replies = [line for line in lines if line.speaker == "learner"]
    name = scenario.service_user.name if scenario is not None else None
    ctx = Context(scenario=scenario, lines=lines, name=name or "The service user", finished=state.finished,
                  risks_pending=_pending(scenario, state, lines))
    skills = skill_results(ctx, sa)
    # a cue the scores credit is no miss, nor is an act the frame rules out where it was kept
    ctx = replace(ctx, credits=skill_credits(ctx, skills), tested=frame_tested(ctx))
    # A model answer may introduce the worker as `{learner}`: shown in the student's own name.
    missed = [
        m.model_copy(update={"model_answers": [fill(a, who) for a in m.model_answers]})
        for m in missed_moments(ctx)
    ]
    outcome = _outcome(scenario, state, ctx.risks_pending)
    notes = []
    if scenario is None:
        notes.append(
            "The scenario this session used is not available, so the ending, the expected moments, model "
            "answers and cue notes are left out."
        )
    if any(line.note for line in replies):
        notes.append("Some replies were not scored in full: see the note under each.")
    return Debrief(
        session_id=session_id,
        scenario_id=state.scenario_id,
        scenario_title=state.scenario_title,
        service_user=name,
        learner_name=learner_name,
        people=scenario_people(scenario) if scenario is not None else [],
        meeting=_meeting(scenario),
        started_at=state.started_at,
        updated_at=state.updated_at,
        outcome=outcome,
        self_assessment=sa,
        skipped=sa.skipped_parts(),
        reflections={"service_user": sa.service_user, "self": sa.self_},
        skills=list(skills.values()),
        transcript=lines,
        missed=missed,
        suggestions=pick(Facts(skills=skills, missed=missed, lines=lines, self_assessment=sa,
                               risks=outcome.risk_not_acted, risk_sources=outcome.risk_sources)),
        flags=flag_views,
        miti=miti_summary(replies, [ctx.said_before(r) for r in replies]),
        turn_notes=dict(turn_notes or {}),
        notes=notes,
        run_state=state,
    )


class _StoredFlag(Protocol):
    def as_mapping(self) -> dict[str, Any]: ...


class StoredSession(Protocol):
    """What `debrief_from_record` needs of a saved session (trainer.history's SessionRecord has it; the
    debrief does not import the history, the two packages being independent layers)."""

    @property
    def id(self) -> int: ...
    @property
    def run_state(self) -> RunState: ...
    @property
    def scenario(self) -> Scenario | None: ...
    @property
    def self_assessment(self) -> dict[str, Any] | None: ...
    @property
    def learner_name(self) -> str | None: ...
    @property
    def flags(self) -> Sequence[_StoredFlag]: ...
    @property
    def turn_notes(self) -> Mapping[int, str]: ...


def bundled_scenario(scenario_id: str) -> Scenario | None:
    """The bundled scenario with this id, or None when there is none or it no longer loads (used for
    sessions saved without a scenario snapshot)."""
    from trainer.scenario.loader import ScenarioInvalid, ScenarioNotFound, find_scenario, load_scenario

    try:
        return load_scenario(find_scenario(scenario_id)).scenario
    except (ScenarioNotFound, ScenarioInvalid, OSError, ValueError):
        return None


def debrief_from_record(record: StoredSession) -> Debrief:
    """The debrief of a saved session: its scenario snapshot (or, for sessions saved without one, the
    bundled scenario of the same id), its self-assessment and its flags."""
    state = record.run_state
    scenario = record.scenario if record.scenario is not None else bundled_scenario(state.scenario_id)
    sa = None
    if record.self_assessment is not None:
        try:
            sa = SelfAssessment.model_validate(record.self_assessment)
        except ValueError:
            sa = None  # unreadable: shown as skipped rather than failing the whole debrief
    return compute_debrief(
        scenario,
        state,
        sa,
        flags=[f.as_mapping() for f in record.flags],
        learner_name=record.learner_name,
        session_id=record.id,
        turn_notes=record.turn_notes,
    )
