"""The plain-text player: the same conversation as plain lines on stdin/stdout.

For screen-reader users and for scripting (`trainer play --plain SCENARIO`): the service user's line,
numbered options (picked by number, or `#2` / `option 2` as rehearsal files write it), a `> ` prompt;
coach notes as plain text; `/name` shows or changes the learner's name; EOF or `/quit` saves and stops.
The learner's name is asked once at first start when input is a terminal (trainer.plain.after) and kept
on the finished session; after the debrief come notes, the process recording and "I disagree" flags. The
same engine, scorer and save files as the app, so a session started here can be resumed in either (with
`--resume RUN_ID`, or when offered). Imports no textual; spaCy only when the scorer loads.

stdout carries the conversation; stderr carries progress and diagnostics. Problems the learner can fix
(unknown scenario, unknown run id, scorer missing) raise `PlainError`; the CLI turns it into a message
and an exit code.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import Any, TextIO

from trainer import textnorm
from trainer.practice.coaching import coach_note, reply_note
from trainer.practice.helptext import PLAIN_COMMANDS, SKILLS_MARKDOWN, plain_text
from trainer.practice.play import (
    Mode,
    PlayRun,
    ScorerHolder,
    ScorerLike,
    ScorerUnavailable,
    list_sessions,
    outcome_label,
    saved_mode,
    store_finished_run,
    store_self_assessment,
    store_unrated,
)
from trainer.practice.replies import EMPTY_REPLY
from trainer.practice.unfinished import describe, replies
from trainer.scenario.engine import (
    EndingReached,
    EngineError,
    Prompt,
    RunState,
    ScenarioError,
    StateError,
    TurnRecord,
)
from trainer.scenario.placeholders import fill
from trainer.scenario.schema import InputMode, Scenario
from trainer.scenario.speakers import first_name

OPTIONS_ONLY = "Here you choose one of the numbered options: type its number."
NO_OPTIONS = "There are no options to choose from here: type what you would say, in your own words."
COMMANDS = "Commands: /help, /name, /quit"
COMMAND_ATTEMPT = re.compile(r"/(?:[A-Za-z][\w-]*)?(?:\s.*)?", re.DOTALL)
"""A slash alone, or a slash and a word (`/options`, `/options please`): meant as a command, never a reply
(a reply to a service user does not start with one). `/tmp/x` is text."""
OPTION_PICK = re.compile(r"(?:#|option\s*#?)\s*(\d+)\s*\.?", re.IGNORECASE)
"""An option picked as the rehearsal files write it (trainer.authoring.rehearse): `#2`, `option 2`."""


class PlainError(Exception):
    """Something the learner can fix; the message says what and what to do."""


def briefing_lines(scenario: Scenario) -> list[str]:
    """The briefing as plain lines: who, why, what to practise."""
    p = scenario.service_user
    who = p.name + (
        " (" + ", ".join(x for x in (str(p.age) if p.age is not None else "", p.pronouns or "") if x) + ")"
        if p.age is not None or p.pronouns
        else ""
    )
    lines = [f"{scenario.title} ({scenario.difficulty}). {scenario.setting}"]
    if scenario.jurisdiction_note():
        lines.append(str(scenario.jurisdiction_note()))
    lines += [
        "",
        f"Who you are meeting: {who}. {p.situation.strip()}",
        f"Wants: {p.wants.strip()}",
        f"Fears: {p.fears.strip()}",
    ]
    if p.history:
        lines.append(f"Background: {p.history.strip()}")
    why = (scenario.referral or scenario.summary).strip()
    lines += ["", f"Why you are visiting: {why}", "", "What to practise:"]
    lines += [f"- {o}" for o in scenario.objectives]
    return lines


def plain_markdown(text: str) -> str:
    """Markdown as plain lines: no emphasis marks or escapes, which a screen reader would read aloud."""
    text = re.sub(r"(?<![\w\\])_(\S(?:.*?\S)?)_(?!\w)", r"\1", text.replace("**", ""))
    return re.sub(r"\\([\\`*_\[\]<>|~])", r"\1", text)


class PlainPlayer:
    """Reads replies line by line and writes the conversation; see the module docstring."""

    def __init__(self, run: PlayRun, scorer: ScorerHolder, stdin: TextIO, stdout: TextIO, stderr: TextIO,
                 echo: bool) -> None:
        self.run = run
        self.scorer = scorer
        self.stdin = stdin
        self.out = stdout
        self.err = stderr
        self.echo = echo
        """Repeat each reply after the prompt (when input is piped, so stdout reads as a transcript)."""
        self.name = first_name(run.scenario.service_user.name)
        self.resume_command = f"trainer play --plain --resume {run.run_id}"
        """What to type to continue; set by run_plain to include the file of a scenario not bundled."""
        self.last_vars: dict[str, int] = {}
        self.learner_name: str | None = None
        """The name scenarios address the learner by (`{learner}`), from trainer.settings."""

    def say(self, text: str = "") -> None:
        self.out.write(text + "\n")
        self.out.flush()

    def _record(self, record: TurnRecord, answered: TurnRecord | None = None) -> None:
        if record.speaker == "service_user":
            self.say(f"{record.name or self.name}: {fill(record.text, self.learner_name)}")
            return
        self.say(f"You: {record.text}")
        self._note(record, answered)

    def _note(self, record: TurnRecord, answered: TurnRecord | None) -> None:
        """The coach note on a reply (`answered`: the line it replied to, whose speaker the note's
        pronouns are about: "they" for someone other than the service user)."""
        if record.assessment is None:
            return
        if self.run.mode == "coach":
            other = answered is not None and answered.name is not None
            pronouns = None if other else self.run.scenario.service_user.pronouns
            transcript = self.run.state.transcript
            index = next((i for i in reversed(range(len(transcript))) if transcript[i] == record), None)
            if index is None:
                node = self.run.scenario.nodes.get(record.node)
                note = coach_note(record.assessment, record.text, tip=node.tip if node else None,
                                  expect=list(node.expect) if node else [], pronouns=pronouns)
            else:
                note = reply_note(self.run.scenario, transcript, index, pronouns=pronouns) or coach_note(
                    record.assessment, record.text, pronouns=pronouns)
            self.say(note.as_plain_text())
        elif record.assessment.get("note"):
            self.say(f"Note: {record.assessment['note']}")

    def _prompt(self, step: Prompt) -> None:
        self.say()
        self.say(f"{step.name or self.name}: {fill(step.line, self.learner_name)}")
        if self.run.mode == "coach":
            parts = []
            for var in ("trust", "distress"):
                value = step.variables.get(var, 5)
                before = self.last_vars.get(var, value)
                change = " (up)" if value > before else " (down)" if value < before else ""
                parts.append(f"{var} {value}/10{change}")
            self.say("[" + ", ".join(parts) + "]")
            self.last_vars = dict(step.variables)
        if step.options and step.input_mode != InputMode.free:
            how = "type its number" if step.input_mode == InputMode.options else "or type your own reply"
            self.say(f"Options ({how}):")
            for option in step.options:
                unavailable = "" if option.available else "(not available now) "
                self.say(f"  {option.number}. {unavailable}{fill(option.text, self.learner_name)}")

    def _read(self) -> str | None:
        self.out.write("> ")
        self.out.flush()
        line = self.stdin.readline()
        if not line:
            self.say()
            return None
        line = textnorm.clean_line(line.rstrip("\r\n"))  # a BOM, NUL or zero-width space is not a reply
        if self.echo:
            self.say(line)
        return line

    def _choose(self, step: Prompt, line: str) -> tuple[str, int | None] | None:
        """The reply to send (text, option number), or None after telling the learner why not."""
        stripped = line.strip()
        pick = OPTION_PICK.fullmatch(stripped)
        if pick:  # "#2" / "option 2": a pick, never a reply to score
            stripped = pick.group(1)
        has_options = bool(step.options) and step.input_mode != InputMode.free
        if has_options and stripped.isdigit():
            number = int(stripped)
            option = next((o for o in step.options if o.number == number), None)
            if option is None:
                self.say(f"There is no option {number} here.")
                return None
            if not option.available:
                self.say(f"Option {number} isn't available at this point.")
                return None
            return fill(option.text, self.learner_name), number  # `{learner}`: the student's own name
        if step.input_mode == InputMode.options:
            self.say(OPTIONS_ONLY)
            return None
        if stripped.isdigit():
            # A number where no options are offered is a pick gone astray, not a reply to send.
            self.say(NO_OPTIONS)
            return None
        problem = self.run.reply_problem(line)  # no words ("😀", "?!"), or longer than the scorer reads
        if problem is not None:
            self.say(problem.message)
            return None
        return line, None

    def play(self) -> None:
        """Play until the ending, EOF or /quit; the run is saved after every turn."""
        transcript = self.run.state.transcript
        for i, record in enumerate(transcript[:-1]):
            self._record(record, transcript[i - 1] if i else None)
        if self.run.state.transcript and isinstance(self.run.current(), Prompt):
            self.last_vars = dict(self.run.current().variables)
        while True:
            step = self.run.current()
            if isinstance(step, EndingReached):
                self._ending(step)
                self._debrief()
                return
            self._prompt(step)
            while True:
                line = self._read()
                if line is None or line.strip().lower() in ("/quit", "/exit"):
                    self._stop()
                    return
                if line.strip().lower() == "/help":
                    self.say(plain_text(SKILLS_MARKDOWN))
                    self.say(PLAIN_COMMANDS)
                    continue
                command, _, argument = line.strip().partition(" ")
                if command.lower() == "/name":
                    from trainer.plain.after import set_name

                    self.learner_name = set_name(self, argument)
                    continue
                if not line.strip():
                    self.say(EMPTY_REPLY)
                    continue
                if COMMAND_ATTEMPT.fullmatch(line.strip()):
                    self.say(f"Unknown command {line.strip().split()[0]}. {COMMANDS}")
                    continue
                chosen = self._choose(step, line)
                if chosen is None:
                    continue
                if self._send(step, *chosen):
                    break

    def _send(self, step: Prompt, text: str, option: int | None) -> bool:
        try:
            assessment = self.scorer.assess(text, step.line, self.run.scenario_id, self.run.scenario)
        except ScorerUnavailable as error:
            raise PlainError(str(error)) from error
        try:
            self.run.submit(text, assessment, option)
        except EngineError as error:
            self.say(f"Not sent: {error}")
            return False
        if self.run.save_error:
            self.err.write(self.run.save_error + "\n")
        transcript = self.run.state.transcript
        last = max(i for i, t in enumerate(transcript) if t.speaker == "learner")
        self._note(transcript[last], transcript[last - 1])
        return True

    def _ending(self, step: EndingReached) -> None:
        self.say()
        self.say(f"{step.name or self.name}: {fill(step.line, self.learner_name)}")
        self.say()
        outcome = str(step.ending.outcome)
        self.say(f"The end: {step.ending.title} ({outcome_label(outcome, self.run.risk_pending)}).")
        self.say(step.ending.note.strip())

    def _debrief(self) -> None:
        """Self-assessment (each part skippable), then the debrief as plain text, saved to the history
        like the app's. End of input skips what is left of the self-assessment."""
        from trainer.debrief.compute import compute_debrief
        from trainer.debrief.export import to_markdown
        from trainer.history.store import HistoryStore

        store = HistoryStore.open_or_fallback()
        if store.warning:
            self.err.write(f"{store.warning}\n")
        session_id, not_saved, kept = store_finished_run(store, self.run, self.learner_name)
        if not_saved:
            self.err.write(f"The session was not saved to your history: {not_saved}\n")
        if kept:
            self.err.write(f"The finished session's save file was kept: {kept}\n")
        assessment, stopped = self._self_assessment()
        if stopped:
            self._keep_for_later(store, session_id, assessment)
            return
        debrief = compute_debrief(self.run.scenario, self.run.state, assessment, session_id=session_id,
                                  learner_name=self.learner_name)
        problem = store_self_assessment(store, self.run, session_id, assessment, debrief, self.learner_name)
        if problem:
            self.err.write(f"Your self-assessment was not saved to your history: {problem}\n")
        self.say()
        self.say(plain_markdown(to_markdown(debrief)))
        self._after_debrief(store, session_id, debrief)

    def _after_debrief(self, store: Any, session_id: int | None, debrief: Any) -> None:
        """The student's per-reply notes ("what was happening for you?"), the process-recording export and
        "I disagree" flags, as the app's debrief offers them (trainer.plain.after). End of input (or
        Enter) skips each."""
        from trainer.history.notes import turn_notes
        from trainer.plain.after import add_flags, add_notes, offer_export

        replies = {line.reply: line.index for line in debrief.transcript if line.speaker == "learner"}
        if session_id is not None and replies:
            add_notes(self, store, session_id, replies)
            debrief = debrief.model_copy(update={"turn_notes": turn_notes(store, session_id)})
        offer_export(self, debrief)
        if session_id is not None and replies:  # last, so scripts written for the prompts above still fit
            add_flags(self, store, debrief)

    def _keep_for_later(self, store: Any, session_id: int | None, entered: Any) -> None:
        """/quit at the self-assessment: stop, as ctrl+q does in the app. The session stays in the history
        with its scores and no self-rating (`trainer history`: "Not yet rated"), and what was entered is
        kept as a draft, which the app offers on its next start (trainer.practice.drafts)."""
        from trainer.practice.drafts import keep_draft

        if session_id is None:  # not in the history (said above): nothing to come back to
            self.say("Stopped before your self-rating.")
            return
        problem = store_unrated(store, self.run, session_id, self.learner_name)
        if problem:
            self.err.write(f"The session's scores were not saved to your history: {problem}\n")
        state = self.run.state
        problem = keep_draft(getattr(self.run, "save_dir", None), state.run_id, session_id,
                             state.scenario_title, entered)
        if problem:
            self.err.write(f"{problem}\n")
        self.say(f"Stopped before your self-rating. The session is kept in your history (session "
                 f"{session_id}), waiting for it: the app (trainer) offers to finish it next time you start, "
                 "or open it in the app's history (F3); what you had entered is kept. You see the debrief "
                 "after rating yourself.")

    def _self_assessment(self) -> tuple[Any, bool]:
        """The self-assessment, and whether the student typed /quit (or /exit) to stop at it."""
        from trainer.debrief.selfassess import (
            DESCRIPTORS,
            SKILL_NAMES,
            SKILL_QUESTIONS,
            SKILLS,
            USE_OF_SELF_PROMPTS,
            SelfAssessment,
        )

        self.say()
        self.say("Before you see your debrief, rate yourself. Press Enter to skip a question; "
                 "type /skip to skip the rest, /quit to stop and rate yourself later.")
        ratings: dict[str, int | None] = {}
        for skill in SKILLS:
            self.say()
            self.say(f"{SKILL_NAMES[skill]}: {SKILL_QUESTIONS[skill]}")
            for level, text in DESCRIPTORS[skill].items():
                self.say(f"  {level}. {text}")
            while True:
                line = self._read()
                if line is not None and line.strip().lower() in ("/quit", "/exit"):
                    return SelfAssessment(ratings=ratings), True
                if line is None or line.strip().lower() == "/skip":
                    return (SelfAssessment(ratings=ratings) if ratings else SelfAssessment.skip()), False
                answer = line.strip()
                if not answer:
                    ratings[skill] = None
                    break
                if answer in ("1", "2", "3", "4", "5"):
                    ratings[skill] = int(answer)
                    break
                self.say("Type a number from 1 to 5, or press Enter to skip this one (/skip skips the rest).")
        answers: dict[str, str | None] = {}
        for key, prompt in USE_OF_SELF_PROMPTS.items():
            self.say()
            self.say(f"{prompt} (one line; Enter skips)")
            line = self._read()
            if line is not None and line.strip().lower() in ("/quit", "/exit"):
                return SelfAssessment.model_validate({"ratings": ratings, **answers}), True
            if line is None or line.strip().lower() == "/skip":
                break
            answers[key] = line
        return SelfAssessment.model_validate(
            {"ratings": ratings, "service_user": answers.get("service_user"), "self": answers.get("self")}
        ), False

    def _stop(self) -> None:
        if self.run.learner_turns == 0:
            self.say("Stopped before your first reply; nothing was saved.")
            return
        self.run.save()
        if self.run.save_error:
            self.err.write(self.run.save_error + "\n")
            return
        self.say(f"Session saved. To continue: {self.resume_command}")


