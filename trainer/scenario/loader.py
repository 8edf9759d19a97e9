"""Loading scenario files: YAML in, a validated `Scenario` out, or diagnostics that point at the text.

The YAML is read into objects that keep the line and column of every key and item: for a plain document,
dicts and lists built from ruamel's C parser (fast); for anything unusual and every document with a
syntax error, ruamel.yaml's pure-Python round-trip loader (careful, about 25 times slower). So every
problem - a YAML slip, a field the schema rejects, a `goto` to a node that does not exist - is reported
at `file:line:col` with a path by ids (`node 'greet' > response 2 > goto`).
Problems are collected, never stopped at the first. Library code raises `ScenarioInvalid`; only the CLI
decides exit codes.

Used by the CLI (`trainer validate`, `trainer graph`, `trainer play`), the app's home screen
(`load_all`), rehearsals and tests. Imports neither textual nor spacy: checks that need the scorer are
passed in as `extra_checks`.
"""

from __future__ import annotations

import difflib
import gc
import os
import re
import types
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any, NamedTuple, Union, cast, get_args, get_origin

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap
from ruamel.yaml.constructor import RoundTripConstructor
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from trainer.scenario import diagnostics as dg
from trainer.scenario.diagnostics import Diagnostic
from trainer.scenario.schema import SCHEMA_VERSION, Condition, Scenario

_C_LOADER: Any
try:  # ruamel.yaml.clib: the C parser. Without it every file takes the pure-Python path.
    from ruamel.yaml.cyaml import CSafeLoader as _C_LOADER
except ImportError:  # pragma: no cover - the clib wheel exists for every supported platform
    _C_LOADER = None

_REPO_ROOT = Path(__file__).resolve().parent.parent.parent

#: Where the bundled scenarios live: the repository's scenarios/ folder, or $TRAINER_SCENARIOS.
BUNDLED_DIR: Path = Path(os.environ.get("TRAINER_SCENARIOS") or _REPO_ROOT / "scenarios")

#: Folders `discover` does not look in: rehearsal files sit beside the scenarios but are not scenarios.
SKIPPED_FOLDERS = frozenset({"rehearsals"})

Loc = tuple[str | int, ...]
"""A place in the data, as pydantic gives it: ("nodes", "greet", "responses", 1, "goto")."""


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


class Location(NamedTuple):
    """Where a path of the data was written: 1-based line and column, and how many components of the path
    were found (fewer than asked means this is the position of the nearest enclosing key)."""

    line: int
    col: int
    found: int


class Positions:
    """Looks up where each key and item of a loaded file was written.

    `locate(("nodes", "greet", "responses", 1, "goto"))` gives the position of that `goto`'s value (or of
    its key, when the value is a mapping or a list). A path that is only partly in the file gives the
    position of the deepest part found, and says how deep that was.
    """

    def __init__(self, root: Any) -> None:
        self._root = root

    def locate(self, loc: Sequence[str | int], key: bool = False) -> Location:
        """The position of `loc`; with `key=True`, the position of its key even when the value is a scalar."""
        node = self._root
        line, col = _start_of(node)
        for depth, part in enumerate(loc):
            if isinstance(node, dict) and _hashable(part) and part in node:
                key_line, key_col = _lc(node).key(part)
                value = node[part]
                last = depth == len(loc) - 1
                # A value left empty has no position of its own worth showing: point at its key.
                scalar = value is not None and not isinstance(value, dict | list)
                if last and not key and scalar:
                    key_line, key_col = _lc(node).value(part)
                line, col, node = key_line + 1, key_col + 1, value
            elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
                item_line, item_col = _lc(node).item(part)
                line, col, node = item_line + 1, item_col + 1, node[part]
            else:
                return Location(line, col, depth)
        return Location(line, col, len(loc))

    def value(self, loc: Sequence[str | int]) -> Any:
        """The raw value written at `loc` (as YAML read it), or None when it is not there."""
        node = self._root
        for part in loc:
            if isinstance(node, dict) and _hashable(part) and part in node:
                node = node[part]
            elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
                node = node[part]
            else:
                return None
        return node


