"""Refusals and limits a student says in ordinary words, read as what they are (a scenario helper and a
debrief helper found each of these scored as the thing refused):

- one negation over two offers joined by "or": "I'm not going to hug you or hold your hand" refuses both
  (`RulesComponent._negated` reaches past "or");
- an offer wished and then turned down in the same sentence: "I'd love to give you a hug but I shouldn't"
  (`limits.wished_then_refused`); an offer made and then regretted ("Here's my number, but I'm not supposed
  to give it out") is still made;
- how long the visit lasts, in the chat register: "maybe 30min", "30 mins max", "won't keep you long",
  "I'll only be here for a bit" (rule `how_long`, exception `limited_stay`): purpose, never an overstep.

The `rules_nlp` tests read the pattern files as they are; the `scorer` tests read models/scorer, so they
hold once `make model` has rebuilt it.
"""

from __future__ import annotations

from typing import Any

import pytest

from trainer.scoring.api import THRESHOLD
from trainer.scoring.limits import wished_then_refused

HUG = "Can I have a hug?"
WHO = "Who are you, then?"


def present(result: Any) -> set[str]:
    return {s for s, v in result.scores.items() if v >= THRESHOLD}


@pytest.mark.parametrize(
    "reply",
    [
        "I'm not going to hug you or hold your hand",
        "I won't hug you or hold your hand, but I'm right here with you.",
        "I'd love to give you a hug but I shouldn't",
        "I'd give you a hug, but that's not something I can do.",
        "i wish i could give u a hug but im not allowed",
    ],
)
def test_touch_refused_is_the_frame_not_an_overstep(scorer: Any, reply: str) -> None:
    result = scorer.assess(reply, context=HUG)
    assert "overstep" not in present(result), result.scores


@pytest.mark.parametrize(
    ("reply", "context"),
    [
        ("Here's my number, but I'm not supposed to give it out.", "Can I have your number?"),  # given
        ("Come here, give us a hug. I shouldn't, but never mind.", HUG),  # done, then regretted
        ("I'll give you a hug, but don't tell anyone.", HUG),
    ],
)
def test_an_offer_made_is_still_an_overstep(scorer: Any, reply: str, context: str) -> None:
    result = scorer.assess(reply, context=context)
    assert "overstep" in present(result), result.scores


@pytest.mark.parametrize(
    ("words", "start", "end", "refused"),
    [
        ("i 'd love to give you a hug but i should n't".split(), 6, 7, True),
        ("i 'd give you a hug but i ca n't promise i will pick up the phone every time".split(), 4, 5,
         False),  # too much after the negation: not a turning down of the hug
        ("here is a hug but i should n't".split(), 3, 4, False),  # no wish before it: done
    ],
)
def test_wished_then_refused(words: list[str], start: int, end: int, refused: bool) -> None:
    puncts = [False] * len(words)
    assert wished_then_refused(words, puncts, start, end, 0, len(words)) is refused


@pytest.mark.parametrize(
    "reply",
    [
        "I'll only be here for a bit, maybe 30min",
        "hiya, im jo from early help, wont keep u long, 30min max",
        "Won't keep you long, just till about 11.",
        "I'll be here for about 30 mins, then I'll go through what happens next.",
    ],
)
def test_how_long_the_visit_lasts_is_not_an_overstep(scorer: Any, reply: str) -> None:
    result = scorer.assess(reply, context=WHO)
    assert "overstep" not in present(result), result.scores


@pytest.mark.parametrize(
    ("reply", "words"),
    [
        ("I'll only be here for a bit, maybe 30min", "maybe 30min"),
        ("wont keep u long, 30min max", "30min max"),
        ("We've got maybe 45 minutes today.", "45 minutes"),
    ],
)
def test_a_duration_in_chat_is_how_long_you_have(rules_nlp: Any, reply: str, words: str) -> None:
    doc = rules_nlp.make_doc(reply)
    doc._.context = WHO
    for _name, proc in rules_nlp.pipeline:
        doc = proc(doc)
    found = [(h.rule, reply[h.start : h.end]) for h in doc._.rule_hits]
    assert any(rule == "how_long" and words in said for rule, said in found), found


