"""Things to try next time: a small table of suggestions, each grounded in the course reading, picked by
what went wrong in the session.

The table is ordered by priority: the first suggestions whose trigger holds are offered, at most three.
When nothing triggers (a strong session), the last entry is offered alone; it says the frame was kept, so
it is never offered when a reply overstepped or the boundaries score is below the middle (level 1 or 2):
then a boundaries suggestion always holds ("frame-tested" when no more particular one does).

An overstep's suggestion is picked by the kind of overstep: the scorer's rule ids in the reply's evidence
("rule:accepts_offer" is money or a gift, "rule:unlimited_availability" is friendship and time:
OVERSTEP_KINDS); only an overstep with no rule evidence (the classifier's) is read by its words and the
service user's line before it.
Sources are the texts in docs/ (Moss 2015, in "Introducing social work: a starter kit"; Wilson et al.
2011, "Relationship-based practice - some fundamental principles") and the scoring notes.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from trainer.debrief.credits import states_limits
from trainer.debrief.model import Line, MissedMoment, SkillResult, Suggestion
from trainer.debrief.moments import PURPOSE_PARTS
from trainer.debrief.rules import PURPOSE_WITHIN
from trainer.debrief.selfassess import SelfAssessment

MAX_SUGGESTIONS = 3
_FIRST = ("no", "one", "two", "three", "four", "five")[PURPOSE_WITHIN]

MOSS = "Moss (2015), what a professional relationship is and is not"
WILSON = "Wilson et al. (2011), relationship-based practice: the use of self"
NOTES = "Scoring notes: how practitioners recognise empathy, sympathy, purpose and boundaries"


#: The scorer's overstep rule ids (models/patterns/overstep.jsonl) by the kind of overstep a suggestion meets.
OVERSTEP_KINDS: dict[str, frozenset[str]] = {
    "friendship": frozenset({"friendship", "social_media", "personal_number", "unlimited_availability",
                             "open_ended_chat"}),
    "secrecy": frozenset({"secrecy", "collusion"}),
    "gift": frozenset({"money_gifts", "money_handed", "accepts_offer", "accepts_gift"}),
    "touch": frozenset({"physical_contact"}),
    "promise": frozenset({"promised_outcome"}),
}

_KNOWN_RULES = frozenset().union(*OVERSTEP_KINDS.values())

#: For an overstep with no rule evidence (or only rules not in OVERSTEP_KINDS): the words of each kind, in
#: the reply or the line before it.
OVERSTEP_WORDS: dict[str, str] = {
    "friendship": r"friend|number|mobile|facebook|instagram|insta\b|whatsapp|snapchat|any ?time|day or night|"
                  r"whenever|at night|evenings?|weekends?|pop round|lift|coffee|drink",
    "secrecy": r"secret|won'?t tell|not tell|between (us|you and me)|off the record|"
               r"(?:won'?t|not) (?:put|write)",
    "gift": r"gift|money|cash|tenner|fiver|quid|pay|£|\$|present|chocolates|flowers|petrol|just this once",
    "touch": r"hug|hold your hand|cuddle|touch",
    "promise": r"\bpromise\b|\bnobody(?:'s| is)\b|\bno one(?:'s| is)\b|\bwon'?t happen\b",
}


@dataclass(frozen=True)
class Facts:
    """What the triggers look at."""

    skills: dict[str, SkillResult]
    missed: Sequence[MissedMoment]
    lines: Sequence[Line]
    """The whole transcript (service-user lines give the context of an overstep: "have this tenner")."""
    self_assessment: SelfAssessment
    risks: Sequence[str] = ()
    """The disclosures of risk not acted on by the end (OutcomeView.risk_not_acted)."""
    risk_sources: Sequence[str] = ()
    """The guidance behind acting on them, with the scenario's jurisdiction (OutcomeView.risk_sources)."""

    def lacking(self) -> set[str]:
        """The signals the missed moments say were lacking or shown wrongly."""
        return {s for m in self.missed for s in m.signals}

    def fired(self, rule: str) -> bool:
        """Whether a missed-moment rule found something (merged moments keep their first rule's id)."""
        return any(m.rule == rule for m in self.missed)

    def purpose_incomplete(self) -> bool:
        """Whether what the suggestion asks for was not done: the purpose not stated in the first replies
        (no-purpose), or why you are there or what happens next never said. A session that said both,
        early, is not told to say them."""
        purpose = self.skills["purpose"]
        if self.fired("no-purpose") or purpose.shown == 0 and not purpose.parts:
            return True
        return any(purpose.parts.get(part) is None for part in ("why", "next")) if purpose.parts else False

    def limits_stated(self) -> int | None:
        """The first reply that stated the limits of confidentiality (the frame shown, in words such as
        "stays between us", "I'd have to tell someone", "at risk") before any reply overstepped, else None:
        then "explain the limits before you need to" was done."""
        for line in self.lines:
            if line.speaker != "learner":
                continue
            if "overstep" in line.present:
                return None
            if states_limits(line):
                return line.reply
        return None

    def overstepped(self, kind: str) -> bool:
        """Whether a reply overstepped in this way (OVERSTEP_KINDS): by the scorer's rule ids in its overstep
        evidence; a reply with none of those rules in its evidence (the classifier's) by its words or the
        service-user line it answered (OVERSTEP_WORDS)."""
        rx = re.compile(OVERSTEP_WORDS[kind], re.IGNORECASE)
        for i, line in enumerate(self.lines):
            if line.speaker != "learner" or "overstep" not in line.present:
                continue
            rules = {m.source.split(":", 1)[1] for m in line.marks
                     if m.signal == "overstep" and m.source.startswith("rule:")} & _KNOWN_RULES
            if rules:
                if rules & OVERSTEP_KINDS[kind]:
                    return True
                continue
            before = [e.text for e in self.lines[:i] if e.speaker == "service_user"][-1:]
            if any(rx.search(t) for t in [line.text, *before]):
                return True
        return False

    def frame_missed(self) -> bool:
        """Whether a reply overstepped (the boundaries score's `against`), or the boundaries score is below
        the middle (level 1 or 2): then the session is never told it kept the frame."""
        boundaries = self.skills["boundaries"]
        return boundaries.against > 0 or (boundaries.level is not None and boundaries.level < 3)


