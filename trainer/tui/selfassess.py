"""The self-assessment screen: the student rates themselves before any score is shown.

Three ratings (empathy, purpose-setting, boundaries), each 1-5 with its descriptor written out (from
`trainer.debrief.selfassess`, the one place they live), and the two use-of-self prompts. Every part may
be left out, or the whole thing skipped; the debrief then says what was skipped.

`SelfAssessScreen(on_done=...)` calls `on_done(SelfAssessment)` when the student continues; without
`on_done` it dismisses with the SelfAssessment (for `push_screen(..., callback)`).
"""

from __future__ import annotations

from collections.abc import Callable

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Button, Header, Label, RadioButton, RadioSet, Static, TextArea

from trainer.debrief.selfassess import (
    DESCRIPTORS,
    SKILL_NAMES,
    SKILL_QUESTIONS,
    SKILLS,
    USE_OF_SELF_PROMPTS,
    SelfAssessment,
)
from trainer.tui.footer import TrainerFooter
from trainer.tui.textbox import WrappingTextArea
from trainer.tui.toggles import StateRadioButton

INTRO = (
    "Before you see any score: how do you think it went? Rate each skill and say what was happening, "
    "for them and for you. Any part can be left out, or skip the whole thing; the debrief will say so."
)
HOW_TO_RATE = (
    "To rate: press 1-5 (or the arrow keys and space, or click a number); tab moves to the next question."
)
"""Shown under the introduction: how to choose a number (a chosen one shows ●, the others ○)."""


class RatingSet(RadioSet):
    """A 1-5 scale: a digit typed while it has the focus rates this scale. Taken here, as the key arrives,
    not by a screen binding: a binding runs once the key has bubbled up, and by then a Tab typed just
    after it (in one burst) has moved the focus, so the digit rated the next scale."""

    async def _on_key(self, event: events.Key) -> None:
        char = event.character
        buttons = list(self.query(RadioButton))
        if char and len(char) == 1 and char.isdigit() and 1 <= int(char) <= len(buttons):
            event.stop()
            event.prevent_default()
            buttons[int(char) - 1].value = True
            return
        await super()._on_key(event)


