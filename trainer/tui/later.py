"""A self-assessment put off: the student quit (ctrl+q) at the self-assessment, and finishes it later.

The session and its scores are in the history already (saved as soon as it ended). What the student had
entered so far is kept as a draft, `<saves folder>/self-assessment/<run id>.json` (readable by the user
alone: it may hold what they wrote about the service user), with the session's id and title:

    keep_draft(save_dir, run_id, session_id, title, sa) -> None, or why it could not be kept
    drafts(save_dir) -> [Draft], newest first; unreadable drafts are skipped
    offer_drafts(app)            # on start: "Rate yourself now?" for the newest draft
    assess_session(app, store, session_id, draft=None, from_history=False)
                                 # the self-assessment (prefilled), saved, then the session's debrief

A session in the history with no self-assessment (quit at it, in the app or the plain player) can also be
self-assessed from the history screen: opening it asks for the self-assessment first.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from textual.app import App

from trainer.debrief.compute import debrief_from_record
from trainer.debrief.selfassess import SelfAssessment
from trainer.history.store import HistoryError, HistoryStore
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


def offer_drafts(app: App[Any]) -> None:
    """On start: ask whether to finish the newest self-assessment put off (there is one at most per quit)."""
    from trainer.tui.dialogs import ConfirmScreen

    save_dir = getattr(app, "save_dir", None)
    pending = drafts(save_dir)
    if not pending:
        return
    draft = pending[0]

    def answered(now: bool | None) -> None:
        if now:
            from trainer.tui.debrief_screen import history_store

            assess_session(app, history_store(app), draft.session_id, draft)
        else:
            app.notify(
                f"You can rate yourself later: open \"{draft.title}\" in your history (F3).",
                title="Self-assessment not done yet",
                markup=False,
                timeout=8,
            )

    app.push_screen(
        ConfirmScreen(
            f"Last time you quit before rating yourself on \"{draft.title}\". Rate yourself now and see its "
            "debrief? What you had entered is kept.",
            yes="Rate myself now",
            no="Later",
        ),
        answered,
    )


def assess_session(
    app: App[Any], store: HistoryStore, session_id: int, draft: Draft | None = None,
    from_history: bool = False,
) -> None:
    """Ask for the self-assessment of a session already in the history (prefilled with `draft`), save it
    with the session's scores, then show the session's debrief."""
    from trainer.tui.debrief_screen import DebriefScreen
    from trainer.tui.selfassess import SelfAssessScreen

    try:
        record = store.get_session(session_id)
    except HistoryError as error:
        app.notify(str(error), title="Cannot open this session", severity="error", markup=False, timeout=15)
        return
    draft = draft or draft_for(getattr(app, "save_dir", None), session_id)

    def done(sa: SelfAssessment) -> None:
        try:
            store.set_self_assessment(session_id, sa)
            saved = store.get_session(session_id)
            debrief = debrief_from_record(saved)
            store.set_self_assessment(session_id, sa, scores=debrief.session_scores())
        except HistoryError as error:
            app.notify(str(error), title="Self-assessment not saved", severity="error", markup=False)
            debrief = debrief_from_record(record)
        else:
            drop_draft(draft)
        app.switch_screen(DebriefScreen(debrief, store, from_history=from_history))

    def keep(entered: SelfAssessment) -> str | None:
        return keep_draft(getattr(app, "save_dir", None), record.run_state.run_id, session_id,
                          record.run_state.scenario_title, entered)

    app.push_screen(
        SelfAssessScreen(
            on_done=done,
            scenario_title=record.run_state.scenario_title,
            entered=draft.entered if draft else None,
            keep_for_later=keep,
        )
    )
