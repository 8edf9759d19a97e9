"""The history screen: past sessions with their scores, progress per skill, and each debrief again.

Two tabs. Sessions: a table (newest first: date, scenario, ending, the three skill scores), and under it the
highlighted session's number and run id (as `trainer history` and a class report show them); Enter opens
the session's debrief (rebuilt from what was saved, flags included), d deletes a session after asking.
Progress (p): one small chart per skill (empathy, purpose, boundaries) of its score in each session,
oldest to newest, drawn with textual-plotext (a line joins the sessions of one scenario only), under a
plain-text summary of the same numbers for anyone who cannot read the chart (screen readers), scenario by
scenario: a change is only ever worked out between sessions of the same scenario. With fewer than two
scored sessions there is nothing to chart, and the tab says so.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Header, Static, TabbedContent, TabPane, Tabs
from textual_plotext import PlotextPlot

from trainer.debrief.compute import debrief_from_record
from trainer.debrief.miti import progress_line
from trainer.debrief.selfassess import SKILL_NAMES, SKILLS
from trainer.history.store import HistoryError, HistoryStore, ProgressPoint, SessionSummary
from trainer.tui.footer import TrainerFooter

#: A chart needs two sessions at least: one point is not progress.
MIN_SESSIONS = 2


def skill_label(skill: str) -> str:
    """"Empathy" for "Empathy (not sympathy)": short enough for a chart title."""
    return SKILL_NAMES[skill].split(" (")[0]


def _plural(n: int) -> str:
    return f"{n} session{'s' if n != 1 else ''}"


#: The scenarios the progress summary names, most recently played first (the rest are counted).
SHOWN_SCENARIOS = 3


def _numbers(numbers: list[int]) -> str:
    """Session numbers in words: "session 3", "sessions 1 and 4", "5 sessions, 1 to 12"."""
    if len(numbers) == 1:
        return f"session {numbers[0]}"
    if len(numbers) > 4:
        return f"{len(numbers)} sessions, {numbers[0]} to {numbers[-1]}"
    return f"sessions {', '.join(map(str, numbers[:-1]))} and {numbers[-1]}"


def by_scenario(points: list[ProgressPoint]) -> list[tuple[str, list[tuple[int, ProgressPoint]]]]:
    """The sessions (numbered 1, oldest, up) grouped by scenario, the most recently played first."""
    groups: dict[str, list[tuple[int, ProgressPoint]]] = {}
    for n, point in enumerate(points, 1):
        groups.setdefault(point.scenario_id, []).append((n, point))
    return sorted(groups.items(), key=lambda item: -item[1][-1][0])


def _scenario_line(title: str, sessions: list[tuple[int, ProgressPoint]]) -> str:
    """One scenario's skills: first and latest of that scenario alone, or its one session's scores."""
    where = f"{title}, {_numbers([n for n, _ in sessions])}"
    if len(sessions) == 1:
        scores = sessions[0][1].scores
        shown = ", ".join(f"{skill_label(s)} {scores[s]:.2f}" for s in SKILLS if s in scores)
        return f"{where} (played once: nothing to compare yet): {shown}."
    parts = []
    for skill in SKILLS:
        series = [p.scores[skill] for _, p in sessions if skill in p.scores]
        if not series:
            continue
        change = series[-1] - series[0]
        trend = "no change" if abs(change) < 0.005 else f"{'up' if change > 0 else 'down'} {abs(change):.2f}"
        parts.append(f"{skill_label(skill)} first {series[0]:.2f}, latest {series[-1]:.2f} ({trend})")
    return f"{where}: {'; '.join(parts)}."


def progress_text(points: list[ProgressPoint], titles: dict[str, str] | None = None) -> Text:
    """The progress in words: for each scenario (the most recent few), each skill's first and latest score
    in that scenario alone. Scenarios ask different things: Helen after Jade scoring lower is no sign of
    getting worse, so no change is ever worked out across two scenarios. What the chart shows, for anyone
    who cannot see it (`titles`: scenario id -> title; the id when a title is not known)."""
    titles = titles or {}
    if len(points) < MIN_SESSIONS:
        text = Text("Progress appears here once you have finished two sessions: a chart of each skill "
                    "across your sessions.", style="dim")
        if points:
            scores = ", ".join(f"{skill_label(s)} {points[0].scores[s]:.2f}" for s in SKILLS
                               if s in points[0].scores)
            text.append(f"\nSo far, one session: {scores}.")
        return text
    text = Text(f"Scores from 0 to 1 in your {_plural(len(points))}, numbered 1 (oldest) to {len(points)} "
                "(newest). Each change compares sessions of one scenario: scenarios ask different things.",
                style="dim")
    groups = by_scenario(points)
    for scenario_id, sessions in groups[:SHOWN_SCENARIOS]:
        text.append("\n")
        line = _scenario_line(titles.get(scenario_id, scenario_id), sessions)
        title_end = line.index(",")
        text.append(line[:title_end], style="bold")
        text.append(line[title_end:])
    if len(groups) > SHOWN_SCENARIOS:
        more = len(groups) - SHOWN_SCENARIOS
        text.append(f"\nAnd {more} other scenario{'s' if more != 1 else ''} (the Sessions tab lists them).",
                    style="dim")
    latest_id = points[-1].scenario_id
    miti = progress_line([p.scores for p in points if p.scenario_id == latest_id])
    if miti:
        text.append(f"\nMITI-style, in {titles.get(latest_id, latest_id)}: {miti}", style="italic")
    return text


def draw_progress(plot: PlotextPlot, points: list[ProgressPoint]) -> None:
    """Draw one chart per skill side by side: the session number across, the score (0-1) up."""
    plt = plot.plt
    plt.clear_figure()
    plt.subplots(1, len(SKILLS))
    count = len(points)
    ticks = [float(t) for t in (range(1, count + 1) if count <= 6 else sorted({1, (count + 1) // 2, count}))]
    for column, skill in enumerate(SKILLS, 1):
        chart = plt.subplot(1, column)
        for _, sessions in by_scenario(points):
            # a line joins the sessions of one scenario only: a lower score in another scenario is no fall
            series = [(n, p.scores[skill]) for n, p in sessions if skill in p.scores]
            xs, ys = [n for n, _ in series], [score for _, score in series]
            if len(series) > 1:
                chart.plot(xs, ys, marker="braille")
            if series:
                chart.scatter(xs, ys, marker="\u25cf")  # a dot per session, so single points show too
        chart.title(skill_label(skill))
        chart.ylim(0, 1)
        chart.yticks([0, 0.5, 1], ["0", ".5", "1"])
        chart.xlim(0.8, count + 0.2)
        chart.xticks(ticks, [str(int(t)) for t in ticks])  # session numbers (no axis label: it would
        # push one chart's axis out of line with the others); the summary above says what they are
    plot.refresh()


COLUMNS = ("Date", "Scenario", "Ending", "Emp.", "Purp.", "Bound.")


def _cut(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "\u2026"


class HistoryScreen(Screen[None]):
    """Past sessions (Enter opens the debrief, d deletes) and, in the other tab, progress per skill."""

    DEFAULT_CSS = """
    HistoryScreen #history-tabs { height: 1fr; }
    HistoryScreen TabPane { padding: 0 1; }
    HistoryScreen #sessions-table { height: 1fr; }
    HistoryScreen #history-empty { color: $text-muted; height: auto; }
    HistoryScreen #progress { height: auto; margin-bottom: 1; }
    HistoryScreen #progress-chart { height: 1fr; min-height: 8; }
    """

    BINDINGS = [
        Binding("enter", "open", "Debrief", show=True),
        Binding("d,delete", "delete", "Delete", show=True),
        Binding("p", "show_tab('progress')", "Progress", show=True),
        Binding("s", "show_tab('sessions')", "Sessions", show=True),
        Binding("escape", "close", "Back", show=True),
    ]

    def __init__(self, store: HistoryStore) -> None:
        super().__init__()
        self.store = store
        self._sessions: list[SessionSummary] = []
        """The sessions last read from the store (a resize redraws them without reading it again)."""

    def compose(self) -> ComposeResult:
        yield Header()
        with TabbedContent(id="history-tabs", initial="sessions"):
            with TabPane("Sessions", id="sessions"):
                yield DataTable(id="sessions-table", cursor_type="row", zebra_stripes=True)
                yield Static("", id="history-empty", markup=False)
            with TabPane("Progress", id="progress-tab"):
                yield Static(id="progress")
                yield PlotextPlot(id="progress-chart")
        yield TrainerFooter()

    def on_mount(self) -> None:
        self.sub_title = "history" + ("" if self.store.persistent else " (this time only: not saved to disk)")
        table = self.query_one(DataTable)
        self.refresh_sessions()
        table.focus()

    def refresh_sessions(self) -> None:
        """Reload the table, the progress summary and the chart from the store."""
        try:
            self._sessions = self.store.list_sessions()
            points = self.store.progress()
        except HistoryError as error:
            self.notify(str(error), title="History not readable", severity="error", timeout=15)
            self._sessions, points = [], []
        self._fill_table()
        self._show_hint()
        titles = {s.scenario_id: s.scenario_title for s in self._sessions}
        self.query_one("#progress", Static).update(progress_text(points, titles))
        chart = self.query_one("#progress-chart", PlotextPlot)
        chart.display = len(points) >= MIN_SESSIONS
        if chart.display:
            draw_progress(chart, points)

    def _fill_table(self) -> None:
        """The table's rows from the sessions last read, cut to the room the terminal has now."""
        table = self.query_one(DataTable)
        table.clear(columns=True)  # the columns too: their widths follow the text, which follows the room
        table.add_columns(*COLUMNS)
        title_w, ending_w = self._text_widths = self.text_widths()
        for s in self._sessions:
            ending = s.ending_title or ("stopped early" if not s.finished else "-")
            scores = [f"{s.scores[k]:.2f}" if k in s.scores else "-" for k in SKILLS]
            # Text, not str: a table parses a str cell as markup, and a title may hold brackets (F29).
            when = s.started_at.astimezone().strftime("%d %b %H:%M")
            table.add_row(when, Text(_cut(s.scenario_title, title_w)), Text(_cut(ending, ending_w)), *scores,
                          key=str(s.id))

    def text_widths(self) -> tuple[int, int]:
        """(scenario, ending) column widths for the terminal's width: the room left by the date and the
        three scores, shared 55/45, never less than 20 and 16 (the table scrolls sideways below 80)."""
        room = (self.app.size.width or 80) - 12 - 3 * 6 - 6 * 2 - 4
        title = max(20, room * 55 // 100)
        return title, max(16, room - title)

    def on_resize(self) -> None:
        if self.is_mounted and getattr(self, "_text_widths", None) not in (None, self.text_widths()):
            table = self.query_one(DataTable)
            row = table.cursor_row
            self._fill_table()  # wider or narrower: the same sessions, cut (or not) to the new room
            table.move_cursor(row=row)

    @property
    def tab(self) -> str:
        """The tab shown: "sessions" or "progress"."""
        active = self.query_one(TabbedContent).active
        return "progress" if active == "progress-tab" else "sessions"

    def palette_commands(self) -> list[SystemCommand]:
        """The history's actions in the command palette (ctrl+p), as the README promises for every action."""
        return [
            SystemCommand("Debrief", "Open the highlighted session's debrief (Enter)", self.action_open),
            SystemCommand("Delete", "Delete the highlighted session (d)", self.action_delete),
            SystemCommand("Progress", "Your scores across sessions (p)",
                          lambda: self.action_show_tab("progress")),
            SystemCommand("Sessions", "The list of your sessions (s)",
                          lambda: self.action_show_tab("sessions")),
            SystemCommand("Back", "Close the history (Escape)", self.action_close),
        ]

    def action_show_tab(self, tab: str) -> None:
        """Show the sessions table or the progress charts."""
        self.query_one(TabbedContent).active = "progress-tab" if tab == "progress" else "sessions"

    def on_tabbed_content_tab_activated(self, event: TabbedContent.TabActivated) -> None:
        # Focus where the keys are useful: the table, or the tab strip (left/right switch tabs) since the
        # charts take no keys.
        if self.tab == "sessions":
            self.query_one(DataTable).focus()
        else:
            self.query_one(TabbedContent).query_one(Tabs).focus()
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # Each tab offers its own keys: the other tab's key, and (on sessions) open and delete.
        if action in ("open", "delete"):
            return self.tab == "sessions"
        if action == "show_tab":
            return parameters[0] != self.tab if parameters else True
        return True

    def _selected(self) -> int | None:
        table = self.query_one(DataTable)
        if table.row_count == 0:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        return int(key) if key is not None else None

    def _show_hint(self) -> None:
        """Under the table: the highlighted session's number and run id (what `trainer export` takes and a
        class report names it by: the table has no room for them at 80 columns), and the keys."""
        if not self._sessions:
            empty = "No sessions yet: finish a scenario and it appears here."
            self.query_one("#history-empty", Static).update(empty)
            return
        selected = self._selected()
        summary = next((s for s in self._sessions if s.id == selected), None)
        which = f"Session {summary.id}, run {summary.short_run}. " if summary is not None else ""
        self.query_one("#history-empty", Static).update(
            which + "Enter opens a session's debrief; d deletes it; p shows your progress.")

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        event.stop()
        self._show_hint()

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
            record = self.store.get_session(session_id)
            if record.self_assessment is None and record.run_state.finished:
                # Quit at the self-assessment: it is asked for first, before any score is shown.
                from trainer.tui.later import assess_session

                assess_session(self.app, self.store, session_id, from_history=True)
                return
            debrief = debrief_from_record(record)
        except HistoryError as error:
            self.notify(str(error), title="Cannot open this session", severity="error", timeout=15)
            return
        self.app.push_screen(DebriefScreen(debrief, self.store, from_history=True))

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
