"""The session engine: every rule a learner would notice, saved runs that resume exactly, and
property-based tests that no sequence of replies can break a run."""

from __future__ import annotations

import json
import math
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from trainer.scenario.engine import (
    EndingReached,
    EngineError,
    Prompt,
    RunState,
    ScenarioError,
    Session,
    StateError,
    rule_in_words,
)
from trainer.scenario.schema import SIGNALS, VARIABLE_MAX, VARIABLE_MIN, InputMode, Scenario

ENDING = {"outcome": "built", "title": "Done", "note": "It ended."}


def scenario(nodes: dict[str, Any], start: str = "a", **extra: Any) -> Scenario:
    """A scenario around the given nodes; endings 'good' and 'bad' are added unless given."""
    nodes = {
        "good": {"say": "Thank you.", "ending": ENDING},
        "bad": {"say": "Leave.", "ending": {**ENDING, "outcome": "broke_down"}},
        **nodes,
    }
    return Scenario.model_validate(
        {
            "schema_version": 1,
            "title": "Test visit",
            "summary": "A test.",
            "setting": "A flat.",
            "objectives": ["Listen"],
            "service_user": {"name": "Sam", "situation": "s", "wants": "w", "fears": "f"},
            "cues": {"school": {"phrases": ["school"]}},
            "start": start,
            "nodes": nodes,
            **extra,
        }
    )


class Clock:
    """A clock that moves one minute per call, from a fixed UTC time."""

    def __init__(self, start: datetime = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)) -> None:
        self.now = start

    def __call__(self) -> datetime:
        self.now += timedelta(minutes=1)
        return self.now


def A(empathy: float = 0.0, cues: list[str] | None = None, **scores: float) -> dict[str, Any]:
    """An assessment as the scorer would give it."""
    return {"scores": {"empathy": empathy, **scores}, "cues": cues or [], "evidence": []}


def session(nodes: dict[str, Any], **kw: Any) -> Session:
    return Session(scenario(nodes, **kw), "test", clock=Clock())


SIMPLE = {
    "a": {
        "say": "Who are you?",
        "responses": [
            {"if": {"signal": "empathy"}, "goto": "good", "effects": {"trust": 2}},
            {"if": {"signal": "purpose"}, "goto": "bad"},
        ],
        "default": {"goto": "b", "effects": {"trust": -1}},
    },
    "b": {"say": "Well?", "default": {"goto": "good"}},
}


# --- starting ------------------------------------------------------------------------------------------


def test_a_new_run_starts_with_the_first_line_already_in_the_transcript() -> None:
    s = session(SIMPLE)
    step = s.current()
    assert isinstance(step, Prompt)
    assert (step.node, step.line, step.input_mode) == ("a", "Who are you?", InputMode.free)
    assert step.variables == {"trust": 5, "distress": 5}
    [first] = s.state.transcript
    assert (first.speaker, first.node, first.text) == ("service_user", "a", "Who are you?")
    assert not s.finished
    assert s.state.run_id and s.state.scenario_title == "Test visit"


def test_a_start_node_that_is_an_ending_finishes_at_once() -> None:
    s = session({}, start="good")
    assert s.finished
    assert isinstance(s.current(), EndingReached)


def test_each_run_gets_its_own_id() -> None:
    assert session(SIMPLE).run_id != session(SIMPLE).run_id


def test_prompt_carries_tip_model_answers_and_expect() -> None:
    coached = {**SIMPLE["a"], "tip": "Slow down.", "model_answers": ["Hello."], "expect": ["empathy"]}
    s = session({"a": coached, "b": SIMPLE["b"]})
    step = s.current()
    assert isinstance(step, Prompt)
    assert (step.tip, step.model_answers, step.expect) == ("Slow down.", ["Hello."], ["empathy"])


# --- responses, defaults, effects --------------------------------------------------------------------


def test_the_first_response_that_holds_wins() -> None:
    s = session(SIMPLE)
    step = s.submit("That sounds hard.", A(empathy=0.9, purpose=0.9))
    assert isinstance(step, EndingReached) and step.node == "good"
    learner = s.state.transcript[1]
    assert (learner.speaker, learner.rule, learner.option) == ("learner", "response 1", None)
    assert s.state.variables["trust"] == 7


