"""Whether a typed reply can be taken as a turn, and what the student is told when it cannot: one rule for
every front end (the app's reply box, the plain player), asked before the reply is scored.

    gate = ReplyGate()                   # one per run: PlayRun.reply_problem uses its own
    problem = gate.check(text)           # None: send it; else tell the student problem.message, keep the text

- Empty or whitespace: nothing to send (EMPTY_REPLY).
- No letter or digit in it ("😀😀", "👍", "...", "?!"): not sent (NO_WORDS). The scorer would read it as
  a reply (empathy 0.1-0.3 from nothing: "👍" 0.29, "..." 0.30) and the scenario would move on; a
  reaction is not a turn.
- Longer than the scorer reads (trainer.scoring.api.MAX_CHARS): the student is told that only the start
  would be scored (LONG_REPLY) and the reply is kept; the same reply sent again, unchanged, goes (a student
  may mean it; the scorer then notes the truncation under it, as before).

A refused reply costs nothing: the run is unchanged and the front end keeps what was typed.
"""

from __future__ import annotations

from dataclasses import dataclass

from trainer.scoring.api import MAX_CHARS

EMPTY_REPLY = "Nothing to send yet: type what you would say, then press Enter."
NO_WORDS = "Write your reply in words - emoji and punctuation alone can't be scored."
LONG_REPLY = (
    "This reply is {length:,} characters long, and only the first {limit:,} would be scored: a reply in a "
    "meeting is a few sentences. Shorten it, or send it again unchanged to send it as it is."
)


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


class ReplyGate:
    """The check of typed replies for one run: `unscorable`, and a reply longer than the scorer reads
    is sent only when it is sent again unchanged (the gate remembers the last one it warned about)."""

    def __init__(self, limit: int = MAX_CHARS) -> None:
        self.limit = limit
        self._warned: str | None = None

    def check(self, text: str) -> ReplyProblem | None:
        """None when the reply can be sent now; else why not, for the student."""
        problem = unscorable(text)
        if problem is None and len(text) > self.limit and text != self._warned:
            self._warned = text
            return ReplyProblem("Very long reply", LONG_REPLY.format(length=len(text), limit=self.limit))
        if problem is None:
            self._warned = None
        return problem
