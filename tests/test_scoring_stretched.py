"""Letters typed over and over in the chat register ("soooo sorryyyy", "thats tooo much") are read as the
word they stretch (`chatnorms.unstretched`, set as the NORM by `chatnorms.add_stretched_norms` in the
build and when the saved pipeline loads): before, "soooo sorryyyy" was two unknown words and scored
nothing, where "so sorry" is sympathy."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from spacy.attrs import NORM

from trainer.scoring.chatnorms import unstretched

SLEPT = "I haven't slept since she went into hospital."


@pytest.mark.parametrize(
    ("typed", "word"),
    [("soooo", "so"), ("sorryyyy", "sorry"), ("pleeease", "please"), ("toooo", "too"), ("nooo", "no"),
     ("gooood", "good"), ("hmmmm", "hmm"), ("yesss", "yes")],
)
def test_a_stretched_word_is_read_as_the_word(typed: str, word: str) -> None:
    assert unstretched(typed, {"good"}) == word


@pytest.mark.parametrize("typed", ["so", "sorry", "mmmm", "xxx", "zzz", "ooooo", "coffee", "2000"])
def test_words_and_sounds_are_left_as_they_are(typed: str) -> None:
    """A word with no letter three times in a row is not stretched; a run of one letter alone is a sound
    or a mark ("mmmm", kisses "xxx"), not a word shortened."""
    assert unstretched(typed, {"good"}) is None


@pytest.mark.parametrize(
    ("stretched", "plain", "context"),
    [
        ("soooo sorryyyy", "so sorry", SLEPT),
        ("im sooo sorry hun", "im so sorry hun", SLEPT),
        ("thats tooo much for anyone, ur exhausteddd", "thats too much for anyone, ur exhausted", SLEPT),
        ("Pleeeease dont worry, it'll be fine", "Please dont worry, it'll be fine", SLEPT),
        ("u must be soooo tired", "u must be so tired", SLEPT),
    ],
)
def test_a_stretched_reply_scores_as_it_would_typed_plainly(
    scorer: Any, stretched: str, plain: str, context: str
) -> None:
    typed, said = scorer.assess(stretched, context=context), scorer.assess(plain, context=context)
    assert said.present(), said.scores  # the plain reply shows something, so the test can tell
    assert typed.present() == said.present(), (typed.scores, said.scores)


def test_the_pipeline_loaded_by_spacy_reads_stretched_words_too(scorer: Any) -> None:
    """`spacy.load` of the saved pipeline (what `Scorer.load` calls) reads them as the build did."""
    import spacy

    nlp = spacy.load(scorer.path)
    assert [t.norm_ for t in nlp.make_doc("soooo sorryyyy")] == ["so", "sorry"]
    assert [t.text for t in nlp.make_doc("soooo sorryyyy")] == ["soooo", "sorryyyy"]  # quoted as typed


@pytest.mark.parametrize(
    ("typed", "norms"),
    [
        ("i dontttt think so", ["i", "do", "not", "think", "so"]),
        ("i cantttt promise that", ["i", "can", "not", "promise", "that"]),
        ("I CAN'TTTT", ["i", "can", "not"]),
        ("he doesnttt care", ["he", "does", "not", "care"]),
        ("i dontttttttttttttt think so", ["i", "do", "not", "think", "so"]),  # held down for a while
        ("i cantttt,sorry", ["i", "can", "not", ",", "sorry"]),  # no space after the comma
        ("i wonttt. i cant", ["i", "will", "not", ".", "i", "can", "not"]),
    ],
)
def test_a_stretched_negative_is_split_as_typed_plainly(scorer: Any, typed: str, norms: list[str]) -> None:
    """"i dontttt think i should hug u" was one token "dontttt": no "not" was read, and the refusal scored
    as the hug offered (`chatnorms.stretched_negative`, split by `chatnorms.ChatTokenizer`)."""
    doc = scorer.nlp.make_doc(typed)
    assert [t.norm_ for t in doc] == norms
    assert doc.text == typed  # quoted as typed


@pytest.mark.parametrize("typed", ["buttt", "Mattt", "wattt", "tttt", "the wifi is outtt"])
def test_other_words_ending_in_a_stretched_t_are_not_split(scorer: Any, typed: str) -> None:
    assert [t.text for t in scorer.nlp.make_doc(typed)] == typed.split()


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_every_negative_contraction_stretched_reads_as_typed_plainly(scorer: Any, data: Any) -> None:
    """Any negative contraction the tokenizer knows ("dont", "CAN'T", "Wouldn't"...), its last letter typed
    3 to 30 times, before any punctuation, reads the same words as typed once."""
    rules = scorer.nlp.tokenizer.rules
    negatives = sorted(form for form, pieces in rules.items()
                       if len(pieces) > 1 and pieces[-1].get(NORM) == "not" and form[-1] in "tT"
                       and form[-2:-1] not in "tT")
    assert len(negatives) > 100  # the pipeline's own special cases, so the test can tell
    form = data.draw(st.sampled_from(negatives))
    times = data.draw(st.integers(min_value=3, max_value=30))
    after = data.draw(st.sampled_from(["", ".", "!!", ",", " ok", "?"]))
    typed, plain = f"i {form}{form[-1] * (times - 1)}{after}", f"i {form}{after}"
    assert [t.norm_ for t in scorer.nlp.make_doc(typed)] == [t.norm_ for t in scorer.nlp.make_doc(plain)]


def test_the_saved_pipeline_lists_no_stretched_spellings(scorer: Any) -> None:
    """The stretched spellings are split as the reply is read, not listed one by one (they were 1,248
    special cases, loaded each time the app starts)."""
    assert not [f for f in scorer.nlp.tokenizer.rules if f[-3:] in ("ttt", "TTT")]


@pytest.mark.parametrize(
    ("reply", "context"),
    [
        ("i cantttt promise that", "If I tell you something, you have to promise not to tell anyone."),
        ("i dontttt think i should hug u", "Can I just have a hug? I really need one."),
    ],
)
def test_a_stretched_refusal_is_not_an_overstep(scorer: Any, reply: str, context: str) -> None:
    assert "overstep" not in scorer.assess(reply, context=context).present()
