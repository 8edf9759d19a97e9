"""Coach notes: what a reply showed, the words that showed it, and one tip.

Shared by every front end (the Textual app, the plain-text player `trainer.plain`), so this module imports
neither textual nor spaCy: it works on the plain assessment mapping the engine stores in the transcript
(`{"scores": {...}, "evidence": [...], "cues": [...], "acts"?: [...], "note"?}`), which also lets a
resumed run show the notes of its earlier turns.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from trainer.debrief.credits import limits_stated
from trainer.debrief.moments import PURPOSE_PARTS, frame_tests, meeting_parts, purpose_parts
from trainer.practice.names import check_names
from trainer.scenario.conditions import cue_means_here
from trainer.scenario.engine import TurnRecord
from trainer.scenario.risk import RiskProgress, risk_progress
from trainer.scenario.schema import Scenario
from trainer.scoring.acts import describe, main_act
from trainer.scoring.api import AGAINST, SIGNALS, THRESHOLD

#: How each signal is named to a student.
SIGNAL_LABELS: dict[str, str] = {
    "empathy": "empathy",
    "sympathy": "sympathy",
    "purpose": "purpose",
    "boundaries": "boundaries",
    "overstep": "boundary overstepped",
}

#: Signals that count against the relationship: they are shown as warnings, not as praise.
CAUTION_SIGNALS: frozenset[str] = frozenset(AGAINST)

# One corrective tip per signal that was present but should not be ({quote}: the words, {them}: a pronoun).
_CORRECTIVE: dict[str, str] = {
    # No verb agrees with the pronoun ("what they feels"), and the example carries content: an empty
    # "It sounds really hard" is itself sympathy (models/LABELLING.md, rule 8).
    "sympathy": "{quote} {what}. Try giving back what {them_subject} told "
    "you and the feeling in it instead, e.g. \"It sounds like [what happened] has left you [feeling]\".",
    "overstep": "{quote} steps outside the professional role. Say what you can offer, and what you can't, "
    "kindly and clearly.",
}
# Sympathy beside a reflection: the reflection is there already.
_BESIDE_EMPATHY = "{quote} {what}. Your reflection already does the work; it is stronger without it."
# Sympathy found in the very words of the reflection (the classifier's whole sentence): naming those words
# as sympathy would tell the student to drop their reflection.
_WITHIN_EMPATHY = ("This reflected, and it also reads as sympathy: give back their feeling on its own, "
                   "without your own reaction to it.")
# What a sympathy reply did, by the kind of sympathy (the rule or the act that found it).
_SYMPATHY_KINDS: dict[str, str] = {
    "reassurance": "is reassurance: it closes the feeling down before it is heard",
    "platitude": "is a comfort cliché: it tells them how to see it instead of hearing how it is for them",
    "same_experience": "moves the story to you: your experience is not theirs",
    "self_disclosure": "moves the story to you: your experience is not theirs",
}
_SYMPATHY = "is sympathy: it shows your feelings"
# One tip per signal a moment expected but the reply did not show.
_MISSING: dict[str, str] = {
    "empathy": "Give back the feeling or meaning in what {them_subject} said, in your own words, and check "
    "you've got it right.",
    "purpose": "Say why you are here and what you need to achieve today, then ask what matters to "
    "{them_object}.",
    "boundaries": "State the frame: your role, what stays confidential and when it can't, how to reach "
    "the service.",
    "sympathy": "Keep the focus on {them_object}, not on your own feelings.",
    "overstep": "Keep the focus on the work you are here to do.",
}
# A few words of encouragement when a helpful signal is there and nothing went wrong.
_WELL_DONE: dict[str, str] = {
    "empathy": "Good reflection: keep checking your understanding as you hear more.",
    "purpose": "Clear about why you're here: now leave room for what matters to {them_object}.",
    "boundaries": "You stated the frame clearly and kindly.",
}
_GENERAL = "Listen for the feeling behind the words, and give it back before you ask the next question."
# What a reply did, when a moment expected it and it is there: said before the tip for what is still missing.
_DONE: dict[str, str] = {
    "empathy": "You gave back what {them_subject} felt or meant",
    "purpose": "You set out part of the purpose",
    "boundaries": "You set out the frame",
}
# The generic purpose tip, for the parts not yet said (_MISSING["purpose"] when none of them was).
_PURPOSE_ASK = "Say {parts}, then ask what matters to {them_object}."
# The parts of the purpose the generic tip asks for, in the order it asks (the first two not yet said in the
# session), in the words of a tip.
_ASK_PARTS: dict[str, str] = {
    "why": "why you are here",
    "achieve": "what you need to achieve today",
    "next": "what happens next",
    "how_long": "how long you have",
    "who": "who you are and which agency",
}
#: What a session's earlier replies covered (`covered_before`): the frame stated, as a key beside the parts
#: of the purpose (PURPOSE_PARTS ids).
FRAME = "frame"
# At a disclosure of risk whose safe reply was begun (some of its parts said): the author's tip asks for
# all of it, some of which was done.
_RISK_REST = "You have begun to act on it. Do the rest now, with {them_object}: {missing}."
# A reflection where the frame needed saying (the moment expects boundaries, or the line tested the frame):
# hearing them was good, and that is said, but it is not all the moment asked.
_HEARD = "Hearing {them_object} was good; the frame still needed saying too."
_HEARD_TEST = ("Hearing {them_object} was good; {them_subject} {was} also testing the frame ({kinds}), so it "
               "still needed saying.")
# At a disclosure of risk the author did not write a tip for.
_RISK = ("Before anything else, act on the risk: ask about it directly, find out whether {them_subject} "
         "{are} safe now, and say what you will do today (your manager, the numbers to ring).")


@dataclass(frozen=True)
class Highlight:
    """A span of the reply to highlight, with the signal it belongs to."""

    start: int
    end: int
    signal: str

    @property
    def caution(self) -> bool:
        return self.signal in CAUTION_SIGNALS


@dataclass(frozen=True)
class CoachNote:
    """The short note shown under a reply in coach mode."""

    found: list[str]
    """Signals present (at or above the threshold), in SIGNALS order."""
    evidence: list[tuple[str, str, str]] = field(default_factory=list)
    """(signal, quoted words, reason) for the present signals, at most one per signal."""
    highlights: list[Highlight] = field(default_factory=list)
    """Character spans of the reply to highlight (within the reply's length)."""
    tip: str = ""
    notice: str | None = None
    """The scorer's note (e.g. truncation), when there is one."""
    act: str | None = None
    """What the reply was, in a learner's words, when that matters ("This was advice, not a reflection:
    ..."; see `trainer.scoring.acts.describe`)."""
    parts: list[str] = field(default_factory=list)
    """The parts of the purpose the reply gave, as the debrief names them ("who you are and which agency";
    `trainer.debrief.moments.purpose_parts`), so the note and the debrief agree."""
    risk: str | None = None
    """A disclosure of risk that was still not acted on after this reply ("Jordan has thought about
    suicide, and how"), else None: then the note leads with it."""
    risk_said: list[str] = field(default_factory=list)
    """The parts of that disclosure's safe reply that the learner's replies did say (each cue's
    description): then the note says the risk was acted on in part, never that it was not acted on."""
    risk_missing: list[str] = field(default_factory=list)
    """The parts of the safe reply still not said, when some were (`risk_said`)."""

    def summary(self) -> str:
        """One line naming what was found, e.g. "Found: empathy, purpose (who you are and which agency)";
        after a reply that left a disclosed risk unanswered it says so first."""
        found = [SIGNAL_LABELS.get(s, s) for s in self.found]
        parts = "; ".join(self.parts)
        if parts and "purpose" in self.found:
            found[self.found.index("purpose")] += f" ({parts})"
        elif parts:
            found.append(f"part of the purpose ({parts})")
        said = "Found: " + ", ".join(found) if found else ""
        if self.risk and self.risk_said:
            done = "; ".join(self.risk_said)
            # Every part said, but not in the replies at the moments that raised it: said late, not unsaid.
            todo = (f" Still to do: {'; '.join(self.risk_missing)}." if self.risk_missing
                    else " But not together, at the moments the risk was raised.")
            return f"The risk was acted on in part ({self.risk}). Done: {done}.{todo}" + (
                f" {said}" if said else "")
        if self.risk:
            return f"The risk was not acted on ({self.risk})." + (f" {said}" if said else "")
        return said or "No signal found in this reply."

    def as_plain_text(self) -> str:
        """The note as plain lines for the plain-text player and screen readers."""
        lines = [f"Coach: {self.summary()}"]
        if self.act:
            lines.append(f"  {self.act}")
        for signal, quote, reason in self.evidence:
            lines.append(f"  {SIGNAL_LABELS.get(signal, signal)}: \"{quote}\" - {reason}")
        if self.notice:
            lines.append(f"  Note: {self.notice}")
        if self.tip:
            lines.append(f"  Tip: {self.tip}")
        return "\n".join(lines)


def _pronouns(pronouns: str | None) -> tuple[str, str]:
    """(subject, object) pronouns from a profile's "she/her" style field; "they/them" when unknown."""
    if pronouns:
        parts = [p.strip().lower() for p in pronouns.replace(" ", "").split("/") if p.strip()]
        if len(parts) >= 2:
            return parts[0], parts[1]
    return "they", "them"


def _present(scores: Mapping[str, Any]) -> list[str]:
    found = []
    for signal in SIGNALS:
        value = scores.get(signal, 0.0)
        if isinstance(value, int | float) and value >= THRESHOLD:
            found.append(signal)
    return found


def _unquoted(reason: str, quote: str) -> str:
    """The scorer's reason without its opening quote of the words the note quotes already: "'about 40
    mins' says how long you have" -> "says how long you have", so the note does not give the words twice
    (a quote cut short with "…" counts). A reason that does not open with them is left as it is."""
    said = " ".join(quote.split())
    at = reason.find("' ")
    while reason.startswith("'") and at > 0:
        head = " ".join(reason[1:at].split()).rstrip("…").rstrip()
        if head and said.startswith(head):
            return reason[at + 2 :]
        at = reason.find("' ", at + 1)
    return reason


def coach_note(
    assessment: Mapping[str, Any],
    reply: str,
    *,
    tip: str | None = None,
    expect: Sequence[str] = (),
    pronouns: str | None = None,
    risk: str | None = None,
    unacted: Sequence[str] = (),
    avoided: Sequence[str] = (),
    frame_test: Sequence[str] = (),
    said: str | None = None,
    covered: Collection[str] = (),
    option_to_another: bool = False,
    risk_begun: Sequence[str] = (),
) -> CoachNote:
    """Build the coach note for one reply.

    Args:
        assessment: the assessment mapping as the engine stores it (scores, evidence, cues, note?).
        reply: the reply as the learner wrote it (evidence offsets point into it).
        tip: the moment's own coaching tip, if the author wrote one.
        expect: the signals a good reply shows at this moment.
        pronouns: the service user's pronouns ("she/her"), for the generic tips.
        risk: the disclosure, when this moment is marked `risk:` (the node's `risk.disclosure`).
        unacted: the disclosures of risk still not acted on after this reply (`unacted_risks`).
        avoided: the `matched_note` of each cue to avoid the reply matched here (`avoided_notes`).
        frame_test: the kinds of test of the frame in the line the reply answers
            (`trainer.debrief.moments.frame_tests`), as the debrief counts them.
        said: the line the reply answers: the parts of the purpose are named as the debrief names them,
            so a length of time only repeated from it is not "how long you have".
        covered: what the session's earlier replies did already (`covered_before`: the parts of the
            purpose, and FRAME when one stated the frame): a tip never asks for it again; the frame is
            asked for again only when this line tests it.
        option_to_another: the reply is an authored option picked at a node spoken by someone else (its
            parts of the purpose are counted as the debrief counts them, `meeting_parts`).
        risk_begun: the parts of the safe reply still missing when some were said (`risk_parts`): the tip
            asks for those, not the author's tip for the whole of it.
    Returns: the note. The tip is, in order of priority: at a disclosure of risk the reply did not act on,
        the author's tip (or a generic one: ask directly, safe now, your manager today), or, when part of
        its safe reply was said (`risk_begun`), the parts still to do; after a reply that
        did what the moment warns against (a cue to avoid), the author's tip (or the cue's note); a
        correction when
        sympathy or an overstep was found (quoting the words); when an expected signal is missing, the
        author's tip (or a generic tip for that signal), or, when the reply showed another expected signal,
        what it did and a tip for what is missing; after a reflection where the frame needed saying (the
        moment expects boundaries or the line tested the frame) and was not said, that hearing them was
        good and the frame still needed saying, with the author's tip (or a generic one); encouragement
        for a helpful signal; the author's tip; a general tip. A signal is not missing when the session
        did it already (`covered`): the purpose when every part the tip would ask for was said, the frame
        when it was stated and this line does not test it.
    """
    scores = assessment.get("scores") or {}
    found = _present(scores) if isinstance(scores, Mapping) else []
    subject, obj = _pronouns(pronouns)
    singular = subject in ("she", "he")  # "she is", "they are"

    evidence: list[tuple[str, str, str]] = []
    highlights: list[Highlight] = []
    quotes: dict[str, str] = {}
    kinds: dict[str, str] = {}  # the rule or act behind each quote ("reassurance", "pity", ...)
    raw_evidence = assessment.get("evidence") or []
    for item in raw_evidence if isinstance(raw_evidence, list) else []:
        if not isinstance(item, Mapping):
            continue
        signal = str(item.get("signal", ""))
        if signal not in found:
            continue  # evidence for a signal below the threshold would contradict "found"
        start, end = item.get("start"), item.get("end")
        if isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= len(reply):
            highlights.append(Highlight(start, end, signal))
        text = str(item.get("text") or "").strip()
        if text and signal not in quotes:
            quotes[signal] = text
            kinds[signal] = str(item.get("source") or "").split(":", 1)[-1].split(".")[0]
            evidence.append((signal, text, _unquoted(str(item.get("reason") or "").strip(), text)))

    acts = assessment.get("acts") or []
    labels = [str(a.get("act")) for a in acts if isinstance(a, Mapping)] if isinstance(acts, list) else []
    chosen = ""
    for signal in ("overstep", "sympathy"):
        if signal in found:
            quote = f"'{_capitalise(quotes[signal])}'" if signal in quotes else "That"
            kind = kinds.get(signal, "")
            if kind not in _SYMPATHY_KINDS:  # found by the classifier: the sentence's act may say which
                kind = next((a for a in labels if a in _SYMPATHY_KINDS), kind)
            what = _SYMPATHY_KINDS.get(kind, _SYMPATHY)
            if signal == "sympathy" and "empathy" in found:
                # The reply also reflected: do not tell the student to do what it just did.
                mine, theirs = quotes.get("sympathy", "").lower(), quotes.get("empathy", "").lower()
                shared = bool(mine and theirs) and (mine in theirs or theirs in mine)
                chosen = _WITHIN_EMPATHY if shared else _BESIDE_EMPATHY.format(quote=quote, what=what)
            else:
                chosen = _CORRECTIVE[signal].format(quote=quote, what=what, them_subject=subject,
                                                    them_object=obj)
            break
    parts = meeting_parts(purpose_parts(reply, [e for e in raw_evidence if isinstance(e, Mapping)]
                                        if isinstance(raw_evidence, list) else [], said),
                          option_to_another=option_to_another)
    # What the session has done by now (earlier replies and this one): not asked for again.
    ask = [p for p in _ASK_PARTS if p not in covered and p not in parts][:2]
    frame_done = FRAME in covered and not frame_test
    missing = [s for s in expect if s in _MISSING and s not in found and s not in CAUTION_SIGNALS
               and not (s == "purpose" and not ask) and not (s == "boundaries" and frame_done)]
    done = [s for s in expect if s in _DONE and s in found]
    good = [s for s in found if s in _WELL_DONE]
    unsafe = bool(risk) and risk in unacted
    if unsafe and risk_begun:
        # Part of the safe reply said: the tip asks for the rest, not again for what was said.
        chosen = _RISK_REST.format(them_object=obj, missing="; ".join(_imperative(m) for m in risk_begun))
    elif unsafe:
        # A disclosure of risk left unanswered: the safety tip comes first, before any correction.
        chosen = tip.strip() if tip else _RISK.format(them_subject=subject, are="is" if singular else "are")
    elif avoided:
        # It did what this moment warns against (the scenario's cue to avoid): no praise for the rest of it
        # ("You said who you are...; now: ..." to a reply that told Jordan's mum why you were calling).
        chosen = tip.strip() if tip else " ".join(avoided[0].split())
    if not chosen and missing and done:
        # The author's tip speaks to the whole moment, part of which the reply did: say that part was
        # done (for the purpose, the parts it gave, as the debrief names them), and give the tip for what
        # is still missing.
        did = _DONE[done[0]].format(them_subject=subject)
        if done[0] == "purpose" and parts:
            did = "You said " + _and([PURPOSE_PARTS[p] for p in parts])
        rest = _missing_tip(missing[0], subject, obj, ask)
        chosen = f"{did}; now: {rest[:1].lower()}{rest[1:]}"
    if not chosen and "empathy" in found and "boundaries" not in found and not frame_done and (
        "boundaries" in expect or frame_test
    ):
        # Praise for the reflection alone would read as "that was all the moment needed".
        if "boundaries" in expect:
            heard = _HEARD.format(them_object=obj)
            rest = tip.strip() if tip else _MISSING["boundaries"]
        else:  # the author's tip is about something else here
            heard = _HEARD_TEST.format(them_object=obj, them_subject=subject, kinds=_and(list(frame_test)),
                                       was="was" if singular else "were")
            rest = _MISSING["boundaries"]
        chosen = f"{heard} {rest}"
    if not chosen and missing:
        # The author's tip speaks to this very moment; the generic one only to the missing signal.
        chosen = tip.strip() if tip else _missing_tip(missing[0], subject, obj, ask)
    if not chosen and good:
        chosen = _WELL_DONE[good[0]].format(them_subject=subject, them_object=obj)
    if not chosen:
        chosen = tip.strip() if tip else _GENERAL
    notice = assessment.get("note")
    said = describe(main_act(labels), found, wanted=expect, them=obj, they=subject)
    if parts and "empathy" not in expect:
        said = None  # the reply gave part of the purpose this moment needed: its act is not news
    return CoachNote(
        found=found,
        evidence=evidence,
        highlights=sorted(highlights, key=lambda h: (h.start, h.end)),
        tip=_capitalise(chosen),
        notice=str(notice) if notice else None,
        act=said,
        parts=[PURPOSE_PARTS[p] for p in parts],
        risk=next(iter(unacted), None),
    )


def _missing_tip(signal: str, subject: str, obj: str, ask: Sequence[str]) -> str:
    """The generic tip for an expected signal the reply did not show; for the purpose, it asks for the
    parts not yet said (`ask`, _ASK_PARTS ids)."""
    if signal == "purpose" and ask:
        return _PURPOSE_ASK.format(parts=_and([_ASK_PARTS[p] for p in ask]), them_object=obj)
    return _MISSING[signal].format(them_subject=subject, them_object=obj)


def unacted_risks(scenario: Scenario, transcript: Sequence[TurnRecord], upto: int) -> list[str]:
    """The disclosures of risk (`risk.disclosure` of the nodes marked `risk:`) not acted on in full after
    the learner reply at transcript index `upto`: a reply at a risk node adds it; it is cleared when a
    reply, or the learner's consecutive replies at the risk moments, matched every cue of its
    `safe_reply` (`trainer.scenario.risk.RiskProgress`, as the engine counts them)."""
    return _unacted(scenario, _progress(scenario, transcript, upto))


def _unacted(scenario: Scenario, progress: RiskProgress) -> list[str]:
    return [r.disclosure for n in _pending_in_order(scenario, progress)
            if (r := scenario.nodes[n].risk) is not None]


def _progress(scenario: Scenario, transcript: Sequence[TurnRecord], upto: int) -> RiskProgress:
    replies = []
    for record in transcript[: upto + 1]:
        if record.speaker != "learner":
            continue
        cues = record.assessment.get("cues") if isinstance(record.assessment, Mapping) else None
        matched = [c for c in cues if isinstance(c, str)] if isinstance(cues, list) else []
        replies.append((record.node, matched))
    return risk_progress(scenario, replies)


def _pending_in_order(scenario: Scenario, progress: RiskProgress) -> list[str]:
    order = list(scenario.nodes)
    return sorted((n for n in progress.pending if n in scenario.nodes), key=order.index)


def _cue_words(scenario: Scenario, cue_id: str) -> str:
    """A cue in words for a student: its description ("says you will tell your manager today"), else its
    id ("tell manager today")."""
    cue = scenario.cues.get(cue_id)
    text = " ".join((cue.description or "").split()) if cue is not None else ""
    text = text.rstrip(".") or cue_id.replace("_", " ")
    return text[:1].lower() + text[1:]


def risk_parts(
    scenario: Scenario, transcript: Sequence[TurnRecord], upto: int
) -> tuple[list[str], list[str]]:
    """For the first disclosure still not acted on in full after the reply at `upto`: the parts of its
    safe reply that were said and those still missing, in words (`_cue_words`); ([], []) when none is
    pending or no part was said."""
    return _risk_parts(scenario, _progress(scenario, transcript, upto))


def _risk_parts(scenario: Scenario, progress: RiskProgress) -> tuple[list[str], list[str]]:
    for node_id in _pending_in_order(scenario, progress):
        risk = scenario.nodes[node_id].risk
        said = progress.parts_said(node_id)
        if risk is None or not said:
            return [], []
        return ([_cue_words(scenario, c) for c in risk.safe_reply if c in said],
                [_cue_words(scenario, c) for c in risk.safe_reply if c not in said])
    return [], []


def reply_note(
    scenario: Scenario, transcript: Sequence[TurnRecord], index: int, *, pronouns: str | None = None
) -> CoachNote | None:
    """The coach note on the learner reply at transcript index `index` of a run of `scenario`: the node's
    tip, expected signals and risk, the risks still not acted on (`unacted_risks`), the cues to avoid the
    reply matched (`avoided_notes`) and the names that are no one in the scenario (`check_names`). None
    when the record is not a scored learner reply."""
    record = transcript[index]
    if record.speaker != "learner" or not isinstance(record.assessment, Mapping):
        return None
    node = scenario.nodes.get(record.node)
    cues = record.assessment.get("cues")
    matched = [c for c in cues if isinstance(c, str)] if isinstance(cues, list) else []
    progress = _progress(scenario, transcript, index)  # once, for the risks unacted and the parts said
    said = said_before(transcript, index)
    done, missing = _risk_parts(scenario, progress)
    note = coach_note(
        record.assessment,
        record.text,
        tip=node.tip if node else None,
        expect=list(node.expect) if node else [],
        pronouns=pronouns,
        risk=node.risk.disclosure if node is not None and node.risk is not None else None,
        unacted=_unacted(scenario, progress),
        avoided=avoided_notes(scenario, record.node, matched),
        frame_test=frame_tests(said),
        said=said,
        covered=covered_before(scenario, transcript, index),
        option_to_another=_option_to_another(scenario, record),
        risk_begun=missing if done else (),
    )
    if note.risk:
        note = replace(note, risk_said=done, risk_missing=missing)
    names = check_names(record.text, scenario)  # "Mr Hughes?" at Mark Ellison's door
    if names:
        note = replace(note, notice=f"{names} {note.notice}" if note.notice else names)
    return note


def _option_to_another(scenario: Scenario, record: TurnRecord) -> bool:
    node = scenario.nodes.get(record.node)
    return record.option is not None and node is not None and bool(node.speaker)


def covered_before(scenario: Scenario, transcript: Sequence[TurnRecord], index: int) -> frozenset[str]:
    """What the learner's replies before the record at `index` did that a tip would otherwise ask for: the
    parts of the purpose they gave (PURPOSE_PARTS ids, as the debrief counts them) and FRAME when one of
    them stated the frame (the boundaries signal, without an overstep) in words of the limits of
    confidentiality, as the debrief credits them (`trainer.debrief.credits.limits_stated`, on the reply's
    boundaries evidence: the scorer's rules of those limits, or their words): a role alone ("I'm from adult
    social care") is not the frame the tip asks for."""
    out: set[str] = set()
    for at, record in enumerate(transcript[:index]):
        if record.speaker != "learner" or not isinstance(record.assessment, Mapping):
            continue
        evidence = record.assessment.get("evidence")
        marks = [e for e in evidence if isinstance(e, Mapping)] if isinstance(evidence, list) else []
        out.update(meeting_parts(purpose_parts(record.text, marks, said_before(transcript, at)),
                                 option_to_another=_option_to_another(scenario, record)))
        scores = record.assessment.get("scores")
        present = _present(scores) if isinstance(scores, Mapping) else []
        sources = [str(m.get("source") or "") for m in marks if m.get("signal") == "boundaries"]
        if limits_stated(record.text, present, sources):
            out.add(FRAME)
    return frozenset(out)


def said_before(transcript: Sequence[TurnRecord], index: int) -> str:
    """The last line said to the learner before the record at `index` (empty when none)."""
    return next((r.text for r in reversed(transcript[:index]) if r.speaker == "service_user"), "")


def avoided_notes(scenario: Scenario, node: str, matched: Sequence[str]) -> list[str]:
    """The `matched_note` of each cue to avoid (a cue with one) among `matched`, where it means what it
    says (`trainer.scenario.conditions.cue_means_here`, as the debrief's `cue_matched`)."""
    notes = []
    for cue_id in matched:
        cue = scenario.cues.get(cue_id)
        if cue is not None and cue.matched_note and cue_means_here(scenario, cue_id, node):
            notes.append(cue.matched_note)
    return notes


def _imperative(words: str) -> str:
    """A cue's description ("makes a plan with Helen ...", `_cue_words`) as something to do ("make a plan
    with Helen ...")."""
    verb, _, rest = words.partition(" ")
    low = verb.lower()
    if low.endswith("ies") and len(low) > 4:
        verb = verb[:-3] + "y"
    elif low.endswith(("sses", "shes", "ches", "xes", "zes", "oes")):
        verb = verb[:-2]
    elif low.endswith("s") and not low.endswith("ss"):
        verb = verb[:-1]
    return f"{verb} {rest}".strip()


def _and(items: Sequence[str]) -> str:
    """"a", "a and b", "a, b and c"."""
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _capitalise(text: str) -> str:
    return text[:1].upper() + text[1:] if text else text


def gauge(value: int, width: int = 10, full: str = "\u25ae", empty: str = "\u25af") -> str:
    """A 0-10 value drawn as a small bar, e.g. ▮▮▮▮▮▯▯▯▯▯ (clamped to the range)."""
    filled = max(0, min(width, round(value * width / 10)))
    return full * filled + empty * (width - filled)
