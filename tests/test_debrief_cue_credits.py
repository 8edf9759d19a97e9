"""A cue's `missing_note` ("You never ...") is not said when the debrief's own scores credit the same thing
(tester7, defect 1): the cue's `skill` names it, trainer.debrief.credits finds it in the replies.

The runs give the cues matched explicitly (none here), so these tests exercise the credit, not the phrase
lists; the last tests read the widened phrase lists through the real scorer.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.test_debrief_truth import debrief, messages
from trainer.debrief.compute import bundled_scenario

KELLY_HELLO = "hi im sam from early help, the school asked us to come round"
KELLY_TIME = f"{KELLY_HELLO}. it'll take about 45 mins, is now ok?"
JADE_LIMITS = ("u can tell me. most stuff stays between us but if i was worried ur not safe, or someone else "
               "isnt, i cant keep that secret - id talk to u first about who needs to know tho")
ARTHUR_DECLINES = "sorry arthur im not allowed to accept gifts, its against our policy"


def _never(d: Any, words: str) -> list[str]:
    return [m for m in messages(d) if words in m]


def test_kelly_told_how_long_in_chat_register_is_not_told_she_never_did() -> None:
    d = debrief("school-referral-home-visit", [("doorstep", KELLY_TIME, ("purpose",), ())])
    assert d.skill("purpose").parts["how_long"] == 1  # the scores credit it...
    assert not _never(d, "how long you would stay")  # ...so the cue's note is not said


def test_a_visit_with_no_time_said_is_still_told() -> None:
    d = debrief("school-referral-home-visit", [("doorstep", KELLY_HELLO, ("purpose",), ())])
    assert d.skill("purpose").parts["how_long"] is None
    assert _never(d, "You never said how long you would stay today")


def test_jade_told_the_limits_of_confidentiality_is_not_told_she_never_did() -> None:
    turns = [
        ("intro", "hiya im from the young carers service, it'll take about 20 mins", ("purpose",), ()),
        ("the_secret", JADE_LIMITS, ("boundaries",), ()),
    ]
    d = debrief("young-carer-online", turns)
    assert not _never(d, "what you would keep private")


def test_limits_not_stated_are_still_told() -> None:
    turns = [
        ("intro", "hiya im from the young carers service, it'll take about 20 mins", ("purpose",), ()),
        ("the_secret", "yeah course, go on", (), ()),
    ]
    assert _never(debrief("young-carer-online", turns), "You never explained what you would keep private")


def _arthur(reply: str, present: tuple[str, ...]) -> Any:
    return debrief("hospital-discharge-money", [("tomatoes", reply, present, ())])


def test_arthur_tomatoes_declined_kindly_is_not_told_he_never_turned_them_down() -> None:
    assert not _never(_arthur(ARTHUR_DECLINES, ("boundaries",)), "turned them down")


def test_tomatoes_taken_without_the_frame_are_still_told() -> None:
    assert _never(_arthur("aw thanks arthur theyll be lovely in a salad", ()), "never turned them down")


def test_the_frame_stated_in_the_very_next_reply_credits_the_tomatoes_as_the_score_does() -> None:
    d = debrief("hospital-discharge-money", [
        ("tomatoes", "oh lovely thanks", (), ()),
        ("money", "I can't take money, Arthur, it's against our rules", ("boundaries",), ()),
    ])
    assert "stated the frame in your next reply" in d.skill("boundaries").moments[0].verdict
    assert not _never(d, "turned them down")


def test_every_bundled_cue_skill_is_one_the_debrief_knows() -> None:
    from trainer.debrief.moments import FRAME_TESTS, PURPOSE_PARTS
    from trainer.scenario.schema import CUE_SKILLS, Cue

    known = {f"purpose:{p}" for p in PURPOSE_PARTS} | {f"boundaries:{k}" for k in FRAME_TESTS} \
        | {"boundaries:limits"}
    assert set(CUE_SKILLS) == known
    with pytest.raises(ValueError):
        Cue(phrases=["x"], skill="purpose:when")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("scenario_id", "cue_id", "reply", "context_node"),
    [
        ("young-carer-online", "confidentiality_limits", JADE_LIMITS, "the_secret"),
        ("school-referral-home-visit", "names_time", KELLY_TIME, "doorstep"),
        ("hospital-discharge-money", "declines_gift", ARTHUR_DECLINES, "tomatoes"),
    ],
)
def test_the_widened_phrases_hear_the_testers_replies(
    scenario_id: str, cue_id: str, reply: str, context_node: str, scorer: Any
) -> None:
    scenario = bundled_scenario(scenario_id)
    assert scenario is not None
    cues = scorer.compile_cues(scenario.cues)
    (assessment,) = scorer.assess_many([(reply, scenario.nodes[context_node].say)], cues=cues)
    assert cue_id in assessment.cues
