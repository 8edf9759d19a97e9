"""Coach notes agree with the reply and the debrief (student tester t11: F6, F20, F38)."""

from __future__ import annotations

from typing import Any

from tests.test_debrief_truth import assessment, play
from trainer.debrief import credits
from trainer.debrief.compute import compute_debrief
from trainer.debrief.credits import LIMITS
from trainer.practice import coaching
from trainer.practice.coaching import FRAME, coach_note, covered_before, reply_note, unacted_risks

PHONE_REDIAL = [
    (
        "mum_answers",
        "Hi, it's Sam from the council. Could you ask Jordan to call me back?",
        ("boundaries",),
        (),
    ),
    (
        "dropped",
        "(Ringing straight back on the same number.) Jordan, it's Nadia again - we got cut off. Are you "
        "still OK to talk?",
        (),
        (),
    ),
]
DONT_SAY = "Don't say that!! You've got so much to live for, everything will be ok \U0001f60a"
LEAFLET = "yeah I'll post you a leaflet about carers support, take care x"


def test_reply_giving_who_and_agency_names_the_part_like_the_debrief():
    reply = "hi im sam frm the council, u ok?"
    scenario, state = play("doorstep-example", [("doorstep", reply, (), ())])
    note = reply_note(scenario, state.transcript, 1, pronouns="she/her")
    assert note is not None
    assert note.summary() == "Found: part of the purpose (who you are and which agency)"
    assert "Giving back what she said" not in note.as_plain_text()
    parts = compute_debrief(scenario, state).skill("purpose").parts
    assert parts["who"] == 1  # the debrief credits the same part to the same reply


def test_purpose_found_lists_its_parts():
    reply = "I'm Sam from the reablement team. The hospital asked us to visit. I'll be about 45 minutes."
    note = coach_note(assessment(("purpose",)), reply, expect=["purpose"])
    assert note.summary().startswith("Found: purpose (who you are and which agency; why you are meeting")


def test_a_reply_that_did_the_expected_thing_is_told_so_not_given_the_authors_tip_again():
    reply = "i cant take money arthur, its really kind but its not allowed. ill tell my manager"
    tip = "Money is always refused. Refuse it warmly and briefly, give the reason that protects him."
    note = coach_note(
        assessment(("boundaries",)), reply, tip=tip, expect=["boundaries", "empathy"], pronouns="he/him"
    )
    assert note.tip.startswith("You set out the frame; now: give back the feeling or meaning in what he said")
    assert "Money is always refused" not in note.tip
    nothing = coach_note(assessment(), "ok", tip=tip, expect=["boundaries", "empathy"], pronouns="he/him")
    assert nothing.tip == tip  # nothing of the moment done: the author's tip, as before


def test_at_a_suicide_disclosure_the_note_leads_with_the_safety_tip_not_the_sympathy_correction():
    scenario, state = play("first-call-phone", [*PHONE_REDIAL, ("redial", DONT_SAY, ("sympathy",), ())])
    note = reply_note(scenario, state.transcript, 5)
    assert note is not None
    assert note.tip == scenario.nodes["redial"].tip.strip()
    assert "ask" in note.tip.lower() and "manager today" in note.tip
    assert note.summary() == (
        "The risk was not acted on (Jordan has thought about suicide, and how). Found: sympathy"
    )
    assert "It sounds like [what happened]" not in note.as_plain_text()


def test_after_an_unanswered_disclosure_the_headline_is_the_risk_not_no_signal():
    scenario, state = play(
        "first-call-phone",
        [*PHONE_REDIAL, ("redial", DONT_SAY, ("sympathy",), ()), ("not_acted", LEAFLET, (), ())],
    )
    note = reply_note(scenario, state.transcript, 7)
    assert note is not None
    assert note.summary() == "The risk was not acted on (Jordan has thought about suicide, and how)."
    assert "No signal found" not in note.as_plain_text()


def test_a_safe_reply_clears_the_risk():
    safe = (
        "Thank you for telling me. Are you thinking about suicide? Are you safe right now? I'll talk to my "
        "manager today, and Samaritans are on 116 123."
    )
    scenario, state = play(
        "first-call-phone",
        [*PHONE_REDIAL, ("redial", safe, ("empathy", "boundaries"), ("asks_directly", "safety_now"))],
    )
    assert unacted_risks(scenario, state.transcript, 5) == []
    note = reply_note(scenario, state.transcript, 5)
    assert note is not None and note.risk is None and note.summary().startswith("Found: empathy")
    assert unacted_risks(scenario, state.transcript, 3) == []  # before the disclosure: nothing to act on


def test_the_acknowledgement_names_the_purpose_parts_given_not_a_why_that_was_not_said():
    # To Jordan's mum: name and a call back, rightly not why (F37/F38): never "You said why you are here".
    reply = (
        "Hi, it's Sam from the council. Could you ask Jordan to call me back on this number? "
        "Or I'll ring back later."
    )
    note = coach_note(
        assessment(("purpose",)), reply, tip="Say nothing about why.", expect=["boundaries", "purpose"]
    )
    assert note.tip.startswith(
        "You said who you are and which agency and what happens next; now: state the frame"
    )
    assert "why you are here" not in note.tip