def test_a_later_response_fires_when_earlier_ones_do_not_hold() -> None:
    s = session(SIMPLE)
    s.submit("I'm here about the school.", A(purpose=0.8))
    assert s.state.node == "bad"
    assert s.state.transcript[1].rule == "response 2"


def test_default_when_no_rule_holds_and_missing_signals_count_as_zero() -> None:
    s = session(SIMPLE)
    step = s.submit("Hi.", {"scores": {}})
    assert isinstance(step, Prompt) and step.node == "b" and step.line == "Well?"
    assert s.state.transcript[1].rule == "default"
    assert s.state.variables["trust"] == 4


def test_trust_and_distress_stay_within_0_to_10_but_author_variables_do_not() -> None:
    nodes = {
        "a": {"say": "x", "default": {"goto": "a", "effects": {"trust": 7, "distress": -9, "hope": -4}}},
    }
    s = session(nodes, variables={"hope": 1})
    s.submit("one", A())
    assert s.state.variables == {"trust": VARIABLE_MAX, "distress": VARIABLE_MIN, "hope": -3}
    s.submit("two", A())
    assert s.state.variables == {"trust": 10, "distress": 0, "hope": -7}


def test_responses_can_test_variables_and_cues() -> None:
    nodes = {
        "a": {
            "say": "x",
            "responses": [
                {"if": {"all": [{"cue": "school"}, {"var": "trust", "min": 6}]}, "goto": "good"},
                {"if": {"cue": "school"}, "goto": "bad"},
            ],
            "default": {"goto": "a", "effects": {"trust": 1}},
        }
    }
    s = session(nodes)
    s.submit("about school", A(cues=["school"]))
    assert s.state.node == "bad"  # trust was 5: the first rule did not hold
    s2 = session(nodes)
    s2.submit("hello", A())
    s2.submit("about school", A(cues=["school"]))
    assert s2.state.node == "good"


def test_scores_above_one_count_as_one_and_below_zero_as_zero() -> None:
    s = session(SIMPLE)
    s.submit("x", {"scores": {"empathy": 7.5}})
    assert s.state.node == "good"
    s = session(SIMPLE)
    s.submit("x", {"scores": {"empathy": -3, "purpose": 2}})
    assert s.state.node == "bad"


# --- variants ------------------------------------------------------------------------------------------


VARIANTS = {
    "a": {
        "say": "What do you want?",
        "variants": [{"if": {"var": "trust", "min": 7}, "say": "Come in, then."}],
        "responses": [{"if": {"signal": "empathy"}, "goto": "b", "effects": {"trust": 2}}],
        "default": {"goto": "b"},
    },
    "b": {
        "say": "And?",
        "variants": [
            {"if": {"var": "trust", "min": 7}, "say": "Go on, I'm listening."},
            {"if": {"cue": "school"}, "say": "Is this about the school?"},
        ],
        "default": {"goto": "a"},
    },
}


def test_the_first_variant_whose_condition_holds_is_said() -> None:
    s = session(VARIANTS)
    assert s.current().line == "What do you want?"
    # Trust reaches 7 and the reply mentions the school: the first matching variant wins.
    step = s.submit("You sound worried about school.", A(empathy=0.9, cues=["school"]))
    assert step.line == "Go on, I'm listening."
    assert s.state.transcript[-1].text == "Go on, I'm listening."


def test_a_variant_can_react_to_the_reply_that_led_there() -> None:
    s = session(VARIANTS)
    step = s.submit("It's about school.", A(cues=["school"]))
    assert step.line == "Is this about the school?"
    # ... and the line stays the same however often it is asked for, and after a save.
    again = Session.from_json(s.scenario, "test", s.to_json())
    assert s.current().line == again.current().line == "Is this about the school?"


def test_variant_by_state_on_return() -> None:
    s = session(VARIANTS)
    s.submit("x", A(empathy=0.9))  # trust 7
    step = s.submit("y", A())  # back to a
    assert step.line == "Come in, then."


# --- options and input modes -------------------------------------------------------------------------


OPTIONS = {
    "a": {
        "say": "Well?",
        "options": [
            {"say": "I'm Jo, from children's services.", "goto": "good", "effects": {"trust": 1}},
            {"say": "Can I come in?", "effects": {"distress": 2}},
            {"say": "I know how you feel.", "goto": "bad", "if": {"var": "trust", "min": 8}},
        ],
        "responses": [{"if": {"signal": "empathy"}, "goto": "good", "effects": {"trust": 2}}],
        "default": {"goto": "b", "effects": {"trust": -1}},
    },
    "b": {"say": "Hm.", "default": {"goto": "good"}},
}


