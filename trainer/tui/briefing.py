"""The briefing: who the service user is, why you are visiting, the objectives, and the mode choice.

Coach mode gives a short note after each reply; practice mode gives feedback only at the end. A resumed
session goes straight back to the conversation in the mode it was played in (kept in the run's state);
only one saved without its mode (by an older trainer) comes through here, to choose the mode again.
"""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Header, Static

from trainer.practice.play import Mode
from trainer.scenario.engine import RunState

MODE_TEXT: dict[str, str] = {
    "coach": "Coach: a short note after each reply (what you showed, the words, one tip), "
    "and gauges of trust and distress.",
    "practice": "Practice: no feedback until the end, as in a real meeting.",
}


def briefing_text(loaded: Any, resume: RunState | None = None) -> Text:
    """The briefing as text (no markup parsing: scenario text is shown as the author wrote it)."""
    s = loaded.scenario
    p = s.service_user
    text = Text()
    text.append(s.title, style="bold")
    text.append(f"\n{str(s.difficulty).capitalize()}  ·  {s.setting}\n", style="italic")
    if resume is not None:
        replies = sum(1 for t in resume.transcript if t.speaker == "learner")
        text.append(f"\nYou are resuming this session: {replies} {'reply' if replies == 1 else 'replies'} "
                    "so far.\n", style="bold")
    text.append("\nWho you are meeting\n", style="bold underline")
    who = p.name
    extras = [str(p.age) if p.age is not None else "", p.pronouns or ""]
    if any(extras):
        who += " (" + ", ".join(e for e in extras if e) + ")"
    text.append(who + "\n", style="bold")
    text.append(f"{p.situation}\n")
    text.append("Wants: ", style="bold")
    text.append(f"{p.wants}\n")
    text.append("Fears: ", style="bold")
    text.append(f"{p.fears}\n")
    if p.history:
        text.append("Background: ", style="bold")
        text.append(f"{p.history}\n")
    text.append("\nWhy you are visiting\n", style="bold underline")
    text.append(f"{s.referral or s.summary}\n")
    text.append("\nWhat to practise\n", style="bold underline")
    for objective in s.objectives:
        text.append(f"• {objective}\n")
    return text


class BriefingScreen(Screen[None]):
    """Read the briefing, choose coach or practice, press Enter to meet the service user."""

    BINDINGS = [
        Binding("enter", "start", "Start", show=True),
        Binding("c", "mode('coach')", "Coach mode", show=True),
        Binding("p", "mode('practice')", "Practice mode", show=True),
        Binding("escape", "back", "Back", show=True),
    ]

    def __init__(self, loaded: Any, mode: Mode = "coach", resume: RunState | None = None) -> None:
        super().__init__()
        self.loaded = loaded
        self.mode: Mode = mode
        self.resume = resume

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="briefing"):
            yield Static(briefing_text(self.loaded, self.resume), id="briefing-body")
        yield Static(id="mode-choice")
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = "briefing"
        self.query_one("#briefing").focus()
        self._show_mode()

    def _show_mode(self) -> None:
        text = Text()
        for mode in ("coach", "practice"):
            chosen = mode == self.mode
            text.append("(•) " if chosen else "( ) ", style="bold" if chosen else "dim")
            text.append(MODE_TEXT[mode] + "\n", style="bold" if chosen else "dim")
        verb = "continue" if self.resume is not None else "meet " + self.loaded.scenario.service_user.name
        text.append(f"Press Enter to {verb}; c or p to change the mode.", style="italic")
        self.query_one("#mode-choice", Static).update(text)

    def action_mode(self, mode: str) -> None:
        """Choose coach or practice mode."""
        if mode in ("coach", "practice"):
            self.mode = mode  # type: ignore[assignment]
            self._show_mode()

    def action_start(self) -> None:
        """Start (or continue) the conversation in the chosen mode."""
        self.app.start_run(self.loaded, self.mode, self.resume)  # type: ignore[attr-defined]

    def action_back(self) -> None:
        self.app.pop_screen()

    def palette_commands(self) -> list[SystemCommand]:
        return [
            SystemCommand("Start the conversation", "Meet the service user (Enter)", self.action_start),
            SystemCommand("Coach mode", "A note after each reply (c)", lambda: self.action_mode("coach")),
            SystemCommand("Practice mode", "Feedback at the end (p)", lambda: self.action_mode("practice")),
        ]
