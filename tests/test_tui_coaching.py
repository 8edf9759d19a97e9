"""Coach notes: what a student reads under each reply in coach mode (and in the plain player)."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest

from trainer.practice.coaching import coach_note, gauge


def _assessment(scores: dict[str, float], evidence: list[tuple[str, int, int, str]] = (), note=None):  # type: ignore[assignment]
    return {
        "scores": scores,
        "cues": [],
        "evidence": [
            {"signal": s, "start": a, "end": b, "text": t, "source": "rule:x", "reason": f"why {s}"}
            for s, a, b, t in evidence
        ],
        **({"note": note} if note else {}),
    }


def test_sympathy_gets_a_correction_quoting_the_words_and_the_right_pronoun():
    reply = "Oh poor you, that must be awful"
    note = coach_note(
        _assessment({"sympathy": 0.9}, [("sympathy", 3, 11, "poor you")]),
        reply,
        tip="The author's tip",
        expect=["empathy"],
        pronouns="she/her",
    )
    assert note.found == ["sympathy"]
    assert note.tip.startswith("'Poor you' is sympathy")
    assert "what she told you" in note.tip
    assert [(h.start, h.end, h.caution) for h in note.highlights] == [(3, 11, True)]


def test_overstep_correction_wins_over_sympathy_and_the_authors_tip():
    reply = "I'm so sorry. Here's my number, ring me any time"
    note = coach_note(
        _assessment({"sympathy": 0.8, "overstep": 0.9}, [("overstep", 14, 28, "Here's my number")]),
        reply,
        tip="Author tip",
        pronouns="he/him",
    )
    assert note.tip.startswith("'Here's my number' steps outside the professional role")


def test_missing_expected_signal_gives_the_authors_tip_or_a_generic_one():
    with_tip = coach_note(_assessment({"purpose": 0.1}), "Nice day", tip="Say why.", expect=["purpose"])
    assert with_tip.tip == "Say why."
    assert with_tip.summary() == "No signal found in this reply."
    generic = coach_note(_assessment({}), "Nice weather", expect=["empathy"], pronouns=None)
    assert "in what they said" in generic.tip


def test_expected_signal_present_gets_encouragement_not_the_same_tip_again():
    reply = "It sounds like you're exhausted"
    note = coach_note(
        _assessment({"empathy": 0.8}, [("empathy", 0, 14, "It sounds like")]),
        reply,
        tip="Reflect what she feels.",
        expect=["empathy"],
        pronouns="she/her",
    )
    assert note.found == ["empathy"]
    assert note.tip.startswith("Good reflection")
    assert note.highlights[0].caution is False


def test_evidence_below_threshold_or_out_of_range_is_not_highlighted():
    reply = "short"
    note = coach_note(
        _assessment({"empathy": 0.3, "purpose": 0.7}, [("empathy", 0, 5, "short"), ("purpose", 2, 99, "x")]),
        reply,
    )
    assert note.highlights == []
    assert [e[0] for e in note.evidence] == ["purpose"]


def test_scorer_note_is_passed_on_and_plain_text_names_everything():
    note = coach_note(
        _assessment({"purpose": 0.9}, [("purpose", 0, 6, "school")], note="Only the first 5,000 characters"),
        "school visit",
    )
    text = note.as_plain_text()
    assert text.splitlines()[0] == "Coach: Found: purpose"
    assert '"school" - why purpose' in text
    assert "Note: Only the first 5,000 characters" in text
    assert "Tip: " in text


def test_garbage_assessment_does_not_crash():
    note = coach_note({"scores": {"empathy": "high", "purpose": None}, "evidence": ["x", 3]}, "hi")
    assert note.found == []


def test_gauge_is_clamped():
    assert gauge(5) == "▮▮▮▮▮▯▯▯▯▯"
    assert gauge(-3) == "▯" * 10
    assert gauge(42) == "▮" * 10


def test_shared_modules_and_plain_player_import_neither_textual_nor_spacy():
    code = (
        "import sys, trainer.plain, trainer.practice.coaching, trainer.practice.play,"
        " trainer.practice.helptext;"
        "print(sorted(m for m in ('textual', 'spacy') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_app_module_does_not_import_spacy_before_first_paint():
    code = "import sys, trainer.tui.app; print('spacy' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"


def _with_acts(scores: dict[str, float], acts: list[str]) -> dict:  # type: ignore[type-arg]
    a = _assessment(scores)
    a["acts"] = [{"act": x, "start": 0, "end": 1, "text": "x", "confidence": 0.9} for x in acts]
    return a


def test_the_note_says_a_reply_was_advice_when_a_reflection_was_wanted():
    note = coach_note(_with_acts({}, ["advice"]), "You could phone the advice line tomorrow.",
                      expect=["empathy"], pronouns="he/him")
    assert note.act == ("This was advice, not a reflection: you told him what to do before showing you had "
                        "heard him.")
    assert note.act in note.as_plain_text()
    closed = coach_note(_with_acts({}, ["question_closed"]), "Did you ring them?", expect=["empathy"])
    assert closed.act is not None and "_" not in closed.act  # said in words, never as a code


def test_the_note_names_the_act_by_the_sentence_that_matters_most():
    # a reflection anywhere in the reply: empathy found, nothing to correct
    shown = coach_note(_with_acts({"empathy": 0.8}, ["reflection_simple", "advice"]), "x", expect=["empathy"])
    assert shown.act is None
    # praise is not empathy: said in words, without a code
    praised = coach_note(_with_acts({}, ["affirmation"]), "You've done brilliantly.", expect=["empathy"])
    assert praised.act is not None and praised.act.startswith("This was praise")
    assert "affirmation" not in praised.act


def test_no_act_line_without_acts_or_when_the_reply_did_what_was_needed():
    assert coach_note(_assessment({}), "Hello", expect=["empathy"]).act is None
    purpose = coach_note(_with_acts({"purpose": 0.9}, ["structuring"]), "I'm here because...",
                         expect=["purpose"])
    assert purpose.act is None


@pytest.mark.parametrize("pronouns", ["they/them", "she/her", "he/him", None])
def test_coach_tips_read_right_with_any_pronoun(pronouns: str | None) -> None:
    # "what they feels", "as they says more": no tip puts a verb after the pronoun that agrees with only
    # some of them (found by a tester with a they/them service user).
    from trainer.practice import coaching

    subject, obj = coaching._pronouns(pronouns)
    tips = [
        t.format(quote="'Poor you'", what=what, them_subject=subject, them_object=obj)
        for table in (coaching._CORRECTIVE, coaching._MISSING, coaching._WELL_DONE)
        for t in table.values()
        for what in (coaching._SYMPATHY, *coaching._SYMPATHY_KINDS.values())
    ]
    for tip in tips:
        assert not re.search(rf"\b{subject} (feels|says|means|wants|needs|is|has)\b", tip), tip


@pytest.mark.parametrize(
    ("reply", "source", "says"),
    [
        ("Dont worry", "rule:reassurance", "is reassurance: it closes the feeling down"),
        ("I know exactly how you feel", "rule:same_experience", "moves the story to you"),
        ("Poor you", "rule:pity", "is sympathy: it shows your feelings"),
        ("In a better place", "rule:platitude", "is a comfort cliché: it tells them how to see it"),
    ],
)
def test_the_sympathy_tip_names_the_kind_of_sympathy(reply: str, source: str, says: str) -> None:
    from trainer.practice.coaching import coach_note

    assessment = {
        "scores": {"sympathy": 0.9},
        "evidence": [{"signal": "sympathy", "start": 0, "end": len(reply), "text": reply, "source": source,
                      "reason": "r"}],
    }
    note = coach_note(assessment, reply)
    assert note.tip.startswith(f"'{reply}' {says}"), note.tip
    assert ("shows your feelings" in note.tip) == (source == "rule:pity")  # "Dont worry" shows none
