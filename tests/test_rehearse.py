"""Rehearsal tools: replies files, rehearsal files, --check diffs, --explore coverage, and the CLI.

The logic is tested on small scenarios built here with a keyword scorer (so a failure points at the
rehearsal code, not at the model); the canned replies and the CLI are tested with the real scorer,
because exploring relies on the real scorer giving each canned reply its signal.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from trainer.authoring import explore as rx
from trainer.authoring import rehearse as rh
from trainer.cli import app
from trainer.scenario.schema import SIGNALS, Scenario

# --- a keyword scorer and a small scenario -------------------------------------------------------------

KEYWORDS = {
    "empathy": "sounds like",
    "purpose": "here because",
    "boundaries": "can't promise",
    "overstep": "i promise",
    "sympathy": "poor you",
}


@dataclass
class FakeAssessment:
    scores: dict[str, float]
    cues: list[str] = field(default_factory=list)

    def as_mapping(self) -> dict[str, Any]:
        return {"scores": dict(self.scores), "cues": list(self.cues), "evidence": []}


class KeywordScorer:
    """Scores a signal 0.9 when its keyword appears; matches cue phrases case-insensitively."""

    def __init__(self) -> None:
        self.calls = 0

    def compile_cues(self, cues: Any) -> dict[str, list[str]]:
        return {cue_id: [p.lower() for p in cue.phrases] for cue_id, cue in cues.items()}

    def assess_many(self, items: Any, batch_size: int = 256, cues: Any = None) -> list[FakeAssessment]:
        out = []
        for text, _context in items:
            self.calls += 1
            low = text.lower()
            scores = {s: (0.9 if KEYWORDS[s] in low else 0.0) for s in SIGNALS}
            matched = [c for c, phrases in (cues or {}).items() if any(p in low for p in phrases)]
            out.append(FakeAssessment(scores, matched))
        return out


def small_scenario(**extra_nodes: Any) -> Scenario:
    nodes: dict[str, Any] = {
        "start": {
            "say": "Who are you?",
            "options": [{"say": "I'm here because of the referral.", "goto": "middle"},
                        {"say": "Just passing."}],
            "responses": [{"if": {"signal": "purpose"}, "goto": "middle", "effects": {"trust": 1}}],
            "default": {"goto": "end_bad"},
        },
        "middle": {
            "say": "Will you keep a secret?",
            "responses": [
                {"if": {"signal": "overstep"}, "goto": "end_crossed"},
                {"if": {"all": [{"signal": "boundaries"}, {"cue": "names_manager"}]}, "goto": "end_good"},
            ],
            "default": {"goto": "end_bad"},
        },
        "end_good": {"say": "Thanks.", "ending": {"outcome": "built", "title": "Good", "note": "n"}},
        "end_bad": {"say": "Go.", "ending": {"outcome": "broke_down", "title": "Bad", "note": "n"}},
        "end_crossed": {"say": "Ok.", "ending": {"outcome": "boundary_crossed", "title": "X", "note": "n"}},
    }
    nodes.update(extra_nodes)
    return Scenario.model_validate({
        "schema_version": 1, "title": "T", "summary": "S", "setting": "S", "objectives": ["o"],
        "service_user": {"name": "N", "situation": "s", "wants": "w", "fears": "f"},
        "cues": {"names_manager": {"phrases": ["my manager"]}},
        "start": "start", "nodes": nodes,
    })


def reply(text: str, n: int = 1) -> rh.Reply:
    return rh.parse_reply(text, f"replies.txt:{n}")


@pytest.fixture
def rehearser() -> rh.Rehearser:
    return rh.Rehearser(small_scenario(), "small", KeywordScorer())


# --- replies ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("raw, option", [("#2", 2), ("option 3", 3), ("Option 1.", 1), ("  #4 ", 4),
                                         ("#hashtag", None), ("Option two", None), ("I'll pick #2", None)])
def test_option_picks_are_recognised_and_everything_else_is_text(raw: str, option: int | None) -> None:
    assert rh.parse_reply(raw, "f:1").option == option


def test_option_zero_is_refused_with_its_place() -> None:
    with pytest.raises(rh.RehearsalError, match=r"f:7: there is no option 0"):
        rh.parse_reply("#0", "f:7")


def test_a_text_file_gives_one_reply_per_line_with_line_numbers(tmp_path: Path) -> None:
    path = tmp_path / "replies.txt"
    path.write_text("I'm here because of the referral.\n\n#2\n", encoding="utf-8")
    replies = rh.read_replies(path)
    assert [(r.text, r.option, r.where) for r in replies] == [
        ("I'm here because of the referral.", None, f"{path}:1"),
        ("#2", 2, f"{path}:3"),
    ]


def test_a_yaml_file_can_be_a_list_or_a_mapping_with_replies(tmp_path: Path) -> None:
    listed = tmp_path / "a.yaml"
    listed.write_text("- hello\n- '#1'\n", encoding="utf-8")
    mapped = tmp_path / "b.yml"
    mapped.write_text("replies:\n  - hello\n  - option 1\n", encoding="utf-8")
    assert [r.option for r in rh.read_replies(listed)] == [None, 1]
    assert [r.option for r in rh.read_replies(mapped)] == [None, 1]
    assert rh.read_replies(mapped)[1].where == f"{mapped}:3"


@pytest.mark.parametrize("content, message", [
    ("- true\n", r"a.yaml:1: YAML read this reply as true; put it in quotes"),
    ("- hello\n- 2\n", r"a.yaml:2: a bare number is not a reply; write '#2'"),
    ("- [unclosed\n", r"a.yaml:2:1: not valid YAML"),
    ("just: a mapping\n", r"must be a list of replies"),
])
def test_yaml_mistakes_are_explained_at_their_line(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "a.yaml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(rh.RehearsalError, match=message):
        rh.read_replies(path)


def test_missing_and_empty_replies_files_say_so(tmp_path: Path) -> None:
    with pytest.raises(rh.RehearsalError, match="no such file"):
        rh.read_replies(tmp_path / "nope.txt")
    empty = tmp_path / "empty.txt"
    empty.write_text("\n  \n", encoding="utf-8")
    with pytest.raises(rh.RehearsalError, match="no replies"):
        rh.read_replies(empty)


# --- playing -------------------------------------------------------------------------------------------


def test_play_follows_the_engine_and_records_scores_cues_and_rules(rehearser: rh.Rehearser) -> None:
    played = rehearser.play([reply("I'm here because of the referral."),
                             reply("I can't promise that; I'd tell my manager.", 2)])
    assert played.path == ["start", "middle", "end_good"]
    assert played.ending is not None and played.ending.ending.outcome.value == "built"
    first, second = played.turns
    assert first.present() == ["purpose"] and first.rule == "response 1" and first.variables["trust"] == 6
    assert second.cues == ["names_manager"] and second.present() == ["boundaries"]


def test_option_picks_play_the_option_text(rehearser: rh.Rehearser) -> None:
    played = rehearser.play([reply("#1"), reply("I promise.")])
    assert played.turns[0].reply == "I'm here because of the referral." and played.turns[0].rule == "option 1"
    assert played.ending is not None and played.ending.node == "end_crossed"


def test_an_option_without_goto_is_scored_through_the_responses(rehearser: rh.Rehearser) -> None:
    played = rehearser.play([reply("#2")])
    assert played.turns[0].rule == "default" and played.last_node == "end_bad"


def test_replies_left_after_the_ending_are_counted(rehearser: rh.Rehearser) -> None:
    played = rehearser.play([reply("hi"), reply("more", 2), reply("and more", 3)])
    assert played.last_node == "end_bad" and played.unused == 2


def test_running_out_of_replies_leaves_no_ending(rehearser: rh.Rehearser) -> None:
    played = rehearser.play([reply("#1")])
    assert played.ending is None and played.last_node == "middle"
    assert "No ending: the replies ran out at 'middle'" in rh.format_played(played)


def test_an_impossible_pick_names_the_reply_and_the_node(rehearser: rh.Rehearser) -> None:
    with pytest.raises(rh.RehearsalError, match=r"replies.txt:1: there is no option 5 at 'start' \(it has 2"):
        rehearser.play([reply("#5")])
    with pytest.raises(rh.RehearsalError, match=r"replies.txt:2: '#1' picks an option, but at 'middle'"):
        rehearser.play([reply("#1"), reply("#1", 2)])


def test_assessments_are_cached_per_reply_and_line() -> None:
    scorer = KeywordScorer()
    r = rh.Rehearser(small_scenario(), "small", scorer)
    for _ in range(3):
        r.play([reply("I'm here because of the referral."), reply("I promise.", 2)])
    assert scorer.calls == 2


# --- rehearsal files and --check -------------------------------------------------------------------------


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "small.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_passing_rehearsal_passes(tmp_path: Path, rehearser: rh.Rehearser) -> None:
    (r,) = rh.load_rehearsals(write(tmp_path, (
        "- name: good\n  replies: ['#1', \"I can't promise; I'd tell my manager.\"]\n"
        "  expect_ending: end_good\n  expect_path: [start, middle, end_good]\n")))
    result = rh.check_rehearsal(rehearser, r)
    assert result.ok and rh.format_check(result) == "PASS good -> end_good"


def test_a_changed_path_fails_with_a_diff_and_the_reason(tmp_path: Path, rehearser: rh.Rehearser) -> None:
    (r,) = rh.load_rehearsals(write(tmp_path, (
        "- name: drifted\n  replies: ['#1', 'I promise.']\n"
        "  expect_ending: end_good\n  expect_path: [start, middle, end_good]\n")))
    result = rh.check_rehearsal(rehearser, r)
    text = rh.format_check(result)
    assert not result.ok
    assert f"FAIL drifted ({tmp_path / 'small.yaml'}:1)" in text
    assert "the path differs from step 3" in text
    assert "expected: start > middle > end_good" in text and "actual:   start > middle > end_crossed" in text
    assert "at 'middle' the reply \"I promise.\" scored overstep" in text and "response 1 went to" in text
    assert "ended at 'end_crossed', expected 'end_good'" in text


def test_leftover_replies_and_unknown_ids_fail(tmp_path: Path, rehearser: rh.Rehearser) -> None:
    first, second = rh.load_rehearsals(write(tmp_path, (
        "- name: leftover\n  replies: [hi, again]\n  expect_ending: end_bad\n"
        "- name: typo\n  replies: [hi]\n  expect_ending: end_goo\n  expect_path: [start, midle]\n")))
    assert rh.check_rehearsal(rehearser, first).problems == [
        "1 reply left over after the ending 'end_bad' "
        "(remove them, or the rehearsal is not testing what it says)"
    ]
    problems = rh.check_rehearsal(rehearser, second).problems
    assert "expect_ending 'end_goo' is not an ending of this scenario (did you mean 'end_good'?)" \
        in problems[0]
    assert "expect_path names 'midle', which is not a node (did you mean 'middle'?)" in problems[1]


@pytest.mark.parametrize("text, message", [
    ("- name: a\n  replies: [hi]\n  expect_end: end_bad\n",
     r"small.yaml:3: unknown key 'expect_end'. Did you mean 'expect_ending'\?"),
    ("- name: a\n  replies: [hi]\n", r"small.yaml:1: this rehearsal has no `expect_ending`"),
    ("- name: a\n  replies: [hi]\n  expect_ending: x\n- name: a\n  replies: [hi]\n  expect_ending: x\n",
     r"small.yaml:4: the name 'a' is already used at .*small.yaml:1"),
    ("name: a\n", r"a rehearsal file is a list of rehearsals"),
    ("- name: a\n  replies: [hi]\n  expect_ending: x\n  expect_path: start\n",
     r"`expect_path` must be a list"),
])
def test_rehearsal_file_mistakes_are_reported_at_their_line(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(rh.RehearsalError, match=message):
        rh.load_rehearsals(write(tmp_path, text))


def test_endings_without_a_passing_rehearsal_are_listed(tmp_path: Path, rehearser: rh.Rehearser) -> None:
    (r,) = rh.load_rehearsals(write(tmp_path, "- name: a\n  replies: [hi]\n  expect_ending: end_bad\n"))
    results = [rh.check_rehearsal(rehearser, r)]
    assert rh.uncovered_endings(rehearser.scenario, results) == ["end_good", "end_crossed"]


# --- --explore ---------------------------------------------------------------------------------------------


def test_explore_reaches_every_ending_it_can(rehearser: rh.Rehearser, tmp_path: Path) -> None:
    ex = rx.explore(rehearser)
    assert set(ex.endings_reached) == {"end_good", "end_bad", "end_crossed"}
    assert ex.unreached_nodes == [] and ex.stuck == [] and not ex.truncated
    # the witnesses, printed as a rehearsal file, are rehearsals that pass and cover every ending
    path = tmp_path / "small.yaml"
    path.write_text(rx.format_witnesses(ex), encoding="utf-8")
    results = [rh.check_rehearsal(rehearser, r) for r in rh.load_rehearsals(path)]
    assert len(results) == 3 and all(r.ok for r in results)
    assert rh.uncovered_endings(rehearser.scenario, results) == []


def test_explore_reports_an_unreachable_ending_and_a_loop_with_no_exit() -> None:
    scenario = small_scenario(
        start={"say": "Who are you?", "responses": [{"if": {"signal": "purpose"}, "goto": "middle"},
                                                    {"if": {"signal": "empathy"}, "goto": "loop_a"}],
               "default": {"goto": "end_bad"}},
        loop_a={"say": "Round", "default": {"goto": "loop_b"}},
        loop_b={"say": "and round", "default": {"goto": "loop_a"}},
        end_never={"say": "?", "ending": {"outcome": "partial", "title": "Never", "note": "n"}},
        unused={"say": "?", "responses": [{"if": {"var": "trust", "min": 11}, "goto": "end_never"}],
                "default": {"goto": "end_bad"}},
    )
    ex = rx.explore(rh.Rehearser(scenario, "loops", KeywordScorer()))
    assert ex.unreached_endings == ["end_never"] and "unused" in ex.unreached_nodes
    assert ex.stuck == ["loop_a", "loop_b"]
    report = rx.format_exploration(ex)
    assert "Endings never reached: end_never" in report and "Loops with no exit: loop_a, loop_b" in report


def _round_and_round(bounded: bool) -> Scenario:
    """'ask' and 'tell' send a student back and forth, each with a way out; `bounded` counts the rounds
    and leads out on the second, as doorstep-example does with `put_off`."""
    back: dict[str, Any] = {"goto": "ask", "effects": {"rounds": 1} if bounded else {}}
    ask_rules: list[dict[str, Any]] = [{"if": {"signal": "purpose"}, "goto": "tell"}]
    if bounded:
        ask_rules.insert(0, {"if": {"var": "rounds", "min": 1}, "goto": "end_bad"})
    scenario = small_scenario(
        start={"say": "Who are you?", "responses": [{"if": {"signal": "empathy"}, "goto": "ask"}],
               "default": {"goto": "end_bad"}},
        ask={"say": "What happens now?", "responses": ask_rules, "default": {"goto": "end_bad"}},
        tell={"say": "I've not told anyone that.",
              "responses": [{"if": {"signal": "boundaries"}, "goto": "end_good"}], "default": back},
        middle={"say": "unused", "default": {"goto": "end_bad"}},
    )
    return scenario.model_copy(update={"variables": {"rounds": 0}}) if bounded else scenario


def test_explore_names_a_loop_a_student_can_go_round_without_limit() -> None:
    ex = rx.explore(rh.Rehearser(_round_and_round(bounded=False), "round", KeywordScorer()))
    assert ex.stuck == [] and ex.cycles == [["ask", "tell", "ask"]]
    report = rx.format_exploration(ex)
    assert "Loops with no exit: none" in report
    assert "Loops a student can go round without limit (the same lines again): ask > tell > ask" in report


def test_explore_finds_no_loop_when_a_variable_counts_the_rounds_and_leads_out() -> None:
    ex = rx.explore(rh.Rehearser(_round_and_round(bounded=True), "round", KeywordScorer()))
    assert ex.cycles == [] and {"end_good", "end_bad"} <= set(ex.endings_reached)
    report = rx.format_exploration(ex)
    assert "Loops a student can go round without limit (the same lines again): none" in report


def test_explore_a_node_that_sends_a_student_back_to_itself_is_a_loop() -> None:
    again = {"say": "Sorry?", "responses": [{"if": {"signal": "purpose"}, "goto": "end_good"}],
             "default": {"goto": "again"}}
    scenario = small_scenario(start={"say": "Who are you?", "default": {"goto": "again"}}, again=again)
    ex = rx.explore(rh.Rehearser(scenario, "again", KeywordScorer()))
    assert ex.cycles == [["again", "again"]]


def _with_disclosure(rule: dict[str, Any]) -> Scenario:
    """The small scenario with a disclosure of risk at 'middle' whose safe reply names the manager."""
    middle = {
        "say": "My kids are alone at night.",
        "risk": {"disclosure": "children alone overnight", "safe_reply": ["names_manager"]},
        "responses": [{"if": {"signal": "overstep"}, "goto": "end_crossed"},
                      {"if": rule, "goto": "end_good"}],
        "default": {"goto": "end_bad"},
    }
    return small_scenario(middle=middle)


def test_explore_reports_a_built_ending_reached_by_warmth_alone_with_its_replies() -> None:
    ex = rx.explore(rh.Rehearser(_with_disclosure({"signal": "empathy"}), "risky", KeywordScorer()))
    ((risk_node, ending), (nodes, replies)), *_ = ex.unsafe.items()
    assert (risk_node, ending) == ("middle", "end_good") and nodes == ["start", "middle", "end_good"]
    assert "sounds like" in replies[-1].lower() and "my manager" not in replies[-1].lower()
    report = rx.format_exploration(ex)
    assert "Built without acting on a disclosure: after 'middle', end_good (built)" in report
    assert "start > middle > end_good" in report


def test_explore_finds_no_unsafe_route_when_built_needs_the_safe_reply() -> None:
    rule = {"all": [{"signal": "empathy"}, {"cue": "names_manager"}]}
    ex = rx.explore(rh.Rehearser(_with_disclosure(rule), "safe", KeywordScorer()))
    assert "end_good" in ex.endings_reached and ex.unsafe == {}
    assert "Built without acting on a disclosure (middle): never" in rx.format_exploration(ex)


def test_explore_stops_at_its_bound_and_says_so(rehearser: rh.Rehearser) -> None:
    ex = rx.explore(rehearser, max_states=2)
    assert ex.truncated and ex.states == 2
    assert "stopped at the bound" in rx.format_exploration(ex)


def test_cue_replies_are_only_tried_where_a_cue_decides_something() -> None:
    scenario = small_scenario()
    assert rx.cues_deciding(scenario, "middle") == ["names_manager"]
    assert rx.cues_deciding(scenario, "start") == []
    assert any(t.startswith("About my manager:") for t in rx.candidate_replies(scenario, "middle"))
    assert not any(t.startswith("About my manager:") for t in rx.candidate_replies(scenario, "start"))


# --- the canned replies, with the real scorer ------------------------------------------------------------


@pytest.fixture(scope="module")
def scorer() -> rh.Assessor:
    return rh.load_scorer()


@pytest.mark.parametrize("context", [None, "I don't know why you're here. Nobody tells me anything."])
def test_each_canned_reply_shows_its_signal_to_the_real_scorer(
    scorer: rh.Assessor, context: str | None
) -> None:
    items = [(text, context) for text in rh.CANNED_REPLIES.values()]
    results = dict(zip(rh.CANNED_REPLIES, scorer.assess_many(items), strict=True))
    for signal, assessment in results.items():
        present = assessment.present()
        if signal == rh.NEUTRAL:
            assert present == [], f"the neutral reply scored {present}"
        else:
            assert signal in present, f"the canned {signal} reply scored {assessment.scores}"


# --- the CLI -----------------------------------------------------------------------------------------------

runner = CliRunner()


def test_cli_plays_a_replies_file_and_prints_path_signals_and_ending(tmp_path: Path) -> None:
    replies = tmp_path / "r.txt"
    replies.write_text("Hi, can I come in?\nI'd rather explain inside.\n", encoding="utf-8")
    result = runner.invoke(app, ["rehearse", "doorstep-example", "--replies", str(replies)])
    assert result.exit_code == 0, result.output
    assert "Path: doorstep > wary > asked_to_leave" in result.stdout
    assert "Ending: asked_to_leave (broke_down)" in result.stdout
    assert "scores: empathy" in result.stdout and "default -> wary" in result.stdout


def test_cli_check_fails_with_exit_1_and_a_diff(tmp_path: Path) -> None:
    source = Path(__file__).resolve().parent.parent / "scenarios" / "doorstep-example.yaml"
    scenario = tmp_path / "doorstep-example.yaml"
    scenario.write_text(source.read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "rehearsals").mkdir()
    (tmp_path / "rehearsals" / "doorstep-example.yaml").write_text(
        "- name: wrong on purpose\n  replies: ['Hi, can I come in?', \"I'd rather explain inside.\"]\n"
        "  expect_ending: agreed_plan\n  expect_path: [doorstep, invited_in, agreed_plan]\n",
        encoding="utf-8")
    result = runner.invoke(app, ["rehearse", "--check", str(scenario)])
    assert result.exit_code == 1
    assert "FAIL wrong on purpose" in result.stdout and "the path differs from step 2" in result.stdout
    assert "FAIL no passing rehearsal reaches: promised_secret, agreed_plan, asked_to_leave" in result.stdout


def test_cli_check_reports_a_missing_rehearsal_file(tmp_path: Path) -> None:
    source = Path(__file__).resolve().parent.parent / "scenarios" / "doorstep-example.yaml"
    scenario = tmp_path / "mine.yaml"
    scenario.write_text(source.read_text(encoding="utf-8"), encoding="utf-8")
    result = runner.invoke(app, ["rehearse", "--check", str(scenario)])
    assert result.exit_code == 1 and "FAIL no rehearsal file: write" in result.stdout


LOOPING = """\
schema_version: 1
title: Round and round
summary: S
setting: S
objectives: [o]
service_user: {name: N, situation: s, wants: w, fears: f}
start: ask
nodes:
  ask:
    say: Just tell me straight, what happens now?
    responses:
      - if: {signal: purpose}
        goto: tell
    default: {goto: end_bad}
  tell:
    say: Some weeks I skip meals. I've not told anyone that.
    responses:
      - if: {signal: boundaries}
        goto: end_good
    default: {goto: ask}
  end_good:
    say: Come back Thursday.
    ending: {outcome: built, title: Good, note: n}
  end_bad:
    say: Go.
    ending: {outcome: broke_down, title: Bad, note: n}