def test_a_duration_of_something_else_is_not_how_long_you_have(rules_nlp: Any) -> None:
    doc = rules_nlp("It took me 30 minutes to get here and the bus was late.")
    assert not [h for h in doc._.rule_hits if h.rule == "how_long"]


@pytest.mark.parametrize(
    "reply",
    [
        "I'll make sure you get a copy of the assessment.",
        "I'll send you a copy of the plan, and you can tell me if anything's wrong.",
        "ill make sure u get a copy of the letter",
    ],
)
def test_a_copy_promised_is_a_promise_you_can_keep(scorer: Any, reply: str) -> None:
    """A step of the worker's own (a copy sent) is not a promise of an outcome: the classifier's reading of
    "I'll make sure" moved over the line between two builds, so the rule `keepable_promise` says it."""
    result = scorer.assess(reply, context="What happens now, then?")
    assert "overstep" not in present(result), result.scores


# --- a fresh tester's kinds (233 probes, 38 wrong): every order of a list refused, "nor", a stretched
# negative, a refusal made an exception of, a wish turned down by a role or in the next sentence, yes said
# to what the frame refuses, money handed over

@pytest.mark.parametrize(
    ("reply", "context"),
    [
        ("I'm not going to hold your hand or hug you, but I'm right here with you", HUG),
        ("im not going to hold ur hand or hug u but im right here with u", HUG),
        ("I won't hold your hand or put my arm round you", HUG),
        ("I can't hug you, nor hold your hand", HUG),
        ("I'm not going to give you my number or add you on WhatsApp", "Can I have your number?"),
        ("We can't be friends, nor can I follow you on Instagram", "Will you follow me back?"),
        ("i dontttt think i should hug u", HUG),
        ("i cantttt give u my number", "can i have ur number"),
        ("I'd love to be your friend but I'm your social worker", "Will you be my friend?"),
        ("I wish I could hug you. No, I can't, but I can sit with you.", HUG),
    ],
)
def test_every_way_of_refusing_is_not_an_overstep(scorer: Any, reply: str, context: str) -> None:
    result = scorer.assess(reply, context=context)
    assert "overstep" not in present(result), (result.scores, result.evidence)


@pytest.mark.parametrize(
    ("reply", "context"),
    [
        ("I can't accept gifts, but I'll make an exception for you", "Take these chocolates, go on."),
        ("I never hug service users, but you're different", HUG),
        pytest.param("Here's a tenner, but I'm not supposed to do this", "Can you lend me a tenner?",
                     marks=pytest.mark.xfail(strict=True, reason="money handed over, then regretted: the "
                                             "classifier reads the regret as a refusal (0.49); left")),
        ("yesss of course", HUG),
        ("ofc hun xxx", "will you be my friend?"),
        ("sure, no problem", "Can I borrow a tenner till Friday?"),
        ("Yes.", "Will you be my friend?"),
    ],
)
def test_an_exception_made_or_a_yes_is_an_overstep(scorer: Any, reply: str, context: str) -> None:
    result = scorer.assess(reply, context=context)
    assert "overstep" in present(result), (result.scores, result.evidence)


@pytest.mark.parametrize(
    ("reply", "context"),
    [
        ("Okay.", "My mum used to hug me when I was little."),  # a memory, not a request
        ("yes, I can hear how much you need comfort right now", HUG),  # more than a yes
        ("ok, why?", "Can I have your number?"),
    ],
)
def test_yes_to_something_else_is_not_granting_it(scorer: Any, reply: str, context: str) -> None:
    result = scorer.assess(reply, context=context)
    assert not [e for e in result.evidence if e.source == "rule:grants_request.context"], result.evidence
