"""Cues said only to be refused: "I won't hug you" names a hug and offers none.

A cue hears its phrases in a reply whatever the reply does with them. For most cues that is what the author
wants, and for some it is the point ("I can't keep it secret" is the limits of confidentiality). But a cue
that hears an act (offering a hug, overriding a choice, a false reassurance, agreeing to keep something off
the record) is matched as well by the reply that refuses or denies that act, and a rule on it then sends the
learner down the road of the act: "I don't think I should hold your hand" was answered with "(She holds on
to you, hard...)", "I'm not here to put you into a home" with "Out.". A cue marked `negated: ignore` is not
heard where each of its phrases found in the reply is negated or refused there; the engine drops it before
the rules and the next line are chosen (and from the stored assessment, so the debrief agrees), the practice
layer before coaching. `trainer validate` asks authors to decide (SCN053) for the cues most at stake.

The test is on the reply's words as typed, a plain reading with no scorer: a phrase is refused when a
negation stands before it in its clause ("I won't", "nobody is going to", "I don't think I should",
"instead of"), or when the sentence takes it back after it ("a hug, but I shouldn't", "maybe not"). A cue
the scorer matched by a pattern, or by a form of its words this reading does not find, is kept: it is only
dropped when every occurrence found is refused, and at least one is found.

Words are read as the scorer's tokenizer reads them, in the chat register students type: with or without
apostrophes ("i wont hug u" refuses as "I won't hug you" does: `_CONTRACTED_NOT`), in the chat forms the
scorer knows ("u", "ur", "wiv": `trainer.chatwords.WORDS`, the one list the scorer's tokenizer reads
too), and with letters stretched ("dontttt", "huggg"). Otherwise a cue the scorer
heard in "i dont think i shud hold ur hand" was kept, and the learner was narrated holding her hand.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass

from trainer.chatwords import WORDS
from trainer.scenario.schema import Condition, Cue, Outcome, Scenario

# A word, with an apostrophe inside it ("won't", "it's"); other characters are separators or clause marks.
_TOKEN = re.compile(r"[a-z0-9]+(?:'[a-z]+)*|[.!?;:,()\[\]\u2013\u2014]|(?<!\w)-(?!\w)|--")
_SENTENCE_END = frozenset(".!?")
_CLAUSE_WORDS = frozenset({"but", "though", "although", "however", "yet", "and", "so", "because", "if"})
_NEGATORS = frozenset({
    "not", "no", "never", "nobody", "noone", "nothing", "none", "neither", "nor", "without", "cannot",
})
#: The negative contractions the scorer's tokenizer reads a "not" in, as words are compared here: without
#: their apostrophe ("won't", "wont" and "WON'T" are all "wont").
_CONTRACTED_NOT = frozenset({
    "aint", "arent", "cant", "couldnt", "cudnt", "darent", "didnt", "dnt", "doesnt", "dont", "hadnt", "hasnt",
    "havent", "shudnt", "wudnt",
    "isnt", "maynt", "mightnt", "mustnt", "neednt", "oughtnt", "shant", "shouldnt", "wasnt", "werent", "wont",
    "wouldnt",
})
_STRETCHED = re.compile(r"([a-z])\1{2,}")
# "instead of a hug", "rather than hold your hand": the second word is where the negation stands.
_PAIRED = {("instead", "of"), ("rather", "than")}
# A negation that does not refuse what follows: "I don't mind", "why don't I ...", "no problem".
_NOT_REFUSING_NEXT = frozenset({"mind", "worry", "hesitate", "problem", "doubt", "only", "just"})
_TAKE_BACK = frozenset({"shouldnt", "cant", "wont", "mustnt", "couldnt", "wouldnt", "not"})
_HEDGED_NO = frozenset({"maybe", "perhaps", "probably", "better", "best"})
_BREAKS = frozenset({Outcome.boundary_crossed, Outcome.broke_down})
_LOOK_BACK = 6
"""How many words before a phrase a negation may stand and still govern it."""


@dataclass(frozen=True)
class _Word:
    text: str
    """The word as compared: lower case, without apostrophes, a chat form as its word ("u" -> "you")."""
    stem: str
    clause: int
    sentence: int
    stretched: str = ""
    """The stem of the word with its stretched letters kept two to a run ("tooo" -> "too"), when it has a
    letter typed three times or more; its `text` and `stem` keep one ("youuu" -> "you", "huggg" -> "hug")."""
    negative: bool = False
    """A negation: "not", "never", a negative contraction ("won't", "wont", "dontttt")."""


def _normal(text: str) -> str:
    return text.lower().replace("\u2019", "'").replace("\u2018", "'").replace("cannot", "can't")


def _compared(token: str) -> str:
    """A word as compared: without apostrophes ("won't" is "wont", as the scorer reads both), a chat form
    as the word it stands for."""
    bare = token.replace("'", "")
    return WORDS.get(bare, bare)


def _stem(word: str) -> str:
    # A rough stem, so "leaving" finds "leave" and "hugs" finds "hug" (the scorer's cue matcher is finer).
    for suffix in ("ing", "ed", "es", "s"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3 and "'" not in word:
            word = word[: -len(suffix)]
            break
    if len(word) > 3 and word[-1] == word[-2] and word[-1] not in "aeiouls":
        word = word[:-1]  # "hugg" (from "hugging") is "hug"
    return word[:-1] if len(word) > 3 and word.endswith("e") else word


def _words(text: str) -> list[_Word]:
    words: list[_Word] = []
    clause = sentence = 0
    for token in _TOKEN.findall(_normal(text)):
        if not token[0].isalnum():
            clause += 1
            sentence += token in _SENTENCE_END
            continue
        text = _compared(_STRETCHED.sub(r"\1", token))
        if text in _CLAUSE_WORDS:
            clause += 1
        stretched = _stem(_compared(_STRETCHED.sub(r"\1\1", token))) if _STRETCHED.search(token) else ""
        negative = text in _NEGATORS or text in _CONTRACTED_NOT
        words.append(_Word(text, _stem(text), clause, sentence, stretched, negative))
    return words


def _is_negator(words: list[_Word], i: int) -> bool:
    word = words[i].text
    if i > 0 and (words[i - 1].text, word) in _PAIRED:
        return True
    if not words[i].negative:
        return False
    if i + 1 < len(words) and words[i + 1].text in _NOT_REFUSING_NEXT:
        return False
    return not (i > 0 and words[i - 1].text in {"why", "or"})  # "why don't I ...", "... or not"


def _refused(words: list[_Word], start: int, end: int) -> bool:
    """Whether the phrase at words[start:end] is negated before it, or taken back after it."""
    clause, sentence = words[start].clause, words[start].sentence
    for i in range(start - 1, max(-1, start - 1 - _LOOK_BACK), -1):
        if words[i].clause != clause:
            break
        if _is_negator(words, i):
            return True
    after = words[end : end + 8]
    for j, word in enumerate(after):
        if word.text == "but" and word.sentence == sentence:
            if any(w.text in _TAKE_BACK for w in after[j + 1 : j + 4]):  # "a hug, but I shouldn't"
                return True
        if word.text == "not" and j > 0 and after[j - 1].text in _HEDGED_NO:  # "maybe not"
            return True
    return False


def _occurrences(words: list[_Word], phrase: str) -> list[tuple[int, int]]:
    target = [w.stem for w in _words(phrase)]
    n = len(target)
    if not n:
        return []
    return [
        (i, i + n)
        for i in range(len(words) - n + 1)
        if all(stem in (w.stem, w.stretched) for w, stem in zip(words[i : i + n], target, strict=True))
    ]


def only_refused(text: str, cue: Cue) -> bool:
    """Whether the reply says the cue's phrases only to refuse or deny them: at least one occurrence found,
    and every occurrence negated or taken back."""
    words = _words(text)
    found = [span for phrase in cue.phrases for span in _occurrences(words, phrase)]
    return bool(found) and all(_refused(words, start, end) for start, end in found)


def heard(cues: Mapping[str, Cue], text: str, matched: Collection[str]) -> list[str]:
    """The matched cue ids (in their order) less those marked `negated: ignore` that the reply says only
    to refuse."""
    return [
        cue_id
        for cue_id in matched
        if not (cue_id in cues and cues[cue_id].negated == "ignore" and only_refused(text, cues[cue_id]))
    ]


def _positive_cues(cond: Condition | None, negated: bool = False) -> set[str]:
    """The cues whose match can help `cond` hold (those not under an odd number of `not`s)."""
    if cond is None:
        return set()
    found = {cond.cue} if cond.cue is not None and not negated else set()
    for sub in cond.all or ():
        found |= _positive_cues(sub, negated)
    for sub in cond.any or ():
        found |= _positive_cues(sub, negated)
    if cond.not_ is not None:
        found |= _positive_cues(cond.not_, not negated)
    return found


def undecided(scenario: Scenario) -> dict[str, str]:
    """The cues whose author should say how a refusal of their words counts (`negated`), with why, in words:
    a cue that hears what a reply should not do (a `matched_note`), or one a rule takes straight to an ending
    where the relationship breaks down or the frame is crossed ("is tested by node 'heater' > response 1,
    which ends the conversation at 'end_overridden'"). Cues already
    marked, and cues with only patterns (this reading cannot find them), are left out."""
    found: dict[str, str] = {}
    for cue_id, cue in scenario.cues.items():
        if cue.negated is None and cue.phrases and cue.matched_note:
            found[cue_id] = "hears what a reply should not do (it has a `matched_note`)"
    for node_id, node in scenario.nodes.items():
        if node.ending is not None:
            continue
        for i, response in enumerate(node.responses, 1):
            target = scenario.nodes.get(response.goto)
            if target is None or target.ending is None or target.ending.outcome not in _BREAKS:
                continue
            for cue_id in sorted(_positive_cues(response.if_)):
                tested = scenario.cues.get(cue_id)
                if tested is None or tested.negated is not None or not tested.phrases or cue_id in found:
                    continue
                found[cue_id] = (
                    f"is tested by node '{node_id}' > response {i}, which ends the conversation at "
                    f"'{response.goto}'"
                )
    return found
