"""A class of handed-in exports for the cohort tests: four students, three bundled scenarios each, played
with the rehearsal scripts in scenarios/rehearsals/ (good practice, pity, overstepping, no reason given)
through the real engine and scorer, then exported as `trainer export --format json` would."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import cache
from pathlib import Path

from trainer.authoring.rehearse import Rehearser, load_rehearsals, load_scorer, rehearsal_file
from trainer.debrief.compute import compute_debrief
from trainer.debrief.export import export
from trainer.debrief.model import Debrief
from trainer.debrief.selfassess import SelfAssessment
from trainer.scenario.engine import EndingReached, Session
from trainer.scenario.loader import find_scenario, load_scenario

SCENARIOS = ("doorstep-example", "keep-it-secret", "care-leaver-number")

#: Student -> (name in the export, the rating they give every skill: None = numbered/redacted below).
STUDENTS = {
    "A": ("Anna Kowalski", 5),  # rates herself 5 on everything: over-rates where her replies show less
    "B": ("Ben Ollie", None),  # rates each skill at the level shown (set per session below)
    "C": ("Cara Dunn", 1),  # rates herself 1 on everything: under-rates
    "D": (None, None),  # no name, skips the self-assessment
}


@dataclass(frozen=True)
class Made:
    student: str
    scenario_id: str
    rehearsal: str
    debrief: Debrief
    path: Path


@cache
def _rehearser(scenario_id: str) -> Rehearser:
    loaded = load_scenario(find_scenario(scenario_id))
    return Rehearser(loaded.scenario, loaded.id, load_scorer())


def play(scenario_id: str, index: int, start: datetime) -> tuple[str, Session]:
    """Play rehearsal number `index` of the scenario; returns its name and the finished session."""
    rehearser = _rehearser(scenario_id)
    rehearsal = load_rehearsals(rehearsal_file(find_scenario(scenario_id)))[index]
    ticks = iter(start + timedelta(seconds=30 * i) for i in range(1000))
    session = Session(rehearser.scenario, scenario_id, clock=lambda: next(ticks))
    for reply in rehearsal.replies:
        step = session.current()
        if isinstance(step, EndingReached):
            break
        text = reply.text if reply.option is None else step.options[reply.option - 1].text
        (assessment,) = rehearser.assess([(text, step.line)])
        session.submit(text, assessment, option=reply.option)
    return rehearsal.name, session


def make_class(folder: Path) -> list[Made]:
    """Twelve exports in `folder` (one per student and scenario); student B flags two replies."""
    folder.mkdir(parents=True, exist_ok=True)
    made = []
    start = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
    for s, student in enumerate(STUDENTS):
        name, rating = STUDENTS[student]
        for k, scenario_id in enumerate(SCENARIOS):
            when = start + timedelta(days=k, hours=s)
            rehearsal, session = play(scenario_id, s, when)
            scenario = _rehearser(scenario_id).scenario
            draft = compute_debrief(scenario, session.state)
            if student == "D":
                sa = SelfAssessment.skip()
            else:
                ratings = {r.skill: rating if rating is not None else (r.level or 3) for r in draft.skills}
                sa = SelfAssessment(ratings=ratings, service_user="She was scared.", self="<b>nervous</b>")
            flags = []
            if student == "B" and k < 2:
                first = next(line for line in draft.transcript if line.speaker == "learner")
                wrong = [first.present[0]] if first.present else []
                flags = [
                    {
                        "turn": first.index,
                        "wrong": wrong,
                        "missing": [] if wrong else ["empathy"],
                        "reason": f"<script>alert({k})</script> I think it was fine & kind",
                    }
                ]
            debrief = compute_debrief(scenario, session.state, sa, flags=flags, learner_name=name)
            path = folder / f"{student.lower()}-{scenario_id}.json"
            path.write_text(export(debrief, "json"), encoding="utf-8")
            made.append(Made(student, scenario_id, rehearsal, debrief, path))
    return made
