"""Checks on the text of a scenario file that YAML itself does not make, or words badly.

- `control_characters` (before parsing): an invisible control character YAML refuses (a vertical tab
  from Word's Shift+Enter, a form feed, a bell, NUL) is reported at its line and column, by name, with
  how it got there and what to do (SCN008), instead of the parser's "unacceptable character #x000b".
- `invisible_characters` (before parsing): a zero-width space, word joiner or soft hyphen pasted from a
  web page is warned at its place, by name (SCN009).
- `decode` (reading): UTF-8, or UTF-16/32 with a byte-order mark (Notepad's "Unicode"), read as it is;
  `byte_position` says where a file that is neither stops being UTF-8.
- `hash_comments` (after parsing): `say: Okay. #1 priority is sleep` - YAML reads everything from ` #`
  on as a comment, so the line silently loses its end. Warned (SCN013) with the fix: quote the text.

Used by the loader. Standard library and trainer.textnorm only, besides this layer's diagnostics.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from trainer import textnorm
from trainer.scenario import diagnostics as dg
from trainer.scenario.diagnostics import Diagnostic
from trainer.scenario.loaded import Loc, Positions, describe_path

_WIDE_BOMS = ((b"\xff\xfe\x00\x00", "utf-32"), (b"\x00\x00\xfe\xff", "utf-32"),
               (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16"))


def decode(raw: bytes) -> str:
    """A file's text: UTF-8 (with or without a byte-order mark), or UTF-16/UTF-32 when it starts with that
    encoding's byte-order mark (a file saved as "Unicode" in Notepad or Word), the mark dropped.

    Raises: UnicodeDecodeError when the bytes are none of these.
    """
    for bom, encoding in _WIDE_BOMS:
        if raw.startswith(bom):
            return raw.decode(encoding)  # the codec reads the mark for the byte order, then drops it
    return raw.decode("utf-8-sig")


def byte_position(raw: bytes, offset: int) -> tuple[int, int]:
    """The line and column (1-based) of the byte at `offset` in `raw`: where a file stops being UTF-8
    (`UnicodeDecodeError.start`), said as validate and rehearse both say it."""
    line = raw.count(b"\n", 0, offset) + 1
    return line, offset - (raw.rfind(b"\n", 0, offset) + 1) + 1


#: At most this many invisible characters are reported one by one; the last diagnostic counts the rest.
MAX_REPORTED = 10


def control_characters(path: Path, text: str) -> list[Diagnostic]:
    """SCN008 for each character YAML refuses in `text` (at most MAX_REPORTED, the last counting the rest)."""
    return _each("SCN008", path, textnorm.yaml_rejects(text))


def invisible_characters(path: Path, text: str) -> list[Diagnostic]:
    """SCN009 (a warning) for each invisible formatting character in `text`: a zero-width space, word
    joiner, soft hyphen or a byte-order mark after the start (at most MAX_REPORTED, the last counting
    the rest)."""
    return _each("SCN009", path, textnorm.invisible_at(text))


def _each(code: str, path: Path, found: list[tuple[int, int, str]]) -> list[Diagnostic]:
    diagnostics = []
    for index, (line, col, char) in enumerate(found[:MAX_REPORTED]):
        rest = len(found) - MAX_REPORTED
        more = f" ({rest} more such characters follow)" if index == MAX_REPORTED - 1 and rest > 0 else ""
        diagnostics.append(dg.make(code, path, line, col, what=textnorm.describe(char), more=more))
    return diagnostics


# A comment that YAML takes from a plain value: a space, then '#' directly followed by a word or number
# ("#1 priority", "#MeToo"). A comment an author means is written "# like this", with a space.
_HASH_WORD = re.compile(r"\s#(\S.*)$")


def _strings(data: Any, loc: Loc = ()) -> list[tuple[Loc, str]]:
    found: list[tuple[Loc, str]] = []
    stack: list[tuple[Any, Loc]] = [(data, loc)]
    while stack:
        node, where = stack.pop()
        if isinstance(node, dict):
            stack.extend((v, (*where, k)) for k, v in node.items() if isinstance(k, str | int))
        elif isinstance(node, list):
            stack.extend((v, (*where, i)) for i, v in enumerate(node))
        elif isinstance(node, str):
            found.append((where, node))
    return found


def hash_comments(path: Path, text: str, data: Any, positions: Positions) -> list[Diagnostic]:
    """SCN013 for each plain (unquoted) text value that YAML ended at ` #word` (read as a comment), on its
    first line or on a line it continues onto."""
    lines = textnorm.split_lines(text)
    suspects = {n for n, line in enumerate(lines, start=1) if _HASH_WORD.search(line.lstrip())}
    if not suspects:
        return []
    starts: list[tuple[int, int, Loc, str]] = []  # (line, col, path, value) of every text value
    for loc, value in _strings(data):
        where = positions.locate(loc)
        if where.found == len(loc) and where.line <= max(suspects):
            starts.append((where.line, where.col, loc, value))
    starts.sort(key=lambda s: (s[0], s[1]))
    diagnostics = []
    for number in sorted(suspects):
        line = lines[number - 1]
        before = [s for s in starts if s[0] <= number]
        if not before:
            continue
        start_line, col, loc, value = before[-1]
        first = lines[start_line - 1][col - 1 :]
        if not first or first[0] in "'\"|>":
            continue  # quoted or block text keeps its '#'
        offset = col - 1 if start_line == number else 0
        match = _HASH_WORD.search(line, offset)
        if match is None:
            continue
        kept = line[offset : match.start()].strip()
        if not kept or not " ".join(value.split()).endswith(" ".join(kept.split())):
            continue
        full = value.rstrip() + " " + line[match.start() :].strip()
        full = full.replace("\\", "\\\\").replace('"', '\\"')
        diagnostics.append(dg.make("SCN013", path, number, match.start() + 2, path=describe_path(loc),
                                   lost="#" + match.group(1).rstrip(), full=full))
    return diagnostics