class SelfAssessScreen(Screen[SelfAssessment]):
    """Ratings and use-of-self reflections, taken before the debrief."""

    DEFAULT_CSS = """
    SelfAssessScreen #selfassess { padding: 0 1; }
    SelfAssessScreen .question { margin-top: 1; text-style: bold; width: 100%; }
    SelfAssessScreen .levels { color: $text-muted; width: 100%; }
    SelfAssessScreen #how-to-rate { margin-top: 1; text-style: italic; }
    SelfAssessScreen RadioSet { layout: horizontal; width: auto; height: auto; }
    SelfAssessScreen RadioButton { margin-right: 1; }
    SelfAssessScreen TextArea { height: 5; }
    SelfAssessScreen #buttons { height: auto; margin: 1 0; }
    SelfAssessScreen #buttons Button { margin-right: 2; }
    """

    BINDINGS = [
        Binding("ctrl+s", "done", "See my debrief", show=True, priority=True),
        Binding("ctrl+k", "skip", "Skip all", show=True, priority=True),
        # Tab moves to the next question from a text box too, and before any key typed after it is given
        # to a box: a priority binding runs as the key arrives, so "text, Tab, text" typed in one burst
        # (a fast typist, a paste) puts each text in its own box (student tester F10).
        Binding("tab", "app.focus_next", "Next question", show=False, priority=True),
        Binding("shift+tab", "app.focus_previous", "Previous question", show=False, priority=True),
        Binding("1", "rate(1)", "Rate", key_display="1-5"),
        *(Binding(str(level), f"rate({level})", "Rate", show=False) for level in range(2, 6)),
    ]

    def __init__(
        self,
        on_done: Callable[[SelfAssessment], None] | None = None,
        scenario_title: str = "",
        entered: SelfAssessment | None = None,
        keep_for_later: Callable[[SelfAssessment], str | None] | None = None,
    ) -> None:
        """`entered`: what was entered before (a self-assessment put off), shown filled in.
        `keep_for_later(entered)`: keeps what was entered when the student quits (ctrl+q) here; returns
        None, or why it could not be kept (the app then stays open)."""
        super().__init__()
        self.on_done = on_done
        self.scenario_title = scenario_title
        self.entered = entered
        self.keep_for_later = keep_for_later

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="selfassess"):
            yield Static(INTRO, id="intro", markup=False)
            yield Static(HOW_TO_RATE, id="how-to-rate", markup=False)
            for skill in SKILLS:
                question = f"{SKILL_NAMES[skill]}: {SKILL_QUESTIONS[skill]}"
                yield Label(question, classes="question", markup=False)
                # The descriptors wrap in a text block; the buttons are just the numbers, so every level
                # reads in full at 80 columns (a radio button's label does not wrap).
                levels = "\n".join(f"{level}  {DESCRIPTORS[skill][level]}" for level in range(1, 6))
                yield Static(levels, classes="levels", markup=False)
                with RatingSet(id=f"rate-{skill}"):
                    for level in range(1, 6):
                        yield StateRadioButton(str(level), id=f"rate-{skill}-{level}")
            for key, prompt in USE_OF_SELF_PROMPTS.items():
                yield Label(prompt, classes="question", markup=False)
                yield WrappingTextArea(id=f"reflect-{key}", soft_wrap=True, tab_behavior="focus")
            with Horizontal(id="buttons"):
                yield Button("See my debrief (ctrl+s)", id="done", variant="primary")
                yield Button("Skip the self-assessment (ctrl+k)", id="skip")
        yield TrainerFooter()

    def on_mount(self) -> None:
        self.sub_title = "how did it go?" + (f" - {self.scenario_title}" if self.scenario_title else "")
        self.query_one(f"#rate-{SKILLS[0]}", RadioSet).focus()
        if self.entered is not None and not self.entered.skipped:
            for skill in SKILLS:
                level = self.entered.rating(skill)
                if level is not None:
                    self.query_one(f"#rate-{skill}-{level}", RadioButton).value = True
            answers = {"service_user": self.entered.service_user, "self": self.entered.self_}
            for key in USE_OF_SELF_PROMPTS:
                self.query_one(f"#reflect-{key}", TextArea).load_text(answers.get(key) or "")

    def confirm_leave(self, then_quit: bool = True) -> None:
        """ctrl+q: ask first, as in a conversation; quitting keeps what was entered for the next start
        (when the screen was given `keep_for_later`)."""
        from trainer.tui.dialogs import ConfirmScreen

        if self.keep_for_later is not None:
            question = (
                "Quit? Your session and its scores are saved. What you have entered here is kept: next time "
                "you start, you can finish rating yourself and see the debrief."
            )
        else:
            question = "Quit? What you have entered here will be lost."

        def answered(leave: bool | None) -> None:
            if not leave:
                return
            problem = self.keep_for_later(self.collect()) if self.keep_for_later is not None else None
            if problem:
                self.notify(problem, title="Not quitting", severity="error", markup=False, timeout=10)
                return
            self.app.exit()

        self.app.push_screen(ConfirmScreen(question, yes="Quit", no="Stay"), answered)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "done":
            self.action_done()
        elif event.button.id == "skip":
            self.action_skip()

    def action_rate(self, level: int) -> None:
        """Set the focused scale to `level` (1-5); the focus stays, so "4, tab, 3" rates two questions as
        in any form (it once moved on by itself, and the tab then skipped a question). Digits typed in a
        text box never reach here (the box takes them); elsewhere, with no scale focused, they do nothing."""
        focused = self.focused
        while focused is not None and not isinstance(focused, RadioSet):
            focused = focused.parent if isinstance(focused.parent, RadioSet) else None
        if focused is None or not (focused.id or "").startswith("rate-"):
            return
        buttons = list(focused.query(RadioButton))
        if 1 <= level <= len(buttons):
            buttons[level - 1].value = True

    def collect(self) -> SelfAssessment:
        """What the student has entered so far (unrated skills and empty answers count as skipped)."""
        ratings: dict[str, int | None] = {}
        for skill in SKILLS:
            index = self.query_one(f"#rate-{skill}", RadioSet).pressed_index
            ratings[skill] = index + 1 if index >= 0 else None
        answers = {key: self.query_one(f"#reflect-{key}", TextArea).text for key in USE_OF_SELF_PROMPTS}
        return SelfAssessment(ratings=ratings, service_user=answers["service_user"], self_=answers["self"])

    def _finish(self, result: SelfAssessment) -> None:
        if self.on_done is not None:
            self.on_done(result)
        else:
            self.dismiss(result)

    def action_done(self) -> None:
        """Continue to the debrief with what was entered."""
        self._finish(self.collect())

    def action_skip(self) -> None:
        """Skip the whole self-assessment (recorded as skipped)."""
        self._finish(SelfAssessment.skip())
