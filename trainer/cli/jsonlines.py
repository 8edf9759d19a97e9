"""What `trainer score` does to its input before the scorer's JSON-lines reader (trainer.scoring.commands)
sees it: plain text read as one reply a line, and lines without their line ends, so that a line cut short
reports its real column. (A misspelt field's "did you mean" is said by the readers: trainer.jsonfields.)

    lines, note = score_input(raw_bytes, "plain.txt")   # lines for score_lines; a note for stderr or None
"""

from __future__ import annotations

import json


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
