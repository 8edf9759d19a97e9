"""The fast reading path: dicts and lists that know where their parts were written, built from the event
stream of ruamel's C parser in one pass with an explicit stack (no recursion, so no depth can crash it).

About 25 times faster than the round-trip loader, which it matches exactly for plain documents: scalars
are resolved and constructed as the round-trip loader does. Anything beyond plain mappings, sequences and
scalars - aliases, anchors, merge keys, explicit tags, directives, duplicate keys, timestamps, syntax
errors - raises `Unusual`, and the loader reads the document the careful way (yaml_careful) instead; a
test checks both paths agree on every fixture. Depth and size are bounded here too (see yaml_limits).
"""

from __future__ import annotations

import re
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.events import (
    AliasEvent,
    DocumentEndEvent,
    DocumentStartEvent,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
    StreamEndEvent,
    StreamStartEvent,
)
from ruamel.yaml.nodes import ScalarNode

from trainer.scenario.yaml_limits import MAX_DEPTH, MAX_ITEMS, TooComplex, check_events

C_LOADER: Any
try:  # ruamel.yaml.clib: the C parser. Without it every file takes the pure-Python path.
    from ruamel.yaml.cyaml import CSafeLoader as C_LOADER
except ImportError:  # pragma: no cover - the clib wheel exists for every supported platform
    C_LOADER = None


class LineCol:
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


class Map(dict[Any, Any]):
    """A mapping read by the fast path: a plain dict that knows where its parts were written."""

    __slots__ = ("lc",)
    lc: LineCol


class Seq(list[Any]):
    """A sequence read by the fast path: a plain list that knows where its items were written."""

    __slots__ = ("lc",)
    lc: LineCol


class Unusual(Exception):
    """The document holds something the fast path leaves to the round-trip loader. `checked`: whether the
    bounds of yaml_limits were checked on the whole document (False when the C parser stopped at an error,
    or is missing: the careful path checks them with its own parser then)."""

    checked = False


_TAG = "tag:yaml.org,2002:"

#: A directive, a tag or an anchor starting a token (not "Hello!" or "you & me" in a line of dialogue).
_SPECIAL_SYNTAX = re.compile(r"^%|(?:^|[\s\[{,])(?:!|&\S)", re.MULTILINE)
# A block scalar (| or >) whose first lines are blank: the C parser and the round-trip loader disagree on
# how far such lines may be indented (the round-trip loader refuses "more indented follow up line than
# first"), so these documents take the careful path, which words the error when there is one.
_LEADING_BLANK_BLOCK = re.compile(r"(?:^[ ]*|[:-][ ]+)[|>][-+0-9]*[ ]*(?:#[^\n]*)?\n[ ]*\n", re.MULTILINE)


class _Scalars:
    """Resolves and constructs plain scalars exactly as the round-trip loader does."""

    def __init__(self) -> None:
        yaml = YAML(typ="rt")
        # The round-trip loader's YAML 1.2 table of implicit types (first character -> [(tag, regexp)]),
        # looked up once: asking the resolver for it per scalar costs more than the whole parse.
        self._implicit: dict[Any, list[tuple[str, Any]]] = yaml.resolver.versioned_resolver
        self._constructor = yaml.constructor
        # Plain scalars repeat (every `say:`, `goto:`, `trust`...): their values are immutable, so each
        # distinct one is resolved once.
        self._plain: dict[str, Any] = {}

    def _resolve(self, value: str) -> str:
        """The tag a plain scalar gets, as `VersionedResolver.resolve` gives it."""
        for tag, regexp in [*self._implicit.get(value[:1], ()), *self._implicit.get(None, ())]:
            if regexp.match(value):
                return str(tag)
        return _TAG + "str"

    def value(self, event: Any) -> Any:
        if event.tag is not None or event.anchor is not None:
            raise Unusual
        if event.style:  # quoted or block text: always a string (plain is "" from the C parser)
            return event.value
        text = event.value
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
            value = bool(self._constructor.construct_yaml_bool(_node(event)))
        elif tag == _TAG + "int":
            value = int(self._constructor.construct_yaml_int(_node(event)))
        elif tag == _TAG + "float":
            value = float(self._constructor.construct_yaml_float(_node(event)))
        else:
            raise Unusual  # timestamps and the like
        self._plain[text] = value
        return value


def _node(event: Any) -> ScalarNode:
    """The node ruamel's scalar constructors read, for one plain scalar event."""
    return ScalarNode(None, event.value, event.start_mark, event.end_mark)


def _build(events: Any) -> Any:
    """The document from a C event stream; raises Unusual or TooComplex."""
    scalars = _Scalars()
    root: Any = None
    # Each open collection: the container, and for a mapping the key waiting for its value.
    stack: list[list[Any]] = []
    items = 0
    documents = 0
    for event in events:
        kind = type(event)
        if kind is ScalarEvent or kind is MappingStartEvent or kind is SequenceStartEvent:
            items += 1
            mark = event.start_mark
            if kind is ScalarEvent:
                value = scalars.value(event)
            else:
                if event.tag is not None or event.anchor is not None:
                    raise Unusual
                if len(stack) >= MAX_DEPTH or items > MAX_ITEMS:
                    raise Unusual  # the careful check words it, with the path
                value = Map() if kind is MappingStartEvent else Seq()
                value.lc = LineCol(mark.line, mark.column)
            if stack:
                top = stack[-1]
                container = top[0]
                if type(container) is Map:
                    if top[1] is None:  # a key
                        if kind is not ScalarEvent or (not event.style and event.value == "<<"):
                            raise Unusual  # a complex key or a merge key
                        if not isinstance(value, str | int) or value in container:
                            raise Unusual
                        top[1] = (value, mark.line, mark.column)
                    else:
                        key, key_line, key_col = top[1]
                        container[key] = value
                        container.lc.data[key] = (key_line, key_col, mark.line, mark.column)
                        top[1] = None
                else:
                    container.lc.data[len(container)] = (mark.line, mark.column)
                    container.append(value)
            else:
                root = value
            if kind is not ScalarEvent:
                stack.append([value, None])
        elif kind is MappingEndEvent or kind is SequenceEndEvent:
            stack.pop()
        elif kind is AliasEvent:
            raise Unusual
        elif kind is DocumentStartEvent:
            documents += 1
            if documents > 1 or event.version or event.tags:
                raise Unusual
        elif kind is DocumentEndEvent or kind is StreamStartEvent or kind is StreamEndEvent:
            pass
        else:
            raise Unusual
    if root is None:
        raise Unusual
    return root


def _events(text: str) -> Any:
    loader = C_LOADER(text)
    try:
        while True:
            event = loader.get_event()
            if event is None:
                return
            yield event
    finally:
        loader.dispose()


def fast_parse(text: str) -> Any:
    """The document as dicts and lists with positions, via the C parser.

    Raises: Unusual when the document needs the round-trip loader (see the module docstring); TooComplex
    when it is past a bound of yaml_limits (the bounds are checked on the whole stream first then).
    """
    if C_LOADER is None:
        raise Unusual
    special = "\t" in text or _SPECIAL_SYNTAX.search(text) or _LEADING_BLANK_BLOCK.search(text)
    try:
        if special:
            raise Unusual
        return _build(_events(text))
    except TooComplex:
        raise
    except Exception as exc:  # Unusual, or any parser complaint: let the round-trip loader word it
        unusual = Unusual()
        # Raises TooComplex past a bound, before anything composes the document.
        unusual.checked = check_events(_events(text))
        raise unusual from exc
