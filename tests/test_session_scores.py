"""Session scores judged at the moments that called for each skill, the MITI-style summary, and the
properties that keep them honest on every bundled scenario's rehearsals (with the real scorer)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.test_debrief_fixtures import DOOR, FEAR, GIFT, assess, ev, exchange, run, scenario
from trainer.authoring.rehearse import load_rehearsals, rehearsal_file
from trainer.debrief.compute import compute_debrief
from trainer.debrief.moments import PURPOSE_PARTS, disclosure_words, frame_tests, purpose_parts
from trainer.debrief.replay import expected_skills, replay_debrief, session_check
from trainer.debrief.sessionscores import how_many
from trainer.scenario.loader import load_scenario

SCENARIOS = sorted(Path("scenarios").glob("*.yaml"))

ONE_REPLY_PURPOSE = (
    "Hello, I'm Sam, a family support worker from the council. The school asked us to visit because they "
    "were worried about Kai. Today I'd like to understand how things are for you and agree a plan together. "
    "We have about half an hour, and afterwards I'll write to you with what we agreed."
)


# --- the detectors -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "disclosed"),
    [
        ("I'm scared they'll take the kids.", True),
        ("(She looks away.) It's all I've got left of him.", True),
        ("Nobody's asked me that in two years.", True),
        ("Come in, mind the step.", False),
        ("(She is crying, frightened.) Come in.", False),  # stage directions are not what was said
        ("Honestly? Some weeks I skip meals. I've not told anyone that.", True),
        ("Oh, don't be daft. Nobody needs to know.", False),  # an offer pressed, not a disclosure
        ("I can't do Thursday, I've got the dentist.", False),
    ],
)
def test_disclosure_is_found_in_the_service_users_words(line, disclosed):
    assert bool(disclosure_words(line)) is disclosed


@pytest.mark.parametrize(
    ("line", "kinds"),
    [
        ("Can I tell you something and you don't tell Mum?", ["secrecy"]),
        ("Have this tenner for your trouble.", ["gift or money"]),
        ("Are you on Insta? Add me.", ["friendship or contact"]),
        ("Can you just hold my hand a minute?", ["touch"]),
        ("Will you always be there for me, though?", ["availability"]),
        ("He wakes five times a night.", []),
    ],
)
def test_tests_of_the_frame_are_found_by_kind(line, kinds):
    assert frame_tests(line) == kinds


def test_one_reply_can_cover_every_part_of_the_purpose():
    assert purpose_parts(ONE_REPLY_PURPOSE) == list(PURPOSE_PARTS)


def test_purpose_parts_come_from_the_scorers_rule_ids_too():
    evidence = [
        {"signal": "purpose", "source": "rule:time_and_next", "text": "for twenty minutes"},
        {"signal": "purpose", "source": "rule:agenda", "text": "go through"},
    ]
    assert purpose_parts("Shall we go for twenty minutes?", evidence) == ["achieve", "how_long"]


@pytest.mark.parametrize(
    ("reply", "part"),
    [
        ("we've got till the bell, then you're back in maths", "how_long"),
        ("Today I want to get to know you and check how the flat's going", "why"),
        ("im zoe frm the reablement team", "who"),
    ],
)
def test_the_parts_of_the_purpose_are_found_as_students_type_them(reply, part):
    assert part in purpose_parts(reply)


def test_im_sorry_is_not_a_name():
    assert "who" not in purpose_parts("I'm Sorry, I'm Sure it is hard.")


# --- the scores ----------------------------------------------------------------------------------------


def test_a_reply_covering_every_part_gives_five_out_of_five_purpose():
    state = exchange(DOOR, ONE_REPLY_PURPOSE, assess(ONE_REPLY_PURPOSE, "purpose"), node="door")
    purpose = compute_debrief(scenario(), state).skill("purpose")
    assert (purpose.score, purpose.level) == (1.0, 5)
    assert all(reply == 1 for reply in purpose.parts.values())


def test_a_reply_covering_every_part_gives_five_out_of_five_with_the_real_scorer(scorer):
    assessment = scorer.assess(ONE_REPLY_PURPOSE, context=DOOR).as_mapping()
    state = exchange(DOOR, ONE_REPLY_PURPOSE, assessment, node="door")
    assert compute_debrief(scenario(), state).skill("purpose").level == 5


def test_stating_the_purpose_does_not_count_against_empathy():
    # the old formula took empathy as the share of all replies, so a purpose reply halved it
    g1 = "I'm Alex from children's services; the school asked us to visit."
    g2 = "It sounds like you're frightened this means losing the kids."
    state = run(
        [
            ("service_user", "door", DOOR, None),
            ("learner", "door", g1, assess(g1, "purpose")),
            ("service_user", "fear", FEAR, None),
            ("learner", "fear", g2, assess(g2, "empathy")),
        ],
        node="fear",
        finished=False,
    )
    empathy = compute_debrief(scenario(), state).skill("empathy")
    assert empathy.score == 1.0
    assert [(m.reply, m.verdict) for m in empathy.moments] == [(2, "you reflected it")]


def test_sympathy_away_from_a_disclosure_is_noted_not_counted():
    text = "Sorry, could you say that again? I'm so sorry to keep you."
    state = exchange(DOOR, text, assess(text, "sympathy"), node="door")
    empathy = compute_debrief(scenario(), state).skill("empathy")
    assert empathy.moments == []
    assert empathy.noted == [
        "Reply 1 offered sympathy at a moment that was not a disclosure: noted, not counted."
    ]


def test_sympathy_at_a_disclosure_counts_against():
    text = "Oh you poor thing, I'm so sorry."
    state = exchange(FEAR, text, assess(text, "sympathy"))
    empathy = compute_debrief(scenario(), state).skill("empathy")
    assert (empathy.score, empathy.moments[0].verdict) == (0.0, "you offered sympathy instead")


def test_an_overstep_anywhere_keeps_boundaries_at_two_at_most():
    said = "Thanks for coming."
    ok, bad = "I can't take gifts, it's not allowed.", "Here's my personal number, ring me any time."
    state = run(
        [
            ("service_user", "gift", GIFT, None),
            ("learner", "gift", ok, assess(ok, "boundaries")),
            ("service_user", "fear", said, None),
            ("learner", "fear", bad, assess(bad, "overstep")),
        ],
        node="fear",
        finished=False,
    )
    boundaries = compute_debrief(scenario(), state).skill("boundaries")
    assert boundaries.level == 2
    assert [m.reply for m in boundaries.moments] == [1, 2]
    assert "reply 2 overstepped" in boundaries.facts


@pytest.mark.parametrize(
    ("k", "n", "words"),
    [
        (0, 2, "neither of your two replies"),
        (2, 2, "both of your replies"),
        (0, 3, "none of your three replies"),
        (3, 3, "all three of your replies"),
        (1, 4, "one of your four replies"),
        (1, 1, "your one reply"),
    ],
)
def test_counts_read_right(k, n, words):
    assert how_many(k, n, "reply") == words


# --- MITI ----------------------------------------------------------------------------------------------


def _acts(*labels: str) -> list[dict[str, Any]]:
    return [{"act": label, "start": 0, "end": 1, "text": "x", "confidence": 0.9} for label in labels]


def test_miti_summary_uses_the_acts_when_every_reply_has_them():
    text = "So you're worried. You feel it's your fault. What happened next? You should ring the GP."
    mapping = assess(text, "empathy") | {
        "acts": _acts("reflection_simple", "reflection_complex", "question_open", "advice")
    }
    miti = compute_debrief(scenario(), exchange(FEAR, text, mapping)).miti
    assert miti is not None and miti.source == "acts"
    assert (miti.reflections, miti.complex_reflections, miti.questions, miti.advice_without_permission) == (
        2,
        1,
        1,
        1,
    )
    rq, complex_, advice = miti.measures
    assert (rq.shown, rq.band) == ("2 reflections to 1 question (2.0:1)", "good")
    assert (complex_.shown, complex_.band) == ("50% (1 of 2)", "good")
    assert advice.shown == "1 time"
    assert "MITI 4.2.1" in miti.citation and "fair 1:1, good 2:1" in miti.citation


def test_miti_summary_falls_back_to_the_signals_without_acts():
    text = "It sounds like you're frightened of losing them. Is that right? What did the school say?"
    miti = compute_debrief(scenario(), exchange(FEAR, text, assess(text, "empathy"))).miti
    assert miti is not None and miti.source == "signals"
    # one reflection, complex (it names "frightened", which Sarah did not say); one real question (the
    # check-back "Is that right?" is not counted as one)
    assert (miti.reflections, miti.complex_reflections, miti.questions) == (1, 1, 1)
    assert miti.measures[0].band == "fair"


def test_one_reply_counts_each_miti_code_at_most_once_however_long():
    # A tester's 10,000-character paste was 74 reflections; a reply is one turn (trainer.debrief.miti).
    text = "You feel it's your fault. What happened? You should ring the GP. " * 150
    acts = ["reflection_simple"] * 10 + ["reflection_complex"] * 74 + ["question_open", "question_closed"] * 9
    mapping = assess(text, "empathy") | {"acts": _acts(*acts, *["advice"] * 30)}
    miti = compute_debrief(scenario(), exchange(FEAR, text, mapping)).miti
    assert miti is not None and miti.source == "acts"
    assert (miti.reflections, miti.complex_reflections, miti.questions, miti.advice_without_permission) == (
        2, 1, 1, 1
    )
    assert "at most once in a reply" in miti.note
    # From the signals, too: several questions or pieces of advice in one reply are one of each.
    text = "It sounds like you're frightened. What did the school say? And Kai? You should rest. You must go."
    miti = compute_debrief(scenario(), exchange(FEAR, text, assess(text, "empathy"))).miti
    assert miti is not None and miti.source == "signals"
    assert (miti.reflections, miti.questions, miti.advice_without_permission) == (1, 1, 1)


def test_advice_after_asking_permission_is_not_counted():
    text = "Would it help if I shared some ideas? You could try the carers' line."
    mapping = assess(text) | {"acts": _acts("structuring", "advice")}
    miti = compute_debrief(scenario(), exchange(FEAR, text, mapping)).miti
    assert miti is not None and miti.advice_without_permission == 0


# --- the properties, on every bundled scenario (real scorer) -------------------------------------------


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.stem)
def test_rehearsals_score_as_their_story_says(path, scorer):
    loaded = load_scenario(path).scenario
    rehearsals = [
        (r.name, r.expect_ending, [(x.text, x.option) for x in r.replies])
        for r in load_rehearsals(rehearsal_file(path))
    ]
    verdicts = session_check(
        loaded, rehearsals, lambda replies: replay_debrief(loaded, path.stem, replies, scorer)
    )
    assert verdicts, "no built rehearsal found"
    assert expected_skills(loaded)
    assert [p for v in verdicts for p in v.problems] == []


def test_evidence_marks_feed_the_purpose_parts():
    text = "We've got until the bell."
    state = exchange(
        DOOR, text, assess(text, "purpose", evidence=[ev(text, "until the bell", "purpose")]), node="door"
    )
    assert compute_debrief(scenario(), state).skill("purpose").parts["how_long"] == 1


def test_the_history_keeps_the_miti_measures_for_the_progress_tab(tmp_path):
    from trainer.debrief.miti import progress_line
    from trainer.history.store import HistoryStore

    text = "It sounds like you're frightened. What did the school say?"
    d = compute_debrief(scenario(), exchange(FEAR, text, assess(text, "empathy")))
    with HistoryStore.open(tmp_path / "h.sqlite3") as store:
        store.save_session(d.run_state, scores=d.session_scores())
        [point] = store.progress()
    assert point.scores["miti_rq"] == 1.0 and point.scores["miti_complex"] == 1.0
    line = progress_line([point.scores, point.scores | {"miti_rq": 2.5}])
    assert (
        line is not None
        and "Reflections per question: latest 2.5:1, first 1.0:1 (MITI 4.2.1 fair 1:1" in line
    )


def test_progress_line_latest_is_the_latest_sessions_own_figure():
    from trainer.debrief.miti import progress_line

    older = {"empathy": 1.0, "miti_rq": 2.0, "miti_complex": 1.0, "miti_advice": 1.0}
    no_reflections = {"empathy": 0.0, "miti_rq": 0.0, "miti_advice": 0.0}
    no_questions = {"empathy": 1.0, "miti_complex": 0.25, "miti_advice": 2.0}
    line = progress_line([older, no_reflections])
    assert line is not None and "Complex reflections: latest" not in line
    assert "Complex reflections: none in the latest session (it had no reflections); 100% in an" in line
    assert "Reflections per question: latest 0.0:1, first 2.0:1" in line
    assert "Advice without asking: 0 in the latest session" in line
    line = progress_line([older, no_questions])
    assert line is not None
    assert "Reflections per question: none in the latest session (it had no questions)" in line
    assert "Complex reflections: latest 25%, first 100%" in line
    # sessions saved before the measures were kept are not "the latest session"
    assert progress_line([older, {"empathy": 0.5}]) == progress_line([older])
    assert progress_line([{"empathy": 0.5}]) is None


def test_rehearse_check_reports_a_built_rehearsal_that_scores_low(scorer):
    from trainer.debrief.replay import session_score_problems

    path = Path("scenarios/doorstep-example.yaml")
    loaded = load_scenario(path).scenario
    rows = [(r.name, r.expect_ending, [(x.text, x.option) for x in r.replies])
            for r in load_rehearsals(rehearsal_file(path))]
    assert session_score_problems(loaded, path.stem, scorer, rows) == []
    # made the first "built" rehearsal, "pity first" must fail: pity at the moment that called for empathy
    pity_first = sorted(rows, key=lambda r: not r[0].startswith("pity first"))
    [problem] = session_score_problems(loaded, path.stem, scorer, pity_first)
    assert problem.startswith("FAIL session scores of 'pity first, purpose rescues it': the built rehearsal")
    assert "on empathy" in problem and "you offered sympathy instead" in problem


def test_trainer_rehearse_check_runs_the_session_score_check(tmp_path):
    import shutil

    from typer.testing import CliRunner

    from trainer.cli import app

    shutil.copy("scenarios/doorstep-example.yaml", tmp_path / "doorstep-example.yaml")
    head, *entries = Path("scenarios/rehearsals/doorstep-example.yaml").read_text().split("\n- name:")
    entries.sort(key=lambda e: not e.startswith(" pity first"))  # pity first becomes the built rehearsal
    (tmp_path / "rehearsals").mkdir()
    (tmp_path / "rehearsals" / "doorstep-example.yaml").write_text("\n- name:".join([head, *entries]))
    result = CliRunner().invoke(app, ["rehearse", "--check", str(tmp_path / "doorstep-example.yaml")])
    assert result.exit_code == 1
    assert "FAIL session scores of 'pity first, purpose rescues it'" in result.stdout


def test_purpose_facts_read_right():
    state = exchange(DOOR, ONE_REPLY_PURPOSE, assess(ONE_REPLY_PURPOSE, "purpose"), node="door")
    facts = compute_debrief(scenario(), state).skill("purpose").facts
    assert facts.startswith("you made clear all five parts: ")
    text = "Hello, I'm Sam from the council."
    state = exchange(DOOR, text, assess(text), node="door")
    facts = compute_debrief(scenario(), state).skill("purpose").facts
    assert facts.startswith("you made clear one of the five parts: who you are and which agency (reply 1)")


def test_the_progress_tab_shows_the_miti_line():
    from datetime import UTC, datetime

    from trainer.history.records import ProgressPoint
    from trainer.tui.history_screen import progress_text

    when = datetime(2026, 11, 20, tzinfo=UTC)
    points = [ProgressPoint(i, when, "s", {"empathy": 0.5, "miti_rq": rq, "miti_complex": 0.3})
              for i, rq in ((1, 0.5), (2, 1.5))]
    text = progress_text(points).plain
    assert ("MITI-style, in s: Reflections per question: latest 1.5:1, first 0.5:1 (MITI 4.2.1 fair 1:1, "
            "good 2:1)") in text
    assert "Complex reflections: latest 30%" in text
    # the first figure is the same scenario's: another scenario's session is no "first" to compare with
    other = [points[0], ProgressPoint(2, when, "t", points[1].scores)]
    text = progress_text(other, {"t": "Cake"}).plain
    assert "MITI-style, in Cake: Reflections per question: latest 1.5:1 (MITI" in text
    assert "first 0.5" not in text


@pytest.mark.parametrize("text, parts", [
    ("hi im priya from housing, im here about the repairs u reported, should take about half an hour",
     ["who", "why", "how_long"]),
    ("um hi, so I'm Priya, from early help, we've got till about quarter past eleven", ["who", "how_long"]),
    ("i'm jo, the school nurse, we've got 20 mins", ["who", "how_long"]),
    ("Hi Dave, it's Nasreen.", ["who"]),
    ("so yeah i'll see u same time next wk", ["next"]),
    ("I'll pop back Thursday and we can look at the forms.", ["next"]),
    ("The plan is we sort out your bus pass and your meds.", ["achieve"]),
    ("By the end of today I'd like us to have a plan for the mornings.", ["achieve"]),  # a goal, not a length
    ("My role is to assess whether you're eligible for support at home.", ["why"]),
    ("A reablement worker will visit each morning for six weeks, starting Monday.", ["next"]),
    ("They'll ring you to book the visit.", ["next"]),
    ("The kids will be fine.", []),
    ("Hi, it's Monday so the office is shut.", []),
    ("I'm Sorry I'm late.", []),
    ("I'm sorry, the bus was late.", []),
    # an agency named as the worker's, with what the visit is about, in chat register
    ("hi sam im alex from adult social care about the rent, half an hour ok?", ["who", "why", "how_long"]),
    ("im ringing about the referral", ["why"]),
    # an agency that is someone else's is not the worker introducing themselves
    ("so when u hear someone from social services at the door it brings all of that back", []),
    ("You got a letter from the council and it frightened you.", []),
    ("when they came from housing it was awful for you", []),
])
def test_purpose_parts_as_students_type_them(text: str, parts: list[str]) -> None:
    assert purpose_parts(text) == parts


@pytest.mark.parametrize("text, said, parts", [
    # their own length of time or "next week", given back, is a reflection, not the meeting's
    ("two hours on the floor, thats so scary", "I was two hours on the floor before anyone came.", []),
    ("Two hours.", "I was two hours on the floor.", []),
    ("every day next week ur at the hospital?", "I'm at the hospital every day next week.", []),
    # the worker's own time, even when their line has the same words
    ("we have two hours today", "I was two hours on the floor.", ["how_long"]),
    ("its just to see what help u might need at home, like after the fall", "Why are you here?", ["achieve"]),
])
def test_purpose_parts_do_not_credit_their_own_words_given_back(
    text: str, said: str, parts: list[str]
) -> None:
    assert purpose_parts(text, said=said) == parts

