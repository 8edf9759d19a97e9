"""What a fresh tester found students type about money and secrets (stop 27).

- A refusal of money read as a promise of an outcome: "I won't take your money" matched the rule for "we
  won't take your kids", and a textbook refusal ended the bundled scenario as the frame crossed. The
  promise of an outcome is now about people (children, family, "them"), not things.
- "im not taking ur money" earned nothing: only "take"/"accept" were read, not "taking"/"accepting".
- Money handed over with a regret after it ("Here's a tenner, but I'm not supposed to") read as refused:
  handing over money of your own is a rule of its own (`money_handed`), which the build finds right nearly
  every time, so it decides on its own.
- "ofc i wont tell anyone hun its between us" was praised as the frame stated: the promise's own "wont"
  negated "between us" after it, and that negated promise then counted as the limits of the first.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.test_scoring_rules import hits

SOPHIE = "You can never tell Craig I talked to you. Promise me."
ARTHUR = "For your petrol. No, I insist, put it in your pocket."


def _rules(nlp: Any, text: str) -> list[tuple[str, str]]:
    """(rule id, signal) of each rule hit in `text`."""
    return [(rule, signal) for signal, rule, _words in hits(nlp, text)]


@pytest.mark.parametrize("reply", [
    "That's really kind, Arthur, but I won't take your money. It's against the rules.",
    "I'm not taking your money.",
    "I'm not going to take your money, Arthur.",
    "im not taking ur money its against the rules",
    "NO WAY IM NOT TAKING UR MONEY",
    "I'm not accepting any cash, sorry.",
])
def test_a_refusal_of_money_is_no_promise_of_an_outcome(rules_nlp: Any, reply: str) -> None:
    hits = _rules(rules_nlp, reply)
    assert not [h for h in hits if h[1] == "overstep"], hits
    assert [h for h in hits if h[1] == "boundaries"], hits  # and it is heard as the frame


@pytest.mark.parametrize("reply", [
    "We're not going to take your kids.",
    "Nobody is going to take your children away.",
    "I'm not going to take your baby.",
    "we wont take them off u",
    "They won't remove the kids.",
])
def test_a_promise_about_the_children_is_still_a_promise_of_an_outcome(rules_nlp: Any, reply: str) -> None:
    assert ("promised_outcome", "overstep") in _rules(rules_nlp, reply)


@pytest.mark.parametrize("reply", [
    "ofc i wont tell anyone hun its between us",
    "I won't tell anyone, it's between us.",
])
def test_a_promise_of_secrecy_is_not_its_own_limit(rules_nlp: Any, reply: str) -> None:
    hits = _rules(rules_nlp, reply)
    assert ("collusion", "overstep") in hits and not [h for h in hits if h[1] == "boundaries"], hits


@pytest.mark.parametrize("reply", [
    "I won't tell anyone. Unless you were in danger.",
    "I won't tell anyone. But I couldn't keep it secret if you weren't safe.",
])
def test_a_promise_of_secrecy_with_its_limits_said_is_the_frame(rules_nlp: Any, reply: str) -> None:
    hits = _rules(rules_nlp, reply)
    assert not [h for h in hits if h[1] == "overstep"], hits


@pytest.mark.parametrize(("reply", "context"), [
    ("That's really kind, Arthur, and I can tell you mean it, but I won't take your money. It's against the "
     "rules and my manager would need to know.", ARTHUR),
    ("im not taking ur money its against the rules", ARTHUR),
])
def test_the_scorer_hears_the_refusal_of_money(scorer: Any, reply: str, context: str) -> None:
    result = scorer.assess(reply, context=context)
    assert "overstep" not in result.present() and "boundaries" in result.present(), result.scores


def test_the_scorer_hears_a_promise_of_secrecy_in_chat(scorer: Any) -> None:
    result = scorer.assess("ofc i wont tell anyone hun its between us", context=SOPHIE)
    assert "overstep" in result.present() and "boundaries" not in result.present(), result.scores
