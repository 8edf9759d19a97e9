"""Quitting at the self-assessment (student tester F23): ctrl+q asks first, as in a conversation; the
session's scores are in the history already; what was entered is kept and offered on the next start; a
session in the history with no self-assessment asks for it when opened. Driven at 80x24, fake scorer."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import RadioSet, TextArea

from tests import test_tui_history
from tests.test_debrief_fixtures import poor_run, scenario
from tests.test_tui_history import make_app, open_history, play_to_the_end, settle
from trainer.debrief.selfassess import SelfAssessment
from trainer.history.store import HistoryStore
from trainer.practice.drafts import drafts
from trainer.tui.debrief_screen import DebriefScreen
from trainer.tui.dialogs import ConfirmScreen
from trainer.tui.selfassess import SelfAssessScreen

SIZE = (80, 24)
data_dir = test_tui_history.data_dir  # the autouse data folder, shared with the history tests
db = test_tui_history.db


def question(app) -> str:
    assert isinstance(app.screen, ConfirmScreen)
    return app.screen.question


async def rate_then_quit(pilot) -> None:
    await pilot.press("2", "tab", "3", "tab", "tab", *"she was scared", "ctrl+q")
    await pilot.pause()


async def test_ctrl_q_at_the_self_assessment_asks_and_stay_keeps_everything(db: Path):
    async with make_app().run_test(size=SIZE) as pilot:
        await play_to_the_end(pilot)
        await rate_then_quit(pilot)
        assert question(pilot.app).startswith("Quit? Your session and its scores are saved.")
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(pilot.app.screen, SelfAssessScreen)
        assert pilot.app.is_running
        assert pilot.app.screen.collect().ratings["empathy"] == 2


async def test_a_self_assessment_quit_is_offered_on_the_next_start_with_what_was_entered(db: Path, data_dir):
    async with make_app().run_test(size=SIZE) as pilot:
        await play_to_the_end(pilot)
        await rate_then_quit(pilot)
        await pilot.press("y")
        await pilot.pause()
    assert not pilot.app.is_running
    with HistoryStore.open(db) as store:
        [summary] = store.list_sessions()
        assert summary.scores  # `trainer history` shows its scores, not dashes
        assert store.get_session(summary.id).self_assessment is None
    [draft] = drafts(None)
    assert draft.entered.ratings["empathy"] == 2 and draft.entered.service_user == "she was scared"

    async with make_app().run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert "Last time you quit before rating yourself" in question(pilot.app)
        await pilot.press("y")
        await pilot.pause()
        screen = pilot.app.screen
        assert isinstance(screen, SelfAssessScreen)
        assert screen.query_one("#rate-empathy", RadioSet).pressed_index == 1
        assert screen.query_one("#reflect-service_user", TextArea).text == "she was scared"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(pilot.app.screen, DebriefScreen)
    with HistoryStore.open(db) as store:
        [summary] = store.list_sessions()
        sa = store.get_session(summary.id).self_assessment
        assert sa is not None and sa["ratings"]["empathy"] == 2 and sa["service_user"] == "she was scared"
    assert drafts(None) == []  # done: not offered again


async def test_later_leaves_the_offer_for_the_history(db: Path):
    async with make_app().run_test(size=SIZE) as pilot:
        await play_to_the_end(pilot)
        await rate_then_quit(pilot)
        await pilot.press("y")
        await pilot.pause()
    async with make_app().run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("n")
        await pilot.pause()
        assert any("open \"" in n.message and "in your history (F3)" in n.message
                   for n in pilot.app._notifications)
        await open_history(pilot)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(pilot.app.screen, SelfAssessScreen)
        assert pilot.app.screen.query_one("#reflect-service_user", TextArea).text == "she was scared"


async def test_a_session_stored_without_a_self_assessment_asks_for_it_from_the_history(db: Path):
    with HistoryStore.open(db) as store:
        store.save_session(poor_run(), scenario=scenario())  # e.g. the plain player, quit at the question
    async with make_app().run_test(size=SIZE) as pilot:
        await open_history(pilot)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(pilot.app.screen, SelfAssessScreen)
        await pilot.press("4", "ctrl+s")
        await pilot.pause()
        assert isinstance(pilot.app.screen, DebriefScreen)
        assert "You rated yourself: empathy 4/5" in "\n".join(
            str(w.render()) for w in pilot.app.screen.query("#self-assessment Static"))
    with HistoryStore.open(db) as store:
        [summary] = store.list_sessions()
        assert summary.scores
        stored = store.get_session(summary.id).self_assessment
        assert SelfAssessment.model_validate(stored).rating("empathy") == 4



async def test_the_history_shows_a_title_with_brackets_as_written(db: Path):
    """Student tester F29: text with brackets is shown as written everywhere, the history table too."""
    from textual.widgets import DataTable
    from textual.widgets._data_table import default_cell_formatter

    title = "[b]Rose[/b] [x]"
    with HistoryStore.open(db) as store:
        state = poor_run().model_copy(update={"scenario_title": title})
        store.save_session(state, scenario=scenario(), self_assessment=SelfAssessment.skip())
    async with make_app().run_test(size=SIZE) as pilot:
        screen = await open_history(pilot)
        cell = screen.query_one(DataTable).get_row_at(0)[1]
        assert str(default_cell_formatter(cell)) == title


async def test_the_question_reads_whole_at_60_columns(db: Path):
    """A yes/no question was 64 columns wide: at 60x20 its lines were cut at the right edge."""
    from textual.containers import Vertical

    async with make_app().run_test(size=(60, 20)) as pilot:
        await play_to_the_end(pilot)
        await rate_then_quit(pilot)
        box = pilot.app.screen.query_one(Vertical)
        assert box.region.right <= 60
