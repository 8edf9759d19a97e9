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
"""

from __future__ import annotations

from typing import Any

from spacy.attrs import NORM, ORTH
from spacy.lang.en import English
from spacy.util import compile_suffix_regex

#: One chat form -> the word it stands for (one token each).
WORDS: dict[str, str] = {
    "u": "you", "ya": "you", "yu": "you", "ur": "your", "yr": "your", "r": "are",
    "thx": "thanks", "thanx": "thanks", "pls": "please", "plz": "please",
    "cos": "because", "coz": "because", "cuz": "because", "bc": "because", "becos": "because",
    "frm": "from", "abt": "about", "wud": "would", "wld": "would", "cud": "could", "cld": "could",
    "shud": "should", "shld": "should", "ppl": "people", "tmrw": "tomorrow", "tmr": "tomorrow",
    "tmoz": "tomorrow", "2moro": "tomorrow", "2day": "today", "2nite": "tonight", "b4": "before",
    "txt": "text", "msg": "message", "sry": "sorry", "soz": "sorry", "wiv": "with",
    "bcos": "because", "thru": "through", "tho": "though", "prob": "probably", "probs": "probably",
    "defo": "definitely", "rly": "really", "gd": "good", "nite": "night", "luv": "love",
}  # fmt: skip

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
}


CUT_OFF = r"(?<=[^\W\d_])(?:-+|[\u2013\u2014]+)"
"""A dash straight after a word's last letter is the speaker breaking off ("So you made it in here-", "it
was--"), as transcripts and hurried typing write it: a suffix of its own, so "here" is still the word
"here" to the classifier and to the echo of their words."""


def _cased(form: str) -> list[str]:
    """The spellings a form is typed in: as listed, Capitalised, UPPER."""
    return list(dict.fromkeys([form, form[:1].upper() + form[1:], form.upper()]))


def add_chat_norms(tokenizer: Any) -> Any:
    """Add the special cases and the CUT_OFF suffix to a spaCy tokenizer (in place; returned for chaining)."""
    tokenizer.suffix_search = compile_suffix_regex([*(English.Defaults.suffixes or ()), CUT_OFF]).search
    for form, norm in WORDS.items():
        for spelt in _cased(form):
            tokenizer.add_special_case(spelt, [{ORTH: spelt, NORM: norm}])
    for form, pieces in SPLITS.items():
        for spelt in _cased(form):
            cases, at = [], 0
            for piece, norm in pieces:
                cases.append({ORTH: spelt[at : at + len(piece)], NORM: norm})
                at += len(piece)
            tokenizer.add_special_case(spelt, cases)
    return tokenizer
