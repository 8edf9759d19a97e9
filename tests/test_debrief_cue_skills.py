"""A cue's `missing_note` is not said for what the student said in other words (a debrief review, h3): the
scenario cues that stand for a part of the purpose carry that part as their `skill`, so the debrief's own
per-skill judgement credits them (trainer.debrief.credits), and identity checks hear a name asked
("Kelly?"), not only "are you Kelly".

Each reply is scored by the real scorer with the scenario's cues, as the plain player scores it.
"""

from __future__ import annotations

import pytest

from tests.test_debrief_one_truth import _about, scored
from trainer.debrief.compute import bundled_scenario

pytestmark = pytest.mark.filterwarnings("ignore")

JADE_HELLO = ("hey jade, im sam, i help young people who look after someone at home. your head of year "
              "thought it might help to chat. we'll be done by break")
JADE_NEVER = "You never explained what the young carers' service is"


@pytest.mark.parametrize("reply", [
    JADE_HELLO,
    # none of the cue's words: why, said as the debrief's purpose parts hear it
    "hi jade, i'm sam. your teachers thought it might help to have a chat with someone",
])
def test_jade_told_why_in_other_words_is_not_told_she_never_was(scorer, reply):
    d = scored(scorer, "young-carer-online", [("intro", reply)])
    assert d.skill("purpose").parts["why"] == 1
    assert not _about(d, JADE_NEVER)  # before: said, beside "why you are meeting: reply 1"


def test_jade_never_told_why_is_still_told(scorer):
    d = scored(scorer, "young-carer-online", [("intro", "hi jade, i'm sam. how's your day going?")])
    assert d.skill("purpose").parts["why"] is None
    assert _about(d, JADE_NEVER)


KELLY_NEVER = "You never checked you were speaking to Kelly"


@pytest.mark.parametrize("reply", [
    "kelly? im jo from early help at the council. liams school got in touch about his mornings",
    "hiya, kelly? im jo, i work for early help at the council - liams school got in touch cos they're a bit "
    "worried about his mornings. wont keep u long, 30min max",
])
def test_kelly_asked_by_name_is_not_told_she_was_never_checked(scorer, reply):
    d = scored(scorer, "school-referral-home-visit", [("doorstep", reply)])
    assert not _about(d, KELLY_NEVER)  # before: said after "kelly?"


@pytest.mark.parametrize("reply", [
    "Hi Kelly, I'm Jo from early help. Liam's school got in touch about his mornings.",
    "I'm Jo from early help. What do you think, Kelly?",
])
def test_kelly_greeted_by_name_is_still_told_she_was_never_checked(scorer, reply):
    d = scored(scorer, "school-referral-home-visit", [("doorstep", reply)])
    assert _about(d, KELLY_NEVER)


def test_jordan_told_why_the_gp_asked_for_a_call_is_not_told_no_reply_named_the_referral(scorer):
    d = scored(scorer, "first-call-phone", [
        ("mum_answers", "Hello, it's Nadia from the council. Could you ask Jordan to call me back?"),
        ("jordan", "Thanks for ringing back. Your GP asked us to give you a ring, with your agreement - they "
                   "thought it might help to talk about how things are for you."),
    ])
    assert d.skill("purpose").parts["why"] == 2
    assert not _about(d, "No reply of yours named the GP's referral")  # before: said


def test_arthur_told_why_in_other_words_is_not_told_he_had_to_guess(scorer):
    d = scored(scorer, "hospital-discharge-money", [
        ("arrival", "Arthur? Hello, I'm Jo from the council - here's my ID. I'm here because we were asked "
                    "to see how you're managing now you're home. I'll be about an hour."),
    ])
    assert d.skill("purpose").parts["why"] == 1
    assert not _about(d, "You never linked your visit to his discharge")  # before: said
    assert not _about(d, "You never checked you were speaking to Mr Webb")


def test_sophie_told_how_long_in_other_words_is_not_told_her_time_was_never_acknowledged(scorer):
    d = scored(scorer, "keep-it-secret", [
        ("hello", "Hi Sophie, I'm Sam from family support. We can talk about Alfie's sleep, and we'll be "
                  "done by eleven, so you're home with time to spare."),
    ])
    assert d.skill("purpose").parts["how_long"] == 1
    assert not _about(d, "You never acknowledged the time Sophie had to be home by")


@pytest.mark.parametrize(("scenario_id", "cue_id", "skill"), [
    ("young-carer-online", "explains_service", "purpose:why"),
    ("first-call-phone", "names_referral", "purpose:why"),
    ("hospital-discharge-money", "explains_reablement", "purpose:why"),
    ("care-leaver-number", "names_role", "purpose:why"),
    ("carers-assessment-dementia", "ending_named", "purpose:next"),
    ("interpreter-son-offers", "next_steps", "purpose:next"),
    ("keep-it-secret", "names_time", "purpose:how_long"),
])
def test_cues_that_are_a_part_of_the_purpose_say_which(scenario_id, cue_id, skill):
    scenario = bundled_scenario(scenario_id)
    assert scenario is not None and scenario.cues[cue_id].skill == skill


JORDAN_MUM = ("Hello, thanks for answering. This is Sam from the council. I was hoping to speak to Jordan - "
              "it's for Jordan, so I can't say more than that, I'm afraid. Could you ask them to call me "
              "back on this number? If not, I'll try again at four this afternoon.")


@pytest.mark.parametrize(
    "reply", [JORDAN_MUM, "hi its sam from the council, is jordan there? ill try again later"]
)
def test_a_call_back_arranged_is_what_happens_next(scorer, reply):
    """At Jordan's mum, saying why would break Jordan's confidence: the safe reply names who is calling and
    when they will try again, and was told it "did not say why you were there or what happens next"."""
    d = scored(scorer, "first-call-phone", [("mum_answers", reply)])
    assert d.skill("purpose").parts["next"] == 1
    assert not _about(d, "did not say why you were there")
