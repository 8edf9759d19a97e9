"""interpreter-son-offers as a student typing chat register plays it (tester 6, job 2, items 4 and 5).

Each test plays replies through the real engine and scorer and reads what the learner is shown: where the
reply went, the coach's tip, the debrief's missed moments and the ending's note.
"""

from __future__ import annotations

import pytest

from tests.test_debrief_truth import play as debrief_run
from tests.test_scenario_roads import coach_tip, play
from trainer.authoring import rehearse as rh
from trainer.debrief.compute import compute_debrief
from trainer.scenario.conditions import cues_in
from trainer.scenario.loader import BUNDLED_DIR, load_scenario
from trainer.scenario.schema import Condition

SID = "interpreter-son-offers"
TESTER = "chat register at the door: thx, thu stays, so ur mum can speak for herself"


def at_door(reply: str, scorer: rh.Assessor) -> rh.Turn:
    loaded = load_scenario(BUNDLED_DIR / f"{SID}.yaml")
    played = rh.Rehearser(loaded.scenario, loaded.id, scorer).play([rh.parse_reply(reply, "test")])
    return played.turns[0]


def debrief_messages(played: rh.Played) -> list[str]:
    """The debrief's missed moments for a rehearsal as played (the signals present and the cues matched)."""
    turns = [(t.node, t.reply, tuple(t.present()), tuple(t.cues)) for t in played.turns]
    scenario, state = debrief_run(SID, turns, end=played.ending.node if played.ending else None)
    return [m.message for m in compute_debrief(scenario, state).missed]


# --- item 4: thanks, the interpreter kept and the reason, typed as chat -----------------------------------


def test_the_testers_door_reply_is_heard_and_not_told_to_do_what_it_did(scorer: rh.Assessor) -> None:
    played = play(SID, TESTER, scorer)
    door = played.turns[0]
    assert door.node == "door" and door.goto == "intro"
    assert {"why_interpreter", "keeps_interpreter"} <= set(door.cues)  # "ur mum" read as "your mum"
    tip = coach_tip(SID, played, "door")
    assert "thanks for his offer, the interpreter kept" not in tip and "Thank him" not in tip, tip
    said = " ".join(debrief_messages(played))
    assert "check you also said what they are for" not in said
    assert "never explained why a professional interpreter" not in said
    assert "would stay" not in said


@pytest.mark.parametrize(
    "reply",
    [
        "cheers minh, thanks for offering, but thu stays so ur mum can speak in her own words",
        "thanks but thu is staying, its so ur mum has her own voice",
        "thanks minh thats kind but we have to use thu so she can speak for herself",
        "thx, we need to use a pro interpreter so ur mum can say it in her own words",
    ],
)
def test_thu_kept_with_a_reason_in_chat_register_goes_in_with_thu(reply: str, scorer: rh.Assessor) -> None:
    turn = at_door(reply, scorer)
    assert {"why_interpreter", "keeps_interpreter"} <= set(turn.cues), turn.cues
    assert turn.goto == "intro", turn.goto


@pytest.mark.parametrize(
    "reply",
    ["thx minh but its policy, thu stays", "we have to use the interpreter its policy sorry",
     "sorry its the rules, the interpreter has to stay"],
)
def test_thu_kept_with_only_policy_as_the_reason_is_pushed_back_not_overruled(
    reply: str, scorer: rh.Assessor
) -> None:
    turn = at_door(reply, scorer)
    assert "keeps_interpreter" in turn.cues and "why_interpreter" not in turn.cues
    assert turn.goto == "minh_push"  # Minh does not interpret after the student said Thu stays


@pytest.mark.parametrize("reply", ["thx minh thats so helpful, u can translate then",
                                   "Oh, great, that'll save time. Thanks Minh."])
def test_accepting_his_offer_is_not_heard_as_keeping_thu(reply: str, scorer: rh.Assessor) -> None:
    turn = at_door(reply, scorer)
    assert "keeps_interpreter" not in turn.cues
    assert turn.goto == "son_interprets"


def test_policy_alone_gets_minhs_answer_and_thu_stays(scorer: rh.Assessor) -> None:
    played = play(SID, "chat register, policy as the only reason: Minh pushes back, Thu stays", scorer)
    assert "(Blocking the doorway a little.) Rules. Right." in played.turns[1].line
    assert "son_interprets" not in played.path


# --- item 5: each boundary_crossed ending names what was done ---------------------------------------------


def test_a_promise_of_secrecy_ends_as_what_it_was_not_as_telling_her_son(scorer: rh.Assessor) -> None:
    played = play(SID, TESTER, scorer)
    assert played.ending is not None and played.ending.node == "end_promised"
    note = played.ending.ending.note
    assert "passed on" not in note and "beyond what the role allows" in note
    assert played.ending.ending.outcome.value == "boundary_crossed"


def test_an_offer_to_minh_that_passes_nothing_on_is_not_called_telling_him(scorer: rh.Assessor) -> None:
    played = play(SID, "nothing passed on, but more than the role allows offered to Minh", scorer)
    assert played.ending is not None and played.ending.node == "end_promised"
    assert "tells_minh" not in played.turns[-1].cues


def _needed(cond: Condition | None) -> set[str]:
    """The cues a condition cannot hold without (not those under a `not`, nor one of several `any`)."""
    if cond is None:
        return set()
    found = {cond.cue} if cond.cue else set()
    for part in cond.all or ():
        found |= _needed(part)
    if cond.any and len(cond.any) == 1:
        found |= _needed(cond.any[0])
    return found


def test_only_her_words_passed_on_reach_the_ending_that_says_so() -> None:
    scenario = load_scenario(BUNDLED_DIR / f"{SID}.yaml").scenario
    assert "You passed on to her son" in scenario.nodes["end_told"].ending.note
    cue = scenario.cues["tells_minh"]
    for node_id, node in scenario.nodes.items():
        for rule in node.responses:
            if rule.goto == "end_told":
                assert "tells_minh" in _needed(rule.if_), (node_id, sorted(cues_in(rule.if_)))
        for option in node.options:
            if option.goto == "end_told":
                assert any(p.lower() in option.say.lower() for p in cue.phrases), option.say
        if node.default is not None:
            assert node.default.goto != "end_told", node_id
