"""Reading the session exports students hand in, whatever state they arrive in.

    files, notices = discover([Path("handed-in/")])
    sessions, more = read_exports(files)

Nothing here raises on bad input: every file that cannot be used, or is used with a caveat, gives a
`Notice` saying what was found and what was done about it (left out, read as far as possible, ...), for
the top of the cohort report. Kinds of notice (`Notice.kind`): missing, unreadable, too-large, not-json,
foreign, invalid, older, newer, duplicate, empty (a folder with no *.json), and, for files that are read:
subfolders (folders inside a folder given, read too), renamed (an export saved with another extension,
read), other (files that are not exports, not read), shared (one session handed in under two names);
and, from the cohort: names, unknown-scenario, flags (flags that point at no reply), scenario-errors (a
--scenarios file that does not load), same-id (two scenarios with one id, reported apart by title, or
sessions of one id and title that name different service users: trainer.educator.identity).

Folders are read recursively (a VLE's "download all submissions" may put each student's file in a
folder of its own); the report says which sub-folders were read, so last year's folder left inside this
year's is noticed.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path

from pydantic import ValidationError

from trainer.debrief.export import EXPORT_FORMAT, EXPORT_FORMAT_VERSION
from trainer.debrief.model import Debrief
from trainer.debrief.redact import LEARNER
from trainer.educator.exportformat import OLD_FORMAT, export_schema, prune

#: Exports are a few hundred kilobytes; anything far larger is not one (and is not read into memory).
MAX_BYTES = 50 * 1024 * 1024


@dataclass(frozen=True)
class Notice:
    """Something about the input the educator should know: which file, what, and what was done."""

    kind: str
    file: str
    message: str
    """What was found and what was done, in one or two sentences (may name the files in `files`)."""
    files: tuple[str, ...] = ()
    """Other files or folders the message names (the report shows each by a neutral label without
    --names, since a VLE names files after the student)."""
    anonymous: str = ""
    """The message as the report shows it without --names, when `message` names students."""

    @property
    def left_out(self) -> bool:
        """True when the file's session is not in the report."""
        return self.kind not in ("older", "newer", "unknown-scenario", "names", "empty", "subfolders",
                                 "renamed", "other", "shared", "flags", "scenario-errors", "same-id")


@dataclass(frozen=True)
class Loaded:
    """One export that was read."""

    file: str
    debrief: Debrief
    redacted: bool
    digest: str
    """SHA-256 of the file's bytes (identical copies have the same digest)."""
    partial: bool = False
    """True when written by a newer trainer and read only as far as this one understands it."""
    name: str | None = None
    """The student's name, spaces tidied ("Aisha Khan"); None when unnamed or redacted. A copy of the
    session that carried the name may give it to an unnamed copy kept instead (see read_exports)."""


def tidy_name(debrief: Debrief, redacted: bool) -> str | None:
    """The export's student name with its spaces tidied, or None (no name, or a redacted export)."""
    name = " ".join((debrief.learner_name or "").split())
    return None if not name or redacted or name == LEARNER else name


def name_key(name: str) -> str:
    """Names compared as the same student: "Aisha Khan" and "aisha  khan " are one."""
    return " ".join(name.split()).casefold()


def best_spelling(forms: Sequence[str]) -> str:
    """Of the spellings of one name, the one to show: one with capitals over one typed all in lower case,
    then the most used, then the first ("Aisha Khan" for "aisha khan" and "Aisha Khan")."""
    return min(dict.fromkeys(forms), key=lambda f: (f == f.lower(), -forms.count(f), forms.index(f)))


def discover(paths: Iterable[Path]) -> tuple[list[Path], list[Notice]]:
    """The files to read: each file given, and every *.json file under each folder given (recursively,
    hidden files and folders skipped, e.g. macOS's "._x.json"), in order without repeats, plus any
    other file there that is a trainer export under another extension (e.g. .txt, renamed by an e-mail
    client). Notices say which
    sub-folders were read, which files were read despite their extension, which other files were not
    read, and which paths do not exist."""
    found: list[Path] = []
    notices: list[Notice] = []
    for path in paths:
        if path.is_dir():
            before = len(found)
            others: list[Path] = []
            for candidate in sorted(path.rglob("*")):
                hidden = any(p.startswith(".") for p in candidate.relative_to(path).parts)
                if hidden or not candidate.is_file():
                    continue
                if candidate.suffix.lower() == ".json":
                    found.append(candidate)
                elif looks_like_export(candidate):
                    found.append(candidate)
                    notices.append(Notice("renamed", str(candidate), f"Is a trainer export saved as "
                                          f"{candidate.suffix or 'a file with no extension'}: read as one."))
                else:
                    others.append(candidate)
            if len(found) == before:
                notices.append(Notice("empty", str(path), _empty_folder(path)))
            elif others:
                shown = others[:5]
                more = f" and {len(others) - 5} more" if len(others) > 5 else ""
                notices.append(Notice(
                    "other", str(path),
                    f"Also holds {len(others)} file(s) that are not trainer exports, not read: "
                    f"{', '.join(map(str, shown))}{more}.", files=tuple(map(str, shown))))
            subs = sorted({f.parent for f in found[before:]} - {path})
            if subs:
                counts = ", ".join(f"{sub} ({sum(f.parent == sub for f in found[before:])} file(s))"
                                   for sub in subs)
                notices.append(Notice(
                    "subfolders", str(path),
                    f"Folders inside it were read too: {counts}. "
                    "If one holds another class's or last year's files, move it out and run again.",
                    files=tuple(map(str, subs))))
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


