"""The careful reading path: ruamel.yaml's pure-Python round-trip loader, for documents the fast path
(yaml_fast) declines - anchors and aliases, tags, duplicate keys, timestamps - and for every document with
a syntax error, which it words as an `SCN001`-`SCN003` diagnostic with a hint in the author's terms.

Before ruamel composes a document its event stream is checked against the bounds of yaml_limits (depth,
aliases, size), so no document can exhaust recursion or memory here. Also: `plain` (round-trip objects as
plain dicts and lists for the models), `paths_of_mappings` (to place duplicate keys) and `written_lines`.

A key written twice in one mapping is recorded (`Duplicate`, reported by the loader as SCN005) and the
document is read on: a section of entries by id written twice (`SECTIONS`: a second `nodes:` further down)
is read as one, the entries of both; any other value written twice is read as the first one written, or
with `keep="last"` as the last, so the loader can tell which of the other problems depend on which one is
read (a goto into a dropped block, a node reachable only from the dropped copy) and leave them out.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, NamedTuple

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap
from ruamel.yaml.constructor import RoundTripConstructor
from ruamel.yaml.error import MarkedYAMLError, YAMLError

from trainer import textnorm
from trainer.scenario import diagnostics as dg
from trainer.scenario.diagnostics import Diagnostic
from trainer.scenario.loaded import Loc, hashable, short_path, start_of
from trainer.scenario.yaml_limits import MAX_DEPTH, TooComplex, check_events


class Duplicate(NamedTuple):
    """A key written a second time in one mapping: the mapping's id(), the key, where (1-based) it was
    written again, and the line of its first writing. `merged`: a section of entries (`SECTIONS`) whose
    entries are read as one; else a value of which one is read (the first, or with keep="last" the last)."""

    mapping_id: int
    key: Any
    line: int
    col: int
    first_line: int
    merged: bool = False


SECTIONS = frozenset({"nodes", "cues", "variables"})
"""The top-level mappings of entries by id: written twice, their entries are read as one mapping (an author
who starts a second `nodes:` further down means more nodes, not instead of the first ones)."""


class RecordingConstructor(RoundTripConstructor):
    """Records duplicate keys instead of stopping at the first: a section of entries written twice is read
    as one (`merge_sections`, once the document is built), any other value as its first writing, or its
    last when `keep` is "last"."""

    keep = "first"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.duplicates: list[Duplicate] = []
        self.failed_at: tuple[int, int] | None = None
        """Where (0-based line, column) the value being built was written, when building it failed."""
        self._root: Any = None
        self._sections: list[tuple[Any, Any]] = []

    def construct_document(self, node: Any) -> Any:
        self._root = node
        return super().construct_document(node)

    def construct_non_recursive_object(self, node: Any, tag: Any = None) -> Any:
        try:
            return super().construct_non_recursive_object(node, tag)
        except Exception:
            if self.failed_at is None:  # the innermost value: the one that could not be read
                self.failed_at = (node.start_mark.line, node.start_mark.column)
            raise

    def check_mapping_key(self, node: Any, key_node: Any, mapping: Any, key: Any, value: Any) -> bool:
        if key in mapping:
            first_at = mapping.lc.key(key) if isinstance(mapping, CommentedMap) else (node.start_mark.line, 0)
            first = first_at[0] + 1
            mark = key_node.start_mark
            # (a mapping's entries are built after this check: the two sections are merged when all are)
            merged = (node is self._root and key in SECTIONS and isinstance(mapping[key], CommentedMap)
                      and isinstance(value, CommentedMap))
            self.duplicates.append(Duplicate(id(mapping), key, mark.line + 1, mark.column + 1, first, merged))
            if merged:
                self._sections.append((mapping[key], value))
                return False
            return self.keep == "last"  # ruamel then writes the later value, and its position, over the first
        return True

    def merge_sections(self) -> None:
        """Read each section written twice as one: the entries of the later one are added to the first's;
        an entry in both is a duplicate of its own, read as the first (or with keep="last", the last)."""
        for first, later in self._sections:
            for key in later:
                if key in first:
                    at, first_at = later.lc.key(key), first.lc.key(key)
                    self.duplicates.append(Duplicate(id(first), key, at[0] + 1, at[1] + 1, first_at[0] + 1))
                    if self.keep != "last":
                        continue
                first[key] = later[key]
                first.lc.data[key] = later.lc.data[key]


class KeepingLast(RecordingConstructor):
    """`RecordingConstructor` reading the last writing of a value written twice."""

    keep = "last"


def yaml(keep: str = "first") -> YAML:
    """ruamel's round-trip loader, recording duplicate keys (`RecordingConstructor`; `keep`: which writing
    of a value written twice is read)."""
    yaml = YAML(typ="rt")
    yaml.Constructor = KeepingLast if keep == "last" else RecordingConstructor
    return yaml


_TAB_INDENT = re.compile(r"^[ ]*\t")


def tab_lines(text: str) -> list[tuple[int, int]]:
    """(line, col) of every tab in the indentation of a line that holds something other than a comment."""
    found = []
    for number, line in enumerate(textnorm.split_lines(text), start=1):
        match = _TAB_INDENT.match(line)
        if match and line.strip() and not line.lstrip().startswith("#"):
            found.append((number, match.end()))
    return found


_KEY_OR_ITEM = re.compile(r"-\s|[^\s:#][^:]*:(\s|$)")


def nbsp_indent(lines: list[str], line: int | None) -> tuple[int, int] | None:
    """(line, col) of the first U+00A0 in the indentation of a line up to one after `line` (a parser error
    is often reported on the line after the one out of place), or None."""
    last = len(lines) if line is None else min(line + 1, len(lines))
    for number in range(1, last + 1):
        text = lines[number - 1]
        rest = text.lstrip(" \t\u00a0")
        indent = text[: len(text) - len(rest)]
        if "\u00a0" in indent and _KEY_OR_ITEM.match(rest):  # not text going on in a block of text
            return number, indent.index("\u00a0") + 1
    return None


def too_complex(path: Path, exc: TooComplex) -> Diagnostic:
    """The diagnostic for a document past a bound of yaml_limits: where, by a short path, and what to do."""
    where = short_path(exc.loc)
    if exc.kind == "depth":
        return dg.make("SCN007", path, exc.line + 1, exc.col + 1, path=where, limit=MAX_DEPTH)
    return dg.make("SCN006", path, exc.line + 1, exc.col + 1, path=where, problem=exc.detail)


def careful_parse(
    path: Path, text: str, checked: bool = False, keep: str = "first"
) -> tuple[Any, list[Duplicate], list[Diagnostic]]:
    """The document as ruamel's round-trip objects, its duplicate keys, and syntax diagnostics.

    `checked`: the bounds of yaml_limits were already checked on the whole document (by the fast path);
    if not, they are checked here on ruamel's own event stream first. `keep`: which writing of a value
    written twice is read, "first" or "last" (sections of entries written twice are read as one).
    """
    yaml_ = yaml(keep)
    try:
        if not checked:
            check_events(yaml().parse(text))
        data = yaml_.load(text)
    except TooComplex as exc:
        return None, [], [too_complex(path, exc)]
    except MarkedYAMLError as exc:
        return None, [], [syntax_diagnostic(path, text, exc)]
    except YAMLError as exc:
        return None, [], [dg.make("SCN001", path, problem=str(exc).strip().splitlines()[0])]
    except RecursionError:  # pragma: no cover - the depth bound comes first
        return None, [], [dg.make("SCN007", path, limit=MAX_DEPTH)]
    except (ValueError, TypeError, ArithmeticError, LookupError, AttributeError) as exc:
        # ruamel's constructors raise plain errors for some malformed values, e.g. `!!int title`.
        constructor = yaml_.constructor
        at = constructor.failed_at if isinstance(constructor, RecordingConstructor) else None
        line, col = (at[0] + 1, at[1] + 1) if at else (None, None)
        return None, [], [dg.make("SCN001", path, line, col, problem=f"a value cannot be read ({exc}); write "
                                  "it as plain text or a plain number, without a `!!` tag")]
    constructor = yaml_.constructor
    if not isinstance(constructor, RecordingConstructor):  # pragma: no cover - `yaml` sets it
        return data, [], []
    constructor.merge_sections()
    return data, constructor.duplicates, []


def syntax_diagnostic(path: Path, text: str, exc: MarkedYAMLError) -> Diagnostic:
    """SCN003 for a tab in the indentation, else SCN001 with the parser's problem and what to do."""
    mark = exc.problem_mark or exc.context_mark
    line = mark.line + 1 if mark is not None else None
    tabs = tab_lines(text)
    if tabs and (line is None or tabs[0][0] <= line):
        # The parser's complaint about a tab is cryptic ("found character '\t' that cannot start any
        # token"): say what is wrong instead.
        others = len(tabs) - 1
        more = f" (and on {others} more line{'s' if others > 1 else ''})" if others else ""
        return dg.make("SCN003", path, tabs[0][0], tabs[0][1], more=more)
    lines = textnorm.split_lines(text)
    spaces = nbsp_indent(lines, line)
    if spaces is not None:
        # YAML counts only ordinary spaces as indentation: a line indented with U+00A0 (pasted from Word or
        # a web page) looks right and is misread, and the parser names the line after it.
        return dg.make("SCN001", path, spaces[0], spaces[1], problem=(
            f"line {spaces[0]} starts with non-breaking spaces (U+00A0, pasted from Word or a web page), "
            "which look like spaces but YAML does not count as indentation: delete them and type "
            "ordinary spaces"))
    problem = " ".join(p for p in (exc.problem, f"({exc.context})" if exc.context else None) if p)
    written = lines[line - 1] if line is not None and 0 < line <= len(lines) else ""
    odd = _odd_line_above(lines, line)
    if odd is not None:
        # The line the parser stops at lines up with those after it: the one above started a column of
        # its own (`say:` indented 5 spaces where its siblings use 4). Name that line.
        odd_line, odd_indent, indent = odd
        return dg.make("SCN001", path, odd_line, odd_indent + 1, problem=(
            f"line {odd_line} is indented by {odd_indent} spaces where the lines after it that belong with "
            f"it use {indent} (line {line}); keys of one mapping start in the same column: indent line "
            f"{odd_line} by {indent} spaces"))
    problem = _in_authors_words(problem or str(exc), written, lines, line)
    opened = exc.context_mark
    if "flow sequence" in problem or "flow mapping" in problem:
        what, bracket = ("a list", "[") if "sequence" in problem else ("a mapping", "{")
        at = f"on line {opened.line + 1} " if opened is not None else ""
        problem = (f"the {bracket} {at}opens {what} that YAML cannot read to its end ({exc.problem}); if it "
                   "starts text, put the whole text in quotes; if it is a list or mapping, close it and "
                   "separate its items with commas")
    elif not _ADVICE.search(problem):
        problem += ("; check this line and the one above it: text that holds : # [ { \" ' * & ! | > @ or ` "
                    "goes in quotes, and each line is `key: value` or `- item`")
    col = mark.column + 1 if mark is not None else None
    return dg.make("SCN001", path, line, col, problem=problem)


