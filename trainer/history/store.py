"""The session history: every finished (or stopped) session kept in a local SQLite file.

    store = HistoryStore.open()              # the default file (see default_path); raises HistoryError
    store = HistoryStore.open_or_fallback()  # never raises: falls back to memory, store.warning says why
    sid = store.save_session(state, scenario=scenario, self_assessment=sa, scores=debrief.session_scores())
    store.list_sessions(); store.get_session(sid); store.delete_session(sid)
    store.add_flag(sid, turn=3, wrong=["empathy"], reason="that was a question"); store.flags()
    store.progress()                         # per skill per session, oldest first, for a chart
    set_turn_note(store, sid, 3, "...")      # the student's per-reply note (trainer.history.notes)

Where the file lives: `--db PATH` (passed as `path`), else the `TRAINER_DB` environment variable, else
`history.sqlite3` in the user's data folder (`trainer.paths.data_dir()`: TRAINER_DATA_DIR or platformdirs).

Every write is one transaction (BEGIN IMMEDIATE ... COMMIT): a session is saved whole or not at all.
The schema is versioned with `PRAGMA user_version` and upgraded by the ordered migrations in
`trainer.history.migrations` when the file is opened. A file that is locked, corrupt, not a trainer
history or from a newer version of trainer raises a specific `HistoryError` whose message says what, where
and what to do; nothing in the file is changed. Nothing leaves the machine.

This package imports neither textual nor spacy, and not trainer.debrief: callers pass the debrief's
summary scores in (`scores=`), so the definition of a score lives in one place.
"""

from __future__ import annotations

import os
import sqlite3
import threading
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from trainer.history.lookup import find_session
from trainer.history.migrations import APPLICATION_ID, CURRENT, MIGRATIONS
from trainer.history.notes import turn_notes
from trainer.history.records import (  # re-exported: callers import them from here
    DB_ENV,
    FILE_NAME,
    FlagError,
    HistoryCorrupt,
    HistoryError,
    HistoryLocked,
    HistoryReadOnly,
    HistoryTooNew,
    ProgressPoint,
    SessionAmbiguous,
    SessionNotFound,
    SessionRecord,
    SessionSummary,
    StoredFlag,
    _classify,
    _dump,
    _json,
    _loads,
    _now,
    _present,
    default_path,
)
from trainer.scenario.engine import RunState
from trainer.scenario.schema import Scenario
from trainer.scoring.api import SIGNALS

__all__ = [
    "DB_ENV",
    "FILE_NAME",
    "FlagError",
    "HistoryCorrupt",
    "HistoryError",
    "HistoryLocked",
    "HistoryReadOnly",
    "HistoryStore",
    "HistoryTooNew",
    "ProgressPoint",
    "SessionAmbiguous",
    "SessionNotFound",
    "SessionRecord",
    "SessionSummary",
    "StoredFlag",
    "default_path",
]


