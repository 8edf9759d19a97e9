"""What the history hands out and raises: the records of saved sessions and flags, and the errors whose
messages say what, where and what to do. Split from `store` (which re-exports every name here) so that the
store module keeps to reading and writing the file. Imports the standard library, pydantic and the scenario
and scoring APIs only.
"""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from trainer.paths import data_dir
from trainer.scenario.engine import RunState
from trainer.scenario.schema import Scenario
from trainer.scoring.api import SIGNALS, THRESHOLD

DB_ENV = "TRAINER_DB"
FILE_NAME = "history.sqlite3"


class HistoryError(Exception):
    """A problem with the history file, with a message for the user (what, where, what to do)."""


class HistoryLocked(HistoryError):
    """Another program (or another trainer) is writing to the history file."""


class HistoryCorrupt(HistoryError):
    """The file is damaged, or is not a trainer history."""


class HistoryTooNew(HistoryError):
    """The file was written by a newer trainer, with a schema this one does not know."""


class HistoryReadOnly(HistoryError):
    """The file (or its folder) cannot be written."""


class SessionNotFound(HistoryError, KeyError):
    """No session has that id."""

    def __str__(self) -> str:  # KeyError would quote the message
        return str(self.args[0])


class SessionAmbiguous(HistoryError, KeyError):
    """A run id prefix that begins the run ids of more than one session."""

    def __str__(self) -> str:  # KeyError would quote the message
        return str(self.args[0])


class FlagError(HistoryError, ValueError):
    """A flag that does not fit the session (no such reply, unknown signal, no reason)."""


def default_path() -> Path:
    """Where the history lives when no path is given: TRAINER_DB, else data_dir()/history.sqlite3.

    Raises: HistoryReadOnly when the data folder cannot be created (the message says which and why).
    """
    env = os.environ.get(DB_ENV, "").strip()
    if env:
        return Path(env).expanduser()
    try:
        return data_dir() / FILE_NAME
    except OSError as err:
        raise HistoryReadOnly(
            f"{err} Or choose a history file with --db PATH or the {DB_ENV} environment variable."
        ) from err


def _now() -> str:
    return datetime.now(UTC).isoformat()


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def _loads(text: str | None, default: Any) -> Any:
    if text is None:
        return default
    try:
        return json.loads(text)
    except ValueError:
        return default


def _dump(value: BaseModel | Mapping[str, Any] | None) -> str | None:
    if value is None:
        return None
    if isinstance(value, BaseModel):
        return _json(value.model_dump(mode="json", by_alias=True))
    return _json(dict(value))


def _present(scores: Mapping[str, Any]) -> list[str]:
    return [s for s in SIGNALS if isinstance(scores.get(s), int | float) and scores[s] >= THRESHOLD]


@dataclass(frozen=True)
class SessionSummary:
    """One line of `trainer history`."""

    id: int
    scenario_id: str
    scenario_title: str
    started_at: datetime
    saved_at: datetime
    finished: bool
    ending_title: str | None
    outcome: str | None
    scores: dict[str, float]
    """Skill -> session score 0-1, as the debrief computed it when the session was saved (may be empty)."""
    run_id: str | None = None
    """The run's own id (RunState.run_id), the one a class report names the session by; None for a session
    saved before runs were named, or a second save of one run kept from before that (migration V3)."""
    rated: bool = True
    """Whether the student's self-rating is saved; a finished session without one waits for it (the app asks
    before its debrief)."""

    @property
    def short_run(self) -> str:
        """The run id's first 8 characters, as `trainer history` and the class report show it ("-" when
        the session has none)."""
        return self.run_id[:8] if self.run_id else "-"


@dataclass(frozen=True)
class StoredFlag:
    """An "I disagree" flag, with what an educator needs to review it."""

    id: int
    session_id: int
    turn: int
    """Index into the session's transcript of the learner reply flagged."""
    wrong: list[str]
    missing: list[str]
    reason: str
    created_at: datetime
    text: str
    """The reply flagged."""
    context: str | None
    """The service user's line just before it."""
    scorer_labels: list[str]
    """The signals the scorer found present, in SIGNALS order."""

    @property
    def labels(self) -> list[str]:
        """The scorer's labels corrected by the flag: minus the wrong ones, plus the missing ones."""
        return [s for s in SIGNALS if (s in self.scorer_labels and s not in self.wrong) or s in self.missing]

    def eval_line(self) -> dict[str, Any]:
        """The flag as a labelled line in the `trainer eval` format."""
        return {
            "text": self.text,
            "context": self.context,
            "labels": self.labels,
            "flag_reason": self.reason,
            "session": self.session_id,
        }

    def as_mapping(self) -> dict[str, Any]:
        """The fields the debrief shows (trainer.debrief FlagView)."""
        return {
            "turn": self.turn,
            "wrong": list(self.wrong),
            "missing": list(self.missing),
            "reason": self.reason,
            "created_at": self.created_at,
        }


@dataclass(frozen=True)
class SessionRecord:
    """Everything stored about one session."""

    summary: SessionSummary
    run_state: RunState
    scenario: Scenario | None
    """The scenario as it was played (a snapshot), or None when not stored or no longer readable."""
    self_assessment: dict[str, Any] | None
    learner_name: str | None
    flags: list[StoredFlag] = field(default_factory=list)
    turn_notes: dict[int, str] = field(default_factory=dict)
    """The student's "what was happening for you?" notes, by transcript index (trainer.history.notes)."""

    @property
    def id(self) -> int:
        return self.summary.id


@dataclass(frozen=True)
class ProgressPoint:
    """One session's scores, for the progress chart."""

    session_id: int
    started_at: datetime
    scenario_id: str
    scores: dict[str, float]


def _classify(err: sqlite3.Error, path: Path | None) -> HistoryError:
    """Turn a sqlite3 error into a HistoryError with a message for the user."""
    where = str(path) if path else "the in-memory history"
    text = str(err).lower()
    if "locked" in text or "busy" in text:
        return HistoryLocked(
            f"The history file {where} is in use by another program (perhaps another trainer window). "
            "Close it and try again."
        )
    if "readonly" in text or "read-only" in text:
        return HistoryReadOnly(
            f"The history file {where} cannot be written (it or its folder is read-only). Make it writable, "
            f"or choose another file with --db PATH or the {DB_ENV} environment variable."
        )
    if "unable to open" in text:
        return HistoryReadOnly(
            f"The history file {where} cannot be opened. Check that its folder exists and is writable, or "
            f"choose another file with --db PATH or the {DB_ENV} environment variable."
        )
    damaged = isinstance(err, sqlite3.DatabaseError)
    if damaged and not isinstance(err, sqlite3.OperationalError | sqlite3.IntegrityError):
        return HistoryCorrupt(
            f"The history file {where} is damaged ({err}). It has been left as it is: move it aside (or "
            f"choose another file with --db PATH) and trainer will start a new history."
        )
    return HistoryError(f"The history file {where} could not be used: {err}.")
