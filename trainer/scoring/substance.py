"""A reflection gives something back: a sentence that says nothing the scorer knows cannot carry empathy.

"It sounds like asdfgh.", "It sounds like", "So you're..." and "You're feeling sdfsdf." are a reflection's
frame with nothing in it; the frame's words alone ("it sounds like", "so you're") made them empathy 0.98.
A sentence has substance when, beyond the words of a frame and the small words of grammar (FRAME_WORDS),
it has a word (`Lexicon.knows`): one the scorer has read in its training data (`RulesComponent.known`,
saved with the pipeline as `trainer_rules/known.txt`), one spelt as those words are (its runs of three
letters, with the word's start and end, found in them, one missing allowed in five letters: "regretful",
"flabbergasted", "everest"; not "asdfgh", "sdfsdf", "qwerty" or "ooooo"), or a word of
the service user's line, or one of them mistyped ("Milkman, then." after "...till the milkman came"; "So
you're anxoius." after "I'm so anxious"). A sentence without
substance is marked with the exception NO_SUBSTANCE, which withdraws empathy from it
(`cautions.settle_withdrawals`), and a frame rule's hit inside it is dropped.

Measured when this was written: of the real dev set's words missing from the training data, 94% are spelt
like known words, against 1.5% of 6,000 generated key-mashes (models/README.md, tenth round).
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Iterable

from trainer.scoring.chatnorms import STRETCHED
from trainer.scoring.features import BACKCHANNELS, WORD, content_stems, own_account, stem

_LETTERS = re.compile(r"[^\W\d_]+")
_BRACKETS = frozenset("()[]")
NO_SUBSTANCE = "no_substance"
"""The exception's id; it withdraws empathy (WITHDRAWS)."""
THEIR_LINE = "their_line"
"""The exception of a reply that is the service user's whole line pasted back (`pasted`): nothing of it is
given back by the worker, whatever its words."""
OWN_ACCOUNT = "own_account"
"""The exception of a sentence that is the worker's own account (`features.own_account`): "I'm up three
times a night with her" pasted back from their line, "My sister was the same": it gives nothing of theirs
back, however close its words and their meaning are to their line."""
WITHDRAWS: dict[str, tuple[str, ...]] = {
    NO_SUBSTANCE: ("empathy",), OWN_ACCOUNT: ("empathy",), THEIR_LINE: ("empathy",)
}

#: Words that stand in for what a reflection would say: a template, not a reflection ("You're feeling X
#: because Y."). Not "something" or "things": real reflections point back with them ("That's something
#: you care about").
PLACEHOLDERS = frozenset("blah etc x y z".split())
#: The words a frame and the grammar around it are made of: a sentence of only these gives nothing back.
FRAME_WORDS = BACKCHANNELS | frozenset(
    """i you he she it we they me him her us them my your his its our their yours 's 're 'm 've 'd 'll
    a an the this that these those there here is are was were be been being am have has had do does did
    not n't no so and but or then like as if though sound sounds sounded seem seems seemed look looks
    hear hearing heard feel feels feeling felt sense guess imagine think get got getting really just quite
    very kind sort of to in on at for with about what right well mm-hmm uh-huh hmm bit lot say says saying
    said mean means meaning tell telling because cos when while since""".split()
) | PLACEHOLDERS


def known_words(texts: Iterable[str | None]) -> frozenset[str]:
    """The lexicon of substance: the lower-case runs of letters (3 or more: "dad's" gives "dad") of `texts`
    (the training replies and the lines before them), minus FRAME_WORDS."""
    words: set[str] = set()
    for text in texts:
        if text:
            words.update(_LETTERS.findall(text.lower()))
    return frozenset(w for w in words if len(w) >= 3 and w not in FRAME_WORDS)


class Lexicon:
    """The words the scorer knows, and the runs of letters they are spelt with."""

    def __init__(self, words: Iterable[str]) -> None:
        self.words = frozenset(words)
        self.trigrams = frozenset(
            w[i : i + 3] for word in self.words for w in (f"^{word}$",) for i in range(len(w) - 2)
        )

    def knows(self, word: str) -> bool:
        """Whether `word` (lower case) is a known word or spelt like one (see the module docstring). A word
        with a letter outside English's a-z ("naïve", "tęsknota", "Zoë") is given the benefit of the doubt:
        the spelling test is of English."""
        if word in self.words or not word.isascii():
            return True
        if STRETCHED.search(word):
            return False
        w = f"^{word}$"
        missing = sum(w[i : i + 3] not in self.trigrams for i in range(len(w) - 2))
        return missing <= len(word) // 5

    def misspells(self, word: str) -> bool:
        """Whether `word` (six letters or more) is a known word mistyped: "exhuasted", "frustated"."""
        return len(word) >= 6 and bool(difflib.get_close_matches(word, self.words, n=1, cutoff=0.85))


