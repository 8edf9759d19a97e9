"""Scenario cue patterns read as the scorer reads words: `{LOWER: you}` also hears "u".

A cue's `phrases` are matched on NORM, so "plan it with you" hears "we'll plan it with u", "WITH YOUUU"
and "wiv u". Its `patterns` are spaCy Matcher token patterns written by educators, nearly always on LOWER,
the spelling typed: `[..., {LOWER: with}, {LOWER: you}]` missed every one of those. `heard` rewrites each
LOWER test of a pattern so that it holds for a token spelt as written *or* read as a word written:

- `{LOWER: you}`, `{LOWER: {IN: [plan, do]}}`: the token's lower-case spelling or its NORM is one of the
  values or one of their readings (`Reading.norms`: the NORM the pipeline's tokenizer gives the value typed
  alone, "u" -> "you", "pls" -> "please", "heyyy" -> "hey"; a value it splits, such as "cannot", is heard
  as spelt only, as before).
- `{LOWER: {NOT_IN: [...]}}`: neither the spelling nor the NORM is one of them (a NORM test beside it).

A word's NORM depends on nothing but its spelling, except for the pieces of the tokenizer's special cases
("dont" is "do" + "nt", NORM "not"; "cant" is "ca" + "nt", "ca" read "can"; "didn't" reads "did" as
"do"). So a test whose values are all plain words becomes a plain NORM test, which holds for every token the
LOWER test held for, at spaCy's own speed; a test with a piece among its values (or a value with no one
reading) is written as an INTERSECTS test on a token extension holding both the spelling and the NORM
(`WORD`), so that each token is read on its own: `[{LOWER: ca}, {LOWER: "n't"}]` hears "cant", whose "ca"
matches as spelt and whose "nt" as read, and `{LOWER: did}` does not hear every "do".

A token that already tests NORM, and LOWER tests other than a value, IN or NOT_IN (REGEX, FUZZY, ...), are
kept as written. Used by `trainer.scoring.scorer.CueMatcher`, which checks each pattern as written first,
so an author's mistake is reported in the author's terms.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any
from weakref import WeakKeyDictionary

from spacy.tokens import Token

if TYPE_CHECKING:
    from spacy.language import Language

WORD = "trainer_cue_word"
"""The token extension the tests with a contraction's piece read: the token's (LOWER, NORM), as ids."""

if not Token.has_extension(WORD):
    Token.set_extension(WORD, getter=lambda token: (token.lower, token.norm))

_APOSTROPHES = ("'", "\u2019")


class Reading:
    """How one pipeline's tokenizer reads the words of patterns; `reading(nlp)` gives the one of `nlp`."""

    def __init__(self, nlp: Language) -> None:
        self._nlp = nlp
        self._norms: dict[str, tuple[str, ...]] = {}
        self._pieces: dict[str, set[str]] = {}
        rules: dict[str, Any] = getattr(nlp.tokenizer, "rules", None) or {}
        for form in rules:
            doc = nlp.make_doc(form)
            if len(doc) > 1:
                for token in doc:
                    self._pieces.setdefault(token.lower_, set()).add(token.norm_)

    def norms(self, value: str) -> tuple[str, ...]:
        """What `value` is read as: the NORM the tokenizer gives it typed alone, when that is one token;
        and for a piece of a contraction written with its apostrophe ("n't", "'m"), the NORM the
        tokenizer's special cases give that piece when they all give it one ("n't" -> "not", so
        `{LOWER: "n't"}` hears the "nt" of "dont"; "'s" is "is", "has" or "us", and is left as written)."""
        found = self._norms.get(value)
        if found is None:
            doc = self._nlp.make_doc(value)
            readings = [doc[0].norm_] if len(doc) == 1 else []
            if any(mark in value for mark in _APOSTROPHES):
                piece = self._pieces.get(value.lower(), set())
                if len(piece) == 1:
                    readings.extend(piece)
            found = self._norms[value] = tuple(dict.fromkeys(readings))
        return found

    def plain(self, value: str) -> bool:
        """Whether every token spelt `value` has the one NORM `value` typed alone has: it is one token typed
        alone, and any piece of a special case spelt so is given that NORM too ("do" of "don't" is "do";
        "did" of "didn't" is "do", so "did" is not plain)."""
        norms = self.norms(value)
        return len(norms) == 1 and self._pieces.get(value.lower(), set(norms)) == set(norms)


_READINGS: WeakKeyDictionary[Any, Reading] = WeakKeyDictionary()


def reading(nlp: Language) -> Reading:
    """The `Reading` of `nlp`'s tokenizer (built once per pipeline: it reads the special cases)."""
    found = _READINGS.get(nlp)
    if found is None:
        found = _READINGS[nlp] = Reading(nlp)
    return found


def heard(pattern: Any, words: Reading) -> Any:
    """`pattern` (a checked spaCy token pattern) with each LOWER test also hearing what its values are
    read as; unchanged when it has none."""
    if not isinstance(pattern, list):
        return pattern
    return [_heard_token(token, words) if isinstance(token, dict) else token for token in pattern]


def _values(test: Any) -> dict[str, list[str]] | None:
    """A LOWER test as {"IN": [...]} and / or {"NOT_IN": [...]}, or None when it is some other test."""
    if isinstance(test, str):
        return {"IN": [test]}
    if not isinstance(test, dict) or not test or not all(isinstance(p, str) for p in test):
        return None
    predicates = {p.upper(): values for p, values in test.items()}
    if set(predicates) - {"IN", "NOT_IN"}:
        return None
    for values in predicates.values():
        if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
            return None
    return predicates


def _heard_token(token: dict[str, Any], words: Reading) -> dict[str, Any]:
    keys = {str(key).upper(): key for key in token}
    if "LOWER" not in keys or "NORM" in keys:
        return token
    predicates = _values(token[keys["LOWER"]])
    extensions = token.get("_", {})
    if predicates is None or not isinstance(extensions, dict):
        return token
    rewritten = {key: value for key, value in token.items() if key != keys["LOWER"]}
    norm: dict[str, list[str]] = {}
    if "IN" in predicates:
        values = predicates["IN"]
        if all(words.plain(value) for value in values):
            norm["IN"] = list(dict.fromkeys(n for value in values for n in words.norms(value)))
        else:
            heard_as = list(dict.fromkeys(w for value in values for w in (value, *words.norms(value))))
            rewritten["_"] = {**extensions, WORD: {"INTERSECTS": heard_as}}
    if "NOT_IN" in predicates:
        values = predicates["NOT_IN"]
        rewritten["LOWER"] = {"NOT_IN": values}
        norms = list(dict.fromkeys(n for value in values for n in words.norms(value)))
        if norms:
            norm["NOT_IN"] = norms
    if norm:
        rewritten["NORM"] = norm
    return rewritten
