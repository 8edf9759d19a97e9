"""Typing that reaches a dialog before its text box has the focus goes into the box, spaces and all.

A terminal delivers keys typed quickly in one burst (a fast typist, a dictation tool or text expander,
tmux send-keys, a paste without bracketed paste), and Textual decides where each key goes as it reads it:
the whole burst goes to whatever had the focus then. Moving the focus (`Widget.focus()`) happens only
after the burst, so a dialog that sent a typed letter on to its text box received the rest of the burst
too, and dropped its spaces as the picker's or a tick box's key ("Ifeltnervous,mysister...", student
tester; the reply box and the home filter had had the same bug, F1/F24). Keys that arrive before the
dialog has focused anything (typed straight after the key that opened it) were dropped altogether.

    class NoteScreen(TypesIntoBox, ModalScreen[bool]):
        TYPING_BOX = "#note-text"      # the Input that typing goes to

Used by the debrief's note and flag dialogs (`trainer.tui.debrief_dialogs`) and the name dialog
(`trainer.tui.settings_screen`). The conversation's reply box (`trainer.tui.replybox.ReplyBox`), the
self-assessment (`trainer.tui.selfassess`) and the home filter (`trainer.tui.home.TypesIntoFilter`) take
their bursts their own way.
"""

from __future__ import annotations

from textual import events
from textual.widget import Widget
from textual.widgets import Checkbox, Input, Select, TextArea

#: Widgets whose own key a space is, when the student has moved the focus to them on purpose.
SPACE_IS_THEIRS = (Checkbox, Select)


class TypesIntoBox:
    """A screen (mixed in before `Screen`) whose typed characters go to its text box `TYPING_BOX` (an
    Input or a TextArea), whatever has the focus, except a space on a tick box or a picker the student
    moved to (it ticks the box or opens the picker) and the characters in `OWN_KEYS` (the screen's keys,
    such as the conversation's option numbers). Once a character has gone to the box, every character
    does, spaces included, until the box has the focus: they belong to the same burst."""

    TYPING_BOX = ""
    OWN_KEYS = ""
    _typing_in = False

    def typing_box(self) -> Input | TextArea | None:
        """The box typing goes to, or None when there is nowhere to type now."""
        box = self.query_one(self.TYPING_BOX)  # type: ignore[attr-defined]
        if not isinstance(box, (Input, TextArea)) or not box.display or box.disabled:
            return None
        return None if isinstance(box, TextArea) and box.read_only else box

    def on_key(self, event: events.Key) -> None:
        char = event.character
        if not event.is_printable or not char:
            return  # Enter still presses the focused button; Tab still moves on
        box = self.typing_box()
        focused: Widget | None = self.focused  # type: ignore[attr-defined]
        if box is None or focused is box:
            return
        if not self._typing_in:
            if isinstance(focused, (Input, TextArea)) or char in self.OWN_KEYS:
                return  # another text box (it took its key), or a key of the screen's own
            if char == " " and isinstance(focused, SPACE_IS_THEIRS):
                return
        event.stop()
        event.prevent_default()
        if isinstance(box, Input):
            if not self._typing_in:
                box.cursor_position = len(box.value)  # added to what is there, never replacing it
            box.insert_text_at_cursor(char)
        else:
            if not self._typing_in:
                box.move_cursor(box.document.end)
            box.insert(char)
        if not self._typing_in:
            self._typing_in = True
            box.focus()

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        # The focus has reached the box (or the student moved it on): keys go where the focus is again.
        if event.widget is self.typing_box():
            self._typing_in = False
