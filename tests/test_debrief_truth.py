"""The debrief says only what is true of the run (student tester t11: F5, F7, F11, F31, F38).

Each test replays the tester's example on the bundled scenario, with the assessments the scorer gave (the
signals present and the cues matched), and reads what the student reads: the missed moments and the
things to try.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from trainer.debrief.compute import bundled_scenario, compute_debrief
from trainer.debrief.model import Debrief
from trainer.debrief.rules import cue_moments
from trainer.scenario.placeholders import fill
from trainer.scenario.schema import Scenario
from trainer.scenario.state import RunState, TurnRecord

T0 = datetime(2026, 12, 1, 0, 0, tzinfo=UTC)
Turn = tuple[str, str, tuple[str, ...], tuple[str, ...]]
"""(node, reply, signals present, cues matched)."""


def _scenario(scenario_id: str) -> Scenario:
    scenario = bundled_scenario(scenario_id)
    assert scenario is not None
    return scenario


def assessment(present: tuple[str, ...] = (), cues: tuple[str, ...] = ()) -> dict[str, Any]:
    signals = ("empathy", "sympathy", "purpose", "boundaries", "overstep")
    return {"scores": {s: 0.9 if s in present else 0.1 for s in signals}, "cues": list(cues), "evidence": []}


def play(
    scenario_id: str, turns: list[Turn], *, end: str | None = None, said: dict[str, str] | None = None
) -> tuple[Scenario, RunState]:
    """A run of `turns`: each node's line (or `said[node]`), then the reply; finished at `end`."""
    scenario = _scenario(scenario_id)
    records: list[TurnRecord] = []
    for node_id, reply, present, cues in turns:
        node = scenario.nodes[node_id]
        records.append(
            TurnRecord(
                speaker="service_user",
                node=node_id,
                text=(said or {}).get(node_id, node.say),
                name=node.speaker,
                time=T0 + timedelta(minutes=len(records)),
            )
        )
        # a reply that is one of the node's options is recorded as picked (its 1-based number)
        shown = [" ".join(fill(o.say, None).split()) for o in node.options]  # as picked with no name set
        option = next((i for i, say in enumerate(shown, 1) if say == reply), None)
        records.append(
            TurnRecord(
                speaker="learner",
                node=node_id,
                text=reply,
                assessment=assessment(present, cues),
                time=T0 + timedelta(minutes=len(records)),
                rule="default",
                option=option,
            )
        )
    if end is not None:
        records.append(
            TurnRecord(
                speaker="service_user",
                node=end,
                text=scenario.nodes[end].say,
                time=T0 + timedelta(minutes=len(records)),
            )
        )
    state = RunState(
        run_id="t11",
        scenario_id=scenario_id,
        scenario_title=scenario.title,
        node=end or turns[-1][0],
        variables={},
        transcript=records,
        finished=end is not None,
        started_at=T0,
        updated_at=T0 + timedelta(minutes=len(records)),
    )
    return scenario, state


def debrief(scenario_id: str, turns: list[Turn], **kw: Any) -> Debrief:
    scenario, state = play(scenario_id, turns, **kw)
    return compute_debrief(scenario, state)


def messages(d: Debrief) -> list[str]:
    return [m.message for m in d.missed]


# --- F31: a strength is never a missed moment ---------------------------------------------------------

S47 = [
    (
        "doorstep",
        "Mr Hughes? My name is Sam, I'm a social worker from children's services - here's my ID. "
        "We've had a referral about Mason and I need to talk to you about it. I'll be about an hour.",
        ("purpose",),
        ("shows_id",),
    ),
    ("who_said", "I understand.", (), ()),
    ("who_said_again", "Calm down, there's no need to shout at me.", (), ()),
]


def test_s47_no_false_reassurance_is_not_listed_as_missed_and_no_disclosure_items_when_none_came():
    d = debrief("s47-hostile-father", S47, end="end_door")
    said = messages(d)
    assert not [m for m in said if "false reassurance" in m]
    # Oscar and Mark never told the worker anything: the "If Oscar or Mark told you ..." notes are not said
    assert not [m for m in said if "Oscar or Mark" in m or m.startswith("If ")]
    assert any(m.startswith("You never said plainly what had been reported") for m in said)


def test_a_false_reassurance_is_listed_at_the_reply_that_gave_it():
    turns = [
        S47[0],
        ("who_said", "Honestly it's just routine, nothing to worry about.", (), ("false_reassure",)),
    ]
    d = debrief("s47-hostile-father", turns, end="end_door")
    found = [m for m in d.missed if "false reassurance" in m.message]
    assert len(found) == 1 and found[0].reply == 2
    assert "Reply 2: You offered false reassurance" in found[0].message


