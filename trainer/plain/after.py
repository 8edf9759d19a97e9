"""What the plain player asks outside the conversation: the learner's name (once, at first start, as the
app does) and, after the debrief, the notes on replies, "I disagree" flags and the process-recording
export - the same things the app's debrief offers, as plain prompts where Enter (or end of input) skips.

Each function takes the player (`Asker`: `say`, `_read`, `err`) so the prompts read like the rest of the
conversation; everything is stored exactly as the app stores it (trainer.settings, the history store's
notes and flags).
"""

from __future__ import annotations

from typing import Any, Protocol, TextIO

NAME_QUESTION = (
    "Welcome. What would you like to be called? Service users in some scenarios will use it, and it is "
    "kept with your sessions so that a redacted export can remove it. This is optional: type your name and "
    "press Enter, or just press Enter to skip. You can change it later with /name."
)


class Asker(Protocol):
    err: TextIO

    def say(self, text: str = "") -> None: ...

    def _read(self) -> str | None: ...


def ask_name(player: Asker) -> str | None:
    """Ask once for the learner's name (Enter skips) and keep the answer in their settings, with
    `asked_name` set so it is not asked again. Returns the name, or None when skipped. A settings file
    that cannot be written is reported on stderr; the name is still used for this session."""
    from dataclasses import replace

    from trainer.settings import clean_name, load_settings

    player.say(NAME_QUESTION)
    line = player._read()
    if line is None:
        return None  # end of input: not answered, so asked again next time
    return keep_name(player, replace(load_settings(), learner_name=clean_name(line), asked_name=True))


def keep_name(player: Asker, settings: Any) -> str | None:
    """Save `settings` (a trainer.settings.Settings) and say what scenarios will call the learner."""
    from trainer.settings import save_settings

    try:
        save_settings(settings)
    except OSError as error:
        player.err.write(f"Could not keep your name for next time ({error}).\n")
    name: str | None = settings.learner_name
    player.say(f"Scenarios will call you {name}." if name else "No name kept.")
    return name


def set_name(player: Asker, argument: str) -> str | None:
    """`/name NEW NAME`: change the name (kept in the settings); `/name` alone says what it is.
    Returns the name now in use."""
    from dataclasses import replace

    from trainer.settings import clean_name, load_settings

    settings = load_settings()
    if not argument.strip():
        now = settings.learner_name
        player.say((f"Scenarios call you {now}." if now else "No name is set.")
                   + " To change it: /name YOUR NAME (/name - to clear it).")
        return now
    name = None if argument.strip() == "-" else clean_name(argument)
    return keep_name(player, replace(settings, learner_name=name, asked_name=True))


def add_notes(player: Asker, store: Any, session_id: int, replies: dict[int, int]) -> None:
    """"What was happening for you?": notes on replies, "N note" per line, until Enter."""
    from trainer.history.notes import set_turn_note
    from trainer.history.store import HistoryError

    player.say()
    player.say("What was happening for you? Add a note to a reply for your process recording: type the "
               "reply's number and the note (e.g. \"2 I felt rushed\"); Enter when done.")
    while (line := player._read()) is not None and line.strip():
        number, _, note = line.strip().partition(" ")
        if not number.isdigit() or int(number) not in replies or not note.strip():
            player.say(f"Type a reply number (1 to {max(replies)}) and then your note; Enter when done.")
            continue
        try:
            set_turn_note(store, session_id, replies[int(number)], note)
        except HistoryError as error:
            player.err.write(f"The note was not saved: {error}\n")
            continue
        player.say(f"Noted for reply {number}.")


def add_flags(player: Asker, store: Any, debrief: Any) -> None:
    """"I disagree": flag replies whose scoring the learner disputes, for the practice educator (the
    cohort report collects them). Per flag: the reply's number, the signals it really shows, and why;
    stored with `HistoryStore.add_flag` exactly as the app's flag dialog stores it."""
    from trainer.history.store import HistoryError
    from trainer.scenario.schema import SIGNALS

    lines = {line.reply: line for line in debrief.transcript if line.speaker == "learner"}
    player.say()
    player.say("Do you disagree with how a reply was scored? Type the reply's number to flag it for your "
               "practice educator; Enter when done.")
    while (line := player._read()) is not None and line.strip():
        number = line.strip().lstrip("#")
        if not number.isdigit() or int(number) not in lines:
            player.say(f"Type a reply number (1 to {max(lines)}) to flag it; Enter when done.")
            continue
        reply = lines[int(number)]
        found = ", ".join(reply.present) or "no skill signal"
        player.say(f"Reply {number}: \"{reply.text}\". The scorer found: {found}.")
        player.say(f"Which signals does it really show? Type their names ({', '.join(SIGNALS)}), or "
                   "\"none\"; Enter to cancel this flag.")
        ticked = _signals(player, SIGNALS)
        if ticked is None:
            player.say("No flag kept. Another reply's number, or Enter when done.")
            continue
        player.say("Why do you disagree? (one line; your educator reads this)")
        reason = player._read() or ""
        wrong = [s for s in SIGNALS if s in reply.present and s not in ticked]
        missing = [s for s in SIGNALS if s not in reply.present and s in ticked]
        try:
            store.add_flag(debrief.session_id, reply.index, wrong=wrong, missing=missing, reason=reason)
        except HistoryError as error:
            player.say(f"No flag kept: {error} Type the reply's number to try again, or Enter when done.")
            continue
        player.say(f"Flag saved for reply {number}: your educator can review it. Another reply's number, or "
                   "Enter when done.")


def _signals(player: Asker, signals: tuple[str, ...]) -> set[str] | None:
    """The signals typed (names, separated by spaces or commas; "none" for none), asked again until they
    are all known; None when the learner presses Enter or input ends."""
    while (line := player._read()) is not None and line.strip():
        words = {w for w in line.replace(",", " ").lower().split() if w not in ("and", "none")}
        unknown = sorted(w for w in words if w not in signals)
        if not unknown:
            return words
        player.say(f"Unknown signal {unknown[0]!r}: type some of {', '.join(signals)}, or \"none\".")
    return None


def offer_export(player: Asker, debrief: Any) -> None:
    """The process-recording export (redacted), written to the exports folder."""
    from trainer.debrief.export import ExportError
    from trainer.debrief.recording import RECORDING_FORMATS, export_for_cli, recording_filename
    from trainer.debrief.redact import UNKNOWN_LEARNER
    from trainer.paths import data_dir

    player.say()
    kinds = ", ".join(RECORDING_FORMATS)
    player.say(f"Export a process recording for your practice educator? Type {kinds} "
               "(names and personal details are redacted), or Enter to skip.")
    answer = (player._read() or "").strip().lower()
    if answer in RECORDING_FORMATS:
        try:
            folder = data_dir() / "exports"
            folder.mkdir(parents=True, exist_ok=True)
            _, message = export_for_cli(debrief, answer, folder / recording_filename(debrief, answer))
        except (ExportError, OSError) as error:
            player.err.write(f"Not exported: {error}\n")
            return
        player.say(message.replace("wrote", "Saved to", 1))
        if not debrief.learner_name:
            player.say(f"Note: {UNKNOWN_LEARNER}")
    elif answer:
        player.say(f"No export ('{answer}' is not one of {', '.join(RECORDING_FORMATS)}).")
