"""Evidence says what was said: a cliché rule does not fire on the service user's own phrase given back,
a span never stops inside a hyphenated word, and "worry" is the word "worried" and "worrying" are."""

from __future__ import annotations

from typing import Any

import pytest

from trainer.scoring.features import same_word, stem


def test_their_own_phrase_given_back_is_not_the_workers_cliche(scorer: Any) -> None:
    context = "The hostel was only meant to be for six weeks and it's been eight months."
    a = scorer.assess("Eight months in a place that was meant to be six weeks.", context)
    assert not any(e.source == "rule:platitude" for e in a.evidence), a.evidence
    # said of a loss they did not frame that way, it is still the cliché; and so is the cliché alone in
    # their words: they reported it as what everyone says, and the reply gives it to them again
    for reply, said in [("It was meant to be, I suppose.", "My mum died last week."),
                        ("It could be worse.", "Everyone says it could be worse. It couldn't be worse."),
                        ("Things will get better.", "Will things ever get better?")]:
        b = scorer.assess(reply, said)
        assert any(e.source == "rule:platitude" for e in b.evidence), (reply, b.evidence)
        assert b.scores["sympathy"] >= 0.5 and b.scores["empathy"] < 0.5, (reply, b.scores)


def test_a_span_never_stops_inside_a_hyphenated_word(scorer: Any) -> None:
    text = "You shouldn't be doing it all single-handed."
    a = scorer.assess(text, "I've been doing all of Dad's care myself since the diagnosis.")
    for e in a.evidence:
        assert not (text[e.end : e.end + 1] == "-" and text[e.end - 1 : e.end].isalpha()), e
        assert not (e.start > 0 and text[e.start - 1] == "-" and text[e.start - 2].isalpha()), e


def test_a_verb_ending_in_y_has_one_stem_in_every_form() -> None:
    for forms in (("worry", "worried", "worries", "worrying"), ("hurry", "hurried", "hurrying"),
                  ("study", "studied", "studying")):
        assert len({stem(w) for w in forms}) == 1, forms
    assert stem("cry") == stem("cried") == stem("crying")
    assert same_word("worry", "worried") and not same_word("car", "cared")


@pytest.mark.parametrize("forms", [
    ("upset", "upsetting"), ("stop", "stopped", "stopping"), ("plan", "planned", "planning"),
    ("hug", "hugged"), ("panic", "panicking", "panicked"), ("stress", "stressed", "stresses"),
    ("nervous", "nervously"), ("fall", "falling"), ("kiss", "kissed", "kisses"), ("add", "added"),
])
def test_a_word_has_one_stem_whatever_its_suffix_did_to_it(forms: tuple[str, ...]) -> None:
    """A doubled consonant ("upsetting"), an "-ic" verb's "k" ("panicking") and a word ending in "s"
    ("stress") are the same word in every form, so "No need to panic" takes up "I'm panicking"."""
    assert len({stem(w) for w in forms}) == 1, {w: stem(w) for w in forms}


def test_no_need_to_panic_after_panicking_is_reassurance(scorer: Any) -> None:
    a = scorer.assess("No need to panic.", "I'm panicking about the hearing on Monday.")
    assert a.present() == ["sympathy"], a.scores
    assert any(e.source == "rule:reassurance.context" for e in a.evidence), a.evidence


@pytest.mark.parametrize("reply, quoted", [
    ("I can't take your money, Arthur.", "can't take your money"),
    ("I CAN'T LEND U MONEY", "CAN'T LEND U MONEY"),
    ("I won't add you on Facebook.", "won't add you on Facebook"),
])
def test_a_refusal_is_quoted_with_its_negation(scorer: Any, reply: str, quoted: str) -> None:
    """The evidence for "I can't take your money" quoted 'take your money' as what "kindly refuses money"."""
    a = scorer.assess(reply, "Here, take this for your trouble.")
    assert [e.text for e in a.evidence if e.signal == "boundaries"][:1] == [quoted], a.evidence
