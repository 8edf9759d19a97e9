"""Saved runs: every run in progress is written to disk after each turn, so nothing is lost when the
app is closed, crashes or the machine goes off, and the learner can resume later.

One JSON file per run, `<run_id>.json`, in `trainer.paths.saves_dir()` (or a folder you pass). Writes
are atomic (a temporary file in the same folder, flushed to disk, then renamed over the old one), so a
save file is always either the previous turn or the new one, never half of each. A file that cannot be
read is moved aside to `<name>.corrupt-<UTC timestamp>` and reported, never deleted and never a crash.

Finished runs are kept by `save_run` until the debrief has stored them in the history (it then calls
`discard_run`); `list_unfinished` leaves them out. Used by the TUI, the plain player and the debrief.
"""

from __future__ import annotations

import os
import re
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from trainer.paths import saves_dir, write_private
from trainer.scenario.engine import RUN_ID_PATTERN, RunState, Session, StateError, parse_state

SUFFIX = ".json"
#: A save file larger than this is not a run (a long run with evidence is well under 1 MB).
MAX_BYTES = 64 * 1024 * 1024
#: Temporary files older than this were left by a process that died mid-write: safe to remove.
STALE_TEMP_SECONDS = 24 * 3600


class SaveError(OSError):
    """A run could not be written (disk full, no permission); the message says where and why."""


class RunNotFound(LookupError):
    """No saved run has this id."""

    def __str__(self) -> str:  # LookupError would show the repr of the message
        return str(self.args[0]) if self.args else "no such saved run"


class CorruptSave(StateError):
    """A save file could not be read; it has been moved aside (see `problem`)."""

    def __init__(self, problem: SaveProblem) -> None:
        super().__init__(problem.message)
        self.problem = problem


@dataclass(frozen=True)
class SavedRun:
    """A saved run, as a list of runs to resume shows it."""

    run_id: str
    scenario_id: str
    scenario_title: str
    node: str
    turns: int
    """How many replies the learner has given."""
    updated_at: datetime
    finished: bool
    path: Path
    started_at: datetime | None = None
    last_said: str | None = None
    """The learner's last reply as they wrote it (None before the first): what tells two unfinished runs
    of one scenario apart for the learner choosing which to resume or discard."""
    mode: str | None = None
    """How it was played ("coach" or "practice"), None when saved without one."""


@dataclass(frozen=True)
class SaveProblem:
    """A save file that could not be read, and what was done with it."""

    path: Path
    """Where the file was."""
    moved_to: Path | None
    """Where it is now (None if it could not be moved: it is then still at `path`)."""
    message: str
    """What went wrong, for the learner: which file, why, and where it now is."""

    def __str__(self) -> str:
        return self.message


class RunList(list[SavedRun]):
    """A list of saved runs, newest first, with the problems met while reading them in `problems`."""

    def __init__(self, runs: list[SavedRun], problems: list[SaveProblem]) -> None:
        super().__init__(runs)
        self.problems = problems


@dataclass
class _Scan:
    runs: list[SavedRun] = field(default_factory=list)
    problems: list[SaveProblem] = field(default_factory=list)


def save_run(session_or_state: Session | RunState, directory: Path | None = None) -> Path:
    """Write the run to `<run_id>.json`, atomically; call it after every turn.

    Args:
        session_or_state: the Session being played, or its RunState.
        directory: where to save; default `trainer.paths.saves_dir()`.
    Returns: the path written.
    Raises: SaveError when it cannot be written (the previous save, if any, is left intact).
    """
    state = session_or_state.state if isinstance(session_or_state, Session) else session_or_state
    if not isinstance(state, RunState):
        raise TypeError(f"save_run takes a Session or a RunState, not {type(session_or_state).__name__}")
    folder = _folder(directory)
    target = folder / f"{state.run_id}{SUFFIX}"
    data = state.model_dump_json(indent=1).encode("utf-8")
    try:
        folder.mkdir(parents=True, exist_ok=True)
        write_private(target, data)  # beside it, then moved over it: a failed write keeps the last save
    except OSError as exc:
        raise SaveError(
            f"Could not save the run to {target}: {exc.strerror or exc}. The last turn is not saved yet."
        ) from None
    _sync_folder(folder)
    return target


def list_unfinished(directory: Path | None = None) -> RunList:
    """The runs that can be resumed, newest first (by when they were last played).

    Files that cannot be read are moved aside and reported in the result's `problems`; half-written
    temporary files (from a crash during a save) are ignored.
    """
    scan = _scan(_folder(directory))
    return RunList([r for r in scan.runs if not r.finished], scan.problems)


def list_runs(directory: Path | None = None) -> RunList:
    """Every saved run, finished ones included (those the debrief has not stored yet), newest first."""
    scan = _scan(_folder(directory))
    return RunList(scan.runs, scan.problems)


