"""What the act model sees of one sentence, besides the classifier's probabilities and the rule hits.

    sentence_features(words, text, ctx_stems, ctx_feelings, ctx_question, (index, count)) -> [0-1, ...]

Form (a final "?", a wh-word or an inverted auxiliary first, "you" + a modal, an imperative first), relation
to the service user's line (content words taken up, a feeling named that they did not name, an echo of
their words), and register (terse, backchannel). Used by `trainer.scoring.actlayer` and the combiner.
"""

from __future__ import annotations

from collections.abc import Sequence

from trainer.scoring.features import (
    AUX_FIRST,
    FEELINGS,
    FRAMES,
    IRREGULAR,
    ME,
    OPENERS,
    PERCEIVE,
    SUBJECTS,
    WH,
    YOU,
    content_stems,
    others_words,
    stem,
)

MODALS = frozenset({"should", "could", "must", "ought", "need", "needs"})
"""After "you", these point to an action (advice); "have/got to", "might/may want to" and "'d better" too."""
IMPERATIVES = frozenset(
    """try call phone ring go make take get write speak talk ask keep look stop start give put think
    remember let contact email text book see apply check consider pop bring tell avoid sleep eat drink rest
    focus just""".split()
)
PRAISE = frozenset(
    """well brilliant amazing proud courage courageous strength strong great impressive credit admire
    fantastic incredible lovely determined resourceful committed brave achievement achieved progress
    effort""".split()
)
BACKCHANNEL = frozenset(
    "mm mmm hmm mm-hmm mhm uh-huh uh huh right yeah yes yep ok okay sure i see go on alright oh ah".split()
)
PITY = frozenset("sorry poor bless awful terrible horrible dreadful heart shame hun hon hang".split())
SELF_WORDS = frozenset({"my", "mine", "myself"})
WE_WORDS = frozenset({"we", "us", "our", "let's", "let"})
PEOPLE = frozenset(
    """wife husband partner mum mom mam mother dad father son daughter kids children child baby boss doctor
    gp nurse family brother sister friends friend mates girlfriend boyfriend ex teacher teachers landlord
    grandchildren nan grandad carer""".split()
)
"""People in the service user's life: "your wife's worried..." is about their world (a third-person
reflection), not a question or advice."""
FILLERS = frozenset("um er erm uh like kinda sort kind".split())
TIME_WORDS = frozenset(
    "today minutes hour hours week weeks next visit meeting appointment session sessions plan".split()
)

SENT_FEATURES: tuple[str, ...] = (
    "q_mark", "wh_first", "aux_first", "you_first", "frame", "i_first", "we_words", "modal_you",
    "imperative", "dont_first", "sorry", "praise", "pity", "feeling", "feeling_new", "overlap",
    "overlap_ratio", "echo_first", "all_echo", "terse", "length", "backchannel", "my_words", "time_words",
    "ctx_question", "first", "last", "only", "you_statement", "their_people", "filler",
)
"""The hand-made features of one sentence (0-1), beside the classifier's probabilities and rule hits. Not
"is there a context": in the labelled data lines without one are mostly greetings and information, so
the model would learn that as "not a reflection"; in the app a context is always given."""


def _perfect(rest: Sequence[str]) -> bool:
    """Whether the words after a modal make it perfect, a judgement of the past rather than an action to
    take: "(n't) have done", "'ve walked", "not have been", "of" typed for "'ve" ("should have a chat" is
    still advice)."""
    rest = list(rest[1:]) if rest[:1] and rest[0] in {"not", "n't"} else list(rest)
    if rest[:1] in (["'ve"], ["of"]):  # "should've", and "should of" as it is often typed
        return True
    if rest[:1] != ["have"] or len(rest) < 2:
        return False
    nxt = rest[1]
    return nxt in {"been", "done", "had"} or nxt in IRREGULAR or (nxt.endswith("ed") and len(nxt) > 4)


def _advises(after: Sequence[str]) -> bool:
    """Whether the words after a "you" point to an action: "should", "could", "need to", "have to",
    "'ve got to", "might want to", "'d better" (at most one word, e.g. "really", between). A perfect
    modal ("you shouldn't have done it", "you could've been hurt") looks back and advises nothing."""
    for k in range(min(2, len(after))):
        w, rest = after[k], after[k + 1 :]
        if w in MODALS:
            return not _perfect(rest)
        if w in {"have", "has", "'ve", "got"} and rest[:1] == ["to"]:
            return True
        if w in {"'ve", "have"} and rest[:2] == ["got", "to"]:
            return True
        if w in {"might", "may"} and rest[:1] == ["want"]:
            return True
        if w == "'d" and rest[:1] == ["better"]:
            return True
    return False


