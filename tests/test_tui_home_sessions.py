"""The home screen's unfinished sessions use the room the window gives them (student tester: the list
stayed 34 columns wide and two entries high at 200x60), and two sessions that would read the same to the
minute ("started 01 Dec 03:49, 1 reply" and the same first words) are told apart by their times to the
second. Real keys; fake scorer; saves in tmp_path."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests import test_tui
from tests.test_tui import leave_unfinished, make_app, saved_files, settle
from trainer.tui.home import SessionList

data_dir = test_tui.data_dir  # saves in tmp_path (autouse)

REPLIES = [
    "Hello, I'm here because the school asked me to come and see you about Leo",
    "Hi Rose, I'm a social worker from the family support team",
    "Good afternoon, is this a good time to talk for half an hour?",
    "Hi",
]


def entries(app) -> list[str]:
    sessions = app.screen.query_one(SessionList)
    return [str(sessions.get_option_at_index(i).prompt) for i in range(sessions.option_count)]


async def test_at_200_columns_the_unfinished_list_is_wide_and_shows_every_session_whole(data_dir: Path):
    async with make_app().run_test(size=(200, 60)) as pilot:
        for reply in REPLIES:
            await leave_unfinished(pilot, reply)
        await settle(pilot)
        sessions = pilot.app.screen.query_one(SessionList)
        assert sessions.region.width >= 70  # not 34: the window has the room
        shown = entries(pilot.app)
        assert len(shown) == 4
        for reply in REPLIES:  # each last reply whole, not cut after a few words
            assert any(f'"{reply}"' in entry for entry in shown), shown
        lines = sum(len(entry.splitlines()) for entry in shown)
        assert sessions.region.height >= lines + 2  # every entry on screen at once, to compare them


@pytest.mark.parametrize("size", [(80, 24), (120, 40), (200, 60)])
async def test_two_sessions_that_read_the_same_to_the_minute_show_their_seconds(data_dir: Path, size):
    async with make_app().run_test(size=size) as pilot:
        await leave_unfinished(pilot, "Hi, can I come in?")
        await leave_unfinished(pilot, "Hi, can I come in?")
    # Started the same minute, a few seconds apart, and last played the minute they started.
    for path, second in zip(saved_files(data_dir), ("05", "40"), strict=True):
        state = json.loads(path.read_text(encoding="utf-8"))
        state["started_at"] = state["updated_at"] = f"2026-12-01T03:49:{second}.000000Z"
        path.write_text(json.dumps(state), encoding="utf-8")
    async with make_app().run_test(size=size) as pilot:
        await settle(pilot)
        first, second = entries(pilot.app)
        assert first != second
        assert ":40, 1 reply" in first and ":05, 1 reply" in second  # the newest first
