"""The debrief's dialogs: "I disagree" (flag a reply), a note on a reply ("what was happening for you?"),
and the export choices (the debrief, or a process recording for the practice educator)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from rich.cells import cell_len
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.geometry import Size
from textual.screen import ModalScreen
from textual.widgets import Button, Checkbox, Input, Label, RadioSet, Select, Static

from trainer.debrief.export import FORMATS
from trainer.debrief.model import Debrief, Line
from trainer.history.store import HistoryError
from trainer.scoring.api import SIGNALS
from trainer.tui.bursts import TypesIntoBox
from trainer.tui.toggles import StateCheckbox, StateRadioButton

__all__ = ["EXPORT_CHOICES", "FORMAT_NAMES", "ExportScreen", "FlagScreen", "NoteScreen", "reply_label"]

#: What the export dialog offers: the debrief's formats, then the process recording's ("pr-").
EXPORT_CHOICES: tuple[str, ...] = (*FORMATS, "pr-docx", "pr-md", "pr-html")
FORMAT_NAMES = {
    "md": "Markdown (for a portfolio)",
    "html": "HTML (opens in a browser, prints to PDF)",
    "json": "JSON - for your educator's class report, and for tools",
    "pr-docx": "Process recording, Word (for your practice educator)",
    "pr-md": "Process recording, Markdown",
    "pr-html": "Process recording, HTML",
}


class _WrapsLabel:
    """A toggle (radio button, checkbox) whose label wraps onto more lines in a narrow dialog, instead of
    Textual's one line cut off with "…" (a student must read the whole choice before exporting)."""

    def render(self) -> Content:
        # Without the label's trailing pad, which would cut a line that just fits with an ellipsis.
        return super().render().rstrip()  # type: ignore[misc]

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return max(1, len(self.render().wrap(max(1, width))))


class WrappingRadioButton(_WrapsLabel, StateRadioButton):
    """A RadioButton whose label wraps."""


class WrappingCheckbox(_WrapsLabel, StateCheckbox):
    """A Checkbox whose label wraps."""


class ChoosingRadioSet(RadioSet):
    """A RadioSet in which the arrow keys choose, as in most radio groups: Textual's only moves the
    highlight, so "down, down, down, Enter" on the export dialog exported the first format.

    Bound to the arrow keys here rather than by overriding `action_next_button`: RadioSet calls that on
    mount too, and choosing there switched the first button off and on again before the set had noted it
    as pressed, so the next arrow left it showing chosen beside the new one (two formats marked at once)."""

    BINDINGS = [
        Binding("down,right", "choose('next')", "Next", show=False),
        Binding("up,left", "choose('previous')", "Previous", show=False),
    ]

    def action_choose(self, way: str) -> None:
        """Move to the next (or previous) choice and choose it."""
        if way == "next":
            self.action_next_button()
        else:
            self.action_previous_button()
        self.action_toggle_button()


# --- the dialogs --------------------------------------------------------------------------------------------


