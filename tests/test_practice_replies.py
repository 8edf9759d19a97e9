"""Which typed replies are taken as a turn (trainer.practice.replies), for every front end: a reply with no
letter or digit in it (emoji, punctuation) is never sent and changes nothing; one longer than the scorer
reads is sent only when sent again unchanged."""

from __future__ import annotations

from pathlib import Path

import pytest

from trainer.practice.play import PlayRun
from trainer.practice.replies import EMPTY_REPLY, NO_WORDS, ReplyGate, has_words, unscorable
from trainer.scenario.engine import EngineError
from trainer.scenario.loader import load_scenario
from trainer.scoring.api import MAX_CHARS, SIGNALS, Assessment

FIXTURE = Path(__file__).parent / "fixtures" / "tui" / "kitchen-table.yaml"


@pytest.mark.parametrize("text", ["😀😀", "👍", "...", "?!", " 🙏 \n ❤️ ", "—", ":-)"])
def test_a_reply_with_no_letter_or_digit_is_not_a_turn(text: str) -> None:
    problem = unscorable(text)
    assert problem is not None and problem.message == NO_WORDS
    assert "in words" in problem.message and "emoji" in problem.message


@pytest.mark.parametrize("text", ["", "   ", "\n\t"])
def test_an_empty_reply_is_told_as_before(text: str) -> None:
    problem = unscorable(text)
    assert problem is not None and problem.message == EMPTY_REPLY


@pytest.mark.parametrize("text", ["ok 👍", "Hmm...", "Right?!", "3", "Я понимаю", "我明白", "ツ"])
def test_a_reply_with_any_letter_or_digit_is_taken(text: str) -> None:
    assert has_words(text) and unscorable(text) is None and ReplyGate().check(text) is None


def test_a_reply_longer_than_the_scorer_reads_is_sent_when_sent_again_unchanged() -> None:
    gate = ReplyGate()
    long = "I hear you. " * 500  # 6,000 characters
    first = gate.check(long)
    assert first is not None and "6,000 characters long" in first.message
    assert f"only the first {MAX_CHARS:,}" in first.message
    assert gate.check(long) is None  # the student means it
    assert gate.check(long) is not None  # sent: a new reply, warned again
    assert gate.check(long[:-1]) is not None  # changed: warned about the new one
    assert gate.check("I hear you.") is None
    assert gate.check("x" * MAX_CHARS) is None  # as long as the scorer reads: no warning


def test_a_reply_that_is_not_taken_leaves_the_run_as_it_was(tmp_path: Path) -> None:
    scenario = load_scenario(FIXTURE).scenario
    run = PlayRun(scenario, "kitchen-table", save_dir=tmp_path)
    before = len(run.state.transcript)
    assert run.reply_problem("😀😀") is not None
    # The backstop: a front end that sent it anyway is refused by the run, before the engine moves on.
    assessment = Assessment("😀😀", {s: 0.3 if s == "empathy" else 0.0 for s in SIGNALS})
    with pytest.raises(EngineError, match="in words"):
        run.submit("😀😀", assessment)
    assert len(run.state.transcript) == before and run.learner_turns == 0
    assert list(tmp_path.iterdir()) == []  # nothing saved
    run.submit("I'm here because of the school.", Assessment("x", {s: 0.0 for s in SIGNALS}))
    assert run.learner_turns == 1
