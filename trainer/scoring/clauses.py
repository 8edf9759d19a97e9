"""Sentences typed without their full stops, read as the sentences they are.

Students in the chat register run their sentences together: "ur grieving for ur daughter and caring for her
kids at the same time how often do u hear from her" is a reflection and then a question, but spaCy's
sentencizer splits only at marks, so the scorer read one sentence, whose act was the question: the
reflection was vetoed with it. On the held-out split's replies of two sentences or more, typed in lower case
without their inner full stops, empathy was right for 225 of 258 against 248 as written (models/README.md,
eleventh round).

`clause_starts` finds where a new sentence starts inside a run of words with no mark between them: a
question (a wh-word with its auxiliary and who it asks about, or a modal: "how often do u", "what would
help"; an auxiliary and "you": "are you ok"), the worker's "I'm (so) sorry", and, in the chat register only
(no capital letter in the sentence), a subject and its verb ("i'll", "you've", "we can"); never after a
word that leads into them (not "and", "if", "so", "think", "said", "sorry", an auxiliary...), and only with
a sentence of its own before it and at least MIN_WORDS words on each side. The component
`trainer_sentencizer` is spaCy's sentencizer followed by these splits; the build uses it for every reply it
trains on, so training and use agree.
"""

from __future__ import annotations

from typing import Any

from spacy.language import Language
from spacy.pipeline import Sentencizer
from spacy.tokens import Doc

from trainer.scoring.tokenview import token_view

MIN_WORDS = 3
"""Words on each side of a split: "i know you are" is not two sentences of one and two words."""

SUBJECTS = frozenset({"i", "you", "we", "he", "she", "they", "that", "there", "it"})
#: What follows a subject to make it a clause (token norms: "'m" is "am", "ca" + "n't" is "can" + "not").
VERBS = frozenset(
    """am are is was were 's 're 've 'll 'd have has had will would can could must should might do does did
    feel feels felt think thought know knew need needs want wants sound sounds seem seems get got""".split()
)
WH = frozenset({"what", "how", "why", "when", "where", "who", "which"})
#: After a wh-word, what makes it a question's start: "what have", "how often", "what do", "where's".
ASKING = VERBS | frozenset({"often", "long", "much", "many", "else"})
#: Words after which a subject or a wh-word continues the sentence rather than starting one: joining
#: words, auxiliaries, and the verbs and feelings that take a clause ("I think you're", "sorry you had",
#: "know what", "has he").
LEADS_IN = frozenset(
    """and but or so because cos coz if when while whilst that than as like until till unless since where
    what how why who which whether though although then also plus even just only to of for with about at
    in on from by into out up think thinks thought know knows knew say said says saying tell tells told
    telling mean means meant guess hope hoped wish believe believes realise realize reckon suppose feel
    feels felt sound sounds seem seems sure afraid glad sorry worried scared pleased happy surprised
    shocked aware remember forget forgot ask asked wonder wondering understand see saw hear heard notice
    noticed explain decide matter idea help let make makes making made the a an my your our his her their
    its this these those not n't no never whatever whenever wherever before after""".split()
) | VERBS
#: First words of a sentence that makes the words after it part of it: a question ("do you know which
#: house he's in"), a clause that leads into another ("if he's sent home it should be recorded", "once
#: we're done I'll..."), or a comparison ("so fast there's no gap").
OPENS_LONGER = WH | VERBS | frozenset(
    """if when whenever once because cos as since unless until till while whilst although though after
    before whether what's how's where's who's""".split()
)
#: Spoken openers skipped before a sentence's first word.
OPENERS = frozenset("so and but oh ok okay yeah yes well right um er erm hmm mm aw aww gosh".split())


def _a_sentence(norms: list[str], puncts: list[bool], start: int, end: int, need_verb: bool = True) -> bool:
    """Whether norms[start:end] can be a sentence of its own: a subject followed by its verb in it (unless
    not `need_verb`: before a question, "ur grieving for ur daughter" is one, "ur" being "your" to the
    tokenizer), and a first word (after "so", "yeah"...) that does not make it lead into more
    (OPENS_LONGER)."""
    words = [n for n, p in zip(norms[start:end], puncts[start:end], strict=True) if not p]
    while words and words[0] in OPENERS:
        words = words[1:]
    if not words or words[0] in OPENS_LONGER:
        return False
    pairs = zip(words, words[1:], strict=False)
    return not need_verb or any(a in SUBJECTS and b in VERBS for a, b in pairs)


#: Who a question asks about, after its wh-word and auxiliary: "how often do *u*", "what have *they*".
ASKED = frozenset({"you", "i", "we", "he", "she", "they", "it", "that", "there", "your", "things", "the"})
#: Auxiliaries that start a question when "you" follows: "do u", "are you", "have you", "can you".
QUESTION_AUX = frozenset("do does did are is was were have has had can could would will should".split())
#: After a wh-word, a modal alone starts a question: "what would help", "how can we".
MODALS = frozenset({"would", "could", "can", "will", "might", "should", "'d"})


ASKS, SAYS = "asks", "says"


