"""The dialogue acts: which acts carry which signal, the main act of a reply, and how an act is explained
to a learner. Pure Python (no spaCy import), so the coach notes can use `describe`.

    describe("advice", [], wanted=["empathy"])  -> "This was advice, not a reflection: you told them ..."
    main_act(["question_open", "reflection_simple"])  -> "reflection_simple"

The acts are `api.ACTS` (after MITI 4.2.1 and the relationship-based practice texts; definitions and
decision rules in models/LABELLING.md, the signal definitions in models/README.md). Used by the act
component (`trainer.scoring.actlayer`, features in `trainer.scoring.actfeatures`), the model build and
the coach note (`trainer.tui.coaching`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace
from typing import Any

from trainer.scoring.api import ACT_PRIORITY, ACTS, AGAINST, THRESHOLD

PRIORITY = ACT_PRIORITY
"""The order that picks a reply's main act from its sentence acts (`api.ACT_PRIORITY`)."""

SIGNAL_ACTS: dict[str, frozenset[str]] = {
    "empathy": frozenset({"reflection_simple", "reflection_complex"}),
    "sympathy": frozenset({"sympathy", "reassurance", "self_disclosure"}),
    "purpose": frozenset({"structuring"}),
    "boundaries": frozenset({"boundary"}),
    "overstep": frozenset({"overstep"}),
}
"""The acts that carry each signal (models/README.md, "Signals from acts")."""

NOT_EMPATHY: frozenset[str] = frozenset(
    {"question_open", "question_closed", "advice", "information", "affirmation", "other", "sympathy",
     "reassurance", "self_disclosure", "boundary", "structuring", "overstep"}
)
"""Acts that are never empathy, however warmly put: questions, advice and information, praise, `other`
(backchannels, practical asides and requests such as "Please sit down."), and the worker's own feelings,
reassurance and story ("It sounds really hard." with nothing of theirs in it is sympathy, LABELLING.md
rule 8; adding these three raised held-out empathy precision 0.927 -> 0.936 at the same recall), and a
statement of the frame or the purpose ("Unless you were in danger." alone was empathy 0.55; adding these two
changed no reply of the held-out split or the real set), or an overstep ("Here's a tenner." after "Can you
lend me a tenner?" took up "tenner" and was empathy 0.58)."""


FRAME_ACTS: dict[str, str] = {
    act: signal for signal in ("boundaries", "purpose", "overstep") for act in SIGNAL_ACTS[signal]
}
"""The acts of the frame and the purpose, by their signal: they veto empathy only where a rule found that
signal in the reply ("Unless you were in danger." holds the rule `confidentiality`), since the act model
alone reads an echo of their words as one ("Yeah, it never goes anywhere." after "The bidding never goes
anywhere." is overstep 0.52 to it, as if a promise of secrecy)."""


def vetoes_empathy(labels: Sequence[str], ruled: Iterable[str] | None = None) -> bool:
    """Whether the acts rule empathy out: no sentence is a reflection and one is a question, advice,
    information, praise, `other`, sympathy, reassurance, self-disclosure, a boundary statement,
    structuring or an overstep (NOT_EMPATHY; the last three only when `ruled`, the signals the rules found
    in the reply, holds theirs: FRAME_ACTS; None: always). The combiner then keeps the empathy score just
    below the threshold."""
    vetoing = NOT_EMPATHY
    if ruled is not None:
        found = set(ruled)
        vetoing = NOT_EMPATHY - {act for act, signal in FRAME_ACTS.items() if signal not in found}
    return not any(a.startswith("reflection") for a in labels) and any(a in vetoing for a in labels)


FAMILY_OF: dict[str, str] = {
    "reflection_simple": "reflection", "reflection_complex": "reflection",
    "question_open": "question", "question_closed": "question",
}
"""Acts pooled into one family for the veto: the two reflections, the two questions (others stand alone)."""


_FAMILIES: tuple[tuple[int, ...], ...] = tuple(
    tuple(i for i, act in enumerate(ACTS) if FAMILY_OF.get(act, act) == family)
    for family in dict.fromkeys(FAMILY_OF.get(act, act) for act in ACTS)
)
"""The acts' indexes in ACTS, by family."""


