"""Context features: how a reply relates to the service user's last line.

A reflection is recognised by its link to what the person just said: it takes up their content words,
names the feeling behind them, and is a "you" statement rather than a question asking for information
(see /work/shared/docs/scoring-notes.md). These features feed the combiner, which learns how much each
one counts; they are cheap (a few microseconds a reply) because they run on every reply.

Used by the context component in `trainer.scoring.components`.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import lru_cache

from spacy.lang.en.stop_words import STOP_WORDS
from spacy.tokens import Doc

from trainer.scoring.tokenview import token_view

FEATURE_NAMES: tuple[str, ...] = (
    "has_context",
    "overlap",  # shared content words with the context, 0-1 (3 or more = 1)
    "overlap_ratio",  # share of the reply's content words that come from the context
    "feeling",  # the reply names a feeling
    "feeling_new",  # ... one the person did not name themselves (the feeling behind their words)
    "you_statement",  # a sentence that starts "you ..." / "so you ..." / "it sounds like ..."
    "you_count",  # "you/your" per sentence, capped at 1
    "i_count",  # "I/me/my" per sentence, capped at 1 (talking about oneself)
    "info_question",  # a question asking for information (wh-word or inverted auxiliary + "?")
    "question",  # ends with "?"
    "length",  # log of the token count, scaled
)

FEELINGS: frozenset[str] = frozenset(
    """worried worry worrying anxious anxiety scared frightened afraid terrified fear fearful nervous
    stressed stress
    overwhelmed exhausted tired drained worn weary angry anger furious cross annoyed frustrated frustrating
    frustration irritated upset sad sadness low down depressed lonely loneliness alone isolated hurt hurting
    ashamed shame embarrassed guilty guilt responsible helpless hopeless stuck trapped confused lost unsure
    uncertain torn relieved relief pleased proud glad happy hopeful betrayed judged blamed ignored unheard
    dismissed invisible abandoned rejected unsupported pressured pushed cornered powerless useless worthless
    fragile shaken gutted devastated heartbroken grieving grief desperate panicky panic panicking struggling
    disappointed disappointment resentful resentment bitter jealous humiliated exposed unsafe unwanted burden
    burnt uneasy wary suspicious defensive tense scary painful miss missing missed
    fed sick empty numb invaded watched criticised mistrust distrust trust insulted unfair threatened
    blindsided bewildered shocked angry overwhelming exhausting lonely heavy weight
    knackered shattered frazzled jittery edgy edge fuming livid mortified petrified rattled spooked wiped
    hypervigilant discombobulated demoralised deflated dejected despondent miserable overstretched swamped
    unsettled restless agitated distraught distressed tearful irritable apprehensive dread dreading
    frightening terrifying upsetting draining isolating heartbreaking humiliating infuriating maddening
    unsettling crushing devastating disappointing""".split()
)
"""Words that name a feeling or a felt state, in the plain and the colloquial British words people use
("knackered", "on edge", "gutted")."""

FRAMES = frozenset(
    {"sounds", "sound", "seems", "seem", "hearing", "hear", "sense", "wonder", "feels", "feel"}
)
WH = frozenset({"what", "when", "where", "who", "whom", "which", "how", "why", "whose"})
AUX_FIRST = frozenset(
    {"are", "is", "do", "does", "did", "can", "could", "would", "will", "have", "has", "had", "was", "were",
     "should", "shall", "may", "might", "am"}
)
#: After "I can": the perceiving that frames a reflection ("I can hear you worry", "I can tell you're tired").
PERCEIVE = frozenset({"hear", "see", "tell", "sense"})
YOU = frozenset({"you", "your", "yours", "yourself", "you're", "you've", "you'd", "you'll"})
SUBJECTS = YOU | {"there", "he", "she", "they", "it", "i", "we"}
ME = frozenset({"i", "me", "my", "mine", "myself"})
WORD = re.compile(r"[^\W\d_][^\W\d_'-]*(?:['-][^\W\d_]+)*'?")
"""A word of their line: letters of any alphabet ("naïve", "Zoë", "tęsknota"), with inner apostrophes and
hyphens."""
_SUFFIXES = ("ing", "ed", "es", "s", "ly", "y")
#: Consonants a suffix doubles ("upsetting", "planned", "hugged"); not "l", "s", "f", "z", which end the word
#: doubled already ("falling" / "fall", "kissed" / "kiss").
_DOUBLED = frozenset("bdgmnprt")


#: Irregular past forms, by their verb: "nobody told me" is taken up by "no one telling you".
IRREGULAR: dict[str, str] = {
    past: verb
    for verb, pasts in {
        "tell": "told", "say": "said", "leave": "left", "feel": "felt", "think": "thought", "go": "went gone",
        "take": "took taken", "get": "got gotten", "keep": "kept", "lose": "lost", "bring": "brought",
        "buy": "bought", "come": "came", "give": "gave given", "know": "knew known", "make": "made",
        "meet": "met", "pay": "paid", "run": "ran", "sit": "sat", "see": "saw seen", "send": "sent",
        "sleep": "slept", "spend": "spent", "stand": "stood", "teach": "taught", "write": "wrote written",
        "hear": "heard", "hold": "held", "fall": "fell fallen", "break": "broke broken",
        "drink": "drank drunk",
        "eat": "ate eaten", "forget": "forgot forgotten", "find": "found", "hide": "hid hidden",
        "mean": "meant", "catch": "caught", "choose": "chose chosen", "fight": "fought", "grow": "grew grown",
        "speak": "spoke spoken", "steal": "stole stolen", "stick": "stuck", "throw": "threw thrown",
        "understand": "understood", "wake": "woke woken", "wear": "wore worn", "begin": "began begun",
        "drive": "drove driven", "forgive": "forgave forgiven", "shake": "shook shaken", "sell": "sold",
        "build": "built", "lend": "lent", "ring": "rang rung", "sing": "sang sung", "swim": "swam swum",
    }.items()
    for past in pasts.split()
}


@lru_cache(maxsize=50_000)
def stem(word: str) -> str:
    """A crude English stem, enough to match "worrying" with "worried", "kids" with "kid" and "told" with
    "telling" (IRREGULAR)."""
    word = word.lower().strip("'-")
    if word.endswith("'s"):
        word = word[:-2]
    if word in IRREGULAR:
        word = IRREGULAR[word]
    if word.endswith(("ies", "ied")) and len(word) > 4:
        word = word[:-3] + "y"  # then as the word itself: "worried", "worries" -> "worry" -> "worr"
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            base = word[: -len(suffix)]
            # "worrying" -> "worry" -> "worr", as "worry" itself; "crying" stays "cry"
            if suffix == "ing" and len(base) >= 4 and base.endswith("y") and base[-2] not in "aeiou":
                return base[:-1]
            if suffix == "s" and base[-1] in "siu":
                continue  # "stress", "nervous", "crisis": no plural "s" to take off
            if suffix in ("ing", "ed") and len(base) >= 4:
                # the consonant the suffix doubled: "upsetting" / "upset", "stopped" / "stop"
                if base[-1] == base[-2] and base[-1] in _DOUBLED:
                    return base[:-1]
                # the "k" an "-ic" verb takes: "panicking", "panicked" / "panic"
                if len(base) >= 6 and base.endswith("ick"):
                    return base[:-1]
            return base
    # "leave" and "leaving", "move" and "moved": the "e" the suffix took
    return word[:-1] if word.endswith("e") and len(word) >= 4 else word


#: Backchannels and fillers of speech: spoken openers (OPENERS) and never a word of content (SPOKEN).
BACKCHANNELS = frozenset("yeah yep yes okay ok mm mmm hmm mhm uh um umm er erm ah oh alright".split())
#: Words of speech that carry no content: backchannels, fillers and contractions of "going to" and the like.
#: Not content words, so "Really tired, uh-huh." still takes up all of "I'm really tired" and "yeah" or
#: "okay" on both sides is not a word taken up.
SPOKEN = BACKCHANNELS | {"yup", "huh", "gonna", "wanna", "gotta", "kinda", "sorta"}


def content_stems(words: list[str]) -> dict[str, str]:
    """Content words (not stop words or SPOKEN, 3+ letters) by stem, first spelling kept."""
    out: dict[str, str] = {}
    for w in words:
        s = _content_stem(w)
        if s is not None:
            out.setdefault(s, w)
    return out


@lru_cache(maxsize=50_000)
def _content_stem(word: str) -> str | None:
    """The stem of `word` if it is a content word (see `content_stems`), else None."""
    lw = word.lower()
    if len(lw) < 3 or lw in STOP_WORDS or lw in SPOKEN or not lw[0].isalpha():
        return None
    return stem(lw)


@lru_cache(maxsize=1024)
def their_words(line: str) -> tuple[dict[str, str], frozenset[str], frozenset[str]]:
    """What a reply is read against in the service user's `line`: its content words by stem
    (`content_stems`), the stems of its feeling words, and all its words (lower case). Read once per line
    (the replies to one line share it, and so do the context features and the act layer): the dict is
    shared, not to be changed."""
    words = WORD.findall(line.lower())
    return content_stems(words), frozenset(stem(w) for w in words if w in FEELINGS), frozenset(words)


def _as_said(word: str, context: str | None) -> str:
    """`word` (lower case) as the context spells it ("march" -> "March")."""
    found = _spelt(word).search(context) if context else None
    return found.group(0) if found else word


@lru_cache(maxsize=4096)
def _spelt(word: str) -> re.Pattern[str]:
    """`word` as a whole word in any case (compiled once per word: the evidence asks for the same few)."""
    return re.compile(rf"(?<![A-Za-z]){re.escape(word)}(?![A-Za-z])", flags=re.IGNORECASE)


#: Spoken openers skipped before a sentence's first word: backchannels, fillers, discourse markers.
OPENERS = BACKCHANNELS | {"mm-hmm", "right", "well"}
#: After "so", the subjects of their story given back (not "I"/"we": "so I'll ring you" is the worker's).
THEIRS = frozenset({"he", "she", "they", "it", "there", "that", "this", "the", "your"})
SOMEONE_ELSE = frozenset(
    """i me my we our he him his she her they them their nurse doctor gp teacher school mum dad mother
    father husband wife partner son daughter brother sister nan gran grandma grandad boyfriend girlfriend
    friend friends neighbour worker manager police officer staff everyone people family""".split()
)


def feelings_about_them(words: list[str]) -> list[str]:
    """The feeling words of a sentence (its words' norms) that name the person's own feeling: those whose
    nearest person before them in the sentence is "you/your", or that have no person before them. "I was
    worried", "the nurse was worried" and "your mum was worried about you" name another's; "I can see
    you're worried", "so the drinking helps with the stress" and "Exhausted, then." name theirs; "don't
    worry" names none."""
    out, owner = [], ""
    for i, w in enumerate(words):
        if w in YOU:
            owner = "you"
        elif w in SOMEONE_ELSE:
            owner = "other"
        elif w in FEELINGS and owner != "other" and not _told_not_to(words[max(0, i - 3) : i]):
            out.append(w)
    return out


def _told_not_to(before: list[str]) -> bool:
    """Whether the words before a feeling word tell them not to feel it: "don't *worry*", "try not to
    *panic*", "no need to *stress*" name no feeling of theirs."""
    return before[-2:] in (["do", "not"], ["do", "n't"], ["not", "to"]) or before[-3:] == ["no", "need", "to"]


#: After "I", the words that keep the speaker on their own state: "I was", "I've been really", "I'm so".
OWN_STATE = frozenset(
    "am was were have had been be got getting felt feel feeling too also really so very just honestly quite "
    "pretty bit a always still".split()
)
#: What ends the speaker's own state: a clause, a frame ("I'm hearing ..."), a thought ("I was thinking").
_OWN_END = (FRAMES - {"feel", "feels"}) | frozenset(
    """when because if that but as while since cos cause and or think thinking thought wondering guess
    imagine suppose understand understanding noticed noticing gather reckon get""".split()
)


def own_state(words: list[str]) -> list[bool]:
    """Per word of one sentence (lower-case norms, no punctuation): whether it says the speaker's own state,
    the words right after "I" and a verb of being or feeling ("I was *worried* you'd be out", "I felt
    *scared* when I read it", "I'm *tired* as well"). A word the person used, said of the worker, is the
    worker talking about themselves, not the person's words given back (at most three words a time)."""
    out = [False] * len(words)
    if "i" not in words:
        return out
    for i, w in enumerate(words):
        if w != "i":
            continue
        j = i + 1
        while j < len(words) and words[j] in OWN_STATE and words[j] not in _OWN_END:
            j += 1
        if j == i + 1:  # "I hear ...", "I wonder if ...": no state of the speaker's said
            continue
        for k in range(j, min(j + 3, len(words))):
            if words[k] in YOU or words[k] in SOMEONE_ELSE or words[k] in _OWN_END:
                break
            out[k] = True
    return out


#: After "I" (and a modal), the words that make the sentence a frame for theirs, not the worker's own account:
#: "I can see...", "I'd imagine...", "I get the sense...", "I'm hearing...".
_FRAMING = _OWN_END | PERCEIVE | frozenset(
    """hearing sensing notice noticed noticing wonder bet know remember feel felt guessing picking pick
    suspect suspecting expect expecting say saying struck realise realize realising realizing appreciate
    assume assuming take taking gather gathering seeing see imagining supposing thinking""".split()
)
_MODAL = frozenset(
    "can could 'd would do 'm am was were have 've had been just really also still only kind sort of even"
    .split()
)


#: After "my", the words of the worker's view of the person: "My sense is...", "My understanding is...".
_MY_VIEW = frozenset("""sense guess feeling impression hunch understanding take reading view thought thoughts
    thinking instinct gut""".split())


def own_account(words: list[str]) -> bool:
    """Whether a sentence (lower-case norms, no punctuation) is the worker's own account: "I" or "my" as its
    first word (after spoken openers), no "you" in it, and no frame after "I" ("I can see...", "I imagine
    ..."). Their line pasted back as the reply ("I'm up three times a night with her") or the worker's
    own story ("My mum was the same") takes up none of their words."""
    if not YOU.isdisjoint(words):
        return False
    i = 0
    while i < len(words) - 1 and words[i] in OPENERS:
        i += 1
    if i >= len(words) or words[i] not in {"i", "my"}:
        return False
    if words[i] == "my":  # "My mum was the same", but "My sense is...", "My guess is..." frame theirs
        return not words[i + 1 : i + 2] or words[i + 1] not in _MY_VIEW
    j = i + 1
    while j < len(words) and words[j] in _MODAL:
        j += 1
    if j >= len(words) or words[j] not in _FRAMING:
        return True
    # a frame of the worker's own thoughts about themselves is still their account: "I feel like I'm
    # failing him", "I think I'll manage"
    k = j + 1
    while k < len(words) and words[k] in {"like", "that", "as", "if", "though"}:
        k += 1
    return k < len(words) and words[k] in ME


def own_words(words: list[str]) -> list[bool]:
    """Per word of one sentence: whether it is the worker's own, not theirs given back: every word of the
    worker's own account (`own_account`), else the words of the speaker's own state (`own_state`)."""
    if "i" not in words and "my" not in words:
        return [False] * len(words)
    return [True] * len(words) if own_account(words) else own_state(words)


def others_words(words: list[str]) -> list[str]:
    """`words` (one sentence's norms) without the worker's own (`own_words`)."""
    if "i" not in words and "my" not in words:
        return words
    return [w for w, own in zip(words, own_words(words), strict=True) if not own]


def same_word(a: str, b: str) -> bool:
    """Whether two words are the same word for "takes up their words": equal, a plural or possessive of
    each other, or two words of four letters or more with one stem ("worrying"/"worried", "move"/"moved",
    not "car"/"cared")."""
    a, b = a.lower(), b.lower()
    if a == b or a.rstrip("s") == b.rstrip("s") or a.removesuffix("'s") == b.removesuffix("'s"):
        return True
    return min(len(a), len(b)) >= 4 and stem(a) == stem(b)


@dataclass(frozen=True)
class ContextLink:
    """The reply's strongest link to the context: the sentence and the words it takes up."""

    start: int
    end: int
    shared: tuple[str, ...]
    """The service user's own words, spelt as in their line, that the linked sentence takes up."""
    feeling: str | None


def context_features(doc: Doc, context: str | None) -> tuple[dict[str, float], ContextLink | None]:
    """The features of `doc` (the reply) against `context` (the service user's last line, or None)."""
    view = token_view(doc)  # the token attributes, read once for the whole pipeline
    # the words' norms, by sentence; the words as written, for the evidence; sentence character bounds
    tokens = view.bounds if len(doc) else []
    by_sent = [view.words(a, b) for a, b in tokens]
    words = [w for sw in by_sent for w in sw]
    texts = [view.texts[i] for i in range(len(doc)) if not view.puncts[i] and not view.spaces[i]]
    bounds = [(view.idx[a], view.end_char(b)) for a, b in tokens]
    n_sents = max(1, len(bounds))
    text = view.text
    ctx_stems, ctx_feeling_stems, _words = their_words(context) if context else ({}, frozenset(), frozenset())
    own = [o for sw in by_sent for o in own_words(sw)]  # the worker's own account is not their words
    reply_stems = content_stems([t for t, o in zip(texts, own, strict=True) if not o])
    shared = [s for s in reply_stems if s in ctx_stems and same_word(reply_stems[s], ctx_stems[s])]

    you_statement = 0.0
    info_question = 0.0
    best: tuple[int, int, list[str]] | None = None  # (shared words, sentence number, their stems)
    feelings: list[str] = []  # theirs (see `feelings_about_them`), in order
    feeling_sent: dict[str, int] = {}
    for k, sw in enumerate(by_sent):
        for w in feelings_about_them(sw):
            feelings.append(w)
            feeling_sent.setdefault(w, k)
    new_feelings = [w for w in feelings if stem(w) not in ctx_feeling_stems]
    for k, sw in enumerate(by_sent):
        if not sw:
            continue
        lead = 0  # spoken openers before the statement itself ("okay, mm, so he's ...")
        while lead < len(sw) - 1 and sw[lead] in OPENERS:
            lead += 1
        first = sw[lead]
        rest = sw[lead + 1 : lead + 3]
        if first in YOU or (first in {"so", "and", "but"} and rest[:1] and rest[0] in YOU):
            you_statement = 1.0
        elif first == "so" and rest[:1] and rest[0] in THEIRS:
            you_statement = max(you_statement, 0.5)  # "so he's at his dad's": their story given back
        elif first in {"it", "that"} and rest[:1] and rest[0] in FRAMES | {"must", "'s", "is"}:
            you_statement = max(you_statement, 0.5)
        elif first in FRAMES and rest[:1] and rest[0] in {"like", "as", "you"}:
            you_statement = 1.0
        elif first == "i" and rest[:1] and rest[0] in {"can", "could"} and rest[1:] and rest[1] in PERCEIVE:
            you_statement = 1.0  # "I can hear you worry", "I can see it's hard": a frame for their words
        is_q = text[bounds[k][0] : bounds[k][1]].rstrip().endswith("?")
        if is_q and (first in WH or (first in AUX_FIRST and rest[:1] and rest[0] in SUBJECTS)):
            info_question = 1.0
        if ctx_stems:
            theirs = content_stems(others_words(sw)).items()
            mine = [s for s, w in theirs if s in ctx_stems and same_word(w, ctx_stems[s])]
            if mine and (best is None or len(mine) > len(best[2])):
                best = (len(mine), k, mine)

    link = None
    if bounds and (best is not None or (new_feelings and you_statement)):
        k = best[1] if best is not None else feeling_sent[new_feelings[0]]
        start, end = bounds[k]
        # the feeling the evidence names is one named in the linked sentence itself
        named = [w for w in new_feelings if feeling_sent[w] == k]
        link = ContextLink(
            start=start,
            end=end,
            # their own words, as they said them, and only those the linked sentence takes up
            shared=tuple(_as_said(ctx_stems[s], context) for s in (best[2] if best is not None else [])[:4]),
            feeling=named[0] if named else None,
        )
    n_content = max(1, len(reply_stems))
    feats = {
        "has_context": 1.0 if ctx_stems else 0.0,
        "overlap": min(len(shared), 3) / 3.0,
        "overlap_ratio": len(shared) / n_content,
        "feeling": 1.0 if feelings else 0.0,
        "feeling_new": 1.0 if new_feelings else 0.0,
        "you_statement": you_statement,
        "you_count": min(1.0, sum(1 for w in words if w in YOU) / n_sents / 2),
        "i_count": min(1.0, sum(1 for w in words if w in ME) / n_sents / 2),
        "info_question": info_question,
        "question": 1.0 if text.rstrip().endswith("?") else 0.0,
        "length": min(1.0, math.log1p(len(words)) / 4.0),
    }
    return feats, link
