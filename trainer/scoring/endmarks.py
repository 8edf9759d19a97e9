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

from trainer.scoring.features import AUX_FIRST, WH

_DASHES = "-\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d"
_AFTER_WORDS = " \t\r\n\f\v\u00a0\u200b\u200c\u200d\u2060\ufeff"
"""Spaces and invisible characters after the last mark, which are not part of what was said."""
_MARKS = ".!?\u2026"
_CLOSERS = "\"'\u201d\u2019)]"
_BACKCHANNEL = re.compile(r"(?:mm-hmm|uh-huh|mhm|mm+|hmm+|yeah|yep|you know)\Z", re.IGNORECASE)
"""A backchannel at the end of a short window of text (never run over the whole reply)."""
_WINDOW = 24
_SENTENCE_BREAK = re.compile(r"[.!?\u2026]\s+")
# Everything here works from the end of the reply with str.rstrip and regexes over a bounded window or
# anchored at the start: no pattern can backtrack over a long run of dashes, commas or backchannels.
_OPENERS = re.compile(
    r"^(?:(?:ok(?:ay)?|so|and|but|um+|uh+|er+m?|mm+|hmm+|mhm|yeah|yes|right|well|oh|alright)\b[\s,]*)+",
    re.IGNORECASE,
)
_NEGATED_AUX = ("didn't", "don't", "doesn't", "isn't", "aren't", "won't", "wouldn't", "can't", "couldn't",
                "haven't", "hasn't", "didnt", "dont", "doesnt", "isnt", "arent", "wont", "cant", "couldnt",
                "havent")
_ASKS = re.compile(
    rf"^(?:(?:{'|'.join(sorted(WH))})\b(?!\s+(?:i|i'm|im|you're|youre|you\s+are|it\s+sounds)\b)"
    rf"|(?:{'|'.join(sorted(AUX_FIRST | set(_NEGATED_AUX), key=len, reverse=True))})\s+"
    r"(?!(?:be|been|have|'ve|not|n't|never|just|really|only|easily|probably|also|well)\b)[^\W\d_])"
    rf"|.*\b(?:{'|'.join(sorted(WH))}|or)\s*$",
    re.IGNORECASE,
)
"""A question by its wording: a wh-word first (not the frames "what I'm hearing", "what you're saying"), an
auxiliary first with a subject after it ("were the kids there", not "can't be easy" or "could be worse"),
or a wh-word or "or" last ("and then what", "every day, or")."""


def asks(sentence: str) -> bool:
    """Whether a sentence is worded as a question (after spoken openers such as "okay, so"): "what happened
    then", "do u want a tea", "were the kids there", "and then what". "What I'm hearing is..." and "what
    you're saying" are frames, not questions."""
    return bool(_ASKS.match(_OPENERS.sub("", sentence.strip())))


def _marked(body: str) -> bool:
    """Whether `body` ends in a full stop, question or exclamation mark (closing quotes aside)."""
    bare = body.rstrip(_AFTER_WORDS).rstrip(_CLOSERS)
    return bool(bare) and bare[-1] in _MARKS


def _cut_off(body: str) -> int:
    """Where the words end before a final run of dashes (and spaces), or len(body) when there is none or
    nothing but dashes."""
    kept = body.rstrip(_AFTER_WORDS + _DASHES)
    if kept.strip(_AFTER_WORDS) and any(c in _DASHES for c in body[len(kept) :]):
        return len(kept)
    return len(body)


def _backchannel_tail(body: str) -> int:
    """Where the words end before final backchannels ("Knackered, mm-hmm, yeah." -> after "Knackered"),
    set off by a comma or a spaced dash, or len(body) when there are none or nothing but them."""
    end = len(body.rstrip(_AFTER_WORDS + ".!\u2026"))
    found = None
    while end > 0:
        window = body[max(0, end - _WINDOW) : end]
        m = _BACKCHANNEL.search(window)
        if m is None:
            break
        start = end - len(window) + m.start()
        if start > 0 and (body[start - 1].isalnum() or body[start - 1] in "'-"):
            break  # inside a word ("ummm", "self-mm")
        found = start
        end = len(body[:start].rstrip(_AFTER_WORDS + ","))
    if found is None:
        return len(body)
    content = body[:found].rstrip(_AFTER_WORDS + "," + _DASHES)
    between = body[len(content) : found]
    spaced_dash = any(c in _DASHES for c in between) and (between[:1].isspace() or "\u2013" in between
                                                          or "\u2014" in between)
    if content and content[-1].isalnum() and ("," in between or spaced_dash):
        return len(content)
    return len(body)


def heard_end(text: str) -> tuple[int, str]:
    """How a reply ends as heard (see the module docstring): (kept, mark), where `text[:kept] + mark` is the
    reply the scorer reads; (len(text), "") when it ends in no dash and no backchannels. `mark` is "?"
    after words worded as a question (`asks`), "." otherwise, "" when the kept words end in one already.
    Linear in the length of `text`."""
    whole = text.rstrip(_AFTER_WORDS)
    body = whole[: _cut_off(whole)]
    body = body[: _backchannel_tail(body)]  # "Knackered, mm-hmm, yeah." is heard as "Knackered."
    if len(body) == len(whole):
        return len(text), ""
    if _marked(body):  # "Is it? -"
        return len(body), ""
    return len(body), "?" if asks(_SENTENCE_BREAK.split(body)[-1]) else "."


def end_marked(text: str) -> str:
    """`text` as heard to its end (`heard_end`): the same string when it ends in no dash and no
    backchannels, else its words up to where the speaker stopped and one mark."""
    kept, mark = heard_end(text)
    return text[:kept] + mark
