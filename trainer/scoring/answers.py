"""A short reply read as an answer to what the service user's line asked for or offered.

"ok then, cheers" or "course, its confidential" say nothing by themselves; as the answer to "put it in your
pocket" or "don't tell anyone" they take the money or promise the secret. `answer_words` is what the two
readings share (`trainer.scoring.offers.taken_offer`, `trainer.scoring.limits.secrecy_agreed`): the line
asked or offered, and the reply is short and says none of the words that decline or limit it.

`apology_answered` reads the other way: "Don't worry about it" after "Sorry I'm late" accepts their apology,
a courtesy, not reassurance that closes a feeling down: the reading "apology_answered.context"
(`trainer.scoring.readings`), an exception that cancels the reassurance and keeps sympathy out of its
sentence.
"""

from __future__ import annotations

import re

MAX_WORDS = 14
"""A longer reply does more than answer: it is left to the rules and the classifier."""


def answer_words(
    norms: list[str],
    puncts: list[bool],
    context: str | None,
    asked: re.Pattern[str],
    declining: frozenset[str],
) -> list[int] | None:
    """The token indexes of the reply's words, when `context` (lower-cased) matches `asked` and the reply
    has at most MAX_WORDS words and none of `declining` (token norms); None otherwise."""
    if not context or not asked.search(context.lower()):
        return None
    words = [i for i, p in enumerate(puncts) if not p]
    if not words or len(words) > MAX_WORDS or not declining.isdisjoint(norms):
        return None
    return words


_APOLOGY = re.compile(r"\b(?:sorry|apologi[sz]e|my bad|my fault)\b")


def apology_answered(norms: list[str], context: str | None) -> tuple[int, int] | None:
    """Token bounds of "don't worry (about it)" / "no worries" that answer the line's own apology, or None."""
    if not context or not _APOLOGY.search(context.lower()):
        return None
    for i, w in enumerate(norms):
        if w == "worry" and i >= 2 and norms[i - 2 : i] == ["do", "not"]:
            end = i + 3 if norms[i + 1 : i + 3] == ["about", "it"] else i + 1
            return i - 2, end
        if w == "no" and norms[i + 1 : i + 2] in (["worries"], ["problem"], ["bother"]):
            return i, i + 2
    return None
