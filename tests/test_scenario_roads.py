"""Roads through the bundled scenarios that the student tester (stop 11) found coached or ended wrongly.

Each test plays a rehearsal from scenarios/rehearsals/ through the real engine and scorer and reads what the
learner is shown: the coach's tip at a moment (trainer.practice.coaching), the service user's line, the
ending reached and its line.
"""

from __future__ import annotations

import pytest

from trainer.authoring import rehearse as rh
from trainer.practice.coaching import avoided_notes, coach_note
from trainer.scenario.loader import BUNDLED_DIR, load_scenario


def play(scenario_id: str, rehearsal_name: str, scorer: rh.Assessor) -> rh.Played:
    """The named rehearsal played through the engine (it must reach the ending it expects)."""
    loaded = load_scenario(BUNDLED_DIR / f"{scenario_id}.yaml")
    (rehearsal,) = [r for r in rh.load_rehearsals(rh.rehearsal_file(loaded.path)) if r.name == rehearsal_name]
    played = rh.Rehearser(loaded.scenario, loaded.id, scorer).play(rehearsal.replies)
    assert played.ending is not None and played.ending.node == rehearsal.expect_ending, played.ending
    return played


def coach_tip(scenario_id: str, played: rh.Played, node: str) -> str:
    """The coach's tip under the learner's reply at `node`, as coach mode shows it."""
    scenario = load_scenario(BUNDLED_DIR / f"{scenario_id}.yaml").scenario
    (turn,) = [t for t in played.turns if t.node == node]
    moment = scenario.nodes[node]
    note = coach_note({"scores": turn.scores, "cues": turn.cues}, turn.reply, tip=moment.tip,
                      expect=moment.expect, pronouns=scenario.service_user.pronouns,
                      avoided=avoided_notes(scenario, node, turn.cues))
    return note.tip


# --- F33: interpreter-son-offers, her secret told to her son -------------------------------------------


@pytest.mark.parametrize(
    "rehearsal",
    [
        "overstep - her secret told to her son",
        "her secret told to a warm, worried son: the tip names the breach",
    ],
)
def test_telling_minh_is_coached_as_a_breach_of_her_confidentiality(
    rehearsal: str, scorer: rh.Assessor
) -> None:
    played = play("interpreter-son-offers", rehearsal, scorer)
    tip = coach_tip("interpreter-son-offers", played, "minh_asks")
    assert "breaks her confidentiality" in tip or "steps outside the professional role" in tip, tip
    assert played.ending is not None and played.ending.ending.outcome.value == "boundary_crossed"


# --- F37(a): first-call-phone, why you are calling said to an unknown voice -----------------------------


def test_naming_the_carers_team_to_whoever_answered_goes_to_the_breach(scorer: rh.Assessor) -> None:
    played = play(
        "first-call-phone",
        "the carers' team and the form named to the voice that answered: a breach, not purpose",
        scorer,
    )
    first = played.turns[0]
    assert first.node == "mum_answers" and first.goto == "mum_knows" and "discloses" in first.cues
    assert "breaks the confidence Jordan asked for" in coach_tip("first-call-phone", played, "mum_answers")
    mum = played.turns[1].line
    assert "What's Jordan been saying" in mum and "referral" not in mum.lower(), mum  # no referral was named


def test_the_mum_hears_a_referral_only_when_one_was_named(scorer: rh.Assessor) -> None:
    played = play("first-call-phone", "the reason given to mum", scorer)
    assert "A referral?" in played.turns[1].line


def test_checking_who_answered_costs_no_trust(scorer: rh.Assessor) -> None:
    played = play(
        "first-call-phone", "checking who answered first, saying nothing about why: Jordan rings back", scorer
    )
    first = played.turns[0]
    assert first.goto == "jordan" and "discloses" not in first.cues
    assert first.variables["trust"] == 5


# --- F36: self-neglect-unwise, collusion with the fire risk; a diagnosis and a clearance imposed ----------


@pytest.mark.parametrize(
    "rehearsal",
    [
        "sympathy at the heater, then 'I'll tell them you're managing fine': collusion, not partly there",
        "the heater kept out of it at the heater itself: collusion",
    ],
)
def test_colluding_with_the_fire_risk_ends_as_a_safeguarding_failure(
    rehearsal: str, scorer: rh.Assessor
) -> None:
    played = play("self-neglect-unwise", rehearsal, scorer)
    assert played.ending is not None
    assert played.ending.ending.outcome.value == "boundary_crossed"
    assert "collusion with a risk to his life" in played.ending.ending.note
    assert "Care Act 2014 s42" in played.ending.ending.note


def test_a_diagnosis_and_an_unconsented_clearance_take_his_decisions(scorer: rh.Assessor) -> None:
    played = play(
        "self-neglect-unwise",
        "hoarding called a mental health condition and a clearance company arranged: his decisions taken",
        scorer,
    )
    assert played.ending is not None and played.ending.node == "end_overridden"
    assert "without his agreement" in played.ending.ending.note


