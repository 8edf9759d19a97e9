"""The command line: `trainer` and `python -m trainer`, one small module per command group.

`practice` (play), `history` (history, export), `authoring` (validate, schema, graph, rehearse, new),
`scoring` (score, eval, flags) and `educator` (cohort, serve); `common` holds what they share.
`trainer --help` lists the commands under the same headings. Heavy imports (spaCy, Textual) happen inside
the command that needs them, so that `trainer validate` and `trainer --help` start fast. stdout carries
data; stderr carries diagnostics and progress. Library code raises; only this package decides exit codes.
It may import every other package.
"""

from __future__ import annotations

import inspect

import typer

from trainer.cli import authoring, educator, history, practice, scoring

app = typer.Typer(
    name="trainer",
    help="Rehearse first meetings with a simulated service user, and get an explainable debrief.",
    no_args_is_help=False,
    add_completion=False,
    pretty_exceptions_enable=False,
)

for _group in (practice, history, authoring, scoring, educator):
    app.registered_commands += _group.app.registered_commands
    app.registered_groups += _group.app.registered_groups


def reflowed(doc: str) -> str:
    """A docstring as help: each paragraph on one line. Typer shows a docstring's line breaks as they are,
    which breaks a sentence wherever the source wrapped it; the terminal wraps each paragraph instead."""
    return "\n\n".join(" ".join(p.split()) for p in inspect.cleandoc(doc).split("\n\n"))


def _reflow_help(group: typer.Typer) -> None:
    """Each command's help (its docstring, unless it has help=) reflowed, in every command group."""
    for command in group.registered_commands:
        if command.help is None and command.callback is not None and command.callback.__doc__:
            command.help = reflowed(command.callback.__doc__)
    for sub in group.registered_groups:
        if sub.typer_instance is not None:
            _reflow_help(sub.typer_instance)


_reflow_help(app)


@app.callback(invoke_without_command=True)
def _root(ctx: typer.Context) -> None:
    """With no command, open the app on the bundled scenarios."""
    if ctx.invoked_subcommand is None:
        # Textual is imported here, not at the top, so that other commands start fast.
        from trainer.tui.app import run_app

        run_app()


def main() -> None:
    """Console-script entry point."""
    app()
