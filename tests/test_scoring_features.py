"""Context features: how a reply is linked to the service user's last line."""

from __future__ import annotations

from typing import Any

import pytest

from trainer.scoring.features import context_features, stem


@pytest.fixture(scope="module")
def nlp() -> Any:
    import spacy

    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    return nlp


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
    assert stem("worrying") == stem("worries") == stem("worried") == "worry"
    assert stem("kids") == stem("kid")
