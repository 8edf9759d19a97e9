"""The graph view: edges labelled in words, endings styled by outcome, text safe for Mermaid and DOT."""

from __future__ import annotations

import re

from trainer.authoring.graph import condition_label, edges, line_start, render, to_dot, to_mermaid
from trainer.scenario.schema import Condition, Scenario


def cond(data: dict[str, object]) -> Condition:
    return Condition.model_validate(data)


def test_conditions_read_as_words() -> None:
    assert condition_label(cond({"signal": "empathy"})) == "empathy"
    assert condition_label(cond({"not": {"signal": "purpose"}})) == "not purpose"
    assert condition_label(cond({"var": "trust", "min": 6})) == "trust >= 6"
    assert condition_label(cond({"var": "distress", "max": 3})) == "distress <= 3"
    assert condition_label(cond({"var": "trust", "equals": 5})) == "trust = 5"
    assert condition_label(cond({"signal": "sympathy", "min": 0.8})) == "sympathy >= 0.8"
    assert condition_label(cond({"cue": "mentions_school"})) == "cue mentions_school"
    purpose_not_overstep = {"all": [{"signal": "purpose"}, {"not": {"signal": "overstep"}}]}
    nested = {"any": [{"signal": "empathy"}, purpose_not_overstep]}
    assert condition_label(cond(nested)) == "empathy or (purpose and not overstep)"
    assert condition_label(cond({"not": {"all": [{"signal": "empathy"}, {"cue": "x"}]}})) == (
        "not (empathy and cue x)"
    )


def scenario() -> Scenario:
    ending = {"title": "T", "note": "N"}
    return Scenario.model_validate({
        "schema_version": 1, "title": 'The "quoted" visit', "summary": "s", "setting": "s",
        "objectives": ["o"],
        "service_user": {"name": "A", "situation": "s", "wants": "w", "fears": "f"},
        "start": "start",
        "nodes": {
            "start": {
                "say": 'She says "hello" and then talks for a long time about the weather and the bus.',
                "options": [
                    {"say": "Hi", "goto": "end"},
                    {"say": "Bye", "goto": "bad", "if": {"var": "trust", "min": 6}},
                ],
                "responses": [{"if": {"signal": "empathy"}, "goto": "end"}],
                "default": {"goto": "bad"},
            },
            "end": {"say": "Thanks.", "ending": {"outcome": "built", **ending}},
            "bad": {"say": "Go.", "ending": {"outcome": "broke_down", **ending}},
        },
    })


def test_edges_are_labelled_by_option_condition_and_otherwise_in_the_engine_order() -> None:
    labels = [(e.source, e.target, e.label) for e in edges(scenario())]
    assert labels == [
        ("start", "end", "option 1"),
        ("start", "bad", "option 2 if trust >= 6"),
        ("start", "end", "empathy"),
        ("start", "bad", "otherwise"),
    ]


def test_line_start_cuts_at_a_word() -> None:
    assert line_start("Short line.") == "Short line."
    cut = line_start("She says hello and then talks for a long time about the weather.", limit=30)
    assert cut == "She says hello and then talks..."
    assert line_start("two\n   lines") == "two lines"


def test_mermaid_styles_endings_by_outcome_and_avoids_reserved_ids() -> None:
    text = to_mermaid(scenario())
    assert text.startswith("flowchart TD\n")
    # "end" is a Mermaid keyword: node ids are generated, the author's id appears only in the label.
    assert re.search(r"^\s+end\b", text, re.M) is None
    assert '(["end (built): Thanks."]):::built' in text
    assert '(["bad (broke_down): Go."]):::broke_down' in text
    assert '-->|"option 2 if trust >= 6"|' in text and '-->|"otherwise"|' in text
    assert "classDef built fill:" in text and "class n0 start" in text
    assert '#quot;hello#quot;' in text and '"hello"' not in text


def test_dot_escapes_quotes_and_colours_endings() -> None:
    text = to_dot(scenario())
    assert text.startswith('digraph "The \\"quoted\\" visit" {')
    assert text.rstrip().endswith("}")
    assert '"end" [label="end (built)\\nThanks.", shape=doubleoctagon, fillcolor="#c8e6c9"];' in text
    assert '"start" -> "bad" [label="otherwise"];' in text
    # Every double quote outside an escape closes one it opened.
    unescaped = re.sub(r'\\"', "", text)
    assert unescaped.count('"') % 2 == 0


def test_render_refuses_an_unknown_format() -> None:
    try:
        render(scenario(), "svg")
    except ValueError as exc:
        assert "use mermaid or dot" in str(exc)
    else:
        raise AssertionError("render accepted svg")