def test_parent_learning_disability_plain_words_and_not_overriding_are_not_misses():
    turns = [
        (
            "door",
            "Hi Naomi, I'm Sam from children's services. The health visitor asked me to come because "
            "Amelia isn't putting on weight and she's missed her jabs. I'll be about an hour.",
            ("purpose",),
            ("plain_reason",),
        )
    ]
    said = messages(debrief("parent-learning-disability", turns))
    assert not [m for m in said if "plain words" in m and m.startswith("You kept")]
    assert "You kept to plain words." not in said and "You did not tell Naomi she could not cope." not in said
    jargon = [
        (
            "door",
            "Hi, I'm Sam. This is a section 17 child in need assessment of your parenting capacity.",
            ("purpose",),
            ("jargon",),
        )
    ]
    said = messages(debrief("parent-learning-disability", jargon))
    assert any(m.startswith("Reply 1: You used words Naomi could not follow") for m in said)


@pytest.mark.parametrize(
    "scenario_id",
    [
        "parent-learning-disability",
        "s47-hostile-father",
        "interpreter-son-offers",
        "self-neglect-unwise",
        "care-leaver-number",
        "school-referral-home-visit",
        "keep-it-secret",
        "first-call-phone",
    ],
)
def test_no_bundled_missing_note_praises_what_was_not_done(scenario_id):
    # A note said when no reply matched a cue is a miss; praise for avoiding something is a matched_note's
    # mirror, never a missing_note ("You kept to plain words.", "You offered no false reassurance.").
    for cue_id, cue in _scenario(scenario_id).cues.items():
        note = " ".join((cue.missing_note or "").split())
        assert not note.startswith(
            (
                "You kept",
                "You did not tell",
                "You offered no",
                "You spoke to",
                "You did not repeat",
                "You did not offer",
                "You said nothing",
            )
        ), cue_id
        assert "was right" not in note, cue_id


# --- F7, F38: one moment per reply ------------------------------------------------------------------------


def test_doorstep_promise_of_secrecy_is_one_moment_saying_both_things_once():
    turns = [("opening_up", "I won't tell anyone, I promise.", ("overstep",), ())]
    d = debrief("doorstep-example", turns)
    at5 = [m for m in d.missed if m.reply == 1]
    assert len(at5) == 1
    m = at5[0]
    assert "overstepped the professional frame" in m.message
    assert "did not set out the professional frame" in m.message
    assert m.message.count("Some weeks I skip meals") == 1
    assert set(m.signals) == {"overstep", "boundaries"}


# --- F11, F31, F38: a conditional note only when its condition happened, said as fact -------------------


def test_instagram_note_only_when_jade_asked_about_instagram():
    turns = [
        ("intro", "Hi Jade, I'm Sam from the young carers service.", ("purpose",), ()),
        ("about_mum", "How does that make you feel?", (), ()),
    ]
    said = messages(debrief("young-carer-online", turns))
    assert not [m for m in said if "Instagram" in m]
    asked = [*turns, ("friend_request", "Maybe, we'll see.", (), ())]
    said = messages(debrief("young-carer-online", asked))
    insta = [m for m in said if "talked about it by name" in m]
    # one moment for reply 3, quoting what Jade said once, then the author's note as fact
    assert len(insta) == 1 and insta[0].startswith("Jade said \u201cAre you on Insta? Add me.")
    assert "You never talked about it by name" in insta[0] and insta[0].count("Are you on Insta") == 1
    assert not [m for m in said if "If Jade" in m]


PHONE = [
    (
        "mum_answers",
        "hello is that jordan? its sam from the carers team ringing about the form u filled in "
        "online, is now ok to talk for 10 mins?",
        ("purpose",),
        ("discloses",),
    ),
]


def test_first_call_suicide_notes_are_said_as_fact_once_jordan_has_said_it():
    turns = [
        *PHONE,
        (
            "dropped",
            "(Ringing straight back on the same number.) Jordan, it's Nadia again - we "
            "got cut off. Are you still OK to talk?",
            (),
            (),
        ),
        (
            "redial",
            "Don't say that!! You've got so much to live for, everything will be ok \U0001f60a",
            ("sympathy",),
            (),
        ),
    ]
    d = debrief("first-call-phone", turns)
    at_redial = [m for m in d.missed if m.reply == 3]
    assert len(at_redial) == 1
    message = at_redial[0].message
    assert message.startswith("Jordan said \u201c") and "better off without me" in message
    assert "You never asked directly about suicide" in message and "If Jordan" not in message
    assert message.count("better off without me") == 1
    # before the disclosure nothing is said about it
    said = messages(debrief("first-call-phone", PHONE))
    assert not [m for m in said if "suicide" in m or "If Jordan" in m]


