"""Acting on risk (trainer/scenario/risk.py): a disclosure is never resolved by warmth alone.

The bundled scenarios' own plays (the empathic reply that does not act ends elsewhere than `built`) are
in their rehearsal files, run by tests/test_scenarios.py; here, the static check (SCN050) and the pieces
`--explore` uses.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from hypothesis import event, given, settings
from hypothesis import strategies as st

from tests.test_rehearse import KeywordScorer  # matches signal keywords and cue phrases
from trainer.authoring import explore as rx
from trainer.authoring import rehearse as rh
from trainer.scenario.conditions import evaluate
from trainer.scenario.loader import load_scenario, validate_paths
from trainer.scenario.risk import disclosure_words, pending_after, requires, unsafe_route
from trainer.scenario.schema import Condition, Scenario

BAD = Path(__file__).parent / "fixtures" / "bad"

HEAD = """schema_version: 1
title: Fixture
summary: A disclosure of risk.
setting: A home visit.
objectives: [Act on a disclosure of risk.]
service_user: {name: Kelly, situation: Works nights., wants: Help., fears: Losing the children.}
cues:
  manager: {phrases: ["my manager today"]}
  tonight: {phrases: ["tonight"]}
start: told
nodes:
  told:
    say: When I'm on a shift, they're on their own.
    risk: {disclosure: children alone overnight, safe_reply: [manager, tonight]}
"""
TAIL = """  good:
    say: Thanks.
    ending: {outcome: built, title: Good, note: It went well.}
  bad:
    say: Bye.
    ending: {outcome: broke_down, title: Bad, note: It went badly.}
"""


def codes(tmp_path: Path, body: str) -> list[str]:
    path = tmp_path / "s.yaml"
    path.write_text(HEAD + body + TAIL, encoding="utf-8")
    return [d.code for d in validate_paths([path])]


def test_the_issue_case_empathy_alone_reaching_built_is_warned_with_the_route(tmp_path: Path) -> None:
    body = """    responses:
      - {if: {signal: overstep}, goto: bad}
      - {if: {any: [{signal: empathy}, {signal: boundaries}]}, goto: planning}
    default: {goto: planning}
  planning:
    say: So what now?
    responses:
      - {if: {signal: purpose}, goto: good}
    default: {goto: bad}
"""
    path = tmp_path / "s.yaml"
    path.write_text(HEAD + body + TAIL, encoding="utf-8")
    (d,) = validate_paths([path])
    assert d.code == "SCN050" and d.severity == "warning"
    assert d.line == 14  # the `risk:` key
    assert "told > response 2 > planning > response 1 > good" in d.message
    assert "manager, tonight" in d.message


def test_a_rule_requiring_every_safe_cue_on_the_way_to_built_is_not_warned(tmp_path: Path) -> None:
    body = """    responses:
      - {if: {all: [{signal: empathy}, {cue: manager}, {cue: tonight}]}, goto: good}
      - {if: {signal: empathy}, goto: bad}
    default: {goto: bad}
"""
    assert codes(tmp_path, body) == []


def test_one_safe_cue_of_two_is_not_enough(tmp_path: Path) -> None:
    body = """    responses:
      - {if: {all: [{signal: empathy}, {cue: manager}]}, goto: good}
    default: {goto: bad}
"""
    assert codes(tmp_path, body) == ["SCN050"]


def test_an_earlier_rule_catching_the_unsafe_reply_counts_for_the_later_ones(tmp_path: Path) -> None:
    body = """    responses:
      - {if: {not: {all: [{cue: manager}, {cue: tonight}]}}, goto: bad}
      - {if: {signal: empathy}, goto: good}
    default: {goto: good}
"""
    assert codes(tmp_path, body) == []


def test_the_requirement_may_be_met_on_a_later_moment(tmp_path: Path) -> None:
    body = """    default: {goto: plan}
  plan:
    say: So what are you going to do?
    responses:
      - {if: {all: [{cue: manager}, {cue: tonight}]}, goto: good}
    default: {goto: bad}
"""
    assert codes(tmp_path, body) == []


def test_an_option_with_a_goto_is_judged_by_its_words(tmp_path: Path) -> None:
    acted = """    options:
      - {say: "I'll talk to my manager today and we'll sort out tonight together.", goto: good}
      - {say: "That sounds frightening.", goto: bad}
    input: options
