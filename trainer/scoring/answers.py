"""A short reply read as an answer to what the service user's line asked for or offered.

"ok then, cheers" or "course, its confidential" say nothing by themselves; as the answer to "put it in your
pocket" or "don't tell anyone" they take the money or promise the secret. `answer_words` is what the two
readings share (`trainer.scoring.offers.taken_offer`, `trainer.scoring.limits.secrecy_agreed`): the line
asked or offered, and the reply is short and says none of the words that decline or limit it.
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
