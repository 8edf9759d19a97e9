"""Reading the session exports students hand in, whatever state they arrive in.

    files, notices = discover([Path("handed-in/")])
    sessions, more = read_exports(files)

Nothing here raises on bad input: every file that cannot be used, or is used with a caveat, gives a
`Notice` saying what was found and what was done about it (left out, read as far as possible, ...), for
the top of the cohort report. Kinds of notice (`Notice.kind`): missing, unreadable, too-large, not-json,
foreign, invalid, older, newer, duplicate, empty (a folder with no *.json).
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from pydantic import ValidationError

from trainer.debrief.export import EXPORT_FORMAT, EXPORT_FORMAT_VERSION
from trainer.debrief.model import Debrief
from trainer.educator.exportformat import OLD_FORMAT, export_schema, prune

#: Exports are a few hundred kilobytes; anything far larger is not one (and is not read into memory).
MAX_BYTES = 50 * 1024 * 1024


@dataclass(frozen=True)
class Notice:
    """Something about the input the educator should know: which file, what, and what was done."""

    kind: str
    file: str
    message: str
    """What was found and what was done, in one or two sentences."""

    @property
    def left_out(self) -> bool:
        """True when the file's session is not in the report."""
        return self.kind not in ("older", "newer", "unknown-scenario", "names", "empty")


@dataclass(frozen=True)
class Loaded:
    """One export that was read."""

    file: str
    debrief: Debrief
    redacted: bool
    digest: str
    """SHA-256 of the file's bytes (identical copies have the same digest)."""


def discover(paths: Iterable[Path]) -> tuple[list[Path], list[Notice]]:
    """The files to read: each file given, and every *.json file under each folder given (recursively,
    hidden folders skipped), in order without repeats; a path that does not exist gives a notice."""
    found: list[Path] = []
    notices: list[Notice] = []
    for path in paths:
        if path.is_dir():
            before = len(found)
            for candidate in sorted(path.rglob("*.json")):
                hidden = any(p.startswith(".") for p in candidate.relative_to(path).parts[:-1])
                if candidate.is_file() and not hidden:
                    found.append(candidate)
            if len(found) == before:
                notices.append(Notice("empty", str(path), _empty_folder(path)))
        elif path.exists():
            found.append(path)
        else:
            notices.append(Notice("missing", str(path), "No such file or folder: left out."))
    return list(dict.fromkeys(found)), notices


def looks_like_export(path: Path) -> bool:
    """True when the file starts as a trainer session export does (`{"format": "trainer-session"` or the
    version 1 name near the start), whatever its extension; never raises."""
    try:
        with path.open("rb") as handle:
            head = handle.read(512)
    except OSError:
        return False
    text = head.decode("utf-8", errors="replace").lstrip("\ufeff \t\r\n")
    return text.startswith("{") and any(f'"{name}"' in text for name in (EXPORT_FORMAT, OLD_FORMAT))


def _empty_folder(path: Path) -> str:
    others = sorted(p.name for p in path.iterdir() if p.is_file() and not p.name.startswith("."))
    held = f" (it holds {len(others)} other file(s), e.g. {others[0]})" if others else ""
    return (
        f"Holds no .json files{held}: nothing was read from it. Is it the right folder? A session is handed "
        "in as the file `trainer export SESSION --format json` writes."
    )


def _first_error(err: ValidationError) -> str:
    first = err.errors()[0]
    where = ".".join(str(p) for p in first["loc"]) or "the top level"
    more = f" (and {err.error_count() - 1} more)" if err.error_count() > 1 else ""
    return f"{first['msg']} at {where}{more}"


