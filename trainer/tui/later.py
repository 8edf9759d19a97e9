"""A self-assessment put off: the student quit (ctrl+q) at the self-assessment, or left at the ending
before it (Escape or ctrl+q at "The conversation is over", or on the end screen), and finishes it later.

The session and its scores are in the history (saved as soon as it ended, or as the student left); what the
student had entered is kept as a draft (`trainer.practice.drafts`; an empty one when they left before it).

    leave_ended_run(app, run, then_quit)   # Escape / ctrl+q at the ending: asks, keeps it, leaves
    recover_ended_runs(app, scenarios, ended)  # on start: finished runs never stored (older version)
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
from trainer.practice.drafts import Draft, draft_for, drafts, drop_draft, keep_draft
from trainer.practice.play import store_ended_run, store_ended_saves

LEAVE_QUESTION = (
    "Leave before rating yourself? This session is kept in your history (F3): open it there to rate "
    "yourself and see the debrief."
)
QUIT_QUESTION = (
    "Quit before rating yourself? This session is kept in your history: next time you start, you can "
    "rate yourself and see the debrief."
)


def keep_ended_run(app: App[Any], run: Any) -> int | None:
    """Keep a run that reached its ending, before its self-rating: in the history with its scores and an
    empty self-assessment draft (so the next start offers the self-rating, as after a quit at it). Returns
    the session id, or None (and the student is told why; the run's save file is then kept)."""
    from trainer.tui.debrief_screen import history_store

    store = history_store(app)
    session_id, not_saved, kept = store_ended_run(store, run, getattr(app, "learner_name", None))
    if session_id is None:
        app.notify(f"{not_saved} Your session is still in its save file.", title="Session not saved",
                   severity="error", timeout=15)
        return None
    if kept:
        app.notify(kept, title="Old save file kept", severity="warning", timeout=10)
    state = run.state
    problem = keep_draft(getattr(run, "save_dir", None), state.run_id, session_id, state.scenario_title,
                         SelfAssessment())
    if problem:  # still in the history, where opening it asks for the self-rating
        app.notify(problem, title="Self-rating not offered next time", severity="warning", timeout=10)
    return session_id


def leave_ended_run(app: App[Any], run: Any, then_quit: bool) -> None:
    """Escape or ctrl+q once the conversation has ended, before the self-rating: ask, then keep the run
    (`keep_ended_run`) and go home or quit. Leaving used to go with no question, and the run was then in
    no list at all (student tester: "a finished conversation vanishes")."""
    from trainer.tui.dialogs import ConfirmScreen

    def answered(leave: bool | None) -> None:
        if not leave:
            return
        session_id = keep_ended_run(app, run)
        if then_quit:
            app.exit()
            return
        if session_id is not None:
            app.notify(f"\"{run.state.scenario_title}\" is in your history (F3): open it to rate yourself "
                       "and see the debrief.", title="Kept for later", timeout=8)
        app.pop_screen()

    question, yes = (QUIT_QUESTION, "Quit") if then_quit else (LEAVE_QUESTION, "Leave")
    app.push_screen(ConfirmScreen(question, yes=yes, no="Stay"), answered)


def recover_ended_runs(app: App[Any], scenarios: Any, ended: Any) -> None:
    """On start: store finished runs whose save file never reached the history (`store_ended_saves`), each
    with an empty draft so the self-rating is offered. `scenarios`: the home screen's LoadedScenarios;
    `ended`: the finished runs its worker found in the saves folder (`HomeData.ended`)."""
    from trainer.tui.debrief_screen import history_store

    save_dir = getattr(app, "save_dir", None)
    by_id = {loaded.id: loaded.scenario for loaded in scenarios}
    learner = getattr(app, "learner_name", None)
    stored, problems = store_ended_saves(history_store(app), by_id, ended, save_dir, learner)
    for session_id, run_id, title in stored:
        keep_draft(save_dir, run_id, session_id, title, SelfAssessment())
    for problem in problems:
        app.notify(problem, title="A finished session was not stored", severity="warning", timeout=12)


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
