"""The conversation: the transcript as a chat, the reply box, the authored options, coach notes.

Enter sends, ctrl+j (or shift+enter) starts a new line; number keys on an empty reply box pick an
option. Keys typed in one burst (a paste sent as keystrokes) go into the box as one edit. Each reply is
scored in a thread worker that posts `ScoringFinished` back, so the app never freezes; meanwhile the reply
box shows a "thinking" state. After every turn the run is saved.
"""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual import events, on, work
from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.markup import escape
from textual.message import Message
from textual.screen import Screen
from textual.widgets import OptionList, Static, TextArea
from textual.widgets.option_list import Option

from trainer.practice.coaching import coach_note, gauge, reply_note
from trainer.practice.play import PlayRun, ScorerUnavailable
from trainer.scenario.engine import EndingReached, EngineError, Prompt, TurnRecord
from trainer.scenario.placeholders import fill
from trainer.scenario.schema import InputMode
from trainer.scenario.speakers import first_name
from trainer.scoring.api import Assessment
from trainer.tui.bursts import TypesIntoBox
from trainer.tui.chatlines import learner_line, note_text, su_line
from trainer.tui.footer import TrainerFooter
from trainer.tui.replybox import ReplyBox

DRAFT_SAVE_SECONDS = 3.0
"""While typing, the draft is saved with the run at most this often (and always on leaving)."""
OPTIONS_ONLY = "Choose one of the options ({first}-{last}) here"
"""Said when a reply is typed at an options-only moment (nothing typed can be sent there)."""
NOT_YET = (
    "{name} has not answered your last reply yet. What you typed stays in the box: press Enter again "
    "once {name} has answered."
)


class ScoringFinished(Message):
    """A reply has been scored (assessment) or could not be (error says why, nothing was sent)."""

    def __init__(
        self, text: str, option: int | None, assessment: Assessment | None, error: str | None
    ) -> None:
        super().__init__()
        self.text = text
        self.option = option
        self.assessment = assessment
        self.error = error


class ChoiceList(OptionList):
    """The moment's authored options, numbered; unavailable ones are greyed and cannot be picked."""

    BINDINGS = [
        Binding("enter", "select", "Pick", show=True),
        # As from the reply box (an options-only moment has none): the keys scroll the transcript. End here
        # used to highlight the last option instead, and Enter then picked it.
        Binding("pageup", "scroll_transcript('page_up')", "Scroll up", show=False),
        Binding("pagedown", "scroll_transcript('page_down')", "Scroll down", show=False),
        Binding("end,ctrl+end", "scroll_transcript('end')", "Newest line", show=False),
    ]
    # Never narrower than its borders and padding plus a few columns of text: laying options out in zero
    # columns ends the app, and a real terminal can lay the screen out at a tiny size before the
    # "-too-small" notice's styles (trainer.tui.roomy) have been applied.
    DEFAULT_CSS = "ChoiceList { min-width: 12; }"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.typed_note: str | None = None
        """Shown on the list's border when a letter is typed at an options-only moment (there is nothing
        to type into: the letters used to vanish without a word, student tester F39)."""

    def on_key(self, event: events.Key) -> None:
        if self.tell_if_typed(event):
            event.stop()
            event.prevent_default()

    def tell_if_typed(self, event: events.Key) -> bool:
        """At an options-only moment, a typed letter puts the note on the list's border; True if it did."""
        char = event.character
        if self.typed_note and event.is_printable and char and not char.isdigit() and char not in " ?":
            self.border_title = self.typed_note
            self.add_class("told")
            return True
        return False

    def action_scroll_transcript(self, where: str) -> None:
        """Scroll the transcript a page up or down, or to its newest line."""
        self.post_message(ReplyBox.ScrollTranscript(where))


