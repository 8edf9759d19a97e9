"""Their words, denied: "You're not failing her" after "I feel like I'm failing her" is reassurance, not a
reflection (trainer.scoring.denials; models/LABELLING.md rule 17)."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from trainer.scoring.api import THRESHOLD
from trainer.scoring.denials import denied_words


def denial(nlp: Any, reply: str, context: str | None) -> str | None:
    doc = nlp(reply)
    norms = [t.norm_ for t in doc]
    puncts = [t.is_punct for t in doc]
    found = denied_words(norms, puncts, lambda: [(s.start, s.end) for s in doc.sents], context)
    return doc[found[0] : found[1]].text if found else None


@pytest.mark.parametrize("context, reply, words", [
    ("I feel like I'm failing her.", "You're not failing her.", "You're not failing"),
    ("I'm worried they'll think I'm lying.", "They won't think you're lying.", "They won't think"),
    ("I'm too old to learn the computer.", "You're never too old to learn!", "You're never too old"),
    ("It's my fault he left.", "Oh, it's not your fault.", "it's not your fault"),
    ("i feel like such a burden", "ur not a burden hun", "ur not a burden"),
    ("I don't want to be a bother to anyone.", "You're no bother at all.", "You're no bother"),
    ("I don't wanna be a nuisance.", "it's no nuisance, honestly", "it's no nuisance"),
    # "went" and "meant" are not negations ("dont", "cant" are): "useless" is said plainly here
    ("I went to the meeting and felt useless.", "You're not useless.", "You're not useless"),
    ("i meant to ring but im just hopeless", "ur not hopeless", "ur not hopeless"),
    # their feeling said to have no ground: "nothing to", "no need to (be)", "no reason to (feel)"
    ("I'm dreading the hearing next week.", "There's nothing to dread.", "nothing to dread"),
    ("im so worried about the meeting", "nothing to worry about hun", "nothing to worry"),
    ("I feel so ashamed asking for food.", "There's no need to be ashamed.", "no need to be ashamed"),
    ("I feel guilty leaving him at the day centre.", "You've no reason to feel guilty.",
     "no reason to feel guilty"),
    ("I'm so scared of going back.", "No point being scared.", "No point being scared"),
    ("I'm so scared of going back.", "No need to be so scared.", "No need to be so scared"),
    ("I'm so scared of going back.", "There's no reason at all to be scared.",
     "no reason at all to be scared"),
    ("I'm so scared of going back.", "There's nothing you need to be scared of.",
     "nothing you need to be scared"),
])
def test_a_denial_of_their_words_is_found_from_its_subject(
    nlp: Any, context: str, reply: str, words: str
) -> None:
    assert denial(nlp, reply, context) == words


@pytest.mark.parametrize("context, reply", [
    ("I can't cope any more.", "You can't cope."),  # their own negative, given back
    ("I don't want to be on tablets forever.", "You're not wanting tablets forever."),  # theirs, negated
    ("The flat's alright, I hate being so far from the kids.", "So it's not the flat, it's the distance."),
    ("Part of me wants to go to rehab, but the kids...", "You don't want to leave the kids."),  # "want"
    ("I keep pushing people away.", "You shouldn't push people away."),  # advice, not a denial
    ("I feel like I'm failing her.", "Are you not failing her?"),  # a question
    ("I feel like I'm failing her.", "I'm not failing anyone here."),  # the worker's own
    ("There's nothing to eat in the house.", "There's nothing to eat, you said."),  # their own "nothing"
    ("I'm dreading it.", "I had nothing to dread back then."),  # the worker's own story
    # their view, someone's words, or a contrast: given back, not denied
    ("I feel like I've lost everything.", "You feel you've got nothing to lose now."),
    ("I'm so scared of going back.", "You know there's no reason to be scared, but you are."),
    ("I'm so ashamed.", "Your mum used to say there's no need to be ashamed."),
    ("I'm dreading the hearing.", "There's nothing to dread about the hearing itself, it's the waiting."),
    ("I'm worried sick about it.",
     "People keep telling you there's nothing to worry about, which doesn't help."),
    ("My husband's in a nursing home now.", "You're still his wife, even if he's not home."),  # a condition
    ("I feel like I'm failing her.", None),
])
def test_reflections_advice_and_questions_are_not_denials(nlp: Any, context: str, reply: str | None) -> None:
    assert denial(nlp, reply or "You're not failing her.", None if reply is None else context) is None


WORDS = ["failing", "burden", "useless", "stupid", "lazy", "selfish", "mad", "weak", "thick", "hopeless"]


@given(st.sampled_from(WORDS), st.sampled_from(["You're not", "You are not", "ur not", "You're never"]),
       st.sampled_from(["I feel so {w}.", "everyone thinks im {w}", "I'm just {w}, aren't I."]))
def test_any_self_judgement_denied_is_found_and_the_same_said_back_is_not(
    nlp: Any, word: str, denied: str, said: str
) -> None:
    context = said.format(w=word)
    assert denial(nlp, f"{denied} {word}.", context) is not None
    assert denial(nlp, f"You feel {word}.", context) is None


@given(st.sampled_from(["bother", "burden", "nuisance", "pain", "trouble"]),
       st.sampled_from(["I don't want to be a {w}.", "i dont wanna be a {w} to anyone",
                        "I wouldn't like to be a {w}."]),
       st.sampled_from(["You're no {w}.", "You're not a {w}.", "ur no {w} hun"]))
def test_what_they_fear_being_after_a_wish_denied_is_theirs_to_deny(
    nlp: Any, word: str, said: str, denied: str
) -> None:
    """"I don't want to be a bother": the negation is of the wanting, so "You're no bother" denies their fear;
    "You don't want to be a bother" gives it back."""
    context = said.format(w=word)
    assert denial(nlp, denied.format(w=word), context) is not None
    assert denial(nlp, f"You don't want to be a {word}.", context) is None


@pytest.mark.parametrize("context, reply", [
    ("I don't want to be a bother to anyone.", "You're no bother at all."),
    ("I feel like I'm failing her.", "You're not failing her."),
    ("I'm worried they'll think I'm lying about my back.", "They won't think you're lying."),
    ("I'm too old to learn the computer.", "You're never too old to learn!"),
])
def test_the_scorer_hears_reassurance_not_a_reflection(scorer: Any, context: str, reply: str) -> None:
    a = scorer.assess(reply, context)
    assert a.scores["empathy"] < THRESHOLD, a.scores
    assert "sympathy" in a.present(), a.scores
    assert not [e for e in a.evidence if e.source.startswith("context:")]
    (said,) = [e for e in a.evidence if e.source == "rule:reassurance.context"]
    assert "not so" in said.reason and said.text in reply


@pytest.mark.parametrize("context, reply, source", [
    ("I'm dreading the review next week.", "There's nothing to dread.", "rule:reassurance.context"),
    ("Have I done something wrong? Is that why you're here?", "You did nothing wrong.", "rule:prejudged"),
    ("is this cos of something i did", "u didnt do anything wrong", "rule:prejudged"),
])
def test_their_fear_said_to_have_no_ground_is_reassurance(
    scorer: Any, context: str, reply: str, source: str
) -> None:
    a = scorer.assess(reply, context)
    assert a.scores["empathy"] < THRESHOLD, a.scores
    assert "sympathy" in a.present(), a.scores
    assert source in {e.source for e in a.evidence}, a.evidence


@pytest.mark.parametrize("context, reply", [
    ("I shouldn't have shouted at him in the car.", "You feel you shouldn't have shouted at him."),
    ("I should never have let her go to that party.", "You feel you should never have let her go."),
    # a reflection whose act is split between simple and complex (0.27 + 0.37) is one reflection (tenth round)
    ("I should have rung the GP sooner.", "Part of you thinks you should have rung sooner."),
])
def test_a_modal_that_looks_back_in_their_own_view_is_a_reflection(
    scorer: Any, context: str, reply: str
) -> None:
    """models/LABELLING.md rule 19: "You feel you shouldn't have shouted" gives back their self-blame."""
    a = scorer.assess(reply, context)
    assert "empathy" in a.present(), a.scores
    assert a.main_act in {"reflection_simple", "reflection_complex"}, a.acts


@pytest.mark.parametrize("reply", ["You're not going to lose the flat.", "ur not gonna lose the flat"])
def test_denying_the_future_they_fear_is_reassurance_not_a_reflection(scorer: Any, reply: str) -> None:
    """"Going to" is the future, not their word: "You're not going to lose the flat" answers "Will I lose
    the flat?" with a promise the worker cannot keep."""
    a = scorer.assess(reply, "Will I lose the flat over this?")
    assert "empathy" not in a.present() and "sympathy" in a.present(), a.scores