# --- F18: hospital-discharge-money, endings true on every road -----------------------------------------


@pytest.mark.parametrize(
    "rehearsal, present, absent",
    [
        ("the tomatoes taken home, then put right with the money: built, and the line says so",
         "Tomatoes for the office", None),
        ("grief heard, team named, gift and money handled", "Joan would've liked you", "Tomatoes"),
        (
            "the tomatoes kept for tea, the money refused: partly there, and he says so",
            "Tomatoes, yes, money, no",
            None,
        ),
        ("right answers, little warmth", "Suit yourself", "Tomatoes"),
    ],
)
def test_arthurs_last_line_says_what_happened_to_the_tomatoes(
    rehearsal: str, present: str, absent: str | None, scorer: rh.Assessor
) -> None:
    played = play("hospital-discharge-money", rehearsal, scorer)
    assert played.ending is not None
    assert present in played.ending.line, played.ending.line
    if absent:
        assert absent not in played.ending.line, played.ending.line


def test_the_built_note_does_not_claim_the_grief_was_heard_or_the_tomatoes_handled() -> None:
    note = load_scenario(BUNDLED_DIR / "hospital-discharge-money.yaml").scenario.nodes["end_built"].ending
    assert note is not None
    assert "handled with judgement" not in note.note and "grief heard under" not in note.note
    assert "the debrief shows which of these you did" in note.note


def test_tomatoes_kept_for_tea_never_end_built(scorer: rh.Assessor) -> None:
    played = play(
        "hospital-discharge-money",
        "the tomatoes kept for tea, the money refused: partly there, and he says so",
        scorer,
    )
    assert played.ending is not None and played.ending.ending.outcome.value == "partial"
    assert played.ending.variables["took_gift"] == 1 and played.ending.variables["put_right"] == 0


# --- F19: hospital-discharge-money, the author's plan states the frame it expects ----------------------


def test_the_authored_plan_states_the_frame_the_moment_expects(scorer: rh.Assessor) -> None:
    scenario = load_scenario(BUNDLED_DIR / "hospital-discharge-money.yaml").scenario
    plan = scenario.nodes["plan"]
    assert "boundaries" in plan.expect
    texts = [plan.options[0].say, *plan.model_answers]
    for text, assessment in zip(texts, scorer.assess_many(texts), strict=True):
        assert assessment.scores["boundaries"] >= 0.5, (text, assessment.scores)
        assert "It won't always be me" in text


# --- F14: carers-assessment-dementia, the locked door left out of the notes ----------------------------


@pytest.mark.parametrize(
    "rehearsal, node",
    [
        ("'i wont put that bit in my notes' at the locked door: off the record", "locks"),
        ("the lock kept out of the notes when she asks about tonight: off the record", "tonight"),
        ("off the record agreed, then the lock kept out of the notes in a reply that sounds like the frame",
         "off_record"),
    ],
)
def test_leaving_the_lock_out_of_the_notes_is_collusion_on_every_road(
    rehearsal: str, node: str, scorer: rh.Assessor
) -> None:
    played = play("carers-assessment-dementia", rehearsal, scorer)
    (turn,) = [t for t in played.turns if t.node == node]
    assert "keeps_it_off_record" in turn.cues  # the cue decides, not a borderline overstep score
    assert played.ending is not None and played.ending.node == "end_off_record"
    assert played.ending.ending.outcome.value == "boundary_crossed"
    note = played.ending.ending.note
    assert "collusion" in note and "s4A" in note and "Care Act 2014" in note


def test_saying_it_cannot_stay_off_the_record_is_not_collusion(scorer: rh.Assessor) -> None:
    played = play("carers-assessment-dementia", "off the record, taken back", scorer)
    assert all("keeps_it_off_record" not in t.cues for t in played.turns if t.node != "shouted")


# --- F32: the wrong child named at the door (s47-hostile-father, parent-learning-disability) ----------


@pytest.mark.parametrize(
    "scenario_id, rehearsal, node, correction, corrected",
    [
        # Mark asks which child only when Oscar was not named.
        ("s47-hostile-father", "the wrong name and the wrong child at the door: Mark asks which child",
         "who_said", "There's only Oscar here", True),
        ("s47-hostile-father", "a threat at the door", "who_said", "There's only Oscar here", False),
        # Naomi says her baby's name only when Amelia was not named.
        ("parent-learning-disability", "the wrong names at the door: Naomi says 'She's Amelia'",
         "nods", "She's Amelia", True),
        ("parent-learning-disability", "plain words, said back, time given, Gary acted on, an easy read plan",
         "nods", "She's Amelia", False),
    ],
)
def test_the_person_puts_a_wrong_name_right_only_when_it_was_wrong(
    scenario_id: str, rehearsal: str, node: str, correction: str, corrected: bool, scorer: rh.Assessor
) -> None:
    played = play(scenario_id, rehearsal, scorer)
    (line,) = [t.line for t in played.turns if t.node == node]
    assert (correction in line) is corrected, line


