"""Promises read with what follows them in the same reply: a promise taken back by its limits is the frame.

"Most of what you say stays between us" alone promises a secrecy no worker can keep (an overstep); followed
by "but if you weren't safe, I couldn't keep it secret", it is confidentiality with its limits: the
professional frame. So is "I won't tell anyone. Well - unless you or Alfie were in danger", and so is
availability followed by its hours: "Ring me any time. Well, within office hours, nine to five." The rules
component matches sentence by sentence; `limits_said` then reads the reply's hits as a whole.
`secrecy_agreed` reads a short reply against the line before it: "course, its confidential" after "don't
tell anyone" agrees to the secrecy asked for. Used by `trainer.scoring.components.RulesComponent`.
"""

from __future__ import annotations

import re
from typing import Any

from trainer.scoring.answers import answer_words

#: The boundary rules that say the limits of a promise of privacy: what is shared, when, with whom.
PRIVACY_LIMITS: frozenset[str] = frozenset(
    {"confidentiality", "safety_limit", "honest_limits", "secrecy.negated"}
)
#: Promises of availability, taken back only by a correction: "Ring me any time. *Well, within* office
#: hours" takes it back; "Ring me any time, day or night. The office is open nine to five." names the
#: office's hours beside it. ("I'll pop round any time you need me" is `open_ended_chat`.)
CORRECTED_ONLY: frozenset[str] = frozenset({"unlimited_availability", "open_ended_chat"})
#: Flip rules whose promise is honest once its limits are said in the same reply (after it; for privacy,
#: before it too), each with the rules that say those limits: "Most of what you say stays between us. But
#: if you weren't safe, I couldn't keep it secret." (secrecy); "I won't tell anyone. Unless you were in
#: danger." (collusion: "won't tell anyone" is both); "Ring me any time. Well, within office hours."
#: (availability). A promise to leave something out of the notes is not taken back by the records named
#: after it.
LIMITED_BY_WHAT_FOLLOWS: dict[str, frozenset[str]] = {
    "secrecy": PRIVACY_LIMITS | {"records"},
    # not "honest_limits": "I won't tell anyone. I can't promise the council will agree." limits another thing
    "collusion": frozenset({"confidentiality", "safety_limit", "secrecy.negated", "collusion.negated"}),
    **dict.fromkeys(CORRECTED_ONLY, frozenset({"availability", "unlimited_availability.negated"})),
}
#: Words that correct or narrow what was just offered (token norms).
CORRECTING = frozenset("well actually sorry mean rather within only during between but though except".split())
#: What the learner reads of a promise taken back, by the promise's rule.
_HOURS_TAIL = "' comes with its hours, said in the same reply"
_LIMITS_TAIL = "' comes with its limits, said in the same reply"
TAKEN_BACK: dict[str, str] = dict.fromkeys(CORRECTED_ONLY, "'{text}" + _HOURS_TAIL)
LIMITED_REASON = "'{text}" + _LIMITS_TAIL
TAKEN_BACK_SCORE = 0.8
"""The boundaries score of a reply that takes a promise back by its limits or hours (`taken_back`) when
the combiner scored it lower: the classifier reads "Ring me any time." as the frame crossed whatever follows,
but the promise with its limits said is the frame stated (LABELLING.md, boundaries)."""


def taken_back(reason: str) -> bool:
    """Whether a rule hit's learner-facing `reason` (its {text} filled in) is that of a promise taken back
    by `limits_said`."""
    return reason.endswith(_HOURS_TAIL) or reason.endswith(_LIMITS_TAIL)


REFUSED = "refused"
"""The exception marking the sentence of an offer refused (a flip rule of the overstep negated: "I won't
hold your hand or put my arm round you", "i cantttt give u my number") or wished and turned down
(`wished_then_refused`): the classifier reads "put my arm round you" or "give you a hug" as the offer made.
It withdraws the overstep from that sentence only when no rule finds one anywhere in the reply
(`cautions.exception_withdrawals`)."""
#: What the sentence of a promise taken back (or said negated) cannot carry, in the shape of the rules'
#: `withdraws` (read by `CombinerComponent._withdraws`): the classifier reads "Ring me any time." as an
#: overstep whatever follows it.
TAKEN_BACK_WITHDRAWS: dict[str, tuple[str, ...]] = {
    **{f"{rule}.negated": ("overstep",) for rule in LIMITED_BY_WHAT_FOLLOWS}, REFUSED: ("overstep",)
}


