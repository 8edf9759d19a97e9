"""What the debrief's own per-skill judgement credits, by a scenario cue's `skill`, so that a cue's
`missing_note` ("You never said how long you would stay") is not said when the scores already credit the
same thing in other words ("it'll take about 45 mins": how long you have, reply 1).

    credits = skill_credits(ctx, skills)   # {"purpose:how_long": {2}, "boundaries:limits": {8}, ...}

Each value is the transcript indexes of the replies that earned it:

- `purpose:<part>`: the first reply that covered that part of the purpose (the purpose score's `parts`);
- `boundaries:limits`: a reply that stated the frame (the boundaries signal, no overstep) in words that
  state the limits of confidentiality (LIMITS: "stays between us", "I'd have to tell someone", "keep that
  secret", "at risk", ...);
- `boundaries:<kind>`: a reply at a test of the frame of that kind (trainer.debrief.moments.FRAME_TESTS)
  that stated the frame, there or in the very next reply, without overstepping (as the boundaries score
  counts it); the index is the reply at the test.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from trainer.debrief.model import Line, SkillResult
from trainer.debrief.moments import frame_tests
from trainer.debrief.rules import Context

#: Words by which a reply states the limits of confidentiality.
LIMITS = re.compile(
    r"\bconfidential|\bprivate\b|\bstays? (?:between|with(?:in)?)\b|\bbetween (?:us|you and me)\b|"
    r"\b(?:have|need|got) to (?:tell|share|pass|let)\b|\bwould (?:have to|need to) (?:tell|share)\b|"
    r"\bnot safe\b|\bat risk\b|\bin danger\b|\bharm\b|\bkeep (?:it|that|this) (?:secret|to myself)\b|"
    r"\bcan'?t (?:keep|promise)\b|\bwhat I write\b|\bwho (?:sees|will see|might see|needs to know)\b",
    re.IGNORECASE,
)


def states_limits(line: Line) -> bool:
    """Whether a learner reply stated the frame, without overstepping, in words of the limits of
    confidentiality."""
    return ("boundaries" in line.present and "overstep" not in line.present
            and LIMITS.search(line.text) is not None)


def skill_credits(ctx: Context, skills: Mapping[str, SkillResult]) -> dict[str, frozenset[int]]:
    """What the scores credit, by cue skill (see the module docstring) -> the transcript indexes."""
    replies = ctx.replies()
    by_number = {line.reply: line.index for line in replies}
    out: dict[str, set[int]] = {}
    purpose = skills.get("purpose")
    for part, reply in (purpose.parts if purpose is not None else {}).items():
        if reply is not None and reply in by_number:
            out.setdefault(f"purpose:{part}", set()).add(by_number[reply])
    for line in replies:
        if states_limits(line):
            out.setdefault("boundaries:limits", set()).add(line.index)
        if "overstep" in line.present:
            continue
        if "boundaries" not in line.present and ctx.frame_stated_next(line) is None:
            continue
        for kind in frame_tests(ctx.said_before(line) or ""):  # kinds of FRAME_TESTS
            out.setdefault(f"boundaries:{kind}", set()).add(line.index)
    return {skill: frozenset(indexes) for skill, indexes in out.items()}