def _lc(node: dict[Any, Any] | list[Any]) -> Any:
    """The position record of a mapping or sequence from either reading path (ruamel's or the fast one)."""
    return cast(Any, node).lc


def _hashable(part: object) -> bool:
    return isinstance(part, str | int)


def _start_of(node: Any) -> tuple[int, int]:
    lc = getattr(node, "lc", None)
    if lc is not None and lc.line is not None:
        return lc.line + 1, lc.col + 1
    return 1, 1


_SINGULAR = {
    "responses": "response",
    "options": "option",
    "variants": "variant",
    "model_answers": "model answer",
    "objectives": "objective",
    "phrases": "phrase",
    "patterns": "pattern",
    "expect": "expect",
}
_BY_ID = {"nodes": "node", "cues": "cue", "variables": "variable"}


def describe_path(loc: Sequence[str | int]) -> str:
    """A path by ids and 1-based numbers, as an author reads it: "node 'greet' > response 2 > goto"."""
    parts: list[str] = []
    i = 0
    while i < len(loc):
        part = loc[i]
        nxt = loc[i + 1] if i + 1 < len(loc) else None
        if part == "[key]":
            i += 1
            continue
        if i == 0 and part in _BY_ID and nxt is not None:  # by id (even an id YAML read as a number)
            parts.append(f"{_BY_ID[part]} '{nxt}'")
            i += 2
            continue
        if isinstance(part, str) and isinstance(nxt, int):
            parts.append(f"{_SINGULAR.get(part, part)} {nxt + 1}")
            i += 2
            continue
        parts.append(str(part))
        i += 1
    return " > ".join(parts)


ExtraCheck = Callable[["LoadedScenario"], list[Diagnostic]]
"""A check from outside this layer (e.g. the scorer's cue-pattern check): given a loaded scenario, its
diagnostics. Use `LoadedScenario.diagnostic()` to place them."""


@dataclass
class LoadedScenario:
    """A scenario file that loaded without errors. `id` is the file's stem."""

    id: str
    path: Path
    scenario: Scenario
    warnings: list[Diagnostic]
    positions: Positions = field(default_factory=lambda: Positions(None), repr=False, compare=False)
    """Where each key and item was written, for checks that report problems (see `diagnostic`)."""

    def diagnostic(
        self, code: str, loc: Sequence[str | int], at_key: bool = False, **fields: object
    ) -> Diagnostic:
        """A diagnostic of `code` placed at `loc` in this file (at its key with `at_key`, else at its value
        when that is a single value), its path described by ids; `fields` fill the code's template."""
        return _placed(self.path, self.positions, code, tuple(loc), at_key=at_key, **fields)


def _placed(
    file: Path, positions: Positions, code: str, loc: Loc, at_key: bool = False, **fields: object
) -> Diagnostic:
    where = positions.locate(loc, key=at_key)
    note = ""
    if where.found < len(loc):
        # Never invent a position: say which enclosing key this position belongs to.
        enclosing = describe_path(loc[: where.found]) or "the start of the file"
        note = f"position of {enclosing}, the nearest key written in the file"
    return dg.make(code, file, where.line, where.col, path=describe_path(loc), note=note, **fields)


# --- reading YAML -----------------------------------------------------------------------------------


class _Duplicate(NamedTuple):
    mapping_id: int
    key: Any
    line: int
    col: int
    first_line: int


