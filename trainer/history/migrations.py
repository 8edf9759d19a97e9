"""The history database's schema, as ordered migrations.

`MIGRATIONS[i]` takes a database at version i to version i + 1 (`PRAGMA user_version`); a new database
runs them all. Never edit a released migration: add a new one at the end, and a test that a database at
the previous version migrates keeping its data (tests/test_history_migrations.py).

Each migration is a tuple of single statements, not a script, so that all of them run inside the one
transaction the store opens (sqlite3's executescript would commit first).
"""

from __future__ import annotations

#: Marks the file as a trainer history (`PRAGMA application_id`), so another app's SQLite file is refused.
APPLICATION_ID = 0x74726E72  # "trnr"

V1: tuple[str, ...] = (
    # One row per session: the run state JSON is the source of truth; the other columns are for listing.
    """CREATE TABLE sessions (
        id INTEGER PRIMARY KEY,
        scenario_id TEXT NOT NULL,
        scenario_title TEXT NOT NULL,
        started_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        saved_at TEXT NOT NULL,
        finished INTEGER NOT NULL,
        ending_node TEXT,
        ending_title TEXT,
        outcome TEXT,
        run_state TEXT NOT NULL,
        self_assessment TEXT,
        scores TEXT
    )""",
    """CREATE TABLE turns (
        session_id INTEGER NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
        idx INTEGER NOT NULL,
        speaker TEXT NOT NULL,
        node TEXT NOT NULL,
        text TEXT NOT NULL,
        time TEXT NOT NULL,
        option INTEGER,
        rule TEXT,
        scores TEXT,
        cues TEXT,
        PRIMARY KEY (session_id, idx)
    )""",
    """CREATE TABLE evidence (
        session_id INTEGER NOT NULL,
        turn_idx INTEGER NOT NULL,
        signal TEXT NOT NULL,
        start INTEGER NOT NULL,
        "end" INTEGER NOT NULL,
        text TEXT NOT NULL,
        source TEXT,
        reason TEXT,
        FOREIGN KEY (session_id, turn_idx) REFERENCES turns(session_id, idx) ON DELETE CASCADE
    )""",
    "CREATE INDEX sessions_started ON sessions(started_at)",
)

V2: tuple[str, ...] = (
    # The learner's name (for redaction) and a snapshot of the scenario played, so a debrief can be rebuilt
    # exactly even after the scenario file changes; and the "I disagree" flags.
    "ALTER TABLE sessions ADD COLUMN learner_name TEXT",
    "ALTER TABLE sessions ADD COLUMN scenario TEXT",
    """CREATE TABLE flags (
        id INTEGER PRIMARY KEY,
        session_id INTEGER NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
        turn_idx INTEGER NOT NULL,
        wrong TEXT NOT NULL,
        missing TEXT NOT NULL,
        reason TEXT NOT NULL,
        created_at TEXT NOT NULL
    )""",
    "CREATE INDEX flags_session ON flags(session_id)",
)

V3: tuple[str, ...] = (
    # The engine names each run (RunState.run_id): saving the same run again (the app saves when the run
    # ends and again after the self-assessment) updates its session instead of adding a duplicate.
    "ALTER TABLE sessions ADD COLUMN run_id TEXT",
    "UPDATE sessions SET run_id = json_extract(run_state, '$.run_id') WHERE json_valid(run_state)",
    # Older rows may share no id or (if copied by hand) the same one: only the newest keeps it.
    "UPDATE sessions SET run_id = NULL WHERE run_id IS NOT NULL AND id NOT IN"
    " (SELECT max(id) FROM sessions WHERE run_id IS NOT NULL GROUP BY run_id)",
    "CREATE UNIQUE INDEX sessions_run ON sessions(run_id)",
)

V4: tuple[str, ...] = (
    # The student's "what was happening for you?" note on a reply, added in the debrief
    # (trainer.history.notes),
    # for the feelings column of the process recording. Kept with the session's transcript: when a re-save
    # rewrites the turns, notes on lines that still exist stay (no foreign key to turns, on purpose).
    """CREATE TABLE turn_notes (
        session_id INTEGER NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
        turn_idx INTEGER NOT NULL,
        text TEXT NOT NULL,
        created_at TEXT NOT NULL,
        PRIMARY KEY (session_id, turn_idx)
    )""",
)

MIGRATIONS: tuple[tuple[str, ...], ...] = (V1, V2, V3, V4)

#: The schema version this code writes.
CURRENT = len(MIGRATIONS)
