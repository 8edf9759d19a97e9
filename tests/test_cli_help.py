"""`trainer --help` and every `trainer X --help` as a user reads them in an 80-column terminal: each
command's description in a listing is one short sentence, and no sentence breaks where the source code
wrapped it (a short line followed by the rest of its sentence on the next)."""

from __future__ import annotations

import click
import pytest
import typer
from typer.testing import CliRunner

from trainer.cli import app

WIDTH = 80
#: A line that wraps leaves at most this much of the width unused (the longest word it could not fit).
SLACK = 24


def command_paths() -> list[list[str]]:
    """Every command and command group, as the words a user types before --help."""
    paths: list[list[str]] = []

    def walk(command: click.Command, path: list[str]) -> None:
        paths.append(path)
        for name, sub in getattr(command, "commands", {}).items():
            walk(sub, [*path, name])

    walk(typer.main.get_command(app), [])
    return paths


def help_text(path: list[str]) -> str:
    env = {"COLUMNS": str(WIDTH), "TERMINAL_WIDTH": str(WIDTH)}
    result = CliRunner().invoke(app, [*path, "--help"], env=env)
    assert result.exit_code == 0, result.output
    return result.stdout


def unfilled_wraps(text: str) -> list[str]:
    """Lines followed by more of the same paragraph (or table cell) that stop well short of the width:
    a sentence broken in the middle, as the source code's line breaks used to break it."""
    lines = text.splitlines()
    bad = []
    for line, after in zip(lines, lines[1:], strict=False):
        if line.startswith("│") and after.startswith("│"):
            # a panel row continued on the next row: the name column of the next row is empty
            inner, next_inner = line.strip("│").rstrip(), after.strip("│")
            if next_inner[:11].strip() or not next_inner.strip() or next_inner.strip().startswith("["):
                continue
            if WIDTH - 2 - len(inner) > SLACK:
                bad.append(line)
        elif line.strip() and after.strip() and not line.startswith(("╭", "╰", "│", " Usage")):
            if WIDTH - len(line.rstrip()) > SLACK and not after.startswith(("╭", "│")):
                bad.append(line)
    return bad


@pytest.mark.parametrize("path", command_paths(), ids=lambda p: " ".join(["trainer", *p]))
def test_help_never_breaks_a_sentence_mid_line(path):
    assert unfilled_wraps(help_text(path)) == []


def test_the_history_command_reads_as_one_short_line_in_the_listing():
    listing = help_text([])
    row = next(line for line in listing.splitlines() if line.startswith("│ history "))
    assert "List your saved sessions, then the unfinished ones." in row


def test_every_command_has_a_short_first_line():
    """The listing shows the first paragraph: one sentence that fits a line beside the command's name."""
    def walk(command: click.Command, path: str):
        for name, sub in getattr(command, "commands", {}).items():
            yield f"{path} {name}", sub
            yield from walk(sub, f"{path} {name}")

    for name, command in walk(typer.main.get_command(app), "trainer"):
        first = (command.help or "").split("\n\n")[0]
        assert first and len(first) <= 90, f"{name}: {first!r}"


def test_reflowed_joins_the_lines_of_each_paragraph_and_keeps_the_paragraphs():
    from trainer.cli import reflowed

    assert reflowed("""One line.

    A long paragraph
    wrapped in the source.""") == "One line.\n\nA long paragraph wrapped in the source."