class _RecordingConstructor(RoundTripConstructor):
    """Records duplicate keys instead of stopping at the first, keeping the first value of each."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.duplicates: list[_Duplicate] = []

    def check_mapping_key(self, node: Any, key_node: Any, mapping: Any, key: Any, value: Any) -> bool:
        if key in mapping:
            first_at = mapping.lc.key(key) if isinstance(mapping, CommentedMap) else (node.start_mark.line, 0)
            first = first_at[0] + 1
            mark = key_node.start_mark
            self.duplicates.append(_Duplicate(id(mapping), key, mark.line + 1, mark.column + 1, first))
            return False
        return True


def _yaml() -> YAML:
    yaml = YAML(typ="rt")
    yaml.Constructor = _RecordingConstructor
    return yaml


_TAB_INDENT = re.compile(r"^[ ]*\t")


def _tab_lines(text: str) -> list[tuple[int, int]]:
    """(line, col) of every tab in the indentation of a line that holds something other than a comment."""
    found = []
    for number, line in enumerate(text.splitlines(), start=1):
        match = _TAB_INDENT.match(line)
        if match and line.strip() and not line.lstrip().startswith("#"):
            found.append((number, match.end()))
    return found


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
        return raw.decode("utf-8-sig"), []
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        col = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        problem = f"byte 0x{raw[exc.start]:02x} is not UTF-8 text; save the file as UTF-8"
        return None, [dg.make("SCN004", path, line, col, problem=problem)]


_SYNTAX_HINTS = {
    "mapping values are not allowed": "; if the text holds a colon (:), put the whole text in quotes",
    "could not find expected ':'": "; check the line has `key: value`, and that its indentation matches the "
    "lines around it",
    "found undefined alias": "; a * starts an alias in YAML: put text that starts with * in quotes",
    "found character '@' that cannot start": "; put text that starts with @ or ` in quotes",
    "found character '`' that cannot start": "; put text that starts with @ or ` in quotes",
}


class _LineCol:
    """Where a mapping or sequence and its keys, values and items were written (0-based), in the shape of
    ruamel's own LineCol, which `Positions` reads: `key(k)`, `value(k)`, `item(i)`, `line`, `col`."""

    __slots__ = ("line", "col", "data")

    def __init__(self, line: int, col: int) -> None:
        self.line, self.col = line, col
        self.data: dict[Any, tuple[int, ...]] = {}

    def key(self, key: Any) -> tuple[int, int]:
        line, col, _, _ = self.data[key]
        return line, col

    def value(self, key: Any) -> tuple[int, int]:
        _, _, line, col = self.data[key]
        return line, col

    def item(self, index: int) -> tuple[int, int]:
        line, col = self.data[index]
        return line, col


class _Map(dict[Any, Any]):
    """A mapping read by the fast path: a plain dict that knows where its parts were written."""

    __slots__ = ("lc",)
    lc: _LineCol


class _Seq(list[Any]):
    """A sequence read by the fast path: a plain list that knows where its items were written."""

    __slots__ = ("lc",)
    lc: _LineCol


class _Unusual(Exception):
    """The document holds something the fast path leaves to the round-trip loader."""


_TAG = "tag:yaml.org,2002:"


