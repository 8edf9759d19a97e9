"""The home screen: the scenarios (filterable as you type), unfinished sessions to resume or discard,
and the way to the history of finished sessions (F3).

Scenarios and saved sessions are read in a thread worker, so the screen paints at once; a scenario file
with errors, or a corrupt save (set aside by `trainer.scenario.saves`), is reported in a notification.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from rich.text import Text
from textual import events, on, work
from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Header, Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from trainer.practice.play import Mode, list_saved, saved_mode
from trainer.practice.unfinished import describe, last_said, replies, when_text
from trainer.tui.footer import TrainerFooter

DIFFICULTY_ORDER = {"introductory": 0, "intermediate": 1, "advanced": 2}


@dataclass
class HomeData:
    """What the home screen shows, read off the UI thread."""

    scenarios: list[Any]
    """LoadedScenario objects, sorted by difficulty then title."""
    problems: list[str]
    """Learner-readable problems: scenario files that did not load, saves set aside."""
    sessions: list[Any]
    """Unfinished runs (SavedRun objects), newest first."""
    ended: list[Any] = field(default_factory=list)
    """Finished runs still in a save file: not in the history yet (`trainer.tui.later.recover_ended_runs`)."""


class HomeLoaded(Message):
    def __init__(self, data: HomeData) -> None:
        super().__init__()
        self.data = data


def read_home_data(scenarios_dir: Any = None, save_dir: Any = None) -> HomeData:
    """Load the bundled scenarios and the unfinished sessions; collect problems instead of raising."""
    from trainer.scenario import loader

    problems: list[str] = []
    try:
        scenarios, diagnostics = loader.load_all(scenarios_dir) if scenarios_dir else loader.load_all()
    except OSError as error:
        scenarios, diagnostics = [], []
        problems.append(f"Could not read the scenarios folder: {error}")
    errors = [d for d in diagnostics if str(getattr(d, "severity", "error")) == "error"]
    if errors:
        files = sorted({str(getattr(d, "file", "?")) for d in errors})
        problems.append(
            f"{len(files)} scenario file(s) could not be loaded ({', '.join(Path(f).name for f in files)}); "
            "run `trainer validate` to see why."
        )
    scenarios = sorted(
        scenarios,
        key=lambda s: (DIFFICULTY_ORDER.get(str(s.scenario.difficulty), 9), s.scenario.title.lower()),
    )
    sessions, ended, save_problems = list_saved(save_dir)
    problems.extend(save_problems)
    return HomeData(scenarios, problems, sessions, ended)


def scenario_matches(loaded: Any, query: str) -> bool:
    """True when every word of the query appears in the scenario's title, setting, summary, difficulty,
    objectives or the service user's name (case-insensitive)."""
    s = loaded.scenario
    haystack = " ".join(
        [s.title, s.setting, s.summary, str(s.difficulty), s.service_user.name, *s.objectives]
    ).lower()
    return all(word in haystack for word in query.lower().split())


def scenario_details(loaded: Any) -> Text:
    """The details pane: title, setting, difficulty, summary and learning objectives (no markup parsing,
    so brackets in a scenario's text are shown as written)."""
    s = loaded.scenario
    text = Text()
    text.append(s.title, style="bold")
    text.append("\n")
    text.append(f"{str(s.difficulty).capitalize()}", style="italic")
    text.append(f"  ·  {s.setting}\n\n")
    text.append(s.summary)
    text.append("\n\nYou will practise:\n", style="bold")
    for objective in s.objectives:
        text.append(f"• {objective}\n")
    text.append(f"\nYou will meet {s.service_user.name}.", style="italic")
    return text


def session_label(run: Any, width: int = 30, time: str = "%H:%M") -> Text:
    """One unfinished session as a list entry: the scenario's title; then, dim, when it was started (and
    last played) and its replies; then the start of the last thing the student said, cut on a word to
    `width`. Two sessions of one scenario used to read alike ("1 reply, 01 Dec 14:05")."""
    label = Text(str(getattr(run, "scenario_title", getattr(run, "scenario_id", "?"))))
    for line in describe(run, width, date="%d %b", lead="", time=time):  # the pane says "You last said"
        label.append("\n" + line, style="dim")
    return label


