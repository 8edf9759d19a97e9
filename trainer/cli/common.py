"""What the command groups share: loading a scenario, the scorer or the history, or exiting with a message.

Library code raises; these helpers turn its errors into a message on stderr and an exit code.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer

from trainer.paths import write_private

MODEL_HELP = "A built scorer pipeline (default: models/scorer, or $TRAINER_MODEL)."



DB_HELP = "The history file (default: $TRAINER_DB, else history.sqlite3 in the user data folder)."




def load_or_exit(name: str, command: str, fix_hint: str) -> Any:
    """A scenario by id or path, or exit 2 with the reason on stderr: which scenarios exist, or the
    scenario's diagnostics followed by `trainer COMMAND: FIX_HINT`."""
    from trainer.scenario.loader import ScenarioInvalid, ScenarioNotFound, find_scenario, load_scenario

    try:
        return load_scenario(find_scenario(name))
    except ScenarioNotFound as exc:
        typer.echo(f"trainer {command}: {exc}", err=True)
    except ScenarioInvalid as exc:
        for d in exc.diagnostics:
            typer.echo(d.format(), err=True)
        typer.echo(f"trainer {command}: {fix_hint}", err=True)
    raise typer.Exit(2)


def load_scorer(model: Path | None) -> Any:
    # spaCy is imported here, not at the top, because it takes a second or two to start.
    from trainer.scoring.api import ModelError
    from trainer.scoring.scorer import Scorer

    try:
        return Scorer.load(model)
    except ModelError as exc:
        typer.echo(f"trainer: {exc}", err=True)
        raise typer.Exit(2) from None


def open_history(db: Path | None, command: str) -> Any:
    """The history store, or None when the default file does not exist yet (reading commands create
    nothing). A `--db` file that does not exist is a typo, not an empty history: said on stderr, exit 2, as
    are problems with the file."""
    from trainer.history.store import HistoryError, HistoryStore, default_path

    if db is not None and not db.exists():
        typer.echo(f"trainer {command}: there is no history file at {db}: check the path (without --db, "
                   "the default history is used).", err=True)
        raise typer.Exit(2)
    try:
        path = db if db is not None else default_path()
        if not path.exists():
            return None
        return HistoryStore.open(path)
    except HistoryError as error:
        typer.echo(f"trainer {command}: {error}", err=True)
        raise typer.Exit(2) from None


def write_or_echo(text: str, output: Path | None, command: str) -> bool:
    """Print `text` to stdout, or write it to `output` (UTF-8, readable by the user alone: it may hold a
    transcript). Returns True when a file was written.
    A file that cannot be written ends the command: exit code 2, `trainer COMMAND: cannot write ...`."""
    if output is None:
        typer.echo(text, nl=False)
        return False
    try:
        write_private(output, text)
    except OSError as exc:
        typer.echo(f"trainer {command}: cannot write {output}: {exc.strerror or exc}", err=True)
        raise typer.Exit(2) from None
    return True
