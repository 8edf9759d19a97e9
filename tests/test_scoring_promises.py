"""What a practice educator calls the classic first-visit mistakes, judged as the labelling guide says
(models/LABELLING.md, rules 2, 4 and 7), on replies written here in the shapes a student tester typed:

- promising an outcome the worker does not control is an overstep, never a reflection ("No, nobody is
  going to take your kids."), and being honest that you cannot promise it states the frame;
- telling them they did nothing wrong before you know is reassurance, not a reflection of their words;
- agreeing to leave a concern out of the notes is collusion, never "stating the frame";
- owning the agency's failure or repairing your own misstep is not sympathy;
- a suggestion in question form is advice;
- a sentence that is only an emoji is never the evidence of a skill.
"""

from __future__ import annotations

from typing import Any

import pytest

from trainer.scoring.api import THRESHOLD

KIDS = "Are you going to take my kids?"


def present(result: Any) -> set[str]:
    return {s for s, v in result.scores.items() if v >= THRESHOLD}


@pytest.mark.parametrize("reply, context", [
    ("No, nobody is going to take your kids.", KIDS),
    ("no one's gonna take ur kids, promise", KIDS),
    ("I promise nothing bad will happen.", "My mum took an overdose last month."),
    ("We're not putting your dad in a home, I promise.", "You're going to put Dad in a home."),
    ("Don't worry, I'll sort everything out for you and your mum.", "Mum's not coping and neither am I."),
    # a promise in other words: a vow before or after the outcome
    ("The kids are going nowhere, you have my word.", KIDS),
    ("You have my word, the kids are staying with you.", KIDS),
    ("Hand on heart, nobody's taking them.", KIDS),
])
def test_a_promised_outcome_is_an_overstep_and_never_empathy(scorer: Any, reply: str, context: str) -> None:
    result = scorer.assess(reply, context=context)
    assert "overstep" in present(result) and "empathy" not in present(result), result.scores
    assert any(e.source == "rule:promised_outcome" for e in result.evidence)
    assert not any(a.label.startswith("reflection") for a in result.acts)


def test_saying_you_cannot_promise_the_outcome_states_the_frame(scorer: Any) -> None:
    result = scorer.assess("I can't promise nothing bad will happen, but I can promise to be honest with "
                           "you about what happens next.", context=KIDS)
    assert "boundaries" in present(result) and "overstep" not in present(result), result.scores


def test_reassurance_before_you_know_is_not_a_reflection_of_their_words(scorer: Any) -> None:
    # "Takes up their own words ('wrong')" praised an echo of the person's own denial.
    context = "I know your lot. Who sent you? I haven't done anything wrong."
    said = scorer.assess("You haven't done anything wrong.", context=context)
    assert "empathy" not in present(said) and "sympathy" in present(said), said.scores
    heard = scorer.assess("You're worried we think you've done something wrong.", context=context)
    assert "empathy" in present(heard) and "sympathy" not in present(heard), heard.scores


def test_leaving_a_concern_out_of_the_notes_is_collusion_not_the_frame(scorer: Any) -> None:
    result = scorer.assess("thats completely understandable hun, loads of carers do that to keep them safe. "
                           "i wont put that bit in my notes, its fine",
                           context="And at night I lock his bedroom door. From the outside.")
    assert present(result) & {"overstep"} and not present(result) & {"boundaries", "empathy"}, result.scores
    assert [e.source for e in result.evidence if e.signal == "overstep"] == ["rule:collusion"]


@pytest.mark.parametrize("reply, context", [
    ("Becky left; I'm sorry nobody told you. That's not OK.", "What happened to Becky? Nobody told me."),
    ("I'm sorry nobody told you I was coming today.", "Who are you? Nobody said anyone was coming."),
    ("You're right, I'm sorry. It sounds like there are times you shout at him, and you feel ashamed of "
     "that.", "Don't. You wouldn't say that if you knew. Good daughters don't shout at their dads."),
])
def test_owning_a_failure_or_a_misstep_is_not_sympathy(scorer: Any, reply: str, context: str) -> None:
    assert "sympathy" not in present(scorer.assess(reply, context=context))


@pytest.mark.parametrize("reply", [
    "I'm so sorry that happened to you.",
    "sorry for ur loss x",
    "My sincere condolences.",
    "I'm sorry nobody told you, you poor thing.",  # the agency's failure owned, and pity as well
])
def test_condolence_is_still_sympathy(scorer: Any, reply: str) -> None:
    assert "sympathy" in present(scorer.assess(reply, context="My husband died in the spring."))


@pytest.mark.parametrize("reply", [
    "Have you thought about asking the school about breakfast club?",
    "How about trying two alarms?",
    "Could you try putting the alarm across the room?",
])
def test_a_suggestion_in_question_form_is_advice(scorer: Any, reply: str) -> None:
    result = scorer.assess(reply, context="Some mornings I just don't hear the alarm.")
    assert [a.label for a in result.acts] == ["advice"], result.acts


