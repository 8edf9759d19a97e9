"""Chat register read as the words it stands for: "u" is "you", "im" is "I am", "frm" is "from".

Students type the way people text: lower case, no apostrophes, short forms. spaCy's English tokenizer
already reads most apostrophe-less contractions ("dont" -> do + not, "youre" -> you + are); this module
adds the short forms it does not know, as tokenizer special cases that set each token's NORM. Every part
of the scorer that reads words reads NORM (the classifier's n-grams, the rules, the context features), so
"ur number" and "your number" are one thing to all of them, and the evidence still quotes what was
typed (the token text is unchanged).

Only forms that mean one thing in a reply to a service user are listed: not "ill" (I'll, or ill), "id"
(I'd, or an ID), "its" (it's, or its), "ty" (thank you, or a name), "n" or "v" (a word, or a letter).
The same special cases are added to every tokenizer the build makes and to the saved pipeline
(`add_chat_norms`), so training and use agree.

A reply typed in CAPITALS is read as the same words: spaCy splits its contractions only as they are
listed, in lower and Title case, so "I CAN'T TAKE YOUR MONEY." kept "CAN'T" whole, no "not" was read, and
a refusal scored as the offer it refuses. `upper_cases` gives each of spaCy's special cases (ours: `_cased`)
its UPPER spelling, split into the same pieces with the same NORMs ("CA" + "N'T" read "can" + "not").
"""

from __future__ import annotations

import re
from collections.abc import Container
from typing import Any

from spacy.attrs import NORM, ORTH
from spacy.lang.en import English
from spacy.lang.en.stop_words import STOP_WORDS
from spacy.tokenizer import Tokenizer
from spacy.tokens import Doc
from spacy.util import compile_infix_regex, compile_prefix_regex, compile_suffix_regex, registry

from trainer.chatwords import WORDS
from trainer.scoring.features import BACKCHANNELS

#: Apostrophe-less contractions spaCy splits but leaves without the word's NORM: form -> (piece, norm)s.
SPLITS: dict[str, tuple[tuple[str, str], ...]] = {
    "im": (("i", "i"), ("m", "am")),
    "whats": (("what", "what"), ("s", "'s")),
    "thats": (("that", "that"), ("s", "'s")),
    "hes": (("he", "he"), ("s", "'s")),
    "shes": (("she", "she"), ("s", "'s")),
    "theres": (("there", "there"), ("s", "'s")),
    "wheres": (("where", "where"), ("s", "'s")),
    "hows": (("how", "how"), ("s", "'s")),
    "whos": (("who", "who"), ("s", "'s")),
    "coulda": (("could", "could"), ("a", "have")),
    "shoulda": (("should", "should"), ("a", "have")),
    "woulda": (("would", "would"), ("a", "have")),
    "alot": (("a", "a"), ("lot", "lot")),
    "dnt": (("d", "do"), ("nt", "not")),
    "shudnt": (("shud", "should"), ("nt", "not")),
    "wudnt": (("wud", "would"), ("nt", "not")),
    "cudnt": (("cud", "could"), ("nt", "not")),
}


CUT_OFF = r"(?<=[^\W\d_])(?:-+|[\u2013\u2014]+)"
"""A dash straight after a word's last letter is the speaker breaking off ("So you made it in here-", "it
was--"), as transcripts and hurried typing write it: a suffix of its own, so "here" is still the word
"here" to the classifier and to the echo of their words."""

CAPS_STOP = r"(?<=['\u2019][^\W\d_])\."
"""A full stop after a contraction's last letter ends the sentence in capitals too: spaCy splits a stop off
a lower-case letter or two capitals, so "I CAN'T." was one token, "CAN'T." (no special case), not "CA" +
"N'T" + "."."""


def _cased(form: str) -> list[str]:
    """The spellings a form is typed in: as listed, Capitalised, UPPER."""
    return list(dict.fromkeys([form, form[:1].upper() + form[1:], form.upper()]))


#: Spellings of spaCy's special cases not added, as they are words of their own in any reply: "bring
#: your ID" is not "I would", "MON WED FRI" is not "we would", "my sister Em" is not "them".
NOT_RESPELT = frozenset({"ID", "WED", "Em"})

Pieces = list[dict[Any, Any]]


