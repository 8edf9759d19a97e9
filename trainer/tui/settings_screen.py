"""Settings: the name the learner wants to be called (optional), asked once at first start and changed
here later (F4 on home, or "Settings" in the command palette). Kept by trainer.settings in the user's
config folder; scenarios address the learner by it with `{learner}` (trainer.scenario.placeholders).
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Static

from trainer.settings import MAX_NAME
from trainer.tui.bursts import TypesIntoBox

FIRST_TIME = (
    "Welcome. What would you like to be called? Service users in some scenarios will use it. "
    "This is optional: leave it empty, or press Escape to skip. You can change it later under "
    "Settings (F4 on the home screen)."
)
LATER = "What would you like to be called? Leave it empty to be addressed without a name."


class SettingsScreen(TypesIntoBox, ModalScreen[tuple[bool, str]]):
    """Answers (saved, name): (True, name) when saved (name may be empty), (False, "") when skipped."""

    DEFAULT_CSS = """
    SettingsScreen { align: center middle; }
    SettingsScreen > Vertical {
        width: 70; max-width: 100%; height: auto; padding: 1 2; border: thick $primary; background: $surface;
    }
    SettingsScreen #settings-intro { margin-bottom: 1; }
    SettingsScreen Horizontal { height: auto; align-horizontal: right; margin-top: 1; }
    SettingsScreen Button { margin-left: 2; }
    """

    TYPING_BOX = "#learner-name"  # typed with the focus on a button: still the name (trainer.tui.bursts)

    BINDINGS = [
        Binding("escape", "skip", "Skip", show=True),
        # A modal screen hides the app's keys: high contrast must work from the very first question.
        Binding("f2", "app.toggle_contrast", "Contrast", show=True),
    ]

    def __init__(self, current: str | None, first_time: bool = False) -> None:
        super().__init__()
        self.current = current or ""
        self.first_time = first_time

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(FIRST_TIME if self.first_time else LATER, id="settings-intro", markup=False)
            yield Input(
                value=self.current, placeholder="Your name (optional)", id="learner-name", max_length=MAX_NAME
            )
            with Horizontal():
                yield Button("Save (Enter)", id="save", variant="primary")
                yield Button("Skip (Esc)" if self.first_time else "Cancel (Esc)", id="skip")

    def on_mount(self) -> None:
        field = self.query_one("#learner-name", Input)
        field.cursor_blink = getattr(self.app, "cursor_blink", True)
        field.focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.dismiss((True, event.value))

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "save":
            self.dismiss((True, self.query_one("#learner-name", Input).value))
        else:
            self.action_skip()

    def action_skip(self) -> None:
        """Leave without saving a name (at first start: not asked again)."""
        self.dismiss((False, ""))
