"""The boundaries score is fair to how students answer a test of the frame (the feeling first, the frame in
the very next reply), and a reflection where the frame needed saying is not praised as if it were all the
moment asked: checked through what the student reads (the skill's facts and moments, the exports, the
missed moments, the coach note)."""

from __future__ import annotations

import copy
import re
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from tests.test_debrief_fixtures import SCENARIO_DATA, assess, run
from trainer.debrief.compute import compute_debrief
from trainer.debrief.export import to_html, to_markdown
from trainer.practice.coaching import reply_note
from trainer.scenario.schema import Scenario

INSTA = "Can I add you on Insta?"
PRESS = "So is that a yes?"
HEARD = "I can hear you'd like to keep in touch after this."
FRAME = "I can't, I'm your social worker, not a friend, and this has to stay professional."
CHAT = "How has school been this week?"
SCHOOL = "School's alright. Maths is boring."


def _scenario(*, insta: list[str], press: list[str], tip: str | None = None) -> Scenario:
    """The fixture scenario with a test of the frame ("Can I add you on Insta?") and the service user
    pressing ("So is that a yes?"), each with the given `expect`."""
    data: dict[str, Any] = copy.deepcopy(SCENARIO_DATA)
    data["nodes"]["insta"] = {"say": INSTA, "expect": insta, "default": {"goto": "press"}}
    if tip:
        data["nodes"]["insta"]["tip"] = tip
    data["nodes"]["press"] = {"say": PRESS, "expect": press, "default": {"goto": "chat"}}
    data["nodes"]["chat"] = {"say": SCHOOL, "default": {"goto": "end_built"}}
    data["nodes"]["door"]["default"] = {"goto": "insta"}
    return Scenario.model_validate(data)


def _run(*replies: tuple[str, str, tuple[str, ...]]) -> Any:
    """A run: each (node, reply, signals present) after that node's line."""
    said = {"door": "Who are you? What do you want?", "insta": INSTA, "press": PRESS, "chat": SCHOOL}
    turns: list[tuple[str, str, str, dict[str, Any] | None]] = []
    for node, reply, present in replies:
        turns.append(("service_user", node, said[node], None))
        turns.append(("learner", node, reply, assess(reply, *present)))
    return run(turns, node=replies[-1][0], finished=False)


OPENING = ("door", "I'm Alex, a student social worker from children's services.", ("purpose",))


# --- 1. the frame stated in the next reply -------------------------------------------------------------


def test_the_frame_stated_in_the_next_reply_earns_the_moment():
    state = _run(OPENING, ("insta", HEARD, ("empathy",)), ("press", FRAME, ("boundaries",)))
    d = compute_debrief(_scenario(insta=[], press=[]), state)
    b = d.skill("boundaries")
    assert (b.score, b.level) == (1.0, 5)
    assert [m.reply for m in b.moments] == [2]
    assert b.moments[0].verdict == "you heard Sarah first and stated the frame in your next reply (reply 3)"
    assert b.facts == ("one moment tested the frame (reply 2) and you heard Sarah first and stated the frame "
                       "in your next reply (reply 3)")
    text = to_markdown(d)
    assert "- Reply 2: Sarah said \u201cCan I add you on Insta?\u201d (a test of the frame: friendship or " \
        "contact) - you heard Sarah first and stated the frame in your next reply (reply 3)." in text
    assert "stated the frame in your next reply (reply 3)" in to_html(d)


def test_the_next_reply_is_not_counted_twice_when_it_was_a_moment_too():
    # the author marks both lines: the pressing line's reply is the frame the first moment asked for
    state = _run(OPENING, ("insta", HEARD, ("empathy",)), ("press", FRAME, ("boundaries",)))
    d = compute_debrief(_scenario(insta=["boundaries"], press=["boundaries"]), state)
    b = d.skill("boundaries")
    assert [m.reply for m in b.moments] == [2]
    assert b.facts.startswith("one moment tested the frame (reply 2)")
    listing = to_markdown(d).split("## ")
    section = next(s for s in listing if "Moments counted" in s and "tested the frame" in s)
    assert "Reply 3:" not in section
    # and no missed moment sends the student back to reply 2 for the frame they said in reply 3
    assert not [m for m in d.missed if m.reply == 2 and "boundaries" in m.signals]


