"""Loading scenario files: YAML in, a validated `Scenario` out, or diagnostics that point at the text.

The text is read and normalised (trainer.textnorm: byte-order mark, line separators; invisible control
characters reported by name), then read into objects that keep the line and column of every key and item:
for a plain document by the fast path (yaml_fast: ruamel's C parser), for anything unusual and every
document with a syntax error by the careful path (yaml_careful: ruamel's round-trip loader, about 25 times
slower). Both bound what a document may expand to (yaml_limits) before anything walks it. So every problem
- a YAML slip, a field the schema rejects (schema_errors), a `goto` to a node that does not exist (checks)
- is reported at `file:line:col` with a path by ids (`node 'greet' > response 2 > goto`).
Problems are collected, never stopped at the first. Library code raises `ScenarioInvalid`; only the CLI
decides exit codes.

Used by the CLI (`trainer validate`, `trainer graph`, `trainer play`), the app's home screen
(`load_all`), rehearsals and tests. Imports neither textual nor spacy: checks that need the scorer are
passed in as `extra_checks`.
"""

from __future__ import annotations

import gc
import os
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from trainer import textnorm
from trainer.scenario import diagnostics as dg
from trainer.scenario.checks import check_scenario
from trainer.scenario.diagnostics import Diagnostic
from trainer.scenario.loaded import (
    ExtraCheck,
    LoadedScenario,
    Loc,
    Location,
    Positions,
    describe_path,
    did_you_mean,
    start_of,
)
from trainer.scenario.partial import checks_despite_errors
from trainer.scenario.schema import SCHEMA_VERSION, Scenario
from trainer.scenario.schema_errors import kind_of, scalar_text, schema_diagnostic
from trainer.scenario.text_checks import (
    byte_position,
    control_characters,
    decode,
    hash_comments,
    invisible_characters,
)
from trainer.scenario.yaml_careful import (
    SECTIONS,
    Duplicate,
    careful_parse,
    paths_of_mappings,
    plain,
    too_complex,
    written_lines,
)
from trainer.scenario.yaml_fast import Unusual, fast_parse
from trainer.scenario.yaml_limits import TooComplex

__all__ = [
    "BUNDLED_DIR",
    "SKIPPED_FOLDERS",
    "ExtraCheck",
    "LoadedScenario",
    "Loc",
    "Location",
    "Positions",
    "ScenarioInvalid",
    "ScenarioNotFound",
    "bundled_ids",
    "describe_path",
    "did_you_mean",
    "discover",
    "find_scenario",
    "load_all",
    "load_scenario",
    "validate_paths",
]

_REPO_ROOT = Path(__file__).resolve().parent.parent.parent

#: Where the bundled scenarios live: the repository's scenarios/ folder, or $TRAINER_SCENARIOS.
BUNDLED_DIR: Path = Path(os.environ.get("TRAINER_SCENARIOS") or _REPO_ROOT / "scenarios")

#: Folders `discover` does not look in: rehearsal files sit beside the scenarios but are not scenarios.
SKIPPED_FOLDERS = frozenset({"rehearsals"})


class ScenarioInvalid(ValueError):
    """A scenario file with at least one error. `diagnostics` holds every problem found (errors first)."""

    def __init__(self, diagnostics: list[Diagnostic]) -> None:
        self.diagnostics = diagnostics
        errors = [d for d in diagnostics if d.is_error]
        first = (errors or diagnostics)[0].format() if diagnostics else "the scenario is invalid"
        more = len(errors) - 1
        super().__init__(first + (f" (and {more} more error{'s' if more > 1 else ''})" if more > 0 else ""))


class ScenarioNotFound(LookupError):
    """`find_scenario` was given neither a file nor the id of a bundled scenario. The message says which
    scenarios exist."""


def _read(path: Path) -> tuple[str | None, list[Diagnostic]]:
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return None, [dg.make("SCN004", path, problem="there is no such file")]
    except IsADirectoryError:
        return None, [dg.make("SCN004", path, problem="it is a folder, not a file")]
    except OSError as exc:
        return None, [dg.make("SCN004", path, problem=exc.strerror or str(exc))]
    try:
        return decode(raw), []
    except UnicodeDecodeError as exc:
        if exc.encoding != "utf-8":  # a UTF-16/32 byte-order mark, then bytes that are not
            wide = "UTF-32" if "32" in exc.encoding else "UTF-16"
            return None, [dg.make("SCN004", path, 1, 1, problem=f"it is saved as {wide} ('Unicode') but is "
                                  "damaged (cut short?); open it and save it as UTF-8")]
        line, col = byte_position(raw, exc.start)
        problem = f"byte 0x{raw[exc.start]:02x} is not UTF-8 text; save the file as UTF-8"
        return None, [dg.make("SCN004", path, line, col, problem=problem)]