def session_labels(runs: list[Any], width: int) -> list[Text]:
    """The list's entries (`session_label`), with the times to the second on any two that would read
    the same to the minute (two runs of one scenario started the same minute with the same words)."""
    labels = [session_label(run, width) for run in runs]
    plain = [label.plain for label in labels]
    return [
        session_label(run, width, "%H:%M:%S") if plain.count(label.plain) > 1 else label
        for run, label in zip(runs, labels, strict=True)
    ]


def session_details(run: Any) -> Text:
    """The details pane for the highlighted unfinished session: the scenario, when it was started and last
    played, its replies and mode, and the last thing the student said, whole."""
    text = Text()
    text.append(str(getattr(run, "scenario_title", getattr(run, "scenario_id", "?"))), style="bold")
    text.append("\nUnfinished session", style="italic")
    when = when_text(run, date="%a %d %b")
    turns = int(getattr(run, "turns", 0) or 0)
    mode = getattr(run, "mode", None)
    parts = [when[:1].upper() + when[1:]] if when else []
    parts.append(f"{replies(turns)}{' so far' if turns else ''}")
    if mode:
        parts.append(f"{mode} mode")
    text.append("\n" + "; ".join(parts) + ".\n")
    said = " ".join(str(getattr(run, "last_said", "") or "").split())
    if said:
        text.append("\nYou last said:\n", style="bold")
        text.append(said + "\n")
    text.append("\nEnter resumes it; Delete discards it (after asking).", style="dim")
    return text


def discard_question(run: Any) -> str:
    """The question before discarding an unfinished session, naming it: its scenario, when it was started
    (or last played) and how many replies it has."""
    title = str(getattr(run, "scenario_title", getattr(run, "scenario_id", "?")))
    detail = []
    for label, attr in (("started", "started_at"), ("last played", "updated_at")):
        when = getattr(run, attr, None)
        if isinstance(when, datetime):
            detail.append(f"{label} {when.astimezone().strftime('%a %d %b at %H:%M')}")
            break
    turns = getattr(run, "turns", None)
    if turns is not None:
        detail.append(f"{turns} {'reply' if turns == 1 else 'replies'} so far")
    quote = last_said(run, 72)
    if quote:
        detail.append(quote)
    named = f"\"{title}\"" + (f" ({', '.join(detail)})" if detail else "")
    return f"Discard your unfinished session of {named}? This cannot be undone."


class TypesIntoFilter(OptionList):
    """A list on the home screen whose typed characters go to the filter ("?" stays the help key, "/" the
    filter key). A space goes too: typed quickly, "young carer" reaches the list whole before the focus
    has moved to the filter, and the space was dropped ("youngcarer", student tester F24)."""

    class TypedIntoList(Message):
        def __init__(self, character: str) -> None:
            super().__init__()
            self.character = character

    def on_key(self, event: events.Key) -> None:
        if event.is_printable and event.character and event.character not in "?/":
            event.stop()
            event.prevent_default()
            self.post_message(self.TypedIntoList(event.character))


class ScenarioList(TypesIntoFilter):
    """The scenarios. Typing a letter here goes to the filter, so the list is filterable as you type."""

    BINDINGS = [Binding("enter", "select", "Brief me", show=True)]


class SessionList(TypesIntoFilter):
    """Unfinished sessions: Enter resumes, Delete discards. Letters typed here go to the filter, as on the
    scenario list: "d" used to discard, so typing "disability" after leaving a session asked to discard it
    and the "y" in it said yes."""

    BINDINGS = [
        Binding("enter", "select", "Resume", show=True),
        Binding("delete", "discard", "Discard", show=True),
    ]

    class DiscardRequested(Message):
        def __init__(self, index: int) -> None:
            super().__init__()
            self.index = index

    def action_discard(self) -> None:
        if self.highlighted is not None:
            self.post_message(self.DiscardRequested(self.highlighted))


