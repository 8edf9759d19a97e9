"""Evidence spans as whole phrases: a rule match widened or trimmed so a learner reads a phrase, not
"about half an" or "six weeks, and".

    whole_phrase(norms, puncts, start, end, (sentence_start, sentence_end)) -> (start, end)   # token offsets

the sentence bounds from `trainer.scoring.tokenview`. Used by the rules component
(`trainer.scoring.components`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

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
NEEDS_NEXT = frozenset(
    """let give make get got take bring tell keep put help pass send ask show call ring text will would can
    could should must might may shall 'll 'd do does did am 'm 're were be been being have has had 've gonna
    going want need trying try still even always never also only not n't no bad good rough hard tough
    difficult great little big whole same other more less most few couple new old real proper terrible
    awful horrible lovely nice poor work one two three four five six seven eight nine ten twelve twenty
    thirty forty fifty""".split()
)
"""Words that need what follows them when it follows: a verb its object ("Come here, let" -> "Come here,
let me give you a cuddle"; "I'll need to let" -> "... let my manager know"), an auxiliary or adverb its
verb ("At least he's still" -> "... still got you"), an adjective or number its noun ("You're not a bad"
-> "... a bad mother at all"; "We've got two" -> "... two more sessions after this one"). Followed by a
word, such an end takes in the rest of its clause (CLAUSE_REACH words at most), else the next word."""
CLAUSE_REACH = 6
OPENS_CLAUSE = frozenset({"how", "what", "that"})
"""Dangling words that open a clause: the span takes in the clause ("we'll look at how things" -> "... how
things are going after six weeks")."""
STANDS_ALONE = frozenset({"what", "it", "that", "this", "these", "those", "her", "them", "how"})
"""Dangling words that stand alone as the last words of their clause: "no matter *what*", "I'll sort *it*",
"don't worry about *that*." keep them when nothing follows in the sentence but a mark or a joining word."""
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
    either edge are trimmed; an end that needs what follows it (NEEDS_NEXT: a verb, an auxiliary, an
    adjective or a number followed by a word) takes in the rest of its clause. A match that is all edge is
    kept as it was."""

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
                opens = any(norms[k] in OPENS_CLAUSE for k in range(hi - 1, j))
                if opens or norms[j] in NEEDS_NEXT or norms[j].isdigit():
                    return lo, _to_clause_end(norms, puncts, j + 1, s_end)
                return lo, _to_head(norms, puncts, j + 1, s_end)
            if j == hi and norms[hi - 1] in STANDS_ALONE and (
                hi >= s_end or puncts[hi] or norms[hi] in LOOSE_EDGE
            ):
                break  # "... no matter what": the clause ends on it
            hi -= 1
        elif loose(hi - 1):
            hi -= 1
        else:
            break
    if norms[hi - 1] in LOOSE_EDGE | DANGLING_END or loose(hi - 1) or loose(lo):
        return start, end
    if hi < s_end and not puncts[hi] and norms[hi] in PARTICLES:
        return lo, hi + 1
    if norms[hi - 1] in NEEDS_NEXT or norms[hi - 1].isdigit():
        return lo, _to_clause_end(norms, puncts, hi, s_end)
    return lo, _to_head(norms, puncts, hi, s_end, MAX_EXTEND - 1)


def _to_clause_end(norms: list[str], puncts: list[bool], hi: int, s_end: int) -> int:
    """The end of a span whose last word needs what follows (NEEDS_NEXT): the end of its clause (the next
    mark or joining word) when that is at most CLAUSE_REACH words on and is not a dangling word, else the
    next word when that is a content word, else `hi` as it was."""

    def stop(k: int) -> bool:
        return k >= s_end or puncts[k] or norms[k] in LOOSE_EDGE

    if stop(hi):
        return hi
    k = hi
    while not stop(k) and k - hi < CLAUSE_REACH:
        k += 1
    if stop(k) and norms[k - 1] not in DANGLING_END:
        return k
    return hi + 1 if norms[hi] not in DANGLING_END else hi


def whole_words(doc: Doc, start: int, end: int) -> tuple[int, int]:
    """Token bounds widened so that no written word is cut: a span never ends inside "don't" ("they do"
    says the opposite), "won't" or "I'm", nor starts inside one (tokens written with no space between
    them are one word to a reader), nor at a hyphen inside a word ("all single" of "all single-handed")."""
    while end < len(doc) and not doc[end - 1].whitespace_ and (not doc[end].is_punct or _joins(doc, end)):
        end += 1
    while start > 0 and not doc[start - 1].whitespace_ and (
        not doc[start - 1].is_punct or _joins(doc, start - 1)
    ):
        start -= 1
    return start, end


def _joins(doc: Doc, i: int) -> bool:
    """Whether token `i` is a hyphen inside a written word ("single-handed", "self-conscious"): no space on
    either side and a word on both."""
    return (
        doc[i].text in {"-", "\u2010"}
        and 0 < i < len(doc) - 1
        and not doc[i - 1].whitespace_
        and not doc[i].whitespace_
        and not doc[i - 1].is_punct
        and not doc[i + 1].is_punct
    )
