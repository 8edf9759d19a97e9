"""Things to try follow the kind of overstep the scorer found (tester7, defect 2): by the rule ids in the
overstep evidence, by words only when no known rule is there; and "Keep doing what worked ... kept the
frame" is never said when a reply overstepped."""

from __future__ import annotations

from typing import Any

from tests.test_debrief_fixtures import G1, G2, assess, ev, run, scenario
from trainer.debrief.compute import compute_debrief
from trainer.debrief.model import Debrief
from trainer.debrief.selfassess import SelfAssessment
from trainer.scenario.engine import RunState

RATED = SelfAssessment(ratings={"empathy": 4, "purpose": 3, "boundaries": 4}, service_user="Scared",
                       self_="Awkward")
DOOR = "Who are you? What do you want?"
FEAR = "I know what this is. You're going to take the kids off me. I'm scared."


def _run(said: str, reply: str, evidence: list[dict[str, Any]]) -> RunState:
    """The good opening (purpose, the fear reflected), then `said` answered by an overstepping `reply`."""
    return run(run_id="t7", node="fear", finished=False, turns=[
        ("service_user", "door", DOOR, None),
        ("learner", "door", G1, assess(G1, "purpose",
                                       evidence=[ev(G1, "The school asked us to visit", "purpose")])),
        ("service_user", "fear", FEAR, None),
        ("learner", "fear", G2, assess(G2, "empathy", "purpose",
                                       evidence=[ev(G2, "It sounds like you're frightened", "empathy")])),
        ("service_user", "fear", said, None),
        ("learner", "fear", reply, assess(reply, "overstep", evidence=evidence)),
    ])


def _rule(reply: str, words: str, rule: str) -> dict[str, Any]:
    return {**ev(reply, words, "overstep"), "source": f"rule:{rule}"}


def ids(d: Debrief) -> list[str]:
    return [s.id for s in d.suggestions]


def test_availability_at_night_gets_the_friendly_not_a_friend_suggestion_not_keep_practising() -> None:
    reply = "just text my work phone whenever, even at night, i honestly dont mind x"
    d = compute_debrief(scenario(), _run("Can I text you?", reply,
                                         [_rule(reply, "even at night", "unlimited_availability")]))
    assert "not-a-friend" in ids(d)
    assert "keep-practising" not in ids(d)
    assert not any("kept the frame" in s.text for s in d.suggestions)


def test_money_taken_just_this_once_gets_the_money_suggestion() -> None:
    reply = "ok ill take it for the petrol but just this once"
    d = compute_debrief(scenario(), _run("For your petrol. No, I insist.", reply,
                                         [_rule(reply, "just this once", "accepts_offer")]))
    assert ids(d)[0] == "gifts-and-money"
    assert "confidentiality-limits" not in ids(d) and "not-a-friend" not in ids(d)


def test_a_promise_of_an_outcome_is_not_told_about_secrets() -> None:
    reply = "nobody is putting you in a home, i promise"
    classifier = {**ev(reply, reply, "overstep"), "source": "classifier"}
    d = compute_debrief(scenario(), _run("They'll put me in a home, won't they?", reply, [classifier]))
    assert "confidentiality-limits" not in ids(d) and "hold-the-limits" not in ids(d)
    assert "honest-promises" in ids(d)


def test_a_secrecy_rule_still_gets_the_secrecy_suggestion() -> None:
    reply = "course, I'll keep it between us"
    d = compute_debrief(scenario(), _run("Can you keep something to yourself?", reply,
                                         [_rule(reply, "keep it between us", "secrecy")]))
    assert "confidentiality-limits" in ids(d)


def test_an_overstep_of_no_known_kind_gets_a_frame_suggestion_never_keep_practising() -> None:
    reply = "sure, whatever you like"
    d = compute_debrief(scenario(), _run("Can I ask you something?", reply, []), RATED)
    assert "keep-practising" not in ids(d)
    # a boundaries suggestion: no particular kind applies, so the general one (or, as no reply stated the
    # frame, "name the ending")
    assert {"frame-tested", "name-the-ending"} & set(ids(d))


def test_the_general_frame_suggestion_when_the_frame_was_stated_once_and_crossed_once() -> None:
    reply = "sure, whatever you like"
    state = _run("Can I ask you something?", reply, [])
    said = "Will you write this down?"
    frame = "I will, and I'll show you what I write; that's how it works here."
    state.transcript[4:4] = [
        state.transcript[2].model_copy(update={"text": said}),
        state.transcript[3].model_copy(update={"text": frame, "assessment": assess(frame, "boundaries")}),
    ]
    d = compute_debrief(scenario(), state, RATED)
    assert "frame-tested" in ids(d) and "keep-practising" not in ids(d)


def test_a_session_that_kept_the_frame_is_still_told_to_keep_going() -> None:
    from tests.test_debrief_fixtures import good_run

    assert ids(compute_debrief(scenario(), good_run(), RATED)) == ["keep-practising"]