def test_options_show_their_destination_and_availability() -> None:
    step = session(OPTIONS).current()
    assert isinstance(step, Prompt) and step.input_mode is InputMode.both
    assert [(o.number, o.goto, o.available) for o in step.options] == [
        (1, "good", True),
        (2, None, True),
        (3, "bad", False),
    ]


def test_an_option_with_goto_goes_there_and_applies_its_effects() -> None:
    s = session(OPTIONS)
    s.submit("I'm Jo, from children's services.", A(), option=1)
    assert s.state.node == "good" and s.state.variables["trust"] == 6
    learner = s.state.transcript[1]
    assert (learner.option, learner.rule) == (1, "option 1")
    assert learner.text == "I'm Jo, from children's services."


def test_an_option_without_goto_goes_through_the_responses_and_adds_both_effects() -> None:
    s = session(OPTIONS)
    s.submit("Can I come in?", A(empathy=0.8), option=2)
    assert s.state.node == "good"
    assert s.state.variables == {"trust": 7, "distress": 7}
    assert (s.state.transcript[1].option, s.state.transcript[1].rule) == (2, "response 1")
    s = session(OPTIONS)
    s.submit("Can I come in?", A(), option=2)
    assert (s.state.node, s.state.transcript[1].rule) == ("b", "default")
    assert s.state.variables == {"trust": 4, "distress": 7}


@pytest.mark.parametrize("option", [0, 4, -1, 99])
def test_an_option_that_does_not_exist_is_refused(option: int) -> None:
    s = session(OPTIONS)
    before = s.to_json()
    with pytest.raises(EngineError, match="no option"):
        s.submit("x", A(), option=option)
    assert s.to_json() == before


def test_an_unavailable_option_is_refused_and_nothing_changes() -> None:
    s = session(OPTIONS)
    before = s.to_json()
    with pytest.raises(EngineError, match="not available"):
        s.submit("I know how you feel.", A(), option=3)
    assert s.to_json() == before


def test_an_option_number_must_be_a_whole_number() -> None:
    s = session(OPTIONS)
    with pytest.raises(EngineError, match="whole number"):
        s.submit("x", A(), option=True)
    with pytest.raises(EngineError, match="whole number"):
        s.submit("x", A(), option="1")  # type: ignore[arg-type]


def test_an_options_only_moment_refuses_free_text() -> None:
    s = session({"a": {**OPTIONS["a"], "input": "options"}, "b": OPTIONS["b"]})
    assert s.current().input_mode is InputMode.options  # type: ignore[union-attr]
    with pytest.raises(EngineError, match="pick one"):
        s.submit("Hello there.", A(empathy=0.9))
    assert len(s.state.transcript) == 1


def test_a_free_only_moment_refuses_an_option_and_shows_none() -> None:
    s = session({"a": {**OPTIONS["a"], "input": "free"}, "b": OPTIONS["b"]})
    step = s.current()
    assert isinstance(step, Prompt) and step.options == []
    with pytest.raises(EngineError, match="typed reply"):
        s.submit("I'm Jo, from children's services.", A(), option=1)
    s.submit("Hello.", A(empathy=0.9))
    assert s.state.node == "good"


def test_an_options_only_moment_with_every_option_unavailable_takes_typing_instead() -> None:
    nodes = {
        "a": {
            "say": "x",
            "input": "options",
            "options": [{"say": "only if trusted", "goto": "good", "if": {"var": "trust", "min": 9}}],
            "default": {"goto": "bad"},
        }
    }
    s = session(nodes)
    step = s.current()
    assert isinstance(step, Prompt) and step.input_mode is InputMode.free
    s.submit("Hello?", A())
    assert s.state.node == "bad"


def test_option_availability_can_depend_on_the_reply_that_led_there() -> None:
    nodes = {
        "a": {"say": "x", "default": {"goto": "b"}},
        "b": {
            "say": "y",
            "options": [{"say": "Back to the school, then.", "goto": "good", "if": {"cue": "school"}}],
            "default": {"goto": "bad"},
        },
    }
    s = session(nodes)
    step = s.submit("about school", A(cues=["school"]))
    assert isinstance(step, Prompt) and step.options[0].available
    s = session(nodes)
    step = s.submit("hello", A())
    assert isinstance(step, Prompt) and not step.options[0].available


