"""The ways between a run, its save file and the history, driven at 80x24 as a student would.

History from home (F3) and back; the progress charts; a resumed run going straight back in its mode (app
and plain player); the finished run's save file removed once the history file holds the run, and kept
when it does not. Saves and the history go to tmp_path (TRAINER_DATA_DIR, TRAINER_DB); fake scorer.
"""

from __future__ import annotations

import io
import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from textual.widgets import DataTable, Input, Static
from textual_plotext import PlotextPlot

from tests.test_debrief_fixtures import good_run, poor_run, scenario
from tests.test_tui import (
    leave_unfinished,
    make_app,
    notifications,
    open_conversation,
    saved_files,
    say,
    screen_text,
    settle,
)
from tests.tui_support import FakeScorer
from trainer.debrief.compute import compute_debrief
from trainer.history.migrations import CURRENT
from trainer.history.store import HistoryStore
from trainer.plain import run_plain
from trainer.scenario.engine import Session, parse_state
from trainer.tui.briefing import BriefingScreen
from trainer.tui.conversation import ConversationScreen
from trainer.tui.ending import EndScreen
from trainer.tui.history_screen import HistoryScreen
from trainer.tui.home import HomeScreen, SessionList
from trainer.tui.selfassess import SelfAssessScreen

FIXTURE = Path(__file__).parent / "fixtures" / "tui" / "kitchen-table.yaml"
SIZE = (80, 24)