def limits_said(
    hits: list[tuple[int, int, str, str, str]],
    rules: dict[str, dict[str, Any]],
    norms: list[str],
) -> list[tuple[int, int, str, str, str]]:
    """Hits (start, end, signal, rule id, reason; token offsets into `norms`), in order, with each promise
    of LIMITED_BY_WHAT_FOLLOWS turned to its negated side when a hit of its limits follows it:
    confidentiality with its limits is the frame, and so is availability with its hours (said as a
    correction: CORRECTED_ONLY), even when the limits come in the next sentence. Nothing is taken back when
    the reply crosses the frame another way too ("Here's my personal number, ring me any time. Office hours
    are nine to five.")."""
    if any(h[2] == "overstep" and h[3] not in LIMITED_BY_WHAT_FOLLOWS for h in hits):
        return hits
    out = []
    for k, (start, end, signal, rule_id, reason) in enumerate(hits):
        limits = LIMITED_BY_WHAT_FOLLOWS.get(rule_id)
        # a limit said after the promise; for a promise of privacy, before it too ("Unless you were in
        # danger, I won't tell anyone")
        if limits and rule_id in rules and any(
            h[3] in limits and _own_limit(h, start, end, norms)
            and (rule_id not in CORRECTED_ONLY or _corrected(norms, end, h[1]))
            for h in (hits[k + 1 :] if rule_id in CORRECTED_ONLY else hits[:k] + hits[k + 1 :])
        ):
            signal, reason = rules[rule_id]["negated"]["signal"], TAKEN_BACK.get(rule_id, LIMITED_REASON)
            rule_id = f"{rule_id}.negated"
        out.append((start, end, signal, rule_id, reason))
    return out


_TOPIC_ONLY = frozenset(
    """what you tell told say said to me private privacy confidential confidentiality stays stay
    between""".split()
)
"""Words of a limit's rule that name the privacy talked of, not its limits: "I won't tell Craig what you
say to me, and it stays in this room" has no limits in it."""


def _own_limit(hit: tuple[int, int, str, str, str], start: int, end: int, norms: list[str]) -> bool:
    """Whether `hit` is a limit said in words of its own, not in the promise's (tokens start..end): outside
    it, and, when negated and after it, with a negator of its own between them. "ofc i wont tell anyone hun
    its between us" read "between us" as negated by the promise's "wont", so as its limits: the promise
    of secrecy was praised as the frame stated."""
    if hit[0] < end and start < hit[1]:
        return False
    if _TOPIC_ONLY.issuperset(norms[hit[0] : hit[1]]):
        return False  # "what you say to me" names what is kept, not when it cannot be
    negated_after = hit[3].endswith(".negated") and hit[0] >= end
    return not negated_after or not _NEGATORS.isdisjoint(norms[end : hit[0]])


def _corrected(norms: list[str], start: int, end: int) -> bool:
    """Whether the words from token `start` to `end` correct or narrow what came before (CORRECTING, or
    "that is": "Weekdays, that is")."""
    words = norms[start:end]
    return not CORRECTING.isdisjoint(words) or any(
        a == "that" and b in {"is", "'s"} for a, b in zip(words, words[1:], strict=False)
    )


#: The service user's line asks for secrecy (lower case).
ASKS_SECRECY = re.compile(
    r"\b(?:don'?t|do not|not|won'?t|never) (?:tell|say|write|mention|put)\b|"
    r"\bbetween (?:us|you and me|ourselves)\b|"
    r"\bkeep (?:it|this|that) (?:quiet|secret|to yourself|between)\b|\bpromise (?:me|you won'?t|not)\b|"
    r"\boff the record\b|\bstays? (?:here|between)\b|\bour (?:little )?secret\b"
)
#: Assent (token norms) by which a reply agrees to it.
AGREES = frozenset("yes yeah yep yh course ok okay sure fine promise confidential private secret".split())
#: Words that say its limits, or decline it.
WITH_LIMITS = frozenset(
    """unless except if risk safe safety harm hurt danger share tell manager have need record write
    write down notes not no never cannot honest""".split()
) | {"n't"}
#: A short reply about someone else is not the worker's assent, whatever it repeats of the secret.
OTHERS = frozenset({"he", "she", "they", "him", "her", "them", "his", "their"})
AGREED_REASON = "'{text}' agrees to keep it secret; no worker can promise that if someone is at risk"


def secrecy_agreed(norms: list[str], puncts: list[bool], context: str | None) -> tuple[int, int] | None:
    """Token bounds of the words by which a short reply agrees to the secrecy the service user asked for
    ("course, its confidential" to "don't tell anyone"), with no limits said; None otherwise.

    Args:
        norms: the reply's token norms (lower case, "n't" for "not").
        puncts: whether each token is punctuation.
        context: the service user's line before the reply.
    """
    words = answer_words(norms, puncts, context, ASKS_SECRECY, WITH_LIMITS)
    if words is None:
        return None
    if not OTHERS.isdisjoint(norms):  # "He called it your little secret": their story, not an assent
        return None
    agreeing = [i for i in words if norms[i] in AGREES]
    if not agreeing:
        return None
    return agreeing[0], agreeing[-1] + 1