def _id_clash(path: Path, text: str) -> list[Diagnostic]:
    """SCN014 when a file outside BUNDLED_DIR has a bundled scenario's id (file name) but other content."""
    if path.suffix not in (".yaml", ".yml"):
        return []
    try:
        here, bundled_dir = path.resolve(), BUNDLED_DIR.resolve()
        if here.is_relative_to(bundled_dir) or not bundled_dir.is_dir():
            return []
        for bundled in discover([bundled_dir]):
            if bundled.stem != path.stem:
                continue
            if textnorm.for_yaml(decode(bundled.read_bytes())) == text:
                return []  # a copy of the same scenario: the same id is right
            suggestion = f"{path.stem}-2{path.suffix}"
            return [dg.make("SCN014", path, 1, 1, id=path.stem, bundled=f"'{bundled.stem}' ({bundled})",
                            suggestion=suggestion)]
    except (OSError, UnicodeDecodeError):
        return []
    return []


def _parse(path: Path, text: str) -> tuple[Any, list[Duplicate], list[Diagnostic]]:
    """The document (fast path, else careful path), its duplicate keys, and reading diagnostics."""
    try:
        return fast_parse(text), [], []
    except TooComplex as exc:
        return None, [], [too_complex(path, exc)]
    except Unusual as exc:
        return careful_parse(path, text, checked=exc.checked)


# --- loading ------------------------------------------------------------------------------------------


@contextmanager
def _gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while a file is read: reading creates some hundred thousand
    small objects and none of them is garbage, yet each batch triggers a collection that walks them all
    (for a 2,000-node scenario that more than doubled the time). Reference counting still frees memory."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _load(
    path: Path, extra_checks: Sequence[ExtraCheck] = ()
) -> tuple[LoadedScenario | None, list[Diagnostic]]:
    """Load one file, collecting every problem: the scenario (None if there is any error) and diagnostics."""
    with _gc_paused():
        return _load_unpaused(path, extra_checks)


def _load_unpaused(
    path: Path, extra_checks: Sequence[ExtraCheck]
) -> tuple[LoadedScenario | None, list[Diagnostic]]:
    text, problems = _read(path)
    if text is None:
        return None, problems
    text = textnorm.for_yaml(text)
    problems = control_characters(path, text)
    if problems:
        return None, problems
    early = invisible_characters(path, text) + _id_clash(path, text)
    data, duplicates, problems = _parse(path, text)
    if problems:
        return None, _sorted(problems + early)
    loaded, diagnostics = _from_parsed(path, text, data, duplicates, extra_checks)
    if any(not dup.merged for dup in duplicates):
        diagnostics = _not_of_which_is_read(path, text, data, diagnostics, extra_checks)
    if not early:
        return loaded, diagnostics
    diagnostics = _sorted(diagnostics + early)
    if loaded is not None:
        loaded.warnings = diagnostics
    return loaded, diagnostics


def _not_of_which_is_read(
    path: Path, text: str, data: Any, diagnostics: list[Diagnostic], extra_checks: Sequence[ExtraCheck]
) -> list[Diagnostic]:
    """`diagnostics` of the document read with the first writing of each value written twice, less those
    that depend on which writing is read.

    A key written twice is one problem (SCN005), but reading one writing drops the other, and every check
    then reports what is missing: a second `start:` left seven nodes "never reached", a node written twice
    made the nodes only its dropped copy goes to unreachable. So the document is read again with the last
    writing of each, and a problem is kept when both readings report it, or when it is placed in a part
    only one of them holds (a goto to nowhere inside the dropped copy is a problem whichever is kept)."""
    other, _, _ = careful_parse(path, text, checked=True, keep="last")
    _, theirs = _from_parsed(path, text, other, [], extra_checks)
    mine_lines, their_lines = written_lines(data), written_lines(other)

    def key(d: Diagnostic) -> tuple[str, int | None, int | None, str]:
        return d.code, d.line, d.col, d.path

    mine_keys, their_keys = {key(d) for d in diagnostics}, {key(d) for d in theirs}
    kept = [
        d for d in diagnostics
        if d.code == "SCN005" or d.line is None or key(d) in their_keys or d.line not in their_lines
    ]
    kept += [d for d in theirs if key(d) not in mine_keys and d.line is not None and d.line not in mine_lines]
    return _sorted(kept)


