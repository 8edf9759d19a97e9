"""Evidence spans as whole phrases: a rule match widened or trimmed so a learner reads a phrase, not
"about half an" or "six weeks, and".

    whole_phrase(norms, puncts, start, end, (sentence_start, sentence_end)) -> (start, end)   # token offsets

and the sentences those bounds come from (`sentence_bounds`). Used by the rules component
(`trainer.scoring.components`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from spacy.attrs import SENT_START

if TYPE_CHECKING:
    from spacy.tokens import Doc

DANGLING_END = frozenset(
    """a an the of to for about half my your our their his its this these those in on at with from into
    by than as very really just quite some any each every we i they he she her without within under over
    after before until till between through across around near onto towards what how that it is 's was own
    are off""".split()
)
"""Words a phrase does not end on: a span ending "about half an" goes on to the word they belong to, and
"I know exactly what" to "I know exactly what it's like"."""
LOOSE_EDGE = frozenset({"and", "or", "but", "so", "because", ",", ";", ":", "-", "–", "—", "...", "…"})
"""Joining words and marks trimmed from either edge of a span ("six weeks, and" -> "six weeks")."""
MAX_EXTEND = 3
HEADS = frozenset(
    """service services team council authority care centre center unit hub project charity trust office
    department surgery practice clinic ward partnership board worker workers line desk number""".split()
)
"""Nouns that end an agency's name or a service's: "I'm from the young carers *service*" is one phrase, not
"from the young"; "the duty *team*", not "the duty"."""
PARTICLES = frozenset({"up", "out"})
"""A particle straight after a span belongs to it: "fed *up*", "stressed *out*", "worn *out*"."""


def _to_head(norms: list[str], puncts: list[bool], j: int, s_end: int, reach: int = MAX_EXTEND) -> int:
    """The end of a span: `j`, or past the agency noun (HEADS) within `reach` more words ("the young" ->
    "the young carers service", "the duty" -> "the duty team")."""
    for k in range(j, min(s_end, j + reach)):
        if puncts[k] or norms[k] in LOOSE_EDGE or norms[k] in DANGLING_END:
            break
        if norms[k] in HEADS:
            return k + 1
    return j


def whole_phrase(
    norms: list[str], puncts: list[bool], start: int, end: int, sentence: tuple[int, int]
) -> tuple[int, int]:
    """Token bounds of a rule match widened or trimmed to a whole phrase, inside its sentence: a dangling
    determiner, preposition, quantifier or subject pronoun at the end takes in the words up to the next
    content word (at most MAX_EXTEND words on; if none comes, it is dropped); joining words and commas at
    either edge are trimmed. A match that is all edge is kept as it was."""

    def loose(i: int) -> bool:
        return norms[i] in LOOSE_EDGE or (puncts[i] and norms[i] not in {"?", "!", ".", "'", "’", "@"})

    s_end = sentence[1]
    lo, hi = start, end
    while hi - lo > 1 and loose(lo):
        lo += 1
    while hi - lo > 1:
        if norms[hi - 1] in DANGLING_END and not puncts[hi - 1]:
            j = hi
            limit = min(s_end, hi + MAX_EXTEND)
            while j < limit and norms[j] in DANGLING_END and not puncts[j]:
                j += 1
            if j < limit and not puncts[j] and norms[j] not in LOOSE_EDGE:
                return lo, _to_head(norms, puncts, j + 1, s_end)
            hi -= 1
        elif loose(hi - 1):
            hi -= 1
        else:
            break
    if norms[hi - 1] in LOOSE_EDGE | DANGLING_END or loose(hi - 1) or loose(lo):
        return start, end
    if hi < s_end and not puncts[hi] and norms[hi] in PARTICLES:
        return lo, hi + 1
    return lo, _to_head(norms, puncts, hi, s_end, MAX_EXTEND - 1)


def whole_words(doc: Doc, start: int, end: int) -> tuple[int, int]:
    """Token bounds widened so that no written word is cut: a span never ends inside "don't" ("they do"
    says the opposite), "won't" or "I'm", nor starts inside one (tokens written with no space between
    them are one word to a reader)."""
    while end < len(doc) and not doc[end - 1].whitespace_ and not doc[end].is_punct:
        end += 1
    while start > 0 and not doc[start - 1].whitespace_ and not doc[start - 1].is_punct:
        start -= 1
    return start, end


def sentence_bounds(doc: Doc) -> tuple[list[tuple[int, int]], list[int]]:
    """The doc's sentences as token bounds (start, end), and each token's sentence number; one sentence
    when the doc has no sentence boundaries set. (From the SENT_START array in one call: walking
    `doc.sents` makes a Token per token, a tenth of the scorer's time when done for every reply.)"""
    n = len(doc)
    if not n or not doc.has_annotation("SENT_START"):
        return [(0, n)], [0] * n
    starts = [i for i, v in enumerate(doc.to_array([SENT_START]).tolist()) if v == 1 or i == 0]
    bounds = list(zip(starts, [*starts[1:], n], strict=True))
    sent_of: list[int] = []
    for k, (a, b) in enumerate(bounds):
        sent_of.extend([k] * (b - a))
    return bounds, sent_of
