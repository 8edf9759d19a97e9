"""The reply read against the service user's line: what no token pattern can find by itself.

"ok then, cheers" takes the money only after "put it in your pocket" (`offers.taken_offer`), and "yesss of
course" grants a hug only after "Can I just have a hug?" (`offers.granted_request`); "course, its
confidential" promises the secret only after "don't tell anyone" (`limits.secrecy_agreed`); "You're not
failing her" denies their words only after "I feel like I'm failing her" (`denials.denied_words`); "Don't
worry about it" is a courtesy after "Sorry I'm late" (`answers.apology_answered`). Each reading is a rule
of the pattern files' shape (`patterns.check_rule`: id, signal, reason; an exception's cancels and
withdraws), beside the function that finds its words; the rules component runs them all
(`read_context`), and the combiner takes their `withdraws` with the pattern rules' (`READING_WITHDRAWS`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from trainer.scoring.answers import apology_answered
from trainer.scoring.denials import DENIAL_REASON, DENIAL_WITHDRAWS, denied_words
from trainer.scoring.limits import AGREED_REASON, secrecy_agreed
from trainer.scoring.offers import GRANTED_REASON, TAKEN_REASON, granted_request, taken_offer

Finder = Callable[[list[str], list[bool], Callable[[], list[tuple[int, int]]], str], "tuple[int, int] | None"]
"""(token norms, whether each token is punctuation, the reply's sentences as token bounds (computed when
first asked for), the context line) -> token bounds of the words found, or None."""


@dataclass(frozen=True)
class Reading:
    rule: dict[str, Any]
    """As a pattern-file rule: "id", "signal", "reason" (a hit), or "kind": "exception" with "cancels" and
    "withdraws"; "withdraws" on a hit says what its sentence cannot carry."""
    find: Finder


READINGS: tuple[Reading, ...] = (
    Reading({"id": "accepts_offer.context", "signal": "overstep", "reason": TAKEN_REASON},
            lambda norms, puncts, sentences, context: taken_offer(norms, puncts, context)),
    Reading({"id": "grants_request.context", "signal": "overstep", "reason": GRANTED_REASON},
            lambda norms, puncts, sentences, context: granted_request(norms, puncts, context)),
    Reading({"id": "secrecy.context", "signal": "overstep", "reason": AGREED_REASON},
            lambda norms, puncts, sentences, context: secrecy_agreed(norms, puncts, context)),
    Reading({"id": "reassurance.context", "signal": "sympathy", "reason": DENIAL_REASON,
             "withdraws": list(DENIAL_WITHDRAWS)}, denied_words),
    Reading({"id": "apology_answered.context", "signal": "sympathy", "kind": "exception",
             "cancels": ["sympathy"], "withdraws": ["sympathy"]},
            lambda norms, puncts, sentences, context: apology_answered(norms, context)),
)

READ_IDS = frozenset(r.rule["id"] for r in READINGS)
"""The readings' rule ids: of two hits over the same words, the reading of their line wins."""

READING_WITHDRAWS: dict[str, tuple[str, ...]] = {
    r.rule["id"]: tuple(r.rule["withdraws"]) for r in READINGS if r.rule.get("withdraws")
}
"""Reading id -> the signals its sentence cannot carry (for `cautions.settle_withdrawals`)."""


def read_context(
    norms: list[str], puncts: list[bool], sentences: Callable[[], list[tuple[int, int]]], context: str | None
) -> list[tuple[int, int, dict[str, Any]]]:
    """(start, end, rule) for each reading that finds its words in the reply (token bounds); [] without a
    context line."""
    if not context:
        return []
    found = []
    for reading in READINGS:
        at = reading.find(norms, puncts, sentences, context)
        if at is not None:
            found.append((*at, reading.rule))
    return found