_REHEARSAL_KEYS = {"name", "replies", "expect_ending", "expect_path"}


def _a_list(path: Path, data: list[Any]) -> str:
    """SCN002's problem for a file that holds a list: said to be a rehearsal file when it looks like one
    (entries with `replies:`, `expect_ending:`), with the command that reads it."""
    entries = [e for e in data if isinstance(e, dict)]
    if not entries or not any(_REHEARSAL_KEYS & set(e) for e in entries):
        return "the file holds a list"
    scenario = path.parent.parent / f"{path.stem}.yaml" if path.parent.name == "rehearsals" else None
    named = f"`trainer rehearse --check {scenario}`" if scenario else "`trainer rehearse --check SCENARIO`"
    of = f" for {scenario}" if scenario else ""
    also = f"; validate the scenario itself with `trainer validate {scenario}`" if scenario else ""
    return (f"the file holds a list of rehearsals{of} (scripted `replies:` and the `expect_ending:` they "
            f"reach), not a scenario: {named} plays them (it finds rehearsals/<scenario>.yaml beside the "
            f"scenario){also}")


def _from_parsed(
    path: Path, text: str, data: Any, duplicates: list[Duplicate], extra_checks: Sequence[ExtraCheck] = ()
) -> tuple[LoadedScenario | None, list[Diagnostic]]:
    """The second half of `_load`: the parsed document checked against the schema and the graph checks."""
    if not isinstance(data, dict):
        problem = (
            "the file is empty" if data is None
            else _a_list(path, data) if isinstance(data, list)
            else f"the file holds a single value ({kind_of(data)})"
        )
        line, col = start_of(data) if data is not None else (None, None)
        return None, [dg.make("SCN002", path, line, col, problem=problem)]

    positions = Positions(data)
    diagnostics: list[Diagnostic] = hash_comments(path, text, data, positions)
    if "schema_version" not in data:
        diagnostics.append(dg.make("SCN010", path, 1, 1))
    else:
        version = data["schema_version"]
        if not _is_version(version):
            where = positions.locate(("schema_version",))
            written = scalar_text(textnorm.split_lines(text), where.line, where.col) or str(version)
            diagnostics.append(dg.make("SCN011", path, where.line, where.col, found=written,
                                       supported=SCHEMA_VERSION))
            # A format this version does not know cannot be checked against this schema.
            return None, diagnostics

    if duplicates:
        mapping_paths = paths_of_mappings(data)
        for dup in duplicates:
            loc = (*mapping_paths.get(dup.mapping_id, ()), dup.key)
            diagnostics.append(dg.make("SCN005", path, dup.line, dup.col, path=describe_path(loc),
                                       key=dup.key, first_line=dup.first_line, advice=_advice(loc)))

    values = plain(data)
    values.setdefault("schema_version", SCHEMA_VERSION)  # already reported as SCN010
    try:
        scenario = Scenario.model_validate(values)
    except ValidationError as exc:
        text_lines = textnorm.split_lines(text)
        schema = [schema_diagnostic(path, positions, text_lines, e) for e in exc.errors()]
        # The checks that look at one place run on the rest, so that all errors come in one round.
        errors = [dict(e) for e in exc.errors()]
        diagnostics += schema + checks_despite_errors(path, positions, values, errors, schema)
        return None, _sorted(diagnostics)

    loaded = LoadedScenario(id=path.stem, path=path, scenario=scenario, warnings=[], positions=positions)
    diagnostics.extend(check_scenario(loaded))
    for check in extra_checks:
        diagnostics.extend(check(loaded))
    diagnostics = _sorted(diagnostics)
    if any(d.is_error for d in diagnostics):
        return None, diagnostics
    loaded.warnings = diagnostics
    return loaded, diagnostics


_ENTRY = {"nodes": "node", "cues": "cue", "variables": "variable"}


def _advice(loc: Loc) -> str:
    """What to do about a key written twice at `loc`, in SCN005's words."""
    if len(loc) == 1 and loc[0] in SECTIONS:
        return (f"move what is under this `{loc[0]}:` up under the first and delete this line (until then "
                "both are read as one)")
    if len(loc) == 2 and loc[0] in _ENTRY:
        what = _ENTRY[str(loc[0])]
        return (f"two {what}s cannot share an id: give one of them an id of its own, or delete the one you "
                "do not mean (until then, problems that depend on which one is read are not reported)")
    return ("keep the one you mean and delete the other (until then, problems that depend on which one is "
            "read are not reported)")


