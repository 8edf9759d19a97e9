"""Naming a saved session on the command line as a student and their practice educator do (t-clifix):
by its number or its run id (the class report's), the dates of exports in the student's own time, and a
`--db` path that does not exist said as such by every command that takes one."""

from __future__ import annotations

import re
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import typer
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from tests.test_debrief_fixtures import good_run, poor_run, scenario
from trainer.cli import app
from trainer.debrief.compute import compute_debrief
from trainer.history.store import HistoryStore, SessionAmbiguous, SessionNotFound

runner = CliRunner()

RUN_1 = "60c8db0d4b1e4f0e9a3c2d1b0a998877"
RUN_2 = "60c8db0e1111222233334444555566ff"
#: Late in the evening in New York is the next day in UTC.
LATE = datetime(2026, 12, 1, 3, 45, tzinfo=UTC)


def save(store: HistoryStore, state) -> int:
    return store.save_session(state, scenario=scenario(), learner_name="Alex Smith",
                              scores=compute_debrief(scenario(), state).session_scores())


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "history.sqlite3"
    with HistoryStore.open(path) as store:
        save(store, poor_run(RUN_1).model_copy(update={"started_at": LATE}))
        save(store, good_run(RUN_2).model_copy(update={"started_at": LATE}))
    return path


@pytest.fixture
def new_york(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("TZ", "America/New_York")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


# --- 1. a session by its run id --------------------------------------------------------------------------


def test_history_shows_each_finished_sessions_run_as_the_class_report_does(db):
    result = runner.invoke(app, ["history", "--db", str(db)])
    assert result.exit_code == 0, result.output
    head, *rows = result.stdout.splitlines()
    assert head.split()[:3] == ["id", "run", "date"]
    assert rows[0].split()[:2] == ["2", RUN_2[:8]] and rows[1].split()[:2] == ["1", RUN_1[:8]]


def test_history_says_which_finished_sessions_wait_for_the_self_rating(db):
    assert "Not yet rated: sessions 1, 2 wait for your self-rating" in runner.invoke(
        app, ["history", "--db", str(db)]).stdout
    with HistoryStore.open(db) as store:
        store.set_self_assessment(1, {"empathy": 3})
    listed = runner.invoke(app, ["history", "--db", str(db)]).stdout
    assert "Not yet rated: session 2 waits for your self-rating" in listed and "1, 2" not in listed


@pytest.mark.parametrize("ref", [RUN_1, RUN_1[:8], RUN_1[:8].upper(), "1"])
def test_export_takes_the_number_the_run_id_or_its_start(db, ref):
    for extra in ([], ["--as", "process-recording", "-f", "md", "--keep-names"]):
        result = runner.invoke(app, ["export", ref, *extra, "--db", str(db)])
        assert result.exit_code == 0, result.output
        assert "I won't tell anyone" in result.stdout  # session 1's reply, not session 2's


@pytest.mark.parametrize(
    ("ref", "message"),
    [
        ("60c8db", "'60c8db' names 2 sessions: session 1 (run 60c8db0d4b1e…), session 2 (run 60c8db0e1111…). "
                   "Give more characters of the run id, or the session's number"),
        ("ffffff", "There is no session with the run id 'ffffff' (or one beginning so)"),
        ("60c8d", "'60c8d' is neither a session number nor long enough to be a run id: give the session's "
                  "number or at least 6 characters"),
        ("9", "There is no session 9 in the history"),
    ],
)
def test_a_run_id_that_names_no_session_or_two_is_said_plainly(db, ref, message):
    for extra in ([], ["--as", "process-recording", "-f", "md"]):
        result = runner.invoke(app, ["export", ref, *extra, "--db", str(db)])
        assert result.exit_code == 2 and result.stdout == ""
        assert message in result.stderr and "Traceback" not in result.output
        assert "valid integer" not in result.output


def test_a_number_that_is_also_the_start_of_another_sessions_run_is_not_guessed(tmp_path):
    path = tmp_path / "h.sqlite3"
    with HistoryStore.open(path) as store:
        first = save(store, poor_run("fedcba654321"))
        second = save(store, good_run("123456abcdef"))
        assert store.find_session("123456") == second  # there is no session 123456: the run id's start
        with pytest.raises(SessionAmbiguous, match=r"session 1 \(by its number\), session 3 \(run 000001"):
            save(store, good_run("000001abcdef"))  # session 3
            store.find_session("000001")  # session 1's number, and the start of session 3's run id
        assert store.find_session("000001a") == 3 and store.find_session("1") == first


@settings(max_examples=40, suppress_health_check=[HealthCheck.function_scoped_fixture], deadline=None)
@given(runs=st.lists(st.uuids().map(lambda u: u.hex), min_size=1, max_size=6, unique=True),
       length=st.integers(min_value=6, max_value=32))
def test_a_prefix_finds_the_one_session_it_begins_and_refuses_a_shared_one(tmp_path_factory, runs, length):
    path = tmp_path_factory.mktemp("h") / "h.sqlite3"
    with HistoryStore.open(path) as store:
        ids = {run: save(store, good_run(run)) for run in runs}
        for run, sid in ids.items():
            prefix = run[:length]
            sharing = [r for r in runs if r.startswith(prefix)]
            if len(sharing) == 1:
                assert store.find_session(prefix) == sid
            else:
                with pytest.raises(SessionAmbiguous):
                    store.find_session(prefix)
            assert store.find_session(str(sid)) == sid
        with pytest.raises(SessionNotFound):
            store.find_session("zzzzzz")  # not hex: begins no run id


# --- 2. dates in the student's own time ----------------------------------------------------------------


def test_every_export_dates_the_session_as_history_does(db, new_york, tmp_path):
    listed = runner.invoke(app, ["history", "--db", str(db)]).stdout
    assert "2026-11-30 22:45" in listed  # the student's clock: the evening before, in New York
    md = runner.invoke(app, ["export", "1", "--db", str(db)]).stdout
    html = runner.invoke(app, ["export", "1", "-f", "html", "--db", str(db)]).stdout
    for text in (md, html):
        assert "30 Nov 2026, 22:45 EST" in text and "01 Dec" not in text and "UTC" not in text
    for fmt in ("md", "html"):
        recording = runner.invoke(app, ["export", "1", "--as", "process-recording", "-f", fmt,
                                        "--db", str(db)]).stdout
        assert "30 November 2026" in recording and "01 December" not in recording
    out = tmp_path / "r.docx"
    result = runner.invoke(app, ["export", "1", "--as", "process-recording", "-f", "docx", "-o", str(out),
                                 "--db", str(db)])
    assert result.exit_code == 0, result.output
    import docx

    paragraphs = [p.text for p in docx.Document(str(out)).paragraphs]
    assert "Date of the meeting: 30 November 2026" in paragraphs


def test_the_file_name_an_export_suggests_is_dated_in_local_time(new_york):
    from trainer.debrief.export import default_filename

    debrief = compute_debrief(scenario(), good_run().model_copy(update={"started_at": LATE}))
    assert default_filename(debrief, "md").endswith("-2026-11-30.md")


@pytest.mark.parametrize(
    ("tz", "shown"),
    [("UTC", "01 Dec 2026, 03:45 UTC"), ("Asia/Kolkata", "01 Dec 2026, 09:15 IST"),
     ("Asia/Dubai", "01 Dec 2026, 07:45 UTC+04"), ("America/St_Johns", "01 Dec 2026, 00:15 NST")],
)
def test_the_zone_is_named_beside_the_time(monkeypatch, tz, shown):
    from trainer.debrief.export import when

    monkeypatch.setenv("TZ", tz)
    time.tzset()
    try:
        assert when(LATE) == shown
    finally:
        monkeypatch.undo()
        time.tzset()


# --- 3. a --db that does not exist ----------------------------------------------------------------------


def _commands_with_db() -> list[tuple[list[str], Any]]:
    """Every command (and sub-command) that takes --db, with its path of names."""
    found = []

    def walk(command: Any, path: list[str]) -> None:
        if hasattr(command, "commands"):  # a group (typer's own click, not `click.Group`)
            for name, sub in command.commands.items():
                walk(sub, [*path, name])
        elif any("--db" in p.opts for p in command.params):
            found.append((path, command))

    walk(typer.main.get_command(app), [])
    return found


def test_several_commands_take_db():
    names = [" ".join(path) for path, _ in _commands_with_db()]
    assert {"history", "export", "flags export"} <= set(names)


@pytest.mark.parametrize("path", [p for p, _ in _commands_with_db()], ids=" ".join)
def test_every_command_taking_db_says_when_the_file_does_not_exist(tmp_path, path):
    command = dict((tuple(p), c) for p, c in _commands_with_db())[tuple(path)]
    required = ["1" for p in command.params if p.param_type_name == "argument" and p.required]
    missing = tmp_path / "nope.db"
    result = runner.invoke(app, [*path, *required, "--db", str(missing)])
    assert result.exit_code == 2
    assert f"trainer {' '.join(path)}: there is no history file at {missing}: check the path" in result.stderr
    assert "no session has been saved yet" not in result.output and "flags exported" not in result.output
    assert not missing.exists()


def test_without_db_a_history_not_made_yet_is_still_no_sessions_yet(tmp_path, monkeypatch):
    monkeypatch.setenv("TRAINER_DB", str(tmp_path / "later.sqlite3"))
    result = runner.invoke(app, ["export", "1"])
    assert result.exit_code == 2 and "no session has been saved yet" in result.stderr
    assert re.search(r"0 flags exported", runner.invoke(app, ["flags", "export"]).stderr)
