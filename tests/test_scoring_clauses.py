"""Sentences typed without their full stops (`trainer.scoring.clauses`): a reflection run into a question or
an apology in the chat register is read as the two sentences it is, so the question does not veto the
reflection; relative clauses, a clause after "think" or "scared", and a capitalised statement are never
split (with no part of speech to tell them apart, a statement is split only in the chat register)."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import trainer.scoring.clauses  # noqa: F401  (registers trainer_sentencizer)
from trainer.scoring.api import THRESHOLD
from trainer.scoring.chatnorms import chat_blank


@pytest.fixture(scope="module")
def nlps() -> tuple[Any, Any]:
    plain = chat_blank()
    plain.add_pipe("sentencizer")
    ours = chat_blank()
    ours.add_pipe("trainer_sentencizer", name="sentencizer")
    return plain, ours


@pytest.mark.parametrize(
    ("typed", "sentences"),
    [
        ("ur grieving for ur daughter and caring for her kids how often do u hear from her",
         ["ur grieving for ur daughter and caring for her kids", "how often do u hear from her"]),
        ("its eating ur whole day what's the hour like", ["its eating ur whole day", "what's the hour like"]),
        ("you're worried it'll be held against you i do need to record it",
         ["you're worried it'll be held against you", "i do need to record it"]),
        ("omg thats awful im so sorry hun", ["omg thats awful", "im so sorry hun"]),
        ("You feel nobody at the school listens to you what would help most right now?",
         ["You feel nobody at the school listens to you", "what would help most right now?"]),
    ],
)
def test_a_run_on_reply_is_read_as_its_sentences(
    nlps: tuple[Any, Any], typed: str, sentences: list[str]
) -> None:
    _plain, ours = nlps
    assert [s.text for s in ours(typed).sents] == sentences


@pytest.mark.parametrize(
    "typed",
    [
        "There's a family support worker who can help with that",  # a relative clause
        "You could try linking it to something you do every day anyway",
        "You're terrified he'll track you down and you don't know what to do",  # a clause after a feeling
        "Your husband thinks you're overreacting about all of this",
        "Do you know which house he's in now?",  # a question holds its own clauses
        "How much has he had from you this year?",
        "If he's sent home for behaviour it should be recorded as an exclusion.",
        "I'm sorry you had to wait so long for someone to come out",  # "sorry" leads into its clause
        "It's the thought of people watching that's the worst bit",  # capitals: a statement is not split
    ],
)
def test_one_sentence_is_left_whole(nlps: tuple[Any, Any], typed: str) -> None:
    _plain, ours = nlps
    assert len(list(ours(typed).sents)) == 1, [s.text for s in ours(typed).sents]


_WORDS = st.sampled_from(
    "i you u ur we it that there what how do are is im sorry so really feel tired the kids home school "
    "worried often can will . , ? and but think".split()
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(_WORDS, min_size=1, max_size=30))
def test_the_marks_still_split_and_nothing_is_lost(nlps: tuple[Any, Any], words: list[str]) -> None:
    """Every sentence spaCy's sentencizer finds still starts one, and the sentences cover the reply."""
    plain, ours = nlps
    text = " ".join(words)
    theirs, mine = plain(text), ours(text)
    assert {s.start for s in theirs.sents} <= {s.start for s in mine.sents}
    assert "".join(s.text_with_ws for s in mine.sents) == text


@pytest.mark.parametrize(
    ("context", "typed"),
    [
        ("My daughter's in rehab again and I've got her two boys.",
         "ur grieving for ur daughter and caring for her kids at the same time how often do u hear from her"),
        ("I keep thinking they'll use it against me.",
         "you're worried it'll be held against you how do you think we could make it feel safer"),
    ],
)
def test_a_reflection_run_into_a_question_is_empathy(scorer: Any, context: str, typed: str) -> None:
    """Before, the run-on was one sentence whose act was the question, and the question vetoed it."""
    result = scorer.assess(typed, context=context)
    assert result.scores["empathy"] >= THRESHOLD, (result.scores, [a.label for a in result.acts])
    assert len(result.acts) == 2
