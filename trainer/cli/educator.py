"""Educator commands: cohort (trainer.educator), serve (trainer.serve)."""

from __future__ import annotations

from pathlib import Path

import typer

app = typer.Typer()


@app.command("cohort", rich_help_panel="Educators")
def cohort_command(
    paths: list[Path] = typer.Argument(..., help="Session exports (`trainer export --format json`) or "
                                       "folders of them (read with their sub-folders; the report says "
                                       "which sub-folders were read).", show_default=False),
    output: Path = typer.Option(..., "--output", "-o", help="The HTML report to write.", dir_okay=False),
    csv_out: Path | None = typer.Option(None, "--csv", help="Also write one row per session as CSV.",
                                        dir_okay=False),
    flags_out: Path | None = typer.Option(None, "--flags", help="Also write the \"I disagree\" flags as "
                                          "JSON lines for `trainer eval`.", dir_okay=False),
    names: bool = typer.Option(False, "--names", help="Show students' names where the exports carry them, "
                               "and file names. Otherwise students are numbered, files are shown as "
                               "'file 3' (the terminal says which is which) and each student's own name is "
                               "redacted from quoted replies and reasons."),
    scenarios: list[Path] = typer.Option([], "--scenarios", help="A folder of scenarios besides the bundled "
                                         "ones, for the map of moments (repeatable).", show_default=False),
) -> None:
    """Write a class report from the session exports students hand in.

    Skills, self-assessment calibration, a map of each scenario's moments and the "I disagree" flags.

    Folders are read with their sub-folders: *.json, and any other file that is a trainer export (.txt).

    Files not used, sub-folders read and other files not read are listed at the top, never fatal.

    Exit 2, nothing written: an output is a file being read or a trainer export; no --scenarios folder.

    Exit 2: no export found (nothing written), or no file could be used (the report lists why).
    """
    from trainer.educator.commands import run_cohort

    raise typer.Exit(run_cohort(paths, output, csv_out, flags_out, names=names, scenario_dirs=scenarios,
                                echo=lambda text: typer.echo(text, err=True)))


@app.command("serve", rich_help_panel="Educators")
def serve_command(
    host: str | None = typer.Option(None, "--host", help="The address to listen on (default 127.0.0.1: this "
                                    "computer only). Anyone who can reach it can use the app.",
                                    show_default=False),
    port: int = typer.Option(8000, "--port", min=1, max=65535, help="The port to listen on."),
    scenario: str | None = typer.Option(None, "--scenario", help="Open every browser session on this "
                                        "scenario's briefing (an id or a file) instead of the home screen."),
    shared_history: bool | None = typer.Option(
        None, "--shared-history/--private-tabs", show_default=False,
        help="Whether every tab uses this account's history (each user sees every session) or a private "
        "folder deleted when the tab closes. Default: shared when only this computer can connect, private "
        "when others can (a --host such as 0.0.0.0)."),
) -> None:
    """Serve the app in a web browser, for a computer lab.

    Each browser tab gets its own app. When only this computer can connect (the default) it uses your
    history, as the app does. When others can (--host 0.0.0.0 for a lab) each tab is private: its sessions
    are deleted when it is closed, and a student keeps one by exporting it (a download). Ctrl+C stops it.
    """
    from trainer.serve import ServeError, serve

    try:
        serve(host=host, port=port, scenario=scenario, echo=lambda text: typer.echo(text, err=True),
              shared_history=shared_history)
    except ServeError as error:
        typer.echo(f"trainer serve: {error}", err=True)
        raise typer.Exit(2) from None