"""


def test_cli_explore_fails_on_a_loop_a_student_can_go_round_and_names_it(tmp_path: Path) -> None:
    path = tmp_path / "looping.yaml"
    path.write_text(LOOPING, encoding="utf-8")
    result = runner.invoke(app, ["rehearse", "--explore", str(path)])
    assert result.exit_code == 1, result.output
    assert "Loops with no exit: none" in result.stdout
    assert ("Loops a student can go round without limit (the same lines again): ask > tell > ask"
            in result.stdout)


@pytest.mark.parametrize("args, message", [
    (["rehearse", "doorstep-example"], "give exactly one of --replies FILE, --check or --explore"),
    (["rehearse", "--check", "--explore"], "you gave --check and --explore"),
    (["rehearse", "--replies", "r.txt"], "--replies plays one scenario"),
    (["rehearse", "no-such-scenario", "--check"],
     "no scenario file or bundled scenario called 'no-such-scenario'"),
])
def test_cli_usage_mistakes_exit_2_with_a_message(args: list[str], message: str) -> None:
    result = runner.invoke(app, args)
    assert result.exit_code == 2 and message in result.stderr
    assert "Traceback" not in result.output


def test_cli_bad_replies_file_exits_2_naming_the_line(tmp_path: Path) -> None:
    replies = tmp_path / "r.yaml"
    replies.write_text("- hello\n- 3\n", encoding="utf-8")
    result = runner.invoke(app, ["rehearse", "doorstep-example", "--replies", str(replies)])
    assert result.exit_code == 2 and f"{replies}:2: a bare number is not a reply" in result.stderr
    picks = tmp_path / "p.txt"
    picks.write_text("#7\n", encoding="utf-8")
    result = runner.invoke(app, ["rehearse", "doorstep-example", "--replies", str(picks)])
    assert result.exit_code == 2
    assert f"{picks}:1: '#7' picks an option, but at 'doorstep' the learner types a reply" in result.stderr


def test_a_cue_the_scorer_cannot_compile_fails_the_check_without_a_traceback(tmp_path: Path) -> None:
    source = Path(__file__).resolve().parent.parent / "scenarios" / "doorstep-example.yaml"
    text = source.read_text(encoding="utf-8")
    assert "\ncues:\n" in text
    broken = "\ncues:\n  broken:\n    patterns:\n      - [{NOT_AN_ATTRIBUTE: x}]\n"
    text = text.replace("\ncues:\n", broken, 1)
    scenario = tmp_path / "broken-cue.yaml"
    scenario.write_text(text, encoding="utf-8")
    result = runner.invoke(app, ["rehearse", "--explore", str(scenario)])
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "FAIL broken-cue: cue 'broken' > patterns 1" in result.stdout


def test_explore_fails_a_scenario_where_warmth_alone_reaches_built(tmp_path: Path) -> None:
    fixture = Path(__file__).resolve().parent / "fixtures" / "bad" / "SCN050.yaml"
    result = runner.invoke(app, ["rehearse", "--explore", str(fixture)])
    assert result.exit_code == 1
    assert "Built without acting on a disclosure: after 'told', good (built)" in result.stdout
    assert ("1 with unreachable endings, loops with no exit or no limit, or a built ending without acting"
            in result.stderr)


def test_a_line_said_by_someone_else_is_shown_with_their_name() -> None:
    scenario = small_scenario()
    start = scenario.nodes["start"].model_copy(update={"speaker": "Minh (Lan's son)"})
    scenario = scenario.model_copy(update={"nodes": {**scenario.nodes, "start": start}})
    played = rh.Rehearser(scenario, "small", KeywordScorer()).play([reply("#1"), reply("I promise.")])
    shown = rh.format_played(played).splitlines()
    assert " 1. [start] Minh: Who are you?" in shown
    assert " 2. [middle] Will you keep a secret?" in shown  # the service user's own line, as before
