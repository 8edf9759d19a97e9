"""The session scores: each skill judged at the moments of the session that called for it.

    results = skill_results(ctx, self_assessment)   # skill -> SkillResult

A signal is *shown* in a reply when the scorer rated it at or above its threshold (0.5). Then, per skill
(the moments are found by trainer.debrief.moments, where the word lists are documented):

- **Empathy** is judged at the moments of disclosure: the replies to a node the author marked
  `expect: [empathy]`, and to any service-user line that discloses a feeling or what something means to
  them. A moment earns 1 when the reply reflected it, 0.5 when it reflected it but also offered sympathy,
  0.5 when the node also expects purpose or boundaries and the reply showed that instead (declining a gift
  kindly is half of what the moment asked), 0 when it did not reflect it, and -0.5 when it offered
  sympathy instead (sympathy at such a moment counts against). The score is the average over those
  moments, never below 0. Sympathy elsewhere is noted in the debrief but not
  counted. With no such moment in the session, the score is the share of all replies that reflected
  feeling or meaning.
- **Purpose** is coverage, across the session, of the five parts Moss (2015) lists for a first meeting:
  who you are and which agency, why you are meeting, what you need to achieve, how long you have, and what
  happens next. Each part covered earns a fifth; one reply can cover them all.
- **Boundaries** is judged at the moments the frame was tested (the author's `expect: [boundaries]`, and
  service-user lines asking for secrecy, offering a gift or money, asking for friendship or a personal
  number, touch, or whether you will always be there), plus every reply that overstepped, wherever it
  was. A moment earns 1 when the reply stated the frame, 0.5 when it neither stated nor broke it, and 0
  when it overstepped. Students often answer the feeling first and state the frame in their very next
  reply ("I can hear you'd like to keep in touch", then "I can't, I'm your social worker, not a friend"):
  a moment whose reply neither stated nor broke the frame earns 1 when the next reply stated it without
  overstepping, and that next reply is then not counted again as a moment of its own (the debrief lists
  the moment once, under its own reply, saying where the frame was stated). A reply that reflected but
  did not state the frame is told so: hearing them was good, the frame still needed saying. Any overstep,
  or an ending the author marks "boundary_crossed" (the scorer may miss how the frame was crossed), caps
  the score at 0.25 (2 of 5): one broken boundary outweighs the ones kept. So does a disclosure of risk
  not acted on by the end of the meeting (the scenario's `risk` moments): the limits of confidentiality and
  the worker's accountability are the frame, and warmth alone never resolves a risk.
  Likewise empathy stays at 0.25 or below when no moment that called for it was reflected without
  sympathy. With no such moment and no overstep, the score is 1 when a reply set out the frame anyway and
  0.5 when none did.

The score (0-1) is put on the students' 1-5 scale as 1 + round(4 x score), to set beside their rating.
"""

from __future__ import annotations

from trainer.debrief.credits import reply_parts
from trainer.debrief.model import Counted, Line, Point, SkillResult
from trainer.debrief.moments import (
    PURPOSE_PARTS,
    disclosure_words,
    frame_tests,
    spoken,
)
from trainer.debrief.rules import Context, quote
from trainer.debrief.selfassess import SKILL_NAMES, SKILLS, SelfAssessment, short_name

#: Skill -> the signal counted against it.
COUNTERS: dict[str, str | None] = {"empathy": "sympathy", "purpose": None, "boundaries": "overstep"}

#: The most an overstep anywhere (or an ending the author marks "boundary_crossed") leaves of the boundaries
#: score, and the most empathy keeps when no moment that called for it was reflected (2 on the 1-5 scale).
OVERSTEP_CAP = 0.25
NO_REFLECTION_CAP = 0.25
SYMPATHY_COST = -0.5
"""What sympathy instead of a reflection, at a moment that called for empathy, counts: against the score,
not merely nothing (the issue: "sympathy at such a moment counts against"); the session score never goes
below 0."""

DEFINITIONS: dict[str, str] = {
    "empathy": "Judged at the moments the service user told you a feeling or what something meant to them: "
    "each counts in full if you reflected it, half if you reflected it but also offered sympathy (or "
    "answered the frame or purpose the moment also called for, but not the feeling), not at all if you "
    "moved on, and against you if you offered sympathy instead. Sympathy at other times is noted, not "
    "counted.",
    "purpose": "How much of the purpose you made clear over the whole meeting, as Moss sets it out: who you "
    "are and which agency, why you are meeting, what you need to achieve, how long you have, and what "
    "happens next. Each part is a fifth of the score; one reply can cover them all.",
    "boundaries": "Judged at the moments the frame was tested (secrecy, a gift or money, friendship or your "
    'number, touch, "will you always be there?") and at any reply that overstepped: stating the frame '
    "(there, or in your very next reply) counts in full, saying neither counts half, overstepping counts "
    "nothing. Any overstep keeps the score at 2 out of 5 or below.",
}