def empty_sentences(
    norms: list[str],
    puncts: list[bool],
    bounds: list[tuple[int, int]],
    known: Lexicon | None,
    context: str | None,
) -> list[int]:
    """The numbers of the sentences (token `bounds`) without substance (see the module docstring).

    Args:
        norms: the reply's token norms (lower case).
        puncts: whether each token is punctuation.
        bounds: the sentences as token bounds (start, end).
        known: the lexicon; None: every word is known (only a sentence of FRAME_WORDS alone is empty).
        context: the service user's line, whose words are known too.
    """
    theirs: set[str] | None = None
    out = []
    words_known = known.words if known is not None else None
    for k, (start, end) in enumerate(bounds):
        if end - start >= 4 and len(set(norms[start:end])) <= 4 and _one_word_repeated(norms[start:end]):
            out.append(k)  # "tired tired tired tired": one word typed over and over says nothing more
            continue
        # the common case first: a word outside the frame that the scorer has read, and no brackets
        if words_known is not None and not _BRACKETS.intersection(norms[start:end]) and any(
            n in words_known and n not in FRAME_WORDS for n in norms[start:end]
        ):
            continue
        spoken = _outside_brackets(norms, start, end)
        if not any(spoken):
            out.append(k)  # "(She pulls out a notebook.)": an action, not words said
            continue
        words = [_alpha(norms[i]) for i in range(start, end)
                 if spoken[i - start] and not puncts[i] and any(c.isalpha() for c in norms[i])]
        if not words:
            continue  # an emoji or a mark alone: other rules speak for it
        rest = [w for w in words if w not in FRAME_WORDS]
        if known is not None and rest and not any(known.knows(w) for w in rest):
            if theirs is None:
                theirs = set(content_stems(WORD.findall(context.lower()))) if context else set()
            if not any(stem(w) in theirs or _misspelt(w, theirs) or known.misspells(w) for w in rest):
                rest = []
        if not rest:
            out.append(k)
    return out


def _alpha(word: str) -> str:
    """The word without the punctuation a norm may keep ("exhausted-" cut off, "'cause", "Y." read as an
    initial)."""
    return word.strip("'-.\u2019")


def own_accounts(norms: list[str], puncts: list[bool], bounds: list[tuple[int, int]]) -> list[int]:
    """The numbers of the sentences (token `bounds`) that are the worker's own account (OWN_ACCOUNT)."""
    if "i" not in norms and "my" not in norms:
        return []
    return [k for k, (start, end) in enumerate(bounds)
            if own_account([norms[i] for i in range(start, end) if not puncts[i]])]


def _outside_brackets(norms: list[str], start: int, end: int) -> list[bool]:
    """Per token of norms[start:end]: whether it is outside brackets, spoken: "(nods)", "(She pulls out a
    notebook.)" and "[insert reflection here]" are not words said to the person."""
    out, depth = [], 0
    for i in range(start, end):
        if norms[i] in ("(", "["):
            depth += 1
            out.append(False)
        elif norms[i] in (")", "]"):
            depth = max(0, depth - 1)
            out.append(False)
        else:
            out.append(depth == 0)
    return out


def _misspelt(word: str, theirs: set[str]) -> bool:
    """Whether `word` is one of their words (stems) mistyped: letters swapped or one missing or doubled
    ("anxoius" for "anxious", "exhuasted" for "exhausted"), in a word of five letters or more."""
    if len(word) < 5:
        return False
    return bool(difflib.get_close_matches(stem(word), [t for t in theirs if len(t) >= 4], n=1, cutoff=0.8))


PASTED = 0.85
"""How alike (difflib's ratio over the words) a reply of PASTED_WORDS or more words must be to their line to
be that line pasted back."""
PASTED_WORDS = 8


def pasted(text: str, context: str | None) -> bool:
    """Whether the reply `text` is the service user's line pasted back: eight words or more, alike in order
    to their whole line ("Mum's got MS. Some days she can't get out of bed..." given back as it was said).
    A part of their line given back ("Mum's got MS.") is an echo, and may be a reflection."""
    if not context:
        return False
    mine = _LETTERS.findall(text.lower().replace("\u2019", "'"))
    if len(mine) < PASTED_WORDS:
        return False
    theirs = _LETTERS.findall(context.lower().replace("\u2019", "'"))
    if abs(len(theirs) - len(mine)) > 0.3 * len(theirs):
        return False
    if len(set(mine).intersection(theirs)) < PASTED * len(set(mine)):  # cheap: most replies stop here
        return False
    return difflib.SequenceMatcher(None, mine, theirs, autojunk=False).ratio() >= PASTED


def _one_word_repeated(norms: list[str]) -> bool:
    """Whether a sentence's words beyond FRAME_WORDS are one word, four times or more."""
    content = [n for n in norms if n not in FRAME_WORDS and any(c.isalpha() for c in n)]
    return len(content) >= 4 and len(set(content)) == 1


def withheld(
    norms: list[str],
    puncts: list[bool],
    bounds: list[tuple[int, int]],
    known: Lexicon | None,
    context: str | None,
    text: Callable[[], str],
) -> dict[str, list[int]]:
    """The sentences (numbers into `bounds`) that cannot carry empathy, by the exception that marks them:
    NO_SUBSTANCE (`empty_sentences`), OWN_ACCOUNT (`own_accounts`) and, for their whole line pasted back,
    THEIR_LINE on every sentence (`pasted`; `text` gives the reply as typed, asked for only then)."""
    whole = len(norms) >= PASTED_WORDS and bool(context) and pasted(text(), context)
    return {
        NO_SUBSTANCE: empty_sentences(norms, puncts, bounds, known, context),
        OWN_ACCOUNT: own_accounts(norms, puncts, bounds),
        THEIR_LINE: list(range(len(bounds))) if whole else [],
    }
