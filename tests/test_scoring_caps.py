"""A reply typed in CAPITALS is read as the same words as in lower case (trainer.scoring.chatnorms).

spaCy splits contractions only as listed, in lower and Title case: "I CAN'T TAKE YOUR MONEY." kept "CAN'T"
whole, no "not" was read, and the refusal scored as the overstep it refuses. These tests are on the
tokenizer `add_chat_norms` builds (the saved pipeline has it once the model is rebuilt), but one: the
scorer's verdict on that refusal, which holds once `make model` has been run with this tokenizer.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from trainer.scoring.chatnorms import NOT_RESPELT, add_chat_norms, chat_blank


@pytest.fixture(scope="module")
def tok() -> Any:
    """spaCy's blank English with the chat register's norms: the tokenizer the build gives the pipeline."""
    return chat_blank().tokenizer


def _norms(tok: Any, text: str) -> list[str]:
    doc = tok(text)
    assert doc.text == text  # what was typed is what the evidence quotes
    return [t.norm_ for t in doc]


def _listed() -> list[str]:
    """spaCy's lower-case special cases with a letter in them ("can't", "gonna", "y'all", "a.m.", ":p"),
    less those deliberately left as typed in capitals (see `upper_cases`)."""
    from spacy.lang.en import English

    out = []
    for form in English.Defaults.tokenizer_exceptions or {}:
        single_stop = form.endswith(".") and "." not in form[:-1]
        if form == form.lower() and any(c.isalpha() for c in form) and not single_stop:
            if form.upper() not in NOT_RESPELT:
                out.append(form)
    return sorted(out)


LISTED = _listed()
#: the contractions among them: letters and apostrophes ("can't", "i’m", "dont", "gonna", "y'all")
CONTRACTIONS = [form for form in LISTED if all(c.isalpha() or c in "'’" for c in form)]


@pytest.mark.parametrize(
    ("typed", "norms"),
    [
        ("I CAN'T TAKE YOUR MONEY.", ["i", "can", "not", "take", "your", "money", "."]),
        ("I CAN'T PROMISE TO KEEP SECRETS.", ["i", "can", "not", "promise", "to", "keep", "secrets", "."]),
        ("I WON'T TELL CRAIG", ["i", "will", "not", "tell", "craig"]),
        ("DON'T WORRY", ["do", "not", "worry"]),
        ("YOU'RE SAFE", ["you", "are", "safe"]),
        ("IT'S OK", ["it", "'s", "ok"]),
        ("WE'LL SORT IT", ["we", "will", "sort", "it"]),
        ("I\u2019M YOUR WORKER", ["i", "am", "your", "worker"]),  # a phone's curly apostrophe
        ("DONT WORRY", ["do", "not", "worry"]),
        ("I CANT", ["i", "can", "not"]),
        ("IM HERE", ["i", "am", "here"]),
        ("YOURE SAFE", ["you", "are", "safe"]),
        ("UR WORKER", ["your", "worker"]),  # our own short forms, in capitals as before
        ("NO, I CAN'T.", ["no", ",", "i", "can", "not", "."]),  # the sentence's full stop after "N'T"
        ("IT'S.", ["it", "'s", "."]),
    ],
)
def test_capitals_read_as_the_words(tok: Any, typed: str, norms: list[str]) -> None:
    assert _norms(tok, typed) == norms


def test_the_refusal_of_a_friend_request_in_capitals_has_its_not(tok: Any) -> None:
    typed = "I CAN'T ADD YOU ON INSTA, I'M YOUR WORKER."
    assert _norms(tok, typed) == _norms(tok, typed.lower())
    assert "not" in _norms(tok, typed)


def test_the_contractions_are_many() -> None:
    assert len(CONTRACTIONS) > 400 and {"can't", "won't", "i’m", "dont", "youre"} <= set(CONTRACTIONS)


@pytest.mark.parametrize("form", LISTED)
def test_every_contraction_reads_the_same_in_capitals(tok: Any, form: str) -> None:
    lower = f"so {form} ok"
    assert _norms(tok, lower.upper()) == _norms(tok, lower)
    assert _norms(tok, lower.capitalize()) == _norms(tok, lower)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    before=st.lists(st.sampled_from(["so", "you", "really", "i", "tell", "her", "money", "and"]), max_size=4),
    form=st.sampled_from(CONTRACTIONS),
    after=st.lists(st.sampled_from(["take", "your", "it", "worry", "now", "them", "secrets"]), max_size=4),
    end=st.sampled_from(["", ".", "!", "?", ",", "..."]),
)
def test_a_sentence_in_capitals_has_the_norms_of_its_lower_case(
    tok: Any, before: list[str], form: str, after: list[str], end: str
) -> None:
    sentence = " ".join([*before, form, *after]) + end
    # spaCy's lower case is the one misread when an apostrophe-less form ends the sentence ("im." is "i" +
    # "m.", the initial): not a matter of capitals
    assume(after or end != "." or _norms(tok, form + ".")[-1] == ".")
    assert _norms(tok, sentence.upper()) == _norms(tok, sentence)


@pytest.mark.parametrize(
    ("typed", "texts"),
    [
        ("Bring your ID.", ["Bring", "your", "ID", "."]),  # an identity card, not "I would"
        ("I'M ILL.", ["I", "'M", "ILL", "."]),  # not the abbreviation of Illinois: the sentence ends
        ("See you MON WED FRI", ["See", "you", "MON", "WED", "FRI"]),
        ("My sister Em said", ["My", "sister", "Em", "said"]),
    ],
)
def test_capitals_that_are_words_stay_as_typed(tok: Any, typed: str, texts: list[str]) -> None:
    assert [t.text for t in tok(typed)] == texts


def test_the_capitals_survive_saving_and_loading_the_pipeline(tmp_path: Path) -> None:
    """The scorer is saved with `nlp.to_disk` and loaded with `spacy.load`: the special cases go with it."""
    import spacy

    nlp = chat_blank()
    nlp.to_disk(tmp_path / "nlp")
    loaded = spacy.load(tmp_path / "nlp")
    for typed in ("I CAN'T TAKE YOUR MONEY.", "I CAN'T."):
        norms = _norms(loaded.tokenizer, typed)
        assert norms == _norms(loaded.tokenizer, typed.lower()) and "not" in norms


def test_adding_the_norms_twice_changes_nothing(tok: Any) -> None:
    assert add_chat_norms(chat_blank().tokenizer).rules == tok.rules


def test_a_refusal_in_capitals_scores_as_a_refusal(scores_as_expected: Any) -> None:
    """Holds once the model is rebuilt (`make model`) with this tokenizer: the saved pipeline keeps the one
    it was built with."""
    scores_as_expected("I CAN'T TAKE YOUR MONEY.", "Here, take this twenty for your trouble.",
                       {"boundaries"}, {"overstep"})  # fmt: skip
