"""Redaction keeps the ordinary words and chat forms students type, and still removes the names it is given
(tester: `trainer export 1 --format md --redact` turned "for up to 6 wks and priya" into "up to 6 [name] and
[name]": "wks" was taken for a name joined to "priya", the OT the scenario names)."""

from __future__ import annotations

import re

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from tests.test_debrief_fixtures import poor_run, scenario
from tests.test_redact_other_names import FIRST_NAMES
from trainer.debrief.compute import compute_debrief
from trainer.debrief.othernames import NAME_WORDS, ORDINARY, is_ordinary
from trainer.debrief.redact import LEARNER, SERVICE_USER, Redactor, redact
from trainer.scoring.chatnorms import WORDS

#: The chat forms the scorer reads (chatnorms.WORDS) and those the redaction keeps besides, that can stand
#: as a word of their own (not "2day"), less those that are names too ("yu").
CHAT_FORMS = sorted(
    w for w in {*WORDS, "wks", "wk", "hrs", "mins", "mths", "yrs", "txt", "msg", "nxt", "thurs", "bday"}
    if w.isalpha() and len(w) > 1 and w not in NAME_WORDS
)
#: Where the words around a word could make it a name: after a relation, in apposition, joined to a name the
#: scenario gives ("Priya", the OT), before "'s" and a relation.
CONTEXTS = [
    "the carers will come for up to 6 {w} and priya the OT will come",
    "{w} and priya will come",
    "priya and {w}",
    "my mum {w} me last night",
    "her carer {w} about it",
    "the nurse, {w}, said",
    "see u in 2 {w}",
    "Priya said {w}",
]
#: Ordinary words a student types, as the lists and the scorer's chat forms hold them.
WORDS_KEPT = sorted(w for w in ORDINARY if w.isalpha() and len(w) > 1) + CHAT_FORMS


def redacted(text: str) -> str:
    return Redactor({}, pii=True, people=["Priya"]).text(text)


def test_the_testers_reply_keeps_wks_and_loses_priya():
    typed = "the carers will come twice a day for up to 6 wks and priya the OT will come thurs about rails"
    assert redacted(typed) == (
        "the carers will come twice a day for up to 6 wks and [name] the OT will come thurs about rails"
    )


def test_every_chat_form_the_scorer_reads_is_ordinary_or_a_name():
    # The debrief does not import chatnorms (spaCy): its own list must hold every form the scorer reads.
    assert not [w for w in WORDS if w.isalpha() and len(w) > 1 and not is_ordinary(w) and w not in NAME_WORDS]


def test_no_first_name_is_taken_for_a_chat_form_or_shorthand():
    assert not [name for name in FIRST_NAMES if is_ordinary(name)]


@pytest.mark.parametrize("typed, expected", [
    ("I fixed the rails and priya came", "I fixed the rails and [name] came"),
    ("we had a cuppa and priya said", "we had a cuppa and [name] said"),
    ("it was 3 sessions and priya", "it was 3 sessions and [name]"),
    ("my mum txt me", "my mum txt me"),
    ("their GP, NHS 111", "their GP, NHS 111"),
    ("my son tj and priya", "my son [name]"),  # initials are not shorthand
    ("with liam and priya", "with [name] and [name]"),  # a name joined to one is still one
    ("my son jake and the rails", "my son [name] and the rails"),
])
def test_a_word_counted_or_shortened_is_no_name_and_a_name_still_is(typed, expected):
    assert redacted(typed) == expected


@settings(max_examples=300, deadline=None)
@given(w=st.sampled_from(WORDS_KEPT), context=st.sampled_from(CONTEXTS))
def test_ordinary_words_and_chat_forms_are_never_redacted(w, context):
    assume(w not in {"priya", "priyas"})
    if w in {"will", "may"}:  # verbs only before a verb: "my mum will me" is a name, as the lists say
        return
    text = context.format(w=w)
    out = redacted(text)
    assert re.search(rf"(?<![\w\[]){re.escape(w)}(?![\w\]])", out), (text, out)


@settings(max_examples=200, deadline=None)
@given(w=st.from_regex(r"[a-z]{2,12}", fullmatch=True), n=st.sampled_from(["6", "the", "a", "two", "some"]))
def test_any_lower_case_word_after_a_number_or_article_is_not_taken_for_a_name_joined_to_one(w, n):
    assume(not w.startswith("priya") and w not in {"and", "mr", "mrs", "ms", "mx", "dr", "prof"})
    text = f"the carers come for {n} {w} and priya the OT"
    assert redacted(text) == f"the carers come for {n} {w} and [name] the OT"


_NAMES = st.from_regex(r"[A-Z][a-z]{1,10}", fullmatch=True)


@settings(max_examples=200, deadline=None)
@given(su=_NAMES, learner=_NAMES, w=st.sampled_from(CHAT_FORMS))
def test_a_capitalised_name_given_as_the_service_users_or_learners_is_always_redacted(su, learner, w):
    template = "hi {su} im {learner} from the team, see u in 6 {w}. {su}'s mum said {learner} {w} her"
    words = set(re.findall(r"[a-z]+", template.replace("{w}", "")))
    assume(su.lower() != learner.lower() and not {su.lower(), learner.lower()} & words)
    text = template.format(su=su, learner=learner, w=w)
    out = Redactor({su: SERVICE_USER, learner: LEARNER}, pii=True, people=["Priya"]).text(text)
    for name in (su, learner):
        assert not re.search(rf"\b{re.escape(name)}\b", out), (text, out)
    assert out.count(SERVICE_USER) == 2 and out.count(LEARNER) == 2, (text, out)
    if w not in {su.lower(), learner.lower()}:
        assert out.count(f" {w}") == 2, (text, out)


def test_a_redacted_debrief_keeps_the_chat_forms_and_loses_the_names():
    d = compute_debrief(scenario(), poor_run(), learner_name="Jo Bloggs")
    line = d.transcript[1].model_copy(update={"text": "im Jo, the OT comes in 2 wks and priya txt me"})
    d = d.model_copy(update={"transcript": [d.transcript[0], line, *d.transcript[2:]],
                             "people": [*d.people, "Priya"]})
    assert redact(d).transcript[1].text == "im [learner], the OT comes in 2 wks and [name] txt me"
