"""trainer.textnorm: the one normalisation every input goes through (issue 12, item 4)."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from trainer import textnorm


def test_line_splitting_is_the_editors_not_pythons() -> None:
    text = "one\u2028still one\x0bstill one\r\ntwo\rthree\nfour\n"
    assert textnorm.split_lines(text) == ["one\u2028still one\x0bstill one", "two", "three", "four"]
    assert len(text.splitlines()) == 6  # what went wrong before: str.splitlines splits at U+2028 and VT


def test_a_line_loses_what_cannot_be_seen_and_keeps_what_can() -> None:
    assert textnorm.clean_line("\ufeff#1") == "#1"
    assert textnorm.clean_line("a\u200bb\x00c\x07") == "abc"
    assert textnorm.clean_line("sad\u2028really\x0bsad\x0cnow") == "sad really sad now"
    assert textnorm.clean_line("caf\u00e9 \U0001f468\u200d\U0001f469 \u0645\u06cc\u200c\u062e") == (
        "caf\u00e9 \U0001f468\u200d\U0001f469 \u0645\u06cc\u200c\u062e")  # joiners are kept
    assert textnorm.clean_text("one\r\ntwo\u2028three\n") == "one\ntwo three\n"


def test_blank_means_nothing_visible() -> None:
    assert all(textnorm.is_blank(text) for text in ("\u200b\u200b", "\x00", "\ufeff \u2028"))
    assert not textnorm.is_blank("\u200bhi")


def test_invisible_characters_are_named_with_how_they_got_there() -> None:
    assert "vertical tab" in textnorm.describe("\x0b") and "Shift+Enter" in textnorm.describe("\x0b")
    assert "U+000B" in textnorm.describe("\x0b")
    assert "zero-width space" in textnorm.describe("\u200b")
    assert "U+0001" in textnorm.describe("\x01")


def test_for_yaml_makes_the_parsers_lines_the_editors() -> None:
    assert textnorm.for_yaml("\ufeffa: b\u2028c\n") == "a: b c\n"
    assert textnorm.yaml_rejects("a: b\nc: d\x0be\n") == [(2, 5, "\x0b")]


def test_standard_library_only() -> None:
    code = "import sys, trainer.textnorm; print(sorted(m for m in sys.modules if m.split('.')[0] in " \
           "('ruamel', 'pydantic', 'spacy', 'textual')))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=40))
def test_clean_line_property(text: str) -> None:
    cleaned = textnorm.clean_line(text)
    assert not textnorm.invisible_in(cleaned)
    assert "\n" not in cleaned and "\r" not in cleaned
    assert textnorm.clean_line(cleaned) == cleaned  # normalising twice changes nothing
    assert textnorm.clean_text(text).count("\n") == len(re.findall(r"\r\n|\r|\n", text))  # no line added
    assert textnorm.is_blank(text) == (cleaned.strip() == "")


@pytest.mark.parametrize("line, heard", [
    ("(Quietly.) He never came.", "He never came."),
    ("(She stops twisting the towel.) A concern. (Quietly.) And what now?", "A concern. And what now?"),
    ("[sighs] fine", "fine"),
    ("my son (he's 6) won't sleep", "my son (he's 6) won't sleep"),  # an aside in lower case is speech
    ("(Silence.)", ""),
])
def test_a_line_as_heard_leaves_out_its_stage_directions(line: str, heard: str) -> None:
    assert textnorm.spoken(line) == heard
