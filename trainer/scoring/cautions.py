"""Cautions a rule is sure of are always shown.

The combiner weighs a rule hit against the classifier; on a short or oddly typed reply ("ye its 07700900123
x") the classifier knows none of the words and can outweigh a rule that is nearly always right. For the
signals held against a learner (sympathy, overstep: `scoring.api.AGAINST`), a hit of a rule whose precision
on the training split is at least SURE is therefore shown whatever the classifier says: the score is at
least that precision, and the rule's words are the evidence. Precision is measured by the build on the
training data (`build.rule_precisions`), never set by hand. Used by the combiner
(`trainer.scoring.components.CombinerComponent`).

A rule may say what the sentence holding its words cannot carry (its `withdraws` in the pattern files):
"She's in a better place now." after "My mum died" echoes nothing and names no feeling of theirs, however
much its form ("she's in...") looks like a reflection; "i wont put that bit in my notes" never states the
frame, though "notes" is a word of the frame. `settle_withdrawals` takes that signal from the reply unless
another sentence carries it, and shows those sentences' acts as what the rule found.

An exception may say the same of a signal it cancels (`exception_withdrawals`): "I'm sorry nobody told you
I was coming" owns the agency's failure, and the classifier's reading of "sorry" as pity must not carry
sympathy out of that sentence when no rule found sympathy anywhere in the reply.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace
from typing import Any

from trainer.scoring.acts import SIGNAL_ACTS, VETOED, family_labels
from trainer.scoring.api import AGAINST, THRESHOLD

SURE = 0.85
"""The training precision from which a caution rule decides on its own."""


SURE_FRAME = 0.95
"""The training precision from which a boundaries rule decides on its own: higher than SURE, since credit
the learner did not earn misleads more than a caution shown ("private" and "at risk" alone are words of the
frame that other replies use too; "not taking your money" and "not giving you my number" state it)."""


def sure_cautions(scores: dict[str, float], hits: Iterable[Any], precision: Mapping[str, float]) -> None:
    """Raise `scores` (in place) for the AGAINST signals of the hits whose rule is SURE, and for boundaries
    of those whose rule is SURE_FRAME."""
    for hit in hits:
        sure = SURE if hit.signal in AGAINST else SURE_FRAME if hit.signal == "boundaries" else None
        if sure is not None:
            p = precision.get(hit.rule, 0.0)
            if p >= sure and scores.get(hit.signal, 0.0) < p:
                scores[hit.signal] = round(p, 4)


def exception_withdrawals(
    hits: Sequence[Any], exceptions: Sequence[Any], withdraws: Mapping[str, Sequence[str]]
) -> list[Any]:
    """The exceptions (RuleHit with no signal, under the exception's id) whose withdrawn signals (`withdraws`:
    id -> signals) no rule found in the reply: those `settle_withdrawals` applies beside the rule hits."""
    found = {h.signal for h in hits}
    return [x for x in exceptions if found.isdisjoint(withdraws.get(x.rule, ()))]


def settle_withdrawals(
    scores: dict[str, float],
    hits: Sequence[Any],
    withdraws: Mapping[str, Sequence[str]],
    acts: Sequence[Any],
    act_probs: Sequence[dict[str, float]] | None,
    promoted: dict[str, Any],
) -> list[Any]:
    """After the acts are applied: for each signal that a hit's rule withdraws (`withdraws`: rule id ->
    signals), withdraw it from `scores` (to just below present; `promoted` loses it too, both in place)
    unless a sentence without such a hit carries it (its act family, or a rule hit of that signal);
    and return the acts with each act of a marked sentence that carries a withdrawn signal replaced by
    its most probable act carrying the hit's own signal. `hits` are RuleHit, `acts` api.Act (one per
    sentence, with character spans), `act_probs` their probabilities when the act layer gave them."""
    marks: dict[str, list[tuple[int, str]]] = {}  # withdrawn signal -> (hit start, the hit's signal)
    for hit in hits:
        for signal in withdraws.get(hit.rule, ()):
            marks.setdefault(signal, []).append((hit.start, hit.signal))
    if not marks or not acts:
        return list(acts)
    pooled = act_probs is not None and len(act_probs) == len(acts)
    labels = family_labels(act_probs) if pooled and act_probs else [a.label for a in acts]
    out = list(acts)
    for signal, marked in marks.items():
        carriers = SIGNAL_ACTS.get(signal, frozenset())
        # per sentence, the signals of the hits in it that withdraw this one (empty: the sentence is free)
        owners = [[own for at, own in marked if a.start <= at < a.end] for a in acts]

        def free(at: int, owners: list[list[str]] = owners) -> bool:
            return not any(a.start <= at < a.end and own for a, own in zip(acts, owners, strict=True))

        elsewhere = any(label in carriers and not own for label, own in zip(labels, owners, strict=True))
        elsewhere = elsewhere or any(h.signal == signal and free(h.start) for h in hits)
        if scores.get(signal, 0.0) >= THRESHOLD and not elsewhere:
            scores[signal] = VETOED
            promoted.pop(signal, None)
        for i, act in enumerate(out):
            if act.label in carriers and owners[i]:
                probs = act_probs[i] if pooled and act_probs else {}
                best = max(sorted(SIGNAL_ACTS.get(owners[i][0], {"other"})), key=lambda a: probs.get(a, 0.0))
                out[i] = replace(act, label=best, confidence=round(float(probs.get(best, 0.0)), 4))
    return out
