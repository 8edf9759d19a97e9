"""`{learner}` in `say` lines: filled with the learner's name where lines are shown, validated by
`trainer validate` (issue 11 item 7)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from trainer.scenario.placeholders import fill, unknown_placeholders


def test_the_name_is_filled_in_or_the_fallback_or_nothing():
    assert fill("Oh. {learner}, is it? Come in.", "Sam") == "Oh. Sam, is it? Come in."
    assert fill("Thanks, {learner|love}.", None) == "Thanks, love."
    assert fill("Thanks, {learner|love}.", "Sam") == "Thanks, Sam."
    assert fill("Thanks, {learner}.", None) == "Thanks."
    assert fill("Thanks {learner}!", "  ") == "Thanks!"
    assert fill("Hello {stranger}.", "Sam") == "Hello {stranger}."  # unknown: left as written


def test_unknown_placeholders_are_named():
    assert unknown_placeholders("Hi {learner}, {lerner} and {learner|x} and {name}") == ["lerner", "name"]
    assert unknown_placeholders("No braces here.") == []


@given(st.text(alphabet=st.characters(blacklist_characters="{}")))
def test_text_without_braces_is_shown_as_written(text: str):
    assert fill(text, "Sam") == text


@given(st.text(), st.one_of(st.none(), st.text(alphabet=st.characters(blacklist_characters="{}"))))
def test_no_learner_placeholder_survives_filling(text: str, name: str | None):
    line = f"{text} {{learner}} and {{learner|you}}"
    assert "{learner" not in fill(line, name).replace(text, "")
