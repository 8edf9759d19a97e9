"""The help screen (F1, or ? outside text fields, or the command palette): the skills and Moss's
checklist of what a professional relationship is and is not."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Footer, Markdown

from trainer.practice.helptext import KEYS_MARKDOWN, SKILLS_MARKDOWN


class HelpScreen(ModalScreen[None]):
    """Scrollable help; Escape, q or F1 closes it."""

    BINDINGS = [Binding("escape,q", "close", "Close", show=True)]

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help"):
            yield Markdown(SKILLS_MARKDOWN + "\n" + KEYS_MARKDOWN, id="help-body")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#help").focus()

    def action_close(self) -> None:
        self.dismiss()
