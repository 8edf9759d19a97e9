"""Coach tips never ask for what the session's replies already did, and the coach note, the debrief and the
missed moments agree on what a reply earned (student tester 7: findings 6, 7 and 8).

The Helen session is the tester's own: replayed with the assessments the scorer gave (the signals present
and the cues matched), and once through the real player and scorer, as a student would see it.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.test_debrief_truth import Turn, play
from trainer.debrief.compute import bundled_scenario, compute_debrief
from trainer.debrief.export import to_markdown
from trainer.debrief.moments import purpose_parts
from trainer.practice.coaching import reply_note
from trainer.scenario.conditions import nodes_testing
from trainer.scenario.risk import edges, phrase_cues

REPO = Path(__file__).resolve().parent.parent
HELEN = "carers-assessment-dementia"
SCENARIOS = sorted(p.stem for p in (REPO / "scenarios").glob("*.yaml"))

R1 = ("oh dont worry about the mess at all!! im from adult social care, its basicaly a chat about how your "
      "coping looking after your dad and what would help you. should take about an hour")
R1_BARE = "hi im sam from adult social care"
R3 = "aw no need to say sorry!! honestly your doing an amazing job, I dont know how you do it"
R4 = ("sorry, that came out wrong - i didnt mean to brush it off. it sounds like you're really ashamed about "
      "shouting at him, and so tired you're at the end of your rope?")
R5 = "dont worry, i wont put that on your file, it can stay between us. everyone loses their temper sometimes"
R6 = " ".join([
    "Helen, I need to be honest with you, I got that wrong a minute ago. I can't keep things off the record;",
    "I write down what we talk about and you can ask to see it. Locking him in at night worries me, because",
    "if there was a fire or he fell he couldn't get out, so I will need to talk to my manager about it",
    "today.",
    "You're not in trouble - you're doing it because you're scared of him getting hurt on the road again,",
    "and that tells me you need more help at night.",
    "Can we look at what would keep him safe without the lock?",
])
R7 = ("thats a really frightening choice to be stuck with every night. for tonight could we look at a door "
      "alarm or a sensor mat so you hear him get up, instead of the lock? I can ring the falls and telecare "
      "team today and see what they can get out to you quickly")
GEORGE = ("(Gently letting go of his hands.) Hello George. I'm here from the council; I'm a social worker - "
          "I've come to see Helen, not for a dance. That's a lovely smile, though. Is your quiz still on?")
R10 = ("I'll write up today's assessment this week and send you a copy, and I'll ring you friday about the "
       "door sensor. Then I'll come back in 2 weeks and we can look at a sitting service")
R9 = ("so your torn between being completley exhausted and the promise u made ur mum - like even one night "
      "of respite would feel like breaking it")


def _helen(first: str = R1) -> list[Turn]:
    """The tester's Helen session, reply by reply, as the scorer assessed it."""
    return [
        ("kitchen", first, ("purpose", "boundaries"), ()),
        ("about_me", R3, ("sympathy",), ()),
        ("saint", R4, ("empathy",), ()),
        ("shouted", R5, ("sympathy", "overstep"), ("keeps_it_off_record",)),
        ("off_record", R6, ("purpose", "boundaries"), ("safeguarding_today",)),
        ("tonight", R7, ("empathy", "purpose"), ("no_lock_tonight",)),
        ("george", GEORGE, ("purpose", "boundaries"), ()),
        ("respite", R9, ("empathy",), ()),
    ]


def _note(turns: list[Turn], reply: int):  # type: ignore[no-untyped-def]
    scenario, state = play(HELEN, turns)
    note = reply_note(scenario, state.transcript, 2 * reply - 1, pronouns="she/her")
    assert note is not None
    return note


def test_the_reply_that_owned_the_off_the_record_slip_is_not_told_to_say_so_now():
    note = _note(_helen(), 5)
    assert "Say so now" not in note.tip and "You agreed to" not in note.tip
    # what the reply left undone of the safe reply, as something to do
    assert note.tip.endswith("make a plan with Helen so that George's door is not locked tonight.")


def test_the_frame_stated_in_the_last_reply_is_not_asked_for_again():
    tip = _note(_helen(), 6).tip
    assert "frame" not in tip
    # the control: in a session that never stated the frame, the same reply is asked for it
    unsaid = [(n, r, tuple(s for s in p if s != "boundaries"), c) for n, r, p, c in _helen()]
    unsaid[3] = ("shouted", R4, ("empathy",), ())
    assert "frame" in _note(unsaid[:6], 6).tip
    # nor when the only reply scored for the frame gave the worker's role, not what stays confidential
    role_only = unsaid[:6]
    role_only[0] = ("kitchen", R1, ("purpose", "boundaries"), ())
    assert "frame" in _note(role_only, 6).tip


def test_why_you_are_here_is_not_asked_for_ten_replies_after_reply_one_said_it():
    assert "why you are here" not in _note(_helen(), 8).tip.lower()
    # after a first reply that gave only who and which agency, the tip still asks for the purpose
    assert _note(_helen(R1_BARE), 8).tip == (
        "You gave back what she felt or meant; now: say why you are here and what you need to achieve "
        "today, then ask what matters to her."
    )


def test_the_purpose_tip_asks_only_for_the_parts_not_yet_said():
    turns = _helen("im sam from adult social care, its a chat about how your coping. it takes about an hour")
    assert _note(turns, 8).tip == (
        "You gave back what she felt or meant; now: say what you need to achieve today and what happens "
        "next, then ask what matters to her."
    )


