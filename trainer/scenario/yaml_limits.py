"""Bounds on what a YAML document may expand to, checked on the parser's event stream before anything
builds or walks the document.

A scenario is small: a few thousand nodes, nested a dozen levels. A file that nests hundreds of levels
(`{not: {not: ...}}`) or whose aliases repeat anchors inside anchors ("billion laughs": nine levels of
`&b [*a, *a, ...]` expand a 7 KB file to hundreds of millions of items) would otherwise crash the C
parser, exhaust Python's recursion, or run until the machine runs out of memory. `Tracker` counts, from
events alone (no recursion, constant work per event), the depth and the expanded size of the document,
aliases included, and raises `TooComplex` at the first event past a bound, with its position and path.

Used by both reading paths of the loader (yaml_fast builds and checks in one pass; yaml_careful checks the
stream before ruamel composes it). Imports nothing from trainer but `loaded.Loc`.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from ruamel.yaml.events import (
    AliasEvent,
    CollectionStartEvent,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
)

from trainer.scenario.loaded import Loc

#: The deepest a scenario may nest (mappings and lists inside each other). The deepest place a real
#: scenario uses, a condition inside a condition inside a response, is about 12 levels.
MAX_DEPTH = 64
#: Items (every key, value and list item) that aliases may add to a file by repeating what an anchor marks.
MAX_ALIAS_ITEMS = 100_000
#: Items a whole file may hold, aliases expanded: about five times the largest scenario measured (2,000
#: nodes, written out in full).
MAX_ITEMS = 1_000_000


class TooComplex(Exception):
    """A document past one of the bounds. `kind` is "depth", "aliases", "items" or "recursive" (an alias
    inside the anchor it names); `line` and `col` are 0-based; `loc` is the path to that place."""

    def __init__(self, kind: str, line: int, col: int, loc: Loc, detail: str) -> None:
        super().__init__(detail)
        self.kind, self.line, self.col, self.loc, self.detail = kind, line, col, loc, detail


class _Frame:
    __slots__ = ("mapping", "key", "index", "expect_key", "anchor", "start_items", "start_depth", "deepest")

    def __init__(self, mapping: bool, anchor: str | None, start_items: int, depth: int) -> None:
        self.mapping = mapping
        self.key: Any = None
        self.index = -1
        self.expect_key = True
        self.anchor = anchor
        self.start_items = start_items
        self.start_depth = depth
        self.deepest = depth


class Tracker:
    """Feed it every event of one document (`see`); it raises `TooComplex` past a bound."""

    def __init__(self) -> None:
        self.items = 0
        self.alias_items = 0
        self.depth = 0
        self._stack: list[_Frame] = []
        # anchor -> (items it expands to, levels it adds)
        self._anchors: dict[str, tuple[int, int]] = {}
        self._open: set[str] = set()

    def loc(self) -> Loc:
        """The path of the item being read, by keys and 0-based indexes."""
        parts: list[str | int] = []
        for frame in self._stack:
            if frame.mapping:
                if frame.expect_key and isinstance(frame.key, str | int):
                    parts.append(frame.key)
            elif frame.index >= 0:
                parts.append(frame.index)
        return tuple(parts)

    def _item(self, event: Any) -> None:
        """Advance the enclosing collection past one key, value or item starting at `event`."""
        if not self._stack:
            return
        frame = self._stack[-1]
        if frame.mapping:
            if frame.expect_key:
                frame.key = event.value if type(event) is ScalarEvent else None
            frame.expect_key = not frame.expect_key
        else:
            frame.index += 1

    def _fail(self, kind: str, event: Any, detail: str) -> TooComplex:
        mark = event.start_mark
        return TooComplex(kind, mark.line, mark.column, self.loc(), detail)

    def see(self, event: Any) -> None:
        kind = type(event)
        if kind is ScalarEvent or kind is AliasEvent or isinstance(event, CollectionStartEvent):
            self._item(event)
        if kind is ScalarEvent:
            self._count(1, event)
            if event.anchor is not None:
                self._anchors[event.anchor] = (1, 0)
        elif kind is AliasEvent:
            anchor = event.anchor
            if anchor in self._open:
                raise self._fail("recursive", event, f"the alias *{anchor} is inside the anchor &{anchor} "
                                 f"it repeats, so it would repeat itself for ever; remove *{anchor} from "
                                 "inside it")
            size, levels = self._anchors.get(anchor, (1, 0))
            self.alias_items += size
            if self.alias_items > MAX_ALIAS_ITEMS:
                raise self._fail("aliases", event, f"its aliases (*name repeats what &name marks) expand to "
                                 f"more than {MAX_ALIAS_ITEMS:,} items; a scenario needs only a few aliases: "
                                 "write the repeated part out, or remove aliases that repeat other aliases")
            self._count(size, event)
            self._reach(self.depth + levels, event)
        elif isinstance(event, CollectionStartEvent):
            self._count(1, event)
            self.depth += 1
            self._reach(self.depth, event)
            frame = _Frame(kind is MappingStartEvent, event.anchor, self.items, self.depth)
            if event.anchor is not None:
                self._open.add(event.anchor)
            self._stack.append(frame)
        elif kind is MappingEndEvent or kind is SequenceEndEvent:
            frame = self._stack.pop()
            self.depth -= 1
            if frame.anchor is not None:
                self._open.discard(frame.anchor)
                self._anchors[frame.anchor] = (self.items - frame.start_items + 1,
                                               frame.deepest - frame.start_depth + 1)
            if self._stack:
                self._stack[-1].deepest = max(self._stack[-1].deepest, frame.deepest)

    def _count(self, size: int, event: Any) -> None:
        self.items += size
        if self.items > MAX_ITEMS:
            raise self._fail("items", event, f"it holds more than {MAX_ITEMS:,} items (keys, values and list "
                             "items); split it into several scenarios")

    def _reach(self, depth: int, event: Any) -> None:
        if self._stack:
            self._stack[-1].deepest = max(self._stack[-1].deepest, depth)
        if depth > MAX_DEPTH:
            raise self._fail("depth", event, f"it nests more than {MAX_DEPTH} levels deep")


def check_events(events: Iterable[Any]) -> bool:
    """Run a whole event stream through a `Tracker`. Raises TooComplex. Returns whether the stream was
    read to its end: a parser error ends the check quietly (the caller's parser reports it), everything
    before it checked."""
    tracker = Tracker()
    iterator = iter(events)
    while True:
        try:
            event = next(iterator)
        except StopIteration:
            return True
        except Exception:  # a syntax error: whatever came before it was within bounds
            return False
        tracker.see(event)
