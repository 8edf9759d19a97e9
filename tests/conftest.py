"""Shared pytest fixtures. Add yours in your own section; keep session-scoped what is slow to build."""

from __future__ import annotations

from typing import Any

import pytest

# --- the environment -----------------------------------------------------------------------------------


@pytest.fixture(autouse=True)
def _no_outside_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    """A test never reads the settings of whoever runs it (TRAINER_CONFIG_DIR set in their shell put the
    name question's tests at the mercy of that folder) nor thinks it runs on a shared lab server."""
    monkeypatch.delenv("TRAINER_CONFIG_DIR", raising=False)
    monkeypatch.delenv("TRAINER_LAB", raising=False)


# --- scoring (trainer.scoring) ------------------------------------------------------------------------


@pytest.fixture(scope="session")
def scorer() -> Any:
    """The committed scorer pipeline (models/scorer), loaded once per test session."""
    from trainer.scoring.scorer import Scorer

    return Scorer.load()


@pytest.fixture(scope="session")
def nlp() -> Any:
    """spaCy's blank English with the sentencizer: what the scorer's context features and readings see."""
    import spacy

    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    return nlp


@pytest.fixture(scope="session")
def rules_nlp() -> Any:
    """A small pipeline of the sentencizer and the rules from models/patterns (no classifier), on the
    tokenizer the scorer uses (with the chat register's norms)."""

    import trainer.scoring.components  # noqa: F401
    from trainer.scoring.build import PATTERNS_DIR
    from trainer.scoring.chatnorms import chat_blank
    from trainer.scoring.patterns import load_patterns

    nlp = chat_blank()
    nlp.add_pipe("sentencizer")
    nlp.add_pipe("trainer_rules").add_patterns(load_patterns(PATTERNS_DIR))
    return nlp


@pytest.fixture(scope="session")
def scores_as_expected(scorer: Any) -> Any:
    """check(reply, context, present, absent): the scorer finds every signal of `present` (score >= the
    threshold) and none of `absent` in `reply` said after `context`; the scores are shown when it fails."""
    from trainer.scoring.api import THRESHOLD

    def check(reply: str, context: str, present: set[str], absent: set[str]) -> None:
        scores = scorer.assess(reply, context=context).scores
        assert {s for s in present if scores[s] < THRESHOLD} == set(), scores
        assert {s for s in absent if scores[s] >= THRESHOLD} == set(), scores

    return check