"""
    assert codes(tmp_path, acted) == []
    warm = acted.replace("goto: good", "goto: bad")
    warm = warm.replace("frightening.\", goto: bad", "frightening.\", goto: good")
    assert codes(tmp_path, warm) == ["SCN050"]


def test_a_safe_reply_naming_an_unknown_cue_is_an_error_with_a_suggestion(tmp_path: Path) -> None:
    path = tmp_path / "s.yaml"
    body = "    responses: [{if: {cue: manager}, goto: good}]\n    default: {goto: bad}\n"
    path.write_text((HEAD + body + TAIL).replace("safe_reply: [manager, tonight]", "safe_reply: [manger]"),
                    encoding="utf-8")
    (d,) = validate_paths([path])
    assert d.code == "SCN041" and "did you mean 'manager'" in d.message


def test_the_fixture_route_is_found() -> None:
    loaded = load_scenario(BAD / "SCN050.yaml")
    route = unsafe_route(loaded.scenario, "told")
    assert route is not None and route.ending == "good" and route.describe() == "told > response 1 > good"


def test_pending_after_adds_a_disclosure_and_clears_it_only_on_every_safe_cue(tmp_path: Path) -> None:
    path = tmp_path / "s.yaml"
    rules = ("    responses: [{if: {all: [{cue: manager}, {cue: tonight}]}, goto: good}]\n"
             "    default: {goto: bad}\n")
    path.write_text(HEAD + rules + TAIL, encoding="utf-8")
    scenario = load_scenario(path).scenario
    assert pending_after(scenario, frozenset(), "told", ["manager"]) == {"told"}
    assert pending_after(scenario, frozenset(), "told", ["manager", "tonight"]) == frozenset()
    assert pending_after(scenario, frozenset({"told"}), "good", ["tonight", "manager"]) == frozenset()
    assert pending_after(scenario, frozenset(), "bad", ["manager", "tonight"]) == frozenset()


CUES = ["a", "b", "c"]
_leaf = st.one_of(
    st.sampled_from(CUES).map(lambda c: Condition(cue=c)),
    st.sampled_from(["empathy", "purpose"]).map(lambda s: Condition(signal=s)),
)
conditions = st.recursive(
    _leaf,
    lambda inner: st.one_of(
        st.lists(inner, max_size=3).map(lambda cs: Condition(all=cs)),
        st.lists(inner, max_size=3).map(lambda cs: Condition(any=cs)),
        inner.map(lambda c: Condition.model_validate({"not": c})),
    ),
    max_leaves=8,
)


@settings(max_examples=300, deadline=None)
@given(conditions, st.sets(st.sampled_from(CUES)), st.sets(st.sampled_from(["empathy", "purpose"])))
def test_what_a_condition_requires_is_always_matched_when_it_holds_or_fails(
    cond: Condition, cues: set[str], signals: set[str]
) -> None:
    scores = {s: 1.0 for s in signals}
    holds = evaluate(cond, scores, cues, {})
    assert requires(cond, negated=not holds) <= cues


# --- the static check agrees with what a walk over real moves finds ------------------------------------

_TARGETS = st.sampled_from(["m", "good", "bad"])
_SIMPLE = st.sampled_from([
    {"cue": "a"}, {"signal": "empathy"}, {"not": {"cue": "a"}}, {"not": {"signal": "empathy"}},
    {"any": [{"cue": "a"}, {"signal": "empathy"}]}, {"all": [{"cue": "a"}, {"signal": "empathy"}]},
])


@st.composite
def small_risky_scenarios(draw: st.DrawFn) -> Scenario:
    def rules(targets: st.SearchStrategy[str]) -> list[dict[str, object]]:
        return [{"if": draw(_SIMPLE), "goto": draw(targets)} for _ in range(draw(st.integers(0, 2)))]

    end_targets = st.sampled_from(["good", "bad"])
    nodes = {
        "r": {"say": "They're alone at night.", "risk": {"disclosure": "d", "safe_reply": ["a"]},
              "responses": rules(_TARGETS), "default": {"goto": draw(_TARGETS)}},
        "m": {"say": "So?", "responses": rules(end_targets), "default": {"goto": draw(end_targets)}},
        "good": {"say": "Ok.", "ending": {"outcome": "built", "title": "G", "note": "n"}},
        "bad": {"say": "Bye.", "ending": {"outcome": "broke_down", "title": "B", "note": "n"}},
    }
    return Scenario.model_validate({
        "schema_version": 1, "title": "T", "summary": "S", "setting": "S", "objectives": ["o"],
        "service_user": {"name": "N", "situation": "s", "wants": "w", "fears": "f"},
        "cues": {"a": {"phrases": ["my manager"]}}, "start": "r", "nodes": nodes,
    })


@settings(max_examples=60, deadline=None)
@given(small_risky_scenarios())
def test_when_validate_finds_no_unsafe_route_no_walk_reaches_built_without_the_safe_reply(
    scenario: Scenario,
) -> None:
    ex = rx.explore(rh.Rehearser(scenario, "random", KeywordScorer()))
    event(f"a walk reached built without the safe reply: {bool(ex.unsafe)}")
    if unsafe_route(scenario, "r") is None:  # the static check is never more lenient than real moves
        assert ex.unsafe == {}


# --- SCN052: a disclosure on a node nobody marked ----------------------------------------------------------

UNMARKED = """schema_version: 1
title: Fixture
summary: A disclosure nobody marked.
setting: A home visit.
objectives: [Act on a disclosure of risk.]
service_user: {name: Jordan, situation: Cares for mum., wants: Help., fears: Being a burden.}
start: told
nodes:
  told:
    say: Hi.
    variants:
      - if: {var: trust, max: 3}
        say: LINE
    responses:
      - {if: {signal: empathy}, goto: good}
    default: {goto: bad}
