"""Conditions: when an author's `if` holds, and how it reads in the graph view and the debrief."""

from __future__ import annotations

import math

import pytest

from trainer.scenario.conditions import ConditionError, describe, evaluate
from trainer.scenario.schema import Condition

VARS = {"trust": 5, "distress": 5, "hope": -2}


def c(data: dict) -> Condition:
    return Condition.model_validate(data)


def holds(
    data: dict, scores: dict | None = None, cues: tuple[str, ...] = (), variables: dict | None = None
) -> bool:
    return evaluate(c(data), scores or {}, cues, VARS if variables is None else variables)


class TestSignal:
    def test_present_at_the_default_threshold_of_one_half(self) -> None:
        assert holds({"signal": "empathy"}, {"empathy": 0.5})
        assert not holds({"signal": "empathy"}, {"empathy": 0.49})

    def test_a_missing_signal_counts_as_zero(self) -> None:
        assert not holds({"signal": "empathy"}, {"purpose": 0.9})
        assert holds({"signal": "empathy", "min": 0, "max": 0.2}, {})

    def test_min_and_max_are_inclusive(self) -> None:
        cond = {"signal": "sympathy", "min": 0.3, "max": 0.6}
        assert holds(cond, {"sympathy": 0.3})
        assert holds(cond, {"sympathy": 0.6})
        assert not holds(cond, {"sympathy": 0.61})
        assert not holds(cond, {"sympathy": 0.29})

    def test_a_max_alone_means_at_most(self) -> None:
        # "sympathy at most 0.2" is how an author says "little or no sympathy": it must be able to hold.
        assert holds({"signal": "sympathy", "max": 0.2}, {"sympathy": 0.1})
        assert holds({"signal": "sympathy", "max": 0.2}, {})
        assert not holds({"signal": "sympathy", "max": 0.2}, {"sympathy": 0.7})

    @pytest.mark.parametrize("bad", [math.nan, math.inf, "high", None, True])
    def test_a_score_that_is_not_a_number_never_passes(self, bad: object) -> None:
        assert not holds({"signal": "empathy"}, {"empathy": bad})  # type: ignore[dict-item]


class TestCueAndVar:
    def test_cue_holds_when_matched(self) -> None:
        assert holds({"cue": "school"}, cues=("school", "other"))
        assert not holds({"cue": "school"}, cues=("other",))

    def test_var_min_max_equals(self) -> None:
        assert holds({"var": "trust", "min": 5})
        assert not holds({"var": "trust", "min": 6})
        assert holds({"var": "trust", "max": 5})
        assert not holds({"var": "trust", "max": 4})
        assert holds({"var": "trust", "equals": 5})
        assert not holds({"var": "trust", "equals": 4})
        assert holds({"var": "hope", "max": -1})

    def test_unknown_variable_is_an_error_not_a_silent_false(self) -> None:
        with pytest.raises(ConditionError, match="'courage'"):
            holds({"var": "courage", "min": 1})


class TestCombinations:
    def test_all_any_not(self) -> None:
        both = {"all": [{"signal": "empathy"}, {"var": "trust", "min": 4}]}
        assert holds(both, {"empathy": 0.9})
        assert not holds(both, {"empathy": 0.9}, variables={**VARS, "trust": 3})
        either = {"any": [{"signal": "empathy"}, {"cue": "school"}]}
        assert holds(either, cues=("school",))
        assert not holds(either)
        assert holds({"not": {"signal": "purpose"}}, {"purpose": 0.1})
        assert not holds({"not": {"signal": "purpose"}}, {"purpose": 0.7})

    def test_empty_all_holds_and_empty_any_does_not(self) -> None:
        assert holds({"all": []})
        assert not holds({"any": []})


@pytest.mark.parametrize(
    ("data", "words"),
    [
        ({"signal": "empathy"}, "empathy"),
        ({"signal": "empathy", "min": 0.5}, "empathy"),
        ({"not": {"signal": "purpose"}}, "not purpose"),
        ({"var": "trust", "min": 6}, "trust at least 6"),
        ({"all": [{"signal": "empathy"}, {"var": "trust", "min": 4}]}, "empathy and trust at least 4"),
        ({"cue": "mentions_school"}, "cue mentions_school"),
        ({"signal": "sympathy", "min": 0.8}, "sympathy at least 0.8"),
        ({"signal": "overstep", "min": 0, "max": 0.2}, "overstep between 0 and 0.2"),
        ({"signal": "empathy", "max": 0.9}, "empathy at most 0.9"),
        ({"signal": "empathy", "min": 0.2}, "empathy at least 0.2"),
        ({"var": "distress", "min": 2, "max": 7}, "distress between 2 and 7"),
        ({"var": "trust", "equals": 3}, "trust is 3"),
        ({"any": [{"signal": "empathy"}, {"signal": "purpose"}]}, "empathy or purpose"),
        (
            {"any": [
                {"signal": "empathy"},
                {"all": [{"signal": "purpose"}, {"not": {"signal": "overstep"}}]},
            ]},
            "empathy or (purpose and not overstep)",
        ),
        ({"not": {"all": [{"signal": "empathy"}, {"signal": "purpose"}]}}, "not (empathy and purpose)"),
        ({"all": []}, "always"),
        ({"any": []}, "never"),
    ],
)
def test_describe_in_plain_words(data: dict, words: str) -> None:
    assert describe(c(data)) == words
