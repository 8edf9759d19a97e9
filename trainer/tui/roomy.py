"""Below a workable window size: a "make the window larger" notice over the screen, never a crash.

Below MIN_WIDTH x MIN_HEIGHT the app gets the class `-too-small`; every screen then shows `TooSmall`,
an opaque notice on its own layer over the screen's widgets, until the window grows again (the screen
underneath carries on where it was). Text areas keep a minimum width, so that rendering them in a
window a few columns wide cannot fail (Textual's placeholder wrapping divides by the width).
"""

from __future__ import annotations

from typing import Any

from textual.app import App
from textual.geometry import Size
from textual.screen import Screen
from textual.widgets import Static

MIN_WIDTH = 40
MIN_HEIGHT = 12
TOO_SMALL_CLASS = "-too-small"


def too_small(size: Size) -> bool:
    """True when a window of this size is below the workable minimum."""
    return size.width < MIN_WIDTH or size.height < MIN_HEIGHT


def notice_text(size: Size) -> str:
    """The notice, with the window's size and the minimum (columns x rows)."""
    return (
        f"This window is too small ({size.width}x{size.height}). Please make it larger: at least "
        f"{MIN_WIDTH}x{MIN_HEIGHT}. Your session carries on where it was."
    )


class TooSmall(Static):
    """The notice; shown only while the app has the `-too-small` class (see app.tcss)."""


def update_size_notice(app: App[Any], screen: Screen[Any] | None = None, size: Size | None = None) -> None:
    """Set or clear the app's `-too-small` class for its size (`size`, by default `app.size`), and give
    `screen` (by default the current one) its notice, with the size in it. Call on every resize (with
    the event's size: the app handles it after its own handlers) and every screen change."""
    size = size or app.size
    small = too_small(size)
    app.set_class(small, TOO_SMALL_CLASS)
    target = screen if screen is not None else app.screen
    notices = target.query_children(TooSmall)
    if not small and not notices:
        return
    if notices:
        notices.first().update(notice_text(size))
    else:
        target.mount(TooSmall(notice_text(size)))