@pytest.fixture(autouse=True)
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("TRAINER_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("TRAINER_DB", str(tmp_path / "history.sqlite3"))
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.delenv("TRAINER_THEME", raising=False)
    return tmp_path / "data"


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "history.sqlite3"


def store_sessions(db: Path, *runs: Any) -> None:
    """Put finished sessions in the history file, with their debrief scores, a day apart."""
    with HistoryStore.open(db) as store:
        for day, state in enumerate(runs, 1):
            state = state.model_copy(update={"started_at": state.started_at.replace(day=day)})
            store.save_session(state, scenario=scenario(),
                               scores=compute_debrief(scenario(), state).session_scores())


def footer(app: Any) -> list[tuple[str, str]]:
    return [(k.key_display, k.description) for k in app.screen.query("FooterKey")]


async def open_history(pilot: Any) -> HistoryScreen:
    await settle(pilot)
    assert isinstance(pilot.app.screen, HomeScreen)
    await pilot.press("f3")
    await settle(pilot)  # the history file is opened in a worker
    screen = pilot.app.screen
    assert isinstance(screen, HistoryScreen)
    return screen


async def test_the_history_table_uses_the_room_it_has_for_titles_and_endings(db: Path):
    store_sessions(db, poor_run())
    long = "Come back Thursday, and bring the letter from the school"
    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE sessions SET ending_title = ?", (long,))
    async with make_app().run_test(size=(200, 60)) as pilot:
        screen = await open_history(pilot)
        row = [str(c) for c in screen.query_one(DataTable).get_row_at(0)]
        # a wide terminal shows it whole (it was cut at 16 characters, whatever the room)
        assert row[2] == long
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        table = screen.query_one(DataTable)
        cut = [str(c) for c in table.get_row_at(0)][2]
        assert cut.endswith("\u2026") and long.startswith(cut[:-1])
        # the columns shrank with it: the scores are still on screen (they were pushed past the edge)
        assert sum(c.get_render_width(table) for c in table.columns.values()) <= 80


async def test_the_history_says_which_session_and_run_is_highlighted(db: Path):
    # A student matches their practice educator's class report (S-numbers and run ids) with their history.
    store_sessions(db, poor_run("60c8db0d4b1e4f0e9a3c2d1b0a998877"),
                   good_run("a1b2c3d4e5f60718293a4b5c6d7e8f90"))
    async with make_app().run_test(size=SIZE) as pilot:
        screen = await open_history(pilot)
        hint = screen.query_one("#history-empty", Static)
        assert str(hint.render()).startswith("Session 2, run a1b2c3d4. Enter opens a session's debrief")
        await pilot.press("down")
        await pilot.pause()
        assert str(hint.render()).startswith("Session 1, run 60c8db0d. ")
        assert hint.region.bottom <= SIZE[1]  # on screen at 80x24


# --- history from home -----------------------------------------------------------------------------------


async def test_f3_on_home_opens_the_history_and_escape_comes_back(db: Path):
    store_sessions(db, poor_run(), good_run())
    async with make_app().run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert ("f3", "History") in footer(pilot.app)
        assert "History" in [c.title for c in pilot.app.screen.palette_commands()]
        await pilot.press("/")  # F3 works from the filter too
        screen = await open_history(pilot)
        table = screen.query_one(DataTable)
        assert table.row_count == 2
        assert [str(c) for c in table.get_row_at(0)][1:3] == ["First home visit", "A door opened"]
        assert screen.sub_title == "history"  # the file, not the in-memory fallback
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(pilot.app.screen, HomeScreen)
        await pilot.press("f3")  # the second time the open store is reused
        await pilot.pause()
        assert isinstance(pilot.app.screen, HistoryScreen)


async def test_letters_still_go_to_the_filter(db: Path):
    async with make_app().run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("h")  # on the list: starts the filter
        await pilot.press("o", "H")  # in the filter: typed, not a shortcut
        await pilot.pause()
        assert isinstance(pilot.app.screen, HomeScreen)
        assert pilot.app.screen.query_one("#filter", Input).value == "hoH"


def _newer(db: Path) -> None:
    HistoryStore.open(db).close()
    conn = sqlite3.connect(db)
    conn.execute(f"PRAGMA user_version = {CURRENT + 1}")
    conn.close()


@pytest.mark.parametrize(
    ("spoil", "said"),
    [
        (lambda db: db.write_text("not a database"), "is damaged"),
        (_newer, "written by a newer version of trainer"),
    ],
    ids=["corrupt", "newer"],
)
async def test_an_unusable_history_file_is_a_message_not_a_crash(db: Path, spoil: Any, said: str):
    spoil(db)
    before = db.read_bytes()
    async with make_app().run_test(size=SIZE) as pilot:
        screen = await open_history(pilot)
        assert any(said in n and "kept in memory only" in n for n in notifications(pilot.app))
        assert "not saved to disk" in screen.sub_title
        assert "No sessions yet" in str(screen.query_one("#history-empty", Static).render())
    assert db.read_bytes() == before  # left as it was


async def test_a_locked_history_file_is_a_message_and_does_not_freeze_home(db: Path, monkeypatch):
    HistoryStore.open(db).close()
    original = HistoryStore.open_or_fallback.__func__  # type: ignore[attr-defined]
    # The app waits 5 s for another writer; the test need not.
    monkeypatch.setattr(HistoryStore, "open_or_fallback",
                        classmethod(lambda cls, path=None, timeout=5.0: original(cls, path, timeout=0.2)))
    locker = sqlite3.connect(db, isolation_level=None)
    locker.execute("BEGIN EXCLUSIVE")
    try:
        async with make_app().run_test(size=SIZE) as pilot:
            await open_history(pilot)
            assert any("in use by another program" in n for n in notifications(pilot.app))
    finally:
        locker.execute("ROLLBACK")
        locker.close()


# --- the progress charts ---------------------------------------------------------------------------------


async def test_progress_tab_charts_each_skill_over_two_sessions(db: Path):
    store_sessions(db, poor_run(), good_run())
    async with make_app().run_test(size=SIZE) as pilot:
        screen = await open_history(pilot)
        assert ("p", "Progress") in footer(pilot.app)
        await pilot.press("p")
        await pilot.pause()
        assert screen.tab == "progress"
        assert ("s", "Sessions") in footer(pilot.app) and ("d", "Delete") not in footer(pilot.app)
        summary = str(screen.query_one("#progress", Static).render())
        assert "your 2 sessions, numbered 1 (oldest) to 2 (newest)" in summary
        summary = " ".join(summary.split())
        assert ("First home visit, sessions 1 and 2: Empathy first 0.00, latest 1.00 (up 1.00); "
                "Purpose-setting first 0.00, latest 0.80 (up 0.80); "
                "Boundaries first 0.00, latest 1.00 (up 1.00).") in summary
        chart = screen.query_one("#progress-chart", PlotextPlot)
        assert chart.display and chart.size.width >= 70 and chart.size.height >= 8  # room at 80x24
        drawn = str(chart.render())
        assert all(title in drawn for title in ("Empathy", "Purpose-setting", "Boundaries"))
        assert drawn.count("\u25cf") == 6  # a dot per session per skill
        assert any("\u2800" <= c <= "\u28ff" for c in drawn)  # a line joins the scenario's two sessions
        await pilot.press("enter", "d")  # the table's keys do nothing while it is hidden
        await pilot.pause()
        assert pilot.app.screen is screen and screen.query_one(DataTable).row_count == 2
        await pilot.press("s")
        await pilot.pause()
        assert screen.tab == "sessions" and pilot.app.focused is screen.query_one(DataTable)
        await pilot.press("p", "left")  # the tab strip has the focus on the charts: arrows switch back
        await pilot.pause()
        assert screen.tab == "sessions" and pilot.app.focused is screen.query_one(DataTable)


async def test_progress_never_compares_two_scenarios(db: Path):
    # tester7: Jade then Helen read "Empathy: first 0.58, latest 0.17 (down 0.42)": a student reads a
    # different scenario as getting worse. Each scenario is shown with its own figures, and no change.
    cake = poor_run().model_copy(update={"scenario_id": "cake", "scenario_title": "Cake for the worker"})
    store_sessions(db, good_run(), cake)
    async with make_app().run_test(size=SIZE) as pilot:
        screen = await open_history(pilot)
        await pilot.press("p")
        await pilot.pause()
        summary = " ".join(str(screen.query_one("#progress", Static).render()).split())
        assert "down" not in summary and "latest 0.00" not in summary
        assert ("Cake for the worker, session 2 (played once: nothing to compare yet): Empathy 0.00, "
                "Purpose-setting 0.00, Boundaries 0.00.") in summary
        assert "First home visit, session 1 (played once: nothing to compare yet): Empathy 1.00" in summary
        assert summary.index("Cake for the worker") < summary.index("First home visit")  # latest first
        assert "MITI-style, in Cake for the worker:" in summary
        drawn = str(screen.query_one("#progress-chart", PlotextPlot).render())
        assert drawn.count("\u25cf") == 6  # each session still has its dot...
        assert not any("\u2800" <= c <= "\u28ff" for c in drawn)  # ...but no line joins the two scenarios


async def test_progress_says_the_latest_session_had_no_reflections_not_an_older_figure(db: Path):
    # Session 1 had complex reflections (50%), session 2 (the latest) none at all: its debrief says "no
    # reflections", and the progress tab showed "Complex reflections: latest 50%", session 1's figure.
    store_sessions(db, good_run(), poor_run())
    async with make_app().run_test(size=SIZE) as pilot:
        screen = await open_history(pilot)
        await pilot.press("p")
        await pilot.pause()
        summary = " ".join(str(screen.query_one("#progress", Static).render()).split())
        assert "Complex reflections: none in the latest session (it had no reflections); 50% in" in summary
        assert "Complex reflections: latest" not in summary
        assert "Advice without asking: 0 in the latest session" in summary


async def test_progress_with_one_session_says_what_is_to_come(db: Path):
    store_sessions(db, good_run())
    async with make_app().run_test(size=SIZE) as pilot:
        screen = await open_history(pilot)
        await pilot.press("p")
        await pilot.pause()
        summary = str(screen.query_one("#progress", Static).render())
        assert "Progress appears here once you have finished two sessions" in summary
        assert "So far, one session: Empathy 1.00, Purpose-setting 0.80, Boundaries 1.00." in summary
        assert not screen.query_one("#progress-chart", PlotextPlot).display


# --- resuming in the saved mode --------------------------------------------------------------------------


async def test_resume_from_home_skips_the_briefing_and_keeps_practice_mode(data_dir: Path):
    async with make_app().run_test(size=SIZE) as pilot:
        await open_conversation(pilot, "p")
        await say(pilot, "Hello, I'm here because the school asked")
        await pilot.press("escape", "y")
        await settle(pilot)
    [save] = saved_files(data_dir)
    assert json.loads(save.read_text())["mode"] == "practice"

    async with make_app().run_test(size=SIZE) as pilot:  # a new app: nothing remembered but the save
        await settle(pilot)
        await pilot.press("tab", "enter")
        await pilot.pause()
        screen = pilot.app.screen
        assert isinstance(screen, ConversationScreen) and screen.run.mode == "practice"
        text = screen_text(pilot.app)
        assert "practice mode" in text and "Found:" not in text  # no coach notes
        assert "You: Hello, I'm here because the school asked" in text
        await pilot.press("escape", "y")  # leaving goes back to home, which stayed underneath
        await settle(pilot)
        assert isinstance(pilot.app.screen, HomeScreen)


async def test_a_save_without_a_mode_goes_through_the_briefing_and_then_keeps_it(data_dir: Path):
    async with make_app().run_test(size=SIZE) as pilot:
        await leave_unfinished(pilot)
    [save] = saved_files(data_dir)
    old = json.loads(save.read_text())
    del old["mode"]  # as trainer wrote it before the mode was kept
    save.write_text(json.dumps(old))

    async with make_app().run_test(size=SIZE) as pilot:
        await settle(pilot)
        pilot.app.screen.query_one(SessionList).focus()
        await pilot.press("enter")
        assert isinstance(pilot.app.screen, BriefingScreen)
        assert "You are resuming this session: 1 reply so far." in screen_text(pilot.app)
        await pilot.press("p", "enter")
        await pilot.pause()
        assert isinstance(pilot.app.screen, ConversationScreen)
        await say(pilot, "It sounds like it has been hard")
    assert parse_state(save.read_text()).mode == "practice"


async def test_resume_by_run_id_keeps_the_mode_unless_one_is_given(data_dir: Path):
    async with make_app().run_test(size=SIZE) as pilot:
        screen = await open_conversation(pilot, "p")
        await say(pilot, "Hello")
        run_id = screen.run.run_id
        await pilot.press("escape", "y")
    fixture = str(FIXTURE)
    async with make_app(scenario=fixture, resume=run_id).run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(pilot.app.screen, ConversationScreen) and pilot.app.screen.run.mode == "practice"
    async with make_app(scenario=fixture, resume=run_id, mode="coach").run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(pilot.app.screen, ConversationScreen) and pilot.app.screen.run.mode == "coach"


def plain(stdin: str, **kwargs: Any) -> str:
    out, err = io.StringIO(), io.StringIO()
    run_plain(str(FIXTURE), stdin=io.StringIO(stdin), stdout=out, stderr=err, scorer=FakeScorer(), **kwargs)
    return out.getvalue()


def test_plain_resume_goes_straight_on_in_the_saved_mode(data_dir: Path):
    first = plain("Hello, I'm here because of the school\n", mode="practice")
    assert "Who you are meeting" in first  # a new run is briefed
    [save] = saved_files(data_dir)
    run_id = save.stem
    resumed = plain("It sounds like it's been hard\n", resume=run_id)
    assert "Who you are meeting" not in resumed  # no briefing again
    assert "At the kitchen table: continuing your session." in resumed
    assert "Mode: practice (no feedback until the end). Resuming: 1 reply so far." in resumed
    assert "Coach:" not in resumed
    assert "Mode: coach" in plain("", resume=run_id, mode="coach")  # an explicit --mode wins


# --- the finished save file ------------------------------------------------------------------------------


async def reach_the_end(pilot: Any) -> ConversationScreen:
    """Play the fixture to "The conversation is over" (not yet the end screen)."""
    screen = await open_conversation(pilot)
    await say(pilot, "Hello, I'm here because the school asked")
    await say(pilot, "It sounds like it has been hard")
    await pilot.press("2")
    await settle(pilot)
    assert screen.ending is not None
    return screen


async def on_to_the_end_screen(pilot: Any) -> None:
    """Enter at "The conversation is over": the end screen."""
    await pilot.press("enter")
    await pilot.pause()
    assert isinstance(pilot.app.screen, EndScreen)


async def play_to_the_end(pilot: Any) -> str:
    """Play the fixture to its ending and on to the self-assessment; returns the run id."""
    screen = await reach_the_end(pilot)
    await on_to_the_end_screen(pilot)
    await pilot.press("enter")
    await pilot.pause()
    assert isinstance(pilot.app.screen, SelfAssessScreen)
    return screen.run.run_id


async def test_the_finished_save_is_removed_once_the_history_holds_the_run(data_dir: Path, db: Path):
    async with make_app().run_test(size=SIZE) as pilot:
        run_id = await play_to_the_end(pilot)
        assert saved_files(data_dir) == []  # stored at the ending, so the save file went
        await pilot.press("ctrl+k")
        await pilot.pause()
    with HistoryStore.open(db) as store:
        [summary] = store.list_sessions()
        assert store.get_session(summary.id).run_state.run_id == run_id and summary.finished


async def test_the_finished_save_is_kept_when_the_history_is_only_in_memory(data_dir: Path, db: Path):
    db.write_text("not a database")
    async with make_app().run_test(size=SIZE) as pilot:
        run_id = await play_to_the_end(pilot)
        assert any("kept in memory only" in n for n in notifications(pilot.app))
    [save] = saved_files(data_dir)
    assert save.stem == run_id and parse_state(save.read_text()).finished


def test_plain_removes_the_finished_save_once_stored(data_dir: Path, db: Path):
    out = plain("Hello, I'm here because of the school\nIt sounds like it's been hard\n2\n")
    assert "The end: Thursday, then" in out
    assert saved_files(data_dir) == []
    with HistoryStore.open(db) as store:
        assert len(store.list_sessions()) == 1


# --- the mode in the run state ---------------------------------------------------------------------------


def test_the_mode_round_trips_and_old_saves_still_load():
    session = Session(scenario(), "first-home-visit", mode="practice")
    again = Session.from_json(scenario(), "first-home-visit", session.to_json())
    assert again.state.mode == "practice" and again.state == session.state
    old = json.loads(good_run().model_dump_json())
    del old["mode"]
    assert parse_state(json.dumps(old)).mode is None
    chosen = Session(scenario(), "first-home-visit", parse_state(json.dumps(old)), mode="coach")
    assert chosen.state.mode == "coach"


@pytest.mark.parametrize("size", [(80, 24), (120, 35)])
async def test_the_sessions_table_uses_the_screen_and_shows_every_session(db: Path, size):
    runs = [(poor_run, good_run)[n % 2]().model_copy(update={"run_id": f"run{n}"}) for n in range(5)]
    store_sessions(db, *runs)
    async with make_app().run_test(size=size) as pilot:
        screen = await open_history(pilot)
        table = screen.query_one(DataTable)
        assert table.row_count == 5
        # It used to be two rows high, with the rest of the screen empty below it.
        assert table.region.height >= 6 + 1  # a header and every session
        footer_top = screen.query_one("TrainerFooter").region.y
        assert footer_top - table.region.bottom <= 3
