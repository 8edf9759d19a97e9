"""Text pasted into the app's reply box is normalised as every input is (trainer.textnorm, issue 12):
a byte-order mark or a zero-width space never reaches the scorer, and a paste of only invisible
characters is an empty reply."""

from __future__ import annotations

from tests.test_tui import SIZE, data_dir, make_app, notifications, open_conversation, settle  # noqa: F401
from tests.tui_support import FakeScorer
from trainer.practice.replies import EMPTY_REPLY
from trainer.tui.conversation import ReplyBox


async def test_a_paste_from_a_web_page_reaches_the_scorer_as_plain_text():
    scorer = FakeScorer()
    async with make_app(scorer_factory=lambda: scorer).run_test(size=SIZE) as pilot:
        await open_conversation(pilot)
        pilot.app.screen.query_one(ReplyBox).insert("\ufeffI hear it\u2028has been hard\u200b")
        await pilot.press("enter")
        await settle(pilot)
        # The box shows the U+2028 as a new line (Textual's TextArea splits lines as Python does), and
        # the reply is sent as the box shows it: no byte-order mark, no zero-width space.
        assert [text for text, _ in scorer.calls] == ["I hear it\nhas been hard"]


async def test_a_paste_of_only_invisible_characters_is_an_empty_reply():
    scorer = FakeScorer()
    async with make_app(scorer_factory=lambda: scorer).run_test(size=SIZE) as pilot:
        await open_conversation(pilot)
        pilot.app.screen.query_one(ReplyBox).insert("\u200b\u200b\x00")
        await pilot.press("enter")
        await settle(pilot)
        assert EMPTY_REPLY in notifications(pilot.app)
        assert scorer.calls == []


async def test_a_bracketed_paste_after_typing_goes_in_once_after_what_was_typed():
    from textual import events

    from tests.tui_support import burst

    async with make_app().run_test(size=SIZE) as pilot:
        screen = await open_conversation(pilot)
        burst(pilot.app, "I hear ")
        pilot.app.post_message(events.Paste("that it has been hard"))
        burst(pilot.app, ".")
        await settle(pilot)
        assert screen.query_one(ReplyBox).text == "I hear that it has been hard."