class _ReplyDialog(TypesIntoBox, ModalScreen[bool]):
    """What the flag and note dialogs share: a pick of the learner's replies, Enter or the primary button
    saves (`action_save`), Escape or the other button cancels; dismissed with True once saved.

    Both open on the reply picker, the dialog's first question; Tab goes down the dialog in the order shown.
    Whatever the focus, typing goes into the dialog's text box (`TYPING_BOX`): a letter typed on a button, a
    tick box or the picker used to be dropped, and the space or Enter after it pressed Save with the box
    empty ("No note kept ... it was empty"). Typed in one burst, the spaces reach it too
    (`trainer.tui.bursts`)."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", show=True)]

    #: The id of the dialog's save button (the other button cancels).
    SAVE_ID = ""
    #: The dialog's text box (the note; the reason for a flag), as a selector.
    TYPING_BOX = ""

    def __init__(self, debrief: Debrief, save: Callable[..., None]) -> None:
        super().__init__()
        self.debrief = debrief
        self.save = save
        self.replies = [line for line in debrief.transcript if line.speaker == "learner"]

    #: The room the reply labels were last fitted to (cells); 0 before the first layout.
    _room = 0

    def _reply_options(self, room: int = 60) -> list[tuple[str, int]]:
        return [(reply_label(r.reply, r.text, room), r.index) for r in self.replies]

    def on_show(self) -> None:
        self.call_after_refresh(self._fit_labels)

    def on_resize(self, event: events.Resize) -> None:
        self.call_after_refresh(self._fit_labels)

    def _fit_labels(self) -> None:
        """Fit the reply labels to the room the dropdown has at this terminal size, on one line each: at
        80 columns a label of 60 characters of the reply was cut mid-word and its last character wrapped
        onto a line of its own."""
        selects = self.query(Select)
        if not selects:
            return
        select = selects.first()
        labels = select.query("SelectCurrent #label")
        room = labels.first().content_region.width if labels else 0
        if room <= 0 or room == self._room:
            return
        self._room = room
        value = select.value
        options = self._reply_options(room)
        with select.prevent(Select.Changed):  # the same reply stays chosen, and what was typed stays
            select.set_options(options)
            select.value = value
        # Setting the value it already had does not redraw the label shown: show the new one.
        shown = next((label for label, index in options if index == value), None)
        current = select.query("SelectCurrent")
        if shown is not None and current:
            current.first().update(shown)  # type: ignore[attr-defined]

    def _line(self, index: Any) -> Line | None:
        return next((r for r in self.replies if r.index == index), None)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == self.SAVE_ID:
            self.action_save()
        else:
            self.action_cancel()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_save()

    def action_save(self) -> None:
        raise NotImplementedError

    def action_cancel(self) -> None:
        self.dismiss(False)


def reply_label(number: int | None, text: str, room: int) -> str:
    """"Reply 3: the reply's words", on one line of at most `room` cells: the reply's line breaks as
    spaces, and when it does not fit, cut at the end of a word with "…" (a single word longer than the
    room is cut inside it)."""
    head = f"Reply {number}: "
    words = text.split()
    whole = head + " ".join(words)
    if cell_len(whole) <= room:
        return whole
    label = head.rstrip()
    for word in words:
        longer = f"{label} {word}"
        if cell_len(longer) + 1 > room:
            break
        label = longer
    if label == head.rstrip():  # not even the first word fits: cut inside it
        label = head
        for char in " ".join(words):
            if cell_len(label + char) + 1 > room:
                break
            label += char
    return label.rstrip(" ,;:-") + "\u2026"


class FlagScreen(_ReplyDialog):
    """ "I disagree": pick a reply, tick the signals you think it really shows, and say why."""

    DEFAULT_CSS = """
    FlagScreen { align: center middle; }
    FlagScreen > Vertical { width: 90; max-width: 100%; height: auto; max-height: 100%; padding: 1 2;
                            border: thick $primary; background: $surface; }
    FlagScreen #signals { height: auto; }
    FlagScreen #flag-error { color: $error; height: auto; }
    FlagScreen Horizontal#flag-buttons { height: auto; align-horizontal: right; margin-top: 1; }
    FlagScreen Button { margin-left: 2; }
    """

    SAVE_ID = "flag-save"
    TYPING_BOX = "#flag-reason"
    save: Callable[[int, list[str], list[str], str], None]

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label("Which reply was scored wrongly?", markup=False)
            yield Select(self._reply_options(), id="flag-reply", allow_blank=False)
            yield Label("Tick every signal you think the reply really shows:", markup=False)
            with Horizontal(id="signals"):
                for signal in SIGNALS:
                    yield StateCheckbox(signal, id=f"flag-{signal}")
            yield Input(placeholder="Why? (the educator reads this)", id="flag-reason", select_on_focus=False)
            yield Static("", id="flag-error", markup=False)
            with Horizontal(id="flag-buttons"):
                yield Button("Save flag", id="flag-save", variant="primary")
                yield Button("Cancel", id="flag-cancel")

    def on_mount(self) -> None:
        self._show_scorer_labels(self.replies[0].index if self.replies else None)
        self.query_one("#flag-reply", Select).focus()

    def _show_scorer_labels(self, index: Any) -> None:
        line = self._line(index)
        for signal in SIGNALS:
            self.query_one(f"#flag-{signal}", Checkbox).value = bool(line and signal in line.present)

    def on_select_changed(self, event: Select.Changed) -> None:
        self._show_scorer_labels(event.value)

    def action_save(self) -> None:
        line = self._line(self.query_one("#flag-reply", Select).value)
        if line is None:
            return
        ticked = {s for s in SIGNALS if self.query_one(f"#flag-{s}", Checkbox).value}
        wrong = [s for s in SIGNALS if s in line.present and s not in ticked]
        missing = [s for s in SIGNALS if s not in line.present and s in ticked]
        try:
            self.save(line.index, wrong, missing, self.query_one("#flag-reason", Input).value)
        except HistoryError as error:
            self.query_one("#flag-error", Static).update(str(error))
            return
        self.dismiss(True)


class NoteScreen(_ReplyDialog):
    """ "What was happening for you?": a short note on one reply, for the process recording."""

    DEFAULT_CSS = """
    NoteScreen { align: center middle; }
    NoteScreen > Vertical { width: 90; max-width: 100%; height: auto; max-height: 100%; padding: 1 2;
                            border: thick $primary; background: $surface; }
    NoteScreen #note-reply-text { color: $text-muted; height: auto; max-height: 6; margin-bottom: 1; }
    NoteScreen #note-error { color: $error; height: auto; }
    NoteScreen Horizontal { height: auto; align-horizontal: right; margin-top: 1; }
    NoteScreen Button { margin-left: 2; }
    """

    SAVE_ID = "note-save"
    TYPING_BOX = "#note-text"
    save: Callable[[int, str], None]

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(
                "Which reply? (Your note goes in the process recording's feelings column.)", markup=False
            )
            yield Select(self._reply_options(), id="note-reply", allow_blank=False)
            yield Static("", id="note-reply-text", markup=False)
            yield Label("What was happening for you at this moment?", markup=False)
            yield Input(
                placeholder="e.g. I felt rushed and wanted to fix it (Enter saves; empty removes)",
                id="note-text",
                select_on_focus=False,  # Tab back into a note and type: added to, not typed over
            )
            yield Static("", id="note-error", markup=False)
            with Horizontal():
                yield Button("Save note", id="note-save", variant="primary")
                yield Button("Cancel", id="note-cancel")

    def on_mount(self) -> None:
        self._show(self.replies[0].index if self.replies else None)
        self.query_one("#note-reply", Select).focus()

    def _show(self, index: Any) -> None:
        line = self._line(index)
        self.query_one("#note-reply-text", Static).update(line.text if line else "")
        self.query_one("#note-text", Input).value = self.debrief.turn_notes.get(index, "") if line else ""

    def on_select_changed(self, event: Select.Changed) -> None:
        self._show(event.value)

    def action_save(self) -> None:
        index = self.query_one("#note-reply", Select).value
        if not isinstance(index, int):
            return
        try:
            self.save(index, self.query_one("#note-text", Input).value)
        except HistoryError as error:
            self.query_one("#note-error", Static).update(str(error))
            return
        self.dismiss(True)


class ExportScreen(ModalScreen[tuple[str, bool] | None]):
    """Choose a format (and whether to redact names and personal details) for the export: the debrief, or a
    process recording for the practice educator (redacted unless the student unticks it)."""

    DEFAULT_CSS = """
    ExportScreen { align: center middle; }
    ExportScreen > Vertical { width: 76; max-width: 100%; height: auto; max-height: 100%; padding: 1 2;
                              border: thick $primary; background: $surface; }
    ExportScreen Horizontal { height: auto; align-horizontal: right; margin-top: 1; }
    ExportScreen Button { margin-left: 2; }
    ExportScreen RadioSet { width: 100%; }
    ExportScreen RadioButton, ExportScreen Checkbox { width: 100%; height: auto; text-wrap: wrap; }
    """

    BINDINGS = [Binding("escape", "cancel", "Cancel", show=True)]

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label("Export this debrief as:", markup=False)
            with ChoosingRadioSet(id="export-format"):
                for i, choice in enumerate(EXPORT_CHOICES):
                    yield WrappingRadioButton(FORMAT_NAMES[choice], id=f"export-{choice}", value=i == 0)
            yield WrappingCheckbox(
                "Redact names, phone numbers, e-mail, addresses, dates of birth",
                id="export-redact",
            )
            with Horizontal():
                yield Button("Export", id="export-go", variant="primary")
                yield Button("Cancel", id="export-cancel")

    def on_mount(self) -> None:
        self.query_one("#export-format", RadioSet).focus()

    def on_radio_set_changed(self, event: RadioSet.Changed) -> None:
        # A process recording goes to someone else: redacted by default (the student may untick it).
        choice = EXPORT_CHOICES[max(0, event.radio_set.pressed_index)]
        self.query_one("#export-redact", Checkbox).value = choice.startswith("pr-")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "export-go":
            index = max(0, self.query_one("#export-format", RadioSet).pressed_index)
            self.dismiss((EXPORT_CHOICES[index], self.query_one("#export-redact", Checkbox).value))
        else:
            self.action_cancel()

    def action_cancel(self) -> None:
        self.dismiss(None)