_SYNTAX_HINTS = {
    "found undefined alias": "; a * starts an alias in YAML: put text that starts with * in quotes",
    "found character '@' that cannot start": "; put text that starts with @ or ` in quotes",
    "found character '`' that cannot start": "; put text that starts with @ or ` in quotes",
    "found unknown escape character": "; in double quotes a backslash starts an escape such as \\n: write "
    "\\\\ for a backslash, or use single quotes",
}
# `key: value` or `- value` at the start of a line: where the value starts.
_VALUE_START = re.compile(r"^\s*(?:-\s+)*(?:[^\s#'\"\[{][^#]*?:\s+)?")
_ADVICE = re.compile(r"put |line it up|indent|write |quote|delete|check |remove|rename|use ")
_CLOSE = {"[": "]", "{": "}", '"': '"', "'": "'"}
# Curly quotes (Word's autocorrect), which YAML reads as ordinary characters, and their straight kin.
_CURLY = {"\u201c": '"', "\u201d": '"', "\u201e": '"', "\u2018": "'", "\u2019": "'", "\u00ab": '"',
          "\u00bb": '"'}


def _goes_on_after(value: str, after_key: bool = False) -> bool:
    """Whether a value that starts with [, {, " or ' has more text after its closing mark on the line.

    A comma after it is taken as the next item of a list or mapping written across lines, unless the
    value follows `key:` on its line (`say: {learner}, what now?`), where a comma can only be text."""
    opener, closer = value[0], _CLOSE[value[0]]
    depth = 0
    for index, char in enumerate(value):
        if opener in "[{":
            depth += (char == opener) - (char == closer)
            done = depth == 0
        else:
            done = index > 0 and char == closer and value[index - 1] != "\\"
        if done:
            rest = value[index + 1 :].strip()
            if after_key and rest.startswith(","):
                return bool(rest[1:].strip()) and not rest[1:].strip().startswith("#")
            return bool(rest) and not rest.startswith("#") and not rest.startswith(",")
    return False


