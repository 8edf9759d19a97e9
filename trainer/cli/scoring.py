"""Scoring commands: score, eval and the flags sub-commands (trainer.scoring, the history's flags)."""

from __future__ import annotations

from pathlib import Path

import typer

from trainer.cli.common import DB_HELP, MODEL_HELP, load_scorer, open_history, write_or_echo

app = typer.Typer()


@app.command("score", rich_help_panel="Scoring transcripts")
def score_command(
    file: str = typer.Argument("-", help='JSON lines {"text", "id"?, "context"?}, a CSV file (a name '
                               'ending .csv; columns text, id?, context?), or plain text (one reply a line); '
                               '"-" (the default) reads stdin.'),
    model: Path | None = typer.Option(None, "--model", help=MODEL_HELP),
    batch_size: int = typer.Option(256, "--batch-size", min=1, help="Replies per batch."),
) -> None:
    """Score replies: one JSON line out per line in, in order, with scores and evidence.

    A plain-text file (no line of it JSON) is scored one reply a line. An empty line gets the output line
    {"id", "line", "skipped": "empty line"} (no scores; said on stderr). A line that cannot be read is
    reported on stderr with its number and gets an output line {"id", "line", "error"}; the rest go on,
    and the exit code is 1.

    A CSV file (its name ends .csv) is scored one reply a row, by the columns its header (first row)
    names: text (or reply) is the reply; id and context (the service user's line before it) are optional;
    other columns are not read. Rows are numbered as in a spreadsheet (the header is row 1) and a row with
    no id takes its number. A row with an empty text is reported as a bad line is, with its row number
    ({"id", "row", "error"}; exit code 1); an empty row gets {"id", "row", "skipped": "empty row"}. A CSV
    file without a text column is refused (exit code 2).
    """
    import sys

    from trainer.cli.jsonlines import score_input
    from trainer.scoring.commands import is_blank_line, score_lines

    name = "the input" if file == "-" else file
    if file == "-":
        data = sys.stdin.buffer.read()
    else:
        try:
            data = Path(file).read_bytes()
        except OSError as exc:
            reason = "it is a folder: name a file in it" if Path(file).is_dir() else exc.strerror or exc
            typer.echo(f"trainer score: cannot read {file}: {reason}", err=True)
            raise typer.Exit(2) from None
    if file != "-" and Path(file).suffix.lower() == ".csv":
        _score_csv(data, name, model, batch_size)
        return
    lines, plain = score_input(data, name)
    if plain:
        typer.echo(f"trainer score: {plain}", err=True)
    scorer = load_scorer(model)
    bad = score_lines(lines, scorer, sys.stdout, sys.stderr, batch_size=batch_size,
                      empty_lines="plain" if plain is not None else "json")
    empty = [i for i, line in enumerate(lines, 1) if is_blank_line(line)]
    _say_empty_and_bad(empty, bad, "line")


def _score_csv(data: bytes, name: str, model: Path | None, batch_size: int) -> None:
    """`trainer score` on a CSV file: refused (exit 2) when it has no text column, else scored by row."""
    import sys

    from trainer.cli.csvrows import CsvRefused, read_csv
    from trainer.scoring.commands import score_items

    try:
        items, empty, unread = read_csv(data, name)
    except CsvRefused as exc:
        typer.echo(f"trainer score: {exc}", err=True)
        raise typer.Exit(2) from None
    if unread:
        typer.echo(f"trainer score: {name}: column{'s' if len(unread) > 1 else ''} {', '.join(unread)} "
                   f"{'are' if len(unread) > 1 else 'is'} not read (only text or reply, id and context are)",
                   err=True)
    bad = score_items(items, load_scorer(model), sys.stdout, sys.stderr, batch_size=batch_size, unit="row")
    _say_empty_and_bad(empty, bad, "row")


def _say_empty_and_bad(empty: list[int], bad: int, unit: str) -> None:
    """Name the empty lines (or rows) on stderr, and end with exit code 1 when some could not be scored."""
    if empty:
        shown = ", ".join(map(str, empty[:10])) + (f" and {len(empty) - 10} more" if len(empty) > 10 else "")
        typer.echo(f"trainer score: {unit}{'s' if len(empty) > 1 else ''} {shown} "
                   f"{'are' if len(empty) > 1 else 'is'} empty: nothing to score; "
                   f'the output line says "skipped": "empty {unit}"', err=True)
    if bad:
        typer.echo(f"trainer score: {bad} {unit}(s) could not be scored (see above)", err=True)
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
    """Measure the scorer on labelled replies: precision, recall, F1 and Cohen's kappa.

    Precision, recall, F1, Cohen's kappa and support per signal, and per act when the lines carry acts
    ("act", "acts"; the real dev set's MITI codes too)."""
    import json

    from trainer.scoring.commands import eval_items, render_errors
    from trainer.scoring.evaluate import read_labelled

    missing = [f for f in files if not f.is_file()]
    for f in missing:
        if f.is_dir():
            inside = sorted(str(x) for x in f.glob("*.jsonl"))
            name = f"a folder: name the JSON lines files in it, e.g. {' '.join(inside[:3])}" if inside else (
                "a folder with no .jsonl files in it: name the labelled JSON lines files to evaluate")
            typer.echo(f"trainer eval: {f} is {name}", err=True)
        else:
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
    """Write every flag as a labelled line for `trainer eval`.

    JSON lines in the `trainer eval` format: the scorer's labels corrected by the flag, with the reason and
    the session id."""
    import json

    store = open_history(db, "flags export")
    flags = store.flags() if store is not None else []
    text = "".join(json.dumps(f.eval_line(), ensure_ascii=False) + "\n" for f in flags)
    write_or_echo(text, output, "flags export")
    typer.echo(f"{len(flags)} flag{'s' if len(flags) != 1 else ''} exported", err=True)