class _FastBuilder:
    """Builds dicts and lists that know where their parts were written (as ruamel's round-trip objects do,
    at a fraction of the cost) from the node tree of ruamel's C parser, resolving and constructing scalars
    exactly as the round-trip loader does.

    Anything beyond plain mappings, sequences and scalars - aliases, merge keys, explicit tags, directives,
    duplicate keys - raises `_Unusual`, and the caller reads the document the slow, careful way instead, so
    both paths give identical results (a test checks this on every fixture).
    """

    def __init__(self) -> None:
        yaml = YAML(typ="rt")
        # The round-trip loader's YAML 1.2 table of implicit types (first character -> [(tag, regexp)]),
        # looked up once: asking the resolver for it per scalar costs more than the whole parse.
        self._implicit: dict[Any, list[tuple[str, Any]]] = yaml.resolver.versioned_resolver
        self._constructor = yaml.constructor
        # Plain scalars repeat (every `say:`, `goto:`, `trust`...): their values are immutable, so each
        # distinct one is resolved once.
        self._plain: dict[str, Any] = {}
        self._seen: set[int] = set()

    def _resolve(self, value: str) -> str:
        """The tag a plain scalar gets, as `VersionedResolver.resolve` gives it."""
        for tag, regexp in [*self._implicit.get(value[:1], ()), *self._implicit.get(None, ())]:
            if regexp.match(value):
                return str(tag)
        return _TAG + "str"

    def _scalar(self, node: ScalarNode) -> Any:
        if node.style:  # quoted or block text: always a string (plain is "" from the C parser)
            return node.value
        text = node.value
        try:
            return self._plain[text]
        except KeyError:
            pass
        tag = self._resolve(text)
        value: Any
        if tag == _TAG + "str":
            value = text
        elif tag == _TAG + "null":
            value = None
        elif tag == _TAG + "bool":
            value = bool(self._constructor.construct_yaml_bool(node))
        elif tag == _TAG + "int":
            value = int(self._constructor.construct_yaml_int(node))
        elif tag == _TAG + "float":
            value = float(self._constructor.construct_yaml_float(node))
        else:
            raise _Unusual  # timestamps and the like
        self._plain[text] = value
        return value

    def build(self, node: Node) -> Any:
        # Scalars are handled inline by the loops below (most of a document); this is called for the
        # root and for every mapping and sequence. An alias to a collection is the same node twice (an
        # alias needs an anchor, which `_fast_parse` already declines, so this is a second guard).
        if id(node) in self._seen:
            raise _Unusual
        self._seen.add(id(node))
        line, col = node.start_mark.line, node.start_mark.column
        if isinstance(node, MappingNode):
            mapping = _Map()
            mapping.lc = positions = _LineCol(line, col)
            for key_node, value_node in node.value:
                if type(key_node) is not ScalarNode or (not key_node.style and key_node.value == "<<"):
                    raise _Unusual  # a complex key or a merge key
                key = self._scalar(key_node)
                if not isinstance(key, str | int) or key in mapping:
                    raise _Unusual
                mapping[key] = (
                    self._scalar(value_node) if type(value_node) is ScalarNode else self.build(value_node)
                )
                key_mark, value_mark = key_node.start_mark, value_node.start_mark
                positions.data[key] = (key_mark.line, key_mark.column, value_mark.line, value_mark.column)
            return mapping
        if isinstance(node, SequenceNode):
            seq = _Seq()
            seq.lc = items = _LineCol(line, col)
            for index, item in enumerate(node.value):
                seq.append(self._scalar(item) if type(item) is ScalarNode else self.build(item))
                mark = item.start_mark
                items.data[index] = (mark.line, mark.column)
            return seq
        if isinstance(node, ScalarNode):
            return self._scalar(node)
        raise _Unusual


#: A directive, a tag or an anchor starting a token (not "Hello!" or "you & me" in a line of dialogue).
_SPECIAL_SYNTAX = re.compile(r"^%|(?:^|[\s\[{,])(?:!|&\S)", re.MULTILINE)


def _fast_parse(text: str) -> Any:
    """The document as round-trip objects via the C parser, or `_Unusual` when it needs the full loader."""
    # Directives, tags and anchors are rare in scenarios; the round-trip loader handles them exactly.
    if _C_LOADER is None or "\t" in text or _SPECIAL_SYNTAX.search(text):
        raise _Unusual
    loader = _C_LOADER(text)
    try:
        node = loader.get_single_node()
    except Exception as exc:  # any parser complaint: let the round-trip loader word it
        raise _Unusual from exc
    finally:
        loader.dispose()
    if node is None:
        raise _Unusual
    try:
        return _FastBuilder().build(node)
    except (ValueError, TypeError, ArithmeticError, RecursionError) as exc:
        raise _Unusual from exc


