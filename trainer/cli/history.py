"""History commands: history, export (trainer.history, trainer.debrief)."""

from __future__ import annotations

import shutil
import textwrap
from pathlib import Path
from typing import Any

import typer

from trainer.cli.common import DB_HELP, open_history

app = typer.Typer()


@app.command("history", rich_help_panel="History")
def history_command(
    db: Path | None = typer.Option(None, "--db", help=DB_HELP, dir_okay=False),
) -> None:
    """List your saved sessions, then the unfinished ones.

    Each saved session: number, run id (its first 8 characters, as a class report shows it), date (local
    time), scenario, ending and scores (0-1). Each unfinished one: its run id, when it was started, its
    replies and the last thing you said."""
    store = open_history(db, "history")
    sessions = store.list_sessions() if store is not None else []
    unfinished = _unfinished() if db is None else []
    if not sessions and not unfinished:
        typer.echo("No sessions saved yet: play a scenario (`trainer play`) and it appears here.", err=True)
        return
    if sessions:
        _finished_table(sessions)
    if unfinished:
        from trainer.practice.unfinished import cli_lines

        columns = shutil.get_terminal_size((120, 24)).columns
        heading = ("Unfinished (`trainer play --resume ID` continues one, with --plain in plain text; "
                   "`trainer discard ID` deletes one):")
        typer.echo(("\n" if sessions else "") + "\n".join(textwrap.wrap(heading, max(columns, 40))))
        for line in cli_lines(unfinished, columns):
            typer.echo(line)


def _unfinished() -> list[Any]:
    """The runs that can be resumed (saved where the app and the plain player save), newest first; a save
    that cannot be read is set aside by trainer.scenario.saves and said on stderr."""
    from trainer.scenario.saves import list_unfinished

    try:
        found = list_unfinished()
    except OSError as error:
        typer.echo(f"trainer history: could not read your unfinished sessions: {error}", err=True)
        return []
    for problem in found.problems:
        typer.echo(f"trainer history: {problem}", err=True)
    return list(found)


@app.command("discard", rich_help_panel="History")
def discard_command(
    run_id: str = typer.Argument(..., help="The unfinished session's run id, as `trainer history` lists it."),
    yes: bool = typer.Option(False, "--yes", "-y", help="Do not ask first (needed when not at a terminal)."),
) -> None:
    """Delete an unfinished session (one `trainer history` lists under Unfinished), after asking."""
    from trainer.practice.unfinished import describe

    run = next((r for r in _unfinished() if r.run_id == run_id), None)
    if run is None:
        typer.echo(f"trainer discard: there is no unfinished session '{run_id}': `trainer history` lists "
                   "them with their run ids (finished sessions are deleted from the app's history, F3).",
                   err=True)
        raise typer.Exit(2)
    what = f"your unfinished session of {run.scenario_id} ({'; '.join(describe(run, 10_000))})"
    if not yes:
        if not _at_terminal():
            typer.echo(f"trainer discard: nothing deleted. Discarding {what} cannot be undone: add --yes to "
                       "confirm (you are asked only at a terminal).", err=True)
            raise typer.Exit(2)
        if not typer.confirm(f"Discard {what}? This cannot be undone.", default=False, err=True):
            typer.echo("Kept.", err=True)
            return
    from trainer.scenario.saves import discard_run

    try:
        discard_run(run.run_id)
    except OSError as error:
        typer.echo(f"trainer discard: {error}", err=True)
        raise typer.Exit(2) from None
    typer.echo(f"Discarded {what}.", err=True)


def _at_terminal() -> bool:
    import sys

    return sys.stdin.isatty()