# --- refusals that change nothing --------------------------------------------------------------------


@pytest.mark.parametrize("text", ["", "   ", "\n\t "])
def test_an_empty_reply_is_refused(text: str) -> None:
    s = session(SIMPLE)
    before = s.to_json()
    with pytest.raises(EngineError, match="empty"):
        s.submit(text, A(empathy=0.9))
    assert s.to_json() == before


@pytest.mark.parametrize(
    ("assessment", "message"),
    [
        ({"scores": {"empathy": math.nan}}, "JSON|number"),
        ({"scores": {"empathy": math.inf}}, "JSON|number"),
        ({"scores": {"empathy": "high"}}, "score for empathy"),
        ({"scores": [0.5]}, "'scores' must be a mapping"),
        ({"scores": {}, "cues": "school"}, "'cues' must be a list"),
        ({"scores": {}, "extra": {1, 2}}, "plain JSON"),
        ([("scores", {})], "must be a mapping"),
    ],
)
def test_an_unusable_assessment_is_refused_with_a_reason(assessment: Any, message: str) -> None:
    s = session(SIMPLE)
    before = s.to_json()
    with pytest.raises(EngineError, match=message):
        s.submit("Hello.", assessment)
    assert s.to_json() == before


def test_replying_after_the_end_is_refused() -> None:
    s = session(SIMPLE)
    s.submit("That sounds hard.", A(empathy=0.9))
    assert s.finished
    with pytest.raises(EngineError, match="ended"):
        s.submit("One more thing.", A())


# --- the transcript ------------------------------------------------------------------------------------


def test_each_turn_records_the_reply_as_given_and_the_next_line() -> None:
    clock = Clock()
    s = Session(scenario(SIMPLE), "test", clock=clock)
    given = {"scores": {"empathy": 0.1, "made_up": 3}, "cues": [], "evidence": [{"signal": "x"}], "note": "n"}
    s.submit("  Hello.\n", given)
    learner, reply = s.state.transcript[1:]
    assert learner.text == "  Hello.\n"  # as typed: evidence offsets point into it
    assert learner.assessment == given
    assert learner.node == "a" and reply.node == "b" and reply.text == "Well?"
    assert learner.time == reply.time == clock.now == s.state.updated_at
    assert s.state.started_at < s.state.updated_at


def test_the_transcript_keeps_a_copy_of_the_assessment() -> None:
    s = session(SIMPLE)
    given = A(empathy=0.1)
    s.submit("Hello.", given)
    given["scores"]["empathy"] = 0.99
    assert s.state.transcript[1].assessment["scores"]["empathy"] == 0.1  # type: ignore[index]


def test_times_are_stored_in_utc() -> None:
    paris = timezone(timedelta(hours=1))
    s = Session(scenario(SIMPLE), "test", clock=lambda: datetime(2026, 3, 1, 10, 0, tzinfo=paris))
    assert s.state.started_at == datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
    assert s.state.started_at.utcoffset() == timedelta(0)
    assert s.to_json().count("T09:00:00Z") == 3


def test_the_state_is_a_copy() -> None:
    s = session(SIMPLE)
    state = s.state
    state.node = "good"
    state.variables["trust"] = 99
    state.transcript.clear()
    assert s.state.node == "a" and s.state.variables["trust"] == 5 and len(s.state.transcript) == 1


# --- saving and loading --------------------------------------------------------------------------------


def played() -> Session:
    s = session(OPTIONS)
    s.submit("Can I come in?", A(empathy=0.2, cues=["school"]), option=2)
    return s


def test_json_round_trip_is_exact() -> None:
    s = played()
    data = s.to_json()
    again = Session.from_json(s.scenario, "test", data)
    assert again.to_json() == data
    assert again.current() == s.current()
    assert Session.from_json(s.scenario, "test", data.encode()).to_json() == data


def test_a_resumed_run_plays_on() -> None:
    s = played()
    again = Session.from_json(s.scenario, "test", s.to_json())
    again.submit("Sorry.", A())
    assert again.finished and again.state.node == "good"
    assert len(again.state.transcript) == 5