def _respelt(form: str, pieces: Pieces, vocab: Any) -> Pieces | None:
    """`pieces` (of a lower-case or Title-case `form`) spelt as `form` is, each keeping its NORM: the one
    listed, else the one the lower-cased piece has on its own. None when the pieces do not spell `form`."""
    out: Pieces = []
    at = 0
    for piece in pieces:
        orth: str = piece[ORTH]
        spelt = form[at : at + len(orth)]
        if spelt.lower() != orth.lower():
            return None
        norm = piece.get(NORM) or vocab[orth.lower()].norm_
        out.append({**piece, ORTH: spelt, NORM: norm})
        at += len(orth)
    return out if at == len(form) else None


def upper_cases(exceptions: dict[str, Pieces], vocab: Any) -> dict[str, Pieces]:
    """The special cases `exceptions` lacks for their UPPER (and Capitalised) spellings, pieces and NORMs
    taken from the lower-case form where it is listed: "CAN'T" -> "CA" (can) + "N'T" (not), "I’M" -> "I"
    (i) + "’M" (am).

    Left out: abbreviations ending in a full stop ("MISS.", "ILL.", "ID.", "A."), which in capitals are
    words ending a sentence ("I'M ILL."), whose full stop the sentencizer needs; and NOT_RESPELT."""
    out: dict[str, Pieces] = {}
    for form in sorted(exceptions, key=lambda f: f != f.lower()):  # the lower-case forms first
        if form.endswith(".") and "." not in form[:-1]:
            continue
        source = exceptions.get(form.lower(), exceptions[form])
        for spelt in (form[:1].upper() + form[1:], form.upper()):
            if spelt in exceptions or spelt in out or spelt in NOT_RESPELT:
                continue
            pieces = _respelt(spelt, source, vocab) or _respelt(spelt, exceptions[form], vocab)
            if pieces is not None:
                out[spelt] = pieces
    return out


def add_chat_norms(tokenizer: Any) -> Any:
    """Give a spaCy tokenizer (in place; returned for chaining) English's special cases, prefixes, infixes
    and URL and token matches, our special cases and `upper_cases` of spaCy's, and English's suffixes with
    CUT_OFF and CAPS_STOP. A `ChatTokenizer` made by TOKENIZER starts bare and gets all of it here (the
    build) or from disk (the saved pipeline)."""
    defaults = English.Defaults
    exceptions: dict[str, Pieces] = dict(defaults.tokenizer_exceptions or {})
    rules = {**exceptions, **tokenizer.rules, **upper_cases(exceptions, tokenizer.vocab)}
    for form, norm in WORDS.items():
        for spelt in _cased(form):
            rules[spelt] = [{ORTH: spelt, NORM: norm}]
            if len(form) == 1:  # "with u." is "you" and a full stop, not spaCy's initial "u."
                rules[spelt + "."] = [{ORTH: spelt, NORM: norm}, {ORTH: "."}]
    for form, pieces in SPLITS.items():
        for spelt in _cased(form):
            cases, at = [], 0
            for piece, norm in pieces:
                cases.append({ORTH: spelt[at : at + len(piece)], NORM: norm})
                at += len(piece)
            rules[spelt] = cases
    # Each of these setters reloads every special case: empty them first, so they are loaded once.
    tokenizer.rules = {}
    tokenizer.prefix_search = compile_prefix_regex(defaults.prefixes or ()).search
    tokenizer.suffix_search = compile_suffix_regex([*(defaults.suffixes or ()), CUT_OFF, CAPS_STOP]).search
    tokenizer.infix_finditer = compile_infix_regex(defaults.infixes or ()).finditer
    tokenizer.token_match = defaults.token_match
    tokenizer.url_match = defaults.url_match
    tokenizer.rules = rules
    return tokenizer


STRETCHED_END = re.compile(r"([^\W\d_])\1{2,}$")
"""A word's last letter typed three times or more: "dontttt", "CAN'TTT"."""


def stretched_negative(word: str, rules: dict[str, Pieces]) -> Pieces | None:
    """The pieces of a negative contraction typed with its last letter stretched ("dontttt" -> "do" +
    "nttt", NORMs "do" + "not"), as the special case of its plain spelling splits it; None for any other
    word. One token "dontttt" read no "not", so "i dontttt think i should hug u" scored as the hug offered."""
    stretch = STRETCHED_END.search(word)
    if stretch is None:
        return None
    plain = word[: stretch.start() + 1]
    pieces = rules.get(plain)
    end = plain[-2:].lower()
    if not pieces or len(pieces) < 2 or pieces[-1].get(NORM) != "not" or end[-1] != "t" or end == "tt":
        return None
    last = pieces[-1]
    return [*pieces[:-1], {**last, ORTH: last[ORTH] + word[len(plain):]}]


