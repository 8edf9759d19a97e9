"""What a second tester's probes found the rules reading wrongly (stop 14): a frame word in the person's own
story, given back, is not the worker's offer; the service's contact routes are not personal details; a
family role is an offer only when the worker says they will be it; evidence never cuts a written word; how
long we have is its own rule; a "you" + modal that reports their mind is not advice."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from trainer.scoring.actfeatures import not_advice


def hits(nlp: Any, text: str) -> dict[str, str]:
    """rule id -> the words it quotes."""
    doc = nlp(text)
    return {h.rule: text[h.start : h.end] for h in doc._.rule_hits}


@pytest.mark.parametrize("reply", [
    "You hate it when he tries to hug you.",
    "He called it your little secret.",
    "The hugs only came when he'd been drinking.",
    "You want this to stay just between us.",
    "Your stepdad told you it had to stay a secret between you and him.",
    "you feel like a failure as a daughter",
    "It sounds like you feel like a failure as a mum.",
])
def test_their_story_given_back_is_not_an_overstep(rules_nlp: Any, reply: str) -> None:
    found = hits(rules_nlp, reply)
    offers = {"physical_contact", "secrecy", "collusion", "friendship"}
    assert not [r for r in found if r.split(".")[0] in offers and not r.endswith(".negated")], found


@pytest.mark.parametrize("reply, rule", [
    ("Come here, let me give you a hug.", "physical_contact"),
    ("I promise I'll keep it our little secret.", "secrecy"),
    ("I'll be like a big sister to you.", "friendship"),
    ("I can be like a mum to you, if you want.", "friendship"),
    ("Text me on my personal mobile whenever.", "personal_number"),
])
def test_the_workers_own_offer_still_is(rules_nlp: Any, reply: str, rule: str) -> None:
    assert rule in hits(rules_nlp, reply)


@given(st.sampled_from(["msg me on my work mobile", "ring me on the office phone",
                        "text me on this work phone", "My direct line at the office is on the letter"]),
       st.sampled_from(["", ", 9-5 weekdays", " - I'm in most mornings"]))
def test_the_services_contact_routes_are_not_personal_details(rules_nlp: Any, route: str, when: str) -> None:
    assert "personal_number" not in hits(rules_nlp, route + when)


@pytest.mark.parametrize("reply, words", [
    ("I'm sure they don't, people are nicer than you think.", "I'm sure they don't"),
    ("it'll take about 45 mins", "about 45 mins"),
])
def test_evidence_never_cuts_a_written_word(rules_nlp: Any, reply: str, words: str) -> None:
    assert words in hits(rules_nlp, reply).values()


def test_how_long_we_have_is_its_own_rule_and_says_only_that(rules_nlp: Any) -> None:
    doc = rules_nlp("it'll take about 45 mins, then I'll write to you with what we agreed")
    reasons = {h.rule: h.reason for h in doc._.rule_hits}
    assert reasons["how_long"] == "'about 45 mins' says how long you have"
    assert "how long" not in reasons.get("time_and_next", "")


@pytest.mark.parametrize("words, expected", [
    ("you feel you should n't have shouted at him", True),
    ("you think you should have spotted it sooner", True),
    ("so um part of you thinks you could have stopped it", True),
    ("you could not bring yourself to ring her", True),
    ("you had to give up work", True),
    ("you should talk to him", False),
    ("you could ring the advice line tomorrow", False),
    ("you need to see your gp", False),
    # "you must be" + a feeling is a guess at it, not an order
    ("you must be gutted about joan", True),
    ("you must be so worried", True),
    ("you must be careful on the stairs", False),
])
def test_a_modal_that_reports_their_mind_or_looks_back_is_not_advice(words: str, expected: bool) -> None:
    assert not_advice(words.split()) is expected


@pytest.mark.parametrize("reply", [
    "Let's do a high five instead - hugs aren't something I do at work.",
    "Hugging isn't allowed in my job, but I'm right here.",
])
def test_touch_declined_with_the_negation_after_it_states_the_frame(rules_nlp: Any, reply: str) -> None:
    found = hits(rules_nlp, reply)
    assert "touch_declined" in found and "physical_contact" not in found, found


@pytest.mark.parametrize("context, reply, rule", [
    ("I've been clean two days and I feel awful.", "Rome wasn't built in a day.", "platitude"),
    ("I lost my job at fifty-eight.", "Things have a way of working themselves out.", "platitude"),
    ("We lost the baby.", "It just wasn't meant to be, love.", "platitude"),
    ("He left me.", "Plenty more fish in the sea.", "platitude"),
    ("Are you going to take them off me?", "we dont take kids off people for stuff like this",
     "promised_outcome"),
    ("I just want my kids back.", "I'll get your kids back for you.", "promised_outcome"),
])
def test_unlisted_clichés_and_promised_outcomes_are_found(
    rules_nlp: Any, context: str, reply: str, rule: str
) -> None:
    assert rule in hits(rules_nlp, reply)


def test_a_secret_in_their_story_given_back_is_not_agreeing_to_keep_it(scorer: Any) -> None:
    a = scorer.assess("He called it your little secret.", "He told me it was our little secret.")
    assert "overstep" not in a.present(), a.scores