def test_reply_one_in_student_words_earns_why_and_what_to_achieve_not_the_option_picked_for_george():
    assert purpose_parts(R1) == ["who", "why", "achieve", "how_long"]
    scenario, state = play(HELEN, _helen())
    parts = compute_debrief(scenario, state).skill("purpose").parts
    assert parts["why"] == 1 and parts["achieve"] == 1
    note = reply_note(scenario, state.transcript, 1, pronouns="she/her")
    assert note is not None and "why you are meeting; what you need to achieve" in note.summary()
    # the authored option to George earns no "why you are meeting" in the debrief or in its coach note
    scenario, state = play(HELEN, _helen(R1_BARE))
    assert compute_debrief(scenario, state).skill("purpose").parts["why"] is None
    george = reply_note(scenario, state.transcript, 13, pronouns="she/her")
    assert george is not None and "why you are meeting" not in george.summary()


def test_the_scenario_hears_reply_one_as_about_helen_and_the_debrief_does_not_say_it_never_was():
    scenario, state = play(HELEN, _helen())
    assert "about_her" in phrase_cues(R1, scenario.cues)
    heard = [(n, r, p, (*c, *sorted(phrase_cues(r, scenario.cues) & {"about_her"})))
             for n, r, p, c in _helen()]
    scenario, state = play(HELEN, heard)
    assert "Helen's own needs" not in to_markdown(compute_debrief(scenario, state))


def test_a_minute_ago_is_not_how_long_you_have_nor_a_question_about_his_diagnosis():
    assert "how_long" not in purpose_parts(R6)
    assert purpose_parts("how long has he had the dementia diagnosis for?") == []
    assert purpose_parts("It will take about an hour") == ["how_long"]  # still heard
    note = _note(_helen(), 5)
    assert "how long you have" not in note.summary()


def test_a_conditional_worry_is_not_why_you_are_meeting():
    jade = ("u can tell me. most stuff stays between us but if i was worried ur not safe, or someone else "
            "isnt, i cant keep that secret - id talk to u first about who needs to know tho")
    assert "why" not in purpose_parts(jade)
    assert purpose_parts("the school were worried about you, so I've come to see how things are") == ["why",
                                                                                                       "achieve"]


def test_a_missed_moment_cites_no_risk_before_it_was_disclosed():
    scenario, state = play(HELEN, _helen()[:4])
    moments = [m for m in compute_debrief(scenario, state).missed if m.reply == 4]
    assert moments, "the off-the-record reply is a missed moment"
    text = " ".join(m.message for m in moments).lower()
    assert "you agreed to keep what helen told you out of your notes" in text
    assert "lock" not in text and "door" not in text  # she tells you of the lock only after reply 4


def test_the_tester_session_through_the_real_player(tmp_path: Path):
    replies = [R1, R3, R4, R5, R6, R7, "1", R9, R10, "aww thank you so much helen!!", "/skip"]
    env = {**os.environ, "TRAINER_DATA_DIR": str(tmp_path / "data"), "TRAINER_DB": str(tmp_path / "h.db"),
           "TRAINER_CONFIG_DIR": str(tmp_path / "config")}
    command = [sys.executable, "-m", "trainer", "play", "--plain", HELEN]
    run = subprocess.run(command, input="\n".join(replies), capture_output=True, text=True, cwd=REPO, env=env,
                         timeout=300)
    tips = [line for line in run.stdout.splitlines() if line.startswith("  Tip:")]
    assert len(tips) >= 7, run.stdout + run.stderr
    assert "Say so now" not in tips[4]  # reply 5 owned the slip
    assert "frame" not in tips[5]  # reply 6 stated the frame just before
    assert "why you are here" not in tips[7]  # reply 1 said it
    assert "You never made clear that a carer's assessment is about Helen's own needs" not in run.stdout
    assert "- why you are meeting: reply 1" in run.stdout


def _reachable_avoiding(scenario, start: str, avoid: set[str]) -> set[str]:  # type: ignore[no-untyped-def]
    seen, todo = set(), [start] if start not in avoid else []
    while todo:
        node_id = todo.pop()
        if node_id in seen:
            continue
        seen.add(node_id)
        todo += [e.target for e in edges(scenario.nodes[node_id], scenario.cues)
                 if e.target in scenario.nodes and e.target not in avoid]
    return seen


@pytest.mark.parametrize("scenario_id", SCENARIOS)
def test_no_cue_note_names_a_risk_at_a_moment_it_can_be_heard_before_the_disclosure(scenario_id: str):
    # The general rule behind finding 8: a cue's matched_note is said at the reply that matched it, so at
    # a node the run can reach without passing the disclosure it must not name the disclosed risk.
    scenario = bundled_scenario(scenario_id)
    assert scenario is not None
    risks: dict[str, set[str]] = {}
    for node_id, node in scenario.nodes.items():
        if node.risk is not None:
            risks.setdefault(node.risk.disclosure, set()).add(node_id)
    for cue_id, cue in scenario.cues.items():
        if not cue.matched_note:
            continue
        note = {w.lower() for w in re.findall(r"[A-Za-z]{5,}", cue.matched_note)}
        for disclosure, at in risks.items():
            before = _reachable_avoiding(scenario, scenario.start, at)
            for node_id in nodes_testing(scenario, cue_id):
                if node_id in before and scenario.nodes[node_id].risk is None:
                    # the risk's own words, not the names of the people in it (the note may name them)
                    named = note & {w for w in re.findall(r"[A-Za-z]{5,}", disclosure) if w.islower()}
                    assert not named, f"{cue_id} at {node_id} names {sorted(named)} before '{disclosure}'"
