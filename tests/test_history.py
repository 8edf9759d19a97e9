"""The history store: saving, reading, flags, progress, and files that are locked, corrupt or too new."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from tests.test_debrief_fixtures import good_run, poor_run, scenario
from trainer.debrief.compute import compute_debrief, debrief_from_record
from trainer.debrief.selfassess import SelfAssessment
from trainer.history.migrations import APPLICATION_ID, CURRENT
from trainer.history.store import (
    FlagError,
    HistoryCorrupt,
    HistoryError,
    HistoryLocked,
    HistoryStore,
    HistoryTooNew,
    SessionNotFound,
    default_path,
)

SA = SelfAssessment(ratings={"empathy": 4, "purpose": 2}, service_user="She was frightened", self_="I froze")


def save(store: HistoryStore, state=None, **kw) -> int:
    state = state or poor_run()
    d = compute_debrief(scenario(), state, SA)
    return store.save_session(state, scenario=scenario(), self_assessment=SA, scores=d.session_scores(), **kw)


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "sub" / "history.sqlite3"


@pytest.fixture
def store(db: Path):
    with HistoryStore.open(db) as s:
        yield s


# --- sessions ------------------------------------------------------------------------------------------


def test_a_saved_session_comes_back_whole(store, db):
    sid = save(store, learner_name="Alex")
    store.close()
    with HistoryStore.open(db) as again:  # from the file, not from memory
        record = again.get_session(sid)
    assert record.run_state == poor_run()
    assert record.scenario == scenario()
    assert record.self_assessment == SA.as_json()
    assert record.learner_name == "Alex"
    summary = record.summary
    assert (summary.ending_title, summary.outcome) == ("Money changed hands", "boundary_crossed")
    assert record.summary.scores == {"empathy": 0.0, "purpose": 0.0, "boundaries": 0.0, "miti_advice": 0.0}


def test_the_file_and_its_folder_are_created_and_stamped(db):
    HistoryStore.open(db).close()
    conn = sqlite3.connect(db)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == CURRENT
    assert conn.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID


def test_transcript_and_evidence_are_stored_as_rows_too(store, db):
    sid = save(store)
    conn = sqlite3.connect(db)
    assert conn.execute("SELECT count(*) FROM turns WHERE session_id = ?", (sid,)).fetchone()[0] == 7
    evidence = conn.execute("SELECT turn_idx, signal, text FROM evidence ORDER BY rowid").fetchall()
    assert evidence[0] == (3, "sympathy", "I'm so sorry") and len(evidence) == 4


def test_list_is_newest_first_and_delete_removes_everything(store, db):
    first = save(store)
    second = save(store, good_run())
    store.add_flag(first, 3, wrong=["sympathy"], reason="warm")
    assert [s.id for s in store.list_sessions()] == [second, first]
    store.delete_session(first)
    assert [s.id for s in store.list_sessions()] == [second]
    assert store.flags() == []
    conn = sqlite3.connect(db)
    assert conn.execute("SELECT count(*) FROM turns WHERE session_id = ?", (first,)).fetchone()[0] == 0
    with pytest.raises(SessionNotFound, match="no session 1"):
        store.get_session(first)
    with pytest.raises(SessionNotFound):
        store.delete_session(first)


def test_a_failed_save_leaves_nothing_behind(store, monkeypatch):
    state = poor_run()
    broken = state.model_copy(deep=True)
    broken.transcript[3].assessment["evidence"][0]["start"] = "not a number"  # type: ignore[index]
    with pytest.raises(ValueError):
        store.save_session(broken, scenario=scenario())
    assert store.list_sessions() == []
    save(store)  # and the store is still usable
    assert len(store.list_sessions()) == 1


def test_self_assessment_can_be_added_after_the_run(store):
    sid = store.save_session(poor_run(), scenario=scenario())
    assert store.get_session(sid).self_assessment is None
    store.set_self_assessment(sid, SelfAssessment.skip(), scores={"empathy": 0.0})
    record = store.get_session(sid)
    assert record.self_assessment and record.self_assessment["skipped"] is True
    assert record.summary.scores == {"empathy": 0.0}


def test_a_stored_session_rebuilds_the_same_debrief(store):
    sid = save(store, learner_name="Alex")
    store.add_flag(sid, 5, wrong=["overstep"], reason="I was joking")
    rebuilt = debrief_from_record(store.get_session(sid))
    direct = compute_debrief(scenario(), poor_run(), SA, learner_name="Alex", session_id=sid)
    assert rebuilt.skills == direct.skills and rebuilt.missed == direct.missed
    assert [f.reason for f in rebuilt.transcript[5].flags] == ["I was joking"]


def test_a_damaged_session_row_is_reported_without_hiding_the_others(store, db):
    bad, good = save(store, poor_run("a")), save(store, poor_run("b"))
    conn = sqlite3.connect(db)
    with conn:
        conn.execute("UPDATE sessions SET run_state = '{\"oops\": 1}' WHERE id = ?", (bad,))
    with pytest.raises(HistoryCorrupt, match=f"Session {bad} .* damaged"):
        store.get_session(bad)
    assert store.get_session(good).run_state == poor_run("b")
    assert len(store.list_sessions()) == 2


def test_saving_the_same_run_again_updates_its_session(store):
    stopped = poor_run().model_copy(update={"finished": False, "node": "gift",
                                            "transcript": poor_run().transcript[:4]})
    sid = store.save_session(stopped, scenario=scenario(), learner_name="Alex")
    store.add_flag(sid, 3, wrong=["sympathy"], reason="warm")
    again = save(store)  # the same run, now finished, with a self-assessment and scores
    assert again == sid and len(store.list_sessions()) == 1
    record = store.get_session(sid)
    assert len(record.run_state.transcript) == 7 and record.summary.ending_title == "Money changed hands"
    assert record.learner_name == "Alex" and record.self_assessment == SA.as_json()
    assert [f.reason for f in record.flags] == ["warm"]


# --- flags ---------------------------------------------------------------------------------------------


def test_flags_export_as_corrected_eval_lines(store):
    sid = save(store)
    store.add_flag(sid, 3, wrong=["sympathy"], missing=["empathy"], reason="I reflected her fear")
    [flag] = store.flags()
    assert flag.scorer_labels == ["sympathy"]
    assert flag.eval_line() == {
        "text": "Oh I'm so sorry, don't worry, Sarah, nobody is taking anyone.",
        "context": "I know what this is. You're going to take the kids off me. I'm scared.",
        "labels": ["empathy"],
        "flag_reason": "I reflected her fear",
        "session": sid,
    }
    assert store.flags(sid) == [flag] and store.flags(sid + 1) == []


@pytest.mark.parametrize(
    ("turn", "kw", "message"),
    [
        (2, {"missing": ["empathy"], "reason": "x"}, "service user's"),
        (99, {"missing": ["empathy"], "reason": "x"}, "no line 99"),
        (3, {"missing": ["kindness"], "reason": "x"}, "Unknown signal 'kindness'"),
        (3, {"reason": "x"}, "Say which signal"),
        (3, {"missing": ["empathy"], "reason": "   "}, "Say why"),
        (3, {"wrong": ["empathy"], "reason": "x"}, "did not find empathy"),
        (3, {"missing": ["sympathy"], "reason": "x"}, "already found sympathy"),
        (3, {"wrong": ["sympathy"], "missing": ["sympathy"], "reason": "x"}, "both wrong and missing"),
    ],
)
def test_flags_that_do_not_fit_are_refused_with_a_reason(store, turn, kw, message):
    sid = save(store)
    with pytest.raises(FlagError, match=message):
        store.add_flag(sid, turn, **kw)
    assert store.flags() == []


def test_flag_on_an_unknown_session(store):
    with pytest.raises(SessionNotFound):
        store.add_flag(7, 1, missing=["empathy"], reason="x")


# --- progress ------------------------------------------------------------------------------------------


def test_progress_is_per_skill_per_session_oldest_first(store):
    later = good_run().model_copy(update={"started_at": good_run().started_at.replace(day=21)})
    second = save(store, later)
    first = save(store, poor_run())
    store.save_session(poor_run("unscored"))  # saved without scores: left out of the chart
    points = store.progress()
    assert [p.session_id for p in points] == [first, second]
    assert {k: points[1].scores[k] for k in ("empathy", "purpose", "boundaries")} == {
        "empathy": 1.0, "purpose": 0.8, "boundaries": 1.0}


# --- files that cannot be used -------------------------------------------------------------------------


def test_garbage_file_is_corrupt_and_left_untouched(tmp_path):
    path = tmp_path / "history.sqlite3"
    path.write_bytes(b"this is not a database" * 100)
    before = path.read_bytes()
    with pytest.raises(HistoryCorrupt, match="is damaged .* left as it is"):
        HistoryStore.open(path)
    assert path.read_bytes() == before


def test_truncated_database_is_corrupt(db):
    with HistoryStore.open(db) as s:
        for i in range(30):
            save(s, poor_run(f"run{i}"))
    data = db.read_bytes()
    db.write_bytes(data[: len(data) // 2])
    with pytest.raises(HistoryCorrupt):
        with HistoryStore.open(db) as s:
            s.list_sessions()
            for summary in s.list_sessions():
                s.get_session(summary.id)


def test_newer_version_is_refused_and_left_untouched(db):
    HistoryStore.open(db).close()
    conn = sqlite3.connect(db)
    conn.execute(f"PRAGMA user_version = {CURRENT + 1}")
    conn.close()
    before = db.read_bytes()
    with pytest.raises(HistoryTooNew, match=f"newer version of trainer \\(schema {CURRENT + 1}"):
        HistoryStore.open(db)
    assert db.read_bytes() == before


def test_another_programs_database_is_refused(tmp_path):
    path = tmp_path / "other.sqlite3"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE things (x)")
    conn.commit()
    conn.close()
    with pytest.raises(HistoryCorrupt, match="not a trainer history"):
        HistoryStore.open(path)
    assert sqlite3.connect(path).execute("PRAGMA user_version").fetchone()[0] == 0


def test_locked_file_gives_a_clear_error_and_the_fallback_keeps_working(db):
    HistoryStore.open(db).close()
    holder = sqlite3.connect(db, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        with pytest.raises(HistoryLocked, match="in use by another program"):
            HistoryStore.open(db, timeout=0.05)
        fallback = HistoryStore.open_or_fallback(db, timeout=0.05)
        assert not fallback.persistent and fallback.warning and "in memory only" in fallback.warning
        sid = save(fallback)
        assert fallback.get_session(sid).run_state == poor_run()
    finally:
        holder.execute("ROLLBACK")
        holder.close()


def test_a_write_that_meets_a_lock_is_refused_and_nothing_is_written(store, db):
    holder = sqlite3.connect(db, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    store._conn.execute("PRAGMA busy_timeout = 50")
    try:
        with pytest.raises(HistoryLocked):
            save(store)
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert store.list_sessions() == []


def test_a_folder_is_not_a_history_file(tmp_path):
    with pytest.raises(HistoryError, match="is a folder"):
        HistoryStore.open(tmp_path)


def test_fallback_on_a_good_file_is_the_file(db):
    with HistoryStore.open_or_fallback(db) as s:
        assert s.persistent and s.warning is None and s.path == db


# --- where the file lives ------------------------------------------------------------------------------


def test_default_path_follows_trainer_db_then_the_data_dir(monkeypatch, tmp_path):
    monkeypatch.setenv("TRAINER_DB", str(tmp_path / "mine.db"))
    assert default_path() == tmp_path / "mine.db"
    monkeypatch.delenv("TRAINER_DB")
    monkeypatch.setenv("TRAINER_DATA_DIR", str(tmp_path / "data"))
    assert default_path() == tmp_path / "data" / "history.sqlite3"


def test_an_unusable_data_folder_is_a_history_error_and_the_fallback_still_starts(monkeypatch, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    monkeypatch.delenv("TRAINER_DB", raising=False)
    monkeypatch.setenv("TRAINER_DATA_DIR", str(blocker))
    with pytest.raises(HistoryError, match="is a file, not a folder"):
        HistoryStore.open()
    fallback = HistoryStore.open_or_fallback()
    assert not fallback.persistent and "is a file, not a folder" in (fallback.warning or "")


def test_the_store_can_be_used_from_a_worker_thread(store):
    import threading

    results: list[int] = []
    worker = threading.Thread(target=lambda: results.append(save(store)))
    worker.start()
    worker.join()
    assert len(results) == 1 and [s.id for s in store.list_sessions()] == results


def test_a_new_history_file_is_readable_by_its_owner_only(tmp_path):
    # Transcripts are personal data; the file was created 0644 (readable by every user of a shared lab
    # machine whose home is 0755), while saved runs were already 0600.
    path = tmp_path / "new" / "history.sqlite3"
    HistoryStore.open(path).close()
    assert path.stat().st_mode & 0o777 == 0o600
    path.chmod(0o640)  # a file the user set up themselves is left as they made it
    HistoryStore.open(path).close()
    assert path.stat().st_mode & 0o777 == 0o640
