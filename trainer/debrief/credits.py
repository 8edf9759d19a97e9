"""What the debrief's own per-skill judgement credits, by a scenario cue's `skill`, so that a cue's
`missing_note` ("You never said how long you would stay") is not said when the scores already credit the
same thing in other words ("it'll take about 45 mins": how long you have, reply 1).

    credits = skill_credits(ctx, skills)   # {"purpose:how_long": {2}, "boundaries:limits": {8}, ...}

Each value is the transcript indexes of the replies that earned it:

- `purpose:<part>`: every reply that covered that part of the purpose, as the purpose score counts it
  (`reply_parts`: the scorer's purpose evidence, or the part's words, trainer.debrief.moments); the score's
  `parts` name the first of them. The missed-moment rules read these too (`Context.purpose_said`): a reply
  that said why you came in other words is not told it "did not say why you were there";
- `boundaries:limits`: a reply that stated the frame (the boundaries signal, no overstep) in words that
  state the limits of confidentiality: the scorer's evidence of them (its rules in LIMIT_RULES: "I'd need
  to pass it on", "I can't keep that to myself", a promise of secrecy taken back by its limits) or the
  words of LIMITS ("stays between us", "I'd have to tell someone", "unless you weren't safe", ...);
- `boundaries:<kind>`: a reply at a test of the frame of that kind (trainer.debrief.moments.FRAME_TESTS)
  that stated the frame, there or in the very next reply, without overstepping (as the boundaries score
  counts it); the index is the reply at the test.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping

from trainer.debrief.model import Line, SkillResult
from trainer.debrief.moments import frame_tests, meeting_parts, purpose_parts
from trainer.debrief.rules import Context
from trainer.scoring.limits import PRIVACY_LIMITS

#: Words by which a reply states the limits of confidentiality.
LIMITS = re.compile(
    r"\bconfidential|\bprivate\b|\bstays? (?:between|with(?:in)?)\b|\bbetween (?:us|you and me)\b|"
    r"\b(?:have|need|got) to (?:tell|share|pass|let|speak|talk|report|inform|act)\b|"
    r"\bwould (?:have to|need to) (?:tell|share)\b|\b(?:not|n't|nt) (?:be )?safe\b|"
    r"\bat risk\b|\bin danger\b|\bharm\b|\b(?:getting|being|get|got|been) hurt\b|"
    r"\bunless\b[^.?!]{0,50}\b(?:safe|safety|danger|risk|harm|hurt)|"
    r"\bkeep (?:it|that|this) (?:secret|to myself)\b|"
    r"\bcan'?t (?:keep|promise)\b|\bwhat I write\b|\bwho (?:sees|will see|might see|needs to know)\b",
    re.IGNORECASE,
)

#: The scorer's boundaries rules (models/patterns, trainer.scoring.limits) whose evidence states the limits
#: of confidentiality: "confidentiality" ("I'd have to pass it on"), "safety_limit" ("unless you were in
#: danger"), "honest_limits" ("I can't promise"),
#: and a promise of secrecy or silence taken back by its limits ("secrecy.negated", "collusion.negated").
LIMIT_RULES: frozenset[str] = frozenset({*PRIVACY_LIMITS, "collusion.negated"})


def limits_stated(text: str, present: Collection[str], sources: Collection[str] = ()) -> bool:
    """Whether a reply with the signals `present` and the evidence `sources` ("rule:confidentiality", ...)
    stated the frame, without overstepping, in words of the limits of confidentiality: the scorer's own
    evidence of them (LIMIT_RULES) or the words of LIMITS. The one test of them: the live coach asks it too
    (trainer.practice.coaching.covered_before), so coach and debrief agree."""
    if "boundaries" not in present or "overstep" in present:
        return False
    rules = {s.split(":", 1)[1] for s in sources if s.startswith("rule:")}
    return bool(rules & LIMIT_RULES) or LIMITS.search(text) is not None


def states_limits(line: Line) -> bool:
    """Whether a learner reply stated the frame, without overstepping, in words of the limits of
    confidentiality (`limits_stated`, on the reply's boundaries evidence)."""
    return limits_stated(line.text, line.present, [m.source for m in line.marks if m.signal == "boundaries"])


def reply_parts(ctx: Context, line: Line) -> list[str]:
    """The parts of the purpose (trainer.debrief.moments.PURPOSE_PARTS ids) a learner reply covers, as the
    purpose score counts them: by the scorer's purpose evidence or the part's words, not the service
    user's own words given back, and for an authored option picked at a line said by someone else, not
    why the worker is meeting the service user (`meeting_parts`)."""
    evidence = [{"signal": m.signal, "source": m.source, "text": m.text} for m in line.marks]
    node = ctx.node(line.node)
    return meeting_parts(purpose_parts(line.text, evidence, ctx.said_before(line)),
                         option_to_another=line.option is not None and bool(node and node.speaker))


def skill_credits(ctx: Context, skills: Mapping[str, SkillResult]) -> dict[str, frozenset[int]]:
    """What the scores credit, by cue skill (see the module docstring) -> the transcript indexes. (The
    parts are counted reply by reply with `reply_parts`, as the purpose score in `skills` counts them.)"""
    replies = ctx.replies()
    out: dict[str, set[int]] = {}
    for line in replies:
        for part in reply_parts(ctx, line):
            out.setdefault(f"purpose:{part}", set()).add(line.index)
        if states_limits(line):
            out.setdefault("boundaries:limits", set()).add(line.index)
        if "overstep" in line.present:
            continue
        if "boundaries" not in line.present and ctx.frame_stated_next(line) is None:
            continue
        for kind in frame_tests(ctx.said_before(line) or ""):  # kinds of FRAME_TESTS
            out.setdefault(f"boundaries:{kind}", set()).add(line.index)
    return {skill: frozenset(indexes) for skill, indexes in out.items()}


def frame_tested(ctx: Context) -> frozenset[int]:
    """The transcript indexes of the learner replies to a test of the frame (a line with a FRAME_TESTS kind,
    trainer.debrief.moments), whatever the reply did there."""
    return frozenset(line.index for line in ctx.replies() if frame_tests(ctx.said_before(line) or ""))
