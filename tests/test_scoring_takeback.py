"""A tester's three kinds of scorer mistake, judged as the labelling guide says (models/README.md, "Labelling
guide"; models/LABELLING.md, rules 7 and 9), on replies typed, chatted and spoken:

- an overstep taken back in the same reply by its limits is the frame: "Ring me any time. Well, within
  office hours, nine to five.", "I won't tell anyone. Well - unless you or Alfie were in danger"
  (`limits.limits_said`); a promise quoted as what they want to hear, then refused, is not made (the
  exception `quoted`);
- "know" after a negation is collusion only as keeping someone from knowing ("they don't need to know",
  "your GP doesn't need to know"), never as being acquainted or not knowing something ("You don't know
  anyone round here yet.", "He doesn't know the doctor any more.");
- an apology said twice before correcting one's own slip ("Sorry, I'm so sorry, I meant Tuesday") is not
  sympathy (exception `own_slip`), while pity said twice stays sympathy.

The `rules_nlp` tests read the pattern files as they are; the `scorer` tests read the patterns saved in
models/scorer, so they hold once `make model` has rebuilt it.
"""

from __future__ import annotations

from typing import Any

import pytest

from trainer.scoring.api import THRESHOLD
from trainer.scoring.limits import limits_said

RING = "Can I ring you if it gets bad?"
TELL = "Please don't tell anyone what I just said."


def present(result: Any) -> set[str]:
    return {s for s, v in result.scores.items() if v >= THRESHOLD}


def rule_hits(rules_nlp: Any, reply: str, context: str | None = None) -> list[tuple[str, str, str]]:
    """(signal, rule id, words) of every rule hit in `reply` read after `context`."""
    doc = rules_nlp.make_doc(reply)
    doc._.context = context
    for _name, proc in rules_nlp.pipeline:
        doc = proc(doc)
    return [(h.signal, h.rule, reply[h.start : h.end]) for h in doc._.rule_hits]


# --- 1. an overstep taken back in the same reply -------------------------------------------------------

TAKEN_BACK = [
    ("I'll pop round any time you need me. Well, within office hours - I'm part of a team.",
     "Will it be you?", "pop round any time you"),
    ("Ring me any time. Well, within office hours, nine to five.", RING, "any time"),
    ("text me anytime, well on my work phone", "can i text u", "anytime"),
    ("Um, ring me any time, like, within working hours, yeah? Out of hours it's the duty line.", RING,
     "any time"),
    ("I'll always be here for you. During office hours, I mean, and the emergency duty team covers nights.",
     RING, "I'll always be here"),
    ("Any time you need me, just ring. Weekdays, that is - at weekends it's the out of hours team.", RING,
     "Any time you need me"),
    ("anytime!! well 9-5 lol", "can i message u", "anytime"),
    ("Of course, I won't tell anyone. Well - unless you or Alfie were in danger...",
     "Please don't tell anyone about Alfie.", "won't tell anyone"),
    ("i wont tell anyone. unless ur in danger obvs", "dont tell any1", "wont tell anyone"),
    ("I won't tell anyone. Unless I thought you were at risk, then I'd have to.", TELL, "won't tell anyone"),
    ("Um, it stays between us, yeah? Er, unless, like, someone's going to get hurt.", TELL,
     "stays between us"),
    ("We don't need to tell my manager. But if you or the baby were in danger I'd have to.",
     "Don't tell your boss.", "don't need to tell my manager"),
    ("Nobody has to know. Well, if the kids were in danger, that's different.", TELL, "Nobody has to know"),
]


@pytest.mark.parametrize(("reply", "context", "promise"), TAKEN_BACK)
def test_a_promise_followed_by_its_limits_is_the_frame(
    rules_nlp: Any, reply: str, context: str, promise: str
) -> None:
    found = rule_hits(rules_nlp, reply, context)
    assert not [h for h in found if h[0] == "overstep"], found
    (turned,) = [h for h in found if h[2] == promise]
    assert turned[0] == "boundaries" and turned[1].endswith(".negated"), found


