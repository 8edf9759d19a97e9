"""The end screen: how the conversation ended (the ending's title, outcome and the author's note).

`TrainerApp.show_ending()` shows it; Enter goes on to the self-assessment and the debrief
(`TrainerApp.after_ending()`), before any score is shown. Escape (home) or ctrl+q (quit) asks, then keeps
the session in the history for the self-rating later (`trainer.tui.later.leave_ended_run`).
"""

from __future__ import annotations

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Header, Static

from trainer.practice.play import PlayRun, outcome_label
from trainer.scenario.engine import EndingReached
from trainer.tui.footer import TrainerFooter


def ending_text(run: PlayRun, ending: EndingReached) -> Text:
    """The ending as text: the outcome, the title, the author's note, and where the session is."""
    text = Text()
    outcome = str(ending.ending.outcome)
    text.append(outcome_label(outcome, run.risk_pending) + "\n", style="bold")
    text.append(f"\n{ending.ending.title}\n\n", style="bold italic")
    text.append(ending.ending.note + "\n")
    replies = run.learner_turns
    plural = "reply" if replies == 1 else "replies"
    text.append(f"\nYou made {replies} {plural} in {run.mode} mode.", style="dim")
    if run.save_error:
        text.append(f"\n{run.save_error}", style="bold")
    text.append("\n\nPress Enter to rate yourself before you see your debrief.", style="italic")
    return text


class EndScreen(Screen[None]):
    """Shows the ending; Enter goes on to the self-rating, Escape home (the session kept for later)."""

    BINDINGS = [
        Binding("enter", "next", "Rate yourself, then the debrief", show=True),
        Binding("escape", "leave", "Later", show=True),
    ]

    def __init__(self, run: PlayRun, ending: EndingReached) -> None:
        super().__init__()
        self.run = run
        self.ending = ending

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="ending"):
            yield Static(ending_text(self.run, self.ending), id="ending-body")
        yield TrainerFooter()

    def on_mount(self) -> None:
        self.sub_title = "the end"
        self.add_class(f"outcome-{self.ending.ending.outcome}")
        self.query_one("#ending").focus()
        if getattr(self.app, "_trainer_history", None) is None:
            self._open_history()

    @work(thread=True, exclusive=True, exit_on_error=False, group="history")
    def _open_history(self) -> None:
        """Open the history file while the student reads the ending, off the UI thread: the debrief saves
        to it next, and a file another program holds locked must not freeze the app (up to 5 s). If Enter
        comes first, `start_debrief` opens it itself and `adopt_history_store` closes this one."""
        from trainer.history.store import HistoryStore
        from trainer.tui.debrief_screen import adopt_history_store

        store = HistoryStore.open_or_fallback()  # never raises: falls back to memory, with a warning
        self.app.call_from_thread(adopt_history_store, self.app, store)

    def action_leave(self) -> None:
        """Home, the self-rating left for later (asks first)."""
        self.confirm_leave(then_quit=False)

    def confirm_leave(self, then_quit: bool = False) -> None:
        """Escape or ctrl+q (`TrainerApp.action_quit`): ask, keep the session in the history, then leave."""
        from trainer.tui.later import leave_ended_run

        leave_ended_run(self.app, self.run, then_quit)

    def action_next(self) -> None:
        """On to the self-assessment and the debrief."""
        self.app.after_ending(self.run, self.ending)  # type: ignore[attr-defined]