def _starts(norms: list[str], i: int, end: int, chat: bool = False) -> str:
    """Whether a sentence can start at token i: a question (a wh-word, its auxiliary and who it asks about:
    "how often do u hear from her", "what would you want"; or an auxiliary and "you": "are you ok"), or
    the worker's "I'm (so) sorry". Relative clauses ("the people who can help", "something you do") and a
    clause after "think", "scared" or "sure" never start one, nor, without a part of speech to tell them
    apart, does any other statement."""
    ahead = norms[i : min(end, i + 4)]
    if ahead[0] in WH - {"who", "which"}:
        rest = ahead[1:]
        if rest[:1] and rest[0] in {"often", "long", "much", "many"}:
            rest = rest[1:]
        asked = len(rest) >= 2 and (rest[0] in MODALS or (
            rest[0] in QUESTION_AUX | {"'s", "'re", "'d", "'ll"} and rest[1] in ASKED))
        return ASKS if asked else ""
    if ahead[0] in QUESTION_AUX:
        return ASKS if ahead[1:2] == ["you"] else ""
    if ahead[:2] == ["i", "am"] and (ahead[2:3] == ["sorry"] or (
            ahead[2:3] in (["so"], ["really"], ["very"]) and ahead[3:4] == ["sorry"])):
        return SAYS
    # in the chat register (no capitals), a statement too: "ur exhausted | i'll ring the school", but not
    # "that" or "there", which start relative clauses as often ("the bit that's hard")
    says = chat and ahead[0] in SUBJECTS - {"that", "there"} and ahead[1:2] != [] and ahead[1] in VERBS
    return SAYS if says else ""


def clause_starts(
    norms: list[str], puncts: list[bool], start: int, end: int, chat: bool = False
) -> list[int]:
    """The token indexes in [start, end) where a sentence typed without its mark starts (see the module
    docstring), in order. `norms` are the reply's token norms (lower case), `puncts` whether each token is
    punctuation; a split needs the words before it, back to the last split, to be a sentence of their own
    (`_a_sentence`) with no mark in them."""
    out: list[int] = []
    last = start
    for i in range(start + MIN_WORDS, end - MIN_WORDS + 1):
        if puncts[i - 1] or norms[i - 1] in LEADS_IN:
            continue
        starts = _starts(norms, i, end, chat)
        if not starts:
            continue
        if any(puncts[last:i]):  # a comma or a dash between: the writer marked their own clauses
            continue
        if sum(not p for p in puncts[last:i]) < MIN_WORDS or sum(not p for p in puncts[i:end]) < MIN_WORDS:
            continue
        if not _a_sentence(norms, puncts, last, i, need_verb=starts != ASKS):
            continue
        out.append(i)
        last = i
    return out


class ClauseSentencizer(Sentencizer):
    """spaCy's sentencizer, then a new sentence at each `clause_starts` inside its sentences."""

    def predict(self, docs: Any) -> list[list[bool]]:
        """Where spaCy's sentencizer starts each sentence (after a mark of `punct_chars` and any marks that
        follow it), read from the token attributes at once (`tokenview`) rather than a Token at a time."""
        guesses = []
        for doc in docs:
            view = token_view(doc)
            doc_guesses = [False] * len(doc)
            if len(doc) > 0:
                start = 0
                seen_period = False
                doc_guesses[0] = True
                for i, (text, punct) in enumerate(zip(view.texts, view.puncts, strict=True)):
                    is_in_punct_chars = text in self.punct_chars
                    if seen_period and not punct and not is_in_punct_chars:
                        doc_guesses[start] = True
                        start = i
                        seen_period = False
                    elif is_in_punct_chars:
                        seen_period = True
                if start < len(doc):
                    doc_guesses[start] = True
            guesses.append(doc_guesses)
        return guesses

    def set_annotations(self, docs: Any, batch_tags: Any) -> None:
        super().set_annotations(docs, batch_tags)
        for doc in docs:
            split(doc)


def split(doc: Doc) -> Doc:
    """Mark the sentences typed without their marks in `doc` (in place; its sentence starts set already)."""
    view = token_view(doc, resplit=True)  # the sentences as just set; the tokens read at once
    if len(doc) < 2 * MIN_WORDS:
        return doc
    norms, puncts = view.norms, view.puncts
    split_any = False
    for start, end in view.bounds:
        if end - start >= 2 * MIN_WORDS:
            chat = not any(c.isupper() for c in view.span_text(start, end))
            for i in clause_starts(norms, puncts, start, end, chat):
                doc[i].is_sent_start = True
                split_any = True
    if split_any:
        token_view(doc, resplit=True)
    return doc


@Language.factory(
    "trainer_sentencizer",
    assigns=["token.is_sent_start", "doc.sents"],
    default_config={
        "punct_chars": None, "overwrite": False, "scorer": {"@scorers": "spacy.senter_scorer.v1"}
    },
)
def make_sentencizer(
    nlp: Language, name: str, punct_chars: list[str] | None, overwrite: bool, scorer: Any
) -> ClauseSentencizer:
    """spaCy's sentencizer with the splits of `clause_starts`."""
    return ClauseSentencizer(name, punct_chars=punct_chars, overwrite=overwrite, scorer=scorer)