def test_the_learner_reads_that_the_promise_came_with_its_hours(rules_nlp: Any) -> None:
    doc = rules_nlp("Ring me any time. Well, within office hours, nine to five.")
    (turned,) = [h for h in doc._.rule_hits if h.rule == "unlimited_availability.negated"]
    assert turned.reason == "'any time' comes with its hours, said in the same reply"
    assert {h.rule for h in doc._.rule_hits} == {"unlimited_availability.negated", "availability"}


@pytest.mark.parametrize(
    ("reply", "context"),
    [
        ("Ring me any time, day or night.", RING),
        ("Ring me any time. I'll pick up even at 3am.", RING),
        ("Ring me any time. My office is on the second floor.", RING),  # a place, not its hours
        ("Call me any time - even outside office hours, I don't mind.", RING),  # beyond the hours, not them
        ("Of course, I won't tell anyone.", "Please don't tell anyone about Alfie."),
        ("I won't tell anyone. Unless you want me to, obviously.", TELL),  # their wish is not a limit
        ("It stays between us, don't worry. See you Tuesday.", TELL),
        ("Um, yeah, course, I won't say anything to anyone, like, ever.", TELL),
        ("I won't put it in my notes. I keep records of every visit.", TELL),  # notes named, not limits
        ("It'll be our 'little secret', okay?", TELL),  # a word in quotes is still said
    ],
)
def test_a_promise_without_its_limits_stays_an_overstep(rules_nlp: Any, reply: str, context: str) -> None:
    found = rule_hits(rules_nlp, reply, context)
    assert [h for h in found if h[0] == "overstep"], found


@pytest.mark.parametrize(
    ("reply", "context"),
    [
        # a limit that is not about the promise, or hours named beside it without a correction
        ("I won't tell anyone. I can't promise the council will agree to the transfer.", TELL),
        ("Ring me any time, day or night. The office is open nine to five.", RING),
        # another overstep in the same reply: nothing is taken back
        ("Here's my personal number, ring me any time. Office hours are nine to five.", RING),
        ("I won't tell anyone and I'll add you on Facebook. Unless you were in danger, obviously.", TELL),
        # a promise quoted and meant is a promise made
        ("'Nobody is taking your kids.' I mean that.", "Are they going to take my kids?"),
    ],
)
def test_a_limit_that_does_not_take_the_promise_back_leaves_the_overstep(
    scorer: Any, reply: str, context: str
) -> None:
    """A fresh tester's kinds: the first take-back erased every overstep in the reply."""
    result = scorer.assess(reply, context=context)
    assert "overstep" in present(result), result.scores


@pytest.mark.parametrize("reply", [
    "Unless you were in danger, I won't tell anyone.",
    "If you or Alfie were in danger I'd have to share it, but otherwise I won't tell anyone.",
])
def test_the_limits_of_privacy_said_before_the_promise_take_it_back_too(scorer: Any, reply: str) -> None:
    assert "overstep" not in present(scorer.assess(reply, context=TELL))


@pytest.mark.parametrize(
    ("reply", "context"),
    [
        ("Um, ring me any time, like, within working hours, yeah? Out of hours it's the duty line.", RING),
        ("We don't need to tell my manager. But if you or the baby were in danger I'd have to.",
         "Don't tell your boss."),
        ("Nobody has to know. Well, if the kids were in danger, that's different.", TELL),
    ],
)
def test_a_reply_that_takes_its_promise_back_is_not_scored_an_overstep(
    scorer: Any, reply: str, context: str
) -> None:
    result = scorer.assess(reply, context=context)
    assert "overstep" not in present(result), result.scores
    assert not [e for e in result.evidence if e.signal == "overstep"], result.evidence


@pytest.mark.parametrize(
    ("reply", "context"),
    [
        ("Ring me any time. Well, within office hours, nine to five.", RING),
        ("Of course, I won't tell anyone. Well - unless you or Alfie were in danger...",
         "Please don't tell anyone about Alfie."),
    ],
)
def test_the_testers_replies_are_not_scored_an_overstep(scorer: Any, reply: str, context: str) -> None:
    """The classifier reads the first sentence as an overstep on its own; the sentence of a promise taken
    back cannot carry one (`limits.TAKEN_BACK_WITHDRAWS`). (Boundaries are not yet credited here: 0.2 and
    0.44 at the tenth round.)"""
    result = scorer.assess(reply, context=context)
    assert "overstep" not in present(result), result.scores