class HistoryStore:
    """The history of sessions in one SQLite file (or in memory). Use `open`, not the constructor."""

    def __init__(self, conn: sqlite3.Connection, path: Path | None, warning: str | None = None) -> None:
        self._conn = conn
        self._lock = threading.RLock()
        self.path = path
        """The file, or None for an in-memory store."""
        self.warning = warning
        """Set when this store is a fallback: why the file could not be used. Show it to the user."""

    @property
    def persistent(self) -> bool:
        """True when sessions are written to a file (False for the in-memory fallback)."""
        return self.path is not None

    # --- opening ------------------------------------------------------------------------------------

    @classmethod
    def open(cls, path: str | os.PathLike[str] | None = None, *, timeout: float = 5.0) -> HistoryStore:
        """Open (creating it and its folder if needed) and upgrade the history file.

        Args:
            path: the file; None for the default (TRAINER_DB, else the user's data dir).
            timeout: seconds to wait for another writer before giving up with HistoryLocked.
        Raises: HistoryLocked, HistoryCorrupt, HistoryTooNew, HistoryReadOnly or HistoryError; the file is
            then unchanged.
        """
        target = Path(path).expanduser() if path is not None else default_path()
        if target.is_dir():
            raise HistoryError(
                f"{target} is a folder, not a history file. Give a file name, e.g. --db {target / FILE_NAME}."
            )
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
        except OSError as err:
            raise HistoryReadOnly(
                f"Cannot create the folder {target.parent} for the history ({err.strerror}). Choose another "
                f"file with --db PATH or the {DB_ENV} environment variable."
            ) from err
        try:
            # Created readable by its owner only (transcripts are personal data); SQLite gives its
            # journal files the same mode. An existing file keeps the mode its owner gave it.
            os.close(os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
        except FileExistsError:
            pass
        except OSError as err:
            raise HistoryReadOnly(
                f"Cannot create the history file {target} ({err.strerror}). Choose another file with "
                f"--db PATH or the {DB_ENV} environment variable."
            ) from err
        try:
            # Usable from the app's worker threads too: every operation holds the store's lock.
            conn = sqlite3.connect(target, timeout=timeout, isolation_level=None, check_same_thread=False)
            conn.row_factory = sqlite3.Row
        except sqlite3.Error as err:
            raise _classify(err, target) from err
        try:
            cls._prepare(conn, target)
        except BaseException:
            conn.close()
            raise
        return cls(conn, target)

    @classmethod
    def in_memory(cls, warning: str | None = None) -> HistoryStore:
        """A store that keeps sessions only until the program exits."""
        conn = sqlite3.connect(":memory:", isolation_level=None, check_same_thread=False)
        conn.row_factory = sqlite3.Row
        cls._prepare(conn, None)
        return cls(conn, None, warning)

    @classmethod
    def open_or_fallback(
        cls, path: str | os.PathLike[str] | None = None, *, timeout: float = 5.0
    ) -> HistoryStore:
        """Like `open`, but never raises HistoryError: when the file cannot be used the store is in memory,
        `persistent` is False and `warning` says why (the file itself is left untouched)."""
        try:
            return cls.open(path, timeout=timeout)
        except HistoryError as err:
            return cls.in_memory(
                f"{err} This time your sessions are kept in memory only and will be lost when trainer closes."
            )

    @staticmethod
    def _prepare(conn: sqlite3.Connection, path: Path | None) -> None:
        """Check the file is a trainer history this code can read, then bring its schema up to date."""
        where = str(path) if path else "memory"
        try:
            conn.execute("PRAGMA foreign_keys = ON")
            app_id = conn.execute("PRAGMA application_id").fetchone()[0]
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            if app_id not in (0, APPLICATION_ID):
                raise HistoryCorrupt(
                    f"{where} is an SQLite database of another program, not a trainer history. It has been "
                    "left as it is: choose another file with --db PATH."
                )
            if version > CURRENT:
                raise HistoryTooNew(
                    f"The history file {where} was written by a newer version of trainer (schema {version}; "
                    f"this version knows up to {CURRENT}). It has been left as it is: update trainer, or use "
                    "another file with --db PATH."
                )
            tables = conn.execute(
                "SELECT count(*) FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'"
            ).fetchone()[0]
            if version == 0 and tables:
                raise HistoryCorrupt(
                    f"{where} is an SQLite database but not a trainer history. It has been left as it is: "
                    "choose another file with --db PATH."
                )
            if version:
                problems = [row[0] for row in conn.execute("PRAGMA quick_check")]
                if problems != ["ok"]:
                    raise sqlite3.DatabaseError("; ".join(problems[:3]))
            if version < CURRENT:
                conn.execute("BEGIN IMMEDIATE")
                try:
                    # Read again under the write lock: another process may have migrated meanwhile.
                    version = conn.execute("PRAGMA user_version").fetchone()[0]
                    for number in range(version, CURRENT):
                        for statement in MIGRATIONS[number]:
                            conn.execute(statement)
                        conn.execute(f"PRAGMA user_version = {number + 1}")
                    conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
                    conn.execute("COMMIT")
                except BaseException:
                    conn.execute("ROLLBACK")
                    raise
        except sqlite3.Error as err:
            raise _classify(err, path) from err

    def close(self) -> None:
        """Close the file."""
        with self._lock:
            self._conn.close()

    def __enter__(self) -> HistoryStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- plumbing -----------------------------------------------------------------------------------

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        """One transaction: all of it is written, or (on any error) none of it."""
        with self._lock:
            try:
                self._conn.execute("BEGIN IMMEDIATE")
            except sqlite3.Error as err:
                raise _classify(err, self.path) from err
            try:
                yield self._conn
                self._conn.execute("COMMIT")
            except BaseException as err:
                self._conn.execute("ROLLBACK")
                if isinstance(err, sqlite3.Error):
                    raise _classify(err, self.path) from err
                raise

    def _read(self, sql: str, params: Sequence[Any] = ()) -> list[sqlite3.Row]:
        try:
            with self._lock:
                return self._conn.execute(sql, params).fetchall()
        except sqlite3.Error as err:
            raise _classify(err, self.path) from err

    # --- sessions -----------------------------------------------------------------------------------

    def save_session(
        self,
        state: RunState,
        *,
        scenario: Scenario | None = None,
        self_assessment: BaseModel | Mapping[str, Any] | None = None,
        scores: Mapping[str, float] | None = None,
        learner_name: str | None = None,
    ) -> int:
        """Save one session, in one transaction, and return its id.

        Saving a run already saved (same `run_id`) replaces that session's run, scenario and scores in
        place and keeps its id and flags; a self-assessment or learner name given as None keeps the stored
        one.

        Args:
            state: the run (finished or stopped early).
            scenario: the scenario played; a snapshot is stored so the debrief can be rebuilt exactly.
            self_assessment: the self-assessment (a pydantic model or its JSON mapping), None if not taken.
            scores: skill -> session score (Debrief.session_scores()), for the list and the progress chart.
            learner_name: the student's name, if they gave one.
        """
        ending = None
        if scenario is not None and state.finished and state.node in scenario.nodes:
            ending = scenario.nodes[state.node].ending
        with self._write() as db:
            row = db.execute(
                "SELECT id, self_assessment, learner_name, scores FROM sessions WHERE run_id = ?",
                (state.run_id,),
            ).fetchone()

            def kept(given: str | None, column: str) -> str | None:
                # On a re-save, what the caller leaves out (None) keeps what was stored.
                return given if given is not None or row is None else row[column]

            values = (
                state.scenario_id,
                state.scenario_title,
                state.started_at.isoformat(),
                state.updated_at.isoformat(),
                _now(),
                int(state.finished),
                state.node if state.finished else None,
                ending.title if ending else None,
                ending.outcome.value if ending else None,
                state.model_dump_json(),
                kept(_dump(self_assessment), "self_assessment"),
                kept(_json({k: float(v) for k, v in scores.items()}) if scores else None, "scores"),
                kept(learner_name, "learner_name"),
                _dump(scenario),
                state.run_id,
            )
            columns = (
                "scenario_id, scenario_title, started_at, updated_at, saved_at, finished, ending_node,"
                " ending_title, outcome, run_state, self_assessment, scores, learner_name, scenario, run_id"
            )
            if row is None:
                cur = db.execute(f"INSERT INTO sessions ({columns}) VALUES ({', '.join('?' * 15)})", values)
                session_id = int(cur.lastrowid or 0)
            else:
                session_id = int(row["id"])
                assignments = ", ".join(f"{c.strip()} = ?" for c in columns.split(","))
                db.execute(f"UPDATE sessions SET {assignments} WHERE id = ?", (*values, session_id))
                # The transcript is rewritten whole (it may have grown since the last save); flags stay.
                db.execute("DELETE FROM evidence WHERE session_id = ?", (session_id,))
                db.execute("DELETE FROM turns WHERE session_id = ?", (session_id,))
            for idx, turn in enumerate(state.transcript):
                assessment = turn.assessment or {}
                db.execute(
                    "INSERT INTO turns"
                    " (session_id, idx, speaker, node, text, time, option, rule, scores, cues)"
                    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (
                        session_id,
                        idx,
                        turn.speaker,
                        turn.node,
                        turn.text,
                        turn.time.isoformat(),
                        turn.option,
                        turn.rule,
                        _json(assessment.get("scores")) if "scores" in assessment else None,
                        _json(assessment.get("cues")) if "cues" in assessment else None,
                    ),
                )
                evidence = assessment.get("evidence")
                for ev in evidence if isinstance(evidence, list) else []:
                    if not isinstance(ev, Mapping):
                        continue
                    db.execute(
                        "INSERT INTO evidence"
                        ' (session_id, turn_idx, signal, start, "end", text, source, reason)'
                        " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                        (
                            session_id,
                            idx,
                            str(ev.get("signal", "")),
                            int(ev.get("start", 0) or 0),
                            int(ev.get("end", 0) or 0),
                            str(ev.get("text", "")),
                            ev.get("source"),
                            ev.get("reason"),
                        ),
                    )
        return session_id

    def set_self_assessment(self, session_id: int, self_assessment: BaseModel | Mapping[str, Any] | None,
                            scores: Mapping[str, float] | None = None) -> None:
        """Replace a saved session's self-assessment (and, if given, its scores): for an app that saves the
        run as soon as it ends and the self-assessment after."""
        with self._write() as db:
            cur = db.execute(
                "UPDATE sessions SET self_assessment = ? WHERE id = ?", (_dump(self_assessment), session_id)
            )
            if cur.rowcount == 0:
                raise self._not_found(session_id)
            if scores is not None:
                db.execute("UPDATE sessions SET scores = ? WHERE id = ?", (_json(dict(scores)), session_id))

    def _not_found(self, session_id: int) -> SessionNotFound:
        return SessionNotFound(
            f"There is no session {session_id} in the history. `trainer history` lists them."
        )

    def _learner_turn(
        self, session_id: int, turn: int, columns: str, *, to: str, instead: str
    ) -> sqlite3.Row:
        """The `columns` (which include speaker) of one of the learner's replies, for a flag or a note.
        Raises SessionNotFound; FlagError when the session has no line `turn` ("... has no line 3 {to}.") or
        the line is the service user's ("...; {instead}.")."""
        rows = self._read(f"SELECT {columns} FROM turns WHERE session_id = ? AND idx = ?", (session_id, turn))
        if not rows:
            if not self._read("SELECT 1 FROM sessions WHERE id = ?", (session_id,)):
                raise self._not_found(session_id)
            raise FlagError(f"Session {session_id} has no line {turn} {to}.")
        if rows[0]["speaker"] != "learner":
            raise FlagError(f"Line {turn} of session {session_id} is the service user's; {instead}.")
        return rows[0]

    @staticmethod
    def _summary(row: sqlite3.Row) -> SessionSummary:
        scores = _loads(row["scores"], {})
        return SessionSummary(
            id=row["id"],
            scenario_id=row["scenario_id"],
            scenario_title=row["scenario_title"],
            started_at=datetime.fromisoformat(row["started_at"]),
            saved_at=datetime.fromisoformat(row["saved_at"]),
            finished=bool(row["finished"]),
            ending_title=row["ending_title"],
            outcome=row["outcome"],
            scores={k: float(v) for k, v in scores.items()} if isinstance(scores, dict) else {},
            run_id=row["run_id"],
            rated=row["self_assessment"] is not None,
        )

    def list_sessions(self) -> list[SessionSummary]:
        """All sessions, newest first."""
        rows = self._read("SELECT * FROM sessions ORDER BY started_at DESC, id DESC")
        return [self._summary(row) for row in rows]

    def find_session(self, ref: str) -> int:
        """The id of the session `ref` names: its number as `trainer history` lists it, or its run id or the
        first 6 or more characters of it. Raises SessionNotFound, or SessionAmbiguous (trainer.history.lookup
        says how each is told apart)."""
        return find_session(self, ref)

    def get_session(self, session_id: int) -> SessionRecord:
        """Everything stored about one session. Raises SessionNotFound, or HistoryCorrupt when its stored
        run cannot be read."""
        rows = self._read("SELECT * FROM sessions WHERE id = ?", (session_id,))
        if not rows:
            raise self._not_found(session_id)
        row = rows[0]
        try:
            state = RunState.model_validate_json(row["run_state"])
        except ValidationError as err:
            raise HistoryCorrupt(
                f"Session {session_id} in {self.path or 'memory'} is damaged and cannot be read "
                f"({err.error_count()} problem(s) in its stored run). Other sessions are unaffected."
            ) from err
        scenario = None
        snapshot = _loads(row["scenario"], None)
        if isinstance(snapshot, dict):
            try:
                scenario = Scenario.model_validate(snapshot)
            except ValidationError:
                scenario = None  # a snapshot from an older scenario format: the debrief says what is missing
        sa = _loads(row["self_assessment"], None)
        return SessionRecord(
            summary=self._summary(row),
            run_state=state,
            scenario=scenario,
            self_assessment=sa if isinstance(sa, dict) else None,
            learner_name=row["learner_name"],
            flags=self.flags(session_id),
            turn_notes=turn_notes(self, session_id),
        )

    def delete_session(self, session_id: int) -> None:
        """Delete a session with its transcript, evidence and flags. Raises SessionNotFound."""
        with self._write() as db:
            if db.execute("DELETE FROM sessions WHERE id = ?", (session_id,)).rowcount == 0:
                raise self._not_found(session_id)

    # --- flags --------------------------------------------------------------------------------------

    def add_flag(
        self,
        session_id: int,
        turn: int,
        *,
        wrong: Iterable[str] = (),
        missing: Iterable[str] = (),
        reason: str,
    ) -> int:
        """Record that the student disagrees with the scoring of one reply; returns the flag's id.

        Args:
            session_id: the session.
            turn: index into the session's transcript of the learner reply.
            wrong: signals the scorer found that the student thinks are not there.
            missing: signals the scorer did not find that the student thinks are there.
            reason: why, in the student's words (required).
        Raises: SessionNotFound; FlagError when the turn is not a learner reply, a signal is unknown or
            not in the state claimed, nothing is flagged, or the reason is empty.
        """
        wrong, missing, reason = list(dict.fromkeys(wrong)), list(dict.fromkeys(missing)), reason.strip()
        row = self._learner_turn(
            session_id, turn, "speaker, scores", to="to flag", instead="flag one of your replies"
        )
        unknown = [s for s in (*wrong, *missing) if s not in SIGNALS]
        if unknown:
            raise FlagError(f"Unknown signal {unknown[0]!r}: flag one of {', '.join(SIGNALS)}.")
        if not wrong and not missing:
            raise FlagError("Say which signal the scorer got wrong or missed.")
        if set(wrong) & set(missing):
            raise FlagError("A signal cannot be both wrong and missing.")
        present = _present(_loads(row["scores"], {}) or {})
        if any(s not in present for s in wrong):
            absent = ", ".join(s for s in wrong if s not in present)
            raise FlagError(f"The scorer did not find {absent} in that reply; flag it as missing instead.")
        if any(s in present for s in missing):
            found = ", ".join(s for s in missing if s in present)
            raise FlagError(f"The scorer already found {found} in that reply; flag it as wrong instead.")
        if not reason:
            raise FlagError("Say why you disagree: the reason is what the educator reviews.")
        with self._write() as db:
            cur = db.execute(
                "INSERT INTO flags (session_id, turn_idx, wrong, missing, reason, created_at)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                (session_id, turn, _json(wrong), _json(missing), reason, _now()),
            )
            return int(cur.lastrowid or 0)

    def flags(self, session_id: int | None = None) -> list[StoredFlag]:
        """All flags (or one session's), oldest first, each with the reply, its context and the scorer's
        labels."""
        where = "WHERE f.session_id = ?" if session_id is not None else ""
        rows = self._read(
            "SELECT f.*, t.text AS text, t.scores AS scores,"
            " (SELECT p.text FROM turns p WHERE p.session_id = f.session_id AND p.idx < f.turn_idx"
            "  AND p.speaker = 'service_user' ORDER BY p.idx DESC LIMIT 1) AS context"
            f" FROM flags f JOIN turns t ON t.session_id = f.session_id AND t.idx = f.turn_idx {where}"
            " ORDER BY f.created_at, f.id",
            (session_id,) if session_id is not None else (),
        )
        return [
            StoredFlag(
                id=row["id"],
                session_id=row["session_id"],
                turn=row["turn_idx"],
                wrong=list(_loads(row["wrong"], [])),
                missing=list(_loads(row["missing"], [])),
                reason=row["reason"],
                created_at=datetime.fromisoformat(row["created_at"]),
                text=row["text"],
                context=row["context"],
                scorer_labels=_present(_loads(row["scores"], {}) or {}),
            )
            for row in rows
        ]

    # --- progress -----------------------------------------------------------------------------------

    def progress(self) -> list[ProgressPoint]:
        """Each session's skill scores, oldest first (sessions saved without scores are left out)."""
        rows = self._read(
            "SELECT id, started_at, scenario_id, scores FROM sessions WHERE scores IS NOT NULL"
            " ORDER BY started_at, id"
        )
        points = []
        for row in rows:
            scores = _loads(row["scores"], None)
            if isinstance(scores, dict) and scores:
                points.append(
                    ProgressPoint(
                        session_id=row["id"],
                        started_at=datetime.fromisoformat(row["started_at"]),
                        scenario_id=row["scenario_id"],
                        scores={k: float(v) for k, v in scores.items()},
                    )
                )
        return points
