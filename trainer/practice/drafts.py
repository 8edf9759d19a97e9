"""Self-assessments put off: what the student had entered when they quit (ctrl+q in the app, /quit in the
plain player) at the self-assessment,
kept as `<saves folder>/self-assessment/<run id>.json` (the folder and files readable by the user alone: it
may hold what they wrote about the service user), with the session's id in the history and its title.

    keep_draft(save_dir, run_id, session_id, title, sa) -> None, or why it could not be kept
    drafts(save_dir) -> [Draft], newest first; unreadable drafts are skipped
    draft_for(save_dir, session_id) -> Draft | None;  drop_draft(draft)

`trainer.tui.later` offers them on the next start of the app; the app and the plain player keep them.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from trainer.debrief.selfassess import SelfAssessment
from trainer.paths import saves_dir, write_private
from trainer.scenario.engine import RUN_ID_PATTERN

FOLDER = "self-assessment"


@dataclass(frozen=True)
class Draft:
    """A self-assessment begun and put off: the session (id in the history, title) and what was entered."""

    run_id: str
    session_id: int
    title: str
    entered: SelfAssessment
    path: Path


def _folder(save_dir: Path | None) -> Path:
    return (saves_dir() if save_dir is None else Path(save_dir)) / FOLDER


def keep_draft(
    save_dir: Path | None, run_id: str, session_id: int, title: str, entered: SelfAssessment
) -> str | None:
    """Keep what was entered so far for the next start. Returns None, or why it could not be kept."""
    import re

    if not re.fullmatch(RUN_ID_PATTERN, run_id):
        return f"'{run_id}' is not a run id."
    data = {"run_id": run_id, "session_id": session_id, "title": title, "entered": entered.as_json()}
    try:
        folder = _folder(save_dir)
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        write_private(folder / f"{run_id}.json", json.dumps(data, ensure_ascii=False))
    except OSError as error:
        return f"What you entered could not be kept ({error})."
    return None


def drafts(save_dir: Path | None) -> list[Draft]:
    """The self-assessments put off, newest first. A draft that cannot be read is left out (never raises)."""
    try:
        paths = sorted(_folder(save_dir).glob("*.json"), key=lambda p: p.stat().st_mtime, reverse=True)
    except OSError:
        return []
    out = []
    for path in paths:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            entered = SelfAssessment.model_validate(data["entered"])
            out.append(Draft(str(data["run_id"]), int(data["session_id"]), str(data["title"]), entered, path))
        except (OSError, ValueError, KeyError, TypeError):
            continue
    return out


def draft_for(save_dir: Path | None, session_id: int) -> Draft | None:
    """The draft of this session, if one was kept."""
    return next((d for d in drafts(save_dir) if d.session_id == session_id), None)


def drop_draft(draft: Draft | None) -> None:
    """Forget a draft once its self-assessment is saved (a file that will not go is left)."""
    if draft is not None:
        try:
            draft.path.unlink(missing_ok=True)
        except OSError:
            pass