def read_export(path: Path) -> tuple[Loaded | None, list[Notice]]:
    """One file as a session export, or None with a notice saying why it was left out. A file read with a
    caveat (an older or newer format) returns the session and a notice."""
    name = str(path)
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            return None, [
                Notice(
                    "too-large",
                    name,
                    f"{size // (1024 * 1024)} MB is far larger than a session export: left out.",
                )
            ]
        raw = path.read_bytes()
    except OSError as err:
        return None, [Notice("unreadable", name, f"Could not be read ({err.strerror or err}): left out.")]
    try:
        # utf-8-sig: an export opened and saved again in Notepad (or any editor saving "UTF-8 with BOM")
        # starts with a byte-order mark; it is the same session.
        data = json.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError:
        return None, [
            Notice(
                "not-json",
                name,
                "Is not text (not UTF-8): left out. Ask the student to export "
                "the session again with `trainer export SESSION --format json`.",
            )
        ]
    except json.JSONDecodeError as err:
        cut = "" if raw.rstrip().endswith((b"}", b"]")) else " It looks cut short (truncated)."
        return None, [
            Notice(
                "not-json",
                name,
                f"Is not valid JSON ({err.msg}: line {err.lineno}, column "
                f"{err.colno}).{cut} Left out: ask the student to export the session again.",
            )
        ]
    if not isinstance(data, dict) or data.get("format") not in (EXPORT_FORMAT, OLD_FORMAT):
        what = (
            f'"format": {json.dumps(data.get("format"))}' if isinstance(data, dict) else type(data).__name__
        )
        return None, [
            Notice("foreign", name, f"Is JSON but not a trainer session export ({what}): left out.")
        ]
    version = data.get("format_version", data.get("version"))
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        return None, [
            Notice("invalid", name, f"Has no usable format version ({json.dumps(version)}): left out.")
        ]
    notices: list[Notice] = []
    body = data.get("debrief")
    if version > EXPORT_FORMAT_VERSION:
        notices.append(
            Notice(
                "newer",
                name,
                f"Was written by a newer trainer (export format {version}; this "
                f"one reads up to {EXPORT_FORMAT_VERSION}): read as far as this version "
                "understands it. Update trainer to see everything.",
            )
        )
        if isinstance(body, dict):
            body = prune(body, _debrief_schema(), None)
            body.pop("format", None)
            if isinstance(body.get("run_state"), dict):
                body["run_state"].pop("format", None)
    elif version < EXPORT_FORMAT_VERSION:
        notices.append(
            Notice(
                "older", name, f"Was written by an older trainer (export format {version}): read as it is."
            )
        )
    try:
        debrief = Debrief.model_validate(body)
    except ValidationError as err:
        return None, [
            Notice(
                "invalid",
                name,
                f"Is a trainer export, but its session cannot be read "
                f"({_first_error(err)}): left out. Was it edited by hand?",
            )
        ]
    wrong = _out_of_range(debrief)
    if wrong:
        return None, [
            Notice(
                "invalid",
                name,
                f"Is a trainer export, but {wrong}: left out, so it does not distort the class "
                "figures. Was it edited by hand? Ask the student to export the session again.",
            )
        ]
    redacted = bool(data.get("redacted", False))
    return Loaded(name, debrief, redacted, hashlib.sha256(raw).hexdigest()), notices


def _out_of_range(debrief: Debrief) -> str | None:
    """What is wrong with the numbers the report computes with (a skill's score 0-1, its level and the
    student's rating 1-5, every reply's scores 0-1), or None. JSON from a hand edit can carry NaN,
    Infinity (or 1e999) or 7, which pydantic accepts as floats and which would make the class's means
    "nan" or nonsense."""
    for skill in debrief.skills:
        if not (math.isfinite(skill.score) and 0 <= skill.score <= 1):
            return f"the {skill.skill} score is {skill.score!r} (a score is from 0 to 1)"
        for field in ("level", "rating"):
            value = getattr(skill, field)
            if value is not None and not 1 <= value <= 5:
                return f"the {skill.skill} {field} is {value!r} (a {field} is from 1 to 5)"
    for line in debrief.transcript:
        for signal, score in line.scores.items():
            if not (math.isfinite(score) and 0 <= score <= 1):
                return f"reply {line.reply}'s {signal} score is {score!r} (a score is from 0 to 1)"
    return None


def _debrief_schema() -> dict[str, object]:
    schema = export_schema()
    debrief = dict(schema["$defs"]["Debrief"])
    debrief["$defs"] = schema["$defs"]
    return debrief


def read_exports(files: Sequence[Path]) -> tuple[list[Loaded], list[Notice]]:
    """Every readable export, with duplicates removed, and the notices.

    Two files are the same session when they carry the same run id: the copy saved last (the later
    `updated_at`, then the longer transcript) is kept and the other noted as left out."""
    kept: dict[str, Loaded] = {}
    notices: list[Notice] = []
    for path in files:
        loaded, found = read_export(path)
        notices.extend(found)
        if loaded is None:
            continue
        run_id = loaded.debrief.run_state.run_id
        other = kept.get(run_id)
        if other is None:
            kept[run_id] = loaded
            continue
        newer = _rank(loaded) > _rank(other)
        keep, drop = (loaded, other) if newer else (other, loaded)
        kept[run_id] = keep
        same = "an identical copy" if keep.digest == drop.digest else "another copy (saved earlier)"
        notices.append(
            Notice(
                "duplicate",
                drop.file,
                f"Is {same} of the session in {keep.file} (run "
                f"{run_id}): left out, so the session counts once.",
            )
        )
    return list(kept.values()), notices


def _rank(loaded: Loaded) -> tuple[datetime, int]:
    d = loaded.debrief
    return (d.updated_at, len(d.transcript))
