"""The debrief screen, and the flow from an ending to it: self-assessment, save to history, debrief.

    start_debrief(app, run, ending)    # what TrainerApp.show_ending() calls

The debrief shows the outcome, each skill's score beside the student's own rating with the gap in plain
words, how it is scored and the moments it counted (or the parts of the purpose made clear), a
reply-by-reply sparkline per signal, the MITI-style summary, the missed moments with the author's model
answers, things to try next time, and the transcript with every evidence span marked and labelled
(sympathy and overstep in reverse video, so they read as "against" without colour). All of it scrolls
(arrows, PageUp/PageDown, Home/End, the mouse wheel) at any size. From here the student can flag a reply
they think was scored wrongly (f), add what was happening for them at a reply (n), export the debrief or a
process recording for their practice educator (e) or open the history (h).

History and export are small local SQLite and file writes, done on the UI thread: they take milliseconds.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from rich.text import Text
from textual.app import App, ComposeResult, SystemCommand
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.widgets import (
    Header,
    Static,
)

from trainer.debrief.compute import compute_debrief
from trainer.debrief.export import (
    ExportError,
    chat_name,
    default_filename,
    merged,
    outcome_words,
    segments,
    write_export,
    write_file,
)
from trainer.debrief.model import Debrief, Line
from trainer.debrief.moments import PURPOSE_PARTS
from trainer.debrief.selfassess import SKILLS, USE_OF_SELF_PROMPTS, SelfAssessment, short_name
from trainer.history.notes import set_turn_note, turn_notes
from trainer.history.store import HistoryStore
from trainer.paths import on_lab_server
from trainer.practice.play import store_ended_run, store_self_assessment
from trainer.scoring.api import AGAINST
from trainer.tui.debrief_dialogs import ExportScreen, FlagScreen, NoteScreen
from trainer.tui.footer import TrainerFooter

BLOCKS = "\u2581\u2582\u2583\u2584\u2585\u2586\u2587\u2588"



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
    learner = getattr(app, "learner_name", None)  # kept on the session: redaction, `cohort --names`
    # With its scores now: a student who quits at the self-assessment still sees them in the history.
    session_id, not_saved, kept = store_ended_run(store, run, learner)
    if not_saved:
        app.notify(not_saved, title="Session not saved", severity="error", timeout=15)
    if kept:
        app.notify(kept, title="Old save file kept", severity="warning", timeout=10)

    def done(sa: SelfAssessment) -> None:
        debrief = compute_debrief(run.scenario, run.state, sa, learner_name=learner, session_id=session_id)
        problem = store_self_assessment(store, run, session_id, sa, debrief, learner)
        if problem:
            app.notify(problem, title="Self-assessment not saved", severity="error", timeout=15)
        app.switch_screen(DebriefScreen(debrief, store))

    def keep(entered: SelfAssessment) -> str | None:
        from trainer.practice.drafts import keep_draft

        assert session_id is not None
        return keep_draft(getattr(run, "save_dir", None), run.state.run_id, session_id,
                          run.state.scenario_title, entered)

    app.switch_screen(SelfAssessScreen(on_done=done, scenario_title=run.state.scenario_title,
                                       keep_for_later=keep if session_id is not None else None))


# --- rendering (plain functions, so tests and the plain player can use them) --------------------------


def sparkline(values: list[float]) -> str:
    """One block character per value, 0 (lowest) to 1 (full)."""
    return "".join(BLOCKS[round(max(0.0, min(1.0, v)) * (len(BLOCKS) - 1))] for v in values)


def outcome_text(d: Debrief) -> Text:
    text = Text()
    if d.outcome.title:
        text.append(d.outcome.title, style="bold")
        words = outcome_words(d.outcome)
        text.append(f"  ({words})\n", style="italic")
    if d.outcome.note:
        text.append(d.outcome.note)
    if d.outcome.references:
        text.append(f"\nSources: {'; '.join(d.outcome.references)}", style="dim")
    return text


#: A block of the debrief: its text and its CSS classes ("indent" hangs it under the label above, so
#: wrapped lines line up under "Model answer:" rather than at the screen's edge).
Block = tuple[Text, str]


def skills_blocks(d: Debrief) -> list[Block]:
    """Each skill: score, the 1-5 level beside the rating, the gap in words, how it is scored, the moments
    counted (or, for purpose, the parts covered), what was noted but not counted, and the sparklines."""
    out: list[Block] = []
    for s in d.skills:
        head = Text(s.name, style="bold")
        level = f"{s.level}/5" if s.level is not None else "-"
        rating = f"you said {s.rating}/5" if s.rating is not None else "not rated"
        head.append(f"   score {s.score:.2f} = {level}   ({rating})")
        out.append((head, "skill-head"))
        out.append((Text(s.gap), ""))
        out.append((Text.assemble(("How this is scored: ", "italic"), (s.definition, "dim")), "indent"))
        if s.parts:
            out.append((Text("Parts of the purpose made clear:", style="italic"), "indent"))
            for part, reply in s.parts.items():
                words = PURPOSE_PARTS.get(part, part)
                mark = f"\u2713 {words} (reply {reply})" if reply is not None else f"\u2717 {words}: not yet"
                out.append((Text(mark, style="" if reply is not None else "dim"), "indent2"))
        if s.moments:
            out.append((Text("Moments counted:", style="italic"), "indent"))
            for m in s.moments:
                out.append((Text(f"Reply {m.reply}: {m.why} - {m.verdict}."), "indent2"))
        for note in s.noted:
            out.append((Text(note, style="italic"), "indent"))
        if s.series:
            width = max(len(s.signal), len(s.counter or ""))
            spark = Text(f"{s.signal:<{width}} {sparkline([p.score for p in s.series])}")
            if s.counter:
                counters = [p.counter or 0.0 for p in s.series]
                spark.append("\n")
                shown = any(c >= 0.5 for c in counters)
                spark.append(f"{s.counter:<{width}} ", style="reverse" if shown else "")
                spark.append(sparkline(counters))
            out.append((spark, "indent"))
    if d.skipped:
        out.append((Text(f"You skipped {', '.join(d.skipped)}.", style="italic"), ""))
    return out


def self_assessment_blocks(d: Debrief) -> list[Block]:
    """What the student said before seeing any score: the three ratings and the two use-of-self answers,
    word for word (or that they were skipped)."""
    sa = d.self_assessment
    if sa.skipped:
        return [(Text("You skipped the self-assessment.", style="italic"), "")]
    ratings = ", ".join(
        f"{short_name(skill)} {sa.rating(skill)}/5" if sa.rating(skill) is not None
        else f"{short_name(skill)} not rated"
        for skill in SKILLS
    )
    out: list[Block] = [(Text.assemble(("You rated yourself: ", "bold"), ratings), "")]
    for key, prompt in USE_OF_SELF_PROMPTS.items():
        answer = d.reflections.get(key)
        out.append((Text(prompt, style="italic"), ""))
        out.append((Text(answer) if answer else Text("(not answered)", style="dim"), "indent"))
    return out


def miti_blocks(d: Debrief) -> list[Block]:
    """The MITI-style summary, each measure beside MITI 4.2.1's "fair" and "good", with the citation."""
    if d.miti is None:
        return [(Text("No replies to summarise."), "")]
    m = d.miti
    out: list[Block] = []
    for measure in m.measures:
        line = Text(f"{measure.name}: ", style="bold")
        line.append(measure.shown)
        if measure.fair != "-":
            line.append(f"   (MITI fair {measure.fair}, good {measure.good}", style="dim")
            line.append(f"; yours: {measure.band})" if measure.band else ")", style="dim")
        else:
            line.append(f"   ({measure.good})", style="dim")
        out.append((line, "indent-hang"))
    source = ("Counted from the scorer's dialogue acts." if m.source == "acts"
              else "Estimated from the signals (the scorer's dialogue acts are not available yet).")
    out.append((Text(f"{source} {m.note}", style="italic"), ""))
    out.append((Text(m.citation, style="dim"), ""))
    return out


