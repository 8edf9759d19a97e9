"""The simulated person hears what was said: roads a new-user tester (and the play-through after) found
where the next line contradicted the student's reply. Each plays a rehearsal from scenarios/rehearsals/
through the real engine and scorer and reads the line the student is shown next.

The mechanism is the cues' `negated` mark (trainer.scenario.negation; tests/test_negated_cues.py): a
reply that names an act only to refuse it no longer takes the act's road.
"""

from __future__ import annotations

import pytest

from trainer.authoring import rehearse as rh
from trainer.scenario.loader import BUNDLED_DIR, load_scenario


def play(scenario_id: str, rehearsal_name: str, scorer: rh.Assessor) -> rh.Played:
    """The rehearsal whose name starts with `rehearsal_name`, played through the engine (it must reach the
    ending it expects)."""
    loaded = load_scenario(BUNDLED_DIR / f"{scenario_id}.yaml")
    rehearsals = rh.load_rehearsals(rh.rehearsal_file(loaded.path))
    (rehearsal,) = [r for r in rehearsals if r.name.startswith(rehearsal_name)]
    played = rh.Rehearser(loaded.scenario, loaded.id, scorer).play(rehearsal.replies)
    assert played.ending is not None and played.ending.node == rehearsal.expect_ending, played.path
    return played


def line_after(played: rh.Played, node: str) -> str:
    """What the service user says next after the learner's reply at `node`."""
    turns = played.turns
    (i,) = [i for i, t in enumerate(turns) if t.node == node]
    return turns[i + 1].line if i + 1 < len(turns) else played.ending.line  # type: ignore[union-attr]


@pytest.mark.parametrize(
    "rehearsal",
    [
        "the hand declined in words the scorer does not read as the frame:",
        "a hug wanted and taken back in one breath:",
    ],
)
def test_sophie_does_not_hold_on_to_a_student_who_declined(rehearsal: str, scorer: rh.Assessor) -> None:
    played = play("keep-it-secret", rehearsal, scorer)
    assert "held" not in played.path
    assert "holds on to you" not in line_after(played, "hand")
    (at_hand,) = [t for t in played.turns if t.node == "hand"]
    assert at_hand.variables["touched"] == 0 and at_hand.cues == []


def test_arthur_answers_the_reason_given_for_refusing_the_money(scorer: rh.Assessor) -> None:
    played = play(
        "hospital-discharge-money",
        "the money refused with the manager named:",
        scorer,
    )
    said = line_after(played, "money")
    assert "Rules." in said and "who's going to tell them" in said, said
    assert "don't be daft" not in said


def test_lloyd_is_not_thrown_out_for_being_told_nobody_will_make_him_move(scorer: rh.Assessor) -> None:
    played = play("self-neglect-unwise", "'nobody is going to make you move':",
                  scorer)
    assert "end_overridden" not in played.path and "Out." not in line_after(played, "heater")


def test_naomi_is_not_told_she_cannot_cope_by_im_not_saying_you_cant_cope(scorer: rh.Assessor) -> None:
    played = play("parent-learning-disability",
                  "'I'm not saying you can't cope':", scorer)
    assert "end_judged" not in played.path and "thick" not in line_after(played, "money")


def test_refusing_false_reassurance_is_not_false_reassurance(scorer: rh.Assessor) -> None:
    played = play("s47-hostile-father",
                  "'I can't tell you it's nothing to worry about':", scorer)
    assert "end_false" not in played.path


def test_saying_you_are_not_leaving_does_not_put_you_at_your_car(scorer: rh.Assessor) -> None:
    played = play("s47-hostile-father",
                  "'I'm not going to leave without talking about tonight':",
                  scorer)
    assert "at your car" not in line_after(played, "rising")
    assert played.path[played.path.index("rising") + 1] == "still_blocking"


def test_helen_is_not_relieved_by_a_refusal_to_keep_it_off_the_record(scorer: rh.Assessor) -> None:
    played = play("carers-assessment-dementia",
                  "'I can't promise I won't put it in my notes':", scorer)
    assert "off_record" not in played.path and "Relieved" not in line_after(played, "shouted")


def test_jade_does_not_follow_a_worker_who_refused_instagram(scorer: rh.Assessor) -> None:
    played = play("young-carer-online",
                  "Instagram refused, then any time offered:", scorer)
    assert played.ending is not None and "Followed" not in played.ending.line


def test_tyler_does_not_save_a_number_he_was_refused(scorer: rh.Assessor) -> None:
    played = play("care-leaver-number",
                  "the personal number refused, then any time offered:",
                  scorer)
    said = line_after(played, "number_ask")
    assert "saves it" not in said and "what's your number" in said, said


def test_sophie_hears_the_safe_reply_and_the_declined_hand_typed_in_chat(scorer: rh.Assessor) -> None:
    # "we'll plan it with u" missed the pattern of `plan_with_her` (`{LOWER: you}`): the road went to
    # "Not protected yet"; and "i dont think i shud hold ur hand" was not read as a refusal of the hand
    played = play(
        "keep-it-secret", "the safe reply and the hand declined, typed in the chat register:", scorer
    )
    (told,) = [t for t in played.turns if t.node == "told"]
    assert {"act_today", "plan_with_her"} <= set(told.cues)
    (at_hand,) = [t for t in played.turns if t.node == "hand"]
    assert at_hand.variables["touched"] == 0 and at_hand.cues == []
    assert "holds on to you" not in line_after(played, "hand")
