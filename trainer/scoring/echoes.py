"""Their phrase given back is not the worker's cliché: the rules component asks, for a cliché rule's match,
whether the reply is giving back the service user's own words (`their_phrase`).

    theirs = said_words(context)                              # once per reply
    their_phrase(norms, puncts, start, end, theirs) -> bool   # per cliché match (token offsets)
"""

from __future__ import annotations

import re
from functools import lru_cache

ECHOED_CLICHES = frozenset({"platitude"})
"""Rules whose match is the service user's own phrase given back, not the worker's cliché: after "the hostel
was only meant to be for six weeks", "a place that was meant to be six weeks" is not "it was meant to be".
Their phrase is the match's words in their order in the service user's line (at most one word of theirs
between two), with the reply's next word among the next few of theirs ("six"): the cliché alone, even in
their words ("It could be worse." after "Everyone says it could be worse"), is still the cliché."""
_SAID = re.compile(r"[a-z]+")


def said_words(context: str | None) -> list[str]:
    """The words of the service user's line, in order, lower case, apostrophes as breaks ("it's" -> "it",
    "s")."""
    return _SAID.findall(context.lower().replace("\u2019", "'")) if context else []


def their_phrase(norms: list[str], puncts: list[bool], start: int, end: int, theirs: list[str]) -> bool:
    """Whether the match norms[start:end] is their phrase given back (see ECHOED_CLICHES)."""
    said = [w for i in range(start, end) if not puncts[i] for w in _SAID.findall(norms[i])]
    if not said or end >= len(norms) or puncts[end]:
        return False
    nxt = _SAID.findall(norms[end])[:1]
    return bool(nxt) and _in_their_line(tuple(said), nxt[0], tuple(theirs))


@lru_cache(maxsize=1024)
def _in_their_line(said: tuple[str, ...], nxt: str, theirs: tuple[str, ...]) -> bool:
    """`said` in order in `theirs` (at most one word between two), with `nxt` among the next four words.
    Cached: a reply that repeats one cliché asks the same question of the same line."""
    for i, word in enumerate(theirs):
        if word != said[0]:
            continue
        at = i  # the rest of the match in order, at most one word of theirs between ("was only meant to be")
        for w in said[1:]:
            step = next((j for j in (at + 1, at + 2) if j < len(theirs) and theirs[j] == w), None)
            if step is None:
                break
            at = step
        else:
            if nxt in theirs[at + 1 : at + 5]:
                return True
    return False