def test_limits_turn_round_only_the_promise_they_follow() -> None:
    rules = {
        "unlimited_availability": {"negated": {"signal": "boundaries"}},
        "collusion": {"negated": {"signal": "boundaries"}},
    }
    hits = [
        (0, 2, "overstep", "unlimited_availability", "r"),
        (3, 5, "boundaries", "availability", "r"),
        (6, 9, "overstep", "collusion", "r"),  # no limits after it
    ]
    norms = "ring me , well within hours ; i wo n't tell".split()
    out = limits_said(hits, rules, norms)
    assert [(h[2], h[3]) for h in out] == [
        ("boundaries", "unlimited_availability.negated"),
        ("boundaries", "availability"),
        ("overstep", "collusion"),
    ]
    # the hours do not take back a secret, nor the records a promise to leave something out of them
    assert limits_said([(0, 2, "overstep", "collusion", "r"), (3, 5, "boundaries", "availability", "r"),
                        (6, 7, "boundaries", "records", "r")], rules, norms)[0][2] == "overstep"
    # hours named with no correction ("The office is open nine to five") do not take "any time" back
    plain = "ring me . the office hours".split()
    assert limits_said(hits[:2], rules, plain)[0][2] == "overstep"


# --- 2. not knowing someone is not hiding things from the agency ----------------------------------------

ACQUAINTED = [
    ("You don't know anyone round here yet.",
     "I've just moved into the flat, it's dead quiet, I don't know a soul"),
    ("He doesn't know the doctor any more.",
     "Dad's GP retired and the new one never sees him, he's just a name on a letter."),
    ("so u dont know anyone at the school gates", "new school, the other mums all stand together"),
    ("You don't know anybody in the village, then.", "We moved out here for his job and I'm on my own."),
    ("You don't know your GP very well.", "I've only been to the surgery once since we moved."),
    ("She doesn't know the police are involved yet.", "My sister has no idea any of this has happened."),
    ("And your mum doesn't know about the court date?", "The hearing's on the fifth."),
    ("You don't know the social worker's name.", "Somebody rang from the council but I didn't catch who."),
    ("you dont find the police much help", "I rang them twice and nobody came."),
    ("You don't know the manager there, do you?", "The care home keep fobbing me off."),
    ("So, er, you don't know anyone you could ask, yeah?", "I don't know who to ask about the forms."),
    ("he doesnt know anybody at the new school", "Kai's started at Park Lane and he's miserable."),
    ("It sounds like you don't know the team very well yet.", "Every time I ring it's someone different."),
]

KEPT_FROM_KNOWING = [
    ("They don't need to know.", "Please don't tell the council I've been working."),
    ("Your GP doesn't need to know about this.", "If the doctor finds out he'll stop my tablets."),
    ("We don't have to tell the doctor.", "I don't want the doctor knowing I missed my meds."),
    ("my manager doesnt need to know about it", "can u keep it off the record"),
    ("The police don't have to know, do they?", "If the police hear about this I'm done for."),
    ("I don't have to let the school know.", "Please don't tell school."),
    ("honestly the school doesnt need to know, yeah?", "don't tell the school pls"),
    ("Um, the office doesn't need to hear about this, does it.", "Will your office find out?"),
    ("we dont need to let anyone know", "I don't want anyone knowing"),
    ("What they don't know won't hurt them.", "I don't want the council finding out."),
    ("so, like, the doctor doesnt have to know, right", "dont tell my doctor"),
    ("The council won't ever find out.", "If the council find out I'm finished."),
    ("your social worker doesnt need to know", "dont tell my social worker"),
    ("I won't tell anyone.", "Promise you won't say."),
    ("Nobody needs to know, love.", "I'm so ashamed."),
]


@pytest.mark.parametrize(("reply", "context"), ACQUAINTED)
def test_not_knowing_someone_is_not_collusion(rules_nlp: Any, scorer: Any, reply: str, context: str) -> None:
    assert not [h for h in rule_hits(rules_nlp, reply, context) if h[0] == "overstep"]
    result = scorer.assess(reply, context=context)
    assert "overstep" not in present(result), result.scores


