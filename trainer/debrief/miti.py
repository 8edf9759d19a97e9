"""A MITI-style summary of the learner's replies: reflection-to-question ratio, percent complex
reflections, and advice given without asking.

    summary = miti_summary(replies)   # replies: the learner Lines of a debrief, in order

The measures and their reference thresholds are those of the Motivational Interviewing Treatment Integrity
code, version 4.2.1 (Moyers, Manuel & Ernst 2014, MITI 4.2.1 coding manual; Moyers et al. 2016, Journal of
Substance Abuse Treatment 65: 36-42): reflection-to-question ratio fair 1:1, good 2:1; percent complex
reflections fair 40%, good 50%. MITI gives no threshold for advice without permission (it codes it as
"Persuade", MI-inconsistent): fewer is better.

What is counted: **each code at most once per reply** (CODES_PER_REPLY). A reply is the student's turn,
what MI coding calls a volley (one speaker's uninterrupted talk, until the other speaks); the scorer finds
its acts sentence by sentence, and counting those let one reply outweigh a meeting: a tester's
10,000-character paste (scored on its first 5,000, trainer.scoring.api.MAX_CHARS) counted as 74
reflections. So a reply gives at most one simple reflection, one complex reflection, one question and one
piece of advice, the codes of MITI 4.2.1's behaviour counts (Moyers, Manuel & Ernst 2014, section
"Behavior Counts": Question, Simple and Complex Reflection, Persuade; MITI 4 counts open and closed
questions as one code, Question). This is the app's choice, not MITI's rule: a trained coder may give one
long volley several codes of one kind, where here "So you're worried. You feel alone." is one simple
reflection. Trading that for a count that one reply cannot dominate suits a first meeting of a few
replies, read as a direction (NOTE); the ratio and the share then say how the student answered, turn by
turn, which is what a student and their practice educator read them as.

Where the counts come from:
- **From the dialogue acts** (source "acts"), when the scorer gave acts for every reply: a reply with a
  `reflection_simple` act has a simple reflection, with a `reflection_complex` act a complex one (both
  count as reflections), with a `question_open` or `question_closed` act a question, with an `advice` act
  advice; advice counts as "without asking" unless the same reply asks permission first (PERMISSION) or
  the service user's line just before asked for it (ASKED).
- **From the signals** (source "signals"), until then: a reply showing empathy is one reflection, complex
  when it names a feeling the service user did not name (a feeling word of trainer.debrief.rules found in
  the reply and not in the line before) or adds meaning in a MEANING frame ("you've been trying to",
  "part of you", "no wonder", "on your own"): the reflection goes beyond the words said; a reply with a
  sentence ending in "?" has a question, except checking back ("have I got that right?"); advice is a
  sentence with ADVICE words ("you should", "why don't you", ...), counted as without asking on the same
  terms as above.

These thresholds were set for whole counselling sessions coded by trained coders; a first meeting of a
few replies, coded by a scorer, is read as a direction rather than a grade (the summary's note says so).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from trainer.debrief.model import Line, MitiMeasure, MitiSummary
from trainer.debrief.moments import spoken
from trainer.debrief.rules import feeling_words

CITATION = (
    "MITI 4.2.1 (Moyers, Manuel & Ernst 2014, Motivational Interviewing Treatment Integrity Coding Manual "
    "4.2.1; Moyers et al. 2016, J. Substance Abuse Treatment 65:36-42): reflection-to-question ratio fair "
    "1:1, good 2:1; complex reflections fair 40%, good 50%."
)

NOTE = (
    "MITI's thresholds were set for whole counselling sessions coded by trained coders; here they are "
    "estimated by the scorer from a few replies, each kind counted at most once in a reply, so read them "
    "as a direction, not a grade."
)

CODES_PER_REPLY = 1
"""How many of each code one reply can give (see the module's docstring)."""

RQ_FAIR, RQ_GOOD = 1.0, 2.0
CR_FAIR, CR_GOOD = 0.40, 0.50

PERMISSION = re.compile(
    r"\b(?:would it help if|can i suggest|could i suggest|may i suggest|is it ok(?:ay)? if i|would you like "
    r"(?:me to|some)|do you want (?:me to|some)|would you mind if i|can i share|could i share|some ideas)\b",
    re.IGNORECASE,
)
ASKED = re.compile(
    r"\b(?:what should i|what do i do|what would you do|what can i do|any advice|what do you think i|"
    r"tell me what to do|can you help|what would you suggest|what do you suggest)\b",
    re.IGNORECASE,
)
ADVICE = re.compile(
    r"\b(?:you should|you shouldn't|you need to|you ought to|you must|why don't you|have you tried|"
    r"you could try|i'd suggest|i would suggest|my advice|if i were you|the best thing|you'd be better)\b",
    re.IGNORECASE,
)
MEANING = re.compile(
    r"\b(?:must (?:be|have been|feel)|part of you|on the one hand|as if|as though|what matters|you want|"
    r"you'd like|you don'?t want|you wish|you'?ve been (?:trying|holding|carrying|keeping|managing)|"
    r"trying to|hold(?:ing)? it (?:all )?together|carrying|on your own|by yourself|no wonder)\b",
    re.IGNORECASE,
)
_CHECK = re.compile(
    r"\b(?:have i got (?:that|it|this) right|is that right|did i get that right|is that how it (?:feels|is)|"
    r"am i right|does that sound right|is that it)\s*\?",
    re.IGNORECASE,
)
_SENTENCE = re.compile(r"[^.!?]+[.!?]*")


def _sentences(text: str) -> list[str]:
    return [s.strip() for s in _SENTENCE.findall(spoken(text)) if s.strip()]


def _questions(text: str) -> int:
    return sum(s.endswith("?") and not _CHECK.search(s) for s in _sentences(text))


def _per_reply(count: int) -> int:
    """A code found `count` times in one reply, as the summary counts it (CODES_PER_REPLY)."""
    return min(count, CODES_PER_REPLY)


def _advice_unasked(text: str, said: str | None, advice: int) -> int:
    if not advice or (said and ASKED.search(said)) or PERMISSION.search(text):
        return 0
    return advice


def _band(value: float | None, fair: float, good: float) -> str | None:
    if value is None:
        return None
    return "good" if value >= good else "fair" if value >= fair else "below fair"


def miti_summary(replies: Sequence[Line], said_before: Sequence[str | None] | None = None) -> MitiSummary:
    """The summary of these learner replies.

    Args:
        replies: the learner lines, in order.
        said_before: the service user's line before each reply (same length), for complex reflections
            and "advice asked for"; None when not known.
    """
    said = list(said_before) if said_before is not None else [None] * len(replies)
    use_acts = bool(replies) and all(r.acts for r in replies)
    reflections = complex_ = questions = unasked = 0
    for line, before in zip(replies, said, strict=True):
        if use_acts:
            simple = _per_reply(sum(a == "reflection_simple" for a in line.acts))
            complex_reply = _per_reply(sum(a == "reflection_complex" for a in line.acts))
            reflections += simple + complex_reply
            complex_ += complex_reply
            questions += _per_reply(sum(a in ("question_open", "question_closed") for a in line.acts))
            unasked += _advice_unasked(line.text, before, _per_reply(sum(a == "advice" for a in line.acts)))
            continue
        if "empathy" in line.present:
            reflections += 1
            heard = {w.lower() for w in feeling_words(spoken(before or ""))}
            added = {w.lower() for w in feeling_words(spoken(line.text))} - heard
            complex_ += bool(added) or bool(MEANING.search(line.text))
        questions += _per_reply(_questions(line.text))
        unasked += _advice_unasked(
            line.text, before, _per_reply(sum(bool(ADVICE.search(s)) for s in _sentences(line.text)))
        )
    ratio = reflections / questions if questions else None
    share = complex_ / reflections if reflections else None
    if ratio is None:
        rq = f"{reflections} reflection{'s' if reflections != 1 else ''}, no questions"
    else:
        rq = (
            f"{reflections} reflection{'s' if reflections != 1 else ''} to {questions} question"
            + ("s" if questions != 1 else "")
            + f" ({ratio:.1f}:1)"
        )
    measures = [
        MitiMeasure(
            id="rq",
            name="Reflection-to-question ratio",
            value=None if ratio is None else round(ratio, 2),
            shown=rq,
            fair="1:1",
            good="2:1",
            band=_band(ratio, RQ_FAIR, RQ_GOOD) if ratio is not None else ("good" if reflections else None),
        ),
        MitiMeasure(
            id="complex",
            name="Complex reflections",
            value=None if share is None else round(share, 2),
            shown="no reflections"
            if share is None
            else f"{round(100 * share)}% ({complex_} of {reflections})",
            fair="40%",
            good="50%",
            band=_band(share, CR_FAIR, CR_GOOD),
        ),
        MitiMeasure(
            id="advice",
            name="Advice given without asking",
            value=float(unasked),
            shown="none" if not unasked else f"{unasked} time{'s' if unasked != 1 else ''}",
            fair="-",
            good="fewer is better",
            band=None,
        ),
    ]
    return MitiSummary(
        source="acts" if use_acts else "signals",
        reflections=reflections,
        complex_reflections=complex_,
        questions=questions,
        advice_without_permission=unasked,
        measures=measures,
        citation=CITATION,
        note=NOTE,
    )


def progress_line(history: list[dict[str, float]]) -> str | None:
    """The MITI-style measures across sessions (oldest first; each a session's scores as the history keeps
    them, see Debrief.session_scores), for the progress tab: latest beside the first and MITI's thresholds.

    "Latest" is the latest session that has MITI measures at all (every session scored since they were
    kept has "miti_advice"), and its own figure: a measure that session had none of (no questions, so no
    ratio; no reflections, so no share of complex ones) says so rather than showing an older session's
    figure as the latest. None when no session has them."""
    sessions = [h for h in history if any(k.startswith("miti_") for k in h)]
    if not sessions:
        return None
    latest = sessions[-1]
    parts = []
    for key, name, fmt, fair, good, none in (
        ("miti_rq", "Reflections per question", "{:.1f}:1", "1:1", "2:1", "no questions"),
        ("miti_complex", "Complex reflections", "{:.0%}", "40%", "50%", "no reflections"),
    ):
        values = [h[key] for h in sessions if key in h]
        if not values:
            continue
        thresholds = f" (MITI 4.2.1 fair {fair}, good {good})"
        if key not in latest:
            earlier = fmt.format(values[-1])
            parts.append(f"{name}: none in the latest session (it had {none}); {earlier} in an earlier one"
                         f"{thresholds}")
            continue
        first = f", first {fmt.format(values[0])}" if len(values) > 1 else ""
        parts.append(f"{name}: latest {fmt.format(latest[key])}{first}{thresholds}")
    if "miti_advice" in latest:
        parts.append(f"Advice without asking: {int(latest['miti_advice'])} in the latest session")
    return "; ".join(parts) + "." if parts else None
