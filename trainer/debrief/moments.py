"""Which moments of a session called for which skill, and which parts of the purpose a reply covers.

The session scores (trainer.debrief.sessionscores) judge each skill at the moments that called for it. This
module finds those moments, with deliberately simple, documented word lists, so a student can see why a
moment was counted:

- **A disclosure** (calls for empathy): the service user's line names a feeling or fear (the FEELING_WORDS
  of trainer.debrief.rules: "scared", "on my own", "can't cope", ...) or says what something means to them
  (MEANING_PHRASES: "it means", "all I've got", "matters to me", "I just want", ...). Authors who need
  precision put `expect: [empathy]` on the node; that always counts too.
- **A test of the frame** (calls for boundaries): the service user asks for secrecy, offers a gift or money,
  asks for friendship, a personal number or social-media contact, asks for touch, or asks whether the
  worker will always be there (FRAME_TESTS, by kind). A node's `expect: [boundaries]` always counts too.
- **The parts of the purpose**, as Moss (2015) lists what a first meeting must make clear: who you are and
  which agency, why you are meeting, what you need to achieve, how long you have, and what happens next
  (PURPOSE_PARTS). A reply covers a part when the scorer's purpose evidence names it (its rule ids in
  models/patterns/purpose.jsonl: `why_here` is "why", `agenda` is "achieve", `how_long` is "how long",
  `time_and_next` is "next", or "how long" by its words in sessions saved before the two were split) or
  when the reply's own words match that part's phrases below. The scorer has no rule for "who you are",
  so that part is found by the phrases alone ("I'm Sam, a family support worker from the council").

Stage directions in brackets ("(She folds her arms.)", "[Quietly]") are left out before matching.
Matching is on whole words, case-insensitive. Like every word list, these miss feelings or requests
said in other words and can fire on a word used in passing; the debrief lists the moments it counted so
the student (and the educator) can see and question them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from trainer.debrief.rules import FEELING_WORDS, spoken

# `spoken` is imported from here too, by trainer.debrief.miti and trainer.debrief.sessionscores


def _words_re(phrases: Iterable[str]) -> re.Pattern[str]:
    alternatives = sorted({p.strip().lower() for p in phrases if p.strip()}, key=len, reverse=True)
    body = "|".join(re.escape(p).replace(r"\ ", r"\s+").replace("'", "['\u2019]") for p in alternatives)
    return re.compile(r"(?<![\w'])(?:" + body + r")(?![\w])", re.IGNORECASE)


#: Phrases by which a service user says what something means to them (beside naming a feeling).
MEANING_PHRASES: tuple[str, ...] = (
    "it means", "means a lot", "means everything", "meant everything", "means the world", "all i've got",
    "all i have", "all i had", "matters to me", "what matters", "the only one", "the only person",
    "i just want", "i just wanted", "i don't know what i'd do", "don't know what to do", "i can't do this",
    "i can't do it", "i can't take", "i can't sleep", "can't stop", "i don't know any more", "i feel",
    "i felt", "makes me feel", "made me feel", "nobody's asked", "no one's asked", "nobody has asked",
    "nobody asked", "no one asked", "my fault", "let him down", "let her down", "let them down",
    "let you down", "miss her", "miss him", "miss them", "i've lost", "gone now", "grief", "since she died",
    "since he died", "pointless", "what's the point", "give up", "gave up", "i haven't told anyone",
    "i've not told anyone", "never told anyone",
)  # fmt: skip

_DISCLOSURE_RE = _words_re((*FEELING_WORDS, *MEANING_PHRASES))

#: Kinds of test of the professional frame, each with the phrases that mark it in a service-user line.
FRAME_TESTS: dict[str, tuple[str, ...]] = {
    "secrecy": (
        "secret", "don't tell", "not tell", "won't tell", "promise me", "promise you won't", "between us",
        "between you and me", "off the record", "keep it quiet", "keep this quiet", "tell anyone",
        "don't write", "not write", "write it down", "on file", "keep it to yourself",
        "keep this to yourself", "between ourselves", "just between", "won't you tell", "you won't tell",
    ),
    "gift or money": (  # an offer, not money talked about ("money's been tight" is not a test)
        "gift", "a present", "little present", "for you", "have this", "take this", "tenner", "fiver",
        "twenty-pound", "a twenty", "pay you", "buy you", "in your pocket", "i insist", "for your trouble",
        "for your petrol", "for your time", "cake", "chocolates", "flowers", "tomatoes", "biscuits",
        "bottle of",
    ),
    "friendship or contact": (
        "your number", "your mobile", "your phone", "personal number", "text you", "message you",
        "be friends", "be mates", "friend", "friends", "mate", "follow", "instagram", "facebook", "snapchat",
        "tiktok", "whatsapp", "insta", "snap", "add you", "add me", "come round", "come to my", "party",
        "housewarming", "a drink",
        "a coffee", "a brew", "lift", "your address", "where you live",
    ),
    "touch": ("hug", "cuddle", "hold my hand", "hold me", "dance", "a kiss"),
    "availability": (
        "always be there", "always there", "any time", "anytime", "whenever", "day or night",
        "weekend", "weekends", "evenings", "middle of the night", "will you be there", "be there for me",
        "leave me", "leaving", "go too", "disappear", "vanish", "like the last one", "like the others",
    ),
}  # fmt: skip

_FRAME_RES = {kind: _words_re(phrases) for kind, phrases in FRAME_TESTS.items()}


def disclosure_words(line: str) -> list[str]:
    """The words by which a service-user line discloses a feeling or what something means to them (empty
    when none): what makes it a moment for empathy."""
    return [m.group(0) for m in _DISCLOSURE_RE.finditer(spoken(line))]


def frame_tests(line: str) -> list[str]:
    """The kinds of test of the frame in a service-user line, in FRAME_TESTS order (empty when none)."""
    text = spoken(line)
    return [kind for kind, rx in _FRAME_RES.items() if rx.search(text)]


# --- the purpose ---------------------------------------------------------------------------------------

#: Moss's parts of the purpose, in order: id -> how the debrief names it.
PURPOSE_PARTS: dict[str, str] = {
    "who": "who you are and which agency",
    "why": "why you are meeting",
    "achieve": "what you need to achieve",
    "how_long": "how long you have",
    "next": "what happens next",
}

#: The scorer's purpose rule ids (models/patterns/purpose.jsonl) -> the part they evidence; time_and_next
#: (from older saved sessions, when it held the durations too) is split by its words (_TIME_RE).
RULE_PARTS: dict[str, str] = {
    "why_here": "why", "agenda": "achieve", "how_long": "how_long", "time_and_next": "next",
}

_TIME_RE = re.compile(
    r"\b\d+\s*(?:minutes?|mins?|hours?|hrs?)\b(?!\s+ago\b)|"  # "30min max", "45mins", "1hr"
    r"\b(?:\d+|a|an|one|two|three|four|five|ten|fifteen|twenty|thirty|forty|forty-five|sixty|half an?|a few|"
    r"a couple of|couple of)[\s-]+(?:minutes?|mins?|hours?|weeks?|sessions?|visits?|months?)\b(?!\s+ago\b)|"
    r"\bhow long\b(?!\s+(?:has|had|did|was|were|ago|have\s+(?:you|they|he|she)\s+(?:been|had|lived|known)))|"
    r"\b(?:until|till|til|'til|by|before)\s+(?:about\s+|around\s+|roughly\s+|nearly\s+|just\s+(?:after|before)\s+)?"
    r"(?:\d|half|quarter|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|"
    r"the bell|lunch|break|home ?time)|\b(?:until|till|til|'til|before)\s+the end of|\bo'clock\b|"
    r"\bfor\s+an?\s+hour\b|"
    r"\ba quick\b|\bbriefly\b|\btime[- ]limited\b|\bhalf an hour\b|\bnot long\b",
    re.IGNORECASE,
)

#: An agency, as a worker names the one they come from: "from the council", "frm early help", "from the
#: young carers service".
_AGENCY = (
    r"(?:the\s+)?(?:council|children'?s services|adult social care|social services|local authority|hospital|"
    r"housing|early help|probation|camhs|surgery|practice|hospice|nhs|trust|charity|school|college|ward|"
    r"(?:[\w'-]+\s+){0,3}team|(?:[\w'-]+\s+){0,2}service)"
)

#: Phrases by part ("who" is found by _who: a capitalised name after "I'm", a role or an agency).
PART_PHRASES: dict[str, str] = {
    "why": (
        r"\breferr(?:al|ed)\b|\basked (?:us|me) to\b|\bconcerns?\b|\bthe reason\b|\bwhy I'?m here\b|"
        r"\bI'?m here (?:because|about|to)\b|\bI'?ve come (?:because|about|to)\b|\bvisit about\b|"
        r"\bcome about\b|\bhere about\b|\b(?:calling|ringing|phoning|writing|texting)\s+(?:you\s+)?about\b|"
        rf"\b(?:from|frm)\s+{_AGENCY}\s+about\b|"
        r"\bassessment\b|(?<!if i )(?<!if we )(?<!if you )(?<!if they )(?<!if she )(?<!if he )"
        r"\b(?:was|were|is|are|been) (?:a bit |a little |quite |really |very |so )?(?:worried|concerned)\b|"
        r"(?<!if )(?<!when )\b(?:they|we)(?:'re| are| were|'ve been| have been) "
        r"(?:a bit |a little |quite |really |very |so )?(?:worried|concerned)\b|"
        r"\b(?:it'?s|its|this is|it'?ll be)\s+(?:basically|basicaly|just|really)?\s*an?\s+"
        r"(?:chat|conversation|talk)\s+about\b|"
        r"\b(?:today|this visit|this meeting|this call)\b[^.?!]{0,20}"
        r"\bI (?:want|need|wanted|'d like|would like) to\b|"
        r"\bthought it (?:might|would|could) help\b|\b(?:meet|visit|see you|come round)\s+because\b|"
        r"\bmy (?:role|job)(?: here| today)? is to\b|"
        r"\b(?:health visitor|school|teacher|gp|doctor|nurse|hospital|police|ward|mr \w+|mrs \w+|ms \w+|"
        r"miss \w+|your (?:mum|dad|family|son|daughter))\b[^.?!]{0,60}\b(?:said|asked|thought|told|mentioned|"
        r"contacted|got in touch|rang|called)\b"
    ),
    "achieve": (
        r"\btoday I'?d like\b|\bI'?d like to (?:understand|hear|find out|talk|look|agree|explain)\b|"
        r"\b(?:agree|make|plan|come up with)\s+(?:a|the)\s+plan\b|\bagree what\b|\bwhat we need to\b|"
        r"\bhope we can\b|\bwork out\b|\bwhat (?:support|help)\b|\bwhat (?:would|will|could|might) help\b|"
        r"\b(?:just )?to see (?:what|how|if)\b|\bfind out (?:how|what)\b|\bunderstand how\b|"
        r"\bthe aim\b|\bthe purpose\b|\bwhat matters\b|\bthe plan (?:is|for today)\b|"
        r"\bspend (?:[\w-]+\s+){0,3}(?:on|talking|looking)\b|"
        r"\bI (?:want|need|hope|wanted) to (?:get to know|check|see how|understand|hear|find out|talk|look|"
        r"agree|explain)\b"
    ),
    "how_long": _TIME_RE.pattern,
    "next": (
        r"\bwhat happens next\b|\bnext steps?\b|\bafter (?:today|this|we meet|our meeting)\b|"
        r"\bI'?ll (?:write|send|call|ring|phone|come back|be in touch|let you know|speak|talk|get back|"
        r"check|arrange|book|visit)\b|\bwe'?ll (?:meet|see each other|talk) again\b|\bfollow[- ]up\b|"
        r"\bnext (?:week|wk|time|visit|meeting|month|(?:mon|tues|wednes|thurs|fri|satur|sun)day)\b|"
        r"\blet'?s meet\b|\bmeet (?:here |up )?again\b|\bthen we'?ll\b|\breview\b|\bcome back\b|"
        r"\b(?:I'?ll|ill|i will) (?:pop|come|be|call|drop) (?:back|round|over|in|by)\b|"
        r"\bsee (?:you|u|ya) (?:next|same time|on|again|(?:mon|tues|wednes|thurs|fri|satur|sun)day)\b|"
        r"\b(?:an? [\w-]+(?: [\w-]+){0,2}|someone|somebody|they|the team)(?:\s+will|'ll)\s+"
        r"(?:come|visit|call|ring|phone|be in touch|contact|write)\b|^next,|"
        r"\bstarting (?:on )?(?:mon|tues|wednes|thurs|fri|satur|sun)day\b|"
        r"\bnothing is decided\b|\bwhat I write\b|\bhand (?:over|you over)\b|\bhandover\b|"
        # a call back arranged: "I'll try again at four", "could you ask them to call me back"
        r"\b(?:I'?ll|ill|i will|I can) try (?:again|back|later)\b|\b(?:call|ring|phone) (?:me|you|u) back\b"
    ),
}

_PART_RES = {part: re.compile(rx, re.IGNORECASE) for part, rx in PART_PHRASES.items()}
_WHO_CI = re.compile(
    r"\b(?:my name is|my name's)\b|\b(?:I'?m|I am)\s+(?:a|an|the|your)\s+(?:[\w'-]+\s+){0,3}(?:worker|"
    r"practitioner|officer|student|nurse|assessor|advisor|adviser|coordinator|co-ordinator)\b|"
    rf"\b(?:from|frm|fr)\s+{_AGENCY}\b|"
    r"\bI work (?:for|with|in|at)\b",
    re.IGNORECASE,
)

# Words after "I'm" or "it's" that are not names: "I'm Sure", "I'm Sorry", "it's Monday".
_NOT_NAMES = frozenset(
    """sorry sure not just so here afraid glad happy really going a the from with only still also worried
    concerned fine okay ok aware hoping trying looking calling ringing new right wondering monday tuesday
    wednesday thursday friday saturday sunday january february march april june july august september
    october november december today tomorrow time gonna gunna about off back out in on um erm like yeah
    literally actually totally""".split()
)

#: A name introduced: "I'm Priya", typed in lower case when a role or agency follows ("im priya from
#: housing", "i'm jo, the school nurse"), or "it's Nasreen" after a greeting ("Hi Dave, it's Nasreen").
_NAMED = (
    re.compile(r"\bI(?:'m| am)\s+([A-Z][a-z]+)\b"),
    re.compile(r"\b(?:i'?m|im|i am)\s+([a-z]+),?\s+(?:from|frm|the|your|a|an)\b", re.IGNORECASE),
    re.compile(r"\b(?i:hi|hello|hiya|morning|afternoon|evening)\b[^.?!]{0,30}\b(?i:it'?s|this is)\s+"
               r"([A-Z][a-z]+)\b"),
    # a greeting, then the name in lower case as typed: "hey jade, im sam, i help young people ..."
    re.compile(r"\b(?:hi|hey|hiya|hello)\b[^.?!]{0,30}\b(?:i'?m|im|i am)\s+([a-z]+)\b(?!\s+\w+ing\b)",
               re.IGNORECASE),
)


#: Words just before "from <agency>" that make the agency someone else's: "someone from social services at
#: the door", "a letter from the council", "when they came from housing", "my colleague from the domestic
#: abuse service".
_OTHERS_FROM = frozenset(
    """someone somebody anyone anybody people person they them he him she her when because if letter letters
    call calls visit visits knock colleague colleagues advocate""".split()
)


def _who(text: str) -> bool:
    for m in _WHO_CI.finditer(text):
        if not m.group(0).lower().startswith("fr"):  # not "from <agency>": "my name is", "I work for"
            return True
        before = re.findall(r"[\w']+", text[max(0, m.start() - 40) : m.start()].lower())[-3:]
        if _OTHERS_FROM.isdisjoint(before):
            return True
    return any(m.group(1).lower() not in _NOT_NAMES for rx in _NAMED for m in rx.finditer(text))


#: Parts whose words may be the service user's own, given back: "two hours on the floor" after "I was two
#: hours on the floor" is a reflection, not how long the meeting will take.
_THEIRS_TOO = frozenset({"how_long", "next"})


def _said_by_worker(rx: re.Pattern[str], text: str, said: str | None) -> bool:
    """Whether `rx` matches the reply in words that are not a repeat of the service user's line `said`: a
    match is theirs when it and the word before or after it stand in their line ("two hours on" in "I was
    two hours on the floor"; not "have two hours")."""
    theirs = " " + " ".join(re.findall(r"[\w']+", said.lower())) + " " if said else ""
    for m in rx.finditer(text):
        words = re.findall(r"[\w']+", m.group().lower())
        before = re.findall(r"[\w']+", text[: m.start()].lower())[-1:]
        after = re.findall(r"[\w']+", text[m.end() :].lower())[:1]
        echoes = [" " + " ".join(ws) + " " for ws in (before + words, words + after) if len(ws) > len(words)]
        echoes = echoes or [" " + " ".join(words) + " "]  # the reply is the time alone: "Two hours."
        if not theirs or not any(e in theirs for e in echoes):
            return True
    return False


#: Parts a reply to someone else (a node with its own `speaker`) gives only for that person when it is an
#: option the author wrote: "I've come to see Helen, not for a dance" to her father is not why the worker
#: is meeting Helen, nor what the meeting must achieve.
_THEIR_MEETING = frozenset({"why", "achieve"})


def meeting_parts(parts: Iterable[str], *, option_to_another: bool) -> list[str]:
    """`parts` (purpose_parts ids) that count for the meeting with the service user: without "why" and
    "achieve" for an authored option picked at a node spoken by someone else (`option_to_another`)."""
    return [p for p in parts if not (option_to_another and p in _THEIR_MEETING)]


def purpose_parts(
    text: str, evidence: Sequence[Mapping[str, Any]] = (), said: str | None = None
) -> list[str]:
    """The parts of the purpose (PURPOSE_PARTS ids, in order) that a learner reply covers.

    Args:
        text: the reply.
        evidence: the scorer's evidence for the reply (mappings with signal, source, text); purpose
            evidence from a rule names its part by the rule id ("rule:why_here").
        said: the service user's line the reply answers, if known: a length of time or a "next week" that
            only repeats their words is theirs, not the meeting's.
    """
    found: set[str] = set()
    for item in evidence:
        if item.get("signal") != "purpose":
            continue
        source = str(item.get("source") or "")
        rule = source.split(":", 1)[1] if source.startswith("rule:") else ""
        part = RULE_PARTS.get(rule)
        if part == "next" and _TIME_RE.search(str(item.get("text") or "")):
            part = "how_long"
        if part:
            found.add(part)
    if _who(text):
        found.add("who")
    for part, rx in _PART_RES.items():
        if _said_by_worker(rx, text, said) if part in _THEIRS_TOO else rx.search(text):
            found.add(part)
    return [p for p in PURPOSE_PARTS if p in found]
