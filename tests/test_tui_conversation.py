"""The conversation as a student meets it over a long session (issue 11): typing stays as cheap after
thousands of keys as at the start, the newest line stays in view, drafts survive, tiny windows do not
crash, and keys typed while a reply is scored are kept.

Pilot tests at fixed sizes, with the fake scorer of tests/tui_support.py; no timings (those are in
`make bench`, trainer/tui/bench.py).
"""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Footer

from tests.test_tui import SIZE, data_dir, make_app, open_conversation  # noqa: F401 (data_dir: fixture)
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