SUGGESTING = frozenset({"thought", "considered", "tried", "thinking"})
CLAUSE_START = frozenset({"and", "but", "so"})
"""Words after which a clause may open with a frame ("You do a lot for your mum, and I can hear you...")."""


LEADS = OPENERS | {"so", "and", "but", "huh"}
"""Spoken openers and discourse markers before the words that give a sentence its form: "Um, and so what
I'm hearing is...", "Mm-hmm. Okay, so you...", "Yeah, and..."."""


def _core(words: Sequence[str]) -> Sequence[str]:
    """The sentence's words after its spoken openers (all of them, but never the last word)."""
    i = 0
    while i < len(words) - 1 and words[i] in LEADS:
        i += 1
    return words[i:]


CLAUSE_SUBJECTS = SUBJECTS | {"my", "his", "her", "their", "our", "the", "this", "that", "people"}
CLAUSE_WH = frozenset({"when", "where", "while", "once", "if", "whenever"})
CLEFT_VERBS = frozenset({"is", "'s", "was", "stays", "matters", "means", "sounds", "seems"})


def _wh_clause(core: Sequence[str], text: str) -> bool:
    """Whether a sentence that opens with a wh-word and a subject, with no "?", is a statement: a clause
    with the main clause after a comma ("So when you hear a knock, it brings it all back"), or a cleft
    ("What I'm hearing is...", "What you tell me stays with the team": LABELLING rule 16). Without either it
    is a question with its auxiliary dropped, as chat writes them ("how u feeling about it", "where you
    living now")."""
    w0, w1 = _first3(core)[:2]
    if w1 not in CLAUSE_SUBJECTS:
        return False
    if w0 in CLAUSE_WH:
        return "," in text or " - " in text
    return w0 == "what" and (w1 in {"i", "i'm", "we"} or not CLEFT_VERBS.isdisjoint(core[2:]))


SENSING = frozenset({"sense", "impression", "feeling"})
_SENSE_FILL = frozenset({"'m", "am", "get", "getting", "got", "have", "'ve", "a", "the", "strong", "real",
                         "clear", "kind", "of", "bit", "little"})


def _senses(words: Sequence[str]) -> bool:
    """Whether the words open with the worker's sense of the person: "I get the sense...", "I'm getting a
    strong sense that...", "I have the impression...". Not "I'm feeling..." (the worker's own state): a
    "feeling" needs "a" or "the" before it."""
    if words[:1] != ["i"]:
        return False
    for i, w in enumerate(words[1:6], start=1):
        if w in SENSING:
            return i > 1 and (w != "feeling" or words[i - 1] in {"a", "the"})
        if w not in _SENSE_FILL:
            return False
    return False


def _first3(words: Sequence[str]) -> tuple[str, str, str]:
    """The first three words, "" for those missing."""
    a, b, c = (list(words[:3]) + ["", "", ""])[:3]
    return a, b, c


def _framed(words: Sequence[str]) -> bool:
    """Whether a sentence or a clause that starts with `words` frames what follows as the person's:
    "sounds like...", "it sounds...", "I wonder...", "I can hear you worry"."""
    a, b, c = _first3(words)
    return ((a in FRAMES and b in {"like", "as", "you"}) or (a in {"it", "that", "i"} and b in FRAMES)
            or (a == "i" and b in {"can", "could"} and c in PERCEIVE) or _senses(words))


def _suggests(core: Sequence[str]) -> bool:
    """Whether a sentence (its words after a spoken opener) is a suggestion in question form, which the
    labelling guide (rule 2) and MITI code as advice: "have you thought about asking...", "how about
    trying...", "could you try...", "would you consider..."."""
    a, b, c = _first3(core)
    if a in {"have", "'ve"} and b == "you" and c in SUGGESTING:
        return True
    if a in {"how", "what"} and b == "about" and c.endswith("ing"):
        return True
    return a in {"could", "would", "can"} and b == "you" and c in {"try", "consider"}