def reply_blocks(line: Line, speaker: str, note: str | None = None) -> list[Block]:
    """A transcript line; in a reply each evidence span is underlined (reverse for sympathy and
    overstep) and followed by its label, so the marks read without colour; then what was scored, each
    piece of evidence, any flag and the student's note, each a block of its own hung under the reply
    ("evidence"), so that its wrapped lines line up under it rather than at the screen's edge."""
    text = Text(f"{speaker}: ", style="bold")
    if line.speaker != "learner":
        text.append(line.text)
        return [(text, "")]
    for piece, covering, ending in segments(line.text, merged(line.marks)):
        against = any(m.signal in AGAINST for m in covering)
        text.append(piece, style=("reverse" if against else "underline") if covering else "")
        for mark in ending:
            text.append(f" [{mark.signal}]", style="bold" if mark.against else "dim")
    out: list[Block] = [(text, "")]
    detail = ", ".join(line.present) if line.present else "no signal"
    out.append((Text(f"scored: {detail}", style="dim"), "evidence"))
    for mark in line.marks:
        counts = " (against)" if mark.against else ""
        said = f"{mark.signal}{counts}: \u201c{mark.text}\u201d - {mark.reason}"
        out.append((Text(said, style="dim"), "evidence"))
    for flag in line.flags:
        out.append((Text(f"you disagreed: {flag.reason}", style="italic"), "evidence"))
    if note:
        out.append((Text(f"what was happening for you: {note}", style="italic"), "evidence"))
    return out