def family_best(p: Sequence[float]) -> int:
    """The index in ACTS of the best act of the family with the most probability, from one sentence's act
    probabilities in ACTS order: the two reflections' probabilities are added, and so are the two
    questions'. A long spoken reflection whose probability is split between simple and complex (0.3 + 0.3)
    is a reflection, not the information act at 0.35 that wins on its own."""
    family, most = _FAMILIES[0], sum(p[i] for i in _FAMILIES[0])
    for members in _FAMILIES[1:]:
        total = sum(p[i] for i in members) if len(members) > 1 else p[members[0]]
        if total > most:  # the first of equals, as max() takes it
            family, most = members, total
    best = family[0]
    for i in family[1:]:
        if p[i] > p[best]:
            best = i
    return best


def family_labels(act_probs: Sequence[dict[str, float]]) -> list[str]:
    """Per sentence (act -> probability), the best act of the family with the most probability
    (`family_best`), so the labels read as `vetoes_empathy` expects."""
    return [ACTS[family_best([probs.get(act, 0.0) for act in ACTS])] for probs in act_probs]


ACT_PRESENT = 0.6
"""A sentence act this confident makes its signal present (a clear reflection is empathy, a clear
boundary statement is boundaries), whatever the combiner's score. 0.75 before the word vectors; with them
0.7 scored the held-out split the same (empathy F1 0.910 both) and found reflections of meaning that take
up none of their words ("You know every detail of his day - you're holding all of it.", act 0.73). 0.6
since the act data of the later rounds, chosen on the build's own dev split (the 15% of the train files
the model never sees: empathy F1 0.908 -> 0.910, boundaries 0.880 -> 0.881, purpose the same; 0.55 lost
precision); on the held-out split every signal is the same or better."""
ACT_PRESENT_AGAINST = 0.9
"""The same for the signals that count against the learner (sympathy, overstep): a learner told they
were pitying or crossed the frame on an act guess alone should be told so only on a surer guess. (With
the word vectors the act model is surer of itself: at 0.75, "You'll be just downstairs." became
reassurance and so sympathy; 0.85 changes nothing on the held-out split. 0.9 since the eleventh round,
when a rebuild put that reply's reassurance at 0.8503: the held-out split is the same at 0.9.)"""
VETOED = round(THRESHOLD - 0.01, 4)
"""The empathy score of a reply the acts rule out (see `vetoes_empathy`): just below present."""


def apply_acts(
    scores: dict[str, float], acts: Sequence[Any], unlinked_terse: bool = False,
    act_probs: Sequence[dict[str, float]] | None = None, named_terse: bool = False,
    ruled: Iterable[str] | None = None,
) -> dict[str, Any]:
    """The signals from the acts, applied to the combiner's `scores` (changed in place): empathy is vetoed
    (`vetoes_empathy` over the sentences' act families, see `family_labels`, when `act_probs` gives each
    sentence's act probabilities, else over the acts' labels; or `unlinked_terse`: a reply of one or two
    words that neither takes up their words nor names a feeling, such as "Cool.", reflects nothing); a
    signal below the threshold is made present by a sentence act that carries it with confidence >=
    ACT_PRESENT (its score becomes that confidence). With `named_terse` (a reply of one or two words that
    names their feeling: "Exhausted." after "I'm so tired", LABELLING rule 10) an `other` act does not veto;
    `ruled`: the signals the rules found in the reply (see `vetoes_empathy`).
    Returns, per signal made present, the api.Act that made it (for the evidence)."""
    pooled = act_probs is not None and len(act_probs) == len(acts) > 0
    labels = family_labels(act_probs) if pooled and act_probs else [a.label for a in acts]
    if named_terse:
        labels = [a for a in labels if a != "other"]
    if scores.get("empathy", 0.0) >= THRESHOLD and (unlinked_terse or vetoes_empathy(labels, ruled)):
        scores["empathy"] = VETOED
    promoted: dict[str, Any] = {}
    for k, act in enumerate(acts):
        for signal, members in SIGNAL_ACTS.items():
            if signal == "empathy" and unlinked_terse:
                continue
            bar = ACT_PRESENT_AGAINST if signal in AGAINST else ACT_PRESENT
            confidence = act.confidence
            if signal == "empathy" and pooled and act_probs:  # a reflection split between its two kinds
                confidence = sum(act_probs[k].get(m, 0.0) for m in members)
            if act.label in members and confidence >= bar and scores[signal] < THRESHOLD:
                scores[signal] = round(float(confidence), 4)
                promoted.setdefault(signal, act)
    return promoted


