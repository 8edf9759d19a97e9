"""Words and numbers as the cohort report shows them to the educator.

    RULE_WORDS["cue-missed"]  # "a point never raised"
    rounded(0.625, 2)         # "0.63" (half away from zero, as on a calculator, in the page and the CSV)
    plural(1, "session")      # "1 session"; plural(3, "thing") -> "3 things"
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

#: The debrief's missed-moment rules (trainer.debrief.rules) in plain words: the report never shows a
#: rule id to the educator.
RULE_WORDS: dict[str, str] = {
    "expected-signal": "reply lacked the skill expected here",
    "no-purpose": "no reason for the visit given early on",
    "feeling-unanswered": "a feeling left unanswered",
    "cue-missed": "a point never raised",
    "overstep": "overstepped the professional role",
}


def rule_words(rule: str) -> str:
    """The rule in plain words (an unknown rule, from a newer trainer, as it is)."""
    return RULE_WORDS.get(rule, rule)


def rounded(value: float, digits: int) -> str:
    """`value` to `digits` decimals, halves rounded away from zero (0.625 -> "0.63", 2.25 -> "2.3"), the
    one rule for every number in the page and the CSV. Python's own formatting rounds 0.625 down."""
    quantum = Decimal(1).scaleb(-digits)
    return str(Decimal(repr(value)).quantize(quantum, rounding=ROUND_HALF_UP))


def signed(value: float, digits: int = 1) -> str:
    """`rounded` with a sign: "+2.3", "-1.0", "+0.0"."""
    text = rounded(value, digits)
    if Decimal(text) == 0:
        text = text.lstrip("-")
    return text if text.startswith("-") else "+" + text


def plural(count: int, one: str, many: str | None = None) -> str:
    """`count` with the noun it counts, singular for 1 ("1 session", "2 sessions", "0 files");
    `many` when the plural is not `one` + "s"."""
    return f"{count} {one if count == 1 else (many or one + 's')}"