class ChatTokenizer(Tokenizer):  # type: ignore[misc]
    """spaCy's tokenizer, which also splits a negative contraction typed with its last letter stretched
    (`stretched_negative`): spelt out as special cases, the stretched spellings of every contraction in
    every case were 1,248 of them, and a third of the pipeline's load time."""

    def __call__(self, text: str) -> Doc:
        doc = super().__call__(text)
        if not STRETCHED.search(text):  # nearly every reply: no letter typed three times
            return doc
        rules = self.rules
        split = [stretched_negative(token.text, rules) for token in doc]
        if not any(split):
            return doc
        words: list[str] = []
        spaces: list[bool] = []
        norms: list[str] = []
        for token, pieces in zip(doc, split, strict=True):
            if pieces is None:
                words.append(token.text)
                spaces.append(bool(token.whitespace_))
                norms.append(token.norm_)
                continue
            for piece in pieces:
                words.append(piece[ORTH])
                spaces.append(False)
                norms.append(piece.get(NORM) or self.vocab[piece[ORTH]].norm_)
            spaces[-1] = bool(token.whitespace_)
        out = Doc(self.vocab, words=words, spaces=spaces)
        for token, norm in zip(out, norms, strict=True):
            token.norm_ = norm
        return out


TOKENIZER = "trainer.chat_tokenizer.v1"
"""The registered name of the pipeline's tokenizer (models/config.cfg): a bare `ChatTokenizer`, whose
rules, affixes and matches come from `add_chat_norms` in the build and from disk at load, so that loading
the pipeline sets its 2,000 special cases once (not spaCy's defaults first, then the saved ones)."""


@registry.tokenizers(TOKENIZER)
def create_chat_tokenizer() -> Any:
    """The factory of TOKENIZER (a spaCy registry function: returns a function of the `Language`)."""

    def make(nlp: Any) -> ChatTokenizer:
        return ChatTokenizer(nlp.vocab)

    return make


def chat_blank() -> Any:
    """A blank English pipeline with the chat register's tokenizer: `ChatTokenizer` with `add_chat_norms`."""
    import spacy

    nlp = spacy.blank("en", config={"nlp": {"tokenizer": {"@tokenizers": TOKENIZER}}})
    add_chat_norms(nlp.tokenizer)
    return nlp


STRETCHED = re.compile(r"([^\W\d_])\1{2,}")
"""A letter typed three times or more in a row: "soooo", "sorryyyy", "pleeease"."""


def unstretched(word: str, words: Container[str]) -> str | None:
    """The word a stretched spelling stands for, or None when `word` (lower case) has no letter typed three
    times or more in a row, or is one letter only ("mmmm", "xxx"): each run cut to two letters when that
    spells a word (spaCy's stop words, `words`, or a backchannel: "toooo" -> "too", "gooood" -> "good",
    "hmmmm" -> "hmm"), else to one ("soooo" -> "so", "sorryyyy" -> "sorry", "pleeease" -> "please")."""
    if not STRETCHED.search(word) or len(set(word)) == 1:  # "mmmm", "xxx", "zzz": a sound or a mark
        return None
    two = STRETCHED.sub(r"\1\1", word)
    return two if two in STOP_WORDS or two in BACKCHANNELS or two in words else STRETCHED.sub(r"\1", word)


def add_stretched_norms(vocab: Any, words: Container[str]) -> None:
    """Give every word typed with a letter stretched ("soooo sorryyyy") the NORM of the word it stands for
    (`unstretched`), in `vocab` (in place), so the classifier, the rules and the context read "so sorry".
    spaCy reads a word's NORM from `vocab.lex_attr_getters` when it first meets the word, and rebuilds the
    getters from the language class at load, so the build and the saved pipeline's rules component
    (`RulesComponent.from_disk`, with the words it has read in training) each call this."""
    getters = vocab.lex_attr_getters
    base = getattr(getters[NORM], "unstretched_base", getters[NORM])

    def norm(string: str) -> str:
        said: str = base(string)
        plain = unstretched(said, words)
        return said if plain is None else plain

    norm.unstretched_base = base  # type: ignore[attr-defined]
    getters[NORM] = norm
