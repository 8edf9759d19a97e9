"""A loaded scenario and where each part of it was written: what the loader hands to the checks.

`LoadedScenario` (the validated scenario with its file, warnings and `Positions`), `describe_path` (a
path by ids, "node 'greet' > response 2 > goto") and `did_you_mean`. The loader builds these; the checks
(trainer.scenario.checks) and checks from other layers place their diagnostics with them. Imports only
the diagnostics table and the schema, so both the loader and the checks can import it without a cycle.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple, cast

from trainer.scenario import diagnostics as dg
from trainer.scenario.diagnostics import Diagnostic
from trainer.scenario.schema import Scenario

Loc = tuple[str | int, ...]
"""A place in the data, as pydantic gives it: ("nodes", "greet", "responses", 1, "goto")."""


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
        line, col = start_of(node)
        for depth, part in enumerate(loc):
            if isinstance(node, dict) and hashable(part) and part in node:
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
            if isinstance(node, dict) and hashable(part) and part in node:
                node = node[part]
            elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
                node = node[part]
            else:
                return None
        return node


def _lc(node: dict[Any, Any] | list[Any]) -> Any:
    """The position record of a mapping or sequence from either reading path (ruamel's or the fast one)."""
    return cast(Any, node).lc


def hashable(part: object) -> bool:
    return isinstance(part, str | int)


def start_of(node: Any) -> tuple[int, int]:
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


def short_path(loc: Sequence[str | int], keep: int = 6) -> str:
    """`describe_path`, shortened for a deep place: the first parts, then how many levels follow."""
    if len(loc) <= keep + 2:
        return describe_path(loc)
    return f"{describe_path(loc[:keep])} > ... ({len(loc) - keep} more levels)"


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
        return placed(self.path, self.positions, code, tuple(loc), at_key=at_key, **fields)


def placed(
    file: Path, positions: Positions, code: str, loc: Loc, at_key: bool = False, **fields: object
) -> Diagnostic:
    where = positions.locate(loc, key=at_key)
    note = ""
    if where.found < len(loc):
        # Never invent a position: say which enclosing key this position belongs to.
        enclosing = describe_path(loc[: where.found]) or "the start of the file"
        note = f"position of {enclosing}, the nearest key written in the file"
    return dg.make(code, file, where.line, where.col, path=describe_path(loc), note=note, **fields)


def did_you_mean(name: str, known: Iterable[str]) -> str:
    """A hint to add to a message, " (did you mean 'x'?)", when `name` is close to one of `known`; else ""."""
    matches = difflib.get_close_matches(str(name), list(known), n=1, cutoff=0.6)
    return f" (did you mean '{matches[0]}'?)" if matches else ""