def _parse(path: Path, text: str) -> tuple[Any, list[_Duplicate], list[Diagnostic]]:
    """The document as ruamel's round-trip objects, its duplicate keys, and syntax diagnostics."""
    try:
        return _fast_parse(text), [], []
    except _Unusual:
        pass
    yaml = _yaml()
    try:
        data = yaml.load(text)
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        tabs = _tab_lines(text)
        if tabs and (line is None or tabs[0][0] <= line):
            # The parser's complaint about a tab is cryptic ("found character '\t' that cannot start any
            # token"): say what is wrong instead.
            others = len(tabs) - 1
            more = f" (and on {others} more line{'s' if others > 1 else ''})" if others else ""
            return None, [], [dg.make("SCN003", path, tabs[0][0], tabs[0][1], more=more)]
        problem = " ".join(p for p in (exc.problem, f"({exc.context})" if exc.context else None) if p)
        problem += next((hint for start, hint in _SYNTAX_HINTS.items() if problem.startswith(start)), "")
        col = mark.column + 1 if mark is not None else None
        return None, [], [dg.make("SCN001", path, line, col, problem=problem or str(exc))]
    except YAMLError as exc:
        return None, [], [dg.make("SCN001", path, problem=str(exc).strip().splitlines()[0])]
    except RecursionError:
        return None, [], [dg.make("SCN001", path, problem="it is nested too deeply to read")]
    except (ValueError, TypeError, ArithmeticError) as exc:
        # ruamel's constructors raise plain errors for some malformed values, e.g. `!!int title`.
        return None, [], [dg.make("SCN001", path, problem=f"a value cannot be read ({exc})")]
    constructor = yaml.constructor
    duplicates = constructor.duplicates if isinstance(constructor, _RecordingConstructor) else []
    return data, duplicates, []


_PLAIN_SCALARS = (str, int, float, bool, type(None))