def _in_authors_words(problem: str, written: str, lines: list[str], line: int | None) -> str:
    """The parser's problem, said as an author can act on it, for the common slips of the tutorial."""
    start = _VALUE_START.match(written)
    value = written[start.end() :] if start else ""
    if value[:1] in _CURLY and ("mapping values" in problem or ": " in value):
        inner = value.strip()
        if len(inner) > 1 and inner[-1] in _CURLY:  # wrapped in curly quotes: straight ones instead
            inner = inner[1:-1]
        # (curly quotes inside the straight ones are text, shown as typed)
        straight = '"' + inner.replace("\\", "\\\\").replace('"', '\\"') + '"'
        return (f"the text starts with a curly quote {value[0]} (as word processors type them), which YAML "
                "does not read as a quote mark, so the colon and space (: ) inside reads as a new key: use "
                f"straight quotes: {straight}")
    after_key = start is not None and ":" in written[: start.end()]
    if value[:1] in _CLOSE and _goes_on_after(value, after_key):
        if value[0] in "[{":
            what = "a list" if value[0] == "[" else "a mapping"
            close, quoted = _CLOSE[value[0]], value.strip()
            return (f"text that starts with {value[0]} is read as {what} in YAML, and this line goes on "
                    f"after its closing {close}; put the whole text in quotes: \"{quoted}\"")
        other = "'" if value[0] == '"' else '"'
        return (f"text that starts with a quote mark ends at the closing {value[0]}, and this line goes on "
                f"after it; put the whole text in the other kind of quotes: {other}{value.strip()}{other}")
    if "'?'" in problem:
        # '?' is YAML's token for "a key starts here", which the author never typed: say where the key is.
        hint = _key_among_items(lines, line)
        if hint:
            return hint
        problem = problem.replace("found '?'", "found a key (`name:`) where none can start")
    layout = ("mapping values are not allowed", "expected <block end>", "could not find expected ':'",
              "expected <block mapping start>", "did not find expected key")
    if any(start in problem for start in layout):
        hint = _layout_hint(lines, line)
        if hint:
            return hint
        if problem.startswith("mapping values are not allowed"):
            return (problem + "; the text holds a colon and a space (: ), which YAML reads as a new key: "
                    "put the whole text in quotes")
        return (f"{problem}: check that this line is `key: value` or `- item`, and lined up with the keys "
                "around it (two spaces in from its parent)")
    return problem + next((hint for start, hint in _SYNTAX_HINTS.items() if problem.startswith(start)), "")


