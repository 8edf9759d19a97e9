"""The Textual app: pick a scenario, read the briefing, meet the service user, talk, reach an ending.

`run_app()` is what `trainer` (no arguments) and `trainer play SCENARIO` call. The scorer (spaCy) loads
in a background worker while the home screen is already usable; nothing on the path to the first paint
imports spaCy. Screens live in their own modules; layout and colours in `app.tcss`.

What follows an ending: `TrainerApp.show_ending()` shows `EndScreen` (the ending's title and note);
from there `TrainerApp.after_ending()` hands over to the self-assessment and the debrief
(`trainer.tui.debrief_screen.start_debrief`).
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual import events, work
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.message import Message
from textual.notifications import SeverityLevel
from textual.screen import Screen
from textual.theme import Theme

from trainer.paths import on_lab_server
from trainer.practice.helptext import LAB_NOTICE
from trainer.practice.play import Mode, PlayRun, ScorerHolder, ScorerLike, ScorerUnavailable, saved_mode
from trainer.tui.roomy import update_size_notice

if TYPE_CHECKING:  # the engine loads with the first run, not before the first paint
    from trainer.scenario.engine import EndingReached, RunState
    from trainer.tui.debrief_screen import DebriefScreen

HIGH_CONTRAST = Theme(
    name="trainer-high-contrast",
    primary="#FFFF00",
    secondary="#00FFFF",
    accent="#FFFF00",
    warning="#FFB000",
    error="#FF6060",
    success="#00FF00",
    foreground="#FFFFFF",
    background="#000000",
    surface="#000000",
    panel="#1A1A1A",
    boost="#FFFFFF",
    dark=True,
    variables={
        "footer-key-foreground": "#FFFF00",
        "block-cursor-background": "#FFFF00",
        "block-cursor-foreground": "#000000",
        "input-selection-background": "#FFFF00 40%",
    },
)
DEFAULT_THEME = "textual-dark"


class ScorerStatus(Message):
    """The background scorer load finished (ready) or failed (error says why)."""

    def __init__(self, ready: bool, error: str | None = None) -> None:
        super().__init__()
        self.ready = ready
        self.error = error


def _settings_file() -> Path | None:
    try:
        from trainer.paths import data_dir
    except ImportError:
        return None
    try:
        return data_dir() / "settings.json"
    except OSError:
        return None


class TrainerApp(App[None]):
    """The trainer app. Arguments exist for tests and `trainer play`; `trainer` uses the defaults."""

    CSS_PATH = "app.tcss"
    TITLE = "trainer"
    SUB_TITLE = "rehearse a first meeting"
    ENABLE_COMMAND_PALETTE = True

    BINDINGS = [
        # F1 works even while typing (priority); "?" only outside text fields, where it is not a character.
        Binding("f1", "help", "Help", priority=True),
        Binding("question_mark", "help", "Help", show=False),
        Binding("f2", "toggle_contrast", "Contrast"),
        Binding("ctrl+q", "quit", "Quit", priority=True),
    ]

    def __init__(
        self,
        *,
        scenario: str | None = None,
        mode: Mode | None = None,
        resume: str | None = None,
        scorer_factory: Callable[[], ScorerLike] | None = None,
        scenarios_dir: Path | None = None,
        save_dir: Path | None = None,
        cursor_blink: bool = True,
        persist_settings: bool = True,
    ) -> None:
        super().__init__()
        self.start_scenario = scenario
        self.start_mode: Mode | None = mode
        self.start_resume = resume
        self.scorer = ScorerHolder(scorer_factory)
        self._scorer_started = False
        self.scenarios_dir = scenarios_dir
        self.save_dir = save_dir
        self.cursor_blink = cursor_blink
        self.persist_settings = persist_settings
        self.register_theme(HIGH_CONTRAST)
        self.theme = self._saved_theme()
        from trainer.settings import Settings, load_settings

        # Tests and `persist_settings=False` never read or ask: no name, and asked already.
        self.settings = load_settings() if persist_settings else Settings(asked_name=True)

    @property
    def learner_name(self) -> str | None:
        """The name the learner asked to be called, or None (scenarios then use their fallback)."""
        return self.settings.learner_name

    # --- start-up -----------------------------------------------------------------------------------

    def on_mount(self) -> None:
        from trainer.tui.home import HomeScreen

        self.push_screen(HomeScreen())
        # Below a workable size every screen shows a "make the window larger" notice (trainer.tui.roomy).
        self.screen_change_signal.subscribe(self, self._size_notice_for)
        update_size_notice(self)
        # The scorer starts loading once home has painted its scenarios (HomeScreen calls
        # `start_loading_scorer`): importing spaCy in a thread still holds the GIL for long stretches,
        # and would delay the first paint. A timer makes sure it starts even if home never reports.
        self.set_timer(2.0, self.start_loading_scorer)
        # On a shared server the student is told their tab is private, after the name question if there is
        # one (the toast would cover its buttons).
        self._lab_notice_due = on_lab_server()
        if not self.settings.asked_name and not (self.start_resume or self.start_scenario):
            self.action_settings(first_time=True)  # once, optionally: the name scenarios may use
        else:
            self._show_lab_notice()
        if self.start_resume:
            self.open_saved_run(self.start_resume)
        elif self.start_scenario:
            self.open_scenario_ref(self.start_scenario)

    def on_resize(self, event: events.Resize) -> None:
        update_size_notice(self, size=event.size)

    def _size_notice_for(self, screen: Screen[Any]) -> None:
        update_size_notice(self, screen)

    def start_loading_scorer(self) -> None:
        """Start the background load of the scorer, once."""
        if not self._scorer_started:
            self._scorer_started = True
            self.load_scorer()

    @work(thread=True, exclusive=True, exit_on_error=False, group="scorer")
    def load_scorer(self) -> None:
        """Load spaCy and the scorer off the UI thread; home is usable meanwhile."""
        try:
            self.scorer.get()
        except ScorerUnavailable as error:
            self.post_message(ScorerStatus(False, str(error)))
        else:
            self.post_message(ScorerStatus(True))

    def on_debrief_screen_history_wanted(self, message: DebriefScreen.HistoryWanted) -> None:
        """"History" pressed in a debrief reached from a session: open the history on top of it."""
        from trainer.tui.history_screen import HistoryScreen

        self.push_screen(HistoryScreen(message.store))

    def on_scorer_status(self, message: ScorerStatus) -> None:
        if message.error:
            self.notify(message.error, title="Scorer not available", severity="error", timeout=20)
        # Screens that show the scorer's state pick it up from here.
        for screen in self.screen_stack:
            refresh = getattr(screen, "scorer_changed", None)
            if refresh is not None:
                refresh()

    def open_saved_run(self, run_id: str) -> None:
        """Continue a saved run named on the command line: straight to the conversation in its mode (or
        the mode given with --mode), or through the briefing when it was saved without one."""
        from trainer.scenario import saves

        try:
            state = saves.load_run(run_id, self.save_dir)
        except Exception as error:  # missing or corrupt: home is still there, with the list to pick from
            self.notify(f"Cannot resume session '{run_id}': {error}", title="Cannot resume", severity="error")
            return
        mode = self.start_mode or saved_mode(state)
        if mode is None:
            self.open_scenario_ref(self.start_scenario or state.scenario_id, resume=state)
            return
        loaded = self._load_ref(self.start_scenario or state.scenario_id)
        if loaded is not None:
            self.start_run(loaded, mode, state)

    def open_scenario_ref(self, ref: str, resume: RunState | None = None) -> None:
        """Open the briefing of a scenario named on the command line (an id or a path)."""
        from trainer.tui.briefing import BriefingScreen

        loaded = self._load_ref(ref)
        if loaded is not None:
            self.push_screen(BriefingScreen(loaded, mode=self.start_mode or "coach", resume=resume))

    def _load_ref(self, ref: str) -> object | None:
        """The scenario named on the command line, loaded; None (and a message) when it cannot be."""
        from trainer.scenario.loader import ScenarioInvalid, find_scenario, load_scenario

        try:
            loaded = load_scenario(find_scenario(ref))
        except ScenarioInvalid as error:
            count = len(getattr(error, "diagnostics", []) or [])
            self.notify(
                f"The scenario '{ref}' has {count} problem(s); run `trainer validate {ref}` to see them.",
                title="Scenario not loaded",
                severity="error",
                timeout=15,
            )
            return None
        except (OSError, ValueError, LookupError) as error:
            self.notify(str(error), title="Scenario not found", severity="error", timeout=15)
            return None
        return loaded

    # --- playing ------------------------------------------------------------------------------------

    def start_run(self, loaded: object, mode: Mode, state: RunState | None = None) -> None:
        """Open the conversation (a new run, or `state` resumed): in place of the briefing, or on top of
        home when a saved run goes straight on in its saved mode."""
        from trainer.scenario.engine import EngineError, StateError
        from trainer.tui.briefing import BriefingScreen
        from trainer.tui.conversation import ConversationScreen

        scenario = loaded.scenario  # type: ignore[attr-defined]
        scenario_id = loaded.id  # type: ignore[attr-defined]
        try:
            run = PlayRun(scenario, scenario_id, state=state, mode=mode, save_dir=self.save_dir)
        except StateError as error:
            self.notify(
                f"This saved session no longer fits its scenario ({error}). You can discard it from home.",
                title="Cannot resume",
                severity="error",
                timeout=15,
            )
            return
        except EngineError as error:  # e.g. a scenario with a node that leads nowhere
            message = f"{error} Run `trainer validate {scenario_id}`."
            self.notify(message, title="Cannot start", severity="error")
            return
        if isinstance(self.screen, BriefingScreen):
            self.switch_screen(ConversationScreen(run))
        else:
            self.push_screen(ConversationScreen(run))

    def show_ending(self, run: PlayRun, ending: EndingReached) -> None:
        """What follows an ending: the end screen, which leads on to `after_ending`."""
        from trainer.tui.ending import EndScreen

        self.switch_screen(EndScreen(run, ending))

    def after_ending(self, run: PlayRun, ending: EndingReached) -> None:
        """From the end screen to the self-assessment, then the debrief (saved to the history)."""
        from trainer.tui.debrief_screen import start_debrief

        start_debrief(self, run, ending)

    # --- actions ------------------------------------------------------------------------------------

    def action_help(self) -> None:
        """Open the help screen (or close it when it is open)."""
        from trainer.tui.help import HelpScreen

        if isinstance(self.screen, HelpScreen):
            self.pop_screen()
        else:
            self.push_screen(HelpScreen())

    def action_settings(self, first_time: bool = False) -> None:
        """Open the settings: the name the learner wants to be called (optional)."""
        from trainer.tui.settings_screen import SettingsScreen

        self.push_screen(SettingsScreen(self.learner_name, first_time=first_time), self._settings_answered)

    def _show_lab_notice(self) -> None:
        if getattr(self, "_lab_notice_due", False):
            self._lab_notice_due = False
            self.notify(LAB_NOTICE, title="A shared computer", timeout=30)

    def _settings_answered(self, answer: tuple[bool, str] | None) -> None:
        from dataclasses import replace

        self._show_lab_notice()
        from trainer.settings import clean_name, save_settings

        saved, name = answer or (False, "")
        before = self.settings
        self.settings = replace(before, learner_name=clean_name(name) if saved else before.learner_name,
                                asked_name=True)
        if self.settings == before:
            return
        if self.persist_settings:
            try:
                save_settings(self.settings)
            except OSError as error:
                self.notify(f"Could not keep your name for next time ({error}).", severity="warning")
                return
        if saved:
            shown = self.settings.learner_name
            self.notify(f"Scenarios will call you {shown}." if shown else "No name kept.", timeout=4)

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = False,
    ) -> None:
        """A toast, always shown as written: messages carry names, replies, titles and file paths, and
        brackets in them ("Sam [she/her]") must not be read as markup (student tester F29). `markup` is
        accepted and ignored (screens pass Textual's default, True)."""
        super().notify(message, title=title, severity=severity, timeout=timeout, markup=False)

    def action_toggle_contrast(self) -> None:
        """Switch between the high-contrast theme and the default one, and remember the choice."""
        self.theme = DEFAULT_THEME if self.theme == HIGH_CONTRAST.name else HIGH_CONTRAST.name
        self._save_theme()
        high = self.theme == HIGH_CONTRAST.name
        said = "on (F2 switches it off)" if high else "off (F2 switches it on)"
        self.notify(f"High contrast {said}", timeout=3)

    async def action_quit(self) -> None:
        """Quit; in a conversation, ask once first (the run is saved either way)."""
        leave = getattr(self.screen, "confirm_leave", None)
        if leave is not None:
            leave(then_quit=True)
        else:
            self.exit()

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        yield SystemCommand("Help", "The skills and the relationship checklist (F1)", self.action_help)
        yield SystemCommand("Settings", "Your name, as scenarios may address you", self.action_settings)
        yield SystemCommand(
            "High contrast", "Switch the high-contrast theme on or off (F2)", self.action_toggle_contrast
        )
        commands = getattr(screen, "palette_commands", None)
        if commands is not None:
            yield from commands()

    # --- settings -----------------------------------------------------------------------------------

    def _saved_theme(self) -> str:
        # An explicit choice in the environment wins (e.g. a lab machine set up for a student).
        env = os.environ.get("TRAINER_THEME")
        if env in (DEFAULT_THEME, HIGH_CONTRAST.name):
            return env
        path = _settings_file() if self.persist_settings else None
        try:
            if path is not None and path.is_file():
                theme = json.loads(path.read_text(encoding="utf-8")).get("theme")
                if theme in self.available_themes:
                    return str(theme)
        except (OSError, ValueError, AttributeError):
            pass  # unreadable settings are not worth stopping for: start with the default look
        return DEFAULT_THEME

    def _save_theme(self) -> None:
        path = _settings_file() if self.persist_settings else None
        if path is None:
            return
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            try:  # the file may also hold the learner's settings (trainer.settings): keep them
                kept = json.loads(path.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                kept = {}
            data = {**(kept if isinstance(kept, dict) else {}), "theme": self.theme}
            path.write_text(json.dumps(data), encoding="utf-8")
        except OSError:
            self.notify("Could not remember the theme for next time (settings not writable).", timeout=5)


def run_app(scenario: str | None = None, mode: Mode | None = None, resume: str | None = None) -> None:
    """Run the app: home, or straight to the briefing of `scenario` (an id or a path), or back into the
    saved run `resume` (in its saved mode unless `mode` is given; through the briefing if it has none).

    Raises: SystemExit with the app's return code when it ended in an error (Textual has printed the
    traceback), so a launcher or script sees the failure; a normal quit returns."""
    app = TrainerApp(scenario=scenario, mode=mode, resume=resume)
    app.run()
    if app.return_code:
        raise SystemExit(app.return_code)