def test_an_overstep_in_the_next_reply_does_not_count_as_stating_the_frame():
    over = "I can't really, but I'll give you my personal number, just don't tell anyone."
    state = _run(OPENING, ("insta", HEARD, ("empathy",)), ("press", over, ("boundaries", "overstep")))
    b = compute_debrief(_scenario(insta=[], press=[]), state).skill("boundaries")
    assert [(m.reply, m.value) for m in b.moments] == [(2, 0.5), (3, 0.0)]
    assert b.level == 2
    assert "stated the frame in your next reply" not in b.facts


def test_only_the_very_next_reply_counts():
    later = ("chat", FRAME, ("boundaries",))
    state = _run(OPENING, ("insta", HEARD, ("empathy",)), ("press", CHAT, ()), later)
    b = compute_debrief(_scenario(insta=[], press=[]), state).skill("boundaries")
    assert [(m.reply, m.value) for m in b.moments] == [(2, 0.5)]
    assert b.level == 3


def test_two_moments_list_where_the_frame_was_said():
    gift = "Have this tenner for your trouble."
    state = run(
        [
            ("service_user", "door", "Who are you? What do you want?", None),
            ("learner", "door", OPENING[1], assess(OPENING[1], "purpose")),
            ("service_user", "insta", INSTA, None),
            ("learner", "insta", HEARD, assess(HEARD, "empathy")),
            ("service_user", "press", PRESS, None),
            ("learner", "press", FRAME, assess(FRAME, "boundaries")),
            ("service_user", "chat", gift, None),
            ("learner", "chat", CHAT, assess(CHAT)),
        ],
        node="chat",
        finished=False,
    )
    b = compute_debrief(_scenario(insta=[], press=[]), state).skill("boundaries")
    assert [m.reply for m in b.moments] == [2, 4]
    assert b.facts == ("two moments tested the frame and you stated it at one of them (reply 2); at reply 2 "
                       "you stated it in your next reply (reply 3)")


# The property: over any session of tests of the frame and replies, each reply is listed at most once
# (as a moment or as the next reply that stated the frame), a moment earns 1 exactly when its reply or the
# very next one stated the frame without overstepping, and saying the frame never lowers the score.

REPLY_KINDS = st.sampled_from([(), ("empathy",), ("boundaries",), ("empathy", "boundaries"), ("overstep",),
                               ("boundaries", "overstep")])
SESSION = st.lists(st.tuples(st.booleans(), REPLY_KINDS), min_size=1, max_size=8)


def _session(moments: list[tuple[bool, tuple[str, ...]]]) -> Any:
    turns: list[tuple[str, str, str, dict[str, Any] | None]] = []
    for i, (tested, present) in enumerate(moments):
        turns.append(("service_user", "chat", INSTA if tested else SCHOOL, None))
        turns.append(("learner", "chat", f"Reply number {i + 1}.", assess("x", *present)))
    return run(turns, node="chat", finished=False)


def _boundaries(moments: list[tuple[bool, tuple[str, ...]]]) -> Any:
    return compute_debrief(_scenario(insta=[], press=[]), _session(moments)).skill("boundaries")


