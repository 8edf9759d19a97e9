"""The debrief computation: scores, the rating gap, missed-moment rules, suggestions, self-assessment."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from pydantic import ValidationError

from tests.test_debrief_fixtures import (
    DOOR,
    FEAR,
    G1,
    G2,
    GIFT,
    R2,
    SCENARIO_DATA,
    assess,
    ev,
    exchange,
    good_run,
    poor_run,
    run,
    scenario,
)
from trainer.debrief.compute import compute_debrief
from trainer.debrief.model import Debrief
from trainer.debrief.rules import feeling_words
from trainer.debrief.selfassess import DESCRIPTORS, SKILLS, SelfAssessment
from trainer.scenario.schema import Scenario

RATED = SelfAssessment(
    ratings={"empathy": 4, "purpose": 3, "boundaries": 5}, service_user="Scared", self_="Awkward"
)


def rules(debrief: Debrief) -> list[tuple[str, int | None]]:
    return [(m.rule, m.reply) for m in debrief.missed]


# --- scores and the gap ------------------------------------------------------------------------------


def test_poor_run_scores_zero_and_says_the_rating_is_higher_than_the_replies():
    d = compute_debrief(scenario(), poor_run(), RATED)
    assert d.session_scores() == {"empathy": 0.0, "purpose": 0.0, "boundaries": 0.0, "miti_advice": 0.0}
    boundaries = d.skill("boundaries")
    assert boundaries.rating == 5 and boundaries.against == 1
    assert boundaries.gap.startswith("You rated your boundaries 5; reply 3 overstepped")
    assert "higher than your replies show" in boundaries.gap
    assert "you offered sympathy instead" in d.skill("empathy").gap


def test_good_run_scores_follow_the_documented_definitions():
    d = compute_debrief(scenario(), good_run(), RATED)
    # empathy: the one disclosure (fear) reflected; purpose: four of Moss's five parts (not how long);
    # boundaries: the one test of the frame (the tenner) met with the frame stated
    assert d.session_scores() == {"empathy": 1.0, "purpose": 0.8, "boundaries": 1.0, "miti_complex": 0.5,
                                  "miti_advice": 0.0}
    assert [s.level for s in d.skills] == [5, 4, 5]
    assert d.skill("purpose").parts == {"who": 1, "why": 1, "achieve": 1, "how_long": None, "next": 3}
    assert "close to what your replies show" in d.skill("empathy").gap


def test_underrating_is_said_too():
    sa = SelfAssessment(ratings={"purpose": 1})
    gap = compute_debrief(scenario(), good_run(), sa).skill("purpose").gap
    assert "more than you gave yourself credit for" in gap


def test_sympathy_counts_against_empathy_even_beside_it():
    text = "It sounds like you're scared, and I'm so sorry."
    state = exchange(FEAR, text, assess(text, "empathy", "sympathy"))
    empathy = compute_debrief(scenario(), state).skill("empathy")
    # at a moment of disclosure, sympathy beside a reflection halves it; with no clean reflection anywhere
    # the session's empathy stays at 2 of 5 or below
    assert (empathy.shown, empathy.against, empathy.score) == (1, 1, 0.25)
    assert empathy.moments[0].verdict == "you reflected it, but also offered sympathy"


def test_per_turn_series_carries_each_reply_and_its_counter_signal():
    empathy = compute_debrief(scenario(), poor_run()).skill("empathy")
    series = [(p.reply, p.score, p.counter) for p in empathy.series]
    assert series == [(1, 0.1, 0.1), (2, 0.1, 0.9), (3, 0.1, 0.1)]
    assert compute_debrief(scenario(), poor_run()).skill("purpose").series[0].counter is None


def test_no_replies_gives_no_level_and_says_so():
    state = run([("service_user", "door", DOOR, None)], node="door", finished=False)
    d = compute_debrief(scenario(), state, RATED)
    assert all(s.level is None and s.score == 0.0 for s in d.skills)
    assert "there were no replies to score" in d.skill("empathy").gap
    assert d.outcome.finished is False and "stopped before" in (d.outcome.note or "")


# --- self-assessment -----------------------------------------------------------------------------------


def test_skipped_self_assessment_is_recorded_and_said():
    d = compute_debrief(scenario(), good_run(), SelfAssessment.skip())
    assert d.skipped == ["the whole self-assessment"]
    assert all(s.rating is None for s in d.skills)
    assert d.skill("purpose").gap.startswith("You skipped the self-assessment;")
    assert "use-of-self" in [s.id for s in d.suggestions]


def test_partly_skipped_self_assessment_names_what_was_skipped():
    sa = SelfAssessment(ratings={"empathy": 3, "boundaries": None}, service_user="  ", self_="Nervous")
    d = compute_debrief(scenario(), good_run(), sa)
    assert d.skipped == ["the purpose-setting rating", "the boundaries rating",
                         "what was happening for the service user"]
    assert d.skill("boundaries").gap.startswith("You did not rate your boundaries;")
    assert d.reflections == {"service_user": None, "self": "Nervous"}


@pytest.mark.parametrize("ratings", [{"empathy": 6}, {"empathy": 0}, {"kindness": 3}])
def test_self_assessment_refuses_out_of_range_or_unknown_ratings(ratings):
    with pytest.raises(ValidationError):
        SelfAssessment(ratings=ratings)


def test_every_skill_has_five_descriptors():
    assert set(DESCRIPTORS) == set(SKILLS)
    assert all(sorted(levels) == [1, 2, 3, 4, 5] and all(levels.values()) for levels in DESCRIPTORS.values())


# --- outcome -------------------------------------------------------------------------------------------


def test_outcome_is_the_ending_reached_with_the_authors_note():
    outcome = compute_debrief(scenario(), poor_run()).outcome
    assert (outcome.title, outcome.outcome) == ("Money changed hands", "boundary_crossed")
    assert outcome.note and "always wrong" in outcome.note


def test_without_the_scenario_the_debrief_still_works_and_says_what_is_missing():
    d = compute_debrief(None, poor_run())
    assert d.outcome.title is None and d.service_user is None
    assert {r for r, _ in rules(d)} == {"overstep", "feeling-unanswered", "no-purpose"}
    assert any("not available" in n for n in d.notes)


# --- missed-moment rules -------------------------------------------------------------------------------


def test_poor_run_finds_each_rule_at_its_reply():
    assert rules(compute_debrief(scenario(), poor_run())) == [
        ("expected-signal", 1),
        ("expected-signal", 2),
        ("overstep", 3),
        ("no-purpose", 3),
        ("cue-missed", None),
    ]


def test_good_run_has_no_missed_moments_and_a_single_keep_going_suggestion():
    d = compute_debrief(scenario(), good_run(), RATED)
    assert d.missed == []
    assert [s.id for s in d.suggestions] == ["keep-practising"]


def test_expected_signal_quotes_the_line_as_said_and_shows_the_model_answer():
    moment = compute_debrief(scenario(), poor_run()).missed[1]
    expected = f"Sarah said \u201c{FEAR}\u201d and reply 2 did not reflect what Sarah felt or meant."
    assert moment.message == expected
    assert moment.quoted
    assert moment.said == FEAR and moment.reply_text == R2
    assert moment.model_answers == SCENARIO_DATA["nodes"]["fear"]["model_answers"]
    assert moment.signals == ["empathy"]


def test_messages_leave_stage_directions_out_of_quotes_and_join_several_lacks():
    said = "(The chain stays on.) Tell me who sent you. (She glares.)"
    state = exchange(said, "Hello.", assess("Hello."), node="door")
    data = {**SCENARIO_DATA, "nodes": {**SCENARIO_DATA["nodes"], "door": {**SCENARIO_DATA["nodes"]["door"],
                                                                           "expect": ["purpose", "empathy"]}}}
    moment = compute_debrief(Scenario.model_validate(data), state).missed[0]
    assert moment.message == (
        "Sarah said \u201cTell me who sent you.\u201d and reply 1 did not say why you were there or what "
        "happens next, or reflect what Sarah felt or meant."
    )
    assert moment.said == said


def test_no_purpose_fires_after_three_replies_and_names_a_late_purpose():
    late = "I'm here because the school called us."
    state = run([
        ("service_user", "door", DOOR, None), ("learner", "door", "Hello.", assess("Hello.")),
        ("service_user", "fear", FEAR, None), ("learner", "fear", "Right.", assess("Right.")),
        ("service_user", "gift", GIFT, None), ("learner", "gift", "No thanks.", assess("No thanks.")),
        ("service_user", "gift", GIFT, None), ("learner", "gift", late, assess(late, "purpose")),
    ], node="gift", finished=False)
    moment = next(m for m in compute_debrief(scenario(), state).missed if m.rule == "no-purpose")
    assert moment.reply == 3 and "you first did at reply 4" in moment.message


def test_no_purpose_does_not_fire_when_purpose_comes_within_three_replies():
    assert "no-purpose" not in {r for r, _ in rules(compute_debrief(scenario(), good_run()))}


def test_no_purpose_fires_when_a_short_meeting_ends_without_it():
    state = run([("service_user", "door", DOOR, None), ("learner", "door", "Hi.", assess("Hi."))],
                node="end_built")
    moment = next(m for m in compute_debrief(scenario(), state).missed if m.rule == "no-purpose")
    assert moment.message.startswith("The meeting ended before")


def test_cue_missed_uses_the_authors_note_and_only_for_cues_with_one():
    missed = [m for m in compute_debrief(scenario(), poor_run()).missed if m.rule == "cue-missed"]
    assert [m.message for m in missed] == [SCENARIO_DATA["cues"]["mentions_school"]["missing_note"]]


def test_overstep_quotes_the_evidence_and_its_reason():
    moment = next(m for m in compute_debrief(scenario(), poor_run()).missed if m.rule == "overstep")
    assert "\u201cI'll take it\u201d: Accepts money" in moment.message
    assert "\u201cI won't tell anyone\u201d: Promises secrecy" in moment.message


def test_feeling_unanswered_on_a_node_without_expect():
    data = {**SCENARIO_DATA, "nodes": {**SCENARIO_DATA["nodes"], "fear": {**SCENARIO_DATA["nodes"]["fear"],
                                                                           "expect": []}}}
    d = compute_debrief(Scenario.model_validate(data), poor_run())
    moment = next(m for m in d.missed if m.rule == "feeling-unanswered")
    assert moment.reply == 2 and "words of feeling or fear (take the kids, scared)" in moment.message


def test_feeling_unanswered_is_not_repeated_where_expected_signal_covers_empathy():
    assert "feeling-unanswered" not in {r for r, _ in rules(compute_debrief(scenario(), poor_run()))}


def test_feeling_unanswered_is_quiet_when_the_reply_shows_empathy():
    state = exchange("I'm so worried.", G2, assess(G2, "empathy"), node="gift")
    assert "feeling-unanswered" not in {r for r, _ in rules(compute_debrief(scenario(), state))}


@pytest.mark.parametrize(
    ("line", "found"),
    [
        ("I'm scared they'll take the kids.", ["scared", "take the kids"]),
        ("I can't   cope with it.", ["can't   cope"]),
        ("Nobody LISTENS to me.", ["Nobody LISTENS"]),
        ("Come in, sit down.", []),
        ("The carer's a sadist? No - he's unafraid.", []),
    ],
)
def test_feeling_heuristic_matches_whole_words(line, found):
    assert feeling_words(line) == found


# --- suggestions ---------------------------------------------------------------------------------------


def test_suggestions_pick_one_per_skill_first():
    ids = [s.id for s in compute_debrief(scenario(), poor_run(), RATED).suggestions]
    # two boundary suggestions apply (secrecy, money) but purpose and empathy get their turn first
    assert ids == ["confidentiality-limits", "state-purpose", "reflect-feeling"]


def test_suggestion_for_friendship_offers():
    text = "Here's my personal number, ring me any time, we can be friends."
    state = run([("service_user", "gift", GIFT, None), ("learner", "gift", G1, assess(G1, "purpose")),
                 ("service_user", "gift", "Will you be my friend?", None),
                 ("learner", "gift", text, assess(text, "overstep", "purpose"))], node="gift", finished=False)
    ids = [s.id for s in compute_debrief(scenario(), state, RATED).suggestions]
    assert ids[0] == "not-a-friend" and 1 <= len(ids) <= 3


# --- evidence and flags ----------------------------------------------------------------------------------


def test_marks_are_checked_against_the_reply_and_repaired_or_dropped():
    bad = [
        {**ev(R2, "I'm so sorry", "sympathy"), "start": 40, "end": 52},  # wrong offsets, findable text
        {"signal": "sympathy", "start": 0, "end": 999, "text": "not in the reply"},  # unfindable
        {"signal": "empathy"},  # no offsets, no text
        "not a mapping",
    ]
    state = exchange(FEAR, R2, assess(R2, "sympathy", evidence=bad))
    marks = compute_debrief(scenario(), state).transcript[1].marks
    assert [(m.start, m.end, m.text) for m in marks] == [(3, 15, "I'm so sorry")]


def test_malformed_scores_do_not_break_the_debrief():
    state = run([("service_user", "fear", FEAR, None),
                 ("learner", "fear", "Hm.", {"scores": {"empathy": "high", "sympathy": True}, "cues": "x"})],
                node="fear", finished=False)
    line = compute_debrief(scenario(), state).transcript[1]
    assert line.present == [] and line.cues == []


def test_flags_are_attached_to_their_reply():
    flag = {"turn": 3, "wrong": ["sympathy"], "missing": ["empathy"], "reason": "I was warm"}
    d = compute_debrief(scenario(), poor_run(), flags=[flag])
    assert [f.reason for f in d.transcript[3].flags] == ["I was warm"]
    assert d.transcript[1].flags == [] and len(d.flags) == 1


def test_debrief_round_trips_through_json():
    d = compute_debrief(scenario(), poor_run(), RATED, learner_name="Alex", session_id=4)
    assert Debrief.model_validate_json(d.model_dump_json(by_alias=True)) == d


# --- layers --------------------------------------------------------------------------------------------


def test_debrief_and_history_import_neither_textual_nor_spacy():
    code = (
        "import sys, trainer.debrief.compute, trainer.debrief.export, trainer.history.store;"
        "bad = [m for m in sys.modules if m.split('.')[0] in ('textual', 'spacy', 'thinc')];"
        "print(bad); sys.exit(1 if bad else 0)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr


# --- placeholders in the service user's lines ------------------------------------------------------------

NAMED = "{learner}, is it? I know what this is. You're going to take the kids off me. I'm scared."


def test_the_service_users_lines_fill_in_the_learners_name_wherever_the_debrief_shows_them():
    from trainer.debrief.export import export

    state = exchange(NAMED, "Hi there, I'm just popping round.", assess("Hi there"), finished=True)
    d = compute_debrief(scenario(), state, learner_name="Alex")
    assert d.transcript[0].text.startswith("Alex, is it? I know")
    assert d.missed and all("{learner" not in m.said for m in d.missed if m.said)
    for fmt in ("md", "html"):
        assert "{learner" not in export(d, fmt) and "Alex, is it?" in export(d, fmt)
    # The raw run state keeps the line as the scenario has it; what the debrief shows is filled.
    shown = json.loads(export(d, "json"))["debrief"]
    assert shown["transcript"][0]["text"].startswith("Alex, is it?")


def test_without_a_recorded_name_the_settings_name_fills_the_placeholder(tmp_path, monkeypatch):
    from trainer.settings import Settings, save_settings

    monkeypatch.setenv("TRAINER_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("TRAINER_CONFIG_DIR", raising=False)
    save_settings(Settings(learner_name="Priya", asked_name=True))
    d = compute_debrief(scenario(), exchange(NAMED, "Hi there.", assess("Hi there")))
    assert d.transcript[0].text.startswith("Priya, is it?")
    monkeypatch.setenv("TRAINER_DATA_DIR", str(tmp_path / "nobody"))
    d = compute_debrief(scenario(), exchange(NAMED, "Hi there.", assess("Hi there")))
    assert "{learner" not in d.transcript[0].text and "Priya" not in d.transcript[0].text