#: Words before an offer that make it a wish, not a deed: "I'd love to give you a hug", "I wish I could".
WISHED = frozenset({"'d", "would", "wish", "want", "wanted", "love", "like", "tempted"})
#: A contrast after it, and who then turns it down: "but I shouldn't", "but that's not allowed".
_CONTRAST = frozenset({"but", "though", "although"})
_TURNING_DOWN = frozenset({"i", "we", "that", "it", "this"})
_NEGATORS = frozenset({"not", "n't", "nt", "never", "cannot"})


def wished_then_refused(norms: list[str], puncts: list[bool], start: int, end: int, s_start: int,
                        s_end: int) -> bool:
    """Whether an offer (tokens start..end of a sentence s_start..s_end) is wished and then turned down in
    the same sentence: a wish before it ("I'd love to", "I wish I could", "part of me wants to") and a
    contrast after it with a negation in its first words and at most five words after that ("I'd love to
    give you a hug but I shouldn't", "I would give you my number, but that's not something I can do").
    An offer made and then regretted ("Here's my number, but I'm not supposed to") is still made: no wish
    comes before it."""
    if WISHED.isdisjoint(norms[max(s_start, start - 6) : start]):
        return False
    words = [n for n, p in zip(norms[end:s_end], puncts[end:s_end], strict=True) if not p]
    for k, word in enumerate(words[:-1]):
        if word in _CONTRAST | {"no"} and words[k + 1] in _TURNING_DOWN:
            rest = words[k + 2 :]
            # up to the next contrast: "No, I can't, *but I can sit with you*" says something else
            rest = rest[: next((i for i, n in enumerate(rest) if n in _CONTRAST), len(rest))]
            negated = [i for i, n in enumerate(rest[:3]) if n in _NEGATORS]
            if negated:
                return len(rest) - negated[0] - 1 <= 5
            # "I'd love to be your friend, but I'm your social worker": the role says no
            return rest[:1] == ["am"] and not _ROLE.isdisjoint(rest[1:5])
    return False


def wish_end(norms: list[str], bounds: list[tuple[int, int]], k: int) -> int:
    """Where the turning down of a wish in sentence k (token `bounds` of the reply's sentences) may end: the
    end of the next sentence when it starts "No" or "But" ("I wish I could hug you. No, I can't."), else the
    end of sentence k (for `wished_then_refused`)."""
    if k + 1 < len(bounds) and norms[bounds[k + 1][0]] in {"no", "but"}:
        return bounds[k + 1][1]
    return bounds[k][1]


_ROLE = frozenset({"worker", "practitioner", "nurse", "professional", "officer", "counsellor", "carer"})
#: After a refusal, what takes it back: "...but I'll make an exception for you", "...but just this once",
#: "...but you're a special case" (and "...but you're different": `refusal_undone`).
_UNDOING = frozenset({"exception", "once", "special"})
#: Giving in after the refusal: "but ok here it is", "but for u i will", "but fine", "but come here" (not "but
#: here's the helpline": an alternative offered).
_GIVING_IN: tuple[tuple[str, ...], ...] = (
    ("here", "it", "is"), ("come", "here"), ("go", "on"),
    ("for", "you", "i", "will"), ("ok", "then"), ("okay", "then"), ("why", "not"), ("fine",),
)
UNDONE_REASON = "'{text}' is refused and then made an exception of: the frame is crossed all the same"


def _gives_in(words: list[str], at: int) -> bool:
    """Whether `words` from `at` begin with a way of giving in (_GIVING_IN; "fine" only as the last word)."""
    return any(
        tuple(words[at : at + len(g)]) == g and (g != ("fine",) or at + 1 == len(words)) for g in _GIVING_IN
    )


def refusal_undone(norms: list[str], puncts: list[bool], end: int, s_end: int) -> bool:
    """Whether a refusal (its match ending at token `end`) is taken back later in its sentence: a contrast
    and then, within six words, an exception made ("I can't accept gifts, but I'll make an exception for
    you", "I never hug service users, but you're different", "...but just this once")."""
    words = [n for n, p in zip(norms[end:s_end], puncts[end:s_end], strict=True) if not p]
    for k, word in enumerate(words):
        after = words[k + 1 : k + 7]
        if word in _CONTRAST and (not _UNDOING.isdisjoint(after) or after[:3] == ["you", "are", "different"]):
            return True
        if word in _CONTRAST and any(_gives_in(after, n) for n in range(3)):
            return True
    return False
