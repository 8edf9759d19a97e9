"""The Scorer API on bad and odd input, cues, and loading errors."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from trainer.scenario.schema import Cue
from trainer.scoring.api import MAX_CHARS, SIGNALS, CueError, ModelError


def check_well_formed(text: str, a: Any) -> None:
    assert set(a.scores) == set(SIGNALS)
    assert all(0.0 <= v <= 1.0 for v in a.scores.values())
    for e in a.evidence:
        assert 0 <= e.start <= e.end <= len(text)
        assert text[e.start : e.end] == e.text
    for act in a.acts:
        assert 0 <= act.start <= act.end <= len(text)
        assert text[act.start : act.end] == act.text


@pytest.mark.parametrize("text", ["", "   ", "\n\t  \n"])
def test_empty_replies_score_zero_with_a_note(scorer: Any, text: str) -> None:
    a = scorer.assess(text)
    assert a.scores == dict.fromkeys(SIGNALS, 0.0)
    assert a.evidence == []
    assert a.note and "empty" in a.note


def test_none_is_treated_as_empty(scorer: Any) -> None:
    assert scorer.assess(None).note  # type: ignore[arg-type]


def test_long_replies_are_truncated_with_a_note(scorer: Any) -> None:
    # (how fast this is, is measured by `make bench`, not here)
    text = ("It sounds like you're worried. " * 4000)[:100_000]
    a = scorer.assess(text, context="I'm worried. " * 2000)
    assert a.note == "Only the first 5,000 characters were scored (the reply has 100,000)."
    assert a.text == text
    assert all(e.end <= MAX_CHARS for e in a.evidence)
    assert a.scores["empathy"] >= 0.5
    assert 0 < len([e for e in a.evidence if e.signal == "empathy"]) <= 6


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.text(max_size=300), context=st.none() | st.text(max_size=200))
def test_any_text_gives_a_well_formed_assessment(scorer: Any, text: str, context: str | None) -> None:
    check_well_formed(text, scorer.assess(text, context))


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.lists(
        st.sampled_from(["Poor you", "😢", "Я понимаю", "你好", "\x00", "\x1b[31m", "\u200b", "sorry?", "  ",
                         "I can't promise", "any time", "day or night", "\ud7ff", "?", "so you", "…"]),
        max_size=12,
    )
)
def test_emoji_scripts_and_control_characters_are_fine(scorer: Any, parts: list[str]) -> None:
    text = " ".join(parts)
    check_well_formed(text, scorer.assess(text, "context with 🙂 and \t tabs"))


def test_lone_surrogates_do_not_break_scoring(scorer: Any) -> None:
    a = scorer.assess("poor you \ud800 really")
    assert a.scores["sympathy"] >= 0.5


def test_cues_match_phrases_case_insensitively_and_token_patterns(scorer: Any) -> None:
    cues = {
        "mentions_school": Cue(phrases=["school", "head teacher"]),
        "names_son": Cue(patterns=[[{"LOWER": "your"}, {"LOWER": {"IN": ["son", "boy"]}}]]),
        "never": Cue(phrases=["zebra crossing"]),
    }
    matcher = scorer.compile_cues(cues)
    a = scorer.assess("The Head Teacher rang us about your boy.", cues=matcher)
    assert a.cues == ["mentions_school", "names_son"]
    assert scorer.assess("Nothing relevant here.", cues=matcher).cues == []
    assert scorer.assess_many(["the SCHOOL called"], cues=matcher)[0].cues == ["mentions_school"]


def test_cue_phrases_hear_the_chat_register(scorer: Any) -> None:
    # "ur mum" missed the cue "your mum", and the ending told the student they never said it
    matcher = scorer.compile_cues({"help_for_mum": Cue(phrases=["your mum gets help", "I can't promise"])})
    assert scorer.assess("i need to tell my manager today so ur mum gets help", cues=matcher).cues == [
        "help_for_mum"
    ]
    assert scorer.assess("I cannot promise that", cues=matcher).cues == ["help_for_mum"]


@pytest.mark.parametrize("reply", [
    "I'll be speaking to my manager this afternoon.",
    "I spoke to my manager before I came.",
    "I'll speak to my manager today.",
    "i'll be SPEAKING to my manager",
])
def test_cue_phrases_hear_any_form_of_their_words(scorer: Any, reply: str) -> None:
    # a student who said "I'll be speaking to my manager" was told "Still to do: says you will take what you
    # have heard to your manager today", and the scenario ended "A risk was not acted on"
    matcher = scorer.compile_cues({"tell_manager": Cue(phrases=["speak to my manager"])})
    assert scorer.assess(reply, cues=matcher).cues == ["tell_manager"], reply
    assert scorer.assess("I won't be speaking to anyone's manager.", cues=matcher).cues == []


def test_an_invalid_cue_pattern_names_the_cue_field_and_index(scorer: Any) -> None:
    cues = {
        "ok": Cue(phrases=["school"]),
        "broken": Cue(phrases=["fine"], patterns=[[{"LOWER": "a"}], [{"LOWERR": "head"}]]),
    }
    with pytest.raises(CueError) as info:
        scorer.compile_cues(cues)
    err = info.value
    assert (err.cue_id, err.field, err.index) == ("broken", "patterns", 1)
    assert "LOWERR" in err.message


def test_a_blank_cue_phrase_is_refused(scorer: Any) -> None:
    with pytest.raises(CueError) as info:
        scorer.compile_cues({"blank": Cue(phrases=["school", "   "])})
    assert (info.value.field, info.value.index) == ("phrases", 1)


def test_a_missing_model_says_what_to_do(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from trainer.scoring.scorer import Scorer

    with pytest.raises(ModelError, match="make model"):
        Scorer.load(tmp_path / "nowhere")
    monkeypatch.setenv("TRAINER_MODEL", str(tmp_path / "elsewhere"))
    with pytest.raises(ModelError, match="TRAINER_MODEL"):
        Scorer.load()


def test_a_broken_model_says_what_to_do(tmp_path: Path) -> None:
    from trainer.scoring.scorer import Scorer

    (tmp_path / "config.cfg").write_text("[nlp]\nlang = 'xx-nonsense'\n")
    with pytest.raises(ModelError, match="make model"):
        Scorer.load(tmp_path, cache=False)


def test_phrase_only_or_pattern_only_cues_do_not_warn(scorer: Any) -> None:
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        phrases = scorer.compile_cues({"a": Cue(phrases=["school"])})
        patterns = scorer.compile_cues({"b": Cue(patterns=[[{"LOWER": "school"}]])})
        assert scorer.assess("The school rang.", cues=phrases).cues == ["a"]
        assert scorer.assess("The school rang.", cues=patterns).cues == ["b"]