def edit(data: str, change: Any) -> str:
    obj = json.loads(data)
    change(obj)
    return json.dumps(obj)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda o: o.update(node="nowhere"), "node 'nowhere'"),
        (lambda o: o["variables"].update(courage=3), "variables .* does not have: courage"),
        (lambda o: o["variables"].update(trust=11), "trust = 11"),
        (lambda o: o.update(finished=True), "marked finished"),
        (lambda o: o.update(scenario_id="other"), "belongs to the scenario 'other'"),
        (lambda o: o["transcript"].pop(), "alternate|end with"),
        (lambda o: o["transcript"].clear(), "transcript is empty"),
        (lambda o: o["transcript"][1].update(speaker="service_user"), "alternate"),
        (lambda o: o["transcript"][1].update(assessment=None), "no assessment"),
        (lambda o: o["transcript"][1].update(option=9), "option 9"),
        (lambda o: o["transcript"][1]["assessment"]["scores"].update(empathy="x"), "unusable assessment"),
        (lambda o: o["transcript"][0].update(node="ghost"), "'ghost'"),
        (lambda o: o.update(started_at="2026-01-01T10:00:00"), "time zone"),
        (lambda o: o.update(run_id="../../etc"), "run_id"),
        (lambda o: o.update(format=2), "another version of trainer"),
        (lambda o: o.update(surprise=1), "surprise"),
    ],
)
def test_a_saved_run_that_does_not_fit_is_refused_clearly(change: Any, message: str) -> None:
    s = played()
    with pytest.raises(StateError, match=message):
        Session.from_json(s.scenario, "test", edit(s.to_json(), change))


@pytest.mark.parametrize("data", ["", "{", "null", "[]", b"\xff\xfe", '{"format": 1}'])
def test_corrupt_json_is_a_state_error(data: str | bytes) -> None:
    with pytest.raises(StateError, match="damaged"):
        Session.from_json(scenario(SIMPLE), "test", data)


def test_a_run_of_another_scenario_is_refused() -> None:
    s = played()
    with pytest.raises(StateError, match="not 'other-visit'"):
        Session.from_json(s.scenario, "other-visit", s.to_json())


def test_a_variable_added_to_the_scenario_since_the_save_starts_at_its_initial_value() -> None:
    s = played()
    grown = scenario(OPTIONS, variables={"hope": 3})
    again = Session.from_json(grown, "test", s.to_json())
    assert again.state.variables == {"trust": 4, "distress": 7, "hope": 3}


def test_a_state_changed_after_it_was_built_is_checked_again() -> None:
    s = played()
    state = s.state
    state.node = "nowhere"
    with pytest.raises(StateError, match="nowhere"):
        Session(s.scenario, "test", state)
    state = s.state
    state.variables = "lots"  # type: ignore[assignment]
    with pytest.raises(StateError, match="variables"):
        Session(s.scenario, "test", state)


def test_the_rule_that_moved_a_reply_on_can_be_said_in_words() -> None:
    sc = scenario(OPTIONS)
    assert rule_in_words(sc, "a", "response 1") == "empathy"
    assert rule_in_words(sc, "a", "default") == "otherwise"
    assert rule_in_words(sc, "a", "option 2") == "option 2"
    assert rule_in_words(sc, "gone", "response 1") == "response 1"


def test_a_hand_built_state_is_accepted_when_it_fits() -> None:
    t = datetime(2026, 1, 1, tzinfo=UTC)
    state = RunState(
        scenario_id="test",
        scenario_title="Test visit",
        node="a",
        variables={"trust": 5, "distress": 5},
        transcript=[{"speaker": "service_user", "node": "a", "text": "Who are you?", "time": t}],  # type: ignore[list-item]
        started_at=t,
        updated_at=t,
    )
    s = Session(scenario(SIMPLE), "test", state)
    assert s.current().node == "a"


# --- scenarios the engine refuses --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("nodes", "extra", "message"),
    [
        ({"a": {"say": "x", "default": {"goto": "nowhere"}}}, {}, "goes to 'nowhere'"),
        ({"a": {"say": "x"}}, {}, "no default"),
        ({"a": {"say": "x", "default": {"goto": "good", "effects": {"hope": 1}}}}, {}, "unknown variable"),
        (
            {"a": {"say": "x", "responses": [{"if": {"not": {"var": "hope", "min": 1}}, "goto": "good"}],
                   "default": {"goto": "good"}}},
            {},
            "unknown variable 'hope'",
        ),
        ({"a": {"say": "x", "default": {"goto": "good"}}}, {"variables": {"trust": 12}}, "trust starts at"),
        ({"a": {"say": "x", "default": {"goto": "good"}}}, {"start": "b"}, "start node 'b'"),
    ],
)
def test_a_scenario_that_cannot_be_played_is_refused_up_front(nodes: Any, extra: Any, message: str) -> None:
    with pytest.raises(ScenarioError, match=message):
        Session(scenario(nodes, **extra), "test")