@dataclass(frozen=True)
class Entry:
    suggestion: Suggestion
    group: str
    """The skill it helps with: the picker takes one per group before taking a second from any."""
    when: Callable[[Facts], bool]


def _s(id: str, title: str, text: str, source: str) -> Suggestion:
    return Suggestion(id=id, title=title, text=text, source=source)


SAFEGUARDING = "Working Together to Safeguard Children 2023, ch. 3; Care Act 2014 s42"

TABLE: tuple[Entry, ...] = (
    Entry(
        _s(
            "act-on-risk",
            "Act on a disclosure of risk before you leave",
            "When someone tells you of a risk, warmth alone does not make anyone safe. Say what you will do "
            "now (talk to your manager today), who you will tell, what keeps everyone safe meanwhile, and "
            "that you will keep them informed; do it with them, honestly, not behind their back.",
            SAFEGUARDING,
        ),
        "safeguarding",
        lambda f: bool(f.risks),
    ),
    Entry(
        _s(
            "not-a-friend",
            "Be friendly, not a friend",
            "When someone asks for your number, your friendship or your time outside the work, say kindly "
            "what you can offer instead: agreed appointments, the office number, the duty line out of hours.",
            MOSS,
        ),
        "boundaries",
        lambda f: f.overstepped("friendship"),
    ),
    Entry(
        _s(
            "confidentiality-limits",
            "Explain confidentiality and its limits before you need to",
            "Early on, say what you will keep private, what you must share, with whom and when (if anyone "
            "is at risk of harm). Then you never have to promise a secret you cannot keep.",
            MOSS,
        ),
        "boundaries",
        lambda f: f.limits_stated() is None and (f.overstepped("secrecy") or "boundaries" in f.lacking()),
    ),
    Entry(
        _s(
            "hold-the-limits",
            "Hold to the limits you stated",
            "You said early what you would keep private and what you would have to share. When they press "
            "you later, say it again, kindly, instead of promising what you said you could not: \"I meant "
            "what I said before - if you're not safe, I'd have to tell someone, and I'd talk to you first.\"",
            MOSS,
        ),
        "boundaries",
        lambda f: f.limits_stated() is not None and f.overstepped("secrecy"),
    ),
    Entry(
        _s(
            "gifts-and-money",
            "Decline gifts tactfully; always refuse money",
            "Thank them, explain that your reward is a job well done, and refuse money. If refusing a small "
            "gift would hurt, take it to the office for everyone, note it on file and tell your manager.",
            MOSS,
        ),
        "boundaries",
        lambda f: f.overstepped("gift"),
    ),
    Entry(
        _s(
            "physical-contact",
            "Show care in words first",
            "Physical contact can be misunderstood, and offering it is never the comfort to reach for first. "
            "Stay with them in words: name what you see (\"this is really hard\") and give them time. If "
            "contact does happen, keep it brief, say plainly what you are to them, and take it to "
            "supervision.",
            MOSS,
        ),
        "boundaries",
        lambda f: f.overstepped("touch"),
    ),
    Entry(
        _s(
            "honest-promises",
            "Promise only what you control",
            "\"Nobody is taking you anywhere, I promise\" is a promise about an outcome you do not decide. "
            "Say what you can promise instead: what you will do, who decides, and that you will keep them "
            "told.",
            MOSS,
        ),
        "boundaries",
        lambda f: f.overstepped("promise"),
    ),
    Entry(
        _s(
            "state-purpose",
            "Say why you are there, and what happens next, in the first few minutes",
            "Open with who you are, why you are meeting (the referral, in plain words), what you need to "
            "achieve today and how long you have, then ask what matters most to them.",
            MOSS,
        ),
        "purpose",
        lambda f: f.purpose_incomplete(),
    ),
    Entry(
        _s(
            "reflect-feeling",
            "Reflect feeling and meaning, then check",
            "When they tell you something hard, say back the feeling and what it means to them, tentatively "
            "(\"It sounds like you're frightened they'll take the children - have I got that right?\") "
            "before you ask your next question.",
            NOTES,
        ),
        "empathy",
        lambda f: "empathy" in f.lacking() and f.skills["empathy"].score < 0.5,
    ),
    Entry(
        _s(
            "empathy-not-sympathy",
            "Swap sympathy for understanding",
            "\"I'm so sorry\" and \"don't worry\" speak about your feelings or close theirs down. Sympathy "
            "alone does not show you understood; say back what you heard instead.",
            MOSS,
        ),
        "empathy",
        lambda f: f.skills["empathy"].against > 0,
    ),
    Entry(
        _s(
            "name-the-ending",
            "Name the time and the ending early",
            "A professional relationship is not open-ended: say how often you will meet, for how long, and "
            "when you will review, so the end is in sight from the beginning.",
            MOSS,
        ),
        "boundaries",
        lambda f: f.skills["boundaries"].shown == 0 and f.skills["purpose"].shown < 2,
    ),
    Entry(
        _s(
            "agency-and-manager",
            "Say who you represent",
            "Make clear that you represent your agency, are accountable to your manager, and that a "
            "colleague may share the work or step in. It makes the frame visible without sounding cold.",
            MOSS,
        ),
        "boundaries",
        lambda f: f.skills["boundaries"].shown == 0,
    ),
    Entry(
        _s(
            "frame-tested",
            "Name the frame when it is tested",
            "A reply crossed the frame, or the moments that tested it passed without it. Look again at those "
            "replies and write what you could say instead: kindly, what you can offer and what you cannot, "
            "and why (your role, your agency's rules).",
            MOSS,
        ),
        "boundaries",
        lambda f: f.frame_missed() and not any(e.when(f) for e in TABLE if e.group == "boundaries"
                                               and e.suggestion.id != "frame-tested"),
    ),
    Entry(
        _s(
            "use-of-self",
            "Notice what is happening for you, too",
            "Before your next meeting, and after it, write a line on what was happening for the service "
            "user and a line on what was happening for you: your feelings are data for the work.",
            WILSON,
        ),
        "self",
        lambda f: f.self_assessment.skipped or f.self_assessment.self_ is None,
    ),
    Entry(
        _s(
            "keep-practising",
            "Keep doing what worked, at a harder level",
            "Your replies reflected feeling, set out the purpose and kept the frame. Try a scenario at the "
            "next difficulty, where the frame is tested harder.",
            NOTES,
        ),
        "all",
        lambda f: not f.frame_missed(),
    ),
)