class ConversationScreen(TypesIntoBox, Screen[None]):
    """One run, from the first line to the ending."""

    TYPING_BOX = "#reply"  # typed with the focus on the transcript or the options: into the reply box,
    OWN_KEYS = "123456789?"  # except the option numbers and "?" (help); trainer.tui.bursts

    BINDINGS = [
        Binding("escape", "leave", "Leave", show=True),
        Binding("enter", "see_ending", "See how it ended", show=True),
        *[Binding(str(n), f"pick({n})", "Pick option", show=n == 1, key_display="1-9") for n in range(1, 10)],
    ]

    def __init__(self, run: PlayRun) -> None:
        super().__init__()
        self.run = run
        self.thinking = False
        self.rendered = 0
        """How many transcript records are on screen."""
        self.ending: EndingReached | None = None
        self.last_vars: dict[str, int] = {}
        self._reply_was_empty = True
        self._sending = ""
        """A typed reply on its way (being scored): part of the draft until it has been recorded."""
        self._draft_changed = False
        self._draft_saved = False

    @property
    def coach(self) -> bool:
        return self.run.mode == "coach"

    def compose(self) -> ComposeResult:
        yield Static(id="mood")
        yield VerticalScroll(id="transcript")
        yield ChoiceList(id="choices")
        yield ReplyBox(id="reply")
        yield Static(id="ended")
        yield TrainerFooter()

    def on_mount(self) -> None:
        reply = self.query_one(ReplyBox)
        reply.cursor_blink = getattr(self.app, "cursor_blink", True)
        self.query_one("#ended").display = False
        if self.run.draft and self.ending is None:
            # Resumed with a half-typed reply: it is back where it was.
            reply.load_text(self.run.draft)
            reply.move_cursor(reply.document.end)
        self._render_new_lines()
        self._show_step()
        self.set_interval(DRAFT_SAVE_SECONDS, self._save_draft)
        # Anchored: the transcript follows its newest line as lines arrive and the window is resized,
        # until the learner scrolls up (PageUp); a new line or End brings it back to the newest.
        self.query_one("#transcript", VerticalScroll).anchor()

    # --- rendering ----------------------------------------------------------------------------------

    def _node_info(self, node_id: str) -> tuple[str | None, list[str]]:
        node = self.run.scenario.nodes.get(node_id)
        return (node.tip, list(node.expect)) if node else (None, [])

    def _render_new_lines(self) -> None:
        """Append the transcript records not yet on screen (all of them for a resumed run)."""
        transcript = self.run.state.transcript
        box = self.query_one("#transcript", VerticalScroll)
        name = first_name(self.run.scenario.service_user.name)
        widgets: list[Static] = []
        for i in range(self.rendered, len(transcript)):
            widgets.extend(self._record_widgets(transcript[i], name, transcript[i - 1] if i else None))
        self.rendered = len(transcript)
        if widgets:
            box.mount_all(widgets)
            self._to_newest()

    def _to_newest(self) -> None:
        """Scroll the transcript to its newest line, now and once the new lines have been laid out."""
        box = self.query_one("#transcript", VerticalScroll)
        box.scroll_end(animate=False, immediate=True)
        self.call_after_refresh(box.scroll_end, animate=False)

    def _record_widgets(self, record: TurnRecord, name: str, answered: TurnRecord | None) -> list[Static]:
        """A transcript record's widgets: a line said by someone other than the service user goes by their
        name, and a reply to it gets a coach note about "them" (`answered`: the line replied to)."""
        if record.speaker == "service_user":
            line = fill(record.text, getattr(self.app, "learner_name", None))
            return [Static(su_line(record.name or name, line), classes="line su")]
        note = None
        if self.coach and record.assessment is not None:
            other = answered is not None and answered.name is not None
            pronouns = None if other else self.run.scenario.service_user.pronouns
            transcript = self.run.state.transcript
            index = next((i for i in reversed(range(len(transcript))) if transcript[i] == record), None)
            if index is None:
                tip, expect = self._node_info(record.node)
                note = coach_note(record.assessment, record.text, tip=tip, expect=expect, pronouns=pronouns)
            else:
                note = reply_note(self.run.scenario, transcript, index, pronouns=pronouns)
        widgets = [Static(learner_line(record.text, note), classes="line me")]
        if note is not None:
            widgets.append(Static(note_text(note), classes="coach-note"))
        elif record.assessment and record.assessment.get("note"):
            # Practice mode gives no feedback, but a truncated reply is information, not feedback.
            widgets.append(Static(Text(str(record.assessment["note"]), style="italic"), classes="coach-note"))
        return widgets

    def _show_mood(self, variables: dict[str, int]) -> None:
        name = self.run.scenario.service_user.name
        text = Text()
        text.append(f"{name}", style="bold")
        if self.coach:
            for var in ("trust", "distress"):
                value = variables.get(var, 5)
                before = self.last_vars.get(var, value)
                arrow = " ↑" if value > before else " ↓" if value < before else "  "
                text.append(f"   {var} ")
                text.append(gauge(value), style="bold")
                text.append(arrow)
            text.append("   coach mode", style="dim")
        else:
            text.append("   practice mode: feedback at the end", style="dim")
        self.query_one("#mood", Static).update(text)
        self.last_vars = dict(variables)

    def _show_step(self) -> None:
        step = self.run.current()
        reply = self.query_one(ReplyBox)
        choices = self.query_one(ChoiceList)
        self._show_mood(dict(step.variables))
        if isinstance(step, EndingReached):
            self.ending = step
            choices.display = False
            reply.display = False
            ended = self.query_one("#ended", Static)
            ended.update(Text("The conversation is over. Press Enter to see how it ended.", style="bold"))
            ended.display = True
            self.refresh_bindings()
            return
        choices.clear_options()
        for option in step.options:
            label = Text(f"{option.number}. ", style="bold")
            label.append(fill(option.text, getattr(self.app, "learner_name", None)))
            if not option.available:
                label.append("  (not available now)", style="italic")
            choices.add_option(Option(label, id=str(option.number), disabled=not option.available))
        choices.display = bool(step.options)
        numbers = [o.number for o in step.options if o.available] or [o.number for o in step.options]
        only = step.input_mode == InputMode.options and bool(numbers)
        choices.typed_note = OPTIONS_ONLY.format(first=min(numbers), last=max(numbers)) if only else None
        choices.border_title = None
        choices.remove_class("told")
        # With no reply box, the options may take most of the screen: each one whole at 60x20 (F39).
        choices.set_class(only, "only")
        reply.option_count = len(step.options) if step.input_mode != InputMode.free else 0
        typing = step.input_mode != InputMode.options
        # An options-only moment has nothing to type: the box goes, and the options take the focus.
        reply.disabled = not typing
        reply.display = typing
        name = step.name or self.run.scenario.service_user.name
        reply.placeholder = f"Your reply to {name}" if typing else ""
        if step.options and step.input_mode == InputMode.both:
            reply.placeholder += " (or press an option's number)"
        if typing:
            reply.focus()
        else:
            choices.focus()
            first = next((i for i, o in enumerate(step.options) if o.available), None)
            choices.highlighted = first
        self.refresh_bindings()

    def _set_thinking(self, thinking: bool) -> None:
        """While a reply is scored the box stays open: the learner may type the next reply."""
        self.thinking = thinking
        reply = self.query_one(ReplyBox)
        reply.waiting = thinking
        reply.set_class(thinking, "thinking")
        name = first_name(self.run.scenario.service_user.name)
        # A border title is markup: the name is escaped, so a name with brackets reads as written (F29).
        reply.border_title = f"{escape(name)} is thinking... (you can keep typing)" if thinking else None
        self.query_one(ChoiceList).disabled = thinking

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "see_ending":
            return self.ending is not None
        if action == "pick":
            step = self.run.current()
            box = self.query_one(ReplyBox) if self.is_mounted else None
            typing = box is not None and box.display and box.has_text
            offered = isinstance(step, Prompt) and bool(step.options) and step.input_mode != InputMode.free
            return offered and not typing
        return True

    def on_key(self, event: events.Key) -> None:
        # A letter typed with the focus elsewhere (Tab moved it to the transcript) is not lost silently.
        choices = self.query_one(ChoiceList)
        if choices.display and choices.tell_if_typed(event):
            choices.focus()

    @on(TextArea.Changed, "#reply")
    def _reply_changed(self) -> None:
        # "1-9 Pick option" is offered in the footer only while the reply box is empty: refresh the
        # bindings when it becomes empty or stops being empty, not on every key.
        text = self.query_one(ReplyBox).text
        self._keep_draft(text)
        empty = not text
        if empty != self._reply_was_empty:
            self._reply_was_empty = empty
            self.refresh_bindings()

    # --- the draft ---

    def _keep_draft(self, typed: str) -> None:
        """The run's draft: a reply on its way (until recorded) and what is in the box."""
        draft = "\n".join(part for part in (self._sending, typed) if part)
        if draft != self.run.draft:
            self.run.draft = draft
            self._draft_changed = True

    def _save_draft(self) -> None:
        """Save the run with its draft, when the draft has changed since the last save (every few
        seconds while typing). A run with no reply yet is saved once it has a draft."""
        if not self._draft_changed or self.ending is not None:
            return
        if self.run.learner_turns == 0 and not self.run.draft.strip() and not self._draft_saved:
            return
        self._draft_changed = False
        self.run.save()
        self._draft_saved = True

    # --- sending ------------------------------------------------------------------------------------

    @on(ReplyBox.Submitted)
    def _reply_submitted(self, message: ReplyBox.Submitted) -> None:
        step = self.run.current()
        if self.thinking:
            # Never lose what was typed: it stays in the box until it can be sent.
            name = first_name(self.run.scenario.service_user.name)
            self.notify(NOT_YET.format(name=name), title="Not sent yet", timeout=6)
            return
        if not isinstance(step, Prompt):
            return
        if step.input_mode == InputMode.options and message.text.strip():
            numbers = [o.number for o in step.options] or [1]
            self.notify(OPTIONS_ONLY.format(first=min(numbers), last=max(numbers)) + ".", timeout=4)
            return
        # Empty, no words ("😀", "?!"), or longer than the scorer reads: said, and the text stays in the box.
        problem = self.run.reply_problem(message.text)
        if problem is not None:
            self.notify(problem.message, title=problem.title, timeout=8 if len(problem.message) > 80 else 4)
            return
        self._send(message.text, None, step.line, message.raw)

    @on(ReplyBox.ScrollTranscript)
    def _scroll_transcript(self, message: ReplyBox.ScrollTranscript) -> None:
        box = self.query_one("#transcript", VerticalScroll)
        if message.where == "page_up":
            box.release_anchor()
            box.scroll_page_up(animate=False)
        elif message.where == "page_down":
            box.scroll_page_down(animate=False)
        else:
            self._to_newest()

    def on_resize(self) -> None:
        # A resize re-wraps every line: the newest must stay in view (unless the learner scrolled up).
        box = self.query_one("#transcript", VerticalScroll)
        if not box._anchor_released:
            self._to_newest()

    @on(ReplyBox.OptionPicked)
    def _option_typed(self, message: ReplyBox.OptionPicked) -> None:
        self.action_pick(message.number)

    @on(ChoiceList.OptionSelected, "#choices")
    def _option_selected(self, event: OptionList.OptionSelected) -> None:
        if event.option.id:
            self.action_pick(int(event.option.id))

    def action_pick(self, number: int) -> None:
        """Pick the authored option with this number."""
        step = self.run.current()
        if self.thinking or not isinstance(step, Prompt):
            return
        option = next((o for o in step.options if o.number == number), None)
        if option is None or step.input_mode == InputMode.free:
            self.notify(f"There is no option {number} here.", timeout=3)
            return
        if not option.available:
            self.notify(f"Option {number} isn't available at this point.", timeout=3)
            return
        # An option may introduce the worker as `{learner}`: the student says it in their own name.
        self._send(fill(option.text, getattr(self.app, "learner_name", None)), number, step.line)

    def _send(self, text: str, option: int | None, context: str, raw: str | None = None) -> None:
        if option is None:
            self._sending = text
            # The reply leaves the box now, so the next one can be typed while this one is scored; it
            # comes back if it cannot be sent (on_scoring_finished). Keys typed after Enter stay.
            self.query_one(ReplyBox).take_sent(text if raw is None else raw)
        # Shown at once, marked as on its way; replaced by the scored line (or taken back) when done.
        pending = Static(learner_line(text, None), classes="line me pending")
        pending.border_subtitle = "sending..."
        self.query_one("#transcript", VerticalScroll).mount(pending)
        self._to_newest()
        self._set_thinking(True)
        self.score_reply(text, option, context)

    @work(thread=True, exclusive=True, exit_on_error=False, group="scoring")
    def score_reply(self, text: str, option: int | None, context: str) -> None:
        """Score off the UI thread (waits for the scorer if it is still loading) and post the result."""
        holder = self.app.scorer  # type: ignore[attr-defined]
        try:
            assessment = holder.assess(text, context, self.run.scenario_id, self.run.scenario)
        except ScorerUnavailable as error:
            self.post_message(ScoringFinished(text, option, None, str(error)))
        except Exception as error:  # a scorer bug must not lose the reply or kill the app
            self.post_message(
                ScoringFinished(
                    text, option, None, f"Your reply could not be scored ({type(error).__name__}: {error}). "
                    "It was not sent; try again."
                )
            )
        else:
            self.post_message(ScoringFinished(text, option, assessment, None))

    def on_scoring_finished(self, message: ScoringFinished) -> None:
        self._set_thinking(False)
        self._sending = ""
        self.query("#transcript .pending").remove()
        if message.error or message.assessment is None:
            self._restore(message)
            self._keep_draft(self.query_one(ReplyBox).text)
            self.notify(message.error or "Scoring failed.", title="Not sent", severity="error", timeout=10)
            return
        self._keep_draft(self.query_one(ReplyBox).text)  # saved with the turn: without the reply sent
        try:
            self.run.submit(message.text, message.assessment, message.option)
        except EngineError as error:
            self._restore(message)
            self._keep_draft(self.query_one(ReplyBox).text)
            self.notify(str(error), title="Not sent", severity="warning")
            return
        if self.run.save_error:
            self.notify(self.run.save_error, title="Not saved", severity="error", timeout=10)
        self._render_new_lines()
        self._show_step()

    def _restore(self, message: ScoringFinished) -> None:
        """Put a typed reply that could not be sent back in the box, before anything typed since."""
        if message.option is not None:
            return
        reply = self.query_one(ReplyBox)
        since = reply.text
        reply.load_text(message.text if not since.strip() else f"{message.text.rstrip()}\n{since}")
        reply.move_cursor(reply.document.end)

    # --- leaving ------------------------------------------------------------------------------------

    def action_see_ending(self) -> None:
        """Go on from the ending to the end screen (and, later, the self-assessment and debrief)."""
        if self.ending is not None:
            self.app.show_ending(self.run, self.ending)  # type: ignore[attr-defined]

    def action_leave(self) -> None:
        """Back to home (asks first; the session is saved and can be resumed)."""
        self.confirm_leave(then_quit=False)

    def confirm_leave(self, then_quit: bool = False) -> None:
        """Ask once whether to leave; leaving saves the run (when there is anything to save)."""
        from trainer.tui.dialogs import ConfirmScreen

        if self.ending is not None:  # over, not yet rated: kept in the history for later (it vanished)
            from trainer.tui.later import leave_ended_run

            return leave_ended_run(self.app, self.run, then_quit)
        if self.run.learner_turns == 0 and not self.run.draft.strip():  # nothing worth keeping
            return self._leave(then_quit)

        def answered(leave: bool | None) -> None:
            if leave:
                self.run.save()
                if self.run.save_error:
                    self.notify(self.run.save_error, severity="error", timeout=10)
                self._leave(then_quit)

        verb, yes = ("Quit", "Quit") if then_quit else ("Leave this conversation", "Leave")
        question = f"{verb}? Your session is saved: you can resume it from the home screen."
        self.app.push_screen(ConfirmScreen(question, yes=yes, no="Stay"), answered)

    def _leave(self, then_quit: bool) -> None:
        if then_quit:
            self.app.exit()
        else:
            self.app.pop_screen()

    def palette_commands(self) -> list[SystemCommand]:
        return [SystemCommand("Leave the conversation", "Back home; it is saved (Escape)", self.action_leave)]
