"""A student mashing the keyboard, or a word typed over and over, earns no skill.

The classifier reads each n-gram once however often it comes (`bow.length_scaled`, `binary`): with
counts, "asdf" typed ten times weighed ten times what it weighs once, and one nonsense string in four,
repeated, came out as sympathy, empathy or purpose ("help" typed fifty times was purpose 1.0).
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from trainer.scoring.chatnorms import WORDS

#: No vowels and no "h", "m", "n", "y": never an English word or a noise of speech ("hmm", "shh", "nth"),
#: nor a chat form ("txt" is "text").
_MASH = st.text(alphabet="bcdfgjklpqrstvwxz", min_size=3, max_size=8).filter(lambda m: m not in WORDS)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    words=st.lists(_MASH, min_size=1, max_size=2),
    times=st.integers(min_value=1, max_value=60),
    sep=st.sampled_from([" ", ", ", ". ", "\n", "! "]),
    context=st.sampled_from([None, "I'm so tired of all this.", "Who are you and why are you here?"]),
)
def test_key_mashing_typed_any_number_of_times_earns_no_skill(
    scorer: Any, words: list[str], times: int, sep: str, context: str | None
) -> None:
    reply = sep.join([" ".join(words)] * times)
    a = scorer.assess(reply, context)
    assert a.present() == [], (reply[:60], a.scores)


@pytest.mark.parametrize("word", ["help", "asdf", "sorry", "ok"])
def test_a_word_typed_fifty_times_weighs_what_it_weighs_typed_twice(scorer: Any, word: str) -> None:
    twice = scorer.assess(f"{word} {word}")
    fifty = scorer.assess(" ".join([word] * 50))
    assert set(fifty.present()) <= set(twice.present()), (twice.scores, fifty.scores)
    assert all(fifty.scores[s] < 0.5 for s in fifty.scores), fifty.scores