@pytest.mark.parametrize(("reply", "context"), KEPT_FROM_KNOWING)
def test_keeping_someone_from_knowing_is_still_an_overstep(
    rules_nlp: Any, scorer: Any, reply: str, context: str
) -> None:
    found = rule_hits(rules_nlp, reply, context)
    assert {(s, r) for s, r, _w in found} & {("overstep", "collusion"), ("overstep", "secrecy")}, found
    result = scorer.assess(reply, context=context)
    assert "overstep" in present(result), result.scores
    assert {e.source for e in result.evidence} & {"rule:collusion", "rule:secrecy"}, result.evidence


# --- 3. an apology repeated before correcting one's own slip --------------------------------------------

SLIPS = [
    ("Sorry, I'm so sorry, I meant Tuesday not Thursday.", "You said Thursday?"),
    ("sorry sorry i meant tues not thurs", "u said thurs??"),
    ("Oh god, sorry, I'm so sorry, I got the day wrong - it's Tuesday.", "It's Tuesday, not Thursday."),
    ("Sorry, sorry, my mistake, it's Kelly, not Kerry.", "It's Kelly."),
    ("Um, sorry - sorry, I mean the Tuesday, yeah, not the Thursday.", "Which day?"),
    ("I'm sorry, I'm really sorry, I said that wrong.", "That's not what I said."),
    ("Oh gosh, sorry, so sorry, scratch that - the meeting's at ten.", "I thought it was at nine?"),
    ("Sorry, really sorry, I misspoke, it's the review, not a hearing.", "A hearing?! Nobody said court."),
    ("I'm so sorry, sorry, that came out wrong.", "So you think I'm a bad mum."),
    ("Sorry! Sorry. I meant Wednesday.", "Wednesday or Thursday?"),
    ("Oh no, sorry, I'm so sorry, wrong day, it's Friday.", "Isn't it Friday?"),
]

PITY = [
    ("I'm so sorry, that must be awful.", "My husband died last week."),
    ("Oh I'm so sorry, so sorry, that's heartbreaking.", "We lost the baby at twenty weeks."),
    ("sorry sorry thats awful hun", "lost the baby"),
    ("I'm so so sorry. I'm so sorry for your loss.", "Mum passed on Sunday."),
    ("Sorry, I'm so sorry, I can't imagine what that's like.", "They took the kids into care yesterday."),
    ("Sorry, that's just awful, I'm so sorry.", "My dad's got cancer."),
    ("oh hun im so sorry, sorry, thats so sad", "my nan died"),
    ("Oh, I'm so sorry, I'm so sorry, that's terrible news.", "The tests came back, it's spread."),
    ("Oh god, I'm so sorry, that must have been terrifying.", "He had a knife."),
]


@pytest.mark.parametrize(("reply", "context"), SLIPS)
def test_a_repeated_apology_for_your_own_slip_is_not_sympathy(
    rules_nlp: Any, scorer: Any, reply: str, context: str
) -> None:
    assert not [h for h in rule_hits(rules_nlp, reply, context) if h[0] == "sympathy"]
    result = scorer.assess(reply, context=context)
    assert "sympathy" not in present(result), result.scores


@pytest.mark.parametrize(("reply", "context"), PITY)
def test_pity_said_twice_is_still_sympathy(scorer: Any, reply: str, context: str) -> None:
    result = scorer.assess(reply, context=context)
    assert "sympathy" in present(result), result.scores


@pytest.mark.parametrize(("reply", "context", "promise"), TAKEN_BACK)
def test_a_promise_taken_back_by_its_limits_earns_the_frame(
    scorer: Any, reply: str, context: str, promise: str
) -> None:
    """The learner who corrects "any time" to office hours, or says the limits of privacy, has stated the
    frame: boundaries present with the promise as its evidence, not a score of nothing (a tester found
    "Ring me any time. Well, within office hours." scored boundaries 0.06)."""
    result = scorer.assess(reply, context=context)
    assert "boundaries" in present(result) and "overstep" not in present(result), result.scores
    quoted = [e.text for e in result.evidence if e.signal == "boundaries"]
    assert any(promise.lower() in q.lower() or q.lower() in promise.lower() for q in quoted), quoted
