"""A soft-wrapping text box that repaints whole after a resize.

Textual's TextArea re-wraps its text when resized but, when its size in lines does not change, repaints
only some of its lines: a line wrapped at the old width stayed on screen beside the new ones, showing a
word twice ("...felt a bit scary," / "scary, and ur kind of...", student tester F25; reproduced with a
bare TextArea in Textual 8.2.8, so Textual's, worked around here).
"""

from __future__ import annotations

from textual.widgets import TextArea


class WrappingTextArea(TextArea):
    """A TextArea that repaints every line after a resize (the re-wrap may move every line's text)."""

    def _on_resize(self) -> None:
        super()._on_resize()
        self.refresh()
