"""Practice commands: play (the app, or --plain) (trainer.tui, trainer.plain)."""

from __future__ import annotations

import typer

app = typer.Typer()


@app.command("play", rich_help_panel="Practice")
def play(
    scenario: str | None = typer.Argument(
        None, help="A bundled scenario's id (e.g. doorstep-example) or a file. Omit to choose in the app."
    ),
    plain: bool = typer.Option(
        False, "--plain", help="Plain lines on stdin/stdout instead of the app (screen readers, scripts)."
    ),
    mode: str | None = typer.Option(
        None, "--mode", help="coach (a note after each reply; the default) or practice (feedback at the "
        "end). With --resume: the session's own mode unless given.",
    ),
    resume: str | None = typer.Option(None, "--resume", help="Continue an unfinished session by its run id."),
) -> None:
    """Play a scenario: in the app, or as plain text with --plain."""
    if mode is not None and mode not in ("coach", "practice"):
        typer.echo(f"trainer play: --mode must be coach or practice, not '{mode}'", err=True)
        raise typer.Exit(2)
    if plain:
        # Imported here: the player pulls in the engine and, once playing, spaCy.
        from trainer.plain import PlainError, run_plain

        try:
            run_plain(scenario, mode=mode, resume=resume)  # type: ignore[arg-type]
        except PlainError as error:
            typer.echo(f"trainer play: {error}", err=True)
            raise typer.Exit(2) from None
        except KeyboardInterrupt:
            typer.echo("\nStopped. Sessions are saved after every reply.", err=True)
            raise typer.Exit(130) from None
        except BrokenPipeError:
            # The reader went away (e.g. `| head`): stop quietly, and don't let the final flush complain.
            import os
            import sys

            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            raise typer.Exit(1) from None
        return
    if scenario is not None:
        from trainer.scenario.loader import ScenarioNotFound, find_scenario

        try:
            find_scenario(scenario)
        except ScenarioNotFound as error:
            typer.echo(f"trainer play: {error}", err=True)
            raise typer.Exit(2) from None
    # Textual is imported here, not at the top, so that other commands start fast.
    from trainer.tui.app import run_app

    run_app(scenario, mode=mode, resume=resume)  # type: ignore[arg-type]