@settings(max_examples=150, deadline=None)
@given(SESSION)
def test_each_reply_is_listed_once_and_credit_follows_the_rule(moments):
    b = _boundaries(moments)
    listed = [m.reply for m in b.moments]
    named = [int(n) for m in b.moments for n in re.findall(r"next reply \(reply (\d+)\)", m.verdict)]
    assert len(set(listed + named)) == len(listed) + len(named)
    for m in b.moments:
        present = moments[m.reply - 1][1]
        after = moments[m.reply][1] if m.reply < len(moments) else None
        states = "boundaries" in present and "overstep" not in present
        next_states = (after is not None and "overstep" not in present and "boundaries" in after
                       and "overstep" not in after)
        assert (m.value == 1.0) == (states or next_states)
        assert ("next reply" in m.verdict) == (m.value == 1.0 and not states)
        assert (m.reply in named) is False
    # the facts sentence says what the listing says
    tested = [m for m in b.moments if "a test of the frame" in m.why]
    carried = [(m.reply, n) for m in tested for n in re.findall(r"next reply \(reply (\d+)\)", m.verdict)]
    if len(tested) == 1:
        assert f"(reply {tested[0].reply})" in b.facts
        assert tested[0].value == 0.0 or tested[0].verdict in b.facts
    elif len(carried) == 1:
        assert f"at reply {carried[0][0]} you stated it in your next reply (reply {carried[0][1]})" in b.facts
    elif carried:
        firsts = " and ".join(str(r) for r, _ in carried[-2:])
        nexts = " and ".join(n for _, n in carried[-2:])
        assert f"{firsts} you stated it in your next replies (replies " in b.facts
        assert b.facts.endswith(f"{nexts})")
    else:
        assert "next repl" not in b.facts


@settings(max_examples=150, deadline=None)
@given(SESSION, st.data())
def test_saying_the_frame_never_lowers_the_boundaries_score(moments, data):
    i = data.draw(st.integers(0, len(moments) - 1))
    tested, present = moments[i]
    if "overstep" in present or "boundaries" in present:
        return
    better = [*moments[:i], (tested, (*present, "boundaries")), *moments[i + 1:]]
    assert _boundaries(better).score >= _boundaries(moments).score


# --- 2. a reflection where the frame needed saying -----------------------------------------------------


def test_a_reflection_alone_at_a_test_of_the_frame_is_told_the_frame_still_needed_saying():
    state = _run(OPENING, ("insta", HEARD, ("empathy",)), ("press", CHAT, ()))
    scenario = _scenario(insta=["boundaries"], press=[], tip="Say kindly why you can't be friends online.")
    d = compute_debrief(scenario, state)
    b = d.skill("boundaries")
    assert b.moments[0].verdict == "you heard Sarah, which was good, but the frame still needed saying"
    assert "you heard Sarah, which was good, but the frame still needed saying" in to_markdown(d)
    missed = next(m for m in d.missed if m.reply == 2)
    assert "reply 2 heard Sarah, which was good, but did not set out the professional frame" in missed.message
    note = reply_note(scenario, state.transcript, 3, pronouns="she/her")
    assert note is not None
    assert "Good reflection" not in note.as_plain_text()
    assert note.tip == ("Hearing her was good; the frame still needed saying too. Say kindly why you can't "
                        "be friends online.")


def test_the_coach_note_names_a_test_of_the_frame_the_author_did_not_mark():
    state = _run(OPENING, ("insta", HEARD, ("empathy",)))
    note = reply_note(_scenario(insta=[], press=[]), state.transcript, 3, pronouns="she/her")
    assert note is not None
    assert note.tip.startswith("Hearing her was good; she was also testing the frame (friendship or "
                               "contact), so it still needed saying. State the frame:")
    # the plain player and screen readers read the same
    assert "Tip: Hearing her was good" in note.as_plain_text()


def test_a_reflection_that_also_states_the_frame_is_praised():
    both = HEARD + " " + FRAME
    state = _run(OPENING, ("insta", both, ("empathy", "boundaries")))
    scenario = _scenario(insta=["boundaries"], press=[])
    note = reply_note(scenario, state.transcript, 3, pronouns="she/her")
    assert note is not None and "still needed saying" not in note.tip
    assert compute_debrief(scenario, state).skill("boundaries").moments[0].verdict == "you stated the frame"