def _is_version(value: Any) -> bool:
    """Whether `schema_version` is this version, written as a number or (as pydantic would take it) text."""
    if isinstance(value, bool):
        return False
    if isinstance(value, str):
        return value.strip() == str(SCHEMA_VERSION)
    return isinstance(value, int) and value == SCHEMA_VERSION


def _sorted(diagnostics: list[Diagnostic]) -> list[Diagnostic]:
    return sorted(diagnostics, key=Diagnostic.sort_key)


def load_scenario(path: str | Path, extra_checks: Sequence[ExtraCheck] = ()) -> LoadedScenario:
    """Load and check one scenario file.

    Returns: the scenario, with its warnings.
    Raises: ScenarioInvalid, holding every diagnostic, when the file has any error.
    """
    loaded, diagnostics = _load(Path(path), extra_checks)
    if loaded is None:
        raise ScenarioInvalid(diagnostics)
    return loaded


def discover(paths: Iterable[str | Path]) -> list[Path]:
    """The scenario files in `paths` (files, or folders searched recursively for *.yaml and *.yml,
    skipping folders named `rehearsals` and hidden ones), sorted, without repeats.

    A path that does not exist is kept, so that validating it reports that it is missing.
    """
    found: list[Path] = []
    for entry in map(Path, paths):
        if entry.is_dir():
            for candidate in sorted(entry.rglob("*")):
                relative = candidate.relative_to(entry).parts
                if any(p in SKIPPED_FOLDERS or p.startswith(".") for p in relative[:-1]):
                    continue
                if candidate.suffix in (".yaml", ".yml") and candidate.is_file():
                    found.append(candidate)
        else:
            found.append(entry)
    return sorted(dict.fromkeys(found))


def bundled_ids() -> list[str]:
    """The ids (file name stems) of the bundled scenarios in BUNDLED_DIR, sorted; [] when it is missing."""
    return [p.stem for p in discover([BUNDLED_DIR])] if BUNDLED_DIR.is_dir() else []


_bundled_ids = bundled_ids


def find_scenario(name_or_path: str | Path) -> Path:
    """The file of a scenario given as a path, or as an id ("first-home-visit"): the bundled scenario of
    that id, else NAME.yaml (or .yml) in the current folder.

    Raises: ScenarioNotFound, whose message lists the bundled scenarios and the closest match.
    """
    candidate = Path(name_or_path)
    if candidate.is_file():
        return candidate
    name = str(name_or_path)
    if candidate.name == name:  # a bare name, not a path: a bundled scenario, else NAME.yaml here
        stem = candidate.stem if candidate.suffix in (".yaml", ".yml") else name
        for folder in (BUNDLED_DIR, Path()):
            for suffix in (".yaml", ".yml"):
                found = folder / f"{stem}{suffix}"
                if found.is_file():
                    return found
    ids = _bundled_ids()
    hint = did_you_mean(candidate.stem, ids)
    listing = f"the bundled scenarios are: {', '.join(ids)}" if ids else f"{BUNDLED_DIR} holds no scenarios"
    raise ScenarioNotFound(f"no scenario file or bundled scenario called '{name}'{hint}; {listing}")


def validate_paths(paths: Iterable[str | Path], extra_checks: Sequence[ExtraCheck] = ()) -> list[Diagnostic]:
    """Check every scenario file in `paths` (see `discover`) and return every problem of every file,
    errors and warnings, in file and line order. Never stops at the first problem or the first file.

    `extra_checks` run on each file that loads without errors (e.g. the scorer's cue-pattern check).
    """
    diagnostics: list[Diagnostic] = []
    for path in discover(paths):
        diagnostics.extend(_load(path, extra_checks)[1])
    return diagnostics


def load_all(dir: Path | None = None) -> tuple[list[LoadedScenario], list[Diagnostic]]:  # noqa: A002
    """Every scenario in a folder (by default BUNDLED_DIR), for the app's home screen.

    Returns: the scenarios that loaded (sorted by file; their warnings in `.warnings`), and the diagnostics
    of the files that did not load, so the app can say which files were skipped and why.
    """
    loaded: list[LoadedScenario] = []
    problems: list[Diagnostic] = []
    for path in discover([BUNDLED_DIR if dir is None else dir]):
        scenario, diagnostics = _load(path)
        if scenario is None:
            problems.extend(diagnostics)
        else:
            loaded.append(scenario)
    return loaded, problems