def _load(ref: str, resume: str | None = None) -> Any:
    from trainer.scenario.loader import ScenarioInvalid, ScenarioNotFound, find_scenario, load_scenario

    try:
        return load_scenario(find_scenario(ref))
    except ScenarioNotFound as error:
        if resume:
            raise PlainError(
                f"session '{resume}' was played on the scenario '{ref}', which is not a bundled scenario: "
                f"name its file too, e.g. `trainer play --plain path/to/{ref}.yaml --resume {resume}`"
            ) from error
        raise PlainError(str(error)) from error
    except ScenarioInvalid as error:
        count = sum(d.is_error for d in error.diagnostics) or len(error.diagnostics)
        listed = "\n".join(d.format() for d in error.diagnostics)  # file:line:col, as `validate` prints
        raise PlainError(
            f"the scenario '{ref}' has {count} problem(s), so it cannot be played; fix them and play again "
            f"(`trainer validate {ref}` checks it):\n{listed}"
        ) from error


def _load_saved(run_id: str, save_dir: Path | None) -> RunState:
    from trainer.scenario import saves

    try:
        return saves.load_run(run_id, save_dir)
    except Exception as error:  # missing, unreadable or corrupt: say so, with what to do
        runs, _ = list_sessions(save_dir)
        known = ", ".join(str(getattr(r, "run_id", "")) for r in runs)
        reason = str(error).strip().rstrip(".") or type(error).__name__
        reason = reason[0].lower() + reason[1:]
        after = f"Unfinished sessions: {known}." if known else (
            "Unfinished sessions: none; start a new one by naming the scenario."
        )
        raise PlainError(f"cannot resume session '{run_id}': {reason}. {after}") from error