def test_cue_moments_are_the_disclosure_for_a_safe_reply_cue_and_the_asking_line_otherwise():
    assert cue_moments(_scenario("first-call-phone"), "asks_directly") == ["redial"]
    assert cue_moments(_scenario("young-carer-online"), "mentions_insta") == ["friend_request"]


# --- F38: no false statements ----------------------------------------------------------------------------


def test_feeling_words_come_from_the_words_said_not_the_stage_direction():
    d = debrief("first-call-phone", [("mum_answers", "ok thanks", (), ())])
    assert not [m for m in d.missed if m.rule == "feeling-unanswered"]
    assert not [m for m in messages(d) if "tired" in m]


def test_telling_mum_why_is_said_as_what_happened_and_never_denied():
    said = messages(debrief("first-call-phone", PHONE))
    assert "You said nothing about why you were calling to anyone but Jordan." not in said
    assert any("Reply 1: You told someone other than Jordan why you were calling" in m for m in said)
    quiet = [
        (
            "mum_answers",
            "Hi, it's Sam from the council. Could you ask Jordan to call me back?",
            ("boundaries",),
            (),
        )
    ]
    assert not [
        m
        for m in messages(debrief("first-call-phone", quiet))
        if "why you were calling" in m and "other than Jordan" in m
    ]


RING_BACK = (
    "(Ringing straight back on the same number.) Jordan, it's me again - we got cut off. Are you "
    "still OK to talk?"
)


def test_the_authors_rewarded_option_is_not_a_missed_purpose_but_waiting_is():
    d = debrief("first-call-phone", [*PHONE, ("dropped", RING_BACK, (), ())])
    assert d.transcript[3].option == 1
    assert not [m for m in d.missed if m.reply == 2]
    waiting = "(Waiting for Jordan to ring back, and getting on with emails.)"
    d = debrief("first-call-phone", [*PHONE, ("dropped", waiting, (), ())])
    assert [m.rule for m in d.missed if m.reply == 2] == ["expected-signal"]
    # an option in words is read by the scorer, whatever trust it earns (seeing Oscar with his father there)
    together = "That's fine, let's all sit down in the kitchen together."
    d = debrief("s47-hostile-father", [("see_oscar", together, (), ())])
    assert d.transcript[1].option == 2 and [m.reply for m in d.missed if m.rule == "overstep" or m.reply == 1]


def test_a_moment_half_done_says_what_the_reply_did():
    # Jade: reply 4 stated the limits (boundaries), the tip says exactly that: the message must not read as
    # if the frame was missed too.
    turns = [
        (
            "the_secret",
            "depends what it is tbh. most stuff stays between us but if ur not safe i'd have to "
            "tell someone, and i'd talk to u first",
            ("boundaries",),
            (),
        )
    ]
    d = debrief("young-carer-online", turns)
    (m,) = [m for m in d.missed if m.reply == 1]
    assert "reply 1 set out the professional frame, but did not reflect what Jade felt or meant" in m.message


# --- F5: things to try only what was not done -------------------------------------------------------------

DOORSTEP_F5 = [
    (
        "doorstep",
        "Hello, are you Marcia? My name is Sam, I'm a family support worker from the council.",
        ("purpose",),
        (),
    ),
    (
        "wary",
        "The school nurse asked us to come because she's worried Kai has been hungry at school. I'd like to "
        "understand how things are and agree what would help.",
        ("purpose",),
        ("mentions_school",),
    ),
    (
        "invited_in",
        "It sounds like money has been really tight and you're worried about the boys.",
        ("empathy",),
        (),
    ),
    (
        "pity",
        "Today I'll be here about half an hour. At the end we'll agree what happens next together. What you "
        "tell me stays within the team, unless I'm worried someone is at risk of harm, and I'd tell you "
        "first.",
        ("purpose", "boundaries"),
        (),
    ),
    ("opening_up", "I won't tell anyone, I promise.", ("overstep",), ()),
]


def test_things_to_try_do_not_ask_for_what_the_session_did():
    d = debrief("doorstep-example", DOORSTEP_F5, end="promised_secret")
    assert d.skill("purpose").score == 1.0
    ids = [s.id for s in d.suggestions]
    assert "state-purpose" not in ids  # all five parts said, early
    assert "confidentiality-limits" not in ids  # the limits were explained in reply 4, before the test
    assert "hold-the-limits" in ids
    hold = next(s for s in d.suggestions if s.id == "hold-the-limits")
    assert hold.title == "Hold to the limits you stated"


def test_limits_never_stated_still_get_the_explain_early_suggestion():
    turns = [*DOORSTEP_F5[:3], ("opening_up", "I won't tell anyone, I promise.", ("overstep",), ())]
    ids = [s.id for s in debrief("doorstep-example", turns, end="promised_secret").suggestions]
    assert "confidentiality-limits" in ids and "hold-the-limits" not in ids
