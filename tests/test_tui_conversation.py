"""The conversation as a student meets it over a long session (issue 11): typing stays as cheap after
thousands of keys as at the start, the newest line stays in view, drafts survive, tiny windows do not
crash, and keys typed while a reply is scored are kept.

Pilot tests at fixed sizes, with the fake scorer of tests/tui_support.py; no timings (those are in
`make bench`, trainer/tui/bench.py).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Footer

from tests.test_tui import (  # noqa: F401 (data_dir: fixture)
    SIZE,
    data_dir,
    make_app,
    open_conversation,
    say,
    settle,
)
from trainer.tui.conversation import ReplyBox


def footer_watchers(footer: Footer) -> int:
    watchers = getattr(footer, "__watchers", {})
    return sum(len(entries) for entries in watchers.values())


# --- item 2: keystroke cost does not grow ----------------------------------------------------------


async def test_typing_does_not_rebuild_the_footer_on_every_key():
    async with make_app().run_test(size=SIZE) as pilot:
        screen = await open_conversation(pilot)
        await pilot.press("a")  # the box stops being empty: "1-9 Pick option" may go
        await pilot.pause()
        footer = screen.query_one(Footer)
        keys_before = list(footer.children)
        await pilot.press(*"bcdefghij")
        await pilot.pause()
        assert list(footer.children) == keys_before  # the same key widgets: nothing was rebuilt
        assert screen.query_one(ReplyBox).text == "abcdefghij"


async def test_footer_work_stays_bounded_however_long_the_app_is_open():
    async with make_app().run_test(size=SIZE) as pilot:
        screen = await open_conversation(pilot)
        footer = screen.query_one(Footer)

        async def type_and_erase() -> None:
            await pilot.press("h", "i", "backspace", "backspace")  # empty -> typed -> empty: bindings change
            await pilot.pause()

        for _ in range(3):
            await type_and_erase()
        early = footer_watchers(footer)
        for _ in range(30):
            await type_and_erase()
        # Every rebuild used to leave the removed keys' watchers behind, so each key cost more.
        assert footer_watchers(footer) <= early
        assert footer_watchers(footer) <= 2 * len(footer.children) + 2


async def test_every_screen_uses_the_footer_that_rebuilds_only_on_change(tmp_path: Path):
    from trainer.tui.footer import TrainerFooter

    async with make_app().run_test(size=SIZE) as pilot:
        await open_conversation(pilot)
        assert isinstance(pilot.app.screen.query_one(Footer), TrainerFooter)


# --- item 5: tiny windows ----------------------------------------------------------------------------


def notice_shown(app) -> bool:
    from trainer.tui.roomy import TooSmall

    return any(n.display and n.styles.display != "none" for n in app.screen.query(TooSmall)) and (
        app.has_class("-too-small")
    )


@pytest.mark.parametrize("size", [(3, 24), (6, 4), (1, 1), (80, 3), (20, 30)])
async def test_a_tiny_window_shows_a_notice_and_the_conversation_carries_on_when_it_grows(size):
    async with make_app().run_test(size=size) as pilot:
        screen = await open_conversation(pilot)  # used to end the app: ValueError from range()
        await pilot.pause()
        assert notice_shown(pilot.app)
        text = str(screen.query_one("TooSmall").visual)
        assert "too small" in text and f"{size[0]}x{size[1]}" in text and "40x12" in text
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        assert not notice_shown(pilot.app)
        await pilot.press(*"Hi there")
        await pilot.press("enter")
        await settle(pilot)
        assert screen.run.learner_turns == 1
        await pilot.resize_terminal(5, 5)  # shrinking mid-conversation: the notice again, no crash
        await pilot.pause()
        assert notice_shown(pilot.app)


@pytest.mark.parametrize("size", [(1, 1), (4, 3), (12, 6), (39, 11)])
async def test_every_screen_survives_a_tiny_window(size):
    async with make_app().run_test(size=size) as pilot:
        await settle(pilot)
        assert notice_shown(pilot.app)
        await pilot.press("f1")  # help
        await pilot.pause()
        await pilot.press("escape")
        await pilot.press("enter")  # briefing
        await pilot.pause()
        await pilot.press("enter")  # conversation
        await pilot.pause()
        await say(pilot, "Hello, I'm here because the school asked")
        await say(pilot, "It sounds like it has been hard")
        await pilot.press("2")
        await settle(pilot)
        await pilot.press("enter")  # end screen
        await pilot.pause()
        await pilot.press("enter")  # self-assessment
        await pilot.pause()
        await pilot.press("ctrl+k")  # debrief
        await settle(pilot)
        assert type(pilot.app.screen).__name__ == "DebriefScreen"
        assert notice_shown(pilot.app)
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        assert not notice_shown(pilot.app)