def load_run(run_id: str, directory: Path | None = None) -> RunState:
    """The saved state of a run (check it against its scenario with `Session(scenario, id, state)`).

    `run_id` may be the start of one (as `trainer history` shows it, 8 characters) when no other saved run
    starts the same way.

    Raises: RunNotFound when there is no such run, or when several start with `run_id`; CorruptSave (a
        StateError) when the file cannot be read - it has then been moved aside, and the error says where.
    """
    path = _run_path(run_id, _folder(directory))
    if not path.is_file():
        starting = sorted(p for p in path.parent.glob(f"{run_id}*{SUFFIX}") if not p.name.startswith("."))
        if len(starting) > 1:
            ids = ", ".join(p.name[: -len(SUFFIX)] for p in starting)
            raise RunNotFound(f"'{run_id}' is the start of {len(starting)} saved runs ({ids}): give more of "
                              "it.")
        if not starting:
            raise RunNotFound(f"There is no saved run '{run_id}' in {path.parent}.")
        path = starting[0]
    state, problem = _read(path)
    if problem is not None:
        raise CorruptSave(problem)
    assert state is not None
    return state


def discard_run(run_id: str, directory: Path | None = None) -> bool:
    """Delete a saved run (the learner chose to discard it, or the debrief has stored it).

    Returns: True if a file was deleted, False if there was none.
    Raises: SaveError when the file exists but cannot be deleted.
    """
    path = _run_path(run_id, _folder(directory))
    try:
        path.unlink()
    except FileNotFoundError:
        return False
    except OSError as exc:
        raise SaveError(f"Could not delete the saved run {path}: {exc.strerror or exc}.") from None
    return True


# --- internals -------------------------------------------------------------------------------------------


def _folder(directory: Path | None) -> Path:
    return saves_dir() if directory is None else Path(directory)


def _run_path(run_id: str, folder: Path) -> Path:
    # The id becomes a file name: refuse anything that could point outside the folder.
    if not isinstance(run_id, str) or not re.fullmatch(RUN_ID_PATTERN, run_id):
        raise RunNotFound(f"'{run_id}' is not a run id (letters, digits, - and _ only).")
    return folder / f"{run_id}{SUFFIX}"


def _scan(folder: Path) -> _Scan:
    scan = _Scan()
    if not folder.is_dir():
        return scan
    _remove_stale_temps(folder)
    for path in sorted(folder.glob(f"*{SUFFIX}")):
        if path.name.startswith(".") or not path.is_file():
            continue
        state, problem = _read(path)
        if problem is not None:
            scan.problems.append(problem)
        elif state is not None:
            scan.runs.append(
                SavedRun(
                    run_id=state.run_id,
                    scenario_id=state.scenario_id,
                    scenario_title=state.scenario_title,
                    node=state.node,
                    turns=sum(1 for r in state.transcript if r.speaker == "learner"),
                    updated_at=state.updated_at,
                    finished=state.finished,
                    path=path,
                    started_at=state.started_at,
                    mode=state.mode,
                    last_said=next(
                        (r.text for r in reversed(state.transcript) if r.speaker == "learner"), None
                    ),
                )
            )
    scan.runs.sort(key=lambda r: (r.updated_at, r.run_id), reverse=True)
    return scan


def _read(path: Path) -> tuple[RunState | None, SaveProblem | None]:
    """The state in a save file, or the problem with it (the file is then moved aside)."""
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            return None, _set_aside(path, f"It is {size // (1024 * 1024)} MB, far too large for a saved run.")
        data = path.read_bytes()
    except OSError as exc:
        return None, _set_aside(path, f"It cannot be read ({exc.strerror or exc}).")
    try:
        state = parse_state(data)
    except StateError as exc:
        return None, _set_aside(path, str(exc))
    if path.stem != state.run_id:
        return None, _set_aside(path, f"It holds the run '{state.run_id}', which does not match its name.")
    if state.updated_at.tzinfo is None:
        return None, _set_aside(path, "Its time has no time zone.")
    return state, None


def _set_aside(path: Path, why: str) -> SaveProblem:
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    aside = path.with_name(f"{path.name}.corrupt-{stamp}")
    n = 1
    while aside.exists():  # two problems in one second: never overwrite an earlier one
        n += 1
        aside = path.with_name(f"{path.name}.corrupt-{stamp}-{n}")
    try:
        os.rename(path, aside)
    except OSError as exc:
        return SaveProblem(
            path=path,
            moved_to=None,
            message=f"Cannot resume the saved run {path.name}. {why} It could not be moved aside "
            f"({exc.strerror or exc}); it is still at {path}.",
        )
    return SaveProblem(
        path=path,
        moved_to=aside,
        message=f"Cannot resume the saved run {path.name}. {why} It has been kept as {aside}.",
    )


def _remove_stale_temps(folder: Path) -> None:
    cutoff = time.time() - STALE_TEMP_SECONDS
    for tmp in folder.glob(".*.tmp"):
        try:
            if tmp.stat().st_mtime < cutoff:
                tmp.unlink()
        except OSError:
            pass  # another process may have just renamed or removed it


def _sync_folder(folder: Path) -> None:
    # Make the rename itself durable (POSIX); not possible, nor needed, on every platform.
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