def pick(facts: Facts) -> list[Suggestion]:
    """One to three suggestions for this session, by priority; the last entry only when nothing else applies
    (and then only when the frame was kept: else "frame-tested" applies)."""
    applicable = [e for e in TABLE[:-1] if e.when(facts)]
    chosen: list[Entry] = []
    for entry in applicable:  # first the most important suggestion for each skill that went wrong...
        if entry.group not in {c.group for c in chosen}:
            chosen.append(entry)
    for entry in applicable:  # ...then, if room is left, the next most important
        if entry not in chosen:
            chosen.append(entry)
    chosen = sorted(chosen[:MAX_SUGGESTIONS], key=TABLE.index)
    if not chosen and TABLE[-1].when(facts):
        chosen = [TABLE[-1]]
    return [_for_this_session(e.suggestion, facts) for e in chosen]


def _for_this_session(suggestion: Suggestion, facts: Facts) -> Suggestion:
    """The act-on-risk suggestion names the risk not acted on and cites the scenario's own guidance (with
    its jurisdiction) when it has any; the purpose and agency suggestions say first what the session did
    give of them, as the purpose score's parts name it, so a thing to try never reads as "you never"
    beside a part the debrief credits ("who you are and which agency: reply 1"); the others are said as
    written."""
    parts = facts.skills["purpose"].parts if "purpose" in facts.skills else {}
    if suggestion.id == "state-purpose" and any(r is not None for r in parts.values()):
        missing = [PURPOSE_PARTS.get(p, p) for p, r in parts.items() if r is None]
        said = ("Not yet said in this meeting: " + _and(missing) + "." if missing
                else f"You made all five parts clear, but not in your first {_FIRST} replies.")
        return suggestion.model_copy(update={"text": f"{said} {suggestion.text}"})
    if suggestion.id == "agency-and-manager" and parts.get("who") is not None:
        text = (f"You said who you are (reply {parts['who']}). Make clear too that you represent your "
                "agency, are accountable to your manager, and that a colleague may share the work or step "
                "in. It makes the frame visible without sounding cold.")
        return suggestion.model_copy(update={"text": text})
    if suggestion.id != "act-on-risk" or not facts.risks:
        return suggestion
    risks = "; ".join(facts.risks)
    text = f"Not acted on in this session: {risks}. {suggestion.text}"
    source = "; ".join(facts.risk_sources) if facts.risk_sources else suggestion.source
    return suggestion.model_copy(update={"text": text, "source": source})


def _and(items: Sequence[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " or " + items[-1]
