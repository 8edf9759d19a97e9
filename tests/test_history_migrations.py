"""Migrations: databases written by earlier schema versions open with their data intact."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from tests.test_debrief_fixtures import poor_run
from trainer.debrief.compute import debrief_from_record
from trainer.history import migrations
from trainer.history import store as store_module
from trainer.history.migrations import APPLICATION_ID, CURRENT, MIGRATIONS
from trainer.history.notes import set_turn_note
from trainer.history.store import HistoryError, HistoryStore


def make_db(path: Path, version: int) -> sqlite3.Connection:
    """A database as trainer at schema `version` left it."""
    conn = sqlite3.connect(path, isolation_level=None)
    for statements in MIGRATIONS[:version]:
        for statement in statements:
            conn.execute(statement)
    conn.execute(f"PRAGMA user_version = {version}")
    conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    return conn


def insert_v1_session(conn: sqlite3.Connection, run_state: str, scores: dict[str, float] | None) -> int:
    """A session row as the v1 code wrote it (no learner name, no scenario snapshot, no flags)."""
    state = poor_run()
    cur = conn.execute(
        "INSERT INTO sessions (scenario_id, scenario_title, started_at, updated_at, saved_at, finished,"
        " ending_node, ending_title, outcome, run_state, self_assessment, scores)"
        " VALUES (?, ?, ?, ?, ?, 1, 'end_crossed', 'Money changed hands', 'boundary_crossed', ?, ?, ?)",
        (state.scenario_id, state.scenario_title, state.started_at.isoformat(), state.updated_at.isoformat(),
         "2026-11-20T15:00:00+00:00", run_state, json.dumps({"skipped": True}),
         json.dumps(scores) if scores is not None else None),
    )
    sid = int(cur.lastrowid or 0)
    for idx, turn in enumerate(state.transcript):
        conn.execute(
            "INSERT INTO turns (session_id, idx, speaker, node, text, time, scores)"
            " VALUES (?, ?, ?, ?, ?, ?, ?)",
            (sid, idx, turn.speaker, turn.node, turn.text, turn.time.isoformat(),
             json.dumps(turn.assessment["scores"]) if turn.assessment else None),
        )
    return sid


def test_a_v1_database_migrates_to_current_keeping_its_sessions(tmp_path):
    path = tmp_path / "old.sqlite3"
    conn = make_db(path, 1)
    # A v1-era run state had no run_id; the engine's model fills one in when it is read.
    old_state = json.loads(poor_run().model_dump_json())
    del old_state["run_id"]
    sid = insert_v1_session(conn, json.dumps(old_state), {"empathy": 0.0, "purpose": 0.0, "boundaries": 0.0})
    conn.close()

    with HistoryStore.open(path) as store:
        [summary] = store.list_sessions()
        assert (summary.id, summary.ending_title) == (sid, "Money changed hands")
        record = store.get_session(sid)
        assert record.run_state.transcript == poor_run().transcript
        assert record.scenario is None and record.learner_name is None
        assert store.progress()[0].scores == {"empathy": 0.0, "purpose": 0.0, "boundaries": 0.0}
        # what v2 added works on the old session
        store.add_flag(sid, 3, wrong=["sympathy"], reason="it was warmth")
        assert store.flags()[0].eval_line()["labels"] == []
        # and its debrief can still be made (without the scenario, which was never stored)
        debrief = debrief_from_record(store.get_session(sid))
        assert [m.rule for m in debrief.missed] == ["feeling-unanswered", "overstep", "no-purpose"]
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == CURRENT
    assert conn.execute("SELECT run_id FROM sessions").fetchone()[0] is None


def test_v2_to_v3_backfills_run_ids_so_a_resave_updates_the_session(tmp_path):
    path = tmp_path / "v2.sqlite3"
    conn = make_db(path, 2)
    sid = insert_v1_session(conn, poor_run().model_dump_json(), None)
    duplicate = insert_v1_session(conn, poor_run().model_dump_json(), None)  # same run saved twice by v2
    conn.close()
    with HistoryStore.open(path) as store:
        assert store.save_session(poor_run()) == duplicate  # the newest copy keeps the run id
        assert {s.id for s in store.list_sessions()} == {sid, duplicate}


def test_v3_to_v4_keeps_sessions_and_takes_the_students_notes(tmp_path):
    path = tmp_path / "v3.sqlite3"
    conn = make_db(path, 3)
    sid = insert_v1_session(conn, poor_run().model_dump_json(), None)
    conn.close()
    with HistoryStore.open(path) as store:
        assert store.get_session(sid).turn_notes == {}
        set_turn_note(store, sid, 3, "  I wanted her to stop crying, so I said sorry  ")
        assert store.get_session(sid).turn_notes == {3: "I wanted her to stop crying, so I said sorry"}
        note = store.get_session(sid).turn_notes[3]
        assert debrief_from_record(store.get_session(sid)).turn_notes == {3: note}
        with pytest.raises(HistoryError, match="service user's"):
            set_turn_note(store, sid, 2, "not mine")
        set_turn_note(store, sid, 3, "")
        assert store.get_session(sid).turn_notes == {}
        set_turn_note(store, sid, 1, "nervous")
        store.delete_session(sid)
        assert sqlite3.connect(path).execute("SELECT count(*) FROM turn_notes").fetchone()[0] == 0


def test_a_failing_migration_changes_nothing(tmp_path, monkeypatch):
    path = tmp_path / "old.sqlite3"
    conn = make_db(path, 1)
    insert_v1_session(conn, poor_run().model_dump_json(), None)
    conn.close()
    before = path.read_bytes()
    broken = (*MIGRATIONS[:2], (*MIGRATIONS[2][:1], "THIS IS NOT SQL"))
    monkeypatch.setattr(store_module, "MIGRATIONS", broken)
    with pytest.raises(HistoryError):
        HistoryStore.open(path)
    assert path.read_bytes() == before
    assert sqlite3.connect(path).execute("PRAGMA user_version").fetchone()[0] == 1


def test_migrations_are_numbered_by_position():
    assert migrations.CURRENT == len(MIGRATIONS) == 4
    assert all(statements and all(isinstance(s, str) for s in statements) for statements in MIGRATIONS)
