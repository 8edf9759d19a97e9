"""A reply's last sentence read as finished: what a listener hears when the speaker stops.

Transcripts and hurried talk end on a dash where the speaker broke off ("So you made it in here-") or on
the speaker's own backchannels ("Knackered, mm-hmm, yeah."). Almost every labelled reply ends in "." or
"?", so to the classifier such an ending reads as something else: on the real counselling set, the
reflections cut off with a dash (one in five) were found half the time, the rest 62% of the time
(models/README.md, ninth round). `end_marked` gives the scorer the reply as heard: a final dash becomes a
full stop, unless the words before it are worded as a question (a wh-word, or an auxiliary before
"you"/"I"/"he"... first), which are left without one; backchannels after the last words ("mm-hmm",
"uh-huh", "yeah", "you know") are the speaker's noises, not the statement, and end it.

A reply typed with no mark at all is left as it is: the chat register is in the training data as typed,
and adding a full stop to it measured worse (main act 0.816 against 0.825 on the held-out split, real-set
F1 0.623 against 0.636; models/README.md, ninth round).

Only the end changes, so every offset into the reply before it stays true; the scorer clips spans to the
reply as typed (`Scorer._assessment`). The build reads its training replies through the same function.
"""

from __future__ import annotations

import re

_CUT_OFF = re.compile(r"\s*(?:-+|[\u2013\u2014]+)\s*$")
_MARKED = re.compile(r"[.!?\u2026][\"'\u201d\u2019)\]]*\s*$")
_BACKCHANNEL_TAIL = re.compile(
    r"(?<=[^\W_]),\s*(?:(?:mm-hmm|uh-huh|mhm|mm+|hmm+|yeah|yep|you know)[\s,]*)+[.!\u2026]*\s*$",
    re.IGNORECASE,
)
_LAST_SENTENCE = re.compile(r"(?:^|[.!?\u2026]\s+)([^.!?\u2026]*)$")
_OPENERS = re.compile(
    r"^(?:(?:ok(?:ay)?|so|and|but|um+|uh+|er+m?|mm+|hmm+|mhm|yeah|yes|right|well|oh|alright)\b[\s,]*)+",
    re.IGNORECASE,
)
_ASKS = re.compile(
    r"^(?:(?:what|how|why|when|where|who|whose|which)\b(?!\s+(?:i|i'm|im|you're|youre|you\s+are|it\s+sounds)\b)"
    r"|(?:do|does|did|is|are|was|were|can|could|would|will|have|has|had|should|shall|may|might|am|"
    r"didn't|don't|doesn't|isn't|aren't|won't|wouldn't|can't|couldn't|haven't|hasn't)\s+"
    r"(?:you|u|i|he|she|it|they|we|there|that|this|your|ur|ya)\b)",
    re.IGNORECASE,
)


def asks(sentence: str) -> bool:
    """Whether a sentence is worded as a question (after spoken openers such as "okay, so"): "what happened
    then", "do u want a tea". "What I'm hearing is..." and "what you're saying" are frames, not questions."""
    return bool(_ASKS.match(_OPENERS.sub("", sentence.strip())))


def end_marked(text: str) -> str:
    """`text` as heard to its end (see the module docstring); the same string when it ends in no dash and
    no backchannels. Only characters after the last word change, or one full stop is added."""
    body = text.rstrip()
    tail = _BACKCHANNEL_TAIL.search(body)
    if tail:  # "Knackered, mm-hmm, yeah." is heard as "Knackered."
        return body[: tail.start()] + "."
    if not body or _MARKED.search(body):
        return text
    cut = _CUT_OFF.search(body)
    if cut:
        body = body[: cut.start()]
        if not body.strip() or _MARKED.search(body):
            return body if body.strip() else text
        last = _LAST_SENTENCE.search(body)
        return body if last and asks(last.group(1)) else body + "."
    return text
