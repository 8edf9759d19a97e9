"""Whether a typed reply can be taken as a turn, and what the student is told when it cannot: one rule for
every front end (the app's reply box, the plain player), asked before the reply is scored.

    problem = unscorable(text)           # None: send it; else tell the student problem.message, keep the text

- Empty or whitespace: nothing to send (EMPTY_REPLY).
- No letter or digit in it ("😀😀", "👍", "...", "?!"): not sent (NO_WORDS). The scorer would read it as
  a reply (empathy 0.1-0.3 from nothing: "👍" 0.29, "..." 0.30) and the scenario would move on; a
  reaction is not a turn.

A refused reply costs nothing: the run is unchanged and the front end keeps what was typed.
"""

from __future__ import annotations

from dataclasses import dataclass

EMPTY_REPLY = "Nothing to send yet: type what you would say, then press Enter."
NO_WORDS = "Write your reply in words - emoji and punctuation alone can't be scored."


@dataclass(frozen=True)
class ReplyProblem:
    """Why a typed reply was not taken: a short title (the app's notification) and what to do."""

    title: str
    message: str


def has_words(text: str) -> bool:
    """Whether the text has a letter or a digit in any script (what the scorer can read)."""
    return any(ch.isalnum() for ch in text)


def unscorable(text: str) -> ReplyProblem | None:
    """Why this can never be a typed reply (empty, or no letter or digit in it), else None."""
    if not text.strip():
        return ReplyProblem("Empty reply", EMPTY_REPLY)
    if not has_words(text):
        return ReplyProblem("Not sent", NO_WORDS)
    return None

