"""A self-assessment put off: the student quit (ctrl+q) at the self-assessment, and finishes it later.

The session and its scores are in the history already (saved as soon as it ended); what the student had
entered is kept as a draft (`trainer.tui.drafts`).

    offer_drafts(app)            # on start: "Rate yourself now?" for the newest draft
    assess_session(app, store, session_id, draft=None, from_history=False)
                                 # the self-assessment (prefilled), saved, then the session's debrief

A session in the history with no self-assessment (quit at it, in the app or the plain player) can also be
self-assessed from the history screen: opening it asks for the self-assessment first.
"""

from __future__ import annotations

from typing import Any

from textual.app import App

from trainer.debrief.compute import debrief_from_record
from trainer.debrief.selfassess import SelfAssessment
from trainer.history.store import HistoryError, HistoryStore
from trainer.tui.drafts import Draft, draft_for, drafts, drop_draft, keep_draft


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
