"""The command line: `trainer` and `python -m trainer`.

One typer app over the same core the TUI uses. Heavy imports (spaCy, Textual) happen inside the command
that needs them, so that `trainer validate` and `trainer --help` start fast.
stdout carries data; stderr carries diagnostics and progress. Library code raises; only this module
decides exit codes.
"""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum
from pathlib import Path
from typing import Any

import typer

app = typer.Typer(
    name="trainer",
    help="Rehearse first meetings with a simulated service user, and get an explainable debrief.",
    no_args_is_help=False,
    add_completion=False,
    pretty_exceptions_enable=False,
)


@app.callback(invoke_without_command=True)
def _root(ctx: typer.Context) -> None:
    """With no command, open the app on the bundled scenarios."""
    if ctx.invoked_subcommand is None:
        _open_app()


def _open_app() -> None:
    # Textual is imported here, not at the top, so that other commands start fast.
    from trainer.tui.app import run_app

    run_app()


# --- authoring: validate, schema, graph (trainer.scenario) -------------------------------------------


class GraphFormat(StrEnum):
    mermaid = "mermaid"
    dot = "dot"


def _cue_pattern_check() -> Callable[[Any], list[Any]]:
    """An extra check for `validate`: each cue compiled by the scorer's own cue matcher.

    The matcher is built on a blank English pipeline: compiling patterns needs only spaCy's vocabulary, so
    the check neither waits for nor depends on the trained model. spaCy is imported only when a scenario
    has token patterns (it takes a second), and only once.
    """
    pipeline: list[Any] = []

    def check(loaded: Any) -> list[Any]:
        cues = loaded.scenario.cues
        if not any(cue.patterns for cue in cues.values()):
            return []
        try:
            from trainer.scoring.api import CueError
            from trainer.scoring.scorer import CueMatcher

            if not pipeline:
                import spacy

                pipeline.append(spacy.blank("en"))
        except Exception as exc:  # the scorer cannot be imported: say so; the other checks stand
            reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
            return [loaded.diagnostic("SCN071", ("cues",), at_key=True, reason=reason)]
        found = []
        for cue_id, cue in cues.items():
            try:
                CueMatcher(pipeline[0], {cue_id: cue})
            except CueError as exc:
                loc: tuple[str | int, ...] = ("cues", cue_id, exc.field, exc.index)
                what = "phrase" if exc.field == "phrases" else "pattern"
                found.append(loaded.diagnostic("SCN070", loc, at_key=True, what=what, problem=exc.message))
        return found

    return check


@app.command("validate")
def validate_command(
    paths: list[Path] = typer.Argument(..., help="Scenario files or folders (searched for *.yaml), or ids of "
                                       "bundled scenarios.", show_default=False),
    cues: bool = typer.Option(True, "--cues/--no-cues", help="Also check cue token patterns with the "
                              "scorer's spaCy matcher (loads spaCy when a scenario has patterns)."),
) -> None:
    """Check scenario files: one diagnostic per line on stdout (FILE:LINE:COL: CODE severity: message),
    a summary on stderr. Exit 0 when there are no errors, 2 when there are."""
    from trainer.scenario.diagnostics import summary
    from trainer.scenario.loader import ScenarioNotFound, discover, find_scenario, validate_paths

    resolved = []
    for path in paths:
        if not path.exists():
            try:
                path = find_scenario(str(path))
            except ScenarioNotFound:
                pass  # validate_paths reports the missing file, with the others
        resolved.append(path)
    files = discover(resolved)
    if not files:
        typer.echo(f"trainer validate: no scenario files (*.yaml, *.yml) in {', '.join(map(str, paths))}",
                   err=True)
        raise typer.Exit(2)
    diagnostics = validate_paths(files, extra_checks=[_cue_pattern_check()] if cues else [])
    for d in diagnostics:
        typer.echo(d.format())
    typer.echo(summary(diagnostics, len(files)), err=True)
    raise typer.Exit(2 if any(d.is_error for d in diagnostics) else 0)