class HomeScreen(Screen[None]):
    """Scenarios with their details, a filter, unfinished sessions, and the scorer's state."""

    BINDINGS = [
        # Priority: "/" in the filter itself is this key too, not a "/" typed into it (F24).
        Binding("slash", "focus_filter", "Filter", show=True, priority=True),
        Binding("escape", "clear_filter", "Clear filter", show=False),
        Binding("tab", "focus_sessions", "Unfinished", show=True),
        # Not a letter: letters typed on the list go to the filter. F3 sits beside F1 Help and F2 Contrast.
        Binding("f3", "history", "History", show=True),
        Binding("f4", "settings", "Settings", show=True),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.data = HomeData([], [], [])
        self.shown: list[Any] = []
        self._sessions_width = 0

    def compose(self) -> ComposeResult:
        yield Header()
        # No select-on-focus: the first letter typed on the list lands here and must not be selected away.
        yield Input(
            placeholder="Type to filter scenarios (title, setting, skill...)",
            id="filter",
            select_on_focus=False,
        )
        with Horizontal(id="home-main"):
            with Vertical(id="home-left"):
                yield Label("Scenarios", classes="section-title")
                yield ScenarioList(id="scenarios")
                yield Label("Unfinished sessions", classes="section-title", id="sessions-title")
                yield SessionList(id="sessions")
            with VerticalScroll(id="details"):
                yield Static("Loading the scenarios...", id="details-body")
        yield Static("", id="scorer-status")
        yield TrainerFooter()

    def on_mount(self) -> None:
        self.query_one("#filter", Input).cursor_blink = self.app.cursor_blink  # type: ignore[attr-defined]
        self.query_one("#sessions-title").display = False
        self.query_one("#sessions").display = False
        self.query_one(ScenarioList).focus()
        self.scorer_changed()
        self.refresh_data()

    def on_screen_resume(self) -> None:
        # Back from a conversation or an ending: the unfinished sessions have changed.
        self.refresh_data()

    @work(thread=True, exclusive=True, exit_on_error=False, group="home")
    def refresh_data(self) -> None:
        """Read scenarios and saved sessions off the UI thread."""
        app = self.app
        try:
            data = read_home_data(getattr(app, "scenarios_dir", None), getattr(app, "save_dir", None))
        except Exception as error:  # a bug in reading must leave a usable screen and a message, not a hang
            data = HomeData([], [f"Could not read the scenarios or saved sessions: {error}"], [])
        self.post_message(HomeLoaded(data))

    def on_home_loaded(self, message: HomeLoaded) -> None:
        first_load = not self.data.scenarios
        self.data = message.data
        for problem in message.data.problems:
            self.notify(problem, title="Problem", severity="warning", timeout=12)
        self._show_scenarios(keep=not first_load)
        self._show_sessions()
        if first_load:
            # Home is on screen and filled in: now the slow part can start in the background.
            self.call_after_refresh(self.app.start_loading_scorer)  # type: ignore[attr-defined]
            from trainer.tui.later import offer_drafts, recover_ended_runs

            if message.data.ended:  # finished, never stored (left at the ending): into the history now
                recover_ended_runs(self.app, message.data.scenarios, message.data.ended)
            if self.app.screen is self:
                # A self-assessment put off last time (quit at it) is offered once home is on screen.
                offer_drafts(self.app)

    def scorer_changed(self) -> None:
        """Show whether the scorer is still loading, ready, or unavailable."""
        holder = getattr(self.app, "scorer", None)
        status = self.query_one("#scorer-status", Static)
        if holder is None or holder.ready:
            status.update("Scorer ready.")
        elif holder.error:
            status.update("Scorer not available: replies can't be scored (see the message).")
        else:
            status.update("Loading the scorer in the background... you can read the briefings meanwhile.")

    # --- scenarios ----------------------------------------------------------------------------------

    def _show_scenarios(self, keep: bool = True) -> None:
        query = self.query_one("#filter", Input).value
        self.shown = [s for s in self.data.scenarios if scenario_matches(s, query)]
        options = self.query_one(ScenarioList)
        previous = options.highlighted if keep else None
        options.clear_options()
        for loaded in self.shown:
            prompt = Text(loaded.scenario.title)
            prompt.append(f"\n{str(loaded.scenario.difficulty)}", style="dim")
            options.add_option(Option(prompt, id=loaded.id))
        if self.shown:
            options.highlighted = min(previous or 0, len(self.shown) - 1)
        self._show_details()

    def _show_details(self) -> None:
        body = self.query_one("#details-body", Static)
        options = self.query_one(ScenarioList)
        if not self.data.scenarios:
            body.update("No scenarios found. Check the scenarios folder, or run `trainer validate`.")
        elif not self.shown:
            body.update("No scenario matches the filter. Press Escape to clear it.")
        elif options.highlighted is not None and options.highlighted < len(self.shown):
            body.update(scenario_details(self.shown[options.highlighted]))

    @on(Input.Changed, "#filter")
    def _filter_changed(self) -> None:
        self._show_scenarios(keep=False)

    @on(Input.Submitted, "#filter")
    def _filter_submitted(self) -> None:
        options = self.query_one(ScenarioList)
        if self.shown:
            self._open(options.highlighted or 0)
        else:
            self.notify("No scenario matches the filter.", severity="warning")

    @on(ScenarioList.OptionHighlighted, "#scenarios")
    def _highlighted(self) -> None:
        self._show_details()

    @on(ScenarioList.OptionSelected, "#scenarios")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        self._open(event.option_index)

    def on_types_into_filter_typed_into_list(self, message: TypesIntoFilter.TypedIntoList) -> None:
        field = self.query_one("#filter", Input)
        field.focus()
        field.insert_text_at_cursor(message.character)

    def on_key(self, event: events.Key) -> None:
        # Down from the filter goes to the list, so the keyboard path is: type, arrow down, Enter.
        if event.key == "down" and self.focused is self.query_one("#filter", Input):
            event.stop()
            self.query_one(ScenarioList).focus()

    def _open(self, index: int) -> None:
        from trainer.tui.briefing import BriefingScreen

        if 0 <= index < len(self.shown):
            mode: Mode = getattr(self.app, "start_mode", None) or "coach"
            self.app.push_screen(BriefingScreen(self.shown[index], mode=mode))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "focus_sessions":
            # Offered (and Tab bound to it) only when there are sessions to go to; otherwise Tab moves on.
            return bool(self.data.sessions) and not isinstance(self.focused, SessionList)
        return True

    def action_focus_sessions(self) -> None:
        """Go to the unfinished sessions, to resume or discard one."""
        self.query_one(SessionList).focus()

    def action_history(self) -> None:
        """Open the history of finished sessions (the history file is opened off the UI thread: another
        program holding it locked must not freeze the screen)."""
        from trainer.tui.debrief_screen import history_store

        if getattr(self.app, "_trainer_history", None) is not None:
            self._show_history(history_store(self.app), opened_later=False)
        else:
            self._open_history()

    @work(thread=True, exclusive=True, exit_on_error=False, group="history")
    def _open_history(self) -> None:
        from trainer.history.store import HistoryStore

        store = HistoryStore.open_or_fallback()  # never raises: falls back to memory, with a warning
        self.app.call_from_thread(self._show_history, store)

    def _show_history(self, store: Any, opened_later: bool = True) -> None:
        from trainer.tui.debrief_screen import adopt_history_store
        from trainer.tui.history_screen import HistoryScreen

        store = adopt_history_store(self.app, store)
        # While the file was opening the student may have moved on (opened a briefing): don't jump.
        if not opened_later or self.app.screen is self:
            self.app.push_screen(HistoryScreen(store))

    def action_settings(self) -> None:
        """Open the settings: the name scenarios may call you by."""
        self.app.action_settings()  # type: ignore[attr-defined]

    def action_focus_filter(self) -> None:
        self.query_one("#filter", Input).focus()

    def action_clear_filter(self) -> None:
        field = self.query_one("#filter", Input)
        field.value = ""
        self.query_one(ScenarioList).focus()

    # --- sessions -----------------------------------------------------------------------------------

    def _show_sessions(self, keep: int | None = None) -> None:
        sessions = self.query_one(SessionList)
        sessions.clear_options()
        # As wide as the list's text can be (its border, padding and scroll bar left out), so the last
        # thing said is cut on a word, not wrapped onto a fourth line.
        width = max(20, (sessions.scrollable_content_region.width or 32) - 3)
        for run, label in zip(self.data.sessions, session_labels(self.data.sessions, width), strict=True):
            sessions.add_option(Option(label, id=str(getattr(run, "run_id", ""))))
        visible = bool(self.data.sessions)
        sessions.display = visible
        self.query_one("#sessions-title").display = visible
        if visible:
            sessions.highlighted = min(keep or 0, len(self.data.sessions) - 1)
        self._sessions_width = sessions.scrollable_content_region.width
        self.refresh_bindings()
        if visible:  # shown just now, the list has no width yet: cut to the one it gets
            self.call_after_refresh(self._rewrap_sessions)

    def on_resize(self) -> None:
        # The list is as wide as the window allows (app.tcss): its entries are cut to the new width.
        self.call_after_refresh(self._rewrap_sessions)

    def _rewrap_sessions(self) -> None:
        sessions = self.query_one(SessionList)
        if self.data.sessions and sessions.scrollable_content_region.width != self._sessions_width:
            self._show_sessions(keep=sessions.highlighted)

    @on(SessionList.OptionHighlighted, "#sessions")
    def _session_highlighted(self) -> None:
        if self.focused is self.query_one(SessionList):
            self._show_session_details()

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        # The details pane follows the list in use: a scenario's details, or the unfinished session's.
        if isinstance(event.widget, SessionList):
            self._show_session_details()
        elif isinstance(event.widget, ScenarioList):
            self._show_details()

    def _show_session_details(self) -> None:
        index = self.query_one(SessionList).highlighted
        if index is not None and 0 <= index < len(self.data.sessions):
            self.query_one("#details-body", Static).update(session_details(self.data.sessions[index]))

    @on(SessionList.OptionSelected, "#sessions")
    def _resume_selected(self, event: OptionList.OptionSelected) -> None:
        self.resume(event.option_index)

    def resume(self, index: int) -> None:
        """Continue an unfinished session: straight to the conversation in the mode it was played in, or
        through the briefing (to choose a mode) when it was saved without one."""
        from trainer.scenario import saves
        from trainer.tui.briefing import BriefingScreen

        if not 0 <= index < len(self.data.sessions):
            return
        run = self.data.sessions[index]
        run_id = str(getattr(run, "run_id", ""))
        try:
            state = saves.load_run(run_id, getattr(self.app, "save_dir", None))
        except Exception as error:  # a save that went bad since the list was read: report, refresh
            self.notify(f"Could not open this session: {error}", title="Cannot resume", severity="error")
            self.refresh_data()
            return
        loaded = next((s for s in self.data.scenarios if s.id == state.scenario_id), None)
        if loaded is None:
            self.notify(
                f"The scenario '{state.scenario_id}' of this session is no longer installed. "
                "Press d to discard the session.",
                title="Cannot resume",
                severity="error",
            )
            return
        kept = saved_mode(state)
        if kept is not None:
            self.app.start_run(loaded, kept, state)  # type: ignore[attr-defined]
            return
        mode: Mode = getattr(self.app, "start_mode", None) or "coach"
        self.app.push_screen(BriefingScreen(loaded, mode=mode, resume=state))

    def on_session_list_discard_requested(self, message: SessionList.DiscardRequested) -> None:
        from trainer.tui.dialogs import ConfirmScreen

        if not 0 <= message.index < len(self.data.sessions):
            return
        run = self.data.sessions[message.index]

        def _discard(confirmed: bool | None) -> None:
            if not confirmed:
                return
            from trainer.scenario import saves

            try:
                saves.discard_run(str(getattr(run, "run_id", "")), getattr(self.app, "save_dir", None))
            except OSError as error:
                self.notify(f"Could not discard the session: {error}", severity="error")
            else:
                self.notify("Session discarded.", timeout=3)
            self.refresh_data()

        self.app.push_screen(
            ConfirmScreen(
                discard_question(run),
                yes="Discard",
                no="Keep it",
            ),
            _discard,
        )

    def palette_commands(self) -> list[SystemCommand]:
        """Home's actions for the command palette."""
        commands = [
            SystemCommand("History", "Your finished sessions, their debriefs and your progress (F3)",
                          self.action_history),
            SystemCommand("Filter scenarios", "Type to narrow the list (/)", self.action_focus_filter),
            SystemCommand("Clear the filter", "Show every scenario (Escape)", self.action_clear_filter),
        ]
        sessions = self.query_one(SessionList)
        if self.data.sessions:
            index = sessions.highlighted or 0
            commands += [
                SystemCommand("Resume the unfinished session", "The highlighted one (Enter on it)",
                              lambda: self.resume(index)),
                SystemCommand("Discard the unfinished session", "The highlighted one (d on it)",
                              lambda: sessions.post_message(SessionList.DiscardRequested(index))),
            ]
        return commands
