"""Leaving a finished conversation before the self-rating loses nothing (student tester: Escape or ctrl+q
at "The conversation is over" went home or quit with no question, and the session was then in no list:
not Unfinished, not the history, not `trainer history`, though its save file was there, marked finished).

Now leaving asks; the session goes to the history with its scores and no self-rating (`trainer history`
reads the same file), opening it there asks for the self-rating first, and the next start offers it, as
after a quit at the self-assessment. A finished save left by an older version is stored on the next start.
Driven at 80x24 with real keys; fake scorer; saves and history in tmp_path.
"""

from __future__ import annotations

from pathlib import Path

from tests import test_tui_history
from tests.test_tui import make_app, notifications, settle
from tests.test_tui_history import on_to_the_end_screen, open_history, reach_the_end
from trainer.history.store import HistoryStore
from trainer.practice.drafts import drafts
from trainer.scenario import saves
from trainer.tui.conversation import ConversationScreen
from trainer.tui.debrief_screen import DebriefScreen
from trainer.tui.dialogs import ConfirmScreen
from trainer.tui.home import HomeScreen
from trainer.tui.selfassess import SelfAssessScreen

SIZE = (80, 24)
data_dir = test_tui_history.data_dir  # saves and the history file in tmp_path (autouse)
db = test_tui_history.db


def stored(db: Path) -> list:
    if not db.exists():
        return []
    with HistoryStore.open(db) as store:
        return [(s, store.get_session(s.id)) for s in store.list_sessions()]


async def test_escape_at_the_end_asks_and_keeps_the_session_in_the_history(db: Path, data_dir: Path):
    async with make_app().run_test(size=SIZE) as pilot:
        run_id = (await reach_the_end(pilot)).run.run_id
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(pilot.app.screen, ConfirmScreen)
        assert "rate" in pilot.app.screen.question and "history" in pilot.app.screen.question
        await pilot.press("y")
        await settle(pilot)
        assert isinstance(pilot.app.screen, HomeScreen)
        assert any("in your history (F3)" in n for n in notifications(pilot.app))
        [(summary, record)] = stored(db)  # what `trainer history` lists: the same file
        assert record.run_state.run_id == run_id and summary.finished and summary.scores
        assert record.self_assessment is None
        assert saves.list_runs() == []  # in the history file now, not also a save file

        # From the history: the self-rating first, then the debrief.
        history = await open_history(pilot)
        history.action_open()
        await pilot.pause()
        assert isinstance(pilot.app.screen, SelfAssessScreen)
        await pilot.press("3", "ctrl+s")
        await settle(pilot)
        assert isinstance(pilot.app.screen, DebriefScreen)
    [(_, record)] = stored(db)
    assert record.self_assessment["ratings"]["empathy"] == 3


async def test_staying_keeps_the_student_at_the_end(db: Path):
    async with make_app().run_test(size=SIZE) as pilot:
        await reach_the_end(pilot)
        await pilot.press("escape", "n")
        await pilot.pause()
        assert isinstance(pilot.app.screen, ConversationScreen)
        await on_to_the_end_screen(pilot)
    assert stored(db) == []  # nothing stored twice: the debrief path stores it as before


async def test_quitting_at_the_end_screen_offers_the_self_rating_on_the_next_start(db: Path):
    async with make_app().run_test(size=SIZE) as pilot:
        await reach_the_end(pilot)
        await on_to_the_end_screen(pilot)
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert isinstance(pilot.app.screen, ConfirmScreen)
        await pilot.press("y")
        await pilot.pause()
    assert not pilot.app.is_running
    [(_, record)] = stored(db)
    assert record.self_assessment is None
    assert [d.session_id for d in drafts(None)] == [record.id]

    async with make_app().run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert "before rating yourself" in pilot.app.screen.question
        await pilot.press("y")
        await pilot.pause()
        assert isinstance(pilot.app.screen, SelfAssessScreen)


async def test_a_finished_save_never_stored_is_stored_on_the_next_start(db: Path, data_dir: Path):
    # What the earlier version left: Escape at the end, the save file marked finished and nothing else.
    async with make_app().run_test(size=SIZE) as pilot:
        screen = await reach_the_end(pilot)
        run_id = screen.run.run_id
    [saved] = saves.list_runs()
    assert saved.finished and saved.run_id == run_id
    assert stored(db) == []

    async with make_app().run_test(size=SIZE) as pilot:
        await settle(pilot)
        [(summary, record)] = stored(db)
        assert record.run_state.run_id == run_id and summary.scores and record.self_assessment is None
        assert saves.list_runs() == []
        assert "before rating yourself" in pilot.app.screen.question