def agree_with_scores(
    acts: Sequence[Any], act_probs: Sequence[dict[str, float]] | None, scores: dict[str, float]
) -> list[Any]:
    """The sentence acts as a learner and a practice educator read them, agreeing with the final scores on
    the signals held against the learner: a sentence whose act is an overstep, sympathy, reassurance or
    self-disclosure when the reply was not scored as that signal (an `overstep` act on "That's fine, I'll
    come back another day." with overstep absent) is given its most probable act that carries no absent
    signal, so a process recording never says "crossing the frame" of a reply the scorer did not flag.
    (Doing the same for every signal cost 0.013 of act-family accuracy on the held-out split; for these
    it costs 0.002.) Without `act_probs` (one dict per act) the acts are returned as they are. Acts are
    api.Act; the result keeps their spans."""
    if not act_probs or len(act_probs) != len(acts):
        return list(acts)
    absent = {s for s, v in scores.items() if v < THRESHOLD and s in AGAINST}
    barred = {a for s in absent for a in SIGNAL_ACTS.get(s, ())}
    out = []
    for act, probs in zip(acts, act_probs, strict=True):
        if act.label in barred:
            allowed = [a for a in sorted(probs) if a not in barred]
            if allowed:
                best = max(allowed, key=lambda a: probs[a])
                act = replace(act, label=best, confidence=round(float(probs[best]), 4))
        out.append(act)
    return out


def main_act(labels: Sequence[str]) -> str | None:
    """The main act of a reply from its sentence acts (see PRIORITY); None when there are none."""
    if not labels:
        return None
    return min(labels, key=lambda a: PRIORITY.index(a) if a in PRIORITY else len(PRIORITY))


# --- what a learner reads -------------------------------------------------------------------------------

_DESCRIBE: dict[str, str] = {
    "advice": "This was advice, not a reflection: you told {them} what to do before showing you had heard "
    "{them}.",
    "information": "This was information, not a reflection: useful facts, but nothing yet showed you had "
    "understood {them}.",
    "question_closed": "This was a closed question: it asks for a yes or no. Giving back what {they} said "
    "would show you heard it first.",
    "question_open": "This was an open question: good for hearing more, but it does not show what you "
    "have understood so far.",
    "sympathy": "This was sympathy: it says how you feel about it, not what it is like for {them}.",
    "reassurance": "This was reassurance: it closes the feeling down instead of giving it back to {them}.",
    "self_disclosure": "This was about you: the focus moved from {them} to your own life.",
    "affirmation": "This was praise: kind, but it does not give back what {they} told you.",
    "other": "This acknowledged {them} but gave nothing of what {they} said back.",
}
"""One learner-facing sentence per act that matters when a reflection (empathy) was wanted or missing."""

_NOT_EMPATHY = frozenset(_DESCRIBE)


def describe(
    act: str | None, signals_present: Iterable[str], *, wanted: Iterable[str] = (), them: str = "them",
    they: str = "they",
) -> str | None:
    """One short sentence, in a learner's words, saying what the reply was when that matters; else None.

    It matters when the reply's main act is not a reflection and either a reflection was wanted at this
    moment (`wanted` holds "empathy") or no helpful signal was found at all; it never contradicts a
    present signal (a reply that showed empathy gets None).

    Args:
        act: the reply's main act (one of api.ACTS) or None when unknown.
        signals_present: the signals scored present.
        wanted: the signals this moment expects (a scenario's `expect`).
        them, they: the service user's object and subject pronouns.
    """
    present = set(signals_present)
    if act is None or act not in _NOT_EMPATHY or "empathy" in present:
        return None
    if "empathy" not in set(wanted) and present & {"purpose", "boundaries"}:
        return None  # the reply did what this moment needed; its act is not news
    if act in ("sympathy", "reassurance", "self_disclosure") and "sympathy" in present:
        return None  # the sympathy correction already says it
    if act == "other" and "empathy" not in set(wanted):
        return None
    return _DESCRIBE[act].format(them=them, they=they)