def schema_text() -> str:
    """The JSON Schema of the scenario format as `trainer schema` writes it (and scenarios/ commits it)."""
    import json

    from trainer.scenario.schema import json_schema

    return json.dumps(json_schema(), indent=2, ensure_ascii=False) + "\n"


@app.command("schema")
def schema_command(
    output: Path | None = typer.Option(None, "--output", "-o", help="Write to this file instead of stdout.",
                                       show_default=False),
) -> None:
    """Write the JSON Schema of the scenario format, for editors (see the modeline in each scenario)."""
    text = schema_text()
    if output is None:
        typer.echo(text, nl=False)
        return
    try:
        output.write_text(text, encoding="utf-8")
    except OSError as exc:
        typer.echo(f"trainer schema: cannot write {output}: {exc.strerror or exc}", err=True)
        raise typer.Exit(2) from None
    typer.echo(f"wrote {output}", err=True)


def _load_or_exit(name: str, command: str, fix_hint: str) -> Any:
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


@app.command("graph")
def graph_command(
    scenario: str = typer.Argument(..., help="A scenario file, or the id of a bundled scenario.",
                                   show_default=False),
    fmt: GraphFormat = typer.Option(GraphFormat.mermaid, "--format", "-f", help="mermaid or dot."),
) -> None:
    """Print the scenario's graph: nodes with the start of their line, endings coloured by outcome, edges
    labelled with what takes them ("empathy", "trust >= 6", "option 2", "otherwise")."""
    from trainer.scenario.graph import render

    loaded = _load_or_exit(scenario, "graph", "fix these errors first (`trainer validate` lists them)")
    typer.echo(render(loaded.scenario, fmt.value), nl=False)


# --- scoring: score, eval (trainer.scoring) -----------------------------------------------------------


_MODEL_HELP = "A built scorer pipeline (default: models/scorer, or $TRAINER_MODEL)."


def _load_scorer(model: Path | None) -> Any:
    # spaCy is imported here, not at the top, because it takes a second or two to start.
    from trainer.scoring.api import ModelError
    from trainer.scoring.scorer import Scorer

    try:
        return Scorer.load(model)
    except ModelError as exc:
        typer.echo(f"trainer: {exc}", err=True)
        raise typer.Exit(2) from None


