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

from trainer.scoring.limits import wished_then_refused

HUG = "Can I have a hug?"
WHO = "Who are you, then?"
WHAT_NOW = "What happens now, then?"

#: Replies a practice educator would not call an overstep, with the line before them: touch refused (the
#: first rows; then a fresh tester's kinds: every order of a list refused, "nor", a stretched negative, a
#: wish turned down by a role or in the next sentence), how long the visit lasts, a copy promised (a step of
#: the worker's own, not a promise of an outcome: the classifier's reading of "I'll make sure" moved over the
#: line between two builds, so the rule `keepable_promise` says it).
NOT_OVERSTEP = [
    ("I'm not going to hug you or hold your hand", HUG),
    ("I won't hug you or hold your hand, but I'm right here with you.", HUG),
    ("I'd love to give you a hug but I shouldn't", HUG),
    ("I'd give you a hug, but that's not something I can do.", HUG),
    ("i wish i could give u a hug but im not allowed", HUG),
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
    ("I'll only be here for a bit, maybe 30min", WHO),
    ("hiya, im jo from early help, wont keep u long, 30min max", WHO),
    ("Won't keep you long, just till about 11.", WHO),
    ("I'll be here for about 30 mins, then I'll go through what happens next.", WHO),
    ("I'll make sure you get a copy of the assessment.", WHAT_NOW),
    ("I'll send you a copy of the plan, and you can tell me if anything's wrong.", WHAT_NOW),
    ("ill make sure u get a copy of the letter", WHAT_NOW),
]

#: Replies that cross the frame: an offer made, even when regretted after it or made in secret; a refusal
#: made an exception of; a plain yes to what the frame refuses; money handed over.
OVERSTEP = [
    ("Here's my number, but I'm not supposed to give it out.", "Can I have your number?"),  # given
    ("Come here, give us a hug. I shouldn't, but never mind.", HUG),  # done, then regretted
    ("I'll give you a hug, but don't tell anyone.", HUG),
    ("I can't accept gifts, but I'll make an exception for you", "Take these chocolates, go on."),
    ("I never hug service users, but you're different", HUG),
    ("Here's a tenner, but I'm not supposed to do this", "Can you lend me a tenner?"),  # handed, regretted
    ("Here, have twenty quid for the gas, we're not really allowed but it's fine.", "I've no gas left."),
    ("take this fiver, im not meant to tho", "cant afford the bus home"),
    ("yesss of course", HUG),
    ("ofc hun xxx", "will you be my friend?"),
    ("sure, no problem", "Can I borrow a tenner till Friday?"),
    ("Yes.", "Will you be my friend?"),
]


@pytest.mark.parametrize(("reply", "context"), NOT_OVERSTEP)
def test_refused_or_limited_is_not_an_overstep(scorer: Any, reply: str, context: str) -> None:
    result = scorer.assess(reply, context=context)
    assert "overstep" not in result.present(), (result.scores, result.evidence)


@pytest.mark.parametrize(("reply", "context"), OVERSTEP)
def test_an_offer_made_is_an_overstep(scorer: Any, reply: str, context: str) -> None:
    result = scorer.assess(reply, context=context)
    assert "overstep" in result.present(), (result.scores, result.evidence)


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