# --- properties: nothing the learner or the scorer sends can break a run ------------------------------

CUE_IDS = ["school", "money"]
VAR_NAMES = ["trust", "distress", "hope"]


def mostly(good: st.SearchStrategy[Any], bad: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    """`good` about 5 times in 6 (one_of alone would not weight them: it favours simple branches)."""
    return st.sampled_from([True] * 5 + [False]).flatmap(lambda ok: good if ok else bad)


def conditions() -> st.SearchStrategy[dict[str, Any]]:
    leaf = st.one_of(
        st.builds(lambda s, lo: {"signal": s, "min": lo}, st.sampled_from(SIGNALS), st.floats(0, 1)),
        st.builds(lambda s: {"signal": s}, st.sampled_from(SIGNALS)),
        st.builds(lambda c: {"cue": c}, st.sampled_from(CUE_IDS)),
        st.builds(lambda v, lo: {"var": v, "min": lo}, st.sampled_from(VAR_NAMES), st.integers(-3, 12)),
        st.builds(lambda v, eq: {"var": v, "equals": eq}, st.sampled_from(VAR_NAMES), st.integers(0, 10)),
    )
    return st.recursive(
        leaf,
        lambda inner: st.one_of(
            st.builds(lambda cs: {"all": cs}, st.lists(inner, max_size=3)),
            st.builds(lambda cs: {"any": cs}, st.lists(inner, max_size=3)),
            st.builds(lambda c: {"not": c}, inner),
        ),
        max_leaves=4,
    )


effects = st.dictionaries(st.sampled_from(VAR_NAMES), st.integers(-6, 6), max_size=3)


@st.composite
def scenarios(draw: st.DrawFn) -> Scenario:
    """A random but playable scenario: 2-6 nodes with cycles, 1-2 endings, variants, options, rules."""
    n = draw(st.integers(2, 7))
    ids = [f"n{i}" for i in range(n)]
    endings = ids[-draw(st.integers(1, min(2, n - 1))) :]
    middle = [i for i in ids if i not in endings]
    # Most moves stay in the middle, so that runs are long enough to test something.
    targets = mostly(st.sampled_from(middle), st.sampled_from(ids))
    nodes: dict[str, Any] = {}
    for node_id in ids:
        node: dict[str, Any] = {
            "say": f"line {node_id}",
            "variants": [
                {"if": cond, "say": f"{node_id} variant {i}"}
                for i, cond in enumerate(draw(st.lists(conditions(), max_size=2)))
            ],
        }
        if node_id in endings:
            node["ending"] = ENDING
        else:
            node["options"] = draw(
                st.lists(
                    st.fixed_dictionaries(
                        {"say": st.just(f"option at {node_id}")},
                        optional={"goto": targets, "effects": effects, "if": conditions()},
                    ),
                    max_size=3,
                )
            )
            if node["options"]:
                node["input"] = draw(st.sampled_from(["free", "options", "both", None]))
            node["responses"] = draw(
                st.lists(
                    st.fixed_dictionaries({"if": conditions(), "goto": targets, "effects": effects}),
                    max_size=3,
                )
            )
            node["default"] = {"goto": draw(targets), "effects": draw(effects)}
        nodes[node_id] = {k: v for k, v in node.items() if v is not None}
    return Scenario.model_validate(
        {
            "schema_version": 1,
            "title": "Generated",
            "summary": "s",
            "setting": "s",
            "objectives": ["o"],
            "service_user": {"name": "N", "situation": "s", "wants": "w", "fears": "f"},
            "variables": {"hope": draw(st.integers(-5, 5)), "trust": draw(st.integers(0, 10))},
            "cues": {c: {"phrases": [c]} for c in CUE_IDS},
            "start": draw(mostly(st.sampled_from(middle), st.sampled_from(ids))),
            "nodes": nodes,
        }
    )


# Mostly replies the engine should take (so that runs get somewhere), mixed with every kind of bad one.
scores_ok = st.dictionaries(st.sampled_from(SIGNALS), st.floats(0, 1), max_size=5)
scores_messy = st.dictionaries(
    st.one_of(st.sampled_from(SIGNALS), st.text(max_size=6)),
    st.one_of(st.floats(-3, 3), st.integers(-5, 5), st.floats(1e300, 1e308)),
    max_size=7,
)
scores_bad = st.dictionaries(
    st.one_of(st.sampled_from(SIGNALS), st.text(max_size=6)),
    st.one_of(st.floats(allow_nan=True, allow_infinity=True), st.text(max_size=3), st.none(), st.booleans()),
    min_size=1,
    max_size=5,
)
cue_lists = st.lists(st.one_of(st.sampled_from(CUE_IDS), st.text(max_size=5)), max_size=3)
evidence = st.lists(st.dictionaries(st.text(max_size=4), st.integers() | st.text(max_size=4)), max_size=2)
good_assessments = st.fixed_dictionaries(
    {"scores": st.one_of(scores_ok, scores_messy)},
    optional={"cues": cue_lists, "evidence": evidence, "note": st.text(max_size=10)},
)
bad_assessments = st.one_of(
    st.fixed_dictionaries({"scores": scores_bad}, optional={"cues": cue_lists}),
    st.none(),
    st.integers(),
    st.just({"scores": {}, "cues": "school"}),
    st.just({"scores": [0.9]}),
)
assessments = mostly(good_assessments, bad_assessments)
good_replies = st.one_of(
    st.text(min_size=1, max_size=40).filter(str.strip), st.just("Hello, I'm from the school.")
)
replies = mostly(good_replies, st.sampled_from(["", "  ", "\n"]))
options = mostly(st.one_of(st.none(), st.integers(1, 3)), st.one_of(st.integers(-1, 5), st.just(True)))
turns = st.lists(st.tuples(replies, assessments, options), min_size=4, max_size=25)


def check_consistent(s: Session) -> None:
    state = s.state
    sc = s.scenario
    assert state.node in sc.nodes
    assert state.finished == (sc.nodes[state.node].ending is not None)
    assert set(state.variables) == set(sc.initial_variables())
    for name in ("trust", "distress"):
        assert VARIABLE_MIN <= state.variables[name] <= VARIABLE_MAX
    speakers = [r.speaker for r in state.transcript]
    assert speakers == ["service_user", "learner"] * (len(speakers) // 2) + ["service_user"]
    assert state.transcript[0].node == sc.start
    assert state.transcript[-1].node == state.node
    for i in range(1, len(state.transcript), 2):
        assert state.transcript[i].node == state.transcript[i - 1].node
        assert state.transcript[i].rule
    assert all(r.time.utcoffset() == timedelta(0) for r in state.transcript)
    step = s.current()
    assert step.node == state.node and step.line == state.transcript[-1].text
    data = s.to_json()
    assert Session.from_json(sc, "gen", data).to_json() == data


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(sc=scenarios(), plays=turns)
def test_no_sequence_of_replies_breaks_a_run(sc: Scenario, plays: list[tuple[Any, Any, Any]]) -> None:
    s = Session(sc, "gen", clock=Clock())
    check_consistent(s)
    for text, assessment, option in plays:
        before = s.to_json()
        try:
            s.submit(text, assessment, option=option)
            event("a reply accepted")
        except EngineError:
            assert s.to_json() == before  # a refusal changes nothing
        check_consistent(s)
    event(f"finished: {s.finished}")


@settings(max_examples=25, deadline=None)
@given(sc=scenarios(), plays=turns)
def test_a_run_saved_and_resumed_at_every_turn_plays_exactly_like_one_that_was_not(
    sc: Scenario, plays: list[tuple[Any, Any, Any]]
) -> None:
    clock_a, clock_b = Clock(), Clock()
    straight = Session(sc, "gen", clock=clock_a)
    resumed = Session.from_json(sc, "gen", straight.to_json(), clock=clock_b)
    clock_b.now = clock_a.now
    for text, assessment, option in plays:
        outcomes = []
        for s in (straight, resumed):
            try:
                s.submit(text, assessment, option=option)
                outcomes.append("ok")
            except EngineError as exc:
                outcomes.append(str(exc))
        assert outcomes[0] == outcomes[1]
        resumed = Session.from_json(sc, "gen", resumed.to_json(), clock=clock_b)
        assert resumed.to_json() == straight.to_json()
