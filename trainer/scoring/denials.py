"""Their words, denied: reassurance that sounds like a reflection.

After "I feel like I'm failing her", "You're not failing her" takes up their words, and a reader of words
alone (or the classifier) hears a reflection. It is not one: it tells them that what they fear or believe is
not so, before the worker can know it - reassurance, which the scoring notes count as sympathy (Moss:
false reassurance; models/LABELLING.md rule 17). The same holds for "They won't think you're lying" after
"I'm worried they'll think I'm lying", "You're never too old to learn" after "I'm too old to learn" and
"It's not your fault" after "It's my fault". A reflection of something they said in the negative keeps its
negative ("I can't cope" - "You can't cope"): only a negation the reply adds is a denial.

`denied_words` finds, in a statement (not a question) that is not about the worker ("I"/"we"), a negation
followed within two words by one of the person's own content words that their line did not negate. Used by
the rules component as the reading "reassurance.context" (sympathy; `trainer.scoring.readings`), whose
sentence cannot carry empathy (DENIAL_WITHDRAWS).
"""

from __future__ import annotations

import re
from collections.abc import Callable

from trainer.scoring.features import content_stems, same_word

DENIAL_REASON = (
    "'{text}' tells them what they said is not so: reassurance before you can know it, not their words "
    "given back"
)
DENIAL_WITHDRAWS: tuple[str, ...] = ("empathy",)
"""What a sentence that denies their words cannot carry."""

NEGATORS = frozenset({"not", "n't", "never", "nt", "no"})
"""A negation the reply adds; "no" only after a subject and its verb ("You're *no* bother", "it's no
trouble")."""
#: Who a denial is said of: the person, their situation, the people they fear ("you", "it", "they"...).
SUBJECTS = frozenset({"you", "your", "ur", "u", "it", "that", "this", "they", "he", "she", "nobody"})
#: Between the subject and the negation: the verb be or an auxiliary ("you're not", "they won't"); not
#: "should" or "must", which advise ("you shouldn't push people away").
AUX = frozenset("am are 're is 's was were will 'll wo would 'd could ca can do does did have has 've".split(
))
#: Between the negation and their word: "not *a* burden", "never *too* old", "not *your* fault".
FILLERS = frozenset({"a", "an", "the", "your", "ur", "too", "so", "being", "that", "at", "all", "really"})
#: Their words too general to be denied: "you don't *want* to leave the kids" is a reflection.
LIGHT = frozenset("""want wants wanted need needs needed feel feels feeling felt know knew like see say said
    tell told get got go going have had mean meant make made seem seems sound sounds look looks""".split())
#: A denial followed by what is so instead is a contrast, said in reflections ("it's not the flat, it's
#: being so far from the kids"): left to the classifier.
CONTRAST = frozenset({"but", "just", "its", "more", "rather", "instead"})
#: A subject after these is inside a condition or a reported clause ("even if he's not home").
_SUBORDINATE = frozenset({"if", "when", "whether", "because", "though", "although", "even", "unless"})
_CTX_WORD = re.compile(r"[^\W\d_](?:[^\W\d_]|')*|[,.;:!?]")  # letters of any alphabet, and apostrophes
_CTX_NEGATION = re.compile(
    r"^(?:not|no|never|nobody|nothing|none|noone|.+n't"
    r"|(?:do|does|did|ca|can|wo|is|are|was|were|could|should|would|have|has|had|ai|must|need)nt)$"
)
"""A negation in their line, typed with or without its apostrophe ("dont", "cant", "wasnt"); not any word
that ends in "nt" ("want", "went", "meant", "parent")."""
_CLAUSE = frozenset({",", ".", ";", ":", "!", "?", "but", "and", "because", "so", "though"})
#: "I don't *want to be* a bother": the negation is of the wanting; what they fear being is said plainly.
_WISH = frozenset({"want", "wanna", "like", "mean"})


def _context_stems(context: str) -> dict[str, tuple[str, bool]]:
    """The context's content words by stem -> (the word, whether it was said in the negative: a negation
    earlier in its clause, "I can't *cope*"), except what they fear being after a wish denied ("I don't
    want to be a *bother*": the bother is theirs to fear, not negated)."""
    out: dict[str, tuple[str, bool]] = {}
    negated = False
    recent: list[str] = []
    for w in _CTX_WORD.findall(context.lower().replace("\u2019", "'")):
        if w in _CLAUSE:
            negated = False
            continue
        if _CTX_NEGATION.match(w):
            negated = True
            continue
        recent = [*recent[-2:], w]
        if w == "be" and not _WISH.isdisjoint(recent):  # "don't want to be", "wouldn't like to be"
            negated = False
            continue
        for s in content_stems([w]):
            out[s] = (out[s][0] if s in out else w, negated or (s in out and out[s][1]))
    return out


NOTHING_TO = frozenset({"nothing", "no"})
""""There's *nothing* to dread", "*no* need to be scared", "you've *no* reason to feel guilty": their feeling
or fear said to have no ground (followed by NO_GROUND, then "to")."""
NO_GROUND = frozenset({"need", "reason", "point", "cause", "call"})
_STATE = frozenset({"be", "feel", "get"})