def test_an_emoji_alone_is_never_quoted_as_evidence(scorer: Any) -> None:
    result = scorer.assess("thanks minh thats really kind!! tbh tho we always use a proper interpreter so ur "
                           "mum can speak for herself, hope thats ok? 🙏", context="You can send her home.")
    assert all(any(c.isalnum() for c in e.text) for e in result.evidence), result.evidence


@pytest.mark.parametrize("reply", [
    "I won't put anything in writing without reading it to you first.",
    "I won't write anything down without telling you.",
    "I promise you'll hear from me by Friday.",
    "No one's taking notes today, it's just a chat to get to know you.",
    "Nothing will happen today without you knowing about it.",
    "I'll make sure you get a copy of the assessment.",
    "I'm sorry, I'm running late.",
    "I won't put your address in the letter to school.",
    "I can't keep secrets from my team. I promise I'll tell you before I share anything.",
    "Nobody is going to take your money without asking you.",  # `with_consent` withdraws the overstep
    "That's kind, I'll take the chocolates to the office for the team and record it.",  # a gift handed in
    "I won't put anything in the report that I haven't discussed with you.",  # `with_consent` withdraws it
    "I promise I'll tell you the truth, even when it's hard.",  # an xfail until stop 14
])
def test_commitments_about_your_own_work_are_not_promises_of_an_outcome(scorer: Any, reply: str) -> None:
    # Found by trying ordinary good practice against the new rules: a step that waits for the person, or a
    # promise the worker can keep, is not an overstep.
    result = scorer.assess(reply, context="What happens now, then?")
    assert "overstep" not in present(result), (result.scores, result.evidence)


@pytest.mark.parametrize("reply", ["I promise I won't tell anyone.", "i promise i wont tell ur mum",
                                   "I promise it stays between us.", "no ones taking ur kids",
                                   # a promise one can keep does not excuse the secrecy beside it
                                   "I promise to be honest and keep this between us."])
def test_promises_of_secrecy_and_outcomes_are_still_oversteps(scorer: Any, reply: str) -> None:
    # "I promise I'll tell you before I share anything" ended the doorstep scenario as a secrecy promise: the
    # rule now needs the promise not to tell, and these must still be found.
    assert "overstep" in present(scorer.assess(reply, context="Can I tell you something? Don't tell Mum."))


@pytest.mark.parametrize("reply, context, courtesy", [
    ("Don't worry about it. Shall we sit down?", "Sorry I'm late, the bus never came.", True),
    ("No worries at all.", "Sorry, I'm a mess today.", True),
    ("Don't worry about it, they won't take him.", "I'm scared they'll take him.", False),
])
def test_accepting_their_apology_is_a_courtesy_not_reassurance(
    scorer: Any, reply: str, context: str, courtesy: bool
) -> None:
    assert ("sympathy" in present(scorer.assess(reply, context=context))) != courtesy


@pytest.mark.parametrize("reply, context", [
    ("You have my word I'll ring you back by Friday.", "Will you actually ring me back?"),
    ("You have my word, I'll be honest with you whatever happens.", KIDS),
    ("So your sister's staying with you for a bit.", "My sister's moving in with me next week."),
])
def test_a_promise_about_your_own_part_or_their_news_given_back_is_not_an_overstep(
    scorer: Any, reply: str, context: str
) -> None:
    """Giving your word to ring back or to be honest is a promise you can keep; "staying with you" about a
    person is not "it stays with me"."""
    result = scorer.assess(reply, context=context)
    assert "overstep" not in present(result), (result.scores, result.evidence)


@pytest.mark.parametrize("reply", ["Whatever you tell me stays with me.", "What you say here stays here."])
def test_what_stays_with_you_or_here_is_a_promise_of_secrecy(scorer: Any, reply: str) -> None:
    result = scorer.assess(reply, context="I don't want anyone else knowing about this.")
    assert any(e.source == "rule:secrecy" for e in result.evidence), result.evidence


@pytest.mark.parametrize("reply", [
    "I'm not your friend, I'm your social worker.",
    "I'M NOT YOUR FRIEND, I'M YOUR SOCIAL WORKER.",
    "I'm your worker, not your friend, so no Facebook.",
])
def test_saying_you_are_not_their_friend_is_the_frame_not_an_overstep(scorer: Any, reply: str) -> None:
    """The classifier read "your friend" as an overstep (0.94) whatever came before (rule `not_a_friend`)."""
    result = scorer.assess(reply, context="You're like a friend to me. Will you be my friend?")
    assert "boundaries" in present(result) and "overstep" not in present(result), result.scores


def test_being_their_friend_is_still_an_overstep(scorer: Any) -> None:
    result = scorer.assess("Course I'm your friend, babe.", context="Will you be my friend?")
    assert "overstep" in present(result), result.scores