def _not_json(text: str, err: json.JSONDecodeError) -> str:
    """What is wrong with a file that does not parse, in plain words first (the parser's own words last)."""
    again = " Left out: ask the student to export the session again (`trainer export SESSION --format json`)."
    body = text.strip()
    if not body:
        return "Is empty (nothing in it)." + again
    if body[0] not in "{[":
        return "Is not a trainer export (it is plain text, not JSON)." + again
    if _cut_short(body):
        return ("Is a JSON file that stops part-way: it looks cut short (truncated), e.g. by an upload "
                "or a download that did not finish." + again)
    return (f"Is not valid JSON: it is broken at line {err.lineno}, column {err.colno} (was it edited by "
            f"hand?). The reader's words: {err.msg}." + again)


def _cut_short(text: str) -> bool:
    """True when the JSON text ends inside a string or with a bracket still open (a download or upload
    that stopped part-way), as against one broken in the middle."""
    depth, in_string, escaped = 0, False, False
    for char in text:
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "{[":
            depth += 1
        elif char in "}]":
            depth -= 1
    return in_string or depth > 0


#: Pydantic's error types, as what a value should have been.
_WANTED = {"int": "a whole number", "float": "a number", "string": "text", "bool": "true or false",
           "list": "a list", "dict": "an object", "model": "an object", "datetime": "a date and time"}


