"""Acting on a disclosure of risk across the learner's consecutive replies (tester5, issue 1).

Jade discloses her mum's overdose (young-carer-online, `secret_told`), then asks "And then what?"
(`mum_again`; both marked `risk:` with safe_reply [tell_manager_today, help_for_mum]). A student who says
"my manager today" at the first and "her GP and an assessment" at the second has acted on it: the engine
routes on, the coach never says "The risk was not acted on", and warmth alone still never resolves it.
"""

from __future__ import annotations

import itertools
from typing import Any

import pytest

from trainer.practice.coaching import reply_note, unacted_risks
from trainer.scenario.engine import EndingReached, Prompt, Session
from trainer.scenario.loader import BUNDLED_DIR, load_scenario
from trainer.scenario.risk import RiskProgress, risk_progress
from trainer.scenario.schema import Scenario

SAFE = ("tell_manager_today", "help_for_mum")
NOT_ACTED = "The risk was not acted on"
IN_PART = "The risk was acted on in part"


def young_carer() -> Scenario:
    return load_scenario(BUNDLED_DIR / "young-carer-online.yaml").scenario


def said(present: tuple[str, ...] = (), cues: tuple[str, ...] = ()) -> dict[str, Any]:
    signals = ("empathy", "sympathy", "purpose", "boundaries", "overstep")
    return {"scores": {s: 0.9 if s in present else 0.1 for s in signals}, "cues": list(cues), "evidence": []}


def at_the_disclosure(scenario: Scenario) -> Session:
    """A run of young-carer-online up to Jade's disclosure (secret_told)."""
    session = Session(scenario, "young-carer-online")
    session.submit("I'm from the young carers' service.", said(("purpose",), ("explains_service",)))
    session.submit("That sounds like a lot.", said(("empathy",)), option=1)
    session.submit("So it all knocks on.", said(("empathy",)))
    step = session.submit("Most things stay between us, but...", said(("boundaries",)), option=1)
    assert isinstance(step, Prompt) and step.node == "secret_told"
    return session


def notes(scenario: Scenario, session: Session) -> list[str]:
    transcript = session.state.transcript
    found = [reply_note(scenario, transcript, i, pronouns="she/her") for i in range(len(transcript))]
    return [n.summary() for n in found if n is not None]


def test_manager_today_then_her_gp_acts_on_it_across_the_two_replies() -> None:
    scenario = young_carer()
    session = at_the_disclosure(scenario)
    step = session.submit("wow thats so scary. i need to talk to my manager today ok",
                          said(("empathy",), ("tell_manager_today",)))
    assert isinstance(step, Prompt) and step.node == "mum_again"
    assert step.line.startswith("(She doesn't look up from her phone.) Your manager. And then what?")
    step = session.submit("my manager will help get your mum her own support, like her GP",
                          said(("empathy",), ("help_for_mum",)))
    assert isinstance(step, Prompt) and step.node == "friend_request"  # not "Left holding it"
    first, second = notes(scenario, session)[-2:]
    assert first.startswith(f"{IN_PART} (a parent's overdose")
    assert "Done: says the worker will talk to the manager today." in first
    assert "Still to do: says her mum will get help in her own right (her own assessment, her GP)." in first
    assert NOT_ACTED not in first and NOT_ACTED not in second and IN_PART not in second
    assert unacted_risks(scenario, session.state.transcript, len(session.state.transcript) - 2) == []


def test_warmth_after_a_part_leaves_it_in_part_and_the_ending_does_not_say_nothing_was_said() -> None:
    scenario = young_carer()
    session = at_the_disclosure(scenario)
    session.submit("I need to talk to my manager today.", said(("empathy",), ("tell_manager_today",)))
    step = session.submit("It sounds like you're really worried about her.", said(("empathy",)))
    assert isinstance(step, EndingReached) and step.node == "end_not_acted"
    assert "still carrying it on her own" not in step.line  # the line for "nothing was said" is not used
    assert "That did not happen here" not in step.ending.note
    assert "your replies did not say both" in step.ending.note
    last = notes(scenario, session)[-1]
    assert last.startswith(IN_PART) and "Still to do: says her mum will get help" in last


def test_warmth_alone_is_never_acting_on_it() -> None:
    scenario = young_carer()
    session = at_the_disclosure(scenario)
    session.submit("That sounds really frightening.", said(("empathy",)))
    step = session.submit("It sounds like you're really worried about her.", said(("empathy",)))
    assert isinstance(step, EndingReached) and step.node == "end_not_acted"
    assert all(n.startswith(NOT_ACTED) for n in notes(scenario, session)[-2:])


