"""What `trainer score` does to its input before the scorer's JSON-lines reader (trainer.scoring.commands)
sees it: plain text read as one reply a line, and lines without their line ends, so that a line cut short
reports its real column. (A misspelt field's "did you mean" is said by the readers: trainer.jsonfields.)

    lines, note = score_input(raw_bytes, "plain.txt")   # lines for score_lines; a note for stderr or None
    out = WithEmptyLines(sys.stdout, lines, plain=note is not None)   # one line out per line in
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import IO


def _looks_like_json(line: str) -> bool:
    """A line meant as JSON: an object or array, or one that starts like one (cut short)."""
    text = line.strip().lstrip("\ufeff")
    if text.startswith(("{", "[")):
        return True
    try:
        return isinstance(json.loads(text), dict | list)
    except ValueError:
        return False


def score_input(data: bytes, name: str) -> tuple[list[bytes], str | None]:
    """The lines to score, without their line ends (so a JSON error's column is on the line itself), and
    a note when the input is plain text (no line of it JSON): each non-blank line then becomes the JSON
    line {"text": LINE}, so a list of replies is scored one reply a line. Lines that are not UTF-8 are
    passed on as they are (the scorer's reader reports them)."""
    raw = data.split(b"\n")
    if raw and raw[-1] == b"":
        raw.pop()
    lines = [line.rstrip(b"\r") for line in raw]
    decoded: list[str | None] = []
    for line in lines:
        try:
            decoded.append(line.decode("utf-8"))
        except UnicodeDecodeError:
            decoded.append(None)
    texts = [t for t in decoded if t is not None and t.lstrip("\ufeff").strip()]
    if not texts or any(_looks_like_json(t) for t in texts):
        return lines, None
    plain = [
        line if text is None or not text.lstrip("\ufeff").strip()
        else json.dumps({"text": text.lstrip("\ufeff").strip()}).encode()
        for line, text in zip(lines, decoded, strict=True)
    ]
    note = (f"{name} is plain text, not JSON lines: each line was scored as one reply (to give an id or the "
            'service user\'s line before it, write JSON lines: {"text": "...", "id": 1, "context": "..."})')
    return plain, note


def is_blank(line: bytes) -> bool:
    """An empty line, or one of spaces or a byte-order mark alone: the scorer's reader skips these."""
    return not line.replace(b"\xef\xbb\xbf", b"").strip()


def empty_record(number: int, plain: bool) -> str:
    """The output line for an empty input line, so that there is one line out per line in: its line
    number, and for plain text (where ids are line numbers) the same as its id; no scores."""
    return json.dumps({"id": number if plain else None, "line": number, "skipped": "empty line"})


class WithEmptyLines:
    """A text stream that puts the output line of each empty input line back in its place.

    The scorer's reader writes one line per non-blank input line, in order, and skips blank ones; this
    counts the lines written and, before the k-th, writes `empty_record` for each blank input line that
    comes before the k-th non-blank one (and those at the end on `finish`)."""

    def __init__(self, out: IO[str], lines: Sequence[bytes], plain: bool) -> None:
        self.out = out
        self.plain = plain
        self.blank = [is_blank(line) for line in lines]
        self.next = 0  # the input line (0-based) the next output line is for
        self.at_line_start = True

    def _blanks(self) -> None:
        while self.next < len(self.blank) and self.blank[self.next]:
            self.next += 1
            self.out.write(empty_record(self.next, self.plain) + "\n")

    def write(self, text: str) -> int:
        for part in text.splitlines(keepends=True):
            if self.at_line_start:
                self._blanks()
                self.next += 1
            self.out.write(part)
            self.at_line_start = part.endswith("\n")
        return len(text)

    def flush(self) -> None:
        self.out.flush()

    def finish(self) -> list[int]:
        """Write the empty lines at the end; the numbers of all the empty lines (1-based)."""
        self._blanks()
        self.out.flush()
        return [i for i, b in enumerate(self.blank, 1) if b]