def _first_error(err: ValidationError) -> str:
    """The first validation error in plain words ("the value at skills.0.score should be a number"),
    then the validation library's own words."""
    first = err.errors()[0]
    where = ".".join(str(p) for p in first["loc"])
    kind = str(first["type"])
    wanted = next((w for k, w in _WANTED.items() if kind.startswith(k)), None)
    if not where:
        plain = "it has no session in it (its \"debrief\" part is missing or not an object)"
    elif kind == "missing":
        plain = f"the field {where} is missing"
    elif wanted:
        plain = f"the value at {where} should be {wanted}"
    else:
        plain = f"the value at {where} is not one trainer writes"
    more = f" (and {err.error_count() - 1} more problem(s))" if err.error_count() > 1 else ""
    return f"{plain}{more}; the reader's words: {first['msg']}"


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
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None, [
            Notice(
                "not-json",
                name,
                "Is not text (not UTF-8): left out. Ask the student to export "
                "the session again with `trainer export SESSION --format json`.",
            )
        ]
    try:
        data = json.loads(text)
    except json.JSONDecodeError as err:
        return None, [Notice("not-json", name, _not_json(text, err))]
    if not isinstance(data, dict) or data.get("format") not in (EXPORT_FORMAT, OLD_FORMAT):
        kinds = {list: "a list", str: "a piece of text", int: "a number", float: "a number",
                 bool: "true or false"}
        what = (
            f'its "format" is {json.dumps(data.get("format"))}, not "{EXPORT_FORMAT}"'
            if isinstance(data, dict)
            else f"it holds {kinds.get(type(data), 'nothing')}, not a session"
        )
        return None, [
            Notice("foreign", name, f"Is JSON but not a trainer session export ({what}): left out. Was the "
                   "wrong file handed in? A session is handed in as `trainer export SESSION --format json` "
                   "writes it.")
        ]
    version = data.get("format_version", data.get("version"))
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        return None, [
            Notice("invalid", name, f"Is a trainer export without a usable format version (it says "
                   f"{json.dumps(version)}, where trainer writes a whole number such as 2): left out. Was it "
                   "edited by hand? Ask the student to export the session again.")
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
                f"Is a trainer export, but its session cannot be read: {_first_error(err)}. Left out. "
                "Was it edited by hand? Ask the student to export the session again.",
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
    digest = hashlib.sha256(raw).hexdigest()
    partial = version > EXPORT_FORMAT_VERSION
    return Loaded(name, debrief, redacted, digest, partial, tidy_name(debrief, redacted)), notices


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

    Two files are the same session when they carry the same run id. Of the copies, the most complete
    is kept (`_rank`: saved last, then the longer transcript, then one this trainer reads fully over one
    from a newer trainer, then a named copy over a redacted one, then a .json over a renamed copy, then
    the first by name); an unnamed copy kept takes the name a
    dropped copy carried. Copies carrying different student names are not merged: each student's copy
    is kept and a "shared" notice names the files, for the educator to check."""
    groups: dict[str, list[Loaded]] = {}
    notices: list[Notice] = []
    for path in files:
        loaded, found = read_export(path)
        notices.extend(found)
        if loaded is not None:
            groups.setdefault(loaded.debrief.run_state.run_id, []).append(loaded)
    for copies in groups.values():
        copies.sort(key=lambda c: c.file)  # so that of copies that rank the same, the first by name is kept
    kept: list[Loaded] = []
    for run_id, copies in groups.items():
        by_name: dict[str | None, list[Loaded]] = {}
        for one in copies:
            by_name.setdefault(name_key(one.name) if one.name else None, []).append(one)
        named = [k for k in by_name if k is not None]
        if len(named) > 1:
            keep: dict[str | None, Loaded] = {k: max(by_name[k], key=_rank) for k in named}
            chosen = [_named(keep[k], by_name[k]) for k in named]
            kept += chosen
            notices.append(_shared(run_id, chosen))
            for key, group in by_name.items():
                best = chosen[named.index(key)] if key is not None else max(chosen, key=_rank)
                notices += [_duplicate(run_id, best, one) for one in group if one is not keep.get(key)]
            continue
        original = max(copies, key=_rank)
        best = _named(original, by_name[named[0]]) if named else original
        kept.append(best)
        notices += [_duplicate(run_id, best, one) for one in copies if one is not original]
    # A copy left out needs no word on how its format was read.
    dropped = {n.file for n in notices if n.kind == "duplicate"}
    return kept, [n for n in notices if not (n.kind in ("older", "newer") and n.file in dropped)]


def _named(kept: Loaded, copies: list[Loaded]) -> Loaded:
    """The copy kept, carrying the best spelling of the name one student's copies give."""
    return replace(kept, name=best_spelling([c.name for c in copies if c.name]))


def _rank(loaded: Loaded) -> tuple[datetime, int, bool, bool, bool, bool]:
    """Higher is kept. On a tie max() keeps the first, and copies are sorted by name: so of two identical
    copies the .json (as `trainer export` wrote it) is kept over one renamed to .txt, else the first by
    name."""
    d = loaded.debrief
    return (d.updated_at, len(d.transcript), not loaded.partial, loaded.name is not None, not loaded.redacted,
            _is_json(loaded))


def _is_json(loaded: Loaded) -> bool:
    return Path(loaded.file).suffix.lower() == ".json"


def _duplicate(run_id: str, keep: Loaded, drop: Loaded) -> Notice:
    if keep.digest == drop.digest:
        renamed = _is_json(keep) and not _is_json(drop)
        what = "an identical copy"
        why = ("the .json is kept, as the trainer exported it" if renamed
               else "the first by name is kept")
        return Notice("duplicate", drop.file, f"Is {what} of {keep.file}"
                      f"{' renamed to ' + (Path(drop.file).suffix or 'no extension') if renamed else ''}"
                      f" (the same session, run {run_id}): left out, so the session counts once ({why}).",
                      files=(keep.file,))
    elif drop.debrief.updated_at < keep.debrief.updated_at:
        what = "another copy (saved earlier)"
    elif len(drop.debrief.transcript) < len(keep.debrief.transcript):
        what = "another copy (with fewer replies)"
    elif drop.partial and not keep.partial:
        what = "a copy from a newer trainer (read only in part here)"
    elif drop.redacted and not keep.redacted:
        what = "a redacted copy"
    elif drop.name is None and keep.name is not None:
        what = "a copy with no student name"
    else:
        what = "another copy (saved at the same moment)"
    return Notice("duplicate", drop.file, f"Is {what} of the session in {keep.file} (run {run_id}): left "
                  "out, so the session counts once.", files=(keep.file,))


def _shared(run_id: str, keep: list[Loaded]) -> Notice:
    files = [k.file for k in keep]
    names = ", ".join(k.name or "" for k in keep)
    listed = " and ".join(files)
    tail = (f": the same session handed in by {len(keep)} students: check. Each is in the report, so the "
            "session's scores count once per student until you remove the copies that are not theirs.")
    return Notice(
        "shared", files[0],
        f"{listed} are the same session (run {run_id}) but carry different student names ({names}){tail}",
        files=tuple(files[1:]),
        anonymous=f"{listed} are the same session (run {run_id}) but carry different student names "
        f"(run with --names, or see the terminal, to see them){tail}",
    )