@app.command("score")
def score_command(
    file: str = typer.Argument("-", help='JSON lines {"text", "id"?, "context"?}; "-" (the default) reads '
                               "stdin."),
    model: Path | None = typer.Option(None, "--model", help=_MODEL_HELP),
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
    scorer = _load_scorer(model)
    try:
        bad = score_lines(stream, scorer, sys.stdout, sys.stderr, batch_size=batch_size)
    finally:
        if stream is not sys.stdin.buffer:
            stream.close()
    if bad:
        typer.echo(f"trainer score: {bad} line(s) could not be scored (see above)", err=True)
        raise typer.Exit(1)


@app.command("eval")
def eval_command(
    files: list[Path] = typer.Argument(..., help='Labelled JSON lines {"text", "context"?, "labels"}.',
                                       show_default=False),
    errors: bool = typer.Option(False, "--errors", help="Also list the misses: false positives and negatives "
                                "per signal, with the text and scores."),
    as_json: bool = typer.Option(False, "--json", help="Print the report as JSON."),
    model: Path | None = typer.Option(None, "--model", help=_MODEL_HELP),
) -> None:
    """Measure the scorer on labelled replies: precision, recall, F1, Cohen's kappa and support per signal."""
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
        typer.echo(f"trainer eval: {p.format()}; the line was skipped", err=True)
    if not items:
        typer.echo("trainer eval: no labelled lines to evaluate", err=True)
        raise typer.Exit(1)
    result = eval_items(items, _load_scorer(model))
    if as_json:
        typer.echo(json.dumps(result.report.as_dict(errors=errors), ensure_ascii=False, indent=1))
    else:
        typer.echo(result.report.table())
        if errors:
            typer.echo("\n" + (render_errors(result.report) or "no misses"))
    if problems:
        raise typer.Exit(1)


# --- playing: play (trainer.tui / plain) ---------------------------------------------------------------


@app.command("play")
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


# --- history: history, export -------------------------------------------------------------------------

_DB_HELP = "The history file (default: $TRAINER_DB, else history.sqlite3 in the user data folder)."


def _history(db: Path | None, command: str) -> Any:
    """The history store, or None when the file does not exist yet (reading commands create nothing).
    Problems with the file are reported on stderr and end the command with exit code 2."""
    from trainer.history.store import HistoryError, HistoryStore, default_path

    try:
        path = db if db is not None else default_path()
        if not path.exists():
            return None
        return HistoryStore.open(path)
    except HistoryError as error:
        typer.echo(f"trainer {command}: {error}", err=True)
        raise typer.Exit(2) from None


@app.command("history")
def history_command(
    db: Path | None = typer.Option(None, "--db", help=_DB_HELP, dir_okay=False),
) -> None:
    """List the saved sessions: id, date, scenario, ending and scores (0-1)."""
    store = _history(db, "history")
    sessions = store.list_sessions() if store is not None else []
    if not sessions:
        typer.echo("No sessions saved yet: play a scenario (`trainer play`) and it appears here.", err=True)
        return
    typer.echo(f"{'id':>4}  {'date':<16}  {'scenario':<28}  {'ending':<24}  empathy purpose boundaries")
    for s in sessions:
        ending = s.ending_title or ("stopped early" if not s.finished else "-")
        scores = "  ".join(
            f"{s.scores[k]:>{w}.2f}" if k in s.scores else f"{'-':>{w}}"
            for k, w in (("empathy", 7), ("purpose", 7), ("boundaries", 10))
        )
        typer.echo(
            f"{s.id:>4}  {s.started_at:%Y-%m-%d %H:%M}  {s.scenario_id[:28]:<28}  {ending[:24]:<24}  {scores}"
        )


@app.command("export")
def export_command(
    session: int = typer.Argument(..., help="The session's id, as `trainer history` lists it."),
    fmt: str = typer.Option("md", "--format", "-f", help="md (portfolio), html (prints to PDF) or json."),
    redact: bool = typer.Option(
        False, "--redact", help="Replace the service user's name and yours everywhere, transcript included."
    ),
    output: Path | None = typer.Option(
        None, "--output", "-o", help="Write to this file instead of stdout.", dir_okay=False
    ),
    db: Path | None = typer.Option(None, "--db", help=_DB_HELP, dir_okay=False),
    as_: str = typer.Option(
        "debrief", "--as", help="debrief, or process-recording: the document for your practice educator "
        "(--format docx, md or html; names and personal details redacted unless --keep-names)."
    ),
    keep_names: bool = typer.Option(False, "--keep-names", help="Process recording: do not redact."),
) -> None:
    """Export one session's debrief as Markdown, a self-contained HTML page or JSON, or as a process
    recording (Word, Markdown or HTML) for a practice educator."""
    from trainer.debrief.compute import debrief_from_record
    from trainer.debrief.export import FORMATS, ExportError, export, write_export
    from trainer.history.store import HistoryError

    if as_ == "process-recording":
        from trainer.debrief.recording import export_for_cli

        store = _history(db, "export")
        try:
            if store is None:
                raise HistoryError(f"there is no session {session}: no session has been saved yet.")
            text, message = export_for_cli(debrief_from_record(store.get_session(session)), fmt, output,
                                           keep_names=keep_names)
        except (HistoryError, ExportError) as error:
            typer.echo(f"trainer export: {error}", err=True)
            raise typer.Exit(2) from None
        if text:
            typer.echo(text, nl=False)
        else:
            typer.echo(message, err=True)
        return
    if as_ != "debrief":
        typer.echo(f"trainer export: --as must be debrief or process-recording, not '{as_}'", err=True)
        raise typer.Exit(2)
    if fmt not in FORMATS:
        typer.echo(f"trainer export: --format must be one of {', '.join(FORMATS)}, not '{fmt}'", err=True)
        raise typer.Exit(2)
    store = _history(db, "export")
    if store is None:
        typer.echo(f"trainer export: there is no session {session}: no session has been saved yet.", err=True)
        raise typer.Exit(2)
    try:
        debrief = debrief_from_record(store.get_session(session))
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


flags_app = typer.Typer(help="The replies you flagged as scored wrongly, for an educator to review.")
app.add_typer(flags_app, name="flags")


@flags_app.command("export")
def flags_export_command(
    output: Path | None = typer.Option(
        None, "--output", "-o", help="Write to this file instead of stdout.", dir_okay=False
    ),
    db: Path | None = typer.Option(None, "--db", help=_DB_HELP, dir_okay=False),
) -> None:
    """Write every flag as a labelled line in the `trainer eval` format (JSON lines): the scorer's labels
    corrected by the flag, with the reason and the session id."""
    import json

    store = _history(db, "flags export")
    flags = store.flags() if store is not None else []
    text = "".join(json.dumps(f.eval_line(), ensure_ascii=False) + "\n" for f in flags)
    if output is None:
        typer.echo(text, nl=False)
    else:
        try:
            output.write_text(text, encoding="utf-8")
        except OSError as error:
            typer.echo(f"trainer flags export: cannot write {output}: {error.strerror or error}", err=True)
            raise typer.Exit(2) from None
    typer.echo(f"{len(flags)} flag{'s' if len(flags) != 1 else ''} exported", err=True)


# --- rehearsal and starter scenarios: rehearse, new ----------------------------------------------------


@app.command("rehearse")
def rehearse_command(
    scenarios: list[str] = typer.Argument(None, help="Scenario ids or files. With --check or --explore and "
                                          "none given: every bundled scenario.", show_default=False),
    replies: Path | None = typer.Option(None, "--replies", "-r", help="Play these replies: a text file, one "
                                        "reply per line, or a YAML list. '#2' or 'option 2' picks option 2.",
                                        show_default=False),
    check: bool = typer.Option(False, "--check", help="Run the rehearsal files (rehearsals/<id>.yaml beside "
                               "each scenario); exit 1 when a path or ending has changed."),
    explore: bool = typer.Option(False, "--explore", help="Walk every branch (options, and a canned reply "
                                 "per signal at free-text moments); report coverage; exit 1 when an "
                                 "ending cannot be reached or a loop has no exit."),
    max_states: int = typer.Option(5000, "--max-states", min=1, help="Bound for --explore."),
    witnesses: bool = typer.Option(False, "--witnesses", help="With --explore: also print, as a rehearsal "
                                   "file, replies that reach each ending."),
) -> None:
    """Play scenarios headless through the real engine and scorer, to check they behave as designed."""
    from trainer import rehearse as rh
    from trainer.scenario.loader import BUNDLED_DIR, discover

    chosen = (("--replies", replies is not None), ("--check", check), ("--explore", explore))
    modes = [m for m, on in chosen if on]
    if len(modes) != 1:
        typer.echo("trainer rehearse: give exactly one of --replies FILE, --check or --explore "
                   f"({'you gave ' + ' and '.join(modes) if modes else 'none given'}).", err=True)
        raise typer.Exit(2)
    if replies is not None and len(scenarios or []) != 1:
        typer.echo("trainer rehearse: --replies plays one scenario: "
                   "trainer rehearse SCENARIO --replies FILE", err=True)
        raise typer.Exit(2)
    names = list(scenarios or []) or [str(p) for p in discover([BUNDLED_DIR])]
    if not names:
        typer.echo(f"trainer rehearse: no scenarios in {BUNDLED_DIR}", err=True)
        raise typer.Exit(2)
    loaded = [_load_or_exit(name, "rehearse", f"fix the errors above first (trainer validate {name}).")
              for name in names]
    script = None
    if replies is not None:
        try:
            script = rh.read_replies(replies)
        except rh.RehearsalError as exc:
            typer.echo(f"trainer rehearse: {exc}", err=True)
            raise typer.Exit(2) from None
    try:
        typer.echo("Loading the scorer...", err=True)
        scorer = rh.load_scorer()  # spaCy loads here, not at start-up
    except Exception as exc:  # a missing or broken model: the scorer's message says what to do
        typer.echo(f"trainer rehearse: the scorer could not be loaded: {exc}", err=True)
        raise typer.Exit(2) from None

    def rehearser_for(one: Any) -> Any:
        try:
            return rh.Rehearser(one.scenario, one.id, scorer)
        except rh.RehearsalError as exc:  # e.g. a cue pattern the scorer cannot compile
            typer.echo(f"FAIL {exc}\n")
            return None

    if script is not None:
        one = loaded[0]
        try:
            played = rh.Rehearser(one.scenario, one.id, scorer).play(script)
        except rh.RehearsalError as exc:
            typer.echo(f"trainer rehearse: {exc}", err=True)
            raise typer.Exit(2) from None
        typer.echo(rh.format_played(played))
        return

    failed = 0
    if explore:
        for one in loaded:
            rehearser = rehearser_for(one)
            if rehearser is None:
                failed += 1
                continue
            ex = rh.explore(rehearser, max_states=max_states)
            typer.echo(rh.format_exploration(ex) + "\n")
            if witnesses:
                typer.echo(f"# Replies reaching each ending of {one.id} (reword them before you keep them):")
                typer.echo(rh.format_witnesses(ex))
            failed += bool(ex.unreached_endings or ex.stuck)
        typer.echo(f"{len(loaded)} scenario(s) explored, {failed} with unreachable endings or loops with "
                   "no exit", err=True)
        raise typer.Exit(1 if failed else 0)

    total = passed = 0
    for one in loaded:
        path = rh.rehearsal_file(one.path)
        typer.echo(f"{one.id} ({path})")
        if not path.is_file():
            typer.echo(f"FAIL no rehearsal file: write {path} (see scenarios/README.md, Tutorial)\n")
            failed += 1
            continue
        try:
            rehearsals = rh.load_rehearsals(path)
        except rh.RehearsalError as exc:
            typer.echo(f"FAIL {exc}\n")
            failed += 1
            continue
        rehearser = rehearser_for(one)
        if rehearser is None:
            failed += 1
            continue
        results = [rh.check_rehearsal(rehearser, r) for r in rehearsals]
        for result in results:
            typer.echo(rh.format_check(result))
        uncovered = rh.uncovered_endings(one.scenario, results)
        if uncovered:
            typer.echo(f"FAIL no passing rehearsal reaches: {', '.join(uncovered)}")
        scored = rh.session_score_problems(rehearser, rehearsals)
        for problem in scored:
            typer.echo(problem)
        total += len(results)
        passed += sum(r.ok for r in results)
        failed += bool(uncovered) or bool(scored) or not all(r.ok for r in results)
        typer.echo("")
    typer.echo(f"{len(loaded)} scenario(s), {total} rehearsals: {passed} passed, {total - passed} failed"
               + (f"; {failed} scenario(s) failing" if failed else ""), err=True)
    raise typer.Exit(1 if failed else 0)


@app.command("new")
def new_command(
    name: str = typer.Argument(..., help="The new scenario's id: lowercase letters, digits and hyphens.",
                               show_default=False),
    output: Path | None = typer.Option(None, "--output", "-o", help="A folder (or a file NAME.yaml) to write "
                                       "to instead of the scenarios folder; the rehearsals go in "
                                       "rehearsals/ beside it.", show_default=False),
) -> None:
    """Write a commented starter scenario (and its rehearsals) that validates and rehearses, to edit."""
    from trainer.scenario.loader import BUNDLED_DIR
    from trainer.starter import StarterError, write_starter

    try:
        scenario_path, rehearsal_path = write_starter(name, BUNDLED_DIR, output)
    except StarterError as exc:
        typer.echo(f"trainer new: {exc}", err=True)
        raise typer.Exit(2) from None
    typer.echo(str(scenario_path))
    typer.echo(str(rehearsal_path))
    typer.echo(f"Wrote a starter scenario and its rehearsals. Next: edit {scenario_path}, then\n"
               f"  trainer validate {scenario_path}\n  trainer rehearse --check {scenario_path}", err=True)


def main() -> None:
    """Console-script entry point."""
    app()
