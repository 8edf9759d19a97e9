"""Context features: how a reply is linked to the service user's last line."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from trainer.scoring.features import FEELINGS, content_stems, context_features, own_state, stem


def test_a_reflection_takes_up_their_words_and_names_the_feeling(nlp: Any) -> None:
    doc = nlp("You've been on your own since March, and it sounds lonely.")
    feats, link = context_features(doc, "I've been on my own since March. Nobody comes round.")
    assert feats["overlap"] > 0 and feats["you_statement"] == 1.0 and feats["feeling_new"] == 1.0
    assert feats["info_question"] == 0.0
    assert link is not None and "March" in link.shared and link.feeling == "lonely"
    assert doc.text[link.start : link.end] == doc.text


def test_an_information_question_is_not_a_you_statement(nlp: Any) -> None:
    feats, _link = context_features(nlp("How old are the children?"), "I've got three children.")
    assert feats["info_question"] == 1.0 and feats["you_statement"] == 0.0


def test_a_feeling_they_named_themselves_is_not_new(nlp: Any) -> None:
    feats, _link = context_features(nlp("You're worried."), "I'm so worried about him.")
    assert feats["feeling"] == 1.0 and feats["feeling_new"] == 0.0


def test_without_context_there_is_no_overlap_and_no_link_from_words(nlp: Any) -> None:
    feats, link = context_features(nlp("Three kids on your own."), None)
    assert feats["has_context"] == 0.0 and feats["overlap"] == 0.0
    assert link is None


def test_stems_join_word_forms() -> None:
    assert stem("worrying") == stem("worries") == stem("worried") == stem("worry")
    assert stem("kids") == stem("kid")
    assert stem("told") == stem("telling") and stem("left") == stem("leaving")
    assert stem("felt") == stem("feel")
    assert stem("manage") == stem("managing")


@pytest.mark.parametrize("words, own", [
    ("i was worried you'd be out", ["worried"]),
    ("i felt scared when i read the referral", ["scared"]),
    ("i am tired as well", ["tired"]),
    ("i am hearing the rent is a worry", []),  # a frame, not the worker's state
    ("i wonder if the rent is worrying you", []),
    ("i was thinking the rent is the big worry", []),
    ("you are worried about the rent", []),
])
def test_own_state_marks_the_workers_own_words_only(words: str, own: list[str]) -> None:
    split = words.split()
    assert [w for w, o in zip(split, own_state(split), strict=True) if o] == own


@given(st.sampled_from(sorted(w for w in FEELINGS if content_stems([w]))),
       st.sampled_from(["I was", "I'm", "I felt", "I've been so"]),
       st.sampled_from(["", " too", " when I read your file", " as well, honestly"]))
def test_the_workers_own_feeling_in_their_word_is_not_their_words_given_back(
    nlp: Any, feeling: str, frame: str, tail: str
) -> None:
    feats, link = context_features(nlp(f"{frame} {feeling}{tail}."), f"I'm {feeling} all the time.")
    assert feats["overlap"] == 0.0 and link is None, (frame, feeling, tail)
    heard, _ = context_features(nlp(f"You're {feeling}{tail}."), f"I'm {feeling} all the time.")
    assert heard["overlap"] > 0.0


@pytest.mark.parametrize("reply", ["Don't worry, nobody's going to put you in a home.", "Try not to panic.",
                                   "no need to stress about it"])
def test_being_told_not_to_feel_names_no_feeling_of_theirs(nlp: Any, reply: str) -> None:
    feats, link = context_features(nlp(reply), "Will they put me in a home?")
    assert feats["feeling"] == 0.0 and (link is None or link.feeling is None)
