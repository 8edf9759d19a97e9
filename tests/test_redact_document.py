"""A name found once by the words around it is redacted everywhere in the export, names joined by "and" to
an owner are redacted together, and a lower-case name straight after "the" and a role is redacted, while
ordinary words stay (trainer/debrief/redact.py, othernames.py)."""

from __future__ import annotations

import copy
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.test_debrief_fixtures import DOOR, FEAR, SCENARIO_DATA, assess, exchange, run, scenario
from tests.test_redact_other_names import FIRST_NAMES
from trainer.debrief.compute import compute_debrief
from trainer.debrief.export import export
from trainer.debrief.othernames import NAME_WORDS, ORDINARY
from trainer.debrief.redact import RELATIONS, Redactor, matched_in_any_case
from trainer.scenario.schema import Scenario


def redacted(text: str) -> str:
    return Redactor({}, pii=True).text(text)


def two_replies(first: str, second: str) -> str:
    """A redacted Markdown export of a session whose two replies are `first` and `second` (its escaped
    brackets read as brackets)."""
    state = run(
        [
            ("service_user", "door", DOOR, None),
            ("learner", "door", first, assess(first)),
            ("service_user", "fear", FEAR, None),
            ("learner", "fear", second, assess(second, "empathy")),
        ],
        node="fear",
        finished=False,
    )
    text = export(compute_debrief(scenario(), state, learner_name="Alex Smith"), "md", redact=True)
    return text.replace("\\[", "[").replace("\\]", "]")


# --- (a) a name found once is redacted everywhere ------------------------------------------------------


def test_a_name_found_by_its_cue_is_redacted_in_another_reply_without_one():
    out = two_replies("I hear you. Is my friend Grace welcome to sit in?", "Grace rang me yesterday.")
    assert "Grace" not in out
    assert "[name] rang me yesterday." in out
    assert "1 other person's name (shown as [name])" in out  # one person, however often


def test_a_lower_case_name_found_once_is_redacted_in_any_case_elsewhere():
    out = two_replies("my son jake has stopped going", "Jake rang me, and jakes teacher too.")
    assert not re.search(r"\bjakes?\b", out, re.IGNORECASE)
    assert "[name] rang me, and [name] teacher too." in out


def test_a_name_that_is_a_word_is_spread_only_where_it_is_capitalised():
    out = two_replies("my son Will is 7 and my friend Grace helps.",
                      "Will rang. I will ring back, with grace.")
    assert "[name] rang. I will ring back, with grace." in out


def test_a_name_found_once_is_redacted_in_the_same_reply():
    assert redacted("my friend Grace came. Grace rang me yesterday") == \
        "my friend [name] came. [name] rang me yesterday"


def test_the_scenario_title_is_not_changed_by_names_found_elsewhere():
    # The cohort report matches a redacted copy to its named copy by the title: names learned from the
    # replies are not applied to what the author wrote about the meeting, the same for every student.
    data = copy.deepcopy(SCENARIO_DATA)
    data["title"] = "Jake's first week"
    state = exchange(FEAR, "my son jake is the same age", assess("x", "empathy"))
    state.scenario_title = data["title"]
    d = compute_debrief(Scenario.model_validate(data), state)
    out = export(d, "json", redact=True)
    assert '"scenario_title": "Jake\'s first week"' in out
    assert "my son [name] is the same age" in out


@settings(max_examples=150, deadline=None)
@given(name=st.sampled_from(FIRST_NAMES).map(str.capitalize),
       relation=st.sampled_from(RELATIONS).map(lambda r: r.replace("-", " ")))
def test_any_name_found_after_any_relation_is_gone_from_the_whole_export(name, relation):
    out = two_replies(f"I'm worried about my {relation} {name}, she has stopped eating.",
                      f"Yesterday {name} told me. I spoke to {name.upper()} and it was fine.")
    assert not re.search(rf"\b{re.escape(name)}\b", out), name
    assert not re.search(rf"\b{re.escape(name.upper())}\b", out), name


@settings(max_examples=200, deadline=None)
@given(word=st.sampled_from(sorted(ORDINARY)))
def test_an_ordinary_word_is_never_redacted_because_a_name_was_found_elsewhere(word):
    # "Jake" is learned from its cue; no ordinary word elsewhere, in either case, goes with it
    text = f"my son Jake is 7. then {word} and {word.capitalize()} ..."
    assert redacted(text) == f"my son [name] is 7. then {word} and {word.capitalize()} ..."


# --- (b) names joined to an owner ----------------------------------------------------------------------


@pytest.mark.parametrize("typed, expected", [
    ("Sarah and Grace's mum rang", "[name] and [name]'s mum rang"),
    ("sarah and grace's mum rang", "[name] and [name]'s mum rang"),
    ("Tom, Sarah and Grace's mum", "[name], [name] and [name]'s mum"),
    ("Sarah & dean's dad", "[name] & [name]'s dad"),
    ("me and Grace's mum", "me and [name]'s mum"),
    ("Me and Grace's mum", "Me and [name]'s mum"),
    ("you and dean's dad", "you and [name]'s dad"),
    ("Mum and Grace's dad", "Mum and [name]'s dad"),
    ("I baked cake and Grace's mum loved it", "I baked cake and [name]'s mum loved it"),
])
def test_names_joined_to_an_owner_are_redacted_together(typed, expected):
    assert redacted(typed) == expected