def sentence_features(
    words: Sequence[str],
    text: str,
    ctx_stems: dict[str, str],
    ctx_feelings: frozenset[str] | set[str],
    ctx_question: bool,
    position: tuple[int, int],
    ctx_words: frozenset[str] = frozenset(),
) -> list[float]:
    """The SENT_FEATURES of one sentence.

    Args:
        words: the sentence's words (lower-case norms, no punctuation), in order.
        text: the sentence as written (for its final "?").
        ctx_stems: the context's content words by stem (`features.content_stems`); {} without a context.
        ctx_feelings: the stems of the feeling words in the context.
        ctx_question: the context line ends with "?" (the person asked something).
        position: (index of the sentence, number of sentences).
        ctx_words: the context's words (lower case): a praise or pity word they said themselves, given
            back ("didn't work out very well", "awful"), is an echo, not the worker's praise or pity.
    """
    n = len(words)
    core = _core(words)  # after the spoken openers
    w0, w1 = _first3(core)[:2]
    q_mark = text.rstrip().endswith("?")
    stems = content_stems(list(words))
    shared = [s for s in content_stems(others_words(list(words))) if s in ctx_stems]
    feelings = [w for w in words if w in FEELINGS]
    new_feelings = [w for w in feelings if stem(w) not in ctx_feelings]
    first_content = next((s for s in stems), None)
    wh_asks = w0 in WH and (q_mark or not _wh_clause(core, text))
    word_set = set(words)
    worker_words = word_set - ctx_words
    modal_you = 0.0
    for i, w in enumerate(words):
        if w in YOU and _advises(words[i + 1 : i + 6]):
            modal_you = 1.0
            break
    if "why" in word_set and "not" in word_set:
        modal_you = 1.0
    if _suggests(core):
        modal_you = 1.0
    index, count = position
    return [
        1.0 if q_mark else 0.0,
        1.0 if wh_asks or (w0 == "tell" and w1 == "me") else 0.0,
        1.0 if w0 in AUX_FIRST and w1 in SUBJECTS else 0.0,
        1.0 if w0 in YOU else 0.0,
        1.0 if _framed(core) or any(_framed(words[i + 1 :]) for i, w in enumerate(words) if w in CLAUSE_START)
        else 0.0,
        1.0 if w0 in ME or w0 == "i'm" else 0.0,
        1.0 if not WE_WORDS.isdisjoint(word_set) else 0.0,
        modal_you,
        1.0 if w0 in IMPERATIVES else 0.0,
        1.0 if w0 == "do" and w1 in {"not", "n't"} else 0.0,
        1.0 if "sorry" in word_set else 0.0,
        1.0 if not PRAISE.isdisjoint(worker_words) else 0.0,
        1.0 if not PITY.isdisjoint(worker_words) else 0.0,
        1.0 if feelings else 0.0,
        1.0 if new_feelings else 0.0,
        min(len(shared), 3) / 3.0,
        len(shared) / max(1, len(stems)),
        1.0 if first_content is not None and first_content in ctx_stems else 0.0,
        1.0 if stems and len(shared) == len(stems) else 0.0,
        1.0 if n <= 5 else 0.0,
        min(1.0, n / 25.0),
        1.0 if words and all(w in BACKCHANNEL for w in words) else 0.0,
        1.0 if not SELF_WORDS.isdisjoint(word_set) else 0.0,
        1.0 if not TIME_WORDS.isdisjoint(word_set) else 0.0,
        1.0 if ctx_question else 0.0,
        1.0 if index == 0 else 0.0,
        1.0 if index == count - 1 else 0.0,
        1.0 if count == 1 else 0.0,
        # a statement about the person or their world: "you"/"your" in a sentence that neither asks
        # (no "?", no wh-word or inverted auxiliary first) nor advises
        1.0 if not q_mark and not modal_you and not wh_asks and w0 not in AUX_FIRST
        and not YOU.isdisjoint(word_set) else 0.0,
        1.0 if any(w in YOU and words[i + 1 : i + 2] and words[i + 1] in PEOPLE for i, w in enumerate(words))
        else 0.0,
        1.0 if not FILLERS.isdisjoint(word_set) else 0.0,
    ]


INWARD = frozenset({"feel", "feels", "felt", "think", "thinks", "thought", "believe", "reckon", "wish",
                    "wished",
                    "worry", "worried", "blame", "regret", "wonder", "keep", "kept"})
"""Verbs that report the person's own mind: after "you", what follows is their thought, not advice ("You
feel you should have seen it", "You keep thinking you could have stopped it")."""


def not_advice(words: Sequence[str]) -> bool:
    """Whether a sentence, though it has "you" and a modal, cannot be advice (LABELLING rule 19): it reports
    their own mind ("You feel you shouldn't have shouted", "Part of you thinks you could have stopped it",
    "You think you should have spotted it") or a "you" + modal that never advises, looking back or saying
    what they could not do ("You couldn't bring yourself to ring her", "You had to give up work"), or a
    guess at their feeling ("You must be gutted about Joan"; "You must be careful" still advises).

    Args:
        words: the sentence's words (lower-case norms, no punctuation; "couldn't" is "could", "not").
    """
    core = list(_core(words))
    a, b, c = _first3(core)
    if a in YOU and b in INWARD:
        return True
    if a == "part" and b == "of" and c in YOU:
        return True
    if a in YOU and b == "must" and c == "be" and not FEELINGS.isdisjoint(core[3:6]):
        return True  # "You must be gutted": a guess at their feeling, not an order
    for i, w in enumerate(core[:-2]):
        if w in YOU:  # the first "you" with two words after it
            nxt, after = core[i + 1], core[i + 2]
            return (nxt == "could" and after in {"not", "n't", "never"}) or (nxt == "had" and after == "to")
    return False
