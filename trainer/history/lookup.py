"""Finding a saved session by what a person types: its number, its run id, or the start of its run id.

    find_session(store, "3")          -> 3   (the number `trainer history` lists)
    find_session(store, "60c8db0d")   -> 3   (the run id a class report names it by, or 6+ of its first
                                              characters: the report shows 8)

The number and the run id both name a session: a student matches the S-numbered sessions of their practice
educator's class report (which gives each session's run id) with their own history by the run id. A string
of digits is a session number when it is shorter than MIN_PREFIX; from MIN_PREFIX characters on it may
also begin a run id (run ids are hex), and when it names two different sessions that way the lookup says
so rather than guess. Used by the CLI (`trainer export`) through HistoryStore.find_session.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from typing import Any, Protocol

from trainer.history.records import SessionAmbiguous, SessionNotFound

#: The fewest characters of a run id that name a session: 6 hex digits are 16 million runs.
MIN_PREFIX = 6

#: How many of the sessions an ambiguous prefix names are listed in the message.
SHOWN = 5


class HistoryStore(Protocol):
    """What the lookup needs of trainer.history.store.HistoryStore (not imported: the store imports this)."""

    def _read(self, sql: str, params: Sequence[Any] = ()) -> list[sqlite3.Row]: ...


def find_session(store: HistoryStore, ref: str) -> int:
    """The id of the session `ref` names (see the module doc).

    Raises:
        SessionNotFound: no session has that number or a run id beginning so; also when `ref` is too short
            to be a run id and is not a number (the message says to give at least MIN_PREFIX characters).
        SessionAmbiguous: `ref` begins the run ids of two or more sessions, or is one session's number and
            the start of another's run id (the message lists them, with what to give instead).
    """
    text = ref.strip()
    number = int(text) if text.isascii() and text.isdigit() else None
    by_number = number is not None and bool(store._read("SELECT 1 FROM sessions WHERE id = ?", (number,)))
    if len(text) < MIN_PREFIX:
        if number is not None:
            if by_number:
                return number
            raise SessionNotFound(f"There is no session {number} in the history. `trainer history` lists "
                                  "them, each with its number and run id.")
        raise SessionNotFound(
            f"'{text}' is neither a session number nor long enough to be a run id: give the session's number "
            f"or at least {MIN_PREFIX} characters of its run id, as `trainer history` lists them."
        )
    rows = store._read(
        "SELECT id, run_id FROM sessions WHERE lower(substr(run_id, 1, ?)) = lower(?) ORDER BY id",
        (len(text), text),
    )
    found = [(int(row["id"]), str(row["run_id"])) for row in rows]
    if number is not None and by_number and number not in [i for i, _ in found]:
        found.insert(0, (number, ""))
    if len(found) == 1:
        return found[0][0]
    if not found:
        raise SessionNotFound(
            f"There is no session with the run id '{text}' (or one beginning so) in the history. "
            "`trainer history` lists the sessions with their numbers and run ids; an unfinished session is "
            "exported once it is finished (`trainer play --resume RUN_ID`)."
        )
    named = [f"session {i} " + (f"(run {_short(run)})" if run else "(by its number)") for i, run in found]
    more = f" and {len(named) - SHOWN} more" if len(named) > SHOWN else ""
    raise SessionAmbiguous(
        f"'{text}' names {len(found)} sessions: {', '.join(named[:SHOWN])}{more}. Give more characters of "
        "the run id, or the session's number, as `trainer history` lists them."
    )


def _short(run_id: str) -> str:
    return run_id if len(run_id) <= 12 else run_id[:12] + "\u2026"