def _indent(text: str) -> int:
    return len(text) - len(text.lstrip(" "))


def _odd_line_above(lines: list[str], line: int | None) -> tuple[int, int, int] | None:
    """When `line` (1-based) is indented less than the line above but more than that line's parent, and
    the lines after it keep its indentation, the line that opened the odd column above: (its number, its
    indentation, the indentation of `line`). Else None."""
    if line is None or not 0 < line <= len(lines):
        return None

    def content(number: int) -> bool:
        text = lines[number - 1]
        return bool(text.strip()) and not text.lstrip().startswith("#")

    indent = _indent(lines[line - 1])
    above = [n for n in range(1, line) if content(n)]
    if not above or _indent(lines[above[-1] - 1]) <= indent:
        return None
    odd_indent = _indent(lines[above[-1] - 1])
    first = above[-1]
    for number in reversed(above[:-1]):  # back to the parent: the first line of the odd column
        column = _indent(lines[number - 1])
        if column < indent:
            break
        if column == indent:
            return None  # a sibling in this line's column above: the column is not new
        if column == odd_indent:
            first = number
    after = [_indent(lines[n - 1]) for n in range(line + 1, len(lines) + 1) if content(n)]
    siblings = 0
    for column in after:
        if column < indent:
            break
        siblings += column == indent
    return (first, odd_indent, indent) if siblings else None


def _key_among_items(lines: list[str], line: int | None) -> str | None:
    """A `key:` at `line` (1-based) in the column of the `- ` of a list above it: YAML reads it as part of
    the list, where only `- ` items go ("expected <block end>, but found '?'"). Where it can go instead:
    back in line with the key that holds the list, or in with the item's own keys. None when it is not
    that."""
    if line is None or not 0 < line <= len(lines):
        return None

    def code(number: int) -> str:  # the line without its comment
        return re.sub(r"(^|\s)#.*$", "", lines[number - 1]).rstrip()

    indent, key = _indent(lines[line - 1]), code(line).strip().split(":", 1)[0].strip()
    above = [n for n in range(line - 1, 0, -1) if code(n).strip() and _indent(lines[n - 1]) <= indent]
    if not above or _indent(lines[above[0] - 1]) != indent or not code(above[0]).lstrip().startswith("-"):
        return None
    dash = above[0]
    item = code(dash)[indent + 1 :]
    inside = indent + 1 + len(item) - len(item.lstrip(" "))  # where the item's own keys start
    first = item.strip().split(":", 1)[0].strip()
    holder = next((n for n in above if _indent(lines[n - 1]) < indent), None)
    fixes = []
    if holder is not None and code(holder).endswith(":"):
        spaces = _indent(lines[holder - 1])
        fixes.append(f"if it belongs with `{code(holder).strip()}` (line {holder}), indent it by {spaces} "
                     f"space{'s' if spaces != 1 else ''}, as that line is")
    if ":" in item:
        fixes.append(f"if it belongs to the item on line {dash}, indent it by {inside} spaces, in line with "
                     f"`{first}:`")
    fixes.append(f"if it is a new item of the list, start it with `- ` (`- {key}: ...`)")
    fix = "; ".join(fixes)
    return (f"line {line} (`{key}:`) is indented by {indent} space{'s' if indent != 1 else ''}, the column "
            f"of the `- ` items of the list above it (line {dash}), so YAML reads it as part of that list, "
            f"where only `- ` items can go. {fix[:1].upper()}{fix[1:]}")