def missed_blocks(d: Debrief) -> list[Block]:
    """Each missed moment: the message, then (indented, so wrapped lines line up under the label) the
    reply, the model answers and the tip. No rule ids: they are for the JSON export and tools."""
    if not d.missed:
        return [(Text("None found."), "")]
    out: list[Block] = []
    for i, m in enumerate(d.missed, 1):
        where = f"  (reply {m.reply})" if m.reply is not None and f"reply {m.reply}" not in m.message else ""
        out.append((Text.assemble((f"{i}. {m.message}", "bold"), (where, "dim")), "moment"))
        if m.reply_text:
            out.append((Text.assemble(("You: ", "bold"), m.reply_text), "indent"))
        for answer in m.model_answers:
            out.append((Text.assemble(("Model answer: ", "bold italic"), (answer, "italic")), "indent"))
        if m.tip:
            out.append((Text.assemble(("Tip: ", "bold dim"), (m.tip, "dim")), "indent"))
        if m.references:
            out.append((Text.assemble(("Sources: ", "bold dim"), ("; ".join(m.references), "dim")), "indent"))
    return out


def blocks_text(blocks: list[Block]) -> str:
    """The blocks as plain text (for tests and the plain player)."""
    return "\n".join(text.plain for text, _ in blocks)


def suggestions_text(d: Debrief) -> Text:
    text = Text()
    for i, s in enumerate(d.suggestions, 1):
        if i > 1:
            text.append("\n")
        text.append(f"{i}. {s.title}. ", style="bold")
        text.append(s.text)
        text.append(f" ({s.source})", style="dim")
    return text


# --- the screen ----------------------------------------------------------------------------------------


