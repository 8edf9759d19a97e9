"""The command line: `trainer` and `python -m trainer`.

One typer app over the same core the TUI uses. Heavy imports (spaCy, Textual) happen inside the command
that needs them, so that `trainer validate` and `trainer --help` start fast.
stdout carries data; stderr carries diagnostics and progress. Library code raises; only this module
decides exit codes.
"""

from __future__ import annotations

from pathlib import Path

import typer

app = typer.Typer(
    name="trainer",
    help="Rehearse first meetings with a simulated service user, and get an explainable debrief.",
    no_args_is_help=False,
    add_completion=False,
    pretty_exceptions_enable=False,
)

REPO_ROOT = Path(__file__).resolve().parent.parent


@app.callback(invoke_without_command=True)
def _root(ctx: typer.Context) -> None:
    """With no command, open the app on the bundled scenarios."""
    if ctx.invoked_subcommand is None:
        _open_app()


def _open_app() -> None:
    # Textual is imported here, not at the top, so that other commands start fast.
    try:
        from trainer.tui.app import run_app
    except ImportError:  # the app has not landed yet: list and validate the scenarios instead
        from trainer.scenario.loader import BUNDLED_DIR, validate_paths

        diagnostics = validate_paths([BUNDLED_DIR])
        for d in diagnostics:
            typer.echo(d.format(), err=True)
        for path in sorted(BUNDLED_DIR.glob("*.yaml")):
            typer.echo(path.stem)
        return
    run_app()


# --- authoring: validate, schema, graph (trainer.scenario) -------------------------------------------


# --- scoring: score, eval (trainer.scoring) -----------------------------------------------------------


# --- playing: play (trainer.tui / plain) ---------------------------------------------------------------


# --- history: history, export -------------------------------------------------------------------------


# --- rehearsal and starter scenarios: rehearse, new ----------------------------------------------------


def main() -> None:
    """Console-script entry point."""
    app()