def run_plain(
    scenario: str | None,
    *,
    mode: Mode | None = None,
    resume: str | None = None,
    stdin: TextIO | None = None,
    stdout: TextIO | None = None,
    stderr: TextIO | None = None,
    scorer: ScorerLike | None = None,
    save_dir: Path | None = None,
) -> None:
    """Play a scenario (an id or a path) in plain text, or resume a saved run.

    Args:
        scenario: the scenario; may be None with `resume` (the saved run names its scenario).
        mode: "coach" (a note after each reply) or "practice" (no feedback until the end); None for the
            mode a resumed run was saved with, else coach.
        resume: a run id from a previous session. A run saved with its mode goes straight on (no
            briefing); one saved without (by an older trainer) shows the briefing first.
        stdin, stdout, stderr: streams (default: the process's).
        scorer: a scorer to use instead of loading the real one (tests).
        save_dir: where saves live (default: the data directory's sessions folder).
    Raises: PlainError with a message for the learner.
    """
    stdin = stdin or sys.stdin
    stdout = stdout or sys.stdout
    stderr = stderr or sys.stderr
    interactive = stdin.isatty()
    state: RunState | None = None
    if resume:
        state = _load_saved(resume, save_dir)
        scenario = scenario or state.scenario_id
    if not scenario:
        from trainer.scenario.loader import BUNDLED_DIR, discover

        ids = [p.stem for p in discover([BUNDLED_DIR])] if BUNDLED_DIR.is_dir() else []
        raise PlainError(
            "name a scenario to play, e.g. `trainer play --plain doorstep-example`"
            + (f"; the bundled scenarios are: {', '.join(ids)}" if ids else "")
        )
    loaded = _load(scenario, resume if state is not None and scenario == state.scenario_id else None)
    if state is not None and state.scenario_id != loaded.id:
        raise PlainError(
            f"session '{resume}' belongs to the scenario '{state.scenario_id}', not '{loaded.id}'"
        )
    if state is None:
        state = _offer_resume(loaded, save_dir, stdin, stdout, stderr, interactive)
    # An explicit --mode wins; otherwise a resumed run goes on in the mode it was played in.
    kept = saved_mode(state)
    chosen: Mode = mode or kept or "coach"
    try:
        run = PlayRun(loaded.scenario, loaded.id, state=state, mode=chosen, save_dir=save_dir)
    except StateError as error:
        raise PlainError(f"this saved session no longer fits its scenario: {error}") from error
    except ScenarioError as error:
        raise PlainError(f"{error} Run `trainer validate {loaded.id}` to see why.") from error

    holder = ScorerHolder((lambda: scorer) if scorer is not None else None)
    stderr.write("Loading the scorer...\n")
    stderr.flush()
    try:
        holder.get()
    except ScorerUnavailable as error:
        raise PlainError(str(error)) from error

    player = PlainPlayer(run, holder, stdin, stdout, stderr, echo=not interactive)
    from trainer.settings import load_settings

    settings = load_settings()
    player.learner_name = settings.learner_name
    if not settings.asked_name and settings.learner_name is None and interactive:
        # Once, at first start, as the app asks (Enter skips). Not when input is piped: a script's first
        # line is a reply, not a name.
        from trainer.plain.after import ask_name

        player.learner_name = ask_name(player)
        player.say()
    from trainer.scenario.loader import BUNDLED_DIR

    if loaded.path.resolve().parent != BUNDLED_DIR.resolve():
        player.resume_command = f"trainer play --plain {loaded.path} --resume {run.run_id}"
    if kept is None:  # a new run, or one saved before the mode was kept: brief the learner first
        for line in briefing_lines(loaded.scenario):
            player.say(line)
        player.say()
    else:
        player.say(f"{loaded.scenario.title}: continuing your session.")
    feedback = "a coach note after each reply" if chosen == "coach" else "no feedback until the end"
    resumed = f" Resuming: {replies(run.learner_turns)} so far." if run.learner_turns else ""
    player.say(f"Mode: {chosen} ({feedback}).{resumed} Type /help for help, /quit to save and stop.")
    player.play()