def _layout_hint(lines: list[str], line: int | None) -> str | None:
    """What is wrong with the indentation at `line` (1-based), said plainly, or None when it lines up."""
    if line is None or not 0 < line <= len(lines):
        return None
    above_number, above = 0, ""
    open_columns: list[int] = []  # the columns of the keys that lines below may still belong to
    for number in range(1, line):
        text = lines[number - 1]
        if not text.strip() or text.lstrip().startswith("#"):
            continue
        while open_columns and open_columns[-1] >= _indent(text):
            open_columns.pop()
        open_columns.append(_indent(text))
        above_number, above = number, text
    if not above:
        return None
    indent, written = _indent(lines[line - 1]), lines[line - 1]
    spaces = f"{indent} space{'s' if indent != 1 else ''}"
    if ":" not in above and not above.lstrip().startswith("-"):
        return (f"line {above_number} is not `key: value`: if it goes on with the text above it, indent it "
                "by more than that text's key, or put the text on one line")
    has_value = not above.rstrip().endswith(":") and not above.lstrip().startswith("-")
    if indent > _indent(above) and has_value:
        return (f"this line is indented by {spaces}, more than line {above_number}, which already has its "
                "value, so YAML reads it as more of that text; line it up with the key it belongs with (keys "
                f"of one mapping start in the same column), or if line {above_number} is the one out of "
                "place, indent it back under its own key")
    if indent < _indent(above) and indent not in open_columns:
        columns = ", ".join(str(c) for c in open_columns)
        return (f"this line is indented by {spaces}, which lines it up with no key above it (the keys above "
                f"start after {columns} spaces); keys of one mapping start in the same column, and what "
                "belongs to a key is indented two spaces more than the key: line it up")
    if ":" not in written and not written.lstrip().startswith("-"):
        return ("this line is not `key: value`; if it goes on with the text above it, indent it by more "
                "than that text's key, or put the text on one line")
    return None


_PLAIN_SCALARS = (str, int, float, bool, type(None))


def plain(value: Any) -> Any:
    """ruamel's round-trip objects as plain dicts, lists, str, int and float, for the models."""
    if type(value) in _PLAIN_SCALARS:  # the common case first: this runs on every value of the file
        return value
    if isinstance(value, dict):
        return {plain(k): plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, str):
        return str(value)
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        return float(value)
    return value


def written_lines(root: Any) -> set[int]:
    """The lines (1-based) on which a key, a value or an item of the document as read starts: a problem
    placed on a line that is not among them is about something this reading does not hold."""
    found = {start_of(root)[0]}
    stack: list[Any] = [root]
    while stack:
        node = stack.pop()
        lc = getattr(node, "lc", None)
        if isinstance(node, dict) and lc is not None:
            for key, value in node.items():
                found.add(lc.key(key)[0] + 1)
                found.add(lc.value(key)[0] + 1)
                stack.append(value)
        elif isinstance(node, list) and lc is not None:
            for i, value in enumerate(node):
                found.add(lc.item(i)[0] + 1)
                stack.append(value)
    return found


def paths_of_mappings(root: Any) -> dict[int, Loc]:
    """id() of every mapping in the document -> its path, to place duplicate keys."""
    found: dict[int, Loc] = {}
    stack: list[tuple[Any, Loc]] = [(root, ())]
    while stack:
        node, loc = stack.pop()
        if isinstance(node, dict):
            found[id(node)] = loc
            stack.extend((v, (*loc, k)) for k, v in node.items() if hashable(k))
        elif isinstance(node, list):
            stack.extend((v, (*loc, i)) for i, v in enumerate(node))
    return found


