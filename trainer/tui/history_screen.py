"""The history screen: past sessions with their scores, progress per skill, and each debrief again.

A table of sessions (newest first: date, scenario, ending, the three skill scores); Enter opens the
session's debrief (rebuilt from what was saved, flags included), d deletes a session after asking.
Above the table, one sparkline per skill shows progress across sessions, oldest to newest.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Static

from trainer.debrief.compute import debrief_from_record
from trainer.debrief.selfassess import SKILL_NAMES, SKILLS
from trainer.history.store import HistoryError, HistoryStore
from trainer.tui.debrief_screen import sparkline


def progress_text(store: HistoryStore) -> Text:
    """One line per skill: a sparkline of its score per session, oldest first, and the latest score."""
    points = store.progress()
    if not points:
        return Text("Progress appears here once you have finished a session.", style="dim")
    text = Text()
    width = max(len(SKILL_NAMES[s].split(" (")[0]) for s in SKILLS)
    for i, skill in enumerate(SKILLS):
        values = [p.scores.get(skill, 0.0) for p in points]
        if i:
            text.append("\n")
        text.append(f"{SKILL_NAMES[skill].split(' (')[0]:<{width}}  ", style="bold")
        text.append(sparkline(values))
        text.append(f"  latest {values[-1]:.2f}", style="dim")
    text.append(f"\n{len(points)} session{'s' if len(points) != 1 else ''}, oldest to newest", style="dim")
    return text


def _cut(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "\u2026"


class HistoryScreen(Screen[None]):
    """Past sessions: Enter opens the debrief, d deletes."""

    DEFAULT_CSS = """
    HistoryScreen #history { padding: 0 1; }
    HistoryScreen #progress { height: auto; margin-bottom: 1; }
    HistoryScreen #sessions-table { height: 1fr; }
    HistoryScreen #history-empty { color: $text-muted; }
    """

    BINDINGS = [
        Binding("enter", "open", "Debrief", show=True),
        Binding("d,delete", "delete", "Delete", show=True),
        Binding("escape", "close", "Back", show=True),
    ]

    def __init__(self, store: HistoryStore) -> None:
        super().__init__()
        self.store = store

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="history"):
            yield Static(id="progress")
            yield DataTable(id="sessions-table", cursor_type="row", zebra_stripes=True)
            yield Static("", id="history-empty", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = "history" + ("" if self.store.persistent else " (this time only: not saved to disk)")
        table = self.query_one(DataTable)
        table.add_columns("Date", "Scenario", "Ending", "Emp.", "Purp.", "Bound.")
        self.refresh_sessions()
        table.focus()

    def refresh_sessions(self) -> None:
        """Reload the table and the progress lines from the store."""
        table = self.query_one(DataTable)
        table.clear()
        try:
            sessions = self.store.list_sessions()
            self.query_one("#progress", Static).update(progress_text(self.store))
        except HistoryError as error:
            self.notify(str(error), title="History not readable", severity="error", timeout=15)
            sessions = []
        for s in sessions:
            ending = s.ending_title or ("stopped early" if not s.finished else "-")
            scores = [f"{s.scores[k]:.2f}" if k in s.scores else "-" for k in SKILLS]
            table.add_row(s.started_at.astimezone().strftime("%d %b %H:%M"), _cut(s.scenario_title, 20),
                          _cut(ending, 16), *scores, key=str(s.id))
        hint = "Enter opens a session's debrief; d deletes it."
        empty = hint if sessions else "No sessions yet: finish a scenario and it appears here."
        self.query_one("#history-empty", Static).update(empty)

    def _selected(self) -> int | None:
        table = self.query_one(DataTable)
        if table.row_count == 0:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        return int(key) if key is not None else None

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_open()

    def action_open(self) -> None:
        """Open the selected session's debrief."""
        from trainer.tui.debrief_screen import DebriefScreen

        session_id = self._selected()
        if session_id is None:
            return
        try:
            debrief = debrief_from_record(self.store.get_session(session_id))
        except HistoryError as error:
            self.notify(str(error), title="Cannot open this session", severity="error", timeout=15)
            return
        self.app.push_screen(DebriefScreen(debrief, self.store))

    def action_delete(self) -> None:
        """Delete the selected session, after asking."""
        from trainer.tui.dialogs import ConfirmScreen

        session_id = self._selected()
        if session_id is None:
            return

        def answered(yes: bool | None) -> None:
            if not yes:
                return
            try:
                self.store.delete_session(session_id)
            except HistoryError as error:
                self.notify(str(error), title="Not deleted", severity="error", timeout=15)
                return
            self.refresh_sessions()
            self.notify("Session deleted.", timeout=3)

        self.app.push_screen(
            ConfirmScreen("Delete this session, its transcript and your flags? This cannot be undone.",
                          yes="Delete", no="Keep"),
            answered,
        )

    def on_screen_resume(self) -> None:
        # Back from a debrief: flags may have been added.
        self.refresh_sessions()

    def action_close(self) -> None:
        self.app.pop_screen()