def _plain(value: Any) -> Any:
    """ruamel's round-trip objects as plain dicts, lists, str, int and float, for the models."""
    if type(value) in _PLAIN_SCALARS:  # the common case first: this runs on every value of the file
        return value
    if isinstance(value, dict):
        return {_plain(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, str):
        return str(value)
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        return float(value)
    return value


def _paths_of_mappings(root: Any) -> dict[int, Loc]:
    """id() of every mapping in the document -> its path, to place duplicate keys."""
    found: dict[int, Loc] = {}
    stack: list[tuple[Any, Loc]] = [(root, ())]
    while stack:
        node, loc = stack.pop()
        if isinstance(node, dict):
            found[id(node)] = loc
            stack.extend((v, (*loc, k)) for k, v in node.items() if _hashable(k))
        elif isinstance(node, list):
            stack.extend((v, (*loc, i)) for i, v in enumerate(node))
    return found


# --- schema errors -----------------------------------------------------------------------------------


def _unwrap(annotation: Any) -> list[Any]:
    """The candidate types of an annotation: Optional/Union split, Annotated stripped."""
    origin = get_origin(annotation)
    if origin is Union or origin is types.UnionType:
        return [t for arg in get_args(annotation) for t in _unwrap(arg) if t is not type(None)]
    if origin is Annotated:
        return _unwrap(get_args(annotation)[0])
    return [annotation]


def _field_by_alias(model: type[BaseModel], name: str) -> Any:
    for field_name, info in model.model_fields.items():
        if (info.alias or field_name) == name:
            return info
    return None


def _type_at(loc: Loc) -> Any:
    """The schema type expected at `loc` (a model class, list[...], ...), or None when unknown."""
    current: Any = Scenario
    for part in loc:
        if part == "[key]":
            return None
        step = None
        for candidate in _unwrap(current):
            origin = get_origin(candidate)
            if isinstance(candidate, type) and issubclass(candidate, BaseModel) and isinstance(part, str):
                info = _field_by_alias(candidate, part)
                if info is not None:
                    step = info.annotation
            elif origin is dict:
                step = get_args(candidate)[1]
            elif origin is list and isinstance(part, int):
                step = get_args(candidate)[0]
            if step is not None:
                break
        if step is None:
            return None
        current = step
    return current


def _model_at(loc: Loc) -> type[BaseModel] | None:
    for candidate in _unwrap(_type_at(loc)):
        if isinstance(candidate, type) and issubclass(candidate, BaseModel):
            return candidate
    return None


def _aliases(model: type[BaseModel]) -> list[str]:
    return [info.alias or name for name, info in model.model_fields.items()]


def did_you_mean(name: str, known: Iterable[str]) -> str:
    """A hint to add to a message, " (did you mean 'x'?)", when `name` is close to one of `known`; else ""."""
    matches = difflib.get_close_matches(str(name), list(known), n=1, cutoff=0.6)
    return f" (did you mean '{matches[0]}'?)" if matches else ""


def _kind(value: Any) -> str:
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return f"{str(value).lower()} (yes/no)"
    if isinstance(value, int | float):
        return f"the number {value}"
    return f"'{value}'"


_EXPECTED = {
    "dict_type": "a mapping (`key: value` lines)",
    "model_type": "a mapping (`key: value` lines)",
    "model_attributes_type": "a mapping (`key: value` lines)",
    "list_type": "a list (`- item` lines, or [a, b])",
    "int_type": "a whole number",
    "int_parsing": "a whole number",
    "int_from_float": "a whole number",
    "float_type": "a number",
    "float_parsing": "a number",
    "bool_type": "true or false",
    "bool_parsing": "true or false",
    "string_type": "text",
}


def _scalar_text(text_lines: list[str], line: int, col: int) -> str | None:
    """The scalar as the author wrote it at (line, col), to quote it back."""
    if not 1 <= line <= len(text_lines):
        return None
    # Up to a comma, bracket, comment, or a colon that ends a key ("10:30" stays whole).
    match = re.match(r"(?:[^,\]\}#\n:]|:(?=\S))*", text_lines[line - 1][col - 1 :])
    written = match.group(0).strip() if match else ""
    return written or None


#: Fields whose value is an id (keys of nodes, cues, variables and effects are ids too).
_ID_FIELDS = frozenset({"goto", "cue", "var", "start"})


def _schema_diagnostic(
    file: Path, positions: Positions, text_lines: list[str], err: ErrorDetails
) -> Diagnostic:
    loc: Loc = tuple(err["loc"])
    kind = err["type"]
    value = err.get("input")
    ctx = err.get("ctx") or {}
    # A problem with a mapping's key (pydantic's "[key]") is placed at that key.
    on_key = bool(loc) and loc[-1] == "[key]"
    if on_key:
        loc = loc[:-1]
    if kind == "missing":
        parent = _model_at(loc[:-1])
        info = _field_by_alias(parent, str(loc[-1])) if parent else None
        doc = (info.description or "").split("\n\n")[0].replace("\n", " ") if info else ""
        where = positions.locate(loc[:-1], key=True)
        return dg.make("SCN021", file, where.line, where.col, path=describe_path(loc[:-1]),
                       key=loc[-1], doc=doc or "this field is required")
    if kind == "extra_forbidden":
        parent = _model_at(loc[:-1])
        allowed = _aliases(parent) if parent else []
        hint = did_you_mean(str(loc[-1]), allowed)
        return _placed(file, positions, "SCN020", loc, at_key=True, key=loc[-1], suggestion=hint,
                       allowed=", ".join(allowed) or "nothing")
    if kind == "string_pattern_mismatch":
        return _placed(file, positions, "SCN023", loc, at_key=on_key, value=value)
    if kind == "value_error" and _model_at(loc) is Condition:
        return _placed(file, positions, "SCN024", loc, at_key=True, problem=str(ctx.get("error", err["msg"])))
    if kind == "value_error":
        return _placed(file, positions, "SCN022", loc, at_key=True, problem=str(ctx.get("error", err["msg"])))
    if kind == "string_type" and (isinstance(value, bool | int | float)):
        where = positions.locate(loc, key=on_key)
        written = _scalar_text(text_lines, where.line, where.col) if where.found == len(loc) else None
        if written is not None and (on_key or loc[-1] in _ID_FIELDS):
            # Quoting would not help: a number is not a valid id either.
            return _placed(file, positions, "SCN023", loc, at_key=on_key, value=written)
        if written is not None:
            read_as = str(value).lower() if isinstance(value, bool) else f"the number {value}"
            return _placed(file, positions, "SCN012", loc, at_key=on_key, text=written, read_as=read_as)
    if kind == "enum":
        allowed = [a.strip(" '") for a in re.split(r",| or ", str(ctx.get("expected", ""))) if a.strip(" '")]
        problem = f"'{value}' is not allowed here; write one of: {', '.join(allowed)}"
        problem += did_you_mean(str(value), allowed)
        return _placed(file, positions, "SCN022", loc, problem=problem)
    if kind in ("too_short", "string_too_short") and not value:
        problem = "this is empty: write something here"
        return _placed(file, positions, "SCN022", loc, at_key=True, problem=problem)
    if kind in _EXPECTED:
        problem = f"expected {_EXPECTED[kind]} here, but found {_kind(value)}"
        return _placed(file, positions, "SCN022", loc, at_key=on_key, problem=problem)
    problem = f"{err['msg']} (found {_kind(value)})"
    return _placed(file, positions, "SCN022", loc, at_key=on_key, problem=problem)


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
    data, duplicates, problems = _parse(path, text)
    if problems:
        return None, problems
    return _from_parsed(path, text, data, duplicates, extra_checks)


def _from_parsed(
    path: Path, text: str, data: Any, duplicates: list[_Duplicate], extra_checks: Sequence[ExtraCheck] = ()
) -> tuple[LoadedScenario | None, list[Diagnostic]]:
    """The second half of `_load`: the parsed document checked against the schema and the graph checks."""
    if not isinstance(data, dict):
        problem = (
            "the file is empty" if data is None
            else "the file holds a list" if isinstance(data, list)
            else f"the file holds a single value ({_kind(data)})"
        )
        line, col = _start_of(data) if data is not None else (None, None)
        return None, [dg.make("SCN002", path, line, col, problem=problem)]

    positions = Positions(data)
    diagnostics: list[Diagnostic] = []
    if "schema_version" not in data:
        diagnostics.append(dg.make("SCN010", path, 1, 1))
    else:
        version = data["schema_version"]
        if not _is_version(version):
            where = positions.locate(("schema_version",))
            written = _scalar_text(text.splitlines(), where.line, where.col) or str(version)
            diagnostics.append(dg.make("SCN011", path, where.line, where.col, found=written,
                                       supported=SCHEMA_VERSION))
            # A format this version does not know cannot be checked against this schema.
            return None, diagnostics

    if duplicates:
        mapping_paths = _paths_of_mappings(data)
        for dup in duplicates:
            loc = (*mapping_paths.get(dup.mapping_id, ()), dup.key)
            diagnostics.append(dg.make("SCN005", path, dup.line, dup.col, path=describe_path(loc),
                                       key=dup.key, first_line=dup.first_line))

    plain = _plain(data)
    plain.setdefault("schema_version", SCHEMA_VERSION)  # already reported as SCN010
    try:
        scenario = Scenario.model_validate(plain)
    except ValidationError as exc:
        text_lines = text.splitlines()
        diagnostics.extend(_schema_diagnostic(path, positions, text_lines, e) for e in exc.errors())
        return None, _sorted(diagnostics)

    loaded = LoadedScenario(id=path.stem, path=path, scenario=scenario, warnings=[], positions=positions)
    from trainer.scenario.checks import check_scenario  # checks builds on this module's helpers

    diagnostics.extend(check_scenario(loaded))
    for check in extra_checks:
        diagnostics.extend(check(loaded))
    diagnostics = _sorted(diagnostics)
    if any(d.is_error for d in diagnostics):
        return None, diagnostics
    loaded.warnings = diagnostics
    return loaded, diagnostics


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


def _bundled_ids() -> list[str]:
    return [p.stem for p in discover([BUNDLED_DIR])] if BUNDLED_DIR.is_dir() else []


def find_scenario(name_or_path: str | Path) -> Path:
    """The file of a scenario given as a path, or as the id of a bundled scenario ("first-home-visit").

    Raises: ScenarioNotFound, whose message lists the bundled scenarios and the closest match.
    """
    candidate = Path(name_or_path)
    if candidate.is_file():
        return candidate
    name = str(name_or_path)
    if candidate.name == name:  # a bare name, not a path: look among the bundled scenarios
        stem = candidate.stem if candidate.suffix in (".yaml", ".yml") else name
        for suffix in (".yaml", ".yml"):
            bundled = BUNDLED_DIR / f"{stem}{suffix}"
            if bundled.is_file():
                return bundled
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
