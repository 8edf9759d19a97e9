"""A reply is heard to its end: a speaker breaking off ("in here-") or trailing into backchannels is scored
as the statement they made, and every span still points into the reply as typed (trainer.scoring.endmarks)."""

from __future__ import annotations

import os
import re
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.test_scoring_api import check_well_formed
from trainer.scoring.endmarks import asks, end_marked, heard_end

HEARD_AS_ENDING = re.compile(
    r"(?:[\s,.!?\u2026\u2013\u2014-]|mm-hmm|uh-huh|mhm|mm+|hmm+|yeah|yep|you know)*", re.IGNORECASE
)
ENDS = st.sampled_from(["", ".", "?", "-", "--", " -", " \u2014", "\u2013 ", "...", "!", " ", "-?"])
WORDS = st.lists(
    st.sampled_from(["so", "you", "made", "it", "in", "here", "what", "do", "ur", "tired", "um", "-", ",",
                     "yeah", "mm-hmm",
                     "I", "see", ".", "sounds", "like", "self-made", "\u2014", "u", "?", "okay", "im",
                     "hearing"]),
    max_size=12,
)


@given(words=WORDS, end=ENDS)
def test_only_the_end_changes_and_hearing_twice_changes_nothing(words: list[str], end: str) -> None:
    text = " ".join(words) + end
    heard = end_marked(text)
    same = len(os.path.commonprefix([text, heard]))
    assert heard[same:] in ("", ".", "?")  # at most one mark added
    assert HEARD_AS_ENDING.fullmatch(text[same:]), (text, heard)  # what went: marks, dashes, backchannels
    assert end_marked(heard) == heard
    kept, mark = heard_end(text)  # what the scorer reads: the words as typed up to `kept`, then the mark
    assert text[:kept] + mark == heard and mark in ("", ".", "?")


HEARD = [
    # a statement cut off ends in a full stop
    ("So you made it in here-", "So you made it in here."),
    ("and you felt alone \u2014 ", "and you felt alone."),
    ("so you made it in here -", "so you made it in here."),
    ("what im hearing is ur tired-", "what im hearing is ur tired."),
    # typed with no mark at all: left as typed (the chat register is learned as it is typed)
    ("sounds like ur shattered", "sounds like ur shattered"),
    ("Knackered, mm-hmm, yeah.", "Knackered."),
    ("That's right, yeah?", "That's right, yeah?"),
    # worded as a question: heard as one, never turned into a statement
    ("what brings u here today-", "what brings u here today?"),
    ("Okay, so do you want to stop --", "Okay, so do you want to stop?"),
    ("Tired. How long has it been like that-", "Tired. How long has it been like that?"),
    ("Were the kids there -", "Were the kids there?"),
    ("And then what -", "And then what?"),
    ("Whose idea was the home, yeah", "Whose idea was the home?"),
    ("Can't be easy -", "Can't be easy."),  # an auxiliary first, but no subject after it
    # a backchannel before or after the dash, other dashes, a run of them
    *((said, "He hurt you again.") for said in (
        "He hurt you again, mm-hmm -", "He hurt you again - mm-hmm.", "He hurt you again, yeah -",
        "He hurt you again - - -", "He hurt you again\u2012", "He hurt you again \u2015 \u200b")),
    # nothing but a backchannel or a dash, or already marked: as typed
    ("mm-hmm", "mm-hmm"), ("uh-huh", "uh-huh"), ("-", "-"), ("Is it?", "Is it?"),
]


@pytest.mark.parametrize("typed, heard", HEARD)
def test_a_cut_off_statement_ends_in_a_full_stop_and_a_question_stays_a_question(
    typed: str, heard: str
) -> None:
    assert end_marked(typed) == heard


def test_a_question_is_known_by_its_wording_after_spoken_openers() -> None:
    assert asks("um, how are things at home") and not asks("what you're saying is it's too much")


def test_a_reflection_cut_off_or_ending_in_backchannels_is_heard_as_one(scorer: Any) -> None:
    context = "I've been on my own with all of it since he left."
    for reply in ("So you've been on your own with it-", "so youve been on ur own with it -",
                  "So you've been on your own with it --", "On your own with it, mm-hmm, yeah."):
        a = scorer.assess(reply, context)
        assert a.scores["empathy"] >= 0.5, (reply, a.scores)
        check_well_formed(reply, a)
        assert all(not e.text.endswith((".", "-")) or e.text in reply for e in a.evidence)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(words=WORDS, end=ENDS)
def test_spans_of_a_reply_heard_to_its_end_point_into_the_reply_as_typed(
    scorer: Any, words: list[str], end: str
) -> None:
    text = " ".join(words) + end
    a = scorer.assess(text, "I'm so tired, I made it in here though")
    check_well_formed(text, a)
    for e in a.evidence:  # a reason quotes the words as typed, never with a mark the reply did not have
        for mark in ".?":
            assert e.text + mark not in e.reason or e.text + mark in text, (text, e.reason)


def test_a_question_cut_off_is_heard_as_a_question_not_a_reflection(scorer: Any) -> None:
    context = "He came back Friday night and started throwing things. I locked myself in the bathroom."
    for reply in ("Were the kids there -", "And then what -", "Did the kids see it -"):
        a = scorer.assess(reply, context)
        assert a.scores["empathy"] < 0.5, (reply, a.scores)
        assert a.main_act in {"question_closed", "question_open"}, (reply, a.acts)
        check_well_formed(reply, a)
        assert all("?" not in e.reason for e in a.evidence), a.evidence


def test_long_runs_of_dashes_commas_and_backchannels_are_read_at_once() -> None:
    """A student who holds down the dash key, or a transcript of "yeah, yeah, ..." up to the 5,000-character
    cap: each is read from its end, never by a pattern that backtracks over the run (such a pattern took
    44 s on 26 dashes; `make bench` measures the scorer's speed)."""
    assert end_marked("ok " + "-" * 4_000 + "x") == "ok " + "-" * 4_000 + "x"
    assert end_marked("Knackered" + " -" * 2_000) == "Knackered."
    assert end_marked("So you're worn out" + ", yeah" * 800 + ".") == "So you're worn out."
    assert end_marked("yeah, " * 800 + "x") == "yeah, " * 800 + "x"
    assert end_marked("." * 4_999 + "-") == "." * 4_999
