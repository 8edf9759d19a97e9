"""The debrief screen, and the flow from an ending to it: self-assessment, save to history, debrief.

    start_debrief(app, run, ending)    # what TrainerApp.show_ending() calls

The debrief shows the outcome, each skill's score beside the student's own rating with the gap in plain
words, a reply-by-reply sparkline per signal, the missed moments with the author's model answers, things
to try next time, and the transcript with every evidence span marked and labelled (sympathy and
overstep in reverse video, so they read as "against" without colour). From here the student can flag a
reply they think was scored wrongly (f), export the debrief (e) or open the history (h).

History and export are small local SQLite and file writes, done on the UI thread: they take milliseconds.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from rich.text import Text
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.screen import ModalScreen, Screen
from textual.widgets import (
    Button,
    Checkbox,
    Footer,
    Header,
    Input,
    Label,
    RadioButton,
    RadioSet,
    Select,
    Static,
)

from trainer.debrief.compute import compute_debrief
from trainer.debrief.export import (
    FORMATS,
    OUTCOME_WORDS,
    ExportError,
    default_filename,
    merged,
    segments,
    write_export,
)
from trainer.debrief.model import Debrief, Line
from trainer.debrief.selfassess import SelfAssessment
from trainer.history.store import HistoryError, HistoryStore
from trainer.practice.play import store_finished_run, store_self_assessment
from trainer.scoring.api import SIGNALS

AGAINST = ("sympathy", "overstep")
BLOCKS = "\u2581\u2582\u2583\u2584\u2585\u2586\u2587\u2588"
FORMAT_NAMES = {"md": "Markdown (for a portfolio)", "html": "HTML (opens in a browser, prints to PDF)",
                "json": "JSON (everything, for tools)"}


def history_store(app: App[Any]) -> HistoryStore:
    """The app's history store, opened on first use. When the file cannot be used the store is in memory
    and the student is told why, once."""
    store = getattr(app, "_trainer_history", None)
    if store is None:
        store = adopt_history_store(app, HistoryStore.open_or_fallback())
    return store


def adopt_history_store(app: App[Any], store: HistoryStore) -> HistoryStore:
    """Make `store` (opened off the UI thread, say) the app's history store and warn once if it is the
    in-memory fallback; when the app already has one, close `store` and return that one."""
    current = getattr(app, "_trainer_history", None)
    if current is not None:
        if current is not store:
            store.close()
        return current  # type: ignore[no-any-return]
    app._trainer_history = store  # type: ignore[attr-defined]
    if store.warning:
        app.notify(store.warning, title="History not saved", severity="warning", timeout=20)
    return store


def start_debrief(app: App[Any], run: Any, ending: Any = None) -> None:
    """From an ending to the debrief: save the run, ask for the self-assessment, then show the debrief.

    The run is saved to the history as soon as it ends (so nothing is lost if the student closes the app
    at the self-assessment) and saved again, under the same run id, with the self-assessment and scores.
    Once it is in the history file, its save file is removed (`discard_stored_run`).
    `run` is a PlayRun (scenario, state); `ending` is not needed (the run state has it) and is accepted
    so this can stand in for `TrainerApp.show_ending`.
    """
    from trainer.tui.selfassess import SelfAssessScreen

    store = history_store(app)
    session_id, not_saved, kept = store_finished_run(store, run)
    if not_saved:
        app.notify(not_saved, title="Session not saved", severity="error", timeout=15)
    if kept:
        app.notify(kept, title="Old save file kept", severity="warning", timeout=10)

    def done(sa: SelfAssessment) -> None:
        debrief = compute_debrief(run.scenario, run.state, sa, session_id=session_id)
        problem = store_self_assessment(store, run, session_id, sa, debrief)
        if problem:
            app.notify(problem, title="Self-assessment not saved", severity="error", timeout=15)
        app.switch_screen(DebriefScreen(debrief, store))

    app.switch_screen(SelfAssessScreen(on_done=done, scenario_title=run.state.scenario_title))


# --- rendering (plain functions, so tests and the plain player can use them) --------------------------


def sparkline(values: list[float]) -> str:
    """One block character per value, 0 (lowest) to 1 (full)."""
    return "".join(BLOCKS[round(max(0.0, min(1.0, v)) * (len(BLOCKS) - 1))] for v in values)


def outcome_text(d: Debrief) -> Text:
    text = Text()
    if d.outcome.title:
        text.append(d.outcome.title, style="bold")
        words = OUTCOME_WORDS.get(d.outcome.outcome or "", d.outcome.outcome or "")
        text.append(f"  ({words})\n", style="italic")
    if d.outcome.note:
        text.append(d.outcome.note)
    return text


def skills_text(d: Debrief) -> Text:
    """Each skill: score, the 1-5 level beside the rating, the gap in words, and the per-reply sparklines."""
    text = Text()
    for i, s in enumerate(d.skills):
        if i:
            text.append("\n\n")
        text.append(s.name, style="bold")
        level = f"{s.level}/5" if s.level is not None else "-"
        rating = f"you said {s.rating}/5" if s.rating is not None else "not rated"
        text.append(f"   score {s.score:.2f} = {level}   ({rating})\n")
        text.append(s.gap + "\n")
        text.append(s.definition + "\n", style="dim")
        if s.series:
            width = max(len(s.signal), len(s.counter or ""))
            text.append(f"  {s.signal:<{width}} {sparkline([p.score for p in s.series])}\n")
            if s.counter:
                counters = [p.counter or 0.0 for p in s.series]
                shown = any(c >= 0.5 for c in counters)
                text.append(f"  {s.counter:<{width}} ", style="reverse" if shown else "")
                text.append(sparkline(counters) + "\n")
    if d.skipped:
        text.append(f"\nYou skipped {', '.join(d.skipped)}.", style="italic")
    return text


def reply_text(line: Line, speaker: str) -> Text:
    """A transcript line; in a reply each evidence span is underlined (reverse for sympathy and
    overstep) and followed by its label, so the marks read without colour."""
    text = Text(f"{speaker}: ", style="bold")
    if line.speaker != "learner":
        text.append(line.text)
        return text
    for piece, covering, ending in segments(line.text, merged(line.marks)):
        against = any(m.signal in AGAINST for m in covering)
        text.append(piece, style=("reverse" if against else "underline") if covering else "")
        for mark in ending:
            text.append(f" [{mark.signal}]", style="bold" if mark.against else "dim")
    detail = ", ".join(line.present) if line.present else "no signal"
    text.append(f"\n    scored: {detail}", style="dim")
    for mark in line.marks:
        counts = " (against)" if mark.against else ""
        text.append(f"\n    {mark.signal}{counts}: \u201c{mark.text}\u201d - {mark.reason}", style="dim")
    for flag in line.flags:
        text.append(f"\n    you disagreed: {flag.reason}", style="italic")
    return text


def missed_text(d: Debrief) -> Text:
    text = Text()
    if not d.missed:
        return Text("None found.")
    for i, m in enumerate(d.missed, 1):
        if i > 1:
            text.append("\n\n")
        text.append(f"{i}. {m.message}", style="bold")
        text.append(f"  ({m.rule})", style="dim")
        if m.reply_text:
            text.append(f"\n   You: {m.reply_text}")
        for answer in m.model_answers:
            text.append(f"\n   Model answer: {answer}", style="italic")
        if m.tip:
            text.append(f"\n   Tip: {m.tip}", style="dim")
    return text


def suggestions_text(d: Debrief) -> Text:
    text = Text()
    for i, s in enumerate(d.suggestions, 1):
        if i > 1:
            text.append("\n")
        text.append(f"{i}. {s.title}. ", style="bold")
        text.append(s.text)
        text.append(f" ({s.source})", style="dim")
    return text


# --- modals --------------------------------------------------------------------------------------------


class FlagScreen(ModalScreen[bool]):
    """"I disagree": pick a reply, tick the signals you think it really shows, and say why."""

    DEFAULT_CSS = """
    FlagScreen { align: center middle; }
    FlagScreen > Vertical { width: 90; max-width: 100%; height: auto; max-height: 100%; padding: 1 2;
                            border: thick $primary; background: $surface; }
    FlagScreen #signals { height: auto; }
    FlagScreen #flag-error { color: $error; height: auto; }
    FlagScreen Horizontal#flag-buttons { height: auto; align-horizontal: right; margin-top: 1; }
    FlagScreen Button { margin-left: 2; }
    """

    BINDINGS = [Binding("escape", "cancel", "Cancel", show=True)]

    def __init__(self, debrief: Debrief, save: Callable[[int, list[str], list[str], str], None]) -> None:
        super().__init__()
        self.debrief = debrief
        self.save = save
        self.replies = [line for line in debrief.transcript if line.speaker == "learner"]

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label("Which reply was scored wrongly?", markup=False)
            options = [(f"Reply {r.reply}: {r.text[:60]}", r.index) for r in self.replies]
            yield Select(options, id="flag-reply", allow_blank=False)
            yield Label("Tick every signal you think the reply really shows:", markup=False)
            with Horizontal(id="signals"):
                for signal in SIGNALS:
                    yield Checkbox(signal, id=f"flag-{signal}")
            yield Input(placeholder="Why? (the educator reads this)", id="flag-reason")
            yield Static("", id="flag-error", markup=False)
            with Horizontal(id="flag-buttons"):
                yield Button("Save flag", id="flag-save", variant="primary")
                yield Button("Cancel", id="flag-cancel")

    def on_mount(self) -> None:
        self._show_scorer_labels(self.replies[0].index if self.replies else None)
        self.query_one("#flag-reply", Select).focus()

    def _line(self, index: Any) -> Line | None:
        return next((r for r in self.replies if r.index == index), None)

    def _show_scorer_labels(self, index: Any) -> None:
        line = self._line(index)
        for signal in SIGNALS:
            self.query_one(f"#flag-{signal}", Checkbox).value = bool(line and signal in line.present)

    def on_select_changed(self, event: Select.Changed) -> None:
        self._show_scorer_labels(event.value)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "flag-save":
            self.action_save()
        else:
            self.action_cancel()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_save()

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

    def action_cancel(self) -> None:
        self.dismiss(False)


class ExportScreen(ModalScreen[tuple[str, bool] | None]):
    """Choose a format (and whether to redact names) for the export."""

    DEFAULT_CSS = """
    ExportScreen { align: center middle; }
    ExportScreen > Vertical { width: 70; max-width: 100%; height: auto; padding: 1 2; border: thick $primary;
                              background: $surface; }
    ExportScreen Horizontal { height: auto; align-horizontal: right; margin-top: 1; }
    ExportScreen Button { margin-left: 2; }
    """

    BINDINGS = [Binding("escape", "cancel", "Cancel", show=True)]

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label("Export this debrief as:", markup=False)
            with RadioSet(id="export-format"):
                for i, fmt in enumerate(FORMATS):
                    yield RadioButton(FORMAT_NAMES[fmt], id=f"export-{fmt}", value=i == 0)
            yield Checkbox("Redact names (the service user's and yours)", id="export-redact")
            with Horizontal():
                yield Button("Export", id="export-go", variant="primary")
                yield Button("Cancel", id="export-cancel")

    def on_mount(self) -> None:
        self.query_one("#export-format", RadioSet).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "export-go":
            index = max(0, self.query_one("#export-format", RadioSet).pressed_index)
            self.dismiss((FORMATS[index], self.query_one("#export-redact", Checkbox).value))
        else:
            self.action_cancel()

    def action_cancel(self) -> None:
        self.dismiss(None)


# --- the screen ----------------------------------------------------------------------------------------


class DebriefScreen(Screen[None]):
    """The debrief of one session."""

    DEFAULT_CSS = """
    DebriefScreen #debrief { padding: 0 1; }
    DebriefScreen .heading { margin-top: 1; text-style: bold; color: $text-accent; }
    DebriefScreen .line { margin-bottom: 1; }
    """

    BINDINGS = [
        Binding("f", "flag", "I disagree", show=True),
        Binding("e", "export", "Export", show=True),
        Binding("h", "history", "History", show=True),
        Binding("escape", "close", "Close", show=True),
    ]

    class HistoryWanted(Message):
        """The learner asked for their history from a debrief that was not opened from it; the app
        opens the history screen (this module does not import it: the history screen imports this one)."""

        def __init__(self, store: HistoryStore) -> None:
            super().__init__()
            self.store = store

    def __init__(
        self, debrief: Debrief, store: HistoryStore | None = None, from_history: bool = False
    ) -> None:
        super().__init__()
        self.debrief = debrief
        self.store = store
        self.from_history = from_history
        """Opened from the history screen, which is then beneath it: "History" goes back to it."""

    def compose(self) -> ComposeResult:
        d = self.debrief
        yield Header()
        with VerticalScroll(id="debrief"):
            yield Static(f"Debrief: {d.scenario_title}", classes="heading", markup=False)
            yield Static(outcome_text(d), id="outcome")
            yield Static("Skills: your replies beside your own rating", classes="heading", markup=False)
            yield Static(skills_text(d), id="skills")
            yield Static("Missed moments", classes="heading", markup=False)
            yield Static(missed_text(d), id="missed")
            yield Static("Things to try next time", classes="heading", markup=False)
            yield Static(suggestions_text(d), id="suggestions")
            yield Static("Transcript (marked words are the evidence; [label] names the signal)",
                         classes="heading", markup=False)
            with Vertical(id="transcript"):
                yield from self._lines()
            if d.notes:
                yield Static("\n".join(d.notes), id="notes", markup=False)
        yield Footer()

    def _render_line(self, line: Line) -> Text:
        speaker = f"You (reply {line.reply})" if line.speaker == "learner" else self.debrief.service_user
        return reply_text(line, speaker or "Service user")

    def _lines(self) -> list[Static]:
        return [
            Static(self._render_line(line), classes="line", id=f"line-{line.index}")
            for line in self.debrief.transcript
        ]

    def on_mount(self) -> None:
        self.sub_title = "debrief" + ("" if self.debrief.session_id is not None else " (not saved)")
        self.query_one("#debrief").focus()

    # --- flags -----------------------------------------------------------------------------------------

    def action_flag(self) -> None:
        """Open the "I disagree" dialog."""
        if self.store is None or self.debrief.session_id is None:
            self.notify("This session is not in the history, so a flag cannot be kept.", severity="warning")
            return
        if not any(line.speaker == "learner" for line in self.debrief.transcript):
            self.notify("There are no replies to flag.", timeout=4)
            return
        self.app.push_screen(FlagScreen(self.debrief, self._save_flag), self._flag_saved)

    def _save_flag(self, turn: int, wrong: list[str], missing: list[str], reason: str) -> None:
        assert self.store is not None and self.debrief.session_id is not None
        self.store.add_flag(self.debrief.session_id, turn, wrong=wrong, missing=missing, reason=reason)

    def _flag_saved(self, saved: bool | None) -> None:
        if not saved or self.store is None or self.debrief.session_id is None:
            return
        flags = [f.as_mapping() for f in self.store.flags(self.debrief.session_id)]
        self.debrief = _with_flags(self.debrief, flags)
        for line in self.debrief.transcript:
            if line.speaker == "learner":
                self.query_one(f"#line-{line.index}", Static).update(self._render_line(line))
        self.notify("Flag saved: your educator can review it.", timeout=4)

    # --- export, history, close ------------------------------------------------------------------------

    def action_export(self) -> None:
        """Choose a format, then write the export to the exports folder."""
        self.app.push_screen(ExportScreen(), self._export)

    def _export(self, choice: tuple[str, bool] | None) -> None:
        if choice is None:
            return
        fmt, redact = choice
        from trainer.paths import data_dir

        try:
            folder = data_dir() / "exports"
            folder.mkdir(parents=True, exist_ok=True)
            target = folder / default_filename(self.debrief, fmt)
            path = write_export(self.debrief, fmt, target, redact=redact)
        except (ExportError, OSError) as error:
            self.notify(str(error), title="Not exported", severity="error", timeout=15)
            return
        self.notify(f"Saved to {path}", title="Exported", timeout=15)

    def action_history(self) -> None:
        if self.from_history:
            self.app.pop_screen()
        else:
            self.post_message(self.HistoryWanted(self.store or history_store(self.app)))

    def action_close(self) -> None:
        self.app.pop_screen()


def _with_flags(debrief: Debrief, flags: list[dict[str, Any]]) -> Debrief:
    """The same debrief with the flags attached to their replies (the scores do not depend on flags)."""
    from trainer.debrief.model import FlagView

    views = [FlagView.model_validate(f) for f in flags]
    lines = [
        line.model_copy(update={"flags": [f for f in views if f.turn == line.index]})
        for line in debrief.transcript
    ]
    return debrief.model_copy(update={"flags": views, "transcript": lines})