SUBSETS = [(), ("tell_manager_today",), ("help_for_mum",), SAFE]


@pytest.mark.parametrize(("first", "second"), list(itertools.product(SUBSETS, SUBSETS)))
def test_the_route_and_the_coach_agree_for_every_way_of_saying_the_parts(
    first: tuple[str, ...], second: tuple[str, ...]
) -> None:
    scenario = young_carer()
    session = at_the_disclosure(scenario)
    step = session.submit("first reply", said(("empathy",), first))
    if set(first) == set(SAFE):
        assert isinstance(step, Prompt) and step.node == "friend_request"
        assert not any(IN_PART in n or NOT_ACTED in n for n in notes(scenario, session))
        return
    assert isinstance(step, Prompt) and step.node == "mum_again"
    step = session.submit("second reply", said(("empathy",), second))
    acted = set(first) | set(second) >= set(SAFE)
    assert step.node == ("friend_request" if acted else "end_not_acted")
    first_note, second_note = notes(scenario, session)[-2:]
    for note, so_far in ((first_note, set(first)), (second_note, set(first) | set(second))):
        if so_far >= set(SAFE):
            assert NOT_ACTED not in note and IN_PART not in note
        elif so_far:
            assert note.startswith(IN_PART)  # never "not acted on" once a reply said part of it
        else:
            assert note.startswith(NOT_ACTED)


def _chain(follow_up_marked: bool) -> Scenario:
    """A disclosure, then a follow-up moment (marked `risk:` or not) whose rule to `built` needs both cues."""
    risk = {"disclosure": "children alone overnight", "safe_reply": ["manager", "tonight"]}
    follow: dict[str, Any] = {
        "say": "So what happens now?",
        "responses": [{"if": {"all": [{"cue": "manager"}, {"cue": "tonight"}]}, "goto": "good"}],
        "default": {"goto": "bad"},
    }
    if follow_up_marked:
        follow["risk"] = risk
    return Scenario.model_validate({
        "schema_version": 1, "title": "T", "summary": "S", "setting": "S", "objectives": ["o"],
        "service_user": {"name": "N", "situation": "s", "wants": "w", "fears": "f"},
        "cues": {"manager": {"phrases": ["my manager"]}, "tonight": {"phrases": ["tonight"]}},
        "start": "told",
        "nodes": {
            "told": {"say": "They're on their own at night.", "risk": risk,
                     "responses": [{"if": {"all": [{"cue": "manager"}, {"cue": "tonight"}]}, "goto": "good"}],
                     "default": {"goto": "follow"}},
            "follow": follow,
            "good": {"say": "OK.", "ending": {"outcome": "built", "title": "G", "note": "n"}},
            "bad": {"say": "Go.", "ending": {"outcome": "partial", "title": "B", "note": "n"}},
        },
    })


@pytest.mark.parametrize(("marked", "ending"), [(True, "good"), (False, "bad")])
def test_parts_count_together_only_at_consecutive_risk_moments(marked: bool, ending: str) -> None:
    scenario = _chain(marked)
    session = Session(scenario, "chain")
    session.submit("I'll talk to my manager.", said(cues=("manager",)))
    step = session.submit("And a plan for tonight.", said(cues=("tonight",)))
    assert isinstance(step, EndingReached) and step.node == ending


def test_risk_progress_keeps_the_parts_said_and_clears_on_the_last() -> None:
    scenario = _chain(True)
    part = risk_progress(scenario, [("told", ["manager"])])
    assert part.pending == {"told"} and part.parts_said("told") == {"manager"}
    done = part.after(scenario, "follow", ["tonight"])
    assert done == RiskProgress(frozenset(), frozenset({"manager", "tonight"}), frozenset())
    # an unmarked moment ends the run: "tonight" there does not finish what "my manager" began
    broken = risk_progress(_chain(False), [("told", ["manager"]), ("follow", ["tonight"])])
    assert broken.pending == {"told"} and broken.parts_said("told") == {"manager", "tonight"}


def test_every_part_said_but_after_the_risk_moments_is_said_late_not_unsaid() -> None:
    scenario = _chain(False)
    session = Session(scenario, "chain")
    session.submit("I'll talk to my manager.", said(cues=("manager",)))
    session.submit("And a plan for tonight.", said(cues=("tonight",)))
    last = notes(scenario, session)[-1]
    assert last == ("The risk was acted on in part (children alone overnight). Done: manager; tonight. "
                    "But not together, at the moments the risk was raised.")
