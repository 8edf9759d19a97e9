"""One debrief tells the student one true thing (a new-user tester, h2): no "You never ..." or "reply N did
not ..." for what the transcript shows was said in other words, and no two sections saying opposite things
about the same moment (a touch declined praised in one place and treated as offered in another).

The replies are scored by the real scorer (the `scorer` fixture) with the scenario's cues, as the plain
player scores them; each reply follows the node's own line.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.test_debrief_truth import messages, play
from trainer.debrief.compute import bundled_scenario, compute_debrief
from trainer.debrief.model import Debrief
from trainer.debrief.moments import PURPOSE_PARTS
from trainer.debrief.rules import PURPOSE_ORDER
from trainer.debrief.suggestions import TABLE

pytestmark = pytest.mark.filterwarnings("ignore")


def scored(scorer: Any, scenario_id: str, turns: list[tuple[str, str]], *, end: str | None = None) -> Debrief:
    """The debrief of a run through `turns` (node, reply), each reply assessed by the real scorer after the
    node's line, with the scenario's cues."""
    scenario = bundled_scenario(scenario_id)
    assert scenario is not None
    cues = scorer.compile_cues(scenario.cues)
    _, state = play(scenario_id, [(node, reply, (), ()) for node, reply in turns], end=end)
    records = []
    for record in state.transcript:
        if record.speaker == "learner":
            said = scenario.nodes[record.node].say
            a = scorer.assess(record.text, context=said, cues=cues)
            stored = {"scores": a.scores, "cues": list(a.cues), "evidence": [e.as_dict() for e in a.evidence],
                      "acts": [act.as_dict() for act in a.acts]}
            record = record.model_copy(update={"assessment": stored})
        records.append(record)
    return compute_debrief(scenario, state.model_copy(update={"transcript": records}))


def _about(d: Debrief, words: str) -> list[str]:
    return [m for m in messages(d) if words in m]


# --- 1. "You never ..." / "reply N did not ..." for what was said in other words -------------------------

KELLY_CHAT = ("hiya, kelly? im jo, i work for early help at the council - liams school got in touch cos "
              "they're a bit worried about his mornings. wont keep u long, 30min max")


def test_kelly_told_who_why_and_how_long_in_chat_register_is_told_none_of_them_was_missing(scorer):
    d = scored(scorer, "school-referral-home-visit", [("doorstep", KELLY_CHAT)])
    parts = d.skill("purpose").parts
    assert (parts["who"], parts["why"], parts["how_long"]) == (1, 1, 1)
    # before: "reply 1 did not say why you were there or what happens next" beside "why you are meeting:
    # reply 1", and "You never said how long you would stay today" after "30min max"
    assert not _about(d, "did not say why you were there")
    assert not _about(d, "how long you would stay")


def test_the_first_three_replies_are_not_told_they_gave_no_purpose_when_the_parts_credit_one(scorer):
    d = scored(scorer, "school-referral-home-visit", [
        ("doorstep", KELLY_CHAT),
        ("who_called", "sounds like you're scared we're here to take them, that must be frightening"),
        ("door_closing", "youre doing nights and holding everything together on your own, thats a lot"),
    ])
    # before: "Your first three replies did not say why you were there, ..."
    assert not [m for m in d.missed if m.rule == "no-purpose"]
    assert not [m for m in d.missed if m.reply == 1 and "purpose" in m.signals]


def test_a_reply_giving_only_who_you_are_is_told_what_it_did_and_what_it_did_not(scorer):
    d = scored(scorer, "school-referral-home-visit", [("doorstep", "Hi, I'm Jo.")])
    assert d.skill("purpose").parts["who"] == 1
    [moment] = [m for m in d.missed if m.reply == 1]
    assert "reply 1 said who you are, but did not say why you were there" in moment.message


@pytest.mark.parametrize("reply", [
    "I keep notes, and you can see them. If I was worried you weren't safe I'd have to speak to someone.",
    "Nothing you say goes to your mum or school unless it's about your safety.",
    "If I think you're in trouble I'll pass it on to my manager, but I'd tell you first.",
])
def test_jade_told_the_limits_in_other_words_is_not_told_she_never_was(scorer, reply):
    d = scored(scorer, "young-carer-online", [("the_secret", reply)])
    assert not _about(d, "You never explained what you would keep private")


def test_limits_never_said_are_still_told(scorer):
    d = scored(scorer, "young-carer-online", [("the_secret", "yeah course, go on, I'm listening")])
    assert _about(d, "You never explained what you would keep private")


def test_sophie_told_what_happens_next_is_not_told_it_was_not_yet_said(scorer):
    d = scored(scorer, "keep-it-secret", [
        ("time_up", "Before you go: ring 999 if you're in danger, press 55 if you can't talk. Let's meet "
                    "here next Thursday with my colleague from the domestic abuse service."),
    ])
    parts = d.skill("purpose").parts
    assert parts["next"] == 1
    assert parts["who"] is None  # her colleague's service is not the worker's own agency


# --- 2. two sections about touch that agree ------------------------------------------------------------

SOPHIE_TO_HAND = [
    ("hello", "Hi Sophie, I'm Sam from family support. We can talk about Alfie's sleep, and the health "
              "visitor was a bit worried about how things are for you too. You'll be out by quarter past."),
    ("told", "Thank you for telling me. What you've said about the cot means I need to talk to my manager "
             "today, and I want to plan it with you so it keeps you and Alfie safe."),
]


@pytest.mark.parametrize("decline", [
    "I'm not going to hold your hand, but I'm right here, take your time, there's no rush.",
    "Hugs aren't something I can do as your worker, but I'm right here and we've got time.",
    "I'd rather not hold hands, Sophie - but I'm not going anywhere. Take all the time you need.",
])
def test_touch_declined_is_praised_and_not_listed_as_touch_offered(scorer, decline):
    d = scored(scorer, "keep-it-secret", [*SOPHIE_TO_HAND, ("hand", decline)])
    [moment] = [m for m in d.skill("boundaries").moments if m.reply == 3]
    assert moment.verdict == "you stated the frame"
    assert not _about(d, "You spoke of touch")  # before: "If you offered it: ..." under missed moments
    assert "physical-contact" not in [s.id for s in d.suggestions]


def test_a_hug_offered_is_told_once_and_the_advice_agrees_with_the_moments_tip(scorer):
    d = scored(scorer, "keep-it-secret", [*SOPHIE_TO_HAND, ("hand", "Come here, let me give you a hug.")])
    assert _about(d, "You spoke of touch")
    [touch] = [s for s in d.suggestions if s.id == "physical-contact"]
    tip = bundled_scenario("keep-it-secret").nodes["hand"].tip  # "Touch is a judgement, not a rule ..."
    assert "judgement" in tip and "If you choose contact, keep it brief" in tip
    # before: "Physical contact ... always crosses the frame" beside the tip's "a judgement, not a rule"
    assert "always" not in touch.text.lower() and "keep it brief" in touch.text


def test_no_suggestion_says_touch_always_crosses_the_frame():
    """Moss (2015): physical contact "can be misunderstood"; the bundled scenarios call touch a judgement
    (keep-it-secret) and taking a confused man's hands for a moment one too (carers-assessment-dementia)."""
    for entry in TABLE:
        text = entry.suggestion.text.lower()
        assert not ("touch" in text or "contact" in text) or "always crosses" not in text