# --- tester5: doorstep-example, "what happens now?" and the secret told twice ---------------------------


def test_a_short_honest_answer_to_what_happens_now_goes_on_as_the_coach_credits_it(
    scorer: rh.Assessor,
) -> None:
    played = play("doorstep-example", "a short honest answer at 'what happens now?'", scorer)
    scenario = load_scenario(BUNDLED_DIR / "doorstep-example.yaml").scenario
    (turn,) = [t for t in played.turns if t.node == "pity"]
    assert turn.reply == "nothing is decided today, i'll tell you what i write down"
    note = coach_note({"scores": turn.scores, "cues": turn.cues}, turn.reply,
                      expect=scenario.nodes["pity"].expect)
    assert "what happens next" in note.summary()  # the coach credits it ...
    assert turn.goto == "opening_up"  # ... and Marcia goes on, instead of "I think you should go now"
    assert played.ending is not None and played.ending.ending.outcome.value == "built"


@pytest.mark.parametrize(
    "rehearsal",
    ["put off at the secret: Marcia asks what happens now, without 'feeling sorry'",
     "put off twice at the secret: no second time round"],
)
def test_marcia_tells_her_secret_once_and_never_says_a_line_twice(
    rehearsal: str, scorer: rh.Assessor
) -> None:
    played = play("doorstep-example", rehearsal, scorer)
    assert played.ending is not None
    lines = [t.line for t in played.turns] + [played.ending.line]
    assert sum("skip meals so they can eat" in line for line in lines) == 1, lines
    assert len(lines) == len(set(lines)), lines  # no line said word for word again
    assert [t.node for t in played.turns].count("opening_up") == 2


# --- tester7: doorstep-example, an apology for the slip ends the visit at once ---------------------------


def test_owning_the_slip_costs_trust_and_earns_one_more_chance(scorer: rh.Assessor) -> None:
    played = play("doorstep-example", "the slip owned after 'feeling sorry for me': one more chance", scorer)
    pity, again = played.turns[2], played.turns[3]
    assert "I don't want anyone feeling sorry for me" in pity.line
    assert pity.reply == "sorry i didnt mean that how it sounded" and "owns_slip" in pity.cues
    # not "I think you should go now": trust falls by one, and Marcia asks again
    assert pity.goto == "second_chance" and pity.variables["trust"] == played.turns[1].variables["trust"] - 1
    assert again.node == "second_chance" and "What happens now?" in again.line
    assert played.ending is not None and played.ending.ending.outcome.value == "built"
    # the coach, under the apology, says what to do with the chance: answer her plainly
    assert "nothing is decided today" in coach_tip("doorstep-example", played, "pity")


def test_the_slip_is_forgiven_once_and_not_in_more_pity(scorer: rh.Assessor) -> None:
    played = play("doorstep-example", "the slip owned, then no answer: the door closes", scorer)
    assert [t.node for t in played.turns][-2:] == ["pity", "second_chance"]
    assert played.turns[-1].rule == "default"
    played = play("doorstep-example", "more pity in the apology: no second chance", scorer)
    assert "second_chance" not in played.path


# --- tester5: young-carer-online, acting on the overdose in chat register -------------------------------


@pytest.mark.parametrize(
    ("reply", "expected"),
    [
        ("i need to talk to my manager today about getting ur mum some support, and we'll make a plan for "
         "tonight together ok", {"tell_manager_today", "help_for_mum"}),
        ("im gonna speak to my manager 2day so u dont have to do this on ur own", {"tell_manager_today"}),
        ("my manager will help get your mum her own support, like her GP and an assessment for her",
         {"help_for_mum"}),
        ("we can sort out support for ur mum", {"help_for_mum"}),
        ("you help your mum such a lot, and you've been managing on your own", set()),
    ],
)
def test_the_safe_reply_cues_read_chat_register(reply: str, expected: set[str], scorer: rh.Assessor) -> None:
    scenario = load_scenario(BUNDLED_DIR / "young-carer-online.yaml").scenario
    cues = scorer.compile_cues(scenario.cues)
    (assessment,) = scorer.assess_many([(reply, scenario.nodes["secret_told"].say)], cues=cues)
    assert {"tell_manager_today", "help_for_mum"} & set(assessment.cues) == expected


def test_the_testers_reply_at_the_overdose_acts_on_it_and_jade_goes_on(scorer: rh.Assessor) -> None:
    played = play("young-carer-online", "risk: acted on in chat register, in one reply", scorer)
    (turn,) = [t for t in played.turns if t.node == "secret_told"]
    assert turn.goto == "friend_request"
    assert played.ending is not None and played.ending.node == "end_built"
