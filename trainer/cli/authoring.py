"""Authoring commands: validate, schema, graph, rehearse, new (trainer.authoring, trainer.scenario)."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Any

import typer

from trainer.authoring.validate import cue_pattern_check
from trainer.cli.common import load_or_exit, write_or_echo

app = typer.Typer()


class GraphFormat(StrEnum):
    mermaid = "mermaid"
    dot = "dot"


@app.command("validate", rich_help_panel="Authoring")
def validate_command(
    paths: list[Path] = typer.Argument(..., help="Scenario files or folders (searched for *.yaml), or ids of "
                                       "bundled scenarios.", show_default=False),
    cues: bool = typer.Option(True, "--cues/--no-cues", help="Also check cue token patterns with the "
                              "scorer's spaCy matcher (loads spaCy when a scenario has patterns)."),
) -> None:
    """Check scenario files, and say where each problem is.

    One diagnostic per line on stdout (FILE:LINE:COL: CODE severity: message), a summary on stderr. Exit 0
    when there are no errors, 2 when there are."""
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
    diagnostics = validate_paths(files, extra_checks=[cue_pattern_check()] if cues else [])
    for d in diagnostics:
        typer.echo(d.format())
    typer.echo(summary(diagnostics, len(files)), err=True)
    raise typer.Exit(2 if any(d.is_error for d in diagnostics) else 0)


def schema_text() -> str:
    """The JSON Schema of the scenario format as `trainer schema` writes it (and scenarios/ commits it)."""
    import json

    from trainer.scenario.schema import json_schema

    return json.dumps(json_schema(), indent=2, ensure_ascii=False) + "\n"


@app.command("schema", rich_help_panel="Authoring")
def schema_command(
    output: Path | None = typer.Option(None, "--output", "-o", help="Write to this file instead of stdout.",
                                       show_default=False),
) -> None:
    """Write the JSON Schema of the scenario format, for editors.

    Each scenario names it in its modeline, the first line of the file."""
    if write_or_echo(schema_text(), output, "schema"):
        typer.echo(f"wrote {output}", err=True)


@app.command("graph", rich_help_panel="Authoring")
def graph_command(
    scenario: str = typer.Argument(..., help="A scenario file, or the id of a bundled scenario.",
                                   show_default=False),
    fmt: GraphFormat = typer.Option(GraphFormat.mermaid, "--format", "-f", help="mermaid or dot."),
) -> None:
    """Print the scenario's graph, as Mermaid or Graphviz dot.

    Nodes with the start of their line, endings coloured by outcome, edges labelled with what takes them
    ("empathy", "trust >= 6", "option 2", "otherwise")."""
    from trainer.authoring.graph import render

    loaded = load_or_exit(scenario, "graph", "fix these errors first (`trainer validate` lists them)")
    typer.echo(render(loaded.scenario, fmt.value), nl=False)


@app.command("rehearse", rich_help_panel="Authoring")
def rehearse_command(
    scenarios: list[str] = typer.Argument(None, help="Scenario files, folders (searched for *.yaml, as in "
                                          "validate) or ids. With --check or --explore and none given: "
                                          "every bundled scenario.", show_default=False),
    replies: Path | None = typer.Option(None, "--replies", "-r", help="Play these replies: a text file, one "
                                        "reply per line, or a YAML list. '#2' or 'option 2' picks option 2.",
                                        show_default=False),
    check: bool = typer.Option(False, "--check", help="Run the rehearsal files (rehearsals/<id>.yaml beside "
                               "each scenario); exit 1 when a path or ending has changed."),
    explore: bool = typer.Option(False, "--explore", help="Walk every branch (options, and a canned reply "
                                 "per signal at free-text moments); report coverage; exit 1 when an "
                                 "ending cannot be reached, a loop has no exit, a loop can be gone round "
                                 "without limit, or a built ending follows a disclosure of risk that no "
                                 "reply acted on."),
    max_states: int = typer.Option(5000, "--max-states", min=1, help="Bound for --explore."),
    witnesses: bool = typer.Option(False, "--witnesses", help="With --explore: also print, as a rehearsal "
                                   "file, replies that reach each ending."),
) -> None:
    """Play scenarios through the real engine and scorer, to check they behave as designed.

    Headless: no app opens. Give one of --replies FILE, --check or --explore."""
    from trainer.authoring import explore as rx
    from trainer.authoring import rehearse as rh
    from trainer.debrief.replay import session_score_problems
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
    names = []
    for name in scenarios or [str(BUNDLED_DIR)]:  # a folder stands for its scenarios, as in `validate`
        if not Path(name).is_dir():
            names.append(name)
            continue
        inside = [str(p) for p in discover([name])]
        if not inside:
            typer.echo(f"trainer rehearse: no scenario files (*.yaml, *.yml) in {name}", err=True)
            raise typer.Exit(2)
        names += inside
    if replies is not None and len(names) != 1:
        typer.echo(f"trainer rehearse: --replies plays one scenario, and {scenarios[0]} holds {len(names)}: "
                   "give one scenario file", err=True)
        raise typer.Exit(2)
    loaded = [load_or_exit(name, "rehearse", f"fix the errors above first (trainer validate {name}).")
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
            ex = rx.explore(rehearser, max_states=max_states)
            typer.echo(rx.format_exploration(ex) + "\n")
            if witnesses:
                typer.echo(f"# Replies reaching each ending of {one.id} (reword them before you keep them):")
                typer.echo(rx.format_witnesses(ex))
            failed += bool(ex.unreached_endings or ex.stuck or ex.cycles or ex.unsafe)
        typer.echo(f"{len(loaded)} scenario(s) explored, {failed} with unreachable endings, loops with "
                   "no exit or no limit, or a built ending without acting on a disclosure", err=True)
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
            rehearsals = rh.load_rehearsals(path, one.scenario)
        except rh.RehearsalError as exc:  # every mistake of the file, one per line
            typer.echo("".join(f"FAIL {line}\n" for line in str(exc).splitlines()))
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
        scored = session_score_problems(
            one.scenario, one.id, rehearser.scorer,
            [(r.name, r.expect_ending, [(x.text, x.option) for x in r.replies]) for r in rehearsals],
        )
        for problem in scored:
            typer.echo(problem)
        total += len(results)
        passed += sum(r.ok for r in results)
        failed += bool(uncovered) or bool(scored) or not all(r.ok for r in results)
        typer.echo("")
    typer.echo(f"{len(loaded)} scenario(s), {total} rehearsals: {passed} passed, {total - passed} failed"
               + (f"; {failed} scenario(s) failing" if failed else ""), err=True)
    raise typer.Exit(1 if failed else 0)


@app.command("new", rich_help_panel="Authoring")
def new_command(
    name: str = typer.Argument(..., help="The new scenario's id: lowercase letters, digits and hyphens.",
                               show_default=False),
    output: Path | None = typer.Option(None, "--output", "-o", help="A folder (or a file NAME.yaml) to write "
                                       "to instead of the current folder; the rehearsals go in "
                                       "rehearsals/ beside it.", show_default=False),
) -> None:
    """Write a commented starter scenario (and its rehearsals) to edit.

    It validates and rehearses as written. It goes in the current folder, or --output. NAME may not be the
    id of a bundled scenario."""
    from trainer.authoring.starter import StarterError, write_starter
    from trainer.scenario.loader import bundled_ids

    try:
        scenario_path, rehearsal_path = write_starter(name, Path(), output, taken=bundled_ids())
    except StarterError as exc:
        typer.echo(f"trainer new: {exc}", err=True)
        raise typer.Exit(2) from None
    typer.echo(str(scenario_path))
    typer.echo(str(rehearsal_path))
    schema = scenario_path.parent / "scenario.schema.json"  # the starter's first line names it
    if not schema.exists():
        try:
            schema.write_text(schema_text(), encoding="utf-8")
            typer.echo(f"Wrote {schema}, the format's JSON Schema, for your editor.", err=True)
        except OSError as exc:
            typer.echo(f"trainer new: cannot write {schema} ({exc.strerror or exc}); editors will not "
                       "complete fields. Write it with `trainer schema -o` when you can.", err=True)
    typer.echo(f"Wrote a starter scenario and its rehearsals in {scenario_path.parent.resolve()}.\n"
               f"Next: edit {scenario_path}, then\n"
               f"  trainer validate {scenario_path}\n  trainer rehearse --check {scenario_path}", err=True)