_NUMBERS = ("no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven",
            "twelve")  # fmt: skip


def number(n: int) -> str:
    """Small numbers in words ("two"), larger ones in digits."""
    return _NUMBERS[n] if 0 <= n < len(_NUMBERS) else str(n)


def plural(n: int, noun: str, many: str | None = None) -> str:
    """ "one reply", "two replies", "no moments"."""
    word = noun if n == 1 else (many or (noun[:-1] + "ies" if noun.endswith("y") else noun + "s"))
    return f"{number(n)} {word}"


def how_many(k: int, n: int, noun: str, many: str | None = None) -> str:
    """k of n, as a sentence subject that reads right: "neither of your two replies", "both of your
    replies", "all three of your replies", "your one reply", "two of your five replies" (k=0 with n=1 is
    "not your one reply": callers phrase that case themselves)."""
    nouns = noun if n == 1 else (many or (noun[:-1] + "ies" if noun.endswith("y") else noun + "s"))
    if n == 1:
        return f"your one {noun}"
    if k == 0:
        return f"neither of your two {nouns}" if n == 2 else f"none of your {number(n)} {nouns}"
    if k == n:
        return f"both of your {nouns}" if n == 2 else f"all {number(n)} of your {nouns}"
    return f"{number(k)} of your {number(n)} {nouns}"


def _replies_list(replies: list[int]) -> str:
    if not replies:
        return ""
    if len(replies) == 1:
        return f"reply {replies[0]}"
    return "replies " + ", ".join(str(r) for r in replies[:-1]) + f" and {replies[-1]}"


def _series(skill: str, replies: list[Line]) -> list[Point]:
    counter = COUNTERS[skill]
    return [
        Point(
            reply=r.reply or 0,
            index=r.index,
            score=r.scores.get(skill, 0.0),
            counter=r.scores.get(counter, 0.0) if counter else None,
        )
        for r in replies
    ]


def _said(ctx: Context, line: Line) -> str:
    said = ctx.said_before(line)
    words = " ".join(spoken(said).split()) if said else ""
    return quote(words or said or "", 90) if said else "something"


# --- empathy -------------------------------------------------------------------------------------------


def _empathy(ctx: Context, replies: list[Line]) -> tuple[float, list[Counted], list[str], str]:
    counted: list[Counted] = []
    for line in replies:
        node = ctx.node(line.node)
        said = ctx.said_before(line) or ""
        words = list({w.lower(): w for w in disclosure_words(said)}.values())
        expected = node is not None and "empathy" in node.expect
        if not words and not expected:
            continue
        why = f"{ctx.who_before(line)} said {_said(ctx, line)}"
        why += (
            f" (words of feeling or meaning: {', '.join(words[:4])})"
            if words
            else " (the scenario marks this moment)"
        )
        emp, sym = "empathy" in line.present, "sympathy" in line.present
        if emp and not sym:
            value, verdict = 1.0, "you reflected it"
        elif emp:
            value, verdict = 0.5, "you reflected it, but also offered sympathy"
        elif sym:
            value, verdict = SYMPATHY_COST, "you offered sympathy instead"
        elif other := [o for o in (node.expect if node else []) if o != "empathy" and o in line.present]:
            value, verdict = 0.5, f"you answered the {_OTHER[other[0]]} it also called for, not the feeling"
        else:
            value, verdict = 0.0, "you did not put it into words"
        counted.append(
            Counted(reply=line.reply or 0, index=line.index, why=why, value=value, verdict=verdict)
        )
    at = {c.index for c in counted}
    noted = [
        f"Reply {line.reply} offered sympathy at a moment that was not a disclosure: noted, not counted."
        for line in replies
        if "sympathy" in line.present and line.index not in at
    ]
    n = len(replies)
    if counted:
        score = max(0.0, sum(c.value for c in counted) / len(counted))
        if not any(c.value == 1.0 for c in counted):  # half-credits alone never lift a session past 2/5
            score = min(score, NO_REFLECTION_CAP)
        met = [c.reply for c in counted if c.value == 1.0]
        k, m = len(met), len(counted)
        if m == 1:
            facts = f"one moment called for empathy (reply {counted[0].reply}) and {counted[0].verdict}"
        else:
            facts = f"{number(m)} moments called for empathy and you reflected {_k_of(k, m)}"
            if met and k < m:
                facts += f" ({_replies_list(met)})"
            sympathy = [c.reply for c in counted if "sympathy" in c.verdict]
            if sympathy:
                facts += f"; at {_replies_list(sympathy)} you offered sympathy"
    else:
        shown = sum("empathy" in r.present for r in replies)
        score = shown / n if n else 0.0
        if n == 1:
            did = "reflected" if shown else "did not reflect"
            facts = f"no moment of disclosure was found, and your one reply {did} feeling or meaning"
        else:
            facts = (
                f"no moment of disclosure was found, so all your replies counted: "
                f"{how_many(shown, n, 'reply')} reflected feeling or meaning"
            )
    return score, counted, noted, facts