_SKIPPED = _STATE | FILLERS | {"being", "getting", "feeling"}
"""Between "to" and their word: "nothing to *be* scared", "no need to *feel so* guilty"."""


def _nothing_to(norms: list[str], words: list[int], k: int) -> int | None:
    """The index of their word in "nothing to (be/feel) X", "nothing you need to be X (of)", "no need/reason
    (at all) to (be/feel) (so) X" or "no point (in) being X", starting at words[k] ("nothing"/"no"), else
    None."""
    rest = [norms[j] for j in words[k + 1 :]]
    if norms[words[k]] == "no":
        if not rest or rest[0] not in NO_GROUND:
            return None
        i = 3 if rest[1:3] == ["at", "all"] else 1
        if rest[0] == "point" and rest[i : i + 1] != ["to"]:  # "no point (in) being scared"
            i += 1 if rest[i : i + 1] == ["in"] else 0
            if rest[i : i + 1] not in (["being"], ["getting"], ["feeling"]):
                return None
        elif rest[i : i + 1] != ["to"]:
            return None
        else:
            i += 1
    else:
        i = 2 if rest[:1] in (["you"], ["u"]) and rest[1:2] in (["need"], ["have"]) else 0
        if rest[i : i + 1] != ["to"]:
            return None
        i += 1
    while i + 1 < len(rest) and rest[i] in _SKIPPED:
        i += 1
    return words[k + 1 + i] if i < len(rest) else None


_FRAMED = frozenset("""feel feels felt think thinks thought know knew say says said saying tell tells told
    telling wish wished believe reckon wonder sounds seems hear heard""".split())
"""Words before "nothing to..." that make it their view or someone's words given back, not the worker's
reassurance: "You feel you've got nothing to lose", "Your mum used to say there's no need to be ashamed"."""


def _contrasted(after: list[str]) -> bool:
    """Whether the words after their word say what is so instead ("...it's the waiting", "...but you are"):
    a contrast said in reflections, not a denial."""
    return not CONTRAST.isdisjoint(after) or any(
        a in {"it", "that"} and b in {"'s", "is"} for a, b in zip(after, after[1:], strict=False)
    )


def _said_plainly(word: str, theirs: dict[str, tuple[str, bool]]) -> bool:
    """Whether `word` is one of their words (`_context_stems`) that they did not say in the negative."""
    return any(
        stem_ in theirs and not theirs[stem_][1] and same_word(w, theirs[stem_][0])
        for stem_, w in content_stems([word]).items()
    )


def denied_words(
    norms: list[str], puncts: list[bool], sentences: Callable[[], list[tuple[int, int]]], context: str | None
) -> tuple[int, int] | None:
    """Token bounds (start, end) of the first denial of their words (from its subject to their word), or
    None: a statement whose subject (SUBJECTS, not inside a condition) takes a negated verb ("you're not",
    "they won't", "it's not", "you're no") followed, at most a filler word apart, by a content word of
    their line that they did not say in the negative, with no contrast after it.

    Args:
        norms: the reply's token norms (lower case; "n't" for "not").
        puncts: whether each token is punctuation.
        sentences: gives the reply's sentences as token bounds (start, end); called only when the reply
            has a negation and the context content words.
        context: the service user's line before the reply, or None.
    """
    if not context or (NEGATORS.isdisjoint(norms) and NOTHING_TO.isdisjoint(norms)):
        return None
    theirs = _context_stems(context)
    if not theirs:
        return None
    for s_start, s_end in sentences():
        if any(puncts[i] and norms[i] == "?" for i in range(s_start, s_end)):
            continue
        words = [i for i in range(s_start, s_end) if not puncts[i]]
        for k, i in enumerate(words):
            said = _nothing_to(norms, words, k) if norms[i] in NOTHING_TO else None
            if (
                said is not None
                and _said_plainly(norms[said], theirs)
                # not their view or someone's words (a frame before it), nor followed by what is so instead
                and not any(norms[j] in _SUBORDINATE | _FRAMED | {"i", "we"} for j in words[:k])
                and not _contrasted([norms[j] for j in words if j > said])
            ):
                return i, said + 1  # "nothing to dread", "no need to be scared"
            if norms[i] not in NEGATORS:
                continue
            before = words[max(0, k - 3) : k]
            while before and norms[before[-1]] in AUX:
                before.pop()
            if not before or norms[before[-1]] not in SUBJECTS:
                continue
            if any(norms[j] in _SUBORDINATE for j in words[max(0, k - 5) : k]):
                continue
            rest = words[k + 1 :]
            while rest and norms[rest[0]] in FILLERS:
                rest = rest[1:]
            if [norms[j] for j in rest[:2]] in (["going", "to"], ["gon", "na"]):
                rest = rest[2:]  # "you're not going to lose the flat": the future, not "going"
            if not rest or norms[rest[0]] in LIGHT or _contrasted([norms[j] for j in rest[1:]]):
                continue
            if _said_plainly(norms[rest[0]], theirs):
                return before[-1], rest[0] + 1  # "You're not failing", "They won't think"
    return None