def test_a_reassurance_after_a_refusal_in_another_clause_is_still_a_reassurance(scorer):
    d = scored(scorer, "school-referral-home-visit", [
        ("cant_promise", "I can't promise anything, but don't worry, it'll be fine."),
    ])
    assert _about(d, "You reassured Kelly")


# --- "If you took ..." is the learner's act, not a moment that came ----------------------------------------

ARTHUR_SAYS_NO = "That's so kind of you Arthur, but I'm not allowed to accept gifts - you enjoy them."
ARTHUR_NO_MONEY = "I can't take money, Arthur, it's against our rules, but thank you."


def test_tomatoes_declined_are_not_told_they_should_have_gone_to_the_office(scorer):
    d = scored(scorer, "hospital-discharge-money", [("tomatoes", ARTHUR_SAYS_NO), ("money", ARTHUR_NO_MONEY)])
    # before: "You never said they were for the office and would be noted on his file." as a fact
    assert not _about(d, "for the office")


def test_tomatoes_taken_are_told_with_the_condition_kept(scorer):
    d = scored(scorer, "hospital-discharge-money", [
        ("tomatoes", "Oh lovely, thank you Arthur, they'll go nicely in a salad."),
        ("money", ARTHUR_NO_MONEY),
    ])
    [note] = _about(d, "for the office")
    assert "If you took Arthur's tomatoes" in note


def test_the_rules_list_the_purpose_parts_in_the_debriefs_order():
    assert PURPOSE_ORDER == tuple(PURPOSE_PARTS)


JADE_HELLO = ("hey jade, im sam, i help young people who look after someone at home. your head of year "
              "thought it might help to chat. we'll be done by break, promise")


def test_jade_told_who_and_how_long_in_chat_register_is_not_told_she_never_was(scorer):
    d = scored(scorer, "young-carer-online", [("intro", JADE_HELLO)])
    parts = d.skill("purpose").parts
    assert (parts["who"], parts["why"], parts["how_long"]) == (1, 1, 1)
    assert not _about(d, "how long you would keep her out of class")  # before: said, after "by break"


def test_the_agency_suggestion_says_who_you_said_you_are_instead_of_asking_for_it():
    from tests.test_debrief_truth import debrief

    d = debrief("school-referral-home-visit", [("doorstep", "Hi Kelly, I'm Jo.", (), ())])
    assert d.skill("purpose").parts["who"] == 1 and d.skill("boundaries").shown == 0
    agency = [s for s in d.suggestions if s.id == "agency-and-manager"]
    assert all(s.text.startswith("You said who you are (reply 1).") for s in agency)
    for s in d.suggestions:
        if s.id == "state-purpose":  # names what is missing, not the parts reply 1 gave
            assert s.text.startswith("Not yet said in this meeting: why you are meeting, ")
