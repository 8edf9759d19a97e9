"""The conversation's reply box: Enter sends, ctrl+j (or shift+enter) starts a new line, a digit typed into
the empty box picks an option, and keys typed in one burst (a paste sent as keystrokes, tmux paste-buffer)
go in as one edit. Its screen is `trainer.tui.conversation.ConversationScreen`.
"""

from __future__ import annotations

from typing import Any

from textual import events
from textual.binding import Binding
from textual.message import Message

from trainer import textnorm
from trainer.tui.textbox import WrappingTextArea

NEWLINE_KEYS = ("ctrl+j", "shift+enter")
"""Keys that start a new line in the reply box (Enter sends)."""


class ReplyBox(WrappingTextArea):
    """Where the learner types. Enter sends; ctrl+j or shift+enter adds a line; a digit typed into the
    empty box picks that option when the moment has options."""

    BINDINGS = [
        Binding("enter", "send", "Send", show=True),
        Binding("ctrl+j", "newline", "New line", show=True),
        Binding("shift+enter", "newline", "New line", show=False),
        # The transcript scrolls from here: the reply box is where the learner always is.
        Binding("pageup", "scroll_transcript('page_up')", "Scroll up", show=False),
        Binding("pagedown", "scroll_transcript('page_down')", "Scroll down", show=False),
        Binding("end", "end", "Newest line", show=False),
        Binding("ctrl+end", "scroll_transcript('end')", "Newest line", show=False),
    ]

    class Submitted(Message):
        def __init__(self, text: str, raw: str = "") -> None:
            super().__init__()
            self.text = text
            self.raw = raw
            """The box's text when Enter was pressed: keys typed after it belong to the next reply."""

    class ScrollTranscript(Message):
        """The learner asked to scroll the transcript: "page_up", "page_down" or "end"."""

        def __init__(self, where: str) -> None:
            super().__init__()
            self.where = where

    class OptionPicked(Message):
        def __init__(self, number: int) -> None:
            super().__init__()
            self.number = number

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(soft_wrap=True, tab_behavior="focus", show_line_numbers=False, **kwargs)
        self.option_count = 0
        """How many options the current moment has: digits 1..option_count pick on an empty box."""
        self.waiting = False
        """True while the last reply is being scored: the learner keeps typing, digits are just text."""
        self._typed: list[str] = []
        """Characters typed and not yet in the box (see `_on_key`)."""

    @property
    def has_text(self) -> bool:
        """Whether anything has been typed, in the box or on its way into it."""
        return bool(self._typed) or bool(self.text)

    def put_typed(self) -> None:
        """Put the characters typed so far into the box, in one edit, where the cursor is."""
        if self._typed:
            text, self._typed = "".join(self._typed), []
            if not self.read_only:
                self._replace_via_keyboard(text, *self.selection)
                # TextArea scrolls to the cursor before it has measured the edit's new lines: a burst of
                # several lines left the cursor below the box, out of sight. Again, now they are counted.
                self.scroll_cursor_visible()

    async def _on_key(self, event: events.Key) -> None:
        char = event.character
        if event.is_printable and char and not self.read_only and not self._picks(char):
            # Typed characters go in together once the keys that arrived with them have been read: a
            # burst of keys (a paste that is not a bracketed paste, e.g. tmux paste-buffer, or a text
            # expander) is one edit, not one per key. TextArea re-wraps the whole line at every edit, so
            # each of 10,000 pasted characters took longer than the last: the app froze for 10-18 s.
            # Every other key (Enter, Backspace, a new line) puts them in first, so order is kept.
            event.stop()
            event.prevent_default()
            self._restart_blink()
            if not self._typed:
                self.call_later(self.put_typed)
            self._typed.append(char)
            return
        self.put_typed()
        # TextArea would insert a newline on Enter and every digit: take those first.
        if event.key == "enter":
            event.stop()
            event.prevent_default()
            self.action_send()
            return
        if event.key in NEWLINE_KEYS:
            # Here, not (only) as a binding: a binding runs once the key has bubbled up to the app, after
            # the keys that arrived with it in one burst have been typed, so the new line landed later
            # in the text than it was typed ("hour.I'm", "te\nll"; student tester F1/F8).
            event.stop()
            event.prevent_default()
            self.action_newline()
            return
        if char and not self.read_only and self._picks(char):
            event.stop()
            event.prevent_default()
            self.post_message(self.OptionPicked(int(char)))
            return
        await super()._on_key(event)

    def _picks(self, char: str | None) -> bool:
        """Whether this character picks an option: a digit typed into the empty box, when the moment has
        that many options and no reply is being scored."""
        if not (char and char.isdigit() and 1 <= int(char) <= self.option_count):
            return False
        return not self.waiting and not self.has_text

    def check_consume_key(self, key: str, character: str | None = None) -> bool:
        # A digit on an empty box picks an option: let the screen's "1-9" binding show in the footer.
        if self._picks(character):
            return False
        return super().check_consume_key(key, character)

    # Textual calls each class's handler of an event in turn: these put what was typed in the box before
    # TextArea's own handler moves the cursor (a click) or inserts (a bracketed paste).
    async def _on_mouse_down(self, event: events.MouseDown) -> None:
        self.put_typed()

    async def _on_paste(self, event: events.Paste) -> None:
        self.put_typed()

    def action_send(self) -> None:
        """Send the reply (the screen decides whether it can go)."""
        self.put_typed()
        if not self.read_only:  # pasted text normalised as every input is (BOM, U+2028, zero-width)
            self.post_message(self.Submitted(textnorm.clean_text(self.text), self.text))

    def take_sent(self, raw: str) -> None:
        """Take a sent reply out of the box, keeping whatever was typed after Enter was pressed."""
        if self.text.startswith(raw):
            rest = self.text[len(raw) :]
            if rest:
                self.load_text(rest)
                self.move_cursor(self.document.end)
            else:
                self.clear()

    def action_scroll_transcript(self, where: str) -> None:
        """Scroll the transcript a page up or down, or to its newest line."""
        self.post_message(self.ScrollTranscript(where))

    def action_end(self) -> None:
        """To the end of the line being typed, and the transcript to its newest line."""
        self.action_cursor_line_end()
        self.post_message(self.ScrollTranscript("end"))

    def action_newline(self) -> None:
        """Start a new line in the reply."""
        self.put_typed()
        if not self.read_only:
            self.insert("\n")
