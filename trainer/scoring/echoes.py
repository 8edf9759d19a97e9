"""Their phrase given back is not the worker's cliché: the rules component asks, for a cliché rule's match,
whether the reply is giving back the service user's own words (`their_phrase`).

    line = TheirLine(context)                               # once per reply, only when a cliché matched
    their_phrase(norms, puncts, start, end, line) -> bool   # per cliché match (token offsets)
"""

from __future__ import annotations

import re
from collections import defaultdict

ECHOED_CLICHES = frozenset({"platitude"})
"""Rules whose match is the service user's own phrase given back, not the worker's cliché: after "the hostel
was only meant to be for six weeks", "a place that was meant to be six weeks" is not "it was meant to be".
Their phrase is the match's words in their order in the service user's line (at most one word of theirs
between two), with the reply's next word among the next few of theirs ("six"): the cliché alone, even in
their words ("It could be worse." after "Everyone says it could be worse"), is still the cliché."""
_SAID = re.compile(r"[a-z]+")


class TheirLine:
    """The service user's line as words in order (lower case, apostrophes as breaks: "it's" -> "it", "s"),
    with where each word stands, and the answers already given for this reply."""

    def __init__(self, context: str | None) -> None:
        self.words: list[str] = _SAID.findall(context.lower().replace("\u2019", "'")) if context else []
        self._at: defaultdict[str, list[int]] = defaultdict(list)
        for i, word in enumerate(self.words):
            self._at[word].append(i)
        self._asked: dict[tuple[tuple[str, ...], str], bool] = {}

    def has(self, said: tuple[str, ...], nxt: str) -> bool:
        """`said` in order in the line (at most one word between two), with `nxt` among the next four words.
        A reply that repeats one cliché asks once."""
        key = (said, nxt)
        if key not in self._asked:
            self._asked[key] = any(self._from(i, said, nxt) for i in self._at.get(said[0], ()))
        return self._asked[key]

    def _from(self, i: int, said: tuple[str, ...], nxt: str) -> bool:
        words, at = self.words, i  # the rest of the match in order ("was only meant to be")
        for w in said[1:]:
            step = next((j for j in (at + 1, at + 2) if j < len(words) and words[j] == w), None)
            if step is None:
                return False
            at = step
        return nxt in words[at + 1 : at + 5]


def their_phrase(norms: list[str], puncts: list[bool], start: int, end: int, line: TheirLine) -> bool:
    """Whether the match norms[start:end] is their phrase given back (see ECHOED_CLICHES)."""
    said = tuple(w for i in range(start, end) if not puncts[i] for w in _SAID.findall(norms[i]))
    if not said or end >= len(norms) or puncts[end]:
        return False
    nxt = _SAID.findall(norms[end])[:1]
    return bool(nxt) and line.has(said, nxt[0])