""" + TAIL

DISCLOSURES = [
    "Sometimes I think everyone would be better off without me.",
    "I've thought about suicide.",
    "Last month Mum took too many of her tablets.",
    "He hits me when he's been drinking.",
    "Daddy squeezed my arms really hard.",
    "At night I lock his bedroom door from the outside.",
    "Some nights they're on their own when I'm at work.",
    "Once he shook the cot to make the baby stop.",
]
EVERYDAY = [
    "It hit me that I'd forgotten her birthday.",
    "(He shakes your hand.) I was a bit shaken up after the fall, that's all.",
    "I'm locked in to a two-year contract with the phone company.",
    "She beat me to it. Kai's on his own with his games all evening.",
    "(Her hands are shaking.) I lock my door at night, like everyone.",
    "I could kill for a cup of tea. Hit me up when you know.",
]


def test_a_disclosure_on_an_unmarked_node_is_warned_with_what_to_do(tmp_path: Path) -> None:
    path = tmp_path / "s.yaml"
    path.write_text(UNMARKED.replace("LINE", '"He hits me when he has been drinking."'), encoding="utf-8")
    (d,) = validate_paths([path])
    assert (d.code, d.severity, d.line) == ("SCN052", "warning", 13)  # the variant's `say`
    assert '"hits me"' in d.message and "`risk:" in d.message and "safe_reply" in d.message


def test_a_disclosure_is_found_in_each_way_the_scenarios_write_one() -> None:
    assert [line for line in DISCLOSURES if not disclosure_words(line)] == []


def test_everyday_words_that_look_like_a_disclosure_are_not_one() -> None:
    assert {line: disclosure_words(line) for line in EVERYDAY if disclosure_words(line)} == {}


def test_a_marked_node_and_an_ending_are_not_warned(tmp_path: Path) -> None:
    acted = ("    variants: [{if: {var: trust, max: 3}, say: They're alone overnight.}]\n"
             "    responses:\n      - {if: {all: [{cue: manager}, {cue: tonight}]}, goto: good}\n"
             "    default: {goto: bad}\n")
    assert codes(tmp_path, acted) == []  # HEAD's node is marked
    path = tmp_path / "end.yaml"
    text = UNMARKED.replace("LINE", "Thanks.").replace(
        "    say: Bye.", "    say: (You leave knowing two children are alone overnight.)")
    path.write_text(text, encoding="utf-8")
    assert validate_paths([path]) == []


@given(before=st.sampled_from(EVERYDAY + ["", "(Quietly.)", "I don't know."]),
       line=st.sampled_from(DISCLOSURES), after=st.sampled_from(EVERYDAY + ["", "Don't tell anyone."]),
       case=st.sampled_from([str, str.lower, str.upper]))
def test_a_disclosure_is_found_whatever_surrounds_it_and_however_it_is_cased(
    before: str, line: str, after: str, case: Any
) -> None:
    assert disclosure_words(case(f"{before} {line} {after}"))
