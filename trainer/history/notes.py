"""The student's per-reply notes: "what was happening for you?", added in the debrief.

    set_turn_note(store, session_id, turn=3, text="I froze when she cried")   # "" deletes the note
    turn_notes(store, session_id)  -> {3: "I froze when she cried"}

They feed the "student's feelings and reactions" column of the process recording
(trainer.debrief.recording). Kept in the `turn_notes` table (migration V4), one row per reply, deleted with
the session. The note is the student's own words: stored as typed (trimmed), at most MAX_NOTE characters.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from contextlib import AbstractContextManager
from typing import Any, Protocol

from trainer.history.records import FlagError, _now


class HistoryStore(Protocol):
    """What the notes need of trainer.history.store.HistoryStore (not imported: the store imports this)."""

    def _read(self, sql: str, params: Sequence[Any] = ()) -> list[sqlite3.Row]: ...
    def _write(self) -> AbstractContextManager[sqlite3.Connection]: ...
    def _learner_turn(
        self, session_id: int, turn: int, columns: str, *, to: str, instead: str
    ) -> sqlite3.Row: ...

MAX_NOTE = 2000


def set_turn_note(store: HistoryStore, session_id: int, turn: int, text: str) -> None:
    """Keep (or, for an empty text, remove) the note on one learner reply.

    Raises: SessionNotFound; FlagError when the line is not one of the learner's replies or the note is
    longer than MAX_NOTE characters (the message says so); HistoryError when the file cannot be written.
    """
    text = text.strip()
    store._learner_turn(
        session_id, turn, "speaker", to="to add a note to", instead="add notes to your replies"
    )
    if len(text) > MAX_NOTE:
        raise FlagError(f"The note is {len(text):,} characters; keep it under {MAX_NOTE:,} (a line or two).")
    with store._write() as db:
        db.execute("DELETE FROM turn_notes WHERE session_id = ? AND turn_idx = ?", (session_id, turn))
        if text:
            db.execute(
                "INSERT INTO turn_notes (session_id, turn_idx, text, created_at) VALUES (?, ?, ?, ?)",
                (session_id, turn, text, _now()),
            )


def turn_notes(store: HistoryStore, session_id: int) -> dict[int, str]:
    """The session's notes, by transcript index of the reply (empty when none)."""
    rows = store._read(
        "SELECT turn_idx, text FROM turn_notes WHERE session_id = ? ORDER BY turn_idx", (session_id,)
    )
    return {int(row["turn_idx"]): str(row["text"]) for row in rows}