def _finished_table(sessions: list[Any]) -> None:
    endings = [s.ending_title or ("stopped early" if not s.finished else "-") for s in sessions]
    # As wide as the longest scenario and ending, within the terminal (cut with "…" only when it is narrow).
    room = shutil.get_terminal_size((120, 24)).columns - 66
    scen_w = max(8, min(max(len(s.scenario_id) for s in sessions), max(28, room * 55 // 100)))
    end_w = max(6, min(max(len(e) for e in endings), max(24, room - scen_w)))
    head = f"{'id':>4}  {'run':<8}  {'date':<16}  {'scenario':<{scen_w}}  {'ending':<{end_w}}"
    typer.echo(f"{head}  empathy purpose boundaries")
    for s, ending in zip(sessions, endings, strict=True):
        scores = "  ".join(
            f"{s.scores[k]:>{w}.2f}" if k in s.scores else f"{'-':>{w}}"
            for k, w in (("empathy", 7), ("purpose", 7), ("boundaries", 10))
        )
        started = s.started_at.astimezone()  # the student's clock, not UTC
        typer.echo(
            f"{s.id:>4}  {s.short_run:<8}  {started:%Y-%m-%d %H:%M}  "
            f"{_cut(s.scenario_id, scen_w):<{scen_w}}  {_cut(ending, end_w):<{end_w}}  {scores}"
        )
    waiting = [str(s.id) for s in reversed(sessions) if s.finished and not s.rated]
    if waiting:
        which = f"session {waiting[0]} waits" if len(waiting) == 1 else f"sessions {', '.join(waiting)} wait"
        typer.echo(f"Not yet rated: {which} for your self-rating. Open it in the app (F3 History) to rate "
                   "yourself, then read the debrief.")


def _cut(text: str, width: int) -> str:
    """`text` in at most `width` characters, ending in "…" when it had to be cut."""
    return text if len(text) <= width else text[: width - 1] + "…"


@app.command("export", rich_help_panel="History")
def export_command(
    session: str = typer.Argument(..., help="The session's number, or its run id (at least its first 6 "
                                  "characters), as `trainer history` lists them."),
    fmt: str = typer.Option("md", "--format", "-f", help="md (portfolio), html (prints to PDF) or json; "
                            "docx with --as process-recording."),
    redact: bool = typer.Option(
        False, "--redact", help="Replace the service user's name and yours everywhere, transcript included."
    ),
    output: Path | None = typer.Option(
        None, "--output", "-o", help="Write to this file instead of stdout.", dir_okay=False
    ),
    db: Path | None = typer.Option(None, "--db", help=DB_HELP, dir_okay=False),
    as_: str = typer.Option(
        "debrief", "--as", help="debrief, or process-recording: the document for your practice educator "
        "(--format docx, md or html; names and personal details redacted unless --keep-names)."
    ),
    keep_names: bool = typer.Option(
        False, "--keep-names", help="Process recording: do not redact (its heading then says so)."
    ),
) -> None:
    """Export one session's debrief, or a process recording for a practice educator.

    The debrief as Markdown, a self-contained HTML page or JSON; the process recording as Word, Markdown
    or HTML."""
    from trainer.debrief.compute import debrief_from_record
    from trainer.debrief.export import FORMATS, ExportError, export, write_export
    from trainer.debrief.recording import with_settings_name
    from trainer.history.store import HistoryError

    if redact and keep_names:
        typer.echo("trainer export: --redact and --keep-names contradict each other: use --redact (or "
                   "nothing: a process recording is redacted by default) to hide names, --keep-names to "
                   "show them.", err=True)
        raise typer.Exit(2)
    if as_ == "process-recording":
        from trainer.debrief.recording import export_for_cli

        store = _history_or_exit(db, session)
        try:
            debrief = with_settings_name(debrief_from_record(store.get_session(store.find_session(session))))
            text, message = export_for_cli(debrief, fmt, output, keep_names=keep_names)
        except (HistoryError, ExportError) as error:
            typer.echo(f"trainer export: {error}", err=True)
            raise typer.Exit(2) from None
        if text:
            typer.echo(text, nl=False)
        else:
            typer.echo(message, err=True)
        if not keep_names:
            _say_if_name_unknown(debrief)
        return
    if as_ != "debrief":
        typer.echo(f"trainer export: --as must be debrief or process-recording, not '{as_}'", err=True)
        raise typer.Exit(2)
    if fmt not in FORMATS:
        from trainer.debrief.recording import RECORDING_FORMATS

        if fmt in RECORDING_FORMATS:  # docx: Word is the process recording's format, not the debrief's
            target = f" -o {output}" if output else ""
            typer.echo(f"trainer export: --format {fmt} is for the process recording (the document for your "
                       f"practice educator): trainer export {session} --as process-recording --format {fmt}"
                       f"{target}. A debrief exports as {', '.join(FORMATS)}.", err=True)
            raise typer.Exit(2)
        typer.echo(f"trainer export: --format must be one of {', '.join(FORMATS)}, not '{fmt}'", err=True)
        raise typer.Exit(2)
    store = _history_or_exit(db, session)
    try:
        debrief = with_settings_name(debrief_from_record(store.get_session(store.find_session(session))))
        if output is None:
            typer.echo(export(debrief, fmt, redact=redact), nl=False)
        else:
            write_export(debrief, fmt, output, redact=redact)
            typer.echo(f"wrote {output}", err=True)
    except (HistoryError, ExportError) as error:
        typer.echo(f"trainer export: {error}", err=True)
        raise typer.Exit(2) from None
    if redact and debrief.service_user is None:
        typer.echo(
            "trainer export: the scenario is not available, so the service user's name was not redacted.",
            err=True,
        )
    if redact:
        _say_if_name_unknown(debrief)


def _history_or_exit(db: Path | None, session: str) -> Any:
    """The history to export `session` from; exit 2 when there is none yet (a --db that does not exist is
    said by open_history)."""
    store = open_history(db, "export")
    if store is None:
        typer.echo(f"trainer export: there is no session {session}: no session has been saved yet.", err=True)
        raise typer.Exit(2)
    return store


def _say_if_name_unknown(debrief: object) -> None:
    """On stderr: a redacted export whose learner's name is unknown may still name them."""
    from trainer.debrief.redact import UNKNOWN_LEARNER

    if not getattr(debrief, "learner_name", None):
        typer.echo(f"trainer export: {UNKNOWN_LEARNER}", err=True)
