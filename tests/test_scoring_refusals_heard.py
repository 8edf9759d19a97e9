"""What a fresh tester found the scorer got wrong in replies students type (stop 28).

- "I promise I won't tell Craig." (to Sophie, whose partner hurts her) was a hard secrecy overstep, and so
  was the bundled scenario's own model answer "I won't tell Craig what you say to me.". Keeping what she says
  from the one she is afraid of is a promise a worker can keep; a promise not to tell *anyone* is not. The
  exception `not_telling_them` holds for the partner, "him" or a named person, and not when the words after
  it widen it again ("... or anyone", a rule's `not_before`).
- "no i dont give out my number" and "im not giving u my number" were oversteps (only "give"/"gave" were
  read, and nothing between the verb and "my number").
- "aww thats so lovely but i better not" was pity ("aww"), and the refusal went unheard.
- "I'm not taking your money." earned no boundaries: the rule fired and the classifier outweighed it. A
  boundaries rule the build finds right nearly always (`cautions.SURE_FRAME`) now decides on its own.
- "Frightening, then." was withheld as a one-word reply that names no feeling: the feeling words lacked the
  words that name a frightening situation ("frightening", "isolating").
- "You feel you should never have let her go." and "Unless you were in danger." (alone) sat at the 0.5 line
  and moved with every retrain: each now has a rule of its own (`self_blame_given_back`; `safety_limit`,
  which a reflection cannot share a sentence with).
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.test_scoring_rules import hits

SOPHIE = "And you can never tell Craig I talked to you. Promise me."


def _signals(nlp: Any, text: str) -> set[str]:
    return {signal for signal, _rule, _words in hits(nlp, text)}


@pytest.mark.parametrize("reply", [
    "I promise I won't tell Craig.",
    "I won't tell Craig what you say to me.",
    "i promise i wont tell him",
    "I'm not going to tell your partner anything you've told me.",
    "I won't say a word to Craig, and anything involving him we'd plan with you first.",
])
def test_keeping_it_from_the_one_she_fears_is_no_promise_of_secrecy(scorer: Any, reply: str) -> None:
    a = scorer.assess(reply, SOPHIE)
    assert "overstep" not in a.present(), (a.scores, a.evidence)


@pytest.mark.parametrize("reply", [
    "I promise I won't tell.",
    "I promise I won't tell your mum.",
    "I won't tell Craig or anyone else.",
    "i wont tell him or anyone i promise",
    "I won't tell Craig, it'll stay between us.",
])
def test_a_promise_not_to_tell_anyone_is_still_secrecy(scorer: Any, reply: str) -> None:
    a = scorer.assess(reply, SOPHIE)
    assert "overstep" in a.present(), a.scores


@settings(max_examples=40, deadline=None)
@given(
    opener=st.sampled_from(["I won't tell", "I promise I won't tell", "i wont tell", "I'm not going to tell",
                            "I will never tell"]),
    person=st.sampled_from(["Craig", "him", "your partner", "your husband", "Darren", "your ex"]),
    wider=st.sampled_from(["or anyone", "or anyone else", "and nobody else will know", "or anybody"]),
)
def test_widening_the_promise_brings_the_secrecy_back(rules_nlp: Any, opener: str, person: str,
                                                      wider: str) -> None:
    """The same words, with and without what widens them: only the wider promise is secrecy."""
    assert "overstep" not in _signals(rules_nlp, f"{opener} {person}.")
    assert "overstep" in _signals(rules_nlp, f"{opener} {person} {wider}.")


@pytest.mark.parametrize("reply", [
    "no i dont give out my number",
    "im not giving u my number",
    "I don't hand out my personal number, but the duty line is there all day.",
])
def test_not_giving_out_a_number_is_the_frame(scorer: Any, reply: str) -> None:
    a = scorer.assess(reply, "Can I have your number, just in case?")
    assert "overstep" not in a.present() and "boundaries" in a.present(), a.scores


@pytest.mark.parametrize("reply", ["give u my number if u want", "I'll give you out my mobile."])
def test_giving_a_number_is_still_an_overstep(scorer: Any, reply: str) -> None:
    a = scorer.assess(reply, "Can I have your number, just in case?")
    assert "overstep" in a.present(), a.scores


def test_thanks_for_a_kindness_is_not_pity_and_the_refusal_is_heard(scorer: Any) -> None:
    a = scorer.assess("aww thats so lovely but i better not", "I made you these biscuits, take some.")
    assert "sympathy" not in a.present() and "boundaries" in a.present(), a.scores


@pytest.mark.parametrize("reply", ["Aww, you poor thing.", "aww bless u"])
def test_aww_said_as_pity_is_still_pity(scorer: Any, reply: str) -> None:
    a = scorer.assess(reply, "My husband died in March and I've not been out since.")
    assert "sympathy" in a.present(), a.scores


@pytest.mark.parametrize("reply", ["I'm not taking your money.", "I'm not accepting any cash."])
def test_a_bare_refusal_of_money_is_credited_as_the_frame(scorer: Any, reply: str) -> None:
    a = scorer.assess(reply, "Take this twenty pound for your trouble.")
    assert "boundaries" in a.present(), a.scores
    refusals = [e for e in a.evidence if e.signal == "boundaries" and e.text.endswith(("money", "cash"))]
    assert refusals, a.evidence


@pytest.mark.parametrize("context, reply", [
    ("He keeps turning up at the school gates.", "Frightening, then."),
    ("He keeps turning up at the school gates.", "Frightening?"),
    ("They closed the day centre and now I don't see anyone.", "Isolating."),
])
def test_a_terse_guess_at_a_frightening_situation_is_a_reflection(
    scorer: Any, context: str, reply: str
) -> None:
    a = scorer.assess(reply, context)
    assert "empathy" in a.present(), a.scores


def hits_of(scorer: Any, text: str) -> list[str]:
    return [rule for _signal, rule, _words in hits(scorer.nlp, text)]


@pytest.mark.parametrize("context, reply", [
    # was 0.46, moved by every retrain until it had a rule of its own
    ("I should never have let her go to that party.", "You feel you should never have let her go."),
    ("I should have rung the GP sooner.", "Part of you thinks you should have rung sooner."),
    ("If I'd been home it wouldn't have happened.", "You blame yourself."),
])
def test_their_self_blame_given_back_is_a_reflection(scorer: Any, context: str, reply: str) -> None:
    a = scorer.assess(reply, context)
    assert "empathy" in a.present(), a.scores
    assert "self_blame_given_back" in hits_of(scorer, reply)


def test_advice_about_what_they_should_have_done_is_not_their_self_blame(rules_nlp: Any) -> None:
    assert "empathy" not in _signals(rules_nlp, "I think you should have told me sooner.")


KIDS = "I'm scared they'll take the kids."


@pytest.mark.parametrize("reply, words", [
    ("honestly i get it and ill make sure u keep them no matter what",
     "ill make sure u keep them no matter what"),
    ("you're scared of losing them and i'll make sure that never happens",
     "i'll make sure that never happens"),
    ("its ok when im here nothing will happen to u", "nothing will happen to u"),
    ("yeah i hear u its really hard and i promise nothing bad will happen to u or the kids ok",
     "nothing bad will happen to u"),
])
def test_an_impossible_promise_inside_a_run_on_reply_is_found_whole(
    scorer: Any, reply: str, words: str
) -> None:
    """Chat has no full stops: a promise of how it ends is found in the middle of a run-on reply, and its
    evidence is the whole promise, not "no matter" without its "what"."""
    a = scorer.assess(reply, KIDS)
    assert "overstep" in a.present(), a.scores
    assert words in [e.text for e in a.evidence if e.signal == "overstep"], a.evidence


@pytest.mark.parametrize("reply", [
    "Nothing will happen to you before we meet again.",
    "nothing will happen to u while im around",
])
def test_a_promise_of_safety_with_a_time_on_it_is_still_a_promise(rules_nlp: Any, reply: str) -> None:
    """The second tester's: a time put on a promise of their safety does not make it honest. (Nothing
    happening "until we've talked" makes the step wait for them: `with_consent`, a promise one keeps.)"""
    assert "overstep" in _signals(rules_nlp, reply)


def test_what_happens_to_a_claim_until_a_review_is_information(rules_nlp: Any) -> None:
    assert "overstep" not in _signals(rules_nlp, "Nothing will happen to your claim until the review.")


@pytest.mark.parametrize("reply", [
    "i dont give out my number normally but ok here it is",
    "i dont usually give out my number but for u i will",
    "i shouldnt give u my number but fine",
    "I shouldn't really hug you, but come here.",
])
def test_a_refusal_then_giving_in_is_the_frame_crossed(scorer: Any, reply: str) -> None:
    """With a refusal now heard in chat and credited on its own, giving in after it must undo it: it was
    boundaries 0.98 with the overstep withdrawn (the second tester's)."""
    a = scorer.assess(reply, "Can I have your number? Or just a hug?")
    assert "overstep" in a.present() and "boundaries" not in a.present(), a.scores


def test_a_refusal_with_what_the_service_offers_instead_stays_the_frame(scorer: Any) -> None:
    reply = "I don't give out my number, but the duty team is there all day."
    a = scorer.assess(reply, "Can I have your number?")
    assert "boundaries" in a.present() and "overstep" not in a.present(), a.scores


def test_naming_what_is_kept_is_not_the_limits_of_a_promise_of_secrecy(scorer: Any) -> None:
    """"what you say to me" names the privacy, not its limits: the promise after it is still secrecy."""
    a = scorer.assess("I won't tell Craig what you say to me, and it stays in this room.", SOPHIE)
    assert "overstep" in a.present() and "boundaries" not in a.present(), a.scores