def _offer_resume(
    loaded: Any, save_dir: Path | None, stdin: TextIO, stdout: TextIO, stderr: TextIO, interactive: bool
) -> RunState | None:
    """Offer the newest unfinished session of this scenario: asked when interactive, noted otherwise."""
    runs, problems = list_sessions(save_dir)
    for problem in problems:
        stderr.write(f"Note: {problem}\n")
    mine = [r for r in runs if str(getattr(r, "scenario_id", "")) == loaded.id]
    if not mine:
        return None
    newest = mine[0]
    run_id = str(getattr(newest, "run_id", ""))
    # Which one: when it was started, its replies and the last thing said (several may be unfinished).
    turns = "; ".join(describe(newest, 100))
    others = (f" You have {len(mine) - 1} other unfinished session(s) of it: `trainer history` lists them."
              if len(mine) > 1 else "")
    if not interactive:
        stderr.write(
            f"Note: you have an unfinished session of this scenario ({turns}); "
            f"to continue it, add --resume {run_id}.{others}\n"
        )
        return None
    stdout.write(f"You have an unfinished session of this scenario ({turns}).{others} Resume it? [Y/n] ")
    stdout.flush()
    answer = stdin.readline().strip().lower()
    if answer in ("", "y", "yes"):
        return _load_saved(run_id, save_dir)
    return None
