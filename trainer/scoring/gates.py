"""Which token patterns a reply can match, found cheaply before spaCy's Matcher runs.

spaCy's Matcher tries every pattern at every token, so the rules component groups patterns by a gate: the
word sets of a pattern's required tokens (a reply must contain a word of each). A pattern of shapes only (a
phone number, a handle) is gated on the reply having a digit or an "@" at the start of a token. Used by
`trainer.scoring.components.RulesComponent`.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from spacy.lang.en.stop_words import STOP_WORDS

Gate = tuple[frozenset[str], ...]

HAS_DIGIT, HAS_AT = " digit", " at"
DIGITS = frozenset("0123456789+@")
"""Gate words for shape patterns (no token's norm has a space, so they never clash with a word)."""


def gate_of(pattern: list[dict[str, Any]]) -> Gate:
    """The word sets of the pattern's required tokens, most selective first: a reply must contain a word
    of every set for the pattern to match. Empty: always try the pattern."""
    sets = []
    for token in pattern:
        if not _required(token.get("OP")) or "NORM" not in token:
            continue
        value = token["NORM"]
        if isinstance(value, str):
            sets.append(frozenset([value]))
        elif isinstance(value, dict) and set(value) == {"IN"}:
            sets.append(frozenset(value["IN"]))
    if not sets:  # a shape (a phone number, a handle): tried only on replies with a digit, or an "@"
        for token in pattern:
            shape = str(token.get("TEXT", {}).get("REGEX", "")) if isinstance(token.get("TEXT"), dict) else ""
            if "\\d" in shape:
                sets.append(frozenset([HAS_DIGIT]))
            elif shape.startswith("^@"):
                sets.append(frozenset([HAS_AT]))
    # common words make a poor first test
    return tuple(sorted(set(sets), key=lambda w: (len(w) + 100 * len(w & STOP_WORDS), sorted(w))))


def _required(op: Any) -> bool:
    """Whether a token with this OP must appear at least once ("{0,5}", "?", "*" and "!" need not)."""
    return op is None or op == "+" or (isinstance(op, str) and op.startswith("{") and op[1:2] not in "0,")


def expand_first(pattern: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    """[{"NORM": {"IN": [a, b]}}, ...] -> [[{"NORM": a}, ...], [{"NORM": b}, ...]] (same matches, faster)."""
    first = pattern[0]
    if set(first) == {"NORM"} and isinstance(first["NORM"], dict) and set(first["NORM"]) == {"IN"}:
        return [[{"NORM": word}, *pattern[1:]] for word in dict.fromkeys(first["NORM"]["IN"])]
    return [pattern]


def shape_words(norms: Iterable[str]) -> Iterator[str]:
    """The gate words for shapes a reply has: HAS_DIGIT for a token starting with a digit or "+", HAS_AT
    for one starting with "@"."""
    for n in norms:
        if n[:1] in DIGITS:
            yield HAS_AT if n[:1] == "@" else HAS_DIGIT