_OTHER = {"purpose": "purpose", "boundaries": "frame"}


def _k_of(k: int, m: int) -> str:
    if k == 0:
        return "neither" if m == 2 else "none of them"
    if k == m:
        return "both" if m == 2 else f"all {number(m)}"
    return f"{number(k)} of them"


# --- purpose -------------------------------------------------------------------------------------------


def _purpose(ctx: Context, replies: list[Line]) -> tuple[float, dict[str, int | None], int, str]:
    first: dict[str, int | None] = dict.fromkeys(PURPOSE_PARTS)
    covering = 0
    for line in replies:
        parts = reply_parts(ctx, line)  # as the missed moments and the cue credits read them
        covering += bool(parts)
        for part in parts:
            if first[part] is None:
                first[part] = line.reply
    covered = [p for p, r in first.items() if r is not None]
    score = len(covered) / len(PURPOSE_PARTS)
    if not replies:
        return 0.0, first, 0, "there were no replies to score"
    if not covered:
        return score, first, 0, "none of the five parts of the purpose was made clear"
    said = "; ".join(f"{PURPOSE_PARTS[p]} (reply {first[p]})" for p in covered)
    missing = [PURPOSE_PARTS[p] for p in first if first[p] is None]
    how = "all five parts" if not missing else f"{number(len(covered))} of the five parts"
    facts = f"you made clear {how}: {said}"
    if missing:
        facts += f"; not yet: {', '.join(missing)}"
    return score, first, covering, facts


# --- boundaries ----------------------------------------------------------------------------------------


_ANYWHERE = "a reply that overstepped, wherever it comes"


def _crossed(ctx: Context) -> bool:
    """Whether the session ended in an ending the author marks "boundary_crossed"."""
    if not ctx.finished or ctx.scenario is None or not ctx.lines:
        return False
    node = ctx.scenario.nodes.get(ctx.lines[-1].node)
    return node is not None and node.ending is not None and node.ending.outcome.value == "boundary_crossed"


