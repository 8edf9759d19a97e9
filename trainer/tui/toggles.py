"""Checkboxes and radio buttons whose state shows without colour.

Textual draws every checkbox as "▐X▌" and every radio button as "▐●▌", ticked or not, and tells them
apart by colour alone: with NO_COLOR, on a monochrome screen or to a student who does not see the
colours, "Redact" on and off looked the same (student tester F41). Here an unticked box is empty
("▐ ▌") and an unchosen radio button is a ring ("▐○▌").
"""

from __future__ import annotations

from textual.widgets import Checkbox, RadioButton

TICKED = "X"
UNTICKED = " "
CHOSEN = "●"
UNCHOSEN = "○"


class StateCheckbox(Checkbox):
    """A Checkbox showing X when ticked and nothing when not."""

    @property
    def BUTTON_INNER(self) -> str:  # type: ignore[override]  # noqa: N802 (Textual: the glyph)
        return TICKED if self.value else UNTICKED


class StateRadioButton(RadioButton):
    """A RadioButton showing ● when chosen and ○ when not."""

    @property
    def BUTTON_INNER(self) -> str:  # type: ignore[override]  # noqa: N802 (Textual: the glyph)
        return CHOSEN if self.value else UNCHOSEN