def test_sympathy_beside_a_reflection_is_not_told_to_reflect_instead():
    # F15/F20: an apology, then a full reflection
    reply = (
        "You're right, I'm sorry. It sounds like there are times you shout at him, "
        "and you feel ashamed of that."
    )
    start = reply.index("I'm sorry")
    a = assessment(("empathy", "sympathy"))
    a["evidence"] = [
        {
            "signal": "sympathy",
            "start": start,
            "end": start + 9,
            "text": "I'm sorry",
            "source": "rule:pity",
            "reason": "tells them how you feel",
        }
    ]
    note = coach_note(a, reply, expect=["empathy"], pronouns="she/her")
    assert note.tip.startswith("'I'm sorry' is sympathy")
    assert "Try giving back" not in note.tip and "Your reflection already does the work" in note.tip


def test_sympathy_in_the_very_words_of_the_reflection_is_not_told_to_go():
    # A fresh tester (stop 14): the classifier gave both signals the whole sentence, and the note said
    # "'That sounds really hard, like youre stretched thin' is sympathy ... it is stronger without it",
    # telling the student to drop their own reflection.
    reply = "that sounds really hard, like youre stretched thin"
    a = assessment(("empathy", "sympathy"))
    a["evidence"] = [
        {"signal": s, "start": 0, "end": len(reply), "text": reply, "source": "classifier", "reason": "r"}
        for s in ("empathy", "sympathy")
    ]
    note = coach_note(a, reply, expect=["empathy"], pronouns="she/her")
    assert "stronger without it" not in note.tip and "youre stretched thin' is sympathy" not in note.tip
    assert note.tip.startswith("This reflected, and it also reads as sympathy")


def test_their_own_length_of_time_given_back_is_not_credited_as_how_long_you_have():
    reply = "two hours on the floor, thats so scary. and ur flat is ur home not theirs"
    said = "I was two hours on the floor before anyone came. They want me in a home."
    note = coach_note(assessment(("empathy",)), reply, said=said)
    assert note.summary() == "Found: empathy"
    ours = coach_note(assessment(("empathy",)), "we've got about an hour today, is that ok?", said=said)
    assert "how long you have" in ours.summary()


def test_a_coach_note_gives_the_quoted_words_once():
    reply = "hi im sam from housing, we have about 40 mins"
    start = reply.index("about 40 mins")
    evidence = [{"signal": "purpose", "start": start, "end": start + 13, "text": "about 40 mins",
                 "source": "rule:time_and_next", "reason": "'about 40 mins' says how long you have"}]
    note = coach_note({"scores": {"purpose": 0.9}, "evidence": evidence, "cues": []}, reply)
    plain = note.as_plain_text()
    assert plain.count("about 40 mins") == 1, plain
    assert '"about 40 mins" - says how long you have' in plain


# The limits of confidentiality, as the debrief credits them (a debrief review, h3): the coach used a word
# list alone, so a reply whose limits only the scorer's own rule named ("pass it on", rule:confidentiality)
# was credited by the debrief and asked for again by the coach.
PASS_IT_ON = "If I'm ever worried about your safety, I'll pass it on to my manager, and tell you first."


def _limits_only_the_scorer_names() -> tuple[Any, Any]:
    scenario, state = play("young-carer-online", [
        ("the_secret", PASS_IT_ON, ("boundaries",), ()),
        ("how_to_reach", "it sounds like nights are the scariest bit, when it's just you and your mum",
         ("empathy",), ()),
    ])
    start = PASS_IT_ON.index("pass it on")
    stored = assessment(("boundaries",))
    stored["evidence"] = [{"signal": "boundaries", "start": start, "end": start + 10, "text": "pass it on",
                           "source": "rule:confidentiality", "reason": "is honest about confidentiality"}]
    records = list(state.transcript)
    records[1] = records[1].model_copy(update={"assessment": stored})
    return scenario, state.model_copy(update={"transcript": records})


def test_the_coach_counts_the_limits_the_debrief_counts():
    scenario, state = _limits_only_the_scorer_names()
    assert not LIMITS.search(PASS_IT_ON)  # the words alone do not say it: the scorer's rule does
    d = compute_debrief(scenario, state)
    assert not [m for m in d.missed if "You never explained what you would keep private" in m.message]
    assert FRAME in covered_before(scenario, state.transcript, 3)
    note = reply_note(scenario, state.transcript, 3, pronouns="she/her")
    assert note is not None
    # before: "Hearing them was good; the frame still needed saying too. The frame, as a lifeline: ..."
    assert "the frame still needed saying too" not in note.tip
    assert note.tip.startswith("The frame, as a lifeline")


def test_the_coach_and_the_debrief_share_one_test_of_the_limits():
    assert coaching.limits_stated is credits.limits_stated
