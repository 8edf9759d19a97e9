"""Scoring commands: score, eval and the flags sub-commands (trainer.scoring, the history's flags)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer

from trainer.cli.common import DB_HELP, MODEL_HELP, load_scorer, open_history, write_or_echo

app = typer.Typer()


@app.command("score", rich_help_panel="Scoring transcripts")
def score_command(
    file: str = typer.Argument("-", help='JSON lines {"text", "id"?, "context"?}; "-" (the default) reads '
                               "stdin."),
    model: Path | None = typer.Option(None, "--model", help=MODEL_HELP),
    batch_size: int = typer.Option(256, "--batch-size", min=1, help="Replies per batch."),
) -> None:
    """Score replies: one JSON line out per line in, in order, with scores and evidence.

    A line that cannot be read is reported on stderr with its number and gets an output line
    {"id", "line", "error"}; the rest go on, and the exit code is 1.
    """
    import sys

    from trainer.scoring.commands import score_lines

    if file == "-":
        stream: Any = sys.stdin.buffer
    else:
        try:
            stream = open(file, "rb")  # noqa: SIM115 - closed below
        except OSError as exc:
            typer.echo(f"trainer score: cannot read {file}: {exc.strerror or exc}", err=True)
            raise typer.Exit(2) from None
    scorer = load_scorer(model)
    try:
        bad = score_lines(stream, scorer, sys.stdout, sys.stderr, batch_size=batch_size)
    finally:
        if stream is not sys.stdin.buffer:
            stream.close()
    if bad:
        typer.echo(f"trainer score: {bad} line(s) could not be scored (see above)", err=True)
        raise typer.Exit(1)


@app.command("eval", rich_help_panel="Scoring transcripts")
def eval_command(
    files: list[Path] = typer.Argument(..., help='Labelled JSON lines {"text", "context"?, "labels"}.',
                                       show_default=False),
    errors: bool = typer.Option(False, "--errors", help="Also list the misses: false positives and negatives "
                                "per signal, with the text and scores."),
    as_json: bool = typer.Option(False, "--json", help="Print the report as JSON."),
    model: Path | None = typer.Option(None, "--model", help=MODEL_HELP),
) -> None:
    """Measure the scorer on labelled replies: precision, recall, F1, Cohen's kappa and support per signal,
    and per act when the lines carry acts ("act", "acts"; the real dev set's MITI codes too)."""
    import json

    from trainer.scoring.commands import eval_items, render_errors
    from trainer.scoring.evaluate import read_labelled

    missing = [f for f in files if not f.is_file()]
    for f in missing:
        typer.echo(f"trainer eval: no such file: {f}", err=True)
    if missing:
        raise typer.Exit(2)
    items, problems = read_labelled(files)
    for p in problems:
        typer.echo(f"trainer eval: {p.format()}; the {p.skipped} was skipped", err=True)
    if not items:
        typer.echo("trainer eval: no labelled lines to evaluate", err=True)
        raise typer.Exit(1)
    result = eval_items(items, load_scorer(model))
    if as_json:
        typer.echo(json.dumps(result.as_dict(errors=errors), ensure_ascii=False, indent=1))
    else:
        typer.echo(result.table())
        if errors:
            typer.echo("\n" + (render_errors(result.report) or "no misses"))
    if problems:
        raise typer.Exit(1)


flags_app = typer.Typer(help="The replies you flagged as scored wrongly, for an educator to review.")
app.add_typer(flags_app, name="flags", rich_help_panel="Scoring transcripts")


@flags_app.command("export")
def flags_export_command(
    output: Path | None = typer.Option(
        None, "--output", "-o", help="Write to this file instead of stdout.", dir_okay=False
    ),
    db: Path | None = typer.Option(None, "--db", help=DB_HELP, dir_okay=False),
) -> None:
    """Write every flag as a labelled line in the `trainer eval` format (JSON lines): the scorer's labels
    corrected by the flag, with the reason and the session id."""
    import json

    store = open_history(db, "flags export")
    flags = store.flags() if store is not None else []
    text = "".join(json.dumps(f.eval_line(), ensure_ascii=False) + "\n" for f in flags)
    write_or_echo(text, output, "flags export")
    typer.echo(f"{len(flags)} flag{'s' if len(flags) != 1 else ''} exported", err=True)