@settings(max_examples=200, deadline=None)
@given(first=st.sampled_from(FIRST_NAMES), second=st.sampled_from(FIRST_NAMES),
       relation=st.sampled_from(RELATIONS).map(lambda r: r.replace("-", " ")), cased=st.booleans())
def test_two_names_before_s_and_a_relation_are_both_redacted(first, second, relation, cased):
    if cased:
        first, second = first.capitalize(), second.capitalize()
    out = redacted(f"i spoke to {first} and {second}'s {relation} today")
    assert out == f"i spoke to [name] and [name]'s {relation} today"


# --- (c) a lower-case name straight after "the" and a role ---------------------------------------------

_NAMING_ROLES = [r.replace("-", " ") for r in RELATIONS
                 if r not in {"baby", "kid", "child", "boy", "girl", "lad", "lass"}]


@pytest.mark.parametrize("typed, expected", [
    ("the nurse angela said", "the nurse [name] said"),
    ("the school nurse angela said", "the school nurse [name] said"),
    ("the social worker jo came round", "the social worker [name] came round"),
    ("a friend kayleigh rang", "a friend [name] rang"),
    ("the nurse Angela Smith said", "the nurse [name] said"),
    ("the gp dr patel said", "the gp dr [name] said"),
])
def test_a_lower_case_name_after_the_and_a_role_is_redacted(typed, expected):
    assert redacted(typed) == expected


@pytest.mark.parametrize("typed", [
    "the nurse said it was fine", "the baby blues", "the baby café on Thursdays", "the kid gloves",
    "the doctor reckons", "the GP Surgery", "their GP, NHS 111 option 2", "a friend of mine",
    "the social worker visits weekly", "the teacher thing", "the boy next door",
])
def test_ordinary_words_after_the_and_a_role_are_kept(typed):
    assert redacted(typed) == typed


@settings(max_examples=300, deadline=None)
@given(name=st.sampled_from(FIRST_NAMES), role=st.sampled_from(_NAMING_ROLES),
       det=st.sampled_from(["the", "a", "The", "that"]))
def test_any_lower_case_first_name_after_the_and_any_role_is_redacted(name, role, det):
    out = redacted(f"{det} {role} {name} said it was fine")
    assert out == f"{det} {role} [name] said it was fine"


@settings(max_examples=300, deadline=None)
@given(word=st.sampled_from(sorted(ORDINARY)),
       role=st.sampled_from(RELATIONS).map(lambda r: r.replace("-", " ")),
       det=st.sampled_from(["the", "a", "The"]))
def test_every_ordinary_word_after_the_and_a_role_survives(word, role, det):
    text = f"{det} {role} {word} about it"
    assert redacted(text) == text


def test_no_name_word_is_in_the_ordinary_list():
    # what the properties above rely on: a name that is a word is never kept as an ordinary word
    assert not NAME_WORDS & ORDINARY


# --- a child's age after the name, and names joined to a known one ------------------------------------


def test_a_name_with_an_age_after_it_is_redacted_and_then_everywhere() -> None:
    r = Redactor({}, pii=True)
    r.learn(["Lives with Liam (8) and Maisie (5). Tia (aged 14) is at the high school."])
    assert r.text("Liam (8) arrived hungry") == "[name] (8) arrived hungry"
    assert r.text("so ur scared about liam and maisie") == "so ur scared about [name] and [name]"
    assert r.text("Tia rang me") == "[name] rang me"
    assert redacted("See section (3) of the Act.") == "See section (3) of the Act."


#: First names that are no English word too ("Grace", "Ace", "Will" and "Lee" are matched elsewhere only
#: capitalised, as the redactor's own lists say).
ONLY_NAMES = sorted(n for n in FIRST_NAMES if matched_in_any_case(n.lower()))


@given(st.sampled_from(ONLY_NAMES), st.sampled_from(ONLY_NAMES))
def test_a_name_joined_to_a_known_name_is_redacted_with_it(known: str, other: str) -> None:
    r = Redactor({}, pii=True)
    r.learn([f"my friend {known.capitalize()} came"])
    out = r.text(f"{known.lower()} and {other.lower()} came round")
    assert known.lower() not in out.lower() and other.lower() not in out.lower(), out


@pytest.mark.parametrize("tail", ["me", "the dog", "I", "Going"])
def test_an_ordinary_word_joined_to_a_known_name_stays(tail: str) -> None:
    r = Redactor({}, pii=True)
    r.learn(["my friend Grace came"])
    assert r.text(f"Grace and {tail} went") == f"[name] and {tail} went"


@given(st.sampled_from(["07700 900123", "0161 555 0199", "+44 7700 900123"]),
       st.sampled_from(["", "please ", "ok, "]))
def test_a_piece_of_a_number_in_the_same_text_is_redacted_and_the_evidence_still_lands(
    number: str, lead: str
) -> None:
    piece = number.split()[0] if not number.startswith("+") else number.split()[1]
    text = f"{lead}ring {number}, or {piece} if the line drops"
    new, move = Redactor({}, pii=True).with_offsets(text)
    assert piece not in new and number not in new
    start = text.index("if the line")
    assert new[move(start, False) : move(start + len("if the line"), True)] == "if the line"
