"""What `trainer score` and `trainer eval` add around the scorer's JSON-lines readers (trainer.scoring,
which stay as they are): plain text read as one reply a line, the real column of a line cut short, and a
"did you mean" for a misspelt field.

    lines, note = score_input(raw_bytes, "plain.txt")   # lines for score_lines; a note for stderr or None
    err = HintingErr(sys.stderr, hints)                 # adds "did you mean" to score_lines' messages
    message = eval_hint(problem_message, line_text)     # the same for a `trainer eval` problem
"""

from __future__ import annotations

import difflib
import json
import re
from typing import Any, TextIO

SCORE_FIELDS = ("text", "id", "context")
EVAL_FIELDS = ("text", "context", "labels", "acts", "act", "subtype")


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


def misspelt_fields(lines: list[bytes], wanted: tuple[str, ...] = ("text",)) -> dict[int, str]:
    """Line number (1-based) -> a hint, for JSON objects that lack a wanted field but have a key close to
    it: {"txt": ...} -> 'did you mean "text" instead of "txt"?'."""
    hints: dict[int, str] = {}
    for number, line in enumerate(lines, start=1):
        try:
            obj = json.loads(line.decode("utf-8"))
        except (ValueError, RecursionError):
            continue
        if isinstance(obj, dict):
            hint = field_hint(obj, wanted)
            if hint:
                hints[number] = hint
    return hints


def field_hint(obj: dict[str, Any], wanted: tuple[str, ...], known: tuple[str, ...] = ()) -> str | None:
    """'did you mean "text" instead of "txt"?' for the first wanted field missing from `obj` with a key
    close to it (keys that are fields in their own right, `known`, are not suggested away)."""
    for field in wanted:
        if field in obj:
            continue
        others = [k for k in obj if isinstance(k, str) and k not in known and k not in wanted]
        close = difflib.get_close_matches(field, others, n=1, cutoff=0.6)
        if not close:
            close = [k for k in others if k.strip().lower() == field]
        if close:
            return f'did you mean "{field}" instead of "{close[0]}"?'
    return None


_SCORE_ERROR = re.compile(r"trainer score: line (\d+): (.*); the line was skipped\n")


class HintingErr:
    """stderr for score_lines that adds the "did you mean" hint to the messages of the lines in `hints`."""

    def __init__(self, err: TextIO, hints: dict[int, str]) -> None:
        self.err = err
        self.hints = hints

    def write(self, text: str) -> int:
        match = _SCORE_ERROR.fullmatch(text)
        if match and int(match.group(1)) in self.hints:
            number, message = match.groups()
            hint = self.hints[int(number)]
            text = f"trainer score: line {number}: {message} ({hint}); the line was skipped\n"
        return self.err.write(text)

    def flush(self) -> None:
        self.err.flush()


def eval_hint(message: str, line: str) -> str:
    """A `trainer eval` problem's message, said more exactly when a field is absent rather than wrong:
    'no "labels" field (did you mean "labels" instead of "label"?): give a list of signal names, ...'."""
    match = re.match(r'"(\w+)" must be', message)
    if not match:
        return message
    try:
        obj = json.loads(line)
    except (ValueError, RecursionError):
        return message
    field = match.group(1)
    if not isinstance(obj, dict) or field in obj:
        return message
    hint = field_hint(obj, (field,), known=EVAL_FIELDS)
    out = f'no "{field}" field' + (f" ({hint})" if hint else "")
    if field == "labels":
        out += ': give a list of signal names, e.g. "labels": ["empathy"] (it may be empty)'
    return out