def _boundaries(ctx: Context, replies: list[Line]) -> tuple[float, list[Counted], str]:
    counted: list[Counted] = []
    later: dict[int, int] = {}  # moment's reply -> the next reply that stated the frame for it
    taken: set[int] = set()  # replies already counted as the next reply of an earlier moment
    for line in replies:
        if line.index in taken:
            continue
        node = ctx.node(line.node)
        said = ctx.said_before(line) or ""
        kinds = frame_tests(said)
        expected = node is not None and "boundaries" in node.expect
        over = "overstep" in line.present
        if not kinds and not expected and not over:
            continue
        if kinds or expected:
            why = f"{ctx.who_before(line)} said {_said(ctx, line)}"
            marked = " (the scenario marks this moment)"
            why += f" (a test of the frame: {', '.join(kinds)})" if kinds else marked
        else:
            why = _ANYWHERE
        heard = "empathy" in line.present
        if over:
            value, verdict = 0.0, "you overstepped"
        elif "boundaries" in line.present:
            value, verdict = 1.0, "you stated the frame"
        elif (after := ctx.frame_stated_next(line)) is not None:
            value = 1.0
            verdict = (f"you heard {ctx.who_before(line)} first and " if heard else "you ") + (
                f"stated the frame in your next reply (reply {after.reply})"
            )
            later[line.reply or 0] = after.reply or 0
            taken.add(after.index)
        elif heard:
            value = 0.5
            verdict = f"you heard {ctx.who_before(line)}, which was good, but the frame still needed saying"
        else:
            value, verdict = 0.5, "you neither stated nor broke the frame"
        counted.append(
            Counted(reply=line.reply or 0, index=line.index, why=why, value=value, verdict=verdict)
        )
    overstepped = [c.reply for c in counted if c.value == 0.0]
    tested = [c for c in counted if c.why != _ANYWHERE]
    if counted:
        score = sum(c.value for c in counted) / len(counted)
        parts: list[str] = []
        if overstepped:
            parts.append(
                f"{_replies_list(overstepped)} overstepped, which keeps the score at 2 out of 5 or below"
            )
            score = min(score, OVERSTEP_CAP)
        if len(tested) == 1:
            only = tested[0]
            parts.append(
                f"one moment tested the frame (reply {only.reply})"
                + ("" if only.value == 0.0 else f" and {only.verdict}")
            )
        elif tested:
            held = [c.reply for c in tested if c.value == 1.0]
            parts.append(
                f"{number(len(tested))} moments tested the frame and you stated it at "
                f"{_k_of(len(held), len(tested))}"
                + (f" ({_replies_list(held)})" if 0 < len(held) < len(tested) else "")
            )
            first = [r for r in held if r in later]
            if first:
                parts.append(
                    f"at {_replies_list(first)} you stated it in your next "
                    + (f"reply (reply {later[first[0]]})" if len(first) == 1
                       else f"replies ({_replies_list([later[r] for r in first])})")
                )
        facts = "; ".join(parts)
    else:
        stated = [r.reply or 0 for r in replies if "boundaries" in r.present]
        score = 1.0 if stated else 0.5
        facts = "no moment tested the frame and no reply overstepped"
        facts += f"; you set it out anyway ({_replies_list(stated)})" if stated else ""
    return score, counted, facts


# --- all three -----------------------------------------------------------------------------------------


def gap(skill: str, rating: int | None, level: int | None, facts: str, skipped_all: bool) -> str:
    """The student's rating beside the facts, in one or two sentences."""
    short = short_name(skill)
    if rating is None:
        how = "skipped the self-assessment" if skipped_all else f"did not rate your {short}"
        return f"You {how}; {facts}."
    said = f"You rated your {short} {rating}; {facts}."
    if level is None:
        return said
    if rating - level >= 2:
        return f"{said} That is higher than your replies show (about {level} of 5)."
    if level - rating >= 2:
        return f"{said} Your replies show more than you gave yourself credit for (about {level} of 5)."
    return f"{said} That is close to what your replies show (about {level} of 5)."


def skill_results(ctx: Context, sa: SelfAssessment) -> dict[str, SkillResult]:
    """Each skill's session result (see the module docstring), in SKILLS order."""
    replies = ctx.replies()
    n = len(replies)
    out: dict[str, SkillResult] = {}
    for skill in SKILLS:
        counter = COUNTERS[skill]
        counted: list[Counted] = []
        noted: list[str] = []
        parts: dict[str, int | None] = {}
        shown = sum(skill in r.present for r in replies)
        if skill == "empathy":
            score, counted, noted, facts = _empathy(ctx, replies)
        elif skill == "purpose":
            score, parts, shown, facts = _purpose(ctx, replies)
        else:
            score, counted, facts = _boundaries(ctx, replies)
            if _crossed(ctx) and score > OVERSTEP_CAP:
                score = OVERSTEP_CAP
                facts += "; the meeting ended with the frame crossed, which keeps the score at 2 out of 5 " \
                    "or below"
            elif score > OVERSTEP_CAP and ctx.risks_pending:
                score = OVERSTEP_CAP
                facts += ("; a disclosure of risk was not acted on by the end: what is shared when someone "
                          "is at risk is part of the frame, so this keeps the score at 2 out of 5 or below")
        if n == 0:
            score, facts = 0.0, "there were no replies to score"
        level = 1 + round(4 * score) if n else None
        rating = sa.rating(skill)
        out[skill] = SkillResult(
            skill=skill,
            name=SKILL_NAMES[skill],
            signal=skill,
            counter=counter,
            definition=DEFINITIONS[skill],
            replies=n,
            shown=shown,
            against=sum(counter in r.present for r in replies) if counter else 0,
            score=round(score, 3),
            level=level,
            rating=rating,
            series=_series(skill, replies),
            facts=facts,
            gap=gap(skill, rating, level, facts, sa.skipped),
            moments=counted,
            parts=parts,
            noted=noted,
        )
    return out