class DebriefScreen(Screen[None]):
    """The debrief of one session. All of it scrolls, by keyboard (Up/Down, PageUp/PageDown, Home/End) and
    mouse wheel, at any size: every section is as tall as its content."""

    DEFAULT_CSS = """
    DebriefScreen #debrief { padding: 0 1; }
    DebriefScreen #debrief > Vertical { height: auto; }
    DebriefScreen .heading { margin-top: 1; text-style: bold; color: $text-accent; }
    DebriefScreen .line { height: auto; margin-bottom: 1; }
    DebriefScreen .skill-head, DebriefScreen .moment { margin-top: 1; }
    DebriefScreen .indent { padding-left: 3; }
    DebriefScreen .indent2 { padding-left: 5; }
    DebriefScreen .evidence { padding-left: 4; }
    DebriefScreen #debrief-end { margin-top: 1; color: $text-muted; }
    """

    BINDINGS = [
        Binding("f", "flag", "I disagree", show=True),
        Binding("n", "note", "Note on a reply", show=True),
        Binding("e", "export", "Export", show=True),
        Binding("h", "history", "History", show=True),
        Binding("f3", "history", "History", show=False),
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
            yield Static("Your self-assessment (before any score)", classes="heading", markup=False)
            with Vertical(id="self-assessment"):
                yield from _statics(self_assessment_blocks(d))
            yield Static("Skills: your replies beside your own rating", classes="heading", markup=False)
            with Vertical(id="skills"):
                yield from _statics(skills_blocks(d))
            yield Static("Your replies beside MITI's thresholds", classes="heading", markup=False)
            with Vertical(id="miti"):
                yield from _statics(miti_blocks(d))
            yield Static("Missed moments", classes="heading", markup=False)
            with Vertical(id="missed"):
                yield from _statics(missed_blocks(d))
            yield Static("Things to try next time", classes="heading", markup=False)
            yield Static(suggestions_text(d), id="suggestions")
            yield Static("Transcript (marked words are the evidence; [label] names the signal)",
                         classes="heading", markup=False)
            with Vertical(id="transcript"):
                yield from self._lines()
            if d.notes:
                yield Static("\n".join(d.notes), id="notes", markup=False)
            yield Static("End of the debrief. n adds what was happening for you to a reply; e exports it: "
                         "as a process recording for your practice educator, or as JSON for your "
                         "educator's class report.",
                         id="debrief-end", markup=False)
        yield TrainerFooter()

    def _line_blocks(self, line: Line) -> list[Block]:
        if line.speaker == "learner":
            speaker: str | None = f"You (reply {line.reply})"
        else:
            speaker = chat_name(self.debrief, line.name)  # as the conversation showed it, as exports do
        return reply_blocks(line, speaker or "Service user", self.debrief.turn_notes.get(line.index))

    def _lines(self) -> list[Vertical]:
        return [
            Vertical(*_statics(self._line_blocks(line)), classes="line", id=f"line-{line.index}")
            for line in self.debrief.transcript
        ]

    def on_mount(self) -> None:
        self.sub_title = "debrief" + ("" if self.debrief.session_id is not None else " (not saved)")
        self.query_one("#debrief").focus()

    def _refresh_replies(self) -> None:
        for line in self.debrief.transcript:
            if line.speaker == "learner":
                box = self.query_one(f"#line-{line.index}", Vertical)
                box.remove_children()
                box.mount_all(_statics(self._line_blocks(line)))

    # --- flags and notes -------------------------------------------------------------------------------

    def _saved_or_say(self, what: str) -> bool:
        if self.store is None or self.debrief.session_id is None:
            self.notify(f"This session is not in the history, so {what} cannot be kept.", severity="warning")
            return False
        if not any(line.speaker == "learner" for line in self.debrief.transcript):
            self.notify("There are no replies in this session.", timeout=4)
            return False
        return True

    def palette_commands(self) -> list[SystemCommand]:
        """The debrief's actions in the command palette (ctrl+p), as the README promises for every action."""
        return [
            SystemCommand("I disagree", "Flag a reply you think was scored wrongly (f)", self.action_flag),
            SystemCommand("Note on a reply", "What was happening for you at a reply (n)", self.action_note),
            SystemCommand("Export", "Save this debrief, or a process recording for your practice educator"
                          " (e)", self.action_export),
            SystemCommand("History", "Your sessions and your progress (h)", self.action_history),
            SystemCommand("Close", "Close the debrief (Escape)", self.action_close),
        ]

    def action_flag(self) -> None:
        """Open the "I disagree" dialog."""
        if self._saved_or_say("a flag"):
            self._clear_toasts()
            self.app.push_screen(FlagScreen(self.debrief, self._save_flag), self._flag_saved)

    def _save_flag(self, turn: int, wrong: list[str], missing: list[str], reason: str) -> None:
        assert self.store is not None and self.debrief.session_id is not None
        self.store.add_flag(self.debrief.session_id, turn, wrong=wrong, missing=missing, reason=reason)

    def _flag_saved(self, saved: bool | None) -> None:
        if not saved or self.store is None or self.debrief.session_id is None:
            return
        flags = [f.as_mapping() for f in self.store.flags(self.debrief.session_id)]
        self.debrief = _with_flags(self.debrief, flags)
        self._refresh_replies()
        self.notify("Flag saved: your educator can review it.", timeout=4)

    def action_note(self) -> None:
        """Add (or change) what was happening for you at one reply."""
        if self._saved_or_say("a note"):
            self._clear_toasts()
            self.app.push_screen(NoteScreen(self.debrief, self._save_note), self._note_saved)

    def _save_note(self, turn: int, text: str) -> None:
        assert self.store is not None and self.debrief.session_id is not None
        self._note_was_blank = not text.strip()
        set_turn_note(self.store, self.debrief.session_id, turn, text)

    def _note_saved(self, saved: bool | None) -> None:
        if not saved or self.store is None or self.debrief.session_id is None:
            return
        notes = turn_notes(self.store, self.debrief.session_id)
        self.debrief = self.debrief.model_copy(update={"turn_notes": notes})
        self._refresh_replies()
        if getattr(self, "_note_was_blank", False):
            self.notify("No note kept for that reply: it was empty.", timeout=4)
        else:
            self.notify("Note saved: it goes in your process recording.", timeout=4)

    # --- export, history, close ------------------------------------------------------------------------

    def action_export(self) -> None:
        """Choose a format, then write the export to the exports folder."""
        self._clear_toasts()
        self.app.push_screen(ExportScreen(), self._export)

    def _export(self, choice: tuple[str, bool] | None) -> None:
        if choice is None:
            return
        fmt, redact = choice
        from trainer.debrief.recording import (
            recording_filename,
            settings_learner_name,
            student_recording,
            with_settings_name,
        )
        from trainer.paths import data_dir

        try:
            folder = data_dir() / "exports"
            folder.mkdir(parents=True, exist_ok=True)
            if fmt.startswith("pr-"):
                kind = fmt[3:]
                target = _new_file(folder / recording_filename(self.debrief, kind), redact)
                # As `trainer export --as process-recording` makes it: the student's name unless redacted.
                path = write_file(target, student_recording(self.debrief, kind, redact=redact))
            else:
                target = _new_file(folder / default_filename(self.debrief, fmt), redact)
                path = write_export(with_settings_name(self.debrief), fmt, target, redact=redact)
        except (ExportError, OSError) as error:
            self.notify(str(error), title="Not exported", severity="error", timeout=15)
            return
        if redact and not (self.debrief.learner_name or settings_learner_name()):
            # Students introduce themselves in their first reply: say that it could not be redacted.
            from trainer.debrief.redact import UNKNOWN_LEARNER

            self.notify(UNKNOWN_LEARNER[:1].upper() + UNKNOWN_LEARNER[1:], title="Your name is still in it",
                        severity="warning", timeout=20)
        if self.app.is_web:  # in a browser the server's folder is out of reach: the file is downloaded
            self.app.deliver_binary(path)
            where = "Downloading it" if on_lab_server() else f"Saved to {path}; downloading it too"
            self.notify(f"{where} ({path.name}).", title="Exported", timeout=15)
            return
        self.notify(f"Saved to {path}", title="Exported", timeout=15)

    def action_history(self) -> None:
        self._clear_toasts()
        if self.from_history:
            self.app.pop_screen()
        else:
            self.post_message(self.HistoryWanted(self.store or history_store(self.app)))

    def action_close(self) -> None:
        self._clear_toasts()
        self.app.pop_screen()

    def _clear_toasts(self) -> None:
        # The debrief's toasts ("Exported: saved to ...", shown for 15 s to read the path) are about the
        # debrief: leaving it, they go, instead of covering the next screen's text (a briefing). Opening
        # a dialog, they go too: at 80x24 "Note saved" covered the next dialog's buttons (student tester);
        # what they confirmed shows in the debrief itself (the note, the flag) or is in the exports folder.
        self.app.clear_notifications()


def _statics(blocks: list[Block]) -> list[Static]:
    return [Static(text, classes=classes) for text, classes in blocks]


def _with_flags(debrief: Debrief, flags: list[dict[str, Any]]) -> Debrief:
    """The same debrief with the flags attached to their replies (the scores do not depend on flags)."""
    from trainer.debrief.model import FlagView

    views = [FlagView.model_validate(f) for f in flags]
    lines = [
        line.model_copy(update={"flags": [f for f in views if f.turn == line.index]})
        for line in debrief.transcript
    ]
    return debrief.model_copy(update={"flags": views, "transcript": lines})


def _new_file(path: Path, redacted: bool) -> Path:
    """`path`, marked "-redacted" when it is, and numbered ("-2", "-3"...) when a file of that name is
    there already: an export never overwrites an earlier one (a redacted copy with an unredacted one)."""
    stem = path.stem + ("-redacted" if redacted else "")
    candidate, n = path.with_name(stem + path.suffix), 1
    while candidate.exists():
        n += 1
        candidate = path.with_name(f"{stem}-{n}{path.suffix}")
    return candidate
