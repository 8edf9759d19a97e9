"""Keys that arrive in one burst (a fast typist, tmux send-keys, a terminal pasting without bracketed
paste) land in the order they were typed: a new line (ctrl+j, shift+enter) typed in the middle of a
burst is stored where it was typed, and the reply sent, saved and scored is exactly what was typed
(student tester F1/F8: "hour.I'm", "te\\nll")."""

from __future__ import annotations

import asyncio

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.test_tui import data_dir, make_app, open_conversation, settle  # noqa: F401
from tests.tui_support import FakeScorer, burst
from trainer.tui.conversation import ReplyBox

TYPED = (
    "Today I'll be here about half an hour.\n"
    "I'm going to listen to how things are, and at the end we'll agree what happens next together.\n"
    "What you tell me stays within the team, unless I'm worried someone is at risk of harm, and I'd "
    "tell you first."
)


async def type_in_a_burst_and_send(size: tuple[int, int], *parts: str):
    scorer = FakeScorer()
    async with make_app(scorer_factory=lambda: scorer).run_test(size=size) as pilot:
        screen = await open_conversation(pilot)
        burst(pilot.app, *parts)
        await settle(pilot)
        shown = screen.query_one(ReplyBox).text
        await pilot.press("enter")
        await settle(pilot)
        return shown, [sent for sent, _ in scorer.calls], screen.run.state.transcript


async def test_a_burst_with_new_lines_is_sent_and_saved_exactly_as_typed():
    shown, sent, transcript = await type_in_a_burst_and_send((80, 24), TYPED)
    assert shown == TYPED
    assert sent == [TYPED]
    assert any(record.text == TYPED for record in transcript)


async def test_shift_enter_in_a_burst_is_a_new_line_where_it_was_typed():
    shown, sent, _ = await type_in_a_burst_and_send((60, 20), "first line", "shift+enter", "second line")
    assert shown == "first line\nsecond line"
    assert sent == ["first line\nsecond line"]


WORD = st.text(alphabet="abcdefghijklmnopqrstuvwxyz'.,?", min_size=1, max_size=40)
LINE = st.lists(WORD, min_size=1, max_size=12).map(" ".join)
REPLY = st.lists(LINE, min_size=2, max_size=4).map("\n".join)


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=REPLY, size=st.sampled_from([(80, 24), (120, 40), (60, 20)]))
def test_any_multi_line_reply_typed_in_a_burst_is_kept_exactly(text: str, size: tuple[int, int]) -> None:
    shown, sent, _ = asyncio.run(type_in_a_burst_and_send(size, text))
    assert shown == text
    assert sent == [text]
