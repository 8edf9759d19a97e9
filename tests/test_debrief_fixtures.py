"""Shared fixtures for the debrief, history and export tests: a small scenario and runs built by hand.

The runs are RunState objects constructed directly (not played through the engine), with assessment
mappings shaped as the scorer produces them, so these tests depend only on the engine's data model.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from trainer.scenario.engine import RunState, TurnRecord
from trainer.scenario.schema import Scenario

T0 = datetime(2026, 11, 20, 14, 0, tzinfo=UTC)

SCENARIO_DATA: dict[str, Any] = {
    "schema_version": 1,
    "title": "First home visit",
    "summary": "A first visit to a mother after the school raised a concern.",
    "setting": "Children's services, a home visit",
    "objectives": ["State the purpose", "Reflect feeling", "Keep the frame"],
    "service_user": {
        "name": "Sarah Jones",
        "pronouns": "she/her",
        "situation": "Single parent of two; the school called children's services.",
        "wants": "To be left alone.",
        "fears": "Losing the children.",
    },
    "cues": {
        "mentions_school": {
            "phrases": ["school", "teacher"],
            "missing_note": "You never explained that the school had called, so Sarah had to guess why you "
            "came.",
        },
        "mentions_kids": {"phrases": ["children", "kids"]},
    },
    "start": "door",
    "nodes": {
        "door": {
            "say": "Who are you? What do you want?",
            "expect": ["purpose"],
            "model_answers": [
                "I'm Alex, a student social worker from children's services. The school asked us to visit; "
                "can I explain why, and then hear from you?"
            ],
            "tip": "Say who you are and why you are here before anything else.",
            "default": {"goto": "fear"},
        },
        "fear": {
            "say": "I know what this is. You're going to take the kids off me. I'm scared.",
            "expect": ["empathy"],
            "model_answers": ["It sounds like you're frightened that this visit means losing the children."],
            "default": {"goto": "gift"},
        },
        "gift": {
            "say": "Look, have this tenner for your trouble and we'll say no more about it.",
            "default": {"goto": "end_crossed"},
        },
        "end_built": {
            "say": "Alright. Come in then.",
            "ending": {"outcome": "built", "title": "A door opened", "note": "Sarah let you in."},
        },
        "end_crossed": {
            "say": "(Sarah shrugs and closes the door.)",
            "ending": {
                "outcome": "boundary_crossed",
                "title": "Money changed hands",
                "note": "Taking money from a service user is always wrong (Moss): Sarah Jones now thinks you "
                "can be bought.",
            },
        },
    },
}


def scenario() -> Scenario:
    """The fixture scenario."""
    return Scenario.model_validate(SCENARIO_DATA)


def ev(text: str, words: str, signal: str, reason: str = "because") -> dict[str, Any]:
    """An evidence entry for `words` inside `text`, as the scorer writes it."""
    start = text.index(words)
    return {"signal": signal, "start": start, "end": start + len(words), "text": words,
            "source": "rule:test", "reason": reason}


def assess(text: str, *present: str, evidence: list[dict[str, Any]] | None = None,
           cues: list[str] | None = None) -> dict[str, Any]:
    """An assessment mapping with the given signals present (0.9) and the others absent (0.1)."""
    signals = ("empathy", "sympathy", "purpose", "boundaries", "overstep")
    return {"scores": {s: (0.9 if s in present else 0.1) for s in signals}, "cues": cues or [],
            "evidence": evidence or []}


def run(turns: list[tuple[str, str, str, dict[str, Any] | None]], *, node: str = "end_crossed",
        finished: bool = True, run_id: str = "run") -> RunState:
    """A RunState from (speaker, node, text, assessment) tuples, one minute apart."""
    records = [
        TurnRecord(speaker=speaker, node=n, text=text, time=T0 + timedelta(minutes=i),  # type: ignore[arg-type]
                   assessment=a, rule="default" if speaker == "learner" else None)
        for i, (speaker, n, text, a) in enumerate(turns)
    ]
    return RunState(run_id=run_id, scenario_id="first-home-visit", scenario_title="First home visit",
                    node=node, variables={"trust": 3, "distress": 7}, transcript=records, finished=finished,
                    started_at=T0, updated_at=T0 + timedelta(minutes=len(turns)))


DOOR = "Who are you? What do you want?"
FEAR = "I know what this is. You're going to take the kids off me. I'm scared."
GIFT = "Look, have this tenner for your trouble and we'll say no more about it."

R1 = "Hi, I'm just popping round for a chat."
R2 = "Oh I'm so sorry, don't worry, Sarah, nobody is taking anyone."
R3 = "That's kind, I'll take it and I won't tell anyone."


def poor_run(run_id: str = "poor") -> RunState:
    """A run that goes wrong: no purpose, sympathy at the fear, money accepted and secrecy promised."""
    return run(run_id=run_id, turns=[
        ("service_user", "door", DOOR, None),
        ("learner", "door", R1, assess(R1)),
        ("service_user", "fear", FEAR, None),
        ("learner", "fear", R2, assess(R2, "sympathy", evidence=[
            ev(R2, "I'm so sorry", "sympathy", "Pity"),
            ev(R2, "don't worry", "sympathy", "Closes it down")])),
        ("service_user", "gift", GIFT, None),
        ("learner", "gift", R3, assess(R3, "overstep", evidence=[
            ev(R3, "I'll take it", "overstep", "Accepts money"),
            ev(R3, "I won't tell anyone", "overstep", "Promises secrecy")])),
        ("service_user", "end_crossed", "(Sarah shrugs and closes the door.)", None),
    ])


G1 = "I'm Alex, a student social worker. The school asked us to visit, and I'd like to explain why."
G2 = "It sounds like you're frightened this means losing the kids."
G3 = "Thank you, but I can't take money. I'm here from the agency and I'll write up what we agreed."


def good_run(run_id: str = "good") -> RunState:
    """A run that goes well on every skill."""
    return run(run_id=run_id, turns=[
        ("service_user", "door", DOOR, None),
        ("learner", "door", G1, assess(G1, "purpose", cues=["mentions_school"],
                                       evidence=[ev(G1, "The school asked us to visit", "purpose")])),
        ("service_user", "fear", FEAR, None),
        ("learner", "fear", G2, assess(G2, "empathy", "purpose",
                                       evidence=[ev(G2, "It sounds like you're frightened", "empathy")])),
        ("service_user", "gift", GIFT, None),
        ("learner", "gift", G3, assess(G3, "boundaries", "empathy",
                                       evidence=[ev(G3, "I can't take money", "boundaries")])),
        ("service_user", "end_built", "Alright. Come in then.", None),
    ], node="end_built")


def exchange(said: str, text: str, assessment: dict[str, Any], *, node: str = "fear",
             finished: bool = False) -> RunState:
    """A run of one service-user line and one reply, at `node`."""
    return run([("service_user", node, said, None), ("learner", node, text, assessment)], node=node,
               finished=finished)
